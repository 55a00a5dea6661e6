//! Timing marks for the UI benchmark, off unless `WARBLER_PERF` is set.
//!
//! With it set, Warbler writes lines starting with `warbler-perf` to
//! standard error: one-off marks (first frame drawn, signed in, roster
//! shown) and, once a second, how regularly frames were drawn. The
//! benchmark reads them; they cost nothing when the variable is unset.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use relm4::gtk::{self, glib, prelude::*};

/// A gap between two frames longer than this counts as a missed frame: one
/// and a half refresh intervals at 60 Hz.
const LATE_FRAME: Duration = Duration::from_micros(25_000);
/// How often the frame summary is written.
const REPORT_EVERY: Duration = Duration::from_secs(1);

fn started() -> Option<Instant> {
    static STARTED: OnceLock<Option<Instant>> = OnceLock::new();
    *STARTED.get_or_init(|| std::env::var_os("WARBLER_PERF").map(|_| Instant::now()))
}

/// Start the clock (call first thing in `main`).
pub fn init() {
    let _ = started();
}

/// Write a one-off mark the first time `what` happens.
pub fn mark(what: &'static str) {
    let Some(started) = started() else {
        return;
    };
    static SEEN: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let first = SEEN
        .lock()
        .map(|mut seen| seen.get_or_insert_with(HashSet::new).insert(what))
        .unwrap_or(false);
    if first {
        eprintln!(
            "warbler-perf mark {what} {:.1}",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Frames drawn since the last summary.
struct FrameStats {
    last_frame: Option<Instant>,
    period_start: Instant,
    frames: u32,
    late: u32,
    longest: Duration,
}

impl FrameStats {
    fn frame(&mut self, now: Instant) {
        match self.last_frame {
            None => mark("first-frame"),
            Some(previous) => {
                let gap = now - previous;
                self.longest = self.longest.max(gap);
                if gap > LATE_FRAME {
                    self.late += 1;
                }
            }
        }
        self.last_frame = Some(now);
        self.frames += 1;
        if now - self.period_start >= REPORT_EVERY {
            eprintln!(
                "warbler-perf frames {} longest-gap-ms {:.1} late {}",
                self.frames,
                self.longest.as_secs_f64() * 1000.0,
                self.late
            );
            self.period_start = now;
            (self.frames, self.late, self.longest) = (0, 0, Duration::ZERO);
        }
    }
}

/// Keep `window` drawing every frame and report, once a second, how many
/// frames there were, the longest gap between two and how many gaps were
/// late. Marks `first-frame` on the first one.
pub fn watch_frames(window: &impl IsA<gtk::Widget>) {
    if started().is_none() {
        return;
    }
    let stats = RefCell::new(FrameStats {
        last_frame: None,
        period_start: Instant::now(),
        frames: 0,
        late: 0,
        longest: Duration::ZERO,
    });
    window.add_tick_callback(move |_, _| {
        stats.borrow_mut().frame(Instant::now());
        glib::ControlFlow::Continue
    });
}
