//! Calls between workloads: env values that address a Service by DNS name (`http://api:8000`,
//! `redis:6379`, `db.shop.svc.cluster.local`). Rules check that the Service and its port exist
//! and that no NetworkPolicy drops the call; the graph draws them.

use super::workload::{all_containers, ContainerRef};
use super::{ManifestSet, Object};
use crate::path::{field_path, FieldPath};
use k8s_openapi::api::core::v1::Service;
use std::collections::BTreeSet;

/// An address found in an env value: `scheme://host[:port]/...` or `host:port`.
#[derive(Debug, PartialEq)]
pub struct Address {
    pub scheme: Option<String>,
    /// Lowercase: DNS names are case-insensitive.
    pub host: String,
    pub port: Option<i32>,
}

impl Address {
    /// `scheme://host:port` or `host:port`: the address without the path, and without any
    /// `user:password@`, which must never reach a message.
    pub fn shown(&self) -> String {
        let scheme = self.scheme.as_deref().map(|s| format!("{s}://")).unwrap_or_default();
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("{scheme}{}{port}", self.host)
    }
}

/// One env value's address of a Service of the set's namespaces.
pub struct EnvCall<'a> {
    /// The calling container.
    pub container: ContainerRef<'a>,
    /// Index of the variable in the container's `env`.
    pub env: usize,
    pub env_name: &'a str,
    pub address: Address,
    /// The Service's name, as the host gives it.
    pub service_name: String,
    /// The Service's namespace: the one the host names, or else the caller's.
    pub namespace: &'a str,
    /// Whether the host names the namespace (`name.ns...`) rather than being a bare name.
    pub qualified: bool,
    /// The Service, when the set has it: its index and object.
    pub service: Option<(usize, &'a Service)>,
    /// The port called: the one written, or the scheme's default.
    pub port: Option<i32>,
    /// Whether the scheme or the variable's name says this is a network address; a scheme-less
    /// `name:123` that names no Service may be an image (`postgres:16`) or a ratio.
    pub network_scheme: bool,
}

impl EnvCall<'_> {
    /// The variable's value: where a finding about the call points.
    pub fn field(&self) -> FieldPath {
        self.container.field().join(&field_path!("env", self.env, "value"))
    }
    /// `BACKEND_URL :8000`: the graph's label of the call.
    pub fn label(&self) -> String {
        match self.port {
            Some(p) => format!("{} :{p}", self.env_name),
            None => self.env_name.to_string(),
        }
    }
}

/// Every address of a Service in the env values of the set's containers, in set order.
pub fn env_calls(set: &ManifestSet) -> Vec<EnvCall<'_>> {
    let namespaces = set.namespaces();
    let mut calls = Vec::new();
    for container in all_containers(set) {
        let pod_namespace = set.namespace_of(container.resource());
        for (env, var) in container.container.env.iter().flatten().enumerate() {
            let Some(value) = &var.value else { continue };
            // Lists such as `http://a:80,http://b:80` are common (CORS origins, brokers).
            for token in value.split(|ch: char| ch == ',' || ch.is_whitespace()).filter(|t| !t.is_empty()) {
                let Some(address) = parse_address(token) else { continue };
                let Some(host) = service_host(&address.host, &namespaces) else { continue };
                let service_name = host.name.to_string();
                // From the set, so that `address` is free to move into the call.
                let named_namespace = host.namespace.and_then(|n| namespaces.get(n).copied());
                let namespace = named_namespace.unwrap_or(pod_namespace);
                let service = set.find("Service", namespace, &service_name).and_then(|(i, r)| match &r.object {
                    Object::Service(s) => Some((i, &**s)),
                    _ => None,
                });
                let network_scheme = match &address.scheme {
                    Some(scheme) => default_port(scheme).is_some() || PORTLESS_SCHEMES.contains(&scheme.as_str()),
                    None => names_an_address(&var.name),
                };
                let port = address.port.or_else(|| address.scheme.as_deref().and_then(default_port));
                calls.push(EnvCall {
                    container,
                    env,
                    env_name: &var.name,
                    address,
                    service_name,
                    namespace,
                    qualified: named_namespace.is_some(),
                    service,
                    port,
                    network_scheme,
                });
            }
        }
    }
    calls
}

/// Schemes of network services with no single standard port.
const PORTLESS_SCHEMES: &[&str] = &["grpc", "tcp", "udp", "kafka"];

/// The port a scheme implies when the URL gives none.
fn default_port(scheme: &str) -> Option<i32> {
    Some(match scheme.strip_prefix("jdbc:").unwrap_or(scheme) {
        "http" | "ws" => 80,
        "https" | "wss" => 443,
        "postgres" | "postgresql" => 5432,
        "mysql" | "mariadb" => 3306,
        "redis" | "rediss" => 6379,
        "mongodb" => 27017,
        "amqp" => 5672,
        "amqps" => 5671,
        "nats" => 4222,
        "mqtt" => 1883,
        "memcached" => 11211,
        "ldap" => 389,
        "smtp" => 25,
        _ => return None,
    })
}

/// True for env names that say their value is an address (`REDIS_HOST`, `API_ENDPOINT`...).
fn names_an_address(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    ["HOST", "ADDR", "URL", "URI", "ENDPOINT", "SERVER", "BROKER", "UPSTREAM", "BACKEND", "SERVICE", "DSN"]
        .iter()
        .any(|word| name.contains(word))
}

/// `scheme://[user[:password]@]host[:port][/...]`, `jdbc:scheme://...`, or `host:port[/...]`.
fn parse_address(token: &str) -> Option<Address> {
    let (scheme, rest) = match token.split_once("://") {
        Some((scheme, rest)) => {
            let bare = scheme.strip_prefix("jdbc:").unwrap_or(scheme);
            let valid = bare.starts_with(|ch: char| ch.is_ascii_alphabetic())
                && bare.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '-' | '.'));
            if !valid {
                return None;
            }
            (Some(scheme.to_ascii_lowercase()), rest)
        }
        None => (None, token),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = match (scheme.is_some(), authority.rsplit_once('@')) {
        (true, Some((_, host_port))) => host_port,
        // `a@b:1` without a scheme is not an address (an e-mail with a port is nonsense).
        (false, Some(_)) => return None,
        (_, None) => authority,
    };
    // IPv6 literals (`[::1]:80`) are never Service names.
    if authority.starts_with('[') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port.parse::<u16>().ok().filter(|p| *p > 0)? as i32)),
        None if scheme.is_some() => (authority, None),
        None => return None,
    };
    if host.is_empty() {
        return None;
    }
    Some(Address { scheme, host: host.to_ascii_lowercase(), port })
}

/// A host that names a Service in the set's namespaces.
#[derive(Debug, PartialEq)]
struct ServiceHost<'a> {
    name: &'a str,
    /// `None` for a bare name: the caller's own namespace.
    namespace: Option<&'a str>,
}

/// The Service a host names: a bare name, or `name.ns`, `name.ns.svc`,
/// `name.ns.svc.cluster.local` for a namespace of the set. Anything else (public domains,
/// `localhost`, IP addresses, namespaces the set does not hold) is outside what can be checked.
fn service_host<'a>(host: &'a str, namespaces: &BTreeSet<&'a str>) -> Option<ServiceHost<'a>> {
    let labels: Vec<&str> = host.split('.').collect();
    let name = labels[0];
    if name == "localhost" || crate::names::dns1035_label(name).is_err() {
        return None;
    }
    let namespace = match labels.as_slice() {
        [_] => return Some(ServiceHost { name, namespace: None }),
        [_, ns] | [_, ns, "svc"] | [_, ns, "svc", "cluster", "local"] => *ns,
        _ => return None,
    };
    namespaces.get(namespace).map(|ns| ServiceHost { name, namespace: Some(ns) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_parsed_and_hosts_classified() {
        let a = |t: &str| parse_address(t).map(|a| (a.scheme, a.host, a.port));
        assert_eq!(a("http://todo-backend:8000/api"), Some((Some("http".into()), "todo-backend".into(), Some(8000))));
        assert_eq!(a("postgres://u:p@DB/x"), Some((Some("postgres".into()), "db".into(), None)));
        assert_eq!(a("redis:6379"), Some((None, "redis".into(), Some(6379))));
        assert_eq!(a("gpt-4o-mini"), None);
        assert_eq!(a("http://[::1]:80"), None);
        assert_eq!(a("http://x:http"), None);
        let namespaces: BTreeSet<&str> = ["shop"].into();
        let h = |host: &'static str| service_host(host, &namespaces).map(|s| (s.name, s.namespace));
        assert_eq!(h("api"), Some(("api", None)));
        assert_eq!(h("api.shop.svc.cluster.local"), Some(("api", Some("shop"))));
        assert_eq!(h("api.openai.com"), None);
        assert_eq!(h("api.other"), None);
        assert_eq!(h("localhost"), None);
        assert_eq!(h("10.0.0.1"), None);
    }
}
