//! Benchmarks of the whole pipeline (`analyze_values`: layer, check, render, check manifests,
//! graph) for the default preset and for generated apps of 10, 100 and 1,000 components (and
//! 1,000 that use every field of volumes, accounts, budgets, autoscalers and an Ingress), and of
//! `analyze_manifests` on Online Boutique alone and in 30 and 300 namespaces, and of schema
//! validation (`openapi`): reading a schema, and validating Online Boutique against it; and of
//! the graph's layout.
//!
//! Run: `cargo bench -p kubeplay-core --bench pipeline -- --warm-up-time 1 --measurement-time 3`.
//! Results and targets are in BENCHMARKS.md. The allocator is the CLI's (mimalloc, see
//! `deploy/src/main.rs`), so the times are the CLI's. The `once` and `scale` examples keep
//! glibc's malloc, which callgrind, heaptrack and massif can see into.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kubeplay_core::openapi::Schema;
use kubeplay_core::{analyze_manifests, analyze_values, Profile, Settings, ValuesInput};

/// As the CLI allocates (`deploy/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod generated;
use generated::input_for;
use std::hint::black_box;

/// The analysis with its YAML written, as the playground and `kubeplay render` ask for it
/// (an analysis writes it on first use).
fn written(analysis: kubeplay_core::Analysis) -> kubeplay_core::Analysis {
    black_box(analysis.yaml().len());
    analysis
}

fn bench_pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze_values");

    let default = ValuesInput::default();
    group.bench_function("default-preset", |b| {
        b.iter(|| written(analyze_values(black_box(&default), None, Profile::Minikube)))
    });
    // What the playground analyses on each keystroke: the whole values text, read every time,
    // over the empty preset (a preset's own text is read once per process).
    let as_text = generated::default_as_values_file();
    group.bench_function("default-as-values-file", |b| {
        b.iter(|| written(analyze_values(black_box(&as_text), Some("todo-chatbot"), Profile::Minikube)))
    });

    for n in [10usize, 100, 1000] {
        let input = input_for(n);
        // Setup check: a bench of an input that fails to load would measure the error path.
        let analysis = analyze_values(&input, None, Profile::Minikube);
        assert!(!analysis.has_errors(), "generated values for {n} components have errors: {:?}", analysis.diagnostics);
        assert_eq!(analysis.values.as_ref().map(|v| v.components.len()), Some(n));
        group.throughput(Throughput::Elements(n as u64));
        // criterion's minimum: 100 samples of a run that takes seconds would hold the shared
        // machine for minutes, and 10 show a blowup just as well.
        group.sample_size(if n >= 1000 { 10 } else { 100 });
        group.bench_with_input(BenchmarkId::new("components", n), &input, |b, input| {
            b.iter(|| written(analyze_values(black_box(input), None, Profile::Minikube)))
        });
    }
    // Issue #12's target: 1,000 components that use every new field.
    let every_field = generated::input_with_every_field(1000);
    let analysis = analyze_values(&every_field, None, Profile::Minikube);
    assert!(!analysis.has_errors(), "every-field values have errors: {:?}", analysis.diagnostics);
    let dropped: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule.starts_with("network-policy")).collect();
    assert!(dropped.is_empty(), "every-field policies drop traffic: {dropped:?}");
    let kinds = [
        "PersistentVolumeClaim",
        "ServiceAccount",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "Ingress",
        "NetworkPolicy",
    ];
    for kind in kinds {
        assert!(analysis.manifests.resources.iter().any(|r| r.object.kind() == kind), "no {kind} rendered");
    }
    group.sample_size(10);
    group.bench_with_input(BenchmarkId::new("every-field", 1000), &every_field, |b, input| {
        b.iter(|| written(analyze_values(black_box(input), None, Profile::Minikube)))
    });
    group.finish();
}

/// `analyze_manifests` on pasted real apps: Online Boutique, and the same app in 30 and 300
/// namespaces (1,050 and 10,500 objects), to show the work grows linearly.
fn bench_manifests(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze_manifests");
    let boutique = generated::manifests_file(generated::ONLINE_BOUTIQUE.to_string());
    let analysis = analyze_manifests(boutique.clone(), Profile::Minikube);
    assert_eq!(analysis.manifests.resources.len(), 35, "{:?}", analysis.diagnostics);
    group.bench_function("online-boutique", |b| {
        b.iter(|| written(analyze_manifests(black_box(boutique.clone()), Profile::Minikube)))
    });
    for namespaces in [30usize, 300] {
        let files = generated::manifests_file(generated::online_boutique_in(namespaces));
        let analysis = analyze_manifests(files.clone(), Profile::Minikube);
        assert_eq!(analysis.manifests.resources.len(), 35 * namespaces);
        group.throughput(Throughput::Elements((35 * namespaces) as u64));
        group.sample_size(10);
        group.bench_with_input(BenchmarkId::new("online-boutique-namespaces", namespaces), &files, |b, files| {
            b.iter(|| written(analyze_manifests(black_box(files.clone()), Profile::Minikube)))
        });
    }
    group.finish();
}

/// Schema validation: reading the newest schema (what the page does when one is chosen), the
/// validation of Online Boutique's 35 objects alone, and `analyze_manifests` with it, on the
/// app alone and in 300 namespaces (10,500 objects).
fn bench_schema(c: &mut Criterion) {
    let mut group = c.benchmark_group("schema");
    // The text core embeds with the `schemas` feature; read here as the page reads its asset.
    let text = include_str!("../schemas/kube-1.35.json");
    group.bench_function("read-1.35", |b| b.iter(|| Schema::from_json(black_box(text)).unwrap()));
    let schema: &'static Schema = Box::leak(Box::new(Schema::from_json(text).unwrap()));
    let settings = Settings::from(Profile::Minikube).with_schema(Some(schema));
    let boutique = generated::manifests_file(generated::ONLINE_BOUTIQUE.to_string());
    let analysis = analyze_manifests(boutique.clone(), settings);
    let objects: Vec<serde_json::Value> = analysis.manifests.resources.iter().map(|r| r.to_json()).collect();
    assert_eq!(objects.len(), 35);
    assert!(analysis.diagnostics.iter().all(|d| d.rule != "schema-invalid"), "{:?}", analysis.diagnostics);
    group.bench_function("validate-online-boutique", |b| {
        b.iter(|| objects.iter().map(|o| schema.validate(black_box(o)).map_or(0, |p| p.len())).sum::<usize>())
    });
    group.bench_function("analyze-online-boutique", |b| {
        b.iter(|| written(analyze_manifests(black_box(boutique.clone()), settings)))
    });
    let files = generated::manifests_file(generated::online_boutique_in(300));
    group.sample_size(10);
    group.bench_function("analyze-online-boutique-namespaces/300", |b| {
        b.iter(|| written(analyze_manifests(black_box(files.clone()), settings)))
    });
    group.finish();
}

/// The graph's layered layout (what the page draws) of Online Boutique pasted, and of the
/// default preset and 100 generated components, from their graphs' arrows.
fn bench_layout(c: &mut Criterion) {
    use kubeplay_core::graph::{layout, Graph};
    const SIZES: layout::Sizes = layout::Sizes::STANDARD;
    let links = |graph: &Graph| graph.arrows().iter().map(|a| (a.from, a.to)).collect::<Vec<_>>();
    let mut group = c.benchmark_group("graph_layout");
    let boutique =
        analyze_manifests(generated::manifests_file(generated::ONLINE_BOUTIQUE.to_string()), Profile::Minikube).graph;
    let default = analyze_values(&ValuesInput::default(), None, Profile::Minikube).graph;
    let hundred = analyze_values(&input_for(100), None, Profile::Minikube).graph;
    for (name, graph) in [("online-boutique", &boutique), ("default-preset", &default), ("components/100", &hundred)] {
        let links = links(graph);
        group.bench_function(name, |b| {
            b.iter(|| layout::layout(black_box(&graph.nodes), black_box(&links), &SIZES).crossings)
        });
    }
    group.finish();
}

criterion_group!(benches, bench_pipeline, bench_manifests, bench_schema, bench_layout);
criterion_main!(benches);
