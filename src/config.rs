//! Build-time constants of the application, set by the build script.

/// The application id (`….Devel` in development builds).
pub const APP_ID: &str = env!("WARBLER_APP_ID");
/// The build profile: `development` or `default`.
pub const PROFILE: &str = env!("WARBLER_PROFILE");
/// Where the compiled message catalogs are installed.
pub const LOCALEDIR: &str = env!("WARBLER_LOCALEDIR");
/// The compiled GSettings schema of this build, for uninstalled runs.
pub const SCHEMA_DIR: &str = env!("WARBLER_SCHEMA_DIR");
/// The gettext domain.
pub const GETTEXT_PACKAGE: &str = "warbler";
/// The version shown in the About window.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The GSettings schema id (the same for every profile).
pub const SCHEMA_ID: &str = "io.github.warbler_im.Warbler";
/// The base path of the bundled resources.
pub const RESOURCE_PATH: &str = "/io/github/warbler_im/Warbler";

/// Whether this is a development build (shown with a striped header bar).
pub fn is_devel() -> bool {
    PROFILE == "development"
}
