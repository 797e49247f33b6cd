//! Before sending: core's lifecycle prediction, to warn about pods certain to fail.

use super::ui::Ui;
use kubeplay_core::lifecycle::{self, StepState};
use kubeplay_core::ManifestSet;
use std::collections::BTreeSet;

/// Warn about every step core predicts will fail. The apply goes on: a prediction from the
/// manifests alone can be wrong about a cluster (and errors were stopped before this).
pub fn warn(manifests: &ManifestSet, minikube: bool, ui: &Ui) {
    // Secrets are filled by now, so no key is left to be given.
    let mut said = BTreeSet::new();
    for life in lifecycle::predict(manifests, &[], minikube) {
        for step in &life.steps {
            for note in step.notes.iter().filter(|n| n.state == StepState::WillFail) {
                let container = note.container.as_ref().map(|c| format!(", container {c}")).unwrap_or_default();
                // kubectl's way to name a kind in a sentence: `deployment web`, `statefulset db`.
                let line = format!(
                    "warning: {} {}{container} will fail at \"{}\": {}",
                    life.kind.to_lowercase(),
                    life.name,
                    step.title,
                    note.text
                );
                if said.insert(line.clone()) {
                    ui.say(&line);
                    if let Some(fix) = &note.fix {
                        ui.say(&format!("  fix: {fix}"));
                    }
                }
            }
        }
    }
}
