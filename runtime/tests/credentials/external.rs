//! The external-process provider running real scripts from a temporary directory, directly
//! and through an aliyun CLI profile in `External` mode (Unix: the scripts are `sh`).
#![cfg(unix)]

use crate::support::{SECRET, TOKEN, write_file};
use alibabacloud_runtime::Env;
use alibabacloud_runtime::credentials::{
    CliProfileProvider, CredentialsErrorKind, ExternalProcessProvider, ProvideCredentials,
};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

/// The command running an `sh` script `name` in `dir` with `body`. `/bin/sh` reads the file
/// rather than the file being executed: a process forked meanwhile by another test could
/// still hold it open for writing, and executing it would then fail ("Text file busy").
fn script(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("{body}\n")).unwrap();
    format!("/bin/sh '{}'", path.display())
}

/// A script printing `printed` (a JSON value) on standard output.
fn printing(dir: &Path, printed: &serde_json::Value) -> String {
    script(dir, "print-credentials", &format!("cat <<'END'\n{printed}\nEND"))
}

async fn run(
    command: &str,
) -> Result<alibabacloud_runtime::Credentials, alibabacloud_runtime::credentials::CredentialsError> {
    ExternalProcessProvider::new(command).provide_credentials().await
}

#[tokio::test]
async fn sts_credentials_with_an_expiration() {
    let dir = tempfile::tempdir().unwrap();
    let printed = json!({"mode": "StsToken", "access_key_id": "STS.ext", "access_key_secret": SECRET,
        "sts_token": TOKEN, "expiration": "2099-01-01T06:00:00Z"});
    let credentials = run(&printing(dir.path(), &printed)).await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.ext");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.expiry(), Some(UNIX_EPOCH + Duration::from_secs(4_070_930_400)));
    assert_eq!(credentials.provider_name(), "external");
}

#[tokio::test]
async fn the_command_is_split_into_arguments_without_a_shell() {
    let dir = tempfile::tempdir().unwrap();
    // The script prints its two arguments as the id and the secret.
    let command =
        script(dir.path(), "args", r#"printf '{"mode":"AK","access_key_id":"%s","access_key_secret":"%s"}' "$1" "$2""#);
    let credentials = run(&format!("{command} 'id with spaces' \"$NOT_EXPANDED\"")).await.unwrap();
    assert_eq!(credentials.access_key_id(), "id with spaces");
    assert_eq!(credentials.access_key_secret().expose(), "$NOT_EXPANDED");
    assert_eq!(credentials.security_token(), None);
    assert_eq!(credentials.expiry(), None, "no expiration: kept like long-term credentials");
}

#[tokio::test]
async fn failures_name_the_problem_and_never_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (json!({"mode": "StsToken", "access_key_id": "id", "access_key_secret": SECRET}), "printed no `sts_token`"),
        (json!({"access_key_id": "id"}), "printed no `access_key_secret`"),
        (json!({"access_key_id": "id", "access_key_secret": 42}), "printed a non-string `access_key_secret`"),
        (
            json!({"mode": "RsaKeyPair", "access_key_id": "id", "access_key_secret": SECRET}),
            "printed `mode` \"RsaKeyPair\"",
        ),
        (
            json!({"access_key_id": "id", "access_key_secret": SECRET, "expiration": "tomorrow"}),
            "printed `expiration` \"tomorrow\"",
        ),
        (json!(["not", "an", "object"]), "printed JSON that is not an object"),
    ];
    for (printed, expected) in cases {
        let error = run(&printing(dir.path(), &printed)).await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse, "{error}");
        assert!(error.message().contains(expected), "{error}");
        assert!(!error.to_string().contains(SECRET), "{error}");
    }

    let failing = script(dir.path(), "failing", "echo 'login required: run acs-sso login' >&2\nexit 3");
    let error = run(&failing).await.unwrap_err();
    assert!(error.message().contains("failed (exit status: 3): login required: run acs-sso login"), "{error}");

    let error = run(dir.path().join("missing").to_str().unwrap()).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert!(error.message().starts_with("cannot run `"), "{error}");
    let error = run("tool 'unclosed").await.unwrap_err();
    assert_eq!(error.message(), "the process command has a quote that is never closed");
}

#[tokio::test]
async fn an_aliyun_cli_profile_in_external_mode_runs_its_process_command() {
    let home = tempfile::tempdir().unwrap();
    let printed = json!({"mode": "AK", "access_key_id": "from-process", "access_key_secret": SECRET});
    let command = printing(home.path(), &printed);
    let config = json!({"current": "sso", "profiles": [
        {"name": "sso", "mode": "External", "process_command": command},
        {"name": "empty", "mode": "External"},
    ]});
    write_file(home.path(), ".aliyun/config.json", &config.to_string());
    let load = |profile: &'static str| {
        let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", profile)]).with_home(home.path());
        async move { CliProfileProvider::new(env).provide_credentials().await }
    };
    let credentials = load("sso").await.unwrap();
    assert_eq!(credentials.access_key_id(), "from-process");
    assert_eq!(credentials.provider_name(), "cli_profile/external");
    let error = load("empty").await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert!(error.message().contains("profiles[1].process_command"), "{error}");
}
