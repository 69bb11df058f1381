//! The account's `[credentials]` table (its JSON Schema is the setup form), and where
//! REST and GraphQL live for its `api_url`.

use roster_core::{FieldError, Secret};
use roster_http::parse_origin;
use schemars::JsonSchema;
use serde::Deserialize;
use url::Url;

/// # GitHub organization
///
/// Connects one GitHub organization (github.com, GitHub Enterprise Cloud or Server) with a
/// personal access token of an organization owner. A fine-grained token needs these
/// organization permissions: Members (read), Administration (read) and GitHub Copilot
/// Business (read); a classic token needs the read:org scope. Only an owner's token can
/// list outside collaborators and pending invitations.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("examples" = [
    {"organization": "octo-org", "token": "github_pat_example", "api_url": "https://api.github.com"},
    {"organization": "octo-org", "token": "ghp_example", "api_url": "https://github.example.com/api/v3"}
]))]
pub struct GithubCredentials {
    /// # Organization
    ///
    /// The organization's login, as in https://github.com/LOGIN.
    #[schemars(length(min = 1))]
    pub organization: String,

    /// # Personal access token
    ///
    /// A fine-grained token whose resource owner is the organization, or a classic token with
    /// read:org, created by an organization owner (and authorized for SAML single sign-on
    /// when the organization enforces it).
    pub token: Secret,

    /// # API URL
    ///
    /// https://api.github.com for github.com; https://HOST/api/v3 for GitHub Enterprise
    /// Server, whose GraphQL API is then read from https://HOST/api/graphql.
    #[serde(default = "default_api_url")]
    #[schemars(url, example = &"https://github.example.com/api/v3")]
    pub api_url: String,
}

fn default_api_url() -> String {
    DEFAULT_API_URL.to_owned()
}

/// Where github.com's API lives.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// The origin requests go to, the REST prefix (`""` or `/api/v3`), and the GraphQL path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoints {
    pub origin: Url,
    pub rest: String,
    pub graphql: String,
}

const EXPECTED: &str = "expected https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server";

/// `api_url` → endpoints: a bare origin has REST at its root and GraphQL at `/graphql`;
/// `…/api/v3` has GraphQL at `…/api/graphql`. https, or http to loopback only.
pub(crate) fn endpoints(api_url: &str) -> Result<Endpoints, String> {
    let url = Url::parse(api_url.trim()).map_err(|_| EXPECTED.to_owned())?;
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(format!("{EXPECTED}, without a query, fragment or user info"));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    let graphql = match path.strip_suffix("/api/v3") {
        _ if path.is_empty() => "/graphql".to_owned(),
        Some(base) => format!("{base}/api/graphql"),
        None => return Err(format!("{EXPECTED}; the path must be empty or end with /api/v3")),
    };
    let mut origin = url;
    origin.set_path("/");
    let origin = parse_origin(origin.as_str()).map_err(|e| e.to_string())?;
    Ok(Endpoints { origin, rest: path, graphql })
}

/// Checks every credential, naming each key that is wrong.
pub(crate) fn validate(c: &GithubCredentials) -> Result<Endpoints, Vec<FieldError>> {
    let login = c.organization.trim();
    let bad_login =
        login.is_empty() || !login.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let login_error = bad_login.then(|| {
        let expected =
            "expected the organization's login as in https://github.com/LOGIN: letters, digits and hyphens";
        FieldError::new("credentials.organization", expected)
    });
    let api_url = endpoints(&c.api_url).map_err(|m| FieldError::new("credentials.api_url", m));
    let errors: Vec<FieldError> = login_error.into_iter().chain(api_url.as_ref().err().cloned()).collect();
    api_url.ok().filter(|_| errors.is_empty()).ok_or(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_and_refusals_by_key() {
        let parts = |url| endpoints(url).map(|e| format!("{} {} {}", e.origin, e.rest, e.graphql));
        assert_eq!(parts(DEFAULT_API_URL).as_deref(), Ok("https://api.github.com/  /graphql"));
        assert_eq!(
            parts("https://ghe.example.com/api/v3/").as_deref(),
            Ok("https://ghe.example.com/ /api/v3 /api/graphql")
        );
        assert_eq!(
            parts("http://127.0.0.1:9/api/v3").as_deref(),
            Ok("http://127.0.0.1:9/ /api/v3 /api/graphql")
        );
        for bad in [
            "http://ghe.example.com/api/v3",
            "https://ghe.example.com/api",
            "ghe.example.com",
            "https://x.example.com/?a=1",
        ] {
            assert!(endpoints(bad).is_err(), "{bad}");
        }
        let keys = |organization: &str, api_url: &str| {
            let c = GithubCredentials {
                organization: organization.into(),
                token: Secret::new("t"),
                api_url: api_url.into(),
            };
            validate(&c).err().unwrap_or_default().into_iter().map(|e| e.key).collect::<Vec<_>>()
        };
        assert_eq!(keys("octo org", DEFAULT_API_URL), ["credentials.organization"]);
        assert_eq!(keys("", "https://x.example.com/v4"), ["credentials.organization", "credentials.api_url"]);
        assert!(keys("octo-org", DEFAULT_API_URL).is_empty());
    }
}
