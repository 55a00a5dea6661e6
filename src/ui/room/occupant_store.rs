//! The occupants of every joined room, kept by the UI from
//! `RoomOccupants` (full replace) and `OccupantChanged` (one change), so a
//! room opened later still shows who is in it.

use std::collections::HashMap;

use warbler::model::{Occupant, OccupantChange};

use crate::ui::ChatKey;

/// Occupants per room, by nickname.
#[derive(Debug, Default)]
pub struct OccupantStore {
    rooms: HashMap<ChatKey, HashMap<String, Occupant>>,
}

impl OccupantStore {
    /// Replace a room's occupants.
    pub fn replace(&mut self, key: ChatKey, occupants: Vec<Occupant>) {
        let by_nick = occupants
            .into_iter()
            .map(|occupant| (occupant.nick.clone(), occupant))
            .collect();
        self.rooms.insert(key, by_nick);
    }

    /// Apply one change; returns whether the occupant (under the nickname
    /// the change names first) was in the room before.
    pub fn apply(&mut self, key: &ChatKey, change: &OccupantChange) -> bool {
        let room = self.rooms.entry(key.clone()).or_default();
        match change {
            OccupantChange::Updated { occupant } => room
                .insert(occupant.nick.clone(), occupant.clone())
                .is_some(),
            OccupantChange::Renamed { old_nick, occupant } => {
                let known = room.remove(old_nick).is_some();
                room.insert(occupant.nick.clone(), occupant.clone());
                known
            }
            OccupantChange::Left { nick, .. } => room.remove(nick).is_some(),
        }
    }

    /// A room's occupants, in no particular order.
    pub fn occupants(&self, key: &ChatKey) -> Vec<Occupant> {
        self.rooms
            .get(key)
            .map(|room| room.values().cloned().collect())
            .unwrap_or_default()
    }

    /// A room's occupant by nickname.
    pub fn get(&self, key: &ChatKey, nick: &str) -> Option<&Occupant> {
        self.rooms.get(key).and_then(|room| room.get(nick))
    }

    /// The nicknames in a room that start with `prefix` (any case), sorted,
    /// at most `limit`.
    pub fn complete(&self, key: &ChatKey, prefix: &str, limit: usize) -> Vec<String> {
        let prefix = prefix.to_lowercase();
        let mut nicks: Vec<String> = self
            .rooms
            .get(key)
            .map(|room| {
                room.keys()
                    .filter(|nick| nick.to_lowercase().starts_with(&prefix))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        nicks.sort_by_key(|nick| nick.to_lowercase());
        nicks.truncate(limit);
        nicks
    }

    /// Forget a room (left or removed).
    pub fn remove(&mut self, key: &ChatKey) {
        self.rooms.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::{Affiliation, BareJid, PresenceShow, Role, RoomExit};

    fn occupant(nick: &str) -> Occupant {
        Occupant {
            nick: nick.into(),
            real_jid: None,
            occupant_id: None,
            role: Role::Participant,
            affiliation: Affiliation::None,
            show: PresenceShow::Available,
            status: None,
        }
    }

    fn key() -> ChatKey {
        let jid = |s: &str| s.parse::<BareJid>().expect("valid JID");
        (jid("alice@example.org"), jid("team@conference.example.org"))
    }

    #[test]
    fn changes_update_the_room() {
        let mut store = OccupantStore::default();
        store.replace(key(), vec![occupant("Bob"), occupant("alice")]);
        let carol = OccupantChange::Updated {
            occupant: occupant("Carol"),
        };
        assert!(!store.apply(&key(), &carol), "Carol is new");
        assert!(store.apply(&key(), &carol), "Carol is known now");
        let renamed = OccupantChange::Renamed {
            old_nick: "Bob".into(),
            occupant: occupant("Robert"),
        };
        assert!(store.apply(&key(), &renamed));
        assert!(store.get(&key(), "Bob").is_none());
        assert!(store.get(&key(), "Robert").is_some());
        let left = OccupantChange::Left {
            nick: "Carol".into(),
            exit: RoomExit::Left,
        };
        assert!(store.apply(&key(), &left));
        assert_eq!(store.occupants(&key()).len(), 2);
    }

    #[test]
    fn completion_is_case_insensitive_and_sorted() {
        let mut store = OccupantStore::default();
        store.replace(
            key(),
            vec![occupant("bobby"), occupant("Bob"), occupant("Carol")],
        );
        assert_eq!(store.complete(&key(), "BO", 5), vec!["Bob", "bobby"]);
        assert_eq!(store.complete(&key(), "bo", 1), vec!["Bob"]);
        assert!(store.complete(&key(), "x", 5).is_empty());
    }
}
