//! The generator on damaged copies of the real VpcPeer spec: every node in turn removed or
//! replaced by a value of another type. It never panics: it either generates a crate or
//! refuses with problems that each name a JSON path (1,684 copies, one damage each).

use alibabacloud_codegen::{Error, generate, load_bytes};
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vpcpeer/2022-01-01/api-docs.json");

/// The JSON pointer of every node below `value`, parents before children.
fn pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    };
    out.push(pointer.clone());
    for (step, child) in children {
        pointers(child, format!("{pointer}/{step}"), out);
    }
}

/// `spec` with the node at `pointer` removed (`None`) or replaced.
fn mutated(spec: &Value, pointer: &str, replacement: Option<&Value>) -> Value {
    let mut spec = spec.clone();
    let (parent, last) = pointer.rsplit_once('/').expect("not the root");
    match (replacement, spec.pointer_mut(parent).expect("parent exists")) {
        (Some(value), _) => *spec.pointer_mut(pointer).expect("node exists") = value.clone(),
        (None, Value::Object(map)) => {
            map.remove(&last.replace("~1", "/").replace("~0", "~"));
        }
        (None, Value::Array(items)) => {
            items.remove(last.parse::<usize>().expect("an index"));
        }
        (None, _) => unreachable!("a parent is an object or an array"),
    }
    spec
}

#[test]
fn damaged_specs_never_panic_and_every_problem_names_a_path() {
    let original: Value = serde_json::from_str(&std::fs::read_to_string(SPEC).expect("spec")).expect("JSON");
    // Loaded from the re-serialized spec, as the damaged copies are: a copy that lowers to the
    // same service generates the same crate, so only copies that differ are generated.
    let service = load_bytes(Path::new(SPEC), original.to_string().as_bytes()).expect("the spec is valid");
    let replacements = [
        None,
        Some(Value::Null),
        Some(serde_json::json!(-7)),
        Some(serde_json::json!("")),
        Some(serde_json::json!("type")),
        Some(serde_json::json!(true)),
        Some(serde_json::json!([])),
        Some(serde_json::json!({})),
        Some(serde_json::json!("Ünïcode value, with spaces")),
        Some(serde_json::json!(1.5)),
    ];
    let mut all = Vec::new();
    pointers(&original, String::new(), &mut all);
    // Node `i` gets replacement `i % 10`; two threads take every other node.
    let check = |i: usize, pointer: &str| -> Result<bool, String> {
        let replacement = replacements[i % replacements.len()].as_ref();
        let spec = mutated(&original, pointer, replacement).to_string();
        let what = format!("`{pointer}` {}", replacement.map_or("removed".to_owned(), |v| format!("set to {v}")));
        let outcome = catch_unwind(AssertUnwindSafe(|| match load_bytes(Path::new("damaged.json"), spec.as_bytes()) {
            Ok(damaged) if damaged == service => Ok(false),
            Ok(damaged) => generate(&damaged).map(|_| true),
            Err(error) => Err(error),
        }));
        match outcome {
            Ok(Ok(generated)) => Ok(generated),
            Ok(Err(Error::Spec { problems, .. })) if problems.iter().all(|p| !p.json_path.is_empty()) => Ok(false),
            Ok(Err(Error::Parse { json_path, .. })) if !json_path.is_empty() => Ok(false),
            Ok(Err(error)) => Err(format!("{what}: {error}")),
            Err(_) => Err(format!("{what}: panicked")),
        }
    };
    let results: Vec<Result<bool, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                let (all, check) = (&all, &check);
                scope.spawn(move || {
                    all.iter()
                        .enumerate()
                        .skip(1)
                        .filter(|(i, _)| i % 2 == worker)
                        .map(|(i, p)| check(i, p))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("worker")).collect::<Vec<_>>()
    });
    let generated = results.iter().filter(|r| matches!(r, Ok(true))).count();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    // Most damage is refused; some still generates (a changed description, example, or name).
    assert!(all.len() > 1500 && generated > 100, "{} nodes, {generated} generated", all.len());
    assert!(failures.is_empty(), "{} failures:\n{failures:#?}", failures.len());
}
