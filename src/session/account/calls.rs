//! The calls of one account: the call machine, one media bridge per call,
//! and the call timers, wired to the actor's stanza stream and events.
//!
//! Stanzas reach the [`CallManager`] as [`Signal`]s; its outputs are
//! applied here: stanzas go out through the actor's send path, media
//! commands into the call's [`MediaBridge`], timers onto tokio, and news
//! out as [`Event`]s. The engines' events and fired timers come back
//! through one channel the actor's loop selects on.

use std::collections::{HashMap, VecDeque};

use tokio::sync::mpsc;
use xmpp_parsers::jid::{BareJid, FullJid, Jid};
use xmpp_parsers::jingle::Creator;

use super::AccountActor;
use crate::jingle::bridge::{BridgeOutput, MediaBridge};
use crate::jingle::media;
use crate::jingle::session::{
    CallEvent, CallManager, CallOutput, CallTarget, Input, MediaEvent, MonotonicTime, Output,
    Signal, TimerKind, UserAction,
};
use crate::model::{CallDirection, CallId, CallState, CallSummary, MediaKind};
use crate::session::{CallMedia, CoreError, Event};

/// Something for the calls that happened outside the stanza stream.
#[derive(Debug)]
pub(super) enum CallWake {
    /// A call's media engine reported.
    Media {
        /// The call.
        call: CallId,
        /// What the engine said.
        event: media::MediaEvent,
    },
    /// A call timer fired.
    Timer {
        /// The call.
        call: CallId,
        /// Which timer.
        kind: TimerKind,
        /// Which setting of it (a later setting replaces an earlier one).
        generation: u64,
    },
}

/// The calls of one account.
pub(super) struct Calls {
    sources: CallMedia,
    manager: Option<CallManager>,
    start: tokio::time::Instant,
    bridges: HashMap<CallId, MediaBridge>,
    summaries: HashMap<CallId, CallSummary>,
    timers: HashMap<(CallId, TimerKind), u64>,
    next_generation: u64,
    wake_tx: mpsc::UnboundedSender<CallWake>,
    /// Engine events and fired timers, for the actor's loop.
    pub(super) wakes: mpsc::UnboundedReceiver<CallWake>,
}

impl Calls {
    /// No calls yet; media from `sources`.
    pub(super) fn new(sources: CallMedia) -> Self {
        let (wake_tx, wakes) = mpsc::unbounded_channel();
        Self {
            sources,
            manager: None,
            start: tokio::time::Instant::now(),
            bridges: HashMap::new(),
            summaries: HashMap::new(),
            timers: HashMap::new(),
            next_generation: 0,
            wake_tx,
            wakes,
        }
    }

    fn now(&self) -> MonotonicTime {
        MonotonicTime::since_start(self.start.elapsed())
    }

    /// Whether a call waits for the answer to this IQ.
    pub(super) fn awaits_iq(&self, id: &str) -> bool {
        self.manager.as_ref().is_some_and(|m| m.awaits_iq(id))
    }

    fn set_timer(&mut self, call: CallId, kind: TimerKind, at: MonotonicTime) {
        self.next_generation += 1;
        let generation = self.next_generation;
        self.timers.insert((call.clone(), kind), generation);
        let delay = at.elapsed().saturating_sub(self.start.elapsed());
        let wake = self.wake_tx.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = wake.send(CallWake::Timer {
                call,
                kind,
                generation,
            });
        });
    }
}

/// A fresh call id: 128 random bits written like a UUIDv4 (XEP-0353 §3.1).
fn new_call_id() -> CallId {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    CallId::new(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

impl AccountActor {
    /// A new session was bound to `bound`: calls are addressed to it.
    pub(super) async fn calls_bound(&mut self, bound: &Jid) {
        let Ok(own) = bound.clone().try_into_full() else {
            tracing::warn!(account = %self.jid, "Bound to a bare JID: calls are off");
            return;
        };
        if self.calls.manager.is_some() {
            // The old session's calls cannot continue on the new one.
            self.end_all_calls().await;
        }
        self.calls.manager = Some(CallManager::new(own));
    }

    /// End every call (the account goes offline).
    pub(super) async fn end_all_calls(&mut self) {
        let now = self.calls.now();
        let outputs = match self.calls.manager.as_mut() {
            Some(manager) => manager.shutdown(now),
            None => return,
        };
        self.apply_call_outputs(outputs).await;
    }

    /// A call signal read from a stanza.
    pub(super) async fn on_call_signal(&mut self, signal: Signal) {
        let now = self.calls.now();
        let Some(manager) = self.calls.manager.as_mut() else {
            return;
        };
        let outputs = manager.handle_signal(now, signal);
        let new_call = outputs
            .iter()
            .any(|o| matches!(o.output, Output::Event(CallEvent::New { .. })));
        self.apply_call_outputs(outputs).await;
        if new_call {
            self.ice_before_call().await;
        }
    }

    /// The user places a call.
    pub(super) async fn place_call(&mut self, peer: BareJid, video: bool) {
        if !self.require_online() {
            return;
        }
        let now = self.calls.now();
        let Some(manager) = self.calls.manager.as_mut() else {
            return;
        };
        let media: &[MediaKind] = if video {
            &[MediaKind::Audio, MediaKind::Video]
        } else {
            &[MediaKind::Audio]
        };
        match manager.place_call(now, new_call_id(), CallTarget::Jmi(peer.clone()), media) {
            Ok(outputs) => {
                self.apply_call_outputs(outputs).await;
                self.ice_before_call().await;
            }
            Err(error) => {
                tracing::info!(account = %self.jid, "Could not place a call: {error}");
                self.emit(Event::CommandFailed {
                    account: Some(self.jid.clone()),
                    error: CoreError::InvalidAddress {
                        input: peer.to_string(),
                    },
                });
            }
        }
    }

    /// The user acts on a call.
    pub(super) async fn call_action(&mut self, call: CallId, action: UserAction) {
        self.feed_call(&call, Input::User(action)).await;
    }

    async fn feed_call(&mut self, call: &CallId, input: Input) {
        let now = self.calls.now();
        let Some(manager) = self.calls.manager.as_mut() else {
            return;
        };
        let outputs = manager.handle(now, call, input);
        self.apply_call_outputs(outputs).await;
    }

    /// An engine event or a timer.
    pub(super) async fn on_call_wake(&mut self, wake: CallWake) {
        match wake {
            CallWake::Timer {
                call,
                kind,
                generation,
            } => {
                let key = (call.clone(), kind);
                if self.calls.timers.get(&key) != Some(&generation) {
                    return;
                }
                self.calls.timers.remove(&key);
                self.feed_call(&call, Input::Timer(kind)).await;
            }
            CallWake::Media { call, event } => {
                let Some(bridge) = self.calls.bridges.get_mut(&call) else {
                    return;
                };
                let outputs = match bridge.on_engine_event(event) {
                    Ok(outputs) => outputs,
                    Err(error) => {
                        tracing::info!(account = %self.jid, %call,
                            "Could not use the media engine's description: {error}");
                        vec![BridgeOutput::Machine(MediaEvent::ApplicationFailed)]
                    }
                };
                for output in outputs {
                    match output {
                        BridgeOutput::Machine(event) => {
                            self.feed_call(&call, Input::Media(event)).await;
                        }
                        BridgeOutput::FirstDecoded(media) => self.emit(Event::CallMediaFlowing {
                            account: self.jid.clone(),
                            call: call.clone(),
                            media,
                        }),
                    }
                }
            }
        }
    }

    /// Apply the call machine's outputs, and what they lead to.
    async fn apply_call_outputs(&mut self, outputs: Vec<CallOutput>) {
        let mut queue: VecDeque<CallOutput> = outputs.into();
        while let Some(CallOutput { call, output }) = queue.pop_front() {
            match output {
                Output::SendMessage(message) => self.send((*message).into()).await,
                Output::SendIq(iq) => self.send((*iq).into()).await,
                Output::Event(event) => {
                    if let Some(call) = call {
                        self.on_call_event(call, event);
                    }
                }
                Output::SetTimer { at, kind } => {
                    if let Some(call) = call {
                        self.calls.set_timer(call, kind, at);
                    }
                }
                Output::CancelTimer { kind } => {
                    if let Some(call) = call {
                        self.calls.timers.remove(&(call, kind));
                    }
                }
                Output::Media(command) => {
                    let Some(call) = call else { continue };
                    if let Err(error) = self.media_command(&call, command) {
                        tracing::info!(account = %self.jid, %call,
                            "Could not drive the call's media: {error}");
                        let now = self.calls.now();
                        if let Some(manager) = self.calls.manager.as_mut() {
                            let failed = Input::Media(MediaEvent::ApplicationFailed);
                            queue.extend(manager.handle(now, &call, failed));
                        }
                    }
                }
            }
        }
    }

    fn media_command(
        &mut self,
        call: &CallId,
        command: crate::jingle::session::MediaCommand,
    ) -> Result<(), crate::jingle::bridge::BridgeError> {
        use crate::jingle::session::MediaCommand;
        if matches!(command, MediaCommand::Stop) {
            if let Some(mut bridge) = self.calls.bridges.remove(call) {
                bridge.apply(command)?;
            }
            return Ok(());
        }
        if !self.calls.bridges.contains_key(call) {
            let outgoing = self
                .calls
                .manager
                .as_ref()
                .and_then(|manager| manager.call(call))
                .is_some_and(|c| c.direction() == CallDirection::Outgoing);
            let role = if outgoing {
                Creator::Initiator
            } else {
                Creator::Responder
            };
            let mut config = self.calls.sources.media_config();
            config.ice_servers = self.ice.for_call();
            if config.relay_only && config.ice_servers.is_empty() {
                tracing::warn!(account = %self.jid, %call,
                    "Calls may only be relayed, but no TURN server is known");
            }
            let (bridge, mut events) = MediaBridge::new(config, role)?;
            let wake = self.calls.wake_tx.clone();
            let id = call.clone();
            tokio::spawn(async move {
                while let Some(event) = events.recv().await {
                    let call = id.clone();
                    if wake.send(CallWake::Media { call, event }).is_err() {
                        break;
                    }
                }
            });
            self.calls.bridges.insert(call.clone(), bridge);
        }
        match self.calls.bridges.get_mut(call) {
            Some(bridge) => bridge.apply(command),
            None => Ok(()),
        }
    }

    fn on_call_event(&mut self, call: CallId, event: CallEvent) {
        let account = self.jid.clone();
        match event {
            CallEvent::New {
                peer,
                direction,
                media,
            } => {
                let state = match direction {
                    CallDirection::Incoming => CallState::Ringing,
                    CallDirection::Outgoing => CallState::Proposed,
                };
                let summary = CallSummary::new(call.clone(), peer, direction, media, state);
                self.calls.summaries.insert(call, summary.clone());
                self.emit(Event::CallUpdated {
                    account,
                    call: summary,
                });
            }
            CallEvent::StateChanged { state } => {
                if let CallState::Ended { reason } = state {
                    if let Some(mut summary) = self.calls.summaries.remove(&call) {
                        summary.state = state;
                        self.emit(Event::CallUpdated {
                            account: account.clone(),
                            call: summary,
                        });
                    }
                    self.calls.timers.retain(|(id, _), _| *id != call);
                    if let Some(bridge) = self.calls.bridges.remove(&call) {
                        bridge.engine().close();
                    }
                    self.emit(Event::CallEnded {
                        account,
                        call,
                        reason,
                    });
                    return;
                }
                self.update_summary(&call, |s| {
                    let changed = s.state != state;
                    s.state = state;
                    changed
                });
            }
            // An answer reports the call's media, most often the media
            // the call was offered with.
            CallEvent::MediaChanged { media } => self.update_summary(&call, |s| {
                let changed = s.media != media;
                s.set_media(media);
                changed
            }),
            CallEvent::MediaAddRequested { media } => {
                self.emit(Event::CallMediaRequested {
                    account,
                    call,
                    media,
                });
            }
            CallEvent::MediaAddRejected { media } => {
                tracing::info!(account = %self.jid, %call, ?media, "The peer refused added media");
            }
            CallEvent::PeerMuted { media, muted } => {
                tracing::debug!(account = %self.jid, %call, ?media, muted, "The peer muted");
                self.update_summary(&call, |s| s.set_peer_muted(media, muted));
            }
            CallEvent::Hold { on_hold } => {
                tracing::debug!(account = %self.jid, %call, on_hold, "Our hold");
                self.update_summary(&call, |s| s.set_on_hold(on_hold));
            }
            CallEvent::PeerHold { on_hold } => {
                tracing::debug!(account = %self.jid, %call, on_hold, "The peer's hold");
                self.update_summary(&call, |s| s.set_peer_on_hold(on_hold));
            }
        }
    }

    /// Change a call's summary; the UI hears of it only if `change` says
    /// it changed anything (a peer may repeat a mute, or send one for
    /// media it does not have).
    fn update_summary(&mut self, call: &CallId, change: impl FnOnce(&mut CallSummary) -> bool) {
        let Some(summary) = self.calls.summaries.get_mut(call) else {
            return;
        };
        if !change(summary) {
            return;
        }
        let summary = summary.clone();
        self.emit(Event::CallUpdated {
            account: self.jid.clone(),
            call: summary,
        });
    }

    /// A contact's resource went offline.
    pub(super) async fn call_peer_gone(&mut self, from: FullJid) {
        if self.calls.summaries.is_empty() {
            return;
        }
        self.on_call_signal(Signal::PeerUnavailable { from: from.into() })
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_ids_look_like_uuid_v4() {
        let id = new_call_id();
        let text = id.as_str();
        assert_eq!(text.len(), 36);
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(new_call_id(), new_call_id());
    }
}
