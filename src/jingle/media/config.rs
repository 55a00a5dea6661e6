//! What a call's media is made of: ICE servers, capture sources, playback
//! outputs and the video size, chosen before the call starts.

use std::fmt;
use std::sync::Arc;

use super::MediaError;

/// One STUN or TURN server, as XEP-0215 (external service discovery)
/// describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceServer {
    /// STUN, TURN or TURN over TLS.
    pub kind: IceServerKind,
    /// Host name or address of the server.
    pub host: String,
    /// Port; the scheme's default (3478, or 5349 for TURNS) when absent.
    pub port: Option<u16>,
    /// `udp` or `tcp` for TURN; `None` lets the ICE agent choose.
    pub transport: Option<String>,
    /// TURN user name (XEP-0215 `username`, often time-limited).
    pub username: Option<String>,
    /// TURN password (XEP-0215 `password`).
    pub password: Option<String>,
}

/// The kind of an [`IceServer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceServerKind {
    /// Session Traversal Utilities for NAT: finds our public address.
    Stun,
    /// Traversal Using Relays around NAT, over UDP or TCP.
    Turn,
    /// TURN over TLS.
    Turns,
}

impl IceServer {
    /// The URI form GStreamer's ICE agent takes: `stun://host:port` or
    /// `turn(s)://user:password@host:port?transport=udp`.
    pub fn to_gst_uri(&self) -> Result<String, MediaError> {
        let host = self.host.trim();
        if host.is_empty() || host.contains(['/', '@', '?', '#', ' ']) {
            return Err(MediaError::InvalidIceServer(self.host.clone()));
        }
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let (scheme, default_port) = match self.kind {
            IceServerKind::Stun => ("stun", 3478),
            IceServerKind::Turn => ("turn", 3478),
            IceServerKind::Turns => ("turns", 5349),
        };
        let port = self.port.unwrap_or(default_port);
        if self.kind == IceServerKind::Stun {
            return Ok(format!("stun://{host}:{port}"));
        }
        let (Some(user), Some(password)) = (&self.username, &self.password) else {
            return Err(MediaError::InvalidIceServer(format!(
                "{host}: TURN needs a user name and a password"
            )));
        };
        let mut uri = format!(
            "{scheme}://{}:{}@{host}:{port}",
            percent_encode(user),
            percent_encode(password)
        );
        match self.transport.as_deref() {
            None => {}
            Some(t @ ("udp" | "tcp")) => {
                uri.push_str("?transport=");
                uri.push_str(t);
            }
            Some(other) => {
                return Err(MediaError::InvalidIceServer(format!(
                    "{host}: unknown transport {other}"
                )));
            }
        }
        Ok(uri)
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Where outgoing audio comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum AudioInput {
    /// A microphone: the default one (`None`) or a device id from
    /// [`list_devices`](super::list_devices). Echo cancellation and noise
    /// suppression run on it when the output is a device too.
    Device(Option<String>),
    /// A sine tone of this frequency in hertz (tests and the sound check).
    TestTone {
        /// Frequency in hertz.
        frequency: f64,
    },
}

/// Where outgoing video comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum VideoInput {
    /// A camera: the default one (`None`) or a device id from
    /// [`list_devices`](super::list_devices).
    Device(Option<String>),
    /// GStreamer's test picture with this `videotestsrc` pattern number
    /// (0 = SMPTE bars, 18 = moving ball).
    TestPattern(i32),
}

/// Width and height of the video we send, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Default for VideoSize {
    fn default() -> Self {
        Self {
            width: 640,
            height: 480,
        }
    }
}

/// Receives decoded audio: 48 kHz mono `f32` samples, on a media thread.
pub type SampleCallback = Arc<dyn Fn(&[f32]) + Send + Sync>;

/// Receives decoded video frames, on a media thread.
pub type FrameCallback = Arc<dyn Fn(&VideoFrame) + Send + Sync>;

/// One decoded video frame, tightly packed RGBA.
#[derive(Debug, Clone)]
pub struct VideoFrame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes, row after row.
    pub rgba: Vec<u8>,
}

/// Where incoming audio goes.
#[derive(Clone)]
pub enum AudioOutput {
    /// A speaker: the default one (`None`) or a device id from
    /// [`list_devices`](super::list_devices).
    Device(Option<String>),
    /// Decoded and dropped (the call still reports first audio).
    Discard,
    /// Decoded samples handed to a callback (tests, level meters).
    Samples(SampleCallback),
}

/// Where incoming video goes.
#[derive(Clone)]
pub enum VideoOutput {
    /// Decoded and dropped.
    Discard,
    /// Decoded frames handed to a callback as RGBA.
    Frames(FrameCallback),
    /// A video sink element made by the caller, for example GTK's paintable
    /// sink: the engine links raw video into it and sets nothing else.
    Sink(gstreamer::Element),
}

impl fmt::Debug for AudioOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Device(device) => f.debug_tuple("Device").field(device).finish(),
            Self::Discard => f.write_str("Discard"),
            Self::Samples(_) => f.write_str("Samples(..)"),
        }
    }
}

impl fmt::Debug for VideoOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Discard => f.write_str("Discard"),
            Self::Frames(_) => f.write_str("Frames(..)"),
            Self::Sink(element) => f
                .debug_tuple("Sink")
                .field(&gstreamer::prelude::GstObjectExt::name(element))
                .finish(),
        }
    }
}

/// Everything a call's media needs before it starts.
#[derive(Debug, Clone)]
pub struct MediaConfig {
    /// STUN and TURN servers (from XEP-0215); empty for host candidates only.
    pub ice_servers: Vec<IceServer>,
    /// Offer and use relayed candidates only (WebRTC's `relay` ICE transport
    /// policy): the peer never learns our addresses, and calls fail when no
    /// TURN server in `ice_servers` works. Tests use it to prove media went
    /// through the relay. Off by default.
    pub relay_only: bool,
    /// Gather candidates on these local addresses only; empty for every
    /// interface. Tests pass `127.0.0.1`.
    pub local_addresses: Vec<std::net::IpAddr>,
    /// Microphone or test tone.
    pub audio_input: AudioInput,
    /// Camera or test picture.
    pub video_input: VideoInput,
    /// Speaker, callback or nothing.
    pub audio_output: AudioOutput,
    /// Paintable sink, callback or nothing.
    pub video_output: VideoOutput,
    /// Size of the video we send.
    pub video_size: VideoSize,
    /// Echo cancellation, noise suppression and gain control on device
    /// audio (GStreamer's `webrtcdsp`). On by default.
    pub echo_cancellation: bool,
    /// The receive jitter buffer in milliseconds.
    pub jitter_buffer_ms: u32,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            ice_servers: Vec::new(),
            relay_only: false,
            local_addresses: Vec::new(),
            audio_input: AudioInput::Device(None),
            video_input: VideoInput::Device(None),
            audio_output: AudioOutput::Device(None),
            video_output: VideoOutput::Discard,
            video_size: VideoSize::default(),
            echo_cancellation: true,
            jitter_buffer_ms: 100,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(kind: IceServerKind) -> IceServer {
        IceServer {
            kind,
            host: "turn.example.org".into(),
            port: None,
            transport: None,
            username: Some("1700000000:alice".into()),
            password: Some("p@ss/w rd".into()),
        }
    }

    #[test]
    fn stun_uri_has_default_port() {
        let uri = server(IceServerKind::Stun).to_gst_uri().expect("uri");
        assert_eq!(uri, "stun://turn.example.org:3478");
    }

    #[test]
    fn turn_uri_escapes_credentials_and_keeps_transport() {
        let mut turn = server(IceServerKind::Turns);
        turn.transport = Some("tcp".into());
        let uri = turn.to_gst_uri().expect("uri");
        assert_eq!(
            uri,
            "turns://1700000000%3Aalice:p%40ss%2Fw%20rd@turn.example.org:5349?transport=tcp"
        );
    }

    #[test]
    fn turn_without_credentials_or_odd_host_is_refused() {
        let mut turn = server(IceServerKind::Turn);
        turn.password = None;
        assert!(turn.to_gst_uri().is_err());
        let mut stun = server(IceServerKind::Stun);
        stun.host = "evil/host".into();
        assert!(stun.to_gst_uri().is_err());
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        let mut stun = server(IceServerKind::Stun);
        stun.host = "2001:db8::1".into();
        stun.port = Some(3479);
        assert_eq!(stun.to_gst_uri().expect("uri"), "stun://[2001:db8::1]:3479");
    }
}
