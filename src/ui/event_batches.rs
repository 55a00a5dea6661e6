//! Deliver the core's events to the UI in paced batches.
//!
//! One main-loop message per event starves drawing during a flood: GLib
//! runs ready default-priority sources before it paints, so thousands of
//! queued events froze the window until all were handled. Events are
//! instead handed over in batches at most once a frame, and a chat summary
//! that a later one in the same batch replaces is dropped.

use std::collections::HashSet;
use std::time::Duration;

use warbler::session::{Event, EventReceiver};

/// The shortest time between two batches: one frame at 60 Hz.
const FRAME: Duration = Duration::from_micros(16_667);
/// The most events in one batch, so one batch is handled within a frame.
const MAX_BATCH: usize = 64;

/// Wait for the next batch of events; `None` once the core has stopped and
/// everything was delivered. Never waits when an event is ready and no
/// batch went out in the last frame, so a lone event is not delayed.
pub async fn next_batch(
    events: &mut EventReceiver,
    last_batch: &mut Option<tokio::time::Instant>,
) -> Option<Vec<Event>> {
    let first = events.recv().await?;
    if let Some(last) = *last_batch {
        tokio::time::sleep_until(last + FRAME).await;
    }
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match events.try_recv() {
            Some(event) => batch.push(event),
            None => break,
        }
    }
    *last_batch = Some(tokio::time::Instant::now());
    Some(coalesce(batch))
}

/// Drop chat summaries that a later summary of the same chat in `batch`
/// replaces; keep everything else in order.
pub fn coalesce(batch: Vec<Event>) -> Vec<Event> {
    let mut seen = HashSet::new();
    let mut kept: Vec<Event> = batch
        .into_iter()
        .rev()
        .filter(|event| match event {
            Event::ChatUpdated { chat } => seen.insert((chat.account.clone(), chat.peer.clone())),
            _ => true,
        })
        .collect();
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::{BareJid, ChatSummary};

    fn summary(peer: &str, unread: u32) -> Event {
        let jid = |s: &str| s.parse::<BareJid>().expect("valid JID");
        Event::ChatUpdated {
            chat: ChatSummary {
                unread,
                ..ChatSummary::empty(jid("alice@example.org"), jid(peer))
            },
        }
    }

    fn unread_of(event: &Event) -> Option<(String, u32)> {
        match event {
            Event::ChatUpdated { chat } => Some((chat.peer.to_string(), chat.unread)),
            _ => None,
        }
    }

    #[test]
    fn only_the_last_summary_of_a_chat_is_kept_in_order() {
        let batch = vec![
            summary("bob@example.org", 1),
            summary("carol@example.org", 1),
            Event::ShutdownComplete,
            summary("bob@example.org", 2),
        ];
        let kept = coalesce(batch);
        assert_eq!(kept.len(), 3);
        assert_eq!(unread_of(&kept[0]), Some(("carol@example.org".into(), 1)));
        assert!(matches!(kept[1], Event::ShutdownComplete));
        assert_eq!(unread_of(&kept[2]), Some(("bob@example.org".into(), 2)));
    }
}
