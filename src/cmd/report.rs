//! `fupin report`: turns flags into a report's inputs, builds it and writes
//! it to stdout or `-o FILE`. The reports themselves live in `crate::report`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::Ctx;
use super::records::{as_of, choice_arg, date_arg};
use crate::csv_io::Encoding;
use crate::files;
use crate::lang::{Lang, t};
use crate::model::TASK_LEVELS;
use crate::report::period::Period;
use crate::report::plain::TextWidth;
use crate::report::progress::{AsOfEach, Step};
use crate::report::{self, By, Output, PageOpts, Report, ReportFormat};

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// "Double clear" (双清零): poor villages and households remaining on a date
    DoubleClear(DoubleClearArgs),
    /// Bimonthly dispatch (调度) summary of the listed tasks
    Dispatch(DispatchArgs),
    /// Work teams, first secretaries, information officers and 一肩挑
    Teams(TeamsArgs),
    /// Listed tasks still open on a date, with days overdue
    Tasks(TasksArgs),
    /// The road to the double clear: registered, lifted and remaining per
    /// year, quarter or month, with charts
    Progress(ProgressArgs),
    /// Monitoring against a return to poverty (防返贫动态监测): households
    /// under monitoring, identified and eliminated in the month
    Monitoring(MonitoringArgs),
    /// Exit quality (脱贫质量): households lifted in a year and how many meet
    /// each standard of 一超过、两不愁、三保障
    Exits(ExitsArgs),
}

#[derive(Debug, Args)]
pub struct ExitsArgs {
    /// The year (default: the last year with assessments)
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// Every household lifted at the year's end, not only those lifted in it
    #[arg(long)]
    pub all_lifted: bool,
    /// One row per county, town or village
    #[arg(long, value_enum, default_value_t = By::Town)]
    pub by: By,
    #[command(flatten)]
    pub out: OutputOpts,
}

#[derive(Debug, Args)]
pub struct MonitoringArgs {
    /// Cut-off date or month (2022-12 means its last day; default: the end
    /// of the last full month)
    #[arg(long, value_name = "DATE|YYYY-MM")]
    pub as_of: Option<String>,
    /// One row per county, town or village
    #[arg(long, value_enum, default_value_t = By::Town)]
    pub by: By,
    #[command(flatten)]
    pub out: OutputOpts,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// First period: the one holding DATE (default: the first registration)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last period: the one holding DATE (default: the last lift)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Length of a period
    #[arg(long, value_enum, default_value_t = Step::Year)]
    pub step: Step,
    /// One series for the county, or one per town
    #[arg(long, value_enum, default_value_t = By::County)]
    pub by: By,
    /// Figures as of each period's last day (end) or first day (start)
    #[arg(long, value_enum, default_value_t = AsOfEach::End)]
    pub as_of_each: AsOfEach,
    #[command(flatten)]
    pub out: OutputOpts,
}

/// How and where a report is written.
#[derive(Debug, Args)]
pub struct OutputOpts {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write to FILE instead of the terminal (`-o -` is standard output)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Reporting unit 填报单位 in the title block (default: the county's
    /// poverty-alleviation office)
    #[arg(long, value_name = "TEXT")]
    pub unit: Option<String>,
    /// CSV: start with a UTF-8 byte-order mark, so Excel reads Chinese
    /// right (the default for --lang zh written to a file)
    #[arg(long, conflicts_with = "no_bom")]
    pub bom: bool,
    /// CSV: no byte-order mark, even for --lang zh written to a file
    #[arg(long)]
    pub no_bom: bool,
    /// CSV: text encoding, utf-8 (default) or gb18030 for older Excel
    #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
    pub encoding: Encoding,
}

impl OutputOpts {
    /// The file to write, or `None` for standard output (no `-o`, or `-o -`).
    pub fn file(&self) -> Option<&Path> {
        files::output_file(self.output.as_deref())
    }

    /// The flags checked and turned into what the renderers need, before
    /// any file is opened.
    pub fn settle(&self) -> Result<Output> {
        // The unit is printed in the title block of every format.
        if let Some(c) = self
            .unit
            .as_deref()
            .and_then(|u| crate::values::refused_char(u, false))
        {
            let problem = crate::values::control_problem(c);
            bail!(
                "{}",
                t(&format!("--unit: {problem}"), &format!("--unit：{problem}"))
            );
        }
        let csv_flag = self.bom || self.no_bom || self.encoding != Encoding::Utf8;
        if csv_flag && self.format != ReportFormat::Csv {
            bail!(
                "{}",
                t(
                    "--bom, --no-bom and --encoding apply to --format csv only",
                    "--bom、--no-bom 和 --encoding 只用于 --format csv",
                )
            );
        }
        if self.encoding == Encoding::Utf16 {
            bail!(
                "{}",
                t(
                    "--encoding: reports are written in utf-8 or gb18030",
                    "--encoding：报表只能写成 utf-8 或 gb18030",
                )
            );
        }
        if self.format == ReportFormat::Xlsx
            && self.file().is_none()
            && std::io::stdout().is_terminal()
        {
            bail!(
                "{}",
                t(
                    "--format xlsx writes a workbook, not text for the terminal; add -o FILE.xlsx",
                    "--format xlsx 生成的是 Excel 工作簿，不能显示在终端上；请加上 -o 文件名.xlsx",
                )
            );
        }
        // Excel opens a UTF-8 file without a BOM as the local code page:
        // a Chinese CSV saved for a clerk gets one unless told otherwise.
        let bom = self.bom || (!self.no_bom && Lang::current().is_zh() && self.file().is_some());
        let width = if self.file().is_some() {
            TextWidth::Unlimited
        } else if let Some(w) = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|w| *w >= 20)
        {
            TextWidth::Columns(w)
        } else if std::io::stdout().is_terminal() {
            TextWidth::Terminal
        } else {
            TextWidth::Unlimited
        };
        Ok(Output {
            format: self.format,
            width,
            encoding: self.encoding,
            bom,
        })
    }
}

#[derive(Debug, Args)]
pub struct DoubleClearArgs {
    /// Cut-off date (default: today); a bare year means its last day
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// One row per county, battle zone, town or village
    #[arg(long, value_enum, default_value_t = By::Town)]
    pub by: By,
    /// Roll up every `.db` file in DIR (with --db FILE given more than once,
    /// those files): one row per county, or per town with --by town
    #[arg(long, value_name = "DIR")]
    pub db_dir: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputOpts,
}

#[derive(Debug, Args)]
pub struct DispatchArgs {
    /// Two-month block: YYYY-MM (the block holding that month) or YYYYNNB
    /// (block 01–06); default: the block holding today
    #[arg(long, value_name = "PERIOD", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// First day of a custom period (with --to)
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<String>,
    /// Last day of a custom period (with --from)
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<String>,
    /// Roll up every `.db` file in DIR (with --db FILE given more than once,
    /// those files): one row per county, or per town with --by town
    #[arg(long, value_name = "DIR")]
    pub db_dir: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputOpts,
}

#[derive(Debug, Args)]
pub struct TeamsArgs {
    /// Date the posts are counted on (default: today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// One row per county, battle zone (its towns together), town or village
    #[arg(long, value_enum, default_value_t = By::Town)]
    pub by: By,
    /// Roll up every `.db` file in DIR (with --db FILE given more than once,
    /// those files): one row per county, or per town with --by town
    #[arg(long, value_name = "DIR")]
    pub db_dir: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputOpts,
}

#[derive(Debug, Args)]
pub struct TasksArgs {
    /// Date the board shows (default: today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Only tasks listed at this level: county (县级) or town (乡镇级)
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
    #[command(flatten)]
    pub out: OutputOpts,
}

fn date(iso: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").with_context(|| format!("bad date {iso}"))
}

pub fn run(ctx: &Ctx, cmd: ReportCmd) -> Result<u8> {
    let out = match &cmd {
        ReportCmd::DoubleClear(a) => &a.out,
        ReportCmd::Dispatch(a) => &a.out,
        ReportCmd::Teams(a) => &a.out,
        ReportCmd::Tasks(a) => &a.out,
        ReportCmd::Progress(a) => &a.out,
        ReportCmd::Monitoring(a) => &a.out,
        ReportCmd::Exits(a) => &a.out,
    };
    out.settle()?;
    let one_file_only = match &cmd {
        ReportCmd::Tasks(_) => Some("tasks"),
        ReportCmd::Progress(_) => Some("progress"),
        ReportCmd::Monitoring(_) => Some("monitoring"),
        ReportCmd::Exits(_) => Some("exits"),
        _ => None,
    };
    if let Some(name) = one_file_only
        && ctx.dbs.len() > 1
    {
        anyhow::bail!(
            "{}",
            crate::lang::t(
                &format!(
                    "--db is given {} times; `report {name}` reads one county file (only double-clear, dispatch and teams roll several up): run it once per --db",
                    ctx.dbs.len()
                ),
                &format!(
                    "--db 给了 {} 次；`report {name}` 只读一个县的文件（只有 double-clear、dispatch、teams 能合并多个文件）：请对每个 --db 分别运行",
                    ctx.dbs.len()
                ),
            )
        );
    }
    // Flags are checked before the file is opened, so a typo in a date is
    // reported as such even without a database.
    match cmd {
        ReportCmd::DoubleClear(a) => {
            let day = date(&as_of(a.as_of.as_deref())?)?;
            if let Some(sources) = rollup_sources(ctx, a.db_dir.as_deref())? {
                let r = report::rollup::double_clear(sources, day, a.by)?;
                return emit(&r, &a.out);
            }
            let how = a.out.settle()?;
            let note = if how.format.prints_notes() {
                report::double_clear::ExitsNote::Noted
            } else {
                report::double_clear::ExitsNote::Left
            };
            let conn = ctx.open_read()?;
            let r = report::double_clear::build(&conn, day, a.by, note)?;
            emit_settled(&r, &a.out, how)
        }
        ReportCmd::Dispatch(a) => {
            let period = match (&a.period, &a.from, &a.to) {
                (Some(p), _, _) => Period::parse(p)?,
                (None, Some(from), Some(to)) => {
                    Period::custom(date(&date_arg("from", from)?)?, date(&date_arg("to", to)?)?)?
                }
                _ => Period::holding(date(&super::records::today())?)?,
            };
            if let Some(sources) = rollup_sources(ctx, a.db_dir.as_deref())? {
                let r = report::rollup::dispatch(sources, period)?;
                return emit(&r, &a.out);
            }
            let conn = ctx.open_read()?;
            let r = report::dispatch::build(&conn, period)?;
            emit(&r, &a.out)
        }
        ReportCmd::Teams(a) => {
            let day = date(&as_of(a.as_of.as_deref())?)?;
            if let Some(sources) = rollup_sources(ctx, a.db_dir.as_deref())? {
                let r = report::rollup::teams(sources, day, a.by)?;
                return emit(&r, &a.out);
            }
            let conn = ctx.open_read()?;
            let r = report::teams::build(&conn, day, a.by)?;
            emit(&r, &a.out)
        }
        ReportCmd::Tasks(a) => {
            let day = date(&as_of(a.as_of.as_deref())?)?;
            let level = a
                .level
                .as_deref()
                .map(|l| choice_arg("level", TASK_LEVELS, l))
                .transpose()?;
            let conn = ctx.open_read()?;
            let r = report::tasks::build(&conn, day, level)?;
            emit(&r, &a.out)
        }
        ReportCmd::Exits(a) => {
            let year = a
                .year
                .as_deref()
                .map(|y| super::assessments::year_arg("year", y))
                .transpose()?;
            let conn = ctx.open_read()?;
            let year = match year {
                Some(y) => y,
                None => super::check::last_assessed_year(&conn)?,
            };
            let which = if a.all_lifted {
                report::exits::Which::AllLifted
            } else {
                report::exits::Which::LiftedInYear
            };
            let r = report::exits::build(&conn, year, which, a.by)?;
            emit(&r, &a.out)
        }
        ReportCmd::Monitoring(a) => {
            let day = match &a.as_of {
                Some(raw) => date(&date_arg("as-of", raw)?)?,
                None => report::monitoring::default_as_of(date(&super::records::today())?),
            };
            let conn = ctx.open_read()?;
            let r = report::monitoring::build(&conn, day, a.by)?;
            emit(&r, &a.out)
        }
        ReportCmd::Progress(a) => {
            let from = a.from.as_deref().map(|d| date_arg("from", d)).transpose()?;
            let to = a.to.as_deref().map(|d| date_arg("to", d)).transpose()?;
            let conn = ctx.open_read()?;
            let (first, last) = match (&from, &to) {
                (Some(f), Some(t)) => (date(f)?, date(t)?),
                _ => {
                    let (first, last) = report::progress::default_range(&conn, Lang::current())?;
                    (
                        from.as_deref().map(date).transpose()?.unwrap_or(first),
                        to.as_deref().map(date).transpose()?.unwrap_or(last),
                    )
                }
            };
            let periods = report::progress::periods(first, last, a.step, a.as_of_each)?;
            let r = report::progress::build(&conn, periods, a.step, a.as_of_each, a.by)?;
            emit(&r, &a.out)
        }
    }
}

/// The county files of a roll-up: `--db-dir DIR`, or `--db` given more
/// than once; `None` for the one file of an ordinary report.
fn rollup_sources(
    ctx: &Ctx,
    dir: Option<&std::path::Path>,
) -> Result<Option<Vec<report::rollup::Source>>> {
    let files = match dir {
        Some(dir) => {
            let mut files = report::rollup::files_in(dir)?;
            files.extend(ctx.dbs.iter().cloned());
            files
        }
        None if ctx.dbs.len() > 1 => ctx.dbs.clone(),
        None => return Ok(None),
    };
    report::rollup::open_all(&files).map(Some)
}

/// Renders in full before writing, so a failure leaves no half-written file.
/// JSON, written from rows that are all at hand and cannot fail but for
/// the output itself, streams instead: a report by village of a province
/// costs no copy of its text (a file still appears only when whole).
fn emit(report: &dyn Report, out: &OutputOpts) -> Result<u8> {
    emit_settled(report, out, out.settle()?)
}

/// [`emit`] with the flags already settled, for a report that needed them
/// to decide what to build.
fn emit_settled(report: &dyn Report, out: &OutputOpts, how: Output) -> Result<u8> {
    let opts = PageOpts {
        unit: out.unit.clone(),
        lang: Lang::current(),
    };
    if how.format == ReportFormat::Json {
        match out.file() {
            Some(path) => files::write_with(path, |w| report::render(report, &how, &opts, w))?,
            None => {
                let mut lock = crate::console::stdout();
                let mut w = std::io::BufWriter::with_capacity(64 * 1024, &mut lock);
                report::render(report, &how, &opts, &mut w)?;
                w.flush()?;
            }
        }
        return Ok(0);
    }
    let mut buf = Vec::new();
    report::render(report, &how, &opts, &mut buf)?;
    match out.file() {
        Some(path) => files::write(path, &buf)?,
        None => {
            let mut lock = crate::console::stdout();
            lock.write_all(&buf)?;
            lock.flush()?;
        }
    }
    Ok(0)
}
