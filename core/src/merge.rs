//! Helm's value layering, in its two steps: the user's layers (`-f` files, then `--set`s) are
//! merged with each other (`MergeValues`: later wins, maps merge, a `null` is kept as a value),
//! then laid over the chart defaults, here the preset (`CoalesceValues`: a `null` removes the
//! default's key; a `null` with no default to remove stays, and the schema then refuses it).

use serde_json::{Map, Value};

/// Merge one user layer over the earlier ones (`MergeValues`). Layers are taken by value: their
/// subtrees move into the result instead of being copied (a layer is read once).
pub fn merge_layer(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(existing @ Value::Object(_)) if value.is_object() => merge_layer(existing, value),
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// Lay the merged user values over the defaults (`CoalesceValues`).
pub fn coalesce(defaults: &mut Value, user: Value) {
    match (defaults, user) {
        (Value::Object(defaults), Value::Object(user)) => coalesce_maps(defaults, user),
        (defaults, user) => *defaults = user,
    }
}

fn coalesce_maps(defaults: &mut Map<String, Value>, user: Map<String, Value>) {
    for (key, value) in user {
        match defaults.get_mut(&key) {
            Some(_) if value.is_null() => {
                defaults.shift_remove(&key);
            }
            Some(existing @ Value::Object(_)) if value.is_object() => coalesce(existing, value),
            Some(existing) => *existing = value,
            None => {
                defaults.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn user_layers_merge_maps_and_keep_nulls() {
        let mut user = json!({"a": {"b": 1, "c": [1, 2]}});
        merge_layer(&mut user, json!({"a": {"c": [3], "d": null}}));
        assert_eq!(user, json!({"a": {"b": 1, "c": [3], "d": null}}));
    }

    #[test]
    fn over_defaults_null_removes_a_default_and_stays_otherwise() {
        let mut defaults = json!({"a": {"b": 1, "c": [1, 2], "d": "x"}, "e": 1});
        coalesce(&mut defaults, json!({"a": {"b": 2, "c": [3], "d": null, "n": {"k": null, "v": 1}}}));
        assert_eq!(defaults, json!({"a": {"b": 2, "c": [3], "n": {"k": null, "v": 1}}, "e": 1}));
    }

    #[test]
    fn a_map_can_replace_a_scalar_and_back() {
        let mut defaults = json!({"a": 1});
        coalesce(&mut defaults, json!({"a": {"b": 1}}));
        assert_eq!(defaults, json!({"a": {"b": 1}}));
        coalesce(&mut defaults, json!({"a": "s"}));
        assert_eq!(defaults, json!({"a": "s"}));
    }
}
