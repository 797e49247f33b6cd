//! Values layering: preset, then `-f` files in order, then `--set`s, into one typed [`Values`],
//! remembering which layer set each path so diagnostics can point into the right file.

use crate::diagnostic::{Diagnostic, Location};
use crate::merge::{coalesce, merge_layer};
use crate::path::{FieldPath, Segment};
use crate::presets::{self, suggest};
use crate::setargs::{self, SetArg};
use crate::source::{self, SourceFile, SpanIndex};
use crate::values::Values;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// What the user gave: a preset name and the layers above it.
#[derive(Debug, Clone, Default)]
pub struct ValuesInput {
    /// `None` means [`presets::DEFAULT_PRESET`].
    pub preset: Option<String>,
    pub files: Vec<SourceFile>,
    pub sets: Vec<SetArg>,
}

enum Layer {
    File { file: SourceFile, index: Arc<SpanIndex> },
    Set { name: String, paths: Vec<FieldPath>, len: usize },
}

/// Which layer put each value where: turns a values path into a file location.
#[derive(Default)]
pub struct Provenance {
    layers: Vec<Layer>,
}

impl Provenance {
    /// Where `path` was last set; failing that, where its nearest ancestor was.
    pub fn locate(&self, path: &FieldPath) -> Option<Location> {
        self.locate_with(path, |index, path| index.nearest(path).filter(|(_, exact)| *exact).map(|(s, _)| s)).or_else(
            || {
                let mut best: Option<(usize, Location)> = None;
                for layer in self.layers.iter().rev() {
                    if let Layer::File { file, index } = layer {
                        let mut p = path.clone();
                        while p.pop() {
                            if let Some((span, true)) = index.nearest(&p) {
                                if best.as_ref().is_none_or(|(depth, _)| p.0.len() > *depth) {
                                    best = Some((p.0.len(), source::location(file, span)));
                                }
                                break;
                            }
                        }
                    }
                }
                best.map(|(_, l)| l)
            },
        )
    }

    /// Where the key that introduces `path` was written (for unknown keys).
    pub fn locate_key(&self, path: &FieldPath) -> Option<Location> {
        self.locate_with(path, |index, path| index.key(path)).or_else(|| self.locate(path))
    }

    fn locate_with(
        &self,
        path: &FieldPath,
        find: impl Fn(&SpanIndex, &FieldPath) -> Option<source::Span>,
    ) -> Option<Location> {
        for layer in self.layers.iter().rev() {
            match layer {
                Layer::File { file, index } => {
                    if let Some(span) = find(index, path) {
                        return Some(source::location(file, span));
                    }
                }
                Layer::Set { name, paths, len } => {
                    if paths.iter().any(|p| path.starts_with(p) || p.starts_with(path)) {
                        return Some(Location { file: name.clone(), line: 1, column: 1, span: 0..*len });
                    }
                }
            }
        }
        None
    }
}

/// The result of layering: typed values when they are valid.
pub struct Loaded {
    pub values: Option<Values>,
    pub provenance: Provenance,
    pub diagnostics: Vec<Diagnostic>,
}

/// Name under which the n-th `--set` expression is reported (shells register its text as a source).
pub fn set_source_name(n: usize, arg: &SetArg) -> String {
    let flag = match arg.kind {
        setargs::SetKind::Typed => "--set",
        setargs::SetKind::String => "--set-string",
    };
    format!("{flag} #{}", n + 1)
}

/// Layer the input and type-check the result. Never fails: problems are diagnostics.
pub fn load(input: &ValuesInput) -> Loaded {
    let mut provenance = Provenance::default();
    let mut diagnostics = Vec::new();
    let preset_name = input.preset.as_deref().unwrap_or(presets::DEFAULT_PRESET);
    // The preset plays the chart's default values; the user's layers are merged with each
    // other first and laid over it at the end, as Helm does.
    let mut defaults: Option<&'static Value> = None;
    let mut user = Value::Object(Default::default());

    match presets::PRESETS.iter().position(|p| p.name == preset_name) {
        Some(slot) => {
            let preset = &presets::PRESETS[slot];
            let (layer, problems) = preset_layer(slot);
            diagnostics.extend(problems.iter().cloned());
            if let Some(layer) = layer {
                defaults = Some(&layer.json);
                provenance.layers.push(Layer::File { file: preset.source(), index: Arc::clone(&layer.index) });
            }
        }
        None => {
            let mut d = Diagnostic::error("unknown-preset", format!("there is no preset named `{preset_name}`"));
            let names = presets::PRESETS.iter().map(|p| p.name);
            d.help = Some(match suggest(preset_name, names.clone()) {
                Some(s) => format!("did you mean `{s}`? presets: {}", names.collect::<Vec<_>>().join(", ")),
                None => format!("presets: {}", names.collect::<Vec<_>>().join(", ")),
            });
            diagnostics.push(d);
        }
    }
    let mut roots = Vec::with_capacity(input.files.len());
    for file in &input.files {
        if let Some(index) = read_root(file, &mut diagnostics) {
            roots.push(Arc::clone(&index));
            provenance.layers.push(Layer::File { file: file.clone(), index });
        }
    }
    // One file that gives every key of the preset, and no --set: the layered values are that
    // file's, read from its tree as it is (a JSON copy of a large file costs more than the
    // rest of the reading). Anything the typed read refuses is read again below, for the
    // diagnostics.
    if let ([index], true, Some(defaults)) = (roots.as_slice(), input.sets.is_empty(), defaults) {
        if covers(defaults, index.root()) {
            if let Ok(values) = crate::tracked::deserialize::<Values>(index.root()) {
                let values = diagnostics.iter().all(|d| d.severity != crate::Severity::Error).then_some(values);
                return Loaded { values, provenance, diagnostics };
            }
        }
    }
    for index in roots {
        merge_layer(&mut user, index.root().to_json());
    }

    for (n, arg) in input.sets.iter().enumerate() {
        let name = set_source_name(n, arg);
        // Parse into a scratch copy first: a bad expression changes nothing.
        let mut scratch = user.clone();
        match setargs::apply(arg, &mut scratch) {
            Ok(paths) => {
                user = scratch;
                provenance.layers.push(Layer::Set { name, paths, len: arg.expr.len() });
            }
            Err(e) => {
                // `offset` counts characters; spans are bytes.
                let byte = arg.expr.char_indices().nth(e.offset).map_or(arg.expr.len(), |(i, _)| i);
                // Counted as every other place is (a `\r` in the expression starts a line).
                let (line, column) = source::LineIndex::new(&arg.expr).line_col(&arg.expr, byte);
                diagnostics.push(
                    Diagnostic::error("set-syntax", format!("{name} `{}`: {}", arg.expr, e.message))
                        .with_help("helm syntax: path.to.key=value, list[0]=x, key={a,b}; escape , and . with \\")
                        .with_location(Some(Location {
                            file: name.clone(),
                            line,
                            column,
                            span: source::char_at(&arg.expr, byte),
                        })),
                )
            }
        }
    }

    // With no user layer the preset's tree is read as it is, not copied.
    let merged: Cow<Value> = match (defaults, user) {
        (Some(defaults), Value::Object(user)) if user.is_empty() => Cow::Borrowed(defaults),
        (defaults, user) => {
            let mut merged = defaults.cloned().unwrap_or_else(|| Value::Object(Default::default()));
            coalesce(&mut merged, user);
            Cow::Owned(merged)
        }
    };
    let values = if diagnostics.iter().any(|d| d.rule == "unknown-preset") {
        None
    } else {
        typed(&merged, &provenance, &mut diagnostics)
    };
    Loaded { values, provenance, diagnostics }
}

/// Whether laying `user` over `defaults` (Helm's coalesce) gives `user` itself: it has every
/// key of the defaults, none of them `null` (which would remove it), and covers each map of the
/// defaults that it gives a map too.
fn covers(defaults: &Value, user: &source::Node) -> bool {
    use crate::tracked::Tree;
    let Value::Object(defaults) = defaults else { return false };
    defaults.iter().all(|(key, default)| match user.field(key) {
        None => false,
        Some(value) if value.is_null() => false,
        Some(value) => match (default, &value.kind) {
            (Value::Object(_), source::NodeKind::Map(_)) => covers(default, value),
            _ => true,
        },
    })
}

/// One values file read as a layer: its tree, and where each path in it was written.
struct FileLayer {
    json: Value,
    index: Arc<SpanIndex>,
}

fn read_layer(file: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Option<FileLayer> {
    read_root(file, diagnostics).map(|index| FileLayer { json: index.root().to_json(), index })
}

/// Read one values file; `None` (with diagnostics) when it is not a map of values. An empty
/// document (or `---`, or `~`) is an empty layer, as `helm -f` reads it.
fn read_root(file: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Option<Arc<SpanIndex>> {
    let docs = match source::parse(file) {
        Ok(docs) => docs,
        Err(d) => {
            diagnostics.push(*d);
            return None;
        }
    };
    let mut docs =
        docs.into_iter().filter_map(|d| d.root).filter(|r| r.kind != source::NodeKind::Scalar(source::Scalar::Null));
    let root = docs.next()?;
    if let Some(extra) = docs.next() {
        diagnostics.push(
            Diagnostic::error(
                "values-shape",
                format!("{} holds more than one YAML document; a values file holds one", file.name),
            )
            .with_location(Some(source::location(file, extra.span))),
        );
        return None;
    }
    if !matches!(root.kind, source::NodeKind::Map(_)) {
        diagnostics.push(
            Diagnostic::error("values-shape", format!("{} must be a map of values at the top", file.name))
                .with_location(Some(source::location(file, root.span))),
        );
        return None;
    }
    Some(Arc::new(root.index()))
}

/// A preset read as a layer, once per process: presets are constants, and reading one again on
/// every keystroke was a third of the work of analysing the default values.
/// `slot` is the preset's index in [`presets::PRESETS`].
fn preset_layer(slot: usize) -> &'static (Option<FileLayer>, Vec<Diagnostic>) {
    static READ: [OnceLock<(Option<FileLayer>, Vec<Diagnostic>)>; presets::PRESETS.len()] =
        [const { OnceLock::new() }; presets::PRESETS.len()];
    READ[slot].get_or_init(|| {
        let mut diagnostics = Vec::new();
        let layer = read_layer(&presets::PRESETS[slot].source(), &mut diagnostics);
        (layer, diagnostics)
    })
}

/// Most unknown keys reported in one go.
const MAX_UNKNOWN_KEYS: usize = 50;

fn typed(merged: &Value, provenance: &Provenance, diagnostics: &mut Vec<Diagnostic>) -> Option<Values> {
    // Copied only when an unknown key has to be taken out; read as a tree each pass.
    let mut tree = Cow::Borrowed(merged);
    // serde stops at the first problem; unknown keys are removed and the parse retried so that
    // the user sees all of them at once.
    for _ in 0..MAX_UNKNOWN_KEYS {
        let (path, err) = match crate::tracked::deserialize::<Values>(&crate::source::Node::from_json(tree.as_ref())) {
            Ok(values) => return diagnostics.iter().all(|d| d.severity != crate::Severity::Error).then_some(values),
            Err(e) => e,
        };
        let message = err.to_string();
        if let Some((unknown, expected)) = parse_unknown_field(&message) {
            let mut key_path = path.clone();
            // serde reports the unknown key's own path for maps of structs; make sure it ends with it.
            if key_path.0.last() != Some(&Segment::Key(unknown.clone())) {
                key_path.0.push(Segment::Key(unknown.clone()));
            }
            let parent = {
                let mut p = key_path.clone();
                p.pop();
                p
            };
            let mut d = Diagnostic::error(
                "unknown-key",
                format!(
                    "unknown key `{unknown}` in {}",
                    if parent.is_root() { "the values".to_string() } else { format!("`{parent}`") }
                ),
            )
            .with_path(key_path.to_string());
            d.help = Some(match suggest(&unknown, expected.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys here: {}", expected.join(", ")),
            });
            d.location = provenance.locate_key(&key_path);
            diagnostics.push(d);
            if !remove(tree.to_mut(), &key_path) {
                return None;
            }
            continue;
        }
        let rule = if message.starts_with("missing field") { "missing-key" } else { "invalid-type" };
        let shown = if path.is_root() { "the values".to_string() } else { format!("`{path}`") };
        let mut d =
            Diagnostic::error(rule, format!("{shown}: {}", humanize(&message, &path))).with_path(path.to_string());
        d.location = provenance.locate(&path);
        let misspelt = parse_unknown_variant(&message)
            .and_then(|(value, allowed)| suggest(&value, allowed.iter().map(String::as_str)).map(str::to_string));
        d.help = Some(if message.starts_with("invalid type: null") {
            // Helm's rule, which kubeplay keeps so that the chart and the render agree.
            "`null` removes a key only where the preset has one; here there is none to remove, so give a value or drop the key".into()
        } else if let Some(near) = misspelt {
            format!("did you mean `{near}`?")
        } else {
            "`kubeplay schema` prints every key with its type".into()
        });
        diagnostics.push(d);
        return None;
    }
    None
}

/// Serde's wording, made friendlier for people who do not read Rust types.
fn humanize(message: &str, path: &FieldPath) -> String {
    // The values' externally tagged enums (a volume, a disruption budget): one key, then its
    // value; serde's message does not say which, the path does.
    if message.ends_with("expected map with a single key") {
        let budget = path.0.iter().any(|s| *s == Segment::Key("podDisruptionBudget".into()));
        return if budget {
            "give exactly one of minAvailable and maxUnavailable".into()
        } else {
            "a volume takes exactly one source: emptyDir, configMap, secret or persistentVolumeClaim".into()
        };
    }
    message
        .replace(
            "data did not match any variant of untagged enum PodCount",
            "expected a number of pods or a percentage such as `50%`",
        )
        .replace("i32", "a whole number")
        .replace("i64", "a whole number")
        .replace("a string", "text")
        .replace("map", "a map of keys")
        .replace("data did not match any variant of untagged enum PortRef", "expected a port number or a port name")
}

/// `unknown field `x`, expected one of `a`, `b`` -> (x, [a, b]).
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    parse_unknown(message, "unknown field `")
}

/// serde's "unknown variant `X`, expected one of `A`, `B`" (a misspelt value of a fixed set,
/// such as a component's `kind`): the value and the allowed ones.
fn parse_unknown_variant(message: &str) -> Option<(String, Vec<String>)> {
    parse_unknown(message, "unknown variant `")
}

fn parse_unknown(message: &str, opening: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix(opening)?;
    let end = rest.find('`')?;
    let unknown = rest[..end].to_string();
    let expected = rest[end..].split('`').skip(2).step_by(2).map(str::to_string).collect();
    Some((unknown, expected))
}

fn remove(tree: &mut Value, path: &FieldPath) -> bool {
    let mut node = tree;
    for (i, segment) in path.0.iter().enumerate() {
        let last = i + 1 == path.0.len();
        node = match (segment, node) {
            (Segment::Key(k), Value::Object(map)) if last => return map.shift_remove(k).is_some(),
            (Segment::Key(k), Value::Object(map)) => match map.get_mut(k) {
                Some(v) => v,
                None => return false,
            },
            (Segment::Index(i), Value::Array(items)) if !last => match items.get_mut(*i) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values as the JSON path layers them: the preset's JSON, the file's coalesced over it.
    fn through_json(preset: &str, text: &str) -> Option<Values> {
        let slot = presets::PRESETS.iter().position(|p| p.name == preset).unwrap();
        let mut merged = preset_layer(slot).0.as_ref().unwrap().json.clone();
        let layer = read_layer(&SourceFile::new("v.yaml", text), &mut Vec::new()).unwrap();
        coalesce(&mut merged, layer.json);
        crate::tracked::deserialize::<Values>(&merged).ok()
    }

    #[test]
    fn a_file_read_from_its_tree_gives_what_the_layered_json_gives() {
        let whole = crate::presets::find("todo-chatbot").unwrap().yaml;
        let cases = [
            // Covers the blank preset: read from the tree.
            (presets::BLANK_PRESET, whole.to_string(), true),
            (presets::BLANK_PRESET, format!("{whole}\nextra: 1\n"), true),
            (presets::BLANK_PRESET, whole.replace("replicas: 1", "replicas: 2.0"), true),
            // Does not: the preset's `components` stays, or is removed by `null`.
            (presets::BLANK_PRESET, "appName: a\nnamespace: a\n".to_string(), false),
            (presets::BLANK_PRESET, "appName: a\nnamespace: a\ncomponents: null\n".to_string(), false),
            ("todo-chatbot", "components:\n  todo-backend:\n    replicas: 3\n".to_string(), false),
        ];
        for (preset, text, covered) in cases {
            let slot = presets::PRESETS.iter().position(|p| p.name == preset).unwrap();
            let defaults = &preset_layer(slot).0.as_ref().unwrap().json;
            let read = read_root(&SourceFile::new("v.yaml", text.as_str()), &mut Vec::new()).unwrap();
            assert_eq!(covers(defaults, read.root()), covered, "{text}");
            let input = ValuesInput {
                preset: Some(preset.into()),
                files: vec![SourceFile::new("v.yaml", text.as_str())],
                sets: Vec::new(),
            };
            assert_eq!(load(&input).values, through_json(preset, &text), "{text}");
        }
    }

    fn load_with(files: &[(&str, &str)], sets: &[SetArg]) -> Loaded {
        load(&ValuesInput {
            preset: None,
            files: files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect(),
            sets: sets.to_vec(),
        })
    }

    #[test]
    fn the_default_preset_loads_clean() {
        let loaded = load_with(&[], &[]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let values = loaded.values.unwrap();
        assert_eq!(values.components["todo-backend"].ports[0].container_port, 8000);
    }

    #[test]
    fn every_preset_loads_clean() {
        for preset in presets::PRESETS {
            let loaded = load(&ValuesInput { preset: Some(preset.name.into()), ..Default::default() });
            assert!(
                loaded.values.is_some() && loaded.diagnostics.is_empty(),
                "{}: {:?}",
                preset.name,
                loaded.diagnostics
            );
        }
    }

    #[test]
    fn layers_apply_in_order() {
        let loaded = load_with(
            &[
                ("a.yaml", "components:\n  todo-backend:\n    replicas: 2\n"),
                ("b.yaml", "components:\n  todo-backend:\n    replicas: 3\n"),
            ],
            &[SetArg::typed("components.todo-frontend.replicas=4")],
        );
        let values = loaded.values.unwrap();
        assert_eq!(values.components["todo-backend"].replicas, Some(3));
        assert_eq!(values.components["todo-frontend"].replicas, Some(4));
        let at = loaded.provenance.locate(&FieldPath::parse("components.todo-backend.replicas")).unwrap();
        assert_eq!((at.file.as_str(), at.line, at.column), ("b.yaml", 3, 15));
        let at = loaded.provenance.locate(&FieldPath::parse("components.todo-frontend.replicas")).unwrap();
        assert_eq!(at.file, "--set #1");
    }

    #[test]
    fn null_removes_a_component() {
        let loaded = load_with(&[("a.yaml", "components:\n  todo-frontend: null\n")], &[]);
        assert!(!loaded.values.unwrap().components.contains_key("todo-frontend"));
    }

    #[test]
    fn a_misspelt_value_of_a_fixed_set_gets_a_suggestion() {
        let loaded = load_with(&[("v.yaml", "components:\n  todo-backend:\n    kind: Statefulset\n")], &[]);
        let d = loaded.diagnostics.iter().find(|d| d.rule == "invalid-type").expect("an invalid-type error");
        assert_eq!(d.path.as_deref(), Some("components.todo-backend.kind"));
        assert!(d.message.contains("unknown variant `Statefulset`"), "{}", d.message);
        assert_eq!(d.help.as_deref(), Some("did you mean `StatefulSet`?"));
        let far = load_with(&[("v.yaml", "components:\n  todo-backend:\n    kind: Lambda\n")], &[]);
        assert_eq!(far.diagnostics[0].help.as_deref(), Some("`kubeplay schema` prints every key with its type"));
    }

    #[test]
    fn unknown_keys_are_all_reported_with_suggestions() {
        let loaded = load_with(&[("v.yaml", "components:\n  todo-backend:\n    replica: 2\n    imag: {}\n")], &[]);
        assert!(loaded.values.is_none());
        let unknown: Vec<_> = loaded.diagnostics.iter().filter(|d| d.rule == "unknown-key").collect();
        assert_eq!(unknown.len(), 2, "{:?}", loaded.diagnostics);
        assert_eq!(unknown[0].path.as_deref(), Some("components.todo-backend.replica"));
        assert_eq!(unknown[0].help.as_deref(), Some("did you mean `replicas`?"));
        let loc = unknown[0].location.as_ref().unwrap();
        assert_eq!((loc.file.as_str(), loc.line, loc.column), ("v.yaml", 3, 5));
    }

    #[test]
    fn type_errors_name_the_path_and_place() {
        let loaded = load_with(&[("v.yaml", "components:\n  todo-backend:\n    replicas: many\n")], &[]);
        let d = &loaded.diagnostics[0];
        assert_eq!(d.rule, "invalid-type");
        assert_eq!(d.path.as_deref(), Some("components.todo-backend.replicas"));
        assert_eq!(d.location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn bad_set_changes_nothing_and_says_where() {
        let loaded = load_with(&[], &[SetArg::typed("components.todo-backend.replicas")]);
        assert_eq!(loaded.diagnostics[0].rule, "set-syntax");
        assert!(loaded.values.is_none());
    }

    #[test]
    fn unknown_preset_suggests() {
        let loaded = load(&ValuesInput { preset: Some("todo-chatbo".into()), ..Default::default() });
        assert_eq!(loaded.diagnostics[0].rule, "unknown-preset");
        assert!(loaded.diagnostics[0].help.as_ref().unwrap().contains("todo-chatbot"));
    }

    #[test]
    fn nulls_layer_as_helm_layers_them() {
        // A null removes a key the preset has...
        let loaded = load_with(&[("a.yaml", "secrets:\n  OPENAI_API_KEY: null\n")], &[]);
        assert!(!loaded.values.unwrap().secrets.contains_key("OPENAI_API_KEY"));
        // ...but a null for a key the preset lacks stays, and is not text.
        let loaded = load_with(&[("a.yaml", "secrets:\n  NEW: null\n")], &[]);
        assert_eq!(loaded.diagnostics[0].rule, "invalid-type");
        assert_eq!(loaded.diagnostics[0].path.as_deref(), Some("secrets.NEW"));
        // A later file's null of what an earlier file added is not a removal either.
        let loaded = load_with(&[("a.yaml", "config:\n  EXTRA: x\n"), ("b.yaml", "config:\n  EXTRA: null\n")], &[]);
        assert_eq!(loaded.diagnostics[0].rule, "invalid-type");
        // --set null removes a preset key.
        let loaded = load_with(&[], &[SetArg::typed("config.LOG_LEVEL=null")]);
        assert!(!loaded.values.unwrap().config.contains_key("LOG_LEVEL"));
    }
}
