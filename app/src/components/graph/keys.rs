//! The graph by keyboard alone: Tab reaches each node, the arrows go from the focused node to a
//! neighbour (Right along an arrow out of it, Left back along one into it, Up and Down to the
//! nearest node above or below), Enter picks it. Read from the drawing itself (`data-id` on
//! nodes, `data-ends` on arrows), so it follows exactly what is drawn.

use wasm_bindgen::JsCast;

/// Move the keyboard's focus for arrow `key`; false when `key` is no arrow or leads nowhere.
pub fn step(key: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Some(from) = document.active_element().filter(|e| e.matches(".graph .node").unwrap_or(false)) else {
        return false;
    };
    let Some(id) = from.get_attribute("data-id") else { return false };
    let next = match key {
        "ArrowRight" => along_arrow(&document, &id, true),
        "ArrowLeft" => along_arrow(&document, &id, false),
        "ArrowDown" => nearest(&document, &from, true),
        "ArrowUp" => nearest(&document, &from, false),
        _ => None,
    };
    let Some(next) = next else { return false };
    next.scroll_into_view_with_bool(false);
    crate::browser::focus_element(&next)
}

fn nodes(document: &web_sys::Document) -> Vec<web_sys::Element> {
    let Ok(all) = document.query_selector_all(".graph .node[data-id]") else { return Vec::new() };
    (0..all.length()).filter_map(|i| all.item(i)?.dyn_into::<web_sys::Element>().ok()).collect()
}

/// The first node an arrow leads to from `id` (`out`), or comes from into it, in drawing order.
fn along_arrow(document: &web_sys::Document, id: &str, out: bool) -> Option<web_sys::Element> {
    let arrows = document.query_selector_all(".graph .edge[data-ends]").ok()?;
    let other = (0..arrows.length()).find_map(|i| {
        let ends = arrows.item(i)?.dyn_into::<web_sys::Element>().ok()?.get_attribute("data-ends")?;
        let (from, to) = ends.split_once(' ')?;
        match out {
            true => (from == id && to != id).then(|| to.to_string()),
            false => (to == id && from != id).then(|| from.to_string()),
        }
    })?;
    nodes(document).into_iter().find(|n| n.get_attribute("data-id").as_deref() == Some(other.as_str()))
}

/// The node nearest below (`down`) or above `from` on screen, preferring ones in its column.
fn nearest(document: &web_sys::Document, from: &web_sys::Element, down: bool) -> Option<web_sys::Element> {
    let here = from.get_bounding_client_rect();
    let (x, y) = (here.x() + here.width() / 2.0, here.y() + here.height() / 2.0);
    nodes(document)
        .into_iter()
        .filter_map(|n| {
            let r = n.get_bounding_client_rect();
            let (nx, ny) = (r.x() + r.width() / 2.0, r.y() + r.height() / 2.0);
            let dy = if down { ny - y } else { y - ny };
            // Sideways distance weighs more: Down stays in the column while it has a node.
            (dy > 1.0).then_some((dy + 4.0 * (nx - x).abs(), n))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}
