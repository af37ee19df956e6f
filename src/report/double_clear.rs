//! The "double clear" (双清零) report: poor villages and poor households
//! remaining on a date, per county, battle zone, town or village.
//!
//! One GROUP BY over households, answered by the covering index
//! `households_status`, gives the figures per village; villages are then
//! rolled up to their town, zone and the county in Rust.

use std::collections::HashMap;

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Value as Json, json};

use super::sheet::{Col, Mark, Sheet, Value, as_of_line};
use super::{By, PageOpts, Report, group_name, group_rows, heading, percent};
use crate::lang::t;

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
    /// Registered population of the villages whose population is known.
    pub population_known: i64,
    /// Villages without a registered population: the group's population and
    /// incidence are unknown while any remain.
    pub villages_missing_population: i64,
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        self.villages += o.villages;
        self.poor_villages_registered += o.poor_villages_registered;
        self.poor_villages_remaining += o.poor_villages_remaining;
        self.households_registered += o.households_registered;
        self.people_registered += o.people_registered;
        self.poor_households_remaining += o.poor_households_remaining;
        self.poor_people_remaining += o.poor_people_remaining;
        self.households_lifted_this_year += o.households_lifted_this_year;
        self.people_lifted_this_year += o.people_lifted_this_year;
        self.population_known += o.population_known;
        self.villages_missing_population += o.villages_missing_population;
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

    fn to_json(&self) -> FiguresJson {
        FiguresJson {
            villages: self.villages,
            poor_villages_registered: self.poor_villages_registered,
            poor_villages_remaining: self.poor_villages_remaining,
            households_registered: self.households_registered,
            poor_households_remaining: self.poor_households_remaining,
            poor_people_remaining: self.poor_people_remaining,
            people_lifted_this_year: self.people_lifted_this_year,
            population: self.population(),
            incidence_percent: self.incidence_percent(),
        }
    }
}

#[derive(Serialize)]
struct FiguresJson {
    villages: i64,
    poor_villages_registered: i64,
    poor_villages_remaining: i64,
    households_registered: i64,
    poor_households_remaining: i64,
    poor_people_remaining: i64,
    people_lifted_this_year: i64,
    population: Option<i64>,
    incidence_percent: Option<f64>,
}

#[derive(Serialize)]
struct GroupJson<'a> {
    key: Option<&'a str>,
    name: String,
    #[serde(flatten)]
    figures: FiguresJson,
    double_clear: bool,
}

/// One row of the report.
pub type Group = super::Group<Figures>;

#[derive(Debug, Clone)]
pub struct DoubleClear {
    pub county: (String, String),
    pub as_of: NaiveDate,
    pub by: By,
    pub groups: Vec<Group>,
    pub totals: Figures,
}

struct Village {
    code: String,
    name: String,
    town: String,
    figures: Figures,
}

/// Counts per village on `as_of`, every village included.
fn villages(conn: &Connection, as_of: &str, year_start: &str) -> Result<Vec<Village>> {
    // Households first: one pass over the covering index
    // households_status(village, registered_on, lifted_on, members). Grouping
    // by the index's own columns streams without sorting and leaves SQLite
    // only a count and a sum per row; which groups are still poor on the
    // date is decided here, per group. Households are registered and lifted
    // in batches on a few dates, so a village has a few groups. On 1M
    // households this takes about 60 % of the time of one GROUP BY village
    // with conditional sums.
    let mut by_village: HashMap<String, Figures> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT village, lifted_on, count(*), sum(members)
         FROM households
         WHERE registered_on <= ?1
         GROUP BY village, registered_on, lifted_on",
    )?;
    let mut rows = stmt.query([as_of])?;
    while let Some(r) = rows.next()? {
        let village = r.get_ref(0)?.as_str()?;
        let lifted_on = r.get_ref(1)?.as_str_or_null()?;
        let (households, people): (i64, i64) = (r.get(2)?, r.get(3)?);
        if !by_village.contains_key(village) {
            by_village.insert(village.to_string(), Figures::default());
        }
        let Some(f) = by_village.get_mut(village) else {
            continue;
        };
        f.households_registered += households;
        f.people_registered += people;
        match lifted_on {
            Some(lifted) if lifted <= as_of => {
                if lifted >= year_start {
                    f.households_lifted_this_year += households;
                    f.people_lifted_this_year += people;
                }
            }
            _ => {
                f.poor_households_remaining += households;
                f.poor_people_remaining += people;
            }
        }
    }
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

pub fn build(conn: &Connection, as_of: NaiveDate, by: By) -> Result<DoubleClear> {
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
    let groups = match by {
        By::County => vec![Group {
            key: Some(county.0.clone()),
            name: county.1.clone(),
            town: None,
            figures: totals.clone(),
        }],
        By::Village => villages
            .iter()
            .map(|v| Group {
                key: Some(v.code.clone()),
                name: v.name.clone(),
                town: town_name.get(v.town.as_str()).map(|s| s.to_string()),
                figures: v.figures.clone(),
            })
            .collect(),
        By::Town => towns
            .iter()
            .map(|(code, name, _)| Group {
                key: Some(code.clone()),
                name: name.clone(),
                town: None,
                figures: per_town.get(code.as_str()).cloned().unwrap_or_default(),
            })
            .collect(),
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
                })
                .collect();
            // Towns not (yet) put in a zone still count; show them apart
            // rather than let the zone rows fall short of the total.
            if let Some(figures) = per_zone.remove(&None) {
                groups.push(Group {
                    key: None,
                    name: String::new(),
                    town: None,
                    figures,
                });
            }
            groups
        }
    };
    Ok(DoubleClear {
        county,
        as_of,
        by,
        groups,
        totals,
    })
}

impl Report for DoubleClear {
    fn json(&self) -> Json {
        let groups: Vec<GroupJson> = self
            .groups
            .iter()
            .map(|g| GroupJson {
                key: g.key.as_deref(),
                name: group_name(g.key.as_deref(), &g.name),
                figures: g.figures.to_json(),
                double_clear: g.figures.double_clear(),
            })
            .collect();
        json!({
            "as_of": crate::values::format_date(self.as_of),
            "by": self.by,
            "groups": groups,
            "totals": self.totals.to_json(),
            "double_clear": self.totals.double_clear(),
        })
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let county = &self.county.1;
        let year = self.as_of.year();
        let hh = t("households", "户数（户）");
        let people = t("people", "人数（人）");
        let poor_villages = t("Poor villages", "贫困村");
        let registered = t("Registered poor", "建档立卡贫困户");
        let remaining = t("Remaining poor", "未脱贫");
        let lifted = t(&format!("Lifted in {year}"), &format!("{year}年脱贫"));
        let mut columns = vec![Col::new("key", t("Code", "代码"))];
        if self.by == By::Village {
            columns.push(Col::new("town", t("Town", "乡镇")));
        }
        columns.extend([
            Col::new("name", self.by.label()),
            Col::new("villages", t("Villages", "行政村（个）")),
            Col::grouped(
                "poor_villages_registered",
                &poor_villages,
                t("registered", "建档立卡（个）"),
            ),
            Col::grouped(
                "poor_villages_remaining",
                &poor_villages,
                t("remaining", "未出列（个）"),
            ),
            Col::grouped("households_registered", &registered, hh.clone()),
            Col::grouped("people_registered", &registered, people.clone()),
            Col::grouped("poor_households_remaining", &remaining, hh.clone()),
            Col::grouped("poor_people_remaining", &remaining, people.clone()),
            Col::grouped("households_lifted_this_year", &lifted, hh),
            Col::grouped("people_lifted_this_year", &lifted, people),
            Col::new("population", t("Population (people)", "户籍人口（人）")),
            Col::new("incidence_percent", t("Incidence (%)", "贫困发生率（%）")),
            Col::new("double_clear", t("Double clear", "双清零")),
        ]);
        let row = |key: Option<&str>, town: Option<&str>, name: &str, f: &Figures| {
            let mut cells = vec![Value::opt(key)];
            if self.by == By::Village {
                cells.push(Value::opt(town));
            }
            cells.extend([
                Value::text(name),
                Value::int(f.villages),
                Value::int(f.poor_villages_registered),
                Value::int(f.poor_villages_remaining),
                Value::int(f.households_registered),
                Value::int(f.people_registered),
                Value::int(f.poor_households_remaining),
                Value::int(f.poor_people_remaining),
                Value::int(f.households_lifted_this_year),
                Value::int(f.people_lifted_this_year),
                Value::opt_int(f.population()),
                Value::num(f.incidence_percent(), 2),
                verdict_cell(f.double_clear()),
            ]);
            cells
        };
        let (rows, total) = group_rows(self.by, &self.county.0, &self.groups, &self.totals, row);
        let reached = self.totals.double_clear();
        let verdict = if reached {
            (t("Double clear: REACHED", "双清零：已实现"), Mark::Good)
        } else {
            (t("Double clear: NOT REACHED", "双清零：未实现"), Mark::Bad)
        };
        let mut notes = vec![t(
            "Note: people are the members of registered poor households; incidence = remaining poor people ÷ registered population × 100; \"double clear\" = no poor household and no poor village remain.",
            "注：人数为建档立卡贫困户家庭人口数之和；贫困发生率 = 未脱贫人口 ÷ 户籍人口 × 100%；“双清零”指贫困户、贫困村全部清零。",
        )];
        let missing = self.totals.villages_missing_population;
        if missing > 0 {
            notes.push(t(
                &format!(
                    "{missing} village(s) have no registered population: population and incidence are left blank for every group that contains one, and for the total."
                ),
                &format!(
                    "有 {missing} 个村未登记户籍人口：含这些村的各行及合计行，户籍人口和贫困发生率空缺。"
                ),
            ));
        }
        Sheet {
            heading: heading(
                county,
                t(
                    &format!("{county} — \"Double Clear\" Status"),
                    &format!("{county}脱贫攻坚“双清零”情况表"),
                ),
                as_of_line(self.as_of),
                opts,
            ),
            verdict: Some(verdict),
            columns,
            rows,
            total: Some(total),
            notes,
            landscape: true,
        }
    }
}

fn verdict_cell(reached: bool) -> Value {
    if reached {
        Value::marked(t("reached", "已实现"), Mark::Good)
    } else {
        Value::marked(t("NOT reached", "未实现"), Mark::Bad)
    }
}
