//! One message in the chat view: a day separator when the day changes, and
//! a bubble with the body (plain text with clickable links), the time and,
//! for outgoing messages, the delivery state. In a room the bubble also
//! names the sender (in their XEP-0392 colour) and stands out when it
//! mentions us; a row may instead be a short notice ("Bob joined"). The
//! bubble's menu is in `message_menu`.

use gettextrs::gettext;
use relm4::RelmWidgetExt;
use relm4::gtk::{self, gio, glib, prelude::*};
use relm4::typed_view::grid::RelmGridItem;
use warbler::model::{ChatMessage, DeliveryState, Direction};

use super::dates::format_time;
use super::linkify::linkify;
use super::message_menu;
use super::private::{private_label, private_summary};
use crate::i18n::gettext_f;
use crate::ui::room::colors::nick_attributes;
use crate::ui::widgets::row_menu::{self, Bound};
use crate::ui::widgets::side_layout::SideLayout;
use crate::ui::{set_accessible_label, set_fixed_tooltip, tooltip_from_accessible_name};

/// The narrowest a message body is laid out, in characters.
const MIN_BODY_CHARS: i32 = 6;

/// The icon and the accessible description of a delivery state.
pub fn delivery_icon(state: DeliveryState) -> Option<(&'static str, String)> {
    match state {
        DeliveryState::Pending => Some(("document-open-recent-symbolic", gettext("Sending"))),
        DeliveryState::Sent => Some(("object-select-symbolic", gettext("Sent"))),
        DeliveryState::Delivered => Some(("warbler-delivered-symbolic", gettext("Delivered"))),
        DeliveryState::Failed => Some(("dialog-warning-symbolic", gettext("Not sent"))),
        DeliveryState::Received => None,
    }
}

/// One message row.
#[derive(Debug, Clone)]
pub struct MessageItem {
    /// The message.
    pub message: ChatMessage,
    /// The day separator above it, if the day changed.
    pub day: Option<String>,
    /// Whether the "new messages" line is above it: it is the first of
    /// the messages that were unread when the chat was opened.
    pub first_unread: bool,
    /// The peer's name, for screen readers.
    pub peer_name: String,
    /// In a room: who sent it, as the row shows them.
    pub sender: Option<RoomSender>,
    /// A short line about the room ("Bob joined") shown instead of the
    /// message.
    pub notice: Option<String>,
}

/// The sender of a room message, as its row shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomSender {
    /// Their nickname.
    pub nick: String,
    /// Whether we sent it.
    pub own: bool,
    /// Whether it mentions us.
    pub mention: bool,
    /// Whether we moderate the room (and so may remove the message).
    pub we_moderate: bool,
}

/// The text shown for a message a moderator removed.
pub fn moderated_text(reason: Option<&str>) -> String {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => gettext_f(
            // Translators: shown instead of a room message a moderator removed, with their reason.
            "Message removed by a moderator: {reason}",
            &[("reason", reason)],
        ),
        None => gettext("Message removed by a moderator"),
    }
}

/// The widgets of one row.
pub struct MessageWidgets {
    day: gtk::Label,
    first_unread: gtk::Label,
    notice: gtk::Label,
    /// Holds the bubble on its side (see [`SideLayout`]).
    side: relm4::adw::Bin,
    side_layout: SideLayout,
    bubble: gtk::Box,
    nick: gtk::Label,
    private: gtk::Label,
    body: gtk::Label,
    time: gtk::Label,
    state: gtk::Image,
    menu: gtk::MenuButton,
    shown: Bound<MessageItem>,
}

impl RelmGridItem for MessageItem {
    type Root = gtk::Box;
    type Widgets = MessageWidgets;

    fn setup(_item: &gtk::ListItem) -> (gtk::Box, MessageWidgets) {
        let side_layout = SideLayout::default();
        relm4::view! {
            root = gtk::Box {
                set_orientation: gtk::Orientation::Vertical,

                #[name = "day"]
                gtk::Label {
                    add_css_class: "day-separator",
                },
                #[name = "first_unread"]
                gtk::Label {
                    add_css_class: "unread-separator",
                    set_label: &gettext("New Messages"),
                },
                #[name = "notice"]
                gtk::Label {
                    add_css_class: "room-notice",
                    set_use_markup: false,
                    set_wrap: true,
                },
                #[name = "side"]
                relm4::adw::Bin {
                    set_layout_manager: Some(side_layout.clone()),
                    #[name = "bubble"]
                    gtk::Box {
                        set_orientation: gtk::Orientation::Vertical,
                        add_css_class: "bubble",
                        set_margin_top: 2,
                        set_margin_bottom: 2,

                        #[name = "nick"]
                        gtk::Label {
                            set_xalign: 0.0,
                            set_use_markup: false,
                            set_ellipsize: gtk::pango::EllipsizeMode::End,
                            add_css_class: "nick",
                        },
                        #[name = "private"]
                        gtk::Label {
                            set_xalign: 0.0,
                            set_use_markup: false,
                            set_ellipsize: gtk::pango::EllipsizeMode::End,
                            add_css_class: "private-label",
                        },

                        #[name = "body"]
                        gtk::Label {
                            set_xalign: 0.0,
                            set_wrap: true,
                            set_wrap_mode: gtk::pango::WrapMode::WordChar,
                            set_selectable: true,
                            // Without a width in characters GTK measures the
                            // smallest width by wrapping the text at every
                            // character, which Pango 1.50 does by shaping it
                            // hundreds of times: most of a flood's frame time.
                            // The time row below is wider anyway.
                            set_width_chars: MIN_BODY_CHARS,
                            set_max_width_chars: 60,
                            set_use_markup: true,
                        },
                        gtk::Box {
                            set_halign: gtk::Align::End,
                            set_spacing: 4,
                            #[name = "menu"]
                            gtk::MenuButton {
                                set_icon_name: "view-more-symbolic",
                                set_valign: gtk::Align::Center,
                                add_css_class: "flat",
                                add_css_class: "message-menu",
                            },
                            #[name = "time"]
                            gtk::Label {
                                add_css_class: "timestamp",
                            },
                            #[name = "state"]
                            gtk::Image {
                                set_pixel_size: 12,
                            },
                        },
                    },
                },
            }
        }
        // xmpp: links open inside Warbler; other links use the default handler.
        body.connect_activate_link(|label, uri| {
            if uri
                .get(..5)
                .is_some_and(|s| s.eq_ignore_ascii_case("xmpp:"))
            {
                let _ = label.activate_action("app.open-uri", Some(&uri.to_variant()));
                glib::Propagation::Stop
            } else {
                glib::Propagation::Proceed
            }
        });
        set_accessible_label(&menu, &gettext("Message Menu"));
        set_fixed_tooltip(&menu, &gettext("Message Menu"));
        tooltip_from_accessible_name(&state);
        let shown = row_menu::attach_over_children(&bubble, &menu, message_menu::build);
        let widgets = MessageWidgets {
            day,
            first_unread,
            notice,
            side,
            side_layout,
            bubble,
            nick,
            private,
            body,
            time,
            state,
            menu,
            shown,
        };
        (root, widgets)
    }

    fn bind(&mut self, widgets: &mut MessageWidgets, root: &mut gtk::Box) {
        let message = &self.message;
        widgets.day.set_visible(self.day.is_some());
        widgets.first_unread.set_visible(self.first_unread);
        widgets
            .day
            .set_label(self.day.as_deref().unwrap_or_default());
        widgets.notice.set_visible(self.notice.is_some());
        widgets.side.set_visible(self.notice.is_none());
        // A menu built for the row's previous message must not open.
        widgets.menu.set_menu_model(None::<&gio::MenuModel>);
        widgets
            .menu
            .set_visible(!message_menu::actions(self).is_empty());
        *widgets.shown.borrow_mut() = Some(self.clone());
        if let Some(notice) = &self.notice {
            widgets.notice.set_label(notice);
            set_accessible_label(root, notice);
            return;
        }
        let moderation = message.room.as_ref().and_then(|r| r.moderated.as_ref());
        let body = match moderation {
            Some(moderation) => {
                let text = moderated_text(moderation.reason.as_deref());
                // Nothing to select (the row's menu copies the notice).
                widgets.body.set_selectable(false);
                widgets.body.set_use_markup(false);
                widgets.body.set_label(&text);
                widgets.body.set_class_active("moderated", true);
                text
            }
            None => {
                // The body is plain text; linkify escapes it and adds only links.
                widgets.body.set_class_active("moderated", false);
                widgets.body.set_selectable(true);
                widgets.body.set_markup(&linkify(&message.body));
                message.body.clone()
            }
        };
        let time = format_time(message.timestamp);
        widgets.time.set_label(&time);
        let sender = self.sender.as_ref();
        // Our own room messages (also those sent from another device) are
        // shown as ours.
        let outgoing = message.direction == Direction::Outgoing || sender.is_some_and(|s| s.own);
        let show_nick = sender.filter(|s| !s.own);
        widgets.nick.set_visible(show_nick.is_some());
        if let Some(sender) = show_nick {
            widgets.nick.set_label(&sender.nick);
            let dark = relm4::adw::StyleManager::default().is_dark();
            widgets
                .nick
                .set_attributes(Some(&nick_attributes(&sender.nick, dark)));
        }
        // A private message names its other occupant instead of the sender.
        let private = private_label(message);
        widgets.private.set_visible(private.is_some());
        widgets
            .private
            .set_label(private.as_deref().unwrap_or_default());
        widgets
            .bubble
            .set_class_active("private", private.is_some());
        if private.is_some() {
            widgets.nick.set_visible(false);
        }
        let mention = sender.is_some_and(|s| s.mention);
        // Classes are only toggled, never removed and added back: each
        // change restyles the whole bubble.
        widgets.bubble.set_class_active("mention", mention);
        widgets.side_layout.set_end(outgoing);
        widgets.bubble.set_class_active("incoming", !outgoing);
        widgets.bubble.set_class_active("outgoing", outgoing);
        let state = delivery_icon(message.state).filter(|_| outgoing);
        widgets.state.set_visible(state.is_some());
        let state_text = match &state {
            Some((icon, text)) => {
                widgets.state.set_icon_name(Some(icon));
                set_accessible_label(&widgets.state, text);
                text.clone()
            }
            None => String::new(),
        };
        let summary = if let Some(label) = &private {
            private_summary(label, &time, &body, outgoing.then_some(state_text.as_str()))
        } else if outgoing {
            // Translators: a sent message read by screen readers: time, text, delivery state.
            gettext_f(
                "You at {time}: {body}. {state}",
                &[("time", &time), ("body", &body), ("state", &state_text)],
            )
        } else if mention {
            // Translators: a room message that mentions the user, read by screen readers.
            gettext_f(
                "{name} at {time}, mentioning you: {body}",
                &[
                    ("name", &sender.map(|s| s.nick.clone()).unwrap_or_default()),
                    ("time", &time),
                    ("body", &body),
                ],
            )
        } else {
            // Translators: a received message read by screen readers.
            gettext_f(
                "{name} at {time}: {body}",
                &[
                    ("name", sender.map_or(&self.peer_name, |s| &s.nick)),
                    ("time", &time),
                    ("body", &body),
                ],
            )
        };
        set_accessible_label(root, &summary);
    }
}
