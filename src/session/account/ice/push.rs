//! Services the server pushes (XEP-0215 §3.2): accepted from the account's
//! own server only, acknowledged, and applied to the known services, so
//! the next call uses them without waiting for the next fetch.

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::Jid;
use xmpp_parsers::minidom::Element;

use super::super::AccountActor;
use super::refresh_delay;
use crate::xmpp::disco;
use crate::xmpp::extdisco;

impl AccountActor {
    /// An `<iq type='set'/>` with a `<services/>` payload.
    pub(in crate::session::account) async fn on_ice_push(
        &mut self,
        from: Option<Jid>,
        id: String,
        payload: Element,
    ) {
        if !self.answered_by_server(from.as_ref()) {
            // Only our server knows our relays; anyone else could steer
            // our calls through a relay of theirs. The refusal is the one
            // for an unsupported request, so it tells the sender nothing.
            tracing::warn!(account = %self.jid, ?from, "Refused a service push from a stranger");
            self.send(disco::refuse(from, &id).into()).await;
            return;
        }
        let Some(changes) = extdisco::parse_push(&payload) else {
            self.send(disco::refuse(from, &id).into()).await;
            return;
        };
        let reply = Iq::Result {
            from: None,
            to: from,
            id,
            payload: None,
        };
        self.send(reply.into()).await;

        let mut changed = extdisco::apply_push(&mut self.ice.services, &changes);
        // A credentials request on its way answers for the list it was
        // asked for: that list must learn of the push too.
        if !self.ice.awaiting_credentials.is_empty() {
            changed |= extdisco::apply_push(&mut self.ice.awaiting_credentials, &changes);
        }
        if !changed {
            return;
        }
        tracing::info!(account = %self.jid, changes = changes.len(),
            "The server pushed changed STUN/TURN servers");
        if self.ice.awaiting_credentials.is_empty() {
            self.ask_pushed_credentials().await;
        }
        if let Some(delay) = refresh_delay(&self.ice.services, crate::model::Timestamp::now()) {
            self.ice.schedule_refresh(delay);
        }
    }

    /// A pushed relay may be restricted and come without credentials: ask
    /// for them unless a fetch is under way (its answer brings them).
    async fn ask_pushed_credentials(&mut self) {
        if self.ice.fetching {
            return;
        }
        let services = self.ice.services.clone();
        if self.ask_credentials(services).await.is_none() {
            self.ice.fetching = true;
        }
    }
}
