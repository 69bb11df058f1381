//! Customer specifications and per-customer settings. Every point the reference marks
//! \[INFERRED\] that the connector depends on is a setting here, so a test can try the
//! other reading.

use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::Value;

use crate::scopes::ALL_SCOPES;

/// How a Google Workspace customer is created.
#[derive(Clone, Debug)]
pub struct CustomerSpec {
    /// The customer id (`C0...`), as users' `customerId` and the Admin console show it.
    pub customer_id: String,
    /// The primary domain; generated users' emails are in it.
    pub domain: String,
    pub users: Users,
    /// Which embedded test key ([`crate::TEST_KEYS`]) the service account's key uses.
    pub key: usize,
    pub settings: CustomerSettings,
    /// "Now" for generated data: logins lie in the 120 days before it.
    pub anchor: DateTime<Utc>,
}

impl CustomerSpec {
    /// Customer `n` with `users` generated users from `seed`; user 0 is the super admin.
    pub fn generated(n: u64, users: usize, seed: u64) -> Self {
        CustomerSpec {
            customer_id: format!("C0{:07x}", 0x1a2b3c0 + n),
            domain: format!("workspace{n}.example.com"),
            users: Users::Generated { count: users, seed },
            key: (n as usize).saturating_sub(1),
            settings: CustomerSettings::default(),
            anchor: Utc::now().trunc_subsecs(0),
        }
    }
}

/// The users of a customer.
#[derive(Clone, Debug)]
pub enum Users {
    /// Generated from `(seed, index)`, with roles, role assignments and licences.
    Generated { count: usize, seed: u64 },
    /// Exactly these user objects (no roles, assignments or licences until set).
    Explicit(Vec<Value>),
}

/// A per-customer request budget (Google: 2,400 queries per minute per user).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub queries: u32,
    pub window: Duration,
}

/// What a spent budget (or an injected rate-limit fault) answers. \[INFERRED\]: the
/// Directory's limits page documents 403 `userRateLimitExceeded` and 429
/// `rateLimitExceeded`; recent reports show 403 `rateLimitExceeded`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RateLimitAnswer {
    #[default]
    RateLimitExceeded,
    UserRateLimitExceeded,
    ResourceExhausted429,
}

/// How a token request naming an undelegated scope is refused. \[INFERRED\].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScopeRefusal {
    /// 401 `unauthorized_client`, today's wording.
    #[default]
    UnauthorizedClient,
    /// 401 `unauthorized_client`, "Unauthorized client or scope in request.".
    OlderWording,
    /// 400 `access_denied`.
    AccessDenied,
}

/// `assigneeType` of role assignments: the reference says `USER`/`GROUP`, Google's
/// guide shows lower case, older revisions had none. \[INFERRED\].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AssigneeType {
    #[default]
    Upper,
    Lower,
    Absent,
}

/// What `listForProduct` answers for a product the customer does not have. \[INFERRED\].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnownedProduct {
    /// 200 without `items`, as observed.
    #[default]
    Empty,
    /// 403 "Unauthorized operation for the given domain.".
    Forbidden,
    /// 400 "Invalid ProductId".
    Invalid,
}

/// Per-customer switches.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerSettings {
    /// Scopes delegated to the service account's client id (domain-wide delegation).
    pub delegated_scopes: Vec<String>,
    /// `expires_in` of new tokens (3599 as observed), and when they stop working.
    pub token_lifetime: Duration,
    pub scope_refusal: ScopeRefusal,
    /// A suspended subject gets a token (and 403s) instead of `invalid_grant`. \[INFERRED\]
    pub token_for_suspended_subject: bool,
    /// `None`: no server-side limit.
    pub rate_limit: Option<RateLimit>,
    pub rate_limit_answer: RateLimitAnswer,
    /// A spent budget says `Retry-After` (Google usually does not). \[INFERRED\]
    pub retry_after: bool,
    /// Empty lists are served as `[]` instead of being left out. \[INFERRED\]
    pub empty_lists_present: bool,
    /// The last page carries `"nextPageToken": ""` instead of none. \[INFERRED\]
    pub empty_last_page_token: bool,
    /// Every page after the first is preceded by an empty page that carries a token
    /// (documented for role assignments).
    pub empty_pages: bool,
    pub assignee_type: AssigneeType,
    /// Licensing accepts the primary domain as `customerId` (the guide's examples).
    pub licensing_accepts_domain: bool,
    pub unowned_product: UnownedProduct,
    /// Licence `userId`s are served upper-cased (they match emails case-insensitively).
    pub license_user_ids_uppercase: bool,
    /// Users who never signed in have no `lastLoginTime` instead of the epoch. \[INFERRED\]
    pub never_signed_in_absent: bool,
}

impl Default for CustomerSettings {
    fn default() -> Self {
        CustomerSettings {
            delegated_scopes: ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            token_lifetime: Duration::from_secs(3599),
            scope_refusal: ScopeRefusal::default(),
            token_for_suspended_subject: false,
            rate_limit: None,
            rate_limit_answer: RateLimitAnswer::default(),
            retry_after: false,
            empty_lists_present: false,
            empty_last_page_token: false,
            empty_pages: false,
            assignee_type: AssigneeType::default(),
            licensing_accepts_domain: true,
            unowned_product: UnownedProduct::default(),
            license_user_ids_uppercase: false,
            never_signed_in_absent: false,
        }
    }
}
