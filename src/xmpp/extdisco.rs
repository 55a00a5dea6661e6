//! External service discovery (XEP-0215): asking the account's server for
//! the STUN and TURN servers calls should use, and for credentials of those
//! that are restricted.
//!
//! xmpp-parsers has types for this XEP, but they reject a whole answer for
//! one service of a type they do not know (`turns`, `ftp`, …), so answers
//! are read here service by service: what cannot be used is skipped with a
//! log line and the rest is kept. Changes the server pushes are read in
//! [`push`].

use std::net::IpAddr;
use std::str::FromStr;

use xmpp_parsers::date::DateTime;
use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::minidom::Element;
use xmpp_parsers::minidom::rxml::xml_ncname;

use crate::model::Timestamp;

/// The XEP's namespace, also the feature servers advertise.
pub(crate) const NS: &str = "urn:xmpp:extdisco:2";

/// At most this many services of one answer are looked at: servers list a
/// handful, and each becomes work for the ICE agent.
pub(crate) const MAX_SERVICES: usize = 16;

/// Longest user name or password taken from an answer. TURN REST
/// credentials are a timestamp and a base64 HMAC: far shorter.
const MAX_SECRET_LEN: usize = 512;

/// Longest host name (RFC 1035 §2.3.4).
const MAX_HOST_LEN: usize = 253;

/// What an external service does; other types (`ftp`, …) are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ServiceKind {
    /// A STUN server (RFC 5389).
    Stun,
    /// A TURN relay (RFC 5766).
    Turn,
    /// A TURN relay reached over TLS (RFC 7065 `turns`).
    Turns,
}

impl ServiceKind {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "stun" => Some(Self::Stun),
            "turn" => Some(Self::Turn),
            "turns" => Some(Self::Turns),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Stun => "stun",
            Self::Turn => "turn",
            Self::Turns => "turns",
        }
    }
}

/// The transport a service is reached over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Transport {
    /// UDP.
    Udp,
    /// TCP (for `turns`, TLS over TCP).
    Tcp,
}

/// One STUN or TURN service from an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExternalService {
    /// STUN, TURN or TURNS.
    pub kind: ServiceKind,
    /// A host name or an IP address (IPv6 without brackets).
    pub host: String,
    /// The port; `None` means the scheme's default.
    pub port: Option<u16>,
    /// UDP or TCP; `None` when the server did not say.
    pub transport: Option<Transport>,
    /// User name at the service.
    pub username: Option<String>,
    /// Password at the service.
    pub password: Option<String>,
    /// When the credentials stop working.
    pub expires: Option<Timestamp>,
    /// Credentials are needed to use it (XEP-0215 `restricted`).
    pub restricted: bool,
}

impl ExternalService {
    /// Whether it is a restricted relay without credentials yet: they are
    /// asked for with [`credentials_request`]. STUN servers do not
    /// authenticate binding requests, so they never need any.
    pub(crate) fn needs_credentials(&self) -> bool {
        self.kind != ServiceKind::Stun
            && self.restricted
            && (self.username.is_none() || self.password.is_none())
    }

    /// Whether an answer to [`credentials_request`] is about this service.
    fn same_service(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.host.eq_ignore_ascii_case(&other.host)
            && (other.port.is_none() || self.port == other.port)
    }
}

/// The request for every service the server knows (XEP-0215 §3.2).
pub(crate) fn services_request(id: &str, server: &BareJid) -> Iq {
    Iq::Get {
        from: None,
        to: Some(Jid::from(server.clone())),
        id: id.to_owned(),
        payload: Element::builder("services", NS).build(),
    }
}

/// The request for credentials of `services` (XEP-0215 §3.3).
pub(crate) fn credentials_request(id: &str, server: &BareJid, services: &[&ExternalService]) -> Iq {
    let children = services.iter().map(|service| {
        let mut builder = Element::builder("service", NS)
            .attr(xml_ncname!("type").into(), service.kind.as_str())
            .attr(xml_ncname!("host").into(), service.host.as_str());
        if let Some(port) = service.port {
            builder = builder.attr(xml_ncname!("port").into(), port.to_string());
        }
        builder.build()
    });
    Iq::Get {
        from: None,
        to: Some(Jid::from(server.clone())),
        id: id.to_owned(),
        payload: Element::builder("credentials", NS)
            .append_all(children)
            .build(),
    }
}

/// The STUN and TURN services of an answer to [`services_request`]
/// (`<services/>`), or of one to [`credentials_request`]
/// (`<credentials/>`); anything else yields none.
pub(crate) fn parse_answer(payload: Option<&Element>) -> Vec<ExternalService> {
    let Some(list) = payload.filter(|p| p.is("services", NS) || p.is("credentials", NS)) else {
        tracing::info!("Ignored an external services answer without a service list");
        return Vec::new();
    };
    let mut services = Vec::new();
    for element in list.children().filter(|c| c.is("service", NS)) {
        if services.len() == MAX_SERVICES {
            tracing::info!("Ignored external services beyond the first {MAX_SERVICES}");
            break;
        }
        match parse_service(element) {
            Ok(Some(service)) => services.push(service),
            Ok(None) => {}
            Err(reason) => tracing::info!("Ignored an external service: {reason}"),
        }
    }
    services
}

/// Copies credentials from an answer to [`credentials_request`] into the
/// services they belong to.
pub(crate) fn apply_credentials(services: &mut [ExternalService], answers: &[ExternalService]) {
    for service in services.iter_mut().filter(|s| s.needs_credentials()) {
        let Some(answer) = answers
            .iter()
            .find(|a| a.username.is_some() && a.password.is_some() && service.same_service(a))
        else {
            continue;
        };
        service.username = answer.username.clone();
        service.password = answer.password.clone();
        service.expires = answer.expires.or(service.expires);
        if service.port.is_none() {
            service.port = answer.port;
        }
        if service.transport.is_none() {
            service.transport = answer.transport;
        }
    }
}

/// One `<service/>`: `Ok(None)` for a type that is not STUN or TURN,
/// `Err` with the reason for one that cannot be used safely.
fn parse_service(element: &Element) -> Result<Option<ExternalService>, String> {
    let Some(kind) = element.attr("type").and_then(ServiceKind::parse) else {
        return Ok(None);
    };
    if matches!(element.attr("action"), Some("delete" | "remove")) {
        // Only pushes carry actions; a removed service is no service.
        return Ok(None);
    }
    parse_fields(element, kind).map(Some)
}

/// The fields of a `<service/>` of type `kind`, whatever its action.
fn parse_fields(element: &Element, kind: ServiceKind) -> Result<ExternalService, String> {
    let host = parse_host(element.attr("host").unwrap_or_default())?;
    let port = match element.attr("port") {
        None => None,
        Some(text) => match text.trim().parse::<u16>() {
            Ok(0) | Err(_) => return Err(format!("{host}: bad port {text:?}")),
            Ok(port) => Some(port),
        },
    };
    let transport = match element.attr("transport") {
        None => None,
        Some("udp") => Some(Transport::Udp),
        Some("tcp") => Some(Transport::Tcp),
        Some(other) => return Err(format!("{host}: unknown transport {other:?}")),
    };
    let restricted = match element.attr("restricted") {
        None | Some("0" | "false") => false,
        Some("1" | "true") => true,
        Some(other) => return Err(format!("{host}: bad restricted flag {other:?}")),
    };
    let expires = match element.attr("expires") {
        None => None,
        Some(text) => match DateTime::from_str(text) {
            Ok(date) => Some(Timestamp(date.0.timestamp_millis())),
            Err(_) => return Err(format!("{host}: bad expiry {text:?}")),
        },
    };
    Ok(ExternalService {
        kind,
        username: secret(element, "username", &host)?,
        password: secret(element, "password", &host)?,
        host,
        port,
        transport,
        expires,
        restricted,
    })
}

/// A user name or password: absent when empty, refused when oversized.
fn secret(element: &Element, name: &str, host: &str) -> Result<Option<String>, String> {
    match element.attr(name) {
        None | Some("") => Ok(None),
        Some(text) if text.len() > MAX_SECRET_LEN => {
            Err(format!("{host}: {name} of {} bytes", text.len()))
        }
        Some(text) => Ok(Some(text.to_owned())),
    }
}

/// A host name or address, checked so it can go into a URI unescaped: an
/// IP address (IPv6 with or without brackets) or an ASCII DNS name.
fn parse_host(text: &str) -> Result<String, String> {
    let text = text.trim();
    let unbracketed = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    if let Ok(address) = unbracketed.parse::<IpAddr>() {
        return Ok(address.to_string());
    }
    let name = text.strip_suffix('.').unwrap_or(text);
    let valid_label = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if name.is_empty() || name.len() > MAX_HOST_LEN || !name.split('.').all(valid_label) {
        let shown: String = text.chars().take(64).collect();
        return Err(format!("bad host {shown:?}"));
    }
    Ok(name.to_ascii_lowercase())
}

mod push;
pub(crate) use push::{apply_push, parse_push};

#[cfg(test)]
mod tests;
