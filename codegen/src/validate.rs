//! Checks a parsed spec for everything the generator cannot express, collecting every
//! problem (not just the first) with its operation, parameter and JSON path. Lowering
//! assumes a spec that passed.

use crate::error::SpecProblem;
use crate::names;
use crate::spec::{AdditionalProperties, ApiDocs, Schema};
use std::collections::BTreeMap;

/// Parameter styles the generator supports.
pub const STYLES: [&str; 6] = ["repeatList", "flat", "simple", "json", "spaceDelimited", "pipeDelimited"];

/// Where a problem is: operation, parameter and JSON path.
#[derive(Clone)]
struct At<'a> {
    operation: Option<&'a str>,
    parameter: Option<&'a str>,
    path: String,
}

impl At<'_> {
    fn child(&self, key: &str) -> Self {
        let path = if key.starts_with('[') || self.path.is_empty() {
            format!("{}{key}", self.path)
        } else {
            format!("{}.{key}", self.path)
        };
        Self { path, ..self.clone() }
    }

    fn problem(&self, message: impl Into<String>) -> SpecProblem {
        SpecProblem {
            json_path: self.path.clone(),
            operation: self.operation.map(str::to_owned),
            parameter: self.parameter.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// All problems in `docs`; empty when it can be generated.
pub fn validate(docs: &ApiDocs) -> Vec<SpecProblem> {
    let mut problems = Vec::new();
    let root = At { operation: None, parameter: None, path: String::new() };
    let info = root.child("info");
    if docs.info.style != "RPC" {
        problems.push(info.child("style").problem(format!("style `{}` is not supported (only RPC)", docs.info.style)));
    }
    if !is_identifier(&docs.info.product) {
        problems.push(info.child("product").problem(format!("product `{}` is not an identifier", docs.info.product)));
    }
    if docs.info.version.is_empty() {
        problems.push(info.child("version").problem("version is empty"));
    }
    if docs.apis.is_empty() {
        problems.push(root.child("apis").problem("the spec has no operations"));
    }
    for (name, schema) in &docs.components.schemas {
        check_schema(docs, schema, &root.child("components").child("schemas").child(name), &mut problems);
    }
    let mut methods = BTreeMap::new();
    for (action, api) in &docs.apis {
        let at = At { operation: Some(action), ..root.child("apis").child(action) };
        if !is_identifier(action) {
            problems.push(at.problem(format!("operation name `{action}` is not an identifier")));
        } else if let Some(problem) = check_operation_names(action, &mut methods) {
            problems.push(at.problem(problem));
        }
        for (i, param) in api.parameters.iter().enumerate() {
            let at = At { parameter: Some(&param.name), ..at.child("parameters").child(&format!("[{i}]")) };
            if !is_wire_name(&param.name) {
                problems.push(at.child("name").problem(format!("parameter name `{}` is not a wire name", param.name)));
            }
            match api.parameters[..i].iter().find(|p| p.name == param.name) {
                // Real specs repeat some declarations (differing in docs or `required`); they
                // are merged as long as the wire form is the same.
                Some(first)
                    if first.location == param.location
                        && first.style == param.style
                        && same_wire_form(&first.schema, &param.schema) =>
                {
                    continue;
                }
                Some(_) => problems.push(
                    at.child("name").problem("parameter is declared twice with a different location, style or type"),
                ),
                None => {}
            }
            if !matches!(param.location.as_str(), "query" | "formData") {
                let msg =
                    format!("location `{}` is not supported for RPC (only `query` and `formData`)", param.location);
                problems.push(at.child("in").problem(msg));
            }
            check_style(docs, param.style.as_deref(), &param.schema, &at, &mut problems);
            check_schema(docs, &param.schema, &at.child("schema"), &mut problems);
        }
        for (status, response) in &api.responses {
            let at = at.child("responses").child(status);
            if let Some(schema) = &response.schema {
                let at = at.child("schema");
                if docs.resolve(schema).kind.as_deref().is_some_and(|k| k != "object") {
                    problems.push(at.child("type").problem("a response body must be an object"));
                }
                check_schema(docs, schema, &at, &mut problems);
            }
        }
        for (status, codes) in &api.error_codes {
            let at = at.child("errorCodes").child(status);
            if status.parse::<u16>().is_err() {
                problems.push(at.problem(format!("`{status}` is not a status number")));
            }
            for (i, code) in codes.iter().enumerate() {
                if code.error_code.trim().is_empty() {
                    problems.push(at.child(&format!("[{i}]")).child("errorCode").problem("error code is empty"));
                }
            }
        }
    }
    problems
}

fn check_style(docs: &ApiDocs, style: Option<&str>, schema: &Schema, at: &At<'_>, problems: &mut Vec<SpecProblem>) {
    let Some(style) = style else { return };
    let schema = docs.resolve(schema);
    let kind = schema.kind.as_deref().unwrap_or(if schema.reference.is_some() { "object" } else { "" });
    let fits = match style {
        "repeatList" | "simple" | "spaceDelimited" | "pipeDelimited" => kind == "array",
        "flat" => matches!(kind, "array" | "object"),
        "json" => true,
        _ => {
            problems.push(
                at.child("style").problem(format!("style `{style}` is not supported (known: {})", STYLES.join(", "))),
            );
            return;
        }
    };
    if !fits {
        problems.push(at.child("style").problem(format!("style `{style}` does not fit a value of type `{kind}`")));
    }
    if matches!(style, "simple" | "spaceDelimited" | "pipeDelimited")
        && schema
            .items
            .as_ref()
            .is_some_and(|items| matches!(docs.resolve(items).kind.as_deref(), Some("array" | "object")))
    {
        problems
            .push(at.child("style").problem(format!("style `{style}` joins scalars, but the items are not scalars")));
    }
}

fn check_schema(docs: &ApiDocs, schema: &Schema, at: &At<'_>, problems: &mut Vec<SpecProblem>) {
    if let Some(reference) = &schema.reference {
        if !schema.component().is_some_and(|n| docs.components.schemas.contains_key(n)) {
            problems
                .push(at.child("$ref").problem(format!("`{reference}` does not name a schema in components.schemas")));
        }
        return;
    }
    let Some(kind) = schema.kind.as_deref() else {
        problems.push(at.child("type").problem("schema has neither `type` nor `$ref`"));
        return;
    };
    let format = schema.format.as_deref();
    match kind {
        "string" | "boolean" => {}
        "integer" if matches!(format, None | Some("int32" | "int64")) => {}
        "number" if matches!(format, None | Some("float" | "double")) => {}
        "integer" | "number" => {
            let format = format.unwrap_or_default();
            problems.push(at.child("format").problem(format!("format `{format}` is not supported for `{kind}`")));
        }
        "array" => match &schema.items {
            Some(items) => check_schema(docs, items, &at.child("items"), problems),
            None => problems.push(at.child("items").problem("an array needs `items`")),
        },
        "object" => {
            for (name, property) in schema.properties.iter().flatten() {
                if !is_wire_name(name) {
                    problems.push(
                        at.child("properties")
                            .child(name)
                            .problem(format!("property name `{name}` is not a wire name")),
                    );
                }
                check_schema(docs, property, &at.child("properties").child(name), problems);
            }
            if let Some(AdditionalProperties::Values(values)) = &schema.additional_properties {
                check_schema(docs, values, &at.child("additionalProperties"), problems);
            }
        }
        other => problems.push(at.child("type").problem(format!("type `{other}` is not supported"))),
    }
}

/// Whether two schemas put the same thing on the wire: the same type, format and reference,
/// at every depth (descriptions, examples and `required` may differ).
fn same_wire_form(a: &Schema, b: &Schema) -> bool {
    let same_items = match (&a.items, &b.items) {
        (Some(a), Some(b)) => same_wire_form(a, b),
        (a, b) => a.is_none() && b.is_none(),
    };
    let same_properties = match (&a.properties, &b.properties) {
        (Some(a), Some(b)) => {
            a.len() == b.len() && a.iter().all(|(name, a)| b.get(name).is_some_and(|b| same_wire_form(a, b)))
        }
        (a, b) => a.is_none() && b.is_none(),
    };
    a.kind == b.kind && a.format == b.format && a.reference == b.reference && same_items && same_properties
}

/// Methods every generated `Client` has.
const CLIENT_METHODS: [&str; 3] = ["new", "with_overrides", "send_request"];

/// The runtime prelude's names that end like the types of an operation (`{Action}Error`…):
/// an operation's own type of that name would hide the prelude's in its module.
const PRELUDE_TYPES: [&str; 3] = ["BuildError", "SdkError", "ServiceError"];

/// Why operation `action` cannot have its `Client` method, module and types, if it cannot:
/// `methods` holds the method names (and their operations) taken so far.
fn check_operation_names<'a>(action: &'a str, methods: &mut BTreeMap<String, &'a str>) -> Option<String> {
    let method = names::field_name(action);
    if let Some(first) = methods.get(&method) {
        return Some(format!("operations `{first}` and `{action}` would both be the method `{method}`"));
    }
    methods.insert(method.clone(), action);
    if method.starts_with("r#") || CLIENT_METHODS.contains(&method.as_str()) {
        return Some(format!("operation `{action}` would be the method `{method}`, which a client cannot have"));
    }
    let types = ["Request", "Builder", "Response", "Error"].map(|suffix| format!("{action}{suffix}"));
    types
        .iter()
        .find(|name| PRELUDE_TYPES.contains(&name.as_str()))
        .map(|name| format!("operation `{action}` would define `{name}`, which hides the runtime's type of that name"))
}

fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_wire_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
