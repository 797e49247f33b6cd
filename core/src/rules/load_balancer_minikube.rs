//! loadbalancer-on-minikube: a LoadBalancer Service, which Minikube only serves through a tunnel.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "loadbalancer-on-minikube",
    summary: "A LoadBalancer Service on Minikube stays <pending> until `minikube tunnel` runs.",
    help: "Run `minikube tunnel` in another terminal, or get a URL with `minikube service NAME -n NAMESPACE --url`.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: None,
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    let default_namespace = set.default_namespace();
    for (i, service) in set.services() {
        if service.spec.as_ref().and_then(|s| s.type_.as_deref()) != Some("LoadBalancer") {
            continue;
        }
        let name = service.metadata.name.as_deref().unwrap_or("");
        let namespace = set.resources[i].namespace(default_namespace);
        sink.report(
            i,
            field_path!("spec", "type"),
            format!(
                "Service `{name}` is type LoadBalancer, so on Minikube its EXTERNAL-IP stays <pending> unless `minikube tunnel` runs; or reach it with `minikube service {name} -n {namespace} --url`."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    #[test]
    fn load_balancer_is_reported_with_the_service_command() {
        // The preset's frontend is a LoadBalancer (index 4: after the backend's Service).
        let sink = rendered("loadbalancer-on-minikube", "");
        let found: Vec<(usize, String)> = sink.findings.iter().map(|f| (f.resource, f.field.to_string())).collect();
        assert_eq!(found, [(4, "spec.type".to_string())]);
        assert!(
            sink.findings[0].message.contains("`minikube service todo-frontend -n todo-chatbot --url`"),
            "{}",
            sink.findings[0].message
        );
    }

    #[test]
    fn other_types_pass() {
        assert!(rendered("loadbalancer-on-minikube", "components:\n  todo-frontend:\n    service: {type: NodePort}\n")
            .findings
            .is_empty());
        let yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n";
        assert!(manifests("loadbalancer-on-minikube", yaml).findings.is_empty());
    }
}
