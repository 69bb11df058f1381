//! Embeds the setup-form bundle (`web/dist/roster-form.js`, built by
//! `npm ci && npm run build` in `web/`) for `roster serve`. Without it the
//! binary still builds, and its forms say how to build the bundle.

use std::path::PathBuf;

const MISSING: &str = r#"window.RosterForm = { render(element) {
  element.innerHTML = '<p class="error">The form bundle was not built. Run <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>, then rebuild roster.</p>';
  return { setErrors() {} };
} };
"#;

fn main() {
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let bundle = manifest.join("../../web/dist/roster-form.js");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("roster-form.js");
    println!("cargo::rerun-if-changed={}", bundle.display());
    let (bytes, built) = match std::fs::read(&bundle) {
        Ok(b) => (b, "built"),
        Err(_) => (MISSING.as_bytes().to_vec(), "missing"),
    };
    std::fs::write(&out, bytes).expect("write the embedded bundle");
    println!("cargo::rustc-env=ROSTER_FORM_BUNDLE={built}");
}
