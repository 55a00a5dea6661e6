//! The message composer: a multi-line text view (Enter sends, Shift+Enter
//! starts a new line) and a Send button. It reports typing as XEP-0085
//! chat states: composing while typing, paused after a few idle seconds.
//! In a room, `@` and the start of a nickname offer the matching occupants
//! (see `completion`): Tab or Enter picks, Up and Down move, Escape closes.
//! In a room it may write privately to one occupant (see `private_chip`).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gettextrs::gettext;
use relm4::gtk::{self, gdk, gio, glib, prelude::*};
use relm4::prelude::*;

use super::completion::{completion, mention_prefix, starts_line};
use super::private::note_typing;
use super::private_chip::{ChipTarget, PrivateChip, StopPrivate, Whereabouts, chip_text};
use crate::ui::Deliver;
use crate::ui::{AccessibleName, set_accessible_label};
use warbler::model::ChatState;

/// A key pressed while completions are offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKey {
    /// Tab or Enter: take the selected nickname.
    Accept,
    /// Down: select the next one.
    Next,
    /// Up: select the previous one.
    Previous,
    /// Escape: close the list.
    Cancel,
}

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
    /// Whether the open chat is a room (nicknames are completed).
    SetRoom(bool),
    /// The nicknames matching the typed `@prefix`.
    Completions(Vec<String>),
    /// A key for the completion list.
    CompletionKey(CompletionKey),
    /// A nickname of the completion list was clicked.
    Pick(usize),
    /// Write privately to this occupant (present in the room or not), or
    /// to everyone again.
    SetPrivate(Option<(String, bool)>),
    /// Who is in the room, for the occupant written to privately.
    Whereabouts(Whereabouts),
    /// An occupant of the open room typed to us privately, or stopped.
    OccupantTyping {
        /// The occupant.
        nick: String,
        /// Their state.
        state: ChatState,
    },
    /// Another chat is shown: nobody in it types to us yet.
    ForgetTyping,
}

/// What the composer reports.
#[derive(Debug)]
pub enum ComposerOutput {
    /// Send this body.
    Send(String),
    /// Send this body privately to the occupant `nick`.
    SendPrivate {
        /// The occupant.
        nick: String,
        /// The text.
        body: String,
    },
    /// Tell the peer our chat state.
    ChatState(ChatState),
    /// Tell the occupant `nick` we write to privately our chat state.
    PrivateChatState {
        /// The occupant.
        nick: String,
        /// Our state.
        state: ChatState,
    },
    /// Find the occupants whose nickname starts with this.
    Complete(String),
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
    /// Whether the open chat is a room.
    room: bool,
    /// Nicknames offered, in the list's order.
    completions: Vec<String>,
    /// Whether the completion list is open (read by the key handler).
    completing: Rc<Cell<bool>>,
    popover: gtk::Popover,
    choices: gtk::ListBox,
    /// The occupant written to privately, and whether they are in the room.
    private: Option<(String, bool)>,
    /// The occupants of the open room typing to us privately.
    typing: Vec<String>,
    chip: Controller<PrivateChip>,
}

#[relm4::component(pub)]
impl Component for Composer {
    type Init = gio::Settings;
    type Input = ComposerInput;
    type Output = ComposerOutput;
    type CommandOutput = u64;

    view! {
      gtk::Box {
        set_orientation: gtk::Orientation::Vertical,

        append: model.chip.widget(),
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
                    #[watch]
                    set_label: &model.placeholder(),
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
                set_sensitive: !model.empty && model.private.as_ref().is_none_or(|(_, here)| *here),
                connect_clicked => ComposerInput::Send,
            },
        }
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
        let completing = Rc::new(Cell::new(false));
        let completing_keys = completing.clone();
        keys.connect_key_pressed(move |_, key, _, modifiers| {
            let enter = matches!(
                key,
                gdk::Key::Return | gdk::Key::KP_Enter | gdk::Key::ISO_Enter
            );
            if completing_keys.get() {
                let completion_key = match key {
                    _ if enter => Some(CompletionKey::Accept),
                    gdk::Key::Tab | gdk::Key::ISO_Left_Tab => Some(CompletionKey::Accept),
                    gdk::Key::Down => Some(CompletionKey::Next),
                    gdk::Key::Up => Some(CompletionKey::Previous),
                    gdk::Key::Escape => Some(CompletionKey::Cancel),
                    _ => None,
                };
                if let Some(completion_key) = completion_key {
                    key_sender.input(ComposerInput::CompletionKey(completion_key));
                    return glib::Propagation::Stop;
                }
            }
            if enter && !modifiers.contains(gdk::ModifierType::SHIFT_MASK) {
                key_sender.input(ComposerInput::Send);
                glib::Propagation::Stop
            } else {
                glib::Propagation::Proceed
            }
        });
        view.add_controller(keys);

        let choices = gtk::ListBox::builder()
            .selection_mode(gtk::SelectionMode::Browse)
            .css_classes(["navigation-sidebar"])
            .build();
        set_accessible_label(&choices, &gettext("Nicknames"));
        let pick = sender.clone();
        choices.connect_row_activated(move |_, row| {
            pick.input(ComposerInput::Pick(row.index().max(0) as usize));
        });
        let popover = gtk::Popover::builder()
            .child(&choices)
            .autohide(false)
            .has_arrow(false)
            .position(gtk::PositionType::Top)
            .halign(gtk::Align::Start)
            .build();
        popover.set_parent(&root);

        let chip = PrivateChip::builder()
            .launch(())
            .forward(sender.input_sender(), |StopPrivate| {
                ComposerInput::SetPrivate(None)
            });
        let model = Composer {
            private: None,
            typing: Vec::new(),
            chip,
            settings,
            buffer,
            view,
            composing: false,
            generation: 0,
            empty: true,
            quiet: false,
            room: false,
            completions: Vec::new(),
            completing,
            popover,
            choices,
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
            ComposerInput::SetRoom(room) => {
                self.room = room;
                self.close_completions();
            }
            ComposerInput::SetPrivate(private) => {
                // Whoever we were typing to is told we stopped.
                if self.composing && self.private != private {
                    self.composing = false;
                    self.generation += 1;
                    let _ = sender.output(self.state_output(ChatState::Paused));
                }
                self.set_private(private);
            }
            ComposerInput::OccupantTyping { nick, state } => {
                if note_typing(&mut self.typing, &nick, state) {
                    self.chip.deliver(self.chip_target());
                }
            }
            ComposerInput::ForgetTyping => {
                if !self.typing.is_empty() {
                    self.typing.clear();
                    self.chip.deliver(self.chip_target());
                }
            }
            ComposerInput::Whereabouts(change) => self.follow(change),
            ComposerInput::Completions(nicks) => self.offer(nicks),
            ComposerInput::CompletionKey(key) => self.completion_key(key),
            ComposerInput::Pick(index) => self.accept(index),
            ComposerInput::Changed => {
                let text = self.text();
                self.empty = text.trim().is_empty();
                if !self.quiet && self.room {
                    match mention_prefix(&self.before_cursor()) {
                        Some((_, prefix)) => {
                            let _ = sender.output(ComposerOutput::Complete(prefix.to_owned()));
                        }
                        None => self.close_completions(),
                    }
                }
                if self.quiet || !self.settings.boolean("send-typing-notifications") {
                    return;
                }
                if self.empty {
                    if self.composing {
                        self.composing = false;
                        let _ = sender.output(self.state_output(ChatState::Active));
                    }
                    return;
                }
                if !self.composing {
                    self.composing = true;
                    let _ = sender.output(self.state_output(ChatState::Composing));
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
                self.close_completions();
                let output = match &self.private {
                    // Never to the whole room instead: keep the text.
                    Some((_, false)) => return,
                    Some((nick, true)) => ComposerOutput::SendPrivate {
                        nick: nick.clone(),
                        body: body.to_owned(),
                    },
                    None => ComposerOutput::Send(body.to_owned()),
                };
                let _ = sender.output(output);
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
            let _ = sender.output(self.state_output(ChatState::Paused));
        }
    }
}

impl Composer {
    /// The hint in the empty entry.
    fn placeholder(&self) -> String {
        match &self.private {
            Some((nick, here)) => chip_text(nick, *here),
            None => gettext("Message"),
        }
    }

    /// Our chat state for whom we write to: the occupant written to
    /// privately, or the chat's peer (the chat view drops it for a room).
    fn state_output(&self, state: ChatState) -> ComposerOutput {
        match &self.private {
            Some((nick, true)) => ComposerOutput::PrivateChatState {
                nick: nick.clone(),
                state,
            },
            _ => ComposerOutput::ChatState(state),
        }
    }

    /// What the private chip shows now.
    fn chip_target(&self) -> Option<ChipTarget> {
        self.private.as_ref().map(|(nick, here)| ChipTarget {
            nick: nick.clone(),
            here: *here,
            typing: self.typing.contains(nick),
        })
    }

    fn set_private(&mut self, private: Option<(String, bool)>) {
        self.private = private;
        self.chip.deliver(self.chip_target());
        let name = match &self.private {
            Some((nick, _)) => chip_text(nick, true),
            None => gettext("Message"),
        };
        self.view.set_accessible_name(&name);
    }

    /// Keep up with the occupant written to privately.
    fn follow(&mut self, change: Whereabouts) {
        let Some((nick, here)) = self.private.clone() else {
            return;
        };
        let updated = match change {
            Whereabouts::Here(who) if who == nick => (nick, true),
            Whereabouts::Left(who) if who == nick => (nick, false),
            Whereabouts::Renamed { old, new } if old == nick => (new, true),
            Whereabouts::All(everyone) => {
                let here = everyone.contains(&nick);
                (nick, here)
            }
            _ => (nick, here),
        };
        if self.private.as_ref() != Some(&updated) {
            self.set_private(Some(updated));
        }
    }

    fn text(&self) -> String {
        let (start, end) = self.buffer.bounds();
        self.buffer.text(&start, &end, false).to_string()
    }

    /// The text from the start to the cursor.
    fn before_cursor(&self) -> String {
        let start = self.buffer.start_iter();
        let cursor = self.buffer.iter_at_mark(&self.buffer.get_insert());
        self.buffer.text(&start, &cursor, false).to_string()
    }

    fn close_completions(&mut self) {
        self.completions.clear();
        self.completing.set(false);
        self.popover.popdown();
    }

    /// Show the nicknames matching the typed prefix.
    fn offer(&mut self, nicks: Vec<String>) {
        if nicks.is_empty() || mention_prefix(&self.before_cursor()).is_none() {
            self.close_completions();
            return;
        }
        while let Some(row) = self.choices.row_at_index(0) {
            self.choices.remove(&row);
        }
        for nick in &nicks {
            let label = gtk::Label::builder()
                .label(nick)
                .use_markup(false)
                .xalign(0.0)
                .build();
            self.choices.append(&label);
        }
        self.choices
            .select_row(self.choices.row_at_index(0).as_ref());
        self.completions = nicks;
        self.completing.set(true);
        self.popover.popup();
    }

    fn completion_key(&mut self, key: CompletionKey) {
        let selected = self
            .choices
            .selected_row()
            .map_or(0, |row| row.index().max(0));
        let last = self.completions.len().saturating_sub(1) as i32;
        match key {
            CompletionKey::Accept => self.accept(selected as usize),
            CompletionKey::Next | CompletionKey::Previous => {
                let next = if key == CompletionKey::Next {
                    (selected + 1).min(last)
                } else {
                    (selected - 1).max(0)
                };
                self.choices
                    .select_row(self.choices.row_at_index(next).as_ref());
            }
            CompletionKey::Cancel => self.close_completions(),
        }
    }

    /// Replace the typed `@prefix` with the picked nickname.
    fn accept(&mut self, index: usize) {
        let Some(nick) = self.completions.get(index).cloned() else {
            return;
        };
        let before = self.before_cursor();
        if let Some((at, _)) = mention_prefix(&before) {
            let text = completion(&nick, starts_line(&before, at));
            let mut start = self
                .buffer
                .iter_at_offset(before[..at].chars().count() as i32);
            let mut end = self.buffer.iter_at_mark(&self.buffer.get_insert());
            self.buffer.delete(&mut start, &mut end);
            self.buffer.insert(&mut start, &text);
        }
        self.close_completions();
        self.view.grab_focus();
    }
}
