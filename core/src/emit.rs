//! JSON values out as block YAML that means the same to every reader: YAML 1.2 (serde_yaml,
//! yaml-rust2) and YAML 1.1 (kubectl, Helm: go-yaml v2, where `yes`, `on`, `y` and `1_000`
//! are not strings). A string is written plain only when no reader could take it for anything
//! else; otherwise it is double-quoted.

use serde_json::Value;
use std::fmt::Write;

/// One YAML document (no `---`), ending in a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        scalar => {
            out.push_str(&scalar_text(scalar, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        // The first key of a map inside a sequence item follows the `- ` on its line.
        if i > 0 || level == 0 || !out.ends_with("- ") {
            indent(out, level);
        }
        push_string(out, key);
        out.push(':');
        write_value_after_key(out, value, level);
    }
}

fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, level + 2);
        }
        // kubectl's style: a list under a key is not indented further.
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, level);
        }
        Value::String(text) if !text.contains('\n') => {
            out.push(' ');
            push_string(out, text);
            out.push('\n');
        }
        scalar => {
            out.push(' ');
            out.push_str(&scalar_text(scalar, level + 2));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => write_map(out, map, level + 2),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, level + 2);
            }
            scalar => {
                out.push_str(&scalar_text(scalar, level + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar_text(value: &Value, level: usize) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match literal_block(s, level) {
            Some(block) => block,
            None => {
                let mut text = String::with_capacity(s.len() + 2);
                push_string(&mut text, s);
                text
            }
        },
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Multi-line text as a literal block (`|`), when it can be one without loss.
fn literal_block(s: &str, level: usize) -> Option<String> {
    if !s.contains('\n') || s.starts_with([' ', '\t', '\n']) || s.chars().any(|c| c.is_control() && c != '\n') {
        return None;
    }
    let body = s.trim_end_matches('\n');
    let chomp = match s.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    if body.lines().any(|l| l.ends_with([' ', '\t'])) {
        return None;
    }
    let mut out = format!("|{chomp}");
    for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(&mut out, level);
            out.push_str(line);
        }
    }
    Some(out)
}

/// A string plain when safe, else double-quoted (JSON escapes are valid YAML).
fn push_string(out: &mut String, s: &str) {
    if plain_is_safe(s) {
        out.push_str(s);
    } else {
        // serde_json writes a JSON string literal: valid YAML double-quoted text.
        let _ = write!(out, "{}", serde_json::to_string(s).unwrap_or_default());
    }
}

/// Words some YAML reader takes for a boolean or null (YAML 1.1 and 1.2, any case).
const NOT_STRINGS: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"];

fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    // Starting with a letter, `/` or `_` rules out numbers, dates, indicators and anchors.
    if !(first.is_alphabetic() || first == '/' || first == '_') {
        return false;
    }
    if NOT_STRINGS.iter().any(|w| w.eq_ignore_ascii_case(s)) || s.eq_ignore_ascii_case(".inf") {
        return false;
    }
    if s.ends_with([' ', ':']) || s.contains(": ") || s.contains(" #") {
        return false;
    }
    s.chars().all(|c| c.is_alphanumeric() || " _./:@,()=+-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What the emitter writes, read back by a YAML 1.1 reader (kubeplay's own, which follows
    /// go-yaml v2), is the value it was given.
    fn round_trip(value: Value) {
        let text = to_yaml(&value);
        let docs = crate::source::parse(&crate::SourceFile::new("t", &text)).unwrap();
        assert_eq!(docs[0].root.as_ref().unwrap().to_json(), value, "{text}");
    }

    #[test]
    fn strings_that_look_like_other_things_are_quoted() {
        let value = json!({
            "yes": "yes", "on": "On", "n": "n", "num": "1_000", "oct": "010", "float": "1e3",
            "version": "1.0.0", "empty": "", "url": "http://todo-backend:8000", "colon": "a: b",
            "hash": "a #b", "star": "*x", "dash": "- x", "space": " x", "tilde": "~", "null": "null",
            "unicode": "héllo wörld", "quote": "say \"hi\"", "tab": "a\tb", "bool": true, "n2": 3,
        });
        round_trip(value.clone());
        let text = to_yaml(&value);
        assert!(text.contains("url: http://todo-backend:8000\n"), "{text}");
        assert!(text.contains("\"yes\": \"yes\"\n"), "{text}");
    }

    #[test]
    fn nesting_lists_and_blocks() {
        round_trip(json!({
            "a": {"b": [1, {"c": "d", "e": [true, null]}, [1, 2]], "f": {}},
            "g": [],
            "script": "line one\nline two\n",
            "nofinal": "x\ny",
            "many": "x\n\n",
            "blank": "x\n\ny\n",
        }));
        round_trip(json!([{"a": 1}, "b"]));
        round_trip(json!("top"));
    }

    #[test]
    fn output_is_kubectl_style() {
        let text = to_yaml(&json!({"spec": {"ports": [{"name": "http", "port": 80}]}}));
        assert_eq!(text, "spec:\n  ports:\n  - name: http\n    port: 80\n");
    }
}
