//! How the generated client reads answers: every operation's response example from the spec
//! decodes, every documented error code becomes its variant, unknown codes and non-JSON
//! bodies keep status and body, a passed dry run is a typed outcome, and bad success bodies
//! are decode errors that name the JSON path.

use alibabacloud_integration_tests::{
    ACCESS_KEY_SECRET, CaptureServer, call_with_every_parameter, client_at, closed_endpoint, error_body,
    response_examples, vpcpeer_spec,
};
use alibabacloud_vpcpeer::operation::reject_vpc_peer_connection::RejectVpcPeerConnectionError;
use alibabacloud_vpcpeer::{Outcome, SdkError};
use serde_json::Value;

#[tokio::test]
async fn every_response_example_in_the_spec_decodes() {
    let server = CaptureServer::start().await;
    let client = server.client();
    let examples = response_examples();
    assert_eq!(examples.len(), 11);
    for (action, example) in examples {
        server.reply(200, example.clone());
        let decoded = call_with_every_parameter(&client, &action).await.unwrap_or_else(|e| panic!("{action}: {e}"));
        let example: Value = serde_json::from_str(&example).expect("example JSON");
        let request_id = example["RequestId"].as_str().expect("RequestId");
        assert!(decoded.contains(request_id), "{action}: {decoded}");
        // Every scalar of the example survives decoding.
        let mut scalars = Vec::new();
        collect_scalars(&example, &mut scalars);
        for scalar in scalars {
            assert!(decoded.contains(&scalar), "{action}: {scalar} lost in {decoded}");
        }
    }
}

fn collect_scalars(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if !s.is_empty() => out.push(format!("{s:?}")),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(b) => out.push(b.to_string()),
        Value::Array(items) => items.iter().for_each(|v| collect_scalars(v, out)),
        Value::Object(members) => members.values().for_each(|v| collect_scalars(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn nested_response_fields_are_typed() {
    let server = CaptureServer::start().await;
    let client = server.client();
    server.reply(
        200,
        r#"{"RequestId":"R","OwnerId":1210123456123456,"Bandwidth":-1,"Vpc":{"VpcId":"vpc-1","Ipv4Cidrs":["10.0.0.0/8"],"Ipv6Cidrs":[]},
            "AcceptingVpc":{"VpcId":"vpc-2"},"Tags":[{"Key":"k","Value":"v"}],"GmtExpired":null,"AddedLater":{"x":1}}"#,
    );
    let peer = client.get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.expect("decodes");
    assert_eq!(peer.owner_id, Some(1_210_123_456_123_456));
    assert_eq!(peer.bandwidth, Some(-1));
    let vpc = peer.vpc.expect("Vpc");
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-1"));
    assert_eq!(vpc.ipv4_cidrs, Some(vec!["10.0.0.0/8".to_owned()]));
    assert_eq!(vpc.ipv6_cidrs, Some(vec![]));
    assert_eq!(peer.accepting_vpc.and_then(|v| v.vpc_id).as_deref(), Some("vpc-2"));
    assert_eq!(peer.tags.expect("Tags")[0].key.as_deref(), Some("k"));
    assert_eq!(peer.gmt_expired, None);
    assert_eq!(peer.status, None, "absent fields are None");
}

#[tokio::test]
async fn a_body_that_does_not_match_the_shape_names_the_json_path() {
    let server = CaptureServer::start().await;
    let client = server.client();
    server.reply(200, r#"{"RequestId":"R","VpcPeerConnects":[{"InstanceId":"pcc-1"},{"Bandwidth":"wide"}]}"#);
    let error = client.list_vpc_peer_connections().send().await.expect_err("Bandwidth is an integer");
    let SdkError::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path(), "VpcPeerConnects[1].Bandwidth");
    assert_eq!(decode.status(), 200);
    assert!(error.to_string().contains("VpcPeerConnects[1].Bandwidth"), "{error}");
    for bad in ["", "not json", "[1]", r#"{"RequestId":"R"} trailing"#] {
        server.reply(200, bad);
        let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("undecodable");
        assert!(matches!(error, SdkError::Decode(_)), "{bad:?}: {error:?}");
    }
}

#[tokio::test]
async fn every_documented_error_code_becomes_its_own_variant() {
    let server = CaptureServer::start().await;
    let client = server.client();
    let spec = vpcpeer_spec();
    let mut checked = 0;
    for op in &spec.operations {
        for error in &op.errors {
            server.reply(error.status, error_body(&error.code));
            let shown = call_with_every_parameter(&client, &op.action).await.expect_err("an error");
            assert!(
                shown.starts_with(&format!("Service({}(ErrorMetadata {{", error.variant)),
                "{}: {}: {shown}",
                op.action,
                error.code
            );
            assert!(
                shown.contains("ERR-REQUEST-ID") && shown.contains("https://api.aliyun.com/troubleshoot"),
                "{shown}"
            );
            checked += 1;
        }
        server.reply(400, error_body("Some.New.Code"));
        let shown = call_with_every_parameter(&client, &op.action).await.expect_err("an error");
        assert!(shown.starts_with("Service(Unhandled(ErrorMetadata {"), "{}: {shown}", op.action);
    }
    assert_eq!(checked, spec.operations.iter().map(|op| op.errors.len()).sum::<usize>());
    assert!(checked >= 50, "VpcPeer documents many codes; checked {checked}");
}

#[tokio::test]
async fn typed_errors_keep_every_field_and_display_them() {
    let server = CaptureServer::start().await;
    let client = server.client();
    server.reply(400, error_body("IncorrectStatus.VpcPeer"));
    let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("rejected");
    assert_eq!(error.code(), Some("IncorrectStatus.VpcPeer"));
    assert_eq!(error.request_id(), Some("ERR-REQUEST-ID"));
    assert_eq!(
        error.to_string(),
        "service error: IncorrectStatus.VpcPeer: message of IncorrectStatus.VpcPeer (HTTP 400, request id ERR-REQUEST-ID)"
    );
    let Some(RejectVpcPeerConnectionError::IncorrectStatusVpcPeer(meta)) = error.into_service_error() else {
        panic!("expected the IncorrectStatus.VpcPeer variant")
    };
    assert_eq!(
        (meta.status(), meta.host_id(), meta.message()),
        (400, Some("vpcpeer.aliyuncs.com"), Some("message of IncorrectStatus.VpcPeer"))
    );
    assert_eq!(meta.recommend(), Some("https://api.aliyun.com/troubleshoot?q=IncorrectStatus.VpcPeer"));
    assert_eq!(meta.body().as_ref(), error_body("IncorrectStatus.VpcPeer").as_bytes());
}

#[tokio::test]
async fn non_json_and_empty_error_bodies_keep_status_and_body() {
    let server = CaptureServer::start().await;
    let client = server.client();
    // (A numeric code is kept, as its text.)
    for (status, body, code) in [
        (502, "<html><body>Bad Gateway</body></html>", None),
        (503, "", None),
        (500, "{\"Code\": 5}", Some("5")),
        (404, "null", None),
    ] {
        server.reply(status, body);
        let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("an error");
        let Some(RejectVpcPeerConnectionError::Unhandled(meta)) = error.as_service_error() else { panic!("{error:?}") };
        assert_eq!(meta.status(), status);
        assert_eq!(meta.body().as_ref(), body.as_bytes());
        assert_eq!(meta.code(), code);
        assert!(error.to_string().contains(&format!("HTTP {status}")), "{error}");
    }
}

#[tokio::test]
async fn a_passed_dry_run_is_a_typed_outcome_not_an_error() {
    let server = CaptureServer::start().await;
    let client = server.client();
    server.reply(400, r#"{"RequestId":"DRY-RUN-ID","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set."}"#);
    let outcome =
        client.reject_vpc_peer_connection().instance_id("pcc-1").dry_run(true).send().await.expect("a passed dry run");
    let Outcome::DryRunPassed(passed) = outcome else { panic!("expected DryRunPassed") };
    assert_eq!(passed.request_id(), Some("DRY-RUN-ID"));
    assert_eq!(passed.message(), Some("Request validation has been passed with DryRun flag set."));
    assert_eq!(server.last().form().iter().find(|(k, _)| k == "DryRun").map(|(_, v)| v.as_str()), Some("true"));
    assert!(server.last().v1_signature_matches(ACCESS_KEY_SECRET));

    // Without DryRun set, the same answer is not a success.
    let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("not a dry run");
    assert_eq!(error.code(), Some("DryRunOperation"));
    // Nor with DryRun=false on the wire.
    let error =
        client.reject_vpc_peer_connection().instance_id("pcc-1").dry_run(false).send().await.expect_err("DryRun=false");
    assert_eq!(error.code(), Some("DryRunOperation"));
    assert_eq!(server.last().form().iter().find(|(k, _)| k == "DryRun").map(|(_, v)| v.as_str()), Some("false"));
    // Nor with another status than the service's 400 (a proxy's page, a broken server).
    for status in [403, 500] {
        server.reply(status, r#"{"RequestId":"DRY-RUN-ID","Code":"DryRunOperation"}"#);
        let error = client.reject_vpc_peer_connection().instance_id("pcc-1").dry_run(true).send().await;
        let error = error.expect_err("not the service's dry-run answer");
        assert_eq!((error.code(), error.metadata().map(|m| m.status())), (Some("DryRunOperation"), Some(status)));
    }

    // A dry run that fails a check is the check's typed error.
    server.reply(400, error_body("ResourceNotFound.InstanceId"));
    let error =
        client.reject_vpc_peer_connection().instance_id("pcc-1").dry_run(true).send().await.expect_err("failed check");
    assert!(matches!(error.as_service_error(), Some(RejectVpcPeerConnectionError::ResourceNotFoundInstanceId(_))));

    // A real call completes.
    server.reply(200, r#"{"RequestId":"REAL"}"#);
    let outcome = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect("done");
    assert_eq!(outcome.completed().and_then(|r| r.request_id).as_deref(), Some("REAL"));
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_transport_error() {
    let closed = closed_endpoint();
    let error = client_at(&closed, alibabacloud_vpcpeer::Credentials::new("id", ACCESS_KEY_SECRET))
        .reject_vpc_peer_connection()
        .instance_id("pcc-1")
        .send()
        .await
        .expect_err("refused");
    let SdkError::Transport(transport) = &error else { panic!("{error:?}") };
    assert!(transport.is_connect(), "{error}");
    assert!(error.to_string().contains(&closed), "{error}");
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_errors() {
    let server = CaptureServer::start().await;
    let client = server.client();
    server.reply(400, error_body("SignatureDoesNotMatch"));
    let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("error");
    let config = alibabacloud_vpcpeer::Config::builder()
        .credentials(
            alibabacloud_vpcpeer::Credentials::new("id", ACCESS_KEY_SECRET).with_security_token("the-sts-token"),
        )
        .build()
        .expect("config");
    let shown = format!("{client:?} {error:?} {error} {config:?} {:?}", alibabacloud_vpcpeer::Client::new(&config));
    assert!(!shown.contains(ACCESS_KEY_SECRET) && !shown.contains("the-sts-token"), "{shown}");
}

#[tokio::test]
async fn without_credentials_nothing_is_sent() {
    let server = CaptureServer::start().await;
    let config = alibabacloud_vpcpeer::Config::builder().endpoint_url(server.endpoint()).build().expect("config");
    let error = alibabacloud_vpcpeer::Client::new(&config)
        .reject_vpc_peer_connection()
        .instance_id("pcc-1")
        .send()
        .await
        .expect_err("no credentials");
    assert!(matches!(error, SdkError::Config(_)), "{error:?}");
    assert!(error.to_string().contains("no credentials"), "{error}");
    assert!(server.captured().is_empty());
}

#[tokio::test]
async fn an_sts_token_echoed_by_the_gateway_is_redacted_from_errors() {
    let emulator = alibabacloud_emulator::Emulator::builder().start().await.expect("emulator");
    let token = "CAIS+sts/token==with reserved chars";
    let credentials =
        alibabacloud_vpcpeer::Credentials::new(alibabacloud_emulator::ACCOUNT_A.access_key_id, "a wrong secret")
            .with_security_token(token);
    let error = client_at(emulator.endpoint(), credentials)
        .reject_vpc_peer_connection()
        .instance_id("pcc-1")
        .send()
        .await
        .expect_err("bad secret");
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    let shown = format!("{error}\n{error:?}\n{}", String::from_utf8_lossy(error.metadata().expect("metadata").body()));
    assert!(shown.contains("server string to sign is:") && shown.contains("** redacted **"), "{shown}");
    let once = alibabacloud_runtime::encoding::percent_encode(token);
    for form in [token.to_owned(), once.clone(), alibabacloud_runtime::encoding::percent_encode(&once)] {
        assert!(!shown.contains(&form), "{form} leaked into:\n{shown}");
    }
}
