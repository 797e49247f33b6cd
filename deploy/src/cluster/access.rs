//! After a rollout: how to reach the Services from outside the cluster.

use super::client::Target;
use super::observe::Observed;
use super::ui::Ui;
use kube::ResourceExt;
use kubeplay_core::lifecycle::{ingress_routes, reach};
use kubeplay_core::ManifestSet;

/// One line per reachable Service: `todo-frontend: http://10.0.0.5:80`, or how to get there.
pub fn lines(target: &Target, observed: &[Observed]) -> Vec<String> {
    let minikube = target.nodes.is_minikube();
    let mut out = Vec::new();
    let mut internal = Vec::new();
    for o in observed {
        for service in &o.services {
            let name = service.name_any();
            let Some(hint) = reach(service, &o.namespace, minikube) else { continue };
            let internal_only =
                matches!(service.spec.as_ref().and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP"), "ClusterIP");
            if internal_only {
                internal.push(format!("{name}: {hint}"));
            } else {
                out.push(format!("{name}: {hint}"));
            }
        }
    }
    // Only inside the cluster: say how to reach them when nothing else is reachable.
    if out.is_empty() {
        out = internal;
    }
    out
}

/// How to reach the Services, then the routes of the set's Ingresses (`manifests`: what was
/// applied).
pub fn print(target: &Target, observed: &[Observed], manifests: &ManifestSet, ui: &Ui) {
    let mut lines = lines(target, observed);
    lines.extend(ingress_routes(manifests, target.nodes.is_minikube()).into_iter().map(|r| r.how));
    if lines.is_empty() {
        return;
    }
    ui.say("reach it:");
    for line in lines {
        ui.say(&format!("  {line}"));
    }
}
