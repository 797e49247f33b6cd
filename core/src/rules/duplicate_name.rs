//! duplicate-name: within one component, ports and environment variables must not repeat.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::{field_path, Segment};
use hashbrown::HashMap;

pub const RULE: Rule = Rule {
    id: "duplicate-name",
    summary: "Two ports or environment variables of one component share a name or number, so one silently shadows the other; two containers or volumes of one pod share a name, which the API server rejects (`Duplicate value: \"data\"`).",
    help: "Give each port and variable its own name (and each port its own number); list each key once, in configKeys or secretKeys.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Both(check, check_manifests),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    // Cleared for each component, so their memory is allocated once.
    let mut port_names: HashMap<&str, usize> = HashMap::new();
    let mut port_numbers: HashMap<i32, usize> = HashMap::new();
    let mut variables: HashMap<&str, Setter> = HashMap::new();
    for (name, component) in &values.components {
        port_names.clear();
        port_numbers.clear();
        for (i, port) in component.ports.iter().enumerate() {
            // An empty name is port-name's finding, not a clash.
            if !port.name.is_empty() {
                if let Some(first) = port_names.get(port.name.as_str()) {
                    sink.report(
                        field_path!("components", name, "ports", i, "name"),
                        format!(
                            "port name `{}` is already used by ports[{first}]; port names must be unique in a pod",
                            port.name
                        ),
                    );
                } else {
                    port_names.insert(&port.name, i);
                }
            }
            if let Some(first) = port_numbers.get(&port.container_port) {
                sink.report(
                    field_path!("components", name, "ports", i, "containerPort"),
                    format!(
                        "containerPort {} is already declared by ports[{first}]; declare each port once",
                        port.container_port
                    ),
                );
            } else {
                port_numbers.insert(port.container_port, i);
            }
        }

        // Each container's variables, in the order the render lists them: env, configKeys,
        // secretKeys, fieldEnv. The kubelet keeps the last of two variables with one name, so
        // the second silently wins; it is reported there. `env` is a map, so its keys never repeat.
        // The app's container is named like the component; init containers must differ.
        for container in component.containers(name) {
            let Some(i) = container.init else { continue };
            let earlier = component.init_containers[..i].iter().position(|c| c.name == container.name);
            let first = match earlier {
                Some(j) => format!("initContainers[{j}]"),
                None if container.name == name.as_str() => "the component's own container".to_string(),
                None => continue,
            };
            sink.report(
                container.at().join(&field_path!("name")),
                format!("init container `{}` has the same name as {first}; the API server rejects a pod with two containers of one name", container.name),
            );
        }
        for container in component.containers(name) {
            variables.clear();
            variables.extend(container.env.keys().map(|k| (k.as_str(), Setter::Env)));
            for (list, keys) in [("configKeys", container.config_keys), ("secretKeys", container.secret_keys)] {
                for (i, key) in keys.iter().enumerate() {
                    if let Some(first) = variables.get(key.as_str()) {
                        sink.report(
                            container.at().join(&field_path!(list, i)),
                            format!("environment variable `{key}` is already set by {first}; with two variables of one name, only the last one counts"),
                        );
                    } else {
                        variables.insert(key, Setter::Listed(list, i));
                    }
                }
            }
            // Then the pod's fields, last in the container's env.
            for key in container.field_env.keys() {
                if let Some(first) = variables.get(key.as_str()) {
                    sink.report(
                        container.at().join(&field_path!("fieldEnv", key)),
                        format!("environment variable `{key}` is already set by {first}; with two variables of one name, only the last one counts"),
                    );
                }
            }
        }
    }
}

/// Pasted workloads: container, port and volume names are unique in a pod, a container lists a
/// port number (per protocol) and an env name once.
fn check_manifests(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    let parsed = set.workloads().filter(|w| set.resources[w.resource].is_parsed());
    for w in parsed {
        let mut volumes: HashMap<&str, usize> = HashMap::new();
        for (i, volume) in w.pod_spec.and_then(|s| s.volumes.as_deref()).unwrap_or(&[]).iter().enumerate() {
            if let Some(first) = volumes.insert(&volume.name, i) {
                let message = format!(
                    "volume `{}` of {} `{}` is already declared by volumes[{first}]; the API server rejects a pod with two volumes of one name",
                    volume.name,
                    w.kind.as_str(),
                    set.resources[w.resource].object.name()
                );
                sink.report(
                    w.resource,
                    w.pod_field(&[Segment::from("volumes"), Segment::Index(i), Segment::from("name")]),
                    message,
                );
            }
        }
        let mut containers: HashMap<&str, String> = HashMap::new();
        let mut port_names: HashMap<&str, String> = HashMap::new();
        for c in w.all_containers() {
            let place = || c.field().to_string();
            if let Some(first) = containers.get(c.container.name.as_str()) {
                let message = format!(
                    "{} has the same name as {first}; the API server rejects a pod with two containers of one name",
                    c.who()
                );
                sink.report(c.resource(), c.field().join(&field_path!("name")), message);
            } else {
                containers.insert(&c.container.name, place());
            }
            let mut numbers: HashMap<(i32, &str), usize> = HashMap::new();
            for (i, port) in c.container.ports.iter().flatten().enumerate() {
                if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
                    if let Some(first) = port_names.get(name) {
                        let message = format!(
                            "port name `{name}` of {} is already used by {first}; port names must be unique in a pod",
                            c.who()
                        );
                        sink.report(c.resource(), c.field().join(&field_path!("ports", i, "name")), message);
                    } else {
                        port_names.insert(name, format!("{}.ports[{i}]", place()));
                    }
                }
                let protocol = port.protocol.as_deref().unwrap_or("TCP");
                if let Some(first) = numbers.insert((port.container_port, protocol), i) {
                    let message = format!("containerPort {}/{protocol} of {} is already declared by ports[{first}]; declare each port once", port.container_port, c.who());
                    sink.report(c.resource(), c.field().join(&field_path!("ports", i, "containerPort")), message);
                }
            }
            let mut env: HashMap<&str, usize> = HashMap::new();
            for (j, var) in c.container.env.iter().flatten().enumerate() {
                if let Some(first) = env.insert(&var.name, j) {
                    let message = format!("environment variable `{}` of {} is already set by env[{first}]; with two variables of one name, only the last one counts", var.name, c.who());
                    sink.report(c.resource(), c.field().join(&field_path!("env", j, "name")), message);
                }
            }
        }
    }
}

/// What sets an environment variable first.
#[derive(Clone, Copy)]
enum Setter {
    Env,
    /// `configKeys[i]` or `secretKeys[i]`.
    Listed(&'static str, usize),
}

impl std::fmt::Display for Setter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setter::Env => f.write_str("env"),
            Setter::Listed(list, i) => write!(f, "{list}[{i}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    fn found(overlay: &str) -> Vec<(String, String)> {
        values_findings("duplicate-name", overlay).into_iter().map(|f| (f.path.to_string(), f.message)).collect()
    }

    #[test]
    fn pasted_pods_with_two_containers_ports_env_or_volumes_of_one_name_are_reported() {
        let pod = |spec: &str| format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n{spec}");
        let twice = pod("  containers:\n  - name: app\n    image: \"app:1\"\n    ports: [{name: http, containerPort: 80}, {name: http, containerPort: 80}]\n    env: [{name: A, value: \"1\"}, {name: A, value: \"2\"}]\n  - name: app\n    image: \"app:1\"\n  volumes: [{name: data, emptyDir: {}}, {name: data, emptyDir: {}}]\n");
        let sink = crate::rules::testing::manifests("duplicate-name", &twice);
        let fields: Vec<String> = sink.findings.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(
            fields,
            [
                "spec.volumes[1].name",
                "spec.containers[0].ports[1].name",
                "spec.containers[0].ports[1].containerPort",
                "spec.containers[0].env[1].name",
                "spec.containers[1].name"
            ]
        );
        assert!(sink.findings[0].message.contains("volume `data` of Pod `web` is already declared by volumes[0]"));
        let once = pod("  containers:\n  - name: app\n    image: \"app:1\"\n  volumes: [{name: data, emptyDir: {}}, {name: cache, emptyDir: {}}]\n");
        assert!(crate::rules::testing::manifests("duplicate-name", &once).findings.is_empty());
    }

    #[test]
    fn the_default_preset_passes() {
        // The same key in two components is fine: each has its own container.
        let overlay = "components:\n  todo-frontend:\n    configKeys: [LOG_LEVEL]\n    ports: [{name: http, containerPort: 3000}, {name: metrics, containerPort: 9090}]\n";
        assert!(found(overlay).is_empty());
    }

    #[test]
    fn a_repeated_port_name_and_number_are_reported_at_the_second() {
        let overlay = "components:\n  todo-backend:\n    ports: [{name: http, containerPort: 8000}, {name: http, containerPort: 8000}]\n";
        let findings = values_findings("duplicate-name", overlay);
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-backend.ports[1].name"));
        assert_eq!(
            findings[0].message,
            "port name `http` is already used by ports[0]; port names must be unique in a pod"
        );
        assert_eq!(findings[1].path, FieldPath::parse("components.todo-backend.ports[1].containerPort"));
        assert_eq!(findings[1].message, "containerPort 8000 is already declared by ports[0]; declare each port once");
    }

    #[test]
    fn variables_clash_across_env_config_and_secret_keys() {
        let overlay = "components:\n  todo-backend:\n    env: {LOG_LEVEL: debug}\n    configKeys: [LOG_LEVEL, OPENAI_MODEL, OPENAI_MODEL, DATABASE_URL]\n    secretKeys: [DATABASE_URL]\n";
        assert_eq!(
            found(overlay),
            [
                (
                    "components.todo-backend.configKeys[0]".to_string(),
                    "environment variable `LOG_LEVEL` is already set by env; with two variables of one name, only the last one counts".to_string()
                ),
                (
                    "components.todo-backend.configKeys[2]".to_string(),
                    "environment variable `OPENAI_MODEL` is already set by configKeys[1]; with two variables of one name, only the last one counts".to_string()
                ),
                (
                    "components.todo-backend.secretKeys[0]".to_string(),
                    "environment variable `DATABASE_URL` is already set by configKeys[3]; with two variables of one name, only the last one counts".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_pod_field_variable_clashes_with_the_others() {
        let overlay = "components:\n  todo-backend:\n    env: {POD_NAME: x}\n    fieldEnv: {POD_NAME: metadata.name, POD_IP: status.podIP}\n";
        let clashes = found(overlay);
        assert_eq!(clashes.len(), 1, "{clashes:?}");
        assert_eq!(clashes[0].0, "components.todo-backend.fieldEnv.POD_NAME");
        assert!(found("components:\n  todo-backend:\n    fieldEnv: {POD_IP: status.podIP}\n").is_empty());
    }

    #[test]
    fn an_init_container_named_like_another_container_is_reported() {
        let overlay = "components:\n  todo-backend:\n    initContainers:\n      - {name: migrate, image: {repository: todo-backend}, env: {A: x}, configKeys: [A]}\n      - {name: migrate, image: {repository: todo-backend}}\n      - {name: todo-backend, image: {repository: busybox}}\n";
        let paths: Vec<String> = found(overlay).into_iter().map(|(path, _)| path).collect();
        assert_eq!(
            paths,
            [
                "components.todo-backend.initContainers[1].name",
                "components.todo-backend.initContainers[2].name",
                "components.todo-backend.initContainers[0].configKeys[0]",
            ]
        );
    }
}
