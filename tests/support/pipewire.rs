//! A private PipeWire desktop, as Debian 12's GNOME runs it: the PipeWire
//! daemon, WirePlumber (the session manager that links streams to devices)
//! and `pipewire-pulse` (PulseAudio's protocol on top), on their own D-Bus
//! session bus, with virtual cameras, microphones and speakers. The same
//! device then reaches GStreamer through several providers, as on a real
//! desktop.
//!
//! Everything lives in a temporary directory; the daemons accept clients
//! only on Unix sockets there and are stopped by PID when the
//! [`PipeWireDesktop`] is dropped (or killed with the test thread that
//! started them, through a parent-death signal). GStreamer finds PipeWire
//! and PulseAudio through the process environment, so the first desktop
//! points `PIPEWIRE_RUNTIME_DIR` and `PULSE_SERVER` at paths fixed for the
//! whole test process and desktops run one at a time. Set
//! `WARBLER_TEST_KEEP_SERVER=1` to keep the directory and its logs.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::prelude::*;

use super::pulse::PulseControl;

const START_TIMEOUT: Duration = Duration::from_secs(15);

/// One desktop at a time: they share the socket paths.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The directory of every desktop of this process.
fn process_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("warbler-pipewire-{}", std::process::id()));
        // SAFETY: runs once, before this process first uses GStreamer (every
        // test of a binary that links this module starts with a desktop),
        // so no other thread reads the environment now.
        #[allow(unsafe_code)]
        unsafe {
            std::env::remove_var("PIPEWIRE_REMOTE");
            std::env::set_var("PIPEWIRE_RUNTIME_DIR", dir.join("runtime"));
            std::env::set_var(
                "PULSE_SERVER",
                format!("unix:{}", pulse_socket(&dir).display()),
            );
        }
        dir
    })
}

fn pulse_socket(dir: &Path) -> PathBuf {
    dir.join("runtime").join("pulse").join("native")
}

/// A running private PipeWire desktop; stopped and deleted on drop.
pub struct PipeWireDesktop {
    dir: PathBuf,
    /// The daemons and cameras by name, in the order they were started.
    daemons: Vec<(&'static str, Child)>,
    /// PulseAudio's protocol, as `pipewire-pulse` serves it.
    pulse: PulseControl,
    /// Tones this process plays into microphones.
    feeds: Mutex<Vec<gst::Pipeline>>,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl std::ops::Deref for PipeWireDesktop {
    type Target = PulseControl;

    fn deref(&self) -> &PulseControl {
        &self.pulse
    }
}

impl PipeWireDesktop {
    /// Waits for the previous desktop to end, then starts a fresh one.
    /// Panics with the daemons' logs when it is not ready within 15 s.
    pub async fn start() -> PipeWireDesktop {
        let turn = TURN.lock().await;
        let dir = process_dir().to_path_buf();
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["runtime", "home"] {
            std::fs::create_dir_all(dir.join(sub)).expect("create the desktop's directory");
        }
        let mut desktop = PipeWireDesktop {
            pulse: PulseControl::new(pulse_socket(&dir)),
            dir,
            daemons: Vec::new(),
            feeds: Mutex::new(Vec::new()),
            _turn: turn,
        };
        let bus = desktop.dir.join("bus");
        desktop.spawn(
            "dbus-daemon",
            "dbus-daemon",
            &[
                "--session",
                "--nofork",
                &format!("--address=unix:path={}", bus.display()),
            ],
        );
        desktop.wait_until("the session bus", |d| d.dir.join("bus").exists());
        desktop.spawn("pipewire", "pipewire", &[]);
        desktop.wait_until("PipeWire", |d| {
            d.dir.join("runtime").join("pipewire-0").exists()
        });
        desktop.spawn("wireplumber", "wireplumber", &[]);
        desktop.spawn("pipewire-pulse", "pipewire-pulse", &[]);
        desktop.wait_until("WirePlumber and pipewire-pulse", |d| {
            d.session_manager_ready() && d.pulse.answers()
        });
        gst::init().expect("GStreamer");
        desktop
    }

    /// Starts `program` as `name` (which names its log).
    fn spawn(&mut self, program: &str, name: &'static str, args: &[&str]) {
        let log = std::fs::File::create(self.dir.join(format!("{name}.log")))
            .expect("create a daemon's log");
        let home = self.dir.join("home");
        let child = super::dies_with_test(program)
            .args(args)
            .env("XDG_RUNTIME_DIR", self.dir.join("runtime"))
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", self.dir.join("bus").display()),
            )
            .env_remove("PIPEWIRE_RUNTIME_DIR")
            .env_remove("PIPEWIRE_REMOTE")
            .env_remove("PULSE_SERVER")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("Could not start {program} (is it installed?): {e}"));
        self.daemons.push((name, child));
    }

    fn wait_until(&mut self, what: &str, ready: impl Fn(&Self) -> bool) {
        let deadline = Instant::now() + START_TIMEOUT;
        while !ready(self) {
            let exited = self.daemons.iter_mut().find_map(|(program, child)| {
                (!matches!(child.try_wait(), Ok(None))).then_some(*program)
            });
            if exited.is_some() || Instant::now() > deadline {
                let logs = self.logs();
                self.stop();
                panic!(
                    "{what} did not start within {START_TIMEOUT:?} ({exited:?} exited).\n{logs}"
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether WirePlumber has connected and exports its objects (it does
    /// so once its policy is loaded).
    fn session_manager_ready(&self) -> bool {
        Command::new("pw-cli")
            .args(["ls", "Client"])
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("WirePlumber [export]"))
    }

    /// The daemons' logs, for failure messages.
    pub fn logs(&self) -> String {
        self.daemons
            .iter()
            .map(|(name, _)| {
                let log = std::fs::read_to_string(self.dir.join(format!("{name}.log")));
                format!("--- {name}:\n{}", log.unwrap_or_default())
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A camera named `name` (its PipeWire node) that the system describes
    /// as `description`: a 1280x720 YUY2 picture at 30 frames a second, all
    /// of the colour `rgb` (0xRRGGBB), as a webcam's PipeWire node offers.
    /// It runs in a process of its own, as cameras do (PipeWire 0.3.65's
    /// GStreamer sink also crashes when two run in one process).
    pub fn camera(&mut self, name: &'static str, description: &str, rgb: u32) {
        let pattern = format!("foreground-color={}", 0xff00_0000u32 | rgb);
        let caps = "video/x-raw,format=YUY2,width=1280,height=720,framerate=30/1";
        // Quoted twice: once for the launch line, once for the structure.
        let properties = format!(
            "stream-properties=\"properties,media.class=Video/Source,\
             node.name={name},node.description=\\\"{description}\\\"\""
        );
        let client = format!("client-name={name}");
        let args = [
            "-q",
            "videotestsrc",
            "is-live=true",
            "pattern=solid-color",
            &pattern,
            "!",
            caps,
            "!",
            "pipewiresink",
            "mode=provide",
            &properties,
            &client,
        ];
        self.spawn("gst-launch-1.0", name, &args);
    }

    /// Plays a sine tone of `frequency` Hz into the microphone `mic` (made
    /// with [`PulseControl::microphone`]) until the desktop stops.
    pub fn play_tone(&self, mic: &str, frequency: u32) {
        let source = gst::ElementFactory::make("audiotestsrc")
            .property("is-live", true)
            .property("freq", f64::from(frequency))
            .property("volume", 0.5)
            .build()
            .expect("audiotestsrc");
        let caps = gst::Caps::builder("audio/x-raw")
            .field("rate", 48_000)
            .build();
        let sink = gst::ElementFactory::make("pulsesink")
            .property("device", format!("{mic}_air"))
            .build()
            .expect("pulsesink (gstreamer1.0-pulseaudio)");
        self.feed(source, caps, sink, "tone");
    }

    fn feed(&self, source: gst::Element, caps: gst::Caps, sink: gst::Element, what: &str) {
        let filter = gst::ElementFactory::make("capsfilter")
            .property("caps", caps)
            .build()
            .expect("capsfilter");
        let pipeline = gst::Pipeline::new();
        let elements = [&source, &filter, &sink];
        pipeline.add_many(elements).expect("add");
        gst::Element::link_many(elements).expect("link");
        pipeline
            .set_state(gst::State::Playing)
            .unwrap_or_else(|e| panic!("start the {what}: {e}\n{}", self.logs()));
        self.feeds.lock().expect("feeds").push(pipeline);
    }

    /// Stops the feeds, then the daemons in reverse order (SIGTERM, then
    /// SIGKILL after 5 s each).
    pub fn stop(&mut self) {
        for pipeline in self.feeds.lock().expect("feeds").drain(..) {
            let _ = pipeline.set_state(gst::State::Null);
        }
        while let Some((_, child)) = self.daemons.pop() {
            super::stop_server(child);
        }
    }
}

impl Drop for PipeWireDesktop {
    fn drop(&mut self) {
        self.stop();
        super::remove_or_keep(&self.dir, "PipeWire desktop's");
    }
}
