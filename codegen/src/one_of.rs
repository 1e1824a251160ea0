//! Groups of optional parameters of which a call needs at least one, which OpenMeta cannot
//! express: read from the `one_of.json` beside a spec, checked against the lowered operations,
//! and attached to them. The client method's rustdoc names each group, and its example sets
//! the group's first parameter, so that the example is a call the service accepts.
//!
//! The file maps an operation to its groups, each a list of wire names:
//!
//! ```json
//! {"ListTagResources": [["ResourceId", "Tag"]],
//!  "UnTagResources": [["TagKey", "All"]]}
//! ```
//!
//! A boolean in a group counts as set when it is `true`.

use crate::error::{Error, SpecProblem};
use crate::ir::{Service, Type};
use crate::unique_keys;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The file name, beside `api-docs.json`.
pub const FILE_NAME: &str = "one_of.json";

/// The whole file: groups by operation.
#[derive(Deserialize)]
#[serde(transparent)]
struct OneOfFile(#[serde(deserialize_with = "unique_keys::deserialize")] BTreeMap<String, Vec<Vec<String>>>);

/// Reads the groups file at `path`, checks it against `service` and attaches its groups.
/// Every problem names its JSON path.
pub fn attach(service: &mut Service, path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let OneOfFile(file) = crate::parse_json(path, bytes)?;
    let mut problems = Vec::new();
    for (action, groups) in file {
        let mut report = |json_path: String, parameter: Option<&str>, message: &str| {
            problems.push(SpecProblem {
                json_path,
                operation: Some(action.clone()),
                parameter: parameter.map(str::to_owned),
                message: message.to_owned(),
            });
        };
        let Some(op) = service.operations.iter_mut().find(|op| op.action == action) else {
            report(action.clone(), None, "no operation of this name in the spec");
            continue;
        };
        for (i, group) in groups.iter().enumerate() {
            if group.len() < 2 {
                report(format!("{action}[{i}]"), None, "a group names at least two parameters");
            }
            for (j, name) in group.iter().enumerate() {
                let message = match op.param(name) {
                    None => "not a parameter of the operation",
                    Some(param) if param.required => "the parameter is required already",
                    Some(_) if group[..j].contains(name) => "named twice in the group",
                    // Doc examples set the first parameter of a group, so it must be one they
                    // can give a value the service takes.
                    Some(param) if j == 0 && !examples_can_set(&param.ty) => {
                        "a map or JSON parameter (or a list of them) cannot come first: doc examples set the first"
                    }
                    Some(_) => continue,
                };
                report(format!("{action}[{i}][{j}]"), Some(name), message);
            }
        }
        op.one_of = groups;
    }
    if problems.is_empty() { Ok(()) } else { Err(Error::Spec { file: path.to_owned(), problems }) }
}

/// Whether a doc example can give a parameter of type `ty` a value the service takes: not a
/// map or JSON, nor a list of them (examples set those to empty values).
fn examples_can_set(ty: &Type) -> bool {
    match ty {
        Type::Map(_) | Type::Json => false,
        Type::List(item) => examples_can_set(item),
        _ => true,
    }
}
