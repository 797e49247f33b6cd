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

/// A run kept to compare with (the preset's own, or the last edit's before); compared by
/// pointer (each is made once).
#[derive(Clone)]
struct Run(Arc<Analysis>);

impl PartialEq for Run {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The run compared with, if there is one: the last edit's before, or the preset's own.
fn earlier(state: AppState, compare: Compare, shipped: Option<&Run>) -> Option<Run> {
    match compare {
        Compare::LastEdit => state.computed.with(|c| c.before.clone()).map(Run),
        Compare::Preset => shipped.cloned(),
        Compare::Nothing => None,
    }
}

/// The diff's text against `earlier`, or why there is none.
fn diff_text(state: AppState, compare: Compare, earlier: Option<&Run>) -> Result<String, &'static str> {
    let Some(Run(before)) = earlier else {
        return Err(match compare {
            Compare::LastEdit => "No edit yet: change a value, then compare.",
            Compare::Preset => "Pasted manifests have no preset to compare with.",
            Compare::Nothing => "No difference.",
        });
    };
    let before_name = match compare {
        Compare::Preset => format!("preset {}", state.preset.get_untracked()),
        _ => "before the last edit".to_string(),
    };
    let diff = state.computed.with(|c| unified_diff(before.yaml(), c.analysis.yaml(), (&before_name, "now")));
    match diff.is_empty() {
        true => Err("No difference."),
        false => Ok(diff),
    }
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
            Run(Arc::new(analyze(&preset_text(&preset), &preset, Profile::default())))
        })
    });
    let earlier = Memo::new(move |_| shipped.with(|shipped| earlier(state, compare.get(), shipped.as_ref())));
    let text = Memo::new(move |_| earlier.with(|earlier| diff_text(state, compare.get(), earlier.as_ref())));
    // What the API server would refuse if now were applied over the earlier state.
    let refused = Memo::new(move |_| {
        let profile = state.profile.get();
        earlier.with(|earlier| match earlier {
            Some(Run(earlier)) => {
                state.computed.with(|c| upgrade_diagnostics(&earlier.manifests, &c.analysis, profile))
            }
            None => Vec::new(),
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
