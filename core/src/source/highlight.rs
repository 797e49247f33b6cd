//! What each piece of a YAML line is (a key, text, a number, a comment, ...), for the editor's
//! colours. Plain scalars are typed as Helm reads them (YAML 1.1, `resolve_plain_text`), so a
//! learner sees that `on` or `010` are not text. Line by line, never failing: half-typed YAML
//! is coloured as far as it goes.

use std::ops::Range;

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Key,
    /// A string: quoted, plain, or a line of a block scalar (`|`, `>`).
    Text,
    Number,
    Bool,
    Null,
    Comment,
    /// `-`, `:`, `---`, flow brackets and commas, block scalar indicators.
    Punctuation,
    /// Anchors, aliases and tags: `&base`, `*base`, `!!str`.
    Reference,
}

/// A coloured piece: its bytes within its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
    pub token: Token,
}

/// The pieces of each line of `text` in `lines` (0-based line numbers; lines past the end give
/// nothing). Lines before `lines.start` are only skimmed, for the block scalars they open.
pub fn highlight(text: &str, lines: Range<usize>) -> Vec<Vec<Piece>> {
    let mut out = Vec::with_capacity(lines.len().min(4096));
    // Inside a block scalar: its lines are those indented deeper than this column, or blank.
    let mut block_deeper_than: Option<usize> = None;
    for (number, line) in text.split('\n').enumerate().take(lines.end) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = block_deeper_than {
            if blank || indent > parent {
                if number >= lines.start {
                    out.push(if blank {
                        Vec::new()
                    } else {
                        vec![Piece { range: indent..line.len(), token: Token::Text }]
                    });
                }
                continue;
            }
        }
        let (pieces, opens_block) = line_pieces(line);
        block_deeper_than = opens_block;
        if number >= lines.start {
            out.push(pieces);
        }
    }
    out
}

/// One line outside block scalars, and the column a block scalar it opens must be deeper than.
fn line_pieces(line: &str) -> (Vec<Piece>, Option<usize>) {
    let bytes = line.as_bytes();
    let mut pieces = Vec::new();
    let mut at = 0;
    // The column of the node that holds what comes next (a key's or a dash's).
    let mut holder = line.len() - line.trim_start_matches(' ').len();
    let mut flow_depth = 0usize;
    if (line.starts_with("---") || line.starts_with("...")) && matches!(bytes.get(3), None | Some(b' ' | b'\t')) {
        pieces.push(Piece { range: 0..3, token: Token::Punctuation });
        at = 3;
    }
    let mut push = |range: Range<usize>, token| pieces.push(Piece { range, token });
    loop {
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
            at += 1;
        }
        let Some(&byte) = bytes.get(at) else { break };
        let spaced = |i: usize| matches!(bytes.get(i), None | Some(b' ' | b'\t'));
        match byte {
            b'#' => {
                push(at..line.len(), Token::Comment);
                break;
            }
            b'-' if flow_depth == 0 && spaced(at + 1) => {
                push(at..at + 1, Token::Punctuation);
                holder = at;
                at += 1;
            }
            b'?' | b':' if spaced(at + 1) => {
                push(at..at + 1, Token::Punctuation);
                at += 1;
            }
            b'&' | b'*' | b'!' => {
                let end = line[at..].find([' ', '\t', ',', ']', '}']).map_or(line.len(), |i| at + i);
                push(at..end, Token::Reference);
                at = end;
            }
            b'{' | b'[' => {
                flow_depth += 1;
                push(at..at + 1, Token::Punctuation);
                at += 1;
            }
            b'}' | b']' | b',' => {
                flow_depth = flow_depth.saturating_sub(1 - usize::from(byte == b','));
                push(at..at + 1, Token::Punctuation);
                at += 1;
            }
            b'|' | b'>' if flow_depth == 0 => {
                // `|`, `>-`, `|2+`: the indicator, then at most a comment.
                let end = line[at + 1..].find([' ', '\t']).map_or(line.len(), |i| at + 1 + i);
                push(at..end, Token::Punctuation);
                let rest = line[end..].trim_start();
                if rest.starts_with('#') {
                    push(line.len() - rest.len()..line.len(), Token::Comment);
                }
                return (pieces, Some(holder));
            }
            b'"' | b'\'' => {
                let end = quoted_end(line, at);
                // In flow, a quoted key may meet its `:` as in JSON (`{"a":1}`).
                let key = key_colon(line, end, flow_depth)
                    .or_else(|| (flow_depth > 0 && line[end..].starts_with(':')).then_some(end));
                push(at..end, if key.is_some() { Token::Key } else { Token::Text });
                if key.is_some() {
                    holder = at;
                }
                at = end;
                if let Some(colon) = key {
                    push(colon..colon + 1, Token::Punctuation);
                    at = colon + 1;
                }
            }
            _ => {
                let end = plain_end(line, at, flow_depth);
                if end == at {
                    // A stray indicator (`{:]`): plain_end stops only at ASCII ones.
                    push(at..at + 1, Token::Punctuation);
                    at += 1;
                    continue;
                }
                let value = line[at..end].trim_end();
                let token = if key_colon(line, end, flow_depth).is_some() {
                    holder = at;
                    Token::Key
                } else {
                    plain_token(value)
                };
                if !value.is_empty() {
                    push(at..at + value.len(), token);
                }
                at = end;
            }
        }
    }
    (pieces, None)
}

/// Where a quoted scalar starting at `start` ends (after its closing quote, or the line's end).
fn quoted_end(line: &str, start: usize) -> usize {
    let bytes = line.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    line.len()
}

/// Where a plain scalar starting at `start` ends: before ` #`, `: ` (or `:` at the end), or in
/// flow, a bracket or comma.
fn plain_end(line: &str, start: usize, flow_depth: usize) -> usize {
    let bytes = line.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => return i,
            b':' if flow_depth > 0 && matches!(bytes.get(i + 1), Some(b',' | b']' | b'}')) => return i,
            b'#' if i > start && matches!(bytes[i - 1], b' ' | b'\t') => return i,
            b',' | b']' | b'}' | b'[' | b'{' if flow_depth > 0 => return i,
            _ => i += 1,
        }
    }
    line.len()
}

/// The `:` after a scalar ending at `end` that makes it a key, if there is one.
fn key_colon(line: &str, end: usize, flow_depth: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let colon = end + line[end..].len() - line[end..].trim_start_matches([' ', '\t']).len();
    let after = bytes.get(colon + 1);
    let ends_key =
        matches!(after, None | Some(b' ' | b'\t')) || (flow_depth > 0 && matches!(after, Some(b',' | b']' | b'}')));
    (bytes.get(colon) == Some(&b':') && ends_key).then_some(colon)
}

/// A plain value typed as Helm reads it.
fn plain_token(value: &str) -> Token {
    match super::resolve_plain_text(value) {
        Some(super::Scalar::Null) => Token::Null,
        Some(super::Scalar::Bool(_)) => Token::Bool,
        Some(super::Scalar::Int(_) | super::Scalar::Float(_)) => Token::Number,
        Some(super::Scalar::Str(_)) | None => Token::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each piece of one line as `token:text`.
    fn pieces(line: &str) -> Vec<String> {
        highlight(line, 0..1).remove(0).iter().map(|p| format!("{:?}:{}", p.token, &line[p.range.clone()])).collect()
    }

    #[test]
    fn keys_values_and_comments() {
        assert_eq!(
            pieces("  replicas: 3  # two is enough"),
            ["Key:replicas", "Punctuation::", "Number:3", "Comment:# two is enough"]
        );
        assert_eq!(pieces("image: nginx:1.27"), ["Key:image", "Punctuation::", "Text:nginx:1.27"]);
        assert_eq!(pieces("url: http://api:8000/#top"), ["Key:url", "Punctuation::", "Text:http://api:8000/#top"]);
        assert_eq!(pieces("- name: web"), ["Punctuation:-", "Key:name", "Punctuation::", "Text:web"]);
        assert_eq!(pieces("--- # next"), ["Punctuation:---", "Comment:# next"]);
    }

    #[test]
    fn plain_values_are_typed_as_helm_reads_them() {
        assert_eq!(pieces("a: on"), ["Key:a", "Punctuation::", "Bool:on"]);
        assert_eq!(pieces("a: 010"), ["Key:a", "Punctuation::", "Number:010"]);
        assert_eq!(pieces("a: ~"), ["Key:a", "Punctuation::", "Null:~"]);
        assert_eq!(pieces("a: \"on\""), ["Key:a", "Punctuation::", "Text:\"on\""]);
        assert_eq!(pieces("a: 'it''s: x'"), ["Key:a", "Punctuation::", "Text:'it''s: x'"]);
    }

    #[test]
    fn flow_collections_references_and_quoted_keys() {
        assert_eq!(
            pieces("ports: [{name: http, port: 80}]"),
            [
                "Key:ports",
                "Punctuation::",
                "Punctuation:[",
                "Punctuation:{",
                "Key:name",
                "Punctuation::",
                "Text:http",
                "Punctuation:,",
                "Key:port",
                "Punctuation::",
                "Number:80",
                "Punctuation:}",
                "Punctuation:]"
            ]
        );
        assert_eq!(pieces("\"a b\": *base"), ["Key:\"a b\"", "Punctuation::", "Reference:*base"]);
        assert_eq!(pieces("{\"a\":1}"), ["Punctuation:{", "Key:\"a\"", "Punctuation::", "Number:1", "Punctuation:}"]);
        assert_eq!(
            pieces("<<: &x !!map {}"),
            ["Key:<<", "Punctuation::", "Reference:&x", "Reference:!!map", "Punctuation:{", "Punctuation:}"]
        );
    }

    #[test]
    fn block_scalars_are_text_until_the_indentation_returns() {
        let text = "script: |-  # run it\n  a: b\n\n  - c\nnext: 1\n- |\n  x: y\n";
        let lines = highlight(text, 0..8);
        let tokens: Vec<Vec<Token>> = lines.iter().map(|l| l.iter().map(|p| p.token).collect()).collect();
        use Token::*;
        assert_eq!(
            tokens,
            [
                vec![Key, Punctuation, Punctuation, Comment],
                vec![Text],
                vec![],
                vec![Text],
                vec![Key, Punctuation, Number],
                vec![Punctuation, Punctuation],
                vec![Text],
                vec![]
            ]
        );
        // Asked from inside the block, the lines before are skimmed for it.
        assert_eq!(highlight(text, 1..2)[0], [Piece { range: 2..6, token: Text }]);
    }

    proptest::proptest! {
        /// Any text: every piece lies on the line's character boundaries, in order, apart.
        #[test]
        fn pieces_are_ordered_slices_of_their_line(text in "[ -~\t\né:#'\"|>{}\\[\\],&*!-]{0,80}") {
            let lines: Vec<&str> = text.split('\n').collect();
            let got = highlight(&text, 0..lines.len());
            proptest::prop_assert_eq!(got.len(), lines.len());
            for (pieces, line) in got.iter().zip(&lines) {
                let mut end = 0;
                for piece in pieces {
                    proptest::prop_assert!(piece.range.start >= end && piece.range.start < piece.range.end);
                    proptest::prop_assert!(line.get(piece.range.clone()).is_some(), "{:?} in {:?}", piece, line);
                    end = piece.range.end;
                }
            }
        }
    }

    #[test]
    fn half_typed_lines_do_not_fail() {
        for line in ["a: \"unclosed", "{[", "]]]", "- - -", "a: |", ": :", "#", "'", "\\", "&", "é: ü # ç"] {
            let got = highlight(line, 0..1);
            for piece in &got[0] {
                assert!(line.get(piece.range.clone()).is_some(), "{line:?} {piece:?}");
            }
        }
    }
}
