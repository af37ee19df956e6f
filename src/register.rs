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

/// A household's dated steps, in order, and the dated comings and goings
/// of its people. It borrows its dates: a report builds one for each
/// household with later steps, and allocates nothing but the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History<'a> {
    steps: Vec<(&'a str, Step)>,
    people: &'a [Presence],
}

/// When one person joined the household and left it, either or both
/// dated: what makes a household's members differ from one date to another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Presence {
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
}

impl Presence {
    /// In the household on `date`: joined by then, not yet left.
    fn on(&self, date: &str) -> bool {
        self.joined_on.as_deref().is_none_or(|j| j <= date)
            && self.left_on.as_deref().is_none_or(|l| l > date)
    }

    /// In the household the day before `date`.
    fn before(&self, date: &str) -> bool {
        self.joined_on.as_deref().is_none_or(|j| j < date)
            && self.left_on.as_deref().is_none_or(|l| l >= date)
    }
}

/// What a household has beyond its two dates: its later steps, and those
/// of its people who joined or left on the dates a report asks about, as
/// [`Steps`] keeps them.
#[derive(Debug, Clone, Copy)]
pub struct Later<'s> {
    dates: &'s str,
    events: &'s [Dated],
    people: &'s [Presence],
}

impl<'s> Later<'s> {
    pub fn history(self, registered_on: &'s str, lifted_on: Option<&'s str>) -> History<'s> {
        History::of_steps(registered_on, lifted_on, self.events()).with_people(self.people)
    }

    /// The later steps with their dates, in no order.
    fn events(self) -> impl ExactSizeIterator<Item = (&'s str, Step)> {
        let dates = self.dates;
        self.events.iter().map(move |&(from, to, step)| {
            (dates.get(from as usize..to as usize).unwrap_or(""), step)
        })
    }
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
        History::of_steps(
            registered_on,
            lifted_on,
            events.iter().map(|(d, s)| (d.as_str(), *s)),
        )
    }

    fn of_steps(
        registered_on: &'a str,
        lifted_on: Option<&'a str>,
        events: impl ExactSizeIterator<Item = (&'a str, Step)>,
    ) -> History<'a> {
        let mut steps = Vec::with_capacity(2 + events.len());
        steps.push((registered_on, Step::Registered));
        if let Some(l) = lifted_on {
            steps.push((l, Step::Lifted));
        }
        steps.extend(events);
        steps.sort_by(|a, b| a.0.cmp(b.0).then(a.1.rank().cmp(&b.1.rank())));
        History { steps, people: &[] }
    }

    /// The same history, with the household's people who joined or left.
    pub fn with_people(mut self, people: &'a [Presence]) -> History<'a> {
        self.people = people;
        self
    }

    /// The household's members on `date`, from `members` as recorded: the
    /// count of today or, for a household that left the register, of its
    /// last day on it. A person who joined after `date` was not yet counted
    /// then, one who left after it still was. A person whose dates all fall
    /// on or before `date` changes nothing, so only later ones need be
    /// given.
    pub fn members_on(&self, date: &str, members: i64) -> i64 {
        if self.people.is_empty() {
            return members;
        }
        let end = self
            .steps
            .iter()
            .find(|(_, s)| matches!(s, Step::Removed | Step::Left))
            .map(|(d, _)| *d);
        if end.is_some_and(|l| date >= l) {
            return members;
        }
        let counted = |p: &Presence| match end {
            Some(l) => p.before(l),
            None => p.left_on.is_none(),
        };
        let change: i64 = self
            .people
            .iter()
            .map(|p| i64::from(p.on(date)) - i64::from(counted(p)))
            .sum();
        (members + change).max(0)
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

    /// The days its people joined or left, in no order.
    pub fn people_days(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.people
            .iter()
            .flat_map(|p| [p.joined_on.as_deref(), p.left_on.as_deref()])
            .flatten()
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
    let steps = Steps::load(conn)?;
    let mut out = HashMap::new();
    for &(rowid, ..) in &steps.households {
        if let Some(later) = steps.of(rowid) {
            out.insert(
                rowid,
                later.events().map(|(d, s)| (d.to_string(), s)).collect(),
            );
        }
    }
    Ok(out)
}

/// The later steps of the households that have any, for a pass over every
/// household: whether a rowid has steps is one bit, so the households
/// without (nearly all of them) cost a shift and a mask. The steps of all
/// households are kept in a few flat lists (their dates in one string), as
/// a province's tens of thousands of small lists and strings took longer to
/// build and free than the pass took to use them.
#[derive(Debug, Default)]
pub struct Steps {
    bits: Vec<u64>,
    /// The bits set in the words of `bits` before each.
    ranks: Vec<u32>,
    /// Households with later steps in rowid order: the rowid, and where its
    /// events start in `events` and its people in `people` (each ends where
    /// the next household's start).
    households: Vec<(i64, u32, u32)>,
    events: Vec<Dated>,
    dates: String,
    people: Vec<Presence>,
}

/// An event or a person of one household, before they are put in order.
type Loose<T> = Vec<(i64, T)>;

/// An event's date as a range of the string of dates, and its step.
type Dated = (u32, u32, Step);

impl Steps {
    /// The later steps of every household, for a pass that asks statuses
    /// only.
    pub fn load(conn: &Connection) -> rusqlite::Result<Steps> {
        let (events, dates) = later_events(conn)?;
        Ok(Steps::of_households(events, dates, Vec::new()))
    }

    /// The later steps of every household, and the people who joined or
    /// left a household after `since`: what its members on any date from
    /// `since` on need (see [`History::members_on`]). Few, however large the
    /// register: the partial index `people_changes` holds only people with
    /// a date, by their last one.
    pub fn load_with_people(conn: &Connection, since: &str) -> rusqlite::Result<Steps> {
        let (events, dates) = later_events(conn)?;
        // Read from the covering index alone, by household code: joining
        // each row to `households_code` for the rowid is a random lookup a
        // row, most of a progress report's time at a province's size.
        let mut stmt = conn.prepare_cached(
            "SELECT p.household, p.joined_on, p.left_on FROM people p
              WHERE (p.joined_on IS NOT NULL OR p.left_on IS NOT NULL)
                AND max(ifnull(p.joined_on, ''), ifnull(p.left_on, '')) > ?1",
        )?;
        let mut rows = stmt.query([since])?;
        let mut dated: Vec<(String, Presence)> = Vec::new();
        while let Some(r) = rows.next()? {
            let presence = Presence {
                joined_on: r.get(1)?,
                left_on: r.get(2)?,
            };
            dated.push((r.get(0)?, presence));
        }
        // In code order a household's people are one run, and the runs
        // meet `households_code` in its own order.
        dated.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut by_code: Vec<(String, Vec<Presence>)> = Vec::new();
        for (code, presence) in dated {
            match by_code.last_mut() {
                Some((last, people)) if *last == code => people.push(presence),
                _ => by_code.push((code, vec![presence])),
            }
        }
        let people = rowids_of(conn, by_code)?
            .into_iter()
            .flat_map(|(rowid, people)| people.into_iter().map(move |p| (rowid, p)))
            .collect();
        Ok(Steps::of_households(events, dates, people))
    }

    fn of_households(
        mut events: Loose<Dated>,
        dates: String,
        mut people: Loose<Presence>,
    ) -> Steps {
        events.sort_unstable_by_key(|e| e.0);
        people.sort_by_key(|p| p.0);
        let mut steps = Steps {
            dates,
            ..Steps::default()
        };
        let (mut e, mut p) = (events.into_iter().peekable(), people.into_iter().peekable());
        loop {
            let rowid = match (e.peek(), p.peek()) {
                (Some(a), Some(b)) => a.0.min(b.0),
                (Some(a), None) => a.0,
                (None, Some(b)) => b.0,
                (None, None) => break,
            };
            let (from, people_from) = (steps.events.len(), steps.people.len());
            while let Some((_, event)) = e.next_if(|x| x.0 == rowid) {
                steps.events.push(event);
            }
            while let Some((_, person)) = p.next_if(|x| x.0 == rowid) {
                steps.people.push(person);
            }
            // A rowid below 0 has no bit, so no place among the others.
            let Ok(id) = usize::try_from(rowid) else {
                steps.events.truncate(from);
                steps.people.truncate(people_from);
                continue;
            };
            // u32 ranges hold four thousand million steps, more than any register.
            steps
                .households
                .push((rowid, from as u32, people_from as u32));
            let word = id / 64;
            if steps.bits.len() <= word {
                steps.bits.resize(word + 1, 0);
            }
            steps.bits[word] |= 1 << (id % 64);
        }
        let mut set = 0u32;
        for word in &steps.bits {
            steps.ranks.push(set);
            set += word.count_ones();
        }
        steps
    }

    pub fn is_empty(&self) -> bool {
        self.households.is_empty()
    }

    /// What the household with this rowid has beyond its two dates, if
    /// anything.
    #[inline]
    pub fn of(&self, rowid: i64) -> Option<Later<'_>> {
        let id = usize::try_from(rowid).ok()?;
        let word = self.bits.get(id / 64)?;
        if word & (1 << (id % 64)) == 0 {
            return None;
        }
        self.found(rowid)
    }

    /// The household whose bit is set: its place among them is the number
    /// of bits set before its own.
    fn found(&self, rowid: i64) -> Option<Later<'_>> {
        let id = usize::try_from(rowid).ok()?;
        let below = self.bits.get(id / 64)? & ((1u64 << (id % 64)) - 1);
        let i = *self.ranks.get(id / 64)? as usize + below.count_ones() as usize;
        let &(_, from, people_from) = self.households.get(i)?;
        let (to, people_to) = match self.households.get(i + 1) {
            Some(&(_, to, people_to)) => (to as usize, people_to as usize),
            None => (self.events.len(), self.people.len()),
        };
        Some(Later {
            dates: &self.dates,
            events: self.events.get(from as usize..to)?,
            people: self.people.get(people_from as usize..people_to)?,
        })
    }

    /// The history of the household with this rowid and these two dates.
    pub fn history<'a>(
        &'a self,
        rowid: i64,
        registered_on: &'a str,
        lifted_on: Option<&'a str>,
    ) -> History<'a> {
        match self.of(rowid) {
            Some(later) => later.history(registered_on, lifted_on),
            None => History::new(registered_on, lifted_on, &[]),
        }
    }
}

/// The later steps of every household that has any, by household rowid,
/// their dates in one string. The rowid is the copy each event keeps (see
/// schema version 11), looked up by code only where it is missing.
fn later_events(conn: &Connection) -> rusqlite::Result<(Loose<Dated>, String)> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(e.household_id, (SELECT h.id FROM households h WHERE h.code = e.household)),
                e.date, e.event
           FROM household_events e",
    )?;
    let mut rows = stmt.query([])?;
    let mut events = Vec::new();
    let mut dates = String::new();
    while let Some(r) = rows.next()? {
        let Some(rowid) = r.get::<_, Option<i64>>(0)? else {
            continue;
        };
        if let Some(step) = Step::of_event(r.get_ref(2)?.as_str()?) {
            let from = dates.len() as u32;
            dates.push_str(r.get_ref(1)?.as_str()?);
            events.push((rowid, (from, dates.len() as u32, step)));
        }
    }
    Ok((events, dates))
}

/// Households looked up one at a time cost a random read each; past this
/// share of the register one scan of `households_code` in order is
/// cheaper (measured at 1,000,000 households: 148,372 lookups took
/// 0.42–0.54 s, the scan 0.15–0.18 s, about 3 µs against 0.16 µs a row).
const SCAN_SHARE: usize = 20;

/// The rowid of each household code in `by_code`, which is in code order
/// (codes not on the register are dropped: a person's household always
/// is).
fn rowids_of<V>(conn: &Connection, by_code: Vec<(String, V)>) -> rusqlite::Result<Vec<(i64, V)>> {
    let mut out = Vec::with_capacity(by_code.len());
    if by_code.is_empty() {
        return Ok(out);
    }
    let households: usize = conn
        .prepare_cached("SELECT max(id) FROM households")?
        .query_row([], |r| r.get::<_, Option<i64>>(0))?
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    if by_code.len() * SCAN_SHARE < households {
        let mut stmt = conn.prepare_cached("SELECT id FROM households WHERE code = ?1")?;
        for (code, v) in by_code {
            if let Some(id) = stmt.query_row([&code], |r| r.get(0)).optional()? {
                out.push((id, v));
            }
        }
        return Ok(out);
    }
    let mut wanted = by_code.into_iter().peekable();
    let mut stmt = conn.prepare_cached("SELECT code, id FROM households ORDER BY code")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let code = r.get_ref(0)?.as_bytes()?;
        while wanted.next_if(|(w, _)| w.as_bytes() < code).is_some() {}
        match wanted.peek() {
            None => break,
            Some((w, _)) if w.as_bytes() == code => {
                if let Some((_, v)) = wanted.next() {
                    out.push((r.get(1)?, v));
                }
            }
            Some(_) => {}
        }
    }
    Ok(out)
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

    /// `n` households coded H0001… with rowids 1…
    fn register(n: usize) -> rusqlite::Result<Connection> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE TABLE households (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)",
        )?;
        for i in 1..=n {
            conn.execute(
                "INSERT INTO households (id, code) VALUES (?1, ?2)",
                rusqlite::params![i as i64, format!("H{i:04}")],
            )?;
        }
        Ok(conn)
    }

    fn wanted(codes: &[&str]) -> Vec<(String, usize)> {
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.to_string(), i))
            .collect()
    }

    #[test]
    fn rowids_by_lookup_and_by_scan_agree() -> rusqlite::Result<()> {
        // 2 codes in 100 households are looked up; 30 are met by one scan.
        let conn = register(100)?;
        let few = wanted(&["H0007", "H0050", "X9999"]);
        assert_eq!(rowids_of(&conn, few)?, vec![(7, 0), (50, 1)]);
        let mut many: Vec<String> = (1..=30).map(|i| format!("H{:04}", i * 3)).collect();
        many.insert(0, "H0000".into());
        many.push("H0091a".into());
        many.sort();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let found = rowids_of(&conn, wanted(&many))?;
        assert_eq!(found.len(), 30);
        for (rowid, i) in found {
            assert_eq!(format!("H{rowid:04}"), many[i]);
        }
        assert!(rowids_of::<usize>(&conn, Vec::new())?.is_empty());
        Ok(())
    }

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

    fn person(joined: Option<&str>, left: Option<&str>) -> Presence {
        Presence {
            joined_on: joined.map(str::to_string),
            left_on: left.map(str::to_string),
        }
    }

    #[test]
    fn members_on_a_date_follow_the_people_who_came_and_went() {
        // Four today: a child born in 2018 and a grandfather who died in
        // 2019 (no longer counted), recorded with their dates.
        let people = [
            person(Some("2018-03-01"), None),
            person(None, Some("2019-06-30")),
        ];
        let h = History::new("2014-10-01", Some("2019-12-31"), &[]).with_people(&people);
        assert_eq!(h.members_on("2017-12-31", 4), 4);
        assert_eq!(h.members_on("2018-02-28", 4), 4);
        assert_eq!(h.members_on("2018-03-01", 4), 5);
        assert_eq!(h.members_on("2019-06-29", 4), 5);
        assert_eq!(h.members_on("2019-06-30", 4), 4);
        assert_eq!(h.members_on("2020-12-31", 4), 4);
        let mut days: Vec<&str> = h.people_days().collect();
        days.sort_unstable();
        assert_eq!(days, ["2018-03-01", "2019-06-30"]);
        // Without people, the count as recorded.
        let plain = History::new("2014-10-01", None, &[]);
        assert_eq!(plain.members_on("2015-01-01", 3), 3);
    }

    #[test]
    fn a_household_that_left_keeps_the_members_of_its_last_day() {
        // Three people, all died on the day the household left the
        // register; its count is the three of that day.
        let people = [
            person(None, Some("2019-09-02")),
            person(Some("2018-01-22"), Some("2019-09-02")),
            person(None, Some("2019-09-02")),
        ];
        let e = [ev("2019-09-02", Step::Left)];
        let h = History::new("2014-06-06", Some("2014-10-20"), &e).with_people(&people);
        assert_eq!(h.members_on("2017-12-31", 3), 2);
        assert_eq!(h.members_on("2019-09-01", 3), 3);
        assert_eq!(h.members_on("2019-09-02", 3), 3);
        assert_eq!(h.members_on("2020-12-31", 3), 3);
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
