//! Deterministic customers from `(seed, index)`: users (user 0 the super admin; some
//! delegated admins, suspended and archived users, and users who never signed in), the
//! system roles and a custom one, role assignments (to users, one to a group, one to a
//! service account), and licences in three products.

use chrono::{DateTime, Utc};
use roster_sim_kit::{Mix, names};
use serde_json::{Value, json};

use crate::customer::CustomerData;

const DAY: i64 = 86_400;
const SALT: u64 = 0x600d;
/// `lastLoginTime` of a user who never signed in.
pub const NEVER: &str = "1970-01-01T00:00:00.000Z";

/// Google-Apps SKUs handed out: (skuId, skuName).
const WORKSPACE_SKUS: [(&str, &str); 2] =
    [("1010020028", "Google Workspace Business Standard"), ("1010020025", "Google Workspace Business Plus")];

/// Google's timestamps: UTC, milliseconds (`.000` in every sample seen), `Z`.
pub(crate) fn time(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn etag(rng: &mut Mix) -> String {
    format!("\"{}/{}\"", rng.id(43), rng.id(27))
}

pub(crate) fn customer(
    seed: u64,
    count: usize,
    cid: &str,
    domain: &str,
    anchor: DateTime<Utc>,
) -> CustomerData {
    let users: Vec<Value> = (0..count).map(|i| user(seed, i, cid, domain, anchor.timestamp())).collect();
    let roles = roles(seed);
    let role_id = |i: usize| roles[i]["roleId"].clone();
    let mut rng = Mix::new(&[seed, SALT, 1]);
    let mut assignments = Vec::new();
    let mut assign = |rng: &mut Mix, role: Value, to: &Value, kind: &str, org_unit: Option<&str>| {
        let mut a = json!({"kind": "admin#directory#roleAssignment", "etag": etag(rng),
            "roleAssignmentId": (3_894_208_461_013_000u64 + rng.below(1_000_000)).to_string(),
            "roleId": role, "assignedTo": to, "assigneeType": kind, "scopeType": "CUSTOMER"});
        if let Some(ou) = org_unit {
            a["scopeType"] = json!("ORG_UNIT");
            a["orgUnitId"] = json!(ou);
        }
        assignments.push(a);
    };
    for (i, u) in users.iter().enumerate() {
        if u["isAdmin"] == true {
            assign(&mut rng, role_id(0), &u["id"], "USER", None);
        } else if u["isDelegatedAdmin"] == true {
            match i / 9 % 3 {
                0 => assign(&mut rng, role_id(2), &u["id"], "USER", None),
                1 => assign(&mut rng, role_id(3), &u["id"], "USER", Some("03ph8a2z1enx4lx")),
                _ => assign(&mut rng, role_id(4), &u["id"], "USER", Some("03ph8a2z2ik3yq6")),
            }
        }
    }
    assign(&mut rng, role_id(1), &json!("03s49zyc1y4fe5k"), "GROUP", None);
    assign(&mut rng, role_id(4), &json!("104628370123456789012"), "USER", None);
    let licenses = licenses(seed, &users);
    let products = ["Google-Apps", "Google-Vault", "101034"].map(str::to_owned).to_vec();
    CustomerData { users, roles, assignments, licenses, products, ..CustomerData::default() }
}

fn roles(seed: u64) -> Vec<Value> {
    let base = 3_894_208_461_012_993u64 + seed % 1000 * 1000;
    let role = |k: u64, name: &str, description: &str, system: bool| {
        let mut r = json!({"kind": "admin#directory#role", "etag": format!("\"r{k}\""), "roleId": (base + k).to_string(),
            "roleName": name, "roleDescription": description,
            "rolePrivileges": [{"privilegeName": "USERS_RETRIEVE", "serviceId": "00haapch16h1ysv"}]});
        if system {
            r["isSystemRole"] = json!(true);
        }
        r
    };
    let mut seed_role = role(0, "_SEED_ADMIN_ROLE", "Google Workspace Administrator Seed Role", true);
    seed_role["isSuperAdminRole"] = json!(true);
    vec![
        seed_role,
        role(1, "_GROUPS_ADMIN_ROLE", "Groups Administrator", true),
        role(2, "_USER_MANAGEMENT_ADMIN_ROLE", "User Management Administrator", true),
        role(3, "_HELP_DESK_ADMIN_ROLE", "Help Desk Administrator", true),
        role(4, "Licence auditors — EMEA", "Reads users and licences", false),
    ]
}

fn user(seed: u64, index: usize, cid: &str, domain: &str, anchor: i64) -> Value {
    let mut rng = Mix::new(&[seed, index as u64, SALT]);
    let p = names::person(seed, index);
    let email = format!("{}.{}{index}@{domain}", p.ascii_first.to_lowercase(), p.ascii_last.to_lowercase());
    let roll = if index == 0 { 0 } else { rng.below(100) };
    let (suspended, archived) = (matches!(roll, 85..93 | 97..100), roll >= 93);
    let created = anchor - rng.range(30, 2000) * DAY - rng.range(0, DAY);
    let never = index != 0 && rng.chance(0.1);
    let login = if never { NEVER.to_owned() } else { time((anchor - rng.range(0, 120 * DAY)).max(created)) };
    let mut u = json!({
        "kind": "admin#directory#user", "id": format!("1{:010}{:010}", rng.below(10_000_000_000), rng.below(10_000_000_000)),
        "etag": etag(&mut rng), "primaryEmail": email,
        "name": {"givenName": p.first, "familyName": p.last, "fullName": p.full},
        "isAdmin": index == 0, "isDelegatedAdmin": index != 0 && index % 9 == 4,
        "lastLoginTime": login, "creationTime": time(created), "agreedToTerms": !never,
        "suspended": suspended, "archived": archived,
        "changePasswordAtNextLogin": false, "ipWhitelisted": false,
        "emails": [{"address": email, "primary": true}],
        "customerId": cid, "orgUnitPath": *rng.pick(&["/", "/Engineering", "/Sales", "/Support — Zürich"]),
        "isMailboxSetup": true, "isEnrolledIn2Sv": rng.chance(0.6), "isEnforcedIn2Sv": false,
        "includeInGlobalAddressList": true,
    });
    if suspended {
        u["suspensionReason"] = json!("ADMIN");
    }
    u
}

fn licenses(seed: u64, users: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, u) in users.iter().enumerate() {
        let mut rng = Mix::new(&[seed, i as u64, SALT, 2]);
        let email = u["primaryEmail"].as_str().unwrap_or_default();
        let mut add = |product: &str, product_name: &str, (sku, sku_name): (&str, &str)| {
            out.push(json!({"kind": "licensing#licenseAssignment", "etags": format!("\"l{i}{sku}\""),
                "selfLink": format!("https://licensing.googleapis.com/apps/licensing/v1/product/{product}/sku/{sku}/user/{email}"),
                "userId": email, "productId": product, "skuId": sku, "skuName": sku_name, "productName": product_name}));
        };
        if u["archived"] == true {
            add(
                "101034",
                "Google Workspace Archived User",
                ("1010340002", "Google Workspace Business - Archived User"),
            );
        } else {
            add("Google-Apps", "Google Workspace", WORKSPACE_SKUS[usize::from(rng.chance(0.25))]);
        }
        if rng.chance(0.1) {
            add("Google-Vault", "Google Vault", ("Google-Vault", "Google Vault"));
        }
    }
    out
}
