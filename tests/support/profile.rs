//! Prepare and clean up a Warbler profile through the library's public API,
//! for runs of the real binary (the demo, the UI benchmark): add an account
//! the way the account dialog does, and remove it again so nothing stays in
//! the keyring.

use std::path::Path;
use std::time::Duration;

use warbler::model::{BareJid, ConnectionState, ServerAddress, TlsMode};
use warbler::session::{self, Command, Event, EventReceiver, SessionConfig, SessionHandle};

use super::TestServer;

/// Add `user`'s account to the profile in `data_dir` and wait until it is
/// online (so the password is in the keyring and the roster is stored);
/// then shut the core down again.
pub async fn add_account(
    server: &TestServer,
    data_dir: &Path,
    user: &str,
    password: &str,
) -> Result<(), String> {
    let jid = bare_jid(server, user)?;
    let (handle, mut events) = start(server, data_dir)?;
    handle.send(Command::AddAccount {
        jid: jid.clone(),
        password: password.into(),
        server: Some(ServerAddress {
            host: "127.0.0.1".into(),
            port: server.c2s_port(),
            tls: TlsMode::StartTls,
        }),
    });

    let online = tokio::time::timeout(Duration::from_secs(30), async {
        let mut last_error = None;
        while let Some(event) = events.recv().await {
            match event {
                Event::ConnectionChanged { account, state } if account == jid => match state {
                    ConnectionState::Online => return Ok(()),
                    ConnectionState::Failed { error } => return Err(error.to_string()),
                    ConnectionState::WaitingToReconnect { error, .. } => {
                        eprintln!("{jid} is not online yet: {error}");
                        last_error = Some(error.to_string());
                    }
                    _ => {}
                },
                Event::CommandFailed { error, .. } => return Err(error.to_string()),
                _ => {}
            }
        }
        Err(last_error.unwrap_or_else(|| "the core stopped".into()))
    })
    .await
    .unwrap_or_else(|_| Err(format!("{jid} did not come online within 30 s")));

    shut_down(handle, &mut events).await;
    online.map_err(|error| {
        format!(
            "Could not add {user}'s account: {error} (server log: {})",
            server.log_path().display()
        )
    })
}

/// Remove `user`'s account (password, roster and history) from the profile
/// in `data_dir`.
pub async fn forget_account(
    server: &TestServer,
    data_dir: &Path,
    user: &str,
) -> Result<(), String> {
    let jid = bare_jid(server, user)?;
    let (handle, mut events) = start(server, data_dir)?;
    handle.send(Command::RemoveAccount {
        account: jid.clone(),
    });
    let removed = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            match event {
                Event::AccountRemoved { account } if account == jid => return Ok(()),
                Event::CommandFailed { error, .. } => return Err(error.to_string()),
                _ => {}
            }
        }
        Err("the core stopped".to_owned())
    })
    .await
    .unwrap_or_else(|_| Err("no answer within 10 s".into()));
    shut_down(handle, &mut events).await;
    removed
}

fn bare_jid(server: &TestServer, user: &str) -> Result<BareJid, String> {
    server
        .jid(user)
        .parse()
        .map_err(|e| format!("Bad JID: {e}"))
}

fn start(server: &TestServer, data_dir: &Path) -> Result<(SessionHandle, EventReceiver), String> {
    session::start(SessionConfig {
        data_dir: data_dir.to_owned(),
        extra_trust_anchors: vec![server.ca_pem_path()],
        call_media: Default::default(),
        name_server: None,
        room_check_interval: warbler::session::DEFAULT_ROOM_CHECK_INTERVAL,
    })
    .map_err(|e| format!("Could not start Warbler's core: {e}"))
}

async fn shut_down(handle: SessionHandle, events: &mut EventReceiver) {
    handle.send(Command::Shutdown);
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            if matches!(event, Event::ShutdownComplete) {
                break;
            }
        }
    })
    .await;
}
