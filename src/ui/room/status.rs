//! The bar above a room's messages while we are not in it: joining, why
//! joining failed (with the action that fixes it) or why we were removed.

use gettextrs::gettext;
use relm4::gtk::{self, prelude::*};
use relm4::prelude::*;
use warbler::model::{RoomError, RoomState};

use crate::ui::errors::UserFacing;

/// What the bar's button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusAction {
    /// Join (again) as before.
    Rejoin,
    /// Ask for another nickname, then join.
    ChooseNick,
    /// Ask for the room's password, then join.
    EnterPassword,
}

/// The bar's text and button for a state: `None` when joined.
pub fn describe(state: &RoomState) -> Option<(String, Option<(StatusAction, String)>)> {
    let rejoin = |label: String| Some((StatusAction::Rejoin, label));
    Some(match state {
        RoomState::Joined => return None,
        RoomState::Joining => (gettext("Joining the room…"), None),
        RoomState::NotJoined => (
            gettext("You are not in this room."),
            rejoin(gettext("_Join")),
        ),
        RoomState::Failed { error } => {
            let action = match error {
                RoomError::NicknameConflict | RoomError::NicknameInvalid => {
                    Some((StatusAction::ChooseNick, gettext("Choose _Nickname…")))
                }
                RoomError::PasswordRequired => {
                    Some((StatusAction::EnterPassword, gettext("Enter _Password…")))
                }
                RoomError::Banned | RoomError::NotFound => None,
                _ => rejoin(gettext("_Try Again")),
            };
            (error.to_user_facing(), action)
        }
        RoomState::Exited { exit } => (exit.to_user_facing(), rejoin(gettext("_Join Again"))),
    })
}

/// Messages of the state bar.
#[derive(Debug)]
pub enum RoomStatusInput {
    /// The open room's state (`None`: no room is open).
    State(Option<RoomState>),
    /// The button was clicked.
    Clicked,
}

/// The state bar.
pub struct RoomStatus {
    text: String,
    action: Option<(StatusAction, String)>,
    busy: bool,
    shown: bool,
}

#[relm4::component(pub)]
impl SimpleComponent for RoomStatus {
    type Init = ();
    type Input = RoomStatusInput;
    type Output = StatusAction;

    view! {
        gtk::Revealer {
            #[watch]
            set_reveal_child: model.shown,

            gtk::Box {
                add_css_class: "connection-banner",
                add_css_class: "room-status",
                set_spacing: 12,

                gtk::Spinner {
                    #[watch]
                    set_visible: model.busy,
                    #[watch]
                    set_spinning: model.busy,
                },
                gtk::Label {
                    set_hexpand: true,
                    set_xalign: 0.0,
                    set_wrap: true,
                    set_use_markup: false,
                    #[watch]
                    set_label: &model.text,
                },
                gtk::Button {
                    set_valign: gtk::Align::Center,
                    set_use_underline: true,
                    #[watch]
                    set_visible: model.action.is_some(),
                    #[watch]
                    set_label: model.action.as_ref().map(|(_, l)| l.as_str()).unwrap_or_default(),
                    connect_clicked => RoomStatusInput::Clicked,
                },
            },
        }
    }

    fn init(_: (), root: Self::Root, sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let model = RoomStatus {
            text: String::new(),
            action: None,
            busy: false,
            shown: false,
        };
        let widgets = view_output!();
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: RoomStatusInput, sender: ComponentSender<Self>) {
        let state = match msg {
            RoomStatusInput::State(state) => state,
            RoomStatusInput::Clicked => {
                if let Some((action, _)) = &self.action {
                    let _ = sender.output(*action);
                }
                return;
            }
        };
        match state.as_ref().and_then(describe) {
            Some((text, action)) => {
                self.busy = matches!(state, Some(RoomState::Joining));
                self.text = text;
                self.action = action;
                self.shown = true;
            }
            None => {
                self.shown = false;
                self.busy = false;
            }
        }
    }
}
