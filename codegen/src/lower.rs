//! Lowers a validated spec into the IR: Rust names, rustdoc, parameter locations and
//! styles, value types, and one named struct per distinct object shape (its name and fields).

use crate::docs;
use crate::ir::{self, Endpoints, ErrorCode, Field, Location, Operation, Param, Service, Style, Type};
use crate::names::{self, UniqueNames};
use crate::spec::{AdditionalProperties, Api, ApiDocs, Schema};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Names that generated types must not take: they would shadow what the code uses.
const RESERVED_TYPE_NAMES: [&str; 16] = [
    "String",
    "Option",
    "Vec",
    "Box",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "HashMap",
];

/// How many times [`lower`] may lower the operations before it takes the last result.
const MAX_PASSES: usize = 8;

/// Lowers `docs`, which must have passed [`crate::validate::validate`].
///
/// The operations are lowered more than once. The first pass counts each object shape's uses,
/// so that of the shapes wanting one name (`Tag`) the most used gets it. Every pass finds the
/// fields of shared structs that the places describe differently, so that the next can
/// describe them where the struct is held; that can make the fields of an outer struct differ
/// in turn, so passes repeat until they find no new ones.
pub fn lower(docs: &ApiDocs) -> Service {
    let (mut varied, mut preferred, mut pass) = (BTreeSet::new(), HashMap::new(), 1);
    loop {
        let mut structs = StructRegistry::new(docs, varied, preferred);
        let operations = docs.apis.iter().map(|(action, api)| lower_operation(action, api, &mut structs)).collect();
        if (pass > 1 && structs.varied == structs.varied_before) || pass == MAX_PASSES {
            return Service {
                product: docs.info.product.clone(),
                version: docs.info.version.clone(),
                slug: docs.info.product.to_lowercase(),
                endpoints: endpoints(docs),
                operations,
                structs: structs.finish(),
            };
        }
        preferred = structs.preferred_names();
        varied = std::mem::take(&mut structs.varied);
        pass += 1;
    }
}

fn endpoints(docs: &ApiDocs) -> Endpoints {
    let mut by_region: BTreeMap<&str, &str> = BTreeMap::new();
    for entry in &docs.endpoints {
        by_region.entry(&entry.region_id).or_insert(&entry.endpoint);
    }
    let mut hosts: Vec<&str> = by_region.values().copied().collect();
    hosts.dedup();
    match hosts.as_slice() {
        [] => Endpoints::Central(format!("{}.aliyuncs.com", docs.info.product.to_lowercase())),
        [one] if by_region.values().all(|h| h == one) => Endpoints::Central((*one).to_owned()),
        _ => Endpoints::Regional(by_region.into_iter().map(|(r, h)| (r.to_owned(), h.to_owned())).collect()),
    }
}

fn lower_operation(action: &str, api: &Api, structs: &mut StructRegistry<'_>) -> Operation {
    let declared: Vec<_> = api
        .parameters
        .iter()
        .enumerate()
        .filter(|(i, p)| !api.parameters[..*i].iter().any(|first| first.name == p.name))
        .map(|(_, p)| p)
        .collect();
    let rust_names = names::field_names(declared.iter().map(|p| p.name.as_str()));
    let params = declared
        .into_iter()
        .zip(rust_names)
        .map(|(p, rust_name)| {
            let ty = structs.lower_type(&p.schema, &p.name, action);
            Param {
                wire_name: p.name.clone(),
                rust_name,
                location: if p.location == "query" { Location::Query } else { Location::Form },
                style: match p.style.as_deref() {
                    Some("simple") => Style::Joined(","),
                    Some("spaceDelimited") => Style::Joined(" "),
                    Some("pipeDelimited") => Style::Joined("|"),
                    Some("json") => Style::Json,
                    _ => Style::Flat,
                },
                // A parameter declared twice is required if either declaration says so.
                required: api.parameters.iter().any(|q| q.name == p.name && q.schema.required),
                deprecated: p.schema.deprecated,
                doc: structs.describe_holder(&p.schema, &ty),
                ty,
                example: p
                    .schema
                    .example
                    .as_ref()
                    .or(p.schema.items.as_ref().and_then(|i| i.example.as_ref()))
                    .and_then(example_of),
                max_items: p.schema.max_items,
            }
        })
        .collect();
    // Validation refuses a body under any other status.
    let response = api
        .responses
        .get("200")
        .and_then(|r| r.schema.as_ref())
        .map(|schema| structs.fields(structs.docs.resolve(schema), action))
        .unwrap_or_default();
    Operation {
        action: action.to_owned(),
        method: names::field_name(action),
        summary: api.summary.as_deref().and_then(docs::rustdoc),
        description: api.description.as_deref().and_then(docs::rustdoc),
        deprecated: api.deprecated,
        read_only: api.operation_type.as_deref() == Some("read"),
        params,
        response,
        errors: error_codes(api),
        waiters: Vec::new(),
        one_of: Vec::new(),
    }
}

/// The operation's error codes, one per wire code, with every status and message the spec
/// lists the code with: statuses in the order of their text (`"400"`, `"4003"`, `"403"`), as
/// the spec's map is read; codes in spec order within a status.
fn error_codes(api: &Api) -> Vec<ErrorCode> {
    let mut variants = UniqueNames::default();
    variants.claim("Unhandled".to_owned());
    let mut errors: Vec<ErrorCode> = Vec::new();
    // Validation refuses a status that is not a number.
    let statuses = api.error_codes.iter().filter_map(|(status, codes)| Some((status.parse::<u16>().ok()?, codes)));
    for (status, codes) in statuses {
        for code in codes {
            let wire = code.error_code.trim();
            let message = code.error_message.clone().filter(|m| !m.trim().is_empty());
            match errors.iter_mut().find(|e| e.code == wire) {
                Some(first) => {
                    let entry = (status, message);
                    if (first.status, &first.message) != (entry.0, &entry.1) && !first.also.contains(&entry) {
                        first.also.push(entry);
                    }
                }
                None => errors.push(ErrorCode {
                    code: wire.to_owned(),
                    variant: variants.claim(names::type_name(wire)),
                    message,
                    status,
                    also: Vec::new(),
                }),
            }
        }
    }
    errors
}

/// The rustdoc of a schema: its description (and its items' when they say more), its valid
/// values (`enum`, or `enumValueTitles` the description does not name), its default, and its
/// item limits (`minItems`, `maxItems`).
fn describe(schema: &Schema) -> Option<String> {
    let mut text = schema.description.as_deref().and_then(docs::rustdoc).unwrap_or_default();
    // A list's items often say more than the list (limits, notes, valid values).
    // (An item's text no longer than the list's is taken to say the same in the singular.)
    let item_text = schema.items.as_deref().and_then(describe).filter(|t| t.len() > text.len());
    if let Some(item_text) = item_text {
        if item_text.contains(text.as_str()) {
            text = item_text;
        } else {
            add_paragraph(&mut text, &item_text);
        }
    }
    // Valid values (`enum`, else `enumValueTitles`) that the description does not name yet.
    let values: Vec<(String, Option<String>)> = match (&schema.enum_values, &schema.enum_value_titles) {
        (Some(values), _) if !values.is_empty() => values.iter().map(|v| (example_text(v), None)).collect(),
        (_, Some(titles)) => titles
            .iter()
            .map(|(value, title)| {
                let title = title.as_str().map(str::trim).filter(|t| !t.is_empty() && t != value);
                // A title is prose like any description, kept on the one line.
                (value.clone(), title.and_then(docs::rustdoc).map(|t| t.replace('\n', " ")))
            })
            .collect(),
        _ => Vec::new(),
    };
    let unnamed: Vec<String> = values
        .iter()
        .filter(|(value, _)| !names_word(&text, value))
        .map(|(value, title)| match title {
            Some(title) => format!("{} ({title})", docs::code_span(value)),
            None => docs::code_span(value),
        })
        .collect();
    if !unnamed.is_empty() {
        let lead = if unnamed.len() == values.len() { "Valid values" } else { "Also valid" };
        add_paragraph(&mut text, &format!("{lead}: {}.", unnamed.join(", ")));
    }
    if let Some(default) = schema.default.as_ref().filter(|d| !d.is_null())
        && !text.to_lowercase().contains("default")
    {
        add_paragraph(&mut text, &format!("Default: {}.", docs::code_span(&example_text(default))));
    }
    if schema.kind.as_deref() == Some("array") {
        let limit = match (schema.min_items.filter(|&min| min > 0), schema.max_items) {
            (Some(min), Some(max)) if min == max => Some(format!("exactly {min}")),
            (Some(min), Some(max)) => Some(format!("{min} to {max}")),
            (Some(min), None) => Some(format!("at least {min}")),
            (None, Some(max)) => Some(format!("at most {max}")),
            (None, None) => None,
        };
        if let Some(limit) = limit {
            add_paragraph(&mut text, &format!("The API metadata allows {limit} items."));
        }
    }
    (!text.is_empty()).then_some(text)
}

/// Whether `text` names `word` as a word of its own: not inside a longer word or number
/// (`info` is not named by "information", `1` not by "10").
fn names_word(text: &str, word: &str) -> bool {
    let part_of_word = |c: char| c.is_alphanumeric() || c == '_';
    // A number goes on through a decimal point: "0.5" names neither `0` nor `5`.
    let digit_then_point = |s: &str| s.ends_with('.') && s[..s.len() - 1].ends_with(|c: char| c.is_ascii_digit());
    let point_then_digit = |s: &str| s.strip_prefix('.').is_some_and(|s| s.starts_with(|c: char| c.is_ascii_digit()));
    !word.is_empty()
        && text.match_indices(word).any(|(at, _)| {
            let (before, after) = (&text[..at], &text[at + word.len()..]);
            !before.ends_with(part_of_word)
                && !after.starts_with(part_of_word)
                && !digit_then_point(before)
                && !point_then_digit(after)
        })
}

/// Appends `paragraph` to `text`, a blank line between them.
fn add_paragraph(text: &mut String, paragraph: &str) {
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(paragraph);
}

/// An example value for doc examples; `None` for a placeholder that is a JSON path
/// (`$.parameters[15].schema…example`), not a value.
fn example_of(value: &serde_json::Value) -> Option<String> {
    // Some examples carry a stray line break (`"cn-shanghai\n"`).
    let text = example_text(value).trim().to_owned();
    (!docs::is_placeholder(&text)).then_some(text)
}

fn example_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The identity of an object shape: the name it wants (from where it is held: `AcceptingVpc`,
/// `Tag`) and its fields' wire names, types and whether required, sorted. Objects share a
/// struct only when both agree: the same fields under another name (`EgressRule` beside
/// `IngressRule`, a `Filter` of `Key` and `Value` beside a `Tag`) mean something else.
type Shape = (String, Vec<(String, Type, bool)>);

/// Names and de-duplicates object shapes: two objects that want the same name and have the
/// same fields (wire names, types and whether required, in any order) share one struct. A
/// field that the places describe differently gets a neutral description in the struct, and
/// each place that holds the struct states its own ([`Self::describe_holder`]).
///
/// Shapes are also known by their ordinal, the order in which they are first seen: a shape
/// holds the names of the structs inside it, which a pass may change, but every pass sees the
/// shapes in the same order.
struct StructRegistry<'a> {
    docs: &'a ApiDocs,
    /// The (shape ordinal, wire name) of fields described differently in different places:
    /// those found in this pass, and those found by the pass before ([`lower`]).
    varied: BTreeSet<(usize, String)>,
    varied_before: BTreeSet<(usize, String)>,
    /// By shape ordinal: the name the shape wants and how many objects have it.
    uses: Vec<(String, usize)>,
    /// For each wanted name, the ordinal of the shape that gets it (from the pass before).
    preferred: HashMap<String, usize>,
    by_shape: HashMap<Shape, String>,
    ordinal_of: HashMap<String, usize>,
    by_name: BTreeMap<String, Vec<Field>>,
    /// `$ref` targets already lowered, and those being lowered (to stop cycles).
    components: HashMap<String, Option<Type>>,
}

impl<'a> StructRegistry<'a> {
    fn new(docs: &'a ApiDocs, varied_before: BTreeSet<(usize, String)>, preferred: HashMap<String, usize>) -> Self {
        Self {
            docs,
            varied: BTreeSet::new(),
            varied_before,
            uses: Vec::new(),
            preferred,
            by_shape: HashMap::new(),
            ordinal_of: HashMap::new(),
            by_name: BTreeMap::new(),
            components: HashMap::new(),
        }
    }

    /// For each wanted name, the most used shape wanting it; a tie goes to the shape seen
    /// first, which had the name before shapes were counted.
    fn preferred_names(&self) -> HashMap<String, usize> {
        let mut best: HashMap<String, usize> = HashMap::new();
        for (ordinal, (name, uses)) in self.uses.iter().enumerate() {
            let current = best.entry(name.clone()).or_insert(ordinal);
            if *uses > self.uses[*current].1 {
                *current = ordinal;
            }
        }
        best
    }

    /// The rustdoc of a parameter or field of type `ty` described by `schema` ([`describe`]).
    /// When `ty` holds a shared struct (also in a list or map) with fields the places describe
    /// differently, this place's descriptions of those fields follow, as a list.
    fn describe_holder(&self, schema: &Schema, ty: &Type) -> Option<String> {
        let text = describe(schema);
        let Some((object, held)) = self.held_struct(schema, ty) else {
            return text;
        };
        let Some(&ordinal) = self.ordinal_of.get(held) else {
            return text;
        };
        let held_fields = self.by_name.get(held).map(Vec::as_slice).unwrap_or_default();
        let fields: Vec<String> = object
            .properties
            .iter()
            .flatten()
            .filter(|(wire, _)| self.varied_before.contains(&(ordinal, (*wire).clone())))
            .map(|(wire, property)| {
                let field_ty = held_fields.iter().find(|f| f.wire_name == **wire).map_or(&Type::Json, |f| &f.ty);
                let doc = self.describe_holder(property, field_ty).unwrap_or_else(|| "(not described)".to_owned());
                let doc = doc.replace('\n', "\n  ").replace("\n  \n", "\n\n");
                // A description that opens with a block (a note, a list) starts its own paragraph.
                let block = doc.starts_with(['>', '|', '#']) || doc.starts_with("```") || docs::is_list_item(&doc);
                let separator = if block { "\n\n  " } else { " " };
                format!("- `{wire}`:{separator}{doc}")
            })
            .collect();
        if fields.is_empty() {
            return text;
        }
        Some(match text {
            Some(text) => format!("{text}\n\nHere, its fields are:\n\n{}", fields.join("\n")),
            // Undescribed, it is described by its fields (a sentence, for the summary line).
            None => {
                let (what, its) = match ty {
                    Type::Struct(_) => (format!("The `{held}` object."), "Its"),
                    Type::Map(_) => (format!("A map of `{held}` objects."), "Their"),
                    _ => (format!("A list of `{held}` objects."), "Their"),
                };
                format!("{what} {its} fields here are:\n\n{}", fields.join("\n"))
            }
        })
    }

    /// The struct that `ty` holds (directly, or as the items of lists and maps), with the
    /// object schema that describes it here.
    fn held_struct<'s>(&'s self, schema: &'s Schema, ty: &'s Type) -> Option<(&'s Schema, &'s str)> {
        let schema = self.docs.resolve(schema);
        match ty {
            Type::Struct(name) => Some((schema, name)),
            Type::List(item) => self.held_struct(schema.items.as_deref()?, item),
            Type::Map(value) => match &schema.additional_properties {
                Some(AdditionalProperties::Values(values)) => self.held_struct(values, value),
                _ => None,
            },
            _ => None,
        }
    }

    fn finish(self) -> Vec<ir::Struct> {
        self.by_name.into_iter().map(|(name, fields)| ir::Struct { name, fields }).collect()
    }

    /// The type of `schema`; `hint` names structs found inside it, `owner` disambiguates.
    fn lower_type(&mut self, schema: &Schema, hint: &str, owner: &str) -> Type {
        if let Some(name) = schema.component() {
            return self.component(name, owner);
        }
        match (schema.kind.as_deref(), schema.format.as_deref()) {
            (Some("integer"), Some("int32")) => Type::Int32,
            (Some("integer"), _) => Type::Int64,
            (Some("number"), Some("float")) => Type::Float,
            (Some("number"), _) => Type::Double,
            (Some("boolean"), _) => Type::Boolean,
            (Some("array"), _) => match &schema.items {
                Some(items) => Type::List(Box::new(self.lower_type(items, &names::singular(hint), owner))),
                None => Type::List(Box::new(Type::Json)),
            },
            (Some("object"), _) => self.object(schema, hint, owner),
            _ => Type::String,
        }
    }

    fn object(&mut self, schema: &Schema, hint: &str, owner: &str) -> Type {
        match (&schema.properties, &schema.additional_properties) {
            (Some(properties), _) if !properties.is_empty() => {
                let fields = self.fields(schema, owner);
                Type::Struct(self.intern(hint, owner, fields))
            }
            (_, Some(AdditionalProperties::Values(values))) => {
                Type::Map(Box::new(self.lower_type(values, &names::singular(hint), owner)))
            }
            _ => Type::Json,
        }
    }

    /// The fields of an object schema, in spec order.
    fn fields(&mut self, schema: &Schema, owner: &str) -> Vec<Field> {
        let properties: Vec<_> = schema.properties.iter().flatten().collect();
        let rust_names = names::field_names(properties.iter().map(|(wire, _)| wire.as_str()));
        properties
            .into_iter()
            .zip(rust_names)
            .map(|((wire, property), rust_name)| {
                let ty = self.lower_type(property, wire, owner);
                Field {
                    wire_name: wire.clone(),
                    rust_name,
                    required: property.required,
                    deprecated: property.deprecated,
                    doc: self.describe_holder(property, &ty),
                    ty,
                    example: property.example.as_ref().and_then(example_of),
                }
            })
            .collect()
    }

    fn component(&mut self, name: &str, owner: &str) -> Type {
        match self.components.get(name) {
            Some(Some(ty)) => return ty.clone(),
            // A schema that contains itself, which validation refuses: stop at the cycle.
            Some(None) => return Type::Json,
            None => {}
        }
        self.components.insert(name.to_owned(), None);
        let docs = self.docs;
        let ty = match docs.components.schemas.get(name) {
            Some(schema) => self.lower_type(schema, name, owner),
            None => Type::Json,
        };
        self.components.insert(name.to_owned(), Some(ty.clone()));
        ty
    }

    fn intern(&mut self, hint: &str, owner: &str, fields: Vec<Field>) -> String {
        let plain = names::type_name(hint);
        let mut fields_key: Vec<(String, Type, bool)> =
            fields.iter().map(|f| (f.wire_name.clone(), f.ty.clone(), f.required)).collect();
        fields_key.sort();
        let shape: Shape = (plain.clone(), fields_key);
        if let Some(name) = self.by_shape.get(&shape) {
            let ordinal = self.ordinal_of[name];
            self.uses[ordinal].1 += 1;
            // One struct serves every object of this shape; a field whose description differs
            // between them gets a neutral one rather than the first object's.
            for kept in self.by_name.get_mut(name).into_iter().flatten() {
                let doc = fields.iter().find(|f| f.wire_name == kept.wire_name).and_then(|f| f.doc.as_ref());
                if kept.doc.as_ref() != doc {
                    kept.doc = Some(format!(
                        "`{}`. Its meaning depends on where this object is used: see the parameter or field that holds it.",
                        kept.wire_name
                    ));
                    self.varied.insert((ordinal, kept.wire_name.clone()));
                }
            }
            return name.clone();
        }
        let ordinal = self.uses.len();
        self.uses.push((plain.clone(), 1));
        let candidates = [plain.clone(), format!("{owner}{plain}")];
        let reserved_for_another = self.preferred.get(&plain).is_some_and(|preferred| *preferred != ordinal);
        let taken = |n: &String| {
            self.by_name.contains_key(n)
                || RESERVED_TYPE_NAMES.contains(&n.as_str())
                || (reserved_for_another && *n == plain)
        };
        let free = |n: &String| !taken(n);
        let name = match candidates.iter().find(|n| free(n)) {
            Some(name) => name.clone(),
            None => (2..).map(|i| format!("{owner}{plain}{i}")).find(|n| free(n)).unwrap_or(plain),
        };
        self.by_shape.insert(shape, name.clone());
        self.ordinal_of.insert(name.clone(), ordinal);
        self.by_name.insert(name.clone(), fields);
        name
    }
}
