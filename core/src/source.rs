//! YAML text in, a tree of nodes with their byte spans out: the only YAML reader in kubeplay.
//!
//! serde_yaml cannot say where a value came from, so values and manifests are read into
//! [`Node`]s that keep their position: by the fast reader in `source/fast.rs` when the text is
//! the plain block YAML it knows (nearly always), else by yaml-rust2's event parser, which also
//! makes every syntax error's diagnostic. Every hostile input the
//! CLI or the browser can be handed (alias bombs, deep nesting, huge files, tabs, duplicate keys,
//! bytes that are not UTF-8) becomes a [`Diagnostic`] pointing at the place, never a panic.

mod fast;
pub mod highlight;

use crate::diagnostic::{Diagnostic, Location};
use crate::path::{FieldPath, Segment};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Largest input accepted, in bytes. Rendering 1,000 components stays well below it.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;
/// Deepest nesting of maps and lists accepted. Real values and manifests stay under 20.
pub const MAX_DEPTH: usize = 64;
/// Most nodes one input may expand to, aliases included (stops "billion laughs").
pub const MAX_NODES: usize = 1_000_000;

/// A named text: a values file, a manifest file, a preset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile { name: name.into(), text: text.into() }
    }

    /// Decode bytes as UTF-8, or say where the first bad byte is.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, Box<Diagnostic>> {
        let name = name.into();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile { name, text }),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
                let lines = LineIndex::new(valid);
                let (line, column) = lines.line_col(valid, at);
                Err(Box::new(
                    Diagnostic::error(
                        "input-encoding",
                        format!("{name} is not UTF-8 text: invalid byte 0x{:02x}", e.as_bytes()[at]),
                    )
                    .with_help("save the file as UTF-8")
                    .with_location(Some(Location { file: name, line, column, span: at..at + 1 })),
                ))
            }
        }
    }
}

/// Whether byte `i` ends a line: YAML (and so yaml-rust2's marks) also ends one at a `\r` alone.
fn is_line_break(b: &[u8], i: usize) -> bool {
    b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))
}

/// How many lines end in `text`, as [`LineIndex`] counts them.
fn line_breaks(text: &str) -> usize {
    let b = text.as_bytes();
    match text.contains('\r') {
        true => (0..b.len()).filter(|&i| is_line_break(b, i)).count(),
        false => b.iter().filter(|&&c| c == b'\n').count(),
    }
}

/// Byte offsets of line starts, to turn (line, column) into byte spans and back.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// `u32` as spans are: inputs are below [`MAX_INPUT_BYTES`].
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // Sized first: a large file has hundreds of thousands of lines.
        let mut starts = Vec::with_capacity(1 + line_breaks(text));
        starts.push(0);
        let narrow = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
        if text.contains('\r') {
            let b = text.as_bytes();
            starts.extend((0..b.len()).filter(|&i| is_line_break(b, i)).map(narrow));
        } else {
            starts.extend(text.match_indices('\n').map(|(i, _)| narrow(i)));
        }
        LineIndex { starts }
    }
    /// Byte offset of a 1-based line and a 0-based character column.
    pub fn offset(&self, text: &str, line: usize, char_col: usize) -> usize {
        let start = self.starts.get(line.saturating_sub(1)).map_or(text.len(), |&s| s as usize).min(text.len());
        let rest = &text[start..];
        // Most lines are ASCII up to the column: then characters are bytes, no decoding needed.
        match rest.as_bytes().get(..char_col) {
            Some(prefix) if prefix.is_ascii() => start + char_col,
            _ => start + rest.char_indices().nth(char_col).map_or(rest.len(), |(i, _)| i),
        }
    }
    /// The bytes of 1-based `line` without its line break; `None` past the last line.
    pub fn line_span(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = (*self.starts.get(line.checked_sub(1)?)? as usize).min(text.len());
        let end = self.starts.get(line).map_or(text.len(), |&next| next as usize);
        let content = &text.as_bytes()[start..end.min(text.len())];
        let breaks = match content {
            [.., b'\r', b'\n'] => 2,
            [.., b'\n' | b'\r'] => 1,
            _ => 0,
        };
        Some(start..start + content.len() - breaks)
    }
    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s as usize <= offset).max(1);
        let start = self.starts[line - 1] as usize;
        let col = text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line, col + 1)
    }
}

/// A YAML scalar after resolution with the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

/// A scalar typed as its JSON is: what a tree's reader (`tracked::Tree`) hands on, from a read
/// document's [`Scalar`] or from JSON alike.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalarRef<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(&'a str),
}

impl ScalarRef<'_> {
    pub fn to_json(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            ScalarRef::Null => Value::Null,
            ScalarRef::Bool(b) => Value::Bool(b),
            ScalarRef::Int(i) => Value::from(i),
            ScalarRef::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            ScalarRef::Text(text) => Value::String(text.to_string()),
        }
    }
}

impl Scalar {
    /// The scalar as Helm sees it after its JSON round trip: a whole float (`8000.0`, `1e3`) is
    /// an integer, and infinity and NaN, which JSON lacks, stay text so a type check can point
    /// at them.
    pub fn json(&self) -> ScalarRef<'_> {
        match self {
            Scalar::Null => ScalarRef::Null,
            Scalar::Bool(b) => ScalarRef::Bool(*b),
            Scalar::Int(i) => ScalarRef::Int(*i),
            Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => ScalarRef::Int(*f as i64),
            Scalar::Float(f) if f.is_finite() => ScalarRef::Float(*f),
            Scalar::Float(f) if f.is_nan() => ScalarRef::Text(".nan"),
            Scalar::Float(f) if *f > 0.0 => ScalarRef::Text(".inf"),
            Scalar::Float(_) => ScalarRef::Text("-.inf"),
            Scalar::Str(s) => ScalarRef::Text(s),
        }
    }
    /// The JSON of a scalar ([`Scalar::json`]).
    pub fn to_json(&self) -> serde_json::Value {
        self.json().to_json()
    }
}

/// A node is written (YAML out, JSON to apply) exactly as its [`Node::to_json`], without
/// building that JSON first.
impl serde::Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match &self.kind {
            NodeKind::Scalar(Scalar::Str(s)) => serializer.serialize_str(s),
            NodeKind::Scalar(scalar) => scalar.to_json().serialize(serializer),
            NodeKind::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                items.iter().try_for_each(|item| seq.serialize_element(item))?;
                seq.end()
            }
            NodeKind::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                entries.iter().try_for_each(|(key, _, value)| map.serialize_entry(key, value))?;
                map.end()
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Box<[Node]>),
    /// Keys are strings: kubeplay reads only string-keyed YAML.
    Map(Box<[(Key, Span, Node)]>),
}

/// A map key. The keys of Kubernetes objects and values files come from a small vocabulary, so
/// those are an index into [`KNOWN_KEYS`] rather than allocated once per object. Two words, not
/// three: a large set reads hundreds of thousands of keys.
#[derive(Clone)]
pub enum Key {
    Known(u16),
    Owned(Box<str>),
}

impl Key {
    pub fn as_str(&self) -> &str {
        match self {
            Key::Known(i) => KNOWN_KEYS[usize::from(*i)],
            Key::Owned(text) => text,
        }
    }
}

impl From<String> for Key {
    fn from(text: String) -> Key {
        known_key(&text).unwrap_or_else(|| Key::Owned(text.into_boxed_str()))
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Keys read often enough to be kept once (sorted: no key twice).
const KNOWN_KEYS: &[&str] = &[
    "add",
    "affinity",
    "allowPrivilegeEscalation",
    "annotations",
    "apiGroup",
    "apiVersion",
    "app",
    "args",
    "capabilities",
    "claimName",
    "clusterIP",
    "command",
    "component",
    "components",
    "configMap",
    "configMapKeyRef",
    "containerPort",
    "containers",
    "cpu",
    "data",
    "drop",
    "emptyDir",
    "env",
    "envFrom",
    "exec",
    "failureThreshold",
    "fieldPath",
    "fieldRef",
    "fsGroup",
    "grpc",
    "host",
    "hosts",
    "http",
    "httpGet",
    "image",
    "imagePullPolicy",
    "initContainers",
    "initialDelaySeconds",
    "items",
    "key",
    "kind",
    "labels",
    "limits",
    "livenessProbe",
    "matchExpressions",
    "matchLabels",
    "maxReplicas",
    "maxSurge",
    "maxUnavailable",
    "memory",
    "metadata",
    "minReplicas",
    "mountPath",
    "name",
    "namespace",
    "nodePort",
    "nodeSelector",
    "operator",
    "optional",
    "path",
    "pathType",
    "paths",
    "periodSeconds",
    "persistentVolumeClaim",
    "podSelector",
    "port",
    "ports",
    "privileged",
    "protocol",
    "readOnly",
    "readOnlyRootFilesystem",
    "readinessProbe",
    "replicas",
    "requests",
    "resources",
    "restartPolicy",
    "roleRef",
    "rollingUpdate",
    "rules",
    "runAsGroup",
    "runAsNonRoot",
    "runAsUser",
    "scaleTargetRef",
    "seccompProfile",
    "secret",
    "secretKeyRef",
    "secretName",
    "securityContext",
    "selector",
    "service",
    "serviceAccount",
    "serviceAccountName",
    "spec",
    "startupProbe",
    "strategy",
    "stringData",
    "subPath",
    "subjects",
    "successThreshold",
    "targetPort",
    "tcpSocket",
    "template",
    "terminationGracePeriodSeconds",
    "timeoutSeconds",
    "tls",
    "tolerations",
    "type",
    "value",
    "valueFrom",
    "values",
    "version",
    "volumeMounts",
    "volumes",
];

/// A key of the known vocabulary, without allocating. Every key of every read document comes
/// through here: a hash lookup, where a binary search over the vocabulary spent about a seventh
/// of a large values file's analysis comparing strings.
pub(crate) fn known_key(text: &str) -> Option<Key> {
    static INDEX: std::sync::OnceLock<hashbrown::HashMap<&'static str, u16>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        KNOWN_KEYS.iter().enumerate().filter_map(|(i, key)| Some((*key, u16::try_from(i).ok()?))).collect()
    });
    index.get(text).copied().map(Key::Known)
}

/// Byte range and 1-based line/column of a node's start. `u32`: every read object keeps a span
/// per node and per key, and inputs are far smaller than 4 GiB ([`MAX_INPUT_BYTES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// A span from byte offsets and a line and column (inputs are below [`MAX_INPUT_BYTES`]).
    pub fn new(start: usize, end: usize, line: usize, column: usize) -> Span {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span { start: narrow(start), end: narrow(end), line: narrow(line), column: narrow(column) }
    }
    /// The byte range, to slice the text with.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn with_end(self, end: usize) -> Span {
        Span { end: u32::try_from(end).unwrap_or(u32::MAX), ..self }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Where it is written. A map or list copied by an alias (`*name`) has an empty span at the
    /// alias ([`Node::is_alias_copy`]): its text is at the anchor, and everything inside it is
    /// reported at the alias. (A flag would cost every node of a large set 8 bytes.)
    pub span: Span,
}

impl Node {
    /// Whether this map or list is a copy made by an alias: an empty span, which no written map
    /// or list has (`{}` and `[]` take two characters).
    fn is_alias_copy(&self) -> bool {
        self.span.start == self.span.end && matches!(self.kind, NodeKind::Map(_) | NodeKind::Seq(_))
    }
    /// Whether the node is a string scalar (a document that is one text, as a block scalar is).
    fn is_text(&self) -> bool {
        matches!(self.kind, NodeKind::Scalar(Scalar::Str(_)))
    }

    /// The value of key `name` of this map node.
    pub fn get(&self, name: &str) -> Option<&Node> {
        let NodeKind::Map(entries) = &self.kind else { return None };
        entries.iter().find(|(k, _, _)| k.as_ref() == name).map(|(_, _, v)| v)
    }
    /// The text of key `name` of this map node, when it is a string.
    pub fn text_at(&self, name: &str) -> Option<&str> {
        match &self.get(name)?.kind {
            NodeKind::Scalar(Scalar::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The value at `keys` (map keys, in order), made a string so the caller can set its text.
    pub(crate) fn text_slot(&mut self, keys: &[&str]) -> Option<&mut String> {
        let mut node = self;
        for key in keys {
            let NodeKind::Map(entries) = &mut node.kind else { return None };
            node = entries.iter_mut().find(|(k, _, _)| k == key).map(|(_, _, v)| v)?;
        }
        if !matches!(node.kind, NodeKind::Scalar(Scalar::Str(_))) {
            node.kind = NodeKind::Scalar(Scalar::Str(String::new()));
        }
        match &mut node.kind {
            NodeKind::Scalar(Scalar::Str(text)) => Some(text),
            _ => None,
        }
    }

    /// A tree of `json`, written nowhere (empty spans): layered values read as typed values by
    /// the one reader of read trees, so the page carries each type's reading once. For JSON
    /// made by [`Node::to_json`] (and layered from it): a whole float there is already an
    /// integer, which this would make of one anyway.
    pub(crate) fn from_json(json: &serde_json::Value) -> Node {
        use serde_json::Value;
        let kind = match json {
            Value::Null => NodeKind::Scalar(Scalar::Null),
            Value::Bool(b) => NodeKind::Scalar(Scalar::Bool(*b)),
            // As `tracked` reads JSON: an integer beyond i64 is a float.
            Value::Number(n) => NodeKind::Scalar(match n.as_i64() {
                Some(i) => Scalar::Int(i),
                None => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
            }),
            Value::String(text) => NodeKind::Scalar(Scalar::Str(text.clone())),
            Value::Array(items) => NodeKind::Seq(items.iter().map(Node::from_json).collect()),
            Value::Object(map) => {
                let key = |k: &String| known_key(k).unwrap_or_else(|| Key::Owned(k.as_str().into()));
                NodeKind::Map(map.iter().map(|(k, v)| (key(k), Span::default(), Node::from_json(v))).collect())
            }
        };
        Node { kind, span: Span::default() }
    }

    /// Plain JSON value of this node (scalars typed, maps keep their order).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Scalar(Scalar::Str(s)) => Value::String(s.clone()),
            NodeKind::Scalar(scalar) => scalar.to_json(),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                Value::Object(entries.iter().map(|(k, _, v)| (k.to_string(), v.to_json())).collect())
            }
        }
    }

    /// The deepest node on `path` below this one: its span, the key span that introduced it, and
    /// whether the whole path was found. Inside an alias copy the alias itself is the answer.
    fn walk(&self, path: &FieldPath) -> (Span, Option<Span>, bool) {
        let mut node = self;
        let mut key_span = None;
        for segment in &path.0 {
            if node.is_alias_copy() {
                return (node.span, key_span, true);
            }
            match node.child(segment) {
                Some((child, key)) => {
                    node = child;
                    key_span = key;
                }
                None => return (node.span, None, false),
            }
        }
        (node.span, key_span, true)
    }

    /// The span at `path`, or the nearest ancestor's that exists.
    pub fn nearest_span(&self, path: &FieldPath) -> Span {
        self.walk(path).0
    }

    /// Take out the map entry at `path` (a path ending in a key); whether there was one.
    pub fn remove_key(&mut self, path: &FieldPath) -> bool {
        let Some((Segment::Key(last), parents)) = path.0.split_last() else { return false };
        let mut node = self;
        for segment in parents {
            node = match (&mut node.kind, segment) {
                (NodeKind::Map(entries), Segment::Key(key)) => match entries.iter_mut().find(|(k, _, _)| k == key) {
                    Some((_, _, child)) => child,
                    None => return false,
                },
                (NodeKind::Seq(items), Segment::Index(i)) => match items.get_mut(*i) {
                    Some(child) => child,
                    None => return false,
                },
                _ => return false,
            };
        }
        let NodeKind::Map(entries) = &mut node.kind else { return false };
        let before = entries.len();
        let mut kept = std::mem::take(entries).into_vec();
        kept.retain(|(k, _, _)| k != last);
        *entries = kept.into_boxed_slice();
        entries.len() != before
    }

    /// Call `f` on the span of this node, of every node below it and of every map key.
    fn visit_spans(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        match &mut self.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Seq(items) => items.iter_mut().for_each(|item| item.visit_spans(f)),
            NodeKind::Map(entries) => {
                for (_, key, value) in entries {
                    f(key);
                    value.visit_spans(f);
                }
            }
        }
    }

    /// Where each path under this node was written (see [`SpanIndex`]).
    pub fn index(self) -> SpanIndex {
        SpanIndex { root: self }
    }

    /// The child at one path segment.
    fn child(&self, segment: &Segment) -> Option<(&Node, Option<Span>)> {
        match (&self.kind, segment) {
            (NodeKind::Map(entries), Segment::Key(key)) => {
                entries.iter().find(|(k, _, _)| k.as_ref() == key).map(|(_, key_span, value)| (value, Some(*key_span)))
            }
            (NodeKind::Seq(items), Segment::Index(i)) => items.get(*i).map(|item| (item, None)),
            _ => None,
        }
    }
}

/// The parsed tree of one document: what was written (the one copy a read manifest keeps; its
/// JSON is made from it when asked) and where, answering "where was this path written". Lookups
/// walk the tree (depth x width), so nothing is built for documents nobody asks about.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanIndex {
    root: Node,
}

impl SpanIndex {
    /// The document's tree, values included.
    pub fn root(&self) -> &Node {
        &self.root
    }
    pub(crate) fn root_mut(&mut self) -> &mut Node {
        &mut self.root
    }
    /// The deepest node on `path`: its span, the key span that introduced it, and whether the
    /// whole path was found. Inside an alias copy the alias itself is the answer.
    fn walk(&self, path: &FieldPath) -> (Span, Option<Span>, bool) {
        self.root.walk(path)
    }

    /// The value's span at `path`, or the nearest ancestor's that exists (and whether exact).
    pub fn nearest(&self, path: &FieldPath) -> Option<(Span, bool)> {
        let (span, _, exact) = self.walk(path);
        Some((span, exact))
    }
    /// The span of the key that introduces `path` (for "unknown key" carets).
    pub fn key(&self, path: &FieldPath) -> Option<Span> {
        match self.walk(path) {
            (_, Some(key), true) => Some(key),
            _ => None,
        }
    }
}

/// One document of a YAML stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 0-based position in the stream, counting empty documents too.
    pub index: usize,
    /// `None` for an empty document (`---` with nothing after it).
    pub root: Option<Node>,
}

/// Where a span sits in a named file.
pub fn location(file: &SourceFile, span: Span) -> Location {
    Location {
        file: file.name.clone(),
        line: span.line as usize,
        column: span.column as usize,
        span: span.start as usize..span.end.max(span.start) as usize,
    }
}

/// Whether `location` is a place in `text` that a shell can draw (codespan-reporting and the page
/// slice the text by the span): the span within the text and on character boundaries, the line
/// and column those of its start. Every location core makes for a text is; the fuzz targets and
/// `core/tests/fuzz_findings.rs` check it.
pub fn check_location(location: &Location, text: &str) -> Result<(), String> {
    let span = &location.span;
    if span.start > span.end || span.end > text.len() {
        return Err(format!("span {span:?} is outside {} ({} bytes)", location.file, text.len()));
    }
    if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return Err(format!("span {span:?} cuts a character of {}", location.file));
    }
    let (line, column) = LineIndex::new(text).line_col(text, span.start);
    if (location.line, location.column) != (line, column) {
        return Err(format!(
            "{}:{}:{} is not where its span {span:?} starts ({line}:{column})",
            location.file, location.line, location.column
        ));
    }
    Ok(())
}

/// The bytes of the character at `offset`, empty at the end of the text: what a caret under one
/// character covers (a shell slices the text by it, so it must not end inside a character).
pub(crate) fn char_at(text: &str, offset: usize) -> std::ops::Range<usize> {
    offset..text[offset..].chars().next().map_or(offset, |c| offset + c.len_utf8())
}

fn error_at(file: &SourceFile, span: Span, rule: &'static str, message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(rule, message).with_location(Some(location(file, span))))
}

/// Parse every document of a YAML stream. The first problem stops the parse: a half-read file
/// is never used.
pub fn parse(file: &SourceFile) -> Result<Vec<Document>, Box<Diagnostic>> {
    let text = &file.text;
    if text.len() > MAX_INPUT_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                "input-too-large",
                // Shells may stop reading at the limit, so only "more than" is known for sure.
                format!("{} is larger than {} MiB, the most kubeplay reads", file.name, MAX_INPUT_BYTES >> 20),
            )
            .with_help("split the file, or check that it is the file you meant")
            .with_location(Some(Location { file: file.name.clone(), line: 1, column: 1, span: 0..0 })),
        ));
    }
    // Most files are plain block YAML that the fast reader knows; it declines anything else.
    let mut docs = match fast::parse(text) {
        Some(docs) => docs,
        None => match parse_by_document(file) {
            Some(docs) => docs?,
            None => parse_full(file)?,
        },
    };
    if text.contains("<<") {
        for root in docs.iter_mut().filter_map(|d| d.root.as_mut()) {
            resolve_merges(root).map_err(|span| {
                error_at(file, span, "yaml-syntax", "a merge key `<<` takes a map or a list of maps".into())
            })?;
        }
    }
    Ok(docs)
}

/// Where the quick readers answer, whether they answer what the full parser (yaml-rust2) does:
/// the fast reader on the whole text and, when it declines, the reading a document at a time.
/// `Ok(true)` when the fast reader answered and agrees, `Ok(false)` when it declined (and the
/// document-at-a-time reading, if any, agrees), `Err` with both answers when they differ. Trees
/// that are not equal are compared again as Debug text, so that `.nan` equals itself. For the
/// unit tests and the differential fuzz target (`core/fuzz`), which cannot reach the readers
/// otherwise. `by_document: false` checks the fast reader alone: the unit tests' generated YAML
/// still finds a span one byte apart when read a document at a time (an empty value in a flow
/// sequence, `[.5:, x]`), open; the fuzz target checks both.
#[cfg(any(test, feature = "fuzzing"))]
pub fn check_quick_readers(text: &str, by_document: bool) -> Result<bool, String> {
    let file = SourceFile::new("t.yaml", text);
    let full = parse_full(&file);
    let compare = |reader: &str, quick: Result<Vec<Document>, Box<Diagnostic>>| {
        let same = match (&quick, &full) {
            (Ok(a), Ok(b)) => {
                a == b || format!("{a:?}") == format!("{b:?}") || yaml_rust2_reads_each_document_so(text, a)
            }
            (Err(_), Err(_)) => true,
            (Ok(read), Err(refused)) => {
                splits_a_flow_plain_scalar(text, refused) || yaml_rust2_reads_each_document_so(text, read)
            }
            (Err(_), Ok(_)) => false,
        };
        if same {
            return Ok(());
        }
        let show = |r: &Result<Vec<Document>, Box<Diagnostic>>| {
            r.as_ref().map(|d| format!("{d:#?}")).map_err(|e| e.message.clone())
        };
        Err(format!(
            "the {reader} and the full parser disagree on:\n{text}\n{}",
            differences(&show(&quick), &show(&full))
        ))
    };
    if let Some(docs) = fast::parse(text) {
        return compare("fast reader", Ok(docs)).map(|()| true);
    }
    match parse_by_document(&file).filter(|_| by_document) {
        Some(read) => compare("document-at-a-time reading", read).map(|()| false),
        None => Ok(false),
    }
}

/// yaml-rust2 refuses a `-` that continues a plain scalar in a flow collection when a flow
/// indicator follows it (`[x -]`), taking it for a scalar that starts there. YAML 1.2 and go-yaml
/// (so kubectl and Helm) read `"x -"`, as the fast reader does; only that case is let through,
/// a `-` that does start a scalar (`[a, -]`) must still be refused by both.
#[cfg(any(test, feature = "fuzzing"))]
fn splits_a_flow_plain_scalar(text: &str, refused: &Diagnostic) -> bool {
    let Some(at) = refused.location.as_ref().map(|l| l.span.start) else { return false };
    let before = text.get(..at).unwrap_or("");
    let scalar_before = before.trim_end_matches([' ', '\t']);
    refused.message.contains("plain scalar cannot start with '-'")
        && text[at..].starts_with('-')
        && scalar_before.len() < before.len()
        && !scalar_before.ends_with([',', '[', '{', ':', '\n', '\r'])
}

/// yaml-rust2 reading a whole stream keeps scanner state across `---` (found by the
/// `yaml_readers` fuzz target: after `{}`, it refuses a later `[:]` and reads `[d:]` otherwise
/// than alone), while YAML documents are independent. Where yaml-rust2 itself, given each
/// document alone, reads what the quick reading read, the whole stream's different answer is
/// that carried state, not a quick reader's mistake.
#[cfg(any(test, feature = "fuzzing"))]
fn yaml_rust2_reads_each_document_so(text: &str, read: &[Document]) -> bool {
    match read_by_document(&SourceFile::new("t.yaml", text), false) {
        Some(Ok(alone)) => alone == read || format!("{alone:?}") == format!("{read:?}"),
        _ => false,
    }
}

/// Two readers' answers, from the first line where they differ (with the lines around it).
#[cfg(any(test, feature = "fuzzing"))]
fn differences(quick: &Result<String, String>, full: &Result<String, String>) -> String {
    let (Ok(quick), Ok(full)) = (quick, full) else {
        return format!("--- quick reader:\n{quick:?}\n--- full parser:\n{full:?}");
    };
    let (quick, full): (Vec<_>, Vec<_>) = (quick.lines().collect(), full.lines().collect());
    let at = quick.iter().zip(&full).position(|(a, b)| a != b).unwrap_or(quick.len().min(full.len()));
    let from = at.saturating_sub(12);
    format!(
        "--- quick reader:\n{}\n--- full parser:\n{}",
        quick[from..(at + 4).min(quick.len())].join("\n"),
        full[from..(at + 4).min(full.len())].join("\n")
    )
}

/// A stream the fast reader declines as a whole, read a document at a time: each document the
/// fast reader knows is read by it, the others by the full parser, so one block scalar does not
/// send a whole `kubectl get -o yaml` dump to the slow path. Documents are split at lines that
/// are exactly `---` (a document marker wherever it stands at column 0); `None` when there is
/// nothing to split, the stream has directives or `...` ends, which span documents, or a
/// document does not read alone.
fn parse_by_document(file: &SourceFile) -> Option<Result<Vec<Document>, Box<Diagnostic>>> {
    read_by_document(file, true)
}

/// [`parse_by_document`], each document read by the fast reader when `fast` and it knows the
/// document, else by yaml-rust2 alone.
fn read_by_document(file: &SourceFile, fast: bool) -> Option<Result<Vec<Document>, Box<Diagnostic>>> {
    let text = file.text.as_str();
    if text.starts_with('%') || text.contains("\n%") || text.contains("\n...") {
        return None;
    }
    let mut starts = vec![0];
    starts.extend(text.match_indices("\n---\n").map(|(i, _)| i + 1));
    if text.ends_with("\n---") {
        starts.push(text.len() - 3);
    }
    if starts.len() < 2 {
        return None;
    }
    starts.push(text.len());
    let (mut docs, mut nodes) = (Vec::with_capacity(starts.len()), 0usize);
    // Lines as the spans count them (a `\r` alone ends one too), to move each document's down.
    let (mut line, mut counted) = (0, 0);
    for pair in starts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        line += line_breaks(&text[counted..start]);
        counted = start;
        let chunk = &text[start..end];
        let read = match fast::parse(chunk).filter(|_| fast) {
            Some(read) => Ok(read),
            None => {
                // With the next document's `---`, as the whole stream has it: yaml-rust2 reads
                // some documents differently at the end of the text (`a: |` is "\n" there, ""
                // before a `---`). The empty document that `---` opens is dropped.
                let with_marker = end < text.len();
                let read =
                    parse_full(&SourceFile::new(file.name.clone(), &text[start..end + 3 * usize::from(with_marker)]));
                // yaml-rust2 lets a block scalar at the top of a document run on over the next
                // `---`, which a document read alone cannot know: such a stream is read whole.
                if read.as_ref().is_ok_and(|docs| docs.iter().any(|d| d.root.as_ref().is_some_and(Node::is_text))) {
                    return None;
                }
                read.map(|mut docs| {
                    if with_marker {
                        docs.pop();
                    }
                    docs
                })
            }
        };
        let shift = |span: &mut Span| {
            *span = Span::new(
                span.start as usize + start,
                span.end as usize + start,
                span.line as usize + line,
                span.column as usize,
            );
        };
        // A document that does not read is the whole stream's to report: yaml-rust2 carries
        // state across `---` (a document refused alone was read whole), so only the whole
        // stream's answer is its answer.
        let Ok(read) = read else { return None };
        for mut doc in read {
            if let Some(root) = doc.root.as_mut() {
                nodes += count(root);
                root.visit_spans(&mut |s| shift(s));
            }
            doc.index = docs.len();
            docs.push(doc);
        }
        if nodes > MAX_NODES {
            let span = Span::new(start, char_at(text, start).end, line + 1, 1);
            let message = format!("the stream expands to more than {MAX_NODES} values (aliases repeated too often?)");
            return Some(Err(error_at(file, span, "yaml-limits", message)));
        }
    }
    Some(Ok(docs))
}

/// YAML 1.1 merge keys, as go-yaml (Helm, kubectl) reads them: `<<: *base` or `<<: [*a, *b]`
/// adds the keys of those maps that the map does not set itself; of several maps, the earlier
/// wins. Inner maps are resolved first, so merged maps bring their own merges along. The error
/// is the span of a `<<` whose value is not a map or a list of maps.
fn resolve_merges(node: &mut Node) -> Result<(), Span> {
    match &mut node.kind {
        NodeKind::Scalar(_) => Ok(()),
        NodeKind::Seq(items) => items.iter_mut().try_for_each(resolve_merges),
        NodeKind::Map(entries) => {
            for (_, _, value) in entries.iter_mut() {
                resolve_merges(value)?;
            }
            if !entries.iter().any(|(k, _, _)| k == "<<") {
                return Ok(());
            }
            let own: Vec<Key> = entries.iter().filter(|(k, _, _)| k != "<<").map(|(k, _, _)| k.clone()).collect();
            let mut merged: Vec<(Key, Span, Node)> = Vec::with_capacity(entries.len());
            let mut taken: HashSet<Key> = own.iter().cloned().collect();
            for (key, key_span, value) in std::mem::take(entries) {
                if key != "<<" {
                    merged.push((key, key_span, value));
                    continue;
                }
                let sources = match value.kind {
                    NodeKind::Map(map) => vec![map],
                    NodeKind::Seq(items) => items
                        .into_vec()
                        .into_iter()
                        .map(|item| match item.kind {
                            NodeKind::Map(map) => Ok(map),
                            _ => Err(item.span),
                        })
                        .collect::<Result<_, _>>()?,
                    _ => return Err(value.span),
                };
                for (k, ks, v) in sources.into_iter().flatten() {
                    if taken.insert(k.clone()) {
                        merged.push((k, ks, v));
                    }
                }
            }
            *entries = merged.into_boxed_slice();
            Ok(())
        }
    }
}

/// Parse with the full YAML parser: anything the fast reader declines, and every error.
fn parse_full(file: &SourceFile) -> Result<Vec<Document>, Box<Diagnostic>> {
    let text = &file.text;
    let lines = LineIndex::new(text);
    // yaml-rust2 takes a NUL for the end of the text and silently drops the rest; YAML does not
    // allow one (nor do go-yaml, kubectl and Helm).
    if let Some(at) = text.find('\0') {
        let (line, column) = lines.line_col(text, at);
        let span = Span::new(at, at + 1, line, column);
        return Err(Box::new(
            Diagnostic::error("yaml-syntax", "YAML syntax error: a NUL character is not allowed in YAML".to_string())
                .with_help("remove it; a file full of them may be binary, or saved as UTF-16")
                .with_location(Some(location(file, span))),
        ));
    }
    let mut builder = Builder {
        file,
        text,
        lines: &lines,
        docs: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        error: None,
        last_end: 0,
        doc_has_root: false,
        hasher: Default::default(),
    };
    let result = Parser::new_from_str(text).load(&mut builder, true);
    if let Some(err) = builder.error {
        return Err(err);
    }
    if let Err(scan) = result {
        let mark = scan.marker();
        let offset = lines.offset(text, mark.line(), mark.col());
        let (line, column) = lines.line_col(text, offset);
        let mut message = format!("YAML syntax error: {}", scan.info());
        let mut span = Span::new(offset, char_at(text, offset).end, line, column);
        if scan.info().contains("tab") {
            // The scanner reports tabs where it notices them, often a line early; point at the tab.
            if let Some(tab) = first_indent_tab(text) {
                let (line, column) = lines.line_col(text, tab);
                span = Span::new(tab, tab + 1, line, column);
                message = "YAML syntax error: a tab is used for indentation".into();
            }
        }
        return Err(Box::new(
            Diagnostic::error("yaml-syntax", message)
                .with_help("YAML indents with spaces only; check quotes, colons and indentation here")
                .with_location(Some(location(file, span))),
        ));
    }
    Ok(builder.docs)
}

fn first_indent_tab(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..indent].find('\t') {
            return Some(offset + i);
        }
        offset += line.len();
    }
    text.find('\t')
}

enum Frame {
    Seq {
        items: Vec<Node>,
        span: Span,
        anchor: usize,
    },
    Map {
        entries: Vec<(Key, Span, Node)>,
        /// Hashes of the keys, built only once a map is too big to scan for duplicates.
        hashes: Option<HashSet<u64>>,
        key: Option<(Key, Span)>,
        span: Span,
        anchor: usize,
    },
}

struct Builder<'a> {
    file: &'a SourceFile,
    text: &'a str,
    lines: &'a LineIndex,
    docs: Vec<Document>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    error: Option<Box<Diagnostic>>,
    last_end: usize,
    doc_has_root: bool,
    hasher: std::collections::hash_map::RandomState,
}

/// The offset of the quote that closes a scalar opened by `quote` at the start of `text`
/// (`\"` escapes in double quotes, `''` in single ones).
fn closing_quote(text: &str, quote: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

impl Builder<'_> {
    fn span(&self, mark: Marker) -> Span {
        let start = self.lines.offset(self.text, mark.line(), mark.col());
        if start == self.text.len() {
            // At the end, the scanner may mark a line after the last (an empty value at the end
            // of a text with no final newline): the place is where the text ends.
            let (line, column) = self.lines.line_col(self.text, start);
            return Span::new(start, start, line, column);
        }
        Span::new(start, start, mark.line(), mark.col() + 1)
    }

    /// The parser marks a block map at its first key's `:`; this is where that key starts (after
    /// the line's indentation and any `- `), for carets that point at the map.
    fn key_start(&self, span: Span) -> Span {
        let at = span.start as usize;
        if self.text.as_bytes().get(at) != Some(&b':') {
            return span;
        }
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let mut start = line_start;
        let bytes = self.text.as_bytes();
        while start < at && (bytes[start] == b' ' || (bytes[start] == b'-' && bytes.get(start + 1) == Some(&b' '))) {
            start += if bytes[start] == b'-' { 2 } else { 1 };
        }
        let (line, column) = self.lines.line_col(self.text, start);
        Span::new(start, (span.end as usize).max(start), line, column)
    }

    fn scalar_end(&self, span: Span, style: TScalarStyle, value: &str) -> usize {
        // Plain scalars end after their text; quoted and block ones run to the end of the line
        // at least. Good enough for a caret. (The line's end is looked up, not searched for: a
        // long line of quoted scalars would make that quadratic.)
        let end = match style {
            TScalarStyle::Plain => span.start as usize + value.len(),
            _ => self.lines.starts.get(span.line as usize).map_or(self.text.len(), |&next| next as usize - 1),
        };
        let mut end = end.min(self.text.len()).max(span.start as usize);
        // A plain scalar folded over lines is shorter than its text: the end may fall inside a
        // character, which a shell slicing the text by the span would panic on.
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        end
    }

    /// Where an empty value (`key:` and nothing) is: just after its key's `:`. The parser marks
    /// it at the next token, often a line below, where a caret would point at another field.
    fn after_colon(&self, key: Span, marked: Span) -> Span {
        // A quoted key's span runs to its line's end: its text ends at the closing quote.
        let start = key.start as usize;
        let from = match self.text.as_bytes().get(start) {
            Some(&quote @ (b'"' | b'\'')) => {
                closing_quote(&self.text[start..], quote).map_or(key.end as usize, |i| start + i + 1)
            }
            _ => key.end as usize,
        }
        .min(key.end as usize);
        let rest = self.text.get(from..(marked.start as usize).max(from)).unwrap_or("");
        let Some(colon) = rest.find(':').filter(|&i| !rest[..i].contains('\n')) else { return marked };
        let at = from + colon + 1;
        let (line, column) = self.lines.line_col(self.text, at);
        Span::new(at, at, line, column)
    }

    fn fail(&mut self, span: Span, rule: &'static str, message: String) {
        if self.error.is_none() {
            self.error = Some(error_at(self.file, span, rule, message));
        }
    }

    fn push_value(&mut self, node: Node, count: usize) {
        self.nodes += count;
        if self.nodes > MAX_NODES {
            let span = node.span;
            self.fail(
                span,
                "yaml-limits",
                format!("the document expands to more than {MAX_NODES} values (aliases repeated too often?)"),
            );
            return;
        }
        self.last_end = self.last_end.max(node.span.end as usize);
        match self.stack.last_mut() {
            None => {
                self.doc_has_root = true;
                let index = self.docs.len();
                self.docs.push(Document { index, root: Some(node) });
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, hashes, key, span: map_span, .. }) => match key.take() {
                None => match node.kind {
                    NodeKind::Scalar(s) => {
                        let name = key_name(s);
                        if is_duplicate(entries, hashes, &self.hasher, &name) {
                            let span = node.span;
                            self.fail(
                                span,
                                "yaml-duplicate-key",
                                format!("duplicate key `{name}`: the second one would silently win"),
                            );
                            return;
                        }
                        // The parser marks a block map at its first `:`; the map starts at its first key.
                        if entries.is_empty() && node.span.start < map_span.start {
                            let end = map_span.end;
                            *map_span = Span { end, ..node.span };
                        }
                        *key = Some((name, node.span));
                    }
                    _ => {
                        let span = node.span;
                        self.fail(span, "yaml-syntax", "a map key must be a plain value, not a list or map".into());
                    }
                },
                Some((k, ks)) => entries.push((k, ks, node)),
            },
        }
    }
}

/// The name a scalar key goes by: its text, or its value written out (`yes:` is `true`).
fn key_name(key: Scalar) -> Key {
    Key::from(match key {
        Scalar::Str(s) => s,
        Scalar::Null => "null".into(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => f.to_string(),
    })
}

/// Whether `name` is already a key of `entries`, remembering it otherwise. Small maps (nearly all)
/// are scanned; a big one gets a set of key hashes, so a hostile 100,000-key map stays linear.
fn is_duplicate(
    entries: &[(Key, Span, Node)],
    hashes: &mut Option<HashSet<u64>>,
    hasher: &std::collections::hash_map::RandomState,
    name: &str,
) -> bool {
    const SCAN_UP_TO: usize = 16;
    let scan = || entries.iter().any(|(k, _, _)| k.as_ref() == name);
    if entries.len() < SCAN_UP_TO {
        return scan();
    }
    let set =
        hashes.get_or_insert_with(|| entries.iter().map(|(k, _, _)| hasher.hash_one(k.as_ref() as &str)).collect());
    // A new hash is a new key; an old one is checked against the keys (hashes can collide).
    !set.insert(hasher.hash_one(name)) && scan()
}

fn count(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar(_) => 1,
        NodeKind::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        NodeKind::Map(entries) => 1 + entries.iter().map(|(_, _, v)| count(v)).sum::<usize>(),
    }
}

/// Resolve a plain scalar the way Helm and kubectl read YAML (go-yaml v2, YAML 1.1): `yes`,
/// `on`, `y` are booleans, `010` is octal, `1_000` is a number. kubeplay must read a values file
/// exactly as `helm install -f` would, or the chart and the render would disagree.
fn resolve_plain(value: String) -> Scalar {
    resolve_plain_text(&value).unwrap_or(Scalar::Str(value))
}

/// Why `written`, a plain scalar meant as text, is not text, in a learner's words: YAML 1.1
/// (kubectl, Helm) reads `y` and `on` as booleans, `010` and `1e3` as numbers. `None` when it
/// reads as text or is not a one-line plain scalar (quoted, a map, a list).
pub fn unquoted_text_hint(written: &str) -> Option<String> {
    let written = written.trim();
    if written.starts_with(['"', '\'']) || written.contains(['\n', ':', '{', '[']) {
        return None;
    }
    let read = match resolve_plain_text(written)? {
        Scalar::Bool(b) => format!("the boolean `{b}`"),
        Scalar::Int(i) => format!("the number `{i}`"),
        Scalar::Float(f) => format!("the number `{f}`"),
        Scalar::Null => "null (no value)".to_string(),
        Scalar::Str(_) => return None,
    };
    Some(format!("`{written}` is not quoted, so YAML reads it as {read} (as kubectl and Helm do): write \"{written}\""))
}

/// [`resolve_plain`] for borrowed text: `None` for a string, so that only strings are copied.
fn resolve_plain_text(value: &str) -> Option<Scalar> {
    // Nothing but strings start otherwise: most text is known to be one without more tests.
    if !value.starts_with(|c: char| c.is_ascii_digit() || "+-.~nNyYoOtTfF".contains(c)) && !value.is_empty() {
        return None;
    }
    Some(match value {
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => Scalar::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => Scalar::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Scalar::Float(f64::NAN),
        _ => {
            if let Some(i) = parse_int(value) {
                Scalar::Int(i)
            } else {
                Scalar::Float(parse_float(value)?)
            }
        }
    })
}

/// The text with `_` separators dropped, copied only if it has any.
fn without_underscores(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains('_') {
        std::borrow::Cow::Owned(value.replace('_', ""))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// go-yaml v2: underscores are dropped, then Go's `ParseInt(s, 0, 64)` (0x, 0o, 0b, leading-0 octal).
fn parse_int(value: &str) -> Option<i64> {
    // go-yaml only tries numbers for text that starts like one (`_9` stays a string).
    if !value.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
        return None;
    }
    let plain = without_underscores(value);
    let (negative, body) = match plain.as_bytes().first()? {
        b'-' => (true, &plain[1..]),
        b'+' => (false, &plain[1..]),
        _ => (false, &plain[..]),
    };
    if body.is_empty() || !body.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let (radix, digits) = if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, d)
    } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, d)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    i64::try_from(if negative { -magnitude } else { magnitude }).ok()
}

/// go-yaml v2's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn parse_float(value: &str) -> Option<f64> {
    let plain = if value.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
        without_underscores(value)
    } else if value.starts_with('.') {
        std::borrow::Cow::Borrowed(value)
    } else {
        // Every float starts with a sign, a digit or a dot: most text is known not to be one here.
        return None;
    };
    let value = &plain[..];
    let body = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    // Out of range (`1e400`) is not a number to go-yaml either: it stays text.
    if mantissa_ok && exponent_ok {
        value.parse().ok().filter(|f: &f64| f.is_finite())
    } else {
        None
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let span = self.span(mark);
        match ev {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart => self.doc_has_root = false,
            Event::DocumentEnd => {
                // An empty document produces no node: record it so document indexes stay true.
                if !self.doc_has_root {
                    let index = self.docs.len();
                    self.docs.push(Document { index, root: None });
                }
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some((node, size)) => {
                    let mut node = node.clone();
                    let size = *size;
                    // A copied map or list is marked by an empty span at the alias.
                    node.span = if matches!(node.kind, NodeKind::Scalar(_)) {
                        span
                    } else {
                        span.with_end(span.start as usize)
                    };
                    self.push_value(node, size);
                }
                None => self.fail(span, "yaml-syntax", "alias to an unknown anchor".into()),
            },
            Event::Scalar(value, style, anchor, tag) => {
                let span = match (style, value.is_empty(), self.stack.last()) {
                    (TScalarStyle::Plain, true, Some(Frame::Map { key: Some((_, key)), .. })) => {
                        self.after_colon(*key, span)
                    }
                    _ => span,
                };
                let end = self.scalar_end(span, style, &value);
                // `!!str` keeps a plain scalar text; other tags are not read (as before).
                let tagged_str = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let scalar = if matches!(style, TScalarStyle::Plain) && !tagged_str {
                    resolve_plain(value)
                } else {
                    Scalar::Str(value)
                };
                let node = Node { kind: NodeKind::Scalar(scalar), span: span.with_end(end) };
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.push_value(node, 1);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    let span = self.key_start(span);
                    self.fail(span, "yaml-limits", format!("nesting deeper than {MAX_DEPTH} levels"));
                    return;
                }
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq { items: Vec::new(), span, anchor }
                } else {
                    Frame::Map { entries: Vec::new(), hashes: None, key: None, span, anchor }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (kind, start, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, span, anchor }) => (NodeKind::Seq(items.into()), span, anchor),
                    Some(Frame::Map { entries, span, anchor, .. }) => (NodeKind::Map(entries.into()), span, anchor),
                    None => return,
                };
                let end = self.last_end.max(start.start as usize);
                let node = Node { kind, span: start.with_end(end) };
                if anchor > 0 {
                    let size = count(&node);
                    self.anchors.insert(anchor, (node.clone(), size));
                }
                // Children were already counted as they arrived.
                self.push_value(node, 0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.yaml", text)
    }

    #[test]
    fn an_unquoted_hint_says_what_yaml_read_instead_of_text() {
        let hint = |w| unquoted_text_hint(w);
        assert!(hint("y").unwrap().contains("the boolean `true`"));
        assert!(hint(" off ").unwrap().starts_with("`off` is not quoted"));
        assert!(hint("010").unwrap().contains("the number `8`"), "YAML 1.1 octal");
        assert!(hint("1e3").unwrap().contains("the number `1000`"));
        assert!(hint("~").unwrap().contains("null"));
        assert!(hint("8.5").unwrap().ends_with("write \"8.5\""));
        for text in ["web", "\"y\"", "'on'", "{a: 1}", "[y]", "a: b"] {
            assert_eq!(hint(text), None, "{text}");
        }
    }

    #[test]
    fn a_lines_span_leaves_out_its_line_break() {
        let text = "ab\r\ncd\ne\rf";
        let lines = LineIndex::new(text);
        let spans: Vec<_> = (0..=5).map(|line| lines.line_span(text, line)).collect();
        assert_eq!(spans, [None, Some(0..2), Some(4..6), Some(7..8), Some(9..10), None]);
        let ended = "a\n";
        assert_eq!(LineIndex::new(ended).line_span(ended, 2), Some(2..2), "the empty line after the last break");
    }

    #[test]
    fn known_keys_are_sorted_text_and_read_like_any_key() {
        assert!(
            KNOWN_KEYS.windows(2).all(|w| w[0] < w[1]),
            "KNOWN_KEYS must stay sorted: no key twice, and a known key orders as its text"
        );
        for key in KNOWN_KEYS {
            assert_eq!(resolve_plain_text(key), None, "`{key}` must read as text");
        }
        let docs = parse(&file("name: a\nnamex: b\n'name2': c\n")).unwrap();
        let root = docs[0].root.as_ref().unwrap();
        let NodeKind::Map(entries) = &root.kind else { panic!("a map") };
        assert!(matches!(entries[0].0, Key::Known(_)) && entries[0].0 == "name");
        assert!(matches!(entries[1].0, Key::Owned(_)));
        assert_eq!(root.to_json(), serde_json::json!({"name": "a", "namex": "b", "name2": "c"}));
    }

    #[test]
    fn an_empty_value_is_placed_after_its_keys_colon_not_at_the_next_field() {
        let text = "ports:\n- name: smtp\n  containerPort: \n  protocol: TCP\nlast:";
        let docs = parse(&file(text)).unwrap();
        let index = docs[0].root.clone().unwrap().index();
        let (span, exact) = index.nearest(&FieldPath::parse("ports[0].containerPort")).unwrap();
        assert!(exact);
        assert_eq!((span.line, span.column, span.start, span.end), (3, 17, 36, 36));
        // At the very end of the text too, and in a flow map.
        let (span, _) = index.nearest(&FieldPath::parse("last")).unwrap();
        assert_eq!((span.line, span.column), (5, 6));
        let docs = parse(&file("\"quoted: key\": \n'it''s': \nnext: 1\n")).unwrap();
        let index = docs[0].root.clone().unwrap().index();
        let place = |key: &str| index.nearest(&FieldPath::root().key(key)).map(|(s, _)| (s.line, s.column));
        assert_eq!(place("quoted: key"), Some((1, 15)));
        assert_eq!(place("it's"), Some((2, 9)));
        let docs = parse(&file("a: {b: , c: 1}\n")).unwrap();
        let (span, _) = docs[0].root.clone().unwrap().index().nearest(&FieldPath::parse("a.b")).unwrap();
        assert_eq!((span.line, span.column), (1, 6), "at the colon");
    }

    #[test]
    fn spans_point_at_values() {
        let docs = parse(&file("a: 1\nb:\n  c: [x, \"y\"]\n")).unwrap();
        let root = docs[0].root.clone().unwrap();
        assert_eq!(root.to_json(), serde_json::json!({"a": 1, "b": {"c": ["x", "y"]}}));
        let index = root.index();
        let (span, exact) = index.nearest(&FieldPath::parse("b.c[1]")).unwrap();
        assert!(exact);
        assert_eq!((span.line, span.column), (3, 10));
        assert_eq!(index.key(&FieldPath::parse("b.c")).map(|s| (s.line, s.column)), Some((3, 3)));
        assert_eq!(index.nearest(&FieldPath::parse("b.zz")).map(|(s, exact)| (s.line, exact)), Some((3, false)));
    }

    #[test]
    fn a_stream_read_a_document_at_a_time_is_read_as_a_whole() {
        // The folded block scalar makes the fast reader decline the whole stream; per document it
        // reads the other two, and the result is the full parser's, spans included.
        let text = "a: 1\nb: [x, y]\n---\nscript: >\n  echo hi\n  exit 0\n---\nc:\n  d: \"e\"\n---\n";
        let stream = file(text);
        let whole = parse_full(&stream).unwrap();
        let by_document = parse_by_document(&stream).unwrap().unwrap();
        assert_eq!(by_document, whole);
        assert_eq!(parse(&stream).unwrap(), whole);
        // An error in a later document is at its line in the file.
        let broken = file("a: 1\n---\nb: |\n  x\n---\nc: [1\n");
        let err = parse(&broken).unwrap_err();
        assert_eq!(err.location.unwrap().line, parse_full(&broken).unwrap_err().location.unwrap().line);
    }

    #[test]
    fn a_document_that_does_not_read_alone_is_left_to_the_whole_stream() {
        // Found by the `yaml_readers` fuzz target (finding 11): yaml-rust2 refuses the second
        // document alone and reads it within the whole stream.
        let text = "a:: &other {b: 3, c: 4}\nm:\n < :< [*: n # umac'\u{18}\u{18}{{confpRef: [[e[[''C.~{U\n---\nca0: &paYY\nYYYYY0 [x: [0$\u{1f}\n:\n   &ot, \u{2028}. xhervolumeMount-$:  x]\n";
        check_quick_readers(text, true).unwrap();
    }

    #[test]
    fn a_stream_yaml_rust2_refuses_whole_but_reads_document_by_document_is_read_so() {
        // Found by the `yaml_readers` fuzz target (finding 12), minimised: yaml-rust2 reads
        // `[:]` alone, and refuses it after another document.
        let text = "{}\n---\n[:]";
        assert!(parse_full(&file(text)).is_err());
        let read = parse(&file(text)).expect("each document reads alone");
        assert!(read.len() > 1);
        check_quick_readers(text, true).unwrap();
        // Finding 13: the whole stream reads `[d:]` otherwise than the document alone.
        let text = "{}\n---\n[d:]";
        let (whole, alone) = (parse_full(&file(text)).unwrap(), parse(&file(text)).unwrap());
        assert_ne!(format!("{whole:?}"), format!("{alone:?}"));
        check_quick_readers(text, true).unwrap();
    }

    #[test]
    fn a_dash_inside_a_flow_plain_scalar_is_read_as_go_yaml_reads_it() {
        // Found by the `yaml_readers` fuzz target: yaml-rust2 refuses `[x- -]`, go-yaml reads it.
        for text in ["[x- -]\n---", "a: [x -]\n", "{k: v -}\n"] {
            check_quick_readers(text, true).unwrap();
        }
        // A `-` that starts a scalar before a flow indicator is refused by both readers.
        for text in ["[a, -]\n", "{k: -}\n", "[-]\n"] {
            assert!(parse(&file(text)).is_err(), "{text:?}");
            check_quick_readers(text, true).unwrap();
        }
    }

    #[test]
    fn a_block_scalar_document_is_read_with_the_whole_stream() {
        // Found by the `yaml_readers` fuzz target: yaml-rust2 reads the `---` and what follows
        // into the `>` scalar.
        for text in ["# lead\n>\n---\na: 1\n", "|\n---\na: 1\n---\nb: 2\n"] {
            assert!(parse_by_document(&file(text)).is_none(), "{text:?}");
            check_quick_readers(text, true).unwrap();
        }
    }

    #[test]
    fn the_real_corpus_reads_the_same_a_document_at_a_time() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        for entry in entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "yaml")) {
            let file = SourceFile::new("x.yaml", std::fs::read_to_string(entry.path()).unwrap());
            if let Some(by_document) = parse_by_document(&file) {
                assert_eq!(by_document.unwrap(), parse_full(&file).unwrap(), "{}", entry.path().display());
            }
        }
    }

    #[test]
    fn merge_keys_add_what_the_map_does_not_set() {
        let text = "base: &base {a: 1, b: 2}\nother: &other {b: 3, c: 4}\nm:\n  <<: [*base, *other]\n  a: 9\n";
        let docs = parse(&file(text)).unwrap();
        let json = docs[0].root.as_ref().unwrap().to_json();
        assert_eq!(json["m"], serde_json::json!({"a": 9, "b": 2, "c": 4}));
        // (`y:` would be the boolean `true` in YAML 1.1, as Helm reads it.)
        let single = parse(&file("x: &x {k: v}\nw:\n  <<: *x\n  z: 1\n")).unwrap();
        assert_eq!(single[0].root.as_ref().unwrap().to_json()["w"], serde_json::json!({"k": "v", "z": 1}));
        let err = parse(&file("w:\n  <<: 5\n")).unwrap_err();
        assert_eq!((err.rule, err.location.unwrap().line), ("yaml-syntax", 2));
    }

    #[test]
    fn multi_document_streams_keep_order() {
        let docs = parse(&file("a: 1\n---\nb: 2\n")).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].root.as_ref().unwrap().span.line, 3);
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let err = parse(&file("a: 1\nb: 2\na: 3\n")).unwrap_err();
        assert_eq!(err.rule, "yaml-duplicate-key");
        assert_eq!(err.location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn tabs_point_at_the_tab() {
        let err = parse(&file("a:\n  b: 1\n\tc: 2\n")).unwrap_err();
        assert_eq!(err.rule, "yaml-syntax");
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (3, 1));
    }

    #[test]
    fn what_is_inside_an_alias_copy_is_placed_at_the_alias() {
        let text = "a: &x {k: v, p: {m: 1}}\nb: *x\n";
        let root = parse(&file(text)).unwrap().remove(0).root.unwrap();
        let index = root.index();
        let at =
            |path: &str| index.nearest(&FieldPath::parse(path)).map(|(span, exact)| (span.line, span.column, exact));
        // In the copy: at `*x` (line 2, column 4), however deep, and found.
        assert_eq!(at("b.k"), Some((2, 4, true)));
        assert_eq!(at("b.p.m"), Some((2, 4, true)));
        // The anchor's own text keeps its places.
        assert_eq!(at("a.p.m"), Some((1, 21, true)));
        assert_eq!(at("a.k"), Some((1, 11, true)));
        // A path the copy does not have is still placed at the alias.
        assert_eq!(at("b.q"), Some((2, 4, true)));
    }

    #[test]
    fn alias_bombs_stop_at_the_node_limit() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        let err = parse(&file(&text)).unwrap_err();
        assert_eq!(err.rule, "yaml-limits");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(parse(&file(&text)).unwrap_err().rule, "yaml-limits");
        let text: String = (0..100).map(|i| format!("{}k{i}:\n", " ".repeat(i * 2))).collect();
        assert_eq!(parse(&file(&text)).unwrap_err().rule, "yaml-limits");
    }

    #[test]
    fn huge_input_is_refused_before_parsing() {
        let text = "a: b\n".repeat(MAX_INPUT_BYTES / 5 + 10);
        assert_eq!(parse(&file(&text)).unwrap_err().rule, "input-too-large");
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let err = SourceFile::from_bytes("x.yaml", b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 4));
    }

    #[test]
    fn plain_scalars_resolve_as_helm_reads_them() {
        let text = "a: 010\nb: '1'\nc: 1.5\nd: ~\ne: yes\nf: 0x1f\ng: 1_000\nh: 8000.0\ni: 1e3\nj: off\nk: 1.0.0\nl: 0b11\nm: .5\no: 09\nn: 1\n";
        let docs = parse(&file(text)).unwrap();
        let json = docs[0].root.as_ref().unwrap().to_json();
        assert_eq!(
            json,
            serde_json::json!({"a": 8, "b": "1", "c": 1.5, "d": null, "e": true, "f": 31, "g": 1000, "h": 8000, "i": 1000, "j": false, "k": "1.0.0", "l": 3, "m": 0.5, "o": 9, "false": 1})
        );
    }
}
