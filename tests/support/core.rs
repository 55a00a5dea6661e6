//! Driving Warbler's core through its public API, as the UI does.

use std::time::Duration;

use warbler::model::{BareJid, ChatMessage, ConnectionState, MessageId, ServerAddress, TlsMode};
use warbler::session::{
    CallMedia, Command, Event, EventReceiver, SessionConfig, SessionHandle, start,
};

use super::prosody::TestServer;

/// One running core with one account.
pub struct Client {
    /// Sends commands.
    pub handle: SessionHandle,
    /// Receives events.
    pub events: EventReceiver,
    /// The account.
    pub jid: BareJid,
    /// Profile directory (kept for restarts).
    pub data_dir: std::path::PathBuf,
}

/// A bare JID from a literal.
pub fn jid(s: &str) -> BareJid {
    s.parse().expect("valid JID")
}

/// Start a core on `data_dir` trusting the server's CA.
pub fn start_core(
    server: &TestServer,
    data_dir: &std::path::Path,
) -> (SessionHandle, EventReceiver) {
    start_core_with(server, data_dir, CallMedia::Devices)
}

/// Start a core on `data_dir` trusting the server's CA, with calls taking
/// their media from `call_media`.
pub fn start_core_with(
    server: &TestServer,
    data_dir: &std::path::Path,
    call_media: CallMedia,
) -> (SessionHandle, EventReceiver) {
    start_core_configured(server, data_dir, call_media, None)
}

/// Start a core on `data_dir` trusting the server's CA and asking only the
/// DNS server at `name_server` (a [`super::dns::TestDns`]) where to connect.
pub fn start_core_with_dns(
    server: &TestServer,
    data_dir: &std::path::Path,
    name_server: std::net::SocketAddr,
) -> (SessionHandle, EventReceiver) {
    start_core_configured(server, data_dir, CallMedia::Devices, Some(name_server))
}

fn start_core_configured(
    server: &TestServer,
    data_dir: &std::path::Path,
    call_media: CallMedia,
    name_server: Option<std::net::SocketAddr>,
) -> (SessionHandle, EventReceiver) {
    start(SessionConfig {
        data_dir: data_dir.to_owned(),
        extra_trust_anchors: vec![server.ca()],
        name_server,
        call_media,
        room_check_interval: std::time::Duration::from_secs(2),
    })
    .expect("core starts")
}

/// The server's STARTTLS address.
pub fn address(server: &TestServer) -> ServerAddress {
    ServerAddress {
        host: "127.0.0.1".into(),
        port: server.c2s_port,
        tls: TlsMode::StartTls,
    }
}

impl Client {
    /// A new profile signing in as `user@localhost`; waits until online.
    pub async fn sign_in(
        server: &TestServer,
        root: &std::path::Path,
        user: &str,
        password: &str,
    ) -> Self {
        Self::sign_in_with(server, root, user, password, CallMedia::Devices).await
    }

    /// Like [`Client::sign_in`], with calls taking media from `call_media`.
    pub async fn sign_in_with(
        server: &TestServer,
        root: &std::path::Path,
        user: &str,
        password: &str,
        call_media: CallMedia,
    ) -> Self {
        let data_dir = root.join(user);
        let (handle, events) = start_core_with(server, &data_dir, call_media);
        let jid = jid(&format!("{user}@localhost"));
        handle.send(Command::AddAccount {
            jid: jid.clone(),
            password: password.into(),
            server: Some(address(server)),
        });
        let mut client = Client {
            handle,
            events,
            jid,
            data_dir,
        };
        client.online().await;
        client
    }

    /// Restart the core on the same profile (as after quitting the app).
    pub async fn reopen(self, server: &TestServer) -> Self {
        let Client {
            handle,
            mut events,
            jid,
            data_dir,
        } = self;
        handle.send(Command::Shutdown);
        while let Some(event) = events.recv().await {
            if matches!(event, Event::ShutdownComplete) {
                break;
            }
        }
        let (handle, events) = start_core(server, &data_dir);
        Client {
            handle,
            events,
            jid,
            data_dir,
        }
    }

    /// Wait until the account is online.
    pub async fn online(&mut self) {
        self.wait(|e| {
            matches!(
                e,
                Event::ConnectionChanged {
                    state: ConnectionState::Online,
                    ..
                }
            )
        })
        .await;
    }

    /// Wait (up to 20 s) for the first event matching `want`.
    pub async fn wait(&mut self, want: impl Fn(&Event) -> bool) -> Event {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(event)) if want(&event) => return event,
                Ok(Some(_)) => {}
                Ok(None) => panic!("the core stopped"),
                Err(_) => panic!("timed out waiting for an event on {}", self.jid),
            }
        }
    }

    /// Send a command.
    pub fn send(&self, command: Command) {
        self.handle.send(command);
    }

    /// Write `body` to `peer`, as typing it in the composer does.
    pub fn say(&self, peer: BareJid, body: impl Into<String>) {
        self.send(Command::SendMessage {
            account: self.jid.clone(),
            peer,
            body: body.into(),
        });
    }

    /// The newest stored messages of the chat with `peer`, oldest first.
    pub async fn history(&mut self, peer: BareJid) -> Vec<ChatMessage> {
        self.open_chat(peer).await.0
    }

    /// Open the chat with `peer`: its newest messages, oldest first, and
    /// the first of them that is unread, as the chat view gets them.
    pub async fn open_chat(&mut self, peer: BareJid) -> (Vec<ChatMessage>, Option<MessageId>) {
        self.send(Command::OpenChat {
            account: self.jid.clone(),
            peer,
        });
        match self.wait(|e| matches!(e, Event::ChatHistory { .. })).await {
            Event::ChatHistory {
                messages,
                first_unread,
                ..
            } => (messages, first_unread),
            _ => unreachable!("wait returns only what matches"),
        }
    }

    /// Sign out and stop the core.
    pub async fn shutdown(mut self) {
        self.send(Command::Shutdown);
        self.wait(|e| matches!(e, Event::ShutdownComplete)).await;
    }
}

/// The body of a `MessageAdded` event.
pub fn body_of(event: &Event) -> Option<&str> {
    match event {
        Event::MessageAdded { message } => Some(message.body.as_str()),
        _ => None,
    }
}

/// Make `a` and `b` mutual contacts through subscription requests.
pub async fn befriend(a: &mut Client, b: &mut Client) {
    a.send(Command::AddContact {
        account: a.jid.clone(),
        jid: b.jid.clone(),
        name: None,
    });
    b.wait(|e| matches!(e, Event::SubscriptionRequested { .. }))
        .await;
    b.send(Command::AnswerSubscription {
        account: b.jid.clone(),
        jid: a.jid.clone(),
        accept: true,
    });
    a.wait(|e| matches!(e, Event::SubscriptionRequested { .. }))
        .await;
    a.send(Command::AnswerSubscription {
        account: a.jid.clone(),
        jid: b.jid.clone(),
        accept: true,
    });
    let (aj, bj) = (a.jid.clone(), b.jid.clone());
    let both = |peer: BareJid| {
        move |e: &Event| {
            matches!(e, Event::ContactUpdated { contact, .. }
        if contact.jid == peer && contact.subscription == warbler::model::Subscription::Both)
        }
    };
    a.wait(both(bj)).await;
    b.wait(both(aj)).await;
}

impl Client {
    /// Reopen an existing profile (`root/user`) whose account is stored.
    pub async fn sign_in_again(server: &TestServer, root: &std::path::Path, user: &str) -> Self {
        let data_dir = root.join(user);
        let (handle, events) = start_core(server, &data_dir);
        let mut client = Client {
            handle,
            events,
            jid: jid(&format!("{user}@localhost")),
            data_dir,
        };
        client.online().await;
        client
    }
}
