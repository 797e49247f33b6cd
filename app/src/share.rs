//! Share links and saved state: values text deflated into a URL fragment, and what may be kept in
//! localStorage. The compression itself is the browser's (`browser::compress`); the formats around
//! it are pure (`share/link.rs`), so they and the secret-stripping policy are tested without a
//! browser.

mod link;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use kubeplay_core::Values;

use link::{fragment, from_url_text, parse_fragment};
pub use link::{from_stored, to_stored, Snapshot, MAX_SHARED_TEXT};

use crate::browser::{self, Compression};

/// The key under which the last state is saved (see [`to_stored`]).
pub const STORAGE_KEY: &str = "kubeplay.state.v2";
/// Where earlier versions of the page saved it, in the share-link format: read when there is no
/// [`STORAGE_KEY`] yet, so an upgrade keeps the user's work, and removed on the next save.
pub const LEGACY_STORAGE_KEY: &str = "kubeplay.state.v1";

/// Compress a text for a URL: raw deflate (RFC 1951, the browser's "deflate-raw"), then URL-safe
/// base64 without padding. `None` if the browser failed to compress.
pub async fn pack(text: &str) -> Option<String> {
    let deflated = browser::compress(Compression::DeflateRaw, text.as_bytes()).await?;
    Some(URL_SAFE_NO_PAD.encode(deflated))
}

/// The inverse of [`pack`]; `None` for anything that is not a packed UTF-8 text of at most
/// [`MAX_SHARED_TEXT`] bytes.
pub async fn unpack(packed: &str) -> Option<String> {
    let deflated = from_url_text(packed)?;
    let text = browser::decompress(Compression::DeflateRaw, &deflated, MAX_SHARED_TEXT).await?;
    String::from_utf8(text).ok()
}

/// The text safe to put in a link or in storage. Values with secret values get them emptied
/// (comments are lost then: the text is rewritten from the typed values). `None` when the text
/// is not valid values, since then nothing can tell a secret from the rest.
pub fn shareable_values(text: &str, values: Option<&Values>) -> Option<String> {
    let values = values?;
    if values.secrets.values().all(String::is_empty) {
        return Some(text.to_string());
    }
    Some(values.without_secret_values().to_yaml())
}

/// `p=<preset>&r=<profile>&m=<mode>&v=<packed text>`: a share link's fragment.
pub async fn encode(snapshot: &Snapshot) -> Option<String> {
    Some(fragment(snapshot, &pack(&snapshot.text).await?))
}

/// Read what [`encode`] wrote; unknown fields are ignored, a missing or corrupt text is `None`.
pub async fn decode(fragment: &str) -> Option<Snapshot> {
    let (mut snapshot, packed) = parse_fragment(fragment)?;
    snapshot.text = unpack(packed).await?;
    Some(snapshot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_never_reach_a_link() {
        let text = "appName: a\nnamespace: a\nsecrets:\n  TOKEN: hunter2\n";
        let values: Values = serde_yaml::from_str(text).unwrap();
        let shared = shareable_values(text, Some(&values)).unwrap();
        assert!(!shared.contains("hunter2"), "{shared}");
        assert!(shared.contains("TOKEN"));
        assert_eq!(shareable_values(text, None), None);
        let clean = "appName: a # kept\nnamespace: a\n";
        let values: Values = serde_yaml::from_str(clean).unwrap();
        assert_eq!(shareable_values(clean, Some(&values)).as_deref(), Some(clean));
    }
}

/// The compression itself, in headless Chromium (`scripts/app-test.sh`): the browser's
/// deflate-raw must read the links older pages made, and the limit must hold.
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::link::sample_snapshot;
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn snapshots_round_trip() {
        let snapshot = Snapshot { manifests: true, ..sample_snapshot() };
        let fragment = encode(&snapshot).await.unwrap();
        assert_eq!(decode(&fragment).await, Some(snapshot));
    }

    #[wasm_bindgen_test]
    async fn links_made_by_earlier_pages_still_open() {
        // "appName: x # é\n" raw-deflated at level 9 by zlib (Python's, wbits=-15), the format
        // the earlier Rust deflate (miniz_oxide) wrote.
        assert_eq!(unpack("Sywo8EvMTbVSqFBQVji8kgsA").await.as_deref(), Some("appName: x # é\n"));
    }

    #[wasm_bindgen_test]
    async fn texts_up_to_the_limit_open_and_larger_ones_do_not() {
        let at_limit = "a".repeat(MAX_SHARED_TEXT);
        let packed = pack(&at_limit).await.unwrap();
        // Highly compressible: a few KB of link for megabytes of text, what a hostile link does.
        assert!(packed.len() < 64 * 1024, "{}", packed.len());
        assert_eq!(unpack(&packed).await.map(|t| t.len()), Some(MAX_SHARED_TEXT));
        let past_limit = pack(&format!("{at_limit}a")).await.unwrap();
        assert_eq!(unpack(&past_limit).await, None);
    }

    #[wasm_bindgen_test]
    async fn corrupt_links_are_refused() {
        assert_eq!(unpack(&URL_SAFE_NO_PAD.encode(b"not deflate")).await, None);
        let deflated = browser::compress(Compression::DeflateRaw, b"appName: a\nnamespace: a\n").await.unwrap();
        assert_eq!(unpack(&URL_SAFE_NO_PAD.encode(&deflated[..deflated.len() - 2])).await, None, "truncated");
        assert_eq!(unpack(&URL_SAFE_NO_PAD.encode([0xff, 0xfe])).await, None, "reserved block type");
        let not_utf8 = browser::compress(Compression::DeflateRaw, &[0xc3, 0x28]).await.unwrap();
        assert_eq!(unpack(&URL_SAFE_NO_PAD.encode(not_utf8)).await, None, "not UTF-8");
        assert_eq!(decode("p=demo&v=!!!").await, None);
    }
}
