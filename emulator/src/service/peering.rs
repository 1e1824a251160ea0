//! A VPC peering connection record and its lifecycle: statuses, the pending transition of a
//! transitional state, acceptance expiry, the per-account view (resource group, tags) and the
//! JSON shape of `GetVpcPeerConnectionAttribute`.

use alibabacloud_runtime::signing::{format_timestamp, is_formattable};
use serde::Serialize;
use std::time::SystemTime;

/// The `Status` of a peering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Creating,
    Accepting,
    Updating,
    Activated,
    Rejected,
    Expired,
    Deleting,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Creating => "Creating",
            Status::Accepting => "Accepting",
            Status::Updating => "Updating",
            Status::Activated => "Activated",
            Status::Rejected => "Rejected",
            Status::Expired => "Expired",
            Status::Deleting => "Deleting",
        }
    }
}

/// Where a transitional state goes when its delay has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    Status(Status),
    Gone,
}

/// One account's side of a peering: what that account sees as its resource group and tags,
/// and the route entries of its VPC that point at the peering (destination CIDR blocks).
#[derive(Clone, Debug, Default)]
pub(crate) struct View {
    pub(crate) resource_group_id: String,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) route_entries: Vec<String>,
}

impl View {
    /// How many tags this view would have with `tags` set (a key it has is overwritten).
    pub(crate) fn tag_count_with(&self, tags: &[(String, String)]) -> usize {
        self.tags.len() + tags.iter().filter(|(key, _)| !self.tags.iter().any(|(k, _)| k == key)).count()
    }

    /// Sets `tags`, overwriting the value of a key this view has.
    pub(crate) fn set_tags(&mut self, tags: Vec<(String, String)>) {
        for (key, value) in tags {
            match self.tags.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => self.tags.push((key, value)),
            }
        }
    }
}

/// Which side of a peering an account is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Requester,
    Accepter,
}

/// A VPC peering connection.
#[derive(Clone, Debug)]
pub(crate) struct Peering {
    /// Creation order, for stable listing and page tokens.
    pub(crate) seq: u64,
    pub(crate) instance_id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) owner_uid: i64,
    pub(crate) accepting_uid: i64,
    pub(crate) region_id: String,
    pub(crate) accepting_region_id: String,
    pub(crate) vpc_id: String,
    pub(crate) accepting_vpc_id: String,
    pub(crate) vpc_cidrs: Vec<String>,
    pub(crate) accepting_vpc_cidrs: Vec<String>,
    pub(crate) bandwidth: i64,
    pub(crate) link_type: String,
    pub(crate) status: Status,
    pub(crate) pending: Option<(SystemTime, Next)>,
    pub(crate) gmt_create: SystemTime,
    pub(crate) gmt_modified: SystemTime,
    pub(crate) gmt_expired: Option<SystemTime>,
    pub(crate) requester: View,
    pub(crate) accepter: View,
}

impl Peering {
    pub(crate) fn is_cross_account(&self) -> bool {
        self.owner_uid != self.accepting_uid
    }

    pub(crate) fn is_inter_region(&self) -> bool {
        self.region_id != self.accepting_region_id
    }

    /// The side `uid` is on, or `None` when the account cannot see this peering. An account
    /// that is both requester and accepter (a same-account peering) is the requester here: this
    /// is the side of the operations that name no region (Get, the writes).
    pub(crate) fn side_of(&self, uid: i64) -> Option<Side> {
        if uid == self.owner_uid {
            Some(Side::Requester)
        } else if uid == self.accepting_uid {
            Some(Side::Accepter)
        } else {
            None
        }
    }

    /// The side `uid` sees in `region` (facts doc §9.2, Visibility): the requester's in
    /// `RegionId`, the accepter's in `AcceptingRegionId`; `None` elsewhere. A same-account
    /// inter-region peering is thus seen in both of its regions, with each region's own view.
    /// Without a region, [`Peering::side_of`].
    pub(crate) fn side_in(&self, uid: i64, region: Option<&str>) -> Option<Side> {
        let Some(region) = region else { return self.side_of(uid) };
        if uid == self.owner_uid && region == self.region_id {
            Some(Side::Requester)
        } else if uid == self.accepting_uid && region == self.accepting_region_id {
            Some(Side::Accepter)
        } else {
            None
        }
    }

    pub(crate) fn view(&self, side: Side) -> &View {
        match side {
            Side::Requester => &self.requester,
            Side::Accepter => &self.accepter,
        }
    }

    pub(crate) fn view_mut(&mut self, side: Side) -> &mut View {
        match side {
            Side::Requester => &mut self.requester,
            Side::Accepter => &mut self.accepter,
        }
    }

    /// Starts a transitional state that becomes `next` after `delay`; a delay too long for
    /// the clock to hold (`Duration::MAX`) never ends.
    pub(crate) fn begin(&mut self, status: Status, now: SystemTime, delay: std::time::Duration, next: Next) {
        self.status = status;
        self.gmt_modified = now;
        self.pending = now.checked_add(delay).map(|at| (at, next));
    }

    /// Applies every transition due by `now`; `Next::Gone` when the record has disappeared.
    pub(crate) fn settle(&mut self, now: SystemTime, acceptance_expiry: std::time::Duration) -> Next {
        while let Some((at, next)) = self.pending.filter(|(at, _)| *at <= now) {
            self.pending = None;
            self.gmt_modified = at;
            match next {
                Next::Gone => return Next::Gone,
                Next::Status(Status::Accepting) => {
                    self.status = Status::Accepting;
                    // Counted from `GmtCreate` (facts doc §9.1: the example's `GmtExpired` is
                    // `GmtCreate` + 7 days). An expiry too far for the clock to hold, or for
                    // `GmtExpired` to show, never comes.
                    self.gmt_expired =
                        self.gmt_create.checked_add(acceptance_expiry).filter(|expiry| is_formattable(*expiry));
                }
                Next::Status(status) => self.status = status,
            }
        }
        if let Some(expired) = self.gmt_expired.filter(|e| self.status == Status::Accepting && *e <= now) {
            self.status = Status::Expired;
            // An expiry shorter than `Creating` is due as soon as the request waits for
            // acceptance; `GmtModified` does not go back.
            self.gmt_modified = expired.max(self.gmt_modified);
        }
        Next::Status(self.status)
    }

    /// The fields of `GetVpcPeerConnectionAttribute` and of a `VpcPeerConnects[]` item, as
    /// seen from `side`.
    pub(crate) fn to_json(&self, side: Side) -> PeeringJson<'_> {
        let view = self.view(side);
        let gmt_expired = match self.status {
            Status::Accepting | Status::Expired => self.gmt_expired.map(format_timestamp),
            _ => None,
        };
        PeeringJson {
            instance_id: &self.instance_id,
            name: &self.name,
            description: &self.description,
            status: self.status.as_str(),
            biz_status: "Normal",
            owner_id: self.owner_uid,
            accepting_owner_uid: self.accepting_uid,
            region_id: &self.region_id,
            accepting_region_id: &self.accepting_region_id,
            vpc: VpcJson { vpc_id: &self.vpc_id, ipv4_cidrs: &self.vpc_cidrs, ipv6_cidrs: &[] },
            accepting_vpc: VpcJson {
                vpc_id: &self.accepting_vpc_id,
                ipv4_cidrs: &self.accepting_vpc_cidrs,
                ipv6_cidrs: &[],
            },
            bandwidth: self.bandwidth,
            link_type: &self.link_type,
            resource_group_id: &view.resource_group_id,
            tags: view.tags.iter().map(|(key, value)| TagJson { key, value }).collect(),
            gmt_create: format_timestamp(self.gmt_create),
            gmt_modified: format_timestamp(self.gmt_modified),
            gmt_expired,
        }
    }
}

/// The JSON shape of a peering (`GetVpcPeerConnectionAttribute`, `VpcPeerConnects[]`).
/// `ManagedService` is never present: it names the cloud service that manages a peering, and
/// the emulator does not model service-managed peerings (docs/EMULATOR.md, "Not emulated").
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PeeringJson<'a> {
    instance_id: &'a str,
    name: &'a str,
    description: &'a str,
    status: &'static str,
    biz_status: &'static str,
    owner_id: i64,
    accepting_owner_uid: i64,
    region_id: &'a str,
    accepting_region_id: &'a str,
    vpc: VpcJson<'a>,
    accepting_vpc: VpcJson<'a>,
    bandwidth: i64,
    link_type: &'a str,
    resource_group_id: &'a str,
    tags: Vec<TagJson<'a>>,
    gmt_create: String,
    gmt_modified: String,
    gmt_expired: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct VpcJson<'a> {
    vpc_id: &'a str,
    ipv4_cidrs: &'a [String],
    ipv6_cidrs: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TagJson<'a> {
    key: &'a str,
    value: &'a str,
}
