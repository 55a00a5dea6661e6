//! Validates the files that install Warbler into a desktop: the desktop entry
//! and the AppStream metainfo (as the build script produces them from their
//! templates, for both app ids), the GSettings schema, the app icons, and the
//! Flatpak manifests with their vendored crate list.
//!
//! The validators are the freedesktop tools themselves: `desktop-file-validate`
//! (desktop-file-utils), `appstreamcli` (appstream) and `glib-compile-schemas`
//! (libglib2.0-bin).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The release app id; development builds append `.Devel`.
const BASE_ID: &str = "io.github.warbler_im.Warbler";
/// Both app ids the build script produces data files for.
const APP_IDS: [&str; 2] = [BASE_ID, "io.github.warbler_im.Warbler.Devel"];
/// The only permissions the Flatpak may ask for.
const FINISH_ARGS: [&str; 7] = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--socket=pulseaudio",
    "--filesystem=xdg-run/pipewire-0",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the build script writes the finished desktop and metainfo files.
fn generated(file: &str) -> PathBuf {
    Path::new(env!("OUT_DIR")).join("data").join(file)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("could not read {}: {error}", path.display()))
}

/// Runs a validator and returns its combined output; panics if it fails.
fn validate(program: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|error| panic!("could not run {program}: {error}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{program} rejects {}:\n{text}",
        file.display()
    );
    text
}

#[test]
fn desktop_entries_are_valid() {
    for app_id in APP_IDS {
        let path = generated(&format!("{app_id}.desktop"));
        assert!(
            path.exists(),
            "the build script did not produce {} (see its warnings)",
            path.display()
        );
        let output = validate("desktop-file-validate", &[], &path);
        assert!(
            !output.contains("error") && !output.contains("warning"),
            "desktop-file-validate complains about {app_id}.desktop:\n{output}"
        );
        let text = read(&path);
        let keys: BTreeMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
        assert_eq!(keys.get("Icon"), Some(&app_id));
        assert_eq!(keys.get("Exec"), Some(&"warbler %u"));
        assert_eq!(keys.get("MimeType"), Some(&"x-scheme-handler/xmpp;"));
        assert!(!text.contains('@'), "placeholder left in {app_id}.desktop");
        assert!(
            keys.contains_key("Comment[de]") && keys.contains_key("GenericName[de]"),
            "translations are not merged into {app_id}.desktop"
        );
    }
}

#[test]
fn metainfo_is_valid() {
    for app_id in APP_IDS {
        let path = generated(&format!("{app_id}.metainfo.xml"));
        assert!(
            path.exists(),
            "the build script did not produce {} (see its warnings)",
            path.display()
        );
        let output = validate("appstreamcli", &["validate", "--no-net"], &path);
        let problems: Vec<&str> = output
            .lines()
            .filter(|line| line.starts_with("E:") || line.starts_with("W:"))
            .collect();
        assert!(
            problems.is_empty(),
            "appstreamcli complains about {app_id}.metainfo.xml:\n{output}"
        );
        let text = read(&path);
        check_xml(&text, "component").unwrap_or_else(|error| panic!("{app_id}: {error}"));
        assert!(text.contains(&format!("<id>{app_id}</id>")));
        assert!(text.contains(&format!(
            r#"<launchable type="desktop-id">{app_id}.desktop</launchable>"#
        )));
        assert!(!text.contains('@'), "placeholder left in the metainfo");
        assert!(
            text.contains(r#"<summary xml:lang="de">"#),
            "translations are not merged into the metainfo"
        );
    }
}

#[test]
fn gsettings_schema_compiles() {
    let data = root().join("data");
    validate(
        "glib-compile-schemas",
        &["--strict", "--dry-run"],
        data.as_path(),
    );
}

#[test]
fn icons_are_svg_documents() {
    let icons = root().join("data/icons/hicolor");
    for (file, size) in [
        (format!("scalable/apps/{BASE_ID}.svg"), "128"),
        (format!("scalable/apps/{BASE_ID}.Devel.svg"), "128"),
        (format!("symbolic/apps/{BASE_ID}-symbolic.svg"), "16"),
    ] {
        let text = read(&icons.join(&file));
        let svg_tag = check_xml(&text, "svg").unwrap_or_else(|error| panic!("{file}: {error}"));
        for attribute in [
            format!(r#"width="{size}""#),
            format!(r#"height="{size}""#),
            format!(r#"viewBox="0 0 {size} {size}""#),
        ] {
            assert!(
                svg_tag.contains(&attribute),
                "{file}: the root lacks {attribute}"
            );
        }
    }
}

#[test]
fn xml_checker_rejects_broken_documents() {
    let good = r#"<?xml version="1.0"?><!-- c --><svg a="1" b='&amp;'><g/><t>x &lt; y</t></svg>"#;
    assert!(check_xml(good, "svg").is_ok());
    for bad in [
        "<svg><g></svg>",
        "<svg></svg><svg/>",
        "<svg a=1/>",
        r#"<svg a="1" a="2"/>"#,
        "<svg>&nbsp;</svg>",
        "<svg><!-- open </svg>",
        "<html/>",
        "",
    ] {
        assert!(check_xml(bad, "svg").is_err(), "accepted {bad:?}");
    }
}

#[test]
fn flatpak_manifests_are_pinned_and_confined() {
    for app_id in APP_IDS {
        let path = root().join(format!("flatpak/{app_id}.json"));
        let manifest =
            json::parse(&read(&path)).unwrap_or_else(|error| panic!("{app_id}.json: {error}"));
        let field = |name: &str| manifest.get(name).and_then(json::Value::as_str);
        assert_eq!(field("id"), Some(app_id));
        assert_eq!(field("command"), Some("warbler"));
        assert_eq!(field("runtime"), Some("org.gnome.Platform"));
        assert_eq!(field("sdk"), Some("org.gnome.Sdk"));
        let version = field("runtime-version").unwrap_or_default();
        assert!(
            !version.is_empty() && version.chars().all(|c| c.is_ascii_digit()),
            "{app_id}: the runtime must be a stable GNOME release, not {version:?}"
        );
        let strings = |value: Option<&json::Value>| -> Vec<String> {
            value
                .and_then(json::Value::as_array)
                .unwrap_or_default()
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        };
        assert!(
            strings(manifest.get("sdk-extensions"))
                .contains(&"org.freedesktop.Sdk.Extension.rust-stable".to_owned())
        );
        let finish_args = strings(manifest.get("finish-args"));
        let mut sorted = finish_args.clone();
        sorted.sort();
        sorted.dedup();
        let mut allowed: Vec<String> = FINISH_ARGS.iter().map(|&arg| arg.to_owned()).collect();
        allowed.sort();
        assert_eq!(
            finish_args.len(),
            sorted.len(),
            "{app_id}: repeated finish-args"
        );
        assert_eq!(sorted, allowed, "{app_id}: finish-args");

        let modules = manifest
            .get("modules")
            .and_then(json::Value::as_array)
            .unwrap_or_default();
        let warbler = modules
            .iter()
            .find(|module| module.get("name").and_then(json::Value::as_str) == Some("warbler"))
            .unwrap_or_else(|| panic!("{app_id}: no warbler module"));
        let commands = strings(warbler.get("build-commands")).join("\n");
        assert!(commands.contains("cargo build --release --offline"));
        for installed in [
            "/app/bin/".to_owned(),
            format!("{app_id}.desktop"),
            format!("{app_id}.metainfo.xml"),
            format!("{app_id}.svg"),
            format!("{app_id}-symbolic.svg"),
            "/app/share/glib-2.0/schemas".to_owned(),
            "/app/share/locale".to_owned(),
        ] {
            assert!(
                commands.contains(&installed),
                "{app_id}: nothing installs {installed}"
            );
        }
        let sources = warbler
            .get("sources")
            .and_then(json::Value::as_array)
            .unwrap_or_default();
        assert!(
            sources
                .iter()
                .any(|source| source.as_str() == Some("cargo-sources.json")),
            "{app_id}: the crates are not vendored from cargo-sources.json"
        );
        let env = warbler.get("build-options").and_then(|o| o.get("env"));
        assert_eq!(
            env.and_then(|e| e.get("CARGO_HOME"))
                .and_then(json::Value::as_str),
            Some("/run/build/warbler/cargo"),
            "{app_id}: CARGO_HOME must hold the vendored crates' configuration"
        );
        for options in [manifest.get("build-options"), warbler.get("build-options")] {
            let build_args = strings(options.and_then(|o| o.get("build-args")));
            assert!(
                !build_args.iter().any(|arg| arg.contains("network")),
                "{app_id}: the build must not need the network"
            );
        }
    }
}

#[test]
fn cargo_sources_match_cargo_lock() {
    // Every crates.io package of Cargo.lock, as name-version → checksum.
    let lock = read(&root().join("Cargo.lock"));
    let mut expected = BTreeMap::new();
    for package in lock.split("[[package]]").skip(1) {
        let value = |key: &str| {
            package.lines().find_map(|line| {
                line.strip_prefix(key)
                    .and_then(|rest| rest.strip_prefix(" = \""))
                    .and_then(|rest| rest.strip_suffix('"'))
            })
        };
        let Some(source) = value("source") else {
            continue;
        };
        let (Some(name), Some(version)) = (value("name"), value("version")) else {
            panic!("Cargo.lock: a package without name or version");
        };
        assert!(
            source.starts_with("registry+https://github.com/rust-lang/crates.io-index"),
            "{name} {version} is not from crates.io: the Flatpak cannot vendor it"
        );
        let checksum = value("checksum").unwrap_or_else(|| panic!("{name}: no checksum"));
        expected.insert(format!("{name}-{version}"), checksum.to_owned());
    }
    assert!(expected.len() > 100, "Cargo.lock was not parsed");

    let sources = json::parse(&read(&root().join("flatpak/cargo-sources.json")))
        .unwrap_or_else(|error| panic!("cargo-sources.json: {error}"));
    let mut archives = BTreeMap::new();
    let mut checksum_files = BTreeSet::new();
    let mut config = None;
    for source in sources.as_array().unwrap_or_default() {
        let field = |name: &str| source.get(name).and_then(json::Value::as_str);
        let dest = field("dest").unwrap_or_default();
        match (field("type"), field("dest-filename")) {
            (Some("archive"), _) => {
                let crate_dir = dest.strip_prefix("cargo/vendor/").unwrap_or_default();
                let url = field("url").unwrap_or_default();
                assert!(
                    url.starts_with("https://static.crates.io/crates/")
                        && url.ends_with(&format!("/{crate_dir}.crate")),
                    "{crate_dir}: unexpected download URL {url}"
                );
                let sha256 = field("sha256").unwrap_or_default().to_owned();
                archives.insert(crate_dir.to_owned(), sha256);
            }
            (Some("inline"), Some(".cargo-checksum.json")) => {
                let crate_dir = dest.strip_prefix("cargo/vendor/").unwrap_or_default();
                let checksum = expected.get(crate_dir).map(String::as_str).unwrap_or("?");
                assert!(
                    field("contents")
                        .unwrap_or_default()
                        .contains(&format!(r#""package": "{checksum}""#)),
                    "{crate_dir}: .cargo-checksum.json does not match Cargo.lock"
                );
                checksum_files.insert(crate_dir.to_owned());
            }
            (Some("inline"), Some("config.toml")) if dest == "cargo" => {
                config = field("contents").map(str::to_owned);
            }
            other => panic!("cargo-sources.json: unexpected source {other:?}"),
        }
    }
    assert_eq!(
        archives, expected,
        "flatpak/cargo-sources.json is stale: run flatpak/cargo-sources.py"
    );
    assert_eq!(
        checksum_files,
        expected.keys().cloned().collect::<BTreeSet<_>>()
    );
    let config = config.expect("cargo-sources.json has no cargo/config.toml");
    assert!(config.contains(r#"replace-with = "vendored-sources""#));
    assert!(config.contains(r#"directory = "cargo/vendor""#));
}

/// Checks that `text` is a well-formed XML document whose root element is
/// `root_name`, and returns the root's start tag. Enough XML for our own
/// data files: elements, attributes, comments, processing instructions,
/// CDATA and the predefined and numeric entities; no DTDs.
fn check_xml(text: &str, root_name: &str) -> Result<String, String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut root_tag = None;
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        let Some(open) = rest.find('<') else {
            check_text(rest, !stack.is_empty())?;
            break;
        };
        check_text(&rest[..open], !stack.is_empty())?;
        rest = &rest[open..];
        let (end_marker, skip) = if rest.starts_with("<!--") {
            ("-->", true)
        } else if rest.starts_with("<![CDATA[") {
            if stack.is_empty() {
                return Err("CDATA outside the root element".into());
            }
            ("]]>", true)
        } else if rest.starts_with("<?") {
            ("?>", true)
        } else if rest.starts_with("<!") {
            return Err("DTDs are not allowed".into());
        } else {
            (">", false)
        };
        let close = rest
            .find(end_marker)
            .ok_or_else(|| format!("unterminated markup: {:.30}", rest))?;
        let tag = &rest[1..close];
        rest = &rest[close + end_marker.len()..];
        if skip {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim_end() => {}
                Some(open) => return Err(format!("</{name}> closes <{open}>")),
                None => return Err(format!("</{name}> without a start tag")),
            }
            continue;
        }
        let empty = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
        let name = &tag[..name_end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.:".contains(c))
        {
            return Err(format!("bad element name in <{tag}>"));
        }
        check_attributes(&tag[name_end..]).map_err(|error| format!("<{name}>: {error}"))?;
        if stack.is_empty() {
            if root_tag.is_some() {
                return Err(format!("a second root element <{name}>"));
            }
            if name != root_name {
                return Err(format!("the root is <{name}>, not <{root_name}>"));
            }
            root_tag = Some(tag.to_owned());
        }
        if !empty {
            stack.push(name);
        }
    }
    if let Some(open) = stack.pop() {
        return Err(format!("<{open}> is not closed"));
    }
    root_tag.ok_or_else(|| "no root element".into())
}

/// Character data: only whitespace outside the root, valid entities inside.
fn check_text(text: &str, in_root: bool) -> Result<(), String> {
    if !in_root && !text.trim().is_empty() {
        return Err(format!(
            "text outside the root element: {:.30}",
            text.trim()
        ));
    }
    check_entities(text)
}

fn check_entities(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        let end = rest[amp..]
            .find(';')
            .ok_or("an unterminated entity reference")?;
        let entity = &rest[amp + 1..amp + end];
        let numeric = entity
            .strip_prefix("#x")
            .map(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .or_else(|| {
                entity
                    .strip_prefix('#')
                    .map(|dec| !dec.is_empty() && dec.chars().all(|c| c.is_ascii_digit()))
            });
        if numeric != Some(true) && !["amp", "lt", "gt", "quot", "apos"].contains(&entity) {
            return Err(format!("unknown entity &{entity};"));
        }
        rest = &rest[amp + end + 1..];
    }
    if text.contains('<') {
        return Err("a stray '<'".into());
    }
    Ok(())
}

/// `name="value"` pairs separated by whitespace, each name once.
fn check_attributes(mut rest: &str) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    loop {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            return Ok(());
        }
        if trimmed.len() == rest.len() {
            return Err("attributes must be separated by whitespace".into());
        }
        let eq = trimmed.find('=').ok_or("an attribute without a value")?;
        let name = trimmed[..eq].trim_end();
        if name.is_empty() || name.contains(char::is_whitespace) || !seen.insert(name) {
            return Err(format!("bad or repeated attribute {name:?}"));
        }
        let value = trimmed[eq + 1..].trim_start();
        let quote = value
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(|| format!("the value of {name} is not quoted"))?;
        let end = value[1..]
            .find(quote)
            .ok_or_else(|| format!("the value of {name} is not closed"))?;
        check_entities(&value[1..=end])?;
        rest = &value[end + 2..];
    }
}

/// A small JSON reader (RFC 8259), enough to inspect the Flatpak manifests.
mod json {
    use std::collections::BTreeMap;

    /// A parsed JSON value.
    #[derive(Debug, PartialEq)]
    pub enum Value {
        Null,
        Bool(bool),
        Number(f64),
        String(String),
        Array(Vec<Value>),
        Object(BTreeMap<String, Value>),
    }

    impl Value {
        /// The member `key` of an object.
        pub fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Object(members) => members.get(key),
                _ => None,
            }
        }

        pub fn as_str(&self) -> Option<&str> {
            match self {
                Value::String(text) => Some(text),
                _ => None,
            }
        }

        pub fn as_array(&self) -> Option<&[Value]> {
            match self {
                Value::Array(items) => Some(items),
                _ => None,
            }
        }
    }

    /// Parses a whole JSON document.
    pub fn parse(text: &str) -> Result<Value, String> {
        let mut parser = Parser {
            chars: text.char_indices().peekable(),
        };
        let value = parser.value()?;
        parser.whitespace();
        match parser.chars.next() {
            None => Ok(value),
            Some((at, _)) => Err(format!("trailing data at byte {at}")),
        }
    }

    struct Parser<'a> {
        chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    }

    impl Parser<'_> {
        fn whitespace(&mut self) {
            while self
                .chars
                .next_if(|(_, c)| matches!(c, ' ' | '\t' | '\n' | '\r'))
                .is_some()
            {}
        }

        fn expect(&mut self, expected: char) -> Result<(), String> {
            match self.chars.next() {
                Some((_, c)) if c == expected => Ok(()),
                Some((at, c)) => Err(format!("expected {expected:?} at byte {at}, found {c:?}")),
                None => Err(format!("expected {expected:?} at the end")),
            }
        }

        fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
            word.chars().try_for_each(|c| self.expect(c))?;
            Ok(value)
        }

        fn value(&mut self) -> Result<Value, String> {
            self.whitespace();
            match self.chars.peek().map(|&(_, c)| c) {
                Some('{') => self.object(),
                Some('[') => self.array(),
                Some('"') => self.string().map(Value::String),
                Some('t') => self.literal("true", Value::Bool(true)),
                Some('f') => self.literal("false", Value::Bool(false)),
                Some('n') => self.literal("null", Value::Null),
                Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
                Some(c) => Err(format!("unexpected {c:?}")),
                None => Err("unexpected end".into()),
            }
        }

        fn object(&mut self) -> Result<Value, String> {
            self.expect('{')?;
            let mut members = BTreeMap::new();
            self.whitespace();
            if self.chars.next_if(|&(_, c)| c == '}').is_some() {
                return Ok(Value::Object(members));
            }
            loop {
                self.whitespace();
                let key = self.string()?;
                self.whitespace();
                self.expect(':')?;
                let value = self.value()?;
                if members.insert(key.clone(), value).is_some() {
                    return Err(format!("repeated key {key:?}"));
                }
                self.whitespace();
                match self.chars.next() {
                    Some((_, ',')) => {}
                    Some((_, '}')) => return Ok(Value::Object(members)),
                    other => return Err(format!("expected ',' or '}}', found {other:?}")),
                }
            }
        }

        fn array(&mut self) -> Result<Value, String> {
            self.expect('[')?;
            let mut items = Vec::new();
            self.whitespace();
            if self.chars.next_if(|&(_, c)| c == ']').is_some() {
                return Ok(Value::Array(items));
            }
            loop {
                items.push(self.value()?);
                self.whitespace();
                match self.chars.next() {
                    Some((_, ',')) => {}
                    Some((_, ']')) => return Ok(Value::Array(items)),
                    other => return Err(format!("expected ',' or ']', found {other:?}")),
                }
            }
        }

        fn string(&mut self) -> Result<String, String> {
            self.expect('"')?;
            let mut text = String::new();
            loop {
                match self.chars.next().ok_or("unterminated string")?.1 {
                    '"' => return Ok(text),
                    '\\' => match self.chars.next().ok_or("unterminated escape")?.1 {
                        '"' => text.push('"'),
                        '\\' => text.push('\\'),
                        '/' => text.push('/'),
                        'b' => text.push('\u{8}'),
                        'f' => text.push('\u{c}'),
                        'n' => text.push('\n'),
                        'r' => text.push('\r'),
                        't' => text.push('\t'),
                        'u' => {
                            let hex: String = (0..4)
                                .filter_map(|_| self.chars.next())
                                .map(|(_, c)| c)
                                .collect();
                            let code = u32::from_str_radix(&hex, 16)
                                .map_err(|_| format!("bad escape \\u{hex}"))?;
                            // Surrogate pairs do not occur in our manifests.
                            text.push(char::from_u32(code).ok_or("a surrogate escape")?);
                        }
                        other => return Err(format!("bad escape \\{other}")),
                    },
                    c if u32::from(c) < 0x20 => {
                        return Err("a control character in a string".into());
                    }
                    c => text.push(c),
                }
            }
        }

        fn number(&mut self) -> Result<Value, String> {
            let mut text = String::new();
            while let Some((_, c)) = self
                .chars
                .next_if(|&(_, c)| c.is_ascii_digit() || "+-.eE".contains(c))
            {
                text.push(c);
            }
            text.parse()
                .map(Value::Number)
                .map_err(|_| format!("bad number {text}"))
        }
    }

    #[test]
    fn parses_and_rejects() {
        let value = parse(r#" {"a": [1, -2.5e1, "x\n\u00e9"], "b": {"c": null, "d": true}} "#);
        let value = value.expect("valid JSON");
        assert_eq!(
            value.get("a").and_then(Value::as_array).map(<[Value]>::len),
            Some(3)
        );
        for bad in [
            "",
            "{",
            "[1,]",
            r#"{"a" 1}"#,
            r#"{"a":1,"a":2}"#,
            "[1] 2",
            "\"\u{1}\"",
            "tru",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }
}
