//! The one place where core errors become translated, actionable text.

use gettextrs::gettext;
use warbler::model::{BareJid, RoomError, RoomExit};
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
            Self::InvalidXml { detail } => gettext_f(
                // Translators: shown in the XML console when the text is not a stanza.
                "This is not a valid XMPP stanza: {detail}",
                &[("detail", detail)],
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
        }
    }
}

impl UserFacing for RoomError {
    fn to_user_facing(&self) -> String {
        match self {
            Self::NicknameConflict => gettext(
                "Someone in this room already uses this nickname. Choose another nickname and try again.",
            ),
            Self::NicknameInvalid => gettext(
                "This room does not accept this nickname: some of its characters are not allowed there. Choose another nickname.",
            ),
            Self::PasswordRequired => {
                gettext("This room needs a password. Enter the room’s password to join.")
            }
            Self::MembersOnly => {
                gettext("You are not a member of this room. Ask one of its admins to invite you.")
            }
            Self::Banned => gettext("You are banned from this room."),
            Self::RegistrationRequired => {
                gettext("This room wants you to register a nickname with it before you join.")
            }
            Self::NotFound => gettext(
                "This room does not exist, and its service does not let you create it. Check the address.",
            ),
            Self::Full => gettext("This room is full. Try again later."),
            Self::Locked => {
                gettext("This room is still being set up by its owner. Try again in a moment.")
            }
            Self::Forbidden => gettext("The room does not allow you to do this."),
            Self::NotAllowed => gettext("This is not allowed in this room."),
            Self::ModerationUnsupported => gettext(
                "This room does not support removing messages. Ask its service’s administrator to enable message moderation.",
            ),
            Self::Unreachable => {
                gettext("The room’s service did not answer. Check the address, or try again later.")
            }
            Self::PrivateMessageFailed { nick, gone: true } => gettext_f(
                // Translators: {nick} is a room occupant's nickname.
                "{nick} is not in the room any more, so your private message was not delivered.",
                &[("nick", nick)],
            ),
            Self::PrivateMessageFailed { nick, gone: false } => gettext_f(
                // Translators: {nick} is a room occupant's nickname.
                "The room did not deliver your private message to {nick}.",
                &[("nick", nick)],
            ),
            Self::Other { condition } => gettext_f(
                // Translators: {condition} is a technical XMPP error name such as "bad-request".
                "The room refused the request ({condition}).",
                &[("condition", condition)],
            ),
        }
    }
}

/// Why a conference service did not list its rooms, for the room
/// directory.
pub fn directory_error(service: &BareJid, error: &CoreError) -> String {
    let service = service.as_str();
    let CoreError::ServerRefused { condition } = error else {
        return error.to_user_facing();
    };
    match condition.as_str() {
        "remote-server-not-found" | "remote-server-timeout" => gettext_f(
            // Translators: {service} is an address such as conference.example.org.
            "{service} could not be reached. Check the address, or try again later.",
            &[("service", service)],
        ),
        "item-not-found" | "service-unavailable" | "feature-not-implemented" => gettext_f(
            "{service} does not list public rooms. Check that it is a group chat service.",
            &[("service", service)],
        ),
        "forbidden" | "not-allowed" | "not-authorized" | "registration-required" => gettext_f(
            "You are not allowed to list the rooms of {service}.",
            &[("service", service)],
        ),
        _ => gettext_f(
            // Translators: {condition} is a technical XMPP error name such as "bad-request".
            "{service} refused to list its rooms ({condition}).",
            &[("service", service), ("condition", condition)],
        ),
    }
}

/// "{sentence}" or "{sentence} Reason: {reason}".
fn with_reason(sentence: String, reason: Option<&String>) -> String {
    match reason.map(|r| r.trim()).filter(|r| !r.is_empty()) {
        Some(reason) => gettext_f(
            // Translators: a sentence such as "You were removed from the room." and the reason given for it.
            "{sentence} Reason: {reason}",
            &[("sentence", &sentence), ("reason", reason)],
        ),
        None => sentence,
    }
}

impl UserFacing for RoomExit {
    fn to_user_facing(&self) -> String {
        match self {
            Self::Left => gettext("You left this room."),
            Self::Kicked { reason } => with_reason(
                gettext("A moderator removed you from this room."),
                reason.as_ref(),
            ),
            Self::Banned { reason } => {
                with_reason(gettext("You were banned from this room."), reason.as_ref())
            }
            Self::MembershipLost => gettext(
                "You were removed because the room is now for members only and you are not one.",
            ),
            Self::Destroyed {
                reason,
                alternative,
            } => {
                let sentence = match alternative {
                    Some(room) => gettext_f(
                        // Translators: {room} is the address of the room that replaces it.
                        "The owner closed this room. The conversation continues in {room}.",
                        &[("room", room.as_str())],
                    ),
                    None => gettext("The owner closed this room."),
                };
                with_reason(sentence, reason.as_ref())
            }
            Self::ServiceShutdown => {
                gettext("The room’s service shut down. Try to join again later.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_errors_name_the_service() {
        let service: BareJid = "conference.example.org".parse().expect("valid JID");
        for condition in [
            "remote-server-not-found",
            "item-not-found",
            "not-allowed",
            "undefined-condition",
        ] {
            let error = CoreError::ServerRefused {
                condition: condition.into(),
            };
            let text = directory_error(&service, &error);
            assert!(text.contains("conference.example.org"), "{text}");
        }
        let text = directory_error(
            &service,
            &CoreError::ServerRefused {
                condition: "undefined-condition".into(),
            },
        );
        assert!(text.contains("undefined-condition"), "{text}");
        assert_eq!(
            directory_error(&service, &CoreError::Offline),
            CoreError::Offline.to_user_facing()
        );
    }

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
        let text = RoomExit::Kicked {
            reason: Some("spam".into()),
        }
        .to_user_facing();
        assert!(text.contains("spam"));
        let text = RoomExit::Kicked {
            reason: Some("  ".into()),
        }
        .to_user_facing();
        assert!(!text.contains("Reason"));
        let text = RoomError::Other {
            condition: "bad-request".into(),
        }
        .to_user_facing();
        assert!(text.contains("bad-request"));
    }
}
