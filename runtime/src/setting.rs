//! What a request builder's setter accepts: a value, which sets the parameter, or an `Option`
//! of one, which sets it or (`None`) clears it. So `.dry_run(true)`, `.dry_run(flag)` with
//! `flag: Option<bool>` and `.name(None)` all read the same, with one setter per parameter.

/// A value for the setter of a parameter of type `T`: `T` itself (and `&str` or `&String`
/// for text) sets the parameter; an `Option<T>` sets it, or clears it when `None`.
///
/// ```
/// use alibabacloud_runtime::IntoSetting;
///
/// fn set<T>(value: impl IntoSetting<T>) -> Option<T> {
///     value.into_setting()
/// }
/// assert_eq!(set::<String>("pcc-1"), Some("pcc-1".to_owned()));
/// assert_eq!(set::<String>(Some("pcc-2".to_owned())), Some("pcc-2".to_owned()));
/// assert_eq!(set::<bool>(None), None);
/// ```
pub trait IntoSetting<T> {
    /// The parameter's new value; `None` clears it.
    fn into_setting(self) -> Option<T>;
}

impl<T> IntoSetting<T> for T {
    fn into_setting(self) -> Option<T> {
        Some(self)
    }
}

impl<T> IntoSetting<T> for Option<T> {
    fn into_setting(self) -> Option<T> {
        self
    }
}

impl IntoSetting<String> for &str {
    fn into_setting(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl IntoSetting<String> for &String {
    fn into_setting(self) -> Option<String> {
        Some(self.clone())
    }
}
