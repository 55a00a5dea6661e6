//! Incoming chat messages on their way into the store.
//!
//! The actor hands each plain chat message to the store without waiting
//! for it, and goes on reading the stream: during a flood the store then
//! finds many messages queued and writes them in one transaction, instead
//! of one transaction (and one wait) per message. What must follow a
//! message being stored, its receipt to the sender and its events for the
//! window, follows once it is committed, in the order the messages came.
//!
//! Anything else the actor does first lets every queued message through
//! (see [`AccountActor::finish_storing`]): it may be about one of them,
//! like a receipt for a message a carbon copied, and must find it stored
//! and already shown.

use std::collections::VecDeque;
use std::pin::Pin;

use xmpp_parsers::message::{Message, MessageType};
use xmpp_parsers::ns;

use super::AccountActor;
use crate::model::{BareJid, ChatMessage, ChatSummary};
use crate::session::Event;
use crate::store::StoreError;

/// The most messages waiting for the store at once; the oldest is seen
/// through before another is queued. This bounds how far the store (whose
/// thread gives way to the window's) may fall behind the stream on a busy
/// machine: with 256, the last message of a 5,000-message flood was once
/// stored 0.39 s after it arrived; 32 already shares a transaction among
/// enough messages to save most of the cost of one per message.
const MAX_WAITING: usize = 32;

/// The store's answer for a queued message: the stored message and its
/// chat's entry, or `None` for a duplicate.
type Answer = Pin<
    Box<dyn Future<Output = Result<Option<(ChatMessage, ChatSummary)>, StoreError>> + Send + Sync>,
>;

/// A message queued for the store.
pub(super) struct Waiting {
    /// The chat it belongs to.
    pub(super) peer: BareJid,
    /// The receipt to send once it is stored, if the sender asked for one.
    pub(super) receipt: Option<Message>,
    /// The store's answer.
    pub(super) answer: Answer,
}

/// A queued message, now stored (or not).
pub(super) struct Stored {
    peer: BareJid,
    receipt: Option<Message>,
    outcome: Result<Option<(ChatMessage, ChatSummary)>, StoreError>,
}

/// The messages waiting for the store, oldest first.
#[derive(Default)]
pub(super) struct StoringQueue {
    waiting: VecDeque<Waiting>,
}

impl StoringQueue {
    /// Whether no message is waiting.
    pub(super) fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Whether another message must wait for the oldest to be stored.
    fn is_full(&self) -> bool {
        self.waiting.len() >= MAX_WAITING
    }

    /// The oldest waiting message, once the store has answered for it.
    /// Cancel-safe: if the caller stops waiting, the message stays queued.
    /// Never finishes while the queue is empty.
    pub(super) async fn oldest(&mut self) -> Stored {
        let Some(front) = self.waiting.front_mut() else {
            return std::future::pending().await;
        };
        let outcome = front.answer.as_mut().await;
        let Waiting { peer, receipt, .. } = self
            .waiting
            .pop_front()
            .expect("the message just answered for is still queued");
        Stored {
            peer,
            receipt,
            outcome,
        }
    }
}

/// Whether `message` may be handled while earlier messages are still being
/// stored: a plain chat message with a body from someone other than a room
/// or our own account (carbons, bookmark and other notifications), and no
/// receipt or error in it. Anything else may touch what those messages are
/// about.
pub(super) fn may_overtake(
    message: &Message,
    own: &BareJid,
    is_room: impl Fn(&BareJid) -> bool,
) -> bool {
    let plain_type = matches!(message.type_, MessageType::Chat | MessageType::Normal);
    let from_contact = message.from.as_ref().is_some_and(|from| {
        let bare = from.to_bare();
        bare != *own && !is_room(&bare)
    });
    let receipt = message
        .payloads
        .iter()
        .any(|payload| payload.is("received", ns::RECEIPTS));
    plain_type && from_contact && !message.bodies.is_empty() && !receipt
}

impl AccountActor {
    /// Queue a message for the store; what depends on it is done once it
    /// is stored (see [`Self::on_stored`]).
    pub(super) async fn queue_for_store(&mut self, waiting: Waiting) {
        if self.storing.is_full() {
            let stored = self.storing.oldest().await;
            self.on_stored(stored).await;
        }
        self.storing.waiting.push_back(waiting);
    }

    /// A queued message is stored: acknowledge it to its sender (even a
    /// duplicate: the sender may have missed our first receipt) and show
    /// it. A message that could not be stored is not acknowledged.
    pub(super) async fn on_stored(&mut self, stored: Stored) {
        let Stored {
            peer,
            receipt,
            outcome,
        } = stored;
        if outcome.is_ok()
            && let Some(receipt) = receipt
        {
            self.send(receipt.into()).await;
        }
        match outcome {
            Ok(Some((message, chat))) => {
                self.emit(Event::MessageAdded { message });
                self.emit(Event::ChatUpdated { chat });
            }
            Ok(None) => tracing::debug!(account = %self.jid, %peer, "Ignored a duplicate message"),
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not store a message: {error}")
            }
        }
    }

    /// Wait until every queued message is stored, and do what follows each.
    pub(super) async fn finish_storing(&mut self) {
        while !self.storing.is_empty() {
            let stored = self.storing.oldest().await;
            self.on_stored(stored).await;
        }
    }
}
