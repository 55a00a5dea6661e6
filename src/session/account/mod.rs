//! The actor of one account: owns its stanza stream, roster, presences and
//! outbox, and turns stanzas into store writes and [`Event`]s.

mod calls;
mod commands;
mod ice;
mod reconnect;
mod rooms;
mod stanzas;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use tokio::sync::{mpsc, oneshot};
use tokio_xmpp::Stanza;
use tokio_xmpp::stanzastream::StreamEvent as StreamState;
use tokio_xmpp::stanzastream::{Event as StreamEvent, StanzaStage, StanzaState, StanzaStream};
use xmpp_parsers::jid::BareJid;

use crate::model::{
    ChatMessage, ConnectionState, Contact, DeliveryState, MessageId, PresenceStatus, RosterItem,
};
use crate::session::Event;
use crate::session::connection::ConnectSettings;
use crate::store::StoreHandle;
use crate::xmpp::presence::PresenceBook;
use crate::xmpp::{self, WIRE_TARGET};

use calls::Calls;
pub(super) use commands::AccountCommand;
use reconnect::{Attempt, Reconnector};
pub(super) use rooms::{default_nick as default_room_nick, room_summary};

pub(crate) use crate::session::memory::EventSink;

/// Handle to a running account actor.
#[derive(Debug, Clone)]
pub(super) struct AccountHandle {
    commands: mpsc::UnboundedSender<AccountCommand>,
}

impl AccountHandle {
    /// Queue a command for the actor.
    pub(super) fn send(&self, command: AccountCommand) {
        if self.commands.send(command).is_err() {
            tracing::debug!("Could not reach an account actor: it has stopped");
        }
    }

    /// Sign out cleanly and wait until the actor has stopped.
    pub(super) async fn sign_out(&self) {
        let (done, wait) = oneshot::channel();
        if self.commands.send(AccountCommand::SignOut { done }).is_ok() {
            let _ = wait.await;
        }
    }
}

/// An outgoing message's fate as reported by the stream.
struct Ack {
    id: MessageId,
    peer: BareJid,
    accepted: bool,
}

/// IQs we sent and wait an answer for.
enum PendingIq {
    Roster,
    RosterEdit {
        jid: BareJid,
    },
    Carbons,
    Room(rooms::RoomIq),
    /// STUN/TURN discovery (XEP-0215).
    Ice(ice::IceIq),
}

pub(super) struct AccountActor {
    jid: BareJid,
    store: StoreHandle,
    events: EventSink,
    commands: mpsc::UnboundedReceiver<AccountCommand>,
    reconnector: Arc<Reconnector>,
    attempts: mpsc::UnboundedReceiver<Attempt>,
    stream: StanzaStream,
    acks_tx: mpsc::UnboundedSender<Ack>,
    acks: mpsc::UnboundedReceiver<Ack>,
    online: bool,
    stream_management: bool,
    own_presence: PresenceStatus,
    roster: HashMap<BareJid, RosterItem>,
    roster_ver: Option<String>,
    presences: PresenceBook,
    pending_iqs: HashMap<String, PendingIq>,
    /// Origin ids of messages sent in this run, to attribute bounces.
    sent: HashMap<String, (MessageId, BareJid)>,
    /// Audio/video calls.
    calls: Calls,
    /// Multi-user chat rooms.
    rooms: rooms::Rooms,
    /// STUN and TURN servers for calls.
    ice: ice::IceServices,
}

impl AccountActor {
    /// Start the actor for an account whose roster was loaded from the store.
    pub(super) fn spawn(
        settings: ConnectSettings,
        store: StoreHandle,
        events: EventSink,
        own_presence: PresenceStatus,
        (roster_ver, roster): (Option<String>, Vec<RosterItem>),
        call_media: crate::session::CallMedia,
        room_check_interval: std::time::Duration,
    ) -> AccountHandle {
        let (commands_tx, commands) = mpsc::unbounded_channel();
        let (reports, attempts) = mpsc::unbounded_channel();
        let (acks_tx, acks) = mpsc::unbounded_channel();
        let jid = settings.jid.clone();
        let reconnector = Arc::new(Reconnector {
            settings: Mutex::new(settings),
            wake: tokio::sync::Notify::new(),
            reports,
        });
        let stream = reconnector.stream();
        let actor = AccountActor {
            jid,
            store,
            events,
            commands,
            reconnector,
            attempts,
            stream,
            acks_tx,
            acks,
            online: false,
            stream_management: false,
            own_presence,
            roster: roster.into_iter().map(|e| (e.jid.clone(), e)).collect(),
            roster_ver,
            presences: PresenceBook::default(),
            pending_iqs: HashMap::new(),
            sent: HashMap::new(),
            calls: Calls::new(call_media),
            rooms: rooms::Rooms::new(room_check_interval),
            ice: ice::IceServices::new(),
        };
        tokio::spawn(actor.run());
        AccountHandle {
            commands: commands_tx,
        }
    }

    async fn run(mut self) {
        self.load_rooms().await;
        let mut room_ticks = tokio::time::interval(room_tick_period(self.rooms.check_after));
        room_ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                command = self.commands.recv() => match command {
                    None => break,
                    Some(AccountCommand::SignOut { done }) => {
                        self.sign_out().await;
                        let _ = done.send(());
                        return;
                    }
                    Some(command) => self.on_command(command).await,
                },
                event = self.stream.next() => match event {
                    Some(event) => self.on_stream_event(event).await,
                    None => {
                        tracing::warn!(account = %self.jid, "The stanza stream ended");
                        break;
                    }
                },
                Some(attempt) = self.attempts.recv() => self.on_attempt(attempt),
                Some(ack) = self.acks.recv() => self.on_ack(ack).await,
                Some(wake) = self.calls.wakes.recv() => self.on_call_wake(wake).await,
                Some(generation) = self.ice.wakes.recv() => self.on_ice_wake(generation).await,
                _ = room_ticks.tick() => self.rooms_tick().await,
            }
        }
    }

    fn emit(&self, event: Event) {
        let _ = self.events.send(event);
    }

    fn set_state(&self, state: ConnectionState) {
        self.emit(Event::ConnectionChanged {
            account: self.jid.clone(),
            state,
        });
    }

    fn on_attempt(&mut self, attempt: Attempt) {
        if self.online {
            return;
        }
        match attempt {
            Attempt::Started => self.set_state(ConnectionState::Connecting),
            Attempt::Failed {
                error,
                retry_in: Some(pause),
            } => self.set_state(ConnectionState::WaitingToReconnect {
                retry_in_secs: pause.as_secs().max(1),
                error,
            }),
            Attempt::Failed {
                error,
                retry_in: None,
            } => self.set_state(ConnectionState::Failed { error }),
        }
    }

    async fn on_stream_event(&mut self, event: StreamEvent) {
        match event {
            StreamEvent::Stream(StreamState::Reset {
                bound_jid,
                features,
            }) => {
                tracing::info!(account = %self.jid, %bound_jid, "Online (new session)");
                self.online = true;
                self.stream_management = features.stream_management.is_some();
                self.calls_bound(&bound_jid).await;
                self.start_session().await;
            }
            StreamEvent::Stream(StreamState::Resumed) => {
                tracing::info!(account = %self.jid, "Online (session resumed)");
                self.online = true;
                self.set_state(ConnectionState::Online);
            }
            StreamEvent::Stream(StreamState::Suspended) => {
                tracing::info!(account = %self.jid, "Connection lost; reconnecting");
                self.online = false;
                self.rooms_offline();
                self.set_state(ConnectionState::Connecting);
            }
            StreamEvent::Stanza(stanza) => {
                if tracing::enabled!(target: WIRE_TARGET, tracing::Level::TRACE) {
                    tracing::trace!(target: WIRE_TARGET, account = %self.jid, "RECV {}", wire(&stanza));
                }
                self.on_stanza(stanza).await;
            }
        }
    }

    /// A fresh session: everyone is offline until they say otherwise; fetch
    /// the roster, enable carbons, announce ourselves, send the outbox, and
    /// look for STUN/TURN servers.
    async fn start_session(&mut self) {
        for jid in self.presences.clear() {
            if let Some(contact) = self.contact(&jid) {
                self.emit(Event::ContactUpdated {
                    account: self.jid.clone(),
                    contact,
                });
            }
        }
        let id = xmpp::message::new_id();
        self.pending_iqs.insert(id.clone(), PendingIq::Roster);
        self.send(xmpp::roster::request(&id, self.roster_ver.as_deref()).into())
            .await;
        let id = xmpp::message::new_id();
        self.pending_iqs.insert(id.clone(), PendingIq::Carbons);
        let enable = xmpp_parsers::iq::Iq::from_set(id, xmpp_parsers::carbons::Enable);
        self.send(enable.into()).await;
        self.send_presence().await;
        self.set_state(ConnectionState::Online);
        self.flush_outbox().await;
        self.rooms_session_started().await;
        self.ice_session_started().await;
    }

    /// Our presence to the server, and to each joined room (rooms get
    /// directed presence only).
    async fn send_presence(&mut self) {
        let presence = xmpp::presence::own_presence(&self.own_presence, xmpp::disco::own_caps());
        let rooms: Vec<(BareJid, String)> = self
            .rooms
            .map
            .values()
            .filter(|r| r.joined())
            .map(|r| (r.summary.room.clone(), r.summary.nick.clone()))
            .collect();
        for (room, nick) in rooms {
            if let Ok(to) = room.with_resource_str(&nick) {
                let directed = presence.clone().with_to(xmpp_parsers::jid::Jid::from(to));
                self.send(directed.into()).await;
            }
        }
        self.send(presence.into()).await;
    }

    /// Send every pending outbox message; its state becomes `Sent` when the
    /// server acknowledges it (XEP-0198), or when written if the server
    /// has no stream management.
    async fn flush_outbox(&mut self) {
        if !self.online {
            return;
        }
        let pending = match self.store.outbox(self.jid.clone()).await {
            Ok(pending) => pending,
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not read the outbox: {error}");
                return;
            }
        };
        for message in pending {
            self.send_outgoing(message).await;
        }
    }

    /// Send one stored outgoing message unless it is already on its way.
    pub(super) async fn send_outgoing(&mut self, message: ChatMessage) {
        if !self.online {
            // It waits in the outbox for the next session.
            return;
        }
        let origin_id = message
            .origin_id
            .clone()
            .unwrap_or_else(xmpp::message::new_id);
        if self.sent.contains_key(&origin_id) {
            return;
        }
        let room_joined = self.rooms.map.get(&message.peer).map(|r| r.joined());
        let stanza = match rooms::outbound(&message, &origin_id, room_joined) {
            rooms::Outbound::Send(stanza) => *stanza,
            // Sent once we are in the room (`flush_room_outbox`).
            rooms::Outbound::Wait => return,
            rooms::Outbound::Fail => {
                tracing::info!(account = %self.jid, "A message can no longer be sent");
                if let Err(error) = self
                    .store
                    .set_state(message.id, DeliveryState::Failed)
                    .await
                {
                    tracing::error!(account = %self.jid, "Could not mark a message failed: {error}");
                }
                self.emit(Event::MessageStateChanged {
                    account: self.jid.clone(),
                    peer: message.peer,
                    id: message.id,
                    state: DeliveryState::Failed,
                });
                return;
            }
        };
        self.sent
            .insert(origin_id, (message.id, message.peer.clone()));
        let mut token = self.send_tracked(stanza.into()).await;
        let stage = if self.stream_management {
            StanzaStage::Acked
        } else {
            StanzaStage::Sent
        };
        let acks = self.acks_tx.clone();
        let (id, peer) = (message.id, message.peer);
        tokio::spawn(async move {
            let accepted = matches!(
                token.wait_for(stage).await,
                Some(StanzaState::Acked { .. }) | Some(StanzaState::Sent { .. })
            );
            let _ = acks.send(Ack { id, peer, accepted });
        });
    }

    async fn on_ack(&mut self, ack: Ack) {
        if !ack.accepted {
            // Dropped with the connection: it stays in the outbox and is
            // sent again on the next session.
            self.sent.retain(|_, (id, _)| *id != ack.id);
            return;
        }
        match self.store.set_state(ack.id, DeliveryState::Sent).await {
            Ok(true) => {}
            // Already delivered or bounced: the ack came late.
            Ok(false) => return,
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not mark a message sent: {error}");
                return;
            }
        }
        self.emit(Event::MessageStateChanged {
            account: self.jid.clone(),
            peer: ack.peer,
            id: ack.id,
            state: DeliveryState::Sent,
        });
    }

    async fn sign_out(mut self) {
        if self.online {
            self.end_all_calls().await;
            let presence =
                xmpp_parsers::presence::Presence::new(xmpp_parsers::presence::Type::Unavailable);
            self.send(presence.into()).await;
        }
        self.set_state(ConnectionState::Disabled);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(3), self.stream.close()).await;
    }

    /// Send a stanza (logging it under the wire target).
    async fn send(&mut self, stanza: Stanza) {
        let _ = self.send_tracked(stanza).await;
    }

    async fn send_tracked(&mut self, stanza: Stanza) -> tokio_xmpp::stanzastream::StanzaToken {
        if tracing::enabled!(target: WIRE_TARGET, tracing::Level::TRACE) {
            tracing::trace!(target: WIRE_TARGET, account = %self.jid, "SEND {}", wire(&stanza));
        }
        self.stream.send(Box::new(stanza)).await
    }

    fn contact(&self, jid: &BareJid) -> Option<Contact> {
        self.roster
            .get(jid)
            .map(|item| item.to_contact(self.presences.aggregate(jid)))
    }
}

/// How often rooms are looked at: often enough to notice a quiet room
/// soon after `check_after`, never more than once a second.
fn room_tick_period(check_after: std::time::Duration) -> std::time::Duration {
    (check_after / 4).clamp(
        std::time::Duration::from_secs(1),
        std::time::Duration::from_secs(60),
    )
}

/// A stanza as XML text, for `--print-xmpp`.
fn wire(stanza: &Stanza) -> String {
    let element = match stanza {
        Stanza::Message(m) => xmpp_parsers::minidom::Element::from(m.clone()),
        Stanza::Presence(p) => xmpp_parsers::minidom::Element::from(p.clone()),
        Stanza::Iq(i) => xmpp_parsers::minidom::Element::from(i.clone()),
    };
    String::from(&element)
}
