//! Fields the API server lets no update change, once an object exists: a workload's selector, a
//! Job's pod template, a claim's storage class, a binding's role. kubectl and Helm learn it from
//! a `422 ... field is immutable` halfway through an apply; given the live object (or the set
//! applied before, offline), this says so before anything is sent, with what to do instead.

use crate::path::FieldPath;
use crate::resource::GroupKind;
use serde_json::Value;

/// How a field is compared with its live value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    /// The whole value: a selector that drops a label changes as surely as one that adds one.
    Whole,
    /// What the input writes: the server fills in defaults the input leaves out (a Job's pod
    /// template gains a `terminationMessagePath`), which are no change.
    Written,
    /// The whole value, once the live object says `immutable: true` (a ConfigMap or Secret).
    WhenMarked,
    /// A quantity that may grow but not shrink (a claim's storage).
    NotLess,
}

/// (group, kind, field, how it is compared, what to do instead).
const IMMUTABLE: &[(&str, &str, &str, Compare, &str)] = &[
    ("apps", "Deployment", "spec.selector", Compare::Whole, RECREATE_PODS),
    ("apps", "ReplicaSet", "spec.selector", Compare::Whole, RECREATE_PODS),
    ("apps", "DaemonSet", "spec.selector", Compare::Whole, RECREATE_PODS),
    ("apps", "StatefulSet", "spec.selector", Compare::Whole, RECREATE_PODS),
    ("apps", "StatefulSet", "spec.serviceName", Compare::Whole, RECREATE_PODS),
    ("apps", "StatefulSet", "spec.podManagementPolicy", Compare::Whole, RECREATE_PODS),
    ("apps", "StatefulSet", "spec.volumeClaimTemplates", Compare::Written, RECREATE_CLAIMS),
    ("batch", "Job", "spec.selector", Compare::Whole, RECREATE_JOB),
    ("batch", "Job", "spec.template", Compare::Written, RECREATE_JOB),
    ("batch", "Job", "spec.completionMode", Compare::Whole, RECREATE_JOB),
    ("", "Service", "spec.clusterIP", Compare::Whole, RECREATE_SERVICE),
    ("", "PersistentVolumeClaim", "spec.storageClassName", Compare::Whole, RECREATE_CLAIM),
    ("", "PersistentVolumeClaim", "spec.resources.requests.storage", Compare::NotLess, SHRINK_CLAIM),
    ("", "PersistentVolumeClaim", "spec.accessModes", Compare::Whole, RECREATE_CLAIM),
    ("", "PersistentVolumeClaim", "spec.volumeMode", Compare::Whole, RECREATE_CLAIM),
    ("", "PersistentVolumeClaim", "spec.volumeName", Compare::Whole, RECREATE_CLAIM),
    ("", "PersistentVolumeClaim", "spec.selector", Compare::Whole, RECREATE_CLAIM),
    ("", "Secret", "type", Compare::Whole, RECREATE),
    ("", "Secret", "data", Compare::WhenMarked, RENAME_DATA),
    ("", "Secret", "immutable", Compare::WhenMarked, RENAME_DATA),
    ("", "ConfigMap", "data", Compare::WhenMarked, RENAME_DATA),
    ("", "ConfigMap", "binaryData", Compare::WhenMarked, RENAME_DATA),
    ("", "ConfigMap", "immutable", Compare::WhenMarked, RENAME_DATA),
    ("rbac.authorization.k8s.io", "RoleBinding", "roleRef", Compare::Whole, RECREATE),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding", "roleRef", Compare::Whole, RECREATE),
];

const RECREATE: &str = "delete it and apply again";
const RECREATE_PODS: &str = "delete it and apply again (its pods are replaced)";
const RECREATE_JOB: &str =
    "delete the Job and apply again (it runs again); Helm hooks do this with `helm.sh/hook-delete-policy: before-hook-creation`";
const RENAME_DATA: &str = "an object marked `immutable: true` keeps its data for good: give the new data a new name and point the pods at it (they restart onto it), or delete it and apply again";
const RECREATE_SERVICE: &str = "leave `clusterIP` out to keep the one the Service has, or delete it and apply again";
const RECREATE_CLAIM: &str =
    "make a new claim under another name and move the data: deleting this one may delete its volume";
const SHRINK_CLAIM: &str = "a claim grows (where its storage class allows expansion) but never shrinks: keep the size, or make a smaller claim under another name and move the data";
const RECREATE_CLAIMS: &str =
    "delete the StatefulSet with `--cascade=orphan` (its pods and claims stay) and apply again; existing claims keep their old size and class";

/// A field of the input that an update may not change, and its live value.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The field no update may change.
    pub field: FieldPath,
    /// Where in it the two differ first (`field` itself, or inside it).
    pub at: FieldPath,
    /// The live value and the input's there, as compact JSON.
    pub live: String,
    pub input: String,
    /// Whether the field may change, only not shrink (the API server's words differ).
    pub shrinks: bool,
    /// What to do instead of an update.
    pub instead: &'static str,
}

impl Change {
    /// One line for a learner: what cannot change, from what to what, and what to do.
    pub fn explain(&self) -> String {
        self.explain_against("the cluster has")
    }
    /// [`Change::explain`] with the earlier side named (`the cluster has`, `the earlier set has`).
    pub fn explain_against(&self, earlier: &str) -> String {
        let inside = match self.at == self.field {
            true => String::new(),
            false => format!("at `{}` ", self.at),
        };
        let (what, refusal) = match self.shrinks {
            true => ("cannot shrink", "field can not be less than previous value"),
            false => ("cannot change once the object exists", "field is immutable"),
        };
        format!(
            "`{}` {what} ({inside}{earlier} {}, the input {}): the API server rejects the update with `{refusal}`; {}.",
            self.field, self.live, self.input, self.instead
        )
    }
}

/// Whether objects of `group_kind` have fields no update may change (the others need no look
/// at their live object).
pub fn has_immutable_fields(group_kind: &GroupKind) -> bool {
    IMMUTABLE.iter().any(|(group, kind, ..)| (*group, *kind) == (group_kind.group.as_str(), group_kind.kind.as_str()))
}

/// The fields `input` changes that an update of `live` may not (objects of `group_kind`, both
/// as JSON). A field the input leaves out is no change: the server keeps or defaults it.
pub fn changes(group_kind: &GroupKind, live: &Value, input: &Value) -> Vec<Change> {
    let mut found = Vec::new();
    for (group, kind, field, compare, instead) in IMMUTABLE {
        if (*group, *kind) != (group_kind.group.as_str(), group_kind.kind.as_str()) {
            continue;
        }
        let path: Vec<&str> = field.split('.').collect();
        let (Some(written), Some(current)) = (at(input, &path), at(live, &path)) else { continue };
        if written.is_null() {
            continue;
        }
        let field = FieldPath::parse(field);
        let difference = match compare {
            Compare::Whole => difference(written, current, true, field.clone()),
            Compare::Written => difference(written, current, false, field.clone()),
            Compare::WhenMarked if live.get("immutable") == Some(&Value::Bool(true)) => {
                difference(written, current, true, field.clone())
            }
            Compare::WhenMarked => None,
            Compare::NotLess => match (written.as_str(), current.as_str()) {
                (Some(w), Some(c)) if crate::quantity::compare(w, c) == Some(std::cmp::Ordering::Less) => {
                    Some((field.clone(), current, written))
                }
                _ => None,
            },
        };
        if let Some((at, current, written)) = difference {
            let shrinks = *compare == Compare::NotLess;
            found.push(Change { field, at, live: current.to_string(), input: written.to_string(), shrinks, instead });
        }
    }
    found
}

fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// Where `written` first differs from `current` (both at `here`), with the two values there.
/// `whole`: every key counts; otherwise only what `written` sets (a key the server filled in,
/// or one written `null`, is no difference). Lists differ item by item, or where their lengths
/// differ.
fn difference<'a>(
    written: &'a Value,
    current: &'a Value,
    whole: bool,
    here: FieldPath,
) -> Option<(FieldPath, &'a Value, &'a Value)> {
    match (written, current) {
        (Value::Object(w), Value::Object(c)) => {
            for (key, w) in w {
                match c.get(key) {
                    _ if w.is_null() && !whole => {}
                    Some(c) => {
                        if let Some(found) = difference(w, c, whole, here.key(key)) {
                            return Some(found);
                        }
                    }
                    None => return Some((here, current, written)),
                }
            }
            (whole && c.keys().any(|k| !w.contains_key(k))).then_some((here, current, written))
        }
        (Value::Array(w), Value::Array(c)) if w.len() == c.len() => {
            w.iter().zip(c).enumerate().find_map(|(i, (w, c))| difference(w, c, whole, here.index(i)))
        }
        (w, c) => (w != c).then_some((here, current, written)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(selector: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
               "spec": {"selector": selector, "replicas": 2}})
    }

    #[test]
    fn a_new_selector_is_a_change_and_a_new_replica_count_is_not() {
        let gk = GroupKind::new("apps", "Deployment");
        let live = deployment(json!({"matchLabels": {"app": "web"}}));
        let mut scaled = live.clone();
        scaled["spec"]["replicas"] = json!(5);
        assert_eq!(changes(&gk, &live, &scaled), []);
        // Dropping a label changes the selector as much as adding one.
        for selector in [json!({"matchLabels": {"app": "web2"}}), json!({"matchLabels": {}})] {
            let found = changes(&gk, &live, &deployment(selector));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].field.to_string(), "spec.selector");
        }
        let found = changes(&gk, &live, &deployment(json!({"matchLabels": {"app": "api"}})));
        assert_eq!(
            found[0].explain(),
            "`spec.selector` cannot change once the object exists (at `spec.selector.matchLabels.app` the cluster has \"web\", the input \"api\"): the API server rejects the update with `field is immutable`; delete it and apply again (its pods are replaced)."
        );
        // Another kind's fields are not this table's.
        assert_eq!(changes(&GroupKind::new("apps", "Other"), &live, &deployment(json!({}))), []);
        assert!(has_immutable_fields(&gk) && !has_immutable_fields(&GroupKind::new("", "ServiceAccount")));
    }

    #[test]
    fn a_jobs_template_changes_only_where_the_input_writes_it() {
        let gk = GroupKind::new("batch", "Job");
        let job = |image: &str| json!({"spec": {"template": {"spec": {"containers": [{"name": "migrate", "image": image}], "restartPolicy": "Never"}}}});
        let mut live = job("api:1");
        // What the server fills in is no change.
        live["spec"]["template"]["spec"]["containers"][0]["terminationMessagePath"] = json!("/dev/termination-log");
        live["spec"]["template"]["spec"]["dnsPolicy"] = json!("ClusterFirst");
        assert_eq!(changes(&gk, &live, &job("api:1")), []);
        let found = changes(&gk, &live, &job("api:2"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field.to_string(), "spec.template");
        assert_eq!(found[0].at.to_string(), "spec.template.spec.containers[0].image");
        assert_eq!((found[0].live.as_str(), found[0].input.as_str()), ("\"api:1\"", "\"api:2\""));
        // A container added is a difference of the list.
        let mut two = job("api:1");
        two["spec"]["template"]["spec"]["containers"].as_array_mut().unwrap().push(json!({"name": "side"}));
        assert_eq!(changes(&gk, &live, &two)[0].at.to_string(), "spec.template.spec.containers");
        assert!(found[0].instead.contains("before-hook-creation"));
    }

    #[test]
    fn data_marked_immutable_cannot_change_and_unmarked_data_can() {
        let gk = GroupKind::new("", "ConfigMap");
        let config = |marked: Option<bool>, level: &str| {
            let mut c = json!({"data": {"LOG_LEVEL": level}});
            if let Some(marked) = marked {
                c["immutable"] = json!(marked);
            }
            c
        };
        assert_eq!(changes(&gk, &config(None, "info"), &config(None, "debug")), []);
        assert_eq!(changes(&gk, &config(Some(false), "info"), &config(Some(false), "debug")), []);
        // Marking it is an update like any other.
        assert_eq!(changes(&gk, &config(None, "info"), &config(Some(true), "info")), []);
        let found = changes(&gk, &config(Some(true), "info"), &config(Some(true), "debug"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at.to_string(), "data.LOG_LEVEL");
        assert!(found[0].explain().contains("new name"), "{}", found[0].explain());
        // Nor can the mark be taken back.
        let found = changes(&gk, &config(Some(true), "info"), &config(Some(false), "info"));
        assert_eq!(found.iter().map(|c| c.field.to_string()).collect::<Vec<_>>(), ["immutable"]);
        let secret = GroupKind::new("", "Secret");
        let live = json!({"immutable": true, "data": {"token": "YQ=="}});
        assert_eq!(changes(&secret, &live, &json!({"stringData": {"token": "b"}})), [], "stringData is not compared");
        assert_eq!(changes(&secret, &live, &json!({"data": {"token": "Yg=="}})).len(), 1);
    }

    #[test]
    fn a_claim_may_grow_but_not_shrink() {
        let gk = GroupKind::new("", "PersistentVolumeClaim");
        let claim = |size: &str| json!({"spec": {"resources": {"requests": {"storage": size}}}});
        assert_eq!(changes(&gk, &claim("1Gi"), &claim("2Gi")), []);
        assert_eq!(changes(&gk, &claim("1Gi"), &claim("1024Mi")), [], "the same size written another way");
        let found = changes(&gk, &claim("2Gi"), &claim("1500Mi"));
        assert_eq!(found.len(), 1);
        assert!(found[0].shrinks);
        assert_eq!(
            found[0].explain(),
            "`spec.resources.requests.storage` cannot shrink (the cluster has \"2Gi\", the input \"1500Mi\"): the API server rejects the update with `field can not be less than previous value`; a claim grows (where its storage class allows expansion) but never shrinks: keep the size, or make a smaller claim under another name and move the data."
        );
    }

    #[test]
    fn a_field_the_input_leaves_out_keeps_its_value() {
        let gk = GroupKind::new("", "Service");
        let live = json!({"spec": {"clusterIP": "10.96.0.12", "ports": [{"port": 80}]}});
        assert_eq!(changes(&gk, &live, &json!({"spec": {"ports": [{"port": 81}]}})), []);
        assert_eq!(changes(&gk, &live, &json!({"spec": {"clusterIP": "10.96.0.12"}})), []);
        assert_eq!(changes(&gk, &live, &json!({"spec": {"clusterIP": null}})), []);
        let found = changes(&gk, &live, &json!({"spec": {"clusterIP": "10.96.0.99"}}));
        assert_eq!(found[0].field.to_string(), "spec.clusterIP");
        let binding = GroupKind::new("rbac.authorization.k8s.io", "RoleBinding");
        let role =
            |name: &str| json!({"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name}});
        assert_eq!(changes(&binding, &role("reader"), &role("reader")), []);
        assert_eq!(changes(&binding, &role("reader"), &role("writer")).len(), 1);
    }
}
