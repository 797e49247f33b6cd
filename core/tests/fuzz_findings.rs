//! What the fuzz targets (`core/fuzz`, `scripts/fuzz.sh`) found, one test per finding, checked as
//! the targets check it: every diagnostic's place is one a shell can draw
//! (`source::check_location`: codespan-reporting and the page slice the text by its span).

use kubeplay_core::load::{load, set_source_name, ValuesInput};
use kubeplay_core::setargs::SetArg;
use kubeplay_core::source::check_location;
use kubeplay_core::{analyze_manifests, Diagnostic, Profile, SourceFile};

/// The diagnostics of `rule`, each of whose places must fit `text`; at least one.
fn placed<'a>(diagnostics: &'a [Diagnostic], rule: &str, text: &str) -> Vec<&'a Diagnostic> {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.rule == rule).collect();
    assert!(!found.is_empty(), "no {rule} in {diagnostics:?}");
    for d in &found {
        let at = d.location.as_ref().unwrap_or_else(|| panic!("no place: {d:?}"));
        if let Err(problem) = check_location(at, text) {
            panic!("{text:?}: {problem}: {d:?}");
        }
    }
    found
}

/// Where the first `rule` finding on manifests `text` is, checked as [`placed`] checks it.
fn first_manifest_place(text: &str, rule: &str) -> kubeplay_core::Location {
    let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", text)], Profile::Production);
    let found = placed(&analysis.diagnostics, rule, text);
    found[0].location.clone().expect("placed")
}

/// The scanner's error at the very end of the text (`\n%`: a directive with no name) was given
/// the span of the byte after the last one, past the end of the text.
#[test]
fn a_yaml_error_at_the_end_of_the_text_points_inside_it() {
    // A multi-byte character where the scanner stops, too: the span must cover all of it.
    for text in ["\n%", "%", "a: 1\n%", "a: [x\n", "a: 'é", "é: \"x\n"] {
        let values = load(&ValuesInput { files: vec![SourceFile::new("v.yaml", text)], ..Default::default() });
        placed(&values.diagnostics, "yaml-syntax", text);
        let manifests = analyze_manifests(vec![SourceFile::new("m.yaml", text)], Profile::Production);
        placed(&manifests.diagnostics, "yaml-syntax", text);
    }
}

/// `a[1` (a list index with no `]`) was read as the key `a[1]`, and the "has no value" error
/// pointed one character past the end of the expression. (And a `\r` before the error, a line
/// break for every other place, was not one for its line and column.)
#[test]
fn a_set_list_index_without_its_bracket_is_refused_where_it_opens() {
    for expr in ["a[1", "ll\u{fffd}\u{3a2}\u{fffd}[1", "a[1=2", "b\r[1"] {
        let arg = SetArg::typed(expr);
        let name = set_source_name(0, &arg);
        let loaded = load(&ValuesInput { sets: vec![arg], ..Default::default() });
        let errors = placed(&loaded.diagnostics, "set-syntax", expr);
        let at = errors[0].location.as_ref().expect("placed");
        assert_eq!(at.file, name);
        assert_eq!(&expr[at.span.clone()], "[", "{expr}: {:?}", errors[0]);
    }
    // With its bracket, the same index is a list item.
    let loaded = load(&ValuesInput { sets: vec![SetArg::typed("a[1]=2")], ..Default::default() });
    assert!(loaded.diagnostics.iter().all(|d| d.rule != "set-syntax"), "{:?}", loaded.diagnostics);
}

/// yaml-rust2 takes a NUL for the end of the text: what followed one was dropped without a word
/// (a manifest lost its second document, a name was cut short), and an error after it was given
/// a line that is not there.
#[test]
fn a_nul_character_is_a_yaml_error_not_the_end_of_the_text() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\0b\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n";
    let at = first_manifest_place(text, "yaml-syntax");
    assert_eq!((at.line, at.column, at.span.clone()), (4, 10, 50..51), "{at:?}");
    let values = "a:\u{5}:.'k''lq`:\0\0\0\u{7}";
    let loaded = load(&ValuesInput { files: vec![SourceFile::new("v.yaml", values)], ..Default::default() });
    placed(&loaded.diagnostics, "yaml-syntax", values);
}

/// An empty value at the very end of a text with no final newline (`- ` of a list) was placed
/// on a line after the last one.
#[test]
fn an_empty_value_at_the_end_of_the_text_is_placed_on_its_last_line() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  -";
    let at = first_manifest_place(text, "manifest-invalid");
    assert_eq!((at.line, at.column), (7, 4), "{at:?}");
}

/// A plain scalar folded over several lines is shorter than its text, and the span of one that
/// ended in a multi-byte character (here U+2028) ended inside that character.
#[test]
fn a_folded_plain_scalar_ends_on_a_character_boundary() {
    let text = "f:x -\n 5&a  \u{2028}.nan }\n 5&a  \u{2028}";
    let loaded = load(&ValuesInput { files: vec![SourceFile::new("v.yaml", text)], ..Default::default() });
    placed(&loaded.diagnostics, "values-shape", text);
    let text = "kind: x\n  \u{2028}\n";
    let analysis = analyze_manifests(vec![SourceFile::new("m.yaml", text)], Profile::Production);
    placed(&analysis.diagnostics, "manifest-invalid", text);
}

/// yaml-rust2 ends a line at a `\r` alone, as YAML does, but the line index did not: the marks
/// of everything after one were turned into the wrong byte offsets.
#[test]
fn a_carriage_return_alone_ends_a_line_for_spans_too() {
    let text = "e: yes\rf: 0x1\ncomponents: 1_00s0reeg\n";
    let loaded = load(&ValuesInput { files: vec![SourceFile::new("v.yaml", text)], ..Default::default() });
    let wrong = placed(&loaded.diagnostics, "invalid-type", text);
    let at = wrong[0].location.as_ref().expect("placed");
    assert_eq!(&text[at.span.clone()], "1_00s0reeg", "{:?}", wrong[0]);
}

/// A stream read a document at a time gave a block scalar with no lines before a `---` the
/// value "\n" (yaml-rust2's reading at the end of a text), where the whole stream gives "".
#[test]
fn an_empty_block_scalar_before_a_document_marker_reads_as_in_the_whole_stream() {
    let text = "a: 1\nb: [x, y]\n---\nscript: |\n---\nc: |\n x\n";
    let docs = kubeplay_core::source::parse(&SourceFile::new("m.yaml", text)).expect("reads");
    assert_eq!(docs[1].root.as_ref().map(|r| r.to_json()), Some(serde_json::json!({"script": ""})));
}

/// The same `\r` in a stream read a document at a time: the lines of the documents before were
/// counted by `\n` alone, so a finding in a later document had the wrong line.
#[test]
fn a_carriage_return_alone_counts_as_a_line_in_a_stream_read_a_document_at_a_time() {
    let values = "a: \"x\ry\"\n---\nm:\n  <<: 1\n";
    let loaded = load(&ValuesInput { files: vec![SourceFile::new("v.yaml", values)], ..Default::default() });
    placed(&loaded.diagnostics, "yaml-syntax", values);
    let manifests = "\rv\n---\na: 1\nb: c: d\n";
    let at = first_manifest_place(manifests, "yaml-syntax");
    assert_eq!(at.line, 5, "{at:?}");
}

/// A document that is one block scalar: yaml-rust2 runs it on over the next `---`, and a stream
/// read a document at a time split it there and read the rest as a second document.
#[test]
fn a_block_scalar_document_runs_on_as_in_the_whole_stream() {
    let text = "# lead\n>\n---\na: 1\n";
    let docs = kubeplay_core::source::parse(&SourceFile::new("m.yaml", text)).expect("reads");
    let roots: Vec<_> = docs.iter().map(|d| d.root.as_ref().map(|r| r.to_json())).collect();
    assert_eq!(roots, vec![Some(serde_json::json!("--- a: 1\n"))]);
}

/// yaml-rust2 refuses a `-` that continues a plain scalar before a flow indicator (`[x- -]`);
/// go-yaml, so kubectl and Helm, read the scalar `x- -`, and so does kubeplay's reader.
#[test]
fn a_dash_inside_a_flow_plain_scalar_reads_as_kubectl_reads_it() {
    let text = "args: [echo -]\n---\nb: [x- -]\n";
    let docs = kubeplay_core::source::parse(&SourceFile::new("m.yaml", text)).expect("reads");
    let roots: Vec<_> = docs.iter().map(|d| d.root.as_ref().map(|r| r.to_json())).collect();
    assert_eq!(roots, vec![Some(serde_json::json!({"args": ["echo -"]})), Some(serde_json::json!({"b": ["x- -"]}))]);
}

/// A stream whose second document yaml-rust2 refuses when it is read alone but reads within the
/// whole stream (finding 11): the error, if any, is the whole stream's, so the two readings
/// never disagree on whether the text is YAML.
#[test]
fn a_document_refused_alone_but_read_in_the_stream_is_read_as_the_stream_reads_it() {
    let text = "a:: &other {b: 3, c: 4}\nm:\n < :< [*: n # umac'\u{18}\u{18}{{confpRef: [[e[[''C.~{U\n---\nca0: &paYY\nYYYYY0 [x: [0$\u{1f}\n:\n   &ot, \u{2028}. xhervolumeMount-$:  x]\n";
    let docs = kubeplay_core::source::parse(&SourceFile::new("m.yaml", text)).expect("the whole stream reads");
    assert_eq!(docs.len(), 2);
}

/// yaml-rust2 reading a whole stream carries scanner state across `---`: after `{}` it refuses
/// `[:]` and reads `[d:]` otherwise than alone (findings 12 and 13). Documents are independent,
/// so each is read as it reads alone.
#[test]
fn each_document_of_a_stream_reads_as_it_reads_alone() {
    for (stream, alone) in [("{}\n---\n[:]", "[:]"), ("{}\n---\n[d:]", "[d:]")] {
        let read = |text: &str| {
            let docs = kubeplay_core::source::parse(&SourceFile::new("m.yaml", text)).expect("reads");
            docs.last().and_then(|d| d.root.as_ref()).map(|r| r.to_json())
        };
        assert_eq!(read(stream), read(alone), "{stream:?}");
    }
}
