//! The emulator's signature verification against the vectors published in the facts doc
//! (§4.5, §4.6 for V1; §5.5–§5.7 for V3): requests published there, not signed by this
//! project's runtime (whose encoding the emulator shares), must be accepted, and with a wrong
//! secret the server's string to sign in the `SignatureDoesNotMatch` message must equal the
//! published one.

use alibabacloud_emulator::signature::{MISMATCH_PREFIX, TimeCheck, verify_v1, verify_v3};
use alibabacloud_emulator::{Pair, form_decode};
use std::collections::HashMap;
use std::time::Duration;

fn secrets(id: &str, secret: &str) -> HashMap<String, String> {
    HashMap::from([(id.to_owned(), secret.to_owned())])
}

fn at(timestamp: &str) -> TimeCheck {
    TimeCheck {
        now: alibabacloud_runtime::signing::parse_timestamp(timestamp).expect("vector timestamp"),
        window: Duration::from_secs(900),
    }
}

/// Parameters given as the doc lists them (`Name=value` separated by two spaces).
fn params(listing: &str) -> Vec<Pair> {
    let mut pairs: Vec<Pair> = listing
        .split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').expect("Name=value");
            (n.to_owned(), v.to_owned())
        })
        .collect();
    pairs.sort();
    pairs
}

struct V1Vector {
    method: &'static str,
    id: &'static str,
    secret: &'static str,
    params: &'static str,
    string_to_sign: &'static str,
    signature: &'static str,
}

fn check_v1(v: &V1Vector) {
    let timestamp = params(v.params).into_iter().find(|(n, _)| n == "Timestamp").unwrap().1;
    let mut signed = params(v.params);
    signed.push(("Signature".to_owned(), v.signature.to_owned()));
    signed.sort();
    let ok =
        verify_v1(v.method, &signed, &secrets(v.id, v.secret), at(&timestamp)).expect("published request accepted");
    assert_eq!(ok.access_key_id, v.id);

    let err = verify_v1(v.method, &signed, &secrets(v.id, "wrong"), at(&timestamp)).unwrap_err();
    assert_eq!((err.status, err.code.as_ref()), (400, "SignatureDoesNotMatch"));
    assert_eq!(err.message, format!("{MISMATCH_PREFIX}{}", v.string_to_sign));
}

#[test]
fn v1_describe_regions_doc_example() {
    check_v1(&V1Vector {
        method: "GET",
        id: "testid",
        secret: "testsecret",
        params: "AccessKeyId=testid  Action=DescribeRegions  Format=XML  SignatureMethod=HMAC-SHA1  SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf  SignatureVersion=1.0  Timestamp=2016-02-23T12:46:24Z  Version=2014-05-26",
        string_to_sign: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
        signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    });
}

#[test]
fn v1_describe_dedicated_hosts_doc_example() {
    check_v1(&V1Vector {
        method: "GET",
        id: "testid",
        secret: "testsecret",
        params: "AccessKeyId=testid  Action=DescribeDedicatedHosts  Format=JSON  RegionId=cn-beijing  SignatureMethod=HMAC-SHA1  SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb  SignatureVersion=1.0  Timestamp=2023-03-13T08:34:30Z  Version=2014-05-26",
        string_to_sign: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26",
        signature: "9NaGiOspFP5UPcwX8Iwt2YJXXuk=",
    });
}

#[test]
fn v1_send_sms_with_utf8_and_json_values() {
    check_v1(&V1Vector {
        method: "GET",
        id: "testId",
        secret: "testSecret",
        params: "AccessKeyId=testId  Action=SendSms  Format=XML  OutId=123  PhoneNumbers=15300000001  RegionId=cn-hangzhou  SignName=阿里云短信测试专用  SignatureMethod=HMAC-SHA1  SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466  SignatureVersion=1.0  TemplateCode=SMS_71390007  TemplateParam={\"customer\":\"test\"}  Timestamp=2017-07-12T02:42:19Z  Version=2017-05-25",
        string_to_sign: "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25",
        signature: "zJDF+Lrzhj/ThnlvIToysFRq6t4=",
    });
}

#[test]
fn v1_reject_vpc_peer_connection_with_form_body() {
    check_v1(&V1Vector {
        method: "POST",
        id: "testid",
        secret: "testsecret",
        params: "AccessKeyId=testid  Action=RejectVpcPeerConnection  Format=json  SignatureMethod=HMAC-SHA1  SignatureNonce=3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f  SignatureVersion=1.0  Timestamp=2024-01-01T00:00:00Z  Version=2022-01-01  ClientToken=123e4567-e89b-12d3-a456-426655440000  DryRun=true  InstanceId=pcc-lnk0m24khwvtkm0abcd",
        string_to_sign: "POST&%2F&AccessKeyId%3Dtestid%26Action%3DRejectVpcPeerConnection%26ClientToken%3D123e4567-e89b-12d3-a456-426655440000%26DryRun%3Dtrue%26Format%3Djson%26InstanceId%3Dpcc-lnk0m24khwvtkm0abcd%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2022-01-01",
        signature: "NEDYCAjhoaKdVLHo7smsae1zzLE=",
    });
}

#[test]
fn v1_wrong_method_or_tampered_value_is_a_mismatch() {
    let mut signed = params(
        "AccessKeyId=testid  Action=DescribeRegions  Format=XML  SignatureMethod=HMAC-SHA1  SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf  SignatureVersion=1.0  Timestamp=2016-02-23T12:46:24Z  Version=2014-05-26  Signature=OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    );
    let keys = secrets("testid", "testsecret");
    let time = at("2016-02-23T12:46:24Z");
    assert_eq!(verify_v1("POST", &signed, &keys, time).unwrap_err().code, "SignatureDoesNotMatch");
    for p in signed.iter_mut().filter(|(n, _)| n == "Format") {
        p.1 = "JSON".to_owned();
    }
    assert_eq!(verify_v1("GET", &signed, &keys, time).unwrap_err().code, "SignatureDoesNotMatch");
}

struct V3Vector {
    id: &'static str,
    secret: &'static str,
    query: &'static str,
    headers: &'static [(&'static str, &'static str)],
    authorization: &'static str,
    body: &'static str,
    hashed_canonical_request: &'static str,
}

fn check_v3(v: &V3Vector) {
    let query = form_decode(v.query.as_bytes(), "query string").unwrap();
    let date = v.headers.iter().find(|(n, _)| *n == "x-acs-date").unwrap().1;
    let mut headers: Vec<(&str, &str)> = v.headers.to_vec();
    headers.push(("authorization", v.authorization));
    let ok = verify_v3("POST", "/", &query, &headers, v.body.as_bytes(), &secrets(v.id, v.secret), at(date))
        .expect("published request accepted");
    assert_eq!(ok.access_key_id, v.id);

    let err =
        verify_v3("POST", "/", &query, &headers, v.body.as_bytes(), &secrets(v.id, "wrong"), at(date)).unwrap_err();
    assert_eq!(err.code, "SignatureDoesNotMatch");
    assert_eq!(err.message, format!("{MISMATCH_PREFIX}ACS3-HMAC-SHA256\n{}", v.hashed_canonical_request));
}

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[test]
fn v3_run_instances_fixed_value_example() {
    check_v3(&V3Vector {
        id: "YourAccessKeyId",
        secret: "YourAccessKeySecret",
        query: "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        headers: &[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-content-sha256", EMPTY_SHA256),
        ],
        authorization: "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
        body: "",
        hashed_canonical_request: "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
    });
}

#[test]
fn v3_run_instances_header_table_example() {
    check_v3(&V3Vector {
        id: "YourAccessKeyId",
        secret: "YourAccessKeySecret",
        query: "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        headers: &[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T09:01:01Z"),
            ("x-acs-signature-nonce", "d410180a5abf7fe235dd9b74aca91fc0"),
            ("x-acs-content-sha256", EMPTY_SHA256),
        ],
        authorization: "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804",
        body: "",
        hashed_canonical_request: "29622f5feb1e9fcaaa2e276a72889c975f7b16f00e02be1ca34965b18cd85015",
    });
}

const OFFICIAL_V3_HEADERS: &[(&str, &str)] = &[
    ("accept", "application/json"),
    ("content-type", "application/x-www-form-urlencoded"),
    ("host", "vpcpeer.aliyuncs.com"),
    ("user-agent", "AlibabaCloud (test) TeaDSL/2"),
    ("x-acs-action", "RejectVpcPeerConnection"),
    ("x-acs-content-sha256", "4ba5946ca23bc7a7da3dd556fbc40f82165693db726fd7f7ce05ee4dbcc35ddd"),
    ("x-acs-credentials-provider", "static_ak"),
    ("x-acs-date", "2024-01-01T00:00:00Z"),
    ("x-acs-signature-nonce", "3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f"),
    ("x-acs-version", "2022-01-01"),
];
const OFFICIAL_V3_AUTHORIZATION: &str = "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=fb26a4155a03574513c6b9f2bb343a39ce4dd749634d5745a6a0681d57453ae3";
const OFFICIAL_V3_BODY: &str =
    "ClientToken=123e4567-e89b-12d3-a456-426655440000&DryRun=true&InstanceId=pcc-lnk0m24khwvtkm0abcd";

#[test]
fn v3_reject_vpc_peer_connection_as_the_official_client_sends_it() {
    check_v3(&V3Vector {
        id: "testid",
        secret: "testsecret",
        query: "",
        headers: OFFICIAL_V3_HEADERS,
        authorization: OFFICIAL_V3_AUTHORIZATION,
        body: OFFICIAL_V3_BODY,
        hashed_canonical_request: "b38a468880e2c20f4af9af5a27245ace90eacce7263e42e8a1f87515855f0da5",
    });
}

#[test]
fn v3_body_hash_and_signed_header_set_are_enforced() {
    let keys = secrets("testid", "testsecret");
    let time = at("2024-01-01T00:00:00Z");
    let mut headers: Vec<(&str, &str)> = OFFICIAL_V3_HEADERS.to_vec();
    headers.push(("authorization", OFFICIAL_V3_AUTHORIZATION));
    let tampered = OFFICIAL_V3_BODY.replace("DryRun=true", "DryRun=false");
    let err = verify_v3("POST", "/", &[], &headers, tampered.as_bytes(), &keys, time).unwrap_err();
    assert_eq!(err.code, "SignatureDoesNotMatch");
    assert!(err.message.contains("x-acs-content-sha256"), "{}", err.message);

    let no_date = "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-signature-nonce;x-acs-version,Signature=00";
    let mut headers: Vec<(&str, &str)> = OFFICIAL_V3_HEADERS.to_vec();
    headers.push(("authorization", no_date));
    let err = verify_v3("POST", "/", &[], &headers, OFFICIAL_V3_BODY.as_bytes(), &keys, time).unwrap_err();
    assert_eq!(err.code, "IncompleteSignature");
    assert!(err.message.contains("x-acs-date"), "{}", err.message);

    let mut headers: Vec<(&str, &str)> = OFFICIAL_V3_HEADERS.to_vec();
    headers.push(("authorization", "ACS3-HMAC-SHA256 Credential=testid,Signature=00"));
    let err = verify_v3("POST", "/", &[], &headers, OFFICIAL_V3_BODY.as_bytes(), &keys, time).unwrap_err();
    assert!(err.message.contains("SignedHeaders"), "{}", err.message);
}

#[test]
fn timestamps_outside_the_window_or_malformed_are_rejected_before_the_signature() {
    let mut signed = params(
        "AccessKeyId=testid  Action=DescribeRegions  Format=XML  SignatureMethod=HMAC-SHA1  SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf  SignatureVersion=1.0  Timestamp=2016-02-23T12:46:24Z  Version=2014-05-26  Signature=OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    );
    let keys = secrets("testid", "testsecret");
    assert!(verify_v1("GET", &signed, &keys, at("2016-02-23T13:01:24Z")).is_ok(), "15 minutes later is inside");
    let err = verify_v1("GET", &signed, &keys, at("2016-02-23T13:01:25Z")).unwrap_err();
    assert_eq!(err.code, "InvalidTimeStamp.Expired");
    let err = verify_v1("GET", &signed, &keys, at("2016-02-23T12:31:23Z")).unwrap_err();
    assert_eq!(err.code, "InvalidTimeStamp.Expired");
    for p in signed.iter_mut().filter(|(n, _)| n == "Timestamp") {
        p.1 = "2016-02-23 12:46:24".to_owned();
    }
    let err = verify_v1("GET", &signed, &keys, at("2016-02-23T12:46:24Z")).unwrap_err();
    assert_eq!(err.code, "InvalidTimeStamp.Format");
    let err = verify_v1("GET", &signed, &secrets("other", "x"), at("2016-02-23T12:46:24Z")).unwrap_err();
    assert_eq!((err.status, err.code.as_ref()), (404, "InvalidAccessKeyId.NotFound"));
}
