//! The 11 operations over the service state: each checks the caller, the parameters and the
//! peering's state (the operation × state table of the facts doc, §9.3), answers
//! `DryRunOperation` when asked to only check, and otherwise applies the change.

use super::checks;
use super::peering::{Next, Peering, PeeringJson, Side, Status, View};
use super::{Action, ServiceOptions, State};
use crate::accounts::Account;
use crate::errors::ApiError;
use crate::ids::UniqueIds;
use crate::schema::Params;
use serde::Serialize;
use serde_json::{Value as Json, json};
use std::time::SystemTime;

/// One request being served, with the state locked.
pub(super) struct Context<'a> {
    pub(super) state: &'a mut State,
    pub(super) options: &'a ServiceOptions,
    pub(super) ids: &'a UniqueIds,
    pub(super) now: SystemTime,
    pub(super) caller: &'a Account,
    pub(super) params: &'a Params<'a>,
    pub(super) dry_run: bool,
}

/// A success body: the text of a JSON object, without `RequestId`.
type Body = Result<String, ApiError>;

fn body(value: Json) -> String {
    value.to_string()
}

fn empty() -> String {
    "{}".to_owned()
}

/// The success body of `ListVpcPeerConnections`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListBody<'a> {
    total_count: usize,
    max_results: usize,
    next_token: String,
    vpc_peer_connects: Vec<PeeringJson<'a>>,
}

fn serialized(value: &impl Serialize) -> Body {
    let failed = |e: &dyn std::fmt::Display| {
        ApiError::new(500, "InternalError", format!("The response could not be written: {e}."))
    };
    let mut out = Vec::with_capacity(1024);
    serde_json::to_writer(&mut out, value).map_err(|e| failed(&e))?;
    String::from_utf8(out).map_err(|e| failed(&e))
}

fn dry_run_passed() -> ApiError {
    ApiError::bad_request("DryRunOperation", "The operation DryRun verifies success.")
}

impl Context<'_> {
    pub(super) fn run(&mut self, action: Action) -> Body {
        match action {
            Action::Create => self.create(),
            Action::Accept => self.accept(),
            Action::Reject => self.reject(),
            Action::Modify => self.modify(),
            Action::Delete => self.delete(),
            Action::Get => self.get(),
            Action::List => self.list(),
            Action::TagResources => self.tag_resources(),
            Action::UnTagResources => self.untag_resources(),
            Action::ListTagResources => self.list_tag_resources(),
            Action::MoveResourceGroup => self.move_resource_group(),
        }
    }

    fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.params.str(name).ok_or_else(|| ApiError::missing_parameter(name))
    }

    /// Brings `id` up to date and returns it with the caller's side, if the caller sees it.
    fn visible(&mut self, id: &str) -> Option<(&mut Peering, Side)> {
        self.visible_in(id, None)
    }

    /// [`Context::visible`] in `region` (the caller's side there), or in any region.
    fn visible_in(&mut self, id: &str, region: Option<&str>) -> Option<(&mut Peering, Side)> {
        let expiry = self.options.acceptance_expiry;
        let gone = match self.state.peerings.get_mut(id) {
            Some(p) => p.settle(self.now, expiry) == Next::Gone,
            None => return None,
        };
        if gone {
            self.state.peerings.remove(id);
            return None;
        }
        let uid = self.caller.uid;
        let peering = self.state.peerings.get_mut(id)?;
        let side = peering.side_in(uid, region)?;
        Some((peering, side))
    }

    fn found(&mut self, id: &str) -> Result<(&mut Peering, Side), ApiError> {
        self.visible(id).ok_or_else(|| ApiError::instance_not_found(id))
    }

    /// Settles every peering, dropping those that are gone, and returns the caller's in
    /// `region` (each with the caller's side there), or in any region.
    fn all_visible(&mut self, region: Option<&str>) -> Vec<(&Peering, Side)> {
        let (now, expiry, uid) = (self.now, self.options.acceptance_expiry, self.caller.uid);
        self.state.peerings.retain(|_, p| p.settle(now, expiry) != Next::Gone);
        let mut list: Vec<(&Peering, Side)> =
            self.state.peerings.values().filter_map(|p| p.side_in(uid, region).map(|s| (p, s))).collect();
        list.sort_by_key(|(p, _)| p.seq);
        list
    }

    fn region(&self, name: &str) -> Result<String, ApiError> {
        let region = self.required(name)?;
        if !self.options.regions.contains(region) {
            return Err(ApiError::bad_request(
                "UnsupportedRegion",
                format!("The feature of VpcPeer is not supported in the region of {region} ({name})."),
            ));
        }
        Ok(region.to_owned())
    }

    /// The CIDR blocks of a VPC, or the error for a VPC that does not exist.
    fn vpc(
        &self,
        uid: i64,
        region: &str,
        vpc_id: &str,
        code: &'static str,
        param: &str,
    ) -> Result<Vec<String>, ApiError> {
        let missing = || {
            ApiError::bad_request(
                code,
                format!(
                    "The status of {param} [{vpc_id}] is incorrect: no such VPC in account {uid}, region {region}."
                ),
            )
        };
        if !checks::well_formed_id(vpc_id, "vpc-") {
            return Err(missing());
        }
        match &self.options.vpcs {
            None => Ok(Vec::new()),
            Some(declared) => declared.get(&(uid, region.to_owned(), vpc_id.to_owned())).cloned().ok_or_else(missing),
        }
    }

    fn resource_group_or_default(&self) -> Result<String, ApiError> {
        match self.params.str("ResourceGroupId") {
            Some(rg) => checks::resource_group(rg).map(|()| rg.to_owned()),
            None => Ok(checks::default_resource_group(self.caller.uid)),
        }
    }

    fn create(&mut self) -> Body {
        let region_id = self.region("RegionId")?;
        let accepting_region_id = self.region("AcceptingRegionId")?;
        let accepting_uid =
            self.params.int("AcceptingAliUid").ok_or_else(|| ApiError::missing_parameter("AcceptingAliUid"))?;
        if accepting_uid <= 0 {
            return Err(ApiError::illegal_param(
                "AcceptingAliUid",
                format_args!("it must be a positive account UID, got {accepting_uid}"),
            ));
        }
        let vpc_id = self.required("VpcId")?.to_owned();
        let accepting_vpc_id = self.required("AcceptingVpcId")?.to_owned();
        let vpc_cidrs = self.vpc(self.caller.uid, &region_id, &vpc_id, "IncorrectStatus.Vpc", "VpcId")?;
        let accepting_vpc_cidrs = self.vpc(
            accepting_uid,
            &accepting_region_id,
            &accepting_vpc_id,
            "IncorrectStatus.AcceptingVpc",
            "AcceptingVpcId",
        )?;
        if vpc_id == accepting_vpc_id {
            return Err(ApiError::illegal_param(
                "AcceptingVpcId",
                "the accepter VPC must differ from the requester VPC",
            ));
        }
        let inter_region = region_id != accepting_region_id;
        let name = self.params.str("Name").unwrap_or("");
        if !name.is_empty() {
            checks::create_name(name)?;
        }
        let description = self.params.str("Description").unwrap_or("");
        if !description.is_empty() {
            checks::create_description(description)?;
        }
        let link_type = match self.params.str("LinkType") {
            Some(lt) => checks::link_type(lt, inter_region).map(|()| lt.to_owned())?,
            None if inter_region => "Gold".to_owned(),
            None => String::new(),
        };
        let bandwidth = match self.params.int("Bandwidth") {
            Some(b) if inter_region => checks::bandwidth(b).map(|()| b)?,
            Some(_) => {
                return Err(ApiError::illegal_param(
                    "Bandwidth",
                    "it applies only to inter-region peerings (RegionId and AcceptingRegionId differ)",
                ));
            }
            None if inter_region => 1024,
            None => -1,
        };
        let resource_group_id = self.resource_group_or_default()?;
        let tags = checks::tags_to_set(&self.params.key_values("Tag"))?;
        let on_vpc = self.settled_peerings_on(&vpc_id);
        let on_accepting_vpc = self.settled_peerings_on(&accepting_vpc_id);
        let peerings = &self.state.peerings;
        let duplicate = on_vpc.iter().filter_map(|id| peerings.get(id)).any(|p| {
            [&p.vpc_id, &p.accepting_vpc_id].contains(&&accepting_vpc_id)
                && !matches!(p.status, Status::Rejected | Status::Expired | Status::Deleting)
        });
        if duplicate {
            return Err(ApiError::bad_request(
                "ResourceAlreadyExist.VpcPeer",
                format!("The specified resource of VpcPeer already exists between {vpc_id} and {accepting_vpc_id}."),
            ));
        }
        let busy = on_vpc
            .iter()
            .chain(&on_accepting_vpc)
            .filter_map(|id| peerings.get(id))
            .find(|p| matches!(p.status, Status::Creating | Status::Updating | Status::Deleting));
        if let Some(busy) = busy {
            return Err(ApiError::bad_request(
                "Conflict.Operation",
                format!(
                    "There are other peering operations on the requester VPC or accepter VPC, try again later: {} is {}.",
                    busy.instance_id,
                    busy.status.as_str()
                ),
            ));
        }
        if self.dry_run {
            return Err(dry_run_passed());
        }
        let seq = self.state.next_seq;
        self.state.next_seq += 1;
        let instance_id = (0..8)
            .map(|_| self.ids.instance_id())
            .find(|candidate| !self.state.peerings.contains_key(candidate))
            .ok_or_else(|| ApiError::new(500, "InternalError", "No unique instance id could be allocated."))?;
        let after_create = if accepting_uid == self.caller.uid { Status::Activated } else { Status::Accepting };
        let mut peering = Peering {
            seq,
            instance_id: instance_id.clone(),
            name: name.to_owned(),
            description: description.to_owned(),
            owner_uid: self.caller.uid,
            accepting_uid,
            region_id,
            accepting_region_id,
            vpc_id,
            accepting_vpc_id,
            vpc_cidrs,
            accepting_vpc_cidrs,
            bandwidth,
            link_type,
            status: Status::Creating,
            pending: None,
            gmt_create: self.now,
            gmt_modified: self.now,
            gmt_expired: None,
            requester: View { resource_group_id, tags, ..View::default() },
            accepter: View { resource_group_id: checks::default_resource_group(accepting_uid), ..View::default() },
        };
        peering.begin(Status::Creating, self.now, self.options.delays.create, Next::Status(after_create));
        self.state.by_vpc.entry(peering.vpc_id.clone()).or_default().push(instance_id.clone());
        self.state.by_vpc.entry(peering.accepting_vpc_id.clone()).or_default().push(instance_id.clone());
        self.state.peerings.insert(instance_id.clone(), peering);
        Ok(body(json!({ "InstanceId": instance_id })))
    }

    /// The ids of the peerings on `vpc_id` (either side) that still exist, each brought up to
    /// date. Ids of peerings that are gone are pruned from the index on the way.
    fn settled_peerings_on(&mut self, vpc_id: &str) -> Vec<String> {
        let ids = self.state.by_vpc.remove(vpc_id).unwrap_or_default();
        let (now, expiry) = (self.now, self.options.acceptance_expiry);
        let mut live = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(peering) = self.state.peerings.get_mut(&id) else { continue };
            if peering.settle(now, expiry) == Next::Gone {
                self.state.peerings.remove(&id);
                continue;
            }
            live.push(id);
        }
        if !live.is_empty() {
            self.state.by_vpc.insert(vpc_id.to_owned(), live.clone());
        }
        live
    }

    /// The accepter's side of a cross-account peering in `Accepting`, for Accept and Reject.
    fn acceptable(&mut self) -> Result<String, ApiError> {
        let id = self.required("InstanceId")?.to_owned();
        let (peering, side) = self.found(&id)?;
        if side != Side::Accepter || !peering.is_cross_account() || peering.status != Status::Accepting {
            return Err(ApiError::incorrect_status(&id));
        }
        Ok(id)
    }

    /// Accept's `ResourceGroupId` and `Tag` apply to the accepter's view like MoveResourceGroup
    /// and TagResources: what the accepter set while the peering waited is kept.
    fn accept(&mut self) -> Body {
        let id = self.acceptable()?;
        let resource_group_id = self.params.str("ResourceGroupId");
        if let Some(group) = resource_group_id {
            checks::resource_group(group)?;
        }
        let tags = checks::tags_to_set(&self.params.key_values("Tag"))?;
        let (peering, _) = self.found(&id)?;
        checks::tag_count(peering.accepter.tag_count_with(&tags), format_args!("{id} would have"))?;
        if self.dry_run {
            return Err(dry_run_passed());
        }
        let (now, delay) = (self.now, self.options.delays.accept);
        let (peering, _) = self.found(&id)?;
        peering.begin(Status::Updating, now, delay, Next::Status(Status::Activated));
        peering.gmt_expired = None;
        if let Some(group) = resource_group_id {
            peering.accepter.resource_group_id = group.to_owned();
        }
        peering.accepter.set_tags(tags);
        Ok(empty())
    }

    fn reject(&mut self) -> Body {
        let id = self.acceptable()?;
        if self.dry_run {
            return Err(dry_run_passed());
        }
        let now = self.now;
        let (peering, _) = self.found(&id)?;
        peering.status = Status::Rejected;
        peering.gmt_modified = now;
        peering.gmt_expired = None;
        Ok(empty())
    }

    fn modify(&mut self) -> Body {
        let id = self.required("InstanceId")?.to_owned();
        let params = self.params;
        let (peering, _) = self.found(&id)?;
        if peering.status != Status::Activated {
            return Err(ApiError::incorrect_status(&id));
        }
        let inter_region = peering.is_inter_region();
        // An empty value is refused, not taken as "unchanged".
        if let Some(name) = params.text("Name") {
            checks::modify_text("Name", name, 128)?;
        }
        if let Some(description) = params.text("Description") {
            checks::modify_text("Description", description, 256)?;
        }
        // Whether the peering has a bandwidth to change comes before the value: any
        // `Bandwidth` on an intra-region peering gets the code Modify documents for it.
        if let Some(bandwidth) = params.int("Bandwidth") {
            if !inter_region {
                return Err(ApiError::bad_request(
                    "OperationFailed.BandwidthCannotBeChangedInSameRegion",
                    "The operation failed because the bandwidth cannot be changed in the same region.",
                ));
            }
            checks::bandwidth(bandwidth)?;
        }
        if let Some(link_type) = params.str("LinkType") {
            checks::link_type(link_type, inter_region)?;
        }
        if self.dry_run {
            return Err(dry_run_passed());
        }
        let (now, delay) = (self.now, self.options.delays.modify);
        let (peering, _) = self.found(&id)?;
        if let Some(name) = params.str("Name") {
            peering.name = name.to_owned();
        }
        if let Some(description) = params.str("Description") {
            peering.description = description.to_owned();
        }
        if let Some(bandwidth) = params.int("Bandwidth") {
            peering.bandwidth = bandwidth;
        }
        if let Some(link_type) = params.str("LinkType") {
            peering.link_type = link_type.to_owned();
        }
        peering.begin(Status::Updating, now, delay, Next::Status(Status::Activated));
        Ok(empty())
    }

    fn delete(&mut self) -> Body {
        let id = self.required("InstanceId")?.to_owned();
        let (now, delay, dry_run, force) =
            (self.now, self.options.delays.delete, self.dry_run, self.params.flag("Force"));
        let (peering, _) = self.found(&id)?;
        if !matches!(peering.status, Status::Accepting | Status::Activated | Status::Rejected | Status::Expired) {
            return Err(ApiError::incorrect_status(&id));
        }
        let routed =
            [Side::Requester, Side::Accepter].into_iter().any(|side| !peering.view(side).route_entries.is_empty());
        if routed && !force {
            return Err(ApiError::bad_request(
                "OperationDenied.RouteEntryExist",
                "The operation is not allowed because of existing routeEntry point to VpcPeer.",
            ));
        }
        if dry_run {
            return Err(dry_run_passed());
        }
        // `Force` removes the route entries of both VPCs with the peering.
        peering.requester.route_entries.clear();
        peering.accepter.route_entries.clear();
        peering.begin(Status::Deleting, now, delay, Next::Gone);
        peering.gmt_expired = None;
        Ok(empty())
    }

    /// Adds a route entry to `destination_cidr` through peering `id` to the caller's VPC, as
    /// the Vpc API's `CreateRouteEntry` would: only a well-formed CIDR block, through an
    /// `Activated` peering the caller sees, once (with that API's error codes).
    pub(super) fn add_route_entry(&mut self, id: &str, destination_cidr: &str) -> Result<(), ApiError> {
        let Some(block) = checks::cidr_block(destination_cidr) else {
            let message = format!("Specified CIDR block is not valid: DestinationCidrBlock {destination_cidr:?}.");
            return Err(ApiError::bad_request("InvalidCidrBlock.Malformed", message));
        };
        let (peering, side) = self.found(id)?;
        if peering.status != Status::Activated {
            return Err(ApiError::incorrect_status(id));
        }
        let entries = &mut peering.view_mut(side).route_entries;
        if entries.contains(&block) {
            return Err(ApiError::bad_request("InvalidRouteEntry.Duplicate", "The route entry already exist."));
        }
        entries.push(block);
        Ok(())
    }

    fn get(&mut self) -> Body {
        let id = self.required("InstanceId")?.to_owned();
        let (peering, side) = self.found(&id)?;
        serialized(&peering.to_json(side))
    }

    fn list(&mut self) -> Body {
        let params = self.params;
        let page_size = checks::page_size(params.int("MaxResults"), 20, 100)?;
        let start = params.str("NextToken").map(checks::read_peering_token).transpose()?.unwrap_or(0);
        let vpc_ids = params.strings("VpcId");
        if vpc_ids.contains(&"") {
            return Err(ApiError::invalid_parameter("VpcId", "an item of the list is empty"));
        }
        let tag_filter = params.key_values("Tags");
        // A `Tags.N.Value` without its key is an empty key, refused like ListTagResources does.
        let filter_keys: Vec<&str> = tag_filter.iter().map(|(key, _)| key.unwrap_or("")).collect();
        checks::tag_keys(&filter_keys, &checks::LIST_FILTER_KEYS)?;
        let matching: Vec<(&Peering, Side)> = self
            .all_visible(params.str("RegionId"))
            .into_iter()
            .filter(|(p, side)| {
                let view = p.view(*side);
                params.str("InstanceId").is_none_or(|id| p.instance_id == id)
                    && params.str("Name").is_none_or(|n| p.name == n)
                    && params.str("ResourceGroupId").is_none_or(|rg| view.resource_group_id == rg)
                    && (vpc_ids.is_empty() || vpc_ids.iter().any(|v| p.vpc_id == *v || p.accepting_vpc_id == *v))
                    && tag_filter.iter().all(|(k, v)| {
                        view.tags.iter().any(|(tk, tv)| Some(tk.as_str()) == *k && v.is_none_or(|v| v == tv))
                    })
            })
            .collect();
        let total = matching.len();
        let page: Vec<&(&Peering, Side)> =
            matching.iter().filter(|(p, _)| p.seq >= start).take(page_size + 1).collect();
        let next_token = match page.get(page_size) {
            Some((p, _)) => checks::peering_token(p.seq),
            None => String::new(),
        };
        let vpc_peer_connects = page.iter().take(page_size).map(|(p, side)| p.to_json(*side)).collect();
        serialized(&ListBody { total_count: total, max_results: page_size, next_token, vpc_peer_connects })
    }

    /// The caller's peerings named by `ResourceId`, all in `RegionId`, for the tag operations:
    /// the region and the ids.
    fn tag_targets(&mut self) -> Result<(String, Vec<String>), ApiError> {
        checks::resource_type(self.params.str("ResourceType"))?;
        let region = self.required("RegionId")?.to_owned();
        let ids: Vec<String> = self.params.strings("ResourceId").into_iter().map(str::to_owned).collect();
        if ids.is_empty() {
            return Err(ApiError::missing_parameter("ResourceId"));
        }
        checks::resource_id_count(ids.len())?;
        let missing: Vec<&str> =
            ids.iter().filter(|id| self.visible_in(id, Some(&region)).is_none()).map(String::as_str).collect();
        if !missing.is_empty() {
            return Err(ApiError::bad_request(
                "InvalidInstanceIds.NotFound",
                format!("The instance IDs are not found in region {region}: {}.", missing.join(", ")),
            ));
        }
        Ok((region, ids))
    }

    /// A peering `tag_targets` returned, with the caller's side in `region`.
    fn target(&mut self, id: &str, region: &str) -> Result<(&mut Peering, Side), ApiError> {
        self.visible_in(id, Some(region)).ok_or_else(|| ApiError::instance_not_found(id))
    }

    fn tag_resources(&mut self) -> Body {
        let (region, ids) = self.tag_targets()?;
        let tags = checks::tags_to_set(&self.params.key_values("Tag"))?;
        if tags.is_empty() {
            return Err(ApiError::missing_parameter("Tag"));
        }
        for id in &ids {
            let (peering, side) = self.target(id, &region)?;
            checks::tag_count(peering.view(side).tag_count_with(&tags), format_args!("{id} would have"))?;
        }
        for id in &ids {
            let (peering, side) = self.target(id, &region)?;
            peering.view_mut(side).set_tags(tags.clone());
        }
        Ok(body(json!({ "Success": true })))
    }

    fn untag_resources(&mut self) -> Body {
        let (region, ids) = self.tag_targets()?;
        let all = self.params.flag("All");
        let keys = self.params.strings("TagKey");
        if !all && keys.is_empty() {
            return Err(ApiError::missing_parameter("TagKey"));
        }
        checks::tag_keys(&keys, &checks::UNTAG_KEYS)?;
        let keys: Vec<String> = keys.into_iter().map(str::to_owned).collect();
        for id in &ids {
            let (peering, side) = self.target(id, &region)?;
            let view = peering.view_mut(side);
            view.tags.retain(|(k, _)| !all && !keys.contains(k));
        }
        Ok(body(json!({ "Success": true })))
    }

    fn list_tag_resources(&mut self) -> Body {
        let params = self.params;
        checks::resource_type(params.str("ResourceType"))?;
        let region = self.required("RegionId")?.to_owned();
        let page_size = checks::page_size(params.int("MaxResults"), 50, 50)?;
        let resume = params.str("NextToken").map(checks::read_tag_token).transpose()?;
        let system_only = match params.str("Category").unwrap_or("All") {
            "All" | "Custom" => false,
            "System" => true,
            other => {
                return Err(ApiError::illegal_param(
                    "Category",
                    format_args!("expected All, Custom or System, got {other:?}"),
                ));
            }
        };
        let ids = params.strings("ResourceId");
        let filter = params.key_values("Tag");
        if ids.is_empty() && filter.is_empty() {
            return Err(ApiError::bad_request(
                "BothEmpty.TagsAndResources",
                "The specified Tags and ResourcesIds are not allow to both empty.",
            ));
        }
        checks::resource_id_count(ids.len())?;
        let filter_keys: Vec<&str> = filter.iter().map(|(key, _)| key.unwrap_or("")).collect();
        checks::tag_keys(&filter_keys, &checks::FILTER_KEYS)?;
        let in_region: Vec<(&Peering, Side)> = self.all_visible(Some(&region));
        if let Some(missing) = ids.iter().find(|id| !in_region.iter().any(|(p, _)| p.instance_id == **id)) {
            return Err(ApiError::bad_request(
                "InvalidInstanceIds.NotFound",
                format!("The instance IDs are not found in region {region}: {missing}."),
            ));
        }
        let mut rows = Vec::new();
        for (peering, side) in &in_region {
            let view = peering.view(*side);
            let selected = (ids.is_empty() || ids.contains(&peering.instance_id.as_str()))
                && filter.iter().all(|(k, v)| {
                    view.tags.iter().any(|(tk, tv)| Some(tk.as_str()) == *k && v.is_none_or(|v| v == tv))
                });
            if selected && !system_only {
                let mut tags: Vec<&(String, String)> = view.tags.iter().collect();
                tags.sort();
                rows.extend(tags.into_iter().map(|(key, value)| (peering.seq, &peering.instance_id, key, value)));
            }
        }
        // Rows in (peering, key) order; the token names the first row of the next page.
        let rows = rows.into_iter().skip_while(|(seq, _, key, _)| {
            resume.as_ref().is_some_and(|(at_seq, at_key)| (*seq, key.as_str()) < (*at_seq, at_key.as_str()))
        });
        let mut page: Vec<Json> = Vec::with_capacity(page_size);
        let mut next_token = String::new();
        for (seq, id, key, value) in rows {
            if page.len() == page_size {
                next_token = checks::tag_token(seq, key);
                break;
            }
            page.push(json!({
                "ResourceId": id,
                "ResourceType": "PeerConnection",
                "RegionNo": region,
                "TagKey": key,
                "TagValue": value,
            }));
        }
        Ok(body(json!({ "NextToken": next_token, "MaxResults": page_size, "TagResources": page })))
    }

    /// A `ResourceType` other than `PeerConnection` names no VpcPeer resource: of the codes
    /// MoveResourceGroup documents, `ResourceNotFound.VpcPeer` (the tag operations answer it
    /// with their own `InvalidInstanceType.NotFound`, which this one does not document).
    fn move_resource_group(&mut self) -> Body {
        let resource_type = self.required("ResourceType")?;
        if resource_type != "PeerConnection" {
            return Err(ApiError::bad_request(
                "ResourceNotFound.VpcPeer",
                format!(
                    "The specified resource of VpcPeer is not found: ResourceType must be PeerConnection, got {resource_type:?}."
                ),
            ));
        }
        let region = self.required("RegionId")?.to_owned();
        let new_group = self.required("NewResourceGroupId")?.to_owned();
        checks::resource_group(&new_group)?;
        let id = self.required("ResourceId")?.to_owned();
        let not_found = || {
            ApiError::bad_request(
                "ResourceNotFound.VpcPeer",
                format!("The specified resource of VpcPeer [{id}] is not found in region {region}."),
            )
        };
        let Some((peering, side)) = self.visible_in(&id, Some(&region)) else {
            return Err(not_found());
        };
        peering.view_mut(side).resource_group_id = new_group;
        Ok(body(json!({ "Success": true })))
    }
}
