//! Take the work away: values.yaml and manifests.yaml files (the latter byte for byte what
//! `kubeplay render` prints for the same values), the Helm chart that renders the same values,
//! the commands to deploy them, and a share link that holds the values (secret values removed)
//! in its fragment.

use kubeplay_core::chart;
use leptos::prelude::*;

use crate::browser::{self, Compression};
use crate::share;
use crate::state::{AppState, Mode, BASE_PRESET, MANIFESTS_FILE, VALUES_FILE};

/// The script asset holding the chart's files, and the global it leaves them in
/// (scripts/app-postbuild.sh writes it).
const CHART_ASSET: &str = "chart.js";
const CHART_GLOBAL: &str = "kubeplayChart";

#[component]
pub fn Downloads() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_errors = move || state.computed.with(|c| c.analysis.has_errors() || c.analysis.yaml().is_empty());
    let download_values =
        move |_| browser::download(VALUES_FILE, "application/yaml", &state.values_text.get_untracked());
    let download_manifests = move |_| {
        state.computed.with_untracked(|c| browser::download(MANIFESTS_FILE, "application/yaml", c.analysis.yaml()))
    };
    // The chart does not depend on the values: its files load (a script asset, see
    // scripts/app-postbuild.sh) and are packed on click, not with the page. Gzipped by the
    // browser (no deflate code in the page): the same tar as `kubeplay chart --package`, though
    // not the same compressed bytes.
    let chart_failed = RwSignal::new(false);
    let download_chart = move |_| {
        leptos::task::spawn_local(async move {
            let files = match browser::global_pairs(CHART_GLOBAL) {
                Some(files) => Some(files),
                None if browser::load_script(CHART_ASSET).await => browser::global_pairs(CHART_GLOBAL),
                None => None,
            };
            let Some(files) = files else {
                chart_failed.set(true);
                return;
            };
            chart_failed.set(false);
            let tar = chart::package_tar_of(files.iter().map(|(path, content)| (path.as_str(), content.as_str())));
            // The browser cannot refuse gzip once the page loaded (its loader inflates gzip);
            // should it, there is nothing useful to offer instead.
            if let Some(tgz) = browser::compress(Compression::Gzip, &tar).await {
                browser::download_bytes(&chart::package_file_name(), "application/gzip", &tgz);
            }
        })
    };
    let commands = move || {
        let release = state.preset.get();
        match state.mode.get() {
            Mode::Values => {
                let chart_file = chart::package_file_name();
                format!(
                    "# The same manifests, from the command line:\nkubeplay render --preset {BASE_PRESET} --release {release} -f {VALUES_FILE} > {MANIFESTS_FILE}\n\n# Or with Helm and the downloaded chart:\nhelm template {release} {chart_file} -f {VALUES_FILE}\n\n# Apply them:\nkubectl apply -f {MANIFESTS_FILE}\n"
                )
            }
            Mode::Manifests => format!("# Check them from the command line:\nkubeplay validate {MANIFESTS_FILE}\n\n# Apply them:\nkubectl apply -f {MANIFESTS_FILE}\n"),
        }
    };
    let share_link = RwSignal::new(None::<Result<String, &'static str>>);
    let make_link = move |_| {
        let Some(snapshot) = state.snapshot(false) else {
            share_link.set(Some(Err(
                "The text has errors or holds Secret data that cannot be removed safely: fix it first.",
            )));
            return;
        };
        // The browser compresses asynchronously.
        leptos::task::spawn_local(async move {
            let link = match share::encode(&snapshot).await {
                Some(fragment) => Ok(format!("{}#{fragment}", browser::page_url())),
                None => Err("This browser could not compress the link."),
            };
            // Edited meanwhile: the link would not match the values any more.
            if state.snapshot(false).as_ref() != Some(&snapshot) {
                return;
            }
            // Browsers that want a click for each clipboard write (Safari) refuse this one, made
            // after the compression: the Copy button next to the link is that click.
            if let Ok(link) = &link {
                browser::copy(link);
            }
            share_link.set(Some(link));
        });
    };
    // A stale link would not match the values any more.
    Effect::new(move |_| {
        state.computed.track();
        share_link.set(None);
    });
    view! {
        <section class="group">
            <h2>"Download"</h2>
            <div class="row">
                <Show when=move || state.mode.get() == Mode::Values>
                    <button type="button" id="download-values" on:click=download_values>"values.yaml"</button>
                </Show>
                <button type="button" id="download-manifests" on:click=download_manifests disabled=has_errors>"manifests.yaml"</button>
                // Only with values: the chart renders values.yaml, pasted manifests have no use for it.
                <Show when=move || state.mode.get() == Mode::Values>
                    <button type="button" id="download-chart" on:click=download_chart>"Helm chart (.tgz)"</button>
                </Show>
            </div>
            <Show when=move || chart_failed.get()>
                <p class="banner warning" role="alert">"The chart's files did not load; reload the page and try again."</p>
            </Show>
            <Show when=has_errors>
                <p class="hint">"manifests.yaml is offered once there are no errors (like " <code>"kubeplay render"</code> ", which writes nothing then)."</p>
            </Show>
        </section>
        <section class="group">
            <h2>"Deploy"</h2>
            <pre class="code small" tabindex="0" data-testid="deploy-commands"><code>{commands}</code></pre>
            <button type="button" on:click=move |_| browser::copy(&commands())>"Copy commands"</button>
        </section>
        <section class="group">
            <h2>"Share"</h2>
            <p class="hint">"The link holds the values in its fragment (never sent to a server). Secret values are removed."</p>
            <button type="button" id="make-share-link" on:click=make_link>"Make share link"</button>
            {move || share_link.get().map(|link| match link {
                Ok(link) => {
                    let copied = link.clone();
                    view! {
                        <label class="field">
                            <span>"Link"</span>
                            <input id="share-link" type="text" readonly prop:value=link on:focus=move |ev| {
                                use wasm_bindgen::JsCast;
                                if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { input.select() }
                            }/>
                        </label>
                        <button type="button" id="copy-share-link" on:click=move |_| browser::copy(&copied)>"Copy link"</button>
                    }.into_any()
                }
                Err(why) => view! { <p class="banner warning" role="alert">{why}</p> }.into_any(),
            })}
        </section>
        <section class="group">
            <h2>"This browser"</h2>
            <label class="check">
                <input type="checkbox" id="remember-secrets" prop:checked=move || state.remember_secrets.get() on:change=move |ev| state.remember_secrets.set(event_target_checked(&ev))/>
                "Also keep secret values in this browser's storage (off: they are removed before saving)"
            </label>
        </section>
    }
}
