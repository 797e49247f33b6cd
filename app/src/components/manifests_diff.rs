//! The manifests against an earlier state, as a unified diff (core's): the last edit's before,
//! or the preset as it ships. A learner sees which lines one value changed, and which of those
//! changes an upgrade from that state would be refused (core's upgrade rules).

use kubeplay_core::manifest::changes::unified_diff;
use kubeplay_core::{upgrade_diagnostics, Analysis, Diagnostic, Profile};
use leptos::prelude::*;
use std::sync::Arc;

use super::problems::{go_to_place, problem_row};
use crate::state::{analyze, preset_text, AppState, Mode};

/// What the manifests are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Nothing,
    LastEdit,
    Preset,
}

impl Compare {
    pub fn parse(value: &str) -> Compare {
        match value {
            "edit" => Compare::LastEdit,
            "preset" => Compare::Preset,
            _ => Compare::Nothing,
        }
    }
}

/// The preset's own run, as it ships; compared by pointer (each is made once per preset).
#[derive(Clone)]
struct Shipped(Arc<Analysis>);

impl PartialEq for Shipped {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The run compared with, if there is one: the last edit's before, or the preset's own.
fn earlier(state: AppState, compare: Compare, shipped: Option<&Shipped>) -> Option<Arc<Analysis>> {
    match compare {
        Compare::LastEdit => state.computed.with(|c| c.before.clone()),
        Compare::Preset => shipped.map(|s| Arc::clone(&s.0)),
        Compare::Nothing => None,
    }
}

/// The diff's text, or why there is none. `shipped`: the preset's own run, when compared with.
fn diff_text(state: AppState, compare: Compare, shipped: Option<&Shipped>) -> Result<String, &'static str> {
    state.computed.with(|c| {
        let after = c.analysis.yaml();
        let diff = match (compare, shipped) {
            (Compare::LastEdit, _) => match &c.before {
                Some(before) => unified_diff(before.yaml(), after, ("before the last edit", "now")),
                None => return Err("No edit yet: change a value, then compare."),
            },
            (Compare::Preset, Some(shipped)) => {
                unified_diff(shipped.0.yaml(), after, (&format!("preset {}", state.preset.get_untracked()), "now"))
            }
            (Compare::Preset, None) => return Err("Pasted manifests have no preset to compare with."),
            (Compare::Nothing, _) => String::new(),
        };
        match diff.is_empty() {
            true => Err("No difference."),
            false => Ok(diff),
        }
    })
}

/// The class the diff's line `i` is shown with: its first two are the sides' names, then each
/// line's first character says what it is.
fn line_class(i: usize, line: &str) -> &'static str {
    if i < 2 {
        return "head";
    }
    match line.as_bytes().first() {
        Some(b'+') => "add",
        Some(b'-') => "del",
        Some(b'@') => "hunk",
        _ => "same",
    }
}

#[component]
pub fn ManifestsDiff(compare: Signal<Compare>) -> impl IntoView {
    let state = expect_context::<AppState>();
    // The preset's own render, made when the preset changes, not on every edit (a render does
    // not depend on the profile).
    let shipped = Memo::new(move |_| {
        (compare.get() == Compare::Preset && state.mode.get() == Mode::Values).then(|| {
            let preset = state.preset.get();
            Shipped(Arc::new(analyze(&preset_text(&preset), &preset, Profile::default())))
        })
    });
    let text = Memo::new(move |_| shipped.with(|shipped| diff_text(state, compare.get(), shipped.as_ref())));
    // What the API server would refuse if now were applied over the earlier state.
    let refused = Memo::new(move |_| {
        let earlier = shipped.with(|shipped| earlier(state, compare.get(), shipped.as_ref()));
        let profile = state.profile.get();
        earlier.map_or_else(Vec::new, |earlier| {
            state.computed.with(|c| upgrade_diagnostics(&earlier.manifests, &c.analysis, profile))
        })
    });
    let go = go_to_place();
    let refused_view = move || {
        refused.with(|refused: &Vec<Diagnostic>| {
            (!refused.is_empty()).then(|| {
                let rows = refused.iter().map(|d| problem_row(d, None, go)).collect_view();
                view! {
                    <section class="refused" data-testid="refused-updates" aria-label="Updates the API server would refuse">
                        <p>"Applied over it, the API server would refuse these changes:"</p>
                        <ul class="problems">{rows}</ul>
                    </section>
                }
            })
        })
    };
    let diff = move || {
        match text.get() {
        Ok(diff) => view! {
            <pre class="code diff" tabindex="0" aria-label="Manifests diff"><code id="manifests-diff" data-testid="manifests-diff">
                {diff.lines().enumerate().map(|(i, line)| view! { <span class=line_class(i, line)>{format!("{line}\n")}</span> }).collect_view()}
            </code></pre>
        }
        .into_any(),
        Err(why) => view! { <p class="empty" data-testid="no-diff">{why}</p> }.into_any(),
    }
    };
    view! { {refused_view} {diff} }
}
