//! `kubeplay apply | diff | status | delete`: read and check the input like `validate`, then hand
//! it to the cluster verbs (`crate::cluster`).

use super::{values_input, CliError, Outcome, Terminal};
use crate::cli::DeployInput;
use crate::cluster;
use crate::inputs::Reader;
use crate::report::Sources;
use kubeplay_core::{analyze_manifests_in, analyze_values, default_release, diagnostic};

/// The set name for manifest files given without `--release`.
const MANIFESTS_RELEASE: &str = "kubeplay";

/// Analyse the input; print its diagnostics; `None` when it has errors. `namespace` is the
/// cluster flags' `-n`: manifests that name no namespace are checked as applied there.
fn input(
    target: &DeployInput,
    namespace: Option<&str>,
    terminal: Terminal,
) -> Result<Option<cluster::Input>, CliError> {
    let mut sources = Sources::new();
    // `-f` and positional files are told apart by content, so `-f manifests.yaml` works too.
    let paths: Vec<_> = target.input.values_files.iter().chain(&target.files).cloned().collect();
    let gathered = Reader::default().gather(&[], &paths, &mut sources)?;
    if !gathered.problems.is_empty() {
        terminal.report(&gathered.problems, &sources);
        return Ok(None);
    }
    if !gathered.values.is_empty() && !gathered.manifests.is_empty() {
        return Err(CliError::Usage("give values files or manifest files, not both".into()));
    }
    let (analysis, release) = if gathered.manifests.is_empty() {
        let input = values_input(&target.input, gathered.values, &mut sources);
        let release = target.input.release.clone().unwrap_or_else(|| default_release(&input).to_string());
        (analyze_values(&input, Some(&release), target.input.settings()), release)
    } else {
        let release = target.input.release.clone().unwrap_or_else(|| MANIFESTS_RELEASE.to_string());
        (analyze_manifests_in(gathered.manifests, namespace.unwrap_or(""), target.input.settings()), release)
    };
    // Empty secret values are the offline verbs' reminder; at deploy time the cluster verbs
    // check the secrets actually given.
    let shown: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule != "empty-secret-value").cloned().collect();
    terminal.report(&shown, &sources);
    if diagnostic::has_errors(&shown) {
        return Ok(None);
    }
    Ok(Some(cluster::Input { analysis, release }))
}

pub fn apply(args: crate::cli::ApplyCommand, terminal: Terminal) -> Result<Outcome, CliError> {
    Ok(match input(&args.target, args.cluster.cluster.namespace.as_deref(), terminal)? {
        Some(input) => Outcome::Exit(cluster::run_apply(&args.cluster, input)),
        None => Outcome::Failed,
    })
}

pub fn diff(args: crate::cli::DiffCommand, terminal: Terminal) -> Result<Outcome, CliError> {
    Ok(match input(&args.target, args.cluster.cluster.namespace.as_deref(), terminal)? {
        Some(input) => Outcome::Exit(cluster::run_diff(&args.cluster, input)),
        // kubectl diff: 1 means "differences", so an input error is 2.
        None => Outcome::Exit(2),
    })
}

pub fn status(args: crate::cli::StatusCommand, terminal: Terminal) -> Result<Outcome, CliError> {
    Ok(match input(&args.target, args.cluster.cluster.namespace.as_deref(), terminal)? {
        Some(input) => Outcome::Exit(cluster::run_status(&args.cluster, input)),
        None => Outcome::Failed,
    })
}

pub fn delete(args: crate::cli::DeleteCommand, terminal: Terminal) -> Result<Outcome, CliError> {
    Ok(match input(&args.target, args.cluster.cluster.namespace.as_deref(), terminal)? {
        Some(input) => Outcome::Exit(cluster::run_delete(&args.cluster, input)),
        None => Outcome::Failed,
    })
}
