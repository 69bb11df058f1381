//! OData query options as Graph reads them: `$select` (checked against the user type),
//! `$top`, `$skiptoken`, `$deltatoken`; projections; full-URL next and delta links.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::responses::{graph_error, guid};

/// Returned when no `$select` is given [DOC user-list].
const DEFAULT: [&str; 11] = [
    "businessPhones",
    "displayName",
    "givenName",
    "id",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
];
/// Properties of a user that exist but are not in `DEFAULT`.
const OTHERS: [&str; 8] = [
    "accountEnabled",
    "userType",
    "externalUserState",
    "assignedLicenses",
    "signInActivity",
    "createdDateTime",
    "department",
    "companyName",
];
/// Only on a single user: `$select` of them on a collection is 501 [DOC user-list].
const SINGLE_ONLY: [&str; 11] = [
    "aboutMe",
    "birthday",
    "hireDate",
    "interests",
    "mySite",
    "pastProjects",
    "preferredName",
    "responsibilities",
    "schools",
    "skills",
    "mailboxSettings",
];

/// A request's query options.
pub(crate) struct OData(Vec<(String, String)>);

impl OData {
    pub(crate) fn parse(query: Option<String>) -> Self {
        OData(roster_sim_kit::respond::params(&query.unwrap_or_default()))
    }

    /// An option by name, in any case (`$deltaToken` and `$deltatoken` alike).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }

    /// The user `$select` list (`None` when absent), or Graph's refusal of it.
    pub(crate) fn user_select(&self) -> Result<Option<Vec<String>>, Box<Response>> {
        let Some(raw) = self.get("$select") else {
            return Ok(None);
        };
        let list: Vec<String> =
            raw.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
        for p in &list {
            if SINGLE_ONLY.contains(&p.as_str()) {
                let message = "This operation target is not yet supported.";
                return Err(Box::new(graph_error(StatusCode::NOT_IMPLEMENTED, "NotImplemented", message)));
            }
            if !DEFAULT.contains(&p.as_str()) && !OTHERS.contains(&p.as_str()) {
                let message =
                    format!("Could not find a property named '{p}' on type 'microsoft.graph.user'.");
                return Err(Box::new(graph_error(StatusCode::BAD_REQUEST, "Request_BadRequest", &message)));
            }
        }
        Ok(Some(list))
    }
}

pub(crate) fn selects(select: Option<&[String]>, property: &str) -> bool {
    select.is_some_and(|s| s.iter().any(|p| p == property))
}

/// `object` cut to `select` (or to the default user properties), `id` and `@odata.type`
/// always kept; a selected property the object lacks is left out, as Graph leaves out
/// `signInActivity` for a user who never signed in.
pub(crate) fn project(object: &Value, select: Option<&[String]>) -> Value {
    let keep = |k: &str| {
        k == "id" || k == "@odata.type" || select.map_or(DEFAULT.contains(&k), |s| s.iter().any(|p| p == k))
    };
    let fields = object.as_object().into_iter().flatten().filter(|(k, _)| keep(k));
    Value::Object(fields.map(|(k, v)| (k.clone(), v.clone())).collect::<Map<_, _>>())
}

/// An opaque token.
pub(crate) fn token() -> String {
    format!("{}{}", guid().replace('-', ""), guid().replace('-', "")).to_uppercase()
}

/// A full link on the simulator's origin: `{origin}{path}?k=v&...`.
pub(crate) fn link(origin: &str, path: &str, pairs: &[(&str, String)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (*k, v)))
        .finish();
    format!("{origin}{path}?{query}")
}

/// `@odata.context` of a user collection.
pub(crate) fn context(origin: &str, select: Option<&[String]>) -> String {
    match select {
        Some(s) => format!("{origin}/v1.0/$metadata#users({})", s.join(",")),
        None => format!("{origin}/v1.0/$metadata#users"),
    }
}

pub(crate) fn bad_request(code: &str, message: &str) -> Response {
    graph_error(StatusCode::BAD_REQUEST, code, message)
}

/// A `/users` `$skiptoken`: opaque to clients, it carries the next offset and the query.
pub(crate) fn skiptoken(offset: usize, select: Option<&[String]>) -> String {
    let select = select.map(|s| s.join(",")).unwrap_or_default();
    let hex: String = select.bytes().map(|b| format!("{b:02X}")).collect();
    format!("X%{offset:08X}{hex}")
}

/// The offset and query of a `/users` `$skiptoken`; `None` for one this simulator did not make.
pub(crate) fn read_skiptoken(token: &str) -> Option<(usize, Option<Vec<String>>)> {
    let rest = token.strip_prefix("X%")?;
    let offset = usize::from_str_radix(rest.get(..8)?, 16).ok()?;
    let hex = rest.get(8..)?;
    let bytes: Option<Vec<u8>> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
    let select = String::from_utf8(bytes?).ok()?;
    Some((offset, (!select.is_empty()).then(|| select.split(',').map(str::to_owned).collect())))
}
