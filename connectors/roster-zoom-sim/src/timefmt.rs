//! Zoom's timestamps: UTC, whole seconds, `Z` (`2019-06-01T07:58:03Z`).

use chrono::{DateTime, Utc};

/// Formats Unix seconds the way Zoom does.
pub(crate) fn zoom_time(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(zoom_time(1_559_375_883), "2019-06-01T07:58:03Z");
    }
}
