//! A simulator with one organization, and requests as GitHub's clients send them.

use reqwest::{RequestBuilder, Response, StatusCode};
use roster_github_sim::{Org, OrgSpec, Simulator};
use serde_json::{Value, json};

pub use roster_sim_kit::probe::header;

pub async fn sim_with(members: usize, f: impl FnOnce(&mut OrgSpec)) -> (Simulator, Org) {
    let sim = Simulator::start().await.expect("simulator starts");
    let mut spec = OrgSpec::generated(1, members, 9);
    f(&mut spec);
    let org = sim.add_org(spec);
    (sim, org)
}

fn send(req: RequestBuilder, token: &str) -> RequestBuilder {
    req.header("user-agent", "sim-tests").header("authorization", format!("token {token}"))
}

/// `GET <sim>/api/v3<path>` (or an absolute URL).
pub async fn get(sim: &Simulator, token: &str, path: &str) -> Response {
    let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", sim.api_url()) };
    send(roster_sim_kit::probe::client().get(url), token).send().await.expect("sent")
}

pub async fn get_json(sim: &Simulator, token: &str, path: &str) -> (StatusCode, Value) {
    roster_sim_kit::probe::json_of(get(sim, token, path).await).await
}

/// `POST <sim>/api/graphql`.
pub async fn graphql(sim: &Simulator, token: &str, query: &str, variables: Value) -> Response {
    let req = roster_sim_kit::probe::client().post(format!("{}/api/graphql", sim.base_url()));
    send(req, token).json(&json!({"query": query, "variables": variables})).send().await.expect("sent")
}

pub async fn graphql_json(sim: &Simulator, token: &str, query: &str, variables: Value) -> Value {
    let (status, body) = roster_sim_kit::probe::json_of(graphql(sim, token, query, variables).await).await;
    assert_eq!(status, StatusCode::OK, "graphql answers 200: {body}");
    body
}

pub const MEMBERS: &str = "query($login:String!,$first:Int!,$cursor:String){organization(login:$login){membersWithRole(first:$first,after:$cursor){pageInfo{hasNextPage endCursor} edges{role node{databaseId login name email}}}}}";
pub const SAML: &str = "query($login:String!,$cursor:String){organization(login:$login){samlIdentityProvider{externalIdentities(first:100,after:$cursor){pageInfo{hasNextPage endCursor} edges{node{samlIdentity{nameId} user{login}}}}}}}";
