//! The published signature vectors of the facts doc (§4.5, §4.6, §5.5–§5.7) reproduce
//! exactly: canonical strings, strings to sign and signatures.

use alibabacloud_runtime::encoding::canonical_query;
use alibabacloud_runtime::signing::{v1, v3};

/// Parameters written `Name=value` separated by two spaces, as in the facts doc.
fn params(text: &str) -> Vec<(&str, &str)> {
    text.split("  ").map(str::trim).filter(|p| !p.is_empty()).map(|p| p.split_once('=').expect("Name=value")).collect()
}

struct V1Vector {
    method: &'static str,
    secret: &'static str,
    params: &'static str,
    canonical: &'static str,
    string_to_sign: &'static str,
    signature: &'static str,
}

fn check_v1(v: &V1Vector) {
    let params = params(v.params);
    assert_eq!(canonical_query(params.iter().copied()), v.canonical);
    let string_to_sign = v1::string_to_sign(v.method, params.iter().copied());
    assert_eq!(string_to_sign, v.string_to_sign);
    assert_eq!(v1::sign(v.secret, &string_to_sign), v.signature);
}

#[test]
fn v1_describe_regions_classic_example() {
    check_v1(&V1Vector {
        method: "GET",
        secret: "testsecret",
        params: "AccessKeyId=testid  Action=DescribeRegions  Format=XML  SignatureMethod=HMAC-SHA1  SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf  SignatureVersion=1.0  Timestamp=2016-02-23T12:46:24Z  Version=2014-05-26",
        canonical: "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26",
        string_to_sign: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
        signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    });
}

#[test]
fn v1_describe_regions_with_the_timestamp_key_spelled_timestamp_capital_s() {
    let params = params(
        "AccessKeyId=testid  Action=DescribeRegions  Format=XML  SignatureMethod=HMAC-SHA1  SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf  SignatureVersion=1.0  TimeStamp=2016-02-23T12:46:24Z  Version=2014-05-26",
    );
    let string_to_sign = v1::string_to_sign("GET", params.iter().copied());
    assert_eq!(v1::sign("testsecret", &string_to_sign), "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
}

#[test]
fn v1_describe_dedicated_hosts_v2_doc_example() {
    check_v1(&V1Vector {
        method: "GET",
        secret: "testsecret",
        params: "AccessKeyId=testid  Action=DescribeDedicatedHosts  Format=JSON  RegionId=cn-beijing  SignatureMethod=HMAC-SHA1  SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb  SignatureVersion=1.0  Timestamp=2023-03-13T08:34:30Z  Version=2014-05-26",
        canonical: "AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26",
        string_to_sign: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26",
        signature: "9NaGiOspFP5UPcwX8Iwt2YJXXuk=",
    });
}

#[test]
fn v1_send_sms_with_utf8_and_json_values() {
    check_v1(&V1Vector {
        method: "GET",
        secret: "testSecret",
        params: "AccessKeyId=testId  Action=SendSms  Format=XML  OutId=123  PhoneNumbers=15300000001  RegionId=cn-hangzhou  SignName=阿里云短信测试专用  SignatureMethod=HMAC-SHA1  SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466  SignatureVersion=1.0  TemplateCode=SMS_71390007  TemplateParam={\"customer\":\"test\"}  Timestamp=2017-07-12T02:42:19Z  Version=2017-05-25",
        canonical: "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25",
        string_to_sign: "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25",
        signature: "zJDF+Lrzhj/ThnlvIToysFRq6t4=",
    });
}

#[test]
fn v1_official_util_unit_tests() {
    check_v1(&V1Vector {
        method: "GET",
        secret: "secret",
        params: "query=test  body=test",
        canonical: "body=test&query=test",
        string_to_sign: "GET&%2F&body%3Dtest%26query%3Dtest",
        signature: "XlUyV4sXjOuX5FnjUz9IF9tm5rU=",
    });
    check_v1(&V1Vector {
        method: "",
        secret: "accessKeySecret",
        params: "test=ok",
        canonical: "test=ok",
        string_to_sign: "&%2F&test%3Dok",
        signature: "jHx/oHoHNrbVfhncHEvPdHXZwHU=",
    });
}

#[test]
fn v1_reject_vpc_peer_connection_from_the_official_client() {
    check_v1(&V1Vector {
        method: "POST",
        secret: "testsecret",
        params: "AccessKeyId=testid  Action=RejectVpcPeerConnection  Format=json  SignatureMethod=HMAC-SHA1  SignatureNonce=3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f  SignatureVersion=1.0  Timestamp=2024-01-01T00:00:00Z  Version=2022-01-01  ClientToken=123e4567-e89b-12d3-a456-426655440000  DryRun=true  InstanceId=pcc-lnk0m24khwvtkm0abcd",
        canonical: "AccessKeyId=testid&Action=RejectVpcPeerConnection&ClientToken=123e4567-e89b-12d3-a456-426655440000&DryRun=true&Format=json&InstanceId=pcc-lnk0m24khwvtkm0abcd&SignatureMethod=HMAC-SHA1&SignatureNonce=3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2022-01-01",
        string_to_sign: "POST&%2F&AccessKeyId%3Dtestid%26Action%3DRejectVpcPeerConnection%26ClientToken%3D123e4567-e89b-12d3-a456-426655440000%26DryRun%3Dtrue%26Format%3Djson%26InstanceId%3Dpcc-lnk0m24khwvtkm0abcd%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3c3ad3a6e9a54c5d9a4f1a2b3c4d5e6f%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2022-01-01",
        signature: "NEDYCAjhoaKdVLHo7smsae1zzLE=",
    });
}

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn run_instances_headers<'a>(date: &'a str, nonce: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("x-acs-version", "2014-05-26"),
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-date", date),
        ("x-acs-signature-nonce", nonce),
        ("x-acs-content-sha256", EMPTY_SHA256),
    ]
}

fn check_v3(
    headers: &[(&str, &str)],
    query: &[(&str, &str)],
    body: &[u8],
    hashed: &str,
    authorization: &str,
    secret: &str,
) {
    let body_hash = v3::hex_sha256(body);
    let canonical = v3::canonical_request("POST", "/", query.iter().copied(), headers, &body_hash);
    let string_to_sign = v3::string_to_sign(&canonical);
    assert_eq!(string_to_sign, format!("ACS3-HMAC-SHA256\n{hashed}"));
    let id = authorization.split("Credential=").nth(1).and_then(|r| r.split(',').next()).unwrap();
    let signature = v3::sign(secret, &string_to_sign);
    assert_eq!(v3::authorization(id, &v3::signed_headers(headers), &signature), authorization);
}

#[test]
fn v3_run_instances_fixed_value_example() {
    let headers = run_instances_headers("2023-10-26T10:22:32Z", "3156853299f313e23d1673dc12e1703d");
    let query = [("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), ("RegionId", "cn-shanghai")];
    let canonical = v3::canonical_request("POST", "/", query, &headers, EMPTY_SHA256);
    assert_eq!(
        canonical,
        "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
         host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n\
         x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
         x-acs-version:2014-05-26\n\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    check_v3(
        &headers,
        &query,
        b"",
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
        "YourAccessKeySecret",
    );
}

#[test]
fn v3_run_instances_header_table_example() {
    let headers = run_instances_headers("2023-10-26T09:01:01Z", "d410180a5abf7fe235dd9b74aca91fc0");
    let query = [("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), ("RegionId", "cn-shanghai")];
    check_v3(
        &headers,
        &query,
        b"",
        "29622f5feb1e9fcaaa2e276a72889c975f7b16f00e02be1ca34965b18cd85015",
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804",
        "YourAccessKeySecret",
    );
}

#[test]
fn v3_reject_vpc_peer_connection_from_the_official_client() {
    let body = b"ClientToken=123e4567-e89b-12d3-a456-426655440000&DryRun=true&InstanceId=pcc-lnk0m24khwvtkm0abcd";
    assert_eq!(body.len(), 95);
    assert_eq!(v3::hex_sha256(body), "4ba5946ca23bc7a7da3dd556fbc40f82165693db726fd7f7ce05ee4dbcc35ddd");
    let headers = [
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
    check_v3(
        &headers,
        &[],
        body,
        "b38a468880e2c20f4af9af5a27245ace90eacce7263e42e8a1f87515855f0da5",
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=fb26a4155a03574513c6b9f2bb343a39ce4dd749634d5745a6a0681d57453ae3",
        "testsecret",
    );
}

#[test]
fn sha256_of_test_matches_the_official_util() {
    assert_eq!(v3::hex_sha256(b"test"), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
}
