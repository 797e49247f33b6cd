//! The cluster verbs: `apply`, `diff`, `status` and `delete`, against any kubeconfig context.
//!
//! A thin shell over `kubeplay_core`: core renders, orders, judges rollouts and explains
//! failures; this module does the IO (kube-rs) and draws the results. Every verb takes the
//! analysed input ([`Input`]) that the offline verbs compute, so `render` shows exactly what
//! `apply` sends (plus the secret values, which only exist in memory).
//!
//! Tests run the verbs against an in-process fake API server (deploy/tests/fake_api), not a
//! real cluster.

pub mod access;
pub mod apply;
pub mod applyset;
pub mod args;
pub mod clean;
pub mod client;
pub mod delete;
pub mod diff;
pub mod errors;
pub mod explain;
pub mod hooks;
pub mod minikube;
pub mod observe;
pub mod plan;
pub mod preflight;
pub mod resources;
pub mod retry;
pub mod secrets;
pub mod status;
pub mod ui;
pub mod wait;

use errors::{ClusterError, EXIT_CANNOT_RUN, EXIT_NOT_READY};
use std::time::Duration;
use ui::Ui;

/// What the cluster verbs act on: the analysed input and the release name that names the set.
pub struct Input {
    /// Values (rendered) or manifests (read). The caller has printed its diagnostics and stops
    /// on errors before calling a verb.
    pub analysis: kubeplay_core::Analysis,
    /// The release: labels of rendered objects, and the ApplySet's name (`applyset-<release>`).
    /// For values, the name `render` used; for manifest files, `--release` or `kubeplay`.
    pub release: String,
}

/// How often to look at the cluster while waiting (tests look more often).
#[derive(Debug, Clone)]
pub struct Tuning {
    pub poll: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning { poll: Duration::from_secs(1) }
    }
}

/// The runtime for one verb: a single thread is plenty for a CLI that waits on the network.
fn block_on<T>(future: impl std::future::Future<Output = T>) -> Result<T, ClusterError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ClusterError::Usage(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}

/// Exit status after Ctrl-C: 128 + SIGINT, as a shell reports a process the signal ended.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Run a verb until it ends, or until Ctrl-C (`None`): dropping the verb's future stops it at
/// once, in the middle of a request or a wait if need be.
fn interruptible<T>(
    verb: impl std::future::Future<Output = Result<T, ClusterError>>,
) -> Result<Option<Result<T, ClusterError>>, ClusterError> {
    block_on(async {
        tokio::select! {
            result = verb => Some(result),
            // A handler that cannot be installed never fires: the verb runs to its end.
            Ok(()) = tokio::signal::ctrl_c() => None,
        }
    })
}

/// Print a verb's error (one line), or what `interrupted` says after Ctrl-C, and give its exit
/// status (`exit` gives a result's).
fn finish<T>(
    ui: &Ui,
    outcome: Result<Option<Result<T, ClusterError>>, ClusterError>,
    exit: fn(&Result<T, ClusterError>) -> u8,
    interrupted: impl FnOnce() -> Vec<String>,
) -> u8 {
    let result = match outcome {
        Ok(Some(result)) => result,
        Err(e) => Err(e),
        Ok(None) => {
            for line in interrupted() {
                ui.say(&line);
            }
            return EXIT_INTERRUPTED;
        }
    };
    if let Err(e) = &result {
        say_error(ui, e);
    }
    exit(&result)
}

/// A verb's error, as the CLI prints it: one line on stderr (through `ui`, so redacted).
pub fn say_error(ui: &Ui, error: &ClusterError) {
    ui.say(&format!("error: {error}"));
}

fn just_interrupted() -> Vec<String> {
    vec!["interrupted (Ctrl-C)".to_string()]
}

/// `apply`'s exit status: 0 when everything is applied and ready, 1 when not (the reason is
/// printed above, or an object was refused), 2 when the cluster could not be used.
pub fn apply_exit(result: &Result<(), ClusterError>) -> u8 {
    result.as_ref().err().map_or(0, ClusterError::exit_code)
}

/// `diff`'s exit status, as kubectl's: 0 without differences, 1 with, 2 when it could not compare.
pub fn diff_exit(result: &Result<bool, ClusterError>) -> u8 {
    match result {
        Ok(false) => 0,
        Ok(true) => EXIT_NOT_READY,
        Err(_) => EXIT_CANNOT_RUN,
    }
}

/// `status`'s exit status: 0 when healthy, 1 when something is not ready or nothing is applied,
/// 2 when it could not look.
pub fn status_exit(result: &Result<bool, ClusterError>) -> u8 {
    match result {
        Ok(true) => 0,
        Ok(false) => EXIT_NOT_READY,
        Err(e) => e.exit_code(),
    }
}

/// `delete`'s exit status: 0 when the set is gone (or was not there), 1 on a timeout, 2 when the
/// cluster could not be used.
pub fn delete_exit(result: &Result<(), ClusterError>) -> u8 {
    apply_exit(result)
}

/// `kubeplay apply`; on Ctrl-C, what is applied and what is not.
pub fn run_apply(args: &args::ApplyArgs, input: Input) -> u8 {
    let ui = Ui::terminal();
    let ledger = apply::Ledger::default();
    let outcome = interruptible(apply::run(args, &input, &ui, &Tuning::default(), &ledger));
    finish(&ui, outcome, apply_exit, || ledger.interrupted())
}

/// `kubeplay diff`.
pub fn run_diff(args: &args::DiffArgs, input: Input) -> u8 {
    let ui = Ui::terminal();
    finish(&ui, interruptible(diff::run(args, &input, &ui)), diff_exit, just_interrupted)
}

/// `kubeplay status`.
pub fn run_status(args: &args::StatusArgs, input: Input) -> u8 {
    let ui = Ui::terminal();
    finish(&ui, interruptible(status::run(args, &input, &ui)), status_exit, just_interrupted)
}

/// `kubeplay delete` (each deletion is said as it is done, so Ctrl-C adds nothing to that).
pub fn run_delete(args: &args::DeleteArgs, input: Input) -> u8 {
    let ui = Ui::terminal();
    finish(&ui, interruptible(delete::run(args, &input, &ui, &Tuning::default())), delete_exit, just_interrupted)
}
