//! `alibabacloud-codegen`: with no arguments, regenerates every `spec/<product>/<version>/api-docs.json`
//! of the workspace into `generated/<product>/`; with `SPEC OUT`, one spec into one folder;
//! `--check` compares instead of writing and exits 1 naming every differing file; `--changes
//! OLD NEW` lists what changed between two versions of a spec and what of it breaks callers.

use alibabacloud_codegen::{Error, changes, generate, load, write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: alibabacloud-codegen [--check] [SPEC OUT]
       alibabacloud-codegen --changes OLD NEW

  (no arguments)  regenerate every spec/<product>/<version>/api-docs.json into generated/<product>/
  SPEC OUT        generate one api-docs.json into the folder OUT
  --check         write nothing; exit 1 and name the files if the output is not up to date
  --changes       list what changed from spec OLD to spec NEW, marking what breaks callers";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs the command; `Ok(false)` when `--check` found differences.
fn run(args: Vec<String>) -> Result<bool, Error> {
    if let [flag, old, new] = args.as_slice()
        && flag == "--changes"
    {
        let list = changes::changes(&load(Path::new(old))?, &load(Path::new(new))?);
        for change in &list {
            println!("{change}");
        }
        let breaking = list.iter().filter(|c| c.breaking).count();
        println!("{} change(s), {breaking} breaking", list.len());
        return Ok(true);
    }
    let check = args.iter().any(|a| a == "--check");
    let rest: Vec<&String> = args.iter().filter(|a| *a != "--check").collect();
    if rest.iter().any(|a| a.starts_with('-')) {
        return Err(Error::Usage(USAGE.to_owned()));
    }
    let jobs = match rest.as_slice() {
        [] => workspace_jobs()?,
        [spec, out] => vec![(PathBuf::from(spec), PathBuf::from(out))],
        _ => return Err(Error::Usage(USAGE.to_owned())),
    };
    let mut up_to_date = true;
    for (spec, out) in jobs {
        let files = generate(&load(&spec)?)?;
        if check {
            let drift = write::check(&out, &files)?;
            for path in drift.changed.iter().chain(&drift.stale) {
                eprintln!("stale: {} (regenerate with `cargo run -p alibabacloud-codegen`)", path.display());
            }
            up_to_date &= drift.is_empty();
        } else {
            write::write(&out, &files)?;
            println!("generated {} from {}", out.display(), spec.display());
        }
    }
    Ok(up_to_date)
}

/// Every `spec/<product>/<version>/api-docs.json` of the workspace, with its output folder.
fn workspace_jobs() -> Result<Vec<(PathBuf, PathBuf)>, Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."));
    let spec_root = root.join("spec");
    let mut jobs = Vec::new();
    for product in sorted_dirs(&spec_root)? {
        let versions = sorted_dirs(&product)?;
        let Some(name) = product.file_name() else { continue };
        match versions.as_slice() {
            [] => {}
            [version] => jobs.push((version.join("api-docs.json"), root.join("generated").join(name))),
            _ => {
                let msg = format!("{} has several versions; generate them one by one with SPEC OUT", product.display());
                return Err(Error::Usage(msg));
            }
        }
    }
    Ok(jobs)
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read { path: dir.to_owned(), source })?;
    let mut dirs = Vec::new();
    for entry in entries {
        let path = entry.map_err(|source| Error::Read { path: dir.to_owned(), source })?.path();
        if path.is_dir() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}
