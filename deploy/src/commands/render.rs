//! `kubeplay render`: values in, manifests out, to stdout or one file per resource.

use super::{print_stdout, values_input, CliError, Outcome, Terminal};
use crate::cli::RenderArgs;
use crate::inputs::Reader;
use crate::report::Sources;
use kubeplay_core::manifest::{self, ManifestSet, Resource};
use std::path::Path;

/// The file in the output directory that holds every resource.
const ALL_IN_ONE: &str = "manifests.yaml";

pub fn run(args: RenderArgs, terminal: Terminal) -> Result<Outcome, CliError> {
    let mut sources = Sources::new();
    let gathered = Reader::default().gather(&args.input.values_files, &[], &mut sources)?;
    if !gathered.problems.is_empty() {
        terminal.report(&gathered.problems, &sources);
        return Ok(Outcome::Failed);
    }
    let input = values_input(&args.input, gathered.values, &mut sources);
    let analysis = kubeplay_core::analyze_values(&input, args.input.release.as_deref(), args.input.settings());
    // Render's product is the YAML: errors and warnings are shown in full, notes (infos) only
    // counted; `kubeplay validate` with the same flags explains them.
    let (notes, shown): (Vec<_>, Vec<_>) =
        analysis.diagnostics.iter().cloned().partition(|d| d.severity == kubeplay_core::Severity::Info);
    if !shown.is_empty() {
        terminal.report(&shown, &sources);
    }
    if !notes.is_empty() {
        let rules: std::collections::BTreeSet<&str> = notes.iter().map(|d| d.rule).collect();
        terminal.note(&format!(
            "{} note{} ({}): `kubeplay validate` with the same flags explains them",
            notes.len(),
            if notes.len() == 1 { "" } else { "s" },
            rules.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    // Manifests with errors would fail on the cluster or, worse, half-work: write nothing.
    if analysis.has_errors() {
        return Ok(Outcome::Failed);
    }
    match args.output.as_deref() {
        None => print_stdout(analysis.yaml())?,
        Some(dir) if dir == Path::new("-") => print_stdout(analysis.yaml())?,
        Some(dir) => {
            let written = write_dir(dir, &analysis.manifests, analysis.yaml())?;
            terminal.note(&format!("wrote {written} files to {}", dir.display()));
        }
    }
    Ok(Outcome::Clean)
}

/// One file per resource, numbered in install order, plus all of them in one file. Returns how
/// many files were written.
fn write_dir(dir: &Path, set: &ManifestSet, all_yaml: &str) -> Result<usize, CliError> {
    let failed = |path: &Path| {
        let name = path.display().to_string();
        move |source| CliError::Write { name, source }
    };
    std::fs::create_dir_all(dir).map_err(failed(dir))?;
    let width = set.resources.len().to_string().len().max(2);
    let mut files: Vec<(String, String)> = set
        .resources
        .iter()
        .enumerate()
        .map(|(i, resource)| (file_name(i + 1, width, resource), single_yaml(resource)))
        .collect();
    files.push((ALL_IN_ONE.to_string(), all_yaml.to_string()));
    for (name, yaml) in &files {
        let path = dir.join(name);
        std::fs::write(&path, yaml).map_err(failed(&path))?;
    }
    Ok(files.len())
}

/// `01-namespace-todo-chatbot.yaml`: the number keeps `kubectl apply -f DIR` in install order.
fn file_name(number: usize, width: usize, resource: &Resource) -> String {
    let kind = resource.object.kind().to_lowercase();
    // Names are DNS labels when render succeeds; anything else is replaced so that a name can
    // never climb out of the directory.
    let name: String = resource
        .object
        .name()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let name = name.trim_start_matches('.');
    format!("{number:0width$}-{kind}-{name}.yaml")
}

/// One resource as YAML, written exactly as core writes a whole set.
fn single_yaml(resource: &Resource) -> String {
    manifest::resources_to_yaml([resource])
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_core::{analyze_values, Profile, ValuesInput};

    #[test]
    fn file_names_are_numbered_in_order_and_safe() {
        let analysis = analyze_values(&ValuesInput::default(), None, Profile::default());
        let names: Vec<String> =
            analysis.manifests.resources.iter().enumerate().map(|(i, r)| file_name(i + 1, 2, r)).collect();
        assert_eq!(names[0], format!("01-namespace-{}.yaml", analysis.manifests.resources[0].object.name()));
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "lexical order is install order");

        let mut odd = analysis.manifests.resources[0].clone();
        if let kubeplay_core::manifest::Object::Namespace(ns) = &mut odd.object {
            ns.metadata.name = Some("../Up/There".into());
        }
        assert_eq!(file_name(7, 3, &odd), "007-namespace--up-there.yaml");
    }
}
