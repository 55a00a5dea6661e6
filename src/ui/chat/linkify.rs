//! Turn a plain-text message body into Pango markup with clickable links.
//!
//! Every piece of text is escaped; only the links we detect ourselves
//! become `<a href>` elements, so a body can never inject markup.

use relm4::gtk::glib;

/// The schemes that become links.
const SCHEMES: [&str; 4] = ["https://", "http://", "xmpp:", "mailto:"];

/// One piece of a body.
#[derive(Debug, PartialEq, Eq)]
enum Segment<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// Split `text` into plain segments and links.
fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while i < text.len() {
        if let Some(len) = link_at(text, i) {
            if plain_start < i {
                out.push(Segment::Text(&text[plain_start..i]));
            }
            out.push(Segment::Link(&text[i..i + len]));
            i += len;
            plain_start = i;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if plain_start < text.len() {
        out.push(Segment::Text(&text[plain_start..]));
    }
    out
}

/// The length of a link starting at byte `at`, if one starts there.
fn link_at(text: &str, at: usize) -> Option<usize> {
    // A link starts at a word boundary.
    if let Some(prev) = text[..at].chars().next_back()
        && (prev.is_alphanumeric() || prev == '/' || prev == '@')
    {
        return None;
    }
    let rest = &text[at..];
    let scheme = SCHEMES.iter().find(|scheme| {
        rest.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    })?;
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
        .unwrap_or(rest.len());
    let mut candidate = &rest[..end];
    // Trailing punctuation belongs to the sentence, and a closing
    // parenthesis only to the link if it opened one.
    loop {
        let trimmed = candidate.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == candidate.len() {
            break;
        }
        candidate = trimmed;
    }
    (candidate.len() > scheme.len()).then_some(candidate.len())
}

/// Pango markup for a plain-text body: escaped text with links.
pub fn linkify(text: &str) -> String {
    let mut markup = String::with_capacity(text.len() + 16);
    for segment in segments(text) {
        match segment {
            Segment::Text(plain) => markup.push_str(&glib::markup_escape_text(plain)),
            Segment::Link(url) => {
                let escaped = glib::markup_escape_text(url);
                markup.push_str(&format!("<a href=\"{escaped}\">{escaped}</a>"));
            }
        }
    }
    markup
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(linkify("a <b> & \"c\""), "a &lt;b&gt; &amp; &quot;c&quot;");
    }

    #[test]
    fn links_are_wrapped() {
        assert_eq!(
            linkify("see https://example.org/a?b=1&c=2."),
            "see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>."
        );
    }

    #[test]
    fn all_schemes() {
        let segs = segments("xmpp:bob@example.org?message mailto:a@b.c http://x.y HTTPS://Z.org");
        let links: Vec<_> = segs
            .iter()
            .filter_map(|s| match s {
                Segment::Link(l) => Some(*l),
                Segment::Text(_) => None,
            })
            .collect();
        assert_eq!(
            links,
            [
                "xmpp:bob@example.org?message",
                "mailto:a@b.c",
                "http://x.y",
                "HTTPS://Z.org"
            ]
        );
    }

    #[test]
    fn parentheses_and_punctuation() {
        assert_eq!(
            segments("(see https://en.wikipedia.org/wiki/Foo_(bar)), ok"),
            [
                Segment::Text("(see "),
                Segment::Link("https://en.wikipedia.org/wiki/Foo_(bar)"),
                Segment::Text("), ok"),
            ]
        );
    }

    #[test]
    fn no_link_inside_words_or_bare_scheme() {
        assert_eq!(segments("foohttp://x.y"), [Segment::Text("foohttp://x.y")]);
        assert_eq!(
            segments("http:// is a scheme"),
            [Segment::Text("http:// is a scheme")]
        );
    }

    #[test]
    fn quotes_cannot_break_out_of_href() {
        let markup = linkify("https://e.org/\"onclick=x");
        assert!(markup.starts_with("<a href=\"https://e.org/\">"));
        assert!(markup.ends_with("&quot;onclick=x"));
    }

    #[test]
    fn unicode_text_around_links() {
        assert_eq!(
            linkify("héllo https://ü.example 👋"),
            "héllo <a href=\"https://ü.example\">https://ü.example</a> 👋"
        );
    }
}
