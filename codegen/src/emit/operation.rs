//! Emits one operation's module: request, builder, response, error enum and client method.
//!
//! For `RejectVpcPeerConnection` the module reads:
//!
//! ```text
//! pub struct RejectVpcPeerConnectionRequest { pub instance_id: String, pub dry_run: Option<bool>, … }
//! impl RejectVpcPeerConnectionRequest { pub fn builder() -> RejectVpcPeerConnectionBuilder }
//! pub struct RejectVpcPeerConnectionBuilder<C = ()> { client: C, instance_id: Option<String>, … }
//! impl<C> RejectVpcPeerConnectionBuilder<C> { pub fn instance_id(self, …) -> Self; …; pub fn build(self) -> Result<Request, BuildError> }
//! // build() of a parameter holding objects with required fields first checks them, e.g. CreateRouteEntries (Vpc):
//! //     if let Some(path) = self.route_entries.as_deref().and_then(missing_item) { return Err(BuildError::missing_field("RouteEntries", &path)); }
//! impl RejectVpcPeerConnectionBuilder<Client> { pub async fn send(self) -> OutcomeResult<RejectVpcPeerConnectionRequest> }
//! // (`SendResult<…Request>` for operations without `DryRun`)
//! // operations paged with NextToken, e.g. ListVpcPeerConnections:
//! impl ListVpcPeerConnectionsBuilder<Client> { pub fn into_pages(self) -> Pages<Self> }
//! impl Repeatable for ListVpcPeerConnectionsBuilder<Client> { type Output; type Error; async fn send_once }
//! impl Paginate for ListVpcPeerConnectionsBuilder<Client> { fn next_token_of; fn with_next_token }
//! // and where the response has one list field, what `into_pages().items()` gives:
//! impl PaginateItems for ListVpcPeerConnectionsBuilder<Client> { type Item = types::VpcPeerConnect; fn items_of }
//! impl Operation for RejectVpcPeerConnectionRequest { const ACTION; const CLIENT_TOKEN; type Client; type Response; type Error; fn write_params }
//! pub struct RejectVpcPeerConnectionResponse { pub request_id: Option<String> }
//! #[derive(Debug, ServiceError)]
//! pub enum RejectVpcPeerConnectionError { #[code = "ResourceNotFound.InstanceId"] ResourceNotFoundInstanceId(ErrorMetadata), …, Unhandled(ErrorMetadata) }
//! impl Client { pub fn reject_vpc_peer_connection(&self) -> RejectVpcPeerConnectionBuilder<Client> }
//! ```

use super::{doc, field_doc, ident, inner_doc, missing_path, rust_type, serde_rename, short_doc};
use crate::docs;
use crate::ir::{ErrorCode, Location, Operation, Param, Service, Style, Type, Waiter};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// The whole module of `op`; `checked` are the structs with required fields
/// ([`Service::checked_structs`]).
pub fn operation_rs(service: &Service, op: &Operation, checked: &BTreeSet<&str>) -> TokenStream {
    let names = Names::new(op);
    let module_doc = inner_doc(&format!(
        "`{}`: {}",
        op.action,
        op.summary.as_deref().map_or_else(|| "an operation.".to_owned(), docs::first_paragraph)
    ));
    let uses_types =
        op.params.iter().any(|p| mentions_struct(&p.ty)) || op.response.iter().any(|f| mentions_struct(&f.ty));
    let types_import = uses_types.then(|| {
        quote!(
            use crate::types;
        )
    });
    let duration_import = (!op.waiters.is_empty()).then(|| {
        quote!(
            use std::time::Duration;
        )
    });
    let parts = [
        request(op, &names),
        builder(service, op, &names, checked),
        repeatable_impls(op, &names),
        operation_impl(op, &names),
        response(op, &names),
        error(op, &names),
        client_method(service, op, &names),
    ];
    quote! {
        #module_doc
        use crate::Client;
        #types_import
        use alibabacloud_runtime::prelude::*;
        #duration_import
        #(#parts)*
    }
}

/// The type names of one operation.
struct Names {
    request: proc_macro2::Ident,
    builder: proc_macro2::Ident,
    response: proc_macro2::Ident,
    error: proc_macro2::Ident,
    method: proc_macro2::Ident,
    /// `[`Client::method`]`, for docs.
    method_link: String,
}

impl Names {
    fn new(op: &Operation) -> Self {
        Self {
            request: format_ident!("{}Request", op.action),
            builder: format_ident!("{}Builder", op.action),
            response: format_ident!("{}Response", op.action),
            error: format_ident!("{}Error", op.action),
            method: ident(&op.method),
            method_link: format!("[`Client::{}`]", op.method),
        }
    }
}

fn mentions_struct(ty: &Type) -> bool {
    match ty {
        Type::Struct(_) => true,
        Type::List(inner) | Type::Map(inner) => mentions_struct(inner),
        _ => false,
    }
}

/// The field type of a parameter in the request: required ones are not optional.
fn param_type(param: &Param) -> TokenStream {
    let ty = rust_type(&param.ty, false);
    if param.required { ty } else { quote!(Option<#ty>) }
}

fn request(op: &Operation, n: &Names) -> TokenStream {
    let doc = doc(&format!("The request of {}. Build it with [`{}::builder`].", n.method_link, n.request));
    let fields = op.params.iter().map(|p| {
        let doc = field_doc(&p.wire_name, p.doc.as_deref(), p.deprecated);
        let name = ident(&p.rust_name);
        let ty = param_type(p);
        quote!(#doc pub #name: #ty,)
    });
    let request = &n.request;
    let builder = &n.builder;
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #request { #(#fields)* }

        impl #request {
            /// A builder with no parameter set.
            pub fn builder() -> #builder {
                #builder::default()
            }
        }
    }
}

fn builder(service: &Service, op: &Operation, n: &Names, checked: &BTreeSet<&str>) -> TokenStream {
    let (request, builder, error) = (&n.request, &n.builder, &n.error);
    let builder_doc =
        doc(&format!("Builds a [`{request}`]. The builder that {} returns also sends it.", n.method_link));
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = rust_type(&p.ty, false);
        quote!(#name: Option<#ty>,)
    });
    let setters = op.params.iter().map(setter);
    let nested_checks = op.params.iter().filter_map(|p| {
        let (name, wire) = (ident(&p.rust_name), &p.wire_name);
        let path = missing_path(quote!(self.#name), &p.ty, checked)?;
        Some(quote!(if let Some(path) = #path { return Err(BuildError::missing_field(#wire, &path)); }))
    });
    let built = op.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let wire = &p.wire_name;
        if p.required {
            quote!(#name: self.#name.ok_or(BuildError::missing(#wire))?,)
        } else {
            quote!(#name: self.#name,)
        }
    });
    let (response, into_pages) = (&n.response, into_pages(service, op));
    let waiters = op.waiters.iter().map(|waiter| wait_method(service, op, n, waiter));
    let (send_doc, result, call) = match op.dry_run() {
        Some(_) => (
            doc(&format!(
                "Builds the request and sends it: an [`Outcome`] with a [`{response}`], or an [`SdkError`] with a [`{error}`]."
            )),
            quote!(OutcomeResult<#request>),
            quote!(send_with_dry_run),
        ),
        None => (
            doc(&format!("Builds the request and sends it: a [`{response}`], or an [`SdkError`] with a [`{error}`].")),
            quote!(SendResult<#request>),
            quote!(send),
        ),
    };
    quote! {
        #builder_doc
        #[derive(Clone, Debug, Default)]
        pub struct #builder<C = ()> {
            client: C,
            #(#fields)*
        }

        impl<C> #builder<C> {
            #(#setters)*

            /// Builds the request; fails, naming the parameter, when a required one is not set.
            pub fn build(self) -> Result<#request, BuildError> {
                #(#nested_checks)*
                Ok(#request { #(#built)* })
            }
        }

        impl #builder<Client> {
            #send_doc
            pub async fn send(self) -> #result {
                let client = self.client.clone();
                client.runtime.#call(&self.build()?).await
            }

            #into_pages
            #(#waiters)*
        }
    }
}

/// What `send()` gives on success: the response, in an `Outcome` for `DryRun` operations.
fn send_result(op: &Operation, n: &Names) -> TokenStream {
    let response = &n.response;
    if op.dry_run().is_some() { quote!(Outcome<#response>) } else { quote!(#response) }
}

/// For an operation paged with `NextToken`, the builder's `into_pages()`; nothing for others.
fn into_pages(service: &Service, op: &Operation) -> TokenStream {
    if op.next_token().is_none() {
        return TokenStream::new();
    }
    let doc = doc(&format!(
        "The pages of the results: sends the request, then again with each page's `NextToken` until a \
         page has none.\n\n# Example\n\n{}",
        pages_example(service, op)
    ));
    quote! {
        #doc
        pub fn into_pages(self) -> Pages<Self> {
            Pages::new(self)
        }
    }
}

/// A waiter method of the builder:
///
/// ```text
/// pub fn wait_until_activated(self) -> Wait<Self, GetVpcPeerConnectionAttributeResponse> {
///     const WAITER: Waiter = Waiter { name: "Activated", interval: Duration::from_secs(5),
///         timeout: Duration::from_secs(300), field: "Status", success: &["Activated"], failure: &[…],
///         failure_codes: &["ResourceNotFound.InstanceId"], ..Waiter::NONE };
///     Wait::for_value(self, &WAITER, |response| response.status.as_deref())
/// }
/// ```
fn wait_method(service: &Service, op: &Operation, n: &Names, waiter: &Waiter) -> TokenStream {
    let (method, name) = (ident(&waiter.method), &waiter.name);
    let (interval, timeout) = (
        proc_macro2::Literal::u64_unsuffixed(waiter.interval_seconds),
        proc_macro2::Literal::u64_unsuffixed(waiter.timeout_seconds),
    );
    let field = waiter.field.as_ref().map(|(_, wire)| quote!(field: #wire,));
    let list = |name: &str, items: &[String]| {
        let name = format_ident!("{name}");
        (!items.is_empty()).then(|| quote!(#name: &[#(#items),*],))
    };
    let lists = [
        list("success", &waiter.success),
        list("failure", &waiter.failure),
        list("success_codes", &waiter.success_codes),
        list("failure_codes", &waiter.failure_codes),
    ];
    let read = match &waiter.field {
        Some((rust, _)) if op.dry_run().is_some() => {
            let field = ident(rust);
            quote!(|response| response.as_completed().and_then(|response| response.#field.as_deref()))
        }
        Some((rust, _)) => {
            let field = ident(rust);
            quote!(|response| response.#field.as_deref())
        }
        None => quote!(|_| None),
    };
    let (done, constructor) = if waiter.success.is_empty() {
        (quote!(()), quote!(for_code))
    } else {
        (send_result(op, n), quote!(for_value))
    };
    let doc = doc(&wait_doc(service, op, waiter));
    quote! {
        #doc
        pub fn #method(self) -> Wait<Self, #done> {
            const WAITER: Waiter = Waiter {
                name: #name,
                interval: Duration::from_secs(#interval),
                timeout: Duration::from_secs(#timeout),
                #field
                #(#lists)*
                ..Waiter::NONE
            };
            Wait::#constructor(self, &WAITER, #read)
        }
    }
}

/// The rustdoc of a waiter method: its summary, what it calls for, and an example.
fn wait_doc(service: &Service, op: &Operation, waiter: &Waiter) -> String {
    let quoted = |items: &[String]| items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(" or ");
    let condition = |values: &[String], codes: &[String]| {
        let field = waiter.field.as_ref().filter(|_| !values.is_empty());
        let values = field.map(|(_, wire)| format!("`{wire}` is {}", quoted(values)));
        let codes = (!codes.is_empty()).then(|| format!("the call fails with {}", quoted(codes)));
        [values, codes].into_iter().flatten().collect::<Vec<_>>().join(", or ")
    };
    let mut text = format!(
        "{}\n\nCalls `{}` every {} s, for at most {} s, until {}",
        waiter.summary,
        op.action,
        waiter.interval_seconds,
        waiter.timeout_seconds,
        condition(&waiter.success, &waiter.success_codes)
    );
    let failure = condition(&waiter.failure, &waiter.failure_codes);
    if !failure.is_empty() {
        text.push_str(&format!("; ends with `WaitError::Unreachable` when {failure}"));
    }
    text.push_str(". Change the interval and the limit on the returned `Wait` before awaiting it.\n\n# Example\n\n");
    let binding = if waiter.success.is_empty() { "" } else { "let response = " };
    let call = format!("{binding}{}\n    .{}()\n    .await?;", request_chain(service, op), waiter.method);
    text.push_str(&doc_example(service, &call));
    text
}

/// For an operation with a paginator or waiters, the `Repeatable` impl they send it with,
/// for a paginated one the `Paginate` impl behind `into_pages()`, and the `PaginateItems` impl
/// behind `items()` when its response has one list field; nothing for others.
fn repeatable_impls(op: &Operation, n: &Names) -> TokenStream {
    if op.next_token().is_none() && op.waiters.is_empty() {
        return TokenStream::new();
    }
    let (builder, error, output) = (&n.builder, &n.error, send_result(op, n));
    let paginate = op.next_token().map(|(param, field)| {
        let (setter, field) = (ident(&param.rust_name), ident(&field.rust_name));
        let token = if op.dry_run().is_some() {
            quote!(page.as_completed().and_then(|page| page.#field.as_deref()))
        } else {
            quote!(page.#field.as_deref())
        };
        quote! {
            impl Paginate for #builder<Client> {
                fn next_token_of(page: &Self::Output) -> Option<&str> {
                    #token
                }

                fn with_next_token(self, token: String) -> Self {
                    self.#setter(token)
                }
            }
        }
    });
    // (Not for operations with `DryRun`: a passed dry run would look like no results.)
    let items = op.page_items().filter(|_| op.dry_run().is_none()).and_then(|field| {
        let Type::List(item) = &field.ty else { return None };
        let (item, field) = (rust_type(item, false), ident(&field.rust_name));
        Some(quote! {
            impl PaginateItems for #builder<Client> {
                type Item = #item;

                fn items_of(page: Self::Output) -> Vec<Self::Item> {
                    page.#field.unwrap_or_default()
                }
            }
        })
    });
    quote! {
        impl Repeatable for #builder<Client> {
            type Output = #output;
            type Error = #error;

            async fn send_once(self) -> Result<Self::Output, SdkError<Self::Error>> {
                self.send().await
            }
        }

        #paginate
        #items
    }
}

/// A consuming setter; list parameters get one that appends an item.
fn setter(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let mut summary = short_doc(param.doc.as_deref()).unwrap_or_else(|| format!("Sets `{}`.", param.wire_name));
    // A note, not `#[deprecated]`: the metadata deprecates parameters that operations still
    // need (ListTagResources refuses a call with neither `ResourceId` nor `Tag`), and a warning
    // on every correct call would teach users to silence it.
    if param.deprecated {
        summary.push_str(" **Deprecated** in the API metadata.");
    }
    let (arg, value) = match &param.ty {
        Type::String => (quote!(impl Into<String>), quote!(Some(value.into()))),
        Type::List(item) => {
            let doc = doc(&format!("Appends one item. {summary}"));
            let (arg, item_value) = match item.as_ref() {
                Type::String => (quote!(impl Into<String>), quote!(value.into())),
                other => (rust_type(other, false), quote!(value)),
            };
            return quote! {
                #doc
                pub fn #name(mut self, value: #arg) -> Self {
                    self.#name.get_or_insert_with(Vec::new).push(#item_value);
                    self
                }
            };
        }
        other => (rust_type(other, false), quote!(Some(value))),
    };
    let doc = doc(&summary);
    quote! {
        #doc
        pub fn #name(mut self, value: #arg) -> Self {
            self.#name = #value;
            self
        }
    }
}

fn operation_impl(op: &Operation, n: &Names) -> TokenStream {
    let (request, response, error, action) = (&n.request, &n.response, &n.error, &op.action);
    let read_only = op.read_only.then(|| {
        quote!(
            const READ_ONLY: bool = true;
        )
    });
    let client_token = op.client_token().map(|p| {
        let location = if p.location == Location::Query { quote!(Query) } else { quote!(Form) };
        quote!(const CLIENT_TOKEN: Option<Location> = Some(Location::#location);)
    });
    let writes = op.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let wire = &p.wire_name;
        match (p.location, p.style) {
            (Location::Query, Style::Flat) => quote!(params.query(#wire, &self.#name);),
            (Location::Form, Style::Flat) => quote!(params.form(#wire, &self.#name);),
            (location, style) => {
                let method = if location == Location::Query { quote!(query_styled) } else { quote!(form_styled) };
                let style = match style {
                    Style::Joined(delimiter) => quote!(Style::Joined(#delimiter)),
                    _ => quote!(Style::Json),
                };
                quote!(params.#method(#wire, #style, &self.#name);)
            }
        }
    });
    let params_name = if op.params.is_empty() { quote!(_params) } else { quote!(params) };
    quote! {
        impl Operation for #request {
            const ACTION: &'static str = #action;
            #read_only
            #client_token
            type Client = Client;
            type Response = #response;
            type Error = #error;

            fn write_params<'a>(&'a self, #params_name: &mut Params<'a>) {
                #(#writes)*
            }
        }
    }
}

fn response(op: &Operation, n: &Names) -> TokenStream {
    let doc = doc(&format!("The response of {}.", n.method_link));
    let fields = op.response.iter().map(|f| {
        let doc = field_doc(&f.wire_name, f.doc.as_deref(), f.deprecated);
        let rename = serde_rename(&f.rust_name, &f.wire_name);
        let name = ident(&f.rust_name);
        let ty = rust_type(&f.ty, false);
        quote!(#doc #rename pub #name: Option<#ty>,)
    });
    let response = &n.response;
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq, Deserialize)]
        #[serde(rename_all = "PascalCase")]
        #[non_exhaustive]
        pub struct #response { #(#fields)* }
    }
}

fn error(op: &Operation, n: &Names) -> TokenStream {
    let enum_doc = doc(&format!("The errors of {}: one variant per documented code, and `Unhandled`.", n.method_link));
    let error = &n.error;
    let variants: Vec<_> = op.errors.iter().map(|e| format_ident!("{}", e.variant)).collect();
    let codes: Vec<_> = op.errors.iter().map(|e| &e.code).collect();
    let docs = op.errors.iter().map(|e| doc(&error_doc(e)));
    quote! {
        #enum_doc
        #[derive(Debug, ServiceError)]
        #[non_exhaustive]
        pub enum #error {
            #(#docs #[code = #codes] #variants(ErrorMetadata),)*
            /// A code this operation does not document.
            Unhandled(ErrorMetadata),
        }
    }
}

/// The rustdoc of an error variant: "`Code` (HTTP 400): message". A code documented under
/// more statuses, or with more messages, lists each.
fn error_doc(e: &ErrorCode) -> String {
    // The message as one line of rustdoc, converted like all spec prose; the service fills
    // its `%s` placeholders. A message that is only placeholders says nothing.
    let line = |message: &Option<String>| {
        let message = message.as_deref().map(|m| m.replace("%s", "…"));
        let line = message.as_deref().and_then(docs::rustdoc).and_then(|m| docs::summary_line(&m));
        line.filter(|m| m.chars().any(char::is_alphanumeric))
    };
    // The statuses by message, in spec order.
    let mut groups: Vec<(Option<String>, Vec<u16>)> = Vec::new();
    for (status, message) in std::iter::once((e.status, &e.message)).chain(e.also.iter().map(|(s, m)| (*s, m))) {
        let message = line(message);
        match groups.iter_mut().find(|(m, _)| *m == message) {
            Some((_, statuses)) if statuses.contains(&status) => {}
            Some((_, statuses)) => statuses.push(status),
            None => groups.push((message, vec![status])),
        }
    }
    let http =
        |statuses: &[u16]| format!("HTTP {}", statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(", "));
    let with_message = |message: &Option<String>| message.as_ref().map(|m| format!(": {m}")).unwrap_or_default();
    if let [(message, statuses)] = groups.as_slice() {
        return format!("`{}` ({}){}", e.code, http(statuses), with_message(message));
    }
    let mut all: Vec<u16> = Vec::new();
    for &status in groups.iter().flat_map(|(_, statuses)| statuses) {
        if !all.contains(&status) {
            all.push(status);
        }
    }
    let list: Vec<String> =
        groups.iter().map(|(m, statuses)| format!("- {}{}", http(statuses), with_message(m))).collect();
    format!("`{}` ({}). The API metadata documents it as:\n\n{}", e.code, http(&all), list.join("\n"))
}

fn client_method(service: &Service, op: &Operation, n: &Names) -> TokenStream {
    let mut text = op.summary.clone().unwrap_or_else(|| format!("Calls `{}`.", op.action));
    if let Some(description) = &op.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    for group in &op.one_of {
        text.push_str(&format!(
            "\n\nSet at least one of {}: the service refuses the call otherwise.",
            one_of_text(op, group)
        ));
    }
    text.push_str("\n\n# Example\n\n");
    text.push_str(&example(service, op));
    let doc = doc(&text);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated = "deprecated in the API metadata"]));
    let (method, builder) = (&n.method, &n.builder);
    let fields = op.params.iter().map(|p| ident(&p.rust_name));
    quote! {
        impl Client {
            #doc
            #deprecated
            pub fn #method(&self) -> #builder<Client> {
                #builder { client: self.clone(), #(#fields: None,)* }
            }
        }
    }
}

/// The setter calls that satisfy a group of [`Operation::one_of`]: `` `.resource_id(..)` and
/// `.tag(..)` ``, or `` `.tag_key(..)`, `.tag(..)` and `.all(true)` `` (a boolean counts when
/// `true`), for "Set at least one of …".
fn one_of_text(op: &Operation, group: &[String]) -> String {
    let calls: Vec<String> = group
        .iter()
        .filter_map(|name| op.param(name))
        .map(|p| {
            if p.ty == Type::Boolean { format!("`.{}(true)`", p.rust_name) } else { format!("`.{}(..)`", p.rust_name) }
        })
        .collect();
    match calls.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A compiling doc example that sets the required parameters from the spec's examples.
fn example(service: &Service, op: &Operation) -> String {
    let call = format!("let response = {}\n    .send()\n    .await?;", request_chain(service, op));
    doc_example(service, &call)
}

/// A compiling doc example that walks the pages of the results.
fn pages_example(service: &Service, op: &Operation) -> String {
    let call = format!(
        "let mut pages = {}\n    .into_pages();\nwhile let Some(page) = pages.next().await {{\n    let page = page?;\n    println!(\"{{page:?}}\");\n}}",
        request_chain(service, op)
    );
    doc_example(service, &call)
}

/// `client.method()` and a setter per required parameter and per first parameter of a
/// [`Operation::one_of`] group (a boolean set to `true`), one call a line.
pub(super) fn request_chain(service: &Service, op: &Operation) -> String {
    let krate = format!("alibabacloud_{}", service.slug);
    let mut chain = format!("client\n    .{}()", op.method);
    let first_of_group = |param: &Param| op.one_of.iter().any(|group| group.first() == Some(&param.wire_name));
    for param in op.params.iter().filter(|p| p.required || first_of_group(p)) {
        // A list's setter adds one item.
        let ty = match &param.ty {
            Type::List(item) => item,
            other => other,
        };
        let value = match ty {
            Type::Boolean if !param.required => "true".to_owned(),
            _ => example_value(service, ty, param.example.as_deref(), &krate),
        };
        chain.push_str(&format!("\n    .{}({value})", param.rust_name));
    }
    chain
}

/// `code` as the body of a `no_run` example function that gets a client.
fn doc_example(service: &Service, code: &str) -> String {
    format!(
        "```no_run\n# async fn example(client: &alibabacloud_{}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n{code}\n# Ok(())\n# }}\n```",
        service.slug
    )
}

/// A Rust expression of type `ty`, from the spec's example text when it fits the type.
fn example_value(service: &Service, ty: &Type, example: Option<&str>, krate: &str) -> String {
    let text = example.unwrap_or_default();
    match ty {
        Type::String => format!("{text:?}"),
        Type::Int32 => text.parse::<i32>().map_or_else(|_| "1".to_owned(), |v| v.to_string()),
        Type::Int64 => text.parse::<i64>().map_or_else(|_| "1".to_owned(), |v| v.to_string()),
        Type::Float => {
            text.parse::<f32>().ok().filter(|v| v.is_finite()).map_or_else(|| "1.0".to_owned(), |v| format!("{v:?}"))
        }
        Type::Double => {
            text.parse::<f64>().ok().filter(|v| v.is_finite()).map_or_else(|| "1.0".to_owned(), |v| format!("{v:?}"))
        }
        Type::Boolean => (text == "true").to_string(),
        Type::List(item) => format!("vec![{}.into()]", example_value(service, item, example, krate)),
        Type::Map(_) => "Default::default()".to_owned(),
        Type::Json => "serde_json::json!({})".to_owned(),
        Type::Struct(name) => {
            let fields =
                service.structs.iter().find(|s| &s.name == name).map(|s| s.fields.as_slice()).unwrap_or_default();
            let set: Vec<String> = fields
                .iter()
                .filter(|f| f.example.is_some() && matches!(f.ty, Type::String))
                .map(|f| format!("{}: Some({:?}.into())", f.rust_name, f.example.as_deref().unwrap_or_default()))
                .collect();
            if set.is_empty() {
                format!("{krate}::types::{name}::default()")
            } else {
                format!("{krate}::types::{name} {{ {}, ..Default::default() }}", set.join(", "))
            }
        }
    }
}
