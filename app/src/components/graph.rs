//! The relationship graph as SVG, laid out in columns (Namespace | ConfigMap, Secret |
//! Deployments and their Pods | Services). Broken edges are red and dashed; every node and edge is
//! focusable and carries its explanation as a `<title>` (hover) and `aria-label` (focus).
//! Built as one string: a few hundred elements render faster this way than as reactive nodes.

use kubeplay_core::graph::{EdgeKind, Graph};
use kubeplay_core::rules;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write;

use super::editor::escape;
use crate::state::AppState;

const NODE_W: f64 = 160.0;
const NODE_H: f64 = 46.0;
const COL_GAP: f64 = 110.0;
const ROW_GAP: f64 = 30.0;
/// Longest edge label drawn in full; the whole text is in the edge's title.
const LABEL_MAX: usize = 22;
const MARGIN: f64 = 16.0;
const HEADER: f64 = 34.0;
const COLUMNS: [&str; 4] = ["Namespace", "ConfigMap / Secret", "Deployments → Pods", "Services"];

#[component]
pub fn GraphView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let svg = move || state.computed.with(|c| graph_svg(&c.analysis.graph));
    let broken = move || state.computed.with(|c| c.analysis.graph.broken().count());
    view! {
        <div class="pane-head">
            <span class="count" data-testid="broken-count">{move || match broken() {
                0 => "Every link holds.".to_string(),
                1 => "1 broken link (red): focus or hover it for why.".to_string(),
                n => format!("{n} broken links (red): focus or hover them for why."),
            }}</span>
        </div>
        <div class="graph" data-testid="graph" inner_html=svg></div>
        <p class="legend">
            "Arrows say why two things relate. The namespace contains every other resource (those links are not drawn unless broken). Dashed red: a link that does not hold."
        </p>
    }
}

fn column_of(kind: &str) -> usize {
    match kind {
        "Namespace" => 0,
        "Deployment" | "Pods" => 2,
        "Service" => 3,
        _ => 1,
    }
}

/// Draw the graph. Pure, so it can be tested natively.
pub fn graph_svg(graph: &Graph) -> String {
    // Next free y per column. A Service is drawn level with the pods it selects when there is room.
    let mut next_y = [MARGIN + HEADER; COLUMNS.len()];
    let mut place: BTreeMap<&str, (usize, f64, f64)> = BTreeMap::new();
    let mut services = Vec::new();
    for node in &graph.nodes {
        let col = column_of(&node.kind);
        if col == 3 {
            services.push(node);
            continue;
        }
        let x = MARGIN + col as f64 * (NODE_W + COL_GAP);
        place.insert(node.id.as_str(), (col, x, next_y[col]));
        next_y[col] += NODE_H + ROW_GAP;
    }
    for node in services {
        let selected = graph
            .edges
            .iter()
            .find(|e| e.from == node.id && e.kind == EdgeKind::Selects)
            .and_then(|e| place.get(e.to.as_str()));
        let y = selected.map_or(next_y[3], |&(_, _, y)| y.max(next_y[3]));
        place.insert(node.id.as_str(), (3, MARGIN + 3.0 * (NODE_W + COL_GAP), y));
        next_y[3] = y + NODE_H + ROW_GAP;
    }
    let bottom = next_y.iter().copied().fold(MARGIN + HEADER + NODE_H, f64::max);
    let width = 2.0 * MARGIN + COLUMNS.len() as f64 * NODE_W + (COLUMNS.len() - 1) as f64 * COL_GAP;
    let height = bottom + MARGIN;
    let mut out = String::with_capacity(4096 + graph.edges.len() * 400);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"Relationship graph\">"
    );
    out.push_str(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow\"/></marker>\
         <marker id=\"arrow-broken\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow broken\"/></marker></defs>",
    );
    for (col, title) in COLUMNS.iter().enumerate() {
        let x = MARGIN + col as f64 * (NODE_W + COL_GAP) + NODE_W / 2.0;
        let _ = write!(
            out,
            "<text class=\"column\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{title}</text>",
            MARGIN + 14.0
        );
    }
    // Edges between the same two nodes are fanned out so their labels do not overlap.
    let mut pair_count: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for e in &graph.edges {
        let key = if e.from <= e.to { (e.from.as_str(), e.to.as_str()) } else { (e.to.as_str(), e.from.as_str()) };
        *pair_count.entry(key).or_default() += 1;
    }
    let mut pair_seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let contained = graph.edges.iter().filter(|e| e.kind == EdgeKind::Contains && e.holds()).count();
    for e in &graph.edges {
        if e.kind == EdgeKind::Contains && e.holds() {
            continue;
        }
        let (Some(&(fc, fx, fy)), Some(&(tc, tx, ty))) = (place.get(e.from.as_str()), place.get(e.to.as_str())) else {
            continue;
        };
        let key = if e.from <= e.to { (e.from.as_str(), e.to.as_str()) } else { (e.to.as_str(), e.from.as_str()) };
        let total = pair_count[&key];
        let seen = pair_seen.entry(key).or_default();
        let offset = (*seen as f64 - (total as f64 - 1.0) / 2.0) * 14.0;
        *seen += 1;
        let (d, lx, ly, anchor) = if fc == tc {
            // Same column (a Deployment and its pods): straight down, label beside the line.
            let x = fx + NODE_W / 2.0 + offset;
            let (y1, y2) = if fy < ty { (fy + NODE_H, ty) } else { (fy, ty + NODE_H) };
            (format!("M{x:.1},{y1:.1} L{x:.1},{y2:.1}"), x + 6.0, (y1 + y2) / 2.0 + 4.0, "start")
        } else {
            let (x1, x2, dir) = if fc < tc { (fx + NODE_W, tx, 1.0) } else { (fx, tx + NODE_W, -1.0) };
            let y1 = fy + NODE_H / 2.0 + offset;
            let y2 = ty + NODE_H / 2.0 + offset;
            let reach = ((x2 - x1).abs() / 2.0).max(30.0) * dir;
            let (c1x, c2x) = (x1 + reach, x2 - reach);
            // The midpoint of the cubic Bézier, where the label goes.
            let mx = (x1 + 3.0 * c1x + 3.0 * c2x + x2) / 8.0;
            let my = (y1 + 3.0 * y1 + 3.0 * y2 + y2) / 8.0;
            (format!("M{x1:.1},{y1:.1} C{c1x:.1},{y1:.1} {c2x:.1},{y2:.1} {x2:.1},{y2:.1}"), mx, my - 4.0, "middle")
        };
        let broken = !e.holds();
        let mut explanation = format!("{} {} {}", e.from, e.label, e.to);
        if let (Some(rule), Some(message)) = (e.rule, &e.message) {
            let summary = rules::find(rule).map(|r| r.summary).unwrap_or_default();
            explanation = format!("Broken: {explanation}. [{rule}] {message}. {summary}");
        }
        let explanation = escape(&explanation);
        let _ = write!(
            out,
            "<g class=\"edge{}\" tabindex=\"0\" role=\"img\" aria-label=\"{explanation}\" data-rule=\"{}\"><title>{explanation}</title>\
             <path d=\"{d}\" marker-end=\"url(#{})\"/>\
             <text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text></g>",
            if broken { " broken" } else { "" },
            e.rule.unwrap_or(""),
            if broken { "arrow-broken" } else { "arrow" },
            escape(&shorten(&e.label, LABEL_MAX)),
        );
    }
    for node in &graph.nodes {
        let Some(&(_, x, y)) = place.get(node.id.as_str()) else { continue };
        let name = shorten(&node.name, 20);
        let subtitle = if node.kind == "Namespace" && contained > 0 {
            format!("Namespace · contains {contained}")
        } else if node.missing {
            format!("{} · missing", node.kind)
        } else {
            node.kind.clone()
        };
        let label = escape(&format!(
            "{} {}{}",
            node.kind,
            node.name,
            if node.missing { " (referenced but missing)" } else { "" }
        ));
        let _ = write!(
            out,
            "<g class=\"node kind-{}{}\" tabindex=\"0\" role=\"img\" aria-label=\"{label}\"><title>{label}</title>\
             <rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"{}\"/>\
             <text class=\"kind\" x=\"{}\" y=\"{}\">{}</text><text class=\"name\" x=\"{}\" y=\"{}\">{}</text></g>",
            node.kind.to_lowercase(),
            if node.missing { " missing" } else { "" },
            if node.kind == "Pods" { NODE_H / 2.0 } else { 6.0 },
            x + 10.0,
            y + 17.0,
            escape(&subtitle),
            x + 10.0,
            y + 35.0,
            escape(&name),
        );
    }
    out.push_str("</svg>");
    out
}

/// Cut long names with an ellipsis so they fit the box (the full name is in the title).
fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let cut: String = name.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}
