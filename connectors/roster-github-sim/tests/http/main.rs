//! Tests of the GitHub simulator over real HTTP.

mod common;
mod graphql;
mod limits;
mod rest;
