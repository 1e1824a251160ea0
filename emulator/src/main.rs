//! The `alibabacloud-emulator` command: serves the VpcPeer emulator on a local address until
//! interrupted, printing the endpoint and the accounts it accepts.

use alibabacloud_emulator::{Account, Delays, Emulator};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

const HELP: &str = "\
alibabacloud-emulator: a local Alibaba Cloud VpcPeer 2022-01-01 service

USAGE:
    alibabacloud-emulator [--listen ADDR] [--account UID:ACCESS_KEY_ID:ACCESS_KEY_SECRET]...
                          [--delay-ms MS] [--help]

OPTIONS:
    --listen ADDR      Address to listen on (default 127.0.0.1:0, a free port).
    --account SPEC     An account as UID:ACCESS_KEY_ID:ACCESS_KEY_SECRET. Repeatable. Without
                       any, the two documented default accounts are used.
    --delay-ms MS      How long transitional states (Creating, Updating, Deleting) last, in
                       milliseconds (default 1000; 0 completes them at the next request).
    --help             Print this help.

Point a client at the printed endpoint (http://ADDR) with one of the printed AccessKey pairs.
Stop with Ctrl-C.";

struct Options {
    listen: SocketAddr,
    accounts: Vec<Account>,
    delay: Duration,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options =
        Options { listen: SocketAddr::from(([127, 0, 0, 1], 0)), accounts: Vec::new(), delay: Duration::from_secs(1) };
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (flag.clone(), None),
        };
        if name == "--help" || name == "-h" {
            return Ok(None);
        }
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match name.as_str() {
            "--listen" => {
                let text = value()?;
                options.listen =
                    text.parse().map_err(|_| format!("--listen: {text:?} is not an address like 127.0.0.1:8080"))?;
            }
            "--account" => options.accounts.push(Account::parse(&value()?).map_err(|e| format!("--account: {e}"))?),
            "--delay-ms" => {
                let text = value()?;
                let ms =
                    text.parse::<u64>().map_err(|_| format!("--delay-ms: {text:?} is not a number of milliseconds"))?;
                options.delay = Duration::from_millis(ms);
            }
            other => return Err(format!("unknown argument {other:?}; see --help")),
        }
    }
    Ok(Some(options))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let defaults = options.accounts.is_empty();
    let mut builder = Emulator::builder().listen(options.listen).delays(Delays::uniform(options.delay));
    for account in options.accounts {
        builder = builder.account(account);
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("VpcPeer 2022-01-01 emulator listening on {}", emulator.endpoint());
    for account in emulator.accounts() {
        // The documented default secrets are printed so they can be copied; secrets given
        // with --account stay redacted.
        let secret = if defaults {
            account.access_key_secret.expose().to_owned()
        } else {
            account.access_key_secret.to_string()
        };
        println!("account uid={} access_key_id={} access_key_secret={secret}", account.uid, account.access_key_id);
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot wait for Ctrl-C: {e}");
        return ExitCode::FAILURE;
    }
    println!("stopping");
    ExitCode::SUCCESS
}
