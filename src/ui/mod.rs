//! The user interface: a tree of Relm4 components that talks to the core
//! only through [`warbler::session::Command`] and [`warbler::session::Event`].

mod account;
pub mod app;
mod chat;
mod dialogs;
mod errors;
mod event_batches;
mod notifications;
pub mod perf;
mod room;
mod sidebar;
// The data-form renderer is opened by the room view, which does not use it
// yet.
#[allow(dead_code, reason = "used once room configuration is wired")]
mod widgets;
mod window;

use gettextrs::gettext;
use relm4::gtk::{self, gdk, prelude::*};
use warbler::model::{BareJid, PresenceShow};

use crate::config;

/// Identifies a one-to-one chat: (account, peer).
pub type ChatKey = (BareJid, BareJid);

/// Load the application style sheet and icons from the bundled resources.
pub fn load_css() {
    let provider = gtk::CssProvider::new();
    provider.load_from_resource(&format!("{}/style.css", config::RESOURCE_PATH));
    if let Some(display) = gdk::Display::default() {
        gtk::IconTheme::for_display(&display)
            .add_resource_path(&format!("{}/icons", config::RESOURCE_PATH));
        gtk::style_context_add_provider_for_display(
            &display,
            &provider,
            gtk::STYLE_PROVIDER_PRIORITY_APPLICATION,
        );
    }
}

/// The translated name of a presence value.
pub fn presence_label(show: PresenceShow) -> String {
    match show {
        PresenceShow::Available => gettext("Available"),
        PresenceShow::Away => gettext("Away"),
        PresenceShow::ExtendedAway => gettext("Extended away"),
        PresenceShow::DoNotDisturb => gettext("Do not disturb"),
        PresenceShow::Offline => gettext("Offline"),
    }
}

/// The style class of a presence dot (see `style.css`).
pub fn presence_css(show: PresenceShow) -> &'static str {
    match show {
        PresenceShow::Available => "presence-available",
        PresenceShow::Away => "presence-away",
        PresenceShow::ExtendedAway => "presence-xa",
        PresenceShow::DoNotDisturb => "presence-dnd",
        PresenceShow::Offline => "presence-offline",
    }
}

/// Every presence style class.
const PRESENCE_CLASSES: [&str; 5] = [
    "presence-available",
    "presence-away",
    "presence-xa",
    "presence-dnd",
    "presence-offline",
];

/// Colour a presence dot for `show`. Its classes change only if the
/// presence did: each change restyles the dot, and rows and the header
/// set this on every update.
pub fn show_presence(dot: &impl IsA<gtk::Widget>, show: PresenceShow) {
    let current = presence_css(show);
    if dot.has_css_class(current) {
        return;
    }
    for class in PRESENCE_CLASSES {
        dot.remove_css_class(class);
    }
    dot.add_css_class(current);
}

/// The widget name of the hidden labels that name widgets for assistive
/// technologies.
const A11Y_LABEL: &str = "warbler-a11y-label";

/// Accessible names for widgets without visible text (icon-only buttons,
/// list rows, text views).
///
/// GTK 4.8's bindings cannot set the accessible label property directly,
/// so the name comes from an unparented label registered as the widget's
/// mnemonic label (which GTK exposes as its "labelled by" relation).
pub trait AccessibleName {
    /// Set (or update) the name assistive technologies announce.
    fn set_accessible_name(&self, name: &str);
}

impl<W: IsA<gtk::Widget>> AccessibleName for W {
    fn set_accessible_name(&self, name: &str) {
        match a11y_label(self.as_ref()) {
            Some(label) if label.label() == name => {}
            Some(label) => label.set_label(name),
            None => {
                let label = gtk::Label::builder().label(name).name(A11Y_LABEL).build();
                self.add_mnemonic_label(&label);
                // The widget does not own its mnemonic labels: keep this
                // one alive for as long as the widget lives.
                self.connect_destroy(move |_| {
                    let _ = &label;
                });
            }
        }
    }
}

/// Hands a message to a child component. Unlike relm4's `emit`, which
/// panics once the child has stopped, a message to a child that is gone
/// (the window is closing while the core still reports) is dropped.
pub trait Deliver<Input> {
    /// Send `message` to the component, if it still runs.
    fn deliver(&self, message: Input);
}

impl<C: relm4::Component> Deliver<C::Input> for relm4::Controller<C> {
    fn deliver(&self, message: C::Input) {
        if relm4::ComponentController::sender(self)
            .send(message)
            .is_err()
        {
            tracing::debug!("A message to a closed part of the window was dropped");
        }
    }
}

/// Give a widget an accessible name (see [`AccessibleName`]).
pub fn set_accessible_label(widget: &impl IsA<gtk::Widget>, name: &str) {
    widget.set_accessible_name(name);
}

/// Set a widget's tooltip only if it changed: setting one, even the same,
/// makes GTK ask the display where the pointer is (a round trip).
pub fn set_tooltip_if_changed(widget: &impl IsA<gtk::Widget>, text: Option<&str>) {
    let text = text.filter(|t| !t.is_empty());
    if widget.tooltip_text().as_deref() != text {
        widget.set_tooltip_text(text);
    }
}

/// Give a widget a tooltip that never changes, without the round trip to
/// the display that `set_tooltip_text` makes to find the pointer. List
/// rows are created anew as they scroll into view (GTK 4.8 does not reuse
/// them), so a flood of messages paid one round trip per row.
pub fn set_fixed_tooltip(widget: &impl IsA<gtk::Widget>, text: &str) {
    let text = text.to_owned();
    let widget = widget.as_ref();
    widget.set_has_tooltip(true);
    widget.connect_query_tooltip(move |_, _, _, _, tooltip| {
        tooltip.set_text(Some(&text));
        true
    });
}

/// Show a widget's accessible name (see [`AccessibleName`]) as its
/// tooltip, read when the tooltip opens: a row's icon that changes on
/// every bind then costs no round trip to the display.
pub fn tooltip_from_accessible_name(widget: &impl IsA<gtk::Widget>) {
    let widget = widget.as_ref();
    widget.set_has_tooltip(true);
    widget.connect_query_tooltip(|widget, _, _, _, tooltip| {
        let name = a11y_label(widget)
            .map(|label| label.label())
            .filter(|name| !name.is_empty());
        tooltip.set_text(name.as_deref());
        name.is_some()
    });
}

/// The hidden label that holds a widget's accessible name, if it has one
/// (see [`AccessibleName`]).
fn a11y_label(widget: &gtk::Widget) -> Option<gtk::Label> {
    widget
        .list_mnemonic_labels()
        .into_iter()
        .filter_map(|widget| widget.downcast::<gtk::Label>().ok())
        .find(|label| label.widget_name() == A11Y_LABEL)
}

/// An address the user typed (surrounding spaces and an `xmpp:` prefix
/// allowed), if it is a valid bare address.
pub fn parse_typed_address(text: &str) -> Option<BareJid> {
    let text = text.trim();
    BareJid::new(text.strip_prefix("xmpp:").unwrap_or(text)).ok()
}

/// The name to show for a peer without a roster entry.
pub fn fallback_name(jid: &BareJid) -> String {
    jid.node()
        .map(|node| node.to_string())
        .unwrap_or_else(|| jid.to_string())
}

/// Close a window with Escape, as dialogs do.
pub fn close_on_escape(window: &impl IsA<gtk::Window>) {
    let controller = gtk::ShortcutController::new();
    controller.add_shortcut(gtk::Shortcut::new(
        Some(gtk::KeyvalTrigger::new(
            gdk::Key::Escape,
            gdk::ModifierType::empty(),
        )),
        Some(gtk::NamedAction::new("window.close")),
    ));
    window.as_ref().add_controller(controller);
}
