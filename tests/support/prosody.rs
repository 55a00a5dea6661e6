//! A throw-away Prosody server on 127.0.0.1 for integration tests.
//!
//! Every [`TestServer`] has its own temporary directory (configuration,
//! certificates, data, log, pidfile) and its own ports, so tests run in
//! parallel and never touch a system-wide Prosody. The server is stopped when
//! the value is dropped; it is also started with a parent-death signal so a
//! test process that dies abruptly does not leave it behind.
//!
//! The log is at info level; set `WARBLER_TEST_PROSODY_DEBUG=1` for debug
//! logging and `WARBLER_TEST_KEEP_SERVER=1` to keep a server's directory
//! (config, data, log) after the test.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::certs::test_certificates;

/// The virtual host every test account lives on.
pub const DOMAIN: &str = "localhost";
/// The multi-user chat component.
pub const MUC_DOMAIN: &str = "conference.localhost";
/// A second multi-user chat component, with
/// [`TestServerBuilder::second_muc`].
pub const SECOND_MUC_DOMAIN: &str = "rooms.localhost";
/// A second virtual host, with [`TestServerBuilder::second_host`]: unlike
/// `localhost`, clients look its server up in DNS. The test certificate
/// covers it.
pub const SECOND_HOST: &str = "warbler.test";

const START_TIMEOUT: Duration = Duration::from_secs(10);

/// Options for a [`TestServer`]; see [`TestServer::builder`].
#[derive(Debug, Clone)]
pub struct TestServerBuilder {
    accounts: Vec<(String, String)>,
    names: BTreeMap<String, String>,
    contacts: Vec<(String, String)>,
    /// Extra roster entries per user: unregistered `contactNNNN` JIDs.
    filler_contacts: BTreeMap<String, usize>,
    muc: bool,
    /// Page the conference service's room list this many rooms at a time.
    room_pages: Option<u32>,
    /// Run a second MUC component (`rooms.localhost`).
    second_muc: bool,
    /// Keep archives (users' and rooms') in SQLite rather than in files.
    sql_archives: bool,
    smacks_hibernation_secs: u32,
    /// Hand out a TURN server on 127.0.0.1 (XEP-0215): its shared secret
    /// and port.
    turn_external: Option<(String, u16)>,
    /// Push a TURN server on 127.0.0.1 to clients after they ask for the
    /// services (XEP-0215 §3.2): its shared secret and port.
    push_turn: Option<(String, u16)>,
    /// Keep native bookmarks (XEP-0402) in step with the legacy ones.
    native_bookmarks: bool,
    /// Serve [`SECOND_HOST`] too, with these `(user, password)` accounts.
    second_host: Option<Vec<(String, String)>>,
}

impl Default for TestServerBuilder {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            names: BTreeMap::new(),
            contacts: Vec::new(),
            filler_contacts: BTreeMap::new(),
            muc: true,
            room_pages: None,
            second_muc: false,
            sql_archives: false,
            smacks_hibernation_secs: 30,
            turn_external: None,
            push_turn: None,
            native_bookmarks: true,
            second_host: None,
        }
    }
}

impl TestServerBuilder {
    /// Register an account (`user` is the local part, e.g. `"alice"`).
    pub fn account(mut self, user: &str, password: &str) -> Self {
        self.accounts.push((user.to_owned(), password.to_owned()));
        self
    }

    /// Register several accounts.
    pub fn accounts(mut self, accounts: &[(&str, &str)]) -> Self {
        for (user, password) in accounts {
            self = self.account(user, password);
        }
        self
    }

    /// The name others see for `user` in their rosters (otherwise none).
    pub fn name(mut self, user: &str, name: &str) -> Self {
        self.names.insert(user.to_owned(), name.to_owned());
        self
    }

    /// Make `a` and `b` mutual contacts (subscription "both" on each side).
    pub fn contacts(mut self, a: &str, b: &str) -> Self {
        self.contacts.push((a.to_owned(), b.to_owned()));
        self
    }

    /// Make every registered account a mutual contact of every other.
    pub fn all_contacts(mut self) -> Self {
        let users: Vec<String> = self.accounts.iter().map(|(u, _)| u.clone()).collect();
        for (i, a) in users.iter().enumerate() {
            for b in &users[i + 1..] {
                self.contacts.push((a.clone(), b.clone()));
            }
        }
        self
    }

    /// Give `user` `count` more roster contacts (`contact0001@localhost`
    /// and on, mutually subscribed but never online), for large rosters.
    pub fn filler_contacts(mut self, user: &str, count: usize) -> Self {
        self.filler_contacts.insert(user.to_owned(), count);
        self
    }

    /// Whether to run the `conference.localhost` MUC component (default: yes,
    /// with `muc_mam`).
    pub fn muc(mut self, enabled: bool) -> Self {
        self.muc = enabled;
        self
    }

    /// Also run a second MUC component, `rooms.localhost` (plain, its rooms
    /// listed all at once), so the server offers two conference services.
    pub fn second_muc(mut self) -> Self {
        self.second_muc = true;
        self
    }

    /// Make the conference service list its public rooms in pages of
    /// `size` (XEP-0059) with their occupant counts, as larger services do
    /// (Prosody 0.12 itself sends all rooms at once, by name alone).
    pub fn room_directory_pages(mut self, size: u32) -> Self {
        self.room_pages = Some(size);
        self
    }

    /// Keep message archives in an SQLite database, as production servers
    /// do, instead of Prosody's files (which it reads whole for every
    /// archive query: slow for big archives). Needs lua-dbi-sqlite3.
    pub fn sql_archives(mut self) -> Self {
        self.sql_archives = true;
        self
    }

    /// How long the server keeps a broken XEP-0198 session (default 30 s).
    pub fn smacks_hibernation_secs(mut self, secs: u32) -> Self {
        self.smacks_hibernation_secs = secs;
        self
    }

    /// Offer the STUN/TURN server at 127.0.0.1:`port` to clients (XEP-0215,
    /// Prosody's `turn_external`), with time-limited TURN credentials made
    /// from `secret`, as production servers next to a coturn do.
    pub fn turn_external(mut self, secret: &str, port: u16) -> Self {
        self.turn_external = Some((secret.to_owned(), port));
        self
    }

    /// A second after each client asks for the external services, push it
    /// a modified TURN service at 127.0.0.1:`port` with credentials made
    /// from `secret` (Prosody 0.12 never pushes by itself), and log
    /// "Service push acknowledged by <full JID>" when the client answers.
    /// Needs [`TestServerBuilder::turn_external`], which makes clients ask.
    pub fn push_turn(mut self, secret: &str, port: u16) -> Self {
        self.push_turn = Some((secret.to_owned(), port));
        self
    }

    /// Whether the server keeps native bookmarks (XEP-0402) and mirrors
    /// them to the legacy ones (default: yes, `mod_bookmarks`). Without,
    /// only legacy bookmarks in private XML storage remain (XEP-0048 over
    /// `mod_private`), as on servers that never had native ones.
    pub fn native_bookmarks(mut self, enabled: bool) -> Self {
        self.native_bookmarks = enabled;
        self
    }

    /// Also serve a second virtual host, [`SECOND_HOST`] (`warbler.test`),
    /// with these `(user, password)` accounts, on the same ports and with
    /// the same certificate. Its accounts have no roster contacts.
    pub fn second_host(mut self, accounts: &[(&str, &str)]) -> Self {
        self.second_host = Some(
            accounts
                .iter()
                .map(|(user, password)| ((*user).to_owned(), (*password).to_owned()))
                .collect(),
        );
        self
    }

    /// Write the configuration, register the accounts, fill the rosters and
    /// start Prosody. Panics (with the server log) if anything fails.
    pub fn start(self) -> TestServer {
        let dir = tempfile::Builder::new()
            .prefix("warbler-prosody-")
            .tempdir()
            .unwrap_or_else(|e| panic!("Could not create the server directory: {e}"));
        let mut server = TestServer {
            dir,
            c2s_port: free_port(),
            direct_tls_port: free_port(),
            child: None,
            options: self,
        };
        server.write_files();
        server.register_accounts();
        server.write_rosters();
        server.spawn();
        server
    }
}

/// A running Prosody 0.12 on 127.0.0.1 with its own data, stopped on drop.
#[derive(Debug)]
pub struct TestServer {
    dir: tempfile::TempDir,
    /// The StartTLS client port (also [`TestServer::c2s_port`]).
    pub c2s_port: u16,
    /// The direct-TLS client port (also [`TestServer::direct_tls_port`]).
    pub direct_tls_port: u16,
    child: Option<Child>,
    options: TestServerBuilder,
}

impl TestServer {
    /// Start a server with these `(user, password)` accounts and default
    /// options (no roster contacts, MUC enabled).
    pub fn start(accounts: &[(&str, &str)]) -> TestServer {
        Self::builder().accounts(accounts).start()
    }

    /// Options for a server: accounts, mutual contacts, names, MUC.
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder::default()
    }

    /// The accounts' domain, `"localhost"`.
    pub fn domain(&self) -> &'static str {
        DOMAIN
    }

    /// The MUC service, `"conference.localhost"`.
    pub fn muc_domain(&self) -> &'static str {
        MUC_DOMAIN
    }

    /// The second MUC service, `"rooms.localhost"` (see
    /// [`TestServerBuilder::second_muc`]).
    pub fn second_muc_domain(&self) -> &'static str {
        SECOND_MUC_DOMAIN
    }

    /// The second virtual host, `"warbler.test"` (see
    /// [`TestServerBuilder::second_host`]).
    pub fn second_host(&self) -> &'static str {
        SECOND_HOST
    }

    /// `user@localhost`.
    pub fn jid(&self, user: &str) -> String {
        format!("{user}@{DOMAIN}")
    }

    /// The client port that starts in plain text and upgrades with StartTLS.
    pub fn c2s_port(&self) -> u16 {
        self.c2s_port
    }

    /// The client port that speaks TLS from the first byte (XEP-0368).
    pub fn direct_tls_port(&self) -> u16 {
        self.direct_tls_port
    }

    /// PEM file of the CA that signed the server's certificate. Point
    /// `SSL_CERT_FILE` at it, or add it to a rustls root store.
    pub fn ca_pem_path(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Same as [`TestServer::ca_pem_path`].
    pub fn ca(&self) -> PathBuf {
        self.ca_pem_path()
    }

    /// The server's temporary directory (config, data, log).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The server's log file.
    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("prosody.log")
    }

    /// The last `lines` lines of the server log, for failure messages.
    pub fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Register another account while the server runs.
    pub fn register(&mut self, user: &str, password: &str) {
        self.prosodyctl_register(user, password);
        self.options
            .accounts
            .push((user.to_owned(), password.to_owned()));
    }

    /// Whether the Prosody process is still running.
    pub fn is_running(&mut self) -> bool {
        match &mut self.child {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// Stop the server cleanly (SIGTERM, then SIGKILL after 5 s). Clients
    /// see their streams closed. Data is kept for [`TestServer::start_again`].
    pub fn stop(&mut self) {
        if let Some(child) = self.child.take() {
            super::stop_server(child);
        }
    }

    /// Kill the server without any goodbye (SIGKILL): clients see a dead TCP
    /// connection rather than a closed stream.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Start a stopped or killed server again, with the same ports and data.
    pub fn start_again(&mut self) {
        if !self.is_running() {
            self.spawn();
        }
    }

    /// Stop and start again with the same ports and data ("the server
    /// restarts mid-conversation").
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("prosody.cfg.lua")
    }

    fn data_path(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn write_files(&self) {
        let dir = self.dir.path();
        let certs = test_certificates();
        let cert_dir = dir.join("certs");
        std::fs::create_dir_all(&cert_dir).expect("create the certificate directory");
        std::fs::create_dir_all(self.data_path()).expect("create the data directory");
        std::fs::write(dir.join("ca.pem"), &certs.ca_pem).expect("write ca.pem");
        std::fs::write(cert_dir.join("localhost.crt"), &certs.cert_pem).expect("write the cert");
        std::fs::write(cert_dir.join("localhost.key"), &certs.key_pem).expect("write the key");
        std::fs::write(self.config_path(), self.config()).expect("write prosody.cfg.lua");
        let plugins = dir.join("plugins");
        std::fs::create_dir_all(&plugins).expect("create the plugin directory");
        if self.options.room_pages.is_some() {
            std::fs::write(
                plugins.join("mod_test_room_pages.lua"),
                include_str!("mod_test_room_pages.lua"),
            )
            .expect("write the room pages module");
        }
        if self.options.push_turn.is_some() {
            std::fs::write(
                plugins.join("mod_test_extdisco_push.lua"),
                include_str!("mod_test_extdisco_push.lua"),
            )
            .expect("write the service push module");
        }
    }

    fn config(&self) -> String {
        let dir = self.dir.path();
        let q = |p: PathBuf| lua_string(&p.to_string_lossy());
        let cert = q(dir.join("certs/localhost.crt"));
        let key = q(dir.join("certs/localhost.key"));
        let ssl = format!("{{ certificate = {cert}; key = {key}; }}");
        let mut c = String::new();
        let _ = writeln!(
            c,
            "-- Written by Warbler's test harness; deleted after the test."
        );
        if running_as_root() {
            let _ = writeln!(c, "run_as_root = true");
        }
        let _ = write!(
            c,
            r#"daemonize = false
plugin_paths = {{ {plugins} }}
pidfile = {pidfile}
data_path = {data}
certificates = {certs}
log = {{ {level} = {log} }}
interfaces = {{ "127.0.0.1" }}
local_interfaces = {{ "127.0.0.1" }}
c2s_interfaces = {{ "127.0.0.1" }}
c2s_ports = {{ {c2s} }}
c2s_direct_tls_interfaces = {{ "127.0.0.1" }}
c2s_direct_tls_ports = {{ {tls} }}
c2s_direct_tls_ssl = {ssl}
modules_disabled = {{ "s2s";{no_bookmarks} }}
s2s_ports = {{ }}
c2s_require_encryption = true
c2s_stanza_size_limit = 4 * 1024 * 1024
allow_registration = false
authentication = "internal_hashed"
password_hash = "SHA-256"
storage = {storage}
sql = {{ driver = "SQLite3"; database = "archives.sqlite" }}
storage_archive_item_limit = 200000
smacks_hibernation_time = {hibernation}
ssl = {ssl}
modules_enabled = {{
    "roster"; "saslauth"; "tls"; "disco"; "ping"; "time"; "version";
    "carbons"; "pep"; "private"; "bookmarks"; "vcard4"; "vcard_legacy";
    "blocklist"; "mam"; "smacks"; "csi_simple"; "offline"; "admin_shell";{turn_module}
}}
{turn_options}
VirtualHost "{DOMAIN}"
    ssl = {ssl}
{second_host}"#,
            plugins = q(dir.join("plugins")),
            pidfile = q(dir.join("prosody.pid")),
            data = q(self.data_path()),
            certs = q(dir.join("certs")),
            log = q(self.log_path()),
            level = if std::env::var_os("WARBLER_TEST_PROSODY_DEBUG").is_some() {
                "debug"
            } else {
                "info"
            },
            no_bookmarks = if self.options.native_bookmarks {
                ""
            } else {
                r#" "bookmarks";"#
            },
            second_host = if self.options.second_host.is_some() {
                format!("\nVirtualHost \"{SECOND_HOST}\"\n    ssl = {ssl}\n")
            } else {
                String::new()
            },
            c2s = self.c2s_port,
            tls = self.direct_tls_port,
            hibernation = self.options.smacks_hibernation_secs,
            turn_module = match (&self.options.turn_external, &self.options.push_turn) {
                (Some(_), Some(_)) => r#" "turn_external"; "test_extdisco_push";"#,
                (Some(_), None) => r#" "turn_external";"#,
                (None, _) => "",
            },
            turn_options = match &self.options.turn_external {
                Some((secret, port)) => format!(
                    "turn_external_secret = {}\nturn_external_host = \"127.0.0.1\"\n\
                     turn_external_port = {port}\nturn_external_ttl = 3600\n{push}",
                    lua_string(secret),
                    push = match &self.options.push_turn {
                        Some((secret, port)) => format!(
                            "test_push_turn_secret = {}\ntest_push_turn_port = {port}\n",
                            lua_string(secret)
                        ),
                        None => String::new(),
                    },
                ),
                None => String::new(),
            },
            storage = if self.options.sql_archives {
                r#"{ archive = "sql"; muc_log = "sql" }; default_storage = "internal""#
            } else {
                r#""internal""#
            },
        );
        if self.options.muc {
            let _ = write!(
                c,
                r#"
Component "{MUC_DOMAIN}" "muc"
    modules_enabled = {{ {muc_modules}{pages_module} }}
    muc_room_default_public = true
    muc_room_locking = true
    test_room_page_size = {page_size}
    ssl = {ssl}
"#,
                muc_modules = muc_modules(),
                pages_module = if self.options.room_pages.is_some() {
                    r#"; "test_room_pages""#
                } else {
                    ""
                },
                page_size = self.options.room_pages.unwrap_or(0),
            );
            if self.options.second_muc {
                let _ = write!(
                    c,
                    r#"
Component "{SECOND_MUC_DOMAIN}" "muc"
    muc_room_default_public = true
    muc_room_locking = true
    ssl = {ssl}
"#,
                );
            }
        }
        c
    }

    fn register_accounts(&self) {
        // prosodyctl is slow to start; run the registrations side by side.
        let second = self.options.second_host.iter().flatten();
        let children: Vec<(&str, String, Child)> = self
            .options
            .accounts
            .iter()
            .map(|account| (DOMAIN, account))
            .chain(second.map(|account| (SECOND_HOST, account)))
            .map(|(host, (user, password))| {
                (
                    host,
                    user.clone(),
                    self.prosodyctl_spawn(host, user, password),
                )
            })
            .collect();
        for (host, user, child) in children {
            self.check_registration(host, &user, child);
        }
    }

    /// Run Lua inside the running server through its admin shell (to
    /// break things the way real servers do, e.g. a room forgetting its
    /// occupants); returns the shell's output.
    pub fn shell_lua(&self, lua: &str) -> String {
        use std::io::Write as _;
        let mut child = Command::new("prosodyctl")
            .arg("--config")
            .arg(self.config_path())
            .arg("shell")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run prosodyctl shell");
        if let Some(mut stdin) = child.stdin.take() {
            let _ = writeln!(stdin, ">{lua}");
        }
        let output = child.wait_with_output().expect("wait for prosodyctl shell");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.status.success(), "prosodyctl shell failed: {text}");
        text
    }

    fn prosodyctl_register(&self, user: &str, password: &str) {
        let child = self.prosodyctl_spawn(DOMAIN, user, password);
        self.check_registration(DOMAIN, user, child);
    }

    fn prosodyctl_spawn(&self, host: &str, user: &str, password: &str) -> Child {
        Command::new("prosodyctl")
            .arg("--config")
            .arg(self.config_path())
            .args(["register", user, host, password])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("Could not run prosodyctl (is prosody installed?): {e}"))
    }

    fn check_registration(&self, host: &str, user: &str, child: Child) {
        let output = child.wait_with_output().expect("wait for prosodyctl");
        let account_file = self
            .data_path()
            .join(path_encode(host))
            .join("accounts")
            .join(format!("{}.dat", path_encode(user)));
        if !output.status.success() || !account_file.exists() {
            panic!(
                "Could not register {user}@{host} with prosodyctl ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }

    /// Write Prosody's internal roster files (`data/<host>/roster/<user>.dat`,
    /// a Lua table keyed by bare JID, with `[false]` holding the version).
    fn write_rosters(&self) {
        let mut rosters: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut seen = HashSet::new();
        for (a, b) in &self.options.contacts {
            if a == b || !seen.insert((a.min(b), a.max(b))) {
                continue;
            }
            rosters.entry(a).or_default().push(b.clone());
            rosters.entry(b).or_default().push(a.clone());
        }
        for (user, count) in &self.options.filler_contacts {
            let roster = rosters.entry(user).or_default();
            roster.extend((1..=*count).map(|n| format!("contact{n:04}")));
        }
        if rosters.is_empty() {
            return;
        }
        let dir = self.data_path().join(path_encode(DOMAIN)).join("roster");
        std::fs::create_dir_all(&dir).expect("create the roster directory");
        for (user, contacts) in rosters {
            let mut lua = String::from("return {\n\t[false] = { version = 1; };\n");
            for contact in contacts {
                let jid = lua_string(&format!("{contact}@{DOMAIN}"));
                let name = match self.options.names.get(&contact) {
                    Some(name) => format!(" name = {};", lua_string(name)),
                    None => String::new(),
                };
                let _ = writeln!(
                    lua,
                    "\t[{jid}] = {{ subscription = \"both\"; groups = {{}};{name} }};"
                );
            }
            lua.push_str("};\n");
            std::fs::write(dir.join(format!("{}.dat", path_encode(user))), lua)
                .expect("write a roster file");
        }
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("prosody.out"))
            .expect("open prosody.out");
        let log2 = log.try_clone().expect("clone the log handle");
        let mut command = super::dies_with_test("prosody");
        command
            .arg("--config")
            .arg(self.config_path())
            .arg("-F")
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2);
        self.child = Some(spawn_from_keeper_thread(
            command,
            "prosody (is it installed?)",
        ));
        self.wait_until_ready();
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let ready = [self.c2s_port, self.direct_tls_port]
                .iter()
                .all(|port| TcpStream::connect(("127.0.0.1", *port)).is_ok());
            if ready {
                return;
            }
            if !self.is_running() || Instant::now() > deadline {
                let out = std::fs::read_to_string(self.dir.path().join("prosody.out"))
                    .unwrap_or_default();
                let tail = self.log_tail(40);
                self.kill();
                panic!(
                    "Prosody did not start listening on 127.0.0.1:{} within {:?}.\n\
                     --- output ---\n{out}\n--- log tail ---\n{tail}",
                    self.c2s_port, START_TIMEOUT
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
        if std::env::var_os("WARBLER_TEST_KEEP_SERVER").is_some() {
            eprintln!(
                "Keeping the test server's files in {}",
                self.dir.path().display()
            );
            let dir = std::mem::replace(
                &mut self.dir,
                tempfile::tempdir().expect("create a placeholder directory"),
            );
            let _ = dir.keep();
        }
    }
}

/// Spawn on one long-lived thread: a parent-death signal fires when the
/// *thread* that spawned the child exits, and test threads come and go.
/// `what` names the program in the panic message when it cannot start.
pub fn spawn_from_keeper_thread(command: Command, what: &str) -> Child {
    type Request = (Command, mpsc::Sender<std::io::Result<Child>>);
    static KEEPER: OnceLock<Mutex<mpsc::Sender<Request>>> = OnceLock::new();
    let keeper = KEEPER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("prosody-keeper".into())
            .spawn(move || {
                for (mut command, reply) in rx {
                    let _ = reply.send(command.spawn());
                }
            })
            .expect("start the process keeper thread");
        Mutex::new(tx)
    });
    let (reply_tx, reply_rx) = mpsc::channel();
    let sent = keeper
        .lock()
        .map(|tx| tx.send((command, reply_tx)).is_ok())
        .unwrap_or(false);
    let spawned = if sent {
        reply_rx.recv().expect("the keeper thread answers")
    } else {
        Err(std::io::Error::other("the keeper thread is gone"))
    };
    spawned.unwrap_or_else(|e| panic!("Could not start {what}: {e}"))
}

/// The MUC component's modules: archives, and message moderation when
/// the community module is installed (Debian's prosody-modules).
fn muc_modules() -> &'static str {
    if Path::new("/usr/lib/prosody/modules/mod_muc_moderation/mod_muc_moderation.lua").exists() {
        r#""muc_mam"; "muc_moderation""#
    } else {
        r#""muc_mam""#
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago and that this
/// process has not handed out before.
fn free_port() -> u16 {
    unused_port(|| {
        TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
    })
}

/// A UDP port on 127.0.0.1 that was free a moment ago and that this
/// process has not handed out before.
pub fn free_udp_port() -> u16 {
    unused_port(|| {
        std::net::UdpSocket::bind(("127.0.0.1", 0))
            .and_then(|s| s.local_addr())
            .map(|a| a.port())
    })
}

fn unused_port(bind: impl Fn() -> std::io::Result<u16>) -> u16 {
    static HANDED_OUT: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    loop {
        let port =
            bind().unwrap_or_else(|e| panic!("Could not find a free port on 127.0.0.1: {e}"));
        let mut used = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
        if !used.contains(&port) {
            used.push(port);
            return port;
        }
    }
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// Prosody's file-name encoding (util/datamanager.lua): every
/// non-alphanumeric byte becomes `%xx`.
fn path_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02x}")
            }
        })
        .collect()
}

/// A Lua string literal.
fn lua_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
