//! Command-line arguments, parsed by hand to keep the harness lean.

pub const USAGE: &str = "usage:
  roster-bench run [--accounts N] [--members M] [--latency-ms L] [--concurrency C] [--floor-concurrency F] [--no-floor] [--no-resync] [--pairs K]
      N accounts x M members through `roster sync` into a fresh store, beside the floor;
      --pairs K then alternates the floor and a first sync K more times and prints the median ratio
  roster-bench export [--accounts N] [--members M] [--rounds K] [--concurrency C]
      syncs N accounts x M members (default 200 x 1000) into a fresh store, then times `roster users` in
      every format and `roster report` on it, against the sync's users/s; K rounds (default 3), median ratio
  roster-bench startup [--runs R]
      how long `roster connectors` takes";

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub accounts: usize,
    pub members: usize,
    pub latency_ms: u64,
    pub concurrency: usize,
    /// Fixed apart from `concurrency`, so that tuning Roster's concurrency
    /// cannot move the floor it is measured against.
    pub floor_concurrency: usize,
    pub floor: bool,
    pub resync: bool,
    /// Floor and first sync alternated this many more times, each sync into
    /// a fresh store, for a ratio that one slow or fast moment cannot move.
    pub pairs: usize,
}

pub enum Command {
    Run(RunOptions),
    Export { accounts: usize, members: usize, rounds: usize, concurrency: usize },
    Startup { runs: usize },
}

pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let command = args.next().ok_or("missing command")?;
    let mut opts = RunOptions {
        accounts: 100,
        members: 1000,
        latency_ms: 0,
        concurrency: 96,
        floor_concurrency: 64,
        floor: true,
        resync: true,
        pairs: 0,
    };
    let mut runs = 30;
    let mut rounds = 3;
    let (mut accounts_set, mut members_set) = (false, false);
    while let Some(flag) = args.next() {
        let mut value = |name: &str| -> Result<usize, String> {
            args.next()
                .ok_or(format!("{name} needs a value"))?
                .parse()
                .map_err(|_| format!("{name} expects a whole number"))
        };
        match flag.as_str() {
            "--accounts" => {
                opts.accounts = value("--accounts")?;
                accounts_set = true;
            }
            "--members" => {
                opts.members = value("--members")?;
                members_set = true;
            }
            "--rounds" => rounds = value("--rounds")?.max(1),
            "--latency-ms" => opts.latency_ms = value("--latency-ms")? as u64,
            "--concurrency" => opts.concurrency = value("--concurrency")?.max(1),
            "--floor-concurrency" => opts.floor_concurrency = value("--floor-concurrency")?.max(1),
            "--runs" => runs = value("--runs")?.max(1),
            "--no-floor" => opts.floor = false,
            "--no-resync" => opts.resync = false,
            "--pairs" => opts.pairs = value("--pairs")?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    match command.as_str() {
        "run" => Ok(Command::Run(opts)),
        "startup" => Ok(Command::Startup { runs }),
        "export" => Ok(Command::Export {
            accounts: if accounts_set { opts.accounts } else { 200 },
            members: if members_set { opts.members } else { 1000 },
            rounds,
            concurrency: opts.concurrency,
        }),
        other => Err(format!("unknown command `{other}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<RunOptions, String> {
        match parse(std::iter::once("run").chain(args.iter().copied()).map(str::to_owned))? {
            Command::Run(opts) => Ok(opts),
            _ => Err("not a run".into()),
        }
    }

    #[test]
    fn flags_set_their_options_and_bad_ones_are_named() {
        let opts = run(&["--accounts", "7", "--pairs", "3", "--no-resync"]).unwrap();
        assert_eq!((opts.accounts, opts.pairs, opts.resync, opts.floor), (7, 3, false, true));
        assert_eq!(run(&[]).unwrap().pairs, 0);
        assert_eq!(run(&["--pairs"]).unwrap_err(), "--pairs needs a value");
        assert_eq!(run(&["--pairs", "x"]).unwrap_err(), "--pairs expects a whole number");
        assert_eq!(run(&["--fast"]).unwrap_err(), "unknown argument `--fast`");
    }

    #[test]
    fn export_defaults_to_200_by_1000_and_takes_rounds() {
        let parse_export = |args: &[&str]| match parse(
            std::iter::once("export").chain(args.iter().copied()).map(str::to_owned),
        ) {
            Ok(Command::Export { accounts, members, rounds, .. }) => Ok((accounts, members, rounds)),
            Ok(_) => Err("not an export".to_owned()),
            Err(e) => Err(e),
        };
        assert_eq!(parse_export(&[]).unwrap(), (200, 1000, 3));
        assert_eq!(parse_export(&["--accounts", "5", "--rounds", "7"]).unwrap(), (5, 1000, 7));
        assert_eq!(parse_export(&["--rounds", "x"]).unwrap_err(), "--rounds expects a whole number");
    }
}
