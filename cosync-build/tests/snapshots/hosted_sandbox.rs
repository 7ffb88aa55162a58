/// The CoSync App Token, verified with sandbox.cosync.net's key (SHA-256 7fb17f06…) when this code was generated.
pub const APP_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6IjFiZDg2ZDIxZjY5MTQxMjc5MWRhMzQ1OTRmMjI5NGYyIiwic2NvcGUiOiJhcHAiLCJpYXQiOjE2NzkwNzQxNjR9.Aote9QdLkMGwq3-i0oRuoFxwzNh7l2CGdBhuvLBdbcnBnXXtXZ18w16WMH23--dU6r5HWiUHJsK1c0PX_aXqlysBVMPQ19u3jujCsDGyoEaOD9edm3ic-DyoobPaug5Uku5Pu6o-jLTOiuMt5LVEdnr67xsiR5cICPYFyvKLl6hTLGoE3pKVVe9xc5xVoIdU4P8gty8RoMI-JclL4OnAf-9EL7Mria27KT4TLMc8HVJo710F9jEDgFiWpAzGF07qOapvnObv10g1S8oj7RbRXYdG3gauHp86M_5qagVmU3EhGBRqVWH4T_v6YThWtQpQVCxPD1KYQjtG7Alf0T4lAVaVfe84WqNCotlVJRA3YafVIWE4NEaCKJAnTVww_CcSRSJmB_UnGS47uu8w8I9tEGjE7-ow3pN1bOeFfnrVZeDwS4bBMi7L6L3o0rDOgrGT5xtrGwWCwh-cL9SZunIf5HwiIGqfKsSVYZK9Tav_CVPqoNdRNxZcnVjRswYw3sxi";
/// The app token's `appId` claim: the CoSync app id.
pub const APP_ID: &str = "1bd86d21f691412791da34594f2294f2";
/// The app token's `iat` claim (2023-03-17T17:29:24Z), in Unix seconds.
pub const APP_TOKEN_ISSUED_AT: u64 = 1679074164;
/// The CoSync REST base address, without a trailing `/`.
pub const COSYNC_REST_ADDRESS: &str = "https://sandbox.cosync.net";
/// The MongoDB Realm / App Services app id: the `aud` of this app's user JWTs.
pub const REALM_APP_ID: ::core::option::Option<&str> = ::core::option::Option::Some(
    "toto-bzvdn",
);
/// The Realm public key (RSA-2048, SHA-256 ff8a8897…) as SPKI PEM.
pub const PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuJZVX85BEixoJVUh4l3K\n2J+XT7H122GTUPCVon9kPXkgxC62LuVR80Cn3YuNCl8JQqCSoQxSDwaO4QFVS2Do\nH6QqJdkWfVG45btCzrpWtcRTrDiUk75V0yjiyGQ7JZ8PqdsPOA3vCRvrcGSAuKWF\n6at+KjvYGgaIcd9CKmn7dku6NcdRS9GziuF/E87Q+sLfg355/w5Nf9x27Uw7o0D0\nlJXxqKvITsPGfCELMyY6hEznYm04aa5XLXHvP256lHsnV/ZrHFeuu/U5IBQUVs0M\nfipHTW9VCiRRHA9wYGNAVs2INsoHzvw+0a5ISa4VLJ1TMrRg3lFtVqyrlDrr4wbz\nAQIDAQAB\n-----END PUBLIC KEY-----";
/// The Realm public key in CoSync's raw form (standard base64 of the PEM), as the Portal's "Show Raw Key" shows it.
pub const RAW_PUBLIC_KEY: &str = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dLQ0FRRUF1SlpWWDg1QkVpeG9KVlVoNGwzSwoySitYVDdIMTIyR1RVUENWb245a1BYa2d4QzYyTHVWUjgwQ24zWXVOQ2w4SlFxQ1NvUXhTRHdhTzRRRlZTMkRvCkg2UXFKZGtXZlZHNDVidEN6cnBXdGNSVHJEaVVrNzVWMHlqaXlHUTdKWjhQcWRzUE9BM3ZDUnZyY0dTQXVLV0YKNmF0K0tqdllHZ2FJY2Q5Q0ttbjdka3U2TmNkUlM5R3ppdUYvRTg3UStzTGZnMzU1L3c1TmY5eDI3VXc3bzBEMApsSlh4cUt2SVRzUEdmQ0VMTXlZNmhFem5ZbTA0YWE1WExYSHZQMjU2bEhzblYvWnJIRmV1dS9VNUlCUVVWczBNCmZpcEhUVzlWQ2lSUkhBOXdZR05BVnMySU5zb0h6dncrMGE1SVNhNFZMSjFUTXJSZzNsRnRWcXlybERycjR3YnoKQVFJREFRQUIKLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0t";
/// The Realm public key (RSA-2048, SHA-256 ff8a8897…), decoded at compile time. It verifies this app's user JWTs.
pub const PUBLIC_KEY: ::cosync::PublicKey = ::cosync::PublicKey::from_static_components(
    b"\xB8\x96U_\xCEA\x12,h%U!\xE2]\xCA\xD8\x9F\x97O\xB1\xF5\xDBa\x93P\xF0\x95\xA2\x7Fd=y \xC4.\xB6.\xE5Q\xF3@\xA7\xDD\x8B\x8D\n_\tB\xA0\x92\xA1\x0CR\x0F\x06\x8E\xE1\x01UK`\xE8\x1F\xA4*%\xD9\x16}Q\xB8\xE5\xBBB\xCE\xBAV\xB5\xC4S\xAC8\x94\x93\xBEU\xD3(\xE2\xC8d;%\x9F\x0F\xA9\xDB\x0F8\r\xEF\t\x1B\xEBpd\x80\xB8\xA5\x85\xE9\xAB~*;\xD8\x1A\x06\x88q\xDFB*i\xFBvK\xBA5\xC7QK\xD1\xB3\x8A\xE1\x7F\x13\xCE\xD0\xFA\xC2\xDF\x83~y\xFF\x0EM\x7F\xDCv\xEDL;\xA3@\xF4\x94\x95\xF1\xA8\xAB\xC8N\xC3\xC6|!\x0B3&:\x84L\xE7bm8i\xAEW-q\xEF?nz\x94{'W\xF6k\x1CW\xAE\xBB\xF59 \x14\x14V\xCD\x0C~*GMoU\n$Q\x1C\x0Fp`c@V\xCD\x886\xCA\x07\xCE\xFC>\xD1\xAEHI\xAE\x15,\x9DS2\xB4`\xDEQmV\xAC\xAB\x94:\xEB\xE3\x06\xF3\x01",
    b"\x01\0\x01",
);
/// Everything above in one value. A `static`, so what it builds on first use (the user-JWT
/// verifier) is built once.
pub static CONFIG: ::cosync::Config = ::cosync::Config::__from_checked(
    ::cosync::AppToken::__from_verified(
        APP_TOKEN,
        APP_ID,
        APP_TOKEN_ISSUED_AT,
        ::core::option::Option::None,
        ::core::option::Option::None,
    ),
    ::cosync::RestAddress::__from_checked(COSYNC_REST_ADDRESS),
    REALM_APP_ID,
    PUBLIC_KEY,
);
::cosync::__define_client!(CONFIG);
