//! Finding the server's conference services for the room directory, and
//! the answers of a service asked for its rooms.

use xmpp_parsers::jid::BareJid;
use xmpp_parsers::minidom::Element;

use super::RoomIq;
use crate::session::account::AccountActor;
use crate::session::{CoreError, Event};
use crate::xmpp::disco;
use crate::xmpp::message::new_id;
use crate::xmpp::muc::{directory, services};

/// A search for the server's conference services under way.
#[derive(Debug)]
pub(in crate::session::account) struct ServiceSearch {
    /// The id of its disco#items request; answers of older searches are
    /// ignored.
    pub id: String,
    /// The services asked about and not answered yet, in the server's order.
    pub waiting: Vec<BareJid>,
    /// The services asked about, in the server's order.
    pub asked: Vec<BareJid>,
    /// Those that host rooms.
    pub found: Vec<BareJid>,
}

impl AccountActor {
    /// `Command::FindRoomServices`: answer from what this session found, or
    /// ask the server. Offline, the answer is empty (the directory explains
    /// the account is offline when it browses).
    pub(super) async fn find_room_services(&mut self) {
        if let Some(services) = &self.rooms.services {
            self.emit(Event::RoomServices {
                account: self.jid.clone(),
                services: services.clone(),
            });
            return;
        }
        if !self.online {
            self.emit(Event::RoomServices {
                account: self.jid.clone(),
                services: Vec::new(),
            });
            return;
        }
        if self.rooms.service_search.is_some() {
            // One search answers every request.
            return;
        }
        let id = new_id();
        let server = BareJid::from_parts(None, self.jid.domain());
        self.rooms.service_search = Some(ServiceSearch {
            id: id.clone(),
            waiting: Vec::new(),
            asked: Vec::new(),
            found: Vec::new(),
        });
        self.expect_room_iq(id.clone(), RoomIq::ServiceItems { search: id.clone() });
        self.send(services::items_request(&id, &server).into())
            .await;
    }

    /// The server's items: ask each what it is.
    pub(super) async fn on_service_items(&mut self, search: &str, payload: Option<&Element>) {
        let items = services::service_items(payload);
        let Some(current) = self.rooms.service_search.as_mut() else {
            return;
        };
        if current.id != search {
            return;
        }
        current.waiting = items.clone();
        current.asked = items.clone();
        for service in items {
            let id = new_id();
            self.expect_room_iq(
                id.clone(),
                RoomIq::ServiceInfo {
                    search: search.to_owned(),
                    service: service.clone(),
                },
            );
            self.send(disco::info_request(&id, &service).into()).await;
        }
        self.finish_service_search();
    }

    /// One item's answer (`None` when it refused or is unreachable).
    pub(super) fn on_service_info(
        &mut self,
        search: &str,
        service: &BareJid,
        payload: Option<&Element>,
    ) {
        let Some(current) = self.rooms.service_search.as_mut() else {
            return;
        };
        if current.id != search {
            return;
        }
        current.waiting.retain(|s| s != service);
        if services::is_room_service(payload) {
            current.found.push(service.clone());
        }
        self.finish_service_search();
    }

    /// The search failed at the server: no services.
    pub(super) fn on_service_items_error(&mut self, search: &str, condition: &str) {
        if self
            .rooms
            .service_search
            .as_ref()
            .is_some_and(|s| s.id == search)
        {
            tracing::info!(account = %self.jid, condition, "Could not list the server's services");
            if let Some(current) = self.rooms.service_search.as_mut() {
                current.waiting.clear();
            }
            self.finish_service_search();
        }
    }

    /// Once every item has answered, tell the UI and remember the services.
    fn finish_service_search(&mut self) {
        let Some(current) = &self.rooms.service_search else {
            return;
        };
        if !current.waiting.is_empty() {
            return;
        }
        let Some(current) = self.rooms.service_search.take() else {
            return;
        };
        // In the server's order, not the order of the answers.
        let services: Vec<BareJid> = current
            .asked
            .into_iter()
            .filter(|s| current.found.contains(s))
            .collect();
        self.rooms.services = Some(services.clone());
        self.emit(Event::RoomServices {
            account: self.jid.clone(),
            services,
        });
    }

    /// `Command::BrowseRooms`: ask a service for a page of its rooms.
    pub(super) async fn browse_rooms(
        &mut self,
        service: BareJid,
        after: Option<String>,
        request: u32,
    ) {
        if !self.online {
            self.emit(Event::PublicRoomsFailed {
                account: self.jid.clone(),
                service,
                error: CoreError::Offline,
                request,
            });
            return;
        }
        let id = new_id();
        let iq = directory::rooms_request(&id, &service, after.as_deref());
        self.expect_room_iq(id, RoomIq::Browse { service, request });
        self.send(iq.into()).await;
    }

    /// A service refused to list its rooms (or could not be reached).
    pub(super) fn on_browse_error(&self, service: BareJid, request: u32, condition: String) {
        tracing::info!(account = %self.jid, %service, condition, "Could not list rooms");
        self.emit(Event::PublicRoomsFailed {
            account: self.jid.clone(),
            service,
            error: CoreError::ServerRefused { condition },
            request,
        });
    }
}
