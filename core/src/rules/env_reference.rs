//! env-ref-missing-object, env-ref-missing-key: env references must name existing ConfigMaps, Secrets and keys.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{all_containers, env_references, EnvReference};
use crate::manifest::{ManifestSet, Object, Resource};
use crate::path::FieldPath;
use crate::resource::ResourceRef;
use hashbrown::HashSet;

pub const MISSING_OBJECT: Rule = Rule {
    id: "env-ref-missing-object",
    summary: "envFrom and key references must name a ConfigMap or Secret in the set, or the pod fails with CreateContainerConfigError.",
    help: "Create the ConfigMap/Secret, or fix the name the container refers to.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check_missing_object),
};

pub const MISSING_KEY: Rule = Rule {
    id: "env-ref-missing-key",
    summary: "A configMapKeyRef or secretKeyRef must name a key that exists, or the pod fails with CreateContainerConfigError.",
    help: "Add the key to the ConfigMap/Secret, or fix the key name.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check_missing_key),
};

/// One reference from a container to a ConfigMap or Secret, with the container's place.
struct EnvRef<'a> {
    /// The workload's index in the set.
    resource: usize,
    /// The workload's pods.
    pods: &'a ResourceRef,
    container: &'a str,
    namespace: &'a str,
    reference: EnvReference<'a>,
}

impl EnvRef<'_> {
    fn from(&self) -> ResourceRef {
        self.pods.clone()
    }
    fn to(&self) -> ResourceRef {
        ResourceRef::to_kind(self.reference.kind, self.namespace, self.reference.name)
    }
    fn edge_kind(&self) -> EdgeKind {
        if self.reference.key.is_some() {
            EdgeKind::KeyRef
        } else {
            EdgeKind::EnvFrom
        }
    }
    fn label(&self, note: Note) -> String {
        let note = match note {
            Note::None => "",
            Note::OptionalMissing => ", optional, missing",
        };
        match self.reference.key {
            Some((_, key)) => ["key ref (", key, ")", note].concat(),
            None => ["env from", note].concat(),
        }
    }
    /// What the container asks for, as the start of a message.
    fn what(&self) -> String {
        let EnvReference { kind, name, .. } = self.reference;
        match self.reference.key {
            Some((env, key)) => {
                format!("env `{env}` of container `{}` takes key `{key}` of {kind} `{name}`", self.container)
            }
            None => format!("container `{}` takes every key of {kind} `{name}` (envFrom)", self.container),
        }
    }
}

/// What an edge's label adds to the reference.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Note {
    None,
    /// `optional, missing`: an optional reference to something absent holds.
    OptionalMissing,
}

/// The pods node of every workload, by index (built once per rule run).
fn pods_nodes(set: &ManifestSet) -> hashbrown::HashMap<usize, ResourceRef> {
    set.workloads().map(|w| (w.resource, w.pods_ref(set))).collect()
}

/// Every ConfigMap/Secret reference of every container and init container, in set order.
fn references<'a>(
    set: &'a ManifestSet,
    pods: &'a hashbrown::HashMap<usize, ResourceRef>,
) -> impl Iterator<Item = EnvRef<'a>> {
    all_containers(set).flat_map(move |c| {
        let namespace = set.namespace_of(c.resource());
        let (resource, container) = (c.resource(), c.container.name.as_str());
        let pods = &pods[&resource];
        env_references(&c).map(move |reference| EnvRef { resource, pods, container, namespace, reference })
    })
}

/// Draws each relation once: the same pods may refer to the same key from several env vars or
/// containers. Later broken references are still reported, each at its own place.
/// A relation is keyed by what its node IDs and label are made of (Deployment, kind, name, key,
/// note), so checking it formats nothing.
#[derive(Default)]
struct Drawn<'a>(HashSet<(usize, &'static str, &'a str, Option<&'a str>, Note)>);

impl<'a> Drawn<'a> {
    fn first(&mut self, r: &EnvRef<'a>, note: Note) -> bool {
        let key = r.reference.key.map(|(_, key)| key);
        self.0.insert((r.resource, r.reference.kind, r.reference.name, key, note))
    }
    fn holds(&mut self, sink: &mut ManifestSink, r: &EnvRef<'a>, note: Note) {
        if self.first(r, note) {
            sink.edge(r.from(), r.to(), r.edge_kind(), r.label(note));
        }
    }
    fn broken(&mut self, sink: &mut ManifestSink, r: &EnvRef<'a>, field: FieldPath, message: String) {
        if self.first(r, Note::None) {
            sink.broken_edge(r.from(), r.to(), r.edge_kind(), r.label(Note::None), (r.resource, field), message);
        } else {
            sink.report(r.resource, field, message);
        }
    }
}

// Each relation is drawn once, by the rule that owns its outcome: `check_missing_object` draws
// the `envFrom` edges and the key edges whose object is missing; `check_missing_key` draws the
// key edges whose object exists.
fn check_missing_object(set: &ManifestSet, sink: &mut ManifestSink) {
    let pods = pods_nodes(set);
    let mut drawn = Drawn::default();
    for r in references(set, &pods) {
        let EnvReference { kind, name, key, optional, .. } = r.reference;
        let exists = set.find(kind, r.namespace, name).is_some();
        match (exists, key) {
            // Key edges of existing objects are check_missing_key's.
            (true, Some(_)) => {}
            (true, None) => drawn.holds(sink, &r, Note::None),
            (false, _) if optional => drawn.holds(sink, &r, Note::OptionalMissing),
            (false, _) => {
                let message = format!(
                    "{}, but there is no {kind} `{name}` in namespace `{}`: the pod fails with CreateContainerConfigError.{}",
                    r.what(),
                    r.namespace,
                    missing_object_hint(set, &r)
                );
                drawn.broken(sink, &r, r.reference.name_field(), message);
            }
        }
    }
}

fn check_missing_key(set: &ManifestSet, sink: &mut ManifestSink) {
    let pods = pods_nodes(set);
    let mut drawn = Drawn::default();
    for r in references(set, &pods) {
        let EnvReference { kind, name, key, optional, .. } = r.reference;
        let Some((_, key)) = key else { continue };
        // Missing objects are check_missing_object's.
        let Some((_, object)) = set.find(kind, r.namespace, name) else {
            continue;
        };
        if has_key(object, key) {
            drawn.holds(sink, &r, Note::None);
        } else if optional {
            drawn.holds(sink, &r, Note::OptionalMissing);
        } else {
            let keys = keys_of(object);
            let listed =
                if keys.is_empty() { "it has no keys".to_string() } else { format!("its keys: {}", keys.join(", ")) };
            let suggestion = crate::presets::suggest(key, keys.iter().copied())
                .map(|k| format!(" Did you mean `{k}`?"))
                .unwrap_or_default();
            let message = format!("{}, but {kind} `{name}` has no key `{key}` ({listed}): the pod fails with CreateContainerConfigError.{suggestion}", r.what());
            drawn.broken(sink, &r, r.reference.key_field(), message);
        }
    }
}

/// The keys a ConfigMap (`data`, `binaryData`) or Secret (`data`, `stringData`) provides, in
/// map order (a key may come twice).
fn provided_keys(resource: &Resource) -> Box<dyn Iterator<Item = &str> + '_> {
    fn keys<V>(map: &Option<std::collections::BTreeMap<String, V>>) -> impl Iterator<Item = &str> {
        map.iter().flatten().map(|(k, _)| k.as_str())
    }
    match &resource.object {
        Object::ConfigMap(c) => Box::new(keys(&c.data).chain(keys(&c.binary_data))),
        Object::Secret(s) => Box::new(keys(&s.data).chain(keys(&s.string_data))),
        _ => Box::new(std::iter::empty()),
    }
}

/// True when a ConfigMap or Secret provides `key`.
fn has_key(resource: &Resource, key: &str) -> bool {
    provided_keys(resource).any(|k| k == key)
}

/// The keys a ConfigMap or Secret provides, sorted, each once.
fn keys_of(resource: &Resource) -> Vec<&str> {
    let mut keys: Vec<&str> = provided_keys(resource).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Why the object may be missing: it lives in another namespace, it is the other kind, or its
/// name is a typo of one that exists.
fn missing_object_hint(set: &ManifestSet, r: &EnvRef) -> String {
    let default = set.default_namespace();
    let EnvReference { kind, name, key, .. } = r.reference;
    let same_kind_elsewhere = set.iter().find(|(_, o)| o.object.kind() == kind && o.object.name() == name);
    if let Some((_, other)) = same_kind_elsewhere {
        return format!(
            " {} `{}` is in namespace `{}`, but pods can only use those of their own namespace.",
            kind,
            name,
            other.namespace(default)
        );
    }
    let other_kind = if kind == "ConfigMap" { "Secret" } else { "ConfigMap" };
    if set.find(other_kind, r.namespace, name).is_some() {
        let reference = match (other_kind, key.is_some()) {
            ("Secret", true) => "secretKeyRef",
            ("Secret", false) => "secretRef",
            (_, true) => "configMapKeyRef",
            (_, false) => "configMapRef",
        };
        return format!(" There is a {other_kind} of that name: refer to it with `{reference}`.");
    }
    let names = set
        .iter()
        .filter(|(_, o)| o.object.kind() == kind && o.namespace(default) == r.namespace)
        .map(|(_, o)| o.object.name());
    match crate::presets::suggest(name, names) {
        Some(suggested) => format!(" Did you mean `{suggested}`?"),
        None if name.is_empty() => " The name is empty.".to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const OBJECT: &str = "env-ref-missing-object";
    const KEY: &str = "env-ref-missing-key";
    const CTR: &str = "spec.template.spec.containers[0]";

    fn with_container(objects: &str, container: &str) -> String {
        format!(
            "{objects}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {{app: api}}\n  template:\n    metadata:\n      labels: {{app: api}}\n    spec:\n      containers:\n        - name: api\n          image: api:1.0\n{container}"
        )
    }

    const OBJECTS: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  TOKEN: x\n";

    #[test]
    fn the_default_render_draws_every_key_ref_once_and_holding() {
        let objects = rendered(OBJECT, "{}");
        assert!(objects.findings.is_empty() && objects.edges.is_empty(), "{:?}", objects.edges);
        let keys = rendered(KEY, "{}");
        assert!(keys.findings.is_empty(), "{:?}", keys.findings);
        // Backend: 3 config + 3 secret keys; frontend: 1 secret key.
        assert_eq!(keys.edges.len(), 7);
        assert!(keys.edges.iter().any(|e| e.from == "todo-chatbot/Pods/todo-frontend"
            && e.to == "todo-chatbot/Secret/todo-chatbot-secrets"
            && e.label == "key ref (BETTER_AUTH_SECRET)"));
    }

    #[test]
    fn a_key_the_config_map_lacks_is_broken_at_the_key() {
        let sink = rendered(KEY, "components:\n  todo-backend:\n    configKeys: [LOG_LEVEL, LOG_LEVLE]\n");
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), format!("{CTR}.env[1].valueFrom.configMapKeyRef.key"));
        assert!(sink.findings[0].message.contains("Did you mean `LOG_LEVEL`?"), "{}", sink.findings[0].message);
        let broken: Vec<String> = sink.edges.iter().filter(|e| e.broken.is_some()).map(|e| e.label).collect();
        assert_eq!(broken, ["key ref (LOG_LEVLE)"]);
        // The object exists, so the object rule stays quiet and draws nothing for key refs.
        let objects = rendered(OBJECT, "components:\n  todo-backend:\n    configKeys: [LOG_LEVEL, LOG_LEVLE]\n");
        assert!(objects.findings.is_empty() && objects.edges.is_empty());
    }

    #[test]
    fn a_missing_object_is_drawn_by_the_object_rule_only() {
        // No secrets: the render has no Secret, yet secretKeys still refer to it.
        let overlay = "secrets: null\n";
        let objects = rendered(OBJECT, overlay);
        // Backend: 3 config keys then 3 secret keys; frontend: BACKEND_URL then 1 secret key.
        assert_eq!(objects.findings.len(), 4);
        assert_eq!(objects.findings[0].field.to_string(), format!("{CTR}.env[3].valueFrom.secretKeyRef.name"));
        assert!(
            objects.findings[0].message.contains("no Secret `todo-chatbot-secrets` in namespace `todo-chatbot`"),
            "{}",
            objects.findings[0].message
        );
        assert!(objects.edges.iter().all(|e| e.broken.is_some() && e.to == "todo-chatbot/Secret/todo-chatbot-secrets"));
        let keys = rendered(KEY, overlay);
        assert!(keys.edges.iter().all(|e| e.to != "todo-chatbot/Secret/todo-chatbot-secrets"), "{:?}", keys.edges);
        assert!(keys.findings.is_empty());
    }

    #[test]
    fn env_from_edges_hold_or_break_and_optional_refs_do_not_fire() {
        let container = "          envFrom:\n            - configMapRef: {name: settings}\n            - secretRef: {name: cred}\n            - configMapRef: {name: extra, optional: true}\n";
        let sink = manifests(OBJECT, &with_container(OBJECTS, container));
        assert_eq!(sink.findings.len(), 1, "{:?}", sink.findings);
        assert_eq!(sink.findings[0].field.to_string(), format!("{CTR}.envFrom[1].secretRef.name"));
        assert!(sink.findings[0].message.contains("Did you mean `creds`?"), "{}", sink.findings[0].message);
        let edges: Vec<(String, bool)> = sink.edges.iter().map(|e| (e.to.to_string(), e.broken.is_some())).collect();
        let expected =
            [("default/ConfigMap/settings", false), ("default/Secret/cred", true), ("default/ConfigMap/extra", false)];
        assert_eq!(edges, expected.map(|(to, broken)| (to.to_string(), broken)));
    }

    #[test]
    fn string_data_keys_count_and_the_wrong_kind_is_explained() {
        let container = "          env:\n            - name: TOKEN\n              valueFrom:\n                secretKeyRef: {name: creds, key: TOKEN}\n            - name: LEVEL\n              valueFrom:\n                secretKeyRef: {name: settings, key: LOG_LEVEL}\n";
        let yaml = with_container(OBJECTS, container);
        let keys = manifests(KEY, &yaml);
        assert!(keys.findings.is_empty(), "{:?}", keys.findings);
        assert_eq!(keys.edges.len(), 1);
        let objects = manifests(OBJECT, &yaml);
        assert_eq!(objects.findings.len(), 1);
        assert!(objects.findings[0].message.contains("`configMapKeyRef`"), "{}", objects.findings[0].message);
    }

    #[test]
    fn the_same_broken_key_twice_is_one_edge_and_two_findings() {
        let container = "          env:\n            - name: A\n              valueFrom:\n                configMapKeyRef: {name: settings, key: NOPE}\n            - name: B\n              valueFrom:\n                configMapKeyRef: {name: settings, key: NOPE}\n";
        let sink = manifests(KEY, &with_container(OBJECTS, container));
        assert_eq!(sink.findings.len(), 2);
        assert_eq!(sink.edges.len(), 1);
    }
}
