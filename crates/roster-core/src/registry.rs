//! The process-wide connector registry, filled by `register_connector!`.

use serde_json::Value;

use crate::action::ActionSpec;
use crate::connector::{Connector, DynConnector, build_erased};
use crate::coverage::FieldCoverage;
use crate::error::FieldError;
use crate::schema;

/// Builds an erased connector from its `[credentials]` and `[settings]` JSON.
pub type BuildFn = fn(Value, Value) -> Result<Box<dyn DynConnector>, Vec<FieldError>>;

/// Everything the runner and the forms need to know about a connector,
/// made of `&'static str` and fn pointers so it can be built in a `const`.
pub struct ConnectorDescriptor {
    pub id: &'static str,
    pub display_name: &'static str,
    pub description: &'static str,
    pub coverage: &'static [FieldCoverage],
    /// The credentials' JSON Schema: the setup form.
    pub credentials_schema: fn() -> Value,
    /// The optional settings' JSON Schema.
    pub settings_schema: fn() -> Value,
    /// Builds the connector from the `[credentials]` and `[settings]` tables
    /// (`Value::Null` when absent).
    pub build: BuildFn,
    /// The actions it can carry out.
    pub actions: &'static [ActionSpec],
}

impl ConnectorDescriptor {
    pub const fn of<C: Connector>() -> Self {
        Self {
            id: C::ID,
            display_name: C::DISPLAY_NAME,
            description: C::DESCRIPTION,
            coverage: C::COVERAGE,
            credentials_schema: schema::for_type::<C::Credentials>,
            settings_schema: schema::for_type::<C::Settings>,
            build: build_erased::<C>,
            actions: C::ACTIONS,
        }
    }
}

impl std::fmt::Debug for ConnectorDescriptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorDescriptor").field("id", &self.id).finish_non_exhaustive()
    }
}

inventory::collect!(ConnectorDescriptor);

/// Two linked connector crates registered the same id.
#[derive(Debug, Clone, thiserror::Error)]
#[error("two connectors are registered with the id `{0}`; give one of them another id")]
pub struct DuplicateConnectorId(pub &'static str);

/// The registered connectors, sorted by id.
#[derive(Debug)]
pub struct Registry {
    connectors: Vec<&'static ConnectorDescriptor>,
}

impl Registry {
    /// Collects every linked registration. Fails on a duplicate id.
    pub fn load() -> Result<Self, DuplicateConnectorId> {
        Self::from_descriptors(inventory::iter::<ConnectorDescriptor>.into_iter().collect())
    }

    /// Builds a registry from an explicit list (used by tests).
    pub fn from_descriptors(
        mut connectors: Vec<&'static ConnectorDescriptor>,
    ) -> Result<Self, DuplicateConnectorId> {
        connectors.sort_unstable_by_key(|d| d.id);
        if let Some(w) = connectors.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(DuplicateConnectorId(w[0].id));
        }
        Ok(Self { connectors })
    }

    pub fn get(&self, id: &str) -> Option<&'static ConnectorDescriptor> {
        self.connectors.iter().copied().find(|d| d.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static ConnectorDescriptor> + '_ {
        self.connectors.iter().copied()
    }

    pub fn ids(&self) -> Vec<&'static str> {
        self.connectors.iter().map(|d| d.id).collect()
    }
}
