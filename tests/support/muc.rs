//! Multi-user chat for the raw test client: join a room (creating and
//! unlocking it if needed), send to it, and wait for its traffic.

use std::time::Duration;

use xmpp_parsers::minidom::Element;

use super::raw_client::{RawClient, next_id};
use super::xml::{self, escape};

const NS_MUC: &str = "http://jabber.org/protocol/muc";
const NS_MUC_USER: &str = "http://jabber.org/protocol/muc#user";
const NS_MUC_OWNER: &str = "http://jabber.org/protocol/muc#owner";

/// The status codes (`<status code=…/>`) of a MUC presence.
fn status_codes(presence: &Element) -> Vec<String> {
    presence
        .get_child("x", NS_MUC_USER)
        .map(|x| {
            x.children()
                .filter(|c| c.name() == "status")
                .filter_map(|c| c.attr("code").map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl RawClient {
    /// Join `room` (a bare room address) as `nick` without history, wait
    /// for our own presence (status 110), and if the room was created by
    /// us (status 201) accept the default configuration so others may join.
    /// Panics when the room refuses.
    pub async fn join_room(&mut self, room: &str, nick: &str) {
        let occupant = format!("{room}/{nick}");
        self.send(&format!(
            "<presence to='{}'><x xmlns='{NS_MUC}'><history maxstanzas='0'/></x></presence>",
            escape(&occupant)
        ))
        .await;
        let own = self
            .wait_for(Duration::from_secs(10), |e| {
                e.name() == "presence"
                    && e.attr("from") == Some(occupant.as_str())
                    && (e.attr("type") == Some("error")
                        || status_codes(e).iter().any(|c| c == "110"))
            })
            .await
            .unwrap_or_else(|| panic!("{}: no answer joining {occupant}", self.jid()));
        assert_ne!(
            own.attr("type"),
            Some("error"),
            "{} could not join {occupant}: {}",
            self.jid(),
            String::from(&own)
        );
        if status_codes(&own).iter().any(|c| c == "201") {
            let answer = self
                .iq(
                    "set",
                    Some(room),
                    &format!(
                        "<query xmlns='{NS_MUC_OWNER}'>\
                         <x xmlns='jabber:x:data' type='submit'/></query>"
                    ),
                )
                .await;
            assert_eq!(
                answer.attr("type"),
                Some("result"),
                "unlocking {room}: {}",
                String::from(&answer)
            );
        }
    }

    /// Send a groupchat message to `room`; returns its id.
    pub async fn send_groupchat(&mut self, room: &str, body: &str) -> String {
        let id = next_id();
        self.send(&format!(
            "<message type='groupchat' to='{}' id='{id}'><body>{}</body></message>",
            escape(room),
            escape(body)
        ))
        .await;
        id
    }

    /// Wait up to `timeout` for a presence of `nick` entering `room`
    /// (available, not an error).
    pub async fn wait_for_occupant(&mut self, room: &str, nick: &str, timeout: Duration) -> bool {
        let occupant = format!("{room}/{nick}");
        self.wait_for(timeout, |e| {
            e.name() == "presence"
                && e.attr("from") == Some(occupant.as_str())
                && e.attr("type").is_none()
        })
        .await
        .is_some()
    }

    /// Wait up to `timeout` for a groupchat message from `room` whose body
    /// contains `token`; returns the sender's nickname.
    pub async fn wait_for_groupchat(
        &mut self,
        room: &str,
        token: &str,
        timeout: Duration,
    ) -> Option<String> {
        let prefix = format!("{room}/");
        let message = self
            .wait_for(timeout, |e| {
                e.name() == "message"
                    && e.attr("type") == Some("groupchat")
                    && e.attr("from").is_some_and(|f| f.starts_with(&prefix))
                    && xml::body(e).is_some_and(|b| b.contains(token))
            })
            .await?;
        message
            .attr("from")
            .and_then(|f| f.strip_prefix(&prefix))
            .map(str::to_owned)
    }
}
