//! empty-secret-value: a Secret key with no value yet, to be given at deploy time.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "empty-secret-value",
    summary: "A Secret key has no value yet; the app will start without it unless it is given at deploy time.",
    help: "Give it at deploy time: `kubeplay apply --secret KEY=VALUE` (never commit secret values).",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Info),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for (i, secret) in set.secrets() {
        // A render's hook Secret is the setup Job's copy of keys the release's own Secret
        // holds: the same value, reported there once.
        if !set.resources[i].is_parsed() && crate::manifest::hooks::is_hook(&secret.metadata) {
            continue;
        }
        let name = secret.metadata.name.as_deref().unwrap_or("");
        for (list, key) in empty_keys(secret) {
            sink.report(
                i,
                field_path!(list, key),
                format!("Secret `{name}` key `{key}` is empty; give it at deploy time with `kubeplay apply --secret {key}=VALUE`."),
            );
        }
    }
}

/// The keys of a Secret that have no value, with the list (`data` or `stringData`) that decides
/// it: the API server merges stringData over data, so a key in stringData decides its value.
/// `kubeplay apply` asks the same question of the secrets it must be given.
pub fn empty_keys(secret: &k8s_openapi::api::core::v1::Secret) -> Vec<(&'static str, &str)> {
    let string_data = secret.string_data.as_ref();
    let from_data = secret
        .data
        .iter()
        .flatten()
        .filter(|(key, value)| value.0.is_empty() && !string_data.is_some_and(|s| s.contains_key(*key)))
        .map(|(key, _)| ("data", key.as_str()));
    let from_string_data = string_data
        .into_iter()
        .flatten()
        .filter(|(_, value)| value.is_empty())
        .map(|(key, _)| ("stringData", key.as_str()));
    from_data.chain(from_string_data).collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    fn fields(sink: &crate::rules::ManifestSink) -> Vec<String> {
        sink.findings.iter().map(|f| f.field.to_string()).collect()
    }

    #[test]
    fn a_setup_jobs_copy_of_an_empty_key_is_reported_once() {
        let overlay = "components:\n  todo-migrate:\n    kind: Job\n    hook: true\n    image: {repository: todo-backend, tag: \"1.0.0\"}\n    secretKeys: [DATABASE_URL]\n";
        let sink = rendered("empty-secret-value", overlay);
        let on_key: Vec<String> =
            sink.findings.iter().filter(|f| f.message.contains("`DATABASE_URL`")).map(|f| f.message.clone()).collect();
        assert_eq!(on_key.len(), 1, "{on_key:?}");
        assert!(on_key[0].starts_with("Secret `todo-chatbot-secrets`"), "{on_key:?}");
    }

    #[test]
    fn empty_values_are_reported_by_key() {
        // The preset leaves all three secrets empty.
        let sink = rendered("empty-secret-value", "secrets: {DATABASE_URL: postgres://db/todo}\n");
        assert_eq!(fields(&sink), ["data.BETTER_AUTH_SECRET", "data.OPENAI_API_KEY"]);
        assert!(
            sink.findings[0].message.contains("`kubeplay apply --secret BETTER_AUTH_SECRET=VALUE`"),
            "{}",
            sink.findings[0].message
        );
        let yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {EMPTY: \"\", FULL: aGk=, OVERRIDDEN: \"\"}\nstringData: {OVERRIDDEN: set, BLANK: \"\"}\n";
        assert_eq!(fields(&manifests("empty-secret-value", yaml)), ["data.EMPTY", "stringData.BLANK"]);
    }

    #[test]
    fn filled_values_pass() {
        let sink =
            rendered("empty-secret-value", "secrets: {DATABASE_URL: a, OPENAI_API_KEY: b, BETTER_AUTH_SECRET: c}\n");
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
    }
}
