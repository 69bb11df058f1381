//! Value pools for generated users: names in several scripts with ASCII forms for emails.

/// (first name, ASCII form). 20 entries.
pub(crate) const FIRST: [(&str, &str); 20] = [
    ("José", "jose"),
    ("Zoë", "zoe"),
    ("Anaïs", "anais"),
    ("Søren", "soren"),
    ("Łukasz", "lukasz"),
    ("Siobhán", "siobhan"),
    ("François", "francois"),
    ("Björn", "bjorn"),
    ("Ngozi", "ngozi"),
    ("Priya", "priya"),
    ("Mateo", "mateo"),
    ("Olivia", "olivia"),
    ("Liam", "liam"),
    ("Aarav", "aarav"),
    ("Fatima", "fatima"),
    ("Chloé", "chloe"),
    ("Jürgen", "jurgen"),
    ("Emily", "emily"),
    ("İlkay", "ilkay"),
    ("Renée", "renee"),
];

/// (last name, ASCII form). 16 entries.
pub(crate) const LAST: [(&str, &str); 16] = [
    ("Müller", "muller"),
    ("O'Brien", "obrien"),
    ("García", "garcia"),
    ("Nguyễn", "nguyen"),
    ("Smith", "smith"),
    ("Kowalski", "kowalski"),
    ("da Silva", "dasilva"),
    ("Okafor", "okafor"),
    ("Patel", "patel"),
    ("van der Berg", "vanderberg"),
    ("Schröder", "schroder"),
    ("Fernández", "fernandez"),
    ("Kim", "kim"),
    ("Ivanov", "ivanov"),
    ("Yılmaz", "yilmaz"),
    ("Lefèvre", "lefevre"),
];

/// (first, last, ASCII first, ASCII last) in other scripts. Zoom keeps first and last apart.
pub(crate) const OTHER_SCRIPTS: [(&str, &str, &str, &str); 8] = [
    ("芳", "王", "fang", "wang"),
    ("伟", "李", "wei", "li"),
    ("花子", "佐藤", "hanako", "sato"),
    ("一郎", "鈴木", "ichiro", "suzuki"),
    ("민준", "김", "minjun", "kim"),
    ("Ольга", "Смирнова", "olga", "smirnova"),
    ("Αλέξανδρος", "Παπαδόπουλος", "alexandros", "papadopoulos"),
    ("محمد", "علي", "mohamed", "ali"),
];

pub(crate) const DOMAINS: [&str; 4] = ["example.com", "Example.org", "acme.io", "corp.example.net"];

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
