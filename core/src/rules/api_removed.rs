//! api-removed: an object written with an apiVersion the chosen Kubernetes release no longer serves (an error) or has deprecated (a warning).

use super::{Category, Check, ManifestSink, Rule};
use crate::deprecations::{self, Release};
use crate::diagnostic::Severity::*;
use crate::manifest::ManifestSet;
use crate::path::FieldPath;

pub const RULE: Rule = Rule {
    id: "api-removed",
    summary: "An object's apiVersion must be one the cluster's Kubernetes release still serves: a removed one makes the apply fail with \"no matches for kind\".",
    help: "Write the apiVersion the finding names (and the fields that changed with it); `--kube-version` sets the release checked, the newest by default.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let version = sink.schema.map_or(crate::openapi::NEWEST, |s| s.version());
    let Some(target) = Release::parse(version) else { return };
    // Rendered objects are written by kubeplay with current apiVersions: only read ones ask.
    for (i, resource) in set.iter() {
        let Some(tree) = resource.written() else { continue };
        let (Some(api_version), Some(kind)) = (tree.text_at("apiVersion"), tree.text_at("kind")) else { continue };
        let Some(d) = deprecations::of(api_version, kind) else { continue };
        let what = format!("{kind} `{}` is written as `{api_version}`", resource.object.name());
        let note = if d.note.is_empty() { String::new() } else { format!(" ({} there)", d.note) };
        match d.removed_in {
            Some(removed) if removed <= target => sink.report(
                i,
                FieldPath::root().key("apiVersion"),
                format!(
                    "{what}, which Kubernetes stopped serving in {removed} (deprecated since {}): on Kubernetes {target} the apply fails with `no matches for kind \"{kind}\" in version \"{api_version}\"`. Use {}{note}.",
                    d.deprecated_in, d.replacement
                ),
            ),
            _ if d.deprecated_in <= target => {
                let until = d.removed_in.map_or(String::new(), |r| format!(" and removed in {r}"));
                sink.warn(
                    i,
                    FieldPath::root().key("apiVersion"),
                    format!(
                        "{what}, deprecated since Kubernetes {}{until}: it still works on {target}, but move to {}{note} before the upgrade that drops it.",
                        d.deprecated_in, d.replacement
                    ),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, run_on};
    use crate::rules::{run_under, Settings};

    const OLD_INGRESS: &str = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /, backend: {serviceName: web, servicePort: 80}}\n";
    const FLOW: &str = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\nspec: {priorityLevelConfiguration: {name: p}}\n";

    fn under(version: &str, yaml: &str) -> crate::rules::ManifestSink {
        let (set, _) = crate::manifest::read(vec![crate::SourceFile::new("m.yaml", yaml)]);
        let settings = Settings { schema: crate::openapi::embedded(version), ..Settings::default() };
        run_under("api-removed", &set, settings).expect("a manifest rule")
    }

    #[test]
    fn a_removed_api_is_an_error_on_its_apiversion_line() {
        let sink = manifests("api-removed", OLD_INGRESS);
        assert_eq!(sink.findings.len(), 1);
        let finding = &sink.findings[0];
        assert_eq!(finding.field.to_string(), "apiVersion");
        assert_eq!(finding.at_most, None, "an error");
        let message = &finding.message;
        assert!(message.contains("stopped serving in 1.22") && message.contains("`networking.k8s.io/v1`"), "{message}");
    }

    #[test]
    fn a_deprecated_api_still_served_is_a_warning_until_its_release() {
        let served = under("1.31", FLOW);
        assert_eq!(served.findings.len(), 1);
        assert_eq!(served.findings[0].at_most, Some(crate::Severity::Warning));
        assert!(served.findings[0].message.contains("removed in 1.32"), "{}", served.findings[0].message);
        let removed = under("1.32", FLOW);
        assert_eq!(removed.findings.len(), 1);
        assert_eq!(removed.findings[0].at_most, None);
    }

    #[test]
    fn current_apis_and_rendered_objects_pass() {
        let current = OLD_INGRESS.replace("extensions/v1beta1", "networking.k8s.io/v1");
        assert!(manifests("api-removed", &current).findings.is_empty());
        assert!(under("1.29", &FLOW.replace("v1beta3", "v1")).findings.is_empty());
        let render = crate::render::render(&crate::rules::testing::values(""), "test");
        assert!(run_on("api-removed", &render).findings.is_empty());
    }
}
