//! Services pushed by the server (XEP-0215 §3.2, "Services Push"): an
//! `<iq type='set'/>` whose `<service/>` children each say, in `action`,
//! whether the service is added, modified or deleted.
//!
//! The XEP names the deleting action `remove` in its attribute table and
//! `delete` in its schema and example; both are understood.
//!
//! A service is identified by its type, host, port and transport; a push
//! that leaves out the port or the transport (the XEP's own delete names
//! no transport) means every service that matches the rest. Whether a push
//! may be applied at all (it must come from the account's own server) is
//! for the caller to decide.

use xmpp_parsers::minidom::Element;

use super::{ExternalService, MAX_SERVICES, NS, ServiceKind, parse_fields};

/// What a push does to a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushAction {
    /// A new service (`add`, also when `action` is absent: the default).
    Add,
    /// New data for a known service (`modify`), typically fresh credentials.
    Modify,
    /// The service is gone (`delete`, or `remove`).
    Delete,
}

impl PushAction {
    fn parse(text: Option<&str>) -> Option<Self> {
        match text {
            None | Some("add") => Some(Self::Add),
            Some("modify") => Some(Self::Modify),
            Some("delete" | "remove") => Some(Self::Delete),
            Some(_) => None,
        }
    }
}

/// One change of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PushChange {
    /// Added, modified or deleted.
    pub action: PushAction,
    /// The service (for a deletion, only what identifies it matters).
    pub service: ExternalService,
}

/// The changes to STUN and TURN services in a pushed `<services/>`, in
/// order; `None` when `payload` is no such list. Services of other types,
/// and ones that cannot be used safely, are skipped with a log line, as in
/// answers; at most [`MAX_SERVICES`] changes are read.
pub(crate) fn parse_push(payload: &Element) -> Option<Vec<PushChange>> {
    if !payload.is("services", NS) {
        return None;
    }
    let mut changes = Vec::new();
    for element in payload.children().filter(|c| c.is("service", NS)) {
        if changes.len() == MAX_SERVICES {
            tracing::info!("Ignored pushed external services beyond the first {MAX_SERVICES}");
            break;
        }
        let Some(kind) = element.attr("type").and_then(ServiceKind::parse) else {
            continue;
        };
        let Some(action) = PushAction::parse(element.attr("action")) else {
            let shown: String = element
                .attr("action")
                .unwrap_or_default()
                .chars()
                .take(32)
                .collect();
            tracing::info!("Ignored a pushed external service: unknown action {shown:?}");
            continue;
        };
        match parse_fields(element, kind) {
            Ok(service) => changes.push(PushChange { action, service }),
            Err(reason) => tracing::info!("Ignored a pushed external service: {reason}"),
        }
    }
    Some(changes)
}

/// Apply pushed `changes` to the known `services`; whether any changed.
///
/// An added or modified service replaces the ones it identifies, or is
/// appended if there are none (a modification of a service we never heard
/// of still tells what the server offers now), as long as fewer than
/// [`MAX_SERVICES`] are known; a deleted one is removed.
pub(crate) fn apply_push(services: &mut Vec<ExternalService>, changes: &[PushChange]) -> bool {
    let mut changed = false;
    for PushChange { action, service } in changes {
        let before = services.len();
        match action {
            PushAction::Delete => {
                services.retain(|known| !identifies(service, known));
                changed |= services.len() != before;
            }
            PushAction::Add | PushAction::Modify => {
                let at = services.iter().position(|known| identifies(service, known));
                services.retain(|known| !identifies(service, known));
                let at = at.unwrap_or(services.len());
                if at == services.len() && services.len() >= MAX_SERVICES {
                    tracing::info!(host = %service.host,
                        "Ignored a pushed external service beyond the first {MAX_SERVICES}");
                    changed |= services.len() != before;
                    continue;
                }
                services.insert(at, service.clone());
                changed = true;
            }
        }
    }
    changed
}

/// Whether `pushed` names the `known` service: same type and host, and the
/// same port and transport unless the push leaves them out.
fn identifies(pushed: &ExternalService, known: &ExternalService) -> bool {
    pushed.kind == known.kind
        && pushed.host.eq_ignore_ascii_case(&known.host)
        && pushed.port.is_none_or(|port| known.port == Some(port))
        && pushed
            .transport
            .is_none_or(|transport| known.transport == Some(transport))
}

#[cfg(test)]
mod tests;
