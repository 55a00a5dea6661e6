//! Private messages in the room view (XEP-0045 §7.5): the occupant menu's
//! "Send Private Message" (the `pm.start` action) puts the composer into
//! private mode; what it sends then goes to that occupant only. Private
//! messages stay in the room's conversation, marked as such (see
//! `message_row`). Typing notifications (XEP-0085) go both ways: ours to
//! the occupant written to, and theirs shown in the composer's chip.

use relm4::gtk::{self, gio, glib, prelude::*};
use relm4::prelude::*;
use warbler::model::{ChatMessage, ChatState, Direction, OccupantChange};
use warbler::session::Command;

use super::private_chip::Whereabouts;
use super::{ChatInput, ChatView, ComposerInput};
use crate::i18n::gettext_f;
use crate::ui::Deliver;

/// What the chat view does about private messages.
#[derive(Debug)]
pub enum PrivateInput {
    /// Write privately to this occupant.
    Start(String),
    /// Send `body` privately to `nick`.
    Send {
        /// The occupant.
        nick: String,
        /// The text.
        body: String,
    },
}

/// Add the `pm.start` action (its target: a nickname) to `widget`, for
/// the menus of the occupant list inside it.
pub(super) fn install(widget: &impl IsA<gtk::Widget>, sender: ComponentSender<ChatView>) {
    let group = gio::SimpleActionGroup::new();
    let start = gio::SimpleAction::new("start", Some(glib::VariantTy::STRING));
    start.connect_activate(move |_, target| {
        if let Some(nick) = target.and_then(|t| t.get::<String>()) {
            sender.input(ChatInput::Private(PrivateInput::Start(nick)));
        }
    });
    group.add_action(&start);
    widget.insert_action_group("pm", Some(&group));
}

/// The line that marks a private message in its row: "Private message
/// from Bob" or "Private message to Bob"; `None` for other messages.
pub fn private_label(message: &ChatMessage) -> Option<String> {
    let nick = message.room.as_ref()?.private_with.as_deref()?;
    Some(match message.direction {
        // Translators: marks a private message a room occupant sent to the user.
        Direction::Incoming => gettext_f("Private message from {nick}", &[("nick", nick)]),
        // Translators: marks a private message the user sent to a room occupant.
        Direction::Outgoing => gettext_f("Private message to {nick}", &[("nick", nick)]),
    })
}

/// Take an occupant's new chat state into the list of those typing to us;
/// whether the list changed.
pub fn note_typing(typing: &mut Vec<String>, nick: &str, state: ChatState) -> bool {
    let was = typing.iter().any(|n| n == nick);
    let is = state == ChatState::Composing;
    if is && !was {
        typing.push(nick.to_owned());
    } else if was && !is {
        typing.retain(|n| n != nick);
    }
    was != is
}

/// How an occupant change concerns the composer's private addressee.
fn whereabouts(change: &OccupantChange) -> Whereabouts {
    match change {
        OccupantChange::Updated { occupant } => Whereabouts::Here(occupant.nick.clone()),
        OccupantChange::Left { nick, .. } => Whereabouts::Left(nick.clone()),
        OccupantChange::Renamed { old_nick, occupant } => Whereabouts::Renamed {
            old: old_nick.clone(),
            new: occupant.nick.clone(),
        },
    }
}

impl ChatView {
    pub(super) fn private_input(&mut self, input: PrivateInput, sender: &ComponentSender<Self>) {
        let (Some(key), Some(room)) = (self.key.clone(), self.room.as_ref()) else {
            return;
        };
        match input {
            PrivateInput::Start(nick) => {
                if nick == room.nick {
                    return;
                }
                let here = self.occupant_store.get(&key, &nick).is_some();
                self.composer
                    .deliver(ComposerInput::SetPrivate(Some((nick, here))));
                self.composer.deliver(ComposerInput::Focus);
            }
            PrivateInput::Send { nick, body } => {
                self.composing = false;
                self.stick_to_bottom.set(true);
                self.command(
                    sender,
                    Command::SendPrivateMessage {
                        account: key.0,
                        room: key.1,
                        nick,
                        body,
                    },
                );
            }
        }
    }

    /// Tell the occupant we write to privately our chat state.
    pub(super) fn private_chat_state(
        &mut self,
        nick: String,
        state: ChatState,
        sender: &ComponentSender<Self>,
    ) {
        self.composing = state == ChatState::Composing;
        self.composing_to = self.composing.then(|| nick.clone());
        if let Some((account, room)) = self.key.clone().filter(|_| self.room.is_some()) {
            self.command(
                sender,
                Command::SetOccupantChatState {
                    account,
                    room,
                    nick,
                    state,
                },
            );
        }
    }

    /// An occupant of the open room typed to us privately (or stopped).
    pub(super) fn occupant_typing(&self, nick: String, state: ChatState) {
        self.composer
            .deliver(ComposerInput::OccupantTyping { nick, state });
    }

    /// Tell the composer about a change in the open room's occupants.
    pub(super) fn private_follow(&self, change: &OccupantChange) {
        // Who left or took another name types no more under the old one.
        match change {
            OccupantChange::Left { nick, .. } => {
                self.occupant_typing(nick.clone(), ChatState::Gone);
            }
            OccupantChange::Renamed { old_nick, .. } => {
                self.occupant_typing(old_nick.clone(), ChatState::Gone);
            }
            OccupantChange::Updated { .. } => {}
        }
        self.composer
            .deliver(ComposerInput::Whereabouts(whereabouts(change)));
    }

    /// Tell the composer who is in the open room now.
    pub(super) fn private_refresh(&self) {
        if let Some(key) = &self.key {
            let everyone = self
                .occupant_store
                .occupants(key)
                .into_iter()
                .map(|o| o.nick)
                .collect();
            self.composer
                .deliver(ComposerInput::Whereabouts(Whereabouts::All(everyone)));
        }
    }
}

/// The accessible text of a private message's row, with the delivery
/// state of an outgoing one.
pub fn private_summary(label: &str, time: &str, body: &str, state: Option<&str>) -> String {
    match state {
        Some(state) => gettext_f(
            // Translators: a sent private room message read by screen readers: "Private message to Bob at 12:30: hi. Delivered".
            "{label} at {time}: {body}. {state}",
            &[
                ("label", label),
                ("time", time),
                ("body", body),
                ("state", state),
            ],
        ),
        None => gettext_f(
            // Translators: a received private room message read by screen readers: "Private message from Bob at 12:30: hi".
            "{label} at {time}: {body}",
            &[("label", label), ("time", time), ("body", body)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::{
        Affiliation, DeliveryState, MessageId, Occupant, PresenceShow, Role, RoomExit,
        RoomMessageInfo, Timestamp,
    };

    fn message(direction: Direction, private_with: Option<&str>) -> ChatMessage {
        ChatMessage {
            id: MessageId(1),
            account: "alice@example.org".parse().expect("account"),
            peer: "team@conference.example.org".parse().expect("room"),
            direction,
            body: "psst".into(),
            timestamp: Timestamp(0),
            state: DeliveryState::Received,
            stanza_id: None,
            origin_id: None,
            room: Some(Box::new(RoomMessageInfo {
                nick: "Bob".into(),
                private_with: private_with.map(str::to_owned),
                ..RoomMessageInfo::default()
            })),
        }
    }

    #[test]
    fn typing_occupants_come_and_go_by_their_state() {
        let mut typing = Vec::new();
        assert!(note_typing(&mut typing, "Bob", ChatState::Composing));
        assert!(!note_typing(&mut typing, "Bob", ChatState::Composing));
        assert!(note_typing(&mut typing, "Carol", ChatState::Composing));
        assert_eq!(typing, ["Bob", "Carol"]);
        // Paused, active, inactive or gone: no longer typing.
        assert!(note_typing(&mut typing, "Bob", ChatState::Paused));
        assert!(!note_typing(&mut typing, "Bob", ChatState::Active));
        assert!(note_typing(&mut typing, "Carol", ChatState::Gone));
        assert!(typing.is_empty());
    }

    #[test]
    fn private_rows_name_the_other_occupant() {
        assert_eq!(
            private_label(&message(Direction::Incoming, Some("Bob"))).as_deref(),
            Some("Private message from Bob")
        );
        assert_eq!(
            private_label(&message(Direction::Outgoing, Some("Carol"))).as_deref(),
            Some("Private message to Carol")
        );
        assert_eq!(private_label(&message(Direction::Incoming, None)), None);
    }

    #[test]
    fn occupant_changes_follow_the_addressee() {
        let bob = Occupant {
            nick: "Bob".into(),
            real_jid: None,
            occupant_id: None,
            role: Role::Participant,
            affiliation: Affiliation::None,
            show: PresenceShow::Available,
            status: None,
        };
        assert_eq!(
            whereabouts(&OccupantChange::Updated {
                occupant: bob.clone()
            }),
            Whereabouts::Here("Bob".into())
        );
        assert_eq!(
            whereabouts(&OccupantChange::Left {
                nick: "Bob".into(),
                exit: RoomExit::Left,
            }),
            Whereabouts::Left("Bob".into())
        );
        assert_eq!(
            whereabouts(&OccupantChange::Renamed {
                old_nick: "Robert".into(),
                occupant: bob,
            }),
            Whereabouts::Renamed {
                old: "Robert".into(),
                new: "Bob".into()
            }
        );
    }
}
