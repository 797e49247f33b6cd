//! Writing objects out (YAML to show and download, JSON to apply): a parsed object as the user
//! wrote it, a rendered one from its typed form.
//!
//! Rendered objects are written through borrowed views of the k8s-openapi types that leave out
//! what only the API server sets (`creationTimestamp`, `deletionTimestamp`, `managedFields`,
//! `status`) and the volume sources render never makes (an ephemeral volume holds an
//! `ObjectMeta`). Render never sets them, and k8s-openapi formats their `Time` values with jiff's strtime formatter, which would
//! be the browser app's largest dependency (52 KB of gzipped wasm) for fields that are always
//! empty here. The views keep k8s-openapi's field order, so
//! the output is byte for byte what its own `Serialize` writes (tested below).

use super::{Object, Origin, Resource};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, DeploymentStrategy};
use k8s_openapi::api::autoscaling::v2::{HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec};
use k8s_openapi::api::core::v1::{
    Affinity, ConfigMap, ConfigMapVolumeSource, Container, EmptyDirVolumeSource, EphemeralContainer, HostAlias,
    LocalObjectReference, Namespace, NamespaceSpec, PersistentVolumeClaim, PersistentVolumeClaimSpec,
    PersistentVolumeClaimVolumeSource, PodDNSConfig, PodOS, PodReadinessGate, PodResourceClaim, PodSchedulingGate,
    PodSecurityContext, PodSpec, PodTemplateSpec, ResourceRequirements, Secret, SecretVolumeSource, Service,
    ServiceAccount, ServiceSpec, Toleration, TopologySpreadConstraint, Volume,
};
use k8s_openapi::api::networking::v1::{Ingress, IngressSpec, NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use k8s_openapi::{ByteString, Resource as _};
use serde::Serialize;
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;
use std::ops::Range;

impl Resource {
    /// Append the object as one YAML document (no `---`), written straight from the object: no
    /// JSON tree in between for rendered objects.
    pub fn write_yaml(&self, out: &mut String) {
        crate::emit::write_yaml(out, &self.view());
    }

    /// About how many bytes the object's YAML document takes, to size the output once: a read
    /// object is written back about as long as it was written (comments go, flow maps unfold);
    /// a rendered one is 0.5-2 KB.
    fn yaml_size_hint(&self) -> usize {
        const SEPARATOR: usize = "---\n".len();
        SEPARATOR
            + match &self.origin {
                Origin::Parsed { spans, .. } => spans.root().span.range().len(),
                Origin::Rendered { .. } => 1536,
            }
    }

    /// [`Resource::to_json`] read back from the object's YAML document: the same tree, without
    /// a second serializer of every typed object (the page's size) for the few compared.
    pub fn to_json_via_yaml(&self) -> serde_json::Value {
        if let Some(tree) = self.written() {
            return tree.to_json();
        }
        let mut yaml = String::new();
        self.write_yaml(&mut yaml);
        let docs = crate::source::parse(&crate::SourceFile::new("", yaml)).unwrap_or_default();
        docs.into_iter().next().and_then(|d| d.root).map_or(serde_json::Value::Null, |root| root.to_json())
    }

    /// The object as plain JSON (what is applied to a cluster).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.view()).expect("objects serialize")
    }

    fn view(&self) -> View<'_> {
        match (&self.origin, &self.object) {
            (Origin::Parsed { spans, .. }, _) => View::Written(spans.root()),
            (Origin::Rendered { .. }, Object::Namespace(o)) => View::Namespace(namespace_view(o)),
            (Origin::Rendered { .. }, Object::Secret(o)) => View::Secret(SecretView::of(o)),
            (Origin::Rendered { .. }, Object::ConfigMap(o)) => View::ConfigMap(ConfigMapView::of(o)),
            (Origin::Rendered { .. }, Object::Service(o)) => View::Service(service_view(o)),
            (Origin::Rendered { .. }, Object::Deployment(o)) => View::Deployment(deployment_view(o)),
            (Origin::Rendered { .. }, Object::PersistentVolumeClaim(o)) => View::PersistentVolumeClaim(claim_view(o)),
            (Origin::Rendered { .. }, Object::PodDisruptionBudget(o)) => View::PodDisruptionBudget(budget_view(o)),
            (Origin::Rendered { .. }, Object::HorizontalPodAutoscaler(o)) => View::Autoscaler(autoscaler_view(o)),
            (Origin::Rendered { .. }, Object::Ingress(o)) => View::Ingress(ingress_view(o)),
            (Origin::Rendered { .. }, Object::NetworkPolicy(o)) => View::NetworkPolicy(network_policy_view(o)),
            (Origin::Rendered { .. }, Object::ServiceAccount(o)) => View::ServiceAccount(ServiceAccountView::of(o)),
            (Origin::Rendered { .. }, Object::Workload(o)) => View::Workload(WorkloadView::of(o)),
            (Origin::Rendered { .. }, _) => unreachable!("render writes only modeled kinds"),
        }
    }
}

/// What is written of a resource: untagged, each variant writes as its content alone.
// Built on the stack for one write and dropped: boxing the large variants buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(untagged)]
enum View<'a> {
    Written(&'a crate::source::Node),
    Namespace(ObjectView<'a, &'a NamespaceSpec>),
    Secret(SecretView<'a>),
    ConfigMap(ConfigMapView<'a>),
    Service(ObjectView<'a, &'a ServiceSpec>),
    Deployment(ObjectView<'a, DeploymentSpecView<'a>>),
    PersistentVolumeClaim(ObjectView<'a, &'a PersistentVolumeClaimSpec>),
    PodDisruptionBudget(ObjectView<'a, &'a PodDisruptionBudgetSpec>),
    Autoscaler(ObjectView<'a, &'a HorizontalPodAutoscalerSpec>),
    Ingress(ObjectView<'a, &'a IngressSpec>),
    NetworkPolicy(ObjectView<'a, &'a NetworkPolicySpec>),
    ServiceAccount(ServiceAccountView<'a>),
    Workload(WorkloadView<'a>),
}

/// Multi-document YAML of some resources, each after a `---`. Byte-stable for the same set.
pub fn resources_to_yaml<'a>(resources: impl IntoIterator<Item = &'a Resource>) -> String {
    resources_to_documents(resources).0
}

/// [`resources_to_yaml`], and where each resource's document is in it (after its `---`).
pub fn resources_to_documents<'a>(resources: impl IntoIterator<Item = &'a Resource>) -> (String, Vec<Range<usize>>) {
    let resources: Vec<&Resource> = resources.into_iter().collect();
    let mut out = String::with_capacity(resources.iter().map(|r| r.yaml_size_hint()).sum());
    let mut documents = Vec::with_capacity(resources.len());
    for resource in resources {
        out.push_str("---\n");
        let start = out.len();
        resource.write_yaml(&mut out);
        documents.push(start..out.len());
    }
    (out, documents)
}

/// What a rendered object must not carry for its view to write all of it.
fn server_set_fields_are_empty(meta: &ObjectMeta) -> bool {
    meta.creation_timestamp.is_none() && meta.deletion_timestamp.is_none() && meta.managed_fields.is_none()
}

#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetaView<'a> {
    annotations: Option<&'a BTreeMap<String, String>>,
    deletion_grace_period_seconds: Option<i64>,
    finalizers: Option<&'a Vec<String>>,
    generate_name: Option<&'a String>,
    generation: Option<i64>,
    labels: Option<&'a BTreeMap<String, String>>,
    name: Option<&'a String>,
    namespace: Option<&'a String>,
    owner_references: Option<&'a Vec<OwnerReference>>,
    resource_version: Option<&'a String>,
    self_link: Option<&'a String>,
    uid: Option<&'a String>,
}

impl<'a> MetaView<'a> {
    fn of(m: &'a ObjectMeta) -> Self {
        debug_assert!(server_set_fields_are_empty(m), "a rendered object carries server-set metadata");
        MetaView {
            annotations: m.annotations.as_ref(),
            deletion_grace_period_seconds: m.deletion_grace_period_seconds,
            finalizers: m.finalizers.as_ref(),
            generate_name: m.generate_name.as_ref(),
            generation: m.generation,
            labels: m.labels.as_ref(),
            name: m.name.as_ref(),
            namespace: m.namespace.as_ref(),
            owner_references: m.owner_references.as_ref(),
            resource_version: m.resource_version.as_ref(),
            self_link: m.self_link.as_ref(),
            uid: m.uid.as_ref(),
        }
    }
}

/// An object of the form apiVersion, kind, metadata, spec (and a status, left out).
#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ObjectView<'a, Spec> {
    api_version: &'static str,
    kind: &'static str,
    metadata: MetaView<'a>,
    spec: Option<Spec>,
}

impl<'a, Spec> ObjectView<'a, Spec> {
    fn of<K: k8s_openapi::Resource>(metadata: &'a ObjectMeta, spec: Option<Spec>, has_status: bool) -> Self {
        debug_assert!(!has_status, "a rendered {} has a status", K::KIND);
        ObjectView { api_version: K::API_VERSION, kind: K::KIND, metadata: MetaView::of(metadata), spec }
    }
}

fn namespace_view(o: &Namespace) -> ObjectView<'_, &NamespaceSpec> {
    ObjectView::of::<Namespace>(&o.metadata, o.spec.as_ref(), o.status.is_some())
}

fn service_view(o: &Service) -> ObjectView<'_, &ServiceSpec> {
    ObjectView::of::<Service>(&o.metadata, o.spec.as_ref(), o.status.is_some())
}

fn ingress_view(o: &Ingress) -> ObjectView<'_, &IngressSpec> {
    ObjectView::of::<Ingress>(&o.metadata, o.spec.as_ref(), o.status.is_some())
}

fn network_policy_view(o: &NetworkPolicy) -> ObjectView<'_, &NetworkPolicySpec> {
    ObjectView::of::<NetworkPolicy>(&o.metadata, o.spec.as_ref(), false)
}

fn autoscaler_view(o: &HorizontalPodAutoscaler) -> ObjectView<'_, &HorizontalPodAutoscalerSpec> {
    ObjectView::of::<HorizontalPodAutoscaler>(&o.metadata, o.spec.as_ref(), o.status.is_some())
}

fn budget_view(o: &PodDisruptionBudget) -> ObjectView<'_, &PodDisruptionBudgetSpec> {
    ObjectView::of::<PodDisruptionBudget>(&o.metadata, o.spec.as_ref(), o.status.is_some())
}

#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ServiceAccountView<'a> {
    api_version: &'static str,
    kind: &'static str,
    automount_service_account_token: Option<bool>,
    image_pull_secrets: Option<&'a Vec<LocalObjectReference>>,
    metadata: MetaView<'a>,
    secrets: Option<&'a Vec<k8s_openapi::api::core::v1::ObjectReference>>,
}

impl<'a> ServiceAccountView<'a> {
    fn of(o: &'a ServiceAccount) -> Self {
        ServiceAccountView {
            api_version: ServiceAccount::API_VERSION,
            kind: ServiceAccount::KIND,
            automount_service_account_token: o.automount_service_account_token,
            image_pull_secrets: o.image_pull_secrets.as_ref(),
            metadata: MetaView::of(&o.metadata),
            secrets: o.secrets.as_ref(),
        }
    }
}

fn claim_view(o: &PersistentVolumeClaim) -> ObjectView<'_, &PersistentVolumeClaimSpec> {
    ObjectView::of::<PersistentVolumeClaim>(&o.metadata, o.spec.as_ref(), o.status.is_some())
}

fn deployment_view(o: &Deployment) -> ObjectView<'_, DeploymentSpecView<'_>> {
    ObjectView::of::<Deployment>(&o.metadata, o.spec.as_ref().map(DeploymentSpecView::of), o.status.is_some())
}

#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfigMapView<'a> {
    api_version: &'static str,
    kind: &'static str,
    binary_data: Option<&'a BTreeMap<String, ByteString>>,
    data: Option<&'a BTreeMap<String, String>>,
    immutable: Option<bool>,
    metadata: MetaView<'a>,
}

impl<'a> ConfigMapView<'a> {
    fn of(o: &'a ConfigMap) -> Self {
        ConfigMapView {
            api_version: ConfigMap::API_VERSION,
            kind: ConfigMap::KIND,
            binary_data: o.binary_data.as_ref(),
            data: o.data.as_ref(),
            immutable: o.immutable,
            metadata: MetaView::of(&o.metadata),
        }
    }
}

#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SecretView<'a> {
    api_version: &'static str,
    kind: &'static str,
    data: Option<&'a BTreeMap<String, ByteString>>,
    immutable: Option<bool>,
    metadata: MetaView<'a>,
    string_data: Option<&'a BTreeMap<String, String>>,
    #[serde(rename = "type")]
    type_: Option<&'a String>,
}

impl<'a> SecretView<'a> {
    fn of(o: &'a Secret) -> Self {
        SecretView {
            api_version: Secret::API_VERSION,
            kind: Secret::KIND,
            data: o.data.as_ref(),
            immutable: o.immutable,
            metadata: MetaView::of(&o.metadata),
            string_data: o.string_data.as_ref(),
            type_: o.type_.as_ref(),
        }
    }
}

/// A rendered StatefulSet, DaemonSet, Job or CronJob: what render sets of its kind.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WorkloadView<'a> {
    api_version: &'a str,
    kind: &'static str,
    metadata: MetaView<'a>,
    spec: ControllerSpecView<'a>,
}

/// The spec fields of every rendered kind but the Deployment, in k8s-openapi's (alphabetical)
/// order: each kind sets only its own, so each is written in its own type's order.
#[skip_serializing_none]
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct ControllerSpecView<'a> {
    backoff_limit: Option<i32>,
    completions: Option<i32>,
    concurrency_policy: Option<&'a String>,
    failed_jobs_history_limit: Option<i32>,
    job_template: Option<JobTemplateView<'a>>,
    parallelism: Option<i32>,
    pod_management_policy: Option<&'a String>,
    replicas: Option<i32>,
    schedule: Option<&'a String>,
    selector: Option<&'a LabelSelector>,
    service_name: Option<&'a String>,
    successful_jobs_history_limit: Option<i32>,
    suspend: Option<bool>,
    template: Option<PodTemplateView<'a>>,
    volume_claim_templates: Option<Vec<ObjectView<'a, &'a PersistentVolumeClaimSpec>>>,
}

/// A CronJob's `jobTemplate`: the Job's spec alone.
#[derive(Serialize)]
struct JobTemplateView<'a> {
    spec: Box<ControllerSpecView<'a>>,
}

impl<'a> WorkloadView<'a> {
    fn of(o: &'a super::PodController) -> Self {
        use super::WorkloadKind;
        let job = |template| ControllerSpecView {
            backoff_limit: o.backoff_limit,
            completions: o.completions,
            parallelism: o.parallelism,
            template,
            ..ControllerSpecView::default()
        };
        let template = Some(PodTemplateView::of(&o.template));
        let spec = match o.kind {
            WorkloadKind::CronJob => ControllerSpecView {
                concurrency_policy: o.concurrency_policy.as_ref(),
                failed_jobs_history_limit: o.failed_jobs_history_limit,
                job_template: Some(JobTemplateView { spec: Box::new(job(template)) }),
                schedule: o.schedule.as_ref(),
                successful_jobs_history_limit: o.successful_jobs_history_limit,
                suspend: o.suspend,
                ..ControllerSpecView::default()
            },
            WorkloadKind::Job => job(template),
            _ => ControllerSpecView {
                pod_management_policy: o.pod_management_policy.as_ref(),
                replicas: o.replicas,
                selector: o.selector.as_ref(),
                service_name: o.service_name.as_ref(),
                template,
                volume_claim_templates: (!o.volume_claim_templates.is_empty())
                    .then(|| o.volume_claim_templates.iter().map(claim_view).collect()),
                ..ControllerSpecView::default()
            },
        };
        WorkloadView { api_version: &o.api_version, kind: o.kind.as_str(), metadata: MetaView::of(&o.metadata), spec }
    }
}

#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeploymentSpecView<'a> {
    min_ready_seconds: Option<i32>,
    paused: Option<bool>,
    progress_deadline_seconds: Option<i32>,
    replicas: Option<i32>,
    revision_history_limit: Option<i32>,
    selector: &'a LabelSelector,
    strategy: Option<&'a DeploymentStrategy>,
    template: PodTemplateView<'a>,
}

impl<'a> DeploymentSpecView<'a> {
    fn of(s: &'a DeploymentSpec) -> Self {
        DeploymentSpecView {
            min_ready_seconds: s.min_ready_seconds,
            paused: s.paused,
            progress_deadline_seconds: s.progress_deadline_seconds,
            replicas: s.replicas,
            revision_history_limit: s.revision_history_limit,
            selector: &s.selector,
            strategy: s.strategy.as_ref(),
            template: PodTemplateView::of(&s.template),
        }
    }
}

#[skip_serializing_none]
#[derive(Serialize)]
struct PodTemplateView<'a> {
    metadata: Option<MetaView<'a>>,
    spec: Option<PodSpecView<'a>>,
}

impl<'a> PodTemplateView<'a> {
    fn of(t: &'a PodTemplateSpec) -> Self {
        PodTemplateView { metadata: t.metadata.as_ref().map(MetaView::of), spec: t.spec.as_ref().map(PodSpecView::of) }
    }
}

/// Every field of a `PodSpec`, its volumes through [`VolumeView`].
#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PodSpecView<'a> {
    active_deadline_seconds: Option<i64>,
    affinity: Option<&'a Affinity>,
    automount_service_account_token: Option<bool>,
    containers: &'a Vec<Container>,
    dns_config: Option<&'a PodDNSConfig>,
    dns_policy: Option<&'a String>,
    enable_service_links: Option<bool>,
    ephemeral_containers: Option<&'a Vec<EphemeralContainer>>,
    host_aliases: Option<&'a Vec<HostAlias>>,
    #[serde(rename = "hostIPC")]
    host_ipc: Option<bool>,
    host_network: Option<bool>,
    #[serde(rename = "hostPID")]
    host_pid: Option<bool>,
    host_users: Option<bool>,
    hostname: Option<&'a String>,
    image_pull_secrets: Option<&'a Vec<LocalObjectReference>>,
    init_containers: Option<&'a Vec<Container>>,
    node_name: Option<&'a String>,
    node_selector: Option<&'a BTreeMap<String, String>>,
    os: Option<&'a PodOS>,
    overhead: Option<&'a BTreeMap<String, Quantity>>,
    preemption_policy: Option<&'a String>,
    priority: Option<i32>,
    priority_class_name: Option<&'a String>,
    readiness_gates: Option<&'a Vec<PodReadinessGate>>,
    resource_claims: Option<&'a Vec<PodResourceClaim>>,
    resources: Option<&'a ResourceRequirements>,
    restart_policy: Option<&'a String>,
    runtime_class_name: Option<&'a String>,
    scheduler_name: Option<&'a String>,
    scheduling_gates: Option<&'a Vec<PodSchedulingGate>>,
    security_context: Option<&'a PodSecurityContext>,
    service_account: Option<&'a String>,
    service_account_name: Option<&'a String>,
    #[serde(rename = "setHostnameAsFQDN")]
    set_hostname_as_fqdn: Option<bool>,
    share_process_namespace: Option<bool>,
    subdomain: Option<&'a String>,
    termination_grace_period_seconds: Option<i64>,
    tolerations: Option<&'a Vec<Toleration>>,
    topology_spread_constraints: Option<&'a Vec<TopologySpreadConstraint>>,
    volumes: Option<Vec<VolumeView<'a>>>,
}

/// The volume sources render makes (`render::pod_volume`), in k8s-openapi's field order: not
/// `ephemeral`, whose claim template holds an `ObjectMeta`, and so `Time`.
#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VolumeView<'a> {
    config_map: Option<&'a ConfigMapVolumeSource>,
    empty_dir: Option<&'a EmptyDirVolumeSource>,
    name: &'a str,
    persistent_volume_claim: Option<&'a PersistentVolumeClaimVolumeSource>,
    secret: Option<&'a SecretVolumeSource>,
}

impl<'a> VolumeView<'a> {
    fn of(v: &'a Volume) -> Self {
        debug_assert!(
            v.ephemeral.is_none() && v.host_path.is_none() && v.projected.is_none(),
            "render makes only emptyDir, configMap, secret and persistentVolumeClaim volumes"
        );
        VolumeView {
            config_map: v.config_map.as_ref(),
            empty_dir: v.empty_dir.as_ref(),
            name: &v.name,
            persistent_volume_claim: v.persistent_volume_claim.as_ref(),
            secret: v.secret.as_ref(),
        }
    }
}

impl<'a> PodSpecView<'a> {
    fn of(p: &'a PodSpec) -> Self {
        PodSpecView {
            active_deadline_seconds: p.active_deadline_seconds,
            affinity: p.affinity.as_ref(),
            automount_service_account_token: p.automount_service_account_token,
            containers: &p.containers,
            dns_config: p.dns_config.as_ref(),
            dns_policy: p.dns_policy.as_ref(),
            enable_service_links: p.enable_service_links,
            ephemeral_containers: p.ephemeral_containers.as_ref(),
            host_aliases: p.host_aliases.as_ref(),
            host_ipc: p.host_ipc,
            host_network: p.host_network,
            host_pid: p.host_pid,
            host_users: p.host_users,
            hostname: p.hostname.as_ref(),
            image_pull_secrets: p.image_pull_secrets.as_ref(),
            init_containers: p.init_containers.as_ref(),
            node_name: p.node_name.as_ref(),
            node_selector: p.node_selector.as_ref(),
            os: p.os.as_ref(),
            overhead: p.overhead.as_ref(),
            preemption_policy: p.preemption_policy.as_ref(),
            priority: p.priority,
            priority_class_name: p.priority_class_name.as_ref(),
            readiness_gates: p.readiness_gates.as_ref(),
            resource_claims: p.resource_claims.as_ref(),
            resources: p.resources.as_ref(),
            restart_policy: p.restart_policy.as_ref(),
            runtime_class_name: p.runtime_class_name.as_ref(),
            scheduler_name: p.scheduler_name.as_ref(),
            scheduling_gates: p.scheduling_gates.as_ref(),
            security_context: p.security_context.as_ref(),
            service_account: p.service_account.as_ref(),
            service_account_name: p.service_account_name.as_ref(),
            set_hostname_as_fqdn: p.set_hostname_as_fqdn,
            share_process_namespace: p.share_process_namespace,
            subdomain: p.subdomain.as_ref(),
            termination_grace_period_seconds: p.termination_grace_period_seconds,
            tolerations: p.tolerations.as_ref(),
            topology_spread_constraints: p.topology_spread_constraints.as_ref(),
            volumes: p.volumes.as_ref().map(|volumes| volumes.iter().map(VolumeView::of).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::RollingUpdateDeployment;
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

    /// Every field a view writes, set. Struct literals without `..`: a field k8s-openapi adds
    /// stops this test from compiling until the views know about it.
    fn full_metadata() -> ObjectMeta {
        let map = |k: &str| BTreeMap::from([(k.to_string(), "v".to_string())]);
        ObjectMeta {
            annotations: Some(map("a")),
            creation_timestamp: None,
            deletion_grace_period_seconds: Some(30),
            deletion_timestamp: None,
            finalizers: Some(vec!["f".into()]),
            generate_name: Some("g-".into()),
            generation: Some(2),
            labels: Some(map("l")),
            managed_fields: None,
            name: Some("n".into()),
            namespace: Some("ns".into()),
            owner_references: Some(vec![OwnerReference {
                api_version: "v1".into(),
                block_owner_deletion: Some(true),
                controller: Some(false),
                kind: "K".into(),
                name: "o".into(),
                uid: "u".into(),
            }]),
            resource_version: Some("7".into()),
            self_link: Some("/s".into()),
            uid: Some("uid".into()),
        }
    }

    fn full_pod_spec() -> PodSpec {
        fn d<T: Default>() -> T {
            T::default()
        }
        PodSpec {
            active_deadline_seconds: Some(5),
            affinity: Some(d()),
            automount_service_account_token: Some(false),
            containers: vec![Container { name: "c".into(), ..d() }],
            dns_config: Some(d()),
            dns_policy: Some("ClusterFirst".into()),
            enable_service_links: Some(true),
            ephemeral_containers: Some(vec![d()]),
            host_aliases: Some(vec![d()]),
            host_ipc: Some(false),
            host_network: Some(false),
            host_pid: Some(false),
            host_users: Some(true),
            hostname: Some("h".into()),
            image_pull_secrets: Some(vec![d()]),
            init_containers: Some(vec![d()]),
            node_name: Some("node".into()),
            node_selector: Some(BTreeMap::from([("k".into(), "v".into())])),
            os: Some(d()),
            overhead: Some(BTreeMap::from([("cpu".into(), Quantity("1".into()))])),
            preemption_policy: Some("Never".into()),
            priority: Some(1),
            priority_class_name: Some("p".into()),
            readiness_gates: Some(vec![d()]),
            resource_claims: Some(vec![d()]),
            resources: Some(d()),
            restart_policy: Some("Always".into()),
            runtime_class_name: Some("r".into()),
            scheduler_name: Some("s".into()),
            scheduling_gates: Some(vec![d()]),
            security_context: Some(d()),
            service_account: Some("sa".into()),
            service_account_name: Some("sa".into()),
            set_hostname_as_fqdn: Some(true),
            share_process_namespace: Some(false),
            subdomain: Some("sub".into()),
            termination_grace_period_seconds: Some(30),
            tolerations: Some(vec![d()]),
            topology_spread_constraints: Some(vec![d()]),
            // One volume with every source render makes, one with none (a name alone).
            volumes: Some(vec![
                Volume {
                    name: "v".into(),
                    config_map: Some(ConfigMapVolumeSource {
                        name: "c".into(),
                        items: Some(vec![d()]),
                        default_mode: Some(0o440),
                        optional: Some(true),
                    }),
                    empty_dir: Some(EmptyDirVolumeSource {
                        medium: Some("Memory".into()),
                        size_limit: Some(Quantity("1Gi".into())),
                    }),
                    persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                        claim_name: "c".into(),
                        read_only: Some(true),
                    }),
                    secret: Some(SecretVolumeSource { secret_name: Some("s".into()), ..d() }),
                    ..d()
                },
                Volume { name: "bare".into(), ..d() },
            ]),
        }
    }

    fn full_deployment() -> Deployment {
        Deployment {
            metadata: full_metadata(),
            spec: Some(DeploymentSpec {
                min_ready_seconds: Some(1),
                paused: Some(false),
                progress_deadline_seconds: Some(600),
                replicas: Some(3),
                revision_history_limit: Some(10),
                selector: LabelSelector { match_expressions: None, match_labels: Some(BTreeMap::new()) },
                strategy: Some(DeploymentStrategy {
                    rolling_update: Some(RollingUpdateDeployment {
                        max_surge: Some(IntOrString::String("25%".into())),
                        max_unavailable: Some(IntOrString::Int(0)),
                    }),
                    type_: Some("RollingUpdate".into()),
                }),
                template: PodTemplateSpec { metadata: Some(full_metadata()), spec: Some(full_pod_spec()) },
            }),
            status: None,
        }
    }

    fn same_as_library<T: Serialize, V: Serialize>(object: &T, view: &V) {
        assert_eq!(crate::emit::to_yaml(view), crate::emit::to_yaml(object));
        assert_eq!(serde_json::to_value(view).unwrap(), serde_json::to_value(object).unwrap());
    }

    #[test]
    fn the_json_read_back_from_yaml_is_the_json_of_every_presets_objects() {
        for preset in crate::presets::PRESETS {
            let input = crate::ValuesInput { preset: Some(preset.name.to_string()), ..Default::default() };
            let analysis = crate::analyze_values(&input, None, crate::Profile::Minikube);
            assert!(!analysis.manifests.resources.is_empty(), "{}", preset.name);
            for resource in &analysis.manifests.resources {
                assert_eq!(resource.to_json_via_yaml(), resource.to_json(), "{} {}", preset.name, resource.object.id());
            }
        }
        // A read object is its tree.
        let (set, _) = crate::manifest::read(vec![crate::SourceFile::new(
            "m.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '1'}\n",
        )]);
        assert_eq!(
            set.resources[0].to_json_via_yaml(),
            serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}})
        );
    }

    #[test]
    fn views_write_every_field_k8s_openapi_writes_but_server_set_ones() {
        let deployment = full_deployment();
        same_as_library(&deployment, &deployment_view(&deployment));
        let namespace = Namespace {
            metadata: full_metadata(),
            spec: Some(NamespaceSpec { finalizers: Some(vec!["kubernetes".into()]) }),
            status: None,
        };
        same_as_library(&namespace, &namespace_view(&namespace));
        let bytes = |s: &str| BTreeMap::from([("k".to_string(), ByteString(s.as_bytes().to_vec()))]);
        let config_map = ConfigMap {
            binary_data: Some(bytes("b")),
            data: Some(BTreeMap::from([("k".into(), "v".into())])),
            immutable: Some(true),
            metadata: full_metadata(),
        };
        same_as_library(&config_map, &ConfigMapView::of(&config_map));
        let secret = Secret {
            data: Some(bytes("s")),
            immutable: Some(false),
            metadata: full_metadata(),
            string_data: Some(BTreeMap::from([("k".into(), "v".into())])),
            type_: Some("Opaque".into()),
        };
        same_as_library(&secret, &SecretView::of(&secret));
        let service = Service {
            metadata: full_metadata(),
            spec: Some(ServiceSpec { type_: Some("LoadBalancer".into()), ..Default::default() }),
            status: None,
        };
        same_as_library(&service, &service_view(&service));
        let claim = PersistentVolumeClaim {
            metadata: full_metadata(),
            spec: Some(PersistentVolumeClaimSpec {
                access_modes: Some(vec!["ReadWriteOnce".into()]),
                storage_class_name: Some("standard".into()),
                volume_mode: Some("Filesystem".into()),
                ..Default::default()
            }),
            status: None,
        };
        same_as_library(&claim, &claim_view(&claim));
        let budget = PodDisruptionBudget {
            metadata: full_metadata(),
            spec: Some(PodDisruptionBudgetSpec {
                max_unavailable: Some(IntOrString::String("10%".into())),
                min_available: Some(IntOrString::Int(1)),
                selector: Some(LabelSelector::default()),
                unhealthy_pod_eviction_policy: Some("AlwaysAllow".into()),
            }),
            status: None,
        };
        same_as_library(&budget, &budget_view(&budget));
        let autoscaler = HorizontalPodAutoscaler {
            metadata: full_metadata(),
            spec: Some(HorizontalPodAutoscalerSpec {
                behavior: Some(Default::default()),
                max_replicas: 5,
                metrics: Some(vec![Default::default()]),
                min_replicas: Some(2),
                scale_target_ref: Default::default(),
            }),
            status: None,
        };
        same_as_library(&autoscaler, &autoscaler_view(&autoscaler));
        let ingress = Ingress {
            metadata: full_metadata(),
            spec: Some(IngressSpec {
                default_backend: Some(Default::default()),
                ingress_class_name: Some("nginx".into()),
                rules: Some(vec![Default::default()]),
                tls: Some(vec![Default::default()]),
            }),
            status: None,
        };
        same_as_library(&ingress, &ingress_view(&ingress));
        let policy = NetworkPolicy {
            metadata: full_metadata(),
            spec: Some(NetworkPolicySpec {
                egress: Some(vec![Default::default()]),
                ingress: Some(vec![Default::default()]),
                pod_selector: Some(LabelSelector::default()),
                policy_types: Some(vec!["Ingress".into()]),
            }),
        };
        same_as_library(&policy, &network_policy_view(&policy));
        let account = ServiceAccount {
            automount_service_account_token: Some(false),
            image_pull_secrets: Some(vec![LocalObjectReference { name: "pull".into() }]),
            metadata: full_metadata(),
            secrets: Some(vec![Default::default()]),
        };
        same_as_library(&account, &ServiceAccountView::of(&account));
    }

    #[test]
    fn a_template_without_metadata_or_spec_is_written_as_the_library_writes_it() {
        let mut deployment = full_deployment();
        deployment.spec.as_mut().unwrap().template = PodTemplateSpec::default();
        same_as_library(&deployment, &deployment_view(&deployment));
        deployment.spec = None;
        same_as_library(&deployment, &deployment_view(&deployment));
    }
}
