//! A fast reader for the plain block YAML that values files and manifests are nearly always
//! written in, so that the common case does not pay for a general YAML scanner.
//!
//! Why not a library: every YAML event parser measured (yaml-rust2 0.13, saphyr-parser 0.3,
//! granit-parser 2.1, libyaml-rs 0.3, unsafe-libyaml 0.2) spends 210-230 million instructions
//! just producing the events of the benchmark's 780 KB values file (they scan character by
//! character and queue tokens); this reader builds the whole tree in about 75 million, as it
//! looks at bytes a line at a time and builds [`Node`]s directly.
//!
//! It only has to be right where it answers: it reads a deliberately small subset (ASCII text;
//! block maps and lists; one-line plain, single-quoted and escape-free double-quoted scalars;
//! literal block scalars (`|`, `|-`: scripts and config files in ConfigMaps); one-line flow
//! maps and lists; comments; `---` between documents) and returns `None` at the first thing
//! outside it or anything doubtful (anchors, tags, folded and kept block scalars, multi-line
//! flow scalars, empty values, duplicate keys, limits reached, any syntax error). The full parser
//! then reads the text again and gives the answer or the diagnostic. The tests check that where
//! this reader answers, it answers exactly what the full parser does, spans included.

use super::{
    is_duplicate, key_name, known_key, resolve_plain_text, Document, Key, Node, NodeKind, Scalar, Span, MAX_DEPTH,
    MAX_NODES,
};
use std::collections::hash_map::RandomState;
use std::collections::HashSet;

/// The benchmark's generated values (tests check the fast reader answers for them).
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../benches/generated/mod.rs"]
mod generated;

/// The documents of `text`, or `None` if the text is not in the subset this reader knows.
pub(super) fn parse(text: &str) -> Option<Vec<Document>> {
    // Printable ASCII and `\n` only: no tabs, `\r`, control characters or Unicode line
    // breaks to reason about, and a column is a byte count.
    // (Checked a block at a time without stopping early, so that the compiler vectorizes it.)
    let printable = |ok: bool, &b: &u8| ok & ((b' '..=b'~').contains(&b) | (b == b'\n'));
    if !text.as_bytes().chunks(64).all(|chunk| chunk.iter().fold(true, printable)) {
        return None;
    }
    let reader = Reader {
        text,
        b: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        last_end: 0,
        nodes: 0,
        depth: 0,
        hasher: RandomState::new(),
        eol: None,
        entries: Vec::new(),
        items: Vec::new(),
    };
    reader.documents()
}

/// Longest key read here (from its start to its `:`); the full parser refuses implicit keys
/// longer than 1024 characters.
const MAX_KEY: usize = 1000;

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    /// Read position; at a line start between lines.
    pos: usize,
    /// 1-based line of `pos`, and where that line starts.
    line: usize,
    line_start: usize,
    /// The furthest end of any node so far: a collection ends there (as the full parser's do).
    last_end: usize,
    /// Scalars read, keys included (the full parser's count for [`MAX_NODES`]).
    nodes: usize,
    /// Collections open.
    depth: usize,
    hasher: RandomState,
    /// The end of the line a quoted scalar was last read on, as (line, end).
    eol: Option<(usize, usize)>,
    /// Entries and items of the open maps and lists, innermost last: a collection's own are
    /// moved into a vector of the right size when it closes (no regrowing, no spare capacity).
    entries: Vec<(Key, Span, Node)>,
    items: Vec<Node>,
}

impl Reader<'_> {
    fn documents(mut self) -> Option<Vec<Document>> {
        let mut docs = Vec::new();
        // After `---`, a document must follow; after a document, only `---` or the end.
        let mut after_marker = false;
        while let Some((indent, at)) = self.next_content_line() {
            if indent == 0 && self.at_boundary(at) {
                if !self.b[at..].starts_with(b"---") || after_marker {
                    return None;
                }
                self.finish_line(at + 3)?;
                after_marker = true;
                continue;
            }
            if !docs.is_empty() && !after_marker {
                return None;
            }
            let root = self.block_node(at)?;
            if matches!(root.kind, NodeKind::Scalar(_)) {
                return None;
            }
            docs.push(Document { index: docs.len(), root: Some(root) });
            after_marker = false;
        }
        // Empty documents and empty streams are left to the full parser.
        (!after_marker && !docs.is_empty()).then_some(docs)
    }

    fn span(&self, at: usize) -> Span {
        Span::new(at, at, self.line, at - self.line_start + 1)
    }

    /// Where a quoted scalar on the current line ends, as the full parser's spans have it: at
    /// the end of the line. Remembered, so that a long line of them stays linear.
    fn quoted_end(&mut self) -> usize {
        match self.eol {
            Some((line, end)) if line == self.line => end,
            _ => {
                let end = self.line_end(self.line_start);
                self.eol = Some((self.line, end));
                end
            }
        }
    }

    fn line_end(&self, from: usize) -> usize {
        self.b[from..].iter().position(|&c| c == b'\n').map_or(self.b.len(), |i| from + i)
    }

    /// Moves to the start of the next line (or the end of the text).
    fn next_line(&mut self, from: usize) {
        let end = self.line_end(from);
        if end < self.b.len() {
            self.pos = end + 1;
            self.line += 1;
            self.line_start = self.pos;
        } else {
            self.pos = self.b.len();
        }
    }

    /// Skips blank and comment lines; the indentation and position of the next line with content.
    fn next_content_line(&mut self) -> Option<(usize, usize)> {
        while self.pos < self.b.len() {
            let start = self.pos;
            let at = start + self.b[start..].iter().position(|&c| c != b' ').unwrap_or(self.b.len() - start);
            match self.b.get(at) {
                None => self.pos = self.b.len(),
                Some(b'\n' | b'#') => self.next_line(at),
                Some(_) => return Some((at - start, at)),
            }
        }
        None
    }

    /// `---` or `...` at the start of a line: a document boundary.
    fn at_boundary(&self, at: usize) -> bool {
        let rest = &self.b[at..];
        (rest.starts_with(b"---") || rest.starts_with(b"...")) && matches!(rest.get(3), None | Some(b' ' | b'\n'))
    }

    /// After a line's content: only spaces and a comment may follow. Moves to the next line.
    fn finish_line(&mut self, from: usize) -> Option<()> {
        let at = from + self.b[from..].iter().position(|&c| c != b' ').unwrap_or(self.b.len() - from);
        match self.b.get(at) {
            None | Some(b'\n') => {}
            // A comment needs a space before it (`a#b` is text, `"a"#b` an error).
            Some(b'#') if at > 0 && self.b[at - 1] == b' ' => {}
            Some(_) => return None,
        }
        self.next_line(at);
        Some(())
    }

    fn count_scalar(&mut self, end: usize) -> Option<()> {
        self.nodes += 1;
        self.last_end = self.last_end.max(end);
        (self.nodes <= MAX_NODES).then_some(())
    }

    fn open(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn close(&mut self, kind: NodeKind, start: Span) -> Node {
        self.depth -= 1;
        let end = self.last_end.max(start.start as usize);
        self.last_end = end;
        Node { kind, span: start.with_end(end) }
    }

    fn is_seq_entry(&self, at: usize) -> bool {
        self.b[at] == b'-' && matches!(self.b.get(at + 1), None | Some(b' ' | b'\n'))
    }

    /// A node in block context whose first line's content starts at `at`. (A scalar's next
    /// lines must not be indented past the enclosing block's column, where they would continue
    /// it: the callers' loops check that.)
    fn block_node(&mut self, at: usize) -> Option<Node> {
        if self.is_seq_entry(at) {
            self.block_seq(at, false)
        } else if self.block_key_end(at).is_some() {
            self.block_map(at)
        } else {
            self.inline_value(at)
        }
    }

    /// A block list whose first `-` is at `at`; `indentless` if it is a map value at the key's
    /// own indentation.
    fn block_seq(&mut self, mut at: usize, indentless: bool) -> Option<Node> {
        self.open()?;
        let mut span = self.span(at);
        let column = at - self.line_start;
        let first = self.items.len();
        loop {
            let content = at + 1 + self.b[at + 1..].iter().position(|&c| c != b' ').unwrap_or(self.b.len() - at - 1);
            if indentless && self.items.len() == first {
                // The full parser starts an indentless list at its first item, not at the `-`.
                if matches!(self.b.get(content), None | Some(b'\n' | b'#')) {
                    return None;
                }
                span = self.span(content);
            }
            let item = match self.b.get(content) {
                None | Some(b'\n' | b'#') => {
                    self.finish_line(at + 1)?;
                    match self.next_content_line() {
                        Some((indent, next)) if indent > column => self.block_node(next)?,
                        _ => return None,
                    }
                }
                Some(b'|') => self.literal_block(content, column)?,
                Some(_) => self.block_node(content)?,
            };
            self.items.push(item);
            match self.next_content_line() {
                Some((indent, next)) if indent == column && !self.at_boundary(next) && self.is_seq_entry(next) => {
                    at = next
                }
                // Deeper lines would continue the last item; a line at this column that is not
                // an item ends an indentless list (the enclosing map's next key).
                Some((indent, _)) if indent > column => return None,
                _ => break,
            }
        }
        let items = self.items.drain(first..).collect();
        Some(self.close(NodeKind::Seq(items), span))
    }

    /// A block map whose first key starts at `at`.
    fn block_map(&mut self, mut at: usize) -> Option<Node> {
        self.open()?;
        let column = at - self.line_start;
        let mut span = None;
        let first = self.entries.len();
        let mut hashes: Option<HashSet<u64>> = None;
        loop {
            let (key, key_span, after) = self.block_key(at)?;
            if is_duplicate(&self.entries[first..], &mut hashes, &self.hasher, &key) {
                return None;
            }
            // The full parser's map starts at its first key.
            span.get_or_insert(key_span);
            let content = after + self.b[after..].iter().position(|&c| c != b' ').unwrap_or(self.b.len() - after);
            let value = match self.b.get(content) {
                None | Some(b'\n') => self.nested_value(after, column)?,
                Some(b'#') if content > after => self.nested_value(after, column)?,
                Some(b'|') if content > after => self.literal_block(content, column)?,
                Some(_) if content > after => self.inline_value(content)?,
                // `block_key` ends keys only at `: `, `:\n` or the end, so this is not reached;
                // declining (the full parser reads the text) is the safe answer if it ever is.
                Some(_) => return None,
            };
            self.entries.push((key, key_span, value));
            match self.next_content_line() {
                Some((indent, next)) if indent == column && !self.at_boundary(next) => at = next,
                Some((indent, _)) if indent > column => return None,
                _ => break,
            }
        }
        let span = span?;
        let entries = self.entries.drain(first..).collect();
        Some(self.close(NodeKind::Map(entries), span))
    }

    /// The value of a block key with nothing after its `:`: a block on the next lines, more
    /// indented, or a list at the key's own indentation.
    fn nested_value(&mut self, after: usize, column: usize) -> Option<Node> {
        self.finish_line(after)?;
        match self.next_content_line() {
            Some((indent, next)) if indent > column && !self.at_boundary(next) => self.block_node(next),
            Some((indent, next)) if indent == column && self.is_seq_entry(next) => self.block_seq(next, true),
            // An empty value: left to the full parser.
            _ => None,
        }
    }

    /// Where the `:` of a block key starting at `at` is, if the line is `key: ...`.
    fn block_key_end(&self, at: usize) -> Option<usize> {
        match self.b[at] {
            b'"' | b'\'' => {
                let (_, close) = self.quoted(at)?;
                let colon = close + self.b[close..].iter().position(|&c| c != b' ')?;
                (self.b[colon] == b':'
                    && matches!(self.b.get(colon + 1), None | Some(b' ' | b'\n'))
                    && colon - at <= MAX_KEY)
                    .then_some(colon)
            }
            c if is_indicator(c) => None,
            _ => {
                for i in at..self.b.len() {
                    match self.b[i] {
                        b'\n' => return None,
                        b':' if matches!(self.b.get(i + 1), None | Some(b' ' | b'\n')) => {
                            return (i - at <= MAX_KEY).then_some(i)
                        }
                        b'#' if self.b[i - 1] == b' ' => return None,
                        b'[' | b']' | b'{' | b'}' | b',' | b'"' | b'\'' => return None,
                        _ => {}
                    }
                }
                None
            }
        }
    }

    /// A block key: its name, span, and the position after its `:`.
    fn block_key(&mut self, at: usize) -> Option<(Key, Span, usize)> {
        let colon = self.block_key_end(at)?;
        let (key, span) = if matches!(self.b[at], b'"' | b'\'') {
            let (value, _) = self.quoted(at)?;
            (Key::from(value), self.span(at).with_end(self.quoted_end()))
        } else {
            let text = self.text[at..colon].trim_end_matches(' ');
            let key = known_key(text).unwrap_or_else(|| key_name(plain(text)));
            (key, self.span(at).with_end(at + text.len()))
        };
        self.count_scalar(span.end as usize)?;
        Some((key, span, colon + 1))
    }

    /// A value that starts and ends on this line (a scalar or a flow collection); moves to the
    /// next line.
    fn inline_value(&mut self, at: usize) -> Option<Node> {
        let (node, after) = match self.b[at] {
            b'{' | b'[' | b'"' | b'\'' => self.flow_node(at)?,
            b'-' if !matches!(self.b.get(at + 1), None | Some(b' ' | b'\n')) => self.block_plain(at)?,
            c if is_indicator(c) => return None,
            _ => self.block_plain(at)?,
        };
        self.finish_line(after)?;
        Some(node)
    }

    /// A literal block scalar (`|` or `|-`) whose indicator is at `at`, in a block map or list
    /// at column `parent`: the following lines indented past it, as written. Declined: keep
    /// chomping (`|+`), indentation indicators, empty scalars, whitespace-only lines deeper than
    /// the content, and a text that ends inside the scalar without a line break.
    fn literal_block(&mut self, at: usize, parent: usize) -> Option<Node> {
        let strip = self.b.get(at + 1) == Some(&b'-');
        let header_end = at + 1 + usize::from(strip);
        if !matches!(self.b.get(header_end), None | Some(b' ' | b'\n')) {
            return None;
        }
        self.finish_line(header_end)?;
        // The full parser's span of a block scalar: its first content line.
        let mut span = None;
        let mut value = String::new();
        let mut indent = None;
        // Line breaks since the last content line (or the header), not yet written.
        let mut breaks = 0usize;
        let mut leading_spaces = 0;
        while self.pos < self.b.len() {
            let start = self.pos;
            let end = self.line_end(start);
            let spaces = self.b[start..end].iter().position(|&c| c != b' ').unwrap_or(end - start);
            let blank = start + spaces == end;
            let content_indent = match indent {
                Some(indent) => indent,
                None if blank => {
                    leading_spaces = leading_spaces.max(spaces);
                    breaks += 1;
                    self.next_line(start);
                    continue;
                }
                None if spaces > parent && spaces >= leading_spaces => {
                    span = Some(self.span(start + spaces).with_end(end));
                    *indent.insert(spaces)
                }
                None => return None,
            };
            if blank && spaces > content_indent {
                return None;
            }
            if blank {
                breaks += 1;
            } else if spaces < content_indent {
                break;
            } else {
                value.extend(std::iter::repeat_n('\n', breaks));
                value.push_str(&self.text[start + content_indent..end]);
                breaks = 0;
            }
            if end == self.b.len() {
                // No line break after the last line: left to the full parser.
                return None;
            }
            breaks += usize::from(!blank);
            self.next_line(start);
        }
        let span = span?;
        if !strip {
            value.push('\n');
        }
        self.count_scalar(span.end as usize)?;
        Some(Node { kind: NodeKind::Scalar(Scalar::Str(value)), span })
    }

    /// A plain scalar in block context, to the end of its line or a comment.
    fn block_plain(&mut self, at: usize) -> Option<(Node, usize)> {
        let mut end = at;
        while end < self.b.len() {
            match self.b[end] {
                b'\n' => break,
                b':' if matches!(self.b.get(end + 1), None | Some(b' ' | b'\n')) => return None,
                b'#' if self.b[end - 1] == b' ' => break,
                _ => end += 1,
            }
        }
        let text = self.text[at..end].trim_end_matches(' ');
        let span = self.span(at).with_end(at + text.len());
        self.count_scalar(span.end as usize)?;
        Some((Node { kind: NodeKind::Scalar(plain(text)), span }, end))
    }

    /// A quoted scalar on one line: its value and the position after the closing quote.
    fn quoted(&self, at: usize) -> Option<(String, usize)> {
        let quote = self.b[at];
        let mut value = String::new();
        let mut from = at + 1;
        loop {
            let close = from + self.b[from..].iter().position(|&c| c == quote || c == b'\n' || c == b'\\')?;
            match self.b[close] {
                b'\\' if quote == b'"' => return None,
                b'\n' => return None,
                _ => {}
            }
            if self.b[close] == b'\\' {
                // A backslash is an ordinary character between single quotes.
                value.push_str(&self.text[from..=close]);
                from = close + 1;
                continue;
            }
            value.push_str(&self.text[from..close]);
            if quote == b'\'' && self.b.get(close + 1) == Some(&b'\'') {
                value.push('\'');
                from = close + 2;
                continue;
            }
            return Some((value, close + 1));
        }
    }

    /// A node in a flow collection (or a one-line value): the node and the position after it.
    fn flow_node(&mut self, at: usize) -> Option<(Node, usize)> {
        match *self.b.get(at)? {
            b'{' => self.flow_map(at),
            b'[' => self.flow_seq(at),
            b'"' | b'\'' => {
                let (value, after) = self.quoted(at)?;
                let span = self.span(at).with_end(self.quoted_end());
                self.count_scalar(span.end as usize)?;
                Some((Node { kind: NodeKind::Scalar(Scalar::Str(value)), span }, after))
            }
            c if is_indicator(c) => None,
            _ => {
                let (end, after) = self.flow_plain(at)?;
                let span = self.span(at).with_end(end);
                self.count_scalar(end)?;
                Some((Node { kind: NodeKind::Scalar(plain(&self.text[at..end])), span }, after))
            }
        }
    }

    /// A plain scalar inside a flow collection, up to `,`, a bracket, or `: `: where its text
    /// ends (trailing spaces are not part of it) and where the reader goes on.
    fn flow_plain(&self, at: usize) -> Option<(usize, usize)> {
        let mut end = at;
        loop {
            match self.b.get(end)? {
                b',' | b'[' | b']' | b'{' | b'}' => break,
                b':' if self.b.get(end + 1) == Some(&b' ') => break,
                b':' | b'#' | b'\n' | b'"' | b'\'' => return None,
                _ => end += 1,
            }
        }
        let text = self.text[at..end].trim_end_matches(' ');
        (!text.is_empty()).then_some((at + text.len(), end))
    }

    fn skip_spaces(&self, from: usize) -> usize {
        from + self.b[from..].iter().position(|&c| c != b' ').unwrap_or(self.b.len() - from)
    }

    /// `{key: value, ...}` on one line.
    fn flow_map(&mut self, at: usize) -> Option<(Node, usize)> {
        self.open()?;
        let span = self.span(at);
        let first = self.entries.len();
        let mut hashes: Option<HashSet<u64>> = None;
        let mut i = self.skip_spaces(at + 1);
        if self.b.get(i) != Some(&b'}') {
            loop {
                let (key, after) = match self.b.get(i)? {
                    b'{' | b'[' => return None,
                    _ => self.flow_node(i)?,
                };
                let key_span = key.span;
                let NodeKind::Scalar(key) = key.kind else { return None };
                let key = key_name(key);
                if is_duplicate(&self.entries[first..], &mut hashes, &self.hasher, &key) {
                    return None;
                }
                let colon = self.skip_spaces(after);
                if self.b.get(colon) != Some(&b':') || self.b.get(colon + 1) != Some(&b' ') || colon - i > MAX_KEY {
                    return None;
                }
                let (value, after) = self.flow_node(self.skip_spaces(colon + 1))?;
                self.entries.push((key, key_span, value));
                i = self.skip_spaces(after);
                match self.b.get(i)? {
                    b',' => i = self.skip_spaces(i + 1),
                    b'}' => break,
                    _ => return None,
                }
                if self.b.get(i) == Some(&b'}') {
                    return None;
                }
            }
        }
        let entries = self.entries.drain(first..).collect();
        Some((self.close(NodeKind::Map(entries), span), i + 1))
    }

    /// `[item, ...]` on one line.
    fn flow_seq(&mut self, at: usize) -> Option<(Node, usize)> {
        self.open()?;
        let span = self.span(at);
        let first = self.items.len();
        let mut i = self.skip_spaces(at + 1);
        if self.b.get(i) != Some(&b']') {
            loop {
                let (item, after) = self.flow_node(i)?;
                self.items.push(item);
                i = self.skip_spaces(after);
                match self.b.get(i)? {
                    b',' => i = self.skip_spaces(i + 1),
                    b']' => break,
                    _ => return None,
                }
                if self.b.get(i) == Some(&b']') {
                    return None;
                }
            }
        }
        let items = self.items.drain(first..).collect();
        Some((self.close(NodeKind::Seq(items), span), i + 1))
    }
}

/// A plain scalar's value; the text is copied only if it is a string.
fn plain(text: &str) -> Scalar {
    resolve_plain_text(text).unwrap_or_else(|| Scalar::Str(text.to_string()))
}

/// Characters that give a scalar's first character a meaning other than text.
fn is_indicator(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Whether the fast reader answered; if it did, the full parser must give the same documents.
    fn agrees(text: &str) -> bool {
        super::super::check_quick_readers(text, false).unwrap_or_else(|disagreement| panic!("{disagreement}"))
    }

    #[test]
    fn presets_golden_renders_and_the_benchmark_shape_take_the_fast_path() {
        let mut texts: Vec<String> = crate::presets::PRESETS.iter().map(|p| p.yaml.to_string()).collect();
        texts.extend(
            [include_str!("../../tests/golden/demo.yaml"), include_str!("../../tests/golden/todo-chatbot.yaml")]
                .map(String::from),
        );
        for preset in crate::presets::PRESETS {
            let input = crate::ValuesInput { preset: Some(preset.name.into()), ..Default::default() };
            texts.push(crate::analyze_values(&input, None, crate::Profile::Minikube).yaml().to_string());
        }
        // The benchmark's own generator, so this stays the shape the benchmark measures.
        texts.push(super::generated::generated_values(3));
        for text in &texts {
            assert!(agrees(text), "the fast reader declined:\n{text}");
        }
    }

    /// Each case either is read exactly as the full parser reads it, or declined.
    #[test]
    fn edge_cases_agree_or_are_declined() {
        let read = [
            "a: 1\n",
            "a: 1",
            "a: 1\nb:\n  c: [x, \"y\"]\n",
            "a:\n- x\n- y\nb: 2\n",
            "- a: 1\n  b: 2\n- c\n",
            "- - x\n  - y\n- z\n",
            "a: {}\nb: []\nc: {x: {}, y: []}\n",
            "'a': 'it''s'\n\"b\": \"x\"\n",
            "a: b # comment\n# c\nc: d\n",
            "---\na: 1\n---\nb: 2\n",
            "# head\n---\na: 1\n",
            "a: yes\nb: 010\nc: 1_000\nd: ~\ne: .5\nf: -1\ng: 1e3\nh: off\ni: 0x1f\nj: .inf\nk: .nan\n",
            "yes: 1\n1: 2\n~: 3\n1.5: 4\n",
            "a: http://x:80/y?z=1#frag\n",
            "a: x,y[z]{w}\n",
            "a : 1\n",
            "  a: 1\n  b: 2\n",
            "a:\n  # comment\n  b: 1\n",
            "a: 'back\\slash'\n",
            "a: [1, 'two', \"three\", {b: c}]\n",
            "a: {b: 'x', c: 1}\n",
            "a:\n  - b:\n    - c\n    d: 1\n",
            "-\n  a: 1\n",
            "a: # c\n  b: 1\n",
            "a:   \n  b: 1\n",
            "[a, b]\n",
            "a: |\n  text\n",
            "a: |-\n  x\n\n   y\n  # z\nb: 1\n",
            "a: | # c\n\n  x\n\n\nb: |\n  y\n",
            "- |\n  x\n- |-\n   y\n",
            "a:\n- |\n  x\n  y\nb: 2\n",
            "a:\n  b: |\n    #!/bin/sh\n    echo \"$X\" # not a comment\n  c: d\n",
            "a: |\n  x\n---\nb: 1\n",
        ];
        let declined = [
            "",
            "# only a comment\n",
            "---\n",
            "a: 1\n---\n",
            "a:\n",
            "a: 1\na: 2\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: b\n  c\n",
            "a: \"x\\ny\"\n",
            "a: 'x\n  y'\n",
            "a: b: c\n",
            "a:\tb\n",
            "a: 1\r\nb: 2\r\n",
            "a: caf\u{e9}\n",
            "a: {b: 1,\n  c: 2}\n",
            "? a\n: b\n",
            "a: [b: c]\n",
            "a: {b}\n",
            "a: [1, 2,]\n",
            "a: 1\n...\n",
            "a: |+\n  x\n\n",
            "a: |2\n  x\n",
            "a: |\nb: 1\n",
            "a: |\n  x",
            "a: |\n    \n  x\n",
            "a: >\n  x\n",
            "- a\nb: 1\n",
            "a:\n  b: 1\n c: 2\n",
            "a\n",
        ];
        // Either way, as long as they agree.
        for text in [
            "--- # c\na: 1\n",
            "a: 1 #c\n",
            "a: [ 1 , 2 ]\n",
            "a: { b : 1 }\n",
            "a: {b: 1}  # c\n",
            "- [a, b]\n- {c: d}\n",
            "a:\n  -   b\n  -  c: 1\n     d: 2\n",
            "a: 'x' \nb: \"y\"  \n",
            "'a' : 1\n",
            "a: ''\n",
            "0: x\n-0: y\n",
            "a: x:y\n",
            "a: -\n",
            "a: ---\n",
            "- ---\n",
            "---\n- a\n---\n- b\n",
        ] {
            agrees(text);
        }
        for length in [990, 1000, 1030, 1100] {
            let key = "k".repeat(length);
            for text in [format!("{key}: 1\n"), format!("'{key}': 1\n"), format!("a: {{{key}: 1}}\n")] {
                agrees(&text);
            }
        }
        for text in read {
            assert!(agrees(text), "the fast reader declined:\n{text}");
        }
        for text in declined {
            assert!(!agrees(text), "the fast reader read what it should leave to the full parser:\n{text}");
        }
    }

    /// Lines put together at random from pieces of YAML, good and bad: wherever the fast reader
    /// answers, the full parser agrees.
    fn line() -> impl Strategy<Value = String> {
        let indent = prop::sample::select(vec!["", "", " ", "  ", "  ", "    ", "      "]);
        let prefix = prop::sample::select(vec!["", "", "", "- ", "- ", "- - ", "-"]);
        let content = prop::sample::select(vec![
            "a: 1",
            "b:",
            "c: x",
            "a: 2",
            "d: yes",
            "e: [x, y]",
            "f: {g: 1, h: [2]}",
            "i: \"q\"",
            "'j': 'k''l'",
            "m: n # c",
            "# comment",
            "",
            "o: http://p:80",
            "q",
            "r: s: t",
            "u : v",
            "w: {}",
            "x: []",
            "---",
            "...",
            "y: &a 1",
            "z: *a",
            "aa: |",
            "ab: -3",
            "ac: 1_0",
            "ad: ~",
            "ae: x,y",
            "af: \"b\\\"c\"",
            "ag: [a, {b: c}]",
            "ah: {i: }",
            "aj: [1,2]",
            "ak: 'x",
            "al: \"\"",
            "am: x #",
            "an: 0o17",
            "ao: +.5",
            "ap:  b  ",
            "? aq",
            ": ar",
            "as:x",
            "at: [",
            "au: }",
            "{av: 1}",
            "[aw]",
            "ax: ''",
            "yes: no",
        ]);
        (indent, prefix, content).prop_map(|(i, p, c)| format!("{i}{p}{c}"))
    }

    /// A small deterministic generator of block YAML in (and, after mutation, around) the
    /// subset the fast reader knows, so that most cases are read by both readers.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.next(from.len())]
        }
        fn scalar(&mut self, key: bool) -> String {
            // Mostly text the fast reader reads, sometimes text it must decline.
            let text = if self.next(8) > 0 {
                self.pick(&[
                    "a", "b", "name", "yes", "010", "1_000", "-1", "1e3", ".5", "1.0.0", "~", "x y", "k8s.io/n",
                ])
            } else {
                self.pick(&[
                    "a",
                    "b",
                    "name",
                    "yes",
                    "No",
                    "on",
                    "010",
                    "0x1F",
                    "1_000",
                    "-1",
                    "+2",
                    "1e3",
                    ".5",
                    "1.0.0",
                    "~",
                    "null",
                    "true",
                    "x y",
                    "http://h:80/p",
                    "a,b",
                    "x#y",
                    "-x",
                    "a:b",
                    ".inf",
                    ".nan",
                    "0o7",
                    "09",
                    "it's",
                    "say \"hi\"",
                    "back\\slash",
                    "",
                    " padded ",
                    "k8s.io/name",
                    "<<",
                    "8000.0",
                    "1e400",
                ])
            };
            match (self.next(4), key) {
                (0, _) => format!("'{}'", text.replace('\'', "''")),
                (1, _) => format!("\"{text}\""),
                _ => text.to_string(),
            }
        }
        fn flow(&mut self, depth: usize) -> String {
            let n = self.next(4);
            let map = self.next(2) == 0;
            let items: Vec<String> = (0..n)
                .map(|i| {
                    let value = if depth < 3 && self.next(4) == 0 { self.flow(depth + 1) } else { self.scalar(false) };
                    if map {
                        format!("k{i}: {value}")
                    } else {
                        value
                    }
                })
                .collect();
            if map {
                format!("{{{}}}", items.join(", "))
            } else {
                format!("[{}]", items.join(", "))
            }
        }
        fn inline(&mut self, depth: usize) -> String {
            let value = if self.next(3) == 0 { self.flow(depth) } else { self.scalar(false) };
            if self.next(6) == 0 {
                format!("{value} # note")
            } else {
                value
            }
        }
        /// Lines (indentation, text) of a block map or list at `indent`.
        fn block(&mut self, indent: usize, depth: usize, seq: bool) -> Vec<(usize, String)> {
            let mut lines = Vec::new();
            let entries = 1 + self.next(4);
            for i in 0..entries {
                if self.next(8) == 0 {
                    lines.push((self.next(6), "# comment".to_string()));
                }
                if seq {
                    match self.next(if depth < 4 { 4 } else { 1 }) {
                        0 => lines.push((indent, format!("- {}", self.inline(depth)))),
                        1 => {
                            let seq = self.next(3) == 0;
                            let mut inner = self.block(indent + 2, depth + 1, seq);
                            inner[0] = (indent, format!("- {}", inner[0].1));
                            lines.extend(inner);
                        }
                        _ => {
                            lines.push((indent, "-".to_string()));
                            let (step, seq) = (1 + self.next(3), self.next(3) == 0);
                            lines.extend(self.block(indent + step, depth + 1, seq));
                        }
                    }
                } else {
                    let key = if self.next(5) == 0 { self.scalar(true) } else { format!("k{i}") };
                    match self.next(if depth < 4 { 4 } else { 1 }) {
                        0 => lines.push((indent, format!("{key}: {}", self.inline(depth)))),
                        1 => {
                            lines.push((indent, format!("{key}:")));
                            let (step, seq) = (1 + self.next(3), self.next(3) == 0);
                            lines.extend(self.block(indent + step, depth + 1, seq));
                        }
                        2 => {
                            // An indentless list.
                            lines.push((indent, format!("{key}:")));
                            lines.extend(self.block(indent, depth + 1, true));
                        }
                        _ => lines.push((indent, format!("{key}: {}", self.inline(depth)))),
                    }
                }
            }
            lines
        }
        /// A block scalar in a map or a list, among other keys: text, blank lines, lines deeper
        /// than the first and lines that look like comments or keys, under a header the fast
        /// reader mostly knows.
        fn literal(&mut self) -> String {
            let indent = self.next(3);
            let (at, lead) = if self.next(2) == 0 { (indent, "k: ") } else { (indent + 2, "- ") };
            let header = self.pick(&["|", "|", "|", "|-", "|-", "| # c", "|+", "|2", ">"]);
            let mut text = format!("{}{lead}{header}\n", " ".repeat(indent));
            let base = at + 1 + self.next(3);
            for _ in 0..1 + self.next(5) {
                let line =
                    self.pick(&["x", "echo \"$A\" # not a comment", "k: v", "- item", "", "", "  deeper", "#!/bin/sh"]);
                let spaces = if line.is_empty() { self.next(base + 2) } else { base };
                text.push_str(&format!("{}{line}\n", " ".repeat(spaces)));
            }
            if self.next(3) > 0 {
                text.push_str(&format!("{}{}\n", " ".repeat(indent), if lead == "k: " { "z: 1" } else { "- z" }));
            }
            text
        }
        fn text(&mut self) -> String {
            let mut text = String::new();
            for doc in 0..1 + self.next(2) {
                if doc > 0 || self.next(4) == 0 {
                    text.push_str("---\n");
                }
                let seq = self.next(3) == 0;
                for (indent, line) in self.block(0, 0, seq) {
                    text.push_str(&" ".repeat(indent));
                    text.push_str(&line);
                    text.push('\n');
                }
            }
            // Now and then a mutation, so that near-misses of the subset are tried too.
            for _ in 0..self.next(4).saturating_sub(2) {
                if text.is_empty() {
                    break;
                }
                let mut at = self.next(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match self.next(3) {
                    0 => {
                        text.remove(at);
                    }
                    _ => text.insert_str(
                        at,
                        self.pick(&[
                            ":", "-", "#", "'", "\"", "{", "}", "[", "]", ",", " ", "\n", "\t", "&a ", "*a", "!", "|",
                            "? ", "  ",
                        ]),
                    ),
                }
            }
            text
        }
    }

    /// The agreement tests below mean something only if the fast reader answers for a good part
    /// of what the generator writes (declining everything would pass them). It answers for
    /// about a quarter (the generator also writes what the fast reader leaves to yaml-rust2).
    #[test]
    fn the_fast_reader_answers_for_a_good_part_of_generated_yaml() {
        let answered = (1..=400u64).filter(|&seed| agrees(&Gen(seed).text())).count();
        assert!(answered >= 80, "the fast reader answered for only {answered} of 400 generated texts");
    }

    /// Likewise for block scalars: the fast reader answers for about half of them (the rest have
    /// headers or lines it declines), and agrees.
    #[test]
    fn the_fast_reader_answers_for_half_the_generated_block_scalars() {
        let answered = (1..=400u64).filter(|&seed| agrees(&Gen(seed).literal())).count();
        assert!(answered >= 180, "the fast reader answered for only {answered} of 400 block scalars");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        #[test]
        fn generated_block_scalars_agree_or_are_declined(seed in 1u64..) {
            agrees(&Gen(seed).literal());
        }

        #[test]
        fn generated_yaml_agrees_or_is_declined(seed in 1u64..) {
            let text = Gen(seed).text();
            agrees(&text);
        }

        #[test]
        fn random_yaml_agrees_or_is_declined(lines in prop::collection::vec(line(), 1..12), newline_at_end: bool) {
            let mut text = lines.join("\n");
            if newline_at_end {
                text.push('\n');
            }
            agrees(&text);
        }
    }
}
