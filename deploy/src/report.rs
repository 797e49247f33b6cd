//! Printing diagnostics: rustc-style text with source snippets (codespan-reporting), or JSON.

use crate::cli::ColorWhen;
use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label, Severity as SnippetSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Chars, Config};
use kubeplay_core::load::set_source_name;
use kubeplay_core::presets::PRESETS;
use kubeplay_core::setargs::SetArg;
use kubeplay_core::source::{LineIndex, SourceFile};
use kubeplay_core::{Diagnostic, Location, Severity};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::ops::Range;

/// Every text a diagnostic may point into, by the name core puts in [`Location::file`].
pub struct Sources {
    files: SimpleFiles<String, String>,
    ids: HashMap<String, usize>,
    /// Each file's line starts, found once: a report of thousands of findings in one large file
    /// looked every line up again per finding.
    lines: Vec<LineIndex>,
}

impl Sources {
    /// Starts with every preset registered, since any of them can be the bottom layer.
    pub fn new() -> Self {
        let mut sources = Sources { files: SimpleFiles::new(), ids: HashMap::new(), lines: Vec::new() };
        for preset in PRESETS {
            sources.add(&preset.source());
        }
        sources
    }

    /// Register a text; a later text with the same name replaces the earlier one.
    pub fn add(&mut self, file: &SourceFile) {
        let id = self.files.add(file.name.clone(), file.text.clone());
        self.ids.insert(file.name.clone(), id);
        // SimpleFiles numbers its files 0, 1, 2, ... in the order they are added.
        debug_assert_eq!(id, self.lines.len());
        self.lines.push(LineIndex::new(&file.text));
    }

    /// Register each --set expression under the name core reports it by.
    pub fn add_sets(&mut self, sets: &[SetArg]) {
        for (n, set) in sets.iter().enumerate() {
            self.add(&SourceFile::new(set_source_name(n, set), set.expr.clone()));
        }
    }

    fn find(&self, name: &str) -> Option<(usize, &str, &LineIndex)> {
        let id = *self.ids.get(name)?;
        let text = self.files.get(id).ok()?.source().as_str();
        Some((id, text, self.lines.get(id)?))
    }
}

/// Whether stderr gets colors: `--color` first, then NO_COLOR, then "is it a terminal".
pub fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        // https://no-color.org: any non-empty value turns color off; a flag overrides it.
        ColorWhen::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal(),
    }
}

/// Diagnostics as text with snippets, then the summary line.
pub fn text(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> Vec<u8> {
    let mut out = if color { Buffer::ansi() } else { Buffer::no_color() };
    let config = Config { chars: Chars::ascii(), ..Config::default() };
    for diagnostic in diagnostics {
        let snippet = snippet(diagnostic, sources);
        if term::emit_to_write_style(&mut out, &config, &sources.files, &snippet).is_err() {
            // A span codespan cannot place (it should not happen: spans are checked below):
            // still say what is wrong, without the snippet.
            let bare = Snippet { labels: Vec::new(), ..snippet };
            let _ = term::emit_to_write_style(&mut out, &config, &sources.files, &bare);
        }
    }
    let _ = out.set_color(codespan_reporting::term::termcolor::ColorSpec::new().set_bold(true));
    let _ = writeln!(out, "{}", summary(diagnostics));
    let _ = out.reset();
    out.into_inner()
}

/// `2 errors, 1 warning, 5 infos`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |severity: Severity| diagnostics.iter().filter(|d| d.severity == severity).count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "info")
    )
}

/// Diagnostics as a JSON array (core's serialized shape), pretty-printed.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).expect("diagnostics serialize to JSON")
}

fn snippet(diagnostic: &Diagnostic, sources: &Sources) -> Snippet<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => SnippetSeverity::Error,
        Severity::Warning => SnippetSeverity::Warning,
        Severity::Info => SnippetSeverity::Note,
    };
    let mut snippet = Snippet::new(severity).with_code(diagnostic.rule).with_message(&diagnostic.message);
    let mut notes = Vec::new();
    if let Some(location) = &diagnostic.location {
        match sources.find(&location.file) {
            Some((id, text, lines)) => snippet.labels.push(Label::primary(id, caret_span(text, lines, location))),
            None => notes.push(format!("where: {}:{}:{}", location.file, location.line, location.column)),
        }
    }
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    if let Some(path) = &diagnostic.path {
        notes.push(format!("at: {path}"));
    }
    match (&diagnostic.resource, &diagnostic.field) {
        (Some(resource), Some(field)) => notes.push(format!("in: {resource} {field}")),
        (Some(resource), None) => notes.push(format!("in: {resource}")),
        _ => {}
    }
    snippet.with_notes(notes)
}

/// The byte range to underline: where line and column say (they are what JSON reports, and
/// codespan prints the place from the span, so both must agree), as long as the span, cut to
/// its first line (a whole Deployment underlined over 40 lines helps nobody) and to character
/// boundaries (a bad span must not panic the printer).
fn caret_span(text: &str, lines: &LineIndex, location: &Location) -> Range<usize> {
    let len = location.span.end.saturating_sub(location.span.start);
    let start = if location.line >= 1 && location.column >= 1 {
        lines.offset(text, location.line, location.column - 1)
    } else {
        location.span.start
    };
    let start = floor_char_boundary(text, start.min(text.len()));
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut end = start.saturating_add(len.max(1)).min(line_end);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end.max(start)
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(file: &str, line: usize, column: usize, span: Range<usize>) -> Option<Location> {
        Some(Location { file: file.into(), line, column, span })
    }

    fn rendered(diagnostics: &[Diagnostic], sources: &Sources) -> String {
        String::from_utf8(text(diagnostics, sources, false)).unwrap()
    }

    #[test]
    fn a_located_diagnostic_shows_the_line_a_caret_and_every_note() {
        let mut sources = Sources::new();
        sources.add(&SourceFile::new("v.yaml", "components:\n  todo-backend:\n    replica: 2\n"));
        let mut d = Diagnostic::error("unknown-key", "unknown key `replica`")
            .with_help("did you mean `replicas`?")
            .with_path("components.todo-backend.replica")
            .with_location(location("v.yaml", 3, 5, 31..38));
        d.resource = Some(kubeplay_core::resource::ResourceRef::to_kind("Deployment", "todo-chatbot", "todo-backend"));
        d.field = Some("spec.replicas".into());
        let out = rendered(&[d], &sources);
        assert!(out.contains("error[unknown-key]: unknown key `replica`"), "{out}");
        assert!(out.contains("--> v.yaml:3:5"), "{out}");
        assert!(out.contains("    replica: 2\n"), "{out}");
        assert!(out.contains("^^^^^^^"), "{out}");
        assert!(out.contains("= help: did you mean `replicas`?"), "{out}");
        assert!(out.contains("= at: components.todo-backend.replica"), "{out}");
        assert!(out.contains("= in: todo-chatbot/Deployment/todo-backend spec.replicas"), "{out}");
        assert!(out.ends_with("1 error, 0 warnings, 0 infos\n"), "{out}");
    }

    #[test]
    fn line_and_column_win_over_a_span_that_disagrees() {
        let mut sources = Sources::new();
        sources.add(&SourceFile::new("m.yaml", "a: 1\nbb: 2\n"));
        let d = Diagnostic::error("x", "m").with_location(location("m.yaml", 2, 1, 0..2));
        assert!(rendered(&[d], &sources).contains("--> m.yaml:2:1"));
    }

    #[test]
    fn bad_spans_and_unknown_files_do_not_panic() {
        let mut sources = Sources::new();
        sources.add(&SourceFile::new("u.yaml", "é: \u{fffd}\n"));
        let diagnostics = [
            Diagnostic::error("x", "past the end").with_location(location("u.yaml", 9, 9, 500..900)),
            Diagnostic::error("x", "inside a character").with_location(location("u.yaml", 0, 0, 1..2)),
            Diagnostic::error("x", "unknown file").with_location(location("gone.yaml", 3, 4, 0..1)),
            Diagnostic::new(Severity::Info, "y", "nowhere"),
        ];
        let out = rendered(&diagnostics, &sources);
        assert!(out.contains("= where: gone.yaml:3:4"), "{out}");
        assert!(out.contains("note[y]: nowhere"), "{out}");
        assert!(out.ends_with("3 errors, 0 warnings, 1 info\n"), "{out}");
    }

    #[test]
    fn set_expressions_and_presets_are_sources() {
        let mut sources = Sources::new();
        let set = SetArg::typed("a.b");
        sources.add_sets(std::slice::from_ref(&set));
        assert_eq!(sources.find(&set_source_name(0, &set)).map(|(_, t, _)| t), Some("a.b"));
        assert!(sources.find(&PRESETS[0].source().name).is_some());
    }

    /// A finding on every line of a large file: the report grows with the findings, not with
    /// findings times the file (each finding looked its line up by scanning the whole file:
    /// 3,600 findings on a 7 MB file took 22 s).
    #[test]
    fn a_report_of_many_findings_in_one_large_file_takes_linear_time() {
        fn report_time(lines: usize) -> std::time::Duration {
            let content: String = (0..lines).map(|i| format!("key{i}: value\n")).collect();
            let mut sources = Sources::new();
            sources.add(&SourceFile::new("big.yaml", content));
            let mut offset = 0;
            let diagnostics: Vec<Diagnostic> = (0..lines)
                .map(|i| {
                    let len = format!("key{i}").len();
                    let d =
                        Diagnostic::error("x", "m").with_location(location("big.yaml", i + 1, 1, offset..offset + len));
                    offset += len + ": value\n".len();
                    d
                })
                .collect();
            let started = std::time::Instant::now();
            let out = text(&diagnostics, &sources, false);
            assert!(!out.is_empty());
            started.elapsed()
        }
        let (mut small, mut large) = (std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..3 {
            small = small.min(report_time(2_000));
            large = large.min(report_time(8_000));
        }
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        // 4x the findings and the lines: linear is ~4x, quadratic ~16x.
        assert!(ratio < 10.0, "4x the findings took {ratio:.1}x the time ({small:?} -> {large:?})");
    }
}
