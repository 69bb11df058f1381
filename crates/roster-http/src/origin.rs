//! Which origins a connector may talk to.

use std::net::IpAddr;

use url::{Host, Url};

/// Why a base URL was refused. The messages say what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    #[error("expected an absolute url such as https://workato.example.com")]
    NotAUrl,
    #[error("expected an https:// url")]
    BadScheme,
    #[error("plain http:// is only allowed to loopback hosts (127.0.0.0/8, ::1, localhost); use https://")]
    PlainHttp,
    #[error(
        "expected just an origin (scheme, host and optional port), without a path, query, fragment or user info"
    )]
    HasExtras,
}

/// Parses a base URL that must be a bare origin: `https://host[:port]`, or
/// `http://` to a loopback host. A trailing `/` is accepted.
pub fn parse_origin(input: &str) -> Result<Url, OriginError> {
    let url = Url::parse(input.trim()).map_err(|_| OriginError::NotAUrl)?;
    let host = url.host().ok_or(OriginError::NotAUrl)?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => return Err(OriginError::PlainHttp),
        _ => return Err(OriginError::BadScheme),
    }
    if (url.path() != "/" && !url.path().is_empty())
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(OriginError::HasExtras);
    }
    Ok(url)
}

/// True for 127.0.0.0/8, ::1 and `localhost`.
pub(crate) fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_are_accepted() {
        for ok in [
            "https://workato.example.com",
            "https://workato.example.com/",
            "https://workato.example.com:8443",
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://[::1]:9000",
            "http://localhost:3000/",
        ] {
            assert!(parse_origin(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        assert_eq!(parse_origin("http://workato.example.com"), Err(OriginError::PlainHttp));
        assert_eq!(parse_origin("http://10.0.0.1"), Err(OriginError::PlainHttp));
        assert_eq!(parse_origin("http://localhost.evil.com"), Err(OriginError::PlainHttp));
        assert_eq!(parse_origin("ftp://x.example.com"), Err(OriginError::BadScheme));
        assert_eq!(parse_origin("workato.example.com"), Err(OriginError::NotAUrl));
        assert_eq!(parse_origin("https://x.example.com/api"), Err(OriginError::HasExtras));
        assert_eq!(parse_origin("https://u:p@x.example.com"), Err(OriginError::HasExtras));
        assert_eq!(parse_origin("https://x.example.com/?a=1"), Err(OriginError::HasExtras));
    }
}
