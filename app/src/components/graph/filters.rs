//! The graph's filters: one namespace, kinds left out, only broken links (core's
//! `graph::Filter`), and a search by name that picks each match in turn.

use kubeplay_core::graph::{Filter, Graph};
use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn GraphFilters(filter: RwSignal<Filter>, selected: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let namespaces = Memo::new(move |_| {
        state.computed.with(|c| {
            c.analysis
                .graph
                .namespaces()
                .into_iter()
                .map(|(ns, _)| ns.to_string())
                .filter(|ns| !ns.is_empty())
                .collect::<Vec<_>>()
        })
    });
    let kinds = Memo::new(move |_| {
        state.computed.with(|c| c.analysis.graph.kinds().into_iter().map(str::to_string).collect::<Vec<_>>())
    });
    let kind_boxes = move || {
        kinds
            .get()
            .into_iter()
            .map(|kind| {
                let shown = {
                    let kind = kind.clone();
                    move || filter.with(|f| !f.hidden_kinds.contains(&kind))
                };
                let toggle = {
                    let kind = kind.clone();
                    move |ev| {
                        let on = event_target_checked(&ev);
                        filter.update(|f| {
                            if on {
                                f.hidden_kinds.remove(&kind);
                            } else {
                                f.hidden_kinds.insert(kind.clone());
                            }
                        })
                    }
                };
                view! {
                    <label class="check">
                        <input type="checkbox" id=format!("graph-kind-{kind}") prop:checked=shown on:change=toggle/>
                        {kind}
                    </label>
                }
            })
            .collect_view()
    };
    let search = RwSignal::new(String::new());
    // The matches of the search among the nodes drawn, and which one is picked.
    let matches = Memo::new(move |_| {
        let text = search.get();
        state.computed.with(|c| filter.with(|f| found(&c.analysis.graph, f, &text)))
    });
    let at = RwSignal::new(0usize);
    let show_match = move |step: usize| {
        let ids = matches.get_untracked();
        if ids.is_empty() {
            return;
        }
        let i = (at.get_untracked().min(ids.len() - 1) + step) % ids.len();
        at.set(i);
        selected.set(Some(ids[i].clone()));
        crate::browser::scroll_to_graph_node(&ids[i]);
    };
    let hidden = move || filter.with(|f| !f.shows_all());
    view! {
        <div class="graph-filters" role="group" aria-label="Show in the graph">
            <label class="field inline">
                <span>"Namespace"</span>
                <select id="graph-namespace" on:change=move |ev| {
                    let ns = event_target_value(&ev);
                    filter.update(|f| f.namespace = (!ns.is_empty()).then_some(ns));
                }>
                    <option value="" selected=move || filter.with(|f| f.namespace.is_none())>"All"</option>
                    {move || namespaces.get().into_iter().map(|ns| {
                        let chosen = ns.clone();
                        let value = ns.clone();
                        view! { <option value=value selected=move || filter.with(|f| f.namespace.as_deref() == Some(chosen.as_str()))>{ns}</option> }
                    }).collect_view()}
                </select>
            </label>
            <details class="graph-kinds">
                <summary>"Kinds"</summary>
                {kind_boxes}
            </details>
            <label class="check">
                <input type="checkbox" id="graph-only-broken" prop:checked=move || filter.with(|f| f.only_broken)
                    on:change=move |ev| filter.update(|f| f.only_broken = event_target_checked(&ev))/>
                "Only broken"
            </label>
            <Show when=hidden>
                <button type="button" id="graph-show-all" on:click=move |_| filter.set(Filter::default())>"Show all"</button>
            </Show>
            <input type="search" id="graph-search" placeholder="Find by name" aria-label="Find a node by name"
                prop:value=move || search.get()
                on:input=move |ev| {
                    search.set(event_target_value(&ev));
                    at.set(0);
                    show_match(0);
                }
                on:keydown=move |ev| if ev.key() == "Enter" {
                    ev.prevent_default();
                    show_match(1);
                }/>
            <span class="count" data-testid="graph-found">{move || match (search.with(|s| s.trim().is_empty()), matches.with(Vec::len)) {
                (true, _) => String::new(),
                (false, 0) => "none found".to_string(),
                (false, 1) => "1 found".to_string(),
                // An edit may leave fewer matches than the one picked last.
                (false, n) => format!("{} of {n} found (Enter: next)", at.get().min(n - 1) + 1),
            }}</span>
        </div>
    }
}

/// The ids of the drawn nodes whose name matches `text`.
fn found(graph: &Graph, filter: &Filter, text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    if filter.shows_all() {
        return graph.search(text).into_iter().map(|n| n.id.to_string()).collect();
    }
    graph.filtered(filter).search(text).into_iter().map(|n| n.id.to_string()).collect()
}
