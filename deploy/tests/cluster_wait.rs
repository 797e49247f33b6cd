//! Waiting after `kubeplay apply`: rollout progress, early stops with core's diagnoses and
//! fixes, timeouts. Pod and Deployment states are scripted in the in-process fake API server
//! (tests/fake_api: a fake following the API conventions kubeplay uses, not a real cluster).

#[allow(dead_code)]
#[path = "../src/cluster/mod.rs"]
mod cluster;
mod fake_api;

use cluster::errors::{ClusterError, EXIT_NOT_READY};
use fake_api::controllers::{self, only, pod_event, scheduled_not_ready, stuck, waiting};
use fake_api::harness::*;
use serde_json::json;
use std::time::{Duration, Instant};

const POD: &str = "todo-backend-5d8f7c9b4-0";

/// Apply the preset with a generous timeout and check it stopped early, not at the timeout.
async fn apply_expecting_early_stop(h: &Harness) -> Run<()> {
    let started = Instant::now();
    let run = h.apply(&preset(), &["--timeout", "60s"]).await;
    assert!(started.elapsed() < Duration::from_secs(20), "did not stop early:\n{}", run.err);
    let e = run.error();
    assert!(matches!(e, ClusterError::NotReady(_)), "{e}");
    assert_eq!(e.to_string(), "stopped waiting: 1 problem above will not fix itself by waiting");
    assert_eq!(e.exit_code(), EXIT_NOT_READY);
    run
}

fn assert_contains(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "missing `{e}` in:\n{text}");
    }
}

#[tokio::test]
async fn waits_while_pods_start_and_succeeds_when_ready() {
    let h = Harness::start().await;
    h.fake.set_controller(|c, d| stuck(c, d, waiting("ContainerCreating", ""), scheduled_not_ready(), true));
    // The "kubelet" finishes a little later, while kubeplay polls.
    let state = h.fake.state();
    let finisher = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut cluster = state.lock().unwrap();
        for d in cluster.list("Deployment") {
            controllers::healthy(&mut cluster, &d);
        }
    });
    let run = h.apply(&preset(), &["--timeout", "30s"]).await;
    finisher.await.unwrap();
    run.ok();
    assert_contains(
        &run.err,
        &[
            "waiting for 2 deployments to be ready (timeout 30s)",
            "Waiting for deployment \"todo-backend\" rollout to finish: 0 of 1 updated replicas are available...",
            "  pod todo-backend-5d8f7c9b4-0: ContainerCreating, 0/1 ready, 0 restarts",
            "deployment \"todo-backend\" successfully rolled out",
            "  pod todo-backend-5d8f7c9b4-0: Running, 1/1 ready, 0 restarts",
            "all deployments are ready",
        ],
    );
    // Transient states are progress, not problems.
    assert!(!run.err.contains("error["), "{}", run.err);
}

#[tokio::test]
async fn no_wait_returns_once_sent() {
    let h = Harness::start().await;
    let run = h.apply(&preset(), &["--no-wait"]).await;
    run.ok();
    assert_contains(&run.err, &["not waiting for readiness (--no-wait)"]);
    assert!(!h.fake.requests().iter().any(|r| r.path.ends_with("/pods")), "{:?}", h.fake.requests());
}

#[tokio::test]
async fn err_image_never_pull_stops_with_the_load_command() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        stuck(
            c,
            d,
            waiting(
                "ErrImageNeverPull",
                "Container image \"todo-backend:1.0.0\" is not present with pull policy of Never",
            ),
            scheduled_not_ready(),
            true,
        )
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "error[ErrImageNeverPull] Pod todo-backend-5d8f7c9b4-0, container todo-backend: image `todo-backend:1.0.0` has imagePullPolicy Never",
            "  kubernetes says: Container image \"todo-backend:1.0.0\" is not present with pull policy of Never",
            "  fix: minikube image load todo-backend:1.0.0",
        ],
    );
}

#[tokio::test]
async fn image_pull_back_off_stops_with_advice() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        let message = "Back-off pulling image \"todo-backend:1.0.0\": ErrImagePull: pull access denied for todo-backend, repository does not exist";
        stuck(c, d, waiting("ImagePullBackOff", message), scheduled_not_ready(), true)
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "error[ErrImagePull / ImagePullBackOff] Pod todo-backend-5d8f7c9b4-0",
            "minikube image load todo-backend:1.0.0",
        ],
    );
}

#[tokio::test]
async fn create_container_config_error_names_the_missing_key() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        let message = "couldn't find key OPENAI_API_KEY in Secret todo-chatbot/todo-chatbot-secrets";
        stuck(c, d, waiting("CreateContainerConfigError", message), scheduled_not_ready(), true)
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "error[CreateContainerConfigError] Pod todo-backend-5d8f7c9b4-0, container todo-backend: Secret `todo-chatbot-secrets` has no key `OPENAI_API_KEY`",
            "kubectl patch secret todo-chatbot-secrets -n todo-chatbot",
        ],
    );
}

#[tokio::test]
async fn create_container_config_error_names_the_missing_config_map() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        stuck(
            c,
            d,
            waiting("CreateContainerConfigError", "configmap \"todo-chatbot-config\" not found"),
            scheduled_not_ready(),
            true,
        )
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "ConfigMap `todo-chatbot-config` does not exist in namespace `todo-chatbot`",
            "kubectl create configmap todo-chatbot-config -n todo-chatbot",
        ],
    );
}

#[tokio::test]
async fn crash_loop_after_oom_kill_says_raise_the_memory_limit() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        let state = json!({
            "restartCount": 4,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 1m20s restarting failed container=todo-backend pod=todo-backend-5d8f7c9b4-0"}},
            "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
        });
        stuck(c, d, state, scheduled_not_ready(), true)
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "error[OOMKilled] Pod todo-backend-5d8f7c9b4-0, container todo-backend: the container used more than its memory limit of 512Mi",
            "fix: raise `resources.limits.memory` above 512Mi (e.g. 1024Mi)",
            "  pod todo-backend-5d8f7c9b4-0: CrashLoopBackOff, 0/1 ready, 4 restarts",
        ],
    );
}

#[tokio::test]
async fn crash_loop_shows_the_exit_code_and_the_previous_log_tail() {
    let h = Harness::start().await;
    let log = (1..=30)
        .map(|i| format!("log line {i}"))
        .chain(["KeyError: 'DATABASE_URL'".to_string()])
        .collect::<Vec<_>>()
        .join("\n");
    h.fake.set_logs(NS, POD, true, &log);
    h.fake.set_controller(only("todo-backend", |c, d| {
        let state = json!({
            "restartCount": 3,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container"}},
            "lastState": {"terminated": {"reason": "Error", "exitCode": 1}},
        });
        stuck(c, d, state, scheduled_not_ready(), true)
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "error[CrashLoopBackOff] Pod todo-backend-5d8f7c9b4-0, container todo-backend: the container keeps exiting with code 1",
            "  | KeyError: 'DATABASE_URL'",
            "  | log line 12",
            "fix: read why in its previous run's log: `kubectl logs todo-backend-5d8f7c9b4-0 -c todo-backend -n todo-chatbot --previous`",
        ],
    );
    // Only the tail is shown.
    assert!(!run.err.contains("  | log line 11\n"), "{}", run.err);
    let log_request =
        h.fake.requests().into_iter().find(|r| r.path.ends_with("/log")).expect("the previous log was read");
    assert!(
        log_request.query.contains("previous=true") && log_request.query.contains("tailLines=20"),
        "{log_request:?}"
    );
}

#[tokio::test]
async fn a_process_that_exits_zero_must_stay_in_the_foreground() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        let state = json!({
            "restartCount": 2,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
            "lastState": {"terminated": {"reason": "Completed", "exitCode": 0}},
        });
        stuck(c, d, state, scheduled_not_ready(), true)
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(&run.err, &["finished with exit code 0", "run the server in the foreground"]);
}

#[tokio::test]
async fn unschedulable_on_minikube_suggests_a_bigger_minikube() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        let message = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
        let conditions = json!([{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message}]);
        stuck(c, d, json!({}), conditions, false)
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "error[Unschedulable] Pod todo-backend-5d8f7c9b4-0: no node has enough free memory for pod `todo-backend-5d8f7c9b4-0`'s requests",
            "minikube start --cpus 4 --memory 8192",
            "lower `resources.requests` (now cpu 100m, memory 128Mi)",
        ],
    );
}

#[tokio::test]
async fn progress_deadline_exceeded_stops_the_wait() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        stuck(c, d, waiting("ContainerCreating", ""), scheduled_not_ready(), true);
        let mut status = c.get("Deployment", NS, "todo-backend").unwrap()["status"].clone();
        status["conditions"] = json!([
            {"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable"},
            {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"todo-backend-5d8f7c9b4\" has timed out progressing."},
        ]);
        c.set_status("Deployment", NS, "todo-backend", status);
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "error[ProgressDeadlineExceeded] Deployment todo-backend: deployment \"todo-backend\" exceeded its progress deadline",
            "kubernetes says: ReplicaSet \"todo-backend-5d8f7c9b4\" has timed out progressing.",
        ],
    );
}

#[tokio::test]
async fn a_pending_load_balancer_on_minikube_is_access_advice_not_a_failure() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let run = h.apply(&preset(), &[]).await;
    run.ok();
    assert_contains(
        &run.err,
        &["reach it:\n  todo-frontend: run `minikube tunnel` in another terminal (it asks for sudo), or get a URL without it: `minikube service todo-frontend -n todo-chatbot --url`"],
    );
    assert!(!run.err.contains("warning[<pending>]"), "{}", run.err);
}

#[tokio::test]
async fn an_assigned_load_balancer_address_is_printed() {
    let h = Harness::start().await;
    h.fake.set_controller(|c, d| {
        controllers::healthy(c, d);
        c.set_status("Service", NS, "todo-frontend", json!({"loadBalancer": {"ingress": [{"ip": "10.0.0.5"}]}}));
    });
    let run = h.apply(&preset(), &[]).await;
    run.ok();
    assert_contains(&run.err, &["reach it:\n  todo-frontend: http://10.0.0.5:80"]);
}

#[tokio::test]
async fn nothing_happening_times_out_with_the_rollout_state() {
    let h = Harness::start().await;
    let started = Instant::now();
    let run = h.apply(&preset(), &["--timeout", "300ms"]).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        run.error().to_string(),
        "timed out after 300ms waiting for readiness: Waiting for deployment spec update to be observed...; Waiting for deployment spec update to be observed..."
    );
    assert_eq!(run.error().exit_code(), EXIT_NOT_READY);
}

#[tokio::test]
async fn failing_readiness_probes_are_shown_and_the_wait_times_out() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        let state = json!({"state": {"running": {"startedAt": "2025-01-01T00:00:00Z"}}, "started": true});
        stuck(c, d, state, scheduled_not_ready(), true);
        let message = "Readiness probe failed: Get \"http://10.244.0.10:8000/health\": dial tcp 10.244.0.10:8000: connect: connection refused";
        pod_event(c, NS, POD, "todo-backend", "Unhealthy", message);
    }));
    let run = h.apply(&preset(), &["--timeout", "400ms"]).await;
    let message = run.error().to_string();
    assert!(message.starts_with("timed out after 400ms waiting for readiness: Waiting for deployment \"todo-backend\" rollout to finish: 0 of 1 updated replicas are available..."), "{message}");
    assert_contains(
        &run.err,
        &[
            "warning[Unhealthy] Pod todo-backend-5d8f7c9b4-0, container todo-backend: the readiness probe fails: nothing listens on the probed port yet",
            "kubectl port-forward -n todo-chatbot pod/todo-backend-5d8f7c9b4-0 8080:http",
            "warning[no endpoints] Service todo-backend",
        ],
    );
}

#[tokio::test]
async fn pods_of_an_older_revision_do_not_stop_the_wait() {
    let h = Harness::start().await;
    h.fake.set_controller(|c, d| {
        controllers::healthy(c, d);
        // A pod of the previous ReplicaSet, still crashing while it is replaced.
        let name = d["metadata"]["name"].as_str().unwrap();
        let mut old = c.get("Pod", NS, &controllers::pod_name(name, 0)).unwrap();
        old["metadata"]["name"] = json!(format!("{name}-oldhash-0"));
        old["metadata"]["labels"]["pod-template-hash"] = json!("oldhash");
        old["status"]["containerStatuses"][0]["state"] = json!({"waiting": {"reason": "CrashLoopBackOff"}});
        old["status"]["containerStatuses"][0]["lastState"] = json!({"terminated": {"reason": "OOMKilled", "exitCode": 137}});
        c.put(old);
        let revision = json!({"deployment.kubernetes.io/revision": "2"});
        let mut deployment = c.get("Deployment", NS, name).unwrap();
        deployment["metadata"]["annotations"] = revision.clone();
        c.put(deployment);
        c.put(json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {
                "name": format!("{name}-{}", controllers::HASH), "namespace": NS, "annotations": revision,
                "labels": d["spec"]["template"]["metadata"]["labels"].clone(),
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": "u", "controller": true}],
            },
        }));
        let mut rs = c.get("ReplicaSet", NS, &format!("{name}-{}", controllers::HASH)).unwrap();
        rs["metadata"]["labels"]["pod-template-hash"] = json!(controllers::HASH);
        c.put(rs);
    });
    let run = h.apply(&preset(), &[]).await;
    run.ok();
    assert!(!run.err.contains("oldhash"), "{}", run.err);
}

#[tokio::test]
async fn an_invalid_image_name_stops_the_wait() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        let message = "Failed to apply default image tag \"Todo-Backend:1.0.0\": couldn't parse image name";
        stuck(c, d, waiting("InvalidImageName", message), scheduled_not_ready(), true)
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(
        &run.err,
        &[
            "error[InvalidImageName] Pod todo-backend-5d8f7c9b4-0, container todo-backend",
            "write it as `[registry/]repository[:tag]` in lower case",
        ],
    );
}

#[tokio::test]
async fn a_command_that_cannot_start_stops_the_wait() {
    let h = Harness::start().await;
    h.fake.set_controller(only("todo-backend", |c, d| {
        let message = "failed to create containerd task: exec: \"uvicorn\": executable file not found in $PATH";
        stuck(c, d, waiting("RunContainerError", message), scheduled_not_ready(), true)
    }));
    let run = apply_expecting_early_stop(&h).await;
    assert_contains(&run.err, &["error[RunContainerError] Pod todo-backend-5d8f7c9b4-0", "executable file not found"]);
}

#[tokio::test]
async fn a_service_that_selects_no_pod_is_named_at_the_timeout() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let yaml = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: \"nginx:1.27\"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: wbe}
  ports: [{port: 80, targetPort: 80}]
";
    // `kubeplay validate` reports this offline too (service-selects-nothing); here the cluster
    // confirms it.
    let input = manifests_unchecked(&[("web.yaml", yaml)], "web");
    let run = h.apply_exactly(&input, &["--timeout", "300ms"]).await;
    assert_eq!(run.error().to_string(), "timed out after 300ms waiting for readiness: 1 problem(s) above remain");
    assert_contains(
        &run.err,
        &[
            "deployment \"web\" successfully rolled out",
            "warning[no endpoints] Service web: Service `web` has no ready endpoints: no pod has the labels app=wbe",
            "fix: see which pods it selects and whether they are Ready: `kubectl get pods -n default -l app=wbe`",
        ],
    );
}

// ---- StatefulSets, DaemonSets and Jobs --------------------------------------------------------
// Their controllers are the FAKE API server's scripted stand-ins (tests/fake_api/controllers.rs):
// `starting` leaves pods not ready, `healthy` finishes them, `job_failed` fails a Job.

/// Once the wait has looked once, finish every workload of `kinds` as `healthy` does, as the
/// controllers would.
fn finish_later(h: &Harness, kinds: &'static [&'static str]) -> tokio::task::JoinHandle<()> {
    after_first_look(&h.fake, move |cluster| {
        for kind in kinds {
            for w in cluster.list(kind) {
                controllers::healthy(cluster, &w);
            }
        }
    })
}

#[tokio::test]
async fn statefulsets_and_daemonsets_are_waited_for_and_jobs_unless_told_not_to() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::starting);
    let finisher = finish_later(&h, &["Deployment", "StatefulSet", "DaemonSet"]);
    // The Job keeps running: with --no-wait-jobs it does not hold the apply.
    let run = h.apply_exactly(&workloads(), &["--no-wait-jobs", "--timeout", "30s"]).await;
    finisher.await.unwrap();
    run.ok();
    assert_contains(
        &run.err,
        &[
            "not waiting for 1 job to complete (--no-wait-jobs)",
            "waiting for 1 deployment, 1 statefulset and 1 daemonset to be ready (timeout 30s)",
            "statefulset \"db\": Waiting for 2 pods to be ready...",
            "  pod db-0: ContainerCreating, 0/1 ready, 0 restarts",
            "Waiting for daemon set \"log-agent\" rollout to finish: 0 of 1 updated pods are available...",
            "  pod log-agent-minikube: ContainerCreating, 0/1 ready, 0 restarts",
            "statefulset \"db\": statefulset rolling update complete 2 pods at revision db-5d8f7c9b4...",
            "  pod db-1: Running, 1/1 ready, 0 restarts",
            "daemon set \"log-agent\" successfully rolled out",
            "deployment \"web\" successfully rolled out",
            "all deployments, statefulsets and daemonsets are ready",
        ],
    );
    // CronJobs are never waited for; the Job was not looked at.
    assert_eq!(run.err.matches("nightly").count(), 1, "only `created`:\n{}", run.err);
    assert!(!run.err.contains("job \"migrate\""), "{}", run.err);
    assert!(!run.err.contains("error["), "{}", run.err);
}

#[tokio::test]
async fn a_statefulset_that_never_gets_ready_times_out_with_its_rollout_state() {
    let h = Harness::start().await;
    h.fake.set_controller(|c, w| {
        if w["kind"] == "StatefulSet" {
            controllers::starting(c, w)
        } else {
            controllers::healthy(c, w)
        }
    });
    let run = h.apply_exactly(&workloads(), &["--timeout", "300ms"]).await;
    let message = run.error().to_string();
    assert!(message.starts_with("timed out after 300ms waiting for readiness: "), "{message}");
    assert!(message.contains("statefulset \"db\": Waiting for 2 pods to be ready..."), "{message}");
    // The headless Service selects the pods that are not ready yet.
    assert!(
        run.err.contains("Service `db` has no ready endpoints: 2 pod(s) have its labels, but none is Ready yet"),
        "{}",
        run.err
    );
}

#[tokio::test]
async fn the_apply_waits_for_jobs_to_complete() {
    let h = Harness::start().await;
    h.fake.set_controller(
        |c, w| if w["kind"] == "Job" { controllers::starting(c, w) } else { controllers::healthy(c, w) },
    );
    let finisher = finish_later(&h, &["Job"]);
    let run = h.apply_exactly(&workloads(), &["--timeout", "30s"]).await;
    finisher.await.unwrap();
    run.ok();
    assert_contains(
        &run.err,
        &[
            "waiting for 1 deployment, 1 statefulset and 1 daemonset to be ready and 1 job to complete (timeout 30s)",
            "Waiting for job \"migrate\" to complete: 0 of 1 succeeded, 1 active, 0 failed...",
            "  pod migrate-5d8f0: Running, 1/1 ready, 0 restarts",
            "job \"migrate\" completed",
            "  pod migrate-5d8f0: Succeeded, 0/1 ready, 0 restarts",
            "all deployments, statefulsets and daemonsets are ready and all jobs complete",
        ],
    );
    assert!(!run.err.contains("not waiting for"), "{}", run.err);
}

#[tokio::test]
async fn a_failed_job_stops_the_wait_and_is_named() {
    let h = Harness::start().await;
    h.fake.set_controller(
        |c, w| if w["kind"] == "Job" { controllers::job_failed(c, w) } else { controllers::healthy(c, w) },
    );
    let started = Instant::now();
    let run = h.apply_exactly(&workloads(), &["--timeout", "60s"]).await;
    assert!(started.elapsed() < Duration::from_secs(20), "did not stop early:\n{}", run.err);
    let e = run.error();
    assert_eq!(
        e.to_string(),
        "stopped waiting: job \"migrate\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit"
    );
    assert_eq!(e.exit_code(), EXIT_NOT_READY);
    // With --no-wait-jobs the failure is not the apply's to report (status shows it).
    h.apply_exactly(&workloads(), &["--no-wait-jobs", "--timeout", "10s"]).await.ok();
}
