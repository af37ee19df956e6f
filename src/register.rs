//! A household's place on the register on any date: the one answer every
//! report and check asks for.
//!
//! A household is registered on `registered_on` and first lifted on
//! `lifted_on`; after that its steps are rows of `household_events` (a
//! return to poverty, a lift after it, a removal, a natural decrease). Its
//! status on a date is the last step on or before that date. Nearly every
//! household has no later steps, and its status follows from its two dates
//! alone; the double-clear report counts those in SQL from the covering
//! index, which must agree with [`History::status_on`] for a history
//! without events (a test holds the two together).

use std::collections::HashMap;

use anyhow::{Result, bail};
use rusqlite::{Connection, OptionalExtension};

use crate::lang::t;

/// Where a household stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not registered yet.
    NotYet,
    /// Registered and poor: never lifted, or returned to poverty.
    Poor,
    Lifted,
    /// Removed from the register (剔除, 清退).
    Removed,
    /// Left the register (自然减少).
    Left,
}

impl Status {
    /// On the register: poor or lifted.
    pub fn registered(self) -> bool {
        matches!(self, Status::Poor | Status::Lifted)
    }

    /// The status's code, as [`status_sql`] gives it.
    pub fn code(self) -> &'static str {
        match self {
            Status::NotYet => "not_registered",
            Status::Poor => "poor",
            Status::Lifted => "lifted",
            Status::Removed => "removed",
            Status::Left => "left",
        }
    }

    pub fn of_code(code: &str) -> Option<Status> {
        Some(match code {
            "not_registered" => Status::NotYet,
            "poor" => Status::Poor,
            "lifted" => Status::Lifted,
            "removed" => Status::Removed,
            "left" => Status::Left,
            _ => return None,
        })
    }

    /// How lists and messages name it.
    pub fn label(self) -> String {
        match self {
            Status::NotYet => t("unregistered", "尚未识别"),
            Status::Poor => t("poor", "贫困"),
            Status::Lifted => t("lifted", "已脱贫"),
            Status::Removed => t("removed", "已剔除"),
            Status::Left => t("left the register", "已自然减少"),
        }
    }
}

/// The status of the `households` row of the query on the date of the
/// `?` placeholders (three, all the same date), as [`Status::code`]: the
/// SQL form of [`History::status_on`] for lists that filter by status.
pub fn status_sql() -> &'static str {
    "(CASE WHEN households.registered_on > ? THEN 'not_registered' ELSE coalesce(
        (SELECT CASE e.event WHEN 'returned' THEN 'poor' ELSE e.event END
           FROM household_events e
          WHERE e.household = households.code AND e.date <= ?
          ORDER BY e.date DESC,
                   CASE e.event WHEN 'lifted' THEN 1 WHEN 'returned' THEN 2 ELSE 3 END DESC
          LIMIT 1),
        CASE WHEN households.lifted_on <= ? THEN 'lifted' ELSE 'poor' END) END)"
}

/// One step of a household's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Registered,
    Lifted,
    Returned,
    Removed,
    Left,
}

impl Step {
    /// The step of an `event` code of `household_events`.
    pub fn of_event(code: &str) -> Option<Step> {
        Some(match code {
            "returned" => Step::Returned,
            "lifted" => Step::Lifted,
            "removed" => Step::Removed,
            "left" => Step::Left,
            _ => return None,
        })
    }

    fn status(self) -> Status {
        match self {
            Step::Registered | Step::Returned => Status::Poor,
            Step::Lifted => Status::Lifted,
            Step::Removed => Status::Removed,
            Step::Left => Status::Left,
        }
    }

    /// The order of steps on one day.
    fn rank(self) -> u8 {
        match self {
            Step::Registered => 0,
            Step::Lifted => 1,
            Step::Returned => 2,
            Step::Removed | Step::Left => 3,
        }
    }

    /// Whether this step may follow a household in `before`.
    fn may_follow(self, before: Status) -> bool {
        match self {
            Step::Registered => before == Status::NotYet,
            Step::Lifted => before == Status::Poor,
            Step::Returned => before == Status::Lifted,
            Step::Removed | Step::Left => before.registered(),
        }
    }
}

/// A household's dated steps, in order. It borrows its dates: a report
/// builds one for each household with later steps, and allocates nothing
/// but the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History<'a> {
    steps: Vec<(&'a str, Step)>,
}

/// A history whose steps are out of order: the first step that cannot
/// follow the one before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfOrder {
    pub date: String,
    pub step: Step,
    pub before: Status,
}

impl<'a> History<'a> {
    /// The history of a household from its two dates and its later steps
    /// (in any order). Steps on one day keep the order registered, lifted,
    /// returned, removed/left, so a household lifted and returned on the
    /// same day ends poor.
    pub fn new(
        registered_on: &'a str,
        lifted_on: Option<&'a str>,
        events: &'a [(String, Step)],
    ) -> History<'a> {
        let mut steps = Vec::with_capacity(2 + events.len());
        steps.push((registered_on, Step::Registered));
        if let Some(l) = lifted_on {
            steps.push((l, Step::Lifted));
        }
        steps.extend(events.iter().map(|(d, s)| (d.as_str(), *s)));
        steps.sort_by(|a, b| a.0.cmp(b.0).then(a.1.rank().cmp(&b.1.rank())));
        History { steps }
    }

    /// The status on `date` (ISO): the last step on or before it.
    pub fn status_on(&self, date: &str) -> Status {
        self.steps
            .iter()
            .take_while(|(d, _)| *d <= date)
            .last()
            .map_or(Status::NotYet, |(_, s)| s.status())
    }

    /// Whether a step of this kind falls within `from..=until`.
    pub fn has_step(&self, step: Step, from: &str, until: &str) -> bool {
        self.steps
            .iter()
            .any(|(d, s)| *s == step && *d >= from && *d <= until)
    }

    /// The first step that cannot follow the one before it.
    pub fn out_of_order(&self) -> Option<OutOfOrder> {
        let mut status = Status::NotYet;
        for (date, step) in &self.steps {
            if !step.may_follow(status) {
                return Some(OutOfOrder {
                    date: date.to_string(),
                    step: *step,
                    before: status,
                });
            }
            status = step.status();
        }
        None
    }

    /// The steps in order, with their dates and the status each found.
    pub fn transitions(&self) -> impl Iterator<Item = (&'a str, Step, Status)> + '_ {
        let mut status = Status::NotYet;
        self.steps.iter().map(move |(date, step)| {
            let before = status;
            status = step.status();
            (*date, *step, before)
        })
    }
}

/// The later steps of every household that has any, by household rowid:
/// few (a county has dozens, a province tens of thousands), read once.
pub fn events_by_household(
    conn: &Connection,
) -> rusqlite::Result<HashMap<i64, Vec<(String, Step)>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.id, e.date, e.event FROM household_events e
           JOIN households h ON h.code = e.household",
    )?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<i64, Vec<(String, Step)>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let event: String = r.get(2)?;
        if let Some(step) = Step::of_event(&event) {
            out.entry(r.get(0)?).or_default().push((r.get(1)?, step));
        }
    }
    Ok(out)
}

/// The later steps of the households that have any, for a pass over every
/// household: whether a rowid has steps is one bit, so the households
/// without (nearly all of them) cost a shift and a mask.
#[derive(Debug, Default)]
pub struct Steps {
    bits: Vec<u64>,
    by_rowid: HashMap<i64, Vec<(String, Step)>>,
}

impl Steps {
    pub fn load(conn: &Connection) -> rusqlite::Result<Steps> {
        let by_rowid = events_by_household(conn)?;
        let mut bits = Vec::new();
        for &id in by_rowid.keys() {
            if let Ok(id) = usize::try_from(id) {
                let word = id / 64;
                if bits.len() <= word {
                    bits.resize(word + 1, 0);
                }
                bits[word] |= 1 << (id % 64);
            }
        }
        Ok(Steps { bits, by_rowid })
    }

    pub fn is_empty(&self) -> bool {
        self.by_rowid.is_empty()
    }

    /// The steps of the household with this rowid, if it has any.
    pub fn of(&self, rowid: i64) -> Option<&[(String, Step)]> {
        let id = usize::try_from(rowid).ok()?;
        let word = self.bits.get(id / 64)?;
        if word & (1 << (id % 64)) == 0 {
            return None;
        }
        self.by_rowid.get(&rowid).map(Vec::as_slice)
    }
}

/// The later steps of one household, by its code.
pub fn events_of(conn: &Connection, household: &str) -> rusqlite::Result<Vec<(String, Step)>> {
    let mut stmt =
        conn.prepare_cached("SELECT date, event FROM household_events WHERE household = ?1")?;
    let rows = stmt.query_map([household], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (date, event) = row?;
        if let Some(step) = Step::of_event(&event) {
            out.push((date, step));
        }
    }
    Ok(out)
}

impl Step {
    /// What the step is, for messages: "a return to poverty" / "返贫".
    pub fn label(self) -> String {
        match self {
            Step::Registered => t("the registration", "识别"),
            Step::Lifted => t("a lift out of poverty", "脱贫"),
            Step::Returned => t("a return to poverty", "返贫"),
            Step::Removed => t("a removal from the register", "剔除"),
            Step::Left => t("a natural decrease", "自然减少"),
        }
    }
}

/// Refuses a history of household `code` whose steps cannot follow each
/// other, as it stands in `conn` (inside the transaction that changed it).
pub fn check_household(conn: &Connection, code: &str) -> Result<()> {
    let dates: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT registered_on, lifted_on FROM households WHERE code = ?1")?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((registered_on, lifted_on)) = dates else {
        return Ok(());
    };
    let events = events_of(conn, code)?;
    if events.is_empty() {
        return Ok(());
    }
    let history = History::new(&registered_on, lifted_on.as_deref(), &events);
    if let Some(o) = history.out_of_order() {
        let why = match o.step {
            Step::Returned => t(
                "only a lifted household can return to poverty",
                "只有已脱贫户才能返贫",
            ),
            Step::Lifted if o.before == Status::Lifted => t(
                "it was lifted already; a second lift follows a return to poverty",
                "该户已脱贫；再次脱贫须在返贫之后",
            ),
            Step::Lifted => t(
                "only a poor household on the register can be lifted",
                "只有在册的贫困户才能脱贫",
            ),
            _ => t(
                "only a household on the register can leave it",
                "只有在册的户才能退出",
            ),
        };
        bail!(
            "{}",
            t(
                &format!(
                    "household {code}: {} on {} cannot follow its status then ({}): {why}; `fupin household show {code}` lists its history",
                    o.step.label(),
                    o.date,
                    o.before.label()
                ),
                &format!(
                    "贫困户 {code}：{} 的{}与该户当时的状态（{}）不符：{why}；可用 `fupin household show {code}` 查看其变动记录",
                    o.date,
                    o.step.label(),
                    o.before.label()
                ),
            )
        );
    }
    Ok(())
}

/// [`check_household`] for every household with later steps: after a
/// change that may touch many (an import, a revert).
pub fn check_all(conn: &Connection) -> Result<()> {
    let codes: Vec<String> = conn
        .prepare("SELECT DISTINCT household FROM household_events ORDER BY household")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for code in codes {
        check_household(conn, &code)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(date: &str, step: Step) -> (String, Step) {
        (date.to_string(), step)
    }

    #[test]
    fn lifted_returned_and_lifted_again() {
        let e = [
            ev("2019-11-30", Step::Lifted),
            ev("2017-06-30", Step::Returned),
        ];
        let h = History::new("2014-10-01", Some("2016-12-31"), &e);
        assert_eq!(h.status_on("2014-09-30"), Status::NotYet);
        assert_eq!(h.status_on("2014-10-01"), Status::Poor);
        assert_eq!(h.status_on("2016-12-31"), Status::Lifted);
        assert_eq!(h.status_on("2017-06-29"), Status::Lifted);
        assert_eq!(h.status_on("2017-06-30"), Status::Poor);
        assert_eq!(h.status_on("2019-11-30"), Status::Lifted);
        assert_eq!(h.out_of_order(), None);
        assert!(h.has_step(Step::Returned, "2017-01-01", "2017-12-31"));
        assert!(!h.has_step(Step::Returned, "2018-01-01", "2018-12-31"));
    }

    #[test]
    fn a_removed_household_is_off_the_register_from_that_day() {
        let e = [ev("2015-08-31", Step::Removed)];
        let h = History::new("2014-10-01", None, &e);
        assert_eq!(h.status_on("2015-08-30"), Status::Poor);
        assert_eq!(h.status_on("2015-08-31"), Status::Removed);
        assert!(!h.status_on("2020-12-31").registered());
    }

    #[test]
    fn steps_that_cannot_follow_are_found() {
        // A return before any lift.
        let e = [ev("2016-01-01", Step::Returned)];
        let h = History::new("2014-10-01", None, &e);
        assert_eq!(
            h.out_of_order(),
            Some(OutOfOrder {
                date: "2016-01-01".into(),
                step: Step::Returned,
                before: Status::Poor
            })
        );
        // Anything after leaving the register.
        let e = [
            ev("2017-01-01", Step::Left),
            ev("2018-01-01", Step::Returned),
        ];
        let h = History::new("2014-10-01", Some("2016-12-31"), &e);
        assert_eq!(h.out_of_order().map(|o| o.before), Some(Status::Left));
        // A step before the registration.
        let e = [ev("2014-01-01", Step::Removed)];
        let h = History::new("2014-10-01", None, &e);
        assert_eq!(h.out_of_order().map(|o| o.before), Some(Status::NotYet));
    }

    #[test]
    fn without_events_the_two_dates_decide_as_the_covering_index_counts() {
        let dates = ["2014-01-01", "2015-06-30", "2016-12-31", "2020-12-31"];
        for reg in dates {
            for lifted in [None, Some("2016-12-31"), Some("2020-12-31")] {
                if lifted.is_some_and(|l| l < reg) {
                    continue;
                }
                let h = History::new(reg, lifted, &[]);
                for d in dates {
                    // registered_on <= D, and lifted_on IS NULL OR lifted_on > D.
                    let registered = reg <= d;
                    let poor = registered && lifted.is_none_or(|l| l > d);
                    assert_eq!(h.status_on(d).registered(), registered);
                    assert_eq!(h.status_on(d) == Status::Poor, poor);
                }
            }
        }
    }
}
