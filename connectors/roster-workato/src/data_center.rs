//! Workato data centers: where each one's API lives, how people recognise it,
//! and which one a token's prefix points to.

use schemars::JsonSchema;
use serde::Deserialize;

/// The data center that hosts the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataCenter {
    /// # US (www.workato.com or app.workato.com)
    ///
    /// You sign in at https://www.workato.com or https://app.workato.com.
    Us,
    /// # EU (app.eu.workato.com)
    ///
    /// You sign in at https://app.eu.workato.com.
    Eu,
    /// # JP (app.jp.workato.com)
    ///
    /// You sign in at https://app.jp.workato.com.
    Jp,
    /// # SG (app.sg.workato.com)
    ///
    /// You sign in at https://app.sg.workato.com.
    Sg,
    /// # AU (app.au.workato.com)
    ///
    /// You sign in at https://app.au.workato.com.
    Au,
    /// # IL (app.il.workato.com)
    ///
    /// You sign in at https://app.il.workato.com.
    Il,
    /// # Developer Sandbox (app.trial.workato.com)
    ///
    /// Free, Pro and Developer Sandbox workspaces: you sign in at https://app.trial.workato.com.
    Sandbox,
    /// # KR (app.kr.workato.com)
    ///
    /// You sign in at https://app.kr.workato.com.
    Kr,
    /// # CN (app.workatoapp.cn)
    ///
    /// You sign in at https://app.workatoapp.cn (a different domain from the others).
    Cn,
    /// # UK (app.uk.workato.com)
    ///
    /// You sign in at https://app.uk.workato.com.
    Uk,
    /// # Virtual Private Workato (custom URL)
    ///
    /// Your workspace runs on a private instance; enter its address as the base URL.
    Custom,
}

impl DataCenter {
    /// Every data center, in the order the setup form lists them.
    pub const ALL: [DataCenter; 11] = [
        DataCenter::Us,
        DataCenter::Eu,
        DataCenter::Jp,
        DataCenter::Sg,
        DataCenter::Au,
        DataCenter::Il,
        DataCenter::Sandbox,
        DataCenter::Kr,
        DataCenter::Cn,
        DataCenter::Uk,
        DataCenter::Custom,
    ];

    /// The config value, as written in account files.
    pub const fn id(self) -> &'static str {
        match self {
            DataCenter::Us => "us",
            DataCenter::Eu => "eu",
            DataCenter::Jp => "jp",
            DataCenter::Sg => "sg",
            DataCenter::Au => "au",
            DataCenter::Il => "il",
            DataCenter::Sandbox => "sandbox",
            DataCenter::Kr => "kr",
            DataCenter::Cn => "cn",
            DataCenter::Uk => "uk",
            DataCenter::Custom => "custom",
        }
    }

    /// The API origin; `None` for `custom`, whose origin is the base URL.
    pub const fn api_origin(self) -> Option<&'static str> {
        Some(match self {
            DataCenter::Us => "https://www.workato.com",
            DataCenter::Eu => "https://app.eu.workato.com",
            DataCenter::Jp => "https://app.jp.workato.com",
            DataCenter::Sg => "https://app.sg.workato.com",
            DataCenter::Au => "https://app.au.workato.com",
            DataCenter::Il => "https://app.il.workato.com",
            DataCenter::Sandbox => "https://app.trial.workato.com",
            DataCenter::Kr => "https://app.kr.workato.com",
            DataCenter::Cn => "https://app.workatoapp.cn",
            DataCenter::Uk => "https://app.uk.workato.com",
            DataCenter::Custom => return None,
        })
    }

    /// The data center a token's prefix points to, if it has a known one.
    ///
    /// Inferred from a public secret scanner, not from Workato's docs:
    /// `wrkaeu-` is EU, `wrkajp-` JP, and so on; `wrka-` and `wrkaus-` are US.
    pub fn from_token_prefix(token: &str) -> Option<DataCenter> {
        let rest = token.strip_prefix("wrka")?;
        let (region, _) = rest.split_once('-')?;
        Some(match region {
            "" | "us" => DataCenter::Us,
            "eu" => DataCenter::Eu,
            "jp" => DataCenter::Jp,
            "sg" => DataCenter::Sg,
            "au" => DataCenter::Au,
            "il" => DataCenter::Il,
            "cn" => DataCenter::Cn,
            "kr" => DataCenter::Kr,
            "uk" => DataCenter::Uk,
            _ => return None,
        })
    }

    /// The label people see in the form.
    pub fn label(self) -> &'static str {
        match self {
            DataCenter::Us => "US (www.workato.com or app.workato.com)",
            DataCenter::Eu => "EU (app.eu.workato.com)",
            DataCenter::Jp => "JP (app.jp.workato.com)",
            DataCenter::Sg => "SG (app.sg.workato.com)",
            DataCenter::Au => "AU (app.au.workato.com)",
            DataCenter::Il => "IL (app.il.workato.com)",
            DataCenter::Sandbox => "Developer Sandbox (app.trial.workato.com)",
            DataCenter::Kr => "KR (app.kr.workato.com)",
            DataCenter::Cn => "CN (app.workatoapp.cn)",
            DataCenter::Uk => "UK (app.uk.workato.com)",
            DataCenter::Custom => "Virtual Private Workato (custom URL)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_prefixes_point_to_data_centers() {
        assert_eq!(DataCenter::from_token_prefix("wrka-eyJabc"), Some(DataCenter::Us));
        assert_eq!(DataCenter::from_token_prefix("wrkaus-eyJabc"), Some(DataCenter::Us));
        assert_eq!(DataCenter::from_token_prefix("wrkaeu-eyJabc"), Some(DataCenter::Eu));
        assert_eq!(DataCenter::from_token_prefix("wrkacn-eyJabc"), Some(DataCenter::Cn));
        assert_eq!(DataCenter::from_token_prefix("wrkazz-eyJabc"), None);
        assert_eq!(DataCenter::from_token_prefix("abc"), None);
    }

    #[test]
    fn every_data_center_but_custom_has_an_https_origin() {
        for dc in DataCenter::ALL {
            match dc.api_origin() {
                Some(o) => assert!(o.starts_with("https://"), "{o}"),
                None => assert_eq!(dc, DataCenter::Custom),
            }
        }
    }
}
