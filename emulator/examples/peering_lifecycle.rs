//! A cross-account VPC peering from request to deletion, against an emulator started
//! in-process whose asynchronous steps take half a second: waiters follow each step, and a
//! paginator lists the requester's peerings.
//!
//! ```text
//! cargo run --example peering_lifecycle
//! ```

use alibabacloud_emulator::{ACCOUNT_A, ACCOUNT_B, DefaultAccount, Delays, Emulator};
use alibabacloud_vpcpeer::{Client, Config, Credentials};
use std::error::Error;
use std::time::{Duration, Instant};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// How often the waiters ask; the emulator's steps take 500 ms.
const POLL: Duration = Duration::from_millis(100);

#[tokio::main]
async fn main() -> Result<()> {
    let emulator = Emulator::builder().delays(Delays::uniform(Duration::from_millis(500))).start().await?;
    println!("emulator at {}", emulator.endpoint());
    let (a, b) = (client(&emulator, ACCOUNT_A)?, client(&emulator, ACCOUNT_B)?);
    let started = Instant::now();

    let created = a
        .create_vpc_peer_connection()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-requester")
        .accepting_ali_uid(ACCOUNT_B.uid)
        .accepting_region_id("cn-hangzhou")
        .accepting_vpc_id("vpc-accepter")
        .name("lifecycle-example")
        .send()
        .await?
        .completed()
        .ok_or("create was not performed")?;
    let id = created.instance_id.ok_or("no instance id")?;
    println!("{:>5} ms  account A requested {id}", started.elapsed().as_millis());

    let get = |client: &Client| client.get_vpc_peer_connection_attribute().instance_id(&id);
    let seen = get(&b).wait_until_accepting().interval(POLL).await?;
    println!("{:>5} ms  account B sees it {}", started.elapsed().as_millis(), show(&seen.status));

    b.accept_vpc_peer_connection().instance_id(&id).send().await?;
    let active = get(&a).wait_until_activated().interval(POLL).await?;
    println!("{:>5} ms  accepted; it is {}", started.elapsed().as_millis(), show(&active.status));

    let mut pages = a.list_vpc_peer_connections().region_id("cn-hangzhou").max_results(10).into_pages();
    while let Some(page) = pages.next().await {
        for peering in page?.vpc_peer_connects.unwrap_or_default() {
            println!("           listed {} {}", show(&peering.instance_id), show(&peering.status));
        }
    }

    a.delete_vpc_peer_connection().instance_id(&id).send().await?;
    get(&a).wait_until_deleted().interval(POLL).await?;
    println!("{:>5} ms  deleted; the service no longer finds it", started.elapsed().as_millis());
    Ok(())
}

fn client(emulator: &Emulator, account: DefaultAccount) -> Result<Client> {
    let config = Config::builder()
        .credentials(Credentials::new(account.access_key_id, account.access_key_secret))
        .endpoint_url(emulator.endpoint())
        .build()?;
    Ok(Client::new(&config))
}

fn show(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}
