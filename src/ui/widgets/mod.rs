//! Reusable widgets that are not components of their own.

pub mod data_form;
pub mod idle_list;
pub mod row_menu;
pub mod row_popover;
pub mod side_layout;
