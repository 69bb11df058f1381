//! `roster-github-sim`: the GitHub simulator as a standalone server.
//!
//! Prints the base URL, then one line per organization: `api_url login owner_token member_token`.

use std::process::ExitCode;

use roster_github_sim::{Authed, GitHub, OrgSpec, Simulator};
use roster_sim_kit::cli::{self, Binary, Flags};

/// GitHub's own flags.
#[derive(clap::Args, Debug)]
struct GithubFlags {
    /// Turn GitHub's primary rate limits off (as GitHub Enterprise Server ships).
    #[arg(long = "no-rate-limit")]
    no_rate_limit: bool,
}

impl Flags for GithubFlags {
    type Vendor = GitHub;
    const BINARY: Binary = Binary::new("roster-github-sim", 8093, "orgs", ("members", "200"));

    fn add(&self, sim: &Simulator, i: u64, members: usize, seed: u64) -> (Authed, String) {
        let mut spec = OrgSpec::generated(i + 1, members, seed);
        if self.no_rate_limit {
            spec.settings.primary = None;
        }
        let token = spec.tokens[0].clone();
        let org = sim.add_org(spec);
        let line = format!("{} {} {} {}", sim.api_url(), org.login(), org.token(true), org.token(false));
        (Authed { org, token, origin: sim.base_url().into() }, line)
    }
}

fn main() -> ExitCode {
    cli::main::<GithubFlags>()
}
