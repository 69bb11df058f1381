//! Deterministic organization data from `(seed, index)`, in the shapes GitHub serves:
//! member edges (GraphQL), SAML identity edges, simple users, invitations and Copilot seats.
//!
//! Member 0 is an admin; about 8% more are. A third show a public email, the rest `""`
//! (GraphQL's hidden email); one in eight has no name. With SAML, each member has an
//! identity and one identity is not linked to a user. Invitations are mostly by email only
//! (`login: null`), some by username (`email: null`), with admin, direct_member,
//! billing_manager and hiring_manager roles. With Copilot, about 60% of members and the
//! first outside collaborator hold seats, whose times carry a `-06:00` offset; some seats
//! were never used, one has no `plan_type`, one is pending cancellation and one has no
//! assignee.

use chrono::DateTime;
use roster_sim_kit::Mix;
use roster_sim_kit::names::{self, DOMAINS};
use serde_json::{Value, json};

use crate::spec::OrgSpec;

const DAY: i64 = 86_400;
const SALT: u64 = 0x6b01;
const EDITORS: [&str; 3] = [
    "vscode/1.98.2/copilot/1.290.0",
    "JetBrains-IC/241.15989/copilot-intellij/1.5.21",
    "copilot-chat/0.24.0",
];

/// An organization's lists, as served.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    /// `membersWithRole` edges: `{role, hasTwoFactorEnabled, node: {databaseId, login, name, email}}`.
    pub members: Vec<Value>,
    /// `externalIdentities` edges: `{node: {samlIdentity: {nameId}, user: {login} | null}}`.
    pub identities: Vec<Value>,
    pub collaborators: Vec<Value>,
    pub invitations: Vec<Value>,
    pub seats: Vec<Value>,
}

/// `secs` as GitHub's Copilot API writes times: `2021-10-14T00:53:32-06:00`.
fn offset_time(secs: i64) -> String {
    let local = DateTime::from_timestamp(secs - 6 * 3600, 0).unwrap_or_default();
    format!("{}-06:00", local.format("%Y-%m-%dT%H:%M:%S"))
}

fn utc(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A REST "simple user".
pub(crate) fn simple_user(login: &str, id: u64) -> Value {
    json!({"login": login, "id": id, "node_id": format!("MDQ6VXNlcj{id}"), "avatar_url": format!("https://avatars.githubusercontent.com/u/{id}?v=4"),
           "gravatar_id": "", "url": format!("https://api.github.com/users/{login}"), "html_url": format!("https://github.com/{login}"),
           "type": "User", "site_admin": false})
}

pub(crate) fn data(spec: &OrgSpec, now: i64) -> Data {
    let seed = spec.seed;
    let mut d = Data::default();
    let mut logins = Vec::new();
    for i in 0..spec.members {
        let mut rng = Mix::new(&[seed, i as u64, SALT]);
        let p = names::person(seed, i);
        let (first, last) = (p.ascii_first.to_lowercase(), p.ascii_last.to_lowercase());
        let login = format!("{first}-{last}{i}");
        let public = rng.below(3) == 0;
        let email = if public { format!("{first}.{last}{i}@{}", rng.pick(&DOMAINS)) } else { String::new() };
        let name = if rng.below(8) == 0 { Value::Null } else { json!(p.full) };
        let role = if i == 0 || rng.below(100) < 8 { "ADMIN" } else { "MEMBER" };
        d.members.push(json!({"role": role, "hasTwoFactorEnabled": rng.below(10) > 0,
            "node": {"databaseId": 10_000_000 + i as u64, "login": login, "name": name, "email": email}}));
        if spec.saml {
            let name_id = if spec.settings.name_id_is_email {
                format!("{first}.{last}{i}@corp.example.com")
            } else {
                rng.hex(32)
            };
            d.identities
                .push(json!({"node": {"samlIdentity": {"nameId": name_id}, "user": {"login": login}}}));
        }
        logins.push(login);
    }
    if spec.saml {
        d.identities.push(
            json!({"node": {"samlIdentity": {"nameId": "not.linked.yet@corp.example.com"}, "user": null}}),
        );
    }
    for j in 0..spec.outside_collaborators {
        d.collaborators.push(simple_user(&format!("contractor-{j}"), 20_000_000 + j as u64));
    }
    let owner = logins.first().cloned().unwrap_or_default();
    for k in 0..spec.invitations {
        let by_username = k % 3 == 1;
        let (login, email) = match by_username {
            true => (json!(format!("invitee-{k}")), Value::Null),
            false => (Value::Null, json!(format!("new.hire{k}@corp.example.com"))),
        };
        let role = ["admin", "direct_member", "billing_manager", "hiring_manager"][k % 4];
        let id = 300_000 + k as u64;
        d.invitations.push(json!({"id": id, "login": login, "node_id": format!("MDIyOk9yZ2FuaXphdGlvbkludml0YXRpb24{id}"), "email": email, "role": role,
            "created_at": utc(now - (k as i64 + 1) * DAY / 2), "failed_at": null, "failed_reason": null,
            "inviter": {"login": owner, "id": 10_000_000, "type": "User", "site_admin": false}, "team_count": 0,
            "invitation_teams_url": format!("https://api.github.com/organizations/{}/invitations/{id}/teams", spec.id), "invitation_source": "member"}));
    }
    if let Some(plan) = spec.copilot {
        d.seats = seats(spec, plan, &logins, now);
    }
    d
}

fn seats(spec: &OrgSpec, plan: &str, logins: &[String], now: i64) -> Vec<Value> {
    let holders = logins.iter().enumerate().map(|(i, l)| (l.clone(), 10_000_000 + i as u64));
    let contractor = (spec.outside_collaborators > 0).then(|| ("contractor-0".to_owned(), 20_000_000));
    let mut seats = Vec::new();
    for (login, id) in holders.chain(contractor) {
        let mut rng = Mix::new(&[spec.seed, id, SALT + 1]);
        if id < 20_000_000 && rng.below(100) >= 60 {
            continue;
        }
        let n = seats.len();
        let active = rng.below(6) > 0;
        let at = now - rng.range(0, 60) * DAY - rng.range(0, DAY);
        seats.push(
            json!({"created_at": offset_time(now - 200 * DAY), "updated_at": offset_time(now - 100 * DAY),
            "pending_cancellation_date": if n == 2 { json!("2031-01-01") } else { Value::Null },
            "last_activity_at": if active { json!(offset_time(at)) } else { Value::Null },
            "last_activity_editor": if active { json!(rng.pick(&EDITORS)) } else { Value::Null },
            "last_authenticated_at": offset_time(at),
            "plan_type": plan, "assignee": simple_user(&login, id), "assigning_team": null}),
        );
        if n == 1
            && let Some(seat) = seats.last_mut().and_then(Value::as_object_mut)
        {
            seat.remove("plan_type");
        }
    }
    seats.push(json!({"created_at": offset_time(now - 30 * DAY), "pending_cancellation_date": null, "last_activity_at": null,
        "plan_type": plan, "assignee": null}));
    seats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let spec = OrgSpec::generated(1, 200, 3);
        let (a, b) = (data(&spec, 1_750_000_000), data(&spec, 1_750_000_000));
        assert_eq!(a, b);
        let hidden = a.members.iter().filter(|m| m["node"]["email"] == "").count();
        assert!((100..170).contains(&hidden), "{hidden}");
        assert!(a.members.iter().any(|m| m["node"]["name"].is_null()));
        assert_eq!(a.identities.len(), 201);
        assert!(
            a.invitations.iter().any(|i| i["login"].is_null())
                && a.invitations.iter().any(|i| i["email"].is_null())
        );
        assert!(
            a.seats.iter().any(|s| s.get("plan_type").is_none())
                && a.seats.iter().any(|s| s["assignee"].is_null())
        );
        assert!(a.seats.iter().any(|s| s["assignee"]["login"] == "contractor-0"));
        assert!(a.seats[0]["created_at"].as_str().is_some_and(|t| t.ends_with("-06:00")));
    }
}
