//! One diagnostic type for everything kubeplay reports: parse errors, rule findings, deploy failures.
//!
//! Plain data, like codespan-reporting's `Diagnostic`: the shells decide how to draw it.

use serde::Serialize;
use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A place in a source text: the file name as the user gave it, 1-based line and column, and the
/// byte range the finding is about (for carets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
}

/// A finding, with every "where" that is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable rule ID (see [`crate::rules::RULES`]).
    pub rule: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Dotted values path, e.g. `components.todo-backend.replicas`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The manifest the finding is about; written `namespace/Kind/name` (`Kind/name` when
    /// cluster-scoped).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_text")]
    pub resource: Option<crate::resource::ResourceRef>,
    /// Field inside that manifest, e.g. `spec.ports[0].targetPort`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Diagnostic {
    pub fn new(severity: Severity, rule: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            rule,
            message: message.into(),
            help: None,
            path: None,
            resource: None,
            field: None,
            location: None,
        }
    }
    pub fn error(rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, rule, message)
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    pub fn with_location(mut self, location: Option<Location>) -> Self {
        if location.is_some() {
            self.location = location;
        }
        self
    }
}

fn as_text<S: serde::Serializer>(
    resource: &Option<crate::resource::ResourceRef>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match resource {
        Some(r) => serializer.collect_str(r),
        None => serializer.serialize_none(),
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Sort for display: by file position when known, then severity (worst first), then rule.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    // The key borrows from the diagnostic: comparing clones nothing.
    fn key(d: &Diagnostic) -> impl Ord + '_ {
        (
            d.location.as_ref().map(|l| (l.file.as_str(), l.line, l.column)),
            std::cmp::Reverse(d.severity),
            d.rule,
            d.resource.as_ref(),
            d.path.as_deref(),
        )
    }
    crate::sort::by(diagnostics, |a, b| key(a).cmp(&key(b)));
}

/// The findings of one rule, for a list a learner can triage: the rule, its worst severity and
/// its findings in place order.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleGroup<'a> {
    pub rule: &'static str,
    pub severity: Severity,
    pub findings: Vec<&'a Diagnostic>,
}

/// `diagnostics` by rule, worst first: errors before warnings before notes, then the rules with
/// more findings, then by rule ID. Each group keeps the order it is given (sorted by place).
pub fn by_rule(diagnostics: &[Diagnostic]) -> Vec<RuleGroup<'_>> {
    let mut groups: Vec<RuleGroup> = Vec::new();
    for d in diagnostics {
        match groups.iter_mut().find(|g| g.rule == d.rule) {
            Some(group) => {
                group.severity = group.severity.max(d.severity);
                group.findings.push(d);
            }
            None => groups.push(RuleGroup { rule: d.rule, severity: d.severity, findings: vec![d] }),
        }
    }
    // Rule IDs are unique, so the order is total and an unstable sort gives the same one.
    groups.sort_unstable_by(|a, b| {
        (std::cmp::Reverse(a.severity), std::cmp::Reverse(a.findings.len()), a.rule).cmp(&(
            std::cmp::Reverse(b.severity),
            std::cmp::Reverse(b.findings.len()),
            b.rule,
        ))
    });
    groups
}

/// A message cut at its backticks: (text, whether it is code), as Markdown's inline code reads
/// them. An unmatched backtick is text.
pub fn code_spans(message: &str) -> Vec<(&str, bool)> {
    let mut spans = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else { break };
        if open > 0 {
            spans.push((&rest[..open], false));
        }
        spans.push((&rest[open + 1..open + 1 + len], true));
        rest = &rest[open + len + 2..];
    }
    if !rest.is_empty() {
        spans.push((rest, false));
    }
    spans
}

#[cfg(test)]
mod triage_tests {
    use super::*;

    #[test]
    fn groups_are_worst_first_then_largest() {
        let d = |severity, rule| Diagnostic::new(severity, rule, "m");
        let all = [
            d(Severity::Warning, "default-namespace"),
            d(Severity::Info, "missing-probe"),
            d(Severity::Warning, "latest-tag"),
            d(Severity::Warning, "latest-tag"),
            d(Severity::Error, "url-service-unresolved"),
            d(Severity::Info, "missing-probe"),
        ];
        let groups = by_rule(&all);
        let order: Vec<(&str, Severity, usize)> =
            groups.iter().map(|g| (g.rule, g.severity, g.findings.len())).collect();
        assert_eq!(
            order,
            [
                ("url-service-unresolved", Severity::Error, 1),
                ("latest-tag", Severity::Warning, 2),
                ("default-namespace", Severity::Warning, 1),
                ("missing-probe", Severity::Info, 2),
            ]
        );
        assert!(std::ptr::eq(groups[1].findings[0], &all[2]), "a group keeps the order it was given");
        assert!(by_rule(&[]).is_empty());
    }

    #[test]
    fn backticks_mark_code() {
        assert_eq!(
            code_spans("env `API_URL` calls `http://api:80`."),
            [("env ", false), ("API_URL", true), (" calls ", false), ("http://api:80", true), (".", false)]
        );
        assert_eq!(code_spans("`a`"), [("a", true)]);
        assert_eq!(code_spans("one ` alone"), [("one ` alone", false)]);
        assert_eq!(code_spans("``"), [("", true)]);
        assert_eq!(code_spans(""), []);
    }
}
