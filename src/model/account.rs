//! Accounts and their connection state.

use super::BareJid;
use crate::session::ConnectError;

/// How to secure the connection to an explicitly configured server address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// TLS from the first byte (XEP-0368, usually port 5223).
    DirectTls,
    /// Plain TCP upgraded with STARTTLS (RFC 6120, usually port 5222).
    StartTls,
}

/// An explicit host and port that overrides DNS SRV discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAddress {
    /// Host name or IP address to connect to.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// How TLS is established on that port.
    pub tls: TlsMode,
}

/// What the UI needs to know about one configured account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    /// The account's address.
    pub jid: BareJid,
    /// Whether Warbler should connect it.
    pub enabled: bool,
    /// Server override, if any (otherwise SRV discovery is used).
    pub server: Option<ServerAddress>,
}

/// The connection state of one account, as shown in the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectionState {
    /// The account is disabled by the user.
    Disabled,
    /// A connection attempt is under way.
    Connecting,
    /// Signed in and ready.
    Online,
    /// The connection dropped; a new attempt follows after a pause.
    WaitingToReconnect {
        /// Seconds until the next attempt.
        retry_in_secs: u64,
        /// Why the last attempt failed.
        error: ConnectError,
    },
    /// Connecting failed in a way only the user can fix (wrong password,
    /// untrusted certificate …); no automatic retry.
    Failed {
        /// What went wrong.
        error: ConnectError,
    },
}
