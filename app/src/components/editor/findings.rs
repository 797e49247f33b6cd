//! The findings located in the edited text, by byte span: which one the caret is on, which is
//! next or previous (F8, Shift+F8), and the text offsets the DOM counts in (UTF-16 units).

use kubeplay_core::source::LineIndex;
use kubeplay_core::{sort, Analysis, Severity};
use std::ops::Range;

/// A finding in the edited text.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Bytes of the text; may be empty (a place, not a stretch).
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub rule: &'static str,
    pub message: String,
}

/// The findings of `analysis` in `file`, ordered by where they start.
pub fn in_file(analysis: &Analysis, file: &str) -> Vec<Finding> {
    let mut found: Vec<Finding> = analysis
        .diagnostics
        .iter()
        .filter_map(|d| {
            let at = d.location.as_ref().filter(|l| l.file == file)?;
            Some(Finding {
                span: at.span.clone(),
                line: at.line,
                column: at.column,
                severity: d.severity,
                rule: d.rule,
                message: d.message.clone(),
            })
        })
        .collect();
    // Stable: findings at one place keep the analysis' order (worst first within a rule).
    sort::by_key(&mut found, |f| f.span.start);
    found
}

/// The findings under byte `offset`, worst first: those whose span holds it, or that start at
/// it when empty.
pub fn at(findings: &[Finding], offset: usize) -> Vec<&Finding> {
    let mut here: Vec<&Finding> = findings
        .iter()
        .take_while(|f| f.span.start <= offset)
        .filter(|f| f.span.contains(&offset) || f.span.start == offset)
        .collect();
    sort::by_key(&mut here, |f| std::cmp::Reverse(f.severity));
    here
}

/// The next finding starting after `offset` (wrapping to the first), or with `backwards` the
/// last one starting before it (wrapping to the last).
pub fn next(findings: &[Finding], offset: usize, backwards: bool) -> Option<&Finding> {
    if backwards {
        findings.iter().rev().find(|f| f.span.start < offset).or(findings.last())
    } else {
        findings.iter().find(|f| f.span.start > offset).or(findings.first())
    }
}

/// The UTF-16 offset of byte `byte` of `text` (clamped to the text).
pub fn utf16_of(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].encode_utf16().count() as u32
}

/// The byte offset of UTF-16 offset `units` of `text` (clamped to the text).
pub fn byte_of(text: &str, units: u32) -> usize {
    let mut counted = 0u32;
    for (byte, c) in text.char_indices() {
        if counted >= units {
            return byte;
        }
        counted += c.len_utf16() as u32;
    }
    text.len()
}

/// The byte offset of 0-based `line` and character `column` of `text`: `None` past the line's
/// end (one past it still counts, where a place at the end is drawn).
pub fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let span = LineIndex::new(text).line_span(text, line + 1)?;
    let content = &text[span.clone()];
    let mut chars = content.char_indices().map(|(i, _)| i).chain([content.len()]);
    chars.nth(column).map(|i| span.start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(span: Range<usize>, severity: Severity, rule: &'static str) -> Finding {
        Finding { span, line: 1, column: 1, severity, rule, message: rule.to_string() }
    }

    #[test]
    fn the_caret_finds_what_it_is_on_worst_first() {
        let found = [
            finding(2..6, Severity::Warning, "w"),
            finding(4..9, Severity::Error, "e"),
            finding(12..12, Severity::Info, "i"),
        ];
        let rules = |offset| at(&found, offset).iter().map(|f| f.rule).collect::<Vec<_>>();
        assert_eq!(rules(1), Vec::<&str>::new());
        assert_eq!(rules(2), ["w"]);
        assert_eq!(rules(5), ["e", "w"]);
        assert_eq!(rules(9), Vec::<&str>::new());
        assert_eq!(rules(12), ["i"]);
    }

    #[test]
    fn next_and_previous_wrap_around() {
        let found = [finding(2..6, Severity::Warning, "a"), finding(10..11, Severity::Error, "b")];
        let go = |offset, back| next(&found, offset, back).map(|f| f.rule);
        assert_eq!(go(0, false), Some("a"));
        assert_eq!(go(2, false), Some("b"));
        assert_eq!(go(10, false), Some("a"));
        assert_eq!(go(11, true), Some("b"));
        assert_eq!(go(10, true), Some("a"));
        assert_eq!(go(2, true), Some("b"));
        assert_eq!(next(&[], 0, false), None);
    }

    #[test]
    fn a_pointer_place_is_a_byte_offset_or_nothing() {
        let text = "a: é\nbc\n";
        assert_eq!(offset_of(text, 0, 3), Some(3));
        assert_eq!(offset_of(text, 0, 4), Some(5), "one past the end");
        assert_eq!(offset_of(text, 0, 5), None);
        assert_eq!(offset_of(text, 1, 1), Some(7));
        assert_eq!(offset_of(text, 2, 0), Some(9));
        assert_eq!(offset_of(text, 3, 0), None);
    }

    #[test]
    fn offsets_convert_between_bytes_and_utf16() {
        let text = "a: é😀b";
        assert_eq!(utf16_of(text, 3), 3);
        assert_eq!(utf16_of(text, 5), 4);
        assert_eq!(utf16_of(text, 9), 6);
        assert_eq!(utf16_of(text, 4), 3, "inside a character: its start");
        assert_eq!(byte_of(text, 4), 5);
        assert_eq!(byte_of(text, 6), 9);
        assert_eq!(byte_of(text, 99), text.len());
        for byte in [0, 3, 5, 9, 10] {
            assert_eq!(byte_of(text, utf16_of(text, byte)), byte);
        }
    }
}
