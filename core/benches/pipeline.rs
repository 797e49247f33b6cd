//! Benchmarks of the whole pipeline (`analyze_values`: layer, check, render, check manifests,
//! graph) for the default preset and for generated apps of 10, 100 and 1,000 components.
//!
//! Run: `cargo bench -p kubeplay-core --bench pipeline -- --warm-up-time 1 --measurement-time 3`.
//! Results and targets are in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kubeplay_core::{analyze_values, Profile, SourceFile, ValuesInput};
use std::fmt::Write;
use std::hint::black_box;

/// Values for an app of `n` components, as the YAML a user would write: each component looks
/// like the todo chatbot's backend (ports, probes, resources, config and secret keys, a Service)
/// and calls the previous one's Service, so every relationship rule has work to do.
fn generated_values(n: usize) -> String {
    let mut yaml = String::from("appName: bench\nnamespace: bench\nconfig:\n  LOG_LEVEL: info\n  REGION: eu\nsecrets:\n  DATABASE_URL: postgres://db\n");
    yaml.push_str("components:\n");
    for i in 0..n {
        let port = 8000 + (i % 1000);
        write!(
            yaml,
            "  svc-{i}:
    image: {{repository: registry.example.com/team/svc-{i}, tag: \"1.{i}.0\", pullPolicy: IfNotPresent}}
    replicas: 2
    ports:
      - {{name: http, containerPort: {port}}}
      - {{name: metrics, containerPort: 9090}}
    env:
      MODE: production
"
        )
        .expect("writing to a String");
        if i > 0 {
            writeln!(yaml, "      UPSTREAM_URL: http://svc-{}:80", i - 1).expect("writing to a String");
        }
        write!(
            yaml,
            "    configKeys: [LOG_LEVEL, REGION]
    secretKeys: [DATABASE_URL]
    probes:
      liveness: {{path: /health, port: http, periodSeconds: 20}}
      readiness: {{path: /ready, port: http, periodSeconds: 5}}
    resources:
      requests: {{cpu: 100m, memory: 128Mi}}
      limits: {{cpu: 500m, memory: 512Mi}}
    securityContext: {{runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}}
    service: {{type: ClusterIP, port: 80, targetPort: http}}
"
        )
        .expect("writing to a String");
    }
    yaml
}

fn input_for(n: usize) -> ValuesInput {
    ValuesInput {
        preset: Some(kubeplay_core::presets::BLANK_PRESET.into()),
        files: vec![SourceFile::new("values.yaml", generated_values(n))],
        sets: Vec::new(),
    }
}

fn bench_pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze_values");

    let default = ValuesInput::default();
    group.bench_function("default-preset", |b| b.iter(|| analyze_values(black_box(&default), None, Profile::Minikube)));

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
            b.iter(|| analyze_values(black_box(input), None, Profile::Minikube))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_pipeline);
criterion_main!(benches);
