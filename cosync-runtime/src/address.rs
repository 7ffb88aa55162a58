//! The CoSync REST base address.

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// The hosted CoSync Auth sandbox, the default address of every CoSync SDK.
pub const SANDBOX: &str = "https://sandbox.cosync.net";

/// A validated CoSync REST base address: `https://host[:port][/path]`, no trailing `/`.
///
/// Plain `http://` is accepted only for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`), where a
/// local CoSync server or the emulator runs; anything else would send tokens in clear.
///
/// ```
/// use cosync_runtime::RestAddress;
///
/// let address: RestAddress = "https://auth.example.com/".parse()?;
/// assert_eq!(address.as_str(), "https://auth.example.com");
/// assert_eq!(address.url("api/appuser/login"), "https://auth.example.com/api/appuser/login");
/// assert!("http://auth.example.com".parse::<RestAddress>().is_err());
/// # Ok::<(), cosync_runtime::AddressError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RestAddress(Cow<'static, str>);

/// Why a REST address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressError {
    /// Nothing but whitespace.
    #[error("the address is empty")]
    Empty,
    /// Whitespace or control characters inside.
    #[error("the address contains whitespace")]
    Whitespace,
    /// No `scheme://`.
    #[error("the address is not an absolute URL (it must start with `https://`)")]
    NotAbsolute,
    /// A scheme other than http(s).
    #[error("the address uses `{scheme}:`; only `https://` is supported")]
    UnsupportedScheme {
        /// The scheme found (shortened if long).
        scheme: String,
    },
    /// `http://` to a host that is not loopback.
    #[error(
        "plain `http://` would send tokens unencrypted to `{host}`; use `https://` (plain http is allowed only for localhost, 127.0.0.1 and [::1])"
    )]
    InsecureHttp {
        /// The host.
        host: String,
    },
    /// No host after `://`.
    #[error("the address has no host")]
    MissingHost,
    /// A host that is not a DNS name or an IP address.
    #[error("the address's host is not a valid DNS name or IP address")]
    InvalidHost,
    /// A port that is not 1–65535.
    #[error("the address's port is not a number from 1 to 65535")]
    InvalidPort,
    /// `user:password@` in the URL.
    #[error("the address contains credentials (`user@` or `user:password@`); remove them")]
    Credentials,
    /// A `?query` or `#fragment`.
    #[error(
        "the address has a query or fragment (`?` or `#`); give only scheme, host, port and path"
    )]
    QueryOrFragment,
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return ip.is_loopback();
    }
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<Ipv6Addr>().ok())
        .is_some_and(|ip| ip.is_loopback())
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        return inner
            .strip_suffix(']')
            .is_some_and(|ip| ip.parse::<Ipv6Addr>().is_ok());
    }
    if host.parse::<Ipv4Addr>().is_ok() {
        return true;
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

impl RestAddress {
    /// The hosted sandbox, `https://sandbox.cosync.net`.
    pub const SANDBOX: RestAddress = RestAddress(Cow::Borrowed(SANDBOX));

    /// Parses and normalises an address (a trailing `/` is removed, scheme and host lowercased).
    pub fn parse(address: &str) -> Result<Self, AddressError> {
        let address = address.trim();
        if address.is_empty() {
            return Err(AddressError::Empty);
        }
        if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(AddressError::Whitespace);
        }
        let (scheme, rest) = address.split_once("://").ok_or(AddressError::NotAbsolute)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(AddressError::UnsupportedScheme {
                scheme: scheme.chars().take(16).collect(),
            });
        }
        if rest.contains(['?', '#']) {
            return Err(AddressError::QueryOrFragment);
        }
        let (authority, path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(AddressError::Credentials);
        }
        let (host, port) = split_port(authority)?;
        if host.is_empty() {
            return Err(AddressError::MissingHost);
        }
        if !valid_host(host) {
            return Err(AddressError::InvalidHost);
        }
        let host = host.to_ascii_lowercase();
        if scheme == "http" && !is_loopback(&host) {
            return Err(AddressError::InsecureHttp { host });
        }
        let path = path.trim_end_matches('/');
        let mut out = format!("{scheme}://{host}");
        if let Some(port) = port {
            out.push(':');
            out.push_str(&port.to_string());
        }
        out.push_str(path);
        Ok(RestAddress(Cow::Owned(out)))
    }

    #[doc(hidden)]
    /// Used by generated code for an address checked at compile time.
    pub const fn __from_checked(address: &'static str) -> Self {
        RestAddress(Cow::Borrowed(address))
    }

    /// The address, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host, lowercased (IPv6 addresses keep their brackets).
    pub fn host(&self) -> &str {
        let rest = self.0.split_once("://").map_or(&*self.0, |(_, rest)| rest);
        let authority = rest.split('/').next().unwrap_or(rest);
        split_port(authority).map_or(authority, |(host, _)| host)
    }

    /// Whether the host is a loopback host (where plain `http://` is allowed).
    pub fn is_loopback(&self) -> bool {
        is_loopback(self.host())
    }

    /// The URL of an endpoint: the address, exactly one `/`, then `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.0, path.trim_start_matches('/'))
    }
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), AddressError> {
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(close) => {
                let (host, rest) = authority.split_at(close + 1);
                match rest.strip_prefix(':') {
                    Some(port) => (host, Some(port)),
                    None if rest.is_empty() => (host, None),
                    None => return Err(AddressError::InvalidHost),
                }
            }
            None => return Err(AddressError::InvalidHost),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(port) => match port.parse::<u16>() {
            Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => Some(p),
            _ => return Err(AddressError::InvalidPort),
        },
    };
    Ok((host, port))
}

impl Default for RestAddress {
    fn default() -> Self {
        RestAddress::SANDBOX
    }
}

impl FromStr for RestAddress {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RestAddress::parse(s)
    }
}

impl fmt::Display for RestAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RestAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RestAddress({:?})", &*self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        let cases = [
            ("https://sandbox.cosync.net", "https://sandbox.cosync.net"),
            ("HTTPS://Sandbox.Cosync.NET/", "https://sandbox.cosync.net"),
            (
                "https://auth.example.com:8443/cosync//",
                "https://auth.example.com:8443/cosync",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://localhost:3000/", "http://localhost:3000"),
            ("http://[::1]:9", "http://[::1]:9"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                RestAddress::parse(input).unwrap().as_str(),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn host_and_loopback() {
        let a = RestAddress::parse("http://[::1]:9/x").unwrap();
        assert_eq!(a.host(), "[::1]");
        assert!(a.is_loopback());
        let b = RestAddress::parse("https://rest.cosync.net").unwrap();
        assert_eq!(b.host(), "rest.cosync.net");
        assert!(!b.is_loopback());
        assert_eq!(
            b.url("/api/appuser/login"),
            "https://rest.cosync.net/api/appuser/login"
        );
    }

    #[test]
    fn refuses_bad_addresses() {
        let cases = [
            ("", AddressError::Empty),
            ("sandbox.cosync.net", AddressError::NotAbsolute),
            (
                "ftp://x.net",
                AddressError::UnsupportedScheme {
                    scheme: "ftp".into(),
                },
            ),
            (
                "http://sandbox.cosync.net",
                AddressError::InsecureHttp {
                    host: "sandbox.cosync.net".into(),
                },
            ),
            (
                "http://127.0.0.1.evil.com",
                AddressError::InsecureHttp {
                    host: "127.0.0.1.evil.com".into(),
                },
            ),
            ("https://", AddressError::MissingHost),
            ("https://bad_host!", AddressError::InvalidHost),
            ("https://x.net:0", AddressError::InvalidPort),
            ("https://x.net:99999", AddressError::InvalidPort),
            ("https://u:p@x.net", AddressError::Credentials),
            ("https://x.net/?a=1", AddressError::QueryOrFragment),
            ("https://x .net", AddressError::Whitespace),
        ];
        for (input, expected) in cases {
            assert_eq!(RestAddress::parse(input), Err(expected), "{input}");
        }
    }
}
