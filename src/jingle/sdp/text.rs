//! A small SDP (RFC 8866) model with a parser and a writer.
//!
//! It keeps only what a WebRTC offer or answer carries: the origin, the
//! session name, session attributes and one section per `m=` line with its
//! connection line and attributes, in their original order. Other line types
//! (`i=`, `b=`, `k=`, time repeats …) are accepted and dropped, because the
//! Jingle side has nothing to map them to.

use std::fmt;

use super::SdpError;

/// One `a=` line: `a=name` or `a=name:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The part before the first colon.
    pub name: String,
    /// The part after the first colon, if there is one.
    pub value: Option<String>,
}

impl Attribute {
    /// A flag attribute such as `a=rtcp-mux`.
    pub fn flag(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            value: None,
        }
    }

    /// A value attribute such as `a=mid:audio`.
    pub fn value(name: &str, value: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            value: Some(value.into()),
        }
    }
}

/// The `o=` line, kept as text except for the numbers a writer must bump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The user name, `-` when there is none.
    pub username: String,
    /// The session id (a decimal number, possibly larger than 64 bits).
    pub session_id: String,
    /// The session version, increased on every renegotiation.
    pub session_version: u64,
    /// `IN IP4 0.0.0.0` or similar: network type, address type and address.
    pub address: String,
}

impl Default for Origin {
    fn default() -> Self {
        Self {
            username: "-".to_owned(),
            session_id: "0".to_owned(),
            session_version: 0,
            address: "IN IP4 0.0.0.0".to_owned(),
        }
    }
}

/// One media section: an `m=` line with its `c=` and `a=` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaSection {
    /// `audio`, `video`, `application` …
    pub kind: String,
    /// The port; 9 with trickle ICE, 0 for a rejected section.
    pub port: u16,
    /// The transport protocol, e.g. `UDP/TLS/RTP/SAVPF`.
    pub protocol: String,
    /// The formats: RTP payload-type numbers for RTP media.
    pub formats: Vec<String>,
    /// The `c=` line's value, e.g. `IN IP4 0.0.0.0`.
    pub connection: Option<String>,
    /// The section's attributes in order.
    pub attributes: Vec<Attribute>,
}

impl MediaSection {
    /// The value of the first attribute called `name` (empty for a flag).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        find_attribute(&self.attributes, name)
    }

    /// The values of every attribute called `name`, in order.
    pub fn attributes_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.attributes
            .iter()
            .filter(move |attribute| attribute.name == name)
            .map(|attribute| attribute.value.as_deref().unwrap_or(""))
    }

    /// Whether the flag (or any value) attribute `name` is present.
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attributes
            .iter()
            .any(|attribute| attribute.name == name)
    }

    /// The section's `a=mid`, which Jingle uses as the content name.
    pub fn mid(&self) -> Option<&str> {
        self.attribute("mid")
    }
}

/// A whole session description.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionDescription {
    /// The `o=` line.
    pub origin: Origin,
    /// The `s=` line, `-` when there is nothing to say.
    pub session_name: String,
    /// Session-level attributes (`a=group:BUNDLE …`, `a=ice-options` …).
    pub attributes: Vec<Attribute>,
    /// The media sections in `m=` line order.
    pub media: Vec<MediaSection>,
}

impl SessionDescription {
    /// The value of the first session-level attribute called `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        find_attribute(&self.attributes, name)
    }

    /// The index of the m-line whose `a=mid` is `mid`: what webrtcbin calls
    /// the "mline index" of a trickled candidate.
    pub fn mline_index_of(&self, mid: &str) -> Option<usize> {
        self.media
            .iter()
            .position(|section| section.mid() == Some(mid))
    }

    /// The `a=mid` of the m-line at `index`.
    pub fn mid_of(&self, index: usize) -> Option<&str> {
        self.media.get(index).and_then(MediaSection::mid)
    }

    /// Parses SDP text. Accepts CRLF and bare LF line ends; never panics.
    pub fn parse(text: &str) -> Result<Self, SdpError> {
        let mut lines = text
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .enumerate()
            .map(|(index, line)| (index + 1, line))
            .filter(|(_, line)| !line.trim().is_empty());

        match lines.next() {
            Some((_, "v=0")) => {}
            Some((line, _)) => {
                return Err(SdpError::Syntax {
                    line,
                    reason: "an SDP text must start with v=0",
                });
            }
            None => return Err(SdpError::Empty),
        }

        let mut description = SessionDescription {
            session_name: "-".to_owned(),
            ..Default::default()
        };
        let mut saw_origin = false;
        for (line_number, line) in lines {
            let (kind, value) = split_line(line_number, line)?;
            match (kind, description.media.last_mut()) {
                ('m', _) => description
                    .media
                    .push(parse_media_line(line_number, value)?),
                ('o', None) => {
                    description.origin = parse_origin(line_number, value)?;
                    saw_origin = true;
                }
                ('s', None) => description.session_name = value.to_owned(),
                ('a', None) => description.attributes.push(parse_attribute(value)),
                ('a', Some(section)) => section.attributes.push(parse_attribute(value)),
                ('c', Some(section)) => section.connection = Some(value.to_owned()),
                // Session-level connection, timing, bandwidth, information,
                // keys: nothing on the Jingle side carries them.
                _ => {}
            }
        }
        if !saw_origin {
            return Err(SdpError::Syntax {
                line: 1,
                reason: "an SDP text needs an o= line before the first m= line",
            });
        }
        Ok(description)
    }
}

impl fmt::Display for SessionDescription {
    /// Writes the description with CRLF line ends, as RFC 8866 requires.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origin = &self.origin;
        write!(f, "v=0\r\n")?;
        write!(
            f,
            "o={} {} {} {}\r\n",
            origin.username, origin.session_id, origin.session_version, origin.address
        )?;
        write!(f, "s={}\r\n", self.session_name)?;
        write!(f, "t=0 0\r\n")?;
        write_attributes(f, &self.attributes)?;
        for section in &self.media {
            write!(
                f,
                "m={} {} {}",
                section.kind, section.port, section.protocol
            )?;
            for format in &section.formats {
                write!(f, " {format}")?;
            }
            write!(f, "\r\n")?;
            if let Some(connection) = &section.connection {
                write!(f, "c={connection}\r\n")?;
            }
            write_attributes(f, &section.attributes)?;
        }
        Ok(())
    }
}

fn write_attributes(f: &mut fmt::Formatter<'_>, attributes: &[Attribute]) -> fmt::Result {
    for attribute in attributes {
        match &attribute.value {
            Some(value) => write!(f, "a={}:{}\r\n", attribute.name, value)?,
            None => write!(f, "a={}\r\n", attribute.name)?,
        }
    }
    Ok(())
}

fn find_attribute<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|attribute| attribute.name == name)
        .map(|attribute| attribute.value.as_deref().unwrap_or(""))
}

fn split_line(line_number: usize, line: &str) -> Result<(char, &str), SdpError> {
    let mut chars = line.chars();
    match (chars.next(), chars.next()) {
        (Some(kind), Some('=')) if kind.is_ascii_lowercase() => Ok((kind, chars.as_str())),
        _ => Err(SdpError::Syntax {
            line: line_number,
            reason: "an SDP line must look like x=value",
        }),
    }
}

fn parse_attribute(value: &str) -> Attribute {
    match value.split_once(':') {
        Some((name, value)) => Attribute::value(name, value),
        None => Attribute::flag(value),
    }
}

fn parse_origin(line: usize, value: &str) -> Result<Origin, SdpError> {
    let mut fields = value.split_ascii_whitespace();
    let mut next = || {
        fields.next().ok_or(SdpError::Syntax {
            line,
            reason: "o= needs six fields",
        })
    };
    let username = next()?.to_owned();
    let session_id = next()?.to_owned();
    let session_version = next()?.parse().map_err(|_| SdpError::Syntax {
        line,
        reason: "the session version must be a number",
    })?;
    let address = [next()?, next()?, next()?].join(" ");
    Ok(Origin {
        username,
        session_id,
        session_version,
        address,
    })
}

fn parse_media_line(line: usize, value: &str) -> Result<MediaSection, SdpError> {
    let mut fields = value.split_ascii_whitespace();
    let (Some(kind), Some(port), Some(protocol)) = (fields.next(), fields.next(), fields.next())
    else {
        return Err(SdpError::Syntax {
            line,
            reason: "m= needs a media type, a port and a protocol",
        });
    };
    // A port may carry a count ("9/2"); WebRTC never uses it.
    let port = port.split('/').next().unwrap_or(port);
    let port = port.parse().map_err(|_| SdpError::Syntax {
        line,
        reason: "the m= port must be a number below 65536",
    })?;
    Ok(MediaSection {
        kind: kind.to_owned(),
        port,
        protocol: protocol.to_owned(),
        formats: fields.map(str::to_owned).collect(),
        connection: None,
        attributes: Vec::new(),
    })
}
