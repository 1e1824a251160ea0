//! `Env`: the view of environment variables and the home directory that configuration and
//! credential providers read, either the real process environment or a fixed set of pairs,
//! so tests never touch the process-global environment.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Environment variables and the home directory. Cheap to clone.
///
/// Empty values count as unset everywhere ([`Env::get`] returns `None`), as in Alibaba's
/// credential libraries. Its `Debug` shows where the values come from, never the values.
#[derive(Clone)]
pub struct Env {
    variables: Variables,
    home: Option<PathBuf>,
}

#[derive(Clone)]
enum Variables {
    Process,
    Fixed(Arc<HashMap<String, String>>),
}

impl Env {
    /// The process environment, read at each lookup. The home directory is `HOME`, else
    /// `USERPROFILE` (Windows).
    pub fn process() -> Self {
        Self { variables: Variables::Process, home: None }
    }

    /// A fixed environment holding exactly `pairs`, for tests and embedding. The home
    /// directory is the `HOME` (else `USERPROFILE`) pair unless set with [`Env::with_home`].
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Self { variables: Variables::Fixed(Arc::new(map)), home: None }
    }

    /// Sets the home directory, overriding `HOME`.
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// The value of `name`; `None` when unset, empty or (process environment) not UTF-8.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.variables {
            Variables::Process => std::env::var(name).ok(),
            Variables::Fixed(map) => map.get(name).cloned(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// Whether `name` is set to `true` (ASCII case-insensitive), the form Alibaba's switches
    /// such as `ALIBABA_CLOUD_ECS_METADATA_DISABLED` take.
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The home directory, if known.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = &self.home {
            return Some(home.clone());
        }
        match &self.variables {
            Variables::Process => {
                ["HOME", "USERPROFILE"].iter().filter_map(std::env::var_os).find(|v| !v.is_empty()).map(PathBuf::from)
            }
            Variables::Fixed(_) => self.get("HOME").or_else(|| self.get("USERPROFILE")).map(PathBuf::from),
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variables = match &self.variables {
            Variables::Process => "process".to_owned(),
            Variables::Fixed(map) => format!("{} fixed variables", map.len()),
        };
        f.debug_struct("Env").field("variables", &variables).field("home", &self.home).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_unset_and_switches_need_true() {
        let env = Env::from_pairs([("A", ""), ("B", "x"), ("ON", "TRUE"), ("OFF", "1")]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.get("B").as_deref(), Some("x"));
        assert_eq!(env.get("MISSING"), None);
        assert!(env.is_true("ON"));
        assert!(!env.is_true("OFF") && !env.is_true("MISSING"));
    }

    #[test]
    fn home_comes_from_override_then_home_variable() {
        let env = Env::from_pairs([("HOME", "/h")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("/h")));
        assert_eq!(env.with_home("/other").home_dir(), Some(PathBuf::from("/other")));
        assert_eq!(Env::from_pairs::<_, String, String>([]).home_dir(), None);
    }

    #[test]
    fn debug_shows_no_values() {
        let env = Env::from_pairs([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "very-secret")]);
        assert!(!format!("{env:?}").contains("very-secret"));
    }
}
