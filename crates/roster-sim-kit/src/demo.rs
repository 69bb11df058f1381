//! Demo fixtures: each simulator crate registers what `roster demo` starts for its
//! connector, the way connectors register themselves, so the runner names no vendor.
//!
//! ```ignore
//! fn start() -> roster_sim_kit::demo::Starting {
//!     Box::pin(async { /* start the simulator, add tenants, describe the accounts */ })
//! }
//! roster_sim_kit::register_demo!(roster_sim_kit::demo::DemoDescriptor { connector: "zoom", start });
//! ```

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

/// A demo fixture starting.
pub type Starting = Pin<Box<dyn Future<Output = std::io::Result<Demo>> + Send>>;

/// One simulator's part of `roster demo`.
pub struct DemoDescriptor {
    /// The connector its accounts use.
    pub connector: &'static str,
    /// Starts the simulator on loopback with the demo's tenants.
    pub start: fn() -> Starting,
}

inventory::collect!(DemoDescriptor);

/// Registers a [`DemoDescriptor`]. The crate must be named by the aggregator crate, or
/// the linker drops the registration.
#[macro_export]
macro_rules! register_demo {
    ($descriptor:expr) => {
        $crate::__private::inventory::submit! { $descriptor }
    };
}

/// Every linked demo fixture, by connector id.
pub fn registered() -> Vec<&'static DemoDescriptor> {
    let mut all: Vec<_> = inventory::iter::<DemoDescriptor>.into_iter().collect();
    all.sort_by_key(|d| d.connector);
    all
}

/// A started simulator and the accounts that reach it.
pub struct Demo {
    /// What is simulated ("workato", "zoom"), for "… simulator listening on …".
    pub name: &'static str,
    pub base_url: String,
    pub accounts: Vec<DemoAccount>,
    /// Lines telling how to try Connect in `roster serve` against this simulator (a
    /// spare tenant's credentials); empty when there is nothing to try.
    pub connect_hint: Vec<String>,
    /// The running simulator: dropping it stops the server.
    pub server: Box<dyn Any + Send + Sync>,
}

/// Starts a simulator and makes one demo account of each row of `rows` with `account`
/// (which adds the row's tenant); `hint` adds a spare tenant to try Connect with, if the
/// vendor offers one. The common shape of every simulator's `start`.
pub fn start_with<V: crate::Vendor, R: Sync + 'static>(
    name: &'static str,
    rows: &'static [R],
    account: fn(&crate::Sim<V>, &str, usize, &R) -> DemoAccount,
    hint: fn(&crate::Sim<V>) -> Vec<String>,
) -> Starting {
    Box::pin(async move {
        let sim = crate::Sim::<V>::start().await?;
        let base_url = sim.base_url();
        let accounts = rows.iter().enumerate().map(|(i, row)| account(&sim, &base_url, i, row)).collect();
        let connect_hint = hint(&sim);
        Ok(Demo { name, base_url, accounts, connect_hint, server: Box::new(sim) })
    })
}

/// One demo account: its file is written from this, its secrets stay in memory.
pub struct DemoAccount {
    /// The account id (the file stem).
    pub id: String,
    /// What the file holds, for its comment ("a Zoom account").
    pub what: String,
    /// `[credentials]` without secrets, in file order.
    pub credentials: Vec<(&'static str, Value)>,
    /// The secret `[credentials]` keys and values, handed to the config loader in memory.
    pub secrets: Vec<(&'static str, String)>,
    /// `[settings]`, in file order.
    pub settings: Vec<(&'static str, Value)>,
    /// The line printed under the simulator ("1200 collaborators, RbacV2 roles").
    pub summary: String,
}
