//! The peering lifecycle end to end with the generated client against the emulator: every
//! operation, every transition of the facts doc §9.2 and every forbidden one of §9.3,
//! DryRun, ClientToken idempotency, visibility across accounts and expiry.

mod support;

use alibabacloud_emulator::{ACCOUNT_A, ACCOUNT_B, Account, Delays, Emulator};
use alibabacloud_vpcpeer::operation::{
    accept_vpc_peer_connection::AcceptVpcPeerConnectionError, create_vpc_peer_connection::CreateVpcPeerConnectionError,
    delete_vpc_peer_connection::DeleteVpcPeerConnectionError,
    get_vpc_peer_connection_attribute::GetVpcPeerConnectionAttributeError,
    modify_vpc_peer_connection::ModifyVpcPeerConnectionError, move_resource_group::MoveResourceGroupError,
    reject_vpc_peer_connection::RejectVpcPeerConnectionError, tag_resources::TagResourcesError,
    un_tag_resources::UnTagResourcesError,
};
use alibabacloud_vpcpeer::{Client, Outcome, types::Tag};
use std::time::Duration;
use support::{client, client_v3};

const HANGZHOU: &str = "cn-hangzhou";
const SHANGHAI: &str = "cn-shanghai";
const HOUR: Duration = Duration::from_secs(3600);

/// The response of a write that was performed (not a dry run).
fn done<T>(outcome: Outcome<T>) -> T {
    outcome.completed().expect("performed, not a dry run")
}

async fn zero_delay() -> Emulator {
    Emulator::builder().delays(Delays::ZERO).start().await.expect("emulator starts")
}

async fn slow() -> Emulator {
    Emulator::builder().delays(Delays::uniform(HOUR)).start().await.expect("emulator starts")
}

fn tag(key: &str, value: &str) -> Tag {
    Tag { key: Some(key.into()), value: Some(value.into()) }
}

async fn create(client: &Client, vpc: &str, accepting_uid: i64, peer_vpc: &str) -> String {
    let outcome = client
        .create_vpc_peer_connection()
        .region_id(HANGZHOU)
        .vpc_id(vpc)
        .accepting_ali_uid(accepting_uid)
        .accepting_region_id(HANGZHOU)
        .accepting_vpc_id(peer_vpc)
        .send()
        .await
        .expect("create succeeds");
    let response = outcome.completed().expect("not a dry run");
    assert!(response.request_id.is_some());
    response.instance_id.expect("instance id")
}

/// The status, or `None` once Get says `ResourceNotFound.InstanceId`.
async fn status(client: &Client, id: &str) -> Option<String> {
    match client.get_vpc_peer_connection_attribute().instance_id(id).send().await {
        Ok(response) => Some(response.status.expect("status")),
        Err(e) => match e.as_service_error() {
            Some(GetVpcPeerConnectionAttributeError::ResourceNotFoundInstanceId(_)) => None,
            _ => panic!("unexpected error {e}"),
        },
    }
}

async fn list_ids(client: &Client) -> Vec<String> {
    let response = client.list_vpc_peer_connections().send().await.expect("list");
    response.vpc_peer_connects.unwrap_or_default().into_iter().filter_map(|p| p.instance_id).collect()
}

#[tokio::test]
async fn cross_account_accept_modify_tag_move_and_delete() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-requester1", ACCOUNT_B.uid, "vpc-accepter1").await;
    assert_eq!(status(&a, &id).await.as_deref(), Some("Accepting"));
    let seen_by_b = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(seen_by_b.status.as_deref(), Some("Accepting"));
    assert_eq!((seen_by_b.owner_id, seen_by_b.accepting_owner_uid), (Some(ACCOUNT_A.uid), Some(ACCOUNT_B.uid)));
    assert!(seen_by_b.gmt_expired.is_some(), "GmtExpired is set while Accepting");
    assert_eq!(list_ids(&b).await, vec![id.clone()]);

    let dry = b.accept_vpc_peer_connection().instance_id(&id).dry_run(true).send().await.unwrap();
    assert!(dry.is_dry_run_passed());
    assert_eq!(status(&b, &id).await.as_deref(), Some("Accepting"), "a dry run changes nothing");

    let accepted = b
        .accept_vpc_peer_connection()
        .instance_id(&id)
        .resource_group_id("rg-accepterside")
        .tag(tag("side", "accepter"))
        .send()
        .await
        .unwrap();
    assert!(matches!(accepted, Outcome::Completed(_)));
    assert_eq!(status(&a, &id).await.as_deref(), Some("Activated"));
    let b_view = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(b_view.resource_group_id.as_deref(), Some("rg-accepterside"));
    assert_eq!(b_view.tags, Some(vec![tag("side", "accepter")]));
    assert_eq!(b_view.gmt_expired, None);
    let a_view = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_ne!(a_view.resource_group_id, b_view.resource_group_id, "each account has its own view");

    done(
        a.modify_vpc_peer_connection().instance_id(&id).name("renamed").description("Described").send().await.unwrap(),
    );
    let modified = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!((modified.name.as_deref(), modified.description.as_deref()), (Some("renamed"), Some("Described")));
    assert_eq!(modified.status.as_deref(), Some("Activated"));
    assert_eq!(a.list_vpc_peer_connections().name("renamed").send().await.unwrap().total_count, Some(1));
    assert_eq!(a.list_vpc_peer_connections().name("other").send().await.unwrap().total_count, Some(0));

    let tagged = a
        .tag_resources()
        .resource_id(&id)
        .tag(tag("env", "prod"))
        .tag(tag("team", "net"))
        .resource_type("PeerConnection")
        .region_id(HANGZHOU)
        .send()
        .await
        .unwrap();
    assert_eq!(tagged.success, Some(true));
    let tags = a
        .list_tag_resources()
        .resource_type("PeerConnection")
        .region_id(HANGZHOU)
        .resource_id(&id)
        .send()
        .await
        .unwrap();
    let pairs: Vec<(String, String)> =
        tags.tag_resources.unwrap().into_iter().map(|t| (t.tag_key.unwrap(), t.tag_value.unwrap())).collect();
    assert_eq!(pairs, vec![("env".into(), "prod".into()), ("team".into(), "net".into())]);
    let untagged = a
        .un_tag_resources()
        .resource_id(&id)
        .tag_key("env")
        .resource_type("PeerConnection")
        .region_id(HANGZHOU)
        .send()
        .await
        .unwrap();
    assert_eq!(untagged.success, Some(true));
    let by_tag = a.list_vpc_peer_connections().tags(tag("team", "net")).send().await.unwrap();
    assert_eq!(by_tag.total_count, Some(1));
    let by_removed_tag = a.list_vpc_peer_connections().tags(tag("env", "prod")).send().await.unwrap();
    assert_eq!(by_removed_tag.total_count, Some(0));
    a.un_tag_resources()
        .resource_id(&id)
        .all(true)
        .resource_type("PeerConnection")
        .region_id(HANGZHOU)
        .send()
        .await
        .unwrap();
    let none = a
        .list_tag_resources()
        .resource_type("PeerConnection")
        .region_id(HANGZHOU)
        .resource_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(none.tag_resources.unwrap_or_default().len(), 0);

    let moved = a
        .move_resource_group()
        .resource_id(&id)
        .resource_type("PeerConnection")
        .new_resource_group_id("rg-newgroup")
        .region_id(HANGZHOU)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.success, Some(true));
    let in_group = a.list_vpc_peer_connections().resource_group_id("rg-newgroup").send().await.unwrap();
    assert_eq!(in_group.total_count, Some(1));

    let deleted = a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap();
    assert!(!deleted.is_dry_run_passed());
    assert_eq!(status(&a, &id).await, None);
    assert_eq!(status(&b, &id).await, None);
    assert!(list_ids(&a).await.is_empty());
}

#[tokio::test]
async fn reject_flow_and_its_forbidden_transitions() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    let by_requester = a.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert!(matches!(by_requester.as_service_error(), Some(RejectVpcPeerConnectionError::IncorrectStatusVpcPeer(_))));
    let dry = b.reject_vpc_peer_connection().instance_id(&id).dry_run(true).send().await.unwrap();
    assert!(dry.is_dry_run_passed());
    match &dry {
        Outcome::DryRunPassed(passed) => assert!(passed.request_id().is_some()),
        Outcome::Completed(_) => unreachable!(),
    }
    assert_eq!(status(&b, &id).await.as_deref(), Some("Accepting"));
    done(b.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    assert_eq!(status(&b, &id).await.as_deref(), Some("Rejected"));
    assert_eq!(status(&a, &id).await.as_deref(), Some("Rejected"));

    let again = b.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert!(
        matches!(again.as_service_error(), Some(RejectVpcPeerConnectionError::IncorrectStatusVpcPeer(_))),
        "{again}"
    );
    assert_eq!(again.code(), Some("IncorrectStatus.VpcPeer"));
    assert!(again.metadata().unwrap().message().unwrap().contains(&id));
    let accept = b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert!(matches!(accept.as_service_error(), Some(AcceptVpcPeerConnectionError::IncorrectStatusVpcPeer(_))));
    let modify = a.modify_vpc_peer_connection().instance_id(&id).name("x1").send().await.unwrap_err();
    assert!(matches!(modify.as_service_error(), Some(ModifyVpcPeerConnectionError::IncorrectStatusVpcPeer(_))));

    done(b.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    assert_eq!(status(&a, &id).await, None);
    for e in [
        b.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code().map(str::to_owned),
        b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code().map(str::to_owned),
        a.modify_vpc_peer_connection().instance_id(&id).name("x1").send().await.unwrap_err().code().map(str::to_owned),
        a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code().map(str::to_owned),
    ] {
        assert_eq!(e.as_deref(), Some("ResourceNotFound.InstanceId"));
    }
    let tag_gone = a
        .tag_resources()
        .resource_id(&id)
        .tag(tag("k", "v"))
        .resource_type("PeerConnection")
        .region_id(HANGZHOU)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(tag_gone.as_service_error(), Some(TagResourcesError::InvalidInstanceIdsNotFound(_))));
    let move_gone = a
        .move_resource_group()
        .resource_id(&id)
        .resource_type("PeerConnection")
        .new_resource_group_id("rg-x")
        .region_id(HANGZHOU)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(move_gone.as_service_error(), Some(MoveResourceGroupError::ResourceNotFoundVpcPeer(_))));
}

#[tokio::test]
async fn same_account_peerings_activate_without_acceptance() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    let id = create(&a, "vpc-one", ACCOUNT_A.uid, "vpc-two").await;
    assert_eq!(status(&a, &id).await.as_deref(), Some("Activated"));
    let accept = a.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert!(matches!(accept.as_service_error(), Some(AcceptVpcPeerConnectionError::IncorrectStatusVpcPeer(_))));
    let reject = a.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert_eq!(reject.code(), Some("IncorrectStatus.VpcPeer"));
    let got = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!((got.bandwidth, got.link_type.as_deref(), got.gmt_expired), (Some(-1), Some(""), None));
}

#[tokio::test]
async fn transitional_states_hold_until_the_clock_passes_their_delay() {
    let emu = slow().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    assert_eq!(status(&a, &id).await.as_deref(), Some("Creating"));
    assert_eq!(
        b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    assert_eq!(
        b.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    assert_eq!(
        a.modify_vpc_peer_connection().instance_id(&id).name("n2").send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    assert_eq!(
        a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    emu.advance_clock(HOUR);
    assert_eq!(status(&a, &id).await.as_deref(), Some("Accepting"));

    done(b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    assert_eq!(status(&a, &id).await.as_deref(), Some("Updating"));
    let busy = a.modify_vpc_peer_connection().instance_id(&id).name("n2").send().await.unwrap_err();
    assert!(matches!(busy.as_service_error(), Some(ModifyVpcPeerConnectionError::IncorrectStatusVpcPeer(_))));
    assert_eq!(
        a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    assert_eq!(
        b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    emu.advance_clock(HOUR);
    assert_eq!(status(&a, &id).await.as_deref(), Some("Activated"));
    let again = b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert_eq!(again.code(), Some("IncorrectStatus.VpcPeer"), "accepting an active peering");

    done(a.modify_vpc_peer_connection().instance_id(&id).description("Changed").send().await.unwrap());
    assert_eq!(status(&b, &id).await.as_deref(), Some("Updating"));
    emu.advance_clock(HOUR);
    assert_eq!(status(&b, &id).await.as_deref(), Some("Activated"));

    done(a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    assert_eq!(status(&a, &id).await.as_deref(), Some("Deleting"));
    let twice = a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert!(matches!(twice.as_service_error(), Some(DeleteVpcPeerConnectionError::IncorrectStatusVpcPeer(_))));
    assert_eq!(
        a.modify_vpc_peer_connection().instance_id(&id).name("n3").send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    emu.advance_clock(HOUR);
    assert_eq!(status(&a, &id).await, None);
}

#[tokio::test]
async fn real_time_delays_are_reached_by_polling_with_a_deadline() {
    // Long enough that a loaded machine still reads `Creating` right after the create.
    let emu = Emulator::builder().delays(Delays::uniform(Duration::from_millis(800))).start().await.unwrap();
    let a = client(&emu, ACCOUNT_A);
    let id = create(&a, "vpc-a", ACCOUNT_A.uid, "vpc-b").await;
    assert_eq!(status(&a, &id).await.as_deref(), Some("Creating"));
    let get = || a.get_vpc_peer_connection_attribute().instance_id(&id);
    let (poll_every, deadline) = (Duration::from_millis(20), Duration::from_secs(10));
    get().wait_until_activated().interval(poll_every).timeout(deadline).await.expect("Activated in time");
    done(a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    get().wait_until_deleted().interval(poll_every).timeout(deadline).await.expect("gone in time");
}

#[tokio::test]
async fn unaccepted_requests_expire_and_can_then_only_be_deleted() {
    let emu = Emulator::builder().delays(Delays::ZERO).acceptance_expiry(HOUR).start().await.unwrap();
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    assert_eq!(status(&b, &id).await.as_deref(), Some("Accepting"));
    emu.advance_clock(HOUR + Duration::from_secs(1));
    let expired = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(expired.status.as_deref(), Some("Expired"));
    assert!(expired.gmt_expired.is_some());
    assert_eq!(
        b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    assert_eq!(
        b.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("IncorrectStatus.VpcPeer")
    );
    done(a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    assert_eq!(status(&a, &id).await, None);
}

#[tokio::test]
async fn durations_too_long_for_the_clock_mean_never() {
    let emu = Emulator::builder().delays(Delays::ZERO).acceptance_expiry(Duration::MAX).start().await.unwrap();
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    emu.advance_clock(Duration::MAX);
    emu.advance_clock(Duration::MAX);
    let accepting = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(accepting.status.as_deref(), Some("Accepting"), "it never expires");

    let emu = Emulator::builder().delays(Delays::uniform(Duration::MAX)).start().await.unwrap();
    let a = client(&emu, ACCOUNT_A);
    let id = create(&a, "vpc-a", ACCOUNT_A.uid, "vpc-b").await;
    emu.advance_clock(Duration::MAX);
    assert_eq!(status(&a, &id).await.as_deref(), Some("Creating"), "it never ends");
}

#[tokio::test]
async fn an_expiry_past_the_year_9999_is_never_and_shows_no_gmt_expired() {
    let ten_thousand_years = Duration::from_secs(10_000 * 365 * 86_400);
    let emu = Emulator::builder().delays(Delays::ZERO).acceptance_expiry(ten_thousand_years).start().await.unwrap();
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    for side in [&a, &b] {
        let got = side.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
        assert_eq!((got.status.as_deref(), got.gmt_expired), (Some("Accepting"), None));
    }
    emu.advance_clock(Duration::MAX);
    assert_eq!(status(&b, &id).await.as_deref(), Some("Accepting"), "it never expires");
}

#[tokio::test]
async fn a_request_built_on_its_own_is_sent_by_any_client() {
    use alibabacloud_vpcpeer::operation::list_vpc_peer_connections::{
        ListVpcPeerConnectionsRequest, ListVpcPeerConnectionsResponse,
    };
    use alibabacloud_vpcpeer::operation::reject_vpc_peer_connection::RejectVpcPeerConnectionRequest;
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    create(&a, "vpc-a", ACCOUNT_A.uid, "vpc-b").await;
    let list = ListVpcPeerConnectionsRequest::builder().region_id(HANGZHOU).build().unwrap();
    let count = |outcome| done::<ListVpcPeerConnectionsResponse>(outcome).total_count;
    assert_eq!(count(a.send_request(&list).await.unwrap()), Some(1), "A sees its peering");
    assert_eq!(count(b.send_request(&list).await.unwrap()), Some(0), "B does not");

    let id = create(&a, "vpc-c", ACCOUNT_B.uid, "vpc-d").await;
    let check = RejectVpcPeerConnectionRequest::builder().instance_id(&id).dry_run(true).build().unwrap();
    assert!(matches!(b.send_request(&check).await.unwrap(), Outcome::DryRunPassed(_)));
    let reject = RejectVpcPeerConnectionRequest::builder().instance_id(&id).build().unwrap();
    done(b.send_request(&reject).await.unwrap());
    assert_eq!(status(&b, &id).await.as_deref(), Some("Rejected"));
}

#[tokio::test]
async fn dry_runs_check_everything_and_change_nothing() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let dry_create = a
        .create_vpc_peer_connection()
        .region_id(HANGZHOU)
        .vpc_id("vpc-a")
        .accepting_ali_uid(ACCOUNT_B.uid)
        .accepting_region_id(HANGZHOU)
        .accepting_vpc_id("vpc-b")
        .dry_run(true)
        .send()
        .await
        .unwrap();
    assert!(dry_create.is_dry_run_passed());
    assert!(list_ids(&a).await.is_empty());
    let failing_dry_run = a
        .create_vpc_peer_connection()
        .region_id("mars-north-1")
        .vpc_id("vpc-a")
        .accepting_ali_uid(ACCOUNT_B.uid)
        .accepting_region_id(HANGZHOU)
        .accepting_vpc_id("vpc-b")
        .dry_run(true)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(failing_dry_run.as_service_error(), Some(CreateVpcPeerConnectionError::UnsupportedRegion(_))));

    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    let missing = b.reject_vpc_peer_connection().instance_id("pcc-nothere").dry_run(true).send().await.unwrap_err();
    assert_eq!(missing.code(), Some("ResourceNotFound.InstanceId"));
    let wrong_state =
        a.modify_vpc_peer_connection().instance_id(&id).name("n1").dry_run(true).send().await.unwrap_err();
    assert_eq!(wrong_state.code(), Some("IncorrectStatus.VpcPeer"), "modify on Accepting fails even as a dry run");
    done(b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    let modify = a.modify_vpc_peer_connection().instance_id(&id).name("dry").dry_run(true).send().await.unwrap();
    assert!(modify.is_dry_run_passed());
    let delete = a.delete_vpc_peer_connection().instance_id(&id).dry_run(true).send().await.unwrap();
    assert!(delete.is_dry_run_passed());
    let after = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!((after.status.as_deref(), after.name.as_deref()), (Some("Activated"), Some("")));
}

#[tokio::test]
async fn client_tokens_make_retries_idempotent() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let request = |token: &str, vpc: &str| {
        a.create_vpc_peer_connection()
            .region_id(HANGZHOU)
            .vpc_id(vpc)
            .accepting_ali_uid(ACCOUNT_B.uid)
            .accepting_region_id(HANGZHOU)
            .accepting_vpc_id("vpc-peer")
            .client_token(token)
    };
    let dry = request("token-1", "vpc-a").dry_run(true).send().await.unwrap();
    assert!(dry.is_dry_run_passed(), "a dry run does not consume the token");
    let first = request("token-1", "vpc-a").send().await.unwrap().completed().unwrap();
    let second = request("token-1", "vpc-a").send().await.unwrap().completed().unwrap();
    assert_eq!(first.instance_id, second.instance_id);
    assert_ne!(first.request_id, second.request_id, "every response has a fresh request id");
    assert_eq!(list_ids(&a).await.len(), 1);
    let mismatch = request("token-1", "vpc-other").send().await.unwrap_err();
    assert_eq!(mismatch.code(), Some("IdempotentParameterMismatch"));
    assert!(mismatch.metadata().unwrap().message().unwrap().contains("token-1"));

    let id = first.instance_id.unwrap();
    done(b.reject_vpc_peer_connection().instance_id(&id).client_token("reject-1").send().await.unwrap());
    let retried = b.reject_vpc_peer_connection().instance_id(&id).client_token("reject-1").send().await;
    let retried = retried.expect("a retried reject with its token returns the first result");
    assert!(retried.completed().and_then(|r| r.request_id).is_some(), "a completed reject, not a dry run");
    let status = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap().status;
    assert_eq!(status.as_deref(), Some("Rejected"), "the retry changed nothing");
    let fresh = b.reject_vpc_peer_connection().instance_id(&id).client_token("reject-2").send().await.unwrap_err();
    assert_eq!(fresh.code(), Some("IncorrectStatus.VpcPeer"));
    let too_long =
        b.reject_vpc_peer_connection().instance_id(&id).client_token("x".repeat(65)).send().await.unwrap_err();
    assert_eq!(too_long.code(), Some("InvalidParameter"));
}

#[tokio::test]
async fn peerings_are_visible_only_to_their_two_accounts_in_their_regions() {
    let emu = Emulator::builder()
        .delays(Delays::ZERO)
        .account(ACCOUNT_A.account())
        .account(ACCOUNT_B.account())
        .account(Account::new(3, "LTAIthird", "third-secret"))
        .start()
        .await
        .unwrap();
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let c = {
        let config = alibabacloud_vpcpeer::Config::builder()
            .credentials(alibabacloud_vpcpeer::Credentials::new("LTAIthird", "third-secret"))
            .endpoint_url(emu.endpoint())
            .build()
            .unwrap();
        Client::new(&config)
    };
    let id = a
        .create_vpc_peer_connection()
        .region_id(HANGZHOU)
        .vpc_id("vpc-a")
        .accepting_ali_uid(ACCOUNT_B.uid)
        .accepting_region_id(SHANGHAI)
        .accepting_vpc_id("vpc-b")
        .send()
        .await
        .unwrap()
        .completed()
        .unwrap()
        .instance_id
        .unwrap();
    assert_eq!(status(&c, &id).await, None, "a third account does not see it");
    assert!(list_ids(&c).await.is_empty());
    let in_region = |client: &Client, region: &'static str| {
        let client = client.clone();
        async move { client.list_vpc_peer_connections().region_id(region).send().await.unwrap().total_count }
    };
    assert_eq!(in_region(&a, HANGZHOU).await, Some(1));
    assert_eq!(in_region(&a, SHANGHAI).await, Some(0));
    assert_eq!(in_region(&b, SHANGHAI).await, Some(1), "the accepter sees it in the accepting region");
    assert_eq!(in_region(&b, HANGZHOU).await, Some(0));
    let inter = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!((inter.bandwidth, inter.link_type.as_deref()), (Some(1024), Some("Gold")));
    assert_eq!(
        c.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("ResourceNotFound.InstanceId")
    );
}

#[tokio::test]
async fn list_pages_with_next_token_and_max_results() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    let mut created = Vec::new();
    for i in 0..25 {
        created.push(create(&a, &format!("vpc-x{i}"), ACCOUNT_A.uid, &format!("vpc-y{i}")).await);
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages <= 10, "pagination does not end");
        let mut request = a.list_vpc_peer_connections().max_results(10);
        if let Some(t) = &token {
            request = request.next_token(t);
        }
        let page = request.send().await.unwrap();
        assert_eq!((page.total_count, page.max_results), (Some(25), Some(10)));
        seen.extend(page.vpc_peer_connects.unwrap().into_iter().map(|p| p.instance_id.unwrap()));
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    assert_eq!((pages, &seen), (3, &created));
    let default_page = a.list_vpc_peer_connections().send().await.unwrap();
    assert_eq!(default_page.vpc_peer_connects.unwrap().len(), 20);
    assert_eq!(
        a.list_vpc_peer_connections().next_token("garbage").send().await.unwrap_err().code(),
        Some("IllegalParam.NextToken")
    );
    assert_eq!(
        a.list_vpc_peer_connections().max_results(101).send().await.unwrap_err().code(),
        Some("IllegalParam.MaxResults")
    );
    let by_name = a.list_vpc_peer_connections().instance_id(&created[3]).send().await.unwrap();
    assert_eq!(by_name.total_count, Some(1));

    let id = &created[0];
    let mut tagging = a.tag_resources().resource_id(id).resource_type("PeerConnection").region_id(HANGZHOU);
    for i in 0..5 {
        tagging = tagging.tag(tag(&format!("k{i}"), "v"));
    }
    tagging.send().await.unwrap();
    let mut keys = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..10 {
        let mut request =
            a.list_tag_resources().resource_type("PeerConnection").region_id(HANGZHOU).resource_id(id).max_results(2);
        if let Some(t) = &token {
            request = request.next_token(t);
        }
        let page = request.send().await.unwrap();
        keys.extend(page.tag_resources.unwrap().into_iter().map(|t| t.tag_key.unwrap()));
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    assert_eq!(keys, ["k0", "k1", "k2", "k3", "k4"]);
}

#[tokio::test]
async fn tag_rules_and_resource_groups_use_the_documented_codes() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    let id = create(&a, "vpc-a", ACCOUNT_A.uid, "vpc-b").await;
    let tagging = || a.tag_resources().resource_id(&id).resource_type("PeerConnection").region_id(HANGZHOU);
    let reserved = tagging().tag(tag("acs:owner", "x")).send().await.unwrap_err();
    assert!(matches!(reserved.as_service_error(), Some(TagResourcesError::ForbiddenTagKeys(_))));
    let duplicated = tagging().tag(tag("k", "1")).tag(tag("k", "2")).send().await.unwrap_err();
    assert!(matches!(duplicated.as_service_error(), Some(TagResourcesError::ForbiddenTagKeyDuplicated(_))));
    let url_value = tagging().tag(tag("k", "https://x")).send().await.unwrap_err();
    assert!(matches!(url_value.as_service_error(), Some(TagResourcesError::IllegalParamTagValue(_))));
    let mut many = tagging();
    for i in 0..21 {
        many = many.tag(tag(&format!("k{i}"), "v"));
    }
    assert!(matches!(many.send().await.unwrap_err().as_service_error(), Some(TagResourcesError::NumberExceedTags(_))));
    // The setters replace the values `tagging` set.
    let wrong_type = tagging().resource_type("Vpc").tag(tag("k", "v")).send().await.unwrap_err();
    assert!(matches!(wrong_type.as_service_error(), Some(TagResourcesError::InvalidInstanceTypeNotFound(_))));
    let wrong_region = tagging().region_id(SHANGHAI).tag(tag("k", "v")).send().await.unwrap_err();
    assert_eq!(wrong_region.code(), Some("InvalidInstanceIds.NotFound"));
    let both_empty =
        a.list_tag_resources().resource_type("PeerConnection").region_id(HANGZHOU).send().await.unwrap_err();
    assert_eq!(both_empty.code(), Some("BothEmpty.TagsAndResources"));
    tagging().tag(tag("env", "prod")).send().await.unwrap();
    let by_tag = a
        .list_tag_resources()
        .resource_type("PeerConnection")
        .region_id(HANGZHOU)
        .tag(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_tag.tag_resources.unwrap()[0].resource_id.as_deref(), Some(id.as_str()));

    let bad_group = a
        .move_resource_group()
        .resource_id(&id)
        .resource_type("PeerConnection")
        .new_resource_group_id("group-1")
        .region_id(HANGZHOU)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        bad_group.as_service_error(),
        Some(MoveResourceGroupError::OperationFailedNotExistResourceGroup(_))
    ));
}

#[tokio::test]
async fn accepting_keeps_what_the_accepter_set_while_the_request_waited() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    let b_tagging = || b.tag_resources().resource_id(&id).resource_type("PeerConnection").region_id(HANGZHOU);
    b_tagging().tag(tag("team", "net")).tag(tag("env", "test")).send().await.unwrap();
    let moving = b.move_resource_group().resource_id(&id).resource_type("PeerConnection").region_id(HANGZHOU);
    moving.new_resource_group_id("rg-bteam").send().await.unwrap();

    // Too many tags counting those the accepter has: refused, nothing changes.
    let mut crowded = b.accept_vpc_peer_connection().instance_id(&id);
    for i in 0..19 {
        crowded = crowded.tag(tag(&format!("k{i}"), "v"));
    }
    let refused = crowded.send().await.unwrap_err();
    // (Accept documents no tag codes; the emulator answers as TagResources does.)
    assert_eq!(refused.code(), Some("NumberExceed.Tags"), "{refused}");
    assert_eq!(status(&b, &id).await.as_deref(), Some("Accepting"));

    // Accept's own tags are added (a key the accepter has takes the new value); the group stays.
    done(
        b.accept_vpc_peer_connection()
            .instance_id(&id)
            .tag(tag("env", "prod"))
            .tag(tag("cost", "7"))
            .send()
            .await
            .unwrap(),
    );
    let seen_by_b = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    let mut tags: Vec<(String, String)> =
        seen_by_b.tags.unwrap().into_iter().map(|t| (t.key.unwrap(), t.value.unwrap())).collect();
    tags.sort();
    let expected = [("cost", "7"), ("env", "prod"), ("team", "net")].map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(tags, expected);
    assert_eq!(seen_by_b.resource_group_id.as_deref(), Some("rg-bteam"));
    // The requester's side is its own.
    let seen_by_a = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(seen_by_a.tags.unwrap_or_default(), Vec::new());
}

#[tokio::test]
async fn a_create_while_a_peering_of_either_vpc_is_in_transition_conflicts() {
    let emu = slow().await;
    let a = client(&emu, ACCOUNT_A);
    let busy = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    assert_eq!(status(&a, &busy).await.as_deref(), Some("Creating"));
    let creating = |vpc: &str, peer_vpc: &str| {
        a.create_vpc_peer_connection()
            .region_id(HANGZHOU)
            .vpc_id(vpc)
            .accepting_ali_uid(ACCOUNT_B.uid)
            .accepting_region_id(HANGZHOU)
            .accepting_vpc_id(peer_vpc)
    };
    for (vpc, peer_vpc) in [("vpc-a", "vpc-c"), ("vpc-d", "vpc-b"), ("vpc-c", "vpc-a")] {
        let conflict = creating(vpc, peer_vpc).send().await.unwrap_err();
        assert_eq!(conflict.code(), Some("Conflict.Operation"), "{vpc} to {peer_vpc}: {conflict}");
        assert!(conflict.to_string().contains(&busy), "names the busy peering: {conflict}");
    }
    // A VPC with nothing in transition is free.
    done(creating("vpc-c", "vpc-d").send().await.unwrap());
    emu.advance_clock(HOUR);
    assert_eq!(status(&a, &busy).await.as_deref(), Some("Accepting"));
    done(creating("vpc-a", "vpc-e").send().await.unwrap());
}

#[tokio::test]
async fn tag_operations_count_keys_and_resources_as_documented() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    let id = create(&a, "vpc-a", ACCOUNT_A.uid, "vpc-b").await;
    let tagging = || a.tag_resources().resource_type("PeerConnection").region_id(HANGZHOU);
    let untagging = || a.un_tag_resources().resource_id(&id).resource_type("PeerConnection").region_id(HANGZHOU);
    let listing = || a.list_tag_resources().resource_type("PeerConnection").region_id(HANGZHOU);

    // At most 20 resource ids, though the metadata lets 50 through.
    let (mut tag_many, mut list_many) = (tagging().tag(tag("k", "v")), listing());
    for i in 0..21 {
        tag_many = tag_many.resource_id(format!("pcc-{i}"));
        list_many = list_many.resource_id(format!("pcc-{i}"));
    }
    let too_many = tag_many.send().await.unwrap_err();
    assert!(matches!(too_many.as_service_error(), Some(TagResourcesError::NumberExceedResourceIds(_))), "{too_many}");
    assert_eq!(list_many.send().await.unwrap_err().code(), Some("NumberExceed.ResourceIds"));

    tagging().resource_id(&id).tag(tag("a", "1")).tag(tag("b", "2")).send().await.unwrap();
    // UnTagResources: at most 20 keys, no key twice, and a key "can be an empty string".
    let mut many_keys = untagging();
    for i in 0..21 {
        many_keys = many_keys.tag_key(format!("k{i}"));
    }
    assert_eq!(many_keys.send().await.unwrap_err().code(), Some("NumberExceed.Tags"));
    assert_eq!(
        untagging().tag_key("a").tag_key("a").send().await.unwrap_err().code(),
        Some("Forbidden.TagKey.Duplicated")
    );
    assert_eq!(untagging().tag_key("acs:x").send().await.unwrap_err().code(), Some("Forbidden.TagKeys"));
    untagging().tag_key("").tag_key("a").send().await.unwrap();
    let left = listing().resource_id(&id).send().await.unwrap().tag_resources.unwrap();
    assert_eq!(left.iter().map(|t| t.tag_key.as_deref().unwrap()).collect::<Vec<_>>(), ["b"]);

    // ListTagResources' tag filter follows the same key rules.
    assert_eq!(listing().tag(tag("acs:x", "v")).send().await.unwrap_err().code(), Some("Forbidden.TagKeys"));
    assert_eq!(
        listing().tag(tag("b", "2")).tag(tag("b", "3")).send().await.unwrap_err().code(),
        Some("Forbidden.TagKey.Duplicated")
    );
}

#[tokio::test]
async fn tag_pages_resume_where_they_stopped_when_tags_change_in_between() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    let first = create(&a, "vpc-a", ACCOUNT_A.uid, "vpc-b").await;
    let second = create(&a, "vpc-c", ACCOUNT_A.uid, "vpc-d").await;
    for id in [&first, &second] {
        let tagging = a.tag_resources().resource_id(id).resource_type("PeerConnection").region_id(HANGZHOU);
        tagging.tag(tag("x", "1")).tag(tag("y", "2")).send().await.unwrap();
    }
    let page = |token: Option<String>| {
        let listing = a
            .list_tag_resources()
            .resource_type("PeerConnection")
            .region_id(HANGZHOU)
            .resource_id(&first)
            .resource_id(&second)
            .max_results(1);
        async move {
            let response = match token {
                Some(token) => listing.next_token(token).send().await,
                None => listing.send().await,
            }
            .unwrap();
            let rows = response.tag_resources.unwrap();
            let row: Vec<(String, String)> =
                rows.iter().map(|r| (r.resource_id.clone().unwrap(), r.tag_key.clone().unwrap())).collect();
            (row, response.next_token.filter(|t| !t.is_empty()))
        }
    };
    let (row, token) = page(None).await;
    assert_eq!(row, vec![(first.clone(), "x".to_owned())]);
    // The row just read goes away and a tag sorting after the next row appears: the next page
    // is still the next row, neither skipped nor repeated, and the new row follows it.
    let untagging = a.un_tag_resources().resource_id(&first).resource_type("PeerConnection").region_id(HANGZHOU);
    untagging.tag_key("x").send().await.unwrap();
    let tagging = a.tag_resources().resource_id(&first).resource_type("PeerConnection").region_id(HANGZHOU);
    tagging.tag(tag("z", "3")).send().await.unwrap();
    let (row, token) = page(token).await;
    assert_eq!(row, vec![(first.clone(), "y".to_owned())]);
    let (row, token) = page(token).await;
    assert_eq!(row, vec![(first.clone(), "z".to_owned())]);
    let (row, token) = page(token).await;
    assert_eq!(row, vec![(second.clone(), "x".to_owned())]);
    let (row, token) = page(token).await;
    assert_eq!(row, vec![(second.clone(), "y".to_owned())]);
    assert_eq!(token, None);

    // Tokens are checked: one of ListVpcPeerConnections, or one made up, is refused.
    let peerings = a.list_vpc_peer_connections().max_results(1).send().await.unwrap();
    let foreign = peerings.next_token.unwrap();
    for token in [foreign.as_str(), "pt5", "tg1.zz"] {
        let listing = a.list_tag_resources().resource_type("PeerConnection").region_id(HANGZHOU).resource_id(&first);
        let refused = listing.next_token(token).send().await.unwrap_err();
        assert_eq!(refused.code(), Some("IllegalParam.NextToken"), "{token}");
    }
}

#[tokio::test]
async fn create_and_modify_enforce_region_name_bandwidth_and_link_type_rules() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    let base = || {
        a.create_vpc_peer_connection()
            .region_id(HANGZHOU)
            .vpc_id("vpc-a")
            .accepting_ali_uid(ACCOUNT_A.uid)
            .accepting_region_id(HANGZHOU)
            .accepting_vpc_id("vpc-b")
    };
    assert_eq!(base().name("1bad").send().await.unwrap_err().code(), Some("IllegalParam.Name"));
    assert_eq!(base().vpc_id("subnet-1").send().await.unwrap_err().code(), Some("IncorrectStatus.Vpc"));
    let same_region_link = base().link_type("Platinum").send().await.unwrap_err();
    assert!(matches!(
        same_region_link.as_service_error(),
        Some(CreateVpcPeerConnectionError::OperationFailedInterRegionLinkTypeNotSupported(_))
    ));
    let rg = base().resource_group_id("not-a-group").send().await.unwrap_err();
    assert!(matches!(
        rg.as_service_error(),
        Some(CreateVpcPeerConnectionError::OperationFailedNotExistResourceGroup(_))
    ));
    // Bandwidth is for inter-region peerings only, on Create as on Modify.
    assert_eq!(base().bandwidth(100).send().await.unwrap_err().code(), Some("IllegalParam.Bandwidth"));
    let intra = base().name("intra").send().await.unwrap().completed().unwrap().instance_id.unwrap();
    let got = a.get_vpc_peer_connection_attribute().instance_id(&intra).send().await.unwrap();
    assert_eq!(got.bandwidth, Some(-1));
    let duplicate = base().send().await.unwrap_err();
    assert!(matches!(duplicate.as_service_error(), Some(CreateVpcPeerConnectionError::ResourceAlreadyExistVpcPeer(_))));
    let bandwidth = a.modify_vpc_peer_connection().instance_id(&intra).bandwidth(100).send().await.unwrap_err();
    assert!(matches!(
        bandwidth.as_service_error(),
        Some(ModifyVpcPeerConnectionError::OperationFailedBandwidthCannotBeChangedInSameRegion(_))
    ));

    let inter = base()
        .vpc_id("vpc-c")
        .accepting_region_id(SHANGHAI)
        .bandwidth(200)
        .link_type("Platinum")
        .send()
        .await
        .unwrap()
        .completed()
        .unwrap()
        .instance_id
        .unwrap();
    done(a.modify_vpc_peer_connection().instance_id(&inter).bandwidth(500).link_type("Gold").send().await.unwrap());
    let got = a.get_vpc_peer_connection_attribute().instance_id(&inter).send().await.unwrap();
    assert_eq!((got.bandwidth, got.link_type.as_deref()), (Some(500), Some("Gold")));
    assert_eq!(
        a.modify_vpc_peer_connection().instance_id(&inter).bandwidth(0).send().await.unwrap_err().code(),
        Some("IllegalParam.Bandwidth")
    );
    assert_eq!(
        a.modify_vpc_peer_connection().instance_id(&inter).link_type("Silver").send().await.unwrap_err().code(),
        Some("IllegalParam.LinkType")
    );
    // An empty name is refused, not taken as "unchanged" (the spec: 1 to 128 characters).
    assert_eq!(
        a.modify_vpc_peer_connection().instance_id(&inter).name("").send().await.unwrap_err().code(),
        Some("IllegalParam.Name")
    );
}

#[tokio::test]
async fn declared_vpcs_replace_the_any_well_formed_id_policy() {
    let emu = Emulator::builder()
        .delays(Delays::ZERO)
        .vpc(ACCOUNT_A.uid, HANGZHOU, "vpc-known", &["10.0.0.0/16"])
        .vpc(ACCOUNT_B.uid, HANGZHOU, "vpc-theirs", &["10.1.0.0/16"])
        .start()
        .await
        .unwrap();
    let a = client(&emu, ACCOUNT_A);
    let base = || {
        a.create_vpc_peer_connection()
            .region_id(HANGZHOU)
            .vpc_id("vpc-known")
            .accepting_ali_uid(ACCOUNT_B.uid)
            .accepting_region_id(HANGZHOU)
            .accepting_vpc_id("vpc-theirs")
    };
    let unknown = base().vpc_id("vpc-unknown").send().await.unwrap_err();
    assert!(matches!(unknown.as_service_error(), Some(CreateVpcPeerConnectionError::IncorrectStatusVpc(_))));
    let wrong_owner = base().accepting_ali_uid(ACCOUNT_A.uid).send().await.unwrap_err();
    assert!(matches!(
        wrong_owner.as_service_error(),
        Some(CreateVpcPeerConnectionError::IncorrectStatusAcceptingVpc(_))
    ));
    let id = base().send().await.unwrap().completed().unwrap().instance_id.unwrap();
    let got = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(got.vpc.unwrap().ipv4_cidrs, Some(vec!["10.0.0.0/16".to_owned()]));
    assert_eq!(got.accepting_vpc.unwrap().ipv4_cidrs, Some(vec!["10.1.0.0/16".to_owned()]));
}

#[tokio::test]
async fn two_accounts_working_concurrently_see_consistent_state() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let creators: Vec<_> = (0..16)
        .map(|i| {
            let a = a.clone();
            tokio::spawn(async move { create(&a, &format!("vpc-c{i}"), ACCOUNT_B.uid, &format!("vpc-d{i}")).await })
        })
        .collect();
    let listers: Vec<_> = (0..16)
        .map(|_| {
            let b = b.clone();
            tokio::spawn(async move {
                let page = b.list_vpc_peer_connections().max_results(100).send().await;
                page.map(|r| (r.total_count.expect("a total"), r.vpc_peer_connects.unwrap_or_default().len()))
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in creators {
        ids.push(task.await.unwrap());
    }
    // Each listing sees some of the creates, and never more than were made; its count is
    // the number of peerings it lists.
    for task in listers {
        let (count, listed) = task.await.unwrap().unwrap();
        assert!(count <= 16 && usize::try_from(count).unwrap() == listed, "{count} counted, {listed} listed");
    }
    let decisions: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (b, id) = (b.clone(), id.clone());
            tokio::spawn(async move {
                if i % 2 == 0 {
                    b.accept_vpc_peer_connection().instance_id(&id).send().await.map(|_| ()).map_err(|e| e.to_string())
                } else {
                    b.reject_vpc_peer_connection().instance_id(&id).send().await.map(|_| ()).map_err(|e| e.to_string())
                }
            })
        })
        .collect();
    for task in decisions {
        task.await.unwrap().unwrap();
    }
    let listed = a.list_vpc_peer_connections().max_results(100).send().await.unwrap().vpc_peer_connects.unwrap();
    let activated = listed.iter().filter(|p| p.status.as_deref() == Some("Activated")).count();
    let rejected = listed.iter().filter(|p| p.status.as_deref() == Some("Rejected")).count();
    assert_eq!((listed.len(), activated, rejected), (16, 8, 8));
}

/// What an operation answered: `"allowed"` for a passed dry run or a success, else the code.
fn verdict<T, E: alibabacloud_runtime::ServiceError>(
    result: Result<T, alibabacloud_vpcpeer::SdkError<E>>,
    passed: impl Fn(&T) -> bool,
) -> String {
    match result {
        Ok(value) if passed(&value) => "allowed".to_owned(),
        Ok(_) => "performed".to_owned(),
        Err(e) => e.code().unwrap_or("no code").to_owned(),
    }
}

fn passed_dry_run<T>(outcome: &Outcome<T>) -> bool {
    outcome.is_dry_run_passed()
}

/// A fresh emulator (1 h delays, 2 h expiry) with one cross-account peering driven to `state`.
async fn peering_in(state: &str) -> (Emulator, Client, Client, String) {
    let emu = Emulator::builder().delays(Delays::uniform(HOUR)).acceptance_expiry(2 * HOUR).start().await.unwrap();
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    let accept = || async { done(b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap()) };
    let delete = || async { done(a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap()) };
    if state != "Creating" {
        emu.advance_clock(HOUR);
    }
    match state {
        "Creating" | "Accepting" => {}
        "Updating" => {
            accept().await;
        }
        "Activated" => {
            accept().await;
            emu.advance_clock(HOUR);
        }
        "Rejected" => {
            done(b.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap());
        }
        "Expired" => emu.advance_clock(3 * HOUR),
        "Deleting" | "gone" => {
            delete().await;
            if state == "gone" {
                emu.advance_clock(HOUR);
            }
        }
        other => panic!("no recipe for {other}"),
    }
    let expected_status = (state != "gone").then(|| state.to_owned());
    assert_eq!(status(&a, &id).await, expected_status, "setting up {state}");
    (emu, a, b, id)
}

#[tokio::test]
async fn every_operation_in_every_state_follows_the_facts_doc_table() {
    const ISV: &str = "IncorrectStatus.VpcPeer";
    const RNF: &str = "ResourceNotFound.InstanceId";
    const OK: &str = "allowed";
    // state, Accept, Reject, Modify, Delete (as dry runs), TagResources, MoveResourceGroup
    let table: [(&str, [&str; 6]); 8] = [
        ("Creating", [ISV, ISV, ISV, ISV, OK, OK]),
        ("Accepting", [OK, OK, ISV, OK, OK, OK]),
        ("Updating", [ISV, ISV, ISV, ISV, OK, OK]),
        ("Activated", [ISV, ISV, OK, OK, OK, OK]),
        ("Rejected", [ISV, ISV, ISV, OK, OK, OK]),
        ("Expired", [ISV, ISV, ISV, OK, OK, OK]),
        ("Deleting", [ISV, ISV, ISV, ISV, OK, OK]),
        ("gone", [RNF, RNF, RNF, RNF, "InvalidInstanceIds.NotFound", "ResourceNotFound.VpcPeer"]),
    ];
    for (state, expected) in table {
        let (_emu, a, b, id) = peering_in(state).await;
        let got = [
            verdict(b.accept_vpc_peer_connection().instance_id(&id).dry_run(true).send().await, passed_dry_run),
            verdict(b.reject_vpc_peer_connection().instance_id(&id).dry_run(true).send().await, passed_dry_run),
            verdict(
                a.modify_vpc_peer_connection().instance_id(&id).name("n2").dry_run(true).send().await,
                passed_dry_run,
            ),
            verdict(a.delete_vpc_peer_connection().instance_id(&id).dry_run(true).send().await, passed_dry_run),
            verdict(
                a.tag_resources()
                    .resource_id(&id)
                    .tag(tag("k", "v"))
                    .resource_type("PeerConnection")
                    .region_id(HANGZHOU)
                    .send()
                    .await,
                |r| r.success == Some(true),
            ),
            verdict(
                a.move_resource_group()
                    .resource_id(&id)
                    .resource_type("PeerConnection")
                    .new_resource_group_id("rg-other")
                    .region_id(HANGZHOU)
                    .send()
                    .await,
                |r| r.success == Some(true),
            ),
        ];
        assert_eq!(got, expected.map(str::to_owned), "operations on a {state} peering");
        let expected_status = (state != "gone").then(|| state.to_owned());
        assert_eq!(status(&a, &id).await, expected_status, "dry runs left the {state} peering unchanged");
    }
}

#[tokio::test]
async fn an_accepting_request_can_be_withdrawn_by_deleting_it() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    assert_eq!(status(&b, &id).await.as_deref(), Some("Accepting"));
    done(a.delete_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    assert_eq!(status(&b, &id).await, None);
    assert_eq!(
        b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err().code(),
        Some("ResourceNotFound.InstanceId")
    );
}

#[tokio::test]
async fn v3_signed_clients_run_the_reject_flow_and_query_only_operations() {
    let emu = zero_delay().await;
    let (a, b) = (client_v3(&emu, ACCOUNT_A), client_v3(&emu, ACCOUNT_B));
    let id = done(
        a.create_vpc_peer_connection()
            .region_id(HANGZHOU)
            .vpc_id("vpc-a")
            .accepting_ali_uid(ACCOUNT_B.uid)
            .accepting_region_id(HANGZHOU)
            .accepting_vpc_id("vpc-b")
            .description("signed with v3 ~*")
            .tag(tag("sig", "v3 é"))
            .send()
            .await
            .unwrap(),
    )
    .instance_id
    .unwrap();
    assert_eq!(status(&b, &id).await.as_deref(), Some("Accepting"));
    assert!(b.reject_vpc_peer_connection().instance_id(&id).dry_run(true).send().await.unwrap().is_dry_run_passed());
    done(b.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    assert_eq!(status(&a, &id).await.as_deref(), Some("Rejected"));
    let again = b.reject_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert!(matches!(again.as_service_error(), Some(RejectVpcPeerConnectionError::IncorrectStatusVpcPeer(_))));
    let tagged = a
        .tag_resources()
        .resource_id(&id)
        .tag(tag("k", "v"))
        .resource_type("PeerConnection")
        .region_id(HANGZHOU)
        .send()
        .await;
    assert_eq!(tagged.unwrap().success, Some(true), "a query-only operation with an empty body");
    let by_tag = a.list_vpc_peer_connections().tags(tag("sig", "v3 é")).send().await.unwrap();
    assert_eq!(by_tag.total_count, Some(1));
    let got = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(got.description.as_deref(), Some("signed with v3 ~*"));
}

#[tokio::test]
async fn route_entries_block_delete_until_forced() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let (requester, accepter) = (ACCOUNT_A.account(), ACCOUNT_B.account());
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    // Only an Activated peering the account sees can be routed through, to a CIDR block.
    assert_eq!(emu.add_route_entry(&accepter, &id, "10.0.0.0/24").unwrap_err().code, "IncorrectStatus.VpcPeer");
    let stranger = Account { uid: 1_000_000_000_000_003, ..ACCOUNT_A.account() };
    assert_eq!(emu.add_route_entry(&stranger, &id, "10.0.0.0/24").unwrap_err().code, "ResourceNotFound.InstanceId");
    done(b.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap());
    assert_eq!(status(&a, &id).await.as_deref(), Some("Activated"));
    for malformed in ["", "10.0.0.0", "10.0.0.0/33", "10.0.0/24", "fd00::/129", "10.0.0.0/+8"] {
        let error = emu.add_route_entry(&accepter, &id, malformed).unwrap_err();
        assert_eq!(error.code, "InvalidCidrBlock.Malformed", "{malformed:?}");
    }
    emu.add_route_entry(&accepter, &id, "172.16.0.0/16").expect("routed on the accepter's side");
    for same_block in ["172.16.0.0/16", "172.16.0.0/016"] {
        let twice = emu.add_route_entry(&accepter, &id, same_block).unwrap_err();
        assert_eq!(twice.code, "InvalidRouteEntry.Duplicate", "{same_block}");
    }

    // Either side's route entries deny a plain delete by either side, a dry run included.
    let second = create(&a, "vpc-c", ACCOUNT_B.uid, "vpc-d").await;
    done(b.accept_vpc_peer_connection().instance_id(&second).send().await.unwrap());
    emu.add_route_entry(&requester, &second, "2408:4000::/56").expect("routed on the requester's side");
    let twice = emu.add_route_entry(&requester, &second, "2408:4000:0::/56").unwrap_err();
    assert_eq!(twice.code, "InvalidRouteEntry.Duplicate");
    for (deleter, peering) in [(&a, &id), (&b, &second)] {
        for dry_run in [true, false] {
            let denied = deleter.delete_vpc_peer_connection().instance_id(peering).dry_run(dry_run).send().await;
            let denied = denied.unwrap_err();
            assert!(
                matches!(
                    denied.as_service_error(),
                    Some(DeleteVpcPeerConnectionError::OperationDeniedRouteEntryExist(_))
                ),
                "{denied}"
            );
        }
    }
    assert_eq!(status(&a, &id).await.as_deref(), Some("Activated"));
    let forced_dry_run = a.delete_vpc_peer_connection().instance_id(&id).force(true).dry_run(true).send().await;
    assert!(forced_dry_run.unwrap().is_dry_run_passed());
    for (deleter, peering) in [(&a, &id), (&b, &second)] {
        done(deleter.delete_vpc_peer_connection().instance_id(peering).force(true).send().await.unwrap());
        assert_eq!(status(&a, peering).await, None);
        assert_eq!(status(&b, peering).await, None);
    }
}

#[tokio::test]
async fn a_same_account_cross_region_peering_is_seen_in_both_its_regions() {
    let emu = zero_delay().await;
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = a
        .create_vpc_peer_connection()
        .region_id(HANGZHOU)
        .vpc_id("vpc-a")
        .accepting_ali_uid(ACCOUNT_A.uid)
        .accepting_region_id(SHANGHAI)
        .accepting_vpc_id("vpc-b")
        .resource_group_id("rg-requester")
        .tag(tag("side", "requester"))
        .send()
        .await
        .unwrap()
        .completed()
        .unwrap()
        .instance_id
        .unwrap();
    assert_eq!(status(&a, &id).await.as_deref(), Some("Activated"));
    let listed_in = |region: &'static str| {
        let a = a.clone();
        async move {
            let page = a.list_vpc_peer_connections().region_id(region).send().await.unwrap();
            let connects = page.vpc_peer_connects.unwrap_or_default();
            connects.into_iter().map(|p| (p.instance_id.unwrap(), p.resource_group_id.unwrap())).collect::<Vec<_>>()
        }
    };
    // The account is the requester in RegionId and the accepter in AcceptingRegionId.
    assert_eq!(listed_in(HANGZHOU).await, vec![(id.clone(), "rg-requester".to_owned())]);
    assert_eq!(listed_in(SHANGHAI).await, vec![(id.clone(), format!("rg-acfm{}", ACCOUNT_A.uid))]);
    assert!(listed_in("cn-beijing").await.is_empty());
    assert_eq!(list_ids(&a).await, vec![id.clone()], "listed once without a region");
    assert!(list_ids(&b).await.is_empty());

    // Tags and the resource group in the accepting region are that region's own (TagResources:
    // "Tag information is not shared across regions").
    let tagged = a
        .tag_resources()
        .resource_id(&id)
        .tag(tag("side", "accepter"))
        .resource_type("PeerConnection")
        .region_id(SHANGHAI)
        .send()
        .await
        .unwrap();
    assert_eq!(tagged.success, Some(true));
    let tags_in = |region: &'static str| {
        let (a, id) = (a.clone(), id.clone());
        async move {
            let page = a
                .list_tag_resources()
                .resource_type("PeerConnection")
                .region_id(region)
                .resource_id(&id)
                .send()
                .await
                .unwrap();
            let rows = page.tag_resources.unwrap_or_default();
            rows.into_iter().map(|t| (t.tag_key.unwrap(), t.tag_value.unwrap())).collect::<Vec<_>>()
        }
    };
    assert_eq!(tags_in(SHANGHAI).await, vec![("side".to_owned(), "accepter".to_owned())]);
    assert_eq!(tags_in(HANGZHOU).await, vec![("side".to_owned(), "requester".to_owned())]);
    let moved = a
        .move_resource_group()
        .resource_id(&id)
        .resource_type("PeerConnection")
        .new_resource_group_id("rg-accepter")
        .region_id(SHANGHAI)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.success, Some(true));
    assert_eq!(listed_in(SHANGHAI).await, vec![(id.clone(), "rg-accepter".to_owned())]);
    assert_eq!(listed_in(HANGZHOU).await, vec![(id.clone(), "rg-requester".to_owned())]);
    let by_group = a.list_vpc_peer_connections().region_id(SHANGHAI).resource_group_id("rg-accepter");
    assert_eq!(by_group.send().await.unwrap().total_count, Some(1));
    let untagged = a
        .un_tag_resources()
        .resource_id(&id)
        .all(true)
        .resource_type("PeerConnection")
        .region_id(SHANGHAI)
        .send()
        .await
        .unwrap();
    assert_eq!(untagged.success, Some(true));
    assert!(tags_in(SHANGHAI).await.is_empty());
    assert_eq!(tags_in(HANGZHOU).await.len(), 1);
    // Get names no region: it shows the requester's side.
    let got = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(got.resource_group_id.as_deref(), Some("rg-requester"));
    assert_eq!(got.tags, Some(vec![tag("side", "requester")]));

    // Elsewhere it is not found, with each operation's own code.
    let elsewhere = a
        .tag_resources()
        .resource_id(&id)
        .tag(tag("k", "v"))
        .resource_type("PeerConnection")
        .region_id("cn-beijing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(elsewhere.code(), Some("InvalidInstanceIds.NotFound"));
    let elsewhere = a
        .move_resource_group()
        .resource_id(&id)
        .resource_type("PeerConnection")
        .new_resource_group_id("rg-x")
        .region_id("cn-beijing")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(elsewhere.as_service_error(), Some(MoveResourceGroupError::ResourceNotFoundVpcPeer(_))));
    // Accept and Reject stay refused: there is nothing to accept.
    let accept = a.accept_vpc_peer_connection().instance_id(&id).send().await.unwrap_err();
    assert!(matches!(accept.as_service_error(), Some(AcceptVpcPeerConnectionError::IncorrectStatusVpcPeer(_))));
}

#[tokio::test]
async fn intra_region_modify_refuses_bandwidth_and_link_type_whatever_their_value() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    let id = create(&a, "vpc-a", ACCOUNT_A.uid, "vpc-b").await;
    for bandwidth in [0, -5, 100] {
        let refused = a.modify_vpc_peer_connection().instance_id(&id).bandwidth(bandwidth).send().await.unwrap_err();
        assert!(
            matches!(
                refused.as_service_error(),
                Some(ModifyVpcPeerConnectionError::OperationFailedBandwidthCannotBeChangedInSameRegion(_))
            ),
            "Bandwidth={bandwidth}: {refused}"
        );
    }
    for link_type in ["Silver", "Gold"] {
        let refused = a.modify_vpc_peer_connection().instance_id(&id).link_type(link_type).send().await.unwrap_err();
        assert!(
            matches!(
                refused.as_service_error(),
                Some(ModifyVpcPeerConnectionError::OperationFailedInterRegionLinkTypeNotSupported(_))
            ),
            "LinkType={link_type}: {refused}"
        );
        let on_create = a
            .create_vpc_peer_connection()
            .region_id(HANGZHOU)
            .vpc_id("vpc-c")
            .accepting_ali_uid(ACCOUNT_A.uid)
            .accepting_region_id(HANGZHOU)
            .accepting_vpc_id("vpc-d")
            .link_type(link_type)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                on_create.as_service_error(),
                Some(CreateVpcPeerConnectionError::OperationFailedInterRegionLinkTypeNotSupported(_))
            ),
            "LinkType={link_type}: {on_create}"
        );
    }
}

#[tokio::test]
async fn gmt_expired_is_seven_days_after_gmt_create() {
    use alibabacloud_runtime::signing::parse_timestamp;
    let week = Duration::from_secs(7 * 86_400);
    let emu =
        Emulator::builder().delays(Delays { create: HOUR, ..Delays::ZERO }).start().await.expect("emulator starts");
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    emu.advance_clock(HOUR);
    let got = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(got.status.as_deref(), Some("Accepting"));
    let created = parse_timestamp(got.gmt_create.as_deref().unwrap()).unwrap();
    let expires = parse_timestamp(got.gmt_expired.as_deref().expect("GmtExpired while Accepting")).unwrap();
    assert_eq!(expires.duration_since(created).unwrap(), week, "facts doc §9.1: GmtCreate + 7 days");
    emu.advance_clock(week - HOUR);
    let expired = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(expired.status.as_deref(), Some("Expired"), "a week after GmtCreate");
    assert_eq!(expired.gmt_expired, got.gmt_expired);
    assert_eq!(expired.gmt_modified, got.gmt_expired, "it expired at GmtExpired");

    // An expiry shorter than Creating ends the request as soon as it would wait for acceptance.
    let emu = Emulator::builder()
        .delays(Delays { create: HOUR, ..Delays::ZERO })
        .acceptance_expiry(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let (a, b) = (client(&emu, ACCOUNT_A), client(&emu, ACCOUNT_B));
    let id = create(&a, "vpc-a", ACCOUNT_B.uid, "vpc-b").await;
    emu.advance_clock(HOUR);
    let got = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(got.status.as_deref(), Some("Expired"));
    let created = parse_timestamp(got.gmt_create.as_deref().unwrap()).unwrap();
    let modified = parse_timestamp(got.gmt_modified.as_deref().unwrap()).unwrap();
    assert_eq!(modified.duration_since(created).unwrap(), HOUR, "GmtModified never goes back");
}

#[tokio::test]
async fn untag_and_move_refuse_malformed_input_with_codes_their_operations_document() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    let id = create(&a, "vpc-a", ACCOUNT_A.uid, "vpc-b").await;
    let untagging = || a.un_tag_resources().resource_id(&id).resource_type("PeerConnection").region_id(HANGZHOU);
    let long_key = "k".repeat(129);
    for key in [long_key.as_str(), "a-http://b", "https://c"] {
        let refused = untagging().tag_key(key).send().await.unwrap_err();
        assert!(
            matches!(refused.as_service_error(), Some(UnTagResourcesError::ForbiddenTagKeys(_))),
            "TagKey={key:?}: {refused}"
        );
        let message = refused.metadata().and_then(|m| m.message()).unwrap_or("");
        assert!(message.contains("TagKey"), "the message names the parameter: {refused}");
    }
    assert_eq!(untagging().tag_key("k".repeat(128)).send().await.unwrap().success, Some(true));

    let moving = || {
        a.move_resource_group()
            .resource_id(&id)
            .new_resource_group_id("rg-other")
            .region_id(HANGZHOU)
            .resource_type("PeerConnection")
    };
    for resource_type in ["Foo", "VpcPeer", "peerconnection"] {
        let refused = moving().resource_type(resource_type).send().await.unwrap_err();
        assert!(
            matches!(refused.as_service_error(), Some(MoveResourceGroupError::ResourceNotFoundVpcPeer(_))),
            "ResourceType={resource_type}: {refused}"
        );
        let message = refused.metadata().and_then(|m| m.message()).unwrap_or("");
        assert!(message.contains("ResourceType"), "the message names the parameter: {refused}");
    }
    let got = a.get_vpc_peer_connection_attribute().instance_id(&id).send().await.unwrap();
    assert_eq!(got.resource_group_id, Some(format!("rg-acfm{}", ACCOUNT_A.uid)), "nothing moved");
    assert_eq!(moving().send().await.unwrap().success, Some(true));
}
