//! The menu of one message in the chat view, opened from its "⋮" button,
//! a right click or a long press: "Copy Text" for every message; in a room,
//! "Reply Privately" on a private message from another occupant and "Send
//! Private Message" on their messages to the room (both the occupant list's
//! `pm.start`, see `private`); and, for a room's moderators, "Remove
//! Message…" (XEP-0425) on messages that the room's archive knows and that
//! nobody removed yet.

use gettextrs::gettext;
use relm4::gtk::{self, gio, glib, prelude::*};
use warbler::model::{BareJid, Direction, MessageId};
use warbler::session::Command;

use super::ChatOutput;
use super::message_row::{MessageItem, moderated_text};
use crate::i18n::gettext_f;
use crate::ui::room::prompt::Prompt;

/// An entry of a message's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAction {
    /// Put the message's text on the clipboard.
    Copy,
    /// Answer a private message privately (the composer goes into private
    /// mode to its sender).
    ReplyPrivately,
    /// Write privately to the sender of a message to the room.
    SendPrivateMessage,
    /// Remove the message for everyone in the room (moderators).
    Remove,
}

/// The entries offered for a row; none for a room notice.
pub fn actions(item: &MessageItem) -> Vec<MessageAction> {
    if item.notice.is_some() {
        return Vec::new();
    }
    let mut actions = vec![MessageAction::Copy];
    if let Some(info) = &item.message.room
        && private_peer(item).is_some()
    {
        actions.push(if info.private_with.is_some() {
            MessageAction::ReplyPrivately
        } else {
            MessageAction::SendPrivateMessage
        });
    }
    let removable = item.message.room.as_ref().is_some_and(|info| {
        // The room finds the message by its archive id only.
        info.server_id.is_some() && info.moderated.is_none()
    });
    if removable && item.sender.as_ref().is_some_and(|s| s.we_moderate) {
        actions.push(MessageAction::Remove);
    }
    actions
}

/// The occupant a room message's private entries write to: the other
/// occupant of a private message, else the sender; `None` for our own
/// messages, one-to-one chats and room notices. Whether they are still in
/// the room is the composer's to say (see `private_chip`).
pub fn private_peer(item: &MessageItem) -> Option<&str> {
    let info = item.message.room.as_ref()?;
    let sender = item.sender.as_ref()?;
    if item.notice.is_some() || sender.own || item.message.direction != Direction::Incoming {
        return None;
    }
    Some(info.private_with.as_deref().unwrap_or(&info.nick)).filter(|nick| !nick.is_empty())
}

/// The text "Copy Text" copies: the message as the row shows it.
pub fn copy_text(item: &MessageItem) -> String {
    match item
        .message
        .room
        .as_ref()
        .and_then(|r| r.moderated.as_ref())
    {
        Some(moderation) => moderated_text(moderation.reason.as_deref()),
        None => item.message.body.clone(),
    }
}

/// The menu of a row (built when it opens).
pub fn build(item: &MessageItem) -> gio::Menu {
    let menu = gio::Menu::new();
    for action in actions(item) {
        let entry = match action {
            MessageAction::Copy => {
                let entry = gio::MenuItem::new(Some(&gettext("_Copy Text")), None);
                entry.set_action_and_target_value(
                    Some("message.copy"),
                    Some(&copy_text(item).to_variant()),
                );
                entry
            }
            MessageAction::ReplyPrivately | MessageAction::SendPrivateMessage => {
                let label = if action == MessageAction::ReplyPrivately {
                    gettext("Reply _Privately")
                } else {
                    gettext("Send _Private Message")
                };
                let entry = gio::MenuItem::new(Some(&label), None);
                let nick = private_peer(item).unwrap_or_default();
                entry.set_action_and_target_value(Some("pm.start"), Some(&nick.to_variant()));
                entry
            }
            MessageAction::Remove => {
                let message = &item.message;
                let nick = message
                    .room
                    .as_ref()
                    .map(|r| r.nick.clone())
                    .unwrap_or_default();
                let target = (
                    message.account.to_string(),
                    message.peer.to_string(),
                    message.id.0,
                    nick,
                );
                let entry = gio::MenuItem::new(Some(&gettext("_Remove Message…")), None);
                entry.set_action_and_target_value(
                    Some("message.remove"),
                    Some(&target.to_variant()),
                );
                entry
            }
        };
        menu.append_item(&entry);
    }
    menu
}

/// Add the `message.*` actions to `widget` (the message list): copying
/// goes to the clipboard; removing asks for an optional reason and sends
/// `Command::ModerateMessage` through `output`.
pub fn install(widget: &impl IsA<gtk::Widget>, output: relm4::Sender<ChatOutput>) {
    let group = gio::SimpleActionGroup::new();
    let copy = gio::SimpleAction::new("copy", Some(glib::VariantTy::STRING));
    let for_copy = widget.as_ref().clone();
    copy.connect_activate(move |_, target| {
        if let Some(text) = target.and_then(|t| t.get::<String>()) {
            for_copy.clipboard().set_text(&text);
            // The primary selection too, as selecting would.
            for_copy.primary_clipboard().set_text(&text);
        }
    });
    group.add_action(&copy);
    let remove = gio::SimpleAction::new(
        "remove",
        Some(&<(String, String, i64, String)>::static_variant_type()),
    );
    let for_remove = widget.as_ref().clone();
    remove.connect_activate(move |_, target| {
        let Some((account, room, id, nick)) =
            target.and_then(|t| t.get::<(String, String, i64, String)>())
        else {
            return;
        };
        let (Ok(account), Ok(room)) = (BareJid::new(&account), BareJid::new(&room)) else {
            return;
        };
        let parent = for_remove.root().and_downcast::<gtk::Window>();
        let output = output.clone();
        removal_prompt(&nick).ask(parent.as_ref(), move |reason| {
            output.emit(ChatOutput::Command(Command::ModerateMessage {
                account: account.clone(),
                room: room.clone(),
                message: MessageId(id),
                reason: (!reason.is_empty()).then_some(reason),
            }));
        });
    });
    group.add_action(&remove);
    widget.insert_action_group("message", Some(&group));
}

/// The question before removing a message of `nick`.
fn removal_prompt(nick: &str) -> Prompt {
    let mut prompt = Prompt::new(
        gettext("Remove Message?"),
        gettext_f(
            // Translators: {nick} is the nickname of who wrote the message.
            "The message of {nick} will be removed for everyone in the room. The reason, if you give one, is shown in its place.",
            &[("nick", nick)],
        ),
        gettext("Reason (optional)"),
        gettext("_Remove"),
    );
    prompt.allow_empty = true;
    prompt.destructive = true;
    prompt
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::chat::message_row::RoomSender;
    use warbler::model::{
        ChatMessage, DeliveryState, Direction, Moderation, RoomMessageInfo, Timestamp,
    };

    fn item(server_id: Option<&str>, moderated: bool, we_moderate: bool) -> MessageItem {
        let jid = |s: &str| BareJid::new(s).expect("valid JID");
        MessageItem {
            message: ChatMessage {
                id: MessageId(7),
                account: jid("alice@example.org"),
                peer: jid("team@conference.example.org"),
                direction: Direction::Incoming,
                body: "buy cheap watches".into(),
                timestamp: Timestamp(0),
                state: DeliveryState::Received,
                stanza_id: None,
                origin_id: None,
                room: Some(Box::new(RoomMessageInfo {
                    nick: "Bob".into(),
                    occupant_id: None,
                    server_id: server_id.map(str::to_owned),
                    moderated: moderated.then(|| Moderation {
                        by: Some("Alice".into()),
                        reason: Some("Spam".into()),
                    }),
                    ..Default::default()
                })),
            },
            day: None,
            first_unread: false,
            peer_name: String::new(),
            sender: Some(RoomSender {
                nick: "Bob".into(),
                own: false,
                mention: false,
                we_moderate,
            }),
            notice: None,
        }
    }

    /// A message of ours to the room (sent, or echoed back by the room).
    fn own(mut item: MessageItem, direction: Direction) -> MessageItem {
        item.message.direction = direction;
        if let Some(info) = item.message.room.as_mut() {
            info.nick = "Alice".into();
        }
        if let Some(sender) = item.sender.as_mut() {
            sender.nick = "Alice".into();
            sender.own = true;
        }
        item
    }

    #[test]
    fn moderators_may_remove_archived_messages_once() {
        use MessageAction::{Copy, Remove, SendPrivateMessage};
        assert_eq!(
            actions(&item(Some("a1"), false, true)),
            vec![Copy, SendPrivateMessage, Remove]
        );
        // Not a moderator.
        assert_eq!(
            actions(&item(Some("a1"), false, false)),
            vec![Copy, SendPrivateMessage]
        );
        // The room's archive id is unknown: the room could not find it.
        assert_eq!(
            actions(&item(None, false, true)),
            vec![Copy, SendPrivateMessage]
        );
        // Already removed.
        assert_eq!(
            actions(&item(Some("a1"), true, true)),
            vec![Copy, SendPrivateMessage]
        );
    }

    #[test]
    fn others_messages_offer_writing_privately() {
        use MessageAction::{Copy, ReplyPrivately, SendPrivateMessage};
        let group = item(None, false, false);
        assert_eq!(actions(&group), vec![Copy, SendPrivateMessage]);
        assert_eq!(private_peer(&group), Some("Bob"));
        let mut private = item(None, false, false);
        if let Some(info) = private.message.room.as_mut() {
            info.private_with = Some("Bob".into());
        }
        assert_eq!(actions(&private), vec![Copy, ReplyPrivately]);
        assert_eq!(private_peer(&private), Some("Bob"));
    }

    #[test]
    fn our_own_messages_offer_no_private_message() {
        use MessageAction::Copy;
        assert_eq!(
            actions(&own(item(None, false, false), Direction::Outgoing)),
            vec![Copy]
        );
        // Our message to the room, echoed back under our nickname.
        assert_eq!(
            actions(&own(item(None, false, false), Direction::Incoming)),
            vec![Copy]
        );
        // A private message we sent to Bob.
        let mut sent = own(item(None, false, false), Direction::Outgoing);
        if let Some(info) = sent.message.room.as_mut() {
            info.private_with = Some("Bob".into());
        }
        assert_eq!(actions(&sent), vec![Copy]);
        assert_eq!(private_peer(&sent), None);
    }

    #[test]
    fn one_to_one_messages_and_notices() {
        let mut chat = item(None, false, false);
        chat.message.room = None;
        chat.sender = None;
        assert_eq!(actions(&chat), vec![MessageAction::Copy]);
        assert_eq!(private_peer(&chat), None);
        let mut notice = item(Some("a1"), false, true);
        notice.notice = Some("Bob joined".into());
        assert!(actions(&notice).is_empty());
    }

    #[test]
    fn copying_takes_the_shown_text() {
        assert_eq!(
            copy_text(&item(Some("a1"), false, false)),
            "buy cheap watches"
        );
        let removed = copy_text(&item(Some("a1"), true, false));
        assert!(removed.contains("Spam") && !removed.contains("watches"));
    }
}
