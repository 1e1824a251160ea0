//! Request parameters: where each one goes (URL query or form body) and how a typed value
//! becomes wire pairs, per OpenMeta style: flattened (`Name.N`, `Name.N.Field`, `Name.Field`),
//! joined with a delimiter (`simple`), or one compact JSON string (`json`).

use serde::Serialize;
use serde::ser::{self, Impossible};
use std::any::Any;
use std::borrow::Cow;
use std::fmt;

/// One wire parameter: its name (borrowed from generated code when it is a plain name) and
/// its text (borrowed from the request when it is a string, or a constant such as a boolean).
pub type Pair<'v> = (Cow<'static, str>, Cow<'v, str>);

/// How a parameter value is written, from the parameter's OpenMeta `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Scalars as they are; lists as `Name.1`, `Name.2`; objects as `Name.Field`, nested to any
    /// depth (`Name.1.Field.2`). Covers no style, `repeatList` and `flat`.
    Flat,
    /// A list as one value, items joined with this delimiter (`simple` is `,`).
    Joined(&'static str),
    /// One compact JSON value.
    Json,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// The URL query string.
    Query,
    /// The `application/x-www-form-urlencoded` body.
    Form,
}

/// The wire parameters of one request, in the order they were added. String values borrow
/// from the request (`'v`) rather than being copied.
#[derive(Clone, Debug, Default)]
pub struct Params<'v> {
    query: Vec<Pair<'v>>,
    form: Vec<Pair<'v>>,
    error: Option<String>,
}

impl<'v> Params<'v> {
    /// Adds a flattened URL-query parameter. `None` adds nothing.
    pub fn query(&mut self, name: &'static str, value: &'v (impl Serialize + Any)) {
        self.query_styled(name, Style::Flat, value);
    }

    /// Adds a flattened form-body parameter. `None` adds nothing.
    pub fn form(&mut self, name: &'static str, value: &'v (impl Serialize + Any)) {
        self.form_styled(name, Style::Flat, value);
    }

    /// Adds a URL-query parameter written in `style`.
    pub fn query_styled(&mut self, name: &'static str, style: Style, value: &'v (impl Serialize + Any)) {
        let result = write(&mut self.query, name, style, value);
        self.keep_first_error(name, result);
    }

    /// Adds a form-body parameter written in `style`.
    pub fn form_styled(&mut self, name: &'static str, style: Style, value: &'v (impl Serialize + Any)) {
        let result = write(&mut self.form, name, style, value);
        self.keep_first_error(name, result);
    }

    /// Adds one plain `name=value` pair.
    pub fn push(&mut self, location: Location, name: &'static str, value: String) {
        let pairs = if location == Location::Query { &mut self.query } else { &mut self.form };
        pairs.push((Cow::Borrowed(name), Cow::Owned(value)));
    }

    /// The value of the first parameter named `name`, in either place.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.query.iter().chain(&self.form).find(|(k, _)| k == name).map(|(_, v)| v.as_ref())
    }

    /// The URL-query pairs.
    pub fn query_pairs(&self) -> &[Pair<'v>] {
        &self.query
    }

    /// The form-body pairs.
    pub fn form_pairs(&self) -> &[Pair<'v>] {
        &self.form
    }

    /// The first value that could not be written, naming its parameter.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn keep_first_error(&mut self, name: &str, result: Result<(), FlattenError>) {
        if let (Err(e), None) = (result, &self.error) {
            self.error = Some(format!("parameter `{name}`: {e}"));
        }
    }
}

fn write<'v>(
    out: &mut Vec<Pair<'v>>,
    name: &'static str,
    style: Style,
    value: &'v (impl Serialize + Any),
) -> Result<(), FlattenError> {
    match style {
        Style::Flat => match as_text(value) {
            Some(text) => {
                out.extend(text.map(|text| (Cow::Borrowed(name), Cow::Borrowed(text))));
                Ok(())
            }
            None => value.serialize(Flattener { key: Cow::Borrowed(name), out }),
        },
        Style::Joined(delimiter) => {
            let mut items = Vec::new();
            value.serialize(Flattener { key: Cow::Borrowed(""), out: &mut items })?;
            if !items.is_empty() {
                let joined: Vec<Cow<'_, str>> = items.into_iter().map(|(_, v)| v).collect();
                out.push((Cow::Borrowed(name), Cow::Owned(joined.join(delimiter))));
            }
            Ok(())
        }
        Style::Json => {
            let mut json = serde_json::to_value(value).map_err(|e| FlattenError(e.to_string()))?;
            drop_nulls(&mut json);
            if !json.is_null() {
                out.push((Cow::Borrowed(name), Cow::Owned(json.to_string())));
            }
            Ok(())
        }
    }
}

/// The text of a value that is a string or an optional string, borrowed; `None` for values
/// of any other type, which go through serialization.
fn as_text(value: &dyn Any) -> Option<Option<&str>> {
    if let Some(text) = value.downcast_ref::<String>() {
        return Some(Some(text));
    }
    value.downcast_ref::<Option<String>>().map(Option::as_deref)
}

/// Removes absent (`null`) object members at every depth, as the official SDKs do.
fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(members) => {
            members.retain(|_, v| !v.is_null());
            members.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// A value that has no wire form (bytes, a map with non-string keys, an enum with data).
#[derive(Debug)]
pub struct FlattenError(String);

impl fmt::Display for FlattenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FlattenError {}

impl ser::Error for FlattenError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// Serializes one value under `key`, pushing `(key, text)` for every scalar it contains.
struct Flattener<'a, 'v> {
    key: Cow<'static, str>,
    out: &'a mut Vec<Pair<'v>>,
}

impl<'v> Flattener<'_, 'v> {
    fn push(self, text: impl Into<Cow<'static, str>>) -> Result<(), FlattenError> {
        self.out.push((self.key, text.into()));
        Ok(())
    }

    fn child(&mut self, suffix: &str) -> Flattener<'_, 'v> {
        let key = if self.key.is_empty() { suffix.to_owned() } else { format!("{}.{suffix}", self.key) };
        Flattener { key: Cow::Owned(key), out: self.out }
    }

    fn unsupported<T>(what: &str) -> Result<T, FlattenError> {
        Err(FlattenError(format!("{what} has no RPC parameter form")))
    }
}

macro_rules! scalar {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), FlattenError> {
            self.push(v.to_string())
        }
    )*};
}

impl<'a, 'v> ser::Serializer for Flattener<'a, 'v> {
    type Ok = ();
    type Error = FlattenError;
    type SerializeSeq = Seq<'a, 'v>;
    type SerializeTuple = Seq<'a, 'v>;
    type SerializeTupleStruct = Seq<'a, 'v>;
    type SerializeTupleVariant = Impossible<(), FlattenError>;
    type SerializeMap = Map<'a, 'v>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), FlattenError>;

    fn serialize_bool(self, v: bool) -> Result<(), FlattenError> {
        self.push(if v { "true" } else { "false" })
    }

    scalar!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str);

    fn serialize_bytes(self, _: &[u8]) -> Result<(), FlattenError> {
        Self::unsupported("a byte string")
    }
    fn serialize_none(self) -> Result<(), FlattenError> {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), FlattenError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), FlattenError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), FlattenError> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), FlattenError> {
        self.push(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result<(), FlattenError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), FlattenError> {
        Self::unsupported("an enum variant with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a, 'v>, FlattenError> {
        Ok(Seq { parent: self, index: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'a, 'v>, FlattenError> {
        Ok(Seq { parent: self, index: 0 })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'a, 'v>, FlattenError> {
        Ok(Seq { parent: self, index: 0 })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FlattenError> {
        Self::unsupported("an enum variant with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a, 'v>, FlattenError> {
        Ok(Map { parent: self, key: None })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, FlattenError> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FlattenError> {
        Self::unsupported("an enum variant with data")
    }
}

/// A list: item `i` goes under `key.(i+1)`.
struct Seq<'a, 'v> {
    parent: Flattener<'a, 'v>,
    index: usize,
}

impl Seq<'_, '_> {
    fn item<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.index += 1;
        let index = self.index.to_string();
        value.serialize(self.parent.child(&index))
    }
}

impl ser::SerializeSeq for Seq<'_, '_> {
    type Ok = ();
    type Error = FlattenError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.item(value)
    }
    fn end(self) -> Result<(), FlattenError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_, '_> {
    type Ok = ();
    type Error = FlattenError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.item(value)
    }
    fn end(self) -> Result<(), FlattenError> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Seq<'_, '_> {
    type Ok = ();
    type Error = FlattenError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.item(value)
    }
    fn end(self) -> Result<(), FlattenError> {
        Ok(())
    }
}

impl ser::SerializeStruct for Flattener<'_, '_> {
    type Ok = ();
    type Error = FlattenError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, name: &'static str, value: &T) -> Result<(), FlattenError> {
        value.serialize(self.child(name))
    }
    fn end(self) -> Result<(), FlattenError> {
        Ok(())
    }
}

/// A map with string keys: value under `key.<map key>`.
struct Map<'a, 'v> {
    parent: Flattener<'a, 'v>,
    key: Option<String>,
}

impl ser::SerializeMap for Map<'_, '_> {
    type Ok = ();
    type Error = FlattenError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), FlattenError> {
        match serde_json::to_value(key) {
            Ok(serde_json::Value::String(key)) => {
                self.key = Some(key);
                Ok(())
            }
            _ => Flattener::unsupported("a map key that is not a string"),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), FlattenError> {
        let key = self.key.take().unwrap_or_default();
        value.serialize(self.parent.child(&key))
    }
    fn end(self) -> Result<(), FlattenError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Tag {
        key: Option<String>,
        value: Option<String>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Disk {
        size: Option<i32>,
        tags: Option<Vec<Tag>>,
    }

    /// The query pairs of `params`, which must have been written without error.
    fn pairs(params: &Params<'_>) -> Vec<(String, String)> {
        assert_eq!(params.error(), None);
        params.query_pairs().iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn scalars_and_absent_values() {
        let mut p = Params::default();
        p.query("InstanceId", &"pcc-1");
        p.query("DryRun", &Some(true));
        p.query("Bandwidth", &Some(-1i32));
        p.query("Uid", &1_210_123_456_123_456i64);
        p.query("Skipped", &None::<String>);
        p.query("Empty", &"");
        assert_eq!(
            pairs(&p),
            owned(&[
                ("InstanceId", "pcc-1"),
                ("DryRun", "true"),
                ("Bandwidth", "-1"),
                ("Uid", "1210123456123456"),
                ("Empty", "")
            ])
        );
    }

    #[test]
    fn repeat_list_of_scalars_and_of_objects() {
        let tags: Vec<Tag> =
            (1..=2).map(|i| Tag { key: Some(format!("k{i}")), value: (i == 1).then(|| "v".into()) }).collect();
        let (ids, tags, empty) = (vec!["a", "b"], Some(tags), Vec::<String>::new());
        let mut p = Params::default();
        p.query("ResourceId", &ids);
        p.query("Tag", &tags);
        p.query("Empty", &empty);
        assert_eq!(
            pairs(&p),
            owned(&[
                ("ResourceId.1", "a"),
                ("ResourceId.2", "b"),
                ("Tag.1.Key", "k1"),
                ("Tag.1.Value", "v"),
                ("Tag.2.Key", "k2")
            ])
        );
    }

    #[test]
    fn flat_objects_nest_to_any_depth() {
        let disk = Disk { size: Some(40), tags: Some(vec![Tag { key: Some("a".into()), value: Some("b".into()) }]) };
        let mut map = BTreeMap::new();
        map.insert("Zone", "cn-1");
        let data_disks =
            vec![Disk { size: disk.size, tags: Some(vec![Tag { key: Some("a".into()), value: Some("b".into()) }]) }];
        let mut p = Params::default();
        p.query("SystemDisk", &disk);
        p.query("DataDisk", &data_disks);
        p.query("Labels", &map);
        assert_eq!(
            pairs(&p),
            owned(&[
                ("SystemDisk.Size", "40"),
                ("SystemDisk.Tags.1.Key", "a"),
                ("SystemDisk.Tags.1.Value", "b"),
                ("DataDisk.1.Size", "40"),
                ("DataDisk.1.Tags.1.Key", "a"),
                ("DataDisk.1.Tags.1.Value", "b"),
                ("Labels.Zone", "cn-1"),
            ])
        );
    }

    #[test]
    fn simple_and_json_styles() {
        let tag = Tag { key: Some("k".into()), value: None };
        let (vpcs, names) = (vec!["vpc-a", "vpc-b"], Some(vec!["阿里"]));
        let mut p = Params::default();
        p.query_styled("VpcId", Style::Joined(","), &vpcs);
        p.query_styled("None", Style::Joined(","), &None::<Vec<String>>);
        p.query_styled("AccessMode", Style::Json, &tag);
        p.query_styled("Names", Style::Json, &names);
        assert_eq!(
            pairs(&p),
            owned(&[("VpcId", "vpc-a,vpc-b"), ("AccessMode", r#"{"Key":"k"}"#), ("Names", r#"["阿里"]"#)])
        );
    }

    #[test]
    fn strings_are_borrowed_from_the_request_not_copied() {
        let (id, token, absent) = ("pcc-1".to_owned(), Some("token".to_owned()), None::<String>);
        let mut p = Params::default();
        p.form("InstanceId", &id);
        p.form("ClientToken", &token);
        p.form("Absent", &absent);
        p.form("DryRun", &Some(true));
        let borrowed = |(_, v): &Pair<'_>| matches!(v, Cow::Borrowed(_));
        assert!(p.form_pairs().iter().all(borrowed), "{:?}", p.form_pairs());
        let texts: Vec<&str> = p.form_pairs().iter().map(|(_, v)| v.as_ref()).collect();
        assert_eq!(texts, ["pcc-1", "token", "true"]);
        assert!(std::ptr::eq(texts[0].as_ptr(), id.as_ptr()));
    }

    #[test]
    fn unsupported_values_are_reported_with_the_parameter_name() {
        let mut map = BTreeMap::new();
        map.insert(1, "x");
        let bytes = serde_bytes_like();
        let mut params = Params::default();
        params.form("Weird", &map);
        params.form("Later", &bytes);
        assert_eq!(params.error(), Some("parameter `Weird`: a map key that is not a string has no RPC parameter form"));
    }

    fn serde_bytes_like() -> Vec<u8> {
        vec![1]
    }
}
