//! Differential proof that `helm template` of deploy/chart writes, document by document, what
//! `kubeplay_core::render::render` writes, for every preset and a generated corpus of values.
//!
//! Needs helm: `KUBEPLAY_HELM`, else `.tools/bin/helm` at the workspace root (put there by
//! scripts/install-helm.sh). Without it the tests fail rather than skip: a proof that silently
//! does not run proves nothing.
//!
//! `UPDATE_CHART_SCHEMA=1 cargo test -p kubeplay --test helm_diff` rewrites
//! deploy/chart/values.schema.json from `kubeplay_core::values::schema()`.

use kubeplay_core::{analyze_values, manifest, presets, render, values, Profile, SourceFile, ValuesInput};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const RELEASES: [&str; 3] = ["r", "todo-chatbot", "my-release-1"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("deploy/ sits in the workspace").to_path_buf()
}

fn chart_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("chart")
}

fn helm_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("KUBEPLAY_HELM") {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "KUBEPLAY_HELM={} is not a file", path.display());
        return path;
    }
    let path = workspace_root().join(".tools/bin/helm");
    assert!(
        path.is_file(),
        "helm is needed for the chart tests and was not found at {}: run scripts/install-helm.sh \
         (or set KUBEPLAY_HELM to a helm binary)",
        path.display()
    );
    path
}

/// A scratch directory for values files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("kubeplay-helm-diff-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a scratch dir");
        Scratch(dir)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write a values file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct HelmRun {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn helm(args: &[&str]) -> HelmRun {
    // Keep helm away from the user's config and caches: the chart is local, nothing is fetched.
    let home = std::env::temp_dir().join("kubeplay-helm-diff-home");
    let output = Command::new(helm_binary())
        .args(args)
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_DATA_HOME", home.join("data"))
        .output()
        .expect("run helm");
    HelmRun {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn helm_template(release: &str, values_files: &[&Path]) -> HelmRun {
    let chart = chart_dir();
    let mut args = vec!["template".to_string(), release.to_string(), chart.display().to_string()];
    for file in values_files {
        args.push("-f".into());
        args.push(file.display().to_string());
    }
    helm(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// One document of a multi-document stream: its text (for messages) and its parsed value.
#[derive(Debug)]
struct Doc {
    text: String,
    value: Value,
}

/// Split a multi-document YAML stream at `---` lines and parse each part with kubeplay's reader.
/// Parts holding only comments (helm's `# Source:` lines of empty templates) are not documents.
fn documents(name: &str, text: &str) -> Vec<Doc> {
    let mut parts = vec![String::new()];
    for line in text.lines() {
        if line == "---" || line.starts_with("--- ") {
            parts.push(String::new());
        } else {
            let part = parts.last_mut().expect("parts starts non-empty");
            part.push_str(line);
            part.push('\n');
        }
    }
    let mut docs = Vec::new();
    for part in parts {
        let parsed = kubeplay_core::source::parse(&SourceFile::new(name, part.as_str()))
            .unwrap_or_else(|d| panic!("{name} is not YAML: {} ({:?})\n{part}", d.message, d.location));
        for doc in parsed {
            if let Some(root) = doc.root {
                docs.push(Doc { text: part.clone(), value: root.to_json() });
            }
        }
    }
    docs
}

/// The first path where two values differ, for the failure message.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, value) in x {
                match y.get(key) {
                    None => return Some(format!("{path}.{key}: only on the left")),
                    Some(other) => {
                        if let Some(d) = first_difference(value, other, &format!("{path}.{key}")) {
                            return Some(d);
                        }
                    }
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| format!("{path}.{k}: only on the right"))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(l, r, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{path}: {} items against {}", x.len(), y.len()))
        }
        _ => (a != b).then(|| format!("{path}: {a} against {b}")),
    }
}

/// Compare core's documents with helm's; on a difference, say where and show both documents.
fn compare(case: &str, core: &[Doc], helm: &[Doc]) -> Result<(), String> {
    for (i, (c, h)) in core.iter().zip(helm).enumerate() {
        if c.value != h.value {
            let at = first_difference(&c.value, &h.value, "").unwrap_or_default();
            return Err(format!(
                "{case}: document {} differs at `{at}` (left: kubeplay, right: helm)\n--- kubeplay:\n{}--- helm:\n{}",
                i + 1,
                c.text,
                h.text
            ));
        }
    }
    if core.len() != helm.len() {
        let ids = |docs: &[Doc]| {
            docs.iter()
                .map(|d| {
                    format!(
                        "{}/{}",
                        d.value["kind"].as_str().unwrap_or("?"),
                        d.value["metadata"]["name"].as_str().unwrap_or("?")
                    )
                })
                .collect::<Vec<_>>()
        };
        return Err(format!("{case}: kubeplay wrote {:?}, helm wrote {:?}", ids(core), ids(helm)));
    }
    Ok(())
}

/// kubeplay's side: the preset, then `files`, rendered for `release`. Err holds the diagnostics
/// when the values do not load.
fn kubeplay_render(preset: &str, files: &[(&str, &str)], release: &str) -> Result<Vec<Doc>, String> {
    let input = ValuesInput {
        preset: Some(preset.to_string()),
        files: files.iter().map(|(name, text)| SourceFile::new(*name, *text)).collect(),
        sets: Vec::new(),
    };
    let analysis = analyze_values(&input, Some(release), Profile::Minikube);
    if analysis.values.is_none() {
        let messages: Vec<String> = analysis.diagnostics.iter().map(|d| format!("{}: {}", d.rule, d.message)).collect();
        return Err(messages.join("\n"));
    }
    Ok(documents("kubeplay render", &manifest::to_yaml(&analysis.manifests)))
}

fn parse_one(name: &str, text: &str) -> Value {
    let docs = documents(name, text);
    assert_eq!(docs.len(), 1, "{name} should hold one document");
    docs.into_iter().next().map(|d| d.value).unwrap_or(Value::Null)
}

fn preset_yaml(name: &str) -> &'static str {
    presets::find(name).unwrap_or_else(|| panic!("no preset {name}")).yaml
}

/// An overlay that, layered by helm over `defaults` before `target`, leaves exactly `target`:
/// null (Helm's "remove") for every key of the defaults that `target` does not have.
fn reset_overlay(defaults: &Value, target: &Value) -> Value {
    let (Value::Object(defaults), Value::Object(target)) = (defaults, target) else {
        return json!({});
    };
    let mut out = Map::new();
    for (key, value) in defaults {
        match target.get(key) {
            None => {
                out.insert(key.clone(), Value::Null);
            }
            Some(wanted @ Value::Object(_)) if value.is_object() => {
                let inner = reset_overlay(value, wanted);
                if inner.as_object().is_some_and(|m| !m.is_empty()) {
                    out.insert(key.clone(), inner);
                }
            }
            Some(_) => {}
        }
    }
    Value::Object(out)
}

#[test]
fn the_chart_is_named_and_versioned_like_core() {
    let chart = parse_one("Chart.yaml", &std::fs::read_to_string(chart_dir().join("Chart.yaml")).unwrap());
    assert_eq!(chart["apiVersion"], "v2");
    assert_eq!(
        chart["name"],
        render::CHART_NAME,
        "Chart.yaml name must equal render::CHART_NAME (the helm.sh/chart label)"
    );
    assert_eq!(
        chart["version"],
        render::CHART_VERSION,
        "Chart.yaml version must equal render::CHART_VERSION (the helm.sh/chart label)"
    );
}

#[test]
fn the_chart_defaults_are_the_default_preset() {
    let chart = parse_one("values.yaml", &std::fs::read_to_string(chart_dir().join("values.yaml")).unwrap());
    let preset = parse_one("preset", preset_yaml(presets::DEFAULT_PRESET));
    assert_eq!(
        chart,
        preset,
        "deploy/chart/values.yaml must hold the `{}` preset: cp core/presets/{0}.yaml deploy/chart/values.yaml",
        presets::DEFAULT_PRESET
    );
}

#[test]
fn the_chart_schema_is_the_values_schema() {
    let path = chart_dir().join("values.schema.json");
    let wanted = values::schema();
    if std::env::var_os("UPDATE_CHART_SCHEMA").is_some() {
        let text = serde_json::to_string_pretty(&wanted).unwrap() + "\n";
        std::fs::write(&path, text).expect("write values.schema.json");
    }
    let committed: Value =
        std::fs::read_to_string(&path).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or(Value::Null);
    assert!(
        committed == wanted,
        "deploy/chart/values.schema.json is not kubeplay_core::values::schema(); regenerate it with\n  \
         UPDATE_CHART_SCHEMA=1 cargo test -p kubeplay --test helm_diff the_chart_schema_is_the_values_schema"
    );
}

#[test]
fn every_preset_renders_the_same_with_helm() {
    let scratch = Scratch::new("presets");
    let defaults = parse_one("values.yaml", &std::fs::read_to_string(chart_dir().join("values.yaml")).unwrap());
    let mut failures = Vec::new();
    for preset in presets::PRESETS {
        let preset_file = scratch.write(&format!("{}.yaml", preset.name), preset.yaml);
        // The chart's defaults are the default preset: a reset overlay removes what `preset`
        // does not have, so helm renders the preset alone, as kubeplay does.
        let reset = reset_overlay(&defaults, &parse_one(preset.name, preset.yaml));
        let reset_file = scratch.write(&format!("reset-{}.json", preset.name), &reset.to_string());
        for release in RELEASES {
            let alone = kubeplay_render(preset.name, &[], release)
                .unwrap_or_else(|e| panic!("preset {} does not load: {e}", preset.name));
            let run = helm_template(release, &[&reset_file, &preset_file]);
            assert!(run.ok, "helm template {release} -f {} failed:\n{}", preset.name, run.stderr);
            if let Err(e) = compare(
                &format!("preset {} as release {release}", preset.name),
                &alone,
                &documents("helm", &run.stdout),
            ) {
                failures.push(e);
            }
            // And as a chart user layers it: `-f preset` over the chart's defaults.
            let layered = kubeplay_render(presets::DEFAULT_PRESET, &[(preset.name, preset.yaml)], release)
                .expect("presets layer cleanly");
            let run = helm_template(release, &[&preset_file]);
            assert!(run.ok, "helm template {release} -f {} failed:\n{}", preset.name, run.stderr);
            if let Err(e) = compare(
                &format!("-f {} over the defaults, release {release}", preset.name),
                &layered,
                &documents("helm", &run.stdout),
            ) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn helm_lint_strict_is_clean_for_every_preset() {
    let scratch = Scratch::new("lint");
    let chart = chart_dir().display().to_string();
    for preset in presets::PRESETS {
        let file = scratch.write(&format!("{}.yaml", preset.name), preset.yaml);
        let run = helm(&["lint", "--strict", &chart, "-f", &file.display().to_string()]);
        assert!(run.ok, "helm lint --strict -f {} failed:\n{}{}", preset.name, run.stdout, run.stderr);
    }
}

/// The packaged chart (the browser's download, `kubeplay chart --package`) is a chart helm
/// reads: it lints clean and renders exactly what the chart directory renders.
#[test]
fn the_packaged_chart_is_the_chart() {
    let scratch = Scratch::new("package");
    let archive = scratch.0.join(kubeplay_core::chart::package_file_name());
    std::fs::write(&archive, kubeplay_core::chart::package()).expect("write the package");
    let archive = archive.display().to_string();
    let lint = helm(&["lint", "--strict", &archive]);
    assert!(lint.ok, "helm lint --strict of the package failed:\n{}{}", lint.stdout, lint.stderr);
    let from_archive = helm(&["template", "r", &archive]);
    let from_dir = helm(&["template", "r", &chart_dir().display().to_string()]);
    assert!(from_archive.ok, "helm template of the package failed: {}", from_archive.stderr);
    assert_eq!(from_archive.stdout, from_dir.stdout);
}

/// Values kubeplay rejects must not render with helm either: the chart's schema says no.
#[test]
fn values_kubeplay_rejects_helm_rejects() {
    let scratch = Scratch::new("rejects");
    let cases = [
        ("an unknown key", "components:\n  todo-backend:\n    replica: 2\n"),
        ("a wrong type", "components:\n  todo-backend:\n    replicas: many\n"),
        (
            "a container port over 65535",
            "components:\n  todo-backend:\n    ports:\n      - name: http\n        containerPort: 70000\n",
        ),
        ("a Service port of 0", "components:\n  todo-backend:\n    service:\n      port: 0\n"),
        (
            "a probe port over 65535",
            "components:\n  todo-backend:\n    probes:\n      liveness:\n        path: /\n        port: 70000\n",
        ),
        ("a nodePort outside 30000-32767", "components:\n  todo-frontend:\n    service:\n      nodePort: 80\n"),
        ("replicas over 32 bits", "components:\n  todo-backend:\n    replicas: 3000000000\n"),
        ("a component without an image", "components:\n  extra:\n    replicas: 1\n"),
        ("an unknown Service type", "components:\n  todo-backend:\n    service:\n      type: ExternalName\n"),
        ("a config value that is a number", "config:\n  WORKERS: 4\n"),
        (
            "a volume with two sources",
            "components:\n  todo-backend:\n    volumes:\n      v:\n        emptyDir: {}\n        secret: {}\n",
        ),
        ("a volume with no source", "components:\n  todo-backend:\n    volumes:\n      v: {}\n"),
        (
            "an unknown volume source",
            "components:\n  todo-backend:\n    volumes:\n      v:\n        hostPath: {path: /}\n",
        ),
        (
            "a claim without a size",
            "components:\n  todo-backend:\n    volumes:\n      v:\n        persistentVolumeClaim: {}\n",
        ),
        (
            "a file mode over 0777",
            "components:\n  todo-backend:\n    volumes:\n      v:\n        secret: {defaultMode: 1000}\n",
        ),
        (
            "an unknown access mode",
            "components:\n  todo-backend:\n    volumes:\n      v:\n        persistentVolumeClaim: {size: 1Gi, accessModes: [ReadWriteSome]}\n",
        ),
        ("a mount without a path", "components:\n  todo-backend:\n    volumeMounts:\n      - name: v\n"),
        (
            "a budget with both counts",
            "components:\n  todo-backend:\n    podDisruptionBudget: {minAvailable: 1, maxUnavailable: 1}\n",
        ),
        ("a budget of a bad percentage", "components:\n  todo-backend:\n    podDisruptionBudget: {maxUnavailable: \"half\"}\n"),
        ("a negative budget", "components:\n  todo-backend:\n    podDisruptionBudget: {maxUnavailable: -1}\n"),
        ("an unknown ServiceAccount key", "components:\n  todo-backend:\n    serviceAccount: {automount: true}\n"),
        ("an Ingress without hosts", "ingress: {className: nginx}\n"),
        ("an Ingress path without a component", "ingress:\n  hosts:\n    - paths: [{path: /}]\n"),
        ("an unknown path type", "ingress:\n  hosts:\n    - paths: [{component: todo-frontend, pathType: Regex}]\n"),
        ("an autoscaler without maxReplicas", "components:\n  todo-backend:\n    autoscaling: {minReplicas: 2}\n"),
        ("an autoscaler of 0 pods", "components:\n  todo-backend:\n    autoscaling: {minReplicas: 0, maxReplicas: 3}\n"),
        (
            "an autoscaler aiming at 0% CPU",
            "components:\n  todo-backend:\n    autoscaling: {maxReplicas: 3, targetCPUUtilizationPercentage: 0}\n",
        ),
        ("an unknown allowFrom key", "components:\n  todo-backend:\n    allowFrom: {pods: [todo-frontend]}\n"),
        ("allowFrom as a list", "components:\n  todo-backend:\n    allowFrom: [todo-frontend]\n"),
        ("allowFrom anywhere as text", "components:\n  todo-backend:\n    allowFrom: {anywhere: \"yes\"}\n"),
        ("an unknown networkPolicy key", "networkPolicy: {enabled: true}\n"),
        ("an unknown pod field", "components:\n  todo-backend:\n    fieldEnv: {PHASE: status.phase}\n"),
        ("a preStop with two actions", "components:\n  todo-backend:\n    preStop: {sleep: 5, exec: [true]}\n"),
        ("a negative grace period", "components:\n  todo-backend:\n    terminationGracePeriodSeconds: -1\n"),
        (
            "a negative Job retry limit",
            "components:\n  migrate:\n    kind: Job\n    image: {repository: busybox}\n    backoffLimit: -1\n",
        ),
        (
            "a negative CronJob history limit",
            "components:\n  nightly:\n    kind: CronJob\n    schedule: \"0 3 * * *\"\n    image: {repository: busybox}\n    failedJobsHistoryLimit: -1\n",
        ),
        ("an unknown seccomp type", "components:\n  todo-backend:\n    securityContext: {seccompProfile: {type: Localhostish}}\n"),
        ("a preStop sleep of 0", "components:\n  todo-backend:\n    preStop: {sleep: 0}\n"),
        ("an init container without an image", "components:\n  todo-backend:\n    initContainers: [{name: migrate}]\n"),
        ("an init container with a port", "components:\n  todo-backend:\n    initContainers: [{name: m, image: {repository: busybox}, ports: []}]\n"),
    ];
    let mut failures = Vec::new();
    for (i, (what, overlay)) in cases.iter().enumerate() {
        let input = ValuesInput { preset: None, files: vec![SourceFile::new("case.yaml", *overlay)], sets: Vec::new() };
        if !analyze_values(&input, Some("r"), Profile::Minikube).has_errors() {
            failures.push(format!("kubeplay accepts {what}, so the case proves nothing:\n{overlay}"));
            continue;
        }
        let file = scratch.write(&format!("case-{i}.yaml"), overlay);
        if helm_template("r", &[&file]).ok {
            failures.push(format!("helm renders {what}, which kubeplay rejects:\n{overlay}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nThe chart rejects values through values.schema.json, a copy of kubeplay_core::values::schema(): \
         bound the field in core/src/values.rs (#[schemars(range(min = .., max = ..))]) and regenerate the copy.",
        failures.join("\n")
    );
}

/// What one side made of a values input: the documents, or why it refused.
enum Outcome {
    Rendered(Vec<Doc>),
    Rejected(String),
}

/// Layer `overlays` over the defaults with both and require the same outcome: both refuse, or
/// both render the same documents. For inputs where reading or layering is what could differ.
fn same_outcome(scratch: &Scratch, case: &str, overlays: &[&str]) -> Result<(), String> {
    let files: Vec<(String, &str)> =
        overlays.iter().enumerate().map(|(i, text)| (format!("{case}-{i}.yaml"), *text)).collect();
    let named: Vec<(&str, &str)> = files.iter().map(|(name, text)| (name.as_str(), *text)).collect();
    let kubeplay = match kubeplay_render(presets::DEFAULT_PRESET, &named, "r") {
        Ok(docs) => Outcome::Rendered(docs),
        Err(e) => Outcome::Rejected(e),
    };
    let paths: Vec<PathBuf> = files.iter().map(|(name, text)| scratch.write(name, text)).collect();
    let run = helm_template("r", &paths.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let helm = if run.ok { Outcome::Rendered(documents("helm", &run.stdout)) } else { Outcome::Rejected(run.stderr) };
    let shown = overlays.join("---\n");
    match (kubeplay, helm) {
        (Outcome::Rejected(_), Outcome::Rejected(_)) => Ok(()),
        (Outcome::Rendered(k), Outcome::Rendered(h)) => {
            compare(case, &k, &h).map_err(|e| format!("{e}\nvalues:\n{shown}"))
        }
        (Outcome::Rendered(_), Outcome::Rejected(e)) => {
            Err(format!("{case}: kubeplay renders, helm refuses:\n{e}values:\n{shown}"))
        }
        (Outcome::Rejected(e), Outcome::Rendered(_)) => {
            Err(format!("{case}: helm renders, kubeplay refuses:\n{e}\nvalues:\n{shown}"))
        }
    }
}

/// Helm layers `-f` files with `mergeMaps` (a null is kept as a value), then coalesces the result
/// over the chart's defaults, where a null deletes the default's key. A null for a key the
/// defaults do not have therefore stays null, and the schema refuses it where null is not allowed.
#[test]
fn nulls_layer_as_helm_layers_them() {
    let scratch = Scratch::new("nulls");
    let cases: [(&str, &[&str]); 6] = [
        ("null removes a default component", &["components:\n  todo-frontend: null\n"]),
        ("null removes a default config key", &["config:\n  LOG_LEVEL: null\n"]),
        ("null removes a default Service", &["components:\n  todo-backend:\n    service: null\n"]),
        ("null for a secret the defaults lack", &["secrets:\n  NEW_TOKEN: null\n"]),
        (
            "null for an env var the defaults lack",
            &["components:\n  todo-backend:\n    env:\n      BACKEND_URL: null\n"],
        ),
        (
            "a later file nulls what an earlier file added",
            &[
                "components:\n  extra:\n    image:\n      repository: nginx\n    replicas: 3\n",
                "components:\n  extra:\n    replicas: null\n",
            ],
        ),
    ];
    let failures: Vec<String> =
        cases.iter().filter_map(|(case, overlays)| same_outcome(&scratch, case, overlays).err()).collect();
    assert!(
        failures.is_empty(),
        "{}\n\nkubeplay's layering (core/src/merge.rs) must be Helm's: merge the -f files and --sets among \
         themselves keeping nulls, then coalesce over the preset, where a null deletes only keys the preset has.",
        failures.join("\n\n")
    );
}

/// `checksum/secret` is keyed by the secret `KUBEPLAY_CHECKSUM_KEY` when given (render.rs
/// `secret_checksum`), and says only key names without it: the chart must compute both alike.
#[test]
fn the_keyed_secret_checksum_is_the_same_with_helm() {
    let scratch = Scratch::new("keyed");
    let values = "secrets:\n  DATABASE_URL: postgres://u:p@db/x\n  OPENAI_API_KEY: sk-1\n  BETTER_AUTH_SECRET: weak\n";
    let cases: [(&str, String); 3] = [
        ("keyed", format!("{values}  KUBEPLAY_CHECKSUM_KEY: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n")),
        ("no key: names only", values.to_string()),
        ("an empty key is no key", format!("{values}  KUBEPLAY_CHECKSUM_KEY: \"\"\n")),
    ];
    let failures: Vec<String> =
        cases.iter().filter_map(|(case, overlay)| same_outcome(&scratch, case, &[overlay.as_str()]).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The keyed sum differs from the unkeyed one, and neither is the old unsalted hash.
    let sum = |overlay: &str| {
        let docs = kubeplay_render(presets::DEFAULT_PRESET, &[("v.yaml", overlay)], "r").expect("renders");
        docs.iter()
            .flat_map(|d| d.text.lines())
            .find(|l| l.contains("checksum/secret"))
            .expect("a secret checksum")
            .to_string()
    };
    assert_ne!(sum(&cases[0].1), sum(&cases[1].1));
    assert_eq!(sum(&cases[1].1), sum(&cases[2].1));
}

/// Helm reads values with go-yaml v2 (YAML 1.1 plain scalars: `yes`/`on`/`n` are booleans, `010`
/// is octal, `1_000` is 1000) and sees every number as a float64 (`8000.0` is the integer 8000).
#[test]
fn plain_yaml_scalars_read_as_helm_reads_them() {
    let scratch = Scratch::new("scalars");
    let cases: [(&str, &str); 8] = [
        ("a quoted number stays text", "config:\n  WORKERS: \"4\"\n"),
        ("`yes` as a label value", "commonLabels:\n  enabled: yes\n"),
        ("`n` as a config key", "config:\n  n: \"1\"\n"),
        ("`on` as an env var name", "components:\n  todo-frontend:\n    env:\n      on: \"1\"\n"),
        (
            "a leading-zero port",
            "components:\n  todo-backend:\n    ports:\n      - name: http\n        containerPort: 010\n",
        ),
        (
            "a port with an underscore",
            "components:\n  todo-backend:\n    ports:\n      - name: http\n        containerPort: 8_000\n",
        ),
        (
            "a port written as a float",
            "components:\n  todo-backend:\n    ports:\n      - name: http\n        containerPort: 8000.0\n",
        ),
        ("a config value with an underscore number", "config:\n  WORKERS: 1_000\n"),
    ];
    let failures: Vec<String> =
        cases.iter().filter_map(|(case, overlay)| same_outcome(&scratch, case, &[overlay]).err()).collect();
    assert!(
        failures.is_empty(),
        "{}\n\nkubeplay must read plain scalars as Helm (and kubectl) do, with go-yaml v2's YAML 1.1 rules \
         (core/src/source.rs resolve_plain), and take integral floats as integers.",
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The generated corpus.

/// SplitMix64: a small seeded generator, so every failing case can be regenerated from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Strings that trip YAML and Go templates: numbers, booleans, nulls, quotes, colons, newlines.
const TRICKY: &[&str] = &[
    "",
    "1.0",
    "2",
    "0",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "1_000",
    "0b11",
    "null",
    "~",
    "1e3",
    "0x1F",
    "010",
    "-",
    "a: b",
    "#not a comment",
    "say \"hi\"",
    "it's",
    "{braces}",
    "[list]",
    "*star",
    "&amp",
    "line one\nline two",
    "tab\there",
    " leading space",
    "trailing space ",
    "héllo ✓",
    "http://todo-backend:8000",
    "postgres://u:p@db:5432/app?sslmode=require",
    "%s %d",
    "{{ .Values.appName }}",
    "back\\slash",
];
const ENV_NAMES: &[&str] =
    &["LOG_LEVEL", "PORT", "DEBUG", "API_URL", "WORKERS", "A", "FEATURE_X", "TZ", "_PRIVATE", "MODE2"];
const PORT_NAMES: &[&str] = &["http", "grpc", "metrics", "admin", "web", "h2c", "p8080"];
const TAGS: &[&str] =
    &["", "1.0", "2", "1.0.0", "latest", "v1.10.3", "1.27-alpine", "0.10", "1e3", "true", "sha-abc123"];
const REPOSITORIES: &[&str] =
    &["nginx", "docker.io/library/nginx", "ghcr.io/acme/api", "localhost:5000/app", "todo-backend"];
const QUANTITIES_CPU: &[&str] = &["100m", "1", "0.5", "250m", "2"];
const QUANTITIES_MEMORY: &[&str] = &["64Mi", "128Mi", "1Gi", "512M", "1"];
const PATHS: &[&str] = &["/", "/health", "/healthz", "/ready?full=1", "/api/v1/status"];

fn component_name(rng: &mut Rng) -> String {
    let stems = ["api", "web", "worker", "db-proxy", "cache", "a", "x1", "123", "svc-9", "frontend"];
    let stem = stems[rng.below(stems.len() as u64) as usize];
    if rng.chance(40) {
        format!("{stem}-{}", rng.below(100))
    } else {
        stem.to_string()
    }
}

fn env_name(rng: &mut Rng) -> String {
    let name = rng.pick(ENV_NAMES).to_string();
    if rng.chance(30) {
        format!("{name}_{}", rng.below(10))
    } else {
        name
    }
}

fn port_number(rng: &mut Rng) -> i64 {
    *[80, 443, 3000, 8000, 8080, 9090, 1, 65535].get(rng.below(10) as usize).unwrap_or(&rng.range(1, 65535))
}

fn probe(rng: &mut Rng, ports: &[(String, i64)]) -> Value {
    let port = if !ports.is_empty() && rng.chance(50) {
        let (name, number) = &ports[rng.below(ports.len() as u64) as usize];
        if rng.chance(60) {
            json!(name)
        } else {
            json!(number)
        }
    } else if rng.chance(20) {
        // A name that looks like a number stays a name (IntOrString's string side).
        json!(port_number(rng).to_string())
    } else {
        json!(port_number(rng))
    };
    let mut p = json!({"port": port});
    // Without a path, a TCP connection.
    if rng.chance(80) {
        p["path"] = json!(rng.pick(PATHS));
    }
    for field in ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold"] {
        if rng.chance(40) {
            p[field] = json!(rng.range(0, 120));
        }
    }
    p
}

/// A complete new component. Every optional field is sometimes left out.
fn new_component(rng: &mut Rng, config_keys: &[String], secret_keys: &[String]) -> Value {
    let mut c = Map::new();
    let mut image = json!({"repository": rng.pick(REPOSITORIES)});
    if rng.chance(80) {
        image["tag"] = json!(rng.pick(TAGS));
    }
    if rng.chance(50) {
        image["pullPolicy"] = json!(rng.pick(&["Always", "IfNotPresent", "Never"]));
    }
    c.insert("image".into(), image);
    if rng.chance(60) {
        c.insert("replicas".into(), json!(rng.range(0, 5)));
    }
    if rng.chance(40) {
        let args: Vec<&str> =
            (0..rng.below(4)).map(|_| rng.pick(&["--port", "8080", "true", "", "--verbose", "1.0", "a b"])).collect();
        c.insert("args".into(), json!(args));
    }
    let mut ports: Vec<(String, i64)> = Vec::new();
    if rng.chance(80) {
        for _ in 0..rng.range(0, 3) {
            let name = rng.pick(PORT_NAMES).to_string();
            if ports.iter().all(|(n, _)| *n != name) {
                ports.push((name, port_number(rng)));
            }
        }
        let list: Vec<Value> = ports.iter().map(|(n, p)| json!({"name": n, "containerPort": p})).collect();
        c.insert("ports".into(), json!(list));
    }
    if rng.chance(50) {
        let env: Map<String, Value> = (0..rng.range(0, 3)).map(|_| (env_name(rng), json!(rng.pick(TRICKY)))).collect();
        c.insert("env".into(), Value::Object(env));
    }
    for (field, keys) in [("configKeys", config_keys), ("secretKeys", secret_keys)] {
        if rng.chance(50) {
            let mut chosen: Vec<String> = keys.iter().filter(|_| rng.chance(50)).cloned().collect();
            if rng.chance(15) {
                chosen.push("MISSING_KEY".into());
            }
            // List order is kept in the env: shuffle it.
            for i in (1..chosen.len()).rev() {
                chosen.swap(i, rng.below(i as u64 + 1) as usize);
            }
            c.insert(field.into(), json!(chosen));
        }
    }
    if rng.chance(60) {
        let mut probes = Map::new();
        for kind in ["liveness", "readiness", "startup"] {
            if rng.chance(50) {
                probes.insert(kind.into(), probe(rng, &ports));
            }
        }
        c.insert("probes".into(), Value::Object(probes));
    }
    if rng.chance(60) {
        let mut resources = Map::new();
        for list in ["requests", "limits"] {
            if rng.chance(70) {
                let mut l = Map::new();
                if rng.chance(60) {
                    l.insert("cpu".into(), json!(rng.pick(QUANTITIES_CPU)));
                }
                if rng.chance(60) {
                    l.insert("memory".into(), json!(rng.pick(QUANTITIES_MEMORY)));
                }
                resources.insert(list.into(), Value::Object(l));
            }
        }
        c.insert("resources".into(), Value::Object(resources));
    }
    if rng.chance(60) {
        let mut sc = Map::new();
        for key in ["runAsNonRoot", "readOnlyRootFilesystem", "allowPrivilegeEscalation"] {
            if rng.chance(50) {
                sc.insert(key.into(), json!(rng.chance(50)));
            }
        }
        if rng.chance(50) {
            sc.insert("runAsUser".into(), json!(rng.pick(&[0i64, 1000, 65532, 2_147_483_647])));
        }
        if rng.chance(40) {
            let capabilities = match rng.below(4) {
                0 => json!({"drop": ["ALL"]}),
                1 => json!({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}),
                2 => json!({"add": []}),
                _ => json!({}),
            };
            sc.insert("capabilities".into(), capabilities);
        }
        if rng.chance(40) {
            sc.insert("seccompProfile".into(), json!({"type": rng.pick(&["RuntimeDefault", "Unconfined"])}));
        }
        c.insert("securityContext".into(), Value::Object(sc));
    }
    if rng.chance(30) {
        let mut scaling = Map::new();
        let min = rng.range(1, 3);
        if rng.chance(60) {
            scaling.insert("minReplicas".into(), json!(min));
        }
        scaling.insert("maxReplicas".into(), json!(min + rng.range(0, 4)));
        for target in ["targetCPUUtilizationPercentage", "targetMemoryUtilizationPercentage"] {
            if rng.chance(50) {
                scaling.insert(target.into(), json!(rng.range(10, 95)));
            }
        }
        c.insert("autoscaling".into(), Value::Object(scaling));
        // The autoscaler decides; kubeplay warns when `replicas` is given too, and renders the same.
        if rng.chance(70) {
            c.remove("replicas");
        }
    }
    if rng.chance(30) {
        let mut account = Map::new();
        if rng.chance(40) {
            account.insert("name".into(), json!(rng.pick(&["runner", "", "app-sa"])));
        }
        if rng.chance(40) {
            account.insert("create".into(), json!(rng.chance(50)));
        }
        if rng.chance(40) {
            account.insert("automountServiceAccountToken".into(), json!(rng.chance(50)));
        }
        c.insert("serviceAccount".into(), Value::Object(account));
    }
    if rng.chance(30) {
        let field = rng.pick(&["minAvailable", "maxUnavailable"]);
        let count = if rng.chance(50) { json!(rng.range(0, 3)) } else { json!(rng.pick(&["0%", "50%", "100%"])) };
        c.insert("podDisruptionBudget".into(), json!({ field: count }));
    }
    if rng.chance(40) {
        let (volumes, mounts) = volumes(rng, config_keys, secret_keys);
        c.insert("volumes".into(), volumes);
        if rng.chance(85) {
            c.insert("volumeMounts".into(), mounts);
        }
    }
    if rng.chance(30) {
        c.insert("allowFrom".into(), allow_from(rng));
    }
    if rng.chance(25) {
        c.insert(
            "command".into(),
            json!(rng.pick(&[&["uvicorn"][..], &["sh", "-c", "exec app"], &["node", "server.js"]])),
        );
    }
    if rng.chance(30) {
        let fields = [
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.podIP",
        ];
        let env: Map<String, Value> =
            (0..rng.range(1, 3)).map(|i| (format!("POD_{i}"), json!(rng.pick(&fields)))).collect();
        c.insert("fieldEnv".into(), Value::Object(env));
    }
    if rng.chance(30) {
        let inits: Vec<Value> = (0..rng.range(1, 2))
            .map(|i| {
                let mut init = json!({"name": format!("init-{i}"), "image": {"repository": rng.pick(REPOSITORIES)}});
                if rng.chance(50) {
                    init["image"]["tag"] = json!(rng.pick(TAGS));
                }
                if rng.chance(30) {
                    init["image"]["pullPolicy"] = json!(rng.pick(&["Always", "IfNotPresent", "Never"]));
                }
                if rng.chance(50) {
                    init["command"] = json!(["sh", "-c", "until nc -z db 5432; do sleep 1; done"]);
                }
                if rng.chance(30) {
                    init["args"] = json!(["--once"]);
                }
                if rng.chance(40) {
                    init["env"] = json!({"STEP": rng.pick(TRICKY)});
                }
                if rng.chance(40) && !config_keys.is_empty() {
                    init["configKeys"] = json!([config_keys[rng.below(config_keys.len() as u64) as usize]]);
                }
                if rng.chance(40) && !secret_keys.is_empty() {
                    init["secretKeys"] = json!([secret_keys[rng.below(secret_keys.len() as u64) as usize]]);
                }
                if rng.chance(20) {
                    init["fieldEnv"] = json!({"POD_NAME": "metadata.name"});
                }
                if rng.chance(30) {
                    init["securityContext"] = json!({"runAsNonRoot": true, "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}});
                }
                init
            })
            .collect();
        c.insert("initContainers".into(), json!(inits));
    }
    if rng.chance(30) {
        let grace = rng.pick(&[0, 5, 30, 45, 120]);
        if rng.chance(70) {
            c.insert("terminationGracePeriodSeconds".into(), json!(grace));
        }
        if rng.chance(70) {
            let hook = if rng.chance(50) {
                json!({"sleep": rng.range(1, 30)})
            } else {
                json!({"exec": ["sh", "-c", "sleep 2"]})
            };
            c.insert("preStop".into(), hook);
        }
    }
    if rng.chance(70) {
        let mut s = Map::new();
        let kind = if rng.chance(25) { None } else { Some(rng.pick(&["ClusterIP", "NodePort", "LoadBalancer"])) };
        if let Some(kind) = kind {
            s.insert("type".into(), json!(kind));
        }
        s.insert("port".into(), json!(port_number(rng)));
        let target = if !ports.is_empty() && rng.chance(60) {
            json!(ports[rng.below(ports.len() as u64) as usize].0)
        } else {
            json!(port_number(rng))
        };
        s.insert("targetPort".into(), target);
        if matches!(kind, Some("NodePort" | "LoadBalancer")) && rng.chance(60) {
            s.insert("nodePort".into(), json!(rng.range(30000, 32767)));
        }
        c.insert("service".into(), Value::Object(s));
    }
    if rng.chance(35) {
        workload_kind(rng, &mut c);
    }
    Value::Object(c)
}

/// Another kind than the Deployment, with its own fields and without those it has no use for.
fn workload_kind(rng: &mut Rng, c: &mut Map<String, Value>) {
    let kind = rng.pick(&["StatefulSet", "DaemonSet", "Job", "CronJob"]);
    c.insert("kind".into(), json!(kind));
    if kind != "StatefulSet" {
        c.remove("replicas");
        c.remove("autoscaling");
    }
    match kind {
        "StatefulSet" if rng.chance(70) => {
            let mut claim = json!({"size": rng.pick(&["1Gi", "500Mi"])});
            if rng.chance(40) {
                claim["accessModes"] = json!(["ReadWriteOncePod"]);
            }
            if rng.chance(40) {
                claim["storageClassName"] = json!(rng.pick(&["", "fast"]));
            }
            c.insert("volumeClaimTemplates".into(), json!({ "state": claim }));
            let mount = json!({"name": "state", "mountPath": "/var/lib/state"});
            match c.get_mut("volumeMounts").and_then(Value::as_array_mut) {
                Some(mounts) => mounts.push(mount),
                None => {
                    c.insert("volumeMounts".into(), json!([mount]));
                }
            }
        }
        "Job" | "CronJob" => {
            c.remove("service");
            if rng.chance(60) {
                c.insert("backoffLimit".into(), json!(rng.range(0, 6)));
            }
            if rng.chance(50) {
                c.insert("restartPolicy".into(), json!(rng.pick(&["Never", "OnFailure"])));
            }
            let claims = c
                .get("volumes")
                .and_then(Value::as_object)
                .is_some_and(|v| v.values().any(|s| s.get("persistentVolumeClaim").is_some()));
            let own_account = c.get("serviceAccount").is_some_and(|a| a.get("create") != Some(&json!(false)));
            if kind == "Job" && rng.chance(50) && !claims && !own_account {
                c.insert("hook".into(), json!(true));
                if rng.chance(50) {
                    c.insert("hookAfterInstall".into(), json!(rng.chance(75)));
                }
            }
            if kind == "CronJob" {
                c.insert("schedule".into(), json!(rng.pick(&["*/5 * * * *", "@hourly", "0 3 * * 1-5"])));
                if rng.chance(50) {
                    c.insert("concurrencyPolicy".into(), json!(rng.pick(&["Allow", "Forbid", "Replace"])));
                }
                if rng.chance(50) {
                    c.insert("successfulJobsHistoryLimit".into(), json!(rng.range(0, 3)));
                    c.insert("failedJobsHistoryLimit".into(), json!(rng.range(0, 3)));
                }
            }
        }
        _ => {}
    }
}

/// Who may connect to a component: components (the defaults' or ones that may not exist),
/// namespaces, the ingress controller, anywhere; or nothing at all.
fn allow_from(rng: &mut Rng) -> Value {
    let mut allow = Map::new();
    if rng.chance(60) {
        let names: Vec<String> = (0..rng.range(1, 2))
            .map(|_| {
                if rng.chance(50) {
                    rng.pick(&["todo-frontend", "todo-backend"]).to_string()
                } else {
                    component_name(rng)
                }
            })
            .collect();
        allow.insert("components".into(), json!(names));
    }
    if rng.chance(30) {
        allow.insert("namespaces".into(), json!([rng.pick(&["monitoring", "kube-system", "other-team"])]));
    }
    if rng.chance(40) {
        allow.insert("ingressController".into(), json!(rng.chance(80)));
    }
    if rng.chance(25) {
        allow.insert("anywhere".into(), json!(rng.chance(80)));
    }
    Value::Object(allow)
}

/// A component's volumes, one to three of any source, and mounts of some of them.
fn volumes(rng: &mut Rng, config_keys: &[String], secret_keys: &[String]) -> (Value, Value) {
    let mut volumes = Map::new();
    let mut mounts = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let name = rng.pick(&["data", "cache", "tmp", "config-files", "keys", "db-0"]).to_string();
        let given =
            |rng: &mut Rng, percent: u64, make: &dyn Fn(&mut Rng) -> Value| rng.chance(percent).then(|| make(rng));
        let mut source = Map::new();
        let kind = rng.pick(&["emptyDir", "configMap", "secret", "persistentVolumeClaim"]);
        match kind {
            "emptyDir" => {
                if let Some(limit) = given(rng, 50, &|rng| json!(rng.pick(QUANTITIES_MEMORY))) {
                    source.insert("sizeLimit".into(), limit);
                }
                if let Some(medium) = given(rng, 30, &|_| json!("Memory")) {
                    source.insert("medium".into(), medium);
                }
            }
            "configMap" | "secret" => {
                let keys = if kind == "configMap" { config_keys } else { secret_keys };
                let items: Map<String, Value> = keys
                    .iter()
                    .filter(|_| rng.chance(50))
                    .map(|k| (k.clone(), json!(format!("{}.txt", k.to_lowercase()))))
                    .collect();
                if !items.is_empty() {
                    source.insert("items".into(), Value::Object(items));
                }
                if let Some(mode) = given(rng, 40, &|rng| json!(rng.pick(&[0o400i64, 0o440, 0o644, 0]))) {
                    source.insert("defaultMode".into(), mode);
                }
            }
            _ => {
                source.insert("size".into(), json!(rng.pick(&["1Gi", "500Mi", "10G"])));
                if rng.chance(40) {
                    let modes: Vec<&str> = (0..rng.range(1, 2))
                        .map(|_| rng.pick(&["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]))
                        .collect();
                    source.insert("accessModes".into(), json!(modes));
                }
                if let Some(class) = given(rng, 40, &|rng| json!(rng.pick(&["", "fast", "standard"]))) {
                    source.insert("storageClassName".into(), class);
                }
            }
        }
        volumes.insert(name.clone(), json!({ kind: source }));
        if rng.chance(80) {
            let mut mount = json!({"name": name, "mountPath": format!("/mnt/{name}")});
            if let Some(read_only) = given(rng, 40, &|rng| json!(rng.chance(50))) {
                mount["readOnly"] = read_only;
            }
            if let Some(sub_path) = given(rng, 25, &|rng| json!(rng.pick(&["", "sub", "a/b"]))) {
                mount["subPath"] = sub_path;
            }
            mounts.push(mount);
        }
    }
    (Value::Object(volumes), json!(mounts))
}

/// A partial overlay for one of the default components: maps merge into it, lists replace,
/// null removes.
fn tweak_default_component(rng: &mut Rng, name: &str) -> Value {
    let mut c = Map::new();
    let tweaks: [(&str, Value); 10] = [
        ("replicas", json!(rng.range(0, 4))),
        ("image", json!({"tag": rng.pick(TAGS)})),
        ("service", Value::Null),
        ("probes", json!({"readiness": null})),
        ("probes", json!({"startup": {"path": "/", "port": "http", "failureThreshold": 30}})),
        // Only todo-frontend has env in the defaults; a null under a map the defaults lack is
        // where Helm and kubeplay part (see nulls_layer_as_helm_layers_them).
        (
            "env",
            if name == "todo-frontend" {
                json!({"EXTRA": rng.pick(TRICKY), "BACKEND_URL": null})
            } else {
                json!({"EXTRA": rng.pick(TRICKY)})
            },
        ),
        ("resources", json!({"limits": {"cpu": null}})),
        ("securityContext", json!({"runAsNonRoot": false, "runAsUser": null})),
        ("ports", json!([{"name": "http", "containerPort": port_number(rng)}])),
        ("args", json!(["--workers", "2"])),
    ];
    for (key, value) in tweaks {
        if rng.chance(25) {
            c.insert(key.into(), value);
        }
    }
    Value::Object(c)
}

/// One overlay for the default preset (the chart's defaults), with the seed's choices.
fn generated_overlay(rng: &mut Rng) -> Value {
    let mut v = Map::new();
    if rng.chance(30) {
        v.insert("appName".into(), json!(component_name(rng)));
    }
    if rng.chance(30) {
        v.insert("namespace".into(), json!(format!("ns-{}", rng.below(1000))));
    }
    if rng.chance(40) {
        let labels: Map<String, Value> = (0..rng.range(0, 3))
            .map(|_| {
                (
                    rng.pick(&["team", "tier", "example.com/owner", "env", "version"]).to_string(),
                    json!(rng.pick(&["web", "1.0", "2", "true", "", "a.b-c_d"])),
                )
            })
            .collect();
        v.insert("commonLabels".into(), Value::Object(labels));
    }

    let default_config = ["LOG_LEVEL", "OPENAI_MODEL", "CORS_ORIGINS"];
    let default_secrets = ["DATABASE_URL", "OPENAI_API_KEY", "BETTER_AUTH_SECRET"];
    let mut config_keys: Vec<String> = default_config.iter().map(|k| k.to_string()).collect();
    let mut secret_keys: Vec<String> = default_secrets.iter().map(|k| k.to_string()).collect();
    for (field, keys) in [("config", &mut config_keys), ("secrets", &mut secret_keys)] {
        if rng.chance(15) {
            // All of it gone: no ConfigMap (or Secret), and no checksum on the pods.
            v.insert(field.into(), Value::Null);
            keys.clear();
            continue;
        }
        if rng.chance(70) {
            let mut map = Map::new();
            for key in keys.clone() {
                if rng.chance(25) {
                    map.insert(key.clone(), Value::Null);
                    keys.retain(|k| *k != key);
                } else if rng.chance(30) {
                    map.insert(key, json!(rng.pick(TRICKY)));
                }
            }
            for _ in 0..rng.range(0, 3) {
                let key = env_name(rng);
                map.insert(key.clone(), json!(rng.pick(TRICKY)));
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            v.insert(field.into(), Value::Object(map));
        }
    }

    let mut components = Map::new();
    for name in ["todo-backend", "todo-frontend"] {
        match rng.below(4) {
            0 => {
                components.insert(name.into(), Value::Null);
            }
            1 => {
                components.insert(name.into(), tweak_default_component(rng, name));
            }
            _ => {}
        }
    }
    for _ in 0..rng.range(0, 4) {
        let name = component_name(rng);
        let component = new_component(rng, &config_keys, &secret_keys);
        components.insert(name, component);
    }
    if rng.chance(35) {
        // Routes to any component, the defaults' included; one that is gone has no Service
        // (the port then falls back to 80 on both sides).
        let mut names: Vec<String> = components.keys().cloned().collect();
        names.extend(["todo-backend".to_string(), "todo-frontend".to_string()]);
        v.insert("ingress".into(), ingress(rng, &names));
    }
    if !components.is_empty() || rng.chance(20) {
        v.insert("components".into(), Value::Object(components));
    }
    if rng.chance(40) {
        let policy = match rng.below(3) {
            0 => json!({}),
            _ => json!({"ingressControllerNamespace": rng.pick(&["ingress-nginx", "traefik", ""])}),
        };
        v.insert("networkPolicy".into(), policy);
    }
    Value::Object(v)
}

/// An Ingress over `names`: one or two hosts (or none named), a path or two each, some TLS.
fn ingress(rng: &mut Rng, names: &[String]) -> Value {
    let mut ingress = Map::new();
    if rng.chance(40) {
        ingress.insert("className".into(), json!(rng.pick(&["nginx", "traefik", ""])));
    }
    let hosts: Vec<Value> = (0..rng.range(1, 2))
        .map(|_| {
            let paths: Vec<Value> = (0..rng.range(1, 2))
                .map(|_| {
                    let mut path = json!({"component": names[rng.below(names.len() as u64) as usize]});
                    if rng.chance(60) {
                        path["path"] = json!(rng.pick(&["/", "/api", "/v1/todos", ""]));
                    }
                    if rng.chance(40) {
                        path["pathType"] = json!(rng.pick(&["Prefix", "Exact", "ImplementationSpecific"]));
                    }
                    if rng.chance(40) {
                        path["port"] = json!(port_number(rng));
                    }
                    path
                })
                .collect();
            let mut host = json!({"paths": paths});
            if rng.chance(70) {
                host["host"] = json!(rng.pick(&["todo.local", "api.example.com", "yes.example"]));
            }
            host
        })
        .collect();
    ingress.insert("hosts".into(), json!(hosts));
    if rng.chance(40) {
        let mut tls = json!({"secretName": rng.pick(&["todo-tls", "wildcard"])});
        if rng.chance(60) {
            tls["hosts"] = json!(["todo.local"]);
        }
        ingress.insert("tls".into(), json!([tls]));
    }
    Value::Object(ingress)
}

/// The features a rendered set shows, so the corpus can prove it covered each of them.
fn features(docs: &[Doc]) -> Vec<&'static str> {
    let mut seen = Vec::new();
    let kinds: Vec<&str> = docs.iter().filter_map(|d| d.value["kind"].as_str()).collect();
    for (kind, feature) in [("ConfigMap", "no ConfigMap"), ("Secret", "no Secret"), ("Deployment", "no Deployment")] {
        if !kinds.contains(&kind) {
            seen.push(feature);
        }
    }
    if kinds.iter().filter(|k| **k == "Deployment").count() >= 5 {
        seen.push("5 or more components");
    }
    for doc in docs {
        let v = &doc.value;
        let labels = &v["metadata"]["labels"];
        if labels.get("app.kubernetes.io/component").is_some() && labels.get("app.kubernetes.io/version").is_none() {
            seen.push("a component without an image tag");
        }
        if labels
            .as_object()
            .is_some_and(|l| l.keys().any(|k| !k.starts_with("app.kubernetes.io/") && k != "helm.sh/chart"))
        {
            seen.push("commonLabels");
        }
        let name = v["metadata"]["name"].as_str().unwrap_or_default();
        if name.parse::<f64>().is_ok() || name.split('-').next().is_some_and(|s| s.parse::<u32>().is_ok()) {
            seen.push("a name that starts like a number");
        }
        // Any kind's pod template (a CronJob's inside its jobTemplate).
        let template = match v["kind"].as_str() {
            Some("CronJob") => &v["spec"]["jobTemplate"]["spec"]["template"],
            _ => &v["spec"]["template"],
        };
        let volumes = template["spec"]["volumes"].as_array().map(Vec::as_slice).unwrap_or_default();
        if volumes.iter().any(|volume| volume["emptyDir"]["medium"] == "Memory") {
            seen.push("an emptyDir in memory");
        }
        if v["metadata"]["annotations"]["helm.sh/hook"].is_string() {
            seen.push(match (v["kind"].as_str(), v["metadata"]["annotations"]["helm.sh/hook"].as_str()) {
                (Some("Job"), Some("post-install,pre-upgrade")) => "a hook Job run after the install",
                (Some("Job"), _) => "a hook Job",
                _ => "data made before a hook",
            });
        }
        match v["kind"].as_str() {
            Some("StatefulSet") => {
                seen.push(if v["spec"]["volumeClaimTemplates"].is_array() {
                    "a StatefulSet with claim templates"
                } else {
                    "a StatefulSet without claims"
                });
            }
            Some("DaemonSet") => seen.push("a DaemonSet"),
            Some("Job") => {
                seen.push(if v["spec"].get("backoffLimit").is_some() { "a Job with a backoff limit" } else { "a Job" })
            }
            Some("CronJob") => {
                seen.push(if v["spec"].get("concurrencyPolicy").is_some() {
                    "a CronJob with a policy"
                } else {
                    "a CronJob"
                });
                if v["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure" {
                    seen.push("a CronJob that restarts on failure");
                }
                if v["spec"].get("successfulJobsHistoryLimit").is_some()
                    && v["spec"].get("failedJobsHistoryLimit").is_some()
                {
                    seen.push("a CronJob with history limits");
                }
            }
            Some("HorizontalPodAutoscaler") if v["spec"]["scaleTargetRef"]["kind"] == "StatefulSet" => {
                seen.push("an autoscaled StatefulSet");
            }
            Some("Service") if v["spec"]["clusterIP"] == "None" => seen.push("a headless Service"),
            _ => {}
        }
        match v["kind"].as_str() {
            Some("Service") => {
                let port = &v["spec"]["ports"][0];
                seen.push(match v["spec"]["type"].as_str() {
                    Some("NodePort") if port.get("nodePort").is_some() => "a NodePort Service with a nodePort",
                    Some("LoadBalancer") if port.get("nodePort").is_some() => "a LoadBalancer Service with a nodePort",
                    Some("NodePort") => "a NodePort Service",
                    Some("LoadBalancer") => "a LoadBalancer Service",
                    _ => "a ClusterIP Service",
                });
                seen.push(if port["targetPort"].is_string() {
                    "a targetPort by name"
                } else {
                    "a targetPort by number"
                });
            }
            Some("Deployment") => {
                let template = &v["spec"]["template"];
                let annotations = &template["metadata"]["annotations"];
                seen.push(
                    match (annotations.get("checksum/config").is_some(), annotations.get("checksum/secret").is_some()) {
                        (true, true) => "both checksums",
                        (true, false) => "only the config checksum",
                        (false, true) => "only the secret checksum",
                        (false, false) => "no checksum",
                    },
                );
                if v["spec"]["replicas"] == 0 {
                    seen.push("zero replicas");
                }
                let c = &template["spec"]["containers"][0];
                let env = c["env"].as_array().map(Vec::as_slice).unwrap_or_default();
                if env.iter().any(|e| e.get("value").is_some())
                    && env.iter().any(|e| e["valueFrom"].get("configMapKeyRef").is_some())
                    && env.iter().any(|e| e["valueFrom"].get("secretKeyRef").is_some())
                {
                    seen.push("env from values, config and secrets");
                }
                if c.get("args").is_some() {
                    seen.push("args");
                }
                if c.get("command").is_some() {
                    seen.push("a command");
                }
                match &c["securityContext"]["capabilities"] {
                    Value::Object(caps) if caps.is_empty() => seen.push("empty capabilities"),
                    Value::Object(caps) if caps.get("add").is_some_and(|a| a == &json!([])) => {
                        seen.push("an empty list of added capabilities")
                    }
                    Value::Object(caps) if caps.contains_key("drop") => seen.push("capabilities dropped"),
                    _ => {}
                }
                if c["securityContext"].get("seccompProfile").is_some() {
                    seen.push("a seccomp profile");
                }
                let inits = template["spec"]["initContainers"].as_array().map(Vec::as_slice).unwrap_or_default();
                match inits.len() {
                    0 => {}
                    1 => seen.push("an init container"),
                    _ => seen.push("two init containers"),
                }
                let init_env = inits.iter().flat_map(|i| i["env"].as_array().into_iter().flatten());
                if init_env.clone().any(|e| e["valueFrom"].get("secretKeyRef").is_some()) {
                    seen.push("an init container taking a secret key");
                }
                if init_env.clone().any(|e| e.get("value").is_some()) {
                    seen.push("an init container with plain env");
                }
                if inits.iter().any(|i| i.get("securityContext").is_some()) {
                    seen.push("an init container with a securityContext");
                }
                let app_takes_keys =
                    env.iter().any(|e| e.get("valueFrom").is_some_and(|f| f.get("fieldRef").is_none()));
                if !app_takes_keys && annotations.as_object().is_some_and(|a| !a.is_empty()) {
                    seen.push("a checksum only an init container needs");
                }
                if env.iter().any(|e| e["valueFrom"].get("fieldRef").is_some()) {
                    seen.push("env from the pod's fields");
                }
                match &c["lifecycle"]["preStop"] {
                    hook if hook.get("sleep").is_some() => seen.push("a preStop sleep"),
                    hook if hook.get("exec").is_some() => seen.push("a preStop command"),
                    _ => {}
                }
                match template["spec"]["terminationGracePeriodSeconds"].as_i64() {
                    Some(0) => seen.push("a grace period of 0"),
                    Some(_) => seen.push("a grace period"),
                    None => {}
                }
                if c.get("imagePullPolicy").is_none() {
                    seen.push("no imagePullPolicy");
                }
                if c.get("startupProbe").is_some() {
                    seen.push("a startup probe");
                }
                for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                    if c[probe].get("tcpSocket").is_some() {
                        seen.push("a TCP probe");
                    }
                    match &c[probe]["httpGet"]["port"] {
                        Value::String(s) if s.parse::<u32>().is_ok() => seen.push("a probe port name made of digits"),
                        Value::String(_) => seen.push("a probe port by name"),
                        Value::Number(_) => seen.push("a probe port by number"),
                        _ => {}
                    }
                }
                match (c["resources"].get("requests").is_some(), c["resources"].get("limits").is_some()) {
                    (true, false) => seen.push("requests without limits"),
                    (false, true) => seen.push("limits without requests"),
                    (false, false) => seen.push("no resources"),
                    (true, true) => {}
                }
                if c["securityContext"]["runAsNonRoot"] == false {
                    seen.push("runAsNonRoot: false");
                }
                for volume in template["spec"]["volumes"].as_array().map(Vec::as_slice).unwrap_or_default() {
                    seen.push(match volume {
                        v if v["emptyDir"].get("sizeLimit").is_some() => "an emptyDir with a size limit",
                        v if v.get("emptyDir").is_some() => "an emptyDir",
                        v if v["configMap"].get("items").is_some() => "config files by key",
                        v if v.get("configMap").is_some() => "every config key as a file",
                        v if v["secret"].get("defaultMode").is_some() => "secret files with a mode",
                        v if v.get("secret").is_some() => "secret files",
                        _ => "a claim's volume",
                    });
                }
                if template["spec"].get("serviceAccountName").is_some() && !kinds.contains(&"ServiceAccount") {
                    seen.push("pods that run as a ServiceAccount made elsewhere");
                }
                let mounts = c["volumeMounts"].as_array().map(Vec::as_slice).unwrap_or_default();
                if mounts.iter().any(|m| m.get("readOnly").is_some() && m.get("subPath").is_some()) {
                    seen.push("a read-only mount of a sub-path");
                }
            }
            Some("Ingress") => {
                let spec = &v["spec"];
                let rules = spec["rules"].as_array().map(Vec::as_slice).unwrap_or_default();
                if rules.iter().any(|r| r.get("host").is_none()) {
                    seen.push("an Ingress rule for any host");
                }
                if rules
                    .iter()
                    .flat_map(|r| r["http"]["paths"].as_array().into_iter().flatten())
                    .any(|p| p["pathType"] == "Exact")
                {
                    seen.push("an exact Ingress path");
                }
                if spec.get("tls").is_some() {
                    seen.push("an Ingress with TLS");
                }
                if spec["ingressClassName"] != "nginx" {
                    seen.push("an Ingress of another class");
                }
            }
            Some("HorizontalPodAutoscaler") => {
                let spec = &v["spec"];
                let metrics = spec["metrics"].as_array().map_or(0, Vec::len);
                seen.push(match metrics {
                    0 => "an autoscaler with the default target",
                    1 => "an autoscaler with one target",
                    _ => "an autoscaler with CPU and memory targets",
                });
                if spec.get("minReplicas").is_none() {
                    seen.push("an autoscaler without minReplicas");
                }
            }
            Some("PodDisruptionBudget") => {
                let spec = &v["spec"];
                seen.push(match (spec.get("minAvailable"), spec.get("maxUnavailable")) {
                    (Some(Value::String(_)), _) => "a budget's minAvailable as a percentage",
                    (Some(_), _) => "a budget's minAvailable as a count",
                    (_, Some(Value::String(_))) => "a budget's maxUnavailable as a percentage",
                    _ => "a budget's maxUnavailable as a count",
                });
            }
            Some("ServiceAccount") => {
                seen.push(if v["automountServiceAccountToken"] == true {
                    "a ServiceAccount that mounts its token"
                } else {
                    "a ServiceAccount that does not mount its token"
                });
                if v["metadata"]["name"] != v["metadata"]["labels"]["app.kubernetes.io/component"] {
                    seen.push("a ServiceAccount with its own name");
                }
            }
            Some("NetworkPolicy") => {
                let spec = &v["spec"];
                if name.ends_with("-default-deny") {
                    seen.push("a default-deny NetworkPolicy");
                }
                let rules = spec["ingress"].as_array().map(Vec::as_slice).unwrap_or_default();
                if rules.is_empty() && !name.ends_with("-default-deny") {
                    seen.push("a component that admits nothing");
                }
                if rules.iter().any(|r| r.get("from").is_none()) {
                    seen.push("a component open to anywhere");
                }
                let peers = rules.iter().flat_map(|r| r["from"].as_array().into_iter().flatten());
                for peer in peers {
                    let namespace = peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"].as_str();
                    seen.push(match namespace {
                        None => "a component admitting components",
                        Some("monitoring" | "kube-system" | "other-team") => "a component admitting a namespace",
                        Some("ingress-nginx") => "a component admitting the ingress controller",
                        Some(_) => "a component admitting an ingress controller elsewhere",
                    });
                }
            }
            Some("PersistentVolumeClaim") => {
                seen.push(match v["spec"]["storageClassName"].as_str() {
                    Some("standard") => "a claim of the standard class",
                    Some("") => "a claim of no class",
                    _ => "a claim of another class",
                });
            }
            _ => {}
        }
    }
    seen
}

/// Everything the corpus must have rendered at least once, or the generator lost its reach.
const CORPUS_FEATURES: &[&str] = &[
    "no ConfigMap",
    "no Secret",
    "no Deployment",
    "5 or more components",
    "a component without an image tag",
    "commonLabels",
    "a name that starts like a number",
    "a NodePort Service with a nodePort",
    "a LoadBalancer Service with a nodePort",
    "a NodePort Service",
    "a LoadBalancer Service",
    "a ClusterIP Service",
    "a targetPort by name",
    "a targetPort by number",
    "both checksums",
    "only the config checksum",
    "only the secret checksum",
    "no checksum",
    "zero replicas",
    "env from values, config and secrets",
    "args",
    "no imagePullPolicy",
    "a startup probe",
    "a probe port name made of digits",
    "a probe port by name",
    "a probe port by number",
    "a TCP probe",
    "requests without limits",
    "limits without requests",
    "no resources",
    "runAsNonRoot: false",
    "an emptyDir with a size limit",
    "an emptyDir",
    "config files by key",
    "every config key as a file",
    "secret files with a mode",
    "secret files",
    "a claim's volume",
    "a read-only mount of a sub-path",
    "a claim of the standard class",
    "a claim of no class",
    "a claim of another class",
    "a budget's minAvailable as a percentage",
    "a budget's minAvailable as a count",
    "a budget's maxUnavailable as a percentage",
    "a budget's maxUnavailable as a count",
    "a ServiceAccount that mounts its token",
    "a ServiceAccount that does not mount its token",
    "a ServiceAccount with its own name",
    "pods that run as a ServiceAccount made elsewhere",
    "an autoscaler with the default target",
    "an autoscaler with one target",
    "an autoscaler with CPU and memory targets",
    "an autoscaler without minReplicas",
    "an Ingress rule for any host",
    "an exact Ingress path",
    "an Ingress with TLS",
    "an Ingress of another class",
    "a command",
    "empty capabilities",
    "an empty list of added capabilities",
    "capabilities dropped",
    "a seccomp profile",
    "an init container",
    "two init containers",
    "an init container taking a secret key",
    "an init container with plain env",
    "an init container with a securityContext",
    "a checksum only an init container needs",
    "env from the pod's fields",
    "a preStop sleep",
    "a preStop command",
    "a grace period of 0",
    "a grace period",
    "a default-deny NetworkPolicy",
    "a component that admits nothing",
    "a component open to anywhere",
    "a component admitting components",
    "a component admitting a namespace",
    "a component admitting the ingress controller",
    "a component admitting an ingress controller elsewhere",
    "a StatefulSet with claim templates",
    "a StatefulSet without claims",
    "a headless Service",
    "an autoscaled StatefulSet",
    "a DaemonSet",
    "a Job",
    "a Job with a backoff limit",
    "a hook Job",
    "a hook Job run after the install",
    "data made before a hook",
    "a CronJob",
    "a CronJob with a policy",
    "a CronJob that restarts on failure",
    "a CronJob with history limits",
    "an emptyDir in memory",
];

#[test]
fn generated_values_render_the_same_with_helm() {
    let cases: u64 = std::env::var("KUBEPLAY_CHART_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(200);
    let seed: u64 = std::env::var("KUBEPLAY_CHART_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(20_250_601);
    let scratch = Scratch::new("corpus");
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut documents_compared = 0;
    let mut ran = 0;
    let mut covered = std::collections::BTreeSet::new();
    for case in 0..cases {
        ran += 1;
        let mut rng = Rng(seed.wrapping_add(case));
        let overlay = serde_json::to_string_pretty(&generated_overlay(&mut rng)).unwrap();
        let release = RELEASES[(case % 3) as usize];
        // JSON is YAML that both readers take the same way: every string is quoted.
        let file = scratch.write(&format!("case-{case}.json"), &overlay);
        let kubeplay = match kubeplay_render(presets::DEFAULT_PRESET, &[("case.json", &overlay)], release) {
            Ok(docs) => docs,
            Err(e) => panic!(
                "case {case} (KUBEPLAY_CHART_SEED={seed}): the generator made values kubeplay rejects:\n{e}\n{overlay}"
            ),
        };
        let run = helm_template(release, &[&file]);
        if !run.ok {
            failures.push(format!("case {case}: helm rejects values kubeplay takes:\n{}\n{overlay}", run.stderr));
        } else if let Err(e) = compare(&format!("case {case}"), &kubeplay, &documents("helm", &run.stdout)) {
            failures.push(format!("{e}\nvalues:\n{overlay}"));
        }
        documents_compared += kubeplay.len();
        covered.extend(features(&kubeplay));
        if failures.len() >= 3 {
            break;
        }
    }
    eprintln!("{ran} generated value sets, {documents_compared} documents compared in {:.1?}", started.elapsed());
    assert!(failures.is_empty(), "seed {seed}:\n{}", failures.join("\n\n"));
    let missed: Vec<&str> = CORPUS_FEATURES.iter().copied().filter(|f| !covered.contains(f)).collect();
    assert!(
        cases < 200 || missed.is_empty(),
        "seed {seed}: the {cases} generated value sets never rendered: {missed:?}"
    );
}

/// A chart that reads a multi-document YAML file the way Helm and kubectl read YAML (go-yaml v2,
/// YAML 1.1) and writes what it read back as JSON, in a ConfigMap.
const READER_TEMPLATE: &str = r#"{{- $read := list }}
{{- range .Files.Get "in.yaml" | splitList "\n---\n" }}
{{- if trim . }}
{{- $read = append $read (fromYaml .) }}
{{- end }}
{{- end }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: read
data:
  json: {{ toJson $read | quote }}
"#;

/// kubeplay's YAML must mean to kubectl (and Helm) what it means to kubeplay: a string such as
/// `on`, `yes` or `1_000` written without quotes is a boolean or a number under YAML 1.1, and
/// `kubectl apply` then refuses the ConfigMap. Reads the whole corpus with one helm run.
#[test]
fn kubeplay_yaml_means_the_same_under_yaml_1_1() {
    let scratch = Scratch::new("yaml11");
    let mut docs = Vec::new();
    for preset in presets::PRESETS {
        docs.extend(kubeplay_render(preset.name, &[], "r").expect("presets load"));
    }
    for case in 0..200 {
        let mut rng = Rng(20_250_601 + case);
        let overlay = serde_json::to_string_pretty(&generated_overlay(&mut rng)).unwrap();
        docs.extend(
            kubeplay_render(presets::DEFAULT_PRESET, &[("case.json", &overlay)], "r").expect("generated values load"),
        );
    }
    let chart = scratch.0.join("reader");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: reader\nversion: 0.1.0\n").unwrap();
    std::fs::write(chart.join("templates/read.yaml"), READER_TEMPLATE).unwrap();
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    std::fs::write(chart.join("in.yaml"), texts.join("\n---\n")).unwrap();

    let run = helm(&["template", "r", &chart.display().to_string()]);
    assert!(run.ok, "helm could not read kubeplay's YAML:\n{}", run.stderr);
    let written = documents("helm", &run.stdout);
    let json = written.first().and_then(|d| d.value["data"]["json"].as_str()).expect("the reader's ConfigMap");
    let read: Vec<Value> = serde_json::from_str(json).expect("the reader writes JSON");
    assert_eq!(read.len(), docs.len(), "helm read {} documents of {}", read.len(), docs.len());
    let failures: Vec<String> = docs
        .iter()
        .zip(&read)
        .filter(|(doc, as_helm_reads_it)| doc.value != **as_helm_reads_it)
        .map(|(doc, as_helm_reads_it)| {
            let at = first_difference(&doc.value, as_helm_reads_it, "").unwrap_or_default();
            let kind = doc.value["kind"].as_str().unwrap_or("?");
            format!("{kind}/{}: `{at}`", doc.value["metadata"]["name"].as_str().unwrap_or("?"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} documents of `kubeplay render` read differently under YAML 1.1 (left: as kubeplay means it, \
         right: as kubectl and Helm read it); manifest::to_yaml must quote strings that YAML 1.1 resolves to \
         booleans or numbers:\n{}",
        failures.len(),
        docs.len(),
        failures.iter().take(12).cloned().collect::<Vec<_>>().join("\n")
    );
}
