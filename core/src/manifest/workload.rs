//! The workload view: one way to read the pods of any pod-making kind (Deployment, StatefulSet,
//! DaemonSet, ReplicaSet, ReplicationController, DeploymentConfig, Job, CronJob, Pod), so every
//! container rule, the graph and the lifecycle are written once, against a pod template.

use super::{ManifestSet, Object, PodController, WorkloadKind};
use crate::path::{FieldPath, Segment};
use crate::resource::ResourceRef;
use k8s_openapi::api::core::v1::{Container, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The pods of one object of the set, whatever its kind.
#[derive(Clone, Copy)]
pub struct Workload<'a> {
    /// Index of the object in the set.
    pub resource: usize,
    pub kind: WorkloadKind,
    pub metadata: &'a ObjectMeta,
    /// The pod template's metadata (a Pod's own).
    pub pod_metadata: Option<&'a ObjectMeta>,
    pub pod_spec: Option<&'a PodSpec>,
    /// `None` for a Pod and for a CronJob's jobs (the Job controller selects them itself).
    pub selector: Option<&'a LabelSelector>,
    /// `spec.replicas` as written (`None`: the kind's default, or not a replicated kind).
    pub replicas: Option<i32>,
    /// The object itself, for what only one kind has.
    pub object: &'a Object,
}

impl<'a> Workload<'a> {
    /// The workload view of an object, if it makes pods.
    pub fn of(resource: usize, object: &'a Object) -> Option<Workload<'a>> {
        match object {
            Object::Deployment(d) => {
                let spec = d.spec.as_ref();
                Some(Workload {
                    resource,
                    kind: WorkloadKind::Deployment,
                    metadata: &d.metadata,
                    pod_metadata: spec.and_then(|s| s.template.metadata.as_ref()),
                    pod_spec: spec.and_then(|s| s.template.spec.as_ref()),
                    selector: spec.map(|s| &s.selector),
                    replicas: spec.and_then(|s| s.replicas),
                    object,
                })
            }
            Object::Workload(w) => Some(Workload {
                resource,
                kind: w.kind,
                metadata: &w.metadata,
                pod_metadata: if w.kind == WorkloadKind::Pod {
                    Some(&w.metadata)
                } else {
                    w.template.metadata.as_ref()
                },
                pod_spec: w.template.spec.as_ref(),
                selector: w.selector.as_ref(),
                replicas: w.replicas,
                object,
            }),
            _ => None,
        }
    }

    pub fn name(&self) -> &'a str {
        self.metadata.name.as_deref().unwrap_or("")
    }

    /// `StatefulSet `db``: how messages name it.
    pub fn who(&self) -> String {
        format!("{} `{}`", self.kind.as_str(), self.name())
    }

    /// The stored object when it is not a Deployment (StatefulSet, Job, ... fields).
    pub fn controller(&self) -> Option<&'a PodController> {
        match self.object {
            Object::Workload(w) => Some(w),
            _ => None,
        }
    }

    /// The labels its pods get.
    pub fn pod_labels(&self) -> Option<&'a BTreeMap<String, String>> {
        self.pod_metadata?.labels.as_ref()
    }

    /// Its pods' containers (not the init containers).
    pub fn containers(&self) -> &'a [Container] {
        self.pod_spec.map_or(&[], |s| s.containers.as_slice())
    }

    /// Its pods' init containers.
    pub fn init_containers(&self) -> &'a [Container] {
        self.pod_spec.and_then(|s| s.init_containers.as_deref()).unwrap_or(&[])
    }

    /// The field path of `sub` inside the pod template (`spec.template.` + `sub` for most kinds,
    /// `sub` itself for a Pod).
    pub fn template_field(&self, sub: &[Segment]) -> FieldPath {
        let mut path: Vec<Segment> = self.kind.template_path().iter().map(|s| Segment::from(*s)).collect();
        path.extend_from_slice(sub);
        FieldPath(path)
    }

    /// The field path of `sub` inside the pod spec (`spec.template.spec.` + `sub`).
    pub fn pod_field(&self, sub: &[Segment]) -> FieldPath {
        let mut path = self.template_field(&[Segment::from("spec")]);
        path.0.extend_from_slice(sub);
        path
    }

    /// The graph node of its pods: the Pod itself, or `Pods` named after the workload.
    pub fn pods_ref(&self, set: &ManifestSet) -> ResourceRef {
        let namespace = set.resources[self.resource].namespace(set.default_namespace());
        if self.kind == WorkloadKind::Pod {
            ResourceRef::new("", "Pod", namespace, self.name())
        } else {
            pods_ref(namespace, self.name())
        }
    }

    /// Every container and init container, with where it sits.
    pub fn all_containers(self) -> impl Iterator<Item = ContainerRef<'a>> {
        let init = self.init_containers().iter().enumerate().map(move |(index, container)| ContainerRef {
            workload: self,
            container,
            index,
            init: true,
        });
        self.main_containers().chain(init)
    }

    /// Every container (not the init containers), with where it sits.
    pub fn main_containers(self) -> impl Iterator<Item = ContainerRef<'a>> {
        self.containers().iter().enumerate().map(move |(index, container)| ContainerRef {
            workload: self,
            container,
            index,
            init: false,
        })
    }
}

/// The graph node of the pods a workload named `name` makes in `namespace`.
pub fn pods_ref(namespace: &str, name: &str) -> ResourceRef {
    ResourceRef::new("", "Pods", namespace, name)
}

/// A container of a workload, with where it sits.
#[derive(Clone, Copy)]
pub struct ContainerRef<'a> {
    pub workload: Workload<'a>,
    pub container: &'a Container,
    /// Position in `containers` (or `initContainers`).
    pub index: usize,
    pub init: bool,
}

impl ContainerRef<'_> {
    /// Index of the workload in the set.
    pub fn resource(&self) -> usize {
        self.workload.resource
    }
    /// `spec.template.spec.containers[i]`. Built when asked: most containers are never reported.
    pub fn field(&self) -> FieldPath {
        let list = if self.init { "initContainers" } else { "containers" };
        self.workload.pod_field(&[Segment::from(list), Segment::from(self.index)])
    }
    /// A field below the container, e.g. `at("readinessProbe.httpGet.port")`.
    pub fn at(&self, sub: &str) -> FieldPath {
        self.field().join(&FieldPath::parse(sub))
    }
    /// `container `app` of StatefulSet `db``, `init container ...`.
    pub fn who(&self) -> String {
        let init = if self.init { "init container" } else { "container" };
        format!("{init} `{}` of {}", self.container.name, self.workload.who())
    }
}

impl ManifestSet {
    /// Every object that makes pods, in set order.
    pub fn workloads(&self) -> impl Iterator<Item = Workload<'_>> {
        self.iter().filter_map(|(i, r)| Workload::of(i, &r.object))
    }
    /// The workload at `index`, if that object makes pods.
    pub fn workload(&self, index: usize) -> Option<Workload<'_>> {
        Workload::of(index, &self.resources.get(index)?.object)
    }
}

/// Every container (not init containers) of every workload, in set order.
pub fn containers(set: &ManifestSet) -> impl Iterator<Item = ContainerRef<'_>> {
    set.workloads().flat_map(Workload::main_containers)
}

/// Every container and init container of every workload, in set order.
pub fn all_containers(set: &ManifestSet) -> impl Iterator<Item = ContainerRef<'_>> {
    set.workloads().flat_map(Workload::all_containers)
}

/// Every container and init container of the workloads read from files. Rendered workloads
/// are left out: the values rules have checked what they were rendered from.
pub fn parsed_containers(set: &ManifestSet) -> impl Iterator<Item = ContainerRef<'_>> {
    all_containers(set).filter(|c| set.resources[c.resource()].is_parsed())
}

/// The probes of a container, by field name.
pub fn probes(container: &Container) -> [(&'static str, Option<&k8s_openapi::api::core::v1::Probe>); 3] {
    [
        ("livenessProbe", container.liveness_probe.as_ref()),
        ("readinessProbe", container.readiness_probe.as_ref()),
        ("startupProbe", container.startup_probe.as_ref()),
    ]
}

/// The port a probe checks, with its action (`httpGet`, `tcpSocket`, `grpc`).
pub fn probe_port(
    probe: &k8s_openapi::api::core::v1::Probe,
) -> Option<(&'static str, std::borrow::Cow<'_, IntOrString>)> {
    use std::borrow::Cow;
    if let Some(h) = &probe.http_get {
        return Some(("httpGet", Cow::Borrowed(&h.port)));
    }
    if let Some(t) = &probe.tcp_socket {
        return Some(("tcpSocket", Cow::Borrowed(&t.port)));
    }
    probe.grpc.as_ref().map(|g| ("grpc", Cow::Owned(IntOrString::Int(g.port))))
}

/// One reference from a container to a ConfigMap or Secret (`env[].valueFrom` key refs and
/// `envFrom`): the one walker the env-reference rules and the lifecycle prediction share.
pub struct EnvReference<'a> {
    /// `ConfigMap` or `Secret`.
    pub kind: &'static str,
    pub name: &'a str,
    /// The env var and the key it takes; `None` for `envFrom` (all keys).
    pub key: Option<(&'a str, &'a str)>,
    pub optional: bool,
    /// The container's place; the paths are built from this only when a finding needs them.
    container: FieldPathBase<'a>,
    entry: usize,
    /// `configMapKeyRef`, `secretKeyRef` (under `env[j].valueFrom`), `configMapRef` or
    /// `secretRef` (under `envFrom[j]`).
    reference: &'static str,
}

/// Where a container is, kept as its reference so the path is built only when asked.
#[derive(Clone, Copy)]
struct FieldPathBase<'a>(ContainerRef<'a>);

impl EnvReference<'_> {
    /// The entry itself: `env[j]` or `envFrom[j]` of the container.
    pub fn entry(&self) -> FieldPath {
        let list = if self.key.is_some() { "env" } else { "envFrom" };
        let mut path = self.container.0.field();
        path.0.extend([Segment::from(list), Segment::from(self.entry)]);
        path
    }
    /// Where the object's `name` is written.
    pub fn name_field(&self) -> FieldPath {
        self.reference_field("name")
    }
    /// Where the `key` is written (the name's field for `envFrom`).
    pub fn key_field(&self) -> FieldPath {
        self.reference_field(if self.key.is_some() { "key" } else { "name" })
    }
    fn reference_field(&self, leaf: &str) -> FieldPath {
        let mut path = self.entry();
        if self.key.is_some() {
            path.0.push("valueFrom".into());
        }
        path.0.extend([self.reference.into(), leaf.into()]);
        path
    }
}

/// Every ConfigMap/Secret reference of a container, in the order the container lists them.
pub fn env_references<'a>(c: &ContainerRef<'a>) -> impl Iterator<Item = EnvReference<'a>> {
    let container = FieldPathBase(*c);
    let key_refs = c.container.env.iter().flatten().enumerate().flat_map(move |(entry, env)| {
        let source = env.value_from.as_ref();
        let config_map = source.and_then(|s| s.config_map_key_ref.as_ref()).map(|r| EnvReference {
            kind: "ConfigMap",
            name: &r.name,
            key: Some((&env.name, &r.key)),
            optional: r.optional == Some(true),
            container,
            entry,
            reference: "configMapKeyRef",
        });
        let secret = source.and_then(|s| s.secret_key_ref.as_ref()).map(|r| EnvReference {
            kind: "Secret",
            name: &r.name,
            key: Some((&env.name, &r.key)),
            optional: r.optional == Some(true),
            container,
            entry,
            reference: "secretKeyRef",
        });
        config_map.into_iter().chain(secret)
    });
    let all_keys_refs = c.container.env_from.iter().flatten().enumerate().flat_map(move |(entry, from)| {
        let config_map = from.config_map_ref.as_ref().map(|r| EnvReference {
            kind: "ConfigMap",
            name: &r.name,
            key: None,
            optional: r.optional == Some(true),
            container,
            entry,
            reference: "configMapRef",
        });
        let secret = from.secret_ref.as_ref().map(|r| EnvReference {
            kind: "Secret",
            name: &r.name,
            key: None,
            optional: r.optional == Some(true),
            container,
            entry,
            reference: "secretRef",
        });
        config_map.into_iter().chain(secret)
    });
    key_refs.chain(all_keys_refs)
}

/// True when every `key=value` of a map selector is among `labels`.
pub fn map_selects(selector: &BTreeMap<String, String>, labels: Option<&BTreeMap<String, String>>) -> bool {
    selector.iter().all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

/// Whether a LabelSelector selects `labels`: every matchLabels pair and every expression
/// (`In`, `NotIn`, `Exists`, `DoesNotExist`) holds. An empty selector selects everything, as
/// PodDisruptionBudgets and NetworkPolicies read it.
pub fn label_selector_selects(selector: &LabelSelector, labels: Option<&BTreeMap<String, String>>) -> bool {
    let value = |k: &str| labels.and_then(|l| l.get(k));
    let pairs = selector.match_labels.iter().flatten().all(|(k, v)| value(k) == Some(v));
    pairs
        && selector.match_expressions.iter().flatten().all(|e| {
            let values = e.values.as_deref().unwrap_or(&[]);
            match e.operator.as_str() {
                "In" => value(&e.key).is_some_and(|v| values.contains(v)),
                "NotIn" => value(&e.key).is_none_or(|v| !values.contains(v)),
                "Exists" => value(&e.key).is_some(),
                "DoesNotExist" => value(&e.key).is_none(),
                // An unknown operator selects nothing (the API server rejects it).
                _ => false,
            }
        })
}

/// The fewest pods an autoscaler keeps of each workload it scales (by index): what runs first,
/// whatever `replicas` says.
pub fn autoscaled_floors(set: &ManifestSet) -> hashbrown::HashMap<usize, i32> {
    set.iter()
        .filter_map(|(i, r)| {
            let super::Object::HorizontalPodAutoscaler(hpa) = &r.object else { return None };
            let spec = hpa.spec.as_ref()?;
            let target = &spec.scale_target_ref;
            let (workload, _) = set.find(&target.kind, set.namespace_of(i), &target.name)?;
            Some((workload, spec.min_replicas.unwrap_or(1)))
        })
        .collect()
}

/// The set's workloads by namespace and pod label, so that finding the pods a LabelSelector
/// selects stays linear in the set's size: its first `matchLabels` pair narrows the search
/// (a selector without one looks at every workload of the namespace).
pub struct PodLabelIndex<'a> {
    set: &'a ManifestSet,
    by_label: hashbrown::HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    by_namespace: hashbrown::HashMap<&'a str, Vec<usize>>,
}

impl<'a> PodLabelIndex<'a> {
    pub fn new(set: &'a ManifestSet) -> Self {
        let (mut by_label, mut by_namespace) = (hashbrown::HashMap::new(), hashbrown::HashMap::<_, Vec<usize>>::new());
        for w in set.workloads() {
            let namespace = set.namespace_of(w.resource);
            by_namespace.entry(namespace).or_default().push(w.resource);
            for (k, v) in w.pod_labels().into_iter().flatten() {
                by_label.entry((namespace, k.as_str(), v.as_str())).or_insert_with(Vec::new).push(w.resource);
            }
        }
        PodLabelIndex { set, by_label, by_namespace }
    }

    /// The workloads of `namespace` whose pods `selector` selects, in set order.
    pub fn selected(&self, namespace: &str, selector: &LabelSelector) -> Vec<Workload<'a>> {
        let first = selector.match_labels.iter().flatten().next();
        let candidates = match first {
            Some((k, v)) => self.by_label.get(&(namespace, k.as_str(), v.as_str())),
            None => self.by_namespace.get(namespace),
        };
        candidates
            .into_iter()
            .flatten()
            .filter_map(|&i| self.set.workload(i))
            .filter(|w| label_selector_selects(selector, w.pod_labels()))
            .collect()
    }
}

/// `k=v,k2=v2`: labels or a map selector as `kubectl get -l` writes them.
pub fn labels_text(labels: &BTreeMap<String, String>) -> String {
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// A LabelSelector as `kubectl get -l` writes it (`app=web,tier in (a,b)`).
pub fn selector_text(selector: &LabelSelector) -> String {
    let mut parts: Vec<String> = selector.match_labels.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
    for e in selector.match_expressions.iter().flatten() {
        let values = e.values.as_deref().unwrap_or(&[]).join(",");
        parts.push(match e.operator.as_str() {
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            op => format!("{} {} ({values})", e.key, op.to_ascii_lowercase()),
        });
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::read;
    use crate::source::SourceFile;

    fn set(yaml: &str) -> ManifestSet {
        let (set, diagnostics) = read(vec![SourceFile::new("m.yaml", yaml)]);
        assert!(diagnostics.iter().all(|d| d.severity != crate::Severity::Error), "{diagnostics:?}");
        set
    }

    const POD_SPEC: &str =
        "{containers: [{name: app, image: \"app:1\"}], initContainers: [{name: init, image: \"init:1\"}]}";

    #[test]
    fn every_pod_making_kind_is_a_workload_with_its_template_path() {
        let yaml = [
            ("apps/v1", "Deployment", format!("spec: {{selector: {{matchLabels: {{app: x}}}}, template: {{metadata: {{labels: {{app: x}}}}, spec: {POD_SPEC}}}}}")),
            ("apps/v1", "StatefulSet", format!("spec: {{serviceName: x, selector: {{matchLabels: {{app: x}}}}, template: {{metadata: {{labels: {{app: x}}}}, spec: {POD_SPEC}}}}}")),
            ("apps/v1", "DaemonSet", format!("spec: {{selector: {{matchLabels: {{app: x}}}}, template: {{metadata: {{labels: {{app: x}}}}, spec: {POD_SPEC}}}}}")),
            ("apps/v1", "ReplicaSet", format!("spec: {{selector: {{matchLabels: {{app: x}}}}, template: {{metadata: {{labels: {{app: x}}}}, spec: {POD_SPEC}}}}}")),
            ("v1", "ReplicationController", format!("spec: {{selector: {{app: x}}, template: {{metadata: {{labels: {{app: x}}}}, spec: {POD_SPEC}}}}}")),
            ("apps.openshift.io/v1", "DeploymentConfig", format!("spec: {{selector: {{app: x}}, template: {{metadata: {{labels: {{app: x}}}}, spec: {POD_SPEC}}}}}")),
            ("batch/v1", "Job", format!("spec: {{template: {{metadata: {{labels: {{app: x}}}}, spec: {POD_SPEC}}}}}")),
            ("batch/v1", "CronJob", format!("spec: {{schedule: \"* * * * *\", jobTemplate: {{spec: {{template: {{metadata: {{labels: {{app: x}}}}, spec: {POD_SPEC}}}}}}}}}")),
            ("v1", "Pod", format!("metadata: {{name: w, labels: {{app: x}}}}\nspec: {POD_SPEC}")),
        ]
        .iter()
        .map(|(api, kind, body)| {
            let meta = if body.starts_with("metadata") { String::new() } else { "metadata: {name: w}\n".into() };
            format!("apiVersion: {api}\nkind: {kind}\n{meta}{body}\n")
        })
        .collect::<Vec<_>>()
        .join("---\n");
        let set = set(&yaml);
        let workloads: Vec<Workload> = set.workloads().collect();
        assert_eq!(workloads.len(), WorkloadKind::ALL.len());
        for (w, kind) in workloads.iter().zip(WorkloadKind::ALL) {
            assert_eq!(w.kind, kind);
            assert_eq!(w.pod_labels().and_then(|l| l.get("app")).map(String::as_str), Some("x"), "{kind:?}");
            let all: Vec<String> = w.all_containers().map(|c| format!("{} {}", c.who(), c.field())).collect();
            let prefix = match kind {
                WorkloadKind::Pod => "spec",
                WorkloadKind::CronJob => "spec.jobTemplate.spec.template.spec",
                _ => "spec.template.spec",
            };
            let kind = kind.as_str();
            assert_eq!(
                all,
                [
                    format!("container `app` of {kind} `w` {prefix}.containers[0]"),
                    format!("init container `init` of {kind} `w` {prefix}.initContainers[0]"),
                ]
            );
            let selects = w.selector.is_some_and(|s| label_selector_selects(s, w.pod_labels()));
            let has_selector = !matches!(w.kind, WorkloadKind::Pod | WorkloadKind::Job | WorkloadKind::CronJob);
            assert_eq!(selects, has_selector, "{kind}");
        }
    }

    #[test]
    fn label_selectors_follow_their_operators() {
        let labels: BTreeMap<String, String> = [("app".to_string(), "web".to_string())].into();
        let selector =
            |yaml: &str| -> LabelSelector { serde_json::from_value(serde_yaml::from_str(yaml).unwrap()).unwrap() };
        assert!(label_selector_selects(&selector("{}"), Some(&labels)));
        assert!(label_selector_selects(
            &selector("{matchExpressions: [{key: app, operator: In, values: [web, api]}]}"),
            Some(&labels)
        ));
        assert!(!label_selector_selects(
            &selector("{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}"),
            Some(&labels)
        ));
        assert!(label_selector_selects(
            &selector("{matchExpressions: [{key: tier, operator: DoesNotExist}]}"),
            Some(&labels)
        ));
        assert!(!label_selector_selects(&selector("{matchLabels: {app: api}}"), Some(&labels)));
        assert_eq!(
            selector_text(&selector(
                "{matchLabels: {app: web}, matchExpressions: [{key: t, operator: In, values: [a, b]}]}"
            )),
            "app=web,t in (a,b)"
        );
    }
}
