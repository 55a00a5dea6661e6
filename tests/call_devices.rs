//! Audio devices as the settings see them, headless: a private PulseAudio
//! daemon provides virtual microphones and speakers, and the device list
//! (GStreamer's device monitor) must show them by the names the system
//! gives them, with ids that survive a rename, and never offer a speaker's
//! monitor as a microphone.

#[path = "support/pulse.rs"]
mod pulse;

use std::time::Duration;

use pulse::PulseSession;
use warbler::jingle::media::{DeviceClass, MediaDevice, list_devices};

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

#[tokio::test]
async fn the_device_list_shows_virtual_microphones_and_speakers_but_no_monitors() {
    let pulse = PulseSession::start().await;
    pulse.microphone("list_mic", "Desk microphone");
    pulse.speaker("list_speaker", "Desk speaker");
    let devices = devices();

    // Ids are the device names PulseAudio keeps, not the descriptions
    // shown (which can be renamed, translated or shared by two headsets).
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
