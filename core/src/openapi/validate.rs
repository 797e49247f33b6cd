//! Strict validation of one object's JSON against its kind's schema: every problem, not the first.

use super::problem::{Found, Problem, ProblemKind, BOOLEAN, NUMBER, TEXT, WHOLE_NUMBER};
use super::schema::{Extra, ObjectType, Schema, Ty};
use crate::path::{FieldPath, Segment};
use serde_json::{Map, Value};

impl Schema {
    /// Every schema problem of `object` (a manifest's JSON as written), or `None` when this
    /// version has no schema for its apiVersion and kind (custom resources, removed APIs).
    pub fn validate(&self, object: &Value) -> Option<Vec<Problem>> {
        let api_version = object.get("apiVersion")?.as_str()?;
        let kind = object.get("kind")?.as_str()?;
        let root = self.kind(api_version, kind)?;
        let mut walk = Walk { schema: self, path: Vec::new(), problems: Vec::new() };
        match object {
            Value::Object(map) => walk.object(root, map),
            _ => return None,
        }
        Some(walk.problems)
    }
}

/// One step of the path being walked, borrowed from the JSON: no allocation until a problem.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

struct Walk<'s, 'v> {
    schema: &'s Schema,
    path: Vec<Step<'v>>,
    problems: Vec<Problem>,
}

impl<'s, 'v> Walk<'s, 'v> {
    fn report(&mut self, last: Option<&str>, kind: ProblemKind) {
        let mut path = FieldPath(Vec::with_capacity(self.path.len() + 1));
        for step in &self.path {
            path.0.push(match step {
                Step::Key(k) => Segment::Key(k.to_string()),
                Step::Index(i) => Segment::Index(*i),
            });
        }
        path.0.extend(last.map(|k| Segment::Key(k.to_string())));
        self.problems.push(Problem { path, kind });
    }

    fn object(&mut self, t: &'s ObjectType, map: &'v Map<String, Value>) {
        for (key, value) in map {
            let ty = match (t.field(key), &t.extra) {
                (Some(ty), _) | (None, Extra::Typed(ty)) => ty,
                (None, Extra::Any) => continue,
                (None, Extra::None) => {
                    let kind = ProblemKind::UnknownField {
                        of: t.name.to_string(),
                        suggestion: crate::presets::suggest(key, t.fields.iter().map(|(f, _)| &**f))
                            .map(str::to_string),
                        belongs_in: self.parent_of(t, key),
                    };
                    self.report(Some(key), kind);
                    continue;
                }
            };
            self.path.push(Step::Key(key));
            self.value(ty, value);
            self.path.pop();
        }
        for field in t.required.iter().filter(|f| !map.contains_key(&***f)) {
            self.report(Some(field), ProblemKind::Missing { of: t.name.to_string() });
        }
    }

    /// A field of `t` whose object type has a field `key`: where a misplaced field belongs.
    fn parent_of(&self, t: &ObjectType, key: &str) -> Option<String> {
        t.fields.iter().find_map(|(name, ty)| match ty {
            Ty::Object(i) => self.schema.types[*i as usize].field(key).map(|_| name.to_string()),
            _ => None,
        })
    }

    fn value(&mut self, ty: &'s Ty, value: &'v Value) {
        match (ty, value) {
            // An explicit null is an unset field, to the API server and kubernetes-validate alike.
            (_, Value::Null) | (Ty::Any, _) => {}
            (Ty::String | Ty::IntOrString, Value::String(_)) | (Ty::Boolean, Value::Bool(_)) => {}
            (Ty::Number | Ty::Quantity, Value::Number(_)) => {}
            (Ty::Integer | Ty::IntOrString, Value::Number(n)) if is_integer(n) => {}
            (Ty::Quantity, Value::String(text)) => {
                if let Err(reason) = crate::quantity::parse(text) {
                    self.report(None, ProblemKind::NotAQuantity { value: text.clone(), reason });
                }
            }
            // An empty string is an unset field: the API server fills in the default.
            (Ty::Enum(allowed), Value::String(text)) => {
                if !text.is_empty() && !allowed.iter().any(|a| **a == **text) {
                    let allowed = allowed.iter().map(|a| a.to_string()).collect();
                    self.report(None, ProblemKind::NotAllowed { value: text.clone(), allowed });
                }
            }
            (Ty::Object(i), Value::Object(map)) => self.object(&self.schema.types[*i as usize], map),
            (Ty::List(item), Value::Array(items)) => {
                for (i, value) in items.iter().enumerate() {
                    self.path.push(Step::Index(i));
                    self.value(item, value);
                    self.path.pop();
                }
            }
            (Ty::Map(item), Value::Object(map)) => {
                for (key, value) in map {
                    self.path.push(Step::Key(key));
                    self.value(item, value);
                    self.path.pop();
                }
            }
            (ty, value) => {
                let kind = ProblemKind::WrongType { expected: self.expected(ty), found: found(value) };
                self.report(None, kind);
            }
        }
    }

    /// What a value of `ty` is, in words.
    fn expected(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => TEXT.to_string(),
            Ty::Integer => WHOLE_NUMBER.to_string(),
            Ty::Number => NUMBER.to_string(),
            Ty::Boolean => BOOLEAN.to_string(),
            Ty::IntOrString => "a whole number or text".to_string(),
            Ty::Quantity => "a quantity such as `128Mi` or `250m`".to_string(),
            Ty::Any => "anything".to_string(),
            Ty::Enum(values) => {
                let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                format!("one of {}", listed.join(", "))
            }
            Ty::Object(i) => match &*self.schema.types[*i as usize].name {
                "" => "a map of fields".to_string(),
                name => format!("a map of fields ({})", super::problem::a(name)),
            },
            Ty::List(_) => "a list".to_string(),
            Ty::Map(_) => "a map".to_string(),
        }
    }
}

/// JSON Schema's `integer`: a number with no fractional part (`3` and `3.0` alike).
fn is_integer(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

fn found(value: &Value) -> Found {
    match value {
        Value::Bool(b) => Found::Boolean(*b),
        Value::Number(n) => Found::Number(n.to_string()),
        Value::String(s) => Found::Text(s.clone()),
        Value::Array(_) => Found::List,
        Value::Object(_) | Value::Null => Found::Map,
    }
}
