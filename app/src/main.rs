//! kubeplay in the browser: edit values (form or YAML) and see manifests, problems, the
//! relationship graph and the Minikube lifecycle update as you type. Everything is computed by
//! `kubeplay_core` in this page; nothing is sent anywhere.

mod browser;
mod components;
mod schemas;
mod share;
mod state;

use components::{App, AppProps};

fn main() {
    console_error_panic_hook::set_once();
    // A share link's text is inflated by the browser, which answers asynchronously: the page
    // mounts once it knows where it starts, so it never shows another state first.
    wasm_bindgen_futures::spawn_local(async {
        let start = state::initial_snapshot().await;
        leptos::mount::mount_to_body(move || App(AppProps { start }));
    });
}
