//! Checks the gettext setup: `po/POTFILES.in` is sorted and lists exactly the
//! files with translatable strings (found by scanning the tree), every
//! translation in `po/LINGUAS` compiles cleanly, and each one translates every
//! string of a template freshly extracted by `po/update-pot.sh`.
//!
//! Needs GNU gettext (xgettext, msgmerge, msgattrib, msgfmt) and perl.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The functions whose string-literal arguments xgettext extracts.
const KEYWORDS: [&str; 5] = ["gettext", "ngettext", "pgettext", "gettext_f", "ngettext_f"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("could not read {}: {error}", path.display()))
}

/// The non-empty, non-comment lines of a file in `po/`.
fn entries(file: &str) -> Vec<String> {
    read(&root().join("po").join(file))
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

fn linguas() -> Vec<String> {
    entries("LINGUAS")
        .iter()
        .flat_map(|line| line.split_whitespace())
        .map(str::to_owned)
        .collect()
}

/// Runs a program and returns its standard output; panics if it fails.
fn run(program: &str, args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|error| panic!("could not run {program}: {error}"));
    assert!(
        output.status.success(),
        "{program} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// All files below `dir`, as paths relative to the project root.
fn files_below(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("could not list {}: {error}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files_below(&path, found);
        } else {
            let relative = path.strip_prefix(root()).expect("below the root");
            found.push(relative.to_owned());
        }
    }
}

/// Whether Rust source calls one of the gettext functions with a string
/// literal. Comments, strings and character literals are skipped, so a
/// documentation example or a word inside a string does not count.
fn calls_gettext(source: &str) -> bool {
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &source[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if let Some(len) = string_literal_len(rest) {
            i += len;
        } else if bytes[i] == b'\'' {
            // A character literal ('x', '\'', '\u{..}') or a lifetime ('a).
            let inner = &rest[1..];
            i += if let Some(escape) = inner.strip_prefix('\\') {
                escape
                    .get(1..)
                    .and_then(|e| e.find('\''))
                    .map_or(1, |end| end + 4)
            } else {
                let c = inner.chars().next().map_or(0, char::len_utf8);
                if inner[c..].starts_with('\'') {
                    c + 2
                } else {
                    1
                }
            };
        } else if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..len];
            // Method calls (`.gettext(`) and definitions (`fn gettext_f(`) do not count.
            let before = source[..i].trim_end();
            if KEYWORDS.contains(&word) && !before.ends_with('.') && !before.ends_with("fn") {
                let after = rest[len..].trim_start();
                if let Some(argument) = after.strip_prefix('(')
                    && string_literal_len(argument.trim_start()).is_some()
                {
                    return true;
                }
            }
            i += len;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    false
}

/// The length of the string literal (`"…"`, `r"…"`, `r#"…"#`, `b"…"`) that
/// `text` starts with, if it starts with one.
fn string_literal_len(text: &str) -> Option<usize> {
    let unprefixed = text.strip_prefix('b').unwrap_or(text);
    let prefix = text.len() - unprefixed.len();
    if let Some(raw) = unprefixed.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let end = body.find(&format!("\"{}", "#".repeat(hashes)))?;
        return Some(prefix + 1 + hashes + 1 + end + 1 + hashes);
    }
    let body = unprefixed.strip_prefix('"')?;
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(prefix + 1 + at + 1),
            _ => {}
        }
    }
    Some(text.len())
}

#[test]
fn detects_gettext_calls() {
    assert!(calls_gettext(r#"let a = gettext("Hello");"#));
    assert!(calls_gettext("set_label: &gettext(\n    r#\"Raw\"#),"));
    assert!(calls_gettext(r#"ngettext("One", "{n} chats", n)"#));
    assert!(calls_gettext(
        r#"let c = '"'; let d = '\''; let s = i18n::gettext_f("Call {name}", &[("name", n)]);"#
    ));
    assert!(calls_gettext(
        r#"fn f<'a>(x: &'a str) -> String { pgettext("verb", "Call") }"#
    ));
    assert!(!calls_gettext(
        "/// Use `gettext_f(\"Hi {name}\", …)`\nfn gettext_f(format: &str) {}"
    ));
    assert!(!calls_gettext(
        r#"let s = gettext(format); // gettext("x")"#
    ));
    assert!(!calls_gettext(
        r#"let s = "gettext(\"x\")"; obj.gettext("y");"#
    ));
    assert!(!calls_gettext(
        r#"let s = my_gettext("x"); let t = gettextrs::gettext;"#
    ));
}

#[test]
fn potfiles_are_sorted_and_complete() {
    let listed = entries("POTFILES.in");
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        listed, sorted,
        "po/POTFILES.in must be sorted, without repeats"
    );
    for file in &listed {
        assert!(
            root().join(file).is_file(),
            "po/POTFILES.in lists {file}, which does not exist"
        );
    }

    let mut files = Vec::new();
    files_below(&root().join("src"), &mut files);
    files_below(&root().join("data"), &mut files);
    let expected: BTreeSet<String> = files
        .iter()
        .filter(|path| {
            let name = path.to_string_lossy();
            if name.ends_with(".rs") {
                calls_gettext(&read(&root().join(path)))
            } else if name.ends_with(".ui") {
                read(&root().join(path)).contains(r#"translatable="yes""#)
            } else {
                name.ends_with(".desktop.in")
                    || name.ends_with(".metainfo.xml.in")
                    || name.ends_with(".gschema.xml")
            }
        })
        .map(|path| path.to_string_lossy().replace('\\', "/"))
        .collect();
    let listed: BTreeSet<String> = listed.into_iter().collect();
    let missing: Vec<_> = expected.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "po/POTFILES.in is out of date:\n  add: {missing:?}\n  remove: {extra:?}"
    );
}

#[test]
fn translations_compile() {
    let languages = linguas();
    assert!(!languages.is_empty(), "po/LINGUAS lists no language");
    let mut sorted = languages.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        languages, sorted,
        "po/LINGUAS must be sorted, without repeats"
    );
    for lang in &languages {
        let po = format!("po/{lang}.po");
        run(
            "msgfmt",
            &[&"--check-format", &"-c", &"-o", &"/dev/null", &po],
        );
        // The build script compiled it for uninstalled runs.
        let mo = Path::new(env!("OUT_DIR")).join(format!("locale/{lang}/LC_MESSAGES/warbler.mo"));
        assert!(mo.is_file(), "the build script did not compile {po}");
    }
}

#[test]
fn translations_are_complete() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pot = dir.path().join("warbler.pot");
    run("sh", &[&"po/update-pot.sh", &"--pot-only", &pot]);
    let template = read(&pot);
    assert!(
        template.contains("msgid \"Chat and call over XMPP\""),
        "the fresh template misses the metainfo's strings"
    );
    for lang in linguas() {
        let merged = dir.path().join(format!("{lang}.po"));
        let po = format!("po/{lang}.po");
        run(
            "msgmerge",
            &[&"--quiet", &"--output-file", &merged, &po, &pot],
        );
        for (what, flag) in [
            ("untranslated", "--untranslated"),
            ("fuzzy", "--only-fuzzy"),
        ] {
            let left = run(
                "msgattrib",
                &[&flag, &"--no-obsolete", &"--no-wrap", &merged],
            );
            let msgids: Vec<&str> = left
                .lines()
                .filter(|line| line.starts_with("msgid \"") && *line != "msgid \"\"")
                .collect();
            assert!(
                msgids.is_empty(),
                "{po} has {what} strings (run po/update-pot.sh and translate them):\n{}",
                msgids.join("\n")
            );
        }
    }
}
