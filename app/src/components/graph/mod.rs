//! The relationship graph as SVG: one band per namespace, columns that follow the arrows
//! (`layout`), edge labels stacked in the gaps between columns so that none overlaps another
//! (`labels`), and each arrow bent to run through its own label. Broken edges are red and
//! dashed; every node and edge is focusable and carries its explanation as a `<title>` (hover)
//! and `aria-label` (focus). Holding edges of one kind between the same two nodes are one arrow
//! whose label lists them (the keys a workload's pods take from a Secret).
//! Built as one string: a few hundred elements render faster this way than as reactive nodes.

mod filters;
mod keys;
mod labels;
mod layout;
mod minimap;
mod pinch;

use kubeplay_core::graph::{EdgeKind, Filter, Graph, GraphEdge};
use kubeplay_core::manifest::changes::Change;
use kubeplay_core::resource::ResourceRef;
use kubeplay_core::{rules, sort};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::editor::escape;
use super::problems::rich;
use crate::browser;
use crate::state::AppState;
use filters::GraphFilters;
use kubeplay_core::graph::layout::{self as placed, Band};
use labels::{
    clear, fit, label_font, label_lines, stack, text_width, LabelBox, ASCENT, BAND_FONT, KIND_FONT, LABEL_PAD,
    LABEL_PAD_Y, LINE_H, NAME_FONT,
};
use layout::{BAND_PAD, MARGIN, NODE_H, NODE_W, SIZES};
use minimap::{Minimap, Viewport};
use wasm_bindgen::JsCast;

/// Arrows that meet one side of a node are this far apart.
const FAN: f64 = 14.0;
/// A gap between columns is at least this wide, so arrows have room to bend, and at most this
/// wide: longer labels are cut there (the whole text is in the arrow's title).
const MIN_GAP: f64 = 56.0;
const MAX_GAP: f64 = 180.0;
/// Free space between a label's box and the columns on either side.
const GAP_MARGIN: f64 = 4.0;
/// The page scales the SVG to the pane's width: a graph of one or two columns is drawn this
/// wide anyway, so its text is not blown up to several times its size.
const MIN_WIDTH: f64 = 960.0;
/// Node names are drawn this large on screen at the starting zoom (12 px, as for body text);
/// a graph wider than the pane then scrolls, and "Fit" shows all of it at once.
const READABLE_PX: f64 = 12.0;
/// Each zoom step, and how far zoom goes either way.
const ZOOM_STEP: f64 = 1.25;
const ZOOM_RANGE: (f64, f64) = (0.2, 3.0);

/// How large the drawing is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Zoom {
    /// As wide as the pane.
    Fit,
    /// Screen pixels per drawing unit.
    Scale(f64),
}

impl Zoom {
    /// Names at [`READABLE_PX`].
    fn readable() -> Zoom {
        Zoom::Scale(READABLE_PX / labels::NAME_FONT.px)
    }
    /// One step in (`in_` true) or out, from `shown` (the scale on screen now).
    fn step(shown: f64, in_: bool) -> Zoom {
        let next = if in_ { shown * ZOOM_STEP } else { shown / ZOOM_STEP };
        Zoom::Scale(next.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1))
    }
}

/// A request from another pane (a problem's "graph" link) to show a node (its id): the page
/// brings the graph's tab forward, and the graph picks the node, lists its relationships and
/// scrolls it into view with the keyboard's focus on it.
#[derive(Clone, Copy)]
pub struct Reveal(pub RwSignal<Option<String>>);

/// Drawn only while its tab is shown (`active`): the other panes do not pay for a layout
/// nobody sees on every keystroke.
#[component]
pub fn GraphView(#[prop(into, default = Signal::stored(true))] active: Signal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    // The node whose relationships are shown (its id), picked by a click or Enter.
    let selected = RwSignal::new(None::<String>);
    let filter = RwSignal::new(Filter::default());
    let reveal = use_context::<Reveal>();
    let drawing = Memo::new(move |_| {
        if !active.get() {
            return Drawing::default();
        }
        state.computed.with(|c| {
            filter.with(|f| {
                browser::timed("graph-draw", || match f.shows_all() {
                    true => draw(&c.analysis.graph, &c.changed),
                    false => draw(&c.analysis.graph.filtered(f), &c.changed),
                })
            })
        })
    });
    // Picking a node marks the drawing in place (classes on the drawn elements) rather than
    // drawing it again, which would take the keyboard's focus off the node.
    let pane = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        drawing.track();
        let near =
            selected.with(|s| s.as_deref().map(|id| state.computed.with(|c| neighbourhood(&c.analysis.graph, id))));
        // Within the pane: a search of the whole page would walk every field of a big form.
        if let Some(pane) = pane.get_untracked() {
            mark_picked(&pane, selected.get_untracked().as_deref(), near.as_ref());
        }
    });
    // Answered once the tab is shown and the node drawn; a filter hiding it is cleared first.
    Effect::new(move |_| {
        let Some(Reveal(request)) = reveal else { return };
        let Some(id) = request.get() else { return };
        if !active.get() {
            return;
        }
        let drawn = state.computed.with(|c| {
            filter.with(|f| f.shows_all() || c.analysis.graph.filtered(f).nodes.iter().any(|n| *n.id == *id))
        });
        if !drawn {
            filter.set(Filter::default());
            return;
        }
        request.set(None);
        selected.set(Some(id.clone()));
        // Focused after this update has drawn the pane.
        request_animation_frame(move || browser::focus_graph_node(&id));
    });
    let pick = move |target: Option<web_sys::Element>| {
        let id = target.and_then(|t| t.closest("[data-id]").ok().flatten()).and_then(|n| n.get_attribute("data-id"));
        selected.set(id);
    };
    let broken = move || state.computed.with(|c| c.analysis.graph.broken().count());
    let size = move |f: fn(&Drawing) -> String| move || drawing.with(f);
    let zoom = RwSignal::new(Zoom::readable());
    let drag = StoredValue::new(None::<Drag>);
    let pinch = StoredValue::new(pinch::Pinch::default());
    let lift = move |ev: &web_sys::PointerEvent| {
        if ev.pointer_type() == "touch" {
            pinch.update_value(|p| p.up(ev.pointer_id()));
        }
    };
    // What the pane shows, for the minimap: measured when it scrolls, and a frame after the
    // drawing or the zoom changed (once the new size is laid out).
    let viewport = RwSignal::new(Viewport::default());
    let measure = move || {
        let Some(pane) = pane.get_untracked() else { return };
        if let Some(seen) = Viewport::of(&pane, drawing.with_untracked(|d| d.width)) {
            viewport.set(seen);
        }
    };
    // A graph just shown, or a pane left on empty space (a zoom, a filter), is sent where the
    // most nodes fit; edits to a graph on screen leave the view where the reader put it.
    let was_empty = StoredValue::new(true);
    let show_busiest = move || {
        // Noted first: a hidden tab's empty drawing has no viewport.
        let empty = drawing.with_untracked(|d| d.nodes.is_empty());
        let opened = was_empty.get_value() && !empty;
        was_empty.set_value(empty);
        let Some(pane) = pane.get_untracked() else { return };
        let Some(seen) = Viewport::of(&pane, drawing.with_untracked(|d| d.width)) else { return };
        if !opened && drawing.with_untracked(|d| d.shows_a_node(&seen)) {
            return;
        }
        let (x, y) = drawing.with_untracked(|d| d.busiest(&seen));
        let scale = f64::from(pane.client_width()) / seen.width;
        pane.set_scroll_left((x * scale) as i32);
        pane.set_scroll_top((y * scale) as i32);
    };
    Effect::new(move |_| {
        drawing.track();
        zoom.track();
        request_animation_frame(move || {
            show_busiest();
            measure();
        });
    });
    // The scale on screen now, read from the page: under "Fit" it is the pane's.
    let shown_scale = move || {
        let svg =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(".graph svg").ok().flatten());
        let on_screen = svg.map(|s| f64::from(s.client_width())).unwrap_or(0.0);
        let drawn = drawing.with_untracked(|d| d.width);
        if on_screen > 0.0 && drawn > 0.0 {
            on_screen / drawn
        } else {
            READABLE_PX / labels::NAME_FONT.px
        }
    };
    let width = move || match zoom.get() {
        Zoom::Fit => "100%".to_string(),
        Zoom::Scale(scale) => format!("{}px", (drawing.with(|d| d.width) * scale).ceil()),
    };
    view! {
        <div class="pane-head">
            <span class="zoom" role="group" aria-label="Zoom">
                <button type="button" id="zoom-out" aria-label="Zoom out" on:click=move |_| zoom.set(Zoom::step(shown_scale(), false))>"−"</button>
                <button type="button" id="zoom-in" aria-label="Zoom in" on:click=move |_| zoom.set(Zoom::step(shown_scale(), true))>"+"</button>
                <button type="button" id="zoom-fit" aria-pressed=move || (zoom.get() == Zoom::Fit).to_string() on:click=move |_| zoom.set(Zoom::Fit)>"Fit"</button>
                <button type="button" id="zoom-readable" aria-pressed=move || (zoom.get() == Zoom::readable()).to_string() on:click=move |_| zoom.set(Zoom::readable())>"Readable"</button>
            </span>
            <span class="exports">
                <button type="button" id="graph-dot" title="The graph in Graphviz's DOT (render with `dot -Tsvg`)" on:click=move |_| {
                    state.computed.with_untracked(|c| browser::download("graph.dot", "text/vnd.graphviz", &c.analysis.graph.to_dot()))
                }>"DOT"</button>
                <button type="button" id="graph-copy-dot" class="copy" aria-label="Copy DOT" title="Copy the graph's DOT text to the clipboard" on:click=move |_| {
                    state.computed.with_untracked(|c| browser::copy(&c.analysis.graph.to_dot()))
                }>"copy"</button>
                <button type="button" id="graph-mermaid" title="The graph as a Mermaid flowchart (for Markdown that renders Mermaid)" on:click=move |_| {
                    state.computed.with_untracked(|c| browser::download("graph.mmd", "text/vnd.mermaid", &c.analysis.graph.to_mermaid()))
                }>"Mermaid"</button>
                <button type="button" id="graph-copy-mermaid" class="copy" aria-label="Copy Mermaid" title="Copy the graph's Mermaid text to the clipboard" on:click=move |_| {
                    state.computed.with_untracked(|c| browser::copy(&c.analysis.graph.to_mermaid()))
                }>"copy"</button>
                <button type="button" id="graph-svg" title="The graph as drawn here, as an SVG picture" on:click=move |_| {
                    if let Some(svg) = browser::standalone_svg(".graph svg") {
                        browser::download("graph.svg", "image/svg+xml", &svg);
                    }
                }>"SVG"</button>
                <button type="button" id="graph-png" title="The graph as drawn here, as a PNG picture" on:click=move |_| {
                    let Some(svg) = browser::standalone_svg(".graph svg") else { return };
                    let (width, height) = drawing.with_untracked(|d| (d.width, d.height));
                    leptos::task::spawn_local(async move {
                        let _ = browser::download_png("graph.png", &svg, width, height).await;
                    });
                }>"PNG"</button>
            </span>
            <GraphFilters filter=filter selected=selected/>
            <span class="count" data-testid="broken-count">{move || match broken() {
                0 => "Every link holds.".to_string(),
                1 => "1 broken link (red): focus or hover it for why.".to_string(),
                n => format!("{n} broken links (red): focus or hover them for why."),
            }}</span>
        </div>
        // The SVG's width is the zoom's (set through the CSSOM, which the CSP allows): at the
        // starting zoom names are readable and a wide graph scrolls; "Fit" shows it all.
        <div class="graph-wrap">
        <div
            class="graph"
            data-testid="graph"
            node_ref=pane
            on:scroll=move |_| measure()
            // A mouse drags the drawing around (one finger scrolls it natively, two pinch it).
            on:pointerdown=move |ev| {
                if ev.pointer_type() == "touch" {
                    let at = (f64::from(ev.client_x()), f64::from(ev.client_y()));
                    pinch.update_value(|p| p.down(ev.pointer_id(), at.0, at.1, shown_scale()));
                }
                let press = (ev.button() == 0 && ev.pointer_type() != "touch").then(|| pane.get_untracked()).flatten();
                drag.set_value(press.map(|pane| Drag::new(&ev, &pane)));
            }
            // A drag that leaves the pane or is cancelled ends there (no click follows it).
            on:pointerleave=move |ev| {
                lift(&ev);
                drag.set_value(None)
            }
            on:pointercancel=move |ev| {
                lift(&ev);
                drag.set_value(None)
            }
            on:pointermove=move |ev| {
                if ev.pointer_type() == "touch" {
                    let at = (f64::from(ev.client_x()), f64::from(ev.client_y()));
                    if let Some(scale) = pinch.try_update_value(|p| p.moved(ev.pointer_id(), at.0, at.1)).flatten() {
                        zoom.set(Zoom::Scale(scale.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1)));
                    }
                }
                let Some(pane) = pane.get_untracked() else { return };
                drag.update_value(|d| {
                    if let Some(d) = d.as_mut().filter(|_| ev.buttons() & 1 == 1) {
                        d.follow(&ev, &pane);
                    }
                });
            }
            on:pointerup=move |ev| {
                lift(&ev);
                drag.update_value(|d| *d = d.take().filter(|d| d.moved))
            }
            on:click=move |ev| {
                // The click that ends a drag picks nothing.
                if drag.try_update_value(|d| d.take().is_some_and(|d| d.moved)).unwrap_or(false) {
                    return;
                }
                pick(ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()))
            }
            // Ctrl (or a pinch, which browsers send as Ctrl) and the wheel zoom; the wheel alone scrolls.
            on:wheel=move |ev| {
                if ev.ctrl_key() {
                    ev.prevent_default();
                    zoom.set(Zoom::step(shown_scale(), ev.delta_y() < 0.0));
                }
            }
            on:keydown=move |ev| match ev.key().as_str() {
                "Enter" | " " => pick(web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element())),
                "Escape" => selected.set(None),
                arrow => {
                    // An arrow that moved the focus does not also scroll the pane.
                    if keys::step(arrow) {
                        ev.prevent_default();
                    }
                }
            }
        >
            <svg
                viewBox=size(|d| format!("0 0 {} {}", d.width, d.height))
                width=size(|d| d.width.to_string())
                height=size(|d| d.height.to_string())
                role="group"
                aria-label="Relationship graph"
                style:width=width
                style:min-width="0"
                inner_html=size(|d| d.body.clone())
            ></svg>
        </div>
        <Minimap drawing=drawing viewport=viewport pane=pane/>
        </div>
        <Relations selected=selected/>
        <p class="legend">
            "Arrows say why two things relate, from left to right where they can. Each box is a namespace, with what it contains (those links are not drawn unless broken). Dashed red: a link that does not hold. Click a node (or focus it and press Enter) to see its relationships and why each holds; Escape lets go. Drag the drawing to move around it; on a touch screen, pinch it to zoom. By keyboard: Tab to a node, the arrow keys to its neighbours (Right along an arrow, Left back along one, Up and Down to the nodes above and below)."
        </p>
    }
}

/// A drag of the drawing by the mouse: where it started, and whether it moved far enough to be
/// a drag rather than a click.
#[derive(Debug, Clone, Copy)]
struct Drag {
    x: i32,
    y: i32,
    left: i32,
    top: i32,
    moved: bool,
}

impl Drag {
    /// A press moves less than this far (CSS pixels) and is still a click.
    const SLACK: i32 = 4;

    fn new(ev: &web_sys::PointerEvent, pane: &web_sys::HtmlDivElement) -> Drag {
        Drag { x: ev.client_x(), y: ev.client_y(), left: pane.scroll_left(), top: pane.scroll_top(), moved: false }
    }

    /// Scroll the pane by as far as the pointer went since the press.
    fn follow(&mut self, ev: &web_sys::PointerEvent, pane: &web_sys::HtmlDivElement) {
        let (dx, dy) = (ev.client_x() - self.x, ev.client_y() - self.y);
        self.moved |= dx.abs() + dy.abs() > Self::SLACK;
        if self.moved {
            pane.set_scroll_left(self.left - dx);
            pane.set_scroll_top(self.top - dy);
        }
    }
}

/// The picked node's relationships, each with why it holds or which rule breaks it and the fix.
#[component]
fn Relations(selected: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || {
        let id = selected.get()?;
        state.computed.with(|c| {
            let graph = &c.analysis.graph;
            let node = graph.nodes.iter().find(|n| *n.id == *id)?;
            let rows = graph
                .edges_of(&id)
                .map(|e| {
                    let why = match (e.rule, &e.message) {
                        (Some(rule), Some(message)) => {
                            let help = rules::find(rule).map(|r| r.help).unwrap_or_default();
                            view! {
                                <p class="why">"Broken: " {rich(message)} " " <code class="rule">{rule}</code></p>
                                <p class="help">"Fix: " {rich(help)}</p>
                            }
                            .into_any()
                        }
                        _ => view! { <p class="why">{e.kind.explain()}</p> }.into_any(),
                    };
                    let label = if e.label.is_empty() || e.label == e.kind.as_str() { String::new() } else { format!(" ({})", e.label) };
                    view! {
                        <li class=if e.holds() { "relation holds" } else { "relation broken" }>
                            <span class="ends">{format!("{} {} {}{label}", e.from, e.kind.as_str(), e.to)}</span>
                            {why}
                        </li>
                    }
                })
                .collect_view();
            let count = graph.edges_of(&id).count();
            Some(view! {
                <section class="relations" data-testid="relations" aria-live="polite">
                    <h3>{format!("{} {}: {count} relationship{}", node.kind(), node.name(), if count == 1 { "" } else { "s" })}
                        " " <button type="button" class="link" on:click=move |_| selected.set(None)>"close"</button>
                    </h3>
                    <ul>{rows}</ul>
                </section>
            })
        })
    };
    view! { {body} }
}

/// The graph as drawn: the size of its SVG and what goes inside.
#[derive(Clone, Default, PartialEq)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub body: String,
    /// The minimap's markup, in the same units.
    pub overview: String,
    /// Each node's top left corner, in the same units.
    pub nodes: Vec<(f64, f64)>,
}

impl Drawing {
    /// Where a pane of `seen`'s size should look to show the most whole nodes (a big drawing
    /// has empty corners): the top left of a screenful starting at some node, the one nearest the
    /// drawing's own top left among the best.
    fn busiest(&self, seen: &Viewport) -> (f64, f64) {
        let whole_in = |(left, top): (f64, f64)| {
            let inside = |&&(x, y): &&(f64, f64)| {
                x >= left && y >= top && x + NODE_W <= left + seen.width && y + NODE_H <= top + seen.height
            };
            self.nodes.iter().filter(inside).count()
        };
        let starts = self.nodes.iter().map(|&(x, y)| ((x - MARGIN).max(0.0), (y - MARGIN).max(0.0)));
        let mut best = ((0.0, 0.0), whole_in((0.0, 0.0)));
        for start in starts {
            let count = whole_in(start);
            if count > best.1 || (count == best.1 && start.0 + start.1 < best.0 .0 + best.0 .1) {
                best = (start, count);
            }
        }
        best.0
    }

    /// Whether the pane shows some of a node.
    fn shows_a_node(&self, seen: &Viewport) -> bool {
        self.nodes.iter().any(|&(x, y)| {
            x < seen.x + seen.width && x + NODE_W > seen.x && y < seen.y + seen.height && y + NODE_H > seen.y
        })
    }
}

/// One arrow as drawn (core's [`kubeplay_core::graph::Arrow`]) with its edges: its label lists
/// them. `from` and `to` index the graph's nodes.
struct Arrow<'a> {
    from: usize,
    to: usize,
    edges: Vec<&'a GraphEdge>,
}

impl Arrow<'_> {
    fn first(&self) -> &GraphEdge {
        self.edges[0]
    }
    fn broken(&self) -> bool {
        !self.first().holds()
    }
    fn texts(&self) -> Vec<&str> {
        self.edges.iter().map(|e| e.label.as_str()).collect()
    }
    /// The label's lines for `room`, before cutting.
    fn lines(&self, room: f64) -> Vec<String> {
        label_lines(&self.texts(), room, label_font(self.broken()), self.first().kind == EdgeKind::KeyRef)
    }
}

fn arrows(graph: &Graph) -> Vec<Arrow<'_>> {
    graph
        .arrows()
        .into_iter()
        .map(|a| Arrow { from: a.from, to: a.to, edges: a.edges.iter().map(|&k| &graph.edges[k]).collect() })
        .collect()
}

/// A node kind as a CSS class name (`kind-<this>`): pasted manifests may name any kind, so only
/// ASCII letters and digits are kept, lowered (ASCII only: std's Unicode case tables would add
/// 8 KB to the wasm for nothing a class name needs).
fn kind_class(kind: &str) -> String {
    kind.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// The layout with the gaps' widths: where everything is, left to right.
struct Frame<'a> {
    layout: placed::Layout<'a>,
    gaps: Vec<f64>,
    width: f64,
}

impl Frame<'_> {
    fn column(&self, node: usize) -> usize {
        self.layout.cells[node].0
    }
    fn top(&self, node: usize) -> f64 {
        self.layout.cells[node].1
    }
    fn middle(&self, node: usize) -> f64 {
        self.top(node) + NODE_H / 2.0
    }
    /// Where arrow `i` is before it reaches its target: its last lane, or its source.
    fn last_before_target(&self, i: usize, a: &Arrow, dy1: f64) -> f64 {
        self.layout.lanes[i].last().map_or(self.middle(a.from) + dy1, |lane| lane.1)
    }
    /// Left edge of a column.
    fn x(&self, column: usize) -> f64 {
        MARGIN + BAND_PAD + column as f64 * NODE_W + self.gaps[..column].iter().sum::<f64>()
    }
    /// The middle of the gap right of a column.
    fn gap_middle(&self, gap: usize) -> f64 {
        self.x(gap) + NODE_W + self.gaps[gap] / 2.0
    }
    /// The gap an arrow's label goes in: next to its target, on the source's side (right of a
    /// node that links to itself).
    fn gap_of(&self, a: &Arrow) -> usize {
        let (from, to) = (self.column(a.from), self.column(a.to));
        if from < to {
            to - 1
        } else {
            to
        }
    }
}

/// Room a label's box leaves in its gap, both sides together.
const SPARE: f64 = 2.0 * (GAP_MARGIN + LABEL_PAD);

/// Each gap as wide as its widest label wants, within bounds. The one right of the last column
/// is only there for a node that links to itself.
fn frame<'a>(layout: placed::Layout<'a>, arrows: &[Arrow]) -> Frame<'a> {
    let mut gaps = vec![MIN_GAP; layout.columns];
    if let Some(last) = gaps.last_mut() {
        *last = 0.0;
    }
    let mut frame = Frame { layout, gaps: Vec::new(), width: 0.0 };
    for a in arrows {
        let font = label_font(a.broken());
        let widest = a.lines(MAX_GAP - SPARE).iter().map(|l| text_width(l, font)).fold(0.0, f64::max);
        let gap = &mut gaps[frame.gap_of(a)];
        *gap = gap.max(widest.min(MAX_GAP - SPARE) + SPARE);
    }
    frame.gaps = gaps;
    frame.width = (frame.x(frame.layout.columns) + BAND_PAD + MARGIN).max(MIN_WIDTH);
    frame
}

/// Where each arrow leaves and arrives, as offsets down from the middle of the node's side:
/// every arrow on one side of a node gets its own point, in the order of the nodes at their
/// other ends, so arrows neither share an end nor cross there.
fn attach_points(arrows: &[Arrow], frame: &Frame) -> Vec<(f64, f64)> {
    /// One arrow's end on a side of a node: the y of the node at its other end, which arrow, and
    /// whether the arrow leaves there.
    struct End {
        other_y: f64,
        arrow: usize,
        leaves: bool,
    }
    // Keyed by node and side (true: its right side).
    let mut sides: BTreeMap<(usize, bool), Vec<End>> = BTreeMap::new();
    for (i, a) in arrows.iter().enumerate() {
        let (f, t) = (frame.column(a.from), frame.column(a.to));
        // The other end as seen from here: the nearest lane of a long arrow.
        let lanes = &frame.layout.lanes[i];
        let first = lanes.first().map_or(frame.middle(a.to), |lane| lane.1);
        let last = lanes.last().map_or(frame.middle(a.from), |lane| lane.1);
        sides.entry((a.from, f <= t)).or_default().push(End { other_y: first, arrow: i, leaves: true });
        sides.entry((a.to, f >= t)).or_default().push(End { other_y: last, arrow: i, leaves: false });
    }
    let mut attach = vec![(0.0, 0.0); arrows.len()];
    for mut attached in sides.into_values() {
        sort::by(&mut attached, |a, b| a.other_y.total_cmp(&b.other_y).then(a.arrow.cmp(&b.arrow)));
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
    attach
}

/// Each label's lines cut to its gap, and its box: as near halfway between the arrow's ends as
/// the other labels of its gap allow, and off the namespace titles.
fn place_labels(arrows: &[Arrow], frame: &Frame, attach: &[(f64, f64)]) -> Vec<(Vec<String>, LabelBox)> {
    let mut lines = Vec::with_capacity(arrows.len());
    let mut boxes = Vec::with_capacity(arrows.len());
    for (i, (a, &(dy1, dy2))) in arrows.iter().zip(attach).enumerate() {
        let gap = frame.gap_of(a);
        let room = frame.gaps[gap] - SPARE;
        let cut: Vec<String> = a.lines(room).iter().map(|l| fit(l, room, label_font(a.broken()))).collect();
        let height = cut.len() as f64 * LINE_H + 2.0 * LABEL_PAD_Y;
        let wanted_centre = (frame.last_before_target(i, a, dy1) + frame.middle(a.to) + dy2) / 2.0;
        boxes.push(LabelBox { gap, height, wanted_centre, top: 0.0 });
        lines.push(cut);
    }
    stack(&mut boxes, MARGIN);
    // A namespace's title runs from the first column's left edge: the gaps it reaches into are
    // closed to labels along its line.
    let mut blocked = Vec::new();
    for band in &frame.layout.bands {
        let (start, end) = title_span(band);
        let right = MARGIN + BAND_PAD + text_width(&band_title(band, frame.width).0, BAND_FONT);
        for gap in (0..frame.layout.columns).filter(|&g| frame.x(g) + NODE_W < right) {
            blocked.push((gap, start, end));
        }
    }
    clear(&mut boxes, &blocked);
    lines.into_iter().zip(boxes).collect()
}

/// The ids of a picked node and of the nodes at the other end of its relationships.
pub fn neighbourhood(graph: &Graph, id: &str) -> BTreeSet<String> {
    let mut near: BTreeSet<String> = graph.edges_of(id).flat_map(|e| [e.from.to_string(), e.to.to_string()]).collect();
    near.insert(id.to_string());
    near
}

/// Dim every drawn node and arrow outside `near` (the picked node's neighbourhood) and mark the
/// picked one; with none picked, clear the marks.
fn mark_picked(pane: &web_sys::Element, picked: Option<&str>, near: Option<&BTreeSet<String>>) {
    let Ok(drawn) = pane.query_selector_all("[data-id], [data-ends]") else { return };
    for i in 0..drawn.length() {
        let Some(element) = drawn.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let (dim, selected) = match (near, element.get_attribute("data-id")) {
            (None, _) => (false, false),
            (Some(near), Some(id)) => (!near.contains(&id), picked == Some(id.as_str())),
            (Some(_), None) => {
                let ends = element.get_attribute("data-ends").unwrap_or_default();
                (!ends.split(' ').any(|end| picked == Some(end)), false)
            }
        };
        let classes = element.class_list();
        let _ = classes.toggle_with_force("dim", dim);
        let _ = classes.toggle_with_force("selected", selected);
    }
}

/// Draw the graph, outlining the nodes the last edit added or changed. Pure, so it can be tested
/// natively.
pub fn draw(graph: &Graph, changed: &[(ResourceRef, Change)]) -> Drawing {
    let arrows = arrows(graph);
    let links: Vec<(usize, usize)> = arrows.iter().map(|a| (a.from, a.to)).collect();
    let frame = frame(placed::layout(&graph.nodes, &links, &SIZES), &arrows);
    let attach = attach_points(&arrows, &frame);
    let labels = place_labels(&arrows, &frame, &attach);

    let nodes_bottom = frame.layout.bands.last().map_or(MARGIN, |b| b.top + b.height);
    let height = labels.iter().map(|(_, l)| l.top + l.height).fold(nodes_bottom, f64::max) + MARGIN;
    let width = frame.width;
    let mut out = String::with_capacity(4096 + graph.edges.len() * 400 + graph.nodes.len() * 400);
    out.push_str(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow\"/></marker>\
         <marker id=\"arrow-broken\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow broken\"/></marker></defs>",
    );
    write_bands(&mut out, &frame.layout.bands, width);
    // Labels go on opaque boxes drawn after every arrow: an arrow passing behind another arrow's
    // label is hidden there instead of striking its words through.
    let mut labels_out = String::with_capacity(arrows.len() * 300);
    for (i, ((a, (lines, label)), &ends)) in arrows.iter().zip(&labels).zip(&attach).enumerate() {
        let ends = (&*graph.nodes[a.from].id, &*graph.nodes[a.to].id, ends);
        write_arrow(&mut out, &mut labels_out, (i, a), &frame, ends, lines, label);
    }
    out.push_str(&labels_out);
    let at: Vec<(f64, f64)> = (0..graph.nodes.len()).map(|i| (frame.x(frame.column(i)), frame.top(i))).collect();
    write_nodes(&mut out, graph, &at, changed);
    let overview = minimap::overview(graph, &frame.layout.bands, &at, width);
    Drawing { width, height, body: out, overview, nodes: at }
}

/// Arrow `i` into `out` and its label into `labels_out`. `ends`: its attach points.
fn write_arrow(
    out: &mut String,
    labels_out: &mut String,
    (i, a): (usize, &Arrow),
    frame: &Frame,
    (from_id, to_id, (dy1, dy2)): (&str, &str, (f64, f64)),
    lines: &[String],
    label: &LabelBox,
) {
    let (f, t) = (frame.column(a.from), frame.column(a.to));
    let label_x = frame.gap_middle(label.gap);
    let centre = label.top + label.height / 2.0;
    let x0 = if f <= t { frame.x(f) + NODE_W } else { frame.x(f) };
    let x2 = if f >= t { frame.x(t) + NODE_W } else { frame.x(t) };
    let y0 = frame.middle(a.from) + dy1;
    let y2 = frame.middle(a.to) + dy2;
    // Through the lanes of the columns it passes first: a curve across each gap, level where it
    // leaves and where it arrives, and a straight run along the lane.
    let mut path = format!("M{x0:.1},{y0:.1}");
    let (mut x1, mut y1) = (x0, y0);
    let mut on_lane = false;
    for &(column, y) in &frame.layout.lanes[i] {
        let (enter, leave) = if f < t {
            (frame.x(column), frame.x(column) + NODE_W)
        } else {
            (frame.x(column) + NODE_W, frame.x(column))
        };
        // Lanes about level with the run so far extend it (a long trunk is one line): nothing
        // comes nearer a lane's middle than half a lane and a gap, so the run stays clear.
        if on_lane && (y - y1).abs() <= (SIZES.lane + SIZES.lane_gap) / 2.0 {
            x1 = leave;
            continue;
        }
        if on_lane {
            let _ = write!(path, " L{x1:.1},{y1:.1}");
        }
        let mid = (x1 + enter) / 2.0;
        let _ = write!(path, " C{mid:.1},{y1:.1} {mid:.1},{y:.1} {enter:.1},{y:.1}");
        (x1, y1, on_lane) = (leave, y, true);
    }
    if on_lane {
        let _ = write!(path, " L{x1:.1},{y1:.1}");
    }
    // Then two curves that meet at the label, so the arrow runs through its label wherever
    // stacking moved it; each leaves and enters level. `through`: which way the arrow crosses
    // the label (a link of a node to itself turns there).
    let through = match f.cmp(&t) {
        std::cmp::Ordering::Less => 1.0,
        std::cmp::Ordering::Greater => -1.0,
        std::cmp::Ordering::Equal => 0.0,
    };
    let (out1, in2) = (if f <= t { 1.0 } else { -1.0 }, if f >= t { 1.0 } else { -1.0 });
    let reach1 = ((label_x - x1).abs() / 2.0).max(20.0);
    let reach2 = ((x2 - label_x).abs() / 2.0).max(20.0);
    let _ = write!(
        path,
        " C{:.1},{y1:.1} {:.1},{centre:.1} {label_x:.1},{centre:.1} C{:.1},{centre:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}",
        x1 + out1 * reach1,
        label_x - through * reach1,
        label_x + through * reach2,
        x2 + in2 * reach2,
    );
    let first = a.first();
    let mut explanation = format!("{} {} {}", first.from, a.texts().join("; "), first.to);
    if let (Some(rule), Some(message)) = (first.rule, &first.message) {
        let summary = rules::find(rule).map(|r| r.summary).unwrap_or_default();
        explanation = format!("Broken: {explanation}. [{rule}] {message}. {summary}");
    }
    let explanation = escape(&explanation);
    let broken = if a.broken() { " broken" } else { "" };
    let rule = first.rule.unwrap_or("");
    // Which nodes it joins, to mark it when one of them is picked.
    let ends = escape(&format!("{from_id} {to_id}"));
    let _ = write!(
        out,
        "<g class=\"edge{broken}\" tabindex=\"0\" role=\"img\" aria-label=\"{explanation}\" data-rule=\"{rule}\" data-ends=\"{ends}\"><title>{explanation}</title>\
         <path d=\"{path}\" marker-end=\"url(#{})\"/></g>",
        if a.broken() { "arrow-broken" } else { "arrow" },
    );
    // The arrow's group above carries the explanation for keyboards and screen readers; the
    // label's box repeats it on hover.
    let font = label_font(a.broken());
    let box_width = lines.iter().map(|l| text_width(l, font)).fold(0.0, f64::max) + 2.0 * LABEL_PAD;
    let _ = write!(
        labels_out,
        "<g class=\"edge-label{broken}\" aria-hidden=\"true\" data-rule=\"{rule}\" data-ends=\"{ends}\"><title>{explanation}</title>\
         <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{box_width:.1}\" height=\"{:.1}\" rx=\"4\"/><text text-anchor=\"middle\">",
        label_x - box_width / 2.0,
        label.top,
        label.height,
    );
    for (n, line) in lines.iter().enumerate() {
        let y = label.top + LABEL_PAD_Y + ASCENT + n as f64 * LINE_H;
        let _ = write!(labels_out, "<tspan x=\"{label_x:.1}\" y=\"{y:.1}\">{}</tspan>", escape(line));
    }
    labels_out.push_str("</text></g>");
}

/// A band's title (as drawn, cut to the band's width in an SVG `width` wide) and its hover text.
fn band_title(band: &Band, width: f64) -> (String, String) {
    let (title, full) = match band.namespace {
        "" => ("cluster-scoped".to_string(), "Cluster-scoped objects".to_string()),
        ns => (format!("namespace {ns}"), format!("Namespace {ns}")),
    };
    (fit(&title, width - 2.0 * (MARGIN + BAND_PAD), BAND_FONT), full)
}

/// The title's baseline, and the top and bottom of its line, with a little room.
fn title_baseline(band: &Band) -> f64 {
    band.top + 18.0
}
fn title_span(band: &Band) -> (f64, f64) {
    (title_baseline(band) - 14.0, title_baseline(band) + 5.0)
}

/// A box per namespace, behind everything. Styled by presentation attributes in the text's
/// colour (the page's stylesheet has no rule for it; CSP allows no inline style), so it reads in
/// light and dark themes.
fn write_bands(out: &mut String, bands: &[Band], width: f64) {
    for band in bands {
        let (title, full) = band_title(band, width);
        let _ = write!(
            out,
            "<g class=\"namespace\" data-namespace=\"{}\"><title>{}</title>\
             <rect x=\"{MARGIN}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"8\" fill=\"currentColor\" fill-opacity=\"0.03\" stroke=\"currentColor\" stroke-opacity=\"0.25\" stroke-dasharray=\"4 3\"/>\
             <text class=\"column\" x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            escape(band.namespace),
            escape(&full),
            band.top,
            width - 2.0 * MARGIN,
            band.height,
            MARGIN + BAND_PAD,
            title_baseline(band),
            escape(&title),
        );
    }
}

/// Every node at its place (`at`: the top left of each, in the graph's order).
fn write_nodes(out: &mut String, graph: &Graph, at: &[(f64, f64)], changed: &[(ResourceRef, Change)]) {
    let mut contains: BTreeMap<&str, usize> = BTreeMap::new();
    for e in graph.edges.iter().filter(|e| e.kind == EdgeKind::Contains && e.holds()) {
        *contains.entry(&*e.from).or_default() += 1;
    }
    // Text starts this far in from the box's left edge.
    let inset = 10.0;
    for (node, &(x, y)) in graph.nodes.iter().zip(at) {
        let kind = node.kind();
        let subtitle = match (node.missing, contains.get(&*node.id)) {
            (true, _) => format!("{kind} · missing"),
            (false, Some(n)) => format!("{kind} · contains {n}"),
            (false, None) => kind.to_string(),
        };
        let place =
            if node.namespace().is_empty() { String::new() } else { format!(" in namespace {}", node.namespace()) };
        let label = escape(&format!(
            "{kind} {}{place}{}",
            node.name(),
            if node.missing { " (referenced but missing)" } else { "" }
        ));
        let room = NODE_W - inset - 4.0;
        let _ = write!(
            out,
            "<g class=\"node kind-{}{}{}\" data-id=\"{}\" tabindex=\"0\" role=\"img\" aria-label=\"{label}\"><title>{label}</title>\
             <rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"{}\"/>\
             <text class=\"kind\" x=\"{}\" y=\"{}\">{}</text><text class=\"name\" x=\"{}\" y=\"{}\">{}</text></g>",
            kind_class(kind),
            if node.missing { " missing" } else { "" },
            if changed.iter().any(|(r, c)| *c != Change::Removed && *r == node.resource) { " changed" } else { "" },
            escape(&node.id),
            if node.is_pods() { NODE_H / 2.0 } else { 6.0 },
            x + inset,
            y + 17.0,
            escape(&fit(&subtitle, room, KIND_FONT)),
            x + inset,
            y + 35.0,
            escape(&fit(node.name(), room, NAME_FONT)),
        );
    }
}

#[cfg(test)]
mod tests;
