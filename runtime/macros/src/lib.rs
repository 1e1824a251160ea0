//! `#[derive(ServiceError)]`: turns a generated operation's error enum, one variant per
//! documented code plus one for every other code, into an `alibabacloud_runtime::ServiceError`
//! with its `Display` and `Error`. Re-exported by `alibabacloud-runtime`; see the trait there.

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::{Data, DeriveInput, Expr, ExprLit, Ident, Lit, Variant, parse_macro_input};

/// Derives `ServiceError`, `Display` and `Error` for an enum whose variants each hold one
/// `ErrorMetadata`: those marked `#[code = "…"]` for their documented code, and exactly one
/// unmarked variant for any other code.
///
/// ```text
/// #[derive(Debug, ServiceError)]
/// pub enum RejectVpcPeerConnectionError {
///     #[code = "IncorrectStatus.VpcPeer"]
///     IncorrectStatusVpcPeer(ErrorMetadata),
///     Unhandled(ErrorMetadata),
/// }
/// ```
#[proc_macro_derive(ServiceError, attributes(code))]
pub fn derive_service_error(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    service_error(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

fn service_error(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(Span::call_site(), format!("`{name}`: ServiceError is derived for enums only")));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(Span::call_site(), format!("`{name}`: ServiceError takes no generic parameters")));
    }
    let mut documented: Vec<(String, &Ident)> = Vec::new();
    let mut other: Vec<&Ident> = Vec::new();
    for variant in &data.variants {
        check_one_field(name, variant)?;
        match code_of(name, variant)? {
            Some(code) => documented.push((code, &variant.ident)),
            None => other.push(&variant.ident),
        }
    }
    let unhandled = match other.as_slice() {
        [one] => *one,
        [] => {
            let text = format!("`{name}` needs one variant without `#[code]`, for the codes it does not document");
            return Err(syn::Error::new(Span::call_site(), text));
        }
        [_, second, ..] => {
            let text = format!("`{name}::{second}` has no `#[code]`; only one variant may be without one");
            return Err(syn::Error::new(second.span(), text));
        }
    };
    let (codes, variants): (Vec<_>, Vec<_>) = documented.into_iter().unzip();
    Ok(quote! {
        impl ::alibabacloud_runtime::ServiceError for #name {
            const CODES: &'static [(&'static str, ::alibabacloud_runtime::ErrorVariant<Self>)] =
                &[#((#codes, Self::#variants)),*];
            const UNHANDLED: ::alibabacloud_runtime::ErrorVariant<Self> = Self::#unhandled;

            fn metadata(&self) -> &::alibabacloud_runtime::ErrorMetadata {
                match self {
                    #(Self::#variants(metadata) |)* Self::#unhandled(metadata) => metadata,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(::alibabacloud_runtime::ServiceError::metadata(self), f)
            }
        }

        impl ::std::error::Error for #name {}
    })
}

/// Every variant holds exactly one unnamed field, its `ErrorMetadata`.
fn check_one_field(name: &Ident, variant: &Variant) -> syn::Result<()> {
    match &variant.fields {
        syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => Ok(()),
        _ => {
            let text = format!("`{name}::{}` must hold exactly one field, its ErrorMetadata", variant.ident);
            Err(syn::Error::new(variant.ident.span(), text))
        }
    }
}

/// The variant's `#[code = "…"]`, if it has one.
fn code_of(name: &Ident, variant: &Variant) -> syn::Result<Option<String>> {
    let mut found = None;
    for attr in variant.attrs.iter().filter(|a| a.path().is_ident("code")) {
        let wrong = || {
            let text = format!("`{name}::{}`: write the code as #[code = \"Service.Code\"]", variant.ident);
            syn::Error::new(variant.ident.span(), text)
        };
        let value = &attr.meta.require_name_value().map_err(|_| wrong())?.value;
        let Expr::Lit(ExprLit { lit: Lit::Str(code), .. }) = value else { return Err(wrong()) };
        if found.replace(code.value()).is_some() {
            let text = format!("`{name}::{}` has more than one `#[code]`", variant.ident);
            return Err(syn::Error::new(variant.ident.span(), text));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::service_error;
    use quote::quote;

    fn derive(input: proc_macro2::TokenStream) -> Result<String, String> {
        let input = syn::parse2(input).expect("a Rust item");
        service_error(&input).map(|tokens| tokens.to_string()).map_err(|e| e.to_string())
    }

    #[test]
    fn the_codes_table_lists_every_marked_variant_and_the_unmarked_one_takes_the_rest() {
        let out = derive(quote! {
            enum E {
                #[code = "A.B"]
                Ab(ErrorMetadata),
                Other(ErrorMetadata),
                #[code = "C"]
                C(ErrorMetadata),
            }
        })
        .expect("derived");
        assert!(out.contains(r#"& [("A.B" , Self :: Ab) , ("C" , Self :: C)]"#), "{out}");
        assert!(
            out.contains("const UNHANDLED : :: alibabacloud_runtime :: ErrorVariant < Self > = Self :: Other"),
            "{out}"
        );
        assert!(
            out.contains("Self :: Ab (metadata) | Self :: C (metadata) | Self :: Other (metadata) => metadata"),
            "{out}"
        );
        assert!(
            out.contains("impl :: std :: fmt :: Display for E") && out.contains("impl :: std :: error :: Error for E")
        );
    }

    #[test]
    fn wrong_shapes_are_refused_naming_the_enum_and_variant() {
        let cases = [
            (
                quote!(
                    struct E(ErrorMetadata);
                ),
                "`E`: ServiceError is derived for enums only",
            ),
            (
                quote!(
                    enum E<T> {
                        Other(T),
                    }
                ),
                "`E`: ServiceError takes no generic parameters",
            ),
            (
                quote!(
                    enum E {
                        #[code = "A"]
                        A(ErrorMetadata),
                    }
                ),
                "`E` needs one variant without `#[code]`",
            ),
            (
                quote!(
                    enum E {
                        A(ErrorMetadata),
                        B(ErrorMetadata),
                    }
                ),
                "`E::B` has no `#[code]`; only one variant",
            ),
            (
                quote!(
                    enum E {
                        A,
                        Other(ErrorMetadata),
                    }
                ),
                "`E::A` must hold exactly one field",
            ),
            (
                quote!(
                    enum E {
                        A { m: ErrorMetadata },
                        Other(ErrorMetadata),
                    }
                ),
                "`E::A` must hold exactly one field",
            ),
            (
                quote!(
                    enum E {
                        #[code(A)]
                        A(ErrorMetadata),
                        Other(ErrorMetadata),
                    }
                ),
                "`E::A`: write the code as",
            ),
            (
                quote!(
                    enum E {
                        #[code = 1]
                        A(ErrorMetadata),
                        Other(ErrorMetadata),
                    }
                ),
                "`E::A`: write the code as",
            ),
            (
                quote!(
                    enum E {
                        #[code = "A"]
                        #[code = "B"]
                        A(ErrorMetadata),
                        Other(ErrorMetadata),
                    }
                ),
                "`E::A` has more than one",
            ),
        ];
        for (input, expected) in cases {
            let error = derive(input.clone()).expect_err(&input.to_string());
            assert!(error.starts_with(expected), "{input}: {error}");
        }
    }
}
