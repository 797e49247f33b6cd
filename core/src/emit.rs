//! Any `Serialize` value out as block YAML that means the same to every reader: YAML 1.2
//! (serde_yaml, yaml-rust2) and YAML 1.1 (kubectl, Helm: go-yaml v2, where `yes`, `on`, `y`
//! and `1_000` are not strings). A string is written plain only when no reader could take it for
//! anything else; otherwise it is double-quoted.
//!
//! The writer is a serde `Serializer` that writes text as the value is walked: no intermediate
//! `serde_json::Value` is built (building, writing and freeing one was the largest cost of a
//! render). The layout is kubectl's: two-space indents, a list under a key not indented further.

use serde::ser::{self, Serialize};
use std::fmt::{self, Display};

/// One YAML document (no `---`), ending in a newline.
pub fn to_yaml<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = String::with_capacity(512);
    write_yaml(&mut out, value);
    out
}

/// Append one YAML document (no `---`), ending in a newline, to `out`.
pub fn write_yaml<T: Serialize + ?Sized>(out: &mut String, value: &T) {
    let start = out.len();
    if let Err(e) = value.serialize(Writer { out, at: At::Top }) {
        // Only a map key that is not text can fail (no kubeplay type has one); write what
        // `serde_json::to_value` would have refused, as a YAML comment, not a half document.
        out.truncate(start);
        out.push_str("# not writable as YAML: ");
        out.push_str(&e.0);
        out.push('\n');
    }
}

/// Where the value being written sits, which decides how it starts and how deep it indents.
#[derive(Clone, Copy)]
enum At {
    /// The document itself.
    Top,
    /// After `key:` on its line; `indent` is the key's.
    MapValue { indent: usize },
    /// After `- ` on its line; `indent` is the dash's.
    SeqItem { indent: usize },
}

impl At {
    /// Indentation of the entries of a map written here.
    fn map_indent(self) -> usize {
        match self {
            At::Top => 0,
            At::MapValue { indent } | At::SeqItem { indent } => indent + 2,
        }
    }
    /// Indentation of the dashes of a list written here (kubectl: a list under a key is not
    /// indented further).
    fn seq_indent(self) -> usize {
        match self {
            At::Top => 0,
            At::MapValue { indent } => indent,
            At::SeqItem { indent } => indent + 2,
        }
    }
    /// Indentation of the lines of a literal block written here.
    fn block_indent(self) -> usize {
        self.map_indent()
    }
}

#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Error {}
impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

type Result<T = ()> = std::result::Result<T, Error>;

struct Writer<'a> {
    out: &'a mut String,
    at: At,
}

impl<'a> Writer<'a> {
    /// A scalar's text where it sits, and the line's end.
    fn scalar(self, text: impl FnOnce(&mut String)) -> Result {
        if let At::MapValue { .. } = self.at {
            self.out.push(' ');
        }
        text(self.out);
        self.out.push('\n');
        Ok(())
    }
    fn number(self, n: impl itoa_like::Integer) -> Result {
        self.scalar(|out| n.push_to(out))
    }
    fn compound(self, kind: Kind) -> Compound<'a> {
        Compound { out: self.out, at: self.at, kind, empty: true }
    }
    /// `{variant: ...}`, as serde_json writes externally tagged enum variants: the returned
    /// compound is the one entry's value (block YAML needs nothing to close the outer map).
    fn variant(self, variant: &'static str, kind: Kind) -> Compound<'a> {
        let mut outer = self.compound(Kind::Map);
        outer.key_str(variant);
        let indent = outer.at.map_indent();
        Compound { out: outer.out, at: At::MapValue { indent }, kind, empty: true }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Map,
    Seq,
}

/// A map or list being written: its first entry decides how it opens, its end whether it was
/// empty (`{}` or `[]` on the key's line).
struct Compound<'a> {
    out: &'a mut String,
    at: At,
    kind: Kind,
    empty: bool,
}

impl Compound<'_> {
    /// Begin an entry: the line break after `key:` or before a nested list, then the indent.
    fn open_entry(&mut self) {
        let first = std::mem::replace(&mut self.empty, false);
        match (self.kind, self.at) {
            // The first key of a map inside a list item follows the `- ` on its line.
            (Kind::Map, At::SeqItem { .. }) if first => {}
            (Kind::Map, at) => {
                if first && matches!(at, At::MapValue { .. }) {
                    self.out.push('\n');
                }
                indent(self.out, at.map_indent());
            }
            (Kind::Seq, at) => {
                if first && !matches!(at, At::Top) {
                    self.out.push('\n');
                }
                indent(self.out, at.seq_indent());
                self.out.push_str("- ");
            }
        }
    }
    fn key_str(&mut self, key: &str) {
        self.open_entry();
        push_string(self.out, key);
        self.out.push(':');
    }
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        let at = match self.kind {
            Kind::Map => At::MapValue { indent: self.at.map_indent() },
            Kind::Seq => At::SeqItem { indent: self.at.seq_indent() },
        };
        value.serialize(Writer { out: self.out, at })
    }
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.open_entry();
        self.value(value)
    }
    fn end(self) -> Result {
        if self.empty {
            let text = if self.kind == Kind::Map { "{}" } else { "[]" };
            Writer { out: self.out, at: self.at }.scalar(|out| out.push_str(text))?;
        }
        Ok(())
    }
}

fn indent(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}

/// Integer methods: widened losslessly, then written without a temporary `String`.
macro_rules! numbers {
    ($($method:ident: $type:ty as $wide:ty),*) => {
        $(fn $method(self, v: $type) -> Result {
            self.number(<$wide>::from(v))
        })*
    };
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result {
        self.scalar(|out| out.push_str(if v { "true" } else { "false" }))
    }
    numbers!(serialize_i8: i8 as i64, serialize_i16: i16 as i64, serialize_i32: i32 as i64,
        serialize_i64: i64 as i64, serialize_u8: u8 as u64, serialize_u16: u16 as u64,
        serialize_u32: u32 as u64, serialize_u64: u64 as u64);

    fn serialize_f32(self, v: f32) -> Result {
        // serde_json's text for numbers (shortest round-trip), `null` for NaN and infinities.
        self.scalar(|out| out.push_str(&serde_json::Value::from(v).to_string()))
    }
    fn serialize_f64(self, v: f64) -> Result {
        self.scalar(|out| out.push_str(&serde_json::Value::from(v).to_string()))
    }
    fn serialize_char(self, v: char) -> Result {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result {
        let block_indent = self.at.block_indent();
        self.scalar(|out| {
            if !write_literal_block(out, v, block_indent) {
                push_string(out, v);
            }
        })
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        // As serde_json: a list of numbers.
        let mut seq = self.compound(Kind::Seq);
        for byte in v {
            seq.item(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.scalar(|out| out.push_str("null"))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        let mut map = self.compound(Kind::Map);
        map.key_str(variant);
        map.value(value)?;
        map.end()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.compound(Kind::Seq))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>> {
        Ok(self.compound(Kind::Seq))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>> {
        Ok(self.compound(Kind::Seq))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        Ok(self.variant(variant, Kind::Seq))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.compound(Kind::Map))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>> {
        Ok(self.compound(Kind::Map))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        Ok(self.variant(variant, Kind::Map))
    }
}

/// The list-like compounds: each element is a `- ` item.
macro_rules! list_compound {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
                self.item(value)
            }
            fn end(self) -> Result {
                Compound::end(self)
            }
        })*
    };
}
list_compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.open_entry();
        key.serialize(KeyWriter { out: self.out })?;
        self.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.value(value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

/// The struct-like compounds: each field is a `key:` entry.
macro_rules! struct_compound {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
                self.key_str(key);
                self.value(value)
            }
            fn end(self) -> Result {
                Compound::end(self)
            }
        })*
    };
}
struct_compound!(SerializeStruct, SerializeStructVariant);

/// Writes a map key: text, or a number or boolean as text (as serde_json does).
struct KeyWriter<'a> {
    out: &'a mut String,
}

impl KeyWriter<'_> {
    fn text(self, text: &str) -> Result {
        push_string(self.out, text);
        Ok(())
    }
    fn refuse(what: &str) -> Result {
        Err(Error(format!("a map key must be text, not {what}")))
    }
}

macro_rules! number_keys {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, v: $type) -> Result {
            self.text(&v.to_string())
        })*
    };
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    number_keys!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, _v: f32) -> Result {
        Self::refuse("a number with a fraction")
    }
    fn serialize_f64(self, _v: f64) -> Result {
        Self::refuse("a number with a fraction")
    }
    fn serialize_char(self, v: char) -> Result {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result {
        self.text(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Self::refuse("bytes")
    }
    fn serialize_none(self) -> Result {
        Self::refuse("null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        Self::refuse("null")
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Self::refuse("null")
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Self::refuse("a map")
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Error("a map key must be text, not a list".into()))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Error("a map key must be text, not a list".into()))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct> {
        Err(Error("a map key must be text, not a list".into()))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Error("a map key must be text, not a list".into()))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Error("a map key must be text, not a map".into()))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Error("a map key must be text, not a map".into()))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Error("a map key must be text, not a map".into()))
    }
}

/// Integers written without a temporary `String`.
mod itoa_like {
    pub trait Integer {
        fn push_to(self, out: &mut String);
    }
    impl Integer for u64 {
        fn push_to(self, out: &mut String) {
            let mut digits = [0u8; 20];
            let mut at = digits.len();
            let mut n = self;
            loop {
                at -= 1;
                digits[at] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            // Only ASCII digits were written.
            out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
        }
    }
    impl Integer for i64 {
        fn push_to(self, out: &mut String) {
            if self < 0 {
                out.push('-');
            }
            self.unsigned_abs().push_to(out);
        }
    }
}

/// Multi-line text as a literal block (`|`), when it can be one without loss. Returns whether
/// it wrote one.
fn write_literal_block(out: &mut String, s: &str, level: usize) -> bool {
    if !s.contains('\n') || s.starts_with([' ', '\t', '\n']) || s.chars().any(|c| c.is_control() && c != '\n') {
        return false;
    }
    let body = s.trim_end_matches('\n');
    if body.lines().any(|l| l.ends_with([' ', '\t'])) {
        return false;
    }
    out.push_str(match s.len() - body.len() {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(out, level);
            out.push_str(line);
        }
    }
    true
}

/// A string plain when safe, else double-quoted.
fn push_string(out: &mut String, s: &str) {
    if plain_is_safe(s) {
        out.push_str(s);
    } else {
        push_quoted(out, s);
    }
}

/// `s` as a double-quoted scalar. JSON's escapes are valid YAML; beyond JSON, the characters
/// YAML 1.1 reads as line breaks (NEL, LS, PS) or does not allow unescaped (C1 controls, DEL,
/// BOM) are escaped too, so no reader folds or rejects them.
fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut clean_from = 0;
    for (at, c) in s.char_indices() {
        let escape = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\t' => Some("\\t"),
            '\r' => Some("\\r"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            c if needs_unicode_escape(c) => None,
            _ => continue,
        };
        out.push_str(&s[clean_from..at]);
        match escape {
            Some(text) => out.push_str(text),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(char::from(HEX[((code >> shift) & 0xf) as usize]));
                }
            }
        }
        clean_from = at + c.len_utf8();
    }
    out.push_str(&s[clean_from..]);
    out.push('"');
}

fn needs_unicode_escape(c: char) -> bool {
    matches!(c, '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Words some YAML reader takes for a boolean or null (YAML 1.1 and 1.2, any case).
const NOT_STRINGS: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"];

/// Which bytes may appear in a plain string without a closer look: ASCII letters, digits and
/// ` _./:@,()=+-`. Bytes of other characters (128 and up) are looked at one character at a time.
const PLAIN_ASCII: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(c, b' ' | b'_' | b'.' | b'/' | b':' | b'@' | b',' | b'(' | b')' | b'=' | b'+' | b'-');
        b += 1;
    }
    table
};

/// Whether `s` can be written unquoted and be read back as this same string by every reader.
/// This runs for every key and string of every render: the common case (all ASCII) is one
/// table pass; other characters are then looked at one at a time.
fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    // Starting with a letter, `/` or `_` rules out numbers, dates, indicators and anchors.
    if !(first.is_alphabetic() || first == '/' || first == '_') {
        return false;
    }
    if s.len() <= 5 && NOT_STRINGS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return false;
    }
    if s.ends_with([' ', ':']) {
        return false;
    }
    // One pass without branches: every byte plain, and no `: ` (which starts a mapping value
    // inside any plain scalar; ` #`, a comment, cannot occur: `#` is not plain).
    let (mut simple, mut colon_space, mut previous) = (true, false, 0u8);
    for &b in s.as_bytes() {
        simple &= PLAIN_ASCII[usize::from(b)];
        colon_space |= previous == b':' && b == b' ';
        previous = b;
    }
    if colon_space {
        return false;
    }
    simple || s.chars().all(|c| if c.is_ascii() { PLAIN_ASCII[c as usize] } else { c.is_alphanumeric() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// What the emitter writes, read back by a YAML 1.1 reader (kubeplay's own, which follows
    /// go-yaml v2), is the value it was given.
    fn round_trip(value: Value) {
        let text = to_yaml(&value);
        let docs = crate::source::parse(&crate::SourceFile::new("t", &text)).unwrap();
        assert_eq!(docs[0].root.as_ref().unwrap().to_json(), value, "{text}");
    }

    #[test]
    fn strings_that_look_like_other_things_are_quoted() {
        let value = json!({
            "yes": "yes", "on": "On", "n": "n", "num": "1_000", "oct": "010", "float": "1e3",
            "version": "1.0.0", "empty": "", "url": "http://todo-backend:8000", "colon": "a: b",
            "hash": "a #b", "star": "*x", "dash": "- x", "space": " x", "tilde": "~", "null": "null",
            "unicode": "héllo wörld", "quote": "say \"hi\"", "tab": "a\tb", "bool": true, "n2": 3,
            "nel": "a\u{85}b", "ls": "a\u{2028}b", "bom": "\u{feff}x", "del": "a\u{7f}", "nul": "a\u{0}b",
            "ends-colon": "a:", "ends-space": "a ", "hash-no-space": "a#b", "colon-no-space": "a:b",
        });
        round_trip(value.clone());
        let text = to_yaml(&value);
        assert!(text.contains("url: http://todo-backend:8000\n"), "{text}");
        assert!(text.contains("\"yes\": \"yes\"\n"), "{text}");
        assert!(text.contains("nel: \"a\\u0085b\"\n"), "{text}");
        assert!(text.contains("hash-no-space: a#b\n") || text.contains("hash-no-space: \"a#b\"\n"), "{text}");
        assert!(text.contains("unicode: héllo wörld\n"), "{text}");
    }

    #[test]
    fn nesting_lists_and_blocks() {
        round_trip(json!({
            "a": {"b": [1, {"c": "d", "e": [true, null]}, [1, 2]], "f": {}},
            "g": [],
            "script": "line one\nline two\n",
            "nofinal": "x\ny",
            "many": "x\n\n",
            "blank": "x\n\ny\n",
            "negative": -42, "big": i64::MAX, "float": 1.5,
        }));
        round_trip(json!([{"a": 1}, "b", [], {}, [[1], {"x": []}]]));
        round_trip(json!("top"));
        round_trip(json!({}));
        round_trip(json!(12));
    }

    #[test]
    fn output_is_kubectl_style() {
        let text = to_yaml(&json!({"spec": {"ports": [{"name": "http", "port": 80}], "empty": {}, "none": []}}));
        assert_eq!(text, "spec:\n  ports:\n  - name: http\n    port: 80\n  empty: {}\n  none: []\n");
        let text = to_yaml(&json!({"script": "a\nb\n", "items": ["x\ny"]}));
        assert_eq!(text, "script: |\n  a\n  b\nitems:\n- |-\n  x\n  y\n");
    }

    /// Typed values write the same text as their JSON form: the writer walks the value the
    /// way `serde_json::to_value` does.
    #[test]
    fn typed_objects_write_as_their_json_does() {
        use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
        use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
        let service = Service {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some("web".into()),
                labels: Some([("app".to_string(), "on".to_string())].into()),
                ..Default::default()
            },
            spec: Some(ServiceSpec {
                ports: Some(vec![ServicePort {
                    port: 80,
                    target_port: Some(IntOrString::String("http".into())),
                    ..Default::default()
                }]),
                selector: Some(Default::default()),
                ..Default::default()
            }),
            status: None,
        };
        assert_eq!(to_yaml(&service), to_yaml(&serde_json::to_value(&service).unwrap()));
        assert!(to_yaml(&service).contains("app: \"on\"\n"));
        let mut keyed = std::collections::BTreeMap::new();
        keyed.insert(8080u16, "http");
        assert_eq!(to_yaml(&keyed), "\"8080\": http\n");
        #[derive(serde::Serialize)]
        enum Shape {
            Unit,
            Pair(u8, u8),
            Named { side: u8 },
            Wrapped(String),
        }
        let shapes = vec![Shape::Unit, Shape::Pair(1, 2), Shape::Named { side: 3 }, Shape::Wrapped("w".into())];
        assert_eq!(to_yaml(&shapes), to_yaml(&serde_json::to_value(&shapes).unwrap()));
    }

    #[test]
    fn keys_that_are_not_text_are_refused_whole() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1);
        assert_eq!(to_yaml(&map), "# not writable as YAML: a map key must be text, not a list\n");
    }
}
