//! Where to connect: DNS SRV records (`_xmpps-client` for direct TLS per
//! XEP-0368, then `_xmpp-client` for STARTTLS), falling back to the domain
//! itself on port 5222 when neither service has any record; then the TCP
//! connection to one candidate.
//!
//! A record whose target is "." (RFC 2782) says the service is decidedly
//! not offered: such a domain gets no fallback, and when no service offers
//! a usable target the server is reported as not found.
//!
//! Questions go to the system's DNS configuration (SRV through
//! hickory-resolver, host names through the system's own look-up), or,
//! when a name server is given, every question — SRV and host addresses —
//! goes to that server alone.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use tokio::net::TcpStream;

use crate::model::{ServerAddress, TlsMode};
use crate::session::ConnectError;

/// Per-address TCP connect timeout.
const TCP_TIMEOUT: Duration = Duration::from_secs(10);
/// Budget for the SRV look-ups.
const DNS_TIMEOUT: Duration = Duration::from_secs(8);

/// One host/port/TLS-mode to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
}

impl From<&ServerAddress> for Candidate {
    fn from(server: &ServerAddress) -> Self {
        Self {
            host: server.host.clone(),
            port: server.port,
            tls: server.tls,
        }
    }
}

/// Who answers DNS questions.
pub(crate) enum Dns {
    /// The system's configuration (resolv.conf, hosts file, NSS).
    System,
    /// One name server, asked over UDP (TCP for truncated answers).
    Server(Box<TokioResolver>),
}

impl Dns {
    /// The system's DNS, or only the name server at `name_server`.
    pub(crate) fn new(name_server: Option<SocketAddr>) -> Result<Self, ConnectError> {
        let Some(address) = name_server else {
            return Ok(Self::System);
        };
        let mut udp = ConnectionConfig::udp();
        udp.port = address.port();
        let mut tcp = ConnectionConfig::tcp();
        tcp.port = address.port();
        let server = NameServerConfig::new(address.ip(), true, vec![udp, tcp]);
        let config = ResolverConfig::from_name_servers(vec![server]);
        TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
            .build()
            .map(|resolver| Self::Server(Box::new(resolver)))
            .map_err(|error| ConnectError::Network {
                detail: format!("could not use the name server {address}: {error}"),
            })
    }

    /// A resolver for SRV questions; `None` when the system configuration
    /// cannot be read.
    fn srv_resolver(&self) -> Option<TokioResolver> {
        match self {
            Self::Server(resolver) => Some(TokioResolver::clone(resolver)),
            Self::System => match TokioResolver::builder_tokio().and_then(|b| b.build()) {
                Ok(resolver) => Some(resolver),
                Err(error) => {
                    tracing::warn!("Could not read the system DNS configuration: {error}");
                    None
                }
            },
        }
    }

    /// The addresses of `host` (a name or an IP literal) on `port`.
    async fn addresses(&self, host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
        match self {
            Self::System => Ok(tokio::net::lookup_host((host, port)).await?.collect()),
            Self::Server(resolver) => {
                let lookup = resolver
                    .lookup_ip(host)
                    .await
                    .map_err(std::io::Error::other)?;
                Ok(lookup.iter().map(|ip| SocketAddr::new(ip, port)).collect())
            }
        }
    }
}

/// What one SRV question found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Srv {
    /// No record (no such name, or no answer in time).
    #[default]
    Absent,
    /// The only record's target is ".": the service is not offered.
    Unavailable,
    /// Targets to try, in order.
    Found(Vec<Candidate>),
}

/// Candidates for a domain, in the order to try them.
pub(crate) async fn candidates(dns: &Dns, domain: &str) -> Result<Vec<Candidate>, ConnectError> {
    let fallback = Candidate {
        host: domain.to_owned(),
        port: 5222,
        tls: TlsMode::StartTls,
    };
    // Literal addresses and "localhost" (RFC 6761) have no SRV records.
    if domain.parse::<IpAddr>().is_ok() || domain == "localhost" {
        return Ok(vec![fallback]);
    }
    let Some(resolver) = dns.srv_resolver() else {
        return Ok(vec![fallback]);
    };
    let lookups = async move {
        let direct_name = format!("_xmpps-client._tcp.{domain}.");
        let starttls_name = format!("_xmpp-client._tcp.{domain}.");
        let direct = srv(&resolver, &direct_name, TlsMode::DirectTls);
        let starttls = srv(&resolver, &starttls_name, TlsMode::StartTls);
        tokio::join!(direct, starttls)
    };
    let (direct, starttls) = tokio::time::timeout(DNS_TIMEOUT, lookups)
        .await
        .unwrap_or_default();
    let all = order(direct, starttls, fallback);
    if all.is_empty() {
        tracing::info!(
            domain,
            "The domain's SRV records say it offers no XMPP service"
        );
        return Err(ConnectError::ServerNotFound {
            domain: domain.to_owned(),
        });
    }
    Ok(all)
}

/// Direct TLS first (it saves a round trip), then STARTTLS, then the
/// domain itself when neither service has any SRV record. Empty when the
/// records offer nothing to try.
fn order(direct: Srv, starttls: Srv, fallback: Candidate) -> Vec<Candidate> {
    match (direct, starttls) {
        (Srv::Absent, Srv::Absent) => vec![fallback],
        (direct, starttls) => [direct, starttls]
            .into_iter()
            .flat_map(|srv| match srv {
                Srv::Found(candidates) => candidates,
                Srv::Absent | Srv::Unavailable => Vec::new(),
            })
            .collect(),
    }
}

async fn srv(resolver: &TokioResolver, name: &str, tls: TlsMode) -> Srv {
    match resolver.srv_lookup(name).await {
        Ok(lookup) => {
            let mut records: Vec<_> = lookup
                .answers()
                .iter()
                .filter_map(|record| match &record.data {
                    hickory_resolver::proto::rr::RData::SRV(srv) => Some(srv.clone()),
                    _ => None,
                })
                .collect();
            if records.is_empty() {
                return Srv::Absent;
            }
            // RFC 2782: lower priority first; higher weight preferred within
            // a priority (a deterministic approximation of the weighted pick).
            records.sort_by_key(|r| (r.priority, std::cmp::Reverse(r.weight)));
            let candidates: Vec<_> = records
                .into_iter()
                // A target of "." means "service not available here".
                .filter(|r| !r.target.is_root())
                .map(|r| Candidate {
                    host: r.target.to_utf8().trim_end_matches('.').to_owned(),
                    port: r.port,
                    tls,
                })
                .collect();
            if candidates.is_empty() {
                Srv::Unavailable
            } else {
                Srv::Found(candidates)
            }
        }
        Err(error) => {
            tracing::debug!(name, "No SRV records: {error}");
            Srv::Absent
        }
    }
}

/// Open a TCP connection to the candidate, trying each of its addresses.
pub(crate) async fn tcp_connect(
    dns: &Dns,
    candidate: &Candidate,
) -> Result<TcpStream, ConnectError> {
    let addresses =
        match tokio::time::timeout(TCP_TIMEOUT, dns.addresses(&candidate.host, candidate.port))
            .await
        {
            Ok(Ok(addresses)) => addresses,
            Ok(Err(error)) => {
                tracing::debug!(host = %candidate.host, "Could not resolve: {error}");
                return Err(ConnectError::ServerNotFound {
                    domain: candidate.host.clone(),
                });
            }
            Err(_) => return Err(ConnectError::Timeout),
        };
    let mut last = ConnectError::ServerNotFound {
        domain: candidate.host.clone(),
    };
    for address in addresses {
        match tokio::time::timeout(TCP_TIMEOUT, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Ok(Err(error)) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = ConnectError::ConnectionRefused {
                    host: candidate.host.clone(),
                    port: candidate.port,
                };
            }
            Ok(Err(error)) => {
                last = ConnectError::Network {
                    detail: error.to_string(),
                }
            }
            Err(_) => last = ConnectError::Timeout,
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(host: &str, port: u16, tls: TlsMode) -> Candidate {
        Candidate {
            host: host.into(),
            port,
            tls,
        }
    }

    #[test]
    fn direct_tls_is_tried_before_starttls_and_fallback_only_without_srv() {
        let fallback = c("example.org", 5222, TlsMode::StartTls);
        let got = order(
            Srv::Found(vec![c("xmpps.example.org", 443, TlsMode::DirectTls)]),
            Srv::Found(vec![c("xmpp.example.org", 5222, TlsMode::StartTls)]),
            fallback.clone(),
        );
        assert_eq!(got[0].tls, TlsMode::DirectTls);
        assert_eq!(got[1].host, "xmpp.example.org");
        assert_eq!(got.len(), 2);
        assert_eq!(
            order(Srv::Absent, Srv::Absent, fallback.clone()),
            vec![fallback]
        );
    }

    #[test]
    fn a_service_marked_unavailable_gives_no_fallback() {
        let fallback = c("example.org", 5222, TlsMode::StartTls);
        let starttls = c("xmpp.example.org", 5222, TlsMode::StartTls);
        assert_eq!(
            order(Srv::Unavailable, Srv::Absent, fallback.clone()),
            Vec::new()
        );
        assert_eq!(
            order(Srv::Absent, Srv::Unavailable, fallback.clone()),
            Vec::new()
        );
        assert_eq!(
            order(
                Srv::Unavailable,
                Srv::Found(vec![starttls.clone()]),
                fallback
            ),
            vec![starttls]
        );
    }

    #[tokio::test]
    async fn localhost_needs_no_dns() {
        let got = candidates(&Dns::System, "localhost")
            .await
            .expect("candidates");
        assert_eq!(got, vec![c("localhost", 5222, TlsMode::StartTls)]);
    }

    #[tokio::test]
    async fn refused_port_is_reported_as_refused() {
        // Bind then drop to find a port nobody listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let error = tcp_connect(&Dns::System, &c("127.0.0.1", port, TlsMode::StartTls))
            .await
            .expect_err("nothing listens");
        assert_eq!(
            error,
            ConnectError::ConnectionRefused {
                host: "127.0.0.1".into(),
                port
            }
        );
    }
}
