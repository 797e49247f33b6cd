//! hpa-replicas-conflict: a workload an autoscaler scales should leave `replicas` to it, within its range.

use super::hpa_target::targets;
use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::{ManifestSet, Object};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "hpa-replicas-conflict",
    summary: "A workload that sets `replicas` while a HorizontalPodAutoscaler scales it is reset to that number on every apply, fighting the autoscaler.",
    help: "Drop `replicas` from the workload and let the autoscaler's minReplicas/maxReplicas decide. In values both cannot hold (the render leaves `replicas` out), so there it is an error; on pasted manifests a warning, as the pods still run.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Both(check_values, check),
};

/// Values: `replicas` beside `autoscaling` (the render leaves it out: the autoscaler decides).
fn check_values(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        let (Some(replicas), Some(scaling)) = (component.replicas, &component.autoscaling) else { continue };
        sink.report(
            field_path!("components", name, "replicas"),
            format!(
                "component `{name}` sets replicas: {replicas} and autoscaling: the autoscaler keeps it between {} and {} pods, so `replicas` is left out of the Deployment; remove it (over a preset, `replicas: null`).",
                scaling.min_replicas.unwrap_or(1),
                scaling.max_replicas
            ),
        );
    }
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for (index, hpa, target) in targets(set) {
        let Object::HorizontalPodAutoscaler(autoscaler) = &set.resources[index].object else { continue };
        let Some(spec) = &autoscaler.spec else { continue };
        let Some((workload, _)) = set.find(&target.kind, &target.namespace, &target.name) else { continue };
        // A rendered workload's replicas are the values half's to report.
        if !set.resources[workload].is_parsed() {
            continue;
        }
        let Some(replicas) = set.workload(workload).and_then(|w| w.replicas) else { continue };
        let (min, max) = (spec.min_replicas.unwrap_or(1), spec.max_replicas);
        let range = if (min..=max).contains(&replicas) {
            String::from("each `kubectl apply` of it resets the count the autoscaler chose")
        } else {
            format!("that is outside the autoscaler's {min}..{max}, so every apply moves it out of range until the autoscaler moves it back")
        };
        let message = format!(
            "{} `{}` sets replicas: {replicas} while HorizontalPodAutoscaler `{}` scales it: {range}.",
            target.kind, target.name, hpa.name
        );
        // It still runs, only fights the autoscaler: at most a warning.
        sink.warn(workload, field_path!("spec", "replicas"), message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, values_findings};

    const RULE: &str = "hpa-replicas-conflict";

    fn set(replicas: &str) -> String {
        format!("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  {replicas}serviceName: db\n  selector: {{matchLabels: {{app: db}}}}\n  template:\n    metadata: {{labels: {{app: db}}}}\n    spec: {{containers: [{{name: db, image: \"db:1\"}}]}}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: db}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: StatefulSet, name: db}}\n  minReplicas: 2\n  maxReplicas: 5\n")
    }

    #[test]
    fn replicas_left_to_the_autoscaler_pass() {
        assert!(manifests(RULE, &set("")).findings.is_empty());
        let values = "components:\n  todo-backend:\n    replicas: null\n    autoscaling: {maxReplicas: 4}\n";
        assert!(values_findings(RULE, values).is_empty());
    }

    #[test]
    fn values_with_replicas_and_autoscaling_are_reported_at_replicas() {
        let found = values_findings(RULE, "components:\n  todo-backend:\n    autoscaling: {maxReplicas: 4}\n");
        assert_eq!(found.len(), 1, "the preset's replicas: 1 stays");
        assert_eq!(found[0].path.to_string(), "components.todo-backend.replicas");
        assert!(found[0].message.contains("between 1 and 4 pods"), "{}", found[0].message);
    }

    #[test]
    fn values_that_set_both_are_an_error_pasted_manifests_a_warning() {
        use crate::{analyze_manifests, analyze_values, Profile, Severity, SourceFile, ValuesInput};
        let severity = |d: &[crate::Diagnostic]| d.iter().find(|d| d.rule == RULE).map(|d| d.severity);
        let values = ValuesInput {
            files: vec![SourceFile::new("v.yaml", "components:\n  todo-backend:\n    autoscaling: {maxReplicas: 4}\n")],
            ..Default::default()
        };
        assert_eq!(severity(&analyze_values(&values, None, Profile::Minikube).diagnostics), Some(Severity::Error));
        let pasted = analyze_manifests(vec![SourceFile::new("m.yaml", set("replicas: 3\n  "))], Profile::Production);
        assert_eq!(severity(&pasted.diagnostics), Some(Severity::Warning));
    }

    #[test]
    fn replicas_set_beside_an_autoscaler_are_reported() {
        let inside = manifests(RULE, &set("replicas: 3\n  "));
        assert_eq!(inside.findings[0].field.to_string(), "spec.replicas");
        assert!(inside.findings[0].message.contains("resets the count"), "{}", inside.findings[0].message);
        let outside = manifests(RULE, &set("replicas: 9\n  "));
        assert!(outside.findings[0].message.contains("outside the autoscaler's 2..5"));
    }
}
