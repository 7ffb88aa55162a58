//! The generated items, as tokens. Generated code names runtime items through the facade crate
//! (`::cosync::…`), which every app depends on.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::inputs::Inputs;
use crate::model::Model;
use crate::time::utc;

fn option_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The items of DESIGN.md's table for a checked model.
pub(crate) fn items(model: &Model) -> TokenStream {
    let token = model.app_token.as_str();
    let app_id = model.app_token.app_id();
    let issued_at = model.app_token.issued_at();
    let issued_at_literal = Literal::u64_unsuffixed(issued_at);
    let expires_at = option_u64(model.app_token.expires_at());
    let not_before = option_u64(model.app_token.not_before());
    let address = model.rest_address.as_str();
    let realm_app_id = match &model.realm_app_id {
        Some(id) => quote!(::core::option::Option::Some(#id)),
        None => quote!(::core::option::Option::None),
    };
    let key = &model.public_key;
    let pem = key.to_pem();
    let raw = key.to_raw();
    let modulus = Literal::byte_string(key.modulus());
    let exponent = Literal::byte_string(key.exponent());
    let fingerprint = key.fingerprint().short();
    let bits = key.bits();
    let issued = utc(issued_at);

    let doc_token = format!(
        " The CoSync App Token, verified with {} when this code was generated.",
        model.signer.describe()
    );
    let doc_app_id = " The app token's `appId` claim: the CoSync app id.".to_owned();
    let doc_iat = format!(" The app token's `iat` claim ({issued}), in Unix seconds.");
    let doc_address = " The CoSync REST base address, without a trailing `/`.".to_owned();
    let doc_realm = match &model.realm_app_id {
        Some(_) => " The MongoDB Realm / App Services app id: the `aud` of this app's user JWTs.",
        None => {
            " The MongoDB Realm / App Services app id (not configured: user JWTs carry `aud: \"none\"`)."
        }
    };
    let doc_pem = format!(" The Realm public key (RSA-{bits}, SHA-256 {fingerprint}) as SPKI PEM.");
    let doc_raw = " The Realm public key in CoSync's raw form (standard base64 of the PEM), as the \
                   Portal's \"Show Raw Key\" shows it.";
    let doc_key = format!(
        " The Realm public key (RSA-{bits}, SHA-256 {fingerprint}), decoded at compile time. It \
         verifies this app's user JWTs."
    );

    quote! {
        #[doc = #doc_token]
        pub const APP_TOKEN: &str = #token;
        #[doc = #doc_app_id]
        pub const APP_ID: &str = #app_id;
        #[doc = #doc_iat]
        pub const APP_TOKEN_ISSUED_AT: u64 = #issued_at_literal;
        #[doc = #doc_address]
        pub const COSYNC_REST_ADDRESS: &str = #address;
        #[doc = #doc_realm]
        pub const REALM_APP_ID: ::core::option::Option<&str> = #realm_app_id;
        #[doc = #doc_pem]
        pub const PUBLIC_KEY_PEM: &str = #pem;
        #[doc = #doc_raw]
        pub const RAW_PUBLIC_KEY: &str = #raw;
        #[doc = #doc_key]
        pub const PUBLIC_KEY: ::cosync::PublicKey =
            ::cosync::PublicKey::from_static_components(#modulus, #exponent);
        /// Everything above in one value. A `static`, so what it builds on first use (the user-JWT
        /// verifier) is built once.
        pub static CONFIG: ::cosync::Config = ::cosync::Config::__from_checked(
            ::cosync::AppToken::__from_verified(
                APP_TOKEN,
                APP_ID,
                APP_TOKEN_ISSUED_AT,
                #expires_at,
                #not_before,
            ),
            ::cosync::RestAddress::__from_checked(COSYNC_REST_ADDRESS),
            REALM_APP_ID,
            PUBLIC_KEY,
        );
        ::cosync::__define_client!(CONFIG);
    }
}

/// Items that make rustc record every input in its dep-info, so Cargo rebuilds exactly when one
/// changes: `include_bytes!` for files, `option_env!` for environment variables. They sit in an
/// unnamed `const` and cost nothing at run time.
pub(crate) fn tracking(inputs: &Inputs) -> TokenStream {
    let files = inputs
        .files()
        .iter()
        .filter(|path| path.is_file())
        .filter_map(|path| path.to_str())
        .map(|path| quote!(let _ = ::core::include_bytes!(#path);));
    let vars = inputs
        .env_vars()
        .iter()
        .map(|name| quote!(let _ = ::core::option_env!(#name);));
    quote! {
        const _: () = {
            #(#files)*
            #(#vars)*
        };
    }
}
