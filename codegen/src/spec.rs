//! The OpenMeta `api-docs.json` input format, as serde types. Only the keys the generator
//! reads are declared; unknown keys are ignored at every level, and a key given twice in an
//! object is an error.

use crate::unique_keys;
use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole `api-docs.json` file.
#[derive(Debug, Deserialize)]
pub struct ApiDocs {
    /// `info`: the API style, the product code and the API version.
    pub info: Info,
    /// `components`: the shared schemas that `$ref` points to; empty when the key is absent.
    #[serde(default)]
    pub components: Components,
    /// `apis`: every operation, by action name (e.g. `RejectVpcPeerConnection`).
    #[serde(deserialize_with = "unique_keys::deserialize")]
    pub apis: BTreeMap<String, Api>,
    /// `endpoints`: the host of each region (a region may be listed again with the same host);
    /// when empty, every region uses `<product>.aliyuncs.com`.
    #[serde(default)]
    pub endpoints: Vec<EndpointEntry>,
}

/// `info`: product, version and style.
#[derive(Debug, Deserialize)]
pub struct Info {
    /// The API style; the generator supports only `RPC`.
    pub style: String,
    /// The product code, e.g. `VpcPeer`; it must be an identifier.
    pub product: String,
    /// The API version, a date such as `2022-01-01`.
    pub version: String,
}

/// `components`: named schemas referenced with `$ref`.
#[derive(Debug, Default, Deserialize)]
pub struct Components {
    /// Schemas by name, referenced as `#/components/schemas/<name>`.
    #[serde(default, deserialize_with = "unique_keys::deserialize")]
    pub schemas: IndexMap<String, Schema>,
}

impl ApiDocs {
    /// The schema `schema` stands for: itself, or the component its `$ref` names (followed
    /// through references to references). A reference to nothing, or a loop of references,
    /// gives the last schema reached, which still has its `$ref` (validation reports those).
    pub fn resolve<'a>(&'a self, mut schema: &'a Schema) -> &'a Schema {
        for _ in 0..=self.components.schemas.len() {
            match schema.component().and_then(|name| self.components.schemas.get(name)) {
                Some(next) => schema = next,
                None => break,
            }
        }
        schema
    }
}

/// One entry of `endpoints`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointEntry {
    /// `regionId`: the region, e.g. `cn-qingdao`.
    pub region_id: String,
    /// The host that serves the region, e.g. `vpcpeer.aliyuncs.com`.
    pub endpoint: String,
}

/// One operation (`apis.<Action>`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Api {
    /// One-line Markdown summary of the operation; starts its rustdoc.
    pub summary: Option<String>,
    /// Longer Markdown description of the operation, appended to its rustdoc.
    pub description: Option<String>,
    /// Whether the metadata deprecates the operation (false when absent).
    #[serde(default)]
    pub deprecated: bool,
    /// `read`, `write` or `readAndWrite`.
    pub operation_type: Option<String>,
    /// The request parameters in spec order; a name may be declared more than once.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Response bodies by HTTP status as a string (e.g. `"200"`); only `200` may have a body
    /// (ECS documents a bodiless `201` beside it).
    #[serde(default, deserialize_with = "unique_keys::deserialize")]
    pub responses: BTreeMap<String, Response>,
    /// `errorCodes`: the documented error codes by HTTP status as a string (e.g. `"400"`; ECS
    /// has `"4003"`); a code may be listed under more than one status.
    #[serde(default, deserialize_with = "unique_keys::deserialize")]
    pub error_codes: BTreeMap<String, Vec<ErrorCode>>,
}

/// One request parameter.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Parameter {
    /// The wire name, e.g. `InstanceId`.
    pub name: String,
    /// `in`: where the parameter is sent, `query` or `formData` (the only ones RPC supports).
    #[serde(rename = "in")]
    pub location: String,
    /// How a list or object is written: `repeatList`, `flat`, `simple`, `spaceDelimited`,
    /// `pipeDelimited` or `json`; `None` is flat.
    pub style: Option<String>,
    /// The value type, with the `required` flag, the description and the example.
    pub schema: Schema,
}

/// A response by HTTP status.
#[derive(Debug, Deserialize)]
pub struct Response {
    /// The schema of the body (an object); `None` when the response documents no body.
    pub schema: Option<Schema>,
}

/// A documented error code.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCode {
    /// `errorCode`: the wire code, e.g. `IncorrectStatus.VpcPeer` (trimmed when lowered).
    pub error_code: String,
    /// `errorMessage`: the message template, e.g. `The status of %s [%s] is incorrect.`
    pub error_message: Option<String>,
}

/// A JSON-schema-like type description, with `required` inside the schema.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// `type`: `string`, `integer`, `number`, `boolean`, `array` or `object`; `None` for a `$ref`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Refines `type`: `int32` or `int64` for integers, `float` or `double` for numbers.
    pub format: Option<String>,
    /// Markdown description; becomes the rustdoc of the parameter or field.
    pub description: Option<String>,
    /// Short title, e.g. `RpcResponse<RejectVpcPeerResponse>`; the generator does not use it.
    pub title: Option<String>,
    /// Whether the parameter or property must be set (OpenMeta puts this in the schema itself).
    #[serde(default)]
    pub required: bool,
    /// Whether the metadata deprecates the parameter or property.
    #[serde(default)]
    pub deprecated: bool,
    /// An example value (usually a string), used in the generated doc examples.
    pub example: Option<serde_json::Value>,
    /// For an `array`: the schema of its items.
    pub items: Option<Box<Schema>>,
    /// For an `object`: its properties by wire name, in spec order.
    #[serde(default, deserialize_with = "unique_keys::optional")]
    pub properties: Option<IndexMap<String, Schema>>,
    /// `additionalProperties`: for an `object` without properties, whether it is a map and of
    /// what; an object with properties may only have `false` here.
    pub additional_properties: Option<AdditionalProperties>,
    /// `enum`: the valid values, listed in the rustdoc.
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<serde_json::Value>>,
    /// `enumValueTitles`: valid values with a title each; listed in the rustdoc when `enum` is
    /// absent and the description does not name them all.
    pub enum_value_titles: Option<IndexMap<String, serde_json::Value>>,
    /// `default`: the value the service assumes; stated in the rustdoc unless the description
    /// speaks of a default.
    pub default: Option<serde_json::Value>,
    /// `maxItems`: the most items an array may have; stated in the rustdoc (only an array may
    /// have it).
    pub max_items: Option<u64>,
    /// `minItems`: the fewest items an array may have; stated in the rustdoc when above 0 (only
    /// an array may have it, and not above `maxItems`).
    pub min_items: Option<u64>,
    /// `$ref`: `#/components/schemas/<name>` of a shared schema that gives the type.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
}

impl Schema {
    /// The name of the component its `$ref` points to (`#/components/schemas/<name>`).
    pub fn component(&self) -> Option<&str> {
        self.reference.as_deref()?.strip_prefix("#/components/schemas/")
    }
}

/// `additionalProperties`: a flag or the schema of the map values.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// `true` or `false`, with no value schema: an object without properties lowers to untyped
    /// JSON.
    Allowed(bool),
    /// The schema of every value: an object without properties lowers to a map with string keys.
    Values(Box<Schema>),
}
