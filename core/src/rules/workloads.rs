//! Shared views on the manifest set for rules: containers with their field paths, pod labels.

use crate::manifest::ManifestSet;
use crate::path::{field_path, FieldPath};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Container;
use std::collections::BTreeMap;

/// A container of a Deployment, with where it sits.
pub struct ContainerRef<'a> {
    /// Index of the Deployment in the set.
    pub resource: usize,
    pub deployment: &'a Deployment,
    pub container: &'a Container,
    /// Position in the pod template's `containers`.
    pub index: usize,
}

impl ContainerRef<'_> {
    /// `spec.template.spec.containers[i]`. Built when asked: most containers are never reported.
    pub fn field(&self) -> FieldPath {
        field_path!("spec", "template", "spec", "containers", self.index)
    }
    /// A field below the container, e.g. `at("readinessProbe.httpGet.port")`.
    pub fn at(&self, sub: &str) -> FieldPath {
        self.field().join(&FieldPath::parse(sub))
    }
    pub fn deployment_name(&self) -> &str {
        self.deployment.metadata.name.as_deref().unwrap_or("")
    }
}

/// Every container of every Deployment, in set order.
pub fn containers(set: &ManifestSet) -> impl Iterator<Item = ContainerRef<'_>> {
    set.deployments().flat_map(|(resource, deployment)| {
        let containers = deployment
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .map(|s| s.containers.as_slice())
            .unwrap_or(&[]);
        containers.iter().enumerate().map(move |(index, container)| ContainerRef {
            resource,
            deployment,
            container,
            index,
        })
    })
}

/// The labels a Deployment's pods get (its template's labels).
pub fn pod_labels(deployment: &Deployment) -> Option<&BTreeMap<String, String>> {
    deployment.spec.as_ref()?.template.metadata.as_ref()?.labels.as_ref()
}

/// The tag of an image reference (`repo:tag`, `host:5000/repo:tag@sha256:...`), if any.
/// The registry's port is not a tag: only a `:` after the last `/` starts one.
pub fn image_tag(image: &str) -> Option<&str> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split_once(':').map(|(_, tag)| tag)
}

/// True when an image names a digest (`@sha256:...`): pinned, whatever its tag says.
pub fn image_has_digest(image: &str) -> bool {
    image.contains('@')
}

/// One reference from a container to a ConfigMap or Secret (`env[].valueFrom` key refs and
/// `envFrom`): the one walker the env-reference rules and the lifecycle prediction share.
pub struct EnvReference<'a> {
    /// `ConfigMap` or `Secret`.
    pub kind: &'static str,
    pub name: &'a str,
    /// The env var and the key it takes; `None` for `envFrom` (all keys).
    pub key: Option<(&'a str, &'a str)>,
    pub optional: bool,
    /// Where it is written; the paths are built from this only when a finding needs them.
    container: usize,
    entry: usize,
    /// `configMapKeyRef`, `secretKeyRef` (under `env[j].valueFrom`), `configMapRef` or
    /// `secretRef` (under `envFrom[j]`).
    reference: &'static str,
}

impl EnvReference<'_> {
    /// The entry itself: `env[j]` or `envFrom[j]` of the container.
    pub fn entry(&self) -> FieldPath {
        let list = if self.key.is_some() { "env" } else { "envFrom" };
        field_path!("spec", "template", "spec", "containers", self.container, list, self.entry)
    }
    /// Where the object's `name` is written.
    pub fn name_field(&self) -> FieldPath {
        self.reference_field("name")
    }
    /// Where the `key` is written (the name's field for `envFrom`).
    pub fn key_field(&self) -> FieldPath {
        self.reference_field(if self.key.is_some() { "key" } else { "name" })
    }
    fn reference_field(&self, leaf: &str) -> FieldPath {
        let mut path = self.entry();
        if self.key.is_some() {
            path.0.push("valueFrom".into());
        }
        path.0.extend([self.reference.into(), leaf.into()]);
        path
    }
}

/// Every ConfigMap/Secret reference of a container, in the order the container lists them.
pub fn env_references<'a>(c: &ContainerRef<'a>) -> impl Iterator<Item = EnvReference<'a>> {
    let container = c.index;
    let key_refs = c.container.env.iter().flatten().enumerate().flat_map(move |(entry, env)| {
        let source = env.value_from.as_ref();
        let config_map = source.and_then(|s| s.config_map_key_ref.as_ref()).map(|r| EnvReference {
            kind: "ConfigMap",
            name: &r.name,
            key: Some((&env.name, &r.key)),
            optional: r.optional == Some(true),
            container,
            entry,
            reference: "configMapKeyRef",
        });
        let secret = source.and_then(|s| s.secret_key_ref.as_ref()).map(|r| EnvReference {
            kind: "Secret",
            name: &r.name,
            key: Some((&env.name, &r.key)),
            optional: r.optional == Some(true),
            container,
            entry,
            reference: "secretKeyRef",
        });
        config_map.into_iter().chain(secret)
    });
    let all_keys_refs = c.container.env_from.iter().flatten().enumerate().flat_map(move |(entry, from)| {
        let config_map = from.config_map_ref.as_ref().map(|r| EnvReference {
            kind: "ConfigMap",
            name: &r.name,
            key: None,
            optional: r.optional == Some(true),
            container,
            entry,
            reference: "configMapRef",
        });
        let secret = from.secret_ref.as_ref().map(|r| EnvReference {
            kind: "Secret",
            name: &r.name,
            key: None,
            optional: r.optional == Some(true),
            container,
            entry,
            reference: "secretRef",
        });
        config_map.into_iter().chain(secret)
    });
    key_refs.chain(all_keys_refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_ignore_registry_ports() {
        assert_eq!(image_tag("localhost:5000/app"), None);
        assert_eq!(image_tag("localhost:5000/app:1.2"), Some("1.2"));
        assert_eq!(image_tag("nginx"), None);
        assert_eq!(image_tag("nginx:latest@sha256:abc"), Some("latest"));
    }
}

// ---- Helpers for the relationship rules (Services, selectors, ports). ----

use k8s_openapi::api::core::v1::{ContainerPort, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The namespace resource `index` lives in (the set's default when it does not say).
pub fn namespace_of(set: &ManifestSet, index: usize) -> &str {
    set.resources.get(index).map_or("", |r| r.namespace(set.default_namespace()))
}

/// `k=v,k2=v2`: labels or a map selector as `kubectl get -l` writes them.
pub fn labels_text(labels: &BTreeMap<String, String>) -> String {
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// A Service's selector, when it has a non-empty one. An absent or empty selector means the
/// Service's endpoints are managed by hand (external endpoints), so it selects no pods at all.
pub fn service_selector(service: &Service) -> Option<&BTreeMap<String, String>> {
    service.spec.as_ref()?.selector.as_ref().filter(|s| !s.is_empty())
}

/// True when every `key=value` of a map selector is among `labels`.
pub fn map_selects(selector: &BTreeMap<String, String>, labels: Option<&BTreeMap<String, String>>) -> bool {
    selector.iter().all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

/// The Deployments of the Service's namespace whose pod template labels its selector matches.
/// Services only ever select pods of their own namespace.
pub fn selected_deployments<'a>(
    set: &'a ManifestSet,
    service_index: usize,
    _service: &Service,
) -> Vec<(usize, &'a Deployment)> {
    set.selected_by(service_index)
        .filter_map(|i| match &set.resources[i].object {
            crate::manifest::Object::Deployment(d) => Some((i, d)),
            _ => None,
        })
        .collect()
}

/// Every container port a Deployment's pods declare (all containers), in order.
pub fn declared_ports(deployment: &Deployment) -> Vec<&ContainerPort> {
    let containers =
        deployment.spec.as_ref().and_then(|s| s.template.spec.as_ref()).map(|s| s.containers.as_slice()).unwrap_or(&[]);
    containers.iter().flat_map(|c| c.ports.iter().flatten()).collect()
}

/// `http=8000, 9090`: declared ports for messages, or `no ports` when there are none.
pub fn ports_text<'a>(ports: impl IntoIterator<Item = &'a ContainerPort>) -> String {
    let items: Vec<String> = ports
        .into_iter()
        .map(|p| match &p.name {
            Some(name) => format!("{name}={}", p.container_port),
            None => p.container_port.to_string(),
        })
        .collect();
    if items.is_empty() {
        "no ports".to_string()
    } else {
        items.join(", ")
    }
}

/// How a port reference (a Service's targetPort, a probe's port) resolves against declared ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortMatch {
    /// The name or number is a declared port; the number it ends up at.
    Declared(i32),
    /// A number no container declares (Kubernetes still sends traffic there).
    UndeclaredNumber(i32),
    /// A name no container port has: this never resolves.
    UnknownName,
}

/// Resolve `port` against `ports` the way the kubelet and the endpoints controller do: numbers
/// are used as they are, names must be a container port's name.
pub fn resolve_port<'a>(port: &IntOrString, ports: impl IntoIterator<Item = &'a ContainerPort>) -> PortMatch {
    let mut ports = ports.into_iter();
    match port {
        IntOrString::Int(n) => {
            if ports.any(|p| p.container_port == *n) {
                PortMatch::Declared(*n)
            } else {
                PortMatch::UndeclaredNumber(*n)
            }
        }
        IntOrString::String(name) => match ports.find(|p| p.name.as_deref() == Some(name.as_str())) {
            Some(p) => PortMatch::Declared(p.container_port),
            None => PortMatch::UnknownName,
        },
    }
}

/// A port reference as written (`8000` or `http`).
pub fn port_ref_text(port: &IntOrString) -> String {
    match port {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// Why a named port reference that is all digits (`"8000"`, quoted in YAML) is wrong, if it is.
pub fn quoted_number_hint(port: &IntOrString) -> Option<String> {
    match port {
        IntOrString::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => Some(format!(
            " `\"{s}\"` is a string, so Kubernetes reads it as a port *name*; write the number without quotes."
        )),
        _ => None,
    }
}
