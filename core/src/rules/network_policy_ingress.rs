//! network-policy-blocks-ingress: an Ingress backend whose pods NetworkPolicies isolate without
//! admitting anything from another namespace, where the ingress controller runs.

use super::ingress_backend::backends;
use super::network_policy_blocks::{isolating_text, landing, policy_to_fix};
use super::workloads::selected_workloads;
use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::network_policy::{admitted, ingress_policies, isolating, Caller};
use crate::manifest::{ManifestSet, Object};
use hashbrown::HashSet;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const RULE: Rule = Rule {
    id: "network-policy-blocks-ingress",
    summary: "An ingress controller runs in its own namespace: when NetworkPolicies isolate an Ingress backend's pods and admit nothing from other namespaces, every request through the Ingress is dropped.",
    help: "Admit the controller's namespace: a `from` peer `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}` (Minikube's ingress addon runs there).",
    category: Category::Relationship,
    // Minikube's default network plugin does not enforce policies: there the requests get through.
    minikube: Some(Warning),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let policies = ingress_policies(set);
    if policies.is_empty() {
        return;
    }
    let mut reported = HashSet::new();
    for (index, resource) in set.iter() {
        let Object::Ingress(ingress) = &resource.object else { continue };
        let (Some(spec), Some(from)) = (&ingress.spec, set.reference(index)) else { continue };
        let namespace = set.namespace_of(index);
        for (_, served, backend) in backends(spec) {
            let Some(wanted) = &backend.service else { continue };
            let Some((service_index, Object::Service(service))) =
                set.find("Service", namespace, &wanted.name).map(|(i, r)| (i, &r.object))
            else {
                continue;
            };
            let ports = service.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or(&[]);
            // An unresolved port is ingress-backend-unresolved's finding.
            let Some(service_port) = ports.iter().find(|p| match wanted.port.as_ref() {
                Some(w) if w.name.is_some() => p.name == w.name,
                Some(w) => Some(p.port) == w.number,
                None => true,
            }) else {
                continue;
            };
            let service_target = service_port.target_port.clone().unwrap_or(IntOrString::Int(service_port.port));
            let protocol = service_port.protocol.as_deref().unwrap_or("TCP");
            for target in selected_workloads(set, service_index) {
                let Some(landing) = landing(&target, &service_target, protocol) else { continue };
                let isolating = isolating(set, &policies, namespace, &target);
                if isolating.is_empty() || admitted(set, &isolating, namespace, &Caller::Elsewhere, &landing) {
                    continue;
                }
                let (policy_index, field) = policy_to_fix(&isolating);
                let Some(policy) = set.reference(policy_index) else { continue };
                if !reported.insert((policy_index, index, target.resource, landing.number)) {
                    continue;
                }
                let message = format!(
                    "Ingress `{}` sends `{served}` to Service `{}`, which sends to {} on container port {}; {} those pods, and none admits traffic from another namespace on that port: the ingress controller, which runs in a namespace of its own (`ingress-nginx` with Minikube's addon), cannot reach them.",
                    from.name,
                    wanted.name,
                    target.who(),
                    landing.number,
                    isolating_text(set, &isolating),
                );
                sink.broken_edge(
                    policy,
                    from.clone(),
                    EdgeKind::AllowsFrom,
                    served.clone(),
                    (policy_index, field),
                    message,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "network-policy-blocks-ingress";

    /// Deployment `web` (port `http` 8080) behind Service `web` and Ingress `shop`, in namespace
    /// `shop`, with `policy` after them.
    fn app(policy: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: shop}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: \"web:1\", ports: [{{name: http, containerPort: 8080}}]}}]}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop}}\nspec:\n  selector: {{app: web}}\n  ports: [{{name: http, port: 80, targetPort: http}}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: shop, namespace: shop}}\nspec:\n  rules: [{{http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{name: http}}}}}}}}]}}}}]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: web, namespace: shop}}\nspec: {policy}\n"
        )
    }

    fn findings(policy: &str) -> Vec<String> {
        manifests(RULE, &app(policy)).findings.iter().map(|f| f.field.to_string()).collect()
    }

    #[test]
    fn a_policy_admitting_only_its_own_namespace_drops_the_ingress() {
        let same_namespace = "{podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}";
        assert_eq!(findings(same_namespace), ["spec.ingress"]);
        let sink = manifests(RULE, &app(same_namespace));
        assert!(sink.findings[0].message.contains("container port 8080"), "{}", sink.findings[0].message);
        assert_eq!(sink.edges[0].to.to_string(), "shop/Ingress/shop");
        let named_own = "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]}]}";
        assert_eq!(findings(named_own), ["spec.ingress"]);
        assert_eq!(findings("{podSelector: {matchLabels: {app: web}}}"), ["spec.podSelector"]);
    }

    #[test]
    fn a_policy_admitting_another_namespace_lets_the_ingress_in() {
        let controller = "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]}]}";
        assert_eq!(findings(controller), Vec::<String>::new());
        assert_eq!(findings("{podSelector: {}, ingress: [{}]}"), Vec::<String>::new());
        // A policy for other pods, or for egress only, isolates nothing here.
        assert_eq!(findings("{podSelector: {matchLabels: {app: db}}}"), Vec::<String>::new());
        assert_eq!(findings("{podSelector: {}, policyTypes: [Egress]}"), Vec::<String>::new());
    }
}
