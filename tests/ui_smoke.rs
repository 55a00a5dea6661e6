//! UI smoke test: runs the real `warbler` binary in its own X server and
//! D-Bus session and drives it over AT-SPI with `tests/ui/smoke.py`,
//! which finds widgets by their accessible names and writes screenshots to
//! `tests/screenshots/`.
//!
//! Needs `xvfb-run`, `dbus-run-session`, ImageMagick and python3 with the
//! AT-SPI GObject bindings; without them the test is skipped with a note.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A Python interpreter that can import the AT-SPI bindings.
fn python_with_atspi() -> Option<PathBuf> {
    ["/usr/bin/python3", "python3"]
        .into_iter()
        .map(PathBuf::from)
        .find(|python| {
            Command::new(python)
                .args([
                    "-c",
                    "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi",
                ])
                .output()
                .is_ok_and(|out| out.status.success())
        })
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn sign_in_page_shortcuts_and_dark_style() {
    let missing: Vec<&str> = ["xvfb-run", "dbus-run-session", "import", "convert"]
        .into_iter()
        .filter(|tool| !have(tool))
        .collect();
    let Some(python) = python_with_atspi() else {
        eprintln!("skipped: python3 with gir1.2-atspi-2.0 is not installed");
        return;
    };
    if !missing.is_empty() {
        eprintln!("skipped: missing {}", missing.join(", "));
        return;
    }

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shots = root.join("tests/screenshots");
    std::fs::create_dir_all(&shots).expect("create tests/screenshots");
    let home = tempfile::tempdir().expect("temp dir");
    let dirs = ["runtime", "data", "config", "cache"].map(|name| {
        let dir = home.path().join(name);
        std::fs::create_dir_all(&dir).expect("create temp XDG dir");
        dir
    });
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dirs[0], std::fs::Permissions::from_mode(0o700))
            .expect("chmod XDG_RUNTIME_DIR");
    }

    let status = Command::new("xvfb-run")
        .args([
            "-a",
            "-s",
            "-noreset -screen 0 1280x800x24",
            "dbus-run-session",
            "--",
        ])
        .arg(&python)
        .arg("-W")
        .arg("ignore::DeprecationWarning")
        .arg(root.join("tests/ui/smoke.py"))
        .arg(env!("CARGO_BIN_EXE_warbler"))
        .arg(&shots)
        .env("XDG_RUNTIME_DIR", &dirs[0])
        .env("XDG_DATA_HOME", &dirs[1])
        .env("XDG_CONFIG_HOME", &dirs[2])
        .env("XDG_CACHE_HOME", &dirs[3])
        .env("GSK_RENDERER", "cairo")
        .env("GSETTINGS_BACKEND", "memory")
        .env("GTK_A11Y", "atspi")
        .env_remove("ADW_DEBUG_COLOR_SCHEME")
        .env_remove("WAYLAND_DISPLAY")
        .status()
        .expect("run xvfb-run");
    assert!(status.success(), "the UI smoke test failed: {status}");
}
