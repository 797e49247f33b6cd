//! Reading input files (or stdin) as bytes and sorting them into values and manifests.
//!
//! Files are read as bytes and decoded by core, so text that is not UTF-8 becomes a diagnostic
//! pointing at the bad byte instead of an I/O error.

use crate::commands::CliError;
use crate::report::Sources;
use kubeplay_core::manifest::looks_like_manifests;
use kubeplay_core::source::{self, SourceFile, MAX_INPUT_BYTES};
use kubeplay_core::Diagnostic;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How stdin is named in diagnostics.
pub const STDIN_NAME: &str = "<stdin>";

/// The files of one command, sorted by what they hold.
#[derive(Debug, Default)]
pub struct Gathered {
    pub values: Vec<SourceFile>,
    pub manifests: Vec<SourceFile>,
    /// Why some file could not be used (not UTF-8, not YAML). When not empty, nothing is
    /// analyzed: results computed without a file the user meant to include would mislead.
    pub problems: Vec<Diagnostic>,
}

/// Reads every path once, remembering that stdin can only be read once.
#[derive(Debug, Default)]
pub struct Reader {
    stdin_taken: bool,
}

impl Reader {
    /// Read `values_paths` as values (like helm's -f) and `detect_paths` as values or manifests
    /// depending on their content. Every text read is registered in `sources` for the report.
    pub fn gather(
        &mut self,
        values_paths: &[PathBuf],
        detect_paths: &[PathBuf],
        sources: &mut Sources,
    ) -> Result<Gathered, CliError> {
        let mut gathered = Gathered::default();
        for path in values_paths {
            if let Some(file) = self.read_text(path, sources, &mut gathered.problems)? {
                gathered.values.push(file);
            }
        }
        for path in detect_paths {
            let Some(file) = self.read_text(path, sources, &mut gathered.problems)? else {
                continue;
            };
            match source::parse(&file) {
                Err(diagnostic) => gathered.problems.push(*diagnostic),
                Ok(docs) if looks_like_manifests(&docs) => gathered.manifests.push(file),
                Ok(_) => gathered.values.push(file),
            }
        }
        Ok(gathered)
    }

    /// Read `paths` as manifests only: a file of values among them is a usage error.
    pub fn gather_manifests(
        &mut self,
        paths: &[PathBuf],
        what: &str,
        sources: &mut Sources,
    ) -> Result<Gathered, CliError> {
        let mut gathered = self.gather(&[], paths, sources)?;
        // A file with no document at all (a first install's empty manifest) adds no object.
        let values: Vec<SourceFile> = std::mem::take(&mut gathered.values)
            .into_iter()
            .filter(|f| !source::parse(f).is_ok_and(|docs| docs.iter().all(|d| d.root.is_none())))
            .collect();
        if let Some(values) = values.first() {
            return Err(CliError::Usage(format!(
                "{what} {}: no Kubernetes objects in it (no document has `apiVersion` and `kind`)",
                values.name
            )));
        }
        Ok(gathered)
    }

    /// The file as text, or `None` (with the diagnostic in `problems`) when it is not UTF-8.
    fn read_text(
        &mut self,
        path: &Path,
        sources: &mut Sources,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<Option<SourceFile>, CliError> {
        let (name, bytes) = self.read_bytes(path)?;
        Ok(match decode(name, bytes) {
            Decoded::Text(file) => {
                sources.add(&file);
                Some(file)
            }
            Decoded::Undecodable { diagnostic, shown } => {
                sources.add(&shown);
                problems.push(*diagnostic);
                None
            }
        })
    }

    fn read_bytes(&mut self, path: &Path) -> Result<(String, Vec<u8>), CliError> {
        if path == Path::new("-") {
            if std::mem::replace(&mut self.stdin_taken, true) {
                return Err(CliError::Usage("stdin (`-`) can be given only once".into()));
            }
            let bytes = read_capped(std::io::stdin().lock())
                .map_err(|source| CliError::Read { name: STDIN_NAME.into(), source })?;
            return Ok((STDIN_NAME.into(), bytes));
        }
        let name = path.display().to_string();
        let bytes = std::fs::File::open(path)
            .and_then(read_capped)
            .map_err(|source| CliError::Read { name: name.clone(), source })?;
        Ok((name, bytes))
    }
}

/// Read at most one byte more than core accepts: enough for core to say "too large", without
/// reading (or hanging on) something like /dev/zero.
fn read_capped(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[derive(Debug)]
enum Decoded {
    Text(SourceFile),
    /// Not UTF-8: core's diagnostic, and the text with bad bytes replaced so the report can
    /// still show the line around the first bad byte.
    Undecodable {
        // Boxed as core returns it: a diagnostic is several times the size of a file handle.
        diagnostic: Box<Diagnostic>,
        shown: SourceFile,
    },
}

fn decode(name: String, bytes: Vec<u8>) -> Decoded {
    if bytes.len() > MAX_INPUT_BYTES {
        // Cut at the cap, so possibly inside a character: decode leniently and let core's
        // parser report the size, which is the real problem.
        return Decoded::Text(SourceFile::new(name, String::from_utf8_lossy(&bytes).into_owned()));
    }
    let shown = String::from_utf8_lossy(&bytes).into_owned();
    match SourceFile::from_bytes(name.clone(), bytes) {
        Ok(file) => Decoded::Text(file),
        Err(diagnostic) => Decoded::Undecodable { diagnostic, shown: SourceFile::new(name, shown) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_a_diagnostic_with_a_printable_text() {
        let Decoded::Undecodable { diagnostic, shown } = decode("v.yaml".into(), b"a: 1\nb: \xff\n".to_vec()) else {
            panic!("decoded invalid UTF-8")
        };
        assert_eq!(diagnostic.rule, "input-encoding");
        assert_eq!(diagnostic.location.as_ref().map(|l| (l.line, l.column)), Some((2, 4)));
        assert_eq!(shown.text, "a: 1\nb: \u{fffd}\n");
    }

    #[test]
    fn oversized_input_is_left_to_core_to_report() {
        let Decoded::Text(file) = decode("big.yaml".into(), vec![b'a'; MAX_INPUT_BYTES + 1]) else {
            panic!("rejected as encoding")
        };
        assert_eq!(source::parse(&file).unwrap_err().rule, "input-too-large");
    }
}
