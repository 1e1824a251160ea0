//! Paginators: `into_pages()` follows `NextToken` through the emulator's real pagination, and
//! stops with an error when a service hands out a token a second time.

use alibabacloud_emulator::{Emulator, Fault, FaultRule};
use alibabacloud_integration_tests::CaptureServer;
use alibabacloud_integration_tests::emulated::{self, create};
use alibabacloud_vpcpeer::SdkError;
use std::collections::BTreeSet;
use std::time::Duration;

#[tokio::test]
async fn pages_follow_next_token_until_the_last_page() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = emulated::client(&emulator, emulated::patient());
    let mut created = BTreeSet::new();
    for call in 0..45 {
        created.insert(create(&client, call).await.expect("create"));
    }

    let mut pages = client.list_vpc_peer_connections().region_id("cn-hangzhou").max_results(20).into_pages();
    let (mut sizes, mut listed) = (Vec::new(), BTreeSet::new());
    while let Some(page) = pages.next().await {
        let peerings = page.expect("page").vpc_peer_connects.unwrap_or_default();
        sizes.push(peerings.len());
        listed.extend(peerings.into_iter().filter_map(|p| p.instance_id));
    }
    assert_eq!(sizes, [20, 20, 5]);
    assert_eq!(listed, created, "every peering once, none missing");
    assert!(pages.next().await.is_none(), "the pages stay ended");

    // The same results one at a time, across the three pages.
    let mut items = client.list_vpc_peer_connections().region_id("cn-hangzhou").max_results(20).into_pages().items();
    let mut one_by_one = Vec::new();
    while let Some(peering) = items.next().await {
        one_by_one.push(peering.expect("item").instance_id.expect("id"));
    }
    assert_eq!(one_by_one.len(), 45);
    assert_eq!(one_by_one.into_iter().collect::<BTreeSet<_>>(), created);
    assert!(items.next().await.is_none(), "the items stay ended");
    fn spawnable<T: Send + 'static>(_: &T) {}
    let pages = client.list_vpc_peer_connections().into_pages();
    spawnable(&pages);
    spawnable(&async move {
        let mut pages = pages;
        pages.next().await
    });
}

#[tokio::test]
async fn a_token_given_twice_ends_the_pages_with_an_error_after_its_page() {
    let server = CaptureServer::start().await;
    server.reply(200, r#"{"RequestId":"r","NextToken":"same","VpcPeerConnects":[{"InstanceId":"pcc-1"}]}"#);
    let mut pages = server.client().list_vpc_peer_connections().region_id("cn-hangzhou").into_pages();

    assert!(pages.next().await.expect("first page").is_ok());
    // The page that repeats the token is new data: it is given, and the error comes after it.
    let second = pages.next().await.expect("second page").expect("the second page itself");
    assert_eq!(second.vpc_peer_connects.unwrap()[0].instance_id.as_deref(), Some("pcc-1"));
    match pages.next().await.expect("then the error") {
        Err(SdkError::Pagination(error)) => {
            assert_eq!(error.token(), "same");
            assert!(error.to_string().contains("gave the page token `same` a second time"), "{error}");
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
    assert!(pages.next().await.is_none());
    let tokens: Vec<Option<String>> = server
        .captured()
        .iter()
        .map(|sent| sent.form().into_iter().find(|(k, _)| k == "NextToken").map(|(_, v)| v))
        .collect();
    assert_eq!(tokens, [None, Some("same".to_owned())], "the second request asked for the page after `same`");
}

#[tokio::test]
async fn a_token_that_comes_back_after_others_ends_the_pages_too() {
    let server = CaptureServer::start().await;
    let mut pages = server.client().list_vpc_peer_connections().region_id("cn-hangzhou").into_pages();
    // The service answers the tokens A, B, then A again: a loop of two pages.
    for (token, page) in [("A", "pcc-1"), ("B", "pcc-2"), ("A", "pcc-3")] {
        let body =
            format!(r#"{{"RequestId":"r","NextToken":"{token}","VpcPeerConnects":[{{"InstanceId":"{page}"}}]}}"#);
        server.reply(200, &body);
        let got = pages.next().await.expect("a page").expect("the page itself");
        assert_eq!(got.vpc_peer_connects.unwrap()[0].instance_id.as_deref(), Some(page));
    }
    match pages.next().await.expect("then the error") {
        Err(SdkError::Pagination(error)) => assert_eq!(error.token(), "A"),
        other => panic!("expected a pagination error, got {other:?}"),
    }
    assert!(pages.next().await.is_none());
    assert_eq!(server.captured().len(), 3, "the loop is not followed");
}

#[tokio::test]
async fn an_error_ends_the_items_after_the_items_before_it() {
    let server = CaptureServer::start().await;
    let client = server.client();
    server.reply(200, r#"{"RequestId":"r","NextToken":"t1","TagResources":[{"TagKey":"a"},{"TagKey":"b"}]}"#);
    let mut items = client
        .list_tag_resources()
        .resource_type("PeerConnection")
        .region_id("cn-hangzhou")
        .resource_id("pcc-1")
        .into_pages()
        .items();
    let first = items.next().await.expect("an item").expect("ok");
    assert_eq!(first.tag_key.as_deref(), Some("a"));
    server.reply(400, r#"{"RequestId":"r2","Code":"InvalidInstanceIds.NotFound"}"#);
    assert_eq!(items.next().await.expect("the second item").expect("ok").tag_key.as_deref(), Some("b"));
    let error = items.next().await.expect("then the error").expect_err("an error");
    assert_eq!(error.code(), Some("InvalidInstanceIds.NotFound"));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn a_next_dropped_before_its_answer_loses_no_page() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = emulated::client(&emulator, emulated::patient());
    let created = create(&client, 0).await.expect("create");
    let mut pages = client.list_vpc_peer_connections().region_id("cn-hangzhou").into_pages();
    emulator.inject(FaultRule::new(Fault::Latency(Duration::from_secs(2))).action("ListVpcPeerConnections").next(1));
    let cut_short = tokio::time::timeout(Duration::from_millis(200), pages.next()).await;
    assert!(cut_short.is_err(), "the call was still waiting for its answer");
    // Asked again, the same page comes.
    let page = pages.next().await.expect("the page was not lost").expect("page");
    let ids: Vec<_> = page.vpc_peer_connects.unwrap_or_default().into_iter().filter_map(|p| p.instance_id).collect();
    assert_eq!(ids, [created]);
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn a_service_error_ends_the_pages_and_query_tokens_travel_in_the_query() {
    let server = CaptureServer::start().await;
    server.reply(200, r#"{"RequestId":"r","NextToken":"t-1","TagResources":[]}"#);
    let mut pages =
        server.client().list_tag_resources().region_id("cn-hangzhou").resource_type("PeerConnection").into_pages();
    assert!(pages.next().await.expect("first page").is_ok());
    server.reply(400, r#"{"RequestId":"r2","Code":"InvalidTagKey","Message":"The tag keys are not valid."}"#);
    let error = pages.next().await.expect("second answer").expect_err("a service error");
    assert_eq!(error.code(), Some("InvalidTagKey"));
    assert!(pages.next().await.is_none());
    assert_eq!(server.last().query_value("NextToken").as_deref(), Some("t-1"));

    let empty = CaptureServer::start().await;
    empty.reply(200, r#"{"RequestId":"r","NextToken":"","VpcPeerConnects":[]}"#);
    let mut pages = empty.client().list_vpc_peer_connections().region_id("cn-hangzhou").into_pages();
    assert!(pages.next().await.expect("the only page").is_ok());
    assert!(pages.next().await.is_none(), "an empty NextToken is the last page");
}
