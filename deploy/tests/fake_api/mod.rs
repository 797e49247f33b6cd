//! A FAKE Kubernetes API server for kubeplay's cluster tests: in-process HTTP on 127.0.0.1.
//!
//! This is not a real API server and not a conformance reference. It follows the Kubernetes API
//! conventions only for the calls kubeplay makes, closely enough that kube-rs talks to it as to a
//! cluster:
//!
//! - discovery: `/version`, `/api`, `/api/v1`, `/apis`, `/apis/{group}/{version}`, for the kinds
//!   of [`TYPES`] (every kind core models, and what they make); a group may serve several
//!   versions (`autoscaling/v2`, preferred, and `autoscaling/v1`), which share their objects;
//! - GET of one object, LIST (namespaced or across namespaces) with `labelSelector` (`k=v`,
//!   `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`), pod `log` (scripted text);
//! - server-side apply: `PATCH` with `application/apply-patch+yaml`, `fieldManager` (required),
//!   `force`, `dryRun=All` (the result is returned and nothing is stored). Field ownership is
//!   simplified: every leaf of the applied configuration is a field, lists are atomic. A field
//!   owned by another manager with a different value is a conflict: `409` with a `Status` whose
//!   causes name the manager and field, unless `force=true` takes the field over. Fields the
//!   manager applied before and no longer applies are removed. `metadata.managedFields` is
//!   written in the FieldsV1 shape;
//! - `resourceVersion` changes only when an object really changes (a no-op apply keeps it),
//!   `generation` starts at 1 and grows when anything outside metadata and status changes; uid
//!   and creationTimestamp are set on create; a few server defaults are filled in (Service
//!   `clusterIP`, Deployment `progressDeadlineSeconds`, Secret `type`, StatefulSet and DaemonSet
//!   `updateStrategy`, a Job's `selector` and template labels, a PersistentVolumeClaim bound);
//! - namespaced objects cannot be created in a Namespace that does not exist (`404`);
//! - `DELETE` removes at once (no finalizers, no Terminating phase); deleting a Namespace removes
//!   what is in it, deleting a Deployment removes the pods its selector matches, deleting
//!   anything removes the pods whose owner reference names it (garbage collection, simplified);
//! - status is never changed by an apply (status subresource semantics);
//! - authentication (`401` unless the bearer token matches, when one is required) and
//!   authorization (`403` for everything, when told to forbid).
//!
//! Not supported: watch, create by POST, update by PUT, merge/JSON patches, field selectors.
//! They answer `405`/`400` so a test notices if kubeplay starts to use them.
//!
//! Scripting: tests change state directly ([`FakeApi::put`], [`FakeApi::set_status`],
//! [`FakeApi::update_as`], [`FakeApi::set_logs`]) and can install a "controller"
//! ([`FakeApi::set_controller`]) that runs after every apply that changes a workload of
//! [`CONTROLLED`] (Deployment, StatefulSet, DaemonSet, Job), standing in for their controllers and
//! the kubelet: it writes the workload's status and the pods and events a real cluster would
//! produce (see `controllers.rs`).
// Test scaffolding: written for clarity of the API conventions it mimics over lint style.
#![allow(clippy::too_many_arguments, clippy::nonminimal_bool, clippy::collapsible_match)]
#![allow(dead_code)]

pub mod controllers;
pub mod faults;
pub mod harness;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// A kind the fake serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceType {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
    /// Has a status subresource: apply never touches `status`.
    pub has_status: bool,
}

impl ResourceType {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
    /// How the API server names the resource in messages: `deployments.apps`, `pods`.
    fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

const fn rt(
    group: &'static str,
    kind: &'static str,
    plural: &'static str,
    namespaced: bool,
    has_status: bool,
) -> ResourceType {
    ResourceType { group, version: "v1", kind, plural, namespaced, has_status }
}

/// A kind served at another version than `v1`.
const fn rtv(group: &'static str, version: &'static str, kind: &'static str, plural: &'static str) -> ResourceType {
    ResourceType { group, version, kind, plural, namespaced: true, has_status: true }
}

/// Everything the fake serves. A group's first version listed is its preferred one; versions of
/// one kind share their objects (stored as last applied, without conversion).
pub const TYPES: &[ResourceType] = &[
    rt("", "Namespace", "namespaces", false, true),
    rt("", "Node", "nodes", false, true),
    rt("", "Secret", "secrets", true, false),
    rt("", "ConfigMap", "configmaps", true, false),
    rt("", "Service", "services", true, true),
    rt("", "Pod", "pods", true, true),
    rt("", "Event", "events", true, false),
    rt("", "Endpoints", "endpoints", true, false),
    rt("", "ServiceAccount", "serviceaccounts", true, false),
    rt("", "PersistentVolumeClaim", "persistentvolumeclaims", true, true),
    rt("", "ReplicationController", "replicationcontrollers", true, true),
    rt("apps", "Deployment", "deployments", true, true),
    rt("apps", "ReplicaSet", "replicasets", true, true),
    rt("apps", "StatefulSet", "statefulsets", true, true),
    rt("apps", "DaemonSet", "daemonsets", true, true),
    rt("discovery.k8s.io", "EndpointSlice", "endpointslices", true, false),
    rt("batch", "Job", "jobs", true, true),
    rt("batch", "CronJob", "cronjobs", true, true),
    rt("networking.k8s.io", "Ingress", "ingresses", true, true),
    rt("networking.k8s.io", "NetworkPolicy", "networkpolicies", true, false),
    rtv("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
    rt("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, true),
    rt("policy", "PodDisruptionBudget", "poddisruptionbudgets", true, true),
    rt("rbac.authorization.k8s.io", "Role", "roles", true, false),
    rt("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", true, false),
    rt("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", false, false),
    rt("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", false, false),
];

/// The kinds a "controller" stands in for: applying one runs [`FakeApi::set_controller`]'s.
pub const CONTROLLED: &[&str] = &["Deployment", "StatefulSet", "DaemonSet", "Job"];

pub fn type_of_kind(kind: &str) -> &'static ResourceType {
    TYPES.iter().find(|t| t.kind == kind).unwrap_or_else(|| panic!("the fake does not serve kind {kind}"))
}

fn type_of(group: &str, version: &str, plural: &str) -> Option<&'static ResourceType> {
    TYPES.iter().find(|t| t.group == group && t.version == version && t.plural == plural)
}

/// One request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: String,
    /// `dryRun=All` was asked for.
    pub dry_run: bool,
}

impl Logged {
    /// A request that could change stored state.
    pub fn is_write(&self) -> bool {
        self.method != "GET" && !self.dry_run
    }
}

/// What a field manager owns in one object.
#[derive(Debug, Clone, Default)]
struct Ownership {
    operation: &'static str,
    api_version: String,
    fields: BTreeSet<Vec<String>>,
}

#[derive(Debug, Clone)]
struct Stored {
    object: Value,
    managers: BTreeMap<String, Ownership>,
}

type Key = (&'static str, String, String); // (qualified plural, namespace or "", name)

type Controller = Box<dyn FnMut(&mut Cluster, &Value) + Send>;

/// The fake's state. Tests reach it through [`FakeApi`]; controllers get it directly.
pub struct Cluster {
    objects: BTreeMap<Key, Stored>,
    resource_version: u64,
    uid: u64,
    logs: BTreeMap<(String, String, bool), String>,
    requests: Vec<Logged>,
    token: Option<String>,
    forbid: bool,
    /// Writes still allowed before the fake starts answering 500 (an interrupted apply).
    writes_left: Option<usize>,
    controller: Option<Controller>,
    /// Misbehaviour on cue (faults.rs).
    pub faults: faults::Faults,
}

fn key(t: &ResourceType, namespace: &str, name: &str) -> Key {
    (t.plural, if t.namespaced { namespace.to_string() } else { String::new() }, name.to_string())
}

fn meta_str<'a>(object: &'a Value, field: &str) -> &'a str {
    object["metadata"][field].as_str().unwrap_or("")
}

impl Cluster {
    fn new() -> Self {
        let mut cluster = Cluster {
            objects: BTreeMap::new(),
            resource_version: 1000,
            uid: 0,
            logs: BTreeMap::new(),
            requests: Vec::new(),
            token: None,
            forbid: false,
            writes_left: None,
            controller: None,
            faults: faults::Faults::default(),
        };
        cluster.put(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}, "status": {"phase": "Active"}}));
        cluster.put(minikube_node(&[]));
        cluster
    }

    fn next_rv(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// Store `object` as is (status included), filling in what the server sets. Replaces an
    /// object of the same kind, namespace and name.
    pub fn put(&mut self, mut object: Value) {
        let t = type_of_kind(object["kind"].as_str().expect("object has a kind"));
        let namespace = meta_str(&object, "namespace").to_string();
        let name = meta_str(&object, "name").to_string();
        assert!(!name.is_empty(), "object has a name");
        let k = key(t, &namespace, &name);
        let previous = self.objects.get(&k).cloned();
        object["apiVersion"] = json!(t.api_version());
        self.uid += 1;
        let uid = previous
            .as_ref()
            .map(|p| p.object["metadata"]["uid"].clone())
            .unwrap_or(json!(format!("uid-{}", self.uid)));
        let rv = self.next_rv();
        let meta = object["metadata"].as_object_mut().expect("metadata is a map");
        meta.insert("uid".into(), uid);
        meta.insert("resourceVersion".into(), json!(rv));
        meta.entry("creationTimestamp").or_insert(json!("2025-01-01T00:00:00Z"));
        meta.entry("generation").or_insert(json!(1));
        let managers = previous.map(|p| p.managers).unwrap_or_default();
        self.objects.insert(k, Stored { object, managers });
    }

    pub fn get(&self, kind: &str, namespace: &str, name: &str) -> Option<Value> {
        let t = type_of_kind(kind);
        self.objects.get(&key(t, namespace, name)).map(|s| s.object.clone())
    }

    /// Every stored object of `kind`, in (namespace, name) order.
    pub fn list(&self, kind: &str) -> Vec<Value> {
        let t = type_of_kind(kind);
        self.objects.iter().filter(|((p, _, _), _)| *p == t.plural).map(|(_, s)| s.object.clone()).collect()
    }

    pub fn remove(&mut self, kind: &str, namespace: &str, name: &str) -> Option<Value> {
        let t = type_of_kind(kind);
        self.objects.remove(&key(t, namespace, name)).map(|s| s.object)
    }

    /// Replace the status of an object (as the status subresource would), bumping its
    /// resourceVersion.
    pub fn set_status(&mut self, kind: &str, namespace: &str, name: &str, status: Value) {
        let t = type_of_kind(kind);
        let rv = self.next_rv();
        let stored = self
            .objects
            .get_mut(&key(t, namespace, name))
            .unwrap_or_else(|| panic!("{kind} {namespace}/{name} is stored"));
        stored.object["status"] = status;
        stored.object["metadata"]["resourceVersion"] = json!(rv);
    }

    /// Change an object as another client's update would (`kubectl edit`, `kubectl scale`):
    /// the fields `change` sets become owned by `manager` (operation Update).
    pub fn update_as(
        &mut self,
        manager: &str,
        kind: &str,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut Value),
    ) {
        let t = type_of_kind(kind);
        let rv = self.next_rv();
        let stored = self
            .objects
            .get_mut(&key(t, namespace, name))
            .unwrap_or_else(|| panic!("{kind} {namespace}/{name} is stored"));
        let before = stored.object.clone();
        change(&mut stored.object);
        let changed: BTreeSet<Vec<String>> =
            leaves(&stored.object, t).into_iter().filter(|p| at(&before, p) != at(&stored.object, p)).collect();
        for (other, owned) in stored.managers.iter_mut() {
            if other != manager {
                owned.fields.retain(|p| !changed.iter().any(|c| overlaps(c, p)));
            }
        }
        let entry = stored.managers.entry(manager.to_string()).or_default();
        entry.operation = "Update";
        entry.api_version = t.api_version();
        entry.fields.extend(changed);
        if spec_of(&before) != spec_of(&stored.object) {
            bump_generation(&mut stored.object);
        }
        stored.object["metadata"]["resourceVersion"] = json!(rv);
        let managed = managed_fields(&stored.managers);
        stored.object["metadata"]["managedFields"] = managed;
    }

    pub fn set_logs(&mut self, namespace: &str, pod: &str, previous: bool, text: &str) {
        self.logs.insert((namespace.into(), pod.into(), previous), text.into());
    }

    /// Server-side apply. `Ok((object, created))` or an error `Status`.
    fn apply(
        &mut self,
        t: &'static ResourceType,
        namespace: &str,
        name: &str,
        config: Value,
        manager: &str,
        force: bool,
        dry_run: bool,
    ) -> Result<(Value, bool), (StatusCode, Value)> {
        let Value::Object(_) = &config else {
            return Err(bad_request("the apply patch must be an object"));
        };
        if config["apiVersion"].as_str() != Some(t.api_version().as_str()) || config["kind"].as_str() != Some(t.kind) {
            return Err(bad_request(&format!(
                "the apply patch says {} {} but was sent to {}",
                config["apiVersion"],
                config["kind"],
                t.qualified()
            )));
        }
        if meta_str(&config, "name") != name {
            return Err(bad_request("the name of the object does not match the name in the URL"));
        }
        let config_ns = meta_str(&config, "namespace");
        if t.namespaced && !config_ns.is_empty() && config_ns != namespace {
            return Err(bad_request("the namespace of the object does not match the namespace in the URL"));
        }
        if t.namespaced && !self.objects.contains_key(&key(type_of_kind("Namespace"), "", namespace)) {
            return Err(not_found(type_of_kind("Namespace"), namespace));
        }
        let k = key(t, namespace, name);
        let existing = self.objects.get(&k).cloned();
        let mut managers = existing.as_ref().map(|s| s.managers.clone()).unwrap_or_default();
        let live = existing.as_ref().map(|s| s.object.clone());
        let applied: BTreeSet<Vec<String>> = leaves(&config, t);

        // Conflicts: a field another manager owns that this apply would set to another value.
        let mut conflicts = Vec::new();
        if let Some(live) = &live {
            for (other, owned) in &managers {
                if other == manager {
                    continue;
                }
                for field in &owned.fields {
                    if let Some(mine) = applied.iter().find(|a| overlaps(a, field)) {
                        if at(live, mine) != at(&config, mine) {
                            conflicts.push((other.clone(), owned.api_version.clone(), mine.clone()));
                        }
                    }
                }
            }
        }
        if !conflicts.is_empty() && !force {
            conflicts.sort();
            conflicts.dedup();
            let causes: Vec<Value> = conflicts
                .iter()
                .map(|(m, v, f)| json!({"type": "FieldManagerConflict", "message": format!("conflict with \"{m}\" using {v}"), "field": dotted(f)}))
                .collect();
            let lines: Vec<String> =
                conflicts.iter().map(|(m, v, f)| format!("conflict with \"{m}\" using {v}: {}", dotted(f))).collect();
            let message = if lines.len() == 1 {
                format!("Apply failed with 1 conflict: {}", lines[0])
            } else {
                format!("Apply failed with {} conflicts: {}", lines.len(), lines.join("\n"))
            };
            let status = status_body(
                409,
                "Conflict",
                &message,
                Some(json!({"name": name, "group": t.group, "kind": t.plural, "causes": causes})),
            );
            return Err((StatusCode::CONFLICT, status));
        }
        for (other, owned) in managers.iter_mut() {
            if other != manager {
                owned.fields.retain(|f| !applied.iter().any(|a| overlaps(a, f)));
            }
        }
        managers.retain(|_, owned| !owned.fields.is_empty());

        let mut object = live.clone().unwrap_or_else(|| json!({"metadata": {}}));
        // Fields this manager applied before and does not apply now go, unless someone else owns them.
        if let Some(previous) = managers.get(manager) {
            for field in &previous.fields {
                let still_applied = applied.iter().any(|a| overlaps(a, field));
                let owned_by_others =
                    managers.iter().any(|(m, o)| m != manager && o.fields.iter().any(|f| overlaps(f, field)));
                if !still_applied && !owned_by_others {
                    remove_path(&mut object, field);
                }
            }
        }
        let mut config = config;
        if t.has_status {
            if let Some(map) = config.as_object_mut() {
                map.remove("status");
            }
        }
        merge(&mut object, &config);
        object["apiVersion"] = json!(t.api_version());
        object["kind"] = json!(t.kind);
        if t.namespaced {
            object["metadata"]["namespace"] = json!(namespace);
        }
        managers.insert(
            manager.to_string(),
            Ownership { operation: "Apply", api_version: t.api_version(), fields: applied },
        );
        if live.is_none() {
            // Set before the defaults: a Job's selector is made of its uid.
            object["metadata"]["uid"] = json!(format!("uid-{}", self.uid + 1));
        }
        defaults(t, &mut object, self.resource_version);
        if t.kind == "Secret" {
            fold_string_data(&mut object);
        }
        object["metadata"]["managedFields"] = managed_fields(&managers);

        let created = live.is_none();
        let meta_defaults = |object: &mut Value, uid: u64| {
            object["metadata"]["uid"] = json!(format!("uid-{uid}"));
            object["metadata"]["creationTimestamp"] = json!("2025-01-01T00:00:00Z");
            object["metadata"]["generation"] = json!(1);
        };
        match &live {
            None => meta_defaults(&mut object, self.uid + 1),
            Some(live) => {
                if spec_of(live) != spec_of(&object) {
                    bump_generation(&mut object);
                }
                if *live == object {
                    // Nothing changed: the server writes nothing and the resourceVersion stays.
                    return Ok((object, false));
                }
            }
        }
        if dry_run {
            return Ok((object, created));
        }
        if created {
            self.uid += 1;
        }
        object["metadata"]["resourceVersion"] = json!(self.next_rv());
        self.objects.insert(k, Stored { object: object.clone(), managers });
        if CONTROLLED.contains(&t.kind) {
            if let Some(mut controller) = self.controller.take() {
                controller(self, &object);
                self.controller = Some(controller);
            }
            // The controller may have written status: answer with what is stored.
            if let Some(stored) = self.objects.get(&key(t, namespace, name)) {
                return Ok((stored.object.clone(), created));
            }
        }
        Ok((object, created))
    }

    fn delete(&mut self, t: &'static ResourceType, namespace: &str, name: &str) -> Option<Value> {
        let removed = self.objects.remove(&key(t, namespace, name))?.object;
        match t.kind {
            "Namespace" => self.objects.retain(|(_, ns, _), _| ns != name),
            "Deployment" => {
                let selector = removed["spec"]["selector"]["matchLabels"].as_object().cloned().unwrap_or_default();
                self.objects.retain(|(plural, ns, _), stored| {
                    !(*plural == "pods"
                        && ns == namespace
                        && !selector.is_empty()
                        && selector.iter().all(|(k, v)| stored.object["metadata"]["labels"][k] == *v))
                });
            }
            _ => {}
        }
        // Garbage collection, simplified: pods whose owner reference names the deleted object
        // (StatefulSet, DaemonSet and Job pods) go with it.
        self.objects.retain(|(plural, ns, _), stored| {
            !(*plural == "pods"
                && ns == namespace
                && stored.object["metadata"]["ownerReferences"]
                    .as_array()
                    .is_some_and(|refs| refs.iter().any(|r| r["kind"] == t.kind && r["name"] == name)))
        });
        self.next_rv();
        Some(removed)
    }
}

/// A node labelled the way minikube labels its node, listing `images` in `status.images`.
pub fn minikube_node(images: &[&str]) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "minikube", "labels": {
            "kubernetes.io/hostname": "minikube",
            "minikube.k8s.io/name": "minikube",
            "minikube.k8s.io/primary": "true",
        }},
        "status": {
            "allocatable": {"cpu": "2", "memory": "3912Mi"},
            "images": images.iter().map(|i| json!({"names": [i], "sizeBytes": 1000})).collect::<Vec<_>>(),
        },
    })
}

/// A node of a cluster that is not minikube.
pub fn plain_node(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}}, "status": {}})
}

// ---- field paths --------------------------------------------------------------------------

/// Top-level keys that identify an object rather than configure it: never owned.
fn identity(path: &[String]) -> bool {
    matches!(path, [a] if a == "apiVersion" || a == "kind")
        || matches!(path, [m, f] if m == "metadata" && (f == "name" || f == "namespace" || f == "managedFields" || f == "resourceVersion" || f == "uid" || f == "creationTimestamp" || f == "generation"))
}

/// The fields an applied configuration sets: leaves of nested maps; lists count as one field.
fn leaves(config: &Value, t: &ResourceType) -> BTreeSet<Vec<String>> {
    fn walk(v: &Value, path: &mut Vec<String>, out: &mut BTreeSet<Vec<String>>) {
        match v {
            Value::Object(map) if !map.is_empty() => {
                for (k, child) in map {
                    path.push(k.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {
                out.insert(path.clone());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(config, &mut Vec::new(), &mut out);
    out.retain(|p| !p.is_empty() && !identity(p) && !(t.has_status && p[0] == "status"));
    out
}

/// One path is the other or inside it.
fn overlaps(a: &[String], b: &[String]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

fn at<'a>(v: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(v, |node, k| node.get(k))
}

fn dotted(path: &[String]) -> String {
    path.iter().map(|k| format!(".{k}")).collect()
}

fn remove_path(v: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    if let Some(map) = parents.iter().try_fold(&mut *v, |node, k| node.get_mut(k)).and_then(Value::as_object_mut) {
        map.remove(last);
    }
    // Drop maps left empty by the removal (not `metadata`, which every object has).
    let mut depth = parents.len();
    while depth > 0 {
        let (key, above) = (&parents[depth - 1], &parents[..depth - 1]);
        if depth == 1 && key == "metadata" {
            break;
        }
        let Some(parent) = above.iter().try_fold(&mut *v, |node, k| node.get_mut(k)).and_then(Value::as_object_mut)
        else {
            break;
        };
        if !parent.get(key).is_some_and(|c| c.as_object().is_some_and(Map::is_empty)) {
            break;
        }
        parent.remove(key);
        depth -= 1;
    }
}

/// Maps merge key by key; anything else (lists included) is replaced.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                match t.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// What `generation` tracks: everything but metadata and status.
fn spec_of(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(map) = v.as_object_mut() {
        map.remove("metadata");
        map.remove("status");
    }
    v
}

fn bump_generation(object: &mut Value) {
    let generation = object["metadata"]["generation"].as_i64().unwrap_or(0);
    object["metadata"]["generation"] = json!(generation + 1);
}

/// A few defaults the API server fills in, so that live objects differ from applied ones the
/// way they do on a real cluster.
fn defaults(t: &ResourceType, object: &mut Value, seed: u64) {
    match t.kind {
        "Service" => {
            if object["spec"]["clusterIP"].is_null() {
                object["spec"]["clusterIP"] = json!(format!("10.96.{}.{}", (seed / 250) % 250, seed % 250 + 1));
            }
            if object["spec"]["type"].is_null() {
                object["spec"]["type"] = json!("ClusterIP");
            }
        }
        "Deployment" => {
            if object["spec"]["progressDeadlineSeconds"].is_null() {
                object["spec"]["progressDeadlineSeconds"] = json!(600);
            }
        }
        "StatefulSet" => {
            if object["spec"]["replicas"].is_null() {
                object["spec"]["replicas"] = json!(1);
            }
            if object["spec"]["updateStrategy"].is_null() {
                object["spec"]["updateStrategy"] = json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}});
            }
            if object["spec"]["podManagementPolicy"].is_null() {
                object["spec"]["podManagementPolicy"] = json!("OrderedReady");
            }
        }
        "DaemonSet" => {
            if object["spec"]["updateStrategy"].is_null() {
                object["spec"]["updateStrategy"] =
                    json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}});
            }
        }
        "Job" => {
            // The server selects a Job's pods by its uid and labels the template to match.
            let uid = object["metadata"]["uid"].clone();
            let name = object["metadata"]["name"].clone();
            if object["spec"]["selector"].is_null() {
                object["spec"]["selector"] = json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}});
            }
            for (label, value) in
                [("batch.kubernetes.io/controller-uid", &uid), ("batch.kubernetes.io/job-name", &name)]
            {
                object["spec"]["template"]["metadata"]["labels"][label] = value.clone();
            }
            for (field, value) in [("backoffLimit", json!(6)), ("completions", json!(1)), ("parallelism", json!(1))] {
                if object["spec"][field].is_null() {
                    object["spec"][field] = value;
                }
            }
        }
        "PersistentVolumeClaim" => {
            // Minikube's storage provisioner binds a claim as soon as it is made.
            if object["status"].is_null() {
                object["status"] = json!({"phase": "Bound"});
            }
        }
        "Namespace" => {
            if object["status"].is_null() {
                object["status"] = json!({"phase": "Active"});
            }
        }
        "Secret" => {
            if object["type"].is_null() {
                object["type"] = json!("Opaque");
            }
        }
        _ => {}
    }
}

/// The API server folds `stringData` into `data` (base64) and never returns it.
fn fold_string_data(secret: &mut Value) {
    use base64::Engine;
    let Some(string_data) = secret.as_object_mut().and_then(|m| m.remove("stringData")) else {
        return;
    };
    for (k, v) in string_data.as_object().into_iter().flatten() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(v.as_str().unwrap_or("").as_bytes());
        secret["data"][k] = json!(encoded);
    }
}

/// `metadata.managedFields` in the FieldsV1 shape (`{"f:spec": {"f:replicas": {}}}`).
fn managed_fields(managers: &BTreeMap<String, Ownership>) -> Value {
    let entries: Vec<Value> = managers
        .iter()
        .map(|(manager, owned)| {
            let mut fields = json!({});
            for path in &owned.fields {
                let mut node = &mut fields;
                for k in path {
                    node = node.as_object_mut().expect("fieldsV1 nodes are maps").entry(format!("f:{k}")).or_insert(json!({}));
                }
            }
            json!({"manager": manager, "operation": owned.operation, "apiVersion": owned.api_version, "fieldsType": "FieldsV1", "fieldsV1": fields})
        })
        .collect();
    json!(entries)
}

// ---- label selectors ----------------------------------------------------------------------

/// Match a label selector string against labels. `Err` for a selector the fake cannot parse.
fn selector_matches(selector: &str, labels: &Value) -> Result<bool, String> {
    let label = |k: &str| labels.get(k).and_then(Value::as_str);
    // Split on commas that are not inside parentheses.
    let mut terms = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in selector.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                terms.push(&selector[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    terms.push(&selector[start..]);
    for term in terms.into_iter().map(str::trim).filter(|t| !t.is_empty()) {
        let set = |rest: &str| -> Result<Vec<String>, String> {
            let rest = rest.trim();
            let inner = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .ok_or_else(|| format!("bad set in `{term}`"))?;
            Ok(inner.split(',').map(|s| s.trim().to_string()).collect())
        };
        let ok = if let Some((k, v)) = term.split_once("!=") {
            label(k.trim()) != Some(v.trim())
        } else if let Some((k, v)) = term.split_once("==") {
            label(k.trim()) == Some(v.trim())
        } else if let Some((k, v)) = term.split_once('=') {
            label(k.trim()) == Some(v.trim())
        } else if let Some((k, rest)) = term.split_once(" notin ") {
            let values = set(rest)?;
            label(k.trim()).is_none_or(|l| !values.iter().any(|v| v == l))
        } else if let Some((k, rest)) = term.split_once(" in ") {
            let values = set(rest)?;
            label(k.trim()).is_some_and(|l| values.iter().any(|v| v == l))
        } else if let Some(k) = term.strip_prefix('!') {
            label(k.trim()).is_none()
        } else if term.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
            label(term).is_some()
        } else {
            return Err(format!("unable to parse requirement: `{term}`"));
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

// ---- HTTP ---------------------------------------------------------------------------------

fn status_body(code: u16, reason: &str, message: &str, details: Option<Value>) -> Value {
    let mut status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code});
    if let Some(details) = details {
        status["details"] = details;
    }
    status
}

fn bad_request(message: &str) -> (StatusCode, Value) {
    (StatusCode::BAD_REQUEST, status_body(400, "BadRequest", message, None))
}

fn not_found(t: &ResourceType, name: &str) -> (StatusCode, Value) {
    (
        StatusCode::NOT_FOUND,
        status_body(
            404,
            "NotFound",
            &format!("{} \"{name}\" not found", t.qualified()),
            Some(json!({"name": name, "group": t.group, "kind": t.plural})),
        ),
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_map(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn resource_list(group: &str, version: &str) -> Value {
    let resources: Vec<Value> = TYPES
        .iter()
        .filter(|t| t.group == group && t.version == version)
        .flat_map(|t| {
            let verbs = json!(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
            let mut out = vec![json!({"name": t.plural, "singularName": t.kind.to_lowercase(), "namespaced": t.namespaced, "kind": t.kind, "verbs": verbs})];
            if t.has_status {
                out.push(json!({"name": format!("{}/status", t.plural), "singularName": "", "namespaced": t.namespaced, "kind": t.kind, "verbs": ["get", "patch", "update"]}));
            }
            if t.kind == "Pod" {
                out.push(json!({"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]}));
            }
            out
        })
        .collect();
    let gv = if group.is_empty() { version.to_string() } else { format!("{group}/{version}") };
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources})
}

fn group_list() -> Value {
    // Groups in the order first served, each with its versions in the order listed in TYPES.
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for t in TYPES.iter().filter(|t| !t.group.is_empty()) {
        match groups.iter_mut().find(|(g, _)| *g == t.group) {
            Some((_, versions)) if !versions.contains(&t.version) => versions.push(t.version),
            Some(_) => {}
            None => groups.push((t.group, vec![t.version])),
        }
    }
    groups.sort_by_key(|(g, _)| *g);
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(g, versions)| {
            let versions: Vec<Value> =
                versions.iter().map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v})).collect();
            json!({"name": g, "preferredVersion": versions[0].clone(), "versions": versions})
        })
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// A running fake API server. Dropping it stops accepting connections.
pub struct FakeApi {
    addr: SocketAddr,
    state: Arc<Mutex<Cluster>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeApi {
    /// Start on a random port of 127.0.0.1, on the current tokio runtime.
    pub async fn start() -> FakeApi {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(Cluster::new()));
        let shared = state.clone();
        let server = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let state = state.clone();
                        async move { misbehave(handle(&state, request).await).await }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FakeApi { addr, state, server }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A handle on the state for a task that changes it later (e.g. a rollout that finishes
    /// while kubeplay waits).
    pub fn state(&self) -> Arc<Mutex<Cluster>> {
        self.state.clone()
    }

    /// The state, for scripting. Do not hold the guard across an await.
    pub fn cluster(&self) -> MutexGuard<'_, Cluster> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Write a kubeconfig into `dir` whose context `fake` (the current one) points at this
    /// server with bearer token `token`.
    pub fn kubeconfig(&self, dir: &Path, token: &str) -> PathBuf {
        write_kubeconfig(dir, &self.url(), token)
    }

    /// Answer 401 unless the request carries `Authorization: Bearer <token>`.
    pub fn require_token(&self, token: &str) {
        self.cluster().token = Some(token.to_string());
    }

    /// Answer 403 to everything (but `/version`, which real clusters show to everyone).
    pub fn forbid_all(&self) {
        self.cluster().forbid = true;
    }

    /// Misbehave on cue (faults.rs): the first matching rule decides.
    pub fn fault(&self, rule: faults::Rule) {
        self.cluster().faults.add(rule);
    }

    /// Behave again.
    pub fn clear_faults(&self) {
        self.cluster().faults.clear();
    }

    /// Let `n` more writes through, then answer every write with 500 until `None` is set
    /// again: a cluster that goes away in the middle of an apply.
    pub fn fail_writes_after(&self, n: Option<usize>) {
        self.cluster().writes_left = n;
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.cluster().requests.clone()
    }

    /// Requests that could have changed stored state.
    pub fn writes(&self) -> Vec<Logged> {
        self.cluster().requests.iter().filter(|r| r.is_write()).cloned().collect()
    }

    pub fn clear_requests(&self) {
        self.cluster().requests.clear();
    }

    pub fn put(&self, object: Value) {
        self.cluster().put(object);
    }

    pub fn get(&self, kind: &str, namespace: &str, name: &str) -> Option<Value> {
        self.cluster().get(kind, namespace, name)
    }

    pub fn list(&self, kind: &str) -> Vec<Value> {
        self.cluster().list(kind)
    }

    pub fn set_status(&self, kind: &str, namespace: &str, name: &str, status: Value) {
        self.cluster().set_status(kind, namespace, name, status);
    }

    pub fn update_as(&self, manager: &str, kind: &str, namespace: &str, name: &str, change: impl FnOnce(&mut Value)) {
        self.cluster().update_as(manager, kind, namespace, name, change);
    }

    pub fn set_logs(&self, namespace: &str, pod: &str, previous: bool, text: &str) {
        self.cluster().set_logs(namespace, pod, previous, text);
    }

    /// Run `controller` after every apply that changes a workload of [`CONTROLLED`] (given as
    /// stored).
    pub fn set_controller(&self, controller: impl FnMut(&mut Cluster, &Value) + Send + 'static) {
        self.cluster().controller = Some(Box::new(controller));
    }
}

/// A kubeconfig with one context, `fake`, pointing at `server` over plain HTTP.
pub fn write_kubeconfig(dir: &Path, server: &str, token: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: fake\nclusters:\n- name: fake\n  cluster:\n    server: {server}\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: tester\nusers:\n- name: tester\n  user:\n    token: {token}\n"
    );
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

fn reply(code: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(serde_json::to_vec(body).expect("JSON serializes"))))
        .expect("response builds")
}

/// Apply the fault [`handle`] drew, if any, to its answer. An `Err` makes hyper close the
/// connection without answering.
async fn misbehave(
    (response, fault): (Response<Full<Bytes>>, Option<faults::Fault>),
) -> Result<Response<faults::FaultyBody>, std::io::Error> {
    use faults::{Fault, FaultyBody};
    let (mut parts, body) = response.into_parts();
    let bytes = body.collect().await.map(|c| c.to_bytes()).unwrap_or_default();
    match fault {
        Some(Fault::Reset) => Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "fault: connection reset")),
        Some(Fault::ResetMidBody) => {
            parts.headers.insert(hyper::header::CONTENT_LENGTH, bytes.len().into());
            Ok(Response::from_parts(parts, FaultyBody::broken(bytes.slice(..bytes.len() / 2))))
        }
        Some(Fault::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            Ok(Response::from_parts(parts, FaultyBody::whole(bytes)))
        }
        _ => Ok(Response::from_parts(parts, FaultyBody::whole(bytes))),
    }
}

/// Answer one request, and the fault of [`Cluster::faults`] it drew: an answer fault is answered
/// here; a reset is answered with nothing done (the request never reached the server); the
/// others are done by [`misbehave`] around the normal answer.
async fn handle(
    state: &Arc<Mutex<Cluster>>,
    request: Request<Incoming>,
) -> (Response<Full<Bytes>>, Option<faults::Fault>) {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let content_type = request.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let authorization = request.headers().get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return (reply(StatusCode::BAD_REQUEST, &status_body(400, "BadRequest", "unreadable body", None)), None)
        }
    };
    let fault = state.lock().unwrap_or_else(|e| e.into_inner()).faults.check(method.as_str(), &path);
    if let Some(fault) = &fault {
        if let Some((code, retry_after, status)) = fault.answer(&body) {
            log_request(state, &method, &path, &query, &body);
            let mut response = reply(StatusCode::from_u16(code).expect("a status code"), &status);
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(hyper::header::RETRY_AFTER, seconds.into());
            }
            return (response, None);
        }
        if matches!(fault, faults::Fault::Reset) {
            log_request(state, &method, &path, &query, &body);
            return (reply(StatusCode::OK, &json!({})), Some(fault.clone()));
        }
    }
    (answer(state, method, path, query, content_type, authorization, body), fault)
}

fn is_dry_run(method: &Method, query: &str, body: &[u8]) -> bool {
    let params = query_map(query);
    // DELETE takes its options (dryRun, propagationPolicy) as a DeleteOptions body.
    let delete_options: Value =
        if method == Method::DELETE { serde_json::from_slice(body).unwrap_or(Value::Null) } else { Value::Null };
    params.get("dryRun").is_some_and(|v| v == "All")
        || delete_options["dryRun"].as_array().is_some_and(|d| d.iter().any(|v| v == "All"))
}

fn log_request(state: &Arc<Mutex<Cluster>>, method: &Method, path: &str, query: &str, body: &[u8]) {
    let dry_run = is_dry_run(method, query, body);
    let mut cluster = state.lock().unwrap_or_else(|e| e.into_inner());
    cluster.requests.push(Logged {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        dry_run,
    });
}

fn answer(
    state: &Arc<Mutex<Cluster>>,
    method: Method,
    path: String,
    query: String,
    content_type: String,
    authorization: Option<String>,
    body: Bytes,
) -> Response<Full<Bytes>> {
    let params = query_map(&query);
    log_request(state, &method, &path, &query, &body);
    let dry_run = is_dry_run(&method, &query, &body);
    let mut cluster = state.lock().unwrap_or_else(|e| e.into_inner());

    if let Some(token) = &cluster.token {
        if authorization.as_deref() != Some(&format!("Bearer {token}")) {
            return reply(StatusCode::UNAUTHORIZED, &status_body(401, "Unauthorized", "Unauthorized", None));
        }
    }
    if path == "/version" {
        return reply(
            StatusCode::OK,
            &json!({"major": "1", "minor": "33", "gitVersion": "v1.33.0-fake", "platform": "linux/amd64"}),
        );
    }
    if cluster.forbid {
        let message = format!(
            "{method} {path} is forbidden: User \"tester\" cannot access this resource (the fake forbids everything)"
        );
        return reply(StatusCode::FORBIDDEN, &status_body(403, "Forbidden", &message, None));
    }

    if method != Method::GET && !dry_run {
        if let Some(left) = cluster.writes_left.as_mut() {
            if *left == 0 {
                let body = status_body(500, "InternalError", "etcdserver: request timed out", None);
                return reply(StatusCode::INTERNAL_SERVER_ERROR, &body);
            }
            *left -= 1;
        }
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    let (group, version, rest): (&str, &str, &[&str]) = match segments.as_slice() {
        ["api"] => {
            return reply(
                StatusCode::OK,
                &json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}),
            )
        }
        ["apis"] => return reply(StatusCode::OK, &group_list()),
        ["api", "v1"] => return reply(StatusCode::OK, &resource_list("", "v1")),
        ["apis", g, v] if TYPES.iter().any(|t| t.group == *g && t.version == *v) => {
            return reply(StatusCode::OK, &resource_list(g, v))
        }
        ["api", "v1", rest @ ..] => ("", "v1", rest),
        ["apis", g, v, rest @ ..] => (g, v, rest),
        _ => {
            return reply(
                StatusCode::NOT_FOUND,
                &status_body(404, "NotFound", "the server could not find the requested resource", None),
            )
        }
    };
    // Namespaced: namespaces/{ns}/{plural}[/{name}[/{sub}]]; else {plural}[/{name}[/{sub}]].
    let (namespace, plural, name, sub) = match rest {
        ["namespaces", ns, plural, tail @ ..] if type_of(group, version, plural).is_some_and(|t| t.namespaced) => {
            (Some(*ns), *plural, tail.first().copied(), tail.get(1).copied())
        }
        [plural, tail @ ..] => (None, *plural, tail.first().copied(), tail.get(1).copied()),
        [] => return reply(StatusCode::NOT_FOUND, &status_body(404, "NotFound", "no resource in the path", None)),
    };
    let Some(t) = type_of(group, version, plural) else {
        return reply(
            StatusCode::NOT_FOUND,
            &status_body(
                404,
                "NotFound",
                &format!("the server could not find the requested resource ({plural})"),
                None,
            ),
        );
    };
    if params.get("watch").is_some_and(|w| w == "true" || w == "1") {
        return reply(
            StatusCode::BAD_REQUEST,
            &status_body(400, "BadRequest", "watch is not supported by this fake", None),
        );
    }
    let namespace_str = namespace.unwrap_or("");

    match (method, name, sub) {
        (Method::GET, None, None) => {
            let selector = params.get("labelSelector").cloned().unwrap_or_default();
            let mut items = Vec::new();
            for ((p, ns, _), stored) in &cluster.objects {
                if *p != t.plural || (namespace.is_some() && ns != namespace_str) {
                    continue;
                }
                match selector_matches(&selector, &stored.object["metadata"]["labels"]) {
                    Ok(true) => items.push(stored.object.clone()),
                    Ok(false) => {}
                    Err(message) => {
                        return reply(StatusCode::BAD_REQUEST, &status_body(400, "BadRequest", &message, None))
                    }
                }
            }
            let rv = cluster.resource_version.to_string();
            reply(
                StatusCode::OK,
                &json!({"apiVersion": t.api_version(), "kind": format!("{}List", t.kind), "metadata": {"resourceVersion": rv}, "items": items}),
            )
        }
        (Method::GET, Some(name), None) | (Method::GET, Some(name), Some("status")) => {
            match cluster.objects.get(&key(t, namespace_str, name)) {
                Some(stored) => reply(StatusCode::OK, &stored.object),
                None => {
                    let (code, body) = not_found(t, name);
                    reply(code, &body)
                }
            }
        }
        (Method::GET, Some(name), Some("log")) if t.kind == "Pod" => {
            let previous = params.get("previous").is_some_and(|p| p == "true");
            if !cluster.objects.contains_key(&key(t, namespace_str, name)) {
                let (code, body) = not_found(t, name);
                return reply(code, &body);
            }
            let text = cluster.logs.get(&(namespace_str.to_string(), name.to_string(), previous)).cloned();
            let Some(mut text) = text else {
                let message = format!("previous terminated container in pod \"{name}\" not found");
                return reply(StatusCode::BAD_REQUEST, &status_body(400, "BadRequest", &message, None));
            };
            if let Some(n) = params.get("tailLines").and_then(|n| n.parse::<usize>().ok()) {
                let lines: Vec<&str> = text.lines().collect();
                text = lines[lines.len().saturating_sub(n)..].join("\n");
                text.push('\n');
            }
            Response::builder()
                .status(StatusCode::OK)
                .header("content-type", "text/plain")
                .body(Full::new(Bytes::from(text)))
                .expect("response builds")
        }
        (Method::PATCH, Some(name), None) => {
            if !content_type.starts_with("application/apply-patch") {
                let message = format!("the fake supports only server-side apply patches, not {content_type}");
                return reply(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    &status_body(415, "UnsupportedMediaType", &message, None),
                );
            }
            let Some(manager) = params.get("fieldManager").filter(|m| !m.is_empty()).cloned() else {
                let (code, body) =
                    bad_request("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests");
                return reply(code, &body);
            };
            let config: Value = match serde_json::from_slice(&body).or_else(|_| serde_yaml::from_slice(&body)) {
                Ok(v) => v,
                Err(e) => {
                    let (code, body) = bad_request(&format!("the apply patch is not YAML: {e}"));
                    return reply(code, &body);
                }
            };
            let force = params.get("force").is_some_and(|f| f == "true");
            match cluster.apply(t, namespace_str, name, config, &manager, force, dry_run) {
                Ok((object, created)) => reply(if created { StatusCode::CREATED } else { StatusCode::OK }, &object),
                Err((code, body)) => reply(code, &body),
            }
        }
        (Method::DELETE, Some(name), None) => {
            if dry_run {
                return match cluster.objects.get(&key(t, namespace_str, name)) {
                    Some(stored) => reply(StatusCode::OK, &stored.object),
                    None => {
                        let (code, body) = not_found(t, name);
                        reply(code, &body)
                    }
                };
            }
            match cluster.delete(t, namespace_str, name) {
                Some(object) => reply(StatusCode::OK, &object),
                None => {
                    let (code, body) = not_found(t, name);
                    reply(code, &body)
                }
            }
        }
        (method, _, _) => {
            let message = format!("{method} {path} is not supported by this fake");
            reply(StatusCode::METHOD_NOT_ALLOWED, &status_body(405, "MethodNotAllowed", &message, None))
        }
    }
}

#[cfg(test)]
mod selector_tests {
    use super::*;

    #[test]
    fn selectors_follow_the_label_selector_grammar() {
        let labels = json!({"app": "web", "tier": "front"});
        assert!(selector_matches("app=web", &labels).unwrap());
        assert!(selector_matches("app==web,tier", &labels).unwrap());
        assert!(!selector_matches("app!=web", &labels).unwrap());
        assert!(selector_matches("tier in (front,back)", &labels).unwrap());
        assert!(!selector_matches("tier notin (front)", &labels).unwrap());
        assert!(selector_matches("!missing", &labels).unwrap());
        assert!(selector_matches("", &labels).unwrap());
        assert!(selector_matches("a b c", &labels).is_err());
    }
}
