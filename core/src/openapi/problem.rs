//! What is wrong with one field, in words a learner understands.

use crate::path::{FieldPath, Segment};
use std::fmt;

/// One schema error: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The field at fault: the unknown key, the value of the wrong type, or the missing field.
    pub path: FieldPath,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    /// A field the object's type does not have (strict validation rejects it).
    UnknownField {
        /// The type's name (`ContainerPort`), empty when the schema gives none.
        of: String,
        /// A field of the type with a close name.
        suggestion: Option<String>,
        /// A field of the type whose own fields include this one (`requests` belongs in `resources`).
        belongs_in: Option<String>,
    },
    /// A value of the wrong JSON type.
    WrongType { expected: String, found: Found },
    /// A required field is absent.
    Missing { of: String },
    /// A value outside the field's allowed set (`imagePullPolicy: Sometimes`).
    NotAllowed { value: String, allowed: Vec<String> },
    /// A string that is not a Kubernetes quantity (`1GB`).
    NotAQuantity { value: String, reason: String },
    /// A whole number too large for the field's integer (`found`'s words for it, and its bits).
    OutOfRange { value: String, bits: u8 },
    /// A string that is not an RFC 3339 date and time.
    NotADateTime { value: String, reason: &'static str },
    /// A string that is not standard base64 (the value is not repeated: it may be a secret).
    NotBase64 { reason: String },
}

/// What a value of the wrong type was.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Boolean(bool),
    Number(String),
    Text(String),
    List,
    Map,
}

impl Problem {
    /// Whether the finding belongs on the key (an unknown field) rather than on the value.
    pub fn at_key(&self) -> bool {
        matches!(self.kind, ProblemKind::UnknownField { .. })
    }
    /// Whether a quoted value would have been right: text was wanted and YAML read a plain
    /// scalar as a boolean or a number.
    pub fn wants_quotes(&self) -> bool {
        matches!(
            &self.kind,
            ProblemKind::WrongType { expected, found: Found::Boolean(_) | Found::Number(_) }
                if expected == TEXT || expected.starts_with("one of")
        )
    }
    /// The field's own name: its last key (`protocol` of `ports[0].protocol`).
    fn name(&self) -> String {
        match self.path.0.last() {
            Some(Segment::Key(key)) => key.clone(),
            Some(Segment::Index(_)) | None => self.path.to_string(),
        }
    }
}

/// How [`ProblemKind::WrongType`] names the scalar types (and how the hints know them).
pub(crate) const TEXT: &str = "text (a string)";
pub(crate) const WHOLE_NUMBER: &str = "a whole number";
pub(crate) const NUMBER: &str = "a number";
pub(crate) const BOOLEAN: &str = "`true` or `false`";

pub(crate) fn a(of: &str) -> String {
    match of.chars().next() {
        None => "this object".to_string(),
        Some(c) if "AEIOU".contains(c) => format!("an {of}"),
        Some(_) => format!("a {of}"),
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Boolean(b) => write!(f, "the boolean `{b}`"),
            Found::Number(n) => write!(f, "the number `{n}`"),
            Found::Text(t) => write!(f, "the text `{t:?}`"),
            Found::List => f.write_str("a list"),
            Found::Map => f.write_str("a map"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match &self.kind {
            ProblemKind::UnknownField { of, suggestion, belongs_in } => {
                write!(f, "unknown field `{name}`: {} has no such field", a(of))?;
                match (suggestion, belongs_in) {
                    (Some(s), _) => write!(f, "; did you mean `{s}`?"),
                    (None, Some(parent)) => write!(f, "; `{name}` belongs inside `{parent}`"),
                    (None, None) => Ok(()),
                }
            }
            ProblemKind::WrongType { expected, found } => {
                write!(f, "`{name}` must be {expected}, not {found}")?;
                // Quotes make text of a number or a boolean: `replicas: "3"`.
                let unquoted = match found {
                    Found::Text(t) if expected == NUMBER || expected == WHOLE_NUMBER => t.trim().parse::<f64>().is_ok(),
                    Found::Text(t) if expected == BOOLEAN => t == "true" || t == "false",
                    _ => false,
                };
                match (unquoted, found) {
                    (true, Found::Text(t)) => write!(f, "; write {} without quotes", t.trim()),
                    _ => Ok(()),
                }
            }
            ProblemKind::Missing { of } => write!(f, "`{name}` is required: {} must have it", a(of)),
            ProblemKind::NotAllowed { value, allowed } => {
                let listed: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
                write!(
                    f,
                    "`{name}: {value}` is not a value Kubernetes accepts: supported values are {}",
                    listed.join(", ")
                )?;
                let close = allowed.iter().find(|v| v.eq_ignore_ascii_case(value)).map(String::as_str);
                match close.or_else(|| crate::presets::suggest(value, allowed.iter().map(String::as_str))) {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => Ok(()),
                }
            }
            ProblemKind::OutOfRange { value, bits } => {
                let (min, max) =
                    if *bits == 32 { (i64::from(i32::MIN), i64::from(i32::MAX)) } else { (i64::MIN, i64::MAX) };
                write!(f, "`{name}` is {value}, out of range: Kubernetes keeps it in {bits} bits, from {min} to {max}")
            }
            ProblemKind::NotADateTime { value, reason } => write!(
                f,
                "`{name}: {value}` is not a date and time Kubernetes reads ({reason}); write RFC 3339, e.g. `2024-05-01T12:00:00Z`"
            ),
            ProblemKind::NotBase64 { reason } => write!(
                f,
                "`{name}` is not base64 ({reason}): Kubernetes decodes this field as standard base64, e.g. the output of `base64 -w0 FILE`"
            ),
            ProblemKind::NotAQuantity { value, reason } => {
                write!(
                    f,
                    "`{name}: {value}` is not a Kubernetes quantity ({reason}); write e.g. `128Mi`, `1Gi` or `500m`"
                )
            }
        }
    }
}
