//! The session layer: one actor per account behind a single handle.
//!
//! [`start`] spawns the core on its own tokio runtime and returns a
//! [`SessionHandle`] to send [`Command`]s and an [`EventReceiver`] that
//! yields [`Event`]s. The receiver works from any executor (the UI polls it
//! from the GLib main context).

mod command;
mod error;
mod event;

use std::path::PathBuf;

use tokio::sync::mpsc;

pub use command::Command;
pub use error::{CertificateInfo, ConnectError, CoreError};
pub use event::Event;

/// Where the core keeps its data, and how it reaches the keyring.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Directory for the SQLite database (created if missing).
    pub data_dir: PathBuf,
}

/// Sends commands to the core. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SessionHandle {
    commands: mpsc::UnboundedSender<Command>,
}

impl SessionHandle {
    /// Queue a command. Never blocks; if the core has stopped, the command
    /// is dropped with a log line.
    pub fn send(&self, command: Command) {
        if self.commands.send(command).is_err() {
            tracing::warn!("Could not send command: the core has stopped");
        }
    }
}

/// Receives the core's events, in order.
#[derive(Debug)]
pub struct EventReceiver {
    events: mpsc::UnboundedReceiver<Event>,
}

impl EventReceiver {
    /// The next event, or `None` once the core has stopped.
    pub async fn recv(&mut self) -> Option<Event> {
        self.events.recv().await
    }
}

/// Start the core: open the store, load accounts, connect enabled ones.
///
/// The first events are `AccountsLoaded` and `ChatsLoaded`.
pub fn start(config: SessionConfig) -> Result<(SessionHandle, EventReceiver), CoreError> {
    let (cmd_tx, mut cmd_rx) = mpsc::unbounded_channel();
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let _ = config;
    std::thread::spawn(move || {
        // Placeholder until the account actors land: answers the start-up
        // events and shutdown so the UI can be developed against the API.
        let _ = ev_tx.send(Event::AccountsLoaded { accounts: vec![] });
        let _ = ev_tx.send(Event::ChatsLoaded { chats: vec![] });
        while let Some(cmd) = cmd_rx.blocking_recv() {
            if matches!(cmd, Command::Shutdown) {
                let _ = ev_tx.send(Event::ShutdownComplete);
                break;
            }
        }
    });
    Ok((
        SessionHandle { commands: cmd_tx },
        EventReceiver { events: ev_rx },
    ))
}
