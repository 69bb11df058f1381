//! Browser tests: the setup forms rendered by the real react-jsonschema-form
//! in headless Chromium, and the whole `roster serve` flow against the
//! Workato simulator. The JavaScript lives in `web/` (node's test runner and
//! playwright-core driving Debian's Chromium).
//!
//! They need `node`, `web/node_modules` (`npm ci` in `web/`), the bundle
//! (`npm run build`) and Chromium (`apt-get install chromium`). When one is
//! missing they are skipped with a note, except under `CI=true`, where that
//! is a failure.

mod forms;
mod serve_flow;
mod support;
