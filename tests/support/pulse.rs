//! A private PulseAudio daemon with virtual microphones and speakers, so
//! that calls can capture from and play to real (if virtual) audio devices
//! on a machine without a sound card.
//!
//! The daemon runs without any configuration file (`-n`), never exits on
//! its own, accepts clients only on a Unix socket in a temporary directory,
//! and is stopped by PID when its [`PulseSession`] is dropped (or killed
//! with the test thread that started it, through a parent-death signal).
//!
//! GStreamer finds a PulseAudio server through the process environment, so
//! the first session points `PULSE_SERVER` at a socket path fixed for the
//! whole test process; every later daemon listens on the same path. The
//! default microphone and speaker are daemon-wide state too, so sessions
//! run one at a time: [`PulseSession::start`] waits for the previous one to
//! end. Set `WARBLER_TEST_KEEP_SERVER=1` to keep the daemon's directory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::prelude::*;
use warbler::jingle::media::samples_sink;

use super::media::Received;

const START_TIMEOUT: Duration = Duration::from_secs(10);

/// One session at a time: they share the socket path and the defaults.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The directory of every daemon of this process (and its socket).
fn process_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("warbler-pulse-{}", std::process::id()));
        let socket = dir.join("native");
        // SAFETY: runs once, before this process first uses GStreamer or
        // PulseAudio (every test of a binary that links this module starts
        // with a session), so no other thread reads the environment now.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var("PULSE_SERVER", format!("unix:{}", socket.display()));
        }
        dir
    })
}

/// A running private PulseAudio daemon; stopped and deleted on drop.
pub struct PulseSession {
    dir: PathBuf,
    child: Option<Child>,
    control: PulseControl,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl std::ops::Deref for PulseSession {
    type Target = PulseControl;

    fn deref(&self) -> &PulseControl {
        &self.control
    }
}

impl PulseSession {
    /// Waits for the previous session to end, then starts a fresh daemon.
    /// Panics with the daemon's log when it does not answer within 10 s.
    pub async fn start() -> PulseSession {
        let turn = TURN.lock().await;
        let dir = process_dir().to_path_buf();
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["runtime", "home"] {
            std::fs::create_dir_all(dir.join(sub)).expect("create the PulseAudio directory");
        }
        let log = std::fs::File::create(dir.join("pulse.log")).expect("create pulse.log");
        let mut command = super::dies_with_test("pulseaudio");
        command
            .args([
                "-n",
                "--daemonize=no",
                "--system=false",
                "--exit-idle-time=-1",
                "--use-pid-file=false",
                "--realtime=false",
                "--high-priority=false",
                "--log-target=stderr",
                "-L",
            ])
            .arg(format!(
                "module-native-protocol-unix auth-anonymous=1 socket={}",
                dir.join("native").display()
            ))
            .env("XDG_RUNTIME_DIR", dir.join("runtime"))
            .env("PULSE_RUNTIME_PATH", dir.join("runtime"))
            .env("HOME", dir.join("home"))
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("Could not start pulseaudio (is it installed?): {e}"));
        let mut session = PulseSession {
            control: PulseControl::new(dir.join("native")),
            dir,
            child: Some(child),
            _turn: turn,
        };
        session.wait_until_ready();
        session
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if self.control.answers() {
                return;
            }
            if super::has_exited(&mut self.child) || Instant::now() > deadline {
                let log = self.log();
                self.stop();
                panic!("PulseAudio did not start within {START_TIMEOUT:?}.\n{log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The daemon's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("pulse.log")).unwrap_or_default()
    }

    /// Plays a sine tone of `frequency` Hz into the microphone `mic`.
    pub fn play_tone(&self, mic: &str, frequency: u32) {
        self.control.load(
            "module-sine",
            &[format!("sink={mic}_air"), format!("frequency={frequency}")],
        )
    }

    /// Stops the daemon (SIGTERM, then SIGKILL after 5 s).
    pub fn stop(&mut self) {
        if let Some(child) = self.child.take() {
            super::stop_server(child);
        }
    }
}

/// `pactl` for one sound server speaking PulseAudio's protocol (PulseAudio
/// itself or PipeWire's `pipewire-pulse`): virtual devices, and what plays
/// and records on them.
pub struct PulseControl {
    socket: PathBuf,
}

impl PulseControl {
    /// Controls the server listening on the Unix socket `socket`.
    pub fn new(socket: PathBuf) -> PulseControl {
        PulseControl { socket }
    }

    /// Whether the server answers on its socket.
    pub fn answers(&self) -> bool {
        self.socket.exists() && self.pactl(&["info"]).status.success()
    }

    fn pactl(&self, args: &[&str]) -> Output {
        Command::new("pactl")
            .args(args)
            .env("PULSE_SERVER", format!("unix:{}", self.socket.display()))
            .output()
            .unwrap_or_else(|e| panic!("Could not run pactl (pulseaudio-utils): {e}"))
    }

    /// Runs `pactl ARGS`, panicking with its error output on failure.
    pub fn run(&self, args: &[&str]) -> String {
        let output = self.pactl(args);
        assert!(
            output.status.success(),
            "pactl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    fn load(&self, module: &str, args: &[String]) {
        let mut all = vec!["load-module", module];
        all.extend(args.iter().map(String::as_str));
        self.run(&all);
    }

    /// A speaker: a null sink named `name` (its monitor is `name.monitor`).
    pub fn speaker(&self, name: &str, description: &str) {
        self.load(
            "module-null-sink",
            &[
                format!("sink_name={name}"),
                format!("sink_properties='device.description=\"{description}\"'"),
            ],
        )
    }

    /// A microphone named `name`, as a sound card's would be: a regular
    /// source (not a monitor), remapped from the monitor of a null sink
    /// `name_air` into which a tone can be played. Silent until
    /// something is played there.
    pub fn microphone(&self, name: &str, description: &str) {
        self.speaker(&format!("{name}_air"), &format!("Air of {description}"));
        self.load(
            "module-remap-source",
            &[
                format!("source_name={name}"),
                format!("master={name}_air.monitor"),
                format!("source_properties='device.description=\"{description}\"'"),
            ],
        )
    }

    /// The streams now playing and recording, with their devices, for
    /// failure messages.
    pub fn streams(&self) -> String {
        let list = |what| {
            let short = self.run(&["list", "short", what]);
            let names = self.run(&[
                "list",
                "short",
                if what == "sink-inputs" {
                    "sinks"
                } else {
                    "sources"
                },
            ]);
            format!("{what}:\n{short}\n(devices:\n{names})")
        };
        format!("{}\n{}", list("sink-inputs"), list("source-outputs"))
    }

    /// Makes the microphone `mic` and the speaker `speaker` the defaults.
    pub fn set_defaults(&self, mic: &str, speaker: &str) {
        self.run(&["set-default-source", mic]);
        self.run(&["set-default-sink", speaker]);
    }
}

impl Drop for PulseSession {
    fn drop(&mut self) {
        self.stop();
        super::remove_or_keep(&self.dir, "PulseAudio");
    }
}

/// What a speaker plays, recorded from its monitor; stopped on drop.
pub struct SpeakerRecording {
    pipeline: gst::Pipeline,
    /// The last 100 ms, for tone detection.
    pub received: Arc<Received>,
    /// How many samples were recorded.
    pub samples: Arc<AtomicU64>,
}

impl SpeakerRecording {
    /// Records the speaker `speaker` (a null sink) as 48 kHz mono.
    pub fn start(speaker: &str) -> SpeakerRecording {
        gst::init().expect("GStreamer");
        let received = Arc::new(Received::default());
        let pipeline = gst::Pipeline::new();
        let src = gst::ElementFactory::make("pulsesrc")
            .property("device", format!("{speaker}.monitor"))
            .build()
            .expect("pulsesrc (gstreamer1.0-pulseaudio)");
        let convert = gst::ElementFactory::make("audioconvert")
            .build()
            .expect("audioconvert");
        let resample = gst::ElementFactory::make("audioresample")
            .build()
            .expect("audioresample");
        let window = received.clone();
        let samples = Arc::new(AtomicU64::new(0));
        let counter = samples.clone();
        let sink = samples_sink(Arc::new(move |samples: &[f32]| {
            window.push(samples);
            counter.fetch_add(samples.len() as u64, Ordering::Relaxed);
        }));
        let elements = [&src, &convert, &resample, &sink];
        pipeline.add_many(elements).expect("add");
        gst::Element::link_many(elements).expect("link");
        pipeline
            .set_state(gst::State::Playing)
            .expect("record the speaker");
        SpeakerRecording {
            pipeline,
            received,
            samples,
        }
    }
}

impl Drop for SpeakerRecording {
    fn drop(&mut self) {
        let _ = self.pipeline.set_state(gst::State::Null);
    }
}
