//! Occupants whose nicknames have emoji in them. Prosody refuses such
//! nicknames in its own rooms, but other servers (and so rooms reached
//! through them) allow them, and RFC 7622 does: their presences and
//! messages must be shown, not dropped as unparsable addresses. The test
//! has Prosody deliver what such a room sends.

use warbler::model::{Direction, OccupantChange};
use warbler::session::Event;

use super::server;
use crate::support::core::{Client, body_of};
use crate::support::muc::room_jid;

const NICK: &str = "Bob 🐦";
const BODY: &str = "hello from a room that allows emoji";

#[tokio::test(flavor = "multi_thread")]
async fn occupants_with_emoji_in_their_nicknames_are_heard() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "lenient");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    alice.join_room(&room, "Alice").await;

    // Straight to Alice's sessions, as a room on such a server would send
    // them: Bob's presence, then a message from him.
    let output = server.shell_lua(&format!(
        "local st = require 'util.stanza'; \
         local from = '{room}/{NICK}'; \
         local presence = st.presence({{from = from, to = 'alice@localhost'}}) \
           :tag('x', {{xmlns = 'http://jabber.org/protocol/muc#user'}}) \
           :tag('item', {{affiliation = 'none', role = 'participant'}}):up():up(); \
         local message = st.message({{from = from, to = 'alice@localhost', type = 'groupchat', id = 'emoji-1'}}) \
           :tag('body'):text('{BODY}'):up(); \
         for _, session in pairs(prosody.hosts['localhost'].sessions['alice'].sessions) do \
           session.send(presence); session.send(message); \
         end; return 'sent'"
    ));
    assert!(output.contains("Result: sent"), "could not send: {output}");

    alice
        .wait(|e| {
            matches!(e, Event::OccupantChanged { change: OccupantChange::Updated { occupant }, .. }
                if occupant.nick == NICK)
        })
        .await;
    let event = alice.wait(|e| body_of(e) == Some(BODY)).await;
    let Event::MessageAdded { message } = event else {
        unreachable!()
    };
    assert_eq!(message.peer, room);
    assert_eq!(message.direction, Direction::Incoming);
    assert_eq!(message.room.expect("a room message").nick, NICK);
    alice.shutdown().await;
}
