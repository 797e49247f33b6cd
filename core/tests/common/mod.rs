//! Shared by the integration tests: a proptest strategy for valid [`Values`] and how to feed them to kubeplay.
//!
//! "Valid" means what a careful user writes: names Kubernetes accepts, ports that exist,
//! references that resolve, quantities with request <= limit. Anything generated here must
//! render without errors and without relationship findings; the property tests rely on it.

// Each test binary includes this module and uses a different part of it.
#![allow(dead_code)]

use kubeplay_core::diagnostic::Diagnostic;
use kubeplay_core::emit;
use kubeplay_core::rules::{self, Category};
use kubeplay_core::values::{
    AccessMode, Autoscaling, Claim, Component, ComponentKind, ConcurrencyPolicy, ContainerPort, DisruptionBudget,
    EmptyDirMedium, EmptyDirVolume, Image, IngressHost, IngressPath, IngressSpec, InitContainer, JobRestartPolicy,
    KeyFiles, PathType, Percent, PodCount, PodField, PortRef, PreStop, ProbeSpec, Probes, PullPolicy, Resources,
    SecurityContext, ServiceAccountSpec, ServiceSpec, ServiceType, Volume, VolumeMount,
};
use kubeplay_core::{analyze_values, Analysis, Profile, SourceFile, Values, ValuesInput};
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::{BTreeMap, BTreeSet};

/// The preset generated values are laid over: it adds nothing, so the values are the whole input.
pub const BASE_PRESET: &str = kubeplay_core::presets::BLANK_PRESET;

/// Cases per property: 64 keeps `cargo test` fast; `PROPTEST_CASES=2000` searches harder.
pub fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
}

/// Words a "looks like a secret" heuristic may reasonably flag. Generated non-secret keys and
/// values avoid them, so that `secret-in-plain-text` has nothing to find in valid values.
const SECRET_WORDS: [&str; 9] = ["KEY", "TOKEN", "PASS", "SECRET", "PWD", "AUTH", "CRED", "PRIVATE", "CERT"];

fn looks_secret(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

/// DNS-1035 label (also a DNS-1123 label): component, app and namespace names.
fn dns_label() -> impl Strategy<Value = String> {
    "[a-z]([a-z0-9-]{0,12}[a-z0-9])?"
}

fn namespace() -> impl Strategy<Value = String> {
    // `default` draws a best-practice warning and `kube-*` are the system's: neither is a choice
    // a learner's app makes.
    dns_label().prop_filter("not default or a system namespace", |n| n != "default" && !n.starts_with("kube-"))
}

/// IANA service names (<= 15 chars, a letter, no `--`). Never longer than 9 characters, so
/// names such as `nosuch-port` used by the mutation tests are never generated.
fn port_name() -> impl Strategy<Value = String> {
    "[a-z]{1,4}(-[a-z0-9]{1,4})?"
}

/// Text for config and plain env values: ordinary words, and scalars that a YAML writer must
/// quote to keep them strings (`08`, `yes`, `null`, `1e3`, multi-line, ...).
fn plain_value() -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        "",
        "08",
        "0x1f",
        "0o17",
        "1e3",
        ".5",
        "+1",
        "-1",
        "1_000",
        "true",
        "False",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "null",
        "~",
        "- item",
        "#hash",
        "@at",
        "*star",
        "&anchor",
        "!bang",
        "%pct",
        "{brace}",
        "[bracket]",
        "_9",
        "__3",
        "-_9",
        "1_0",
        "0b101",
        "010",
        "+.5",
        "NaN",
        ".NaN",
        ".inf",
        "-.inf",
        "Yes",
        "ON",
        "<<",
        "'single'",
        "\"double\"",
        " leading space",
        "trailing space ",
        "line one\nline two",
        "ends with newline\n",
        "héllo ✓",
        "tab\there",
    ])
    .prop_map(str::to_string);
    prop_oneof![3 => "[a-z][a-z0-9 .-]{0,11}", 1 => tricky].prop_filter("does not look secret", |v| !looks_secret(v))
}

fn config_key() -> impl Strategy<Value = String> {
    "CFG_[A-Z0-9]{1,6}".prop_filter("does not look secret", |k| !looks_secret(k))
}

fn secret_key() -> impl Strategy<Value = String> {
    "SEC_[A-Z0-9]{1,6}"
}

fn env_name() -> impl Strategy<Value = String> {
    "ENV_[A-Z0-9]{1,6}".prop_filter("does not look secret", |k| !looks_secret(k))
}

/// The env var a component uses to call another component's Service (see [`values`]).
pub const UPSTREAM_ENV: &str = "UPSTREAM_URL";

fn image() -> impl Strategy<Value = Image> {
    let registry = prop::sample::select(vec![
        "",
        "docker.io/",
        "docker.io/library/",
        "ghcr.io/team/",
        "localhost:5000/",
        "registry.example.com/a/",
    ]);
    let name = "[a-z0-9]{1,8}([._-][a-z0-9]{1,6})?";
    let tag = prop_oneof![
        Just(String::new()),
        "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}",
        "v[0-9]{1,3}",
        // The distribution grammar: `[\w][\w.-]{0,127}`.
        "[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}",
        // Tags a YAML reader may take for numbers or booleans unless they are quoted.
        prop::sample::select(vec![
            "_9", "__3", "1_0", "0x1F", "1e3", "010", "0b1", "1.0", "yes", "on", "True", "null", "NaN"
        ])
        .prop_map(str::to_string),
    ];
    let pull =
        prop::option::of(prop::sample::select(vec![PullPolicy::Always, PullPolicy::IfNotPresent, PullPolicy::Never]));
    (registry, name, tag, pull).prop_map(|(registry, name, tag, pull_policy)| Image {
        repository: format!("{registry}{name}"),
        tag,
        pull_policy,
    })
}

/// A probe before its port is chosen: (path, which port, by name?, timings).
type ProbeDraft = (Option<String>, Index, bool, (Option<i32>, Option<i32>, Option<i32>, Option<i32>));

fn probe_draft() -> impl Strategy<Value = ProbeDraft> {
    let timing = || prop::option::of(1..=60i32);
    // A probe without a path (one in four) is a TCP connection.
    let path = prop::option::weighted(0.75, "/[a-z0-9/_.-]{0,12}");
    (path, any::<Index>(), any::<bool>(), (prop::option::of(0..=60i32), timing(), timing(), timing()))
}

/// Request and limit of one resource, request <= limit: amount, headroom (limit - request), and
/// which of the two are set (0: both, 1: request only, 2: limit only).
type ResourcePair = Option<(u32, u32, u8)>;

fn resource_pair() -> impl Strategy<Value = ResourcePair> {
    prop::option::of((1..=2000u32, 0..=2000u32, 0..3u8))
}

fn resources((cpu, memory): (ResourcePair, ResourcePair)) -> Resources {
    let mut out = Resources::default();
    // With a limit only, Kubernetes defaults the request to the limit.
    if let Some((amount, headroom, which)) = cpu {
        if which != 2 {
            out.requests.cpu = Some(format!("{amount}m"));
        }
        if which != 1 {
            let limit = amount + headroom;
            // Whole cores are written as plain numbers, as people do.
            out.limits.cpu = Some(if limit % 1000 == 0 { (limit / 1000).to_string() } else { format!("{limit}m") });
        }
    }
    if let Some((amount, headroom, which)) = memory {
        if which != 2 {
            out.requests.memory = Some(format!("{amount}Mi"));
        }
        if which != 1 {
            let limit = amount + headroom;
            out.limits.memory =
                Some(if limit % 1024 == 0 { format!("{}Gi", limit / 1024) } else { format!("{limit}Mi") });
        }
    }
    out
}

/// A Service before its target is chosen: (type, port, which container port, by name?, fixed nodePort?).
type ServiceDraft = (ServiceType, i32, Index, bool, bool);

fn service_draft() -> impl Strategy<Value = ServiceDraft> {
    let kind = prop::sample::select(vec![ServiceType::ClusterIP, ServiceType::NodePort, ServiceType::LoadBalancer]);
    (kind, 1..=65535i32, any::<Index>(), any::<bool>(), any::<bool>())
}

/// A component whose cross references (ports, config and secret keys, upstream Service) are
/// still indexes; [`values`] resolves them once every component and key exists.
#[derive(Debug, Clone)]
struct ComponentDraft {
    image: Image,
    replicas: i32,
    args: Vec<String>,
    ports: BTreeMap<String, i32>,
    env: BTreeMap<String, String>,
    config_picks: Vec<Index>,
    secret_picks: Vec<Index>,
    probes: [Option<ProbeDraft>; 3],
    resources: Resources,
    security_context: SecurityContext,
    service: Option<ServiceDraft>,
    upstream: Option<Index>,
    volumes: BTreeMap<String, VolumeDraft>,
    /// Its own ServiceAccount, made here (one made elsewhere is rightly reported missing):
    /// (named?, token mounted?).
    account: Option<(bool, bool)>,
    /// A disruption budget that leaves room to evict a pod: 0 minAvailable one below the
    /// replicas, 1 maxUnavailable 1, 2 maxUnavailable 50%.
    budget: Option<u8>,
    /// An autoscaler instead of `replicas`: (minReplicas, how many more at most, CPU and
    /// memory targets).
    autoscaling: Option<(i32, i32, Option<i32>, Option<i32>)>,
    /// A command instead of the image's entrypoint.
    command: Option<Vec<String>>,
    /// Pod fields as variables (`POD_<i>`, named apart from every other variable).
    field_picks: Vec<Index>,
    /// How it stops: a grace period, and a preStop that fits in it (a sleep, or a command).
    stopping: Option<(i64, bool)>,
    /// Its kind: mostly a Deployment; a StatefulSet (with a claim per pod), DaemonSet, Job or
    /// CronJob each one time in eight.
    kind: ComponentKind,
}

/// A volume before its keys are chosen: (source: 0 emptyDir, 1 config files, 2 secret files,
/// 3 a claim; which keys; mounted?, read-only?).
type VolumeDraft = (u8, Vec<Index>, bool, Option<bool>);

fn volume_draft() -> impl Strategy<Value = VolumeDraft> {
    (0..4u8, prop::collection::vec(any::<Index>(), 0..3), any::<bool>(), prop::option::of(any::<bool>()))
}

/// The volume a draft stands for: key files only from a ConfigMap or Secret that exists (an
/// emptyDir instead), each key once.
fn volume(draft: &VolumeDraft, config_keys: &[String], secret_keys: &[String]) -> Volume {
    let files = |keys: &[String]| KeyFiles {
        items: pick(keys, &draft.1).into_iter().map(|k| (k.clone(), k.to_lowercase())).collect(),
        default_mode: Some(0o440),
    };
    match draft.0 {
        1 if !config_keys.is_empty() => Volume::ConfigMap(files(config_keys)),
        2 if !secret_keys.is_empty() => Volume::Secret(files(secret_keys)),
        // The read-only choice also picks the claim's modes and class, and the scratch space's
        // medium, so those vary without more draws.
        3 => Volume::PersistentVolumeClaim(Claim {
            size: "1Gi".into(),
            access_modes: match draft.3 {
                None => Vec::new(),
                Some(false) => vec![AccessMode::ReadWriteOnce],
                Some(true) => vec![AccessMode::ReadWriteOncePod],
            },
            storage_class_name: draft.3.map(|shared| if shared { "standard".into() } else { String::new() }),
        }),
        _ => Volume::EmptyDir(EmptyDirVolume {
            size_limit: Some("64Mi".into()),
            medium: (draft.3 == Some(true)).then_some(EmptyDirMedium::Memory),
        }),
    }
}

fn component_draft() -> impl Strategy<Value = ComponentDraft> {
    let security = (
        prop::option::of(any::<bool>()),
        prop::option::of(1..=65535i64),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(run_as_non_root, run_as_user, read_only_root_filesystem, allow_privilege_escalation)| {
            let mut sc = SecurityContext {
                run_as_non_root,
                run_as_user,
                read_only_root_filesystem,
                allow_privilege_escalation,
                capabilities: None,
                seccomp_profile: None,
            };
            // A container that forbids escalation often goes all the way to `restricted`.
            if allow_privilege_escalation == Some(false) {
                sc.restricted();
            }
            sc
        });
    (
        image(),
        // Not 0: a Service in front of a Deployment scaled to zero has no endpoints, which a
        // relationship rule may rightly report.
        1..=4i32,
        prop::collection::vec("--[a-z]{1,8}(=[a-z0-9]{1,4})?", 0..3),
        prop::collection::btree_map(port_name(), 1..=65535i32, 1..=3),
        prop::collection::btree_map(env_name(), plain_value(), 0..3),
        (prop::collection::vec(any::<Index>(), 0..4), prop::collection::vec(any::<Index>(), 0..3)),
        [prop::option::of(probe_draft()), prop::option::of(probe_draft()), prop::option::of(probe_draft())],
        (resource_pair(), resource_pair()).prop_map(resources),
        security,
        prop::option::of(service_draft()),
        prop::option::of(any::<Index>()),
        (
            prop::collection::btree_map("[a-z]{1,6}", volume_draft(), 0..3),
            prop::option::of((any::<bool>(), any::<bool>())),
            prop::option::of(0..3u8),
            prop::option::of((1..=3i32, 0..=3i32, prop::option::of(10..=95i32), prop::option::of(10..=95i32))),
            (
                prop::option::of(prop::collection::vec("[a-z][a-z0-9-]{0,8}", 1..3)),
                prop::collection::vec(any::<Index>(), 0..3),
                prop::option::of((1..=120i64, any::<bool>())),
                prop::sample::select(vec![0u8, 0, 0, 0, 1, 2, 3, 4]).prop_map(|k| ComponentKind::ALL[usize::from(k)]),
            ),
        ),
    )
        .prop_map(
            |(
                image,
                replicas,
                args,
                ports,
                env,
                (config_picks, secret_picks),
                probes,
                resources,
                security_context,
                service,
                upstream,
                (volumes, account, budget, autoscaling, (command, field_picks, stopping, kind)),
            )| {
                ComponentDraft {
                    image,
                    replicas,
                    args,
                    ports,
                    env,
                    config_picks,
                    secret_picks,
                    probes,
                    resources,
                    security_context,
                    service,
                    upstream,
                    volumes,
                    account,
                    budget,
                    autoscaling,
                    command,
                    field_picks,
                    stopping,
                    kind,
                }
            },
        )
}

/// Valid values: 1..6 components, each with 1..3 uniquely named and numbered ports, Services
/// and probes on existing ports, config and secret keys that exist, and upstream URLs that name
/// a real Service and its port.
pub fn values() -> impl Strategy<Value = Values> {
    (
        dns_label(),
        namespace(),
        prop::collection::btree_map(config_key(), plain_value(), 0..5),
        prop::collection::btree_map(secret_key(), "[A-Za-z0-9]{1,16}", 0..4),
        prop::collection::btree_map(dns_label(), component_draft(), 1..6),
        prop::option::of((any::<bool>(), any::<bool>())),
        any::<bool>(),
    )
        .prop_map(|(app_name, namespace, config, secrets, drafts, ingress, isolated)| {
            let mut values = finish(app_name, namespace, config, secrets, drafts);
            values.ingress = ingress.and_then(|(named_host, exact)| ingress_over(&values, named_host, exact));
            if isolated {
                // Isolated pods, each admitting the traffic it gets: as the form fills it.
                values.network_policy = Some(Default::default());
                values = kubeplay_core::allow_from::admit_known_traffic(&values);
            }
            values
        })
}

/// An Ingress with a path to each component that has a Service (on its port), under one host
/// or any; `None` when no component has a Service.
fn ingress_over(values: &Values, named_host: bool, exact: bool) -> Option<IngressSpec> {
    let paths: Vec<IngressPath> = values
        .components
        .iter()
        .filter_map(|(name, c)| c.service.as_ref().map(|s| (name, s.port)))
        .map(|(name, port)| IngressPath {
            path: format!("/{name}"),
            path_type: if exact { PathType::Exact } else { PathType::Prefix },
            component: name.clone(),
            port: Some(port),
        })
        .collect();
    (!paths.is_empty()).then(|| IngressSpec {
        class_name: exact.then(|| "nginx".to_string()),
        hosts: vec![IngressHost { host: named_host.then(|| format!("{}.local", values.app_name)), paths }],
        tls: Vec::new(),
    })
}

fn pick<'a>(items: &'a [String], picks: &[Index]) -> Vec<String> {
    if items.is_empty() {
        return Vec::new();
    }
    // A set: the same key twice would be a duplicate env var (its own field error).
    let chosen: BTreeSet<&'a String> = picks.iter().map(|i| i.get(items)).collect();
    chosen.into_iter().cloned().collect()
}

fn port_ref(ports: &[ContainerPort], which: &Index, by_name: bool) -> PortRef {
    let port = which.get(ports);
    if by_name {
        PortRef::Name(port.name.clone())
    } else {
        PortRef::Number(port.container_port)
    }
}

fn finish(
    app_name: String,
    namespace: String,
    config: BTreeMap<String, String>,
    secrets: BTreeMap<String, String>,
    drafts: BTreeMap<String, ComponentDraft>,
) -> Values {
    let config_keys: Vec<String> = config.keys().cloned().collect();
    let secret_keys: Vec<String> = secrets.keys().cloned().collect();
    let mut components = BTreeMap::new();
    for (index, (name, draft)) in drafts.iter().enumerate() {
        // Port numbers must be unique too; move a clash to the next free number.
        let mut used = BTreeSet::new();
        let ports: Vec<ContainerPort> = draft
            .ports
            .iter()
            .map(|(port_name, &number)| {
                let mut number = number;
                while !used.insert(number) {
                    number = number % 65535 + 1;
                }
                ContainerPort { name: port_name.clone(), container_port: number }
            })
            .collect();
        let [liveness, readiness, startup] = draft.probes.clone().map(|p| {
            p.map(
                |(
                    path,
                    which,
                    by_name,
                    (initial_delay_seconds, period_seconds, timeout_seconds, failure_threshold),
                )| ProbeSpec {
                    path,
                    port: port_ref(&ports, &which, by_name),
                    initial_delay_seconds,
                    period_seconds,
                    timeout_seconds,
                    failure_threshold,
                },
            )
        });
        let service = draft.service.as_ref().map(|(type_, port, which, by_name, fixed_node_port)| ServiceSpec {
            type_: *type_,
            port: *port,
            target_port: port_ref(&ports, which, *by_name),
            // Unique per component, inside the node port range.
            node_port: (*fixed_node_port && *type_ != ServiceType::ClusterIP).then_some(30000 + index as i32),
        });
        let kind = draft.kind;
        let (replicated, served, runs_to_completion) = (
            matches!(kind, ComponentKind::Deployment | ComponentKind::StatefulSet),
            !matches!(kind, ComponentKind::Job | ComponentKind::CronJob),
            matches!(kind, ComponentKind::Job | ComponentKind::CronJob),
        );
        let cron = kind == ComponentKind::CronJob;
        let component = Component {
            kind,
            volume_claim_templates: if kind == ComponentKind::StatefulSet {
                BTreeMap::from([(
                    "state".to_string(),
                    Claim { size: "1Gi".into(), access_modes: Vec::new(), storage_class_name: None },
                )])
            } else {
                BTreeMap::new()
            },
            hook: false,
            hook_after_install: false,
            backoff_limit: runs_to_completion.then_some(index as i32 % 4),
            restart_policy: runs_to_completion.then_some(if index % 2 == 0 {
                JobRestartPolicy::Never
            } else {
                JobRestartPolicy::OnFailure
            }),
            schedule: cron.then(|| format!("{} * * * *", index % 60)),
            concurrency_policy: cron.then_some(ConcurrencyPolicy::ALL[index % 3]),
            successful_jobs_history_limit: cron.then_some(1),
            failed_jobs_history_limit: cron.then_some(1),
            image: draft.image.clone(),
            replicas: (replicated && draft.autoscaling.is_none()).then_some(draft.replicas),
            autoscaling: draft.autoscaling.filter(|_| replicated).map(|(min, more, cpu, memory)| Autoscaling {
                min_replicas: Some(min),
                max_replicas: min + more,
                target_cpu_utilization_percentage: cpu,
                target_memory_utilization_percentage: memory,
            }),
            args: draft.args.clone(),
            ports,
            env: draft.env.clone(),
            config_keys: pick(&config_keys, &draft.config_picks),
            secret_keys: pick(&secret_keys, &draft.secret_picks),
            probes: Probes { liveness, readiness, startup },
            resources: draft.resources.clone(),
            security_context: draft.security_context.clone(),
            service: service.filter(|_| served),
            volumes: draft.volumes.iter().map(|(n, v)| (n.clone(), volume(v, &config_keys, &secret_keys))).collect(),
            allow_from: None,
            command: draft.command.clone().unwrap_or_default(),
            field_env: draft
                .field_picks
                .iter()
                .map(|i| {
                    let field = *i.get(&PodField::ALL);
                    (format!("POD_{}", field.as_str().replace('.', "_").to_ascii_uppercase()), field)
                })
                .collect(),
            pre_stop: draft.stopping.map(|(grace, sleep)| {
                if sleep {
                    PreStop::Sleep((grace / 2).max(1))
                } else {
                    PreStop::Exec(vec!["sh".into(), "-c".into(), "sleep 1".into()])
                }
            }),
            termination_grace_period_seconds: draft.stopping.map(|(grace, _)| grace),
            // A migration before the app: the same image, the same keys.
            init_containers: draft
                .stopping
                .map(|_| InitContainer {
                    command: vec!["migrate".into()],
                    config_keys: pick(&config_keys, &draft.config_picks),
                    secret_keys: pick(&secret_keys, &draft.secret_picks),
                    security_context: draft.security_context.clone(),
                    ..InitContainer::new("migrate", draft.image.clone())
                })
                .into_iter()
                .collect(),
            service_account: draft.account.map(|(named, automount)| ServiceAccountSpec {
                name: named.then(|| format!("{name}-runner")),
                create: true,
                automount_service_account_token: automount,
            }),
            pod_disruption_budget: draft.budget.filter(|_| replicated).map(|kind| match kind {
                // One below the fewest pods: the replicas, or the autoscaler's floor.
                0 => DisruptionBudget::MinAvailable(PodCount::Number(
                    draft.autoscaling.map_or(draft.replicas, |(min, ..)| min) - 1,
                )),
                1 => DisruptionBudget::MaxUnavailable(PodCount::Number(1)),
                _ => DisruptionBudget::MaxUnavailable(PodCount::Percent(Percent("50%".into()))),
            }),
            volume_mounts: draft
                .volumes
                .iter()
                .filter(|(_, v)| v.2)
                .map(|(n, v)| VolumeMount {
                    name: n.clone(),
                    mount_path: format!("/mnt/{n}"),
                    read_only: v.3,
                    // A scratch space or claim mounted by a part of it, when it has no key files.
                    sub_path: (v.1.len() == 1 && matches!(v.0, 0 | 3)).then(|| "part".to_string()),
                })
                .chain((kind == ComponentKind::StatefulSet).then(|| VolumeMount {
                    name: "state".into(),
                    mount_path: "/var/lib/state".into(),
                    read_only: None,
                    sub_path: None,
                }))
                .collect(),
        };
        components.insert(name.clone(), component);
    }
    // Upstream URLs last: they need every Service to exist.
    let services: Vec<(String, i32)> =
        components.iter().filter_map(|(name, c)| c.service.as_ref().map(|s| (name.clone(), s.port))).collect();
    for (name, draft) in &drafts {
        if let (Some(which), false) = (&draft.upstream, services.is_empty()) {
            let (service, port) = which.get(&services);
            let url = format!("http://{service}:{port}");
            components.get_mut(name).expect("drafted above").env.insert(UPSTREAM_ENV.to_string(), url);
        }
    }
    Values {
        app_name,
        namespace,
        common_labels: BTreeMap::new(),
        config,
        secrets,
        components,
        ingress: None,
        network_policy: None,
    }
}

/// Values as a YAML file, the way a user would write them: no `null`s for unset options (a
/// `null` means "remove the preset's value"), written with kubeplay's own emitter, which quotes
/// whatever a YAML 1.1 reader (Helm, and so kubeplay's values reader) would not take for a string.
pub fn values_yaml(values: &Values) -> String {
    fn strip_nulls(value: serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => serde_json::Value::Object(
                map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, strip_nulls(v))).collect(),
            ),
            serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(strip_nulls).collect()),
            other => other,
        }
    }
    emit::to_yaml(&strip_nulls(serde_json::to_value(values).expect("values serialize")))
}

/// The input a user would give for `values`: a values file over the empty preset.
pub fn input(values: &Values) -> ValuesInput {
    ValuesInput {
        preset: Some(BASE_PRESET.to_string()),
        files: vec![SourceFile::new("values.yaml", values_yaml(values))],
        sets: Vec::new(),
    }
}

/// True when kubeplay reads the values file of `values` back as `values`. Tests of other
/// properties assume it; `rendered_yaml_reads_back_as_the_same_objects` is the one that checks it.
pub fn reads_back(values: &Values) -> bool {
    kubeplay_core::load::load(&input(values)).values.as_ref() == Some(values)
}

/// Render and check `values` as `kubeplay render -f values.yaml --preset empty` would.
pub fn analyze(values: &Values, profile: Profile) -> Analysis {
    analyze_values(&input(values), None, profile)
}

pub fn is_relationship(d: &Diagnostic) -> bool {
    rules::find(d.rule).is_some_and(|r| r.category == Category::Relationship)
}

/// Diagnostics as short lines, for assertion messages.
pub fn describe(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let at = d.location.as_ref().map(|l| format!(" at {}:{}:{}", l.file, l.line, l.column)).unwrap_or_default();
            let on = d.resource.as_ref().map(|r| format!(" on {r}")).unwrap_or_default();
            format!("  {} {}{on}{at}: {}", d.severity, d.rule, d.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
