//! The chat view's message list: rows for the core's history pages, new
//! messages and state changes. New messages are added a few rows per
//! frame (as many as the pacer expects to fit), with one list change and
//! one scroll each time, which keeps the window drawing while thousands
//! arrive.
//!
//! The list is a grid view of one column: GTK 4.8's list view keeps about
//! two hundred rows alive, and adding a row at the end makes GTK re-check
//! the style of every one of them (a row's position from the end is part
//! of its style), which was a third of a flood's frame time. A grid view
//! keeps only a screenful of rows.

use std::time::{Duration, Instant};

use gettextrs::gettext;
use relm4::gtk::{glib, prelude::*};
use relm4::prelude::*;
use relm4::typed_view::grid::TypedGridView;
use warbler::model::ChatMessage;
use warbler::session::Event;

use super::dates::{day_label, local_day};
use super::message_row::MessageItem;
use super::{ChatInput, ChatView};
use crate::ui::set_accessible_label;

impl ChatView {
    pub(super) fn item(&self, message: ChatMessage, previous: Option<&ChatMessage>) -> MessageItem {
        let new_day =
            previous.is_none_or(|prev| local_day(prev.timestamp) != local_day(message.timestamp));
        MessageItem {
            day: new_day.then(|| day_label(message.timestamp)),
            first_unread: self.first_unread == Some(message.id),
            peer_name: self.name.clone(),
            sender: self.room_sender(&message),
            notice: None,
            message,
        }
    }

    pub(super) fn message_at(&self, position: u32) -> Option<ChatMessage> {
        self.list
            .get(position)
            .map(|item| item.borrow().message.clone())
    }

    /// Handle a batch of the core's events. New messages of the open chat
    /// wait in `pending` and are added a few rows per frame (see
    /// [`super::pacing`]); any other event first adds every waiting row,
    /// as it may need the list as it stands.
    pub(super) fn handle_events(&mut self, events: Vec<Event>, sender: &ComponentSender<Self>) {
        for event in events {
            if !matches!(event, Event::MessageAdded { .. }) {
                self.append_all_pending();
            }
            self.handle_event(event, sender);
        }
        self.forget_oldest_waiting();
        if !self.append_scheduled {
            self.append_paced(sender);
        }
        self.check_ids();
    }

    /// In debug builds (the UI tests'), check that `ids` still follows the
    /// rows: a row whose id is another's would show the wrong message's
    /// state, and older pages would load from the wrong place.
    fn check_ids(&self) {
        debug_assert_eq!(
            self.ids.len(),
            self.list.len() as usize + self.pending.len(),
            "the chat view's ids no longer follow its rows"
        );
    }

    /// Add this frame's share of the waiting rows; if rows remain, come
    /// back at the next frame.
    pub(super) fn append_paced(&mut self, sender: &ComponentSender<Self>) {
        self.append_scheduled = false;
        if self.pending.is_empty() {
            return;
        }
        self.watch_frames();
        if self.list.len() >= ROWS_FORGOTTEN_AT && self.may_forget_rows() {
            // Letting go of old rows costs the next frame's layout about as
            // much as a frame's new rows do: in a flood, a frame that had
            // both came late. That frame gets the one, not the other.
            self.forget_oldest_rows();
            self.pacer.skip_frame();
        } else {
            let count = self.pacer.rows_for_frame().min(self.pending.len());
            self.append_rows(count);
        }
        if !self.pending.is_empty() {
            self.append_scheduled = true;
            let sender = sender.clone();
            self.list.view.add_tick_callback(move |_, _| {
                sender.input(ChatInput::AppendPending);
                glib::ControlFlow::Break
            });
        }
    }

    /// Let the pacer learn what frames cost from the list's frame clock.
    fn watch_frames(&mut self) {
        let clock = self.list.view.frame_clock();
        if clock.is_none() || clock == self.paced_clock {
            return;
        }
        if let Some(clock) = &clock {
            let pacer = self.pacer.clone();
            clock.connect_before_paint(move |_| pacer.frame_starting(Instant::now()));
            let pacer = self.pacer.clone();
            clock.connect_after_paint(move |_| pacer.frame_drawn(Instant::now()));
        }
        self.paced_clock = clock;
    }

    /// Add every waiting row now.
    pub(super) fn append_all_pending(&mut self) {
        self.append_rows(self.pending.len());
    }

    /// Add the first `count` waiting rows and, if one of the messages asked
    /// for it, scroll to the newest.
    fn append_rows(&mut self, count: usize) {
        if count > 0 {
            let started = Instant::now();
            self.list
                .extend_from_iter(super::pacing::take_rows(&mut self.pending, count));
            self.pacer.added(count, started.elapsed());
        }
        if self.scroll_after_append {
            self.scroll_to_end();
            self.scroll_after_append = !self.pending.is_empty();
        }
    }

    /// While the reader follows the newest messages, let go of the oldest
    /// rows once the list holds [`ROWS_FORGOTTEN_AT`], keeping
    /// [`ROWS_KEPT`]: messages are stored, and scrolling up loads them
    /// again a page at a time (a room's notices, such as "Bob joined", are
    /// not stored and do not come back). Without this, a chat left open in
    /// a busy room, or through a flood, held every message that arrived (a
    /// flood of 5,000 kept 5,000 rows' data alive while the chat was open).
    fn forget_oldest_rows(&mut self) {
        let count = self.list.len().saturating_sub(ROWS_KEPT);
        remove_first_rows(&mut self.list, count);
        self.ids.drain(..count as usize);
        self.check_ids();
        self.complete = false;
        // The new first row starts the shown history, so it names its day.
        if matches!(self.ids.first(), Some(Some(_)))
            && let Some(first) = self.list.get(0)
        {
            // Copied first: the row's data may not stay borrowed while the
            // list changes.
            let mut item = first.borrow().clone();
            if starts_the_history(&mut item) {
                self.list.remove(0);
                self.list.insert(0, item);
            }
        }
    }

    /// While the reader follows the newest messages but frames to add the
    /// waiting rows do not come (a minimised window draws none; a machine
    /// under load draws few), keep only the newest [`ROWS_KEPT`] waiting
    /// and let go of the shown rows, all older: the reader sees the newest
    /// at once when frames come back, instead of every message scrolling
    /// past, and the waiting rows do not grow without bound.
    fn forget_oldest_waiting(&mut self) {
        if self.pending.len() < ROWS_FORGOTTEN_AT as usize || !self.may_forget_rows() {
            return;
        }
        let shown = self.list.len() as usize;
        let gone = super::pacing::keep_newest(&mut self.pending, ROWS_KEPT as usize);
        self.list.clear();
        self.ids.drain(..shown + gone);
        self.complete = false;
        // The new first row starts the shown history, so it names its day.
        if let Some(first) = self.pending.front_mut() {
            starts_the_history(first);
        }
        self.scroll_after_append = true;
    }

    /// Whether old rows may be let go of now: the reader follows the newest
    /// messages, no older page is loading or being put in place, and the
    /// view is not about to scroll up to the "new messages" line (an
    /// opened chat's page may hold many more rows than are kept).
    fn may_forget_rows(&self) -> bool {
        self.stick_to_bottom.get()
            && !self.loading_older
            && self.anchor.get().is_none()
            && self.unread_target.get().is_none()
    }

    /// Forget the shown messages (another chat opens, or this one closed).
    pub(super) fn clear_messages(&mut self) {
        self.list.clear();
        self.ids.clear();
        self.pending.clear();
        self.scroll_after_append = false;
        self.first_unread = None;
        self.unread_target.set(None);
    }

    fn handle_event(&mut self, event: Event, sender: &ComponentSender<Self>) {
        let event = match self.room_event(event, sender) {
            Some(event) => event,
            None => return,
        };
        match event {
            Event::ChatHistory {
                account,
                peer,
                messages,
                older,
                complete,
                first_unread,
            } if self.is_open(&account, &peer) => {
                self.complete = complete;
                if older {
                    self.loading_older = false;
                    self.prepend(messages);
                } else {
                    self.list.clear();
                    self.ids.clear();
                    self.stick_to_bottom.set(true);
                    let mut previous: Option<ChatMessage> = None;
                    let mut items = Vec::with_capacity(messages.len());
                    // Rows built later for it (paging back to it again)
                    // keep the line too.
                    self.first_unread = first_unread;
                    let mut unread_at = None;
                    for message in messages {
                        self.ids.push(Some(message.id));
                        let item = self.item(message.clone(), previous.as_ref());
                        if item.first_unread {
                            unread_at = u32::try_from(items.len()).ok();
                        }
                        previous = Some(message);
                        items.push(item);
                    }
                    self.list.extend_from_iter(items);
                    // Open on the first unread message when the unread ones
                    // are more than a screenful; otherwise at the bottom.
                    self.unread_target.set(unread_at);
                    self.scroll_to_end();
                }
            }
            Event::MessageAdded { message } if self.is_open(&message.account, &message.peer) => {
                if let Some(pos) = self.ids.iter().rposition(|id| *id == Some(message.id)) {
                    self.append_all_pending();
                    self.replace(pos as u32, message);
                    return;
                }
                if message.direction == warbler::model::Direction::Incoming {
                    self.peer_state = None;
                }
                let previous = match self.pending.back() {
                    Some(item) => Some(item.message.clone()),
                    None => self
                        .list
                        .len()
                        .checked_sub(1)
                        .and_then(|p| self.message_at(p)),
                };
                self.ids.push(Some(message.id));
                let outgoing = message.direction == warbler::model::Direction::Outgoing;
                let item = self.item(message, previous.as_ref());
                self.pending.push_back(item);
                self.scroll_after_append |= outgoing || self.stick_to_bottom.get();
            }
            Event::MessageStateChanged {
                account,
                peer,
                id,
                state,
            } if self.is_open(&account, &peer) => {
                if let Some(pos) = self.ids.iter().position(|i| *i == Some(id))
                    && let Some(mut message) = self.message_at(pos as u32)
                {
                    message.state = state;
                    self.replace(pos as u32, message);
                }
            }
            Event::ChatStateChanged {
                account,
                peer,
                state,
            } if self.is_open(&account, &peer) => {
                self.peer_state = Some(state);
            }
            Event::OccupantChatStateChanged {
                account,
                room,
                nick,
                state,
            } if self.is_open(&account, &room) => self.occupant_typing(nick, state),
            Event::ContactUpdated { account, contact } if self.is_open(&account, &contact.jid) => {
                self.name = contact.display_name();
            }
            Event::RosterReplaced { account, contacts } => {
                if let Some(contact) = contacts.iter().find(|c| self.is_open(&account, &c.jid)) {
                    self.name = contact.display_name();
                }
            }
            _ => {}
        }
    }

    /// Scroll to the newest message, now and once the rows are laid out.
    pub(super) fn scroll_to_end(&self) {
        if self.list.is_empty() {
            return;
        }
        self.stick_to_bottom.set(true);
        self.scroll_to_newest.set_visible(false);
        let view = self.list.view.clone();
        show_last_row(&view);
        // Check again two frames after the last call, when the new rows
        // have been laid out: GTK 4.8's list can place its last row by
        // height estimates that its first layout of the row proves wrong,
        // and then stays a row short of the bottom until asked again.
        // (One check at a time: a flood adds rows every frame.)
        let Some(clock) = self.list.view.frame_clock() else {
            return;
        };
        let scheduled = self.bottom_check.get().is_some();
        self.bottom_check.set(Some(clock.frame_counter() + 2));
        if scheduled {
            return;
        }
        let due = self.bottom_check.clone();
        let unread = self.unread_target.clone();
        let waited = std::cell::Cell::new(0);
        self.list.view.add_tick_callback(move |_, clock| {
            if due.get().is_some_and(|frame| clock.frame_counter() < frame) {
                return glib::ControlFlow::Continue;
            }
            if !shows_bottom(&view) {
                show_last_row(&view);
                // The line is scrolled up to from the bottom (see below),
                // so wait for the layout that takes the view there: asked
                // just before, the list had not always moved yet, and then
                // the line was shown from wherever the view was.
                if unread.get().is_some() && waited.get() < FRAMES_TO_REACH_BOTTOM {
                    waited.set(waited.get() + 1);
                    due.set(Some(clock.frame_counter() + 1));
                    return glib::ControlFlow::Continue;
                }
            }
            due.set(None);
            // From the bottom, showing the row scrolls up only if it is
            // above the view, and then puts it at the top.
            if let Some(row) = unread.take() {
                show_row(&view, row);
            }
            glib::ControlFlow::Break
        });
    }

    /// Replace the row at `pos`, keeping its day separator.
    pub(super) fn replace(&mut self, pos: u32, message: ChatMessage) {
        if let Some(item) = self.list.get(pos) {
            let mut updated = item.borrow().clone();
            updated.message = message;
            self.list.remove(pos);
            self.list.insert(pos, updated);
        }
    }

    /// Insert an older page above the shown messages, keeping the scroll
    /// position.
    fn prepend(&mut self, messages: Vec<ChatMessage>) {
        if messages.is_empty() {
            return;
        }
        let adjustment = self.scrolled.vadjustment();
        self.anchor
            .set(Some(adjustment.upper() - adjustment.value()));
        let count = messages.len() as u32;
        let old_first = self.message_at(0);
        let mut previous: Option<ChatMessage> = None;
        let mut ids = Vec::with_capacity(messages.len());
        for (index, message) in messages.into_iter().enumerate() {
            ids.push(Some(message.id));
            let item = self.item(message.clone(), previous.as_ref());
            previous = Some(message);
            self.list.insert(index as u32, item);
        }
        ids.append(&mut self.ids);
        self.ids = ids;
        // The former first message may no longer start a new day.
        if let Some(first) = old_first
            && matches!(self.ids.get(count as usize), Some(Some(_)))
        {
            let item = self.item(first, previous.as_ref());
            self.list.remove(count);
            self.list.insert(count, item);
        }
        let anchor = self.anchor.clone();
        glib::timeout_add_local_once(Duration::from_millis(400), move || anchor.set(None));
        set_accessible_label(&self.list.view, &gettext("Messages"));
    }
}

/// How many rows the list keeps when it lets go of the oldest ones: some
/// twenty screenfuls of short messages, so a reader glancing back finds
/// them without waiting for history.
const ROWS_KEPT: u32 = 200;
/// How many rows the list may hold, while its reader follows the newest
/// messages, before it lets go of the oldest. Letting go of many at once
/// keeps it a rare, single change of the list.
const ROWS_FORGOTTEN_AT: u32 = 2 * ROWS_KEPT;

/// How many frames an opened chat's view may take to reach its newest row
/// before it scrolls up to the "new messages" line anyway.
const FRAMES_TO_REACH_BOTTOM: u32 = 30;

/// Remove the first `count` rows of `list` in one change of its model
/// (one at a time, should the model not be a plain store).
fn remove_first_rows(list: &mut TypedGridView<MessageItem, gtk::NoSelection>, count: u32) {
    match list
        .selection_model
        .model()
        .and_downcast::<gtk::gio::ListStore>()
    {
        Some(store) => store.splice(0, count, &[] as &[glib::Object]),
        None => (0..count).for_each(|_| list.remove(0)),
    }
}

/// `item` is now the first row of the shown history, so it names its day;
/// returns whether it did not already.
fn starts_the_history(item: &mut MessageItem) -> bool {
    let unnamed = item.day.is_none();
    if unnamed {
        item.day = Some(day_label(item.message.timestamp));
    }
    unnamed
}

/// The round button over the bottom of the messages that takes a reader
/// who scrolled up (or a chat opened on its first unread message) to the
/// newest one; hidden until then.
pub(super) fn scroll_to_newest_button(sender: &ComponentSender<ChatView>) -> gtk::Button {
    let button = gtk::Button::from_icon_name("go-bottom-symbolic");
    let label = gettext("Scroll to Newest Message");
    button.set_tooltip_text(Some(&label));
    set_accessible_label(&button, &label);
    button.add_css_class("osd");
    button.add_css_class("circular");
    button.set_halign(gtk::Align::End);
    button.set_valign(gtk::Align::End);
    button.set_margin_end(18);
    button.set_margin_bottom(18);
    button.set_visible(false);
    let sender = sender.clone();
    button.connect_clicked(move |_| sender.input(ChatInput::ScrollToNewest));
    button
}

/// Whether the message list `view` is scrolled to its end.
pub(super) fn shows_bottom(view: &gtk::GridView) -> bool {
    view.vadjustment()
        .is_none_or(|adj| adj.value() + adj.page_size() >= adj.upper() - 1.0)
}

/// Scroll the message list `view` so that its last row is shown.
pub(super) fn show_last_row(view: &gtk::GridView) {
    if let Some(last) = view
        .model()
        .and_then(|model| model.n_items().checked_sub(1))
    {
        show_row(view, last);
    }
}

/// Scroll the message list `view` as little as shows its row `row`.
fn show_row(view: &gtk::GridView, row: u32) {
    if let Err(error) = view.activate_action("list.scroll-to-item", Some(&row.to_variant())) {
        tracing::debug!("Could not scroll the messages: {error}");
    }
}
