//! Names every connector crate, and its simulator, so the linker keeps their
//! registrations.
//!
//! A crate that is a dependency but never named in code is dropped by the
//! linker, and its `register_connector!` (or `register_demo!`) with it. This
//! file is the one place that lists them: one line per connector, naming the
//! connector and its simulator (whose demo fixture `roster demo` runs).

use {roster_github as _, roster_github_sim as _};
use {roster_google_workspace as _, roster_google_workspace_sim as _};
use {roster_microsoft365 as _, roster_microsoft365_sim as _};
use {roster_workato as _, roster_workato_sim as _};
use {roster_zoom as _, roster_zoom_sim as _};

/// Call from any binary or test that needs the registries filled.
pub fn link() {}

/// Every connector id this build must register.
pub const EXPECTED_IDS: &[&str] = &["github", "google_workspace", "microsoft365", "workato", "zoom"];

/// The registry with every linked connector.
pub fn registry() -> Result<roster_core::Registry, roster_core::DuplicateConnectorId> {
    link();
    roster_core::Registry::load()
}

/// Every linked simulator's demo fixture, by connector id.
pub fn demos() -> Vec<&'static roster_sim_kit::demo::DemoDescriptor> {
    link();
    roster_sim_kit::demo::registered()
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

    #[test]
    fn every_connector_has_one_demo_fixture() {
        let demos: Vec<&str> = super::demos().iter().map(|d| d.connector).collect();
        assert_eq!(demos, super::EXPECTED_IDS);
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
