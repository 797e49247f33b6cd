//! One `analyze_values` of the default preset and of N generated components (for callgrind).
#[path = "../benches/generated/mod.rs"]
#[allow(dead_code)]
mod generated;
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
    let input = if n == 0 { Default::default() } else { generated::input_for(n) };
    let analysis = kubeplay_core::analyze_values(&input, None, kubeplay_core::Profile::Minikube);
    std::hint::black_box(analysis);
}
