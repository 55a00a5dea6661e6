//! A modal window asking the user to fill in a data form (XEP-0004): room
//! configuration, room registration, ad-hoc commands. "Cancel" and a
//! primary button named by the caller; the form is checked before it is
//! submitted, with the problems shown next to their fields.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::gtk::glib;
use relm4::prelude::*;
use warbler::model::DataForm;

use crate::ui::widgets::data_form::DataFormView;

/// What the dialog is opened with.
#[derive(Debug)]
pub struct FormDialogInit {
    /// The window title, translated by the caller (e.g. "Room Settings");
    /// the form's own title is shown inside, as the server wrote it.
    pub title: String,
    /// The primary button's label, translated by the caller (e.g. "_Save");
    /// an underscore marks its mnemonic.
    pub submit_label: String,
    /// The form to fill in.
    pub form: DataForm,
}

/// Messages of the dialog.
#[derive(Debug)]
pub enum FormDialogInput {
    /// The primary button was pressed: check, then submit.
    Submit,
    /// "Cancel" or Escape.
    Cancel,
    /// The window was closed by other means (the window manager).
    Closed,
}

/// What the dialog answers, exactly once.
#[derive(Debug)]
pub enum FormDialogOutput {
    /// The user's answers as the `submit` form to send
    /// ([`DataForm::to_submit`] of the filled-in form).
    Submitted(DataForm),
    /// The user gave up; a room configuration is then cancelled.
    Cancelled,
}

/// The dialog.
pub struct FormDialog {
    window: adw::Window,
    view: DataFormView,
    /// Whether the output was sent: closing the window afterwards must not
    /// send `Cancelled` as well.
    answered: bool,
}

impl FormDialog {
    /// Send the answer (once) and close the window unless it is closing.
    fn finish(&mut self, output: FormDialogOutput, close: bool, sender: &ComponentSender<Self>) {
        if self.answered {
            return;
        }
        self.answered = true;
        // The parent may be gone already; nothing is left to tell then.
        let _ = sender.output(output);
        if close {
            self.window.close();
        }
    }
}

impl SimpleComponent for FormDialog {
    type Init = FormDialogInit;
    type Input = FormDialogInput;
    type Output = FormDialogOutput;
    type Root = adw::Window;
    type Widgets = ();

    fn init_root() -> adw::Window {
        adw::Window::builder()
            .modal(true)
            .destroy_with_parent(true)
            .default_width(480)
            .default_height(600)
            .build()
    }

    fn init(
        init: FormDialogInit,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        root.set_title(Some(&init.title));
        let view = DataFormView::new(init.form);

        let cancel = gtk::Button::with_mnemonic(&gettext("_Cancel"));
        let submit = gtk::Button::with_mnemonic(&init.submit_label);
        submit.add_css_class("suggested-action");
        let header = adw::HeaderBar::builder()
            .show_end_title_buttons(false)
            .show_start_title_buttons(false)
            .title_widget(&adw::WindowTitle::new(&init.title, ""))
            .build();
        header.pack_start(&cancel);
        header.pack_end(&submit);

        let clamp = adw::Clamp::builder()
            .maximum_size(600)
            .margin_top(12)
            .margin_bottom(24)
            .margin_start(12)
            .margin_end(12)
            .child(view.widget())
            .build();
        let scrolled = gtk::ScrolledWindow::builder()
            .hscrollbar_policy(gtk::PolicyType::Never)
            .vexpand(true)
            .child(&clamp)
            .build();
        let content = gtk::Box::new(gtk::Orientation::Vertical, 0);
        content.append(&header);
        content.append(&scrolled);
        root.set_content(Some(&content));
        root.set_default_widget(Some(&submit));

        let input = sender.input_sender().clone();
        cancel.connect_clicked(move |_| input.emit(FormDialogInput::Cancel));
        let input = sender.input_sender().clone();
        submit.connect_clicked(move |_| input.emit(FormDialogInput::Submit));
        let input = sender.input_sender().clone();
        root.connect_close_request(move |_| {
            input.emit(FormDialogInput::Closed);
            glib::Propagation::Proceed
        });
        let input = sender.input_sender().clone();
        let escape = gtk::Shortcut::new(
            gtk::ShortcutTrigger::parse_string("Escape"),
            Some(gtk::CallbackAction::new(move |_, _| {
                input.emit(FormDialogInput::Cancel);
                glib::Propagation::Stop
            })),
        );
        let shortcuts = gtk::ShortcutController::new();
        shortcuts.add_shortcut(escape);
        root.add_controller(shortcuts);

        let model = FormDialog {
            window: root.clone(),
            view,
            answered: false,
        };
        ComponentParts { model, widgets: () }
    }

    fn update(&mut self, msg: FormDialogInput, sender: ComponentSender<Self>) {
        match msg {
            FormDialogInput::Submit => {
                // Invalid answers stay in the dialog, marked, with the focus
                // on the first one to correct.
                if self.view.validate() {
                    let form = self.view.values().to_submit();
                    self.finish(FormDialogOutput::Submitted(form), true, &sender);
                }
            }
            FormDialogInput::Cancel => self.finish(FormDialogOutput::Cancelled, true, &sender),
            FormDialogInput::Closed => self.finish(FormDialogOutput::Cancelled, false, &sender),
        }
    }
}
