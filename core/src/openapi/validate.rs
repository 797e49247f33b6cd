//! Strict validation of one object's JSON against its kind's schema: every problem, not the first.

use super::problem::{Found, Problem, ProblemKind, BOOLEAN, NUMBER, TEXT, WHOLE_NUMBER};
use super::schema::{Extra, ObjectType, Schema, Ty};
use crate::path::{FieldPath, Segment};
use crate::tracked::{ScalarRef, Shape, Tree};

impl Schema {
    /// Every schema problem of `object` (a read document's tree as written, or JSON), or
    /// `None` when this version has no schema for its apiVersion and kind (custom resources,
    /// removed APIs).
    pub fn validate<T: Tree>(&self, object: &T) -> Option<Vec<Problem>> {
        let text = |name: &str| match object.field(name)?.scalar_ref()? {
            ScalarRef::Text(text) => Some(text),
            _ => None,
        };
        let root = self.kind(text("apiVersion")?, text("kind")?)?;
        let mut walk = Walk { schema: self, path: Vec::new(), problems: Vec::new() };
        walk.object(root, object);
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

    /// The fields of an object (`map` is a map: the callers matched it).
    fn object<T: Tree>(&mut self, t: &'s ObjectType, map: &'v T) {
        let Shape::Map(entries) = map.shape() else { return };
        for (key, value) in entries {
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
        // A required field written `null` is missing (the API server says "Required value"),
        // except where Go holds the field as a struct, not a pointer: null is then the empty
        // struct, which a NetworkPolicy's `podSelector` (every pod) accepts.
        let empty_is_valid = |f: &str| (&*t.name, f) == ("NetworkPolicySpec", "podSelector");
        let absent = |f: &str| {
            map.field(f).is_none_or(|v| matches!(v.scalar_ref(), Some(ScalarRef::Null)) && !empty_is_valid(f))
        };
        for field in t.required.iter().filter(|f| absent(f)) {
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

    fn value<T: Tree>(&mut self, ty: &'s Ty, value: &'v T) {
        let shape = value.shape();
        let scalar = value.scalar_ref();
        match (ty, shape, scalar) {
            // An explicit null is an unset field, to the API server and kubernetes-validate alike.
            (_, _, Some(ScalarRef::Null)) | (Ty::Any, _, _) => {}
            (Ty::DateTime | Ty::MicroTime, _, Some(ScalarRef::Text(text))) => {
                let micro = matches!(ty, Ty::MicroTime);
                if let Err(reason) = super::date_time::check(text).and_then(|()| super::date_time::micro(text, micro)) {
                    self.report(None, ProblemKind::NotADateTime { value: text.to_string(), reason });
                }
            }
            (Ty::Bytes, _, Some(ScalarRef::Text(text))) => {
                if let Err(error) = crate::go_base64::decode(text) {
                    self.report(None, ProblemKind::NotBase64 { reason: crate::go_base64::why_not(text, &error) });
                }
            }
            (Ty::String | Ty::IntOrString, _, Some(ScalarRef::Text(_)))
            | (Ty::Boolean, _, Some(ScalarRef::Bool(_))) => {}
            (Ty::Number | Ty::Quantity, _, Some(ScalarRef::Int(_) | ScalarRef::Float(_))) => {}
            (Ty::Integer | Ty::Int32 | Ty::IntOrString, _, Some(whole @ (ScalarRef::Int(_) | ScalarRef::Float(_))))
                if whole_number(whole).is_some() =>
            {
                let bits = if matches!(ty, Ty::Integer) { 64 } else { 32 };
                if !fits(whole_number(whole).unwrap_or_default(), bits) {
                    let value = number_text(whole).unwrap_or_default();
                    self.report(None, ProblemKind::OutOfRange { value, bits });
                }
            }
            (Ty::Quantity, _, Some(ScalarRef::Text(text))) => {
                if let Err(reason) = crate::quantity::parse(text) {
                    self.report(None, ProblemKind::NotAQuantity { value: text.to_string(), reason });
                }
            }
            // An empty string is an unset field: the API server fills in the default.
            (Ty::Enum(allowed), _, Some(ScalarRef::Text(text))) => {
                if !text.is_empty() && !allowed.iter().any(|a| **a == *text) {
                    let allowed = allowed.iter().map(|a| a.to_string()).collect();
                    self.report(None, ProblemKind::NotAllowed { value: text.to_string(), allowed });
                }
            }
            (Ty::Object(i), Shape::Map(_), _) => self.object(&self.schema.types[*i as usize], value),
            (Ty::List(item), Shape::Seq(items), _) => {
                for (i, value) in items.iter().enumerate() {
                    self.path.push(Step::Index(i));
                    self.value(item, value);
                    self.path.pop();
                }
            }
            (Ty::Map(item), Shape::Map(entries), _) => {
                for (key, value) in entries {
                    self.path.push(Step::Key(key));
                    self.value(item, value);
                    self.path.pop();
                }
            }
            (ty, shape, scalar) => {
                let kind = ProblemKind::WrongType { expected: self.expected(ty), found: found(&shape, scalar) };
                self.report(None, kind);
            }
        }
    }

    /// What a value of `ty` is, in words.
    fn expected(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => TEXT.to_string(),
            Ty::Integer | Ty::Int32 => WHOLE_NUMBER.to_string(),
            Ty::Number => NUMBER.to_string(),
            Ty::Boolean => BOOLEAN.to_string(),
            Ty::IntOrString => "a whole number or text".to_string(),
            Ty::Quantity => "a quantity such as `128Mi` or `250m`".to_string(),
            Ty::DateTime => "a date and time such as `2024-05-01T12:00:00Z`".to_string(),
            Ty::MicroTime => "a date and time such as `2024-05-01T12:00:00.000000Z`".to_string(),
            Ty::Bytes => "base64 text".to_string(),
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

/// A number's whole value, when it has no fraction (a float may be past any integer's range).
fn whole_number(scalar: ScalarRef<'_>) -> Option<f64> {
    match scalar {
        ScalarRef::Int(i) => Some(i as f64),
        ScalarRef::Float(f) if f.fract() == 0.0 => Some(f),
        _ => None,
    }
}

/// Whether a whole number fits a signed integer of `bits` (32 or 64), as Go's JSON decoder checks.
fn fits(value: f64, bits: u8) -> bool {
    let limit = 2f64.powi(i32::from(bits) - 1);
    (-limit..limit).contains(&value)
}

/// A number as JSON writes it.
fn number_text(scalar: ScalarRef<'_>) -> Option<String> {
    match scalar {
        ScalarRef::Int(i) => Some(i.to_string()),
        ScalarRef::Float(f) => Some(serde_json::Number::from_f64(f).map_or_else(|| f.to_string(), |n| n.to_string())),
        _ => None,
    }
}

fn found<E, T>(shape: &Shape<'_, E, T>, scalar: Option<ScalarRef<'_>>) -> Found {
    match (shape, scalar) {
        (_, Some(ScalarRef::Bool(b))) => Found::Boolean(b),
        (_, Some(number @ (ScalarRef::Int(_) | ScalarRef::Float(_)))) => {
            Found::Number(number_text(number).unwrap_or_default())
        }
        (_, Some(ScalarRef::Text(s))) => Found::Text(s.to_string()),
        (Shape::Seq(_), _) => Found::List,
        _ => Found::Map,
    }
}
