//! [`MediaEngine`]: one call's pipeline around webrtcbin, and the requests
//! the call session makes of it (offer, answer, candidates, mute, hold,
//! close).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_webrtc as gst_webrtc;
use gstreamer_webrtc::prelude::*;
use tokio::sync::mpsc;

use super::config::{AudioInput, AudioOutput, IceServerKind, MediaConfig};
use super::events::{FailureReason, MediaEvent, SdpKind};
use super::gates::{PlaybackGate, SendGate};
use super::incoming;
use super::pipeline::{self, make};
use super::relays;
use super::sdp_info::RemoteMedia;
use super::send_branch::SendBranch;
use super::stats::{Counters, MediaStats};
use super::{ContentKind, MediaError};

static NEXT_CALL: AtomicU64 = AtomicU64::new(1);

/// One call's media: a GStreamer pipeline with webrtcbin (one ICE and DTLS
/// transport per content, never BUNDLE), capture and playback.
///
/// Every method returns at once; results arrive as [`MediaEvent`]s. The
/// engine is `Send + Sync`, stops its pipeline on [`MediaEngine::close`]
/// or when dropped, and never needs a GLib main loop.
pub struct MediaEngine {
    inner: Arc<Inner>,
}

/// The state shared with GStreamer's threads (which hold it weakly).
pub(super) struct Inner {
    pub(super) pipeline: gst::Pipeline,
    pub(super) webrtcbin: gst::Element,
    pub(super) config: MediaConfig,
    pub(super) events: mpsc::UnboundedSender<MediaEvent>,
    pub(super) counters: Arc<Counters>,
    state: Mutex<State>,
    /// The echo probe's name and the speaker bin, with echo cancellation.
    pub(super) playback: Option<(String, gst::Bin)>,
}

/// What changes during a call.
#[derive(Default)]
pub(super) struct State {
    pub(super) contents: Vec<LocalContent>,
    pub(super) started: bool,
    pub(super) ended: bool,
    pub(super) have_remote_offer: bool,
    /// The m-lines of the latest remote description.
    pub(super) remote: Vec<RemoteMedia>,
    /// m-lines whose transports we watch.
    pub(super) watched: Vec<u32>,
    /// m-lines whose peer certificate matched the signalled fingerprint.
    pub(super) verified: Vec<u32>,
    pub(super) connected_sent: bool,
    /// Whether the ICE agent was asked to release its TURN allocations.
    relays_released: bool,
    audio_muted: bool,
    video_paused: bool,
    /// The call is on hold: nothing is sent or played, whatever the mutes.
    pub(super) held: bool,
    /// The gate of every receive branch, to silence them while held.
    pub(super) playback_gates: Vec<PlaybackGate>,
}

/// One of our contents: its send branch and webrtcbin transceiver.
pub(super) struct LocalContent {
    pub(super) kind: ContentKind,
    /// Built for our preferred codec when the content is added; its encoder
    /// is replaced if the negotiation chooses another.
    pub(super) branch: SendBranch,
    /// Whether the branch is linked to webrtcbin (its codec is chosen).
    /// Until then audio runs unlinked with its valve closed, and video
    /// sits in the pipeline with its state locked, stopped.
    pub(super) linked: bool,
    /// webrtcbin's sink pad for the content.
    pub(super) sink: gst::Pad,
    pub(super) transceiver: gst_webrtc::WebRTCRTPTransceiver,
    /// Whether the content's `senders` lets us send (the peer can take
    /// that back with content-modify).
    pub(super) permitted: bool,
}

impl MediaEngine {
    /// Prepares a call's media (nothing runs before the first offer or
    /// remote description) and returns the channel of its events.
    pub fn new(
        config: MediaConfig,
    ) -> Result<(Self, mpsc::UnboundedReceiver<MediaEvent>), MediaError> {
        gst::init().map_err(|error| MediaError::Init(error.to_string()))?;
        let call = NEXT_CALL.fetch_add(1, Ordering::Relaxed);
        let pipeline = gst::Pipeline::with_name(&format!("call-{call}"));
        // The system clock, never a device's: a device's clock can stop
        // (a speaker's stands still until it plays) and leave the pipeline
        // without a running clock and every device silent.
        pipeline.use_clock(Some(&gst::SystemClock::obtain()));
        let webrtcbin = make("webrtcbin")?;
        webrtcbin.set_property_from_str("bundle-policy", "none");
        webrtcbin.set_property("latency", config.jitter_buffer_ms);
        configure_ice(&webrtcbin, &config)?;
        pipeline
            .add(&webrtcbin)
            .map_err(|error| MediaError::Pipeline(error.to_string()))?;

        let echo = config.echo_cancellation
            && matches!(config.audio_input, AudioInput::Device(_))
            && matches!(config.audio_output, AudioOutput::Device(_));
        let playback = if echo {
            let probe = format!("echo-probe-{call}");
            let speaker = match &config.audio_output {
                AudioOutput::Device(id) => id.clone(),
                _ => None,
            };
            let bin = pipeline::playback_bin(&probe, speaker.as_deref())?;
            pipeline
                .add(&bin)
                .map_err(|error| MediaError::Pipeline(error.to_string()))?;
            Some((probe, bin))
        } else {
            None
        };

        let (events, receiver) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner {
            pipeline,
            webrtcbin,
            config,
            events,
            counters: Arc::new(Counters::default()),
            state: Mutex::new(State::default()),
            playback,
        });
        Inner::connect_signals(&inner);
        Ok((Self { inner }, receiver))
    }

    /// Adds an audio content (every installed audio codec is offered);
    /// returns its index among our contents.
    pub fn add_audio(&self) -> Result<usize, MediaError> {
        self.inner.add_content(ContentKind::Audio)
    }

    /// Adds a video content (every installed video codec is offered);
    /// returns its index among our contents.
    /// During a call, follow with [`MediaEngine::create_offer`] (Jingle
    /// `content-add`).
    pub fn add_video(&self) -> Result<usize, MediaError> {
        self.inner.add_content(ContentKind::Video)
    }

    /// Starts the media and creates an offer for our contents:
    /// [`MediaEvent::LocalDescription`] follows, then our candidates.
    pub fn create_offer(&self) -> Result<(), MediaError> {
        self.inner.start()?;
        self.inner.create_description(SdpKind::Offer);
        Ok(())
    }

    /// Applies the peer's offer or answer. For an offer, add the contents to
    /// answer with first: they take the peer's payload types.
    pub fn set_remote_description(&self, kind: SdpKind, sdp: &str) -> Result<(), MediaError> {
        self.inner.set_remote_description(kind, sdp)
    }

    /// Creates the answer to the remote offer: [`MediaEvent::LocalDescription`]
    /// follows, then our candidates.
    pub fn create_answer(&self) -> Result<(), MediaError> {
        if !self.inner.lock().have_remote_offer {
            return Err(MediaError::InvalidState("no remote offer to answer"));
        }
        self.inner.create_description(SdpKind::Answer);
        Ok(())
    }

    /// Adds one of the peer's trickled candidates (`candidate:…`, with or
    /// without the prefix) to the content at `mline`.
    pub fn add_remote_candidate(&self, mline: u32, candidate: &str) -> Result<(), MediaError> {
        if self.inner.lock().ended {
            return Err(MediaError::Closed);
        }
        let candidate = candidate.trim().trim_start_matches("a=");
        let candidate = if candidate.starts_with("candidate:") {
            candidate.to_owned()
        } else {
            format!("candidate:{candidate}")
        };
        self.inner
            .webrtcbin
            .emit_by_name::<()>("add-ice-candidate", &[&mline, &candidate]);
        Ok(())
    }

    /// Mutes (sends silence) or unmutes our audio.
    pub fn set_audio_muted(&self, muted: bool) {
        let mut state = self.inner.lock();
        state.audio_muted = muted;
        self.inner.update_gates(&state);
    }

    /// Stops or resumes sending video (the content stays negotiated).
    pub fn set_video_enabled(&self, enabled: bool) {
        let mut state = self.inner.lock();
        state.video_paused = !enabled;
        self.inner.update_gates(&state);
    }

    /// Holds the call (sends none of our media and plays none of the
    /// peer's, on every content, present or added later) or resumes it.
    /// Mutes are kept apart: after resuming, what was muted stays muted.
    pub fn set_on_hold(&self, on_hold: bool) {
        let mut state = self.inner.lock();
        state.held = on_hold;
        for gate in &state.playback_gates {
            gate.set_silenced(on_hold);
        }
        self.inner.update_gates(&state);
    }

    /// Lets our media out on content `index` or keeps it in (the peer
    /// changed who sends on it). Unknown contents are ignored.
    pub fn set_send_permitted(&self, index: usize, permitted: bool) {
        let mut state = self.inner.lock();
        if let Some(content) = state.contents.get_mut(index) {
            content.permitted = permitted;
        }
        self.inner.update_gates(&state);
    }

    /// Counters and transports of the call so far.
    pub fn stats(&self) -> MediaStats {
        self.inner.counters.snapshot()
    }

    /// The pipeline, for diagnostics (e.g. a DOT graph) only.
    pub fn pipeline(&self) -> &gst::Pipeline {
        &self.inner.pipeline
    }

    /// Stops all media at once; the engine accepts nothing after this.
    /// The call's TURN allocations are released in the background.
    pub fn close(&self) {
        let release = {
            let mut state = self.inner.lock();
            state.ended = true;
            state.started && !std::mem::replace(&mut state.relays_released, true)
        };
        if let Err(error) = self.inner.pipeline.set_state(gst::State::Null) {
            tracing::warn!("Could not stop the call's media: {error}");
        }
        if release {
            relays::release(&self.inner.webrtcbin);
        }
    }
}

impl Drop for MediaEngine {
    fn drop(&mut self) {
        self.close();
    }
}

/// STUN/TURN servers, local addresses and the ICE options Jingle allows.
fn configure_ice(webrtcbin: &gst::Element, config: &MediaConfig) -> Result<(), MediaError> {
    let mut have_stun = false;
    for server in &config.ice_servers {
        let uri = server.to_gst_uri()?;
        match server.kind {
            IceServerKind::Stun if !have_stun => {
                webrtcbin.set_property("stun-server", &uri);
                have_stun = true;
            }
            IceServerKind::Stun => {
                tracing::debug!(server = %server.host, "Only one STUN server is used");
            }
            IceServerKind::Turn | IceServerKind::Turns => {
                if !webrtcbin.emit_by_name::<bool>("add-turn-server", &[&uri]) {
                    return Err(MediaError::InvalidIceServer(server.host.clone()));
                }
            }
        }
    }
    if config.relay_only {
        // webrtcbin passes this to the ICE agent as "force relay": only
        // relayed candidates are gathered and checked.
        webrtcbin.set_property_from_str("ice-transport-policy", "relay");
    }
    let ice = webrtcbin.property::<gst_webrtc::WebRTCICE>("ice-agent");
    for address in &config.local_addresses {
        if !ice.emit_add_local_ip_address(&address.to_string()) {
            return Err(MediaError::Pipeline(format!(
                "the ICE agent refused the local address {address}"
            )));
        }
    }
    // XEP-0176 is ICE-UDP: no TCP candidates.
    if ice.has_property("ice-tcp") {
        ice.set_property("ice-tcp", false);
    }
    // No UPnP port mapping requests on the local network.
    if ice.has_property("agent") {
        let agent = ice.property::<gst::glib::Object>("agent");
        if agent.has_property("upnp") {
            agent.set_property("upnp", false);
        }
    }
    Ok(())
}

impl Inner {
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn send(&self, event: MediaEvent) {
        // The owner may have gone; then nobody needs to know.
        let _ = self.events.send(event);
    }

    /// Ends the media once: reports why and stops the pipeline from a
    /// thread of its own (this may run on a streaming thread).
    pub(super) fn fail(&self, reason: FailureReason, detail: String) {
        {
            let mut state = self.lock();
            if state.ended {
                return;
            }
            state.ended = true;
        }
        tracing::warn!(?reason, "Call media failed: {detail}");
        self.send(MediaEvent::Failed { reason, detail });
        let pipeline = self.pipeline.clone();
        let stopper = std::thread::Builder::new()
            .name("call-media-stop".into())
            .spawn(move || {
                if let Err(error) = pipeline.set_state(gst::State::Null) {
                    tracing::warn!("Could not stop the call's media: {error}");
                }
            });
        if let Err(error) = stopper {
            tracing::warn!("Could not stop the call's media: {error}");
        }
    }

    fn connect_signals(this: &Arc<Self>) {
        incoming::ask_for_lost_packets(&this.webrtcbin);

        let weak = Arc::downgrade(this);
        this.webrtcbin
            .connect("on-ice-candidate", false, move |values| {
                let inner = weak.upgrade()?;
                let mline = values.get(1).and_then(|v| v.get::<u32>().ok());
                let candidate = values.get(2).and_then(|v| v.get::<String>().ok());
                if let (Some(mline), Some(candidate)) = (mline, candidate) {
                    inner.send(MediaEvent::LocalCandidate { mline, candidate });
                }
                None
            });

        let weak = Arc::downgrade(this);
        this.webrtcbin.connect_pad_added(move |_, pad| {
            if let Some(inner) = weak.upgrade()
                && pad.direction() == gst::PadDirection::Src
                && let Err(error) = inner.link_incoming(pad)
            {
                inner.fail(FailureReason::Application, error.to_string());
            }
        });

        let weak = Arc::downgrade(this);
        if let Some(bus) = this.pipeline.bus() {
            bus.set_sync_handler(move |_, message| {
                if let (Some(inner), gst::MessageView::Error(error)) =
                    (weak.upgrade(), message.view())
                {
                    let source = error
                        .src()
                        .map(|s| s.path_string().to_string())
                        .unwrap_or_default();
                    let reason = if source.contains("nice") || source.contains("dtls") {
                        FailureReason::Transport
                    } else {
                        FailureReason::Application
                    };
                    inner.fail(reason, format!("{source}: {}", error.error()));
                }
                gst::BusSyncReply::Drop
            });
        }
    }

    pub(super) fn start(&self) -> Result<(), MediaError> {
        let mut state = self.lock();
        if state.ended {
            return Err(MediaError::Closed);
        }
        if !state.started {
            self.pipeline
                .set_state(gst::State::Playing)
                .map_err(|error| MediaError::Pipeline(error.to_string()))?;
            state.started = true;
        }
        Ok(())
    }

    /// Sets each send gate from the content's verification, its mute and
    /// the hold.
    pub(super) fn update_gates(&self, state: &State) {
        for content in &state.contents {
            let mline = content.transceiver.mlineindex();
            let verified = state.verified.contains(&mline);
            let muted = match content.kind {
                ContentKind::Audio => state.audio_muted,
                ContentKind::Video => state.video_paused,
            };
            // A content the peer does not let us send on is closed like a
            // held one.
            let closed = state.held || !content.permitted;
            let gate = SendGate::of(content.kind, verified, muted, closed);
            content.branch.set_gate(gate);
        }
    }
}
