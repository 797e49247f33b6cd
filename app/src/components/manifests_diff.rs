//! The manifests against an earlier state, as a unified diff (core's): the last edit's before,
//! or the preset as it ships. A learner sees which lines one value changed.

use kubeplay_core::manifest::changes::unified_diff;
use kubeplay_core::Settings;
use leptos::prelude::*;

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

/// The diff's text, or why there is none.
fn diff_text(state: AppState, compare: Compare) -> Result<String, &'static str> {
    state.computed.with(|c| {
        let after = c.analysis.yaml();
        let diff = match compare {
            Compare::Nothing => return Ok(String::new()),
            Compare::LastEdit => match &c.before {
                Some(before) => unified_diff(before.yaml(), after, ("before the last edit", "now")),
                None => return Err("No edit yet: change a value, then compare."),
            },
            Compare::Preset => {
                if state.mode.get() != Mode::Values {
                    return Err("Pasted manifests have no preset to compare with.");
                }
                let preset = state.preset.get();
                let shipped = analyze(&preset_text(&preset), &preset, Settings::from(state.profile.get()));
                unified_diff(shipped.yaml(), after, (&format!("preset {preset}"), "now"))
            }
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
    let text = Memo::new(move |_| diff_text(state, compare.get()));
    move || {
        match text.get() {
        Ok(diff) => view! {
            <pre class="code diff" tabindex="0" aria-label="Manifests diff"><code id="manifests-diff" data-testid="manifests-diff">
                {diff.lines().enumerate().map(|(i, line)| view! { <span class=line_class(i, line)>{format!("{line}\n")}</span> }).collect_view()}
            </code></pre>
        }
        .into_any(),
        Err(why) => view! { <p class="empty" data-testid="no-diff">{why}</p> }.into_any(),
    }
    }
}
