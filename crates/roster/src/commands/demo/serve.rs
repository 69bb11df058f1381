//! `roster demo --serve`: after the demo's sync, `roster serve` over the demo
//! config and store, with the simulators still running and the demo's secrets
//! still in memory, so that Sync now works. A spare simulated workspace is
//! printed for trying Connect.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

use anyhow::Result;
use roster_workato_sim::{Simulator, WorkspaceSpec};
use serde_json::Value;

use crate::serve::ServeOptions;

pub(super) async fn run(
    sim: &Simulator,
    listen: SocketAddr,
    config: &Path,
    store: &str,
    overrides: BTreeMap<String, Value>,
) -> Result<u8> {
    let mut spec = WorkspaceSpec::generated(99, 150, 4242);
    spec.name = "spare workspace (simulated)".into();
    let spare = sim.add_workspace(spec);
    println!();
    println!(
        "to try Connect: Integrations → Workato → Connect, data center \"Virtual Private Workato (custom URL)\","
    );
    println!("  base URL {} and the spare workspace's simulator token {}", sim.base_url(), spare.token());
    println!();
    let options = ServeOptions {
        listen,
        config: config.to_owned(),
        store: Some(store.to_owned()),
        allow_remote: false,
        overrides,
    };
    crate::serve::run(roster_connectors::registry()?, options).await
}
