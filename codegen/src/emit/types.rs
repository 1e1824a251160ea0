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
//! ```

use super::{doc, field_doc, ident, rust_type, serde_rename};
use crate::ir::Service;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The module with every named struct of `service`.
pub fn types_rs(service: &Service) -> TokenStream {
    let structs = service.structs.iter().map(|s| {
        let name = format_ident!("{}", s.name);
        let doc = doc(&format!("`{}`: an object of the {} API.", s.name, service.product));
        let fields = s.fields.iter().map(|f| {
            let doc = field_doc(&f.wire_name, f.doc.as_deref(), f.deprecated);
            let rename = serde_rename(&f.rust_name, &f.wire_name);
            let name = ident(&f.rust_name);
            let ty = rust_type(&f.ty, true);
            quote!(#doc #rename pub #name: Option<#ty>,)
        });
        quote! {
            #doc
            #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
            #[serde(rename_all = "PascalCase")]
            pub struct #name { #(#fields)* }
        }
    });
    quote! {
        //! Objects used by requests and responses. Every field is optional: requests send only
        //! what is set, and responses may leave fields out.
        use serde::{Deserialize, Serialize};
        #(#structs)*
    }
}
