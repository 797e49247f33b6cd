//! The page: a header with the choices (preset, input kind, profile), the two ways to edit on the
//! left, and the panes that show what core computed on the right.

mod downloads;
mod editor;
mod form;
mod graph;
mod ingress;
mod init_containers;
mod lifecycle;
mod manifests;
mod manifests_diff;
mod network;
mod probes;
mod problems;
mod process;
mod scaling;
mod security;
mod volumes;
mod workload_kind;
// The components in headless Chromium: `cargo test -p kubeplay-app --target wasm32-unknown-unknown`.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use kubeplay_core::openapi;
use kubeplay_core::presets::PRESETS;
use kubeplay_core::{PodSecurityLevel, Profile, Severity};
use leptos::prelude::*;

use crate::schemas::SchemaLoad;
use crate::share::Snapshot;
use crate::state::{self, AppState, Mode};

/// The root: owns the state and hands it to every pane by context (one copy of the signal
/// handles instead of threading them through each layer of props).
#[component]
pub fn App(
    /// Where the page starts: `state::initial_snapshot()`.
    start: Snapshot,
) -> impl IntoView {
    let state = AppState::starting_from(start);
    provide_context(state);
    state::persist(state);
    state::load_schemas(state);
    let left_tab = RwSignal::new(LeftTab::Form);
    // The problems list decides between focusing a form field and going to a line by this.
    provide_context(left_tab);
    let right_tab = RwSignal::new(RightTab::Manifests);
    // A problem's "graph" link asks the graph to show a node: bring its tab forward.
    let reveal = graph::Reveal(RwSignal::new(None));
    provide_context(reveal);
    Effect::new(move |_| {
        if reveal.0.get().is_some() {
            right_tab.set(RightTab::Graph);
        }
    });
    // The problems list asks the editor to show a line: bring the text tab forward first.
    Effect::new(move |_| {
        if state.goto_line.get().is_some() {
            left_tab.set(LeftTab::Text);
        }
    });
    view! {
        <header class="top">
            <h1><span class="logo" aria-hidden="true">"⎈"</span>" kubeplay"</h1>
            <PresetPicker/>
            <ModeSwitch/>
            <ProfileSwitch/>
            <PodSecurityPicker/>
            <KubeVersionPicker/>
            <StatusLine/>
        </header>
        <main class="layout">
            <section class="column" aria-label="Input">
                <div class="tabs" role="tablist" aria-label="Edit with">
                    <TabButton label="Form" id="tab-form" selected=Signal::derive(move || left_tab.get() == LeftTab::Form) on_pick=move || left_tab.set(LeftTab::Form) hidden=Signal::derive(move || state.mode.get() == Mode::Manifests)/>
                    <TabButton label="YAML text" id="tab-text" selected=Signal::derive(move || left_tab.get() == LeftTab::Text || state.mode.get() == Mode::Manifests) on_pick=move || left_tab.set(LeftTab::Text) hidden=Signal::derive(|| false)/>
                </div>
                // Each panel takes the focus (the ARIA tabs pattern): a keyboard can scroll one that holds
                // nothing focusable.
                <div class="panel" role="tabpanel" tabindex="0" aria-labelledby="tab-form" hidden=move || left_tab.get() != LeftTab::Form || state.mode.get() == Mode::Manifests>
                    // Built only while shown: a big app's form has thousands of fields, each
                    // checked on every edit of the text or of pasted manifests otherwise.
                    <Show when=move || left_tab.get() == LeftTab::Form && state.mode.get() == Mode::Values>
                        <form::ValuesForm/>
                    </Show>
                </div>
                <div class="panel" role="tabpanel" tabindex="0" aria-labelledby="tab-text" hidden=move || left_tab.get() != LeftTab::Text && state.mode.get() == Mode::Values>
                    <editor::TextEditor/>
                </div>
            </section>
            <section class="column" aria-label="Output">
                <div class="tabs" role="tablist" aria-label="Show">
                    <TabButton label="Manifests" id="tab-manifests" selected=Signal::derive(move || right_tab.get() == RightTab::Manifests) on_pick=move || right_tab.set(RightTab::Manifests) hidden=Signal::derive(|| false)/>
                    <ProblemsTabButton selected=Signal::derive(move || right_tab.get() == RightTab::Problems) on_pick=move || right_tab.set(RightTab::Problems)/>
                    <TabButton label="Graph" id="tab-graph" selected=Signal::derive(move || right_tab.get() == RightTab::Graph) on_pick=move || right_tab.set(RightTab::Graph) hidden=Signal::derive(|| false)/>
                    <TabButton label="Lifecycle" id="tab-lifecycle" selected=Signal::derive(move || right_tab.get() == RightTab::Lifecycle) on_pick=move || right_tab.set(RightTab::Lifecycle) hidden=Signal::derive(|| false)/>
                    <TabButton label="Download & share" id="tab-downloads" selected=Signal::derive(move || right_tab.get() == RightTab::Downloads) on_pick=move || right_tab.set(RightTab::Downloads) hidden=Signal::derive(|| false)/>
                </div>
                <div class="panel" role="tabpanel" tabindex="0" aria-labelledby="tab-manifests" hidden=move || right_tab.get() != RightTab::Manifests>
                    <manifests::ManifestsView/>
                </div>
                <div class="panel" role="tabpanel" tabindex="0" aria-labelledby="tab-problems" hidden=move || right_tab.get() != RightTab::Problems>
                    <problems::ProblemsList active=Signal::derive(move || right_tab.get() == RightTab::Problems)/>
                </div>
                <div class="panel" role="tabpanel" tabindex="0" aria-labelledby="tab-graph" hidden=move || right_tab.get() != RightTab::Graph>
                    <graph::GraphView active=Signal::derive(move || right_tab.get() == RightTab::Graph)/>
                </div>
                <div class="panel" role="tabpanel" tabindex="0" aria-labelledby="tab-lifecycle" hidden=move || right_tab.get() != RightTab::Lifecycle>
                    <lifecycle::LifecycleView active=Signal::derive(move || right_tab.get() == RightTab::Lifecycle)/>
                </div>
                <div class="panel" role="tabpanel" tabindex="0" aria-labelledby="tab-downloads" hidden=move || right_tab.get() != RightTab::Downloads>
                    <downloads::Downloads/>
                </div>
            </section>
        </main>
        <footer class="foot">
            "Everything runs in this page: no request leaves it. Values are checked by the same code as the "
            <code>"kubeplay"</code>" command line."
        </footer>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeftTab {
    Form,
    Text,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RightTab {
    Manifests,
    Problems,
    Graph,
    Lifecycle,
    Downloads,
}

#[component]
fn TabButton(
    label: &'static str,
    id: &'static str,
    #[prop(into)] selected: Signal<bool>,
    on_pick: impl Fn() + 'static,
    #[prop(into)] hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="button" role="tab" id=id class="tab" aria-selected=move || selected.get().to_string() hidden=move || hidden.get() on:click=move |_| on_pick()>
            {label}
        </button>
    }
}

/// The problems tab shows how many errors and warnings there are.
#[component]
fn ProblemsTabButton(#[prop(into)] selected: Signal<bool>, on_pick: impl Fn() + 'static) -> impl IntoView {
    let state = expect_context::<AppState>();
    let counts = move || {
        state.computed.with(|c| {
            let count = |s| c.analysis.diagnostics.iter().filter(|d| d.severity == s).count();
            (count(Severity::Error), count(Severity::Warning))
        })
    };
    view! {
        <button type="button" role="tab" id="tab-problems" class="tab" aria-selected=move || selected.get().to_string() on:click=move |_| on_pick()>
            "Problems "
            <span class="badge error" data-testid="error-count" title="errors">{move || counts().0}</span>
            <span class="badge warning" data-testid="warning-count" title="warnings">{move || counts().1}</span>
        </button>
    }
}

/// Start from a preset: replaces the text (the user is asked first when it was edited).
#[component]
fn PresetPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |ev| {
        let name = event_target_value(&ev);
        let edited = state.values_text.with_untracked(|t| *t != state::preset_text(&state.preset.get_untracked()));
        let confirmed = !edited
            || web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message("Replace your values with the preset? (Your edits are lost.)").ok()
                })
                .unwrap_or(true);
        if confirmed {
            state.load_preset(&name);
        } else {
            // Put the select back on the preset in use.
            state.preset.update(|_| {});
        }
    };
    view! {
        <label class="field inline">
            <span>"Preset"</span>
            <select id="preset" on:change=on_change prop:value=move || state.preset.get()>
                {PRESETS.iter().map(|p| view! { <option value=p.name title=p.summary>{p.name}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// Values (edited here) or pasted manifests (checked as they are).
#[component]
fn ModeSwitch() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <fieldset class="segmented" aria-label="Input kind">
            <legend class="sr-only">"Input kind"</legend>
            <label><input type="radio" name="mode" id="mode-values" prop:checked=move || state.mode.get() == Mode::Values on:change=move |_| state.mode.set(Mode::Values)/>"Values"</label>
            <label><input type="radio" name="mode" id="mode-manifests" prop:checked=move || state.mode.get() == Mode::Manifests on:change=move |_| state.mode.set(Mode::Manifests)/>"Paste manifests"</label>
        </fieldset>
    }
}

/// Which cluster the checks are tuned for.
#[component]
fn ProfileSwitch() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="field inline">
            <span>"Profile"</span>
            <select id="profile" prop:value=move || state.profile.get().as_str() on:change=move |ev| {
                if let Some(p) = Profile::parse(&event_target_value(&ev)) { state.profile.set(p) }
            }>
                {Profile::ALL.iter().map(|p| view! { <option value=p.as_str()>{p.as_str()}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The Pod Security Standards level every pod template is checked at; the profile's own unless
/// chosen (a Namespace's enforce label still wins for its namespace).
#[component]
fn PodSecurityPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let chosen = move || state.pod_security.get().map_or("", |l| l.as_str());
    view! {
        <label class="field inline">
            <span>"Pod Security"</span>
            <select id="pod-security" prop:value=chosen on:change=move |ev| state.pod_security.set(PodSecurityLevel::parse(&event_target_value(&ev)))>
                <option value="">{move || format!("as the profile ({})", state.profile.get().pod_security().as_str())}</option>
                {PodSecurityLevel::ALL.iter().map(|l| view! { <option value=l.as_str()>{l.as_str()}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The Kubernetes version pasted manifests are validated against (its schema and the APIs it
/// still serves).
#[component]
fn KubeVersionPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="field inline">
            <span>"Kubernetes"</span>
            <select id="kube-version" prop:value=move || state.kube_version.get() on:change=move |ev| state.kube_version.set(event_target_value(&ev))>
                {openapi::VERSIONS.iter().rev().map(|v| view! { <option value=*v>{*v}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// How long core took, and for pasted manifests, which schema they were validated against.
#[component]
fn StatusLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    let schema = move || {
        if state.mode.get() != Mode::Manifests {
            return String::new();
        }
        let version = state.kube_version.get();
        match state.schemas.get(&version) {
            Some(SchemaLoad::Ready(_)) => format!(" · Kubernetes {version} schema"),
            Some(SchemaLoad::Failed(why)) => format!(" · no Kubernetes {version} schema: {why}"),
            Some(SchemaLoad::Loading) | None => format!(" · loading the Kubernetes {version} schema…"),
        }
    };
    view! {
        <p class="status" aria-live="polite" data-testid="status">
            {move || state.computed.with(|c| format!("checked in {:.1} ms", c.millis))}
            {schema}
        </p>
    }
}
