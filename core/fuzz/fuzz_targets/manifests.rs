//! Manifests text, several files per input (cut at 0xff): `analyze_manifests` end to end, and
//! the YAML it writes must read back to itself.
#![no_main]

use kubeplay_core::{analyze_manifests, manifest, Profile, SourceFile};
use kubeplay_fuzz::{check_places, read_file, split_files};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files: Vec<SourceFile> = split_files(data)
        .into_iter()
        .enumerate()
        .filter_map(|(i, bytes)| read_file(&format!("m{i}.yaml"), bytes))
        .collect();
    if files.is_empty() {
        return;
    }
    // Production: every rule runs.
    let analysis = analyze_manifests(files.clone(), Profile::Production);
    check_places(&analysis.diagnostics, &files);
    // What kubeplay writes, kubeplay (and so kubectl) reads as the same objects.
    let (again, problems) = manifest::read(vec![SourceFile::new("out.yaml", analysis.yaml.clone())]);
    assert!(
        problems.iter().all(|d| !d.rule.starts_with("yaml-") && !d.rule.starts_with("input-")),
        "the written YAML does not read back: {problems:?}\n{}",
        analysis.yaml
    );
    assert_eq!(again.resources.len(), analysis.manifests.resources.len(), "{}", analysis.yaml);
    assert_eq!(manifest::to_yaml(&again), analysis.yaml, "the written YAML reads back differently");
});
