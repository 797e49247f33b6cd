//! Filling components' `allowFrom` from the traffic the model already sees: what a learner
//! turning on `networkPolicy` would otherwise work out by hand (and get wrong).

use crate::manifest::calls::env_calls;
use crate::render::render;
use crate::values::{AllowFrom, ServiceType, Values};

/// `values` with each component's `allowFrom` admitting what reaches it today: the components
/// whose env calls its Service, the ingress controller when the Ingress routes to it, anywhere
/// when its Service is a LoadBalancer or NodePort. What `allowFrom` already admits is kept.
pub fn admit_known_traffic(values: &Values) -> Values {
    let mut filled = values.clone();
    let set = render(values, &values.app_name);
    let mut admit = |component: &str, add: &dyn Fn(&mut AllowFrom)| {
        if let Some(c) = filled.components.get_mut(component) {
            add(c.allow_from.get_or_insert_with(AllowFrom::default));
        }
    };
    for call in env_calls(&set) {
        // Rendered Services and workloads are named after their components.
        if call.service.is_none() || call.namespace != values.namespace {
            continue;
        }
        let caller = call.container.workload.name().to_string();
        admit(&call.service_name, &|allow| {
            if !allow.components.contains(&caller) {
                allow.components.push(caller.clone());
            }
        });
    }
    for path in values.ingress.iter().flat_map(|i| &i.hosts).flat_map(|h| &h.paths) {
        admit(&path.component, &|allow| allow.ingress_controller = true);
    }
    for (name, c) in &values.components {
        if c.service.as_ref().is_some_and(|s| s.type_ != ServiceType::ClusterIP) {
            admit(name, &|allow| allow.anywhere = true);
        }
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::values;

    #[test]
    fn the_default_preset_admits_its_frontend_and_its_clients() {
        let filled = admit_known_traffic(&values("networkPolicy: {}\n"));
        let allow = |c: &str| filled.components[c].allow_from.clone().unwrap_or_default();
        assert_eq!(allow("todo-backend").components, ["todo-frontend"]);
        assert!(!allow("todo-backend").anywhere, "a ClusterIP Service is reached only inside");
        assert!(allow("todo-frontend").anywhere, "the frontend is a LoadBalancer");
        // And the rules agree: nothing the model sees is dropped.
        let analysis = crate::analyze_values(
            &crate::ValuesInput {
                files: vec![crate::SourceFile::new("v.yaml", filled.to_yaml())],
                ..Default::default()
            },
            None,
            crate::Profile::Production,
        );
        let dropped: Vec<&str> =
            analysis.diagnostics.iter().map(|d| d.rule).filter(|r| r.starts_with("network-policy")).collect();
        assert!(dropped.is_empty(), "{dropped:?}");
        // Without it, the same values drop the call and the LoadBalancer's clients.
        let analysis = crate::analyze_values(
            &crate::ValuesInput {
                files: vec![crate::SourceFile::new("v.yaml", values("networkPolicy: {}\n").to_yaml())],
                ..Default::default()
            },
            None,
            crate::Profile::Production,
        );
        let mut dropped: Vec<&str> =
            analysis.diagnostics.iter().map(|d| d.rule).filter(|r| r.starts_with("network-policy")).collect();
        dropped.sort();
        assert_eq!(dropped, ["network-policy-blocks-call", "network-policy-blocks-ingress"]);
    }

    #[test]
    fn an_ingress_route_admits_the_controller_and_what_is_admitted_stays() {
        let overlay = "networkPolicy: {}\ningress:\n  hosts: [{paths: [{component: todo-backend}]}]\ncomponents:\n  todo-backend:\n    allowFrom: {namespaces: [monitoring], components: [todo-frontend]}\n";
        let filled = admit_known_traffic(&values(overlay));
        let allow = filled.components["todo-backend"].allow_from.clone().unwrap();
        assert!(allow.ingress_controller);
        assert_eq!(
            (allow.namespaces, allow.components),
            (vec!["monitoring".to_string()], vec!["todo-frontend".to_string()])
        );
    }
}
