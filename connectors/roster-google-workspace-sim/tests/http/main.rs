//! Tests of the Google Workspace simulator over real HTTP.

mod apis;
mod common;
mod limits;
mod token;
