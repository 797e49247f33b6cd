//! What NetworkPolicies let in: which policies isolate a pod, and whether one admits a caller
//! on a port, as the network plugin enforces them. Where the set cannot tell (an `ipBlock`, a
//! namespace's labels the set does not hold) the answer is `None`, and rules assume admitted.

use super::workload::{label_selector_selects, PodLabelIndex, Workload};
use super::{ManifestSet, Object};
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The label every namespace carries, set by the API server.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Where traffic lands on a pod: the container port number, its name if a container declares
/// one there, and the protocol.
pub struct Landing<'a> {
    pub number: i32,
    pub name: Option<&'a str>,
    pub protocol: &'a str,
}

/// Who opens the connection.
pub enum Caller<'a> {
    /// Pods of a workload of the set, in their namespace.
    Pods { workload: &'a Workload<'a>, namespace: &'a str },
    /// Some pod of another namespace, labels unknown: an ingress controller.
    Elsewhere,
    /// Outside the cluster: through a LoadBalancer or a NodePort.
    Outside,
}

/// Which NetworkPolicies isolate each workload's pods for incoming traffic: those of its
/// namespace whose podSelector selects them, and whose `policyTypes` names Ingress or is left
/// out (then Ingress is always implied). Built once per check, through the pod label index, so
/// that asking for every workload stays linear in the set.
pub struct Isolation<'a> {
    by_workload: hashbrown::HashMap<usize, Vec<(usize, &'a NetworkPolicy)>>,
}

impl<'a> Isolation<'a> {
    pub fn new(set: &'a ManifestSet) -> Self {
        let policies: Vec<(usize, &NetworkPolicy)> = set
            .iter()
            .filter_map(|(i, r)| match &r.object {
                Object::NetworkPolicy(p) => Some((i, &**p)),
                _ => None,
            })
            .filter(|(_, p)| {
                p.spec.as_ref().is_some_and(|s| match &s.policy_types {
                    None => true,
                    Some(types) => types.iter().any(|t| t == "Ingress"),
                })
            })
            .collect();
        let mut by_workload: hashbrown::HashMap<usize, Vec<(usize, &NetworkPolicy)>> = hashbrown::HashMap::new();
        if policies.is_empty() {
            return Isolation { by_workload };
        }
        let pods = PodLabelIndex::new(set);
        // Left out, the selector is empty: every pod of the namespace.
        let every_pod = LabelSelector::default();
        for (i, policy) in policies {
            let selector = policy.spec.as_ref().and_then(|s| s.pod_selector.as_ref()).unwrap_or(&every_pod);
            for workload in pods.selected(set.namespace_of(i), selector) {
                by_workload.entry(workload.resource).or_default().push((i, policy));
            }
        }
        Isolation { by_workload }
    }
    /// Whether no policy of the set isolates anything: then no traffic is dropped.
    pub fn is_empty(&self) -> bool {
        self.by_workload.is_empty()
    }
    /// The policies isolating the pods of the workload at `index`, in set order.
    pub fn of(&self, workload: usize) -> &[(usize, &'a NetworkPolicy)] {
        self.by_workload.get(&workload).map_or(&[], Vec::as_slice)
    }
}

/// A policy's ingress rules (none: it admits nothing).
pub fn ingress_rules(policy: &NetworkPolicy) -> &[NetworkPolicyIngressRule] {
    policy.spec.as_ref().and_then(|s| s.ingress.as_deref()).unwrap_or(&[])
}

/// Whether any of `policies` (all in `namespace`) admits `caller` on `landing`: a rule that
/// cannot be judged counts as admitting.
pub fn admitted(
    set: &ManifestSet,
    policies: &[(usize, &NetworkPolicy)],
    namespace: &str,
    caller: &Caller,
    landing: &Landing,
) -> bool {
    policies.iter().any(|(_, p)| {
        ingress_rules(p).iter().any(|rule| rule_admits(set, rule, namespace, caller, landing) != Some(false))
    })
}

/// Whether an ingress rule admits the caller on the landing port; `None` when it cannot tell.
fn rule_admits(
    set: &ManifestSet,
    rule: &NetworkPolicyIngressRule,
    policy_namespace: &str,
    caller: &Caller,
    landing: &Landing,
) -> Option<bool> {
    if !ports_admit(rule.ports.as_deref(), landing) {
        return Some(false);
    }
    let Some(peers) = rule.from.as_deref().filter(|p| !p.is_empty()) else { return Some(true) };
    let mut unknown = false;
    for peer in peers {
        match peer_admits(set, peer, policy_namespace, caller) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(false)
}

/// Whether a rule's `ports` let traffic to `landing` through; no ports means every port.
fn ports_admit(ports: Option<&[NetworkPolicyPort]>, landing: &Landing) -> bool {
    let Some(ports) = ports.filter(|p| !p.is_empty()) else { return true };
    ports.iter().any(|p| {
        p.protocol.as_deref().unwrap_or("TCP") == landing.protocol
            && match &p.port {
                None => true,
                Some(IntOrString::Int(n)) => match p.end_port {
                    Some(end) => (*n..=end).contains(&landing.number),
                    None => *n == landing.number,
                },
                Some(IntOrString::String(name)) => landing.name == Some(name.as_str()),
            }
    })
}

/// Whether a peer takes in the caller; `None` when the set cannot tell: an `ipBlock` (pod
/// addresses are the cluster's to give), or a namespace selector on labels it does not know.
fn peer_admits(set: &ManifestSet, peer: &NetworkPolicyPeer, policy_namespace: &str, caller: &Caller) -> Option<bool> {
    match caller {
        Caller::Pods { workload, namespace } => {
            let pods = |s: &LabelSelector| label_selector_selects(s, workload.pod_labels());
            match (&peer.namespace_selector, &peer.pod_selector) {
                (None, None) => None,
                (None, Some(pod_selector)) => Some(*namespace == policy_namespace && pods(pod_selector)),
                (Some(namespace_selector), pod_selector) => {
                    let in_namespace = namespace_admits(set, namespace_selector, namespace)?;
                    Some(in_namespace && pod_selector.as_ref().is_none_or(pods))
                }
            }
        }
        // Another namespace's pods come in only through a namespace selector that can pick a
        // namespace other than the policy's own, or an ipBlock.
        Caller::Elsewhere => match &peer.namespace_selector {
            None if peer.pod_selector.is_none() => None,
            None => Some(false),
            Some(selector) => Some(!only_namespace(selector, policy_namespace)),
        },
        // Only an ipBlock can take in addresses outside the cluster.
        Caller::Outside => match (&peer.namespace_selector, &peer.pod_selector) {
            (None, None) => None,
            _ => Some(false),
        },
    }
}

/// Whether a namespace selector picks no namespace but `namespace` (by its name label).
fn only_namespace(selector: &LabelSelector, namespace: &str) -> bool {
    selector.match_labels.iter().flatten().any(|(k, v)| k == NAMESPACE_NAME_LABEL && v == namespace)
        || selector.match_expressions.iter().flatten().any(|e| {
            e.key == NAMESPACE_NAME_LABEL && e.operator == "In" && e.values.as_deref() == Some(&[namespace.to_string()])
        })
}

/// Whether a namespace selector takes in `namespace`; `None` when it asks for labels of a
/// namespace the set does not hold.
fn namespace_admits(set: &ManifestSet, selector: &LabelSelector, namespace: &str) -> Option<bool> {
    let written =
        set.find("Namespace", "", namespace).map(|(_, r)| r.object.metadata().labels.clone().unwrap_or_default());
    let known = written.is_some();
    let mut labels: BTreeMap<String, String> = written.unwrap_or_default();
    labels.insert(NAMESPACE_NAME_LABEL.into(), namespace.into());
    if label_selector_selects(selector, Some(&labels)) {
        return Some(true);
    }
    let only_the_name = selector.match_labels.iter().flatten().all(|(k, _)| k == NAMESPACE_NAME_LABEL)
        && selector.match_expressions.iter().flatten().all(|e| e.key == NAMESPACE_NAME_LABEL);
    (known || only_the_name).then_some(false)
}
