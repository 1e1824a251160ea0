//! Formats emitted Rust with prettyplease and stamps every file as generated.

use crate::error::Error;
use crate::write::RUST_HEADER;
use proc_macro2::TokenStream;

/// Parses `tokens` as a Rust file and pretty-prints it under the header. `file` names the
/// output in the error if the emitted tokens are not valid Rust.
pub fn rust(file: &str, tokens: TokenStream) -> Result<String, Error> {
    let syntax =
        syn::parse2::<syn::File>(tokens).map_err(|e| Error::Emit { file: file.to_owned(), message: e.to_string() })?;
    Ok(format!("{RUST_HEADER}\n{}", prettyplease::unparse(&syntax)))
}
