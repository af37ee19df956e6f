//! The bimonthly dispatch (调度) summary: every listed task, county-level
//! first, with its meetings in the period, latest progress and the flags the
//! leadership acts on (overdue, not dispatched).

use anyhow::{Context, Result};
use rusqlite::Connection;
use serde::Serialize;

use super::period::Period;
use super::sheet::{Col, Listing, Mark, Row, Sheet, Value, write_json};
use super::{PageOpts, Report, choice_text, county_title, heading};
use crate::lang::Lang;
use crate::model::TASK_LEVELS;
use crate::values::format_date;

/// A task's standing at the end of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Done,
    Overdue,
    Open,
}

impl Status {
    /// SPEC §2: done when done on or before the day; overdue when not done
    /// and due before it.
    pub fn on(day: &str, due_on: Option<&str>, done_on: Option<&str>) -> Status {
        match (due_on, done_on) {
            (_, Some(done)) if done <= day => Status::Done,
            (Some(due), _) if due < day => Status::Overdue,
            _ => Status::Open,
        }
    }

    pub fn label(self, lang: Lang) -> String {
        match self {
            Status::Done => lang.t("done", "已完成"),
            Status::Overdue => lang.t("OVERDUE", "逾期"),
            Status::Open => lang.t("open", "推进中"),
        }
    }
}

/// A listed task in the period. Each code is followed by its name, as in
/// lists.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRow {
    pub code: String,
    pub title: String,
    pub level: String,
    /// The village's code.
    pub village: Option<String>,
    pub village_name: Option<String>,
    /// The town's code.
    pub town: Option<String>,
    pub town_name: Option<String>,
    /// The leader's cadre code.
    pub leader: Option<String>,
    pub leader_name: Option<String>,
    pub team: Option<String>,
    /// Dispatch meetings held inside the period.
    pub dispatches: i64,
    /// Progress at the last meeting on or before the period's end.
    pub progress: Option<i64>,
    pub problems_found: i64,
    pub problems_solved: i64,
    pub due_on: Option<String>,
    pub status: Status,
    pub overdue: bool,
    pub not_dispatched: bool,
    /// Done by the period's end, but after its due date (in this period or
    /// an earlier one).
    pub finished_late: bool,
    pub done_on: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub listed: i64,
    pub done: i64,
    pub open: i64,
    pub overdue: i64,
    pub not_dispatched: i64,
    pub finished_late: i64,
}

#[derive(Debug, Clone)]
pub struct Dispatch {
    pub county: (String, String),
    pub period: Period,
    pub tasks: Vec<TaskRow>,
    pub totals: Totals,
}

pub fn build(conn: &Connection, period: Period) -> Result<Dispatch> {
    let county = super::county(conn)?;
    let (tasks, totals) = read(conn, &format_date(period.from), &format_date(period.to))
        .context("failed to read the listed tasks")?;
    Ok(Dispatch {
        county,
        period,
        tasks,
        totals,
    })
}

/// The tasks listed by `to`, with their dispatches between `from` and `to`.
fn read(conn: &Connection, from: &str, to: &str) -> Result<(Vec<TaskRow>, Totals)> {
    let mut stmt = conn.prepare(
        "SELECT t.code, t.title, t.level, t.village, v.name, w.name, t.leader, c.name, t.team,
                t.due_on, t.done_on,
                coalesce(p.n, 0), coalesce(p.found, 0), coalesce(p.solved, 0),
                (SELECT d.progress FROM dispatches d
                  WHERE d.task = t.code AND d.held_on <= ?2
                  ORDER BY d.held_on DESC LIMIT 1),
                t.town
         FROM tasks t
         LEFT JOIN villages v ON v.code = t.village
         LEFT JOIN towns w ON w.code = t.town
         LEFT JOIN cadres c ON c.code = t.leader
         LEFT JOIN (SELECT task, count(*) AS n, sum(problems_found) AS found,
                           sum(problems_solved) AS solved
                      FROM dispatches WHERE held_on BETWEEN ?1 AND ?2
                     GROUP BY task) p ON p.task = t.code
         WHERE t.listed_on <= ?2
         ORDER BY t.level <> 'county', t.code",
    )?;
    let mut rows = stmt.query((from, to))?;
    let mut tasks = Vec::new();
    let mut totals = Totals::default();
    while let Some(r) = rows.next()? {
        let due_on: Option<String> = r.get(9)?;
        let done_on: Option<String> = r.get(10)?;
        let dispatches: i64 = r.get(11)?;
        let status = Status::on(to, due_on.as_deref(), done_on.as_deref());
        let open = status != Status::Done;
        let finished_late =
            !open && matches!((&due_on, &done_on), (Some(due), Some(done)) if done > due);
        let row = TaskRow {
            code: r.get(0)?,
            title: r.get(1)?,
            level: r.get(2)?,
            village: r.get(3)?,
            village_name: r.get(4)?,
            town: r.get(15)?,
            town_name: r.get(5)?,
            leader: r.get(6)?,
            leader_name: r.get(7)?,
            team: r.get(8)?,
            dispatches,
            progress: r.get(14)?,
            problems_found: r.get(12)?,
            problems_solved: r.get(13)?,
            due_on,
            done_on: if open { None } else { done_on },
            status,
            overdue: status == Status::Overdue,
            not_dispatched: open && dispatches == 0,
            finished_late,
        };
        totals.listed += 1;
        totals.done += i64::from(!open);
        totals.open += i64::from(open);
        totals.overdue += i64::from(row.overdue);
        totals.not_dispatched += i64::from(row.not_dispatched);
        totals.finished_late += i64::from(row.finished_late);
        tasks.push(row);
    }
    Ok((tasks, totals))
}

#[derive(Serialize)]
struct DispatchJson<'a> {
    period: &'a Period,
    tasks: &'a [TaskRow],
    totals: &'a Totals,
}

impl Report for Dispatch {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        write_json(
            out,
            &DispatchJson {
                period: &self.period,
                tasks: &self.tasks,
                totals: &self.totals,
            },
        )
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let problems = lang.t("Problems", "问题（个）");
        let columns = vec![
            Col::code("code", lang.t("Code", "任务编号")),
            Col::text("title", lang.t("Task", "督战任务")),
            Col::text("level", lang.t("Level", "挂牌级别")),
            Col::text("village", lang.t("Village", "行政村")),
            Col::text("leader", lang.t("Leader", "挂牌领导")),
            Col::text("team", lang.t("Commando team", "突击队")),
            Col::number("dispatches", lang.t("Dispatches", "本期调度（次）")),
            Col::number("progress", lang.t("Progress (%)", "最新进度（%）")),
            Col::number("problems_found", lang.t("found", "发现")).under(&problems),
            Col::number("problems_solved", lang.t("solved", "解决")).under(&problems),
            Col::date("due_on", lang.t("Due", "完成时限")),
            Col::text("status", lang.t("Status", "期末状态")),
            Col::text("flags", lang.t("Flags", "预警")),
        ];
        let mut rows: Vec<Row> = self
            .tasks
            .iter()
            .map(|task| {
                let village = match (&task.village_name, &task.town_name) {
                    (Some(v), _) => Some(v.clone()),
                    // A town-wide task: name the town so the row is placed.
                    (None, Some(town)) => Some(town.clone()),
                    (None, None) => None,
                };
                Row::body(vec![
                    Value::text(&task.code),
                    Value::text(&task.title),
                    Value::text(choice_text(lang, TASK_LEVELS, &task.level)),
                    Value::opt(village),
                    Value::opt(task.leader_name.clone().or(task.leader.clone())),
                    Value::opt(task.team.clone()),
                    Value::int(task.dispatches),
                    Value::opt_int(task.progress),
                    Value::int(task.problems_found),
                    Value::int(task.problems_solved),
                    Value::opt(task.due_on.clone()),
                    status_cell(lang, task.status),
                    flags_cell(lang, task),
                ])
            })
            .collect();
        let sum = |f: fn(&TaskRow) -> i64| self.tasks.iter().map(f).sum::<i64>();
        let tot = &self.totals;
        rows.push(Row::total(vec![
            Value::text(lang.t("Total", "合计")),
            Value::text(lang.t(
                &format!("{} listed", tot.listed),
                &format!("挂牌 {} 项", tot.listed),
            )),
            Value::empty(),
            Value::empty(),
            Value::empty(),
            Value::empty(),
            Value::int(sum(|t| t.dispatches)),
            Value::empty(),
            Value::int(sum(|t| t.problems_found)),
            Value::int(sum(|t| t.problems_solved)),
            Value::empty(),
            Value::text(lang.t(
                &format!("{} done, {} open", tot.done, tot.open),
                &format!("完成 {}，推进中 {}", tot.done, tot.open),
            )),
            flags_total(lang, tot),
        ]));
        let title = lang.t(
            &format!(
                "{} — Listed Tasks: Dispatch Summary",
                county_title(lang, &self.county)
            ),
            &format!("{}挂牌督战任务调度情况表", self.county.1),
        );
        let mut sheet = Sheet::new(
            lang,
            heading(&self.county, title, self.period.line(lang), opts),
            columns,
        );
        sheet.rows = rows;
        sheet.verdict = Some(verdict(lang, tot));
        sheet.notes = vec![lang.t(
            "Note: a task is listed when listed on or before the period's last day; progress is that of the last dispatch on or before it; OVERDUE = not done and due before the last day; FINISHED LATE = done by the last day, after its due date; NOT DISPATCHED = not done and no dispatch in the period.",
            "注：统计期末日前（含）挂牌的任务均列入；进度取期末日前（含）最近一次调度；逾期指期末未完成且已过完成时限；逾期完成指期末前已完成但完成时间晚于完成时限；未调度指期末未完成且本期无调度记录。",
        )];
        sheet.lists = self.lists(lang);
        sheet.landscape = true;
        sheet
    }
}

impl Dispatch {
    /// The tasks the leadership must hear about, by code and title, under
    /// the table: overdue, finished late, not dispatched.
    fn lists(&self, lang: Lang) -> Vec<Listing> {
        let list =
            |title: String, pick: fn(&TaskRow) -> bool, extra: fn(&TaskRow, Lang) -> String| {
                let items: Vec<String> = self
                    .tasks
                    .iter()
                    .filter(|t| pick(t))
                    .map(|t| format!("{} {}{}", t.code, t.title, extra(t, lang)))
                    .collect();
                (!items.is_empty()).then_some(Listing { title, items })
            };
        let due = |t: &TaskRow, lang: Lang| match &t.due_on {
            Some(due) => lang.t(&format!(" (due {due})"), &format!("（完成时限 {due}）")),
            None => String::new(),
        };
        let late = |t: &TaskRow, lang: Lang| match (&t.due_on, &t.done_on) {
            (Some(due), Some(done)) => lang.t(
                &format!(" (due {due}, done {done})"),
                &format!("（完成时限 {due}，完成时间 {done}）"),
            ),
            _ => String::new(),
        };
        [
            list(lang.t("Overdue:", "逾期未完成的任务："), |t| t.overdue, due),
            list(
                lang.t("Finished late:", "逾期完成的任务："),
                |t| t.finished_late,
                late,
            ),
            list(
                lang.t("Not dispatched in the period:", "本期未调度的任务："),
                |t| t.not_dispatched,
                |_, _| String::new(),
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The verdict above the table.
pub fn verdict(lang: Lang, tot: &Totals) -> (String, Mark) {
    let dispatched = tot.open - tot.not_dispatched;
    (
        lang.t(
            &format!(
                "Listed {}: done {} (FINISHED LATE {}), open {}, OVERDUE {}, NOT DISPATCHED {} (dispatched {} of {} open)",
                tot.listed,
                tot.done,
                tot.finished_late,
                tot.open,
                tot.overdue,
                tot.not_dispatched,
                dispatched,
                tot.open
            ),
            &format!(
                "挂牌 {} 项：已完成 {}（其中逾期完成 {}），推进中 {}，逾期 {}，未调度 {}（推进中已调度 {}/{}）",
                tot.listed,
                tot.done,
                tot.finished_late,
                tot.open,
                tot.overdue,
                tot.not_dispatched,
                dispatched,
                tot.open
            ),
        ),
        if tot.overdue + tot.not_dispatched > 0 {
            Mark::Bad
        } else {
            Mark::Good
        },
    )
}

fn status_cell(lang: Lang, status: Status) -> Value {
    let mark = match status {
        Status::Done => Mark::Good,
        Status::Overdue => Mark::Bad,
        Status::Open => Mark::Plain,
    };
    Value::marked(status.label(lang), mark)
}

fn flags_cell(lang: Lang, task: &TaskRow) -> Value {
    let mut flags = Vec::new();
    if task.overdue {
        flags.push(lang.t("OVERDUE", "逾期"));
    }
    if task.finished_late {
        flags.push(lang.t("FINISHED LATE", "逾期完成"));
    }
    if task.not_dispatched {
        flags.push(lang.t("NOT DISPATCHED", "未调度"));
    }
    if flags.is_empty() {
        Value::empty()
    } else {
        Value::marked(flags.join(lang.pick(", ", "、")), Mark::Bad)
    }
}

/// The flags' counts for the total row: only those that are not 0, as
/// the verdict line gives every count (a narrow column is not made to hold
/// three).
fn flags_total(lang: Lang, tot: &Totals) -> Value {
    let counts = [
        (tot.overdue, lang.t("OVERDUE", "逾期")),
        (tot.finished_late, lang.t("FINISHED LATE", "逾期完成")),
        (tot.not_dispatched, lang.t("NOT DISPATCHED", "未调度")),
    ];
    let text: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, flag)| format!("{flag} {n}"))
        .collect();
    if text.is_empty() {
        Value::empty()
    } else {
        Value::marked(text.join(lang.pick(", ", "，")), Mark::Bad)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::report::sheet::RowKind;
    use crate::report::{PageOpts, Report};

    #[test]
    fn status_follows_the_dates_of_spec_2() {
        let day = "2020-04-30";
        assert_eq!(Status::on(day, None, None), Status::Open);
        assert_eq!(Status::on(day, None, Some("2020-04-30")), Status::Done);
        assert_eq!(Status::on(day, None, Some("2020-04-29")), Status::Done);
        // Done after the day: not done on it, and overdue if due before.
        assert_eq!(Status::on(day, None, Some("2020-05-01")), Status::Open);
        assert_eq!(
            Status::on(day, Some("2020-04-29"), Some("2020-05-01")),
            Status::Overdue
        );
        assert_eq!(Status::on(day, Some("2020-04-29"), None), Status::Overdue);
        assert_eq!(Status::on(day, Some("2020-04-30"), None), Status::Open);
        assert_eq!(
            Status::on(day, Some("2020-04-01"), Some("2020-04-15")),
            Status::Done
        );
        assert_eq!(Status::Done.label(Lang::En), "done");
        assert_eq!(Status::Overdue.label(Lang::En), "OVERDUE");
        assert_eq!(Status::Open.label(Lang::En), "open");
    }

    fn task(code: &str, status: Status, dispatches: i64) -> TaskRow {
        TaskRow {
            code: code.into(),
            title: format!("任务{code}"),
            level: "county".into(),
            village: None,
            leader: None,
            team: None,
            dispatches,
            progress: None,
            problems_found: 0,
            problems_solved: 0,
            due_on: None,
            status,
            overdue: status == Status::Overdue,
            not_dispatched: status != Status::Done && dispatches == 0,
            finished_late: false,
            done_on: None,
            village_name: None,
            town: None,
            town_name: None,
            leader_name: None,
        }
    }

    /// The sheet of a report holding `tasks`, with totals counted from them.
    fn sheet(tasks: Vec<TaskRow>) -> Sheet {
        let mut totals = Totals::default();
        for t in &tasks {
            let open = t.status != Status::Done;
            totals.listed += 1;
            totals.done += i64::from(!open);
            totals.open += i64::from(open);
            totals.overdue += i64::from(t.overdue);
            totals.not_dispatched += i64::from(t.not_dispatched);
        }
        let day = NaiveDate::from_ymd_opt(2020, 3, 1).unwrap_or_default();
        let report = Dispatch {
            county: ("451122".into(), "钟山县".into()),
            period: Period::holding(day).unwrap_or_else(|e| panic!("{e}")),
            tasks,
            totals,
        };
        report.sheet(&PageOpts::default())
    }

    fn column(sheet: &Sheet, key: &str) -> usize {
        sheet
            .columns
            .iter()
            .position(|c| c.key == key)
            .unwrap_or(usize::MAX)
    }

    fn marks(sheet: &Sheet, key: &str) -> Vec<Mark> {
        let at = column(sheet, key);
        sheet
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Body)
            .map(|r| r.cells[at].mark)
            .collect()
    }

    /// The cells of the total row.
    fn total(sheet: &Sheet) -> Vec<crate::report::sheet::Value> {
        sheet
            .rows
            .iter()
            .find(|r| r.kind == RowKind::Total)
            .map(|r| r.cells.clone())
            .unwrap_or_default()
    }

    #[test]
    fn the_verdict_is_green_only_when_nothing_is_behind() {
        let on_track = sheet(vec![
            task("K1", Status::Done, 0),
            task("K2", Status::Open, 1),
        ]);
        assert_eq!(on_track.verdict.map(|v| v.1), Some(Mark::Good));
        for behind in [
            vec![task("K1", Status::Overdue, 1)],
            vec![task("K1", Status::Open, 0)],
            vec![task("K1", Status::Overdue, 0)],
            vec![task("K1", Status::Overdue, 1), task("K2", Status::Open, 0)],
        ] {
            assert_eq!(sheet(behind).verdict.map(|v| v.1), Some(Mark::Bad));
        }
        let empty = sheet(Vec::new());
        assert_eq!(empty.verdict.map(|v| v.1), Some(Mark::Good));
    }

    #[test]
    fn status_and_flag_cells_are_marked() {
        let s = sheet(vec![
            task("K1", Status::Done, 0),
            task("K2", Status::Open, 1),
            task("K3", Status::Overdue, 1),
            task("K4", Status::Open, 0),
            task("K5", Status::Overdue, 0),
        ]);
        assert_eq!(
            marks(&s, "status"),
            [Mark::Good, Mark::Plain, Mark::Bad, Mark::Plain, Mark::Bad]
        );
        assert_eq!(
            marks(&s, "flags"),
            [Mark::Plain, Mark::Plain, Mark::Bad, Mark::Bad, Mark::Bad]
        );
        let flags = column(&s, "flags");
        let text: Vec<String> = s
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Body)
            .map(|r| r.cells[flags].cell.display())
            .collect();
        assert_eq!(
            text,
            [
                "",
                "",
                "OVERDUE",
                "NOT DISPATCHED",
                "OVERDUE, NOT DISPATCHED"
            ]
        );
        let total = total(&s);
        assert_eq!(total[flags].mark, Mark::Bad);
        assert_eq!(
            total[flags].cell.display(),
            "OVERDUE 2, NOT DISPATCHED 2",
            "a count of 0 is the verdict line's to give"
        );
    }

    #[test]
    fn the_total_flags_cell_is_plain_when_nothing_is_behind() {
        let s = sheet(vec![
            task("K1", Status::Done, 0),
            task("K2", Status::Open, 2),
        ]);
        let flags = column(&s, "flags");
        assert_eq!(total(&s)[flags].mark, Mark::Plain);
        assert_eq!(total(&s)[flags].cell.display(), "");
        for tasks in [
            vec![task("K1", Status::Overdue, 1)],
            vec![task("K1", Status::Open, 0)],
        ] {
            let s = sheet(tasks);
            assert_eq!(total(&s)[flags].mark, Mark::Bad);
        }
    }
}
