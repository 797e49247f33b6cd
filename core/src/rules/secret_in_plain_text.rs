//! secret-in-plain-text: secret-looking values (by key name, credentials in URLs, token formats) in ConfigMaps or plain env.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::containers;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "secret-in-plain-text",
    summary: "A value that looks secret (a key, token, password or URL with credentials) sits in a ConfigMap or plain env, where anyone who can read the namespace sees it.",
    help: "Move it to the Secret and reference it with secretKeys.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for (index, config_map) in set.config_maps() {
        let name = config_map.metadata.name.as_deref().unwrap_or("");
        for (key, value) in config_map.data.iter().flatten() {
            if let Some(why) = looks_secret(key, value) {
                let message = format!("ConfigMap `{name}` key `{key}` looks like a secret: {why}. ConfigMap data is plain text to anyone who can read the namespace; move it to a Secret.");
                sink.report(index, field_path!("data", key), message);
            }
        }
    }
    for c in containers(set) {
        for (j, env) in c.container.env.iter().flatten().enumerate() {
            let Some(value) = &env.value else { continue };
            if let Some(why) = looks_secret(&env.name, value) {
                let message = format!(
                    "env `{}` of container `{}` looks like a secret: {why}. A plain env value is stored in the Deployment for anyone who can read it; put it in a Secret and use secretKeyRef.",
                    env.name, c.container.name
                );
                sink.report(c.resource(), c.field().join(&field_path!("env", j, "value")), message);
            }
        }
    }
}

/// Why `key = value` looks like a secret, or `None`. Empty values and placeholders leak
/// nothing, so only a value that is there counts.
fn looks_secret(key: &str, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || is_placeholder(value) || matches!(value, "true" | "false") {
        return None;
    }
    if let Some(masked) = url_with_password(value) {
        return Some(format!("its value is a URL with a password (`{masked}`)"));
    }
    if let Some(format) = token_format(value) {
        return Some(format!("its value has the format of {format}"));
    }
    secret_key_name(key).map(|why| format!("its name {why}"))
}

/// `$(VAR)` (Kubernetes expands it from another env var) or `${VAR}`: a reference, not a value.
fn is_placeholder(text: &str) -> bool {
    (text.starts_with("$(") && text.ends_with(')')) || (text.starts_with("${") && text.ends_with('}'))
}

/// Words after which `_KEY` names a lookup key, not a credential (`SORT_KEY`, `CACHE_KEY`).
const STRUCTURAL_KEY_WORDS: &[&str] =
    &["SORT", "PARTITION", "PRIMARY", "FOREIGN", "CACHE", "ROUTING", "IDEMPOTENCY", "LOOKUP", "SHARD", "PUBLIC"];

/// Last words that make a name about a secret rather than the secret itself (`TOKEN_URL`,
/// `PASSWORD_MIN_LENGTH`, `SECRET_NAME`, `PASSWORD_FILE`).
const METADATA_WORDS: &[&str] = &[
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PATH",
    "FILE",
    "DIR",
    "NAME",
    "ID",
    "TYPE",
    "MODE",
    "LENGTH",
    "LEN",
    "SIZE",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "TIMEOUT",
    "LIFETIME",
    "DURATION",
    "SECONDS",
    "ENABLED",
    "DISABLED",
    "ENABLE",
    "REQUIRED",
    "HEADER",
    "ALGORITHM",
    "ALG",
    "FORMAT",
    "PREFIX",
    "FIELD",
    "PARAM",
    "POLICY",
    "REF",
    "VERSION",
    "MIN",
    "MAX",
    "COUNT",
    "LIMIT",
    "ISSUER",
    "AUDIENCE",
    "SCOPE",
    "SCOPES",
];

/// Why a variable or key name says "secret": `*_KEY`, `*_SECRET`, `*_TOKEN`, `*PASSWORD*`...
fn secret_key_name(key: &str) -> Option<String> {
    // Split `OPENAI_API_KEY`, `db-password`, `auth.token` and `apiKey` alike into upper words.
    let mut spaced = String::new();
    let mut previous_lower = false;
    for ch in key.chars() {
        if ch.is_ascii_uppercase() && previous_lower {
            spaced.push('_');
        }
        previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        spaced.push(ch.to_ascii_uppercase());
    }
    let words: Vec<&str> = spaced.split(['_', '-', '.']).filter(|w| !w.is_empty()).collect();
    let last = *words.last()?;
    if METADATA_WORDS.contains(&last) || words.iter().any(|w| matches!(*w, "PUBLIC" | "PUBLISHABLE")) {
        return None;
    }
    if let Some(word) = ["PASSWORD", "PASSWD", "PASSPHRASE", "APIKEY"].iter().find(|w| spaced.contains(*w)) {
        return Some(format!("contains `{word}`"));
    }
    if let Some(word) = words.iter().find(|w| {
        matches!(**w, "SECRET" | "SECRETS" | "TOKEN" | "TOKENS" | "PWD" | "PASS" | "CREDENTIAL" | "CREDENTIALS")
    }) {
        return Some(format!("contains the word `{word}`"));
    }
    if last == "KEY" && words.len() >= 2 && !STRUCTURAL_KEY_WORDS.contains(&words[words.len() - 2]) {
        return Some("ends in `_KEY`".to_string());
    }
    None
}

/// `scheme://user:password@host...` with a real password, shown with the password masked.
fn url_with_password(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once("://")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (userinfo, host) = rest[..authority_end].rsplit_once('@')?;
    let (user, password) = userinfo.split_once(':')?;
    if password.is_empty() || is_placeholder(password) {
        return None;
    }
    Some(format!("{scheme}://{user}:****@{host}"))
}

/// Well-known credential formats, by prefix: recognisable whatever the variable is called.
fn token_format(value: &str) -> Option<&'static str> {
    let long_tail = |prefix: &str| {
        value.strip_prefix(prefix).is_some_and(|rest| {
            rest.len() >= 20 && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    };
    if long_tail("sk-") {
        Some("an API secret key (`sk-…`)")
    } else if long_tail("ghp_") || long_tail("github_pat_") {
        Some("a GitHub token")
    } else if ["xoxb-", "xoxp-", "xoxa-"].iter().any(|p| long_tail(p)) {
        Some("a Slack token")
    } else if value.len() == 20
        && value.starts_with("AKIA")
        && value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        Some("an AWS access key ID")
    } else if value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----") {
        Some("a PEM private key")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "secret-in-plain-text";

    #[test]
    fn names_that_say_secret_and_names_that_do_not() {
        for key in [
            "OPENAI_API_KEY",
            "BETTER_AUTH_SECRET",
            "GITHUB_TOKEN",
            "DB_PASSWORD",
            "dbPassword",
            "MYSQL_ROOT_PASSWD",
            "STRIPE_SECRET_KEY",
            "PRIVATE_KEY",
            "apiKey",
        ] {
            assert!(secret_key_name(key).is_some(), "{key} should look secret");
        }
        for key in [
            "OPENAI_MODEL",
            "LOG_LEVEL",
            "BACKEND_URL",
            "CORS_ORIGINS",
            "TOKEN_URL",
            "PASSWORD_MIN_LENGTH",
            "SECRET_NAME",
            "SORT_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "TOKENIZER",
            "AWS_ACCESS_KEY_ID",
            "KEY",
        ] {
            assert!(secret_key_name(key).is_none(), "{key} should not look secret");
        }
    }

    #[test]
    fn the_default_render_has_nothing_secret_in_plain_text() {
        assert!(rendered(RULE, "{}").findings.is_empty());
    }

    #[test]
    fn a_secret_key_in_config_is_reported_at_its_data_key() {
        let sink = rendered(RULE, "config:\n  OPENAI_API_KEY: not-really-but-set\n");
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "data.OPENAI_API_KEY");
        assert!(sink.findings[0].message.contains("ends in `_KEY`"), "{}", sink.findings[0].message);
        // Empty values leak nothing.
        assert!(rendered(RULE, "config:\n  OPENAI_API_KEY: \"\"\n").findings.is_empty());
    }

    #[test]
    fn credentials_in_an_env_url_are_reported_masked() {
        let sink = rendered(
            RULE,
            "components:\n  todo-backend:\n    env:\n      DATABASE_URL: postgres://app:hunter2@db:5432/todo\n",
        );
        assert_eq!(sink.findings.len(), 1);
        // After the backend's six config and secret keys.
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.containers[0].env[6].value");
        let message = &sink.findings[0].message;
        assert!(message.contains("postgres://app:****@db:5432") && !message.contains("hunter2"), "{message}");
        // A password taken from another env var by `$(VAR)` expansion is fine.
        assert!(rendered(
            RULE,
            "components:\n  todo-backend:\n    env:\n      DATABASE_URL: postgres://app:$(DB_PASSWORD)@db/todo\n"
        )
        .findings
        .is_empty());
    }

    #[test]
    fn token_formats_are_recognised_under_any_name() {
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  SETTINGS_A: sk-abcdefghijklmnopqrstuvwx\n  SETTINGS_B: hello\n";
        let sink = manifests(RULE, yaml);
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "data.SETTINGS_A");
    }
}
