//! The few browser calls the app makes (storage, URL fragment, downloads, pictures of the graph,
//! clipboard, timing), each
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

/// Whether the value was stored. A full or disabled storage only costs the user the restore on
/// reload.
pub fn storage_set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Add a `<script src>` to the page and wait for it to run: whether it loaded. How the page
/// reads data files, which the CSP lets it load as scripts but not fetch.
pub async fn load_script(src: &str) -> bool {
    let Some(document) = window().and_then(|w| w.document()) else { return false };
    let Ok(script) = document.create_element("script") else { return false };
    let script: web_sys::HtmlElement = script.unchecked_into();
    if script.set_attribute("src", src).is_err() {
        return false;
    }
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    let Some(head) = document.head() else { return false };
    if head.append_child(&script).is_err() {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(loaded).await.is_ok()
}

/// The text at `globalThis[object][key]`, where a loaded script left it.
pub fn global_entry(object: &str, key: &str) -> Option<String> {
    let object = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(object)).ok()?;
    if object.is_undefined() || object.is_null() {
        return None;
    }
    js_sys::Reflect::get(&object, &JsValue::from_str(key)).ok()?.as_string()
}

/// The `[text, text]` pairs of the array at `globalThis[name]`, where a loaded script left them;
/// `None` when it is missing or holds anything else.
pub fn global_pairs(name: &str) -> Option<Vec<(String, String)>> {
    let array = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok()?;
    let array: &js_sys::Array = array.dyn_ref()?;
    array
        .iter()
        .map(|pair| {
            let pair: &js_sys::Array = pair.dyn_ref()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
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
    download_blob(file_name, gloo_file::Blob::new_with_options(text, Some(mime)));
}

/// Offer `bytes` as a file download (binary files, e.g. the packaged chart).
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) {
    download_blob(file_name, gloo_file::Blob::new_with_options(bytes, Some(mime)));
}

/// A blob URL of this page's origin, clicked as a download link: nothing leaves the page. The
/// URL is revoked when it is dropped, once the click has started the download.
fn download_blob(file_name: &str, blob: gloo_file::Blob) {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    let url = gloo_file::ObjectUrl::from(blob);
    if let Ok(anchor) = document.create_element("a") {
        if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>() {
            anchor.set_href(&url);
            anchor.set_download(file_name);
            anchor.click();
        }
    }
}

/// What a drawing looks like, as the page's stylesheet makes it: copied onto each element of an
/// exported SVG, which leaves the stylesheet behind. Each is an SVG presentation attribute, so
/// the copy needs no `style` attribute (the page's CSP refuses those).
const DRAWN_LOOK: [&str; 10] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
];

/// The SVG under `selector` as a file of its own, as it looks on the page (each element's
/// computed look as its attributes, the pane's background behind it), at the drawing's size.
pub fn standalone_svg(selector: &str) -> Option<String> {
    let window = window()?;
    let document = window.document()?;
    let live = document.query_selector(selector).ok()??;
    let copy: web_sys::Element = live.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg").ok()?;
    // The zoom's width on screen; the file keeps the drawing's.
    copy.remove_attribute("style").ok()?;
    let value =
        |style: &web_sys::CssStyleDeclaration, p: &str| style.get_property_value(p).ok().filter(|v| !v.is_empty());
    // The drawing's own look, for its elements to inherit.
    if let Ok(Some(look)) = window.get_computed_style(&live) {
        for p in DRAWN_LOOK {
            if let Some(v) = value(&look, p) {
                copy.set_attribute(p, &v).ok()?;
            }
        }
    }
    let (from, to) = (live.query_selector_all("*").ok()?, copy.query_selector_all("*").ok()?);
    for i in 0..from.length().min(to.length()) {
        let (Some(element), Some(copied)) = (from.item(i), to.item(i)) else { continue };
        let (Ok(element), Ok(copied)) = (element.dyn_into::<web_sys::Element>(), copied.dyn_into::<web_sys::Element>())
        else {
            continue;
        };
        let Ok(Some(look)) = window.get_computed_style(&element) else { continue };
        // What the element shares with its parent it inherits in the file too.
        let parent = element.parent_element().and_then(|p| window.get_computed_style(&p).ok().flatten());
        for p in DRAWN_LOOK {
            let Some(own) = value(&look, p) else { continue };
            if parent.as_ref().and_then(|s| value(s, p)).is_none_or(|v| v != own) {
                let _ = copied.set_attribute(p, &own);
            }
        }
    }
    let pane = live.parent_element().and_then(|p| window.get_computed_style(&p).ok().flatten());
    let background = pane.and_then(|p| value(&p, "background-color")).unwrap_or_default();
    let backdrop = document.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect").ok()?;
    for (name, v) in [("width", "100%"), ("height", "100%"), ("fill", background.as_str())] {
        backdrop.set_attribute(name, v).ok()?;
    }
    copy.prepend_with_node_1(&backdrop).ok()?;
    // As XML: HTML's serializer writes entities (`&nbsp;`) an SVG file may not have.
    web_sys::XmlSerializer::new().ok()?.serialize_to_string(&copy).ok()
}

/// Offer `svg` (a standalone SVG `width` x `height`) as a PNG download, drawn at up to twice its
/// size: through an image of a `data:` URL (the CSP allows those) onto a canvas.
pub async fn download_png(file_name: &str, svg: &str, width: f64, height: f64) -> Option<()> {
    let document = window()?.document()?;
    let image = web_sys::HtmlImageElement::new().ok()?;
    image.set_src(&format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(svg)));
    wasm_bindgen_futures::JsFuture::from(image.decode()).await.ok()?;
    // Canvases stop at about 16,000 pixels a side and some browsers at about 16 million in all.
    let (width, height) = (width.max(1.0), height.max(1.0));
    let scale = 2.0f64.min(16_000.0 / width).min(16_000.0 / height).min((16.0e6 / (width * height)).sqrt());
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width((width * scale).ceil() as u32);
    canvas.set_height((height * scale).ceil() as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context.scale(scale, scale).ok()?;
    context.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width, height).ok()?;
    let png = canvas.to_data_url_with_type("image/png").ok()?;
    // A canvas the browser could not make gives an empty URL, not an error.
    if png.len() <= "data:,".len() {
        return None;
    }
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    anchor.set_href(&png);
    anchor.set_download(file_name);
    anchor.click();
    Some(())
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

/// Time a piece of the page's work as a User Timing measure called `name` (only the latest is
/// kept), for the benchmarks to read with `performance.getEntriesByName`.
pub fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let performance = window().and_then(|w| w.performance());
    if let Some(p) = &performance {
        let _ = p.mark(name);
    }
    let done = work();
    if let Some(p) = &performance {
        p.clear_measures_with_measure_name(name);
        let _ = p.measure_with_start_mark(name, name);
        p.clear_marks_with_mark_name(name);
    }
    done
}

/// Focus the element with this id, if there is one.
pub fn focus_id(id: &str) -> bool {
    let Some(element) = window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) else { return false };
    // A field folded away in a closed <details> cannot take focus: unfold every one around it.
    let mut folded = element.closest("details:not([open])").ok().flatten();
    while let Some(details) = folded {
        let _ = details.set_attribute("open", "");
        folded = details.closest("details:not([open])").ok().flatten();
    }
    match element.dyn_into::<web_sys::HtmlElement>() {
        Ok(element) => {
            element.scroll_into_view();
            element.focus().is_ok()
        }
        Err(_) => false,
    }
}

/// The graph's drawn node `id`.
fn graph_node(id: &str) -> Option<web_sys::Element> {
    let quoted = id.replace('\\', "\\\\").replace('"', "\\\"");
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&format!(".graph .node[data-id=\"{quoted}\"]")).ok().flatten())
}

/// Scroll the graph's node `id` into view, leaving the keyboard's focus where it is (on the
/// search box that found it).
pub fn scroll_to_graph_node(id: &str) {
    if let Some(node) = graph_node(id) {
        node.scroll_into_view();
    }
}

/// Scroll the graph's node `id` into view and give it the keyboard's focus.
pub fn focus_graph_node(id: &str) {
    if let Some(node) = graph_node(id) {
        node.scroll_into_view();
        focus_element(&node);
    }
}

/// Focus any element, SVG ones too (which web-sys types apart from HTML ones): the DOM's own
/// `focus` method.
pub fn focus_element(element: &web_sys::Element) -> bool {
    js_sys::Reflect::get(element, &"focus".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|focus| focus.call0(element).is_ok())
}

/// The formats of the browser's Compression Streams API that the app uses.
#[derive(Debug, Clone, Copy)]
pub enum Compression {
    /// RFC 1951 without header or checksum: share links.
    DeflateRaw,
    /// RFC 1952: the chart's `.tgz`.
    Gzip,
}

impl Compression {
    fn name(self) -> &'static str {
        match self {
            Compression::DeflateRaw => "deflate-raw",
            Compression::Gzip => "gzip",
        }
    }
}

// web-sys 0.3 has CompressionStream and DecompressionStream only behind `--cfg
// web_sys_unstable_apis` (which every build and test script would have to pass), so their
// constructors are bound here. Each is a {readable, writable} pair: piped through as web-sys's
// stable `ReadableWritablePair`.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// Compress with the browser's own compressor: the page carries no deflate code. `None` if the
/// browser refuses the format: Chromium 80-102 loads the page (gzip) but has no `deflate-raw`.
pub async fn compress(format: Compression, bytes: &[u8]) -> Option<Vec<u8>> {
    let compressor = CompressionStream::new(format.name()).ok()?;
    read_to_end(source(bytes)?.pipe_through(compressor.unchecked_ref()), usize::MAX).await
}

/// Decompress with the browser's own decompressor, reading no more than `limit` bytes of output:
/// past it the stream is cancelled and the answer is `None`, as for corrupt or truncated input.
pub async fn decompress(format: Compression, bytes: &[u8], limit: usize) -> Option<Vec<u8>> {
    let decompressor = DecompressionStream::new(format.name()).ok()?;
    read_to_end(source(bytes)?.pipe_through(decompressor.unchecked_ref()), limit).await
}

/// A stream of a copy of `bytes` (a Blob copies out of wasm memory, which may grow or move).
fn source(bytes: &[u8]) -> Option<web_sys::ReadableStream> {
    Some(web_sys::Blob::from(gloo_file::Blob::new(bytes)).stream())
}

/// Every chunk of a byte stream, in order; `None` when the stream fails or passes `limit` bytes.
async fn read_to_end(stream: web_sys::ReadableStream, limit: usize) -> Option<Vec<u8>> {
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut output = BoundedBuffer::new(limit);
    loop {
        let read: web_sys::ReadableStreamReadResult =
            wasm_bindgen_futures::JsFuture::from(reader.read()).await.ok()?.unchecked_into();
        if read.get_done().unwrap_or(true) {
            return Some(output.into_bytes());
        }
        let chunk: js_sys::Uint8Array = read.get_value().dyn_into().ok()?;
        match output.grow(chunk.length() as usize) {
            Some(room) => chunk.copy_to(room),
            None => {
                // Stop the decompressor (and its source) instead of letting it run on; awaited,
                // so its promise is not left to reject unobserved.
                let _ = wasm_bindgen_futures::JsFuture::from(reader.cancel()).await;
                return None;
            }
        }
    }
}

/// Bytes gathered up to a limit, checked before each chunk is copied in.
#[derive(Debug)]
struct BoundedBuffer {
    bytes: Vec<u8>,
    limit: usize,
}

impl BoundedBuffer {
    fn new(limit: usize) -> Self {
        BoundedBuffer { bytes: Vec::new(), limit }
    }

    /// Room for the next `len` bytes (zeroed, to be overwritten), or `None` when they would take
    /// the total past the limit; nothing is allocated then.
    fn grow(&mut self, len: usize) -> Option<&mut [u8]> {
        let start = self.bytes.len();
        let end = start.checked_add(len).filter(|end| *end <= self.limit)?;
        self.bytes.resize(end, 0);
        Some(&mut self.bytes[start..])
    }

    fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::BoundedBuffer;

    #[test]
    fn the_buffer_takes_chunks_up_to_its_limit_and_no_further() {
        let mut buffer = BoundedBuffer::new(5);
        buffer.grow(2).unwrap().copy_from_slice(b"ab");
        buffer.grow(3).unwrap().copy_from_slice(b"cde");
        assert!(buffer.grow(0).is_some(), "an empty chunk at the limit is fine");
        assert!(buffer.grow(1).is_none(), "one byte past the limit is refused");
        assert_eq!(buffer.into_bytes(), b"abcde");
        let mut small = BoundedBuffer::new(4);
        assert!(small.grow(5).is_none(), "a first chunk past the limit is refused whole");
        assert!(small.grow(usize::MAX).is_none(), "no overflow");
        assert_eq!(small.into_bytes(), b"");
    }
}
