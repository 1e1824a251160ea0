//! The gateway over real HTTP: both signature versions, the wire quirks the official clients
//! rely on, and every gateway error with its code, status and body shape.

mod support;

use alibabacloud_emulator::{ACCOUNT_A, ACCOUNT_B, Delays, Emulator};
use std::time::{Duration, SystemTime};
use support::{V1, V3};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn emulator() -> Emulator {
    Emulator::builder().delays(Delays::ZERO).start().await.expect("emulator starts")
}

fn create(emulator: &Emulator, vpc: &str, peer_vpc: &str) -> V1 {
    V1::new(emulator, ACCOUNT_A, "CreateVpcPeerConnection")
        .form("RegionId", "cn-hangzhou")
        .form("VpcId", vpc)
        .form("AcceptingAliUid", &ACCOUNT_B.uid.to_string())
        .form("AcceptingRegionId", "cn-hangzhou")
        .form("AcceptingVpcId", peer_vpc)
}

fn is_upper_uuid(id: &str) -> bool {
    id.len() == 36 && uuid::Uuid::parse_str(id).is_ok() && !id.bytes().any(|b| b.is_ascii_lowercase())
}

#[tokio::test]
async fn v1_post_and_get_are_served_with_fresh_upper_case_request_ids() {
    let emu = emulator().await;
    let created = create(&emu, "vpc-a1", "vpc-b1").send().await;
    assert_eq!(created.status, 200, "{:?}", created.json);
    let id = created.json["InstanceId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("pcc-"));
    let mut get = V1::new(&emu, ACCOUNT_A, "GetVpcPeerConnectionAttribute").query("InstanceId", &id);
    get.method = "GET";
    let got = get.send().await;
    assert_eq!(got.status, 200, "{:?}", got.json);
    assert_eq!(got.json["InstanceId"], id.as_str());
    assert!(is_upper_uuid(created.request_id()) && is_upper_uuid(got.request_id()));
    assert_ne!(created.request_id(), got.request_id());
}

#[tokio::test]
async fn v3_requests_are_verified_over_the_headers_and_body_hash() {
    let emu = emulator().await;
    let mut v3 = V3::new(&emu, ACCOUNT_A, "CreateVpcPeerConnection");
    v3.body = format!(
        "RegionId=cn-hangzhou&VpcId=vpc-a&AcceptingAliUid={}&AcceptingRegionId=cn-hangzhou&AcceptingVpcId=vpc-b&Description=from+v3",
        ACCOUNT_B.uid
    );
    v3.query = vec![("Tag.1.Key".into(), "env".into()), ("Tag.1.Value".into(), "test".into())];
    let created = v3.send().await;
    assert_eq!(created.status, 200, "{:?}", created.json);
    let id = created.json["InstanceId"].as_str().unwrap().to_owned();
    let mut get = V3::new(&emu, ACCOUNT_A, "GetVpcPeerConnectionAttribute");
    get.body = format!("InstanceId={id}");
    let got = get.send().await;
    assert_eq!(got.json["Description"], "from v3", "+ in a form body is a space");
    assert_eq!(got.json["Tags"][0]["Key"], "env");

    let mut wrong = V3::new(&emu, ACCOUNT_A, "GetVpcPeerConnectionAttribute");
    wrong.secret = "not-the-secret".into();
    wrong.body = format!("InstanceId={id}");
    let denied = wrong.send().await;
    assert_eq!((denied.status, denied.code()), (400, "SignatureDoesNotMatch"));
    assert!(denied.message().contains("server string to sign is:ACS3-HMAC-SHA256\n"), "{}", denied.message());
}

#[tokio::test]
async fn error_bodies_have_the_gateway_shape() {
    let emu = emulator().await;
    let r = V1::new(&emu, ACCOUNT_A, "GetVpcPeerConnectionAttribute").form("InstanceId", "pcc-missing").send().await;
    assert_eq!((r.status, r.code()), (400, "ResourceNotFound.InstanceId"));
    let host = emu.endpoint().trim_start_matches("http://");
    assert_eq!(r.json["HostId"], host);
    assert!(is_upper_uuid(r.request_id()));
    let recommend = r.json["Recommend"].as_str().unwrap();
    assert!(
        recommend.starts_with(
            "https://api.aliyun.com/troubleshoot?q=ResourceNotFound.InstanceId&product=VpcPeer&requestId="
        )
    );
    assert!(r.message().contains("pcc-missing"));
}

#[tokio::test]
async fn unknown_access_key_is_404() {
    let emu = emulator().await;
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("AccessKeyId", Some("LTAInobody")).send().await;
    assert_eq!((r.status, r.code()), (404, "InvalidAccessKeyId.NotFound"));
    let mut v3 = V3::new(&emu, ACCOUNT_A, "ListVpcPeerConnections");
    v3.access_key_id = "LTAInobody".into();
    assert_eq!(v3.send().await.code(), "InvalidAccessKeyId.NotFound");
}

#[tokio::test]
async fn a_bad_signature_returns_the_server_string_to_sign() {
    let emu = emulator().await;
    let mut request = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").form("Name", "a b*~");
    request.secret = "wrong".into();
    let nonce = request.common.iter().find(|(n, _)| n == "SignatureNonce").unwrap().1.clone().unwrap();
    let r = request.send().await;
    assert_eq!((r.status, r.code()), (400, "SignatureDoesNotMatch"));
    let expected_tail = format!("Name%3Da%2520b%252A~%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D{nonce}");
    assert!(r.message().starts_with(
        "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3D"
    ));
    assert!(r.message().contains(&expected_tail), "{}", r.message());
}

#[tokio::test]
async fn timestamps_are_checked_against_a_fifteen_minute_window() {
    let emu = emulator().await;
    let old = alibabacloud_runtime::signing::format_timestamp(SystemTime::now() - Duration::from_secs(16 * 60));
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("Timestamp", Some(&old)).send().await;
    assert_eq!((r.status, r.code()), (400, "InvalidTimeStamp.Expired"));
    let future = alibabacloud_runtime::signing::format_timestamp(SystemTime::now() + Duration::from_secs(16 * 60));
    let mut v3 = V3::new(&emu, ACCOUNT_A, "ListVpcPeerConnections");
    v3.date = future;
    assert_eq!(v3.send().await.code(), "InvalidTimeStamp.Expired");
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("Timestamp", Some("yesterday")).send().await;
    assert_eq!(r.code(), "InvalidTimeStamp.Format");
    let near = alibabacloud_runtime::signing::format_timestamp(SystemTime::now() - Duration::from_secs(14 * 60));
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("Timestamp", Some(&near)).send().await;
    assert_eq!(r.status, 200, "{:?}", r.json);
}

#[tokio::test]
async fn a_nonce_is_used_once_and_only_after_a_valid_signature() {
    let emu = emulator().await;
    let mut bad = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("SignatureNonce", Some("nonce-1"));
    bad.secret = "wrong".into();
    assert_eq!(bad.send().await.code(), "SignatureDoesNotMatch");
    let first =
        V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("SignatureNonce", Some("nonce-1")).send().await;
    assert_eq!(first.status, 200, "a failed attempt does not burn the nonce: {:?}", first.json);
    let again =
        V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("SignatureNonce", Some("nonce-1")).send().await;
    assert_eq!((again.status, again.code()), (400, "SignatureNonceUsed"));
    let other_key =
        V1::new(&emu, ACCOUNT_B, "ListVpcPeerConnections").common("SignatureNonce", Some("nonce-1")).send().await;
    assert_eq!(other_key.status, 200, "nonces are per AccessKeyId");
    let mut v3 = V3::new(&emu, ACCOUNT_A, "ListVpcPeerConnections");
    v3.nonce = "nonce-1".into();
    assert_eq!(v3.send().await.code(), "SignatureNonceUsed");
}

#[tokio::test]
async fn a_nonce_stays_used_for_twice_the_timestamp_window_by_default() {
    let emu = Emulator::builder().timestamp_window(Duration::from_secs(1)).start().await.unwrap();
    let send = || V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("SignatureNonce", Some("nonce-w")).send();
    assert_eq!(send().await.status, 200);
    // Past one window (a request stamped a window ahead would still be accepted), within two.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let again = send().await;
    assert_eq!((again.status, again.code()), (400, "SignatureNonceUsed"));
    // Past two windows no request carrying it could pass the timestamp check: forgotten.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(send().await.status, 200);
}

#[tokio::test]
async fn unknown_actions_versions_and_paths_are_not_found() {
    let emu = emulator().await;
    let r = V1::new(&emu, ACCOUNT_A, "DescribeVpcs").send().await;
    assert_eq!((r.status, r.code()), (404, "InvalidApi.NotFound"));
    assert!(r.message().contains("DescribeVpcs"));
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("Version", Some("2016-04-28")).send().await;
    assert_eq!((r.status, r.code()), (404, "InvalidApi.NotFound"));
    let mut v3 = V3::new(&emu, ACCOUNT_A, "NoSuchAction");
    v3.body = String::new();
    assert_eq!(v3.send().await.code(), "InvalidApi.NotFound");
    let response = support::loopback_http().post(format!("{}/other", emu.endpoint())).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn missing_protocol_and_business_parameters_are_named() {
    let emu = emulator().await;
    let names = ["AccessKeyId", "Action", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion"];
    for name in names.into_iter().chain(["Timestamp", "Version"]) {
        let mut request = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections");
        if name == "Signature" {
            request.signature = Some(String::new());
        } else {
            request = request.common(name, None);
        }
        let r = request.send().await;
        assert_eq!((r.status, r.code()), (400, "MissingParameter"), "{name}: {:?}", r.json);
        assert!(r.message().contains(&format!("\"{name}\"")), "{}", r.message());
    }
    let r = V1::new(&emu, ACCOUNT_A, "CreateVpcPeerConnection").form("RegionId", "cn-hangzhou").send().await;
    assert_eq!(r.code(), "MissingParameter");
    assert!(r.message().contains("\"VpcId\""), "{}", r.message());
    let r = V1::new(&emu, ACCOUNT_A, "GetVpcPeerConnectionAttribute").form("InstanceId", "").send().await;
    assert!(r.message().contains("\"InstanceId\""), "{}", r.message());
    let r =
        V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("SignatureMethod", Some("HMAC-SHA256")).send().await;
    assert_eq!(r.code(), "InvalidSignatureMethod");
}

#[tokio::test]
async fn malformed_values_are_invalid_parameters_naming_the_field() {
    let emu = emulator().await;
    let cases = [("AcceptingAliUid", "12abc"), ("Bandwidth", "99999999999"), ("DryRun", "yes")];
    for (name, value) in cases {
        let mut request = create(&emu, "vpc-a", "vpc-b");
        request.form.retain(|(n, _)| n != name);
        let r = request.form(name, value).send().await;
        assert_eq!((r.status, r.code()), (400, "InvalidParameter"), "{name}: {:?}", r.json);
        assert!(r.message().contains(&format!("\"{name}\"")), "{}", r.message());
    }
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").form("MaxResults", "0").send().await;
    assert_eq!(r.code(), "IllegalParam.MaxResults");
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").query("Tags.one.Key", "k").send().await;
    assert!(r.message().contains("Tags.one.Key"), "{}", r.message());
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").form("Name", "a").query("Name", "b").send().await;
    assert_eq!(r.code(), "InvalidParameter");
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").common("Format", Some("yaml")).send().await;
    assert_eq!(r.code(), "InvalidParameter.Format");
}

#[tokio::test]
async fn a_list_index_has_one_spelling_so_no_value_replaces_another() {
    let emu = emulator().await;
    let created = create(&emu, "vpc-a", "vpc-b").send().await;
    let id = created.json["InstanceId"].as_str().unwrap().to_owned();
    let r = V1::new(&emu, ACCOUNT_A, "TagResources")
        .query("ResourceType", "PeerConnection")
        .query("RegionId", "cn-hangzhou")
        .query("ResourceId.1", &id)
        .query("ResourceId.+1", "pcc-other")
        .query("Tag.1.Key", "env")
        .send()
        .await;
    assert_eq!((r.status, r.code()), (400, "InvalidParameter"), "{:?}", r.json);
    assert!(r.message().contains("\"ResourceId.+1\""), "{}", r.message());
    let r = V1::new(&emu, ACCOUNT_A, "TagResources")
        .query("ResourceType", "PeerConnection")
        .query("RegionId", "cn-hangzhou")
        .query("ResourceId.1", &id)
        .query("Tag.1.Key", "env")
        .query("Tag.+1.Key", "team")
        .send()
        .await;
    assert_eq!((r.status, r.code()), (400, "InvalidParameter"), "{:?}", r.json);
    assert!(r.message().contains("\"Tag.+1.Key\""), "{}", r.message());
}

#[tokio::test]
async fn broken_percent_escapes_are_invalid_parameters_not_literal_text() {
    let emu = emulator().await;
    // Each request is signed over the literal text, as a server reading it literally would.
    let mut list = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").query("Name", "a%");
    list.wire_edits.push(("Name=a%25".into(), "Name=a%".into()));
    let r = list.send().await;
    assert_eq!((r.status, r.code()), (400, "InvalidParameter"), "{:?}", r.json);
    assert!(r.message().contains("\"Name\""), "{}", r.message());
    let mut get = V1::new(&emu, ACCOUNT_A, "GetVpcPeerConnectionAttribute").form("InstanceId", "pcc-%zz");
    get.wire_edits.push(("InstanceId=pcc-%25zz".into(), "InstanceId=pcc-%zz".into()));
    let r = get.send().await;
    assert_eq!((r.status, r.code()), (400, "InvalidParameter"), "{:?}", r.json);
    assert!(r.message().contains("\"InstanceId\""), "{}", r.message());
    let mut short = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").form("Name", "%4");
    short.wire_edits.push(("Name=%254".into(), "Name=%4".into()));
    let r = short.send().await;
    assert_eq!((r.status, r.code()), (400, "InvalidParameter"), "{:?}", r.json);
    assert!(r.message().contains("\"Name\""), "{}", r.message());
}

#[tokio::test]
async fn v3_header_values_are_signed_as_the_utf8_received() {
    let emu = emulator().await;
    let r = V3::new(&emu, ACCOUNT_A, "ListVpcPeerConnections")
        .header("user-agent", "AlibabaCloud (Café) TeaDSL/2", true)
        .send()
        .await;
    assert_eq!(r.status, 200, "{:?}", r.json);
    let mut date = alibabacloud_runtime::signing::format_timestamp(SystemTime::now()).into_bytes();
    date[0] = 0xE9;
    let r = V3::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").header("x-acs-date", date, true).send().await;
    assert_eq!((r.status, r.code()), (400, "InvalidParameter"), "{:?}", r.json);
    assert!(r.message().contains("\"x-acs-date\""), "{}", r.message());
}

#[tokio::test]
async fn every_x_acs_header_sent_must_be_signed() {
    let emu = emulator().await;
    let r = V3::new(&emu, ACCOUNT_A, "ListVpcPeerConnections")
        .header("x-acs-security-token", "CAIS-token", false)
        .send()
        .await;
    assert_eq!((r.status, r.code()), (400, "IncompleteSignature"), "{:?}", r.json);
    assert!(r.message().contains("\"x-acs-security-token\""), "{}", r.message());
    // Signed, it is accepted: the emulator has no STS and does not check the token.
    let r = V3::new(&emu, ACCOUNT_A, "ListVpcPeerConnections")
        .header("x-acs-security-token", "CAIS-token", true)
        .header("x-acs-accesskey-id", ACCOUNT_A.access_key_id, true)
        .send()
        .await;
    assert_eq!(r.status, 200, "{:?}", r.json);
    // Other headers need not be signed.
    let r = V3::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").header("user-agent", "test", false).send().await;
    assert_eq!(r.status, 200, "{:?}", r.json);
}

#[tokio::test]
async fn list_filters_refuse_what_they_could_never_match() {
    let emu = emulator().await;
    assert_eq!(create(&emu, "vpc-a", "vpc-b").send().await.status, 200);
    let list = || V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections");
    let cases = [
        (list().query("Tags.1.Value", "v"), "InvalidTagKey", "Tags.Key"),
        (list().query("Tags.1.Key", "").query("Tags.1.Value", "v"), "InvalidTagKey", "Tags.Key"),
        (list().query("Tags.1.Key", &"k".repeat(129)), "InvalidTagKey", "Tags.Key"),
        (list().query("Tags.1.Key", "acs:owner"), "Forbidden.TagKeys", "acs:owner"),
        (list().query("Tags.1.Key", "k").query("Tags.2.Key", "k"), "Forbidden.TagKey.Duplicated", "\"k\""),
        (list().form("VpcId", ","), "InvalidParameter", "\"VpcId\""),
        (list().form("VpcId", "vpc-a,"), "InvalidParameter", "\"VpcId\""),
        (list().form("VpcId", ",vpc-a"), "InvalidParameter", "\"VpcId\""),
        (list().form("VpcId.1", "vpc-a").form("VpcId.2", ""), "InvalidParameter", "\"VpcId\""),
    ];
    for (request, code, named) in cases {
        let r = request.send().await;
        assert_eq!((r.status, r.code()), (400, code), "{:?}", r.json);
        assert!(r.message().contains(named), "{named}: {}", r.message());
    }
    let r = list().form("VpcId", "").send().await;
    assert_eq!((r.status, r.json["TotalCount"].as_i64()), (200, Some(1)), "VpcId= is not given: {:?}", r.json);
}

#[tokio::test]
async fn booleans_and_format_are_case_insensitive_and_plus_is_a_space() {
    let emu = emulator().await;
    let mut request = create(&emu, "vpc-a", "vpc-b")
        .form("DryRun", "True")
        .form("Name", "peer with spaces")
        .common("Format", Some("json"));
    request.plus_for_space = true;
    let r = request.send().await;
    assert_eq!((r.status, r.code()), (400, "IllegalParam.Name"), "the name was decoded with spaces: {:?}", r.json);
    let mut request = create(&emu, "vpc-a", "vpc-b")
        .form("DryRun", "TRUE")
        .form("Description", "described here")
        .common("Format", Some("Json"));
    request.plus_for_space = true;
    assert_eq!(request.send().await.code(), "DryRunOperation");
}

#[tokio::test]
async fn vpc_id_lists_are_read_joined_and_indexed() {
    let emu = emulator().await;
    assert_eq!(create(&emu, "vpc-a", "vpc-b").send().await.status, 200);
    assert_eq!(create(&emu, "vpc-c", "vpc-d").send().await.status, 200);
    let joined = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").form("VpcId", "vpc-a,vpc-d").send().await;
    let indexed = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections")
        .form("VpcId.1", "vpc-a")
        .form("VpcId.2", "vpc-d")
        .send()
        .await;
    assert_eq!(joined.json["TotalCount"], 2);
    assert_eq!(joined.json["VpcPeerConnects"], indexed.json["VpcPeerConnects"]);
    let one = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").form("VpcId", "vpc-c").send().await;
    assert_eq!(one.json["TotalCount"], 1);
    let too_many = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").form("VpcId", "vpc-a,vpc-b,vpc-c").send().await;
    assert_eq!(too_many.code(), "InvalidParameter");
}

/// Sends raw bytes and returns the raw response.
async fn raw_exchange(emu: &Emulator, request: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(emu.local_addr()).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8(response).unwrap()
}

#[tokio::test]
async fn the_published_wire_requests_are_accepted_byte_for_byte() {
    let vector_emulator = || {
        Emulator::builder()
            .account(alibabacloud_emulator::Account::new(1, "testid", "testsecret"))
            .timestamp_window(Duration::from_secs(100 * 365 * 24 * 3600))
            .start()
    };
    let emu = vector_emulator().await.unwrap();
    let body = "ClientToken=123e4567-e89b-12d3-a456-426655440000&DryRun=true&InstanceId=pcc-lnk0m24khwvtkm0abcd";
    let v1 = format!(
        "POST /?AccessKeyId=testid&Action=RejectVpcPeerConnection&Format=json&Signature=NEDYCAjhoaKdVLHo7smsae1zzLE%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2022-01-01 HTTP/1.1\r\nhost: vpcpeer.aliyuncs.com\r\ncontent-type: application/x-www-form-urlencoded\r\nx-acs-action: RejectVpcPeerConnection\r\nx-acs-version: 2022-01-01\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let response = raw_exchange(&emu, &v1).await;
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    assert!(
        response.contains("\"Code\":\"ResourceNotFound.InstanceId\""),
        "signature accepted, then the peering is unknown: {response}"
    );

    let v3 = format!(
        "POST / HTTP/1.1\r\naccept: application/json\r\ncontent-type: application/x-www-form-urlencoded\r\nhost: vpcpeer.aliyuncs.com\r\nuser-agent: AlibabaCloud (test) TeaDSL/2\r\nx-acs-action: RejectVpcPeerConnection\r\nx-acs-content-sha256: 4ba5946ca23bc7a7da3dd556fbc40f82165693db726fd7f7ce05ee4dbcc35ddd\r\nx-acs-credentials-provider: static_ak\r\nx-acs-date: 2024-01-01T00:00:00Z\r\nx-acs-signature-nonce: 3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f\r\nx-acs-version: 2022-01-01\r\nAuthorization: ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=fb26a4155a03574513c6b9f2bb343a39ce4dd749634d5745a6a0681d57453ae3\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let replayed_nonce = raw_exchange(&emu, &v3).await;
    assert!(replayed_nonce.contains("\"Code\":\"SignatureNonceUsed\""), "both vectors share a nonce: {replayed_nonce}");
    let emu = vector_emulator().await.unwrap();
    let response = raw_exchange(&emu, &v3).await;
    assert!(response.contains("\"Code\":\"ResourceNotFound.InstanceId\""), "{response}");
    let replay = raw_exchange(&emu, &v3).await;
    assert!(replay.contains("\"Code\":\"SignatureNonceUsed\""), "{replay}");
}

#[tokio::test]
async fn garbage_requests_get_errors_not_panics() {
    let emu = emulator().await;
    let http = support::loopback_http();
    let cases: Vec<(reqwest::RequestBuilder, &str)> = vec![
        (http.post(format!("{}/", emu.endpoint())), "MissingParameter"),
        (http.post(format!("{}/?Action=%FF", emu.endpoint())), "InvalidParameter"),
        (
            http.post(format!("{}/", emu.endpoint())).header("content-type", "application/json").body("{}"),
            "InvalidParameter",
        ),
        (http.post(format!("{}/", emu.endpoint())).header("authorization", "Bearer x"), "IncompleteSignature"),
        (
            http.post(format!("{}/", emu.endpoint()))
                .header("authorization", "ACS3-HMAC-SHA256 Credential=LTAIemulatorAccountA"),
            "IncompleteSignature",
        ),
        (http.put(format!("{}/", emu.endpoint())), "UnsupportedHTTPMethod"),
    ];
    for (request, code) in cases {
        let response = request.send().await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(json["Code"], code, "{json}");
    }
    let huge = http
        .post(format!("{}/", emu.endpoint()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("Name={}", "x".repeat(2 << 20)))
        .send()
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&huge.bytes().await.unwrap()).unwrap();
    assert_eq!(json["Code"], "InvalidParameter", "{json}");
    assert!(json["Message"].as_str().unwrap().contains("request body"), "{json}");
    let after = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").send().await;
    assert_eq!(after.status, 200, "the emulator still serves");
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let emu = emulator().await;
    let addr = emu.local_addr();
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
    drop(emu);
    support::poll("the listener to close", Duration::from_secs(5), || async move {
        tokio::net::TcpStream::connect(addr).await.is_err().then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_old_core_sdk_request_shape_is_accepted() {
    let emu = emulator().await;
    assert_eq!(create(&emu, "vpc-a", "vpc-b").send().await.status, 200);
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections")
        .common("SignatureType", Some(""))
        .common("Format", Some("None"))
        .query("RegionId", "cn-hangzhou")
        .query("VpcId.1", "vpc-a")
        .send()
        .await;
    assert_eq!((r.status, r.json["TotalCount"].as_i64()), (200, Some(1)), "Format=None means unset: {:?}", r.json);
    let r = V1::new(&emu, ACCOUNT_A, "GetVpcPeerConnectionAttribute")
        .common("SignatureType", Some(""))
        .common("Format", Some("XML"))
        .query("RegionId", "cn-hangzhou")
        .query("InstanceId", "pcc-unknown")
        .send()
        .await;
    assert_eq!(
        r.code(),
        "ResourceNotFound.InstanceId",
        "an empty signed SignatureType and an undeclared RegionId are fine"
    );
    let r = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections")
        .common("SignatureType", Some(""))
        .query("VpcId.1", "vpc-a")
        .send()
        .await;
    assert_eq!((r.status, r.json["TotalCount"].as_i64()), (200, Some(1)), "{:?}", r.json);
}
