//! Generator errors. Every problem in a spec names the operation, the parameter (when there
//! is one) and the JSON path of the offending value; `with_key` is how every such path
//! writes an object key.

use std::fmt;
use std::path::PathBuf;

/// What went wrong while generating.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file or folder, e.g. a spec or a folder of the generated crate.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file could not be written or removed, or a folder created.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or folder of the generated crate.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A spec, waiters or `one_of` file is not JSON of the expected shape.
    #[error("{}: not valid OpenMeta JSON{}at `{json_path}`: {message}", file.display(), located(operation, parameter))]
    Parse {
        /// The `api-docs.json`, `waiters.json` or `one_of.json`.
        file: PathBuf,
        /// The JSON path of the problem, e.g. `apis.RejectVpcPeerConnection.parameters[0]`.
        json_path: String,
        /// In a spec, the action of the operation the path is in; `None` outside `apis`.
        operation: Option<String>,
        /// In a spec, the `name` of the parameter the path is in, as the file gives it; `None`
        /// outside a parameter or when its name is not a string.
        parameter: Option<String>,
        /// serde's message, e.g. "missing field `name`".
        message: String,
    },
    /// A spec, waiters or `one_of` file parses but has something the generator cannot express.
    #[error("{}: {} problem(s) in the spec:\n{}", file.display(), problems.len(), list(problems))]
    Spec {
        /// The `api-docs.json`, `waiters.json` or `one_of.json`.
        file: PathBuf,
        /// Every problem found, not just the first.
        problems: Vec<SpecProblem>,
    },
    /// The generator emitted tokens that are not a valid Rust file (a generator bug).
    #[error("emitted code for {file} does not parse as Rust: {message}")]
    Emit {
        /// The output file, relative to the crate folder, e.g. `src/client.rs`.
        file: String,
        /// syn's parse error.
        message: String,
    },
    /// The command line is wrong, or the workspace has something it cannot handle: the usage
    /// text or what to do instead.
    #[error("{0}")]
    Usage(String),
}

/// `, operation `X`, parameter `Y`, ` for a parse error in an operation or parameter; ` `
/// otherwise.
fn located(operation: &Option<String>, parameter: &Option<String>) -> String {
    let mut text = String::new();
    if let Some(op) = operation {
        text.push_str(&format!(", operation `{op}`,"));
    }
    if let Some(param) = parameter {
        text.push_str(&format!(" parameter `{param}`,"));
    }
    text.push(' ');
    text
}

/// `path` extended by the object key `key`: `.key`, or `["key"]` when the key is empty or has
/// `.`, `[` or `]` (ECS has properties like `SystemDisk.Category`), so that a path reads one way.
pub(crate) fn with_key(path: &str, key: &str) -> String {
    if key.is_empty() || key.contains(['.', '[', ']']) {
        format!("{path}[{}]", serde_json::Value::from(key))
    } else if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn list(problems: &[SpecProblem]) -> String {
    problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
}

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecProblem {
    /// JSON path of the value, e.g. `apis.RejectVpcPeerConnection.parameters[0].schema.type`; a
    /// key with `.`, `[` or `]` is written `["SystemDisk.Category"]`.
    pub json_path: String,
    /// The action of the operation, e.g. `RejectVpcPeerConnection`; `None` outside `apis`.
    pub operation: Option<String>,
    /// The wire name of the parameter, e.g. `InstanceId`; `None` outside a parameter.
    pub parameter: Option<String>,
    /// What is wrong, e.g. "an array needs `items`".
    pub message: String,
}

impl fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = &self.operation {
            write!(f, "operation `{op}`, ")?;
        }
        if let Some(param) = &self.parameter {
            write!(f, "parameter `{param}`, ")?;
        }
        write!(f, "at `{}`: {}", self.json_path, self.message)
    }
}
