//! Generated tenants, deterministic from `(seed, index)`: users of every kind (members,
//! accepted and pending guests, disabled accounts, a `null` mail), sign-in activity in every
//! encoding of "never", SKUs, and activated roles whose members include service principals
//! and groups.

use chrono::{DateTime, SecondsFormat, Utc};
use roster_sim_kit::{Mix, names};
use serde_json::{Value, json};

/// `(skuId, skuPartNumber)` of the generated SKUs [DOC licensing-service-plan-reference].
pub const E3: (&str, &str) = ("6fd2c87f-b296-42f0-b197-1e91e994b900", "ENTERPRISEPACK");
pub const E5: (&str, &str) = ("06ebc4ee-1bb5-47dd-8120-11324bc54e06", "SPE_E5");
pub const POWER_BI: (&str, &str) = ("f8a1db68-be16-40ed-86d5-cb42ce701560", "POWER_BI_PRO");
pub const FLOW_FREE: (&str, &str) = ("f30db892-07e9-47e9-837c-80727f46fd3d", "FLOW_FREE");
pub const P2: (&str, &str) = ("eec0eb4f-6444-4f95-aba0-50c24d67f998", "AAD_PREMIUM_P2");
/// Suspended, as in the documentation's example.
pub const CRM: (&str, &str) = ("d17b27af-3f49-4822-99f9-56a661538792", "CRMSTANDARD");

/// User `i` of a tenant whose default domain is `domain`.
pub fn user(seed: u64, i: usize, domain: &str, anchor: i64) -> Value {
    let mut mix = Mix::new(&[seed, i as u64, 0x5e12]);
    let p = names::person(seed, i);
    let local = format!("{}.{}{i}", p.ascii_first, p.ascii_last).to_lowercase();
    // member, accepted guest, pending guest, disabled member, disabled pending guest, no mail
    let kind = if i == 0 { 0 } else { mix.weighted(&[70, 10, 7, 8, 2, 3]) };
    let guest = matches!(kind, 1 | 2 | 4);
    let ext = mix.pick(&names::DOMAINS).to_lowercase();
    let (upn, mail) = if guest {
        (format!("{local}_{ext}#EXT#@{domain}"), json!(format!("{local}@{ext}")))
    } else {
        let upn = format!("{local}@{domain}");
        (upn.clone(), if kind == 5 { Value::Null } else { json!(upn) })
    };
    let mut licenses = Vec::new();
    if !guest {
        licenses.push(if i == 0 || mix.chance(0.15) { E5.0 } else { E3.0 });
        for (sku, p) in [(POWER_BI.0, 0.2), (FLOW_FREE.0, 0.3)] {
            if mix.chance(p) {
                licenses.push(sku);
            }
        }
    }
    let mut u = json!({
        "id": mix.guid(),
        "displayName": p.full,
        "givenName": p.first,
        "surname": p.last,
        "mail": mail,
        "userPrincipalName": upn,
        "accountEnabled": !matches!(kind, 3 | 4),
        "userType": if guest { "Guest" } else { "Member" },
        "externalUserState": match kind { 1 => json!("Accepted"), 2 | 4 => json!("PendingAcceptance"), _ => Value::Null },
        "assignedLicenses": licenses.iter().map(|s| json!({"disabledPlans": [], "skuId": s})).collect::<Vec<_>>(),
        "jobTitle": if guest { Value::Null } else { json!(mix.pick(&["Engineer", "Analyst", "Manager", "Designer"])) },
        "businessPhones": [],
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": "en-US",
    });
    let pending = matches!(kind, 2 | 4);
    if let Some(activity) = sign_in(&mut mix, anchor, pending)
        && let Some(obj) = u.as_object_mut()
    {
        obj.insert("signInActivity".into(), activity);
    }
    u
}

fn at(secs: i64, fraction: bool, mix: &mut Mix) -> Value {
    let t = DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default();
    if fraction {
        let t = t + chrono::Duration::nanoseconds(mix.range(0, 9_999_999) * 100);
        json!(t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    } else {
        json!(t.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

/// `signInActivity` in one of the ways Graph writes it; `None` leaves the property out.
fn sign_in(mix: &mut Mix, anchor: i64, pending: bool) -> Option<Value> {
    const NEVER: &str = "0001-01-01T00:00:00Z";
    let variant =
        if pending { 4 + mix.below(4) as usize } else { mix.weighted(&[40, 15, 10, 10, 8, 7, 5, 5]) };
    let mut when = |fraction: bool| at(anchor - mix.range(3600, 120 * 86_400), fraction, mix);
    let (interactive, other) = match variant {
        0 => (when(false), when(false)),
        1 => (when(false), json!(NEVER)),
        2 => (Value::Null, when(false)),
        3 => (when(true), when(true)),
        4 => return None,
        5 => (Value::Null, Value::Null),
        6 => (json!(NEVER), json!(NEVER)),
        _ => (json!(""), json!("")),
    };
    let mut request = |v: &Value| {
        if v.as_str().is_some_and(|s| s.len() > 1 && s != NEVER) { json!(mix.guid()) } else { json!("") }
    };
    let (first, second) = (request(&interactive), request(&other));
    Some(json!({
        "lastSignInDateTime": interactive,
        "lastSignInRequestId": first,
        "lastNonInteractiveSignInDateTime": other,
        "lastNonInteractiveSignInRequestId": second,
        "lastSuccessfulSignInDateTime": "",
        "lastSuccessfulSignInRequestId": "",
    }))
}

/// One subscribed SKU; `consumedUnits` is counted from the users when served.
fn sku(tenant_id: &str, (sku_id, part): (&str, &str), enabled: u64, status: &str, applies_to: &str) -> Value {
    let suspended = if status == "Suspended" { 25 } else { 0 };
    json!({
        "accountName": "Roster simulator", "accountId": tenant_id, "appliesTo": applies_to,
        "capabilityStatus": status, "consumedUnits": 0, "id": format!("{tenant_id}_{sku_id}"),
        "prepaidUnits": {"enabled": enabled, "lockedOut": 0, "suspended": suspended, "warning": if status == "Warning" { enabled } else { 0 }},
        "servicePlans": [], "skuId": sku_id, "skuPartNumber": part, "subscriptionIds": [],
    })
}

/// The SKUs of a tenant of `n` users.
pub fn skus(tenant_id: &str, n: u64, premium: bool) -> Vec<Value> {
    let mut all = vec![
        sku(tenant_id, E3, (n * 9 / 10).max(5), "Enabled", "User"),
        sku(tenant_id, E5, (n / 5).max(3), "Enabled", "User"),
        sku(tenant_id, POWER_BI, (n / 4).max(2), "Warning", "User"),
        sku(tenant_id, FLOW_FREE, 10_000, "Enabled", "User"),
        sku(tenant_id, CRM, 0, "Suspended", "User"),
    ];
    if premium {
        all.push(sku(tenant_id, P2, n.max(1), "Enabled", "Company"));
    }
    all
}

/// A role-member reference; users are filled in from the live user when served.
fn member(kind: &str, id: &str, name: &str) -> Value {
    json!({"@odata.type": format!("#microsoft.graph.{kind}"), "id": id, "displayName": name})
}

/// An activated directory role with its members.
fn role(mix: &mut Mix, name: &str, template: &str, members: Vec<Value>) -> (Value, Vec<Value>) {
    let role = json!({"id": mix.guid(), "deletedDateTime": null, "description": format!("{name} of the simulated tenant."), "displayName": name, "roleTemplateId": template});
    (role, members)
}

/// The activated roles of a tenant whose users have `ids`: users, service principals and a
/// role-assignable group among the members; roles with no user at all too.
pub fn roles(seed: u64, ids: &[String]) -> Vec<(Value, Vec<Value>)> {
    let mut mix = Mix::new(&[seed, 0x2013]);
    let users = |idx: &[usize]| {
        idx.iter().filter_map(|i| ids.get(*i)).map(|id| member("user", id, "")).collect::<Vec<_>>()
    };
    let sp = |name: &str, mix: &mut Mix| member("servicePrincipal", &mix.guid(), name);
    let mut user_admins = users(&[2]);
    user_admins.push(member("group", &mix.guid(), "Helpdesk Admins"));
    let mut exchange = users(&[3]);
    exchange.push(sp("Mail Migration Service", &mut mix));
    let readers: Vec<usize> = (5..ids.len()).step_by(25).collect();
    let mut global_readers = users(&readers);
    global_readers.push(sp("Roster", &mut mix));
    let directory_readers = vec![sp("Backup Service", &mut mix)];
    vec![
        role(&mut mix, "Global Administrator", "62e90394-69f5-4237-9190-012177145e10", users(&[0, 1])),
        role(&mut mix, "User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1", user_admins),
        role(&mut mix, "Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de", exchange),
        role(&mut mix, "Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451", global_readers),
        role(&mut mix, "Directory Readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", directory_readers),
    ]
}
