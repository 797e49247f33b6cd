//! service-account-missing: the ServiceAccount a pod runs as must exist in its namespace (`default` always does).

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::ManifestSet;
use crate::resource::ResourceRef;

pub const RULE: Rule = Rule {
    id: "service-account-missing",
    summary: "A pod's serviceAccountName must name a ServiceAccount of its namespace, or its pods are never created (FailedCreate).",
    help: "Create the ServiceAccount next to the workload, or drop serviceAccountName to run as `default`.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for w in set.workloads() {
        let Some(spec) = w.pod_spec else { continue };
        // `serviceAccount` is the deprecated spelling; the API server still honours it.
        let (field, name) = match (&spec.service_account_name, &spec.service_account) {
            (Some(name), _) => ("serviceAccountName", name),
            (None, Some(name)) => ("serviceAccount", name),
            (None, None) => continue,
        };
        // Every namespace has a `default` ServiceAccount.
        if name.is_empty() || name == "default" {
            continue;
        }
        let namespace = set.namespace_of(w.resource);
        let (from, to) = (w.pods_ref(set), ResourceRef::to_kind("ServiceAccount", namespace, name));
        if set.find("ServiceAccount", namespace, name).is_some() {
            sink.edge(from, to, EdgeKind::RunsAs, "runs as");
            continue;
        }
        let message = format!("{} runs as ServiceAccount `{name}`, which is not in namespace `{namespace}`: the API server refuses to create its pods (FailedCreate: serviceaccount \"{name}\" not found).", w.who());
        sink.broken_edge(from, to, EdgeKind::RunsAs, "runs as", (w.resource, w.pod_field(&[field.into()])), message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "service-account-missing";

    fn set(account: &str, field: &str) -> String {
        format!("apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: web}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{{field}: {account}, containers: [{{name: web, image: \"web:1\"}}]}}\n")
    }

    #[test]
    fn an_existing_or_default_account_passes() {
        assert!(rendered(RULE, "{}").findings.is_empty());
        assert!(manifests(RULE, &set("web", "serviceAccountName")).findings.is_empty());
        assert!(manifests(RULE, &set("default", "serviceAccountName")).findings.is_empty());
    }

    #[test]
    fn a_missing_account_is_reported_at_its_field() {
        let sink = manifests(RULE, &set("api", "serviceAccount"));
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.serviceAccount");
        assert!(sink.edges.get(0).broken.is_some());
    }
}
