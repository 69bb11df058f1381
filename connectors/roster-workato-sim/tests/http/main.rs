//! Tests of the simulator over real HTTP.

mod activity;
mod auth;
mod common;
mod endpoints;
mod faults;
mod rate_limit;
mod streaming;
mod writes;
