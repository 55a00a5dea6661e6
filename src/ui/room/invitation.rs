//! The prompt shown when someone invites the user to a room: join or
//! decline.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use warbler::model::RoomInvitation;

use crate::i18n::gettext_f;

/// The dialog's heading and body for an invitation (plain text).
pub fn invitation_text(invitation: &RoomInvitation) -> (String, String) {
    let heading = gettext("Invitation to a Group Chat");
    // A room that hides addresses names the inviter by their nickname.
    let inviter = invitation
        .inviter_nick
        .clone()
        .unwrap_or_else(|| invitation.from.to_string());
    let invite = gettext_f(
        // Translators: {inviter} is an address or a nickname; {room} an address.
        "{inviter} invites you to {room}.",
        &[("inviter", &inviter), ("room", invitation.room.as_str())],
    );
    let body = match invitation.reason.as_deref().map(str::trim) {
        Some(reason) if !reason.is_empty() => gettext_f(
            // Translators: the invitation sentence and the inviter's own words.
            "{invite}\n\n“{reason}”",
            &[("invite", &invite), ("reason", reason)],
        ),
        _ => invite,
    };
    (heading, body)
}

/// Ask whether to join; `on_answer(true)` joins, `false` declines. Closing
/// the dialog without answering leaves the invitation unanswered.
pub fn ask(
    parent: Option<&gtk::Window>,
    invitation: &RoomInvitation,
    on_answer: impl Fn(bool) + 'static,
) {
    let (heading, body) = invitation_text(invitation);
    let dialog = adw::MessageDialog::new(parent, Some(&heading), None);
    // The body is set as plain text (the reason comes from the network).
    dialog.set_body_use_markup(false);
    dialog.set_body(&body);
    dialog.add_response("later", &gettext("_Later"));
    dialog.add_response("decline", &gettext("_Decline"));
    dialog.add_response("join", &gettext("_Join"));
    dialog.set_response_appearance("decline", adw::ResponseAppearance::Destructive);
    dialog.set_response_appearance("join", adw::ResponseAppearance::Suggested);
    dialog.set_default_response(Some("join"));
    dialog.set_close_response("later");
    dialog.connect_response(None, move |_, response| match response {
        "join" => on_answer(true),
        "decline" => on_answer(false),
        _ => {}
    });
    dialog.present();
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::BareJid;

    #[test]
    fn the_reason_is_quoted_after_the_invitation() {
        let jid = |s: &str| s.parse::<BareJid>().expect("valid JID");
        let mut invitation = RoomInvitation {
            account: jid("alice@example.org"),
            room: jid("team@conference.example.org"),
            from: jid("bob@example.org"),
            inviter_nick: None,
            reason: Some("<b>standup</b>".into()),
            password: None,
            mediated: false,
        };
        let (_, body) = invitation_text(&invitation);
        assert!(body.starts_with("bob@example.org invites you to team@conference.example.org."));
        assert!(body.contains("“<b>standup</b>”"));
        invitation.reason = None;
        assert!(!invitation_text(&invitation).1.contains('“'));
        invitation.inviter_nick = Some("Bobby".into());
        assert!(
            invitation_text(&invitation)
                .1
                .starts_with("Bobby invites you")
        );
    }
}
