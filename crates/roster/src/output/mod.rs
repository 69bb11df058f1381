//! What commands print: tables, CSV, JSON.

pub mod summary;
pub mod table;
