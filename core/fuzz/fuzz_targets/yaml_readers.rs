//! The YAML reader alone, differentially: where the fast reader (or the reading a document at a
//! time) answers, it must answer exactly what the full parser, yaml-rust2, does. Then the
//! whole reader (merge keys included) must not panic, and its errors must point into the text.
#![no_main]

use kubeplay_core::source::{self, check_quick_readers};
use kubeplay_core::SourceFile;
use kubeplay_fuzz::check_place;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(disagreement) = check_quick_readers(text, true) {
        panic!("{disagreement}");
    }
    if let Err(d) = source::parse(&SourceFile::new("t.yaml", text)) {
        check_place(&d, text);
    }
});
