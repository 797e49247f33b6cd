//! cron-schedule: a CronJob's schedule must parse as the API server parses it (robfig/cron's
//! standard parser: five fields or a descriptor such as `@hourly`).

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::WorkloadKind;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "cron-schedule",
    summary: "A CronJob's schedule is five fields, minute hour day-of-month month day-of-week (`0 3 * * *`: every day at 03:00), or a descriptor such as `@hourly`; the API server refuses anything else.",
    help: "Write five space-separated fields, each `*`, a number, a range `1-5`, a list `1,15` or a step `*/10` (months and weekdays also by name: `JAN`, `MON`), or `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`, `@every 1h30m`; put a time zone in `timeZone`, not in the schedule.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

/// A field's name, bounds and the names it takes (months and weekdays), as robfig/cron has them.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: [Field; 5] = [
    Field { name: "minute", min: 0, max: 59, names: &[] },
    Field { name: "hour", min: 0, max: 23, names: &[] },
    Field { name: "day of month", min: 1, max: 31, names: &[] },
    Field { name: "month", min: 1, max: 12, names: MONTHS },
    Field { name: "day of week", min: 0, max: 6, names: WEEKDAYS },
];

const DESCRIPTORS: &[&str] = &["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/// Why the schedule does not parse; `None` when it does.
pub fn problem(schedule: &str) -> Option<String> {
    if schedule.contains("TZ") {
        return Some("a time zone (`TZ=` or `CRON_TZ=`) is not allowed in the schedule: put it in `timeZone`".into());
    }
    // The parser matches descriptors exactly: no space around them.
    if let Some(descriptor) = schedule.strip_prefix('@') {
        if let Some(every) = descriptor.strip_prefix("every ") {
            return (!is_go_duration(every)).then(|| format!("`@every {every}` needs a duration such as `1h30m`"));
        }
        return (!DESCRIPTORS.contains(&schedule))
            .then(|| format!("`{schedule}` is not a descriptor; there are {}", DESCRIPTORS.join(", ")));
    }
    let parts: Vec<&str> = schedule.split_whitespace().collect();
    if parts.len() != FIELDS.len() {
        return Some(format!(
            "`{schedule}` has {} field(s), and a schedule has 5: minute, hour, day of month, month, day of week",
            parts.len()
        ));
    }
    parts.iter().zip(&FIELDS).find_map(|(part, field)| field_problem(part, field))
}

fn field_problem(part: &str, field: &Field) -> Option<String> {
    for item in part.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (item, None),
        };
        if let Some(step) = step {
            if !step.parse::<u32>().is_ok_and(|s| s > 0) {
                return Some(format!("the {} step `/{step}` must be a number above 0", field.name));
            }
        }
        let (low, high) = match range.split_once('-') {
            Some((low, high)) => (low, Some(high)),
            None => (range, None),
        };
        // A star is the whole range, whatever follows its `-`.
        if low == "*" || low == "?" {
            continue;
        }
        let value = |text: &str| -> Result<u32, String> {
            let by_name = field.names.iter().position(|n| n.eq_ignore_ascii_case(text)).map(|i| i as u32 + field.min);
            let number = by_name.or_else(|| text.parse().ok());
            match number {
                Some(n) if (field.min..=field.max).contains(&n) => Ok(n),
                Some(n) => Err(format!("the {} `{n}` is outside {}-{}", field.name, field.min, field.max)),
                None => Err(format!("`{text}` is not a {}", field.name)),
            }
        };
        let low = match value(low) {
            Ok(n) => n,
            Err(e) => return Some(e),
        };
        if let Some(high) = high {
            match value(high) {
                Ok(high) if high < low => {
                    return Some(format!("the {} range `{range}` ends before it starts", field.name));
                }
                Ok(_) => {}
                Err(e) => return Some(e),
            }
        }
    }
    None
}

/// Go's `time.ParseDuration` grammar: an optional sign, then numbers (a decimal fraction
/// allowed) each with a unit (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`); or `0`.
fn is_go_duration(text: &str) -> bool {
    let mut rest = text.strip_prefix(['-', '+']).unwrap_or(text);
    if rest == "0" {
        return true;
    }
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..end];
        if !number.bytes().any(|b| b.is_ascii_digit()) || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[end..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"].into_iter().find(|u| rest.starts_with(u));
        let Some(unit) = unit else { return false };
        rest = &rest[unit.len()..];
    }
    true
}

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    for w in set.workloads().filter(|w| w.kind == WorkloadKind::CronJob) {
        let Some(schedule) = w.controller().and_then(|c| c.schedule.as_deref()) else { continue };
        if let Some(why) = problem(schedule) {
            sink.report(
                w.resource,
                field_path!("spec", "schedule"),
                format!("the schedule of CronJob `{}` does not parse: {why}.", w.name()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;
    use crate::rules::testing::manifests;

    #[test]
    fn schedules_the_api_server_takes_pass() {
        for ok in [
            "0 3 * * *",
            "*/5 * * * *",
            "0 9-17 * * MON-FRI",
            "0,30 * 1 jan,jul sun",
            "@hourly",
            "@every 1h30m",
            "@every 0",
            "@every .5h",
            "? * * * *",
            "*-5 * * * *",
            " 0 3 * * * ",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        let overlay = "components:\n  todo-backend:\n    kind: CronJob\n    replicas: null\n    service: null\n    schedule: \"15 2 * * 1-5\"\n";
        assert!(crate::rules::testing::rendered("cron-schedule", overlay).findings.is_empty());
    }

    #[test]
    fn schedules_it_refuses_are_reported_with_why() {
        let cases = [
            ("0 3 * *", "has 4 field(s)"),
            ("60 * * * *", "the minute `60` is outside 0-59"),
            ("0 3 * * 7", "the day of week `7` is outside 0-6"),
            ("0 3 * * FRIDAY", "`FRIDAY` is not a day of week"),
            ("*/0 * * * *", "step `/0`"),
            ("0 5-1 * * *", "ends before it starts"),
            ("@fortnightly", "not a descriptor"),
            ("@daily ", "not a descriptor"),
            ("@every 1h ", "needs a duration"),
            ("@every .h", "needs a duration"),
            ("CRON_TZ=UTC 0 3 * * *", "put it in `timeZone`"),
        ];
        for (schedule, why) in cases {
            let found = problem(schedule).unwrap_or_default();
            assert!(found.contains(why), "{schedule}: {found}");
        }
        let yaml = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: \"0 25 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: \"c:1\"}]\n";
        let found = manifests("cron-schedule", yaml).findings;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field.to_string(), "spec.schedule");
        assert_eq!(
            found[0].message,
            "the schedule of CronJob `nightly` does not parse: the hour `25` is outside 0-23."
        );
    }

    #[test]
    fn a_rendered_schedule_is_reported_at_its_values_line() {
        let overlay = "components:\n  todo-backend:\n    kind: CronJob\n    replicas: null\n    service: null\n    schedule: \"0 25 * * *\"\n";
        let input = crate::ValuesInput { files: vec![crate::SourceFile::new("v.yaml", overlay)], ..Default::default() };
        let analysis = crate::analyze_values(&input, None, crate::Profile::Minikube);
        let found: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule == "cron-schedule").collect();
        assert_eq!(found.len(), 1, "{:?}", analysis.diagnostics);
        assert_eq!(found[0].path.as_deref(), Some("components.todo-backend.schedule"));
        assert_eq!(found[0].location.as_ref().map(|l| (l.file.as_str(), l.line)), Some(("v.yaml", 6)));
    }
}
