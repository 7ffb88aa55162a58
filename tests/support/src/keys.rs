//! The fixture keys of `tests/fixtures/keys`. TEST-ONLY: every one of them is public.

/// A self-hosted CoSync server's private key (3072-bit): signs fixture app tokens.
pub const SERVER_PRIVATE: &str = include_str!("../../fixtures/keys/server.key");
/// Its public key (`app_token_key` of the fixture configs).
pub const SERVER_PUBLIC: &str = include_str!("../../fixtures/keys/server.pub.pem");
/// Another server's private key (3072-bit): signs "token from another key" fixtures.
pub const OTHER_SERVER_PRIVATE: &str = include_str!("../../fixtures/keys/other-server.key");
/// A per-app Realm private key (2048-bit): signs fixture user JWTs.
pub const APP_PRIVATE: &str = include_str!("../../fixtures/keys/app.key");
/// The same private key in PKCS#1 form.
pub const APP_PRIVATE_PKCS1: &str = include_str!("../../fixtures/keys/app.pkcs1-private.key");
/// The per-app Realm public key, SPKI PEM (as OpenSSL writes it, with a trailing newline).
pub const APP_PUBLIC: &str = include_str!("../../fixtures/keys/app.pub.pem");
/// The per-app Realm public key, PKCS#1 PEM.
pub const APP_PUBLIC_PKCS1: &str = include_str!("../../fixtures/keys/app.pkcs1.pem");
/// The per-app Realm public key, DER.
pub const APP_PUBLIC_DER: &[u8] = include_bytes!("../../fixtures/keys/app.pub.der");
/// A 3072-bit per-app private key.
pub const APP3072_PRIVATE: &str = include_str!("../../fixtures/keys/app3072.key");
/// Its public key.
pub const APP3072_PUBLIC: &str = include_str!("../../fixtures/keys/app3072.pub.pem");
/// A 1024-bit public key: too small.
pub const SMALL_PUBLIC: &str = include_str!("../../fixtures/keys/small.pub.pem");
/// A P-256 EC public key: not RSA.
pub const EC_PUBLIC: &str = include_str!("../../fixtures/keys/ec.pub.pem");

/// COSYNC.md 7.5, token B: a real app token of sandbox.cosync.net (public sample).
pub const HOSTED_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6IjFiZDg2ZDIxZjY5MTQxMjc5MWRhMzQ1OTRmMjI5NGYyIiwic2NvcGUiOiJhcHAiLCJpYXQiOjE2NzkwNzQxNjR9.Aote9QdLkMGwq3-i0oRuoFxwzNh7l2CGdBhuvLBdbcnBnXXtXZ18w16WMH23--dU6r5HWiUHJsK1c0PX_aXqlysBVMPQ19u3jujCsDGyoEaOD9edm3ic-DyoobPaug5Uku5Pu6o-jLTOiuMt5LVEdnr67xsiR5cICPYFyvKLl6hTLGoE3pKVVe9xc5xVoIdU4P8gty8RoMI-JclL4OnAf-9EL7Mria27KT4TLMc8HVJo710F9jEDgFiWpAzGF07qOapvnObv10g1S8oj7RbRXYdG3gauHp86M_5qagVmU3EhGBRqVWH4T_v6YThWtQpQVCxPD1KYQjtG7Alf0T4lAVaVfe84WqNCotlVJRA3YafVIWE4NEaCKJAnTVww_CcSRSJmB_UnGS47uu8w8I9tEGjE7-ow3pN1bOeFfnrVZeDwS4bBMi7L6L3o0rDOgrGT5xtrGwWCwh-cL9SZunIf5HwiIGqfKsSVYZK9Tav_CVPqoNdRNxZcnVjRswYw3sxi";
/// COSYNC.md 7.5: the raw public key of token B's app.
pub const HOSTED_RAW_KEY: &str = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dLQ0FRRUF1SlpWWDg1QkVpeG9KVlVoNGwzSwoySitYVDdIMTIyR1RVUENWb245a1BYa2d4QzYyTHVWUjgwQ24zWXVOQ2w4SlFxQ1NvUXhTRHdhTzRRRlZTMkRvCkg2UXFKZGtXZlZHNDVidEN6cnBXdGNSVHJEaVVrNzVWMHlqaXlHUTdKWjhQcWRzUE9BM3ZDUnZyY0dTQXVLV0YKNmF0K0tqdllHZ2FJY2Q5Q0ttbjdka3U2TmNkUlM5R3ppdUYvRTg3UStzTGZnMzU1L3c1TmY5eDI3VXc3bzBEMApsSlh4cUt2SVRzUEdmQ0VMTXlZNmhFem5ZbTA0YWE1WExYSHZQMjU2bEhzblYvWnJIRmV1dS9VNUlCUVVWczBNCmZpcEhUVzlWQ2lSUkhBOXdZR05BVnMySU5zb0h6dncrMGE1SVNhNFZMSjFUTXJSZzNsRnRWcXlybERycjR3YnoKQVFJREFRQUIKLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0t";
/// The `appId` of token B.
pub const HOSTED_APP_ID: &str = "1bd86d21f691412791da34594f2294f2";
