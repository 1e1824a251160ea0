//! Rejects a cross-account VPC peering request, end to end.
//!
//! Without an argument it runs the whole scenario against an emulator started in-process:
//! account A requests a peering to account B; B sees it `Accepting`, dry-runs the reject
//! (typed `DryRunPassed` outcome), rejects it, reads it back `Rejected`, and rejecting again
//! gives the typed `IncorrectStatus.VpcPeer` error. Every step prints its request id.
//!
//! ```text
//! cargo run --example reject_vpc_peer_connection
//! ```
//!
//! With a peering id given as the first argument, it instead rejects that real peering at
//! `https://vpcpeer.aliyuncs.com` with the accepter account's credentials, found the way
//! Alibaba's tools find them (`Config::from_env()`: the `ALIBABA_CLOUD_ACCESS_KEY_ID`/
//! `_SECRET`/`_SECURITY_TOKEN` variables, the aliyun CLI profile, the credentials file, an ECS
//! RAM role…): a dry run first, then the reject, then it reads the status back.
//!
//! ```text
//! ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=... \
//!     cargo run --example reject_vpc_peer_connection -- pcc-xxxxxxxxxxxxxxxxxxxx
//! ```

use alibabacloud_emulator::{ACCOUNT_A, ACCOUNT_B, DefaultAccount, Delays, Emulator};
use alibabacloud_vpcpeer::operation::reject_vpc_peer_connection::RejectVpcPeerConnectionError;
use alibabacloud_vpcpeer::{Client, Config, Credentials, Outcome};
use std::error::Error;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    // Only an argument given on purpose turns to the real service, never a stray variable.
    let instance = std::env::args().nth(1).filter(|v| !v.is_empty());
    match instance {
        Some(instance) => reject_real(&instance).await,
        None => emulated().await,
    }
}

fn emulator_client(emulator: &Emulator, account: DefaultAccount) -> Result<Client> {
    let config = Config::builder()
        .credentials(Credentials::new(account.access_key_id, account.access_key_secret))
        .endpoint_url(emulator.endpoint())
        .build()?;
    Ok(Client::new(&config))
}

async fn emulated() -> Result<()> {
    let emulator = Emulator::builder().delays(Delays::ZERO).start().await?;
    println!("emulator at {}", emulator.endpoint());
    let a = emulator_client(&emulator, ACCOUNT_A)?;
    let b = emulator_client(&emulator, ACCOUNT_B)?;

    let created = a
        .create_vpc_peer_connection()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-requester")
        .accepting_ali_uid(ACCOUNT_B.uid)
        .accepting_region_id("cn-hangzhou")
        .accepting_vpc_id("vpc-accepter")
        .name("example-peering")
        .send()
        .await?
        .completed()
        .ok_or("create was not performed")?;
    let id = created.instance_id.ok_or("no instance id")?;
    println!("1. account A requested peering {id} to account B (request {})", show(&created.request_id));

    let seen = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await?;
    println!("2. account B sees it {} (request {})", show(&seen.status), show(&seen.request_id));
    expect_status(&seen.status, "Accepting")?;

    match b.reject_vpc_peer_connection().instance_id(&id).dry_run(true).send().await? {
        Outcome::DryRunPassed(passed) => {
            println!("3. dry run of the reject passed (request {})", passed.request_id().unwrap_or("-"))
        }
        Outcome::Completed(_) => return Err("a dry run must not reject".into()),
    }

    let rejected =
        b.reject_vpc_peer_connection().instance_id(&id).send().await?.completed().ok_or("reject was not performed")?;
    println!("4. account B rejected it (request {})", show(&rejected.request_id));

    let after = b.get_vpc_peer_connection_attribute().instance_id(&id).send().await?;
    println!("5. it reads back {} (request {})", show(&after.status), show(&after.request_id));
    expect_status(&after.status, "Rejected")?;

    match b.reject_vpc_peer_connection().instance_id(&id).send().await {
        Err(error) => match error.as_service_error() {
            Some(RejectVpcPeerConnectionError::IncorrectStatusVpcPeer(metadata)) => println!(
                "6. rejecting again fails with IncorrectStatus.VpcPeer: {} (request {})",
                metadata.message().unwrap_or("-"),
                metadata.request_id().unwrap_or("-")
            ),
            _ => return Err(error.into()),
        },
        Ok(_) => return Err("rejecting a rejected peering must fail".into()),
    }
    Ok(())
}

/// An error unless the peering's `status` is `wanted`.
fn expect_status(status: &Option<String>, wanted: &str) -> Result<()> {
    match status.as_deref() {
        Some(status) if status == wanted => Ok(()),
        other => Err(format!("expected the status {wanted}, got {other:?}").into()),
    }
}

async fn reject_real(id: &str) -> Result<()> {
    let client = Client::new(&Config::from_env().build()?);
    println!("rejecting {id} at the VpcPeer endpoint");
    match client.reject_vpc_peer_connection().instance_id(id).dry_run(true).send().await? {
        Outcome::DryRunPassed(passed) => println!("1. dry run passed (request {})", passed.request_id().unwrap_or("-")),
        _ => return Err("the dry run was not recognised".into()),
    }
    let rejected = client
        .reject_vpc_peer_connection()
        .instance_id(id)
        .send()
        .await?
        .completed()
        .ok_or("reject was not performed")?;
    println!("2. rejected (request {})", show(&rejected.request_id));
    let after = client.get_vpc_peer_connection_attribute().instance_id(id).send().await?;
    println!("3. status {} (request {})", show(&after.status), show(&after.request_id));
    Ok(())
}

fn show(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}
