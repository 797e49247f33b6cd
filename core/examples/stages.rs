//! Per-stage timing of `analyze_values`, to see which stage a speed-up should go after:
//! `cargo run --release -p kubeplay-core --example stages [COMPONENTS|text]` (0, the default,
//! times the default preset; N the benchmark's generated app of N components; `text` the
//! default values given as a values file, as the browser app does).
//! The numbers that count are criterion's (`benches/pipeline.rs`, BENCHMARKS.md).

use kubeplay_core::{analyze_values, load, manifest, render, rules, source, Profile, ValuesInput};
use std::hint::black_box;
use std::time::{Duration, Instant};

// The manifests generators are the scale example's.
#[allow(dead_code)]
#[path = "../benches/generated/mod.rs"]
mod generated;

fn time<T>(runs: u32, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..runs {
        black_box(f());
    }
    start.elapsed() / runs
}

fn main() {
    let components: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    // 0: the default preset; -1 or "text": the default values as a values file (the browser's case).
    let as_text = std::env::args().nth(1).as_deref() == Some("text");
    let input = match components {
        _ if as_text => generated::default_as_values_file(),
        0 => ValuesInput::default(),
        n => generated::input_for(n),
    };
    let runs = if components == 0 { 3000 } else { (3000 / components as u32).max(3) };
    let text = match input.files.first() {
        Some(file) => file.clone(),
        None => kubeplay_core::presets::find(kubeplay_core::default_release(&input)).expect("a preset").source(),
    };
    let loaded = load::load(&input);
    let values = loaded.values.expect("valid values");
    let set = render::render(&values, "stages");
    let stages: [(&str, Duration); 7] = [
        ("parse (largest file)", time(runs, || source::parse(&text))),
        ("load (all layers)", time(runs, || load::load(&input))),
        ("check values", time(runs, || rules::check_values(&values, Profile::Minikube))),
        ("render", time(runs, || render::render(&values, "stages"))),
        ("check manifests", time(runs, || rules::check_manifests(&set, Profile::Minikube))),
        ("manifests to YAML", time(runs, || manifest::to_yaml(&set))),
        ("analyze_values (whole)", time(runs, || analyze_values(&input, None, Profile::Minikube).yaml().len())),
    ];
    for (stage, took) in stages {
        println!("{stage:<24} {took:>12.1?}");
    }
}
