//! Which part of a graph to show: a real app draws hundreds of nodes, and a learner looks at
//! one namespace, a few kinds or only what is broken at a time. The page draws what
//! [`Graph::filtered`] keeps, and finds nodes by name with [`Graph::search`].

use super::{Graph, Node};
use std::collections::BTreeSet;

/// What the graph view leaves out. The default shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Kinds not drawn (`Pods` stands for the pods of workloads).
    pub hidden_kinds: BTreeSet<String>,
    /// Only this namespace's group ([`Node::group`]), when set.
    pub namespace: Option<String>,
    /// Only the links that do not hold, and the nodes at their ends.
    pub only_broken: bool,
}

impl Filter {
    /// Whether the filter shows the whole graph.
    pub fn shows_all(&self) -> bool {
        *self == Filter::default()
    }

    fn keeps(&self, node: &Node) -> bool {
        !self.hidden_kinds.contains(node.kind()) && self.namespace.as_ref().is_none_or(|ns| node.group() == ns)
    }
}

impl Graph {
    /// The kinds of the graph's nodes, each once, sorted.
    pub fn kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = self.nodes.iter().map(Node::kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// The nodes `filter` keeps and the edges between them, in the graph's order.
    pub fn filtered(&self, filter: &Filter) -> Graph {
        let mut kept: hashbrown::HashSet<&str> =
            self.nodes.iter().filter(|n| filter.keeps(n)).map(|n| &*n.id).collect();
        let edges: Vec<&super::GraphEdge> = self
            .edges
            .iter()
            .filter(|e| (!filter.only_broken || !e.holds()) && kept.contains(&*e.from) && kept.contains(&*e.to))
            .collect();
        if filter.only_broken {
            kept = edges.iter().flat_map(|e| [&*e.from, &*e.to]).collect();
        }
        let nodes = self.nodes.iter().filter(|n| kept.contains(&*n.id)).cloned().collect();
        Graph { nodes, edges: edges.into_iter().cloned().collect() }
    }

    /// The nodes whose name contains `text`, ignoring ASCII case, in the graph's order; none for
    /// blank text. Kubernetes names are ASCII: the page carries no Unicode case tables for this.
    pub fn search(&self, text: &str) -> Vec<&Node> {
        let text = text.trim().to_ascii_lowercase();
        if text.is_empty() {
            return Vec::new();
        }
        self.nodes.iter().filter(|n| n.name().to_ascii_lowercase().contains(&text)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze_manifests, Profile, SourceFile};

    /// A shop in two namespaces; the staging Service selects nothing (a broken link).
    fn graph() -> Graph {
        let app = |ns: &str, selector: &str| {
            format!(
                "apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: {ns}}}\nspec: {{selector: {{app: {selector}}}, ports: [{{port: 80}}]}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web-api, namespace: {ns}}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: \"web:1\", ports: [{{containerPort: 80}}]}}]}}\n---\n"
            )
        };
        let text = format!("{}{}", app("shop", "web"), app("staging", "wbe"));
        analyze_manifests(vec![SourceFile::new("m.yaml", text)], Profile::Minikube).graph
    }

    fn ids(graph: &Graph) -> Vec<&str> {
        graph.nodes.iter().map(|n| &*n.id).collect()
    }

    #[test]
    fn the_default_filter_keeps_everything() {
        let graph = graph();
        assert!(Filter::default().shows_all());
        assert_eq!(graph.filtered(&Filter::default()), graph);
    }

    #[test]
    fn hidden_kinds_take_their_nodes_and_edges_with_them() {
        let graph = graph();
        assert_eq!(graph.kinds(), ["Deployment", "Namespace", "Pods", "Service"]);
        let filter = Filter { hidden_kinds: ["Pods".to_string()].into(), ..Default::default() };
        let shown = graph.filtered(&filter);
        let pods = graph.nodes.iter().filter(|n| n.is_pods()).count();
        assert!(shown.nodes.iter().all(|n| !n.is_pods()) && shown.nodes.len() == graph.nodes.len() - pods);
        assert!(shown.edges.iter().all(|e| !e.to.contains("/Pods/") && !e.from.contains("/Pods/")));
        assert!(shown.edges.len() < graph.edges.len() && !shown.edges.is_empty(), "{:?}", shown.edges);
    }

    #[test]
    fn one_namespace_shows_its_group_only() {
        let shown = graph().filtered(&Filter { namespace: Some("staging".into()), ..Default::default() });
        assert_eq!(
            ids(&shown),
            [
                "Namespace/staging",
                "staging/Service/web",
                "staging/Deployment/web-api",
                "staging/Pods/web-api",
                // What the Service's selector names: no pods have these labels.
                "staging/Pods/app=wbe"
            ]
        );
        assert!(
            shown.edges.iter().all(|e| e.from.contains("staging") && e.to.contains("staging")),
            "{:?}",
            shown.edges
        );
    }

    #[test]
    fn only_broken_keeps_the_links_that_do_not_hold_and_their_ends() {
        let graph = graph();
        let shown = graph.filtered(&Filter { only_broken: true, ..Default::default() });
        assert!(!shown.edges.is_empty() && shown.edges.iter().all(|e| !e.holds()), "{:?}", shown.edges);
        assert!(ids(&shown).contains(&"staging/Service/web"), "{:?}", ids(&shown));
        assert!(ids(&shown).iter().all(|id| !id.starts_with("shop")), "the shop holds: {:?}", ids(&shown));
    }

    #[test]
    fn search_finds_names_in_any_case() {
        let graph = graph();
        let found: Vec<&str> = graph.search(" API ").iter().map(|n| &*n.id).collect();
        assert_eq!(
            found,
            ["shop/Deployment/web-api", "shop/Pods/web-api", "staging/Deployment/web-api", "staging/Pods/web-api"]
        );
        assert!(graph.search("  ").is_empty() && graph.search("nothing").is_empty());
    }
}
