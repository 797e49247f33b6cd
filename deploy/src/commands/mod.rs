//! The verbs: each reads its inputs, asks `kubeplay_core`, and prints what it returns.

mod catalogue;
mod deploy;
mod graph;
mod render;
mod validate;

use crate::cli::{Cli, Command, InputArgs};
use crate::report::{self, Sources};
use kubeplay_core::{Diagnostic, SourceFile, ValuesInput};
use std::io::Write;

/// How a command ended when it could run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No error diagnostics (warnings and infos may have been printed).
    Clean,
    /// At least one error diagnostic.
    Failed,
    /// A cluster verb ran: its own exit status.
    Exit(u8),
}

impl Outcome {
    fn of(diagnostics: &[Diagnostic]) -> Self {
        if kubeplay_core::diagnostic::has_errors(diagnostics) {
            Outcome::Failed
        } else {
            Outcome::Clean
        }
    }
}

/// Why a command could not run at all (exit status 2), as opposed to inputs with errors.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read {name}: {source}")]
    Read { name: String, source: std::io::Error },
    #[error("cannot write {name}: {source}")]
    Write { name: String, source: std::io::Error },
    #[error("{0}")]
    Usage(String),
    /// stdout was closed early (`kubeplay render | head`): not worth a message.
    #[error("stdout was closed")]
    BrokenPipe,
}

/// What printing needs to know: whether stderr is colored.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub color: bool,
}

impl Terminal {
    /// Diagnostics and the summary line on stderr.
    fn report(&self, diagnostics: &[Diagnostic], sources: &Sources) {
        // Errors writing to stderr have nowhere to be reported.
        let _ = std::io::stderr().lock().write_all(&report::text(diagnostics, sources, self.color));
    }

    /// A one-line message on stderr (e.g. which files were written).
    fn note(&self, message: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{message}");
    }
}

/// Write command output to stdout, all at once.
fn print_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(|source| match source.kind() {
        std::io::ErrorKind::BrokenPipe => CliError::BrokenPipe,
        _ => CliError::Write { name: "stdout".into(), source },
    })
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    let terminal = Terminal { color: report::use_color(cli.color) };
    match cli.command {
        Command::Render(args) => render::run(args, terminal),
        Command::Validate(args) => validate::run(args, terminal),
        Command::Graph(args) => graph::run(args, terminal),
        Command::Values(args) => catalogue::values(args, terminal),
        Command::Schema => catalogue::schema(),
        Command::Rules(args) => catalogue::rules(args),
        Command::Presets => catalogue::presets(),
        Command::Chart(args) => catalogue::chart(args, terminal),
        Command::Completions(args) => catalogue::completions(args),
        Command::Apply(args) => deploy::apply(args, terminal),
        Command::Diff(args) => deploy::diff(args, terminal),
        Command::Status(args) => deploy::status(args, terminal),
        Command::Delete(args) => deploy::delete(args, terminal),
    }
}

/// The values input the flags describe, over the given values files; registers the --set
/// expressions as sources so diagnostics about them show the expression.
fn values_input(args: &InputArgs, files: Vec<SourceFile>, sources: &mut Sources) -> ValuesInput {
    sources.add_sets(&args.sets.sets);
    ValuesInput { preset: args.preset.clone(), files, sets: args.sets.sets.clone() }
}

/// True when the flags ask for values (beyond the default preset): a preset, -f or --set.
fn values_requested(args: &InputArgs) -> bool {
    args.preset.is_some() || !args.values_files.is_empty() || !args.sets.sets.is_empty()
}
