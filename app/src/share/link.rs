//! The share-link and saved-state formats, without the compression: what the page reads from a
//! URL fragment or localStorage up to the deflated bytes, and after them. No browser API here, so
//! the tests run natively and the fuzz target (`core/fuzz`, `share_link`) reads hostile links
//! through this very file, with flate2 standing in for the browser's decompressor.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use kubeplay_core::Profile;

/// Largest values text a share link may inflate to: a hostile link cannot make the tab allocate
/// without bound.
pub const MAX_SHARED_TEXT: usize = 4 * 1024 * 1024;

/// What a share link or the saved state holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub preset: String,
    pub profile: Profile,
    pub text: String,
    /// Manifests mode: the text is manifests, not values.
    pub manifests: bool,
}

/// A packed text's bytes: URL-safe base64 without padding, around stray whitespace.
pub fn from_url_text(packed: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(packed.trim()).ok()
}

/// The fragment [`super::encode`] writes, around an already packed text.
pub fn fragment(snapshot: &Snapshot, packed: &str) -> String {
    format!("p={}&r={}&m={}&v={packed}", snapshot.preset, snapshot.profile.as_str(), mode_name(snapshot.manifests))
}

/// A fragment's fields, with the text still packed (and the snapshot's text empty); `None`
/// without a text.
pub fn parse_fragment(fragment: &str) -> Option<(Snapshot, &str)> {
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
pub fn sample_snapshot() -> Snapshot {
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
}
