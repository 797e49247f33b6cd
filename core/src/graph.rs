//! The relationship graph: resources (and the pods a Deployment makes) as nodes, and edges that
//! say why two things relate and whether that holds. Text, Mermaid and DOT are plain strings.

use crate::manifest::{ManifestSet, Object};
use crate::rules::Edge;
use hashbrown::HashSet;
use serde::Serialize;
use std::fmt::Write;

/// `Kind/name`, or `Pods/<deployment>` for the pods of a Deployment.
pub type NodeId = String;

pub fn node_id(kind: &str, name: &str) -> NodeId {
    // Joined rather than `format!`ted: every node and edge of the graph needs ids.
    [kind, "/", name].concat()
}
/// The node standing for the pods a Deployment's template makes.
pub fn pods_id(deployment: &str) -> NodeId {
    node_id("Pods", deployment)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Namespace contains a namespaced object.
    Contains,
    /// Deployment makes pods from its template (selector must match the template labels).
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
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    pub id: NodeId,
    pub kind: String,
    pub name: String,
    /// Referenced but not in the set.
    pub missing: bool,
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
    for (_, r) in set.iter() {
        let (kind, name) = (r.object.kind(), r.object.name());
        graph.nodes.push(Node {
            id: node_id(kind, name),
            kind: kind.to_string(),
            name: name.to_string(),
            missing: false,
        });
        if let Object::Deployment(_) = r.object {
            graph.nodes.push(Node { id: pods_id(name), kind: "Pods".into(), name: name.into(), missing: false });
        }
    }
    for (_, ns) in set.iter().filter(|(_, r)| matches!(r.object, Object::Namespace(_))) {
        let namespace_id = ns.object.id();
        for (_, r) in set.iter().filter(|(_, r)| !matches!(r.object, Object::Namespace(_))) {
            if r.namespace(default_ns) == ns.object.name() {
                graph.edges.push(GraphEdge {
                    from: namespace_id.clone(),
                    to: r.object.id(),
                    kind: EdgeKind::Contains,
                    label: "contains".into(),
                    rule: None,
                    message: None,
                });
            }
        }
    }
    // Nodes the rules' edges name but the set lacks, in the order the edges name them.
    let missing = {
        let mut known: HashSet<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
        let mut missing = Vec::new();
        for edge in &rule_edges {
            for id in [&edge.from, &edge.to] {
                if known.insert(id) {
                    let (kind, name) = id.split_once('/').unwrap_or(("", id));
                    missing.push(Node { id: id.clone(), kind: kind.into(), name: name.into(), missing: true });
                }
            }
        }
        missing
    };
    graph.nodes.extend(missing);
    graph.edges.extend(rule_edges.into_iter().map(|edge| {
        let (rule, message) = edge.broken.unzip();
        GraphEdge { from: edge.from, to: edge.to, kind: edge.kind, label: edge.label, rule, message }
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
            } else if n.kind == "Pods" {
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
            } else if n.kind == "Pods" {
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
