//! `analyze_manifests` on Online Boutique copied into N namespaces, once, with its time: run
//! under `/usr/bin/time -v` to see the peak memory (`cargo run --release -p kubeplay-core
//! --example scale -- 300`).

#[path = "../benches/generated/mod.rs"]
#[allow(dead_code)]
mod generated;

fn main() {
    let namespaces: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(300);
    let files = generated::manifests_file(generated::online_boutique_in(namespaces));
    let started = std::time::Instant::now();
    let analysis = kubeplay_core::analyze_manifests(files, kubeplay_core::Profile::Minikube);
    let took = started.elapsed();
    let errors = analysis.diagnostics.iter().filter(|d| d.severity == kubeplay_core::Severity::Error).count();
    println!(
        "{} objects in {namespaces} namespaces: {:.1} ms, {} diagnostics ({errors} errors), {} graph nodes, {} edges",
        analysis.manifests.resources.len(),
        took.as_secs_f64() * 1e3,
        analysis.diagnostics.len(),
        analysis.graph.nodes.len(),
        analysis.graph.edges.len()
    );
}
