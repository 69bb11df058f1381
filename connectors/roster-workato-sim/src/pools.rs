//! Value pools for generated members that are Workato's own: time zones, roles, recipes. Names
//! and domains come from the kit (`roster_sim_kit::names`).

/// Rails time-zone names with their standard UTC offset in minutes.
pub(crate) const TIME_ZONES: [(&str, i32); 17] = [
    ("Pacific Time (US & Canada)", -480),
    ("Eastern Time (US & Canada)", -300),
    ("Central Time (US & Canada)", -360),
    ("UTC", 0),
    ("London", 0),
    ("Berlin", 60),
    ("Paris", 60),
    ("Tokyo", 540),
    ("Beijing", 480),
    ("Kolkata", 330),
    ("Sydney", 600),
    ("Brasilia", -180),
    ("Kathmandu", 345),
    ("Newfoundland", -210),
    ("Singapore", 480),
    ("Auckland", 720),
    ("Hawaii", -600),
];

/// Legacy roles (system roles and one custom copy) with weights.
pub(crate) const LEGACY_ROLES: [(&str, u64); 4] =
    [("Admin", 12), ("Analyst", 45), ("Operator", 33), ("Recipe reviewer", 10)];

/// RBAC v2 environment roles (system roles and one custom role) with weights.
pub(crate) const ENV_ROLES: [(&str, u64); 4] =
    [("Environment admin", 10), ("Environment manager", 30), ("Member", 55), ("Recipe reviewer", 5)];

pub(crate) const USER_AGENTS: [&str; 4] = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Workato-CLI/1.2.0 (python-requests/2.31)",
];

pub(crate) const RECIPES: [&str; 6] = [
    "Sync Salesforce leads to NetSuite",
    "New hire onboarding",
    "Nightly invoice export",
    "Slack alert on failed jobs",
    "Zendesk ticket triage",
    "Procure to Pay: approvals",
];

pub(crate) const CONNECTIONS: [&str; 4] =
    ["Salesforce (prod)", "NetSuite sandbox", "Slack workspace", "Snowflake analytics"];

pub(crate) const FOLDERS: [&str; 4] = ["Marketing ops", "Finance", "HR automations", "Shared"];
