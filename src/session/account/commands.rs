//! Commands the supervisor forwards to one account actor.

use tokio::sync::oneshot;
use xmpp_parsers::jid::BareJid;
use xmpp_parsers::presence::Type as PresenceType;

use super::{AccountActor, PendingIq};
use crate::model::{ChatMessage, ChatState, PresenceStatus};
use crate::session::{CoreError, Event};
use crate::xmpp;

/// What the supervisor asks of an account actor.
#[derive(Debug)]
pub(in crate::session) enum AccountCommand {
    /// Retry connecting now (new password, trusted certificate, or the
    /// user pressed "Reconnect").
    Reconnect {
        /// New password, if the user gave one.
        password: Option<String>,
        /// Newly trusted certificate fingerprint, if any.
        trusted_cert: Option<String>,
    },
    /// Change our presence.
    SetPresence { presence: PresenceStatus },
    /// Add a contact and ask for a subscription.
    AddContact { jid: BareJid, name: Option<String> },
    /// Rename a contact.
    RenameContact { jid: BareJid, name: Option<String> },
    /// Remove a contact.
    RemoveContact { jid: BareJid },
    /// Answer a subscription request.
    AnswerSubscription { jid: BareJid, accept: bool },
    /// A message the user just wrote, already in the outbox.
    SendStored { message: ChatMessage },
    /// Send a chat-state notification.
    SetChatState { peer: BareJid, state: ChatState },
    /// Send a raw stanza from the XML console.
    SendRaw { xml: String },
    /// Call a contact.
    PlaceCall { peer: BareJid, video: bool },
    /// Act on a call.
    CallAction {
        call: crate::model::CallId,
        action: crate::jingle::session::UserAction,
    },
    /// The store has nothing older than `local` in this chat: extend it
    /// from the room's archive if it is a room with one.
    LoadOlderArchive {
        peer: BareJid,
        local: Vec<ChatMessage>,
    },
    /// A room command (`Command::room_account` is `Some`).
    Room { command: crate::session::Command },
    /// Sign out and stop.
    SignOut { done: oneshot::Sender<()> },
}

impl AccountActor {
    pub(super) async fn on_command(&mut self, command: AccountCommand) {
        match command {
            AccountCommand::Reconnect {
                password,
                trusted_cert,
            } => {
                if let Ok(mut settings) = self.reconnector.settings.lock() {
                    if let Some(password) = password {
                        settings.password = password;
                    }
                    if let Some(fingerprint) = trusted_cert {
                        settings.tls.pinned_sha256 = Some(fingerprint);
                    }
                }
                self.reconnector.wake.notify_one();
            }
            AccountCommand::SetPresence { presence } => {
                self.own_presence = presence;
                if self.online {
                    self.send_presence().await;
                }
            }
            AccountCommand::AddContact { jid, name } => {
                if !self.require_online() {
                    return;
                }
                let id = xmpp::message::new_id();
                self.pending_iqs
                    .insert(id.clone(), PendingIq::RosterEdit { jid: jid.clone() });
                self.send(xmpp::roster::set_item(&id, &jid, name.as_deref(), &[]).into())
                    .await;
                self.send(xmpp::presence::subscription(&jid, PresenceType::Subscribe).into())
                    .await;
            }
            AccountCommand::RenameContact { jid, name } => {
                if !self.require_online() {
                    return;
                }
                let groups = self
                    .roster
                    .get(&jid)
                    .map(|e| e.groups.clone())
                    .unwrap_or_default();
                let id = xmpp::message::new_id();
                self.pending_iqs
                    .insert(id.clone(), PendingIq::RosterEdit { jid: jid.clone() });
                self.send(xmpp::roster::set_item(&id, &jid, name.as_deref(), &groups).into())
                    .await;
            }
            AccountCommand::RemoveContact { jid } => {
                if !self.require_online() {
                    return;
                }
                let id = xmpp::message::new_id();
                self.pending_iqs
                    .insert(id.clone(), PendingIq::RosterEdit { jid: jid.clone() });
                self.send(xmpp::roster::remove_item(&id, &jid).into()).await;
            }
            AccountCommand::AnswerSubscription { jid, accept } => {
                if !self.require_online() {
                    return;
                }
                if accept {
                    self.send(xmpp::presence::subscription(&jid, PresenceType::Subscribed).into())
                        .await;
                    // Ask back unless we already see their presence.
                    let sees_them = self.roster.get(&jid).is_some_and(|e| {
                        matches!(
                            e.subscription,
                            crate::model::Subscription::To | crate::model::Subscription::Both
                        ) || e.pending_out
                    });
                    if !sees_them {
                        self.send(
                            xmpp::presence::subscription(&jid, PresenceType::Subscribe).into(),
                        )
                        .await;
                    }
                } else {
                    self.send(
                        xmpp::presence::subscription(&jid, PresenceType::Unsubscribed).into(),
                    )
                    .await;
                }
            }
            AccountCommand::SendStored { message } => self.send_outgoing(message).await,
            AccountCommand::SendRaw { xml } => {
                let parsed = xml
                    .parse::<xmpp_parsers::minidom::Element>()
                    .map_err(|e| e.to_string())
                    .and_then(|element| {
                        tokio_xmpp::Stanza::try_from(element).map_err(|e| format!("{e:?}"))
                    });
                match parsed {
                    Ok(stanza) if self.require_online() => self.send(stanza).await,
                    Ok(_) => {}
                    Err(detail) => self.emit(Event::CommandFailed {
                        account: Some(self.jid.clone()),
                        error: CoreError::InvalidXml { detail },
                    }),
                }
            }
            AccountCommand::SetChatState { peer, state } => {
                if self.online {
                    self.send(xmpp::message::chat_state(&peer, state).into())
                        .await;
                }
            }
            AccountCommand::PlaceCall { peer, video } => self.place_call(peer, video).await,
            AccountCommand::CallAction { call, action } => self.call_action(call, action).await,
            AccountCommand::Room { command } => self.on_room_command(command).await,
            AccountCommand::LoadOlderArchive { peer, local } => {
                self.load_older_from_archive(peer, local).await;
            }
            // Handled by the run loop before dispatch.
            AccountCommand::SignOut { .. } => {}
        }
    }

    pub(super) fn require_online(&self) -> bool {
        if !self.online {
            self.emit(Event::CommandFailed {
                account: Some(self.jid.clone()),
                error: CoreError::Offline,
            });
        }
        self.online
    }
}
