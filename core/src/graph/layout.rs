//! Where a drawing of the graph puts its nodes and routes its arrows: a layered layout in the
//! manner of Sugiyama (as Graphviz `dot` draws), left to right, one band per namespace stacked
//! top to bottom.
//! 1. Columns: longest-path layering over the arrows, cycles broken first (a Service selects
//!    pods that call it), sources pulled next to what they point at.
//! 2. Lanes: an arrow longer than one column takes a lane (a dummy node, `lane` high) in every
//!    column it passes, so it runs between the nodes there, never through one.
//! 3. Order: within each band's part of a column, barycentre sweeps right and left with
//!    transpositions of neighbours, keeping the order with the fewest crossings.
//! 4. Heights: each node and lane as near the mean of its neighbours as the order allows
//!    (isotonic regression per column), so linked nodes are level and long arrows straight.
//!
//! Pure and drawing-agnostic: sizes come in, positions go out; no kind is named here, so a kind
//! nobody has heard of lays out the same.

use super::Node;

/// The drawing's heights and gaps, in its units.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// A node's height.
    pub node: f64,
    /// The height an arrow takes where it passes a column.
    pub lane: f64,
    /// Between two nodes of a column.
    pub node_gap: f64,
    /// Between a lane and whatever is next to it.
    pub lane_gap: f64,
    /// A band's title row, above its first nodes.
    pub band_head: f64,
    /// Below a band's last nodes.
    pub band_pad: f64,
    /// Between two bands.
    pub band_gap: f64,
    /// Above the first band.
    pub margin: f64,
}

impl Sizes {
    /// The page's: a node two lines of text high, gaps an arrow can bend in.
    pub const STANDARD: Sizes = Sizes {
        node: 46.0,
        lane: 10.0,
        node_gap: 30.0,
        lane_gap: 8.0,
        band_head: 28.0,
        band_pad: 12.0,
        band_gap: 18.0,
        margin: 16.0,
    };
}

/// A namespace's band, or the cluster-scoped objects' (namespace `""`).
#[derive(Debug, Clone, PartialEq)]
pub struct Band<'a> {
    pub namespace: &'a str,
    pub top: f64,
    pub height: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout<'a> {
    pub columns: usize,
    /// Per node, in the graph's order: its column and the y of its top.
    pub cells: Vec<(usize, f64)>,
    /// Per link: the columns it passes between its ends, in order from its `from` end, each
    /// with the y of its lane's middle there.
    pub lanes: Vec<Vec<(usize, f64)>>,
    pub bands: Vec<Band<'a>>,
    /// Crossings of the links between adjacent columns, the count the ordering minimised.
    pub crossings: usize,
}

/// Barycentre rounds from each start (each a sweep, alternately right and left, then
/// transpositions); fewer when an order without crossings turns up.
const ROUNDS: usize = 6;
/// Orders from random starts tried besides the two walks: as many as `RESTART_WORK` elements
/// allow, at most `MAX_RESTARTS`. Barycentre sweeps settle in the nearest local best, and a
/// real app's long arrows often need a start that already splits them around a node; the
/// starts are seeded, so one graph always gets one drawing.
const RESTART_WORK: usize = 3000;
const MAX_RESTARTS: usize = 64;
/// Passes of the heights' placement.
const LEVEL_PASSES: usize = 8;

/// Lay out `nodes` joined by `links` (indexes into `nodes`, from and to). A link of a node to
/// itself takes no lane and counts no crossing.
pub fn layout<'a>(nodes: &'a [Node], links: &[(usize, usize)], sizes: &Sizes) -> Layout<'a> {
    let column = columns(nodes.len(), links);
    let columns = column.iter().max().map_or(0, |c| c + 1);
    let mut names: Vec<&str> = Vec::new();
    let band: Vec<usize> = nodes
        .iter()
        .map(|n| {
            let name = n.group();
            names.iter().position(|b| *b == name).unwrap_or_else(|| {
                names.push(name);
                names.len() - 1
            })
        })
        .collect();
    let mut grid = Grid::new(&band, &column, columns, links);
    let crossings = grid.order();
    let (y, heights) = grid.levels(sizes, names.len());

    let mut bands = Vec::with_capacity(names.len());
    let mut band_top = Vec::with_capacity(names.len());
    let mut top = sizes.margin;
    for (b, namespace) in names.into_iter().enumerate() {
        band_top.push(top + sizes.band_head);
        let height = sizes.band_head + heights[b] + sizes.band_pad;
        bands.push(Band { namespace, top, height });
        top += height + sizes.band_gap;
    }
    let centre = |e: usize| band_top[grid.band[e]] + y[e];
    let cells = (0..nodes.len()).map(|i| (column[i], centre(i) - sizes.node / 2.0)).collect();
    let lanes = grid.chains.iter().map(|chain| chain.iter().map(|&e| (grid.column[e], centre(e))).collect()).collect();
    Layout { columns, cells, lanes, bands, crossings }
}

/// Each node's column: longest-path layering. Cycles are broken by turning around the links
/// that close one in a depth-first walk, in the graph's order; then every node goes one column
/// right of its furthest predecessor, and a node with successors only moves up to the column
/// before its nearest one, so it sits next to what it points at instead of far left.
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

/// The layered graph: the nodes, then one element per lane, each in a band and a column, joined
/// only between adjacent columns.
struct Grid {
    /// Nodes before lanes: element `e < nodes` is node `e`.
    nodes: usize,
    band: Vec<usize>,
    column: Vec<usize>,
    /// Each element's neighbours in the column before and the column after it.
    before: Vec<Vec<usize>>,
    after: Vec<Vec<usize>>,
    /// Per link, its lanes from its `from` end.
    chains: Vec<Vec<usize>>,
    /// Per column, its elements top to bottom: by band, then in the order found.
    order: Vec<Vec<usize>>,
    /// Each element's index in its column's order.
    pos: Vec<usize>,
}

impl Grid {
    fn new(band: &[usize], column: &[usize], columns: usize, links: &[(usize, usize)]) -> Grid {
        let nodes = band.len();
        let mut grid = Grid {
            nodes,
            band: band.to_vec(),
            column: column.to_vec(),
            before: vec![Vec::new(); nodes],
            after: vec![Vec::new(); nodes],
            chains: Vec::with_capacity(links.len()),
            order: vec![Vec::new(); columns],
            pos: Vec::new(),
        };
        // Arrows into one node from one side share their lanes where they run together, as
        // one trunk: a node that many far nodes point at (a shared Secret, a Namespace) would
        // otherwise take a lane per arrow in every column, and cross each of them.
        let mut trunks: hashbrown::HashMap<(usize, usize, bool, usize), usize> = Default::default();
        for &(from, to) in links {
            let (cf, ct) = (column[from], column[to]);
            let mut chain = Vec::new();
            if from != to {
                // Lanes in the columns strictly between the ends, each in the band of the
                // nearer end (the `from` end's on a tie).
                let rightwards = cf < ct;
                let passed: Vec<usize> = if rightwards { (cf + 1..ct).collect() } else { (ct + 1..cf).rev().collect() };
                let mut last = from;
                for c in passed {
                    let near = if c.abs_diff(cf) <= c.abs_diff(ct) { from } else { to };
                    // A trunk is shared within one band only: an arrow keeps to its ends' bands.
                    let lane = *trunks.entry((to, c, rightwards, band[near])).or_insert_with(|| {
                        grid.band.push(band[near]);
                        grid.column.push(c);
                        grid.before.push(Vec::new());
                        grid.after.push(Vec::new());
                        grid.band.len() - 1
                    });
                    grid.join(last, lane);
                    chain.push(lane);
                    last = lane;
                }
                grid.join(last, to);
            }
            grid.chains.push(chain);
        }
        let mut elements: Vec<usize> = (0..grid.band.len()).collect();
        crate::sort::by_key(&mut elements, |&e| grid.band[e]);
        for e in elements {
            grid.order[grid.column[e]].push(e);
        }
        grid.pos = vec![0; grid.band.len()];
        grid.renumber();
        grid
    }

    /// Join two elements of adjacent columns. Two nodes are joined once per arrow between
    /// them (each is drawn, and crosses what it crosses); a trunk's lane once.
    fn join(&mut self, a: usize, b: usize) {
        let (left, right) = if self.column[a] < self.column[b] { (a, b) } else { (b, a) };
        if (left >= self.nodes || right >= self.nodes) && self.after[left].contains(&right) {
            return;
        }
        self.after[left].push(right);
        self.before[right].push(left);
    }

    fn renumber(&mut self) {
        for column in &self.order {
            for (k, &e) in column.iter().enumerate() {
                self.pos[e] = k;
            }
        }
    }

    /// Order every column for few crossings; the crossings left. Two starts (the order found,
    /// and a depth-first walk that keeps chains together), each improved by rounds of
    /// barycentre sweeps and transpositions; the best order seen wins.
    fn order(&mut self) -> usize {
        let found = self.order.clone();
        let (mut best, mut best_order) = self.improve();
        let backwards: Vec<Vec<usize>> = found.iter().rev().cloned().collect();
        let mut starts = vec![self.walked(&found), self.walked(&backwards)];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let restarts = (RESTART_WORK / self.band.len().max(1)).min(MAX_RESTARTS);
        for _ in 0..restarts {
            let mut shuffled = found.clone();
            for column in &mut shuffled {
                for k in (1..column.len()).rev() {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    column.swap(k, (seed % (k as u64 + 1)) as usize);
                }
                crate::sort::by_key(column, |&e| self.band[e]);
            }
            starts.push(shuffled);
        }
        for start in starts {
            if best == 0 {
                break;
            }
            self.order = start;
            self.renumber();
            let (walked, walked_order) = self.improve();
            if walked < best {
                (best, best_order) = (walked, walked_order);
            }
        }
        self.order = best_order;
        self.renumber();
        best
    }

    /// The columns in the order a depth-first walk from each element of `found` (column by
    /// column) first reaches them, by band.
    fn walked(&self, found: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.band.len()];
        let mut order: Vec<Vec<usize>> = vec![Vec::new(); self.order.len()];
        for &root in found.iter().flatten() {
            let mut stack = vec![root];
            while let Some(e) = stack.pop() {
                if std::mem::replace(&mut seen[e], true) {
                    continue;
                }
                order[self.column[e]].push(e);
                stack.extend(self.after[e].iter().chain(&self.before[e]).rev().filter(|&&n| !seen[n]));
            }
        }
        for column in &mut order {
            crate::sort::by_key(column, |&e| self.band[e]);
        }
        order
    }

    /// Rounds of sweeps from the current order: the fewest crossings seen and that order.
    fn improve(&mut self) -> (usize, Vec<Vec<usize>>) {
        let mut best = self.crossings();
        let mut best_order = self.order.clone();
        for round in 0..ROUNDS {
            if best == 0 {
                break;
            }
            let columns = self.order.len();
            if round % 2 == 0 {
                for c in 1..columns {
                    self.sort_column(c, true);
                }
            } else {
                for c in (0..columns.saturating_sub(1)).rev() {
                    self.sort_column(c, false);
                }
            }
            self.transpose();
            let now = self.crossings();
            if now < best {
                best = now;
                best_order.clone_from(&self.order);
            }
        }
        (best, best_order)
    }

    /// Sort each band's part of column `c` by the mean place of its elements' neighbours in the
    /// column before (`from_left`) or after; an element with none there keeps its place.
    fn sort_column(&mut self, c: usize, from_left: bool) {
        let column = &self.order[c];
        let mut sorted = Vec::with_capacity(column.len());
        for part in column.chunk_by(|&a, &b| self.band[a] == self.band[b]) {
            let mut keyed: Vec<(f64, usize)> = Vec::new();
            let mut slots = Vec::new();
            for (k, &e) in part.iter().enumerate() {
                let near = if from_left { &self.before[e] } else { &self.after[e] };
                if !near.is_empty() {
                    let mean = near.iter().map(|&n| self.pos[n] as f64).sum::<f64>() / near.len() as f64;
                    keyed.push((mean, e));
                    slots.push(k);
                }
            }
            // Stable: ties keep their order.
            crate::sort::by(&mut keyed, |a, b| a.0.total_cmp(&b.0));
            let mut part = part.to_vec();
            for (slot, (_, e)) in slots.into_iter().zip(keyed) {
                part[slot] = e;
            }
            sorted.extend(part);
        }
        self.order[c] = sorted;
        for (k, &e) in self.order[c].iter().enumerate() {
            self.pos[e] = k;
        }
    }

    /// Swap neighbours of one band in a column while that lowers the crossings at either side.
    fn transpose(&mut self) {
        let mut improved = true;
        let mut rounds = 0;
        while improved && rounds < ROUNDS {
            improved = false;
            rounds += 1;
            for c in 0..self.order.len() {
                for k in 1..self.order[c].len() {
                    let (u, v) = (self.order[c][k - 1], self.order[c][k]);
                    if self.band[u] != self.band[v] {
                        continue;
                    }
                    if self.crossings_of(v, u) < self.crossings_of(u, v) {
                        self.order[c].swap(k - 1, k);
                        self.pos[u] = k;
                        self.pos[v] = k - 1;
                        improved = true;
                    }
                }
            }
        }
    }

    /// Crossings between the links of `upper` and of `lower` were `upper` right above `lower`.
    fn crossings_of(&self, upper: usize, lower: usize) -> usize {
        let pairs = |a: &[usize], b: &[usize]| -> usize {
            if a.len() * b.len() <= 64 {
                return a.iter().map(|&x| b.iter().filter(|&&y| self.pos[x] > self.pos[y]).count()).sum();
            }
            // Two busy nodes side by side (a ConfigMap and a Secret every pod reads): count by
            // binary search over the sorted places instead of every pair.
            let mut below: Vec<usize> = b.iter().map(|&y| self.pos[y]).collect();
            below.sort_unstable();
            a.iter().map(|&x| below.partition_point(|&p| p < self.pos[x])).sum()
        };
        pairs(&self.before[upper], &self.before[lower]) + pairs(&self.after[upper], &self.after[lower])
    }

    /// Crossings between every pair of adjacent columns: inversions among the joins, counted
    /// with a Fenwick tree over the right column's places.
    fn crossings(&self) -> usize {
        let mut total = 0;
        for c in 0..self.order.len().saturating_sub(1) {
            let mut joins: Vec<(usize, usize)> = self.order[c]
                .iter()
                .flat_map(|&l| self.after[l].iter().map(move |&r| (l, r)))
                .map(|(l, r)| (self.pos[l], self.pos[r]))
                .collect();
            joins.sort_unstable();
            let size = self.order[c + 1].len();
            let mut tree = vec![0usize; size + 1];
            for (seen, &(_, right)) in joins.iter().enumerate() {
                // Joins seen so far that end strictly below this one's right end cross it.
                let mut at_most = 0;
                let mut i = right + 1;
                while i > 0 {
                    at_most += tree[i];
                    i &= i - 1;
                }
                total += seen - at_most;
                let mut i = right + 1;
                while i <= size {
                    tree[i] += 1;
                    i += i & i.wrapping_neg();
                }
            }
        }
        total
    }

    fn height(&self, e: usize, sizes: &Sizes) -> f64 {
        if e < self.nodes {
            sizes.node
        } else {
            sizes.lane
        }
    }

    /// Each element's middle y within its band, and each band's content height: every element
    /// drawn as near the mean of its neighbours in its band as the column's order and gaps
    /// allow, sweeping right, then left, a few times.
    fn levels(&self, sizes: &Sizes, bands: usize) -> (Vec<f64>, Vec<f64>) {
        let mut y = vec![0.0; self.band.len()];
        let parts: Vec<&[usize]> =
            self.order.iter().flat_map(|c| c.chunk_by(|&a, &b| self.band[a] == self.band[b])).collect();
        let gap = |a: usize, b: usize| {
            let between = if a < self.nodes && b < self.nodes { sizes.node_gap } else { sizes.lane_gap };
            (self.height(a, sizes) + self.height(b, sizes)) / 2.0 + between
        };
        // Packed from the top to start with.
        for part in &parts {
            let mut at = self.height(part[0], sizes) / 2.0;
            for (k, &e) in part.iter().enumerate() {
                if k > 0 {
                    at += gap(part[k - 1], e);
                }
                y[e] = at;
            }
        }
        let mean_of = |y: &[f64], e: usize, near: &[&Vec<usize>]| {
            let ys: Vec<f64> =
                near.iter().flat_map(|n| n.iter()).filter(|&&n| self.band[n] == self.band[e]).map(|&n| y[n]).collect();
            if ys.is_empty() {
                y[e]
            } else {
                ys.iter().sum::<f64>() / ys.len() as f64
            }
        };
        for pass in 0..LEVEL_PASSES {
            let last = pass + 1 == LEVEL_PASSES;
            let rightwards = pass % 2 == 0;
            let mut columns: Vec<usize> = (0..self.order.len()).collect();
            if !rightwards {
                columns.reverse();
            }
            for c in columns {
                for part in self.order[c].chunk_by(|&a, &b| self.band[a] == self.band[b]) {
                    let wanted: Vec<f64> = part
                        .iter()
                        .map(|&e| match (last, rightwards) {
                            // The last pass balances both sides.
                            (true, _) => mean_of(&y, e, &[&self.before[e], &self.after[e]]),
                            (false, true) => mean_of(&y, e, &[&self.before[e]]),
                            (false, false) => mean_of(&y, e, &[&self.after[e]]),
                        })
                        .collect();
                    let gaps: Vec<f64> = part.windows(2).map(|w| gap(w[0], w[1])).collect();
                    for (&e, placed) in part.iter().zip(place(&wanted, &gaps)) {
                        y[e] = placed;
                    }
                }
            }
        }
        // Each band's content starts at 0.
        let mut top = vec![f64::INFINITY; bands];
        let mut bottom = vec![0.0f64; bands];
        for (e, &at) in y.iter().enumerate() {
            let half = self.height(e, sizes) / 2.0;
            top[self.band[e]] = top[self.band[e]].min(at - half);
        }
        for (e, at) in y.iter_mut().enumerate() {
            *at -= top[self.band[e]];
            let b = self.band[e];
            bottom[b] = bottom[b].max(*at + self.height(e, sizes) / 2.0);
        }
        (y, bottom)
    }
}

/// Places for a column's elements in order, the `k`th at least `gaps[k]` above the next,
/// as near `wanted` as can be (least squares): pool-adjacent-violators over the places less
/// the gaps before them, which must not decrease.
fn place(wanted: &[f64], gaps: &[f64]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(wanted.len());
    let mut sum = 0.0;
    for k in 0..wanted.len() {
        if k > 0 {
            sum += gaps[k - 1];
        }
        offset.push(sum);
    }
    // Blocks of (mean of the shifted targets, how many).
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(wanted.len());
    for (w, o) in wanted.iter().zip(&offset) {
        let mut block = (w - o, 1usize);
        while let Some(&(mean, count)) = blocks.last() {
            if mean <= block.0 {
                break;
            }
            blocks.pop();
            let n = count + block.1;
            block = ((mean * count as f64 + block.0 * block.1 as f64) / n as f64, n);
        }
        blocks.push(block);
    }
    let mut out = Vec::with_capacity(wanted.len());
    for (mean, count) in blocks {
        for _ in 0..count {
            let k = out.len();
            out.push(mean + offset[k]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZES: Sizes = Sizes::STANDARD;

    fn nodes(groups: &[&str]) -> Vec<Node> {
        groups
            .iter()
            .enumerate()
            .map(|(i, ns)| {
                let resource = crate::resource::ResourceRef::new("", "ConfigMap", ns, &format!("n{i}"));
                Node { id: resource.to_string().into(), resource, missing: false }
            })
            .collect()
    }

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
    fn crossings_are_counted_and_ordered_away() {
        // 0 -> 3 and 1 -> 2 cross in the order found; 2 and 3 swap places.
        let nodes = nodes(&["a"; 4]);
        let links = [(0, 3), (1, 2)];
        let grid = Grid::new(&[0; 4], &columns(4, &links), 2, &links);
        assert_eq!(grid.crossings(), 1);
        let drawn = layout(&nodes, &links, &SIZES);
        assert_eq!(drawn.crossings, 0);
        assert!(drawn.cells[3].1 < drawn.cells[2].1, "{:?}", drawn.cells);
        // Level: each link runs straight across.
        assert_eq!(drawn.cells[0].1, drawn.cells[3].1);
        assert_eq!(drawn.cells[1].1, drawn.cells[2].1);
        // K(3,3) in two columns: any order crosses 3 x 3 times (a pair of sources, a pair of
        // targets, one crossing each).
        let k33: Vec<(usize, usize)> = (0..3).flat_map(|a| (3..6).map(move |b| (a, b))).collect();
        assert_eq!(layout(&self::nodes(&["a"; 6]), &k33, &SIZES).crossings, 9);
    }

    #[test]
    fn a_long_link_runs_in_lanes_between_the_nodes_it_passes() {
        // 0 -> 1 -> 2 -> 3 and 0 -> 3: the long link passes columns 1 and 2.
        let nodes = nodes(&["a"; 4]);
        let drawn = layout(&nodes, &[(0, 1), (1, 2), (2, 3), (0, 3)], &SIZES);
        assert_eq!(drawn.lanes[0], []);
        let lanes = &drawn.lanes[3];
        assert_eq!(lanes.iter().map(|l| l.0).collect::<Vec<_>>(), [1, 2]);
        for &(column, y) in lanes {
            for (i, &(c, top)) in drawn.cells.iter().enumerate() {
                if c == column {
                    let clear = y + SIZES.lane / 2.0 + SIZES.lane_gap <= top + 1e-9
                        || y - SIZES.lane / 2.0 - SIZES.lane_gap >= top + SIZES.node - 1e-9;
                    assert!(clear, "the lane at {y} in column {column} runs through node {i} at {top}");
                }
            }
        }
        // Straight: both lanes at one height.
        assert_eq!(lanes[0].1, lanes[1].1);
        // A second arrow into 3 from as far joins the first's lanes: one trunk.
        let five = self::nodes(&["a"; 5]);
        let trunk = layout(&five, &[(0, 1), (1, 2), (2, 3), (0, 3), (4, 1), (4, 3)], &SIZES);
        assert_eq!(trunk.lanes[5], trunk.lanes[3], "{:?}", trunk.lanes);
        // A link back (2 -> 0 after 0 -> 1 -> 2) lists its lanes from its own start.
        let back = layout(&nodes[..3], &[(0, 1), (1, 2), (2, 0)], &SIZES);
        assert_eq!(back.lanes[2].iter().map(|l| l.0).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn an_arrow_keeps_to_the_bands_of_its_ends() {
        // P -> T passes columns 2 and 3, its first lane in P's band `a`; X1 -> T, all in band
        // `c`, must not join that lane (it would run through band `a`).
        let nodes = self::nodes(&["a", "a", "c", "c", "c", "c", "c"]);
        let (r, p, x0, x1, x2, x3, t) = (0, 1, 2, 3, 4, 5, 6);
        let links = [(r, p), (p, t), (x0, x1), (x1, x2), (x2, x3), (x3, t), (x1, t)];
        let drawn = layout(&nodes, &links, &SIZES);
        let c = &drawn.bands[1];
        assert_eq!(c.namespace, "c");
        for &(_, y) in &drawn.lanes[6] {
            assert!(y > c.top && y < c.top + c.height, "lane at {y} outside band c {c:?}");
        }
    }

    #[test]
    fn bands_are_stacked_and_hold_their_nodes_apart() {
        let nodes = nodes(&["a", "a", "a", "b", "b"]);
        let drawn = layout(&nodes, &[(0, 1), (0, 2), (3, 4), (0, 4)], &SIZES);
        assert_eq!(drawn.bands.iter().map(|b| b.namespace).collect::<Vec<_>>(), ["a", "b"]);
        let (a, b) = (&drawn.bands[0], &drawn.bands[1]);
        assert!(a.top + a.height + SIZES.band_gap <= b.top + 1e-9);
        for (i, &(_, top)) in drawn.cells.iter().enumerate() {
            let band = if nodes[i].namespace() == "a" { a } else { b };
            assert!(top >= band.top + SIZES.band_head - 1e-9 && top + SIZES.node <= band.top + band.height + 1e-9);
        }
        // Two nodes of a column are a gap apart.
        assert!((drawn.cells[1].1 - drawn.cells[2].1).abs() >= SIZES.node + SIZES.node_gap - 1e-9);
    }

    #[test]
    fn online_boutique_crosses_no_more_than_dot_draws_it() {
        // Graphviz 2.42's `dot` draws the same arrows (core's DOT) with 2 crossings; the page's
        // drawing is measured against it in the browser tests.
        let yaml = include_str!("../../benches/fixtures/online-boutique.yaml");
        let graph =
            crate::analyze_manifests(vec![crate::SourceFile::new("ob.yaml", yaml)], crate::Profile::Minikube).graph;
        let links: Vec<(usize, usize)> = graph.arrows().iter().map(|a| (a.from, a.to)).collect();
        assert!(layout(&graph.nodes, &links, &SIZES).crossings <= 2);
    }

    #[test]
    fn places_keep_the_order_and_gaps_as_near_as_wanted() {
        assert_eq!(place(&[0.0, 100.0], &[10.0]), [0.0, 100.0]);
        // Both want 50: they part evenly around it.
        assert_eq!(place(&[50.0, 50.0], &[10.0]), [45.0, 55.0]);
        // Out of order wishes still keep the order.
        assert_eq!(place(&[60.0, 0.0, 200.0], &[10.0, 10.0]), [25.0, 35.0, 200.0]);
        assert_eq!(place(&[], &[]), Vec::<f64>::new());
    }
}
