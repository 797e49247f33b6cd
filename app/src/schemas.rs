//! The Kubernetes schemas the page validates pasted manifests against: one same-origin script
//! asset per version (`schemas/kube-<version>.js`, written from `core/schemas/` by
//! `scripts/app-postbuild.sh`), loaded when its version is first chosen. Scripts, not fetches:
//! the page's CSP allows `script-src 'self'` and no connection.

use kubeplay_core::openapi::Schema;
use leptos::prelude::*;

use crate::browser;

/// Where a version's schema stands in this page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SchemaLoad {
    Loading,
    Ready(&'static Schema),
    /// The asset did not load or did not read as a schema (the reason is shown).
    Failed(&'static str),
}

/// The asset of `version`, relative to the page.
pub fn asset(version: &str) -> String {
    format!("schemas/kube-{version}.js")
}

/// The global each asset assigns its schema text to, by version.
const GLOBAL: &str = "kubeplaySchemas";

/// Each version's load state, filled in as versions are chosen.
#[derive(Clone, Copy)]
pub struct Schemas {
    loads: RwSignal<Vec<(String, SchemaLoad)>>,
}

impl Schemas {
    pub fn new() -> Self {
        Schemas { loads: RwSignal::new(Vec::new()) }
    }

    /// The state of `version` (tracked); `None` before it was first asked for.
    pub fn get(&self, version: &str) -> Option<SchemaLoad> {
        self.loads.with(|loads| loads.iter().find(|(v, _)| v == version).map(|(_, load)| *load))
    }

    /// Start loading `version` unless it was loaded or is loading.
    pub fn request(&self, version: &str) {
        if self.loads.with_untracked(|loads| loads.iter().any(|(v, _)| v == version)) {
            return;
        }
        let loads = self.loads;
        loads.update(|l| l.push((version.to_string(), SchemaLoad::Loading)));
        let version = version.to_string();
        leptos::task::spawn_local(async move {
            let load = read(&version).await;
            loads.update(|l| {
                if let Some(slot) = l.iter_mut().find(|(v, _)| *v == version) {
                    slot.1 = load;
                }
            });
        });
    }
}

async fn read(version: &str) -> SchemaLoad {
    if !browser::load_script(&asset(version)).await {
        return SchemaLoad::Failed("the schema file did not load");
    }
    let Some(text) = browser::global_entry(GLOBAL, version) else {
        return SchemaLoad::Failed("the schema file holds no schema for this version");
    };
    match Schema::from_json(&text) {
        // Kept for the page's life, as the CLI keeps its embedded ones: at most one per version.
        Ok(schema) => SchemaLoad::Ready(Box::leak(Box::new(schema))),
        Err(_) => SchemaLoad::Failed("the schema file is not a schema kubeplay reads"),
    }
}
