//! Rust names from wire names: snake_case fields and methods, PascalCase types and variants,
//! keywords made usable, and collisions resolved deterministically.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be identifiers as they are. `r#` works for all but these four.
const NOT_RAW: [&str; 4] = ["self", "Self", "super", "crate"];

const KEYWORDS: [&str; 52] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "try", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// Names a request builder already uses (its methods, and its `client` field); a parameter
/// with one of these names gets a suffix.
const BUILDER_METHODS: [&str; 6] = ["build", "send", "into_pages", "client", "clone", "default"];

/// A field or method name for `wire` (`InstanceId` → `instance_id`, `Type` → `r#type`).
/// Characters that cannot be in an ASCII identifier are dropped; a name left with no letter
/// or digit is `unnamed`.
pub fn field_name(wire: &str) -> String {
    let mut snake = snake_case(wire);
    if snake.trim_matches('_').is_empty() {
        snake = "unnamed".to_owned();
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    if BUILDER_METHODS.contains(&snake.as_str()) {
        snake.push_str("_value");
    }
    escape(snake)
}

/// The snake_case words of `wire`, as [`field_name`] sees them, before any escape or suffix.
pub fn snake_case(wire: &str) -> String {
    identifier_words(wire).to_snake_case()
}

/// A type or variant name for `wire` (`IncorrectStatus.VpcPeer` → `IncorrectStatusVpcPeer`),
/// with the same rules for characters as [`field_name`].
pub fn type_name(wire: &str) -> String {
    let mut camel = identifier_words(wire).to_upper_camel_case();
    if camel.trim_matches('_').is_empty() {
        camel = "Unnamed".to_owned();
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        camel.insert(0, 'T');
    }
    escape(camel)
}

/// Terms written in mixed case that are one word: case conversion would split them at their
/// inner capitals (`IPv6` → `i_pv6`, `QoS` → `qo_s`), so they are capitalized as words first.
const MIXED_CASE_TERMS: [(&str, &str); 6] =
    [("IPv4", "Ipv4"), ("IPv6", "Ipv6"), ("IPsec", "Ipsec"), ("IDaaS", "Idaas"), ("QoS", "Qos"), ("NVMe", "Nvme")];

/// `name` with every character an ASCII identifier cannot hold (e.g. `①` or `²`, which count
/// as alphanumeric but are not identifier characters) turned into a word break, and
/// [`MIXED_CASE_TERMS`] written as words.
fn identifier_words(name: &str) -> String {
    let words: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { ' ' }).collect();
    MIXED_CASE_TERMS.iter().fold(words, |words, (term, word)| words.replace(term, word))
}

fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The singular of a plural wire name, for the item type of a list (`Tags` → `Tag`,
/// `Addresses` → `Address`, `Policies` → `Policy`). Names that do not look plural are kept.
pub fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "xes", "ches", "shes"].iter().any(|s| name.ends_with(s)) {
        name[..name.len() - 2].to_owned()
    } else if name.ends_with('s') && !name.ends_with("ss") && !name.ends_with("us") && name.len() > 1 {
        name[..name.len() - 1].to_owned()
    } else {
        name.to_owned()
    }
}

/// Hands out names unique within one scope: a repeat of `name` becomes `name_2`, `name_3`…
/// for snake_case names and `Name2`, `Name3`… for CamelCase ones.
#[derive(Default)]
pub struct UniqueNames {
    taken: BTreeSet<String>,
}

impl UniqueNames {
    /// Reserves `name`, or the first free numbered variant of it.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let stem = name.trim_start_matches("r#");
        let separator = if stem.starts_with(|c: char| c.is_ascii_uppercase()) { "" } else { "_" };
        let unique = (2..).map(|n| format!("{stem}{separator}{n}")).find(|c| !self.taken.contains(c)).unwrap_or(name);
        self.taken.insert(unique.clone());
        unique
    }
}

/// Field names for the `wires` of one object or operation, in their order. Wire names that
/// start with a capital letter (the API's convention) are named first, so that of `Key` and a
/// legacy `key` beside it, `Key` is `key` and `key` is `key_2`.
pub fn field_names<'a>(wires: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wires: Vec<&str> = wires.into_iter().collect();
    let mut order: Vec<usize> = (0..wires.len()).collect();
    order.sort_by_key(|&i| !wires[i].starts_with(|c: char| c.is_ascii_uppercase()));
    let (mut taken, mut names) = (UniqueNames::default(), vec![String::new(); wires.len()]);
    for i in order {
        names[i] = taken.claim(field_name(wires[i]));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conventional_spelling_gets_the_plain_name() {
        assert_eq!(field_names(["key", "Key", "Value", "value"]), ["key_2", "key", "value", "value_2"]);
        assert_eq!(field_names(["InstanceId", "Type"]), ["instance_id", "r#type"]);
    }

    #[test]
    fn fields_types_and_keywords() {
        assert_eq!(field_name("InstanceId"), "instance_id");
        assert_eq!(field_name("Ipv4Cidrs"), "ipv4_cidrs");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("Send"), "send_value");
        assert_eq!(
            (field_name("Client"), field_name("IntoPages")),
            ("client_value".to_owned(), "into_pages_value".to_owned())
        );
        assert_eq!(field_name("2Fa"), "_2fa");
        assert_eq!(field_name("EnableIPv6"), "enable_ipv6");
        assert_eq!(field_name("AddIPv6TranslatorAclListEntry"), "add_ipv6_translator_acl_list_entry");
        assert_eq!(field_name("EnableNetworkInterfaceQoS"), "enable_network_interface_qos");
        assert_eq!(field_name("IPsecExtendInfo"), "ipsec_extend_info");
        assert_eq!(field_name("IDaaSInstanceId"), "idaas_instance_id");
        assert_eq!(field_name("OSNVMe"), "os_nvme");
        assert_eq!(type_name("IPv6Gateway"), "Ipv6Gateway");
        assert_eq!(type_name("IncorrectStatus.VpcPeer"), "IncorrectStatusVpcPeer");
        assert_eq!(type_name("Throttling.User"), "ThrottlingUser");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("404"), "T404");
    }

    /// Every word the Rust reference lists as a keyword (strict, reserved, 2018 and 2024
    /// editions, weak), written out here rather than taken from `KEYWORDS`, becomes a name that
    /// parses as an identifier.
    #[cfg(feature = "emit")]
    #[test]
    fn every_rust_keyword_becomes_a_usable_identifier() {
        let reference = "as break const continue crate else enum extern false fn for if impl in let loop match mod \
            move mut pub ref return self Self static struct super trait true type unsafe use where while async await \
            dyn abstract become box do final macro override priv typeof unsized virtual yield try gen \
            macro_rules raw safe union";
        for word in reference.split_whitespace() {
            for name in [field_name(word), type_name(word)] {
                let parsed = syn::parse_str::<syn::Ident>(&name);
                assert!(parsed.is_ok(), "`{word}` gave `{name}`, which is not an identifier");
            }
        }
    }

    #[test]
    fn only_ascii_identifier_characters_remain() {
        assert_eq!(type_name("①Quota"), "Quota");
        assert_eq!(type_name("²"), "Unnamed");
        assert_eq!(type_name("Zoné"), "Zon");
        assert_eq!(field_name("_"), "unnamed");
        assert_eq!(field_name("-"), "unnamed");
        assert_eq!(field_name("名称"), "unnamed");
        assert_eq!(field_name("Max²Size"), "max_size");
        for name in ["①Quota", "²", "_", "-", "名称", "2Fa", "Type"] {
            syn::parse_str::<syn::Ident>(&field_name(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            syn::parse_str::<syn::Ident>(&type_name(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn singulars() {
        for (plural, one) in [
            ("Tags", "Tag"),
            ("VpcPeerConnects", "VpcPeerConnect"),
            ("Addresses", "Address"),
            ("Policies", "Policy"),
            ("Tag", "Tag"),
            ("Status", "Status"),
            ("Access", "Access"),
        ] {
            assert_eq!(singular(plural), one);
        }
    }

    #[test]
    fn unique_names_number_repeats() {
        let mut names = UniqueNames::default();
        assert_eq!(names.claim("vpc_id".into()), "vpc_id");
        assert_eq!(names.claim("vpc_id".into()), "vpc_id_2");
        assert_eq!(names.claim("vpc_id".into()), "vpc_id_3");
        assert_eq!(names.claim("InternalError".into()), "InternalError");
        assert_eq!(names.claim("InternalError".into()), "InternalError2");
    }
}
