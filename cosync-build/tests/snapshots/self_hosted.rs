/// The CoSync App Token, verified with `app_token_key` (SHA-256 713ccc67…) when this code was generated.
pub const APP_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6IjVjMmE4ZTRiMWYzZDRhNmU5YjdjMGQxZTJmM2E0YjVjIiwic2NvcGUiOiJhcHAiLCJpYXQiOjE3NjQ1NDcyMDB9.qQMTSGPtDU5gcOMFpSB5haoXbUplm64gkZ7yCZoCyiTC-Qn3uHzLSTnQXoEjhSymyGrjLFjHbNAkvaDZnNYIwKhcC5Ym3vmCDamPb5aYBT7WpehoaCkUwEfJ_b_6x5fgfNtVLordIEymYYfhFXYuUS_6Kn3c3YCOELvxgeZn08g-MvfSdm9yymElS38Qs_BsEjaxwq72akU5i8QptPyz2z_VWded7d7fZsekytum8haQeS8X2tXlJAo2cmlZojW1n3vCed5AEInK2bcM5zl0yRCjdmEnwvTnUbMvqrhSt2-Dl3E05cv5V4VjgMopeLMCU3yR6mk_2UduXOuB_YTFFqtae1ZMp2D819rcg2ZHZb1VZUObjg3agu9CMGqJvsXOI2zq7kGfbToW_vP8ODQtsLDTr_mqVG__lBNrGJO9scloSf139A_56hGXDL6V3sE2z2gPJwr0qILOnPu9bdQkThPv8PCwgwGWm4gxbfa3R1ig8RHeIqExSag97aQG8B1a";
/// The app token's `appId` claim: the CoSync app id.
pub const APP_ID: &str = "5c2a8e4b1f3d4a6e9b7c0d1e2f3a4b5c";
/// The app token's `iat` claim (2025-12-01T00:00:00Z), in Unix seconds.
pub const APP_TOKEN_ISSUED_AT: u64 = 1764547200;
/// The CoSync REST base address, without a trailing `/`.
pub const COSYNC_REST_ADDRESS: &str = "https://auth.example.test";
/// The MongoDB Realm / App Services app id: the `aud` of this app's user JWTs.
pub const REALM_APP_ID: ::core::option::Option<&str> = ::core::option::Option::Some(
    "fixture-abcde",
);
/// The Realm public key (RSA-2048, SHA-256 871ea522…) as SPKI PEM.
pub const PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmxENfeElErTOGnH83m22\nAvt0092RtqbEc1f078LwkzTuZn9kXbpOqUpoS0fE1MV7PcDLoCWEbOKzUlMzK8p4\nMxAvz4WO29Vt3J2sp+RpDQiBhihCwj3hedlwm6m7cI3F4ceOHlVGRVGNQbl0la/2\nn24ObqmLl7RvR2MGhLkFgtV6kkF97OHlc7FYbSv24m18LA+4uLAUt3h5QPCGuGAy\ntrJEXquWZk+l8RiOCCvQ0ustsXeRU4hHJeAb0XkezXcQhUcynQ0UiDpuQCbiT7Zo\nkF1Tet+MMLtNKkyEFjPjE/x91Csf55sO3NSrnetBB2bhFgjlEouGfXC5keRXuyZ9\noQIDAQAB\n-----END PUBLIC KEY-----";
/// The Realm public key in CoSync's raw form (standard base64 of the PEM), as the Portal's "Show Raw Key" shows it.
pub const RAW_PUBLIC_KEY: &str = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dLQ0FRRUFteEVOZmVFbEVyVE9Hbkg4M20yMgpBdnQwMDkyUnRxYkVjMWYwNzhMd2t6VHVabjlrWGJwT3FVcG9TMGZFMU1WN1BjRExvQ1dFYk9LelVsTXpLOHA0Ck14QXZ6NFdPMjlWdDNKMnNwK1JwRFFpQmhpaEN3ajNoZWRsd202bTdjSTNGNGNlT0hsVkdSVkdOUWJsMGxhLzIKbjI0T2JxbUxsN1J2UjJNR2hMa0ZndFY2a2tGOTdPSGxjN0ZZYlN2MjRtMThMQSs0dUxBVXQzaDVRUENHdUdBeQp0ckpFWHF1V1prK2w4UmlPQ0N2UTB1c3RzWGVSVTRoSEplQWIwWGtlelhjUWhVY3luUTBVaURwdVFDYmlUN1pvCmtGMVRldCtNTUx0TktreUVGalBqRS94OTFDc2Y1NXNPM05Tcm5ldEJCMmJoRmdqbEVvdUdmWEM1a2VSWHV5WjkKb1FJREFRQUIKLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0t";
/// The Realm public key (RSA-2048, SHA-256 871ea522…), decoded at compile time. It verifies this app's user JWTs.
pub const PUBLIC_KEY: ::cosync::PublicKey = ::cosync::PublicKey::from_static_components(
    b"\x9B\x11\r}\xE1%\x12\xB4\xCE\x1Aq\xFC\xDEm\xB6\x02\xFBt\xD3\xDD\x91\xB6\xA6\xC4sW\xF4\xEF\xC2\xF0\x934\xEEf\x7Fd]\xBAN\xA9JhKG\xC4\xD4\xC5{=\xC0\xCB\xA0%\x84l\xE2\xB3RS3+\xCAx3\x10/\xCF\x85\x8E\xDB\xD5m\xDC\x9D\xAC\xA7\xE4i\r\x08\x81\x86(B\xC2=\xE1y\xD9p\x9B\xA9\xBBp\x8D\xC5\xE1\xC7\x8E\x1EUFEQ\x8DA\xB9t\x95\xAF\xF6\x9Fn\x0En\xA9\x8B\x97\xB4oGc\x06\x84\xB9\x05\x82\xD5z\x92A}\xEC\xE1\xE5s\xB1Xm+\xF6\xE2m|,\x0F\xB8\xB8\xB0\x14\xB7xy@\xF0\x86\xB8`2\xB6\xB2D^\xAB\x96fO\xA5\xF1\x18\x8E\x08+\xD0\xD2\xEB-\xB1w\x91S\x88G%\xE0\x1B\xD1y\x1E\xCDw\x10\x85G2\x9D\r\x14\x88:n@&\xE2O\xB6h\x90]Sz\xDF\x8C0\xBBM*L\x84\x163\xE3\x13\xFC}\xD4+\x1F\xE7\x9B\x0E\xDC\xD4\xAB\x9D\xEBA\x07f\xE1\x16\x08\xE5\x12\x8B\x86}p\xB9\x91\xE4W\xBB&}\xA1",
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
