//! Damaged input never panics: 1,684 copies of the real VpcPeer spec, each with one node
//! removed or retyped, are either generated or refused with problems that each name a JSON
//! path. Every operation's response example and a service error body, damaged node by node
//! and cut at every length (8,871 answers), come back from the client as a response, a decode
//! error naming a path, or a service error that keeps the status.

use alibabacloud_codegen::{Error, generate, load_bytes};
use alibabacloud_integration_tests::damage::{damaged, describe, pointers, replacements};
use alibabacloud_integration_tests::{
    CaptureServer, call_with_every_parameter, error_body, response_examples, vpcpeer_spec_path,
};
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[test]
fn damaged_specs_never_panic_the_generator_and_every_problem_names_a_path() {
    let original: Value = serde_json::from_slice(&std::fs::read(vpcpeer_spec_path()).expect("spec")).expect("JSON");
    // Loaded from the re-serialized spec, as the damaged copies are: a copy that lowers to the
    // same service generates the same crate, so only copies that differ are generated.
    let service = load_bytes(Path::new("spec.json"), original.to_string().as_bytes()).expect("the spec is valid");
    let (replacements, all) = (replacements(), pointers(&original));
    let check = |i: usize, pointer: &str| -> Result<bool, String> {
        let replacement = replacements[i % replacements.len()].as_ref();
        let spec = damaged(&original, pointer, replacement).to_string();
        let outcome = catch_unwind(AssertUnwindSafe(|| match load_bytes(Path::new("damaged.json"), spec.as_bytes()) {
            Ok(damaged) if damaged == service => Ok(false),
            Ok(damaged) => generate(&damaged).map(|_| true),
            Err(error) => Err(error),
        }));
        match outcome {
            Ok(Ok(generated)) => Ok(generated),
            Ok(Err(Error::Spec { problems, .. })) if problems.iter().all(|p| !p.json_path.is_empty()) => Ok(false),
            Ok(Err(Error::Parse { json_path, .. })) if !json_path.is_empty() => Ok(false),
            Ok(Err(error)) => Err(format!("{}: {error}", describe(pointer, replacement))),
            Err(_) => Err(format!("{}: panicked", describe(pointer, replacement))),
        }
    };
    // Two threads take every other node.
    let results: Vec<Result<bool, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                let (all, check) = (&all, &check);
                scope.spawn(move || {
                    all.iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == worker)
                        .map(|(i, p)| check(i, p))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("worker")).collect()
    });
    let generated = results.iter().filter(|r| matches!(r, Ok(true))).count();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failures.is_empty(), "{} failures:\n{failures:#?}", failures.len());
    // Most damage is refused; some still generates (a changed description, example or name).
    // The count the module doc and the README give, for the committed spec.
    assert_eq!(all.len(), 1684, "damaged copies ({generated} generated)");
    assert!(generated > 100, "{generated} generated");
}

#[tokio::test]
async fn damaged_answers_never_panic_the_client() {
    let server = CaptureServer::start().await;
    let client = server.client();
    let replacements = replacements();
    let mut answers = 0;
    for (action, example) in response_examples() {
        let error = error_body("IncorrectStatus.VpcPeer");
        let mut bodies = Vec::new();
        for (status, original) in [(200, &example), (400, &example), (400, &error)] {
            let value: Value = serde_json::from_str(original).expect("JSON");
            for (i, pointer) in pointers(&value).iter().enumerate() {
                let replacement = replacements[i % replacements.len()].as_ref();
                bodies.push((
                    status,
                    describe(pointer, replacement),
                    damaged(&value, pointer, replacement).to_string(),
                ));
            }
            for cut in (0..original.len()).filter(|cut| original.is_char_boundary(*cut)) {
                bodies.push((status, format!("cut at byte {cut}"), original[..cut].to_owned()));
            }
        }
        for (status, what, body) in bodies {
            server.reply(status, body);
            let outcome = call_with_every_parameter(&client, &action).await;
            let expected = match (status, &outcome) {
                (200, Ok(_)) => true,
                // A decode error names the JSON path (`.` for the whole body).
                (200, Err(shown)) => shown.starts_with("Decode(") && !shown.contains("path: \"\""),
                (_, Err(shown)) => shown.starts_with("Service(") && shown.contains(&format!("status: {status}")),
                (_, Ok(_)) => false,
            };
            assert!(expected, "{action}, HTTP {status}, {what}: {outcome:?}");
            answers += 1;
        }
    }
    assert_eq!(answers, 8871, "answers, as the module doc gives");
}
