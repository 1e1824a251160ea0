//! The emulated Alibaba Cloud accounts: UID and AccessKey pair, the two documented default
//! accounts, and the lookup from AccessKeyId to account used by the gateway.

use crate::fast_hash::FastMap;
use crate::signature::SecretLookup;
use alibabacloud_runtime::Secret;
use std::fmt;

/// An account of the emulator: its UID (`OwnerId`, `AcceptingAliUid`) and one AccessKey.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The account's UID.
    pub uid: i64,
    /// The AccessKey ID its requests are signed with.
    pub access_key_id: String,
    /// The AccessKey secret, never shown in `Debug`.
    pub access_key_secret: Secret,
}

impl Account {
    /// An account with one AccessKey pair.
    pub fn new(uid: i64, access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self { uid, access_key_id: access_key_id.into(), access_key_secret: Secret::new(access_key_secret) }
    }

    /// Parses the command-line form `UID:ACCESS_KEY_ID:ACCESS_KEY_SECRET`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = text.splitn(3, ':');
        let (Some(uid), Some(id), Some(secret)) = (parts.next(), parts.next(), parts.next()) else {
            return Err("an account is UID:ACCESS_KEY_ID:ACCESS_KEY_SECRET".into());
        };
        let uid = uid
            .parse::<i64>()
            .ok()
            .filter(|u| *u > 0)
            .ok_or_else(|| format!("account UID {uid:?} is not a positive integer"))?;
        if id.is_empty() || secret.is_empty() {
            return Err(format!("account {uid}: the AccessKeyId and the secret must not be empty"));
        }
        Ok(Self::new(uid, id, secret))
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("uid", &self.uid)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .finish()
    }
}

/// A documented default account, as constants usable anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DefaultAccount {
    /// The account's UID.
    pub uid: i64,
    /// The AccessKey ID its requests are signed with.
    pub access_key_id: &'static str,
    /// Public by design: these keys only open the local emulator.
    pub access_key_secret: &'static str,
}

impl DefaultAccount {
    /// This default account as an [`Account`].
    pub fn account(&self) -> Account {
        Account::new(self.uid, self.access_key_id, self.access_key_secret)
    }
}

/// Default account A (the requester in the examples).
pub const ACCOUNT_A: DefaultAccount = DefaultAccount {
    uid: 1_000_000_000_000_001,
    access_key_id: "LTAIemulatorAccountA",
    access_key_secret: "emulator-secret-account-a",
};

/// Default account B (the accepter in the examples).
pub const ACCOUNT_B: DefaultAccount = DefaultAccount {
    uid: 1_000_000_000_000_002,
    access_key_id: "LTAIemulatorAccountB",
    access_key_secret: "emulator-secret-account-b",
};

/// The accounts of a running emulator, by AccessKeyId.
#[derive(Debug)]
pub(crate) struct Accounts {
    by_key: FastMap<String, Account>,
}

impl Accounts {
    pub(crate) fn new(list: &[Account]) -> Result<Self, String> {
        let mut by_key = FastMap::default();
        for account in list {
            if by_key.insert(account.access_key_id.clone(), account.clone()).is_some() {
                return Err(format!("AccessKeyId {} is given twice", account.access_key_id));
            }
        }
        Ok(Self { by_key })
    }

    pub(crate) fn get(&self, access_key_id: &str) -> Option<&Account> {
        self.by_key.get(access_key_id)
    }
}

impl SecretLookup for Accounts {
    fn secret(&self, access_key_id: &str) -> Option<&str> {
        self.by_key.get(access_key_id).map(|a| a.access_key_secret.expose())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_command_line_form_and_hides_the_secret() {
        let a = Account::parse("123:AK:se:cret").unwrap();
        assert_eq!((a.uid, a.access_key_id.as_str(), a.access_key_secret.expose()), (123, "AK", "se:cret"));
        assert!(!format!("{a:?}").contains("se:cret"));
        assert!(Account::parse("x:AK:s").unwrap_err().contains("UID"));
        assert!(Account::parse("1:AK").is_err());
        assert!(Account::parse("1::s").is_err());
    }
}
