//! Before sending: core's lifecycle prediction, to warn about pods certain to fail, and the
//! fields no update may change, to stop before an apply is half done.

use super::client::Target;
use super::errors::ClusterError;
use super::hooks;
use super::plan::{Member, Plan};
use super::ui::Ui;
use kubeplay_core::immutable;
use kubeplay_core::lifecycle::{self, StepState};
use kubeplay_core::ManifestSet;
use std::collections::BTreeSet;

/// Each planned object whose live copy the input changes where the API server allows no update
/// (a workload's selector, a Job's template...), with why: its live copy is read first.
pub async fn immutable_changes<'p>(
    target: &Target,
    plan: &'p Plan,
    install: bool,
) -> Result<Vec<(&'p Member, immutable::Change)>, ClusterError> {
    let mut found = Vec::new();
    let checked =
        |m: &&Member| immutable::has_immutable_fields(&m.group_kind()) && !hooks::skips_immutable_check(m, install);
    for member in plan.members.iter().filter(checked) {
        let live = match member.api(target).get_opt(&member.name).await {
            Ok(live) => live,
            // Not allowed to read it: the apply says so when it gets to this object.
            Err(kube::Error::Api(status)) if status.code == 403 => None,
            Err(e) => return Err(target.error(&format!("read {}", member.describe()), e)),
        };
        let Some(live) = live else { continue };
        let live = serde_json::to_value(&live).unwrap_or_default();
        found.extend(
            immutable::changes(&member.group_kind(), &live, &member.body, immutable::Against::Live)
                .into_iter()
                .map(|c| (member, c)),
        );
    }
    Ok(found)
}

/// Stop before anything is sent when an update would be refused: every such field is said, the
/// first as the error.
pub async fn refuse_immutable_changes(
    target: &Target,
    plan: &Plan,
    install: bool,
    ui: &Ui,
) -> Result<(), ClusterError> {
    let mut changes = immutable_changes(target, plan, install).await?.into_iter();
    let Some((member, first)) = changes.next() else { return Ok(()) };
    for (other, change) in changes {
        ui.say(&format!("error: {}: {}", other.describe(), change.explain()));
    }
    Err(ClusterError::Rejected {
        object: member.describe(),
        message: format!("{} Nothing was applied.", first.explain()),
    })
}

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
