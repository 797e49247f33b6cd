//! `analyze_values` of the default preset (or of N generated components), RUNS times (once
//! unless told), for callgrind: `once [N] [RUNS] [every-field]`. Many runs spread the one-time work (reading
//! a preset) thin, as the benchmark loop does.
#[path = "../benches/generated/mod.rs"]
#[allow(dead_code)]
mod generated;
fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().ok());
    let n = args.next().flatten().unwrap_or(0);
    let runs = args.next().flatten().unwrap_or(1);
    let every_field = std::env::args().nth(3).is_some_and(|a| a == "every-field");
    let input = match (n, every_field) {
        (0, _) => Default::default(),
        (n, false) => generated::input_for(n),
        (n, true) => generated::input_with_every_field(n),
    };
    for _ in 0..runs {
        let analysis = kubeplay_core::analyze_values(&input, None, kubeplay_core::Profile::Minikube);
        // With its YAML, as the playground and `kubeplay render` ask for it.
        std::hint::black_box(analysis.yaml().len());
    }
}
