//! Test harness: a fake API server, a kubeconfig pointing at it, inputs, and the verbs run with
//! their real flag parsing and captured output.

use super::FakeApi;
use crate::cluster::args::{ApplyArgs, DeleteArgs, DiffArgs, StatusArgs};
use crate::cluster::errors::ClusterError;
use crate::cluster::ui::{Captured, Ui};
use crate::cluster::{self, Input, Tuning};
use clap::{Args, Parser};
use kubeplay_core::setargs::SetArg;
use kubeplay_core::{analyze_values, Profile, SourceFile, ValuesInput};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Secret values for the preset's three keys.
pub const SECRET_FLAGS: [&str; 6] = [
    "--secret",
    "DATABASE_URL=postgres://db.example/todo",
    "--secret",
    "OPENAI_API_KEY=sk-test-0123456789",
    "--secret",
    "BETTER_AUTH_SECRET=auth-secret-abcdef",
];
/// The values above, to check they never appear in output.
pub const SECRET_VALUES: [&str; 3] = ["postgres://db.example/todo", "sk-test-0123456789", "auth-secret-abcdef"];

pub const NS: &str = "todo-chatbot";

/// The default preset, as `kubeplay apply` with no input flags would analyse it.
pub fn preset() -> Input {
    preset_with(&[], &[])
}

/// The preset with `--set` expressions and extra values files (name, text).
pub fn preset_with(sets: &[&str], files: &[(&str, &str)]) -> Input {
    preset_named(None, sets, files)
}

/// Preset `name` (the default for `None`) with `--set` expressions and extra values files.
pub fn preset_named(name: Option<&str>, sets: &[&str], files: &[(&str, &str)]) -> Input {
    let input = ValuesInput {
        preset: name.map(str::to_string),
        files: files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect(),
        sets: sets.iter().map(|s| SetArg::typed(*s)).collect(),
    };
    let analysis = analyze_values(&input, None, Profile::default());
    assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
    Input { analysis, release: "todo-chatbot".into() }
}

/// Manifest files as `kubeplay apply -f x.yaml` would read them.
pub fn manifests(files: &[(&str, &str)], release: &str) -> Input {
    let input = manifests_unchecked(files, release);
    assert!(!input.analysis.has_errors(), "{:?}", input.analysis.diagnostics);
    input
}

/// Run `finish` on the fake's state once a wait has looked at the cluster once (it lists the
/// EndpointSlices last), as a controller finishing later would: the wait has then seen the
/// state before, whatever the speed of the machine.
pub fn after_first_look(
    fake: &FakeApi,
    finish: impl FnOnce(&mut super::Cluster) + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let state = fake.state();
    tokio::spawn(async move {
        loop {
            {
                let mut cluster = state.lock().unwrap_or_else(|e| e.into_inner());
                if cluster.requests.iter().any(|r| r.method == "GET" && r.path.ends_with("/endpointslices")) {
                    finish(&mut cluster);
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
}

/// The namespace of [`workloads`].
pub const WORKLOADS_NS: &str = "shop";

/// tests/fixtures/workloads.yaml as `kubeplay apply -f workloads.yaml --release shop` reads it: a
/// Namespace, ServiceAccount, PVC, headless Service, StatefulSet, DaemonSet, Deployment, HPA,
/// PDB, Job and CronJob.
pub fn workloads() -> Input {
    manifests(&[("workloads.yaml", include_str!("../fixtures/workloads.yaml"))], WORKLOADS_NS)
}

/// Manifests with errors the offline checks report (the CLI stops on them; the tests use
/// them to see the cluster confirm the same problem).
pub fn manifests_unchecked(files: &[(&str, &str)], release: &str) -> Input {
    let files = files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect();
    Input { analysis: kubeplay_core::analyze_manifests(files, Profile::default()), release: release.into() }
}

#[derive(Parser)]
struct Cli<T: Args> {
    #[command(flatten)]
    args: T,
}

fn parse<T: Args>(verb: &str, flags: &[String]) -> T {
    let argv = std::iter::once(verb.to_string()).chain(flags.iter().cloned());
    Cli::<T>::try_parse_from(argv).unwrap_or_else(|e| panic!("flags {flags:?}: {e}")).args
}

static DIRS: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory for one test's files.
pub fn temp_dir() -> PathBuf {
    let n = DIRS.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("kubeplay-cluster-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

pub struct Harness {
    pub fake: FakeApi,
    pub dir: PathBuf,
    pub kubeconfig: PathBuf,
    pub tuning: Tuning,
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Output of one verb.
pub struct Run<T> {
    pub result: Result<T, ClusterError>,
    /// The exit status the CLI gives this result.
    pub exit: u8,
    pub out: String,
    pub err: String,
}

impl<T: std::fmt::Debug> Run<T> {
    /// The error, or a panic showing what the verb printed.
    pub fn error(&self) -> &ClusterError {
        match &self.result {
            Err(e) => e,
            Ok(v) => panic!("expected an error, got {v:?}\nstderr:\n{}\nstdout:\n{}", self.err, self.out),
        }
    }
    pub fn ok(&self) -> &T {
        match &self.result {
            Ok(v) => v,
            Err(e) => panic!("expected success, got: {e}\nstderr:\n{}\nstdout:\n{}", self.err, self.out),
        }
    }
    /// Everything printed, both streams.
    pub fn all(&self) -> String {
        format!("{}{}", self.err, self.out)
    }
}

/// The verb's output, its error line printed as the CLI prints it.
fn finish<T>(
    result: Result<T, ClusterError>,
    (ui, captured): (Ui, std::sync::Arc<std::sync::Mutex<Captured>>),
    exit: fn(&Result<T, ClusterError>) -> u8,
) -> Run<T> {
    if let Err(e) = &result {
        cluster::say_error(&ui, e);
    }
    let c = captured.lock().unwrap().clone();
    Run { exit: exit(&result), result, out: c.out, err: c.err }
}

impl Harness {
    pub async fn start() -> Harness {
        let fake = FakeApi::start().await;
        let dir = temp_dir();
        let kubeconfig = fake.kubeconfig(&dir, "good-token");
        Harness { fake, dir, kubeconfig, tuning: Tuning { poll: Duration::from_millis(10) } }
    }

    /// `--kubeconfig` for the fake (unless the test gives its own) and `extra`.
    fn flags(&self, extra: &[&str]) -> Vec<String> {
        let mut flags = Vec::new();
        if !extra.contains(&"--kubeconfig") {
            flags.extend(["--kubeconfig".to_string(), self.kubeconfig.display().to_string()]);
        }
        flags.extend(extra.iter().map(|s| s.to_string()));
        flags
    }

    /// `kubeplay apply` with the preset's secrets, the given flags, and a short timeout unless given.
    pub async fn apply(&self, input: &Input, extra: &[&str]) -> Run<()> {
        let mut flags: Vec<&str> = SECRET_FLAGS.to_vec();
        if !extra.contains(&"--timeout") {
            flags.extend(["--timeout", "5s"]);
        }
        flags.extend(extra);
        self.apply_exactly(input, &flags).await
    }

    /// `kubeplay apply` with exactly these flags (plus --kubeconfig).
    pub async fn apply_exactly(&self, input: &Input, extra: &[&str]) -> Run<()> {
        let args: ApplyArgs = parse("apply", &self.flags(extra));
        let (ui, captured) = Ui::capture();
        let result = cluster::apply::run(&args, input, &ui, &self.tuning, &Default::default()).await;
        finish(result, (ui, captured), cluster::apply_exit)
    }

    pub async fn diff(&self, input: &Input, extra: &[&str]) -> Run<bool> {
        let args: DiffArgs = parse("diff", &self.flags(extra));
        let (ui, captured) = Ui::capture();
        let result = cluster::diff::run(&args, input, &ui).await;
        finish(result, (ui, captured), cluster::diff_exit)
    }

    pub async fn status(&self, input: &Input) -> Run<bool> {
        self.status_with(input, &[]).await
    }

    pub async fn status_with(&self, input: &Input, extra: &[&str]) -> Run<bool> {
        let args: StatusArgs = parse("status", &self.flags(extra));
        let (ui, captured) = Ui::capture();
        let result = cluster::status::run(&args, input, &ui).await;
        finish(result, (ui, captured), cluster::status_exit)
    }

    pub async fn delete(&self, input: &Input, extra: &[&str]) -> Run<()> {
        let args: DeleteArgs = parse("delete", &self.flags(extra));
        let (ui, captured) = Ui::capture();
        let result = cluster::delete::run(&args, input, &ui, &self.tuning).await;
        finish(result, (ui, captured), cluster::delete_exit)
    }

    /// (kind, name) -> resourceVersion of everything in the app's namespace and the Namespace.
    pub fn resource_versions(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for kind in ["Namespace", "Secret", "ConfigMap", "Service", "Deployment"] {
            for object in self.fake.list(kind) {
                let ns = object["metadata"]["namespace"].as_str().unwrap_or("");
                let name = object["metadata"]["name"].as_str().unwrap_or("").to_string();
                if ns == NS || (kind == "Namespace" && name == NS) {
                    out.push((
                        kind.to_string(),
                        name,
                        object["metadata"]["resourceVersion"].as_str().unwrap_or("").to_string(),
                    ));
                }
            }
        }
        out
    }
}
