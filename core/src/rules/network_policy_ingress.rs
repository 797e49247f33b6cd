//! network-policy-blocks-ingress: traffic from outside the namespace (an Ingress's controller,
//! a LoadBalancer or NodePort Service) to pods NetworkPolicies isolate without admitting it.

use super::ingress_backend::{backend_port, backends};
use super::network_policy_blocks::{isolating_text, landing, policy_to_fix, values_fix};
use super::workloads::selected_workloads;
use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::network_policy::{admitted, Caller, Isolation};
use crate::manifest::{ManifestSet, Object};
use crate::resource::ResourceRef;
use hashbrown::HashSet;
use k8s_openapi::api::core::v1::ServicePort;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const RULE: Rule = Rule {
    id: "network-policy-blocks-ingress",
    summary: "Pods that NetworkPolicies isolate take traffic from outside their namespace only when a policy admits it: an ingress controller runs in a namespace of its own, and a LoadBalancer's or NodePort's clients are outside the cluster.",
    help: "Admit the source: for an Ingress, a `from` peer `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}` (Minikube's addon runs there); for a LoadBalancer or NodePort, a rule without `from` (or an `ipBlock`).",
    category: Category::Relationship,
    // Minikube's default network plugin does not enforce policies: there the traffic gets through.
    minikube: Some(Warning),
    production: Some(Error),
    check: Check::Manifests(check),
};

/// Traffic that enters a Service from outside its namespace.
struct Entry<'a> {
    /// The Ingress or the Service itself: the graph's other end.
    source: ResourceRef,
    caller: Caller<'a>,
    /// `Ingress `shop` sends `/` to Service `web`` or `LoadBalancer Service `web` takes port 80`.
    what: String,
    label: String,
    service: usize,
    port: &'a ServicePort,
}

/// The traffic from outside that reaches Services: each Ingress backend (from the controller's
/// namespace), each port of a LoadBalancer or NodePort Service (from outside the cluster).
fn entries(set: &ManifestSet) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for (index, resource) in set.iter() {
        match &resource.object {
            Object::Ingress(ingress) => {
                let (Some(spec), Some(from)) = (&ingress.spec, set.reference(index)) else { continue };
                for (_, served, backend) in backends(spec) {
                    let Some(wanted) = &backend.service else { continue };
                    let found = set.find("Service", set.namespace_of(index), &wanted.name);
                    let Some((service, Object::Service(s))) = found.map(|(i, r)| (i, &r.object)) else { continue };
                    let ports = s.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or(&[]);
                    // An unresolved port is ingress-backend-unresolved's finding.
                    let Some(port) = backend_port(ports, wanted.port.as_ref()) else { continue };
                    let what = format!("Ingress `{}` sends `{served}` to Service `{}`", from.name, wanted.name);
                    out.push(Entry {
                        source: from.clone(),
                        caller: Caller::Elsewhere,
                        what,
                        label: served,
                        service,
                        port,
                    });
                }
            }
            Object::Service(s) => {
                let Some(spec) = &s.spec else { continue };
                let kind = spec.type_.as_deref().unwrap_or("ClusterIP");
                if !matches!(kind, "LoadBalancer" | "NodePort") {
                    continue;
                }
                let Some(source) = set.reference(index) else { continue };
                for port in spec.ports.iter().flatten() {
                    let what =
                        format!("{kind} Service `{}` takes port {} from outside the cluster", source.name, port.port);
                    let label = format!("{kind} :{}", port.port);
                    out.push(Entry {
                        source: source.clone(),
                        caller: Caller::Outside,
                        what,
                        label,
                        service: index,
                        port,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Why the source cannot get in, after the policies that isolate the pods.
fn unreachable_by(caller: &Caller) -> &'static str {
    match caller {
        Caller::Outside => "none admits traffic from outside the cluster (a rule without `from`, or an `ipBlock`) on that port: its clients cannot reach them.",
        _ => "none admits traffic from another namespace on that port: the ingress controller, which runs in a namespace of its own (`ingress-nginx` with Minikube's addon), cannot reach them.",
    }
}

/// The `allowFrom` setting that admits the source.
fn values_setting(caller: &Caller) -> &'static str {
    match caller {
        Caller::Outside => "anywhere: true",
        _ => "ingressController: true",
    }
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let isolation = Isolation::new(set);
    if isolation.is_empty() {
        return;
    }
    let mut reported = HashSet::new();
    for entry in entries(set) {
        let namespace = set.namespace_of(entry.service);
        let service_target = entry.port.target_port.clone().unwrap_or(IntOrString::Int(entry.port.port));
        let protocol = entry.port.protocol.as_deref().unwrap_or("TCP");
        for target in selected_workloads(set, entry.service) {
            let Some(landing) = landing(&target, &service_target, protocol) else { continue };
            let isolating = isolation.of(target.resource);
            if isolating.is_empty() || admitted(set, isolating, namespace, &entry.caller, &landing) {
                continue;
            }
            let (policy_index, field) = policy_to_fix(isolating);
            let Some(policy) = set.reference(policy_index) else { continue };
            if !reported.insert((policy_index, entry.source.clone(), target.resource, landing.number)) {
                continue;
            }
            let message = format!(
                "{}, which sends to {} on container port {}; {} those pods, and {}",
                entry.what,
                target.who(),
                landing.number,
                isolating_text(set, isolating),
                unreachable_by(&entry.caller),
            ) + &values_fix(set, policy_index, &target, values_setting(&entry.caller));
            sink.broken_edge(
                policy,
                entry.source.clone(),
                EdgeKind::AllowsFrom,
                entry.label.clone(),
                (policy_index, field),
                message,
            );
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
        assert_eq!(sink.edges.get(0).to.to_string(), "shop/Ingress/shop");
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

    #[test]
    fn a_load_balancer_needs_a_rule_open_to_outside_the_cluster() {
        let yaml = |spec: &str| {
            app(spec)
                .replace("  ports: [{name: http, port: 80", "  type: LoadBalancer\n  ports: [{name: http, port: 80")
        };
        let fields = |spec: &str| -> Vec<String> {
            manifests(RULE, &yaml(spec)).findings.iter().map(|f| f.field.to_string()).collect()
        };
        // The controller's namespace is admitted, but not the LoadBalancer's clients.
        let controller = "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]}]}";
        assert_eq!(fields(controller), ["spec.ingress"]);
        let sink = manifests(RULE, &yaml(controller));
        assert!(
            sink.findings[0].message.starts_with("LoadBalancer Service `web` takes port 80"),
            "{}",
            sink.findings[0].message
        );
        assert_eq!(sink.edges.get(0).to.to_string(), "shop/Service/web");
        assert_eq!(fields("{podSelector: {}, ingress: [{}]}"), Vec::<String>::new());
        assert_eq!(
            fields("{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}"),
            Vec::<String>::new()
        );
    }
}
