//! The hosted CoSync Auth servers and the public keys that sign their app tokens (COSYNC.md 7.2).

use cosync_runtime::PublicKey;

/// A hosted CoSync Auth server whose app-token signing key is built in.
#[derive(Debug)]
pub struct HostedServer {
    /// The host name, e.g. `sandbox.cosync.net`.
    pub host: &'static str,
    /// SHA-256 of the key's SPKI DER, lowercase hex.
    pub fingerprint: &'static str,
    pem: &'static str,
}

impl HostedServer {
    /// The server's public key.
    pub fn key(&self) -> PublicKey {
        // The PEMs are fixed and checked by a test; a parse failure is impossible.
        PublicKey::from_pem(self.pem)
            .unwrap_or_else(|_| unreachable!("built-in key of {}", self.host))
    }
}

/// Hosted servers with built-in keys. The keys were recovered from published app tokens (two
/// tokens signed by one key determine its modulus) and verify every published token of their host.
pub const HOSTED_SERVERS: [HostedServer; 2] = [
    HostedServer {
        host: "sandbox.cosync.net",
        fingerprint: "7fb17f06a310c83a236ddc39c9243b709d4c2e17aae382af676ab0c9332d9692",
        pem: include_str!("hosted/sandbox.cosync.net.pem"),
    },
    HostedServer {
        host: "rest.cosync.net",
        fingerprint: "fc3bfa86937242b51538e455991a8f7c822f7ffe930d947d35b59bed75cecf6e",
        pem: include_str!("hosted/rest.cosync.net.pem"),
    },
];

/// The hosted server for a host name, if its key is built in.
pub fn for_host(host: &str) -> Option<&'static HostedServer> {
    HOSTED_SERVERS
        .iter()
        .find(|s| s.host.eq_ignore_ascii_case(host))
}

/// Hosts CoSync has retired, with a note for diagnostics.
pub(crate) fn retired_note(host: &str) -> Option<&'static str> {
    (host == "rest-dev.cosync.net")
        .then_some("rest-dev.cosync.net was CoSync's 2020–2021 development host and is retired")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_keys_have_their_published_fingerprints() {
        for server in &HOSTED_SERVERS {
            let key = server.key();
            assert_eq!(
                key.fingerprint().to_string(),
                server.fingerprint,
                "{}",
                server.host
            );
            assert_eq!(key.bits(), 3072, "{}", server.host);
            assert_eq!(key.exponent(), &[1, 0, 1]);
        }
    }

    #[test]
    fn looks_up_hosts() {
        assert_eq!(
            for_host("sandbox.cosync.net").unwrap().host,
            "sandbox.cosync.net"
        );
        assert_eq!(for_host("REST.cosync.net").unwrap().host, "rest.cosync.net");
        assert!(for_host("rest-dev.cosync.net").is_none());
    }
}
