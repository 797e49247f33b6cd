//! The rendered manifests: all of them (what `kubeplay render` prints) or one resource, with a
//! copy button, and which resources the last edit added, changed or removed.

use kubeplay_core::manifest;
use kubeplay_core::manifest::changes::Change;
use leptos::prelude::*;

use super::manifests_diff::{Compare, ManifestsDiff};
use crate::browser;
use crate::state::{AppState, Mode};

/// `yaml` cut at `starts` (where core's documents after the first begin, `Analysis::documents`),
/// each piece with how many same pieces came before it (a key for `<For>`): an edit re-lays out
/// only the documents it changed, not the whole text, and the pieces read as the YAML exactly.
fn pieces(yaml: &str, starts: impl Iterator<Item = usize>) -> Vec<(String, usize)> {
    let mut cuts: Vec<usize> = starts.filter(|&at| at > 0 && at < yaml.len()).collect();
    cuts.push(yaml.len());
    let mut seen: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut out = Vec::with_capacity(cuts.len());
    let mut from = 0;
    for to in cuts {
        if to <= from {
            continue;
        }
        let piece = &yaml[from..to];
        let before = seen.entry(piece).or_default();
        out.push((piece.to_string(), *before));
        *before += 1;
        from = to;
    }
    out
}

#[component]
pub fn ManifestsView() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Empty means every resource.
    let selected = RwSignal::new(String::new());
    let ids = Memo::new(move |_| {
        state.computed.with(|c| c.analysis.manifests.resources.iter().map(|r| r.object.id()).collect::<Vec<_>>())
    });
    // What the pane shows, in pieces (see `pieces`).
    let shown = Memo::new(move |_| {
        let wanted = selected.get();
        state.computed.with(|c| {
            let one = c.analysis.manifests.resources.iter().find(|r| !wanted.is_empty() && r.object.id() == wanted);
            match one {
                // Written exactly as core writes a whole set, like `kubeplay render -o DIR` does per file.
                Some(resource) => vec![(manifest::resources_to_yaml([resource]), 0)],
                None => pieces(c.analysis.yaml(), c.analysis.documents().iter().skip(1).map(|d| d.start)),
            }
        })
    });
    let compare = RwSignal::new(Compare::Nothing);
    let copied = RwSignal::new(false);
    let copy = move |_| {
        browser::copy(&shown.with_untracked(|p| p.iter().map(|(piece, _)| piece.as_str()).collect::<String>()));
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_millis(1500));
    };
    view! {
        <div class="pane-head">
            <span class="count" data-testid="resource-count">{move || {
                let n = ids.with(Vec::len);
                format!("{n} resource{}", if n == 1 { "" } else { "s" })
            }}</span>
            <label class="field inline">
                <span>"Show"</span>
                <select id="resource-select" prop:value=move || selected.get() on:change=move |ev| selected.set(event_target_value(&ev))>
                    <option value="">"All resources"</option>
                    <For each=move || ids.get() key=|id| id.clone() let:id>
                        <option value=id.clone()>{id.clone()}</option>
                    </For>
                </select>
            </label>
            <button type="button" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            <label class="field inline">
                <span>"Compare with"</span>
                <select id="manifests-compare" on:change=move |ev| compare.set(Compare::parse(&event_target_value(&ev)))>
                    <option value="">"nothing"</option>
                    <option value="edit">"before the last edit"</option>
                    <option value="preset" disabled=move || state.mode.get() != Mode::Values>"the preset as it ships"</option>
                </select>
            </label>
        </div>
        <Show when=move || state.computed.with(|c| !c.changed.is_empty())>
            <p class="changes" data-testid="changes">
                "The last edit: "
                {move || state.computed.with(|c| {
                    c.changed
                        .iter()
                        .map(|(resource, change)| {
                            let id = resource.kind_name();
                            let text = format!("{id} {}", change.as_str());
                            let class = format!("change {}", change.as_str());
                            match change {
                                // Gone from the set: nothing to show.
                                Change::Removed => view! { <span class=class>{text}</span> }.into_any(),
                                _ => view! {
                                    <button type="button" class=class title="Show this resource" on:click=move |_| selected.set(id.clone())>{text}</button>
                                }
                                .into_any(),
                            }
                        })
                        .collect_view()
                })}
            </p>
        </Show>
        <Show when=move || compare.get() == Compare::Nothing fallback=move || view! { <ManifestsDiff compare=compare.into()/> }>
        <Show
            when=move || shown.with(|p| p.iter().any(|(piece, _)| !piece.is_empty()))
            fallback=|| view! { <p class="empty" data-testid="no-manifests">"No manifests: the values have errors (see Problems)."</p> }
        >
            <pre class="code" tabindex="0" aria-label="Manifests YAML"><code id="manifests-yaml" data-testid="manifests-yaml">
                <For each=move || shown.get() key=|piece| piece.clone() let:piece>
                    <span class="document">{piece.0}</span>
                </For>
            </code></pre>
        </Show>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;
    use crate::state::{analyze, preset_text};
    use kubeplay_core::Profile;

    #[test]
    fn the_pieces_read_as_the_yaml_one_document_each_and_repeats_are_told_apart() {
        let analysis = analyze(&preset_text("todo-chatbot"), "todo-chatbot", Profile::default());
        let yaml = analysis.yaml();
        let cut = pieces(yaml, analysis.documents().iter().skip(1).map(|d| d.start));
        assert_eq!(cut.iter().map(|p| p.0.as_str()).collect::<String>(), yaml);
        assert_eq!(cut.len(), analysis.manifests.resources.len());
        // The same text twice: two keys.
        let twice = pieces("a: 1\na: 1\n", [5].into_iter());
        assert_eq!(twice, [("a: 1\n".to_string(), 0), ("a: 1\n".to_string(), 1)]);
        assert!(pieces("", std::iter::empty()).is_empty());
    }
}
