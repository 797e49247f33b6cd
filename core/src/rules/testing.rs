//! Test helpers for rules: run one rule on values or manifests given as YAML.

use super::{find, Check, ManifestSink, ValuesFinding, ValuesSink};
use crate::load::{load, ValuesInput};
use crate::manifest::{read, ManifestSet};
use crate::render::render;
use crate::source::SourceFile;

/// The default preset with `overlay` (a values YAML) laid on top, typed.
pub fn values(overlay: &str) -> crate::Values {
    let input = ValuesInput { files: vec![SourceFile::new("overlay.yaml", overlay)], ..Default::default() };
    let loaded = load(&input);
    loaded.values.unwrap_or_else(|| panic!("overlay does not load: {:?}", loaded.diagnostics))
}

/// Findings of one values rule on the default preset with `overlay` on top.
pub fn values_findings(rule: &str, overlay: &str) -> Vec<ValuesFinding> {
    let (Check::Values(check) | Check::Both(check, _)) = find(rule).expect("known rule").check else {
        panic!("{rule} is not a values rule")
    };
    let mut sink = ValuesSink { rule: find(rule).unwrap().id, ..Default::default() };
    check(&values(overlay), &mut sink);
    sink.findings
}

/// One manifest rule run on a set.
pub fn run_on(rule: &str, set: &ManifestSet) -> ManifestSink {
    super::run(rule, set).unwrap_or_else(|| panic!("{rule} is not a manifest rule"))
}

/// One manifest rule run on the render of the default preset with `overlay` on top.
pub fn rendered(rule: &str, overlay: &str) -> ManifestSink {
    run_on(rule, &render(&values(overlay), "test"))
}

/// One manifest rule run on manifests given as YAML.
pub fn manifests(rule: &str, yaml: &str) -> ManifestSink {
    let (set, diagnostics) = read(vec![SourceFile::new("m.yaml", yaml)]);
    assert!(diagnostics.iter().all(|d| d.severity != crate::Severity::Error), "{diagnostics:?}");
    run_on(rule, &set)
}
