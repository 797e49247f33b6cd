//! pod-security-host-path: the baseline control "HostPath Volumes".

use super::{each_pod, Level};
use crate::path::Segment;
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-host-path",
    summary: "Pod Security baseline: a hostPath volume mounts the node's own files into the pod.",
    help: "Use an emptyDir, ConfigMap, Secret or PersistentVolumeClaim instead (the API server says: `hostPath volumes (volume \"data\")`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        for (i, volume) in pod.spec.volumes.iter().flatten().enumerate() {
            if let Some(host) = &volume.host_path {
                let field =
                    pod.workload.pod_field(&[Segment::from("volumes"), Segment::from(i), Segment::from("hostPath")]);
                pod.report(
                    sink,
                    field,
                    format_args!(
                        "volume `{}` of {} mounts the node's `{}`",
                        volume.name,
                        pod.workload.who(),
                        host.path
                    ),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::fields;
    use super::super::Level::*;

    const RULE: &str = "pod-security-host-path";

    #[test]
    fn other_volumes_pass() {
        assert!(fields(Baseline, RULE, "  containers: [{name: a, image: a}]\n  volumes: [{name: v, emptyDir: {}}]\n")
            .is_empty());
    }

    #[test]
    fn a_host_path_volume_is_rejected() {
        let spec = "  containers: [{name: a, image: a}]\n  volumes: [{name: v, emptyDir: {}}, {name: h, hostPath: {path: /var/run}}]\n";
        assert_eq!(fields(Baseline, RULE, spec), ["spec.volumes[1].hostPath"]);
    }
}
