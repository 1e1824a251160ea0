//! Required fields inside request objects (a route entry's `DstCidrBlock`, say): generated
//! structs that have some, or hold objects that do, say which one is missing, so that a
//! builder refuses the request, naming the field's path, before anything is sent.

/// A request object that can lack a required field. Generated for the structs that need it.
pub trait RequiredFields {
    /// The wire path, below this object, of the first required field that is not set, e.g.
    /// `DstCidrBlock` or `Entries.2.Cidr`.
    fn missing(&self) -> Option<String>;
}

/// The path of the first missing required field in a list of objects, with the list's
/// 1-based index in front (as the wire numbers items): `2.DstCidrBlock`.
pub fn missing_item<T: RequiredFields>(items: &[T]) -> Option<String> {
    items.iter().enumerate().find_map(|(i, item)| item.missing().map(|path| format!("{}.{path}", i + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Entry {
        cidr: Option<String>,
        inner: Option<Vec<Entry>>,
    }

    impl RequiredFields for Entry {
        fn missing(&self) -> Option<String> {
            if self.cidr.is_none() {
                return Some("Cidr".to_owned());
            }
            self.inner.as_deref().and_then(missing_item).map(|path| format!("Inner.{path}"))
        }
    }

    fn entry(cidr: Option<&str>, inner: Option<Vec<Entry>>) -> Entry {
        Entry { cidr: cidr.map(str::to_owned), inner }
    }

    #[test]
    fn the_first_missing_field_is_named_by_its_path_with_1_based_indices() {
        assert_eq!(missing_item::<Entry>(&[]), None);
        assert_eq!(missing_item(&[entry(Some("a"), None), entry(Some("b"), Some(vec![]))]), None);
        assert_eq!(missing_item(&[entry(Some("a"), None), entry(None, None)]), Some("2.Cidr".to_owned()));
        let nested = entry(Some("a"), Some(vec![entry(Some("b"), None), entry(None, None)]));
        assert_eq!(missing_item(&[entry(None, None), nested]), Some("1.Cidr".to_owned()));
        let nested = entry(Some("a"), Some(vec![entry(Some("b"), None), entry(None, None)]));
        assert_eq!(missing_item(&[nested]), Some("1.Inner.2.Cidr".to_owned()));
    }
}
