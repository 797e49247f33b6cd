//! Objects as people compare them: without the fields the server keeps for itself, and with
//! Secret values masked the way `kubectl diff` masks them.

use serde_json::Value;

/// Fields that change without anyone changing the object, or that only the server writes.
const NOISE: &[&str] = &["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"];

/// `object` without server bookkeeping and without `status`.
pub fn for_comparison(object: &Value) -> Value {
    let mut object = object.clone();
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
    }
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in NOISE {
            meta.remove(*field);
        }
        // kube-rs serializes absent maps as nothing, the server as `{}`; same meaning.
        for field in ["labels", "annotations"] {
            if meta.get(field).is_some_and(|v| v.as_object().is_some_and(|m| m.is_empty()) || v.is_null()) {
                meta.remove(field);
            }
        }
    }
    object
}

/// Replace Secret values by `***`, marking keys whose value differs between the two sides as
/// `*** (before)` / `*** (after)` so a change still shows without showing a value. Other kinds
/// are left alone.
pub fn mask_secrets(before: Option<&mut Value>, after: Option<&mut Value>) {
    let is_secret = |v: &Option<&mut Value>| v.as_ref().is_some_and(|v| v["kind"] == "Secret");
    if !is_secret(&before) && !is_secret(&after) {
        return;
    }
    // The server folds stringData into data; a local object may still have it.
    let values = |v: &Option<&mut Value>, field: &str| -> serde_json::Map<String, Value> {
        v.as_ref().and_then(|v| v.get(field)).and_then(Value::as_object).cloned().unwrap_or_default()
    };
    let (before_data, after_data) = (values(&before, "data"), values(&after, "data"));
    let mask = |side: Option<&mut Value>,
                own: &serde_json::Map<String, Value>,
                other: &serde_json::Map<String, Value>,
                word: &str| {
        let Some(side) = side else { return };
        for field in ["data", "stringData"] {
            let Some(map) = side.get_mut(field).and_then(Value::as_object_mut) else {
                continue;
            };
            for (key, value) in map.iter_mut() {
                let same = field == "data" && own.get(key) == other.get(key);
                *value = Value::String(if same { "***".into() } else { format!("*** ({word})") });
            }
        }
    };
    mask(before, &before_data, &after_data, "before");
    mask(after, &after_data, &before_data, "after");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comparison_drops_server_fields_and_status() {
        let live = json!({"kind": "ConfigMap", "metadata": {"name": "c", "resourceVersion": "9", "managedFields": [], "uid": "u", "labels": {}}, "data": {"a": "1"}, "status": {}});
        assert_eq!(for_comparison(&live), json!({"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}}));
    }

    #[test]
    fn secrets_are_masked_but_changes_show() {
        let mut before = json!({"kind": "Secret", "data": {"SAME": "YQ==", "CHANGED": "Yg==", "GONE": "Yw=="}});
        let mut after = json!({"kind": "Secret", "data": {"SAME": "YQ==", "CHANGED": "ZA==", "NEW": "ZQ=="}});
        mask_secrets(Some(&mut before), Some(&mut after));
        assert_eq!(before["data"], json!({"SAME": "***", "CHANGED": "*** (before)", "GONE": "*** (before)"}));
        assert_eq!(after["data"], json!({"SAME": "***", "CHANGED": "*** (after)", "NEW": "*** (after)"}));
        let text = format!("{before}{after}");
        assert!(!text.contains("YQ==") && !text.contains("ZA=="));
        let mut config = json!({"kind": "ConfigMap", "data": {"a": "1"}});
        mask_secrets(None, Some(&mut config));
        assert_eq!(config["data"]["a"], "1");
    }
}
