//! Names every connector crate so the linker keeps their registrations.
//!
//! A connector crate that is a dependency but never named in code is dropped
//! by the linker, and its `register_connector!` with it. This file is the one
//! place that lists them: add one `use` line per connector.

use roster_workato as _;
use roster_zoom as _;

/// Call from any binary or test that needs the registry filled.
pub fn link() {}

/// Every connector id this build must register.
pub const EXPECTED_IDS: &[&str] = &["workato", "zoom"];

/// The registry with every linked connector.
pub fn registry() -> Result<roster_core::Registry, roster_core::DuplicateConnectorId> {
    link();
    roster_core::Registry::load()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_expected_connector_is_registered_once() {
        let registry = super::registry().expect("no duplicate ids");
        assert_eq!(registry.ids(), super::EXPECTED_IDS);
        for d in registry.iter() {
            assert!(
                d.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{}",
                d.id
            );
            assert!(!d.coverage.is_empty(), "{} declares no field coverage", d.id);
        }
    }

    /// The test kit's simulator-free checks, on every registered connector: forms with
    /// every field titled and described, secrets marked, coverage with sources. Each
    /// connector's own tests run the full suite against its simulator.
    #[test]
    fn every_registered_connector_passes_the_descriptor_checks() {
        let registry = super::registry().expect("no duplicate ids");
        let problems: Vec<String> =
            registry.iter().flat_map(roster_testkit::conformance::descriptor_problems).collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
