//! The operations and their parameters as the OpenMeta spec declares them (required, types,
//! list styles), read once at start through the generator's IR, and the validation of a request's parameters against
//! them into typed values. Both list forms are read for joined (`simple`) lists: `VpcId=a,b`
//! and `VpcId.1=a&VpcId.2=b`.

use crate::errors::ApiError;
use crate::wire::Pair;
use alibabacloud_codegen::ir;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The VpcPeer 2022-01-01 OpenMeta document the emulator serves (the same file the client is
/// generated from).
pub const SPEC_JSON: &str = include_str!("../../spec/vpcpeer/2022-01-01/api-docs.json");

/// A scalar wire type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    String,
    Int32,
    Int64,
    Number,
    Boolean,
}

/// The shape of a parameter on the wire.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// `Name=value`.
    Scalar(Scalar),
    /// `Name.N=value`, or with a delimiter `Name=a,b` (both forms accepted).
    List { item: Scalar, joined: Option<char> },
    /// `Name.N.Field=value`.
    ObjectList { fields: Vec<(String, Scalar)> },
}

/// One declared parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSchema {
    pub name: String,
    pub shape: Shape,
    pub required: bool,
    pub max_items: Option<usize>,
}

/// One operation and its parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationSchema {
    pub params: Vec<ParamSchema>,
}

/// Every operation of the product version.
#[derive(Clone, Debug)]
pub struct Schema {
    pub version: String,
    /// Regions the product is offered in (`endpoints[].regionId`).
    pub regions: Vec<String>,
    pub operations: HashMap<String, OperationSchema>,
}

/// A validated parameter value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    List(Vec<Value>),
    Objects(Vec<BTreeMap<String, Value>>),
}

/// A request's parameters, validated against its operation; names borrow from the schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params<'s> {
    values: Vec<(&'s str, Value)>,
}

impl Params<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The string value of `name`, if given and non-empty.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.text(name).filter(|s| !s.is_empty())
    }

    /// The string value of `name` if given, also when empty (`Name=`), for the parameters
    /// whose rules refuse an empty value rather than ignore it.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The integer value of `name`.
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// The boolean value of `name`; `false` when absent.
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Value::Bool(true)))
    }

    /// The string items of list `name`; empty when absent.
    pub fn strings(&self, name: &str) -> Vec<&str> {
        match self.get(name) {
            Some(Value::List(items)) => {
                items.iter().filter_map(|v| if let Value::Str(s) = v { Some(s.as_str()) } else { None }).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The `{Key, Value}` items of object list `name`, as (key, value) with absent fields
    /// as `None`; empty when absent.
    pub fn key_values(&self, name: &str) -> Vec<(Option<&str>, Option<&str>)> {
        fn field<'v>(o: &'v BTreeMap<String, Value>, f: &str) -> Option<&'v str> {
            match o.get(f) {
                Some(Value::Str(s)) => Some(s.as_str()),
                _ => None,
            }
        }
        match self.get(name) {
            Some(Value::Objects(items)) => items.iter().map(|o| (field(o, "Key"), field(o, "Value"))).collect(),
            _ => Vec::new(),
        }
    }

    /// A stable text of every value except `excluded`, to compare two requests (ClientToken).
    pub fn fingerprint(&self, excluded: &[&str]) -> String {
        let mut entries: Vec<&(&str, Value)> = self.values.iter().filter(|(k, _)| !excluded.contains(k)).collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::with_capacity(256);
        for (name, value) in entries {
            out.push_str(name);
            out.push('=');
            value.write_to(&mut out);
            out.push('\n');
        }
        out
    }
}

impl Value {
    /// Writes an unambiguous text of the value (strings length-prefixed).
    fn write_to(&self, out: &mut String) {
        use std::fmt::Write;
        // Writing to a `String` cannot fail.
        let _ = match self {
            Value::Str(s) => write!(out, "s{}:{s}", s.len()),
            Value::Int(i) => write!(out, "i{i}"),
            Value::Num(n) => write!(out, "n{n}"),
            Value::Bool(b) => write!(out, "b{b}"),
            Value::List(items) => {
                out.push('[');
                for item in items {
                    item.write_to(out);
                    out.push(',');
                }
                write!(out, "]")
            }
            Value::Objects(objects) => {
                out.push('{');
                for object in objects {
                    for (field, value) in object {
                        let _ = write!(out, "{field}:");
                        value.write_to(out);
                        out.push(';');
                    }
                    out.push('|');
                }
                write!(out, "}}")
            }
        };
    }
}

/// Why the spec could not be read.
#[derive(Debug)]
pub struct SchemaError(String);

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read the OpenMeta spec: {}", self.0)
    }
}

impl std::error::Error for SchemaError {}

impl Schema {
    /// The schema of the embedded VpcPeer spec.
    pub fn vpcpeer() -> Result<Self, SchemaError> {
        Self::from_openmeta(SPEC_JSON)
    }

    /// Reads an OpenMeta `api-docs.json` document through the generator's validated IR, so the
    /// emulator checks requests against exactly what the client is generated from.
    pub fn from_openmeta(text: &str) -> Result<Self, SchemaError> {
        let service = alibabacloud_codegen::load_bytes(Path::new("api-docs.json"), text.as_bytes())
            .map_err(|e| SchemaError(e.to_string()))?;
        let docs: alibabacloud_codegen::spec::ApiDocs =
            serde_json::from_str(text).map_err(|e| SchemaError(e.to_string()))?;
        let mut operations = HashMap::new();
        for op in &service.operations {
            let params = op.params.iter().map(|p| param_schema(&service, &op.action, p)).collect::<Result<_, _>>()?;
            operations.insert(op.action.clone(), OperationSchema { params });
        }
        Ok(Self {
            version: service.version,
            regions: docs.endpoints.into_iter().map(|e| e.region_id).collect(),
            operations,
        })
    }
}

fn param_schema(service: &ir::Service, action: &str, p: &ir::Param) -> Result<ParamSchema, SchemaError> {
    let unsupported = |what: &str| SchemaError(format!("{action}.{}: {what} is not supported", p.wire_name));
    let shape = match (&p.ty, p.style) {
        (ir::Type::List(item), style) => match (item.as_ref(), style) {
            (ir::Type::Struct(name), ir::Style::Flat) => {
                let fields = service
                    .structs
                    .iter()
                    .find(|s| &s.name == name)
                    .ok_or_else(|| unsupported("an unknown struct"))?
                    .fields
                    .iter()
                    .map(|f| {
                        scalar(&f.ty)
                            .map(|t| (f.wire_name.clone(), t))
                            .ok_or_else(|| unsupported("a nested field type"))
                    })
                    .collect::<Result<_, _>>()?;
                Shape::ObjectList { fields }
            }
            (item, ir::Style::Flat) => {
                Shape::List { item: scalar(item).ok_or_else(|| unsupported("the item type"))?, joined: None }
            }
            (item, ir::Style::Joined(delimiter)) => Shape::List {
                item: scalar(item).ok_or_else(|| unsupported("the item type"))?,
                joined: Some(delimiter.chars().next().ok_or_else(|| unsupported("an empty delimiter"))?),
            },
            (_, ir::Style::Json) => return Err(unsupported("the json style")),
        },
        (ty, ir::Style::Flat) => Shape::Scalar(scalar(ty).ok_or_else(|| unsupported("the type"))?),
        _ => return Err(unsupported("this style")),
    };
    Ok(ParamSchema {
        name: p.wire_name.clone(),
        shape,
        required: p.required,
        max_items: p.max_items.and_then(|n| usize::try_from(n).ok()),
    })
}

fn scalar(ty: &ir::Type) -> Option<Scalar> {
    Some(match ty {
        ir::Type::String => Scalar::String,
        ir::Type::Int32 => Scalar::Int32,
        ir::Type::Int64 => Scalar::Int64,
        ir::Type::Float | ir::Type::Double => Scalar::Number,
        ir::Type::Boolean => Scalar::Boolean,
        _ => return None,
    })
}

/// Highest list index accepted in `Name.N`, far above any `maxItems`.
const MAX_INDEX: usize = 1000;

impl OperationSchema {
    /// Validates the business parameters `given` (sorted by name; protocol parameters may be
    /// present and are ignored like any undeclared name) into typed values.
    pub fn validate(&self, given: &[Pair]) -> Result<Params<'_>, ApiError> {
        let mut values = Vec::with_capacity(self.params.len());
        for param in &self.params {
            if let Some(value) = param.read(given)? {
                values.push((param.name.as_str(), value));
            } else if param.required {
                return Err(ApiError::missing_parameter(&param.name));
            }
        }
        Ok(Params { values })
    }
}

impl ParamSchema {
    fn read(&self, given: &[Pair]) -> Result<Option<Value>, ApiError> {
        let exact = given.iter().find(|(n, _)| *n == self.name).map(|(_, v)| v.as_str());
        let dotted: Vec<(&str, &str)> = given
            .iter()
            .filter_map(|(n, v)| {
                n.strip_prefix(self.name.as_str()).and_then(|r| r.strip_prefix('.')).map(|rest| (rest, v.as_str()))
            })
            .collect();
        let prefix = &self.name;
        let value = match &self.shape {
            Shape::Scalar(ty) => match exact {
                // An empty value does not give a required parameter; an optional string keeps it.
                Some("") if self.required => return Err(ApiError::missing_parameter(&self.name)),
                Some(raw) if !raw.is_empty() || *ty == Scalar::String => Some(parse_scalar(&self.name, *ty, raw)?),
                Some(_) => return Err(ApiError::invalid_parameter(&self.name, "the value is empty")),
                None => None,
            },
            Shape::List { item, joined } => {
                let mut items = Vec::new();
                match (exact, joined) {
                    (Some(_), Some(_)) if !dotted.is_empty() => {
                        return Err(ApiError::invalid_parameter(
                            &self.name,
                            format_args!("give either {0} or {0}.N, not both", self.name),
                        ));
                    }
                    // `Name=` gives no list; otherwise every item counts, an empty one too
                    // (`a,` is two items), so the operation sees all that was sent.
                    (Some(""), Some(_)) => {}
                    (Some(raw), Some(delim)) => {
                        for part in raw.split(*delim) {
                            items.push(parse_scalar(&self.name, *item, part)?);
                        }
                    }
                    (Some(_), None) => {
                        return Err(ApiError::invalid_parameter(
                            &self.name,
                            format_args!("it is a list: send {}.1, {}.2, ...", self.name, self.name),
                        ));
                    }
                    (None, _) => {
                        let mut indexed = BTreeMap::new();
                        for (rest, raw) in &dotted {
                            let full = format!("{prefix}.{rest}");
                            let index = parse_index(&full, rest)?;
                            if indexed.insert(index, parse_scalar(&full, *item, raw)?).is_some() {
                                return Err(same_slot(&full));
                            }
                        }
                        items.extend(indexed.into_values());
                    }
                }
                (!items.is_empty()).then_some(Value::List(items))
            }
            Shape::ObjectList { fields } => {
                if exact.is_some() {
                    return Err(ApiError::invalid_parameter(
                        &self.name,
                        format_args!("it is a list of objects: send {}.N.Field", self.name),
                    ));
                }
                let mut indexed: BTreeMap<usize, BTreeMap<String, Value>> = BTreeMap::new();
                for (rest, raw) in &dotted {
                    let full = format!("{prefix}.{rest}");
                    let (index, field) = rest
                        .split_once('.')
                        .ok_or_else(|| ApiError::invalid_parameter(&full, "expected Name.N.Field"))?;
                    let index = parse_index(&full, index)?;
                    let ty = fields.iter().find(|(f, _)| f == field).map(|(_, t)| *t).ok_or_else(|| {
                        ApiError::invalid_parameter(&full, format_args!("\"{field}\" is not a field of {}", self.name))
                    })?;
                    let value = if raw.is_empty() && ty == Scalar::String {
                        Value::Str(String::new())
                    } else {
                        parse_scalar(&full, ty, raw)?
                    };
                    if indexed.entry(index).or_default().insert(field.to_owned(), value).is_some() {
                        return Err(same_slot(&full));
                    }
                }
                (!indexed.is_empty()).then(|| Value::Objects(indexed.into_values().collect()))
            }
        };
        if let (Some(max), Some(Value::List(v))) = (self.max_items, &value) {
            check_count(&self.name, v.len(), max)?;
        }
        if let (Some(max), Some(Value::Objects(v))) = (self.max_items, &value) {
            check_count(&self.name, v.len(), max)?;
        }
        Ok(value)
    }
}

fn check_count(name: &str, count: usize, max: usize) -> Result<(), ApiError> {
    if count > max {
        return Err(ApiError::invalid_parameter(name, format_args!("it has {count} items, at most {max} are allowed")));
    }
    Ok(())
}

/// The `N` of `Name.N`: decimal digits only, without sign or leading zero, so that each
/// index has one spelling (`usize::from_str` alone would read `+1` as `1`).
fn parse_index(full: &str, text: &str) -> Result<usize, ApiError> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0');
    match text.parse::<usize>() {
        Ok(n) if digits && n <= MAX_INDEX => Ok(n),
        _ => Err(ApiError::invalid_parameter(
            full,
            format_args!("the list index must be a number from 1 to {MAX_INDEX}, in digits only"),
        )),
    }
}

/// A second name for a list slot already given: neither value may silently replace the other.
fn same_slot(full: &str) -> ApiError {
    ApiError::invalid_parameter(full, "another parameter already gives this list item")
}

fn parse_scalar(name: &str, ty: Scalar, raw: &str) -> Result<Value, ApiError> {
    let bad = |expected: &str| ApiError::invalid_parameter(name, format_args!("expected {expected}, got {raw:?}"));
    Ok(match ty {
        Scalar::String => Value::Str(raw.to_owned()),
        Scalar::Int32 => Value::Int(i64::from(raw.parse::<i32>().map_err(|_| bad("a 32-bit integer"))?)),
        Scalar::Int64 => Value::Int(raw.parse::<i64>().map_err(|_| bad("a 64-bit integer"))?),
        Scalar::Number => Value::Num(raw.parse::<f64>().ok().filter(|f| f.is_finite()).ok_or_else(|| bad("a number"))?),
        Scalar::Boolean => {
            if raw.eq_ignore_ascii_case("true") {
                Value::Bool(true)
            } else if raw.eq_ignore_ascii_case("false") {
                Value::Bool(false)
            } else {
                return Err(bad("true or false"));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<Pair> {
        let mut v: Vec<Pair> = list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        v.sort();
        v
    }

    fn op(name: &str) -> OperationSchema {
        Schema::vpcpeer().unwrap().operations[name].clone()
    }

    #[test]
    fn the_embedded_spec_has_the_eleven_operations() {
        let schema = Schema::vpcpeer().unwrap();
        assert_eq!(schema.operations.len(), 11);
        assert_eq!(schema.version, "2022-01-01");
        assert!(schema.regions.iter().any(|r| r == "cn-hangzhou"));
    }

    #[test]
    fn required_types_and_booleans() {
        let create = op("CreateVpcPeerConnection");
        let err = create.validate(&pairs(&[("RegionId", "cn-hangzhou")])).unwrap_err();
        assert_eq!(err.code, "MissingParameter");
        // An empty value does not give a required parameter; an optional one keeps it.
        let err = create.validate(&pairs(&[("RegionId", "")])).unwrap_err();
        assert_eq!((err.code.as_ref(), err.message.contains("RegionId")), ("MissingParameter", true));
        let accept_uid = [("RegionId", "cn-hangzhou"), ("VpcId", "vpc-a"), ("AcceptingAliUid", "")];
        let err = create.validate(&pairs(&accept_uid)).unwrap_err();
        assert_eq!((err.code.as_ref(), err.message.contains("AcceptingAliUid")), ("MissingParameter", true));
        let base = [
            ("RegionId", "cn-hangzhou"),
            ("VpcId", "vpc-a"),
            ("AcceptingRegionId", "cn-hangzhou"),
            ("AcceptingVpcId", "vpc-b"),
        ];
        let mut bad = base.to_vec();
        bad.push(("AcceptingAliUid", "12x"));
        let err = create.validate(&pairs(&bad)).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(err.message.contains("\"AcceptingAliUid\""), "{}", err.message);
        let mut good = base.to_vec();
        good.extend([("AcceptingAliUid", "1234567890123456789"), ("DryRun", "True"), ("Bandwidth", "100")]);
        let p = create.validate(&pairs(&good)).unwrap();
        assert_eq!(p.int("AcceptingAliUid"), Some(1_234_567_890_123_456_789));
        assert!(p.flag("DryRun"));
        let mut overflow = base.to_vec();
        overflow.extend([("AcceptingAliUid", "1"), ("Bandwidth", "3000000000")]);
        assert_eq!(create.validate(&pairs(&overflow)).unwrap_err().code, "InvalidParameter");
    }

    #[test]
    fn joined_lists_accept_both_forms_and_object_lists_read_fields() {
        let list = op("ListVpcPeerConnections");
        let joined = list.validate(&pairs(&[("VpcId", "vpc-a,vpc-b")])).unwrap();
        let dotted = list.validate(&pairs(&[("VpcId.2", "vpc-b"), ("VpcId.1", "vpc-a")])).unwrap();
        assert_eq!(joined.strings("VpcId"), vec!["vpc-a", "vpc-b"]);
        assert_eq!(joined, dotted);
        assert_eq!(list.validate(&pairs(&[("VpcId", "a,b,c")])).unwrap_err().code, "InvalidParameter");
        let tags =
            list.validate(&pairs(&[("Tags.1.Key", "k"), ("Tags.1.Value", "v"), ("Tags.10.Key", "k10")])).unwrap();
        assert_eq!(tags.key_values("Tags"), vec![(Some("k"), Some("v")), (Some("k10"), None)]);
        let err = list.validate(&pairs(&[("Tags.1.Colour", "red")])).unwrap_err();
        assert!(err.message.contains("Tags.1.Colour"), "{}", err.message);
        let err = list.validate(&pairs(&[("Tags.x.Key", "k")])).unwrap_err();
        assert!(err.message.contains("Tags.x.Key"), "{}", err.message);
        // Every item of a joined list reaches the operation, an empty one too.
        assert_eq!(list.validate(&pairs(&[("VpcId", "vpc-a,")])).unwrap().strings("VpcId"), vec!["vpc-a", ""]);
        assert_eq!(list.validate(&pairs(&[("VpcId", "")])).unwrap().strings("VpcId"), Vec::<&str>::new());
    }

    #[test]
    fn a_list_index_has_one_spelling_and_a_slot_one_value() {
        let tag = op("TagResources");
        for index in ["+1", "01", "0", "1001", "", " 1", "1 ", "-1", "\u{0661}"] {
            let name = format!("ResourceId.{index}");
            let err = tag.validate(&pairs(&[("ResourceId.1", "pcc-a"), (&name, "pcc-b")])).unwrap_err();
            assert_eq!(err.code, "InvalidParameter", "{name}");
            assert!(err.message.contains(&format!("\"{name}\"")), "{}", err.message);
            let field = format!("Tag.{index}.Key");
            let err =
                tag.validate(&pairs(&[("ResourceId.1", "pcc-a"), ("Tag.1.Key", "k"), (&field, "j")])).unwrap_err();
            assert!(err.message.contains(&format!("\"{field}\"")), "{}", err.message);
        }
        // The gateway never passes a name twice; should it happen, neither value wins.
        let twice = [("ResourceId.1", "pcc-a"), ("ResourceId.1", "pcc-b"), ("Tag.1.Key", "k")];
        assert!(tag.validate(&pairs(&twice)).unwrap_err().message.contains("\"ResourceId.1\""));
        let twice = [("ResourceId.1", "pcc-a"), ("Tag.1.Key", "k"), ("Tag.1.Key", "j")];
        assert!(tag.validate(&pairs(&twice)).unwrap_err().message.contains("\"Tag.1.Key\""));
    }

    #[test]
    fn fingerprints_ignore_order_and_excluded_names_and_see_every_value() {
        let create = op("CreateVpcPeerConnection");
        let base = [
            ("RegionId", "cn-hangzhou"),
            ("VpcId", "vpc-a"),
            ("AcceptingAliUid", "1"),
            ("AcceptingRegionId", "cn-hangzhou"),
        ];
        let with = |extra: &[(&str, &str)]| {
            let mut all = base.to_vec();
            all.extend_from_slice(extra);
            create.validate(&pairs(&all)).unwrap().fingerprint(&["ClientToken", "DryRun"])
        };
        let one = with(&[("AcceptingVpcId", "vpc-b"), ("ClientToken", "t1"), ("Tag.1.Key", "k")]);
        assert_eq!(one, with(&[("Tag.1.Key", "k"), ("DryRun", "true"), ("AcceptingVpcId", "vpc-b")]));
        assert_ne!(one, with(&[("AcceptingVpcId", "vpc-c"), ("Tag.1.Key", "k")]));
        assert_ne!(one, with(&[("AcceptingVpcId", "vpc-b"), ("Tag.1.Key", "k"), ("Tag.1.Value", "")]));
    }
}
