//! Value pools for generated members: names with their ASCII email forms, domains, time zones, roles.

/// Western first names: (display, ASCII for emails). 25 entries.
pub(crate) const FIRST: [(&str, &str); 25] = [
    ("José", "Jose"),
    ("Zoë", "Zoe"),
    ("Anaïs", "Anais"),
    ("Søren", "Soren"),
    ("Łukasz", "Lukasz"),
    ("Siobhán", "Siobhan"),
    ("François", "Francois"),
    ("Björn", "Bjorn"),
    ("Ngozi", "Ngozi"),
    ("Priya", "Priya"),
    ("Mateo", "Mateo"),
    ("Olivia", "Olivia"),
    ("Liam", "Liam"),
    ("Aarav", "Aarav"),
    ("Fatima", "Fatima"),
    ("Chloé", "Chloe"),
    ("Jürgen", "Jurgen"),
    ("Ana", "Ana"),
    ("Mohammed", "Mohammed"),
    ("Emily", "Emily"),
    ("Noah", "Noah"),
    ("Hannah", "Hannah"),
    ("İlkay", "Ilkay"),
    ("Dmitri", "Dmitri"),
    ("Renée", "Renee"),
];

/// Western last names: (display, ASCII for emails). 20 entries.
pub(crate) const LAST: [(&str, &str); 20] = [
    ("Müller", "Muller"),
    ("O'Brien", "OBrien"),
    ("García", "Garcia"),
    ("Nguyễn", "Nguyen"),
    ("Smith", "Smith"),
    ("Kowalski", "Kowalski"),
    ("da Silva", "DaSilva"),
    ("Johansson", "Johansson"),
    ("Okafor", "Okafor"),
    ("Patel", "Patel"),
    ("Dubois", "Dubois"),
    ("van der Berg", "VanDerBerg"),
    ("Schröder", "Schroder"),
    ("Fernández", "Fernandez"),
    ("Kim", "Kim"),
    ("Ivanov", "Ivanov"),
    ("Brown", "Brown"),
    ("Yılmaz", "Yilmaz"),
    ("Lefèvre", "Lefevre"),
    ("Andersen", "Andersen"),
];

/// Full names in other scripts: (display, ASCII first, ASCII last). 10 entries.
pub(crate) const OTHER_SCRIPTS: [(&str, &str, &str); 10] = [
    ("王芳", "Fang", "Wang"),
    ("李伟", "Wei", "Li"),
    ("张敏", "Min", "Zhang"),
    ("佐藤 花子", "Hanako", "Sato"),
    ("鈴木 一郎", "Ichiro", "Suzuki"),
    ("김민준", "Minjun", "Kim"),
    ("이서연", "Seoyeon", "Lee"),
    ("Ольга Смирнова", "Olga", "Smirnova"),
    ("Αλέξανδρος Παπαδόπουλος", "Alexandros", "Papadopoulos"),
    ("محمد علي", "Mohamed", "Ali"),
];

pub(crate) const DOMAINS: [&str; 6] =
    ["Example.com", "example.com", "acme.io", "ACME.io", "corp.example.org", "Example.co.uk"];

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
