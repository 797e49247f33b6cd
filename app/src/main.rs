//! kubeplay in the browser: edit values (form or YAML) and see manifests, problems, the
//! relationship graph and the Minikube lifecycle update as you type. Everything is computed by
//! `kubeplay_core` in this page; nothing is sent anywhere.

mod browser;
mod components;
mod share;
mod state;

use components::App;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
