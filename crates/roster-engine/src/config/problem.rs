//! One problem with one config file, reported as `file: key: message`.

use std::fmt;
use std::path::PathBuf;

/// A problem with a config file. `message` says what was wrong and what was
/// expected; it never contains a configured value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub file: PathBuf,
    pub key: Option<String>,
    pub message: String,
}

impl ConfigProblem {
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self { file: file.into(), key: None, message: message.into() }
    }

    pub fn key(file: impl Into<PathBuf>, key: impl Into<String>, message: impl Into<String>) -> Self {
        let key = key.into();
        Self { file: file.into(), key: (!key.is_empty()).then_some(key), message: message.into() }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: key `{key}`: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Describes a figment error from its kind, path and source, without the
/// value figment's own message would echo.
pub(crate) fn from_figment(file: &std::path::Path, e: &figment::Error) -> ConfigProblem {
    use figment::error::{Actual, Kind};
    let actual = |a: &Actual| -> &'static str {
        match a {
            Actual::Bool(_) => "a boolean",
            Actual::Unsigned(_) | Actual::Signed(_) => "an integer",
            Actual::Float(_) => "a float",
            Actual::Char(_) | Actual::Str(_) => "a string",
            Actual::Bytes(_) => "bytes",
            Actual::Unit | Actual::Option => "nothing",
            Actual::Seq => "an array",
            Actual::Map => "a table",
            _ => "another kind of value",
        }
    };
    let message = match &e.kind {
        Kind::InvalidType(a, expected) => format!("expected {expected}, found {}", actual(a)),
        Kind::InvalidValue(a, expected) => format!("expected {expected}, found {}", actual(a)),
        Kind::InvalidLength(n, expected) => format!("expected {expected}, found {n} elements"),
        // The value is never echoed: it may be a secret typed into the wrong key.
        Kind::UnknownVariant(_, expected) => {
            format!("unknown value; expected one of {}", expected.join(", "))
        }
        Kind::UnknownField(field, expected) => {
            return ConfigProblem::key(
                file,
                join_key(&e.path, field),
                format!("unknown key; expected one of {}", expected.join(", ")),
            );
        }
        Kind::MissingField(field) => {
            return ConfigProblem::key(file, join_key(&e.path, field), "missing; it is required");
        }
        Kind::DuplicateField(field) => {
            return ConfigProblem::key(file, join_key(&e.path, field), "given twice");
        }
        Kind::Message(m) => roster_core::error::redact_serde_message(m),
        _ => "is not valid".to_owned(),
    };
    let mut problem = ConfigProblem::key(file, e.path.join("."), message);
    if let Some(meta) = &e.metadata
        && meta.name.contains("environment")
    {
        problem.message = format!("{} (set by {})", problem.message, meta.name);
    }
    problem
}

fn join_key(path: &[String], field: &str) -> String {
    match path.last() {
        None => field.to_owned(),
        Some(last) if last == field => path.join("."),
        Some(_) => format!("{}.{field}", path.join(".")),
    }
}
