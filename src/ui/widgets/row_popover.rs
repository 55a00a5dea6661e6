//! A menu that opens from a whole list row rather than from a button in
//! it: a click, a right click or a long press anywhere on the row, or
//! Enter on the focused row ([`open_focused`]). Its popover is made when it
//! opens and dropped when it closes.
//!
//! This is for long lists: GTK 4.8's list view keeps about two hundred
//! rows alive and lays all of them out on every scroll step, and a menu
//! button in each row (a button, an icon and a popover slot, with an
//! accessible name to update on every bind) made a 2,000-person occupant
//! list drop frames while scrolling.

use relm4::gtk::{self, gdk, gio, glib, prelude::*};

pub use super::row_menu::Bound;

/// The action group every attached row gets; its `open` action opens the
/// menu from the keyboard.
const GROUP: &str = "row-menu";

/// Let a click, a right click or a long press on `target` (a row, or the
/// part of it that stands for the item) open the menu that `build` makes
/// from the row's current item; an empty menu does not open. `row` holds
/// the keyboard action. Returns the slot that `bind` fills with the item.
pub fn attach<T: 'static>(
    row: &impl IsA<gtk::Widget>,
    target: &impl IsA<gtk::Widget>,
    build: fn(&T) -> gio::Menu,
) -> Bound<T> {
    let bound: Bound<T> = Bound::default();
    let target = target.upcast_ref::<gtk::Widget>().clone();

    let actions = gio::SimpleActionGroup::new();
    let open_action = gio::SimpleAction::new("open", None);
    let (slot, anchor) = (bound.clone(), target.clone());
    open_action.connect_activate(move |_, _| open(&anchor, &slot, build, None));
    actions.add_action(&open_action);
    row.insert_action_group(GROUP, Some(&actions));

    // Any button: the primary one on release (like activating a row), the
    // secondary one on press (like a context menu anywhere else).
    let click = gtk::GestureClick::builder().button(0).build();
    let (slot, anchor) = (bound.clone(), target.clone());
    click.connect_pressed(move |gesture, _, x, y| {
        if gesture.current_button() == gdk::BUTTON_SECONDARY {
            gesture.set_state(gtk::EventSequenceState::Claimed);
            open(&anchor, &slot, build, Some((x, y)));
        }
    });
    let (slot, anchor) = (bound.clone(), target.clone());
    click.connect_released(move |gesture, _, x, y| {
        if gesture.current_button() == gdk::BUTTON_PRIMARY {
            gesture.set_state(gtk::EventSequenceState::Claimed);
            open(&anchor, &slot, build, Some((x, y)));
        }
    });
    target.add_controller(click);

    let press = gtk::GestureLongPress::builder().touch_only(true).build();
    let (slot, anchor) = (bound.clone(), target.clone());
    press.connect_pressed(move |gesture, x, y| {
        gesture.set_state(gtk::EventSequenceState::Claimed);
        open(&anchor, &slot, build, Some((x, y)));
    });
    target.add_controller(press);
    bound
}

/// Open the menu of the focused row of `list` (for its `activate` signal,
/// which Enter and Space send).
pub fn open_focused(list: &impl IsA<gtk::Widget>) {
    let list = list.upcast_ref::<gtk::Widget>();
    let row = list
        .root()
        .and_then(|root| root.focus())
        .and_then(|focus| list_row(&focus))
        .filter(|row| row.parent().as_ref() == Some(list));
    // Ours is the list row widget's child.
    if let Some(row) = row.and_then(|row| row.first_child()) {
        let _ = row.activate_action(&format!("{GROUP}.open"), None);
    }
}

fn open<T>(
    anchor: &gtk::Widget,
    slot: &Bound<T>,
    build: fn(&T) -> gio::Menu,
    at: Option<(f64, f64)>,
) {
    let Some(menu) = slot.borrow().as_ref().map(build) else {
        return;
    };
    if menu.n_items() == 0 {
        return;
    }
    // The row the menu belongs to has the focus, before and after, so the
    // keyboard carries on from it.
    let row = list_row(anchor);
    if let Some(row) = &row {
        row.grab_focus();
    }
    let popover = gtk::PopoverMenu::from_model(Some(&menu));
    popover.set_parent(anchor);
    if let Some((x, y)) = at {
        popover.set_pointing_to(Some(&gdk::Rectangle::new(x as i32, y as i32, 1, 1)));
    }
    popover.connect_closed(move |popover| {
        let popover = popover.clone();
        let row = row.clone();
        // Only once the chosen item's action ran: it is looked up from the
        // popover's place in the window, and may move the focus itself.
        glib::idle_add_local_once(move || {
            let focus = popover.root().and_then(|root| root.focus());
            let lost = focus.is_none_or(|focus| focus.is_ancestor(&popover));
            if lost && let Some(row) = row {
                row.grab_focus();
            }
            popover.unparent();
        });
    });
    popover.popup();
}

/// The list's own row widget (focusable, a child of the list or grid view)
/// that is or holds `widget`.
fn list_row(widget: &gtk::Widget) -> Option<gtk::Widget> {
    let mut row = widget.clone();
    loop {
        let parent = row.parent()?;
        if parent.is::<gtk::GridView>() || parent.is::<gtk::ListView>() {
            return Some(row);
        }
        row = parent;
    }
}
