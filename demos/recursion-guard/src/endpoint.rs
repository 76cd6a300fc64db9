//! Which endpoint the demo talks to, and the refusal to talk to anything but loopback.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The SDK's own variable.
pub const ENDPOINT_ENV: &str = "AWS_ENDPOINT_URL";
pub const DEFAULT_ENDPOINT: &str = "http://localhost:4566";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub loopback: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("AWS_ENDPOINT_URL={0:?} is not an http:// URL with a host")]
    Malformed(String),
    #[error(
        "AWS_ENDPOINT_URL={0:?} is https; this demo is built without TLS (it only talks to LocalStack over plain HTTP)"
    )]
    Https(String),
    #[error(
        "refusing endpoint {0}: it is not loopback, and this demo must never run up somebody's AWS bill. \
         Point AWS_ENDPOINT_URL at a local LocalStack, or pass --allow-remote-endpoint if {0} really is a LocalStack"
    )]
    NotLoopback(String),
}

/// Resolves the endpoint from the value of `AWS_ENDPOINT_URL` (unset or empty: the default).
pub fn resolve(env_value: Option<&str>, allow_remote: bool) -> Result<Endpoint, EndpointError> {
    let url = env_value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or(DEFAULT_ENDPOINT)
        .trim_end_matches('/')
        .to_owned();
    if url.starts_with("https://") {
        return Err(EndpointError::Https(url));
    }
    let host = host_of(&url).ok_or_else(|| EndpointError::Malformed(url.clone()))?;
    let loopback = is_loopback_host(host);
    if !loopback && !allow_remote {
        return Err(EndpointError::NotLoopback(url));
    }
    Ok(Endpoint { url, loopback })
}

/// The host part of `http://host[:port][/path]`, brackets kept off IPv6 literals.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("http://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return None; // credentials in the URL: not something we want to send anywhere
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        authority.split(':').next()?
    };
    (!host.is_empty()).then_some(host)
}

/// Loopback by its literal form only: names other than `localhost` are not resolved, since a
/// name can resolve anywhere.
pub fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_localstack_on_localhost() {
        for unset in [None, Some(""), Some("  ")] {
            let endpoint = resolve(unset, false).unwrap();
            assert_eq!(endpoint.url, DEFAULT_ENDPOINT);
            assert!(endpoint.loopback);
        }
    }

    #[test]
    fn loopback_forms_are_accepted() {
        for url in [
            "http://127.0.0.1:4566",
            "http://127.1.2.3:4566/",
            "http://[::1]:4566",
            "http://LOCALHOST:4566",
        ] {
            assert!(resolve(Some(url), false).is_ok(), "{url}");
        }
    }

    #[test]
    fn anything_else_is_refused_unless_allowed() {
        for url in [
            "http://s3.amazonaws.com",
            "http://10.0.0.5:4566",
            "http://localhost.localstack.cloud:4566",
            "http://127.0.0.1.example.com:4566",
        ] {
            let error = resolve(Some(url), false).unwrap_err();
            assert!(matches!(error, EndpointError::NotLoopback(_)), "{url}");
            assert!(error.to_string().contains("--allow-remote-endpoint"));
            let allowed = resolve(Some(url), true).unwrap();
            assert!(!allowed.loopback);
        }
    }

    #[test]
    fn https_and_junk_are_refused_even_when_remote_is_allowed() {
        assert!(matches!(
            resolve(Some("https://localhost:4566"), true),
            Err(EndpointError::Https(_))
        ));
        for junk in [
            "localhost:4566",
            "ftp://localhost",
            "http://",
            "http://u:p@localhost",
        ] {
            assert!(
                matches!(resolve(Some(junk), true), Err(EndpointError::Malformed(_))),
                "{junk}"
            );
        }
    }
}
