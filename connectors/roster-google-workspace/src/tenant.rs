//! Who the customer is, and what a licensing refusal says about the configured domain.

use roster_core::TenantRecord;
use serde_json::{Map, Value};

/// The customer: its real id (users' `customerId`, else the configured one), named by
/// its primary domain.
pub(crate) fn record(customer_id: &str, domain: &str, first_user: Option<&Value>) -> TenantRecord {
    let id = first_user.and_then(|u| u.get("customerId")).and_then(Value::as_str).unwrap_or(customer_id);
    let mut attributes = Map::new();
    attributes.insert("customer_id".into(), Value::String(customer_id.to_owned()));
    TenantRecord { tenant_id: id.to_owned(), name: Some(domain.to_owned()), plan: None, attributes }
}

/// Whether `email` is at `domain` (lower-cased).
pub(crate) fn at_domain(email: &str, domain: &str) -> bool {
    email.rsplit_once('@').is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain))
}

/// What to do when the License Manager refuses `customerId=<domain>`: with no user at the
/// domain it is not the customer's; else the admin lacks the licence privilege.
pub(crate) fn licensing_advice(domain: &str, anyone_at_domain: bool) -> String {
    if anyone_at_domain {
        "admin_email must be a super admin, or hold the License Management privilege (Admin console → Account → \
         Admin roles)"
            .to_owned()
    } else {
        format!(
            "no user of this customer has an email at {domain}, so it is not the customer's primary domain: set \
             domain to the one in Admin console → Account → Domains → Manage domains"
        )
    }
}
