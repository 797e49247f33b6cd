// The geometry of a drawn graph, read back from the browser: each arrow as points along its
// path (SVGPathElement.getPointAtLength, so curves are measured as drawn), and the crossings
// between arrows. The same reading serves kubeplay's graph and Graphviz dot's SVG of the same
// DOT, so the two counts compare like with like.

/** In the page: every arrow under `root` (`g.edge` groups, not their labels) as
 * `{ ends: [from, to], points: [[x, y], ...] }` in the drawing's own units. kubeplay names an
 * arrow's ends in `data-ends`; dot in its `<title>` (`from->to`). */
export function readArrows(page, root) {
  return page.evaluate((root) => {
    const arrows = [];
    for (const g of document.querySelectorAll(`${root} g.edge`)) {
      const ends = g.dataset.ends ? g.dataset.ends.split(' ') : g.querySelector('title').textContent.split('->');
      for (const path of g.querySelectorAll('path')) {
        if (path.closest('marker')) continue;
        const length = path.getTotalLength();
        const steps = Math.max(16, Math.ceil(length / 2));
        const points = [];
        for (let k = 0; k <= steps; k++) {
          const p = path.getPointAtLength((length * k) / steps);
          points.push([p.x, p.y]);
        }
        arrows.push({ ends, points });
      }
    }
    return arrows;
  }, root);
}

/** Whether segments ab and cd cross (touching ends do not count). */
function cross([a, b], [c, d]) {
  const side = (p, q, r) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
}

function bounds(points) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

/** Crossings between arrows that share no node (arrows meeting at a node touch there by design):
 * every point where two of them cross counts once. */
export function crossings(arrows) {
  const boxes = arrows.map((a) => bounds(a.points));
  let count = 0;
  for (let i = 0; i < arrows.length; i++) {
    for (let j = i + 1; j < arrows.length; j++) {
      const [a, b] = [arrows[i], arrows[j]];
      if (a.ends.some((end) => b.ends.includes(end))) continue;
      const [p, q] = [boxes[i], boxes[j]];
      if (p.right < q.left || q.right < p.left || p.bottom < q.top || q.bottom < p.top) continue;
      for (let s = 1; s < a.points.length; s++) {
        const ab = [a.points[s - 1], a.points[s]];
        for (let t = 1; t < b.points.length; t++) {
          if (cross(ab, [b.points[t - 1], b.points[t]])) count++;
        }
      }
    }
  }
  return count;
}

/** The points of `arrows` strictly inside a box of `boxes` (a unit in from its sides), as
 * `{ arrow, box }` pairs. */
export function throughBoxes(arrows, boxes) {
  const hits = [];
  for (const [k, a] of arrows.entries()) {
    for (const box of boxes) {
      const inside = ([x, y]) => x > box.left + 1 && x < box.right - 1 && y > box.top + 1 && y < box.bottom - 1;
      if (a.points.some(inside)) hits.push({ arrow: a.ends.join(' -> '), box });
    }
  }
  return hits;
}
