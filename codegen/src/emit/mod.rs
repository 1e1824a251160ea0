//! Emitters: IR to Rust token streams, one function per file of the generated crate, and
//! the shared pieces they use (doc attributes, type names, example values).

mod crate_root;
mod operation;
mod types;

use crate::docs;
use crate::ir::{Service, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// The content of one generated file, before formatting.
pub enum Output {
    /// Rust source, formatted by prettyplease.
    Rust(TokenStream),
    /// Any other text, written as is.
    Text(String),
}

/// Every file of the crate for `service`, by path relative to the crate folder, in a fixed
/// order.
pub fn emit(service: &Service) -> Vec<(String, Output)> {
    let checked = service.checked_structs();
    let mut files = vec![
        ("Cargo.toml".to_owned(), Output::Text(crate_root::cargo_toml(service))),
        ("rustfmt.toml".to_owned(), Output::Text(crate_root::RUSTFMT_TOML.to_owned())),
        ("src/lib.rs".to_owned(), Output::Rust(crate_root::lib_rs(service))),
        ("src/client.rs".to_owned(), Output::Rust(crate_root::client_rs(service))),
        ("src/operation/mod.rs".to_owned(), Output::Rust(crate_root::operation_mod_rs(service))),
    ];
    if !service.structs.is_empty() {
        files.push(("src/types.rs".to_owned(), Output::Rust(types::types_rs(service, &checked))));
    }
    for op in &service.operations {
        files.push((
            format!("src/operation/{}.rs", op.method),
            Output::Rust(operation::operation_rs(service, op, &checked)),
        ));
    }
    files
}

/// `#[doc = " line"]` attributes, one per line of `text`, as `///` comments read. A carriage
/// return also ends a line (rustc refuses one inside a doc comment).
fn doc(text: &str) -> TokenStream {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(|line| {
            let line = if line.is_empty() { String::new() } else { format!(" {line}") };
            quote!(#[doc = #line])
        })
        .collect()
}

/// `#![doc = " line"]` attributes for a module.
fn inner_doc(text: &str) -> TokenStream {
    text.lines()
        .map(|line| {
            let line = if line.is_empty() { String::new() } else { format!(" {line}") };
            quote!(#![doc = #line])
        })
        .collect()
}

/// The doc of a field or parameter: its spec description (or its wire name), and a note when
/// the metadata deprecates it.
fn field_doc(wire_name: &str, text: Option<&str>, deprecated: bool) -> TokenStream {
    let mut text = text.map_or_else(|| format!("`{wire_name}`."), str::to_owned);
    if deprecated {
        text.push_str("\n\n**Deprecated** in the API metadata.");
    }
    doc(&text)
}

/// An identifier token from a Rust name (raw identifiers included).
fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// The Rust type of `ty`; structs are written `types::Name` outside the types module.
fn rust_type(ty: &Type, in_types_module: bool) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Int32 => quote!(i32),
        Type::Int64 => quote!(i64),
        Type::Float => quote!(f32),
        Type::Double => quote!(f64),
        Type::Boolean => quote!(bool),
        Type::Json => quote!(serde_json::Value),
        Type::List(item) => {
            let item = rust_type(item, in_types_module);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(value, in_types_module);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Type::Struct(name) => {
            let name = format_ident!("{}", name);
            if in_types_module { quote!(#name) } else { quote!(types::#name) }
        }
    }
}

/// The `#[serde(rename = "…")]` a field needs when serde's PascalCase of its Rust name is not
/// its wire name.
fn serde_rename(rust_name: &str, wire_name: &str) -> Option<TokenStream> {
    let pascal: String = rust_name
        .trim_start_matches("r#")
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect();
    (pascal != wire_name).then(|| quote!(#[serde(rename = #wire_name)]))
}

/// The first paragraph of a doc, on one line, for setters and summaries.
fn short_doc(text: Option<&str>) -> Option<String> {
    text.and_then(docs::summary_line)
}

/// Whether the crate uses `serde_json` (a free-form JSON value somewhere).
fn uses_json(service: &Service) -> bool {
    let fields = service.structs.iter().flat_map(|s| &s.fields).map(|f| &f.ty);
    let ops = service
        .operations
        .iter()
        .flat_map(|op| op.params.iter().map(|p| &p.ty).chain(op.response.iter().map(|f| &f.ty)));
    fields.chain(ops).any(contains_json)
}

fn contains_json(ty: &Type) -> bool {
    match ty {
        Type::Json => true,
        Type::List(inner) | Type::Map(inner) => contains_json(inner),
        _ => false,
    }
}

/// For an optional value of type `ty` at `access` whose objects have required fields (a
/// struct in `checked`, or a list of them): an expression giving the path of the first missing
/// one, as an `Option<String>`, e.g. `self.entries.as_deref().and_then(missing_item)`.
fn missing_path(access: TokenStream, ty: &Type, checked: &BTreeSet<&str>) -> Option<TokenStream> {
    ty.checked_struct(checked)?;
    Some(match ty {
        Type::List(_) => quote!(#access.as_deref().and_then(missing_item)),
        _ => quote!(#access.as_ref().and_then(RequiredFields::missing)),
    })
}
