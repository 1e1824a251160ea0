//! Credentials: an AccessKey pair with an optional STS security token, and the `Secret`
//! wrapper that keeps secret values out of `Debug` and `Display`.

use crate::signing::v1::SigningKey;
use std::fmt;

/// A secret string (AccessKey secret, STS token). Its `Debug` and `Display` print
/// `** redacted **`; the value is only reachable through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// An AccessKey pair, optionally with an STS security token (temporary credentials).
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
    /// The V1 HMAC key prepared from the secret.
    v1_signing_key: SigningKey,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token)
            .finish()
    }
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        (&self.access_key_id, &self.access_key_secret, &self.security_token)
            == (&other.access_key_id, &other.access_key_secret, &other.security_token)
    }
}

impl Eq for Credentials {}

impl Credentials {
    /// Long-term AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        let access_key_secret = Secret::new(access_key_secret);
        let v1_signing_key = SigningKey::new(access_key_secret.expose());
        Self { access_key_id: access_key_id.into(), access_key_secret, security_token: None, v1_signing_key }
    }

    /// Adds an STS security token, making these temporary credentials.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Secret::new(token));
        self
    }

    /// The AccessKey ID (not a secret: it is sent in every request).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret.
    pub fn access_key_secret(&self) -> &Secret {
        &self.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }

    /// The V1 signing key prepared from the secret.
    pub fn v1_signing_key(&self) -> &SigningKey {
        &self.v1_signing_key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_secrets() {
        let creds = Credentials::new("LTAIexample", "s3cr3t-value").with_security_token("t0ken-value");
        let shown = format!("{creds:?} {:?} {}", creds.access_key_secret(), creds.access_key_secret());
        assert!(shown.contains("LTAIexample"));
        assert!(!shown.contains("s3cr3t-value") && !shown.contains("t0ken-value"), "{shown}");
    }
}
