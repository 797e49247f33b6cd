//! The relationship graph: resources (and the pods each workload makes) as nodes, keyed by
//! their typed identity, and edges that say why two things relate and whether that holds.
//! Namespaces are groups. Text, Mermaid and DOT are plain strings.

use crate::manifest::workload::Workload;
use crate::manifest::{ManifestSet, Object};
pub use crate::relation::{Edge, EdgeKind};
use crate::resource::ResourceRef;
use hashbrown::HashSet;
use serde::Serialize;
use std::fmt::Write;

/// A node's identity as text: its [`ResourceRef`] written out (`shop/Deployment/web`,
/// `shop/Pods/web` for the pods of a workload).
pub type NodeId = String;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    pub id: NodeId,
    /// Group, kind, namespace and name. Kind `Pods` stands for the pods a workload makes.
    #[serde(flatten)]
    pub resource: ResourceRef,
    /// Referenced but not in the set.
    pub missing: bool,
}

impl Node {
    pub fn kind(&self) -> &str {
        &self.resource.kind
    }
    pub fn name(&self) -> &str {
        &self.resource.name
    }
    pub fn namespace(&self) -> &str {
        &self.resource.namespace
    }
    /// The pods of a workload (or a bare Pod).
    pub fn is_pods(&self) -> bool {
        self.resource.kind == "Pods"
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphEdge {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: EdgeKind,
    pub label: String,
    /// Rule ID that found the edge broken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl GraphEdge {
    pub fn holds(&self) -> bool {
        self.rule.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<GraphEdge>,
}

/// Build the graph from the set and the edges its relationship rules drew.
pub fn build(set: &ManifestSet, rule_edges: Vec<Edge>) -> Graph {
    let mut graph = Graph::default();
    let default_ns = set.default_namespace();
    let mut known: HashSet<ResourceRef> = HashSet::with_capacity(set.resources.len() * 2);
    let mut add = |graph: &mut Graph, resource: ResourceRef, missing: bool| {
        if !known.contains(&resource) {
            graph.nodes.push(Node { id: resource.to_string(), resource: resource.clone(), missing });
            known.insert(resource);
        }
    };
    for (i, r) in set.iter() {
        add(&mut graph, r.reference(default_ns), false);
        if let Some(w) = Workload::of(i, &r.object).filter(|w| w.kind != crate::manifest::WorkloadKind::Pod) {
            add(&mut graph, w.pods_ref(set), false);
        }
    }
    let namespaces: hashbrown::HashMap<&str, ResourceRef> = set
        .iter()
        .filter(|(_, r)| matches!(r.object, Object::Namespace(_)))
        .map(|(_, r)| (r.object.name(), r.reference(default_ns)))
        .collect();
    for (_, r) in set.iter().filter(|(_, r)| r.object.is_namespaced()) {
        if let Some(namespace) = namespaces.get(r.namespace(default_ns)) {
            graph.edges.push(GraphEdge {
                from: namespace.to_string(),
                to: r.reference(default_ns).to_string(),
                kind: EdgeKind::Contains,
                label: "contains".into(),
                rule: None,
                message: None,
            });
        }
    }
    // Nodes the rules' edges name but the set lacks, in the order the edges name them.
    for edge in &rule_edges {
        for end in [&edge.from, &edge.to] {
            add(&mut graph, end.clone(), true);
        }
    }
    graph.edges.extend(rule_edges.into_iter().map(|edge| {
        let (rule, message) = edge.broken.unzip();
        GraphEdge { from: edge.from.to_string(), to: edge.to.to_string(), kind: edge.kind, label: edge.label, rule, message }
    }));
    graph
}

impl Graph {
    pub fn broken(&self) -> impl Iterator<Item = &GraphEdge> {
        self.edges.iter().filter(|e| !e.holds())
    }

    /// One line per edge, grouped by source node.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for node in &self.nodes {
            let _ = writeln!(out, "{}{}", node.id, if node.missing { "  (missing)" } else { "" });
            for e in self.edges.iter().filter(|e| e.from == node.id) {
                match (&e.rule, &e.message) {
                    (Some(rule), Some(msg)) => {
                        let _ = writeln!(out, "  --{}--> {}  BROKEN [{rule}] {msg}", e.label, e.to);
                    }
                    _ => {
                        let _ = writeln!(out, "  --{}--> {}", e.label, e.to);
                    }
                }
            }
        }
        out
    }

    /// A Mermaid flowchart; broken edges are dotted and red.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let index = |id: &str| self.nodes.iter().position(|n| n.id == id).unwrap_or(0);
        for (i, n) in self.nodes.iter().enumerate() {
            let text = escape_mermaid(&n.id);
            let _ = if n.missing {
                writeln!(out, "  n{i}[/\"{text} (missing)\"/]")
            } else if n.is_pods() {
                writeln!(out, "  n{i}([\"{text}\"])")
            } else {
                writeln!(out, "  n{i}[\"{text}\"]")
            };
        }
        let mut red = Vec::new();
        for (k, e) in self.edges.iter().enumerate() {
            let arrow = if e.holds() { "-->" } else { "-.->" };
            let _ = writeln!(out, "  n{} {arrow}|\"{}\"| n{}", index(&e.from), escape_mermaid(&e.label), index(&e.to));
            if !e.holds() {
                red.push(k.to_string());
            }
        }
        if !red.is_empty() {
            let _ = writeln!(out, "  linkStyle {} stroke:#d00,color:#d00", red.join(","));
        }
        out
    }

    /// Graphviz DOT; broken edges are red and dashed, with the rule in the tooltip.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph kubeplay {\n  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];\n");
        for n in &self.nodes {
            let style = if n.missing {
                ", style=dashed, color=red"
            } else if n.is_pods() {
                ", shape=ellipse"
            } else {
                ""
            };
            let _ = writeln!(out, "  \"{}\" [label=\"{}\"{style}];", escape_dot(&n.id), escape_dot(&n.id));
        }
        for e in &self.edges {
            let style = match (&e.rule, &e.message) {
                (Some(rule), Some(msg)) => {
                    format!(", color=red, fontcolor=red, style=dashed, tooltip=\"[{rule}] {}\"", escape_dot(msg))
                }
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\" [label=\"{}\"{style}];",
                escape_dot(&e.from),
                escape_dot(&e.to),
                escape_dot(&e.label)
            );
        }
        out.push_str("}\n");
        out
    }
}

fn escape_mermaid(text: &str) -> String {
    text.replace('"', "#quot;")
}

fn escape_dot(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}
