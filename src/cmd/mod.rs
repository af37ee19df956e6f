//! One module per command group: each turns parsed arguments into calls on
//! the layers below and prints the result.

mod admin;
mod cadres;
mod check;
pub mod export;
mod households;
pub mod import;
mod log;
mod milestone;
mod places;
mod records;
pub mod report;
mod rules;
mod tasks;
mod visits;

use std::path::PathBuf;

use anyhow::Result;
use rusqlite::Connection;

use crate::cli::{Cli, Command};
use crate::db::{self, audit::Actor};

/// What every command needs to know about the invocation.
pub struct Ctx {
    pub db: PathBuf,
    /// Every `--db` given: reports roll several county files up.
    pub dbs: Vec<PathBuf>,
    actor: Option<String>,
    command: String,
}

impl Ctx {
    /// Opens the existing database (never creates one) to change records:
    /// a file that cannot be written is refused here, before any work.
    pub fn open(&self) -> Result<Connection> {
        db::open(&self.db, db::Access::Write)
    }

    /// Opens the existing database to read it; a read-only file will do.
    pub fn open_read(&self) -> Result<Connection> {
        db::open(&self.db, db::Access::Read)
    }

    /// The author of changes, for the audit trail.
    pub fn actor(&self) -> Actor {
        Actor::new(self.actor.clone(), self.command.clone())
    }
}

/// The subcommand path (`household add`), recorded in the audit trail.
/// Argument values are left out: they may hold ID numbers.
/// Parsed again by clap rather than matched word by word, so a value that
/// happens to be a command name (`--actor town`) is not taken for one.
fn command_name() -> String {
    let Ok(matches) = <Cli as clap::CommandFactory>::command().try_get_matches() else {
        return String::new();
    };
    let mut names = Vec::new();
    let mut current = &matches;
    while let Some((name, sub)) = current.subcommand() {
        names.push(name.to_string());
        current = sub;
    }
    names.join(" ")
}

/// Runs a parsed command; the returned code is the process exit status.
pub fn run(cli: Cli) -> Result<u8> {
    if cli.db.len() > 1 && !matches!(cli.command, Command::Report(_)) {
        anyhow::bail!(
            "{}",
            crate::lang::t(
                "--db is given more than once; only `fupin report` reads several files (a roll-up): give this command one --db",
                "--db 给了多次；只有 `fupin report` 能合并读取多个文件：此命令只能给一个 --db",
            )
        );
    }
    let ctx = Ctx {
        db: db::resolve_path(cli.db.first().cloned()),
        dbs: cli.db,
        actor: cli.actor,
        command: command_name(),
    };
    let result = match cli.command {
        Command::Init(args) => admin::init(&ctx, args),
        Command::Town(cmd) => places::town(&ctx, cmd),
        Command::Zone(cmd) => places::zone(&ctx, cmd),
        Command::Village(cmd) => places::village(&ctx, cmd),
        Command::Household(cmd) => households::run(&ctx, cmd),
        Command::Cadre(cmd) => cadres::cadre(&ctx, cmd),
        Command::Post(cmd) => cadres::post(&ctx, cmd),
        Command::Task(cmd) => tasks::task(&ctx, cmd),
        Command::Dispatch(cmd) => tasks::dispatch(&ctx, cmd),
        Command::Visit(cmd) => visits::run(&ctx, cmd),
        Command::Import(args) => import::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Report(cmd) => report::run(&ctx, cmd),
        Command::Log(args) => log::log(&ctx, args),
        Command::Backup(args) => admin::backup(&ctx, args),
        Command::Restore(args) => admin::restore(&ctx, args),
        Command::Check => check::check(&ctx),
        Command::Completions(args) => admin::completions(args),
    };
    result.map_err(|e| db::explain_busy(e, &ctx.db))
}
