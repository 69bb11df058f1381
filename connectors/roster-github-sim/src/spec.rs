//! Organization specifications and per-organization switches. Every point the connector's
//! `API.md` marks \[INFERRED\] is a setting here, so a test can try the other reading.

use std::time::Duration;

use rand::Rng;

/// A personal access token and what its user may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSpec {
    pub token: String,
    /// The token's user.
    pub login: String,
    /// Whether the user is an organization owner (owner-only endpoints refuse others).
    pub owner: bool,
    /// Classic scopes: GraphQL needs `read:org` or `admin:org` (INSUFFICIENT_SCOPES otherwise).
    pub scopes: Vec<String>,
}

impl TokenSpec {
    /// A random classic token with `read:org`.
    pub fn new(login: &str, owner: bool) -> Self {
        let (a, b): (u128, u16) = (rand::rng().random(), rand::rng().random());
        TokenSpec {
            token: format!("ghp_{a:032x}{b:04x}"),
            login: login.to_owned(),
            owner,
            scopes: vec!["read:org".into()],
        }
    }
}

/// The primary budgets (GitHub: 5,000 an hour each for REST `core` and `graphql`), as fixed
/// windows with a reset time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimaryLimits {
    pub rest: u32,
    pub graphql: u32,
    pub window: Duration,
}

impl Default for PrimaryLimits {
    fn default() -> Self {
        PrimaryLimits { rest: 5000, graphql: 5000, window: Duration::from_secs(3600) }
    }
}

/// A secondary limit: `requests` in any sliding `window`, shared by REST and GraphQL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecondaryLimit {
    pub requests: u32,
    pub window: Duration,
    /// Whether the refusal carries `retry-after` (GitHub: sometimes).
    pub retry_after: bool,
}

/// Per-organization switches.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgSettings {
    /// `None`: rate limits off and no `x-ratelimit-*` headers, as GitHub Enterprise Server ships.
    pub primary: Option<PrimaryLimits>,
    pub secondary: Option<SecondaryLimit>,
    /// Status of REST rate-limit refusals, both tiers: 403 or 429 (GitHub sends either).
    pub rate_limit_status: u16,
    /// The GraphQL rate-limit error's type: `RATE_LIMITED`, or `RATE_LIMIT` as seen in 2026.
    pub graphql_rate_limit_type: &'static str,
    /// \[INFERRED\] Status for a non-owner on owner-only endpoints: 403 or 404.
    pub non_owner_status: u16,
    /// \[INFERRED\] Whether non-owners see `plan` in `GET /orgs/{org}`.
    pub plan_visible_to_members: bool,
    /// \[INFERRED\] Status of the seat listing without Copilot: 404 or 422.
    pub copilot_absent_status: u16,
    /// \[INFERRED\] `link` URLs as `/organizations/{id}/...` (else `/orgs/{login}/...`).
    pub link_by_id: bool,
    /// \[INFERRED\] SAML `nameId`s are email addresses (else persistent opaque ids).
    pub name_id_is_email: bool,
}

impl Default for OrgSettings {
    fn default() -> Self {
        OrgSettings {
            primary: Some(PrimaryLimits::default()),
            secondary: None,
            rate_limit_status: 403,
            graphql_rate_limit_type: "RATE_LIMITED",
            non_owner_status: 403,
            plan_visible_to_members: false,
            copilot_absent_status: 404,
            link_by_id: true,
            name_id_is_email: true,
        }
    }
}

/// How an organization is created.
#[derive(Clone, Debug)]
pub struct OrgSpec {
    pub login: String,
    pub id: u64,
    pub name: Option<String>,
    /// `plan.name`: `free`, `team`, `enterprise`, ...
    pub plan: String,
    /// `plan.seats`; `None` is 10% above the filled seats.
    pub seats: Option<u64>,
    pub members: usize,
    pub outside_collaborators: usize,
    /// Pending invitations, most by email only (`login: null`).
    pub invitations: usize,
    pub seed: u64,
    /// SAML single sign-on at the organization (an identity per member, and one unlinked).
    pub saml: bool,
    /// The Copilot subscription, as its seats' `plan_type`: `business` or `enterprise`.
    pub copilot: Option<&'static str>,
    /// Tokens that reach this organization; the first is an owner's, the second a member's.
    pub tokens: Vec<TokenSpec>,
    pub settings: OrgSettings,
}

impl OrgSpec {
    /// Organization `n` on the enterprise plan with SAML and Copilot Business, `members`
    /// generated members, a tenth as many outside collaborators, a twentieth as many
    /// invitations, an owner's token and a member's.
    pub fn generated(n: u64, members: usize, seed: u64) -> Self {
        OrgSpec {
            login: format!("octo-org-{n}"),
            id: 9_000 + n,
            name: Some(format!("Octo Org {n}")),
            plan: "enterprise".into(),
            seats: None,
            members: members.max(2),
            outside_collaborators: (members / 10).max(2),
            invitations: (members / 20).max(3),
            seed,
            saml: true,
            copilot: Some("business"),
            tokens: vec![
                TokenSpec::new(&format!("owner-{n}"), true),
                TokenSpec::new(&format!("member-{n}"), false),
            ],
            settings: OrgSettings::default(),
        }
    }
}
