//! Calls through real audio devices, headless: a private PulseAudio daemon
//! provides virtual microphones and speakers, the media engines find them
//! with the device monitor as the settings would, capture from the chosen
//! microphone and play to the chosen speaker with echo cancellation on (the
//! default), and each speaker is recorded to check what it really played.

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::Ordering;
use std::time::Duration;

use support::media::{self, Side, negotiate, negotiate_with, run_until, side_with};
use support::pulse::{PulseSession, SpeakerRecording};
use warbler::jingle::media::{
    AudioInput, AudioOutput, DeviceClass, MediaConfig, MediaDevice, list_devices,
};

const ALICE_TONE: u32 = 440;
const BOB_TONE: u32 = 880;
/// Generous for a loaded two-core machine; a healthy call needs ~2 s.
const MEDIA_TIMEOUT: Duration = Duration::from_secs(40);

/// Every device the monitor lists now (bounded: a hung provider fails).
fn devices() -> Vec<MediaDevice> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(list_devices());
    });
    receiver
        .recv_timeout(Duration::from_secs(20))
        .expect("device listing hung")
        .expect("device listing")
}

/// The id of the device the system calls `name`, as the settings would
/// store it.
fn id_of(devices: &[MediaDevice], class: DeviceClass, name: &str) -> String {
    devices
        .iter()
        .find(|d| d.class == class && d.name == name)
        .unwrap_or_else(|| panic!("no {class:?} named {name:?} in {devices:?}"))
        .id
        .clone()
}

/// A side capturing from `mic` and playing to `speaker` (device ids),
/// measured by recording the speaker named `speaker_sink`; with echo
/// cancellation and noise suppression (the default) or without.
fn device_side(
    mic: &str,
    speaker: &str,
    speaker_sink: &str,
    tone: u32,
    echo_cancellation: bool,
) -> (Side, SpeakerRecording) {
    let recording = SpeakerRecording::start(speaker_sink);
    let defaults = MediaConfig::default();
    assert!(
        defaults.echo_cancellation,
        "echo cancellation is on by default"
    );
    let config = MediaConfig {
        local_addresses: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        audio_input: AudioInput::Device(Some(mic.to_owned())),
        audio_output: AudioOutput::Device(Some(speaker.to_owned())),
        echo_cancellation,
        ..defaults
    };
    let side = side_with(config, recording.received.clone(), f64::from(tone));
    (side, recording)
}

/// Alice's and Bob's microphones and speakers, named as a sound card's.
fn add_alice_and_bob_devices(pulse: &PulseSession) {
    for (id, name) in [("alice", "Alice"), ("bob", "Bob")] {
        pulse.microphone(&format!("{id}_mic"), &format!("{name} microphone"));
        pulse.speaker(&format!("{id}_speaker"), &format!("{name} speaker"));
    }
}

/// Alice and Bob, each on the microphone and speaker the settings would
/// offer them under their names (with or without echo cancellation).
fn alice_and_bob(echo_cancellation: bool) -> [(Side, SpeakerRecording); 2] {
    let list = devices();
    [("alice", "Alice", ALICE_TONE), ("bob", "Bob", BOB_TONE)].map(|(id, name, tone)| {
        device_side(
            &id_of(
                &list,
                DeviceClass::Microphone,
                &format!("{name} microphone"),
            ),
            &id_of(&list, DeviceClass::Speaker, &format!("{name} speaker")),
            &format!("{id}_speaker"),
            tone,
            echo_cancellation,
        )
    })
}

/// Plays each side's tone into its microphone and waits until each side
/// receives the other's; fails with a report if that does not happen.
async fn each_hears_the_other(
    pulse: &PulseSession,
    alice: (&mut Side, &SpeakerRecording),
    bob: (&mut Side, &SpeakerRecording),
) {
    pulse.play_tone("alice_mic", ALICE_TONE);
    pulse.play_tone("bob_mic", BOB_TONE);
    let heard = run_until(alice.0, bob.0, MEDIA_TIMEOUT, |a, b| {
        let (alice_tone, bob_tone) = (f64::from(ALICE_TONE), f64::from(BOB_TONE));
        a.received.hears(bob_tone, alice_tone) && b.received.hears(alice_tone, bob_tone)
    })
    .await;
    assert!(
        heard,
        "{}",
        call_report(pulse, (alice.0, alice.1), (bob.0, bob.1))
    );
}

/// Both sides, and PulseAudio's streams and log, for a failed call test.
fn call_report(
    pulse: &PulseSession,
    alice: (&Side, &SpeakerRecording),
    bob: (&Side, &SpeakerRecording),
) -> String {
    format!(
        "{}\n{}\n{}\n{}",
        report("Alice", alice.0, alice.1),
        report("Bob", bob.0, bob.1),
        pulse.streams(),
        pulse.log()
    )
}

fn report(name: &str, side: &Side, ears: &SpeakerRecording) -> String {
    format!(
        "{name}: speaker played {} samples, power at 440 Hz {:.5}, at 880 Hz {:.5}, \
         stats {:?}, events {:?}",
        ears.samples.load(Ordering::Relaxed),
        side.received.power_at(440.0),
        side.received.power_at(880.0),
        side.engine.stats(),
        side.log
    )
}

#[tokio::test]
async fn the_device_list_shows_virtual_microphones_and_speakers_but_no_monitors() {
    let pulse = PulseSession::start().await;
    pulse.microphone("list_mic", "Desk microphone");
    pulse.speaker("list_speaker", "Desk speaker");
    let devices = devices();

    let mic = id_of(&devices, DeviceClass::Microphone, "Desk microphone");
    let speaker = id_of(&devices, DeviceClass::Speaker, "Desk speaker");
    assert_eq!(mic, "list_mic", "{devices:?}");
    assert_eq!(speaker, "list_speaker", "{devices:?}");
    // The speakers' monitors (including the microphone's air) are sources
    // too, but nobody means them by "microphone".
    for device in &devices {
        assert!(!device.id.ends_with(".monitor"), "{devices:?}");
        assert!(!device.name.starts_with("Monitor of"), "{devices:?}");
    }
    let microphones: Vec<&str> = devices
        .iter()
        .filter(|d| d.class == DeviceClass::Microphone)
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(microphones, ["list_mic"], "{devices:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_microphone_reaches_the_other_speaker_with_echo_cancellation() {
    let pulse = PulseSession::start().await;
    add_alice_and_bob_devices(&pulse);
    let [(mut a, alice_ears), (mut b, bob_ears)] = alice_and_bob(true);
    negotiate(&mut a, &mut b, false, str::to_owned).await;
    // The tones start only now: noise suppression learns a steady sine as
    // noise within seconds, and the microphones run from the call's start.
    each_hears_the_other(&pulse, (&mut a, &alice_ears), (&mut b, &bob_ears)).await;
    for side in [&a, &b] {
        side.assert_never_failed();
        let elements = media::factories(side);
        for wanted in ["pulsesrc", "pulsesink", "webrtcdsp", "webrtcechoprobe"] {
            assert!(elements.iter().any(|e| e == wanted), "{elements:?}");
        }
    }
    a.engine.close();
    b.engine.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chosen_microphone_and_speaker_are_used_not_the_defaults() {
    // Without echo cancellation: its noise suppression would in time
    // silence the steady decoy tone this test must be able to hear.
    let pulse = PulseSession::start().await;
    // Bob's chosen microphone is silent; the default one carries a tone,
    // and the default speaker is not the one he chose.
    add_alice_and_bob_devices(&pulse);
    pulse.microphone("default_mic", "Webcam microphone");
    pulse.speaker("default_speaker", "HDMI output");
    // First: PulseAudio moves streams that asked for no particular device
    // (as the tones' do not) to a new default.
    pulse.set_defaults("default_mic", "default_speaker");
    pulse.play_tone("alice_mic", ALICE_TONE);
    pulse.play_tone("default_mic", BOB_TONE);
    let default_speaker = SpeakerRecording::start("default_speaker");
    let [(mut a, alice_ears), (mut b, bob_ears)] = alice_and_bob(false);
    negotiate(&mut a, &mut b, false, str::to_owned).await;
    // Bob hears Alice on his chosen speaker, and Alice has been playing
    // what Bob sends for a while.
    let enough = 48_000 * 2;
    let heard = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, b| {
        b.received.hears(440.0, 880.0) && a.engine.stats().audio_samples_decoded >= enough
    })
    .await;
    assert!(
        heard,
        "{}",
        call_report(&pulse, (&a, &alice_ears), (&b, &bob_ears))
    );
    // What Bob sent is his silent microphone, not the default one's tone.
    let alice_880 = a.received.power_at(880.0);
    assert!(alice_880 < 1e-5, "{}", report("Alice", &a, &alice_ears));
    // Nothing went to the default speaker.
    let stray = default_speaker.received.power_at(440.0);
    assert!(
        stray < 1e-6,
        "the default speaker played {stray:.6} at 440 Hz"
    );
    // Nor did Alice hear herself.
    assert!(
        a.received.power_at(440.0) < 1e-5,
        "{}",
        report("Alice", &a, &alice_ears)
    );
    a.engine.close();
    b.engine.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_microphone_still_reaches_the_peer_when_the_answer_picks_another_codec() {
    // The callee is offered PCMU only, so the caller's send branch, running
    // with Opus, must send PCMU from the microphone it already captures.
    let pulse = PulseSession::start().await;
    add_alice_and_bob_devices(&pulse);
    let [(mut a, alice_ears), (mut b, bob_ears)] = alice_and_bob(false);
    let pcmu_only = |offer: &str| media::only_codec(offer, "audio", "PCMU");
    let (_, answer) = negotiate_with(&mut a, &mut b, false, pcmu_only, str::to_owned).await;
    assert!(answer.contains("PCMU/8000"), "{answer}");
    each_hears_the_other(&pulse, (&mut a, &alice_ears), (&mut b, &bob_ears)).await;
    a.engine.close();
    b.engine.close();
}
