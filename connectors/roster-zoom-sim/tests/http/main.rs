//! Tests of the Zoom simulator over real HTTP.

mod common;
mod endpoints;
mod faults;
mod oauth;
mod paging;
mod rate_limit;
mod role_writes;
mod user_writes;
