//! The state of the "Browse Rooms" window and how it talks to the core:
//! what the list area and the counter show, asking for a server's
//! conference services (offering each) and for a service's rooms a page
//! at a time, taking in the answers (or failures) for the request it waits
//! for (by its number, see [`super::pending`]), timing out
//! requests that get no answer, and asking to join a picked room.

use std::time::Duration;

use adw::prelude::*;
use gettextrs::gettext;
use relm4::prelude::*;
use relm4::{adw, gtk};
use warbler::model::BareJid;
use warbler::session::{Command, Event};

use super::{DirectoryCmd, DirectoryOutput, RoomDirectory, View};
use crate::i18n::ngettext_f;
use crate::ui::errors::directory_error;
use crate::ui::room::directory_list::{RoomItem, new_rooms, next_cursor};

/// How long to wait for a service before saying it did not answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

impl RoomDirectory {
    /// The account picked (the first one if the pick is out of range).
    pub(super) fn selected_account(&self) -> Option<BareJid> {
        self.accounts
            .get(self.account.selected() as usize)
            .or(self.accounts.first())
            .cloned()
    }

    /// The name of the list area's page to show.
    pub(super) fn page_name(&self) -> &'static str {
        match &self.view {
            View::Start => "start",
            View::Loading => "loading",
            View::Failed(_) => "error",
            View::Rooms if self.list.is_empty() => "empty",
            View::Rooms if self.visible == 0 => "no-match",
            View::Rooms => "list",
        }
    }

    /// "12 rooms", or "12 of 40 rooms" when the service has more.
    pub(super) fn count_text(&self) -> String {
        if self.view != View::Rooms || self.list.is_empty() {
            return String::new();
        }
        let shown = self.list.len();
        match self.total.filter(|total| *total > shown) {
            Some(total) => ngettext_f(
                // Translators: how many rooms of a service are loaded.
                "{shown} of {total} room",
                "{shown} of {total} rooms",
                total,
                &[("shown", &shown.to_string()), ("total", &total.to_string())],
            ),
            None => ngettext_f(
                "{count} room",
                "{count} rooms",
                shown,
                &[("count", &shown.to_string())],
            ),
        }
    }

    /// Take in how many rooms the search leaves and whether one is selected.
    pub(super) fn refresh_counts(&mut self) {
        self.visible = self.list.selection_model.n_items();
        self.selected = self.list.selection_model.selected() != gtk::INVALID_LIST_POSITION;
    }

    /// Forget the listed rooms (and which service they came from).
    pub(super) fn reset(&mut self, service: Option<BareJid>) {
        self.list.clear();
        self.listed.clear();
        self.browsing = service;
        self.pending.forget();
        self.next = None;
        self.total = None;
        self.refresh_counts();
    }

    /// Ask for the conference services of the picked account's server.
    pub(super) fn find_services(&mut self, sender: &ComponentSender<Self>) {
        let Some(account) = self.selected_account() else {
            return;
        };
        self.reset(None);
        self.set_services(Vec::new());
        self.view = View::Loading;
        let _ = sender.output(DirectoryOutput::Command(Command::FindRoomServices {
            account,
        }));
    }

    /// List the rooms of the service typed in, or say why it is not one.
    pub(super) fn browse_typed(&mut self, sender: &ComponentSender<Self>) {
        match self.service.text().trim().parse::<BareJid>() {
            Ok(service) if service.node().is_none() => self.browse(service, sender),
            _ => {
                self.reset(None);
                self.view = View::Failed(gettext(
                    "This is not the address of a service. Service addresses look like conference.example.org.",
                ));
            }
        }
    }

    /// Ask for the next page, unless one is on its way.
    pub(super) fn load_more(&mut self, sender: &ComponentSender<Self>) {
        if let (Some(service), Some(next), false) = (
            self.browsing.clone(),
            self.next.clone(),
            self.pending.is_waiting(),
        ) {
            self.request(service, Some(next), sender);
        }
    }

    /// One of the server's services was picked: list its rooms. The
    /// notification of filling the pick is not a pick (the first service
    /// is browsed then, unless the user typed another).
    pub(super) fn pick_service(&mut self, position: u32, sender: &ComponentSender<Self>) {
        if self.picked == Some(position) {
            return;
        }
        self.picked = Some(position);
        let Some(service) = self.services.get(position as usize).cloned() else {
            return;
        };
        if self.browsing.as_ref() == Some(&service) {
            return;
        }
        self.proposed = service.to_string();
        self.service.set_text(&self.proposed);
        self.browse(service, sender);
    }

    /// Offer `services` to pick from (the pick shows when there are
    /// several).
    fn set_services(&mut self, services: Vec<BareJid>) {
        let names: Vec<String> = services.iter().map(ToString::to_string).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.services = services;
        self.picked = (!self.services.is_empty()).then_some(0);
        self.service_pick
            .set_model(Some(&gtk::StringList::new(&names)));
        self.service_pick.set_visible(self.services.len() > 1);
    }

    /// The request numbered `request` got no answer in time: if it is
    /// still the one awaited, stop waiting (and say so if nothing is
    /// listed).
    pub(super) fn timed_out(&mut self, request: u32) {
        // Taking the answer stops the wait, whatever is shown.
        if self.pending.answered(request).is_some() && self.view == View::Loading {
            self.view = View::Failed(gettext(
                "The service did not answer. Check its address, or try again later.",
            ));
        }
    }

    /// List a service's rooms from the first page.
    fn browse(&mut self, service: BareJid, sender: &ComponentSender<Self>) {
        self.reset(Some(service.clone()));
        self.view = View::Loading;
        self.request(service, None, sender);
    }

    /// Ask for a page of a service's rooms (after a cursor), and time the
    /// request out if no answer comes.
    fn request(&mut self, service: BareJid, after: Option<String>, sender: &ComponentSender<Self>) {
        let Some(account) = self.selected_account() else {
            return;
        };
        let request = self.pending.start(after.clone());
        sender.oneshot_command(async move {
            tokio::time::sleep(ANSWER_TIMEOUT).await;
            DirectoryCmd::TimedOut(request)
        });
        let _ = sender.output(DirectoryOutput::Command(Command::BrowseRooms {
            account,
            service,
            after,
            request,
        }));
    }

    /// Take in the core's answers for the picked account and the service
    /// browsed; anything else is not for this window.
    pub(super) fn on_event(&mut self, event: Event, sender: &ComponentSender<Self>) {
        let current = self.selected_account();
        match event {
            Event::RoomServices { account, services } if Some(&account) == current.as_ref() => {
                self.set_services(services.clone());
                let typed = self.service.text().trim().to_owned();
                if !typed.is_empty() && typed != self.proposed {
                    // The user typed a service meanwhile: theirs counts.
                    if self.view == View::Loading && self.browsing.is_none() {
                        self.view = View::Start;
                    }
                    return;
                }
                match services.into_iter().next() {
                    Some(service) => {
                        self.proposed = service.to_string();
                        self.service.set_text(&self.proposed);
                        self.browse(service, sender);
                    }
                    None => {
                        self.proposed.clear();
                        self.service.set_text("");
                        self.view = View::Start;
                    }
                }
            }
            Event::PublicRooms {
                account,
                page,
                request,
            } if Some(&account) == current.as_ref()
                && self.browsing.as_ref() == Some(&page.service) =>
            {
                let Some(after) = self.pending.answered(request) else {
                    // An answer to an older request.
                    return;
                };
                let added = new_rooms(&mut self.listed, &page);
                self.next = next_cursor(after.as_deref(), &page, added.len());
                self.total = page.total;
                self.list
                    .extend_from_iter(added.into_iter().map(RoomItem::new));
                self.view = View::Rooms;
                self.refresh_counts();
            }
            Event::PublicRoomsFailed {
                account,
                service,
                error,
                request,
            } if Some(&account) == current.as_ref() && self.browsing.as_ref() == Some(&service) => {
                if self.pending.answered(request).is_none() {
                    return;
                }
                let text = directory_error(&service, &error);
                if self.list.is_empty() {
                    self.view = View::Failed(text);
                } else {
                    // The rooms listed so far stay; "Load More" may retry.
                    tracing::info!(%service, "Could not load more rooms: {error}");
                    self.toasts.add_toast(adw::Toast::new(&text));
                }
            }
            _ => {}
        }
    }

    /// Ask to join the room at a visible position (the "Join Room" dialog
    /// opens over the window).
    pub(super) fn join(&self, position: u32, sender: &ComponentSender<Self>) {
        let (Some(item), Some(account)) =
            (self.list.get_visible(position), self.selected_account())
        else {
            return;
        };
        let room = item.borrow().room.jid.clone();
        let _ = sender.output(DirectoryOutput::Join { account, room });
    }
}
