//! Online Boutique analysed in a loop, for a profiler (`perf record`, callgrind): `cargo run
//! --release -p kubeplay-core --example boutique_loop -- 2000 [PROFILE]`.

#[path = "../benches/generated/mod.rs"]
#[allow(dead_code)]
mod generated;

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let profile = std::env::args().nth(2).and_then(|p| kubeplay_core::Profile::parse(&p)).unwrap_or_default();
    let files = generated::manifests_file(generated::ONLINE_BOUTIQUE.to_string());
    let started = std::time::Instant::now();
    for _ in 0..runs {
        // With its YAML, as the playground asks for it.
        std::hint::black_box(kubeplay_core::analyze_manifests(files.clone(), profile).yaml().len());
    }
    println!("{:.3} ms per run", started.elapsed().as_secs_f64() * 1e3 / runs as f64);
}
