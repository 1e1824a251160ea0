//! The VpcPeer service: per-account peering state behind one short-held lock, the dispatch
//! of the 11 operations, `DryRun` and `ClientToken` idempotency.

mod checks;
mod ops;
mod peering;

use crate::accounts::Account;
use crate::clock::Clock;
use crate::errors::ApiError;
use crate::fast_hash::FastMap;
use crate::ids::UniqueIds;
use crate::schema::Params;
use peering::Peering;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long each transitional state lasts before it advances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delays {
    /// `Creating` → `Activated` (same account) or `Accepting` (cross-account).
    pub create: Duration,
    /// `Updating` → `Activated` after an accept.
    pub accept: Duration,
    /// `Updating` → `Activated` after a modify.
    pub modify: Duration,
    /// `Deleting` → gone.
    pub delete: Duration,
}

impl Delays {
    /// Every transition completes at the next observation.
    pub const ZERO: Delays = Delays::uniform(Duration::ZERO);

    /// The same delay for every transition.
    pub const fn uniform(delay: Duration) -> Self {
        Self { create: delay, accept: delay, modify: delay, delete: delay }
    }
}

impl Default for Delays {
    /// One second for every transition.
    fn default() -> Self {
        Self::uniform(Duration::from_secs(1))
    }
}

/// A VPC declared to exist, with its IPv4 CIDR blocks.
pub(crate) type VpcKey = (i64, String, String);

/// The service's configuration.
#[derive(Clone, Debug)]
pub(crate) struct ServiceOptions {
    pub(crate) delays: Delays,
    pub(crate) acceptance_expiry: Duration,
    /// `None`: any well-formed `vpc-…` exists. `Some`: only these (account, region, VPC).
    pub(crate) vpcs: Option<HashMap<VpcKey, Vec<String>>>,
    pub(crate) regions: HashSet<String>,
}

/// The operations, by action name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Action {
    Accept,
    Create,
    Delete,
    Get,
    ListTagResources,
    List,
    Modify,
    MoveResourceGroup,
    Reject,
    TagResources,
    UnTagResources,
}

impl Action {
    pub(crate) const ALL: [(&'static str, Action); 11] = [
        ("AcceptVpcPeerConnection", Action::Accept),
        ("CreateVpcPeerConnection", Action::Create),
        ("DeleteVpcPeerConnection", Action::Delete),
        ("GetVpcPeerConnectionAttribute", Action::Get),
        ("ListTagResources", Action::ListTagResources),
        ("ListVpcPeerConnections", Action::List),
        ("ModifyVpcPeerConnection", Action::Modify),
        ("MoveResourceGroup", Action::MoveResourceGroup),
        ("RejectVpcPeerConnection", Action::Reject),
        ("TagResources", Action::TagResources),
        ("UnTagResources", Action::UnTagResources),
    ];

    fn has_client_token(self) -> bool {
        !matches!(self, Action::Get | Action::List | Action::ListTagResources | Action::MoveResourceGroup)
    }
}

/// A remembered result of a request made with a `ClientToken`.
struct Remembered {
    fingerprint: String,
    body: String,
}

/// Everything that changes, under one lock that is never held across an await.
#[derive(Default)]
pub(crate) struct State {
    peerings: FastMap<String, Peering>,
    /// Instance ids by requester VPC id, for the duplicate check of Create; entries of
    /// peerings that are gone are dropped when met.
    by_vpc: FastMap<String, Vec<String>>,
    next_seq: u64,
    tokens: FastMap<(i64, Action, String), Remembered>,
}

/// The VpcPeer service.
pub(crate) struct Service {
    options: ServiceOptions,
    ids: UniqueIds,
    clock: Arc<Clock>,
    state: Mutex<State>,
}

impl Service {
    pub(crate) fn new(options: ServiceOptions, clock: Arc<Clock>) -> Self {
        Self { options, ids: UniqueIds::new(), clock, state: Mutex::new(State::default()) }
    }

    /// Runs one validated request for `caller`; the success body is a JSON object's text
    /// without `RequestId`.
    pub(crate) fn execute(&self, caller: &Account, action: Action, params: &Params) -> Result<String, ApiError> {
        let dry_run = params.flag("DryRun");
        let token = if action.has_client_token() { params.str("ClientToken") } else { None };
        if let Some(token) = token {
            checks::client_token(token)?;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let key = token.filter(|_| !dry_run).map(|t| (caller.uid, action, t.to_owned()));
        let fingerprint = key.as_ref().map(|_| params.fingerprint(&["ClientToken", "DryRun"]));
        if let (Some(key), Some(fingerprint)) = (&key, &fingerprint)
            && let Some(seen) = state.tokens.get(key)
        {
            if &seen.fingerprint == fingerprint {
                return Ok(seen.body.clone());
            }
            return Err(ApiError::bad_request(
                "IdempotentParameterMismatch",
                format!(
                    "The ClientToken \"{}\" was already used with different parameters; use a new token for a different request.",
                    key.2
                ),
            ));
        }
        let body = self.context(&mut state, caller, params, dry_run).run(action)?;
        if let (Some(key), Some(fingerprint)) = (key, fingerprint) {
            state.tokens.insert(key, Remembered { fingerprint, body: body.clone() });
        }
        Ok(body)
    }

    /// Adds a route entry to `destination_cidr` through peering `id` to `caller`'s VPC (see
    /// [`crate::Emulator::add_route_entry`]).
    pub(crate) fn add_route_entry(&self, caller: &Account, id: &str, destination_cidr: &str) -> Result<(), ApiError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.context(&mut state, caller, &Params::default(), false).add_route_entry(id, destination_cidr)
    }

    /// What one operation of `caller` works with, at the service clock's time.
    fn context<'a>(
        &'a self,
        state: &'a mut State,
        caller: &'a Account,
        params: &'a Params<'a>,
        dry_run: bool,
    ) -> ops::Context<'a> {
        ops::Context { state, options: &self.options, ids: &self.ids, now: self.clock.now(), caller, params, dry_run }
    }
}
