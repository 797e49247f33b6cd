//! Share links and saved states as the page reads them (`app/src/share.rs`), with flate2 in the
//! place of the browser's deflate-raw decompressor and the same size cap. The first byte picks
//! what the rest is: a URL fragment; the deflated bytes of a link (so that the fuzzer writes
//! deflate streams, bombs included, and not only base64); a saved state.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use flate2::read::DeflateDecoder;
use libfuzzer_sys::fuzz_target;
use std::io::Read;

/// The page's own format code, built here as it is in the app.
#[allow(dead_code)] // the target reads links; writing them is the page's
#[path = "../../../app/src/share/link.rs"]
mod link;

use link::{from_stored, from_url_text, parse_fragment, Snapshot, MAX_SHARED_TEXT};

/// `browser::decompress(DeflateRaw, bytes, MAX_SHARED_TEXT)`: the inflated bytes, `None` when
/// the stream is corrupt or inflates past the cap. Reading stops one byte past the cap, so a
/// deflate bomb costs at most the cap.
fn inflate(deflated: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    DeflateDecoder::new(deflated).take(MAX_SHARED_TEXT as u64 + 1).read_to_end(&mut out).ok()?;
    (out.len() <= MAX_SHARED_TEXT).then_some(out)
}

/// `share::decode`, step by step.
fn decode(fragment: &str) -> Option<Snapshot> {
    let (mut snapshot, packed) = parse_fragment(fragment)?;
    let text = inflate(&from_url_text(packed)?)?;
    snapshot.text = String::from_utf8(text).ok()?;
    Some(snapshot)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let link = match mode % 3 {
        0 => std::str::from_utf8(rest).ok().and_then(decode),
        1 => decode(&format!("p=demo&r=minikube&m=values&v={}", URL_SAFE_NO_PAD.encode(rest))),
        // A saved state has no cap of its own: localStorage's quota bounds it.
        _ => {
            let _ = std::str::from_utf8(rest).ok().and_then(from_stored);
            return;
        }
    };
    if let Some(snapshot) = link {
        assert!(snapshot.text.len() <= MAX_SHARED_TEXT, "a link inflated to {} bytes", snapshot.text.len());
    }
});
