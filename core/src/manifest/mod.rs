//! The manifest set: typed Kubernetes objects, rendered by kubeplay or read from any YAML, each
//! knowing where it came from so findings can point back at a values path or a file line.

use crate::diagnostic::Location;
use crate::path::FieldPath;
use crate::resource::ResourceRef;
use crate::source::{self, SourceFile, SpanIndex};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

pub mod calls;
pub mod changes;
pub mod hooks;
mod kinds;
pub mod network_policy;
mod read;
pub mod secret_data;
pub mod volume;
pub mod workload;
mod write;

pub use kinds::{is_stateful_claim, PodController, WorkloadKind};
pub use read::{read, read_in};
pub use write::{resources_to_documents, resources_to_yaml};

/// One Kubernetes object of a kind kubeplay understands, or any other kind kept as-is.
// Every variant is boxed: the typed objects are hundreds of bytes each and differ in size, and
// a set of ten thousand objects would otherwise hold each at the size of the largest.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Namespace(Box<Namespace>),
    Secret(Box<Secret>),
    ConfigMap(Box<ConfigMap>),
    Service(Box<Service>),
    Deployment(Box<Deployment>),
    /// Every other pod-making kind (StatefulSet, DaemonSet, Job, CronJob, Pod, ...): what the
    /// rules read of it, one shape for all (see [`workload`] for the view over all of them).
    Workload(Box<PodController>),
    ServiceAccount(Box<ServiceAccount>),
    PersistentVolumeClaim(Box<PersistentVolumeClaim>),
    Ingress(Box<Ingress>),
    HorizontalPodAutoscaler(Box<HorizontalPodAutoscaler>),
    PodDisruptionBudget(Box<PodDisruptionBudget>),
    NetworkPolicy(Box<NetworkPolicy>),
    Role(Box<Role>),
    ClusterRole(Box<ClusterRole>),
    RoleBinding(Box<RoleBinding>),
    ClusterRoleBinding(Box<ClusterRoleBinding>),
    /// A kind kubeplay does not model, reported once per kind. Only read from files: the
    /// resource's [`Origin::Parsed`] keeps its tree, which is written back out as it was.
    Other {
        api_version: String,
        kind: String,
        metadata: Box<ObjectMeta>,
    },
}

/// Calls `$then` with the typed object of every k8s-openapi variant.
macro_rules! each_typed {
    ($object:expr, $o:ident => $then:expr, $other:pat => $else:expr) => {
        match $object {
            Object::Namespace($o) => $then,
            Object::Secret($o) => $then,
            Object::ConfigMap($o) => $then,
            Object::Service($o) => $then,
            Object::Deployment($o) => $then,
            Object::Workload($o) => $then,
            Object::ServiceAccount($o) => $then,
            Object::PersistentVolumeClaim($o) => $then,
            Object::Ingress($o) => $then,
            Object::HorizontalPodAutoscaler($o) => $then,
            Object::PodDisruptionBudget($o) => $then,
            Object::NetworkPolicy($o) => $then,
            Object::Role($o) => $then,
            Object::ClusterRole($o) => $then,
            Object::RoleBinding($o) => $then,
            Object::ClusterRoleBinding($o) => $then,
            $other => $else,
        }
    };
}

impl Object {
    pub fn kind(&self) -> &str {
        match self {
            Object::Namespace(_) => "Namespace",
            Object::Secret(_) => "Secret",
            Object::ConfigMap(_) => "ConfigMap",
            Object::Service(_) => "Service",
            Object::Deployment(_) => "Deployment",
            Object::Workload(w) => w.kind.as_str(),
            Object::ServiceAccount(_) => "ServiceAccount",
            Object::PersistentVolumeClaim(_) => "PersistentVolumeClaim",
            Object::Ingress(_) => "Ingress",
            Object::HorizontalPodAutoscaler(_) => "HorizontalPodAutoscaler",
            Object::PodDisruptionBudget(_) => "PodDisruptionBudget",
            Object::NetworkPolicy(_) => "NetworkPolicy",
            Object::Role(_) => "Role",
            Object::ClusterRole(_) => "ClusterRole",
            Object::RoleBinding(_) => "RoleBinding",
            Object::ClusterRoleBinding(_) => "ClusterRoleBinding",
            Object::Other { kind, .. } => kind,
        }
    }
    /// The API group of the object's kind (`apps`, `""` for the core group).
    pub fn group(&self) -> &str {
        match self {
            Object::Workload(w) => w.kind.group(),
            Object::Other { api_version, .. } => crate::resource::api_group(api_version),
            o => crate::resource::kind_info(o.kind()).map_or("", |k| k.group),
        }
    }
    pub fn metadata(&self) -> &ObjectMeta {
        each_typed!(self, o => &o.metadata, Object::Other { metadata, .. } => metadata)
    }
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }
    /// `Kind/name`: how messages name a resource.
    pub fn id(&self) -> String {
        [self.kind(), "/", self.name()].concat()
    }
    /// Whether objects of this kind live in a namespace.
    pub fn is_namespaced(&self) -> bool {
        crate::resource::is_namespaced(self.kind())
    }
    /// Helm's install order (`releaseutil.InstallOrder`).
    pub fn install_rank(&self) -> usize {
        install_rank_of(self.kind())
    }
}

/// Helm's install order (`releaseutil.InstallOrder`) of a kind; kinds outside it come last.
pub fn install_rank_of(kind: &str) -> usize {
    crate::resource::install_rank(kind)
}

/// Where a resource came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Rendered from values: which values path each manifest field came from.
    Rendered { fields: FieldMap },
    /// Read from a file: the file (index into [`ManifestSet::files`]), document index, and the
    /// object as written there with its spans (what is written back out and applied, and where
    /// findings point): the one copy of it the set keeps.
    Parsed { file: usize, document: usize, spans: SpanIndex },
}

/// Manifest field prefixes of one rendered object and the values paths they came from. Most
/// entries are static tables relative to the object's values path (`components.web`), joined
/// only when a finding asks: a render builds thousands of objects and most have no finding.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldMap {
    /// The values path relative entries hang under.
    base: String,
    /// (manifest field, values path): a values path that is empty or starts with `.` or `[`
    /// is relative to `base`; any other is absolute.
    fixed: &'static [(&'static str, &'static str)],
    /// Entries that differ per object (env variables, ports by index), absolute.
    owned: Vec<(String, String)>,
    /// Where the object's pod template really is, when not at `spec.template` (a CronJob's):
    /// the entries name the template's fields at `spec.template`, as every workload shares them.
    template_at: Option<&'static str>,
}

impl FieldMap {
    pub fn new(base: String, fixed: &'static [(&'static str, &'static str)]) -> Self {
        FieldMap { base, fixed, owned: Vec::new(), template_at: None }
    }
    /// The map of an object whose pod template is at `at`, its entries written at `spec.template`.
    pub fn with_template_at(mut self, at: &'static str) -> Self {
        self.template_at = Some(at);
        self
    }
    /// Add a per-object entry (absolute values path).
    pub fn push(&mut self, field: String, values_path: String) {
        self.owned.push((field, values_path));
    }
    /// The values path `field` was rendered from: that of the longest prefix covering it.
    /// Prefixes cover on segment boundaries (`a.b` covers `a.b[0]` and `a.b.c`, not `a.bc`).
    pub fn values_path(&self, field: &str) -> Option<String> {
        let rebased;
        let field = match self.template_at.and_then(|at| field.strip_prefix(at)) {
            Some(rest) if rest.is_empty() || rest.starts_with(['.', '[']) => {
                rebased = format!("spec.template{rest}");
                rebased.as_str()
            }
            _ => field,
        };
        let covers = |prefix: &str| {
            prefix.is_empty()
                || (field.starts_with(prefix) && matches!(field.as_bytes().get(prefix.len()), None | Some(b'.' | b'[')))
        };
        let fixed = self.fixed.iter().map(|(f, v)| (*f, *v, true));
        let owned = self.owned.iter().map(|(f, v)| (f.as_str(), v.as_str(), false));
        let (_, values, is_fixed) = fixed.chain(owned).filter(|(f, _, _)| covers(f)).max_by_key(|(f, _, _)| f.len())?;
        Some(if is_fixed && (values.is_empty() || values.starts_with(['.', '['])) {
            let mut path = self.base.clone();
            path.push_str(values);
            path
        } else {
            values.to_string()
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub object: Object,
    pub origin: Origin,
}

impl Resource {
    /// The object as written in the file it was read from; `None` for rendered objects.
    pub fn written(&self) -> Option<&source::Node> {
        match &self.origin {
            Origin::Parsed { spans, .. } => Some(spans.root()),
            Origin::Rendered { .. } => None,
        }
    }
    /// Whether the object was read from a file (rather than rendered from values).
    pub fn is_parsed(&self) -> bool {
        matches!(self.origin, Origin::Parsed { .. })
    }
    /// The namespace the object lives in, with `default_namespace` for namespaced kinds that
    /// do not say; `""` for cluster-scoped kinds.
    pub fn namespace<'a>(&'a self, default_namespace: &'a str) -> &'a str {
        if !self.object.is_namespaced() {
            return "";
        }
        match self.object.metadata().namespace.as_deref() {
            Some(namespace) if !namespace.is_empty() => namespace,
            _ => default_namespace,
        }
    }
    /// The object's typed identity: group, kind, namespace and name.
    pub fn reference(&self, default_namespace: &str) -> ResourceRef {
        let o = &self.object;
        ResourceRef::new(o.group(), o.kind(), self.namespace(default_namespace), o.name())
    }
}

/// A set of resources, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManifestSet {
    pub resources: Vec<Resource>,
    /// The namespace objects that name none are applied to (kubectl's `-n`); empty means
    /// `default`.
    pub namespace: String,
    /// Files the parsed resources came from.
    pub files: Vec<SourceFile>,
    /// Lookups the rules make thousands of times, built on first use. Build a set completely
    /// before asking it questions (render and read do).
    lookup: Lookup,
}

/// Lazily built indexes of a [`ManifestSet`]. A clone starts empty, so a cloned set may be
/// changed before its first lookup.
#[derive(Default)]
struct Lookup {
    /// Resource indexes sorted by (kind, namespace, name, index).
    sorted: std::sync::OnceLock<Vec<usize>>,
    by_name: std::sync::OnceLock<NameIndex>,
    selections: std::sync::OnceLock<Selections>,
}

/// Resource indexes by (kind, namespace, name), the first of each. The table holds indexes and
/// hashes the keys it reads from the set, so building it copies no names.
struct NameIndex {
    hasher: hashbrown::DefaultHashBuilder,
    table: hashbrown::HashTable<usize>,
}

/// Which workloads' pods each Service selects, as (Service, workload) index pairs, sorted both
/// ways.
#[derive(Default)]
struct Selections {
    by_service: Vec<(usize, usize)>,
    by_workload: Vec<(usize, usize)>,
}

impl Clone for Lookup {
    fn clone(&self) -> Self {
        Lookup::default()
    }
}

impl PartialEq for Lookup {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup")
    }
}

/// Where a finding on a resource points: the values path (rendered) or file location (parsed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedPlace {
    pub values_path: Option<FieldPath>,
    pub location: Option<Location>,
}

impl ManifestSet {
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Resource)> {
        self.resources.iter().enumerate()
    }
    pub fn deployments(&self) -> impl Iterator<Item = (usize, &Deployment)> {
        self.iter().filter_map(|(i, r)| match &r.object {
            Object::Deployment(d) => Some((i, &**d)),
            _ => None,
        })
    }
    pub fn services(&self) -> impl Iterator<Item = (usize, &Service)> {
        self.iter().filter_map(|(i, r)| match &r.object {
            Object::Service(s) => Some((i, &**s)),
            _ => None,
        })
    }
    pub fn config_maps(&self) -> impl Iterator<Item = (usize, &ConfigMap)> {
        self.iter().filter_map(|(i, r)| match &r.object {
            Object::ConfigMap(c) => Some((i, &**c)),
            _ => None,
        })
    }
    pub fn secrets(&self) -> impl Iterator<Item = (usize, &Secret)> {
        self.iter().filter_map(|(i, r)| match &r.object {
            Object::Secret(s) => Some((i, &**s)),
            _ => None,
        })
    }
    /// The namespace of namespaced objects that do not name one: the one the set is applied
    /// to, `default` unless told, as kubectl does.
    pub fn default_namespace(&self) -> &str {
        if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }
    /// The namespace resource `index` lives in (`""` for cluster-scoped kinds).
    pub fn namespace_of(&self, index: usize) -> &str {
        self.resources.get(index).map_or("", |r| r.namespace(self.default_namespace()))
    }
    /// The typed identity of resource `index`.
    pub fn reference(&self, index: usize) -> Option<ResourceRef> {
        Some(self.resources.get(index)?.reference(self.default_namespace()))
    }
    /// Every namespace the set's objects live in or create.
    pub fn namespaces(&self) -> std::collections::BTreeSet<&str> {
        let default = self.default_namespace();
        self.iter()
            .map(|(_, r)| match &r.object {
                Object::Namespace(n) => n.metadata.name.as_deref().unwrap_or(""),
                _ => r.namespace(default),
            })
            .filter(|ns| !ns.is_empty())
            .collect()
    }
    /// Find a resource by kind, namespace and name (the first, if the set repeats one). The
    /// namespace of a cluster-scoped kind is ignored.
    pub fn find(&self, kind: &str, namespace: &str, name: &str) -> Option<(usize, &Resource)> {
        use std::hash::BuildHasher;
        let default = self.default_namespace();
        let key_of = |i: usize| {
            let r = &self.resources[i];
            (r.object.kind(), r.namespace(default), r.object.name())
        };
        let index = self.lookup.by_name.get_or_init(|| {
            let mut index = NameIndex {
                hasher: Default::default(),
                table: hashbrown::HashTable::with_capacity(self.resources.len()),
            };
            for i in 0..self.resources.len() {
                let hash = index.hasher.hash_one(key_of(i));
                let rehash = |&j: &usize| index.hasher.hash_one(key_of(j));
                // A repeated object keeps the first one's place.
                if let hashbrown::hash_table::Entry::Vacant(slot) =
                    index.table.entry(hash, |&j| key_of(j) == key_of(i), rehash)
                {
                    slot.insert(i);
                }
            }
            index
        });
        let namespace = if crate::resource::is_namespaced(kind) { namespace } else { "" };
        let key = (kind, namespace, name);
        let &i = index.table.find(index.hasher.hash_one(key), |&j| key_of(j) == key)?;
        Some((i, &self.resources[i]))
    }

    /// Indexes of the objects of `kind` in `namespace` (`""` for cluster-scoped kinds), by name.
    pub fn of_kind_in<'a>(&'a self, kind: &'a str, namespace: &'a str) -> impl Iterator<Item = usize> + 'a {
        let default = self.default_namespace();
        let key_of = move |i: usize| {
            let r = &self.resources[i];
            (r.object.kind(), r.namespace(default))
        };
        let sorted = self.lookup.sorted.get_or_init(|| {
            let mut sorted: Vec<usize> = (0..self.resources.len()).collect();
            crate::sort::by_key(&mut sorted, |&i| (key_of(i), self.resources[i].object.name(), i));
            sorted
        });
        let start = sorted.partition_point(|&i| key_of(i) < (kind, namespace));
        sorted[start..].iter().copied().take_while(move |&i| key_of(i) == (kind, namespace))
    }

    /// Indexes of the workloads whose pods the Service at `service` selects (same namespace,
    /// every selector label on the pod template).
    pub fn selected_by(&self, service: usize) -> impl Iterator<Item = usize> + '_ {
        let pairs = &self.selections().by_service;
        let start = pairs.partition_point(|(s, _)| *s < service);
        pairs[start..].iter().take_while(move |(s, _)| *s == service).map(|(_, d)| *d)
    }

    /// Indexes of the Services that select the pods of the workload at `workload`.
    pub fn selecting(&self, workload: usize) -> impl Iterator<Item = usize> + '_ {
        let pairs = &self.selections().by_workload;
        let start = pairs.partition_point(|(d, _)| *d < workload);
        pairs[start..].iter().take_while(move |(d, _)| *d == workload).map(|(_, s)| *s)
    }

    fn selections(&self) -> &Selections {
        use workload::map_selects;
        self.lookup.selections.get_or_init(|| {
            let default = self.default_namespace();
            // Workloads by (namespace, pod label): a selector's first label narrows the search,
            // so matching stays linear in the set's size. Each label maps to the last of its
            // entries in `chain`, which link (workload, previous entry of the same label).
            let mut last_of_label: hashbrown::HashMap<(&str, &str, &str), usize> = Default::default();
            let mut chain: Vec<(usize, Option<usize>)> = Vec::new();
            for w in self.workloads() {
                let namespace = self.resources[w.resource].namespace(default);
                for (k, v) in w.pod_labels().into_iter().flatten() {
                    let previous = last_of_label.insert((namespace, k.as_str(), v.as_str()), chain.len());
                    chain.push((w.resource, previous));
                }
            }
            let mut by_service = Vec::new();
            for (s, service) in self.services() {
                let Some(selector) = service_selector(service) else { continue };
                let namespace = self.resources[s].namespace(default);
                let Some((k, v)) = selector.iter().next() else { continue };
                let mut entry = last_of_label.get(&(namespace, k.as_str(), v.as_str())).copied();
                while let Some((w, previous)) = entry.map(|e| chain[e]) {
                    entry = previous;
                    let Some(workload) = self.workload(w) else { continue };
                    if map_selects(selector, workload.pod_labels()) {
                        by_service.push((s, w));
                    }
                }
            }
            by_service.sort_unstable();
            let mut by_workload: Vec<(usize, usize)> = by_service.iter().map(|(s, d)| (*d, *s)).collect();
            by_workload.sort_unstable();
            Selections { by_service, by_workload }
        })
    }

    /// Give Secret keys their values (the CLI's `--secret`, for manifests read from files):
    /// each key the set's Secrets declare and `value_of` knows, in the typed Secret and in the
    /// JSON that is applied. A key under both `data` and `stringData` is set in `stringData`
    /// only: the API server lets `stringData` win.
    pub fn fill_secrets(&mut self, value_of: impl Fn(&str) -> Option<String>) {
        use base64::Engine;
        for resource in &mut self.resources {
            let Object::Secret(secret) = &mut resource.object else { continue };
            let mut written = match &mut resource.origin {
                Origin::Parsed { spans, .. } => Some(spans.root_mut()),
                Origin::Rendered { .. } => None,
            };
            let string_data = secret.string_data.as_mut();
            for (key, value) in secret.data.iter_mut().flatten() {
                if string_data.as_ref().is_some_and(|s| s.contains_key(key)) {
                    continue;
                }
                let Some(given) = value_of(key) else { continue };
                if let Some(slot) = written.as_deref_mut().and_then(|w| w.text_slot(&["data", key])) {
                    *slot = base64::engine::general_purpose::STANDARD.encode(&given);
                }
                value.0 = given.into_bytes();
            }
            for (key, value) in string_data.into_iter().flatten() {
                let Some(given) = value_of(key) else { continue };
                if let Some(slot) = written.as_deref_mut().and_then(|w| w.text_slot(&["stringData", key])) {
                    *slot = given.clone();
                }
                *value = given;
            }
        }
    }

    /// Where `field` of resource `index` is.
    pub fn resolve(&self, index: usize, field: &FieldPath) -> ResolvedPlace {
        self.resolve_written(index, field, &field.to_string())
    }

    /// [`ManifestSet::resolve`] for a finding on the key that introduces `field` (an unknown
    /// field): the key's place, or the value's where there is no key (a list item).
    pub fn resolve_key(&self, index: usize, field: &FieldPath) -> ResolvedPlace {
        if let Some(Resource { origin: Origin::Parsed { file, spans, .. }, .. }) = self.resources.get(index) {
            if let (Some(f), Some(span)) = (self.files.get(*file), spans.key(field)) {
                return ResolvedPlace { values_path: None, location: Some(source::location(f, span)) };
            }
        }
        self.resolve(index, field)
    }

    /// [`ManifestSet::resolve`] for a caller that has the field's text already.
    pub(crate) fn resolve_written(&self, index: usize, field: &FieldPath, text: &str) -> ResolvedPlace {
        let Some(resource) = self.resources.get(index) else { return ResolvedPlace::default() };
        match &resource.origin {
            Origin::Rendered { fields } => {
                let values_path = fields.values_path(text).map(|p| FieldPath::parse(&p));
                ResolvedPlace { values_path, location: None }
            }
            Origin::Parsed { file, spans, .. } => {
                let location =
                    self.files.get(*file).and_then(|f| spans.nearest(field).map(|(span, _)| source::location(f, span)));
                ResolvedPlace { values_path: None, location }
            }
        }
    }
}

/// A Service's selector, when it has a non-empty one. An absent or empty selector means the
/// Service's endpoints are managed by hand (external endpoints), so it selects no pods at all.
pub fn service_selector(service: &Service) -> Option<&std::collections::BTreeMap<String, String>> {
    service.spec.as_ref()?.selector.as_ref().filter(|s| !s.is_empty())
}

/// True when a YAML stream looks like Kubernetes manifests (a document with `apiVersion` and
/// `kind`) rather than values.
pub fn looks_like_manifests(docs: &[source::Document]) -> bool {
    docs.iter().filter_map(|d| d.root.as_ref()).any(|root| match &root.kind {
        source::NodeKind::Map(entries) => {
            entries.iter().any(|(k, _, _)| k == "apiVersion") && entries.iter().any(|(k, _, _)| k == "kind")
        }
        _ => false,
    })
}

/// Multi-document YAML of the set, in its current order. Byte-stable for the same set.
pub fn to_yaml(set: &ManifestSet) -> String {
    resources_to_yaml(&set.resources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_and_unknown_kinds_with_places() {
        let widget = "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";
        let text = format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n{widget}{widget}");
        let (set, diagnostics) = read(vec![SourceFile::new("m.yaml", text)]);
        assert_eq!(set.resources.len(), 4);
        assert_eq!(set.resources[0].object.id(), "Service/web");
        assert_eq!(set.reference(1).unwrap().to_string(), "default/Job/j");
        // Unknown kinds are kept and reported once per kind, at the first.
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].rule, "unmodeled-kind");
        assert!(diagnostics[0].message.starts_with("Widget (example.com/v1): 2 objects"), "{}", diagnostics[0].message);
        assert_eq!(diagnostics[0].location.as_ref().unwrap().line, 14);
        let place = set.resolve(0, &FieldPath::parse("spec.ports[0].port"));
        assert_eq!(place.location.unwrap().line, 7);
    }

    #[test]
    fn list_items_are_objects_with_their_own_lines() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a, namespace: shop}\n- apiVersion: apps/v1\n  kind: StatefulSet\n  metadata: {name: db, namespace: shop}\n  spec:\n    replicas: x\n";
        let (set, diagnostics) = read(vec![SourceFile::new("m.yaml", text)]);
        assert_eq!(set.resources.len(), 2, "the ConfigMap, and the StatefulSet read without its bad field");
        assert_eq!(set.reference(0).unwrap().to_string(), "shop/ConfigMap/a");
        assert_eq!(set.reference(1).unwrap().to_string(), "shop/StatefulSet/db");
        assert_eq!(diagnostics[0].rule, "manifest-invalid");
        assert_eq!(diagnostics[0].location.as_ref().unwrap().line, 11);
        // The tree kept is the one written, bad field and all.
        assert!(set.resources[1].written().unwrap().get("spec").unwrap().get("replicas").is_some());
    }

    #[test]
    fn an_object_is_read_without_the_fields_it_cannot_read_but_not_without_its_name() {
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: x\n  template:\n    spec:\n      terminationGracePeriodSeconds: soon\n      containers: [{name: web, image: nginx:1.27, volumeMounts: [{name: data, mountPath: /d}]}]\n";
        let (set, diagnostics) = read(vec![SourceFile::new("m.yaml", deployment)]);
        assert_eq!(set.resources.len(), 1);
        // One finding for the first bad field; the rules then see the rest of the object.
        assert_eq!(diagnostics.iter().filter(|d| d.rule == "manifest-invalid").count(), 1, "{diagnostics:?}");
        let analysis = crate::analyze_manifests(vec![SourceFile::new("m.yaml", deployment)], crate::Profile::Minikube);
        assert!(analysis.diagnostics.iter().any(|d| d.rule == "volume-mount-unknown"), "{:?}", analysis.diagnostics);
        for unnamed in [
            deployment.replace("{name: web}", "{name: [web]}"),
            deployment.replace("kind: Deployment", "kind: [Deployment]"),
            deployment.replace("metadata: {name: web}", "metadata: web"),
        ] {
            let (set, diagnostics) = read(vec![SourceFile::new("m.yaml", unnamed.as_str())]);
            assert!(set.resources.is_empty(), "{unnamed}");
            assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        }
    }

    #[test]
    fn the_same_names_in_two_namespaces_are_two_resources() {
        let app =
            |ns: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings, namespace: {ns}}}\n---\n");
        let (set, _) = read(vec![SourceFile::new("m.yaml", format!("{}{}", app("a"), app("b")))]);
        assert_eq!(set.find("ConfigMap", "b", "settings").map(|(i, _)| i), Some(1));
        assert_eq!(set.find("ConfigMap", "a", "settings").map(|(i, _)| i), Some(0));
        assert_eq!(set.namespaces().into_iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn filled_secrets_change_the_typed_secret_and_the_json_applied() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  A: \"\"\n  B: \"\"\n  C: \"\"\nstringData:\n  B: \"\"\n";
        let (mut set, diagnostics) = read(vec![SourceFile::new("m.yaml", text)]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        set.fill_secrets(|key| (key != "C").then(|| format!("{key}-value")));
        let Object::Secret(secret) = &set.resources[0].object else { unreachable!() };
        let data = secret.data.as_ref().unwrap();
        assert_eq!(data["A"].0, b"A-value");
        // B is under stringData too: the API server takes stringData's, so data's stays as is.
        assert_eq!(data["B"].0, b"");
        assert_eq!(data["C"].0, b"", "no value given");
        assert_eq!(secret.string_data.as_ref().unwrap()["B"], "B-value");
        let json = set.resources[0].to_json();
        assert_eq!(json["data"], serde_json::json!({"A": "QS12YWx1ZQ==", "B": "", "C": ""}));
        assert_eq!(json["stringData"], serde_json::json!({"B": "B-value"}));
    }

    #[test]
    fn fields_read_outside_the_rules_survive_the_read() {
        // The lifecycle's deadline and a copied Service's load balancer address.
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  progressDeadlineSeconds: 120\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: LoadBalancer}\nstatus:\n  loadBalancer:\n    ingress: [{ip: 10.0.0.7}]\n";
        let (set, diagnostics) = read(vec![SourceFile::new("m.yaml", text)]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let Object::Deployment(d) = &set.resources[0].object else { unreachable!() };
        assert_eq!(d.spec.as_ref().unwrap().progress_deadline_seconds, Some(120));
        let Object::Service(s) = &set.resources[1].object else { unreachable!() };
        let ingress = s.status.as_ref().and_then(|s| s.load_balancer.as_ref()).and_then(|l| l.ingress.as_ref());
        assert_eq!(ingress.unwrap()[0].ip.as_deref(), Some("10.0.0.7"));
    }

    #[test]
    fn parsed_objects_are_written_back_as_written() {
        // Field order, fields kubeplay does not model and kinds it does not know all survive.
        let text = "kind: Service\napiVersion: v1\nmetadata:\n  name: web\nspec:\n  sessionAffinity: ClientIP\n  ports:\n  - port: 80\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  backoffLimit: 2\n";
        let (set, _) = read(vec![SourceFile::new("m.yaml", text)]);
        assert_eq!(to_yaml(&set), format!("---\n{text}"));
        assert_eq!(set.resources[1].to_json()["spec"]["backoffLimit"], 2);
    }

    #[test]
    fn an_unquoted_boolean_where_text_is_wanted_says_to_quote_it() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\nstringData:\n  tls.key: y\n";
        let (_, diagnostics) = read(vec![SourceFile::new("m.yaml", text)]);
        assert_eq!(diagnostics[0].location.as_ref().unwrap().line, 5);
        assert!(diagnostics[0].message.ends_with("write \"y\"."), "{}", diagnostics[0].message);
    }

    #[test]
    fn wrong_field_types_are_errors_at_the_field() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: 80\n";
        let (_, diagnostics) = read(vec![SourceFile::new("m.yaml", text)]);
        assert_eq!(diagnostics[0].rule, "manifest-invalid");
        assert_eq!(diagnostics[0].location.as_ref().unwrap().line, 6);
    }

    #[test]
    fn field_maps_take_the_longest_covering_prefix_on_segment_boundaries() {
        const FIXED: &[(&str, &str)] = &[("", ""), ("metadata.namespace", "namespace"), ("spec.a", ".x")];
        let mut map = FieldMap::new("components.web".into(), FIXED);
        map.push("spec.a.list[0]".into(), "components.web.list[\"k\"]".into());
        assert_eq!(map.values_path("spec.a.b").as_deref(), Some("components.web.x"));
        assert_eq!(map.values_path("spec.a").as_deref(), Some("components.web.x"));
        // `spec.a` does not cover `spec.ab`: the root entry does.
        assert_eq!(map.values_path("spec.ab").as_deref(), Some("components.web"));
        assert_eq!(map.values_path("metadata.namespace").as_deref(), Some("namespace"));
        assert_eq!(map.values_path("spec.a.list[0].x").as_deref(), Some("components.web.list[\"k\"]"));
        assert_eq!(FieldMap::new("x".into(), &[("spec", ".s")]).values_path("status"), None);
    }

    #[test]
    fn tells_manifests_from_values() {
        let docs = source::parse(&SourceFile::new("a", "apiVersion: v1\nkind: Namespace\n")).unwrap();
        assert!(looks_like_manifests(&docs));
        let docs = source::parse(&SourceFile::new("a", "components: {}\n")).unwrap();
        assert!(!looks_like_manifests(&docs));
    }
}
