//! The "⋮" menu of a list row, built when it opens rather than on every
//! bind (a popover per bound row made scrolling and updates of long lists
//! slow), and also opened by a right click or a long press on the row.

use std::cell::RefCell;
use std::rc::Rc;

use relm4::gtk::{self, gio, prelude::*};

/// The item a recycled row currently shows, shared with its menu.
pub type Bound<T> = Rc<RefCell<Option<T>>>;

/// Let `button` build its menu from the row's current item with `build`
/// when opened, and open it on a right click or a long press on `row`
/// while the button is shown. Returns the slot that `bind` fills with the
/// item.
pub fn attach<T: 'static>(
    row: &impl IsA<gtk::Widget>,
    button: &gtk::MenuButton,
    build: fn(&T) -> gio::Menu,
) -> Bound<T> {
    attach_in_phase(row, button, build, gtk::PropagationPhase::Bubble)
}

/// Like [`attach`], for rows whose children handle clicks themselves
/// (selectable text): the row's menu opens before they see the click.
pub fn attach_over_children<T: 'static>(
    row: &impl IsA<gtk::Widget>,
    button: &gtk::MenuButton,
    build: fn(&T) -> gio::Menu,
) -> Bound<T> {
    attach_in_phase(row, button, build, gtk::PropagationPhase::Capture)
}

fn attach_in_phase<T: 'static>(
    row: &impl IsA<gtk::Widget>,
    button: &gtk::MenuButton,
    build: fn(&T) -> gio::Menu,
    phase: gtk::PropagationPhase,
) -> Bound<T> {
    let bound: Bound<T> = Rc::default();
    let for_menu = bound.clone();
    button.set_create_popup_func(move |button| {
        if let Some(item) = for_menu.borrow().as_ref() {
            button.set_menu_model(Some(&build(item)));
        }
    });
    let click = gtk::GestureClick::builder()
        .button(3)
        .propagation_phase(phase)
        .build();
    let for_click = button.clone();
    click.connect_pressed(move |gesture, _, _, _| {
        if for_click.is_visible() {
            gesture.set_state(gtk::EventSequenceState::Claimed);
            for_click.popup();
        }
    });
    row.add_controller(click);
    let press = gtk::GestureLongPress::builder()
        .touch_only(true)
        .propagation_phase(phase)
        .build();
    let for_press = button.clone();
    press.connect_pressed(move |gesture, _, _| {
        if for_press.is_visible() {
            gesture.set_state(gtk::EventSequenceState::Claimed);
            for_press.popup();
        }
    });
    row.add_controller(press);
    bound
}
