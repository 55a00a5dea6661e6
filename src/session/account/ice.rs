//! STUN and TURN servers for calls, from the account's server (XEP-0215).
//!
//! Each new session asks the server's disco#info whether it offers
//! external service discovery; if so the services are fetched (and
//! credentials for restricted relays), kept with their expiry, fetched
//! again shortly before they expire, and once more when a call starts if
//! they expired meanwhile (a suspended laptop's timers fire late). Every
//! call's media engine gets the servers known when it is created. The
//! server may also push changes (see [`push`]).

use std::time::Duration;

use tokio::sync::mpsc;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::minidom::Element;

use super::{AccountActor, PendingIq};
use crate::jingle::media::{IceServer, IceServerKind};
use crate::model::Timestamp;
use crate::xmpp::extdisco::{self, ExternalService, ServiceKind, Transport};
use crate::xmpp::{disco, message::new_id};

/// Credentials this close to their expiry are not handed to a new call:
/// a call needs its relay for longer than that to set up.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// Fetch again this long before the credentials expire…
const REFRESH_BEFORE: Duration = Duration::from_secs(300);

/// …but never sooner than this after a fetch, whatever a server says about
/// expiry: a server handing out nearly expired credentials must not make
/// us ask in a loop.
const MIN_REFRESH: Duration = Duration::from_secs(30);

/// The external services requests of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IceIq {
    /// The server's disco#info.
    ServerInfo,
    /// Its external services.
    Services,
    /// Credentials for its restricted relays.
    Credentials,
}

/// The STUN and TURN servers of one account.
pub(super) struct IceServices {
    /// Whether the server offers external service discovery; `None` until
    /// its disco#info answers in this session.
    supported: Option<bool>,
    /// The STUN and TURN services found last.
    services: Vec<ExternalService>,
    /// Services waiting for the answer to a credentials request.
    awaiting_credentials: Vec<ExternalService>,
    /// A services or credentials request is on its way.
    fetching: bool,
    /// The latest refresh timer; older ones are ignored when they fire.
    generation: u64,
    /// The pending refresh timer's task, stopped when a newer one replaces it.
    timer: Option<tokio::task::AbortHandle>,
    wake_tx: mpsc::UnboundedSender<u64>,
    /// Fired refresh timers (their generation), for the actor's loop.
    pub(super) wakes: mpsc::UnboundedReceiver<u64>,
}

impl IceServices {
    /// Nothing known yet.
    pub(super) fn new() -> Self {
        let (wake_tx, wakes) = mpsc::unbounded_channel();
        Self {
            supported: None,
            services: Vec::new(),
            awaiting_credentials: Vec::new(),
            fetching: false,
            generation: 0,
            timer: None,
            wake_tx,
            wakes,
        }
    }

    /// The servers to give a call's media engine now.
    pub(super) fn for_call(&self) -> Vec<IceServer> {
        ice_servers(&self.services, Timestamp::now())
    }

    fn schedule_refresh(&mut self, delay: Duration) {
        self.generation += 1;
        let generation = self.generation;
        let wake = self.wake_tx.clone();
        let timer = tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = wake.send(generation);
        });
        if let Some(previous) = self.timer.replace(timer.abort_handle()) {
            previous.abort();
        }
    }
}

impl Drop for IceServices {
    fn drop(&mut self) {
        // A timer may sleep for a day; it has nobody to wake any more.
        if let Some(timer) = self.timer.take() {
            timer.abort();
        }
    }
}

impl AccountActor {
    /// A new session: ask the server whether it offers external services.
    /// Services found in an earlier session stay usable until the answer.
    pub(super) async fn ice_session_started(&mut self) {
        self.ice.supported = None;
        self.ice.fetching = false;
        let id = new_id();
        self.pending_iqs
            .insert(id.clone(), PendingIq::Ice(IceIq::ServerInfo));
        self.send(disco::info_request(&id, &self.server()).into())
            .await;
    }

    /// A call is about to start: fetch the services again if the ones we
    /// have expired (or none were found), so the media engine, created
    /// once the call is answered, gets fresh credentials.
    pub(super) async fn ice_before_call(&mut self) {
        if self.ice.supported == Some(true)
            && !self.ice.fetching
            && is_stale(&self.ice.services, Timestamp::now())
        {
            tracing::debug!(account = %self.jid, "Refreshing STUN/TURN servers before a call");
            self.fetch_ice_services().await;
        }
    }

    /// A refresh timer fired.
    pub(super) async fn on_ice_wake(&mut self, generation: u64) {
        if generation == self.ice.generation && self.ice.supported == Some(true) && self.online {
            self.fetch_ice_services().await;
        }
    }

    async fn fetch_ice_services(&mut self) {
        self.ice.fetching = true;
        let id = new_id();
        self.pending_iqs
            .insert(id.clone(), PendingIq::Ice(IceIq::Services));
        self.send(extdisco::services_request(&id, &self.server()).into())
            .await;
    }

    /// The answer to one of our requests, from `from`.
    pub(super) async fn on_ice_result(
        &mut self,
        kind: IceIq,
        from: Option<&Jid>,
        payload: Option<Element>,
    ) {
        if !self.answered_by_server(from) {
            tracing::warn!(account = %self.jid, ?from, "Ignored a service answer from a stranger");
            return;
        }
        match kind {
            IceIq::ServerInfo => {
                let supported = disco::has_feature(payload.as_ref(), extdisco::NS);
                self.ice.supported = Some(supported);
                if supported {
                    self.fetch_ice_services().await;
                } else {
                    tracing::debug!(account = %self.jid, "The server lists no STUN/TURN servers");
                    self.ice.services.clear();
                }
            }
            IceIq::Services => {
                let services = extdisco::parse_answer(payload.as_ref());
                if let Some(services) = self.ask_credentials(services).await {
                    self.ice_services_found(services);
                }
            }
            IceIq::Credentials => {
                let mut services = std::mem::take(&mut self.ice.awaiting_credentials);
                extdisco::apply_credentials(
                    &mut services,
                    &extdisco::parse_answer(payload.as_ref()),
                );
                self.ice_services_found(services);
            }
        }
    }

    /// Ask the server for the credentials the restricted relays among
    /// `services` lack, keeping `services` until the answer; gives them
    /// back when none lacks any.
    async fn ask_credentials(
        &mut self,
        services: Vec<ExternalService>,
    ) -> Option<Vec<ExternalService>> {
        let wanted: Vec<&ExternalService> =
            services.iter().filter(|s| s.needs_credentials()).collect();
        if wanted.is_empty() {
            return Some(services);
        }
        let id = new_id();
        let request = extdisco::credentials_request(&id, &self.server(), &wanted);
        self.ice.awaiting_credentials = services;
        self.pending_iqs
            .insert(id, PendingIq::Ice(IceIq::Credentials));
        self.send(request.into()).await;
        None
    }

    /// The server refused or could not answer one of our requests.
    pub(super) fn on_ice_error(&mut self, kind: IceIq, condition: &str) {
        match kind {
            IceIq::ServerInfo => {
                tracing::info!(account = %self.jid, condition, "Could not discover the server's features");
                self.ice.supported = Some(false);
            }
            IceIq::Services => {
                tracing::info!(account = %self.jid, condition, "Could not fetch STUN/TURN servers");
                self.ice.fetching = false;
                // The ones we have (if any) stay until they expire.
                self.ice.schedule_refresh(REFRESH_BEFORE);
            }
            IceIq::Credentials => {
                tracing::info!(account = %self.jid, condition, "Could not fetch TURN credentials");
                let services = std::mem::take(&mut self.ice.awaiting_credentials);
                // STUN and unrestricted relays still help.
                self.ice_services_found(services);
            }
        }
    }

    fn ice_services_found(&mut self, services: Vec<ExternalService>) {
        let now = Timestamp::now();
        let usable = ice_servers(&services, now);
        tracing::info!(account = %self.jid, servers = usable.len(), "Found STUN/TURN servers");
        self.ice.services = services;
        self.ice.fetching = false;
        if let Some(delay) = refresh_delay(&self.ice.services, now) {
            self.ice.schedule_refresh(delay);
        }
    }

    fn server(&self) -> BareJid {
        BareJid::from_parts(None, self.jid.domain())
    }

    /// Whether an answer (or a push) comes from our server.
    fn answered_by_server(&self, from: Option<&Jid>) -> bool {
        from_own_server(&self.jid, from)
    }
}

/// Whether a stanza to `account` comes from its server: the server's
/// domain, the account's bare JID, or no `from` at all (the server acts
/// for the account, RFC 6120 §8.1.2.1). A resource of the server or of
/// the account is not the server: another device of ours has no say.
pub(super) fn from_own_server(account: &BareJid, from: Option<&Jid>) -> bool {
    match from.map(Jid::try_as_full) {
        None => true,
        Some(Ok(_)) => false,
        Some(Err(bare)) => {
            *bare == *account || (bare.node().is_none() && bare.domain() == account.domain())
        }
    }
}

/// The ICE servers `services` give at `now`: STUN over UDP (the ICE agent
/// does STUN over nothing else) and relays with credentials that do not
/// expire within [`EXPIRY_MARGIN`], in the server's order, once each.
pub(super) fn ice_servers(services: &[ExternalService], now: Timestamp) -> Vec<IceServer> {
    let mut servers: Vec<IceServer> = Vec::new();
    for service in services {
        let server = match service.kind {
            ServiceKind::Stun => {
                if service.transport == Some(Transport::Tcp) {
                    continue;
                }
                IceServer {
                    kind: IceServerKind::Stun,
                    host: service.host.clone(),
                    port: service.port,
                    transport: None,
                    username: None,
                    password: None,
                }
            }
            ServiceKind::Turn | ServiceKind::Turns => {
                let (Some(username), Some(password)) = (&service.username, &service.password)
                else {
                    tracing::debug!(host = %service.host, "A TURN server without credentials is not used");
                    continue;
                };
                if expires_within(service, now, EXPIRY_MARGIN) {
                    tracing::info!(host = %service.host, "Expired TURN credentials are not used");
                    continue;
                }
                IceServer {
                    kind: if service.kind == ServiceKind::Turns {
                        IceServerKind::Turns
                    } else {
                        IceServerKind::Turn
                    },
                    host: service.host.clone(),
                    port: service.port,
                    transport: service.transport.map(|t| match t {
                        Transport::Udp => "udp".to_owned(),
                        Transport::Tcp => "tcp".to_owned(),
                    }),
                    username: Some(username.clone()),
                    password: Some(password.clone()),
                }
            }
        };
        if !servers.contains(&server) {
            servers.push(server);
        }
    }
    servers
}

/// Whether `services` should be fetched again before a call at `now`:
/// none known, or a relay's credentials expire within [`EXPIRY_MARGIN`].
pub(super) fn is_stale(services: &[ExternalService], now: Timestamp) -> bool {
    services.is_empty()
        || services
            .iter()
            .any(|s| s.kind != ServiceKind::Stun && expires_within(s, now, EXPIRY_MARGIN))
}

/// How long after `now` to fetch `services` again: [`REFRESH_BEFORE`] the
/// earliest expiry (half the time left when that is shorter), never sooner
/// than [`MIN_REFRESH`]; `None` when nothing expires.
pub(super) fn refresh_delay(services: &[ExternalService], now: Timestamp) -> Option<Duration> {
    let earliest = services.iter().filter_map(|s| s.expires).min()?;
    let left = Duration::from_millis(u64::try_from(earliest.0.saturating_sub(now.0)).unwrap_or(0));
    let delay = if left > REFRESH_BEFORE * 2 {
        left - REFRESH_BEFORE
    } else {
        left / 2
    };
    Some(delay.max(MIN_REFRESH))
}

fn expires_within(service: &ExternalService, now: Timestamp, margin: Duration) -> bool {
    let margin = i64::try_from(margin.as_millis()).unwrap_or(i64::MAX);
    service
        .expires
        .is_some_and(|expires| expires.0 <= now.0.saturating_add(margin))
}

mod push;

#[cfg(test)]
mod tests;
