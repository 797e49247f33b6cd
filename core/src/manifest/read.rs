//! Reading manifests: YAML documents into typed objects, each keeping the tree it was read from
//! (one copy: what is written back out and applied, and where findings point; its JSON is made
//! only when asked).
//!
//! Objects are read through small types of the fields kubeplay's rules, graph and lifecycle
//! look at ([`modeled`]), then converted into the k8s-openapi types the rest of `core` works
//! on. Reading through k8s-openapi's own `Deserialize` would check every field of every pod
//! type, but it was the browser app's largest piece of code (48 KB of gzipped wasm, with the jiff
//! date parser it pulls in), for fields no rule reads. Fields outside the model are kept in the
//! tree, unchecked: the API server (or `kubeplay apply`'s dry run) still checks them.

use super::{ManifestSet, Object, Origin, Resource, WorkloadKind};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::path::FieldPath;
use crate::source::{self, SourceFile};
use crate::tracked::Tree;

/// Read manifests from YAML files, for the `default` namespace. Documents that are not valid
/// objects are diagnostics; other kinds are kept and reported once per kind, as info.
pub fn read(files: Vec<SourceFile>) -> (ManifestSet, Vec<Diagnostic>) {
    read_in(files, "")
}

/// [`read`] for a set applied to `namespace` (kubectl's `-n`; empty for `default`): objects that
/// name no namespace land there.
pub fn read_in(files: Vec<SourceFile>, namespace: &str) -> (ManifestSet, Vec<Diagnostic>) {
    let mut set = ManifestSet { namespace: namespace.to_string(), ..Default::default() };
    let mut diagnostics = Vec::new();
    // Kinds kept unchecked: (apiVersion, kind) -> (objects, where the first one is).
    let mut unmodeled: Vec<((String, String), usize, Location)> = Vec::new();
    for file in files {
        let file_index = set.files.len();
        match source::parse(&file) {
            Err(d) => diagnostics.push(*d),
            Ok(docs) => {
                // One object per document but for Lists: sized once, not by doubling.
                set.resources.reserve(docs.len());
                for doc in docs {
                    // Empty documents (`---` with nothing, or only `~`) hold no object.
                    let Some(root) = doc.root.filter(|r| r.kind != source::NodeKind::Scalar(source::Scalar::Null))
                    else {
                        continue;
                    };
                    let mut reader = DocumentReader {
                        file: &file,
                        file_index,
                        document: doc.index,
                        set: &mut set,
                        diagnostics: &mut diagnostics,
                        unmodeled: &mut unmodeled,
                    };
                    reader.object_or_list(root);
                }
            }
        }
        set.files.push(file);
    }
    for ((api_version, kind), count, location) in unmodeled {
        let objects = if count == 1 { "1 object".to_string() } else { format!("{count} objects") };
        diagnostics.push(
            Diagnostic::new(
                Severity::Info,
                "unmodeled-kind",
                format!("{kind} ({api_version}): {objects} kept as written and applied; kubeplay's rules do not model this kind (a built-in kind is still checked against its schema, a custom resource is not)"),
            )
            .with_location(Some(location)),
        );
    }
    if set.resources.is_empty() && diagnostics.is_empty() {
        let names: Vec<&str> = set.files.iter().map(|f| f.name.as_str()).collect();
        let mut d = Diagnostic::error(
            "manifest-invalid",
            format!("no Kubernetes objects in {}: there is nothing to apply", names.join(", ")),
        );
        d.location = set.files.first().map(|f| Location { file: f.name.clone(), line: 1, column: 1, span: 0..0 });
        diagnostics.push(d);
    }
    (set, diagnostics)
}

/// Reads the objects of one document into the set.
struct DocumentReader<'a> {
    file: &'a SourceFile,
    file_index: usize,
    document: usize,
    set: &'a mut ManifestSet,
    diagnostics: &'a mut Vec<Diagnostic>,
    unmodeled: &'a mut Vec<((String, String), usize, Location)>,
}

impl DocumentReader<'_> {
    /// One object, or the items of a `kind: List` (what `kubectl get -o yaml` prints) and of
    /// any `*List` kind, each item keeping its own place in the file.
    fn object_or_list(&mut self, root: source::Node) {
        if is_list(&root) {
            let source::NodeKind::Map(entries) = root.kind else { return };
            for (key, _, value) in entries {
                if let (true, source::NodeKind::Seq(items)) = (key == "items", value.kind) {
                    for item in items {
                        self.object(item);
                    }
                }
            }
            return;
        }
        self.object(root);
    }

    fn object(&mut self, root: source::Node) {
        let object = match read_object(&root) {
            Ok(object) => object,
            Err((path, message)) => {
                self.rejected(&root, &path, message);
                match salvage(&root, path) {
                    Some(object) => object,
                    None => return,
                }
            }
        };
        if let Object::Other { api_version, kind, .. } = &object {
            let key = (api_version.clone(), kind.clone());
            match self.unmodeled.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, count, _)) => *count += 1,
                None => self.unmodeled.push((key, 1, source::location(self.file, root.span))),
            }
        }
        self.set.resources.push(Resource {
            object,
            origin: Origin::Parsed { file: self.file_index, document: self.document, spans: root.index() },
        });
    }

    /// The first field the reader could not read, as a `manifest-invalid` finding at its place.
    fn rejected(&mut self, root: &source::Node, path: &FieldPath, message: String) {
        let span = root.nearest_span(path);
        let written = self.file.text.get(span.range()).unwrap_or("").trim();
        let mut message = format!("document {}: {message}", self.document + 1);
        if let Some(hint) = message.contains("expected a string").then(|| source::unquoted_text_hint(written)).flatten()
        {
            message.push_str(&format!(": {hint}."));
        }
        self.diagnostics.push(
            Diagnostic::error("manifest-invalid", message).with_location(Some(source::location(self.file, span))),
        );
    }
}

/// Whether `path` is part of what names the object: without it there is no object to check.
fn names_the_object(path: &FieldPath) -> bool {
    use crate::path::Segment::Key;
    let is = |segment: &crate::path::Segment, names: &[&str]| matches!(segment, Key(k) if names.contains(&k.as_str()));
    match path.0.as_slice() {
        [] => true,
        [first, ..] if is(first, &["apiVersion", "kind"]) => true,
        [first] => is(first, &["metadata"]),
        [first, second, ..] => is(first, &["metadata"]) && is(second, &["name", "namespace"]),
    }
}

/// Most unreadable fields left out of one object before it is given up.
const MAX_SALVAGED_FIELDS: usize = 16;

/// The object of a document the reader rejected, read again with each field it could not read
/// left out, so that the document's other mistakes are found too, as the API server reports
/// them all at once. The tree kept for it is still the one written. `None` when a problem is
/// in its identity (`apiVersion`, `kind`, name, namespace) or is not a map key.
fn salvage(root: &source::Node, first: FieldPath) -> Option<Object> {
    let mut pruned = root.clone();
    let mut path = first;
    for _ in 0..MAX_SALVAGED_FIELDS {
        if names_the_object(&path) || !pruned.remove_key(&path) {
            return None;
        }
        match read_object(&pruned) {
            Ok(object) => return Some(object),
            Err((next, _)) => path = next,
        }
    }
    None
}

/// A list object: a `*List` kind with `items`, such as `v1/List`.
fn is_list(root: &source::Node) -> bool {
    let has_items = root.get("items").is_some_and(|items| matches!(items.kind, source::NodeKind::Seq(_)));
    has_items && root.text_at("apiVersion").is_some() && root.text_at("kind").is_some_and(|k| k.ends_with("List"))
}

/// The typed object of a document's tree, read straight from the tree (no JSON in between).
fn read_object(root: &source::Node) -> Result<Object, (FieldPath, String)> {
    fn typed<T: serde::de::DeserializeOwned>(tree: &impl Tree) -> Result<T, (FieldPath, String)> {
        crate::tracked::deserialize(tree).map_err(|(path, e)| (path.clone(), format!("`{path}`: {e}")))
    }
    let api_version = root.text_at("apiVersion").unwrap_or_default();
    let kind = root.text_at("kind").unwrap_or_default();
    if api_version.is_empty() || kind.is_empty() {
        return Err((FieldPath::root(), "a manifest needs `apiVersion` and `kind`".into()));
    }
    let group = crate::resource::api_group(api_version);
    if let Some(workload) = WorkloadKind::of(api_version, kind) {
        return Ok(match workload {
            WorkloadKind::Deployment => Object::Deployment(Box::new(typed::<modeled::Deployment>(root)?.into())),
            WorkloadKind::CronJob => typed::<modeled::CronJob>(root)?.into_workload(api_version).into(),
            WorkloadKind::Pod => typed::<modeled::Pod>(root)?.into_workload(api_version).into(),
            k if k.has_map_selector() => {
                typed::<modeled::Controller<modeled::MapSelector>>(root)?.into_workload(k, api_version).into()
            }
            k => typed::<modeled::Controller<modeled::Selector>>(root)?.into_workload(k, api_version).into(),
        });
    }
    Ok(match (group, kind) {
        ("", "Namespace") => Object::Namespace(Box::new(typed::<modeled::Namespace>(root)?.into())),
        ("", "Secret") => {
            let json = root.to_json();
            let readable = source::Node::from_json(super::secret_data::readable(&json).as_ref());
            Object::Secret(Box::new(typed::<modeled::Secret>(&readable)?.into()))
        }
        ("", "ConfigMap") => Object::ConfigMap(Box::new(typed::<modeled::ConfigMap>(root)?.into())),
        ("", "Service") => Object::Service(Box::new(typed::<modeled::Service>(root)?.into())),
        ("", "ServiceAccount") => Object::ServiceAccount(Box::new(typed::<modeled::ServiceAccount>(root)?.into())),
        ("", "PersistentVolumeClaim") => {
            Object::PersistentVolumeClaim(Box::new(typed::<modeled::PersistentVolumeClaim>(root)?.into()))
        }
        // extensions/v1beta1 Ingresses name their backends another way: kept as they are.
        ("networking.k8s.io", "Ingress") if api_version == "networking.k8s.io/v1" => {
            Object::Ingress(Box::new(typed::<modeled::Ingress>(root)?.into()))
        }
        ("autoscaling", "HorizontalPodAutoscaler") => {
            Object::HorizontalPodAutoscaler(Box::new(typed::<modeled::HorizontalPodAutoscaler>(root)?.into()))
        }
        ("policy", "PodDisruptionBudget") => {
            Object::PodDisruptionBudget(Box::new(typed::<modeled::PodDisruptionBudget>(root)?.into()))
        }
        ("networking.k8s.io", "NetworkPolicy") => {
            Object::NetworkPolicy(Box::new(typed::<modeled::NetworkPolicy>(root)?.into()))
        }
        ("rbac.authorization.k8s.io", "Role") => Object::Role(Box::new(typed::<modeled::Role>(root)?.into())),
        ("rbac.authorization.k8s.io", "ClusterRole") => {
            Object::ClusterRole(Box::new(typed::<modeled::Role>(root)?.into()))
        }
        ("rbac.authorization.k8s.io", "RoleBinding") => {
            Object::RoleBinding(Box::new(typed::<modeled::RoleBinding>(root)?.into()))
        }
        ("rbac.authorization.k8s.io", "ClusterRoleBinding") => {
            Object::ClusterRoleBinding(Box::new(typed::<modeled::RoleBinding>(root)?.into()))
        }
        _ => Object::Other {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            metadata: Box::new(typed::<modeled::Metadata>(root)?.metadata.into()),
        },
    })
}

/// The fields kubeplay reads from each kind (a field read elsewhere in `core` or the CLI must be
/// here too, or pasted objects quietly lack it), with k8s-openapi's names and JSON shapes. Small
/// parts read whole (selectors, ports, env, probes, resources) are k8s-openapi's own types. As
/// in k8s-openapi, a missing or null required field reads as its default. `Other` kinds read
/// only their metadata.
mod modeled {
    use super::super::{PodController, WorkloadKind};
    use k8s_openapi::api::apps::v1 as apps;
    use k8s_openapi::api::autoscaling::v2 as autoscaling;
    use k8s_openapi::api::core::v1 as core;
    use k8s_openapi::api::networking::v1 as networking;
    use k8s_openapi::api::policy::v1 as policy;
    use k8s_openapi::api::rbac::v1 as rbac;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
    use k8s_openapi::ByteString;
    use serde::{Deserialize, Deserializer};
    use std::collections::BTreeMap;

    /// A required field: missing and null read as the default, as k8s-openapi reads them.
    fn or_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct ObjectMeta {
        annotations: Option<BTreeMap<String, String>>,
        generate_name: Option<String>,
        labels: Option<BTreeMap<String, String>>,
        name: Option<String>,
        namespace: Option<String>,
    }

    impl From<ObjectMeta> for meta::ObjectMeta {
        fn from(m: ObjectMeta) -> Self {
            meta::ObjectMeta {
                annotations: m.annotations,
                generate_name: m.generate_name,
                labels: m.labels,
                name: m.name,
                namespace: m.namespace,
                ..Default::default()
            }
        }
    }

    /// Any object's metadata.
    #[derive(Deserialize)]
    pub struct Metadata {
        #[serde(default, deserialize_with = "or_default")]
        pub metadata: ObjectMeta,
    }

    #[derive(Deserialize)]
    pub struct Namespace {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
    }

    impl From<Namespace> for core::Namespace {
        fn from(o: Namespace) -> Self {
            core::Namespace { metadata: o.metadata.into(), ..Default::default() }
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ConfigMap {
        binary_data: Option<BTreeMap<String, ByteString>>,
        data: Option<BTreeMap<String, String>>,
        immutable: Option<bool>,
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
    }

    impl From<ConfigMap> for core::ConfigMap {
        fn from(o: ConfigMap) -> Self {
            core::ConfigMap {
                binary_data: o.binary_data,
                data: o.data,
                immutable: o.immutable,
                metadata: o.metadata.into(),
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Secret {
        data: Option<BTreeMap<String, ByteString>>,
        immutable: Option<bool>,
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        string_data: Option<BTreeMap<String, String>>,
        #[serde(rename = "type")]
        type_: Option<String>,
    }

    impl From<Secret> for core::Secret {
        fn from(o: Secret) -> Self {
            core::Secret {
                data: o.data,
                immutable: o.immutable,
                metadata: o.metadata.into(),
                string_data: o.string_data,
                type_: o.type_,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Service {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<ServiceSpec>,
        status: Option<ServiceStatus>,
    }

    /// A Service copied from a cluster (`kubectl get -o yaml`) may carry the address its load
    /// balancer got: the lifecycle shows it.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ServiceStatus {
        load_balancer: Option<core::LoadBalancerStatus>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ServiceSpec {
        #[serde(rename = "clusterIP")]
        cluster_ip: Option<String>,
        ports: Option<Vec<core::ServicePort>>,
        selector: Option<BTreeMap<String, String>>,
        #[serde(rename = "type")]
        type_: Option<String>,
    }

    impl From<Service> for core::Service {
        fn from(o: Service) -> Self {
            core::Service {
                metadata: o.metadata.into(),
                spec: o.spec.map(|s| core::ServiceSpec {
                    cluster_ip: s.cluster_ip,
                    ports: s.ports,
                    selector: s.selector,
                    type_: s.type_,
                    ..Default::default()
                }),
                status: o.status.map(|s| core::ServiceStatus { conditions: None, load_balancer: s.load_balancer }),
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Deployment {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<DeploymentSpec>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DeploymentSpec {
        progress_deadline_seconds: Option<i32>,
        replicas: Option<i32>,
        #[serde(default, deserialize_with = "or_default")]
        selector: meta::LabelSelector,
        #[serde(default, deserialize_with = "or_default")]
        template: PodTemplateSpec,
    }

    #[derive(Deserialize, Default)]
    pub struct PodTemplateSpec {
        metadata: Option<ObjectMeta>,
        spec: Option<PodSpec>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PodSpec {
        affinity: Option<Affinity>,
        automount_service_account_token: Option<bool>,
        #[serde(default, deserialize_with = "or_default")]
        containers: Vec<Container>,
        #[serde(rename = "hostIPC")]
        host_ipc: Option<bool>,
        host_network: Option<bool>,
        #[serde(rename = "hostPID")]
        host_pid: Option<bool>,
        host_users: Option<bool>,
        image_pull_secrets: Option<Vec<core::LocalObjectReference>>,
        init_containers: Option<Vec<Container>>,
        os: Option<core::PodOS>,
        restart_policy: Option<String>,
        security_context: Option<core::PodSecurityContext>,
        service_account: Option<String>,
        service_account_name: Option<String>,
        termination_grace_period_seconds: Option<i64>,
        /// Only whether there are any is read.
        topology_spread_constraints: Option<Vec<serde::de::IgnoredAny>>,
        volumes: Option<Vec<Volume>>,
    }

    /// A pod's volume: its name, the sources the rules read into (ConfigMap, Secret, claim,
    /// projected, hostPath), and for every other source only that the volume uses it (its
    /// settings left at their defaults): reading every source whole would compile most of the
    /// API (an ephemeral volume holds a whole claim template) into the page for nothing.
    pub struct Volume(core::Volume);

    impl<'de> Deserialize<'de> for Volume {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Fields;
            impl<'de> serde::de::Visitor<'de> for Fields {
                type Value = Volume;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a volume")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Volume, A::Error> {
                    let mut volume = core::Volume::default();
                    while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                        match key.as_ref() {
                            "name" => volume.name = map.next_value::<Option<String>>()?.unwrap_or_default(),
                            "configMap" => volume.config_map = map.next_value()?,
                            "secret" => volume.secret = map.next_value()?,
                            "persistentVolumeClaim" => volume.persistent_volume_claim = map.next_value()?,
                            "projected" => volume.projected = map.next_value()?,
                            "hostPath" => volume.host_path = map.next_value()?,
                            other => {
                                if map.next_value::<Option<serde::de::IgnoredAny>>()?.is_some() {
                                    crate::manifest::volume::mark(&mut volume, other);
                                }
                            }
                        }
                    }
                    Ok(Volume(volume))
                }
            }
            d.deserialize_map(Fields)
        }
    }

    /// How pods keep apart is all the rules ask of an affinity: the anti-affinity terms'
    /// selectors and namespaces.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Affinity {
        pod_anti_affinity: Option<PodAntiAffinity>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PodAntiAffinity {
        preferred_during_scheduling_ignored_during_execution: Option<Vec<WeightedTerm>>,
        required_during_scheduling_ignored_during_execution: Option<Vec<AffinityTerm>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct WeightedTerm {
        #[serde(default, deserialize_with = "or_default")]
        pod_affinity_term: AffinityTerm,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct AffinityTerm {
        label_selector: Option<meta::LabelSelector>,
        namespaces: Option<Vec<String>>,
        #[serde(default, deserialize_with = "or_default")]
        topology_key: String,
    }

    impl From<AffinityTerm> for core::PodAffinityTerm {
        fn from(t: AffinityTerm) -> Self {
            core::PodAffinityTerm {
                label_selector: t.label_selector,
                namespaces: t.namespaces,
                topology_key: t.topology_key,
                ..Default::default()
            }
        }
    }

    impl From<PodAntiAffinity> for core::PodAntiAffinity {
        fn from(a: PodAntiAffinity) -> Self {
            let preferred = a.preferred_during_scheduling_ignored_during_execution.map(|terms| {
                terms
                    .into_iter()
                    .map(|t| core::WeightedPodAffinityTerm { pod_affinity_term: t.pod_affinity_term.into(), weight: 1 })
                    .collect()
            });
            core::PodAntiAffinity {
                preferred_during_scheduling_ignored_during_execution: preferred,
                required_during_scheduling_ignored_during_execution: a
                    .required_during_scheduling_ignored_during_execution
                    .map(|terms| terms.into_iter().map(Into::into).collect()),
            }
        }
    }

    impl From<PodSpec> for core::PodSpec {
        fn from(p: PodSpec) -> Self {
            let containers = |list: Vec<Container>| list.into_iter().map(core::Container::from).collect();
            core::PodSpec {
                affinity: p.affinity.map(|a| core::Affinity {
                    pod_anti_affinity: a.pod_anti_affinity.map(Into::into),
                    ..Default::default()
                }),
                automount_service_account_token: p.automount_service_account_token,
                containers: containers(p.containers),
                host_ipc: p.host_ipc,
                host_network: p.host_network,
                host_pid: p.host_pid,
                host_users: p.host_users,
                image_pull_secrets: p.image_pull_secrets,
                init_containers: p.init_containers.map(containers),
                os: p.os,
                restart_policy: p.restart_policy,
                security_context: p.security_context,
                service_account: p.service_account,
                service_account_name: p.service_account_name,
                termination_grace_period_seconds: p.termination_grace_period_seconds,
                topology_spread_constraints: p
                    .topology_spread_constraints
                    .map(|c| c.iter().map(|_| core::TopologySpreadConstraint::default()).collect()),
                volumes: p.volumes.map(|volumes| volumes.into_iter().map(|v| v.0).collect()),
                ..Default::default()
            }
        }
    }

    impl From<PodTemplateSpec> for core::PodTemplateSpec {
        fn from(t: PodTemplateSpec) -> Self {
            core::PodTemplateSpec { metadata: t.metadata.map(Into::into), spec: t.spec.map(Into::into) }
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Container {
        args: Option<Vec<String>>,
        command: Option<Vec<String>>,
        env: Option<Vec<core::EnvVar>>,
        env_from: Option<Vec<core::EnvFromSource>>,
        image: Option<String>,
        image_pull_policy: Option<String>,
        lifecycle: Option<core::Lifecycle>,
        liveness_probe: Option<core::Probe>,
        #[serde(default, deserialize_with = "or_default")]
        name: String,
        ports: Option<Vec<core::ContainerPort>>,
        readiness_probe: Option<core::Probe>,
        resources: Option<core::ResourceRequirements>,
        security_context: Option<core::SecurityContext>,
        startup_probe: Option<core::Probe>,
        volume_mounts: Option<Vec<core::VolumeMount>>,
    }

    impl From<Container> for core::Container {
        fn from(c: Container) -> Self {
            core::Container {
                args: c.args,
                command: c.command,
                env: c.env,
                env_from: c.env_from,
                image: c.image,
                image_pull_policy: c.image_pull_policy,
                lifecycle: c.lifecycle,
                liveness_probe: c.liveness_probe,
                name: c.name,
                ports: c.ports,
                readiness_probe: c.readiness_probe,
                resources: c.resources,
                security_context: c.security_context,
                startup_probe: c.startup_probe,
                volume_mounts: c.volume_mounts,
                ..Default::default()
            }
        }
    }

    impl From<Deployment> for apps::Deployment {
        fn from(o: Deployment) -> Self {
            apps::Deployment {
                metadata: o.metadata.into(),
                spec: o.spec.map(|s| apps::DeploymentSpec {
                    progress_deadline_seconds: s.progress_deadline_seconds,
                    replicas: s.replicas,
                    selector: s.selector,
                    template: s.template.into(),
                    ..Default::default()
                }),
                status: None,
            }
        }
    }

    /// A LabelSelector (`apps/v1` kinds, Jobs).
    pub type Selector = meta::LabelSelector;
    /// A plain label map (ReplicationController, DeploymentConfig).
    pub type MapSelector = BTreeMap<String, String>;

    /// What becomes a LabelSelector.
    pub trait IntoSelector {
        fn into_selector(self) -> meta::LabelSelector;
    }
    impl IntoSelector for Selector {
        fn into_selector(self) -> meta::LabelSelector {
            self
        }
    }
    impl IntoSelector for MapSelector {
        fn into_selector(self) -> meta::LabelSelector {
            meta::LabelSelector { match_labels: Some(self), match_expressions: None }
        }
    }

    /// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, DeploymentConfig and Job:
    /// a pod template with a selector and the fields each of them adds.
    #[derive(Deserialize)]
    #[serde(bound = "S: Deserialize<'de>")]
    pub struct Controller<S> {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<ControllerSpec<S>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", bound = "S: Deserialize<'de>")]
    pub struct ControllerSpec<S> {
        backoff_limit: Option<i32>,
        completions: Option<i32>,
        parallelism: Option<i32>,
        pod_management_policy: Option<String>,
        replicas: Option<i32>,
        selector: Option<S>,
        service_name: Option<String>,
        #[serde(default, deserialize_with = "or_default")]
        template: PodTemplateSpec,
        volume_claim_templates: Option<Vec<Metadata>>,
    }

    impl<S: IntoSelector> ControllerSpec<S> {
        fn into_workload(self, kind: WorkloadKind, api_version: &str, metadata: meta::ObjectMeta) -> PodController {
            // A Job's selector is made by its controller unless `manualSelector` is set.
            let selector =
                if kind == WorkloadKind::Job { None } else { self.selector.map(IntoSelector::into_selector) };
            PodController {
                kind,
                api_version: api_version.to_string(),
                metadata,
                replicas: self.replicas,
                selector,
                template: self.template.into(),
                service_name: self.service_name,
                volume_claim_templates: self
                    .volume_claim_templates
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.metadata.name)
                    .map(|name| k8s_openapi::api::core::v1::PersistentVolumeClaim {
                        metadata: meta::ObjectMeta { name: Some(name), ..Default::default() },
                        ..Default::default()
                    })
                    .collect(),
                pod_management_policy: self.pod_management_policy,
                completions: self.completions,
                parallelism: self.parallelism,
                backoff_limit: self.backoff_limit,
                ..Default::default()
            }
        }
    }

    impl<S: IntoSelector> Controller<S> {
        pub fn into_workload(self, kind: WorkloadKind, api_version: &str) -> PodController {
            let metadata = self.metadata.into();
            match self.spec {
                Some(spec) => spec.into_workload(kind, api_version, metadata),
                None => PodController { kind, api_version: api_version.to_string(), metadata, ..Default::default() },
            }
        }
    }

    #[derive(Deserialize)]
    pub struct CronJob {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<CronJobSpec>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CronJobSpec {
        concurrency_policy: Option<String>,
        failed_jobs_history_limit: Option<i32>,
        job_template: Option<JobTemplate>,
        schedule: Option<String>,
        successful_jobs_history_limit: Option<i32>,
        suspend: Option<bool>,
    }

    #[derive(Deserialize)]
    pub struct JobTemplate {
        spec: Option<ControllerSpec<Selector>>,
    }

    impl CronJob {
        pub fn into_workload(self, api_version: &str) -> PodController {
            let metadata: meta::ObjectMeta = self.metadata.into();
            let kind = WorkloadKind::CronJob;
            let Some(spec) = self.spec else {
                return PodController { kind, api_version: api_version.to_string(), metadata, ..Default::default() };
            };
            let mut workload = match spec.job_template.and_then(|t| t.spec) {
                Some(job) => job.into_workload(kind, api_version, metadata),
                None => PodController { kind, api_version: api_version.to_string(), metadata, ..Default::default() },
            };
            workload.selector = None;
            workload.schedule = spec.schedule;
            workload.suspend = spec.suspend;
            workload.concurrency_policy = spec.concurrency_policy;
            workload.successful_jobs_history_limit = spec.successful_jobs_history_limit;
            workload.failed_jobs_history_limit = spec.failed_jobs_history_limit;
            workload
        }
    }

    #[derive(Deserialize)]
    pub struct Pod {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<PodSpec>,
    }

    impl Pod {
        pub fn into_workload(self, api_version: &str) -> PodController {
            PodController {
                kind: WorkloadKind::Pod,
                api_version: api_version.to_string(),
                metadata: self.metadata.into(),
                template: core::PodTemplateSpec { metadata: None, spec: self.spec.map(Into::into) },
                ..Default::default()
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ServiceAccount {
        automount_service_account_token: Option<bool>,
        image_pull_secrets: Option<Vec<core::LocalObjectReference>>,
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
    }

    impl From<ServiceAccount> for core::ServiceAccount {
        fn from(o: ServiceAccount) -> Self {
            core::ServiceAccount {
                automount_service_account_token: o.automount_service_account_token,
                image_pull_secrets: o.image_pull_secrets,
                metadata: o.metadata.into(),
                secrets: None,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct PersistentVolumeClaim {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<PersistentVolumeClaimSpec>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PersistentVolumeClaimSpec {
        access_modes: Option<Vec<String>>,
        resources: Option<core::VolumeResourceRequirements>,
        storage_class_name: Option<String>,
    }

    impl From<PersistentVolumeClaim> for core::PersistentVolumeClaim {
        fn from(o: PersistentVolumeClaim) -> Self {
            core::PersistentVolumeClaim {
                metadata: o.metadata.into(),
                spec: o.spec.map(|s| core::PersistentVolumeClaimSpec {
                    access_modes: s.access_modes,
                    resources: s.resources,
                    storage_class_name: s.storage_class_name,
                    ..Default::default()
                }),
                status: None,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Ingress {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<networking::IngressSpec>,
    }

    impl From<Ingress> for networking::Ingress {
        fn from(o: Ingress) -> Self {
            networking::Ingress { metadata: o.metadata.into(), spec: o.spec, status: None }
        }
    }

    #[derive(Deserialize)]
    pub struct HorizontalPodAutoscaler {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<HorizontalPodAutoscalerSpec>,
    }

    /// The fields autoscaling/v1 and v2 share.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct HorizontalPodAutoscalerSpec {
        #[serde(default, deserialize_with = "or_default")]
        max_replicas: i32,
        min_replicas: Option<i32>,
        #[serde(default, deserialize_with = "or_default")]
        scale_target_ref: autoscaling::CrossVersionObjectReference,
    }

    impl From<HorizontalPodAutoscaler> for autoscaling::HorizontalPodAutoscaler {
        fn from(o: HorizontalPodAutoscaler) -> Self {
            autoscaling::HorizontalPodAutoscaler {
                metadata: o.metadata.into(),
                spec: o.spec.map(|s| autoscaling::HorizontalPodAutoscalerSpec {
                    max_replicas: s.max_replicas,
                    min_replicas: s.min_replicas,
                    scale_target_ref: s.scale_target_ref,
                    ..Default::default()
                }),
                status: None,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct PodDisruptionBudget {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<policy::PodDisruptionBudgetSpec>,
    }

    impl From<PodDisruptionBudget> for policy::PodDisruptionBudget {
        fn from(o: PodDisruptionBudget) -> Self {
            policy::PodDisruptionBudget { metadata: o.metadata.into(), spec: o.spec, status: None }
        }
    }

    #[derive(Deserialize)]
    pub struct NetworkPolicy {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<NetworkPolicySpec>,
    }

    /// The selectors a NetworkPolicy applies to and admits from.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct NetworkPolicySpec {
        ingress: Option<Vec<NetworkPolicyRule>>,
        pod_selector: Option<meta::LabelSelector>,
        policy_types: Option<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct NetworkPolicyRule {
        from: Option<Vec<NetworkPolicyPeer>>,
        ports: Option<Vec<networking::NetworkPolicyPort>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct NetworkPolicyPeer {
        /// Whether there is one (an `ipBlock` peer has neither).
        namespace_selector: Option<meta::LabelSelector>,
        pod_selector: Option<meta::LabelSelector>,
    }

    impl From<NetworkPolicy> for networking::NetworkPolicy {
        fn from(o: NetworkPolicy) -> Self {
            let spec = o.spec.map(|s| networking::NetworkPolicySpec {
                ingress: s.ingress.map(|rules| {
                    rules
                        .into_iter()
                        .map(|r| networking::NetworkPolicyIngressRule {
                            from: r.from.map(|peers| {
                                peers
                                    .into_iter()
                                    .map(|p| networking::NetworkPolicyPeer {
                                        namespace_selector: p.namespace_selector,
                                        pod_selector: p.pod_selector,
                                        ip_block: None,
                                    })
                                    .collect()
                            }),
                            ports: r.ports,
                        })
                        .collect()
                }),
                pod_selector: s.pod_selector,
                policy_types: s.policy_types,
                egress: None,
            });
            networking::NetworkPolicy { metadata: o.metadata.into(), spec }
        }
    }

    /// Role and ClusterRole: who they are is all the rules read.
    #[derive(Deserialize)]
    pub struct Role {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
    }

    impl From<Role> for rbac::Role {
        fn from(o: Role) -> Self {
            rbac::Role { metadata: o.metadata.into(), rules: None }
        }
    }

    impl From<Role> for rbac::ClusterRole {
        fn from(o: Role) -> Self {
            rbac::ClusterRole { metadata: o.metadata.into(), ..Default::default() }
        }
    }

    /// RoleBinding and ClusterRoleBinding.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct RoleBinding {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        #[serde(default, deserialize_with = "or_default")]
        role_ref: rbac::RoleRef,
        subjects: Option<Vec<rbac::Subject>>,
    }

    impl From<RoleBinding> for rbac::RoleBinding {
        fn from(o: RoleBinding) -> Self {
            rbac::RoleBinding { metadata: o.metadata.into(), role_ref: o.role_ref, subjects: o.subjects }
        }
    }

    impl From<RoleBinding> for rbac::ClusterRoleBinding {
        fn from(o: RoleBinding) -> Self {
            rbac::ClusterRoleBinding { metadata: o.metadata.into(), role_ref: o.role_ref, subjects: o.subjects }
        }
    }
}
