//! The reconnector handed to tokio-xmpp's `StanzaStream`: it connects with
//! our own [`connect`], reports each failure to the account actor, backs
//! off exponentially (with jitter) on transient errors, and waits for the
//! user on errors only they can fix.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, mpsc, oneshot};
use tokio_xmpp::stanzastream::{Connection, StanzaStream};

use crate::session::ConnectError;
use crate::session::connection::{ConnectSettings, connect};

/// First pause after a failed attempt.
const FIRST_DELAY: Duration = Duration::from_secs(2);
/// Longest pause between attempts.
const MAX_DELAY: Duration = Duration::from_secs(300);
/// Outgoing queue depth of the stanza stream.
const QUEUE_DEPTH: usize = 64;

/// What the reconnector tells the account actor.
#[derive(Debug)]
pub(super) enum Attempt {
    /// A connection attempt starts.
    Started,
    /// It failed; the next one follows after `retry_in` unless the error
    /// needs the user (`retry_in` is then `None`).
    Failed {
        error: ConnectError,
        retry_in: Option<Duration>,
    },
}

/// Shared between the actor and the reconnector tasks.
pub(super) struct Reconnector {
    /// Current settings (updated on new password or trusted certificate).
    pub settings: Mutex<ConnectSettings>,
    /// Wakes a waiting reconnector ("reconnect now").
    pub wake: Notify,
    /// Reports attempts to the actor.
    pub reports: mpsc::UnboundedSender<Attempt>,
}

impl Reconnector {
    /// A new stanza stream whose connections come from this reconnector.
    pub(super) fn stream(self: &Arc<Self>) -> StanzaStream {
        let this = Arc::clone(self);
        StanzaStream::new(
            Box::new(move |_location, slot| {
                tokio::spawn(Arc::clone(&this).run(slot));
            }),
            QUEUE_DEPTH,
        )
    }

    async fn run(self: Arc<Self>, mut slot: oneshot::Sender<Connection>) {
        let mut delay = FIRST_DELAY;
        loop {
            let settings = match self.settings.lock() {
                Ok(settings) => settings.clone(),
                Err(_) => return,
            };
            let _ = self.reports.send(Attempt::Started);
            let result = tokio::select! {
                result = connect(&settings) => result,
                // The stream was dropped (sign-out): stop trying.
                _ = slot.closed() => return,
            };
            let error = match result {
                Ok(connection) => {
                    let _ = slot.send(connection);
                    return;
                }
                Err(error) => error,
            };
            if error.needs_user() {
                let _ = self.reports.send(Attempt::Failed {
                    error,
                    retry_in: None,
                });
                tokio::select! {
                    _ = self.wake.notified() => delay = FIRST_DELAY,
                    _ = slot.closed() => return,
                }
                continue;
            }
            let pause = jitter(delay);
            let _ = self.reports.send(Attempt::Failed {
                error,
                retry_in: Some(pause),
            });
            tokio::select! {
                _ = tokio::time::sleep(pause) => delay = (delay * 2).min(MAX_DELAY),
                _ = self.wake.notified() => delay = FIRST_DELAY,
                _ = slot.closed() => return,
            }
        }
    }
}

/// Spread reconnections of many clients after a server restart.
fn jitter(delay: Duration) -> Duration {
    let factor = 0.8 + rand::random::<f64>() * 0.4;
    delay.mul_f64(factor)
}
