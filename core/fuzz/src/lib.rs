//! What every fuzz target checks beyond "no panic": that each diagnostic's place is one a shell
//! can draw (`source::check_location`), and how inputs are cut into several files.

use kubeplay_core::source::{check_location, LineIndex};
use kubeplay_core::{Diagnostic, SourceFile};

/// Most files one input is cut into (the manifests target): enough for cross-file references.
pub const MAX_FILES: usize = 8;

/// The byte that separates files in one input: never part of UTF-8 text, so no text is lost.
pub const FILE_SEPARATOR: u8 = 0xff;

/// `data` cut at [`FILE_SEPARATOR`] into at most [`MAX_FILES`] pieces (the last takes the rest).
pub fn split_files(data: &[u8]) -> Vec<&[u8]> {
    data.splitn(MAX_FILES, |&b| b == FILE_SEPARATOR).collect()
}

/// Every diagnostic that points into one of `files` points at a place in it.
pub fn check_places(diagnostics: &[Diagnostic], files: &[SourceFile]) {
    for d in diagnostics {
        let Some(at) = &d.location else { continue };
        let Some(file) = files.iter().find(|f| f.name == at.file) else { continue };
        check_place(d, &file.text);
    }
}

/// [`check_places`] for one diagnostic about `text`.
pub fn check_place(d: &Diagnostic, text: &str) {
    if let Some(at) = &d.location {
        if let Err(problem) = check_location(at, text) {
            panic!("{problem}: {d:?}");
        }
    }
}

/// `bytes` as a named file, as the shells read one; `None` after checking the place of the
/// "not UTF-8" diagnostic when they are not text.
pub fn read_file(name: &str, bytes: &[u8]) -> Option<SourceFile> {
    match SourceFile::from_bytes(name, bytes.to_vec()) {
        Ok(file) => Some(file),
        Err(d) => {
            let at = d.location.as_ref().expect("a place");
            // The place is in the valid text before the bad byte, and the span is that byte.
            let valid = std::str::from_utf8(&bytes[..at.span.start]).expect("valid up to the bad byte");
            assert_eq!(at.span.end, at.span.start + 1, "{d:?}");
            let (line, column) = LineIndex::new(valid).line_col(valid, at.span.start);
            assert_eq!((at.line, at.column), (line, column), "{d:?}");
            None
        }
    }
}
