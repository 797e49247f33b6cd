//! The Helm chart that mirrors [`crate::render`] (its files live in `deploy/chart/`), packed the
//! same way by every shell: written out by the CLI, downloaded from the browser. The files are
//! compiled in with the `chart` feature (the CLI's); the browser app loads them as a separate
//! asset on the click that asks for them (`scripts/app-postbuild.sh` writes it from [`FILES`]'s
//! list, in its order), so the page's first load does not carry them.
//!
//! `helm template` of this chart gives the documents `kubeplay render` gives
//! (`deploy/tests/helm_diff.rs` proves it).

use crate::render::{CHART_NAME, CHART_VERSION};

/// Every file of the chart: (path relative to the chart's root, with `/`, and its content).
/// `deploy`'s tests walk `deploy/chart` so a file added there and not here fails.
#[cfg(any(test, feature = "chart"))]
pub const FILES: &[(&str, &str)] = &[
    ("Chart.yaml", include_str!("../../deploy/chart/Chart.yaml")),
    (".helmignore", include_str!("../../deploy/chart/.helmignore")),
    ("values.yaml", include_str!("../../deploy/chart/values.yaml")),
    ("values.schema.json", include_str!("../../deploy/chart/values.schema.json")),
    ("templates/_helpers.tpl", include_str!("../../deploy/chart/templates/_helpers.tpl")),
    ("templates/namespace.yaml", include_str!("../../deploy/chart/templates/namespace.yaml")),
    ("templates/networkpolicy.yaml", include_str!("../../deploy/chart/templates/networkpolicy.yaml")),
    ("templates/poddisruptionbudget.yaml", include_str!("../../deploy/chart/templates/poddisruptionbudget.yaml")),
    ("templates/serviceaccount.yaml", include_str!("../../deploy/chart/templates/serviceaccount.yaml")),
    ("templates/secret.yaml", include_str!("../../deploy/chart/templates/secret.yaml")),
    ("templates/configmap.yaml", include_str!("../../deploy/chart/templates/configmap.yaml")),
    ("templates/persistentvolumeclaim.yaml", include_str!("../../deploy/chart/templates/persistentvolumeclaim.yaml")),
    ("templates/service.yaml", include_str!("../../deploy/chart/templates/service.yaml")),
    ("templates/workload.yaml", include_str!("../../deploy/chart/templates/workload.yaml")),
    ("templates/ingress.yaml", include_str!("../../deploy/chart/templates/ingress.yaml")),
    (
        "templates/horizontalpodautoscaler.yaml",
        include_str!("../../deploy/chart/templates/horizontalpodautoscaler.yaml"),
    ),
];

/// The chart packaged as `helm package` would, before compression: a tar of `kubeplay/<file>`
/// entries. Byte-stable (fixed times and owners). [`package`] gzips it in Rust; the browser app
/// gzips it with the browser's own compressor and ships no deflate code.
#[cfg(any(test, feature = "chart"))]
pub fn package_tar() -> Vec<u8> {
    package_tar_of(FILES.iter().copied())
}

/// [`package_tar`] of `files` (path, content), in their order: what the browser app packs from
/// the chart asset it loaded.
pub fn package_tar_of<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut tar = Vec::new();
    for (path, content) in files {
        append(&mut tar, &format!("{CHART_NAME}/{path}"), content.as_bytes());
    }
    // Two zero blocks end a tar archive.
    tar.extend_from_slice(&[0; 1024]);
    tar
}

/// [`package_tar`] gzipped (no file time): the `.tgz` named [`package_file_name`], byte-stable.
/// Behind the `gzip` feature, which the CLI enables and the browser app does not.
#[cfg(feature = "gzip")]
pub fn package() -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::default());
    gz.write_all(&package_tar()).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// `kubeplay-0.1.0.tgz`.
pub fn package_file_name() -> String {
    format!("{CHART_NAME}-{CHART_VERSION}.tgz")
}

/// One ustar entry: a 512-byte header, then the content padded to 512 bytes.
fn append(tar: &mut Vec<u8>, name: &str, content: &[u8]) {
    let mut header = [0u8; 512];
    let (prefix, name) = split_name(name);
    header[..name.len()].copy_from_slice(name.as_bytes());
    octal(&mut header[100..108], 0o644);
    octal(&mut header[108..116], 0);
    octal(&mut header[116..124], 0);
    octal(&mut header[124..136], content.len() as u64);
    octal(&mut header[136..148], 0);
    header[156] = b'0';
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    header[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
    // The checksum is computed with its own field read as spaces.
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
    octal(&mut header[148..155], u64::from(sum));
    header[155] = b' ';
    tar.extend_from_slice(&header);
    tar.extend_from_slice(content);
    tar.resize(tar.len().div_ceil(512) * 512, 0);
}

/// ustar names hold 100 bytes, with a 155-byte prefix for longer paths.
fn split_name(path: &str) -> (&str, &str) {
    if path.len() <= 100 {
        return ("", path);
    }
    match path[..path.len().min(156)].rfind('/') {
        Some(i) if path.len() - i - 1 <= 100 => (&path[..i], &path[i + 1..]),
        _ => ("", &path[..100]),
    }
}

/// A zero-padded octal number filling the field but its last byte (NUL).
fn octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    field[..digits].copy_from_slice(&text.as_bytes()[text.len() - digits..]);
    field[digits] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read a tar back: walk the ustar headers, checking each checksum.
    fn entries(tar: &[u8]) -> Vec<(String, String)> {
        let mut entries = Vec::new();
        let mut at = 0;
        while at + 512 <= tar.len() && tar[at] != 0 {
            let header = &tar[at..at + 512];
            let name = String::from_utf8(header[..100].iter().take_while(|b| **b != 0).copied().collect()).unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&header[124..135]).unwrap(), 8).unwrap();
            let stored: u32 = u32::from_str_radix(std::str::from_utf8(&header[148..154]).unwrap(), 8).unwrap();
            let computed: u32 =
                header.iter().enumerate().map(|(i, b)| if (148..156).contains(&i) { 32 } else { u32::from(*b) }).sum();
            assert_eq!(stored, computed, "checksum of {name}");
            let content = String::from_utf8(tar[at + 512..at + 512 + size].to_vec()).unwrap();
            entries.push((name, content));
            at += 512 + size.div_ceil(512) * 512;
        }
        assert_eq!(&tar[at..], &[0; 1024], "two zero blocks end the archive");
        entries
    }

    #[test]
    fn the_tar_holds_every_file_under_the_chart_name() {
        let tar = package_tar();
        let expected: Vec<(String, String)> =
            FILES.iter().map(|(p, c)| (format!("kubeplay/{p}"), c.to_string())).collect();
        assert_eq!(entries(&tar), expected);
        assert_eq!(tar.len() % 512, 0);
        assert_eq!(tar, package_tar(), "byte-stable");
        assert_eq!(package_file_name(), "kubeplay-0.1.0.tgz");
    }

    #[cfg(feature = "gzip")]
    #[test]
    fn the_package_is_the_tar_gzipped_without_a_file_time() {
        use std::io::Read;
        let package = package();
        let mut tar = Vec::new();
        flate2::read::GzDecoder::new(&package[..]).read_to_end(&mut tar).unwrap();
        assert_eq!(tar, package_tar());
        // gzip's header: magic, deflate, no flags, then the 4-byte MTIME, zero.
        assert_eq!(&package[..8], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
        assert_eq!(package, super::package(), "byte-stable");
    }

    #[test]
    fn long_names_use_the_prefix_field() {
        let long = format!("{}/{}", "d".repeat(120), "f".repeat(50));
        assert_eq!(split_name(&long), (&long[..120], &long[121..]));
        assert_eq!(split_name("a/b"), ("", "a/b"));
    }
}
