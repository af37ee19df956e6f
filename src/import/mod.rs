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
mod companions;
mod file;
mod missing;
mod monitored;
mod notes;
mod people;
mod pipeline;
pub mod plan;
#[cfg(test)]
mod props;
mod rejects;
mod row;
mod scan;
mod steps;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::csv_io::Encoding;
use crate::db::audit::Actor;
use crate::db::resolve::Resolver;
use crate::input::Spec;
use crate::input::layout::Skipped;
use crate::lang::t;
use crate::model::Entity;
pub use missing::{Missing, Scope};
use plan::{Plan, SkippedSheet};

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
    /// A file, a workbook, or a folder of them.
    pub path: PathBuf,
    pub encoding: Option<Encoding>,
    /// The sheet of a workbook to read, by name or number from 1.
    pub sheet: Option<String>,
    pub dry_run: bool,
    pub skip_invalid: bool,
    /// Where rejected rows go (a folder when importing a folder).
    pub rejects: Option<PathBuf>,
    pub ignore_unknown_columns: bool,
    /// List the records of the places the file covers that it does not hold.
    pub missing: Option<Scope>,
    /// Dates for households whose rows have none of their own.
    pub defaults: Defaults,
    pub progress: bool,
}

/// File-wide dates for a household's row that has none of its own (the
/// national system's exports may give a status word and no date): fupin
/// never guesses a date, the clerk gives it. Stored form, `YYYY-MM-DD`.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub registered_on: Option<String>,
    /// Only for rows whose status word says lifted (已脱贫).
    pub lifted_on: Option<String>,
    /// Only for rows whose status word says returned (返贫).
    pub returned_on: Option<String>,
    /// Only for rows whose status word says removed, cleared or left
    /// (剔除, 清退, 自然减少), and people whose status word says they left
    /// (死亡, 婚出, 迁出).
    pub left_on: Option<String>,
    /// The year of the assessment columns of a file without a 年度 or
    /// 统计时间 column of its own.
    pub year: Option<String>,
}

impl Defaults {
    /// Fills a household row's empty dates; says which were filled.
    pub(crate) fn fill(&self, entity: &Entity, raw: &mut crate::record::RawRow) -> (bool, bool) {
        let at = |name| entity.fields.iter().position(|f| f.name == name);
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if entity.kind == crate::model::Kind::Person {
            // A person whose status word says they left (死亡, 迁出…).
            if let (Some(day), Some(i), Some(s)) = (&self.left_on, at("left_on"), at("status"))
                && blank(&raw[i])
                && raw[s].as_deref().is_some_and(|w| {
                    crate::model::parse_choice(
                        crate::model::PERSON_STATUS,
                        &crate::values::normalize(w),
                    )
                    .is_some_and(|c| c.code != "present")
                })
            {
                raw[i] = Some(day.clone());
            }
            return (false, false);
        }
        if entity.kind != crate::model::Kind::Household {
            return (false, false);
        }
        let mut filled = (false, false);
        if let (Some(day), Some(i)) = (&self.registered_on, at("registered_on"))
            && blank(&raw[i])
        {
            raw[i] = Some(day.clone());
            filled.0 = true;
        }
        if let (Some(day), Some(i), Some(s)) = (&self.lifted_on, at("lifted_on"), at("lifted"))
            && blank(&raw[i])
            && raw[s].as_deref().is_some_and(|w| {
                crate::model::parse_choice(crate::model::LIFT_STATUS, &crate::values::normalize(w))
                    .is_some_and(|c| c.code == "lifted")
            })
        {
            raw[i] = Some(day.clone());
            filled.1 = true;
        }
        let says = |raw: &crate::record::RawRow, words: &[&str]| {
            at("lifted")
                .and_then(|s| raw[s].as_deref())
                .is_some_and(|w| {
                    crate::model::parse_choice(
                        crate::model::LIFT_STATUS,
                        &crate::values::normalize(w),
                    )
                    .is_some_and(|c| words.contains(&c.code))
                })
        };
        for (day, field, words) in [
            (&self.returned_on, "returned_on", &["returned"][..]),
            (
                &self.left_on,
                "left_on",
                &["removed", "cleared", "left"][..],
            ),
        ] {
            if let (Some(day), Some(i)) = (day, at(field))
                && blank(&raw[i])
                && says(raw, words)
            {
                raw[i] = Some(day.clone());
            }
        }
        filled
    }
}

/// The header's problems once the file-wide dates are taken into account:
/// a registration date given for the whole file stands in for the column.
pub(crate) fn defaults_cover(
    opts: &Options,
    problems: Vec<crate::input::headers::HeaderProblem>,
) -> Vec<crate::input::headers::HeaderProblem> {
    problems
        .into_iter()
        .filter(|p| !(p.column == "registered_on" && opts.defaults.registered_on.is_some()))
        .map(|mut p| {
            if p.column == "registered_on" {
                p.message.push_str(&t(
                    "; or, when the file has no such dates, give one for the whole file: --registered-on DATE",
                    "；或者，文件中没有此日期时，为整个文件指定一个：--registered-on 日期",
                ));
            }
            p
        })
        .collect()
}

/// A value that is probably not what the clerk meant, imported all the
/// same (a name with `?` where a character GBK cannot hold was).
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub line: u64,
    pub column: String,
    pub why: String,
}

/// What happened to one file or sheet. The field order is the JSON
/// summary's.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSummary {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub entity: String,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Rows that are not records: titles, totals, signatures, notes.
    pub skipped: Vec<Skipped>,
    /// Columns of the national exports that fupin does not keep.
    pub not_kept: Vec<String>,
    /// Unknown columns passed over with `--ignore-unknown-columns`.
    pub ignored: Vec<String>,
    /// Dates given as Excel serial numbers (41734), converted.
    pub excel_serial_dates: u64,
    /// 15-digit first-generation ID numbers, converted to 18 digits.
    pub ids_15_to_18: u64,
    /// Rows that took `--registered-on` / `--lifted-on`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_on_default: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifted_on_default: Option<u64>,
    pub warnings: Vec<Warning>,
    /// With `--missing`: records of the covered places the file lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<Missing>>,
    /// Steps of the households' histories the file gave (返贫, 剔除,
    /// 自然减少), for a file with such columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<steps::StepCounts>,
    /// The households' years (人均纯收入, 危房户 …) the file gave, for a
    /// file with such columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessments: Option<steps::StepCounts>,
    /// The households' monitoring records (监测对象) the file's monitoring
    /// columns gave, for a file with such columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<steps::StepCounts>,
}

impl FileSummary {
    pub fn new(spec: &Spec, entity: &Entity) -> FileSummary {
        FileSummary {
            file: spec.path.display().to_string(),
            sheet: spec.sheet_name().map(str::to_string),
            entity: entity.name.to_string(),
            ..FileSummary::default()
        }
    }
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
    /// Sheets of workbooks that hold no records fupin can tell.
    pub skipped_sheets: Vec<SkippedSheet>,
    /// A folder or workbook: the summary lists its files or sheets.
    pub many: bool,
    /// The first problems found, in the order the files are read, each in
    /// line order.
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

/// Imports the planned files in one transaction.
pub fn run(conn: &mut Connection, actor: &Actor, opts: &Options) -> Result<Report> {
    let plan = plan::plan(opts)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    // Foreign keys stay enforced although every reference was resolved to
    // a stored code already: switching them off saved ~10 % of a bulk load
    // (bench/README.md), not worth a rule the schema promises.
    run_plan(conn, actor, opts, plan)
}

fn run_plan(conn: &mut Connection, actor: &Actor, opts: &Options, plan: Plan) -> Result<Report> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("failed to lock the database for writing")?;
    let mut report = Report {
        skipped_sheets: plan.skipped_sheets,
        many: plan.many,
        ..Report::default()
    };
    let mut resolver = Resolver::new();
    for planned in &plan.files {
        // Rows of earlier files may now resolve names that failed before.
        resolver.clear();
        let rejects = rejects_path(opts, &planned.spec, plan.many);
        let summaries = file::import_file(
            &tx,
            actor,
            &mut resolver,
            opts,
            &planned.spec,
            planned.entity,
            rejects,
            &mut report,
        )?;
        // A person-level file gives households and people: a list.
        report.many |= summaries.len() > 1;
        report.files.extend(summaries);
        if report.stopped {
            break;
        }
    }
    // Files in the order they were read, each in line order: the towns'
    // and villages' problems first, since a household's "no village" often
    // only follows from them.
    let order: Vec<String> = plan.files.iter().map(|f| f.spec.display()).collect();
    let rank = |file: &str| order.iter().position(|o| o == file).unwrap_or(order.len());
    report
        .problems
        .sort_by(|a, b| (rank(&a.file), &a.file, a.line).cmp(&(rank(&b.file), &b.file, b.line)));
    let refuse = report.fatal || (report.problem_count > 0 && !opts.skip_invalid);
    // Each household's steps, from whichever files, must follow each other.
    if !refuse && let Err(e) = crate::register::check_all(&tx) {
        tx.rollback().context("failed to roll back")?;
        let files: Vec<String> = plan.files.iter().map(|f| f.spec.display()).collect();
        return Err(anyhow::anyhow!(
            "{}: {e}",
            files.join(crate::lang::t(", ", "、").as_str())
        ));
    }
    if refuse || opts.dry_run {
        tx.rollback().context("failed to roll back")?;
    } else {
        tx.commit().context("failed to commit the import")?;
        report.written = true;
    }
    Ok(report)
}

/// `households.rejects.csv` beside the input; for a sheet
/// `book.贫困户.rejects.csv`; in the `--rejects` folder when importing
/// several files or sheets.
fn rejects_path(opts: &Options, spec: &Spec, many: bool) -> PathBuf {
    let input: &Path = &spec.path;
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match spec.sheet_name() {
        Some(sheet) => format!("{stem}.{}.rejects.csv", sheet.replace(['/', '\\'], "_")),
        None => format!("{stem}.rejects.csv"),
    };
    match (&opts.rejects, many) {
        (Some(dir), true) => dir.join(name),
        (Some(file), false) => file.clone(),
        (None, _) => input.with_file_name(name),
    }
}

pub(crate) fn progress_bar(
    opts: &Options,
    src: &crate::input::Source,
) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    let (size, template) = if src.counts_rows() {
        (src.size(), "{msg} [{bar:40}] {pos}/{len} {eta}")
    } else {
        (src.size(), "{msg} [{bar:40}] {bytes}/{total_bytes} {eta}")
    };
    if !opts.progress || !std::io::stderr().is_terminal() || !src.is_large() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.set_message(t("importing", "导入中"));
    Some(bar)
}
