//! Establishing an authenticated XMPP stream: server discovery (SRV,
//! XEP-0368), TCP, TLS (direct or STARTTLS), SASL. Resource binding and
//! stream management are then done by tokio-xmpp's `StanzaStream`.
//!
//! tokio-xmpp's own connectors retry forever and report failures only to
//! the log; Warbler performs each step itself so that every failure becomes
//! a [`ConnectError`] the user can act on.

mod discovery;
mod sasl_choice;
mod tls;

use std::borrow::Cow;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::io::BufStream;
use tokio::net::TcpStream;
use tokio_xmpp::connect::AsyncReadAndWrite;
use tokio_xmpp::error::{AuthError, Error as XmppError};
use tokio_xmpp::parsers::sasl::DefinedCondition;
use tokio_xmpp::stanzastream::Connection;
use tokio_xmpp::xmlstream::{
    PendingFeaturesRecv, ReadError, StreamHeader, Timeouts, XmppStream, XmppStreamElement,
    initiate_stream,
};
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::starttls;

use crate::model::{ServerAddress, TlsMode};
use crate::session::ConnectError;

pub(crate) use discovery::Candidate;
pub(crate) use tls::{TlsPolicy, load_pem_roots};

/// How long one TCP connect, TLS handshake or negotiation step may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);

/// Everything needed to open a session for one account.
#[derive(Clone)]
pub(crate) struct ConnectSettings {
    /// The account's address.
    pub jid: BareJid,
    /// The resource to ask for at bind time.
    pub resource: String,
    /// The account's password.
    pub password: String,
    /// Explicit server address (skips DNS discovery).
    pub server: Option<ServerAddress>,
    /// The DNS server to ask instead of the system's (a local test
    /// server); `None` uses the system configuration.
    pub name_server: Option<std::net::SocketAddr>,
    /// Certificate verification policy (system roots, plus a pinned
    /// fingerprint the user chose to trust).
    pub tls: TlsPolicy,
}

impl std::fmt::Debug for ConnectSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password.
        f.debug_struct("ConnectSettings")
            .field("jid", &self.jid)
            .field("resource", &self.resource)
            .field("server", &self.server)
            .field("name_server", &self.name_server)
            .finish_non_exhaustive()
    }
}

/// Connect, secure and authenticate; the returned connection is ready for
/// resource binding.
pub(crate) async fn connect(settings: &ConnectSettings) -> Result<Connection, ConnectError> {
    let domain = settings.jid.domain().as_str().to_owned();
    let dns = discovery::Dns::new(settings.name_server)?;
    let candidates = match &settings.server {
        Some(server) => vec![Candidate::from(server)],
        None => discovery::candidates(&dns, &domain).await?,
    };
    let mut last_error = ConnectError::ServerNotFound {
        domain: domain.clone(),
    };
    for candidate in candidates {
        tracing::debug!(account = %settings.jid, host = %candidate.host, port = candidate.port,
            tls = ?candidate.tls, "Trying server");
        match connect_candidate(settings, &dns, &candidate).await {
            Ok(connection) => return Ok(connection),
            Err(error) => {
                tracing::info!(account = %settings.jid, host = %candidate.host,
                    port = candidate.port, "Could not connect: {error}");
                // Credentials and certificates are the same on every
                // candidate: trying the next one would not help.
                if error.needs_user() {
                    return Err(error);
                }
                last_error = error;
            }
        }
    }
    Err(last_error)
}

async fn connect_candidate(
    settings: &ConnectSettings,
    dns: &discovery::Dns,
    candidate: &Candidate,
) -> Result<Connection, ConnectError> {
    let tcp = discovery::tcp_connect(dns, candidate).await?;
    let domain = settings.jid.domain().as_str();
    let timeouts = Timeouts::default();
    let (stream, tls_info) = match candidate.tls {
        TlsMode::DirectTls => {
            let (tls_stream, info) = settings.tls.handshake(tcp, domain).await?;
            let stream: Box<dyn AsyncReadAndWrite + Send> = Box::new(BufStream::new(tls_stream));
            (stream, info)
        }
        TlsMode::StartTls => {
            let tcp = starttls(tcp, domain, timeouts).await?;
            let (tls_stream, info) = settings.tls.handshake(tcp, domain).await?;
            let stream: Box<dyn AsyncReadAndWrite + Send> = Box::new(BufStream::new(tls_stream));
            (stream, info)
        }
    };
    let pending = step(initiate_stream(
        stream,
        xmpp_parsers::ns::JABBER_CLIENT,
        header(domain, Some(&settings.jid)),
        timeouts,
    ))
    .await?;
    authenticate(settings, pending, tls_info).await
}

async fn authenticate(
    settings: &ConnectSettings,
    pending: PendingFeaturesRecv<Box<dyn AsyncReadAndWrite + Send>>,
    tls_info: tls::TlsInfo,
) -> Result<Connection, ConnectError> {
    let domain = settings.jid.domain().as_str();
    let (features, stream) = step(pending.recv_features()).await?;
    let choice = sasl_choice::choose(&features, tls_info.exporter)?;
    let node = settings
        .jid
        .node()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    let credentials = sasl::common::Credentials::default()
        .with_username(node)
        .with_password(settings.password.clone())
        .with_channel_binding(choice.binding);
    tracing::debug!(account = %settings.jid, mechanisms = ?choice.mechanisms, "Authenticating");
    let initiating = tokio::time::timeout(
        STEP_TIMEOUT,
        tokio_xmpp::client_login(stream, choice.mechanisms, credentials),
    )
    .await
    .map_err(|_| ConnectError::Timeout)?
    .map_err(classify_auth)?;
    let pending = step(initiating.send_header(header(domain, None))).await?;
    let (features, stream) = step(pending.recv_features()).await?;
    if !features.can_bind() {
        return Err(ConnectError::Unsupported {
            feature: "resource binding".to_owned(),
        });
    }
    let identity = Jid::from(
        settings
            .jid
            .with_resource_str(&settings.resource)
            .map_err(|e| ConnectError::Protocol {
                detail: format!("invalid resource: {e}"),
            })?,
    );
    Ok(Connection {
        stream: stream.box_stream(),
        features,
        identity,
    })
}

fn header<'a>(domain: &'a str, from: Option<&'a BareJid>) -> StreamHeader<'a> {
    StreamHeader {
        to: Some(Cow::Borrowed(domain)),
        from: from.map(|j| Cow::Owned(j.to_string())),
        id: None,
    }
}

/// Run one negotiation step with a timeout, classifying its error.
async fn step<T, E: Into<XmppError>>(
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, ConnectError> {
    match tokio::time::timeout(STEP_TIMEOUT, fut).await {
        Err(_) => Err(ConnectError::Timeout),
        Ok(Err(e)) => Err(classify(e.into())),
        Ok(Ok(v)) => Ok(v),
    }
}

/// Negotiate STARTTLS on a plain TCP stream and hand back the raw socket.
async fn starttls(
    tcp: TcpStream,
    domain: &str,
    timeouts: Timeouts,
) -> Result<TcpStream, ConnectError> {
    let pending = step(initiate_stream(
        BufStream::new(tcp),
        xmpp_parsers::ns::JABBER_CLIENT,
        header(domain, None),
        timeouts,
    ))
    .await?;
    let (features, mut stream): (_, XmppStream<BufStream<TcpStream>>) =
        step(pending.recv_features()).await?;
    if !features.can_starttls() {
        // RFC 6120 §5.3.1: never continue without TLS.
        return Err(ConnectError::Unsupported {
            feature: "STARTTLS".to_owned(),
        });
    }
    step(
        stream.send(&XmppStreamElement::Starttls(starttls::Nonza::Request(
            starttls::Request,
        ))),
    )
    .await?;
    let proceed = tokio::time::timeout(STEP_TIMEOUT, async {
        loop {
            match stream
                .next()
                .await
                .map(|v| v.and_then(|v| v.into_read_error()))
            {
                Some(Ok(XmppStreamElement::Starttls(starttls::Nonza::Proceed(_)))) => {
                    return Ok(());
                }
                Some(Ok(_)) | Some(Err(ReadError::SoftTimeout)) => {}
                Some(Err(ReadError::HardError(e))) => return Err(classify(e.into())),
                Some(Err(ReadError::ParseError(e))) => {
                    return Err(ConnectError::Protocol {
                        detail: e.to_string(),
                    });
                }
                Some(Err(ReadError::StreamFooterReceived)) | None => {
                    return Err(ConnectError::Protocol {
                        detail: "the server closed the stream during STARTTLS".to_owned(),
                    });
                }
            }
        }
    })
    .await
    .map_err(|_| ConnectError::Timeout)?;
    proceed?;
    Ok(stream.into_inner().into_inner())
}

fn classify_auth(error: XmppError) -> ConnectError {
    match error {
        XmppError::Auth(AuthError::Fail(condition)) => match condition {
            DefinedCondition::NotAuthorized | DefinedCondition::CredentialsExpired => {
                ConnectError::WrongPassword
            }
            DefinedCondition::AccountDisabled => ConnectError::AccountDisabled,
            DefinedCondition::InvalidMechanism | DefinedCondition::MechanismTooWeak => {
                ConnectError::Unsupported {
                    feature: format!("SASL ({condition:?})"),
                }
            }
            other => ConnectError::Protocol {
                detail: format!("authentication failed: {other:?}"),
            },
        },
        XmppError::Auth(AuthError::NoMechanism) => ConnectError::Unsupported {
            feature: "SASL mechanism".to_owned(),
        },
        other => classify(other),
    }
}

/// Map a tokio-xmpp error to what the user can understand and do.
pub(crate) fn classify(error: XmppError) -> ConnectError {
    match error {
        XmppError::Io(e) => match e.kind() {
            std::io::ErrorKind::TimedOut => ConnectError::Timeout,
            std::io::ErrorKind::ConnectionRefused => ConnectError::ConnectionRefused {
                host: String::new(),
                port: 0,
            },
            _ => ConnectError::Network {
                detail: e.to_string(),
            },
        },
        XmppError::Auth(_) => classify_auth(error),
        XmppError::Disconnected => ConnectError::Network {
            detail: "disconnected".to_owned(),
        },
        other => ConnectError::Protocol {
            detail: other.to_string(),
        },
    }
}
