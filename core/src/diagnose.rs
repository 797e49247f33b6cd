//! Why pods cannot start, explained from what the deploy shell fetched (pods, events, Services).
//!
//! The shell does the IO; this module holds the knowledge: which kubelet reason means what,
//! whether waiting longer can help, and the concrete command that fixes it. The wording the
//! kubelet and scheduler use is matched as they print it (pkg/kubelet/images/image_manager.go,
//! pkg/kubelet/kubelet_pods.go, the scheduler's FailedScheduling message). [`lifecycle`]
//! predicts the same failures before anything is applied and takes its words from here, so a
//! predicted failure and an observed one read the same.
//!
//! [`lifecycle`]: crate::lifecycle

use crate::rollout::{self, RolloutStatus};
use crate::rules::workloads::{image_has_digest, image_tag};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Container, ContainerStatus, Event, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Whether waiting longer can help: the shell stops waiting early on a terminal diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Will not fix itself: something must change (an image loaded, a manifest fixed).
    Terminal,
    /// May resolve by itself (an app still starting, a retry under way) or needs no change to
    /// the pods (reaching a LoadBalancer Service).
    Transient,
}

/// One kind of problem kubeplay can explain: its ID never changes once published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DiagnosisKind {
    pub id: &'static str,
    pub title: &'static str,
    /// The word Kubernetes shows for it (`kubectl get pods` STATUS, an event reason or a
    /// condition reason), so a learner can match what they see.
    pub reason: &'static str,
    /// What it means and why it happens, for a learner.
    pub explanation: &'static str,
}

pub const IMAGE_NEVER_PULLED: DiagnosisKind = DiagnosisKind {
    id: "image-never-pulled",
    title: "Image not on the node (pull policy Never)",
    reason: "ErrImageNeverPull",
    explanation: "With imagePullPolicy Never the kubelet only uses an image already on the node and never downloads it. An image built on your machine is not inside Minikube until you load it.",
};
pub const IMAGE_PULL_FAILED: DiagnosisKind = DiagnosisKind {
    id: "image-pull-failed",
    title: "Image cannot be pulled",
    reason: "ErrImagePull / ImagePullBackOff",
    explanation: "The kubelet asked a registry for the image and failed: the name or tag does not exist there, the registry needs credentials, or the image only exists on your machine. It retries with a growing back-off (ImagePullBackOff).",
};
pub const INVALID_IMAGE_NAME: DiagnosisKind = DiagnosisKind {
    id: "invalid-image-name",
    title: "Image reference is not valid",
    reason: "InvalidImageName",
    explanation: "The image field cannot be parsed as `[registry/]repository[:tag][@digest]` (upper-case letters, spaces or a stray `:` are common causes), so nothing can be pulled.",
};
pub const MISSING_CONFIG_MAP: DiagnosisKind = DiagnosisKind {
    id: "missing-config-map",
    title: "ConfigMap not found",
    reason: "CreateContainerConfigError",
    explanation: "The container takes environment variables from a ConfigMap that does not exist in the pod's namespace. The kubelet cannot build the container's environment, so it does not create the container until the ConfigMap exists.",
};
pub const MISSING_SECRET: DiagnosisKind = DiagnosisKind {
    id: "missing-secret",
    title: "Secret not found",
    reason: "CreateContainerConfigError",
    explanation: "The container takes environment variables from a Secret that does not exist in the pod's namespace. The kubelet cannot build the container's environment, so it does not create the container until the Secret exists.",
};
pub const MISSING_CONFIG_KEY: DiagnosisKind = DiagnosisKind {
    id: "missing-config-key",
    title: "ConfigMap key not found",
    reason: "CreateContainerConfigError",
    explanation: "A configMapKeyRef names a key the ConfigMap does not have (keys are case-sensitive). Unless the reference is `optional: true`, the kubelet does not create the container.",
};
pub const MISSING_SECRET_KEY: DiagnosisKind = DiagnosisKind {
    id: "missing-secret-key",
    title: "Secret key not found",
    reason: "CreateContainerConfigError",
    explanation: "A secretKeyRef names a key the Secret does not have (keys are case-sensitive). Unless the reference is `optional: true`, the kubelet does not create the container.",
};
pub const RUNS_AS_ROOT: DiagnosisKind = DiagnosisKind {
    id: "runs-as-root",
    title: "runAsNonRoot, but the image runs as root",
    reason: "CreateContainerConfigError",
    explanation: "The container sets `securityContext.runAsNonRoot: true`, but the image's user is root (or a name the kubelet cannot check), and no `runAsUser` overrides it. The kubelet refuses to start it rather than run it as root.",
};
pub const CONTAINER_CONFIG_ERROR: DiagnosisKind = DiagnosisKind {
    id: "container-config-error",
    title: "Container configuration cannot be built",
    reason: "CreateContainerConfigError",
    explanation: "The kubelet could not assemble the container's configuration (environment, user, mounts) from the pod spec and the objects it refers to.",
};
pub const OUT_OF_MEMORY: DiagnosisKind = DiagnosisKind {
    id: "out-of-memory",
    title: "Killed for using more memory than its limit",
    reason: "OOMKilled",
    explanation: "The container used more memory than `resources.limits.memory`, so the kernel killed it (exit code 137). It is restarted and killed again while the limit stays below what the app needs.",
};
pub const EXITED_ZERO: DiagnosisKind = DiagnosisKind {
    id: "exited-zero",
    title: "The process finished, so the container keeps restarting",
    reason: "CrashLoopBackOff",
    explanation: "The container's main process exited with code 0: it did its work and returned. A Deployment's container must keep running in the foreground (a server, not a script that starts one in the background and exits); the kubelet restarts it, with a growing back-off.",
};
pub const CRASH_LOOP: DiagnosisKind = DiagnosisKind {
    id: "crash-loop",
    title: "The container keeps crashing",
    reason: "CrashLoopBackOff",
    explanation: "The container starts and its process exits with an error; the kubelet restarts it with a growing back-off (10s, 20s, ... up to 5 minutes). The reason is in the log of the previous run.",
};
pub const RUN_CONTAINER_ERROR: DiagnosisKind = DiagnosisKind {
    id: "run-container-error",
    title: "The container runtime cannot start the process",
    reason: "RunContainerError",
    explanation: "The container was created but its command could not be started: usually `command` or `args` name a program that is not in the image, or it is not executable.",
};
pub const UNSCHEDULABLE_RESOURCES: DiagnosisKind = DiagnosisKind {
    id: "unschedulable-resources",
    title: "No node has enough CPU or memory",
    reason: "Unschedulable",
    explanation: "The scheduler places a pod only on a node whose unreserved CPU and memory cover the pod's `resources.requests`. On Minikube there is one node, as big as `minikube start` made it, and other pods already use part of it.",
};
pub const UNSCHEDULABLE: DiagnosisKind = DiagnosisKind {
    id: "unschedulable",
    title: "The pod cannot be placed on any node",
    reason: "Unschedulable",
    explanation: "The scheduler found no node that satisfies the pod: its nodeSelector, affinity, tolerations, ports or volumes rule every node out.",
};
pub const READINESS_PROBE_FAILING: DiagnosisKind = DiagnosisKind {
    id: "readiness-probe-failing",
    title: "Readiness probe failing",
    reason: "Unhealthy",
    explanation: "The container runs, but its readiness probe fails, so the pod is not Ready and its Services send it no traffic. Apps that are still starting fail it for a while; one that keeps failing is probed on the wrong path or port, or does not listen on 0.0.0.0.",
};
pub const LIVENESS_PROBE_FAILING: DiagnosisKind = DiagnosisKind {
    id: "liveness-probe-failing",
    title: "Liveness probe failing",
    reason: "Unhealthy",
    explanation: "The liveness probe fails, and after failureThreshold failures in a row the kubelet kills and restarts the container. A probe that starts before the app can answer restarts it forever.",
};
pub const SERVICE_NO_ENDPOINTS: DiagnosisKind = DiagnosisKind {
    id: "service-no-endpoints",
    title: "Service has no ready endpoints",
    reason: "no endpoints",
    explanation: "A Service forwards only to pods whose labels match its selector and that are Ready. With none, connections to it are refused or time out.",
};
pub const LOAD_BALANCER_PENDING: DiagnosisKind = DiagnosisKind {
    id: "load-balancer-pending",
    title: "LoadBalancer Service has no external IP",
    reason: "<pending>",
    explanation: "A LoadBalancer Service gets its external IP from a load-balancer controller. Minikube has none running until `minikube tunnel` runs, so EXTERNAL-IP stays <pending>.",
};
pub const PROGRESS_DEADLINE_EXCEEDED: DiagnosisKind = DiagnosisKind {
    id: "progress-deadline-exceeded",
    title: "Rollout exceeded its progress deadline",
    reason: rollout::TIMED_OUT_REASON,
    explanation: "The Deployment made no progress for `progressDeadlineSeconds` (600 by default): its new pods did not become available. Kubernetes stops reporting progress; the pods' own problems say why.",
};

/// Every diagnosis kubeplay can make, in the order a pod meets them.
pub static DIAGNOSES: &[DiagnosisKind] = &[
    UNSCHEDULABLE_RESOURCES,
    UNSCHEDULABLE,
    IMAGE_NEVER_PULLED,
    IMAGE_PULL_FAILED,
    INVALID_IMAGE_NAME,
    MISSING_CONFIG_MAP,
    MISSING_SECRET,
    MISSING_CONFIG_KEY,
    MISSING_SECRET_KEY,
    RUNS_AS_ROOT,
    CONTAINER_CONFIG_ERROR,
    RUN_CONTAINER_ERROR,
    OUT_OF_MEMORY,
    EXITED_ZERO,
    CRASH_LOOP,
    LIVENESS_PROBE_FAILING,
    READINESS_PROBE_FAILING,
    SERVICE_NO_ENDPOINTS,
    LOAD_BALANCER_PENDING,
    PROGRESS_DEADLINE_EXCEEDED,
];

/// The catalogue entry for `id`.
pub fn kind(id: &str) -> Option<&'static DiagnosisKind> {
    DIAGNOSES.iter().find(|k| k.id == id)
}

/// One explained problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// A [`DIAGNOSES`] ID.
    pub id: &'static str,
    /// `Pod`, `Deployment` or `Service`.
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    pub severity: Severity,
    /// What is wrong here, in words a learner understands.
    pub message: String,
    /// A command to run or a change to make.
    pub fix: String,
    /// What Kubernetes said, word for word (kubelet message, event, log tail), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Diagnosis {
    pub fn is_terminal(&self) -> bool {
        self.severity == Severity::Terminal
    }
}

/// True when one of `diagnoses` means waiting longer will not help.
pub fn any_terminal(diagnoses: &[Diagnosis]) -> bool {
    diagnoses.iter().any(Diagnosis::is_terminal)
}

/// What the shell knows besides the pods and events.
#[derive(Debug, Clone, Default)]
pub struct DiagnoseContext {
    /// The cluster is Minikube: fixes name `minikube` commands.
    pub minikube: bool,
    /// The namespace the pods were looked for in (used when an object does not say).
    pub namespace: String,
    /// The last log lines of a container's previous run, by (pod, container).
    pub previous_logs: BTreeMap<(String, String), String>,
    /// The Deployments as fetched (with status), for the rollout's own verdict.
    pub deployments: Vec<Deployment>,
    /// The Services as fetched (with status).
    pub services: Vec<Service>,
    /// The EndpointSlices of the namespace; `None` when not fetched, which skips the
    /// no-endpoints check rather than report every Service as empty.
    pub endpoint_slices: Option<Vec<EndpointSlice>>,
}

impl DiagnoseContext {
    pub fn new(namespace: &str, minikube: bool) -> Self {
        DiagnoseContext { namespace: namespace.to_string(), minikube, ..Default::default() }
    }
    pub fn with_previous_log(mut self, pod: &str, container: &str, tail: &str) -> Self {
        self.previous_logs.insert((pod.to_string(), container.to_string()), tail.to_string());
        self
    }
    fn previous_log(&self, pod: &str, container: &str) -> Option<&str> {
        self.previous_logs
            .get(&(pod.to_string(), container.to_string()))
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
    }
}

// ---------------------------------------------------------------------------------------------
// Shared knowledge: used here on observed failures and by `lifecycle` on predicted ones.

/// What a problem means here and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub message: String,
    pub fix: String,
}

/// The pull policy Kubernetes gives a container that does not set one (SetDefaults_Container):
/// `Always` when the tag is `latest`, or when there is neither tag nor digest (the tag then
/// defaults to `latest`); `IfNotPresent` otherwise.
pub fn default_pull_policy(image: &str) -> &'static str {
    match image_tag(image) {
        Some("latest") => "Always",
        None if !image_has_digest(image) => "Always",
        _ => "IfNotPresent",
    }
}

/// The command that puts a locally built image inside Minikube.
pub fn load_image_command(image: &str) -> String {
    format!("minikube image load {image}")
}

/// An image with pull policy Never that is not on the node.
pub fn image_never_pulled(image: &str, minikube: bool) -> Advice {
    if minikube {
        Advice {
            message: format!("image `{image}` has imagePullPolicy Never, so it must already be inside Minikube; an image built with `docker build` on your machine is not until you load it"),
            fix: load_image_command(image),
        }
    } else {
        Advice {
            message: format!(
                "image `{image}` has imagePullPolicy Never, so it must already be on every node that runs the pod"
            ),
            fix: format!("push `{image}` to a registry the cluster can reach and set imagePullPolicy: IfNotPresent"),
        }
    }
}

/// A pod that could not pull `image` with `policy`.
pub fn image_pull_failed(image: &str, policy: &str, minikube: bool) -> Advice {
    let floating = matches!(image_tag(image), Some("latest") | None) && !image_has_digest(image);
    let mut message = format!("the kubelet could not pull image `{image}` from a registry");
    if floating && policy == "Always" {
        let tag = if image_tag(image).is_some() { "the tag `latest`" } else { "no tag (so `latest`)" };
        message.push_str(&format!("; the image has {tag}, so the pull policy defaulted to Always: the kubelet asks the registry on every start"));
        if minikube {
            message.push_str(", even when the image was loaded into Minikube");
        }
    }
    let fix = match (minikube, policy) {
        (true, "Always") => format!(
            "if you built it locally: `{}`, then pin a version tag (e.g. `:1.0.0`) and set imagePullPolicy: IfNotPresent so the loaded image is used",
            load_image_command(image)
        ),
        (true, _) => format!("if you built it locally: `{}`; otherwise check the name and tag exist (`docker pull {image}`)", load_image_command(image)),
        (false, _) => format!("check the name and tag exist (`docker pull {image}`); for a private registry add imagePullSecrets"),
    };
    Advice { message, fix }
}

/// How to reach a LoadBalancer Service whose external IP is pending.
pub fn load_balancer_pending(service: &str, namespace: &str, minikube: bool) -> Advice {
    if minikube {
        Advice {
            message: format!("Service `{service}` is a LoadBalancer: on Minikube its EXTERNAL-IP stays <pending> until `minikube tunnel` runs"),
            fix: format!("run `minikube tunnel` in another terminal (it asks for sudo), or get a URL without it: `minikube service {service} -n {namespace} --url`"),
        }
    } else {
        Advice {
            message: format!("Service `{service}` is a LoadBalancer, but no load-balancer controller has given it an external IP"),
            fix: format!("reach it with `kubectl port-forward -n {namespace} svc/{service} 8080:PORT`, or install a load-balancer controller (MetalLB on bare metal, `cloud-provider-kind` on kind)"),
        }
    }
}

/// Where a container takes configuration from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ConfigSource {
    ConfigMap,
    Secret,
}

impl ConfigSource {
    /// The Kubernetes kind.
    pub fn kind(self) -> &'static str {
        match self {
            ConfigSource::ConfigMap => "ConfigMap",
            ConfigSource::Secret => "Secret",
        }
    }
    /// The resource word the kubelet's "not found" errors use.
    fn kubelet_word(self) -> &'static str {
        match self {
            ConfigSource::ConfigMap => "configmap",
            ConfigSource::Secret => "secret",
        }
    }
}

/// Why the kubelet could not build a container's configuration (CreateContainerConfigError).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum ConfigError {
    MissingObject { source: ConfigSource, name: String },
    MissingKey { source: ConfigSource, namespace: String, name: String, key: String },
    RunsAsRoot { detail: String },
    Other { detail: String },
}

impl ConfigError {
    /// Read the kubelet's message (the container's waiting message). Accepts the older
    /// capitalised `Couldn't find key` too.
    pub fn parse(message: &str) -> ConfigError {
        let lower = message.to_ascii_lowercase();
        for source in [ConfigSource::ConfigMap, ConfigSource::Secret] {
            // `configmap "x" not found` / `secret "x" not found`, possibly wrapped in more text.
            let opening = format!("{} \"", source.kubelet_word());
            if let Some(start) = lower.find(&opening) {
                let rest = &message[start + opening.len()..];
                if let Some((name, after)) = rest.split_once('"') {
                    if after.starts_with(" not found") {
                        return ConfigError::MissingObject { source, name: name.to_string() };
                    }
                }
            }
            // `couldn't find key K in Secret ns/x`.
            let marker = format!(" in {} ", source.kind());
            if let (Some(start), Some(at)) = (lower.find("couldn't find key "), message.find(&marker)) {
                let key_start = start + "couldn't find key ".len();
                if key_start <= at {
                    let key = &message[key_start..at];
                    let object = message[at + marker.len()..].split_whitespace().next().unwrap_or("");
                    if let Some((namespace, name)) = object.split_once('/') {
                        return ConfigError::MissingKey {
                            source,
                            namespace: namespace.to_string(),
                            name: name.to_string(),
                            key: key.to_string(),
                        };
                    }
                }
            }
        }
        if lower.contains("runasnonroot") {
            return ConfigError::RunsAsRoot { detail: message.to_string() };
        }
        ConfigError::Other { detail: message.to_string() }
    }

    /// The kubelet's own words for this error (what `kubectl describe pod` shows).
    pub fn kubelet_message(&self) -> String {
        match self {
            ConfigError::MissingObject { source, name } => {
                format!("{} \"{name}\" not found", source.kubelet_word())
            }
            ConfigError::MissingKey { source, namespace, name, key } => {
                format!("couldn't find key {key} in {} {namespace}/{name}", source.kind())
            }
            ConfigError::RunsAsRoot { detail } | ConfigError::Other { detail } => detail.clone(),
        }
    }

    pub fn kind(&self) -> &'static DiagnosisKind {
        match self {
            ConfigError::MissingObject { source: ConfigSource::ConfigMap, .. } => &MISSING_CONFIG_MAP,
            ConfigError::MissingObject { source: ConfigSource::Secret, .. } => &MISSING_SECRET,
            ConfigError::MissingKey { source: ConfigSource::ConfigMap, .. } => &MISSING_CONFIG_KEY,
            ConfigError::MissingKey { source: ConfigSource::Secret, .. } => &MISSING_SECRET_KEY,
            ConfigError::RunsAsRoot { .. } => &RUNS_AS_ROOT,
            ConfigError::Other { .. } => &CONTAINER_CONFIG_ERROR,
        }
    }

    /// What it means and the fix, for a container in `namespace`.
    pub fn advice(&self, namespace: &str) -> Advice {
        let reason = "CreateContainerConfigError";
        match self {
            ConfigError::MissingObject { source, name } => Advice {
                message: format!(
                    "{} `{name}` does not exist in namespace `{namespace}`, so the kubelet cannot create the container ({reason}: {})",
                    source.kind(),
                    self.kubelet_message()
                ),
                fix: match source {
                    ConfigSource::ConfigMap => format!(
                        "create it (`kubectl create configmap {name} -n {namespace} --from-literal=KEY=VALUE`) or fix the name the container refers to; the kubelet retries by itself"
                    ),
                    ConfigSource::Secret => format!(
                        "create it (`kubectl create secret generic {name} -n {namespace} --from-literal=KEY=VALUE`) or fix the name the container refers to; the kubelet retries by itself"
                    ),
                },
            },
            ConfigError::MissingKey { source, name, key, .. } => Advice {
                message: format!(
                    "{} `{name}` has no key `{key}`, so the kubelet cannot create the container ({reason}: {})",
                    source.kind(),
                    self.kubelet_message()
                ),
                fix: match source {
                    ConfigSource::ConfigMap => format!(
                        "add `{key}` to the ConfigMap (`kubectl patch configmap {name} -n {namespace} -p '{{\"data\":{{\"{key}\":\"VALUE\"}}}}'`) or fix the key name (keys are case-sensitive)"
                    ),
                    ConfigSource::Secret => format!(
                        "add `{key}` to the Secret (`kubectl patch secret {name} -n {namespace} -p '{{\"stringData\":{{\"{key}\":\"VALUE\"}}}}'`) or fix the key name (keys are case-sensitive)"
                    ),
                },
            },
            ConfigError::RunsAsRoot { detail } => Advice {
                message: format!("the container must not run as root, but its image runs as root ({reason}: {detail})"),
                fix: "set `securityContext.runAsUser` to a non-zero UID (e.g. 1000), or build the image with a numeric non-root `USER`".into(),
            },
            ConfigError::Other { detail } => Advice {
                message: format!("the kubelet cannot build the container's configuration ({reason}: {detail})"),
                fix: "fix what the message names in the pod template, then apply again".into(),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Diagnosis.

/// Explain why `pods` are not running and ready, and what the context's Deployments and
/// Services add. Pods that run and are ready produce nothing.
pub fn diagnose(pods: &[Pod], events: &[Event], context: &DiagnoseContext) -> Vec<Diagnosis> {
    let mut out = Diagnoses::default();
    for pod in pods {
        diagnose_pod(pod, events, context, &mut out);
    }
    for deployment in &context.deployments {
        if let RolloutStatus::Failed(verdict) = rollout::status(deployment) {
            let name = deployment.metadata.name.clone().unwrap_or_default();
            let namespace = deployment.metadata.namespace.as_deref().unwrap_or(&context.namespace);
            let condition =
                deployment.status.iter().flat_map(|s| s.conditions.iter().flatten()).find(|c| c.type_ == "Progressing");
            out.push(Diagnosis {
                id: PROGRESS_DEADLINE_EXCEEDED.id,
                kind: "Deployment",
                name: name.clone(),
                container: None,
                severity: Severity::Terminal,
                message: format!("{verdict}: its new pods did not become available in time; the pods' diagnoses say why"),
                fix: format!(
                    "fix what the pods report, apply again (a changed pod template starts a new rollout), and check with `kubectl describe deployment {name} -n {namespace}`"
                ),
                evidence: condition.and_then(|c| c.message.clone()),
            });
        }
    }
    for service in &context.services {
        diagnose_service(service, pods, context, &mut out);
    }
    out.0
}

/// Diagnoses without repeats: one per problem, object and container.
#[derive(Default)]
struct Diagnoses(Vec<Diagnosis>, BTreeSet<(&'static str, &'static str, String, Option<String>)>);

impl Diagnoses {
    fn push(&mut self, d: Diagnosis) {
        if self.1.insert((d.id, d.kind, d.name.clone(), d.container.clone())) {
            self.0.push(d);
        }
    }
}

fn pod_diagnosis(
    kind: &DiagnosisKind,
    pod: &str,
    container: Option<&str>,
    severity: Severity,
    advice: Advice,
    evidence: Option<String>,
) -> Diagnosis {
    Diagnosis {
        id: kind.id,
        kind: "Pod",
        name: pod.to_string(),
        container: container.map(str::to_string),
        severity,
        message: advice.message,
        fix: advice.fix,
        evidence: evidence.filter(|e| !e.trim().is_empty()),
    }
}

/// Events about this pod, oldest first as the shell listed them.
fn pod_events<'a>(events: &'a [Event], pod: &'a str, namespace: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
    events.iter().filter(move |e| {
        let o = &e.involved_object;
        o.kind.as_deref() == Some("Pod")
            && o.name.as_deref() == Some(pod)
            && o.namespace.as_deref().is_none_or(|ns| ns == namespace)
    })
}

/// The container an event is about: its `fieldPath` is `spec.containers{NAME}`.
fn event_container(event: &Event) -> Option<&str> {
    let path = event.involved_object.field_path.as_deref()?;
    let start = path.find('{')? + 1;
    let end = path[start..].find('}')? + start;
    Some(&path[start..end])
}

fn spec_container<'a>(pod: &'a Pod, name: &str) -> Option<&'a Container> {
    let spec = pod.spec.as_ref()?;
    spec.containers.iter().chain(spec.init_containers.iter().flatten()).find(|c| c.name == name)
}

fn diagnose_pod(pod: &Pod, events: &[Event], context: &DiagnoseContext, out: &mut Diagnoses) {
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let namespace = pod.metadata.namespace.as_deref().unwrap_or(&context.namespace);
    let status = pod.status.as_ref();

    // Scheduling: the PodScheduled condition is authoritative; the FailedScheduling event
    // stands in while the status has not caught up.
    let unscheduled = status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .find(|c| c.type_ == "PodScheduled" && c.status == "False");
    let scheduling_message = match unscheduled {
        Some(c) if c.reason.as_deref() == Some("Unschedulable") => Some(c.message.clone().unwrap_or_default()),
        Some(_) => None,
        None if pod.spec.as_ref().is_none_or(|s| s.node_name.is_none()) => pod_events(events, name, namespace)
            .filter(|e| e.reason.as_deref() == Some("FailedScheduling"))
            .last()
            .map(|e| e.message.clone().unwrap_or_default()),
        None => None,
    };
    if let Some(message) = scheduling_message {
        out.push(unschedulable(pod, name, &message, context.minikube));
    }

    let statuses = status
        .iter()
        .flat_map(|s| s.init_container_statuses.iter().flatten().chain(s.container_statuses.iter().flatten()));
    for cs in statuses {
        diagnose_container(pod, name, namespace, cs, context, out);
    }

    // Probe failures arrive as events only (reason Unhealthy).
    for event in pod_events(events, name, namespace).filter(|e| e.reason.as_deref() == Some("Unhealthy")) {
        let message = event.message.clone().unwrap_or_default();
        let container = event_container(event);
        let ready_now = container.and_then(|c| container_status(pod, c)).is_some_and(|cs| cs.ready);
        let probe = if message.starts_with("Readiness probe failed") {
            Some((&READINESS_PROBE_FAILING, "readiness"))
        } else if message.starts_with("Liveness probe failed") {
            Some((&LIVENESS_PROBE_FAILING, "liveness"))
        } else {
            None
        };
        let Some((kind, which)) = probe else { continue };
        // Events outlive the problem by an hour; a Ready container has recovered.
        if ready_now {
            continue;
        }
        let advice = probe_advice(pod, name, namespace, container, which, &message);
        out.push(pod_diagnosis(kind, name, container, Severity::Transient, advice, Some(message)));
    }
}

fn container_status<'a>(pod: &'a Pod, container: &str) -> Option<&'a ContainerStatus> {
    let status = pod.status.as_ref()?;
    status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten())
        .find(|cs| cs.name == container)
}

fn unschedulable(pod: &Pod, name: &str, message: &str, minikube: bool) -> Diagnosis {
    // The scheduler writes `0/1 nodes are available: 1 Insufficient memory. preemption: ...`.
    let short: Vec<&str> =
        ["cpu", "memory"].into_iter().filter(|r| message.contains(&format!("Insufficient {r}"))).collect();
    if short.is_empty() {
        return pod_diagnosis(
            &UNSCHEDULABLE,
            name,
            None,
            Severity::Transient,
            Advice {
                message: format!("no node can run pod `{name}`: {}", message.trim()),
                fix: "read the scheduler's reasons above; on Minikube the single node must match the pod's nodeSelector, affinity and tolerations".into(),
            },
            Some(message.to_string()),
        );
    }
    let requested = requests_summary(pod);
    let what = short.join(" and ");
    let fix = if minikube {
        format!(
            "lower `resources.requests` ({requested}), or give Minikube more room: `minikube delete && minikube start --cpus 4 --memory 8192` (a cluster's size is fixed when it is created)"
        )
    } else {
        format!("lower `resources.requests` ({requested}), or add nodes with more {what}")
    };
    pod_diagnosis(
        &UNSCHEDULABLE_RESOURCES,
        name,
        None,
        // One node with a fixed size: nothing frees the room by itself.
        if minikube { Severity::Terminal } else { Severity::Transient },
        Advice { message: format!("no node has enough free {what} for pod `{name}`'s requests"), fix },
        Some(message.to_string()),
    )
}

/// `cpu 100m, memory 128Mi` summed over the pod's containers, as written.
fn requests_summary(pod: &Pod) -> String {
    let mut parts = Vec::new();
    for resource in ["cpu", "memory"] {
        let written: Vec<String> = pod
            .spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .filter_map(|c| c.resources.as_ref()?.requests.as_ref()?.get(resource).map(|q| q.0.clone()))
            .collect();
        if !written.is_empty() {
            parts.push(format!("{resource} {}", written.join(" + ")));
        }
    }
    if parts.is_empty() {
        "none set".into()
    } else {
        format!("now {}", parts.join(", "))
    }
}

fn diagnose_container(
    pod: &Pod,
    pod_name: &str,
    namespace: &str,
    cs: &ContainerStatus,
    context: &DiagnoseContext,
    out: &mut Diagnoses,
) {
    let container = cs.name.as_str();
    let spec = spec_container(pod, container);
    let image = spec.and_then(|c| c.image.clone()).filter(|i| !i.is_empty()).unwrap_or_else(|| cs.image.clone());
    let state = cs.state.as_ref();
    let waiting = state.and_then(|s| s.waiting.as_ref());
    let reason = waiting.and_then(|w| w.reason.as_deref()).unwrap_or("");
    let message = waiting.and_then(|w| w.message.clone()).unwrap_or_default();
    let diagnosis = |kind: &DiagnosisKind, severity: Severity, advice: Advice, evidence: Option<String>| {
        pod_diagnosis(kind, pod_name, Some(container), severity, advice, evidence)
    };
    match reason {
        "ErrImageNeverPull" => {
            out.push(diagnosis(
                &IMAGE_NEVER_PULLED,
                Severity::Terminal,
                image_never_pulled(&image, context.minikube),
                Some(message),
            ));
        }
        "ErrImagePull" | "ImagePullBackOff" => {
            let policy =
                spec.and_then(|c| c.image_pull_policy.as_deref()).unwrap_or_else(|| default_pull_policy(&image));
            // The first failure may be a network blip; the back-off, or a registry saying the
            // image does not exist, means it will not come by waiting.
            let lower = message.to_ascii_lowercase();
            let permanent = reason == "ImagePullBackOff"
                || ["not found", "pull access denied", "repository does not exist", "manifest unknown", "unauthorized"]
                    .iter()
                    .any(|m| lower.contains(m));
            let severity = if permanent { Severity::Terminal } else { Severity::Transient };
            out.push(diagnosis(
                &IMAGE_PULL_FAILED,
                severity,
                image_pull_failed(&image, policy, context.minikube),
                Some(message),
            ));
        }
        "InvalidImageName" => {
            let advice = Advice {
                message: format!("image `{image}` is not a valid image reference, so it cannot be pulled"),
                fix: "write it as `[registry/]repository[:tag]` in lower case, e.g. `todo-backend:1.0.0`".into(),
            };
            out.push(diagnosis(&INVALID_IMAGE_NAME, Severity::Terminal, advice, Some(message)));
        }
        "CreateContainerConfigError" => {
            let error = ConfigError::parse(&message);
            out.push(diagnosis(error.kind(), Severity::Terminal, error.advice(namespace), Some(message)));
        }
        "RunContainerError" | "CreateContainerError" => {
            out.push(diagnosis(
                &RUN_CONTAINER_ERROR,
                Severity::Terminal,
                run_container_error(spec, &image),
                Some(message),
            ));
        }
        "CrashLoopBackOff" => {
            let last = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref());
            let exit_code = last.map(|t| t.exit_code);
            let last_reason = last.and_then(|t| t.reason.as_deref()).unwrap_or("");
            let d = match (last_reason, exit_code) {
                ("OOMKilled", _) => diagnosis(&OUT_OF_MEMORY, Severity::Terminal, out_of_memory(spec), Some(message)),
                // containerd reports a command it could not exec as a run that ended with
                // StartError (exit code 128); Docker as ContainerCannotRun.
                ("StartError" | "ContainerCannotRun", _) => {
                    let evidence = last.and_then(|t| t.message.clone()).or(Some(message));
                    diagnosis(&RUN_CONTAINER_ERROR, Severity::Terminal, run_container_error(spec, &image), evidence)
                }
                (_, Some(0)) => diagnosis(&EXITED_ZERO, Severity::Terminal, exited_zero(spec, &image), Some(message)),
                _ => {
                    let tail = context.previous_log(pod_name, container).map(str::to_string);
                    let advice = crash_loop(pod_name, namespace, container, exit_code, tail.is_some());
                    diagnosis(&CRASH_LOOP, Severity::Terminal, advice, tail.or(Some(message)))
                }
            };
            out.push(d);
        }
        _ => {
            // Between a crash and the back-off the container shows as terminated: an OOM kill
            // is already certain, the rest is reported once the back-off starts.
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if terminated.is_some_and(|t| t.reason.as_deref() == Some("OOMKilled")) {
                out.push(diagnosis(&OUT_OF_MEMORY, Severity::Transient, out_of_memory(spec), None));
            }
        }
    }
}

fn run_container_error(spec: Option<&Container>, image: &str) -> Advice {
    let command: Vec<String> =
        spec.map(|c| c.command.iter().flatten().chain(c.args.iter().flatten()).cloned().collect()).unwrap_or_default();
    let what =
        if command.is_empty() { "the image's default command".to_string() } else { format!("`{}`", command.join(" ")) };
    Advice {
        message: format!("the container runtime could not start {what} in image `{image}`"),
        fix: format!("check that `command`/`args` name a program that exists in the image and is executable: `docker run --rm -it --entrypoint sh {image}`"),
    }
}

fn out_of_memory(spec: Option<&Container>) -> Advice {
    let limit = spec.and_then(|c| c.resources.as_ref()?.limits.as_ref()?.get("memory")).map(|q| q.0.clone());
    let fix = match &limit {
        Some(limit) => match crate::quantity::parse(limit) {
            Ok(bytes) if bytes.0 > 0.0 => {
                let doubled = (bytes.0 * 2.0 / (1024.0 * 1024.0)).ceil();
                format!("raise `resources.limits.memory` above {limit} (e.g. {doubled}Mi), then apply again; if it keeps growing, the app leaks memory")
            }
            _ => format!("raise `resources.limits.memory` above {limit}, then apply again"),
        },
        None => "set a higher `resources.limits.memory` (the limit came from a LimitRange), then apply again".into(),
    };
    let message = match &limit {
        Some(limit) => format!(
            "the container used more than its memory limit of {limit} and was killed (OOMKilled, exit code 137)"
        ),
        None => "the container ran out of memory and was killed (OOMKilled, exit code 137)".into(),
    };
    Advice { message, fix }
}

fn exited_zero(spec: Option<&Container>, image: &str) -> Advice {
    let command: Vec<String> =
        spec.map(|c| c.command.iter().flatten().chain(c.args.iter().flatten()).cloned().collect()).unwrap_or_default();
    let what = if command.is_empty() {
        format!("image `{image}`'s default command")
    } else {
        format!("`{}`", command.join(" "))
    };
    Advice {
        message: format!("{what} finished with exit code 0, so the kubelet keeps restarting the container (CrashLoopBackOff)"),
        fix: "run the server in the foreground as the container's main process (no `&`, no daemon mode, e.g. nginx's `daemon off;`), and check `command`/`args` start the server, not a one-off script".into(),
    }
}

/// What a common exit code usually means.
fn exit_code_hint(code: i32) -> Option<&'static str> {
    Some(match code {
        1 => "the app stopped with an error, often a missing setting or a failed connection at startup",
        2 => "the command was called with wrong arguments",
        126 => "the command is not executable",
        127 => "the command was not found in the image",
        128 => "the command could not be started",
        134 => "the process aborted (SIGABRT)",
        137 => "the process was killed (SIGKILL): by a failed liveness probe, or out of memory",
        139 => "the process crashed (segmentation fault)",
        143 => "the process was asked to stop (SIGTERM)",
        _ => return None,
    })
}

fn crash_loop(pod: &str, namespace: &str, container: &str, exit_code: Option<i32>, have_log: bool) -> Advice {
    let mut message = match exit_code {
        Some(code) => format!("the container keeps exiting with code {code}"),
        None => "the container keeps exiting".to_string(),
    };
    if let Some(hint) = exit_code.and_then(exit_code_hint) {
        message.push_str(&format!(": {hint}"));
    }
    if have_log {
        message.push_str("; the last lines of its previous run are below");
    }
    Advice {
        message,
        fix: format!(
            "read why in its previous run's log: `kubectl logs {pod} -c {container} -n {namespace} --previous`"
        ),
    }
}

fn probe_advice(
    pod: &Pod,
    pod_name: &str,
    namespace: &str,
    container: Option<&str>,
    which: &str,
    message: &str,
) -> Advice {
    let probe = container.and_then(|c| spec_container(pod, c)).and_then(|c| match which {
        "readiness" => c.readiness_probe.as_ref(),
        _ => c.liveness_probe.as_ref(),
    });
    let http = probe.and_then(|p| p.http_get.as_ref());
    let target = http.map(|h| {
        let port = match &h.port {
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n) => n.to_string(),
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
        };
        (port, h.path.clone().unwrap_or_else(|| "/".into()))
    });
    let lower = message.to_ascii_lowercase();
    let cause = if lower.contains("connection refused") {
        "nothing listens on the probed port yet: the app is still starting, listens on another port, or only on 127.0.0.1 (it must listen on 0.0.0.0)"
    } else if lower.contains("statuscode: 404") {
        "the probed path does not exist in the app (HTTP 404)"
    } else if lower.contains("statuscode: 5") {
        "the app answers with a server error: it is up but unhealthy (a dependency such as the database may be unreachable)"
    } else if lower.contains("deadline exceeded") || lower.contains("timeout") {
        "the app answers too slowly (more than `timeoutSeconds`, 1 second by default)"
    } else {
        "the probe does not get a 200-399 answer"
    };
    let effect = if which == "readiness" {
        "the pod is not Ready and gets no Service traffic"
    } else {
        "the kubelet restarts the container"
    };
    let check = match &target {
        Some((port, path)) => format!(
            "check by hand: `kubectl port-forward -n {namespace} pod/{pod_name} 8080:{port}` then `curl -i localhost:8080{path}`"
        ),
        None => format!("check the probe against the app: `kubectl describe pod {pod_name} -n {namespace}`"),
    };
    let slow = if which == "liveness" {
        "; if the app starts slowly, add a startupProbe or raise initialDelaySeconds"
    } else {
        "; raise initialDelaySeconds if the app starts slowly"
    };
    Advice { message: format!("the {which} probe fails: {cause}; {effect}"), fix: format!("{check}{slow}") }
}

fn diagnose_service(service: &Service, pods: &[Pod], context: &DiagnoseContext, out: &mut Diagnoses) {
    let name = service.metadata.name.as_deref().unwrap_or("");
    let namespace = service.metadata.namespace.as_deref().unwrap_or(&context.namespace);
    let spec = service.spec.as_ref();
    let type_ = spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP");
    if type_ == "LoadBalancer" {
        let ingress = service.status.as_ref().and_then(|s| s.load_balancer.as_ref()).and_then(|lb| lb.ingress.as_ref());
        if ingress.is_none_or(|i| i.is_empty()) {
            let advice = load_balancer_pending(name, namespace, context.minikube);
            out.push(Diagnosis {
                id: LOAD_BALANCER_PENDING.id,
                kind: "Service",
                name: name.to_string(),
                container: None,
                severity: Severity::Transient,
                message: advice.message,
                fix: advice.fix,
                evidence: None,
            });
        }
    }
    // Without a selector the endpoints are managed by hand; ExternalName has none at all.
    let Some(slices) = &context.endpoint_slices else {
        return;
    };
    let selector = spec.and_then(|s| s.selector.as_ref()).filter(|s| !s.is_empty());
    let Some(selector) = selector else { return };
    if type_ == "ExternalName" {
        return;
    }
    let ready: usize = slices
        .iter()
        .filter(|s| {
            s.metadata.labels.as_ref().and_then(|l| l.get("kubernetes.io/service-name")).map(String::as_str)
                == Some(name)
                && s.metadata.namespace.as_deref().is_none_or(|ns| ns == namespace)
        })
        .flat_map(|s| s.endpoints.iter())
        // EndpointSlice: a nil `ready` means unknown, which consumers treat as ready.
        .filter(|e| e.conditions.as_ref().and_then(|c| c.ready) != Some(false))
        .count();
    if ready > 0 {
        return;
    }
    let selector_text = selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    let matching = pods
        .iter()
        .filter(|p| p.metadata.namespace.as_deref().is_none_or(|ns| ns == namespace))
        .filter(|p| {
            p.metadata.labels.as_ref().is_some_and(|labels| selector.iter().all(|(k, v)| labels.get(k) == Some(v)))
        })
        .count();
    let message = if matching == 0 {
        format!("Service `{name}` has no ready endpoints: no pod has the labels {selector_text}")
    } else {
        format!("Service `{name}` has no ready endpoints: {matching} pod(s) have its labels, but none is Ready yet")
    };
    out.push(Diagnosis {
        id: SERVICE_NO_ENDPOINTS.id,
        kind: "Service",
        name: name.to_string(),
        container: None,
        severity: Severity::Transient,
        message,
        fix: format!("see which pods it selects and whether they are Ready: `kubectl get pods -n {namespace} -l {selector_text}`"),
        evidence: None,
    });
}

/// Images with pull policy Never that the nodes do not list (`node_images` as in a Node's
/// `status.images[].names`): each would fail with ErrImageNeverPull.
pub fn never_pull_images_missing(manifests: &crate::ManifestSet, node_images: &[String]) -> Vec<String> {
    let on_node: std::collections::BTreeSet<String> =
        node_images.iter().map(|i| crate::names::normalize_image(i)).collect();
    let mut missing = std::collections::BTreeSet::new();
    for (_, deployment) in manifests.deployments() {
        let pod = deployment.spec.as_ref().and_then(|s| s.template.spec.as_ref());
        for container in pod.iter().flat_map(|p| p.containers.iter().chain(p.init_containers.iter().flatten())) {
            let Some(image) = container.image.as_deref().filter(|i| !i.is_empty()) else {
                continue;
            };
            if container.image_pull_policy.as_deref() == Some("Never")
                && !on_node.contains(&crate::names::normalize_image(image))
            {
                missing.insert(image.to_string());
            }
        }
    }
    missing.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pod `web-1` in `demo` running container `web` (image `image`, memory limit 128Mi),
    /// with `container_status` (YAML for the container's status entry, indented 6) and
    /// `conditions` (indented 4, may be empty).
    fn pod(image: &str, container_status: &str, conditions: &str) -> Pod {
        let yaml = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: web-1, namespace: demo, labels: {{app: web}}}}\nspec:\n  nodeName: minikube\n  containers:\n    - name: web\n      image: \"{image}\"\n      imagePullPolicy: IfNotPresent\n      resources: {{requests: {{cpu: 500m, memory: 64Mi}}, limits: {{memory: 128Mi}}}}\n      readinessProbe: {{httpGet: {{path: /health, port: 8000}}}}\nstatus:\n  phase: Pending\n  conditions:\n{conditions}    - {{type: Initialized, status: \"True\"}}\n  containerStatuses:\n    - name: web\n      image: \"{image}\"\n      imageID: \"\"\n      ready: false\n      restartCount: 0\n{container_status}"
        );
        serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("test pod parses: {e}\n{yaml}"))
    }

    fn waiting(reason: &str, message: &str) -> String {
        format!("      state:\n        waiting:\n          reason: {reason}\n          message: {message:?}\n")
    }

    fn event(reason: &str, message: &str, field_path: Option<&str>) -> Event {
        let field_path = field_path.map(|f| format!(", fieldPath: \"{f}\"")).unwrap_or_default();
        let yaml = format!(
            "apiVersion: v1\nkind: Event\nmetadata: {{name: web-1.1, namespace: demo}}\ninvolvedObject: {{kind: Pod, name: web-1, namespace: demo{field_path}}}\nreason: {reason}\nmessage: {message:?}\ntype: Warning\n"
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    fn minikube() -> DiagnoseContext {
        DiagnoseContext::new("demo", true)
    }

    fn ids(diagnoses: &[Diagnosis]) -> Vec<&'static str> {
        diagnoses.iter().map(|d| d.id).collect()
    }

    fn only(diagnoses: Vec<Diagnosis>) -> Diagnosis {
        assert_eq!(diagnoses.len(), 1, "{diagnoses:#?}");
        diagnoses.into_iter().next().unwrap()
    }

    #[test]
    fn catalogue_ids_are_unique_kebab_case_and_explained() {
        let mut seen = BTreeSet::new();
        for kind in DIAGNOSES {
            assert!(seen.insert(kind.id), "duplicate diagnosis id {}", kind.id);
            assert!(
                kind.id
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{} is not kebab-case",
                kind.id
            );
            assert!(!kind.title.is_empty() && !kind.explanation.is_empty() && !kind.reason.is_empty(), "{}", kind.id);
            assert_eq!(super::kind(kind.id), Some(kind));
        }
    }

    #[test]
    fn a_running_ready_pod_has_nothing_to_say() {
        let mut p = pod(
            "todo-backend:1.0.0",
            "      state: {running: {startedAt: \"2025-01-01T00:00:00Z\"}}\n",
            "    - {type: PodScheduled, status: \"True\"}\n",
        );
        p.status.as_mut().unwrap().container_statuses.as_mut().unwrap()[0].ready = true;
        // An old readiness failure from while it started is history once it is Ready.
        let events = [event("Unhealthy", "Readiness probe failed: connection refused", Some("spec.containers{web}"))];
        assert_eq!(diagnose(&[p], &events, &minikube()), []);
    }

    #[test]
    fn image_never_pulled_says_minikube_image_load() {
        let message = "Container image \"todo-backend:1.0.0\" is not present with pull policy of Never";
        let d =
            only(diagnose(&[pod("todo-backend:1.0.0", &waiting("ErrImageNeverPull", message), "")], &[], &minikube()));
        assert_eq!(d.id, "image-never-pulled");
        assert_eq!((d.kind, d.name.as_str(), d.container.as_deref()), ("Pod", "web-1", Some("web")));
        assert_eq!(d.fix, "minikube image load todo-backend:1.0.0");
        assert!(d.is_terminal());
        assert_eq!(d.evidence.as_deref(), Some(message));
    }

    #[test]
    fn image_pull_back_off_on_latest_explains_the_always_default() {
        let mut p = pod(
            "todo-backend:latest",
            &waiting("ImagePullBackOff", "Back-off pulling image \"todo-backend:latest\""),
            "",
        );
        p.spec.as_mut().unwrap().containers[0].image_pull_policy = Some("Always".into());
        let d = only(diagnose(&[p], &[], &minikube()));
        assert_eq!(d.id, "image-pull-failed");
        assert!(d.message.contains("pull policy defaulted to Always"), "{}", d.message);
        assert!(d.fix.contains("minikube image load todo-backend:latest"), "{}", d.fix);
        assert!(d.is_terminal());
    }

    #[test]
    fn a_first_err_image_pull_on_a_pinned_tag_is_transient_unless_the_registry_denies_it() {
        let blip = pod("nginx:1.27", &waiting("ErrImagePull", "rpc error: code = Unknown desc = i/o timeout"), "");
        let d = only(diagnose(&[blip], &[], &minikube()));
        assert_eq!((d.id, d.severity), ("image-pull-failed", Severity::Transient));
        assert!(!d.message.contains("defaulted"), "{}", d.message);
        let denied = pod(
            "todo-frontend:1.0.0",
            &waiting("ErrImagePull", "Error response from daemon: pull access denied for todo-frontend, repository does not exist or may require 'docker login'"),
            "",
        );
        assert!(only(diagnose(&[denied], &[], &minikube())).is_terminal());
    }

    #[test]
    fn untagged_images_default_to_always_but_digests_do_not() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:latest@sha256:abc"), "Always");
        assert_eq!(default_pull_policy("nginx@sha256:abc"), "IfNotPresent");
        assert_eq!(default_pull_policy("localhost:5000/app:1.2"), "IfNotPresent");
    }

    #[test]
    fn invalid_image_name() {
        let message = "Failed to apply default image tag \"Todo-Backend:1.0\": couldn't parse image name \"Todo-Backend:1.0\": invalid reference format: repository name must be lowercase";
        let d = only(diagnose(&[pod("Todo-Backend:1.0", &waiting("InvalidImageName", message), "")], &[], &minikube()));
        assert_eq!((d.id, d.severity), ("invalid-image-name", Severity::Terminal));
    }

    #[test]
    fn missing_config_map() {
        let d = only(diagnose(
            &[pod("a:1", &waiting("CreateContainerConfigError", "configmap \"app-config\" not found"), "")],
            &[],
            &minikube(),
        ));
        assert_eq!(d.id, "missing-config-map");
        assert!(d.message.contains("ConfigMap `app-config` does not exist in namespace `demo`"), "{}", d.message);
        assert!(d.fix.contains("kubectl create configmap app-config -n demo"), "{}", d.fix);
    }

    #[test]
    fn missing_secret() {
        let d = only(diagnose(
            &[pod("a:1", &waiting("CreateContainerConfigError", "secret \"app-secrets\" not found"), "")],
            &[],
            &minikube(),
        ));
        assert_eq!(d.id, "missing-secret");
        assert!(d.fix.contains("kubectl create secret generic app-secrets -n demo"), "{}", d.fix);
    }

    #[test]
    fn missing_secret_key() {
        let message = "couldn't find key OPENAI_KEY in Secret demo/app-secrets";
        let d = only(diagnose(&[pod("a:1", &waiting("CreateContainerConfigError", message), "")], &[], &minikube()));
        assert_eq!(d.id, "missing-secret-key");
        assert!(d.message.contains("Secret `app-secrets` has no key `OPENAI_KEY`"), "{}", d.message);
        assert!(d.fix.contains("kubectl patch secret app-secrets -n demo"), "{}", d.fix);
    }

    #[test]
    fn missing_config_key_in_the_older_capitalised_wording() {
        let message = "Couldn't find key LOG_LEVEL in ConfigMap demo/app-config";
        let d = only(diagnose(&[pod("a:1", &waiting("CreateContainerConfigError", message), "")], &[], &minikube()));
        assert_eq!(d.id, "missing-config-key");
        assert!(d.message.contains("`LOG_LEVEL`"), "{}", d.message);
    }

    #[test]
    fn config_errors_round_trip_through_the_kubelet_wording() {
        let errors = [
            ConfigError::MissingObject { source: ConfigSource::ConfigMap, name: "c".into() },
            ConfigError::MissingObject { source: ConfigSource::Secret, name: "s".into() },
            ConfigError::MissingKey {
                source: ConfigSource::ConfigMap,
                namespace: "n".into(),
                name: "c".into(),
                key: "K".into(),
            },
            ConfigError::MissingKey {
                source: ConfigSource::Secret,
                namespace: "n".into(),
                name: "s".into(),
                key: "K".into(),
            },
        ];
        for error in errors {
            assert_eq!(ConfigError::parse(&error.kubelet_message()), error);
        }
    }

    #[test]
    fn runs_as_root() {
        let message =
            "container has runAsNonRoot and image will run as root (pod: \"web-1_demo(1234)\", container: web)";
        let d = only(diagnose(&[pod("a:1", &waiting("CreateContainerConfigError", message), "")], &[], &minikube()));
        assert_eq!(d.id, "runs-as-root");
        assert!(d.fix.contains("runAsUser"), "{}", d.fix);
    }

    #[test]
    fn other_config_errors_keep_the_kubelets_words() {
        let d = only(diagnose(
            &[pod(
                "a:1",
                &waiting(
                    "CreateContainerConfigError",
                    "failed to sync secret cache: timed out waiting for the condition",
                ),
                "",
            )],
            &[],
            &minikube(),
        ));
        assert_eq!(d.id, "container-config-error");
        assert!(d.message.contains("timed out waiting"), "{}", d.message);
    }

    fn crash(exit_code: i32, reason: &str) -> String {
        format!(
            "{}      lastState:\n        terminated: {{exitCode: {exit_code}, reason: {reason}}}\n",
            waiting("CrashLoopBackOff", "back-off 40s restarting failed container=web pod=web-1_demo(1234)")
        )
    }

    #[test]
    fn crash_loop_after_oom_says_raise_the_memory_limit() {
        let d = only(diagnose(&[pod("a:1", &crash(137, "OOMKilled"), "")], &[], &minikube()));
        assert_eq!(d.id, "out-of-memory");
        assert!(d.message.contains("128Mi"), "{}", d.message);
        assert!(d.fix.contains("resources.limits.memory") && d.fix.contains("256Mi"), "{}", d.fix);
    }

    #[test]
    fn crash_loop_with_exit_code_zero_says_stay_in_the_foreground() {
        let d = only(diagnose(&[pod("a:1", &crash(0, "Completed"), "")], &[], &minikube()));
        assert_eq!(d.id, "exited-zero");
        assert!(d.fix.contains("foreground"), "{}", d.fix);
    }

    #[test]
    fn crash_loop_with_an_error_shows_the_previous_log_tail() {
        let context = minikube().with_previous_log("web-1", "web", "KeyError: 'DATABASE_URL'\n");
        let d = only(diagnose(&[pod("a:1", &crash(1, "Error"), "")], &[], &context));
        assert_eq!(d.id, "crash-loop");
        assert!(d.message.contains("code 1"), "{}", d.message);
        assert_eq!(d.evidence.as_deref(), Some("KeyError: 'DATABASE_URL'\n"));
        assert_eq!(d.fix, "read why in its previous run's log: `kubectl logs web-1 -c web -n demo --previous`");
    }

    #[test]
    fn run_container_error() {
        let message = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"uvicorn\": executable file not found in $PATH: unknown";
        let d = only(diagnose(&[pod("a:1", &waiting("RunContainerError", message), "")], &[], &minikube()));
        assert_eq!((d.id, d.severity), ("run-container-error", Severity::Terminal));
        assert!(d.evidence.unwrap().contains("executable file not found"));
    }

    #[test]
    fn a_start_error_in_the_last_run_is_a_run_container_error_not_a_crash() {
        let d = only(diagnose(&[pod("a:1", &crash(128, "StartError"), "")], &[], &minikube()));
        assert_eq!(d.id, "run-container-error");
    }

    #[test]
    fn unschedulable_for_memory_on_minikube() {
        let mut p = pod("a:1", "      state: {waiting: {reason: ContainerCreating}}\n", "");
        p.spec.as_mut().unwrap().node_name = None;
        p.status.as_mut().unwrap().container_statuses = None;
        let conditions = "    - type: PodScheduled\n      status: \"False\"\n      reason: Unschedulable\n      message: \"0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.\"\n";
        let mut from_condition = pod("a:1", "      state: {waiting: {reason: ContainerCreating}}\n", conditions);
        from_condition.status.as_mut().unwrap().container_statuses = None;
        let d = only(diagnose(&[from_condition], &[], &minikube()));
        assert_eq!((d.id, d.severity, d.container.as_deref()), ("unschedulable-resources", Severity::Terminal, None));
        assert!(d.message.contains("memory") && !d.message.contains("cpu"), "{}", d.message);
        assert!(d.fix.contains("minikube start --cpus") && d.fix.contains("memory 64Mi"), "{}", d.fix);

        // The event alone (status not updated yet) says the same.
        let events = [event("FailedScheduling", "0/1 nodes are available: 1 Insufficient cpu.", None)];
        let d = only(diagnose(&[p], &events, &minikube()));
        assert_eq!(d.id, "unschedulable-resources");
        assert!(d.message.contains("cpu"), "{}", d.message);
    }

    #[test]
    fn unschedulable_for_other_reasons() {
        let conditions = "    - {type: PodScheduled, status: \"False\", reason: Unschedulable, message: \"0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.\"}\n";
        let mut p = pod("a:1", "", conditions);
        p.status.as_mut().unwrap().container_statuses = None;
        let d = only(diagnose(&[p], &[], &minikube()));
        assert_eq!((d.id, d.severity), ("unschedulable", Severity::Transient));
        assert!(d.message.contains("node affinity/selector"), "{}", d.message);
    }

    #[test]
    fn failing_readiness_probe_names_the_cause_and_a_check() {
        let running = "      state: {running: {startedAt: \"2025-01-01T00:00:00Z\"}}\n";
        let events = [event(
            "Unhealthy",
            "Readiness probe failed: Get \"http://10.244.0.7:8000/health\": dial tcp 10.244.0.7:8000: connect: connection refused",
            Some("spec.containers{web}"),
        )];
        let d = only(diagnose(&[pod("a:1", running, "")], &events, &minikube()));
        assert_eq!(
            (d.id, d.severity, d.container.as_deref()),
            ("readiness-probe-failing", Severity::Transient, Some("web"))
        );
        assert!(d.message.contains("0.0.0.0"), "{}", d.message);
        assert!(
            d.fix.contains("kubectl port-forward -n demo pod/web-1 8080:8000")
                && d.fix.contains("localhost:8080/health"),
            "{}",
            d.fix
        );
    }

    #[test]
    fn failing_liveness_probe() {
        let running = "      state: {running: {startedAt: \"2025-01-01T00:00:00Z\"}}\n";
        let events = [event(
            "Unhealthy",
            "Liveness probe failed: HTTP probe failed with statuscode: 404",
            Some("spec.containers{web}"),
        )];
        let d = only(diagnose(&[pod("a:1", running, "")], &events, &minikube()));
        assert_eq!(d.id, "liveness-probe-failing");
        assert!(d.message.contains("404") && d.message.contains("restarts"), "{}", d.message);
    }

    fn service(type_: &str) -> Service {
        serde_yaml::from_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: demo}}\nspec:\n  type: {type_}\n  selector: {{app: web}}\n  ports: [{{port: 80, targetPort: 8000}}]\nstatus: {{loadBalancer: {{}}}}\n"
        ))
        .unwrap()
    }

    fn slice(ready: bool) -> EndpointSlice {
        serde_yaml::from_str(&format!(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-abcde\n  namespace: demo\n  labels: {{kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n  - addresses: [10.244.0.7]\n    conditions: {{ready: {ready}}}\n"
        ))
        .unwrap()
    }

    #[test]
    fn a_service_with_no_ready_endpoints() {
        let mut context = minikube();
        context.services = vec![service("ClusterIP")];
        context.endpoint_slices = Some(vec![slice(false)]);
        let running = pod("a:1", "      state: {running: {startedAt: \"2025-01-01T00:00:00Z\"}}\n", "");
        let diagnoses = diagnose(&[running], &[], &context);
        let d = only(diagnoses);
        assert_eq!((d.id, d.kind, d.name.as_str()), ("service-no-endpoints", "Service", "web"));
        assert!(d.message.contains("1 pod(s) have its labels"), "{}", d.message);
        assert_eq!(
            d.fix,
            "see which pods it selects and whether they are Ready: `kubectl get pods -n demo -l app=web`"
        );

        context.endpoint_slices = Some(vec![slice(true)]);
        assert_eq!(diagnose(&[], &[], &context), []);
        // Not fetched: no guessing.
        context.endpoint_slices = None;
        assert_eq!(diagnose(&[], &[], &context), []);
    }

    #[test]
    fn a_pending_load_balancer_on_minikube_says_minikube_tunnel() {
        let mut context = minikube();
        context.services = vec![service("LoadBalancer")];
        let d = only(diagnose(&[], &[], &context));
        assert_eq!((d.id, d.severity), ("load-balancer-pending", Severity::Transient));
        assert!(d.fix.contains("minikube tunnel") && d.fix.contains("minikube service web -n demo --url"), "{}", d.fix);
        let mut served = service("LoadBalancer");
        served.status = serde_yaml::from_str("loadBalancer: {ingress: [{ip: 10.96.1.1}]}").unwrap();
        context.services = vec![served];
        assert_eq!(diagnose(&[], &[], &context), []);
    }

    #[test]
    fn progress_deadline_exceeded_comes_from_the_rollout() {
        let deployment: Deployment = serde_yaml::from_str(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: demo, generation: 1}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: \"a:1\"}]}}\nstatus:\n  observedGeneration: 1\n  replicas: 1\n  updatedReplicas: 1\n  unavailableReplicas: 1\n  conditions:\n    - {type: Progressing, status: \"False\", reason: ProgressDeadlineExceeded, message: \"ReplicaSet \\\"web-5d8f7c9b4\\\" has timed out progressing.\"}\n",
        )
        .unwrap();
        let mut context = minikube();
        context.deployments = vec![deployment];
        let d = only(diagnose(&[], &[], &context));
        assert_eq!((d.id, d.kind, d.severity), ("progress-deadline-exceeded", "Deployment", Severity::Terminal));
        assert!(d.message.starts_with("deployment \"web\" exceeded its progress deadline"), "{}", d.message);
        assert_eq!(d.evidence.as_deref(), Some("ReplicaSet \"web-5d8f7c9b4\" has timed out progressing."));
    }

    #[test]
    fn replicas_with_the_same_problem_are_each_reported_once() {
        let message = "Container image \"a:1\" is not present with pull policy of Never";
        let p = pod("a:1", &waiting("ErrImageNeverPull", message), "");
        let mut other = p.clone();
        other.metadata.name = Some("web-2".into());
        let diagnoses = diagnose(&[p.clone(), p, other], &[], &minikube());
        assert_eq!(ids(&diagnoses), ["image-never-pulled", "image-never-pulled"]);
        assert!(any_terminal(&diagnoses));
    }

    #[test]
    fn diagnoses_serialize_for_the_browser() {
        let d = only(diagnose(&[pod("a:1", &waiting("ErrImageNeverPull", "x"), "")], &[], &minikube()));
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["id"], "image-never-pulled");
        assert_eq!(json["severity"], "terminal");
        assert_eq!(json["container"], "web");
    }

    #[test]
    fn never_pull_images_the_node_lacks_are_listed() {
        let set = crate::analyze_values(&Default::default(), None, crate::Profile::Minikube).manifests;
        let on_node = vec!["docker.io/library/todo-backend:1.0.0".to_string()];
        assert_eq!(never_pull_images_missing(&set, &on_node), ["todo-frontend:1.0.0"]);
        assert_eq!(never_pull_images_missing(&set, &[]).len(), 2);
    }
}
