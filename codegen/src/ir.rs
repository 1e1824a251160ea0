//! The typed intermediate representation the emitters read: a service, its operations with
//! their parameters (wire name, location, style, type), response shapes and error codes.
//! Names are already Rust names; docs are already rustdoc Markdown.

use std::collections::BTreeSet;

/// One product version.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// Product code, e.g. `VpcPeer`.
    pub product: String,
    /// API version, e.g. `2022-01-01`.
    pub version: String,
    /// Lower-case product code: the crate is `alibabacloud-<slug>`, the folder `generated/<slug>`.
    pub slug: String,
    /// The hosts that serve the service, from the spec's `endpoints`; becomes the client's
    /// `Endpoints`.
    pub endpoints: Endpoints,
    /// Sorted by action.
    pub operations: Vec<Operation>,
    /// Named structs used by parameters and responses, sorted by name.
    pub structs: Vec<Struct>,
}

impl Service {
    /// The structs a request's `build()` checks: those with a required field and those that
    /// hold one of them (directly or in a list), at any depth.
    pub fn checked_structs(&self) -> BTreeSet<&str> {
        let mut checked: BTreeSet<&str> =
            self.structs.iter().filter(|s| s.fields.iter().any(|f| f.required)).map(|s| s.name.as_str()).collect();
        loop {
            let holders: Vec<&str> = self
                .structs
                .iter()
                .filter(|s| !checked.contains(s.name.as_str()))
                .filter(|s| s.fields.iter().any(|f| f.ty.checked_struct(&checked).is_some()))
                .map(|s| s.name.as_str())
                .collect();
            if holders.is_empty() {
                return checked;
            }
            checked.extend(holders);
        }
    }
}

/// Where the service is reached.
#[derive(Clone, Debug, PartialEq)]
pub enum Endpoints {
    /// One host for every region.
    Central(String),
    /// `(region, host)` sorted by region.
    Regional(Vec<(String, String)>),
}

/// One API operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The wire `Action` and the type-name stem, e.g. `RejectVpcPeerConnection`.
    pub action: String,
    /// The client method and module name, e.g. `reject_vpc_peer_connection` (never a keyword:
    /// validation refuses an operation whose method would need `r#`).
    pub method: String,
    /// The spec's `summary` as rustdoc; starts the client method's and the module's docs. `None`
    /// when the spec has none (or nothing is left of it).
    pub summary: Option<String>,
    /// The spec's `description` as rustdoc, appended to the client method's doc; `None` when the
    /// spec has none (or nothing is left of it).
    pub description: Option<String>,
    /// The metadata deprecates the operation: the client method gets `#[deprecated]`.
    pub deprecated: bool,
    /// The metadata's `operationType` is `read`: repeating the call changes nothing.
    pub read_only: bool,
    /// Request parameters in spec order; a name declared twice is merged into one.
    pub params: Vec<Param>,
    /// Fields of the success body, in spec order.
    pub response: Vec<Field>,
    /// Documented error codes, sorted by code.
    pub errors: Vec<ErrorCode>,
    /// Waiters from the spec's `waiters.json`, sorted by name.
    pub waiters: Vec<Waiter>,
    /// Groups of optional parameters (wire names) of which a call needs at least one, from the
    /// spec's `one_of.json`.
    pub one_of: Vec<Vec<String>>,
}

impl Operation {
    /// The parameter of wire name `wire_name`.
    pub fn param(&self, wire_name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.wire_name == wire_name)
    }

    /// The `DryRun` parameter, when the operation has a boolean one.
    pub fn dry_run(&self) -> Option<&Param> {
        self.param("DryRun").filter(|p| p.ty == Type::Boolean)
    }

    /// The request's `NextToken` parameter and the response's `NextToken` field, when the
    /// operation pages its results with them (both strings).
    pub fn next_token(&self) -> Option<(&Param, &Field)> {
        let param = self.param("NextToken").filter(|p| p.ty == Type::String)?;
        let field = self.response.iter().find(|f| f.wire_name == "NextToken" && f.ty == Type::String)?;
        Some((param, field))
    }

    /// The response's one list field, when a paged operation's response has exactly one: the
    /// results that `into_pages().items()` gives one at a time.
    pub fn page_items(&self) -> Option<&Field> {
        self.next_token()?;
        let mut lists = self.response.iter().filter(|f| matches!(f.ty, Type::List(_)));
        let items = lists.next()?;
        lists.next().is_none().then_some(items)
    }

    /// The `ClientToken` parameter, when the operation has a string one: the runtime fills it
    /// when the caller does not, so that retries are idempotent.
    pub fn client_token(&self) -> Option<&Param> {
        self.param("ClientToken").filter(|p| p.ty == Type::String)
    }
}

/// A waiter: calls the operation until a response or error says the wanted state came (or
/// can no longer come), or its time is up.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// E.g. `Activated`; the builder method is `wait_until_<snake case>`.
    pub name: String,
    /// The builder method, e.g. `wait_until_activated`.
    pub method: String,
    /// Rustdoc of the method.
    pub summary: String,
    /// Seconds between two calls (at least 1).
    pub interval_seconds: u64,
    /// Seconds after which the wait gives up.
    pub timeout_seconds: u64,
    /// `(rust name, wire name)` of the top-level string field the values are looked for in.
    pub field: Option<(String, String)>,
    /// Field values that mean the wanted state came (the wait gives the response).
    pub success: Vec<String>,
    /// Field values that mean it can no longer come.
    pub failure: Vec<String>,
    /// Error codes that mean the wanted state came (the wait gives nothing).
    pub success_codes: Vec<String>,
    /// Error codes that mean it can no longer come.
    pub failure_codes: Vec<String>,
}

/// A request parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The name sent on the wire, e.g. `InstanceId`.
    pub wire_name: String,
    /// Field and setter name, e.g. `instance_id` (raw identifiers for keywords: `r#type`).
    pub rust_name: String,
    /// Whether it is sent in the query or the form body.
    pub location: Location,
    /// How a list or object value is written.
    pub style: Style,
    /// The value type of the request field and setter.
    pub ty: Type,
    /// The request field is `T` rather than `Option<T>`, `build()` refuses a request without it,
    /// and doc examples set it.
    pub required: bool,
    /// The metadata deprecates it: the field and setter docs say so.
    pub deprecated: bool,
    /// Rustdoc of the field and setter: the description, valid values and item limit; `None` when
    /// there are none.
    pub doc: Option<String>,
    /// The spec's example value (always a string in OpenMeta).
    pub example: Option<String>,
    /// The spec's `maxItems` for a list; the limit is also stated in `doc`.
    pub max_items: Option<u64>,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// In the URL query string (`in: query`).
    Query,
    /// In the form-encoded body (`in: formData`).
    Form,
}

/// How a parameter value is written (the runtime's `Style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// No style, `repeatList` or `flat`: `Name.N`, `Name.Field`.
    Flat,
    /// `simple` (`,`), `spaceDelimited` (` `) or `pipeDelimited` (`|`).
    Joined(&'static str),
    /// One compact JSON value.
    Json,
}

/// A value type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// `String`: a `string` schema, or one with an unknown or missing type.
    String,
    /// `i32`: an `integer` with format `int32`.
    Int32,
    /// `i64`: any other `integer`.
    Int64,
    /// `f32`: a `number` with format `float`.
    Float,
    /// `f64`: any other `number`.
    Double,
    /// `bool`: a `boolean`.
    Boolean,
    /// `Vec` of the item type: an `array`.
    List(Box<Type>),
    /// String keys to values.
    Map(Box<Type>),
    /// A named struct in `Service::structs`.
    Struct(String),
    /// Any JSON value (an object schema with no properties).
    Json,
}

impl Type {
    /// For a struct in `checked`, or a list of one: that struct.
    pub fn checked_struct<'a>(&self, checked: &BTreeSet<&'a str>) -> Option<&'a str> {
        match self {
            Type::Struct(name) => checked.get(name.as_str()).copied(),
            Type::List(item) if matches!(item.as_ref(), Type::Struct(_)) => item.checked_struct(checked),
            _ => None,
        }
    }
}

/// A struct field (response bodies and nested objects).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The JSON name, e.g. `RequestId`; serde renames the field when needed.
    pub wire_name: String,
    /// The field name, e.g. `request_id` (raw identifiers for keywords: `r#type`).
    pub rust_name: String,
    /// The value type; the generated field is an `Option` of it.
    pub ty: Type,
    /// The spec requires it in requests (a request's `build()` checks it; responses ignore it).
    pub required: bool,
    /// The metadata deprecates it: the field doc says so.
    pub deprecated: bool,
    /// Rustdoc of the field: the description, valid values and item limit; `None` when there are
    /// none.
    pub doc: Option<String>,
    /// The spec's example value as text; doc examples set string fields of objects from it.
    pub example: Option<String>,
}

/// A named struct shared by every place that holds the same fields under the same name.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// The type name in `types`, e.g. `Tag`: from the wire name of the places that hold it; of
    /// the shapes wanting one name, the most used gets it and the others are prefixed with the
    /// action.
    pub name: String,
    /// The fields in spec order.
    pub fields: Vec<Field>,
}

/// A documented error code of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorCode {
    /// The wire code, e.g. `IncorrectStatus.VpcPeer`.
    pub code: String,
    /// The enum variant, e.g. `IncorrectStatusVpcPeer`.
    pub variant: String,
    /// The spec's message, e.g. `The status of %s [%s] is incorrect.`; `None` when empty.
    pub message: Option<String>,
    /// The HTTP status the code is documented under (first), e.g. `400`.
    pub status: u16,
    /// The code's other documented (status, message) pairs, each once, in spec order: real
    /// specs list some codes under two statuses (`400` and `404`), or twice under one with
    /// different messages. The variant's rustdoc lists them all.
    pub also: Vec<(u16, Option<String>)>,
}
