//! `check`: a token through domain-wide delegation (naming each scope that is not
//! delegated), then one small read of each API, each refusal with what to do.

use roster_core::{AccessCheck, CheckReport, ConnectorError};
use serde_json::Value;

use crate::GoogleWorkspace;
use crate::api::Service;
use crate::pages::Pages;
use crate::scopes::{self, LICENSING, ROLES, USERS};
use crate::{errors, licenses, tenant};

pub(crate) const USERS_PATH: &str = "/admin/directory/v1/users";

fn access(scope: &str, refusal: Option<String>) -> AccessCheck {
    let (capability, without) = scopes::capability(scope);
    AccessCheck {
        capability: capability.to_owned(),
        granted: refusal.is_none(),
        detail: refusal.map(|r| format!("without it {without}: {r}")),
    }
}

pub(crate) async fn run(c: &GoogleWorkspace) -> Result<CheckReport, ConnectorError> {
    let api = &c.api;
    api.token(false).await?;
    let missing = api.missing_scopes();
    let mut report = vec![AccessCheck {
        capability: format!(
            "obtain a token as {} through domain-wide delegation (POST {})",
            api.admin_email, api.key.token_uri
        ),
        granted: true,
        detail: None,
    }];
    let query = vec![("customer", c.customer_id.clone()), ("maxResults", "100".to_owned())];
    let mut pages = Pages::new(api, Service::Directory, USERS_PATH.to_owned(), query);
    let users = match pages.next().await? {
        Ok(items) => items.unwrap_or_default(),
        Err(e) => return Err(errors::refused(&pages.request(), &e, api, USERS)),
    };
    report.push(access(USERS, None));
    let not_delegated = |scope| {
        format!("the scope is not delegated; {}", scopes::delegate(api.key.client_id.as_deref(), &[scope]))
    };
    let roles = format!("/admin/directory/v1/customer/{}/roles", c.customer_id);
    let licensing = licenses::path("Google-Apps");
    for (scope, service, path, query) in [
        (ROLES, Service::Directory, roles, vec![("maxResults", "1".to_owned())]),
        (
            LICENSING,
            Service::Licensing,
            licensing,
            vec![("customerId", c.domain.clone()), ("maxResults", "1".to_owned())],
        ),
    ] {
        if missing.contains(&scope) {
            report.push(access(scope, Some(not_delegated(scope))));
            continue;
        }
        let mut pages = Pages::new(api, service, path, query);
        let refusal = match pages.next().await? {
            Ok(_) => None,
            Err(e) if scope == LICENSING && e.status == 403 && !e.reason_is("insufficientPermissions") => {
                let anyone = tenant::at_domain(&api.admin_email, &c.domain)
                    || users
                        .iter()
                        .filter_map(|u| u.get("primaryEmail").and_then(Value::as_str))
                        .any(|m| tenant::at_domain(m, &c.domain));
                let advice = tenant::licensing_advice(&c.domain, anyone);
                Some(format!(
                    "{} refused customerId={} ({}); {advice}",
                    pages.request(),
                    c.domain,
                    e.describe()
                ))
            }
            Err(e) => {
                let err = errors::refused(&pages.request(), &e, api, scope);
                Some(format!("{}; {}", err.message(), err.remediation()))
            }
        };
        report.push(access(scope, refusal));
    }
    Ok(CheckReport::new(tenant::record(&c.customer_id, &c.domain, users.first()), report))
}
