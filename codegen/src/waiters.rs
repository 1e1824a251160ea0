//! Waiters, which OpenMeta does not describe: read from the `waiters.json` beside a spec,
//! checked against the lowered operations, and attached to them.
//!
//! The file maps an operation to its waiters by name:
//!
//! ```json
//! {"GetVpcPeerConnectionAttribute": {
//!   "Activated": {
//!     "summary": "Waits until the VPC peering connection is `Activated`.",
//!     "interval_seconds": 5, "timeout_seconds": 300,
//!     "field": "Status", "success": ["Activated"], "failure": ["Rejected", "Expired"],
//!     "failure_codes": ["ResourceNotFound.InstanceId"]},
//!   "Deleted": {
//!     "summary": "Waits until the VPC peering connection is gone.",
//!     "interval_seconds": 5, "timeout_seconds": 300,
//!     "success_codes": ["ResourceNotFound.InstanceId"]}}}
//! ```
//!
//! `success` and `failure` are values of `field`, a top-level string field of the response;
//! `success_codes` and `failure_codes` are documented error codes of the operation. The wanted
//! state is either field values (the wait gives the response) or error codes (it gives
//! nothing), not both.

use crate::error::{Error, SpecProblem};
use crate::ir::{Operation, Service, Type, Waiter};
use crate::names;
use crate::unique_keys;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The file name, beside `api-docs.json`.
pub const FILE_NAME: &str = "waiters.json";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiterSpec {
    summary: String,
    interval_seconds: u64,
    timeout_seconds: u64,
    field: Option<String>,
    #[serde(default)]
    success: Vec<String>,
    #[serde(default)]
    failure: Vec<String>,
    #[serde(default)]
    success_codes: Vec<String>,
    #[serde(default)]
    failure_codes: Vec<String>,
}

/// The whole file: each operation's waiters by name.
#[derive(Deserialize)]
#[serde(transparent)]
struct WaitersFile(#[serde(deserialize_with = "unique_keys::deserialize")] BTreeMap<String, OperationWaiters>);

/// One operation's waiters by name.
#[derive(Deserialize)]
#[serde(transparent)]
struct OperationWaiters(#[serde(deserialize_with = "unique_keys::deserialize")] BTreeMap<String, WaiterSpec>);

/// Reads the waiters file at `path`, checks it against `service` and attaches its waiters.
/// Every problem names its JSON path.
pub fn attach(service: &mut Service, path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let WaitersFile(file) = crate::parse_json(path, bytes)?;
    let mut problems = Vec::new();
    for (action, OperationWaiters(waiters)) in file {
        let Some(op) = service.operations.iter_mut().find(|op| op.action == action) else {
            problems.push(problem(&action, &action, "no operation of this name in the spec"));
            continue;
        };
        for (name, spec) in waiters {
            let found_before = problems.len();
            check(op, &name, &spec, &mut problems);
            if problems.len() == found_before {
                op.waiters.push(lower(op, name, spec));
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(Error::Spec { file: path.to_owned(), problems }) }
}

/// A problem of the waiters of `action`; the JSON path names the waiter.
fn problem(action: &str, json_path: &str, message: &str) -> SpecProblem {
    SpecProblem {
        json_path: json_path.to_owned(),
        operation: Some(action.to_owned()),
        parameter: None,
        message: message.to_owned(),
    }
}

fn check(op: &Operation, name: &str, spec: &WaiterSpec, problems: &mut Vec<SpecProblem>) {
    let at = format!("{}.{name}", op.action);
    let mut report = |path: &str, message: String| problems.push(problem(&op.action, path, &message));
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        report(&at, "a waiter name is PascalCase letters and digits, e.g. `Activated`".to_owned());
    }
    let method = method_name(name);
    if let Some(other) = op.waiters.iter().find(|w| w.method == method) {
        report(&at, format!("`{name}` and `{}` both become the method `{method}`", other.name));
    }
    if let Some(param) = op.params.iter().find(|p| p.rust_name == method) {
        report(&at, format!("the method `{method}` is the setter of the parameter `{}`", param.wire_name));
    }
    if spec.summary.trim().is_empty() {
        report(&format!("{at}.summary"), "the summary is empty".to_owned());
    }
    if spec.interval_seconds == 0 || spec.interval_seconds > spec.timeout_seconds {
        report(
            &format!("{at}.interval_seconds"),
            format!("must be at least 1 and at most timeout_seconds ({})", spec.timeout_seconds),
        );
    }
    let has_values = !spec.success.is_empty() || !spec.failure.is_empty();
    match (&spec.field, has_values) {
        (Some(field), true) => match op.response.iter().find(|f| &f.wire_name == field).map(|f| &f.ty) {
            None => report(&format!("{at}.field"), format!("`{field}` is not a top-level response field")),
            Some(Type::String) => {}
            Some(_) => report(&format!("{at}.field"), format!("`{field}` is not a string field")),
        },
        (Some(_), false) => report(&format!("{at}.field"), "a field needs success or failure values".to_owned()),
        (None, true) => report(&format!("{at}.field"), "success and failure values need the field".to_owned()),
        (None, false) => {}
    }
    for (part, codes) in [("success_codes", &spec.success_codes), ("failure_codes", &spec.failure_codes)] {
        for (i, code) in codes.iter().enumerate() {
            if !op.errors.iter().any(|e| &e.code == code) {
                report(
                    &format!("{at}.{part}[{i}]"),
                    format!("`{code}` is not a documented error code of the operation"),
                );
            }
        }
    }
    if spec.success.is_empty() == spec.success_codes.is_empty() {
        report(&at, "the wanted state is either `success` values or `success_codes`, exactly one of them".to_owned());
    }
    let overlap = |a: &[String], b: &[String]| a.iter().find(|x| b.contains(x)).cloned();
    if let Some(both) =
        overlap(&spec.success, &spec.failure).or_else(|| overlap(&spec.success_codes, &spec.failure_codes))
    {
        report(&at, format!("`{both}` is both success and failure"));
    }
}

/// The builder method of waiter `name` (PascalCase, checked): `wait_until_` and its words as
/// field names have them (`IPv6Ready` → `wait_until_ipv6_ready`). Keywords need no escape
/// after the prefix (`Final` → `wait_until_final`).
fn method_name(name: &str) -> String {
    format!("wait_until_{}", names::snake_case(name))
}

fn lower(op: &Operation, name: String, spec: WaiterSpec) -> Waiter {
    let field = spec
        .field
        .and_then(|wire| op.response.iter().find(|f| f.wire_name == wire).map(|f| (f.rust_name.clone(), wire)));
    Waiter {
        method: method_name(&name),
        name,
        summary: spec.summary,
        interval_seconds: spec.interval_seconds,
        timeout_seconds: spec.timeout_seconds,
        field,
        success: spec.success,
        failure: spec.failure,
        success_codes: spec.success_codes,
        failure_codes: spec.failure_codes,
    }
}
