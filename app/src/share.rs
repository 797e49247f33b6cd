//! Share links and saved state: values text deflated into a URL fragment, and what may be kept in
//! localStorage. The compression itself is the browser's (`browser::compress`); the rest is pure,
//! so the format and the secret-stripping policy are tested without a browser.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use kubeplay_core::{Profile, Values};

use crate::browser::{self, Compression};

/// Largest values text a share link may inflate to: a hostile link cannot make the tab allocate
/// without bound.
pub const MAX_SHARED_TEXT: usize = 4 * 1024 * 1024;

/// The key under which the last state is saved (see [`to_stored`]).
pub const STORAGE_KEY: &str = "kubeplay.state.v2";
/// Where earlier versions of the page saved it, in the share-link format: read when there is no
/// [`STORAGE_KEY`] yet, so an upgrade keeps the user's work, and removed on the next save.
pub const LEGACY_STORAGE_KEY: &str = "kubeplay.state.v1";

/// What a share link or the saved state holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub preset: String,
    pub profile: Profile,
    pub text: String,
    /// Manifests mode: the text is manifests, not values.
    pub manifests: bool,
}

/// Compress a text for a URL: raw deflate (RFC 1951, the browser's "deflate-raw"), then URL-safe
/// base64 without padding. `None` if the browser failed to compress.
pub async fn pack(text: &str) -> Option<String> {
    let deflated = browser::compress(Compression::DeflateRaw, text.as_bytes()).await?;
    Some(URL_SAFE_NO_PAD.encode(deflated))
}

/// A packed text's bytes: URL-safe base64 without padding, around stray whitespace.
fn from_url_text(packed: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(packed.trim()).ok()
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

/// The fragment [`encode`] writes, around an already packed text.
fn fragment(snapshot: &Snapshot, packed: &str) -> String {
    format!("p={}&r={}&m={}&v={packed}", snapshot.preset, snapshot.profile.as_str(), mode_name(snapshot.manifests))
}

/// A fragment's fields, with the text still packed (and the snapshot's text empty); `None`
/// without a text.
fn parse_fragment(fragment: &str) -> Option<(Snapshot, &str)> {
    let mut snapshot = empty_snapshot();
    let mut packed = None;
    for pair in fragment.trim_start_matches('#').split('&') {
        let Some((key, value)) = pair.split_once('=') else { continue };
        match key {
            "p" => snapshot.preset = value.to_string(),
            "r" => snapshot.profile = Profile::parse(value).unwrap_or_default(),
            "m" => snapshot.manifests = value == "manifests",
            "v" => packed = Some(value),
            _ => {}
        }
    }
    Some((snapshot, packed?))
}

/// The saved state: `name=value` header lines, a blank line, then the text as it is. Not
/// compressed, so saving stays synchronous (the browser's compression answers later, and a
/// reload right after an edit would lose it) and a look at the storage shows exactly what was
/// kept. Not JSON: the page would carry serde_json's text parser (8 KB of gzipped wasm) for this
/// one read, and the header's values (a preset, profile and mode name) never hold a newline.
pub fn to_stored(snapshot: &Snapshot) -> String {
    format!(
        "{STORED_FORMAT}\npreset={}\nprofile={}\nmode={}\n\n{}",
        snapshot.preset,
        snapshot.profile.as_str(),
        mode_name(snapshot.manifests),
        snapshot.text
    )
}

/// The first line of a saved state.
const STORED_FORMAT: &str = "kubeplay saved state";

/// Read what [`to_stored`] wrote; `None` for anything else.
pub fn from_stored(stored: &str) -> Option<Snapshot> {
    // The format line's own newline starts the header: with no header lines, it ends it too.
    let rest = stored.strip_prefix(STORED_FORMAT).filter(|rest| rest.starts_with('\n'))?;
    let (header, text) = rest.split_once("\n\n")?;
    let field = |name: &str| header.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix('='));
    let mut snapshot = empty_snapshot();
    snapshot.text = text.to_string();
    snapshot.preset = field("preset").unwrap_or_default().to_string();
    snapshot.profile = field("profile").and_then(Profile::parse).unwrap_or_default();
    snapshot.manifests = field("mode") == Some("manifests");
    Some(snapshot)
}

fn empty_snapshot() -> Snapshot {
    Snapshot { preset: String::new(), profile: Profile::default(), text: String::new(), manifests: false }
}

fn mode_name(manifests: bool) -> &'static str {
    if manifests {
        "manifests"
    } else {
        "values"
    }
}

/// A snapshot with every field away from its default and a non-ASCII text, for the tests.
#[cfg(test)]
fn sample_snapshot() -> Snapshot {
    Snapshot { preset: "demo".into(), profile: Profile::Production, text: "appName: x # é\n".into(), manifests: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_carry_every_field_and_the_packed_text() {
        let written = fragment(&sample_snapshot(), "abc-_");
        assert_eq!(written, "p=demo&r=production&m=values&v=abc-_");
        let with_hash = format!("#{written}");
        let (read, packed) = parse_fragment(&with_hash).unwrap();
        assert_eq!(read, Snapshot { text: String::new(), ..sample_snapshot() });
        assert_eq!(packed, "abc-_");
        let manifests = Snapshot { manifests: true, ..sample_snapshot() };
        assert!(parse_fragment(&fragment(&manifests, "x")).unwrap().0.manifests);
    }

    #[test]
    fn fragments_without_a_text_are_refused_and_unknown_fields_ignored() {
        assert_eq!(parse_fragment("p=demo"), None);
        assert_eq!(parse_fragment(""), None);
        let (read, packed) = parse_fragment("x=1&r=nonsense&junk&v=abc").unwrap();
        assert_eq!(read.profile, Profile::default());
        assert_eq!(packed, "abc");
    }

    #[test]
    fn packed_texts_are_url_safe_base64_without_padding() {
        // 0xfb 0xff encode to the two characters standard base64 writes as `+` and `/`.
        let bytes = [0xfb, 0xff, 0x00, 0x01];
        let text = URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(text, "-_8AAQ");
        assert_eq!(from_url_text(&text), Some(bytes.to_vec()));
        assert_eq!(from_url_text(" -_8AAQ\n"), Some(bytes.to_vec()), "pasted whitespace is trimmed");
        assert_eq!(from_url_text("+/8AAQ"), None, "standard base64 is not a link's");
        assert_eq!(from_url_text("-_8AAQ=="), None, "nor is padding");
        assert_eq!(from_url_text("!!!"), None);
    }

    #[test]
    fn saved_states_round_trip_and_keep_the_text_readable() {
        let manifests = Snapshot { manifests: true, ..sample_snapshot() };
        for snapshot in [sample_snapshot(), manifests] {
            let stored = to_stored(&snapshot);
            assert!(stored.contains("appName: x # é"), "{stored}");
            assert_eq!(from_stored(&stored), Some(snapshot));
        }
    }

    #[test]
    fn only_saved_states_are_read_as_saved_states() {
        assert_eq!(from_stored("preset=demo\n\na: 1\n"), None, "no format line");
        assert_eq!(from_stored("kubeplay saved state\npreset=demo"), None, "no text");
        assert_eq!(from_stored("p=demo&v=abc"), None, "the old share-link format");
        let bare = from_stored("kubeplay saved state\n\na: 1\n").unwrap();
        assert_eq!((bare.preset.as_str(), bare.profile, bare.manifests), ("", Profile::default(), false));
        assert_eq!(bare.text, "a: 1\n");
        // The text is everything after the first blank line, blank lines of its own included.
        let text = "a: 1\n\n\nb: 2\n";
        let stored = to_stored(&Snapshot { text: text.into(), ..sample_snapshot() });
        assert_eq!(from_stored(&stored).unwrap().text, text);
    }

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
