//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "roster", version, about = "Keeps a true picture of who has access to each SaaS account.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// More logging (-v, -vv, -vvv). RUST_LOG overrides it.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Config directory (default: $ROSTER_CONFIG, else ./config).
    #[arg(long, value_name = "DIR")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Store location (default: `store` in roster.toml, else ./.roster/roster.db).
    #[arg(long, value_name = "PATH")]
    pub store: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs every linked simulator with its demo accounts, syncs them into a demo store and prints the report.
    Demo {
        /// Where to keep the demo's config and store (default: a folder under the system temp dir).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Then serve the web UI (`roster serve`) over the demo, with the simulators still running.
        #[arg(long)]
        serve: bool,
        /// Where `--serve` listens.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
    /// Lists the registered connectors with their field coverage and credential fields.
    Connectors {
        #[arg(long)]
        json: bool,
    },
    /// Prints a connector's credentials JSON Schema (its setup form).
    Schema {
        /// Connector id (see `roster connectors`).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        connector: Option<String>,
        /// Print `{"schema": ..., "uiSchema": ..., "formProps": ...}` for react-jsonschema-form.
        #[arg(long)]
        ui: bool,
        /// Write the form of every registered connector to `--out DIR` as `<id>.json`.
        #[arg(long, requires = "out")]
        all: bool,
        /// The folder `--all` writes to.
        #[arg(long, value_name = "DIR", requires = "all")]
        out: Option<PathBuf>,
    },
    /// Loads and checks every account; reports every problem at once.
    Validate {
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Runs an account's check: who the account is and what the credentials can reach.
    Check {
        /// Account id (the file stem of config/accounts/<id>.toml).
        account: String,
        #[command(flatten)]
        config: ConfigArgs,
        #[arg(long)]
        json: bool,
    },
    /// Syncs every account (or the named ones) concurrently into the store.
    Sync {
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        store: StoreArgs,
        /// Sync only this account; repeat for more.
        #[arg(long = "account", value_name = "ID")]
        accounts: Vec<String>,
        /// Accept a sync that returns zero users or loses more than the allowed fraction.
        #[arg(long)]
        accept_shrink: bool,
    },
    /// Runs as a daemon: syncs each account whenever its interval comes round, backs off
    /// after failures, follows config changes, and serves /healthz and /metrics.
    Run {
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        store: StoreArgs,
        /// Address of the /healthz and /metrics endpoint.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9464")]
        listen: std::net::SocketAddr,
    },
    /// Prints the users of the last good snapshots.
    Users {
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long = "account", value_name = "ID")]
        accounts: Vec<String>,
        #[arg(long, value_enum, default_value_t = UsersFormat::Table)]
        format: UsersFormat,
    },
    /// Serves a local web UI: connect accounts from their setup forms, sync them, browse their users.
    Serve {
        /// Address to listen on; loopback unless --allow-remote.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        store: StoreArgs,
        /// Allow a non-loopback --listen address and any Host header. The UI has no login.
        #[arg(long)]
        allow_remote: bool,
    },
    /// Prints per-account insights: statuses, activity, roles, licenses, last sync.
    Report {
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long = "account", value_name = "ID")]
        accounts: Vec<String>,
        /// Users with no visit in this many days count as inactive.
        #[arg(long, default_value_t = 90)]
        inactive_days: u32,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Lists, per connector and per account, the actions, their arguments and the vendor
    /// permission each needs, and which ones each account allows.
    Actions {
        #[command(flatten)]
        config: ConfigArgs,
        /// Only this account.
        #[arg(long = "account", value_name = "ID")]
        account: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Plans an action on one user, and with --apply carries it out (if the account allows it).
    Act(ActArgs),
    /// Plans an action for every user inactive for N days, and with --apply carries it out.
    Reclaim(ReclaimArgs),
    /// Removes from the store the syncs, users and history of accounts whose file is gone.
    /// Their audit entries stay.
    Prune {
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        store: StoreArgs,
        /// The account to prune; repeat for more. Its file must already be deleted.
        #[arg(long = "account", value_name = "ID", required = true)]
        accounts: Vec<String>,
    },
    /// Prints every action applied or refused.
    Audit {
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long = "account", value_name = "ID")]
        accounts: Vec<String>,
        #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
        format: AuditFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Table,
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UsersFormat {
    Table,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
}

/// What `roster act` is given.
#[derive(Debug, Args)]
pub struct ActArgs {
    /// Account id.
    pub account: String,
    /// remove_user, suspend_user, restore_user, set_roles or set_license.
    pub action: String,
    /// The user's id or email, as `roster users` shows it.
    #[arg(long, value_name = "USER")]
    pub user: String,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// What `roster reclaim` is given.
#[derive(Debug, Args)]
pub struct ReclaimArgs {
    /// Users whose last visit is older than this many days (or who never visited and
    /// joined before) are planned.
    #[arg(long, value_name = "N")]
    pub inactive_days: u32,
    /// Only this account; repeat for more.
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<String>,
    /// The action to plan for each user.
    #[arg(long, value_name = "ACTION")]
    pub action: String,
    /// The largest plan that may go ahead.
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub max: usize,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// The flags of the commands that may write to a vendor.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// An argument of the action, KEY=VALUE; repeat for more.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Send the writes. Without it, a dry run that sends none.
    #[arg(long)]
    pub apply: bool,
    /// Who acts, for the audit trail (default: $USER).
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    #[arg(long, value_enum, default_value_t = ActFormat::Text)]
    pub format: ActFormat,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}
