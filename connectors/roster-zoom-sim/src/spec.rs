//! Account specifications and per-account settings. Every point the reference marks
//! \[INFERRED\] is a setting here, so a test can try the other reading.

use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use rand::Rng;
use serde_json::Value;

use crate::scopes::{ACTION_SCOPES, GRANULAR_SCOPES};

/// How a Zoom account is created.
#[derive(Clone, Debug)]
pub struct ZoomAccountSpec {
    /// The Zoom account id (the S2S app's "Account ID").
    pub account_id: String,
    /// The S2S app's client id.
    pub client_id: String,
    /// The S2S app's client secret.
    pub client_secret: String,
    /// The account's users, in list order.
    pub users: Users,
    /// Switches for behaviour the reference leaves open.
    pub settings: ZoomAccountSettings,
    /// "Now" for generated data: logins lie in the 120 days before it.
    pub anchor: DateTime<Utc>,
}

impl ZoomAccountSpec {
    /// Account `n` with `users` generated users from `seed`. The ids are
    /// deterministic from `n`; the client secret is random.
    pub fn generated(n: u64, users: usize, seed: u64) -> Self {
        let secret: u128 = rand::rng().random();
        let anchor = Utc::now();
        ZoomAccountSpec {
            account_id: format!("zsimAcct{n:014}"),
            client_id: format!("zsimClient{n:012}"),
            client_secret: format!("zsim{secret:032x}"),
            users: Users::Generated { count: users, seed },
            settings: ZoomAccountSettings::default(),
            anchor: anchor.with_nanosecond(0).unwrap_or(anchor),
        }
    }
}

/// The users of an account.
#[derive(Clone, Debug)]
pub enum Users {
    /// Generated from `(seed, index)`: index 0 is the owner.
    Generated { count: usize, seed: u64 },
    /// Exactly these user objects, served as given.
    Explicit(Vec<Value>),
}

impl Users {
    /// A small account of known people, for tests of actions: the owner `own`, the admin
    /// `adm`, the Licensed member `mem`, the Basic member `bas`, the deactivated member `ina`
    /// (emails `<id>@acme.io`), and the pending invitation `new@acme.io`.
    pub fn cast() -> Users {
        let user = |id: &str, role: &str, kind: u8, status: &str| {
            serde_json::json!({
                "id": id, "email": format!("{id}@acme.io"), "first_name": id, "last_name": "Test",
                "display_name": format!("{id} Test"), "type": kind, "role_id": role, "status": status,
                "last_login_time": "2026-01-02T03:04:05Z",
            })
        };
        Users::Explicit(vec![
            user("own", "0", 2, "active"),
            user("adm", "1", 2, "active"),
            user("mem", "2", 2, "active"),
            user("bas", "2", 1, "active"),
            user("ina", "2", 2, "inactive"),
            serde_json::json!({"email": "new@acme.io", "type": 1, "role_id": "2", "status": "pending"}),
        ])
    }
}

/// Per-second (and optionally daily) request limits per rate-limit label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimits {
    pub light_per_second: u32,
    pub medium_per_second: u32,
    pub heavy_per_second: u32,
    /// Requests per UTC day across all labels; `None` for no daily limit.
    pub daily: Option<u32>,
    /// Whether a per-second 429 carries `Retry-After: 1`. \[INFERRED\]: reportedly it does not.
    pub qps_retry_after: bool,
}

impl RateLimits {
    /// The Pro plan's per-second limits [DOC rate-limits].
    pub fn pro() -> Self {
        RateLimits {
            light_per_second: 30,
            medium_per_second: 20,
            heavy_per_second: 10,
            daily: None,
            qps_retry_after: false,
        }
    }

    /// The Free plan's limits: per second and 2,000 medium requests a day (applied to all here).
    pub fn free() -> Self {
        RateLimits {
            light_per_second: 4,
            medium_per_second: 2,
            heavy_per_second: 1,
            daily: Some(2000),
            qps_retry_after: false,
        }
    }
}

/// What the last page's `next_page_token` looks like.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LastPageToken {
    /// `""`, as documented.
    #[default]
    Empty,
    /// The key is left out.
    Absent,
}

/// How `GET /users` pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paging {
    /// The page size used when the request names none.
    pub default_page_size: usize,
    /// Larger `page_size` values are cut to this.
    pub max_page_size: usize,
    pub last_page_token: LastPageToken,
    /// When a page ends exactly at the end of the list, still hand out a token, so the
    /// last page is empty.
    pub trailing_empty_page: bool,
    /// Every page after the first is preceded by an empty page that carries a token.
    pub empty_pages: bool,
    /// How long a `next_page_token` stays valid (15 minutes in Zoom).
    pub token_ttl: Duration,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            default_page_size: 30,
            max_page_size: 300,
            last_page_token: LastPageToken::Empty,
            trailing_empty_page: false,
            empty_pages: false,
            token_ttl: Duration::from_secs(15 * 60),
        }
    }
}

/// The account's plan, as `GET /accounts/{accountId}/plans/usage` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Free accounts get 400 code 200 "Only available for paid account.".
    pub paid: bool,
    /// `plan_base.type`.
    pub base_type: String,
    /// Purchased Licensed seats (`plan_base.hosts`).
    pub hosts: u64,
    /// `plan_base` as an array with `active_hosts` (master accounts, per a public client).
    pub base_as_array: bool,
}

impl Default for Plan {
    fn default() -> Self {
        Plan { paid: true, base_type: "monthly".to_owned(), hosts: 0, base_as_array: false }
    }
}

/// How the user and role writes answer. Each field is an \[INFERRED\] point of the
/// reference; the defaults are its preferred readings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteSettings {
    /// Deactivating a Licensed user also makes them Basic (type 1); reactivating does not
    /// give the license back.
    pub deactivate_drops_license: bool,
    /// Deactivating an inactive user (or activating an active one) is 400 code 300 instead
    /// of 204.
    pub repeat_status_refused: bool,
    /// `GET /users/{email}` of a pending user is 400 code 1120 ("Invite not exist.")
    /// instead of the invitation.
    pub pending_unreadable: bool,
    /// Email domains the account manages: disassociating their users is 400 code 1107.
    pub managed_domains: Vec<String>,
    /// `DELETE /roles/{roleId}/members/{userId}` of a user not in the role is 400 code 300
    /// instead of 404 code 1001.
    pub not_in_role_is_400: bool,
}

/// Per-account switches.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoomAccountSettings {
    /// Scopes granted to tokens issued from now on.
    pub scopes: Vec<String>,
    /// `expires_in` of new tokens, and when they stop working.
    pub token_lifetime: Duration,
    /// A deactivated app mints no tokens and its tokens stop working.
    pub app_activated: bool,
    /// `None` disables rate limiting (headers are still sent).
    pub rate_limit: Option<RateLimits>,
    pub paging: Paging,
    /// The plan; `hosts` of 0 means "as many as there are Licensed users, plus 10%".
    pub plan: Plan,
    /// Status of the code-124 answers (expired or invalid token): 401 as observed; the
    /// OpenAPI document says 400.
    pub invalid_token_status: u16,
    /// Added to every response of this account.
    pub latency: Duration,
    /// How the writes answer.
    pub writes: WriteSettings,
}

impl Default for ZoomAccountSettings {
    fn default() -> Self {
        ZoomAccountSettings {
            scopes: GRANULAR_SCOPES.iter().chain(&ACTION_SCOPES).map(|s| (*s).to_owned()).collect(),
            token_lifetime: Duration::from_secs(3600),
            app_activated: true,
            rate_limit: Some(RateLimits::pro()),
            paging: Paging::default(),
            plan: Plan::default(),
            invalid_token_status: 401,
            latency: Duration::ZERO,
            writes: WriteSettings::default(),
        }
    }
}
