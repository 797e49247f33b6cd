//! Before applying to Minikube: warn about pull-policy-Never images the node does not list.

use super::client::Target;
use super::ui::Ui;
use kubeplay_core::diagnose::image_never_pulled;
use kubeplay_core::ManifestSet;
use std::collections::BTreeSet;

/// The kubelet reports at most this many images per node (`--node-status-max-images`).
const NODE_IMAGE_CAP: usize = 50;

/// An image reference in the long form the container runtime lists: `docker.io/library/x:latest`.
pub fn normalize_image(image: &str) -> String {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    // The first component is a registry when it looks like a host (docker's rule).
    let (domain, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first.to_string(), rest.to_string())
        }
        Some(_) => ("docker.io".to_string(), name.to_string()),
        None => ("docker.io".to_string(), format!("library/{name}")),
    };
    let mut out = format!("{domain}/{path}");
    match (tag, digest) {
        (Some(tag), _) => out.push_str(&format!(":{tag}")),
        (None, None) => out.push_str(":latest"),
        (None, Some(_)) => {}
    }
    if let Some(digest) = digest {
        out.push_str(&format!("@{digest}"));
    }
    out
}

/// Images with pull policy Never that the nodes do not list.
pub fn missing_images(manifests: &ManifestSet, node_images: &[String]) -> Vec<String> {
    let on_node: BTreeSet<String> = node_images.iter().map(|i| normalize_image(i)).collect();
    let mut missing = BTreeSet::new();
    for (_, deployment) in manifests.deployments() {
        let pod = deployment
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref());
        for container in pod.iter().flat_map(|p| {
            p.containers
                .iter()
                .chain(p.init_containers.iter().flatten())
        }) {
            let Some(image) = container.image.as_deref().filter(|i| !i.is_empty()) else {
                continue;
            };
            if container.image_pull_policy.as_deref() == Some("Never")
                && !on_node.contains(&normalize_image(image))
            {
                missing.insert(image.to_string());
            }
        }
    }
    missing.into_iter().collect()
}

/// Warn, on Minikube, for each pull-policy-Never image the node does not list.
pub fn warn_missing_images(target: &Target, manifests: &ManifestSet, ui: &Ui) {
    if !target.nodes.is_minikube() {
        return;
    }
    for image in missing_images(manifests, &target.nodes.images) {
        let advice = image_never_pulled(&image, true);
        let capped = if target.nodes.image_entries >= NODE_IMAGE_CAP {
            format!(
                " (the node lists only {} images, so it may be there anyway)",
                target.nodes.image_entries
            )
        } else {
            String::new()
        };
        ui.say(&format!(
            "warning: `{image}` is not among the node's images{capped}: {}",
            advice.message
        ));
        ui.say(&format!("  fix: {}", advice.fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalize_like_the_runtime_lists_them() {
        assert_eq!(
            normalize_image("todo-backend:1.0.0"),
            "docker.io/library/todo-backend:1.0.0"
        );
        assert_eq!(
            normalize_image("todo-backend"),
            "docker.io/library/todo-backend:latest"
        );
        assert_eq!(normalize_image("me/app:2"), "docker.io/me/app:2");
        assert_eq!(
            normalize_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(
            normalize_image("ghcr.io/o/app:1@sha256:ab"),
            "ghcr.io/o/app:1@sha256:ab"
        );
        assert_eq!(
            normalize_image("docker.io/library/todo-backend:1.0.0"),
            "docker.io/library/todo-backend:1.0.0"
        );
    }
}
