//! The typed values model (Helm-style, camelCase keys): what a user tunes.
//!
//! Maps are `BTreeMap`s on purpose: Helm's templates range over maps in key order, so sorted
//! maps keep kubeplay's render and the chart's identical.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything kubeplay renders, from one values document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "kubeplay values")]
pub struct Values {
    /// Name of the application: the `app.kubernetes.io/part-of` label and the prefix of the
    /// ConfigMap (`<appName>-config`) and Secret (`<appName>-secrets`).
    pub app_name: String,
    /// Namespace every resource lives in (created by kubeplay).
    pub namespace: String,
    /// Extra labels put on every resource (not on selectors).
    #[serde(default)]
    pub common_labels: BTreeMap<String, String>,
    /// Non-secret settings: the ConfigMap's data.
    #[serde(default)]
    pub config: BTreeMap<String, String>,
    /// Secret keys. Leave the values empty in files; give them at deploy time.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    /// The workloads, by name: each becomes a Deployment and (optionally) a Service of that name.
    #[serde(default)]
    pub components: BTreeMap<String, Component>,
    /// HTTP routes from outside the cluster to components' Services; omit for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressSpec>,
    /// Isolate every pod of the release (a default-deny NetworkPolicy): then a component takes
    /// connections only from what its `allowFrom` names. Omit for no isolation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_policy: Option<ReleaseNetworkPolicy>,
}

/// The release's default-deny NetworkPolicy, named `<appName>-default-deny`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReleaseNetworkPolicy {
    /// The namespace the ingress controller runs in, which `allowFrom.ingressController`
    /// admits (`ingress-nginx`, Minikube's addon, when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_controller_namespace: Option<String>,
}

/// The namespace Minikube's `ingress` addon runs its controller in.
pub const DEFAULT_INGRESS_CONTROLLER_NAMESPACE: &str = "ingress-nginx";

/// Who may open connections to a component's pods: a NetworkPolicy named like the component
/// that admits these and nothing else, on every port.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllowFrom {
    /// Components of the release whose pods may connect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// The ingress controller, for a component an Ingress routes to.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ingress_controller: bool,
    /// Every pod of these namespaces, e.g. `monitoring`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// Every source, inside the cluster or out: for a component behind a LoadBalancer or
    /// NodePort Service, whose clients are outside the cluster.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anywhere: bool,
}

/// One workload (a Deployment unless `kind` says otherwise) and its Service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Component {
    /// What runs the pods: a `Deployment` (the default: interchangeable pods kept running), a
    /// `StatefulSet` (pods with stable names, each with its own claims: databases), a
    /// `DaemonSet` (one pod per node), a `Job` (pods that run to completion once) or a
    /// `CronJob` (a Job on a schedule).
    #[serde(default, skip_serializing_if = "ComponentKind::is_deployment")]
    pub kind: ComponentKind,
    pub image: Image,
    /// Number of pods (default 1); leave it out when `autoscaling` decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 2147483647))]
    pub replicas: Option<i32>,
    /// Let a HorizontalPodAutoscaler set the number of pods from their CPU or memory use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscaling: Option<Autoscaling>,
    /// The program to run instead of the image's entrypoint (its `ENTRYPOINT`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Arguments passed to the image's entrypoint.
    #[serde(default)]
    pub args: Vec<String>,
    /// Ports the container listens on.
    #[serde(default)]
    pub ports: Vec<ContainerPort>,
    /// Plain environment variables, by name.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Environment variables set from the pod's own fields (the downward API), by name, e.g.
    /// `POD_NAME: metadata.name`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_env: BTreeMap<String, PodField>,
    /// ConfigMap keys this component takes, each as an environment variable of the same name.
    #[serde(default)]
    pub config_keys: Vec<String>,
    /// Secret keys this component takes, each as an environment variable of the same name.
    #[serde(default)]
    pub secret_keys: Vec<String>,
    #[serde(default)]
    pub probes: Probes,
    #[serde(default)]
    pub resources: Resources,
    #[serde(default)]
    pub security_context: SecurityContext,
    /// The pod's volumes, by name: scratch space, the release's config or secret keys as
    /// files, or a claim on persistent storage.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Volume>,
    /// Where the container sees the volumes, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    /// What the container does before it is stopped (a rollout, a drain, a scale-down), while
    /// the Service stops sending it requests: e.g. `{sleep: 5}` so in-flight requests finish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_stop: Option<PreStop>,
    /// Seconds a stopping pod gets, preStop included, before it is killed (Kubernetes: 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 2147483647))]
    pub termination_grace_period_seconds: Option<i64>,
    /// Containers that run to completion, one after the other, before the app's starts: a
    /// migration, waiting for a dependency, fetching files into a shared volume.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<InitContainer>,
    /// The pods' own ServiceAccount; omit to run as the namespace's `default` one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<ServiceAccountSpec>,
    /// How many pods must stay up while nodes are drained (a PodDisruptionBudget); omit for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_disruption_budget: Option<DisruptionBudget>,
    /// The Service in front of the pods; omit for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceSpec>,
    /// Take connections only from these (a NetworkPolicy); omit to take what the release's
    /// `networkPolicy` lets in (everything, without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_from: Option<AllowFrom>,
    /// StatefulSet: a PersistentVolumeClaim per pod, by name (`data` gives pod `db-0` the claim
    /// `data-db-0`, kept when the pod moves); mount it like a volume.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub volume_claim_templates: BTreeMap<String, Claim>,
    /// Job: run it before the release's other workloads, on every install and upgrade, and
    /// stop there when it fails (a Helm `pre-install,pre-upgrade` hook): database migrations.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hook: bool,
    /// Job with `hook`: on the first install, run after the release's other objects are made
    /// and ready instead of before them (a Helm `post-install,pre-upgrade` hook), for a step
    /// that needs something the release itself runs, such as its own database. Upgrades still
    /// run it first.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hook_after_install: bool,
    /// Job and CronJob: how many times a failed pod is retried (Kubernetes: 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 2147483647))]
    pub backoff_limit: Option<i32>,
    /// Job and CronJob: `Never` (the default: each retry is a new pod, the failed ones stay for
    /// their logs) or `OnFailure` (the container restarts in the same pod).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<JobRestartPolicy>,
    /// CronJob: when to run, in cron syntax (`0 3 * * *`: every day at 03:00, the cluster's
    /// time zone) or a macro (`@hourly`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// CronJob: what to do when a run is due and the last one still runs (Kubernetes: `Allow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency_policy: Option<ConcurrencyPolicy>,
    /// CronJob: finished Jobs kept to look at (Kubernetes: 3 that succeeded, 1 that failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 2147483647))]
    pub successful_jobs_history_limit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 2147483647))]
    pub failed_jobs_history_limit: Option<i32>,
}

/// The kind of workload a component is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ComponentKind {
    #[default]
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 5] = [
        ComponentKind::Deployment,
        ComponentKind::StatefulSet,
        ComponentKind::DaemonSet,
        ComponentKind::Job,
        ComponentKind::CronJob,
    ];
    pub fn is_deployment(&self) -> bool {
        *self == ComponentKind::Deployment
    }
    /// The manifests' workload kind it renders.
    pub fn workload(self) -> crate::manifest::WorkloadKind {
        use crate::manifest::WorkloadKind;
        match self {
            ComponentKind::Deployment => WorkloadKind::Deployment,
            ComponentKind::StatefulSet => WorkloadKind::StatefulSet,
            ComponentKind::DaemonSet => WorkloadKind::DaemonSet,
            ComponentKind::Job => WorkloadKind::Job,
            ComponentKind::CronJob => WorkloadKind::CronJob,
        }
    }
    pub fn as_str(self) -> &'static str {
        self.workload().as_str()
    }
    pub fn parse(text: &str) -> Option<ComponentKind> {
        ComponentKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
    /// Whether this kind uses `field`.
    pub fn uses(self, field: KindField) -> bool {
        use ComponentKind::*;
        use KindField::*;
        match field {
            Replicas | Autoscaling => matches!(self, Deployment | StatefulSet),
            Service => !matches!(self, Job | CronJob),
            VolumeClaimTemplates => self == StatefulSet,
            Hook | HookAfterInstall => self == Job,
            BackoffLimit | RestartPolicy => matches!(self, Job | CronJob),
            Schedule | ConcurrencyPolicy | SuccessfulJobsHistoryLimit | FailedJobsHistoryLimit => self == CronJob,
        }
    }
}

/// The component fields only some kinds use ([`ComponentKind::uses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindField {
    Replicas,
    Autoscaling,
    Service,
    VolumeClaimTemplates,
    Hook,
    HookAfterInstall,
    BackoffLimit,
    RestartPolicy,
    Schedule,
    ConcurrencyPolicy,
    SuccessfulJobsHistoryLimit,
    FailedJobsHistoryLimit,
}

impl KindField {
    pub const ALL: [KindField; 12] = [
        KindField::Replicas,
        KindField::Autoscaling,
        KindField::Service,
        KindField::VolumeClaimTemplates,
        KindField::Hook,
        KindField::HookAfterInstall,
        KindField::BackoffLimit,
        KindField::RestartPolicy,
        KindField::Schedule,
        KindField::ConcurrencyPolicy,
        KindField::SuccessfulJobsHistoryLimit,
        KindField::FailedJobsHistoryLimit,
    ];

    /// Its key in a component's values.
    pub fn key(self) -> &'static str {
        match self {
            KindField::Replicas => "replicas",
            KindField::Autoscaling => "autoscaling",
            KindField::Service => "service",
            KindField::VolumeClaimTemplates => "volumeClaimTemplates",
            KindField::Hook => "hook",
            KindField::HookAfterInstall => "hookAfterInstall",
            KindField::BackoffLimit => "backoffLimit",
            KindField::RestartPolicy => "restartPolicy",
            KindField::Schedule => "schedule",
            KindField::ConcurrencyPolicy => "concurrencyPolicy",
            KindField::SuccessfulJobsHistoryLimit => "successfulJobsHistoryLimit",
            KindField::FailedJobsHistoryLimit => "failedJobsHistoryLimit",
        }
    }

    /// Whether component `c` sets it.
    pub fn is_set(self, c: &Component) -> bool {
        match self {
            KindField::Replicas => c.replicas.is_some(),
            KindField::Autoscaling => c.autoscaling.is_some(),
            KindField::Service => c.service.is_some(),
            KindField::VolumeClaimTemplates => !c.volume_claim_templates.is_empty(),
            KindField::Hook => c.hook,
            KindField::HookAfterInstall => c.hook_after_install,
            KindField::BackoffLimit => c.backoff_limit.is_some(),
            KindField::RestartPolicy => c.restart_policy.is_some(),
            KindField::Schedule => c.schedule.is_some(),
            KindField::ConcurrencyPolicy => c.concurrency_policy.is_some(),
            KindField::SuccessfulJobsHistoryLimit => c.successful_jobs_history_limit.is_some(),
            KindField::FailedJobsHistoryLimit => c.failed_jobs_history_limit.is_some(),
        }
    }

    /// Unset it on component `c` (a claim template's mounts go with it: they would name no
    /// volume).
    pub fn clear(self, c: &mut Component) {
        match self {
            KindField::Replicas => c.replicas = None,
            KindField::Autoscaling => c.autoscaling = None,
            KindField::Service => c.service = None,
            KindField::VolumeClaimTemplates => {
                for claim in std::mem::take(&mut c.volume_claim_templates).into_keys() {
                    c.remove_claim_template_mounts(&claim);
                }
            }
            KindField::Hook => c.hook = false,
            KindField::HookAfterInstall => c.hook_after_install = false,
            KindField::BackoffLimit => c.backoff_limit = None,
            KindField::RestartPolicy => c.restart_policy = None,
            KindField::Schedule => c.schedule = None,
            KindField::ConcurrencyPolicy => c.concurrency_policy = None,
            KindField::SuccessfulJobsHistoryLimit => c.successful_jobs_history_limit = None,
            KindField::FailedJobsHistoryLimit => c.failed_jobs_history_limit = None,
        }
    }
}

/// When a component made a CronJob runs until told otherwise: every day at 03:00.
pub const DEFAULT_SCHEDULE: &str = "0 3 * * *";

/// How a Job's pod is restarted when it fails (`Always` is not allowed for Jobs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum JobRestartPolicy {
    #[default]
    Never,
    OnFailure,
}

impl JobRestartPolicy {
    pub const ALL: [JobRestartPolicy; 2] = [JobRestartPolicy::Never, JobRestartPolicy::OnFailure];
    pub fn as_str(self) -> &'static str {
        match self {
            JobRestartPolicy::Never => "Never",
            JobRestartPolicy::OnFailure => "OnFailure",
        }
    }
}

/// What a CronJob does when a run is due and the last one still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ConcurrencyPolicy {
    /// Start it anyway.
    Allow,
    /// Skip this run.
    Forbid,
    /// Stop the running one and start this.
    Replace,
}

impl ConcurrencyPolicy {
    pub const ALL: [ConcurrencyPolicy; 3] =
        [ConcurrencyPolicy::Allow, ConcurrencyPolicy::Forbid, ConcurrencyPolicy::Replace];
    pub fn as_str(self) -> &'static str {
        match self {
            ConcurrencyPolicy::Allow => "Allow",
            ConcurrencyPolicy::Forbid => "Forbid",
            ConcurrencyPolicy::Replace => "Replace",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Image {
    /// e.g. `todo-backend` or `docker.io/library/nginx`.
    pub repository: String,
    /// Empty means none (Kubernetes then pulls `latest`).
    #[serde(default)]
    pub tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_policy: Option<PullPolicy>,
}

impl Image {
    /// `repository:tag`, or the bare repository when there is no tag.
    pub fn reference(&self) -> String {
        if self.tag.is_empty() {
            self.repository.clone()
        } else {
            format!("{}:{}", self.repository, self.tag)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

impl PullPolicy {
    /// Every policy, in the order forms list them.
    pub const ALL: [PullPolicy; 3] = [PullPolicy::Always, PullPolicy::IfNotPresent, PullPolicy::Never];
    /// The policy named `text` (as Kubernetes spells it), if any.
    pub fn parse(text: &str) -> Option<PullPolicy> {
        PullPolicy::ALL.into_iter().find(|p| p.as_str() == text)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PullPolicy::Always => "Always",
            PullPolicy::IfNotPresent => "IfNotPresent",
            PullPolicy::Never => "Never",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerPort {
    /// IANA service name (<= 15 characters), referenced by Services and probes.
    pub name: String,
    #[schemars(range(min = 1, max = 65535))]
    pub container_port: i32,
}

/// A port given by number or by the container port's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PortRef {
    Number(#[schemars(range(min = 1, max = 65535))] i32),
    Name(String),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Probes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<ProbeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<ProbeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup: Option<ProbeSpec>,
}

/// A probe: an HTTP GET of `path`, or, without one, a TCP connection to the port (for servers
/// that speak no HTTP: databases, caches).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProbeSpec {
    /// Absolute path, e.g. `/health`; leave it out to only open a TCP connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Container port name or number.
    pub port: PortRef,
    #[schemars(range(min = 0, max = 2147483647))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_delay_seconds: Option<i32>,
    #[schemars(range(min = 0, max = 2147483647))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_seconds: Option<i32>,
    #[schemars(range(min = 0, max = 2147483647))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i32>,
    #[schemars(range(min = 0, max = 2147483647))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_threshold: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resources {
    #[serde(default)]
    pub requests: ResourceList,
    #[serde(default)]
    pub limits: ResourceList,
}

/// Quantities such as `100m` CPU or `128Mi` memory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<bool>,
    #[schemars(range(min = 0, max = 2147483647))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_root_filesystem: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_privilege_escalation: Option<bool>,
    /// Linux capabilities to add or drop, e.g. `{drop: [ALL]}` (what Pod Security `restricted`
    /// asks for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Capabilities>,
    /// The seccomp profile, e.g. `{type: RuntimeDefault}` (what Pod Security `restricted` asks for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<SeccompProfile>,
}

/// Capabilities as written: a list left out stays out, an empty one is written empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Capabilities {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeccompProfile {
    #[serde(rename = "type")]
    pub type_: SeccompType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SeccompType {
    /// The container runtime's default filter.
    RuntimeDefault,
    /// No filter.
    Unconfined,
}

impl SecurityContext {
    /// Whether nothing is set (then no `securityContext` is written).
    pub fn is_empty(&self) -> bool {
        *self == SecurityContext::default()
    }
    /// What Pod Security `restricted` asks of a container beyond user and privilege settings:
    /// every capability dropped and the runtime's default seccomp filter. Capabilities added
    /// back stay: they are a choice of their own.
    pub fn restricted(&mut self) {
        let add = self.capabilities.take().and_then(|c| c.add);
        self.capabilities = Some(Capabilities { add, drop: Some(vec!["ALL".into()]) });
        self.seccomp_profile = Some(SeccompProfile { type_: SeccompType::RuntimeDefault });
    }
    /// Undo [`SecurityContext::restricted`]: no capability dropped, no seccomp profile; the
    /// added ones stay.
    pub fn unrestricted(&mut self) {
        let add = self.capabilities.take().and_then(|c| c.add);
        self.set_capabilities(add, None);
        self.seccomp_profile = None;
    }
    /// Add these capabilities (none: `None` or empty), keeping the dropped ones.
    pub fn set_added_capabilities(&mut self, add: Option<Vec<String>>) {
        let drop = self.capabilities.take().and_then(|c| c.drop);
        self.set_capabilities(add.filter(|a| !a.is_empty()), drop);
    }
    /// No `capabilities` at all when neither list is given.
    fn set_capabilities(&mut self, add: Option<Vec<String>>, drop: Option<Vec<String>>) {
        self.capabilities = Some(Capabilities { add, drop }).filter(|c| *c != Capabilities::default());
    }
    /// Whether [`SecurityContext::restricted`]'s settings are there.
    pub fn is_restricted(&self) -> bool {
        self.capabilities.as_ref().and_then(|c| c.drop.as_ref()).is_some_and(|d| d.iter().any(|c| c == "ALL"))
            && self.seccomp_profile.as_ref().is_some_and(|p| p.type_ == SeccompType::RuntimeDefault)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
}

impl ServiceType {
    /// Whether it opens a port on every node (and so may fix one with `nodePort`).
    pub fn opens_node_ports(self) -> bool {
        self != ServiceType::ClusterIP
    }
    /// Every type, in the order forms list them.
    pub const ALL: [ServiceType; 3] = [ServiceType::ClusterIP, ServiceType::NodePort, ServiceType::LoadBalancer];
    /// The type named `text` (as Kubernetes spells it), if any.
    pub fn parse(text: &str) -> Option<ServiceType> {
        ServiceType::ALL.into_iter().find(|t| t.as_str() == text)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceSpec {
    #[serde(rename = "type", default = "cluster_ip")]
    pub type_: ServiceType,
    /// Port the Service listens on.
    #[schemars(range(min = 1, max = 65535))]
    pub port: i32,
    /// Container port name or number the traffic goes to.
    pub target_port: PortRef,
    /// Fixed node port (30000-32767), NodePort and LoadBalancer only.
    #[schemars(range(min = 30000, max = 32767))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<i32>,
}

/// A HorizontalPodAutoscaler (autoscaling/v2) for a component's Deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Autoscaling {
    /// Fewest pods (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 2147483647))]
    pub min_replicas: Option<i32>,
    /// Most pods.
    #[schemars(range(min = 1, max = 2147483647))]
    pub max_replicas: i32,
    /// Average CPU use to aim for, in percent of the pods' CPU requests.
    #[serde(rename = "targetCPUUtilizationPercentage", default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 2147483647))]
    pub target_cpu_utilization_percentage: Option<i32>,
    /// Average memory use to aim for, in percent of the pods' memory requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 2147483647))]
    pub target_memory_utilization_percentage: Option<i32>,
}

impl Component {
    /// The pods the Deployment asks for: `replicas`, 1 when not given.
    pub fn replica_count(&self) -> i32 {
        self.replicas.unwrap_or(1)
    }
}

/// A component's own ServiceAccount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceAccountSpec {
    /// Default: the component's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Make the ServiceAccount (default); `false` uses one made elsewhere.
    #[serde(default = "yes")]
    pub create: bool,
    /// Mount an API token in the pods. Default `false`: the app does not call the Kubernetes
    /// API, and a stolen token could.
    #[serde(default)]
    pub automount_service_account_token: bool,
}

fn yes() -> bool {
    true
}

impl ServiceAccountSpec {
    /// The component's own account with the model's defaults: named like it, made here, no
    /// API token mounted.
    pub fn own() -> ServiceAccountSpec {
        ServiceAccountSpec { name: None, create: yes(), automount_service_account_token: false }
    }
}

/// How many of a component's pods must stay up while nodes are drained: exactly one of the
/// two, as a count or a percentage of the replicas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum DisruptionBudget {
    MinAvailable(PodCount),
    MaxUnavailable(PodCount),
}

/// A number of pods, or a percentage of them (`50%`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PodCount {
    Number(#[schemars(range(min = 0, max = 2147483647))] i32),
    Percent(#[schemars(with = "String", pattern(r"^[0-9]+%$"))] Percent),
}

/// `N%`, as Kubernetes writes a share of the pods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Percent(pub String);

impl TryFrom<String> for Percent {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let digits = text.strip_suffix('%').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        match digits {
            Some(_) => Ok(Percent(text)),
            None => Err(format!("`{text}` is not a percentage such as `50%`")),
        }
    }
}

impl From<Percent> for String {
    fn from(p: Percent) -> String {
        p.0
    }
}

/// An Ingress for the release (networking.k8s.io/v1), named like the app: HTTP routes from
/// hosts and paths to components' Services. On Minikube: `minikube addons enable ingress`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressSpec {
    /// The ingress controller's class (`nginx`, Minikube's addon, when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// Routes by host; a host left out matches any (reach it at `minikube ip`).
    pub hosts: Vec<IngressHost>,
    /// TLS: a Secret holding the certificate, and the hosts it covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls: Vec<IngressTls>,
}

/// The ingress class Minikube's `ingress` addon serves, which the Ingress gets unless it names one.
pub const DEFAULT_INGRESS_CLASS: &str = "nginx";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressHost {
    /// e.g. `todo.local`; leave out for any host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    pub paths: Vec<IngressPath>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressPath {
    /// e.g. `/` or `/api` (default `/`).
    #[serde(default = "root_path")]
    pub path: String,
    /// `Prefix` (default): the path and everything under it; `Exact`: the path alone.
    #[serde(default = "prefix")]
    pub path_type: PathType,
    /// The component whose Service gets the requests.
    pub component: String,
    /// The Service port (default: the component's Service port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
}

impl IngressPath {
    /// A route of `/` and everything under it to `component`'s Service port: the defaults.
    pub fn to(component: &str) -> IngressPath {
        IngressPath { path: root_path(), path_type: prefix(), component: component.to_string(), port: None }
    }
}

impl IngressSpec {
    /// An Ingress with `path` as its one route, on any host, of the default class.
    pub fn with_route(path: IngressPath) -> IngressSpec {
        IngressSpec { class_name: None, hosts: vec![IngressHost { host: None, paths: vec![path] }], tls: Vec::new() }
    }
    /// `path` added under the first host.
    pub fn add_route(&mut self, path: IngressPath) {
        match self.hosts.first_mut() {
            Some(host) => host.paths.push(path),
            None => self.hosts.push(IngressHost { host: None, paths: vec![path] }),
        }
    }
}

fn root_path() -> String {
    "/".into()
}

fn prefix() -> PathType {
    PathType::Prefix
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PathType {
    Prefix,
    Exact,
    ImplementationSpecific,
}

impl PathType {
    /// Every type, in the order forms list them.
    pub const ALL: [PathType; 3] = [PathType::Prefix, PathType::Exact, PathType::ImplementationSpecific];
    pub fn as_str(self) -> &'static str {
        match self {
            PathType::Prefix => "Prefix",
            PathType::Exact => "Exact",
            PathType::ImplementationSpecific => "ImplementationSpecific",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressTls {
    pub secret_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
}

/// One volume of a component's pods: exactly one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Volume {
    /// Scratch space that lives as long as the pod (a cache, `/tmp`): what a container with a
    /// read-only root filesystem writes to.
    EmptyDir(EmptyDirVolume),
    /// Keys of the release's ConfigMap (`config`), as files.
    ConfigMap(KeyFiles),
    /// Keys of the release's Secret (`secrets`), as files.
    Secret(KeyFiles),
    /// Storage that outlives the pod: a PersistentVolumeClaim named `<component>-<volume>`.
    PersistentVolumeClaim(Claim),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmptyDirVolume {
    /// Most the volume may hold, e.g. `256Mi`; the pod is evicted past it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<String>,
    /// `Memory` for a RAM-backed tmpfs (counted in the container's memory); omit for the
    /// node's disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<EmptyDirMedium>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum EmptyDirMedium {
    Memory,
}

/// Keys as files: each key of `items` becomes the file at its path (relative to the mount);
/// with no `items`, every key becomes a file of its own name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyFiles {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<String, String>,
    /// The files' permission bits, e.g. `0440` (a leading 0 is octal in YAML, as Helm reads it).
    #[schemars(range(min = 0, max = 511))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
}

/// A PersistentVolumeClaim made for the component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Claim {
    /// Storage requested, e.g. `1Gi`.
    pub size: String,
    /// Default `[ReadWriteOnce]`: one node mounts it read-write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<AccessMode>,
    /// Default `standard`, Minikube's storage class; `""` asks for no class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
}

/// Minikube's storage class, which claims get unless they name one.
pub const DEFAULT_STORAGE_CLASS: &str = "standard";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum AccessMode {
    ReadWriteOnce,
    ReadOnlyMany,
    ReadWriteMany,
    ReadWriteOncePod,
}

impl AccessMode {
    pub const ALL: [AccessMode; 4] =
        [AccessMode::ReadWriteOnce, AccessMode::ReadOnlyMany, AccessMode::ReadWriteMany, AccessMode::ReadWriteOncePod];
    pub fn as_str(self) -> &'static str {
        match self {
            AccessMode::ReadWriteOnce => "ReadWriteOnce",
            AccessMode::ReadOnlyMany => "ReadOnlyMany",
            AccessMode::ReadWriteMany => "ReadWriteMany",
            AccessMode::ReadWriteOncePod => "ReadWriteOncePod",
        }
    }
}

impl Volume {
    /// Every source, as the values name it, in the order forms list them.
    pub const SOURCES: [&'static str; 4] = ["emptyDir", "configMap", "secret", "persistentVolumeClaim"];

    /// The source's name, as the values spell it.
    pub fn source_name(&self) -> &'static str {
        match self {
            Volume::EmptyDir(_) => "emptyDir",
            Volume::ConfigMap(_) => "configMap",
            Volume::Secret(_) => "secret",
            Volume::PersistentVolumeClaim(_) => "persistentVolumeClaim",
        }
    }

    /// A volume of source `name` with the model's defaults (a 1Gi claim); scratch space for
    /// a name that is none.
    pub fn of_source(name: &str) -> Volume {
        match name {
            "configMap" => Volume::ConfigMap(KeyFiles::default()),
            "secret" => Volume::Secret(KeyFiles::default()),
            "persistentVolumeClaim" => Volume::PersistentVolumeClaim(Claim {
                size: "1Gi".into(),
                access_modes: Vec::new(),
                storage_class_name: None,
            }),
            _ => Volume::EmptyDir(EmptyDirVolume::default()),
        }
    }
}

impl Autoscaling {
    /// An autoscaler that takes over from `replicas` pods: at least that many, up to three
    /// times as many, aiming at 80% CPU.
    pub fn from_replicas(replicas: i32) -> Autoscaling {
        let min = replicas.max(1);
        Autoscaling {
            min_replicas: Some(min),
            max_replicas: min * 3,
            target_cpu_utilization_percentage: Some(80),
            target_memory_utilization_percentage: None,
        }
    }
}

/// A container that runs to completion before the app's container starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitContainer {
    /// Unique in the pod (the app's container is named like the component).
    pub name: String,
    pub image: Image,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_keys: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_env: BTreeMap<String, PodField>,
    #[serde(default, skip_serializing_if = "SecurityContext::is_empty")]
    pub security_context: SecurityContext,
}

impl InitContainer {
    /// An init container `name` running `image`, every other field at its default.
    pub fn new(name: &str, image: Image) -> InitContainer {
        InitContainer {
            name: name.to_string(),
            image,
            command: Vec::new(),
            args: Vec::new(),
            env: BTreeMap::new(),
            config_keys: Vec::new(),
            secret_keys: Vec::new(),
            field_env: BTreeMap::new(),
            security_context: SecurityContext::default(),
        }
    }
}

/// One container of a component as the values describe it, the app's or an init container:
/// what rules and the renderer read of either.
pub struct ValuesContainer<'a> {
    /// The component's name.
    pub component: &'a str,
    /// Its place in `initContainers`; `None` for the app's own container.
    pub init: Option<usize>,
    /// The container's name: the component's for the app's own.
    pub name: &'a str,
    pub image: &'a Image,
    pub command: &'a [String],
    pub args: &'a [String],
    pub env: &'a BTreeMap<String, String>,
    pub config_keys: &'a [String],
    pub secret_keys: &'a [String],
    pub field_env: &'a BTreeMap<String, PodField>,
    pub security_context: &'a SecurityContext,
}

impl ValuesContainer<'_> {
    /// Where its fields are: `components.web` or `components.web.initContainers[0]`. Built when
    /// asked: most containers have no finding.
    pub fn at(&self) -> crate::path::FieldPath {
        match self.init {
            None => crate::path::field_path!("components", self.component),
            Some(i) => crate::path::field_path!("components", self.component, "initContainers", i),
        }
    }
}

impl Component {
    /// Whether a form shows any of `fields`: the kind uses one, or one is set (so a finding on a
    /// field the kind does not use can point at it).
    pub fn shows(&self, fields: &[KindField]) -> bool {
        fields.iter().any(|f| self.kind.uses(*f) || f.is_set(self))
    }

    /// Make this a `kind`: drop the fields it does not use, and give a CronJob a schedule, so
    /// the values stay valid.
    pub fn set_kind(&mut self, kind: ComponentKind) {
        self.kind = kind;
        for field in KindField::ALL.into_iter().filter(|f| !kind.uses(*f)) {
            field.clear(self);
        }
        if kind == ComponentKind::CronJob {
            self.schedule.get_or_insert_with(|| DEFAULT_SCHEDULE.into());
        }
    }

    /// Remove claim template `claim` and its mounts (unless a volume of that name is mounted).
    pub fn remove_claim_template(&mut self, claim: &str) {
        if self.volume_claim_templates.remove(claim).is_some() {
            self.remove_claim_template_mounts(claim);
        }
    }

    fn remove_claim_template_mounts(&mut self, claim: &str) {
        if !self.volumes.contains_key(claim) {
            self.volume_mounts.retain(|m| m.name != claim);
        }
    }

    /// Mount `volume` once more, at `/mnt/<volume>` (a new volume's first mount), or at
    /// `/mnt/<volume>-2`, `-3`, ... when a mount already holds that path: the API server rejects
    /// two mounts at one path of a container.
    pub fn mount_new(&mut self, volume: &str) {
        let taken = |path: &str| self.volume_mounts.iter().any(|m| m.mount_path == path);
        let mount_path = std::iter::once(format!("/mnt/{volume}"))
            .chain((2..).map(|n| format!("/mnt/{volume}-{n}")))
            .find(|path| !taken(path))
            .expect("a path is free: the mounts are finitely many");
        self.volume_mounts.push(VolumeMount { name: volume.into(), mount_path, read_only: None, sub_path: None });
    }

    /// A new init container `name` for this component: a migration or a wait runs the
    /// component's own image, with its tag, unless told otherwise.
    pub fn new_init_container(&self, name: &str) -> InitContainer {
        InitContainer::new(name, self.image.clone())
    }

    /// The component's containers: its init containers in order, then the app's own (named
    /// like the component, `name`).
    pub fn containers<'a>(&'a self, name: &'a str) -> impl Iterator<Item = ValuesContainer<'a>> {
        let init = self.init_containers.iter().enumerate().map(move |(i, c)| ValuesContainer {
            component: name,
            init: Some(i),
            name: &c.name,
            image: &c.image,
            command: &c.command,
            args: &c.args,
            env: &c.env,
            config_keys: &c.config_keys,
            secret_keys: &c.secret_keys,
            field_env: &c.field_env,
            security_context: &c.security_context,
        });
        let app = ValuesContainer {
            component: name,
            init: None,
            name,
            image: &self.image,
            command: &self.command,
            args: &self.args,
            env: &self.env,
            config_keys: &self.config_keys,
            secret_keys: &self.secret_keys,
            field_env: &self.field_env,
            security_context: &self.security_context,
        };
        init.chain(std::iter::once(app))
    }
}

/// A field of the pod an environment variable can take (the downward API's `fieldRef`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PodField {
    #[serde(rename = "metadata.name")]
    Name,
    #[serde(rename = "metadata.namespace")]
    Namespace,
    #[serde(rename = "metadata.uid")]
    Uid,
    #[serde(rename = "spec.nodeName")]
    NodeName,
    #[serde(rename = "spec.serviceAccountName")]
    ServiceAccountName,
    #[serde(rename = "status.hostIP")]
    HostIp,
    #[serde(rename = "status.podIP")]
    PodIp,
}

impl PodField {
    /// Every field, in the order forms list them.
    pub const ALL: [PodField; 7] = [
        PodField::Name,
        PodField::Namespace,
        PodField::Uid,
        PodField::NodeName,
        PodField::ServiceAccountName,
        PodField::HostIp,
        PodField::PodIp,
    ];
    /// The field's path, as `fieldRef.fieldPath` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PodField::Name => "metadata.name",
            PodField::Namespace => "metadata.namespace",
            PodField::Uid => "metadata.uid",
            PodField::NodeName => "spec.nodeName",
            PodField::ServiceAccountName => "spec.serviceAccountName",
            PodField::HostIp => "status.hostIP",
            PodField::PodIp => "status.podIP",
        }
    }
    pub fn parse(text: &str) -> Option<PodField> {
        PodField::ALL.into_iter().find(|f| f.as_str() == text)
    }
    /// The variable name apps conventionally read the field from (`POD_NAME`, `POD_IP`).
    pub fn conventional_name(self) -> &'static str {
        match self {
            PodField::Name => "POD_NAME",
            PodField::Namespace => "POD_NAMESPACE",
            PodField::Uid => "POD_UID",
            PodField::NodeName => "NODE_NAME",
            PodField::ServiceAccountName => "POD_SERVICE_ACCOUNT",
            PodField::HostIp => "HOST_IP",
            PodField::PodIp => "POD_IP",
        }
    }
}

/// The container's preStop hook: exactly one action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum PreStop {
    /// Wait this many seconds (the kubelet's own sleep: no shell needed in the image).
    Sleep(#[schemars(range(min = 1, max = 2147483647))] i64),
    /// Run this command in the container, e.g. `[nginx, -s, quit]`.
    Exec(Vec<String>),
}

/// A volume seen by the container at `mountPath`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VolumeMount {
    /// A key of the component's `volumes`.
    pub name: String,
    /// Absolute path in the container, e.g. `/app/.next/cache`.
    pub mount_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// One file or folder of the volume instead of all of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_path: Option<String>,
}

fn cluster_ip() -> ServiceType {
    ServiceType::ClusterIP
}

impl Component {
    /// A component that runs `repository` with every other field at the model's default (what
    /// a values file naming only `image.repository` gives). Read through the same deserializer
    /// as all values, so the wasm carries Component's Deserialize once.
    pub fn with_image(repository: &str) -> Option<Component> {
        let value = serde_json::json!({ "image": { "repository": repository } });
        crate::tracked::deserialize(&crate::source::Node::from_json(&value)).ok()
    }
}

impl Values {
    /// The values as a values.yaml text (what the browser's form writes back and downloads).
    pub fn to_yaml(&self) -> String {
        crate::emit::to_yaml(self)
    }

    /// A copy safe to share or store: every secret value emptied, the keys kept.
    pub fn without_secret_values(&self) -> Values {
        let mut copy = self.clone();
        for value in copy.secrets.values_mut() {
            value.clear();
        }
        copy
    }
}

/// The values JSON Schema: strict (no unknown keys anywhere), as `kubeplay schema` prints it.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Values)).expect("a schema is plain JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_component_with_only_an_image_takes_the_defaults() {
        let from_file = crate::load::load(&crate::load::ValuesInput {
            preset: Some(crate::presets::BLANK_PRESET.into()),
            files: vec![crate::SourceFile::new(
                "v.yaml",
                "components:\n  web:\n    image:\n      repository: \"a: b #c\"\n",
            )],
            sets: Vec::new(),
        })
        .values
        .unwrap();
        assert_eq!(Component::with_image("a: b #c"), from_file.components.get("web").cloned());
    }

    #[test]
    fn yaml_round_trips_and_secrets_can_be_stripped() {
        let mut values = crate::load::load(&Default::default()).values.unwrap();
        values.secrets.insert("OPENAI_API_KEY".into(), "sk-123".into());
        // Through JSON: serde_yaml wants enums as YAML tags (`!emptyDir`), Helm as a map.
        let read: serde_json::Value = serde_yaml::from_str(&values.to_yaml()).unwrap();
        let again: Values = serde_json::from_value(read).unwrap();
        assert_eq!(again, values);
        let shared = values.without_secret_values();
        assert!(shared.secrets.values().all(String::is_empty));
        assert!(shared.secrets.contains_key("OPENAI_API_KEY"));
    }

    #[test]
    fn every_volume_source_makes_a_volume_of_that_source() {
        for source in Volume::SOURCES {
            assert_eq!(Volume::of_source(source).source_name(), source);
        }
        assert_eq!(Autoscaling::from_replicas(0).min_replicas, Some(1), "an autoscaler keeps a pod");
    }

    #[test]
    fn a_component_made_a_cron_job_gets_a_schedule_and_loses_what_it_does_not_use() {
        let mut c = Component::with_image("todo-backend").unwrap();
        c.replicas = Some(2);
        c.kind = ComponentKind::StatefulSet;
        let Volume::PersistentVolumeClaim(claim) = Volume::of_source("persistentVolumeClaim") else { unreachable!() };
        c.volume_claim_templates.insert("data".into(), claim);
        c.volume_mounts.push(VolumeMount {
            name: "data".into(),
            mount_path: "/data".into(),
            read_only: None,
            sub_path: None,
        });
        c.set_kind(ComponentKind::CronJob);
        assert_eq!(c.schedule.as_deref(), Some(DEFAULT_SCHEDULE));
        assert_eq!(c.replicas, None);
        assert!(c.volume_claim_templates.is_empty());
        assert!(c.volume_mounts.is_empty(), "the claim's mount went with it");
        // Back to a Job: the cron fields go, a Job retries too.
        c.concurrency_policy = Some(ConcurrencyPolicy::Forbid);
        c.backoff_limit = Some(2);
        c.set_kind(ComponentKind::Job);
        assert_eq!((c.schedule.clone(), c.concurrency_policy), (None, None));
        assert_eq!(c.backoff_limit, Some(2));
        assert!(!c.shows(&[KindField::Schedule]) && c.shows(&[KindField::Schedule, KindField::BackoffLimit]));
        c.schedule = Some(DEFAULT_SCHEDULE.into());
        assert!(c.shows(&[KindField::Schedule]), "a set field shows on any kind");
        for field in KindField::ALL {
            let users = ComponentKind::ALL.into_iter().filter(|k| k.uses(field)).count();
            assert!(users > 0 && users < ComponentKind::ALL.len(), "{field:?}");
            c.set_kind(ComponentKind::ALL.into_iter().find(|k| !k.uses(field)).unwrap());
            assert!(!field.is_set(&c), "{field:?} is cleared");
        }
    }

    #[test]
    fn a_new_mount_goes_under_mnt_at_a_path_no_mount_holds() {
        let mut c = Component::with_image("todo-backend").unwrap();
        c.mount_new("cache");
        let first =
            VolumeMount { name: "cache".into(), mount_path: "/mnt/cache".into(), read_only: None, sub_path: None };
        assert_eq!(c.volume_mounts, [first]);
        c.mount_new("cache");
        c.mount_new("cache");
        let paths: Vec<&str> = c.volume_mounts.iter().map(|m| m.mount_path.as_str()).collect();
        assert_eq!(paths, ["/mnt/cache", "/mnt/cache-2", "/mnt/cache-3"]);
        c.volume_mounts.remove(1);
        c.mount_new("cache");
        assert_eq!(c.volume_mounts[2].mount_path, "/mnt/cache-2", "a freed path is taken again");
    }

    #[test]
    fn enum_names_round_trip() {
        for p in PullPolicy::ALL {
            assert_eq!(PullPolicy::parse(p.as_str()), Some(p));
        }
        for t in ServiceType::ALL {
            assert_eq!(ServiceType::parse(t.as_str()), Some(t));
        }
        for f in PodField::ALL {
            assert_eq!(PodField::parse(f.as_str()), Some(f));
            let written: PodField = serde_json::from_value(serde_json::json!(f.as_str())).unwrap();
            assert_eq!(written, f, "serde names the field by its path");
        }
        assert_eq!(PullPolicy::parse("never"), None);
        let names: Vec<&str> = PathType::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(names, ["Prefix", "Exact", "ImplementationSpecific"], "every path type, each once");
        assert!(!ServiceType::ClusterIP.opens_node_ports() && ServiceType::NodePort.opens_node_ports());
    }

    #[test]
    fn restricted_drops_every_capability_and_keeps_the_added_ones() {
        let mut sc = SecurityContext::default();
        sc.set_added_capabilities(Some(vec!["NET_BIND_SERVICE".into()]));
        sc.restricted();
        assert!(sc.is_restricted());
        assert_eq!(sc.capabilities.as_ref().and_then(|c| c.add.clone()), Some(vec!["NET_BIND_SERVICE".to_string()]));
        sc.unrestricted();
        assert!(!sc.is_restricted() && sc.seccomp_profile.is_none());
        assert_eq!(sc.capabilities.as_ref().and_then(|c| c.drop.clone()), None);
        sc.set_added_capabilities(Some(Vec::new()));
        assert!(sc.is_empty(), "nothing added or dropped: no capabilities at all");
    }

    #[test]
    fn schema_is_strict_everywhere() {
        let text = serde_json::to_string(&schema()).unwrap();
        // Every object in the schema forbids extra keys (deny_unknown_fields).
        let objects = text.matches("\"properties\"").count();
        let closed = text.matches("\"additionalProperties\":false").count();
        assert_eq!(objects, closed, "{text}");
    }
}
