//! secret-invalid-base64: a Secret's `data` values must be base64 as the API server decodes it.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::go_base64::{decode, why_not};
use crate::manifest::{ManifestSet, Object};
use crate::path::FieldPath;
use crate::source::{NodeKind, Scalar};

pub const RULE: Rule = Rule {
    id: "secret-invalid-base64",
    summary: "Values under a Secret's `data` must be base64; the API server rejects anything else.",
    help: "Encode the value with base64, or put plain text under `stringData`.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

// k8s-openapi decodes `data` while reading and fails the whole document on a bad value, so a
// typed Secret never holds one. `manifest::read` runs `readable` on a Secret's JSON first, which
// keeps the Secret readable, and this check reads the `data` the document was written with to
// report each bad value at its line.
fn check(set: &ManifestSet, sink: &mut super::ManifestSink) {
    // Rendered Secrets are encoded by kubeplay itself; only parsed ones can be wrong.
    for (index, resource) in set.iter() {
        let (Object::Secret(secret), Some(written)) = (&resource.object, resource.written()) else {
            continue;
        };
        let Some(NodeKind::Map(data)) = written.get("data").map(|d| &d.kind) else {
            continue;
        };
        let name = secret.metadata.name.as_deref().unwrap_or("");
        for (key, _, value) in data {
            let problem = match &value.kind {
                NodeKind::Scalar(Scalar::Str(text)) => match decode(text) {
                    Ok(_) => continue,
                    Err(error) => why_not(text, &error),
                },
                NodeKind::Scalar(Scalar::Int(_) | Scalar::Float(_) | Scalar::Bool(_)) => {
                    "it is a YAML number or boolean, not base64 text".to_string()
                }
                _ => continue,
            };
            let message = format!(
                "Secret `{name}` data `{key}` is not valid base64 ({problem}): the API server rejects the Secret. Encode the value (`printf %s 'value' | base64`), or move it under `stringData` as plain text."
            );
            sink.report(index, FieldPath::root().key("data").key(key), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::secret_data::readable;
    use crate::rules::testing::{manifests, rendered, run_on};
    use crate::source::SourceFile;
    use std::borrow::Cow;

    const RULE: &str = "secret-invalid-base64";

    fn secret(data: &str) -> String {
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n{data}")
    }

    fn read_one(yaml: &str) -> ManifestSet {
        let (set, diagnostics) = crate::manifest::read(vec![SourceFile::new("m.yaml", yaml)]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        set
    }

    #[test]
    fn decodes_like_the_api_server() {
        assert_eq!(decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode("aGVs\nbG8=\n").unwrap(), b"hello", "Go skips newlines");
        assert_eq!(decode("").unwrap(), b"");
        assert!(decode("aGVsbG8").is_err(), "Go requires padding");
        assert!(decode("hello world").is_err());
    }

    #[test]
    fn bad_values_are_reported_at_their_key_and_line() {
        let yaml = secret("  GOOD: aGVsbG8=\n  PLAIN: hunter2 pass\n  PORT: 5432\n");
        let set = read_one(&yaml);
        let Object::Secret(s) = &set.resources[0].object else { unreachable!() };
        // The Secret and all its keys survive the read.
        assert_eq!(s.data.as_ref().unwrap().len(), 3);
        let sink = run_on(RULE, &set);
        let fields: Vec<String> = sink.findings.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(fields, ["data.PLAIN", "data.PORT"]);
        assert!(
            sink.findings[0].message.contains("plain text") && !sink.findings[0].message.contains("hunter2"),
            "{}",
            sink.findings[0].message
        );
        assert_eq!(set.resolve(0, &sink.findings[0].field).location.unwrap().line, 7);
    }

    #[test]
    fn valid_wrapped_and_url_safe_values() {
        let ok = read_one(&secret("  WRAPPED: |\n    aGVs\n    bG8=\n  EMPTY: \"\"\n"));
        assert!(run_on(RULE, &ok).findings.is_empty());
        let url_safe = run_on(RULE, &read_one(&secret("  K: ab-_cd==\n")));
        assert!(url_safe.findings[0].message.contains("URL-safe"), "{}", url_safe.findings[0].message);
    }

    #[test]
    fn readable_leaves_canonical_secrets_untouched() {
        let json = serde_json::json!({"apiVersion": "v1", "kind": "Secret", "data": {"A": "aGVsbG8="}});
        assert!(matches!(readable(&json), Cow::Borrowed(_)));
    }

    #[test]
    fn rendered_secrets_are_always_valid() {
        assert!(rendered(RULE, "secrets:\n  A: \"not base64 at all!\"\n").findings.is_empty());
    }

    #[test]
    fn read_keeps_the_secret_and_this_rule_reports_the_value() {
        let sink = manifests(RULE, &secret("  PLAIN: hunter2 pass\n"));
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "data.PLAIN");
    }
}
