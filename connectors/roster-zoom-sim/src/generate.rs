//! Deterministic, realistic users and roles from `(seed, index)`.
//!
//! Index 0 is the account owner (active, Licensed, role `"0"`). The others are
//! about 80% active, 12% inactive and 8% pending; types are mostly Licensed (2) and
//! Basic (1), some "Unassigned without Meetings Basic" (4) and a few "None" (99).
//! Pending users have no `id`, no `last_login_time` and no client version, as
//! documented; some active users never signed in (no `last_login_time`), and
//! deactivated ones may carry `""` or `null` there.

use serde_json::{Map, Value, json};

use roster_sim_kit::Mix;
use roster_sim_kit::names::{self, DOMAINS};

use crate::pools::{CLIENT_VERSIONS, DEPARTMENTS, LANGUAGES, TIME_ZONES};
use crate::timefmt::zoom_time;

const DAY: i64 = 86_400;
const SALT_USER: u64 = 0x2001;
const SALT_ROLES: u64 = 0x2002;

/// The ids of the two custom roles of an account generated from `seed`.
pub(crate) fn custom_role_ids(seed: u64) -> [String; 2] {
    let mut rng = Mix::new(&[seed, SALT_ROLES]);
    [rng.id(23), rng.id(23)]
}

/// The roles `GET /roles` lists: the three system roles and two custom ones.
pub(crate) fn roles(seed: u64) -> Vec<Value> {
    let [a, b] = custom_role_ids(seed);
    vec![
        json!({"id": "0", "name": "Owner", "description": "Account owner has full privileges to access and manage a Zoom account.", "type": "common"}),
        json!({"id": "1", "name": "Admin", "description": "Admins have wide-ranging privileges to access and manage a Zoom account.", "type": "common"}),
        json!({"id": "2", "name": "Member", "description": "Members have access to basic Zoom video meeting functions but no account management privileges.", "type": "common"}),
        json!({"id": a, "name": "Billing Admin", "description": "Manages billing and invoices.", "type": "common"}),
        json!({"id": b, "name": "Service desk — Tier 1", "description": "Helps users with their devices.", "type": "common"}),
    ]
}

/// The generated user at `index`. `anchor_secs` is "now".
pub(crate) fn user(seed: u64, index: usize, anchor_secs: i64) -> Value {
    let mut rng = Mix::new(&[seed, index as u64, SALT_USER]);
    let owner = index == 0;
    let status = if owner {
        "active"
    } else {
        match rng.below(100) {
            0..80 => "active",
            80..92 => "inactive",
            _ => "pending",
        }
    };
    let user_type = if owner {
        2
    } else {
        match rng.below(100) {
            0..60 => 2,
            60..90 => 1,
            90..98 => 4,
            _ => 99,
        }
    };
    let [custom_a, custom_b] = custom_role_ids(seed);
    let role_id = if owner {
        "0".to_owned()
    } else {
        match rng.below(100) {
            0..6 => "1".to_owned(),
            6..10 => custom_a,
            10..13 => custom_b,
            _ => "2".to_owned(),
        }
    };

    let person = names::person(seed, index);
    let (first, last) = (person.first, person.last);
    let (ascii_first, ascii_last) = (person.ascii_first.to_lowercase(), person.ascii_last.to_lowercase());
    let domain = *rng.pick(&DOMAINS);
    let email = format!("{ascii_first}.{ascii_last}{index}@{domain}");

    let created = anchor_secs - rng.range(30, 1500) * DAY - rng.range(0, DAY);
    let mut m = Map::new();
    if status != "pending" {
        m.insert("id".into(), json!(rng.id(22)));
    } else {
        rng.id(22);
    }
    m.insert("first_name".into(), json!(first));
    m.insert("last_name".into(), json!(last));
    m.insert("display_name".into(), json!(format!("{first} {last}")));
    m.insert("email".into(), json!(email));
    m.insert("type".into(), json!(user_type));
    m.insert("pmi".into(), json!(3_000_000_000u64 + rng.below(6_999_999_999)));
    m.insert("timezone".into(), json!(rng.pick(&TIME_ZONES)));
    m.insert("verified".into(), json!(i32::from(status != "pending")));
    m.insert("dept".into(), json!(rng.pick(&DEPARTMENTS)));
    m.insert("user_created_at".into(), json!(zoom_time(created)));
    m.insert("created_at".into(), json!(zoom_time(if status == "pending" { anchor_secs } else { created })));
    match status {
        "pending" => {}
        "active" => match rng.below(100) {
            0..85 => {
                let at = anchor_secs - rng.range(0, 120) * DAY - rng.range(0, DAY);
                m.insert("last_login_time".into(), json!(zoom_time(at.max(created))));
                m.insert("last_client_version".into(), json!(rng.pick(&CLIENT_VERSIONS)));
            }
            85..95 => {}
            _ => {
                m.insert("last_login_time".into(), Value::Null);
            }
        },
        _ => match rng.below(100) {
            0..50 => {
                let at = anchor_secs - rng.range(120, 700) * DAY;
                m.insert("last_login_time".into(), json!(zoom_time(at.max(created))));
                m.insert("last_client_version".into(), json!(rng.pick(&CLIENT_VERSIONS)));
            }
            50..80 => {
                m.insert("last_login_time".into(), json!(""));
            }
            _ => {
                m.insert("last_login_time".into(), Value::Null);
            }
        },
    }
    m.insert("language".into(), json!(rng.pick(&LANGUAGES)));
    m.insert("phone_number".into(), json!(""));
    m.insert("status".into(), json!(status));
    m.insert("role_id".into(), json!(role_id));
    m.insert("group_ids".into(), json!([]));
    m.insert("im_group_ids".into(), json!([]));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn deterministic_varied_and_unique() {
        assert_eq!(user(3, 5, 1_750_000_000), user(3, 5, 1_750_000_000));
        let owner = user(3, 0, 1_750_000_000);
        assert_eq!(
            (owner["status"].clone(), owner["type"].clone(), owner["role_id"].clone()),
            (json!("active"), json!(2), json!("0"))
        );
        let mut emails = HashSet::new();
        let mut ids = HashSet::new();
        let (mut pending, mut inactive, mut unicode, mut null_login, mut types) =
            (0, 0, 0, 0, HashSet::new());
        for i in 0..2000 {
            let u = user(3, i, 1_750_000_000);
            assert!(emails.insert(u["email"].as_str().unwrap_or_default().to_lowercase()), "email {i}");
            match u["status"].as_str() {
                Some("pending") => {
                    pending += 1;
                    assert!(u.get("id").is_none() && u.get("last_login_time").is_none());
                }
                Some("inactive") => inactive += 1,
                _ => {}
            }
            if let Some(id) = u.get("id").and_then(Value::as_str) {
                assert!(ids.insert(id.to_owned()), "id {i}");
            }
            unicode += usize::from(!u["first_name"].as_str().unwrap_or_default().is_ascii());
            null_login += usize::from(u.get("last_login_time").is_some_and(Value::is_null));
            types.insert(u["type"].as_u64().unwrap_or_default());
        }
        assert!((100..250).contains(&pending), "{pending}");
        assert!((150..350).contains(&inactive), "{inactive}");
        assert!(unicode > 300 && null_login > 20, "{unicode} {null_login}");
        assert_eq!(types, HashSet::from([1, 2, 4, 99]));
    }
}
