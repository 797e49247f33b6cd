//! Relationships between resources: what the relationship rules draw and the graph shows. An
//! edge that does not hold is a rule's finding, so the graph and the problems list agree.

use crate::resource::ResourceRef;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Namespace contains a namespaced object.
    Contains,
    /// A workload makes pods from its template (its selector must match the template labels).
    Manages,
    /// Service selects pods by labels.
    Selects,
    /// Service port goes to a container port.
    RoutesTo,
    /// Pods take all keys of a ConfigMap or Secret (`envFrom`).
    EnvFrom,
    /// Pods take one key of a ConfigMap or Secret.
    KeyRef,
    /// An env value is a URL or host:port of a Service.
    Calls,
    /// Pods mount a ConfigMap, Secret or PersistentVolumeClaim as a volume.
    Mounts,
    /// A StatefulSet's governing headless Service (`serviceName`).
    Governs,
    /// An Ingress sends a host or path to a Service port.
    Backend,
    /// An Ingress terminates TLS with a Secret's certificate.
    Tls,
    /// A HorizontalPodAutoscaler scales a workload.
    Scales,
    /// A PodDisruptionBudget limits voluntary evictions of pods.
    Protects,
    /// A NetworkPolicy applies to pods.
    Isolates,
    /// A NetworkPolicy admits traffic from pods.
    AllowsFrom,
    /// Pods run as a ServiceAccount.
    RunsAs,
    /// Pods pull their images with a registry Secret.
    PullsWith,
    /// A RoleBinding grants a Role to a subject.
    Binds,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Contains => "contains",
            EdgeKind::Manages => "manages",
            EdgeKind::Selects => "selects",
            EdgeKind::RoutesTo => "routes to",
            EdgeKind::EnvFrom => "env from",
            EdgeKind::KeyRef => "key ref",
            EdgeKind::Calls => "calls",
            EdgeKind::Mounts => "mounts",
            EdgeKind::Governs => "governs",
            EdgeKind::Backend => "backend",
            EdgeKind::Tls => "tls",
            EdgeKind::Scales => "scales",
            EdgeKind::Protects => "protects",
            EdgeKind::Isolates => "isolates",
            EdgeKind::AllowsFrom => "allows from",
            EdgeKind::RunsAs => "runs as",
            EdgeKind::PullsWith => "pulls with",
            EdgeKind::Binds => "binds",
        }
    }
}

impl EdgeKind {
    /// Why such a link holds, for a learner: what Kubernetes does with it.
    pub fn explain(self) -> &'static str {
        match self {
            EdgeKind::Contains => "The namespace holds the object: names are unique within it, and bare names resolve there.",
            EdgeKind::Manages => "The controller keeps the pods its template describes running, and its selector finds them by their labels.",
            EdgeKind::Selects => "The Service's selector matches the pods' labels, so it sends its traffic to them.",
            EdgeKind::RoutesTo => "The Service's targetPort names a port the pods' containers declare, so its traffic lands there.",
            EdgeKind::EnvFrom => "The pods take every key of the ConfigMap or Secret as environment variables when they start.",
            EdgeKind::KeyRef => "The pods take this key as an environment variable when they start; without it they do not start.",
            EdgeKind::Calls => "An environment value names the Service by its DNS name and port, so the app calls it there.",
            EdgeKind::Mounts => "The pods mount it as files in a volume.",
            EdgeKind::Governs => "The headless Service gives each pod of the StatefulSet its own stable DNS name.",
            EdgeKind::Backend => "The Ingress sends requests for this host and path to the Service's port.",
            EdgeKind::Tls => "The Ingress serves HTTPS with the certificate in this Secret.",
            EdgeKind::Scales => "The autoscaler sets the workload's replicas from the metrics it watches.",
            EdgeKind::Protects => "The budget limits how many of these pods a voluntary eviction (a node drain) may take at once.",
            EdgeKind::Isolates => "The policy selects these pods: only the traffic it allows reaches them.",
            EdgeKind::AllowsFrom => "The policy lets traffic from these pods in.",
            EdgeKind::RunsAs => "The pods run as this ServiceAccount, with its permissions and token.",
            EdgeKind::PullsWith => "The kubelet logs in to the image registry with this Secret to pull the pods' images.",
            EdgeKind::Binds => "The binding grants the role's permissions to the subject.",
        }
    }
}

/// An edge between two resources (or the pods of a workload: kind `Pods`), drawn by a
/// relationship rule, with its ends written out ([`DrawnEdges::get`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: ResourceRef,
    pub to: ResourceRef,
    pub kind: EdgeKind,
    /// Short text on the edge, e.g. `80 -> http (8000)`.
    pub label: String,
    /// The rule that found this edge broken, with its message; `None` when it holds.
    pub broken: Option<(&'static str, String)>,
}

/// The edges the relationship rules draw, each end kept once in [`Ends`]: a large set draws
/// tens of thousands of edges between far fewer resources, and an identity is four strings.
#[derive(Debug, Clone, Default)]
pub struct DrawnEdges {
    pub ends: Ends,
    pub edges: Vec<DrawnEdge>,
}

/// An edge whose ends are indexes into [`DrawnEdges::ends`].
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnEdge {
    pub from: u32,
    pub to: u32,
    pub kind: EdgeKind,
    pub label: String,
    /// Boxed: most edges hold, and an edge is in a list of thousands.
    pub broken: Option<Box<(&'static str, String)>>,
}

impl DrawnEdges {
    pub fn push(&mut self, edge: Edge) {
        let from = self.ends.intern(edge.from);
        let to = self.ends.intern(edge.to);
        self.edges.push(DrawnEdge { from, to, kind: edge.kind, label: edge.label, broken: edge.broken.map(Box::new) });
    }
    pub fn len(&self) -> usize {
        self.edges.len()
    }
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
    /// Edge `i` with its ends written out.
    pub fn get(&self, i: usize) -> Edge {
        let e = &self.edges[i];
        Edge {
            from: self.ends[e.from].clone(),
            to: self.ends[e.to].clone(),
            kind: e.kind,
            label: e.label.clone(),
            broken: e.broken.as_deref().cloned(),
        }
    }
    /// Every edge with its ends written out, in the order drawn.
    pub fn iter(&self) -> impl Iterator<Item = Edge> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Resources (or what is made of each, such as a graph node), each kept once, in the order
/// first named: [`Ends::intern`] gives the index of an identity, adding it if it is new.
#[derive(Debug, Clone)]
pub struct Ends<T = ResourceRef> {
    items: Vec<T>,
    index: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

/// What [`Ends`] keeps per identity.
pub trait Identified {
    fn identity(&self) -> &ResourceRef;
}

impl Identified for ResourceRef {
    fn identity(&self) -> &ResourceRef {
        self
    }
}

impl<T> Default for Ends<T> {
    fn default() -> Self {
        Ends::with_capacity(0)
    }
}

impl<T> Ends<T> {
    pub fn with_capacity(n: usize) -> Ends<T> {
        Ends { items: Vec::with_capacity(n), index: hashbrown::HashTable::with_capacity(n), hasher: Default::default() }
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
    pub fn items(&self) -> &[T] {
        &self.items
    }
}

impl<T: Identified> Ends<T> {
    /// Room for `more` identities, without growing by doubling.
    pub fn reserve(&mut self, more: usize) {
        use std::hash::BuildHasher;
        self.items.reserve_exact(more);
        let (items, hasher) = (&self.items, &self.hasher);
        self.index.reserve(more, |&i| hasher.hash_one(items[i as usize].identity()));
    }
    /// The index of `resource`, if it is kept.
    pub fn find(&self, resource: &ResourceRef) -> Option<u32> {
        use std::hash::BuildHasher;
        let items = &self.items;
        self.index.find(self.hasher.hash_one(resource), |&i| items[i as usize].identity() == resource).copied()
    }
    /// The index of `resource`, made into a `T` by `make` if it is new.
    pub fn intern_with(&mut self, resource: ResourceRef, make: impl FnOnce(ResourceRef) -> T) -> u32 {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(&resource);
        let items = &self.items;
        if let Some(&i) = self.index.find(hash, |&i| *items[i as usize].identity() == resource) {
            return i;
        }
        let i = u32::try_from(self.items.len()).expect("fewer than 2^32 identities");
        self.items.push(make(resource));
        let (items, hasher) = (&self.items, &self.hasher);
        self.index.insert_unique(hash, i, |&i| hasher.hash_one(items[i as usize].identity()));
        i
    }
}

impl Ends<ResourceRef> {
    pub fn intern(&mut self, resource: ResourceRef) -> u32 {
        self.intern_with(resource, |r| r)
    }
}

impl<T> std::ops::Index<u32> for Ends<T> {
    type Output = T;
    fn index(&self, i: u32) -> &T {
        &self.items[i as usize]
    }
}
