//! Deterministic member generation from `(seed, index)`.

use serde_json::{Map, Value, json};

use crate::events::{self, KINDS};
use roster_sim_kit::names::{self, DOMAINS};

use crate::pools::{ENV_ROLES, LEGACY_ROLES, TIME_ZONES};
use crate::spec::RoleModel;
use crate::timefmt::rails;
use roster_sim_kit::Mix;

const SALT_IDENTITY: u64 = 0x1D;
const SALT_CREATED: u64 = 0xC7;
const SALT_ROLES: u64 = 0x705;
const DAY: i64 = 86_400;

/// Member ids of generated workspaces start here.
pub const FIRST_MEMBER_ID: u64 = 1000;

/// The member id of a generated index.
pub(crate) fn member_id(index: usize) -> u64 {
    FIRST_MEMBER_ID + index as u64
}

/// The generated index of a member id, if it is one.
pub(crate) fn member_index(id: u64) -> Option<usize> {
    usize::try_from(id.checked_sub(FIRST_MEMBER_ID)?).ok()
}

/// What generation needs besides the index.
#[derive(Clone, Debug)]
pub(crate) struct GenCtx {
    pub seed: u64,
    pub model: RoleModel,
    pub anchor_secs: i64,
    pub login_event_type: String,
}

/// Who a generated member is.
pub(crate) struct Identity {
    pub name: String,
    pub email: String,
    pub time_zone: &'static str,
    pub offset_min: i32,
}

/// Name, email and time zone of a generated member. Emails are unique (case-insensitively)
/// within a workspace.
pub(crate) fn identity(seed: u64, index: usize) -> Identity {
    let mut rng = Mix::new(&[seed, index as u64, SALT_IDENTITY]);
    let person = names::person(seed, index);
    let (name, first, last) = (person.full, person.ascii_first, person.ascii_last);
    let suffix = if index < 100 { String::new() } else { index.to_string() };
    let domain = *rng.pick(&DOMAINS);
    let email = match rng.below(4) {
        0 => format!("{first}.{last}{suffix}@{domain}"),
        1 => format!("{first}.{last}{suffix}@{domain}").to_lowercase(),
        2 => format!("{first}{last}{suffix}@{}", domain.to_uppercase()),
        _ => format!("{}_{}{suffix}@{domain}", first.to_lowercase(), last.to_lowercase()),
    };
    let (time_zone, offset_min) = *rng.pick(&TIME_ZONES);
    Identity { name, email, time_zone, offset_min }
}

/// When a generated member joined: (Unix seconds, milliseconds). About 15% joined within
/// the last 120 days.
pub(crate) fn created_at(seed: u64, index: usize, anchor_secs: i64) -> (i64, u32) {
    let mut rng = Mix::new(&[seed, index as u64, SALT_CREATED]);
    let days_ago = if rng.chance(0.15) { rng.range(1, 120) } else { rng.range(130, 1500) };
    let secs = anchor_secs - days_ago * DAY - rng.range(0, DAY);
    (secs, rng.below(1000) as u32)
}

/// The generated member at `index`.
pub(crate) fn generate(ctx: &GenCtx, index: usize) -> Value {
    let ident = identity(ctx.seed, index);
    let (created_secs, created_ms) = created_at(ctx.seed, index, ctx.anchor_secs);
    let mut rng = Mix::new(&[ctx.seed, index as u64, SALT_ROLES]);
    let roles = roles(ctx.model, &mut rng);
    let flat = rng.chance(0.03);
    let external_id = if rng.chance(0.2) { Value::String(format!("E-{}", 100 + index)) } else { Value::Null };

    let events = events::member_events(ctx.seed, index, created_secs, ctx.anchor_secs);
    let last_activity = events.last().map_or(Value::Null, |id| {
        let d = events::decode(*id, events::base_secs(ctx.anchor_secs));
        let event_type = if d.kind == 0 {
            ctx.login_event_type.as_str()
        } else {
            KINDS.get(d.kind).map_or("unknown", |k| k.event_type)
        };
        json!({
            "id": id,
            "event_type": event_type,
            "created_at": rails(d.secs, d.ms, ident.offset_min),
        })
    });

    let mut m = Map::new();
    m.insert("id".into(), json!(member_id(index)));
    m.insert("grant_type".into(), json!("team"));
    if flat {
        let dev = roles.first().map_or("Analyst", |r| r.role_name);
        m.insert("role_name".into(), json!(dev));
    } else {
        let list: Vec<Value> = roles.iter().map(Role::to_json).collect();
        m.insert("roles".into(), Value::Array(list));
    }
    m.insert("last_activity_log".into(), last_activity);
    m.insert("external_id".into(), external_id);
    m.insert("name".into(), json!(ident.name));
    m.insert("email".into(), json!(ident.email));
    m.insert("time_zone".into(), json!(ident.time_zone));
    m.insert("created_at".into(), json!(rails(created_secs, created_ms, ident.offset_min)));
    if rng.chance(0.08) {
        m.insert(
            "avatar_url".into(),
            json!(format!(
                "https://workato-assets.s3.amazonaws.com/profiles/avatars/000/{:03}/{:03}/large/avatar.png",
                index / 1000 % 1000,
                index % 1000
            )),
        );
    }
    if rng.chance(0.05) {
        m.insert("sso_enabled".into(), json!(rng.chance(0.5)));
    }
    Value::Object(m)
}

/// One role of a member in one environment.
struct Role {
    environment_type: &'static str,
    role_name: &'static str,
    role_type: Option<&'static str>,
}

impl Role {
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("environment_type".into(), json!(self.environment_type));
        m.insert("role_name".into(), json!(self.role_name));
        if let Some(t) = self.role_type {
            m.insert("role_type".into(), json!(t));
        }
        Value::Object(m)
    }
}

/// One role per environment: always `dev`, sometimes `test` and `prod`.
fn roles(model: RoleModel, rng: &mut Mix) -> Vec<Role> {
    let (table, role_type): (&[(&'static str, u64)], Option<&'static str>) = match model {
        RoleModel::Legacy => (&LEGACY_ROLES, if rng.chance(0.6) { Some("privilege_group") } else { None }),
        RoleModel::RbacV2 => (&ENV_ROLES, Some("environment")),
    };
    let weights: Vec<u64> = table.iter().map(|(_, w)| *w).collect();
    let mut out = Vec::with_capacity(3);
    for (env, p) in [("dev", 1.0), ("test", 0.45), ("prod", 0.4)] {
        if rng.chance(p) {
            let (name, _) = table[rng.weighted(&weights)];
            out.push(Role { environment_type: env, role_name: name, role_type });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn ctx(model: RoleModel) -> GenCtx {
        GenCtx { seed: 3, model, anchor_secs: 1_750_000_000, login_event_type: "user_login".into() }
    }

    #[test]
    fn deterministic_unique_and_varied() {
        let c = ctx(RoleModel::Legacy);
        assert_eq!(generate(&c, 5), generate(&c, 5));
        let mut emails = HashSet::new();
        let (mut flat, mut null_log, mut unicode) = (0, 0, 0);
        for i in 0..5000 {
            let m = generate(&c, i);
            let email = m["email"].as_str().unwrap_or_default().to_lowercase();
            assert!(emails.insert(email), "duplicate email at {i}");
            assert_eq!(m["id"], json!(1000 + i as u64));
            flat += usize::from(m.get("roles").is_none());
            null_log += usize::from(m["last_activity_log"].is_null());
            unicode += usize::from(!m["name"].as_str().unwrap_or_default().is_ascii());
        }
        assert!((50..300).contains(&flat), "{flat}");
        assert!((400..1200).contains(&null_log), "{null_log}");
        assert!(unicode > 1000);
    }

    #[test]
    fn rbac_v2_roles() {
        let m = generate(&ctx(RoleModel::RbacV2), 0);
        if let Some(roles) = m["roles"].as_array() {
            assert_eq!(roles[0]["environment_type"], "dev");
            assert_eq!(roles[0]["role_type"], "environment");
        }
    }
}
