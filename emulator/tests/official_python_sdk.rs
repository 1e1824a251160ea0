//! Conformance with Alibaba's official Python SDK: starts the emulator in-process and runs
//! `conformance/official_sdk.py`, which installs the pinned `alibabacloud-vpcpeer20220101`
//! into a virtual environment under the cargo target directory and drives the emulator over
//! loopback in both signature modes (V1 and V3), including a throttled call that the official
//! client must turn into `ThrottlingException` with `retry_after`. Needs `python3` (or `$PYTHON`) with `venv`,
//! and PyPI on the first run.

use alibabacloud_emulator::{ACCOUNT_A, ACCOUNT_B, DefaultAccount, Delays, Emulator, Fault, FaultRule};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn spec(account: DefaultAccount) -> String {
    format!("{}:{}:{}", account.uid, account.access_key_id, account.access_key_secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_works_against_the_emulator() {
    let throttle = Fault::Throttling { retry_after: Some(Duration::from_millis(1500)) };
    let emulator = Emulator::builder()
        .delays(Delays::ZERO)
        .fault(FaultRule::new(throttle).action("ListTagResources").next(2))
        .start()
        .await
        .expect("emulator starts");
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("official-python-sdk-venv");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/official_sdk.py");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    // The Tea SDK matches NO_PROXY on the exact host:port, so list the emulator verbatim.
    let inherited = std::env::var("NO_PROXY").or_else(|_| std::env::var("no_proxy")).unwrap_or_default();
    let no_proxy = format!(
        "{}127.0.0.1,localhost,{}",
        if inherited.is_empty() { String::new() } else { format!("{inherited},") },
        emulator.local_addr()
    );
    let mut command = Command::new(&python);
    command
        .arg(&script)
        .arg("--venv")
        .arg(&venv)
        .args(["--endpoint", &emulator.local_addr().to_string()])
        .args(["--account-a", &spec(ACCOUNT_A), "--account-b", &spec(ACCOUNT_B), "--expect-throttled"])
        .env("NO_PROXY", &no_proxy)
        .env("no_proxy", &no_proxy);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("runner joins")
        .unwrap_or_else(|e| panic!("cannot run {python} (Python 3 with venv is required): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "official SDK conformance failed ({})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status
    );
    assert!(stdout.contains("[V1] a wrong secret is SignatureDoesNotMatch"), "{stdout}");
    assert!(stdout.contains("[V3] a wrong secret is SignatureDoesNotMatch"), "{stdout}");
    assert!(stdout.contains("[V3] a throttled call raises ThrottlingException"), "{stdout}");
}
