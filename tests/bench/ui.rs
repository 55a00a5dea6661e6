//! UI benchmark: the real Warbler binary against a real Prosody on
//! 127.0.0.1, with an account of 1,000 contacts and 300 chats. Run it on a
//! display with a Secret Service, e.g.
//! `GSK_RENDERER=cairo xvfb-run -a tests/scripts/in-session.sh cargo bench --bench ui`.
//!
//! Warbler is started with `WARBLER_PERF=1`, which makes it write timing
//! marks and a per-second frame summary to standard error. Reported:
//!
//! - start-up: from starting the process to its first drawn frame, to
//!   being signed in and to the roster being shown (median of 5 starts);
//! - memory: resident size after 5 s idle with the roster loaded;
//! - flood: frames while 5,000 messages arrive in the open chat of the
//!   focused window (the pointer is put over it; needs xdotool), as the
//!   server delivers them, in about ten seconds: how many
//!   frames were late (> 25 ms apart), how many of those only because
//!   Warbler's main thread waited for a CPU (on this 2-core machine the
//!   local server and X server compete with it), in how many Warbler's
//!   main thread itself ran for more than a frame (16.7 ms) between the
//!   two frames, and the longest gap; and how much the process grew, with
//!   the part that is window images shared with the X server (cairo keeps
//!   a second one when the server is slow to take the first); and the CPU
//!   time of the whole process and of its main thread over the flood;
//! - background: the same flood while no chat is open, so every message
//!   counts as unread and notifies; a fake notification server
//!   (`tests/ui/notifyd.py`) counts the notifications and their updates;
//! - open unread: frames while Bob's chat opens on the first of 1,000
//!   messages that came while another chat was open (clicked in the chat
//!   list with xdotool; all of them are loaded at once). A screenshot goes
//!   to the temp directory.
//! - big room: frames while the occupant list of a room with 2,000
//!   occupants is scrolled with the mouse wheel (joined through an
//!   `xmpp:…?join` link and Enter in the Join Room dialog; needs xdotool).
//!   Screenshots before and after scrolling go to the temp directory.
//!
//! With `UI_BENCH_VERBOSE` set, every per-second frame summary is printed.
//! With `UI_BENCH_HEAPTRACK=<file>`, Warbler runs under heaptrack, which
//! writes where its heap is allocated to `<file>.zst` (with `UI_BENCH_HOLD`,
//! end the held process to see the idle heap as "leaked").
//!
//! Name scenarios after `--` to run only those: `start-up`, `memory`
//! (which includes the flood), `background`, `open-unread` and `big-room`,
//! e.g.
//! `cargo bench --bench ui -- big-room`.

#[path = "process.rs"]
mod process;
#[path = "../support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::muc::add_fake_occupants;
use support::{RawClient, TestServer, profile};
use warbler::model::BareJid;

const PASSWORD: &str = "bench";
const CONTACTS: usize = 1_000;
/// Chats in the chat list besides Bob's (with the first filler contacts).
const CHATS: usize = 300;
const STARTS: usize = 5;
const FLOOD: usize = 5_000;
/// How long frames are watched once the flood is sent: until the server
/// has delivered it and the chat has shown it.
const FLOOD_WATCHED: Duration = Duration::from_secs(12);
/// How long frames are watched at idle, before the flood.
const IDLE_WATCHED: Duration = Duration::from_secs(5);
/// Bob's messages that arrive while another chat is open, before his chat
/// is opened on the first of them: as many as a chat opens on.
const UNREAD_OPENED: usize = 1_000;
const ROOM_OCCUPANTS: usize = 2_000;
/// Mouse wheel steps while scrolling the occupant list, and the pause
/// between them.
const WHEEL_STEPS: u32 = 150;
const WHEEL_PAUSE_MS: u32 = 30;
const MARK_TIMEOUT: Duration = Duration::from_secs(60);

/// How regularly frames came over a span of time.
#[derive(Debug, Default)]
struct Frames {
    /// Frames drawn.
    frames: u32,
    /// Gaps between two frames longer than 25 ms.
    late: u32,
    /// The longest gap, in milliseconds.
    longest_gap: f64,
    /// The longest time Warbler itself spent on one frame, in milliseconds.
    longest_work: f64,
    /// Frames whose own work took longer than 16.7 ms.
    slow: u32,
    /// Late frames that would have been on time had Warbler's main thread
    /// not waited for a CPU (the machine was busy with other work).
    starved: u32,
    /// Late frames in whose gap Warbler's main thread ran for more than
    /// 16.7 ms (in the others it mostly waited, for a CPU or for the
    /// display server).
    busy: u32,
}

impl std::fmt::Display for Frames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} frames, {} late (> 25 ms; {} of them only for waiting for a CPU; {} in which Warbler ran for over 16.7 ms), longest gap {:.1} ms; own work per frame at most {:.1} ms, {} frames over 16.7 ms",
            self.frames,
            self.late,
            self.starved,
            self.busy,
            self.longest_gap,
            self.longest_work,
            self.slow
        )
    }
}

/// A running Warbler and the `warbler-perf` lines it writes.
struct Warbler {
    child: Child,
    started: Instant,
    lines: mpsc::Receiver<(Instant, String)>,
}

impl Warbler {
    fn launch(data_dir: &Path, ca: &Path, uri: Option<&str>) -> Warbler {
        let binary = env!("CARGO_BIN_EXE_warbler");
        let mut command = match std::env::var("UI_BENCH_HEAPTRACK") {
            Ok(output) => {
                let mut heaptrack = Command::new("heaptrack");
                heaptrack.arg("-o").arg(output).arg(binary);
                heaptrack
            }
            Err(_) => Command::new(binary),
        };
        command
            .arg("--data-dir")
            .arg(data_dir)
            .args(uri)
            .env("WARBLER_PERF", "1")
            .env("SSL_CERT_FILE", ca)
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = command.spawn().expect("start the warbler binary");
        let stderr = child.stderr.take().expect("piped stderr");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(perf) = line.strip_prefix("warbler-perf ") {
                    if sender.send((Instant::now(), perf.to_owned())).is_err() {
                        break;
                    }
                } else {
                    eprintln!("warbler: {line}");
                }
            }
        });
        Warbler {
            child,
            started,
            lines,
        }
    }

    /// Milliseconds from the start of the process until each of `marks`.
    fn wait_for_marks(&self, marks: &[&str]) -> Vec<f64> {
        let mut seen = vec![None; marks.len()];
        let deadline = Instant::now() + MARK_TIMEOUT;
        while seen.iter().any(Option::is_none) {
            let left = deadline.saturating_duration_since(Instant::now());
            let (at, line) = self.lines.recv_timeout(left).unwrap_or_else(|_| {
                let missing: Vec<&str> = marks
                    .iter()
                    .zip(&seen)
                    .filter(|(_, at)| at.is_none())
                    .map(|(mark, _)| *mark)
                    .collect();
                self.sample_main_thread();
                let shot = std::env::temp_dir().join("warbler-ui-bench-timeout.png");
                let _ = Command::new("import")
                    .args(["-window", "root"])
                    .arg(&shot)
                    .status();
                panic!(
                    "Warbler did not report {missing:?} in time (screen: {})",
                    shot.display()
                )
            });
            eprintln!("perf line: {line}");
            if let Some(name) = line.strip_prefix("mark ").and_then(|m| m.split(' ').next())
                && let Some(i) = marks.iter().position(|m| *m == name)
            {
                seen[i] = Some((at - self.started).as_secs_f64() * 1000.0);
            }
        }
        seen.into_iter().flatten().collect()
    }

    /// The frames Warbler reported over the next `span`, summed up.
    fn frames_during(&self, span: Duration) -> Frames {
        let deadline = Instant::now() + span;
        let mut total = Frames::default();
        while let Ok((_, line)) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if std::env::var_os("UI_BENCH_VERBOSE").is_some() {
                eprintln!("warbler-perf {line}");
            }
            let fields: Vec<&str> = line.split(' ').collect();
            if let [
                "frames",
                frames,
                "longest-gap-ms",
                gap,
                "late",
                late,
                "longest-work-ms",
                work,
                "slow",
                slow,
                "starved",
                starved,
                "busy",
                busy,
            ] = fields[..]
            {
                total.frames += frames.parse().unwrap_or(0);
                total.late += late.parse().unwrap_or(0);
                total.longest_gap = total.longest_gap.max(gap.parse().unwrap_or(0.0));
                total.longest_work = total.longest_work.max(work.parse().unwrap_or(0.0));
                total.slow += slow.parse().unwrap_or(0);
                total.starved += starved.parse().unwrap_or(0);
                total.busy += busy.parse().unwrap_or(0);
            }
        }
        total
    }

    /// With `UI_BENCH_GDB` set, print a few stack samples of Warbler's main
    /// thread (to see what keeps it from drawing).
    fn sample_main_thread(&self) {
        if std::env::var_os("UI_BENCH_GDB").is_none() {
            return;
        }
        for _ in 0..3 {
            let _ = Command::new("gdb")
                .args(["-p", &self.child.id().to_string(), "-batch"])
                .args(["-ex", "thread apply 1 bt 30"])
                .status();
            std::thread::sleep(Duration::from_secs(1));
        }
    }

    /// Resident MiB of GL drivers (Mesa's): none where Warbler found no GPU
    /// and kept GTK off GL; on a desktop, the GPU's driver.
    fn gl_driver_mib(&self) -> f64 {
        self.mapped_mib(|mapping| mapping.contains("libLLVM") || mapping.contains("/dri/"))
    }

    /// Resident MiB of System V shared memory: the window's images that
    /// cairo shares with the X server (MIT-SHM), one window-sized buffer
    /// each, a second one while the server still reads the first.
    fn frame_buffer_mib(&self) -> f64 {
        self.mapped_mib(|mapping| mapping.contains("/SYSV"))
    }

    /// Resident MiB of the mappings whose name (file path, `/SYSV…`,
    /// `[heap]`, "[anonymous]") matches.
    fn mapped_mib(&self, matches: impl Fn(&str) -> bool) -> f64 {
        self.resident_by_mapping()
            .iter()
            .filter(|(name, _)| matches(name))
            // Folded from 0.0: an empty float sum is -0.0, printed "-0.0".
            .fold(0.0, |total, (_, mib)| total + mib)
    }

    /// Resident MiB per mapping name, from `/proc/<pid>/smaps` (anonymous
    /// mappings summed as "[anonymous]").
    fn resident_by_mapping(&self) -> std::collections::HashMap<String, f64> {
        let smaps =
            std::fs::read_to_string(format!("/proc/{}/smaps", self.child.id())).unwrap_or_default();
        let mut by_name: std::collections::HashMap<String, f64> = Default::default();
        let mut name = String::new();
        for line in smaps.lines() {
            if line.starts_with(|c: char| c.is_ascii_hexdigit()) && line.contains('-') {
                name = line
                    .split_whitespace()
                    .nth(5)
                    .unwrap_or("[anonymous]")
                    .to_owned();
            } else if let Some(value) = line.strip_prefix("Rss:") {
                *by_name.entry(name.clone()).or_default() += process::kib_to_mib(value);
            }
        }
        by_name
    }

    fn rss_mib(&self) -> f64 {
        process::rss_mib(&self.child.id().to_string())
    }

    /// CPU seconds used so far by the whole process and by its main
    /// thread.
    fn cpu_seconds(&self) -> (f64, f64) {
        let pid = self.child.id();
        (
            process::cpu_seconds_of(&pid.to_string()),
            process::cpu_seconds_of(&format!("{pid}/task/{pid}")),
        )
    }

    /// With `UI_BENCH_VERBOSE` set, print where the resident memory is:
    /// the largest mappings by file (anonymous memory as one line).
    fn print_memory_breakdown(&self) {
        if std::env::var_os("UI_BENCH_VERBOSE").is_none() {
            return;
        }
        let mut largest: Vec<(String, f64)> = self.resident_by_mapping().into_iter().collect();
        largest.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (name, mib) in largest.iter().take(25) {
            println!("  {mib:7.1} MiB  {name}");
        }
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test --all-targets` runs bench binaries too; measuring
        // belongs to `cargo bench`.
        println!("UI benchmarks: run with `cargo bench --bench ui` under a display");
        return;
    }
    let chosen: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let runs = |scenario: &str| chosen.is_empty() || chosen.iter().any(|c| c == scenario);
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let server = TestServer::builder()
        .accounts(&[("alice", PASSWORD), ("bob", PASSWORD)])
        .name("bob", "Bob")
        .all_contacts()
        .filler_contacts("alice", CONTACTS - 1)
        .start();
    let profile_dir = tempfile::tempdir().expect("profile directory");
    runtime
        .block_on(profile::add_account(
            &server,
            profile_dir.path(),
            "alice",
            PASSWORD,
        ))
        .expect("add alice's account");
    let alice = BareJid::new(&server.jid("alice")).expect("alice's address");
    let peers: Vec<BareJid> = (1..=CHATS)
        .map(|n| BareJid::new(&server.jid(&format!("contact{n:04}"))).expect("an address"))
        .collect();
    runtime.block_on(warbler::bench_support::populate_chats(
        profile_dir.path(),
        &alice,
        &peers,
    ));
    let mut bob = runtime.block_on(async {
        let mut bob = RawClient::connect(&server, "bob", PASSWORD).await;
        bob.send_presence(None, Some("Flooding")).await;
        bob
    });

    if runs("start-up") {
        start_up(&server, profile_dir.path());
    }
    if runs("memory") {
        memory_and_flood(
            &runtime,
            &server,
            profile_dir.path(),
            &mut bob,
            Reader::Watching,
        );
    }
    if runs("background") {
        memory_and_flood(
            &runtime,
            &server,
            profile_dir.path(),
            &mut bob,
            Reader::Away,
        );
    }
    if runs("open-unread") {
        open_unread(&runtime, &server, profile_dir.path(), &mut bob);
    }
    if runs("big-room") {
        big_room(&runtime, &server, profile_dir.path(), &mut bob);
    }

    if let Err(error) = runtime.block_on(profile::forget_account(
        &server,
        profile_dir.path(),
        "alice",
    )) {
        eprintln!("Could not remove the benchmark account: {error}");
    }
}

/// Start Warbler a few times and time its marks.
fn start_up(server: &TestServer, profile_dir: &Path) {
    let marks = ["first-frame", "online", "roster-shown"];
    let mut runs: Vec<Vec<f64>> = Vec::new();
    for _ in 0..STARTS {
        let warbler = Warbler::launch(profile_dir, &server.ca_pem_path(), None);
        runs.push(warbler.wait_for_marks(&marks));
        warbler.stop();
    }
    for (i, mark) in marks.iter().enumerate() {
        let values: Vec<f64> = runs.iter().map(|run| run[i]).collect();
        println!(
            "start-up: {mark} after {:.0} ms (median of {STARTS}; min {:.0}, max {:.0})",
            median(values.clone()),
            values.iter().copied().fold(f64::INFINITY, f64::min),
            values.iter().copied().fold(0.0, f64::max),
        );
    }
}

/// Where the user is while Bob floods the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// Reading it: the window has the focus.
    Watching,
    /// Elsewhere: the chat is not open, so messages notify.
    Away,
}

/// Resident memory after idling with the roster, then frames while Bob
/// floods the open chat.
fn memory_and_flood(
    runtime: &tokio::runtime::Runtime,
    server: &TestServer,
    profile_dir: &Path,
    bob: &mut RawClient,
    reader: Reader,
) {
    let notifications = tempfile::tempdir().expect("temp dir");
    let notification_server = (reader == Reader::Away)
        .then(|| FakeNotificationServer::start(&notifications.path().join("shown.jsonl")));
    let label = match reader {
        Reader::Watching => "flood",
        Reader::Away => "background flood",
    };
    let bob_uri = format!("xmpp:{}?message", server.jid("bob"));
    // Away, no chat is open: the window stays active without a window
    // manager to take the focus away, but Bob's chat is not being read.
    let uri = (reader == Reader::Watching).then_some(bob_uri.as_str());
    let warbler = Warbler::launch(profile_dir, &server.ca_pem_path(), uri);
    warbler.wait_for_marks(&["online", "roster-shown"]);
    warbler.sample_main_thread();
    let idle_cpu = warbler.cpu_seconds();
    let idle = warbler.frames_during(IDLE_WATCHED);
    let idle_cpu = cpu_used_since(idle_cpu, warbler.cpu_seconds());
    let idle_rss = warbler.rss_mib();
    let idle_frame_buffers = warbler.frame_buffer_mib();
    println!(
        "memory: {idle_rss:.1} MiB resident after {} s idle with {CONTACTS} contacts, {:.1} MiB of it GL drivers (idle: {idle})",
        IDLE_WATCHED.as_secs(),
        warbler.gl_driver_mib(),
    );
    warbler.print_memory_breakdown();
    if let Some(seconds) = std::env::var("UI_BENCH_HOLD")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        // Time to look at the idle process from outside.
        println!("memory: holding pid {} for {seconds} s", warbler.child.id());
        std::thread::sleep(Duration::from_secs(seconds));
        // What was drawn meanwhile is not part of the next figure.
        while warbler.lines.try_recv().is_ok() {}
    }

    // The reader watches the chat: with the pointer over the window it has
    // the keyboard focus (there is no window manager), so messages arrive
    // in a focused chat and are read as they come, as for a user.
    xdotool(&["mousemove", "480", "320"]);
    let alice = server.jid("alice");
    let flood_cpu = warbler.cpu_seconds();
    let flooding = Instant::now();
    runtime.block_on(async {
        for i in 0..FLOOD {
            bob.send_message(
                &alice,
                &format!("Flood message {i}: an ordinary line of chat"),
            )
            .await;
        }
    });
    let sent_in = flooding.elapsed();
    warbler.sample_main_thread();
    let during = warbler.frames_during(FLOOD_WATCHED);
    let (flood_cpu, flood_main_cpu) = cpu_used_since(flood_cpu, warbler.cpu_seconds());
    let rss = warbler.rss_mib();
    println!(
        "{label}: {FLOOD} messages sent in {:.2} s; over the following {} s: {during}; RSS {rss:.1} MiB ({:+.1} MiB, {:+.1} MiB of it shared frame buffers)",
        sent_in.as_secs_f64(),
        FLOOD_WATCHED.as_secs(),
        rss - idle_rss,
        warbler.frame_buffer_mib() - idle_frame_buffers,
    );
    // Idle frames cost CPU here because the frame counter of WARBLER_PERF
    // asks for every frame; the idle rate shows that share.
    let idle_rate = FLOOD_WATCHED.as_secs_f64() / IDLE_WATCHED.as_secs_f64();
    println!(
        "{label}: CPU {flood_cpu:.2} s, {flood_main_cpu:.2} s of it the main thread, from the first message sent to the end of those {} s (idle for as long: {:.2} s, {:.2} s)",
        FLOOD_WATCHED.as_secs(),
        idle_cpu.0 * idle_rate,
        idle_cpu.1 * idle_rate,
    );
    if let Some(notification_server) = notification_server {
        let shown = notification_server.stop();
        println!(
            "{label}: {} notifications shown or updated, the last: {}",
            shown.len(),
            shown.last().map_or("none", String::as_str)
        );
    }
    warbler.print_memory_breakdown();
    warbler.stop();
}

/// The CPU seconds (process, main thread) used between two readings.
fn cpu_used_since(before: (f64, f64), now: (f64, f64)) -> (f64, f64) {
    (now.0 - before.0, now.1 - before.1)
}

/// The UI tests' fake notification server, on the benchmark's session bus.
struct FakeNotificationServer {
    child: Child,
    record: std::path::PathBuf,
}

impl FakeNotificationServer {
    fn start(record: &Path) -> FakeNotificationServer {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/notifyd.py");
        // The system Python, which has the GObject bindings.
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(record)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the fake notification server");
        let mut ready = String::new();
        BufReader::new(child.stdout.take().expect("its output"))
            .read_line(&mut ready)
            .expect("read from the fake notification server");
        assert_eq!(
            ready.trim(),
            "ready",
            "the fake notification server did not start"
        );
        FakeNotificationServer {
            child,
            record: record.to_owned(),
        }
    }

    /// Stop it; every notification shown or updated, as a JSON line.
    fn stop(mut self) -> Vec<String> {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
        std::fs::read_to_string(&self.record)
            .unwrap_or_default()
            .lines()
            .filter(|line| line.contains("\"summary\""))
            .map(str::to_owned)
            .collect()
    }
}

/// Run xdotool with `args` (input to the test display).
fn xdotool(args: &[&str]) {
    let status = Command::new("xdotool")
        .args(args)
        .status()
        .expect("run xdotool");
    assert!(status.success(), "xdotool {args:?} failed");
}

/// A picture of the screen in the temp directory; returns its path.
fn screenshot(name: &str) -> std::path::PathBuf {
    let shot = std::env::temp_dir().join(name);
    let _ = Command::new("import")
        .args(["-window", "root"])
        .arg(&shot)
        .status();
    shot
}

/// Open Bob's chat on the first of [`UNREAD_OPENED`] messages he sent while
/// another chat was open.
fn open_unread(
    runtime: &tokio::runtime::Runtime,
    server: &TestServer,
    profile_dir: &Path,
    bob: &mut RawClient,
) {
    // Opened first, his chat holds nothing unread from other scenarios.
    let bob_uri = format!("xmpp:{}?message", server.jid("bob"));
    let warbler = Warbler::launch(profile_dir, &server.ca_pem_path(), Some(&bob_uri));
    warbler.wait_for_marks(&["online", "roster-shown"]);
    // Another chat: the chat list's second row (Bob's is first, or not
    // listed yet).
    xdotool(&["mousemove", "150", "129", "click", "1"]);
    let _ = warbler.frames_during(Duration::from_secs(1));
    let alice = server.jid("alice");
    runtime.block_on(async {
        for i in 0..UNREAD_OPENED {
            bob.send_message(
                &alice,
                &format!("Unread message {i}: while Alice was elsewhere"),
            )
            .await;
        }
    });
    // Let the server deliver them (about 500 a second).
    let _ = warbler.frames_during(Duration::from_secs(5));
    // Bob's chat is now the first row.
    let cpu = warbler.cpu_seconds();
    xdotool(&["mousemove", "150", "75", "click", "1"]);
    let during = warbler.frames_during(Duration::from_secs(3));
    let (cpu, main_cpu) = cpu_used_since(cpu, warbler.cpu_seconds());
    let shot = screenshot("warbler-ui-bench-open-unread.png");
    println!(
        "open unread: Bob's chat opened on the first of {UNREAD_OPENED} unread messages; over the following 3 s: {during}; CPU {cpu:.2} s, {main_cpu:.2} s of it the main thread; RSS {:.1} MiB (screen: {})",
        warbler.rss_mib(),
        shot.display()
    );
    warbler.stop();
}

/// Join a room of 2,000 occupants and scroll its occupant list.
fn big_room(
    runtime: &tokio::runtime::Runtime,
    server: &TestServer,
    profile_dir: &Path,
    bob: &mut RawClient,
) {
    let room = format!("big@{}", server.muc_domain());
    runtime.block_on(bob.join_room(&room, "Bob"));
    add_fake_occupants(server, &room, ROOM_OCCUPANTS);
    let uri = format!("xmpp:{room}?join");
    let warbler = Warbler::launch(profile_dir, &server.ca_pem_path(), Some(&uri));
    warbler.wait_for_marks(&["online"]);
    // The Join Room dialog opens filled in; Enter joins.
    std::thread::sleep(Duration::from_secs(2));
    let enter = Instant::now();
    xdotool(&["key", "Return"]);
    warbler.wait_for_marks(&["occupants-shown"]);
    let joined = enter.elapsed();
    // Let the rest of the join (history, avatars) settle first.
    let _ = warbler.frames_during(Duration::from_secs(3));
    let before = screenshot("warbler-ui-bench-big-room.png");
    // The occupant list is the window's right-hand column.
    xdotool(&["mousemove", "830", "350"]);
    let steps = WHEEL_STEPS.to_string();
    let pause = WHEEL_PAUSE_MS.to_string();
    let wheel = std::thread::spawn(move || {
        xdotool(&["click", "--repeat", &steps, "--delay", &pause, "5"]);
    });
    let during = warbler.frames_during(Duration::from_millis(
        u64::from(WHEEL_STEPS * WHEEL_PAUSE_MS) + 1_000,
    ));
    wheel.join().expect("wheel thread");
    let after = screenshot("warbler-ui-bench-big-room-scrolled.png");
    println!(
        "big room: occupants shown {:.0} ms after Enter; occupant list of {ROOM_OCCUPANTS} scrolled by {WHEEL_STEPS} wheel steps: {during}; RSS {:.1} MiB (screens: {}, {})",
        joined.as_secs_f64() * 1000.0,
        warbler.rss_mib(),
        before.display(),
        after.display()
    );
    warbler.stop();
}
