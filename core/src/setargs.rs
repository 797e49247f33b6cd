//! Helm's `--set` / `--set-string` syntax (`helm/pkg/strvals`): `a.b=c,d[0].e=f`, `k={x,y}`,
//! `\,` and `\.` escapes, typed scalars for `--set`.

use crate::path::{FieldPath, Segment};
use serde_json::{Map, Value};

/// Which flag an expression came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// `--set`: `true`, `false`, `null` and integers are typed.
    Typed,
    /// `--set-string`: every value is a string.
    String,
}

/// One `--set` expression as the user typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetArg {
    pub kind: SetKind,
    pub expr: String,
}

impl SetArg {
    pub fn typed(expr: impl Into<String>) -> Self {
        SetArg { kind: SetKind::Typed, expr: expr.into() }
    }
    pub fn string(expr: impl Into<String>) -> Self {
        SetArg { kind: SetKind::String, expr: expr.into() }
    }
}

/// A parse failure: what is wrong, and the character offset in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError {
    pub message: String,
    pub offset: usize,
}

/// Largest list index accepted (helm caps it too, so `a[999999999]=x` cannot eat memory).
const MAX_INDEX: usize = 65_536;

/// Apply one expression (possibly several comma-separated assignments) to `target`.
/// Returns the paths it set, for provenance.
pub fn apply(arg: &SetArg, target: &mut Value) -> Result<Vec<FieldPath>, SetError> {
    let chars: Vec<char> = arg.expr.chars().collect();
    let mut pos = 0;
    let mut paths = Vec::new();
    while pos < chars.len() {
        let (path, next) = parse_key(&chars, pos)?;
        pos = next;
        if chars.get(pos) != Some(&'=') {
            return Err(SetError {
                message: format!("key `{path}` has no value (expected `{path}=VALUE`)"),
                offset: pos,
            });
        }
        pos += 1;
        let (value, next) = if chars.get(pos) == Some(&'{') {
            parse_list(&chars, pos + 1, arg.kind)?
        } else {
            let (raw, next) = read_until(&chars, pos, &[',']);
            (scalar(&raw, arg.kind), next)
        };
        pos = next;
        if chars.get(pos) == Some(&',') {
            pos += 1;
        }
        set_path(target, &path, value).map_err(|message| SetError { message, offset: 0 })?;
        paths.push(path);
    }
    Ok(paths)
}

fn read_until(chars: &[char], mut pos: usize, stops: &[char]) -> (String, usize) {
    let mut out = String::new();
    while let Some(&c) = chars.get(pos) {
        if c == '\\' && pos + 1 < chars.len() {
            out.push(chars[pos + 1]);
            pos += 2;
            continue;
        }
        if stops.contains(&c) {
            break;
        }
        out.push(c);
        pos += 1;
    }
    (out, pos)
}

fn parse_key(chars: &[char], mut pos: usize) -> Result<(FieldPath, usize), SetError> {
    let mut path = FieldPath::root();
    loop {
        let start = pos;
        let (name, next) = read_until(chars, pos, &['.', '[', '=', ',']);
        pos = next;
        if name.is_empty() {
            return Err(SetError { message: "empty key".into(), offset: start });
        }
        path.0.push(Segment::Key(name));
        if path.0.len() > crate::source::MAX_DEPTH {
            return Err(SetError {
                message: format!("the path is deeper than {} levels", crate::source::MAX_DEPTH),
                offset: start,
            });
        }
        while chars.get(pos) == Some(&'[') {
            let (digits, next) = read_until(chars, pos + 1, &[']']);
            if chars.get(next) != Some(&']') {
                return Err(SetError {
                    message: format!("list index `[{digits}` is missing its closing `]`"),
                    offset: pos,
                });
            }
            let index: usize = digits
                .parse()
                .map_err(|_| SetError { message: format!("list index `[{digits}]` is not a number"), offset: pos })?;
            if index > MAX_INDEX {
                return Err(SetError {
                    message: format!("list index {index} is larger than {MAX_INDEX}"),
                    offset: pos,
                });
            }
            path.0.push(Segment::Index(index));
            if path.0.len() > crate::source::MAX_DEPTH {
                return Err(SetError {
                    message: format!("the path is deeper than {} levels", crate::source::MAX_DEPTH),
                    offset: pos,
                });
            }
            pos = next + 1;
        }
        match chars.get(pos) {
            Some('.') => pos += 1,
            _ => return Ok((path, pos)),
        }
    }
}

fn parse_list(chars: &[char], mut pos: usize, kind: SetKind) -> Result<(Value, usize), SetError> {
    let mut items = Vec::new();
    loop {
        let (raw, next) = read_until(chars, pos, &[',', '}']);
        pos = next;
        match chars.get(pos) {
            Some(',') => {
                items.push(scalar(&raw, kind));
                pos += 1;
            }
            Some('}') => {
                if !(raw.is_empty() && items.is_empty()) {
                    items.push(scalar(&raw, kind));
                }
                return Ok((Value::Array(items), pos + 1));
            }
            _ => return Err(SetError { message: "list value is missing its closing `}`".into(), offset: pos }),
        }
    }
}

fn scalar(raw: &str, kind: SetKind) -> Value {
    if kind == SetKind::String {
        return Value::String(raw.to_string());
    }
    match raw {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        // Like helm, only integers without a leading zero are typed ("0700" stays a string).
        _ if raw == "0" || (!raw.starts_with('0') && !raw.starts_with("-0")) => {
            raw.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(raw.to_string()))
        }
        _ => Value::String(raw.to_string()),
    }
}

fn set_path(target: &mut Value, path: &FieldPath, value: Value) -> Result<(), String> {
    let mut node = target;
    for (i, segment) in path.0.iter().enumerate() {
        let last = i + 1 == path.0.len();
        match segment {
            Segment::Key(key) => {
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                let map = node.as_object_mut().expect("made an object above");
                if last {
                    // `null` is kept: laid over the defaults, it removes their key (as in helm).
                    map.insert(key.clone(), value);
                    return Ok(());
                }
                node = map.entry(key.clone()).or_insert(Value::Null);
            }
            Segment::Index(index) => {
                if !node.is_array() {
                    *node = Value::Array(Vec::new());
                }
                let list = node.as_array_mut().expect("made an array above");
                if list.len() <= *index {
                    list.resize(index + 1, Value::Null);
                }
                if last {
                    list[*index] = value;
                    return Ok(());
                }
                node = &mut list[*index];
            }
        }
    }
    *node = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(arg: SetArg) -> Value {
        let mut v = json!({"keep": 1, "a": {"b": "old", "c": 2}});
        apply(&arg, &mut v).unwrap();
        v
    }

    #[test]
    fn helm_syntax() {
        assert_eq!(run(SetArg::typed("a.b=x,a.d=3")), json!({"keep": 1, "a": {"b": "x", "c": 2, "d": 3}}));
        assert_eq!(
            run(SetArg::typed("l[1].n=true")),
            json!({"keep": 1, "a": {"b": "old", "c": 2}, "l": [null, {"n": true}]})
        );
        assert_eq!(run(SetArg::typed("a.b={x,y}")), json!({"keep": 1, "a": {"b": ["x", "y"], "c": 2}}));
        assert_eq!(run(SetArg::typed("a.b=x\\,y")), json!({"keep": 1, "a": {"b": "x,y", "c": 2}}));
        assert_eq!(run(SetArg::typed("a\\.b=1")), json!({"keep": 1, "a": {"b": "old", "c": 2}, "a.b": 1}));
        assert_eq!(run(SetArg::typed("a.c=null")), json!({"keep": 1, "a": {"b": "old", "c": null}}));
        assert_eq!(run(SetArg::string("a.c=007,a.b=true")), json!({"keep": 1, "a": {"b": "true", "c": "007"}}));
        assert_eq!(run(SetArg::typed("a.c=0700")), json!({"keep": 1, "a": {"b": "old", "c": "0700"}}));
    }

    #[test]
    fn errors_say_where() {
        let mut v = json!({});
        let e = apply(&SetArg::typed("a.b"), &mut v).unwrap_err();
        assert!(e.message.contains("no value"), "{e:?}");
        let e = apply(&SetArg::typed("a[x]=1"), &mut v).unwrap_err();
        assert_eq!(e.offset, 1);
        assert!(apply(&SetArg::typed("a[99999999]=1"), &mut v).is_err());
        assert!(apply(&SetArg::typed("a={x,y"), &mut v).is_err());
        assert!(apply(&SetArg::typed("=1"), &mut v).is_err());
        let deep = vec!["a"; 1000].join(".") + "=1";
        assert!(apply(&SetArg::typed(deep), &mut v).unwrap_err().message.contains("deeper"));
    }
}
