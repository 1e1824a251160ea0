//! The embeddable emulator: a builder for accounts, VPCs, delays, expiry, faults and the
//! timestamp window, and the running handle (endpoint, clock, faults) that stops the server
//! when dropped.

use crate::accounts::{ACCOUNT_A, ACCOUNT_B, Account, Accounts};
use crate::clock::Clock;
use crate::errors::ApiError;
use crate::faults::{FaultRule, Faults};
use crate::gateway::Gateway;
use crate::schema::Schema;
use crate::service::{Delays, Service, ServiceOptions};
use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Why the emulator could not start.
#[derive(Debug)]
pub enum StartError {
    /// The listen address could not be bound.
    Bind(SocketAddr, std::io::Error),
    /// The configuration is inconsistent (e.g. an AccessKeyId given twice).
    Config(String),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            StartError::Config(why) => write!(f, "invalid emulator configuration: {why}"),
        }
    }
}

impl std::error::Error for StartError {}

/// Configures and starts an [`Emulator`].
#[derive(Debug)]
pub struct EmulatorBuilder {
    listen: SocketAddr,
    accounts: Vec<Account>,
    delays: Delays,
    acceptance_expiry: Duration,
    vpcs: Option<HashMap<(i64, String, String), Vec<String>>>,
    faults: Vec<FaultRule>,
    fault_seed: u64,
    timestamp_window: Duration,
    /// `None`: twice the timestamp window.
    nonce_retention: Option<Duration>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            accounts: Vec::new(),
            delays: Delays::default(),
            acceptance_expiry: Duration::from_secs(7 * 24 * 3600),
            vpcs: None,
            faults: Vec::new(),
            fault_seed: 0,
            timestamp_window: Duration::from_secs(15 * 60),
            nonce_retention: None,
        }
    }
}

impl EmulatorBuilder {
    /// The address to listen on; default `127.0.0.1:0` (a free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Adds an account. Without any, the two default accounts [`ACCOUNT_A`] and
    /// [`ACCOUNT_B`] are used.
    pub fn account(mut self, account: Account) -> Self {
        self.accounts.push(account);
        self
    }

    /// How long transitional states last (default: one second each; [`Delays::ZERO`] makes
    /// every transition complete at the next observation).
    pub fn delays(mut self, delays: Delays) -> Self {
        self.delays = delays;
        self
    }

    /// How long after its `GmtCreate` a cross-account request still waiting in `Accepting`
    /// becomes `Expired`: its `GmtExpired` (default 7 days of the emulator clock; see
    /// [`Emulator::advance_clock`]).
    pub fn acceptance_expiry(mut self, expiry: Duration) -> Self {
        self.acceptance_expiry = expiry;
        self
    }

    /// Declares a VPC of account `uid` in `region`. Once any VPC is declared, only declared
    /// VPCs exist: Create fails with `IncorrectStatus.Vpc` / `IncorrectStatus.AcceptingVpc`
    /// for others. Without declarations every well-formed `vpc-…` id exists.
    pub fn vpc(mut self, uid: i64, region: &str, vpc_id: &str, ipv4_cidrs: &[&str]) -> Self {
        self.vpcs
            .get_or_insert_with(HashMap::new)
            .insert((uid, region.to_owned(), vpc_id.to_owned()), ipv4_cidrs.iter().map(|c| (*c).to_owned()).collect());
        self
    }

    /// Installs a fault rule from the start (more can be added with [`Emulator::inject`]).
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }

    /// Seed of the generator deciding which requests fractional fault rules hit (default 0).
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = seed;
        self
    }

    /// Largest accepted difference between a request's timestamp and the server clock
    /// (default 15 minutes).
    pub fn timestamp_window(mut self, window: Duration) -> Self {
        self.timestamp_window = window;
        self
    }

    /// How long a signature nonce stays used. By default twice the timestamp window (30
    /// minutes): a request stamped up to a window ahead of the clock is accepted until a
    /// window after its stamp, and its nonce is remembered all that time, so it cannot be
    /// replayed. (The service is documented to reject a nonce seen within 15 minutes.)
    pub fn nonce_retention(mut self, retention: Duration) -> Self {
        self.nonce_retention = Some(retention);
        self
    }

    /// Binds the listener and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<Emulator, StartError> {
        let accounts =
            if self.accounts.is_empty() { vec![ACCOUNT_A.account(), ACCOUNT_B.account()] } else { self.accounts };
        let registry = Accounts::new(&accounts).map_err(StartError::Config)?;
        let schema = Schema::vpcpeer().map_err(|e| StartError::Config(e.to_string()))?;
        let clock = Arc::new(Clock::default());
        let options = ServiceOptions {
            delays: self.delays,
            acceptance_expiry: self.acceptance_expiry,
            vpcs: self.vpcs,
            regions: schema.regions.iter().cloned().collect(),
        };
        let service = Service::new(options, clock.clone());
        let faults = Faults::new(self.fault_seed, self.faults);
        let gateway = Gateway::new(
            schema,
            registry,
            service,
            faults,
            self.timestamp_window,
            self.nonce_retention.unwrap_or(self.timestamp_window.saturating_mul(2)),
        )
        .map_err(StartError::Config)?;
        let gateway = Arc::new(gateway);
        let listener = TcpListener::bind(self.listen).await.map_err(|e| StartError::Bind(self.listen, e))?;
        let addr = listener.local_addr().map_err(|e| StartError::Bind(self.listen, e))?;
        let (shutdown, watcher) = watch::channel(false);
        tokio::spawn(crate::server::serve(listener, gateway.clone(), watcher));
        Ok(Emulator { addr, endpoint: format!("http://{addr}"), accounts, gateway, clock, shutdown })
    }
}

/// A running emulator. Dropping it stops the server and closes its connections.
pub struct Emulator {
    addr: SocketAddr,
    endpoint: String,
    accounts: Vec<Account>,
    gateway: Arc<Gateway>,
    clock: Arc<Clock>,
    shutdown: watch::Sender<bool>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint)
            .field("accounts", &self.accounts)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// A builder with the defaults: two default accounts, 1 s delays, 7-day expiry, no faults.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The base URL, e.g. `http://127.0.0.1:38011`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The accounts the emulator knows.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Moves the emulator's service clock forward (transitional delays and acceptance
    /// expiry follow it; signature timestamps are still checked against the real clock).
    pub fn advance_clock(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Installs a fault rule on the running emulator.
    pub fn inject(&self, rule: FaultRule) {
        self.gateway.faults.add(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.gateway.faults.clear();
    }

    /// Adds a route entry to `destination_cidr` through peering `instance_id` to the VPC of
    /// `account`'s side, as the Vpc API's `CreateRouteEntry` would (the emulator does not serve
    /// that API). While any route entry points at a peering, `DeleteVpcPeerConnection` without
    /// `Force=true` fails with `OperationDenied.RouteEntryExist`; with it, the route entries
    /// go with the peering. Fails like the services would: when `account` does not see the
    /// peering (`ResourceNotFound.InstanceId`), it is not `Activated` (`IncorrectStatus.VpcPeer`),
    /// the CIDR block is malformed (`InvalidCidrBlock.Malformed`) or that side already routes
    /// it through the peering (`InvalidRouteEntry.Duplicate`).
    pub fn add_route_entry(
        &self,
        account: &Account,
        instance_id: &str,
        destination_cidr: &str,
    ) -> Result<(), ApiError> {
        self.gateway.service.add_route_entry(account, instance_id, destination_cidr)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
