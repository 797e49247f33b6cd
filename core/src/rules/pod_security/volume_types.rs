//! pod-security-volume-types: the restricted control "Volume Types" (only volumes that cannot
//! reach the node or outside storage directly).

use super::{each_pod, Level};
use crate::manifest::volume::sources;
use crate::path::Segment;
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-volume-types",
    summary: "Pod Security restricted: only ConfigMap, Secret, emptyDir, projected, downwardAPI, CSI, ephemeral and PVC volumes are allowed.",
    help: "Reach outside storage through a PersistentVolumeClaim instead (the API server says: `restricted volume types (volume \"data\" uses restricted volume type \"nfs\")`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

/// The volume sources restricted allows (as the API spells them).
const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Restricted, |pod, sink| {
        for (i, volume) in pod.spec.volumes.iter().flatten().enumerate() {
            for source in sources(volume).filter(|s| !ALLOWED.contains(s)) {
                let field =
                    pod.workload.pod_field(&[Segment::from("volumes"), Segment::from(i), Segment::from(source)]);
                pod.report(
                    sink,
                    field,
                    format_args!("volume `{}` of {} uses the volume type {source}", volume.name, pod.workload.who()),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fields, restricted_pod};
    use super::super::Level::*;

    const RULE: &str = "pod-security-volume-types";

    #[test]
    fn allowed_types_pass_and_baseline_does_not_check() {
        let spec = restricted_pod("  volumes: [{name: a, emptyDir: {}}, {name: b, secret: {secretName: s}}, {name: c, persistentVolumeClaim: {claimName: c}}]\n");
        assert!(fields(Restricted, RULE, &spec).is_empty());
        assert!(fields(Baseline, RULE, &restricted_pod("  volumes: [{name: shared, nfs: {server: s, path: /}}]\n"))
            .is_empty());
    }

    #[test]
    fn other_types_are_rejected() {
        let spec = restricted_pod("  volumes: [{name: a, emptyDir: {}}, {name: shared, nfs: {server: s, path: /}}]\n");
        assert_eq!(fields(Restricted, RULE, &spec), ["spec.volumes[1].nfs"]);
    }
}
