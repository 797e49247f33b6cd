//! Secret `data` as the API server reads it: Go's base64, and the JSON of a Secret made readable
//! for the typed read (values it would reject are kept for secret-invalid-base64 to report).

pub use crate::go_base64::decode;
use base64::Engine;
use serde_json::Value;
use std::borrow::Cow;

/// A Secret's JSON that k8s-openapi can read: `data` values the API server accepts are
/// re-encoded canonically, and values it rejects (bad base64, numbers, booleans) become the
/// base64 of their own text, so the Secret and its keys stay in the set (no cascade of
/// "missing Secret" findings) and this rule reports the value instead.
pub fn readable(json: &Value) -> Cow<'_, Value> {
    let Some(data) = json.get("data").and_then(Value::as_object) else {
        return Cow::Borrowed(json);
    };
    let mut fixed = data.clone();
    let mut changed = false;
    for value in fixed.values_mut() {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            // Null reads as empty; maps and lists stay type errors for manifest-invalid.
            _ => continue,
        };
        let bytes = match (value.is_string(), decode(&text)) {
            (true, Ok(bytes)) => bytes,
            _ => text.into_bytes(),
        };
        let canonical = Value::String(base64::engine::general_purpose::STANDARD.encode(bytes));
        if *value != canonical {
            *value = canonical;
            changed = true;
        }
    }
    if !changed {
        return Cow::Borrowed(json);
    }
    let mut json = json.clone();
    json["data"] = Value::Object(fixed);
    Cow::Owned(json)
}
