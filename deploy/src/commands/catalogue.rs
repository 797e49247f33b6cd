//! The reference verbs: `values`, `schema`, `rules`, `presets`, `completions`. Everything they
//! print comes from `kubeplay_core` (or clap, for completions).

use super::{print_stdout, CliError, Outcome, Terminal};
use crate::cli::{Cli, CompletionsArgs, DiagnosticFormat, RulesArgs, ValuesArgs};
use crate::report::Sources;
use clap::CommandFactory;
use kubeplay_core::load::{self, ValuesInput};
use kubeplay_core::presets::{self, DEFAULT_PRESET, PRESETS};
use kubeplay_core::rules::{Profile, Rule, RULES};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// Printed for a rule that a profile turns off.
const OFF: &str = "off";

pub fn values(args: ValuesArgs, terminal: Terminal) -> Result<Outcome, CliError> {
    let name = args.preset.as_deref().unwrap_or(DEFAULT_PRESET);
    match presets::find(name) {
        Some(preset) => {
            print_stdout(preset.yaml)?;
            Ok(Outcome::Clean)
        }
        None => {
            // Core words the unknown-preset diagnostic (with its suggestion); ask it by loading.
            let loaded = load::load(&ValuesInput { preset: Some(name.to_string()), ..Default::default() });
            terminal.report(&loaded.diagnostics, &Sources::new());
            Ok(Outcome::Failed)
        }
    }
}

pub fn schema() -> Result<Outcome, CliError> {
    let text = serde_json::to_string_pretty(&kubeplay_core::values::schema()).expect("the schema is JSON");
    print_stdout(&(text + "\n"))?;
    Ok(Outcome::Clean)
}

pub fn rules(args: RulesArgs) -> Result<Outcome, CliError> {
    print_stdout(&match args.format {
        DiagnosticFormat::Text => rules_table(RULES),
        DiagnosticFormat::Json => serde_json::to_string_pretty(&rules_json(RULES)).expect("rules are JSON") + "\n",
    })?;
    Ok(Outcome::Clean)
}

pub fn presets() -> Result<Outcome, CliError> {
    let named = |name: &str| {
        if name == DEFAULT_PRESET {
            format!("{name} (default)")
        } else {
            name.to_string()
        }
    };
    let width = PRESETS.iter().map(|p| named(p.name).len()).max().unwrap_or(0);
    let mut out = String::new();
    for preset in PRESETS {
        let _ = writeln!(out, "{:<width$}  {}", named(preset.name), preset.summary);
    }
    print_stdout(&out)?;
    Ok(Outcome::Clean)
}

pub fn completions(args: CompletionsArgs) -> Result<Outcome, CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "kubeplay", &mut script);
    print_stdout(&String::from_utf8_lossy(&script))?;
    Ok(Outcome::Clean)
}

fn severity_name(rule: &Rule, profile: Profile) -> String {
    rule.severity(profile).map_or(OFF.to_string(), |s| s.to_string())
}

/// One row per rule; one severity column per profile, so a new profile adds a column.
fn rules_table(rules: &[Rule]) -> String {
    let mut header = vec!["ID".to_string(), "CATEGORY".to_string()];
    header.extend(Profile::ALL.iter().map(|p| p.as_str().to_uppercase()));
    header.push("SUMMARY".to_string());
    let mut rows = vec![header];
    for rule in rules {
        let mut row = vec![rule.id.to_string(), rule.category.as_str().to_string()];
        row.extend(Profile::ALL.iter().map(|p| severity_name(rule, *p)));
        row.push(rule.summary.to_string());
        rows.push(row);
    }
    let columns = rows[0].len();
    let widths: Vec<usize> =
        (0..columns).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == columns {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[c]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `[{"id", "category", "severity": {"minikube": "warning", ...}, "summary", "help"}]`.
fn rules_json(rules: &[Rule]) -> Value {
    Value::Array(
        rules
            .iter()
            .map(|rule| {
                let severity: Map<String, Value> = Profile::ALL
                    .iter()
                    .map(|p| (p.as_str().to_string(), Value::from(severity_name(rule, *p))))
                    .collect();
                json!({
                    "id": rule.id,
                    "category": rule.category.as_str(),
                    "severity": severity,
                    "summary": rule.summary,
                    "help": rule.help,
                })
            })
            .collect(),
    )
}

/// `kubeplay chart -o DIR [--package]`: the embedded chart, written out as files or packaged.
pub fn chart(args: crate::cli::ChartArgs, terminal: Terminal) -> Result<Outcome, CliError> {
    let failed = |source| CliError::Write { name: args.output.display().to_string(), source };
    if args.package {
        let file = args.output.join(kubeplay_core::chart::package_file_name());
        std::fs::create_dir_all(&args.output)
            .and_then(|()| std::fs::write(&file, kubeplay_core::chart::package()))
            .map_err(failed)?;
        terminal.note(&format!("wrote {}", file.display()));
    } else {
        crate::chart::write_to(&args.output).map_err(failed)?;
        terminal.note(&format!("wrote the kubeplay chart to {}", args.output.display()));
    }
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_a_row_per_rule_and_a_column_per_profile() {
        let table = rules_table(RULES);
        assert_eq!(table.lines().count(), RULES.len() + 1);
        let header = table.lines().next().unwrap();
        for profile in Profile::ALL {
            assert!(header.contains(&profile.as_str().to_uppercase()), "{header}");
        }
        let first = table.lines().nth(1).unwrap();
        assert!(first.starts_with(RULES[0].id) && first.ends_with(RULES[0].summary), "{first}");
    }

    #[test]
    fn json_lists_every_rule_with_its_severities() {
        let json = rules_json(RULES);
        let items = json.as_array().unwrap();
        assert_eq!(items.len(), RULES.len());
        for (item, rule) in items.iter().zip(RULES) {
            assert_eq!(item["id"], rule.id);
            for profile in Profile::ALL {
                assert_eq!(item["severity"][profile.as_str()], severity_name(rule, profile));
            }
        }
    }
}
