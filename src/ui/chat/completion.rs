//! Nickname completion in the composer of a room: typing `@` and the start
//! of a nickname offers the matching occupants; picking one writes
//! `Nick: ` at the start of a line (the usual way to address someone) and
//! `Nick ` elsewhere.

/// The `@prefix` being typed at the end of `before_cursor`: the byte offset
/// of the `@` and the prefix after it. `None` when the cursor is not in a
/// word that starts with `@`.
pub fn mention_prefix(before_cursor: &str) -> Option<(usize, &str)> {
    let word_start = before_cursor
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before_cursor[word_start..];
    let prefix = word.strip_prefix('@')?;
    // An address ("bob@example.org") is not a mention.
    (!prefix.contains('@')).then_some((word_start, prefix))
}

/// What replaces `@prefix` when `nick` is picked; `at_line_start` tells
/// whether the `@` starts a line.
pub fn completion(nick: &str, at_line_start: bool) -> String {
    if at_line_start {
        format!("{nick}: ")
    } else {
        format!("{nick} ")
    }
}

/// Whether the byte offset `at` of `text` starts a line.
pub fn starts_line(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_none_or(|c| c == '\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(mention_prefix("@bo"), Some((0, "bo")));
        assert_eq!(mention_prefix("hi @"), Some((3, "")));
        assert_eq!(mention_prefix("hi @Zo"), Some((3, "Zo")));
        assert_eq!(mention_prefix("ça va @é"), Some((7, "é")));
        assert_eq!(mention_prefix("hi bob"), None);
        assert_eq!(mention_prefix("mail bob@example.org"), None);
        assert_eq!(mention_prefix("@bob "), None);
    }

    #[test]
    fn completions_address_at_line_start() {
        assert_eq!(completion("Bob", true), "Bob: ");
        assert_eq!(completion("Bob", false), "Bob ");
        assert!(starts_line("@b", 0));
        assert!(starts_line("hi\n@b", 3));
        assert!(!starts_line("hi @b", 3));
    }
}
