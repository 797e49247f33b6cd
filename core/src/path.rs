//! Field paths (`components.todo-backend.ports[0].name`): how values and manifest fields are named
//! in diagnostics, span indexes and the `--set` syntax.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

impl From<&str> for Segment {
    fn from(key: &str) -> Self {
        Segment::Key(key.to_string())
    }
}

impl From<&String> for Segment {
    fn from(key: &String) -> Self {
        Segment::Key(key.clone())
    }
}

impl From<String> for Segment {
    fn from(key: String) -> Self {
        Segment::Key(key)
    }
}

impl From<usize> for Segment {
    fn from(index: usize) -> Self {
        Segment::Index(index)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Segment>);

/// A path from its segments, keys (`&str`, `&String`) and list indexes (`usize`) alike:
/// `field_path!("components", name, "ports", i)`. Cheaper than formatting text and parsing it
/// back, so rules can build a path where they report instead of ahead of time.
macro_rules! field_path {
    ($($segment:expr),* $(,)?) => {
        $crate::path::FieldPath(vec![$($crate::path::Segment::from($segment)),*])
    };
}
pub(crate) use field_path;

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }
    pub fn child(&self, segment: Segment) -> Self {
        let mut next = self.clone();
        next.0.push(segment);
        next
    }
    pub fn key(&self, key: &str) -> Self {
        self.child(Segment::Key(key.to_string()))
    }
    pub fn index(&self, index: usize) -> Self {
        self.child(Segment::Index(index))
    }
    /// This path followed by `rest`.
    pub fn join(&self, rest: &FieldPath) -> Self {
        let mut path = FieldPath(Vec::with_capacity(self.0.len() + rest.0.len()));
        path.0.extend_from_slice(&self.0);
        path.0.extend_from_slice(&rest.0);
        path
    }
    pub fn pop(&mut self) -> bool {
        self.0.pop().is_some()
    }
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
    pub fn starts_with(&self, prefix: &FieldPath) -> bool {
        self.0.starts_with(&prefix.0)
    }
    /// Parse the display form back (`a.b[0]`, `a["x.y"]`). For tests and provenance tables.
    pub fn parse(text: &str) -> Self {
        let mut path = FieldPath::root();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("[\"") {
                // A quoted key ends at an unescaped `"]`; `\"` and `\\` stand for `"` and `\`.
                let mut key = String::new();
                let mut chars = r.char_indices();
                let mut end = r.len();
                while let Some((at, c)) = chars.next() {
                    match c {
                        '\\' => key.extend(chars.next().map(|(_, escaped)| escaped)),
                        '"' if r[at + 1..].starts_with(']') => {
                            end = at;
                            break;
                        }
                        c => key.push(c),
                    }
                }
                path.0.push(Segment::Key(key));
                rest = r.get(end + 2..).unwrap_or("");
            } else if let Some(r) = rest.strip_prefix('[') {
                let end = r.find(']').unwrap_or(r.len());
                match r[..end].parse() {
                    Ok(i) => path.0.push(Segment::Index(i)),
                    Err(_) => path.0.push(Segment::Key(r[..end].to_string())),
                }
                rest = r.get(end + 1..).unwrap_or("");
            } else {
                let r = rest.strip_prefix('.').unwrap_or(rest);
                let end = r.find(['.', '[']).unwrap_or(r.len());
                path.0.push(Segment::Key(r[..end].to_string()));
                rest = &r[end..];
            }
        }
        path
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pieces written as they are, not through `write!`: diagnostics print many paths.
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(k) if k.contains(['.', '[', ']', '"']) || k.is_empty() => {
                    f.write_str("[\"")?;
                    // `"` and `\` escaped, so that `parse` reads the key back whole.
                    let mut clean_from = 0;
                    for (at, c) in k.char_indices().filter(|(_, c)| matches!(c, '"' | '\\')) {
                        f.write_str(&k[clean_from..at])?;
                        f.write_str(if c == '"' { "\\\"" } else { "\\\\" })?;
                        clean_from = at + 1;
                    }
                    f.write_str(&k[clean_from..])?;
                    f.write_str("\"]")?;
                }
                Segment::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_with_quotes_backslashes_and_dots_print_and_parse_back_whole() {
        for key in ["a\"b", "a\\b", "x.y", "\"]", "end\\", "", "plain", "a\\\"]b.c[0]"] {
            let path = FieldPath(vec![Segment::Key("top".into()), Segment::Key(key.into()), Segment::Index(2)]);
            assert_eq!(FieldPath::parse(&path.to_string()), path, "{key:?} printed as {path}");
        }
        assert_eq!(FieldPath(vec![Segment::Key("a\"b".into())]).to_string(), "[\"a\\\"b\"]");
    }

    #[test]
    fn display_and_parse_round_trip() {
        for text in ["a", "a.b[0].c", "config[\"app.properties\"]", "components.todo-backend.ports[1]"] {
            assert_eq!(FieldPath::parse(text).to_string(), text);
        }
    }
}
