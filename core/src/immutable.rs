//! Fields the API server lets no update change, once an object exists: a workload's selector, a
//! Job's pod template, a claim's storage class, a binding's role. kubectl and Helm learn it from
//! a `422 ... Invalid` halfway through an apply; given the live object (or the set applied
//! before, offline), this says so before anything is sent, in the API server's words, with what
//! to do instead.

use crate::path::FieldPath;
use crate::resource::GroupKind;
use serde_json::{Map, Value};

/// How a field is compared with its live value. Everywhere, a value that is empty (`null`,
/// `""`, `[]`, `{}`) counts as left out, as Go's `omitempty` decoding reads it: so a field empty
/// on the live side may be set once (a claim's `volumeName`, which binding fills in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    /// The whole value: a selector that drops a label changes as surely as one that adds one.
    Whole,
    /// What the input writes: the server fills in defaults the input leaves out (a Job's pod
    /// template gains a `terminationMessagePath`), which are no change.
    Written,
    /// A Service's cluster IP: one the input leaves empty is kept (the server copies it in),
    /// and an ExternalName Service (either side) has none.
    ClusterIp,
    /// The data of a ConfigMap or Secret once the live object says `immutable: true`, compared
    /// as bytes (base64 decoded, a Secret's `stringData` merged in, as the server does).
    MarkedData,
    /// The `immutable: true` mark itself: it cannot be taken back, nor left out.
    Mark,
    /// A quantity that may grow but not shrink (a claim's storage), against the live claim's
    /// capacity when it has one.
    NotLess,
    /// A bare Pod's spec, but for the fields an update may change (images, deadlines,
    /// tolerations), as written.
    PodSpec,
    /// A binding's role, its `apiGroup` filled in as the server defaults it.
    RoleRef,
}

/// A field no update may change, and what the API server says when one tries.
struct Row {
    group: &'static str,
    kind: &'static str,
    field: &'static str,
    compare: Compare,
    /// What the server fills in when the input leaves the field out.
    default: Option<&'static str>,
    /// The API server's message (after the field's path).
    refusal: &'static str,
    /// What to do instead of an update.
    instead: &'static str,
}

const fn row(
    group: &'static str,
    kind: &'static str,
    field: &'static str,
    compare: Compare,
    refusal: &'static str,
    instead: &'static str,
) -> Row {
    Row { group, kind, field, compare, default: None, refusal, instead }
}

const fn defaulted(row: Row, default: &'static str) -> Row {
    Row { default: Some(default), ..row }
}

const IMMUTABLE: &[Row] = &[
    row("apps", "Deployment", "spec.selector", Compare::Whole, FIELD_IMMUTABLE, RECREATE_PODS),
    row("apps", "ReplicaSet", "spec.selector", Compare::Whole, FIELD_IMMUTABLE, RECREATE_PODS),
    row("apps", "DaemonSet", "spec.selector", Compare::Whole, FIELD_IMMUTABLE, RECREATE_PODS),
    row("apps", "StatefulSet", "spec.selector", Compare::Whole, STATEFULSET_SPEC, RECREATE_PODS),
    row("apps", "StatefulSet", "spec.serviceName", Compare::Whole, STATEFULSET_SPEC, RECREATE_PODS),
    defaulted(
        row("apps", "StatefulSet", "spec.podManagementPolicy", Compare::Whole, STATEFULSET_SPEC, RECREATE_PODS),
        "OrderedReady",
    ),
    row("apps", "StatefulSet", "spec.volumeClaimTemplates", Compare::Written, STATEFULSET_SPEC, RECREATE_CLAIMS),
    row("batch", "Job", "spec.selector", Compare::Whole, FIELD_IMMUTABLE, RECREATE_JOB),
    row("batch", "Job", "spec.template", Compare::Written, FIELD_IMMUTABLE, RECREATE_JOB),
    row("batch", "Job", "spec.completionMode", Compare::Whole, FIELD_IMMUTABLE, RECREATE_JOB),
    row("", "Pod", "spec", Compare::PodSpec, POD_SPEC, RECREATE_POD),
    row("", "Service", "spec.clusterIP", Compare::ClusterIp, "may not change once set", RECREATE_SERVICE),
    row("", "PersistentVolumeClaim", "spec.storageClassName", Compare::Whole, CLAIM_SPEC, RECREATE_CLAIM),
    row(
        "",
        "PersistentVolumeClaim",
        "spec.resources.requests.storage",
        Compare::NotLess,
        "field can not be less than status.capacity",
        SHRINK_CLAIM,
    ),
    row("", "PersistentVolumeClaim", "spec.accessModes", Compare::Whole, CLAIM_SPEC, RECREATE_CLAIM),
    defaulted(
        row("", "PersistentVolumeClaim", "spec.volumeMode", Compare::Whole, CLAIM_SPEC, RECREATE_CLAIM),
        "Filesystem",
    ),
    row("", "PersistentVolumeClaim", "spec.volumeName", Compare::Whole, CLAIM_SPEC, RECREATE_CLAIM),
    row("", "PersistentVolumeClaim", "spec.selector", Compare::Whole, CLAIM_SPEC, RECREATE_CLAIM),
    defaulted(row("", "Secret", "type", Compare::Whole, FIELD_IMMUTABLE, RECREATE), "Opaque"),
    row("", "Secret", "data", Compare::MarkedData, MARKED_IMMUTABLE, RENAME_DATA),
    row("", "Secret", "immutable", Compare::Mark, MARKED_IMMUTABLE, RENAME_DATA),
    row("", "ConfigMap", "data", Compare::MarkedData, MARKED_IMMUTABLE, RENAME_DATA),
    row("", "ConfigMap", "binaryData", Compare::MarkedData, MARKED_IMMUTABLE, RENAME_DATA),
    row("", "ConfigMap", "immutable", Compare::Mark, MARKED_IMMUTABLE, RENAME_DATA),
    row(
        "storage.k8s.io",
        "StorageClass",
        "provisioner",
        Compare::Whole,
        "updates to provisioner are forbidden.",
        RECREATE,
    ),
    row(
        "storage.k8s.io",
        "StorageClass",
        "parameters",
        Compare::Whole,
        "updates to parameters are forbidden.",
        RECREATE,
    ),
    defaulted(
        row(
            "storage.k8s.io",
            "StorageClass",
            "reclaimPolicy",
            Compare::Whole,
            "updates to reclaimPolicy are forbidden.",
            RECREATE,
        ),
        "Delete",
    ),
    defaulted(
        row("storage.k8s.io", "StorageClass", "volumeBindingMode", Compare::Whole, FIELD_IMMUTABLE, RECREATE),
        "Immediate",
    ),
    row("rbac.authorization.k8s.io", "RoleBinding", "roleRef", Compare::RoleRef, "cannot change roleRef", RECREATE),
    row(
        "rbac.authorization.k8s.io",
        "ClusterRoleBinding",
        "roleRef",
        Compare::RoleRef,
        "cannot change roleRef",
        RECREATE,
    ),
];

const FIELD_IMMUTABLE: &str = "field is immutable";
const MARKED_IMMUTABLE: &str = "field is immutable when `immutable` is set";
const STATEFULSET_SPEC: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
const CLAIM_SPEC: &str =
    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";
const POD_SPEC: &str = "pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds`";

const RECREATE: &str = "delete it and apply again";
const RECREATE_PODS: &str = "delete it and apply again (its pods are replaced)";
const RECREATE_POD: &str = "delete the Pod and apply again, or run it from a Deployment, which replaces pods for you";
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
    /// The live value and the input's there, as compact JSON (a Secret's values are not shown).
    pub live: String,
    pub input: String,
    /// The API server's words for the refusal.
    pub refusal: &'static str,
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
        format!(
            "an update may not make this change to `{}` ({inside}{earlier} {}, the input {}): the API server rejects it with `{}: {}`; {}.",
            self.field, self.live, self.input, self.field, self.refusal, self.instead
        )
    }
}

/// Whether objects of `group_kind` have fields no update may change (the others need no look
/// at their live object).
pub fn has_immutable_fields(group_kind: &GroupKind) -> bool {
    IMMUTABLE.iter().any(|r| (r.group, r.kind) == (group_kind.group.as_str(), group_kind.kind.as_str()))
}

/// What the input is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Against {
    /// The object on the cluster. kubeplay's server-side apply leaves a field the input leaves
    /// out to whichever manager set it, so that is no change.
    Live,
    /// The set applied before (both as written): a field the input leaves out is then unset,
    /// which the server fills with its default, or takes away (an `immutable` mark).
    Earlier,
}

/// The fields `input` changes that an update of `live` may not (objects of `group_kind`, both
/// as JSON, `live` as `against` says).
pub fn changes(group_kind: &GroupKind, live: &Value, input: &Value, against: Against) -> Vec<Change> {
    let secret = group_kind.group.is_empty() && group_kind.kind == "Secret";
    let mut found = Vec::new();
    for row in IMMUTABLE {
        if (row.group, row.kind) != (group_kind.group.as_str(), group_kind.kind.as_str()) {
            continue;
        }
        let path: Vec<&str> = row.field.split('.').collect();
        let field = FieldPath::parse(row.field);
        let default = row.default.filter(|_| against == Against::Earlier).map(|d| Value::String(d.to_string()));
        let value_of = |object: &Value| at(object, &path).filter(|v| !is_empty(v)).cloned().or_else(|| default.clone());
        let marked = live.get("immutable") == Some(&Value::Bool(true));
        let difference = match row.compare {
            Compare::MarkedData if marked => data_difference(row.field, live, input),
            Compare::MarkedData => None,
            Compare::Mark if marked && (against == Against::Earlier || input.get("immutable").is_some()) => {
                let kept = input.get("immutable") == Some(&Value::Bool(true));
                (!kept)
                    .then(|| (field.clone(), Value::Bool(true), input.get("immutable").cloned().unwrap_or(Value::Null)))
            }
            Compare::Mark => None,
            _ => {
                let (Some(written), Some(current)) = (value_of(input), value_of(live)) else { continue };
                compare(row.compare, &field, live, input, written, current)
            }
        };
        if let Some((at, current, written)) = difference {
            let shown = |v: &Value| if secret && row.field == "data" { "a value".to_string() } else { v.to_string() };
            found.push(Change {
                field,
                at,
                live: shown(&current),
                input: shown(&written),
                refusal: row.refusal,
                instead: row.instead,
            });
        }
    }
    found
}

/// Where `written` differs from `current` under `compare` (the field's values, defaults filled).
fn compare(
    compare: Compare,
    field: &FieldPath,
    live: &Value,
    input: &Value,
    written: Value,
    current: Value,
) -> Option<(FieldPath, Value, Value)> {
    let owned = |(at, c, w): (FieldPath, &Value, &Value)| (at, c.clone(), w.clone());
    match compare {
        Compare::Whole => difference(&written, &current, true, field.clone()).map(owned),
        Compare::Written => difference(&written, &current, false, field.clone()).map(owned),
        Compare::ClusterIp => {
            let external = |o: &Value| at(o, &["spec", "type"]).and_then(Value::as_str) == Some("ExternalName");
            if external(live) || external(input) {
                return None;
            }
            difference(&written, &current, true, field.clone()).map(owned)
        }
        Compare::NotLess => {
            // Only a smaller request is looked at. With a capacity the cluster reports, a failed
            // expansion may be taken back down to just above it; without one, no decrease goes.
            let less = |a: &Value, b: &Value| {
                a.as_str().zip(b.as_str()).and_then(|(a, b)| crate::quantity::compare(a, b))
                    == Some(std::cmp::Ordering::Less)
            };
            if !less(&written, &current) {
                return None;
            }
            match at(live, &["status", "capacity", "storage"]) {
                Some(capacity) if less(capacity, &written) => None,
                Some(capacity) => Some((field.clone(), capacity.clone(), written.clone())),
                None => Some((field.clone(), current.clone(), written.clone())),
            }
        }
        Compare::PodSpec => {
            let (written, current) = (updatable_removed(&written), updatable_removed(&current));
            difference(&written, &current, false, field.clone()).map(owned)
        }
        Compare::RoleRef => {
            let filled = |r: &Value| {
                let mut r = r.clone();
                if r.get("apiGroup").is_none_or(is_empty) {
                    r["apiGroup"] = Value::String("rbac.authorization.k8s.io".into());
                }
                r
            };
            let (written, current) = (filled(&written), filled(&current));
            difference(&written, &current, true, field.clone()).map(owned)
        }
        Compare::MarkedData | Compare::Mark => None,
    }
}

/// A pod spec without what a Pod update may change (the containers' images, the deadlines,
/// the tolerations) and without the lists admission adds to on the cluster (the service
/// account token's volume and mounts, its image pull secrets), which a live Pod never matches.
fn updatable_removed(spec: &Value) -> Value {
    let mut spec = spec.clone();
    if let Some(map) = spec.as_object_mut() {
        for key in
            ["activeDeadlineSeconds", "terminationGracePeriodSeconds", "tolerations", "volumes", "imagePullSecrets"]
        {
            map.remove(key);
        }
        for list in ["containers", "initContainers"] {
            for container in map.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(container) = container.as_object_mut() {
                    container.remove("image");
                    container.remove("volumeMounts");
                }
            }
        }
    }
    spec
}

/// Where the data of a marked ConfigMap or Secret differs, by key, as bytes: `None` when the
/// input writes none (it keeps what there is).
fn data_difference(field: &str, live: &Value, input: &Value) -> Option<(FieldPath, Value, Value)> {
    let (written, current) = (bytes_of(field, input)?, bytes_of(field, live).unwrap_or_default());
    let here = FieldPath::parse(field);
    let keys = written.keys().chain(current.keys());
    keys.into_iter().find(|k| written.get(*k) != current.get(*k)).map(|key| {
        let shown = |m: &Map<String, Value>| m.get(key).cloned().unwrap_or(Value::Null);
        let (w, c) = (bytes_text(field, input), bytes_text(field, live));
        (here.key(key), shown(&c), shown(&w))
    })
}

/// Each key's bytes: `data` of a ConfigMap as text; `binaryData`, and a Secret's `data` with its
/// `stringData` laid over it, decoded from base64 (text that does not decode stays text).
fn bytes_of(field: &str, object: &Value) -> Option<std::collections::BTreeMap<String, Vec<u8>>> {
    let secret = object.get("kind").and_then(Value::as_str) == Some("Secret");
    let decoded = field == "binaryData" || secret;
    let mut out = std::collections::BTreeMap::new();
    let mut any = false;
    for (name, base64) in [(field, decoded), ("stringData", false)] {
        if name == "stringData" && !secret {
            continue;
        }
        let Some(map) = object.get(name).and_then(Value::as_object) else { continue };
        any = true;
        for (key, value) in map {
            let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
            let bytes = match base64 {
                true => crate::go_base64::decode(&text).unwrap_or_else(|_| text.into_bytes()),
                false => text.into_bytes(),
            };
            out.insert(key.clone(), bytes);
        }
    }
    any.then_some(out)
}

/// The written values of `field` (and a Secret's `stringData`), for the message.
fn bytes_text(field: &str, object: &Value) -> Map<String, Value> {
    let mut out = object.get(field).and_then(Value::as_object).cloned().unwrap_or_default();
    if let Some(plain) = object.get("stringData").and_then(Value::as_object) {
        out.extend(plain.clone());
    }
    out
}

fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// Whether a value is what Go decodes as unset: `null`, `""`, `[]` or `{}`.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Where `written` first differs from `current` (both at `here`), with the two values there.
/// `whole`: every key counts; otherwise only what `written` sets (a key the server filled in,
/// or a list item admission added, is no difference). Empty values count as left out, and so
/// does a written `false` or `0` where the other side has nothing (Go's `omitempty` drops them).
/// Lists differ item by item (by `name` when every written item has one and not `whole`), or
/// where their lengths differ; a number and the quantity text the server writes for it are the
/// same.
fn difference<'a>(
    written: &'a Value,
    current: &'a Value,
    whole: bool,
    here: FieldPath,
) -> Option<(FieldPath, &'a Value, &'a Value)> {
    match (written, current) {
        (Value::Object(w), Value::Object(c)) => {
            for (key, w) in w.iter().filter(|(_, v)| !is_empty(v)) {
                match c.get(key).filter(|v| !is_empty(v)) {
                    Some(c) => {
                        if let Some(found) = difference(w, c, whole, here.key(key)) {
                            return Some(found);
                        }
                    }
                    None if is_zero(w) => {}
                    None => return Some((here, current, written)),
                }
            }
            let dropped = |(k, v): (&String, &Value)| !is_empty(v) && !is_zero(v) && w.get(k).is_none_or(is_empty);
            (whole && c.iter().any(dropped)).then_some((here, current, written))
        }
        (Value::Array(w), Value::Array(c)) if !whole && w.iter().all(|i| name_of(i).is_some()) => {
            w.iter().enumerate().find_map(|(i, item)| {
                let name = name_of(item);
                match c.iter().find(|c| name_of(c) == name) {
                    Some(c) => difference(item, c, whole, here.index(i)),
                    None => Some((here.clone(), current, written)),
                }
            })
        }
        (Value::Array(w), Value::Array(c)) if w.len() == c.len() => {
            w.iter().zip(c).enumerate().find_map(|(i, (w, c))| difference(w, c, whole, here.index(i)))
        }
        (w, c) => (!same_scalar(w, c)).then_some((here, current, written)),
    }
}

fn name_of(item: &Value) -> Option<&str> {
    item.get("name").and_then(Value::as_str)
}

/// `false` or `0`: what Go's `omitempty` leaves out of an object it writes.
fn is_zero(value: &Value) -> bool {
    value == &Value::Bool(false) || value.as_f64() == Some(0.0)
}

/// Equal, or the same quantity written as a number and as text (`cpu: 1` and `"1"`, `0.5` and
/// `"500m"`, `1024Mi` and `"1Gi"`).
fn same_scalar(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    a == b
        || text(a)
            .zip(text(b))
            .is_some_and(|(a, b)| crate::quantity::compare(&a, &b) == Some(std::cmp::Ordering::Equal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Against the set applied before, unless a test says `super::changes(.., Against::Live)`.
    fn changes(group_kind: &GroupKind, earlier: &Value, input: &Value) -> Vec<Change> {
        super::changes(group_kind, earlier, input, Against::Earlier)
    }

    #[test]
    fn what_the_server_writes_its_own_way_is_no_change() {
        let job = GroupKind::new("batch", "Job");
        let template = |spec: Value| json!({"spec": {"template": {"spec": spec}}});
        let live = template(
            json!({"containers": [{"name": "m", "image": "m:1", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}],
                                   "restartPolicy": "Never"}),
        );
        let input = template(json!({"hostNetwork": false, "containers": [{"name": "m", "image": "m:1", "tty": false,
                                    "readinessProbe": null, "resources": {"limits": {"cpu": 1, "memory": "1024Mi"}}}], "restartPolicy": "Never"}));
        assert_eq!(changes(&job, &live, &input), []);
        // A sidecar admission added, matched by name.
        let mut injected = live.clone();
        injected["spec"]["template"]["spec"]["containers"]
            .as_array_mut()
            .unwrap()
            .insert(0, json!({"name": "istio-proxy", "image": "proxy"}));
        assert_eq!(changes(&job, &injected, &input), []);
        let mut other = input.clone();
        other["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] = json!(2);
        assert_eq!(
            changes(&job, &injected, &other)[0].at.to_string(),
            "spec.template.spec.containers[0].resources.limits.cpu"
        );
        // roleRef's apiGroup is filled in by the server.
        let binding = GroupKind::new("rbac.authorization.k8s.io", "RoleBinding");
        let role = |r: Value| json!({"roleRef": r});
        assert_eq!(
            changes(
                &binding,
                &role(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"})),
                &role(json!({"kind": "Role", "name": "r"}))
            ),
            []
        );
    }

    #[test]
    fn against_the_cluster_a_field_left_out_keeps_what_another_manager_set() {
        let secret = GroupKind::new("", "Secret");
        let tls =
            json!({"kind": "Secret", "type": "kubernetes.io/tls", "immutable": true, "data": {"tls.crt": "YQ=="}});
        let input = json!({"kind": "Secret", "data": {"tls.crt": "YQ=="}});
        assert_eq!(super::changes(&secret, &tls, &input, Against::Live), []);
        // Against the set applied before, the default type and the dropped mark are changes.
        let fields: Vec<String> = changes(&secret, &tls, &input).iter().map(|c| c.field.to_string()).collect();
        assert_eq!(fields, ["type", "immutable"]);
    }

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
            "an update may not make this change to `spec.selector` (at `spec.selector.matchLabels.app` the cluster has \"web\", the input \"api\"): the API server rejects it with `spec.selector: field is immutable`; delete it and apply again (its pods are replaced)."
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
        // Nor can the mark be taken back, or left out.
        for unmarked in [config(Some(false), "info"), config(None, "info")] {
            let found = changes(&gk, &config(Some(true), "info"), &unmarked);
            assert_eq!(found.iter().map(|c| c.field.to_string()).collect::<Vec<_>>(), ["immutable"]);
        }
        // A Secret's data is compared as bytes, stringData merged in, and its values never shown.
        let secret = GroupKind::new("", "Secret");
        let live = json!({"kind": "Secret", "immutable": true, "data": {"token": "YQ=="}});
        let input = |data: Value| {
            let mut s = data;
            s["kind"] = json!("Secret");
            s["immutable"] = json!(true);
            s
        };
        assert_eq!(changes(&secret, &live, &input(json!({"stringData": {"token": "a"}}))), [], "the same bytes");
        assert_eq!(changes(&secret, &live, &input(json!({"data": {"token": "Y\nQ=="}}))), [], "wrapped base64");
        assert_eq!(changes(&secret, &live, &input(json!({}))), [], "no data written: kept");
        for changed in [json!({"data": {"token": "Yg=="}}), json!({"stringData": {"token": "b"}})] {
            let found = changes(&secret, &live, &input(changed));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].at.to_string(), "data.token");
            assert!(
                !found[0].explain().contains("YQ==") && found[0].explain().contains("a value"),
                "{}",
                found[0].explain()
            );
        }
    }

    #[test]
    fn a_live_pods_injected_token_volume_is_no_change() {
        let gk = GroupKind::new("", "Pod");
        let input = json!({"spec": {"containers": [{"name": "c", "image": "a:1", "volumeMounts": [{"name": "data", "mountPath": "/d"}]}],
                                    "volumes": [{"name": "data", "emptyDir": {}}]}});
        let mut live = input.clone();
        live["spec"]["volumes"].as_array_mut().unwrap().push(json!({"name": "kube-api-access-x", "projected": {}}));
        live["spec"]["containers"][0]["volumeMounts"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "kube-api-access-x", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}));
        live["spec"]["tolerations"] = json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists"}]);
        live["spec"]["containers"][0]["terminationMessagePath"] = json!("/dev/termination-log");
        assert_eq!(changes(&gk, &live, &input), []);
        let mut renamed = input.clone();
        renamed["spec"]["containers"][0]["name"] = json!("d");
        assert_eq!(changes(&gk, &live, &renamed).len(), 1);
    }

    #[test]
    fn a_claim_may_grow_but_not_shrink() {
        let gk = GroupKind::new("", "PersistentVolumeClaim");
        let claim = |size: &str| json!({"spec": {"resources": {"requests": {"storage": size}}}});
        assert_eq!(changes(&gk, &claim("1Gi"), &claim("2Gi")), []);
        assert_eq!(changes(&gk, &claim("1Gi"), &claim("1024Mi")), [], "the same size written another way");
        let found = changes(&gk, &claim("2Gi"), &claim("1500Mi"));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].explain(),
            "an update may not make this change to `spec.resources.requests.storage` (the cluster has \"2Gi\", the input \"1500Mi\"): the API server rejects it with `spec.resources.requests.storage: field can not be less than status.capacity`; a claim grows (where its storage class allows expansion) but never shrinks: keep the size, or make a smaller claim under another name and move the data."
        );
        // After an expansion that failed, the request may go back down to just above the capacity.
        let mut expanding = claim("5Gi");
        expanding["status"] = json!({"capacity": {"storage": "2Gi"}});
        assert_eq!(changes(&gk, &expanding, &claim("3Gi")), []);
        assert_eq!(changes(&gk, &expanding, &claim("2Gi")).len(), 1);
        // The volume a claim is bound to may be named once, not changed.
        let bound = |pv: &str| json!({"spec": {"volumeName": pv}});
        assert_eq!(changes(&gk, &bound(""), &bound("pv-1")), []);
        assert_eq!(changes(&gk, &bound("pv-1"), &bound("pv-2")).len(), 1);
        // A claim given more than it asked for may be applied again as it is.
        let mut rounded = claim("500Mi");
        rounded["status"] = json!({"capacity": {"storage": "1Gi"}});
        assert_eq!(changes(&gk, &rounded, &claim("500Mi")), []);
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
