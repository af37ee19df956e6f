//! The "double clear" (双清零) report: poor villages and poor households
//! remaining on a date, per county, battle zone, town or village.
//!
//! One pass over the covering index `households_status`, its villages
//! shared by two threads (`report::shares`), gives the figures per
//! village; villages are then rolled up to their town, zone and the county
//! in Rust.

use std::collections::HashMap;

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use super::shares::{self, VillageRange};
use super::sheet::{
    Col, GroupsJson, JsonFigures, Mark, Parent, Sheet, Value, as_of_line, write_json,
};
use super::{By, Layout, PageOpts, Report, Subtotals, county_title, group_rows, heading, percent};
use crate::lang::Lang;
use crate::register::{self, History, Status, Step};

/// The figures of one group on the as-of date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub villages: i64,
    pub poor_villages_registered: i64,
    pub poor_villages_remaining: i64,
    pub households_registered: i64,
    pub people_registered: i64,
    pub poor_households_remaining: i64,
    pub poor_people_remaining: i64,
    pub households_lifted_this_year: i64,
    pub people_lifted_this_year: i64,
    /// Households that returned to poverty (返贫) from 1 January to the
    /// date, and their members.
    pub households_returned_this_year: i64,
    pub people_returned_this_year: i64,
    /// Households removed from the register (剔除) in the year.
    pub households_removed_this_year: i64,
    pub people_removed_this_year: i64,
    /// Households that left it by natural decrease (自然减少) in the year.
    pub households_left_this_year: i64,
    pub people_left_this_year: i64,
    /// Registered population of the villages whose population is known.
    pub population_known: i64,
    /// Villages without a registered population: the group's population and
    /// incidence are unknown while any remain.
    pub villages_missing_population: i64,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.add_times(o, 1);
    }

    /// Adds `o` `times` times (-1 takes it away).
    fn add_times(&mut self, o: &Figures, times: i64) {
        self.villages += times * o.villages;
        self.poor_villages_registered += times * o.poor_villages_registered;
        self.poor_villages_remaining += times * o.poor_villages_remaining;
        self.households_registered += times * o.households_registered;
        self.people_registered += times * o.people_registered;
        self.poor_households_remaining += times * o.poor_households_remaining;
        self.poor_people_remaining += times * o.poor_people_remaining;
        self.households_lifted_this_year += times * o.households_lifted_this_year;
        self.people_lifted_this_year += times * o.people_lifted_this_year;
        self.households_returned_this_year += times * o.households_returned_this_year;
        self.people_returned_this_year += times * o.people_returned_this_year;
        self.households_removed_this_year += times * o.households_removed_this_year;
        self.people_removed_this_year += times * o.people_removed_this_year;
        self.households_left_this_year += times * o.households_left_this_year;
        self.people_left_this_year += times * o.people_left_this_year;
        self.population_known += times * o.population_known;
        self.villages_missing_population += times * o.villages_missing_population;
    }

    /// One household's share of the figures on `as_of`, counted from the
    /// status its history gives (see `crate::register`), and its members on
    /// that day.
    pub fn of_household(history: &History, members: i64, as_of: &str, year_start: &str) -> Figures {
        let status = history.status_on(as_of);
        let members = history.members_on(as_of, members);
        let step = |s: Step| i64::from(history.has_step(s, year_start, as_of));
        let registered = i64::from(status.registered());
        let poor = i64::from(status == Status::Poor);
        let (lifted, returned) = (step(Step::Lifted), step(Step::Returned));
        let (removed, left) = (step(Step::Removed), step(Step::Left));
        Figures {
            households_registered: registered,
            people_registered: registered * members,
            poor_households_remaining: poor,
            poor_people_remaining: poor * members,
            households_lifted_this_year: lifted,
            people_lifted_this_year: lifted * members,
            households_returned_this_year: returned,
            people_returned_this_year: returned * members,
            households_removed_this_year: removed,
            people_removed_this_year: removed * members,
            households_left_this_year: left,
            people_left_this_year: left * members,
            ..Figures::default()
        }
    }

    /// The registered population, if known for every village of the group.
    pub fn population(&self) -> Option<i64> {
        (self.villages_missing_population == 0).then_some(self.population_known)
    }

    /// Remaining poor people per 100 registered residents.
    pub fn incidence_percent(&self) -> Option<f64> {
        self.population()
            .and_then(|p| percent(self.poor_people_remaining, p))
    }

    /// Reached when no poor household and no poor village remain.
    pub fn double_clear(&self) -> bool {
        self.poor_households_remaining == 0 && self.poor_villages_remaining == 0
    }

    pub fn to_json(&self) -> FiguresJson {
        FiguresJson {
            villages: self.villages,
            poor_villages_registered: self.poor_villages_registered,
            poor_villages_remaining: self.poor_villages_remaining,
            households_registered: self.households_registered,
            people_registered: self.people_registered,
            poor_households_remaining: self.poor_households_remaining,
            poor_people_remaining: self.poor_people_remaining,
            households_lifted_this_year: self.households_lifted_this_year,
            people_lifted_this_year: self.people_lifted_this_year,
            households_returned_this_year: self.households_returned_this_year,
            people_returned_this_year: self.people_returned_this_year,
            households_removed_this_year: self.households_removed_this_year,
            people_removed_this_year: self.people_removed_this_year,
            households_left_this_year: self.households_left_this_year,
            people_left_this_year: self.people_left_this_year,
            households_off_register_this_year: self.households_removed_this_year
                + self.households_left_this_year,
            people_off_register_this_year: self.people_removed_this_year
                + self.people_left_this_year,
            population: self.population(),
            incidence_percent: self.incidence_percent(),
            poor_people_registered: self.people_registered,
        }
    }
}

#[derive(Serialize)]
pub struct FiguresJson {
    villages: i64,
    poor_villages_registered: i64,
    poor_villages_remaining: i64,
    households_registered: i64,
    /// The members of every household registered by the date.
    people_registered: i64,
    poor_households_remaining: i64,
    poor_people_remaining: i64,
    households_lifted_this_year: i64,
    people_lifted_this_year: i64,
    households_returned_this_year: i64,
    people_returned_this_year: i64,
    households_removed_this_year: i64,
    people_removed_this_year: i64,
    households_left_this_year: i64,
    people_left_this_year: i64,
    /// Removed and left together, as the printed form has them.
    households_off_register_this_year: i64,
    people_off_register_this_year: i64,
    population: Option<i64>,
    incidence_percent: Option<f64>,
    /// `people_registered`'s first name, kept for this release.
    poor_people_registered: i64,
}

/// One row of the report.
pub type Group = super::Group<Figures>;

#[derive(Debug, Clone)]
pub struct DoubleClear {
    pub county: (String, String),
    pub as_of: NaiveDate,
    pub by: By,
    pub groups: Vec<Group>,
    /// By village: the towns, whose subtotal rows follow their villages.
    pub subtotals: Vec<Group>,
    pub totals: Figures,
    /// The exits of the cut-off's year held to their standards, when the
    /// year has assessments (see `report exits`).
    pub exits: Option<ExitQuality>,
}

/// How the households lifted in a year fared against the exit standards.
#[derive(Debug, Clone, Copy)]
pub struct ExitQuality {
    pub year: i64,
    pub lifted: i64,
    pub assessed: i64,
    pub meeting_all: i64,
}

impl ExitQuality {
    /// The households lifted in the year of `as_of`, or `None` when that
    /// year has no assessments (the pass is skipped: it costs a second
    /// reading of the register).
    pub fn of(conn: &Connection, as_of: NaiveDate) -> Result<Option<ExitQuality>> {
        let year = i64::from(as_of.year());
        let any: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM assessments WHERE year = ?1)",
            [year],
            |r| r.get(0),
        )?;
        if !any {
            return Ok(None);
        }
        let (by_village, _) =
            super::exits::per_village(conn, year, super::exits::Which::LiftedInYear)?;
        let (mut lifted, mut assessed, mut meeting_all) = (0, 0, 0);
        for f in by_village.values() {
            lifted += f.lifted;
            assessed += f.assessed();
            meeting_all += f.meeting_all;
        }
        Ok(Some(ExitQuality {
            year,
            lifted,
            assessed,
            meeting_all,
        }))
    }

    pub fn note(&self, lang: Lang) -> String {
        let n = crate::values::thousands;
        let (year, lifted, assessed, all) = (
            self.year,
            n(self.lifted),
            n(self.assessed),
            n(self.meeting_all),
        );
        lang.t(
            &format!(
                "Of the {lifted} households lifted in {year}, {assessed} have an assessment of the year and {all} of those meet every exit standard (see the form \"Households Lifted in {year}: Exit Standards\")."
            ),
            &format!(
                "{year}年脱贫的 {lifted} 户中，有当年收入与保障记录的 {assessed} 户，其中全部达标 {all} 户（详见《{year}年脱贫户脱贫质量（达标情况）统计表》）。"
            ),
        )
    }
}

struct Village {
    code: String,
    name: String,
    town: String,
    figures: Figures,
}

/// Household figures per village on `as_of`, for the villages of `range`.
///
/// One pass over the covering index households_status(village,
/// registered_on, lifted_on, members), in its order so it streams without
/// sorting. A household without later steps — nearly every one — is
/// counted from its two dates as bytes; one with steps (a bit in `steps`)
/// by the status its history gives. Either way the figures are
/// [`Figures::of_household`]'s, which a test holds the fast way to.
fn count_households(
    conn: &Connection,
    as_of: &str,
    year_start: &str,
    range: &VillageRange,
    steps: &register::Steps,
) -> Result<HashMap<String, Figures>> {
    // The rowid only where later steps are looked for by it: even unread,
    // a result column costs each row an instruction of SQLite's.
    let rowid = if steps.is_empty() { "" } else { ", id" };
    let mut sql = format!(
        "SELECT village, registered_on, lifted_on, members{rowid} FROM households
          WHERE registered_on <= ?1"
    );
    let mut params: Vec<&str> = vec![as_of];
    sql.push_str(&range.start_sql(&mut params));
    sql.push_str(" ORDER BY village");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let (day, start) = (as_of.as_bytes(), year_start.as_bytes());
    let mut out = HashMap::new();
    let mut village: Vec<u8> = Vec::new();
    let mut f = Figures::default();
    while let Some(r) = rows.next()? {
        let v = r.get_ref(0)?.as_bytes()?;
        if v != village.as_slice() {
            if range.passed(v) {
                break;
            }
            if !village.is_empty() {
                out.insert(
                    String::from_utf8_lossy(&village).into_owned(),
                    std::mem::take(&mut f),
                );
            }
            village.clear();
            village.extend_from_slice(v);
        }
        let members: i64 = r.get(3)?;
        if !steps.is_empty()
            && let Some(later) = steps.of(r.get(4)?)
        {
            let registered_on = r.get_ref(1)?.as_str()?;
            let lifted_on = r.get_ref(2)?.as_str_or_null()?;
            let history = later.history(registered_on, lifted_on);
            f.add(&Figures::of_household(&history, members, as_of, year_start));
            continue;
        }
        f.households_registered += 1;
        f.people_registered += members;
        match r.get_ref(2)?.as_bytes_or_null()? {
            Some(l) if l <= day => {
                if l >= start {
                    f.households_lifted_this_year += 1;
                    f.people_lifted_this_year += members;
                }
            }
            _ => {
                f.poor_households_remaining += 1;
                f.poor_people_remaining += members;
            }
        }
    }
    if !village.is_empty() {
        out.insert(String::from_utf8_lossy(&village).into_owned(), f);
    }
    Ok(out)
}

/// Household figures per village, the villages shared by two threads
/// when the database is a file: the pass is CPU-bound, and a province-sized
/// file (a million households) otherwise misses the 200 ms a report may take.
fn households_by_village(
    conn: &Connection,
    as_of: &str,
    year_start: &str,
) -> Result<HashMap<String, Figures>> {
    let steps = register::Steps::load_with_people(conn, as_of)?;
    let codes: Vec<String> = conn
        .prepare("SELECT code FROM villages ORDER BY code")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let shares = shares::over_villages(conn, &codes, |conn, range| {
        count_households(conn, as_of, year_start, &range, &steps)
    })?;
    let mut figures = HashMap::with_capacity(codes.len());
    for share in shares {
        figures.extend(share);
    }
    Ok(figures)
}

/// Counts per village on `as_of`, every village included.
fn villages(conn: &Connection, as_of: &str, year_start: &str) -> Result<Vec<Village>> {
    let mut by_village = households_by_village(conn, as_of, year_start)?;
    let mut stmt = conn.prepare(
        "SELECT code, name, town, population,
                poor_village = 1 AND registered_on <= ?1,
                poor_village = 1 AND registered_on <= ?1 AND (lifted_on IS NULL OR lifted_on > ?1)
         FROM villages ORDER BY town, code",
    )?;
    let mut rows = stmt.query([as_of])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        let population: Option<i64> = r.get(3)?;
        let mut figures = by_village.remove(&code).unwrap_or_default();
        figures.villages = 1;
        figures.poor_villages_registered = r.get(4)?;
        figures.poor_villages_remaining = r.get(5)?;
        figures.population_known = population.unwrap_or(0);
        figures.villages_missing_population = i64::from(population.is_none());
        out.push(Village {
            code,
            name: r.get(1)?,
            town: r.get(2)?,
            figures,
        });
    }
    Ok(out)
}

/// Code → (name, zone) of every town, in code order.
fn towns(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare("SELECT code, name, zone FROM towns ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Code → name of every zone, in code order.
pub fn zones(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT code, name FROM zones ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a double-clear report says how the year's exits meet their
/// standards: a second pass over the year's lifted households, their people
/// and assessments, which costs ten times the count at a million households.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitsNote {
    Noted,
    Left,
}

pub fn build(conn: &Connection, as_of: NaiveDate, by: By, note: ExitsNote) -> Result<DoubleClear> {
    let county = super::county(conn)?;
    let as_of_text = crate::values::format_date(as_of);
    let year_start = format!("{}-01-01", as_of.year());
    let villages = villages(conn, &as_of_text, &year_start)
        .context("failed to count poor households and villages")?;
    let mut totals = Figures::default();
    for v in &villages {
        totals.add(&v.figures);
    }
    let towns = towns(conn)?;
    let town_name: HashMap<&str, &str> = towns
        .iter()
        .map(|(c, n, _)| (c.as_str(), n.as_str()))
        .collect();
    let mut per_town: HashMap<&str, Figures> = HashMap::new();
    for v in &villages {
        per_town.entry(v.town.as_str()).or_default().add(&v.figures);
    }
    let town_groups = || -> Vec<Group> {
        towns
            .iter()
            .map(|(code, name, _)| Group {
                key: Some(code.clone()),
                name: name.clone(),
                town: None,
                parent: None,
                figures: per_town.get(code.as_str()).cloned().unwrap_or_default(),
            })
            .collect()
    };
    let mut subtotals = Vec::new();
    let groups = match by {
        By::County => vec![Group {
            key: Some(county.0.clone()),
            name: county.1.clone(),
            town: None,
            parent: None,
            figures: totals.clone(),
        }],
        By::Village => {
            subtotals = town_groups();
            villages
                .iter()
                .map(|v| Group {
                    key: Some(v.code.clone()),
                    name: v.name.clone(),
                    town: town_name.get(v.town.as_str()).map(|s| s.to_string()),
                    parent: Some(v.town.clone()),
                    figures: v.figures.clone(),
                })
                .collect()
        }
        By::Town => town_groups(),
        By::Zone => {
            let mut per_zone: HashMap<Option<String>, Figures> = HashMap::new();
            for (code, _, zone) in &towns {
                let f = per_zone.entry(zone.clone()).or_default();
                if let Some(t) = per_town.get(code.as_str()) {
                    f.add(t);
                }
            }
            let mut groups: Vec<Group> = zones(conn)?
                .into_iter()
                .map(|(code, name)| Group {
                    figures: per_zone.remove(&Some(code.clone())).unwrap_or_default(),
                    key: Some(code),
                    name,
                    town: None,
                    parent: None,
                })
                .collect();
            // Towns not (yet) put in a zone still count; show them apart
            // rather than let the zone rows fall short of the total.
            if let Some(figures) = per_zone.remove(&None) {
                groups.push(Group {
                    key: None,
                    name: String::new(),
                    town: None,
                    parent: None,
                    figures,
                });
            }
            groups
        }
    };
    let exits = match note {
        ExitsNote::Noted => ExitQuality::of(conn, as_of)?,
        ExitsNote::Left => None,
    };
    Ok(DoubleClear {
        county,
        as_of,
        by,
        groups,
        subtotals,
        totals,
        exits,
    })
}

impl JsonFigures for Figures {
    fn json(&self) -> impl Serialize + '_ {
        self.to_json()
    }

    fn verdict(&self) -> Option<bool> {
        Some(self.double_clear())
    }
}

impl Report for DoubleClear {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        write_json(
            out,
            &GroupsJson {
                as_of: self.as_of,
                by: self.by,
                counties: None,
                groups: &self.groups,
                totals: &self.totals,
                parent: Parent::Town,
                code_too: false,
            },
        )
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let layout = Layout {
            lang,
            by: self.by,
            county_code: &self.county.0,
            parent_col: self.by == By::Village,
            subtotals: (self.by == By::Village).then(|| Subtotals {
                label: lang.t("Town subtotal", "乡镇小计"),
                groups: &self.subtotals,
            }),
        };
        let rows = group_rows(&layout, &self.groups, &self.totals, |f| {
            figure_cells(lang, self.by, f)
        });
        let mut columns = vec![Col::code("key", lang.t("Code", "代码"))];
        if self.by == By::Village {
            columns.push(Col::text("town", lang.t("Town", "乡镇")));
        }
        columns.push(Col::text("name", self.by.label(lang)));
        columns.extend(figure_columns(lang, self.by, self.as_of.year()));
        let title = lang.t(
            &format!(
                "{} — \"Double Clear\" Status",
                county_title(lang, &self.county)
            ),
            &format!("{}脱贫攻坚“双清零”情况表", self.county.1),
        );
        let mut sheet = Sheet::new(
            lang,
            heading(&self.county, title, as_of_line(lang, self.as_of), opts),
            columns,
        );
        sheet.rows = rows;
        sheet.verdict = Some(verdict(lang, &self.totals));
        sheet.notes = notes(lang, &self.totals);
        sheet.notes.extend(self.exits.map(|e| e.note(lang)));
        sheet.landscape = true;
        sheet
    }
}

/// The verdict above the table.
pub fn verdict(lang: Lang, totals: &Figures) -> (String, Mark) {
    if totals.double_clear() {
        (
            lang.t("Double clear: REACHED", "双清零：已实现"),
            Mark::Good,
        )
    } else {
        (
            lang.t("Double clear: NOT REACHED", "双清零：未实现"),
            Mark::Bad,
        )
    }
}

/// The notes under the table.
pub fn notes(lang: Lang, totals: &Figures) -> Vec<String> {
    let mut notes = vec![lang.t(
        "Note: people are the members of registered poor households; incidence = remaining poor people ÷ registered population × 100; \"double clear\" = no poor household and no poor village remain. A household that returned to poverty counts as remaining poor; one removed (剔除) or gone by natural decrease (自然减少) is off the register from that day.",
        "注：人数为建档立卡贫困户家庭人口数之和；贫困发生率 = 未脱贫人口 ÷ 户籍人口 × 100%；“双清零”指贫困户、贫困村全部清零。返贫户计入未脱贫；剔除、自然减少的户自当日起不再计入建档立卡。",
    )];
    let missing = totals.villages_missing_population;
    if missing > 0 {
        notes.push(lang.t(
            &format!(
                "{missing} village(s) have no registered population: population and incidence are left blank for every group that contains one, and for the total."
            ),
            &format!(
                "有 {missing} 个村未登记户籍人口：含这些村的各行及合计行，户籍人口和贫困发生率空缺。"
            ),
        ));
    }
    notes
}

/// The figure columns, after the key and name. A row per village would
/// print the same 1 under 行政村（个） on every row, so by village that
/// column is left out.
pub fn figure_columns(lang: Lang, by: By, year: i32) -> Vec<Col> {
    let hh = lang.t("households", "户数（户）");
    let people = lang.t("people", "人数（人）");
    let poor_villages = lang.t("Poor villages", "贫困村");
    let registered = lang.t("Registered poor", "建档立卡贫困户");
    let remaining = lang.t("Remaining poor", "未脱贫");
    let lifted = lang.t(&format!("Lifted in {year}"), &format!("{year}年脱贫"));
    let returned = lang.t(&format!("Returned in {year}"), &format!("{year}年返贫"));
    let off = lang.t(
        &format!("Off the register in {year}"),
        &format!("{year}年剔除及自然减少"),
    );
    let mut columns = Vec::new();
    if by != By::Village {
        columns.push(Col::number("villages", lang.t("Villages", "行政村（个）")));
    }
    columns.extend([
        Col::number(
            "poor_villages_registered",
            lang.t("registered", "建档立卡（个）"),
        )
        .under(&poor_villages),
        Col::number(
            "poor_villages_remaining",
            lang.t("remaining", "未出列（个）"),
        )
        .under(&poor_villages),
        Col::number("households_registered", hh.clone()).under(&registered),
        Col::number("people_registered", people.clone()).under(&registered),
        Col::number("poor_households_remaining", hh.clone()).under(&remaining),
        Col::number("poor_people_remaining", people.clone()).under(&remaining),
        Col::number("households_lifted_this_year", hh.clone()).under(&lifted),
        Col::number("people_lifted_this_year", people.clone()).under(&lifted),
        Col::number("households_returned_this_year", hh.clone()).under(&returned),
        Col::number("people_returned_this_year", people.clone()).under(&returned),
        Col::number("households_off_register_this_year", hh).under(&off),
        Col::number("people_off_register_this_year", people).under(&off),
        Col::number(
            "population",
            lang.t("Population (people)", "户籍人口（人）"),
        ),
        Col::percent(
            "incidence_percent",
            lang.t("Incidence (%)", "贫困发生率（%）"),
        ),
        Col::text("double_clear", lang.t("Double clear", "双清零")),
    ]);
    columns
}

/// The cells of [`figure_columns`] for one row.
pub fn figure_cells(lang: Lang, by: By, f: &Figures) -> Vec<Value> {
    let mut cells = Vec::new();
    if by != By::Village {
        cells.push(Value::int(f.villages));
    }
    cells.extend([
        Value::int(f.poor_villages_registered),
        Value::int(f.poor_villages_remaining),
        Value::int(f.households_registered),
        Value::int(f.people_registered),
        Value::int(f.poor_households_remaining),
        Value::int(f.poor_people_remaining),
        Value::int(f.households_lifted_this_year),
        Value::int(f.people_lifted_this_year),
        Value::int(f.households_returned_this_year),
        Value::int(f.people_returned_this_year),
        Value::int(f.households_removed_this_year + f.households_left_this_year),
        Value::int(f.people_removed_this_year + f.people_left_this_year),
        Value::opt_int(f.population()),
        Value::num(f.incidence_percent(), 2),
        verdict_cell(lang, f.double_clear()),
    ]);
    cells
}

fn verdict_cell(lang: Lang, reached: bool) -> Value {
    if reached {
        Value::marked(lang.t("REACHED", "已实现"), Mark::Good)
    } else {
        Value::marked(lang.t("NOT REACHED", "未实现"), Mark::Bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with `villages` villages of one town and a spread of dates.
    fn county_file(villages: usize) -> Result<(tempfile::TempDir, Connection)> {
        let dir = tempfile::tempdir()?;
        let conn = crate::db::create(&dir.path().join("t.db"), "测试县", "451122")?;
        // One transaction: a commit per row would sync the file each time.
        conn.execute_batch("BEGIN")?;
        conn.execute("INSERT INTO towns (code, name) VALUES ('T', '镇')", [])?;
        let mut n = 0u64;
        for v in 0..villages {
            let code = format!("V{v:04}");
            conn.execute(
                "INSERT INTO villages (code, name, town) VALUES (?1, ?1, 'T')",
                [&code],
            )?;
            for h in 0..(v % 7 + 1) {
                n += 1;
                let id = format!("45112219800101{n:03}");
                let id = format!("{id}{}", crate::values::id_check_digit(&id).unwrap_or('0'));
                let lifted = match h % 4 {
                    0 => None,
                    1 => Some("2019-06-30"),
                    2 => Some("2020-03-01"),
                    _ => Some("2018-12-31"),
                };
                conn.execute(
                    "INSERT INTO households (code, village, head_name, id_number, members, registered_on, lifted_on)
                     VALUES (?1, ?2, '户主', ?3, ?4, '2014-10-01', ?5)",
                    rusqlite::params![format!("H{n}"), code, id, (h % 5 + 1) as i64, lifted],
                )?;
            }
        }
        conn.execute_batch("COMMIT")?;
        Ok((dir, conn))
    }

    #[test]
    fn counting_in_shared_ranges_gives_what_one_pass_gives() -> Result<()> {
        let (_dir, conn) = county_file(150)?;
        let whole = VillageRange::WHOLE;
        for (as_of, year_start) in [("2019-12-31", "2019-01-01"), ("2020-06-30", "2020-01-01")] {
            let steps = register::Steps::load_with_people(&conn, as_of)?;
            let one_pass = count_households(&conn, as_of, year_start, &whole, &steps)?;
            let halves = households_by_village(&conn, as_of, year_start)?;
            assert_eq!(one_pass.len(), 150);
            assert_eq!(halves, one_pass);
            let remaining: i64 = halves.values().map(|f| f.poor_households_remaining).sum();
            // Per village of k households, h = 0..k: h % 4 == 0 is never
            // lifted, h % 4 == 2 only in 2020.
            let expected: i64 = (0..150)
                .map(|v| {
                    (0..(v % 7 + 1))
                        .filter(|h| h % 4 == 0 || (h % 4 == 2 && as_of < "2020-03-01"))
                        .count() as i64
                })
                .sum();
            assert_eq!(remaining, expected, "as of {as_of}");
        }
        Ok(())
    }

    /// The pass's two ways — the two dates as bytes, or a history's status
    /// — give what the status function gives for every household.
    #[test]
    fn the_corrected_count_is_the_status_of_every_household() -> Result<()> {
        let (_dir, conn) = county_file(40)?;
        // Lifted on 2018-12-31 (h % 4 == 3): every third returns in 2019,
        // and of those every second is lifted again in 2020. Never lifted
        // (h % 4 == 0): every fifth is removed in 2016, every seventh left
        // in 2020.
        let rows: Vec<(i64, String, Option<String>)> = conn
            .prepare("SELECT id, code, lifted_on FROM households ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, code, lifted) in &rows {
            let add = |event: &str, date: &str, reason: Option<&str>| {
                conn.execute(
                    "INSERT INTO household_events (household, event, date, reason) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![code, event, date, reason],
                )
            };
            match lifted.as_deref() {
                Some("2018-12-31") if id % 3 == 0 => {
                    add("returned", "2019-05-01", None)?;
                    if id % 2 == 0 {
                        add("lifted", "2020-04-30", None)?;
                    }
                }
                None if id % 5 == 0 => {
                    add("removed", "2016-05-01", Some("wrong_identification"))?;
                }
                None if id % 7 == 0 => {
                    add("left", "2020-02-29", Some("died"))?;
                }
                _ => {}
            }
        }
        let events = register::events_by_household(&conn)?;
        assert!(events.len() > 5, "{} households with steps", events.len());
        let all: Vec<(i64, String, String, Option<String>, i64)> = conn
            .prepare("SELECT id, village, registered_on, lifted_on, members FROM households")?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (as_of, year_start) in [
            ("2016-04-30", "2016-01-01"),
            ("2016-05-01", "2016-01-01"),
            ("2019-04-30", "2019-01-01"),
            ("2019-05-01", "2019-01-01"),
            ("2020-02-29", "2020-01-01"),
            ("2020-04-30", "2020-01-01"),
            ("2020-12-31", "2020-01-01"),
        ] {
            let mut want: HashMap<String, Figures> = HashMap::new();
            for (id, village, registered, lifted, members) in &all {
                let steps = events.get(id).map(Vec::as_slice).unwrap_or_default();
                let history = History::new(registered, lifted.as_deref(), steps);
                want.entry(village.clone())
                    .or_default()
                    .add(&Figures::of_household(
                        &history, *members, as_of, year_start,
                    ));
            }
            for v in villages(&conn, as_of, year_start)? {
                let mut got = v.figures.clone();
                // The village's own figures are not the households'.
                got.villages = 0;
                got.poor_villages_registered = 0;
                got.poor_villages_remaining = 0;
                got.population_known = 0;
                got.villages_missing_population = 0;
                let want = want.get(&v.code).cloned().unwrap_or_default();
                assert_eq!(got, want, "village {} as of {as_of}", v.code);
            }
        }
        Ok(())
    }
}
