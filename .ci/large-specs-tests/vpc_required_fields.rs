//! Copied into the generated Vpc crate by `.ci/large-specs`: objects inside parameters have
//! required fields of their own (a route entry's `DstCidrBlock`), and `build()` refuses a
//! request that lacks one, naming its wire path, before anything is sent.

use alibabacloud_vpc::BuildError;
use alibabacloud_vpc::operation::create_route_entries::CreateRouteEntriesRequest;
use alibabacloud_vpc::types::CreateRouteEntriesRouteEntry as RouteEntry;

fn entry(destination: Option<&str>) -> RouteEntry {
    RouteEntry {
        dst_cidr_block: destination.map(str::to_owned),
        route_table_id: Some("vtb-1".to_owned()),
        next_hop: Some("i-1".to_owned()),
        next_hop_type: Some("Instance".to_owned()),
        ..RouteEntry::default()
    }
}

#[test]
fn a_missing_field_inside_a_list_item_is_named_by_its_wire_path() {
    let request = CreateRouteEntriesRequest::builder()
        .region_id("cn-hangzhou")
        .route_entries(entry(Some("10.0.0.0/24")))
        .route_entries(entry(None))
        .build();
    let error = request.expect_err("the second entry has no destination");
    assert_eq!(error, BuildError::MissingField("RouteEntries.2.DstCidrBlock".to_owned()));
    assert_eq!(error.to_string(), "missing required field `RouteEntries.2.DstCidrBlock`");
}

#[test]
fn complete_items_pass_and_the_list_itself_stays_required() {
    let request =
        CreateRouteEntriesRequest::builder().region_id("cn-hangzhou").route_entries(entry(Some("10.0.0.0/24"))).build();
    assert!(request.is_ok(), "{request:?}");
    let error = CreateRouteEntriesRequest::builder().region_id("cn-hangzhou").build().expect_err("no entries");
    assert_eq!(error, BuildError::MissingParameter("RouteEntries"));
}
