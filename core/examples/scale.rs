//! `analyze_manifests` on Online Boutique copied into N namespaces, once, with its time: run
//! under `/usr/bin/time -v` to see the peak memory (`cargo run --release -p kubeplay-core
//! --example scale -- 300`).

#[path = "../benches/generated/mod.rs"]
#[allow(dead_code)]
mod generated;

fn main() {
    let namespaces: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(300);
    let files = generated::manifests_file(generated::online_boutique_in(namespaces));
    if std::env::var_os("STAGES").is_some() {
        stages(files.clone());
    }
    let started = std::time::Instant::now();
    let analysis = kubeplay_core::analyze_manifests(files, kubeplay_core::Profile::Minikube);
    // `YAML=1` also writes the YAML, as the playground asks for it; `kubeplay validate` does not.
    let yaml = std::env::var_os("YAML").map(|_| analysis.yaml().len());
    let took = started.elapsed();
    let errors = analysis.diagnostics.iter().filter(|d| d.severity == kubeplay_core::Severity::Error).count();
    println!(
        "{} objects in {namespaces} namespaces: {:.1} ms, {} diagnostics ({errors} errors), {} graph nodes, {} edges, YAML: {yaml:?}",
        analysis.manifests.resources.len(),
        took.as_secs_f64() * 1e3,
        analysis.diagnostics.len(),
        analysis.graph.nodes.len(),
        analysis.graph.edges.len()
    );
}

/// Time per stage, with `STAGES=1`.
fn stages(files: Vec<kubeplay_core::SourceFile>) {
    use std::time::Instant;
    let t = Instant::now();
    let (set, _) = kubeplay_core::manifest::read(files);
    eprintln!("read: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    for rule in kubeplay_core::RULES {
        let t = Instant::now();
        if kubeplay_core::rules::run(rule.id, &set).is_some() {
            let ms = t.elapsed().as_secs_f64() * 1e3;
            if ms > 5.0 {
                eprintln!("  {}: {ms:.1} ms", rule.id);
            }
        }
    }
    let t = Instant::now();
    let sink = kubeplay_core::rules::check_manifests(&set, kubeplay_core::Profile::Minikube);
    eprintln!("rules: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let graph = kubeplay_core::graph::build(&set, sink.edges);
    eprintln!("graph: {:.1} ms ({} nodes)", t.elapsed().as_secs_f64() * 1e3, graph.nodes.len());
    let t = Instant::now();
    let yaml = kubeplay_core::manifest::to_yaml(&set);
    eprintln!("yaml: {:.1} ms ({} bytes)", t.elapsed().as_secs_f64() * 1e3, yaml.len());
}
