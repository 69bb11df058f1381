//! License totals from `GET /v2/accounts/me/plans/usage`: `plan_base.hosts` is the number
//! of Licensed seats bought. `plan_base` is an object, or an array for master accounts.

use serde_json::Value;

use crate::api::{Api, Failure};

pub(crate) const PLAN_USAGE_PATH: &str = "/v2/accounts/me/plans/usage";

/// What the plan says about licenses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PlanUsage {
    /// Purchased Licensed seats.
    pub licensed_total: Option<u64>,
    /// `plan_base.type`, such as `monthly`.
    pub base_type: Option<String>,
}

pub(crate) async fn read(api: &Api) -> Result<PlanUsage, Failure> {
    let body: Value = api.get(PLAN_USAGE_PATH, &[]).await?;
    Ok(parse(&body))
}

pub(crate) fn parse(body: &Value) -> PlanUsage {
    let bases: Vec<&Value> = match body.get("plan_base") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(obj @ Value::Object(_)) => vec![obj],
        _ => Vec::new(),
    };
    let hosts: Vec<u64> = bases.iter().filter_map(|b| b.get("hosts").and_then(Value::as_u64)).collect();
    PlanUsage {
        licensed_total: (!hosts.is_empty()).then(|| hosts.iter().sum()),
        base_type: bases.iter().find_map(|b| b.get("type").and_then(Value::as_str)).map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn object_array_and_absent_plan_base() {
        let p = parse(&json!({"plan_base": {"type": "monthly", "hosts": 25, "usage": 20}}));
        assert_eq!(p, PlanUsage { licensed_total: Some(25), base_type: Some("monthly".into()) });
        let p = parse(&json!({"plan_base": [{"hosts": 5, "active_hosts": 3}, {"hosts": 2}]}));
        assert_eq!(p.licensed_total, Some(7));
        assert_eq!(parse(&json!({"plan_recording": {}})), PlanUsage::default());
    }
}
