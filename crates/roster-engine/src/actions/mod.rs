//! Actions, carried out safely: a dry run unless asked to apply; applied only when the
//! account file allows the action; the user read from the vendor before any write, so a
//! repeat sends nothing; read again after, to verify; bulk plans capped; everything
//! applied or refused audited in the store.
//!
//! [`act`] is one action on one user (`roster act`); [`reclaim`] plans an action for
//! every user inactive for a number of days and applies each like `act` (`roster
//! reclaim`). The front-ends print what these return.

mod act;
mod args;
mod reclaim;
mod target;

pub use act::{ActError, ActReport, Request, act};
pub use args::parse_set;
pub use reclaim::{Candidate, ReclaimPlan, Why, apply_all, candidates, inactive_reason, refuse_all};
pub use target::find_user;

/// A new plan id: the time and a random suffix (`p20261206T120000-3f2a`).
pub fn new_plan_id() -> String {
    format!("p{}-{:04x}", chrono::Utc::now().format("%Y%m%dT%H%M%S"), rand::random::<u16>())
}
