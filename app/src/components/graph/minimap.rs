//! An overview of a drawing larger than its pane: every band and node as a small box, the part
//! on screen as a frame; a click there brings that part of the drawing into view.

use leptos::prelude::*;
use std::fmt::Write;

use super::layout::{NODE_H, NODE_W};
use super::{kind_class, Drawing};
use kubeplay_core::graph::layout::Band;
use kubeplay_core::graph::Graph;

/// The minimap fits this box on screen (CSS pixels), in the drawing's shape.
const BOX_PX: (f64, f64) = (200.0, 160.0);

/// The part of the drawing on screen, in the drawing's units.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Viewport {
    /// What `pane` (the scrolling box around the SVG) shows of a drawing `drawn_width` wide.
    pub fn of(pane: &web_sys::HtmlDivElement, drawn_width: f64) -> Option<Viewport> {
        let svg = pane.first_element_child()?;
        let scale = f64::from(svg.client_width()) / drawn_width;
        (scale > 0.0).then(|| Viewport {
            x: f64::from(pane.scroll_left()) / scale,
            y: f64::from(pane.scroll_top()) / scale,
            width: f64::from(pane.client_width()) / scale,
            height: f64::from(pane.client_height()) / scale,
        })
    }

    /// Whether it shows less than all of a drawing.
    fn partial(&self, drawing: &Drawing) -> bool {
        self.width > 0.0 && (self.width + 1.0 < drawing.width || self.height + 1.0 < drawing.height)
    }
}

/// The overview's markup: bands as outlines, nodes as boxes of their kind's class (broken links
/// are not drawn: at this size only where things are matters).
pub fn overview(graph: &Graph, bands: &[Band], at: &[(f64, f64)], width: f64) -> String {
    let mut out = String::with_capacity(64 * (bands.len() + at.len()));
    for band in bands {
        let _ = write!(
            out,
            "<rect class=\"band\" x=\"0\" y=\"{:.0}\" width=\"{width:.0}\" height=\"{:.0}\"/>",
            band.top, band.height
        );
    }
    for (node, &(x, y)) in graph.nodes.iter().zip(at) {
        let missing = if node.missing { " missing" } else { "" };
        let _ = write!(
            out,
            "<rect class=\"dot kind-{}{missing}\" x=\"{x:.0}\" y=\"{y:.0}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"8\"/>",
            kind_class(node.kind())
        );
    }
    out
}

/// Shown while the pane shows only part of the drawing.
#[component]
pub fn Minimap(
    drawing: Memo<Drawing>,
    viewport: RwSignal<Viewport>,
    pane: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    let map = NodeRef::<leptos::svg::Svg>::new();
    // A click centres the pane on that point of the drawing.
    let jump = move |ev: web_sys::MouseEvent| {
        let (Some(map), Some(pane)) = (map.get_untracked(), pane.get_untracked()) else { return };
        let shown = map.get_bounding_client_rect();
        let (width, height) = drawing.with_untracked(|d| (d.width, d.height));
        if shown.width() <= 0.0 {
            return;
        }
        let x = (f64::from(ev.client_x()) - shown.left()) / shown.width() * width;
        let y = (f64::from(ev.client_y()) - shown.top()) / shown.height() * height;
        let seen = viewport.get_untracked();
        let scale = f64::from(pane.client_width()) / seen.width.max(1.0);
        pane.set_scroll_left(((x - seen.width / 2.0) * scale).round() as i32);
        pane.set_scroll_top(((y - seen.height / 2.0) * scale).round() as i32);
    };
    let shown = move || drawing.with(|d| viewport.with(|v| v.partial(d)));
    view! {
        <Show when=shown>
            <svg
                class="minimap"
                data-testid="minimap"
                node_ref=map
                aria-hidden="true"
                viewBox=move || drawing.with(|d| format!("0 0 {} {}", d.width, d.height))
                style:width=move || drawing.with(|d| format!("{:.0}px", BOX_PX.0.min(BOX_PX.1 * d.width / d.height.max(1.0))))
                on:click=jump
            >
                <g inner_html=move || drawing.with(|d| d.overview.clone())></g>
                <rect
                    class="viewport"
                    x=move || viewport.with(|v| v.x.to_string())
                    y=move || viewport.with(|v| v.y.to_string())
                    width=move || viewport.with(|v| v.width.to_string())
                    height=move || viewport.with(|v| v.height.to_string())
                ></rect>
            </svg>
        </Show>
    }
}
