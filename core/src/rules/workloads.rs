//! Shared views on the manifest set for rules: containers with their field paths, pod labels.

use crate::manifest::ManifestSet;
use crate::path::FieldPath;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Container;
use std::collections::BTreeMap;

/// A container of a Deployment, with where it sits.
pub struct ContainerRef<'a> {
    /// Index of the Deployment in the set.
    pub resource: usize,
    pub deployment: &'a Deployment,
    pub container: &'a Container,
    /// `spec.template.spec.containers[i]`.
    pub field: FieldPath,
}

impl ContainerRef<'_> {
    /// A field below the container, e.g. `at("readinessProbe.httpGet.port")`.
    pub fn at(&self, sub: &str) -> FieldPath {
        let mut path = self.field.clone();
        path.0.extend(FieldPath::parse(sub).0);
        path
    }
    pub fn deployment_name(&self) -> &str {
        self.deployment.metadata.name.as_deref().unwrap_or("")
    }
}

/// Every container of every Deployment, in set order.
pub fn containers(set: &ManifestSet) -> impl Iterator<Item = ContainerRef<'_>> {
    set.deployments().flat_map(|(resource, deployment)| {
        let containers = deployment.spec.as_ref().and_then(|s| s.template.spec.as_ref()).map(|s| s.containers.as_slice()).unwrap_or(&[]);
        containers.iter().enumerate().map(move |(i, container)| ContainerRef {
            resource,
            deployment,
            container,
            field: FieldPath::parse(&format!("spec.template.spec.containers[{i}]")),
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
