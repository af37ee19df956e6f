//! `fupin import`: every row is validated, every problem reported with its
//! line, and the rows are written in one transaction that is committed only
//! when nothing is wrong (or, with `--skip-invalid`, with the bad rows left
//! out and written to a rejects file).
//!
//! A folder is imported in the dependency order of [`model::ALL`]: cadres,
//! zones, towns, villages, households, tasks, posts, dispatches, visits,
//! promotions. Posts come after tasks (SPEC §4 lists them before
//! households) because a commando's post is placed on a task.
//!
//! Memory stays flat however long the file: rows stream from the reader to
//! prepared statements; the rows already written by this file are told apart
//! by a bit per rowid; duplicates are located by reading the file a second
//! time, on the error path only.
//!
//! Speed comes from three paths. Into an empty table (and not skipping bad
//! rows) the table's named indexes are dropped, rows are inserted without
//! looking anything up, and the indexes are rebuilt at the end in the same
//! transaction; a duplicate key or ID number then shows as a failed unique
//! index and is located by a second read. Into a table with records, the
//! stored rows are read in rowid order alongside the file, so a file in the
//! order fupin exports (or a re-import) finds each record without a lookup,
//! and a row that is literally the stored record's export is counted
//! unchanged without being parsed. Anything else is looked up by key.
//!
//! Here: options, the report, planning the files of a folder, and the one
//! transaction around them. `file` imports one file; `row` checks one row;
//! `scan` reads the stored rows alongside the file; `bulk` drops and
//! rebuilds indexes and locates duplicates; `rejects` leaves rows out;
//! `audit` writes an inserted record's audit JSON; `pipeline` checks
//! the rows of a large bulk load on a second thread.

mod audit;
mod bulk;
mod file;
mod pipeline;
mod rejects;
mod row;
mod scan;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::csv_io::Encoding;
use crate::csv_io::headers;
use crate::csv_io::read;
use crate::db::audit::Actor;
use crate::db::resolve::Resolver;
use crate::lang::t;
use crate::model::{self, Entity};

/// Problems kept for printing; the rest are only counted.
pub const SHOWN: usize = 50;

/// Page cache for the import, in KiB. The table's recent pages fit while
/// the process stays well below 64 MiB. (Indexes are rebuilt with less,
/// see `bulk::rebuild_indexes`.)
pub(super) const CACHE_KIB: i64 = 16 * 1024;

#[derive(Debug, Clone)]
pub struct Options {
    /// The record kind, when given on the command line.
    pub entity: Option<&'static Entity>,
    /// A file, or a folder of files.
    pub path: PathBuf,
    pub encoding: Option<Encoding>,
    pub dry_run: bool,
    pub skip_invalid: bool,
    /// Where rejected rows go (a folder when importing a folder).
    pub rejects: Option<PathBuf>,
    pub ignore_unknown_columns: bool,
    pub progress: bool,
}

/// What happened to one file. The field order is the JSON summary's.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub entity: String,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

/// One problem with one line of one file: `column: what is wrong`.
#[derive(Debug, Clone)]
pub struct LineProblem {
    pub file: String,
    pub line: u64,
    pub text: String,
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.text)
    }
}

/// The outcome of an import.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileSummary>,
    /// The first problems found, in file and line order.
    pub problems: Vec<LineProblem>,
    /// All problems, shown or not.
    pub problem_count: usize,
    /// Problems that refuse the whole import even with `--skip-invalid`.
    pub fatal: bool,
    /// True when the changes were committed.
    pub written: bool,
    /// Rejects files written.
    pub rejects: Vec<PathBuf>,
    /// Set when later files were not read (a table lost its unique index to
    /// duplicates).
    pub stopped: bool,
}

impl Report {
    pub(crate) fn problem(&mut self, file: &str, line: u64, text: String) {
        self.problem_count += 1;
        if self.problems.len() < SHOWN * 2 {
            self.problems.push(LineProblem {
                file: file.to_string(),
                line,
                text,
            });
        }
    }

    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|f| f.rejected).sum()
    }
}

/// The files of an import with their record kinds, in dependency order.
pub fn plan(opts: &Options) -> Result<Vec<(PathBuf, &'static Entity)>> {
    if opts.path.is_dir() {
        let mut files = Vec::new();
        let entries = std::fs::read_dir(&opts.path)
            .with_context(|| format!("cannot read the folder {}", opts.path.display()))?;
        for entry in entries {
            let path = entry?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if !path.is_file() || !name.ends_with(".csv") || name.ends_with(".rejects.csv") {
                continue;
            }
            let entity = entity_of(&path, opts.encoding)?;
            files.push((path, entity));
        }
        if files.is_empty() {
            bail!(
                "{}",
                t(
                    &format!("no .csv files in {}", opts.path.display()),
                    &format!("{} 中没有 .csv 文件", opts.path.display()),
                )
            );
        }
        let rank = |e: &Entity| model::ALL.iter().position(|x| x.kind == e.kind);
        files.sort_by(|a, b| (rank(a.1), &a.0).cmp(&(rank(b.1), &b.0)));
        return Ok(files);
    }
    let entity = match opts.entity {
        Some(e) => e,
        None => entity_of(&opts.path, opts.encoding)?,
    };
    Ok(vec![(opts.path.clone(), entity)])
}

/// The record kind of a file, from its name or else its header.
fn entity_of(path: &Path, encoding: Option<Encoding>) -> Result<&'static Entity> {
    if let Some(e) = headers::entity_from_file_name(path) {
        return Ok(e);
    }
    let header = read::open(path, encoding)?.header()?.unwrap_or_default();
    headers::entity_from_header(&header).ok_or_else(|| {
        anyhow!(
            "{}",
            t(
                &format!(
                    "{}: cannot tell which records the file holds; name it after them (households.csv, 贫困户.csv, …) or give the kind: fupin import households {}",
                    path.display(),
                    path.display()
                ),
                &format!(
                    "{}：无法判断文件中是哪类记录；请按记录类型命名（households.csv、贫困户.csv 等），或指明类型：fupin import 贫困户 {}",
                    path.display(),
                    path.display()
                ),
            )
        )
    })
}

/// Imports the planned files in one transaction.
pub fn run(conn: &mut Connection, actor: &Actor, opts: &Options) -> Result<Report> {
    let files = plan(opts)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    // Foreign keys stay enforced although every reference was resolved to
    // a stored code already: switching them off saved ~10 % of a bulk load
    // (bench/README.md), not worth a rule the schema promises.
    run_files(conn, actor, opts, &files)
}

fn run_files(
    conn: &mut Connection,
    actor: &Actor,
    opts: &Options,
    files: &[(PathBuf, &'static Entity)],
) -> Result<Report> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("failed to lock the database for writing")?;
    let mut report = Report::default();
    let mut resolver = Resolver::new();
    let folder = opts.path.is_dir();
    for (path, entity) in files {
        // Rows of earlier files may now resolve names that failed before.
        resolver.clear();
        let rejects = rejects_path(opts, path, folder);
        let summary = file::import_file(
            &tx,
            actor,
            &mut resolver,
            opts,
            path,
            entity,
            rejects,
            &mut report,
        )?;
        report.files.push(summary);
        if report.stopped {
            break;
        }
    }
    report
        .problems
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let refuse = report.fatal || (report.problem_count > 0 && !opts.skip_invalid);
    if refuse || opts.dry_run {
        tx.rollback().context("failed to roll back")?;
    } else {
        tx.commit().context("failed to commit the import")?;
        report.written = true;
    }
    Ok(report)
}

fn rejects_path(opts: &Options, input: &Path, folder: bool) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = format!("{stem}.rejects.csv");
    match (&opts.rejects, folder) {
        (Some(dir), true) => dir.join(name),
        (Some(file), false) => file.clone(),
        (None, _) => input.with_file_name(name),
    }
}

pub(crate) fn progress_bar(opts: &Options, size: u64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !opts.progress || !std::io::stderr().is_terminal() || size < 1 << 20 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} {eta}")
    {
        bar.set_style(style);
    }
    bar.set_message(t("importing", "导入中"));
    Some(bar)
}
