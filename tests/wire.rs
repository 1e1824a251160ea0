//! What the generated client puts on the wire, checked by a real HTTP server on 127.0.0.1:
//! method, path, which parameters travel in the query and which in the form body (from the
//! spec), flattening of lists and objects, the common parameters, and a V1 signature that
//! the server recomputes from what it received.

use alibabacloud_codegen::ir::{Location, Type};
use alibabacloud_integration_tests::{
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, CaptureServer, Captured, call_with_every_parameter, vpcpeer_spec,
};
use alibabacloud_runtime::credentials::{ProvideCredentials, ProvideCredentialsFuture};
use alibabacloud_vpcpeer::{Client, Config, Credentials};
use std::time::{Duration, SystemTime};

/// The root of a flattened wire name: `Tag.1.Key` → `Tag`.
fn root(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// The check the wire tests rely on, on the facts doc's complete request (§4.8): it accepts
/// that request and refuses it with one byte of the signed body changed.
#[test]
fn the_servers_signature_check_accepts_the_published_request_and_nothing_else() {
    let query = "AccessKeyId=testid&Action=RejectVpcPeerConnection&Format=json&Signature=NEDYCAjhoaKdVLHo7smsae1zzLE%3D\
        &SignatureMethod=HMAC-SHA1&SignatureNonce=3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f&SignatureVersion=1.0\
        &Timestamp=2024-01-01T00%3A00%3A00Z&Version=2022-01-01";
    let body = "ClientToken=123e4567-e89b-12d3-a456-426655440000&DryRun=true&InstanceId=pcc-lnk0m24khwvtkm0abcd";
    let captured = |body: &str| Captured {
        method: axum::http::Method::POST,
        path: "/".to_owned(),
        raw_query: query.to_owned(),
        headers: axum::http::HeaderMap::new(),
        body: body.to_owned().into(),
    };
    assert!(captured(body).v1_signature_matches("testsecret"));
    assert!(!captured(body).v1_signature_matches("othersecret"));
    assert!(!captured(&body.replace("abcd", "abce")).v1_signature_matches("testsecret"));
}

#[tokio::test]
async fn every_operation_puts_each_parameter_where_the_spec_says_and_signs_it() {
    let server = CaptureServer::start().await;
    let client = server.client();
    let spec = vpcpeer_spec();
    assert_eq!(spec.operations.len(), 11);
    for op in &spec.operations {
        let result = call_with_every_parameter(&client, &op.action).await;
        assert!(result.is_ok(), "{}: {result:?}", op.action);
        let sent = server.last();
        assert_eq!(sent.method, "POST", "{}", op.action);
        assert_eq!(sent.path, "/", "{}", op.action);
        assert!(sent.v1_signature_matches(ACCESS_KEY_SECRET), "{}: server-side signature differs", op.action);

        let query = sent.query();
        let form = sent.form();
        for param in &op.params {
            let (expected, other) = match param.location {
                Location::Query => (&query, &form),
                Location::Form => (&form, &query),
            };
            assert!(
                expected.iter().any(|(k, _)| root(k) == param.wire_name),
                "{}: {} missing from its place",
                op.action,
                param.wire_name
            );
            assert!(
                !other.iter().any(|(k, _)| root(k) == param.wire_name),
                "{}: {} in the wrong place",
                op.action,
                param.wire_name
            );
        }
        let declared = |k: &str| op.params.iter().any(|p| p.wire_name == root(k));
        assert!(form.iter().all(|(k, _)| declared(k)), "{}: undeclared form parameter in {form:?}", op.action);
        let content_type = sent.headers.get("content-type").map(|v| v.to_str().unwrap_or_default().to_owned());
        if form.is_empty() {
            assert_eq!(sent.body.len(), 0, "{}", op.action);
            assert_eq!(content_type, None, "{}", op.action);
        } else {
            assert_eq!(content_type.as_deref(), Some("application/x-www-form-urlencoded"), "{}", op.action);
        }
        // Lists of objects are flattened Name.N.Field; booleans are lower case.
        for param in op.params.iter().filter(|p| matches!(&p.ty, Type::List(item) if matches!(**item, Type::Struct(_))))
        {
            let place = if param.location == Location::Query { &query } else { &form };
            assert!(
                place.contains(&(format!("{}.1.Key", param.wire_name), "key 1".to_owned())),
                "{}: {place:?}",
                op.action
            );
        }
        for (k, v) in query.iter().chain(&form) {
            if ["DryRun", "Force", "All"].contains(&k.as_str()) {
                assert!(v == "true" || v == "false", "{k}={v}");
            }
        }
    }
}

#[tokio::test]
async fn common_parameters_are_in_the_query_with_a_fresh_nonce_and_utc_timestamp() {
    let server = CaptureServer::start().await;
    let client = server.client();
    for _ in 0..2 {
        client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect("accepted");
    }
    let [first, second] = <[_; 2]>::try_from(server.captured()).expect("two requests");
    for sent in [&first, &second] {
        assert_eq!(sent.query_value("Action").as_deref(), Some("RejectVpcPeerConnection"));
        assert_eq!(sent.query_value("Version").as_deref(), Some("2022-01-01"));
        assert_eq!(sent.query_value("Format").as_deref(), Some("JSON"));
        assert_eq!(sent.query_value("AccessKeyId").as_deref(), Some(ACCESS_KEY_ID));
        assert_eq!(sent.query_value("SignatureMethod").as_deref(), Some("HMAC-SHA1"));
        assert_eq!(sent.query_value("SignatureVersion").as_deref(), Some("1.0"));
        assert_eq!(sent.query_value("SecurityToken"), None);
        assert_eq!(
            sent.headers["x-acs-credentials-provider"], "static_ak",
            "the provider is named as Alibaba's SDKs do"
        );
        let timestamp = sent.query_value("Timestamp").expect("Timestamp");
        let at = alibabacloud_runtime::signing::parse_timestamp(&timestamp).expect("YYYY-MM-DDThh:mm:ssZ");
        let skew = SystemTime::now().duration_since(at).unwrap_or_else(|e| e.duration());
        assert!(skew < Duration::from_secs(60), "timestamp {timestamp} is not now in UTC");
        // The body holds the operation's parameters only, and the generated ClientToken.
        let form = sent.form();
        assert_eq!(form.len(), 2, "{form:?}");
        assert!(form.contains(&("InstanceId".to_owned(), "pcc-1".to_owned())));
        assert!(form.iter().any(|(k, v)| k == "ClientToken" && v.len() == 36), "{form:?}");
    }
    let nonce = |c: &alibabacloud_integration_tests::Captured| c.query_value("SignatureNonce").expect("nonce");
    assert_eq!(nonce(&first).len(), 32);
    assert_ne!(nonce(&first), nonce(&second), "every request needs a new nonce");
}

#[tokio::test]
async fn values_with_reserved_unicode_and_empty_characters_arrive_intact_and_signed() {
    let server = CaptureServer::start().await;
    let client = server.client();
    let awkward = ["a b", "*", "~", "+", "/", "=", "&", "%", "%7E", "é", "阿里云", "🦀", "", "a+b c*d~e/f=g&h%i"];
    for value in awkward {
        client
            .modify_vpc_peer_connection()
            .instance_id("pcc-1")
            .name(value)
            .description(format!("<{value}>"))
            .send()
            .await
            .expect("accepted");
        let sent = server.last();
        let form = sent.form();
        assert!(form.contains(&("Name".to_owned(), value.to_owned())), "{value:?} arrived as {form:?}");
        assert!(form.contains(&("Description".to_owned(), format!("<{value}>"))));
        assert!(sent.v1_signature_matches(ACCESS_KEY_SECRET), "signature for {value:?}");
        let raw = String::from_utf8_lossy(&sent.body).into_owned();
        assert!(!raw.contains('+') && !raw.contains(' ') && !raw.contains('*'), "not canonically encoded: {raw}");
    }
}

#[tokio::test]
async fn eleven_tags_sort_tag_10_between_tag_1_and_tag_2_and_still_verify() {
    let server = CaptureServer::start().await;
    let client = server.client();
    let mut call = client.accept_vpc_peer_connection().instance_id("pcc-1");
    for i in 1..=11 {
        call = call.tag(alibabacloud_vpcpeer::types::Tag { key: Some(format!("k{i}")), value: Some(format!("v{i}")) });
    }
    call.send().await.expect("accepted");
    let sent = server.last();
    assert!(sent.v1_signature_matches(ACCESS_KEY_SECRET));
    let keys: Vec<String> = sent.query().into_iter().map(|(k, _)| k).filter(|k| k.starts_with("Tag.")).collect();
    assert_eq!(keys.len(), 22);
    assert!(keys.contains(&"Tag.10.Key".to_owned()) && keys.contains(&"Tag.11.Value".to_owned()));
    let signed =
        alibabacloud_runtime::encoding::canonical_query(sent.query().iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (one, ten, two) =
        (signed.find("Tag.1.Key=").unwrap(), signed.find("Tag.10.Key=").unwrap(), signed.find("Tag.2.Key=").unwrap());
    assert!(one < ten && ten < two, "{signed}");
}

#[tokio::test]
async fn simple_style_lists_are_comma_joined_in_one_parameter() {
    let server = CaptureServer::start().await;
    let client = server.client();
    client.list_vpc_peer_connections().vpc_id("vpc-a").vpc_id("vpc-b").send().await.expect("accepted");
    let form = server.last().form();
    assert_eq!(form, vec![("VpcId".to_owned(), "vpc-a,vpc-b".to_owned())]);
}

#[tokio::test]
async fn sts_credentials_send_and_sign_the_security_token() {
    let server = CaptureServer::start().await;
    let config = alibabacloud_vpcpeer::Config::builder()
        .credentials(
            alibabacloud_vpcpeer::Credentials::new("STS.id", "sts-secret").with_security_token("token with spaces/+"),
        )
        .endpoint_url(server.endpoint())
        .build()
        .expect("config");
    let client = alibabacloud_vpcpeer::Client::new(&config);
    client.get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.expect("accepted");
    let sent = server.last();
    assert_eq!(sent.query_value("SecurityToken").as_deref(), Some("token with spaces/+"));
    assert!(sent.v1_signature_matches("sts-secret"));
}

#[tokio::test]
async fn a_missing_required_parameter_fails_before_anything_is_sent() {
    let server = CaptureServer::start().await;
    let client = server.client();
    let error = client.reject_vpc_peer_connection().dry_run(true).send().await.expect_err("InstanceId is required");
    assert!(
        matches!(
            error,
            alibabacloud_vpcpeer::SdkError::Construction(alibabacloud_vpcpeer::BuildError::MissingParameter(
                "InstanceId"
            ))
        ),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "request not sent: missing required parameter `InstanceId`");
    let error = client
        .create_vpc_peer_connection()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-1")
        .send()
        .await
        .expect_err("more are required");
    assert!(error.to_string().contains("AcceptingAliUid"), "{error}");
    assert!(server.captured().is_empty(), "nothing may be sent");
}

/// Gives fixed credentials under the provider name they carry.
#[derive(Debug)]
struct Named(Credentials);

impl ProvideCredentials for Named {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::ready(Ok(self.0.clone()))
    }

    fn name(&self) -> &'static str {
        "named"
    }
}

#[tokio::test]
async fn the_credentials_provider_header_names_the_provider_or_is_left_out() {
    let server = CaptureServer::start().await;
    let client = |name: &str| {
        let credentials = Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET).with_provider_name(name.to_owned());
        let config = Config::builder()
            .credentials_provider(Named(credentials))
            .endpoint_url(server.endpoint())
            .build()
            .expect("config");
        Client::new(&config)
    };
    client("cli_profile/static_ak").reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect("sent");
    assert_eq!(server.last().headers["x-acs-credentials-provider"], "cli_profile/static_ak");

    client("two\nlines")
        .reject_vpc_peer_connection()
        .instance_id("pcc-1")
        .send()
        .await
        .expect("a name that cannot be a header value does not stop the call");
    assert!(!server.last().headers.contains_key("x-acs-credentials-provider"));
}

#[tokio::test]
async fn a_redirect_is_an_error_and_is_not_followed() {
    use alibabacloud_vpcpeer::operation::reject_vpc_peer_connection::RejectVpcPeerConnectionError;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // `/` sends a 307 to `/moved` on the same server, which would answer 200 to a client
    // that followed it (a 307 keeps the method and body).
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = axum::Router::new()
        .route(
            "/",
            axum::routing::post(|| async {
                (axum::http::StatusCode::TEMPORARY_REDIRECT, [("location", "/moved")], "")
            }),
        )
        .route(
            "/moved",
            axum::routing::post(move || async move {
                counted.fetch_add(1, Ordering::SeqCst);
                r#"{"RequestId":"MOVED"}"#
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let server = tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    let client =
        alibabacloud_integration_tests::client_at(&endpoint, Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET));

    let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("a 307 is an error");
    let Some(RejectVpcPeerConnectionError::Unhandled(meta)) = error.as_service_error() else { panic!("{error:?}") };
    assert_eq!(meta.status(), 307);
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the redirect was followed");
    server.abort();
}
