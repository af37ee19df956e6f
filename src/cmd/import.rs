//! `fupin import`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::Ctx;
use crate::csv_io::Encoding;
use crate::import::{self, FileSummary, Options, Report, SHOWN, Scope};
use crate::lang::t;
use crate::model::entity_by_name;
use crate::output::{Cell, Column, Grid};
use crate::say;

/// How the summary is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SummaryFormat {
    /// Aligned table
    #[default]
    Table,
    /// One JSON object (stable keys for scripts)
    Json,
}

/// Import township spreadsheets (CSV files or workbooks) into the database.
///
/// One record kind per file or sheet: taken from ENTITY, else from the file
/// or sheet name (households.csv, 贫困户.csv, 花名册, …), else from the
/// header. A workbook (.xlsx, .xls, .ods) imports every sheet it recognises;
/// a folder every .csv file and workbook in it; both in dependency order
/// (cadres, zones, towns, villages, households, tasks, posts, dispatches,
/// visits, promotions) in one transaction: all or nothing.
///
/// The header is found below any title rows; 序号, 合计/小计 rows,
/// signatures (填表人：…) and notes are passed over and listed in the
/// summary, with the columns of the national system's exports that are not
/// kept.
///
/// Exit codes: 0 imported; 1 refused, nothing written (every problem is
/// listed as FILE:LINE: column: problem); 2 usage error; 3 imported with
/// rows set aside (only with --skip-invalid).
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Record kind (households, 贫困户, …), or the file or folder when left out
    #[arg(value_name = "ENTITY|FILE|DIR")]
    pub first: String,
    /// The file or folder, when ENTITY is given
    #[arg(value_name = "FILE|DIR")]
    pub second: Option<PathBuf>,
    /// Text encoding of CSV files (default: detected)
    #[arg(long, value_enum)]
    pub encoding: Option<Encoding>,
    /// The sheet of a workbook to import, by name or number from 1
    /// (default: every sheet fupin recognises)
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,
    /// Check and count everything, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write the good rows and set the bad ones aside in a rejects file (exit code 3)
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where the rejected rows go (default: FILE.rejects.csv next to the input;
    /// a folder when importing a folder)
    #[arg(long, value_name = "FILE", requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
    /// Ignore columns that are not part of the record instead of refusing
    /// the file (the summary names each one)
    #[arg(long)]
    pub ignore_unknown_columns: bool,
    /// Also list the records of the towns (or villages) the file covers that
    /// it does not hold, such as a household dropped from a township's list;
    /// nothing is deleted
    #[arg(
        long,
        value_enum,
        value_name = "town|village",
        num_args = 0..=1,
        default_missing_value = "town"
    )]
    pub missing: Option<Scope>,
    /// The registration date (识别时间) of households whose rows give none,
    /// for files that have no such column (a bare year is its last day)
    #[arg(long, value_name = "DATE")]
    pub registered_on: Option<String>,
    /// The lift date (脱贫时间) of households whose status word says lifted
    /// (已脱贫) and whose rows give no date
    #[arg(long, value_name = "DATE")]
    pub lifted_on: Option<String>,
    /// The return date (返贫时间) of households whose status word says
    /// returned (返贫) and whose rows give no date
    #[arg(long, value_name = "DATE")]
    pub returned_on: Option<String>,
    /// The date households whose status word says removed, cleared or left
    /// (剔除, 清退, 自然减少) left the register, and people whose status word
    /// says they left (死亡, 婚出, 迁出) left their household, when their rows
    /// give none
    #[arg(long, value_name = "DATE")]
    pub left_on: Option<String>,
    /// The year of a file's income and living-condition columns (人均纯收入,
    /// 危房户 …) when it has no 年度 or 统计时间 column of its own
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// Summary format
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
    /// Accept dates after today in the file (registrations, lifts,
    /// dispatches, visits, posts); noted in the audit trail
    #[arg(long)]
    pub allow_future: bool,
    /// No progress bar and no messages, only the summary and errors
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<u8> {
    let entity_named = entity_by_name(&args.first).is_some() && args.second.is_none();
    let (entity, path) = match args.second {
        Some(path) => match entity_by_name(&args.first) {
            Some(e) => (Some(e), path),
            None => {
                say!(
                    "{}",
                    t(
                        &format!(
                            "no record kind {}; use one of cadres, zones, towns, villages, households, tasks, posts, dispatches, visits, promotions",
                            args.first
                        ),
                        &format!(
                            "没有记录类型 {}；可用 干部、作战区、乡镇、行政村、贫困户、挂牌督战任务、任职、调度、走访、提拔",
                            args.first
                        ),
                    )
                );
                return Ok(2);
            }
        },
        None => (None, PathBuf::from(&args.first)),
    };
    if !path.exists() {
        let hint = if entity_named {
            t(
                &format!("; give the file too: fupin import {} FILE", args.first),
                &format!("；请同时给出文件：fupin import {} 文件", args.first),
            )
        } else {
            String::new()
        };
        anyhow::bail!(
            "{}{hint}",
            t(
                &format!("no file or folder {}", path.display()),
                &format!("找不到文件或文件夹 {}", path.display()),
            )
        );
    }
    if entity.is_some() && path.is_dir() {
        say!(
            "{}",
            t(
                "a folder is imported by file names; leave out the record kind",
                "导入文件夹时按文件名识别记录类型；请去掉记录类型参数",
            )
        );
        return Ok(2);
    }
    let opts = Options {
        entity,
        path,
        encoding: args.encoding,
        sheet: args.sheet,
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        rejects: args.rejects,
        ignore_unknown_columns: args.ignore_unknown_columns,
        missing: args.missing,
        defaults: import::Defaults {
            registered_on: args
                .registered_on
                .as_deref()
                .map(|d| super::records::date_arg("registered-on", d))
                .transpose()?,
            lifted_on: args
                .lifted_on
                .as_deref()
                .map(|d| super::records::date_arg("lifted-on", d))
                .transpose()?,
            returned_on: args
                .returned_on
                .as_deref()
                .map(|d| super::records::date_arg("returned-on", d))
                .transpose()?,
            left_on: args
                .left_on
                .as_deref()
                .map(|d| super::records::date_arg("left-on", d))
                .transpose()?,
            year: args
                .year
                .as_deref()
                .map(|y| super::assessments::year_arg("year", y).map(|y| y.to_string()))
                .transpose()?,
        },
        progress: !args.quiet,
    };
    let mut conn = ctx.open()?;
    let report = import::run(&mut conn, &ctx.actor(), &opts)?;
    print_problems(&report);
    if report.stopped {
        say!(
            "{}",
            t(
                "the files after it were not checked, as their records may refer to the duplicated ones",
                "其后的文件未检查，因为其中的记录可能引用了重复的记录",
            )
        );
    }
    let refused = report.fatal || (report.problem_count > 0 && !opts.skip_invalid);
    if refused {
        let n = report.problem_count;
        let problems = crate::lang::count(n as i64, "problem", "problems");
        // Rows can be set aside, a file's layout cannot.
        let (en, zh) = if report.fatal || opts.skip_invalid {
            (
                format!("{problems}; nothing was written — correct the file(s) and import again"),
                format!("共 {n} 处问题；未写入任何数据——请修正文件后重新导入"),
            )
        } else {
            (
                format!(
                    "{problems}; nothing was written — correct the file(s) and import again, or pass --skip-invalid to import the good rows"
                ),
                format!(
                    "共 {n} 处问题；未写入任何数据——请修正文件后重新导入，或加 --skip-invalid 只导入无误的行"
                ),
            )
        };
        anyhow::bail!("{}", t(&en, &zh));
    }
    print_summary(&report, args.format)?;
    if !args.quiet {
        if opts.dry_run {
            say!(
                "{}",
                t("dry run: nothing was written", "试运行：未写入任何数据")
            );
        }
        for path in &report.rejects {
            say!(
                "{}",
                t(
                    &format!(
                        "rejected rows were written to {}; correct them there and import that file",
                        path.display()
                    ),
                    &format!(
                        "被拒绝的行已写入 {}；请在该文件中修正后再导入",
                        path.display()
                    ),
                )
            );
        }
    }
    Ok(if report.rejected() > 0 { 3 } else { 0 })
}

fn print_problems(report: &Report) {
    for p in report.problems.iter().take(SHOWN) {
        say!("{p}");
    }
    let shown = report.problems.len().min(SHOWN);
    if report.problem_count > shown {
        let more = report.problem_count - shown;
        say!(
            "{}",
            t(&format!("… and {more} more"), &format!("……另有 {more} 处"))
        );
    }
}

fn print_summary(report: &Report, format: SummaryFormat) -> Result<()> {
    let mut out = crate::console::stdout();
    match format {
        SummaryFormat::Json => {
            let json = if report.many {
                let total = totals(&report.files);
                serde_json::json!({
                    "files": report.files,
                    "skipped_sheets": report.skipped_sheets,
                    "inserted": total.inserted,
                    "updated": total.updated,
                    "unchanged": total.unchanged,
                    "rejected": total.rejected,
                })
            } else {
                serde_json::to_value(report.files.first().cloned().unwrap_or_default())?
            };
            serde_json::to_writer(&mut out, &json)?;
            writeln!(out)?;
        }
        SummaryFormat::Table => {
            let mut grid = Grid::new(vec![
                Column::new("file", t("file", "文件")),
                Column::new("entity", t("records", "记录类型")),
                Column::new("inserted", t("inserted", "新增")),
                Column::new("updated", t("updated", "修改")),
                Column::new("unchanged", t("unchanged", "未变")),
                Column::new("rejected", t("rejected", "拒绝")),
            ]);
            let row = |name: String, entity: String, s: &FileSummary| {
                vec![
                    Cell::text(name),
                    Cell::text(entity),
                    Cell::Int(s.inserted as i64),
                    Cell::Int(s.updated as i64),
                    Cell::Int(s.unchanged as i64),
                    Cell::Int(s.rejected as i64),
                ]
            };
            for f in &report.files {
                let label = entity_by_name(&f.entity)
                    .map(|e| e.label().to_string())
                    .unwrap_or_else(|| f.entity.clone());
                grid.push(row(file_name(f), label, f));
                // What the file gave beside its records, on rows of their own.
                for (entity, counts) in [
                    (&crate::model::EVENT, &f.events),
                    (&crate::model::ASSESSMENT, &f.assessments),
                    (&crate::model::MONITOR, &f.monitoring),
                ] {
                    if let Some(c) = counts {
                        grid.push(vec![
                            Cell::text(file_name(f)),
                            Cell::text(entity.label()),
                            Cell::Int(c.inserted as i64),
                            Cell::Int(c.updated as i64),
                            Cell::Int(c.unchanged as i64),
                            Cell::Int(0),
                        ]);
                    }
                }
            }
            if report.many {
                grid.push(row(
                    t("total", "合计"),
                    String::new(),
                    &totals(&report.files),
                ));
            }
            writeln!(out, "{}", grid.to_table())?;
            for line in details(report) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// `households.csv`, or `book.xlsx[贫困户]` for a sheet.
fn file_name(f: &FileSummary) -> String {
    match &f.sheet {
        Some(sheet) => format!("{}[{sheet}]", f.file),
        None => f.file.clone(),
    }
}

/// What the table's counts do not say: rows and sheets passed over,
/// columns not kept or ignored, values converted, warnings, and the
/// records `--missing` found lacking.
fn details(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    let list = |items: &[String]| items.join(t(", ", "、").as_str());
    for s in &report.skipped_sheets {
        out.push(t(
            &format!(
                "{}: sheet {} passed over: {}",
                s.file,
                s.sheet,
                s.why.label()
            ),
            &format!("{}：已跳过工作表 {}：{}", s.file, s.sheet, s.why.label()),
        ));
    }
    for f in &report.files {
        let name = file_name(f);
        if f.inserted + f.updated + f.unchanged + f.rejected == 0 {
            out.push(t(
                &format!(
                    "{name}: no records below the header, so nothing was imported from it; check that this is the file meant"
                ),
                &format!("{name}：表头下没有记录，未从中导入任何数据；请确认文件是否正确"),
            ));
        }
        if !f.skipped.is_empty() {
            let rows: Vec<String> = f
                .skipped
                .iter()
                .map(|s| {
                    t(
                        &format!("line {} ({})", s.line, s.why.label()),
                        &format!("第 {} 行（{}）", s.line, s.why.label()),
                    )
                })
                .collect();
            out.push(t(
                &format!("{name}: rows passed over: {}", list(&rows)),
                &format!("{name}：跳过的行：{}", list(&rows)),
            ));
        }
        if !f.not_kept.is_empty() {
            out.push(t(
                &format!("{name}: columns fupin does not keep: {}", list(&f.not_kept)),
                &format!("{name}：fupin 不保存的列：{}", list(&f.not_kept)),
            ));
        }
        if !f.ignored.is_empty() {
            out.push(t(
                &format!(
                    "{name}: unknown columns ignored (--ignore-unknown-columns): {}",
                    list(&f.ignored)
                ),
                &format!(
                    "{name}：已忽略的未知列（--ignore-unknown-columns）：{}",
                    list(&f.ignored)
                ),
            ));
        }
        if f.excel_serial_dates > 0 {
            out.push(t(
                &format!(
                    "{name}: {} dates written as Excel serial numbers were converted",
                    f.excel_serial_dates
                ),
                &format!(
                    "{name}：{} 个以 Excel 序列号表示的日期已转换",
                    f.excel_serial_dates
                ),
            ));
        }
        if f.ids_15_to_18 > 0 {
            out.push(t(
                &format!(
                    "{name}: {} 15-digit ID numbers were converted to 18 digits",
                    f.ids_15_to_18
                ),
                &format!("{name}：{} 个 15 位身份证号已升为 18 位", f.ids_15_to_18),
            ));
        }
        for w in &f.warnings {
            out.push(match w.line {
                0 => format!("{name}: {}", w.why),
                line => format!("{name}:{line}: {}: {}", w.column, w.why),
            });
        }
        if let Some(missing) = &f.missing {
            out.push(t(
                &format!(
                    "{name}: {} of the places it covers {} not in the file{}",
                    crate::lang::count(missing.len() as i64, "record", "records"),
                    if missing.len() == 1 { "is" } else { "are" },
                    if missing.is_empty() { "" } else { ":" }
                ),
                &format!(
                    "{name}：所涉地区中有 {} 条记录不在文件中{}",
                    missing.len(),
                    if missing.is_empty() { "" } else { "：" }
                ),
            ));
            for m in missing {
                out.push(format!("  {} {}", m.code, m.name));
            }
        }
    }
    out
}

fn totals(files: &[FileSummary]) -> FileSummary {
    let mut total = FileSummary::default();
    for f in files {
        total.inserted += f.inserted;
        total.updated += f.updated;
        total.unchanged += f.unchanged;
        total.rejected += f.rejected;
    }
    total
}
