//! A deliberately small XMPP client that speaks the protocol itself, so a
//! test can send exactly the XML it wants (malformed pushes, markup bodies,
//! huge bodies, odd JIDs) and see exactly what arrives.
//!
//! It connects to a [`TestServer`] over StartTLS or direct TLS, trusting only
//! the test CA, authenticates with SASL PLAIN and binds a resource. Stanzas
//! come back as strings or minidom elements. Every wait has a timeout and
//! panics with a clear message, which is what a test wants.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use xmpp_parsers::minidom::Element;

use super::prosody::TestServer;
use super::xml::{self, Frame, FrameReader, escape};

/// How long a `recv` waits by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Plain TCP on the c2s port, upgraded with STARTTLS.
    StartTls,
    /// TLS from the first byte on the direct-TLS port (XEP-0368).
    DirectTls,
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// A connected, authenticated and bound test client.
pub struct RawClient {
    io: Box<dyn Io>,
    reader: FrameReader,
    /// Stanzas received while waiting for something else.
    backlog: VecDeque<String>,
    jid: String,
    closed: bool,
}

impl std::fmt::Debug for RawClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawClient").field("jid", &self.jid).finish()
    }
}

impl RawClient {
    /// Connect with StartTLS as `user` (local part) and bind resource "raw".
    /// Panics on any failure.
    pub async fn connect(server: &TestServer, user: &str, password: &str) -> RawClient {
        Self::try_connect(server, user, password, Transport::StartTls, "raw")
            .await
            .unwrap_or_else(|e| panic!("RawClient could not sign in as {user}: {e}"))
    }

    /// Connect with a chosen transport and resource; errors are returned
    /// (e.g. to check that a wrong password is refused).
    pub async fn try_connect(
        server: &TestServer,
        user: &str,
        password: &str,
        transport: Transport,
        resource: &str,
    ) -> Result<RawClient, String> {
        let port = match transport {
            Transport::StartTls => server.c2s_port(),
            Transport::DirectTls => server.direct_tls_port(),
        };
        let tcp = TcpStream::connect(("127.0.0.1", port))
            .await
            .map_err(|e| format!("Could not connect to 127.0.0.1:{port}: {e}"))?;
        let tls = tls_connector(server)?;
        let domain = server.domain();
        let name = ServerName::try_from(domain.to_owned()).map_err(|e| e.to_string())?;

        let mut client = match transport {
            Transport::DirectTls => {
                let stream = tls
                    .connect(name, tcp)
                    .await
                    .map_err(|e| format!("TLS: {e}"))?;
                RawClient::over(Box::new(stream))
            }
            Transport::StartTls => {
                let mut tcp = tcp;
                starttls(&mut tcp, domain).await?;
                let stream = tls
                    .connect(name, tcp)
                    .await
                    .map_err(|e| format!("TLS: {e}"))?;
                RawClient::over(Box::new(stream))
            }
        };

        let features = client.open_stream(domain).await?;
        if !features.contains("PLAIN") {
            return Err(format!("The server does not offer SASL PLAIN: {features}"));
        }
        let credentials = base64(format!("\0{user}\0{password}").as_bytes());
        client
            .send_raw(&format!(
                "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{credentials}</auth>"
            ))
            .await?;
        let outcome = client.next_stanza(DEFAULT_TIMEOUT).await?;
        if !outcome.starts_with("<success") {
            return Err(format!("Authentication failed: {outcome}"));
        }
        client.reader = FrameReader::default();
        client.open_stream(domain).await?;
        let bind = client
            .request(
                "set",
                None,
                &format!(
                    "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{}</resource></bind>",
                    escape(resource)
                ),
            )
            .await?;
        let jid = bind
            .children()
            .find(|c| c.name() == "bind")
            .and_then(|b| xml::child_text(b, "jid"))
            .ok_or_else(|| format!("Resource binding failed: {}", String::from(&bind)))?;
        client.jid = jid;
        Ok(client)
    }

    fn over(io: Box<dyn Io>) -> RawClient {
        RawClient {
            io,
            reader: FrameReader::default(),
            backlog: VecDeque::new(),
            jid: String::new(),
            closed: false,
        }
    }

    /// The full JID the server bound, e.g. `alice@localhost/raw`.
    pub fn jid(&self) -> &str {
        &self.jid
    }

    /// The bare JID, e.g. `alice@localhost`.
    pub fn bare_jid(&self) -> &str {
        self.jid.split('/').next().unwrap_or(&self.jid)
    }

    /// Send raw XML as is. Panics if the connection is gone.
    pub async fn send(&mut self, xml: &str) {
        if let Err(e) = self.send_raw(xml).await {
            panic!("{} could not send: {e}", self.jid);
        }
    }

    async fn send_raw(&mut self, xml: &str) -> Result<(), String> {
        write_all(&mut self.io, xml).await
    }

    /// Send `<presence/>` (available, no status).
    pub async fn send_initial_presence(&mut self) {
        self.send("<presence/>").await;
    }

    /// Send available presence with an optional `<show/>` (away, chat, dnd,
    /// xa) and status text.
    pub async fn send_presence(&mut self, show: Option<&str>, status: Option<&str>) {
        let mut xml = String::from("<presence>");
        if let Some(show) = show {
            xml.push_str(&format!("<show>{}</show>", escape(show)));
        }
        if let Some(status) = status {
            xml.push_str(&format!("<status>{}</status>", escape(status)));
        }
        xml.push_str("</presence>");
        self.send(&xml).await;
    }

    /// Send a chat message with a plain-text body; returns its id.
    pub async fn send_message(&mut self, to: &str, body: &str) -> String {
        let id = next_id();
        self.send(&format!(
            "<message type='chat' to='{}' id='{id}'><body>{}</body>\
             <origin-id xmlns='urn:xmpp:sid:0' id='{id}'/></message>",
            escape(to),
            escape(body)
        ))
        .await;
        id
    }

    /// Send an IQ of `kind` ("get" or "set") and wait for its answer
    /// (result or error). Panics on timeout.
    pub async fn iq(&mut self, kind: &str, to: Option<&str>, payload: &str) -> Element {
        match self.request(kind, to, payload).await {
            Ok(answer) => answer,
            Err(e) => panic!("{}: {e}", self.jid),
        }
    }

    async fn request(
        &mut self,
        kind: &str,
        to: Option<&str>,
        payload: &str,
    ) -> Result<Element, String> {
        let id = next_id();
        let to = to
            .map(|to| format!(" to='{}'", escape(to)))
            .unwrap_or_default();
        self.send_raw(&format!("<iq type='{kind}' id='{id}'{to}>{payload}</iq>"))
            .await?;
        self.wait_for(DEFAULT_TIMEOUT, |e| {
            e.name() == "iq"
                && e.attr("id") == Some(id.as_str())
                && matches!(e.attr("type"), Some("result" | "error"))
        })
        .await
        .ok_or_else(|| format!("no answer to IQ {id} within {DEFAULT_TIMEOUT:?}"))
    }

    /// Fetch the roster: `(jid, subscription, name)` per item.
    pub async fn roster(&mut self) -> Vec<(String, String, Option<String>)> {
        let answer = self
            .iq("get", None, "<query xmlns='jabber:iq:roster'/>")
            .await;
        assert_eq!(answer.attr("type"), Some("result"), "roster: {answer:?}");
        answer
            .children()
            .filter(|c| c.name() == "query")
            .flat_map(|q| q.children())
            .filter(|item| item.name() == "item")
            .map(|item| {
                (
                    item.attr("jid").unwrap_or_default().to_owned(),
                    item.attr("subscription").unwrap_or("none").to_owned(),
                    item.attr("name").map(str::to_owned),
                )
            })
            .collect()
    }

    /// The next stanza as text (waits up to 10 s, then panics).
    pub async fn recv(&mut self) -> String {
        match self.recv_timeout(DEFAULT_TIMEOUT).await {
            Some(stanza) => stanza,
            None => panic!("{}: nothing received within {DEFAULT_TIMEOUT:?}", self.jid),
        }
    }

    /// The next stanza as text, or `None` after `timeout` or when the
    /// stream has ended.
    pub async fn recv_timeout(&mut self, timeout: Duration) -> Option<String> {
        if let Some(stanza) = self.backlog.pop_front() {
            return Some(stanza);
        }
        self.next_stanza(timeout).await.ok()
    }

    /// The next stanza parsed (waits up to 10 s, then panics).
    pub async fn recv_element(&mut self) -> Element {
        let stanza = self.recv().await;
        xml::parse_stanza(&stanza).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Wait up to `timeout` for a stanza matching `pred`; others received
    /// meanwhile are kept for later `recv` calls.
    pub async fn wait_for(
        &mut self,
        timeout: Duration,
        pred: impl Fn(&Element) -> bool,
    ) -> Option<Element> {
        if let Some(pos) = self
            .backlog
            .iter()
            .position(|s| xml::parse_stanza(s).map(|e| pred(&e)).unwrap_or(false))
        {
            let stanza = self.backlog.remove(pos)?;
            return xml::parse_stanza(&stanza).ok();
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let stanza = self.next_stanza(left).await.ok()?;
            match xml::parse_stanza(&stanza) {
                Ok(element) if pred(&element) => return Some(element),
                _ => self.backlog.push_back(stanza),
            }
        }
    }

    /// Wait (10 s, then panic) for a message whose body contains `token`.
    pub async fn expect_message_containing(&mut self, token: &str) -> Element {
        let found = self
            .wait_for(DEFAULT_TIMEOUT, |e| {
                e.name() == "message" && xml::body(e).is_some_and(|b| b.contains(token))
            })
            .await;
        found.unwrap_or_else(|| panic!("{}: no message containing {token:?} arrived", self.jid))
    }

    /// Close the stream politely and shut the connection down.
    pub async fn close(mut self) {
        if !self.closed {
            let _ = self.send_raw("</stream:stream>").await;
            let _ = self.io.shutdown().await;
        }
    }

    /// Read (and keep) stanzas until the server ends the stream; `false` if
    /// it is still open after `timeout`.
    pub async fn wait_until_closed(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while !self.closed {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            if let Ok(Frame::Stanza(stanza)) = self.next_frame(left).await {
                self.backlog.push_back(stanza);
            }
        }
        true
    }

    /// Whether the server has closed the stream.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    async fn open_stream(&mut self, domain: &str) -> Result<String, String> {
        open_stream(&mut self.io, &mut self.reader, domain).await
    }

    async fn next_stanza(&mut self, timeout: Duration) -> Result<String, String> {
        match self.next_frame(timeout).await? {
            Frame::Stanza(s) => Ok(s),
            Frame::StreamOpen(s) => Err(format!("unexpected stream header: {s}")),
            Frame::StreamClose => Err("the server closed the stream".into()),
        }
    }

    async fn next_frame(&mut self, timeout: Duration) -> Result<Frame, String> {
        if self.closed {
            if let Some(frame) = self.reader.next_frame() {
                return Ok(frame);
            }
            return Err("the stream has ended".into());
        }
        let frame = read_frame(&mut self.io, &mut self.reader, timeout).await;
        if matches!(frame, Ok(Frame::StreamClose)) || frame.as_ref().is_err_and(|e| e != TIMED_OUT)
        {
            self.closed = true;
        }
        frame
    }
}

const TIMED_OUT: &str = "timed out";

/// Negotiate STARTTLS on a fresh TCP connection, up to `<proceed/>`.
async fn starttls(tcp: &mut TcpStream, domain: &str) -> Result<(), String> {
    let mut reader = FrameReader::default();
    let features = open_stream(tcp, &mut reader, domain).await?;
    if !features.contains("urn:ietf:params:xml:ns:xmpp-tls") {
        return Err(format!("The server does not offer STARTTLS: {features}"));
    }
    write_all(tcp, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").await?;
    match read_frame(tcp, &mut reader, DEFAULT_TIMEOUT).await? {
        Frame::Stanza(s) if s.starts_with("<proceed") => Ok(()),
        other => Err(format!("STARTTLS refused: {other:?}")),
    }
}

/// Send a stream header and read up to and including `<stream:features/>`.
async fn open_stream(
    io: &mut (impl AsyncRead + AsyncWrite + Unpin),
    reader: &mut FrameReader,
    domain: &str,
) -> Result<String, String> {
    write_all(
        io,
        &format!(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
             xmlns:stream='http://etherx.jabber.org/streams' to='{domain}' \
             version='1.0' xml:lang='en'>"
        ),
    )
    .await?;
    loop {
        match read_frame(io, reader, DEFAULT_TIMEOUT).await? {
            Frame::StreamOpen(_) => continue,
            Frame::Stanza(s) if s.starts_with("<stream:features") => return Ok(s),
            Frame::Stanza(s) => return Err(format!("expected stream features, got {s}")),
            Frame::StreamClose => return Err("the server closed the stream".into()),
        }
    }
}

async fn write_all(io: &mut (impl AsyncWrite + Unpin), xml: &str) -> Result<(), String> {
    io.write_all(xml.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    io.flush().await.map_err(|e| format!("flush: {e}"))
}

/// Read until `reader` has a complete frame or `timeout` passes.
async fn read_frame(
    io: &mut (impl AsyncRead + Unpin),
    reader: &mut FrameReader,
    timeout: Duration,
) -> Result<Frame, String> {
    let deadline = Instant::now() + timeout;
    let mut buf = [0u8; 16 * 1024];
    loop {
        if let Some(frame) = reader.next_frame() {
            return Ok(frame);
        }
        let left = deadline
            .checked_duration_since(Instant::now())
            .ok_or(TIMED_OUT)?;
        match tokio::time::timeout(left, io.read(&mut buf)).await {
            Err(_) => return Err(TIMED_OUT.into()),
            Ok(Ok(0)) => return Err("the connection was closed".into()),
            Ok(Err(e)) => return Err(format!("read: {e}")),
            Ok(Ok(n)) => reader.push(&buf[..n]),
        }
    }
}

fn tls_connector(server: &TestServer) -> Result<TlsConnector, String> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(server.ca_pem_path())
        .map_err(|e| format!("Could not read the test CA: {e}"))?
    {
        let cert = cert.map_err(|e| format!("Could not parse the test CA: {e}"))?;
        roots.add(cert).map_err(|e| format!("Bad test CA: {e}"))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"xmpp-client".to_vec()];
    Ok(TlsConnector::from(Arc::new(config)))
}

fn next_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    format!("raw-{}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Standard base64 with padding (for SASL).
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
