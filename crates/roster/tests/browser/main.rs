//! Browser tests: the setup forms rendered by the real react-jsonschema-form
//! in headless Chromium, the whole `roster serve` flow against the Workato
//! simulator, editing and deleting an account, its actions (dry run, apply, audit,
//! reclaim), and the Account page's history chart. The JavaScript lives in `web/` (node's test runner and
//! playwright-core driving Debian's Chromium).
//!
//! They need `node`, `web/node_modules` (`npm ci` in `web/`), the bundle
//! (`npm run build`) and Chromium (`apt-get install chromium`). When one is
//! missing they are skipped with a note, except under `CI=true`, where that
//! is a failure.

mod actions_flow;
mod edit_flow;
mod forms;
mod history_chart;
mod serve_flow;
mod serve_setup;
mod support;
