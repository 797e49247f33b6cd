//! Values text, as one `-f` file over a preset: `analyze_values` end to end. The first byte picks
//! the preset and the profile; the rest is the file.
#![no_main]

use kubeplay_core::presets::PRESETS;
use kubeplay_core::{analyze_values, Profile, ValuesInput};
use kubeplay_fuzz::{check_places, read_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else { return };
    let preset = &PRESETS[pick as usize % PRESETS.len()];
    let profile = Profile::ALL[pick as usize / PRESETS.len() % Profile::ALL.len()];
    let Some(file) = read_file("values.yaml", text) else { return };
    let input = ValuesInput { preset: Some(preset.name.into()), files: vec![file.clone()], sets: Vec::new() };
    let analysis = analyze_values(&input, None, profile);
    check_places(&analysis.diagnostics, &[file, preset.source()]);
});
