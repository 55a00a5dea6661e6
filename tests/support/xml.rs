//! Just enough XML for a test client: split an incoming XMPP stream into
//! top-level stanzas, escape text, and parse a stanza into a minidom element.
//!
//! The splitter only tracks tag depth (aware of quoted attribute values,
//! comments, CDATA and processing instructions); well-formedness is left to
//! minidom when a test asks for an element.

use xmpp_parsers::minidom::Element;

/// One item of an XMPP stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// The `<stream:stream …>` opening tag.
    StreamOpen(String),
    /// A complete top-level element (stanza, features, SASL or TLS element).
    Stanza(String),
    /// `</stream:stream>`.
    StreamClose,
}

/// Collects bytes and hands out complete [`Frame`]s.
#[derive(Debug, Default)]
pub struct FrameReader {
    buf: Vec<u8>,
}

impl FrameReader {
    /// Append received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete frame, or `None` if more bytes are needed.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            let start = self.buf.iter().position(|b| !b.is_ascii_whitespace());
            let Some(start) = start else {
                self.buf.clear();
                return None;
            };
            self.buf.drain(..start);
            let rest = &self.buf[..];
            if rest.starts_with(b"<?") {
                let end = find(rest, b"?>")? + 2;
                self.buf.drain(..end);
                continue;
            }
            if rest.starts_with(b"</stream:stream") {
                let end = find(rest, b">")? + 1;
                self.buf.drain(..end);
                return Some(Frame::StreamClose);
            }
            if rest.starts_with(b"<stream:stream") {
                let end = tag_end(rest, 0)? + 1;
                let text = self.take(end);
                return Some(Frame::StreamOpen(text));
            }
            let end = element_end(rest)?;
            return Some(Frame::Stanza(self.take(end)));
        }
    }

    fn take(&mut self, end: usize) -> String {
        let bytes: Vec<u8> = self.buf.drain(..end).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Index of the `>` closing the tag that starts at `from`, skipping quoted
/// attribute values.
fn tag_end(buf: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in buf.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i),
            None => {}
        }
    }
    None
}

/// Length of the complete element at the start of `buf`, if it is all there.
fn element_end(buf: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < buf.len() {
        if buf[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &buf[i..];
        if rest.starts_with(b"<!--") {
            i += find(rest, b"-->")? + 3;
        } else if rest.starts_with(b"<![CDATA[") {
            i += find(rest, b"]]>")? + 3;
        } else if rest.starts_with(b"<?") {
            i += find(rest, b"?>")? + 2;
        } else if rest.starts_with(b"</") {
            i = tag_end(buf, i)? + 1;
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(i);
            }
        } else {
            let end = tag_end(buf, i)?;
            i = end + 1;
            if buf[end - 1] != b'/' {
                depth += 1;
            } else if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Escape text for use in element content or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Parse a stanza taken out of a `jabber:client` stream. The namespaces the
/// stream header declared are added to the top-level tag first.
pub fn parse_stanza(stanza: &str) -> Result<Element, String> {
    let name_end = stanza
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .ok_or_else(|| format!("Not an element: {stanza}"))?;
    let first_tag = &stanza[..tag_end(stanza.as_bytes(), 0).unwrap_or(stanza.len())];
    let mut decls = String::new();
    if !first_tag.contains("xmlns=") {
        decls.push_str(" xmlns='jabber:client'");
    }
    if !first_tag.contains("xmlns:stream=") {
        decls.push_str(" xmlns:stream='http://etherx.jabber.org/streams'");
    }
    let text = format!("{}{}{}", &stanza[..name_end], decls, &stanza[name_end..]);
    text.parse::<Element>()
        .map_err(|e| format!("Could not parse stanza ({e}): {stanza}"))
}

/// The text of the first child called `name` (in any namespace).
pub fn child_text(element: &Element, name: &str) -> Option<String> {
    element
        .children()
        .find(|child| child.name() == name)
        .map(|child| child.text())
}

/// The body of a message stanza, if it has one.
pub fn body(element: &Element) -> Option<String> {
    child_text(element, "body")
}
