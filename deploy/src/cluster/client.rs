//! Connecting as kubectl does: --kubeconfig or KUBECONFIG or ~/.kube/config, --context, and a
//! first request that tells an unreachable cluster from refused credentials.

use super::args::ClusterArgs;
use super::errors::{ClusterError, Endpoint};
use super::retry::Retry;
use super::ui::Ui;
use k8s_openapi::api::core::v1::Node;
use kube::api::ListParams;
use kube::client::ClientBuilder;
use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::{Api, Client, Config};
use std::sync::Arc;
use std::time::Duration;

/// Node label minikube puts on its nodes (`minikube.k8s.io/name: <profile>`).
pub const MINIKUBE_LABEL: &str = "minikube.k8s.io/name";

/// A connected cluster.
#[derive(Clone)]
pub struct Target {
    pub client: Client,
    pub endpoint: Endpoint,
    /// The context's namespace, or `default`.
    pub context_namespace: String,
    /// The namespace asked for with --namespace.
    pub namespace_flag: Option<String>,
    /// What the nodes say about the cluster.
    pub nodes: Nodes,
}

/// The nodes, as far as the user may list them.
#[derive(Clone, Debug, Default)]
pub struct Nodes {
    /// The minikube profile, when the nodes carry minikube's label.
    pub minikube_profile: Option<String>,
    /// Image names the nodes report (`status.images`, capped by the kubelet at 50 per node).
    pub images: Vec<String>,
    /// How many images the nodes listed (to say when the list may be cut short).
    pub image_entries: usize,
    /// False when the nodes could not be listed (RBAC often forbids it): minikube is then
    /// unknown and the image check is skipped.
    pub listed: bool,
}

impl Nodes {
    pub fn is_minikube(&self) -> bool {
        self.minikube_profile.is_some()
    }
}

impl Target {
    pub fn error(&self, doing: &str, error: kube::Error) -> ClusterError {
        self.endpoint.error(doing, error)
    }
}

/// How long to wait for a TCP connection: a stopped cluster should fail fast. The answer's
/// deadline is `--request-timeout`, kept by [`Retry`].
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

fn kubeconfig_error(error: KubeconfigError) -> ClusterError {
    ClusterError::Kubeconfig(match error {
        KubeconfigError::FindPath => {
            "no kubeconfig found: set KUBECONFIG or pass --kubeconfig (`minikube start` writes ~/.kube/config)".into()
        }
        KubeconfigError::ReadConfig(e, path) => format!("cannot read {}: {e}", path.display()),
        other => other.to_string(),
    })
}

/// Load the kubeconfig, pick the context, and check the cluster answers with these credentials.
/// Retry notes go to `ui`.
pub async fn connect(args: &ClusterArgs, ui: &Ui) -> Result<Target, ClusterError> {
    let kubeconfig = match &args.kubeconfig {
        Some(path) => Kubeconfig::read_from(path),
        None => Kubeconfig::read(),
    }
    .map_err(kubeconfig_error)?;
    let names: Vec<&str> = kubeconfig.contexts.iter().map(|c| c.name.as_str()).collect();
    let listed = if names.is_empty() { "it has none".to_string() } else { format!("it has: {}", names.join(", ")) };
    let context = match args.context.as_deref().or(kubeconfig.current_context.as_deref()) {
        Some(name) if names.contains(&name) => name.to_string(),
        Some(name) => {
            return Err(ClusterError::Kubeconfig(format!("there is no context `{name}` in the kubeconfig ({listed})")))
        }
        None => return Err(ClusterError::Kubeconfig(format!("no current context: pass --context ({listed})"))),
    };
    let options = KubeConfigOptions { context: Some(context.clone()), ..Default::default() };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &options).await.map_err(kubeconfig_error)?;
    config.connect_timeout = Some(CONNECT_TIMEOUT.min(args.request_timeout));
    config.read_timeout = None;
    config.reset_reader_on_write = true;
    // kube's own retry waits up to 1000 s between 15 silent tries: retry.rs retries instead.
    config.default_retry = false;
    let endpoint =
        Endpoint { context: context.clone(), server: config.cluster_url.to_string().trim_end_matches('/').to_string() };
    let context_namespace = config.default_namespace.clone();
    let note_ui = ui.clone();
    let retry = Retry::new(args.request_timeout, Arc::new(move |line: &str| note_ui.say(line)));
    let client =
        ClientBuilder::try_from(config).map_err(|e| endpoint.error("set up the client", e))?.with_layer(&retry).build();
    // /version answers every authenticated (and anonymous) user: a failure here is about the
    // connection or the credentials, not about permissions on objects.
    client.apiserver_version().await.map_err(|e| endpoint.error("ask the API server its version", e))?;
    let nodes = inspect_nodes(&client).await;
    Ok(Target { client, endpoint, context_namespace, namespace_flag: args.namespace.clone(), nodes })
}

/// Minikube detection and the images on the nodes. Listing nodes needs a cluster-wide
/// permission that ordinary users often lack: then nothing is known, which is not an error.
async fn inspect_nodes(client: &Client) -> Nodes {
    let api: Api<Node> = Api::all(client.clone());
    let Ok(list) = api.list(&ListParams::default()).await else {
        return Nodes::default();
    };
    let mut nodes = Nodes { listed: true, ..Default::default() };
    for node in &list.items {
        if let Some(profile) = node.metadata.labels.as_ref().and_then(|l| l.get(MINIKUBE_LABEL)) {
            nodes.minikube_profile = Some(profile.clone());
        }
        for image in node.status.iter().flat_map(|s| s.images.iter().flatten()) {
            nodes.image_entries += 1;
            nodes.images.extend(image.names.iter().flatten().cloned());
        }
    }
    nodes
}
