//! The generated app of N components that the benchmarks and `examples/stages.rs` measure.

use kubeplay_core::{SourceFile, ValuesInput};
use std::fmt::Write;

/// Values for an app of `n` components, as the YAML a user would write: each component looks
/// like the todo chatbot's backend (ports, probes, resources, config and secret keys, a Service)
/// and calls the previous one's Service, so every relationship rule has work to do.
pub fn generated_values(n: usize) -> String {
    values_of(n, false)
}

/// How many components apart the every-field Ingress routes.
const INGRESS_EVERY: usize = 10;

/// [`generated_values`] with every field of issue #12 each component can take: volumes of each
/// source and their mounts, its own ServiceAccount, a disruption budget and an autoscaler
/// (instead of `replicas`), a command, pod-field variables, a preStop sleep and a grace period,
/// a migration init container, network isolation admitting its callers, an Ingress with a
/// path to every tenth component; one in ten a StatefulSet with claim templates, and a setup
/// Job, a CronJob and a DaemonSet besides.
pub fn generated_values_every_field(n: usize) -> String {
    let mut yaml = values_of(n, true);
    yaml.push_str("ingress:\n  hosts:\n    - host: bench.local\n      paths:\n");
    for i in (0..n).step_by(INGRESS_EVERY) {
        writeln!(yaml, "        - {{path: /svc-{i}, component: svc-{i}}}").expect("writing to a String");
    }
    yaml
}

/// [`input_for`] of [`generated_values_every_field`].
pub fn input_with_every_field(n: usize) -> ValuesInput {
    ValuesInput {
        preset: Some(kubeplay_core::presets::BLANK_PRESET.into()),
        files: vec![SourceFile::new("values.yaml", generated_values_every_field(n))],
        sets: Vec::new(),
    }
}

fn values_of(n: usize, every_field: bool) -> String {
    let mut yaml = String::from("appName: bench\nnamespace: bench\nconfig:\n  LOG_LEVEL: info\n  REGION: eu\nsecrets:\n  DATABASE_URL: postgres://db\n");
    if every_field {
        yaml.push_str("networkPolicy: {}\n");
    }
    yaml.push_str("components:\n");
    for i in 0..n {
        let port = 8000 + (i % 1000);
        // An autoscaler decides the count when there is one.
        let replicas = if every_field { "" } else { "    replicas: 2\n" };
        write!(
            yaml,
            "  svc-{i}:
    image: {{repository: registry.example.com/team/svc-{i}, tag: \"1.{i}.0\", pullPolicy: IfNotPresent}}
{replicas}    ports:
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
        if every_field {
            yaml.push_str(
                "    volumes:
      cache: {emptyDir: {sizeLimit: 256Mi}}
      settings: {configMap: {items: {LOG_LEVEL: level}, defaultMode: 0444}}
      data: {persistentVolumeClaim: {size: 1Gi}}
    volumeMounts:
      - {name: cache, mountPath: /tmp}
      - {name: settings, mountPath: /etc/svc, readOnly: true}
      - {name: data, mountPath: /data}
    serviceAccount: {}
    podDisruptionBudget: {maxUnavailable: 1}
    autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70}
    command: [/app/svc, serve]
    fieldEnv: {POD_NAME: metadata.name, POD_IP: status.podIP}
    preStop: {sleep: 5}
    terminationGracePeriodSeconds: 40
",
            );
            write!(
                yaml,
                "    initContainers:
      - {{name: migrate, image: {{repository: registry.example.com/team/svc-{i}, tag: \"1.{i}.0\"}}, command: [/app/svc, migrate], secretKeys: [DATABASE_URL]}}
"
            )
            .expect("writing to a String");
            // Each service is called by the next one (its UPSTREAM_URL), and every tenth by the
            // Ingress: that is what it admits.
            let callers: Vec<String> = (i + 1 < n).then(|| format!("svc-{}", i + 1)).into_iter().collect();
            let ingress = if i % INGRESS_EVERY == 0 { ", ingressController: true" } else { "" };
            writeln!(yaml, "    allowFrom: {{components: [{}]{ingress}}}", callers.join(", "))
                .expect("writing to a String");
            // One in ten keeps its state: a StatefulSet with a claim per pod.
            if i % 10 == 5 {
                yaml.push_str("    kind: StatefulSet\n    volumeClaimTemplates: {state: {size: 2Gi, accessModes: [ReadWriteOnce]}}\n");
            }
        }
    }
    if every_field {
        // The kinds no Service calls: a setup Job, a nightly CronJob, a per-node agent.
        yaml.push_str(
            "  setup:
    kind: Job
    hook: true
    backoffLimit: 2
    restartPolicy: Never
    image: {repository: registry.example.com/team/setup, tag: \"1.0.0\"}
    command: [/app/setup]
    secretKeys: [DATABASE_URL]
  nightly:
    kind: CronJob
    schedule: \"0 3 * * *\"
    concurrencyPolicy: Forbid
    successfulJobsHistoryLimit: 1
    failedJobsHistoryLimit: 1
    restartPolicy: OnFailure
    image: {repository: registry.example.com/team/cleanup, tag: \"1.0.0\"}
    configKeys: [REGION]
  node-agent:
    kind: DaemonSet
    image: {repository: registry.example.com/team/agent, tag: \"1.0.0\"}
    probes:
      liveness: {port: 9100}
",
        );
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
