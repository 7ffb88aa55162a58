//! HTTP-level tests of every app-facing route and the emulator-only routes, over real loopback
//! HTTP with a plain client (no cosync client crate), real RSA keys and SQLite.

mod support;

mod account;
mod emulator_routes;
mod invite;
mod login;
mod middleware;
mod password;
mod profile;
mod required_metadata;
mod signup;
mod social;
mod status_checks;
mod tokens;
mod two_factor;
