//! Tenant specifications and per-tenant settings. Every point `API.md` marks \[INFERRED\]
//! that the connector depends on is a setting here, so a test can try the other reading.

use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use rand::Rng;
use roster_sim_kit::Mix;
use serde_json::Value;

/// The three application permissions Roster asks for.
pub const ROSTER_PERMISSIONS: [&str; 3] = ["User.Read.All", "Directory.Read.All", "AuditLog.Read.All"];

/// How a tenant is created.
#[derive(Clone, Debug)]
pub struct TenantSpec {
    /// The tenant's GUID (`organization.id`, the `tid` of its tokens).
    pub tenant_id: String,
    /// Its default verified domain (`contoso.onmicrosoft.com`); the token endpoint accepts it
    /// in place of the GUID.
    pub domain: String,
    pub display_name: String,
    /// The app registrations that may mint tokens, each with its granted permissions.
    pub apps: Vec<App>,
    pub users: Users,
    pub settings: TenantSettings,
    /// "Now" for generated data: sign-ins lie in the 120 days before it.
    pub anchor: DateTime<Utc>,
}

/// An app registration: its client id, secret and consented application permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct App {
    pub client_id: String,
    pub client_secret: String,
    pub permissions: Vec<String>,
}

/// The users of a tenant.
#[derive(Clone, Debug)]
pub enum Users {
    /// Generated from `(seed, index)`: index 0 is the Global Administrator.
    Generated { count: usize, seed: u64 },
    /// Exactly these user objects (every property Graph knows, `id` first), with the
    /// generated SKUs and roles left empty.
    Explicit(Vec<Value>),
}

impl TenantSpec {
    /// Tenant `n` with `users` generated users from `seed`, one app holding Roster's three
    /// permissions, and Entra ID P2. Ids are deterministic from `n`; the secret is random.
    pub fn generated(n: u64, users: usize, seed: u64) -> Self {
        let mut mix = Mix::new(&[n, 0x7e4a]);
        let secret: u128 = rand::rng().random();
        let anchor = Utc::now();
        TenantSpec {
            tenant_id: mix.guid(),
            domain: format!("tenant{n}.onmicrosoft.com"),
            display_name: format!("Tenant {n}"),
            apps: vec![App {
                client_id: mix.guid(),
                client_secret: format!("m365~{secret:032x}"),
                permissions: ROSTER_PERMISSIONS.iter().map(|p| (*p).to_owned()).collect(),
            }],
            users: Users::Generated { count: users, seed },
            settings: TenantSettings::default(),
            anchor: anchor.with_nanosecond(0).unwrap_or(anchor),
        }
    }
}

/// What `GET /users` does with a `$top` above the sign-in activity cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInTop {
    /// Pages of at most this many users, silently (500, as documented since 2024).
    Cap(usize),
    /// 400 "Cannot query data for more than N users at a time." (120, as in April 2023).
    Refuse(usize),
}

/// How an expired delta token is answered \[INFERRED\]: the overview documents 410 Gone and
/// names the codes, no directory body was ever published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeltaExpiry {
    /// 410 `syncStateNotFound` with a `Location` to start over.
    SyncStateNotFound,
    /// 410 `resyncRequired`.
    ResyncRequired,
    /// 400 `syncStateNotFound`.
    BadRequest,
}

/// Per-tenant switches.
#[derive(Clone, Debug, PartialEq)]
pub struct TenantSettings {
    /// Entra ID P1 or P2: without it `signInActivity` is refused (403).
    pub premium: bool,
    /// \[INFERRED\] With neither P1/P2 nor AuditLog.Read.All, the premium refusal is the
    /// one given (else the permission refusal).
    pub premium_checked_first: bool,
    pub signin_top: SignInTop,
    pub delta_expiry: DeltaExpiry,
    /// Entries per delta page (Graph's vary).
    pub delta_page_size: usize,
    /// \[INFERRED\] Role members carry `@odata.type` (an old documentation example has none).
    pub members_odata_type: bool,
    /// \[INFERRED\] `Retry-After` in fractional seconds (`1.128`), as an older revision of
    /// the throttling page shows; else whole seconds.
    pub fractional_retry_after: bool,
    /// Requests per 10 seconds for this app and tenant (the resource-unit bucket, counting
    /// every request as one unit); `None` turns the limit off.
    pub requests_per_10s: Option<u32>,
    /// `expires_in` of new tokens.
    pub token_lifetime: Duration,
}

impl Default for TenantSettings {
    fn default() -> Self {
        TenantSettings {
            premium: true,
            premium_checked_first: true,
            signin_top: SignInTop::Cap(500),
            delta_expiry: DeltaExpiry::SyncStateNotFound,
            delta_page_size: 100,
            members_odata_type: true,
            fractional_retry_after: false,
            requests_per_10s: Some(3500),
            token_lifetime: Duration::from_secs(3599),
        }
    }
}
