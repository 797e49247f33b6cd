//! label-invalid: label and annotation keys, label values and selector values of pasted objects must follow Kubernetes' label grammar, or the API server rejects the object.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::Workload;
use crate::manifest::{service_selector, ManifestSet, Object, WorkloadKind};
use crate::names::{label_value, qualified_name};
use crate::path::{FieldPath, Segment};
use std::collections::BTreeMap;

pub const RULE: Rule = Rule {
    id: "label-invalid",
    summary: "Label and annotation keys are `[prefix/]name` (name: letters, digits, `-`, `_`, `.`, at most 63; prefix: a DNS name) and label values at most 63 such characters: else the API server says \"Invalid value: ... must consist of alphanumeric characters, '-', '_' or '.'\".",
    help: "Rename the key or value: letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit (e.g. `app.kubernetes.io/name: todo-backend`); put free text in an annotation value instead.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    // Rendered labels come from names the values rules already checked.
    for (i, resource) in set.iter().filter(|(_, r)| r.is_parsed()) {
        let object = &resource.object;
        let metadata = object.metadata();
        let workload = Workload::of(i, object);
        let pod = workload.filter(|w| w.kind != WorkloadKind::Pod).and_then(|w| w.pod_metadata);
        let service = match object {
            Object::Service(service) => service_selector(service),
            _ => None,
        };
        // Nearly every object is clean: check before building any message or path.
        let clean = valid(metadata.labels.as_ref(), true)
            && valid(metadata.annotations.as_ref(), false)
            && valid(pod.and_then(|m| m.labels.as_ref()), true)
            && valid(pod.and_then(|m| m.annotations.as_ref()), false)
            && valid(workload.and_then(|w| w.selector?.match_labels.as_ref()), true)
            && valid(service, true);
        if clean {
            continue;
        }
        let who = format!("{} `{}`", object.kind(), object.name());
        let at = FieldPath::root().key("metadata");
        labels(sink, i, &who, &at, "labels", metadata.labels.as_ref());
        keys(sink, i, &who, &at, "annotations", metadata.annotations.as_ref());
        if let Some(w) = workload {
            // A Pod's template is its own metadata, read above.
            if w.kind != WorkloadKind::Pod {
                let at = w.template_field(&[Segment::from("metadata")]);
                labels(sink, i, &who, &at, "labels", w.pod_metadata.and_then(|m| m.labels.as_ref()));
                keys(sink, i, &who, &at, "annotations", w.pod_metadata.and_then(|m| m.annotations.as_ref()));
            }
            let selector = w.selector.and_then(|s| s.match_labels.as_ref());
            let field = if w.kind.has_map_selector() { "selector" } else { "matchLabels" };
            let at = if w.kind.has_map_selector() {
                FieldPath::root().key("spec")
            } else {
                FieldPath::root().key("spec").key("selector")
            };
            labels(sink, i, &who, &at, field, selector);
        }
        if let Object::Service(service) = object {
            labels(sink, i, &who, &FieldPath::root().key("spec"), "selector", service_selector(service));
        }
    }
}

/// Whether every key of `map` is a qualified name and, for labels, every value a label value.
fn valid<V: AsRef<str>>(map: Option<&BTreeMap<String, V>>, label_values: bool) -> bool {
    map.into_iter()
        .flatten()
        .all(|(k, v)| qualified_name(k).is_ok() && (!label_values || label_value(v.as_ref()).is_ok()))
}

/// Keys and values of a label map (`field` under `at`).
fn labels(
    sink: &mut ManifestSink,
    i: usize,
    who: &str,
    at: &FieldPath,
    field: &str,
    map: Option<&BTreeMap<String, String>>,
) {
    keys(sink, i, who, at, field, map);
    let at = at.key(field);
    for (key, value) in map.into_iter().flatten() {
        if let Err(reason) = label_value(value) {
            sink.report(
                i,
                at.key(key),
                format!("{who}: the value `{value}` of `{field}` key `{key}` {reason}, so the API server rejects it (`Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`)."),
            );
        }
    }
}

/// The keys of a label or annotation map (`field` under `at`).
fn keys<V>(
    sink: &mut ManifestSink,
    i: usize,
    who: &str,
    at: &FieldPath,
    field: &str,
    map: Option<&BTreeMap<String, V>>,
) {
    let at = at.key(field);
    for key in map.into_iter().flat_map(BTreeMap::keys) {
        if let Err(reason) = qualified_name(key) {
            sink.report_key(
                i,
                at.key(key),
                format!("{who}: the `{field}` key `{key}` {reason}, so the API server rejects it (`Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.'`)."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app.kubernetes.io/name: web}\n  annotations: {note: \"free text is fine here!\"}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: w, image: 'web:1'}]\n";

    #[test]
    fn bad_keys_and_values_are_rejected_where_written() {
        let bad = DEPLOYMENT.replace("labels: {app.kubernetes.io/name: web}", "labels: {my key: web, tier: front end}");
        let sink = manifests("label-invalid", &bad);
        let found: Vec<(String, bool)> = sink.findings.iter().map(|f| (f.field.to_string(), f.at_key)).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|(f, at_key)| f.contains("my key") && *at_key), "{found:?}");
        assert!(found.iter().any(|(f, at_key)| f.ends_with("tier") && !*at_key), "{found:?}");
        let selector =
            manifests("label-invalid", &DEPLOYMENT.replace("matchLabels: {app: web}", "matchLabels: {app: web!}"));
        assert_eq!(selector.findings.len(), 1);
        assert_eq!(selector.findings[0].field.to_string(), "spec.selector.matchLabels.app");
    }

    #[test]
    fn prefixed_keys_free_text_annotations_and_renders_pass() {
        assert!(manifests("label-invalid", DEPLOYMENT).findings.is_empty());
        assert!(rendered("label-invalid", "").findings.is_empty());
    }
}
