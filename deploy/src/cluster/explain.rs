//! Core's diagnoses as terminal text: what Kubernetes calls it, where, why, its words, the fix.

use kubeplay_core::diagnose::{self, Diagnosis};

/// The lines of one diagnosis.
pub fn lines(d: &Diagnosis) -> Vec<String> {
    let word = if d.is_terminal() { "error" } else { "warning" };
    let reason = diagnose::kind(d.id).map(|k| k.reason).unwrap_or(d.id);
    let container = d.container.as_ref().map(|c| format!(", container {c}")).unwrap_or_default();
    let mut out = vec![format!("{word}[{reason}] {} {}{container}: {}", d.kind, d.name, d.message)];
    if let Some(evidence) = &d.evidence {
        let evidence: Vec<&str> = evidence.lines().filter(|l| !l.trim().is_empty()).collect();
        match evidence.as_slice() {
            [] => {}
            [one] => out.push(format!("  kubernetes says: {one}")),
            many => {
                out.push("  kubernetes says:".into());
                out.extend(many.iter().map(|l| format!("  | {l}")));
            }
        }
    }
    out.push(format!("  fix: {}", d.fix));
    out
}

/// Diagnoses that matter for readiness: a pending LoadBalancer does not keep pods from
/// serving, so it is shown as access advice instead.
pub fn blocking(diagnoses: &[Diagnosis]) -> Vec<&Diagnosis> {
    diagnoses.iter().filter(|d| d.id != diagnose::LOAD_BALANCER_PENDING.id).collect()
}
