//! dns-name: the namespace, each component name and `appName` must be DNS-1123 labels; a
//! pasted object's name must be the DNS name its kind takes, and a container's a DNS-1123 label.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::Object;
use crate::names::{describe, dns1035_label, dns1123_label, dns1123_subdomain};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "dns-name",
    summary: "Names become DNS names: a Namespace, a container, a component and appName are DNS-1123 labels (lowercase letters, digits and '-', at most 63 characters), a Service's name also starts with a letter (DNS-1035), most other objects' names are DNS-1123 subdomains (labels joined by '.', at most 253; a CronJob's at most 52). The API server says, e.g.: `metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`.",
    help: "Rename it, e.g. `todo-backend` instead of `Todo_Backend`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Both(check, check_manifests),
};

/// A CronJob's name leaves room for the time suffix of the Jobs it makes.
const CRON_JOB_NAME_MAX: usize = 52;

/// Pasted objects (rendered ones were checked as values): each kind's name grammar, as the API
/// server's validation has it; kinds whose grammar is looser (RBAC, autoscalers) or unknown
/// (custom resources) are left alone rather than guessed.
fn check_manifests(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for (i, resource) in set.resources.iter().enumerate().filter(|(_, r)| r.is_parsed()) {
        let object = &resource.object;
        let name = object.name();
        // An object named by `generateName` has no name of its own to check.
        if name.is_empty() {
            continue;
        }
        let kind = object.kind();
        let grammar = match object {
            Object::Namespace(_) => dns1123_label(name),
            Object::Service(_) => dns1035_label(name),
            Object::Secret(_)
            | Object::ConfigMap(_)
            | Object::Deployment(_)
            | Object::Workload(_)
            | Object::ServiceAccount(_)
            | Object::PersistentVolumeClaim(_)
            | Object::Ingress(_)
            | Object::PodDisruptionBudget(_)
            | Object::NetworkPolicy(_) => dns1123_subdomain(name).and_then(|()| match kind {
                "CronJob" if name.len() > CRON_JOB_NAME_MAX => Err(format!(
                    "is {} characters long; a CronJob's name is at most {CRON_JOB_NAME_MAX} (its Jobs add a suffix)",
                    name.len()
                )),
                _ => Ok(()),
            }),
            _ => continue,
        };
        if let Err(reason) = grammar {
            sink.report(i, field_path!("metadata", "name"), describe(&format!("{kind} name"), name, &reason));
        }
    }
    for w in set.workloads().filter(|w| set.resources[w.resource].is_parsed()) {
        for c in w.all_containers() {
            if let Err(reason) = dns1123_label(&c.container.name) {
                sink.report(
                    c.resource(),
                    c.field().join(&field_path!("name")),
                    describe("container name", &c.container.name, &reason),
                );
            }
        }
    }
}

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    if let Err(reason) = dns1123_label(&values.namespace) {
        sink.report(field_path!("namespace"), describe("namespace", &values.namespace, &reason));
    }
    // appName is a label value and prefixes `<appName>-config` and `<appName>-secrets`; the
    // label grammar keeps all three valid (63 + 8 is far below the 253 object names allow).
    if let Err(reason) = dns1123_label(&values.app_name) {
        sink.report(field_path!("appName"), describe("appName", &values.app_name, &reason));
    }
    for name in values.components.keys() {
        // A component's name becomes its Deployment's and its container's name.
        if let Err(reason) = dns1123_label(name) {
            sink.report(field_path!("components", name), describe("component name", name, &reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::{manifests, values_findings};

    #[test]
    fn the_default_preset_passes() {
        assert!(values_findings("dns-name", "namespace: demo-1\n").is_empty());
    }

    #[test]
    fn pasted_names_follow_their_kinds_grammar() {
        let pasted = "apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web.settings-v2}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: Web_Keys}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: Web, image: \"nginx:1\"}]}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a-very-long-name-for-a-nightly-job-that-cleans-up-old-rows}\nspec: {schedule: \"0 3 * * *\", jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: \"busybox:1\"}]}}}}}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: \"system:Reader\"}\n";
        let sink = manifests("dns-name", pasted);
        // Resources by their place in the file: the Service, ..., the Deployment (3), the CronJob.
        let found: Vec<String> =
            sink.findings.iter().map(|f| format!("{} {}: {}", f.resource, f.field, f.message)).collect();
        assert_eq!(
            found,
            [
                "0 metadata.name: Service name `1web` must start with a lowercase letter (Service names become DNS names)",
                "2 metadata.name: Secret name `Web_Keys` contains `W`; only lowercase letters, digits, `-` and `.` are allowed",
                "4 metadata.name: CronJob name `a-very-long-name-for-a-nightly-job-that-cleans-up-old-rows` is 58 characters long; a CronJob's name is at most 52 (its Jobs add a suffix)",
                "3 spec.template.spec.containers[0].name: container name `Web` contains `W`; only lowercase letters, digits and `-` are allowed",
            ]
        );
    }

    #[test]
    fn an_uppercase_component_name_is_reported_at_the_component() {
        let findings = values_findings(
            "dns-name",
            "components:\n  todo-frontend: null\n  Todo_Backend:\n    image: {repository: todo-backend}\n",
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.Todo_Backend"));
        assert_eq!(
            findings[0].message,
            "component name `Todo_Backend` contains `T`; only lowercase letters, digits and `-` are allowed"
        );
    }

    #[test]
    fn a_dotted_component_name_keeps_its_path() {
        let findings = values_findings("dns-name", "components:\n  web.v2:\n    image: {repository: web}\n");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path.to_string(), "components[\"web.v2\"]");
        assert!(findings[0].message.contains("`.`"), "{}", findings[0].message);
    }

    #[test]
    fn namespace_and_app_name_are_checked() {
        let findings = values_findings("dns-name", "namespace: \"\"\nappName: todo-chatbot-\n");
        let paths: Vec<String> = findings.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(paths, ["namespace", "appName"]);
        assert_eq!(findings[0].message, "namespace must not be empty");
        assert_eq!(findings[1].message, "appName `todo-chatbot-` must start and end with a letter or digit");
    }

    #[test]
    fn a_name_over_63_characters_is_too_long() {
        let long = "a".repeat(64);
        let findings = values_findings("dns-name", &format!("namespace: {long}\n"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].message.ends_with("is 64 characters long; at most 63 are allowed"));
    }
}
