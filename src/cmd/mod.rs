//! One module per command group: each turns parsed arguments into calls on
//! the layers below and prints the result.

mod admin;
pub(crate) mod assessments;
mod cadres;
pub(crate) mod check;
mod events;
pub mod export;
mod find;
mod households;
pub mod import;
mod listing;
mod log;
mod milestone;
mod monitor;
mod names;
mod people;
mod people_checks;
mod pick;
mod places;
mod records;
pub mod report;
mod revert;
mod rules;
mod tasks;
mod visits;

use std::path::PathBuf;

use anyhow::Result;
use rusqlite::Connection;

use crate::cli::fields::{ALLOW_FUTURE, FORCE};
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

/// The subcommand path (`household add`), recorded in the audit trail,
/// with the flags that let it past a rule (`dispatch add --force`).
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
    for (id, flag) in [(FORCE, "--force"), (ALLOW_FUTURE, "--allow-future")] {
        if given(current, id) {
            names.push(flag.to_string());
        }
    }
    names.join(" ")
}

/// True when the innermost command was given the flag `id`.
fn given(matches: &clap::ArgMatches, id: &str) -> bool {
    matches!(matches.try_get_one::<bool>(id), Ok(Some(true)))
}

/// Whether the command was given `--allow-future`, read once for every
/// command that has it.
fn allows_future() -> bool {
    let Ok(matches) = <Cli as clap::CommandFactory>::command().try_get_matches() else {
        return false;
    };
    let mut current = &matches;
    while let Some((_, sub)) = current.subcommand() {
        current = sub;
    }
    given(current, ALLOW_FUTURE)
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
    crate::values::allow_future(allows_future());
    let result = match cli.command {
        Command::Init(args) => admin::init(&ctx, args),
        Command::Town(cmd) => places::town(&ctx, cmd),
        Command::Zone(cmd) => places::zone(&ctx, cmd),
        Command::Village(cmd) => places::village(&ctx, cmd),
        Command::Household(cmd) => households::run(&ctx, cmd),
        Command::Person(cmd) => people::run(&ctx, cmd),
        Command::Cadre(cmd) => cadres::cadre(&ctx, cmd),
        Command::Post(cmd) => cadres::post(&ctx, cmd),
        Command::Task(cmd) => tasks::task(&ctx, cmd),
        Command::Dispatch(cmd) => tasks::dispatch(&ctx, cmd),
        Command::Visit(cmd) => visits::run(&ctx, cmd),
        Command::Promotion(cmd) => cadres::promotion(&ctx, cmd),
        Command::Monitor(cmd) => monitor::run(&ctx, cmd),
        Command::Event(cmd) => events::run(&ctx, cmd),
        Command::Assessment(cmd) => assessments::assessment(&ctx, cmd),
        Command::Standard(cmd) => assessments::standard(&ctx, cmd),
        Command::Find(args) => find::run(&ctx, args),
        Command::Undo => revert::undo(&ctx),
        Command::Revert(args) => revert::revert(&ctx, args.change),
        Command::Import(args) => import::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Report(cmd) => report::run(&ctx, cmd),
        Command::Log(args) => log::log(&ctx, args),
        Command::Backup(args) => admin::backup(&ctx, args),
        Command::Restore(args) => admin::restore(&ctx, args),
        Command::Check(args) => check::check(&ctx, args),
        Command::Completions(args) => admin::completions(args),
    };
    result.map_err(|e| db::explain_busy(e, &ctx.db))
}
