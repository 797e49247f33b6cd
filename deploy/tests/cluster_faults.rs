//! The cluster verbs against an API server that misbehaves on cue (tests/fake_api/faults.rs: a
//! FAKE server, not a real cluster):
//!
//! - every fault on every verb (apply, diff, status, delete): one line naming the cause and the
//!   object, exit 2 for cluster trouble (1 for an object refused: 409, 422), retries only where
//!   they are safe, said once;
//! - an apply interrupted at each of its requests converges when run again, and the run after is
//!   all `unchanged`; nothing the set does not own is pruned;
//! - no secret value is printed on any channel, faults included (a webhook quoting the request);
//! - Ctrl-C (SIGINT to the real binary) stops at once, says what is applied, exits 130.
//!
//! Runs that wait (retries, slow answers) go at once on this thread ([`all_at_once`]).

#[allow(dead_code)]
#[path = "../src/cluster/mod.rs"]
mod cluster;
mod fake_api;

use cluster::errors::{EXIT_CANNOT_RUN, EXIT_NOT_READY};
use fake_api::controllers;
use fake_api::faults::{Fault, Rule};
use fake_api::harness::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn notes(err: &str) -> usize {
    err.lines().filter(|l| l.starts_with("note:") && l.contains("retrying")).count()
}

#[tokio::test]
async fn a_503_that_lasts_ends_in_one_line_and_exit_2_within_the_retry_budget() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.fake.fault(Rule::from(0, Fault::unavailable()).method("PATCH"));
    let started = Instant::now();
    let run = h.apply(&preset(), &[]).await;
    assert_eq!(run.error().exit_code(), EXIT_CANNOT_RUN, "{}", run.all());
    assert!(started.elapsed() < Duration::from_secs(25), "took {:?}", started.elapsed());
    assert!(run.error().to_string().contains("503"), "{}", run.error());
    assert_eq!(notes(&run.err), 1, "one note for the retried request, not one per try:\n{}", run.err);
}

#[tokio::test]
async fn a_short_503_or_a_429_is_retried_and_the_apply_succeeds() {
    for fault in [Fault::unavailable(), Fault::too_many_requests(1)] {
        let h = Harness::start().await;
        h.fake.set_controller(controllers::healthy);
        h.fake.fault(Rule::from(0, fault.clone()).method("PATCH").times(2));
        let run = h.apply(&preset(), &[]).await;
        run.ok();
        assert!(notes(&run.err) >= 1, "{fault:?}: the retry is said:\n{}", run.err);
    }
}

#[tokio::test]
async fn a_500_is_not_retried_and_exits_2() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.fake.fault(Rule::from(0, Fault::internal()).method("PATCH"));
    let run = h.apply(&preset(), &[]).await;
    assert_eq!(run.error().exit_code(), EXIT_CANNOT_RUN);
    assert_eq!(notes(&run.err), 0, "{}", run.err);
    let patches = h.fake.requests().into_iter().filter(|r| r.method == "PATCH").count();
    assert_eq!(patches, 1, "the failed write is not sent again");
}

#[tokio::test]
async fn an_answer_slower_than_the_request_timeout_exits_2() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.fake.fault(Rule::from(0, Fault::Slow(Duration::from_secs(5))).method("PATCH"));
    let started = Instant::now();
    let run = h.apply(&preset(), &["--request-timeout", "1s"]).await;
    assert_eq!(run.error().exit_code(), EXIT_CANNOT_RUN, "{}", run.all());
    assert!(started.elapsed() < Duration::from_secs(4), "took {:?}", started.elapsed());
}

/// A cluster verb, run on a cluster where the preset is applied (apply: on an empty one).
#[derive(Debug, Clone, Copy)]
enum Verb {
    Apply,
    Diff,
    Status,
    Delete,
}

impl Verb {
    /// The requests its faults hit, (method, part of the path): each kind of request the verb
    /// sends about Deployments.
    fn targets(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Verb::Apply => &[("PATCH", "/deployments/"), ("GET", "/deployments/")],
            Verb::Diff => &[("GET", "/deployments/"), ("PATCH", "/deployments/")],
            // The list of the set's members, then the look at one.
            Verb::Status => &[("GET", "/deployments"), ("GET", "/deployments/todo-backend")],
            // The deletion, then the wait for it to go.
            Verb::Delete => &[("DELETE", "/deployments/"), ("GET", "/deployments/")],
        }
    }

    /// A fake on which the verb has something to do: the preset applied with `secrets` (apply:
    /// an empty one).
    async fn prepared(self, secrets: &[&str]) -> Harness {
        let h = Harness::start().await;
        h.fake.set_controller(controllers::healthy);
        if !matches!(self, Verb::Apply) {
            h.apply_exactly(&preset(), &[secrets, &["--timeout", "5s"]].concat()).await.ok();
        }
        h
    }

    /// (exit status, stderr, stdout, the error's one line); apply and diff are given `secrets`.
    async fn run(self, h: &Harness, secrets: &[&str], extra: &[&str]) -> (u8, String, String, String) {
        let input = preset();
        let (exit, err, out, error) = match self {
            Verb::Apply => {
                let r = h.apply_exactly(&input, &[secrets, &["--timeout", "5s"], extra].concat()).await;
                (r.exit, r.err, r.out, r.result.err().map(|e| e.to_string()))
            }
            Verb::Diff => {
                let r = h.diff(&input, &[secrets, extra].concat()).await;
                (r.exit, r.err, r.out, r.result.err().map(|e| e.to_string()))
            }
            Verb::Status => {
                let r = h.status_with(&input, extra).await;
                (r.exit, r.err, r.out, r.result.err().map(|e| e.to_string()))
            }
            Verb::Delete => {
                let r = h.delete(&input, &[&["--timeout", "5s"], extra].concat()).await;
                (r.exit, r.err, r.out, r.result.err().map(|e| e.to_string()))
            }
        };
        (exit, err, out, error.unwrap_or_default())
    }
}

/// Cluster trouble, what its line must say, and the flags to run with.
fn trouble() -> Vec<(Fault, &'static str, &'static [&'static str])> {
    vec![
        (Fault::internal(), "InternalError (500)", &[]),
        (Fault::unavailable(), "503", &[]),
        (Fault::too_many_requests(1), "TooManyRequests (429)", &[]),
        (Fault::Reset, "broke", &[]),
        (Fault::ResetMidBody, "broke", &[]),
        // 2 s: room for a loaded machine, where every run of a test goes at once on one thread.
        (Fault::Slow(Duration::from_secs(6)), "no answer within 2s", &["--request-timeout", "2s"]),
        (Fault::expired_token(), "401 Unauthorized", &[]),
        (Fault::forbidden("deployments"), "forbidden (403)", &[]),
    ]
}

/// A test run, boxed to be run with others.
type Boxed<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

/// Run every future at once on this thread (the waits of retries and slow answers overlap) and
/// give their results in order.
async fn all_at_once<T: 'static>(runs: Vec<Boxed<T>>) -> Vec<T> {
    tokio::task::LocalSet::new()
        .run_until(async {
            let handles: Vec<_> = runs.into_iter().map(tokio::task::spawn_local).collect();
            let mut out = Vec::new();
            for handle in handles {
                out.push(handle.await.expect("no panic"));
            }
            out
        })
        .await
}

/// One fault of [`trouble`] on one kind of `verb`'s requests: exit 2, one line naming the cause
/// and the Deployment, at most one note of retries. `Err` says what went otherwise.
async fn one_fault(
    verb: Verb,
    target: (&'static str, &'static str),
    fault: Fault,
    cause: &str,
    flags: &[&str],
) -> Result<(), String> {
    let h = verb.prepared(&SECRET_FLAGS).await;
    h.fake.fault(Rule::from(1, fault.clone()).method(target.0).path(target.1));
    let started = Instant::now();
    let (exit, err, out, line) = verb.run(&h, &SECRET_FLAGS, flags).await;
    let took = started.elapsed();
    let seen = format!("{verb:?}, {fault:?} on {target:?} ({took:?}):\nerror: {line}\nstderr:\n{err}\nstdout:\n{out}");
    let fine = exit == EXIT_CANNOT_RUN
        && line.contains(cause)
        && line.to_lowercase().contains("deployment")
        && !line.contains('\n')
        && err.matches("retrying").count() <= 1
        && took < Duration::from_secs(25);
    if fine {
        Ok(())
    } else {
        Err(seen)
    }
}

/// Every fault of [`trouble`] on every kind of request each verb sends about Deployments.
#[tokio::test]
async fn cluster_trouble_in_any_verb_is_one_line_naming_cause_and_object_and_exit_2() {
    let mut runs: Vec<Boxed<Result<(), String>>> = Vec::new();
    for verb in [Verb::Apply, Verb::Diff, Verb::Status, Verb::Delete] {
        for &target in verb.targets() {
            for (fault, cause, flags) in trouble() {
                runs.push(Box::pin(one_fault(verb, target, fault, cause, flags)));
            }
        }
    }
    let count = runs.len();
    let failed: Vec<String> = all_at_once(runs).await.into_iter().filter_map(Result::err).collect();
    assert!(failed.is_empty(), "{} of {count}:\n{}", failed.len(), failed.join("\n\n"));
}

#[tokio::test]
async fn a_conflict_with_another_field_manager_names_the_field_and_exits_1() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    h.fake.update_as("kubectl-edit", "Deployment", NS, "todo-backend", |d| d["spec"]["replicas"] = 3.into());
    let run = h.apply(&preset_with(&["components.todo-backend.replicas=2"], &[]), &[]).await;
    let line = run.error().to_string();
    assert_eq!(run.exit, EXIT_NOT_READY, "a refused object is the input's to fix: {line}");
    assert!(line.starts_with("Deployment todo-chatbot/todo-backend: Conflict (409)"), "{line}");
    assert!(
        line.contains("kubectl-edit") && line.contains(".spec.replicas") && line.contains("--force-conflicts"),
        "{line}"
    );
    let run = h.apply(&preset_with(&["components.todo-backend.replicas=2"], &[]), &["--force-conflicts"]).await;
    run.ok();
}

/// The preset applied to an empty fake that meets `rule`: the run and its error line.
async fn apply_meeting(rule: Rule) -> (Run<()>, String) {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.fake.fault(rule);
    let run = h.apply(&preset(), &[]).await;
    let line = run.error().to_string();
    (run, line)
}

#[tokio::test]
async fn an_invalid_object_names_its_field_and_exits_1() {
    let (run, line) = apply_meeting(Rule::nth(1, Fault::invalid()).method("PATCH").path("/deployments")).await;
    assert_eq!(run.exit, EXIT_NOT_READY, "{line}");
    assert!(
        line.starts_with("Deployment todo-chatbot/todo-backend: Invalid (422): ")
            && line.contains("spec.template.spec.containers[0].image: Required value")
            && line.contains("kubeplay validate"),
        "{line}"
    );
}

#[tokio::test]
async fn an_immutable_field_the_server_names_says_to_recreate() {
    let (run, line) = apply_meeting(Rule::nth(1, Fault::immutable()).method("PATCH").path("/services")).await;
    assert_eq!(run.exit, EXIT_NOT_READY, "{line}");
    assert!(line.contains("field is immutable") && line.contains("delete the object and apply again"), "{line}");
    assert!(!line.contains("kubeplay validate"), "{line}");
}

#[tokio::test]
async fn forbidden_on_one_kind_applies_the_others_and_names_the_kind() {
    let (run, line) = apply_meeting(Rule::always(Fault::forbidden("deployments")).path("/deployments")).await;
    assert_eq!(run.exit, EXIT_CANNOT_RUN, "{line}");
    assert!(line.contains("Deployment todo-chatbot/todo-backend: forbidden (403)"), "{line}");
    for applied in ["secret/todo-chatbot-secrets created", "service/todo-frontend created"] {
        assert!(run.err.contains(applied), "{}", run.err);
    }
}

#[tokio::test]
async fn an_expired_token_midway_exits_2_and_says_to_log_in_again() {
    let (run, line) = apply_meeting(Rule::from(1, Fault::expired_token()).method("PATCH").path("/services")).await;
    assert_eq!(run.exit, EXIT_CANNOT_RUN, "{line}");
    assert!(line.starts_with("apply Service todo-chatbot/todo-backend: the cluster at http://127.0.0.1:"), "{line}");
    assert!(line.contains("401 Unauthorized") && line.contains("log in again"), "{line}");
}

/// Objects the set does not own, in the app's namespace: one made by hand, one of another
/// ApplySet. No run, interrupted or not, may delete or change them.
fn put_foreign(h: &Harness) {
    h.fake.put(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}));
    h.fake.put(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "by-hand", "namespace": NS}, "data": {"a": "1"}}));
    h.fake.put(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other-set", "namespace": NS,
        "labels": {"applyset.kubernetes.io/part-of": "applyset-someone-else-v1"}}, "data": {"b": "2"}}));
}

fn foreign(h: &Harness) -> Vec<Value> {
    ["by-hand", "other-set"].iter().map(|n| h.fake.get("ConfigMap", NS, n).expect("a foreign object is kept")).collect()
}

/// The objects of the preset's set: the Namespace, the parent and the seven members.
const SET: [(&str, &str); 8] = [
    ("Namespace", NS),
    ("Secret", "applyset-todo-chatbot"),
    ("Secret", "todo-chatbot-secrets"),
    ("ConfigMap", "todo-chatbot-config"),
    ("Service", "todo-backend"),
    ("Service", "todo-frontend"),
    ("Deployment", "todo-backend"),
    ("Deployment", "todo-frontend"),
];

/// One interrupted apply (every request from the k-th on meets `fault`), then two more runs.
async fn interrupted_at(k: usize, fault: Fault, total: usize) -> Result<(), String> {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    put_foreign(&h);
    let before = foreign(&h);
    h.fake.fault(Rule::from(k, fault.clone()));
    let first = h.apply(&preset(), &["--prune"]).await;
    let context = format!("fault {fault:?} from request {k} of {total}");
    if k <= total && first.result.is_ok() && !matches!(fault, Fault::ResetMidBody) {
        return Err(format!("{context}: the first run did not stop:\n{}", first.err));
    }
    h.fake.clear_faults();
    let second = h.apply(&preset(), &["--prune"]).await;
    if let Err(e) = &second.result {
        return Err(format!("{context}: the second run failed: {e}\n{}", second.err));
    }
    for (kind, name) in SET {
        let ns = if kind == "Namespace" { "" } else { NS };
        if h.fake.get(kind, ns, name).is_none() {
            return Err(format!("{context}: {kind} {name} is missing after the second run"));
        }
    }
    let settled = h.resource_versions();
    let third = h.apply(&preset(), &["--prune"]).await;
    let changed: Vec<&str> =
        third.err.lines().filter(|l| l.ends_with(" created") || l.ends_with(" configured")).collect();
    if third.result.is_err() || !changed.is_empty() || h.resource_versions() != settled {
        return Err(format!("{context}: the third run was not all unchanged:\n{}", third.err));
    }
    let all = format!("{}{}{}", first.err, second.err, third.err);
    if all.contains("pruned") || foreign(&h) != before {
        return Err(format!("{context}: something not owned was pruned or changed:\n{all}"));
    }
    Ok(())
}

#[tokio::test]
async fn an_apply_interrupted_at_any_request_converges_when_run_again() {
    // How many requests a full apply (with its wait) sends.
    let total = {
        let h = Harness::start().await;
        h.fake.set_controller(controllers::healthy);
        put_foreign(&h);
        h.apply(&preset(), &["--prune"]).await.ok();
        h.fake.requests().len()
    };
    assert!(total > 20, "{total}");
    let started = Instant::now();
    // Every k at once, each against its own fake. A 500 stops the run at k; a connection cut
    // after the answer was written lets the write land unseen (retried if safe to repeat).
    let mut runs: Vec<Boxed<Result<(), String>>> = Vec::new();
    for k in 1..=total {
        for fault in [Fault::internal(), Fault::ResetMidBody] {
            runs.push(Box::pin(interrupted_at(k, fault, total)));
        }
    }
    let failures: Vec<String> = all_at_once(runs).await.into_iter().filter_map(Result::err).collect();
    assert!(
        failures.is_empty(),
        "{} of {} interrupted applies did not converge:\n{}",
        failures.len(),
        2 * total,
        failures.join("\n\n")
    );
    eprintln!("{} interrupted applies, each run three times, in {:?}", 2 * total, started.elapsed());
}

/// Secret values with characters JSON escapes, given on the command line.
const LEAKABLE: [&str; 6] = [
    "--secret",
    "DATABASE_URL=postgresql://user:Pa55\"w\\ord@db:5432/todo",
    "--secret",
    "OPENAI_API_KEY=sk-live-ABCDEFGH12345678",
    "--secret",
    "BETTER_AUTH_SECRET=weak-but-long-enough",
];

/// (key, value) of each secret of [`LEAKABLE`].
fn leakable() -> impl Iterator<Item = (&'static str, &'static str)> {
    LEAKABLE.iter().skip(1).step_by(2).map(|flag| flag.split_once('=').unwrap())
}

/// Each secret value of [`LEAKABLE`] in the forms it could be printed in: as given, base64 (a
/// Secret's `data`) and JSON-escaped (a request body quoted back).
fn leakable_forms() -> Vec<String> {
    use base64::Engine;
    leakable()
        .flat_map(|(_, value)| {
            let json = serde_json::to_string(value).unwrap();
            [
                value.to_string(),
                base64::engine::general_purpose::STANDARD.encode(value),
                json.trim_matches('"').to_string(),
            ]
        })
        .collect()
}

fn leaks(printed: &str) -> Vec<String> {
    leakable_forms().into_iter().filter(|form| printed.contains(form.as_str())).collect()
}

/// One verb with one fault on the requests whose path contains `path` (`""`: none): what it
/// printed, if a secret value is in it.
async fn sweep(
    verb: Verb,
    fault: Option<Fault>,
    (method, path): (Option<&'static str>, &'static str),
    flags: &'static [&'static str],
) -> Option<String> {
    let h = verb.prepared(&LEAKABLE).await;
    if let Some(fault) = &fault {
        let rule = Rule::always(fault.clone()).path(path);
        h.fake.fault(match method {
            Some(method) => rule.method(method),
            None => rule,
        });
    }
    // The error line is in `err`, as the CLI prints it.
    let (exit, err, out, _) = verb.run(&h, &LEAKABLE, flags).await;
    let printed = format!("{err}{out}");
    let found = leaks(&printed);
    (!found.is_empty())
        .then(|| format!("{verb:?} with {fault:?} on {path:?} (exit {exit}) printed {found:?}:\n{printed}"))
}

#[tokio::test]
async fn secret_values_are_never_printed_whatever_fails() {
    let started = Instant::now();
    let mut faults: Vec<(Option<Fault>, &'static [&'static str])> = vec![
        (None, &[]),
        // A webhook that quotes the request back, in a refusal and in a failure.
        (Some(Fault::EchoRequest { code: 400 }), &[]),
        (Some(Fault::EchoRequest { code: 500 }), &[]),
        (Some(Fault::conflict()), &[]),
    ];
    faults.extend(trouble().into_iter().map(|(fault, _, flags)| (Some(fault), flags)));
    let mut sweeps: Vec<Boxed<Option<String>>> = Vec::new();
    for verb in [Verb::Apply, Verb::Diff, Verb::Status, Verb::Delete] {
        for (fault, flags) in &faults {
            for target in [
                (None, "/namespaces/todo-chatbot"),
                (None, "/secrets/todo-chatbot-secrets"),
                (Some("PATCH"), "/secrets/todo-chatbot-secrets"),
                (Some("PATCH"), "/deployments/todo-backend"),
                (Some("GET"), "/deployments/todo-backend"),
            ] {
                sweeps.push(Box::pin(sweep(verb, fault.clone(), target, flags)));
            }
        }
    }
    let runs = sweeps.len();
    let leaked: Vec<String> = all_at_once(sweeps).await.into_iter().flatten().collect();
    assert!(leaked.is_empty(), "{} of {runs} runs printed a secret value:\n{}", leaked.len(), leaked.join("\n\n"));
    eprintln!("{runs} runs, no secret value printed, in {:?}", started.elapsed());
}

#[tokio::test]
async fn a_crashing_app_that_logs_its_secret_does_not_leak_it_through_apply_or_status() {
    let h = Harness::start().await;
    h.fake.set_logs(
        NS,
        "todo-backend-5d8f7c9b4-0",
        true,
        "connecting to postgresql://user:Pa55\"w\\ord@db:5432/todo\nfailed",
    );
    h.fake.set_controller(controllers::only("todo-backend", |c, d| {
        let state = json!({
            "restartCount": 3,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container"}},
            "lastState": {"terminated": {"reason": "Error", "exitCode": 1}},
        });
        controllers::stuck(c, d, state, controllers::scheduled_not_ready(), true)
    }));
    let run = h.apply_exactly(&preset(), &[&LEAKABLE[..], &["--timeout", "5s"]].concat()).await;
    // `status` is given no values: it redacts those of the live Secret.
    let status = h.status(&preset()).await;
    assert!(status.out.contains("  | connecting to ***"), "{}", status.out);
    assert!(leaks(&status.all()).is_empty(), "{}", status.all());
    assert!(
        run.err.contains("  | connecting to postgresql://user:***@db:5432/todo")
            || run.err.contains("  | connecting to ***"),
        "{}",
        run.err
    );
    assert!(leaks(&run.all()).is_empty(), "{}", run.all());
}

// ---- the binary, as a person runs it -------------------------------------------------------

/// `kubeplay ARGS` as a child process against `h`'s fake (which this test's runtime serves
/// meanwhile). `interrupt` is polled while it runs: once it is true, the child gets SIGINT (as
/// from Ctrl-C). Returns (exit status, stdout, stderr, time from SIGINT to exit).
async fn kubeplay(
    h: &Harness,
    args: &[&str],
    mut interrupt: impl FnMut(&Harness) -> bool,
) -> (Option<i32>, String, String, Option<Duration>) {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(args)
        // The cluster verbs talk to the fake; the offline ones take no --kubeconfig.
        .args(if args[0] == "validate" {
            vec![]
        } else {
            vec!["--kubeconfig".to_string(), h.kubeconfig.display().to_string()]
        })
        .env_remove("DATABASE_URL")
        .env_remove("OPENAI_API_KEY")
        .env_remove("BETTER_AUTH_SECRET")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run kubeplay");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut interrupted: Option<Instant> = None;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for kubeplay") {
            break status;
        }
        assert!(Instant::now() < deadline, "kubeplay {args:?} still runs after 60 s");
        if interrupted.is_none() && interrupt(h) {
            let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
            assert!(sent.is_ok_and(|s| s.success()), "SIGINT sent");
            interrupted = Some(Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let took = interrupted.map(|at| at.elapsed());
    let (mut out, mut err) = (String::new(), String::new());
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (status.code(), out, err, took)
}

fn never(_: &Harness) -> bool {
    false
}

/// A request whose path ends with `path` and whose method is `method` has reached the fake.
fn seen(h: &Harness, method: &str, path: &str) -> bool {
    h.fake.requests().iter().any(|r| r.method == method && r.path.ends_with(path))
}

/// `kubeplay ARGS`, Ctrl-C once the fake has seen `request` (method, end of path): it must
/// exit 130 within 2 s. Its stderr.
async fn ctrl_c(h: &Harness, args: &[&str], (method, path): (&str, &str)) -> String {
    let (code, _, err, took) = kubeplay(h, args, |h| seen(h, method, path)).await;
    let took = took.expect("interrupted");
    assert_eq!(code, Some(130), "{err}");
    assert!(took < Duration::from_secs(2), "took {took:?} to stop:\n{err}");
    err
}

#[tokio::test]
async fn ctrl_c_while_waiting_stops_at_once_says_all_is_applied_and_exits_130() {
    let h = Harness::start().await;
    // Pods that never get ready: the wait would last its whole --timeout.
    h.fake.set_controller(controllers::starting);
    let args = [&["apply", "--timeout", "5m"][..], &SECRET_FLAGS].concat();
    let err = ctrl_c(&h, &args, ("GET", "/endpointslices")).await;
    assert!(
        err.contains("interrupted (Ctrl-C) while waiting for readiness: all 7 objects are applied; the rollout goes on without kubeplay (`kubeplay status` shows how it goes)"),
        "{err}"
    );
}

#[tokio::test]
async fn ctrl_c_while_applying_stops_at_once_and_names_what_is_applied_and_what_is_not() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.fake.fault(Rule::always(Fault::Slow(Duration::from_secs(30))).method("PATCH").path("/services/todo-frontend"));
    let args = [&["apply"][..], &SECRET_FLAGS].concat();
    let err = ctrl_c(&h, &args, ("PATCH", "/services/todo-frontend")).await;
    assert!(
        err.contains("interrupted (Ctrl-C): 4 of 7 objects applied: namespace/todo-chatbot, secret/todo-chatbot-secrets, configmap/todo-chatbot-config, service/todo-backend\n"),
        "{err}"
    );
    assert!(
        err.contains("not applied: service/todo-frontend (being applied when interrupted: it may have landed), deployment.apps/todo-backend, deployment.apps/todo-frontend; run the same `kubeplay apply` again to finish"),
        "{err}"
    );
    assert!(h.fake.get("Deployment", NS, "todo-backend").is_none());
}

#[tokio::test]
async fn the_binary_prints_no_secret_value_from_env_files_whatever_fails() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    let env_file = h.dir.join("todo.env");
    let lines: Vec<String> = leakable().map(|(key, value)| format!("{key}='{value}'")).collect();
    std::fs::write(&env_file, lines.join("\n")).unwrap();
    let env_file = env_file.display().to_string();
    let from_file = ["--secrets-from-env-file", env_file.as_str()];
    let mut printed = String::new();
    for (verb, fault) in [
        ("apply", None),
        ("diff", Some(Fault::EchoRequest { code: 400 })),
        ("apply", Some(Fault::EchoRequest { code: 500 })),
        ("apply", Some(Fault::EchoRequest { code: 400 })),
        ("status", None),
    ] {
        h.fake.clear_faults();
        if let Some(fault) = fault {
            h.fake.fault(Rule::always(fault).method("PATCH").path("/secrets/todo-chatbot-secrets"));
        }
        let args: Vec<&str> = match verb {
            "status" => vec![verb],
            _ => [&[verb][..], &from_file].concat(),
        };
        let (code, out, err, _) = kubeplay(&h, &args, never).await;
        assert!(code.is_some(), "{verb}: {err}");
        printed.push_str(&format!("$ kubeplay {args:?} (exit {code:?})\n{out}{err}"));
    }
    // The values as a values file, checked offline with JSON output.
    let values = h.dir.join("values.yaml");
    let secrets: Vec<String> =
        leakable().map(|(key, value)| format!("  {key}: {}", serde_json::to_string(value).unwrap())).collect();
    std::fs::write(&values, format!("secrets:\n{}\n", secrets.join("\n"))).unwrap();
    let (_, out, err, _) = kubeplay(
        &h,
        &["validate", "--format", "json", "--profile", "production", &values.display().to_string()],
        never,
    )
    .await;
    assert!(out.starts_with('['), "the diagnostics as JSON: {out}{err}");
    printed.push_str(&format!("{out}{err}"));
    assert!(printed.contains("admission webhook \"validate.example.com\" denied the request"), "{printed}");
    assert!(leaks(&printed).is_empty(), "{:?}:\n{printed}", leaks(&printed));
}

#[tokio::test]
async fn a_poll_that_drops_during_the_wait_is_retried_and_the_apply_succeeds() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::starting);
    // The first look of the wait is cut twice mid-answer, then the rollout finishes.
    h.fake.fault(Rule::always(Fault::ResetMidBody).method("GET").path("/deployments/todo-backend").times(2));
    let finish = after_first_look(&h.fake, |c| {
        for name in ["todo-backend", "todo-frontend"] {
            let d = c.get("Deployment", NS, name).unwrap();
            controllers::healthy(c, &d);
        }
    });
    let run = h.apply(&preset(), &["--timeout", "20s"]).await;
    finish.await.unwrap();
    run.ok();
    assert_eq!(notes(&run.err), 1, "one note for the retried poll:\n{}", run.err);
}

#[tokio::test]
async fn ctrl_c_stops_status_too_with_exit_130() {
    let h = Harness::start().await;
    h.fake.set_controller(controllers::healthy);
    h.apply(&preset(), &[]).await.ok();
    h.fake.fault(Rule::always(Fault::Slow(Duration::from_secs(30))).method("GET").path("/deployments/todo-backend"));
    h.fake.clear_requests();
    let err = ctrl_c(&h, &["status"], ("GET", "/deployments/todo-backend")).await;
    assert!(err.ends_with("interrupted (Ctrl-C)\n"), "{err}");
}
