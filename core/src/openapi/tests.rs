//! The committed schemas: every version reads, knows the common kinds, and validates as the
//! API server would on small objects.

use super::*;
use serde_json::json;

fn problems(version: &str, object: serde_json::Value) -> Vec<Problem> {
    embedded(version).unwrap().validate(&object).expect("a kind with a schema")
}

#[test]
fn every_version_reads_and_knows_the_common_kinds() {
    for version in VERSIONS {
        let schema = embedded(version).unwrap_or_else(|| panic!("{version} is embedded"));
        assert_eq!(schema.version(), *version);
        for (api_version, kind) in [
            ("v1", "Pod"),
            ("v1", "Service"),
            ("apps/v1", "Deployment"),
            ("batch/v1", "CronJob"),
            ("networking.k8s.io/v1", "Ingress"),
            ("autoscaling/v2", "HorizontalPodAutoscaler"),
            ("rbac.authorization.k8s.io/v1", "RoleBinding"),
        ] {
            assert!(schema.has_kind(api_version, kind), "{version} {api_version} {kind}");
        }
        assert!(!schema.has_kind("extensions/v1beta1", "Ingress"), "{version}: removed long ago");
        assert!(!schema.has_kind("monitoring.coreos.com/v1", "ServiceMonitor"));
    }
    assert_eq!(NEWEST, "1.35");
    assert!(embedded("1.12").is_none());
}

#[test]
fn each_kind_of_problem() {
    let found = problems(
        "1.35",
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "labelz": {}},
               "spec": {"type": "Loadbalancer", "ports": [{"port": "80", "targetPort": 8.5}], "clusterIP": null}}),
    );
    let kinds: Vec<(String, &ProblemKind)> = found.iter().map(|p| (p.path.to_string(), &p.kind)).collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(
        matches!(kinds[0], (ref p, ProblemKind::UnknownField { suggestion: Some(s), .. }) if p == "metadata.labelz" && s == "labels")
    );
    assert!(matches!(kinds[1], (ref p, ProblemKind::NotAllowed { .. }) if p == "spec.type"));
    assert!(
        matches!(kinds[2], (ref p, ProblemKind::WrongType { found: Found::Text(_), .. }) if p == "spec.ports[0].port")
    );
    assert!(
        matches!(kinds[3], (ref p, ProblemKind::WrongType { found: Found::Number(_), .. }) if p == "spec.ports[0].targetPort")
    );
    assert!(found[1].to_string().ends_with("did you mean `LoadBalancer`?"), "{}", found[1]);
    let missing =
        problems("1.35", json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"image": "a"}]}}));
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].path.to_string(), "spec.containers[0].name");
    assert_eq!(missing[0].to_string(), "`name` is required: a Container must have it");
    // A required field written null is as missing (an optional one is unset: see below).
    let port = |port: serde_json::Value| {
        problems(
            "1.35",
            json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c", "image": "a", "ports": [{"containerPort": port, "hostPort": null}]}]}}),
        )
    };
    assert_eq!(port(json!(80)), []);
    let found = port(serde_json::Value::Null);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        matches!(found[0].kind, ProblemKind::Missing { .. })
            && found[0].path.to_string() == "spec.containers[0].ports[0].containerPort"
    );
}

#[test]
fn what_the_api_server_accepts_passes() {
    // Numbers for quantities, integers for int-or-string, empty enums (defaulted), nulls (unset),
    // integral floats for integers, and open maps (labels, annotations, data).
    let found = problems(
        "1.29",
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "labels": {"a": "b"}},
               "spec": {"replicas": 2.0, "selector": {"matchLabels": {"a": "b"}}, "strategy": {"type": "", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                        "template": {"metadata": {"labels": {"a": "b"}, "creationTimestamp": null},
                                     "spec": {"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": 1, "memory": "1e3"}}}]}}}}),
    );
    assert_eq!(found, []);
    assert_eq!(embedded("1.35").unwrap().validate(&json!({"apiVersion": "x/v1", "kind": "Y"})), None);
}

/// Integers are held to the bits the API server decodes them into: 32 for `replicas`, ports
/// and int-or-string values, 64 for the rest.
#[test]
fn whole_numbers_past_their_bits_are_out_of_range() {
    let deployment = |replicas: serde_json::Value, grace: serde_json::Value, target: serde_json::Value| {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
               "spec": {"replicas": replicas, "selector": {"matchLabels": {"a": "b"}},
                        "template": {"metadata": {"labels": {"a": "b"}}, "spec": {
                            "terminationGracePeriodSeconds": grace,
                            "containers": [{"name": "c", "image": "i",
                                            "readinessProbe": {"httpGet": {"port": target}}}]}}}})
    };
    let out_of_range = |object| -> Vec<(String, u8)> {
        problems("1.35", object)
            .into_iter()
            .map(|p| match p.kind {
                ProblemKind::OutOfRange { bits, .. } => (p.path.to_string(), bits),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let at_the_limits = deployment(json!(i32::MAX), json!(i64::MIN), json!(i32::MIN));
    assert_eq!(out_of_range(at_the_limits), []);
    let past = deployment(json!(2_147_483_648_i64), json!(1e19), json!(-2_147_483_649_i64));
    let probe = "spec.template.spec.containers[0].readinessProbe.httpGet.port";
    assert_eq!(
        out_of_range(past),
        [
            ("spec.replicas".to_string(), 32),
            ("spec.template.spec.terminationGracePeriodSeconds".to_string(), 64),
            (probe.to_string(), 32)
        ]
    );
    let message = problems("1.35", deployment(json!(3_000_000_000_i64), json!(30), json!(80)))[0].to_string();
    assert_eq!(
        message,
        "`replicas` is 3000000000, out of range: Kubernetes keeps it in 32 bits, from -2147483648 to 2147483647"
    );
}
