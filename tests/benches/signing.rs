//! Bench: full V1 signing of a `RejectVpcPeerConnection` request (parameters, nonce,
//! timestamp, canonicalization, HMAC-SHA1, Base64, URL and body) against a bare HMAC-SHA1 +
//! Base64 of the same string to sign. Goal: at most 2x. Run with
//! `cargo bench -p alibabacloud-integration-tests --bench signing`.

use alibabacloud_integration_tests::bench::side_by_side;
use alibabacloud_runtime::signing::v1;
use alibabacloud_runtime::{Credentials, Operation, Params};
use alibabacloud_vpcpeer::operation::reject_vpc_peer_connection::RejectVpcPeerConnectionRequest;
use std::hint::black_box;
use std::time::SystemTime;

fn main() {
    let credentials = Credentials::new("LTAI5tBenchmarkKeyId", "bench-secret-value-of-30-chars");
    let request = RejectVpcPeerConnectionRequest::builder()
        .instance_id("pcc-lnk0m24khwvtkm0abcd")
        .dry_run(true)
        .client_token("123e4567-e89b-12d3-a456-426655440000")
        .build()
        .expect("valid request");
    let full = |n: u32| {
        for _ in 0..n {
            let mut params = Params::default();
            black_box(&request).write_params(&mut params);
            let signed = v1::sign_request(
                "https://vpcpeer.aliyuncs.com",
                "2022-01-01",
                RejectVpcPeerConnectionRequest::ACTION,
                &params,
                &credentials,
                SystemTime::now(),
            );
            black_box(signed);
        }
    };
    // The same string to sign as a real request, computed once.
    let mut params = Params::default();
    request.write_params(&mut params);
    let signed = v1::sign_request(
        "https://x",
        "2022-01-01",
        "RejectVpcPeerConnection",
        &params,
        &credentials,
        SystemTime::now(),
    );
    let query = signed.url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let all: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .chain(form_urlencoded::parse(signed.body.as_bytes()))
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let string_to_sign = v1::string_to_sign("POST", all.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let bare = |n: u32| {
        for _ in 0..n {
            black_box(v1::sign(black_box("bench-secret-value-of-30-chars"), black_box(&string_to_sign)));
        }
    };
    let result = side_by_side(41, 20_000, full, bare);
    println!("V1 signing of RejectVpcPeerConnection (string to sign: {} bytes)", string_to_sign.len());
    println!(
        "  full signing (params, nonce, timestamp, canonicalize, HMAC-SHA1, Base64, URL, body): {:>8.0} ns",
        result.a.as_nanos()
    );
    println!(
        "  bare HMAC-SHA1 + Base64 of the same string to sign:                                  {:>8.0} ns",
        result.b.as_nanos()
    );
    println!("  ratio: {:.2}x (goal: at most 2x)", result.ratio);
}
