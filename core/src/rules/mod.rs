//! The rules catalogue: every check kubeplay makes, with a stable ID, one `RULES` slice.
//!
//! One rule per file. Field rules read the typed values; relationship and best-practice rules
//! read the manifest set, so they work on foreign YAML too. Relationship rules also draw the
//! graph's edges: an edge that does not hold *is* the rule's finding, so the graph and the
//! problems list can never disagree.

use crate::diagnostic::Severity;
use crate::manifest::ManifestSet;
use crate::openapi::Schema;
use crate::path::FieldPath;
pub use crate::relation::{DrawnEdges, Edge, EdgeKind};
use crate::resource::ResourceRef;
use crate::values::Values;

mod input;
pub mod pod_security;
pub(crate) mod workloads;
pub use pod_security::Level as PodSecurityLevel;
// Field rules (values).
mod api_removed;
mod cron_schedule;
mod data_key;
mod dns_name;
mod duplicate_name;
mod env_expansion;
mod env_name;
mod headless_service_type;
mod image_reference;
mod immutable_field;
mod kind_field;
mod label_invalid;
mod node_port;
mod number_range;
mod port_name;
mod port_range;
mod probe_handler;
mod probe_path;
mod requests_exceed_limits;
mod resource_quantity;
mod restart_policy;
mod schema_invalid;
pub(crate) use schema_invalid::check_rejected;
mod service_name;
// Relationship rules (manifests).
mod env_reference;
mod hpa_duplicate;
mod hpa_replicas;
mod hpa_target;
mod image_pull_secret;
mod ingress_backend;
mod ingress_tls;
mod network_policy_blocks;
mod network_policy_ingress;
mod network_policy_selector;
mod pdb_eviction;
mod pdb_selector;
mod probe_port;
mod role_binding;
mod secret_base64;
mod secret_in_plain_text;
mod selector_mismatch;
mod service_account;
mod service_no_pods;
mod servicemonitor_selector;
mod statefulset_service;
mod target_port;
mod url_reference;
mod volume_mount;
mod volume_reference;
// Best-practice rules (manifests).
mod default_namespace;
mod empty_secret;
pub use empty_secret::empty_keys as empty_secret_keys;
mod hook_kept;
mod hook_uses_release;
mod identical_probes;
mod latest_tag;
mod load_balancer_minikube;
mod missing_probes;
mod missing_resources;
mod mount_path;
mod no_anti_affinity;
mod privilege_escalation;
mod privileged_container;
mod pull_policy_never;
mod read_only_root_fs;
mod run_as_non_root;
mod secret_in_env;
mod single_replica;

#[cfg(test)]
pub(crate) mod testing;

/// Which lints apply: a laptop cluster or a real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    #[default]
    Minikube,
    Production,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Minikube, Profile::Production];
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Minikube => "minikube",
            Profile::Production => "production",
        }
    }
    pub fn parse(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.as_str() == name)
    }
    /// The Pod Security level checked when none is chosen: a real cluster should enforce restricted.
    pub fn pod_security(self) -> PodSecurityLevel {
        match self {
            Profile::Minikube => PodSecurityLevel::Privileged,
            Profile::Production => PodSecurityLevel::Restricted,
        }
    }
}

/// What a check runs under: the profile, the Pod Security level for namespaces that do not
/// label their own, and the Kubernetes schema pasted objects are validated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Settings {
    pub profile: Profile,
    pub pod_security: PodSecurityLevel,
    /// The schema of the chosen Kubernetes version (`schema-invalid`); `None` checks no schema.
    pub schema: Option<&'static Schema>,
}

impl Settings {
    /// `profile` with the Pod Security level chosen, or the profile's own when `None`; no schema.
    pub fn new(profile: Profile, pod_security: Option<PodSecurityLevel>) -> Settings {
        Settings { profile, pod_security: pod_security.unwrap_or(profile.pod_security()), schema: None }
    }
    /// These settings, validating against `schema`.
    pub fn with_schema(self, schema: Option<&'static Schema>) -> Settings {
        Settings { schema, ..self }
    }
}

impl From<Profile> for Settings {
    fn from(profile: Profile) -> Settings {
        Settings::new(profile, None)
    }
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Reading the input: YAML, keys, types. Reported by the loaders, not by a check function.
    Input,
    Field,
    Relationship,
    BestPractice,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Input => "input",
            Category::Field => "field",
            Category::Relationship => "relationship",
            Category::BestPractice => "best-practice",
        }
    }
}

/// The check a rule runs.
#[derive(Clone, Copy)]
pub enum Check {
    /// Findings come from the loaders (see [`crate::load`], [`crate::source`]).
    Input,
    /// A check of an upgrade: the set applied before, then the set applied now (see
    /// [`crate::upgrade_diagnostics`]).
    Upgrade(fn(&ManifestSet, &ManifestSet, &mut ManifestSink)),
    Values(fn(&Values, &mut ValuesSink)),
    Manifests(fn(&ManifestSet, &mut ManifestSink)),
    /// A rule on values that also checks pasted manifests: the manifest half skips rendered
    /// objects, whose values the values half has checked already.
    Both(fn(&Values, &mut ValuesSink), fn(&ManifestSet, &mut ManifestSink)),
}

impl Check {
    fn on_values(self) -> Option<fn(&Values, &mut ValuesSink)> {
        match self {
            Check::Values(check) | Check::Both(check, _) => Some(check),
            _ => None,
        }
    }
    fn on_manifests(self) -> Option<fn(&ManifestSet, &mut ManifestSink)> {
        match self {
            Check::Manifests(check) | Check::Both(_, check) => Some(check),
            _ => None,
        }
    }
}

/// A rule: its ID never changes once published.
#[derive(Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    /// One line a learner understands: what is wrong and why it matters.
    pub summary: &'static str,
    /// How to fix it.
    pub help: &'static str,
    pub category: Category,
    /// Severity with the minikube profile; `None` turns the rule off there.
    pub minikube: Option<Severity>,
    pub production: Option<Severity>,
    pub check: Check,
}

impl Rule {
    pub fn severity(&self, profile: Profile) -> Option<Severity> {
        match profile {
            Profile::Minikube => self.minikube,
            Profile::Production => self.production,
        }
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

/// Every rule, in the order the catalogue lists them.
pub static RULES: &[Rule] = &[
    input::YAML_SYNTAX,
    input::YAML_DUPLICATE_KEY,
    input::YAML_LIMITS,
    input::INPUT_TOO_LARGE,
    input::INPUT_ENCODING,
    input::UNKNOWN_KEY,
    input::INVALID_TYPE,
    input::MISSING_KEY,
    input::VALUES_SHAPE,
    input::SET_SYNTAX,
    input::UNKNOWN_PRESET,
    input::MANIFEST_INVALID,
    input::UNMODELED_KIND,
    schema_invalid::RULE,
    api_removed::RULE,
    immutable_field::RULE,
    headless_service_type::RULE,
    label_invalid::RULE,
    probe_handler::RULE,
    restart_policy::RULE,
    dns_name::RULE,
    service_name::RULE,
    port_range::RULE,
    number_range::RULE,
    kind_field::RULE,
    node_port::RULE,
    port_name::RULE,
    resource_quantity::RULE,
    requests_exceed_limits::RULE,
    image_reference::RULE,
    env_expansion::RULE,
    env_name::RULE,
    cron_schedule::RULE,
    data_key::RULE,
    probe_path::RULE,
    duplicate_name::RULE,
    mount_path::RULE,
    selector_mismatch::RULE,
    service_no_pods::RULE,
    target_port::RULE,
    env_reference::MISSING_OBJECT,
    env_reference::MISSING_KEY,
    probe_port::RULE,
    url_reference::RULE,
    volume_reference::RULE,
    volume_mount::RULE,
    statefulset_service::RULE,
    ingress_backend::RULE,
    ingress_tls::RULE,
    hpa_target::RULE,
    hpa_duplicate::RULE,
    hpa_replicas::RULE,
    pdb_selector::RULE,
    pdb_eviction::RULE,
    network_policy_selector::RULE,
    network_policy_blocks::RULE,
    network_policy_ingress::RULE,
    service_account::RULE,
    image_pull_secret::RULE,
    role_binding::RULE,
    servicemonitor_selector::RULE,
    secret_base64::RULE,
    secret_in_plain_text::RULE,
    latest_tag::RULE,
    missing_resources::RULE,
    missing_probes::READINESS,
    missing_probes::LIVENESS,
    hook_uses_release::RULE,
    hook_kept::RULE,
    identical_probes::RULE,
    run_as_non_root::RULE,
    read_only_root_fs::RULE,
    privilege_escalation::RULE,
    privileged_container::RULE,
    no_anti_affinity::RULE,
    secret_in_env::RULE,
    pull_policy_never::RULE,
    load_balancer_minikube::RULE,
    single_replica::RULE,
    default_namespace::RULE,
    empty_secret::RULE,
    pod_security::privileged::RULE,
    pod_security::host_namespaces::RULE,
    pod_security::host_process::RULE,
    pod_security::host_path::RULE,
    pod_security::host_ports::RULE,
    pod_security::host_probes::RULE,
    pod_security::capabilities::RULE,
    pod_security::apparmor::RULE,
    pod_security::selinux::RULE,
    pod_security::proc_mount::RULE,
    pod_security::seccomp::RULE,
    pod_security::sysctls::RULE,
    pod_security::volume_types::RULE,
    pod_security::privilege_escalation::RULE,
    pod_security::run_as_non_root::RULE,
    pod_security::run_as_user::RULE,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A finding on values, before severity and location are attached.
#[derive(Debug, Clone, PartialEq)]
pub struct ValuesFinding {
    pub rule: &'static str,
    pub path: FieldPath,
    pub message: String,
}

/// Collects what a values rule finds.
#[derive(Debug, Default)]
pub struct ValuesSink {
    pub(crate) rule: &'static str,
    pub findings: Vec<ValuesFinding>,
}

impl ValuesSink {
    pub fn report(&mut self, path: FieldPath, message: impl Into<String>) {
        self.findings.push(ValuesFinding { rule: self.rule, path, message: message.into() });
    }
}

/// A finding on a resource field, before severity and location are attached.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestFinding {
    pub rule: &'static str,
    /// Index into the set's resources.
    pub resource: usize,
    pub field: FieldPath,
    pub message: String,
    /// At most this severity, whatever the rule's: for a finding that may still work (a
    /// numeric port no container declares is still forwarded to).
    pub at_most: Option<Severity>,
    /// Whether the finding is on the key that introduces `field` (an unknown field) rather
    /// than on its value.
    pub at_key: bool,
}

/// Collects what a manifest rule finds, and the edges relationship rules draw.
#[derive(Debug, Default)]
pub struct ManifestSink {
    pub(crate) rule: &'static str,
    /// The level Pod Security rules check where no Namespace label says otherwise.
    pub(crate) pod_security: PodSecurityLevel,
    /// The schema pasted objects are validated against, if any.
    pub(crate) schema: Option<&'static Schema>,
    pub findings: Vec<ManifestFinding>,
    pub edges: DrawnEdges,
    /// Fields the schema found missing, by resource: what another rule then sees there (an
    /// empty selector, a blank name) is the same mistake, which the schema's finding names.
    pub(crate) missing: Vec<(usize, FieldPath)>,
}

impl ManifestSink {
    pub fn report(&mut self, resource: usize, field: FieldPath, message: impl Into<String>) {
        self.findings.push(ManifestFinding {
            rule: self.rule,
            resource,
            field,
            message: message.into(),
            at_most: None,
            at_key: false,
        });
    }
    /// A finding on the key that introduces `field` (an unknown field), not on its value.
    pub fn report_key(&mut self, resource: usize, field: FieldPath, message: impl Into<String>) {
        self.report(resource, field, message);
        if let Some(last) = self.findings.last_mut() {
            last.at_key = true;
        }
    }
    /// A finding that is at most a warning, whatever the rule's severity.
    pub fn warn(&mut self, resource: usize, field: FieldPath, message: impl Into<String>) {
        self.report(resource, field, message);
        self.cap_last_at_warning();
    }
    fn cap_last_at_warning(&mut self) {
        if let Some(last) = self.findings.last_mut() {
            last.at_most = Some(Severity::Warning);
        }
    }
    /// An edge that holds.
    pub fn edge(&mut self, from: ResourceRef, to: ResourceRef, kind: EdgeKind, label: impl Into<String>) {
        self.edges.push(Edge { from, to, kind, label: label.into(), broken: None });
    }
    /// An edge that should hold but does not: drawn red, and reported as this rule's finding.
    pub fn broken_edge(
        &mut self,
        from: ResourceRef,
        to: ResourceRef,
        kind: EdgeKind,
        label: impl Into<String>,
        at: (usize, FieldPath),
        message: impl Into<String>,
    ) {
        let message = message.into();
        self.edges.push(Edge { from, to, kind, label: label.into(), broken: Some((self.rule, message.clone())) });
        self.report(at.0, at.1, message);
    }
    /// [`ManifestSink::broken_edge`] for a relation that may still work: at most a warning.
    pub fn doubtful_edge(
        &mut self,
        from: ResourceRef,
        to: ResourceRef,
        kind: EdgeKind,
        label: impl Into<String>,
        at: (usize, FieldPath),
        message: impl Into<String>,
    ) {
        self.broken_edge(from, to, kind, label, at, message);
        self.cap_last_at_warning();
    }
}

/// Run one manifest rule by ID, whatever the profile (`None` for unknown or non-manifest rules).
pub fn run(id: &str, set: &ManifestSet) -> Option<ManifestSink> {
    run_with(id, set, PodSecurityLevel::default())
}

/// [`run`] with a Pod Security level chosen.
pub fn run_with(id: &str, set: &ManifestSet, pod_security: PodSecurityLevel) -> Option<ManifestSink> {
    run_under(id, set, Settings { pod_security, ..Settings::default() })
}

/// [`run`] under `settings` (the Pod Security level and schema; the profile is not asked).
pub fn run_under(id: &str, set: &ManifestSet, settings: Settings) -> Option<ManifestSink> {
    let rule = find(id)?;
    let check = rule.check.on_manifests()?;
    let mut sink = ManifestSink {
        rule: rule.id,
        pod_security: settings.pod_security,
        schema: settings.schema,
        ..Default::default()
    };
    check(set, &mut sink);
    Some(sink)
}

/// Run one upgrade rule by ID on the set applied `before` and the one applied `after` (`None`
/// for unknown or other rules).
pub fn run_upgrade(id: &str, before: &ManifestSet, after: &ManifestSet) -> Option<ManifestSink> {
    let rule = find(id)?;
    let Check::Upgrade(check) = rule.check else { return None };
    let mut sink = ManifestSink { rule: rule.id, ..Default::default() };
    check(before, after, &mut sink);
    Some(sink)
}

/// Run every upgrade rule that is on for `profile`, from the set applied `before` to `after`.
pub fn check_upgrade(before: &ManifestSet, after: &ManifestSet, profile: Profile) -> ManifestSink {
    let mut sink = ManifestSink::default();
    for rule in RULES {
        if let (Check::Upgrade(check), Some(_)) = (rule.check, rule.severity(profile)) {
            sink.rule = rule.id;
            check(before, after, &mut sink);
        }
    }
    sink
}

/// Run every values rule that is on for `profile`.
pub fn check_values(values: &Values, profile: Profile) -> Vec<ValuesFinding> {
    let mut sink = ValuesSink::default();
    for rule in RULES {
        if let (Some(check), Some(_)) = (rule.check.on_values(), rule.severity(profile)) {
            sink.rule = rule.id;
            check(values, &mut sink);
        }
    }
    sink.findings
}

/// Run every manifest rule that is on for the profile (relationship rules always run: the graph
/// needs their edges).
pub fn check_manifests(set: &ManifestSet, settings: impl Into<Settings>) -> ManifestSink {
    let settings = settings.into();
    let mut sink = ManifestSink { pod_security: settings.pod_security, schema: settings.schema, ..Default::default() };
    for rule in RULES {
        if let Some(check) = rule.check.on_manifests() {
            if rule.severity(settings.profile).is_some() || rule.category == Category::Relationship {
                sink.rule = rule.id;
                check(set, &mut sink);
            }
        }
    }
    let missing = std::mem::take(&mut sink.missing);
    sink.findings.retain(|f| {
        f.rule == schema_invalid::RULE.id
            || !missing.iter().any(|(r, path)| *r == f.resource && f.field.starts_with(path))
    });
    sink
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                rule.id
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{} is not kebab-case",
                rule.id
            );
            assert!(!rule.summary.is_empty() && !rule.summary.contains('\n'), "{}: summary must be one line", rule.id);
            assert!(!rule.help.is_empty(), "{}: no help", rule.id);
            assert!(rule.minikube.is_some() || rule.production.is_some(), "{} is never on", rule.id);
        }
    }
}
