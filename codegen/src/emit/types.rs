//! Emits `types.rs`: the structs shared by requests and responses.
//!
//! ```text
//! /// `Tag`.
//! #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
//! #[serde(rename_all = "PascalCase")]
//! pub struct Tag {
//!     /// The key of the tag.
//!     pub key: Option<String>,
//!     pub value: Option<String>,
//! }
//!
//! // structs with required fields, or holding objects that have some:
//! impl RequiredFields for RouteEntry {
//!     fn missing(&self) -> Option<String> {
//!         if self.dst_cidr_block.is_none() { return Some("DstCidrBlock".to_owned()); }
//!         None
//!     }
//! }
//! ```

use super::{doc, field_doc, ident, missing_path, rust_type, serde_rename};
use crate::ir::{Service, Struct, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// The module with every named struct of `service`; `checked` are those with required fields
/// ([`Service::checked_structs`]).
pub fn types_rs(service: &Service, checked: &BTreeSet<&str>) -> TokenStream {
    let holds_lists = service
        .structs
        .iter()
        .flat_map(|s| &s.fields)
        .any(|f| matches!(f.ty, Type::List(_)) && f.ty.checked_struct(checked).is_some());
    let list_import = holds_lists.then(|| quote!(missing_item,));
    let required_imports = (!checked.is_empty()).then(|| {
        quote!(
            use alibabacloud_runtime::{RequiredFields, #list_import};
        )
    });
    let structs = service.structs.iter().map(|s| {
        let name = format_ident!("{}", s.name);
        let doc = doc(&format!("`{}`: an object of the {} API.", s.name, service.product));
        let fields = s.fields.iter().map(|f| {
            let required = f.required.then(|| {
                let note = "Required in requests: `build()` refuses a request without it.";
                f.doc.as_deref().map_or_else(|| note.to_owned(), |text| format!("{text}\n\n{note}"))
            });
            let doc = field_doc(&f.wire_name, required.as_deref().or(f.doc.as_deref()), f.deprecated);
            let rename = serde_rename(&f.rust_name, &f.wire_name);
            let name = ident(&f.rust_name);
            let ty = rust_type(&f.ty, true);
            quote!(#doc #rename pub #name: Option<#ty>,)
        });
        let required = checked.contains(s.name.as_str()).then(|| required_fields(s, checked));
        quote! {
            #doc
            #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
            #[serde(rename_all = "PascalCase")]
            pub struct #name { #(#fields)* }

            #required
        }
    });
    quote! {
        //! Objects used by requests and responses. Every field is optional: requests send only
        //! what is set, and responses may leave fields out; a request's `build()` checks the
        //! fields the spec requires.
        #required_imports
        use serde::{Deserialize, Serialize};
        #(#structs)*
    }
}

/// `RequiredFields` for `s`: its required fields, then the objects it holds, in field order.
fn required_fields(s: &Struct, checked: &BTreeSet<&str>) -> TokenStream {
    let checks = s.fields.iter().map(|f| {
        let (name, wire) = (ident(&f.rust_name), &f.wire_name);
        let unset = f.required.then(|| quote!(if self.#name.is_none() { return Some(#wire.to_owned()); }));
        let nested = missing_path(quote!(self.#name), &f.ty, checked).map(|path| {
            let format = format!("{}.{{path}}", wire.replace('{', "{{").replace('}', "}}"));
            quote!(if let Some(path) = #path { return Some(format!(#format)); })
        });
        quote!(#unset #nested)
    });
    let name = format_ident!("{}", s.name);
    quote! {
        impl RequiredFields for #name {
            fn missing(&self) -> Option<String> {
                #(#checks)*
                None
            }
        }
    }
}
