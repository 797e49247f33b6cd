//! mount-path: each volumeMount of a container has a path, and no two share one.

use super::{Category, Check, ManifestSink, Rule, ValuesSink};
use crate::diagnostic::Severity::*;
use crate::path::{field_path, FieldPath};
use hashbrown::HashMap;

pub const RULE: Rule = Rule {
    id: "mount-path",
    summary: "A volumeMount needs a mountPath, and a container mounts each path once, or the API server rejects the pod.",
    help: "Give each mount its own absolute path (the API server says `mountPath: Required value` for an empty one and `mountPath: Invalid value: \"/data\": must be unique` for a repeated one).",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Both(check_values, check_manifests),
};

/// The problems of a container's mount paths, in order: (index, message).
fn problems<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<(usize, String)> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut found = Vec::new();
    for (i, path) in paths.enumerate() {
        if path.trim().is_empty() {
            found.push((
                i,
                "this mount has no path: the API server rejects the pod (`mountPath: Required value`)".to_string(),
            ));
        } else if let Some(earlier) = first.insert(path, i) {
            found.push((i, format!("mount path `{path}` is already used by volumeMounts[{earlier}]; the API server rejects two mounts at one path")));
        }
    }
    found
}

fn check_values(values: &crate::Values, sink: &mut ValuesSink) {
    for (name, component) in &values.components {
        for (i, message) in problems(component.volume_mounts.iter().map(|m| m.mount_path.as_str())) {
            sink.report(field_path!("components", name, "volumeMounts", i, "mountPath"), message);
        }
    }
}

/// Pasted workloads (a render's are the values half's).
fn check_manifests(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    for w in set.workloads().filter(|w| set.resources[w.resource].is_parsed()) {
        for c in w.all_containers() {
            let mounts = c.container.volume_mounts.iter().flatten();
            for (i, message) in problems(mounts.map(|m| m.mount_path.as_str())) {
                let at: FieldPath = c.field().join(&field_path!("volumeMounts", i, "mountPath"));
                sink.report(c.resource(), at, format!("{} of {}", message, c.who()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, values_findings};

    const RULE: &str = "mount-path";

    fn pod(mounts: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  containers:\n    - name: web\n      image: web:1\n      volumeMounts: {mounts}\n  volumes: [{{name: a, emptyDir: {{}}}}, {{name: b, emptyDir: {{}}}}]\n")
    }

    #[test]
    fn paths_given_once_pass() {
        assert!(values_findings(RULE, "").is_empty(), "the presets mount each path once");
        assert!(manifests(RULE, &pod("[{name: a, mountPath: /data}, {name: b, mountPath: /data/b}]"))
            .findings
            .is_empty());
    }

    #[test]
    fn a_repeated_path_is_reported_at_the_second() {
        // A list in a values file replaces the preset's.
        let overlay = "components:\n  todo-frontend:\n    volumeMounts:\n      - {name: tmp, mountPath: /tmp}\n      - {name: next-cache, mountPath: /tmp}\n";
        let found: Vec<(String, String)> =
            values_findings(RULE, overlay).into_iter().map(|f| (f.path.to_string(), f.message)).collect();
        assert_eq!(
            found,
            [(
                "components.todo-frontend.volumeMounts[1].mountPath".to_string(),
                "mount path `/tmp` is already used by volumeMounts[0]; the API server rejects two mounts at one path"
                    .to_string()
            )]
        );
        let sink = manifests(
            RULE,
            &pod("[{name: a, mountPath: /data}, {name: b, mountPath: /data/b}, {name: b, mountPath: /data}]"),
        );
        let fields: Vec<String> = sink.findings.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(fields, ["spec.containers[0].volumeMounts[2].mountPath"], "{:?}", sink.findings);
    }

    #[test]
    fn an_empty_path_is_reported() {
        let overlay = "components:\n  todo-frontend:\n    volumeMounts:\n      - {name: tmp, mountPath: \"\"}\n";
        let found = values_findings(RULE, overlay);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path.to_string(), "components.todo-frontend.volumeMounts[0].mountPath");
        assert!(found[0].message.contains("Required value"), "{}", found[0].message);
        let sink = manifests(RULE, &pod("[{name: a, mountPath: \"\"}]"));
        assert_eq!(sink.findings.len(), 1);
        assert!(sink.findings[0].message.ends_with("of container `web` of Pod `web`"), "{}", sink.findings[0].message);
    }
}
