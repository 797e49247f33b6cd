//! Golden files: every built-in preset renders to exactly the YAML checked in under `tests/golden/`.
//!
//! A change to the renderer shows up as a diff of real Kubernetes YAML in review. After an
//! intended change, regenerate with `UPDATE_GOLDEN=1 cargo test -p kubeplay-core --test golden`
//! and read the diff before committing it.

use kubeplay_core::presets::PRESETS;
use kubeplay_core::{analyze_values, Profile, ValuesInput};
use std::io::Write;
use std::path::PathBuf;

fn golden_path(preset: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{preset}.yaml"))
}

fn render(preset: &str) -> String {
    let input = ValuesInput { preset: Some(preset.to_string()), ..Default::default() };
    analyze_values(&input, None, Profile::Minikube).yaml().to_string()
}

#[test]
fn every_preset_renders_its_golden_file() {
    let update = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let mut mismatched = Vec::new();
    for preset in PRESETS {
        let yaml = render(preset.name);
        assert!(!yaml.is_empty(), "preset {} rendered nothing", preset.name);
        let path = golden_path(preset.name);
        if update {
            std::fs::write(&path, &yaml).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            // Straight to stderr: libtest captures `eprintln!` of passing tests, and this must be seen.
            let _ = writeln!(std::io::stderr(), "UPDATE_GOLDEN=1: rewrote {}", path.display());
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}\nrun `UPDATE_GOLDEN=1 cargo test -p kubeplay-core --test golden` to create it",
                path.display()
            )
        });
        if yaml != expected {
            // Point at the first differing line: the whole file would drown the useful part.
            let line = yaml
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| yaml.lines().count().min(expected.lines().count()));
            mismatched.push(format!(
                "{}: first difference at line {}\n  rendered: {:?}\n  golden:   {:?}",
                path.display(),
                line + 1,
                yaml.lines().nth(line),
                expected.lines().nth(line)
            ));
        }
    }
    assert!(
        mismatched.is_empty(),
        "render differs from the golden files (if intended: UPDATE_GOLDEN=1 cargo test -p kubeplay-core --test golden):\n{}",
        mismatched.join("\n")
    );
}

#[test]
fn every_preset_renders_byte_for_byte_the_same_twice() {
    for preset in PRESETS {
        assert_eq!(
            render(preset.name),
            render(preset.name),
            "preset {} renders differently on a second run",
            preset.name
        );
    }
}

#[test]
fn every_golden_file_has_one_document_per_rendered_resource() {
    // Guards the golden files themselves: a hand edit that merges or drops a document fails here
    // even when the render is updated to match.
    for preset in PRESETS {
        let input = ValuesInput { preset: Some(preset.name.to_string()), ..Default::default() };
        let analysis = analyze_values(&input, None, Profile::Minikube);
        let documents = analysis.yaml().matches("---\n").count();
        assert_eq!(documents, analysis.manifests.resources.len(), "preset {}", preset.name);
    }
}

/// What every preset renders holds together: no relationship rule finds anything (a broken
/// reference, a Service without pods, a call a NetworkPolicy drops), under either profile.
#[test]
fn every_presets_render_passes_every_relationship_rule() {
    use kubeplay_core::rules::{Category, RULES};
    let relationship = |rule: &str| RULES.iter().any(|r| r.id == rule && r.category == Category::Relationship);
    assert!(relationship("service-selects-nothing") && relationship("network-policy-blocks-call"));
    for preset in PRESETS {
        for profile in [Profile::Minikube, Profile::Production] {
            let input = ValuesInput { preset: Some(preset.name.to_string()), ..Default::default() };
            let analysis = analyze_values(&input, None, profile);
            let found: Vec<String> = analysis
                .diagnostics
                .iter()
                .filter(|d| relationship(d.rule))
                .map(|d| format!("{}: {}", d.rule, d.message))
                .collect();
            assert_eq!(found, Vec::<String>::new(), "{} ({profile:?})", preset.name);
        }
    }
}

/// What every preset renders is what the API server and the PodSecurity admission plugin take:
/// under the production profile, which checks the restricted level unless told otherwise, no
/// Pod Security finding and none of the API server's own checks.
#[test]
fn every_presets_render_passes_restricted_pod_security_and_the_api_servers_checks() {
    assert_eq!(Profile::Production.pod_security(), kubeplay_core::PodSecurityLevel::Restricted);
    let api_server = [
        "schema-invalid",
        "duplicate-name",
        "volume-mount-unknown",
        "label-invalid",
        "probe-handler",
        "headless-service-type",
        "restart-policy",
        "dns-name",
        "service-name",
        "api-removed",
    ];
    for preset in PRESETS {
        let input = ValuesInput { preset: Some(preset.name.to_string()), ..Default::default() };
        let analysis = analyze_values(&input, None, Profile::Production);
        let found: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule.starts_with("pod-security-") || api_server.contains(&d.rule))
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect();
        assert_eq!(found, Vec::<String>::new(), "{}", preset.name);
    }
}
