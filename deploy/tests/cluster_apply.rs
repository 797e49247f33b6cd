//! `kubeplay apply`, `diff`, `status` and `delete` against the in-process fake API server
//! (tests/fake_api: a fake that follows the API conventions for the calls kubeplay makes; it is
//! not a real cluster).

#[allow(dead_code)]
#[path = "../src/cluster/mod.rs"]
mod cluster;
mod fake_api;

use base64::Engine;
use cluster::errors::{ClusterError, EXIT_CANNOT_RUN, EXIT_NOT_READY};
use fake_api::controllers;
use fake_api::harness::*;
use serde_json::{json, Value};

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn patches(h: &Harness) -> Vec<String> {
    h.fake.requests().into_iter().filter(|r| r.method == "PATCH").map(|r| r.path).collect()
}

fn assert_no_secret_values(text: &str) {
    for value in SECRET_VALUES {
        assert!(!text.contains(value), "a secret value was printed:\n{text}");
        assert!(!text.contains(&b64(value)), "a secret value (base64) was printed:\n{text}");
    }
}

#[tokio::test]
async fn applies_in_install_order_with_server_side_apply_and_applyset_labels() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let run = h.apply(&preset(), &[]).await;
    run.ok();
    let base = "/api/v1/namespaces/todo-chatbot";
    assert_eq!(
        patches(&h),
        [
            base.to_string(),
            format!("{base}/secrets/applyset-todo-chatbot"),
            format!("{base}/secrets/todo-chatbot-secrets"),
            format!("{base}/configmaps/todo-chatbot-config"),
            format!("{base}/services/todo-backend"),
            format!("{base}/services/todo-frontend"),
            "/apis/apps/v1/namespaces/todo-chatbot/deployments/todo-backend".to_string(),
            "/apis/apps/v1/namespaces/todo-chatbot/deployments/todo-frontend".to_string(),
        ]
    );
    for request in h.fake.requests().iter().filter(|r| r.method == "PATCH") {
        assert!(request.query.contains("fieldManager=kubeplay"), "{request:?}");
        // The parent is kubeplay's own; members are not forced without --force-conflicts.
        if !request.path.ends_with("applyset-todo-chatbot") {
            assert!(!request.query.contains("force=true"), "{request:?}");
        }
    }
    // KEP-3659: the parent's ID label, the members' part-of label, the kinds annotation.
    let parent = h.fake.get("Secret", NS, "applyset-todo-chatbot").expect("parent exists");
    let id = parent["metadata"]["labels"]["applyset.kubernetes.io/id"].as_str().unwrap().to_string();
    assert_eq!(id, cluster::applyset::id("applyset-todo-chatbot", NS, "Secret", ""));
    assert_eq!(
        parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"],
        "ConfigMap,Deployment.apps,Namespace,Secret,Service"
    );
    assert_eq!(parent["metadata"]["annotations"]["applyset.kubernetes.io/tooling"], "kubeplay/v0.1.0");
    let namespace = h.fake.get("Namespace", "", NS).unwrap();
    assert_eq!(namespace["metadata"]["labels"]["applyset.kubernetes.io/part-of"], id.as_str());
    for kind in ["Secret", "ConfigMap", "Service", "Deployment"] {
        for object in h
            .fake
            .list(kind)
            .iter()
            .filter(|o| o["metadata"]["namespace"] == NS && o["metadata"]["name"] != "applyset-todo-chatbot")
        {
            assert_eq!(object["metadata"]["labels"]["applyset.kubernetes.io/part-of"], id.as_str(), "{object}");
            assert_eq!(object["metadata"]["managedFields"][0]["manager"], "kubeplay");
        }
    }
    for line in ["namespace/todo-chatbot created", "deployment.apps/todo-frontend created", "all deployments are ready"]
    {
        assert!(run.err.contains(line), "missing `{line}` in:\n{}", run.err);
    }
    assert_no_secret_values(&run.all());
}

#[tokio::test]
async fn a_second_apply_changes_nothing() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let before = h.resource_versions();
    assert_eq!(before.len(), 8, "{before:?}"); // 7 objects and the parent
    let run = h.apply(&preset(), &[]).await;
    run.ok();
    assert_eq!(h.resource_versions(), before, "{}", run.err);
    assert_eq!(run.err.matches(" unchanged").count(), 7, "{}", run.err);
    assert!(!run.err.contains(" created") && !run.err.contains(" configured"), "{}", run.err);
}

#[tokio::test]
async fn a_changed_value_configures_only_its_object() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let run = h.apply(&preset_with(&["components.todo-backend.replicas=2"], &[]), &[]).await;
    run.ok();
    assert!(run.err.contains("deployment.apps/todo-backend configured"), "{}", run.err);
    assert!(run.err.contains("deployment.apps/todo-frontend unchanged"), "{}", run.err);
    assert_eq!(h.fake.get("Deployment", NS, "todo-backend").unwrap()["spec"]["replicas"], 2);
}

/// A new `appName` changes every workload's selector, which no update may: the apply stops
/// before sending anything, naming each object and what to do; diff says the same up front.
#[tokio::test]
async fn a_changed_selector_stops_the_apply_before_anything_is_sent() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let before = h.resource_versions();
    h.fake.clear_requests();
    let renamed = preset_with(&["appName=chatbot"], &[]);
    let run = h.apply(&renamed, &[]).await;
    assert!(matches!(run.error(), ClusterError::Rejected { .. }), "{}", run.err);
    assert_eq!(run.exit, EXIT_NOT_READY);
    for deployment in ["Deployment todo-chatbot/todo-backend", "Deployment todo-chatbot/todo-frontend"] {
        assert!(
            run.err.contains(&format!("{deployment}: an update may not make this change to `spec.selector`")),
            "{}",
            run.err
        );
    }
    assert!(run.err.contains("Nothing was applied."), "{}", run.err);
    assert!(patches(&h).is_empty(), "{:?}", patches(&h));
    assert_eq!(h.resource_versions(), before);

    let diff = h.diff(&renamed, &[]).await;
    assert!(
        diff.err.contains("note: apply would be refused: Deployment todo-chatbot/todo-backend: an update may not make this change to `spec.selector`"),
        "{}",
        diff.err
    );
    // A change an update may make is no such note.
    let scaled = h.diff(&preset_with(&["components.todo-backend.replicas=2"], &[]), &[]).await;
    assert!(!scaled.all().contains("would be refused"), "{}", scaled.all());
}

#[tokio::test]
async fn dry_run_on_a_fresh_cluster_stores_nothing() {
    let h = Harness::start().await;
    let run = h.apply(&preset(), &["--dry-run=server"]).await;
    run.ok();
    assert!(h.fake.writes().is_empty(), "{:?}", h.fake.writes());
    assert!(h.fake.get("Namespace", "", NS).is_none());
    assert!(h.fake.list("Deployment").is_empty());
    assert!(run.err.contains("namespace/todo-chatbot created (server dry run)"), "{}", run.err);
    assert!(run.err.contains("namespace todo-chatbot does not exist yet"), "{}", run.err);
    assert!(run.err.contains("nothing was stored"), "{}", run.err);
}

#[tokio::test]
async fn dry_run_on_existing_objects_reports_changes_without_storing() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let before = h.resource_versions();
    h.fake.clear_requests();
    let run = h.apply(&preset_with(&["components.todo-backend.replicas=3"], &[]), &["--dry-run"]).await;
    run.ok();
    assert!(run.err.contains("deployment.apps/todo-backend configured (server dry run)"), "{}", run.err);
    assert!(run.err.contains("service/todo-backend unchanged (server dry run)"), "{}", run.err);
    let sent: Vec<_> = h.fake.requests().into_iter().filter(|r| r.method == "PATCH").collect();
    assert!(!sent.is_empty() && sent.iter().all(|r| r.dry_run), "{sent:?}");
    assert!(h.fake.writes().is_empty(), "{:?}", h.fake.writes());
    assert_eq!(h.resource_versions(), before);
    assert_eq!(h.fake.get("Deployment", NS, "todo-backend").unwrap()["spec"]["replicas"], 1);
}

#[tokio::test]
async fn missing_secret_values_stop_before_anything_is_sent() {
    let h = Harness::start().await;
    // A key of this test only, so the check holds whatever the environment sets.
    let input = preset_with(&[], &[("extra.yaml", "secrets:\n  KUBEPLAY_TEST_ONLY_TOKEN: \"\"\n")]);
    let run = h.apply_exactly(&input, &["--secret", "DATABASE_URL=postgres://db.example/todo"]).await;
    let ClusterError::MissingSecrets { keys } = run.error() else { panic!("{}", run.error()) };
    let mut expected: Vec<&str> = ["BETTER_AUTH_SECRET", "OPENAI_API_KEY"]
        .into_iter()
        .filter(|k| std::env::var(k).map_or(true, |v| v.is_empty()))
        .collect();
    expected.push("KUBEPLAY_TEST_ONLY_TOKEN");
    expected.sort();
    assert_eq!(keys, &expected);
    assert_eq!(run.error().exit_code(), EXIT_NOT_READY);
    assert!(run.error().to_string().contains("--secret KUBEPLAY_TEST_ONLY_TOKEN=VALUE"), "{}", run.error());
    assert!(h.fake.requests().is_empty(), "requests were sent: {:?}", h.fake.requests());
}

#[tokio::test]
async fn secrets_from_an_env_file_and_flags_reach_the_cluster_only() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let env_file = h.dir.join("todo.env");
    std::fs::write(&env_file, "# local secrets\nDATABASE_URL=postgres://db.example/todo\nexport OPENAI_API_KEY=\"sk-test-0123456789\"\nUNRELATED=1\n").unwrap();
    let env_flag = env_file.display().to_string();
    let run = h
        .apply_exactly(
            &preset(),
            &[
                "--secrets-from-env-file",
                &env_flag,
                "--secret",
                "BETTER_AUTH_SECRET=auth-secret-abcdef",
                "--timeout",
                "5s",
            ],
        )
        .await;
    run.ok();
    let secret = h.fake.get("Secret", NS, "todo-chatbot-secrets").unwrap();
    assert_eq!(secret["data"]["DATABASE_URL"], b64("postgres://db.example/todo").as_str());
    assert_eq!(secret["data"]["OPENAI_API_KEY"], b64("sk-test-0123456789").as_str());
    assert_eq!(secret["data"]["BETTER_AUTH_SECRET"], b64("auth-secret-abcdef").as_str());
    assert!(run.err.contains("ignored keys of the secrets file that no Secret declares: UNRELATED"), "{}", run.err);
    assert_no_secret_values(&run.all());
    // Nothing was written next to the inputs.
    let mut files: Vec<String> =
        std::fs::read_dir(&h.dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["kubeconfig", "todo.env"]);
}

#[tokio::test]
async fn conflicts_with_another_manager_stop_unless_forced() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    h.fake.update_as("kubectl-scale", "Deployment", NS, "todo-backend", |d| d["spec"]["replicas"] = json!(3));
    let run = h.apply(&preset(), &[]).await;
    let message = run.error().to_string();
    assert!(message.starts_with("Deployment todo-chatbot/todo-backend: Conflict (409): Apply failed with 1 conflict: conflict with \"kubectl-scale\""), "{message}");
    assert!(message.contains(".spec.replicas") && message.contains("--force-conflicts"), "{message}");
    assert_eq!(h.fake.get("Deployment", NS, "todo-backend").unwrap()["spec"]["replicas"], 3);

    let run = h.apply(&preset(), &["--force-conflicts"]).await;
    run.ok();
    let deployment = h.fake.get("Deployment", NS, "todo-backend").unwrap();
    assert_eq!(deployment["spec"]["replicas"], 1);
    let managers: Vec<&str> = deployment["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["manager"].as_str().unwrap())
        .collect();
    assert!(!managers.contains(&"kubectl-scale"), "{managers:?}");
}

#[tokio::test]
async fn prune_deletes_members_no_longer_in_the_set() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let without_frontend = preset_with(&["components.todo-frontend=null"], &[]);

    let run = h.apply(&without_frontend, &[]).await;
    run.ok();
    assert!(
        run.err.contains("2 object(s) of this set are no longer in the input: deployment.apps/todo-frontend, service/todo-frontend; `kubeplay apply --prune` deletes them"),
        "{}",
        run.err
    );
    assert!(h.fake.get("Deployment", NS, "todo-frontend").is_some());

    let run = h.apply(&without_frontend, &["--prune"]).await;
    run.ok();
    assert!(
        run.err.contains("deployment.apps/todo-frontend pruned") && run.err.contains("service/todo-frontend pruned"),
        "{}",
        run.err
    );
    assert!(h.fake.get("Deployment", NS, "todo-frontend").is_none());
    assert!(h.fake.get("Service", NS, "todo-frontend").is_none());
    assert!(h.fake.get("Deployment", NS, "todo-backend").is_some());
    // Pruning again finds nothing.
    let run = h.apply(&without_frontend, &["--prune"]).await;
    run.ok();
    assert!(!run.err.contains("pruned"), "{}", run.err);
}

#[tokio::test]
async fn prune_in_a_dry_run_deletes_nothing() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    h.fake.clear_requests();
    let run = h.apply(&preset_with(&["components.todo-frontend=null"], &[]), &["--prune", "--dry-run=server"]).await;
    run.ok();
    assert!(run.err.contains("deployment.apps/todo-frontend pruned (server dry run)"), "{}", run.err);
    assert!(h.fake.writes().is_empty(), "{:?}", h.fake.writes());
    assert!(h.fake.get("Deployment", NS, "todo-frontend").is_some());
}

#[tokio::test]
async fn manifests_without_namespace_go_to_the_flag_namespace_and_kinds_are_discovered() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {A: \"1\"}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: manual, labels: {kubernetes.io/service-name: external}}\naddressType: IPv4\nendpoints: []\n";
    let input = manifests(&[("app.yaml", yaml)], "kubeplay");
    let run = h.apply_exactly(&input, &["-n", "default"]).await;
    run.ok();
    assert!(h.fake.get("ConfigMap", "default", "settings").is_some());
    assert!(h.fake.get("EndpointSlice", "default", "manual").is_some());
    assert!(h.fake.get("Secret", "default", "applyset-kubeplay").is_some());
    assert!(run.err.contains("endpointslice.discovery.k8s.io/manual created"), "{}", run.err);

    let run = h
        .apply_exactly(
            &manifests(
                &[("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: other}\n")],
                "kubeplay",
            ),
            &["-n", "default"],
        )
        .await;
    assert!(
        run.error().to_string().contains("says namespace `other`, but --namespace is `default`"),
        "{}",
        run.error()
    );
}

#[tokio::test]
async fn diff_shows_changes_without_noise_and_masks_secrets() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    h.fake.clear_requests();
    let changed = preset_with(&["components.todo-backend.replicas=3"], &[]);
    let run = h.diff(&changed, &["--secret", "DATABASE_URL=postgres://other/todo"]).await;
    assert!(*run.ok());
    let out = &run.out;
    assert!(
        out.contains("--- live/Deployment/todo-chatbot/todo-backend\n+++ merged/Deployment/todo-chatbot/todo-backend"),
        "{out}"
    );
    assert!(out.contains("-  replicas: 1\n+  replicas: 3"), "{out}");
    assert!(out.contains("-  DATABASE_URL: '*** (before)'") && out.contains("+  DATABASE_URL: '*** (after)'"), "{out}");
    assert!(out.contains("   OPENAI_API_KEY: '***'"), "{out}");
    for noise in ["managedFields", "resourceVersion", "creationTimestamp", "uid:", "generation", "status:"] {
        assert!(!out.contains(noise), "`{noise}` in:\n{out}");
    }
    assert_no_secret_values(&run.all());
    assert!(!out.contains("postgres://other/todo") && !out.contains(&b64("postgres://other/todo")));
    assert!(h.fake.writes().is_empty(), "{:?}", h.fake.writes());
}

#[tokio::test]
async fn diff_without_changes_prints_nothing_and_uses_the_live_secret_values() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let run = h.diff(&preset(), &[]).await;
    assert!(!*run.ok(), "{}", run.out);
    assert_eq!(run.out, "");
}

#[tokio::test]
async fn diff_against_a_fresh_cluster_shows_every_object_as_new() {
    let h = Harness::start().await;
    let run = h.diff(&preset(), &SECRET_FLAGS).await;
    assert!(*run.ok());
    assert_eq!(run.out.matches("+++ merged/").count(), 7, "{}", run.out);
    assert!(run.out.contains("+++ merged/Namespace//todo-chatbot"), "{}", run.out);
    assert_no_secret_values(&run.all());
    assert!(h.fake.writes().is_empty());
}

#[tokio::test]
async fn status_draws_the_tree_with_health_pods_and_access() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let run = h.status(&preset()).await;
    assert!(*run.ok(), "{}", run.out);
    let expected = "\
namespace/todo-chatbot  Active
├─ secret/todo-chatbot-secrets  4 keys
├─ configmap/todo-chatbot-config  3 keys
├─ service/todo-backend  ClusterIP, port 8000, 1 ready endpoint
├─ service/todo-frontend  LoadBalancer, port 80, 1 ready endpoint
├─ deployment.apps/todo-backend  1/1 ready [ok]: deployment \"todo-backend\" successfully rolled out
│  └─ pod todo-backend-5d8f7c9b4-0: Running, 1/1 ready, 0 restarts
└─ deployment.apps/todo-frontend  1/1 ready [ok]: deployment \"todo-frontend\" successfully rolled out
   └─ pod todo-frontend-5d8f7c9b4-0: Running, 1/1 ready, 0 restarts
reach it:
  todo-frontend: run `minikube tunnel` in another terminal";
    assert!(run.out.contains(expected), "{}", run.out);
    assert_no_secret_values(&run.all());
}

#[tokio::test]
async fn status_reports_problems_and_is_not_healthy() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::only("todo-backend", |c, d| {
        controllers::stuck(
            c,
            d,
            controllers::waiting(
                "ErrImageNeverPull",
                "Container image \"todo-backend:1.0.0\" is not present with pull policy of Never",
            ),
            controllers::scheduled_not_ready(),
            true,
        )
    }));
    h.apply(&preset(), &["--no-wait"]).await.ok();
    let run = h.status(&preset()).await;
    assert!(!*run.ok());
    assert!(run.out.contains("deployment.apps/todo-backend  0/1 ready [rolling out]"), "{}", run.out);
    assert!(
        run.out.contains("problems:\n  error[ErrImageNeverPull] Pod todo-backend-5d8f7c9b4-0, container todo-backend"),
        "{}",
        run.out
    );
    assert!(run.out.contains("fix: minikube image load todo-backend:1.0.0"), "{}", run.out);
}

#[tokio::test]
async fn status_of_a_release_never_applied_says_so() {
    let h = Harness::start().await;
    let run = h.status(&preset()).await;
    let message = run.error().to_string();
    assert!(message.starts_with("release `todo-chatbot` is not on context `fake`"), "{message}");
}

#[tokio::test]
async fn delete_removes_the_set_in_uninstall_order_namespace_last() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    h.fake.clear_requests();
    let run = h.delete(&preset(), &[]).await;
    run.ok();
    let deletes: Vec<String> = h
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .map(|r| r.path.rsplit_once("/v1/").unwrap().1.to_string())
        .collect();
    assert_eq!(
        deletes,
        [
            "namespaces/todo-chatbot/deployments/todo-backend",
            "namespaces/todo-chatbot/deployments/todo-frontend",
            "namespaces/todo-chatbot/services/todo-backend",
            "namespaces/todo-chatbot/services/todo-frontend",
            "namespaces/todo-chatbot/configmaps/todo-chatbot-config",
            "namespaces/todo-chatbot/secrets/todo-chatbot-secrets",
            "namespaces/todo-chatbot/secrets/applyset-todo-chatbot",
            "namespaces/todo-chatbot",
        ]
    );
    assert!(h.fake.get("Namespace", "", NS).is_none());
    assert!(h.fake.list("Pod").is_empty());
    assert!(run.err.ends_with("deleted\n"), "{}", run.err);
    // Deleting again is not an error: there is nothing left.
    let run = h.delete(&preset(), &[]).await;
    run.ok();
    assert!(run.err.contains("nothing to delete"), "{}", run.err);
}

#[tokio::test]
async fn delete_can_keep_the_namespace() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let run = h.delete(&preset(), &["--keep-namespace"]).await;
    run.ok();
    assert!(h.fake.get("Namespace", "", NS).is_some());
    assert!(h.fake.get("Deployment", NS, "todo-backend").is_none());
    assert!(h.fake.get("Secret", NS, "applyset-todo-chatbot").is_none());
    assert!(run.err.contains("namespace/todo-chatbot kept (--keep-namespace)"), "{}", run.err);
}

#[tokio::test]
async fn delete_keeps_claims_and_their_namespace_unless_asked() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply_exactly(&workloads(), &["--timeout", "10s"]).await.ok();
    let run = h.delete(&workloads(), &[]).await;
    run.ok();
    assert!(h.fake.get("PersistentVolumeClaim", "shop", "cache-data").is_some());
    assert!(h.fake.get("Namespace", "", "shop").is_some());
    assert!(h.fake.get("StatefulSet", "shop", "db").is_none());
    assert!(
        run.err.contains("persistentvolumeclaim/cache-data kept: its data stays (--delete-volumes deletes it)"),
        "{}",
        run.err
    );
    assert!(run.err.contains("namespace/shop kept: it holds the kept claims"), "{}", run.err);
}

/// The claim the StatefulSet controller makes for pod `db-0` of the fixture's `data` template.
fn stateful_claim() -> Value {
    json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data-db-0", "namespace": "shop", "labels": {"app": "db"}},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    })
}

#[tokio::test]
async fn delete_keeps_the_claims_a_statefulset_made_and_their_namespace_unless_asked() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply_exactly(&workloads(), &["--timeout", "10s"]).await.ok();
    h.fake.put(stateful_claim());
    // Not made from the template of this StatefulSet: not the set's to keep or delete.
    h.fake.put(json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data-dbx-0", "namespace": "shop"}}));
    let run = h.delete(&workloads(), &[]).await;
    run.ok();
    assert!(h.fake.get("StatefulSet", "shop", "db").is_none());
    assert!(h.fake.get("PersistentVolumeClaim", "shop", "data-db-0").is_some());
    assert!(h.fake.get("Namespace", "", "shop").is_some(), "the namespace holds the claim's data");
    assert!(
        run.err.contains("persistentvolumeclaim/data-db-0 kept: its data stays (--delete-volumes deletes it)"),
        "{}",
        run.err
    );
    assert!(!run.err.contains("data-dbx-0"), "{}", run.err);

    h.apply_exactly(&workloads(), &["--timeout", "10s"]).await.ok();
    let run = h.delete(&workloads(), &["--delete-volumes"]).await;
    run.ok();
    assert!(h.fake.get("PersistentVolumeClaim", "shop", "data-db-0").is_none());
    assert!(run.err.contains("persistentvolumeclaim/data-db-0 deleted"), "{}", run.err);
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let h = Harness::start().await;
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dir = temp_dir();
    let kubeconfig = fake_api::write_kubeconfig(&dir, &format!("http://127.0.0.1:{port}"), "t");
    let run = h
        .apply_exactly(&preset(), &[&SECRET_FLAGS[..], &["--kubeconfig", &kubeconfig.display().to_string()]].concat())
        .await;
    let message = run.error().to_string();
    assert!(
        message.starts_with(&format!("cannot reach the cluster of context `fake` at http://127.0.0.1:{port}")),
        "{message}"
    );
    assert!(message.to_lowercase().contains("connection refused"), "{message}");
    assert!(!message.contains('\n'));
    assert_eq!(run.error().exit_code(), EXIT_CANNOT_RUN);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn expired_credentials_are_unauthorized() {
    let h = Harness::start().await;
    h.fake.require_token("fresh-token");
    let run = h.apply(&preset(), &[]).await;
    let message = run.error().to_string();
    assert!(message.contains("refused the credentials of context `fake` (401 Unauthorized)"), "{message}");
    assert_eq!(run.error().exit_code(), EXIT_CANNOT_RUN);
    assert!(h.fake.writes().is_empty());
}

#[tokio::test]
async fn forbidden_names_the_refusal() {
    let h = Harness::start().await;
    h.fake.forbid_all();
    let run = h.apply(&preset(), &[]).await;
    let message = run.error().to_string();
    assert!(message.contains(": forbidden (403) for the user of context `fake`: GET /api/v1/namespaces/todo-chatbot/secrets/todo-chatbot-secrets is forbidden"), "{message}");
    assert_eq!(run.error().exit_code(), EXIT_CANNOT_RUN);
}

#[tokio::test]
async fn an_unknown_context_lists_the_known_ones() {
    let h = Harness::start().await;
    let run = h.apply(&preset(), &["--context", "minikube"]).await;
    assert_eq!(run.error().to_string(), "kubeconfig: there is no context `minikube` in the kubeconfig (it has: fake)");
    let run =
        h.apply_exactly(&preset(), &[&SECRET_FLAGS[..], &["--kubeconfig", "/nonexistent/kubeconfig"]].concat()).await;
    assert!(run.error().to_string().starts_with("kubeconfig: cannot read /nonexistent/kubeconfig"), "{}", run.error());
    assert!(h.fake.requests().is_empty());
}

#[tokio::test]
async fn minikube_images_missing_from_the_node_are_warned_about() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.fake.put(fake_api::minikube_node(&["docker.io/library/todo-backend:1.0.0", "registry.k8s.io/pause:3.10"]));
    let run = h.apply(&preset(), &[]).await;
    run.ok();
    assert!(!run.err.contains("`todo-backend:1.0.0` is not among"), "{}", run.err);
    assert!(run.err.contains("warning: `todo-frontend:1.0.0` is not among the node's images"), "{}", run.err);
    assert!(run.err.contains("fix: minikube image load todo-frontend:1.0.0"), "{}", run.err);
}

#[tokio::test]
async fn other_clusters_get_no_minikube_advice() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.fake.cluster().remove("Node", "", "minikube");
    h.fake.put(fake_api::plain_node("worker-1"));
    let run = h.apply(&preset(), &[]).await;
    run.ok();
    assert!(!run.err.contains("minikube"), "{}", run.err);
    assert!(
        run.err.contains("todo-frontend: reach it with `kubectl port-forward -n todo-chatbot svc/todo-frontend"),
        "{}",
        run.err
    );
}

#[tokio::test]
async fn status_codes_of_the_fake_follow_the_api() {
    // Guards the fake itself: what kubeplay relies on must hold.
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let deployment: Value = h.fake.get("Deployment", NS, "todo-backend").unwrap();
    assert_eq!(deployment["metadata"]["generation"], 1);
    assert_eq!(deployment["status"]["observedGeneration"], 1);
    assert_eq!(deployment["spec"]["progressDeadlineSeconds"], 600);
    let service = h.fake.get("Service", NS, "todo-backend").unwrap();
    assert!(service["spec"]["clusterIP"].as_str().unwrap().starts_with("10.96."));
}

#[tokio::test]
async fn an_interrupted_apply_converges_when_run_again() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    // The Namespace, the parent and the Secret get through; then the cluster fails.
    h.fake.fail_writes_after(Some(3));
    let run = h.apply(&preset(), &[]).await;
    let message = run.error().to_string();
    assert!(
        message.starts_with(
            "apply ConfigMap todo-chatbot/todo-chatbot-config: the API server failed: InternalError (500): etcdserver: request timed out"
        ),
        "{message}"
    );
    // A 500 is cluster trouble (README: exit 2), not a refused object.
    assert_eq!(run.error().exit_code(), EXIT_CANNOT_RUN);
    assert!(h.fake.get("Secret", NS, "todo-chatbot-secrets").is_some());
    assert!(h.fake.get("Deployment", NS, "todo-backend").is_none());

    h.fake.fail_writes_after(None);
    let run = h.apply(&preset(), &[]).await;
    run.ok();
    assert!(run.err.contains("secret/todo-chatbot-secrets unchanged"), "{}", run.err);
    assert!(run.err.contains("configmap/todo-chatbot-config created"), "{}", run.err);
    assert_eq!(h.resource_versions().len(), 8);
    let settled = h.resource_versions();
    h.apply(&preset(), &[]).await.ok();
    assert_eq!(h.resource_versions(), settled);
}

#[tokio::test]
async fn predicted_failures_are_warned_about_before_sending() {
    let h = Harness::start().await;
    let yaml = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env: [{name: MODE, valueFrom: {configMapKeyRef: {name: web-config, key: MODE}}}]
";
    // `kubeplay validate` reports the missing ConfigMap; apply repeats core's prediction.
    let run = h.apply_exactly(&manifests_unchecked(&[("web.yaml", yaml)], "web"), &["--no-wait"]).await;
    run.ok();
    assert!(
        run.err.contains("warning: deployment web, container web will fail at \"Environment from ConfigMaps and Secrets\": the pod will fail: ConfigMap `web-config` does not exist"),
        "{}",
        run.err
    );
    assert!(run.err.contains("  fix: create it (`kubectl create configmap web-config -n default"), "{}", run.err);
}

// ---- every workload kind, against the FAKE API server ---------------------------------------
// The fake's controllers (tests/fake_api/controllers.rs) script what the StatefulSet, DaemonSet
// and Job controllers and the kubelet would do; they are stand-ins, not Kubernetes.

/// The request paths of the set's PATCHes, without the common prefix of namespaced objects.
fn short_patches(h: &Harness) -> Vec<String> {
    patches(h).into_iter().map(|p| p.replace("/namespaces/shop/", " ")).collect()
}

#[tokio::test]
async fn every_workload_kind_is_applied_in_helms_install_order() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let run = h.apply_exactly(&workloads(), &["--no-wait-jobs", "--timeout", "10s"]).await;
    run.ok();
    assert_eq!(
        short_patches(&h),
        [
            "/api/v1/namespaces/shop",
            "/api/v1 secrets/applyset-shop",
            "/apis/policy/v1 poddisruptionbudgets/web",
            "/api/v1 serviceaccounts/db",
            "/api/v1 persistentvolumeclaims/cache-data",
            "/api/v1 services/db",
            "/apis/apps/v1 daemonsets/log-agent",
            "/apis/apps/v1 deployments/web",
            "/apis/autoscaling/v2 horizontalpodautoscalers/web",
            "/apis/apps/v1 statefulsets/db",
            "/apis/batch/v1 jobs/migrate",
            "/apis/batch/v1 cronjobs/nightly",
        ]
    );
    // What the order is for: the ServiceAccount and the claim exist before any pod needs them,
    // and the autoscaler's target exists before the autoscaler.
    let at = |part: &str| short_patches(&h).iter().position(|p| p.contains(part)).unwrap();
    for workload in ["daemonsets/", "deployments/", "statefulsets/", "jobs/", "cronjobs/"] {
        assert!(at("serviceaccounts/db") < at(workload) && at("persistentvolumeclaims/") < at(workload), "{workload}");
    }
    assert!(at("deployments/web") < at("horizontalpodautoscalers/web"));
    // Every kind was known without asking the cluster's discovery.
    let is_discovery = |path: &str| {
        ["/api", "/api/v1", "/apis"].contains(&path) || (path.starts_with("/apis/") && path.split('/').count() == 4)
    };
    let discovery: Vec<_> = h.fake.requests().into_iter().filter(|r| is_discovery(&r.path)).collect();
    assert!(discovery.is_empty(), "{discovery:?}");
    let parent = h.fake.get("Secret", WORKLOADS_NS, "applyset-shop").unwrap();
    assert_eq!(
        parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"],
        "CronJob.batch,DaemonSet.apps,Deployment.apps,HorizontalPodAutoscaler.autoscaling,Job.batch,Namespace,PersistentVolumeClaim,PodDisruptionBudget.policy,Service,ServiceAccount,StatefulSet.apps"
    );
    for line in [
        "serviceaccount/db created",
        "persistentvolumeclaim/cache-data created",
        "statefulset.apps/db created",
        "daemonset.apps/log-agent created",
        "horizontalpodautoscaler.autoscaling/web created",
        "poddisruptionbudget.policy/web created",
        "job.batch/migrate created",
        "cronjob.batch/nightly created",
        "not waiting for 1 job to complete (--no-wait-jobs)",
        "all deployments, statefulsets and daemonsets are ready",
    ] {
        assert!(run.err.contains(line), "missing `{line}` in:\n{}", run.err);
    }
}

#[tokio::test]
async fn a_second_apply_of_every_kind_changes_nothing() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply_exactly(&workloads(), &["--timeout", "10s"]).await.ok();
    let run = h.apply_exactly(&workloads(), &["--timeout", "10s"]).await;
    run.ok();
    // The server's defaults (a Job's selector, update strategies) are not changes.
    assert_eq!(run.err.matches(" unchanged").count(), 11, "{}", run.err);
}

#[tokio::test]
async fn an_autoscaling_v1_autoscaler_is_sent_to_its_own_version() {
    let h = Harness::start().await;
    let yaml = "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: default}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 3\n  targetCPUUtilizationPercentage: 80\n";
    let input = manifests_unchecked(&[("hpa.yaml", yaml)], "hpa");
    let run = h.apply_exactly(&input, &["--no-wait"]).await;
    run.ok();
    assert!(patches(&h).contains(&"/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web".to_string()));
    assert_eq!(h.fake.get("HorizontalPodAutoscaler", "default", "web").unwrap()["apiVersion"], "autoscaling/v1");
    // The parent lists it by group and kind; status finds it again through the preferred version.
    let run = h.status(&input).await;
    assert!(
        run.out.contains("horizontalpodautoscaler.autoscaling/web  scales Deployment/web between 1 and 3 replicas"),
        "{}",
        run.out
    );
}

#[tokio::test]
async fn status_shows_every_workload_kind_with_its_pods() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply_exactly(&workloads(), &["--timeout", "10s"]).await.ok();
    let run = h.status(&workloads()).await;
    assert!(*run.ok(), "{}", run.out);
    let expected = "\
namespace/shop  Active
├─ poddisruptionbudget.policy/web  present
├─ serviceaccount/db  present
├─ persistentvolumeclaim/cache-data  Bound, 1Gi
├─ service/db  ClusterIP, port 5432, 2 ready endpoints
├─ daemonset.apps/log-agent  1/1 ready [ok]: daemon set \"log-agent\" successfully rolled out
│  └─ pod log-agent-minikube: Running, 1/1 ready, 0 restarts
├─ deployment.apps/web  2/2 ready [ok]: deployment \"web\" successfully rolled out
│  ├─ pod web-5d8f7c9b4-0: Running, 1/1 ready, 0 restarts
│  └─ pod web-5d8f7c9b4-1: Running, 1/1 ready, 0 restarts
├─ horizontalpodautoscaler.autoscaling/web  scales Deployment/web between 2 and 5 replicas
├─ statefulset.apps/db  2/2 ready [ok]: statefulset \"db\": statefulset rolling update complete 2 pods at revision db-5d8f7c9b4...
│  ├─ pod db-0: Running, 1/1 ready, 0 restarts
│  └─ pod db-1: Running, 1/1 ready, 0 restarts
├─ job.batch/migrate  1/1 succeeded [complete]: job \"migrate\" completed
│  └─ pod migrate-5d8f0: Succeeded, 0/1 ready, 0 restarts
└─ cronjob.batch/nightly  schedule \"0 3 * * *\"
";
    assert!(run.out.contains(expected), "{}", run.out);
}

#[tokio::test]
async fn status_of_a_failed_job_is_not_healthy() {
    let h = Harness::start().await;
    h.fake.set_controller(
        |c, w| if w["kind"] == "Job" { controllers::job_failed(c, w) } else { controllers::healthy(c, w) },
    );
    h.apply_exactly(&workloads(), &["--no-wait-jobs", "--timeout", "10s"]).await.ok();
    let run = h.status(&workloads()).await;
    assert!(!*run.ok(), "{}", run.out);
    assert!(
        run.out.contains("job.batch/migrate  0/1 succeeded [failed]: job \"migrate\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit"),
        "{}",
        run.out
    );
}

#[tokio::test]
async fn delete_removes_every_kind_in_uninstall_order_and_their_pods() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply_exactly(&workloads(), &["--timeout", "10s"]).await.ok();
    assert!(!h.fake.list("Pod").is_empty());
    h.fake.clear_requests();
    let run = h.delete(&workloads(), &["--delete-volumes"]).await;
    run.ok();
    let deletes: Vec<String> = h
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .map(|r| r.path.rsplit_once("/v1/").or(r.path.rsplit_once("/v2/")).unwrap().1.replace("namespaces/shop/", ""))
        .collect();
    assert_eq!(
        deletes,
        [
            "cronjobs/nightly",
            "jobs/migrate",
            "statefulsets/db",
            "horizontalpodautoscalers/web",
            "deployments/web",
            "daemonsets/log-agent",
            "services/db",
            "persistentvolumeclaims/cache-data",
            "serviceaccounts/db",
            "poddisruptionbudgets/web",
            "secrets/applyset-shop",
            "namespaces/shop",
        ]
    );
    assert!(h.fake.list("Pod").is_empty(), "{:?}", h.fake.list("Pod"));
    assert!(h.fake.list("StatefulSet").is_empty() && h.fake.list("Job").is_empty());
    assert!(run.err.ends_with("deleted\n"), "{}", run.err);
}

/// The pod template's `checksum/secret` of a Deployment of the fake.
fn secret_checksum(h: &Harness, deployment: &str) -> String {
    let d = h.fake.get("Deployment", NS, deployment).unwrap();
    d["spec"]["template"]["metadata"]["annotations"]["checksum/secret"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_secret_checksum_is_keyed_by_a_key_kept_in_the_secret_and_rolls_on_a_change_only() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    let secret = h.fake.get("Secret", NS, "todo-chatbot-secrets").unwrap();
    let key = secret["data"][kubeplay_core::render::CHECKSUM_KEY].as_str().expect("a key is stored").to_string();
    let decoded = base64::engine::general_purpose::STANDARD.decode(&key).unwrap();
    assert_eq!(decoded.len(), 64, "32 random bytes in hex");
    // A reader of the Deployment cannot test a guess with the unkeyed hash.
    let values: std::collections::BTreeMap<String, String> = SECRET_FLAGS
        .iter()
        .skip(1)
        .step_by(2)
        .map(|f| f.split_once('=').unwrap())
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    let first = secret_checksum(&h, "todo-backend");
    assert_ne!(first, kubeplay_core::render::checksum(&values));
    // Applied again: the same key, so nothing rolls; a changed value rolls the pods.
    let run = h.apply(&preset(), &[]).await;
    assert!(run.err.contains("deployment.apps/todo-backend unchanged"), "{}", run.err);
    let changed =
        [&SECRET_FLAGS[..4], &["--secret", "BETTER_AUTH_SECRET=another-long-secret", "--timeout", "5s"]].concat();
    h.apply_exactly(&preset(), &changed).await.ok();
    assert_ne!(secret_checksum(&h, "todo-backend"), first);
    let kept = h.fake.get("Secret", NS, "todo-chatbot-secrets").unwrap();
    assert_eq!(kept["data"][kubeplay_core::render::CHECKSUM_KEY], key.as_str(), "the key is kept");
}

#[tokio::test]
async fn network_policies_are_applied_right_after_the_namespace_and_deleted_with_the_release() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let isolated = "networkPolicy: {}\ncomponents:\n  todo-backend:\n    allowFrom: {components: [todo-frontend]}\n  todo-frontend:\n    allowFrom: {anywhere: true}\n";
    let input = preset_with(&[], &[("isolated.yaml", isolated)]);
    h.apply(&input, &[]).await.ok();
    let sent = patches(&h);
    let policies = "/apis/networking.k8s.io/v1/namespaces/todo-chatbot/networkpolicies";
    // Helm's install order: the Namespace (and the apply set's parent), then its policies,
    // before anything runs.
    assert_eq!(
        sent[..5],
        [
            "/api/v1/namespaces/todo-chatbot".to_string(),
            "/api/v1/namespaces/todo-chatbot/secrets/applyset-todo-chatbot".to_string(),
            format!("{policies}/todo-chatbot-default-deny"),
            format!("{policies}/todo-backend"),
            format!("{policies}/todo-frontend"),
        ]
    );
    let backend = h.fake.get("NetworkPolicy", NS, "todo-backend").expect("stored");
    assert_eq!(
        backend["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/component"],
        "todo-frontend"
    );
    h.delete(&input, &[]).await.ok();
    assert!(h.fake.get("NetworkPolicy", NS, "todo-chatbot-default-deny").is_none());
}

// ---- Helm hooks: a setup Job before the release ---------------------------------------------

/// A migration Job run before the release (`hook: true`), reading a secret like the backend.
const SETUP_JOB: &str = "components:\n  migrate:\n    kind: Job\n    hook: true\n    backoffLimit: 1\n    image: {repository: todo-backend, tag: \"1.0.0\", pullPolicy: Never}\n    command: [alembic, upgrade, head]\n    secretKeys: [DATABASE_URL]\n";

fn position(text: &str, line: &str) -> usize {
    text.find(line).unwrap_or_else(|| panic!("no `{line}` in:\n{text}"))
}

#[tokio::test]
async fn a_setup_job_runs_before_the_release_and_the_release_follows_once_it_completes() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let run = h.apply(&preset_with(&[], &[("setup.yaml", SETUP_JOB)]), &[]).await;
    run.ok();
    let base = "/api/v1/namespaces/todo-chatbot";
    assert_eq!(
        patches(&h),
        [
            base.to_string(),
            format!("{base}/secrets/applyset-todo-chatbot"),
            // The hooks, lowest weight first: a copy of the secret the Job reads, then the Job.
            format!("{base}/secrets/todo-chatbot-setup-secrets"),
            "/apis/batch/v1/namespaces/todo-chatbot/jobs/migrate".to_string(),
            // Then the release's own objects.
            format!("{base}/secrets/todo-chatbot-secrets"),
            format!("{base}/configmaps/todo-chatbot-config"),
            format!("{base}/services/todo-backend"),
            format!("{base}/services/todo-frontend"),
            "/apis/apps/v1/namespaces/todo-chatbot/deployments/todo-backend".to_string(),
            "/apis/apps/v1/namespaces/todo-chatbot/deployments/todo-frontend".to_string(),
        ]
    );
    let out = run.all();
    assert!(position(&out, "job \"migrate\" completed") < position(&out, "service/todo-backend created"), "{out}");
    assert_no_secret_values(&out);
}

#[tokio::test]
async fn a_failed_setup_job_shows_its_logs_and_nothing_after_it_is_applied() {
    let h = Harness::start().await;
    h.fake.set_controller(
        |c, w| if w["kind"] == "Job" { controllers::job_failed(c, w) } else { controllers::healthy(c, w) },
    );
    for run in 0..2 {
        let log = format!("alembic: run {run}\nsqlalchemy.exc.OperationalError: could not connect to server\n");
        h.fake.set_logs(NS, &controllers::job_pod("migrate", run), false, &log);
    }
    let run = h.apply(&preset_with(&[], &[("setup.yaml", SETUP_JOB)]), &["--timeout", "30s"]).await;
    let e = run.error();
    assert_eq!(e.exit_code(), EXIT_NOT_READY);
    assert!(e.to_string().starts_with("hook job.batch/migrate did not complete, so nothing after it was applied: stopped waiting: job \"migrate\" failed: BackoffLimitExceeded"), "{e}");
    let out = run.all();
    for line in [
        "log of pod migrate-5d8f1, container migrate (last 20 lines):",
        "  sqlalchemy.exc.OperationalError: could not connect to server",
    ] {
        position(&out, line);
    }
    let sent = patches(&h);
    assert!(sent.last().is_some_and(|p| p.ends_with("/jobs/migrate")), "{sent:?}");
    assert!(h.fake.list("Deployment").is_empty() && h.fake.get("Service", NS, "todo-backend").is_none());
}

#[tokio::test]
async fn the_setup_job_of_the_last_apply_is_deleted_before_it_runs_again() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let input = preset_with(&[], &[("setup.yaml", SETUP_JOB)]);
    h.apply(&input, &[]).await.ok();
    let first = h.fake.get("Job", NS, "migrate").expect("the Job ran")["metadata"]["uid"].clone();
    h.fake.clear_requests();
    let run = h.apply(&input, &[]).await;
    run.ok();
    let writes: Vec<(String, String)> =
        h.fake.writes().into_iter().filter(|r| r.path.ends_with("/jobs/migrate")).map(|r| (r.method, r.path)).collect();
    let job = "/apis/batch/v1/namespaces/todo-chatbot/jobs/migrate".to_string();
    assert_eq!(writes, [("DELETE".to_string(), job.clone()), ("PATCH".to_string(), job)]);
    assert_ne!(h.fake.get("Job", NS, "migrate").unwrap()["metadata"]["uid"], first, "a new Job ran");
    position(
        &run.all(),
        "job.batch/migrate deleted: the hook's last run (helm.sh/hook-delete-policy: before-hook-creation)",
    );
}

#[tokio::test]
async fn hooks_of_other_steps_are_not_applied() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let test_pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-test\n  namespace: shop\n  annotations: {\"helm.sh/hook\": test}\nspec:\n  restartPolicy: Never\n  containers: [{name: t, image: \"busybox:1.36\", command: [wget, web]}]\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
    let run = h.apply_exactly(&manifests(&[("chart.yaml", test_pod)], "shop"), &["--timeout", "5s"]).await;
    run.ok();
    assert!(h.fake.get("Pod", "shop", "web-test").is_none());
    position(&run.all(), "pod/web-test not applied: a Helm hook of other steps (helm.sh/hook: test) than this install");
}

#[tokio::test]
async fn the_local_presets_migration_runs_after_its_database_on_install_and_first_on_upgrade() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let input = preset_named(Some("todo-chatbot-local"), &[], &[]);
    let flags = [
        "--secret",
        "POSTGRES_PASSWORD=pg-test-password",
        "--secret",
        "OPENAI_API_KEY=sk-test-0123456789",
        "--secret",
        "BETTER_AUTH_SECRET=auth-secret-abcdef",
        "--timeout",
        "10s",
    ];
    let run = h.apply_exactly(&input, &flags).await;
    run.ok();
    let out = run.all();
    // The install: Postgres is made and ready, then the migration runs and completes.
    assert!(
        position(&out, "all deployments and statefulsets are ready") < position(&out, "job.batch/todo-migrate created"),
        "{out}"
    );
    position(&out, "job \"todo-migrate\" completed");
    assert_no_secret_values(&out);
    assert!(!out.contains("pg-test-password"), "{out}");
    // An upgrade: the migration runs first (its last run deleted), the release follows.
    let run = h.apply_exactly(&input, &flags).await;
    run.ok();
    let out = run.all();
    let completed = position(&out, "job \"todo-migrate\" completed");
    assert!(position(&out, "job.batch/todo-migrate deleted: the hook's last run") < completed, "{out}");
    assert!(completed < position(&out, "statefulset.apps/todo-postgres"), "{out}");
}

/// A chart's output: a Deployment and a post-install Job deleted once it succeeded.
const POST_INSTALL: &str = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: \"nginx:1.27\"}]}\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: seed\n  namespace: shop\n  annotations: {\"helm.sh/hook\": post-install, \"helm.sh/hook-delete-policy\": hook-succeeded}\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: seed, image: \"seed:1.0\", command: [seed]}]\n";

#[tokio::test]
async fn a_post_install_hook_runs_once_the_release_is_ready_and_goes_when_it_succeeded() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let run = h.apply_exactly(&manifests(&[("chart.yaml", POST_INSTALL)], "shop"), &["--timeout", "10s"]).await;
    run.ok();
    let out = run.all();
    assert!(position(&out, "all deployments are ready") < position(&out, "job.batch/seed created"), "{out}");
    position(&out, "job \"seed\" completed");
    position(&out, "job.batch/seed deleted: the hooks succeeded (helm.sh/hook-delete-policy: hook-succeeded)");
    assert!(h.fake.get("Job", "shop", "seed").is_none());
    // An upgrade: a post-install hook is not the upgrade's.
    let run = h.apply_exactly(&manifests(&[("chart.yaml", POST_INSTALL)], "shop"), &["--timeout", "10s"]).await;
    run.ok();
    position(
        &run.all(),
        "job.batch/seed not applied: a Helm hook of other steps (helm.sh/hook: post-install) than this upgrade",
    );
}

#[tokio::test]
async fn a_dry_run_does_not_compare_a_setup_job_with_its_last_run() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset_with(&[], &[("setup.yaml", SETUP_JOB)]), &[]).await.ok();
    // A new image: the Job's pod template, which no update may change, differs.
    let upgraded = SETUP_JOB.replace("tag: \"1.0.0\"", "tag: \"1.1.0\"");
    h.fake.clear_requests();
    let run = h.apply(&preset_with(&[], &[("setup.yaml", upgraded.as_str())]), &["--dry-run=server"]).await;
    run.ok();
    position(&run.all(), "job.batch/migrate replaced (server dry run skipped: the last run is deleted first");
    assert!(h.fake.writes().iter().all(|w| !w.path.ends_with("/jobs/migrate")), "nothing written to the Job");
    // And for real: no refusal, the last run goes and the new one runs.
    let run = h.apply(&preset_with(&[], &[("setup.yaml", upgraded.as_str())]), &[]).await;
    run.ok();
    let job = h.fake.get("Job", NS, "migrate").unwrap();
    assert_eq!(job["spec"]["template"]["spec"]["containers"][0]["image"], "todo-backend:1.1.0");
}

#[tokio::test]
async fn claims_a_statefulset_deletes_itself_are_said_to_go_with_it() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply_exactly(&workloads(), &["--timeout", "10s"]).await.ok();
    h.fake.put(stateful_claim());
    h.fake.update_as("kubectl", "StatefulSet", "shop", "db", |set| {
        set["spec"]["persistentVolumeClaimRetentionPolicy"] = json!({"whenDeleted": "Delete", "whenScaled": "Retain"});
    });
    let run = h.delete(&workloads(), &["--delete-volumes"]).await;
    run.ok();
    assert!(
        run.err.contains("persistentvolumeclaim/data-db-0 goes with statefulset.apps/db (its persistentVolumeClaimRetentionPolicy.whenDeleted is Delete)"),
        "{}",
        run.err
    );
}

#[tokio::test]
async fn after_the_rollout_apply_says_how_to_reach_each_ingress_route() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let ingress =
        "ingress:\n  hosts:\n    - host: todo.local\n      paths:\n        - {path: /, component: todo-frontend}\n";
    let run = h.apply(&preset_with(&[], &[("ingress.yaml", ingress)]), &[]).await;
    run.ok();
    let out = run.all();
    assert!(
        position(&out, "reach it:")
            < position(&out, "Ingress `todo-chatbot` routes http://todo.local/ to Service `todo-frontend`"),
        "{out}"
    );
    // The fake's node is Minikube's: the route comes with how to reach it there.
    assert!(
        out.contains("run `minikube addons enable ingress` once, add the line `$(minikube ip) todo.local` to /etc/hosts, then open http://todo.local/"),
        "{out}"
    );
}
