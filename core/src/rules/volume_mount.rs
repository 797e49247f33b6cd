//! volume-mount-unknown: each volumeMount must name a volume of its pod (a StatefulSet's claim templates count).

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::ManifestSet;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "volume-mount-unknown",
    summary: "A volumeMount must name one of the pod's volumes (or a StatefulSet's volumeClaimTemplates), or the API server rejects the pod: `spec.containers[0].volumeMounts[0].name: Not found: \"data\"`.",
    help: "Add the volume under the pod's `volumes`, or fix the mount's name.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for w in set.workloads() {
        let volumes: Vec<&str> = w
            .pod_spec
            .and_then(|s| s.volumes.as_deref())
            .unwrap_or(&[])
            .iter()
            .map(|v| v.name.as_str())
            .chain(w.controller().into_iter().flat_map(|c| c.claim_template_names()))
            .collect();
        for c in w.all_containers() {
            for (i, mount) in c.container.volume_mounts.iter().flatten().enumerate() {
                if volumes.contains(&mount.name.as_str()) {
                    continue;
                }
                let listed = if volumes.is_empty() {
                    "it has none".to_string()
                } else {
                    format!("it has {}", volumes.join(", "))
                };
                let hint = crate::presets::suggest(&mount.name, volumes.iter().copied())
                    .map(|n| format!(" Did you mean `{n}`?"))
                    .unwrap_or_default();
                let message = format!(
                    "{} mounts volume `{}` at `{}`, but the pod has no volume of that name ({listed}): the API server rejects the pod.{hint}",
                    c.who(),
                    mount.name,
                    mount.mount_path
                );
                sink.report(c.resource(), c.field().join(&field_path!("volumeMounts", i, "name")), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "volume-mount-unknown";

    fn statefulset(mounts: &str) -> String {
        format!("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  serviceName: db\n  selector: {{matchLabels: {{app: db}}}}\n  template:\n    metadata: {{labels: {{app: db}}}}\n    spec:\n      containers:\n        - name: db\n          image: \"db:1\"\n          volumeMounts: {mounts}\n      volumes: [{{name: config, emptyDir: {{}}}}]\n  volumeClaimTemplates:\n    - metadata: {{name: data}}\n      spec: {{accessModes: [ReadWriteOnce]}}\n")
    }

    #[test]
    fn volumes_and_claim_templates_are_mountable() {
        assert!(rendered(RULE, "{}").findings.is_empty());
        let sink =
            manifests(RULE, &statefulset("[{name: config, mountPath: /etc/db}, {name: data, mountPath: /var/lib/db}]"));
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
    }

    #[test]
    fn an_unknown_volume_is_reported_at_the_mount() {
        let sink = manifests(RULE, &statefulset("[{name: dat, mountPath: /var/lib/db}]"));
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.containers[0].volumeMounts[0].name");
        assert!(sink.findings[0].message.contains("Did you mean `data`?"), "{}", sink.findings[0].message);
    }
}
