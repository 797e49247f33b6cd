//! The cluster verbs against an API server that misbehaves on cue (tests/fake_api/faults.rs: a
//! FAKE server, not a real cluster): one line naming the cause, exit 2 for cluster trouble, and
//! retries only where they are safe.

#[allow(dead_code)]
#[path = "../src/cluster/mod.rs"]
mod cluster;
mod fake_api;

use cluster::errors::EXIT_CANNOT_RUN;
use fake_api::controllers;
use fake_api::faults::{Fault, Rule};
use fake_api::harness::*;
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
