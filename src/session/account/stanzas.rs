//! Incoming stanzas: messages, presence and IQs of one account.

use tokio_xmpp::Stanza;
use xmpp_parsers::iq::Iq;
use xmpp_parsers::message::Message;
use xmpp_parsers::presence::Presence;

use super::{AccountActor, PendingIq};
use crate::jingle::session::Signal;
use crate::model::{DeliveryState, Direction, Subscription, Timestamp};
use crate::session::{CoreError, Event};
use crate::store::NewMessage;
use crate::xmpp;
use crate::xmpp::muc::private::Route;
use crate::xmpp::presence::PresenceEvent;
use crate::xmpp::roster::RosterChange;

impl AccountActor {
    pub(super) async fn on_stanza(&mut self, stanza: Stanza) {
        match stanza {
            Stanza::Message(message) => self.on_message(message).await,
            Stanza::Presence(presence) => self.on_presence(presence).await,
            Stanza::Iq(iq) => self.on_iq(iq).await,
        }
    }

    async fn on_message(&mut self, message: Message) {
        // Call signalling (XEP-0353) is not chat.
        if let Some(signal) = xmpp::jingle_message::message_signal(&self.jid, &message) {
            self.on_call_signal(signal).await;
            return;
        }
        if self.on_room_message(&message).await {
            return;
        }
        let incoming = match xmpp::message::classify(&self.jid, message) {
            Ok(incoming) => incoming,
            Err(reason) => {
                tracing::debug!(account = %self.jid, ?reason, "Dropped a message");
                return;
            }
        };
        // A private message with a room's occupant is kept in the room's
        // conversation, marked private with that occupant's nickname.
        let route = xmpp::muc::private::route(&incoming, |jid| self.is_room(jid));
        let occupant_state = xmpp::muc::private::occupant_chat_state(&incoming, &route);
        let private_with = match route {
            Route::Private { nick } => Some(nick),
            Route::Drop => {
                tracing::debug!(account = %self.jid, "Dropped a private message from a room we are not in");
                return;
            }
            Route::Chat => None,
        };
        if let Some(condition) = &incoming.error {
            self.on_bounce(&incoming, condition).await;
            if let Some(nick) = private_with {
                self.private_message_bounced(incoming.peer.clone(), nick, condition);
            }
            return;
        }
        if let Some(receipt_id) = &incoming.receipt_for
            && incoming.direction == Direction::Incoming
        {
            match self
                .store
                .mark_delivered(self.jid.clone(), incoming.peer.clone(), receipt_id.clone())
                .await
            {
                Ok(Some(id)) => self.emit(Event::MessageStateChanged {
                    account: self.jid.clone(),
                    peer: incoming.peer.clone(),
                    id,
                    state: DeliveryState::Delivered,
                }),
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(account = %self.jid, "Could not store a receipt: {error}")
                }
            }
        }
        // An occupant's typing is the room's, by nickname.
        if let Some((nick, state)) = occupant_state {
            self.emit(Event::OccupantChatStateChanged {
                account: self.jid.clone(),
                room: incoming.peer.clone(),
                nick,
                state,
            });
        } else if let Some(state) = incoming.chat_state
            && incoming.direction == Direction::Incoming
            && private_with.is_none()
        {
            self.emit(Event::ChatStateChanged {
                account: self.jid.clone(),
                peer: incoming.peer.clone(),
                state,
            });
        }
        let Some(body) = incoming.body.clone() else {
            return;
        };
        let outgoing = incoming.direction == Direction::Outgoing;
        let room = private_with.map(|nick| self.private_message_info(&incoming, nick));
        let stored = self
            .store
            .insert_message(NewMessage {
                account: self.jid.clone(),
                peer: incoming.peer.clone(),
                direction: incoming.direction,
                body,
                timestamp: incoming.delayed.unwrap_or_else(Timestamp::now),
                state: if outgoing {
                    DeliveryState::Sent
                } else {
                    DeliveryState::Received
                },
                stanza_id: incoming.id.clone(),
                origin_id: incoming.origin_id.clone(),
                unread: !outgoing,
                room,
            })
            .await;
        // Acknowledge receipt even of duplicates (the sender may have missed
        // our first receipt), but never of a message we could not store.
        if stored.is_ok()
            && incoming.wants_receipt
            && let (Some(from), Some(id)) = (incoming.from.clone(), incoming.id.as_deref())
        {
            self.send(xmpp::message::receipt(from, id).into()).await;
        }
        match stored {
            Ok(Some(message)) => {
                self.emit(Event::MessageAdded { message });
                self.emit_chat(&incoming.peer).await;
            }
            Ok(None) => tracing::debug!(account = %self.jid, "Ignored a duplicate message"),
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not store a message: {error}")
            }
        }
    }

    pub(super) async fn on_bounce(&mut self, incoming: &xmpp::message::Incoming, condition: &str) {
        let key = incoming.origin_id.as_ref().or(incoming.id.as_ref());
        let Some((id, peer)) = key.and_then(|k| self.sent.get(k)).cloned() else {
            tracing::info!(account = %self.jid, condition, "A message bounced");
            return;
        };
        tracing::info!(account = %self.jid, condition, "Our message bounced");
        if let Err(error) = self.store.set_state(id, DeliveryState::Failed).await {
            tracing::error!(account = %self.jid, "Could not mark a message failed: {error}");
        }
        self.emit(Event::MessageStateChanged {
            account: self.jid.clone(),
            peer,
            id,
            state: DeliveryState::Failed,
        });
    }

    pub(super) async fn emit_chat(&self, peer: &xmpp_parsers::jid::BareJid) {
        match self.store.chat(self.jid.clone(), peer.clone()).await {
            Ok(chat) => self.emit(Event::ChatUpdated { chat }),
            Err(error) => tracing::error!(account = %self.jid, "Could not read a chat: {error}"),
        }
    }

    async fn on_presence(&mut self, presence: Presence) {
        if self.on_room_presence(&presence).await {
            return;
        }
        let event = xmpp::presence::classify(&presence);
        match &event {
            PresenceEvent::Available { from, .. } | PresenceEvent::Unavailable { from } => {
                if let PresenceEvent::Unavailable { from } = &event
                    && let Ok(full) = from.clone().try_into_full()
                {
                    self.call_peer_gone(full).await;
                }
                if from.to_bare() == self.jid {
                    // Our own other resources.
                    return;
                }
                if let Some((jid, _)) = self.presences.apply(&event)
                    && let Some(contact) = self.contact(&jid)
                {
                    self.emit(Event::ContactUpdated {
                        account: self.jid.clone(),
                        contact,
                    });
                }
            }
            PresenceEvent::SubscribeRequest { from } => {
                let approved = self.roster.get(from).is_some_and(|e| {
                    matches!(e.subscription, Subscription::From | Subscription::Both)
                });
                if approved {
                    // Already approved: confirm without bothering the user.
                    self.send(
                        xmpp::presence::subscription(
                            from,
                            xmpp_parsers::presence::Type::Subscribed,
                        )
                        .into(),
                    )
                    .await;
                } else {
                    self.emit(Event::SubscriptionRequested {
                        account: self.jid.clone(),
                        from: from.clone(),
                    });
                }
            }
            PresenceEvent::Subscribed { .. }
            | PresenceEvent::Unsubscribed { .. }
            | PresenceEvent::Ignored => {
                // Subscription state itself arrives as a roster push.
            }
        }
    }

    async fn on_iq(&mut self, iq: Iq) {
        if let Some(signal) = xmpp::jingle_message::iq_signal(&iq) {
            let for_calls = match &signal {
                Signal::IqResult { id, .. } | Signal::IqError { id, .. } => {
                    self.calls.awaits_iq(id)
                }
                _ => true,
            };
            if for_calls {
                self.on_call_signal(signal).await;
                return;
            }
        }
        match iq {
            Iq::Get {
                from, id, payload, ..
            } => {
                let reply = xmpp::disco::answer_get(from, &id, payload);
                self.send(reply.into()).await;
            }
            Iq::Set {
                from, id, payload, ..
            } => {
                if payload.is("query", xmpp_parsers::ns::ROSTER) {
                    match xmpp::roster::parse_push(&self.jid, from.as_ref(), payload) {
                        Ok((ver, change)) => {
                            self.apply_roster_change(ver, change).await;
                            let mut reply =
                                Iq::from_result(id, None::<xmpp_parsers::roster::Roster>);
                            *reply.to_mut() = from;
                            self.send(reply.into()).await;
                        }
                        Err(reason) => {
                            // RFC 6121 §2.1.6: ignore pushes not from our account.
                            tracing::warn!(account = %self.jid, ?reason, from = ?from,
                                "Ignored a roster push");
                        }
                    }
                } else if payload.is("services", xmpp::extdisco::NS) {
                    self.on_ice_push(from, id, payload).await;
                } else {
                    self.send(xmpp::disco::refuse(from, &id).into()).await;
                }
            }
            Iq::Result {
                from, id, payload, ..
            } => match self.pending_iqs.remove(&id) {
                Some(PendingIq::Room(kind)) => self.on_room_result(kind, payload).await,
                Some(PendingIq::Ice(kind)) => {
                    self.on_ice_result(kind, from.as_ref(), payload).await;
                }
                Some(PendingIq::Roster) => self.on_roster_result(payload).await,
                Some(PendingIq::RosterEdit { .. }) | Some(PendingIq::Carbons) | None => {}
            },
            Iq::Error { id, error, .. } => match self.pending_iqs.remove(&id) {
                Some(PendingIq::Room(kind)) => {
                    self.on_room_error(kind, xmpp::message::condition_name(&error))
                        .await;
                }
                Some(PendingIq::RosterEdit { jid }) => {
                    tracing::info!(account = %self.jid, %jid, "The server refused a roster change");
                    self.emit(Event::CommandFailed {
                        account: Some(self.jid.clone()),
                        error: CoreError::ServerRefused {
                            condition: xmpp::message::condition_name(&error),
                        },
                    });
                }
                Some(PendingIq::Roster) => {
                    tracing::warn!(account = %self.jid, "Could not fetch the roster: {}",
                        xmpp::message::condition_name(&error));
                }
                Some(PendingIq::Carbons) => {
                    tracing::info!(account = %self.jid, "The server does not support carbons");
                }
                Some(PendingIq::Ice(kind)) => {
                    self.on_ice_error(kind, &xmpp::message::condition_name(&error));
                }
                None => {}
            },
        }
    }

    async fn on_roster_result(&mut self, payload: Option<xmpp_parsers::minidom::Element>) {
        let Some((ver, entries)) = xmpp::roster::parse_result(payload) else {
            // Our cached version is current (RFC 6121 §2.6.3).
            return;
        };
        self.roster_ver = ver.clone();
        self.roster = entries
            .iter()
            .cloned()
            .map(|entry| (entry.jid.clone(), entry))
            .collect();
        let items = entries;
        if let Err(error) = self
            .store
            .replace_roster(self.jid.clone(), ver, items)
            .await
        {
            tracing::error!(account = %self.jid, "Could not store the roster: {error}");
        }
        let contacts = self
            .roster
            .keys()
            .filter_map(|jid| self.contact(jid))
            .collect();
        self.emit(Event::RosterReplaced {
            account: self.jid.clone(),
            contacts,
        });
    }

    async fn apply_roster_change(&mut self, ver: Option<String>, change: RosterChange) {
        if ver.is_some() {
            self.roster_ver = ver.clone();
        }
        match change {
            RosterChange::Upsert(entry) => {
                let jid = entry.jid.clone();
                self.roster.insert(jid.clone(), entry.clone());
                if let Err(error) = self
                    .store
                    .upsert_roster_item(self.jid.clone(), ver, entry)
                    .await
                {
                    tracing::error!(account = %self.jid, "Could not store a contact: {error}");
                }
                if let Some(contact) = self.contact(&jid) {
                    self.emit(Event::ContactUpdated {
                        account: self.jid.clone(),
                        contact,
                    });
                }
            }
            RosterChange::Remove(jid) => {
                self.roster.remove(&jid);
                if let Err(error) = self
                    .store
                    .remove_roster_item(self.jid.clone(), ver, jid.clone())
                    .await
                {
                    tracing::error!(account = %self.jid, "Could not remove a contact: {error}");
                }
                self.emit(Event::ContactRemoved {
                    account: self.jid.clone(),
                    jid,
                });
            }
        }
    }
}
