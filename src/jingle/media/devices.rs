//! Microphones, speakers and cameras, found with GStreamer's
//! `DeviceMonitor` (PipeWire, PulseAudio, ALSA, V4L2 — whichever providers
//! are installed). Monitor sources (a speaker's loop-back) are skipped: they
//! are never what someone means by "microphone".
//!
//! On a PipeWire desktop several providers list the same device: PipeWire
//! and PulseAudio (through `pipewire-pulse`) each list every microphone and
//! speaker, PipeWire and V4L2 each list every camera. Each is shown once
//! ([`prefer`]): audio through PulseAudio's elements, the audio path the
//! call tests prove with echo cancellation (on a PipeWire desktop as well),
//! and cameras through PipeWire, which shares a camera between programs
//! (V4L2 opens it for one) and is how a Flatpak reaches it.

use std::collections::HashSet;
use std::sync::OnceLock;

use gstreamer as gst;
use gstreamer::prelude::*;

use super::MediaError;
use super::pipeline::make;

/// What a device does for a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceClass {
    /// Captures audio.
    Microphone,
    /// Plays audio.
    Speaker,
    /// Captures video.
    Camera,
}

impl DeviceClass {
    fn filter(self) -> &'static str {
        match self {
            Self::Microphone => "Audio/Source",
            Self::Speaker => "Audio/Sink",
            Self::Camera => "Video/Source",
        }
    }
}

/// One capture or playback device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDevice {
    /// Stable id to store in settings and pass back in the media config.
    pub id: String,
    /// Name to show, as the system describes the device.
    pub name: String,
    /// Microphone, speaker or camera.
    pub class: DeviceClass,
}

/// Property names that identify a device across restarts, by provider.
const ID_PROPERTIES: [&str; 4] = ["node.name", "device.name", "device.path", "object.path"];

/// The stable name of a device: a property from [`ID_PROPERTIES`], or the
/// PulseAudio sink or source name (which the PulseAudio provider keeps in
/// the device's `internal-name`, not in its properties); the shown name
/// only as a last resort, as it is neither stable nor unique.
fn device_id(device: &gst::Device) -> String {
    let props = device.properties();
    let property = |key: &str| {
        props
            .as_ref()
            .and_then(|p| p.get::<String>(key).ok())
            .filter(|v| !v.is_empty())
    };
    property(ID_PROPERTIES[0])
        .or_else(|| internal_name(device))
        .or_else(|| ID_PROPERTIES[1..].iter().find_map(|key| property(key)))
        .unwrap_or_else(|| device.display_name().to_string())
}

fn internal_name(device: &gst::Device) -> Option<String> {
    device
        .has_property_with_type("internal-name", String::static_type())
        .then(|| device.property::<Option<String>>("internal-name"))
        .flatten()
        .filter(|name| !name.is_empty())
}

fn is_monitor(device: &gst::Device) -> bool {
    let props = device.properties();
    let prop = |key: &str| props.as_ref().and_then(|p| p.get::<String>(key).ok());
    prop("device.class").as_deref() == Some("monitor")
        || prop("node.name").is_some_and(|n| n.ends_with(".monitor"))
        || prop("device.name").is_some_and(|n| n.ends_with(".monitor"))
}

fn class_of(device: &gst::Device) -> Option<DeviceClass> {
    let class = device.device_class();
    [
        DeviceClass::Microphone,
        DeviceClass::Speaker,
        DeviceClass::Camera,
    ]
    .into_iter()
    .find(|c| {
        class
            .split('/')
            .zip(c.filter().split('/'))
            .all(|(a, b)| a == b)
    })
}

/// Starts PipeWire's device provider once for the whole process and keeps
/// it running. PipeWire 0.3.65's provider now and then corrupts memory when
/// it stops: the test process crashed twice in about 700 listings. A
/// monitor started while the provider runs only borrows it (providers count
/// their starts), so stopping the monitor no longer stops it: no crash in
/// 900 listings. The cost: after PipeWire itself restarts, its devices
/// are not seen again until Warbler restarts.
fn keep_pipewire_provider_running() {
    static PROVIDER: OnceLock<Option<gst::DeviceProvider>> = OnceLock::new();
    PROVIDER.get_or_init(|| {
        let provider = gst::DeviceProviderFactory::by_name("pipewiredeviceprovider")?;
        match provider.start() {
            Ok(()) => Some(provider),
            Err(error) => {
                tracing::debug!("PipeWire's device provider did not start: {error}");
                None
            }
        }
    });
}

fn monitored_devices() -> Result<Vec<gst::Device>, MediaError> {
    gst::init().map_err(|error| MediaError::Init(error.to_string()))?;
    keep_pipewire_provider_running();
    let monitor = gst::DeviceMonitor::new();
    // PipeWire's provider hides PulseAudio's and V4L2's on a desktop with
    // sound cards; `prefer` chooses between them itself.
    monitor.set_show_all_devices(true);
    for class in [
        DeviceClass::Microphone,
        DeviceClass::Speaker,
        DeviceClass::Camera,
    ] {
        monitor.add_filter(Some(class.filter()), None);
    }
    // Without a running provider the monitor still lists what it can.
    if let Err(error) = monitor.start() {
        tracing::debug!("Could not start the device monitor: {error}");
    }
    let devices = monitor.devices().into_iter().collect();
    monitor.stop();
    Ok(devices)
}

/// Which provider listed a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    PipeWire,
    PulseAudio,
    V4l2,
    Other,
}

/// What [`prefer`] needs to know of one listed device.
#[derive(Debug)]
struct Listing {
    device: MediaDevice,
    provider: Provider,
    /// The V4L2 node a camera reads (`/dev/video0`), as either provider
    /// names it.
    v4l2_path: Option<String>,
}

/// The listing of a device, or `None` for a monitor or a device that is
/// neither microphone, speaker nor camera.
fn listing(device: &gst::Device) -> Option<Listing> {
    if is_monitor(device) {
        return None;
    }
    let props = device.properties();
    let provider = match props.as_ref().map(|p| p.name().as_str()) {
        Some("pipewire-proplist") => Provider::PipeWire,
        Some("pulse-proplist") => Provider::PulseAudio,
        Some("v4l2deviceprovider") => Provider::V4l2,
        _ => Provider::Other,
    };
    let v4l2_path = ["api.v4l2.path", "device.path"].iter().find_map(|key| {
        props
            .as_ref()
            .and_then(|p| p.get::<String>(*key).ok())
            .filter(|path| path.starts_with("/dev/video"))
    });
    Some(Listing {
        device: MediaDevice {
            id: device_id(device),
            name: device.display_name().to_string(),
            class: class_of(device)?,
        },
        provider,
        v4l2_path,
    })
}

/// Which of `listings` to offer: each device once, in the order listed.
/// Audio devices through PulseAudio when it lists any (PipeWire's own
/// copies dropped), cameras through PipeWire (V4L2's copy of a camera
/// PipeWire also lists dropped), and never two with one class and id.
fn prefer(listings: &[Listing]) -> Vec<usize> {
    let pulse_audio = listings.iter().any(|l| l.provider == Provider::PulseAudio);
    let pipewire_cameras: HashSet<&str> = listings
        .iter()
        .filter(|l| l.provider == Provider::PipeWire && l.device.class == DeviceClass::Camera)
        .filter_map(|l| l.v4l2_path.as_deref())
        .collect();
    let mut offered = HashSet::new();
    (0..listings.len())
        .filter(|&index| {
            let listing = &listings[index];
            let copy = match listing.device.class {
                DeviceClass::Camera => {
                    listing.provider == Provider::V4l2
                        && listing
                            .v4l2_path
                            .as_deref()
                            .is_some_and(|path| pipewire_cameras.contains(path))
                }
                DeviceClass::Microphone | DeviceClass::Speaker => {
                    listing.provider == Provider::PipeWire && pulse_audio
                }
            };
            !copy && offered.insert((listing.device.class, listing.device.id.clone()))
        })
        .collect()
}

/// The devices to offer, each once, with what describes them.
fn offered_devices() -> Result<Vec<(gst::Device, MediaDevice)>, MediaError> {
    let (devices, listings): (Vec<gst::Device>, Vec<Listing>) = monitored_devices()?
        .into_iter()
        .filter_map(|device| {
            let listing = listing(&device)?;
            Some((device, listing))
        })
        .unzip();
    Ok(prefer(&listings)
        .into_iter()
        .map(|index| (devices[index].clone(), listings[index].device.clone()))
        .collect())
}

/// Every microphone, speaker and camera present now, each once, monitors
/// excluded.
pub fn list_devices() -> Result<Vec<MediaDevice>, MediaError> {
    Ok(offered_devices()?.into_iter().map(|(_, d)| d).collect())
}

fn find(class: DeviceClass, id: &str) -> Result<Option<gst::Device>, MediaError> {
    Ok(offered_devices()?
        .into_iter()
        .find(|(_, d)| d.class == class && d.id == id)
        .map(|(device, _)| device))
}

fn element_for(class: DeviceClass, id: Option<&str>) -> Result<Option<gst::Element>, MediaError> {
    let Some(id) = id else {
        return Ok(None);
    };
    let device = find(class, id)?.ok_or_else(|| MediaError::NoDevice(id.to_owned()))?;
    device
        .create_element(None)
        .map(Some)
        .map_err(|error| MediaError::Pipeline(format!("device {id}: {error}")))
}

/// Makes a PipeWire source copy each buffer out of PipeWire's memory.
/// Without the copy, with PipeWire 0.3.65 and a camera served by another
/// process, the video converter crashed reading a camera frame in 3 of
/// about 20 test calls; with it, in none of 30. The copy of a 1280x720
/// frame is under 2 MB, 30 times a second. The default source
/// (`autovideosrc`) picks `pipewiresrc` first where PipeWire runs, so its
/// child gets the same setting when it is made.
fn copy_out_of_pipewire(element: gst::Element) -> gst::Element {
    if let Some(auto) = element.downcast_ref::<gst::Bin>() {
        auto.connect_element_added(|_, child| {
            copy_out_of_pipewire(child.clone());
        });
    } else if element.find_property("always-copy").is_some()
        && element.factory().is_some_and(|f| f.name() == "pipewiresrc")
    {
        element.set_property("always-copy", true);
    }
    element
}

/// A capture element: the chosen device, or the system default.
pub(crate) fn source_element(
    class: DeviceClass,
    id: Option<&str>,
) -> Result<gst::Element, MediaError> {
    let element = match element_for(class, id)? {
        Some(element) => element,
        None => match class {
            DeviceClass::Camera => make("autovideosrc")?,
            DeviceClass::Microphone | DeviceClass::Speaker => make("autoaudiosrc")?,
        },
    };
    Ok(copy_out_of_pipewire(element))
}

/// A playback element: the chosen speaker, or the system default.
pub(crate) fn sink_element(id: Option<&str>) -> Result<gst::Element, MediaError> {
    match element_for(DeviceClass::Speaker, id)? {
        Some(element) => Ok(element),
        None => make("autoaudiosink"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(provider: Provider, class: DeviceClass, id: &str, path: Option<&str>) -> Listing {
        Listing {
            device: MediaDevice {
                id: id.to_owned(),
                name: format!("{id} by {provider:?}"),
                class,
            },
            provider,
            v4l2_path: path.map(str::to_owned),
        }
    }

    fn offered(listings: &[Listing]) -> Vec<String> {
        prefer(listings)
            .into_iter()
            .map(|i| listings[i].device.name.clone())
            .collect()
    }

    /// A PipeWire desktop: PipeWire, `pipewire-pulse` and V4L2 all list
    /// the one sound card and the one webcam.
    #[test]
    fn on_a_pipewire_desktop_each_device_is_offered_once() {
        use DeviceClass::*;
        use Provider::*;
        let listings = [
            listed(PipeWire, Microphone, "alsa_input.usb", None),
            listed(PipeWire, Speaker, "alsa_output.pci", None),
            listed(PipeWire, Camera, "v4l2_input.usb", Some("/dev/video0")),
            listed(PulseAudio, Microphone, "alsa_input.usb", None),
            listed(PulseAudio, Speaker, "alsa_output.pci", None),
            listed(V4l2, Camera, "/dev/video0", Some("/dev/video0")),
        ];
        assert_eq!(
            offered(&listings),
            [
                "v4l2_input.usb by PipeWire",
                "alsa_input.usb by PulseAudio",
                "alsa_output.pci by PulseAudio",
            ]
        );
    }

    /// Without PulseAudio PipeWire's audio devices are all there is; a
    /// camera PipeWire does not know (a second webcam it has not opened)
    /// still comes through V4L2.
    #[test]
    fn a_provider_s_devices_stay_when_no_other_lists_them() {
        use DeviceClass::*;
        use Provider::*;
        let listings = [
            listed(PipeWire, Microphone, "alsa_input.usb", None),
            listed(PipeWire, Camera, "v4l2_input.usb", Some("/dev/video0")),
            listed(V4l2, Camera, "/dev/video0", Some("/dev/video0")),
            listed(V4l2, Camera, "/dev/video2", Some("/dev/video2")),
        ];
        assert_eq!(
            offered(&listings),
            [
                "alsa_input.usb by PipeWire",
                "v4l2_input.usb by PipeWire",
                "/dev/video2 by V4l2",
            ]
        );
    }

    /// Two listings of one class and id are one device (ids are what the
    /// settings store); the same id in another class is another device.
    #[test]
    fn one_class_and_id_is_offered_once() {
        use DeviceClass::*;
        use Provider::*;
        let listings = [
            listed(Other, Microphone, "hw:0", None),
            listed(Other, Microphone, "hw:0", None),
            listed(Other, Speaker, "hw:0", None),
        ];
        assert_eq!(prefer(&listings), [0, 2]);
    }
}
