//! Build script: compiles the GResource bundle and the GSettings schema from
//! `data/`, and passes the build-time constants (app id, profile, locale
//! directory) to the binary through `env!`.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let profile = std::env::var("WARBLER_PROFILE").unwrap_or_else(|_| {
        if std::env::var("PROFILE").as_deref() == Ok("release") {
            "default".to_owned()
        } else {
            "development".to_owned()
        }
    });
    let base_id = "io.github.warbler_im.Warbler";
    let app_id = if profile == "development" {
        format!("{base_id}.Devel")
    } else {
        base_id.to_owned()
    };
    let prefix = std::env::var("WARBLER_PREFIX").unwrap_or_else(|_| "/usr/local".to_owned());
    let localedir =
        std::env::var("WARBLER_LOCALEDIR").unwrap_or_else(|_| format!("{prefix}/share/locale"));

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
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
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
}
