//! Property tests of the workload and reference model: every pod-making kind, each reference
//! broken once, in an app copied into two namespaces and shuffled. The rule that owns the
//! reference must fire exactly once, on the broken copy's resource, and nothing may resolve
//! across the two namespaces.

use kubeplay_core::{analyze_manifests, Profile, Severity, SourceFile};
use proptest::prelude::*;

/// (apiVersion, kind, the object's spec around the pod template `{T}`).
const KINDS: &[(&str, &str, &str)] = &[
    ("apps/v1", "Deployment", "spec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n{T}"),
    (
        "apps/v1",
        "StatefulSet",
        "spec:\n  serviceName: web-headless\n  selector: {matchLabels: {app: web}}\n  template:\n{T}",
    ),
    ("apps/v1", "DaemonSet", "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n{T}"),
    ("apps/v1", "ReplicaSet", "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n{T}"),
    ("v1", "ReplicationController", "spec:\n  selector: {app: web}\n  template:\n{T}"),
    ("apps.openshift.io/v1", "DeploymentConfig", "spec:\n  selector: {app: web}\n  template:\n{T}"),
    ("batch/v1", "Job", "spec:\n  template:\n{T}"),
    ("batch/v1", "CronJob", "spec:\n  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n{T}"),
    ("v1", "Pod", ""),
];

/// A reference of the app, the object it points at (as written in the app) and the rule that
/// owns it. Breaking it renames the target so the reference dangles.
const REFERENCES: &[(&str, &str, &str)] = &[
    ("config map key", "name: settings\n", "env-ref-missing-object"),
    ("secret key", "  A: secret-a\n", "env-ref-missing-key"),
    ("volume", "name: files\n", "volume-ref-missing"),
    ("claim", "name: data\n", "volume-ref-missing"),
    ("service account", "name: runner\n", "service-account-missing"),
    ("selector", "selector: {app: web}\n", "service-selects-nothing"),
    ("env URL", "name: api\n", "url-service-unresolved"),
    ("ingress", "name: web\n  namespace", "ingress-backend-unresolved"),
];

fn pod_template(indent: &str, labels: bool) -> String {
    let labels = if labels { "metadata: {labels: {app: web}}\n" } else { "" };
    let body = format!(
        "{labels}spec:\n  serviceAccountName: runner\n  restartPolicy: {{R}}\n  containers:\n    - name: web\n      image: \"web:1.0\"\n      ports: [{{name: http, containerPort: 8080}}]\n      env:\n        - {{name: LEVEL, valueFrom: {{configMapKeyRef: {{name: settings, key: LEVEL}}}}}}\n        - {{name: A, valueFrom: {{secretKeyRef: {{name: creds, key: A}}}}}}\n        - {{name: API_URL, value: \"http://api:80\"}}\n      volumeMounts: [{{name: files, mountPath: /etc/files}}, {{name: data, mountPath: /data}}]\n  volumes:\n    - {{name: files, configMap: {{name: files}}}}\n    - {{name: data, persistentVolumeClaim: {{claimName: data}}}}\n"
    );
    body.lines().map(|l| format!("{indent}{l}\n")).collect()
}

/// The app's documents in `namespace`, with the workload of kind `k`.
fn app(namespace: &str, k: usize) -> Vec<String> {
    let (api, kind, spec) = KINDS[k];
    let restart = if matches!(kind, "Job" | "CronJob") { "OnFailure" } else { "Always" };
    let workload = if kind == "Pod" {
        let template = pod_template("", false).replace("{R}", restart);
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: {namespace}\n  labels: {{app: web}}\n{template}")
    } else {
        let indent = if kind == "CronJob" { "        " } else { "    " };
        let template = pod_template(indent, true).replace("{R}", restart);
        format!(
            "apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: web\n  namespace: {namespace}\n{}",
            spec.replace("{T}", &template)
        )
    };
    let meta = |name: &str| format!("metadata:\n  name: {name}\n  namespace: {namespace}\n");
    vec![
        workload,
        format!("apiVersion: v1\nkind: ConfigMap\n{}data:\n  LEVEL: info\n", meta("settings")),
        format!("apiVersion: v1\nkind: Secret\n{}stringData:\n  A: secret-a\n", meta("creds")),
        format!("apiVersion: v1\nkind: ConfigMap\n{}data:\n  f.txt: x\n", meta("files")),
        format!("apiVersion: v1\nkind: PersistentVolumeClaim\n{}spec:\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n", meta("data")),
        format!("apiVersion: v1\nkind: ServiceAccount\n{}", meta("runner")),
        format!("apiVersion: v1\nkind: Service\n{}spec:\n  selector: {{app: web}}\n  ports: [{{name: http, port: 80, targetPort: http}}]\n", meta("web")),
        format!("apiVersion: v1\nkind: Service\n{}spec:\n  clusterIP: None\n  selector: {{app: web}}\n  ports: [{{port: 8080}}]\n", meta("web-headless")),
        format!("apiVersion: v1\nkind: Service\n{}spec:\n  ports: [{{port: 80}}]\n", meta("api")),
        format!("apiVersion: networking.k8s.io/v1\nkind: Ingress\n{}spec:\n  rules:\n    - http:\n        paths:\n          - {{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n", meta("web")),
    ]
}

/// Break reference `r` in the documents: the object it points at gets another name (or key).
fn break_reference(docs: &mut [String], r: usize) {
    let (what, written, _) = REFERENCES[r];
    let target = match what {
        "config map key" => 1,
        "secret key" => 2,
        "volume" => 3,
        "claim" => 4,
        "service account" => 5,
        "selector" => 6,
        "env URL" => 8,
        "ingress" => 6,
        _ => unreachable!(),
    };
    let doc = &mut docs[target];
    assert!(doc.contains(written), "{what}: `{written}` not in {doc}");
    let broken = match what {
        "secret key" => "  B: secret-b\n".to_string(),
        "selector" => "selector: {app: webapp}\n".to_string(),
        "ingress" => "name: web-other\n  namespace".to_string(),
        _ => written.replacen("name: ", "name: renamed-", 1),
    };
    *doc = doc.replacen(written, &broken, 1);
}

/// Which workloads a reference applies to: a Service selects only what a Service may front,
/// and the Ingress reaches pods through the Service.
fn applies(k: usize, r: usize) -> bool {
    !(REFERENCES[r].0 == "selector" && KINDS[k].1 == "CronJob")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn each_broken_reference_fires_its_rule_once_in_its_namespace(
        k in 0..KINDS.len(),
        r in 0..REFERENCES.len(),
        broken_in in 0..2usize,
        order in Just((0..20usize).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        prop_assume!(applies(k, r));
        let namespaces = ["shop", "shop-staging"];
        let mut copies: Vec<Vec<String>> = namespaces.iter().map(|ns| app(ns, k)).collect();
        break_reference(&mut copies[broken_in], r);
        let all: Vec<String> = copies.into_iter().flatten().collect();
        let text: String = order.iter().map(|&i| format!("---\n{}", all[i])).collect();
        let analysis = analyze_manifests(vec![SourceFile::new("app.yaml", text.as_str())], Profile::Minikube);
        let rule = REFERENCES[r].2;
        let found: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule == rule)
            .map(|d| d.resource.as_ref().map(|r| r.to_string()).unwrap_or_default())
            .collect();
        let broken_ns = namespaces[broken_in];
        prop_assert!(!found.is_empty(), "{rule} did not fire for {} / {}:\n{:#?}", KINDS[k].1, REFERENCES[r].0, analysis.diagnostics);
        prop_assert!(found.iter().all(|r| r.starts_with(&format!("{broken_ns}/"))), "{rule} fired outside {broken_ns}: {found:?}");
        // The healthy copy has no error at all: nothing resolved across namespaces.
        let healthy = namespaces[1 - broken_in];
        let errors: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && d.resource.as_ref().is_some_and(|r| r.namespace == healthy))
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect();
        prop_assert!(errors.is_empty(), "errors in the healthy copy {healthy}: {errors:#?}");
        // Two copies: two nodes of each object, none merged.
        let workloads = analysis.graph.nodes.iter().filter(|n| n.resource.kind == KINDS[k].1 && !n.missing).count();
        prop_assert_eq!(workloads, 2);
    }
}

#[test]
fn the_healthy_app_has_no_errors_for_any_kind() {
    for (k, (_, kind, _)) in KINDS.iter().enumerate() {
        let text: String = app("shop", k).iter().map(|d| format!("---\n{d}")).collect();
        let analysis = analyze_manifests(vec![SourceFile::new("app.yaml", text.as_str())], Profile::Minikube);
        let errors: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect();
        assert!(errors.is_empty(), "{kind}: {errors:#?}");
    }
}
