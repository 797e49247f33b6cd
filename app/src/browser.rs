//! The few browser calls the app makes (storage, URL fragment, downloads, clipboard, timing), each
//! failing quietly: a locked-down browser must still get a working playground.

use wasm_bindgen::{JsCast, JsValue};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The page's localStorage, when the browser allows it (private modes may not).
fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        // A full or disabled storage only costs the user the restore on reload.
        let _ = s.set_item(key, value);
    }
}

pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The URL fragment without its `#`.
pub fn fragment() -> String {
    window().and_then(|w| w.location().hash().ok()).map(|h| h.trim_start_matches('#').to_string()).unwrap_or_default()
}

/// Drop the fragment from the address bar without reloading, so that later edits (kept in
/// localStorage) win over an old share link on reload.
pub fn clear_fragment() {
    let Some(w) = window() else { return };
    let Ok(history) = w.history() else { return };
    let location = w.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else { return };
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
}

/// This page's address without fragment: the base of share links.
pub fn page_url() -> String {
    let Some(w) = window() else { return String::new() };
    let href = w.location().href().unwrap_or_default();
    match href.split_once('#') {
        Some((base, _)) => base.to_string(),
        None => href,
    }
}

/// Offer `text` as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) {
    download_parts(file_name, mime, &js_sys::Array::of1(&JsValue::from_str(text)));
}

/// Offer `bytes` as a file download (binary files, e.g. the packaged chart).
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) {
    // `from` copies out of wasm memory, so the blob does not alias memory that may grow or move.
    download_parts(file_name, mime, &js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)));
}

/// A blob URL of this page's origin, clicked as a download link: nothing leaves the page.
fn download_parts(file_name: &str, mime: &str, parts: &js_sys::Array) {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    // JS's `new Blob(parts)` takes strings and byte arrays alike; web-sys's constructor variants
    // differ only in the Rust name, all take the parts array as a plain JsValue.
    let Ok(blob) = web_sys::Blob::new_with_buffer_source_sequence_and_options(parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(anchor) = document.create_element("a") {
        if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>() {
            anchor.set_href(&url);
            anchor.set_download(file_name);
            anchor.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Copy to the clipboard; a refusal (no permission, insecure context) is ignored, the text stays
/// visible and selectable on the page.
pub fn copy(text: &str) {
    let Some(w) = window() else { return };
    let promise = w.navigator().clipboard().write_text(text);
    leptos::task::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// Milliseconds since page load, for the timing shown in the status bar.
pub fn now() -> f64 {
    window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Focus the element with this id, if there is one.
pub fn focus_id(id: &str) -> bool {
    let Some(element) = window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) else { return false };
    match element.dyn_into::<web_sys::HtmlElement>() {
        Ok(element) => {
            element.scroll_into_view();
            element.focus().is_ok()
        }
        Err(_) => false,
    }
}
