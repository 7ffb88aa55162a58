//! The `cosync_constants!()` macro. Use it through the `cosync` crate, which documents it.
//!
//! This crate only parses the macro's input and maps errors to `compile_error!`; every check
//! lives in `cosync-build`, shared with the build script and the CLI.
#![deny(missing_docs)]

use proc_macro::TokenStream;
use quote::quote;
use syn::LitStr;
use syn::parse::{Parse, ParseStream};

/// `cosync_constants!()` or `cosync_constants!("path/to/cosync.toml")`.
struct Input {
    path: Option<LitStr>,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Ok(Input { path: None });
        }
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected nothing or a string literal: `cosync_constants!()` or `cosync_constants!(\"config/cosync.toml\")`",
            )
        })?;
        // Allow a trailing comma, like most function-like macros.
        if input.peek(syn::Token![,]) {
            input.parse::<syn::Token![,]>()?;
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the path; `cosync_constants!` takes at most one string literal"));
        }
        Ok(Input { path: Some(path) })
    }
}

/// Reads `cosync.toml`, verifies the app token and the keys, and expands to typed constants.
///
/// See the `cosync` crate's documentation of `cosync_constants!` for the full story.
#[proc_macro]
pub fn cosync_constants(input: TokenStream) -> TokenStream {
    let input = match syn::parse::<Input>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error().into(),
    };
    let path = input.path.as_ref().map(LitStr::value);
    let expansion = cosync_build::expand_macro(path.as_deref());
    let tracking = expansion.tracking;
    let span = input
        .path
        .as_ref()
        .map_or_else(proc_macro2::Span::call_site, LitStr::span);
    // Stable Rust gives proc macros no warning API; a deprecated item used at the call site
    // is the one way to make rustc print a warning there (and `#![deny(warnings)]` honours it).
    let warnings = expansion.warnings.into_iter().map(|(headline, details)| {
        let note = format!("{headline}\n{details}");
        quote::quote_spanned!(span=>
            const _: () = {
                #[deprecated(note = #note)]
                struct CosyncTomlWarning;
                let _ = CosyncTomlWarning;
            };
        )
    });
    let items = match expansion.result {
        Ok(items) => items,
        Err(errors) => {
            let errors = errors.into_iter().map(|(headline, details)| {
                let message = format!("{headline}\n{details}");
                quote::quote_spanned!(span=> ::core::compile_error!(#message);)
            });
            quote!(#(#errors)*)
        }
    };
    quote!(#tracking #(#warnings)* #items).into()
}
