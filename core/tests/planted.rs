//! Planted defects in a shop that uses every kind of issue #10 (`fixtures/shop.yaml`): the
//! healthy shop has no error and no relationship finding; each planted defect is found by its
//! rule, on its resource, at its line; all planted at once are all found (bar one that the
//! Service selector typo hides, on purpose).

use kubeplay_core::rules::Category;
use kubeplay_core::{analyze_manifests, Diagnostic, Profile, Severity, SourceFile};

const SHOP: &str = include_str!("fixtures/shop.yaml");

/// (what, text in the shop, its replacement, rule, resource).
const PLANTED: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Service selector typo",
        "  selector:\n    app: api\n  ports:",
        "  selector:\n    app: apii\n  ports:",
        "service-selects-nothing",
        "shop/Service/api",
    ),
    (
        "targetPort names no port",
        "      targetPort: http",
        "      targetPort: web",
        "target-port-unresolved",
        "shop/Service/api",
    ),
    (
        "serviceName names no Service",
        "  serviceName: db",
        "  serviceName: postgres",
        "statefulset-service-missing",
        "shop/StatefulSet/db",
    ),
    (
        "mount of no volume",
        "            - name: data\n              mountPath",
        "            - name: pgdata\n              mountPath",
        "volume-mount-unknown",
        "shop/StatefulSet/db",
    ),
    (
        "claim that does not exist",
        "            claimName: uploads",
        "            claimName: upload",
        "volume-ref-missing",
        "shop/Deployment/api",
    ),
    (
        "Ingress to a port the Service lacks",
        "                  number: 80",
        "                  number: 8080",
        "ingress-backend-unresolved",
        "shop/Ingress/shop",
    ),
    (
        "TLS Secret that does not exist",
        "      secretName: shop-tls",
        "      secretName: shop-cert",
        "ingress-tls-secret-missing",
        "shop/Ingress/shop",
    ),
    (
        "autoscaler of no workload",
        "    kind: Deployment\n    name: api",
        "    kind: Deployment\n    name: apis",
        "hpa-target-missing",
        "shop/HorizontalPodAutoscaler/api",
    ),
    (
        "budget that selects nothing",
        "  minAvailable: 1\n  selector:\n    matchLabels:\n      app: api",
        "  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web",
        "pdb-selects-nothing",
        "shop/PodDisruptionBudget/api",
    ),
    (
        "policy that admits nobody",
        "              app: api\n---\napiVersion: batch/v1",
        "              app: ap\n---\napiVersion: batch/v1",
        "network-policy-selects-nothing",
        "shop/NetworkPolicy/db",
    ),
    (
        "CronJob takes a key the Secret lacks",
        "                      key: password",
        "                      key: passwd",
        "env-ref-missing-key",
        "shop/CronJob/nightly-backup",
    ),
    (
        "ServiceAccount that does not exist",
        "      serviceAccountName: api",
        "      serviceAccountName: api-runner",
        "service-account-missing",
        "shop/Deployment/api",
    ),
    (
        "env address on a port the Service lacks",
        "              value: db:5432",
        "              value: db:5433",
        "url-service-unresolved",
        "shop/Deployment/api",
    ),
];

/// Found only when the Service's selector holds: a Service that selects nothing routes
/// nowhere, so its targetPort is not checked (service-selects-nothing says why).
const NEEDS_THE_SELECTOR: &str = "targetPort names no port";

fn analyze(text: &str) -> Vec<Diagnostic> {
    analyze_manifests(vec![SourceFile::new("shop.yaml", text)], Profile::Minikube).diagnostics
}

fn is_relationship(d: &Diagnostic) -> bool {
    kubeplay_core::rules::find(d.rule).is_some_and(|r| r.category == Category::Relationship)
}

fn plant(text: &str, (what, from, to, ..): &(&str, &str, &str, &str, &str)) -> String {
    assert_eq!(text.matches(from).count(), 1, "{what}: `{from}` must be in the shop once");
    text.replacen(from, to, 1)
}

#[test]
fn the_healthy_shop_has_no_error_and_no_broken_relationship() {
    let found: Vec<String> = analyze(SHOP)
        .iter()
        .filter(|d| d.severity == Severity::Error || is_relationship(d))
        .map(|d| format!("{} {:?}: {}", d.rule, d.resource.as_ref().map(|r| r.to_string()), d.message))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn each_planted_defect_is_found_on_its_resource_at_its_line() {
    for planted in PLANTED {
        let (what, _, to, rule, resource) = *planted;
        let text = plant(SHOP, planted);
        let diagnostics = analyze(&text);
        let hit = diagnostics
            .iter()
            .find(|d| d.rule == rule && d.resource.as_ref().is_some_and(|r| *r == resource))
            .unwrap_or_else(|| panic!("{what}: no {rule} on {resource}: {diagnostics:#?}"));
        // The finding points into the changed text: at the changed line, or at the selector
        // or list the change sits in (at most three lines above it).
        let line = hit.location.as_ref().map(|l| l.line).unwrap_or_default();
        let start = text[..text.find(to).unwrap()].lines().count() + 1;
        let changed = start..start + to.lines().count();
        assert!(
            changed.contains(&line) || (line < changed.start && changed.start - line <= 3),
            "{what}: {rule} points at line {line}, the change is at lines {changed:?}"
        );
    }
}

#[test]
fn all_planted_at_once_are_all_found() {
    let text = PLANTED.iter().fold(SHOP.to_string(), |text, planted| plant(&text, planted));
    let diagnostics = analyze(&text);
    let missed: Vec<&str> = PLANTED
        .iter()
        .filter(|(what, ..)| *what != NEEDS_THE_SELECTOR)
        .filter(|(_, _, _, rule, resource)| {
            !diagnostics.iter().any(|d| d.rule == *rule && d.resource.as_ref().is_some_and(|r| *r == *resource))
        })
        .map(|(what, ..)| *what)
        .collect();
    assert!(missed.is_empty(), "missed: {missed:?}");
}
