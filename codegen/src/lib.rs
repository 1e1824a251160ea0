//! The generator of Alibaba Cloud SDK crates: reads an OpenMeta `api-docs.json` (and the
//! `waiters.json` and `one_of.json` beside it), validates them, lowers them into a typed IR,
//! emits Rust with `quote`, formats it with prettyplease and writes (or checks) the crate.
//! Output is byte-for-byte deterministic.

pub mod changes;
pub mod docs;
#[cfg(feature = "emit")]
pub mod emit;
pub mod error;
#[cfg(feature = "emit")]
pub mod format;
pub mod ir;
pub mod lower;
pub mod names;
pub mod one_of;
pub mod spec;
pub mod unique_keys;
pub mod validate;
pub mod waiters;
pub mod write;

pub use error::{Error, SpecProblem};

use serde_path_to_error::Segment;
use std::path::Path;

/// Reads, validates and lowers the spec at `path`, with the waiters of the `waiters.json` and
/// the parameter groups of the `one_of.json` beside it, where there are such files.
pub fn load(path: &Path) -> Result<ir::Service, Error> {
    let read = |path: &Path| std::fs::read(path).map_err(|source| Error::Read { path: path.to_owned(), source });
    let mut service = load_bytes(path, &read(path)?)?;
    let waiters = path.with_file_name(waiters::FILE_NAME);
    if waiters.exists() {
        waiters::attach(&mut service, &waiters, &read(&waiters)?)?;
    }
    let one_of = path.with_file_name(one_of::FILE_NAME);
    if one_of.exists() {
        one_of::attach(&mut service, &one_of, &read(&one_of)?)?;
    }
    Ok(service)
}

/// Validates and lowers spec bytes; `path` only names the file in errors.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<ir::Service, Error> {
    let docs: spec::ApiDocs = read_json(bytes).map_err(|e| parse_error(path, &e, spec_location(e.path(), bytes)))?;
    let problems = validate::validate(&docs);
    if !problems.is_empty() {
        return Err(Error::Spec { file: path.to_owned(), problems });
    }
    Ok(lower::lower(&docs))
}

/// Reads `bytes` of the JSON file at `path` as a `T`; an error names the JSON path where the
/// file departs from the expected shape.
fn parse_json<T: serde::de::DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, Error> {
    read_json(bytes).map_err(|e| parse_error(path, &e, (None, None)))
}

type JsonError = serde_path_to_error::Error<serde_json::Error>;

fn read_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes))
}

/// The error `e` of parsing the file at `path`, in the operation and parameter given.
fn parse_error(path: &Path, e: &JsonError, (operation, parameter): (Option<String>, Option<String>)) -> Error {
    let mut json_path = String::new();
    for segment in e.path() {
        json_path = match segment {
            Segment::Seq { index } => format!("{json_path}[{index}]"),
            Segment::Map { key } | Segment::Enum { variant: key } => error::with_key(&json_path, key),
            Segment::Unknown => error::with_key(&json_path, "?"),
        };
    }
    if json_path.is_empty() {
        json_path.push('.');
    }
    Error::Parse { file: path.to_owned(), json_path, operation, parameter, message: e.inner().to_string() }
}

/// The operation and parameter that the path `at` of a spec is in, looked up in the spec's raw
/// JSON (`bytes`), which did not parse as a spec: a parameter is named by its `name`.
fn spec_location(at: &serde_path_to_error::Path, bytes: &[u8]) -> (Option<String>, Option<String>) {
    let segments: Vec<&Segment> = at.iter().collect();
    let [Segment::Map { key: apis }, Segment::Map { key: action }, rest @ ..] = segments.as_slice() else {
        return (None, None);
    };
    if apis != "apis" {
        return (None, None);
    }
    let parameter = match rest {
        [Segment::Map { key }, Segment::Seq { index }, ..] if key == "parameters" => {
            serde_json::from_slice::<serde_json::Value>(bytes).ok().and_then(|raw| {
                raw.get("apis")?.get(action)?.get("parameters")?.get(index)?.get("name")?.as_str().map(str::to_owned)
            })
        }
        _ => None,
    };
    (Some(action.clone()), parameter)
}

#[cfg(feature = "emit")]
/// The formatted files of the crate for `service`: (path relative to the crate folder, text).
pub fn generate(service: &ir::Service) -> Result<Vec<(String, String)>, Error> {
    emit::emit(service)
        .into_iter()
        .map(|(path, output)| {
            let text = match output {
                emit::Output::Rust(tokens) => format::rust(&path, tokens)?,
                emit::Output::Text(text) => text,
            };
            Ok((path, text))
        })
        .collect()
}
