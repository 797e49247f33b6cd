//! Property tests: any valid values render to YAML that reads back as the same objects, holds
//! every reference, and a broken reference is caught by the rule that owns it.
//!
//! 64 cases per property by default; `PROPTEST_CASES=2000 cargo test -p kubeplay-core --test
//! properties` searches harder. A failure prints the shrunk values.

mod common;

use common::{analyze, cases, describe, is_relationship, reads_back, values, UPSTREAM_ENV};
use kubeplay_core::manifest::{self, Object};
use kubeplay_core::values::{ComponentKind, PortRef, ServiceSpec, ServiceType, Values};
use kubeplay_core::{analyze_manifests, Analysis, Diagnostic, Profile, Severity, SourceFile};
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::BTreeMap;

/// YAML and JSON of a value as its own `Serialize` writes it.
fn both<T: serde::Serialize>(o: &T) -> (String, serde_json::Value) {
    (kubeplay_core::emit::to_yaml(o), serde_json::to_value(o).unwrap())
}

/// An object's YAML and JSON as k8s-openapi's `Serialize` writes it.
fn library_output(object: &Object) -> (String, serde_json::Value) {
    match object {
        Object::Namespace(o) => both(o),
        Object::Secret(o) => both(o),
        Object::ConfigMap(o) => both(o),
        Object::Service(o) => both(o),
        Object::Deployment(o) => both(o),
        Object::PersistentVolumeClaim(o) => both(o),
        Object::PodDisruptionBudget(o) => both(o),
        Object::ServiceAccount(o) => both(o),
        Object::HorizontalPodAutoscaler(o) => both(o),
        Object::Ingress(o) => both(o),
        Object::NetworkPolicy(o) => both(o),
        Object::Workload(o) => typed_workload(o),
        _ => unreachable!("render writes only modeled kinds"),
    }
}

/// A rendered StatefulSet, DaemonSet, Job or CronJob as k8s-openapi's own type, written by `write`.
fn typed_workload(w: &manifest::PodController) -> (String, serde_json::Value) {
    use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec, StatefulSet, StatefulSetSpec};
    use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec};
    use manifest::WorkloadKind;
    let job = JobSpec {
        backoff_limit: w.backoff_limit,
        completions: w.completions,
        parallelism: w.parallelism,
        template: w.template.clone(),
        ..Default::default()
    };
    let metadata = w.metadata.clone();
    let selector = || w.selector.clone().expect("a rendered StatefulSet or DaemonSet has a selector");
    match w.kind {
        WorkloadKind::StatefulSet => both(&StatefulSet {
            metadata,
            spec: Some(StatefulSetSpec {
                pod_management_policy: w.pod_management_policy.clone(),
                replicas: w.replicas,
                selector: selector(),
                service_name: w.service_name.clone(),
                template: w.template.clone(),
                volume_claim_templates: (!w.volume_claim_templates.is_empty())
                    .then(|| w.volume_claim_templates.clone()),
                ..Default::default()
            }),
            status: None,
        }),
        WorkloadKind::DaemonSet => both(&DaemonSet {
            metadata,
            spec: Some(DaemonSetSpec { selector: selector(), template: w.template.clone(), ..Default::default() }),
            status: None,
        }),
        WorkloadKind::Job => both(&Job { metadata, spec: Some(job), status: None }),
        WorkloadKind::CronJob => both(&CronJob {
            metadata,
            spec: Some(CronJobSpec {
                concurrency_policy: w.concurrency_policy.clone(),
                failed_jobs_history_limit: w.failed_jobs_history_limit,
                job_template: JobTemplateSpec { metadata: None, spec: Some(job) },
                schedule: w.schedule.clone().unwrap_or_default(),
                successful_jobs_history_limit: w.successful_jobs_history_limit,
                suspend: w.suspend,
                ..Default::default()
            }),
            status: None,
        }),
        other => unreachable!("render makes no {other:?}"),
    }
}

/// The object without what the reader of pasted manifests leaves out of the typed form (it is
/// kept in the tree, and so written): a pod's volumes but for the names they reference, a
/// StatefulSet's claim templates but for their names, an autoscaler's metrics, whether a
/// Service publishes pods that are not ready.
fn without_unread_parts(object: &Object) -> Object {
    let mut object = object.clone();
    match &mut object {
        Object::Deployment(d) => {
            if let Some(pod) = d.spec.as_mut().and_then(|s| s.template.spec.as_mut()) {
                pod.volumes = None;
            }
        }
        Object::Service(service) => {
            if let Some(spec) = service.spec.as_mut() {
                spec.publish_not_ready_addresses = None;
            }
        }
        Object::Workload(w) => {
            if let Some(pod) = w.template.spec.as_mut() {
                pod.volumes = None;
            }
            for claim in &mut w.volume_claim_templates {
                *claim = k8s_openapi::api::core::v1::PersistentVolumeClaim {
                    metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                        name: claim.metadata.name.clone(),
                        ..Default::default()
                    },
                    ..Default::default()
                };
            }
        }
        Object::HorizontalPodAutoscaler(hpa) => {
            if let Some(spec) = hpa.spec.as_mut() {
                spec.metrics = None;
            }
        }
        _ => {}
    }
    object
}

/// The schemas of the oldest and newest version (read as the page reads an asset: core embeds
/// them only with the `schemas` feature).
fn schemas() -> &'static [kubeplay_core::openapi::Schema] {
    static READ: std::sync::OnceLock<Vec<kubeplay_core::openapi::Schema>> = std::sync::OnceLock::new();
    READ.get_or_init(|| {
        [include_str!("../schemas/kube-1.29.json"), include_str!("../schemas/kube-1.35.json")]
            .map(|text| kubeplay_core::openapi::Schema::from_json(text).expect("the committed schema reads"))
            .into()
    })
}

fn config() -> ProptestConfig {
    // No regression files: several engineers share the checkout and the failure output already
    // shows the shrunk input.
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

/// A port name the generator never produces (it makes at most 9 characters).
const NO_SUCH_PORT: &str = "nosuch-port";

fn reread(yaml: &str, profile: Profile) -> Analysis {
    analyze_manifests(vec![SourceFile::new("r.yaml", yaml)], profile)
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned().collect()
}

fn relationship(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics.iter().filter(|d| is_relationship(d)).cloned().collect()
}

/// The name of a component with a Service, giving the picked component one if none has.
fn with_service(values: &mut Values, which: &Index) -> String {
    let names: Vec<String> = values.components.keys().cloned().collect();
    if let Some(name) = values.components.iter().find(|(_, c)| c.service.is_some()).map(|(n, _)| n.clone()) {
        return name;
    }
    let name = which.get(&names).clone();
    let component = values.components.get_mut(&name).expect("picked from the keys");
    // Pods that run to completion have no Service: this one then keeps running.
    if component.kind.workload().runs_to_completion() {
        *component = kubeplay_core::values::Component {
            kind: ComponentKind::Deployment,
            backoff_limit: None,
            restart_policy: None,
            schedule: None,
            concurrency_policy: None,
            successful_jobs_history_limit: None,
            failed_jobs_history_limit: None,
            ..component.clone()
        };
    }
    let target = PortRef::Name(component.ports[0].name.clone());
    component.service =
        Some(ServiceSpec { type_: ServiceType::ClusterIP, port: 80, target_port: target, node_port: None });
    name
}

fn pick_component(values: &Values, which: &Index) -> String {
    let names: Vec<&String> = values.components.keys().collect();
    which.get(&names).to_string()
}

/// The diagnostics of `rule`, failing the case (with everything reported) when there are none.
fn expect_rule<'a>(analysis: &'a Analysis, rule: &str) -> Result<Vec<&'a Diagnostic>, TestCaseError> {
    let found: Vec<&Diagnostic> = analysis.diagnostics.iter().filter(|d| d.rule == rule).collect();
    prop_assert!(!found.is_empty(), "expected `{rule}`; got:\n{}", describe(&analysis.diagnostics));
    Ok(found)
}

/// True when `labels` are valid Kubernetes label keys and values (apimachinery `IsQualifiedName`
/// and `IsValidLabelValue`).
fn invalid_labels(labels: &BTreeMap<String, String>) -> Vec<String> {
    fn name_part(s: &str) -> bool {
        // `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
        let ok_inner = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        !s.is_empty()
            && s.len() <= 63
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.ends_with(|c: char| c.is_ascii_alphanumeric())
            && s.chars().all(ok_inner)
    }
    fn key(k: &str) -> bool {
        match k.split_once('/') {
            Some((prefix, name)) => {
                prefix.len() <= 253
                    && prefix.split('.').all(|l| {
                        !l.is_empty() && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    })
                    && name_part(name)
            }
            None => name_part(k),
        }
    }
    labels
        .iter()
        .filter(|(k, v)| !key(k) || !(v.is_empty() || name_part(v)))
        .map(|(k, v)| format!("{k}: {v:?}"))
        .collect()
}

/// Plain scalars of `yaml` that a YAML 1.1 reader takes for something other than the string
/// kubeplay means. kubectl (sigs.k8s.io/yaml on go-yaml v2), PyYAML and so kubernetes-validate
/// read YAML 1.1, where `yes`, `no`, `on`, `off`, `y`, `n` are booleans and `1_000`, `0b1`,
/// `1:30` are numbers; kubeplay's output never holds such values as anything but strings, so
/// each one must be quoted.
fn yaml_1_1_misreadings(yaml: &str) -> Vec<String> {
    fn misread(plain: &str) -> bool {
        const BOOLS: [&str; 22] = [
            "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "true",
            "True", "TRUE", "false", "False", "FALSE",
        ];
        let unsigned = plain.trim_start_matches(['-', '+']);
        let digits_with_underscores = unsigned.starts_with(|c: char| c.is_ascii_digit())
            && unsigned.contains('_')
            && unsigned.chars().all(|c| c.is_ascii_digit() || c == '_' || c == '.');
        let binary = unsigned
            .strip_prefix("0b")
            .is_some_and(|b| !b.is_empty() && b.chars().all(|c| matches!(c, '0' | '1' | '_')));
        let sexagesimal = unsigned.contains(':')
            && unsigned.split(':').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit() || c == '_'));
        // `true`/`false` are booleans in both versions: unquoted they are real booleans, which is fine.
        (BOOLS.contains(&plain) && !matches!(plain, "true" | "True" | "TRUE" | "false" | "False" | "FALSE"))
            || digits_with_underscores
            || binary
            || sexagesimal
    }
    let mut found = Vec::new();
    // Inside a block scalar (`|`, `>-`, ...) lines are text, not scalars: skip until the indent drops.
    let mut block_indent: Option<usize> = None;
    for (number, line) in yaml.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(at) = block_indent {
            if indent > at || line.trim().is_empty() {
                continue;
            }
            block_indent = None;
        }
        let mut rest = line.trim_start();
        while let Some(r) = rest.strip_prefix("- ") {
            rest = r;
        }
        let value = match rest.split_once(": ") {
            Some((_, value)) => value,
            None => rest.strip_prefix('-').map_or(rest, str::trim_start),
        };
        if value.starts_with(['|', '>']) {
            block_indent = Some(indent);
            continue;
        }
        if misread(value.trim_end()) {
            found.push(format!("line {}: {}", number + 1, line.trim()));
        }
    }
    found
}

#[test]
fn the_yaml_1_1_check_finds_what_it_should() {
    let yaml =
        "a: yes\nb: 'yes'\nc:\n- on\n- name: n\nd: 1_000\ne: |-\n  yes\n  no\nf: true\ng: 0b101\nh: 1:30\ni: 12\n";
    let found = yaml_1_1_misreadings(yaml);
    assert_eq!(
        found,
        [
            "line 1: a: yes",
            "line 4: - on",
            "line 5: - name: n",
            "line 6: d: 1_000",
            "line 11: g: 0b101",
            "line 12: h: 1:30"
        ]
    );
}

proptest! {
    #![proptest_config(config())]

    /// (a) The render, read back as foreign manifests, is the same objects and the same YAML; and
    /// the values file itself reads back as the values it was written from.
    #[test]
    fn rendered_yaml_reads_back_as_the_same_objects(values in values()) {
        let analysis = analyze(&values, Profile::Minikube);
        prop_assert!(analysis.values.as_ref() == Some(&values), "values did not read back:\n{}\nvalues file:\n{}", describe(&analysis.diagnostics), common::values_yaml(&values));
        prop_assert!(!analysis.yaml().is_empty());
        let again = reread(analysis.yaml(), Profile::Minikube);
        prop_assert_eq!(again.manifests.resources.len(), analysis.manifests.resources.len(), "{}", describe(&again.diagnostics));
        for (rendered, read) in analysis.manifests.resources.iter().zip(&again.manifests.resources) {
            // What the reader leaves out of the typed form is compared as written, with the
            // rest of the object.
            prop_assert_eq!(read.to_json(), rendered.to_json(), "{} changed on the way through YAML", rendered.object.id());
            prop_assert_eq!(&without_unread_parts(&read.object), &without_unread_parts(&rendered.object), "{} changed on the way through YAML", rendered.object.id());
        }
        prop_assert_eq!(again.yaml(), analysis.yaml());
    }

    /// (a') Rendered objects are written through views that leave out server-set fields (see
    /// `manifest/write.rs`): the YAML and JSON are what k8s-openapi's own `Serialize` writes.
    #[test]
    fn rendered_objects_are_written_as_k8s_openapi_writes_them(values in values()) {
        let analysis = analyze(&values, Profile::Minikube);
        for resource in &analysis.manifests.resources {
            let mut yaml = String::new();
            resource.write_yaml(&mut yaml);
            let (library_yaml, library_json) = library_output(&resource.object);
            prop_assert_eq!(&yaml, &library_yaml, "{}", resource.object.id());
            prop_assert_eq!(&resource.to_json(), &library_json, "{}", resource.object.id());
        }
    }

    /// (a'') Every rendered object passes the strict schema of its kind, in the oldest and the
    /// newest Kubernetes version kubeplay has (a render the API server would reject is a bug).
    #[test]
    fn rendered_objects_pass_the_kubernetes_schemas(values in values()) {
        let analysis = analyze(&values, Profile::Minikube);
        for schema in schemas() {
            for resource in &analysis.manifests.resources {
                let problems = schema.validate(&resource.to_json());
                prop_assert_eq!(problems, Some(vec![]), "{} against {:?}", resource.object.id(), schema);
            }
        }
    }

    /// (b) Valid values hold every reference (no relationship finding with either profile, from
    /// values or from the rendered YAML) and draw no errors on Minikube.
    #[test]
    fn valid_values_have_no_relationship_findings_and_no_errors(values in values()) {
        for profile in [Profile::Minikube, Profile::Production] {
            let from_values = analyze(&values, profile);
            let from_yaml = reread(from_values.yaml(), profile);
            for (path, analysis) in [("values", &from_values), ("rendered YAML", &from_yaml)] {
                let found = relationship(&analysis.diagnostics);
                prop_assert!(found.is_empty(), "{} ({}): relationship findings on valid values:\n{}", path, profile.as_str(), describe(&found));
                if profile == Profile::Minikube {
                    let found = errors(&analysis.diagnostics);
                    prop_assert!(found.is_empty(), "{} (minikube): errors on valid values:\n{}", path, describe(&found));
                }
            }
        }
    }

    /// The render means the same to YAML 1.1 readers (kubectl, kubernetes-validate) as to
    /// kubeplay: strings that look like YAML 1.1 booleans or numbers are quoted.
    #[test]
    fn rendered_yaml_means_the_same_to_yaml_1_1_readers(values in values()) {
        prop_assume!(reads_back(&values), "values that do not read back are the first property's failure");
        let analysis = analyze(&values, Profile::Minikube);
        let found = yaml_1_1_misreadings(analysis.yaml());
        prop_assert!(found.is_empty(), "unquoted YAML 1.1 booleans or numbers:\n{}", found.join("\n"));
    }

    /// Every label kubeplay writes is one the API server accepts (image tags become the
    /// `app.kubernetes.io/version` label, and not every valid tag is a valid label value).
    #[test]
    fn rendered_labels_are_valid_kubernetes_labels(values in values()) {
        prop_assume!(reads_back(&values), "values that do not read back are the first property's failure");
        let analysis = analyze(&values, Profile::Minikube);
        for resource in &analysis.manifests.resources {
            let mut label_sets = vec![("metadata.labels", resource.object.metadata().labels.clone().unwrap_or_default())];
            if let Object::Deployment(d) = &resource.object {
                let spec = d.spec.clone().unwrap_or_default();
                label_sets.push(("spec.selector.matchLabels", spec.selector.match_labels.unwrap_or_default()));
                label_sets.push(("spec.template.metadata.labels", spec.template.metadata.and_then(|m| m.labels).unwrap_or_default()));
            }
            if let Object::Service(s) = &resource.object {
                label_sets.push(("spec.selector", s.spec.as_ref().and_then(|s| s.selector.clone()).unwrap_or_default()));
            }
            for (field, labels) in label_sets {
                let bad = invalid_labels(&labels);
                prop_assert!(bad.is_empty(), "{} {}: invalid labels {:?}", resource.object.id(), field, bad);
            }
        }
    }

    /// (c) A Service targeting a port name no container port has: `target-port-unresolved`, on
    /// that Service, pointing into its values.
    #[test]
    fn an_unknown_target_port_is_caught(mut values in values(), which in any::<Index>()) {
        prop_assume!(reads_back(&values), "values that do not read back are the first property's failure");
        let name = with_service(&mut values, &which);
        values.components.get_mut(&name).unwrap().service.as_mut().unwrap().target_port = PortRef::Name(NO_SUCH_PORT.into());
        let analysis = analyze(&values, Profile::Minikube);
        let found = expect_rule(&analysis, "target-port-unresolved")?;
        let service = format!("Service/{name}");
        prop_assert!(found.iter().any(|d| d.resource.as_ref().is_some_and(|r| r.kind_name() == service)
            && d.path.as_deref().is_some_and(|p| p.starts_with(&format!("components.{name}.service")))),
            "not reported on {}:\n{}", service, describe(&analysis.diagnostics));
    }

    /// (c) A configKeys entry the config does not have: `env-ref-missing-key`, on the Deployment,
    /// pointing at the entry in the values file.
    #[test]
    fn a_config_key_missing_from_config_is_caught(mut values in values(), which in any::<Index>()) {
        prop_assume!(reads_back(&values), "values that do not read back are the first property's failure");
        // With no config at all the ConfigMap is not rendered: that is `env-ref-missing-object`.
        if values.config.is_empty() {
            values.config.insert("CFG_PRESENT".into(), "x".into());
        }
        let name = pick_component(&values, &which);
        let component = values.components.get_mut(&name).unwrap();
        component.config_keys.push("CFG_NOT_THERE".into());
        let at = format!("components.{name}.configKeys[{}]", component.config_keys.len() - 1);
        let analysis = analyze(&values, Profile::Minikube);
        let found = expect_rule(&analysis, "env-ref-missing-key")?;
        let deployment = format!("{}/{name}", values.components[&name].kind.as_str());
        prop_assert!(found.iter().any(|d| d.resource.as_ref().is_some_and(|r| r.kind_name() == deployment)
            && d.path.as_deref() == Some(at.as_str())
            && d.location.as_ref().is_some_and(|l| l.file == "values.yaml")),
            "not reported on {} at {} in values.yaml:\n{}", deployment, at, describe(&analysis.diagnostics));
    }

    /// (c) A pod template label changed in the rendered YAML: the Deployment's selector no longer
    /// matches (`selector-mismatch`) and its Service, if any, selects nothing.
    #[test]
    fn a_changed_template_label_is_caught(values in values(), which in any::<Index>()) {
        prop_assume!(reads_back(&values), "values that do not read back are the first property's failure");
        let name = pick_component(&values, &which);
        // A Job makes its own selector: there is none to stop matching.
        prop_assume!(!values.components[&name].kind.workload().runs_to_completion());
        let mut set = analyze(&values, Profile::Minikube).manifests;
        for resource in &mut set.resources {
            let template = match &mut resource.object {
                Object::Deployment(d) if d.metadata.name.as_deref() == Some(name.as_str()) => {
                    &mut d.spec.as_mut().unwrap().template
                }
                Object::Workload(w) if w.metadata.name.as_deref() == Some(name.as_str()) => &mut w.template,
                _ => continue,
            };
            let labels = template.metadata.as_mut().unwrap().labels.as_mut().unwrap();
            labels.insert("app.kubernetes.io/component".into(), "zz-mutated".into());
        }
        let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", manifest::to_yaml(&set))], Profile::Minikube);
        let deployment = format!("{}/{name}", values.components[&name].kind.as_str());
        let found = expect_rule(&analysis, "selector-mismatch")?;
        prop_assert!(found.iter().any(|d| d.resource.as_ref().is_some_and(|r| r.kind_name() == deployment) && d.location.as_ref().is_some_and(|l| l.file == "m.yaml")),
            "not reported on {} with a place in m.yaml:\n{}", deployment, describe(&analysis.diagnostics));
        if values.components[&name].service.is_some() {
            let service = format!("Service/{name}");
            let found = expect_rule(&analysis, "service-selects-nothing")?;
            prop_assert!(found.iter().any(|d| d.resource.as_ref().is_some_and(|r| r.kind_name() == service)),
                "not reported on {}:\n{}", service, describe(&analysis.diagnostics));
        }
    }

    /// (c) An env URL naming a Service with a port it does not have: `url-service-unresolved`, on
    /// the calling Deployment, pointing at the env var.
    #[test]
    fn a_url_with_the_wrong_port_is_caught(mut values in values(), caller in any::<Index>(), callee in any::<Index>()) {
        prop_assume!(reads_back(&values), "values that do not read back are the first property's failure");
        let service = with_service(&mut values, &callee);
        let port = values.components[&service].service.as_ref().unwrap().port;
        let wrong = if port == 65535 { 1 } else { port + 1 };
        let name = pick_component(&values, &caller);
        values.components.get_mut(&name).unwrap().env.insert(UPSTREAM_ENV.into(), format!("http://{service}:{wrong}"));
        let analysis = analyze(&values, Profile::Minikube);
        let found = expect_rule(&analysis, "url-service-unresolved")?;
        let deployment = format!("{}/{name}", values.components[&name].kind.as_str());
        let at = format!("components.{name}.env.{UPSTREAM_ENV}");
        prop_assert!(found.iter().any(|d| d.resource.as_ref().is_some_and(|r| r.kind_name() == deployment) && d.path.as_deref().is_some_and(|p| p.starts_with(&at))),
            "not reported on {} at {}:\n{}", deployment, at, describe(&analysis.diagnostics));
    }

    /// A probe on a port the container does not expose: `probe-port-unresolved`, on the
    /// Deployment, pointing at the probe.
    #[test]
    fn a_probe_on_an_unknown_port_is_caught(mut values in values(), which in any::<Index>()) {
        prop_assume!(reads_back(&values), "values that do not read back are the first property's failure");
        let name = pick_component(&values, &which);
        let component = values.components.get_mut(&name).unwrap();
        let probe = component.probes.liveness.get_or_insert_with(|| kubeplay_core::values::ProbeSpec {
            path: Some("/".into()),
            port: PortRef::Number(1),
            initial_delay_seconds: None,
            period_seconds: None,
            timeout_seconds: None,
            failure_threshold: None,
        });
        probe.port = PortRef::Name(NO_SUCH_PORT.into());
        let analysis = analyze(&values, Profile::Minikube);
        let found = expect_rule(&analysis, "probe-port-unresolved")?;
        let deployment = format!("{}/{name}", values.components[&name].kind.as_str());
        let at = format!("components.{name}.probes.liveness");
        prop_assert!(found.iter().any(|d| d.resource.as_ref().is_some_and(|r| r.kind_name() == deployment) && d.path.as_deref().is_some_and(|p| p.starts_with(&at))),
            "not reported on {} at {}:\n{}", deployment, at, describe(&analysis.diagnostics));
    }
}

/// The generator itself: it must produce what it promises, or the properties above prove little.
#[test]
fn the_generator_makes_varied_values() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut services, mut upstreams, mut named_targets, mut numbered_targets) = (0, 0, 0, 0);
    for _ in 0..200 {
        let values = values().new_tree(&mut runner).unwrap().current();
        assert!((1..6).contains(&values.components.len()));
        for c in values.components.values() {
            assert!((1..=3).contains(&c.ports.len()));
            if let Some(s) = &c.service {
                services += 1;
                match &s.target_port {
                    PortRef::Name(n) => {
                        named_targets += 1;
                        assert!(c.ports.iter().any(|p| &p.name == n));
                    }
                    PortRef::Number(n) => {
                        numbered_targets += 1;
                        assert!(c.ports.iter().any(|p| p.container_port == *n));
                    }
                }
            }
            upstreams += usize::from(c.env.contains_key(UPSTREAM_ENV));
            assert!(c.config_keys.iter().all(|k| values.config.contains_key(k)));
            assert!(c.secret_keys.iter().all(|k| values.secrets.contains_key(k)));
        }
    }
    assert!(
        services > 50 && upstreams > 20 && named_targets > 10 && numbered_targets > 10,
        "{services} {upstreams} {named_targets} {numbered_targets}"
    );
}
