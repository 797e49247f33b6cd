//! network-policy-blocks-call: a Service call that the NetworkPolicies isolating the Service's
//! pods would drop, because none admits the calling pods on the port called.

use super::workloads::{declared_ports, resolve_port, selected_workloads, PortMatch};
use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::calls::env_calls;
use crate::manifest::network_policy::{admitted, ingress_rules, Caller, Isolation, Landing};
use crate::manifest::workload::Workload;
use crate::manifest::ManifestSet;
use crate::path::{field_path, FieldPath};
use hashbrown::HashSet;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const RULE: Rule = Rule {
    id: "network-policy-blocks-call",
    summary: "Once a NetworkPolicy selects a pod, only the traffic some policy admits reaches it: a Service call from pods no policy admits is dropped and times out.",
    help: "Admit the calling pods: add a `from` peer whose podSelector (with a namespaceSelector across namespaces) matches their labels, on the port called. Minikube enforces policies only with a CNI that does, e.g. `minikube start --cni=calico`.",
    category: Category::Relationship,
    // Minikube's default network plugin does not enforce policies: there the call still works.
    minikube: Some(Warning),
    production: Some(Error),
    check: Check::Manifests(check),
};

/// Where a Service port's `targetPort` lands on `target`'s pods; `None` for a name no container
/// declares (target-port-unresolved's finding).
pub(super) fn landing<'a>(
    target: &Workload<'a>,
    service_target: &IntOrString,
    protocol: &'a str,
) -> Option<Landing<'a>> {
    let declared = declared_ports(target);
    let number = match resolve_port(service_target, declared.iter().copied()) {
        PortMatch::Declared(n) | PortMatch::UndeclaredNumber(n) => n,
        PortMatch::UnknownName => return None,
    };
    let name = declared.iter().find(|p| p.container_port == number).and_then(|p| p.name.as_deref());
    Some(Landing { number, name, protocol })
}

/// The policy to fix among those isolating some pods: the first that admits anything, at its
/// rules; else the first, at the selector that isolates the pods.
pub(super) fn policy_to_fix(isolating: &[(usize, &NetworkPolicy)]) -> (usize, FieldPath) {
    match isolating.iter().find(|(_, p)| !ingress_rules(p).is_empty()) {
        Some((i, _)) => (*i, field_path!("spec", "ingress")),
        None => (isolating[0].0, field_path!("spec", "podSelector")),
    }
}

/// The fix in values words, when the policy was rendered from values: `setting` of the
/// component (render names a component's workload after it) that takes the traffic.
pub(super) fn values_fix(set: &ManifestSet, policy: usize, target: &Workload, setting: &str) -> String {
    if set.resources[policy].is_parsed() {
        return String::new();
    }
    format!(" In values: `components.{}.allowFrom.{setting}`.", target.name())
}

/// "NetworkPolicy `a` isolates" or "NetworkPolicies `a`, `b` isolate".
pub(super) fn isolating_text(set: &ManifestSet, isolating: &[(usize, &NetworkPolicy)]) -> String {
    let names: Vec<String> = isolating.iter().map(|(i, _)| format!("`{}`", set.resources[*i].object.name())).collect();
    match names.len() {
        1 => format!("NetworkPolicy {} isolates", names[0]),
        _ => format!("NetworkPolicies {} isolate", names.join(", ")),
    }
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let isolation = Isolation::new(set);
    if isolation.is_empty() {
        return;
    }
    let mut reported = HashSet::new();
    for call in env_calls(set) {
        let (Some((service_index, service)), Some(port)) = (call.service, call.port) else { continue };
        // A port the Service does not have is url-service-unresolved's finding.
        let ports = service.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or(&[]);
        let Some(service_port) = ports.iter().find(|p| p.port == port) else { continue };
        let service_target = service_port.target_port.clone().unwrap_or(IntOrString::Int(port));
        let protocol = service_port.protocol.as_deref().unwrap_or("TCP");
        let workload = call.container.workload;
        let caller_namespace = set.namespace_of(workload.resource);
        let caller = Caller::Pods { workload: &workload, namespace: caller_namespace };
        // A pod calling its own Service may be looped back before any policy sees it (network
        // plugins differ): only calls between workloads are judged.
        for target in selected_workloads(set, service_index).into_iter().filter(|t| t.resource != workload.resource) {
            let Some(landing) = landing(&target, &service_target, protocol) else { continue };
            let isolating = isolation.of(target.resource);
            if isolating.is_empty() || admitted(set, isolating, call.namespace, &caller, &landing) {
                continue;
            }
            let (index, field) = policy_to_fix(isolating);
            let (Some(policy), callers) = (set.reference(index), workload.pods_ref(set)) else { continue };
            if !reported.insert((index, callers.clone(), service_index, target.resource, landing.number)) {
                continue;
            }
            let message = format!(
                "env `{}` of {} calls Service `{}` on port {port}, which sends to {} on container port {}; {} those pods, and none admits the pods of {} (namespace `{caller_namespace}`) on that port: the call is dropped.",
                call.env_name,
                workload.who(),
                call.service_name,
                target.who(),
                landing.number,
                isolating_text(set, isolating),
                workload.who(),
            ) + &values_fix(set, index, &target, &format!("components: [{}]", workload.name()));
            sink.broken_edge(policy, callers, EdgeKind::AllowsFrom, call.label(), (index, field), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "network-policy-blocks-call";

    /// A `web` Deployment calling Service `api` (port 80 to the named container port `http`,
    /// 8000), in namespace `shop`, with `policies` after them.
    fn app(policies: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: shop}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: \"web:1\", env: [{{name: API_URL, value: \"http://api\"}}]}}]}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api, namespace: shop}}\nspec:\n  selector: {{matchLabels: {{app: api}}}}\n  template:\n    metadata: {{labels: {{app: api}}}}\n    spec: {{containers: [{{name: api, image: \"api:1\", ports: [{{name: http, containerPort: 8000}}]}}]}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: api, namespace: shop}}\nspec:\n  selector: {{app: api}}\n  ports: [{{port: 80, targetPort: http}}]\n{policies}"
        )
    }

    fn policy(name: &str, spec: &str) -> String {
        format!("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: shop}}\nspec: {spec}\n")
    }

    fn fields(yaml: &str) -> Vec<(String, String)> {
        manifests(RULE, yaml).findings.iter().map(|f| (f.field.to_string(), f.message.clone())).collect()
    }

    #[test]
    fn a_default_deny_drops_the_call_and_breaks_an_edge_to_the_callers() {
        let yaml = app(&policy("deny", "{podSelector: {}, policyTypes: [Ingress]}"));
        let sink = manifests(RULE, &yaml);
        assert_eq!(sink.findings.len(), 1, "{:?}", sink.findings);
        assert_eq!(sink.findings[0].field.to_string(), "spec.podSelector");
        let message = &sink.findings[0].message;
        assert!(
            message.contains("env `API_URL` of Deployment `web` calls Service `api` on port 80")
                && message.contains("container port 8000")
                && message.contains("NetworkPolicy `deny` isolates")
                && message.contains("the pods of Deployment `web` (namespace `shop`)"),
            "{message}"
        );
        let edge = &sink.edges.get(0);
        assert_eq!(
            (edge.from.to_string(), edge.to.to_string()),
            ("shop/NetworkPolicy/deny".into(), "shop/Pods/web".into())
        );
        assert!(edge.broken.is_some());
    }

    #[test]
    fn a_policy_admitting_the_callers_lets_the_call_through() {
        let allow = policy(
            "api",
            "{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]}",
        );
        let yaml = app(&(policy("deny", "{podSelector: {}}") + &allow));
        assert_eq!(fields(&yaml), []);
        // By port number, by the container port's name, by a range: all the port the call lands on.
        for ports in ["[{port: 8000}]", "[{port: http}]", "[{port: 7000, endPort: 9000}]"] {
            let spec = format!("{{podSelector: {{}}, ingress: [{{from: [{{podSelector: {{matchLabels: {{app: web}}}}}}], ports: {ports}}}]}}");
            assert_eq!(fields(&app(&policy("api", &spec))), [], "{ports}");
        }
    }

    #[test]
    fn admitting_other_pods_or_another_port_is_reported_at_the_rules() {
        let other_pods =
            "{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: admin}}}]}]}";
        let other_port = "{podSelector: {}, ingress: [{from: [{podSelector: {}}], ports: [{port: 80}]}]}";
        let udp = "{podSelector: {}, ingress: [{ports: [{port: 8000, protocol: UDP}]}]}";
        for spec in [other_pods, other_port, udp] {
            let found = fields(&app(&policy("api", spec)));
            assert_eq!(found.len(), 1, "{spec}");
            assert_eq!(found[0].0, "spec.ingress", "{spec}");
        }
    }

    #[test]
    fn only_ingress_isolation_counts() {
        let egress_only = policy("out", "{podSelector: {}, policyTypes: [Egress]}");
        assert_eq!(fields(&app(&egress_only)), []);
        // Policies of another namespace isolate nothing here.
        let elsewhere = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: other}\nspec: {podSelector: {}}\n";
        assert_eq!(fields(&app(elsewhere)), []);
    }

    #[test]
    fn namespace_selectors_are_judged_only_on_labels_the_set_knows() {
        let by_name = "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]}]}";
        assert_eq!(fields(&app(&policy("api", by_name))), []);
        let other_name = "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: gateway}}}]}]}";
        assert_eq!(fields(&app(&policy("api", other_name))).len(), 1);
        // `team: shop` may be on the live namespace: the set does not hold it, so no finding...
        let by_label = "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: shop}}}]}]}";
        assert_eq!(fields(&app(&policy("api", by_label))), []);
        // ...but a Namespace of the set says which labels it has.
        let namespace = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: ops}}\n";
        assert_eq!(fields(&(app(&policy("api", by_label)) + namespace)).len(), 1);
        // An ipBlock may hold pod addresses: undecidable, so no finding.
        let ip_block = "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}";
        assert_eq!(fields(&app(&policy("api", ip_block))), []);
    }

    #[test]
    fn on_values_the_fix_is_said_in_values_words() {
        let isolated = "networkPolicy: {}\ncomponents:\n  todo-frontend:\n    allowFrom: {anywhere: true}\n";
        let sink = rendered(RULE, isolated);
        assert_eq!(sink.findings.len(), 1);
        let message = &sink.findings[0].message;
        assert!(
            message.ends_with("In values: `components.todo-backend.allowFrom.components: [todo-frontend]`."),
            "{message}"
        );
        let admitted = format!("{isolated}  todo-backend:\n    allowFrom: {{components: [todo-frontend]}}\n");
        assert!(rendered(RULE, &admitted).findings.is_empty());
    }

    #[test]
    fn a_workload_calling_its_own_service_is_not_judged() {
        let own = app(&policy("deny", "{podSelector: {}}")).replace("value: \"http://api\"", "value: \"http://web\"")
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n";
        assert_eq!(fields(&own), []);
    }
}
