//! What each workload's pods (a Deployment's, a StatefulSet's, a Job's, ...) will go through on
//! Minikube, step by step, as core predicts it (`kubeplay_core::lifecycle`): image loading,
//! config, probes, Service endpoints, tunnels. Values and pasted manifests alike.

use kubeplay_core::lifecycle::{self, StepState};
use leptos::prelude::*;

use crate::state::AppState;

fn state_class(state: StepState) -> &'static str {
    match state {
        StepState::Ok => "ok",
        StepState::NeedsAction => "action",
        StepState::WillFail => "fail",
    }
}

fn state_text(state: StepState) -> &'static str {
    match state {
        StepState::Ok => "ok",
        StepState::NeedsAction => "needs you",
        StepState::WillFail => "will fail",
    }
}

/// Only computed while its tab is shown: the other panes do not pay for it on every keystroke.
#[component]
pub fn LifecycleView(#[prop(into)] active: Signal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let predicted = Memo::new(move |_| {
        if !active.get() {
            return Vec::new();
        }
        // No secret values are given at deploy time from the page: empty ones are flagged.
        state.computed.with(|c| lifecycle::predict(&c.analysis.manifests, &[], true))
    });
    let cards = move || {
        predicted.with(|all| {
            all.iter()
                .map(|l| {
                    let steps = l
                        .steps
                        .iter()
                        .map(|s| {
                            let notes = s
                                .notes
                                .iter()
                                .map(|n| {
                                    view! {
                                        <li class=format!("note {}", state_class(n.state))>
                                            {n.container.clone().map(|c| view! { <code class="container">{c}</code> " " })}
                                            {n.text.clone()}
                                            {n.fix.clone().map(|f| view! { <div class="fix">"Fix: " <code>{f}</code></div> })}
                                            {n.diagnosis.map(|d| view! { <div class="meta">"Shows up as " <code>{d}</code></div> })}
                                            {n.rule.map(|r| view! { <div class="meta">"Rule " <code>{r}</code></div> })}
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! {
                                <li class=format!("step {}", state_class(s.state))>
                                    <span class="step-state">{state_text(s.state)}</span>
                                    <strong>{s.title}</strong>
                                    <ul class="notes">{notes}</ul>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <article class=format!("lifecycle {}", state_class(l.state())) data-workload=format!("{}/{}/{}", l.namespace, l.kind, l.name)>
                            <h3>{format!("{} {} ({} × pod, namespace {})", l.kind, l.name, l.replicas, l.namespace)}
                                " " <span class="step-state">{state_text(l.state())}</span></h3>
                            <ol class="steps">{steps}</ol>
                        </article>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <p class="legend">"Predicted on Minikube, from the manifests alone: what each workload's pods go through when applied."</p>
        <Show when=move || predicted.with(|p| !p.is_empty()) fallback=|| view! { <p class="empty">"No workloads to predict."</p> }>
            <div class="lifecycles" data-testid="lifecycle">{cards}</div>
        </Show>
    }
}
