//! Manifests text, several files per input (cut at 0xff): `analyze_manifests` end to end, with
//! the Kubernetes schema, and the YAML it writes must read back to itself.
#![no_main]

use kubeplay_core::openapi::Schema;
use kubeplay_core::{analyze_manifests, manifest, Profile, Settings, SourceFile};
use kubeplay_fuzz::{check_places, read_file, split_files};
use libfuzzer_sys::fuzz_target;

/// The newest Kubernetes schema, read once (core embeds it only with its `schemas` feature).
fn schema() -> &'static Schema {
    static READ: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
    READ.get_or_init(|| Schema::from_json(include_str!("../../schemas/kube-1.35.json")).expect("the schema reads"))
}

fuzz_target!(|data: &[u8]| {
    let files: Vec<SourceFile> = split_files(data)
        .into_iter()
        .enumerate()
        .filter_map(|(i, bytes)| read_file(&format!("m{i}.yaml"), bytes))
        .collect();
    if files.is_empty() {
        return;
    }
    // Production: every rule runs, schema validation (`schema-invalid`) included.
    let analysis = analyze_manifests(files.clone(), Settings::from(Profile::Production).with_schema(Some(schema())));
    check_places(&analysis.diagnostics, &files);
    // What kubeplay writes, kubeplay (and so kubectl) reads as the same objects.
    let (again, problems) = manifest::read(vec![SourceFile::new("out.yaml", analysis.yaml().to_string())]);
    assert!(
        problems.iter().all(|d| !d.rule.starts_with("yaml-") && !d.rule.starts_with("input-")),
        "the written YAML does not read back: {problems:?}\n{}",
        analysis.yaml()
    );
    assert_eq!(again.resources.len(), analysis.manifests.resources.len(), "{}", analysis.yaml());
    assert_eq!(manifest::to_yaml(&again), analysis.yaml(), "the written YAML reads back differently");
});
