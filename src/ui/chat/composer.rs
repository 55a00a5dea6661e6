//! The message composer: a multi-line text view (Enter sends, Shift+Enter
//! starts a new line) and a Send button. It reports typing as XEP-0085
//! chat states: composing while typing, paused after a few idle seconds.

use std::time::Duration;

use gettextrs::gettext;
use relm4::gtk::{self, gdk, gio, glib, prelude::*};
use relm4::prelude::*;

use crate::ui::AccessibleName;
use warbler::model::ChatState;

/// Idle time after which "composing" becomes "paused".
const PAUSE_AFTER: Duration = Duration::from_secs(5);

/// Messages of the composer.
#[derive(Debug)]
pub enum ComposerInput {
    /// Replace the text (a draft from a link, or empty on chat switch).
    SetText(String),
    /// Move the keyboard focus into the text view.
    Focus,
    /// The text changed.
    Changed,
    /// Send the text.
    Send,
}

/// What the composer reports.
#[derive(Debug)]
pub enum ComposerOutput {
    /// Send this body.
    Send(String),
    /// Tell the peer our chat state.
    ChatState(ChatState),
}

/// The composer.
pub struct Composer {
    settings: gio::Settings,
    buffer: gtk::TextBuffer,
    view: gtk::TextView,
    /// Whether "composing" was sent and not yet ended.
    composing: bool,
    /// Bumped on every keystroke so only the latest pause timer fires.
    generation: u64,
    empty: bool,
    /// Set while the text is replaced programmatically.
    quiet: bool,
}

#[relm4::component(pub)]
impl Component for Composer {
    type Init = gio::Settings;
    type Input = ComposerInput;
    type Output = ComposerOutput;
    type CommandOutput = u64;

    view! {
        gtk::Box {
            set_spacing: 6,
            set_margin_all: 6,

            gtk::Overlay {
                set_hexpand: true,
                add_css_class: "composer-frame",

                gtk::ScrolledWindow {
                    set_hscrollbar_policy: gtk::PolicyType::Never,
                    set_propagate_natural_height: true,
                    set_max_content_height: 160,

                    #[local_ref]
                    view -> gtk::TextView {
                        set_wrap_mode: gtk::WrapMode::WordChar,
                        set_accepts_tab: false,
                        add_css_class: "composer-view",
                        set_top_margin: 6,
                        set_bottom_margin: 6,
                        set_left_margin: 6,
                        set_right_margin: 6,
                        set_accessible_name: &gettext("Message"),
                    },
                },
                add_overlay = &gtk::Label {
                    set_label: &gettext("Message"),
                    set_can_target: false,
                    set_xalign: 0.0,
                    set_margin_start: 14,
                    set_valign: gtk::Align::Center,
                    add_css_class: "dim-label",
                    #[watch]
                    set_visible: model.empty,
                },
            },
            gtk::Button {
                set_icon_name: "warbler-send-symbolic",
                set_valign: gtk::Align::End,
                add_css_class: "circular",
                add_css_class: "suggested-action",
                set_tooltip_text: Some(&gettext("Send")),
                set_accessible_name: &gettext("Send"),
                #[watch]
                set_sensitive: !model.empty,
                connect_clicked => ComposerInput::Send,
            },
        }
    }

    fn init(
        settings: gio::Settings,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let view = gtk::TextView::new();
        let buffer = view.buffer();
        let changed = sender.clone();
        buffer.connect_changed(move |_| changed.input(ComposerInput::Changed));

        // Enter sends; Shift+Enter (and the input method) insert a newline.
        let keys = gtk::EventControllerKey::new();
        keys.set_propagation_phase(gtk::PropagationPhase::Capture);
        let key_sender = sender.clone();
        keys.connect_key_pressed(move |_, key, _, modifiers| {
            let enter = matches!(
                key,
                gdk::Key::Return | gdk::Key::KP_Enter | gdk::Key::ISO_Enter
            );
            if enter && !modifiers.contains(gdk::ModifierType::SHIFT_MASK) {
                key_sender.input(ComposerInput::Send);
                glib::Propagation::Stop
            } else {
                glib::Propagation::Proceed
            }
        });
        view.add_controller(keys);

        let model = Composer {
            settings,
            buffer,
            view,
            composing: false,
            generation: 0,
            empty: true,
            quiet: false,
        };
        let view = &model.view;
        let widgets = view_output!();
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: ComposerInput, sender: ComponentSender<Self>, _root: &Self::Root) {
        match msg {
            ComposerInput::SetText(text) => {
                self.quiet = true;
                self.buffer.set_text(&text);
                self.quiet = false;
                self.empty = text.trim().is_empty();
                self.composing = false;
            }
            ComposerInput::Focus => {
                self.view.grab_focus();
            }
            ComposerInput::Changed => {
                let text = self.text();
                self.empty = text.trim().is_empty();
                if self.quiet || !self.settings.boolean("send-typing-notifications") {
                    return;
                }
                if self.empty {
                    if self.composing {
                        self.composing = false;
                        let _ = sender.output(ComposerOutput::ChatState(ChatState::Active));
                    }
                    return;
                }
                if !self.composing {
                    self.composing = true;
                    let _ = sender.output(ComposerOutput::ChatState(ChatState::Composing));
                }
                self.generation += 1;
                let generation = self.generation;
                sender.oneshot_command(async move {
                    tokio::time::sleep(PAUSE_AFTER).await;
                    generation
                });
            }
            ComposerInput::Send => {
                let text = self.text();
                let body = text.trim();
                if body.is_empty() {
                    return;
                }
                let _ = sender.output(ComposerOutput::Send(body.to_owned()));
                self.quiet = true;
                self.buffer.set_text("");
                self.quiet = false;
                self.empty = true;
                // A message implies "active" (XEP-0085 §5.5): no extra stanza.
                self.composing = false;
                self.generation += 1;
            }
        }
    }

    fn update_cmd(&mut self, generation: u64, sender: ComponentSender<Self>, _root: &Self::Root) {
        if generation == self.generation && self.composing {
            self.composing = false;
            let _ = sender.output(ComposerOutput::ChatState(ChatState::Paused));
        }
    }
}

impl Composer {
    fn text(&self) -> String {
        let (start, end) = self.buffer.bounds();
        self.buffer.text(&start, &end, false).to_string()
    }
}
