//! Helm's value layering (`chartutil.CoalesceValues`): later layers win, maps merge, scalars and
//! lists replace, `null` removes a key.

use serde_json::{Map, Value};

/// Lay `over` on top of `base` in place.
pub fn coalesce(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => coalesce_maps(base, over),
        (base, over) => *base = strip_nulls(over),
    }
}

fn coalesce_maps(base: &mut Map<String, Value>, over: &Map<String, Value>) {
    for (key, value) in over {
        if value.is_null() {
            base.remove(key);
            continue;
        }
        match base.get_mut(key) {
            Some(existing @ Value::Object(_)) if value.is_object() => coalesce(existing, value),
            Some(existing) => *existing = strip_nulls(value),
            None => {
                base.insert(key.clone(), strip_nulls(value));
            }
        }
    }
}

/// A map brought in whole still obeys "null removes": its null keys are dropped.
fn strip_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), strip_nulls(v))).collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_merge_scalars_and_lists_replace_null_removes() {
        let mut base = json!({"a": {"b": 1, "c": [1, 2], "d": "x"}, "e": 1});
        coalesce(&mut base, &json!({"a": {"b": 2, "c": [3], "d": null, "n": {"k": null, "v": 1}}}));
        assert_eq!(base, json!({"a": {"b": 2, "c": [3], "n": {"v": 1}}, "e": 1}));
    }

    #[test]
    fn a_map_can_replace_a_scalar_and_back() {
        let mut base = json!({"a": 1});
        coalesce(&mut base, &json!({"a": {"b": 1}}));
        assert_eq!(base, json!({"a": {"b": 1}}));
        coalesce(&mut base, &json!({"a": "s"}));
        assert_eq!(base, json!({"a": "s"}));
    }
}
