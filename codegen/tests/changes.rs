//! `--changes OLD NEW`: what changed between two versions of a spec, checked on the real
//! VpcPeer spec and on copies of it edited the way Alibaba's updates edit metadata.

use alibabacloud_codegen::changes::{Change, changes};
use alibabacloud_codegen::{ir::Service, load_bytes};
use serde_json::{Value, json};
use std::path::Path;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vpcpeer/2022-01-01/api-docs.json");

fn original() -> Value {
    serde_json::from_slice(&std::fs::read(SPEC).expect("spec")).expect("JSON")
}

fn lowered(spec: &Value) -> Service {
    load_bytes(Path::new("api-docs.json"), spec.to_string().as_bytes()).expect("valid")
}

fn parameters<'a>(spec: &'a mut Value, action: &str) -> &'a mut Vec<Value> {
    spec["apis"][action]["parameters"].as_array_mut().expect("parameters")
}

fn shown(list: &[Change]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

#[test]
fn a_spec_has_no_changes_against_itself() {
    let spec = original();
    assert_eq!(changes(&lowered(&spec), &lowered(&spec)), []);
}

#[test]
fn edits_of_the_real_spec_are_listed_and_breaking_ones_marked() {
    let old = original();
    let mut new = old.clone();
    new["apis"].as_object_mut().expect("apis").remove("MoveResourceGroup");
    let reject = parameters(&mut new, "RejectVpcPeerConnection");
    reject[2]["schema"]["required"] = json!(true);
    reject.push(json!({"name": "Note", "in": "formData", "schema": {"type": "string"}}));
    reject[0]["in"] = json!("query");
    new["apis"]["RejectVpcPeerConnection"]["errorCodes"]["400"].as_array_mut().expect("codes").pop();
    new["apis"]["CreateVpcPeerConnection"]["errorCodes"]["400"]
        .as_array_mut()
        .expect("codes")
        .push(json!({"errorCode": "QuotaExceeded.Everything", "errorMessage": "Too many."}));
    let response = &mut new["apis"]["GetVpcPeerConnectionAttribute"]["responses"]["200"]["schema"]["properties"];
    response["Bandwidth"]["type"] = json!("string");
    response["Zone"] = json!({"type": "string"});

    assert_eq!(
        shown(&changes(&lowered(&old), &lowered(&new))),
        [
            "          `CreateVpcPeerConnection`: error code `QuotaExceeded.Everything` added (variant `QuotaExceededEverything`; it was `Unhandled`)",
            "breaking  `GetVpcPeerConnectionAttribute`: response field `Bandwidth` is now `String` (was `i32`)",
            "          `GetVpcPeerConnectionAttribute`: response field `Zone` added",
            "breaking  operation `MoveResourceGroup` removed",
            "breaking  `RejectVpcPeerConnection`: parameter `ClientToken` is now required",
            "          `RejectVpcPeerConnection`: parameter `InstanceId` is now sent in the query",
            "          `RejectVpcPeerConnection`: optional parameter `Note` added",
            "breaking  `RejectVpcPeerConnection`: error code `IncorrectStatus.VpcPeer` removed (variant `IncorrectStatusVpcPeer`)",
        ]
    );
}

#[test]
fn fields_added_to_objects_break_struct_literals() {
    let with_tag = |properties: Value| {
        json!({"info": {"style": "RPC", "product": "Demo", "version": "2024-01-01"},
            "apis": {"DoThing": {"parameters": [{"name": "Tag", "in": "query", "style": "repeatList",
                "schema": {"type": "array", "items": {"type": "object", "properties": properties}}}],
                "responses": {"200": {"schema": {"type": "object", "properties": {"RequestId": {"type": "string"}}}}}}}})
    };
    let old = with_tag(json!({"Key": {"type": "string"}}));
    let new = with_tag(json!({"Key": {"type": "string"}, "Value": {"type": "string"}}));
    assert_eq!(
        shown(&changes(&lowered(&old), &lowered(&new))),
        ["breaking  object `types::Tag`: field `Value` added (struct literals need `..Default::default()`)"]
    );
}

#[test]
fn the_command_prints_the_changes_and_a_count() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (old, new) = (folder.path().join("old.json"), folder.path().join("new.json"));
    let mut edited = original();
    edited["apis"].as_object_mut().expect("apis").remove("UnTagResources");
    std::fs::write(&old, original().to_string()).expect("write");
    std::fs::write(&new, edited.to_string()).expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_alibabacloud-codegen"))
        .arg("--changes")
        .args([&old, &new])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "breaking  operation `UnTagResources` removed\n1 change(s), 1 breaking\n"
    );
}

#[test]
fn a_new_name_that_takes_an_old_ones_rust_name_is_breaking() {
    let mut old = original();
    parameters(&mut old, "RejectVpcPeerConnection")
        .push(json!({"name": "VPCId", "in": "query", "schema": {"type": "string"}}));
    reject_codes(&mut old).push(json!({"errorCode": "Forbidden.Ram"}));
    let mut new = old.clone();
    parameters(&mut new, "RejectVpcPeerConnection")
        .insert(0, json!({"name": "VpcId", "in": "query", "schema": {"type": "string"}}));
    reject_codes(&mut new).insert(0, json!({"errorCode": "Forbidden.RAM"}));
    assert_eq!(
        shown(&changes(&lowered(&old), &lowered(&new))),
        [
            "breaking  `RejectVpcPeerConnection`: parameter `VPCId` is now set with `vpc_id_2` (was `vpc_id`)",
            "          `RejectVpcPeerConnection`: optional parameter `VpcId` added",
            "          `RejectVpcPeerConnection`: error code `Forbidden.RAM` added (variant `ForbiddenRam`; it was `Unhandled`)",
            "breaking  `RejectVpcPeerConnection`: error code `Forbidden.Ram` is now variant `ForbiddenRam2` (was `ForbiddenRam`)",
        ]
    );
}

fn reject_codes(spec: &mut Value) -> &mut Vec<Value> {
    spec["apis"]["RejectVpcPeerConnection"]["errorCodes"]["400"].as_array_mut().expect("codes")
}
