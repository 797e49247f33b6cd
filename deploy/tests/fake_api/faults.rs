//! Misbehaviour on cue for the FAKE API server (it is a test double, not a real API server):
//! per request, a broken connection, an error answer, a slow answer.
//!
//! A test adds [`Rule`]s ([`super::FakeApi::fault`]); each request the fake receives is checked
//! against them in order, and the first that matches and has firings left decides what happens
//! instead of (or, for [`Fault::Slow`] and [`Fault::ResetMidBody`], around) the normal answer.
//! Requests are numbered from 1, counting from when the rule was added, so "the 7th request of
//! this apply" is `Rule::nth(7, ...)`. Every request is logged as usual, faulted or not.
//!
//! The error bodies are `Status` objects shaped as a real API server writes them; the messages
//! are the ones kube-apiserver and etcd print for these cases.

use super::status_body;
use hyper::body::{Body, Bytes, Frame, SizeHint};
use serde_json::{json, Value};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// What goes wrong.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Close the connection once the request is read, without an answer (a reset mid-request).
    Reset,
    /// Send the real answer's headers and half its body, then close the connection.
    ResetMidBody,
    /// Answer `code` with a `Status` body; `Retry-After: retry_after` when given.
    Status { code: u16, reason: &'static str, message: String, retry_after: Option<u64>, details: Option<Value> },
    /// A misbehaving admission webhook: `code`, its message quoting the request body back.
    EchoRequest { code: u16 },
    /// Wait this long, then answer normally.
    Slow(Duration),
}

impl Fault {
    fn status(code: u16, reason: &'static str, message: &str) -> Fault {
        Fault::Status { code, reason, message: message.to_string(), retry_after: None, details: None }
    }
    /// 500, as an API server whose etcd does not answer.
    pub fn internal() -> Fault {
        Fault::status(500, "InternalError", "Internal error occurred: etcdserver: request timed out")
    }
    /// 503, as an API server that is starting or overloaded.
    pub fn unavailable() -> Fault {
        Fault::status(503, "ServiceUnavailable", "the server is currently unable to handle the request")
    }
    /// 429 with `Retry-After: seconds` (API priority and fairness).
    pub fn too_many_requests(seconds: u64) -> Fault {
        Fault::Status {
            code: 429,
            reason: "TooManyRequests",
            message: "the server has received too many requests and has asked us to try again later".into(),
            retry_after: Some(seconds),
            details: Some(json!({"retryAfterSeconds": seconds})),
        }
    }
    /// 401: the token expired.
    pub fn expired_token() -> Fault {
        Fault::status(401, "Unauthorized", "Unauthorized")
    }
    /// 403 for `resource` (a plural: `deployments`).
    pub fn forbidden(resource: &str) -> Fault {
        Fault::status(
            403,
            "Forbidden",
            &format!("{resource}.apps is forbidden: User \"tester\" cannot patch resource \"{resource}\" in API group \"apps\" in the namespace \"todo-chatbot\""),
        )
    }
    /// 409: another field manager owns a field (what the fake answers for a real conflict).
    pub fn conflict() -> Fault {
        Fault::Status {
            code: 409,
            reason: "Conflict",
            message: "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas"
                .into(),
            retry_after: None,
            details: Some(
                json!({"causes": [{"type": "FieldManagerConflict", "message": "conflict with \"kubectl-edit\" using apps/v1", "field": ".spec.replicas"}]}),
            ),
        }
    }
    /// 422 with the field that is invalid.
    pub fn invalid() -> Fault {
        Fault::Status {
            code: 422,
            reason: "Invalid",
            message:
                "Deployment.apps \"todo-backend\" is invalid: spec.template.spec.containers[0].image: Required value"
                    .into(),
            retry_after: None,
            details: Some(
                json!({"name": "todo-backend", "group": "apps", "kind": "Deployment", "causes": [{"reason": "FieldValueRequired", "message": "Required value", "field": "spec.template.spec.containers[0].image"}]}),
            ),
        }
    }

    /// The API server's refusal of an update to a field that cannot change (here one kubeplay's
    /// own check does not list).
    pub fn immutable() -> Fault {
        Fault::Status {
            code: 422,
            reason: "Invalid",
            message:
                "Service \"todo-backend\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv6\": field is immutable"
                    .into(),
            retry_after: None,
            details: Some(
                json!({"name": "todo-backend", "kind": "Service", "causes": [{"reason": "FieldValueInvalid", "message": "Invalid value: \"IPv6\": field is immutable", "field": "spec.ipFamilies[0]"}]}),
            ),
        }
    }

    /// The answer, for the faults that are an answer.
    pub(super) fn answer(&self, request_body: &[u8]) -> Option<(u16, Option<u64>, Value)> {
        match self {
            Fault::Status { code, reason, message, retry_after, details } => {
                Some((*code, *retry_after, status_body(*code, reason, message, details.clone())))
            }
            Fault::EchoRequest { code } => {
                let message = format!(
                    "admission webhook \"validate.example.com\" denied the request: cannot admit {}",
                    String::from_utf8_lossy(request_body)
                );
                let reason = if *code < 500 { "BadRequest" } else { "InternalError" };
                Some((*code, None, status_body(*code, reason, &message, None)))
            }
            _ => None,
        }
    }
}

/// Which requests a rule applies to, and how often it fires.
#[derive(Debug, Clone)]
pub struct Rule {
    pub fault: Fault,
    /// Only this method (`GET`, `PATCH`, `DELETE`).
    pub method: Option<&'static str>,
    /// Only paths containing this (`/deployments`, `/secrets/todo-chatbot-secrets`).
    pub path: Option<String>,
    /// Only from the n-th request on (1 = the first after the rule was added).
    pub from: usize,
    /// How many times it fires; `None`: every time.
    pub times: Option<usize>,
    /// Requests seen when the rule was added (set by [`Faults::add`]).
    start: usize,
}

impl Rule {
    /// Every request, forever.
    pub fn always(fault: Fault) -> Rule {
        Rule { fault, method: None, path: None, from: 1, times: None, start: 0 }
    }
    /// The n-th request only.
    pub fn nth(n: usize, fault: Fault) -> Rule {
        Rule { from: n, times: Some(1), ..Rule::always(fault) }
    }
    /// Every request from the n-th on: the cluster goes away in the middle.
    pub fn from(n: usize, fault: Fault) -> Rule {
        Rule { from: n, ..Rule::always(fault) }
    }
    pub fn method(mut self, method: &'static str) -> Rule {
        self.method = Some(method);
        self
    }
    pub fn path(mut self, part: &str) -> Rule {
        self.path = Some(part.to_string());
        self
    }
    pub fn times(mut self, n: usize) -> Rule {
        self.times = Some(n);
        self
    }
}

/// The rules of one fake, and how many requests it has seen.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Rule>,
    seen: usize,
    /// How many times any rule fired.
    pub fired: usize,
}

impl Faults {
    pub fn add(&mut self, mut rule: Rule) {
        rule.start = self.seen;
        self.rules.push(rule);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Count a request and say which fault, if any, it meets.
    pub fn check(&mut self, method: &str, path: &str) -> Option<Fault> {
        self.seen += 1;
        let seen = self.seen;
        let rule = self.rules.iter_mut().find(|r| {
            r.times != Some(0)
                && seen - r.start >= r.from
                && r.method.is_none_or(|m| m == method)
                && r.path.as_deref().is_none_or(|p| path.contains(p))
        })?;
        if let Some(times) = rule.times.as_mut() {
            *times -= 1;
        }
        self.fired += 1;
        Some(rule.fault.clone())
    }
}

/// A response body that may break halfway.
pub struct FaultyBody {
    data: Option<Bytes>,
    /// Fail once `data` is sent.
    break_after: bool,
}

impl FaultyBody {
    pub fn whole(data: Bytes) -> FaultyBody {
        FaultyBody { data: Some(data), break_after: false }
    }
    pub fn broken(data: Bytes) -> FaultyBody {
        FaultyBody { data: Some(data), break_after: true }
    }
}

impl Body for FaultyBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if self.break_after {
            self.break_after = false;
            return Poll::Ready(Some(Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "fault: body cut"))));
        }
        Poll::Ready(None)
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.data, self.break_after) {
            (Some(data), false) => SizeHint::with_exact(data.len() as u64),
            _ => SizeHint::default(),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.break_after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_count_from_when_they_are_added_and_fire_as_often_as_told() {
        let mut faults = Faults::default();
        faults.check("GET", "/version");
        faults.add(Rule::nth(2, Fault::Reset));
        faults.add(Rule::always(Fault::internal()).method("PATCH").path("/deployments").times(1));
        assert!(faults.check("GET", "/api").is_none());
        assert!(matches!(faults.check("GET", "/api/v1"), Some(Fault::Reset)));
        assert!(faults.check("GET", "/api/v1").is_none());
        assert!(faults.check("PATCH", "/api/v1/namespaces/x/secrets/s").is_none());
        assert!(matches!(
            faults.check("PATCH", "/apis/apps/v1/namespaces/x/deployments/d"),
            Some(Fault::Status { .. })
        ));
        assert!(faults.check("PATCH", "/apis/apps/v1/namespaces/x/deployments/d").is_none());
        assert_eq!(faults.fired, 2);
    }
}
