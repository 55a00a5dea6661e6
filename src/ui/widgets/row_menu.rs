//! The "⋮" menu of a list row, built when it opens rather than on every
//! bind (a popover per bound row made scrolling and updates of long lists
//! slow), and also opened by a right click on the row.

use std::cell::RefCell;
use std::rc::Rc;

use relm4::gtk::{self, gio, prelude::*};

/// The item a recycled row currently shows, shared with its menu.
pub type Bound<T> = Rc<RefCell<Option<T>>>;

/// Let `button` build its menu from the row's current item with `build`
/// when opened, and open it on a right click on `row` while the button is
/// shown. Returns the slot that `bind` fills with the item.
pub fn attach<T: 'static>(
    row: &impl IsA<gtk::Widget>,
    button: &gtk::MenuButton,
    build: fn(&T) -> gio::Menu,
) -> Bound<T> {
    let bound: Bound<T> = Rc::default();
    let for_menu = bound.clone();
    button.set_create_popup_func(move |button| {
        if let Some(item) = for_menu.borrow().as_ref() {
            button.set_menu_model(Some(&build(item)));
        }
    });
    let click = gtk::GestureClick::builder().button(3).build();
    let for_click = button.clone();
    click.connect_pressed(move |_, _, _, _| {
        if for_click.is_visible() {
            for_click.popup();
        }
    });
    row.add_controller(click);
    bound
}
