//! The value rules of the operations beyond types: names, descriptions, tags, link types,
//! bandwidths, client tokens, resource groups, VPC ids, page sizes and route CIDR blocks, each
//! failing with the code the service documents and a message naming the parameter.

use crate::errors::ApiError;

/// The canonical form of the IPv4 or IPv6 CIDR block `text` (an address, `/`, and a prefix
/// length the address family allows: `10.0.0.0/8`, `2408:4000::/56`), so that two spellings
/// of one block compare equal; `None` when `text` is not one.
pub(super) fn cidr_block(text: &str) -> Option<String> {
    let (address, prefix) = text.split_once('/')?;
    let address = address.parse::<std::net::IpAddr>().ok()?;
    let longest = if address.is_ipv4() { 32 } else { 128 };
    if !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prefix = prefix.parse::<u8>().ok().filter(|length| *length <= longest)?;
    Some(format!("{address}/{prefix}"))
}

/// `ClientToken`: ASCII, at most 64 characters.
pub(super) fn client_token(token: &str) -> Result<(), ApiError> {
    if !token.is_ascii() || token.len() > 64 {
        return Err(ApiError::invalid_parameter("ClientToken", "it must be ASCII and at most 64 characters"));
    }
    Ok(())
}

fn starts_with_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Create's `Name`: 2 to 128 characters, starting with a letter; letters, digits, `_`, `-`.
pub(super) fn create_name(name: &str) -> Result<(), ApiError> {
    let count = name.chars().count();
    let first_is_letter = name.chars().next().is_some_and(char::is_alphabetic);
    if !(2..=128).contains(&count)
        || !first_is_letter
        || !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Err(ApiError::illegal_param(
            "Name",
            "it must be 2 to 128 characters, start with a letter and contain only letters, digits, underscores and hyphens",
        ));
    }
    Ok(())
}

/// Create's `Description`: 2 to 256 characters, starting with a letter, not a URL.
pub(super) fn create_description(text: &str) -> Result<(), ApiError> {
    let count = text.chars().count();
    if !(2..=256).contains(&count) || !text.chars().next().is_some_and(char::is_alphabetic) || starts_with_url(text) {
        return Err(ApiError::illegal_param(
            "Description",
            "it must be 2 to 256 characters, start with a letter and not start with http:// or https://",
        ));
    }
    Ok(())
}

/// Modify's `Name` (1–128) and `Description` (1–256): not empty, not a URL.
pub(super) fn modify_text(name: &str, text: &str, max: usize) -> Result<(), ApiError> {
    if text.is_empty() || text.chars().count() > max || starts_with_url(text) {
        return Err(ApiError::illegal_param(
            name,
            format_args!("it must be 1 to {max} characters and not start with http:// or https://"),
        ));
    }
    Ok(())
}

/// `LinkType`: only for inter-region peerings (whatever its value, as `Bandwidth` on Modify),
/// and then `Platinum` or `Gold`.
pub(super) fn link_type(link_type: &str, inter_region: bool) -> Result<(), ApiError> {
    if !inter_region {
        return Err(ApiError::bad_request(
            "OperationFailed.InterRegionLinkTypeNotSupported",
            "The same region not supported link type feature.",
        ));
    }
    if link_type != "Platinum" && link_type != "Gold" {
        return Err(ApiError::illegal_param("LinkType", format_args!("expected Platinum or Gold, got {link_type:?}")));
    }
    Ok(())
}

/// `Bandwidth`: a positive number of Mbit/s.
pub(super) fn bandwidth(value: i64) -> Result<(), ApiError> {
    if value <= 0 {
        return Err(ApiError::illegal_param("Bandwidth", format_args!("it must be greater than 0, got {value}")));
    }
    Ok(())
}

/// A well-formed id: `prefix` followed by lower-case letters and digits.
pub(super) fn well_formed_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// A resource group id must be a well-formed `rg-…`.
pub(super) fn resource_group(id: &str) -> Result<(), ApiError> {
    if !well_formed_id(id, "rg-") {
        return Err(ApiError::bad_request(
            "OperationFailed.NotExist.ResourceGroup",
            format!("The operation failed because the resource group does not exist: {id:?}."),
        ));
    }
    Ok(())
}

/// The resource group every account starts with.
pub(super) fn default_resource_group(uid: i64) -> String {
    format!("rg-acfm{uid}")
}

/// At most 20 tags per request or per resource.
const MAX_TAGS: usize = 20;

/// At most 20 resource ids per tag request (the `ResourceId` descriptions; the metadata's
/// `maxItems` of 50 is what the gateway lets through).
const MAX_RESOURCE_IDS: usize = 20;

/// `count` tags (given, or that a resource would have) against [`MAX_TAGS`].
pub(super) fn tag_count(count: usize, whose: impl std::fmt::Display) -> Result<(), ApiError> {
    if count > MAX_TAGS {
        return Err(ApiError::bad_request(
            "NumberExceed.Tags",
            format!("The maximum number of tags is exceeded: {whose} {count}, at most {MAX_TAGS}."),
        ));
    }
    Ok(())
}

/// `count` resource ids against [`MAX_RESOURCE_IDS`].
pub(super) fn resource_id_count(count: usize) -> Result<(), ApiError> {
    if count > MAX_RESOURCE_IDS {
        return Err(ApiError::bad_request(
            "NumberExceed.ResourceIds",
            format!("The maximum number of resource IDs is exceeded: {count} given, at most {MAX_RESOURCE_IDS}."),
        ));
    }
    Ok(())
}

/// Checks tags to set: keys present, unique and allowed; values allowed; at most 20.
pub(super) fn tags_to_set(tags: &[(Option<&str>, Option<&str>)]) -> Result<Vec<(String, String)>, ApiError> {
    tag_count(tags.len(), "tags given:")?;
    let mut out: Vec<(String, String)> = Vec::with_capacity(tags.len());
    for (key, value) in tags {
        let key = key.unwrap_or("");
        tag_key(key, &TAG_KEYS)?;
        let value = value.unwrap_or("");
        if value.chars().count() > 128
            || value.contains("http://")
            || value.contains("https://")
            || forbidden_prefix(value)
        {
            return Err(ApiError::bad_request(
                "IllegalParam.TagValue",
                format!(
                    "The param of Tag.Value is illegal: {value:?} must be at most 128 characters, not start with acs: or aliyun and not contain http:// or https://."
                ),
            ));
        }
        unique_key(key, out.iter().map(|(k, _)| k.as_str()))?;
        out.push((key.to_owned(), value.to_owned()));
    }
    Ok(out)
}

/// Where tag keys come from: the parameter that errors name, the code its operation documents
/// for a malformed key with that code's message, and whether an empty key is allowed.
pub(super) struct KeySource {
    field: &'static str,
    malformed: &'static str,
    message: &'static str,
    empty_allowed: bool,
}

/// TagResources' (and Create's and Accept's) `Tag.N.Key`.
const TAG_KEYS: KeySource = KeySource {
    field: "Tag.Key",
    malformed: "IllegalParam.TagKey",
    message: "The param of Tag.Key is illegal",
    empty_allowed: false,
};
/// UnTagResources' `TagKey.N`, which "can be an empty string" (it matches no tag). Its
/// operation documents no `IllegalParam.TagKey`; of its codes, `Forbidden.TagKeys` is the one
/// for a key the request may not name (as for a reserved key).
pub(super) const UNTAG_KEYS: KeySource = KeySource {
    field: "TagKey",
    malformed: "Forbidden.TagKeys",
    message: "The tag key cannot be operated by the request",
    empty_allowed: true,
};
/// ListTagResources' tag filter, whose operation documents `InvalidTagKey`.
pub(super) const FILTER_KEYS: KeySource = KeySource {
    field: "Tag.Key",
    malformed: "InvalidTagKey",
    message: "The tag keys are not valid",
    empty_allowed: false,
};
/// ListVpcPeerConnections' tag filter `Tags.N.Key`, held to ListTagResources' filter rules
/// (its own operation documents no codes).
pub(super) const LIST_FILTER_KEYS: KeySource = KeySource {
    field: "Tags.Key",
    malformed: "InvalidTagKey",
    message: "The tag keys are not valid",
    empty_allowed: false,
};

/// Checks the keys of tags to remove or to filter by: at most 20, unique, allowed.
pub(super) fn tag_keys(keys: &[&str], source: &KeySource) -> Result<(), ApiError> {
    tag_count(keys.len(), "tag keys given:")?;
    for (i, key) in keys.iter().enumerate() {
        if !(source.empty_allowed && key.is_empty()) {
            tag_key(key, source)?;
        }
        unique_key(key, keys[..i].iter().copied())?;
    }
    Ok(())
}

fn unique_key<'a>(key: &str, earlier: impl IntoIterator<Item = &'a str>) -> Result<(), ApiError> {
    if earlier.into_iter().any(|k| k == key) {
        return Err(ApiError::bad_request(
            "Forbidden.TagKey.Duplicated",
            format!("The specified tag key already exists: {key:?} is given twice."),
        ));
    }
    Ok(())
}

fn forbidden_prefix(text: &str) -> bool {
    text.starts_with("acs:") || text.starts_with("aliyun")
}

/// A tag key from `source`: non-empty, at most 128 characters, no URL, not reserved.
fn tag_key(key: &str, source: &KeySource) -> Result<(), ApiError> {
    if forbidden_prefix(key) {
        return Err(ApiError::bad_request(
            "Forbidden.TagKeys",
            format!("The tag key cannot be operated by the request: {key:?} is reserved."),
        ));
    }
    if key.is_empty() || key.chars().count() > 128 || key.contains("http://") || key.contains("https://") {
        return Err(ApiError::bad_request(
            source.malformed,
            format!(
                "{}: {} {key:?} must be 1 to 128 characters and not contain http:// or https://.",
                source.message, source.field
            ),
        ));
    }
    Ok(())
}

/// `MaxResults` within 1..=max, or the default.
pub(super) fn page_size(value: Option<i64>, default: usize, max: usize) -> Result<usize, ApiError> {
    match value {
        None => Ok(default),
        Some(n) if n >= 1 && n as u64 <= max as u64 => Ok(n as usize),
        Some(n) => Err(ApiError::illegal_param("MaxResults", format_args!("it must be from 1 to {max}, got {n}"))),
    }
}

/// `ResourceType` must be `PeerConnection`.
pub(super) fn resource_type(value: Option<&str>) -> Result<(), ApiError> {
    match value {
        Some("PeerConnection") => Ok(()),
        other => Err(ApiError::bad_request(
            "InvalidInstanceType.NotFound",
            format!(
                "The instance type is not found: ResourceType must be PeerConnection, got {:?}.",
                other.unwrap_or("")
            ),
        )),
    }
}

/// The page token of `ListVpcPeerConnections` that resumes at the peering created `seq`-th.
/// Positions, not indexes: a page stays where it was when peerings come or go in between.
pub(super) fn peering_token(seq: u64) -> String {
    format!("pc{seq:x}")
}

/// Reads a token made by [`peering_token`].
pub(super) fn read_peering_token(token: &str) -> Result<u64, ApiError> {
    token.strip_prefix("pc").and_then(hex_number).ok_or_else(|| not_a_token(token))
}

/// The page token of `ListTagResources` that resumes at the tag `key` of the peering created
/// `seq`-th (rows are ordered by peering, then key), so that tags added or removed between
/// pages neither repeat nor skip a row.
pub(super) fn tag_token(seq: u64, key: &str) -> String {
    let hex_key: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("tg{seq:x}.{hex_key}")
}

/// Reads a token made by [`tag_token`].
pub(super) fn read_tag_token(token: &str) -> Result<(u64, String), ApiError> {
    let read = || {
        let (seq, hex_key) = token.strip_prefix("tg")?.split_once('.')?;
        let seq = hex_number(seq)?;
        let bytes = (0..hex_key.len())
            .step_by(2)
            .map(|i| hex_key.get(i..i + 2).and_then(hex_number).and_then(|byte| u8::try_from(byte).ok()))
            .collect::<Option<Vec<u8>>>()?;
        Some((seq, String::from_utf8(bytes).ok()?))
    };
    read().ok_or_else(|| not_a_token(token))
}

/// A number in lower-case hex digits only (`from_str_radix` would also take a sign).
fn hex_number(text: &str) -> Option<u64> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    digits.then(|| u64::from_str_radix(text, 16).ok()).flatten()
}

fn not_a_token(token: &str) -> ApiError {
    ApiError::illegal_param("NextToken", format_args!("{token:?} is not a token returned by this API"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tags_follow_the_documented_rules() {
        assert!(create_name("peer-1_a").is_ok());
        assert_eq!(create_name("1peer").unwrap_err().code, "IllegalParam.Name");
        assert_eq!(create_name("p").unwrap_err().code, "IllegalParam.Name");
        assert_eq!(create_description("https://x").unwrap_err().code, "IllegalParam.Description");
        assert_eq!(tags_to_set(&[(Some("acs:x"), None)]).unwrap_err().code, "Forbidden.TagKeys");
        assert_eq!(tags_to_set(&[(None, Some("v"))]).unwrap_err().code, "IllegalParam.TagKey");
        assert_eq!(
            tags_to_set(&[(Some("k"), None), (Some("k"), None)]).unwrap_err().code,
            "Forbidden.TagKey.Duplicated"
        );
        let many: Vec<_> = (0..21).map(|_| (Some("k"), None)).collect();
        assert_eq!(tags_to_set(&many).unwrap_err().code, "NumberExceed.Tags");
        assert!(tag_keys(&["a", ""], &UNTAG_KEYS).is_ok());
        let empty = tag_keys(&["a", ""], &FILTER_KEYS).unwrap_err();
        assert_eq!((empty.code.as_ref(), empty.message.contains("Tag.Key")), ("InvalidTagKey", true));
        let long = tag_keys(&[&"k".repeat(129)], &UNTAG_KEYS).unwrap_err();
        assert_eq!((long.code.as_ref(), long.message.contains(": TagKey \"k")), ("Forbidden.TagKeys", true));
        let long_key = "k".repeat(129);
        let long = tags_to_set(&[(Some(long_key.as_str()), None)]).unwrap_err();
        assert_eq!((long.code.as_ref(), long.message.contains("param of Tag.Key")), ("IllegalParam.TagKey", true));
        assert_eq!(tag_keys(&["a", "a"], &UNTAG_KEYS).unwrap_err().code, "Forbidden.TagKey.Duplicated");
        assert_eq!(tag_keys(&["aliyun-x"], &FILTER_KEYS).unwrap_err().code, "Forbidden.TagKeys");
        let keys: Vec<String> = (0..21).map(|i| format!("k{i}")).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        assert_eq!(tag_keys(&keys, &UNTAG_KEYS).unwrap_err().code, "NumberExceed.Tags");
        assert!(resource_id_count(20).is_ok());
        assert_eq!(resource_id_count(21).unwrap_err().code, "NumberExceed.ResourceIds");
        assert_eq!(tags_to_set(&[(Some("k"), None)]).unwrap(), vec![("k".to_string(), String::new())]);
    }

    #[test]
    fn tokens_round_trip_and_garbage_is_rejected() {
        assert_eq!(read_peering_token(&peering_token(42)).unwrap(), 42);
        assert_eq!(read_tag_token(&tag_token(42, "env é")).unwrap(), (42, "env é".to_owned()));
        assert_eq!(read_tag_token(&tag_token(7, "")).unwrap(), (7, String::new()));
        assert!(read_peering_token("pc+2a").is_err() && read_tag_token("tg+2a.6b").is_err());
        assert!(read_tag_token("tg2a.+6").is_err() && read_tag_token("tg2a.6B").is_err());
        for garbage in ["zz", "pc", "tg2a", "tg2a.6", "tg2a.zz", "tg2a.ff"] {
            assert_eq!(read_tag_token(garbage).unwrap_err().code, "IllegalParam.NextToken", "{garbage}");
        }
        // A token of one list is not a token of the other.
        assert!(read_peering_token(&tag_token(1, "k")).is_err());
        assert!(read_tag_token(&peering_token(1)).is_err());
        assert!(well_formed_id("vpc-abc123", "vpc-"));
        assert!(!well_formed_id("vpc-", "vpc-"));
        assert!(!well_formed_id("vpc-ABC", "vpc-"));
    }
}
