//! The task board: listed tasks still open on a date, county-level first,
//! with their leader, due date, latest progress and days overdue.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::sheet::{Col, Mark, Row, Sheet, Value, as_of_line, write_json};
use super::{PageOpts, Report, choice_text, county_title, heading};
use crate::model::TASK_LEVELS;
use crate::values::format_date;

/// An open task on the board. Each code is followed by its name, as in
/// lists.
#[derive(Debug, Clone, Serialize)]
pub struct BoardRow {
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
    pub due_on: Option<String>,
    /// Progress at the last dispatch on or before the date.
    pub progress: Option<i64>,
    /// Days past the due date (0 when not yet due); none without a due date.
    pub days_overdue: Option<i64>,
    /// The village's name, or the town's for a town-wide task.
    #[serde(skip)]
    pub place: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Board {
    pub county: (String, String),
    pub as_of: NaiveDate,
    pub level: Option<String>,
    pub tasks: Vec<BoardRow>,
}

/// Open tasks on `as_of`, optionally of one level (`county` or `town`).
pub fn build(conn: &Connection, as_of: NaiveDate, level: Option<&str>) -> Result<Board> {
    let county = super::county(conn)?;
    let day = format_date(as_of);
    let mut stmt = conn
        .prepare(
            "SELECT t.code, t.title, t.level, t.leader, c.name, coalesce(v.name, w.name),
                    t.due_on,
                    (SELECT d.progress FROM dispatches d
                      WHERE d.task = t.code AND d.held_on <= ?1
                      ORDER BY d.held_on DESC LIMIT 1),
                    t.village, v.name, t.town, w.name
             FROM tasks t
             LEFT JOIN cadres c ON c.code = t.leader
             LEFT JOIN villages v ON v.code = t.village
             LEFT JOIN towns w ON w.code = t.town
             WHERE t.listed_on <= ?1 AND (t.done_on IS NULL OR t.done_on > ?1)
               AND (?2 IS NULL OR t.level = ?2)
             ORDER BY t.level <> 'county', t.due_on IS NULL, t.due_on, t.code",
        )
        .context("failed to read the listed tasks")?;
    let rows = stmt.query_map((&day, level), |r| {
        let due_on: Option<String> = r.get(6)?;
        let days_overdue = due_on.as_deref().map(|due| {
            NaiveDate::parse_from_str(due, "%Y-%m-%d")
                .map(|due| (as_of - due).num_days().max(0))
                .unwrap_or(0)
        });
        Ok(BoardRow {
            code: r.get(0)?,
            title: r.get(1)?,
            level: r.get(2)?,
            village: r.get(8)?,
            village_name: r.get(9)?,
            town: r.get(10)?,
            town_name: r.get(11)?,
            leader: r.get(3)?,
            leader_name: r.get(4)?,
            place: r.get(5)?,
            due_on,
            progress: r.get(7)?,
            days_overdue,
        })
    })?;
    let tasks = rows.collect::<rusqlite::Result<_>>()?;
    Ok(Board {
        county,
        as_of,
        level: level.map(str::to_string),
        tasks,
    })
}

#[derive(Serialize)]
struct BoardJson<'a> {
    as_of: String,
    tasks: &'a [BoardRow],
}

impl Report for Board {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        write_json(
            out,
            &BoardJson {
                as_of: format_date(self.as_of),
                tasks: &self.tasks,
            },
        )
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let columns = vec![
            Col::code("code", lang.t("Code", "任务编号")),
            Col::text("title", lang.t("Task", "督战任务")),
            Col::text("level", lang.t("Level", "挂牌级别")),
            Col::text("place", lang.t("Village / town", "村（镇）")),
            Col::text("leader", lang.t("Leader", "挂牌领导")),
            Col::date("due_on", lang.t("Due", "完成时限")),
            Col::number("progress", lang.t("Progress (%)", "最新进度（%）")),
            Col::number("days_overdue", lang.t("Days overdue", "逾期天数（天）")),
        ];
        let mut rows: Vec<Row> = self
            .tasks
            .iter()
            .map(|task| {
                let overdue = task.days_overdue.unwrap_or(0);
                let days = Value::opt_int(task.days_overdue);
                Row::body(vec![
                    Value::text(&task.code),
                    Value::text(&task.title),
                    Value::text(choice_text(lang, TASK_LEVELS, &task.level)),
                    Value::opt(task.place.clone()),
                    Value::opt(task.leader_name.clone().or(task.leader.clone())),
                    Value::opt(task.due_on.clone()),
                    Value::opt_int(task.progress),
                    if overdue > 0 {
                        days.with_mark(Mark::Bad)
                    } else {
                        days
                    },
                ])
            })
            .collect();
        let overdue = self
            .tasks
            .iter()
            .filter(|t| t.days_overdue.unwrap_or(0) > 0)
            .count();
        let open = self.tasks.len();
        let mut total = vec![
            Value::text(lang.t("Total", "合计")),
            Value::marked(
                lang.t(
                    &format!("{open} open, {overdue} OVERDUE"),
                    &format!("未完成 {open} 项，逾期 {overdue} 项"),
                ),
                if overdue > 0 { Mark::Bad } else { Mark::Plain },
            ),
        ];
        total.resize(8, Value::empty());
        rows.push(Row::total(total));
        let verdict = (
            lang.t(
                &format!("Open tasks: {open}, of which OVERDUE: {overdue}"),
                &format!("未完成任务 {open} 项，其中逾期 {overdue} 项"),
            ),
            if overdue > 0 { Mark::Bad } else { Mark::Good },
        );
        let which = match self.level.as_deref() {
            Some(level) => choice_text(lang, TASK_LEVELS, level),
            None => String::new(),
        };
        let title = lang.t(
            &format!(
                "{} — Open Listed Tasks{}",
                county_title(lang, &self.county),
                if which.is_empty() {
                    String::new()
                } else {
                    format!(" ({which})")
                }
            ),
            &format!("{}{which}挂牌督战任务推进情况表", self.county.1),
        );
        let mut sheet = Sheet::new(
            lang,
            heading(&self.county, title, as_of_line(lang, self.as_of), opts),
            columns,
        );
        sheet.rows = rows;
        sheet.verdict = Some(verdict);
        sheet.notes = vec![lang.t(
            "Note: tasks listed on or before the date and not done by it; progress is that of the last dispatch on or before the date.",
            "注：列出截止时间前（含）挂牌且尚未完成的任务；进度取截止时间前（含）最近一次调度。",
        )];
        sheet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, days_overdue: Option<i64>) -> BoardRow {
        BoardRow {
            code: code.into(),
            title: format!("任务{code}"),
            level: "county".into(),
            village: None,
            village_name: None,
            town: None,
            town_name: None,
            leader: None,
            due_on: None,
            progress: None,
            days_overdue,
            leader_name: None,
            place: None,
        }
    }

    use crate::report::sheet::RowKind;

    fn sheet(tasks: Vec<BoardRow>) -> Sheet {
        Board {
            county: ("451122".into(), "钟山县".into()),
            as_of: NaiveDate::from_ymd_opt(2020, 7, 1).unwrap_or_default(),
            level: None,
            tasks,
        }
        .sheet(&PageOpts::default())
    }

    #[test]
    fn only_days_overdue_are_marked_and_turn_the_verdict() {
        let s = sheet(vec![
            row("K1", Some(3)),
            row("K2", Some(0)),
            row("K3", None),
        ]);
        let at = s.columns.len() - 1;
        let body = |s: &Sheet| -> Vec<Vec<crate::report::sheet::Value>> {
            s.rows
                .iter()
                .filter(|r| r.kind == RowKind::Body)
                .map(|r| r.cells.clone())
                .collect()
        };
        let total = |s: &Sheet| {
            s.rows
                .iter()
                .find(|r| r.kind == RowKind::Total)
                .map(|r| r.cells.clone())
                .unwrap_or_default()
        };
        let marks: Vec<Mark> = body(&s).iter().map(|r| r[at].mark).collect();
        assert_eq!(marks, [Mark::Bad, Mark::Plain, Mark::Plain]);
        let shown: Vec<String> = body(&s).iter().map(|r| r[at].cell.display()).collect();
        assert_eq!(shown, ["3", "0", ""]);
        assert_eq!(s.verdict.as_ref().map(|v| v.1), Some(Mark::Bad));
        let sums = total(&s);
        assert_eq!(sums[1].mark, Mark::Bad);
        assert_eq!(sums[1].cell.display(), "3 open, 1 OVERDUE");

        let s = sheet(vec![row("K1", Some(0)), row("K2", None)]);
        assert_eq!(s.verdict.as_ref().map(|v| v.1), Some(Mark::Good));
        assert_eq!(total(&s)[1].mark, Mark::Plain);
        let s = sheet(Vec::new());
        assert_eq!(s.verdict.map(|v| v.1), Some(Mark::Good));
    }
}
