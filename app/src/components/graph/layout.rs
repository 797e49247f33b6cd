//! Where the graph's nodes go, from the graph alone: columns by longest-path layering over the
//! drawn arrows (sources left, each arrow pointing to a later column once cycles are broken), one
//! band per namespace stacked top to bottom, and within a band's column an order that keeps
//! linked nodes level. No kind is named here: a kind the app has never heard of lays out the same.

use kubeplay_core::graph::Node;

pub const NODE_W: f64 = 160.0;
pub const NODE_H: f64 = 46.0;
pub const ROW_GAP: f64 = 30.0;
pub const MARGIN: f64 = 16.0;
/// A band's title row, above its first nodes.
pub const BAND_HEAD: f64 = 28.0;
/// Between a band's edge and the nodes inside it.
pub const BAND_PAD: f64 = 12.0;
/// Between two bands.
pub const BAND_GAP: f64 = 18.0;

/// A namespace's band, or the cluster-scoped objects' (namespace `""`).
pub struct Band<'a> {
    pub namespace: &'a str,
    pub top: f64,
    pub height: f64,
}

pub struct Layout<'a> {
    pub columns: usize,
    /// Per node, in the graph's order: its column and the y of its top.
    pub cells: Vec<(usize, f64)>,
    pub bands: Vec<Band<'a>>,
}

/// The namespace a node is drawn in (core's group: a Namespace heads its own band).
fn band_of(node: &Node) -> &str {
    node.group()
}

/// Lay out `nodes` joined by `links` (indexes into `nodes`, from and to).
pub fn layout<'a>(nodes: &'a [Node], links: &[(usize, usize)]) -> Layout<'a> {
    let column = columns(nodes.len(), links);
    let columns = column.iter().max().map_or(0, |c| c + 1);
    let mut names: Vec<&str> = Vec::new();
    let band: Vec<usize> = nodes
        .iter()
        .map(|n| {
            let name = band_of(n);
            names.iter().position(|b| *b == name).unwrap_or_else(|| {
                names.push(name);
                names.len() - 1
            })
        })
        .collect();
    let row = rows(&band, &column, names.len(), columns, links);
    let mut bands = Vec::with_capacity(names.len());
    let mut cells = vec![(0, 0.0); nodes.len()];
    let mut top = MARGIN;
    for (b, namespace) in names.into_iter().enumerate() {
        let members = || (0..nodes.len()).filter(|&i| band[i] == b);
        let rows = members().map(|i| row[i] + 1).max().unwrap_or(1);
        for i in members() {
            cells[i] = (column[i], top + BAND_HEAD + row[i] as f64 * (NODE_H + ROW_GAP));
        }
        let height = BAND_HEAD + rows as f64 * (NODE_H + ROW_GAP) - ROW_GAP + BAND_PAD;
        bands.push(Band { namespace, top, height });
        top += height + BAND_GAP;
    }
    Layout { columns, cells, bands }
}

/// Each node's column: longest-path layering. Cycles (a Service selects pods that call it) are
/// broken by turning around the links that close one in a depth-first walk, in the graph's
/// order; then every node goes one column right of its furthest predecessor, and a node with
/// successors only moves up to the column before its nearest one, so it sits next to what it
/// points at instead of far left.
fn columns(n: usize, links: &[(usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(from, to) in links.iter().filter(|(from, to)| from != to) {
        out[from].push(to);
    }
    // 0: not seen, 1: on the walk's path, 2: done.
    let mut seen = vec![0u8; n];
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut finished = Vec::with_capacity(n);
    for root in 0..n {
        if seen[root] != 0 {
            continue;
        }
        seen[root] = 1;
        let mut path = vec![(root, 0)];
        while let Some((node, next)) = path.last_mut() {
            let node = *node;
            match out[node].get(*next).copied() {
                Some(to) => {
                    *next += 1;
                    match seen[to] {
                        0 => {
                            seen[to] = 1;
                            after[node].push(to);
                            path.push((to, 0));
                        }
                        // Back to the path: this link closes a cycle.
                        1 => after[to].push(node),
                        _ => after[node].push(to),
                    }
                }
                None => {
                    seen[node] = 2;
                    finished.push(node);
                    path.pop();
                }
            }
        }
    }
    // The reverse of the finishing order is a topological order of `after`.
    let mut column = vec![0; n];
    let mut has_before = vec![false; n];
    for &node in finished.iter().rev() {
        for &to in &after[node] {
            column[to] = column[to].max(column[node] + 1);
            has_before[to] = true;
        }
    }
    for node in (0..n).filter(|&i| !has_before[i]) {
        if let Some(nearest) = after[node].iter().map(|&to| column[to]).min() {
            column[node] = nearest - 1;
        }
    }
    column
}

/// Each node's row within its band's column: first in the graph's order, then sorted by the
/// mean row of its linked nodes in the same band, sweeping the columns left to right (ordered by
/// the columns before) and back (by the columns after), so that linked nodes tend to be level.
fn rows(band: &[usize], column: &[usize], bands: usize, columns: usize, links: &[(usize, usize)]) -> Vec<usize> {
    let n = band.len();
    let mut linked: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in links.iter().filter(|(a, b)| a != b && band[*a] == band[*b]) {
        linked[a].push(b);
        linked[b].push(a);
    }
    let mut cells: Vec<Vec<usize>> = vec![Vec::new(); bands * columns];
    for i in 0..n {
        cells[band[i] * columns + column[i]].push(i);
    }
    let mut row = vec![0.0; n];
    for cell in &cells {
        for (k, &i) in cell.iter().enumerate() {
            row[i] = k as f64;
        }
    }
    let left_to_right: Vec<usize> = (0..columns).collect();
    for (sweep, order) in [(true, left_to_right.clone()), (false, left_to_right.into_iter().rev().collect())] {
        for c in order {
            for b in 0..bands {
                let cell = &mut cells[b * columns + c];
                let key = |i: usize| {
                    let near: Vec<f64> = linked[i]
                        .iter()
                        .filter(|&&j| if sweep { column[j] < c } else { column[j] > c })
                        .map(|&j| row[j])
                        .collect();
                    if near.is_empty() {
                        row[i]
                    } else {
                        near.iter().sum::<f64>() / near.len() as f64
                    }
                };
                let mut keyed: Vec<(f64, usize)> = cell.iter().map(|&i| (key(i), i)).collect();
                // Stable: ties keep the graph's order.
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
                *cell = keyed.into_iter().map(|(_, i)| i).collect();
                for (k, &i) in cell.iter().enumerate() {
                    row[i] = k as f64;
                }
            }
        }
    }
    row.into_iter().map(|r| r as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_links_and_break_cycles() {
        // 0 -> 1 -> 2, 3 -> 2 (a source next to its target), 2 -> 1 (closes a cycle), 4 alone.
        let column = columns(5, &[(0, 1), (1, 2), (3, 2), (2, 1)]);
        assert_eq!(column, [0, 1, 2, 1, 0]);
        // A long chain: one column per step.
        assert_eq!(columns(4, &[(2, 3), (1, 2), (0, 1)]), [0, 1, 2, 3]);
        // Self-links and no links.
        assert_eq!(columns(2, &[(1, 1)]), [0, 0]);
        assert_eq!(columns(0, &[]), Vec::<usize>::new());
    }

    #[test]
    fn linked_nodes_are_level() {
        // Band 0, columns 0 and 1: 0 -> 3 and 1 -> 2 cross unless column 1 is reordered.
        let band = [0, 0, 0, 0];
        let column = [0, 0, 1, 1];
        let row = rows(&band, &column, 1, 2, &[(0, 3), (1, 2)]);
        assert_eq!(row, [0, 1, 1, 0]);
    }
}
