//! Strict schema validation of built-in kinds against the Kubernetes OpenAPI, like `kubectl
//! --validate=strict`: unknown fields (with "did you mean"), types, required fields,
//! int-or-string, quantities and the enums the API server checks; every problem at once.
//!
//! The schemas are data, not code: `scripts/gen-kube-schemas.py` turns kubernetes-validate's
//! strict JSON Schemas (Apache-2.0) into `core/schemas/kube-<version>.json`, read by
//! [`Schema::from_json`]. They are compiled in only with the `schemas` feature (the CLI's), so
//! the browser app can load the one it needs as a separate asset.

mod date_time;
mod problem;
mod schema;
mod validate;

pub use problem::{Found, Problem, ProblemKind};
pub use schema::{LoadError, Schema};

/// The Kubernetes versions kubeplay has schemas for, oldest first (`core/schemas/`).
pub const VERSIONS: &[&str] = &["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"];

/// The newest version in [`VERSIONS`]: what is checked when none is chosen.
pub const NEWEST: &str = VERSIONS[VERSIONS.len() - 1];

/// The compact schema text of `version`, when compiled in.
#[cfg(any(test, feature = "schemas"))]
fn text(version: &str) -> Option<&'static str> {
    Some(match version {
        "1.29" => include_str!("../../schemas/kube-1.29.json"),
        "1.30" => include_str!("../../schemas/kube-1.30.json"),
        "1.31" => include_str!("../../schemas/kube-1.31.json"),
        "1.32" => include_str!("../../schemas/kube-1.32.json"),
        "1.33" => include_str!("../../schemas/kube-1.33.json"),
        "1.34" => include_str!("../../schemas/kube-1.34.json"),
        "1.35" => include_str!("../../schemas/kube-1.35.json"),
        _ => return None,
    })
}

/// The schema of `version` (one of [`VERSIONS`]), read on first use and kept for the process.
#[cfg(any(test, feature = "schemas"))]
pub fn embedded(version: &str) -> Option<&'static Schema> {
    static READ: [std::sync::OnceLock<Schema>; VERSIONS.len()] = [const { std::sync::OnceLock::new() }; VERSIONS.len()];
    let i = VERSIONS.iter().position(|v| *v == version)?;
    let text = text(version)?;
    Some(READ[i].get_or_init(|| Schema::from_json(text).expect("the committed schemas are read by the tests")))
}

#[cfg(test)]
mod tests;
