//! Timing marks for the UI benchmark, off unless `WARBLER_PERF` is set.
//!
//! With it set, Warbler writes lines starting with `warbler-perf` to
//! standard error: one-off marks (first frame drawn, signed in, roster
//! shown), once a second how regularly frames were drawn, and for each
//! late frame what the main thread did meanwhile. The benchmark reads
//! them; they cost nothing when the variable is unset.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use relm4::gtk::{self, glib, prelude::*};

/// A gap between two frames longer than this counts as a missed frame: one
/// and a half refresh intervals at 60 Hz.
const LATE_FRAME: Duration = Duration::from_micros(25_000);
/// Frame work longer than this cannot fit in one refresh at 60 Hz.
const SLOW_FRAME: Duration = Duration::from_micros(16_667);
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
    /// When the frame being drawn started (its `before-paint`).
    work_started: Option<Instant>,
    /// The longest time one frame's work took (update, layout and paint),
    /// which tells our own cost apart from waiting for the display.
    longest_work: Duration,
    /// Frames whose work alone took longer than a frame at 60 Hz.
    slow: u32,
    /// Late frames that would have been on time but for the main thread
    /// waiting for a CPU (others' work on a busy machine).
    starved: u32,
    /// Late frames whose gap held more than a frame's worth of the main
    /// thread's own running (in the others it mostly waited, for a CPU or
    /// for the display server's replies).
    busy: u32,
    /// The last frame's work.
    last_work: Duration,
    /// The main thread's CPU time and run-queue wait at the last frame.
    last_sched: Option<ThreadTimes>,
}

/// What the kernel counts for the calling thread: time on a CPU and time
/// waiting for one (`/proc/thread-self/schedstat`).
#[derive(Clone, Copy)]
struct ThreadTimes {
    running: Duration,
    waiting: Duration,
}

impl ThreadTimes {
    fn now() -> Option<Self> {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
        Some(Self {
            running: Duration::from_nanos(fields.next()??),
            waiting: Duration::from_nanos(fields.next()??),
        })
    }
}

impl FrameStats {
    fn frame(&mut self, now: Instant) {
        let times = ThreadTimes::now();
        match self.last_frame {
            None => mark("first-frame"),
            Some(previous) => {
                let gap = now - previous;
                self.longest = self.longest.max(gap);
                if gap > LATE_FRAME {
                    self.late += 1;
                    self.report_late(gap, times);
                }
            }
        }
        self.last_sched = times;
        self.last_frame = Some(now);
        self.frames += 1;
        if now - self.period_start >= REPORT_EVERY {
            eprintln!(
                "warbler-perf frames {} longest-gap-ms {:.1} late {} longest-work-ms {:.1} slow {} starved {} busy {}",
                self.frames,
                self.longest.as_secs_f64() * 1000.0,
                self.late,
                self.longest_work.as_secs_f64() * 1000.0,
                self.slow,
                self.starved,
                self.busy
            );
            self.period_start = now;
            (self.frames, self.late, self.longest) = (0, 0, Duration::ZERO);
            (self.longest_work, self.slow) = (Duration::ZERO, 0);
            (self.starved, self.busy) = (0, 0);
        }
    }

    /// Say what the main thread did during a late frame's gap: the work of
    /// the frame before it, how long the thread ran, how long it waited for
    /// a CPU, and how long it slept (blocked on the display server's
    /// replies, or idle in the main loop). Counts the frame as starved if it
    /// would have been on time without the wait for a CPU, and as busy if
    /// the thread ran for more than a frame in the gap.
    fn report_late(&mut self, gap: Duration, now: Option<ThreadTimes>) {
        let (Some(before), Some(after)) = (self.last_sched, now) else {
            return;
        };
        let waiting = after.waiting.saturating_sub(before.waiting);
        let running = after.running.saturating_sub(before.running);
        if gap.saturating_sub(waiting) <= LATE_FRAME {
            self.starved += 1;
        }
        if running > SLOW_FRAME {
            self.busy += 1;
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "warbler-perf late-frame gap-ms {:.1} work-ms {:.1} running-ms {:.1} waiting-ms {:.1} blocked-ms {:.1}",
            ms(gap),
            ms(self.last_work),
            ms(running),
            ms(waiting),
            ms(gap.saturating_sub(running).saturating_sub(waiting)),
        );
    }

    fn work_finished(&mut self, now: Instant) {
        if let Some(started) = self.work_started.take() {
            let work = now - started;
            self.last_work = work;
            self.longest_work = self.longest_work.max(work);
            if work > SLOW_FRAME {
                self.slow += 1;
            }
        }
    }
}

/// Keep `window` drawing every frame and report, once a second, how many
/// frames there were, the longest gap between two, how many gaps were
/// late, and the longest and the number of slow frames by their own work.
/// Marks `first-frame` on the first one.
pub fn watch_frames(window: &impl IsA<gtk::Widget>) {
    if started().is_none() {
        return;
    }
    let stats = Rc::new(RefCell::new(FrameStats {
        last_frame: None,
        period_start: Instant::now(),
        frames: 0,
        late: 0,
        longest: Duration::ZERO,
        work_started: None,
        longest_work: Duration::ZERO,
        slow: 0,
        starved: 0,
        busy: 0,
        last_work: Duration::ZERO,
        last_sched: None,
    }));
    let clock_watched = std::cell::Cell::new(false);
    window.add_tick_callback(move |_, clock| {
        if !clock_watched.replace(true) {
            let before = stats.clone();
            clock.connect_before_paint(move |_| {
                before.borrow_mut().work_started = Some(Instant::now());
            });
            let after = stats.clone();
            clock.connect_after_paint(move |_| after.borrow_mut().work_finished(Instant::now()));
        }
        stats.borrow_mut().frame(Instant::now());
        glib::ControlFlow::Continue
    });
}
