//! A prefecture's roll-up: the same report over several county files,
//! combined from each file's own result (a city office has a dozen files,
//! a province over a hundred — more than SQLite can `ATTACH` at once).
//! Files are opened read-only; files of another schema version and two
//! files of one county are refused, naming the files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::sheet::{
    Col, Each, GroupsJson, Mark, Parent, Row, Sheet, Value, as_of_line, write_json,
};
use super::{By, Group, Layout, PageOpts, Report, Subtotals, group_rows};
use super::{dispatch, double_clear, teams};
use crate::lang::{Lang, t};

/// One county's file, open for reading.
pub struct Source {
    pub path: PathBuf,
    pub conn: Connection,
    /// (division code, name)
    pub county: (String, String),
}

/// Every `.db` file of `dir`, in name order.
pub fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        t(
            &format!("cannot read the folder {}", dir.display()),
            &format!("无法读取文件夹 {}", dir.display()),
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "db") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        bail!(
            "{}",
            t(
                &format!(
                    "no .db files in {}; put the counties' files there",
                    dir.display()
                ),
                &format!(
                    "{} 中没有 .db 文件；请把各县的数据库文件放在这里",
                    dir.display()
                ),
            )
        );
    }
    Ok(files)
}

/// Opens each file read-only and checks that they can be reported
/// together: fupin files of this schema version, one per county.
pub fn open_all(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let latest = crate::db::schema_version();
    let mut sources: Vec<Source> = Vec::new();
    for path in paths {
        if !path.is_file() {
            bail!(
                "{}",
                t(
                    &format!("no database at {}; check the name", path.display()),
                    &format!("找不到数据库 {}；请检查文件名", path.display()),
                )
            );
        }
        // Opened read-write where the file allows it, though nothing is
        // written: only then does SQLite remove the -wal and -shm files it
        // makes beside a county's file when the connection closes. A file
        // that cannot be written is read all the same.
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("failed to open {}", path.display()))?;
        let (app, version): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .with_context(|| format!("failed to read {}", path.display()))?;
        if app != i64::from(crate::db::APPLICATION_ID) {
            bail!(
                "{}",
                t(
                    &format!("{} is not a fupin database", path.display()),
                    &format!("{} 不是 fupin 数据库", path.display()),
                )
            );
        }
        if version != latest {
            bail!(
                "{}",
                t(
                    &format!(
                        "{} has schema version {version}, this fupin reads version {latest}; open it once with `fupin --db {} check` (or a newer fupin) so all the files are of one version",
                        path.display(),
                        path.display()
                    ),
                    &format!(
                        "{} 的结构版本为 {version}，本程序读取版本 {latest}；请先用 `fupin --db {} check`（或更新的 fupin）打开一次，使各文件版本一致",
                        path.display(),
                        path.display()
                    ),
                )
            );
        }
        let county = crate::db::county(&conn)
            .with_context(|| format!("failed to read {}", path.display()))?;
        if let Some(twin) = sources.iter().find(|s| s.county.0 == county.0) {
            bail!(
                "{}",
                t(
                    &format!(
                        "{} and {} are both county {} ({}); give each county's file once",
                        twin.path.display(),
                        path.display(),
                        county.0,
                        county.1
                    ),
                    &format!(
                        "{} 和 {} 是同一个县 {}（{}）；每个县只给一个文件",
                        twin.path.display(),
                        path.display(),
                        county.1,
                        county.0
                    ),
                )
            );
        }
        sources.push(Source {
            path: path.clone(),
            conn,
            county,
        });
    }
    Ok(sources)
}

/// Runs `f` on every source, on two threads: each file's work is
/// independent, and a hundred small files add up.
fn each<T: Send>(
    mut sources: Vec<Source>,
    f: impl Fn(&Source) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    // A connection may move to another thread but not be shared: each
    // thread owns its half of the files.
    let b = sources.split_off(sources.len().div_ceil(2));
    let a = sources;
    std::thread::scope(|scope| {
        let f = &f;
        let other = scope.spawn(move || b.iter().map(f).collect::<Result<Vec<T>>>());
        let mut out = a.iter().map(f).collect::<Result<Vec<T>>>()?;
        let rest = other
            .join()
            .map_err(|_| anyhow::anyhow!("a reading thread stopped unexpectedly"))??;
        out.extend(rest);
        Ok(out)
    })
}

/// `--by` of a roll-up: a row per county, or per town with a 县小计 row
/// after each county's towns.
fn check_by(by: By) -> Result<()> {
    if matches!(by, By::County | By::Town) {
        Ok(())
    } else {
        bail!(
            "{}",
            t(
                "a report over several files is by county or by town; use --by county or --by town",
                "多个文件合并的报表只能按县或按乡镇；请用 --by county 或 --by town",
            )
        )
    }
}

/// The title's place: `--unit` (贺州市) when given, else the counties.
fn place(opts: &PageOpts, counties: &[(String, String)]) -> String {
    match &opts.unit {
        Some(unit) => unit.clone(),
        None => match opts.lang {
            Lang::Zh => counties
                .iter()
                .map(|c| c.1.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            Lang::En => format!("{} counties", counties.len()),
        },
    }
}

fn rollup_heading(
    opts: &PageOpts,
    counties: &[(String, String)],
    title: String,
    when: String,
) -> super::sheet::Heading {
    super::sheet::Heading {
        title,
        unit: place(opts, counties),
        when,
        generated: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// One county's result: the county, its towns, its totals.
type CountyResult<F> = ((String, String), Vec<Group<F>>, F);

/// Rows and their subtotals from per-county groups.
struct Rolled<F> {
    by: By,
    groups: Vec<Group<F>>,
    subtotals: Vec<Group<F>>,
    totals: F,
}

fn roll<F: Clone>(
    by: By,
    per_county: Vec<CountyResult<F>>,
    add: impl Fn(&mut F, &F),
    zero: F,
) -> Rolled<F> {
    let mut totals = zero;
    let mut groups = Vec::new();
    let mut subtotals = Vec::new();
    for (county, towns, county_totals) in per_county {
        add(&mut totals, &county_totals);
        match by {
            By::Town => {
                for g in towns {
                    groups.push(Group {
                        town: Some(county.1.clone()),
                        parent: Some(county.0.clone()),
                        ..g
                    });
                }
                subtotals.push(Group {
                    key: Some(county.0.clone()),
                    name: county.1.clone(),
                    town: None,
                    parent: None,
                    figures: county_totals,
                });
            }
            _ => groups.push(Group {
                key: Some(county.0.clone()),
                name: county.1.clone(),
                town: None,
                parent: None,
                figures: county_totals,
            }),
        }
    }
    Rolled {
        by,
        groups,
        subtotals,
        totals,
    }
}

impl<F> Rolled<F> {
    fn json<'a>(&'a self, as_of: NaiveDate, counties: &'a [(String, String)]) -> GroupsJson<'a, F> {
        GroupsJson {
            as_of,
            by: self.by,
            counties: Some(counties),
            groups: &self.groups,
            totals: &self.totals,
            parent: Parent::County,
            code_too: false,
        }
    }

    fn rows(&self, lang: Lang, figures: impl Fn(&F) -> Vec<Value>) -> Vec<Row> {
        // By county every county is a row: laid out as rows of towns are.
        let layout = Layout {
            lang,
            by: By::Town,
            county_code: "",
            parent_col: self.by == By::Town,
            subtotals: (self.by == By::Town).then(|| Subtotals {
                label: lang.t("County subtotal", "县小计"),
                groups: &self.subtotals,
            }),
        };
        group_rows(&layout, &self.groups, &self.totals, figures)
    }

    fn columns(&self, lang: Lang) -> Vec<Col> {
        let mut columns = vec![Col::code("key", lang.t("Code", "代码"))];
        if self.by == By::Town {
            columns.push(Col::text("town", lang.t("County", "县")));
        }
        columns.push(Col::text("name", self.by.label(lang)));
        columns
    }
}

/// `report double-clear` over several files.
pub struct DoubleClear {
    pub counties: Vec<(String, String)>,
    pub as_of: NaiveDate,
    rolled: Rolled<double_clear::Figures>,
}

pub fn double_clear(sources: Vec<Source>, as_of: NaiveDate, by: By) -> Result<DoubleClear> {
    check_by(by)?;
    let counties = sources.iter().map(|s| s.county.clone()).collect();
    let per_county = each(sources, |s| {
        // The rolled-up form carries no county's exits note.
        let r = double_clear::build(&s.conn, as_of, By::Town, double_clear::ExitsNote::Left)
            .with_context(|| format!("failed to count {}", s.path.display()))?;
        Ok((s.county.clone(), r.groups, r.totals))
    })?;
    Ok(DoubleClear {
        counties,
        as_of,
        rolled: roll(by, per_county, |a, b| a.add(b), Default::default()),
    })
}

impl Report for DoubleClear {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        write_json(out, &self.rolled.json(self.as_of, &self.counties))
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let mut columns = self.rolled.columns(lang);
        columns.extend(double_clear::figure_columns(
            lang,
            By::Town,
            self.as_of.year(),
        ));
        let place = place(opts, &self.counties);
        let title = lang.t(
            &format!("{place} — \"Double Clear\" Status"),
            &format!("{place}脱贫攻坚“双清零”情况表"),
        );
        let mut sheet = Sheet::new(
            lang,
            rollup_heading(opts, &self.counties, title, as_of_line(lang, self.as_of)),
            columns,
        );
        sheet.rows = self
            .rolled
            .rows(lang, |f| double_clear::figure_cells(lang, By::Town, f));
        sheet.verdict = Some(double_clear::verdict(lang, &self.rolled.totals));
        sheet.notes = double_clear::notes(lang, &self.rolled.totals);
        sheet.notes.push(files_note(lang, self.counties.len()));
        sheet.landscape = true;
        sheet
    }
}

fn files_note(lang: Lang, n: usize) -> String {
    lang.t(
        &format!("Combined from {n} county files, each counted on its own."),
        &format!("由 {n} 个县的数据文件分别统计后汇总。"),
    )
}

/// `report teams` over several files.
pub struct Teams {
    pub counties: Vec<(String, String)>,
    pub as_of: NaiveDate,
    rolled: Rolled<teams::Figures>,
}

fn add_teams(a: &mut teams::Figures, b: &teams::Figures) {
    a.villages += b.villages;
    a.villages_with_team += b.villages_with_team;
    a.first_secretaries += b.first_secretaries;
    a.work_team_members += b.work_team_members;
    a.info_officers += b.info_officers;
    a.yijiantiao += b.yijiantiao;
    a.yijiantiao_percent = super::percent(a.yijiantiao, a.villages);
}

pub fn teams(sources: Vec<Source>, as_of: NaiveDate, by: By) -> Result<Teams> {
    check_by(by)?;
    let counties = sources.iter().map(|s| s.county.clone()).collect();
    let per_county = each(sources, |s| {
        let r = teams::build(&s.conn, as_of, By::Town)
            .with_context(|| format!("failed to count {}", s.path.display()))?;
        Ok((s.county.clone(), r.groups, r.totals))
    })?;
    Ok(Teams {
        counties,
        as_of,
        rolled: roll(by, per_county, add_teams, Default::default()),
    })
}

impl Report for Teams {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        write_json(out, &self.rolled.json(self.as_of, &self.counties))
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let mut columns = self.rolled.columns(lang);
        columns.extend(teams::figure_columns(lang, By::Town));
        let place = place(opts, &self.counties);
        let title = lang.t(
            &format!("{place} — Village Work Teams and Information Officers"),
            &format!("{place}驻村工作队和信息员配备情况表"),
        );
        let mut sheet = Sheet::new(
            lang,
            rollup_heading(opts, &self.counties, title, as_of_line(lang, self.as_of)),
            columns,
        );
        sheet.rows = self.rolled.rows(lang, |f| teams::figure_cells(By::Town, f));
        sheet.verdict = Some(teams::verdict(lang, &self.rolled.totals));
        sheet.notes = teams::notes(lang);
        sheet.notes.push(files_note(lang, self.counties.len()));
        sheet.landscape = self.rolled.by == By::Town;
        sheet
    }
}

/// `report dispatch` over several files: a row per county with its
/// listed tasks counted.
pub struct Dispatch {
    pub period: super::period::Period,
    pub counties: Vec<((String, String), dispatch::Totals)>,
    pub totals: dispatch::Totals,
}

pub fn dispatch(sources: Vec<Source>, period: super::period::Period) -> Result<Dispatch> {
    let counties = each(sources, |s| {
        let r = dispatch::build(&s.conn, period.clone())
            .with_context(|| format!("failed to read {}", s.path.display()))?;
        Ok((s.county.clone(), r.totals))
    })?;
    let mut totals = dispatch::Totals::default();
    for (_, t) in &counties {
        totals.listed += t.listed;
        totals.done += t.done;
        totals.open += t.open;
        totals.overdue += t.overdue;
        totals.not_dispatched += t.not_dispatched;
        totals.finished_late += t.finished_late;
    }
    Ok(Dispatch {
        period,
        counties,
        totals,
    })
}

/// A county of the roll-up. Its figures beside its code and name are this
/// report's first form, kept for this release: read them from `groups`.
#[derive(Serialize)]
struct CountyTotalsJson<'a> {
    code: &'a str,
    name: &'a str,
    #[serde(flatten)]
    totals: &'a dispatch::Totals,
}

/// A county's row, named as a group of any report.
#[derive(Serialize)]
struct CountyGroupJson<'a> {
    key: &'a str,
    name: &'a str,
    #[serde(flatten)]
    totals: &'a dispatch::Totals,
}

#[derive(Serialize)]
struct DispatchJson<'a, C: Serialize, G: Serialize> {
    period: &'a super::period::Period,
    by: By,
    counties: C,
    groups: G,
    totals: &'a dispatch::Totals,
}

impl Report for Dispatch {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        fn county(c: &((String, String), dispatch::Totals)) -> CountyTotalsJson<'_> {
            CountyTotalsJson {
                code: &c.0.0,
                name: &c.0.1,
                totals: &c.1,
            }
        }
        fn group(c: &((String, String), dispatch::Totals)) -> CountyGroupJson<'_> {
            CountyGroupJson {
                key: &c.0.0,
                name: &c.0.1,
                totals: &c.1,
            }
        }
        write_json(
            out,
            &DispatchJson {
                period: &self.period,
                by: By::County,
                counties: Each {
                    items: &self.counties,
                    each: county,
                },
                groups: Each {
                    items: &self.counties,
                    each: group,
                },
                totals: &self.totals,
            },
        )
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let columns = vec![
            Col::code("key", lang.t("Code", "代码")),
            Col::text("name", lang.t("County", "县")),
            Col::number("listed", lang.t("Listed", "挂牌（项）")),
            Col::number("done", lang.t("Done", "已完成（项）")),
            Col::number("finished_late", lang.t("Finished late", "逾期完成（项）")),
            Col::number("open", lang.t("Open", "推进中（项）")),
            Col::number("overdue", lang.t("OVERDUE", "逾期（项）")),
            Col::number("not_dispatched", lang.t("NOT DISPATCHED", "未调度（项）")),
        ];
        let cells = |t: &dispatch::Totals| {
            let bad = |n: i64| {
                let v = Value::int(n);
                if n > 0 { v.with_mark(Mark::Bad) } else { v }
            };
            vec![
                Value::int(t.listed),
                Value::int(t.done),
                bad(t.finished_late),
                Value::int(t.open),
                bad(t.overdue),
                bad(t.not_dispatched),
            ]
        };
        let mut rows: Vec<Row> = self
            .counties
            .iter()
            .map(|(c, t)| {
                let mut r = vec![Value::text(&c.0), Value::text(&c.1)];
                r.extend(cells(t));
                Row::body(r)
            })
            .collect();
        let mut total = vec![Value::empty(), Value::text(lang.t("Total", "合计"))];
        total.extend(cells(&self.totals));
        rows.push(Row::total(total));
        let counties: Vec<(String, String)> = self.counties.iter().map(|c| c.0.clone()).collect();
        let place = place(opts, &counties);
        let title = lang.t(
            &format!("{place} — Listed Tasks: Dispatch Summary"),
            &format!("{place}挂牌督战任务调度情况汇总表"),
        );
        let mut sheet = Sheet::new(
            lang,
            rollup_heading(opts, &counties, title, self.period.line(lang)),
            columns,
        );
        sheet.rows = rows;
        sheet.verdict = Some(dispatch::verdict(lang, &self.totals));
        sheet.notes = vec![files_note(lang, counties.len())];
        sheet
    }
}
