//! The one place where core errors become translated, actionable text.

use gettextrs::gettext;
use warbler::session::{ConnectError, CoreError};

use crate::i18n::gettext_f;

/// An error that can be explained to the user.
pub trait UserFacing {
    /// A translated sentence saying what went wrong and what to do.
    fn to_user_facing(&self) -> String;
}

impl UserFacing for ConnectError {
    fn to_user_facing(&self) -> String {
        match self {
            Self::WrongPassword => gettext("The password is wrong. Check it and enter it again."),
            Self::AccountDisabled => {
                gettext("The server has disabled this account. Contact the server's administrator.")
            }
            Self::ServerNotFound { domain } => gettext_f(
                // Translators: {domain} is the part of the address after the "@".
                "No chat server was found for “{domain}”. Check the address, or enter the server under “Advanced”.",
                &[("domain", domain)],
            ),
            Self::ConnectionRefused { host, port } => gettext_f(
                // Translators: {host} and {port} are the server's network address.
                "The server {host} refused the connection on port {port}. Check the server settings under “Advanced”, or try again later.",
                &[("host", host), ("port", &port.to_string())],
            ),
            Self::Timeout => gettext(
                "The server did not answer in time. Check your internet connection and try again.",
            ),
            Self::UntrustedCertificate(info) => gettext_f(
                "The server’s identity could not be verified ({reason}). Check its certificate before trusting it.",
                &[("reason", &info.reason)],
            ),
            Self::Unsupported { feature } => gettext_f(
                // Translators: {feature} is a technical name such as "TLS" or "SCRAM-SHA-1".
                "The server needs something Warbler does not support ({feature}). Use another server or contact its administrator.",
                &[("feature", feature)],
            ),
            Self::Network { detail } => gettext_f(
                "The network connection failed ({detail}). Check your internet connection.",
                &[("detail", detail)],
            ),
            Self::Protocol { detail } => gettext_f(
                "The server sent something unexpected ({detail}). Try again later.",
                &[("detail", detail)],
            ),
            Self::Keyring { detail } => gettext_f(
                "The password could not be stored in or read from the keyring ({detail}). Make sure a keyring service is running and unlocked.",
                &[("detail", detail)],
            ),
        }
    }
}

impl UserFacing for CoreError {
    fn to_user_facing(&self) -> String {
        match self {
            Self::NoSuchAccount => gettext("This account no longer exists."),
            Self::AccountExists => gettext("This account has already been added."),
            Self::InvalidAddress { input } => gettext_f(
                "“{address}” is not a valid address. Addresses look like name@example.org.",
                &[("address", input)],
            ),
            Self::Storage { detail } => gettext_f(
                "Could not save data on this computer ({detail}). Check the free disk space.",
                &[("detail", detail)],
            ),
            Self::Keyring { detail } => gettext_f(
                "The keyring could not be used ({detail}). Make sure a keyring service is running and unlocked.",
                &[("detail", detail)],
            ),
            Self::ServerRefused { condition } => gettext_f(
                "The server refused the request ({condition}).",
                &[("condition", condition)],
            ),
            Self::Offline => gettext("The account is offline. Try again once it is connected."),
            // Only the XML console sends raw stanzas; its users read the
            // parser's own message.
            Self::InvalidXml { detail } => detail.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_their_details() {
        let text = ConnectError::ServerNotFound {
            domain: "example.org".into(),
        }
        .to_user_facing();
        assert!(text.contains("example.org"));
        let text = ConnectError::ConnectionRefused {
            host: "h".into(),
            port: 5222,
        }
        .to_user_facing();
        assert!(text.contains("5222"));
        assert!(!CoreError::Offline.to_user_facing().is_empty());
    }
}
