//! The flags of the cluster verbs (`apply`, `diff`, `status`, `delete`), to flatten into cli.rs.

use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// Which cluster to talk to, as kubectl chooses it.
#[derive(Debug, Clone, Args)]
pub struct ClusterArgs {
    /// Kubeconfig file to use [default: $KUBECONFIG, else ~/.kube/config].
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use [default: the current context].
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,

    /// Namespace for objects that do not name one [default: the context's namespace, else
    /// `default`]. Objects that name another namespace are refused, as kubectl does. Manifests
    /// are checked as applied there (without it, as in `default`).
    #[arg(short = 'n', long, value_name = "NAME")]
    pub namespace: Option<String>,

    /// Longest wait for one answer of the API server, e.g. `30s`, `2m` (a request that gets none
    /// is not retried; 429, 503 and dropped reads are, for up to 20 s).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,
}

impl Default for ClusterArgs {
    fn default() -> Self {
        ClusterArgs { kubeconfig: None, context: None, namespace: None, request_timeout: super::retry::DEFAULT_TIMEOUT }
    }
}

/// Where secret values come from. Values are never written to disk or printed.
#[derive(Debug, Clone, Default, Args)]
pub struct SecretArgs {
    /// A secret value, KEY=VALUE, for a key of the values' `secrets` (repeat for several).
    /// Beware: the command line is visible to other users of the machine and kept in shell
    /// history; prefer --secrets-from-env-file or environment variables.
    #[arg(long = "secret", value_name = "KEY=VALUE", value_parser = parse_secret)]
    pub secrets: Vec<(String, String)>,

    /// Read secret values from a dotenv file (KEY=VALUE lines, `#` comments, optional quotes
    /// and `export`). Keys the values do not declare are ignored. Repeat to read several;
    /// later files win, --secret wins over files, files win over the environment.
    #[arg(long = "secrets-from-env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
}

/// How long to wait for the rollout.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// Return once the objects are sent instead of waiting for them to be ready.
    #[arg(long)]
    pub no_wait: bool,

    /// Longest wait for readiness, e.g. `90s`, `5m`, `1m30s` (a bare number is seconds).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub timeout: Duration,
}

impl Default for WaitArgs {
    fn default() -> Self {
        WaitArgs { no_wait: false, timeout: Duration::from_secs(300) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DryRun {
    /// Send nothing that persists: the API server validates, defaults and merges each object
    /// and answers what it would store.
    Server,
    /// Really apply (the same as leaving --dry-run out).
    None,
}

#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub cluster: ClusterArgs,

    #[command(flatten)]
    pub secrets: SecretArgs,

    #[command(flatten)]
    pub wait: WaitArgs,

    /// `server`: have the API server check and merge every object without storing anything.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, default_missing_value = "server")]
    pub dry_run: Option<DryRun>,

    /// Take over fields another field manager (kubectl edit, kubectl scale, ...) set, instead of
    /// stopping on the conflict.
    #[arg(long)]
    pub force_conflicts: bool,

    /// Delete objects that an earlier apply of this set created and that are no longer in it.
    #[arg(long)]
    pub prune: bool,

    /// Do not wait for Jobs to complete: send them and leave them to run. By default the apply
    /// waits for them too (a failed Job stops the wait and is named); CronJobs are never waited
    /// for. (Helm waits for Jobs only with `--wait-for-jobs`.)
    #[arg(long)]
    pub no_wait_jobs: bool,
}

impl ApplyArgs {
    /// Whether the wait includes Jobs.
    pub fn wait_jobs(&self) -> bool {
        !self.no_wait_jobs
    }
    pub fn is_dry_run(&self) -> bool {
        self.dry_run == Some(DryRun::Server)
    }
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub cluster: ClusterArgs,

    /// Secret values to compare with; keys not given are compared as the cluster has them.
    #[command(flatten)]
    pub secrets: SecretArgs,

    /// Also show the set's objects that `apply --prune` would delete.
    #[arg(long)]
    pub prune: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub cluster: ClusterArgs,
}

#[derive(Debug, Clone, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub cluster: ClusterArgs,

    #[command(flatten)]
    pub wait: WaitArgs,

    /// Keep the Namespace (and anything else in it that is not part of the set).
    #[arg(long)]
    pub keep_namespace: bool,

    /// Delete the PersistentVolumeClaims too, and with them their data. Without it they are
    /// kept, and so is the Namespace that holds them.
    #[arg(long)]
    pub delete_volumes: bool,
}

/// `KEY=VALUE` for --secret. The value may be empty only by mistake, so that is refused too.
pub fn parse_secret(text: &str) -> Result<(String, String), String> {
    let Some((key, value)) = text.split_once('=') else {
        return Err("expected KEY=VALUE (the value is not shown here)".into());
    };
    let key = key.trim();
    if key.is_empty() {
        return Err("the key before `=` is empty".into());
    }
    if let Err(reason) = kubeplay_core::names::config_key(key) {
        return Err(format!("`{key}` is not a valid Secret key: {reason}"));
    }
    if value.is_empty() {
        return Err(format!("the value of `{key}` is empty"));
    }
    Ok((key.to_string(), value.to_string()))
}

/// `90`, `90s`, `5m`, `1h`, `1m30s`, `500ms`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    if rest.is_empty() {
        return Err("expected a duration such as 90s, 5m or 1m30s".into());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!("`{text}` is not a duration: expected a number before each unit (90s, 5m, 1m30s)"));
        }
        let number: u64 = rest[..digits].parse().map_err(|_| format!("`{text}`: number too large"))?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        total += match unit {
            "ms" => Duration::from_millis(number),
            "s" => Duration::from_secs(number),
            "m" => Duration::from_secs(number * 60),
            "h" => Duration::from_secs(number * 3600),
            _ => return Err(format!("`{text}`: unknown unit `{unit}` (use ms, s, m or h)")),
        };
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_kubectl_timeouts() {
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert!(parse_duration("5 minutes").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn waiting_for_jobs_needs_a_wait() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            apply: ApplyArgs,
        }
        use clap::Parser;
        assert!(Cli::try_parse_from(["apply"]).unwrap().apply.wait_jobs());
        assert!(!Cli::try_parse_from(["apply", "--no-wait-jobs"]).unwrap().apply.wait_jobs());
    }

    #[test]
    fn secret_flags_are_key_value_and_never_echo_the_value() {
        assert_eq!(parse_secret("A=b=c").unwrap(), ("A".into(), "b=c".into()));
        let e = parse_secret("A:hunter2").unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(parse_secret("=x").is_err());
        assert!(parse_secret("A=").is_err());
        assert!(parse_secret("bad key=x").is_err());
    }
}
