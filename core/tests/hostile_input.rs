//! Hostile input, as values (`load::load`) and as manifests (`analyze_manifests`): every case must
//! end in an error diagnostic with a rule ID and a place, never a panic, and fast.
//!
//! The time bound is 1 s per case in an optimised build (the promise to users; `scripts/test.sh`
//! runs this file with `--release` too) and 10 s in a debug build, whose code is about ten times
//! slower and shares the machine with other builds in CI. It does not measure speed: it catches
//! blowups (quadratic loops, alias expansion, runaway recursion), which miss either bound by far.
//! Each case runs on its own thread so that a slow case is reported as slow instead of hanging
//! the suite, and a panicking case is reported by name.
//!
//! One deliberate exception to "always an error": an empty values file is an empty layer, as in
//! Helm (`an_empty_values_file_is_an_empty_layer`). An empty manifests file is an error.

use kubeplay_core::load::{load, ValuesInput};
use kubeplay_core::setargs::SetArg;
use kubeplay_core::source::{self, MAX_INPUT_BYTES};
use kubeplay_core::{analyze_manifests, analyze_values, rules, Diagnostic, Profile, Severity, SourceFile};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Wall time any single case may take.
const LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 10 } else { 1 });
/// How much longer a case that is over the limit is waited for, to report its real time.
const GRACE: Duration = Duration::from_secs(30);

/// What a case must report: an error of `rule` in `file`, at `at` (line, column) when given.
struct Expect {
    rule: &'static str,
    file: &'static str,
    at: Option<(usize, usize)>,
}

/// One case's work: feed the input to kubeplay, return what it reported.
type Run = Box<dyn FnOnce() -> Vec<Diagnostic> + Send>;

struct Case {
    name: &'static str,
    run: Run,
    expect: Expect,
}

/// Any error of a catalogued rule will do (for cases no specific rule owns yet).
const ANY_ERROR: &str = "";

fn expect(rule: &'static str, file: &'static str, at: Option<(usize, usize)>) -> Expect {
    Expect { rule, file, at }
}

/// `text` as the one values file over the default preset.
fn as_values(text: String) -> Run {
    Box::new(move || {
        load(&ValuesInput { files: vec![SourceFile::new("v.yaml", text)], ..Default::default() }).diagnostics
    })
}

fn as_manifests(text: String) -> Run {
    Box::new(move || analyze_manifests(vec![SourceFile::new("m.yaml", text)], Profile::Minikube).diagnostics)
}

/// `text` as manifests checked against the newest Kubernetes schema as well.
fn as_manifests_with_schema(text: String) -> Run {
    static SCHEMA: std::sync::OnceLock<kubeplay_core::openapi::Schema> = std::sync::OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        kubeplay_core::openapi::Schema::from_json(include_str!("../schemas/kube-1.35.json")).expect("reads")
    });
    let settings = kubeplay_core::Settings::from(Profile::Minikube).with_schema(Some(schema));
    Box::new(move || analyze_manifests(vec![SourceFile::new("m.yaml", text)], settings).diagnostics)
}

/// A CustomResourceDefinition whose schema nests `levels` objects deep (JSONSchemaProps holds
/// itself, so validation recurses as deep as the YAML goes), with a typo at the bottom.
fn nested_crd(levels: usize) -> String {
    let mut yaml = String::from("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b.c}\nspec:\n  group: b.c\n  scope: Namespaced\n  names: {kind: A, plural: as}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n");
    let mut indent = "        ".to_string();
    for _ in 0..levels {
        yaml.push_str(&format!("{indent}type: object\n{indent}properties:\n{indent}  x:\n"));
        indent.push_str("    ");
    }
    yaml.push_str(&format!("{indent}typ: string\n"));
    yaml
}

fn as_set(expr: String) -> Run {
    Box::new(move || load(&ValuesInput { sets: vec![SetArg::typed(expr)], ..Default::default() }).diagnostics)
}

/// "Billion laughs": ten aliases of ten aliases of ... of ten scalars, 10^12 values if expanded.
fn alias_bomb() -> String {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    text
}

/// 7 KB that expand, through aliases, to just under the node limit: `key` holds 990 copies of
/// a 1,000-value list.
fn alias_expansion_under_the_limit(prefix: &str, key: &str) -> String {
    let list = vec!["x"; 999].join(", ");
    let aliases = vec!["*a"; 990].join(", ");
    format!("{prefix}a: &a [{list}]\n{key}: [{aliases}]\n")
}

fn nested_block(levels: usize) -> String {
    (0..levels).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect::<String>() + &"  ".repeat(levels) + "x\n"
}

fn nested_flow(levels: usize) -> String {
    "[".repeat(levels) + &"]".repeat(levels) + "\n"
}

/// Just over 10 MB of valid YAML: refused before any parsing.
fn ten_megabytes() -> String {
    let line = "key-with-some-length: value with some length too\n";
    line.repeat(10_000_000 / line.len() + 1)
}

const DEPLOYMENT_HEAD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n";

fn cases() -> Vec<Case> {
    let v = "v.yaml";
    let m = "m.yaml";
    vec![
        // Values.
        Case { name: "values: alias bomb", run: as_values(alias_bomb()), expect: expect("yaml-limits", v, None) },
        Case {
            name: "values: alias expansion just under the node limit",
            run: as_values(alias_expansion_under_the_limit("", "b")),
            expect: expect("unknown-key", v, Some((1, 1))),
        },
        Case {
            name: "values: 100 levels of block nesting",
            run: as_values(nested_block(100)),
            expect: expect("yaml-limits", v, Some((65, 129))),
        },
        Case {
            name: "values: 100 levels of flow nesting",
            run: as_values(nested_flow(100)),
            expect: expect("yaml-limits", v, Some((1, 65))),
        },
        Case {
            name: "values: 10 MB file",
            run: as_values(ten_megabytes()),
            expect: expect("input-too-large", v, Some((1, 1))),
        },
        Case {
            name: "values: tab in indentation",
            run: as_values("components:\n  todo-backend:\n\treplicas: 2\n".into()),
            expect: expect("yaml-syntax", v, Some((3, 1))),
        },
        Case {
            name: "values: duplicate key",
            run: as_values("namespace: a\nappName: b\nnamespace: c\n".into()),
            expect: expect("yaml-duplicate-key", v, Some((3, 1))),
        },
        Case {
            name: "values: map as a key",
            run: as_values("? [a, b]\n: 1\n".into()),
            expect: expect("yaml-syntax", v, None),
        },
        Case {
            name: "values: scalar at the top",
            run: as_values("just some text\n".into()),
            expect: expect("values-shape", v, Some((1, 1))),
        },
        Case {
            name: "values: list at the top",
            run: as_values("- a\n- b\n".into()),
            expect: expect("values-shape", v, Some((1, 1))),
        },
        Case {
            name: "values: two documents",
            run: as_values("namespace: a\n---\nnamespace: b\n".into()),
            expect: expect("values-shape", v, Some((3, 1))),
        },
        Case {
            name: "values: integer beyond i64",
            run: as_values("components:\n  todo-backend:\n    replicas: 99999999999999999999999\n".into()),
            expect: expect("invalid-type", v, Some((3, 15))),
        },
        Case {
            name: "values: integer beyond i32",
            run: as_values("components:\n  todo-backend:\n    replicas: 4294967296\n".into()),
            expect: expect("invalid-type", v, Some((3, 15))),
        },
        Case {
            name: "values: number beyond f64 (1e400)",
            run: as_values("components:\n  todo-backend:\n    replicas: 1e400\n".into()),
            expect: expect("invalid-type", v, Some((3, 15))),
        },
        Case {
            name: "values: --set a[65537]=1",
            run: as_set("a[65537]=1".into()),
            expect: expect("set-syntax", "--set #1", Some((1, 2))),
        },
        // Manifests.
        Case { name: "manifests: alias bomb", run: as_manifests(alias_bomb()), expect: expect("yaml-limits", m, None) },
        Case {
            name: "manifests: alias expansion just under the node limit",
            // `data` must be a map: the expanded list is reported where it starts.
            run: as_manifests(alias_expansion_under_the_limit(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
                "data",
            )),
            expect: expect("manifest-invalid", m, Some((5, 7))),
        },
        Case {
            name: "manifests: 100 levels of block nesting",
            run: as_manifests(nested_block(100)),
            expect: expect("yaml-limits", m, Some((65, 129))),
        },
        Case {
            name: "manifests: 100 levels of flow nesting",
            run: as_manifests(nested_flow(100)),
            expect: expect("yaml-limits", m, Some((1, 65))),
        },
        Case {
            name: "manifests: 10 MB file",
            run: as_manifests(ten_megabytes()),
            expect: expect("input-too-large", m, Some((1, 1))),
        },
        Case {
            name: "manifests: tab in indentation",
            run: as_manifests("apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: a\n".into()),
            expect: expect("yaml-syntax", m, Some((4, 1))),
        },
        Case {
            name: "manifests: duplicate key",
            run: as_manifests("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n".into()),
            expect: expect("yaml-duplicate-key", m, Some((5, 3))),
        },
        Case {
            name: "manifests: scalar at the top",
            run: as_manifests("just some text\n".into()),
            expect: expect("manifest-invalid", m, Some((1, 1))),
        },
        Case {
            name: "manifests: list at the top",
            run: as_manifests("- a\n- b\n".into()),
            expect: expect("manifest-invalid", m, Some((1, 1))),
        },
        // An empty manifest input must not pass as "valid": `kubectl apply` says "no objects
        // passed to apply", and a check that passes on nothing misleads.
        Case { name: "manifests: empty file", run: as_manifests(String::new()), expect: expect(ANY_ERROR, m, None) },
        Case { name: "manifests: only `---`", run: as_manifests("---\n".into()), expect: expect(ANY_ERROR, m, None) },
        Case {
            name: "manifests: integer beyond i64",
            run: as_manifests(format!("{DEPLOYMENT_HEAD}  replicas: 99999999999999999999999\n")),
            expect: expect("manifest-invalid", m, Some((6, 13))),
        },
        Case {
            name: "manifests: integer beyond i32",
            run: as_manifests(format!("{DEPLOYMENT_HEAD}  replicas: 4294967296\n")),
            expect: expect("manifest-invalid", m, Some((6, 13))),
        },
        Case {
            name: "manifests: number beyond f64 (1e400)",
            run: as_manifests(format!("{DEPLOYMENT_HEAD}  replicas: 1e400\n")),
            expect: expect("manifest-invalid", m, Some((6, 13))),
        },
        // Schema validation (`schema-invalid`): every problem of a large set, and deep nesting.
        Case {
            name: "manifests + schema: 20,000 objects, each with an unknown field",
            run: as_manifests_with_schema(
                (0..20_000)
                    .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndta: {{a: b}}\n"))
                    .collect(),
            ),
            expect: expect("schema-invalid", m, Some((5, 1))),
        },
        Case {
            name: "manifests + schema: a CRD schema 25 objects deep",
            run: as_manifests_with_schema(nested_crd(25)),
            expect: expect("schema-invalid", m, Some((89, 109))),
        },
        // Bytes that are not UTF-8 stop at `SourceFile::from_bytes`, before either path.
        Case {
            name: "bytes: not UTF-8",
            run: Box::new(|| match SourceFile::from_bytes("b.yaml", b"namespace: a\nappName: \xff\xfe\n".to_vec()) {
                Ok(_) => Vec::new(),
                Err(d) => vec![*d],
            }),
            expect: expect("input-encoding", "b.yaml", Some((2, 10))),
        },
    ]
}

/// What went wrong with a case, if anything.
fn check(expect: &Expect, diagnostics: &[Diagnostic]) -> Option<String> {
    if let Some(d) = diagnostics.iter().find(|d| rules::find(d.rule).is_none()) {
        return Some(format!("reported rule `{}`, which is not in the catalogue", d.rule));
    }
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    let Some(d) = errors.iter().find(|d| expect.rule == ANY_ERROR || d.rule == expect.rule) else {
        let got: Vec<String> =
            diagnostics.iter().map(|d| format!("{} {}: {}", d.severity, d.rule, d.message)).collect();
        let wanted = if expect.rule == ANY_ERROR { "an error" } else { expect.rule };
        return Some(format!("expected {wanted}, got {got:?}"));
    };
    let Some(location) = &d.location else {
        return Some(format!("`{}` has no location: {}", d.rule, d.message));
    };
    if location.file != expect.file || location.line == 0 || location.column == 0 {
        return Some(format!(
            "`{}` at {}:{}:{}, expected a place in {}",
            d.rule, location.file, location.line, location.column, expect.file
        ));
    }
    if let Some((line, column)) = expect.at {
        if (location.line, location.column) != (line, column) {
            return Some(format!("`{}` at {}:{}, expected {line}:{column}", d.rule, location.line, location.column));
        }
    }
    None
}

#[test]
fn hostile_input_is_an_error_with_a_place_never_a_panic_and_fast() {
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for case in cases() {
        let (send, receive) = mpsc::channel();
        let run = case.run;
        let started = Instant::now();
        // A panic drops `send`, which `recv_timeout` reports as a disconnect.
        let _runner = std::thread::Builder::new()
            .name(case.name.into())
            .spawn(move || {
                let diagnostics = run();
                let _ = send.send(diagnostics);
            })
            .expect("spawn a case thread");
        let mut outcome = receive.recv_timeout(LIMIT);
        if let Err(mpsc::RecvTimeoutError::Timeout) = outcome {
            // Already failed; let it finish (within reason) so that it does not steal the CPU
            // from the cases timed after it, and so that the report says how slow it is.
            outcome = receive.recv_timeout(GRACE);
        }
        let elapsed = started.elapsed();
        report.push(format!("{:>10.1?}  {}", elapsed, case.name));
        match outcome {
            Ok(diagnostics) => {
                if elapsed > LIMIT {
                    failures.push(format!("{}: took {elapsed:.2?} (limit {LIMIT:?})", case.name));
                }
                if let Some(problem) = check(&case.expect, &diagnostics) {
                    failures.push(format!("{}: {problem}", case.name));
                }
            }
            // The thread is left running; the test process ends it when it exits.
            Err(mpsc::RecvTimeoutError::Timeout) => {
                failures.push(format!("{}: did not finish within {:?}", case.name, LIMIT + GRACE))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                failures.push(format!("{}: panicked (see the panic message above)", case.name))
            }
        }
    }
    eprintln!("hostile input timings:\n{}", report.join("\n"));
    assert!(failures.is_empty(), "{} hostile input case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// An empty values file, or one holding only `---`, is an empty layer: helm accepts
/// `-f empty.yaml`, and so does kubeplay (the result is the preset unchanged).
#[test]
fn an_empty_values_file_is_an_empty_layer() {
    let preset_only = analyze_values(&ValuesInput::default(), None, Profile::Minikube).yaml().to_string();
    for text in ["", "---\n", "# only a comment\n"] {
        let input = ValuesInput { files: vec![SourceFile::new("v.yaml", text)], ..Default::default() };
        let analysis = analyze_values(&input, None, Profile::Minikube);
        assert!(!analysis.has_errors(), "{text:?}: {:?}", analysis.diagnostics);
        assert_eq!(analysis.yaml(), preset_only, "{text:?} changed the render");
    }
}

/// Parse time of a large flat map must grow linearly with its size. A quadratic step (say, a
/// duplicate-key check that scans every earlier key) turns a legal 8 MiB file into minutes.
/// Checked for both readers: plain ASCII is read by the fast reader; one accented letter per
/// value sends the text to yaml-rust2 and kubeplay's tree builder.
#[test]
fn large_legal_input_parses_in_linear_time() {
    fn text(keys: usize, value: &str) -> SourceFile {
        let text: String = (0..keys).map(|i| format!("key{i}: {value}\n")).collect();
        assert!(text.len() < MAX_INPUT_BYTES);
        SourceFile::new("big.yaml", text)
    }
    fn parse_time(file: &SourceFile) -> Duration {
        let started = Instant::now();
        let docs = source::parse(file).expect("a flat map parses");
        assert_eq!(docs.len(), 1);
        started.elapsed()
    }
    for value in ["value", "valué"] {
        // Sizes large enough that each run takes milliseconds even in an optimised build, so
        // scheduler noise is small next to them.
        let (small, large) = (text(10_000, value), text(40_000, value));
        // Best of seven, the two sizes taken in turn: the machine is shared, and what slows
        // one run (another process, a cold cache) must not fake a blowup.
        let (mut best_small, mut best_large) = (Duration::MAX, Duration::MAX);
        for _ in 0..7 {
            best_small = best_small.min(parse_time(&small));
            best_large = best_large.min(parse_time(&large));
        }
        let ratio = best_large.as_secs_f64() / best_small.as_secs_f64().max(1e-6);
        // 4x the keys: linear is ~4x (up to ~2x more once the larger tree outgrows the
        // caches); quadratic is ~16x.
        assert!(
            ratio < 10.0,
            "values `{value}`: 4x the keys took {ratio:.1}x the time ({best_small:?} -> {best_large:?}): parsing is not linear"
        );
    }
}

/// Name of the test below, for re-running it in a child process.
const DEEP_SET_TEST: &str = "a_deeply_nested_set_path_is_refused_not_a_stack_overflow";
const CHILD_ENV: &str = "KUBEPLAY_HOSTILE_CHILD";

/// `--set a.a.a...=1` with thousands of levels. A stack overflow aborts the whole process (it is
/// not a panic), so the case runs in a child process and the parent reports how it ended.
#[test]
fn a_deeply_nested_set_path_is_refused_not_a_stack_overflow() {
    if std::env::var_os(CHILD_ENV).is_some() {
        for expr in [format!("{}=1", vec!["a"; 10_000].join(".")), format!("a{}=1", "[0]".repeat(10_000))] {
            let started = Instant::now();
            let diagnostics = as_set(expr)();
            let elapsed = started.elapsed();
            assert!(elapsed < LIMIT, "took {elapsed:?}");
            if let Some(problem) = check(&expect("set-syntax", "--set #1", None), &diagnostics) {
                panic!("{problem}");
            }
        }
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary's path"))
        .args([DEEP_SET_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .output()
        .expect("run the test binary again");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(15).collect::<Vec<_>>().into_iter().rev().collect();
    assert!(
        output.status.success(),
        "the child process ended with {} (a signal means it aborted, e.g. on a stack overflow):\n{}",
        output.status,
        tail.join("\n")
    );
}
