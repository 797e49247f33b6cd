//! headless-service-type: a headless Service (`clusterIP: None`) cannot be a NodePort or LoadBalancer Service; the API server rejects it.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::ManifestSet;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "headless-service-type",
    summary: "A headless Service (`clusterIP: None`) has no virtual IP for node ports or a load balancer to forward to: the API server rejects it as NodePort or LoadBalancer (\"may not be set to 'None' for LoadBalancer services\").",
    help: "Drop `clusterIP: None` to expose the Service, or make it `type: ClusterIP` if it only gives pods DNS names (as a StatefulSet's Service does).",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for (i, service) in set.services() {
        let Some(spec) = &service.spec else { continue };
        let exposed = spec.type_.as_deref().filter(|t| matches!(*t, "NodePort" | "LoadBalancer"));
        let (Some(type_), Some("None")) = (exposed, spec.cluster_ip.as_deref()) else { continue };
        let name = service.metadata.name.as_deref().unwrap_or("");
        sink.report(
            i,
            field_path!("spec", "clusterIP"),
            format!(
                "Service `{name}` is headless (`clusterIP: None`) and of type {type_}: the API server rejects it (`spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for {type_} services`), since node ports and load balancers forward to the cluster IP it does not have."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n  type: LoadBalancer\n  selector: {app: db}\n  ports: [{port: 5432}]\n";

    #[test]
    fn a_headless_load_balancer_is_rejected_at_its_cluster_ip() {
        let sink = manifests("headless-service-type", SERVICE);
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.clusterIP");
        assert!(sink.findings[0].message.contains("for LoadBalancer services"), "{}", sink.findings[0].message);
        assert_eq!(manifests("headless-service-type", &SERVICE.replace("LoadBalancer", "NodePort")).findings.len(), 1);
    }

    #[test]
    fn headless_cluster_ip_services_and_renders_pass() {
        assert!(manifests("headless-service-type", &SERVICE.replace("LoadBalancer", "ClusterIP")).findings.is_empty());
        assert!(manifests("headless-service-type", &SERVICE.replace("  clusterIP: None\n", "")).findings.is_empty());
        assert!(rendered("headless-service-type", "").findings.is_empty());
    }
}
