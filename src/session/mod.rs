//! The session layer: one actor per account behind a single handle.
//!
//! [`start`] spawns the core on its own tokio runtime and returns a
//! [`SessionHandle`] to send [`Command`]s and an [`EventReceiver`] that
//! yields [`Event`]s. The receiver works from any executor (the UI polls it
//! from the GLib main context).

mod account;
mod command;
mod connection;
mod credentials;
mod error;
mod event;
mod memory;
mod supervisor;

use std::path::PathBuf;

use tokio::sync::mpsc;

pub use command::Command;
pub use error::{CertificateInfo, ConnectError, CoreError};
pub use event::Event;

/// How long a room may stay quiet before Warbler checks that it is still
/// in it: five minutes, as rooms rarely drop occupants silently.
pub const DEFAULT_ROOM_CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_secs(300);

/// Where the core keeps its data, and how it reaches the keyring.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Directory for the SQLite database (created if missing).
    pub data_dir: PathBuf,
    /// PEM files of certificate authorities to trust in addition to the
    /// system store (a company CA, a local test server). Certificates are
    /// still fully verified.
    pub extra_trust_anchors: Vec<PathBuf>,
    /// The DNS server to ask for SRV records and host addresses instead of
    /// the system's configuration (a local test server); `None`, the
    /// normal case, uses the system configuration.
    pub name_server: Option<std::net::SocketAddr>,
    /// Where calls take their media from.
    pub call_media: CallMedia,
    /// How long a joined room may stay quiet before a self-ping (XEP-0410)
    /// checks that we are still in it.
    pub room_check_interval: std::time::Duration,
}

/// Where calls take their media from.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum CallMedia {
    /// The default microphone, camera and speaker; candidates on every
    /// interface.
    #[default]
    Devices,
    /// Generated media for tests: a sine tone and a test picture, decoded
    /// video dropped, candidates only on the given addresses.
    TestSources {
        /// Use relayed candidates only (TURN servers come from the account's
        /// server): proves that calls work through its relay.
        relay_only: bool,
        /// The tone's frequency in hertz.
        tone_hz: f64,
        /// The `videotestsrc` pattern number.
        video_pattern: i32,
        /// Local addresses to gather candidates on (empty: all).
        local_addresses: Vec<std::net::IpAddr>,
        /// Where decoded audio goes, as it would reach the speaker (none:
        /// dropped).
        heard_audio: Option<AudioTap>,
    },
}

/// Receives a test call's decoded audio as it would reach the speaker:
/// 48 kHz mono samples, on a media thread. Taps are equal only to their
/// own clones.
#[derive(Clone)]
pub struct AudioTap(pub crate::jingle::media::SampleCallback);

impl PartialEq for AudioTap {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for AudioTap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AudioTap(..)")
    }
}

impl CallMedia {
    /// The media engine's configuration for one call.
    pub(crate) fn media_config(&self) -> crate::jingle::media::MediaConfig {
        use crate::jingle::media::{AudioInput, AudioOutput, MediaConfig, VideoInput, VideoSize};
        match self {
            Self::Devices => MediaConfig::default(),
            Self::TestSources {
                relay_only,
                tone_hz,
                video_pattern,
                local_addresses,
                heard_audio,
            } => MediaConfig {
                relay_only: *relay_only,
                local_addresses: local_addresses.clone(),
                audio_input: AudioInput::TestTone {
                    frequency: *tone_hz,
                },
                video_input: VideoInput::TestPattern(*video_pattern),
                audio_output: match heard_audio {
                    Some(tap) => AudioOutput::Samples(tap.0.clone()),
                    None => AudioOutput::Discard,
                },
                video_size: VideoSize {
                    width: 320,
                    height: 240,
                },
                echo_cancellation: false,
                ..MediaConfig::default()
            },
        }
    }
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

    /// An event that is already waiting, without waiting for one.
    pub fn try_recv(&mut self) -> Option<Event> {
        self.events.try_recv().ok()
    }
}

/// Start the core on its own thread and tokio runtime: open the store,
/// load accounts, connect the enabled ones. Returns at once; nothing here
/// blocks the caller (the UI's main thread).
///
/// The first events are `AccountsLoaded` and `ChatsLoaded`.
pub fn start(config: SessionConfig) -> Result<(SessionHandle, EventReceiver), CoreError> {
    // tokio-xmpp reports through `log`; route it into `tracing`.
    let _ = tracing_log::LogTracer::init();
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("warbler-core")
        .enable_all()
        .build()
        .map_err(|e| CoreError::Storage {
            detail: format!("could not start the core runtime: {e}"),
        })?;
    std::thread::Builder::new()
        .name("warbler-supervisor".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let events = memory::EventSink::with_trimmer(ev_tx);
                supervisor::Supervisor::run(config, events, cmd_rx).await;
            });
            // Give signed-out streams a moment to flush their last bytes.
            runtime.shutdown_timeout(std::time::Duration::from_secs(1));
        })
        .map_err(|e| CoreError::Storage {
            detail: format!("could not start the core thread: {e}"),
        })?;
    Ok((
        SessionHandle { commands: cmd_tx },
        EventReceiver { events: ev_rx },
    ))
}
