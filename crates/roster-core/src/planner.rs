//! How a connector carries out its actions: read a user, plan the vendor requests an
//! action needs, send them. A connector implements [`Planner`] and returns itself from
//! [`crate::Connector::planner`]; the plan people see and the writes sent then come from
//! the same `planned` call, and nothing else repeats between connectors.

use async_trait::async_trait;

use crate::action::{ActionArgs, ActionKind, ActionPlan, Planned, Write};
use crate::error::ConnectorError;
use crate::model::User;

/// A connector's actions, typed by its own request type.
#[async_trait]
pub trait Planner: Send + Sync {
    /// One vendor request (`DELETE /api/members/1005`), as the connector sends it.
    type Write: Write + Send;

    /// Reads one user from the vendor now, by the id a sync gives it. `Ok(None)` when
    /// the vendor has no such user.
    async fn read_user(&self, id: &str) -> Result<Option<User>, ConnectorError>;

    /// What `action` with `args` would do to `user`, read just now, and the requests it
    /// stands for. Sends no write; a user already in the target state plans nothing.
    async fn planned(
        &self,
        action: ActionKind,
        user: &User,
        args: &ActionArgs,
    ) -> Result<Planned<Self::Write>, ConnectorError>;

    /// Sends one request of a plan.
    async fn send(&self, write: Self::Write) -> Result<(), ConnectorError>;
}

/// A [`Planner`] with its request type erased, as [`crate::Connector::planner`] returns it.
#[async_trait]
pub trait DynPlanner: Send + Sync {
    async fn read_user(&self, id: &str) -> Result<Option<User>, ConnectorError>;
    async fn plan_action(
        &self,
        action: ActionKind,
        user: &User,
        args: &ActionArgs,
    ) -> Result<ActionPlan, ConnectorError>;
    async fn apply_action(
        &self,
        action: ActionKind,
        user: &User,
        args: &ActionArgs,
        plan: &ActionPlan,
    ) -> Result<(), ConnectorError>;
}

#[async_trait]
impl<P: Planner> DynPlanner for P {
    async fn read_user(&self, id: &str) -> Result<Option<User>, ConnectorError> {
        Planner::read_user(self, id).await
    }

    async fn plan_action(
        &self,
        action: ActionKind,
        user: &User,
        args: &ActionArgs,
    ) -> Result<ActionPlan, ConnectorError> {
        Ok(self.planned(action, user, args).await?.plan)
    }

    /// Plans again from `user` and sends exactly the writes `plan` showed (refused,
    /// with nothing sent, when they differ).
    async fn apply_action(
        &self,
        action: ActionKind,
        user: &User,
        args: &ActionArgs,
        plan: &ActionPlan,
    ) -> Result<(), ConnectorError> {
        let planned = self.planned(action, user, args).await?;
        planned.send_as_shown(plan, |write| self.send(write)).await
    }
}
