//! pod-security-apparmor: the baseline control "AppArmor" (no unconfined profile).

use super::{context, each_pod, Level};
use crate::path::{FieldPath, Segment};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-apparmor",
    summary: "Pod Security baseline: an unconfined AppArmor profile removes the runtime's default confinement.",
    help: "Use `appArmorProfile.type: RuntimeDefault` or `Localhost` (the API server says: `forbidden AppArmor profile (appArmorProfile.type=\"Unconfined\")`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

/// The annotation that set a container's profile before the field existed.
const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn allowed_type(kind: &str) -> bool {
    matches!(kind, "RuntimeDefault" | "Localhost")
}

fn allowed_annotation(value: &str) -> bool {
    value == "runtime/default" || value.starts_with("localhost/")
}

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        if let Some(kind) = pod.security_context().and_then(|s| s.app_armor_profile.as_ref()).map(|p| p.type_.as_str())
        {
            if !allowed_type(kind) {
                pod.report(
                    sink,
                    pod.field("securityContext.appArmorProfile.type"),
                    format_args!("{} sets appArmorProfile.type={kind}", pod.who()),
                );
            }
        }
        for c in pod.containers() {
            let Some(kind) = context(&c).and_then(|s| s.app_armor_profile.as_ref()).map(|p| p.type_.as_str()) else {
                continue;
            };
            if !allowed_type(kind) {
                pod.report(
                    sink,
                    c.at("securityContext.appArmorProfile.type"),
                    format_args!("{} sets appArmorProfile.type={kind}", c.who()),
                );
            }
        }
        let annotations = pod.workload.pod_metadata.and_then(|m| m.annotations.as_ref());
        for (key, value) in annotations.into_iter().flatten() {
            if key.starts_with(ANNOTATION_PREFIX) && !allowed_annotation(value) {
                let mut field = pod.workload.template_field(&[Segment::from("metadata"), Segment::from("annotations")]);
                field = field.join(&FieldPath(vec![Segment::from(key.as_str())]));
                pod.report(sink, field, format_args!("{} sets the AppArmor annotation {key}={value}", pod.who()));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, fields};
    use super::super::Level::*;

    const RULE: &str = "pod-security-apparmor";

    #[test]
    fn runtime_default_and_localhost_pass() {
        let spec = "  securityContext: {appArmorProfile: {type: RuntimeDefault}}\n  containers: [{name: a, image: a, securityContext: {appArmorProfile: {type: Localhost, localhostProfile: p}}}]\n";
        assert!(fields(Baseline, RULE, spec).is_empty());
    }

    #[test]
    fn unconfined_fields_and_annotations_are_rejected() {
        let spec = "  containers: [{name: a, image: a, securityContext: {appArmorProfile: {type: Unconfined}}}]\n";
        assert_eq!(fields(Baseline, RULE, spec), ["spec.containers[0].securityContext.appArmorProfile.type"]);
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {container.apparmor.security.beta.kubernetes.io/a: unconfined, container.apparmor.security.beta.kubernetes.io/b: runtime/default}\nspec: {containers: [{name: a, image: a}, {name: b, image: b}]}\n";
        let sink = at(Baseline, RULE, yaml);
        assert_eq!(sink.findings.len(), 1);
        assert!(sink.findings[0].message.contains("=unconfined"), "{}", sink.findings[0].message);
    }
}
