//! The compact schema of one Kubernetes version, read from the JSON that
//! `scripts/gen-kube-schemas.py` writes (its docstring describes the form).

use serde_json::Value;

/// Why a schema text could not be read. Only a broken or foreign asset gives one: the committed
/// schemas are read by the tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("the schema is not JSON: {0}")]
    Json(String),
    #[error("the schema has no `{0}`")]
    Missing(&'static str),
    #[error("the schema's type {0} is not one kubeplay knows")]
    Type(String),
}

/// What a value must be.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    String,
    /// A whole number in 64 bits.
    Integer,
    /// A whole number in 32 bits (`replicas`, ports): the API server rejects a larger one.
    Int32,
    Number,
    Boolean,
    /// A port number or name, a percentage...: a 32-bit integer or a string.
    IntOrString,
    /// A resource quantity (`128Mi`, `0.5`): a string in the quantity grammar, or a number.
    Quantity,
    /// A date and time (`metav1.Time`): a string in RFC 3339.
    DateTime,
    /// A date and time to the microsecond (`metav1.MicroTime`): six digits of fraction.
    MicroTime,
    /// Bytes (`format: byte`): a string in standard base64.
    Bytes,
    Any,
    /// A string with one of these values.
    Enum(Box<[Box<str>]>),
    /// An object type, by index into [`Schema::types`].
    Object(u32),
    List(Box<Ty>),
    /// A map of any keys to values of this type.
    Map(Box<Ty>),
}

/// An object type: its fields (sorted by name), the required ones, and what other fields may be.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectType {
    /// The definition's short name (`ContainerPort`); empty for types written inline.
    pub name: Box<str>,
    pub fields: Box<[(Box<str>, Ty)]>,
    pub required: Box<[Box<str>]>,
    pub extra: Extra,
}

/// Fields an object type does not list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Extra {
    /// Rejected (strict validation).
    None,
    /// Allowed, unchecked.
    Any,
    /// Allowed, each of this type.
    Typed(Ty),
}

impl ObjectType {
    pub fn field(&self, name: &str) -> Option<&Ty> {
        self.fields.binary_search_by(|(f, _)| (**f).cmp(name)).ok().map(|i| &self.fields[i].1)
    }
}

/// apiVersion, kind, and the index of its object type.
type KindEntry = (Box<str>, Box<str>, u32);

/// The schemas of every built-in kind of one Kubernetes version.
pub struct Schema {
    version: Box<str>,
    /// (apiVersion, kind) and its object type, sorted.
    kinds: Box<[KindEntry]>,
    pub(crate) types: Box<[ObjectType]>,
}

impl Schema {
    /// Read a compact schema (`core/schemas/kube-<version>.json`).
    pub fn from_json(text: &str) -> Result<Schema, LoadError> {
        let json: Value = serde_json::from_str(text).map_err(|e| LoadError::Json(e.to_string()))?;
        let version = json.get("version").and_then(Value::as_str).ok_or(LoadError::Missing("version"))?;
        let kinds = json.get("kinds").and_then(Value::as_array).ok_or(LoadError::Missing("kinds"))?;
        let types = json.get("types").and_then(Value::as_array).ok_or(LoadError::Missing("types"))?;
        let types = types.iter().map(object_type).collect::<Result<Box<[_]>, _>>()?;
        let mut kinds = kinds
            .iter()
            .map(|k| match k.as_array().map(Vec::as_slice) {
                Some([Value::String(api_version), Value::String(kind), Value::Number(t)]) => t
                    .as_u64()
                    .filter(|t| (*t as usize) < types.len())
                    .map(|t| (api_version.as_str().into(), kind.as_str().into(), t as u32))
                    .ok_or_else(|| LoadError::Type(k.to_string())),
                _ => Err(LoadError::Type(k.to_string())),
            })
            .collect::<Result<Vec<_>, _>>()?;
        crate::sort::by(&mut kinds, Ord::cmp);
        let schema = Schema { version: version.into(), kinds: kinds.into(), types };
        match schema.types.iter().flat_map(|t| t.fields.iter().map(|(_, ty)| ty)).find(|ty| !schema.resolves(ty)) {
            Some(ty) => Err(LoadError::Type(format!("{ty:?}"))),
            None => Ok(schema),
        }
    }

    /// The Kubernetes version (`1.35`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The object type of `apiVersion`/`kind`; `None` for kinds this version has no schema
    /// for (custom resources, removed API versions).
    pub(crate) fn kind(&self, api_version: &str, kind: &str) -> Option<&ObjectType> {
        let i = self.kinds.binary_search_by(|(a, k, _)| (&**a, &**k).cmp(&(api_version, kind))).ok()?;
        self.types.get(self.kinds[i].2 as usize)
    }

    /// Whether this version has a schema for `apiVersion`/`kind`.
    pub fn has_kind(&self, api_version: &str, kind: &str) -> bool {
        self.kind(api_version, kind).is_some()
    }

    /// Whether every object type `ty` names is in the table.
    fn resolves(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Object(i) => (*i as usize) < self.types.len(),
            Ty::List(t) | Ty::Map(t) => self.resolves(t),
            _ => true,
        }
    }
}

/// Two schemas of one version are the same data: settings holding them compare by version.
impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

impl Eq for Schema {}

impl std::hash::Hash for Schema {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.version.hash(state);
    }
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Schema({}: {} kinds, {} types)", self.version, self.kinds.len(), self.types.len())
    }
}

fn object_type(json: &Value) -> Result<ObjectType, LoadError> {
    let bad = || LoadError::Type(json.to_string());
    let fields = json.get("p").and_then(Value::as_object).ok_or_else(bad)?;
    let mut fields = fields.iter().map(|(k, v)| Ok((k.as_str().into(), ty(v)?))).collect::<Result<Vec<_>, _>>()?;
    crate::sort::by(&mut fields, |a: &(Box<str>, Ty), b| a.0.cmp(&b.0));
    let required = match json.get("r") {
        None => Box::default(),
        Some(r) => r
            .as_array()
            .ok_or_else(bad)?
            .iter()
            .map(|f| f.as_str().map(Into::into).ok_or_else(bad))
            .collect::<Result<_, _>>()?,
    };
    let extra = match (json.get("x"), json.get("o")) {
        (Some(t), _) => Extra::Typed(ty(t)?),
        (None, Some(_)) => Extra::Any,
        (None, None) => Extra::None,
    };
    let name = json.get("n").and_then(Value::as_str).unwrap_or("").into();
    Ok(ObjectType { name, fields: fields.into(), required, extra })
}

fn ty(json: &Value) -> Result<Ty, LoadError> {
    let bad = || LoadError::Type(json.to_string());
    Ok(match json {
        Value::Number(n) => Ty::Object(n.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(bad)?),
        Value::String(code) => match code.as_str() {
            "s" => Ty::String,
            "i" => Ty::Integer,
            "i32" => Ty::Int32,
            "n" => Ty::Number,
            "b" => Ty::Boolean,
            "ios" => Ty::IntOrString,
            "q" => Ty::Quantity,
            "t" => Ty::DateTime,
            "tu" => Ty::MicroTime,
            "y" => Ty::Bytes,
            "*" => Ty::Any,
            _ => return Err(bad()),
        },
        Value::Array(parts) => match parts.as_slice() {
            [Value::String(c), t] if c == "a" => Ty::List(Box::new(ty(t)?)),
            [Value::String(c), t] if c == "m" => Ty::Map(Box::new(ty(t)?)),
            [Value::String(c), Value::Array(values)] if c == "e" => {
                Ty::Enum(values.iter().map(|v| v.as_str().map(Into::into).ok_or_else(bad)).collect::<Result<_, _>>()?)
            }
            _ => return Err(bad()),
        },
        _ => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = r#"{"version":"9.9","kinds":[["v1","Thing",0]],
        "types":[{"n":"Thing","p":{"spec":1,"kind":"s"},"r":["spec"]},{"p":{"n":["a","i"]},"o":1}]}"#;

    #[test]
    fn reads_the_compact_form() {
        let schema = Schema::from_json(TINY).unwrap();
        assert_eq!(schema.version(), "9.9");
        let thing = schema.kind("v1", "Thing").unwrap();
        assert_eq!(&*thing.name, "Thing");
        assert_eq!(thing.field("spec"), Some(&Ty::Object(1)));
        assert_eq!(schema.types[1].field("n"), Some(&Ty::List(Box::new(Ty::Integer))));
        assert_eq!(schema.types[1].extra, Extra::Any);
        assert!(!schema.has_kind("v1", "Other"));
    }

    #[test]
    fn rejects_broken_schemas() {
        assert!(matches!(Schema::from_json("{"), Err(LoadError::Json(_))));
        assert_eq!(Schema::from_json(r#"{"kinds":[],"types":[]}"#).unwrap_err(), LoadError::Missing("version"));
        let dangling = r#"{"version":"1","kinds":[],"types":[{"p":{"a":7}}]}"#;
        assert!(matches!(Schema::from_json(dangling), Err(LoadError::Type(_))));
    }
}
