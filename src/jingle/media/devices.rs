//! Microphones, speakers and cameras, found with GStreamer's
//! `DeviceMonitor` (PipeWire, PulseAudio, ALSA, V4L2 — whichever providers
//! are installed). Monitor sources (a speaker's loop-back) are skipped: they
//! are never what someone means by "microphone".

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

fn monitored_devices() -> Result<Vec<gst::Device>, MediaError> {
    gst::init().map_err(|error| MediaError::Init(error.to_string()))?;
    let monitor = gst::DeviceMonitor::new();
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

/// Every microphone, speaker and camera present now, monitors excluded.
pub fn list_devices() -> Result<Vec<MediaDevice>, MediaError> {
    Ok(monitored_devices()?
        .iter()
        .filter(|d| !is_monitor(d))
        .filter_map(|d| {
            Some(MediaDevice {
                id: device_id(d),
                name: d.display_name().to_string(),
                class: class_of(d)?,
            })
        })
        .collect())
}

fn find(class: DeviceClass, id: &str) -> Result<Option<gst::Device>, MediaError> {
    Ok(monitored_devices()?
        .into_iter()
        .find(|d| class_of(d) == Some(class) && device_id(d) == id))
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

/// A capture element: the chosen device, or the system default.
pub(crate) fn source_element(
    class: DeviceClass,
    id: Option<&str>,
) -> Result<gst::Element, MediaError> {
    if let Some(element) = element_for(class, id)? {
        return Ok(element);
    }
    match class {
        DeviceClass::Camera => make("autovideosrc"),
        DeviceClass::Microphone | DeviceClass::Speaker => make("autoaudiosrc"),
    }
}

/// A playback element: the chosen speaker, or the system default.
pub(crate) fn sink_element(id: Option<&str>) -> Result<gst::Element, MediaError> {
    match element_for(DeviceClass::Speaker, id)? {
        Some(element) => Ok(element),
        None => make("autoaudiosink"),
    }
}
