//! `CredentialsUriProvider`: temporary credentials from the URL in
//! `ALIBABA_CLOUD_CREDENTIALS_URI`, which answers the same JSON as the ECS metadata service.

use super::remote::{http_client, parse_credentials_document, send};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::config::Proxies;
use crate::env::Env;
use std::fmt;
use std::time::Duration;

const NAME: &str = "credential_uri";
const VARIABLE: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// `GET <uri>`; the JSON answer must have `Code == "Success"` and all of `AccessKeyId`,
/// `AccessKeySecret`, `SecurityToken`, `Expiration`. Default timeouts: 5 s connect, 10 s read.
///
/// The URI may carry a token in its query or user info, so errors and `Debug` show only its
/// scheme, host, port and path.
#[derive(Clone)]
pub struct CredentialsUriProvider {
    uri: String,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl CredentialsUriProvider {
    /// The default connect timeout.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// The default read timeout.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

    /// A provider asking `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        Self {
            uri: uri.into(),
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: Self::DEFAULT_READ_TIMEOUT,
        }
    }

    /// A provider asking `ALIBABA_CLOUD_CREDENTIALS_URI`; `None` when it is unset.
    pub fn from_env(env: &Env) -> Option<Self> {
        env.get(VARIABLE).map(Self::new)
    }

    /// Sets the connect and read timeouts.
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let client = http_client(NAME, self.connect_timeout, self.read_timeout, &Proxies::default())?;
        let what = format!("GET {}", shown_uri(&self.uri));
        let body = send(NAME, &what, client.get(&self.uri), None).await?;
        Ok(parse_credentials_document(NAME, &what, &body)?.with_provider_name(NAME))
    }
}

/// `uri` with its user info hidden, then without query and fragment. User info goes first,
/// up to the last `@`, because a password may hold `/`, `?` or `#` unencoded. When that `@`
/// comes after a `?` or `#`, which of the two it belongs to cannot be told: everything after
/// the scheme is hidden, rather than showing a part of the query as the host.
fn shown_uri(uri: &str) -> String {
    let authority_start = uri.find("://").map_or(0, |i| i + 3);
    let rest = &uri[authority_start..];
    match (rest.rfind('@'), rest.find(['?', '#'])) {
        (Some(at), Some(cut)) if at > cut => format!("{}{}", &uri[..authority_start], crate::credentials::REDACTED),
        _ => crate::config::hide_user_info(uri).split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsUriProvider")
            .field("uri", &shown_uri(&self.uri))
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .finish()
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_uri_drops_user_info_query_and_fragment() {
        assert_eq!(shown_uri("http://u:p@host:8080/creds?token=t#f"), "http://** redacted **@host:8080/creds");
        assert_eq!(shown_uri("http://host"), "http://host");
        assert_eq!(shown_uri("not a url?x=1"), "not a url");
        // Passwords holding the characters that end a host or a path.
        assert_eq!(shown_uri("http://u:p/ss@host/x"), "http://** redacted **@host/x");
        assert_eq!(shown_uri("http://user:pa?ss@host/c"), "http://** redacted **");
        assert_eq!(shown_uri("http://user:pa#ss@host/c"), "http://** redacted **");
        // An `@` in the query is not taken for the end of user info.
        assert_eq!(shown_uri("http://100.100.100.200/creds?user=a@corp.example"), "http://** redacted **");
    }
}
