//! The `alibabacloud-emulator` command: `--help`, argument errors, and a served request on
//! the address it prints.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_alibabacloud-emulator");

/// A running emulator process, killed when dropped: also when an assertion fails first.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        // It may have exited already; either way it is reaped.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn help_documents_every_flag() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in ["--listen", "--account", "--delay-ms", "--help"] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn bad_arguments_are_named() {
    for (args, expected) in [
        (vec!["--listen", "nowhere"], "--listen"),
        (vec!["--account", "1:only-two"], "--account"),
        (vec!["--delay-ms", "soon"], "--delay-ms"),
        (vec!["--verbose"], "--verbose"),
        (vec!["--listen"], "needs a value"),
    ] {
        let output = Command::new(BINARY).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[tokio::test]
async fn serves_on_the_printed_endpoint_with_the_given_account() {
    let mut child = Running(
        Command::new(BINARY)
            .args(["--listen", "127.0.0.1:0", "--account", "42:LTAIcli:cli-secret", "--delay-ms", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let endpoint = first.rsplit(' ').next().unwrap().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{first}");
    let account = lines.next().unwrap().unwrap();
    assert_eq!(account, "account uid=42 access_key_id=LTAIcli access_key_secret=** redacted **");

    let config = alibabacloud_vpcpeer::Config::builder()
        .credentials(alibabacloud_vpcpeer::Credentials::new("LTAIcli", "cli-secret"))
        .endpoint_url(&endpoint)
        .build()
        .unwrap();
    let client = alibabacloud_vpcpeer::Client::new(&config);
    let listed = client.list_vpc_peer_connections().send().await;
    assert_eq!(listed.unwrap().total_count, Some(0));
}

#[test]
fn prints_the_documented_default_accounts() {
    let mut child =
        Running(Command::new(BINARY).args(["--listen", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().unwrap());
    let lines: Vec<String> =
        BufReader::new(child.0.stdout.take().unwrap()).lines().take(3).map(Result::unwrap).collect();
    drop(child);
    for account in [alibabacloud_emulator::ACCOUNT_A, alibabacloud_emulator::ACCOUNT_B] {
        let line = format!(
            "account uid={} access_key_id={} access_key_secret={}",
            account.uid, account.access_key_id, account.access_key_secret
        );
        assert!(lines.contains(&line), "{line} not in {lines:?}");
    }
}
