//! schema-invalid: a pasted object breaks its kind's Kubernetes schema (unknown field, wrong
//! type, missing required field, bad enum value or quantity), checked strictly like `kubectl
//! --validate=strict` against the chosen Kubernetes version, every problem at once.

use super::{Category, Check, ManifestSink, Profile, Rule};
use crate::diagnostic::{Diagnostic, Severity::Error};
use crate::manifest::{ManifestSet, Origin};
use crate::openapi::{Problem, ProblemKind, Schema};
use crate::path::{field_path, FieldPath};
use crate::source::{self, Span};

pub const RULE: Rule = Rule {
    id: "schema-invalid",
    summary: "A field breaks the Kubernetes schema of its kind (unknown field, wrong type, missing required field, value not allowed), so the API server rejects the object.",
    help: "Fix the field at the marked place: a typo'd or misplaced field, quotes around text, a quantity such as `128Mi`; `kubectl explain KIND.FIELD` shows the schema.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let Some(schema) = sink.schema else { return };
    // Rendered objects are kubeplay's own: a test holds every preset's render to the schemas.
    for (i, resource) in set.iter() {
        let Origin::Parsed { spans, file, .. } = &resource.origin else { continue };
        // Kinds with no schema (custom resources) are reported once per kind as unmodeled-kind.
        let Some(problems) = schema.validate(spans.root()) else { continue };
        for problem in problems.into_iter().filter(|p| !told_by_another_rule(resource.object.kind(), p)) {
            if let ProblemKind::Missing { .. } = problem.kind {
                sink.missing.push((i, problem.path.clone()));
            }
            let written = set.resolve(i, &problem.path).location.and_then(|l| set.files.get(*file)?.text.get(l.span));
            let message = message(&problem, schema, written);
            if problem.at_key() {
                sink.report_key(i, problem.path, message);
            } else {
                sink.report(i, problem.path, message);
            }
        }
    }
}

/// Whether another rule reports the problem, in its own words: a Secret's `data` that is not
/// base64 is `secret-invalid-base64`'s (it also runs before a version's schema is loaded).
fn told_by_another_rule(kind: &str, problem: &Problem) -> bool {
    kind == "Secret" && matches!(problem.kind, ProblemKind::NotBase64 { .. })
}

/// The finding's words: the problem, the version, and for text YAML read as a boolean or a
/// number, the quotes it needs (`written`: the value as written).
fn message(problem: &Problem, schema: &Schema, written: Option<&str>) -> String {
    let mut message = format!("{problem} (Kubernetes {})", schema.version());
    if let Some(hint) = written.filter(|_| problem.wants_quotes()).and_then(crate::source::unquoted_text_hint) {
        message.push_str(&format!(": {hint}"));
    }
    message
}

/// Objects the manifest reader rejected (a field it reads has the wrong type: one
/// `manifest-invalid` finding, the first problem only) and could not read without that field
/// are not in the set; validate them from their documents too, so every problem shows at once.
/// The reader's finding gives way to the schema's at the same place.
pub(crate) fn check_rejected(set: &ManifestSet, schema: &Schema, profile: Profile, diagnostics: &mut Vec<Diagnostic>) {
    let Some(severity) = RULE.severity(profile) else { return };
    let rejected: Vec<(&str, usize)> = diagnostics
        .iter()
        .filter(|d| d.rule == "manifest-invalid")
        .filter_map(|d| d.location.as_ref().map(|l| (l.file.as_str(), l.span.start)))
        .collect();
    // Objects in the set (read, or read without their unreadable fields) were validated with it.
    let in_set: Vec<(usize, u32)> = set
        .resources
        .iter()
        .filter_map(|r| match &r.origin {
            Origin::Parsed { file, spans, .. } => Some((*file, spans.root().span.start)),
            Origin::Rendered { .. } => None,
        })
        .collect();
    let mut found = Vec::new();
    for (file_index, file) in set.files.iter().enumerate() {
        let starts: Vec<usize> = rejected.iter().filter(|(f, _)| *f == file.name).map(|(_, s)| *s).collect();
        if starts.is_empty() {
            continue;
        }
        for doc in source::parse(file).unwrap_or_default() {
            let Some(root) = doc.root else { continue };
            let spans = root.index();
            let root = spans.root();
            let contains_start = |at: &FieldPath| {
                let span =
                    spans.nearest(at).map_or(0..0, |(s, _)| s.range().start..s.range().end.max(s.range().start + 1));
                starts.iter().any(|s| span.contains(s))
            };
            // A `kind: List` (any `*List` with items) holds its objects under `items`, each read alone.
            let objects: Vec<(FieldPath, &source::Node)> =
                match (&root.get("items").map(|i| &i.kind), root.text_at("kind")) {
                    (Some(source::NodeKind::Seq(items)), Some(kind)) if kind.ends_with("List") => {
                        items.iter().enumerate().map(|(i, item)| (field_path!("items", i), item)).collect()
                    }
                    _ => vec![(FieldPath::root(), root)],
                };
            let read = |object: &source::Node| in_set.contains(&(file_index, object.span.start));
            for (at, object) in objects.into_iter().filter(|(at, object)| contains_start(at) && !read(object)) {
                let Some(problems) = schema.validate(object) else { continue };
                let reference = reference(set, object);
                let kind = object.text_at("kind").unwrap_or("");
                for problem in problems.into_iter().filter(|p| !told_by_another_rule(kind, p)) {
                    let path = at.join(&problem.path);
                    let key = if problem.at_key() { spans.key(&path) } else { None };
                    let span = key.or_else(|| spans.nearest(&path).map(|(span, _)| span));
                    let written = span.filter(|_| key.is_none()).and_then(|s| file.text.get(s.range()));
                    let mut d =
                        Diagnostic::new(severity, RULE.id, message(&problem, schema, written)).with_help(RULE.help);
                    d.location = span.map(|s: Span| source::location(file, s));
                    d.field = Some(problem.path.to_string());
                    d.resource = reference.clone();
                    found.push(d);
                }
            }
        }
    }
    diagnostics.extend(found);
    let place = |d: &Diagnostic| d.location.as_ref().map(|l| (l.file.clone(), l.span.start));
    let places: Vec<_> = diagnostics.iter().filter(|d| d.rule == RULE.id).map(place).collect();
    diagnostics.retain(|d| d.rule != "manifest-invalid" || !places.contains(&place(d)));
}

/// The identity of an object that is not in the set, from its tree.
fn reference(set: &ManifestSet, object: &source::Node) -> Option<crate::resource::ResourceRef> {
    fn text<'a>(node: Option<&'a source::Node>, name: &str) -> &'a str {
        node.and_then(|n| n.text_at(name)).unwrap_or("")
    }
    let (kind, metadata) = (text(Some(object), "kind"), object.get("metadata"));
    let namespace = match text(metadata, "namespace") {
        _ if !crate::resource::is_namespaced(kind) => "",
        "" => set.default_namespace(),
        namespace => namespace,
    };
    let group = crate::resource::api_group(text(Some(object), "apiVersion"));
    Some(crate::resource::ResourceRef::new(group, kind, namespace, text(metadata, "name")))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostic;
    use crate::{analyze_manifests, openapi, Profile, Settings, SourceFile};

    fn findings(yaml: &str, version: &str) -> Vec<Diagnostic> {
        let settings = Settings::from(Profile::Minikube).with_schema(openapi::embedded(version));
        let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", yaml)], settings);
        analysis.diagnostics.into_iter().filter(|d| d.rule == "schema-invalid").collect()
    }

    /// (line, column, field) of each finding, in order.
    fn places(diagnostics: &[Diagnostic]) -> Vec<(usize, usize, String)> {
        diagnostics
            .iter()
            .map(|d| {
                let l = d.location.as_ref().expect("every finding has a place");
                (l.line, l.column, d.field.clone().unwrap_or_default())
            })
            .collect()
    }

    const BROKEN: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: Sometimes
        resources: {limits: {memory: 1GB}}
        ports: [{name: http, containerPort: 8080, protocl: TCP}]
        env:
        - value: \"1\"
      terminationGracePeriodSeconds: soon
      requests: {cpu: 1}
";

    #[test]
    fn dates_and_base64_are_read_as_the_api_server_reads_them() {
        let yaml = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: certs
  creationTimestamp: yesterday
binaryData:
  good.bin: aGVsbG8=
  bad.bin: hello world
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  creationTimestamp: 2024-05-01T12:00:00Z
data:
  token: not base64
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: hook, creationTimestamp: null}
webhooks:
- name: check.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig: {url: \"https://hook.example.com\", caBundle: LS0tLS1CRUdJTi-CERT}
";
        let found = findings(yaml, "1.35");
        assert_eq!(
            places(&found),
            [
                (5, 22, "metadata.creationTimestamp".to_string()),
                (8, 12, "binaryData[\"bad.bin\"]".to_string()),
                (25, 61, "webhooks[0].clientConfig.caBundle".to_string()),
            ]
        );
        assert!(found[0].message.contains("`creationTimestamp: yesterday` is not a date and time Kubernetes reads (it is too short); write RFC 3339"), "{}", found[0].message);
        assert!(
            found[1]
                .message
                .contains("`bad.bin` is not base64 (character 6 ` ` cannot appear in base64; is it plain text?)"),
            "{}",
            found[1].message
        );
        assert!(found[2].message.contains("URL-safe base64"), "{}", found[2].message);
        // The Secret's value is secret-invalid-base64's, reported once.
        let settings = Settings::from(Profile::Minikube).with_schema(openapi::embedded("1.35"));
        let all = analyze_manifests(vec![SourceFile::new("m.yaml", yaml)], settings).diagnostics;
        let on_token: Vec<&str> =
            all.iter().filter(|d| d.field.as_deref() == Some("data.token")).map(|d| d.rule).collect();
        assert_eq!(on_token, ["secret-invalid-base64"]);
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let found = findings(BROKEN, "1.35");
        let c = "spec.template.spec.containers[0]";
        assert_eq!(
            places(&found),
            [
                (15, 26, format!("{c}.imagePullPolicy")),
                (16, 38, format!("{c}.resources.limits.memory")),
                (17, 51, format!("{c}.ports[0].protocl")),
                (19, 11, format!("{c}.env[0].name")),
                (20, 38, "spec.template.spec.terminationGracePeriodSeconds".to_string()),
                (21, 7, "spec.template.spec.requests".to_string()),
            ]
        );
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert!(messages[0].contains("`imagePullPolicy: Sometimes` is not a value Kubernetes accepts: supported values are `Always`, `IfNotPresent`, `Never`"), "{}", messages[0]);
        assert!(
            messages[1].contains(
                "`memory: 1GB` is not a Kubernetes quantity (unknown suffix `GB` (memory is written `1Gi` or `1G`))"
            ),
            "{}",
            messages[1]
        );
        assert!(
            messages[2]
                .starts_with("unknown field `protocl`: a ContainerPort has no such field; did you mean `protocol`?"),
            "{}",
            messages[2]
        );
        assert!(messages[3].starts_with("`name` is required: an EnvVar must have it"), "{}", messages[3]);
        assert!(
            messages[4].starts_with("`terminationGracePeriodSeconds` must be a whole number, not the text `\"soon\"`"),
            "{}",
            messages[4]
        );
        assert!(messages[5].starts_with("unknown field `requests`: a PodSpec has no such field"), "{}", messages[5]);
        assert!(messages.iter().all(|m| m.contains("(Kubernetes 1.35)")));
    }

    #[test]
    fn misplaced_fields_and_unquoted_text_get_a_hint() {
        let yaml = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {}
spec:
  containers:
  - name: app
    image: app:1
    requests: {cpu: 1}
  nodeSelector: {gpu: yes}
";
        let found = findings(yaml, "1.35");
        assert_eq!(
            places(&found),
            [(10, 5, "spec.containers[0].requests".to_string()), (11, 23, "spec.nodeSelector.gpu".to_string())]
        );
        assert!(found[0].message.contains("`requests` belongs inside `resources`"), "{}", found[0].message);
        assert!(found[1].message.contains("write \"yes\""), "{}", found[1].message);
    }

    #[test]
    fn valid_objects_custom_resources_and_no_schema_pass() {
        let yaml = "\
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  type: ClusterIP
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web}
spec: {anything: [1, 2]}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits: [{type: Container, default: {memory: 512Mi, cpu: 0.5}}]
";
        for version in openapi::VERSIONS {
            assert_eq!(places(&findings(yaml, version)), [], "{version}");
        }
        let settings = Settings::from(Profile::Minikube);
        let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", BROKEN)], settings);
        assert!(analysis.diagnostics.iter().all(|d| d.rule != "schema-invalid"));
    }

    /// The Deployment: the reader stops at `replicas: "3"`; the schema reports it and
    /// everything else, and the reader's own finding gives way.
    #[test]
    fn an_object_the_reader_rejects_gets_every_problem() {
        let yaml = BROKEN.replace("spec:\n  selector:", "spec:\n  replicas: \"3\"\n  selector:");
        let settings = Settings::from(Profile::Minikube).with_schema(openapi::embedded("1.35"));
        let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", yaml)], settings);
        let errors: Vec<&Diagnostic> =
            analysis.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).collect();
        let rules: Vec<&str> = errors.iter().map(|d| d.rule).collect();
        // The missing env name is the schema's finding alone (env-name would say it is blank).
        assert_eq!(rules, ["schema-invalid"; 7], "{errors:#?}");
        assert_eq!(
            (errors[0].field.as_deref(), errors[0].location.as_ref().map(|l| (l.line, l.column))),
            (Some("spec.replicas"), Some((6, 13)))
        );
        assert!(
            errors[0]
                .message
                .starts_with("`replicas` must be a whole number, not the text `\"3\"`; write 3 without quotes"),
            "{}",
            errors[0].message
        );
        assert_eq!(
            errors[3].location.as_ref().map(|l| (l.line, l.column)),
            Some((18, 51)),
            "unknown fields point at the key"
        );
        assert_eq!(errors[0].resource.as_ref().map(|r| r.to_string()), Some("default/Deployment/web".to_string()));
        // Without a schema, the reader's finding stands.
        let analysis = analyze_manifests(
            vec![SourceFile::new(
                "m.yaml",
                BROKEN.replace("spec:\n  selector:", "spec:\n  replicas: \"3\"\n  selector:"),
            )],
            Profile::Minikube,
        );
        assert_eq!(analysis.diagnostics.iter().filter(|d| d.rule == "manifest-invalid").count(), 1);
    }

    /// A missing selector or env name is one mistake: with a schema, its `required` finding
    /// stands alone; without one, the rules that see an empty selector or a blank name say it.
    #[test]
    fn a_missing_field_is_one_finding() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        env: [{value: \"1\"}]\n";
        let rules = |settings: Settings| -> Vec<&'static str> {
            let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", yaml)], settings);
            analysis.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).map(|d| d.rule).collect()
        };
        let with_schema = Settings::from(Profile::Minikube).with_schema(openapi::embedded("1.35"));
        assert_eq!(rules(with_schema), ["schema-invalid", "schema-invalid"]);
        assert_eq!(rules(Settings::from(Profile::Minikube)), ["selector-mismatch", "env-name"]);
    }

    /// In a `kind: List`, the rejected item is validated alone, at its own lines; the good item
    /// is checked once, as an object of the set.
    #[test]
    fn a_rejected_item_of_a_list_gets_every_problem() {
        let yaml = "\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: good}
  dta: {}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: \"3\"
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: web, image: nginx, imagePullPolicy: Sometimes}]
";
        let found = findings(yaml, "1.35");
        assert_eq!(
            places(&found),
            [
                (7, 3, "dta".to_string()),
                (12, 15, "spec.replicas".to_string()),
                (17, 65, "spec.template.spec.containers[0].imagePullPolicy".to_string()),
            ]
        );
        assert_eq!(found[1].resource.as_ref().map(|r| r.to_string()), Some("default/Deployment/web".to_string()));
    }

    /// A render that fails its own Kubernetes schema is a bug in render.
    #[test]
    fn every_presets_render_passes_every_schema() {
        for preset in crate::presets::PRESETS {
            let input = crate::ValuesInput { preset: Some(preset.name.to_string()), ..Default::default() };
            let values = crate::load::load(&input).values.expect("presets load");
            let set = crate::render::render(&values, preset.name);
            let objects: Vec<serde_json::Value> = set.resources.iter().map(|r| r.to_json()).collect();
            for version in openapi::VERSIONS {
                let schema = openapi::embedded(version).unwrap();
                for object in &objects {
                    let problems = schema.validate(object).expect("render writes built-in kinds");
                    assert_eq!(problems, [], "{} {version}: {}", preset.name, object["kind"]);
                }
            }
        }
    }
}
