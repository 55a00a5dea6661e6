//! Room helpers for tests: a raw client joining and talking in a room as
//! another user would, and the core's room events.

use std::time::Duration;

use warbler::model::{BareJid, RoomState, RoomSummary};
use warbler::session::{Command, Event};
use xmpp_parsers::minidom::Element;

use super::core::Client;
use super::raw_client::RawClient;
use super::xml::escape;

const MUC: &str = "http://jabber.org/protocol/muc";
const MUC_USER: &str = "http://jabber.org/protocol/muc#user";

/// Whether a stanza is a presence from `room` carrying status `code`.
fn has_status(element: &Element, code: &str) -> bool {
    element.get_child("x", MUC_USER).is_some_and(|x| {
        x.children()
            .any(|c| c.name() == "status" && c.attr("code") == Some(code))
    })
}

impl RawClient {
    /// Enter `room` as `nick` (creating it as an instant room if needed)
    /// and wait for our own presence; returns it.
    pub async fn join_room(&mut self, room: &str, nick: &str) -> Element {
        let to = format!("{room}/{nick}");
        self.send(&format!(
            "<presence to='{}'><x xmlns='{MUC}'><history maxstanzas='0'/></x></presence>",
            escape(&to)
        ))
        .await;
        let own = self
            .wait_for(Duration::from_secs(10), |e| {
                e.name() == "presence"
                    && e.attr("from") == Some(to.as_str())
                    && (has_status(e, "110") || e.attr("type") == Some("error"))
            })
            .await
            .unwrap_or_else(|| panic!("{} could not join {room}", self.jid()));
        if has_status(&own, "201") {
            let answer = self
                .iq(
                    "set",
                    Some(room),
                    "<query xmlns='http://jabber.org/protocol/muc#owner'>\
                     <x xmlns='jabber:x:data' type='submit'/></query>",
                )
                .await;
            assert_eq!(answer.attr("type"), Some("result"), "instant room refused");
        }
        own
    }

    /// Give `room`, which we own, a name (its configuration's
    /// `muc#roomconfig_roomname`).
    pub async fn name_room(&mut self, room: &str, name: &str) {
        let answer = self
            .iq(
                "set",
                Some(room),
                &format!(
                    "<query xmlns='http://jabber.org/protocol/muc#owner'>\
                     <x xmlns='jabber:x:data' type='submit'>\
                     <field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>\
                     <field var='muc#roomconfig_roomname'><value>{}</value></field>\
                     </x></query>",
                    escape(name)
                ),
            )
            .await;
        assert_eq!(
            answer.attr("type"),
            Some("result"),
            "{room} refused its name"
        );
    }

    /// Say `body` in `room`; returns the message id.
    pub async fn say_in_room(&mut self, room: &str, body: &str) -> String {
        let id = format!("raw-{}", rand_suffix());
        self.send(&format!(
            "<message type='groupchat' to='{}' id='{id}'><body>{}</body></message>",
            escape(room),
            escape(body)
        ))
        .await;
        id
    }
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The address of room `local` on the test server's conference service.
pub fn room_jid(server: &super::TestServer, local: &str) -> BareJid {
    format!("{local}@{}", server.muc_domain())
        .parse()
        .expect("valid room address")
}

impl Client {
    /// Join `room` (bookmarked, instant if created) and wait until joined.
    pub async fn join_room(&mut self, room: &BareJid, nick: &str) -> RoomSummary {
        self.send(Command::JoinRoom {
            account: self.jid.clone(),
            room: room.clone(),
            nick: Some(nick.into()),
            password: None,
            bookmark: true,
            instant: true,
        });
        self.room_state(room, |s| *s == RoomState::Joined).await
    }

    /// Ask to join `room` without bookmarking it; a room this creates waits
    /// for its configuration (`Event::RoomForm`).
    pub fn ask_to_join(&self, room: &BareJid, nick: Option<&str>, password: Option<&str>) {
        self.send(Command::JoinRoom {
            account: self.jid.clone(),
            room: room.clone(),
            nick: nick.map(Into::into),
            password: password.map(Into::into),
            bookmark: false,
            instant: false,
        });
    }

    /// Wait for `room` to reach a state matching `want`; returns its summary.
    pub async fn room_state(
        &mut self,
        room: &BareJid,
        want: impl Fn(&RoomState) -> bool,
    ) -> RoomSummary {
        let event = self
            .wait(|e| matches!(e, Event::RoomUpdated { room: r } if r.room == *room && want(&r.state)))
            .await;
        match event {
            Event::RoomUpdated { room } => *room,
            _ => unreachable!("wait returns only what matches"),
        }
    }
}

/// Waiting for what others do in a room (for UI tests that watch the
/// window's user from a raw client).
impl RawClient {
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
                    && super::xml::body(e).is_some_and(|b| b.contains(token))
            })
            .await?;
        message
            .attr("from")
            .and_then(|f| f.strip_prefix(&prefix))
            .map(str::to_owned)
    }
}

/// Put `count` occupants (`member1` … `member{count}`, participants) into
/// `room` from inside the server, through its admin shell: benchmarks need
/// thousands, and that many network clients would measure the server.
pub fn add_fake_occupants(server: &super::TestServer, room: &str, count: usize) {
    let muc = server.muc_domain();
    for first in (1..=count).step_by(500) {
        let last = (first + 499).min(count);
        let output = server.shell_lua(&format!(
            "local st = require 'util.stanza'; \
             local room = prosody.hosts['{muc}'].modules.muc.get_room_from_jid('{room}'); \
             for i = {first}, {last} do \
               local real = 'member' .. i .. '@localhost/bench'; \
               local occupant = room:new_occupant('member' .. i .. '@localhost', '{room}/member' .. i); \
               occupant:set_session(real, st.presence({{from = real}})); \
               occupant.role = 'participant'; \
               room:save_occupant(occupant); \
             end; return 'done'"
        ));
        assert!(
            output.contains("Result: done"),
            "could not fill the room: {output}"
        );
    }
}
