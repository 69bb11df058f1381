//! Value pools for generated users that are Zoom's own: time zones, departments, client
//! versions, languages. Names and domains come from the kit (`roster_sim_kit::names`).

pub(crate) const TIME_ZONES: [&str; 8] = [
    "America/Los_Angeles",
    "America/New_York",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "",
];

pub(crate) const DEPARTMENTS: [&str; 6] =
    ["", "Engineering", "Sales", "Support", "Finance", "Ventes & Marketing"];

pub(crate) const CLIENT_VERSIONS: [&str; 4] =
    ["5.17.11.34827(mac)", "6.0.2.39950(win)", "5.16.10.26186(android)", "6.1.0.43155(iphone)"];

pub(crate) const LANGUAGES: [&str; 4] = ["en-US", "de-DE", "ja-JP", "fr-FR"];
