//! After a rollout: how to reach the Services from outside the cluster.

use super::client::Target;
use super::observe::Observed;
use super::ui::Ui;
use k8s_openapi::api::core::v1::Service;
use kube::ResourceExt;
use kubeplay_core::diagnose::load_balancer_pending;

/// One line per reachable Service: `todo-frontend: http://10.0.0.5:80`, or how to get there.
pub fn lines(target: &Target, observed: &[Observed]) -> Vec<String> {
    let minikube = target.nodes.is_minikube();
    let mut out = Vec::new();
    let mut internal = Vec::new();
    for o in observed {
        for service in &o.services {
            let name = service.name_any();
            let spec = service.spec.as_ref();
            let type_ = spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP");
            let port = first_port(service);
            match type_ {
                "LoadBalancer" => {
                    let ingress = service.status.as_ref().and_then(|s| s.load_balancer.as_ref()).and_then(|lb| lb.ingress.as_ref()).and_then(|i| i.first());
                    match ingress.and_then(|i| i.ip.clone().or_else(|| i.hostname.clone())) {
                        Some(host) => out.push(format!("{name}: http://{host}:{port}")),
                        None => out.push(format!("{name}: {}", load_balancer_pending(&name, &o.namespace, minikube).fix)),
                    }
                }
                "NodePort" if minikube => out.push(format!("{name}: `minikube service {name} -n {} --url` prints its URL", o.namespace)),
                "NodePort" => {
                    let node_port = spec.and_then(|s| s.ports.as_ref()).and_then(|p| p.first()).and_then(|p| p.node_port).unwrap_or_default();
                    out.push(format!("{name}: port {node_port} on any node's address"));
                }
                _ => internal.push(format!("{name}: `kubectl port-forward -n {} svc/{name} 8080:{port}`, then http://localhost:8080", o.namespace)),
            }
        }
    }
    // Only inside the cluster: say how to reach them when nothing else is reachable.
    if out.is_empty() {
        out = internal;
    }
    out
}

fn first_port(service: &Service) -> i32 {
    service
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .and_then(|p| p.first())
        .map(|p| p.port)
        .unwrap_or(80)
}

pub fn print(target: &Target, observed: &[Observed], ui: &Ui) {
    let lines = lines(target, observed);
    if lines.is_empty() {
        return;
    }
    ui.say("reach it:");
    for line in lines {
        ui.say(&format!("  {line}"));
    }
}
