//! Checks a parsed spec for everything the generator cannot express, collecting every
//! problem (not just the first) with its operation, parameter and JSON path. Lowering
//! assumes a spec that passed.

use crate::error::{self, SpecProblem};
use crate::names;
use crate::spec::{AdditionalProperties, ApiDocs, Schema};
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

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
        Self { path: error::with_key(&self.path, key), ..self.clone() }
    }

    fn index(&self, index: usize) -> Self {
        Self { path: format!("{}[{index}]", self.path), ..self.clone() }
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
    if !is_date(&docs.info.version) {
        let version = &docs.info.version;
        problems.push(info.child("version").problem(format!("version `{version}` is not a date (YYYY-MM-DD)")));
    }
    if docs.apis.is_empty() {
        problems.push(root.child("apis").problem("the spec has no operations"));
    }
    check_endpoints(docs, &root, &mut problems);
    for (name, schema) in &docs.components.schemas {
        check_schema(docs, schema, &root.child("components").child("schemas").child(name), &mut problems);
    }
    check_loops(docs, &root, &mut problems);
    let mut methods = BTreeMap::new();
    for (action, api) in &docs.apis {
        let at = At { operation: Some(action), ..root.child("apis").child(action) };
        if !is_identifier(action) {
            problems.push(at.problem(format!("operation name `{action}` is not an identifier")));
        } else if let Some(problem) = check_operation_names(action, &mut methods) {
            problems.push(at.problem(problem));
        }
        for (i, param) in api.parameters.iter().enumerate() {
            let at = At { parameter: Some(&param.name), ..at.child("parameters").index(i) };
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
                if status != "200" {
                    let msg = format!("only the body of the `200` response is read, not one under `{status}`");
                    problems.push(at.problem(msg));
                }
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
                    problems.push(at.index(i).child("errorCode").problem("error code is empty"));
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
    if kind == "array" {
        if let (Some(min), Some(max)) = (schema.min_items, schema.max_items)
            && min > max
        {
            problems.push(at.child("minItems").problem(format!("`minItems` {min} is above `maxItems` {max}")));
        }
    } else {
        for (key, limit) in [("minItems", schema.min_items), ("maxItems", schema.max_items)] {
            if limit.is_some() {
                problems.push(at.child(key).problem(format!("`{key}` is for an array, not a value of type `{kind}`")));
            }
        }
    }
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
            let has_properties = schema.properties.as_ref().is_some_and(|p| !p.is_empty());
            let at_more = at.child("additionalProperties");
            match &schema.additional_properties {
                Some(AdditionalProperties::Allowed(true) | AdditionalProperties::Values(_)) if has_properties => {
                    let msg = "an object with both `properties` and `additionalProperties` is not supported \
                               (its struct would drop the other keys)";
                    problems.push(at_more.problem(msg));
                }
                Some(AdditionalProperties::Values(values)) => check_schema(docs, values, &at_more, problems),
                _ => {}
            }
        }
        other => problems.push(at.child("type").problem(format!("type `{other}` is not supported"))),
    }
}

/// Whether two schemas put the same thing on the wire: the same type, format, reference and
/// map values, at every depth (descriptions, examples and `required` may differ).
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
    let same_map = match (&a.additional_properties, &b.additional_properties) {
        (Some(AdditionalProperties::Values(a)), Some(AdditionalProperties::Values(b))) => same_wire_form(a, b),
        (a, b) => a == b,
    };
    a.kind == b.kind && a.format == b.format && a.reference == b.reference && same_items && same_properties && same_map
}

/// Checks `endpoints`: region ids and hosts that can be named in a URL, and one host per region.
fn check_endpoints(docs: &ApiDocs, root: &At<'_>, problems: &mut Vec<SpecProblem>) {
    let mut hosts: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for (i, entry) in docs.endpoints.iter().enumerate() {
        let at = root.child("endpoints").index(i);
        let (region, host) = (entry.region_id.as_str(), entry.endpoint.as_str());
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            let msg = format!("region `{region}` is not a region id (letters, digits and hyphens)");
            problems.push(at.child("regionId").problem(msg));
        }
        if !host
            .split('.')
            .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        {
            let msg =
                format!("endpoint `{host}` is not a host name (labels of letters, digits and hyphens, joined by dots)");
            problems.push(at.child("endpoint").problem(msg));
        }
        match hosts.get(region) {
            Some(&(first, first_host)) if first_host != host => problems.push(at.problem(format!(
                "region `{region}` has the host `{first_host}` at `endpoints[{first}]` and `{host}` here"
            ))),
            Some(_) => {}
            None => {
                hosts.insert(region, (i, host));
            }
        }
    }
}

/// The `$ref`s inside `schema`, with where each is, in spec order; references are not followed.
fn references<'a>(schema: &'a Schema, at: At<'a>, found: &mut Vec<(At<'a>, &'a str)>) {
    if schema.reference.is_some() {
        found.extend(schema.component().map(|target| (at.child("$ref"), target)));
        return;
    }
    if let Some(items) = &schema.items {
        references(items, at.child("items"), found);
    }
    for (name, property) in schema.properties.iter().flatten() {
        references(property, at.child("properties").child(name), found);
    }
    if let Some(AdditionalProperties::Values(values)) = &schema.additional_properties {
        references(values, at.child("additionalProperties"), found);
    }
}

/// Reports each component that leads back to itself through references: a loop of bare
/// references (`A` is `$ref` `B`, `B` is `$ref` `A`) that never reaches a type, or a schema
/// that contains itself (a property or item of `A` is `A`), which no struct can express.
/// Each is reported once, at its first reference that leads back.
fn check_loops(docs: &ApiDocs, root: &At<'_>, problems: &mut Vec<SpecProblem>) {
    let schemas = &docs.components.schemas;
    let at = root.child("components").child("schemas");
    let edges: IndexMap<&str, Vec<(At<'_>, &str)>> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut found = Vec::new();
            references(schema, at.child(name), &mut found);
            (name.as_str(), found)
        })
        .collect();
    for (&name, found) in &edges {
        let Some((at, route)) = found.iter().find_map(|(at, target)| Some((at, route(&edges, target, name)?))) else {
            continue;
        };
        let chain: Vec<&str> = std::iter::once(name).chain(route).collect();
        let message = if chain.iter().all(|c| schemas.get(*c).is_some_and(|s| s.reference.is_some())) {
            format!("a loop of references that never reaches a type ({})", chain.join(" → "))
        } else {
            format!("`{name}` contains itself ({}): a recursive schema is not supported", chain.join(" → "))
        };
        problems.push(at.problem(message));
    }
}

/// The components from `from` to `to` (both included) through references; `None` when `to`
/// cannot be reached. Each component is entered once.
fn route<'a>(edges: &IndexMap<&'a str, Vec<(At<'_>, &'a str)>>, from: &'a str, to: &str) -> Option<Vec<&'a str>> {
    let mut came_from: HashMap<&str, &str> = HashMap::new();
    let mut seen = BTreeSet::from([from]);
    let mut queue = VecDeque::from([from]);
    while let Some(current) = queue.pop_front() {
        if current == to {
            let mut route = vec![current];
            while let Some(&previous) = route.last().and_then(|last| came_from.get(last)) {
                route.push(previous);
            }
            route.reverse();
            return Some(route);
        }
        for (_, next) in edges.get(current).into_iter().flatten() {
            if seen.insert(next) {
                came_from.insert(next, current);
                queue.push_back(next);
            }
        }
    }
    None
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

/// Whether `text` is a date `YYYY-MM-DD`, as OpenMeta versions are (`2022-01-01`).
fn is_date(text: &str) -> bool {
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [year, month, day] if digits(year, 4) && digits(month, 2) && digits(day, 2) => {
            matches!(month.parse::<u8>(), Ok(1..=12)) && matches!(day.parse::<u8>(), Ok(1..=31))
        }
        _ => false,
    }
}

fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_wire_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
