//! ingress-tls-secret-missing: an Ingress's TLS `secretName` should be a Secret of its namespace.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::{ManifestSet, Object};
use crate::path::field_path;
use crate::resource::ResourceRef;

pub const RULE: Rule = Rule {
    id: "ingress-tls-secret-missing",
    summary: "An Ingress's TLS secretName should be a Secret in its namespace; without it the controller serves its own fake certificate.",
    help: "Create the kubernetes.io/tls Secret (or let cert-manager issue it), or fix the name.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

/// cert-manager makes the Secret of an Ingress that asks it to.
fn certificate_issued(annotations: Option<&std::collections::BTreeMap<String, String>>) -> bool {
    annotations.is_some_and(|a| a.keys().any(|k| k.starts_with("cert-manager.io/")))
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for (index, resource) in set.iter() {
        let Object::Ingress(ingress) = &resource.object else { continue };
        let (Some(from), namespace) = (set.reference(index), set.namespace_of(index)) else { continue };
        let issued = certificate_issued(ingress.metadata.annotations.as_ref());
        for (i, tls) in ingress.spec.iter().flat_map(|s| s.tls.iter().flatten()).enumerate() {
            let Some(name) = tls.secret_name.as_deref().filter(|n| !n.is_empty()) else { continue };
            let to = ResourceRef::to_kind("Secret", namespace, name);
            if issued || set.find("Secret", namespace, name).is_some() {
                sink.edge(from.clone(), to, EdgeKind::Tls, "tls");
                continue;
            }
            let message = format!("Ingress `{}` terminates TLS with Secret `{name}`, which is not in namespace `{namespace}` (made out of band?): until it exists, the controller serves its default self-signed certificate.", from.name);
            sink.broken_edge(
                from.clone(),
                to,
                EdgeKind::Tls,
                "tls",
                (index, field_path!("spec", "tls", i, "secretName")),
                message,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "ingress-tls-secret-missing";
    const INGRESS: &str = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  tls: [{hosts: [shop.example], secretName: shop-tls}]\n";

    #[test]
    fn an_existing_or_issued_secret_passes() {
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: shop-tls}\ntype: kubernetes.io/tls\n---\n";
        assert!(manifests(RULE, &format!("{secret}{INGRESS}")).findings.is_empty());
        let issued =
            INGRESS.replace("{name: web}", "{name: web, annotations: {cert-manager.io/cluster-issuer: letsencrypt}}");
        assert!(manifests(RULE, &issued).findings.is_empty());
    }

    #[test]
    fn a_missing_secret_is_reported_at_its_name() {
        let sink = manifests(RULE, INGRESS);
        assert_eq!(sink.findings[0].field.to_string(), "spec.tls[0].secretName");
    }
}
