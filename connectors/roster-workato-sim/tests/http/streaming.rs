//! Large generated workspaces are streamed.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{get, sim_with};

#[tokio::test]
async fn fifty_thousand_members_in_one_streamed_response() {
    let (sim, ws) = sim_with(1, 50_000, |_| {}).await;
    let resp = get(&sim, Some(&ws.token()), "/api/members").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.content_length().is_none(), "streamed with chunked encoding");
    let body: Value = resp.json().await.unwrap();
    let data = body["data"].as_array().unwrap();
    assert_eq!(body["total"].as_u64().unwrap() as usize, data.len());
    assert_eq!(data.len(), 50_000);
    let ids: HashSet<u64> = data.iter().map(|m| m["id"].as_u64().unwrap()).collect();
    assert_eq!(ids.len(), 50_000);
    let emails: HashSet<String> = data.iter().map(|m| m["email"].as_str().unwrap().to_lowercase()).collect();
    assert_eq!(emails.len(), 50_000);
    assert_eq!(Some(data[49_999].clone()), ws.member_json(1000 + 49_999));
}
