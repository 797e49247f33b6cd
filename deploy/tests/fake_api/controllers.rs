//! Scripted stand-ins for the deployment controller, scheduler, kubelet and EndpointSlice
//! controller: what a test wants the cluster to have done after a Deployment is applied.

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

/// Everything went well: the rollout finished, pods run and are ready, and every Service of the
/// namespace that selects them has their addresses as ready endpoints.
pub fn healthy(cluster: &mut Cluster, deployment: &Value) {
    let n = replicas(deployment);
    let generation = deployment["metadata"]["generation"].clone();
    put_pods(cluster, deployment, |containers| {
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
    });
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
    let ns = namespace(deployment);
    let labels = deployment["spec"]["template"]["metadata"]["labels"].clone();
    let pods: Vec<String> = (0..replicas(deployment) as usize).map(|i| pod_name(&name(deployment), i)).collect();
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
