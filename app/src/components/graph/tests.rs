//! The drawn SVG read back as boxes: what the end-to-end tests check in Chromium (labels clear of
//! each other, of the nodes and of the namespace titles; one arrow per relationship), here on
//! every preset and on pasted manifests of several namespaces, natively and fast.

use super::*;

/// The drawing's body; the boxes are read from it.
fn graph_svg(graph: &Graph) -> String {
    draw(graph, &[]).body
}
use crate::state::{analyze, preset_text};
use kubeplay_core::presets::PRESETS;
use kubeplay_core::{analyze_manifests, Profile, SourceFile};

/// Real apps, as pasted: Online Boutique (35 objects) and Sock Shop (29; microservices-demo's
/// `complete-demo.yaml`, Apache-2.0).
const REAL_APPS: [(&str, &str); 2] = [
    ("online-boutique", include_str!("../../../../core/benches/fixtures/online-boutique.yaml")),
    ("sock-shop", include_str!("../../../../e2e/fixtures/sock-shop.yaml")),
];

/// The manifests the end-to-end test pastes: three namespaces, a StatefulSet, a Job, an Ingress.
const MULTI_NAMESPACE: &str = include_str!("../../../../e2e/fixtures/multi-namespace.yaml");

/// Kinds the app has no word for, some links broken (a missing ConfigMap, Role and claim), a
/// cycle (pods calling the Service that selects them) and cluster-scoped objects.
const EVERY_KIND: &str = r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: infra}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      serviceAccountName: agent
      imagePullSecrets: [{name: registry}]
      containers:
        - name: agent
          image: agent:1.0.0
          ports: [{name: metrics, containerPort: 9100}]
          env:
            - {name: SELF, value: "http://agent.infra:9100"}
          envFrom: [{configMapRef: {name: agent-settings}}]
          volumeMounts: [{name: data, mountPath: /data}]
      volumes:
        - {name: data, persistentVolumeClaim: {claimName: agent-data}}
---
apiVersion: v1
kind: Service
metadata: {name: agent, namespace: infra}
spec:
  selector: {app: agent}
  ports: [{port: 9100, targetPort: metrics}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: agent, namespace: infra}
---
apiVersion: v1
kind: Secret
metadata: {name: registry, namespace: infra}
type: kubernetes.io/dockerconfigjson
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: agent, namespace: infra}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: agent-reader}
subjects: [{kind: ServiceAccount, name: agent, namespace: infra}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-reader}
rules: [{apiGroups: [""], resources: [nodes], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: node-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
subjects: [{kind: ServiceAccount, name: agent, namespace: infra}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: agent, namespace: infra}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: agent}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: agent, namespace: infra}
spec:
  podSelector: {matchLabels: {app: agent}}
  ingress: [{from: [{podSelector: {matchLabels: {app: scraper}}}]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: infra}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: report, image: report:1.0.0}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: infra}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api:1.0.0}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: infra}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 1
  maxReplicas: 3
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: "x\"><b>y", namespace: infra}
"#;

#[derive(Debug, Clone, Copy)]
struct Box {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Box {
    fn overlaps(&self, other: &Box) -> bool {
        self.left < other.right && other.left < self.right && self.top < other.bottom && other.top < self.bottom
    }
}

/// The value of `name="..."` in `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}")) + name.len() + 3;
    &tag[start..start + tag[start..].find('"').unwrap()]
}

fn number(tag: &str, name: &str) -> f64 {
    attribute(tag, name).parse().unwrap()
}

/// The first `<rect>` after each `<g class="{class}...`, as a box.
fn rects(svg: &str, class: &str) -> Vec<Box> {
    svg.match_indices(&format!("<g class=\"{class}"))
        .map(|(at, _)| {
            let rect = &svg[at + svg[at..].find("<rect ").unwrap()..];
            let rect = &rect[..rect.find("/>").unwrap()];
            let (x, y) = (number(rect, "x"), number(rect, "y"));
            Box { left: x, top: y, right: x + number(rect, "width"), bottom: y + number(rect, "height") }
        })
        .collect()
}

/// The namespace titles: from their x and baseline, at their estimated width.
fn band_titles(svg: &str) -> Vec<Box> {
    svg.match_indices("<text class=\"column\"")
        .map(|(at, _)| {
            let tag = &svg[at..at + svg[at..].find("</text>").unwrap()];
            let text = &tag[tag.find('>').unwrap() + 1..];
            let (x, y) = (number(tag, "x"), number(tag, "y"));
            Box { left: x, top: y - 12.0, right: x + text_width(text, labels::BAND_FONT), bottom: y + 3.0 }
        })
        .collect()
}

/// Each arrow's path (`M`, then `C` curves and `L` runs, as `write_arrow` draws them) as points
/// along it.
fn arrow_points(svg: &str) -> Vec<Vec<(f64, f64)>> {
    svg.match_indices("<g class=\"edge")
        .filter(|(at, _)| !svg[*at..].starts_with("<g class=\"edge-label"))
        .map(|(at, _)| {
            let path = &svg[at + svg[at..].find("<path d=\"").unwrap() + 9..];
            let path = &path[..path.find('"').unwrap()];
            let mut points = Vec::new();
            let mut at = (0.0, 0.0);
            // Commands start with their letter; numbers are `x,y` pairs split by spaces.
            let mut letter = ' ';
            let mut pending: Vec<(f64, f64)> = Vec::new();
            for word in path.split(' ') {
                let (head, pair) = match word.chars().next() {
                    Some(c @ ('M' | 'C' | 'L')) => (Some(c), &word[1..]),
                    _ => (None, word),
                };
                if let Some(c) = head {
                    letter = c;
                }
                let (x, y) = pair.split_once(',').unwrap();
                pending.push((x.parse().unwrap(), y.parse().unwrap()));
                match (letter, pending.len()) {
                    ('M', 1) => {
                        at = pending[0];
                        points.push(at);
                        pending.clear();
                    }
                    ('L', 1) => {
                        let to = pending[0];
                        points.extend((1..=8).map(|k| {
                            let t = f64::from(k) / 8.0;
                            (at.0 + (to.0 - at.0) * t, at.1 + (to.1 - at.1) * t)
                        }));
                        at = to;
                        pending.clear();
                    }
                    ('C', 3) => {
                        let (a, b, c, d) = (at, pending[0], pending[1], pending[2]);
                        points.extend((1..=24).map(|k| {
                            let t = f64::from(k) / 24.0;
                            let u = 1.0 - t;
                            let mix = |p: [f64; 4]| {
                                u * u * u * p[0] + 3.0 * u * u * t * p[1] + 3.0 * u * t * t * p[2] + t * t * t * p[3]
                            };
                            (mix([a.0, b.0, c.0, d.0]), mix([a.1, b.1, c.1, d.1]))
                        }));
                        at = d;
                        pending.clear();
                    }
                    _ => {}
                }
            }
            points
        })
        .collect()
}

fn assert_readable(name: &str, svg: &str) {
    let labels = rects(svg, "edge-label");
    let nodes = rects(svg, "node");
    let titles = band_titles(svg);
    assert!(!nodes.is_empty(), "{name}: no nodes");
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(!a.overlaps(b), "{name}: labels overlap: {a:?} {b:?}");
        }
        for n in nodes.iter().chain(&titles) {
            assert!(!a.overlaps(n), "{name}: label {a:?} covers {n:?}");
        }
    }
    for (i, a) in nodes.iter().enumerate() {
        for b in nodes[i + 1..].iter().chain(&titles) {
            assert!(!a.overlaps(b), "{name}: nodes overlap: {a:?} {b:?}");
        }
    }
    // No arrow runs through a node (its ends touch their nodes' sides: a pixel in is inside).
    for (k, points) in arrow_points(svg).iter().enumerate() {
        for n in &nodes {
            let inside =
                |&(x, y): &(f64, f64)| x > n.left + 1.0 && x < n.right - 1.0 && y > n.top + 1.0 && y < n.bottom - 1.0;
            assert!(!points.iter().any(inside), "{name}: arrow {k} runs through the node at {n:?}");
        }
    }
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
fn every_preset_is_drawn_without_overlaps() {
    for preset in PRESETS {
        let analysis = analyze(&preset_text(preset.name), preset.name, Profile::default());
        assert_readable(preset.name, &graph_svg(&analysis.graph));
    }
}

#[test]
fn real_apps_are_drawn_without_overlaps() {
    for (name, yaml) in REAL_APPS {
        let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", yaml)], Profile::default());
        let svg = graph_svg(&analysis.graph);
        assert_readable(name, &svg);
    }
}

#[test]
fn manifests_of_several_namespaces_are_drawn_in_bands_without_overlaps() {
    let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", MULTI_NAMESPACE)], Profile::default());
    let svg = graph_svg(&analysis.graph);
    assert_readable("multi-namespace", &svg);
    for namespace in ["shop", "data", "ops"] {
        assert!(svg.contains(&format!("<g class=\"namespace\" data-namespace=\"{namespace}\">")), "{namespace}");
    }
    for id in ["data/StatefulSet/db", "data/Pods/db", "ops/Job/migrate", "shop/Ingress/web", "Namespace/data"] {
        assert!(svg.contains(&format!("data-id=\"{id}\"")), "{id} is drawn");
    }
    // Each node inside the band of its namespace (a Namespace in its own).
    let bands: Vec<(&str, Box)> = svg
        .match_indices("<g class=\"namespace\"")
        .map(|(at, _)| attribute(&svg[at..], "data-namespace"))
        .zip(rects(&svg, "namespace"))
        .collect();
    for node in &analysis.graph.nodes {
        let at = svg.find(&format!("data-id=\"{}\"", node.id)).unwrap();
        let rect = rects(&svg[svg[..at].rfind("<g ").unwrap()..], "node")[0];
        let band = node.group();
        let (_, around) = bands.iter().find(|(ns, _)| *ns == band).expect("a band per namespace");
        let inside = rect.left >= around.left
            && rect.right <= around.right
            && rect.top >= around.top
            && rect.bottom <= around.bottom;
        assert!(inside, "{} in the {band} band", node.id);
    }
}

#[test]
fn any_kind_and_broken_links_are_drawn_without_overlaps() {
    let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", EVERY_KIND)], Profile::default());
    let svg = graph_svg(&analysis.graph);
    assert_readable("every kind", &svg);
    assert!(analysis.graph.broken().count() >= 2, "{}", analysis.graph.to_text());
    assert_eq!(
        svg.matches("<g class=\"edge broken\"").count(),
        analysis.graph.broken().count(),
        "a red arrow per broken edge"
    );
    assert!(svg.contains("data-namespace=\"\""), "a band of cluster-scoped objects");
    assert!(svg.contains("class=\"node kind-widget\""));
    assert!(!svg.contains("<b>"), "names are escaped");
}

#[test]
fn one_arrow_per_relationship() {
    let analysis = analyze(&preset_text("todo-chatbot"), "todo-chatbot", Profile::default());
    let svg = graph_svg(&analysis.graph);
    let titles: Vec<&str> =
        svg.match_indices("<g class=\"edge\"").map(|(at, _)| attribute(&svg[at..], "aria-label")).collect();
    let secret = titles
        .iter()
        .filter(|t| {
            t.starts_with("todo-chatbot/Pods/todo-backend ") && t.ends_with(" todo-chatbot/Secret/todo-chatbot-secrets")
        })
        .count();
    assert_eq!(secret, 1, "the backend's keys of the Secret on one arrow: {titles:#?}");
}

/// A picked node's neighbourhood is it and the other end of each of its relationships; every
/// drawn arrow names its two ends, so the page can mark them.
#[test]
fn a_picked_nodes_neighbourhood_is_the_ends_of_its_edges() {
    let analysis = analyze(&preset_text("todo-chatbot"), "todo-chatbot", Profile::default());
    let graph = &analysis.graph;
    let id = "todo-chatbot/Service/todo-backend";
    let near = neighbourhood(graph, id);
    assert!(near.contains(id) && near.contains("todo-chatbot/Pods/todo-backend"), "{near:?}");
    assert!(!near.contains("todo-chatbot/Deployment/todo-frontend"), "{near:?}");
    assert_eq!(
        near.len(),
        1 + graph.edges_of(id).map(|e| if *e.from == *id { &e.to } else { &e.from }).collect::<BTreeSet<_>>().len()
    );
    let svg = draw(graph, &[]).body;
    assert!(
        svg.contains("data-ends=\"todo-chatbot/Service/todo-backend todo-chatbot/Pods/todo-backend\""),
        "arrows name their ends"
    );
}

#[test]
fn a_pane_is_sent_where_the_most_nodes_fit() {
    let graph = analyze_manifests(vec![SourceFile::new("boutique.yaml", REAL_APPS[0].1)], Profile::default()).graph;
    let drawing = draw(&graph, &[]);
    let pane = Viewport { x: 0.0, y: 0.0, width: 700.0, height: 650.0 };
    let whole = |(left, top): (f64, f64)| {
        let inside =
            |n: &&(f64, f64)| n.0 >= left && n.1 >= top && n.0 + NODE_W <= left + 700.0 && n.1 + NODE_H <= top + 650.0;
        drawing.nodes.iter().filter(inside).count()
    };
    let best = drawing.busiest(&pane);
    assert!(whole(best) > whole((0.0, 0.0)), "Online Boutique's top left corner is not its busiest: {best:?}");
    for &(x, y) in &drawing.nodes {
        assert!(whole(((x - MARGIN).max(0.0), (y - MARGIN).max(0.0))) <= whole(best));
    }
    assert!(drawing.shows_a_node(&Viewport { x: best.0, y: best.1, ..pane }));
    assert!(!drawing.shows_a_node(&Viewport { x: drawing.width, ..pane }));
    // A drawing that fits shows from its top left.
    let everything = Viewport { x: 0.0, y: 0.0, width: drawing.width, height: drawing.height };
    assert_eq!(drawing.busiest(&everything), (0.0, 0.0));
}
