//! Damaged requests never break the emulator: each parameter of each operation in turn carries
//! values of the wrong shape (empty, negative, huge, fractional, JSON, stray `%`, non-ASCII,
//! very long). Every answer is JSON with a request id; an error is a 4xx with a code, naming
//! the parameter when it is about one; and the emulator keeps serving.

mod support;

use alibabacloud_codegen::ir::{Location, Param, Service, Style, Type};
use alibabacloud_emulator::{ACCOUNT_A, Delays, Emulator};
use support::V1;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vpcpeer/2022-01-01/api-docs.json");

/// The name `param` is sent under with one value: `Name`, `Name.1` for a list of strings,
/// `Name.1.Field` for a list of objects (their first field).
fn wire_name(service: &Service, param: &Param) -> String {
    match (&param.style, &param.ty) {
        (Style::Flat, Type::List(item)) => match item.as_ref() {
            Type::Struct(name) => {
                let fields = &service.structs.iter().find(|s| &s.name == name).expect("struct").fields;
                format!("{}.1.{}", param.wire_name, fields[0].wire_name)
            }
            _ => format!("{}.1", param.wire_name),
        },
        _ => param.wire_name.clone(),
    }
}

fn with(request: V1, param: &Param, name: &str, value: &str) -> V1 {
    match param.location {
        Location::Query => request.query(name, value),
        Location::Form => request.form(name, value),
    }
}

#[tokio::test]
async fn damaged_parameters_get_4xx_errors_naming_them_and_never_break_the_emulator() {
    let service = alibabacloud_codegen::load(std::path::Path::new(SPEC)).expect("spec");
    let emulator = Emulator::builder().delays(Delays::ZERO).start().await.expect("emulator starts");
    let long = "x".repeat(5000);
    let damage = ["", "-1", "99999999999999999999", "1.5", "yes", "null", "[]", r#"{"a":1}"#, "%", "Ünïcode ✓", &long];
    let mut answers = 0;
    for op in &service.operations {
        for target in &op.params {
            let target_name = wire_name(&service, target);
            for value in damage {
                let mut request = V1::new(&emulator, ACCOUNT_A, &op.action);
                // Every other required parameter has its example value.
                for param in op.params.iter().filter(|p| p.required && p.wire_name != target.wire_name) {
                    let example = param.example.clone().unwrap_or_else(|| "example".to_owned());
                    request = with(request, param, &wire_name(&service, param), &example);
                }
                let answer = with(request, target, &target_name, value).send().await;
                let what = format!("{} {target_name}={value:.20?}: {} {}", op.action, answer.status, answer.json);
                assert!(answer.status < 500, "{what}");
                assert!(!answer.request_id().is_empty(), "{what}");
                if answer.status >= 400 {
                    assert!(!answer.code().is_empty(), "{what}");
                    if answer.code().starts_with("InvalidParameter") || answer.code().starts_with("MissingParameter") {
                        assert!(answer.message().contains(&target.wire_name), "{what}");
                    }
                }
                answers += 1;
            }
        }
    }
    assert!(answers > 500, "{answers} answers");
    let after = V1::new(&emulator, ACCOUNT_A, "ListVpcPeerConnections").send().await;
    assert_eq!(after.status, 200, "the emulator still serves");
}
