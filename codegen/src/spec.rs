//! The OpenMeta `api-docs.json` input format, as serde types. Only the keys the generator
//! reads are declared; unknown keys are ignored at every level.

use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole `api-docs.json` file.
#[derive(Debug, Deserialize)]
pub struct ApiDocs {
    pub info: Info,
    #[serde(default)]
    pub components: Components,
    pub apis: BTreeMap<String, Api>,
    #[serde(default)]
    pub endpoints: Vec<EndpointEntry>,
}

/// `info`: product, version and style.
#[derive(Debug, Deserialize)]
pub struct Info {
    pub style: String,
    pub product: String,
    pub version: String,
}

/// `components`: named schemas referenced with `$ref`.
#[derive(Debug, Default, Deserialize)]
pub struct Components {
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
}

/// One entry of `endpoints`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointEntry {
    pub region_id: String,
    pub endpoint: String,
}

/// One operation (`apis.<Action>`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Api {
    pub summary: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    /// `read`, `write` or `readAndWrite`.
    pub operation_type: Option<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    #[serde(default)]
    pub error_codes: BTreeMap<String, Vec<ErrorCode>>,
}

/// One request parameter.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    pub style: Option<String>,
    pub schema: Schema,
}

/// A response by HTTP status.
#[derive(Debug, Deserialize)]
pub struct Response {
    pub schema: Option<Schema>,
}

/// A documented error code.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCode {
    pub error_code: String,
    pub error_message: Option<String>,
}

/// A JSON-schema-like type description, with `required` inside the schema.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub format: Option<String>,
    pub description: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub example: Option<serde_json::Value>,
    pub items: Option<Box<Schema>>,
    pub properties: Option<IndexMap<String, Schema>>,
    pub additional_properties: Option<AdditionalProperties>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<serde_json::Value>>,
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
}

/// `additionalProperties`: a flag or the schema of the map values.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    Allowed(bool),
    Values(Box<Schema>),
}
