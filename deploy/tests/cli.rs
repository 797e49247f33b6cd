//! End-to-end tests of the `kubeplay` binary: real processes, real files, exit codes and output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A directory under the system temp dir, unique per test, removed when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(test: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kubeplay-cli-{}-{n}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir }
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The finished process, with its output as text.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn kubeplay_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(args)
        // The tests read plain text, whatever the environment of the test run says.
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
    let run = Run {
        code: status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    };
    assert!(!run.stderr.contains("panicked"), "the binary panicked:\n{}", run.stderr);
    run
}

fn kubeplay(args: &[&str]) -> Run {
    kubeplay_with_stdin(args, b"")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The YAML document of `kind`/`name` in a multi-document stream.
fn document<'a>(yaml: &'a str, kind: &str, name: &str) -> &'a str {
    yaml.split("---\n")
        .find(|doc| doc.contains(&format!("kind: {kind}\n")) && doc.contains(&format!("  name: {name}\n")))
        .unwrap_or_else(|| panic!("no {kind}/{name} in:\n{yaml}"))
}

const TYPO_VALUES: &str = "components:\n  todo-backend:\n    replica: 2\n";

/// A Deployment whose container port is 8000 and a Service that sends traffic to 9000.
const MISMATCHED_TARGET_PORT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: api:1.0.0
          ports:
            - name: http
              containerPort: 8000
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 80
      targetPort: 9000
";

#[test]
fn render_default_writes_seven_documents_and_succeeds() {
    let run = kubeplay(&["render"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("---\n").count(), 7, "{}", run.stdout);
    assert!(run.stdout.contains("kind: Namespace"));
}

#[test]
fn render_applies_set_values() {
    let run = kubeplay(&["render", "--set", "components.todo-backend.replicas=3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(document(&run.stdout, "Deployment", "todo-backend").contains("replicas: 3\n"));
    assert!(document(&run.stdout, "Deployment", "todo-frontend").contains("replicas: 1\n"));
}

#[test]
fn set_and_set_string_apply_in_command_line_order() {
    let path = "components.todo-backend.replicas";
    // The typed --set comes last and wins.
    let run = kubeplay(&["render", "--set-string", &format!("{path}=5"), "--set", &format!("{path}=4")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(document(&run.stdout, "Deployment", "todo-backend").contains("replicas: 4\n"));
    // The text from --set-string comes last and wins: replicas must be a number.
    let run = kubeplay(&["render", "--set", &format!("{path}=4"), "--set-string", &format!("{path}=5")]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("error[invalid-type]"), "{}", run.stderr);
}

#[test]
fn a_bad_set_expression_is_shown_with_its_text() {
    let run = kubeplay(&["render", "--set", "components.todo-backend.replicas"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[set-syntax]"), "{}", run.stderr);
    assert!(run.stderr.contains("--> --set #1:1:"), "{}", run.stderr);
    assert!(run.stderr.contains("| components.todo-backend.replicas\n"), "{}", run.stderr);
}

#[test]
fn a_typo_in_values_points_at_the_key_and_suggests_the_name() {
    let scratch = Scratch::new("typo");
    let values = scratch.file("values.yaml", TYPO_VALUES);
    let run = kubeplay(&["render", "-f", path(&values)]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "", "nothing is rendered when there are errors");
    assert!(run.stderr.contains("error[unknown-key]"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("--> {}:3:5", path(&values))), "{}", run.stderr);
    assert!(run.stderr.contains("    replica: 2"), "the source line is shown:\n{}", run.stderr);
    assert!(run.stderr.contains("did you mean `replicas`?"), "{}", run.stderr);
    assert!(run.stderr.contains("= at: components.todo-backend.replica"), "{}", run.stderr);
    assert!(run.stderr.trim_end().ends_with("1 error, 0 warnings, 0 infos"), "{}", run.stderr);
}

#[test]
fn validate_json_has_the_fields_of_each_diagnostic() {
    let scratch = Scratch::new("json");
    let values = scratch.file("values.yaml", TYPO_VALUES);
    let run = kubeplay(&["validate", path(&values), "--format", "json"]);
    assert_eq!(run.code, 1);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    let typo = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "unknown-key")
        .unwrap_or_else(|| panic!("no unknown-key in {diagnostics}"));
    assert_eq!(typo["severity"], "error");
    assert_eq!(typo["path"], "components.todo-backend.replica");
    assert_eq!(typo["file"], path(&values));
    assert_eq!((typo["line"].as_u64(), typo["column"].as_u64()), (Some(3), Some(5)));
    assert!(typo["message"].as_str().unwrap().contains("replica"));
    assert!(typo["help"].as_str().unwrap().contains("did you mean"));
}

#[test]
fn validate_of_clean_values_succeeds() {
    let scratch = Scratch::new("clean");
    let values = scratch.file("values.yaml", "components:\n  todo-backend:\n    replicas: 2\n");
    let run = kubeplay(&["validate", path(&values)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("0 errors"), "{}", run.stderr);
}

#[test]
fn validate_finds_a_service_target_port_no_container_exposes() {
    let scratch = Scratch::new("target-port");
    let manifests = scratch.file("app.yaml", MISMATCHED_TARGET_PORT);
    let run = kubeplay(&["validate", path(&manifests)]);
    // An undeclared port number is still forwarded by the kubelet: a warning, not an error.
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[target-port-unresolved]"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("--> {}:", path(&manifests))), "{}", run.stderr);
}

#[test]
fn validate_with_previous_names_each_update_the_api_server_refuses_at_its_line() {
    let scratch = Scratch::new("previous");
    let before = scratch.file("before.yaml", MISMATCHED_TARGET_PORT);
    let relabelled = MISMATCHED_TARGET_PORT.replacen("      app: api\n", "      app: api-v2\n", 1);
    let after = scratch.file("after.yaml", &relabelled);
    // The same set again is no refused update.
    let run = kubeplay(&["validate", path(&before), "--previous", path(&before), "--format", "json"]);
    assert!(!run.stdout.contains("immutable-field"), "{}", run.stdout);
    let run = kubeplay(&["validate", path(&after), "--previous", path(&before), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let refused: Vec<&serde_json::Value> =
        diagnostics.as_array().unwrap().iter().filter(|d| d["rule"] == "immutable-field").collect();
    assert_eq!(refused.len(), 1, "{diagnostics:#}");
    assert_eq!(refused[0]["field"], "spec.selector.matchLabels.app");
    assert_eq!((refused[0]["file"].as_str(), refused[0]["line"].as_u64()), (Some(path(&after)), Some(8)));
    // Values render and are compared the same way, pointed at the value that made the change.
    let local = kubeplay(&["render", "--preset", "todo-chatbot-local"]);
    let rendered = scratch.file("local.yaml", &local.stdout);
    let grown = scratch
        .file("grown.yaml", "components:\n  todo-postgres:\n    volumeClaimTemplates:\n      data: {size: 2Gi}\n");
    let run = kubeplay(&[
        "validate",
        "--preset",
        "todo-chatbot-local",
        "-f",
        path(&grown),
        "--previous",
        path(&rendered),
        "--format",
        "json",
    ]);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let refused = diagnostics.as_array().unwrap().iter().find(|d| d["rule"] == "immutable-field").expect("refused");
    assert_eq!(refused["resource"], "todo-chatbot/StatefulSet/todo-postgres");
    assert_eq!((refused["file"].as_str(), refused["line"].as_u64()), (Some(path(&grown)), Some(4)), "{refused}");
    // An empty earlier set (a first install) refuses nothing.
    let nothing = scratch.file("nothing.yaml", "# helm get manifest of a release with no objects\n");
    let run = kubeplay(&["validate", path(&before), "--previous", path(&nothing), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("immutable-field"), "{}", run.stdout);
    // A values file given as the earlier set is a usage error.
    let run = kubeplay(&["validate", path(&after), "--previous", path(&grown)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no Kubernetes objects"), "{}", run.stderr);
}

#[test]
fn validate_checks_values_and_manifests_given_together() {
    let scratch = Scratch::new("mixed");
    let values = scratch.file("values.yaml", TYPO_VALUES);
    let manifests =
        scratch.file("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: 80\n");
    let run = kubeplay(&["validate", path(&manifests), path(&values), "--format", "json"]);
    assert_eq!(run.code, 1);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules: Vec<&str> = diagnostics.as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    // `ports: 80` is a schema error of the Service (the default --kube-version's schema), which
    // takes the place of the manifest reader's own finding.
    assert!(rules.contains(&"unknown-key") && rules.contains(&"schema-invalid"), "{rules:?}");
}

#[test]
fn a_file_that_is_not_utf8_is_a_clear_error() {
    let scratch = Scratch::new("utf8");
    let values = scratch.file("latin1.yaml", b"namespace: caf\xe9\n");
    for verb in ["render", "validate", "graph"] {
        let args: Vec<&str> =
            if verb == "render" { vec![verb, "-f", path(&values)] } else { vec![verb, path(&values)] };
        let run = kubeplay(&args);
        assert_eq!(run.code, 1, "{verb}: {}", run.stderr);
        assert!(run.stderr.contains("error[input-encoding]"), "{verb}: {}", run.stderr);
        assert!(run.stderr.contains("not UTF-8"), "{verb}: {}", run.stderr);
        assert!(run.stderr.contains(&format!("--> {}:1:15", path(&values))), "{verb}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{verb}");
    }
}

#[test]
fn render_to_a_directory_writes_one_file_per_resource_and_all_in_one() {
    let scratch = Scratch::new("out");
    let out = scratch.dir.join("out");
    let run = kubeplay(&["render", "-o", path(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names.len(), 8, "{names:?}");
    assert_eq!(names[0], "01-namespace-todo-chatbot.yaml");
    assert!(names.contains(&"manifests.yaml".to_string()));
    let all = std::fs::read_to_string(out.join("manifests.yaml")).unwrap();
    assert_eq!(all, kubeplay(&["render", "-o", "-"]).stdout);
    let parts: String = names
        .iter()
        .filter(|n| *n != "manifests.yaml")
        .map(|n| std::fs::read_to_string(out.join(n)).unwrap())
        .collect();
    assert_eq!(parts, all, "the numbered files are the same documents, in the same order");
}

#[test]
fn render_writes_nothing_when_there_are_errors() {
    let scratch = Scratch::new("refuse");
    let values = scratch.file("values.yaml", TYPO_VALUES);
    let out = scratch.dir.join("out");
    let run = kubeplay(&["render", "-f", path(&values), "-o", path(&out)]);
    assert_eq!(run.code, 1);
    assert!(!out.exists(), "the output directory was created");
    assert_eq!(run.stdout, "");
}

#[test]
fn values_can_come_from_stdin() {
    let run = kubeplay_with_stdin(&["render", "-f", "-"], b"components:\n  todo-backend:\n    replicas: 2\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(document(&run.stdout, "Deployment", "todo-backend").contains("replicas: 2\n"));
    let run = kubeplay_with_stdin(&["validate", "-"], TYPO_VALUES.as_bytes());
    assert!(run.stderr.contains("--> <stdin>:3:5"), "{}", run.stderr);
}

#[test]
fn a_missing_file_is_exit_status_2() {
    let run = kubeplay(&["validate", "/nonexistent/kubeplay/values.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read /nonexistent/kubeplay/values.yaml"), "{}", run.stderr);
}

#[test]
fn an_unknown_preset_gets_a_suggestion() {
    for args in [&["render", "--preset", "todo-chatbo"][..], &["values", "--preset", "todo-chatbo"]] {
        let run = kubeplay(args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(run.stderr.contains("error[unknown-preset]"), "{}", run.stderr);
        assert!(run.stderr.contains("did you mean `todo-chatbot`?"), "{}", run.stderr);
    }
}

#[test]
fn values_prints_the_preset_as_written() {
    let run = kubeplay(&["values", "--preset", "demo"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, kubeplay_core::presets::find("demo").unwrap().yaml);
}

#[test]
fn rules_lists_every_rule_in_text_and_json() {
    let run = kubeplay(&["rules"]);
    assert_eq!(run.code, 0);
    let latest = run.stdout.lines().find(|l| l.starts_with("latest-tag ")).expect("latest-tag is listed");
    assert!(latest.contains("best-practice") && latest.contains("warning") && latest.contains("error"), "{latest}");
    let run = kubeplay(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), kubeplay_core::RULES.len());
    let latest = rules.as_array().unwrap().iter().find(|r| r["id"] == "latest-tag").unwrap();
    assert_eq!(latest["severity"]["production"], "error");
}

#[test]
fn presets_are_listed_with_the_default_marked() {
    let run = kubeplay(&["presets"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.lines().count(), kubeplay_core::presets::PRESETS.len());
    assert!(run.stdout.contains("todo-chatbot (default)"), "{}", run.stdout);
}

#[test]
fn completions_print_a_script() {
    let run = kubeplay(&["completions", "bash"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("_kubeplay()") && run.stdout.contains("complete -F _kubeplay"), "{}", run.stdout);
    // Preset names come from core and are offered for --preset.
    assert!(run.stdout.contains("todo-chatbot"));
}

#[test]
fn schema_is_json() {
    let run = kubeplay(&["schema"]);
    assert_eq!(run.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("the schema is JSON");
    assert!(schema["properties"]["components"].is_object(), "{schema}");
}

#[test]
fn graph_draws_text_mermaid_and_dot() {
    let run = kubeplay(&["graph"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("todo-chatbot/Service/todo-backend\n"), "{}", run.stdout);
    assert!(run.stdout.contains("--> todo-chatbot/Pods/todo-backend"), "{}", run.stdout);
    assert!(kubeplay(&["graph", "--format", "mermaid"]).stdout.starts_with("flowchart LR\n"));
    assert!(kubeplay(&["graph", "--format", "dot"]).stdout.starts_with("digraph kubeplay {"));
}

#[test]
fn namespace_flag_places_manifests_without_one() {
    let scratch = Scratch::new("namespace");
    let manifests = scratch.file("app.yaml", MISMATCHED_TARGET_PORT);
    let run = kubeplay(&["validate", "-n", "shop", path(&manifests), "--format", "json"]);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let resources: Vec<&str> = diagnostics.as_array().unwrap().iter().filter_map(|d| d["resource"].as_str()).collect();
    assert!(resources.contains(&"shop/Service/api") && resources.contains(&"shop/Deployment/api"), "{resources:?}");
    assert!(resources.iter().all(|r| r.starts_with("shop/")), "{resources:?}");

    let run = kubeplay(&["graph", "--namespace", "shop", path(&manifests)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("shop/Service/api\n"), "{}", run.stdout);
    assert!(run.stdout.contains("--> shop/Pods/api"), "{}", run.stdout);
    // Without the flag they land in `default`, as with kubectl.
    let run = kubeplay(&["graph", path(&manifests)]);
    assert!(run.stdout.contains("default/Service/api\n"), "{}", run.stdout);
}

#[test]
fn graph_refuses_values_and_manifests_together() {
    let scratch = Scratch::new("graph-mixed");
    let manifests = scratch.file("app.yaml", MISMATCHED_TARGET_PORT);
    let run = kubeplay(&["graph", path(&manifests), "--preset", "demo"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not both"), "{}", run.stderr);
}

#[test]
fn colors_follow_the_color_flag() {
    let scratch = Scratch::new("color");
    let values = scratch.file("values.yaml", TYPO_VALUES);
    let plain = kubeplay(&["validate", path(&values)]);
    assert!(!plain.stderr.contains('\x1b'), "not a terminal: no colors");
    let colored = kubeplay(&["validate", path(&values), "--color", "always"]);
    assert!(colored.stderr.contains("\x1b["), "{}", colored.stderr);
}

#[test]
fn usage_errors_are_exit_status_2() {
    assert_eq!(kubeplay(&["render", "--profile", "staging"]).code, 2);
    assert_eq!(kubeplay(&["frobnicate"]).code, 2);
}

#[test]
fn chart_writes_the_chart_as_files_or_packaged() {
    let scratch = Scratch::new("chart");
    let dir = scratch.dir.join("chart");
    let run = kubeplay(&["chart", "-o", path(&dir)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(dir.join("Chart.yaml")).unwrap().contains("name: kubeplay"));
    assert!(dir.join("templates/workload.yaml").is_file());

    let run = kubeplay(&["chart", "--package", "-o", path(&scratch.dir)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let archive = std::fs::read(scratch.dir.join("kubeplay-0.1.0.tgz")).unwrap();
    assert_eq!(&archive[..2], &[0x1f, 0x8b], "a gzip file");
}
