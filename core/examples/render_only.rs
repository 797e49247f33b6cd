use kubeplay_core::*;
#[path = "../benches/generated/mod.rs"]
mod generated;
fn main() {
    let input = generated::input_for(100);
    let values = load::load(&input).values.unwrap();
    for _ in 0..20 {
        std::hint::black_box(render::render(&values, "x"));
    }
}
