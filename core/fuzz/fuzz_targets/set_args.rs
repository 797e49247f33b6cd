//! `--set` expressions, one a line (a line starting with 0x01 is a `--set-string`), over the
//! default preset: `analyze_values` end to end.
#![no_main]

use kubeplay_core::load::set_source_name;
use kubeplay_core::setargs::SetArg;
use kubeplay_core::{analyze_values, Profile, SourceFile, ValuesInput};
use kubeplay_fuzz::check_places;
use libfuzzer_sys::fuzz_target;

/// More expressions than anyone types; more would only slow the target down.
const MAX_SETS: usize = 16;

fuzz_target!(|data: &[u8]| {
    let sets: Vec<SetArg> = data
        .split(|&b| b == b'\n')
        .take(MAX_SETS)
        .map(|line| match line.strip_prefix(b"\x01") {
            Some(rest) => SetArg::string(String::from_utf8_lossy(rest)),
            None => SetArg::typed(String::from_utf8_lossy(line)),
        })
        .collect();
    // The shells register each expression's text under its source name, to draw its place.
    let sources: Vec<SourceFile> =
        sets.iter().enumerate().map(|(n, arg)| SourceFile::new(set_source_name(n, arg), arg.expr.clone())).collect();
    let input = ValuesInput { sets, ..Default::default() };
    let analysis = analyze_values(&input, None, Profile::Minikube);
    check_places(&analysis.diagnostics, &sources);
});
