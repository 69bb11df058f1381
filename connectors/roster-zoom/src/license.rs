//! License types: Zoom's per-user `type`, and the counts a sync reports.

use std::collections::BTreeMap;

use roster_core::LicenseType;

/// The license type name of a user `type` [DOC users OpenAPI: 1 Basic, 2 Licensed,
/// 4 Unassigned without Meetings Basic, 99 None; 3 On-prem in older schemas].
pub fn name(user_type: i64) -> String {
    match user_type {
        1 => "Basic".to_owned(),
        2 => "Licensed".to_owned(),
        3 => "On-prem".to_owned(),
        4 => "Unassigned without Meetings Basic".to_owned(),
        99 => "None".to_owned(),
        other => format!("Type {other}"),
    }
}

/// The license type that holds a paid meeting seat, whose total the plan reports.
pub const LICENSED: &str = "Licensed";

/// Users counted per license type as they are read.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    counts: BTreeMap<String, u64>,
}

impl Tally {
    pub(crate) fn add(&mut self, license: &str) {
        *self.counts.entry(license.to_owned()).or_default() += 1;
    }

    /// One [`LicenseType`] per type seen, plus Licensed when the plan names a total.
    pub(crate) fn into_licenses(mut self, licensed_total: Option<u64>) -> Vec<LicenseType> {
        if licensed_total.is_some() {
            self.counts.entry(LICENSED.to_owned()).or_default();
        }
        self.counts
            .into_iter()
            .map(|(name, assigned)| {
                let total = if name == LICENSED { licensed_total } else { None };
                LicenseType { name, assigned, total }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_totals() {
        assert_eq!(name(2), "Licensed");
        assert_eq!(name(7), "Type 7");
        let mut t = Tally::default();
        t.add("Basic");
        t.add("Basic");
        let licenses = t.into_licenses(Some(10));
        assert_eq!(
            licenses,
            vec![
                LicenseType { name: "Basic".into(), assigned: 2, total: None },
                LicenseType { name: "Licensed".into(), assigned: 0, total: Some(10) },
            ]
        );
    }
}
