//! A layout that places its one child at the child's natural width (no
//! wider than the space given) against the start or the end side: a
//! message bubble, left for received and right for sent messages.
//!
//! Aligning the child with `halign` would do the same, but GTK 4.8 then
//! measures the child's width *for its height* on every allocation. For a
//! box holding a wrapping label that is a search over widths: measured,
//! about 40 Pango layouts of a one-line message per row with `halign`
//! against about 7 with this layout, and the text shaped a third as often
//! in a message flood. This layout only asks the child for widths without
//! a height and for heights at a width, which a wrapping label answers
//! with one layout each.

use relm4::gtk::{self, glib, prelude::*, subclass::prelude::*};

mod imp {
    use std::cell::Cell;

    use super::*;

    #[derive(Default)]
    pub struct SideLayout {
        pub(super) end: Cell<bool>,
    }

    #[glib::object_subclass]
    impl ObjectSubclass for SideLayout {
        const NAME: &'static str = "WarblerSideLayout";
        type Type = super::SideLayout;
        type ParentType = gtk::LayoutManager;
    }

    impl ObjectImpl for SideLayout {}

    impl LayoutManagerImpl for SideLayout {
        fn request_mode(&self, _widget: &gtk::Widget) -> gtk::SizeRequestMode {
            gtk::SizeRequestMode::HeightForWidth
        }

        fn measure(
            &self,
            widget: &gtk::Widget,
            orientation: gtk::Orientation,
            for_size: i32,
        ) -> (i32, i32, i32, i32) {
            let Some(child) = laid_out_child(widget) else {
                return (0, 0, -1, -1);
            };
            match orientation {
                gtk::Orientation::Vertical if for_size >= 0 => {
                    let (min, nat, _, _) =
                        child.measure(gtk::Orientation::Vertical, child_width(&child, for_size));
                    (min, nat, -1, -1)
                }
                _ => {
                    let (min, nat, _, _) = child.measure(orientation, -1);
                    (min, nat, -1, -1)
                }
            }
        }

        fn allocate(&self, widget: &gtk::Widget, width: i32, height: i32, _baseline: i32) {
            let Some(child) = laid_out_child(widget) else {
                return;
            };
            let child_width = child_width(&child, width);
            let right = self.end.get() != (widget.direction() == gtk::TextDirection::Rtl);
            let x = if right { width - child_width } else { 0 };
            let transform =
                gtk::gsk::Transform::new().translate(&gtk::graphene::Point::new(x as f32, 0.0));
            child.allocate(child_width, height, -1, Some(transform));
        }
    }

    fn laid_out_child(widget: &gtk::Widget) -> Option<gtk::Widget> {
        widget.first_child().filter(|child| child.should_layout())
    }

    /// The child's natural width, within `available` (but never below its
    /// minimum).
    fn child_width(child: &gtk::Widget, available: i32) -> i32 {
        let (min, nat, _, _) = child.measure(gtk::Orientation::Horizontal, -1);
        nat.min(available).max(min)
    }
}

glib::wrapper! {
    /// Places the widget's only child at its natural width on one side.
    pub struct SideLayout(ObjectSubclass<imp::SideLayout>) @extends gtk::LayoutManager;
}

impl Default for SideLayout {
    fn default() -> Self {
        glib::Object::new()
    }
}

impl SideLayout {
    /// Put the child against the end side (the right in left-to-right
    /// text) instead of the start.
    pub fn set_end(&self, end: bool) {
        if self.imp().end.replace(end) != end {
            self.layout_changed();
        }
    }
}
