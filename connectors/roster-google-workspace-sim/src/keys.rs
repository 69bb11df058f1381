//! The simulator's RSA keys: three 2048-bit PKCS#8 **test keys**, embedded in this crate
//! (`src/keys/*.pem`). They protect nothing: every service account the simulator makes
//! signs with one of them, and a "bad signature" key file carries another one.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{KeyPair, RSA_PKCS1_2048_8192_SHA256, RsaKeyPair, UnparsedPublicKey};

/// The embedded test keys, as PEM.
pub const TEST_KEYS: [&str; 3] =
    [include_str!("keys/key1.pem"), include_str!("keys/key2.pem"), include_str!("keys/key3.pem")];

/// The DER body of a PEM (the base64 between the `-----` lines).
pub(crate) fn der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(body.trim()).ok()
}

/// The RSA public key (DER) of test key `i` (taken modulo the number of keys).
fn public_key(i: usize) -> &'static [u8] {
    static KEYS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        TEST_KEYS
            .iter()
            .map(|pem| {
                der(pem)
                    .and_then(|d| RsaKeyPair::from_pkcs8(&d).ok())
                    .map(|k| k.public_key().as_ref().to_vec())
                    .unwrap_or_default()
            })
            .collect()
    });
    &keys[i % keys.len()]
}

/// Whether `signature` is test key `i`'s RS256 signature of `message`.
pub(crate) fn verify(i: usize, message: &[u8], signature: &[u8]) -> bool {
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_key(i)).verify(message, signature).is_ok()
}
