//! Share links and saved state: values text deflated into a URL fragment, and what may be kept in
//! localStorage. Pure functions, so the secret-stripping policy is tested without a browser.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use kubeplay_core::{Profile, Values};

/// Largest values text a share link may inflate to: a hostile link cannot make the tab allocate
/// without bound.
const MAX_SHARED_TEXT: usize = 4 * 1024 * 1024;

/// The key under which the last state is saved.
pub const STORAGE_KEY: &str = "kubeplay.state.v1";

/// What a share link or the saved state holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub preset: String,
    pub profile: Profile,
    pub text: String,
    /// Manifests mode: the text is manifests, not values.
    pub manifests: bool,
}

/// Compress a text for a URL: deflate, then URL-safe base64 without padding.
pub fn pack(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

/// The inverse of [`pack`]; `None` for anything that is not a packed UTF-8 text.
pub fn unpack(packed: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(packed.trim()).ok()?;
    let text = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_SHARED_TEXT).ok()?;
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

/// `p=<preset>&r=<profile>&m=<mode>&v=<packed text>`: a URL fragment (or a stored string).
pub fn encode(snapshot: &Snapshot) -> String {
    format!(
        "p={}&r={}&m={}&v={}",
        snapshot.preset,
        snapshot.profile.as_str(),
        if snapshot.manifests { "manifests" } else { "values" },
        pack(&snapshot.text)
    )
}

/// Read what [`encode`] wrote; unknown fields are ignored, a missing or corrupt text is `None`.
pub fn decode(fragment: &str) -> Option<Snapshot> {
    let mut snapshot =
        Snapshot { preset: String::new(), profile: Profile::default(), text: String::new(), manifests: false };
    let mut text = None;
    for pair in fragment.trim_start_matches('#').split('&') {
        let Some((key, value)) = pair.split_once('=') else { continue };
        match key {
            "p" => snapshot.preset = value.to_string(),
            "r" => snapshot.profile = Profile::parse(value).unwrap_or_default(),
            "m" => snapshot.manifests = value == "manifests",
            "v" => text = unpack(value),
            _ => {}
        }
    }
    snapshot.text = text?;
    Some(snapshot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_round_trip() {
        let snapshot = Snapshot {
            preset: "demo".into(),
            profile: Profile::Production,
            text: "appName: x # é\n".into(),
            manifests: false,
        };
        assert_eq!(decode(&encode(&snapshot)), Some(snapshot));
    }

    #[test]
    fn corrupt_links_are_refused() {
        assert_eq!(decode("p=demo&v=!!!"), None);
        assert_eq!(decode("p=demo"), None);
        assert_eq!(unpack(&URL_SAFE_NO_PAD.encode(b"not deflate")), None);
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
