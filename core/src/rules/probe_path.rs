//! probe-path: an HTTP probe path must start with `/` and contain no whitespace.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "probe-path",
    summary: "An HTTP probe path must start with '/' and contain no spaces.",
    help: "Write the path as the server sees it, e.g. `/health`; the kubelet adds the pod's address and the port.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        let probes = &component.probes;
        for (kind, probe) in
            [("liveness", &probes.liveness), ("readiness", &probes.readiness), ("startup", &probes.startup)]
        {
            // Without a path the probe is a TCP connection.
            let Some(path) = probe.as_ref().and_then(|p| p.path.as_deref()) else { continue };
            if let Some(message) = problem(kind, path) {
                sink.report(field_path!("components", name, "probes", kind, "path"), message);
            }
        }
    }
}

fn problem(kind: &str, path: &str) -> Option<String> {
    let what = format!("{kind} probe path");
    if path.is_empty() {
        return Some(format!("{what} is empty; write the path the server answers on, e.g. `/health`"));
    }
    // A whole URL is the usual way to get this wrong: the host and port come from the pod.
    if path.contains("://") {
        return Some(format!(
            "{what} `{path}` is a URL; write only its path, e.g. `/health`, since the kubelet supplies host and port"
        ));
    }
    if !path.starts_with('/') {
        return Some(format!("{what} `{path}` must start with `/`, e.g. `/{}`", path.trim_start()));
    }
    if path.contains(char::is_whitespace) {
        return Some(format!("{what} `{path}` contains whitespace; remove it or encode a space as `%20`"));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    #[test]
    fn the_default_preset_passes() {
        let overlay =
            "components:\n  todo-backend:\n    probes:\n      startup: {path: \"/healthz?full=1\", port: http}\n";
        assert!(values_findings("probe-path", overlay).is_empty());
    }

    #[test]
    fn a_path_without_a_slash_is_reported_at_the_path() {
        let findings = values_findings(
            "probe-path",
            "components:\n  todo-backend:\n    probes:\n      readiness: {path: health}\n",
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-backend.probes.readiness.path"));
        assert_eq!(findings[0].message, "readiness probe path `health` must start with `/`, e.g. `/health`");
    }

    #[test]
    fn urls_spaces_and_empty_paths_are_reported() {
        let overlay = "components:\n  todo-backend:\n    probes:\n      liveness: {path: \"http://localhost:8000/health\"}\n      readiness: {path: \"/health check\"}\n      startup: {path: \"\", port: http}\n";
        let findings = values_findings("probe-path", overlay);
        let found: Vec<(String, &str)> = findings.iter().map(|f| (f.path.to_string(), f.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    "components.todo-backend.probes.liveness.path".to_string(),
                    "liveness probe path `http://localhost:8000/health` is a URL; write only its path, e.g. `/health`, since the kubelet supplies host and port"
                ),
                (
                    "components.todo-backend.probes.readiness.path".to_string(),
                    "readiness probe path `/health check` contains whitespace; remove it or encode a space as `%20`"
                ),
                (
                    "components.todo-backend.probes.startup.path".to_string(),
                    "startup probe path is empty; write the path the server answers on, e.g. `/health`"
                ),
            ]
        );
    }
}
