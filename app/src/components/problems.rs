//! Every diagnostic: severity, rule ID, message and fix. Clicking one goes to its place: the
//! form field when the form is open and has one, otherwise the line in the text.

use kubeplay_core::path::FieldPath;
use kubeplay_core::{rules, Diagnostic};
use leptos::prelude::*;

use crate::browser;
use crate::components::form::field_id;
use crate::components::LeftTab;
use crate::state::{AppState, Mode, MANIFESTS_FILE, VALUES_FILE};

#[component]
pub fn ProblemsList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let left_tab = expect_context::<RwSignal<LeftTab>>();
    let go = move |d: &Diagnostic| {
        let file = if state.mode.get_untracked() == Mode::Values { VALUES_FILE } else { MANIFESTS_FILE };
        if left_tab.get_untracked() == LeftTab::Form && state.mode.get_untracked() == Mode::Values {
            if let Some(path) = &d.path {
                // The field itself, else the nearest enclosing one that has an input.
                let mut path = FieldPath::parse(path);
                loop {
                    if browser::focus_id(&field_id(&path)) {
                        return;
                    }
                    if !path.pop() {
                        break;
                    }
                }
            }
        }
        if let Some(line) = d.location.as_ref().filter(|l| l.file == file).map(|l| l.line) {
            state.goto_line.set(Some(line));
        }
    };
    let items = move || {
        state.computed.with(|c| {
            c.analysis
                .diagnostics
                .iter()
                .map(|d| {
                    let summary = rules::find(d.rule).map(|r| r.summary).unwrap_or_default();
                    let place = match (&d.location, &d.resource, &d.field) {
                        (Some(l), _, _) => format!("{}:{}:{}", l.file, l.line, l.column),
                        (None, Some(r), Some(f)) => format!("{r} {f}"),
                        (None, Some(r), None) => r.to_string(),
                        _ => String::new(),
                    };
                    let path = d.path.clone();
                    let diagnostic = d.clone();
                    view! {
                        <li class=format!("problem {}", d.severity) data-rule=d.rule>
                            <button type="button" class="problem-go" on:click=move |_| go(&diagnostic) title=summary>
                                <span class="sev">{d.severity.to_string()}</span>
                                <code class="rule">{d.rule}</code>
                                <span class="message">{d.message.clone()}</span>
                            </button>
                            <div class="where">{place}{path.map(|p| view! { " · " <code>{p}</code> })}</div>
                            {d.help.clone().map(|h| view! { <p class="help">"Fix: " {h}</p> })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show
            when=move || state.computed.with(|c| !c.analysis.diagnostics.is_empty())
            fallback=|| view! { <p class="empty ok" data-testid="no-problems">"No problems found."</p> }
        >
            <ul class="problems" data-testid="problems">{items}</ul>
        </Show>
    }
}
