//! `kubeplay graph`: how the resources connect, as text, Mermaid or Graphviz DOT.

use super::{print_stdout, values_input, values_requested, CliError, Outcome, Terminal};
use crate::cli::{GraphArgs, GraphFormat};
use crate::inputs::Reader;
use crate::report::Sources;
use kubeplay_core::{analyze_manifests_in, analyze_values};

pub fn run(args: GraphArgs, terminal: Terminal) -> Result<Outcome, CliError> {
    let mut sources = Sources::new();
    let gathered = Reader::default().gather(&args.input.values_files, &args.files, &mut sources)?;
    if !gathered.problems.is_empty() {
        terminal.report(&gathered.problems, &sources);
        return Ok(Outcome::Failed);
    }
    let analysis = if gathered.manifests.is_empty() {
        let input = values_input(&args.input, gathered.values, &mut sources);
        analyze_values(&input, args.input.release.as_deref(), args.input.settings())
    } else if gathered.values.is_empty() && !values_requested(&args.input) {
        analyze_manifests_in(gathered.manifests, args.namespace.as_str(), args.input.settings())
    } else {
        // Values render to their own set of resources; one graph cannot honestly mix the two.
        return Err(CliError::Usage(
            "graph draws one set of resources: give values (a preset, -f, --set) or manifest files, not both".into(),
        ));
    };
    if !analysis.diagnostics.is_empty() {
        terminal.report(&analysis.diagnostics, &sources);
    }
    // Broken links are what the graph is for, so it is drawn despite errors; only when nothing
    // could be read is there nothing to draw.
    if !analysis.manifests.resources.is_empty() {
        let graph = &analysis.graph;
        print_stdout(&match args.format {
            GraphFormat::Text => graph.to_text(),
            GraphFormat::Mermaid => graph.to_mermaid(),
            GraphFormat::Dot => graph.to_dot(),
        })?;
    }
    Ok(Outcome::of(&analysis.diagnostics))
}
