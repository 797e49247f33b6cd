//! Deserialize typed objects out of a `serde_json::Value` and, on failure, say where: a path
//! stack kept by the map and sequence accessors. Unlike serde_path_to_error it wraps no visitor,
//! so each type's Deserialize is compiled once, for this one deserializer.

use crate::path::{FieldPath, Segment};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Error, Value};
use std::cell::RefCell;

/// `T` from `value`, or the path of the field that failed and serde's message.
pub fn deserialize<T: de::DeserializeOwned>(value: &Value) -> Result<T, (FieldPath, Error)> {
    let path = RefCell::new(Vec::new());
    let result = T::deserialize(Tracked { value, path: &path });
    result.map_err(|e| {
        let segments = path.into_inner().into_iter().map(|step| match step {
            Step::Key(key) => Segment::Key(key.to_string()),
            Step::Index(index) => Segment::Index(index),
        });
        (FieldPath(segments.collect()), e)
    })
}

/// One step of the path being read, borrowed from the tree: owned segments are made only
/// when a read fails (keys are read on every keystroke; failures are rare).
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

type Path<'a> = RefCell<Vec<Step<'a>>>;

struct Tracked<'a, 'p> {
    value: &'a Value,
    path: &'p Path<'a>,
}

impl<'de> de::Deserializer<'de> for Tracked<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(map) => visitor.visit_map(Map { entries: map.iter(), value: None, path: self.path }),
            Value::Array(items) => visitor.visit_seq(Seq { items: items.iter().enumerate(), path: self.path }),
            scalar => de::Deserializer::deserialize_any(scalar, visitor),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
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
        de::Deserializer::deserialize_enum(self.value, name, variants, visitor)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Map<'a, 'p> {
    entries: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
    path: &'p Path<'a>,
}

impl<'de> de::MapAccess<'de> for Map<'de, '_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        // Pushed before the key is read: an unknown key fails at its own path.
        self.path.borrow_mut().push(Step::Key(key));
        let key = seed.deserialize(key.as_str().into_deserializer())?;
        Ok(Some(key))
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().unwrap_or(&Value::Null);
        let result = seed.deserialize(Tracked { value, path: self.path })?;
        // Only on success: a failure leaves the path pointing at it.
        self.path.borrow_mut().pop();
        Ok(result)
    }
}

struct Seq<'a, 'p> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    path: &'p Path<'a>,
}

impl<'de> de::SeqAccess<'de> for Seq<'de, '_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some((index, value)) = self.items.next() else { return Ok(None) };
        self.path.borrow_mut().push(Step::Index(index));
        let result = seed.deserialize(Tracked { value, path: self.path })?;
        self.path.borrow_mut().pop();
        Ok(Some(result))
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
}
