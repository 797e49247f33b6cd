//! What a drawing of the graph shows as one arrow: a broken edge on its own (it has its own rule
//! and explanation), or every holding edge of one kind between the same two nodes, e.g. all the
//! keys a workload's pods take from one Secret, so a drawing has one arrow per relationship. A
//! namespace's holding `contains` edges are not arrows: the namespace's group shows them.
//! The page and the DOT output draw the same arrows.

use super::{EdgeKind, Graph};
use hashbrown::hash_map::Entry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrow {
    /// Indexes into the graph's nodes.
    pub from: usize,
    pub to: usize,
    /// Indexes into the graph's edges, in the graph's order; the first decides the arrow's kind
    /// and whether it is broken.
    pub edges: Vec<usize>,
}

impl Graph {
    /// The graph's arrows, in the order of their first edges.
    pub fn arrows(&self) -> Vec<Arrow> {
        let index: hashbrown::HashMap<&str, usize> = self.nodes.iter().enumerate().map(|(i, n)| (&*n.id, i)).collect();
        let mut arrows: Vec<Arrow> = Vec::new();
        let mut merged: hashbrown::HashMap<(usize, usize, EdgeKind), usize> = Default::default();
        for (k, e) in self.edges.iter().enumerate() {
            if e.kind == EdgeKind::Contains && e.holds() {
                continue;
            }
            let (Some(&from), Some(&to)) = (index.get(&*e.from), index.get(&*e.to)) else { continue };
            if !e.holds() {
                arrows.push(Arrow { from, to, edges: vec![k] });
                continue;
            }
            match merged.entry((from, to, e.kind)) {
                Entry::Occupied(at) => arrows[*at.get()].edges.push(k),
                Entry::Vacant(at) => {
                    at.insert(arrows.len());
                    arrows.push(Arrow { from, to, edges: vec![k] });
                }
            }
        }
        arrows
    }
}

#[cfg(test)]
mod tests {
    use crate::{analyze_manifests, Profile, SourceFile};

    #[test]
    fn one_arrow_per_relationship_and_one_per_broken_edge() {
        let yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n\
            apiVersion: v1\nkind: Secret\nmetadata: {name: keys, namespace: shop}\nstringData: {a: one, b: two}\n---\n\
            apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    env:\n\
            \x20   - {name: A, valueFrom: {secretKeyRef: {name: keys, key: a}}}\n\
            \x20   - {name: B, valueFrom: {secretKeyRef: {name: keys, key: b}}}\n\
            \x20   - {name: C, valueFrom: {secretKeyRef: {name: keys, key: c}}}\n";
        let analysis = analyze_manifests(vec![SourceFile::new("app.yaml", yaml)], Profile::Minikube);
        let graph = &analysis.graph;
        let arrows = graph.arrows();
        let between = |a: &super::Arrow| (graph.nodes[a.from].name().to_string(), graph.nodes[a.to].name().to_string());
        // The namespace's `contains` edges hold: its group shows them, no arrow.
        assert!(arrows.iter().all(|a| graph.nodes[a.from].kind() != "Namespace"), "{arrows:?}");
        let to_keys: Vec<&super::Arrow> =
            arrows.iter().filter(|a| between(a) == ("web".into(), "keys".into())).collect();
        // Keys a and b hold and share an arrow; key c is missing, an arrow of its own.
        assert_eq!(to_keys.len(), 2, "{to_keys:?}");
        let labels = |a: &super::Arrow| a.edges.iter().map(|&k| graph.edges[k].holds()).collect::<Vec<_>>();
        assert_eq!(labels(to_keys[0]), [true, true]);
        assert_eq!(labels(to_keys[1]), [false]);
    }
}
