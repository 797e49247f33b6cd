//! Secret values at deploy time: from --secret, env files and the environment, into the Secret
//! objects in memory only. Values are never written to disk, printed, or put in an error.

use super::args::SecretArgs;
use super::client::Target;
use super::errors::ClusterError;
use super::ui::Ui;
use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kubeplay_core::{render, Analysis, ManifestSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Secret values the user gave, by key. Deliberately not `Debug`: nothing may print them.
#[derive(Default, Clone)]
pub struct Given {
    flags: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
    /// Read the process environment after the flags and files.
    use_environment: bool,
    /// The last source: values the cluster already has (used by `diff` only).
    fallback: BTreeMap<String, String>,
    /// The key of `checksum/secret` ([`render::CHECKSUM_KEY`]), added to rendered input's
    /// secrets ([`checksum_key`]).
    checksum_key: Option<String>,
}

impl Given {
    /// Read the flags and env files (the environment is read lazily, key by key).
    pub fn read(args: &SecretArgs) -> Result<Given, ClusterError> {
        let mut given = Given { use_environment: true, ..Default::default() };
        for path in &args.env_files {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ClusterError::Usage(format!("cannot read secrets file {}: {e}", path.display())))?;
            given.files.extend(parse_env_file(path, &text)?);
        }
        given.flags.extend(args.secrets.iter().cloned());
        Ok(given)
    }

    /// Only what is given here, no environment (tests).
    #[cfg(test)]
    pub fn from_flags(flags: impl IntoIterator<Item = (String, String)>) -> Given {
        Given { flags: flags.into_iter().collect(), ..Default::default() }
    }

    /// Values to use when no source gives one (the live Secret's, for `diff`).
    pub fn with_fallback(mut self, fallback: BTreeMap<String, String>) -> Given {
        self.fallback = fallback;
        self
    }

    /// --secret wins over env files, which win over the environment. Empty counts as not given.
    pub fn lookup(&self, key: &str) -> Option<String> {
        let given = |v: Option<&String>| v.filter(|v| !v.is_empty()).cloned();
        given(self.flags.get(key))
            .or_else(|| given(self.files.get(key)))
            .or_else(|| self.use_environment.then(|| std::env::var(key).ok()).flatten().filter(|v| !v.is_empty()))
            .or_else(|| given(self.fallback.get(key)))
    }

    /// Key `checksum/secret` with `key` (rendered input only).
    pub fn with_checksum_key(mut self, key: Option<String>) -> Given {
        self.checksum_key = key;
        self
    }

    fn flag_keys(&self) -> impl Iterator<Item = &String> {
        self.flags.keys()
    }

    fn file_keys(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }
}

/// The manifests to send, with secret values filled in.
pub struct Filled {
    pub manifests: ManifestSet,
    /// Required keys with no value from any source, sorted.
    pub missing: Vec<String>,
    /// Keys of env files that no Secret declares (ignored; env files are often shared).
    pub ignored: Vec<String>,
}

/// Keys the input declares, and which of them are empty (required at deploy time).
fn declared(analysis: &Analysis) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut declared = BTreeSet::new();
    let mut empty = BTreeSet::new();
    if let Some(values) = &analysis.values {
        for (key, value) in &values.secrets {
            declared.insert(key.clone());
            if value.is_empty() {
                empty.insert(key.clone());
            }
        }
        return (declared, empty);
    }
    for (_, secret) in analysis.manifests.secrets() {
        declared.extend(secret.data.iter().flatten().map(|(key, _)| key.clone()));
        declared.extend(secret.string_data.iter().flatten().map(|(key, _)| key.clone()));
        // Which keys are empty is the empty-secret-value rule's question, asked of core.
        empty.extend(kubeplay_core::rules::empty_secret_keys(secret).into_iter().map(|(_, key)| key.to_string()));
    }
    (declared, empty)
}

/// Fill the input's secrets from `given`. Rendered input is rendered again (the pod templates'
/// `checksum/secret` changes with the values, so pods restart when a secret changes);
/// manifests get the values written into their Secrets.
pub fn fill(analysis: &Analysis, release: &str, given: &Given) -> Result<Filled, ClusterError> {
    let (declared, empty) = declared(analysis);
    let unknown: Vec<&String> = given.flag_keys().filter(|k| !declared.contains(*k)).collect();
    if !unknown.is_empty() {
        let known = if declared.is_empty() {
            "none".to_string()
        } else {
            declared.iter().cloned().collect::<Vec<_>>().join(", ")
        };
        let names: Vec<&str> = unknown.iter().map(|k| k.as_str()).collect();
        return Err(ClusterError::Usage(format!(
            "--secret {}: no Secret of the input has this key (declared keys: {known})",
            names.join(", ")
        )));
    }
    let ignored: Vec<String> = given.file_keys().filter(|k| !declared.contains(*k)).cloned().collect();
    let value_of = |key: &str| given.lookup(key);
    let missing: Vec<String> = empty.iter().filter(|k| value_of(k).is_none()).cloned().collect();

    let manifests = match &analysis.values {
        Some(values) => {
            let mut values = values.clone();
            for (key, value) in values.secrets.iter_mut() {
                if let Some(given) = value_of(key) {
                    *value = given;
                }
            }
            // A key the values give wins (the chart's users give one).
            if let (Some(key), false) = (&given.checksum_key, values.secrets.is_empty()) {
                let entry = values.secrets.entry(render::CHECKSUM_KEY.to_string()).or_default();
                if entry.is_empty() {
                    *entry = key.clone();
                }
            }
            render::render(&values, release)
        }
        None => {
            let mut set = analysis.manifests.clone();
            set.fill_secrets(value_of);
            set
        }
    };
    Ok(Filled { manifests, missing, ignored })
}

/// The key of rendered input's `checksum/secret`: the one its Secret on the cluster holds, else
/// a new random one (32 bytes, hex), so the pods roll when a value changes and only then.
/// `None` for manifests and for values without secrets.
pub async fn checksum_key(target: &Target, analysis: &Analysis) -> Result<Option<String>, ClusterError> {
    let Some(values) = analysis.values.as_ref().filter(|v| !v.secrets.is_empty()) else {
        return Ok(None);
    };
    let name = render::secret_name(values);
    let api: Api<Secret> = Api::namespaced(target.client.clone(), &values.namespace);
    let live = match api.get_opt(&name).await {
        Ok(secret) => secret,
        // No namespace yet: no Secret either.
        Err(kube::Error::Api(s)) if s.code == 404 => None,
        Err(e) => return Err(target.error(&format!("read Secret {}/{name}", values.namespace), e)),
    };
    let kept = live
        .and_then(|s| s.data)
        .and_then(|data| data.get(render::CHECKSUM_KEY).cloned())
        .and_then(|v| String::from_utf8(v.0).ok())
        .filter(|v| !v.is_empty());
    match kept {
        Some(key) => Ok(Some(key)),
        None => {
            let mut bytes = [0u8; 32];
            getrandom::getrandom(&mut bytes)
                .map_err(|e| ClusterError::Usage(format!("cannot make a random checksum key: {e}")))?;
            Ok(Some(bytes.iter().map(|b| format!("{b:02x}")).collect()))
        }
    }
}

/// Tell `ui` to redact every value of the Secrets of `set` (given ones and those the input or the
/// cluster had), before anything about them can be printed.
pub fn redact_values(ui: &Ui, set: &ManifestSet) {
    for (_, secret) in set.secrets() {
        for value in secret.data.iter().flatten().map(|(_, v)| &v.0) {
            if let Ok(text) = std::str::from_utf8(value) {
                ui.redact(text);
            }
        }
        for value in secret.string_data.iter().flatten().map(|(_, v)| v) {
            ui.redact(value);
        }
    }
}

/// Tell `ui` to redact the values of the live Secrets among `members` (verbs that are given no
/// values, as `status`, still print pod logs and server messages that may quote them).
pub fn redact_live(ui: &Ui, members: &[super::applyset::LiveMember]) {
    use base64::Engine;
    let secrets = members.iter().filter(|m| m.kind() == "Secret" && m.resolved.resource.group.is_empty());
    for value in secrets.flat_map(|m| m.object.data["data"].as_object().into_iter().flat_map(|d| d.values())) {
        let decoded = value.as_str().and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok());
        if let Some(text) = decoded.and_then(|bytes| String::from_utf8(bytes).ok()) {
            ui.redact(&text);
        }
    }
}

/// dotenv: `KEY=VALUE` lines, `#` comments, blank lines, an optional `export `, values in
/// single quotes (literal) or double quotes (`\n`, `\"`, `\\` escapes), or bare (a ` #` starts a
/// comment). Errors name the line, never its content.
pub fn parse_env_file(path: &Path, text: &str) -> Result<BTreeMap<String, String>, ClusterError> {
    let mut out = BTreeMap::new();
    for (n, raw) in text.lines().enumerate() {
        let at = format!("{}:{}", path.display(), n + 1);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            return Err(ClusterError::Usage(format!("{at}: expected KEY=VALUE")));
        };
        let key = key.trim();
        if let Err(reason) = kubeplay_core::names::env_var_name(key) {
            return Err(ClusterError::Usage(format!("{at}: `{key}` is not a valid name: {reason}")));
        }
        let value = value.trim();
        let value = if let Some(inner) = value.strip_prefix('\'') {
            inner
                .strip_suffix('\'')
                .ok_or_else(|| ClusterError::Usage(format!("{at}: the single quote is not closed")))?
                .to_string()
        } else if let Some(inner) = value.strip_prefix('"') {
            let inner = inner
                .strip_suffix('"')
                .ok_or_else(|| ClusterError::Usage(format!("{at}: the double quote is not closed")))?;
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') => out.push('\n'),
                        Some(other) => out.push(other),
                        None => out.push('\\'),
                    }
                } else {
                    out.push(c);
                }
            }
            out
        } else {
            value.split(" #").next().unwrap_or("").trim_end().to_string()
        };
        out.insert(key.to_string(), value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_core::{analyze_values, Profile, ValuesInput};

    fn preset() -> Analysis {
        analyze_values(&ValuesInput::default(), None, Profile::default())
    }

    fn secret_data(set: &ManifestSet, key: &str) -> Option<Vec<u8>> {
        set.secrets().find_map(|(_, s)| s.data.as_ref()?.get(key).map(|v| v.0.clone()))
    }

    #[test]
    fn env_files_follow_dotenv() {
        let text = "# comment\n\nexport A=1\nB = two words # note\nC='lit # eral'\nD=\"x\\ny\"\nE=\n";
        let parsed = parse_env_file(Path::new(".env"), text).unwrap();
        assert_eq!(parsed["A"], "1");
        assert_eq!(parsed["B"], "two words");
        assert_eq!(parsed["C"], "lit # eral");
        assert_eq!(parsed["D"], "x\ny");
        assert_eq!(parsed["E"], "");
        let e = parse_env_file(Path::new(".env"), "A=1\nsecret-value-without-key\n").unwrap_err().to_string();
        assert_eq!(e, ".env:2: expected KEY=VALUE");
        assert!(parse_env_file(Path::new(".env"), "A='open\n").is_err());
    }

    #[test]
    fn flags_win_and_missing_keys_are_named() {
        let given = Given::from_flags([("DATABASE_URL".to_string(), "postgres://db".to_string())]);
        let filled = fill(&preset(), "todo-chatbot", &given).unwrap();
        assert_eq!(filled.missing, ["BETTER_AUTH_SECRET", "OPENAI_API_KEY"]);
        assert_eq!(secret_data(&filled.manifests, "DATABASE_URL").unwrap(), b"postgres://db");
    }

    #[test]
    fn filled_values_change_the_pod_template_checksum() {
        let all = |v: &str| {
            Given::from_flags(
                ["DATABASE_URL", "OPENAI_API_KEY", "BETTER_AUTH_SECRET"].map(|k| (k.to_string(), v.to_string())),
            )
        };
        let a = fill(&preset(), "r", &all("one")).unwrap();
        let b = fill(&preset(), "r", &all("two")).unwrap();
        assert!(a.missing.is_empty());
        assert_ne!(kubeplay_core::manifest::to_yaml(&a.manifests), kubeplay_core::manifest::to_yaml(&b.manifests));
    }

    #[test]
    fn unknown_flag_keys_are_refused_without_the_value() {
        let given = Given::from_flags([("DATABSE_URL".to_string(), "hunter2".to_string())]);
        let e = fill(&preset(), "r", &given).err().unwrap().to_string();
        assert!(e.contains("DATABSE_URL") && e.contains("DATABASE_URL") && !e.contains("hunter2"), "{e}");
    }

    #[test]
    fn manifest_secrets_are_filled_in_place() {
        let yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: demo}\ndata: {TOKEN: \"\", KEPT: aGk=}\nstringData: {PASSWORD: \"\"}\n";
        let analysis =
            kubeplay_core::analyze_manifests(vec![kubeplay_core::SourceFile::new("s.yaml", yaml)], Profile::default());
        let given = Given::from_flags([("TOKEN".to_string(), "t".to_string())]);
        let filled = fill(&analysis, "r", &given).unwrap();
        assert_eq!(filled.missing, ["PASSWORD"]);
        assert_eq!(secret_data(&filled.manifests, "TOKEN").unwrap(), b"t");
        assert_eq!(secret_data(&filled.manifests, "KEPT").unwrap(), b"hi");
    }
}
