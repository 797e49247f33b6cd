//! Helpers the container and Service rules share: image tags, port resolution, selections.
//! The pods themselves are read through [`crate::manifest::workload`].

use crate::manifest::workload::Workload;
use crate::manifest::ManifestSet;
use k8s_openapi::api::core::v1::ContainerPort;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

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

/// The workloads of the Service's namespace whose pod template labels its selector matches.
/// Services only ever select pods of their own namespace.
pub fn selected_workloads(set: &ManifestSet, service_index: usize) -> Vec<Workload<'_>> {
    set.selected_by(service_index).filter_map(|i| set.workload(i)).collect()
}

/// Every container port a workload's pods declare (all containers), in order.
pub fn declared_ports<'a>(workload: &Workload<'a>) -> Vec<&'a ContainerPort> {
    workload.containers().iter().flat_map(|c| c.ports.iter().flatten()).collect()
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
