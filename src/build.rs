//! Build script: compiles the GResource bundle and the GSettings schema from
//! `data/`, compiles the translations in `po/`, produces the desktop entry and
//! the AppStream metainfo from their templates, and passes the build-time
//! constants (app id, profile, locale directory) to the binary through `env!`.
//!
//! Everything generated lands in `OUT_DIR`:
//!
//! - `schemas/` — the compiled GSettings schema, for uninstalled runs;
//! - `locale/<lang>/LC_MESSAGES/warbler.mo` — one catalogue per language in
//!   `po/LINGUAS`; development builds read them from there, so `cargo run`
//!   is translated without installing anything;
//! - `data/<app id>.desktop` and `data/<app id>.metainfo.xml` — for both the
//!   release and the development app id, translated; installers copy them
//!   from here and the tests validate them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The app id of release builds; development builds append `.Devel`.
const BASE_ID: &str = "io.github.warbler_im.Warbler";
/// The gettext domain: the name of the `.mo` files and of `po/<domain>.pot`.
const DOMAIN: &str = "warbler";

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let profile = std::env::var("WARBLER_PROFILE").unwrap_or_else(|_| {
        if std::env::var("PROFILE").as_deref() == Ok("release") {
            "default".to_owned()
        } else {
            "development".to_owned()
        }
    });
    let app_id = app_id_of(&profile);
    let prefix = std::env::var("WARBLER_PREFIX").unwrap_or_else(|_| "/usr/local".to_owned());
    let locale_out = out.join("locale");
    let localedir = std::env::var("WARBLER_LOCALEDIR").unwrap_or_else(|_| {
        if profile == "development" {
            locale_out.display().to_string()
        } else {
            format!("{prefix}/share/locale")
        }
    });

    println!("cargo:rustc-env=WARBLER_APP_ID={app_id}");
    println!("cargo:rustc-env=WARBLER_PROFILE={profile}");
    println!("cargo:rustc-env=WARBLER_LOCALEDIR={localedir}");
    for var in ["WARBLER_PROFILE", "WARBLER_PREFIX", "WARBLER_LOCALEDIR"] {
        println!("cargo:rerun-if-env-changed={var}");
    }

    glib_build_tools::compile_resources(
        &["data/resources"],
        "data/resources/resources.gresource.xml",
        "warbler.gresource",
    );

    // Compile the schema next to the build output so uninstalled builds
    // (cargo run, tests) find it; installed builds use the system's.
    let schema_dir = out.join("schemas");
    std::fs::create_dir_all(&schema_dir).expect("create schema dir");
    let schema = "data/io.github.warbler_im.Warbler.gschema.xml";
    std::fs::copy(
        schema,
        schema_dir.join("io.github.warbler_im.Warbler.gschema.xml"),
    )
    .expect("copy schema");
    let status = Command::new("glib-compile-schemas")
        .arg("--strict")
        .arg(&schema_dir)
        .status()
        .expect("run glib-compile-schemas (package libglib2.0-bin)");
    assert!(status.success(), "glib-compile-schemas failed");
    println!(
        "cargo:rustc-env=WARBLER_SCHEMA_DIR={}",
        schema_dir.display()
    );
    println!("cargo:rerun-if-changed={schema}");
    println!("cargo:rerun-if-changed=data/resources");

    // Translations and data files are not needed to compile the program: a
    // broken one is reported as a warning here, and fails the tests.
    println!("cargo:rerun-if-changed=po");
    compile_translations(&locale_out);
    for profile in ["default", "development"] {
        generate_data_files(&app_id_of(profile), &out.join("data"));
    }
}

/// The app id of a build profile.
fn app_id_of(profile: &str) -> String {
    if profile == "development" {
        format!("{BASE_ID}.Devel")
    } else {
        BASE_ID.to_owned()
    }
}

/// The languages listed in `po/LINGUAS`, one or more per line.
fn linguas() -> Vec<String> {
    let text = std::fs::read_to_string("po/LINGUAS").unwrap_or_default();
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .flat_map(str::split_whitespace)
        .map(str::to_owned)
        .collect()
}

/// Runs a gettext tool; a failure becomes a build warning.
fn run(what: &str, command: &mut Command) -> bool {
    match command.output() {
        Ok(output) if output.status.success() => true,
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            for line in stderr.lines() {
                println!("cargo:warning=Could not {what}: {line}");
            }
            false
        }
        Err(error) => {
            println!("cargo:warning=Could not {what}: {error} (is GNU gettext installed?)");
            false
        }
    }
}

/// Compiles `po/<lang>.po` into `<locale_out>/<lang>/LC_MESSAGES/warbler.mo`.
fn compile_translations(locale_out: &Path) {
    for lang in linguas() {
        let dir = locale_out.join(&lang).join("LC_MESSAGES");
        std::fs::create_dir_all(&dir).expect("create locale dir");
        run(
            &format!("compile the {lang} translation"),
            Command::new("msgfmt")
                .arg("--check")
                .arg("--output-file")
                .arg(dir.join(format!("{DOMAIN}.mo")))
                .arg(format!("po/{lang}.po")),
        );
    }
}

/// Replaces the `@…@` placeholders of a data file template.
fn substitute(template: &str, app_id: &str) -> String {
    template.replace("@APP_ID@", app_id)
}

/// Writes `<app id>.desktop` and `<app id>.metainfo.xml` into `dir`: the
/// templates from `data/` with their placeholders substituted and the
/// translations from `po/` merged in.
fn generate_data_files(app_id: &str, dir: &Path) {
    let templates = dir.join("templates");
    std::fs::create_dir_all(&templates).expect("create data dir");
    for (kind, suffix, msgfmt_mode) in [
        ("desktop entry", "desktop", "--desktop"),
        ("metainfo", "metainfo.xml", "--xml"),
    ] {
        let source = format!("data/{BASE_ID}.{suffix}.in");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).expect("read a data file template");
        // msgfmt finds the ITS rules of a metainfo file by its name.
        let template = templates.join(format!("{app_id}.{suffix}.in"));
        std::fs::write(&template, substitute(&text, app_id)).expect("write a data file");
        let target = dir.join(format!("{app_id}.{suffix}"));
        let _ = std::fs::remove_file(&target);
        run(
            &format!("translate the {kind} of {app_id}"),
            Command::new("msgfmt")
                .arg(msgfmt_mode)
                .arg("--template")
                .arg(&template)
                .arg("-d")
                .arg("po")
                .arg("--output-file")
                .arg(&target),
        );
    }
}
