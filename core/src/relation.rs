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
/// relationship rule.
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
