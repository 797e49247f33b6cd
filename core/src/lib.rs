//! kubeplay's model: values in; diagnostics, manifests and a relationship graph out.
//!
//! Sans-IO like kube-core: every function takes text or typed data and returns data. Nothing
//! here reads files, talks to a cluster or prints; `kubeplay` (the CLI) and the browser app do
//! that and draw what this crate returns.
//!
//! Entry points: [`analyze_values`] and [`analyze_manifests`].

// Lets unit tests include files written for the benches, which name the crate.
#[cfg(test)]
extern crate self as kubeplay_core;

pub mod allow_from;
pub mod chart;
pub mod deprecations;
pub mod diagnose;
pub mod diagnostic;
pub mod emit;
pub mod go_base64;
pub mod graph;
pub mod immutable;
pub mod lifecycle;
pub mod load;
pub mod manifest;
pub mod merge;
pub mod names;
pub mod openapi;
pub mod path;
pub mod presets;
pub mod quantity;
pub mod relation;
pub mod render;
pub mod resource;
pub mod rollout;
pub mod rules;
pub mod setargs;
pub mod sort;
pub mod source;
mod tracked;
pub mod values;

pub use diagnostic::{Diagnostic, Location, Severity};
pub use load::{Loaded, ValuesInput};
pub use manifest::ManifestSet;
pub use rules::{PodSecurityLevel, Profile, Settings, RULES};
pub use source::SourceFile;
pub use values::Values;

use graph::Graph;
use load::Provenance;

/// Everything kubeplay computes for one input.
pub struct Analysis {
    /// The typed values, when the input was values and they are valid.
    pub values: Option<Values>,
    pub manifests: ManifestSet,
    /// Sorted: by place, worst first.
    pub diagnostics: Vec<Diagnostic>,
    pub graph: Graph,
    /// Where each value came from, when the input was values: what later checks of the
    /// rendered objects point at.
    provenance: Option<Provenance>,
    /// The manifests as YAML, written when first asked for: a check that only reports
    /// (`kubeplay validate`, `graph`) never holds a second copy of a large set.
    written: std::sync::OnceLock<(String, Vec<std::ops::Range<usize>>)>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        diagnostic::has_errors(&self.diagnostics)
    }
    fn new(values: Option<Values>, manifests: ManifestSet, diagnostics: Vec<Diagnostic>, graph: Graph) -> Analysis {
        Analysis { values, manifests, diagnostics, graph, provenance: None, written: Default::default() }
    }
    fn written(&self) -> &(String, Vec<std::ops::Range<usize>>) {
        self.written.get_or_init(|| manifest::resources_to_documents(&self.manifests.resources))
    }
    /// The manifests as multi-document YAML (empty when nothing could be rendered).
    pub fn yaml(&self) -> &str {
        &self.written().0
    }
    /// Where each resource's document is in [`Analysis::yaml`], in the set's order.
    pub fn documents(&self) -> &[std::ops::Range<usize>] {
        &self.written().1
    }
    /// Each resource's YAML document, in the set's order.
    pub fn document_texts(&self) -> Vec<&str> {
        let yaml = self.yaml();
        self.documents().iter().map(|range| yaml.get(range.clone()).unwrap_or("")).collect()
    }
}

/// The release name used when none is given: the preset's name.
pub fn default_release(input: &ValuesInput) -> &str {
    input.preset.as_deref().unwrap_or(presets::DEFAULT_PRESET)
}

/// Layer values, check them, render them, check the manifests and draw the graph.
pub fn analyze_values(input: &ValuesInput, release: Option<&str>, settings: impl Into<Settings>) -> Analysis {
    let settings = settings.into();
    let profile = settings.profile;
    let loaded = load::load(input);
    let mut diagnostics = loaded.diagnostics;
    let Some(values) = loaded.values else {
        diagnostic::sort(&mut diagnostics);
        return Analysis::new(None, ManifestSet::default(), diagnostics, Graph::default());
    };
    let release = release.unwrap_or_else(|| default_release(input));
    for finding in rules::check_values(&values, profile) {
        let Some(rule) = rules::find(finding.rule) else { continue };
        let Some(severity) = rule.severity(profile) else { continue };
        let mut d = Diagnostic::new(severity, rule.id, finding.message).with_help(rule.help);
        d.location = loaded.provenance.locate(&finding.path);
        d.path = Some(finding.path.to_string());
        diagnostics.push(d);
    }
    let manifests = render::render(&values, release);
    let (graph, findings) = check_set(&manifests, settings, Some(&loaded.provenance));
    diagnostics.extend(findings);
    diagnostic::sort(&mut diagnostics);
    Analysis { provenance: Some(loaded.provenance), ..Analysis::new(Some(values), manifests, diagnostics, graph) }
}

/// Read manifests from files, check them and draw the graph, for the `default` namespace.
pub fn analyze_manifests(files: Vec<SourceFile>, settings: impl Into<Settings>) -> Analysis {
    analyze_manifests_in(files, "", settings)
}

/// [`analyze_manifests`] for a set applied to `namespace` (kubectl's `-n`; empty for
/// `default`): objects that name no namespace land there.
pub fn analyze_manifests_in(files: Vec<SourceFile>, namespace: &str, settings: impl Into<Settings>) -> Analysis {
    let settings = settings.into();
    let (manifests, mut diagnostics) = manifest::read_in(files, namespace);
    let (graph, findings) = check_set(&manifests, settings, None);
    diagnostics.extend(findings);
    if let Some(schema) = settings.schema {
        rules::check_rejected(&manifests, schema, settings.profile, &mut diagnostics);
    }
    diagnostic::sort(&mut diagnostics);
    Analysis::new(None, manifests, diagnostics, graph)
}

fn check_set(set: &ManifestSet, settings: Settings, provenance: Option<&Provenance>) -> (Graph, Vec<Diagnostic>) {
    let sink = rules::check_manifests(set, settings);
    let graph = graph::build(set, sink.edges);
    (graph, manifest_diagnostics(set, sink.findings, settings.profile, provenance))
}

/// What upgrade rules find when `after`'s manifests are applied over `before` (the set applied
/// earlier): each update the API server would refuse, at its place in `after`'s input.
pub fn upgrade_diagnostics(before: &ManifestSet, after: &Analysis, profile: Profile) -> Vec<Diagnostic> {
    let sink = rules::check_upgrade(before, &after.manifests, profile);
    let mut diagnostics = manifest_diagnostics(&after.manifests, sink.findings, profile, after.provenance.as_ref());
    diagnostic::sort(&mut diagnostics);
    diagnostics
}

/// Findings on `set`'s objects as diagnostics: each with its rule's severity under `profile`,
/// its resource and field, and its place in a file or in the values (through `provenance`).
fn manifest_diagnostics(
    set: &ManifestSet,
    findings: Vec<rules::ManifestFinding>,
    profile: Profile,
    provenance: Option<&Provenance>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::with_capacity(findings.len());
    for finding in findings {
        let Some(rule) = rules::find(finding.rule) else { continue };
        let Some(severity) = rule.severity(profile) else { continue };
        let severity = finding.at_most.map_or(severity, |cap| severity.min(cap));
        let field = (!finding.field.is_root()).then(|| finding.field.to_string());
        let place = match finding.at_key {
            true => set.resolve_key(finding.resource, &finding.field),
            false => set.resolve_written(finding.resource, &finding.field, field.as_deref().unwrap_or("")),
        };
        let mut d = Diagnostic::new(severity, rule.id, finding.message).with_help(rule.help);
        d.resource = set.reference(finding.resource);
        d.field = field;
        d.location =
            place.location.or_else(|| provenance.zip(place.values_path.as_ref()).and_then(|(p, path)| p.locate(path)));
        d.path = place.values_path.map(|p| p.to_string());
        diagnostics.push(d);
    }
    diagnostics
}
