//! Zoom's rate-limit labels: each endpoint's label, and its per-second limit.

use crate::spec::RateLimits;

/// A rate-limit label ("Request Type" in Zoom's docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Light,
    Medium,
    Heavy,
}

impl Category {
    /// The `X-RateLimit-Category` value.
    pub fn header(self) -> &'static str {
        match self {
            Category::Light => "Light",
            Category::Medium => "Medium",
            Category::Heavy => "Heavy",
        }
    }

    /// The label of an API path, as each endpoint's documentation gives it.
    pub fn of(path: &str) -> Category {
        if path.ends_with("/plans/usage") {
            Category::Heavy
        } else if path == "/v2/users" || path == "/v2/roles" {
            Category::Medium
        } else {
            Category::Light
        }
    }

    pub(crate) fn per_second(self, limits: &RateLimits) -> u32 {
        match self {
            Category::Light => limits.light_per_second,
            Category::Medium => limits.medium_per_second,
            Category::Heavy => limits.heavy_per_second,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(Category::of("/v2/users"), Category::Medium);
        assert_eq!(Category::of("/v2/accounts/me/plans/usage"), Category::Heavy);
        assert_eq!(Category::of("/v2/users/me"), Category::Light);
    }
}
