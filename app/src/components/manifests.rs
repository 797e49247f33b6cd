//! The rendered manifests: all of them (what `kubeplay render` prints) or one resource, with a
//! copy button, and which resources the last edit added, changed or removed.

use kubeplay_core::manifest;
use kubeplay_core::manifest::changes::Change;
use leptos::prelude::*;

use super::manifests_diff::{Compare, ManifestsDiff};
use crate::browser;
use crate::state::{AppState, Mode};

/// The YAML cut before each `---` line, each piece with how many same pieces came before it
/// (a key for `<For>`): an edit re-lays out only the documents it changed, not the whole text,
/// and the pieces still read as the YAML, byte for byte.
fn documents(yaml: &str) -> Vec<(String, usize)> {
    let mut pieces: Vec<(String, usize)> = Vec::new();
    let mut start = 0;
    for (at, _) in yaml.match_indices("\n---\n") {
        pieces.push((yaml[start..=at].to_string(), 0));
        start = at + 1;
    }
    pieces.push((yaml[start..].to_string(), 0));
    let mut seen: std::collections::BTreeMap<&str, usize> = Default::default();
    let counts: Vec<usize> = pieces
        .iter()
        .map(|(piece, _)| {
            let n = seen.entry(piece.as_str()).or_default();
            *n += 1;
            *n - 1
        })
        .collect();
    for (piece, n) in pieces.iter_mut().zip(counts) {
        piece.1 = n;
    }
    pieces
}

#[component]
pub fn ManifestsView() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Empty means every resource.
    let selected = RwSignal::new(String::new());
    let ids = Memo::new(move |_| {
        state.computed.with(|c| c.analysis.manifests.resources.iter().map(|r| r.object.id()).collect::<Vec<_>>())
    });
    let yaml = Memo::new(move |_| {
        let wanted = selected.get();
        state.computed.with(|c| {
            let one = c.analysis.manifests.resources.iter().find(|r| !wanted.is_empty() && r.object.id() == wanted);
            match one {
                // Written exactly as core writes a whole set, like `kubeplay render -o DIR` does per file.
                Some(resource) => manifest::resources_to_yaml([resource]),
                None => c.analysis.yaml().to_string(),
            }
        })
    });
    let compare = RwSignal::new(Compare::Nothing);
    let copied = RwSignal::new(false);
    let copy = move |_| {
        browser::copy(&yaml.get_untracked());
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
            when=move || yaml.with(|y| !y.is_empty())
            fallback=|| view! { <p class="empty" data-testid="no-manifests">"No manifests: the values have errors (see Problems)."</p> }
        >
            <pre class="code" tabindex="0" aria-label="Manifests YAML"><code id="manifests-yaml" data-testid="manifests-yaml">
                <For each=move || yaml.with(|y| documents(y)) key=|document| document.clone() let:document>
                    <span class="document">{document.0}</span>
                </For>
            </code></pre>
        </Show>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::documents;

    #[test]
    fn the_documents_read_as_the_yaml_and_repeats_are_told_apart() {
        let yaml = "a: 1\n---\nb: 2\n---\na: 1\n---\nc: |\n  x\n";
        let pieces = documents(yaml);
        assert_eq!(pieces.iter().map(|p| p.0.as_str()).collect::<String>(), yaml);
        assert_eq!(pieces.len(), 4);
        assert_eq!(pieces[0], ("a: 1\n".to_string(), 0));
        assert_eq!(pieces[1].0, "---\nb: 2\n");
        // The same document twice: two keys.
        let twice = documents("---\na: 1\n---\na: 1\n");
        assert_eq!(twice, [("---\na: 1\n".to_string(), 0), ("---\na: 1\n".to_string(), 1)]);
        assert_eq!(documents("").len(), 1);
    }
}
