//! Generator errors. Every problem in a spec names the operation, the parameter (when there
//! is one) and the JSON path of the offending value.

use std::fmt;
use std::path::PathBuf;

/// What went wrong while generating.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{}: not valid OpenMeta JSON at `{json_path}`: {message}", file.display())]
    Parse { file: PathBuf, json_path: String, message: String },
    #[error("{}: {} problem(s) in the spec:\n{}", file.display(), problems.len(), list(problems))]
    Spec { file: PathBuf, problems: Vec<SpecProblem> },
    #[error("emitted code for {file} does not parse as Rust: {message}")]
    Emit { file: String, message: String },
    #[error("{0}")]
    Usage(String),
}

fn list(problems: &[SpecProblem]) -> String {
    problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
}

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecProblem {
    /// JSON path of the value, e.g. `apis.RejectVpcPeerConnection.parameters[0].schema.type`.
    pub json_path: String,
    pub operation: Option<String>,
    pub parameter: Option<String>,
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
