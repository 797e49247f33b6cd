//! The playground's state: what the user chose (signals at the root) and what core computed from
//! it (one memo that every pane reads). Only the effects in `persist` reach outside the page.

use kubeplay_core::manifest::changes::{self, Change};
use kubeplay_core::manifest::Object;
use kubeplay_core::openapi;
use kubeplay_core::presets::{self, PRESETS};
use kubeplay_core::resource::ResourceRef;
use kubeplay_core::{
    analyze_manifests, analyze_values, Analysis, PodSecurityLevel, Profile, Settings, SourceFile, Values, ValuesInput,
};
use leptos::prelude::*;
use std::sync::Arc;

use crate::browser;
use crate::schemas::{SchemaLoad, Schemas};
use crate::share::{self, Snapshot};

/// The file name diagnostics use for the editor's text in values mode.
pub const VALUES_FILE: &str = "values.yaml";
/// The file name diagnostics use for the editor's text in manifests mode.
pub const MANIFESTS_FILE: &str = "manifests.yaml";
/// Whole values files are laid over core's blank preset.
pub use kubeplay_core::presets::BLANK_PRESET as BASE_PRESET;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The text is a values.yaml; the form edits it too.
    Values,
    /// The text is pasted manifests, checked as they are.
    Manifests,
}

/// One run of core over the current input, plus what the form falls back on.
#[derive(Clone)]
pub struct Computed {
    pub analysis: Arc<Analysis>,
    /// The last values that loaded cleanly: the form shows them while the text is broken.
    pub last_valid: Option<Arc<Values>>,
    /// How long core took, in milliseconds (shown in the status bar).
    pub millis: f64,
    /// What the last change added, changed or removed, against the last run that made manifests
    /// in the same mode (a broken text in between changes nothing).
    pub changed: Vec<(ResourceRef, Change)>,
    /// The run `changed` was measured against: the manifests before the last edit.
    pub before: Option<Arc<Analysis>>,
    /// The run `changed` is measured against next time.
    base: Option<(Mode, Arc<Analysis>)>,
}

impl PartialEq for Computed {
    // Every run makes a new Arc; comparing contents would cost as much as a render.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.analysis, &other.analysis)
    }
}

impl Computed {
    /// True when the text loads as values (the form may write it back).
    pub fn values_ok(&self) -> bool {
        self.analysis.values.is_some()
    }
}

/// Everything the panes share, passed by context. All fields are cheap copies of signal handles.
#[derive(Clone, Copy)]
pub struct AppState {
    pub mode: RwSignal<Mode>,
    pub preset: RwSignal<String>,
    pub profile: RwSignal<Profile>,
    /// The Pod Security level checked; `None`: the profile's own.
    pub pod_security: RwSignal<Option<PodSecurityLevel>>,
    /// The Kubernetes version pasted manifests are validated against (one of core's versions).
    pub kube_version: RwSignal<String>,
    /// The schemas loaded so far, by version.
    pub schemas: Schemas,
    pub values_text: RwSignal<String>,
    pub manifests_text: RwSignal<String>,
    /// Save secret values in localStorage too (off unless the user ticks it).
    pub remember_secrets: RwSignal<bool>,
    /// A request from the problems list to the editor: select this 1-based line.
    pub goto_line: RwSignal<Option<usize>>,
    pub computed: Memo<Computed>,
}

impl AppState {
    /// A state on the default preset, as a first visit without a link starts: what the
    /// component tests mount (the page starts from `initial_snapshot`).
    #[cfg(all(test, target_arch = "wasm32"))]
    pub fn new() -> Self {
        Self::starting_from(default_snapshot())
    }

    /// A state that starts from `start` (see [`initial_snapshot`]).
    pub fn starting_from(start: Snapshot) -> Self {
        let mode = RwSignal::new(if start.manifests { Mode::Manifests } else { Mode::Values });
        let preset = RwSignal::new(start.preset.clone());
        let profile = RwSignal::new(start.profile);
        let text = as_a_textarea_holds(start.text);
        let (values, manifests) =
            if start.manifests { (preset_text(&start.preset), text) } else { (text, String::new()) };
        let values_text = RwSignal::new(values);
        let manifests_text = RwSignal::new(manifests);
        let remember_secrets = RwSignal::new(browser::storage_get(REMEMBER_KEY).is_some());
        let pod_security = RwSignal::new(None);
        let kube_version = RwSignal::new(openapi::NEWEST.to_string());
        let schemas = Schemas::new();
        let computed = Memo::new(move |previous: Option<&Computed>| {
            let started = browser::now();
            let schema = match kube_version.with(|v| schemas.get(v)) {
                Some(SchemaLoad::Ready(schema)) => Some(schema),
                _ => None,
            };
            let settings = Settings::new(profile.get(), pod_security.get()).with_schema(schema);
            let analysis = match mode.get() {
                Mode::Values => values_text.with(|text| analyze(text, &preset.read(), settings)),
                Mode::Manifests => manifests_text
                    .with(|text| analyze_manifests(vec![SourceFile::new(MANIFESTS_FILE, text.as_str())], settings)),
            };
            // The same Arc while the values are the same (a comment typed, the profile changed):
            // the form compares by pointer, and rewrites no field then.
            let kept = previous.and_then(|p| p.last_valid.clone());
            let last_valid = match &analysis.values {
                Some(values) => match kept.filter(|kept| **kept == *values) {
                    Some(same) => Some(same),
                    None => Some(Arc::new(values.clone())),
                },
                None => kept,
            };
            let analysis = Arc::new(analysis);
            let mode = mode.get_untracked();
            let base = previous.and_then(|p| p.base.clone()).filter(|(m, _)| *m == mode);
            let made = !analysis.manifests.resources.is_empty();
            let (changed, before) = match &base {
                Some((_, before)) if made => {
                    let changed = changes::changes(
                        &before.manifests,
                        &before.document_texts(),
                        &analysis.manifests,
                        &analysis.document_texts(),
                    );
                    // A run that changes nothing (a comment typed, the text written back) keeps
                    // showing what the last change did.
                    match (changed.is_empty(), previous) {
                        (true, Some(p)) => (p.changed.clone(), p.before.clone()),
                        _ => (changed, Some(Arc::clone(before))),
                    }
                }
                _ => (Vec::new(), None),
            };
            let base = if made { Some((mode, Arc::clone(&analysis))) } else { base };
            Computed { analysis, last_valid, millis: browser::now() - started, changed, before, base }
        });
        AppState {
            mode,
            preset,
            profile,
            pod_security,
            kube_version,
            schemas,
            values_text,
            manifests_text,
            remember_secrets,
            goto_line: RwSignal::new(None),
            computed,
        }
    }

    /// Start over from a preset's values (comments included).
    pub fn load_preset(&self, name: &str) {
        self.preset.set(name.to_string());
        self.values_text.set(preset_text(name));
        self.mode.set(Mode::Values);
    }

    /// Apply a form edit to the last valid values and write them back as the text. Does nothing
    /// while the text is broken: the form is read-only then, so no typing is lost.
    pub fn edit_values(&self, edit: impl FnOnce(&mut Values)) {
        let current = self.computed.with_untracked(|c| c.values_ok().then(|| c.last_valid.clone()).flatten());
        let Some(current) = current else { return };
        let mut values = (*current).clone();
        edit(&mut values);
        if values != *current {
            self.values_text.set(values.to_yaml());
        }
    }

    /// What may leave the editor (share link, storage): secrets stripped; `None` when that
    /// cannot be guaranteed.
    pub fn snapshot(&self, keep_secrets: bool) -> Option<Snapshot> {
        let mode = self.mode.get_untracked();
        let text = match mode {
            Mode::Values => {
                let raw = self.values_text.get_untracked();
                if keep_secrets {
                    raw
                } else {
                    self.computed.with_untracked(|c| share::shareable_values(&raw, c.analysis.values.as_ref()))?
                }
            }
            Mode::Manifests => {
                let raw = self.manifests_text.get_untracked();
                if !keep_secrets && self.computed.with_untracked(|c| manifests_may_hold_secrets(&raw, &c.analysis)) {
                    return None;
                }
                raw
            }
        };
        Some(Snapshot {
            preset: self.preset.get_untracked(),
            profile: self.profile.get_untracked(),
            text,
            manifests: mode == Mode::Manifests,
        })
    }
}

/// localStorage key set while the user wants secret values kept across reloads.
pub const REMEMBER_KEY: &str = "kubeplay.remember-secrets";

/// Run core over the editor's values text.
pub fn analyze(text: &str, preset: &str, settings: impl Into<Settings>) -> Analysis {
    let input =
        ValuesInput { preset: Some(BASE_PRESET.into()), files: vec![SourceFile::new(VALUES_FILE, text)], sets: vec![] };
    analyze_values(&input, Some(preset), settings)
}

/// A preset's values text; the default preset's for an unknown name.
pub fn preset_text(name: &str) -> String {
    let preset = presets::find(name).or_else(|| presets::find(presets::DEFAULT_PRESET)).or(PRESETS.first());
    as_a_textarea_holds(preset.map(|p| p.yaml.to_string()).unwrap_or_default())
}

/// Text with its line breaks as a textarea holds them: `\r\n` and `\r` become `\n` (the DOM
/// does so to what it shows), so the editor's offsets and core's lines count the same text.
fn as_a_textarea_holds(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Pasted manifests are kept verbatim, so they may only be stored or shared when no Secret in
/// them carries data. A text mentioning Secret that did not parse is treated as holding one.
fn manifests_may_hold_secrets(text: &str, analysis: &Analysis) -> bool {
    let parsed_secret_data = analysis.manifests.resources.iter().any(|r| match &r.object {
        Object::Secret(s) => {
            s.data.as_ref().is_some_and(|d| d.values().any(|v| !v.0.is_empty()))
                || s.string_data.as_ref().is_some_and(|d| d.values().any(|v| !v.is_empty()))
        }
        _ => false,
    });
    let parsed_secrets = analysis.manifests.resources.iter().filter(|r| matches!(r.object, Object::Secret(_))).count();
    parsed_secret_data || text.matches("Secret").count() > parsed_secrets
}

/// Where the page starts: a share link wins, then the saved state, then the default preset.
/// Async: the browser inflates a link's text (DecompressionStream) and answers later.
pub async fn initial_snapshot() -> Snapshot {
    let fragment = browser::fragment();
    if !fragment.is_empty() {
        // Read once; later edits are saved in storage and must win over the old link on reload.
        browser::clear_fragment();
        if let Some(snapshot) = share::decode(&fragment).await {
            return with_known_preset(snapshot);
        }
    }
    if let Some(snapshot) = browser::storage_get(share::STORAGE_KEY).as_deref().and_then(share::from_stored) {
        return with_known_preset(snapshot);
    }
    if let Some(stored) = browser::storage_get(share::LEGACY_STORAGE_KEY) {
        if let Some(snapshot) = share::decode(&stored).await {
            return with_known_preset(snapshot);
        }
    }
    default_snapshot()
}

fn default_snapshot() -> Snapshot {
    Snapshot {
        preset: presets::DEFAULT_PRESET.into(),
        profile: Profile::default(),
        text: preset_text(presets::DEFAULT_PRESET),
        manifests: false,
    }
}

fn with_known_preset(mut snapshot: Snapshot) -> Snapshot {
    if presets::find(&snapshot.preset).is_none() {
        snapshot.preset = presets::DEFAULT_PRESET.into();
    }
    snapshot
}

/// Load the chosen version's schema once manifests are pasted: values mode checks kubeplay's own
/// render, which needs none, so the first load never waits for one.
pub fn load_schemas(state: AppState) {
    Effect::new(move |_| {
        if state.mode.get() == Mode::Manifests {
            state.kube_version.with(|version| state.schemas.request(version));
        }
    });
}

/// Keep the last state in localStorage: secret values only when the user asked. Effects sync
/// outward only; nothing here feeds back into the signals.
pub fn persist(state: AppState) {
    Effect::new(move |_| {
        state.computed.track();
        state.mode.track();
        let keep = state.remember_secrets.get();
        if keep {
            let _ = browser::storage_set(REMEMBER_KEY, "1");
        } else {
            browser::storage_remove(REMEMBER_KEY);
        }
        // Broken text that may hold secrets keeps the previous saved state rather than risk it.
        if let Some(snapshot) = state.snapshot(keep) {
            // Saved by an earlier page; read at most once, the new key wins once it is written
            // (a full storage keeps the old state rather than none).
            if browser::storage_set(share::STORAGE_KEY, &share::to_stored(&snapshot)) {
                browser::storage_remove(share::LEGACY_STORAGE_KEY);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_comes_in_with_the_line_breaks_a_textarea_keeps() {
        assert_eq!(super::as_a_textarea_holds("a: 1\r\nb: 2\rc: 3\n".into()), "a: 1\nb: 2\nc: 3\n");
        assert_eq!(super::as_a_textarea_holds("a: 1\n".into()), "a: 1\n");
    }
}
