//! The coloured copy of the editor's text drawn under its (transparent) textarea: core's YAML
//! pieces as colours and each finding's span as a squiggle. Only a window of lines is built,
//! so a thousand-line file costs what the screen shows.

use super::findings::Finding;
use kubeplay_core::source::highlight::{highlight, Piece, Token};
use kubeplay_core::Severity;
use std::fmt::Write;
use std::ops::Range;

/// The markup of `lines` (0-based) of `text`, one text line per line, for a `<pre>`.
/// `findings` are ordered by start; each is drawn on the line it starts on.
pub fn markup(text: &str, lines: Range<usize>, findings: &[Finding]) -> String {
    let pieces = highlight(text, lines.clone());
    let mut out = String::with_capacity(lines.len() * 64);
    let mut line_start = 0;
    for (number, line) in text.split('\n').enumerate().take(lines.end) {
        if number >= lines.start {
            let shown = line.strip_suffix('\r').unwrap_or(line);
            let first = findings.partition_point(|f| f.span.start < line_start);
            let last = findings.partition_point(|f| f.span.start <= line_start + shown.len());
            write_line(&mut out, shown, line_start, &pieces[number - lines.start], &findings[first..last]);
            out.push('\n');
        }
        line_start += line.len() + 1;
    }
    out
}

/// One line: cut wherever a piece or a squiggle begins or ends.
fn write_line(out: &mut String, line: &str, line_start: usize, pieces: &[Piece], findings: &[Finding]) {
    // Squiggles in the line's bytes: the span's part on this line, or one character for a place.
    let squiggles: Vec<(Range<usize>, Severity)> = findings
        .iter()
        .map(|f| {
            let start = f.span.start - line_start;
            let end = f.span.end.saturating_sub(line_start).min(line.len());
            let end = if end > start { end } else { next_char(line, start) };
            (start..end, f.severity)
        })
        .collect();
    let mut cuts: Vec<usize> = vec![0, line.len()];
    cuts.extend(pieces.iter().flat_map(|p| [p.range.start, p.range.end]));
    cuts.extend(squiggles.iter().flat_map(|(r, _)| [r.start, r.end]));
    cuts.sort_unstable();
    cuts.dedup();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let token = pieces.iter().find(|p| p.range.start <= from && from < p.range.end).map(|p| p.token);
        let worst = squiggles.iter().filter(|(r, _)| r.start <= from && from < r.end).map(|(_, s)| *s).max();
        // A place at the line's end is drawn on a space after it.
        let text = line.get(from..to).unwrap_or(" ");
        if token.is_none() && worst.is_none() {
            out.push_str(&super::escape(text));
            continue;
        }
        out.push_str("<span class=\"");
        if let Some(token) = token {
            out.push_str(token_class(token));
        }
        if let Some(severity) = worst {
            out.push_str(if token.is_some() { " squiggle " } else { "squiggle " });
            let _ = write!(out, "{severity}");
        }
        out.push_str("\">");
        out.push_str(&super::escape(text));
        out.push_str("</span>");
    }
}

/// The end of the character at byte `at` (one past the line's end when `at` is its end).
fn next_char(line: &str, at: usize) -> usize {
    line.get(at..).and_then(|rest| rest.chars().next()).map_or(at + 1, |c| at + c.len_utf8())
}

fn token_class(token: Token) -> &'static str {
    match token {
        Token::Key => "yaml-key",
        Token::Text => "yaml-text",
        Token::Number => "yaml-number",
        Token::Bool => "yaml-bool",
        Token::Null => "yaml-null",
        Token::Comment => "yaml-comment",
        Token::Punctuation => "yaml-punctuation",
        Token::Reference => "yaml-reference",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(span: Range<usize>, severity: Severity) -> Finding {
        Finding { span, line: 0, column: 0, severity, rule: "r", message: String::new() }
    }

    #[test]
    fn colours_and_squiggles_cut_the_line_where_they_meet() {
        let text = "a: 1\nimage: <x>\n";
        let got = markup(text, 1..2, &[finding(13..15, Severity::Error)]);
        assert_eq!(
            got,
            "<span class=\"yaml-key\">image</span><span class=\"yaml-punctuation\">:</span> \
             <span class=\"yaml-text\">&lt;</span><span class=\"yaml-text squiggle error\">x&gt;</span>\n"
        );
    }

    #[test]
    fn a_place_is_one_character_and_a_long_span_stays_on_its_first_line() {
        let text = "a:\n  b: c\n";
        let place = markup(text, 0..1, &[finding(2..2, Severity::Warning)]);
        assert_eq!(place, "<span class=\"yaml-key\">a</span><span class=\"yaml-punctuation\">:</span><span class=\"squiggle warning\"> </span>\n");
        let long = markup(text, 0..3, &[finding(0..9, Severity::Info)]);
        assert_eq!(long.lines().filter(|l| l.contains("squiggle")).count(), 1, "{long}");
        assert!(long.starts_with("<span class=\"yaml-key squiggle info\">a</span>"), "{long}");
    }

    #[test]
    fn only_the_asked_lines_are_written() {
        let text: String = (0..1000).map(|i| format!("k{i}: v\n")).collect();
        let got = markup(&text, 500..503, &[]);
        assert_eq!(got.lines().count(), 3);
        assert!(got.starts_with("<span class=\"yaml-key\">k500</span>"), "{got}");
    }
}
