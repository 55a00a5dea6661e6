//! Which page request the "Browse Rooms" window waits for. Every request
//! gets a new number that its answer repeats, so an answer to an older
//! request (a "Load More" overtaken by another service or a fresh start
//! of the same one) is dropped instead of taken for the new page.

/// The request waited for, if any, and the last number given.
#[derive(Debug, Default)]
pub(super) struct PendingPage {
    /// The last request's number.
    last: u32,
    /// The number and cursor (`None`: the first page) of the request
    /// waited for.
    awaiting: Option<(u32, Option<String>)>,
}

impl PendingPage {
    /// Wait for a new request for the page after `after` (instead of any
    /// earlier one); returns its number, to send with it.
    pub(super) fn start(&mut self, after: Option<String>) -> u32 {
        self.last = self.last.wrapping_add(1);
        self.awaiting = Some((self.last, after));
        self.last
    }

    /// Stop waiting (the list starts over, or another account is picked).
    pub(super) fn forget(&mut self) {
        self.awaiting = None;
    }

    /// Whether a request is on its way.
    pub(super) fn is_waiting(&self) -> bool {
        self.awaiting.is_some()
    }

    /// An answer to `request` came: if it is the one waited for, stop
    /// waiting and return its cursor; else (stale) `None`.
    pub(super) fn answered(&mut self, request: u32) -> Option<Option<String>> {
        match &self.awaiting {
            Some((waited, _)) if *waited == request => self.awaiting.take().map(|(_, after)| after),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_awaited_answer_is_taken_once_with_its_cursor() {
        let mut pending = PendingPage::default();
        let first = pending.start(None);
        assert!(pending.is_waiting());
        assert_eq!(pending.answered(first), Some(None));
        assert!(!pending.is_waiting());
        assert_eq!(pending.answered(first), None, "a repeated answer is stale");
        let more = pending.start(Some("cursor".into()));
        assert_ne!(more, first);
        assert_eq!(pending.answered(more), Some(Some("cursor".into())));
    }

    #[test]
    fn an_overtaken_load_more_is_stale() {
        // "Load More" on one service, then the user starts over (another
        // service or the same one): the late page is not the new first.
        let mut pending = PendingPage::default();
        let load_more = pending.start(Some("page-2".into()));
        let restart = pending.start(None);
        assert_eq!(pending.answered(load_more), None);
        assert!(pending.is_waiting(), "still waiting for the new request");
        assert_eq!(pending.answered(restart), Some(None));
    }

    #[test]
    fn answers_after_forgetting_are_stale() {
        let mut pending = PendingPage::default();
        let request = pending.start(None);
        pending.forget();
        assert!(!pending.is_waiting());
        assert_eq!(pending.answered(request), None);
        // Numbers keep growing, so an old answer never matches a new one.
        assert_ne!(pending.start(None), request);
    }
}
