//! Pod Security Standards: the checks of the PodSecurity admission plugin (the levels of
//! Kubernetes 1.35), one rule per control. A control runs on every pod template whose namespace
//! enforces at least its level: the namespace's `pod-security.kubernetes.io/enforce` label when
//! the set has that Namespace, else the level the user chose (`--pod-security`, or the profile's).

use super::ManifestSink;
use crate::manifest::workload::{ContainerRef, Workload};
use crate::manifest::{ManifestSet, Object};
use crate::path::FieldPath;
use k8s_openapi::api::core::v1::{PodSecurityContext, PodSpec, SecurityContext};

pub(super) mod apparmor;
pub(super) mod capabilities;
pub(super) mod host_namespaces;
pub(super) mod host_path;
pub(super) mod host_ports;
pub(super) mod host_probes;
pub(super) mod host_process;
pub(super) mod privilege_escalation;
pub(super) mod privileged;
pub(super) mod proc_mount;
pub(super) mod run_as_non_root;
pub(super) mod run_as_user;
pub(super) mod seccomp;
pub(super) mod selinux;
pub(super) mod sysctls;
pub(super) mod volume_types;

/// A Pod Security Standards level, as the admission plugin's labels spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Level {
    /// No checks.
    #[default]
    Privileged,
    /// Blocks the known privilege escalations.
    Baseline,
    /// Baseline plus the hardening best practices.
    Restricted,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Privileged, Level::Baseline, Level::Restricted];
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

/// What every Pod Security rule shares: an error wherever its level is enforced (each check
/// skips the pods whose namespace does not enforce it).
pub(super) const ENFORCED: super::Rule = super::Rule {
    id: "",
    summary: "",
    help: "",
    category: super::Category::BestPractice,
    minikube: Some(crate::diagnostic::Severity::Error),
    production: Some(crate::diagnostic::Severity::Error),
    check: super::Check::Input,
};

/// Every Pod Security rule ID starts with this.
pub const RULE_PREFIX: &str = "pod-security-";

/// The namespace label the admission plugin enforces.
pub const ENFORCE_LABEL: &str = "pod-security.kubernetes.io/enforce";

/// The namespaces whose Namespace object in the set labels the level it enforces.
pub fn labelled_levels(set: &ManifestSet) -> std::collections::BTreeMap<&str, Level> {
    // Extended, not collected: that would compile one more stable sort (`crate::sort`).
    let mut levels = std::collections::BTreeMap::new();
    levels.extend(set.resources.iter().filter_map(|r| match &r.object {
        Object::Namespace(n) => {
            let level = n.metadata.labels.as_ref()?.get(ENFORCE_LABEL).and_then(|l| Level::parse(l))?;
            Some((n.metadata.name.as_deref()?, level))
        }
        _ => None,
    }));
    levels
}

/// One pod template under a level, as a control reads it.
pub(crate) struct Pod<'a> {
    pub workload: Workload<'a>,
    pub spec: &'a PodSpec,
    pub level: Level,
}

impl<'a> Pod<'a> {
    pub fn security_context(&self) -> Option<&'a PodSecurityContext> {
        self.spec.security_context.as_ref()
    }
    /// Every container and init container.
    pub fn containers(&self) -> impl Iterator<Item = ContainerRef<'a>> {
        self.workload.all_containers()
    }
    /// Windows pods are exempt from the Linux-only restricted controls.
    pub fn is_windows(&self) -> bool {
        self.spec.os.as_ref().is_some_and(|os| os.name == "windows")
    }
    /// `sub` below the pod spec, e.g. `field("securityContext.runAsUser")`.
    pub fn field(&self, sub: &str) -> FieldPath {
        self.workload.pod_field(&FieldPath::parse(sub).0)
    }
    /// Report a violation, saying which level rejects it.
    pub fn report(&self, sink: &mut ManifestSink, field: FieldPath, what: impl std::fmt::Display) {
        let message = format!("{what}: PodSecurity \"{}\" rejects the pod.", self.level.as_str());
        sink.report(self.workload.resource, field, message);
    }
    /// `pod` for the pod's own securityContext, in messages.
    pub fn who(&self) -> String {
        format!("the pod of {}", self.workload.who())
    }
}

/// A container's securityContext, if it sets one.
pub(crate) fn context<'a>(c: &ContainerRef<'a>) -> Option<&'a SecurityContext> {
    c.container.security_context.as_ref()
}

/// Run `control` on every pod template whose namespace enforces at least `level`.
pub(crate) fn each_pod(
    set: &ManifestSet,
    sink: &mut ManifestSink,
    level: Level,
    mut control: impl FnMut(&Pod, &mut ManifestSink),
) {
    let chosen = sink.pod_security;
    let labelled = labelled_levels(set);
    if chosen < level && labelled.values().all(|l| *l < level) {
        return;
    }
    for workload in set.workloads() {
        let Some(spec) = workload.pod_spec else { continue };
        let enforced = labelled.get(set.namespace_of(workload.resource)).copied().unwrap_or(chosen);
        if enforced >= level {
            control(&Pod { workload, spec, level: enforced }, sink);
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::Level;
    use crate::manifest::read;
    use crate::rules::ManifestSink;
    use crate::source::SourceFile;

    /// One pod-security rule run on `yaml` with `level` chosen.
    pub fn at(level: Level, rule: &str, yaml: &str) -> ManifestSink {
        let (set, diagnostics) = read(vec![SourceFile::new("m.yaml", yaml)]);
        assert!(diagnostics.iter().all(|d| d.severity != crate::Severity::Error), "{diagnostics:?}");
        crate::rules::run_with(rule, &set, level).unwrap_or_else(|| panic!("{rule} is not a manifest rule"))
    }

    /// The fields `rule` reports on a Pod with `spec` (YAML lines indented under `spec:`).
    pub fn fields(level: Level, rule: &str, spec: &str) -> Vec<String> {
        let yaml = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}");
        at(level, rule, &yaml).findings.iter().map(|f| f.field.to_string()).collect()
    }

    /// A pod that meets the restricted level, with `extra` lines added to its container.
    pub fn restricted_pod(extra: &str) -> String {
        format!(
            "  securityContext: {{runAsNonRoot: true, seccompProfile: {{type: RuntimeDefault}}}}\n  containers:\n  - name: app\n    image: app:1\n    securityContext: {{allowPrivilegeEscalation: false, capabilities: {{drop: [ALL]}}}}\n{extra}"
        )
    }

    #[test]
    fn a_namespace_label_enforces_its_level_whatever_is_chosen() {
        let yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: locked, labels: {pod-security.kubernetes.io/enforce: baseline}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: locked}\nspec: {hostNetwork: true, containers: [{name: a, image: a}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {hostNetwork: true, containers: [{name: a, image: a}]}\n";
        let sink = at(Level::Privileged, "pod-security-host-namespaces", yaml);
        assert_eq!(sink.findings.len(), 1, "only the pod in the labelled namespace");
        assert!(sink.findings[0].message.contains("PodSecurity \"baseline\""), "{}", sink.findings[0].message);
        let open = yaml.replace("enforce: baseline", "enforce: privileged");
        assert_eq!(
            at(Level::Restricted, "pod-security-host-namespaces", &open).findings.len(),
            1,
            "only the unlabelled namespace"
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_pod_security_rule_is_named_so() {
        let ids: Vec<&str> =
            crate::RULES.iter().map(|r| r.id).filter(|id| id.starts_with(super::RULE_PREFIX)).collect();
        assert_eq!(ids.len(), 16, "{ids:?}");
    }
}
