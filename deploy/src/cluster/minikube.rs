//! Before applying to Minikube: warn about pull-policy-Never images the node does not list.

use super::client::Target;
use super::ui::Ui;
use kubeplay_core::diagnose::{image_never_pulled, never_pull_images_missing};
use kubeplay_core::ManifestSet;

/// The kubelet reports at most this many images per node (`--node-status-max-images`).
const NODE_IMAGE_CAP: usize = 50;

/// Warn, on Minikube, for each pull-policy-Never image the node does not list.
pub fn warn_missing_images(target: &Target, manifests: &ManifestSet, ui: &Ui) {
    if !target.nodes.is_minikube() {
        return;
    }
    for image in never_pull_images_missing(manifests, &target.nodes.images) {
        let advice = image_never_pulled(&image, true);
        let capped = if target.nodes.image_entries >= NODE_IMAGE_CAP {
            format!(" (the node lists only {} images, so it may be there anyway)", target.nodes.image_entries)
        } else {
            String::new()
        };
        ui.say(&format!("warning: `{image}` is not among the node's images{capped}: {}", advice.message));
        ui.say(&format!("  fix: {}", advice.fix));
    }
}
