//! Repository hygiene checked as plain tests: module docs everywhere, the rules page current.

use kubeplay_core::rules::{Profile, RULES};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("core sits in the workspace").to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() && !matches!(name, "target" | "node_modules" | "dist" | ".git") {
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// Every Rust file opens with a `//!` line saying what it is for (like rust-analyzer's tidy).
#[test]
fn every_rust_file_opens_with_module_docs() {
    let mut files = Vec::new();
    let dirs = [
        "core/src",
        "core/tests",
        "core/benches",
        "core/fuzz/src",
        "core/fuzz/fuzz_targets",
        "deploy/src",
        "deploy/tests",
        "app/src",
    ];
    for dir in dirs {
        rust_files(&workspace().join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.strip_prefix(workspace()).unwrap_or(f).display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` first line: {missing:?}");
}

fn rules_page() -> String {
    let mut page = String::from(
        "# kubeplay rules\n\n<!-- Generated from core/src/rules (RULES) by `UPDATE_DOCS=1 cargo test -p kubeplay-core --test tidy`. Do not edit. -->\n\n",
    );
    page.push_str(
        "Severity per profile: `minikube` (the default) and `production`; `off` means the rule does not run.\n\n",
    );
    page.push_str(
        "| ID | Category | minikube | production | What it means | How to fix |\n|---|---|---|---|---|---|\n",
    );
    for rule in RULES {
        let severity = |p: Profile| rule.severity(p).map_or("off".to_string(), |s| s.to_string());
        page.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            rule.id,
            rule.category.as_str(),
            severity(Profile::Minikube),
            severity(Profile::Production),
            rule.summary.replace('|', "\\|"),
            rule.help.replace('|', "\\|"),
        ));
    }
    page
}

/// docs/rules.md is generated from the catalogue, so it cannot drift from the code.
#[test]
fn the_rules_page_is_current() {
    let path = workspace().join("docs/rules.md");
    let page = rules_page();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &page).expect("write docs/rules.md");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == page, "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p kubeplay-core --test tidy`");
}

/// Each rule's file carries its own tests: at least one that fires it and one that does not
/// (kube-linter checks its catalogue the same way). Input rules are tested in `rules/input.rs`.
#[test]
fn every_rule_file_has_a_passing_and_a_failing_test() {
    let dir = workspace().join("core/src/rules");
    let mut paths = Vec::new();
    rust_files(&dir, &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            (
                p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(p).unwrap_or_default(),
            )
        })
        .collect();
    for rule in RULES {
        let needle = format!("id: \"{}\"", rule.id);
        let found = files.iter().find(|(_, text)| text.contains(&needle));
        let (name, text) = match found {
            Some(f) => f,
            None if rule.category == kubeplay_core::rules::Category::Input => continue,
            None => panic!("rule {} is declared outside core/src/rules", rule.id),
        };
        let tests = text.split("#[cfg(test)]").nth(1).unwrap_or("");
        assert!(tests.matches("#[test]").count() >= 2, "{name} ({}) needs a passing and a failing test", rule.id);
    }
}

/// `core` is layered one way: no top-level module reaches back to one that uses it (doc links
/// and tests aside). The layers, bottom up, are in ARCHITECTURE.md.
#[test]
fn core_modules_form_no_cycle() {
    let dir = workspace().join("core/src");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let mut uses: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for file in &files {
        let relative = file.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
        let module = relative.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for part in line.split("crate::").skip(1) {
                let used: String = part.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !used.is_empty() && used != module {
                    uses.entry(module.clone()).or_default().insert(used);
                }
            }
        }
    }
    // Depth-first search for a path back to the start.
    fn reaches(
        uses: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut std::collections::BTreeSet<String>,
    ) -> bool {
        uses.get(from).into_iter().flatten().any(|m| m == to || (seen.insert(m.clone()) && reaches(uses, m, to, seen)))
    }
    let cycles: Vec<&String> = uses.keys().filter(|m| reaches(&uses, m, m, &mut Default::default())).collect();
    assert!(cycles.is_empty(), "modules on a cycle: {cycles:?} (uses: {uses:?})");
}
