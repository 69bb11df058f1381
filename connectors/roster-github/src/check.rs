//! `check`: the organization and its plan, then one small read of everything a sync reads.
//! A bad token, an organization the token cannot see and a token that is not an owner's
//! are told apart.

use roster_core::{AccessCheck, CheckReport, ConnectorError};

use crate::api::Api;
use crate::copilot::{self, Seats};
use crate::errors::{self, owner_fix};
use crate::gql::{self, Connection, Page};
use crate::org;
use crate::saml::{self, Saml};

fn access(capability: String, refused: Option<String>) -> AccessCheck {
    AccessCheck { capability, granted: refused.is_none(), detail: refused }
}

pub(crate) async fn check(api: &Api) -> Result<CheckReport, ConnectorError> {
    let org = org::read(api).await?;
    let (login, path) = (&api.org, api.org_path(""));
    let mut checks = vec![access(
        format!("read the organization {login} and its plan (GET {path})"),
        org.plan.is_none().then(|| {
            format!("github shows the plan and its seats only to organization owners; {}", owner_fix(login))
        }),
    )];

    let mut members = Connection::new(gql::MEMBERS, "/data/organization/membersWithRole", 1);
    match members.next(api).await? {
        Some(Page::Edges(_)) => {
            checks.push(access("list members and their roles (graphql membersWithRole)".into(), None))
        }
        Some(Page::Error(e)) => return Err(e.into_error("membersWithRole", login)),
        Some(Page::Absent) | None => {
            return Err(errors::not_visible("graphql membersWithRole: no organization".into(), login));
        }
    }

    let saml = saml::read(api, true).await?;
    checks.push(match &saml {
        Saml::Identities(_) => access("read SAML identities for emails (graphql samlIdentityProvider)".into(), None),
        Saml::NoProvider => access("read SAML identities: the organization has no SAML identity provider visible to this token; emails are public profile emails".into(), None),
        Saml::Refused(e) => access(
            "read SAML identities for emails (graphql samlIdentityProvider)".into(),
            Some(format!("github answered {} ({}); {}", e.kind, e.message, owner_fix(login))),
        ),
    });

    for (what, tail) in
        [("outside collaborators", "/outside_collaborators"), ("pending invitations", "/invitations")]
    {
        let path = api.org_path(tail);
        let refused = match api.get(&path, &[("per_page", "1".to_owned())]).await? {
            Ok(_) => None,
            Err(r) if r.status == 401 => return Err(r.into_error(&format!("GET {path}"), login)),
            Err(r) if r.is_sso() => Some(errors::sso(r.describe(), login).remediation().to_owned()),
            Err(r) => Some(format!("{}: the token is not an owner's; {}", r.describe(), owner_fix(login))),
        };
        checks.push(access(format!("list {what} (GET {path})"), refused));
    }

    let path = api.org_path("/copilot/billing/seats");
    let copilot = copilot::read(api, true).await?;
    checks.push(match &copilot {
        Seats::Read(c) => access(format!("read Copilot seats (GET {path}): {}", c.plan()), None),
        Seats::NotEnabled => access(
            format!("read Copilot seats (GET {path}): copilot is not enabled for this organization"),
            None,
        ),
        Seats::Refused(r) => access(
            format!("read Copilot seats (GET {path})"),
            Some(format!("{}; {}", r.describe(), errors::copilot_fix(login))),
        ),
    });
    let plan = match &copilot {
        Seats::Read(c) => Some(c.plan()),
        _ => None,
    };
    Ok(CheckReport::new(org.record(matches!(saml, Saml::Identities(_)), plan), checks))
}
