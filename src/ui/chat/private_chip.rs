//! The chip above the composer while it writes privately to one occupant
//! of the room (XEP-0045 §7.5): "Private message to Bob" with a button
//! that goes back to writing to everyone. When Bob leaves, the chip says
//! so and the composer sends nothing until he is back or the chip is
//! closed: a private message must never go to the whole room instead.
//! While Bob types to us privately (XEP-0085), the chip says so.

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

/// The line under the chip's text while the occupant types to us.
pub fn typing_text(nick: &str) -> String {
    // Translators: in the private message chip, while that room occupant types to the user.
    gettext_f("{nick} is typing…", &[("nick", nick)])
}

/// What the chip shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChipTarget {
    /// The occupant written to privately.
    pub nick: String,
    /// Whether they are in the room.
    pub here: bool,
    /// Whether they are typing to us privately.
    pub typing: bool,
}

/// The chip: the occupant written to, where they are and whether they
/// type.
pub struct PrivateChip {
    target: Option<ChipTarget>,
}

/// The chip's close button was clicked.
#[derive(Debug)]
pub struct StopPrivate;

#[relm4::component(pub)]
impl SimpleComponent for PrivateChip {
    type Init = ();
    /// The occupant and what they do; `None` hides it.
    type Input = Option<ChipTarget>;
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
            set_class_active: ("gone", model.target.as_ref().is_some_and(|t| !t.here)),

            gtk::Image {
                set_icon_name: Some("changes-prevent-symbolic"),
            },
            gtk::Box {
                set_orientation: gtk::Orientation::Vertical,
                set_hexpand: true,
                set_valign: gtk::Align::Center,

                gtk::Label {
                    set_xalign: 0.0,
                    set_use_markup: false,
                    set_wrap: true,
                    #[watch]
                    set_label: &model.text(),
                },
                // The nickname is the network's: never markup.
                gtk::Label {
                    set_xalign: 0.0,
                    set_use_markup: false,
                    add_css_class: "dim-label",
                    add_css_class: "caption",
                    #[watch]
                    set_visible: model.target.as_ref().is_some_and(|t| t.here && t.typing),
                    #[watch]
                    set_label: &model.typing(),
                },
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

    fn update(&mut self, target: Option<ChipTarget>, _sender: ComponentSender<Self>) {
        self.target = target;
    }
}

impl PrivateChip {
    fn text(&self) -> String {
        self.target
            .as_ref()
            .map(|t| chip_text(&t.nick, t.here))
            .unwrap_or_default()
    }

    fn typing(&self) -> String {
        self.target
            .as_ref()
            .map(|t| typing_text(&t.nick))
            .unwrap_or_default()
    }
}
