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

fn fail(ui: &Ui, error: &ClusterError) -> u8 {
    ui.say(&format!("error: {error}"));
    error.exit_code()
}

/// `kubeplay apply`. Exit status: 0 when everything is applied and ready, 1 when not (the
/// reason is printed above), 2 when the cluster could not be used.
pub fn run_apply(args: &args::ApplyArgs, input: Input) -> u8 {
    let ui = Ui::terminal();
    match block_on(apply::run(args, &input, &ui, &Tuning::default())).and_then(|r| r) {
        Ok(()) => 0,
        Err(e) => fail(&ui, &e),
    }
}

/// `kubeplay diff`. Exit status as kubectl's: 0 without differences, 1 with, 2 when it could
/// not compare.
pub fn run_diff(args: &args::DiffArgs, input: Input) -> u8 {
    let ui = Ui::terminal();
    match block_on(diff::run(args, &input, &ui)).and_then(|r| r) {
        Ok(false) => 0,
        Ok(true) => EXIT_NOT_READY,
        Err(e) => {
            ui.say(&format!("error: {e}"));
            EXIT_CANNOT_RUN
        }
    }
}

/// `kubeplay status`. Exit status: 0 when healthy, 1 when something is not ready or nothing is
/// applied, 2 when it could not look.
pub fn run_status(args: &args::StatusArgs, input: Input) -> u8 {
    let ui = Ui::terminal();
    match block_on(status::run(args, &input, &ui)).and_then(|r| r) {
        Ok(true) => 0,
        Ok(false) => EXIT_NOT_READY,
        Err(e) => fail(&ui, &e),
    }
}

/// `kubeplay delete`. Exit status: 0 when the set is gone (or was not there), 1 on a timeout,
/// 2 when the cluster could not be used.
pub fn run_delete(args: &args::DeleteArgs, input: Input) -> u8 {
    let ui = Ui::terminal();
    match block_on(delete::run(args, &input, &ui, &Tuning::default())).and_then(|r| r) {
        Ok(()) => 0,
        Err(e) => fail(&ui, &e),
    }
}
