//! Translation helpers on top of gettext.
//!
//! Format strings use named placeholders (`"Hello {name}"`) so translators
//! can reorder them; [`gettext_f`] and [`ngettext_f`] fill them in.

use gettextrs::{gettext, ngettext};

use crate::config;

/// Set up the locale and the message catalog. Failures are logged: the UI
/// then simply shows the untranslated strings.
pub fn init() {
    gettextrs::setlocale(gettextrs::LocaleCategory::LcAll, "");
    if let Err(error) = gettextrs::bindtextdomain(config::GETTEXT_PACKAGE, config::LOCALEDIR) {
        tracing::warn!("Could not bind the text domain: {error}");
    }
    if let Err(error) = gettextrs::bind_textdomain_codeset(config::GETTEXT_PACKAGE, "UTF-8") {
        tracing::warn!("Could not set the text domain's codeset: {error}");
    }
    if let Err(error) = gettextrs::textdomain(config::GETTEXT_PACKAGE) {
        tracing::warn!("Could not set the text domain: {error}");
    }
}

/// Replace every `{key}` in `text` with its value.
fn fill(mut text: String, args: &[(&str, &str)]) -> String {
    for (key, value) in args {
        text = text.replace(&format!("{{{key}}}"), value);
    }
    text
}

/// Translate `msgid` and fill in its named placeholders.
///
/// `gettext_f("Hello {name}", &[("name", "Bob")])`
pub fn gettext_f(msgid: &str, args: &[(&str, &str)]) -> String {
    fill(gettext(msgid), args)
}

/// Translate a message with a plural form and fill in its placeholders
/// (the count itself is usually one of them).
pub fn ngettext_f(msgid: &str, msgid_plural: &str, n: u32, args: &[(&str, &str)]) -> String {
    fill(ngettext(msgid, msgid_plural, n), args)
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fills_named_placeholders_in_any_order() {
        assert_eq!(
            fill("{b} then {a} and {a}".to_owned(), &[("a", "1"), ("b", "2")]),
            "2 then 1 and 1"
        );
    }

    #[test]
    fn leaves_unknown_placeholders() {
        assert_eq!(fill("{x}".to_owned(), &[("y", "1")]), "{x}");
    }
}
