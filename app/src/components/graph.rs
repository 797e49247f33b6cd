//! The relationship graph as SVG, laid out in columns (Namespace | ConfigMap, Secret |
//! Deployments and their Pods | Services). Broken edges are red and dashed; every node and edge is
//! focusable and carries its explanation as a `<title>` (hover) and `aria-label` (focus).
//! Holding edges of one kind between the same two nodes are one arrow whose label lists them (the
//! keys a Deployment takes from a Secret). Labels sit on boxes stacked in the gaps between columns
//! so that none overlaps another, and each arrow bends to run through its own label.
//! Built as one string: a few hundred elements render faster this way than as reactive nodes.

use kubeplay_core::graph::{EdgeKind, Graph, GraphEdge};
use kubeplay_core::rules;
use leptos::prelude::*;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt::Write;

use super::editor::escape;
use crate::state::AppState;

const NODE_W: f64 = 160.0;
const NODE_H: f64 = 46.0;
/// Space between neighbouring columns, where the edge labels go: the ConfigMap/Secret |
/// Deployments gap holds the key references, the widest labels; the Namespace's links are only
/// drawn when broken.
const GAPS: [f64; COLUMNS.len() - 1] = [70.0, 170.0, 146.0];
const ROW_GAP: f64 = 30.0;
const MARGIN: f64 = 16.0;
const HEADER: f64 = 34.0;
const COLUMNS: [&str; 4] = ["Namespace", "ConfigMap / Secret", "Deployments → Pods", "Services"];
/// Edge labels are 11px (styles.css): one line of text is 14 units tall. Labels are built as a
/// string, so they are sized by these bounds (and `text_width`), not measured.
const LABEL_PX: f64 = 11.0;
const LINE_H: f64 = 14.0;
/// From the top of a label line to its baseline.
const ASCENT: f64 = 10.5;
/// Free space kept between two labels stacked in one lane.
const LABEL_GAP: f64 = 6.0;
/// Space between a label's text and the edge of its box.
const LABEL_PAD: f64 = 4.0;
const LABEL_PAD_Y: f64 = 1.0;
/// Arrows that meet one side of a node, or run side by side in a column, are this far apart.
const FAN: f64 = 14.0;

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

/// Left edge of a column.
fn column_x(col: usize) -> f64 {
    MARGIN + col as f64 * NODE_W + GAPS[..col].iter().sum::<f64>()
}

/// One arrow as drawn: a broken edge on its own (it has its own rule and explanation), or every
/// holding edge of one kind between the same two nodes, e.g. all the keys a Deployment's pods take
/// from one Secret. Merging those keeps one arrow per relationship, with one label that lists them.
struct Arrow<'a> {
    edges: Vec<&'a GraphEdge>,
}

impl Arrow<'_> {
    fn first(&self) -> &GraphEdge {
        self.edges[0]
    }
    fn broken(&self) -> bool {
        !self.first().holds()
    }
}

fn arrows(graph: &Graph) -> Vec<Arrow<'_>> {
    let mut arrows: Vec<Arrow> = Vec::new();
    let mut merged: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for e in &graph.edges {
        // The namespace contains every other resource: drawn only when that does not hold.
        if e.kind == EdgeKind::Contains && e.holds() {
            continue;
        }
        if !e.holds() {
            arrows.push(Arrow { edges: vec![e] });
            continue;
        }
        match merged.entry((e.from.as_str(), e.to.as_str(), e.kind.as_str())) {
            Entry::Occupied(at) => arrows[*at.get()].edges.push(e),
            Entry::Vacant(at) => {
                at.insert(arrows.len());
                arrows.push(Arrow { edges: vec![e] });
            }
        }
    }
    arrows
}

/// The lines of an arrow's label, before cutting to `room`. Key references (`key_refs`), like
/// `key ref (DATABASE_URL)` and `key ref (OPENAI_API_KEY)`, become the shared words and then one
/// line per key, so each key is read in full (a single label only when it is too wide for one
/// line); other labels are stacked as they are.
fn label_lines(labels: &[&str], room: f64, bold: bool, key_refs: bool) -> Vec<String> {
    if let [label] = labels {
        if !key_refs || text_width(label, bold) <= room {
            return vec![label.to_string()];
        }
    }
    if !key_refs {
        return labels.iter().map(|l| l.to_string()).collect();
    }
    let head = labels[0].split_once(" (").map(|(head, _)| head);
    let inner: Option<Vec<&str>> = head
        .and_then(|head| labels.iter().map(|l| l.strip_prefix(head)?.strip_prefix(" (")?.strip_suffix(')')).collect());
    match (head, inner) {
        (Some(head), Some(inner)) => {
            std::iter::once(format!("{head}:")).chain(inner.into_iter().map(String::from)).collect()
        }
        _ => labels.iter().map(|l| l.to_string()).collect(),
    }
}

/// Where an arrow's label may go: the free space between two columns, or beside the straight
/// line that joins two nodes of one column. Labels in one lane are stacked so they never overlap.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lane {
    Gap(usize),
    Column(usize),
}

/// A label to place: the height of its lines and the y its centre would have on a plain arrow.
struct LabelBox {
    lane: Lane,
    height: f64,
    wanted_centre: f64,
    /// Set by `stack`.
    top: f64,
}

/// Place the labels of each lane top to bottom without overlaps, each as near its wanted centre
/// as the others allow: overlapping neighbours form a block centred on their wanted centres.
fn stack(labels: &mut [LabelBox], min_top: f64) {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| {
        labels[a].lane.cmp(&labels[b].lane).then(labels[a].wanted_centre.total_cmp(&labels[b].wanted_centre))
    });
    // Blocks of consecutive labels (indexes into `order`): [start, end), top, height.
    struct Block {
        start: usize,
        end: usize,
        top: f64,
        height: f64,
    }
    let mut blocks: Vec<Block> = Vec::new();
    for (at, &i) in order.iter().enumerate() {
        let label = &labels[i];
        blocks.push(Block {
            start: at,
            end: at + 1,
            top: (label.wanted_centre - label.height / 2.0).max(min_top),
            height: label.height,
        });
        while let [.., previous, last] = blocks.as_slice() {
            let same_lane = labels[order[previous.start]].lane == labels[order[last.start]].lane;
            if !same_lane || previous.top + previous.height + LABEL_GAP <= last.top {
                break;
            }
            let (start, end) = (previous.start, last.end);
            blocks.truncate(blocks.len() - 2);
            // The top that puts the block's labels, on average, at their wanted centres.
            let mut offset = 0.0;
            let mut tops = 0.0;
            for &i in &order[start..end] {
                tops += labels[i].wanted_centre - (offset + labels[i].height / 2.0);
                offset += labels[i].height + LABEL_GAP;
            }
            let height = offset - LABEL_GAP;
            blocks.push(Block { start, end, top: (tops / (end - start) as f64).max(min_top), height });
        }
    }
    for block in blocks {
        let mut top = block.top;
        for &i in &order[block.start..block.end] {
            labels[i].top = top;
            top += labels[i].height + LABEL_GAP;
        }
    }
}

/// Draw the graph. Pure, so it can be tested natively.
/// A node kind as a CSS class name (`kind-<this>`): pasted manifests may name any kind, so only
/// ASCII letters and digits are kept, lowered (ASCII only: std's Unicode case tables would add
/// 8 KB to the wasm for nothing a class name needs).
fn kind_class(kind: &str) -> String {
    kind.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

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
        place.insert(node.id.as_str(), (col, column_x(col), next_y[col]));
        next_y[col] += NODE_H + ROW_GAP;
    }
    for node in services {
        let selected = graph
            .edges
            .iter()
            .find(|e| e.from == node.id && e.kind == EdgeKind::Selects)
            .and_then(|e| place.get(e.to.as_str()));
        let y = selected.map_or(next_y[3], |&(_, _, y)| y.max(next_y[3]));
        place.insert(node.id.as_str(), (3, column_x(3), y));
        next_y[3] = y + NODE_H + ROW_GAP;
    }

    let arrows: Vec<Arrow> = arrows(graph)
        .into_iter()
        .filter(|a| place.contains_key(a.first().from.as_str()) && place.contains_key(a.first().to.as_str()))
        .collect();
    let ends_of = |a: &Arrow| (place[a.first().from.as_str()], place[a.first().to.as_str()]);
    // Where each arrow between columns leaves and arrives, as offsets from the middle of the
    // node's side: every arrow on one side of a node gets its own point, in the order of the
    // nodes at their other ends, so arrows neither share an end nor cross there.
    let mut attach = vec![(0.0, 0.0); arrows.len()];
    /// One arrow's end on a side of a node: the y of the node at its other end, which arrow, and
    /// whether the arrow leaves there.
    struct End {
        other_y: f64,
        arrow: usize,
        leaves: bool,
    }
    // Keyed by node and side (true: its right side).
    let mut sides: BTreeMap<(&str, bool), Vec<End>> = BTreeMap::new();
    for (i, a) in arrows.iter().enumerate() {
        let (from, to) = ends_of(a);
        if from.0 != to.0 {
            let rightwards = from.0 < to.0;
            sides.entry((a.first().from.as_str(), rightwards)).or_default().push(End {
                other_y: to.2,
                arrow: i,
                leaves: true,
            });
            sides.entry((a.first().to.as_str(), !rightwards)).or_default().push(End {
                other_y: from.2,
                arrow: i,
                leaves: false,
            });
        }
    }
    for mut attached in sides.into_values() {
        attached.sort_by(|a, b| a.other_y.total_cmp(&b.other_y).then(a.arrow.cmp(&b.arrow)));
        let n = attached.len() as f64;
        let step = if n > 1.0 { FAN.min((NODE_H - 12.0) / (n - 1.0)) } else { 0.0 };
        for (k, end) in attached.into_iter().enumerate() {
            let dy = (k as f64 - (n - 1.0) / 2.0) * step;
            if end.leaves {
                attach[end.arrow].0 = dy;
            } else {
                attach[end.arrow].1 = dy;
            }
        }
    }
    // Within a column (a Deployment and its pods), parallel arrows are drawn side by side.
    let pair = |a: &Arrow| {
        let e = a.first();
        if e.from <= e.to {
            (e.from.clone(), e.to.clone())
        } else {
            (e.to.clone(), e.from.clone())
        }
    };
    let mut pair_count: BTreeMap<(String, String), usize> = BTreeMap::new();
    for a in &arrows {
        *pair_count.entry(pair(a)).or_default() += 1;
    }
    let mut pair_seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    // Per arrow: its ends, its label's lines, and where the label wants to be.
    struct Drawn {
        from: (usize, f64, f64),
        to: (usize, f64, f64),
        /// Same column: the line's shift sideways. Between columns: the ends' shifts down.
        shift: (f64, f64),
        /// The x of the label's anchor: beside a straight line, or the middle of a gap.
        label_x: f64,
        lines: Vec<String>,
    }
    let mut drawn = Vec::with_capacity(arrows.len());
    let mut labels = Vec::with_capacity(arrows.len());
    for (a, &(dy1, dy2)) in arrows.iter().zip(&attach) {
        let (from, to) = ends_of(a);
        let (lane, wanted_centre, label_x, room, shift) = if from.0 == to.0 {
            let key = pair(a);
            let total = pair_count[&key] as f64;
            let seen = pair_seen.entry(key).or_default();
            let dx = (*seen as f64 - (total - 1.0) / 2.0) * FAN;
            *seen += 1;
            let (y1, y2) = if from.2 < to.2 { (from.2 + NODE_H, to.2) } else { (from.2, to.2 + NODE_H) };
            let x = from.1 + NODE_W / 2.0 + dx + 6.0;
            (Lane::Column(from.0), (y1 + y2) / 2.0, x, NODE_W / 2.0 - dx.abs() - 10.0 - 2.0 * LABEL_PAD, (dx, dx))
        } else {
            // The gap next to the target, on the source's side.
            let gap = if from.0 < to.0 { to.0 - 1 } else { to.0 };
            let x = column_x(gap) + NODE_W + GAPS[gap] / 2.0;
            let centre = (from.2 + dy1 + to.2 + dy2) / 2.0 + NODE_H / 2.0;
            (Lane::Gap(gap), centre, x, GAPS[gap] - 8.0 - 2.0 * LABEL_PAD, (dy1, dy2))
        };
        let labels_text: Vec<&str> = a.edges.iter().map(|e| e.label.as_str()).collect();
        let lines: Vec<String> = label_lines(&labels_text, room, a.broken(), a.first().kind == EdgeKind::KeyRef)
            .iter()
            .map(|l| fit(l, room, a.broken()))
            .collect();
        let height = lines.len() as f64 * LINE_H + 2.0 * LABEL_PAD_Y;
        labels.push(LabelBox { lane, height, wanted_centre, top: 0.0 });
        drawn.push(Drawn { from, to, shift, label_x, lines });
    }
    stack(&mut labels, MARGIN + HEADER);

    let nodes_bottom = next_y.iter().copied().fold(MARGIN + HEADER + NODE_H, f64::max);
    let bottom = labels.iter().map(|l| l.top + l.height + ROW_GAP).fold(nodes_bottom, f64::max);
    let width = 2.0 * MARGIN + COLUMNS.len() as f64 * NODE_W + GAPS.iter().sum::<f64>();
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
        let x = column_x(col) + NODE_W / 2.0;
        let _ = write!(
            out,
            "<text class=\"column\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{title}</text>",
            MARGIN + 14.0
        );
    }
    let contained = graph.edges.iter().filter(|e| e.kind == EdgeKind::Contains && e.holds()).count();
    let mut labels_out = String::with_capacity(arrows.len() * 300);
    for ((a, d), label) in arrows.iter().zip(&drawn).zip(&labels) {
        let ((fc, fx, fy), (tc, tx, ty)) = (d.from, d.to);
        let centre = label.top + label.height / 2.0;
        let (path, anchor) = if fc == tc {
            // Same column (a Deployment and its pods): straight down, label beside the line.
            let x = fx + NODE_W / 2.0 + d.shift.0;
            let (y1, y2) = if fy < ty { (fy + NODE_H, ty) } else { (fy, ty + NODE_H) };
            (format!("M{x:.1},{y1:.1} L{x:.1},{y2:.1}"), "start")
        } else {
            let (x1, x2, dir) = if fc < tc { (fx + NODE_W, tx, 1.0) } else { (fx, tx + NODE_W, -1.0) };
            let y1 = fy + NODE_H / 2.0 + d.shift.0;
            let y2 = ty + NODE_H / 2.0 + d.shift.1;
            let gx = d.label_x;
            // Two curves that meet level at the label, so the arrow runs through its label
            // wherever stacking moved it.
            let reach1 = ((gx - x1).abs() / 2.0).max(20.0) * dir;
            let reach2 = ((x2 - gx).abs() / 2.0).max(20.0) * dir;
            (
                format!(
                    "M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{centre:.1} {gx:.1},{centre:.1} C{:.1},{centre:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}",
                    x1 + reach1,
                    gx - reach1,
                    gx + reach2,
                    x2 - reach2
                ),
                "middle",
            )
        };
        let first = a.first();
        let labels_text = a.edges.iter().map(|e| e.label.as_str()).collect::<Vec<_>>().join("; ");
        let mut explanation = format!("{} {labels_text} {}", first.from, first.to);
        if let (Some(rule), Some(message)) = (first.rule, &first.message) {
            let summary = rules::find(rule).map(|r| r.summary).unwrap_or_default();
            explanation = format!("Broken: {explanation}. [{rule}] {message}. {summary}");
        }
        let explanation = escape(&explanation);
        let broken = if a.broken() { " broken" } else { "" };
        let rule = first.rule.unwrap_or("");
        let _ = write!(
            out,
            "<g class=\"edge{broken}\" tabindex=\"0\" role=\"img\" aria-label=\"{explanation}\" data-rule=\"{rule}\"><title>{explanation}</title>\
             <path d=\"{path}\" marker-end=\"url(#{})\"/></g>",
            if a.broken() { "arrow-broken" } else { "arrow" },
        );
        // The label on an opaque box, drawn after every arrow: an arrow passing behind another
        // arrow's label is hidden there instead of striking its words through. The arrow's group
        // above carries the explanation for keyboards and screen readers; the box repeats it on hover.
        let box_width = d.lines.iter().map(|l| text_width(l, a.broken())).fold(0.0, f64::max) + 2.0 * LABEL_PAD;
        let box_x = if anchor == "middle" { d.label_x - box_width / 2.0 } else { d.label_x - LABEL_PAD };
        let _ = write!(
            labels_out,
            "<g class=\"edge-label{broken}\" aria-hidden=\"true\" data-rule=\"{rule}\"><title>{explanation}</title>\
             <rect x=\"{box_x:.1}\" y=\"{:.1}\" width=\"{box_width:.1}\" height=\"{:.1}\" rx=\"4\"/><text text-anchor=\"{anchor}\">",
            label.top,
            label.height,
        );
        for (n, line) in d.lines.iter().enumerate() {
            let y = label.top + LABEL_PAD_Y + ASCENT + n as f64 * LINE_H;
            let _ = write!(labels_out, "<tspan x=\"{:.1}\" y=\"{y:.1}\">{}</tspan>", d.label_x, escape(line));
        }
        labels_out.push_str("</text></g>");
    }
    out.push_str(&labels_out);
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
            kind_class(&node.kind),
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

/// How wide `text` is drawn at the edge labels' size, erring wide: the advance widths of DejaVu
/// Sans (the widest of the usual sans-serif fonts, and Debian's default) in ems, grouped and
/// rounded up; bold is about a tenth wider.
fn text_width(text: &str, bold: bool) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 'I' | 'J' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.34,
            ' ' | '(' | ')' | '[' | ']' | '{' | '}' | 'f' | 't' | 'r' | '-' | '/' => 0.42,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 1.0,
            '<' | '>' | '=' | '+' | '~' | '#' | '&' => 0.84,
            'D' | 'G' | 'H' | 'N' | 'O' | 'Q' | 'U' => 0.79,
            'A'..='Z' => 0.7,
            c if c.is_ascii() => 0.64,
            _ => 1.0,
        })
        .sum();
    ems * LABEL_PX * if bold { 1.15 } else { 1.0 }
}

/// `text` cut with an ellipsis to fit `room` (the whole text is in the edge's title).
fn fit(text: &str, room: f64, bold: bool) -> String {
    if text_width(text, bold) <= room {
        return text.to_string();
    }
    let mut cut = String::new();
    for c in text.chars() {
        let mut longer = cut.clone();
        longer.push(c);
        longer.push('…');
        if text_width(&longer, bold) > room {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut
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

#[cfg(test)]
mod tests {
    use super::*;

    fn label(lane: Lane, wanted_centre: f64, lines: usize) -> LabelBox {
        LabelBox { lane, height: lines as f64 * LINE_H, wanted_centre, top: 0.0 }
    }

    #[test]
    fn any_kind_makes_a_harmless_class_name() {
        assert_eq!(kind_class("Deployment"), "deployment");
        assert_eq!(kind_class("HorizontalPodAutoscaler"), "horizontalpodautoscaler");
        // A pasted kind is any string; the SVG is set as markup.
        assert_eq!(kind_class("X\"><a href=\"https://evil\">"), "xahrefhttpsevil");
        assert_eq!(kind_class("Kïnd"), "knd");
    }

    #[test]
    fn stacked_labels_keep_apart_and_near_where_they_want_to_be() {
        let mut labels = vec![
            label(Lane::Gap(1), 100.0, 3),
            label(Lane::Gap(1), 105.0, 1),
            label(Lane::Gap(1), 110.0, 2),
            label(Lane::Gap(1), 400.0, 1),
            // Another lane: may share the height of the first three.
            label(Lane::Gap(2), 100.0, 1),
        ];
        stack(&mut labels, 50.0);
        let gap1: Vec<&LabelBox> = labels.iter().filter(|l| l.lane == Lane::Gap(1)).collect();
        for (i, a) in gap1.iter().enumerate() {
            for b in &gap1[i + 1..] {
                let apart =
                    a.top + a.height + LABEL_GAP <= b.top + 1e-9 || b.top + b.height + LABEL_GAP <= a.top + 1e-9;
                assert!(apart, "{} and {} overlap", a.top, b.top);
            }
        }
        // The block of three is centred on their wanted centres, the far one stays put.
        let block_top = labels[0].top;
        let block_bottom = labels[2].top + labels[2].height;
        assert!((((block_top + block_bottom) / 2.0) - 105.0).abs() < LINE_H, "{block_top}..{block_bottom}");
        assert_eq!(labels[3].top, 400.0 - LINE_H / 2.0);
        assert_eq!(labels[4].top, 100.0 - LINE_H / 2.0);
    }

    #[test]
    fn stacked_labels_stay_below_the_column_titles() {
        let mut labels = vec![label(Lane::Gap(0), 0.0, 2), label(Lane::Gap(0), 1.0, 1)];
        stack(&mut labels, 50.0);
        assert_eq!(labels[0].top, 50.0);
        assert_eq!(labels[1].top, 50.0 + 2.0 * LINE_H + LABEL_GAP);
    }

    #[test]
    fn merged_labels_name_each_key_in_full() {
        let keys = ["key ref (DATABASE_URL)", "key ref (OPENAI_API_KEY)"];
        assert_eq!(label_lines(&keys, 150.0, false, true), ["key ref:", "DATABASE_URL", "OPENAI_API_KEY"]);
        // One that does not end in its parenthesis: all are kept whole rather than cut wrong.
        let mixed = ["key ref (DATABASE_URL)", "key ref (X), optional"];
        assert_eq!(label_lines(&mixed, 150.0, false, true), mixed);
        // One label is split only when it is too wide for one line.
        assert_eq!(label_lines(&["8000 -> http (8000)"], 150.0, false, false), ["8000 -> http (8000)"]);
        // Only key references are split: a narrow port label is cut, not read as a key list.
        assert_eq!(label_lines(&["8080 -> metrics-http (8080)"], 20.0, false, false), ["8080 -> metrics-http (8080)"]);
        assert_eq!(
            label_lines(&["key ref (BETTER_AUTH_SECRET)"], 150.0, false, true),
            ["key ref:", "BETTER_AUTH_SECRET"]
        );
        assert_eq!(label_lines(&["selects"], 10.0, false, false), ["selects"]);
    }

    #[test]
    fn labels_are_cut_to_their_room() {
        assert_eq!(fit("selects", 100.0, false), "selects");
        let cut = fit("key ref (A_VERY_LONG_SECRET_KEY_NAME)", 100.0, false);
        assert!(cut.ends_with('…') && text_width(&cut, false) <= 100.0, "{cut}");
        assert!(text_width(&fit("key ref (A_VERY_LONG_SECRET_KEY_NAME)", 100.0, true), true) <= 100.0);
    }
}
