//! Typed settings: built-in defaults < an optional TOML file < `FAIRHIRE_*` environment variables.
//! `DATABASE_URL` is honoured as well, as api.md promises.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Value};
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
    /// Apply pending migrations when `serve` starts.
    pub migrate_on_start: bool,
    /// `pretty` for terminals, `json` for servers.
    pub log_format: LogFormat,
    /// How often `serve` applies the automatic certification rules; 0 turns it off.
    pub sweep_interval_seconds: u64,
    pub jwt: JwtConfig,
    pub limits: Limits,
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
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            db_pool_size: 4,
            db_pool_timeout_ms: 2000,
            migrate_on_start: true,
            log_format: LogFormat::Pretty,
            sweep_interval_seconds: 3600,
            jwt: JwtConfig::default(),
            limits: Limits::default(),
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
        Self { json_body_bytes: 256 * 1024, token_per_second: 5, token_burst: 20, api_per_second: 500, api_burst: 1000 }
    }
}

impl Config {
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
        figment.extract().map_err(Box::new)
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
