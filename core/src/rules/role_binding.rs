//! role-binding-unresolved: a RoleBinding's role and ServiceAccount subjects should exist.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::{ManifestSet, Object};
use crate::path::field_path;
use crate::resource::ResourceRef;
use k8s_openapi::api::rbac::v1::{RoleRef, Subject};

pub const RULE: Rule = Rule {
    id: "role-binding-unresolved",
    summary:
        "A RoleBinding whose Role or ServiceAccount is not there grants nothing: the pods get `forbidden` from the API.",
    help: "Create the Role (or ClusterRole) and ServiceAccount it names, or fix the names and the subject's namespace.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

/// ClusterRoles every cluster has: the user-facing ones and the `system:` ones.
fn built_in(role: &RoleRef) -> bool {
    role.kind == "ClusterRole"
        && (matches!(role.name.as_str(), "cluster-admin" | "admin" | "edit" | "view")
            || role.name.starts_with("system:"))
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for (index, resource) in set.iter() {
        let (role, subjects) = match &resource.object {
            Object::RoleBinding(b) => (&b.role_ref, b.subjects.as_deref().unwrap_or(&[])),
            Object::ClusterRoleBinding(b) => (&b.role_ref, b.subjects.as_deref().unwrap_or(&[])),
            _ => continue,
        };
        let (Some(from), namespace) = (set.reference(index), set.namespace_of(index)) else { continue };
        let who = format!("{} `{}`", from.kind, from.name);
        let role_to = ResourceRef::to_kind(&role.kind, namespace, &role.name);
        if built_in(role) || set.find(&role.kind, namespace, &role.name).is_some() {
            sink.edge(from.clone(), role_to, EdgeKind::Binds, "binds");
        } else {
            let message = format!("{who} grants {} `{}`, which is not in the set (in namespace `{namespace}` for a Role): it grants nothing until it exists.", role.kind, role.name);
            sink.broken_edge(
                from.clone(),
                role_to,
                EdgeKind::Binds,
                "binds",
                (index, field_path!("roleRef", "name")),
                message,
            );
        }
        for (i, subject) in subjects.iter().enumerate().filter(|(_, s)| s.kind == "ServiceAccount") {
            let subject_namespace = subject_namespace(subject, namespace);
            let to = ResourceRef::to_kind("ServiceAccount", subject_namespace, &subject.name);
            if subject.name == "default" || set.find("ServiceAccount", subject_namespace, &subject.name).is_some() {
                sink.edge(from.clone(), to, EdgeKind::Binds, "binds");
                continue;
            }
            let message = format!("{who} binds ServiceAccount `{}` in namespace `{subject_namespace}`, which is not in the set: pods running as it get nothing from this binding.", subject.name);
            sink.broken_edge(
                from.clone(),
                to,
                EdgeKind::Binds,
                "binds",
                (index, field_path!("subjects", i, "name")),
                message,
            );
        }
    }
}

/// A ServiceAccount subject's namespace: its own, or the binding's when it names none.
fn subject_namespace<'a>(subject: &'a Subject, binding: &'a str) -> &'a str {
    subject.namespace.as_deref().filter(|n| !n.is_empty()).unwrap_or(binding)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "role-binding-unresolved";

    fn set(role: &str, account: &str) -> String {
        format!("apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: app}}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: reader}}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: app-reader}}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: {role}}}\nsubjects: [{{kind: ServiceAccount, name: {account}}}]\n")
    }

    #[test]
    fn existing_roles_accounts_and_built_in_cluster_roles_bind() {
        assert!(manifests(RULE, &set("reader", "app")).findings.is_empty());
        let built_in = set("reader", "app").replace("kind: Role, name: reader", "kind: ClusterRole, name: view");
        assert!(manifests(RULE, &built_in).findings.is_empty());
    }

    #[test]
    fn a_missing_role_or_account_is_reported() {
        let sink = manifests(RULE, &set("writer", "api"));
        let fields: Vec<String> = sink.findings.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(fields, ["roleRef.name", "subjects[0].name"]);
    }
}
