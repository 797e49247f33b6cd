//! url-service-unresolved: env values that address a Service by DNS name must name one that exists, on one of its ports.

use super::workloads::{declared_ports, port_ref_text, resolve_port, selected_workloads, PortMatch};
use super::{Category, Check, EdgeKind, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::all_containers;
use crate::manifest::{ManifestSet, Object};
use crate::path::field_path;
use crate::resource::ResourceRef;
use hashbrown::HashSet;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeSet;

pub const RULE: Rule = Rule {
    id: "url-service-unresolved",
    summary: "An env value that points at a Service (http://name:port or name:port) must name a Service in the namespace and one of its ports.",
    help: "Use the Service's name and its `port` (not the container's targetPort).",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

/// An address found in an env value: `scheme://host[:port]/...` or `host:port`.
#[derive(Debug, PartialEq)]
struct Address {
    scheme: Option<String>,
    /// Lowercase: DNS names are case-insensitive.
    host: String,
    port: Option<i32>,
}

impl Address {
    /// `scheme://host:port` or `host:port`: the address without the path, and without any
    /// `user:password@`, which must never reach a message.
    fn shown(&self) -> String {
        let scheme = self.scheme.as_deref().map(|s| format!("{s}://")).unwrap_or_default();
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("{scheme}{}{port}", self.host)
    }
}

/// A host that names a Service in the set's namespaces.
#[derive(Debug, PartialEq)]
struct ServiceHost<'a> {
    name: &'a str,
    /// `None` for a bare name: the caller's own namespace.
    namespace: Option<&'a str>,
}

fn check(set: &ManifestSet, sink: &mut super::ManifestSink) {
    let namespaces = set.namespaces();
    let mut drawn = HashSet::new();
    for c in all_containers(set) {
        let pod_namespace = set.namespace_of(c.resource());
        let pods = c.workload.pods_ref(set);
        for (j, env) in c.container.env.iter().flatten().enumerate() {
            let Some(value) = &env.value else { continue };
            // Lists such as `http://a:80,http://b:80` are common (CORS origins, brokers).
            for token in value.split(|ch: char| ch == ',' || ch.is_whitespace()).filter(|t| !t.is_empty()) {
                let Some(address) = parse_address(token) else {
                    continue;
                };
                let Some(host) = service_host(&address.host, &namespaces) else {
                    continue;
                };
                let namespace = host.namespace.unwrap_or(pod_namespace);
                let service = set.find("Service", namespace, host.name).and_then(|(i, r)| match &r.object {
                    Object::Service(s) => Some((i, s)),
                    _ => None,
                });
                // Without a scheme, `name:123` may be an image (`postgres:16`) or a ratio: only
                // an existing Service's name or an env name that says "address" makes it one.
                let network_scheme = match &address.scheme {
                    Some(scheme) => default_port(scheme).is_some() || PORTLESS_SCHEMES.contains(&scheme.as_str()),
                    None => names_an_address(&env.name),
                };
                if service.is_none() && !network_scheme {
                    continue;
                }
                let port = address.port.or_else(|| address.scheme.as_deref().and_then(default_port));
                let from = pods.clone();
                let to = ResourceRef::new("", "Service", namespace, host.name);
                let label = match port {
                    Some(p) => format!("{} :{p}", env.name),
                    None => env.name.clone(),
                };
                if !drawn.insert((from.clone(), to.clone(), label.clone())) {
                    continue;
                }
                let at = || (c.resource(), c.field().join(&field_path!("env", j, "value")));
                let Some((service_index, service)) = service else {
                    let mut message = format!(
                        "env `{}` calls `{}`, but there is no Service `{}` in namespace `{namespace}`",
                        env.name,
                        address.shown(),
                        host.name
                    );
                    if host.namespace.is_none() {
                        message.push_str(
                            ": inside the cluster a bare name resolves only to a Service of the pod's own namespace.",
                        );
                    } else {
                        message.push('.');
                    }
                    message.push_str(&missing_service_hint(set, &namespaces, host.name, namespace));
                    sink.broken_edge(from, to, EdgeKind::Calls, label, at(), message);
                    continue;
                };
                let Some(port) = port else {
                    // A scheme with no standard port and none given: the Service exists, which
                    // is all that can be checked.
                    sink.edge(from, to, EdgeKind::Calls, label);
                    continue;
                };
                let service_ports = service.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or(&[]);
                if service_ports.iter().any(|p| p.port == port) {
                    sink.edge(from, to, EdgeKind::Calls, label);
                    continue;
                }
                let implied = if address.port.is_none() {
                    format!(" (the default for {}://)", address.scheme.as_deref().unwrap_or(""))
                } else {
                    String::new()
                };
                let listed: Vec<String> = service_ports.iter().map(|p| p.port.to_string()).collect();
                let listed = if listed.is_empty() { "no ports".to_string() } else { listed.join(", ") };
                let mut message = format!(
                    "env `{}` calls Service `{}` on port {port}{implied}, but the Service listens on {listed}.",
                    env.name, host.name
                );
                if let Some((service_port, target)) = target_port_used(set, service_index, service, port) {
                    message.push_str(&format!(
                        " {port} is the container's port (targetPort `{target}`): inside the cluster, clients call the Service's `port` ({service_port}) and the Service forwards to the container."
                    ));
                }
                sink.broken_edge(from, to, EdgeKind::Calls, label, at(), message);
            }
        }
    }
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

/// The Service port whose target is `port` on the pods (by number, or by a name the selected
/// containers declare as `port`), with the targetPort as written: the common mistake of calling
/// the container's port instead of the Service's.
fn target_port_used(set: &ManifestSet, service_index: usize, service: &Service, port: i32) -> Option<(i32, String)> {
    let workloads = selected_workloads(set, service_index);
    let ports = service.spec.as_ref()?.ports.as_deref()?;
    ports.iter().find_map(|p| {
        let target = p.target_port.as_ref()?;
        let matches = workloads.iter().any(|w| matches!(resolve_port(target, declared_ports(w)), PortMatch::Declared(n) | PortMatch::UndeclaredNumber(n) if n == port));
        (matches || *target == IntOrString::Int(port)).then(|| (p.port, port_ref_text(target)))
    })
}

/// Why a Service may be missing: it is in another namespace, only a Deployment has the name,
/// or the name is a typo of one that exists.
fn missing_service_hint(set: &ManifestSet, namespaces: &BTreeSet<&str>, name: &str, namespace: &str) -> String {
    if let Some(other_ns) = namespaces.iter().find(|ns| set.find("Service", ns, name).is_some()) {
        return format!(" Service `{name}` is in namespace `{other_ns}`: call it `{name}.{other_ns}`.");
    }
    let workload = crate::manifest::WorkloadKind::ALL
        .iter()
        .find_map(|k| set.find(k.as_str(), namespace, name).and_then(|(i, _)| set.workload(i)));
    if let Some(w) = workload {
        return format!(" {} has no Service: pods are reached through a Service, so give the component one.", w.who());
    }
    let names = set.of_kind_in("Service", namespace).map(|i| set.resources[i].object.name());
    crate::presets::suggest(name, names).map(|n| format!(" Did you mean `{n}`?")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "url-service-unresolved";

    fn frontend_env(value: &str) -> String {
        format!("components:\n  todo-frontend:\n    env:\n      BACKEND_URL: \"{value}\"\n")
    }

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

    #[test]
    fn the_default_backend_url_calls_the_backend_service() {
        let sink = rendered(RULE, "{}");
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        assert_eq!(sink.edges.len(), 1);
        assert_eq!(
            (sink.edges[0].from.to_string().as_str(), sink.edges[0].to.to_string().as_str()),
            ("todo-chatbot/Pods/todo-frontend", "todo-chatbot/Service/todo-backend")
        );
        assert_eq!(sink.edges[0].label, "BACKEND_URL :8000");
    }

    #[test]
    fn calling_the_target_port_instead_of_the_service_port_is_explained() {
        let overlay = "components:\n  todo-backend:\n    service: {port: 80}\n";
        let sink = rendered(RULE, overlay);
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.containers[0].env[0].value");
        let message = &sink.findings[0].message;
        assert!(message.contains("listens on 80") && message.contains("targetPort `http`"), "{message}");
        assert!(sink.edges[0].broken.is_some());
    }

    #[test]
    fn a_bare_name_that_is_no_service_breaks_an_edge_to_a_missing_node() {
        let sink = rendered(RULE, &frontend_env("http://todo-backnd:8000"));
        assert_eq!(sink.findings.len(), 1);
        assert!(sink.findings[0].message.contains("bare name resolves only"), "{}", sink.findings[0].message);
        assert!(sink.findings[0].message.contains("Did you mean `todo-backend`?"));
        assert_eq!(sink.edges[0].to, "todo-chatbot/Service/todo-backnd");
        // Credentials in the URL never reach the message.
        let sink = rendered(RULE, &frontend_env("postgres://app:hunter2@db:5432/todo"));
        assert!(
            sink.findings[0].message.contains("`postgres://db:5432`") && !sink.findings[0].message.contains("hunter2"),
            "{}",
            sink.findings[0].message
        );
    }

    #[test]
    fn scheme_defaults_and_qualified_names_resolve() {
        let sink = rendered(RULE, &frontend_env("http://todo-frontend.todo-chatbot.svc.cluster.local"));
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        assert_eq!(sink.edges[0].label, "BACKEND_URL :80");
        let wrong = rendered(RULE, &frontend_env("http://todo-backend.todo-chatbot"));
        assert!(wrong.findings[0].message.contains("(the default for http://)"), "{}", wrong.findings[0].message);
    }

    #[test]
    fn external_and_unrelated_values_are_ignored() {
        for value in
            ["https://api.openai.com/v1", "http://localhost:3000", "http://10.1.2.3:80", "s3://bucket/key", "12:30"]
        {
            let sink = rendered(RULE, &frontend_env(value));
            assert!(sink.findings.is_empty() && sink.edges.is_empty(), "{value}: {:?}", sink.edges);
        }
        // An image reference is not an address, but a host variable naming nothing is.
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: job\nspec:\n  selector:\n    matchLabels: {app: job}\n  template:\n    metadata:\n      labels: {app: job}\n    spec:\n      containers:\n        - name: job\n          image: job:1\n          env:\n            - {name: RUNNER_IMAGE, value: \"postgres:16\"}\n            - {name: REDIS_HOST, value: \"redis:6379\"}\n";
        let sink = manifests(RULE, yaml);
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.containers[0].env[1].value");
    }
}
