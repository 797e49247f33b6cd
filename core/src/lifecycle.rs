//! What each workload's pods will go through once applied, predicted from the manifests alone.
//!
//! For the browser's lifecycle view and `kubeplay apply`'s preflight: scheduled, image, config,
//! started, probes, ready, Service endpoints, external access; each step ok, needing an action
//! from the learner, or certain to fail. A predicted failure names the [`diagnose`] catalogue
//! entry it would show up as and uses the same words and fix, so preflight and the live
//! diagnosis agree. Broken references and empty secrets come from the rules themselves
//! (`env-ref-missing-object`, `env-ref-missing-key`, `empty-secret-value`), not a second copy.

use crate::diagnose::{self, Advice, ConfigError, ConfigSource, DiagnosisKind};
use crate::manifest::network_policy::Isolation;
use crate::manifest::workload::{self, ContainerRef, Workload};
use crate::manifest::{ManifestSet, Object, WorkloadKind};
use crate::path::FieldPath;
use crate::quantity;
use crate::rules::workloads::port_ref_text;
use crate::rules::{self, ManifestFinding};
use k8s_openapi::api::core::v1::{Container, Probe, Service};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The CPUs a Minikube node gets when `minikube start` is not told otherwise.
const MINIKUBE_DEFAULT_CPUS: i128 = 2;
/// [`quantity::nanos`] of one CPU.
const NANOS_PER_CORE: i128 = 1_000_000_000;
/// `spec.progressDeadlineSeconds` when a Deployment does not set it.
const DEFAULT_PROGRESS_DEADLINE_SECONDS: i32 = 600;

/// A step of a pod's life, in the order pods go through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Scheduled,
    Image,
    Config,
    Started,
    Probes,
    Ready,
    Endpoints,
    ExternalAccess,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Scheduled,
        Stage::Image,
        Stage::Config,
        Stage::Started,
        Stage::Probes,
        Stage::Ready,
        Stage::Endpoints,
        Stage::ExternalAccess,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Stage::Scheduled => "Scheduled on a node",
            Stage::Image => "Image present",
            Stage::Config => "Environment from ConfigMaps and Secrets",
            Stage::Started => "Container started",
            Stage::Probes => "Probes",
            Stage::Ready => "Ready",
            Stage::Endpoints => "Service endpoints",
            Stage::ExternalAccess => "Access from your machine",
        }
    }
}

/// How a step will go. Ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    Ok,
    /// Works once the learner does something (load an image, start a tunnel, give a secret).
    NeedsAction,
    /// Fails as the manifests stand.
    WillFail,
}

/// One thing said about a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub state: StepState,
    /// The container it is about, for per-container steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    pub text: String,
    /// A command to run or a change to make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The [`diagnose::DIAGNOSES`] entry this shows up as once applied, if it goes wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<&'static str>,
    /// The [`crate::RULES`] entry that finds this in the manifests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// The rule's own finding, word for word (it may suggest a fix, e.g. a near-miss key name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Note {
    fn new(state: StepState, container: Option<&str>, text: impl Into<String>) -> Self {
        Note {
            state,
            container: container.map(str::to_string),
            text: text.into(),
            fix: None,
            diagnosis: None,
            rule: None,
            detail: None,
        }
    }
    fn ok(container: Option<&str>, text: impl Into<String>) -> Self {
        Note::new(StepState::Ok, container, text)
    }
    fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
    fn with_diagnosis(mut self, kind: &DiagnosisKind) -> Self {
        self.diagnosis = Some(kind.id);
        self
    }
    fn with_rule(mut self, rule: &'static str) -> Self {
        self.rule = Some(rule);
        self
    }
    /// Take the fix of shared advice (the note keeps its own text, worded for a prediction).
    fn with_advice(mut self, advice: Advice) -> Self {
        self.fix = Some(advice.fix);
        self
    }
}

/// One stage of the pods' life with what is said about it; its state is its worst note's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub stage: Stage,
    pub title: &'static str,
    pub state: StepState,
    pub notes: Vec<Note>,
}

impl Step {
    fn new(stage: Stage, notes: Vec<Note>) -> Self {
        let state = notes.iter().map(|n| n.state).max().unwrap_or(StepState::Ok);
        Step { stage, title: stage.title(), state, notes }
    }
}

/// The predicted life of one workload's pods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    /// `Deployment`, `StatefulSet`, `Job`, ...
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
    /// Pods that run at once (one per node for a DaemonSet: Minikube has one node).
    pub replicas: i32,
    /// One per [`Stage`], in order.
    pub steps: Vec<Step>,
}

impl Lifecycle {
    /// The worst state of any step.
    pub fn state(&self) -> StepState {
        self.steps.iter().map(|s| s.state).max().unwrap_or(StepState::Ok)
    }
    pub fn step(&self, stage: Stage) -> Option<&Step> {
        self.steps.iter().find(|s| s.stage == stage)
    }
}

/// Predict every workload's pods' life when `set` is applied. `secrets_given` are the Secret
/// keys the learner gives at deploy time (`kubeplay apply --secret KEY=VALUE`): their empty
/// values in the manifests are filled then. `minikube` says the target is Minikube.
pub fn predict(set: &ManifestSet, secrets_given: &[String], minikube: bool) -> Vec<Lifecycle> {
    let findings = Findings::of(set);
    let floors = workload::autoscaled_floors(set);
    let isolation = Isolation::new(set);
    set.workloads()
        .map(|w| {
            let index = w.resource;
            let namespace = set.namespace_of(index).to_string();
            let containers: Vec<ContainerRef> = w.all_containers().collect();
            let scheduled = scheduled_step(&w, &containers, minikube);
            let image = Step::new(Stage::Image, containers.iter().map(|c| image_note(c.container, minikube)).collect());
            let config = config_step(set, &findings, &containers, &namespace, secrets_given);
            let main: Vec<&ContainerRef> = containers.iter().filter(|c| !c.init).collect();
            let started = Step::new(Stage::Started, main.iter().map(|c| started_note(c)).collect());
            let probes = Step::new(Stage::Probes, main.iter().flat_map(|c| probe_notes(c.container)).collect());
            let ready = ready_step(&w, [&scheduled, &image, &config, &started]);
            let services = selecting_services(set, index);
            let endpoints = endpoints_step(&services, &namespace, ready.state);
            let mut reach = ingress_notes(set, &services, &namespace, minikube);
            reach.extend(isolation_note(set, isolation.of(index), minikube));
            let access = access_step(&services, reach, &namespace, minikube);
            Lifecycle {
                kind: w.kind.as_str(),
                name: w.name().to_string(),
                namespace,
                replicas: floors.get(&index).copied().unwrap_or_else(|| replicas(&w)),
                steps: vec![scheduled, image, config, started, probes, ready, endpoints, access],
            }
        })
        .collect()
}

/// The pods that run at once: `replicas` (default 1), a Job's parallelism, one per node for a
/// DaemonSet (Minikube has one node), one for a bare Pod.
fn replicas(w: &Workload) -> i32 {
    match w.kind {
        WorkloadKind::DaemonSet | WorkloadKind::Pod => 1,
        WorkloadKind::Job | WorkloadKind::CronJob => {
            let c = w.controller();
            let completions = c.and_then(|c| c.completions).unwrap_or(1);
            c.and_then(|c| c.parallelism).unwrap_or(1).min(completions.max(1))
        }
        _ => w.replicas.unwrap_or(1),
    }
}

// ---------------------------------------------------------------------------------------------
// What the rules find, indexed for the steps.

/// The rules whose findings become lifecycle notes.
const MISSING_OBJECT_RULE: &str = "env-ref-missing-object";
const MISSING_KEY_RULE: &str = "env-ref-missing-key";
const EMPTY_SECRET_RULE: &str = "empty-secret-value";

/// Run one manifest rule of the catalogue on `set` (whatever its severity in a profile: a
/// prediction needs its findings either way).
fn run_rule(id: &'static str, set: &ManifestSet) -> Vec<ManifestFinding> {
    rules::run(id, set).map(|sink| sink.findings).unwrap_or_default()
}

struct Findings {
    /// Broken env references: (Deployment index, field) -> (rule, message).
    broken_refs: Vec<(usize, FieldPath, &'static str, String)>,
    /// Empty Secret keys: (Secret index, key).
    empty_secret_keys: BTreeSet<(usize, String)>,
}

impl Findings {
    fn of(set: &ManifestSet) -> Self {
        let broken_refs = [MISSING_OBJECT_RULE, MISSING_KEY_RULE]
            .into_iter()
            .flat_map(|rule| run_rule(rule, set).into_iter().map(move |f| (f.resource, f.field, rule, f.message)))
            .collect();
        // The rule reports `data.KEY` or `stringData.KEY` of the Secret.
        let empty_secret_keys = run_rule(EMPTY_SECRET_RULE, set)
            .into_iter()
            .filter_map(|f| match f.field.0.last() {
                Some(crate::path::Segment::Key(key)) => Some((f.resource, key.clone())),
                _ => None,
            })
            .collect();
        Findings { broken_refs, empty_secret_keys }
    }

    /// The broken-reference finding at or below `field` of Deployment `resource`.
    fn broken_at(&self, resource: usize, field: &FieldPath) -> Option<(&'static str, &str)> {
        self.broken_refs
            .iter()
            .find(|(r, f, _, _)| *r == resource && f.starts_with(field))
            .map(|(_, _, rule, message)| (*rule, message.as_str()))
    }
}

// ---------------------------------------------------------------------------------------------
// Steps.

fn scheduled_step(w: &Workload, containers: &[ContainerRef], minikube: bool) -> Step {
    let pods = replicas(w);
    let requests = |resource: &str| -> Vec<String> {
        containers
            .iter()
            .filter_map(|c| c.container.resources.as_ref()?.requests.as_ref()?.get(resource).map(|q| q.0.clone()))
            .collect()
    };
    let (cpu, memory) = (requests("cpu"), requests("memory"));
    let mut notes = Vec::new();
    if cpu.is_empty() && memory.is_empty() {
        notes.push(Note::ok(None, format!("{pods} pod(s); no resource requests, so the scheduler sets nothing aside for them and places them on any node")));
    } else {
        let mut parts = Vec::new();
        if !cpu.is_empty() {
            parts.push(format!("cpu {}", cpu.join(" + ")));
        }
        if !memory.is_empty() {
            parts.push(format!("memory {}", memory.join(" + ")));
        }
        notes.push(Note::ok(
            None,
            format!("{pods} pod(s), each placed on a node with {} unreserved (its requests)", parts.join(" and ")),
        ));
    }
    // Summed exactly, in billionths of a core: `100m` + `200m` is 0.3, not 0.30000000000000004.
    let nanos = cpu.iter().filter_map(|q| quantity::nanos(q).ok()).fold(0i128, i128::saturating_add);
    if minikube && nanos > MINIKUBE_DEFAULT_CPUS * NANOS_PER_CORE {
        notes.push(
            Note::new(
                StepState::NeedsAction,
                None,
                format!("each pod requests {} CPUs, more than a default Minikube node has ({MINIKUBE_DEFAULT_CPUS}): it stays Pending (Unschedulable) unless Minikube was started bigger", quantity::decimal(nanos)),
            )
            .with_diagnosis(&diagnose::UNSCHEDULABLE_RESOURCES)
            .with_fix(format!(
                "lower `resources.requests.cpu`, or `minikube delete && minikube start --cpus {}`",
                // Whole CPUs, rounded up, plus one.
                nanos.saturating_add(NANOS_PER_CORE - 1) / NANOS_PER_CORE + 1
            )),
        );
    }
    Step::new(Stage::Scheduled, notes)
}

fn image_note(container: &Container, minikube: bool) -> Note {
    let name = Some(container.name.as_str());
    let Some(image) = container.image.as_deref().filter(|i| !i.trim().is_empty()) else {
        return Note::new(
            StepState::WillFail,
            name,
            "no image: the API server rejects a Deployment whose container has none",
        )
        .with_rule("image-reference");
    };
    let (policy, defaulted) = match container.image_pull_policy.as_deref() {
        Some(policy) => (policy, false),
        None => (diagnose::default_pull_policy(image), true),
    };
    match policy {
        "Never" => {
            let advice = diagnose::image_never_pulled(image, minikube);
            let text = if minikube {
                format!("imagePullPolicy Never: the image must be loaded with `{}` before the pod starts, or it fails with ErrImageNeverPull", diagnose::load_image_command(image))
            } else {
                format!("{}, or the pod fails with ErrImageNeverPull", advice.message)
            };
            Note::new(StepState::NeedsAction, name, text)
                .with_advice(advice)
                .with_diagnosis(&diagnose::IMAGE_NEVER_PULLED)
                .with_rule("pull-policy-never")
        }
        "Always" if defaulted && minikube => {
            let advice = diagnose::image_pull_failed(image, "Always", minikube);
            let text = format!(
                "`{image}` has no version tag, so imagePullPolicy defaults to Always: every start pulls it from a registry, and an image you built locally is not there (ErrImagePull), even after `{}`",
                diagnose::load_image_command(image)
            );
            Note::new(StepState::NeedsAction, name, text)
                .with_advice(advice)
                .with_diagnosis(&diagnose::IMAGE_PULL_FAILED)
                .with_rule("latest-tag")
        }
        "Always" => {
            Note::ok(name, format!("`{image}` is pulled from its registry on every start (imagePullPolicy Always)"))
        }
        _ => {
            let local = if minikube {
                format!("; for an image built on your machine, `{}` puts it there", diagnose::load_image_command(image))
            } else {
                String::new()
            };
            Note::ok(name, format!("`{image}` is pulled from its registry unless the node already has it (imagePullPolicy IfNotPresent){local}"))
        }
    }
}

/// One ConfigMap/Secret reference of a container, as the lifecycle view needs it.
struct EnvRef<'a> {
    source: ConfigSource,
    name: &'a str,
    /// The key taken; `None` for `envFrom` (every key).
    key: Option<&'a str>,
    /// `env[j]` or `envFrom[j]` of the container: where the rules report it.
    field: FieldPath,
}

fn env_refs<'a>(c: &ContainerRef<'a>) -> Vec<EnvRef<'a>> {
    workload::env_references(c)
        .map(|r| EnvRef {
            source: if r.kind == "Secret" { ConfigSource::Secret } else { ConfigSource::ConfigMap },
            name: r.name,
            key: r.key.map(|(_, key)| key),
            field: r.entry(),
        })
        .collect()
}

fn config_step(
    set: &ManifestSet,
    findings: &Findings,
    containers: &[ContainerRef],
    namespace: &str,
    secrets_given: &[String],
) -> Step {
    let mut notes = Vec::new();
    for c in containers {
        let container = Some(c.container.name.as_str());
        // Keys taken per object, for the summary of what works.
        let mut taken: BTreeMap<(ConfigSource, &str), Vec<&str>> = BTreeMap::new();
        for r in env_refs(c) {
            if let Some((rule, message)) = findings.broken_at(c.resource(), &r.field) {
                let error = match (rule, r.key) {
                    (MISSING_KEY_RULE, Some(key)) => ConfigError::MissingKey {
                        source: r.source,
                        namespace: namespace.to_string(),
                        name: r.name.to_string(),
                        key: key.to_string(),
                    },
                    _ => ConfigError::MissingObject { source: r.source, name: r.name.to_string() },
                };
                let advice = error.advice(namespace);
                let mut note =
                    Note::new(StepState::WillFail, container, format!("the pod will fail: {}", advice.message))
                        .with_diagnosis(error.kind())
                        .with_rule(rule)
                        .with_advice(advice);
                note.detail = Some(message.to_string());
                notes.push(note);
                continue;
            }
            let entry = taken.entry((r.source, r.name)).or_default();
            entry.push(r.key.unwrap_or("every key"));
            if r.source != ConfigSource::Secret {
                continue;
            }
            // Empty values of this Secret that this reference takes.
            let Some((secret_index, _)) = set.find("Secret", namespace, r.name) else {
                continue;
            };
            let empty: Vec<&str> = findings
                .empty_secret_keys
                .iter()
                .filter(|(i, key)| *i == secret_index && r.key.is_none_or(|k| k == key.as_str()))
                .map(|(_, key)| key.as_str())
                .collect();
            for key in empty {
                if secrets_given.iter().any(|given| given == key) {
                    notes.push(Note::ok(container, format!("{key} is given at deploy time")));
                } else {
                    notes.push(
                        Note::new(
                            StepState::NeedsAction,
                            container,
                            format!("the app starts with an empty {key} unless given at deploy time (`kubeplay apply --secret {key}=VALUE`)"),
                        )
                        .with_fix(format!("kubeplay apply --secret {key}=VALUE"))
                        .with_rule(EMPTY_SECRET_RULE),
                    );
                }
            }
        }
        for ((source, name), keys) in taken {
            notes.push(Note::ok(container, format!("takes {} from {} `{name}`", keys.join(", "), source.kind())));
        }
    }
    if notes.is_empty() {
        notes.push(Note::ok(None, "no environment from ConfigMaps or Secrets"));
    }
    // Failures first: they decide the step.
    crate::sort::by_key(&mut notes, |n| std::cmp::Reverse(n.state));
    Step::new(Stage::Config, notes)
}

fn started_note(c: &ContainerRef) -> Note {
    let container = Some(c.container.name.as_str());
    let run_as_user = c
        .container
        .security_context
        .as_ref()
        .and_then(|s| s.run_as_user)
        .or_else(|| c.workload.pod_spec?.security_context.as_ref()?.run_as_user);
    let non_root = c
        .container
        .security_context
        .as_ref()
        .and_then(|s| s.run_as_non_root)
        .or_else(|| c.workload.pod_spec?.security_context.as_ref()?.run_as_non_root);
    if non_root == Some(true) && run_as_user.is_none() {
        return Note::new(
            StepState::NeedsAction,
            container,
            "runAsNonRoot without a runAsUser: the image must declare a numeric non-root USER, or the kubelet refuses to start it (CreateContainerConfigError)",
        )
        .with_diagnosis(&diagnose::RUNS_AS_ROOT)
        .with_fix("set `securityContext.runAsUser` to a non-zero UID, e.g. 1000");
    }
    let command: Vec<&str> =
        c.container.command.iter().flatten().chain(c.container.args.iter().flatten()).map(String::as_str).collect();
    let what =
        if command.is_empty() { "the image's default command".to_string() } else { format!("`{}`", command.join(" ")) };
    let user = run_as_user.map(|uid| format!(" as user {uid}")).unwrap_or_default();
    Note::ok(
        container,
        format!(
            "runs {what}{user}; it must keep running in the foreground, or the container restarts (CrashLoopBackOff)"
        ),
    )
    .with_diagnosis(&diagnose::EXITED_ZERO)
}

/// What a probe checks (`GET /health on port http`) and what passing means (`answers 200-399`).
fn probe_check(probe: &Probe) -> (String, &'static str) {
    if let Some(http) = &probe.http_get {
        (
            format!("GET {} on port {}", http.path.as_deref().unwrap_or("/"), port_ref_text(&http.port)),
            "answers 200-399",
        )
    } else if let Some(tcp) = &probe.tcp_socket {
        (format!("a connection to port {}", port_ref_text(&tcp.port)), "is accepted")
    } else if let Some(grpc) = &probe.grpc {
        (format!("the gRPC health check on port {}", grpc.port), "says SERVING")
    } else if let Some(exec) = &probe.exec {
        (format!("`{}`", exec.command.iter().flatten().cloned().collect::<Vec<_>>().join(" ")), "exits with 0")
    } else {
        ("its check".to_string(), "passes")
    }
}

fn probe_notes(container: &Container) -> Vec<Note> {
    let name = Some(container.name.as_str());
    let mut notes = Vec::new();
    // Kubernetes' defaults: no initial delay, every 10s, 3 failures in a row.
    match &container.readiness_probe {
        Some(p) => {
            let (what, passing) = probe_check(p);
            let (delay, period) = (p.initial_delay_seconds.unwrap_or(0), p.period_seconds.unwrap_or(10));
            notes.push(
                Note::ok(
                    name,
                    format!("Ready once {what} {passing} (first check after {delay}s, then every {period}s)"),
                )
                .with_diagnosis(&diagnose::READINESS_PROBE_FAILING),
            );
        }
        None => notes
            .push(Note::ok(name, "no readiness probe: Ready as soon as the process starts, maybe before it can serve")),
    }
    if let Some(p) = &container.liveness_probe {
        let (what, _) = probe_check(p);
        let (delay, period, failures) =
            (p.initial_delay_seconds.unwrap_or(0), p.period_seconds.unwrap_or(10), p.failure_threshold.unwrap_or(3));
        notes.push(
            Note::ok(
                name,
                format!(
                    "restarted when {what} fails {failures} times in a row (checked every {period}s after {delay}s)"
                ),
            )
            .with_diagnosis(&diagnose::LIVENESS_PROBE_FAILING),
        );
    }
    notes
}

fn ready_step(w: &Workload, before: [&Step; 4]) -> Step {
    let pods = replicas(w);
    let controller = w.controller();
    let deadline = match w.object {
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.progress_deadline_seconds),
        _ => None,
    }
    .unwrap_or(DEFAULT_PROGRESS_DEADLINE_SECONDS);
    // An empty secret (the Config step's only action) does not stop a pod from starting; an
    // image to load or a config that cannot be built does.
    let blocking = before
        .iter()
        .map(|s| if s.stage == Stage::Config && s.state == StepState::NeedsAction { StepState::Ok } else { s.state })
        .max()
        .unwrap_or(StepState::Ok);
    let done = match w.kind {
        WorkloadKind::Deployment => {
            format!("{pods} pod(s) become Ready; the rollout is done when all of them are available")
        }
        WorkloadKind::StatefulSet => {
            let name = w.name();
            if controller.and_then(|c| c.pod_management_policy.as_deref()) == Some("Parallel") {
                format!("{pods} pod(s) `{name}-0` .. start together (podManagementPolicy: Parallel), each keeping its name and volumes across restarts")
            } else {
                format!("{pods} pod(s) start one at a time in order, `{name}-0` first, each only once the one before is Ready; each keeps its name and volumes across restarts")
            }
        }
        WorkloadKind::DaemonSet => {
            "one pod per node becomes Ready (Minikube has one node); a node added later gets its own".to_string()
        }
        WorkloadKind::Job => {
            let completions = controller.and_then(|c| c.completions).unwrap_or(1);
            let retries = controller.and_then(|c| c.backoff_limit).unwrap_or(6);
            let hook = match crate::manifest::hooks::run_in(w.metadata, true) {
                crate::manifest::hooks::HookRun::Before => "; a Helm hook run before the release's other objects, which are applied only once it is complete (`helm install` and `kubeplay apply` alike)",
                crate::manifest::hooks::HookRun::After => match crate::manifest::hooks::run_in(w.metadata, false) {
                    crate::manifest::hooks::HookRun::Before => "; a Helm hook run after the release's other objects on the first install (once they are applied and ready, with `helm install --wait` and `kubeplay apply`), before them on every upgrade",
                    _ => "; a Helm hook run after the release's other objects on the first install (once they are applied and ready, with `helm install --wait` and `kubeplay apply`)",
                },
                crate::manifest::hooks::HookRun::NotNow => "",
            };
            format!("{pods} pod(s) run to completion; the Job is complete after {completions} successful pod(s), and fails after {retries} retries{hook}")
        }
        WorkloadKind::CronJob => {
            let schedule = controller.and_then(|c| c.schedule.as_deref()).unwrap_or("");
            if controller.and_then(|c| c.suspend) == Some(true) {
                format!("nothing runs: the CronJob is suspended (schedule `{schedule}`)")
            } else {
                format!("nothing runs until the schedule `{schedule}` fires (UTC unless timeZone says); each run is a Job whose pods run to completion")
            }
        }
        WorkloadKind::Pod => {
            "the pod becomes Ready; a bare Pod is not replaced if it is deleted or its node fails".to_string()
        }
        WorkloadKind::ReplicaSet | WorkloadKind::ReplicationController | WorkloadKind::DeploymentConfig => {
            format!("{pods} pod(s) become Ready and are replaced when they fail")
        }
    };
    let rollout = w.kind == WorkloadKind::Deployment;
    let note = match blocking {
        StepState::WillFail if rollout => Note::new(
            StepState::WillFail,
            None,
            format!("the pods never become Ready (see above); after {deadline}s the rollout reports ProgressDeadlineExceeded"),
        )
        .with_diagnosis(&diagnose::PROGRESS_DEADLINE_EXCEEDED),
        StepState::WillFail => Note::new(StepState::WillFail, None, "the pods never become Ready (see above)".to_string()),
        StepState::NeedsAction if rollout => Note::new(StepState::NeedsAction, None, format!("{pods} pod(s) become Ready once the actions above are done; if they are not Ready within {deadline}s the rollout reports ProgressDeadlineExceeded"))
            .with_diagnosis(&diagnose::PROGRESS_DEADLINE_EXCEEDED),
        StepState::NeedsAction => Note::new(StepState::NeedsAction, None, format!("once the actions above are done: {done}")),
        StepState::Ok => Note::ok(None, done),
    };
    Step::new(Stage::Ready, vec![note])
}

/// The Services of the workload's namespace whose selector matches its pods.
fn selecting_services(set: &ManifestSet, index: usize) -> Vec<&Service> {
    set.selecting(index)
        .filter_map(|i| match &set.resources[i].object {
            crate::manifest::Object::Service(s) => Some(&**s),
            _ => None,
        })
        .collect()
}

fn service_ports(service: &Service) -> Vec<(i32, String)> {
    service
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .map(|p| (p.port, p.target_port.as_ref().map(port_ref_text).unwrap_or_else(|| p.port.to_string())))
        .collect()
}

fn endpoints_step(services: &[&Service], namespace: &str, ready: StepState) -> Step {
    let mut notes = Vec::new();
    for service in services {
        let name = service.metadata.name.as_deref().unwrap_or("");
        let ports = service_ports(service)
            .iter()
            .map(|(port, target)| format!("{port} -> {target}"))
            .collect::<Vec<_>>()
            .join(", ");
        let address = format!("{name}.{namespace}.svc.cluster.local");
        notes.push(match ready {
            StepState::WillFail => Note::new(StepState::WillFail, None, format!("Service `{name}` selects these pods but has no ready endpoints while they are not Ready"))
                .with_diagnosis(&diagnose::SERVICE_NO_ENDPOINTS),
            _ => Note::ok(None, format!("Service `{name}` sends traffic ({ports}) to the Ready pods; other pods reach it at `{address}` (just `{name}` from namespace `{namespace}`)"))
                .with_diagnosis(&diagnose::SERVICE_NO_ENDPOINTS),
        });
    }
    if notes.is_empty() {
        notes.push(Note::ok(None, "no Service selects these pods: other pods can reach them only by pod IP"));
    }
    Step::new(Stage::Endpoints, notes)
}

/// How to reach a Service from the user's machine, in one line (`None` for ExternalName).
/// Shared by the lifecycle view and `kubeplay apply`/`status` after a rollout.
pub fn reach(service: &Service, namespace: &str, minikube: bool) -> Option<String> {
    let name = service.metadata.name.as_deref().unwrap_or("");
    let spec = service.spec.as_ref();
    let first = spec.and_then(|s| s.ports.as_ref()).and_then(|p| p.first());
    let port = first.map_or(80, |p| p.port);
    Some(match spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP") {
        "ExternalName" => return None,
        "LoadBalancer" => {
            let ingress = service.status.as_ref().and_then(|s| s.load_balancer.as_ref()).and_then(|lb| lb.ingress.as_ref()).and_then(|i| i.first());
            match ingress.and_then(|i| i.ip.clone().or_else(|| i.hostname.clone())) {
                Some(host) => format!("http://{host}:{port}"),
                None => diagnose::load_balancer_pending(name, namespace, minikube).fix,
            }
        }
        "NodePort" if minikube => format!("`minikube service {name} -n {namespace} --url` prints its URL"),
        "NodePort" => match first.and_then(|p| p.node_port) {
            Some(node_port) => format!("port {node_port} on any node's address (`kubectl get nodes -o wide` lists them)"),
            None => format!("a port of every node (`kubectl get svc {name} -n {namespace}` shows which)"),
        },
        _ => format!("inside the cluster only; from your machine: `kubectl port-forward -n {namespace} svc/{name} 8080:{port}`, then http://localhost:8080"),
    })
}

/// How each Ingress that routes to one of `services` is reached from the user's machine.
/// One Ingress route, and how to reach it from outside the cluster.
pub struct IngressRoute<'a> {
    pub namespace: &'a str,
    /// The Service the route sends to.
    pub service: &'a str,
    /// What to do to reach it (on Minikube: the addon, the hosts line, the URL).
    pub how: String,
}

/// Every route of every Ingress of the set, with how to reach it.
pub fn ingress_routes(set: &ManifestSet, minikube: bool) -> Vec<IngressRoute<'_>> {
    let mut routes = Vec::new();
    for (index, resource) in set.iter() {
        let Object::Ingress(ingress) = &resource.object else { continue };
        let Some(spec) = ingress.spec.as_ref() else { continue };
        let name = ingress.metadata.name.as_deref().unwrap_or("");
        for rule in spec.rules.iter().flatten() {
            for path in rule.http.iter().flat_map(|h| &h.paths) {
                let Some(service) = path.backend.service.as_ref() else { continue };
                let route = path.path.as_deref().unwrap_or("/");
                let how = match (minikube, rule.host.as_deref()) {
                    (true, Some(host)) => format!("Ingress `{name}` routes http://{host}{route} to Service `{}`: on Minikube, run `minikube addons enable ingress` once, add the line `$(minikube ip) {host}` to /etc/hosts, then open http://{host}{route}", service.name),
                    (true, None) => format!("Ingress `{name}` routes {route} on any host to Service `{}`: on Minikube, run `minikube addons enable ingress` once, then open http://$(minikube ip){route}", service.name),
                    (false, host) => format!("Ingress `{name}` routes http://{}{route} to Service `{}` through the cluster's ingress controller (class `{}`)", host.unwrap_or("*"), service.name, spec.ingress_class_name.as_deref().unwrap_or("the default")),
                };
                routes.push(IngressRoute { namespace: set.namespace_of(index), service: &service.name, how });
            }
        }
    }
    routes
}

/// The routes of the set's Ingresses to `services` (in `namespace`), as notes of the access step.
fn ingress_notes(set: &ManifestSet, services: &[&Service], namespace: &str, minikube: bool) -> Vec<Note> {
    let names: Vec<&str> = services.iter().filter_map(|s| s.metadata.name.as_deref()).collect();
    ingress_routes(set, minikube)
        .into_iter()
        .filter(|r| r.namespace == namespace && names.contains(&r.service))
        .map(|r| if minikube { Note::new(StepState::NeedsAction, None, r.how) } else { Note::ok(None, r.how) })
        .collect()
}

/// Which NetworkPolicies decide who reaches the pods, and on Minikube that its default network
/// plugin does not enforce them.
fn isolation_note(
    set: &ManifestSet,
    policies: &[(usize, &k8s_openapi::api::networking::v1::NetworkPolicy)],
    minikube: bool,
) -> Option<Note> {
    let names: Vec<String> = policies.iter().map(|(i, _)| format!("`{}`", set.resources[*i].object.name())).collect();
    let (first, rest) = names.split_first()?;
    let which = if rest.is_empty() {
        format!("NetworkPolicy {first} isolates")
    } else {
        format!("NetworkPolicies {} isolate", names.join(", "))
    };
    let text = if minikube {
        format!("{which} these pods: only the traffic they admit reaches them, once the network plugin enforces policies. Minikube's default one does not: start it with `minikube start --cni=calico` to see them work")
    } else {
        format!("{which} these pods: only the traffic they admit reaches them")
    };
    Some(Note::ok(None, text))
}

fn access_step(services: &[&Service], ingress_notes: Vec<Note>, namespace: &str, minikube: bool) -> Step {
    let mut notes = Vec::new();
    for service in services {
        let name = service.metadata.name.as_deref().unwrap_or("");
        let spec = service.spec.as_ref();
        notes.push(match spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP") {
            "LoadBalancer" if minikube => {
                let advice = diagnose::load_balancer_pending(name, namespace, minikube);
                Note::new(StepState::NeedsAction, None, advice.message.clone())
                    .with_advice(advice)
                    .with_diagnosis(&diagnose::LOAD_BALANCER_PENDING)
                    .with_rule("loadbalancer-on-minikube")
            }
            "LoadBalancer" => Note::ok(None, format!("Service `{name}` gets an external IP from the cluster's load balancer (`kubectl get svc {name} -n {namespace}`)"))
                .with_diagnosis(&diagnose::LOAD_BALANCER_PENDING),
            "ExternalName" => Note::ok(None, format!("Service `{name}` is a DNS alias and has no pods behind it")),
            _ => Note::ok(None, format!("Service `{name}`: {}", reach(service, namespace, minikube).unwrap_or_default())),
        });
    }
    notes.extend(ingress_notes);
    if notes.is_empty() {
        notes.push(Note::ok(None, "not reachable from outside the cluster (no Service)"));
    }
    Step::new(Stage::ExternalAccess, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::ValuesInput;
    use crate::source::SourceFile;

    fn default_set() -> ManifestSet {
        crate::analyze_values(&Default::default(), None, crate::Profile::Minikube).manifests
    }

    fn overlaid(overlay: &str) -> ManifestSet {
        let input = ValuesInput { files: vec![SourceFile::new("overlay.yaml", overlay)], ..Default::default() };
        crate::analyze_values(&input, None, crate::Profile::Minikube).manifests
    }

    fn of<'a>(lifecycles: &'a [Lifecycle], deployment: &str) -> &'a Lifecycle {
        lifecycles.iter().find(|l| l.name == deployment).unwrap_or_else(|| panic!("no lifecycle for {deployment}"))
    }

    /// The lifecycles of pasted `yaml` (which must read without errors), and each one's kind,
    /// name and replicas in order.
    fn predicted_from(yaml: String) -> (Vec<Lifecycle>, Vec<(&'static str, String, i32)>) {
        let (set, diagnostics) = crate::manifest::read(vec![crate::SourceFile::new("m.yaml", yaml)]);
        assert!(diagnostics.iter().all(|d| d.severity != crate::Severity::Error), "{diagnostics:?}");
        let predicted = predict(&set, &[], true);
        let kinds = predicted.iter().map(|l| (l.kind, l.name.clone(), l.replicas)).collect();
        (predicted, kinds)
    }

    /// Every note's text and fix, to search in.
    fn said(lifecycle: &Lifecycle, stage: Stage) -> String {
        let step = lifecycle.step(stage).expect("every stage has a step");
        step.notes.iter().map(|n| format!("{} | {}\n", n.text, n.fix.as_deref().unwrap_or(""))).collect()
    }

    #[test]
    fn every_deployment_gets_every_stage_in_order() {
        let predicted = predict(&default_set(), &[], true);
        assert_eq!(predicted.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["todo-backend", "todo-frontend"]);
        for l in &predicted {
            assert_eq!(l.namespace, "todo-chatbot");
            assert_eq!(l.steps.iter().map(|s| s.stage).collect::<Vec<_>>(), Stage::ALL);
            assert!(l.steps.iter().all(|s| !s.notes.is_empty()), "{l:#?}");
        }
    }

    #[test]
    fn the_backend_needs_its_image_loaded_and_its_secrets_given() {
        let predicted = predict(&default_set(), &[], true);
        let backend = of(&predicted, "todo-backend");
        let image = backend.step(Stage::Image).unwrap();
        assert_eq!(image.state, StepState::NeedsAction);
        assert_eq!(image.notes[0].fix.as_deref(), Some("minikube image load todo-backend:1.0.0"));
        assert_eq!(image.notes[0].diagnosis, Some(diagnose::IMAGE_NEVER_PULLED.id));
        assert!(said(backend, Stage::Image).contains("`minikube image load todo-backend:1.0.0`"));

        let config = said(backend, Stage::Config);
        for key in ["DATABASE_URL", "OPENAI_API_KEY", "BETTER_AUTH_SECRET"] {
            assert!(
                config.contains(&format!("the app starts with an empty {key} unless given at deploy time (`kubeplay apply --secret {key}=VALUE`)")),
                "{config}"
            );
        }
        assert!(
            config.contains("takes LOG_LEVEL, OPENAI_MODEL, CORS_ORIGINS from ConfigMap `todo-chatbot-config`"),
            "{config}"
        );
        assert_eq!(backend.step(Stage::Config).unwrap().state, StepState::NeedsAction);
        // Empty secrets do not stop the pod; the unloaded image does, until it is loaded.
        assert_eq!(backend.step(Stage::Ready).unwrap().state, StepState::NeedsAction);
        assert_eq!(backend.step(Stage::ExternalAccess).unwrap().state, StepState::Ok);
        assert!(said(backend, Stage::ExternalAccess)
            .contains("kubectl port-forward -n todo-chatbot svc/todo-backend 8080:8000"));
        assert!(said(backend, Stage::Probes).contains("GET /health on port http"));
    }

    #[test]
    fn secrets_given_at_deploy_time_need_no_action() {
        let given: Vec<String> = ["DATABASE_URL", "OPENAI_API_KEY", "BETTER_AUTH_SECRET"].map(String::from).to_vec();
        let predicted = predict(&default_set(), &given, true);
        let config = of(&predicted, "todo-backend").step(Stage::Config).unwrap();
        assert_eq!(config.state, StepState::Ok, "{config:#?}");
        assert!(config.notes.iter().any(|n| n.text == "DATABASE_URL is given at deploy time"));
    }

    #[test]
    fn an_autoscaled_deployment_starts_with_its_autoscalers_floor() {
        let input = ValuesInput {
            files: vec![SourceFile::new(
                "v.yaml",
                "components:\n  todo-backend:\n    replicas: null\n    autoscaling: {minReplicas: 3, maxReplicas: 6}\n",
            )],
            ..Default::default()
        };
        let set = crate::analyze_values(&input, None, crate::Profile::Minikube).manifests;
        let predicted = predict(&set, &[], true);
        assert_eq!(of(&predicted, "todo-backend").replicas, 3);
        assert_eq!(of(&predicted, "todo-frontend").replicas, 1);
    }

    #[test]
    fn an_ingress_route_says_how_to_reach_it_on_minikube() {
        let input = ValuesInput {
            files: vec![SourceFile::new(
                "v.yaml",
                "ingress:\n  hosts:\n    - host: todo.local\n      paths: [{component: todo-frontend}]\n",
            )],
            ..Default::default()
        };
        let set = crate::analyze_values(&input, None, crate::Profile::Minikube).manifests;
        let predicted = predict(&set, &[], true);
        let frontend = said(of(&predicted, "todo-frontend"), Stage::ExternalAccess);
        assert!(frontend.contains("`minikube addons enable ingress`"), "{frontend}");
        assert!(frontend.contains("`$(minikube ip) todo.local` to /etc/hosts"), "{frontend}");
        assert!(!said(of(&predicted, "todo-backend"), Stage::ExternalAccess).contains("Ingress"));
        let elsewhere = said(of(&predict(&set, &[], false), "todo-frontend"), Stage::ExternalAccess);
        assert!(elsewhere.contains("class `nginx`"), "{elsewhere}");
    }

    #[test]
    fn isolated_pods_say_which_policies_decide_and_that_minikube_needs_a_cni() {
        let input = ValuesInput {
            files: vec![SourceFile::new(
                "v.yaml",
                "networkPolicy: {}\ncomponents:\n  todo-backend:\n    allowFrom: {components: [todo-frontend]}\n",
            )],
            ..Default::default()
        };
        let set = crate::analyze_values(&input, None, crate::Profile::Minikube).manifests;
        let backend = said(of(&predict(&set, &[], true), "todo-backend"), Stage::ExternalAccess);
        assert!(backend.contains("NetworkPolicies `todo-chatbot-default-deny`, `todo-backend` isolate"), "{backend}");
        assert!(backend.contains("--cni=calico"), "{backend}");
        let elsewhere = said(of(&predict(&set, &[], false), "todo-backend"), Stage::ExternalAccess);
        assert!(!elsewhere.contains("calico"), "{elsewhere}");
        let open = said(of(&predict(&default_set(), &[], true), "todo-backend"), Stage::ExternalAccess);
        assert!(!open.contains("NetworkPolic"), "{open}");
    }

    #[test]
    fn the_frontend_needs_minikube_tunnel() {
        let predicted = predict(&default_set(), &[], true);
        let frontend = of(&predicted, "todo-frontend");
        let access = frontend.step(Stage::ExternalAccess).unwrap();
        assert_eq!(access.state, StepState::NeedsAction);
        assert_eq!(access.notes[0].diagnosis, Some(diagnose::LOAD_BALANCER_PENDING.id));
        assert!(
            said(frontend, Stage::ExternalAccess).contains("`minikube tunnel`"),
            "{}",
            said(frontend, Stage::ExternalAccess)
        );
        assert!(said(frontend, Stage::ExternalAccess).contains("minikube service todo-frontend -n todo-chatbot --url"));
        assert!(said(frontend, Stage::Image).contains("minikube image load todo-frontend:1.0.0"));
        // It takes only BETTER_AUTH_SECRET.
        let config = said(frontend, Stage::Config);
        assert!(config.contains("empty BETTER_AUTH_SECRET") && !config.contains("DATABASE_URL"), "{config}");
    }

    #[test]
    fn a_secret_key_that_does_not_exist_predicts_create_container_config_error() {
        let set = overlaid("components:\n  todo-backend:\n    secretKeys: [DATABASE_URL, OPENAI_KEY]\n");
        let predicted = predict(&set, &[], true);
        let backend = of(&predicted, "todo-backend");
        let config = backend.step(Stage::Config).unwrap();
        assert_eq!(config.state, StepState::WillFail);
        let failing = &config.notes[0];
        assert_eq!(failing.state, StepState::WillFail);
        assert_eq!(failing.diagnosis, Some(diagnose::MISSING_SECRET_KEY.id));
        assert_eq!(failing.rule, Some("env-ref-missing-key"));
        assert!(failing.text.contains("CreateContainerConfigError"), "{}", failing.text);
        // The same words the live diagnosis uses for the kubelet's message.
        let observed = ConfigError::parse("couldn't find key OPENAI_KEY in Secret todo-chatbot/todo-chatbot-secrets");
        assert_eq!(failing.text, format!("the pod will fail: {}", observed.advice("todo-chatbot").message));
        assert_eq!(failing.fix, Some(observed.advice("todo-chatbot").fix));
        assert_eq!(backend.step(Stage::Ready).unwrap().state, StepState::WillFail);
        assert_eq!(backend.step(Stage::Endpoints).unwrap().state, StepState::WillFail);
        // The frontend is unaffected.
        assert_ne!(of(&predicted, "todo-frontend").step(Stage::Config).unwrap().state, StepState::WillFail);
    }

    #[test]
    fn a_missing_config_map_predicts_create_container_config_error() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n        - name: api\n          image: \"api:1.0\"\n          envFrom: [{configMapRef: {name: settings}}]\n";
        let (set, _) = crate::manifest::read(vec![SourceFile::new("m.yaml", yaml)]);
        let predicted = predict(&set, &[], false);
        let api = of(&predicted, "api");
        assert_eq!(api.namespace, "default");
        let note = &api.step(Stage::Config).unwrap().notes[0];
        assert_eq!((note.state, note.diagnosis), (StepState::WillFail, Some(diagnose::MISSING_CONFIG_MAP.id)));
        assert!(note.text.contains("configmap \"settings\" not found"), "{}", note.text);
        // No Service, no pull policy: the defaults say so.
        assert!(said(api, Stage::Image).contains("IfNotPresent"));
        assert!(said(api, Stage::ExternalAccess).contains("no Service"));
        assert_eq!(api.state(), StepState::WillFail);
    }

    #[test]
    fn a_latest_image_without_policy_defaults_to_always_on_minikube() {
        let set = overlaid("components:\n  todo-backend:\n    image: {tag: latest, pullPolicy: null}\n");
        let predicted = predict(&set, &[], true);
        let note = &of(&predicted, "todo-backend").step(Stage::Image).unwrap().notes[0];
        assert_eq!((note.state, note.diagnosis), (StepState::NeedsAction, Some(diagnose::IMAGE_PULL_FAILED.id)));
        assert!(note.text.contains("defaults to Always"), "{}", note.text);
    }

    #[test]
    fn cpu_requests_over_minikube_s_two_cpus_keep_pods_pending() {
        let set = overlaid("components:\n  todo-backend:\n    resources: {requests: {cpu: 2500m}}\n");
        let scheduled = said(of(&predict(&set, &[], true), "todo-backend"), Stage::Scheduled);
        assert!(
            scheduled.contains("each pod requests 2.5 CPUs, more than a default Minikube node has (2)"),
            "{scheduled}"
        );
        assert!(scheduled.contains("minikube start --cpus 4`"), "{scheduled}");
        let set = overlaid("components:\n  todo-backend:\n    resources: {requests: {cpu: \"2\"}}\n");
        assert!(!said(of(&predict(&set, &[], true), "todo-backend"), Stage::Scheduled).contains("CPUs"));
    }

    #[test]
    fn off_minikube_a_load_balancer_needs_nothing() {
        let predicted = predict(&default_set(), &[], false);
        let access = of(&predicted, "todo-frontend").step(Stage::ExternalAccess).unwrap();
        assert_eq!(access.state, StepState::Ok);
        assert!(!said(of(&predicted, "todo-frontend"), Stage::ExternalAccess).contains("minikube"));
    }

    #[test]
    fn serializes_for_the_browser() {
        let predicted = predict(&default_set(), &[], true);
        let json = serde_json::to_value(&predicted).unwrap();
        assert_eq!(json[0]["steps"][1]["stage"], "image");
        assert_eq!(json[0]["steps"][1]["state"], "needs-action");
        assert_eq!(json[1]["steps"][7]["notes"][0]["diagnosis"], "load-balancer-pending");
    }

    #[test]
    fn every_workload_kind_gets_its_own_ready_step() {
        let template = "    metadata: {labels: {app: x}}\n    spec: {containers: [{name: x, image: \"x:1\"}]}\n";
        let yaml = format!(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  replicas: 3\n  serviceName: db\n  selector: {{matchLabels: {{app: x}}}}\n  template:\n{template}---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent}}\nspec:\n  selector: {{matchLabels: {{app: x}}}}\n  template:\n{template}---\napiVersion: batch/v1\nkind: Job\nmetadata: {{name: migrate}}\nspec:\n  completions: 2\n  backoffLimit: 3\n  template:\n{template}---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: nightly}}\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n{}",
            template.lines().map(|l| format!("    {l}\n")).collect::<String>()
        );
        let (predicted, kinds) = predicted_from(yaml);
        let expected =
            [("StatefulSet", "db", 3), ("DaemonSet", "agent", 1), ("Job", "migrate", 1), ("CronJob", "nightly", 1)];
        assert_eq!(kinds, expected.map(|(kind, name, replicas)| (kind, name.to_string(), replicas)));
        assert!(said(of(&predicted, "db"), Stage::Ready).contains("one at a time in order, `db-0` first"));
        assert!(said(of(&predicted, "agent"), Stage::Ready).contains("one pod per node"));
        assert!(said(of(&predicted, "migrate"), Stage::Ready)
            .contains("complete after 2 successful pod(s), and fails after 3 retries"));
        assert!(said(of(&predicted, "nightly"), Stage::Ready).contains("until the schedule `0 3 * * *` fires"));
        assert!(!said(of(&predicted, "migrate"), Stage::Ready).contains("Helm hook"));
    }

    #[test]
    fn bare_pods_and_older_controllers_get_their_ready_step_too() {
        let template =
            "  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: x, image: \"x:1\"}]}\n";
        let yaml = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: solo, labels: {{app: solo}}}}\nspec: {{containers: [{{name: x, image: \"x:1\"}}]}}\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {{name: rs}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: x}}}}\n{template}---\napiVersion: v1\nkind: ReplicationController\nmetadata: {{name: rc}}\nspec:\n  replicas: 3\n  selector: {{app: x}}\n{template}---\napiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: {{name: dc}}\nspec:\n  replicas: 1\n  selector: {{app: x}}\n{template}"
        );
        let (predicted, kinds) = predicted_from(yaml);
        let expected = [
            ("Pod", "solo", 1),
            ("ReplicaSet", "rs", 2),
            ("ReplicationController", "rc", 3),
            ("DeploymentConfig", "dc", 1),
        ];
        assert_eq!(kinds, expected.map(|(kind, name, replicas)| (kind, name.to_string(), replicas)));
        assert!(said(of(&predicted, "solo"), Stage::Ready).contains("a bare Pod is not replaced"));
        for (name, pods) in [("rs", 2), ("rc", 3), ("dc", 1)] {
            assert!(said(of(&predicted, name), Stage::Ready)
                .contains(&format!("{pods} pod(s) become Ready and are replaced")));
        }
    }

    #[test]
    fn a_setup_job_is_said_to_run_before_the_release() {
        let overlay = "components:\n  migrate:\n    kind: Job\n    hook: true\n    image: {repository: todo-backend, tag: \"1.0.0\"}\n";
        let set = crate::render::render(&crate::rules::testing::values(overlay), "todo-chatbot");
        let predicted = predict(&set, &[], true);
        assert!(said(of(&predicted, "migrate"), Stage::Ready)
            .contains("a Helm hook run before the release's other objects"));
        let after = overlay.replace("hook: true", "hook: true\n    hookAfterInstall: true");
        let set = crate::render::render(&crate::rules::testing::values(&after), "todo-chatbot");
        let predicted = predict(&set, &[], true);
        assert!(said(of(&predicted, "migrate"), Stage::Ready)
            .contains("after the release's other objects on the first install (once they are applied and ready, with `helm install --wait` and `kubeplay apply`), before them on every upgrade"));
    }
}
