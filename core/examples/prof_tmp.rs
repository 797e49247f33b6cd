use kubeplay_core::*;
#[path = "../benches/generated/mod.rs"]
#[allow(dead_code)]
mod generated;
fn main() {
    let input = ValuesInput::default();
    for _ in 0..200 {
        std::hint::black_box(analyze_values(&input, None, Profile::Minikube));
    }
}
