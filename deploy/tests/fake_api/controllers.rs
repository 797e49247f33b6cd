//! Scripted stand-ins for the workload controllers (Deployment, StatefulSet, DaemonSet, Job),
//! scheduler, kubelet and EndpointSlice controller of the FAKE API server: what a test wants the
//! cluster to have done after a workload is applied. Each kind gets a simple progression:
//! [`starting`] (pods created, not ready yet), then [`healthy`] (ready, or a Job complete), or a
//! failure ([`stuck`] for a Deployment, [`job_failed`] for a Job).

use super::Cluster;
use serde_json::{json, Value};

/// A hash that looks like the controller's pod-template-hash (fixed, so names are predictable).
pub const HASH: &str = "5d8f7c9b4";

fn name(object: &Value) -> String {
    object["metadata"]["name"].as_str().unwrap_or_default().to_string()
}

fn namespace(object: &Value) -> String {
    object["metadata"]["namespace"].as_str().unwrap_or_default().to_string()
}

fn replicas(deployment: &Value) -> i64 {
    deployment["spec"]["replicas"].as_i64().unwrap_or(1)
}

/// The name of pod `i` of a Deployment.
pub fn pod_name(deployment: &str, i: usize) -> String {
    format!("{deployment}-{HASH}-{i}")
}

/// Pods of `deployment` with `status` (replacing earlier pods of it).
fn put_pods(cluster: &mut Cluster, deployment: &Value, status: impl Fn(&Value) -> Value) {
    let ns = namespace(deployment);
    let deployment_name = name(deployment);
    for old in cluster.list("Pod") {
        if namespace(&old) == ns && name(&old).starts_with(&format!("{deployment_name}-{HASH}-")) {
            cluster.remove("Pod", &ns, &name(&old));
        }
    }
    let template = &deployment["spec"]["template"];
    for i in 0..replicas(deployment) as usize {
        let mut spec = template["spec"].clone();
        let containers = spec["containers"].clone();
        let mut pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": pod_name(&deployment_name, i), "namespace": ns, "labels": template["metadata"]["labels"].clone()},
            "spec": spec.take(),
        });
        pod["metadata"]["labels"]["pod-template-hash"] = json!(HASH);
        pod["status"] = status(&containers);
        cluster.put(pod);
    }
}

fn container_names(containers: &Value) -> Vec<(String, String)> {
    containers
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (c["name"].as_str().unwrap_or_default().to_string(), c["image"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

/// Everything went well, whatever the kind: a Deployment, StatefulSet or DaemonSet rolled out
/// with its pods running and ready (and the Services that select them have their addresses as
/// ready endpoints); a Job completed.
pub fn healthy(cluster: &mut Cluster, workload: &Value) {
    match workload["kind"].as_str().unwrap_or_default() {
        "StatefulSet" => stateful_set(cluster, workload, true),
        "DaemonSet" => daemon_set(cluster, workload, true),
        "Job" => job_succeeded(cluster, workload),
        _ => healthy_deployment(cluster, workload),
    }
}

/// The first step of every kind's progression: pods made but still starting (containers
/// `ContainerCreating`), a Job running.
pub fn starting(cluster: &mut Cluster, workload: &Value) {
    match workload["kind"].as_str().unwrap_or_default() {
        "StatefulSet" => stateful_set(cluster, workload, false),
        "DaemonSet" => daemon_set(cluster, workload, false),
        "Job" => job_running(cluster, workload),
        _ => stuck(cluster, workload, waiting("ContainerCreating", ""), scheduled_not_ready(), true),
    }
}

/// A Deployment rolled out: pods run and are ready, Services that select them have endpoints.
fn healthy_deployment(cluster: &mut Cluster, deployment: &Value) {
    let n = replicas(deployment);
    let generation = deployment["metadata"]["generation"].clone();
    put_pods(cluster, deployment, running_ready);
    cluster.set_status(
        "Deployment",
        &namespace(deployment),
        &name(deployment),
        json!({
            "observedGeneration": generation, "replicas": n, "updatedReplicas": n, "readyReplicas": n, "availableReplicas": n,
            "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
            ],
        }),
    );
    publish_endpoints(cluster, deployment, true);
}

/// EndpointSlices of the namespace's Services that select the Deployment's pods.
fn publish_endpoints(cluster: &mut Cluster, deployment: &Value, ready: bool) {
    let pods: Vec<String> = (0..replicas(deployment) as usize).map(|i| pod_name(&name(deployment), i)).collect();
    publish_pod_endpoints(cluster, deployment, &pods, ready);
}

/// EndpointSlices of the namespace's Services that select `workload`'s pods, named `pods`.
fn publish_pod_endpoints(cluster: &mut Cluster, workload: &Value, pods: &[String], ready: bool) {
    let ns = namespace(workload);
    let labels = workload["spec"]["template"]["metadata"]["labels"].clone();
    for service in cluster.list("Service") {
        if namespace(&service) != ns {
            continue;
        }
        let selector = service["spec"]["selector"].as_object().cloned().unwrap_or_default();
        if selector.is_empty() || !selector.iter().all(|(k, v)| labels[k] == *v) {
            continue;
        }
        let svc = name(&service);
        let endpoints: Vec<Value> = pods
            .iter()
            .enumerate()
            .map(|(i, pod)| json!({"addresses": [format!("10.244.0.{}", 10 + i)], "conditions": {"ready": ready}, "targetRef": {"kind": "Pod", "name": pod, "namespace": ns}}))
            .collect();
        cluster.put(json!({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": format!("{svc}-abcde"), "namespace": ns, "labels": {"kubernetes.io/service-name": svc}},
            "addressType": "IPv4",
            "endpoints": endpoints,
        }));
    }
}

/// The rollout is under way but the pods do not become ready: each pod gets `container_state`
/// (a container status without its name/image, e.g. `{"state": {"waiting": {...}}}`) and the
/// pod `conditions`. `scheduled` false leaves the pods without a node.
pub fn stuck(cluster: &mut Cluster, deployment: &Value, container_state: Value, conditions: Value, scheduled: bool) {
    let n = replicas(deployment);
    let generation = deployment["metadata"]["generation"].clone();
    put_pods(cluster, deployment, |containers| {
        let statuses: Vec<Value> = container_names(containers)
            .into_iter()
            .map(|(name, image)| {
                let mut status =
                    json!({"name": name, "image": image, "imageID": "", "ready": false, "restartCount": 0});
                for (k, v) in container_state.as_object().into_iter().flatten() {
                    status[k] = v.clone();
                }
                status
            })
            .collect();
        let mut status = json!({"phase": "Pending", "conditions": conditions.clone()});
        if scheduled {
            status["containerStatuses"] = json!(statuses);
        }
        status
    });
    if scheduled {
        let ns = namespace(deployment);
        for i in 0..n as usize {
            let pod = pod_name(&name(deployment), i);
            let mut object = cluster.get("Pod", &ns, &pod).expect("pod just stored");
            object["spec"]["nodeName"] = json!("minikube");
            cluster.put(object);
        }
    }
    cluster.set_status(
        "Deployment",
        &namespace(deployment),
        &name(deployment),
        json!({
            "observedGeneration": generation, "replicas": n, "updatedReplicas": n, "readyReplicas": 0, "availableReplicas": 0, "unavailableReplicas": n,
            "conditions": [
                {"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable"},
                {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"},
            ],
        }),
    );
    publish_endpoints(cluster, deployment, false);
}

/// A container status waiting with `reason` and `message`.
pub fn waiting(reason: &str, message: &str) -> Value {
    json!({"state": {"waiting": {"reason": reason, "message": message}}})
}

/// Pod conditions of a scheduled pod whose containers are not ready.
pub fn scheduled_not_ready() -> Value {
    json!([{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "False", "reason": "ContainersNotReady"}])
}

/// A Warning event about pod `pod`'s container `container`.
pub fn pod_event(cluster: &mut Cluster, namespace: &str, pod: &str, container: &str, reason: &str, message: &str) {
    cluster.put(json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": format!("{pod}.{}", reason.to_lowercase()), "namespace": namespace},
        "involvedObject": {"kind": "Pod", "name": pod, "namespace": namespace, "fieldPath": format!("spec.containers{{{container}}}")},
        "reason": reason, "message": message, "type": "Warning", "count": 3,
    }));
}

/// Only the named Deployment gets `script`; the others roll out fine.
pub fn only(
    deployment: &'static str,
    mut script: impl FnMut(&mut Cluster, &Value) + Send + 'static,
) -> impl FnMut(&mut Cluster, &Value) + Send + 'static {
    move |cluster, d| {
        if d["metadata"]["name"] == deployment {
            script(cluster, d)
        } else {
            healthy(cluster, d)
        }
    }
}

// ---- pod statuses -------------------------------------------------------------------------

/// A pod whose containers all run and are ready.
fn running_ready(containers: &Value) -> Value {
    let statuses: Vec<Value> = container_names(containers)
        .into_iter()
        .map(|(name, image)| json!({"name": name, "image": image, "imageID": "", "ready": true, "restartCount": 0, "started": true, "state": {"running": {"startedAt": "2025-01-01T00:00:00Z"}}}))
        .collect();
    json!({
        "phase": "Running",
        "podIP": "10.244.0.10",
        "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "True"}, {"type": "ContainersReady", "status": "True"}],
        "containerStatuses": statuses,
    })
}

/// A scheduled pod whose containers are still being created.
fn creating(containers: &Value) -> Value {
    let statuses: Vec<Value> = container_names(containers)
        .into_iter()
        .map(|(name, image)| json!({"name": name, "image": image, "imageID": "", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}))
        .collect();
    json!({"phase": "Pending", "conditions": scheduled_not_ready(), "containerStatuses": statuses})
}

/// A pod whose containers ran to the end with `exit_code`.
fn finished(containers: &Value, exit_code: i32) -> Value {
    let reason = if exit_code == 0 { "Completed" } else { "Error" };
    let statuses: Vec<Value> = container_names(containers)
        .into_iter()
        .map(|(name, image)| json!({"name": name, "image": image, "imageID": "", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": exit_code, "reason": reason}}}))
        .collect();
    let phase = if exit_code == 0 { "Succeeded" } else { "Failed" };
    json!({"phase": phase, "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "False", "reason": "PodCompleted"}], "containerStatuses": statuses})
}

// ---- pods a workload owns -----------------------------------------------------------------

/// Pods named `names` that `owner` made itself (an owner reference names it), replacing the
/// ones it had; each gets the template's labels plus `labels` and is bound to `nodes[i]` (the
/// last node for the rest).
fn put_owned_pods(
    cluster: &mut Cluster,
    owner: &Value,
    names: &[String],
    labels: Value,
    nodes: &[String],
    status: impl Fn(&Value) -> Value,
) {
    let ns = namespace(owner);
    let kind = owner["kind"].as_str().unwrap_or_default().to_string();
    let owner_name = name(owner);
    for old in cluster.list("Pod") {
        let owned = old["metadata"]["ownerReferences"]
            .as_array()
            .is_some_and(|refs| refs.iter().any(|r| r["kind"] == kind.as_str() && r["name"] == owner_name.as_str()));
        if namespace(&old) == ns && owned {
            cluster.remove("Pod", &ns, &name(&old));
        }
    }
    let template = &owner["spec"]["template"];
    for (i, pod_name) in names.iter().enumerate() {
        let mut pod_labels = template["metadata"]["labels"].clone();
        for (k, v) in labels.as_object().into_iter().flatten() {
            pod_labels[k] = v.clone();
        }
        let mut spec = template["spec"].clone();
        if let Some(node) = nodes.get(i).or(nodes.last()) {
            spec["nodeName"] = json!(node);
        }
        let containers = spec["containers"].clone();
        cluster.put(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {
                "name": pod_name, "namespace": ns, "labels": pod_labels,
                "ownerReferences": [{"apiVersion": owner["apiVersion"].clone(), "kind": kind, "name": owner_name, "uid": owner["metadata"]["uid"].clone(), "controller": true}],
            },
            "spec": spec,
            "status": status(&containers),
        }));
    }
}

fn node_names(cluster: &Cluster) -> Vec<String> {
    cluster.list("Node").iter().map(name).collect()
}

/// The revision a StatefulSet's or DaemonSet's pods are labelled with (fixed, like [`HASH`]).
pub fn revision(workload: &str) -> String {
    format!("{workload}-{HASH}")
}

/// A StatefulSet's pods `NAME-0`, `NAME-1`, ...: all ready, or all still starting. A fresh set
/// is at one revision from the start, so only readiness moves.
fn stateful_set(cluster: &mut Cluster, sts: &Value, ready: bool) {
    let n = replicas(sts);
    let sts_name = name(sts);
    let names: Vec<String> = (0..n).map(|i| format!("{sts_name}-{i}")).collect();
    let labels = json!({"controller-revision-hash": revision(&sts_name)});
    put_owned_pods(cluster, sts, &names, labels, &node_names(cluster), if ready { running_ready } else { creating });
    let ready_count = if ready { n } else { 0 };
    cluster.set_status(
        "StatefulSet",
        &namespace(sts),
        &sts_name,
        json!({
            "observedGeneration": sts["metadata"]["generation"].clone(), "replicas": n, "readyReplicas": ready_count,
            "availableReplicas": ready_count, "currentReplicas": n, "updatedReplicas": n,
            "currentRevision": revision(&sts_name), "updateRevision": revision(&sts_name), "collisionCount": 0,
        }),
    );
    publish_pod_endpoints(cluster, sts, &names, ready);
}

/// A DaemonSet's pods, one per node of the fake: all available, or all still starting.
fn daemon_set(cluster: &mut Cluster, ds: &Value, ready: bool) {
    let nodes = node_names(cluster);
    let ds_name = name(ds);
    let names: Vec<String> = nodes.iter().map(|node| format!("{ds_name}-{node}")).collect();
    let labels = json!({"controller-revision-hash": revision(&ds_name)});
    put_owned_pods(cluster, ds, &names, labels, &nodes, if ready { running_ready } else { creating });
    let desired = nodes.len();
    let available = if ready { desired } else { 0 };
    cluster.set_status(
        "DaemonSet",
        &namespace(ds),
        &ds_name,
        json!({
            "observedGeneration": ds["metadata"]["generation"].clone(), "desiredNumberScheduled": desired,
            "currentNumberScheduled": desired, "updatedNumberScheduled": desired, "numberMisscheduled": 0,
            "numberReady": available, "numberAvailable": available, "numberUnavailable": desired - available,
        }),
    );
    publish_pod_endpoints(cluster, ds, &names, ready);
}

/// The name of a Job's pod (one per run).
pub fn job_pod(job: &str, run: usize) -> String {
    format!("{job}-{}{run}", &HASH[..4])
}

/// A Job's one pod runs; nothing has finished.
pub fn job_running(cluster: &mut Cluster, job: &Value) {
    let job_name = name(job);
    put_owned_pods(cluster, job, &[job_pod(&job_name, 0)], json!({}), &node_names(cluster), running_ready);
    cluster.set_status(
        "Job",
        &namespace(job),
        &job_name,
        json!({"active": 1, "ready": 1, "startTime": "2025-01-01T00:00:00Z", "uncountedTerminatedPods": {}}),
    );
}

/// A Job's pod exited 0 and the Job completed.
pub fn job_succeeded(cluster: &mut Cluster, job: &Value) {
    let job_name = name(job);
    put_owned_pods(cluster, job, &[job_pod(&job_name, 0)], json!({}), &node_names(cluster), |c| finished(c, 0));
    cluster.set_status(
        "Job",
        &namespace(job),
        &job_name,
        json!({
            "succeeded": 1, "startTime": "2025-01-01T00:00:00Z", "completionTime": "2025-01-01T00:00:10Z",
            "conditions": [
                {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
                {"type": "Complete", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
            ],
        }),
    );
}

/// A Job whose pods kept failing until its backoff limit: the Job failed.
pub fn job_failed(cluster: &mut Cluster, job: &Value) {
    let job_name = name(job);
    let runs = job["spec"]["backoffLimit"].as_u64().unwrap_or(6) as usize + 1;
    let names: Vec<String> = (0..runs).map(|run| job_pod(&job_name, run)).collect();
    put_owned_pods(cluster, job, &names, json!({}), &node_names(cluster), |c| finished(c, 1));
    cluster.set_status(
        "Job",
        &namespace(job),
        &job_name,
        json!({
            "failed": runs, "startTime": "2025-01-01T00:00:00Z",
            "conditions": [
                {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"},
                {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"},
            ],
        }),
    );
}
