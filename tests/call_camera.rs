//! Calls on a PipeWire desktop, headless: a private PipeWire with
//! WirePlumber and `pipewire-pulse` (as Debian 12's GNOME runs them)
//! provides virtual cameras, microphones and speakers. The device list
//! offers each of them once although two providers list each, and a call
//! sends the chosen camera's picture and microphone to the peer and plays
//! the peer on the chosen speaker, while the peer films with the default
//! camera.

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::media::{self, Side, negotiate, run_until, side_with};
use support::pipewire::PipeWireDesktop;
use support::pulse::SpeakerRecording;
use warbler::jingle::media::{
    AudioInput, AudioOutput, DeviceClass, MediaConfig, MediaDevice, VideoFrame, VideoInput,
    VideoOutput, VideoSize, list_devices,
};

/// The colours of the two cameras' pictures (0xRRGGBB).
const FRONT_GREEN: u32 = 0x20_c0_20;
const BACK_MAGENTA: u32 = 0xc0_20_c0;
const ALICE_TONE: u32 = 440;
const BOB_TONE: u32 = 880;
/// Generous for a loaded two-core machine; a healthy call needs ~2 s.
const MEDIA_TIMEOUT: Duration = Duration::from_secs(40);

/// The devices the settings would offer, once `wanted` holds of them
/// (WirePlumber announces new nodes a moment after they appear); fails
/// with the list and the daemons' logs after 15 s.
fn devices_once(
    desktop: &PipeWireDesktop,
    wanted: impl Fn(&[MediaDevice]) -> bool,
) -> Vec<MediaDevice> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let devices = list_devices().expect("device listing");
        if wanted(&devices) {
            return devices;
        }
        assert!(
            Instant::now() < deadline,
            "the device list never became what was wanted: {devices:#?}\n{}",
            desktop.logs()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The devices of `class` named `name`.
fn named<'a>(devices: &'a [MediaDevice], class: DeviceClass, name: &str) -> Vec<&'a MediaDevice> {
    devices
        .iter()
        .filter(|d| d.class == class && d.name == name)
        .collect()
}

fn has(devices: &[MediaDevice], class: DeviceClass, name: &str) -> bool {
    !named(devices, class, name).is_empty()
}

/// A desk with a microphone, a speaker and two cameras, front and back.
fn furnish(desktop: &mut PipeWireDesktop) {
    desktop.microphone("desk_mic", "Desk microphone");
    desktop.speaker("desk_speaker", "Desk speaker");
    desktop.camera("front_camera", "Front camera", FRONT_GREEN);
    desktop.camera("back_camera", "Back camera", BACK_MAGENTA);
}

fn furnished(devices: &[MediaDevice]) -> bool {
    has(devices, DeviceClass::Camera, "Front camera")
        && has(devices, DeviceClass::Camera, "Back camera")
        && has(devices, DeviceClass::Microphone, "Desk microphone")
        && has(devices, DeviceClass::Speaker, "Desk speaker")
}

/// The mean colour (0xRRGGBB) of a 64x64 patch in the middle of a frame:
/// a camera of another shape is letterboxed, so the edges may be black.
fn middle_colour(frame: &VideoFrame) -> u32 {
    let (width, height) = (frame.width as usize, frame.height as usize);
    let mut sum = [0u64; 3];
    let mut count = 0u64;
    for y in height / 2 - 32..height / 2 + 32 {
        for x in width / 2 - 32..width / 2 + 32 {
            let pixel = (y * width + x) * 4;
            for (channel, total) in sum.iter_mut().enumerate() {
                *total += u64::from(frame.rgba[pixel + channel]);
            }
            count += 1;
        }
    }
    sum.iter()
        .fold(0, |rgb, total| (rgb << 8) | (total / count) as u32)
}

/// Whether two colours differ by at most `tolerance` in every channel.
fn close(a: u32, b: u32, tolerance: u32) -> bool {
    (0..3).all(|shift| {
        let channel = |c: u32| (c >> (shift * 8)) & 0xff;
        channel(a).abs_diff(channel(b)) <= tolerance
    })
}

/// Each device is offered once, under its own id, though PipeWire and
/// PulseAudio both list the microphone and the speaker; monitors are not
/// offered.
fn assert_each_offered_once(devices: &[MediaDevice]) {
    for (class, name, id) in [
        (DeviceClass::Camera, "Front camera", "front_camera"),
        (DeviceClass::Camera, "Back camera", "back_camera"),
        (DeviceClass::Microphone, "Desk microphone", "desk_mic"),
        (DeviceClass::Speaker, "Desk speaker", "desk_speaker"),
    ] {
        let listed = named(devices, class, name);
        assert_eq!(listed.len(), 1, "{name} once: {devices:#?}");
        assert_eq!(listed[0].id, id, "{devices:#?}");
    }
    for device in devices {
        assert!(!device.name.starts_with("Monitor of"), "{devices:#?}");
    }
}

/// One test, as Warbler keeps PipeWire's device provider connected for the
/// whole process: a second desktop in the same process would not be seen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_pipewire_desktop_each_device_is_offered_once_and_a_call_uses_the_chosen_ones() {
    let mut desktop = PipeWireDesktop::start().await;
    furnish(&mut desktop);
    let devices = devices_once(&desktop, furnished);
    assert_each_offered_once(&devices);
    let id = |class, name| named(&devices, class, name)[0].id.clone();
    desktop.play_tone("desk_mic", ALICE_TONE);
    let alice_ears = SpeakerRecording::start("desk_speaker");
    // Alice calls from the desk with the back camera; the front one, the
    // first listed, shows another colour.
    let alice_config = MediaConfig {
        local_addresses: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        audio_input: AudioInput::Device(Some(id(DeviceClass::Microphone, "Desk microphone"))),
        audio_output: AudioOutput::Device(Some(id(DeviceClass::Speaker, "Desk speaker"))),
        video_input: VideoInput::Device(Some(id(DeviceClass::Camera, "Back camera"))),
        // Its noise suppression would in time take the steady tone for noise.
        echo_cancellation: false,
        ..MediaConfig::default()
    };
    let mut alice = side_with(alice_config, alice_ears.received.clone(), 440.0);
    let (mut bob_config, bob_received) = media::config(880.0, 0, VideoSize::default());
    // Bob films with the system's default camera (whichever WirePlumber
    // picks), as a call does before anyone chose one.
    bob_config.video_input = VideoInput::Device(None);
    let seen = Arc::new(Mutex::new(None::<(u32, u32, u32)>));
    let frames = bob_received.clone();
    let last = seen.clone();
    bob_config.video_output = VideoOutput::Frames(Arc::new(move |frame| {
        frames.frames.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut last) = last.lock() {
            *last = Some((frame.width, frame.height, middle_colour(frame)));
        }
    }));
    let mut bob = side_with(bob_config, bob_received, 880.0);

    negotiate(&mut alice, &mut bob, true, str::to_owned).await;
    let (alice_tone, bob_tone) = (f64::from(ALICE_TONE), f64::from(BOB_TONE));
    let arrived = run_until(&mut alice, &mut bob, MEDIA_TIMEOUT, |a, b| {
        b.received.frames.load(Ordering::Relaxed) >= 30
            && b.received.hears(alice_tone, bob_tone)
            && a.received.hears(bob_tone, alice_tone)
            && a.first_video_at.is_some()
    })
    .await;
    assert!(
        arrived,
        "{}\n{}\n{}\n{}",
        report("Alice", &alice),
        report("Bob", &bob),
        desktop.streams(),
        desktop.logs()
    );
    let (width, height, colour) = seen.lock().expect("frame").expect("a frame");
    assert_eq!(
        (width, height),
        (640, 480),
        "the call's size, not the camera's"
    );
    assert!(
        close(colour, BACK_MAGENTA, 40),
        "Bob sees {colour:06x}, not the back camera's {BACK_MAGENTA:06x}"
    );
    let elements = media::factories(&alice);
    // Audio through PulseAudio's protocol, the camera through PipeWire.
    for wanted in ["pipewiresrc", "pulsesrc", "pulsesink"] {
        assert!(elements.iter().any(|e| e == wanted), "{elements:?}");
    }
    // Bob's default camera is PipeWire's too, inside the automatic source.
    let elements = media::factories(&bob);
    for wanted in ["autovideosrc", "pipewiresrc"] {
        assert!(elements.iter().any(|e| e == wanted), "{elements:?}");
    }
    for side in [&alice, &bob] {
        side.assert_never_failed();
    }
    alice.engine.close();
    bob.engine.close();
}

fn report(name: &str, side: &Side) -> String {
    format!(
        "{name}: {} frames, power at 440 Hz {:.5}, at 880 Hz {:.5}, stats {:?}, events {:?}",
        side.received.frames.load(Ordering::Relaxed),
        side.received.power_at(440.0),
        side.received.power_at(880.0),
        side.engine.stats(),
        side.log
    )
}
