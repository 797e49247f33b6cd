//! Retries where they are safe, and a deadline on every request: a tower layer around kube's client.
//!
//! kube-rs's own retry is turned off (`Config::default_retry`: up to 15 tries with delays up to
//! 1000 s, silently, which made a 429 or a 503 look like a hang). This layer instead:
//!
//! - gives every request [`Retry::timeout`] (`--request-timeout`) for the whole exchange, the
//!   response body included (bodies are read here, so a connection dropped mid-body is an error of
//!   the request, not of a later read); a request that times out is not retried;
//! - retries 429 and 503 on any request, waiting as `Retry-After` asks (when it fits the budget);
//! - retries a dropped connection (reset, closed early) only for requests that are safe to send
//!   twice: reads (GET, HEAD) and server-side apply (PATCH `application/apply-patch+yaml`, which
//!   states the whole intent and lands the same however often it is sent). A DELETE is never
//!   repeated;
//! - stops after [`Retry::tries`] tries or once [`Retry::budget`] would be exceeded, with
//!   exponential backoff between tries, and says so in one note line per request, not one per try.

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use kube::client::Body;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tower::buffer::Buffer;
use tower::{BoxError, Layer, Service, ServiceExt};

/// Where the note goes (the verb's [`super::ui::Ui`]).
pub type Note = Arc<dyn Fn(&str) + Send + Sync>;

/// How requests are retried and timed out.
#[derive(Clone)]
pub struct Retry {
    /// Longest time for one request, connect to last byte (`--request-timeout`).
    pub timeout: Duration,
    /// Most tries of one request, the first included.
    pub tries: u32,
    /// Longest time spent on one request across its tries (waits included).
    pub budget: Duration,
    /// Wait before the second try; doubled before each next one (capped at 5 s).
    pub backoff: Duration,
    pub note: Note,
}

/// Default `--request-timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl Retry {
    pub fn new(timeout: Duration, note: Note) -> Retry {
        Retry { timeout, tries: 5, budget: Duration::from_secs(20), backoff: Duration::from_millis(200), note }
    }

    fn wait_before(&self, retry: u32) -> Duration {
        (self.backoff * 2u32.saturating_pow(retry.saturating_sub(1))).min(Duration::from_secs(5))
    }
}

/// Why a request failed in this layer (kube reports it as `Error::Service`).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("no answer within {} (--request-timeout)", seconds(*.0))]
    TimedOut(Duration),
    #[error("{cause} (tried {tries} times)")]
    Dropped { cause: String, tries: u32 },
}

fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

impl<S> Layer<S> for Retry
where
    S: Service<Request<Body>, Response = Response<Box<kube::client::DynBody>>, Error = BoxError> + Send + 'static,
    S::Future: Send + 'static,
{
    type Service = Retrying;

    fn layer(&self, inner: S) -> Retrying {
        let inner = Buffer::new(tower::util::BoxService::new(inner), 64);
        Retrying { inner, retry: self.clone() }
    }
}

type Inner = Buffer<
    Request<Body>,
    <tower::util::BoxService<Request<Body>, Response<Box<kube::client::DynBody>>, BoxError> as Service<
        Request<Body>,
    >>::Future,
>;

/// The service [`Retry`] makes.
#[derive(Clone)]
pub struct Retrying {
    inner: Inner,
    retry: Retry,
}

impl Service<Request<Body>> for Retrying {
    type Response = Response<Full<Bytes>>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // Readiness is awaited on the inner service for each try.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        Box::pin(send(self.inner.clone(), self.retry.clone(), request))
    }
}

/// Requests that land the same however often they are sent.
fn is_idempotent<B>(request: &Request<B>) -> bool {
    let apply = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/apply-patch"));
    matches!(*request.method(), Method::GET | Method::HEAD) || (request.method() == Method::PATCH && apply)
}

fn copy(request: &Request<Body>) -> Option<Request<Body>> {
    let body = request.body().try_clone()?;
    let mut copy = Request::builder().method(request.method().clone()).uri(request.uri().clone());
    if let Some(headers) = copy.headers_mut() {
        headers.extend(request.headers().clone());
    }
    let mut copy = copy.body(body).ok()?;
    *copy.extensions_mut() = request.extensions().clone();
    Some(copy)
}

/// `Retry-After` in seconds (the API server sends seconds, never a date).
fn retry_after<B>(response: &Response<B>) -> Option<Duration> {
    let text = response.headers().get(http::header::RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

async fn once(inner: &mut Inner, request: Request<Body>) -> Result<Response<Full<Bytes>>, BoxError> {
    let response = inner.ready().await?.call(request).await?;
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await?.to_bytes();
    Ok(Response::from_parts(parts, Full::new(bytes)))
}

async fn send(mut inner: Inner, retry: Retry, request: Request<Body>) -> Result<Response<Full<Bytes>>, BoxError> {
    let started = Instant::now();
    let what = format!("{} {}", request.method(), request.uri().path());
    let idempotent = is_idempotent(&request);
    let mut noted = false;
    let mut tries = 0;
    let mut next = Some(request);
    loop {
        let request = next.take().expect("a request to send");
        // A copy for the next try, when the body can be copied (kube's bodies always can).
        let spare = copy(&request);
        tries += 1;
        let outcome = tokio::time::timeout(retry.timeout, once(&mut inner, request)).await;
        let (reason, wait) = match outcome {
            Err(_) => return Err(Box::new(Failure::TimedOut(retry.timeout))),
            Ok(Ok(response)) => match response.status() {
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                    let wait = retry_after(&response).unwrap_or_else(|| retry.wait_before(tries));
                    let status = response.status();
                    let reason = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or(""));
                    if !can_retry(&retry, tries, started, wait, spare.is_some()) {
                        return Ok(response);
                    }
                    (reason, wait)
                }
                _ => return Ok(response),
            },
            Ok(Err(error)) => {
                let wait = retry.wait_before(tries);
                if !(idempotent && is_dropped(&*error)) {
                    return Err(error);
                }
                let cause = super::errors::root_cause(&*error);
                if !can_retry(&retry, tries, started, wait, spare.is_some()) {
                    return Err(Box::new(Failure::Dropped { cause, tries }));
                }
                (cause, wait)
            }
        };
        if !noted {
            noted = true;
            (retry.note)(&format!(
                "note: {what}: {reason}; retrying (at most {} tries in {})",
                retry.tries,
                seconds(retry.budget)
            ));
        }
        tokio::time::sleep(wait).await;
        next = spare;
    }
}

fn can_retry(retry: &Retry, tries: u32, started: Instant, wait: Duration, copyable: bool) -> bool {
    copyable && tries < retry.tries && started.elapsed() + wait <= retry.budget
}

/// A connection that broke after it was made (reset, closed before the answer or mid-body),
/// as opposed to one that could not be made (retrying that is the connect timeout's job).
fn is_dropped(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if let Some(client) = e.downcast_ref::<hyper_util::client::legacy::Error>() {
            if client.is_connect() {
                return false;
            }
        }
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() || hyper.is_canceled() || hyper.is_closed() {
                return true;
            }
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(io.kind(), ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof) {
                return true;
            }
        }
        source = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, content_type: &str) -> Request<()> {
        Request::builder().method(method).header("content-type", content_type).body(()).unwrap()
    }

    #[test]
    fn only_reads_and_server_side_apply_are_sent_twice() {
        assert!(is_idempotent(&request(Method::GET, "")));
        assert!(is_idempotent(&request(Method::PATCH, "application/apply-patch+yaml")));
        assert!(!is_idempotent(&request(Method::PATCH, "application/merge-patch+json")));
        assert!(!is_idempotent(&request(Method::DELETE, "application/json")));
        assert!(!is_idempotent(&request(Method::POST, "application/json")));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let retry = Retry::new(DEFAULT_TIMEOUT, Arc::new(|_| {}));
        let waits: Vec<u128> = (1..=6).map(|n| retry.wait_before(n).as_millis()).collect();
        assert_eq!(waits, [200, 400, 800, 1600, 3200, 5000]);
        assert_eq!(Failure::TimedOut(Duration::from_secs(30)).to_string(), "no answer within 30s (--request-timeout)");
    }
}
