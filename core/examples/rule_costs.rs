//! What each manifest rule costs on a render of the default preset (µs per run), to see which
//! rule a speed-up of the values pipeline should go after.

fn main() {
    let loaded = kubeplay_core::load::load(&Default::default());
    let values = loaded.values.expect("the default preset loads");
    let set = kubeplay_core::render::render(&values, "todo-chatbot");
    let runs = 20_000;
    let mut costs: Vec<(f64, &str)> = kubeplay_core::RULES
        .iter()
        .filter_map(|rule| {
            kubeplay_core::rules::run(rule.id, &set)?;
            let started = std::time::Instant::now();
            for _ in 0..runs {
                std::hint::black_box(kubeplay_core::rules::run(rule.id, &set));
            }
            Some((started.elapsed().as_secs_f64() * 1e6 / runs as f64, rule.id))
        })
        .collect();
    costs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = costs.iter().map(|c| c.0).sum();
    println!("all manifest rules: {total:.2} µs");
    for (us, id) in costs.iter().take(12) {
        println!("{us:8.2} µs  {id}");
    }
    let started = std::time::Instant::now();
    for _ in 0..runs {
        let sink = kubeplay_core::rules::check_manifests(&set, kubeplay_core::Profile::Minikube);
        std::hint::black_box(kubeplay_core::graph::build(&set, sink.edges));
    }
    println!("check_manifests + graph: {:.2} µs", started.elapsed().as_secs_f64() * 1e6 / runs as f64);
    let sink = kubeplay_core::rules::check_manifests(&set, kubeplay_core::Profile::Minikube);
    let started = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(kubeplay_core::graph::build(&set, sink.edges.clone()));
    }
    println!("graph (with a clone of the edges): {:.2} µs", started.elapsed().as_secs_f64() * 1e6 / runs as f64);
}
