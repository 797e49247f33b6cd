//! The Helm chart twin of kubeplay's renderer (deploy/chart), embedded so the CLI can write it out.
//!
//! `helm template` of this chart writes what `kubeplay render` writes (deploy/tests/helm_diff.rs
//! proves it), so a team can hand the same values to Helm once kubeplay has checked them.

use std::path::Path;

pub use kubeplay_core::chart::FILES;

/// Write the chart into `dir` (created when missing), so that `helm template NAME DIR` works.
/// Files of the same names are overwritten; other files in `dir` are left alone.
pub fn write_to(dir: &Path) -> std::io::Result<()> {
    for (path, content) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, content)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn chart_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("chart")
    }

    /// Relative paths (with `/`) of every file under `dir`, sorted.
    fn files_under(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            for entry in std::fs::read_dir(&current).expect("read the chart directory") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let relative = path.strip_prefix(dir).expect("under the chart directory");
                    let parts: Vec<String> =
                        relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                    found.push(parts.join("/"));
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn files_cover_every_file_of_the_chart() {
        let mut embedded: Vec<String> = FILES.iter().map(|(path, _)| path.to_string()).collect();
        embedded.sort();
        assert_eq!(
            embedded,
            files_under(&chart_dir()),
            "deploy/src/chart.rs FILES must list every file under deploy/chart"
        );
        for (path, content) in FILES {
            let on_disk = std::fs::read_to_string(chart_dir().join(path)).expect("read a chart file");
            assert_eq!(*content, on_disk, "{path} changed on disk after the build embedded it");
        }
    }

    #[test]
    fn write_to_writes_the_chart() {
        let dir = std::env::temp_dir().join(format!("kubeplay-chart-{}", std::process::id()));
        write_to(&dir).unwrap();
        // Twice: writing over an earlier chart is fine.
        write_to(&dir).unwrap();
        assert_eq!(files_under(&dir), files_under(&chart_dir()));
        for (path, content) in FILES {
            assert_eq!(std::fs::read_to_string(dir.join(path)).unwrap(), *content, "{path}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
