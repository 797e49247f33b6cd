//! Reading manifests: YAML documents into typed objects, each keeping the JSON it was read from
//! (what is written back out and applied) and its spans (where findings point).
//!
//! Objects are read through small types of the fields kubeplay's rules, graph and lifecycle
//! look at ([`modeled`]), then converted into the k8s-openapi types the rest of `core` works
//! on. Reading through k8s-openapi's own `Deserialize` would check every field of every pod
//! type, but it was the browser app's largest piece of code (48 KB of gzipped wasm, with the jiff
//! date parser it pulls in), for fields no rule reads. Fields outside the model are kept in the
//! JSON, unchecked: the API server (or `kubeplay apply`'s dry run) still checks them.

use super::{ManifestSet, Object, Origin, Resource};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::path::FieldPath;
use crate::source::{self, SourceFile};
use serde_json::Value;

/// Read manifests from YAML files. Documents that are not valid objects are diagnostics; other
/// kinds are kept and reported as info.
pub fn read(files: Vec<SourceFile>) -> (ManifestSet, Vec<Diagnostic>) {
    let mut set = ManifestSet::default();
    let mut diagnostics = Vec::new();
    for file in files {
        let file_index = set.files.len();
        match source::parse(&file) {
            Err(d) => diagnostics.push(*d),
            Ok(docs) => {
                for doc in docs {
                    // Empty documents (`---` with nothing, or only `~`) hold no object.
                    let Some(root) = doc.root.filter(|r| r.kind != source::NodeKind::Scalar(source::Scalar::Null))
                    else {
                        continue;
                    };
                    let json = root.to_json();
                    match read_object(&json) {
                        Ok(object) => {
                            if matches!(object, Object::Other { .. }) {
                                diagnostics.push(
                                    Diagnostic::new(Severity::Info, "unmodeled-kind", format!("{} is kept as it is: kubeplay checks Namespaces, ConfigMaps, Secrets, Services and Deployments", object.id()))
                                        .with_location(Some(source::location(&file, root.span))),
                                );
                            }
                            set.resources.push(Resource {
                                object,
                                origin: Origin::Parsed {
                                    file: file_index,
                                    document: doc.index,
                                    spans: root.index(),
                                    json,
                                },
                            });
                        }
                        Err((path, message)) => {
                            let root_span = root.span;
                            let span = root.index().nearest(&path).map_or(root_span, |(s, _)| s);
                            diagnostics.push(
                                Diagnostic::error("manifest-invalid", format!("document {}: {message}", doc.index + 1))
                                    .with_location(Some(source::location(&file, span))),
                            );
                        }
                    }
                }
            }
        }
        set.files.push(file);
    }
    if set.resources.is_empty() && diagnostics.is_empty() {
        let names: Vec<&str> = set.files.iter().map(|f| f.name.as_str()).collect();
        let mut d = Diagnostic::error(
            "manifest-invalid",
            format!("no Kubernetes objects in {}: there is nothing to apply", names.join(", ")),
        );
        d.location = set.files.first().map(|f| Location { file: f.name.clone(), line: 1, column: 1, span: 0..0 });
        diagnostics.push(d);
    }
    (set, diagnostics)
}

fn read_object(json: &Value) -> Result<Object, (FieldPath, String)> {
    fn typed<T: serde::de::DeserializeOwned>(json: &Value) -> Result<T, (FieldPath, String)> {
        crate::tracked::deserialize(json).map_err(|(path, e)| (path.clone(), format!("`{path}`: {e}")))
    }
    let api_version = json.get("apiVersion").and_then(|v| v.as_str()).unwrap_or_default();
    let kind = json.get("kind").and_then(|v| v.as_str()).unwrap_or_default();
    if api_version.is_empty() || kind.is_empty() {
        return Err((FieldPath::root(), "a manifest needs `apiVersion` and `kind`".into()));
    }
    Ok(match (api_version, kind) {
        ("v1", "Namespace") => Object::Namespace(typed::<modeled::Namespace>(json)?.into()),
        ("v1", "Secret") => {
            Object::Secret(typed::<modeled::Secret>(&crate::rules::secret_base64::readable(json))?.into())
        }
        ("v1", "ConfigMap") => Object::ConfigMap(typed::<modeled::ConfigMap>(json)?.into()),
        ("v1", "Service") => Object::Service(typed::<modeled::Service>(json)?.into()),
        ("apps/v1", "Deployment") => Object::Deployment(typed::<modeled::Deployment>(json)?.into()),
        _ => Object::Other {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            metadata: typed::<modeled::Metadata>(json)?.metadata.into(),
        },
    })
}

/// The fields kubeplay reads from each kind (a field read elsewhere in `core` or the CLI must be
/// here too, or pasted objects quietly lack it), with k8s-openapi's names and JSON shapes. Small
/// parts read whole (selectors, ports, env, probes, resources) are k8s-openapi's own types. As
/// in k8s-openapi, a missing or null required field reads as its default. `Other` kinds read
/// only their metadata.
mod modeled {
    use k8s_openapi::api::apps::v1 as apps;
    use k8s_openapi::api::core::v1 as core;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
    use k8s_openapi::ByteString;
    use serde::{Deserialize, Deserializer};
    use std::collections::BTreeMap;

    /// A required field: missing and null read as the default, as k8s-openapi reads them.
    fn or_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct ObjectMeta {
        annotations: Option<BTreeMap<String, String>>,
        generate_name: Option<String>,
        labels: Option<BTreeMap<String, String>>,
        name: Option<String>,
        namespace: Option<String>,
    }

    impl From<ObjectMeta> for meta::ObjectMeta {
        fn from(m: ObjectMeta) -> Self {
            meta::ObjectMeta {
                annotations: m.annotations,
                generate_name: m.generate_name,
                labels: m.labels,
                name: m.name,
                namespace: m.namespace,
                ..Default::default()
            }
        }
    }

    /// Any object's metadata.
    #[derive(Deserialize)]
    pub struct Metadata {
        #[serde(default, deserialize_with = "or_default")]
        pub metadata: ObjectMeta,
    }

    #[derive(Deserialize)]
    pub struct Namespace {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
    }

    impl From<Namespace> for core::Namespace {
        fn from(o: Namespace) -> Self {
            core::Namespace { metadata: o.metadata.into(), ..Default::default() }
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ConfigMap {
        binary_data: Option<BTreeMap<String, ByteString>>,
        data: Option<BTreeMap<String, String>>,
        immutable: Option<bool>,
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
    }

    impl From<ConfigMap> for core::ConfigMap {
        fn from(o: ConfigMap) -> Self {
            core::ConfigMap {
                binary_data: o.binary_data,
                data: o.data,
                immutable: o.immutable,
                metadata: o.metadata.into(),
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Secret {
        data: Option<BTreeMap<String, ByteString>>,
        immutable: Option<bool>,
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        string_data: Option<BTreeMap<String, String>>,
        #[serde(rename = "type")]
        type_: Option<String>,
    }

    impl From<Secret> for core::Secret {
        fn from(o: Secret) -> Self {
            core::Secret {
                data: o.data,
                immutable: o.immutable,
                metadata: o.metadata.into(),
                string_data: o.string_data,
                type_: o.type_,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Service {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<ServiceSpec>,
        status: Option<ServiceStatus>,
    }

    /// A Service copied from a cluster (`kubectl get -o yaml`) may carry the address its load
    /// balancer got: the lifecycle shows it.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ServiceStatus {
        load_balancer: Option<core::LoadBalancerStatus>,
    }

    #[derive(Deserialize)]
    pub struct ServiceSpec {
        ports: Option<Vec<core::ServicePort>>,
        selector: Option<BTreeMap<String, String>>,
        #[serde(rename = "type")]
        type_: Option<String>,
    }

    impl From<Service> for core::Service {
        fn from(o: Service) -> Self {
            core::Service {
                metadata: o.metadata.into(),
                spec: o.spec.map(|s| core::ServiceSpec {
                    ports: s.ports,
                    selector: s.selector,
                    type_: s.type_,
                    ..Default::default()
                }),
                status: o.status.map(|s| core::ServiceStatus { conditions: None, load_balancer: s.load_balancer }),
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Deployment {
        #[serde(default, deserialize_with = "or_default")]
        metadata: ObjectMeta,
        spec: Option<DeploymentSpec>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DeploymentSpec {
        progress_deadline_seconds: Option<i32>,
        replicas: Option<i32>,
        #[serde(default, deserialize_with = "or_default")]
        selector: meta::LabelSelector,
        #[serde(default, deserialize_with = "or_default")]
        template: PodTemplateSpec,
    }

    #[derive(Deserialize, Default)]
    pub struct PodTemplateSpec {
        metadata: Option<ObjectMeta>,
        spec: Option<PodSpec>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PodSpec {
        #[serde(default, deserialize_with = "or_default")]
        containers: Vec<Container>,
        init_containers: Option<Vec<Container>>,
        security_context: Option<PodSecurityContext>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Container {
        args: Option<Vec<String>>,
        command: Option<Vec<String>>,
        env: Option<Vec<core::EnvVar>>,
        env_from: Option<Vec<core::EnvFromSource>>,
        image: Option<String>,
        image_pull_policy: Option<String>,
        liveness_probe: Option<core::Probe>,
        #[serde(default, deserialize_with = "or_default")]
        name: String,
        ports: Option<Vec<core::ContainerPort>>,
        readiness_probe: Option<core::Probe>,
        resources: Option<core::ResourceRequirements>,
        security_context: Option<SecurityContext>,
        startup_probe: Option<core::Probe>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SecurityContext {
        allow_privilege_escalation: Option<bool>,
        privileged: Option<bool>,
        read_only_root_filesystem: Option<bool>,
        run_as_non_root: Option<bool>,
        run_as_user: Option<i64>,
    }

    impl From<SecurityContext> for core::SecurityContext {
        fn from(s: SecurityContext) -> Self {
            core::SecurityContext {
                allow_privilege_escalation: s.allow_privilege_escalation,
                privileged: s.privileged,
                read_only_root_filesystem: s.read_only_root_filesystem,
                run_as_non_root: s.run_as_non_root,
                run_as_user: s.run_as_user,
                ..Default::default()
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PodSecurityContext {
        run_as_non_root: Option<bool>,
        run_as_user: Option<i64>,
    }

    impl From<PodSecurityContext> for core::PodSecurityContext {
        fn from(s: PodSecurityContext) -> Self {
            core::PodSecurityContext {
                run_as_non_root: s.run_as_non_root,
                run_as_user: s.run_as_user,
                ..Default::default()
            }
        }
    }

    impl From<Container> for core::Container {
        fn from(c: Container) -> Self {
            core::Container {
                args: c.args,
                command: c.command,
                env: c.env,
                env_from: c.env_from,
                image: c.image,
                image_pull_policy: c.image_pull_policy,
                liveness_probe: c.liveness_probe,
                name: c.name,
                ports: c.ports,
                readiness_probe: c.readiness_probe,
                resources: c.resources,
                security_context: c.security_context.map(Into::into),
                startup_probe: c.startup_probe,
                ..Default::default()
            }
        }
    }

    impl From<Deployment> for apps::Deployment {
        fn from(o: Deployment) -> Self {
            let containers = |list: Vec<Container>| list.into_iter().map(core::Container::from).collect();
            apps::Deployment {
                metadata: o.metadata.into(),
                spec: o.spec.map(|s| apps::DeploymentSpec {
                    progress_deadline_seconds: s.progress_deadline_seconds,
                    replicas: s.replicas,
                    selector: s.selector,
                    template: core::PodTemplateSpec {
                        metadata: s.template.metadata.map(Into::into),
                        spec: s.template.spec.map(|p| core::PodSpec {
                            containers: containers(p.containers),
                            init_containers: p.init_containers.map(containers),
                            security_context: p.security_context.map(Into::into),
                            ..Default::default()
                        }),
                    },
                    ..Default::default()
                }),
                status: None,
            }
        }
    }
}
