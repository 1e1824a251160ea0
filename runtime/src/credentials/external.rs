//! `ExternalProcessProvider`: credentials printed by a command, the aliyun CLI's `External`
//! mode (`process_command`). The command is split into arguments and run directly, without a
//! shell.

use super::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideCredentialsFuture};
use crate::signing::parse_timestamp;
use serde_json::Value;
use std::process::{Command, Output, Stdio};

const NAME: &str = "external";

/// Runs a command and reads the credentials it prints on standard output:
///
/// ```json
/// {"mode": "StsToken", "access_key_id": "STS.…", "access_key_secret": "…",
///  "sts_token": "…", "expiration": "2030-01-01T06:00:00Z"}
/// ```
///
/// `mode` is `AK` (or absent) or `StsToken`, which requires `sts_token`; `expiration` is
/// optional. Credentials with an expiration are refreshed before it like other temporary
/// credentials; without one they are kept. The command is run again at each refresh; a
/// command that fails (non-zero exit) or prints anything else is an error that names the
/// problem, never a credential value.
///
/// The command is split as a POSIX shell would split words (quotes group, `\` escapes); on
/// Windows `\` is a path separator, escaping only `"` inside double quotes. It runs on
/// Tokio's blocking pool, with no time limit of its own: a command that hangs holds the call
/// until the client's operation timeout, when one is set, ends it.
#[derive(Clone, Debug)]
pub struct ExternalProcessProvider {
    command: String,
}

impl ExternalProcessProvider {
    /// A provider running `command`, e.g. `acs-sso login --profile dev`.
    pub fn new(command: impl Into<String>) -> Self {
        Self { command: command.into() }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let args = split_command(&self.command, cfg!(windows))
            .map_err(|why| error(CredentialsErrorKind::InvalidConfig, format!("the process command {why}")))?;
        let program = args[0].clone();
        let run = move || Command::new(&args[0]).args(&args[1..]).stdin(Stdio::null()).output();
        let output = tokio::task::spawn_blocking(run)
            .await
            .map_err(|e| {
                error(CredentialsErrorKind::InvalidResponse, format!("`{program}` did not finish")).with_source(e)
            })?
            .map_err(|e| {
                error(CredentialsErrorKind::InvalidConfig, format!("cannot run `{program}`")).with_source(e)
            })?;
        read_output(&program, &output)
    }
}

impl ProvideCredentials for ExternalProcessProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}

fn error(kind: CredentialsErrorKind, message: String) -> CredentialsError {
    CredentialsError::new(NAME, kind, message)
}

/// The credentials in what `program` printed, or why there are none.
fn read_output(program: &str, output: &Output) -> Result<Credentials, CredentialsError> {
    let invalid = |why: String| error(CredentialsErrorKind::InvalidResponse, format!("`{program}` {why}"));
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first_line: String = stderr.lines().next().unwrap_or("").chars().take(200).collect();
        return Err(invalid(format!("failed ({}): {first_line}", output.status)));
    }
    let printed: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| invalid("printed something that is not JSON".to_owned()).with_source(e))?;
    let Value::Object(fields) = printed else {
        return Err(invalid("printed JSON that is not an object".to_owned()));
    };
    let text = |name: &str| match fields.get(name) {
        Some(Value::String(value)) if !value.is_empty() => Ok(Some(value.as_str())),
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(_)) => Err(invalid(format!("printed an empty `{name}`"))),
        Some(_) => Err(invalid(format!("printed a non-string `{name}`"))),
    };
    let required = |name: &str| text(name)?.ok_or_else(|| invalid(format!("printed no `{name}`")));
    let mut credentials = Credentials::new(required("access_key_id")?, required("access_key_secret")?);
    let token = match text("mode")? {
        None | Some("AK") => text("sts_token")?,
        Some("StsToken") => Some(required("sts_token")?),
        Some(other) => return Err(invalid(format!("printed `mode` {other:?}, expected \"AK\" or \"StsToken\""))),
    };
    if let Some(token) = token {
        credentials = credentials.with_security_token(token);
    }
    if let Some(expiration) = text("expiration")? {
        let expiry = parse_timestamp(expiration).ok_or_else(|| {
            invalid(format!("printed `expiration` {expiration:?}, expected a UTC time like 2024-01-01T06:00:00Z"))
        })?;
        credentials = credentials.with_expiry(expiry);
    }
    Ok(credentials.with_provider_name(NAME))
}

/// The words of `command`: whitespace separates them; single quotes keep everything literal;
/// double quotes group, with `\` escaping `"`, `\`, `$`, `` ` `` and a newline (only `"` on
/// Windows); outside quotes `\` escapes any character (on Windows it is literal).
fn split_command(command: &str, windows: bool) -> Result<Vec<String>, &'static str> {
    #[derive(PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote = Quote::None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        let escapable_in_double = |next: char| if windows { next == '"' } else { "\"\\$`\n".contains(next) };
        match (&quote, c) {
            (Quote::Single, '\'') | (Quote::Double, '"') => quote = Quote::None,
            (Quote::Double, '\\') if chars.peek().is_some_and(|&next| escapable_in_double(next)) => {
                word.get_or_insert_default().extend(chars.next());
            }
            (Quote::Single | Quote::Double, c) => word.get_or_insert_default().push(c),
            (Quote::None, '\\') if !windows => match chars.next() {
                Some(next) => word.get_or_insert_default().push(next),
                None => return Err("ends with a lone `\\`"),
            },
            (Quote::None, '\'') => {
                word.get_or_insert_default();
                quote = Quote::Single;
            }
            (Quote::None, '"') => {
                word.get_or_insert_default();
                quote = Quote::Double;
            }
            (Quote::None, c) if c.is_whitespace() => words.extend(word.take()),
            (Quote::None, c) => word.get_or_insert_default().push(c),
        }
    }
    if quote != Quote::None {
        return Err("has a quote that is never closed");
    }
    words.extend(word);
    if words.is_empty() {
        return Err("is empty");
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::split_command;

    fn words(command: &str, windows: bool) -> Vec<String> {
        split_command(command, windows).unwrap()
    }

    #[test]
    fn commands_split_into_words_as_a_shell_would() {
        assert_eq!(words("  acs-sso   login --profile dev ", false), ["acs-sso", "login", "--profile", "dev"]);
        assert_eq!(words(r#"tool "two words" 'it''s' "" x"#, false), ["tool", "two words", "its", "", "x"]);
        assert_eq!(
            words(r#"a\ b "q\"uote" "back\\slash" "keep\n" 'no\escape'"#, false),
            ["a b", "q\"uote", "back\\slash", "keep\\n", "no\\escape"]
        );
        assert_eq!(
            words(r#"C:\Tools\sso.exe "C:\Program Files\x" "say \"hi\"""#, true),
            [r"C:\Tools\sso.exe", r"C:\Program Files\x", r#"say "hi""#]
        );
    }

    #[test]
    fn malformed_commands_are_refused() {
        assert_eq!(split_command("   ", false), Err("is empty"));
        assert_eq!(split_command("tool 'open", false), Err("has a quote that is never closed"));
        assert_eq!(split_command("tool \"open", true), Err("has a quote that is never closed"));
        assert_eq!(split_command("tool \\", false), Err("ends with a lone `\\`"));
    }
}
