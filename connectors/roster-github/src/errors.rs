//! GitHub's refusals: a 4xx's message and headers, and what each means for the account,
//! with the exact grant that fixes it.

use roster_core::ConnectorError;
use roster_http::HeaderMap;
use serde_json::Value;

/// A 4xx answer from GitHub. The message is cut to 200 characters and scrubbed of the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GhError {
    pub status: u16,
    pub message: Option<String>,
    /// `X-GitHub-SSO`: the token is not authorized for the organization's SAML SSO.
    pub sso: bool,
}

impl GhError {
    pub(crate) fn parse(status: u16, headers: &HeaderMap, body: &[u8], token: &str) -> Self {
        let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let message = v["message"].as_str().map(|m| {
            let m: String = m.chars().take(200).collect();
            if token.is_empty() { m } else { m.replace(token, "[redacted]") }
        });
        GhError { status, message, sso: headers.contains_key("x-github-sso") }
    }

    /// `github answered 403 (message)`.
    pub(crate) fn describe(&self) -> String {
        match &self.message {
            Some(m) => format!("github answered {} ({m})", self.status),
            None => format!("github answered {}", self.status),
        }
    }

    /// Whether the message says a feature (Copilot) is not enabled.
    pub(crate) fn not_enabled(&self) -> bool {
        self.message.as_deref().is_some_and(|m| m.to_ascii_lowercase().contains("not enabled"))
    }

    /// Whether the refusal is SAML SSO enforcement (the token is not authorized for it).
    pub(crate) fn is_sso(&self) -> bool {
        self.sso || self.message.as_deref().is_some_and(|m| m.contains("SAML"))
    }

    /// The classified error of a failed `request` on `org`'s data.
    pub(crate) fn into_error(self, request: &str, org: &str) -> ConnectorError {
        let message = format!("{request}: {}", self.describe());
        match self.status {
            401 => bad_token(message),
            403 if self.is_sso() => sso(message, org),
            403 => ConnectorError::missing_permission(message, vec![MEMBERS_READ.into()])
                .with_remediation(owner_fix(org)),
            404 => not_visible(message, org),
            _ => ConnectorError::invalid_response(message),
        }
    }
}

/// The fine-grained permission (and classic scope) that reads members, outside
/// collaborators and invitations.
pub(crate) const MEMBERS_READ: &str = "members:read";
pub(crate) const READ_ORG: &str = "read:org";

/// What to grant to list outside collaborators and invitations.
pub(crate) fn owner_fix(org: &str) -> String {
    format!(
        "use a personal access token of an owner of {org}: a classic token with the read:org scope, or a fine-grained \
         token with the organization permission Members (read); only organization owners can list outside \
         collaborators and pending invitations"
    )
}

/// What to grant to read Copilot seats.
pub(crate) fn copilot_fix(org: &str) -> String {
    format!(
        "use a personal access token of an owner of {org}: a classic token with read:org or manage_billing:copilot, \
         or a fine-grained token with the organization permission GitHub Copilot Business (read) or Administration (read)"
    )
}

pub(crate) fn bad_token(message: String) -> ConnectorError {
    ConnectorError::invalid_credentials(format!("{message}; the token is wrong, expired or revoked")).with_remediation(
        "create a personal access token on GitHub (Settings → Developer settings → Personal access tokens) and put it \
         in credentials.token",
    )
}

pub(crate) fn not_visible(message: String, org: &str) -> ConnectorError {
    ConnectorError::config(format!("{message}; the organization {org} does not exist or this token cannot see it"))
        .with_remediation(
            "check credentials.organization (the login in https://github.com/LOGIN) and credentials.api_url; a \
             fine-grained token must be created with the organization as its resource owner, and a classic token's \
             user must be a member",
        )
}

pub(crate) fn sso(message: String, org: &str) -> ConnectorError {
    ConnectorError::missing_permission(message, vec!["sso".into()]).with_remediation(format!(
        "authorize the token for {org}'s SAML single sign-on: on GitHub, Settings → Developer settings → Personal \
         access tokens, then Configure SSO and Authorize next to {org}"
    ))
}
