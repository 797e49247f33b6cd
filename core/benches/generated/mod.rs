//! The generated app of N components that the benchmarks and `examples/stages.rs` measure.

use kubeplay_core::{SourceFile, ValuesInput};
use std::fmt::Write;

/// Values for an app of `n` components, as the YAML a user would write: each component looks
/// like the todo chatbot's backend (ports, probes, resources, config and secret keys, a Service)
/// and calls the previous one's Service, so every relationship rule has work to do.
pub fn generated_values(n: usize) -> String {
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

pub fn input_for(n: usize) -> ValuesInput {
    ValuesInput {
        preset: Some(kubeplay_core::presets::BLANK_PRESET.into()),
        files: vec![SourceFile::new("values.yaml", generated_values(n))],
        sets: Vec::new(),
    }
}

/// The default preset's values given as a values file over the empty preset: what the browser
/// app analyses on every edit of the values text.
pub fn default_as_values_file() -> ValuesInput {
    let preset = kubeplay_core::presets::find(kubeplay_core::presets::DEFAULT_PRESET).expect("the default preset");
    ValuesInput {
        preset: Some(kubeplay_core::presets::BLANK_PRESET.into()),
        files: vec![SourceFile::new("values.yaml", preset.yaml)],
        sets: Vec::new(),
    }
}

/// Online Boutique (GoogleCloudPlatform/microservices-demo, Apache-2.0), as in the shared corpus:
/// 35 objects, 12 workloads, 20 env calls between Services.
pub const ONLINE_BOUTIQUE: &str = include_str!("../fixtures/online-boutique.yaml");

/// Online Boutique copied into `namespaces` namespaces (`shop-0`, `shop-1`, ...): every object
/// gets a `metadata.namespace`, so bare Service names resolve within each copy.
pub fn online_boutique_in(namespaces: usize) -> String {
    let mut out = String::with_capacity(ONLINE_BOUTIQUE.len() * namespaces + namespaces * 1024);
    for n in 0..namespaces {
        for line in ONLINE_BOUTIQUE.lines() {
            out.push_str(line);
            out.push('\n');
            if line == "metadata:" {
                writeln!(out, "  namespace: shop-{n}").expect("writing to a String");
            }
        }
        out.push_str("---\n");
    }
    out
}

/// The manifests as one file.
pub fn manifests_file(text: String) -> Vec<SourceFile> {
    vec![SourceFile::new("manifests.yaml", text)]
}
