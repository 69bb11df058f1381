//! The floor: the same bodies fetched with a plain reqwest client and parsed
//! with serde_json into the same user type, with no framework and no store.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, stream};
use roster_core::{RoleAssignment, User, UserStatus};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
struct Envelope {
    data: Vec<Member>,
}

#[derive(Deserialize)]
struct Member {
    id: Value,
    email: Option<String>,
    name: Option<String>,
    roles: Option<Vec<Role>>,
    role_name: Option<String>,
    last_activity_log: Option<Activity>,
    external_id: Option<Value>,
    time_zone: Option<String>,
    grant_type: Option<String>,
    created_at: Option<String>,
}

#[derive(Deserialize)]
struct Role {
    environment_type: Option<String>,
    role_name: Option<String>,
}

#[derive(Deserialize)]
struct Activity {
    created_at: Option<String>,
}

fn to_user(m: Member) -> User {
    let mut u = User::new(m.id.to_string(), UserStatus::Active);
    u.email = m.email;
    u.name = m.name;
    u.last_visit_at = m
        .last_activity_log
        .and_then(|l| l.created_at)
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc));
    for r in m.roles.unwrap_or_default() {
        if let Some(name) = r.role_name {
            u.roles.push(RoleAssignment::new(r.environment_type.unwrap_or_else(|| "dev".into()), name));
        }
    }
    if u.roles.is_empty()
        && let Some(name) = m.role_name
    {
        u.roles.push(RoleAssignment::new("dev", name));
    }
    u.license_types.push("Workato".into());
    let mut attributes = Map::new();
    if let Some(v) = m.external_id.filter(|v| !v.is_null()) {
        attributes.insert("external_id".into(), v);
    }
    for (k, v) in [("time_zone", m.time_zone), ("grant_type", m.grant_type), ("created_at", m.created_at)] {
        if let Some(v) = v {
            attributes.insert(k.into(), Value::String(v));
        }
    }
    u.attributes = attributes;
    u
}

/// What one floor pass measured.
pub struct FloorResult {
    pub wall: Duration,
    pub users: u64,
    pub bytes: u64,
}

/// Fetches every account's members, `parse`-ing them or not, `concurrency` at a time.
pub async fn measure(
    base_url: &str,
    tokens: &[String],
    concurrency: usize,
    parse: bool,
) -> Result<FloorResult> {
    let client = reqwest::Client::builder().build().context("could not build the floor's client")?;
    let url = format!("{base_url}/api/members");
    let started = Instant::now();
    let results: Vec<Result<(u64, u64)>> = stream::iter(tokens.iter())
        .map(|token| {
            let client = client.clone();
            let url = url.clone();
            async move {
                let body =
                    client.get(&url).bearer_auth(token).send().await?.error_for_status()?.bytes().await?;
                let bytes = body.len() as u64;
                if !parse {
                    return Ok((0, bytes));
                }
                let env: Envelope = serde_json::from_slice(&body)?;
                let users: Vec<User> = env.data.into_iter().map(to_user).collect();
                Ok((std::hint::black_box(users).len() as u64, bytes))
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut out = FloorResult { wall: started.elapsed(), users: 0, bytes: 0 };
    for r in results {
        let (users, bytes) = r?;
        out.users += users;
        out.bytes += bytes;
    }
    Ok(out)
}
