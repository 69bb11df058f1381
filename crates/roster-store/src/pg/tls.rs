//! TLS to Postgres, as libpq's `sslmode` and `sslrootcert` describe it.
//!
//! | sslmode | encrypted | chain checked | host name checked |
//! |---|---|---|---|
//! | `disable` | no | – | – |
//! | `prefer` (the default) | when the server offers TLS; plain otherwise | only with `sslrootcert` | no |
//! | `require` | yes | only with `sslrootcert` | no |
//! | `verify-ca` | yes | yes | no |
//! | `verify-full` | yes | yes | yes |
//!
//! The chain is checked against `sslrootcert` (a PEM file of CA
//! certificates), or, when it is absent or `system`, against the Mozilla
//! roots built in (webpki-roots). rustls does the TLS; tokio-postgres-rustls
//! plugs it into tokio-postgres.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::{Result, StoreError};

/// How the store URL asks for TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

const MODES: [(&str, SslMode); 5] = [
    ("disable", SslMode::Disable),
    ("prefer", SslMode::Prefer),
    ("require", SslMode::Require),
    ("verify-ca", SslMode::VerifyCa),
    ("verify-full", SslMode::VerifyFull),
];

impl SslMode {
    /// libpq's default, and so Roster's: TLS when the server offers it.
    pub(crate) const DEFAULT: SslMode = SslMode::Prefer;

    fn parse(text: &str) -> Option<SslMode> {
        MODES.iter().find(|(name, _)| *name == text).map(|(_, mode)| *mode)
    }

    /// What tokio-postgres is told: whether TLS may, or must, be used.
    pub(crate) fn negotiation(self) -> tokio_postgres::config::SslMode {
        match self {
            SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                tokio_postgres::config::SslMode::Require
            }
        }
    }
}

/// The TLS settings of a store URL, with the URL left for tokio-postgres.
#[derive(Debug)]
pub(crate) struct TlsSettings {
    /// The URL without `sslmode` and `sslrootcert`, which Roster reads itself.
    pub(crate) rest: String,
    pub(crate) mode: SslMode,
    /// The CA file, if one was named (`system` means the built-in roots).
    pub(crate) root: Option<String>,
}

fn bad_url(shown: &str, detail: String) -> StoreError {
    StoreError::BadUrl { url: shown.to_owned(), detail }
}

/// Reads `sslmode` and `sslrootcert` from the URL's query, keeping every
/// other part of it byte for byte.
pub(crate) fn settings(location: &str, shown: &str) -> Result<TlsSettings> {
    let (base, query) = location.split_once('?').unwrap_or((location, ""));
    let mut kept = Vec::new();
    let (mut mode, mut root) = (None, None);
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = url::form_urlencoded::parse(part.as_bytes()).next().unwrap_or_default();
        match key.as_ref() {
            "sslmode" => {
                let parsed = SslMode::parse(&value).ok_or_else(|| {
                    let names: Vec<&str> = MODES.iter().map(|(n, _)| *n).collect();
                    bad_url(shown, format!("sslmode '{value}' is not one of {}", names.join(", ")))
                })?;
                mode = Some(parsed);
            }
            "sslrootcert" => root = Some(value.into_owned()).filter(|v| !v.is_empty()),
            _ => kept.push(part),
        }
    }
    let rest = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
    Ok(TlsSettings { rest, mode: mode.unwrap_or(SslMode::DEFAULT), root })
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The CA certificates to check the server's chain against.
fn roots(root: Option<&str>, shown: &str) -> Result<RootCertStore> {
    let Some(path) = root.filter(|r| *r != "system") else {
        return Ok(RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() });
    };
    let unreadable = |detail: String| bad_url(shown, format!("sslrootcert {path}: {detail}"));
    let bytes = std::fs::read(path).map_err(|e| unreadable(format!("could not read it: {e}")))?;
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| unreadable(format!("not a PEM certificate file: {e}")))?;
        store.add(cert).map_err(|e| unreadable(format!("holds a certificate rustls refuses: {e}")))?;
    }
    if store.is_empty() {
        return Err(unreadable("holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned()));
    }
    Ok(store)
}

/// The rustls connector for `settings`: what it checks follows libpq.
pub(crate) fn connector(settings: &TlsSettings, shown: &str) -> Result<MakeRustlsConnect> {
    let provider = provider();
    let root = settings.root.as_deref();
    let webpki = webpki(roots(root, shown)?, &provider, shown)?;
    let verifier: Arc<dyn ServerCertVerifier> = match settings.mode {
        SslMode::VerifyFull => webpki,
        SslMode::VerifyCa => Arc::new(Lenient { webpki, check_chain: true }),
        // libpq checks the chain in these modes only when given a CA file.
        SslMode::Disable | SslMode::Prefer | SslMode::Require => {
            Arc::new(Lenient { webpki, check_chain: root.is_some() })
        }
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad_url(shown, format!("tls: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn webpki(
    roots: RootCertStore,
    provider: &Arc<CryptoProvider>,
    shown: &str,
) -> Result<Arc<WebPkiServerVerifier>> {
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| bad_url(shown, format!("sslrootcert: {e}")))
}

/// A verifier that checks less than `verify-full`, always checking that the
/// server holds its certificate's key: `verify-ca` (and `require` or
/// `prefer` with a CA file) checks that the chain leads to a trusted CA but
/// not the name; `require` and `prefer` without one trust any certificate.
/// rustls checks the name last, after the chain, so a name error means the
/// chain passed.
#[derive(Debug)]
struct Lenient {
    webpki: Arc<WebPkiServerVerifier>,
    check_chain: bool,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if !self.check_chain {
            return Ok(ServerCertVerified::assertion());
        }
        match self.webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_and_sslrootcert_are_taken_out_and_the_rest_kept_byte_for_byte() {
        let s = settings(
            "postgres://u:p%40w@db:5432/x?options=-c%20search_path%3Da&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=r",
            "shown",
        )
        .unwrap();
        assert_eq!(s.rest, "postgres://u:p%40w@db:5432/x?options=-c%20search_path%3Da&application_name=r");
        assert_eq!((s.mode, s.root.as_deref()), (SslMode::VerifyFull, Some("/etc/ca.pem")));
        let s = settings("postgresql://db/x", "shown").unwrap();
        assert_eq!((s.rest.as_str(), s.mode, s.root), ("postgresql://db/x", SslMode::Prefer, None));
        assert_eq!(settings("postgres://db/x?sslmode=disable", "s").unwrap().rest, "postgres://db/x");
    }

    #[test]
    fn a_bad_sslmode_names_the_key_and_the_choices_but_not_the_password() {
        let err = settings("postgres://u:secret@db/x?sslmode=bogus", "postgres://u:***@db/x").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("sslmode 'bogus' is not one of disable, prefer, require, verify-ca, verify-full"),
            "{msg}"
        );
        assert!(msg.starts_with("store url postgres://u:***@db/x: "), "{msg}");
        assert!(!msg.contains("secret"), "{msg}");
    }

    #[test]
    fn a_missing_or_empty_ca_file_is_named() {
        let s = settings("postgres://db/x?sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem", "s").unwrap();
        let msg = connector(&s, "s").err().unwrap().to_string();
        assert!(msg.contains("sslrootcert /nonexistent/ca.pem: could not read it"), "{msg}");
        let dir = tempfile::TempDir::new().unwrap();
        let empty = dir.path().join("ca.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let s = TlsSettings {
            rest: String::new(),
            mode: SslMode::VerifyFull,
            root: Some(empty.display().to_string()),
        };
        let msg = connector(&s, "s").err().unwrap().to_string();
        assert!(msg.contains("holds no PEM certificate"), "{msg}");
    }

    #[test]
    fn every_mode_builds_with_the_built_in_roots() {
        for (name, mode) in MODES {
            let s = TlsSettings { rest: String::new(), mode, root: None };
            assert!(connector(&s, "s").is_ok(), "{name}");
        }
        let s = TlsSettings { rest: String::new(), mode: SslMode::VerifyFull, root: Some("system".into()) };
        assert!(connector(&s, "s").is_ok());
    }
}
