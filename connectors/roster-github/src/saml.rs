//! The organization's SAML identities: user login → `nameId`, the email of record when the
//! organization has SAML single sign-on.

use std::collections::HashMap;

use roster_core::ConnectorError;
use serde_json::Value;

use crate::api::Api;
use crate::gql::{Connection, GqlError, Page, SAML};

/// What the identity provider gave.
#[derive(Debug)]
pub(crate) enum Saml {
    /// `nameId` by lower-cased login.
    Identities(HashMap<String, String>),
    /// No provider at the organization (no SAML, SAML at the enterprise, or not an owner).
    NoProvider,
    Refused(GqlError),
}

/// Every identity; with `probe`, only the first page of one.
pub(crate) async fn read(api: &Api, probe: bool) -> Result<Saml, ConnectorError> {
    let first = if probe { 1 } else { api.page_size };
    let mut pages =
        Connection::new(SAML, "/data/organization/samlIdentityProvider/externalIdentities", first);
    let mut identities = HashMap::new();
    while let Some(page) = pages.next(api).await? {
        let edges = match page {
            Page::Edges(edges) => edges,
            Page::Absent => return Ok(Saml::NoProvider),
            Page::Error(e) if e.kind == "NOT_FOUND" => {
                return Err(e.into_error("samlIdentityProvider", &api.org));
            }
            Page::Error(e) => return Ok(Saml::Refused(e)),
        };
        for edge in edges {
            let text =
                |p: &str| edge.pointer(p).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
            if let (Some(login), Some(name_id)) =
                (text("/node/user/login"), text("/node/samlIdentity/nameId"))
            {
                identities.insert(login.to_lowercase(), name_id.to_owned());
            }
        }
        if probe {
            break;
        }
    }
    Ok(Saml::Identities(identities))
}
