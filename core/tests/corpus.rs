//! Writes generated renders for `scripts/validate-k8s.sh` to check against the Kubernetes schemas.
//!
//! Ignored by default (it writes files). Run it as the script does:
//! `KUBEPLAY_CORPUS_DIR=dir KUBEPLAY_CORPUS_COUNT=50 cargo test -p kubeplay-core --test corpus -- --ignored`.
//! The corpus is the same for the same `KUBEPLAY_CORPUS_SEED` (a number, default 0), so a CI
//! failure reproduces; another seed explores new values.
//! It writes `dir/renders/NNN.yaml` (the manifests) and `dir/values/NNN.yaml` (the values they
//! came from, to reproduce a failure with `kubeplay render -f`).

mod common;

use kubeplay_core::Profile;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::PathBuf;

#[test]
#[ignore = "writes files; scripts/validate-k8s.sh runs it with KUBEPLAY_CORPUS_DIR set"]
fn write_generated_renders() {
    let Some(dir) = std::env::var_os("KUBEPLAY_CORPUS_DIR").map(PathBuf::from) else {
        eprintln!("KUBEPLAY_CORPUS_DIR is not set: nothing written");
        return;
    };
    let count: usize = match std::env::var("KUBEPLAY_CORPUS_COUNT") {
        Ok(n) => n.parse().unwrap_or_else(|_| panic!("KUBEPLAY_CORPUS_COUNT={n:?} is not a number")),
        Err(_) => 50,
    };
    let (renders, values_dir) = (dir.join("renders"), dir.join("values"));
    for d in [&renders, &values_dir] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("cannot create {}: {e}", d.display()));
    }
    let seed: u64 = match std::env::var("KUBEPLAY_CORPUS_SEED") {
        Ok(n) => n.parse().unwrap_or_else(|_| panic!("KUBEPLAY_CORPUS_SEED={n:?} is not a number")),
        Err(_) => 0,
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
    let strategy = common::values();
    for i in 0..count {
        let values = strategy.new_tree(&mut runner).expect("the strategy generates values").current();
        let analysis = common::analyze(&values, Profile::Minikube);
        assert!(
            !analysis.has_errors(),
            "generated values render with errors:\n{}\n{}",
            common::describe(&analysis.diagnostics),
            common::values_yaml(&values)
        );
        let name = format!("{i:03}.yaml");
        std::fs::write(renders.join(&name), analysis.yaml()).expect("write a render");
        std::fs::write(values_dir.join(&name), common::values_yaml(&values)).expect("write its values");
    }
    eprintln!("wrote {count} renders (seed {seed}) to {}", renders.display());
}
