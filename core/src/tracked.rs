//! Deserialize typed objects out of a tree (a `serde_json::Value`, or a read document's
//! [`Node`]s, which keep what was written) and, on failure, say where: a path stack kept by the
//! map and sequence accessors. Unlike serde_path_to_error it wraps no visitor, so each type's
//! Deserialize is compiled once per tree, for this one deserializer.

use crate::path::{FieldPath, Segment};
pub use crate::source::ScalarRef;
use crate::source::{Node, NodeKind};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Error, Value};
use std::cell::RefCell;

/// `T` from `tree`, or the path of the field that failed and serde's message.
pub fn deserialize<T: de::DeserializeOwned>(tree: &impl Tree) -> Result<T, (FieldPath, Error)> {
    let path = RefCell::new(Vec::new());
    let result = T::deserialize(Tracked { tree, path: &path });
    result.map_err(|e| {
        let segments = path.into_inner().into_iter().map(|step| match step {
            Step::Key(key) => Segment::Key(key.to_string()),
            Step::Index(index) => Segment::Index(index),
        });
        (FieldPath(segments.collect()), e)
    })
}

/// What the deserializer needs of a tree: its maps and lists, and its scalars read as
/// serde_json reads the same JSON (so both trees give the same values and the same errors).
pub trait Tree: Sized {
    type Entries<'a>: Iterator<Item = (&'a str, &'a Self)>
    where
        Self: 'a;
    /// The entries of a map, the items of a list, or neither.
    fn shape(&self) -> Shape<'_, Self::Entries<'_>, Self>;
    fn is_null(&self) -> bool {
        matches!(self.scalar_ref(), Some(ScalarRef::Null))
    }
    /// A scalar into `visitor`, as serde_json's `Value` hands it over (unsigned integers as
    /// `u64`), without going through serde_json's deserializer: that would be compiled once per
    /// visitor type, which for every field type the reader knows is most of a wasm's serde code.
    fn scalar<'de, V: Visitor<'de>>(&'de self, visitor: V) -> Result<V::Value, Error> {
        match self.scalar_ref() {
            Some(ScalarRef::Null) => visitor.visit_unit(),
            Some(ScalarRef::Bool(b)) => visitor.visit_bool(b),
            Some(ScalarRef::Int(i)) => match u64::try_from(i) {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => visitor.visit_i64(i),
            },
            Some(ScalarRef::Float(f)) => visitor.visit_f64(f),
            Some(ScalarRef::Text(text)) => visitor.visit_borrowed_str(text),
            // `shape` opens maps and lists before a scalar is asked for.
            None => Err(de::Error::custom("a map or a list where a single value was expected")),
        }
    }
    /// The tree as JSON, for what is read only as serde_json reads it (enums).
    fn to_json(&self) -> Value;
    /// A scalar as JSON types it (`None` for a map or a list).
    fn scalar_ref(&self) -> Option<ScalarRef<'_>>;
    /// The value of key `name`, for a map.
    fn field(&self, name: &str) -> Option<&Self> {
        match self.shape() {
            Shape::Map(mut entries) => entries.find(|(k, _)| *k == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

pub enum Shape<'a, E, N> {
    Map(E),
    Seq(&'a [N]),
    Scalar,
}

type JsonEntries<'a> = std::iter::Map<serde_json::map::Iter<'a>, fn((&'a String, &'a Value)) -> (&'a str, &'a Value)>;
type NodeEntry = (crate::source::Key, crate::source::Span, Node);
type NodeEntries<'a> = std::iter::Map<std::slice::Iter<'a, NodeEntry>, fn(&'a NodeEntry) -> (&'a str, &'a Node)>;

impl Tree for Value {
    type Entries<'a> = JsonEntries<'a>;
    fn shape(&self) -> Shape<'_, JsonEntries<'_>, Self> {
        match self {
            Value::Object(map) => Shape::Map(map.iter().map(|(k, v)| (k.as_str(), v))),
            Value::Array(items) => Shape::Seq(items),
            _ => Shape::Scalar,
        }
    }
    fn to_json(&self) -> Value {
        self.clone()
    }
    fn scalar_ref(&self) -> Option<ScalarRef<'_>> {
        Some(match self {
            Value::Null => ScalarRef::Null,
            Value::Bool(b) => ScalarRef::Bool(*b),
            // Values' JSON comes from read trees, whose integers are i64: a larger one is a float.
            Value::Number(n) => match n.as_i64() {
                Some(i) => ScalarRef::Int(i),
                None => ScalarRef::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => ScalarRef::Text(s),
            Value::Array(_) | Value::Object(_) => return None,
        })
    }
}

impl Tree for Node {
    type Entries<'a> = NodeEntries<'a>;
    fn shape(&self) -> Shape<'_, NodeEntries<'_>, Self> {
        match &self.kind {
            NodeKind::Map(entries) => Shape::Map(entries.iter().map(|(k, _, v)| (k.as_ref(), v))),
            NodeKind::Seq(items) => Shape::Seq(items),
            NodeKind::Scalar(_) => Shape::Scalar,
        }
    }
    fn to_json(&self) -> Value {
        Node::to_json(self)
    }
    fn scalar_ref(&self) -> Option<ScalarRef<'_>> {
        match &self.kind {
            NodeKind::Scalar(scalar) => Some(scalar.json()),
            _ => None,
        }
    }
}

/// One step of the path being read, borrowed from the tree: owned segments are made only
/// when a read fails (keys are read on every keystroke; failures are rare).
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

type Path<'a> = RefCell<Vec<Step<'a>>>;

struct Tracked<'a, 'p, N> {
    tree: &'a N,
    path: &'p Path<'a>,
}

impl<'de, N: Tree> de::Deserializer<'de> for Tracked<'de, '_, N> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.tree.shape() {
            Shape::Map(entries) => visitor.visit_map(Map::<N> { entries, value: None, path: self.path }),
            Shape::Seq(items) => visitor.visit_seq(Seq { items: items.iter().enumerate(), path: self.path }),
            Shape::Scalar => self.tree.scalar(visitor),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.tree.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // `{variant: value}` is read in place, so a failure inside the value keeps its path
        // (`volumes.data.emptyDir.sizeLimt`); a bare variant name or any other shape goes
        // through serde_json, whose errors name no deeper place anyway.
        if let Shape::Map(mut entries) = self.tree.shape() {
            if let (Some((key, value)), None) = (entries.next(), entries.next()) {
                self.path.borrow_mut().push(Step::Key(key));
                let result = visitor.visit_enum(Variant { key, value, path: self.path })?;
                self.path.borrow_mut().pop();
                return Ok(result);
            }
        }
        de::Deserializer::deserialize_enum(self.tree.to_json(), name, variants, visitor)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Map<'a, 'p, N: Tree> {
    entries: N::Entries<'a>,
    value: Option<&'a N>,
    path: &'p Path<'a>,
}

impl<'de, N: Tree> de::MapAccess<'de> for Map<'de, '_, N> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        // Pushed before the key is read: an unknown key fails at its own path.
        self.path.borrow_mut().push(Step::Key(key));
        let key = seed.deserialize(key.into_deserializer())?;
        Ok(Some(key))
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some(tree) = self.value.take() else {
            return Err(de::Error::custom("a map value was asked for before its key"));
        };
        let result = seed.deserialize(Tracked { tree, path: self.path })?;
        // Only on success: a failure leaves the path pointing at it.
        self.path.borrow_mut().pop();
        Ok(result)
    }
}

/// An enum written `{variant: value}`: the variant's name, then its value read in place.
struct Variant<'a, 'p, N> {
    key: &'a str,
    value: &'a N,
    path: &'p Path<'a>,
}

impl<'de, 'p, N: Tree> de::EnumAccess<'de> for Variant<'de, 'p, N> {
    type Error = Error;
    type Variant = Tracked<'de, 'p, N>;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant), Error> {
        let variant = seed.deserialize(self.key.into_deserializer())?;
        Ok((variant, Tracked { tree: self.value, path: self.path }))
    }
}

impl<'de, N: Tree> de::VariantAccess<'de> for Tracked<'de, '_, N> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

struct Seq<'a, 'p, N> {
    items: std::iter::Enumerate<std::slice::Iter<'a, N>>,
    path: &'p Path<'a>,
}

impl<'de, N: Tree> de::SeqAccess<'de> for Seq<'de, '_, N> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some((index, tree)) = self.items.next() else { return Ok(None) };
        self.path.borrow_mut().push(Step::Index(index));
        let result = seed.deserialize(Tracked { tree, path: self.path })?;
        self.path.borrow_mut().pop();
        Ok(Some(result))
    }
    // Lists are then allocated once at their size, not grown item by item.
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_carry_the_path_of_the_failing_field() {
        let value = json!({"appName": "a", "namespace": "n", "components": {"web": {"image": {"repository": "x"}, "ports": [{"name": "http", "containerPort": "eighty"}]}}});
        let (path, error) = deserialize::<crate::Values>(&value).unwrap_err();
        assert_eq!(path.to_string(), "components.web.ports[0].containerPort");
        assert!(error.to_string().contains("invalid type"), "{error}");
    }

    #[test]
    fn unknown_fields_and_untagged_enums_behave_as_with_serde_json() {
        let value = json!({"appName": "a", "namespace": "n", "replica": 1});
        let (path, error) = deserialize::<crate::Values>(&value).unwrap_err();
        assert_eq!(path.to_string(), "replica");
        assert!(error.to_string().starts_with("unknown field `replica`"), "{error}");
        let port: crate::values::PortRef = deserialize(&json!("http")).unwrap();
        assert_eq!(port, crate::values::PortRef::Name("http".into()));
        let port: crate::values::PortRef = deserialize(&json!(8080)).unwrap();
        assert_eq!(port, crate::values::PortRef::Number(8080));
    }

    #[test]
    fn kubernetes_objects_read_the_same_as_with_serde_json() {
        let value = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"K": "dmFsdWU="}});
        let tracked: k8s_openapi::api::core::v1::Secret = deserialize(&value).unwrap();
        let plain: k8s_openapi::api::core::v1::Secret = serde_json::from_value(value).unwrap();
        assert_eq!(tracked, plain);
    }

    /// A document's tree reads exactly as its JSON does: the same object, and on failure the
    /// same path and message.
    #[test]
    fn a_tree_reads_as_its_json() {
        let read = |text: &str| {
            let docs = crate::source::parse(&crate::SourceFile::new("t.yaml", text)).unwrap();
            docs.into_iter().next().and_then(|d| d.root).unwrap()
        };
        let good = read("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web}}\nspec:\n  replicas: 2.0\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: app, image: 'nginx:1', ports: [{containerPort: 80}], env: [{name: A, value: \"1\"}]}\n");
        let from_tree: k8s_openapi::api::apps::v1::Deployment = deserialize(&good).unwrap();
        let from_json: k8s_openapi::api::apps::v1::Deployment = deserialize(&good.to_json()).unwrap();
        assert_eq!(from_tree, from_json);
        assert_eq!(from_tree.spec.and_then(|s| s.replicas), Some(2));
        let bad = read("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: \"3\"\n");
        let tree_error = deserialize::<k8s_openapi::api::apps::v1::Deployment>(&bad).unwrap_err();
        let json_error = deserialize::<k8s_openapi::api::apps::v1::Deployment>(&bad.to_json()).unwrap_err();
        assert_eq!(tree_error.0.to_string(), "spec.replicas");
        assert_eq!((tree_error.0, tree_error.1.to_string()), (json_error.0, json_error.1.to_string()));
    }
}
