//! Writes a generated crate to disk, or compares it with what is there (`--check`). Stale
//! files (present on disk, no longer generated) count as differences and are removed on write.

use crate::error::Error;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What `check` found different between the generated files and a folder.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Generated but missing or different on disk.
    pub changed: Vec<PathBuf>,
    /// On disk but no longer generated.
    pub stale: Vec<PathBuf>,
}

impl Drift {
    /// Whether the folder matches.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.stale.is_empty()
    }
}

/// Writes `files` (relative path → content) under `dir`, only touching files whose content
/// changed, and removes files under `dir` that are no longer generated.
pub fn write(dir: &Path, files: &[(String, String)]) -> Result<(), Error> {
    let drift = check(dir, files)?;
    for path in &drift.stale {
        fs::remove_file(path).map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    for (relative, content) in files {
        let path = dir.join(relative);
        if drift.changed.contains(&path) {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_owned(), source })?;
            }
            fs::write(&path, content).map_err(|source| Error::Write { path: path.clone(), source })?;
        }
    }
    Ok(())
}

/// Compares `files` with the contents of `dir`.
pub fn check(dir: &Path, files: &[(String, String)]) -> Result<Drift, Error> {
    let mut drift = Drift::default();
    let expected: BTreeSet<PathBuf> = files.iter().map(|(relative, _)| dir.join(relative)).collect();
    for (relative, content) in files {
        let path = dir.join(relative);
        match fs::read(&path) {
            Ok(existing) if existing == content.as_bytes() => {}
            Ok(_) => drift.changed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.changed.push(path),
            Err(source) => return Err(Error::Read { path, source }),
        }
    }
    for path in list_files(dir)? {
        if !expected.contains(&path) {
            drift.stale.push(path);
        }
    }
    Ok(drift)
}

/// Every file below `dir` (none if it does not exist), sorted.
fn list_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(Error::Read { path: current, source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read { path: current.clone(), source })?;
            let path = entry.path();
            if path.is_dir() { pending.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    Ok(out)
}
