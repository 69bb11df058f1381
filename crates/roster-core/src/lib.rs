//! The core of Roster: what a connector is, what it produces and how it fails.
//!
//! This crate knows nothing about files, terminals, databases or HTTP. Connector
//! crates implement [`Connector`] with typed credentials and call
//! [`register_connector!`]; the runner sees them through the erased
//! [`ConnectorDescriptor`] registry.

pub mod action;
pub mod connector;
pub mod coverage;
pub mod error;
pub mod json_text;
pub mod model;
pub mod planner;
pub mod registry;
pub mod schema;
pub mod secret;
pub mod sink;
pub mod user_ref;

pub use action::{Access, ActionArgs, ActionKind, ActionPlan, ActionSpec, Planned, Write};
pub use connector::{Connector, DynConnector, RequestStats, SyncContext};
pub use coverage::{Field, FieldCoverage};
pub use error::{ConnectorError, ErrorKind, FieldError};
pub use model::{
    AccessCheck, CheckReport, LicenseType, RoleAssignment, TenantRecord, User, UserStatus, timestamp,
};
pub use planner::{DynPlanner, Planner};
pub use registry::{ConnectorDescriptor, DuplicateConnectorId, Registry};
pub use secret::Secret;
pub use sink::{Sink, SinkError};
pub use user_ref::{AttributeRef, RoleRef, UserRef};

#[doc(hidden)]
pub mod __private {
    pub use inventory;
}

/// Registers a connector type with the process-wide registry.
///
/// ```ignore
/// roster_core::register_connector!(WorkatoConnector);
/// ```
///
/// The crate that calls this must be named by the aggregator crate
/// (`roster-connectors`), or the linker drops the registration.
#[macro_export]
macro_rules! register_connector {
    ($connector:ty) => {
        $crate::__private::inventory::submit! {
            $crate::ConnectorDescriptor::of::<$connector>()
        }
    };
}
