//! Typed settings: built-in defaults < an optional TOML file < `FAIRHIRE_*` environment variables.
//! `DATABASE_URL` is honoured as well, as api.md promises.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Value};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

// Unknown keys are refused so that a misspelt setting in the TOML file stops the start instead of
// being silently ignored. The environment is filtered to the known keys first (see `load`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub bind: String,
    /// Where the SQLite file and the generated signing key live.
    pub data_dir: PathBuf,
    /// `sqlite://path`, a plain file path, or `postgres://…`. Empty: `<data_dir>/fairhire.db`.
    pub database_url: String,
    /// Connections in the pool. Small on purpose: the pool is used from blocking threads.
    pub db_pool_size: u32,
    /// How long a request waits for a database connection before it is answered 503, in
    /// milliseconds. Short, so that an outage is reported at once instead of holding requests.
    pub db_pool_timeout_ms: u64,
    /// Requests that may wait for or hold a database connection at once; more are answered
    /// 429 with `Retry-After` at once instead of queueing (load shedding: under overload the
    /// queue, and so the latency of every answer, stays bounded).
    pub db_max_queued: usize,
    /// Apply pending migrations when `serve` starts.
    pub migrate_on_start: bool,
    /// `pretty` for terminals, `json` for servers.
    pub log_format: LogFormat,
    /// How often `serve` applies the automatic certification rules; 0 turns it off.
    pub sweep_interval_seconds: u64,
    /// The 32-byte key that seals secrets the service must use again (webhook signing secrets).
    /// Empty: `<data_dir>/data-key.bin`, generated on first start. Losing it makes every sealed
    /// value unreadable, so it is backed up with the database.
    pub data_key_file: String,
    /// The service's public address (`https://check.example.org`), used where a page names
    /// itself: the status card's QR code and written address. Empty: the address the request
    /// came to. Set it behind a proxy, so that what a worker shows others is the real address
    /// whatever `Host` or `X-Forwarded-Host` a request carried.
    pub public_url: String,
    /// The networks of the reverse proxies in front of the service. A request whose TCP peer is
    /// in one of them is counted against the client address the proxy reports (`Forwarded`,
    /// else `X-Forwarded-For`); from any other peer those headers are ignored, so that a client
    /// cannot choose whose allowance it uses. Empty: no proxy is trusted.
    pub trusted_proxies: Vec<Network>,
    /// The client addresses `GET /metrics` answers (after `trusted_proxies`); others get 403.
    /// Loopback and private networks by default: metrics are for the operator's own monitoring,
    /// and say more about the service than the public should know.
    pub metrics_allow: Vec<Network>,
    /// How long `serve` may take to stop after SIGTERM, in seconds: requests in progress and the
    /// webhook deliveries in flight are given this long to finish; past it the process exits
    /// anyway (an orchestrator kills it soon after: Kubernetes waits 30 s by default).
    pub shutdown_timeout_seconds: u64,
    pub jwt: JwtConfig,
    pub limits: Limits,
    pub webhooks: WebhookConfig,
    pub cache: CacheConfig,
    pub retention: RetentionConfig,
    pub files: FilesConfig,
}

/// How long personal data is kept; the sweep erases it after that (README, "Personal data").
/// Each period counts from when the data stopped being needed, not from when it was written.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// A worker report's contact, in days after the report was decided (substantiated,
    /// unsubstantiated or referred): long enough to answer a follow-up question or an appeal.
    pub report_contact_days: u32,
    /// An agency's contact e-mail and phone, in days after its last change, once the agency
    /// holds no certificate in force or suspended and has no open application.
    pub agency_contact_days: u32,
    /// Evidence files declared to name workers, in days after upload: one three-year
    /// certification cycle and a year for appeals and the recertification audit to look back.
    pub evidence_naming_workers_days: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig { report_contact_days: 180, agency_contact_days: 730, evidence_naming_workers_days: 1460 }
    }
}

/// Evidence files: how large they may be and where their contents are kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilesConfig {
    /// The largest evidence file accepted, in bytes (25 MiB): room for a scanned report or a
    /// payroll spreadsheet, not for video.
    pub max_bytes: u64,
    /// The directory that keeps the contents when no S3 bucket is set. Empty:
    /// `<data_dir>/files`. One instance only: several instances need the shared bucket.
    pub dir: String,
    pub s3: S3Config,
}

/// S3-compatible object storage for the contents of evidence files, shared by every instance.
/// Used when `bucket` is set.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    /// The service's address (`https://s3.eu-central-1.amazonaws.com`, a MinIO or Garage
    /// address). Empty: AWS's own for `region`.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Lets `endpoint` be plain `http` (a storage server on the same private network).
    pub allow_http: bool,
}

// By hand, so that the secret never reaches a log.
impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &if self.secret_access_key.is_empty() { "" } else { "(set)" })
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl Default for FilesConfig {
    fn default() -> Self {
        FilesConfig { max_bytes: 25 * 1024 * 1024, dir: String::new(), s3: S3Config::default() }
    }
}

/// The in-memory answers (public records, attestations, due diligence) and the event-log tail
/// that keeps them current.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// How often each instance reads the event log for changes made elsewhere, in
    /// milliseconds: the longest a change another instance made takes to show here.
    pub poll_ms: u64,
    /// Memory the cached answers may take, in bytes, all kinds together; 0 keeps none.
    pub max_bytes: u64,
    /// How long a due-diligence answer is kept, in milliseconds (time alone moves its risk).
    pub due_diligence_ttl_ms: u64,
    /// How long one signed attestation is served again, in seconds; it stays valid for an hour.
    pub attestation_reuse_seconds: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            poll_ms: 250,
            max_bytes: 64 * 1024 * 1024,
            due_diligence_ttl_ms: 1_000,
            attestation_reuse_seconds: 60,
        }
    }
}

/// Outgoing webhooks: how they are sent, retried and given up on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookConfig {
    /// Lets targets be plain `http` and resolve to loopback, private or link-local addresses.
    /// Off in production, where a target inside our network would let a subscriber probe it
    /// (SSRF); on for tests and local demos, whose receivers listen on 127.0.0.1.
    pub allow_private_targets: bool,
    /// How long to wait for a target's TCP and TLS handshake, in milliseconds. Short: a receiver
    /// that cannot be reached is better retried later than waited for.
    pub connect_timeout_ms: u64,
    /// How long one attempt may take in all, connecting and reading the answer included, in
    /// milliseconds. It bounds how long a slow receiver holds a dispatcher slot.
    pub timeout_ms: u64,
    /// How much of a receiver's answer is read, in bytes. Only the status matters; the cap stops
    /// a hostile or broken receiver from making us download without end.
    pub max_response_bytes: usize,
    /// Delay before the first retry, in milliseconds; each later one doubles (with jitter), so a
    /// receiver that is down is not hammered while it recovers.
    pub retry_base_ms: u64,
    /// Longest delay between two attempts, in milliseconds (6 h): a receiver back after a long
    /// outage still gets its events the same day. A `Retry-After` is honoured up to this.
    pub retry_max_ms: u64,
    /// A subscription whose deliveries have failed for this long is disabled (3 days), so that
    /// an abandoned endpoint stops costing attempts; its owner can enable it again.
    pub give_up_after_hours: u64,
    /// How often the dispatcher looks for due deliveries when it found none, in milliseconds.
    pub poll_interval_ms: u64,
    /// How long a claimed delivery stays reserved for the process that claimed it, in seconds.
    /// A process that dies mid-attempt loses its claim after this and another one retries. It
    /// must exceed `timeout_ms`, or a slow attempt still running could be claimed and sent twice.
    pub claim_ttl_seconds: u64,
    /// Deliveries claimed at a time: enough to keep the dispatcher busy, few enough that a crash
    /// delays only a handful by `claim_ttl_seconds`.
    pub batch_size: u32,
    /// Whether this process sends webhooks. Several replicas may all dispatch (claims keep them
    /// apart); turning it off keeps a process to serving the API.
    pub dispatch: bool,
}

/// A network in CIDR notation (`10.0.0.0/8`, `fc00::/7`), or one address (`10.1.2.3`, the
/// network of that address alone). Written as a string in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Network(IpNet);

impl Network {
    /// Whether `addr` is in the network. An IPv4 address seen as IPv6 (`::ffff:10.1.2.3`, as a
    /// dual-stack socket reports it) is taken as the IPv4 address it is.
    pub fn contains(&self, addr: IpAddr) -> bool {
        self.0.contains(&addr.to_canonical())
    }
}

/// Whether `addr` is in any of `networks`.
pub fn in_any(networks: &[Network], addr: IpAddr) -> bool {
    networks.iter().any(|n| n.contains(addr))
}

impl FromStr for Network {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        s.parse::<IpNet>()
            .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
            .map(|net| Network(net.trunc()))
            .map_err(|_| format!("{s:?} is neither a network such as 10.0.0.0/8 nor an IP address"))
    }
}

impl TryFrom<String> for Network {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<Network> for String {
    fn from(network: Network) -> String {
        network.0.to_string()
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JwtConfig {
    pub issuer: String,
    pub audience: String,
    /// Lifetime of an access token, in seconds.
    pub token_ttl_seconds: u64,
    /// PKCS#8 PEM Ed25519 private key. Empty: `<data_dir>/jwt-signing-key.pem`, generated on
    /// first start.
    pub signing_key_file: String,
    /// PEM public keys still accepted and published after a rotation.
    pub previous_public_key_files: Vec<String>,
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    pub leeway_seconds: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest JSON request body accepted, in bytes.
    pub json_body_bytes: usize,
    /// Requests per second allowed to one client address on the token endpoint.
    pub token_per_second: u32,
    pub token_burst: u32,
    /// Requests per second allowed to one client address on everything else.
    pub api_per_second: u32,
    pub api_burst: u32,
    /// Worker reports one client address may file per hour (`POST /v1/public/reports` and the
    /// form), after a first burst. Generous, because many workers share one address behind a
    /// mobile carrier's NAT or a hostel's Wi-Fi; the bucket lives in memory only.
    pub reports_per_hour: u32,
    pub reports_burst: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            db_pool_size: 4,
            db_pool_timeout_ms: 2000,
            db_max_queued: 64,
            migrate_on_start: true,
            log_format: LogFormat::Pretty,
            sweep_interval_seconds: 3600,
            data_key_file: String::new(),
            public_url: String::new(),
            trusted_proxies: Vec::new(),
            metrics_allow: ["127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect(),
            shutdown_timeout_seconds: 30,
            jwt: JwtConfig::default(),
            limits: Limits::default(),
            cache: CacheConfig::default(),
            webhooks: WebhookConfig::default(),
            retention: RetentionConfig::default(),
            files: FilesConfig::default(),
        }
    }
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            issuer: "fairhire".into(),
            audience: "fairhire-api".into(),
            token_ttl_seconds: 900,
            signing_key_file: String::new(),
            previous_public_key_files: Vec::new(),
            leeway_seconds: 30,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            json_body_bytes: 256 * 1024,
            token_per_second: 5,
            token_burst: 20,
            api_per_second: 500,
            api_burst: 1000,
            reports_per_hour: 20,
            reports_burst: 5,
        }
    }
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            allow_private_targets: false,
            connect_timeout_ms: 5_000,
            timeout_ms: 10_000,
            max_response_bytes: 64 * 1024,
            retry_base_ms: 30_000,
            retry_max_ms: 6 * 3600 * 1000,
            give_up_after_hours: 72,
            poll_interval_ms: 1_000,
            claim_ttl_seconds: 120,
            batch_size: 20,
            dispatch: true,
        }
    }
}

impl WebhookConfig {
    /// Refuses settings that would make the dispatcher misbehave rather than fail: a claim that
    /// can expire while its attempt is still running (a double delivery), or retry delays that
    /// do not grow.
    pub fn validate(&self) -> Result<(), String> {
        if self.timeout_ms == 0 || self.connect_timeout_ms == 0 {
            return Err("webhooks.timeout_ms and webhooks.connect_timeout_ms must be positive".into());
        }
        if self.claim_ttl_seconds.saturating_mul(1000) <= self.timeout_ms {
            return Err(format!(
                "webhooks.claim_ttl_seconds ({} s) must exceed webhooks.timeout_ms ({} ms)",
                self.claim_ttl_seconds, self.timeout_ms
            ));
        }
        if self.retry_base_ms == 0 || self.retry_max_ms < self.retry_base_ms {
            return Err("webhooks.retry_base_ms must be positive and at most webhooks.retry_max_ms".into());
        }
        if self.batch_size == 0 || self.poll_interval_ms == 0 {
            return Err("webhooks.batch_size and webhooks.poll_interval_ms must be positive".into());
        }
        Ok(())
    }
}

impl Config {
    /// `public_url`, when set, is an absolute http(s) address with no path, query or fragment.
    fn validate_public_url(&self) -> Result<(), String> {
        if self.public_url.is_empty() {
            return Ok(());
        }
        let refuse = || {
            format!(
                "public_url must be an http(s) address such as https://check.example.org, not {:?}",
                self.public_url
            )
        };
        let parsed = url::Url::parse(&self.public_url).map_err(|_| refuse())?;
        let bare = parsed.path() == "/" && parsed.query().is_none() && parsed.fragment().is_none();
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.host().is_none()
            || !bare
            || !parsed.username().is_empty()
        {
            return Err(refuse());
        }
        Ok(())
    }

    /// Loads the settings. The TOML file is `FAIRHIRE_CONFIG` if set, which must exist, else
    /// `fairhire.toml` when present. Nested keys in the environment use `__`:
    /// `FAIRHIRE_JWT__ISSUER`.
    pub fn load() -> Result<Self, Box<figment::Error>> {
        let file = match std::env::var("FAIRHIRE_CONFIG") {
            Ok(named) if !named.is_empty() => {
                if !Path::new(&named).is_file() {
                    return Err(Box::new(format!("FAIRHIRE_CONFIG names {named}, which is not a file").into()));
                }
                Toml::file_exact(named)
            }
            _ => Toml::file("fairhire.toml"),
        };
        // Only variables that name a setting are read: others share the prefix without being
        // meant for us (`FAIRHIRE_CONFIG` itself; `FAIRHIRE_PORT` and `FAIRHIRE_SERVICE_HOST`,
        // which Kubernetes sets for a service named fairhire) and would be refused as unknown.
        let known = Self::keys()?;
        let env = Env::prefixed("FAIRHIRE_").split("__").filter(move |key| known.iter().any(|k| k.as_str() == key));
        let mut figment = Figment::from(Serialized::defaults(Config::default())).merge(file).merge(env);
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(Serialized::default("database_url", url));
        }
        let config: Config = figment.extract().map_err(Box::new)?;
        config.webhooks.validate().map_err(|e| Box::new(e.into()))?;
        config.validate_public_url().map_err(|e| Box::new(e.into()))?;
        Ok(config)
    }

    /// Every key of the settings, dotted for the nested ones (`jwt`, `jwt.issuer`).
    fn keys() -> Result<Vec<String>, Box<figment::Error>> {
        fn walk(prefix: &str, dict: &Dict, out: &mut Vec<String>) {
            for (name, value) in dict {
                let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
                if let Value::Dict(_, inner) = value {
                    walk(&key, inner, out);
                }
                out.push(key);
            }
        }
        let mut keys = Vec::new();
        if let Value::Dict(_, dict) = Value::serialize(Config::default())? {
            walk("", &dict, &mut keys);
        }
        Ok(keys)
    }

    /// The database URL in force: the configured one, or the SQLite file in the data directory.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            self.data_dir.join("fairhire.db").to_string_lossy().into_owned()
        } else {
            self.database_url.clone()
        }
    }

    pub fn signing_key_path(&self) -> PathBuf {
        if self.jwt.signing_key_file.is_empty() {
            self.data_dir.join("jwt-signing-key.pem")
        } else {
            PathBuf::from(&self.jwt.signing_key_file)
        }
    }

    /// The directory that keeps evidence files when no S3 bucket is set.
    pub fn files_dir(&self) -> PathBuf {
        if self.files.dir.is_empty() { self.data_dir.join("files") } else { PathBuf::from(&self.files.dir) }
    }

    pub fn data_key_path(&self) -> PathBuf {
        if self.data_key_file.is_empty() {
            self.data_dir.join("data-key.bin")
        } else {
            PathBuf::from(&self.data_key_file)
        }
    }
}

/// Creates `dir` and its missing parents, which only the owner may enter (0700 on Unix) whatever
/// the umask: they hold the database and the signing key. Directories that exist are left as
/// they are, since their mode is the operator's choice.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), String> {
    #[cfg(unix)]
    let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.as_os_str().is_empty() && !d.exists()).collect();
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // The mode given when creating is narrowed by the umask; setting it afterwards is not.
    #[cfg(unix)]
    for made in missing {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(made, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("cannot restrict {}: {e}", made.display()))?;
    }
    Ok(())
}

/// Creates `path` for its owner only (0600 on Unix) whatever the umask, and returns it open for
/// writing; `None` when the file exists already, which is left as it is.
pub(crate) fn create_private_file(path: &Path) -> Result<Option<std::fs::File>, String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(file) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| format!("cannot restrict {}: {e}", path.display()))?;
            }
            Ok(Some(file))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

/// Stores `contents` at `path` for its owner only, unless a file is there already: `true` when
/// it was stored, `false` when another file was found (and left as it is). The contents are
/// written whole under a name of their own, then linked to `path`, which fails if the file is
/// there: when two processes start together on a fresh data directory, the second one takes the
/// first one's file instead of replacing it or reading it half-written.
pub(crate) fn store_new_private_file(path: &Path, contents: &[u8]) -> Result<bool, String> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut draft = path.as_os_str().to_owned();
    draft.push(format!(".{:016x}.tmp", rand::random::<u64>()));
    let draft = PathBuf::from(draft);
    let stored = create_private_file(&draft)
        .and_then(|file| file.ok_or_else(|| format!("{} exists already", draft.display())))
        .and_then(|mut file| {
            file.write_all(contents)
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("cannot write {}: {e}", draft.display()))
        })
        .and_then(|()| match std::fs::hard_link(&draft, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(format!("cannot create {}: {e}", path.display())),
        });
    // The draft is not needed any more, whatever happened.
    let _ = std::fs::remove_file(&draft);
    stored
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings as `load` builds them, from the defaults and a TOML text (the environment
    /// is left out: tests share one process and cannot set variables safely).
    fn from_toml(text: &str) -> Result<Config, Box<figment::Error>> {
        Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(text)).extract().map_err(Box::new)
    }

    #[test]
    fn the_webhook_settings_have_their_defaults_and_can_be_set_from_the_file() {
        let config = from_toml("").unwrap();
        assert!(!config.webhooks.allow_private_targets);
        assert_eq!(config.webhooks.timeout_ms, 10_000);
        assert_eq!(config.webhooks.retry_max_ms, 21_600_000);
        assert_eq!(config.webhooks.give_up_after_hours, 72);
        assert!(config.webhooks.dispatch);
        config.webhooks.validate().unwrap();

        let config =
            from_toml("data_key_file = \"/keys/data.bin\"\n[webhooks]\nallow_private_targets = true\nbatch_size = 5\n")
                .unwrap();
        assert!(config.webhooks.allow_private_targets);
        assert_eq!(config.webhooks.batch_size, 5);
        assert_eq!(config.webhooks.claim_ttl_seconds, 120, "the keys not given keep their defaults");
        assert_eq!(config.data_key_path(), PathBuf::from("/keys/data.bin"));
    }

    #[test]
    fn the_public_url_is_a_bare_http_address() {
        let with = |url: &str| Config { public_url: url.into(), ..Config::default() }.validate_public_url();
        assert!(with("").is_ok());
        assert!(with("https://check.example.org").is_ok());
        assert!(with("http://127.0.0.1:8080/").is_ok());
        for bad in [
            "check.example.org",
            "ftp://x.example",
            "https://x.example/path",
            "https://x.example/?q=1",
            "https://u@x.example",
        ] {
            assert!(with(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unknown_webhook_setting_is_refused() {
        let err = from_toml("[webhooks]\ntimeout_ms = 100\ntimout_ms = 5\n").unwrap_err();
        assert!(err.to_string().contains("timout_ms"), "{err}");
    }

    #[test]
    fn the_webhook_settings_can_come_from_the_environment() {
        // `load` reads only the variables whose names are keys, nested ones included.
        let keys = Config::keys().unwrap();
        for key in ["data_key_file", "webhooks", "webhooks.allow_private_targets", "webhooks.claim_ttl_seconds"] {
            assert!(keys.iter().any(|k| k == key), "{key} is not in {keys:?}");
        }
    }

    #[test]
    fn networks_are_read_as_cidrs_or_single_addresses() {
        let config = from_toml("trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\", \"2001:db8::/32\"]\n").unwrap();
        let contains = |addr: &str| in_any(&config.trusted_proxies, addr.parse().unwrap());
        assert!(contains("10.200.3.4"));
        assert!(contains("192.0.2.7") && !contains("192.0.2.8"));
        assert!(contains("2001:db8:1::5"));
        assert!(contains("::ffff:10.0.0.1"), "an IPv4 address seen through a dual-stack socket");
        assert!(!contains("11.0.0.1"));
        // A network written with host bits is the network they belong to.
        assert_eq!(String::from("10.1.2.3/8".parse::<Network>().unwrap()), "10.0.0.0/8");
        let err = from_toml("trusted_proxies = [\"10.0.0.0/33\"]\n").unwrap_err();
        assert!(err.to_string().contains("10.0.0.0/33"), "{err}");
        assert!(from_toml("trusted_proxies = [\"proxy.internal\"]\n").is_err());
    }

    #[test]
    fn metrics_are_for_loopback_and_private_networks_by_default() {
        let config = Config::default();
        for allowed in ["127.0.0.1", "::1", "10.1.2.3", "172.20.0.5", "192.168.1.1", "fd12::1", "::ffff:10.0.0.9"] {
            assert!(in_any(&config.metrics_allow, allowed.parse().unwrap()), "{allowed}");
        }
        for refused in ["8.8.8.8", "172.32.0.1", "192.0.2.1", "2001:db8::1", "fe80::1"] {
            assert!(!in_any(&config.metrics_allow, refused.parse().unwrap()), "{refused}");
        }
        let config = from_toml("metrics_allow = [\"192.0.2.0/24\"]\n").unwrap();
        assert!(in_any(&config.metrics_allow, "192.0.2.1".parse().unwrap()));
        assert!(!in_any(&config.metrics_allow, "127.0.0.1".parse().unwrap()), "the list replaces the default");
        assert!(Config::keys().unwrap().iter().any(|k| k == "metrics_allow"));
    }

    #[test]
    fn the_shutdown_timeout_has_its_default_and_can_be_set() {
        assert_eq!(Config::default().shutdown_timeout_seconds, 30);
        assert_eq!(from_toml("shutdown_timeout_seconds = 5\n").unwrap().shutdown_timeout_seconds, 5);
        assert!(Config::keys().unwrap().iter().any(|k| k == "shutdown_timeout_seconds"));
    }

    #[test]
    fn the_trusted_proxies_can_come_from_the_environment() {
        assert!(Config::default().trusted_proxies.is_empty());
        // `load` gives an environment variable's text to figment, which parses it as this does:
        // FAIRHIRE_TRUSTED_PROXIES='["10.0.0.0/8","172.28.0.0/16"]' is a list.
        let from_env: Value = r#"["10.0.0.0/8","172.28.0.0/16"]"#.parse().unwrap();
        let config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Serialized::default("trusted_proxies", from_env))
            .extract()
            .unwrap();
        assert_eq!(config.trusted_proxies, vec!["10.0.0.0/8".parse().unwrap(), "172.28.0.0/16".parse().unwrap()]);
        assert!(Config::keys().unwrap().iter().any(|k| k == "trusted_proxies"));
    }

    #[test]
    fn evidence_files_live_in_the_data_dir_unless_a_bucket_is_named() {
        let config = Config { data_dir: PathBuf::from("/srv/fairhire"), ..Config::default() };
        assert_eq!(config.files_dir(), PathBuf::from("/srv/fairhire/files"));
        assert_eq!(config.files.max_bytes, 25 * 1024 * 1024);
        let config =
            from_toml("[files]\nmax_bytes = 1000\n[files.s3]\nbucket = \"evidence\"\nallow_http = true\n").unwrap();
        assert_eq!((config.files.max_bytes, config.files.s3.bucket.as_str()), (1000, "evidence"));
        assert!(config.files.s3.allow_http);
        let keys = Config::keys().unwrap();
        for key in ["files.max_bytes", "files.dir", "files.s3.endpoint", "files.s3.secret_access_key"] {
            assert!(keys.iter().any(|k| k == key), "{key}");
        }
    }

    #[test]
    fn the_data_key_lives_in_the_data_dir_unless_named() {
        let config = Config { data_dir: PathBuf::from("/srv/fairhire"), ..Config::default() };
        assert_eq!(config.data_key_path(), PathBuf::from("/srv/fairhire/data-key.bin"));
    }

    #[test]
    fn a_claim_that_could_expire_during_its_attempt_is_refused() {
        let webhooks = WebhookConfig { timeout_ms: 120_000, claim_ttl_seconds: 120, ..WebhookConfig::default() };
        let err = webhooks.validate().unwrap_err();
        assert!(err.contains("claim_ttl_seconds"), "{err}");
        let webhooks = WebhookConfig { retry_base_ms: 10, retry_max_ms: 5, ..WebhookConfig::default() };
        assert!(webhooks.validate().is_err());
    }

    #[test]
    fn a_private_file_is_stored_once_and_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("secret.bin");
        assert!(store_new_private_file(&path, b"first").unwrap());
        assert!(!store_new_private_file(&path, b"second").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no draft is left behind");
    }
}
