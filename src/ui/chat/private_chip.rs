//! The chip above the composer while it writes privately to one occupant
//! of the room (XEP-0045 §7.5): "Private message to Bob" with a button
//! that goes back to writing to everyone. When Bob leaves, the chip says
//! so and the composer sends nothing until he is back or the chip is
//! closed: a private message must never go to the whole room instead.

use gettextrs::gettext;
use relm4::gtk::{self, prelude::*};
use relm4::prelude::*;

use crate::i18n::gettext_f;
use crate::ui::AccessibleName;

/// Where the occupant written to privately is, as the room reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whereabouts {
    /// Someone is in the room (joined or changed their status).
    Here(String),
    /// Someone left the room.
    Left(String),
    /// Someone changed their nickname.
    Renamed {
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// Everyone in the room now (the list was replaced).
    All(Vec<String>),
}

/// The chip's text for writing to `nick`, who is in the room or not.
pub fn chip_text(nick: &str, present: bool) -> String {
    if present {
        // Translators: above the message entry while writing privately to one room occupant.
        gettext_f("Private message to {nick}", &[("nick", nick)])
    } else {
        // Translators: above the message entry when the occupant written to privately has left.
        gettext_f(
            "{nick} left the room. Private messages cannot reach them.",
            &[("nick", nick)],
        )
    }
}

/// The chip: the occupant written to, and whether they are in the room.
pub struct PrivateChip {
    target: Option<(String, bool)>,
}

/// The chip's close button was clicked.
#[derive(Debug)]
pub struct StopPrivate;

#[relm4::component(pub)]
impl SimpleComponent for PrivateChip {
    type Init = ();
    /// The occupant and whether they are in the room; `None` hides it.
    type Input = Option<(String, bool)>;
    type Output = StopPrivate;

    view! {
        gtk::Box {
            set_spacing: 6,
            set_margin_start: 6,
            set_margin_end: 6,
            set_margin_top: 6,
            add_css_class: "private-chip",
            #[watch]
            set_visible: model.target.is_some(),
            #[watch]
            set_class_active: ("gone", model.target.as_ref().is_some_and(|(_, here)| !here)),

            gtk::Image {
                set_icon_name: Some("changes-prevent-symbolic"),
            },
            gtk::Label {
                set_hexpand: true,
                set_xalign: 0.0,
                set_use_markup: false,
                set_wrap: true,
                #[watch]
                set_label: &model.text(),
            },
            gtk::Button {
                set_icon_name: "window-close-symbolic",
                set_valign: gtk::Align::Center,
                add_css_class: "flat",
                add_css_class: "circular",
                set_tooltip_text: Some(&gettext("Stop Private Message")),
                set_accessible_name: &gettext("Stop Private Message"),
                connect_clicked[sender] => move |_| {
                    let _ = sender.output(StopPrivate);
                },
            },
        }
    }

    fn init(_: (), root: Self::Root, sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let model = PrivateChip { target: None };
        let widgets = view_output!();
        ComponentParts { model, widgets }
    }

    fn update(&mut self, target: Option<(String, bool)>, _sender: ComponentSender<Self>) {
        self.target = target;
    }
}

impl PrivateChip {
    fn text(&self) -> String {
        self.target
            .as_ref()
            .map(|(nick, here)| chip_text(nick, *here))
            .unwrap_or_default()
    }
}
