//! Why a cluster verb stopped, as one line a person can act on, and the exit status it maps to.

use super::retry::Failure;
use std::fmt;

/// Exit status of a verb that ran and found the deploy not ready (or, for diff, differences).
pub const EXIT_NOT_READY: u8 = 1;
/// Exit status of a verb that could not run: no kubeconfig, unreachable cluster, refused
/// credentials, bad flags.
pub const EXIT_CANNOT_RUN: u8 = 2;

/// A failure of a cluster verb. `Display` is always one line.
#[derive(Debug)]
pub enum ClusterError {
    /// The kubeconfig is missing, unreadable, or lacks the asked context.
    Kubeconfig(String),
    /// Nothing answers at the cluster's address (stopped cluster, wrong context, network).
    Unreachable { context: String, server: String, cause: String },
    /// 401: the credentials are missing, wrong or expired.
    Unauthorized { doing: String, context: String, server: String },
    /// The kubeconfig's credential plugin (exec, token file, client certificate) failed.
    Credentials { context: String, cause: String },
    /// 403: the credentials are valid but not allowed to do this.
    Forbidden { doing: String, context: String, message: String },
    /// Flags or inputs that cannot be used (a bad `--secret`, an unreadable env file...).
    Usage(String),
    /// Required secret values were not given: nothing was sent.
    MissingSecrets { keys: Vec<String> },
    /// The API server refused an object (invalid, conflict, ...).
    Rejected { object: String, message: String },
    /// Any other API failure, with what was being done.
    Api { doing: String, message: String },
    /// The API server answered 5xx or, after the retries, 429: it could not do its part.
    Server { doing: String, message: String },
    /// No answer within `--request-timeout` (not retried: a server that does not answer once
    /// will not answer faster the second time).
    TimedOut { doing: String, server: String, after: String },
    /// The connection broke after it was made (reset, closed before or in the middle of the
    /// answer), after the retries if the request was safe to repeat.
    Dropped { doing: String, server: String, cause: String },
    /// The deploy ran but is not ready: a diagnosis, a timeout (already reported above).
    NotReady(String),
}

impl ClusterError {
    pub fn exit_code(&self) -> u8 {
        match self {
            ClusterError::Kubeconfig(_)
            | ClusterError::Unreachable { .. }
            | ClusterError::Unauthorized { .. }
            | ClusterError::Credentials { .. }
            | ClusterError::Forbidden { .. }
            | ClusterError::Server { .. }
            | ClusterError::TimedOut { .. }
            | ClusterError::Dropped { .. }
            | ClusterError::Usage(_) => EXIT_CANNOT_RUN,
            ClusterError::MissingSecrets { .. }
            | ClusterError::Rejected { .. }
            | ClusterError::Api { .. }
            | ClusterError::NotReady(_) => EXIT_NOT_READY,
        }
    }
}

/// Newlines folded, so every error stays one line in a terminal and in CI logs.
fn one_line(text: &str) -> String {
    text.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ")
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ClusterError::Kubeconfig(m) => format!("kubeconfig: {m}"),
            ClusterError::Unreachable { context, server, cause } => format!(
                "cannot reach the cluster of context `{context}` at {server}: {cause} (is it running? `minikube status`; or choose another context with --context)"
            ),
            ClusterError::Unauthorized { doing, context, server } => format!(
                "{doing}: the cluster at {server} refused the credentials of context `{context}` (401 Unauthorized): they are missing or expired; log in again (minikube: `minikube update-context`)"
            ),
            ClusterError::Credentials { context, cause } => format!(
                "cannot get the credentials of context `{context}`: {cause} (log in again with the tool the kubeconfig calls; minikube: `minikube update-context`)"
            ),
            ClusterError::Forbidden { doing, context, message } => {
                format!("{doing}: forbidden (403) for the user of context `{context}`: {message}; ask for access or use another context")
            }
            ClusterError::Usage(m) => m.clone(),
            ClusterError::MissingSecrets { keys } => {
                let flags: Vec<String> = keys.iter().map(|k| format!("--secret {k}=VALUE")).collect();
                format!(
                    "missing secret values for {}: nothing was sent; give them with {}, --secrets-from-env-file FILE, or environment variables of the same names",
                    keys.join(", "),
                    flags.join(" ")
                )
            }
            ClusterError::Rejected { object, message } => format!("{object}: {message}"),
            ClusterError::Api { doing, message } => format!("{doing}: {message}"),
            ClusterError::Server { doing, message } => {
                format!("{doing}: the API server failed: {message} (nothing more was sent; run the command again once the cluster is healthy)")
            }
            ClusterError::TimedOut { doing, server, after } => {
                format!("{doing}: {server} sent no answer within {after} (--request-timeout); is the cluster overloaded?")
            }
            ClusterError::Dropped { doing, server, cause } => {
                format!("{doing}: the connection to {server} broke: {cause}")
            }
            ClusterError::NotReady(m) => m.clone(),
        };
        f.write_str(&one_line(&text))
    }
}

impl std::error::Error for ClusterError {}

/// Where the client points, to name it in errors.
#[derive(Debug, Clone, Default)]
pub struct Endpoint {
    pub context: String,
    pub server: String,
}

impl Endpoint {
    /// Turn a kube error into the one-line cause. `doing` says what was being done
    /// ("apply Deployment todo/web"), for errors that are about that rather than the connection.
    pub fn error(&self, doing: &str, error: kube::Error) -> ClusterError {
        match error {
            kube::Error::Api(status) => match status.code {
                401 => ClusterError::Unauthorized {
                    doing: doing.to_string(),
                    context: self.context.clone(),
                    server: self.server.clone(),
                },
                403 => ClusterError::Forbidden {
                    doing: doing.to_string(),
                    context: self.context.clone(),
                    message: status.message.clone(),
                },
                429 | 500..=599 => ClusterError::Server { doing: doing.to_string(), message: api_message(&status) },
                _ => ClusterError::Api { doing: doing.to_string(), message: api_message(&status) },
            },
            kube::Error::Auth(e) => ClusterError::Credentials { context: self.context.clone(), cause: root_cause(&e) },
            other => {
                let (doing, server) = (doing.to_string(), self.server.clone());
                match find::<Failure>(&other) {
                    Some(Failure::TimedOut(after)) => {
                        let after = Failure::TimedOut(*after).to_string();
                        let after =
                            after.trim_start_matches("no answer within ").trim_end_matches(" (--request-timeout)");
                        return ClusterError::TimedOut { doing, server, after: after.to_string() };
                    }
                    Some(dropped @ Failure::Dropped { .. }) => {
                        return ClusterError::Dropped { doing, server, cause: dropped.to_string() }
                    }
                    None => {}
                }
                let cause = root_cause(&other);
                if !is_connection_problem(&other) {
                    ClusterError::Api { doing, message: cause }
                } else if could_not_connect(&other) {
                    ClusterError::Unreachable { context: self.context.clone(), server, cause }
                } else {
                    ClusterError::Dropped { doing, server, cause }
                }
            }
        }
    }
}

/// The server's message with its reason and code, e.g. `Conflict (409): Apply failed ...`.
pub fn api_message(status: &kube::core::Status) -> String {
    let reason = if status.reason.is_empty() { "error".to_string() } else { status.reason.clone() };
    format!("{reason} ({}): {}", status.code, status.message)
}

/// Errors raised before any HTTP answer: connect, DNS, TLS, timeouts.
fn is_connection_problem(error: &kube::Error) -> bool {
    matches!(
        error,
        kube::Error::HyperError(_) | kube::Error::Service(_) | kube::Error::RustlsTls(_) | kube::Error::TlsRequired
    )
}

/// The first error of type `E` in the chain.
fn find<'a, E: std::error::Error + 'static>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a E> {
    let mut source = Some(error);
    while let Some(e) = source {
        if let Some(found) = e.downcast_ref::<E>() {
            return Some(found);
        }
        source = e.source();
    }
    None
}

/// The connection could not be made at all (refused, DNS, TLS handshake, connect timeout).
fn could_not_connect(error: &(dyn std::error::Error + 'static)) -> bool {
    find::<hyper_util::client::legacy::Error>(error).is_none_or(|e| e.is_connect())
}

/// The innermost cause in plain words: "Connection refused", "dns error: ...", "deadline has elapsed".
pub fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut last = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !text.is_empty() {
            last = text;
        }
        source = inner.source();
    }
    // io::Error says "Connection refused (os error 111)": the number helps nobody.
    match last.find(" (os error") {
        Some(at) => last[..at].to_string(),
        None => last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_one_line_with_exit_codes() {
        let e = ClusterError::Rejected {
            object: "Deployment demo/web".into(),
            message: "Apply failed with 2 conflicts:\na\nb".into(),
        };
        assert_eq!(e.to_string(), "Deployment demo/web: Apply failed with 2 conflicts:; a; b");
        assert_eq!(e.exit_code(), EXIT_NOT_READY);
        let e = ClusterError::MissingSecrets { keys: vec!["A".into(), "B".into()] };
        assert!(e.to_string().starts_with("missing secret values for A, B: nothing was sent"), "{e}");
        assert_eq!(ClusterError::Kubeconfig("x".into()).exit_code(), EXIT_CANNOT_RUN);
    }
}
