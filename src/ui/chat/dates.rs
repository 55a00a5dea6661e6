//! Dates and times as the chat shows them: a message's time, the day
//! separators ("Today", "Yesterday", a weekday, a date) and the short
//! time of a chat in the chat list, all in local time.
//!
//! The local time zone is looked up once a minute, not per date: GLib
//! 2.74 drops its cached zone whenever `TZ` is unset and reads
//! `/etc/localtime` again for every local date, which was a noticeable
//! part of adding each message row during a flood.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use gettextrs::gettext;
use relm4::gtk::glib;
use warbler::model::Timestamp;

/// How long the local time zone is reused before it is looked up again,
/// so that a change of zone shows within a minute.
const ZONE_LIFETIME: Duration = Duration::from_secs(60);

thread_local! {
    /// The local time zone and when it was looked up.
    static LOCAL_ZONE: RefCell<Option<(glib::TimeZone, Instant)>> = const { RefCell::new(None) };
}

/// The local time zone, looked up at most once per [`ZONE_LIFETIME`].
fn local_zone() -> glib::TimeZone {
    LOCAL_ZONE.with_borrow_mut(|cached| {
        let now = Instant::now();
        match cached {
            Some((zone, since)) if now.duration_since(*since) < ZONE_LIFETIME => zone.clone(),
            _ => {
                let zone = glib::TimeZone::local();
                *cached = Some((zone.clone(), now));
                zone
            }
        }
    })
}

/// The local date and time of a timestamp.
fn local(ts: Timestamp) -> Option<glib::DateTime> {
    glib::DateTime::from_unix_utc(ts.0.div_euclid(1000))
        .ok()?
        .to_timezone(&local_zone())
        .ok()
}

/// The local date and time now.
fn now_local() -> Option<glib::DateTime> {
    glib::DateTime::now(&local_zone()).ok()
}

/// The local midnight that starts the day of `dt`.
fn start_of_day(dt: &glib::DateTime) -> Option<glib::DateTime> {
    glib::DateTime::new(
        &local_zone(),
        dt.year(),
        dt.month(),
        dt.day_of_month(),
        0,
        0,
        0.0,
    )
    .ok()
}

/// A calendar day (year, day of year) in local time.
pub fn local_day(ts: Timestamp) -> Option<(i32, i32)> {
    local(ts).map(|dt| (dt.year(), dt.day_of_year()))
}

/// "HH:MM" in local time.
pub fn format_time(ts: Timestamp) -> String {
    local(ts)
        .and_then(|dt| dt.format("%H:%M").ok())
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// How many days lie between the day of `ts` and today (0 = today).
fn days_ago(ts: Timestamp) -> Option<i64> {
    let then = start_of_day(&local(ts)?)?;
    let today = start_of_day(&now_local()?)?;
    Some(today.difference(&then).as_days())
}

/// The day separator text: "Today", "Yesterday", a weekday within the
/// last week, else the date.
pub fn day_label(ts: Timestamp) -> String {
    let Some(dt) = local(ts) else {
        return String::new();
    };
    let format = match days_ago(ts) {
        Some(0) => return gettext("Today"),
        Some(1) => return gettext("Yesterday"),
        // Translators: strftime format of a day separator within the last week, e.g. "Monday".
        Some(2..=6) => gettext("%A"),
        // Translators: strftime format of a day separator in this year, e.g. "Monday, 3 March".
        _ if now_local().is_some_and(|now| now.year() == dt.year()) => gettext("%A, %e %B"),
        // Translators: strftime format of a day separator in an older year.
        _ => gettext("%e %B %Y"),
    };
    dt.format(&format)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The time shown in the chat list: the time today, else "Yesterday" or
/// a short date.
pub fn format_list_time(ts: Timestamp) -> String {
    match days_ago(ts) {
        Some(0) => format_time(ts),
        Some(1) => gettext("Yesterday"),
        _ => local(ts)
            // Translators: strftime format of an older chat's date in the chat list.
            .and_then(|dt| dt.format(&gettext("%e %b")).ok())
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The timestamp of a local date and time.
    fn at(year: i32, month: i32, day: i32, hour: i32, minute: i32) -> Timestamp {
        let dt =
            glib::DateTime::from_local(year, month, day, hour, minute, 0.0).expect("a valid date");
        Timestamp(dt.to_unix() * 1000)
    }

    #[test]
    fn times_are_local_hours_and_minutes() {
        assert_eq!(format_time(at(2024, 3, 9, 7, 5)), "07:05");
        assert_eq!(format_time(at(2024, 3, 9, 23, 59)), "23:59");
    }

    #[test]
    fn days_change_at_local_midnight() {
        let evening = local_day(at(2024, 3, 9, 23, 59));
        let morning = local_day(at(2024, 3, 10, 0, 0));
        assert_eq!(evening, Some((2024, 69)));
        assert_eq!(morning, Some((2024, 70)));
    }

    #[test]
    fn recent_days_are_named() {
        let now = glib::DateTime::now_local().expect("the time now");
        let today = Timestamp(now.to_unix() * 1000);
        let yesterday = Timestamp(now.add_days(-1).expect("a day earlier").to_unix() * 1000);
        assert_eq!(days_ago(today), Some(0));
        assert_eq!(days_ago(yesterday), Some(1));
        assert_eq!(day_label(today), gettext("Today"));
        assert_eq!(day_label(yesterday), gettext("Yesterday"));
        assert_eq!(format_list_time(today), format_time(today));
    }

    #[test]
    fn older_days_show_their_date() {
        let label = day_label(at(2001, 2, 3, 12, 0));
        assert!(label.contains("2001"), "{label}");
    }
}
