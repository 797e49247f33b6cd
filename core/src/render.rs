//! Values in, typed Kubernetes objects out: the model's one renderer (the Helm chart mirrors it).

use crate::manifest::hooks::{
    hook_annotations, is_hook, AFTER_INSTALL_BEFORE_UPGRADE, BEFORE_INSTALL_AND_UPGRADE, DATA_WEIGHT, SETUP_JOB_WEIGHT,
};
use crate::manifest::network_policy::NAMESPACE_NAME_LABEL;
use crate::manifest::{FieldMap, ManifestSet, Object, Origin, PodController, Resource};
use crate::path::field_path;
use crate::values::{
    Component, ComponentKind, DisruptionBudget, KeyFiles, PodCount, PortRef, PreStop, ProbeSpec, ResourceList, Values,
    ValuesContainer, Volume, DEFAULT_INGRESS_CLASS, DEFAULT_INGRESS_CONTROLLER_NAMESPACE, DEFAULT_STORAGE_CLASS,
};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, DeploymentSpec, StatefulSet};
use k8s_openapi::api::autoscaling::v2 as autoscaling;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as networking;
use k8s_openapi::api::policy::v1 as policy;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::ByteString;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Name and version of the chart kubeplay's model is (the `helm.sh/chart` label).
pub const CHART_NAME: &str = "kubeplay";
pub const CHART_VERSION: &str = "0.1.0";
/// The `app.kubernetes.io/managed-by` label value and the server-side apply field manager.
pub const MANAGER: &str = "kubeplay";

/// Name of the ConfigMap holding `config`.
pub fn config_map_name(values: &Values) -> String {
    format!("{}-config", values.app_name)
}
/// Name of the Secret holding `secrets`.
pub fn secret_name(values: &Values) -> String {
    format!("{}-secrets", values.app_name)
}

/// Labels Kubernetes recommends, on every object (`component` and `version` on workloads only).
fn standard_labels(values: &Values, release: &str, component: Option<(&str, &Component)>) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = values.common_labels.clone();
    labels.extend(selector_labels(values, release, component.map(|c| c.0)));
    labels.insert("app.kubernetes.io/part-of".into(), values.app_name.clone());
    labels.insert("app.kubernetes.io/managed-by".into(), MANAGER.into());
    labels.insert("helm.sh/chart".into(), format!("{CHART_NAME}-{CHART_VERSION}"));
    if let Some((_, c)) = component {
        // An image tag is not always a valid label value (`1.0-`, `a_`, 64+ characters): then
        // the label is left out rather than making the object invalid.
        if crate::names::label_value(&c.image.tag).is_ok() && !c.image.tag.is_empty() {
            labels.insert("app.kubernetes.io/version".into(), c.image.tag.clone());
        }
    }
    labels
}

/// The stable subset used in selectors: it must never change for the life of a Deployment.
fn selector_labels(values: &Values, release: &str, component: Option<&str>) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    labels.insert("app.kubernetes.io/name".into(), values.app_name.clone());
    labels.insert("app.kubernetes.io/instance".into(), release.to_string());
    if let Some(name) = component {
        labels.insert("app.kubernetes.io/component".into(), name.to_string());
    }
    labels
}

/// sha256 over `key=value\n` lines in key order: the input both kubeplay and the chart can form.
pub fn checksum(data: &BTreeMap<String, String>) -> String {
    sha256_hex(&[lines(data.iter().map(|(k, v)| (k.as_str(), v.as_str()))).as_bytes()])
}

/// The entry of `secrets` whose value keys `checksum/secret` ([`secret_checksum`]). It is stored
/// in the Secret like the others, never referenced by a container; `kubeplay apply` makes one
/// (random) the first time and keeps the cluster's after.
pub const CHECKSUM_KEY: &str = "KUBEPLAY_CHECKSUM_KEY";

/// `checksum/secret`: the pods roll when a secret value changes, but a reader of the Deployment
/// cannot test guesses of a value. With a key K ([`CHECKSUM_KEY`], not empty):
/// `sha256(K + sha256(K + lines))` (hex, as the chart's `sha256sum` writes it), over the
/// `key=value\n` lines of the other entries: a hash keyed by a secret that stays in the Secret,
/// nested so it cannot be extended. Without K: the lines with every value left out (`key=\n`),
/// which says only the key names (and the same as [`checksum`] of empty values).
pub fn secret_checksum(secrets: &BTreeMap<String, String>) -> String {
    let entries = secrets.iter().filter(|(k, _)| *k != CHECKSUM_KEY);
    match secrets.get(CHECKSUM_KEY).filter(|k| !k.is_empty()) {
        Some(key) => {
            let inner = sha256_hex(&[key.as_bytes(), lines(entries.map(|(k, v)| (k.as_str(), v.as_str()))).as_bytes()]);
            sha256_hex(&[key.as_bytes(), inner.as_bytes()])
        }
        None => sha256_hex(&[lines(entries.map(|(k, _)| (k.as_str(), ""))).as_bytes()]),
    }
}

/// `key=value\n` for each entry, in the order given.
fn lines<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    entries.map(|(k, v)| format!("{k}={v}\n")).collect()
}

/// sha256 of the parts one after the other, in lowercase hex.
fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    hex
}

/// What every component's render shares, computed once per render.
struct Shared {
    config_map: String,
    secret: String,
    /// Pod-template annotations of components that take config or secret keys.
    config_checksum: Option<String>,
    secret_checksum: Option<String>,
}

impl Shared {
    fn new(values: &Values) -> Self {
        Shared {
            config_map: config_map_name(values),
            secret: secret_name(values),
            config_checksum: (!values.config.is_empty()).then(|| checksum(&values.config)),
            secret_checksum: (!values.secrets.is_empty()).then(|| secret_checksum(&values.secrets)),
        }
    }
}

fn meta(name: &str, namespace: Option<&str>, labels: BTreeMap<String, String>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: namespace.map(str::to_string),
        labels: Some(labels),
        ..Default::default()
    }
}

fn port_ref(port: &PortRef) -> IntOrString {
    match port {
        PortRef::Number(n) => IntOrString::Int(*n),
        PortRef::Name(s) => IntOrString::String(s.clone()),
    }
}

fn some_if<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

fn quantities(list: &ResourceList) -> Option<BTreeMap<String, Quantity>> {
    let mut out = BTreeMap::new();
    if let Some(cpu) = &list.cpu {
        out.insert("cpu".to_string(), Quantity(cpu.clone()));
    }
    if let Some(memory) = &list.memory {
        out.insert("memory".to_string(), Quantity(memory.clone()));
    }
    (!out.is_empty()).then_some(out)
}

fn probe(probe: &Option<ProbeSpec>) -> Option<core::Probe> {
    probe.as_ref().map(|p| core::Probe {
        http_get: p.path.as_ref().map(|path| core::HTTPGetAction {
            path: Some(path.clone()),
            port: port_ref(&p.port),
            ..Default::default()
        }),
        tcp_socket: p.path.is_none().then(|| core::TCPSocketAction { port: port_ref(&p.port), host: None }),
        initial_delay_seconds: p.initial_delay_seconds,
        period_seconds: p.period_seconds,
        timeout_seconds: p.timeout_seconds,
        failure_threshold: p.failure_threshold,
        ..Default::default()
    })
}

// Manifest field -> values path for each field a finding can point at (see `FieldMap`: a
// values path starting with `.` or empty is under the object's own values path).

/// A Secret's or ConfigMap's fields (its keys are added per object).
const DATA_FIELDS: &[(&str, &str)] = &[("", ""), ("metadata.namespace", "namespace")];

/// A component's Service, under `components.NAME`.
const SERVICE_FIELDS: &[(&str, &str)] = &[
    ("", ""),
    ("metadata.namespace", "namespace"),
    ("spec", ".service"),
    ("spec.type", ".service.type"),
    ("spec.ports[0].port", ".service.port"),
    ("spec.ports[0].targetPort", ".service.targetPort"),
    ("spec.ports[0].name", ".service.targetPort"),
    ("spec.ports[0].nodePort", ".service.nodePort"),
];

/// A component's Deployment, under `components.NAME` (env variables and ports are added per
/// object).
const DEPLOYMENT_FIELDS: &[(&str, &str)] = &[
    ("", ""),
    ("metadata.namespace", "namespace"),
    ("spec.replicas", ".replicas"),
    ("spec.template.spec.serviceAccountName", ".serviceAccount"),
    ("spec.template.spec.automountServiceAccountToken", ".serviceAccount.automountServiceAccountToken"),
    ("spec.template.spec.containers[0].image", ".image"),
    ("spec.template.spec.containers[0].imagePullPolicy", ".image.pullPolicy"),
    ("spec.template.spec.containers[0].command", ".command"),
    ("spec.template.spec.containers[0].args", ".args"),
    ("spec.template.spec.containers[0].lifecycle.preStop", ".preStop"),
    ("spec.template.spec.terminationGracePeriodSeconds", ".terminationGracePeriodSeconds"),
    ("spec.template.spec.containers[0].securityContext", ".securityContext"),
    ("spec.template.spec.containers[0].resources", ".resources"),
    ("spec.template.spec.containers[0].livenessProbe", ".probes.liveness"),
    ("spec.template.spec.containers[0].livenessProbe.httpGet.path", ".probes.liveness.path"),
    ("spec.template.spec.containers[0].livenessProbe.httpGet.port", ".probes.liveness.port"),
    ("spec.template.spec.containers[0].livenessProbe.tcpSocket.port", ".probes.liveness.port"),
    ("spec.template.spec.containers[0].readinessProbe", ".probes.readiness"),
    ("spec.template.spec.containers[0].readinessProbe.httpGet.path", ".probes.readiness.path"),
    ("spec.template.spec.containers[0].readinessProbe.httpGet.port", ".probes.readiness.port"),
    ("spec.template.spec.containers[0].readinessProbe.tcpSocket.port", ".probes.readiness.port"),
    ("spec.template.spec.containers[0].startupProbe", ".probes.startup"),
    ("spec.template.spec.containers[0].startupProbe.httpGet.path", ".probes.startup.path"),
    ("spec.template.spec.containers[0].startupProbe.httpGet.port", ".probes.startup.port"),
    ("spec.template.spec.containers[0].startupProbe.tcpSocket.port", ".probes.startup.port"),
    ("spec.template.spec.containers[0].resources.requests.cpu", ".resources.requests.cpu"),
    ("spec.template.spec.containers[0].resources.requests.memory", ".resources.requests.memory"),
    ("spec.template.spec.containers[0].resources.limits.cpu", ".resources.limits.cpu"),
    ("spec.template.spec.containers[0].resources.limits.memory", ".resources.limits.memory"),
    ("spec.template.spec.containers[0].securityContext.runAsNonRoot", ".securityContext.runAsNonRoot"),
    ("spec.template.spec.containers[0].securityContext.runAsUser", ".securityContext.runAsUser"),
    (
        "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem",
        ".securityContext.readOnlyRootFilesystem",
    ),
    (
        "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation",
        ".securityContext.allowPrivilegeEscalation",
    ),
];

/// A component's PersistentVolumeClaim, under `components.NAME.volumes.VOLUME.persistentVolumeClaim`.
const CLAIM_FIELDS: &[(&str, &str)] = &[
    ("", ""),
    ("metadata.namespace", "namespace"),
    ("spec.accessModes", ".accessModes"),
    ("spec.storageClassName", ".storageClassName"),
    ("spec.resources.requests.storage", ".size"),
];

/// A container's env: configKeys and secretKeys in list order, the pod's fields by name, then
/// plain variables by name; each entry's values path goes into `fields`.
fn env_vars(shared: &Shared, v: &ValuesContainer, container_field: &str, fields: &mut FieldMap) -> Vec<core::EnvVar> {
    let mut env = Vec::with_capacity(v.env.len() + v.config_keys.len() + v.secret_keys.len() + v.field_env.len());
    // Paths are joined as text: a render makes thousands of entries and few are ever asked for.
    let at = v.at().to_string();
    let mut entry = |fields: &mut FieldMap, values_path: String, var: core::EnvVar| {
        fields.push(format!("{container_field}.env[{}]", env.len()), values_path);
        env.push(var);
    };
    let from = |source: core::EnvVarSource| Some(source);
    for (i, key) in v.config_keys.iter().enumerate() {
        let selector =
            core::ConfigMapKeySelector { name: shared.config_map.clone(), key: key.clone(), ..Default::default() };
        let value_from = from(core::EnvVarSource { config_map_key_ref: Some(selector), ..Default::default() });
        entry(
            fields,
            format!("{at}.configKeys[{i}]"),
            core::EnvVar { name: key.clone(), value_from, ..Default::default() },
        );
    }
    for (i, key) in v.secret_keys.iter().enumerate() {
        let selector = core::SecretKeySelector { name: shared.secret.clone(), key: key.clone(), ..Default::default() };
        let value_from = from(core::EnvVarSource { secret_key_ref: Some(selector), ..Default::default() });
        entry(
            fields,
            format!("{at}.secretKeys[{i}]"),
            core::EnvVar { name: key.clone(), value_from, ..Default::default() },
        );
    }
    for (key, field) in v.field_env {
        let selector = core::ObjectFieldSelector { field_path: field.as_str().to_string(), api_version: None };
        let value_from = from(core::EnvVarSource { field_ref: Some(selector), ..Default::default() });
        entry(
            fields,
            format!("{at}.{}", field_path!("fieldEnv", key)),
            core::EnvVar { name: key.clone(), value_from, ..Default::default() },
        );
    }
    // Plain values last: Kubernetes expands a `$(VAR)` in a value only from variables listed
    // before it, and these are the ones that name others (`postgres://u:$(DB_PASSWORD)@db`).
    for (key, value) in v.env {
        let var = core::EnvVar { name: key.clone(), value: Some(value.clone()), ..Default::default() };
        entry(fields, format!("{at}.{}", field_path!("env", key)), var);
    }
    env
}

/// A container's securityContext as the values give it; none when nothing is set.
fn security_context(sc: &crate::values::SecurityContext) -> Option<core::SecurityContext> {
    (!sc.is_empty()).then(|| core::SecurityContext {
        run_as_non_root: sc.run_as_non_root,
        run_as_user: sc.run_as_user,
        read_only_root_filesystem: sc.read_only_root_filesystem,
        allow_privilege_escalation: sc.allow_privilege_escalation,
        capabilities: sc.capabilities.as_ref().map(|c| core::Capabilities { add: c.add.clone(), drop: c.drop.clone() }),
        seccomp_profile: sc.seccomp_profile.as_ref().map(|p| core::SeccompProfile {
            type_: match p.type_ {
                crate::values::SeccompType::RuntimeDefault => "RuntimeDefault".into(),
                crate::values::SeccompType::Unconfined => "Unconfined".into(),
            },
            localhost_profile: None,
        }),
        ..Default::default()
    })
}

/// The container's lifecycle with its preStop hook.
fn pre_stop(hook: &PreStop) -> core::Lifecycle {
    let handler = match hook {
        PreStop::Sleep(seconds) => {
            core::LifecycleHandler { sleep: Some(core::SleepAction { seconds: *seconds }), ..Default::default() }
        }
        PreStop::Exec(command) => core::LifecycleHandler {
            exec: Some(core::ExecAction { command: Some(command.clone()) }),
            ..Default::default()
        },
    };
    core::Lifecycle { pre_stop: Some(handler), ..Default::default() }
}

/// A component's PodDisruptionBudget, under `components.NAME.podDisruptionBudget`.
const BUDGET_FIELDS: &[(&str, &str)] = &[
    ("", ""),
    ("metadata.namespace", "namespace"),
    ("spec.minAvailable", ".minAvailable"),
    ("spec.maxUnavailable", ".maxUnavailable"),
];

/// A component's ServiceAccount, under `components.NAME.serviceAccount`.
const ACCOUNT_FIELDS: &[(&str, &str)] = &[
    ("", ""),
    ("metadata.namespace", "namespace"),
    ("metadata.name", ".name"),
    ("automountServiceAccountToken", ".automountServiceAccountToken"),
];

/// The ServiceAccount a component's pods run as: its `name`, or the component's (an empty name
/// counts as none, as the chart's `default` reads it).
fn account_name(component: &str, account: &crate::values::ServiceAccountSpec) -> String {
    account.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| component.to_string())
}

fn pod_count(count: &PodCount) -> IntOrString {
    match count {
        PodCount::Number(n) => IntOrString::Int(*n),
        PodCount::Percent(p) => IntOrString::String(p.0.clone()),
    }
}

/// The claim a component's `persistentVolumeClaim` volume makes: `<component>-<volume>`.
pub fn claim_name(component: &str, volume: &str) -> String {
    format!("{component}-{volume}")
}

fn persistent_volume_claim(
    name: &str,
    ns: Option<&str>,
    labels: BTreeMap<String, String>,
    claim: &crate::values::Claim,
) -> core::PersistentVolumeClaim {
    let modes = match claim.access_modes.as_slice() {
        [] => vec![crate::values::AccessMode::ReadWriteOnce.as_str().to_string()],
        modes => modes.iter().map(|m| m.as_str().to_string()).collect(),
    };
    core::PersistentVolumeClaim {
        metadata: meta(name, ns, labels),
        spec: Some(core::PersistentVolumeClaimSpec {
            access_modes: Some(modes),
            storage_class_name: Some(claim.storage_class_name.as_deref().unwrap_or(DEFAULT_STORAGE_CLASS).to_string()),
            resources: Some(core::VolumeResourceRequirements {
                requests: Some(BTreeMap::from([("storage".to_string(), Quantity(claim.size.clone()))])),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A pod volume from a component's volume `name`.
fn pod_volume(shared: &Shared, component: &str, name: &str, source: &Volume) -> core::Volume {
    let items = |files: &KeyFiles| {
        some_if(
            files
                .items
                .iter()
                .map(|(key, path)| core::KeyToPath { key: key.clone(), path: path.clone(), ..Default::default() })
                .collect(),
        )
    };
    let mut volume = core::Volume { name: name.to_string(), ..Default::default() };
    match source {
        Volume::EmptyDir(dir) => {
            volume.empty_dir = Some(core::EmptyDirVolumeSource {
                medium: dir.medium.map(|_| "Memory".to_string()),
                size_limit: dir.size_limit.clone().map(Quantity),
            })
        }
        Volume::ConfigMap(files) => {
            volume.config_map = Some(core::ConfigMapVolumeSource {
                name: shared.config_map.clone(),
                items: items(files),
                default_mode: files.default_mode,
                ..Default::default()
            })
        }
        Volume::Secret(files) => {
            volume.secret = Some(core::SecretVolumeSource {
                secret_name: Some(shared.secret.clone()),
                items: items(files),
                default_mode: files.default_mode,
                ..Default::default()
            })
        }
        Volume::PersistentVolumeClaim(_) => {
            volume.persistent_volume_claim = Some(core::PersistentVolumeClaimVolumeSource {
                claim_name: claim_name(component, name),
                ..Default::default()
            })
        }
    }
    volume
}

/// Render values into the model's objects, in Helm's install order.
pub fn render(values: &Values, release: &str) -> ManifestSet {
    let ns = values.namespace.as_str();
    let mut set = ManifestSet::default();
    let mut push = |object: Object, fields: FieldMap| {
        set.resources.push(Resource { object, origin: Origin::Rendered { fields } });
    };

    push(
        Object::Namespace(Box::new(core::Namespace {
            metadata: meta(ns, None, standard_labels(values, release, None)),
            ..Default::default()
        })),
        FieldMap::new("namespace".into(), &[("", "")]),
    );

    // A component's policy, budget, account, claims, Service and Deployment carry the same
    // labels: worked out once.
    let mut component_labels: Vec<BTreeMap<String, String>> =
        values.components.iter().map(|(name, c)| standard_labels(values, release, Some((name, c)))).collect();
    // NetworkPolicies next, as Helm installs them: the release's default deny, then each
    // component's own.
    if values.network_policy.is_some() {
        push(
            Object::NetworkPolicy(Box::new(default_deny(values, release))),
            FieldMap::new("networkPolicy".into(), DENY_FIELDS),
        );
    }
    let controller = values.network_policy.as_ref().and_then(|p| p.ingress_controller_namespace.as_deref());
    for ((name, c), labels) in values.components.iter().zip(&component_labels) {
        if let Some(allow) = &c.allow_from {
            let (policy, fields) = allow_from(values, release, name, allow, labels.clone(), controller);
            push(Object::NetworkPolicy(Box::new(policy)), fields);
        }
    }
    for ((name, c), labels) in values.components.iter().zip(&component_labels) {
        let Some(budget) = &c.pod_disruption_budget else { continue };
        let (min_available, max_unavailable) = match budget {
            DisruptionBudget::MinAvailable(n) => (Some(pod_count(n)), None),
            DisruptionBudget::MaxUnavailable(n) => (None, Some(pod_count(n))),
        };
        push(
            Object::PodDisruptionBudget(Box::new(policy::PodDisruptionBudget {
                metadata: meta(name, Some(ns), labels.clone()),
                spec: Some(policy::PodDisruptionBudgetSpec {
                    min_available,
                    max_unavailable,
                    selector: Some(LabelSelector {
                        match_labels: Some(selector_labels(values, release, Some(name))),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                status: None,
            })),
            FieldMap::new(field_path!("components", name, "podDisruptionBudget").to_string(), BUDGET_FIELDS),
        );
    }
    for ((name, c), labels) in values.components.iter().zip(&component_labels) {
        let Some(account) = c.service_account.as_ref().filter(|a| a.create) else { continue };
        push(
            Object::ServiceAccount(Box::new(core::ServiceAccount {
                metadata: meta(&account_name(name, account), Some(ns), labels.clone()),
                automount_service_account_token: Some(account.automount_service_account_token),
                ..Default::default()
            })),
            FieldMap::new(field_path!("components", name, "serviceAccount").to_string(), ACCOUNT_FIELDS),
        );
    }

    let shared = Shared::new(values);
    let labels = standard_labels(values, release, None);
    let all = |_: &str, _: DataKind| true;
    push_data(&mut push, values, &shared.secret, &shared.config_map, &labels, None, &all);
    // A setup Job runs before Helm makes the release's own objects: it reads hook copies of
    // the keys it takes, made just before it (the release's Secret and ConfigMap stay the
    // release's, which an upgrade never deletes).
    let [setup_config, setup_secrets] = setup_keys(values);
    if !(setup_config.is_empty() && setup_secrets.is_empty()) {
        let annotations = hook_annotations(BEFORE_INSTALL_AND_UPGRADE, DATA_WEIGHT);
        let read = |key: &str, kind: DataKind| match kind {
            DataKind::Config => setup_config.contains(key),
            DataKind::Secret => setup_secrets.contains(key),
        };
        push_data(
            &mut push,
            values,
            &setup_secret_name(values),
            &setup_config_map_name(values),
            &labels,
            Some(annotations),
            &read,
        );
    }

    for ((name, c), labels) in values.components.iter().zip(&component_labels) {
        for (volume, source) in &c.volumes {
            if let Volume::PersistentVolumeClaim(claim) = source {
                let at = field_path!("components", name, "volumes", volume, "persistentVolumeClaim").to_string();
                push(
                    Object::PersistentVolumeClaim(Box::new(persistent_volume_claim(
                        &claim_name(name, volume),
                        Some(ns),
                        labels.clone(),
                        claim,
                    ))),
                    FieldMap::new(at, CLAIM_FIELDS),
                );
            }
        }
    }
    for ((name, c), labels) in values.components.iter().zip(&component_labels) {
        let Some(svc) = &c.service else { continue };
        let port = core::ServicePort {
            name: match &svc.target_port {
                PortRef::Name(n) => Some(n.clone()),
                PortRef::Number(_) => None,
            },
            port: svc.port,
            target_port: Some(port_ref(&svc.target_port)),
            node_port: svc.node_port,
            protocol: Some("TCP".into()),
            ..Default::default()
        };
        push(
            Object::Service(Box::new(core::Service {
                metadata: meta(name, Some(ns), labels.clone()),
                spec: Some(core::ServiceSpec {
                    type_: Some(svc.type_.as_str().into()),
                    selector: Some(selector_labels(values, release, Some(name))),
                    ports: Some(vec![port]),
                    ..Default::default()
                }),
                ..Default::default()
            })),
            FieldMap::new(field_path!("components", name).to_string(), SERVICE_FIELDS),
        );
    }
    for ((name, c), labels) in values.components.iter().zip(&component_labels) {
        if c.kind == ComponentKind::StatefulSet {
            let (service, fields) = headless_service(values, release, name, c, labels.clone());
            push(Object::Service(Box::new(service)), fields);
        }
    }

    // Made only for a release with a setup Job: the checksums are the release's.
    let setup_shared = values.components.values().any(is_setup_job).then(|| Shared {
        config_map: setup_config_map_name(values),
        secret: setup_secret_name(values),
        config_checksum: shared.config_checksum.clone(),
        secret_checksum: shared.secret_checksum.clone(),
    });
    // Autoscalers after the Deployments they scale, as Helm installs them; labels are taken
    // by the Deployments, so the autoscaler's are made again.
    let mut autoscalers = Vec::new();
    for ((name, c), labels) in values.components.iter().zip(component_labels.iter_mut()) {
        if let Some(scaling) = &c.autoscaling {
            autoscalers.push((meta(name, Some(ns), labels.clone()), name, scaling, c.kind));
        }
        let data = setup_shared.as_ref().filter(|_| is_setup_job(c)).unwrap_or(&shared);
        let (workload, fields) = workload(values, data, release, name, c, std::mem::take(labels));
        push(workload, fields);
    }
    for (metadata, name, scaling, kind) in autoscalers {
        push(
            Object::HorizontalPodAutoscaler(Box::new(autoscaler(metadata, name, scaling, kind))),
            FieldMap::new(field_path!("components", name, "autoscaling").to_string(), AUTOSCALING_FIELDS),
        );
    }
    // Last, as Helm installs Ingresses.
    if let Some(spec) = &values.ingress {
        let (ingress, fields) = ingress(values, release, spec);
        push(Object::Ingress(Box::new(ingress)), fields);
    }
    // Helm's order: by kind (each kind's objects as made), hooks after the release's objects
    // (as `helm template` writes them; `kubeplay apply` runs them first).
    set.resources
        .sort_by_cached_key(|r| (is_hook(r.object.metadata()), crate::resource::install_rank(r.object.kind())));
    set
}

/// The apiVersion a component's workload is written with.
fn workload_api_version(kind: ComponentKind) -> &'static str {
    use k8s_openapi::Resource as _;
    match kind {
        ComponentKind::Deployment => Deployment::API_VERSION,
        ComponentKind::StatefulSet => StatefulSet::API_VERSION,
        ComponentKind::DaemonSet => DaemonSet::API_VERSION,
        ComponentKind::Job => Job::API_VERSION,
        ComponentKind::CronJob => CronJob::API_VERSION,
    }
}

/// Whether a component is a Job the release runs before its other workloads.
fn is_setup_job(c: &Component) -> bool {
    c.kind == ComponentKind::Job && c.hook
}

/// The hook copies of the release's Secret and ConfigMap that setup Jobs read.
pub fn setup_secret_name(values: &Values) -> String {
    format!("{}-setup-secrets", values.app_name)
}
pub fn setup_config_map_name(values: &Values) -> String {
    format!("{}-setup-config", values.app_name)
}

/// The `config` and `secrets` keys setup Jobs read (as variables, or as files: every key of a
/// volume that names none); both empty without a setup Job.
fn setup_keys(values: &Values) -> [std::collections::BTreeSet<&str>; 2] {
    let [mut config, mut secrets] = [std::collections::BTreeSet::new(), std::collections::BTreeSet::new()];
    for c in values.components.values().filter(|c| is_setup_job(c)) {
        for container in c.containers("") {
            config.extend(container.config_keys.iter().map(String::as_str));
            secrets.extend(container.secret_keys.iter().map(String::as_str));
        }
        for source in c.volumes.values() {
            let (files, all, keys) = match source {
                Volume::ConfigMap(files) => (files, &values.config, &mut config),
                Volume::Secret(files) => (files, &values.secrets, &mut secrets),
                _ => continue,
            };
            match files.items.is_empty() {
                true => keys.extend(all.keys().map(String::as_str)),
                false => keys.extend(files.items.keys().map(String::as_str)),
            }
        }
    }
    [config, secrets]
}

/// Which of the release's data objects a key is of.
#[derive(Clone, Copy)]
enum DataKind {
    Config,
    Secret,
}

/// The release's Secret and ConfigMap (each only when it has keys), or, with `annotations`,
/// their hook copies of the keys `read` takes: each data key's finding points at its values key.
fn push_data(
    push: &mut impl FnMut(Object, FieldMap),
    values: &Values,
    secret: &str,
    config: &str,
    labels: &BTreeMap<String, String>,
    annotations: Option<BTreeMap<String, String>>,
    read: &dyn Fn(&str, DataKind) -> bool,
) {
    let metadata = |name: &str| ObjectMeta {
        annotations: annotations.clone(),
        ..meta(name, Some(&values.namespace), labels.clone())
    };
    // Maps filled by `extend`, not `collect`: collecting into a BTreeMap compiles one more
    // stable sort per map type (`crate::sort`).
    let mut secrets: BTreeMap<&String, &String> = BTreeMap::new();
    secrets.extend(values.secrets.iter().filter(|(k, _)| read(k, DataKind::Secret)));
    if !secrets.is_empty() {
        let mut fields = FieldMap::new("secrets".into(), DATA_FIELDS);
        for k in secrets.keys() {
            fields.push(field_path!("data", k.as_str()).to_string(), field_path!("secrets", k.as_str()).to_string());
        }
        let mut data = BTreeMap::new();
        data.extend(secrets.iter().map(|(k, v)| (k.to_string(), ByteString(v.as_bytes().to_vec()))));
        let secret = core::Secret {
            metadata: metadata(secret),
            type_: Some("Opaque".into()),
            data: Some(data),
            ..Default::default()
        };
        push(Object::Secret(Box::new(secret)), fields);
    }
    let mut config_data: BTreeMap<String, String> = BTreeMap::new();
    config_data
        .extend(values.config.iter().filter(|(k, _)| read(k, DataKind::Config)).map(|(k, v)| (k.clone(), v.clone())));
    if !config_data.is_empty() {
        let mut fields = FieldMap::new("config".into(), DATA_FIELDS);
        for k in config_data.keys() {
            fields.push(field_path!("data", k).to_string(), field_path!("config", k).to_string());
        }
        let config_map = core::ConfigMap { metadata: metadata(config), data: Some(config_data), ..Default::default() };
        push(Object::ConfigMap(Box::new(config_map)), fields);
    }
}

/// The headless Service a StatefulSet's pods get their stable names from
/// (`db-0.db-headless.<namespace>.svc`).
pub fn headless_service_name(component: &str) -> String {
    format!("{component}-headless")
}

/// A StatefulSet component's governing Service, under `components.NAME` (it exists because of
/// `kind`): no cluster IP, every container port, ready or not (peers find each other while
/// starting).
const HEADLESS_FIELDS: &[(&str, &str)] = &[("", ".kind"), ("metadata.namespace", "namespace")];

fn headless_service(
    values: &Values,
    release: &str,
    name: &str,
    c: &Component,
    labels: BTreeMap<String, String>,
) -> (core::Service, FieldMap) {
    let mut fields = FieldMap::new(field_path!("components", name).to_string(), HEADLESS_FIELDS);
    let ports = c
        .ports
        .iter()
        .enumerate()
        .map(|(i, p)| {
            fields.push(format!("spec.ports[{i}]"), field_path!("components", name, "ports", i).to_string());
            core::ServicePort {
                name: Some(p.name.clone()),
                port: p.container_port,
                target_port: Some(IntOrString::String(p.name.clone())),
                protocol: Some("TCP".into()),
                ..Default::default()
            }
        })
        .collect();
    let service = core::Service {
        metadata: meta(&headless_service_name(name), Some(&values.namespace), labels),
        spec: Some(core::ServiceSpec {
            cluster_ip: Some("None".into()),
            publish_not_ready_addresses: Some(true),
            selector: Some(selector_labels(values, release, Some(name))),
            ports: some_if(ports),
            ..Default::default()
        }),
        ..Default::default()
    };
    (service, fields)
}

/// The release's default-deny NetworkPolicy, under `networkPolicy`.
const DENY_FIELDS: &[(&str, &str)] = &[("", ""), ("metadata.namespace", "namespace")];

/// A component's NetworkPolicy, under `components.NAME.allowFrom`; each peer maps to its entry.
const ALLOW_FIELDS: &[(&str, &str)] = &[("", ""), ("metadata.namespace", "namespace")];

/// The name of the release's default-deny NetworkPolicy.
fn default_deny_name(values: &Values) -> String {
    format!("{}-default-deny", values.app_name)
}

/// Isolates every pod of the release for incoming traffic and admits nothing: each component
/// then takes only what its own policy admits.
fn default_deny(values: &Values, release: &str) -> networking::NetworkPolicy {
    networking::NetworkPolicy {
        metadata: meta(&default_deny_name(values), Some(&values.namespace), standard_labels(values, release, None)),
        spec: Some(networking::NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(selector_labels(values, release, None)),
                ..Default::default()
            }),
            policy_types: Some(vec!["Ingress".into()]),
            ..Default::default()
        }),
    }
}

/// A component's own NetworkPolicy: its pods take connections from the components, the
/// ingress controller's namespace (`controller`, or Minikube's) and the namespaces `allow`
/// names, in that order, on every port, and from `anywhere` in a rule of its own; from nothing
/// when it names none.
fn allow_from(
    values: &Values,
    release: &str,
    component: &str,
    allow: &crate::values::AllowFrom,
    labels: BTreeMap<String, String>,
    controller: Option<&str>,
) -> (networking::NetworkPolicy, FieldMap) {
    let base = field_path!("components", component, "allowFrom");
    let mut fields = FieldMap::new(base.to_string(), ALLOW_FIELDS);
    let mut peers = Vec::new();
    let mut peer = |peer: networking::NetworkPolicyPeer, at: crate::path::FieldPath| {
        fields.push(format!("spec.ingress[0].from[{}]", peers.len()), at.to_string());
        peers.push(peer);
    };
    let namespace_peer = |namespace: &str| networking::NetworkPolicyPeer {
        namespace_selector: Some(LabelSelector {
            match_labels: Some(BTreeMap::from([(NAMESPACE_NAME_LABEL.to_string(), namespace.to_string())])),
            ..Default::default()
        }),
        ..Default::default()
    };
    for (i, other) in allow.components.iter().enumerate() {
        let selector =
            LabelSelector { match_labels: Some(selector_labels(values, release, Some(other))), ..Default::default() };
        peer(
            networking::NetworkPolicyPeer { pod_selector: Some(selector), ..Default::default() },
            base.join(&field_path!("components", i)),
        );
    }
    if allow.ingress_controller {
        let namespace = controller.filter(|n| !n.is_empty()).unwrap_or(DEFAULT_INGRESS_CONTROLLER_NAMESPACE);
        peer(namespace_peer(namespace), base.join(&field_path!("ingressController")));
    }
    for (i, namespace) in allow.namespaces.iter().enumerate() {
        peer(namespace_peer(namespace), base.join(&field_path!("namespaces", i)));
    }
    let mut rules = Vec::new();
    if !peers.is_empty() {
        rules.push(networking::NetworkPolicyIngressRule { from: Some(peers), ports: None });
    }
    if allow.anywhere {
        // A rule without `from` admits every source.
        fields.push(format!("spec.ingress[{}]", rules.len()), base.join(&field_path!("anywhere")).to_string());
        rules.push(networking::NetworkPolicyIngressRule::default());
    }
    let policy = networking::NetworkPolicy {
        metadata: meta(component, Some(&values.namespace), labels),
        spec: Some(networking::NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(selector_labels(values, release, Some(component))),
                ..Default::default()
            }),
            policy_types: Some(vec!["Ingress".into()]),
            ingress: some_if(rules),
            ..Default::default()
        }),
    };
    (policy, fields)
}

/// The release's Ingress, named like the app: each path to its component's Service, on the
/// port given or the Service's own.
fn ingress(values: &Values, release: &str, spec: &crate::values::IngressSpec) -> (networking::Ingress, FieldMap) {
    let mut fields = FieldMap::new("ingress".into(), INGRESS_FIELDS);
    let rules = spec
        .hosts
        .iter()
        .enumerate()
        .map(|(i, host)| networking::IngressRule {
            host: host.host.clone(),
            http: Some(networking::HTTPIngressRuleValue {
                paths: host
                    .paths
                    .iter()
                    .enumerate()
                    .map(|(j, p)| {
                        let at = format!("spec.rules[{i}].http.paths[{j}]");
                        fields.push(at.clone(), format!("ingress.hosts[{i}].paths[{j}]"));
                        fields.push(format!("{at}.backend"), format!("ingress.hosts[{i}].paths[{j}].component"));
                        fields
                            .push(format!("{at}.backend.service.port"), format!("ingress.hosts[{i}].paths[{j}].port"));
                        let service_port =
                            values.components.get(&p.component).and_then(|c| c.service.as_ref()).map(|s| s.port);
                        networking::HTTPIngressPath {
                            path: Some(p.path.clone()),
                            path_type: p.path_type.as_str().into(),
                            backend: networking::IngressBackend {
                                service: Some(networking::IngressServiceBackend {
                                    name: p.component.clone(),
                                    port: Some(networking::ServiceBackendPort {
                                        number: Some(p.port.or(service_port).unwrap_or(80)),
                                        name: None,
                                    }),
                                }),
                                resource: None,
                            },
                        }
                    })
                    .collect(),
            }),
        })
        .collect();
    let tls = spec
        .tls
        .iter()
        .enumerate()
        .map(|(k, t)| {
            fields.push(format!("spec.tls[{k}].secretName"), format!("ingress.tls[{k}].secretName"));
            networking::IngressTLS { hosts: some_if(t.hosts.clone()), secret_name: Some(t.secret_name.clone()) }
        })
        .collect();
    let ingress = networking::Ingress {
        metadata: meta(&values.app_name, Some(&values.namespace), standard_labels(values, release, None)),
        spec: Some(networking::IngressSpec {
            ingress_class_name: Some(spec.class_name.clone().unwrap_or_else(|| DEFAULT_INGRESS_CLASS.into())),
            rules: Some(rules),
            tls: some_if(tls),
            ..Default::default()
        }),
        status: None,
    };
    (ingress, fields)
}

/// The release's Ingress, under `ingress` (each path's fields are added per object).
const INGRESS_FIELDS: &[(&str, &str)] =
    &[("", ""), ("metadata.namespace", "namespace"), ("spec.ingressClassName", ".className")];

/// A component's HorizontalPodAutoscaler, under `components.NAME.autoscaling`.
const AUTOSCALING_FIELDS: &[(&str, &str)] = &[
    ("", ""),
    ("metadata.namespace", "namespace"),
    ("spec.minReplicas", ".minReplicas"),
    ("spec.maxReplicas", ".maxReplicas"),
    ("spec.scaleTargetRef", ""),
];

fn autoscaler(
    metadata: ObjectMeta,
    name: &str,
    scaling: &crate::values::Autoscaling,
    kind: ComponentKind,
) -> autoscaling::HorizontalPodAutoscaler {
    // CPU, then memory, each only when given (with none, autoscaling/v2 aims at 80% CPU).
    let metrics: Vec<autoscaling::MetricSpec> =
        [("cpu", scaling.target_cpu_utilization_percentage), ("memory", scaling.target_memory_utilization_percentage)]
            .into_iter()
            .filter_map(|(resource, target)| {
                Some(autoscaling::MetricSpec {
                    type_: "Resource".into(),
                    resource: Some(autoscaling::ResourceMetricSource {
                        name: resource.into(),
                        target: autoscaling::MetricTarget {
                            type_: "Utilization".into(),
                            average_utilization: Some(target?),
                            ..Default::default()
                        },
                    }),
                    ..Default::default()
                })
            })
            .collect();
    autoscaling::HorizontalPodAutoscaler {
        metadata,
        spec: Some(autoscaling::HorizontalPodAutoscalerSpec {
            scale_target_ref: autoscaling::CrossVersionObjectReference {
                api_version: Some(workload_api_version(kind).into()),
                kind: kind.as_str().into(),
                name: name.into(),
            },
            min_replicas: scaling.min_replicas,
            max_replicas: scaling.max_replicas,
            metrics: some_if(metrics),
            ..Default::default()
        }),
        status: None,
    }
}

/// A component's pod template, and the map of its fields (written at `spec.template`).
fn pod_template(
    shared: &Shared,
    name: &str,
    c: &Component,
    labels: BTreeMap<String, String>,
) -> (core::PodTemplateSpec, FieldMap) {
    // Written by FieldPath, which quotes a key holding `.` (`env["a.b"]`), so it parses back.
    let at = field_path!("components", name).to_string();
    let mut fields = FieldMap::new(at.clone(), DEPLOYMENT_FIELDS);
    let containers: Vec<ValuesContainer> = c.containers(name).collect();
    let (app, inits) = containers.split_last().expect("a component runs its own container");
    let env = env_vars(shared, app, "spec.template.spec.containers[0]", &mut fields);
    let init_containers: Vec<core::Container> = inits
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let at = format!("spec.template.spec.initContainers[{i}]");
            fields.push(at.clone(), v.at().to_string());
            fields.push(format!("{at}.image"), v.at().join(&field_path!("image")).to_string());
            let env = env_vars(shared, v, &at, &mut fields);
            core::Container {
                name: v.name.to_string(),
                security_context: security_context(v.security_context),
                image: Some(v.image.reference()),
                image_pull_policy: v.image.pull_policy.map(|p| p.as_str().to_string()),
                command: some_if(v.command.to_vec()),
                args: some_if(v.args.to_vec()),
                env: some_if(env),
                ..Default::default()
            }
        })
        .collect();

    let ports = c
        .ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            fields.push(format!("spec.template.spec.containers[0].ports[{i}]"), format!("{at}.ports[{i}]"));
            core::ContainerPort {
                name: Some(port.name.clone()),
                container_port: port.container_port,
                protocol: Some("TCP".into()),
                ..Default::default()
            }
        })
        .collect();

    let mut annotations = BTreeMap::new();
    // The pods roll when data any of their containers reads changes.
    let takes_config = containers.iter().any(|v| !v.config_keys.is_empty());
    let takes_secrets = containers.iter().any(|v| !v.secret_keys.is_empty());
    if let Some(sum) = shared.config_checksum.as_ref().filter(|_| takes_config) {
        annotations.insert("checksum/config".to_string(), sum.clone());
    }
    if let Some(sum) = shared.secret_checksum.as_ref().filter(|_| takes_secrets) {
        annotations.insert("checksum/secret".to_string(), sum.clone());
    }

    let security_context = security_context(&c.security_context);
    let resources = (c.resources != Default::default()).then(|| core::ResourceRequirements {
        requests: quantities(&c.resources.requests),
        limits: quantities(&c.resources.limits),
        ..Default::default()
    });

    let mut pod_volumes = Vec::with_capacity(c.volumes.len());
    for (volume, source) in &c.volumes {
        let i = pod_volumes.len();
        fields.push(
            format!("spec.template.spec.volumes[{i}]"),
            field_path!("components", name, "volumes", volume).to_string(),
        );
        // A missing key is reported on its item: it points at the key in `items`.
        let files = match source {
            Volume::ConfigMap(files) => Some(("configMap", files)),
            Volume::Secret(files) => Some(("secret", files)),
            _ => None,
        };
        if let Some((kind, files)) = files {
            for (j, key) in files.items.keys().enumerate() {
                fields.push(
                    format!("spec.template.spec.volumes[{i}].{kind}.items[{j}]"),
                    field_path!("components", name, "volumes", volume, kind, "items", key).to_string(),
                );
            }
        }
        pod_volumes.push(pod_volume(shared, name, volume, source));
    }
    let mounts = c
        .volume_mounts
        .iter()
        .enumerate()
        .map(|(i, mount)| {
            fields
                .push(format!("spec.template.spec.containers[0].volumeMounts[{i}]"), format!("{at}.volumeMounts[{i}]"));
            core::VolumeMount {
                name: mount.name.clone(),
                mount_path: mount.mount_path.clone(),
                read_only: mount.read_only,
                sub_path: mount.sub_path.clone(),
                ..Default::default()
            }
        })
        .collect();

    let container = core::Container {
        name: name.to_string(),
        image: Some(c.image.reference()),
        image_pull_policy: c.image.pull_policy.map(|p| p.as_str().to_string()),
        command: some_if(c.command.clone()),
        args: some_if(c.args.clone()),
        lifecycle: c.pre_stop.as_ref().map(pre_stop),
        ports: some_if(ports),
        env: some_if(env),
        liveness_probe: probe(&c.probes.liveness),
        readiness_probe: probe(&c.probes.readiness),
        startup_probe: probe(&c.probes.startup),
        resources,
        security_context,
        volume_mounts: some_if(mounts),
        ..Default::default()
    };
    let template = core::PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..Default::default()
        }),
        spec: Some(core::PodSpec {
            automount_service_account_token: c.service_account.as_ref().map(|a| a.automount_service_account_token),
            containers: vec![container],
            init_containers: some_if(init_containers),
            // A Job's pods may not restart `Always`, the kubelet's default.
            restart_policy: c
                .kind
                .workload()
                .runs_to_completion()
                .then(|| c.restart_policy.unwrap_or_default().as_str().to_string()),
            service_account_name: c.service_account.as_ref().map(|a| account_name(name, a)),
            termination_grace_period_seconds: c.termination_grace_period_seconds,
            volumes: some_if(pod_volumes),
            ..Default::default()
        }),
    };
    (template, fields)
}

/// A component's workload, under `components.NAME`: its pod template in the kind it asks for.
fn workload(
    values: &Values,
    shared: &Shared,
    release: &str,
    name: &str,
    c: &Component,
    labels: BTreeMap<String, String>,
) -> (Object, FieldMap) {
    let metadata = meta(name, Some(&values.namespace), labels.clone());
    let (template, mut fields) = pod_template(shared, name, c, labels);
    let selector =
        || LabelSelector { match_labels: Some(selector_labels(values, release, Some(name))), ..Default::default() };
    // An autoscaler sets the count: written here, every apply would reset it.
    let replicas = c.autoscaling.is_none().then(|| c.replica_count());
    let kind = c.kind.workload();
    let mut controller = PodController {
        kind,
        api_version: workload_api_version(c.kind).to_string(),
        metadata,
        template,
        ..Default::default()
    };
    let base = field_path!("components", name).to_string();
    let at = |key: &str| format!("{base}.{key}");
    match c.kind {
        ComponentKind::Deployment => {
            let deployment = Deployment {
                metadata: controller.metadata,
                spec: Some(DeploymentSpec {
                    replicas,
                    selector: selector(),
                    template: controller.template,
                    ..Default::default()
                }),
                ..Default::default()
            };
            return (Object::Deployment(Box::new(deployment)), fields);
        }
        ComponentKind::StatefulSet => {
            controller.replicas = replicas;
            controller.selector = Some(selector());
            controller.service_name = Some(headless_service_name(name));
            for (claim, spec) in &c.volume_claim_templates {
                fields.push(
                    format!("spec.volumeClaimTemplates[{}]", controller.volume_claim_templates.len()),
                    field_path!("components", name, "volumeClaimTemplates", claim).to_string(),
                );
                let mut template = persistent_volume_claim(claim, None, BTreeMap::new(), spec);
                template.metadata.labels = None;
                controller.volume_claim_templates.push(template);
            }
        }
        ComponentKind::DaemonSet => controller.selector = Some(selector()),
        ComponentKind::Job | ComponentKind::CronJob => {
            controller.backoff_limit = c.backoff_limit;
            fields.push("spec.backoffLimit".into(), at("backoffLimit"));
            if c.kind == ComponentKind::CronJob {
                controller.schedule = c.schedule.clone();
                controller.concurrency_policy = c.concurrency_policy.map(|p| p.as_str().to_string());
                controller.successful_jobs_history_limit = c.successful_jobs_history_limit;
                controller.failed_jobs_history_limit = c.failed_jobs_history_limit;
                for key in ["schedule", "concurrencyPolicy", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
                    fields.push(format!("spec.{key}"), at(key));
                }
                fields.push("spec.jobTemplate.spec.backoffLimit".into(), at("backoffLimit"));
                fields = fields.with_template_at("spec.jobTemplate.spec.template");
            } else if c.hook {
                let points =
                    if c.hook_after_install { AFTER_INSTALL_BEFORE_UPGRADE } else { BEFORE_INSTALL_AND_UPGRADE };
                controller.metadata.annotations = Some(hook_annotations(points, SETUP_JOB_WEIGHT));
                let key = if c.hook_after_install { "hookAfterInstall" } else { "hook" };
                fields.push("metadata.annotations".into(), at(key));
            }
        }
    }
    (Object::Workload(Box::new(controller)), fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load, ValuesInput};

    fn default_values() -> Values {
        load(&ValuesInput::default()).values.unwrap()
    }

    #[test]
    fn the_default_renders_seven_resources_in_install_order() {
        let set = render(&default_values(), "todo-chatbot");
        let ids: Vec<String> = set.resources.iter().map(|r| r.object.id()).collect();
        assert_eq!(
            ids,
            [
                "Namespace/todo-chatbot",
                "Secret/todo-chatbot-secrets",
                "ConfigMap/todo-chatbot-config",
                "Service/todo-backend",
                "Service/todo-frontend",
                "Deployment/todo-backend",
                "Deployment/todo-frontend"
            ]
        );
    }

    #[test]
    fn a_config_change_changes_the_pod_template_checksum() {
        let mut values = default_values();
        let before = crate::manifest::to_yaml(&render(&values, "r"));
        values.config.insert("LOG_LEVEL".into(), "debug".into());
        let after = crate::manifest::to_yaml(&render(&values, "r"));
        let sum = |y: &str| y.lines().find(|l| l.contains("checksum/config")).map(str::to_string);
        assert_ne!(sum(&before), sum(&after));
        assert!(sum(&before).is_some());
    }

    #[test]
    fn the_secret_checksum_is_keyed_and_says_nothing_of_values_without_a_key() {
        let map = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let weak: BTreeMap<String, String> = map(&[("PASSWORD", "hunter2")]);
        let other: BTreeMap<String, String> = map(&[("PASSWORD", "letmein")]);
        // Without a key: names only, so a guess cannot be tested, and the same as before for
        // the presets' empty values.
        assert_eq!(secret_checksum(&weak), secret_checksum(&other));
        assert_eq!(secret_checksum(&weak), checksum(&map(&[("PASSWORD", "")])));
        // With a key: a value change rolls the pods; the unkeyed hash of the guess is not it.
        let keyed = |m: &BTreeMap<String, String>, key: &str| {
            let mut m = m.clone();
            m.insert(CHECKSUM_KEY.into(), key.into());
            secret_checksum(&m)
        };
        assert_ne!(keyed(&weak, "k1"), keyed(&other, "k1"));
        assert_ne!(keyed(&weak, "k1"), keyed(&weak, "k2"));
        assert_ne!(keyed(&weak, "k1"), checksum(&weak));
        // sha256("k1" + sha256("k1" + "PASSWORD=hunter2\n")), as `sha256sum` in the chart.
        let inner = sha256_hex(&[b"k1PASSWORD=hunter2\n"]);
        assert_eq!(keyed(&weak, "k1"), sha256_hex(&[format!("k1{inner}").as_bytes()]));
        assert_eq!(keyed(&weak, ""), secret_checksum(&weak), "an empty key is no key");
    }

    #[test]
    fn selectors_use_only_stable_labels() {
        let set = render(&default_values(), "rel");
        let (_, d) = set.deployments().next().unwrap();
        let selector = d.spec.as_ref().unwrap().selector.match_labels.as_ref().unwrap();
        assert!(!selector.contains_key("app.kubernetes.io/version"));
        assert_eq!(selector["app.kubernetes.io/instance"], "rel");
    }

    #[test]
    fn findings_on_secret_and_config_keys_point_at_their_values_keys() {
        let set = render(&default_values(), "r");
        for (kind, values_key) in [("Secret", "secrets"), ("ConfigMap", "config")] {
            let i = set.resources.iter().position(|r| r.object.kind() == kind).unwrap();
            let key = match &set.resources[i].object {
                Object::Secret(s) => s.data.as_ref().unwrap().keys().next().unwrap().clone(),
                Object::ConfigMap(c) => c.data.as_ref().unwrap().keys().next().unwrap().clone(),
                _ => unreachable!(),
            };
            // Rules name a data key's field with `field_path!`, as here.
            let place = set.resolve(i, &field_path!("data", key.as_str()));
            assert_eq!(place.values_path.unwrap(), field_path!(values_key, key.as_str()), "{kind}");
        }
    }

    #[test]
    fn values_paths_of_keys_with_dots_parse_back_whole() {
        let mut values = default_values();
        let backend = values.components.get_mut("todo-backend").unwrap();
        backend.env.clear();
        backend.config_keys.clear();
        backend.secret_keys.clear();
        backend.env.insert("app.mode".into(), "x".into());
        let set = render(&values, "r");
        let (i, _) = set.deployments().next().unwrap();
        let place = set.resolve(i, &crate::path::FieldPath::parse("spec.template.spec.containers[0].env[0].name"));
        assert_eq!(
            place.values_path.unwrap(),
            crate::path::field_path!("components", "todo-backend", "env", "app.mode")
        );
    }

    #[test]
    fn network_policies_follow_the_namespace_and_each_peer_maps_to_its_entry() {
        let overlay = "networkPolicy: {ingressControllerNamespace: ingress}\ncomponents:\n  todo-backend:\n    allowFrom: {components: [todo-frontend, admin], namespaces: [monitoring], ingressController: true, anywhere: true}\n";
        let set = render(&crate::rules::testing::values(overlay), "r");
        let kinds: Vec<String> = set.resources.iter().take(3).map(|r| r.object.id()).collect();
        assert_eq!(
            kinds,
            ["Namespace/todo-chatbot", "NetworkPolicy/todo-chatbot-default-deny", "NetworkPolicy/todo-backend"]
        );
        let Object::NetworkPolicy(policy) = &set.resources[2].object else { unreachable!() };
        let rules = policy.spec.as_ref().unwrap().ingress.as_ref().unwrap();
        let peers = rules[0].from.as_ref().unwrap();
        assert_eq!(peers.len(), 4, "two components, the controller, a namespace");
        let controller = peers[2].namespace_selector.as_ref().unwrap().match_labels.as_ref().unwrap();
        assert_eq!(controller.get("kubernetes.io/metadata.name").map(String::as_str), Some("ingress"));
        assert!(rules[1].from.is_none(), "anywhere is a rule of its own, from every source");
        let at = |field: &str| set.resolve(2, &crate::path::FieldPath::parse(field)).values_path.unwrap().to_string();
        assert_eq!(at("spec.ingress[0].from[1].podSelector"), "components.todo-backend.allowFrom.components[1]");
        assert_eq!(at("spec.ingress[0].from[2]"), "components.todo-backend.allowFrom.ingressController");
        assert_eq!(at("spec.ingress[0].from[3].namespaceSelector"), "components.todo-backend.allowFrom.namespaces[0]");
        assert_eq!(at("spec.ingress[1]"), "components.todo-backend.allowFrom.anywhere");
        assert_eq!(at("spec.podSelector"), "components.todo-backend.allowFrom");
        assert_eq!(
            set.resolve(1, &crate::path::FieldPath::parse("spec.podSelector")).values_path.unwrap().to_string(),
            "networkPolicy"
        );
    }

    #[test]
    fn an_init_container_meets_restricted_with_its_own_security_context() {
        let overlay = "components:\n  todo-backend:\n    initContainers:\n      - name: migrate\n        image: {repository: todo-backend, tag: \"1.0.0\"}\n        securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}\n";
        let input = crate::ValuesInput { files: vec![crate::SourceFile::new("v.yaml", overlay)], ..Default::default() };
        let restricted = crate::Settings::new(crate::Profile::Minikube, Some(crate::PodSecurityLevel::Restricted));
        let pod_security = |input: &crate::ValuesInput| -> Vec<String> {
            let analysis = crate::analyze_values(input, None, restricted);
            analysis
                .diagnostics
                .iter()
                .filter(|d| d.rule.starts_with("pod-security"))
                .map(|d| d.rule.to_string())
                .collect()
        };
        assert_eq!(pod_security(&input), Vec::<String>::new());
        let bare = overlay.lines().filter(|l| !l.contains("securityContext")).collect::<Vec<_>>().join("\n") + "\n";
        let input = crate::ValuesInput { files: vec![crate::SourceFile::new("v.yaml", bare)], ..Default::default() };
        assert_eq!(
            pod_security(&input).len(),
            4,
            "capabilities, escalation, non-root and seccomp of the init container"
        );
    }

    #[test]
    fn findings_on_fields_map_back_to_values_paths() {
        let set = render(&default_values(), "r");
        let (i, _) = set.deployments().next().unwrap();
        let place =
            set.resolve(i, &crate::path::FieldPath::parse("spec.template.spec.containers[0].resources.limits.memory"));
        assert_eq!(place.values_path.unwrap().to_string(), "components.todo-backend.resources.limits.memory");
    }
}
