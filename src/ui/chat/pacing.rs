//! How many new message rows the chat view adds per frame.
//!
//! A flood of hundreds of messages a second cannot all be laid out as it
//! arrives without missing frames, so rows are added a few per frame. How
//! many is worked out from what rows have cost so far: the time to add
//! them to the list (GTK builds their widgets then) plus what they added
//! to the next frame's layout and drawing, over a frame without new rows.
//! Rows are then added only as many as fit in a budget well inside a
//! 60 Hz frame.
//!
//! Tried and measured in the flood bench (late frames in the 8 s after
//! 2,000 messages): growing the count until a frame came late and then
//! halving it missed a frame every time it probed (15-27 late); adding
//! every waiting row once per frame showed the flood sooner but realised
//! a screenful of new rows each frame while the core was still storing
//! the messages (38-52 late); this pacer, 2-8.

use std::cell::Cell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The time new rows may take per frame, leaving the rest of a 16.7 ms
/// frame to drawing everything else and to the main loop's other work.
const BUDGET: Duration = Duration::from_millis(8);
/// Never fewer than this per frame, so a flood always gets shown.
const MIN: usize = 1;
/// Never more than this per frame.
const MAX: usize = 64;
/// What a row is assumed to cost before any was measured (a message row
/// of a line or two, measured on GTK 4.8 without a GPU).
const FIRST_ROW_COST: Duration = Duration::from_micros(1_500);
/// What a frame without new rows is assumed to cost at first.
const FIRST_FRAME_COST: Duration = Duration::from_micros(1_000);
/// How much each new measurement moves an estimate (the rest is history),
/// in percent.
const WEIGHT: u32 = 30;

/// Estimates what rows cost and says how many fit in a frame.
#[derive(Debug)]
pub struct RowPacer {
    /// Estimated cost of one new row.
    per_row: Cell<Duration>,
    /// Estimated cost of a frame without new rows.
    base_frame: Cell<Duration>,
    /// Rows added since the last frame was drawn.
    rows_added: Cell<usize>,
    /// Time spent adding them.
    adding: Cell<Duration>,
    /// When the frame being drawn started.
    frame_started: Cell<Option<Instant>>,
    /// Whether the next frame drawn is left out of the estimates.
    skipping: Cell<bool>,
}

impl Default for RowPacer {
    fn default() -> Self {
        Self {
            per_row: Cell::new(FIRST_ROW_COST),
            base_frame: Cell::new(FIRST_FRAME_COST),
            rows_added: Cell::new(0),
            adding: Cell::new(Duration::ZERO),
            frame_started: Cell::new(None),
            skipping: Cell::new(false),
        }
    }
}

impl RowPacer {
    /// How many rows to add before the next frame.
    pub fn rows_for_frame(&self) -> usize {
        let room = BUDGET.saturating_sub(self.base_frame.get());
        let per_row = self.per_row.get().max(Duration::from_micros(1));
        let rows = (room.as_nanos() / per_row.as_nanos()) as usize;
        rows.clamp(MIN, MAX)
    }

    /// `rows` were added to the list, which took `took`.
    pub fn added(&self, rows: usize, took: Duration) {
        self.rows_added.set(self.rows_added.get() + rows);
        self.adding.set(self.adding.get() + took);
    }

    /// The next frame does other work instead of new rows (the list lets
    /// go of old rows): it teaches nothing about what frames cost.
    pub fn skip_frame(&self) {
        self.skipping.set(true);
    }

    /// A frame starts (the frame clock's `before-paint`).
    pub fn frame_starting(&self, now: Instant) {
        self.frame_started.set(Some(now));
    }

    /// The frame that started is drawn (the frame clock's `after-paint`):
    /// learn from what it cost.
    pub fn frame_drawn(&self, now: Instant) {
        let Some(started) = self.frame_started.take() else {
            return;
        };
        let work = now.saturating_duration_since(started);
        let rows = self.rows_added.replace(0);
        let adding = self.adding.replace(Duration::ZERO);
        if self.skipping.replace(false) {
            return;
        }
        if rows == 0 {
            self.base_frame.set(blend(self.base_frame.get(), work));
        } else {
            let cost = adding + work.saturating_sub(self.base_frame.get());
            let sample = cost / rows as u32;
            self.per_row.set(blend(self.per_row.get(), sample));
        }
    }
}

/// How many rows a backlog keeps room for once it is emptied: ten frames'
/// worth at the pacer's highest rate.
const BACKLOG_KEPT: usize = 10 * MAX;

/// Take the first `count` rows of `backlog` (all, if it holds fewer), and
/// give back its room once it is empty. While frames are few or none
/// (a slow machine; a hidden window draws none) a flood's messages wait
/// in the backlog, a quarter of a kilobyte each: in a run where all 5,000
/// waited, its room then held 2.2 MB for as long as the chat stayed open.
pub fn take_rows<T>(backlog: &mut VecDeque<T>, count: usize) -> Vec<T> {
    let rows = backlog.drain(..count.min(backlog.len())).collect();
    if backlog.is_empty() {
        backlog.shrink_to(BACKLOG_KEPT);
    }
    rows
}

/// Move `estimate` towards `sample` by [`WEIGHT`] percent.
fn blend(estimate: Duration, sample: Duration) -> Duration {
    (estimate * (100 - WEIGHT) + sample * WEIGHT) / 100
}

/// Let go of all but the newest `keep` rows of `backlog`, giving back the
/// room the others took; returns how many went.
pub fn keep_newest<T>(backlog: &mut VecDeque<T>, keep: usize) -> usize {
    let gone = backlog.len().saturating_sub(keep);
    backlog.drain(..gone);
    backlog.shrink_to(BACKLOG_KEPT.max(keep));
    gone
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draw one frame that took `work`, after `rows` rows that took
    /// `adding` to add.
    fn frame(pacer: &RowPacer, rows: usize, adding: Duration, work: Duration) {
        let start = Instant::now();
        pacer.added(rows, adding);
        pacer.frame_starting(start);
        pacer.frame_drawn(start + work);
    }

    #[test]
    fn starts_with_a_few_rows_within_the_budget() {
        let rows = RowPacer::default().rows_for_frame();
        assert!((2..=8).contains(&rows), "{rows}");
    }

    #[test]
    fn cheap_rows_come_many_to_a_frame_and_dear_ones_few() {
        let cheap = RowPacer::default();
        for _ in 0..30 {
            frame(
                &cheap,
                4,
                Duration::from_micros(400),
                Duration::from_millis(2),
            );
        }
        // 0.1 ms to add and 0.25 ms of frame each (over a 1 ms frame).
        let many = cheap.rows_for_frame();
        assert!((18..=22).contains(&many), "{many}");

        let dear = RowPacer::default();
        for _ in 0..30 {
            frame(&dear, 4, Duration::from_millis(4), Duration::from_millis(9));
        }
        // 3 ms a row: two fit in 8 ms less the 1 ms frame.
        assert_eq!(dear.rows_for_frame(), 2);
    }

    #[test]
    fn a_busier_window_leaves_less_room_for_rows() {
        let pacer = RowPacer::default();
        for _ in 0..30 {
            frame(&pacer, 4, Duration::ZERO, Duration::from_millis(5));
        }
        let quiet = pacer.rows_for_frame();
        for _ in 0..30 {
            frame(&pacer, 0, Duration::ZERO, Duration::from_millis(6));
        }
        let busy = pacer.rows_for_frame();
        assert!(
            busy < quiet,
            "{busy} rows with busy frames, {quiet} with quiet ones"
        );
    }

    #[test]
    fn stays_within_its_bounds() {
        let pacer = RowPacer::default();
        for _ in 0..30 {
            frame(&pacer, 10, Duration::ZERO, Duration::from_micros(1_010));
        }
        assert_eq!(pacer.rows_for_frame(), MAX);
        for _ in 0..30 {
            frame(
                &pacer,
                1,
                Duration::from_millis(50),
                Duration::from_millis(30),
            );
        }
        assert_eq!(pacer.rows_for_frame(), MIN);
    }

    #[test]
    fn an_emptied_backlog_gives_back_its_room() {
        let mut backlog: VecDeque<[u8; 272]> = std::iter::repeat_n([0; 272], 5_000).collect();
        let mut taken = 0;
        while !backlog.is_empty() {
            let rows = take_rows(&mut backlog, MAX);
            assert!(!rows.is_empty() && rows.len() <= MAX);
            taken += rows.len();
            if !backlog.is_empty() {
                assert!(backlog.capacity() >= 5_000, "shrunk while rows wait");
            }
        }
        assert_eq!(taken, 5_000);
        assert!(backlog.capacity() <= BACKLOG_KEPT, "{}", backlog.capacity());
        assert!(take_rows(&mut backlog, MAX).is_empty());
    }

    #[test]
    fn a_long_backlog_keeps_its_newest_rows_in_order() {
        let mut backlog: VecDeque<usize> = (0..5_000).collect();
        assert_eq!(keep_newest(&mut backlog, 200), 4_800);
        assert!(backlog.iter().copied().eq(4_800..5_000));
        assert!(backlog.capacity() <= BACKLOG_KEPT, "{}", backlog.capacity());
        assert_eq!(keep_newest(&mut backlog, 300), 0);
        assert_eq!(backlog.len(), 200);
    }

    #[test]
    fn a_frame_given_to_other_work_teaches_nothing() {
        let pacer = RowPacer::default();
        let before = pacer.rows_for_frame();
        pacer.skip_frame();
        frame(&pacer, 0, Duration::ZERO, Duration::from_millis(15));
        assert_eq!(pacer.rows_for_frame(), before);
        // Only that one frame.
        frame(&pacer, 0, Duration::ZERO, Duration::from_millis(15));
        assert!(pacer.rows_for_frame() < before);
    }

    #[test]
    fn a_frame_that_never_started_teaches_nothing() {
        let pacer = RowPacer::default();
        let before = pacer.rows_for_frame();
        pacer.added(10, Duration::from_secs(1));
        pacer.frame_drawn(Instant::now());
        assert_eq!(pacer.rows_for_frame(), before);
    }
}
