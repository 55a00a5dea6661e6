//! Warbler's entry point: parses the command line, sets up logging,
//! translations, resources and settings, starts the core and runs the
//! Relm4 application.

mod config;
mod i18n;
mod rendering;
mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

use relm4::RelmApp;
use relm4::gtk::{self, gio, glib};
use tracing_subscriber::EnvFilter;
use warbler::session::SessionConfig;
use warbler::uri::XmppUri;

/// What the command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Args {
    /// Log every stanza (target `warbler::wire`) to stderr.
    print_xmpp: bool,
    /// The profile directory.
    data_dir: Option<PathBuf>,
    /// An `xmpp:` URI to open.
    uri: Option<String>,
    /// Print usage and exit.
    help: bool,
    /// Print the version and exit.
    version: bool,
}

/// Parse the arguments after the program name.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--print-xmpp" => parsed.print_xmpp = true,
            "--data-dir" => {
                let dir = args.next().ok_or("--data-dir needs a directory")?;
                parsed.data_dir = Some(PathBuf::from(dir));
            }
            "-h" | "--help" => parsed.help = true,
            "--version" => parsed.version = true,
            other => {
                if let Some(dir) = other.strip_prefix("--data-dir=") {
                    parsed.data_dir = Some(PathBuf::from(dir));
                } else if other.starts_with('-') {
                    return Err(format!("unknown option {other}"));
                } else if parsed.uri.is_none() {
                    parsed.uri = Some(other.to_owned());
                } else {
                    return Err(format!("unexpected argument {other}"));
                }
            }
        }
    }
    Ok(parsed)
}

const USAGE: &str =
    "Usage: warbler [--print-xmpp] [--data-dir DIR] [xmpp:address[?message[;body=TEXT]]]

  --print-xmpp     log every XML stanza sent and received to standard error
  --data-dir DIR   keep the profile (database) in DIR instead of the default
  --version        print the version and exit";

/// Log to stderr; `RUST_LOG` overrides the default filter, and
/// `--print-xmpp` adds the raw stanza target.
fn init_tracing(print_xmpp: bool) {
    let mut filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,warbler=info"));
    if print_xmpp && let Ok(directive) = "warbler::wire=trace".parse() {
        filter = filter.add_directive(directive);
    }
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// The app's settings: the installed schema if there is one, otherwise the
/// one compiled next to this build.
fn load_settings() -> Option<gio::Settings> {
    let default_source = gio::SettingsSchemaSource::default();
    if let Some(schema) = default_source
        .as_ref()
        .and_then(|source| source.lookup(config::SCHEMA_ID, true))
    {
        return Some(gio::Settings::new_full(
            &schema,
            None::<&gio::SettingsBackend>,
            None,
        ));
    }
    let source = gio::SettingsSchemaSource::from_directory(
        config::SCHEMA_DIR,
        default_source.as_ref(),
        false,
    )
    .inspect_err(|error| tracing::error!("Could not load the settings schema: {error}"))
    .ok()?;
    let schema = source.lookup(config::SCHEMA_ID, false)?;
    Some(gio::Settings::new_full(
        &schema,
        None::<&gio::SettingsBackend>,
        None,
    ))
}

fn main() -> ExitCode {
    ui::perf::init();
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("warbler: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.version {
        println!("warbler {}", config::VERSION);
        return ExitCode::SUCCESS;
    }
    init_tracing(args.print_xmpp);
    // SAFETY: no other thread exists yet; the core starts below.
    #[allow(unsafe_code)]
    unsafe {
        rendering::choose_renderer()
    };
    i18n::init();

    let uri = match args.uri.as_deref().map(XmppUri::parse).transpose() {
        Ok(uri) => uri,
        Err(error) => {
            eprintln!("warbler: {error}");
            return ExitCode::from(2);
        }
    };
    let custom_profile = args.data_dir.is_some();
    let data_dir = args
        .data_dir
        .unwrap_or_else(|| glib::user_data_dir().join("warbler"));

    // The core starts on its own runtime before any widget exists.
    let session = warbler::session::start(SessionConfig {
        data_dir,
        extra_trust_anchors: Vec::new(),
        call_media: Default::default(),
        name_server: None,
        room_check_interval: warbler::session::DEFAULT_ROOM_CHECK_INTERVAL,
    });

    glib::set_application_name("Warbler");
    let app = RelmApp::new(config::APP_ID);
    // Another profile is another instance.
    app.allow_multiple_instances(custom_profile);
    gio::resources_register_include!("warbler.gresource").expect("the bundled resources are valid");
    gtk::Window::set_default_icon_name(config::APP_ID);
    ui::load_css();

    let Some(settings) = load_settings() else {
        eprintln!(
            "warbler: the settings schema {} is missing",
            config::SCHEMA_ID
        );
        return ExitCode::FAILURE;
    };

    // GTK must not see our own options: only the program name.
    app.with_args(vec!["warbler".to_owned()])
        .run::<ui::app::App>(ui::app::AppInit {
            session,
            settings,
            uri,
        });
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn parses_options_and_uri() {
        let args = parse(&[
            "--print-xmpp",
            "--data-dir",
            "/tmp/p",
            "xmpp:bob@example.org",
        ])
        .expect("valid");
        assert!(args.print_xmpp);
        assert_eq!(args.data_dir, Some(PathBuf::from("/tmp/p")));
        assert_eq!(args.uri.as_deref(), Some("xmpp:bob@example.org"));
        assert_eq!(
            parse(&["--data-dir=/x"]).expect("valid").data_dir,
            Some(PathBuf::from("/x"))
        );
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(parse(&["--data-dir"]).is_err());
        assert!(parse(&["--nope"]).is_err());
        assert!(parse(&["xmpp:a@b", "xmpp:c@d"]).is_err());
    }
}
