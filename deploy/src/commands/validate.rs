//! `kubeplay validate`: check values and/or manifest files and report every finding.

use super::{print_stdout, values_input, values_requested, CliError, Outcome, Terminal};
use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::inputs::Reader;
use crate::report::{self, Sources};
use kubeplay_core::manifest::{read_in, ManifestSet};
use kubeplay_core::{analyze_manifests_in, analyze_values, diagnostic, upgrade_diagnostics, Diagnostic, Severity};

pub fn run(args: ValidateArgs, terminal: Terminal) -> Result<Outcome, CliError> {
    let mut sources = Sources::new();
    let mut reader = Reader::default();
    let gathered = reader.gather(&args.input.values_files, &args.files, &mut sources)?;
    let previous = reader.gather_manifests(&args.previous, "--previous", &mut sources)?;
    let diagnostics = if !gathered.problems.is_empty() || !previous.problems.is_empty() {
        gathered.problems.into_iter().chain(previous.problems).collect()
    } else {
        // Values are checked when there are values files, when nothing was named at all (the
        // preset alone), or when values flags ask for it next to manifest files.
        let check_values =
            !gathered.values.is_empty() || gathered.manifests.is_empty() || values_requested(&args.input);
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        let earlier = (!args.previous.is_empty()).then(|| {
            // Only empty files (a first install): nothing earlier to compare with.
            if previous.manifests.is_empty() {
                return ManifestSet::default();
            }
            let (set, read) = read_in(previous.manifests, args.namespace.as_str());
            // What could not be read of the earlier set is not compared: say so.
            diagnostics.extend(read.into_iter().filter(|d| d.severity == Severity::Error));
            set
        });
        let profile = args.input.settings().profile;
        let mut check = |analysis: kubeplay_core::Analysis, earlier: Option<&ManifestSet>| {
            if let Some(earlier) = earlier {
                diagnostics.extend(upgrade_diagnostics(earlier, &analysis, profile));
            }
            diagnostics.extend(analysis.diagnostics);
        };
        if check_values {
            let input = values_input(&args.input, gathered.values, &mut sources);
            check(analyze_values(&input, args.input.release.as_deref(), args.input.settings()), earlier.as_ref());
        }
        if !gathered.manifests.is_empty() {
            let analysis = analyze_manifests_in(gathered.manifests, args.namespace.as_str(), args.input.settings());
            check(analysis, earlier.as_ref());
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
