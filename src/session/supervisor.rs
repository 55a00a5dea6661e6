//! The supervisor: loads accounts, starts one actor per enabled account,
//! and dispatches the UI's commands. Writes that must survive (outgoing
//! messages) hit the store before anything is sent.

use std::collections::HashMap;
use std::sync::Arc;

use futures::future::join_all;
use tokio::sync::mpsc;
use xmpp_parsers::jid::BareJid;

use super::SessionConfig;
use super::account::{AccountActor, AccountCommand, AccountHandle, EventSink};
use super::connection::{ConnectSettings, TlsPolicy, load_pem_roots};
use super::credentials::Credentials;
use super::{Command, ConnectError, CoreError, Event};
use crate::jingle::session::UserAction;
use crate::model::{AccountSummary, ConnectionState, PresenceStatus, Timestamp};
use crate::store::{AccountRecord, StoreHandle};
use crate::xmpp;
use tokio_rustls::rustls::pki_types::CertificateDer;

/// Messages loaded per page of history.
const PAGE: u32 = 50;
/// A chat opens on its oldest unread message when there are at most this
/// many messages from it to the newest; all of them are loaded at once.
/// Beyond that, it opens on the newest: few readers go through a thousand
/// messages, and the view would hold them all.
const UNREAD_OPENED_AT_MOST: u32 = 1000;
/// Read messages loaded above the oldest unread one, so the reader sees
/// what the new ones follow.
const READ_ABOVE_UNREAD: u32 = 10;

struct AccountEntry {
    record: AccountRecord,
    actor: Option<AccountHandle>,
}

pub(super) struct Supervisor {
    store: StoreHandle,
    credentials: Credentials,
    events: EventSink,
    accounts: HashMap<BareJid, AccountEntry>,
    own_presence: PresenceStatus,
    extra_roots: Arc<Vec<CertificateDer<'static>>>,
    name_server: Option<std::net::SocketAddr>,
    call_media: super::CallMedia,
    room_check_interval: std::time::Duration,
}

fn summary(record: &AccountRecord) -> AccountSummary {
    AccountSummary {
        jid: record.jid.clone(),
        enabled: record.enabled,
        server: record.server.clone(),
    }
}

fn storage(error: impl std::fmt::Display) -> CoreError {
    CoreError::Storage {
        detail: error.to_string(),
    }
}

impl Supervisor {
    /// Open the store and run until `Command::Shutdown`.
    pub(super) async fn run(
        config: SessionConfig,
        events: EventSink,
        mut commands: mpsc::UnboundedReceiver<Command>,
    ) {
        let data_dir = config.data_dir;
        let extra_roots = Arc::new(load_pem_roots(&config.extra_trust_anchors));
        let store = match std::fs::create_dir_all(&data_dir)
            .map_err(storage)
            .and_then(|_| StoreHandle::open(&data_dir.join("warbler.sqlite3")).map_err(storage))
        {
            Ok(store) => store,
            Err(error) => {
                tracing::error!("Could not open the message store: {error}");
                let _ = events.send(Event::CommandFailed {
                    account: None,
                    error,
                });
                // Without a store nothing can be kept: answer shutdown only.
                while let Some(command) = commands.recv().await {
                    if matches!(command, Command::Shutdown) {
                        break;
                    }
                }
                let _ = events.send(Event::ShutdownComplete);
                return;
            }
        };
        let mut this = Supervisor {
            store,
            credentials: Credentials,
            events,
            accounts: HashMap::new(),
            extra_roots,
            name_server: config.name_server,
            call_media: config.call_media,
            room_check_interval: config.room_check_interval,
            own_presence: PresenceStatus {
                show: crate::model::PresenceShow::Available,
                status: None,
            },
        };
        this.load().await;
        while let Some(command) = commands.recv().await {
            if matches!(command, Command::Shutdown) {
                break;
            }
            this.on_command(command).await;
        }
        this.shutdown().await;
    }

    fn emit(&self, event: Event) {
        let _ = self.events.send(event);
    }

    fn fail(&self, account: Option<BareJid>, error: CoreError) {
        tracing::info!(account = ?account, "A command failed: {error}");
        self.emit(Event::CommandFailed { account, error });
    }

    async fn load(&mut self) {
        let records = self.store.accounts().await.unwrap_or_else(|error| {
            tracing::error!("Could not load accounts: {error}");
            Vec::new()
        });
        self.emit(Event::AccountsLoaded {
            accounts: records.iter().map(summary).collect(),
        });
        match self.store.chats().await {
            Ok(chats) => self.emit(Event::ChatsLoaded { chats }),
            Err(error) => tracing::error!("Could not load chats: {error}"),
        }
        match self.store.rooms().await {
            Ok(rooms) => self.emit(Event::RoomsLoaded {
                rooms: rooms.iter().map(super::account::room_summary).collect(),
            }),
            Err(error) => tracing::error!("Could not load rooms: {error}"),
        }
        for record in records {
            let jid = record.jid.clone();
            self.accounts.insert(
                jid.clone(),
                AccountEntry {
                    record,
                    actor: None,
                },
            );
            self.start_account(&jid).await;
        }
    }

    /// Emit the stored roster and, if enabled, start the account's actor.
    async fn start_account(&mut self, jid: &BareJid) {
        let Some(entry) = self.accounts.get(jid) else {
            return;
        };
        let record = entry.record.clone();
        let (ver, roster) = self
            .store
            .roster(jid.clone())
            .await
            .unwrap_or_else(|error| {
                tracing::error!(account = %jid, "Could not load the roster: {error}");
                (None, Vec::new())
            });
        // Everyone is offline until the server says otherwise.
        self.emit(Event::RosterReplaced {
            account: jid.clone(),
            contacts: roster
                .iter()
                .map(|item| item.to_contact(PresenceStatus::default()))
                .collect(),
        });
        if !record.enabled {
            self.emit(Event::ConnectionChanged {
                account: jid.clone(),
                state: ConnectionState::Disabled,
            });
            return;
        }
        let password = match self.credentials.load(&jid.to_string()).await {
            Ok(Some(password)) => password,
            Ok(None) => {
                self.emit(Event::ConnectionChanged {
                    account: jid.clone(),
                    state: ConnectionState::Failed {
                        error: ConnectError::WrongPassword,
                    },
                });
                String::new()
            }
            Err(error) => {
                self.emit(Event::ConnectionChanged {
                    account: jid.clone(),
                    state: ConnectionState::Failed { error },
                });
                return;
            }
        };
        let settings = ConnectSettings {
            jid: jid.clone(),
            resource: record.resource.clone(),
            password,
            server: record.server.clone(),
            name_server: self.name_server,
            tls: TlsPolicy {
                pinned_sha256: record.trusted_cert_sha256.clone(),
                extra_roots: Arc::clone(&self.extra_roots),
            },
        };
        let handle = AccountActor::spawn(
            settings,
            self.store.clone(),
            self.events.clone(),
            self.own_presence.clone(),
            (ver, roster),
            self.call_media.clone(),
            self.room_check_interval,
        );
        if let Some(entry) = self.accounts.get_mut(jid) {
            entry.actor = Some(handle);
        }
    }

    async fn stop_account(&mut self, jid: &BareJid) {
        let actor = self.accounts.get_mut(jid).and_then(|e| e.actor.take());
        if let Some(actor) = actor {
            actor.sign_out().await;
        }
    }

    fn actor(&self, jid: &BareJid) -> Result<&AccountHandle, CoreError> {
        match self.accounts.get(jid) {
            None => Err(CoreError::NoSuchAccount),
            Some(AccountEntry { actor: None, .. }) => Err(CoreError::Offline),
            Some(AccountEntry {
                actor: Some(actor), ..
            }) => Ok(actor),
        }
    }

    fn call_action(&self, account: &BareJid, call: crate::model::CallId, action: UserAction) {
        self.forward(account, AccountCommand::CallAction { call, action });
    }

    fn forward(&self, account: &BareJid, command: AccountCommand) {
        match self.actor(account) {
            Ok(actor) => actor.send(command),
            Err(error) => self.fail(Some(account.clone()), error),
        }
    }

    async fn on_command(&mut self, command: Command) {
        if let Some(account) = command.room_account().cloned() {
            self.forward(&account, AccountCommand::Room { command });
            return;
        }
        match command {
            Command::AddAccount {
                jid,
                password,
                server,
            } => self.add_account(jid, password, server).await,
            Command::UpdatePassword { account, password } => {
                if let Err(error) = self
                    .credentials
                    .store(&account.to_string(), &password)
                    .await
                {
                    self.fail(
                        Some(account),
                        CoreError::Keyring {
                            detail: error.to_string(),
                        },
                    );
                    return;
                }
                self.forward(
                    &account,
                    AccountCommand::Reconnect {
                        password: Some(password),
                        trusted_cert: None,
                    },
                );
            }
            Command::TrustCertificate { account, sha256 } => {
                let Some(entry) = self.accounts.get_mut(&account) else {
                    self.fail(Some(account), CoreError::NoSuchAccount);
                    return;
                };
                entry.record.trusted_cert_sha256 = Some(sha256.clone());
                let record = entry.record.clone();
                if let Err(error) = self.store.upsert_account(record).await {
                    self.fail(Some(account.clone()), storage(error));
                }
                self.forward(
                    &account,
                    AccountCommand::Reconnect {
                        password: None,
                        trusted_cert: Some(sha256),
                    },
                );
            }
            Command::SetAccountEnabled { account, enabled } => {
                let Some(entry) = self.accounts.get_mut(&account) else {
                    self.fail(Some(account), CoreError::NoSuchAccount);
                    return;
                };
                entry.record.enabled = enabled;
                let record = entry.record.clone();
                if let Err(error) = self.store.upsert_account(record.clone()).await {
                    self.fail(Some(account.clone()), storage(error));
                }
                self.emit(Event::AccountUpdated {
                    account: summary(&record),
                });
                self.stop_account(&account).await;
                if enabled {
                    self.start_account(&account).await;
                } else {
                    self.emit(Event::ConnectionChanged {
                        account,
                        state: ConnectionState::Disabled,
                    });
                }
            }
            Command::RemoveAccount { account } => {
                self.stop_account(&account).await;
                self.accounts.remove(&account);
                if let Err(error) = self.credentials.delete(&account.to_string()).await {
                    tracing::warn!(%account, "Could not delete the password: {error}");
                }
                if let Err(error) = self.store.remove_account(account.clone()).await {
                    self.fail(Some(account.clone()), storage(error));
                }
                self.emit(Event::AccountRemoved { account });
            }
            Command::ReconnectNow { account } => {
                self.forward(
                    &account,
                    AccountCommand::Reconnect {
                        password: None,
                        trusted_cert: None,
                    },
                );
            }
            Command::SetPresence { show, status } => {
                self.own_presence = PresenceStatus { show, status };
                for entry in self.accounts.values() {
                    if let Some(actor) = &entry.actor {
                        actor.send(AccountCommand::SetPresence {
                            presence: self.own_presence.clone(),
                        });
                    }
                }
                self.emit(Event::OwnPresenceChanged {
                    presence: self.own_presence.clone(),
                });
            }
            Command::AddContact { account, jid, name } => {
                self.forward(&account, AccountCommand::AddContact { jid, name });
            }
            Command::RenameContact { account, jid, name } => {
                self.forward(&account, AccountCommand::RenameContact { jid, name });
            }
            Command::RemoveContact { account, jid } => {
                self.forward(&account, AccountCommand::RemoveContact { jid });
            }
            Command::AnswerSubscription {
                account,
                jid,
                accept,
            } => {
                self.forward(&account, AccountCommand::AnswerSubscription { jid, accept });
            }
            Command::OpenChat { account, peer } => self.history(account, peer, None).await,
            Command::LoadOlder {
                account,
                peer,
                before,
            } => self.history(account, peer, Some(before)).await,
            Command::MarkRead { account, peer } => {
                if let Err(error) = self.store.mark_read(account.clone(), peer.clone()).await {
                    self.fail(Some(account), storage(error));
                    return;
                }
                if let Ok(chat) = self.store.chat(account, peer).await {
                    self.emit(Event::ChatUpdated { chat });
                }
            }
            Command::SendMessage {
                account,
                peer,
                body,
            } => self.send_message(account, peer, body, None).await,
            Command::SendPrivateMessage {
                account,
                room,
                nick,
                body,
            } => self.send_message(account, room, body, Some(nick)).await,
            Command::SetChatState {
                account,
                peer,
                state,
            } => {
                if let Ok(actor) = self.actor(&account) {
                    actor.send(AccountCommand::SetChatState { peer, state });
                }
            }
            Command::SearchMessages { account, query } => {
                match self.store.search(account.clone(), query.clone(), 100).await {
                    Ok(messages) => self.emit(Event::SearchResults {
                        account,
                        query,
                        messages,
                    }),
                    Err(error) => self.fail(Some(account), storage(error)),
                }
            }
            Command::SendRawXml { account, xml } => {
                self.forward(&account, AccountCommand::SendRaw { xml });
            }
            Command::PlaceCall {
                account,
                peer,
                video,
            } => self.forward(&account, AccountCommand::PlaceCall { peer, video }),
            Command::AcceptCall { account, call } => {
                self.call_action(&account, call, UserAction::Accept);
            }
            Command::RejectCall { account, call } => {
                self.call_action(&account, call, UserAction::Decline);
            }
            Command::HangUp { account, call } => {
                self.call_action(&account, call, UserAction::HangUp);
            }
            Command::SetCallMuted {
                account,
                call,
                muted,
            } => {
                let media = crate::model::MediaKind::Audio;
                self.call_action(&account, call, UserAction::SetMuted { media, muted });
            }
            Command::SetCallOnHold {
                account,
                call,
                on_hold,
            } => {
                self.call_action(&account, call, UserAction::SetOnHold { on_hold });
            }
            Command::AddCallVideo { account, call } => {
                let media = crate::model::MediaKind::Video;
                self.call_action(&account, call, UserAction::AddMedia { media });
            }
            Command::AnswerCallMedia {
                account,
                call,
                accept,
            } => {
                let action = if accept {
                    UserAction::AcceptAddedMedia
                } else {
                    UserAction::RejectAddedMedia
                };
                self.call_action(&account, call, action);
            }
            Command::Shutdown => {}
            // Forwarded above.
            _ => {}
        }
    }

    async fn add_account(
        &mut self,
        jid: BareJid,
        password: String,
        server: Option<crate::model::ServerAddress>,
    ) {
        if jid.node().is_none() {
            self.fail(
                Some(jid.clone()),
                CoreError::InvalidAddress {
                    input: jid.to_string(),
                },
            );
            return;
        }
        if self.accounts.contains_key(&jid) {
            self.fail(Some(jid), CoreError::AccountExists);
            return;
        }
        if let Err(error) = self.credentials.store(&jid.to_string(), &password).await {
            self.fail(
                Some(jid),
                CoreError::Keyring {
                    detail: error.to_string(),
                },
            );
            return;
        }
        let record = AccountRecord {
            jid: jid.clone(),
            enabled: true,
            // A stable resource per installation keeps carbons and
            // presence tidy across restarts.
            resource: format!("warbler.{}", &xmpp::message::new_id()[..8]),
            server,
            trusted_cert_sha256: None,
        };
        if let Err(error) = self.store.upsert_account(record.clone()).await {
            self.fail(Some(jid), storage(error));
            return;
        }
        self.emit(Event::AccountUpdated {
            account: summary(&record),
        });
        self.accounts.insert(
            jid.clone(),
            AccountEntry {
                record,
                actor: None,
            },
        );
        self.start_account(&jid).await;
    }

    /// Load a page of history: older than `before`, or the newest page of
    /// a chat being opened, which reaches back to its oldest unread
    /// message (see [`Self::oldest_unread`]).
    async fn history(
        &self,
        account: BareJid,
        peer: BareJid,
        before: Option<crate::model::MessageId>,
    ) {
        let unread = match before {
            None => self.oldest_unread(&account, &peer).await,
            Some(_) => None,
        };
        let limit = unread.map_or(PAGE, |(_, span)| (span + READ_ABOVE_UNREAD).max(PAGE));
        match self
            .store
            .history(account.clone(), peer.clone(), before, limit)
            .await
        {
            Ok(messages) => {
                let complete = (messages.len() as u32) < limit;
                if complete
                    && before.is_some()
                    && let Ok(actor) = self.actor(&account)
                {
                    // A room's archive may hold older messages than we do.
                    actor.send(AccountCommand::LoadOlderArchive {
                        peer,
                        local: messages,
                    });
                    return;
                }
                // Messages stored since the count are in the page too: the
                // line goes by id, not by place.
                let first_unread = unread
                    .map(|(id, _)| id)
                    .filter(|id| messages.iter().any(|m| m.id == *id));
                self.emit(Event::ChatHistory {
                    account,
                    peer,
                    messages,
                    older: before.is_some(),
                    complete,
                    first_unread,
                });
            }
            Err(error) => self.fail(Some(account), storage(error)),
        }
    }

    /// The oldest unread message of a chat being opened, where the reader
    /// starts, and how many messages from it to the newest, when they are
    /// at most [`UNREAD_OPENED_AT_MOST`]. The chat is opened before it is
    /// marked read, and commands are handled in order, so the flags still
    /// stand.
    async fn oldest_unread(
        &self,
        account: &BareJid,
        peer: &BareJid,
    ) -> Option<(crate::model::MessageId, u32)> {
        self.store
            .oldest_unread(account.clone(), peer.clone(), UNREAD_OPENED_AT_MOST)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!("Could not read which messages are unread: {error}");
                None
            })
    }

    /// Store first (the outbox is a table), show, then let the actor send.
    /// `private` names the room occupant of a private message.
    async fn send_message(
        &mut self,
        account: BareJid,
        peer: BareJid,
        body: String,
        private: Option<String>,
    ) {
        if !self.accounts.contains_key(&account) {
            self.fail(Some(account), CoreError::NoSuchAccount);
            return;
        }
        if body.trim().is_empty() {
            return;
        }
        let origin_id = xmpp::message::new_id();
        let room_nick = match self.store.room(account.clone(), peer.clone()).await {
            Ok(room) => room.map(|r| {
                r.nick
                    .unwrap_or_else(|| super::account::default_room_nick(&account))
            }),
            Err(error) => {
                self.fail(Some(account), storage(error));
                return;
            }
        };
        let stored = match (room_nick, private) {
            (Some(nick), Some(to)) => {
                self.store
                    .insert_outgoing_private(
                        account.clone(),
                        peer.clone(),
                        (nick, to),
                        body,
                        origin_id,
                        Timestamp::now(),
                    )
                    .await
            }
            // Never to the contact or the room instead.
            (None, Some(_)) => {
                self.fail(
                    Some(account),
                    CoreError::InvalidAddress {
                        input: peer.to_string(),
                    },
                );
                return;
            }
            (Some(nick), None) => {
                self.store
                    .insert_outgoing_room(
                        account.clone(),
                        peer.clone(),
                        nick,
                        body,
                        origin_id,
                        Timestamp::now(),
                    )
                    .await
            }
            (None, None) => {
                self.store
                    .insert_outgoing(
                        account.clone(),
                        peer.clone(),
                        body,
                        origin_id,
                        Timestamp::now(),
                    )
                    .await
            }
        };
        match stored {
            Ok(message) => {
                self.emit(Event::MessageAdded {
                    message: message.clone(),
                });
                if let Ok(chat) = self.store.chat(account.clone(), peer).await {
                    self.emit(Event::ChatUpdated { chat });
                }
                if let Ok(actor) = self.actor(&account) {
                    actor.send(AccountCommand::SendStored { message });
                }
            }
            Err(error) => self.fail(Some(account), storage(error)),
        }
    }

    async fn shutdown(&mut self) {
        let actors: Vec<AccountHandle> = self
            .accounts
            .values_mut()
            .filter_map(|e| e.actor.take())
            .collect();
        let sign_outs = actors.iter().map(|a| a.sign_out());
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), join_all(sign_outs)).await;
        self.emit(Event::ShutdownComplete);
    }
}
