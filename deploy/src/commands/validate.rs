//! `kubeplay validate`: check values and/or manifest files and report every finding.

use super::{print_stdout, values_input, values_requested, CliError, Outcome, Terminal};
use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::inputs::Reader;
use crate::report::{self, Sources};
use kubeplay_core::{analyze_manifests_in, analyze_values, diagnostic, Diagnostic};

pub fn run(args: ValidateArgs, terminal: Terminal) -> Result<Outcome, CliError> {
    let mut sources = Sources::new();
    let gathered = Reader::default().gather(&args.input.values_files, &args.files, &mut sources)?;
    let diagnostics = if !gathered.problems.is_empty() {
        gathered.problems
    } else {
        // Values are checked when there are values files, when nothing was named at all (the
        // preset alone), or when values flags ask for it next to manifest files.
        let check_values =
            !gathered.values.is_empty() || gathered.manifests.is_empty() || values_requested(&args.input);
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        if check_values {
            let input = values_input(&args.input, gathered.values, &mut sources);
            diagnostics
                .extend(analyze_values(&input, args.input.release.as_deref(), args.input.settings()).diagnostics);
        }
        if !gathered.manifests.is_empty() {
            diagnostics.extend(
                analyze_manifests_in(gathered.manifests, args.namespace.as_str(), args.input.settings()).diagnostics,
            );
        }
        diagnostic::sort(&mut diagnostics);
        diagnostics
    };
    match args.format {
        DiagnosticFormat::Text => terminal.report(&diagnostics, &sources),
        DiagnosticFormat::Json => print_stdout(&(report::json(&diagnostics) + "\n"))?,
    }
    Ok(Outcome::of(&diagnostics))
}
