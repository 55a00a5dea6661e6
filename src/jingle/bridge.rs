//! One call's media engine behind the call machine's media commands.
//!
//! The call machine speaks Jingle contents; the media engine speaks SDP with
//! one m-line per content. [`MediaBridge`] carries each
//! [`MediaCommand`] into the engine through the SDP mapping and turns the
//! engine's [`media::MediaEvent`]s back into the machine's
//! [`MediaEvent`]s. It remembers, per m-line, the engine's `a=mid`, the
//! Jingle content name and creator, and our ICE credentials, because the
//! engine names its m-lines itself (`audio0`, `video1`) when offering,
//! while Jingle names belong to the session.

use xmpp_parsers::jingle::{Content, ContentId, Creator, Description};

use super::media::{self, FailureReason, MediaConfig, MediaEngine, MediaError, SdpKind};
use super::sdp::negotiate::{
    Capabilities, NegotiationError, answer_contents, check_remote_answer, offer_contents,
    restrict_offer,
};
use super::sdp::{
    IceUdpParts, JingleContents, Origin, SdpError, SessionDescription, candidate_from_sdp,
    candidate_to_sdp, jingle_to_sdp, session_to_jingle,
};
use super::session::{ContentSpec, MediaCommand, MediaEvent};
use crate::model::MediaKind;

/// Why a media command or event could not be carried across.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    /// The media engine refused.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// The SDP could not be mapped.
    #[error(transparent)]
    Sdp(#[from] SdpError),
    /// Offer and answer do not fit together.
    #[error(transparent)]
    Negotiation(#[from] NegotiationError),
    /// A content the engine does not know.
    #[error("unknown content {0}")]
    UnknownContent(String),
}

/// What the bridge has to report about the engine's progress.
#[derive(Debug, Clone, PartialEq)]
pub enum BridgeOutput {
    /// Feed this to the call machine.
    Machine(MediaEvent),
    /// The first media of this kind from the peer was decoded.
    FirstDecoded(MediaKind),
}

/// One m-line of the call.
#[derive(Debug, Clone)]
struct Mline {
    /// The engine's `a=mid` (known once a description names it).
    mid: Option<String>,
    /// The Jingle content name.
    name: ContentId,
    /// Who created the content.
    creator: Creator,
    /// Our ICE username fragment and password for it.
    ufrag: Option<String>,
    pwd: Option<String>,
}

/// A local description the engine is preparing.
#[derive(Debug, Clone)]
enum Pending {
    /// An offer for the m-lines from `first` on.
    Offer { first: usize },
    /// The answer to these offered contents (m-lines from `first` on).
    Answer { offer: Vec<Content>, first: usize },
}

/// One call's media engine, driven by the call machine's commands.
pub struct MediaBridge {
    engine: MediaEngine,
    our_role: Creator,
    capabilities: Capabilities,
    mlines: Vec<Mline>,
    /// The peer's contents, in m-line order, as last described.
    remote: Vec<Content>,
    pending: Option<Pending>,
    origin: Origin,
    /// Candidates the peer trickled for contents not in the engine yet (a
    /// content-add the user has not answered).
    early_candidates: Vec<Content>,
}

/// How many early candidate batches are kept for contents not added yet.
const MAX_EARLY_CANDIDATES: usize = 64;

impl std::fmt::Debug for MediaBridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaBridge")
            .field("our_role", &self.our_role)
            .field("mlines", &self.mlines)
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

impl MediaBridge {
    /// Prepares the media of a call in which we have the session role
    /// `our_role`; returns the engine's event channel.
    pub fn new(
        config: MediaConfig,
        our_role: Creator,
    ) -> Result<
        (
            Self,
            tokio::sync::mpsc::UnboundedReceiver<media::MediaEvent>,
        ),
        BridgeError,
    > {
        let (engine, events) = MediaEngine::new(config)?;
        let session_id = u64::from(rand::random::<u32>()).to_string();
        let bridge = Self {
            engine,
            our_role,
            // What we accept is exactly what the installed elements run,
            // plus retransmission, which the engine's video has on.
            capabilities: Capabilities {
                retransmission: true,
                ..Capabilities::for_codecs(&media::available_codecs())
            },
            mlines: Vec::new(),
            remote: Vec::new(),
            pending: None,
            early_candidates: Vec::new(),
            origin: Origin {
                session_id,
                ..Origin::default()
            },
        };
        Ok((bridge, events))
    }

    /// The engine, for statistics and diagnostics.
    pub fn engine(&self) -> &MediaEngine {
        &self.engine
    }

    fn peer_role(&self) -> Creator {
        match self.our_role {
            Creator::Initiator => Creator::Responder,
            Creator::Responder => Creator::Initiator,
        }
    }

    /// Carries one command into the engine. Results arrive later through
    /// [`MediaBridge::on_engine_event`].
    pub fn apply(&mut self, command: MediaCommand) -> Result<(), BridgeError> {
        match command {
            MediaCommand::CreateOffer { contents } | MediaCommand::AddContents { contents } => {
                self.offer(&contents)
            }
            MediaCommand::AcceptOffer { contents }
            | MediaCommand::AcceptAddedContents { contents } => self.answer(contents),
            MediaCommand::ApplyAnswer { contents }
            | MediaCommand::ApplyAddedContentsAnswer { contents } => {
                check_remote_answer(&contents)?;
                for content in contents {
                    match self.remote.iter_mut().find(|c| c.name == content.name) {
                        Some(known) => *known = content,
                        None => self.remote.push(content),
                    }
                }
                let sdp = self.remote_sdp()?;
                self.engine.set_remote_description(SdpKind::Answer, &sdp)?;
                Ok(())
            }
            MediaCommand::AddRemoteCandidates { contents } => {
                for content in contents {
                    self.add_remote_candidates(&content)?;
                }
                Ok(())
            }
            MediaCommand::RemoveContents { names } => {
                // The engine cannot drop a transceiver; a refused content
                // simply carries nothing.
                tracing::debug!(?names, "Leaving removed contents idle");
                Ok(())
            }
            MediaCommand::SetMuted { media, muted } => {
                match media {
                    MediaKind::Audio => self.engine.set_audio_muted(muted),
                    MediaKind::Video => self.engine.set_video_enabled(!muted),
                }
                Ok(())
            }
            MediaCommand::SetSendPermitted { name, permitted } => {
                match self.mlines.iter().position(|mline| mline.name == name) {
                    Some(index) => self.engine.set_send_permitted(index, permitted),
                    None => tracing::debug!(?name, "No such content to permit or stop"),
                }
                Ok(())
            }
            MediaCommand::SetOnHold { on_hold } => {
                self.engine.set_on_hold(on_hold);
                Ok(())
            }
            MediaCommand::Stop => {
                self.engine.close();
                Ok(())
            }
        }
    }

    fn add_content(&self, media: MediaKind) -> Result<(), BridgeError> {
        match media {
            MediaKind::Audio => self.engine.add_audio()?,
            MediaKind::Video => self.engine.add_video()?,
        };
        Ok(())
    }

    fn offer(&mut self, specs: &[ContentSpec]) -> Result<(), BridgeError> {
        let first = self.mlines.len();
        for spec in specs {
            self.add_content(spec.media)?;
            self.mlines.push(Mline {
                mid: None,
                name: spec.name.clone(),
                creator: spec.creator.clone(),
                ufrag: None,
                pwd: None,
            });
        }
        self.pending = Some(Pending::Offer { first });
        self.engine.create_offer()?;
        Ok(())
    }

    fn answer(&mut self, offered: Vec<Content>) -> Result<(), BridgeError> {
        let restricted = restrict_offer(&offered, None, &self.capabilities)?;
        if !restricted.rejected.is_empty() {
            tracing::info!(rejected = ?restricted.rejected, "No common codec for some contents");
        }
        let first = self.mlines.len();
        for content in &restricted.contents {
            let media = media_of(content)
                .ok_or_else(|| BridgeError::UnknownContent(content.name.0.clone()))?;
            self.add_content(media)?;
            self.mlines.push(Mline {
                mid: Some(content.name.0.clone()),
                name: content.name.clone(),
                creator: content.creator.clone(),
                ufrag: None,
                pwd: None,
            });
            self.remote.push(content.clone());
        }
        let sdp = self.remote_sdp()?;
        self.engine.set_remote_description(SdpKind::Offer, &sdp)?;
        self.pending = Some(Pending::Answer {
            offer: restricted.contents,
            first,
        });
        self.engine.create_answer()?;
        for content in std::mem::take(&mut self.early_candidates) {
            self.add_remote_candidates(&content)?;
        }
        Ok(())
    }

    /// The peer's contents as a remote description, each under the
    /// engine's mid of its m-line.
    fn remote_sdp(&mut self) -> Result<String, BridgeError> {
        let mut contents = Vec::with_capacity(self.mlines.len());
        for mline in &self.mlines {
            let Some(content) = self.remote.iter().find(|c| c.name == mline.name) else {
                continue;
            };
            let mut content = content.clone();
            if let Some(mid) = &mline.mid {
                content.name = ContentId(mid.clone());
            }
            contents.push(content);
        }
        self.origin.session_version += 1;
        let description = jingle_to_sdp(&contents, None, self.peer_role(), self.origin.clone())?;
        Ok(description.to_string())
    }

    fn mline_of(&self, name: &ContentId) -> Option<usize> {
        self.mlines.iter().position(|mline| mline.name == *name)
    }

    fn add_remote_candidates(&mut self, content: &Content) -> Result<(), BridgeError> {
        let Some(index) = self.mline_of(&content.name) else {
            if self.early_candidates.len() < MAX_EARLY_CANDIDATES {
                self.early_candidates.push(content.clone());
            }
            return Ok(());
        };
        let Some(xmpp_parsers::jingle::Transport::IceUdp(transport)) = &content.transport else {
            return Ok(());
        };
        let parts = IceUdpParts::from_transport(transport)?;
        let mline = u32::try_from(index).unwrap_or(u32::MAX);
        for candidate in &parts.candidates {
            self.engine
                .add_remote_candidate(mline, &candidate_to_sdp(candidate))?;
        }
        Ok(())
    }

    /// Turns one engine event into what the call machine and the user
    /// interface need to hear.
    pub fn on_engine_event(
        &mut self,
        event: media::MediaEvent,
    ) -> Result<Vec<BridgeOutput>, BridgeError> {
        use media::MediaEvent as Engine;
        let output = match event {
            Engine::LocalDescription { kind, sdp } => {
                return self.local_description(kind, &sdp).map(|event| {
                    event
                        .map(BridgeOutput::Machine)
                        .into_iter()
                        .collect::<Vec<_>>()
                });
            }
            Engine::LocalCandidate { mline, candidate } => {
                return Ok(self
                    .local_candidate(mline, &candidate)
                    .map(|content| {
                        BridgeOutput::Machine(MediaEvent::LocalCandidates {
                            contents: vec![content],
                        })
                    })
                    .into_iter()
                    .collect());
            }
            Engine::IceStateChanged { mline, state } => {
                tracing::debug!(mline, ?state, "ICE state");
                return Ok(Vec::new());
            }
            Engine::DtlsStateChanged { mline, state } => {
                tracing::debug!(mline, ?state, "DTLS state");
                return Ok(Vec::new());
            }
            Engine::Connected => BridgeOutput::Machine(MediaEvent::Connected),
            Engine::FirstAudioDecoded => BridgeOutput::FirstDecoded(MediaKind::Audio),
            Engine::FirstVideoDecoded => BridgeOutput::FirstDecoded(MediaKind::Video),
            Engine::FingerprintMismatch { mline, .. } => {
                tracing::warn!(mline, "The peer's DTLS certificate does not match");
                BridgeOutput::Machine(MediaEvent::FingerprintMismatch)
            }
            Engine::Failed { reason, detail } => {
                tracing::info!(?reason, "The call's media failed: {detail}");
                BridgeOutput::Machine(match reason {
                    FailureReason::Transport => MediaEvent::TransportFailed,
                    FailureReason::Application => MediaEvent::ApplicationFailed,
                    FailureReason::Security => MediaEvent::FingerprintMismatch,
                })
            }
        };
        Ok(vec![output])
    }

    fn local_description(
        &mut self,
        kind: SdpKind,
        sdp: &str,
    ) -> Result<Option<MediaEvent>, BridgeError> {
        let session = SessionDescription::parse(sdp)?;
        // Learn the engine's mids and our ICE credentials per m-line.
        for (index, section) in session.media.iter().enumerate() {
            if let Some(mline) = self.mlines.get_mut(index) {
                if mline.mid.is_none() {
                    mline.mid = section.mid().map(str::to_owned);
                }
                mline.ufrag = section.attribute("ice-ufrag").map(str::to_owned);
                mline.pwd = section.attribute("ice-pwd").map(str::to_owned);
            }
        }
        match (kind, self.pending.take()) {
            (SdpKind::Offer, Some(Pending::Offer { first })) => {
                let mut fresh = session.clone();
                fresh.media = session.media.get(first..).unwrap_or_default().to_vec();
                fresh.attributes.retain(|a| a.name != "group");
                let offer = offer_contents(&fresh.to_string(), self.our_role.clone())?;
                let contents = self.renamed(offer.contents);
                Ok(Some(if first == 0 {
                    MediaEvent::OfferReady { contents }
                } else {
                    MediaEvent::AddedContentsReady { contents }
                }))
            }
            (SdpKind::Answer, Some(Pending::Answer { offer, first })) => {
                let mut local = session_to_jingle(&session, self.our_role.clone())?;
                local.contents = self.renamed(local.contents);
                let local = JingleContents {
                    contents: local.contents,
                    group: None,
                    rejected: local.rejected,
                };
                let contents = answer_contents(&offer, &local, &self.capabilities)?;
                Ok(Some(if first == 0 {
                    MediaEvent::AnswerReady { contents }
                } else {
                    MediaEvent::AddedContentsAnswerReady { contents }
                }))
            }
            (kind, pending) => {
                tracing::debug!(?kind, ?pending, "Ignoring an unexpected local description");
                self.pending = pending;
                Ok(None)
            }
        }
    }

    /// Contents named by the engine's mids, renamed and re-attributed to
    /// their Jingle contents.
    fn renamed(&self, contents: Vec<Content>) -> Vec<Content> {
        contents
            .into_iter()
            .map(|mut content| {
                let mline = self
                    .mlines
                    .iter()
                    .find(|m| m.mid.as_deref() == Some(content.name.0.as_str()));
                if let Some(mline) = mline {
                    content.name = mline.name.clone();
                    content.creator = mline.creator.clone();
                }
                content
            })
            .collect()
    }

    fn local_candidate(&self, mline: u32, candidate: &str) -> Option<Content> {
        let candidate = match candidate_from_sdp(candidate) {
            Ok(candidate) => candidate,
            Err(SdpError::EndOfCandidates) => return None,
            Err(error) => {
                tracing::debug!("Could not signal a local candidate: {error}");
                return None;
            }
        };
        let known = self.mlines.get(usize::try_from(mline).ok()?)?;
        let transport = IceUdpParts {
            ufrag: known.ufrag.clone(),
            pwd: known.pwd.clone(),
            candidates: vec![candidate],
            fingerprint: None,
        }
        .into_transport()
        .map_err(|error| tracing::debug!("Could not build a transport-info: {error}"))
        .ok()?;
        Some(Content::new(known.creator.clone(), known.name.clone()).with_transport(transport))
    }
}

/// The media of an RTP content.
fn media_of(content: &Content) -> Option<MediaKind> {
    match &content.description {
        Some(Description::Rtp(rtp)) => MediaKind::from_media(&rtp.media),
        _ => None,
    }
}
