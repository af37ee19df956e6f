//! The progress report (脱贫攻坚历程): per period, households and people
//! registered so far, lifted in the period and remaining at its end, poor
//! villages remaining and the incidence — the road to the double clear,
//! for the county or per town.
//!
//! One pass over the covering index households_status(village,
//! registered_on, lifted_on, members), whatever the number of periods:
//! each household's two dates fall into one bucket each among the periods'
//! cut-off dates, and running sums over the buckets give every period's
//! figures. A figure is that of `report double-clear --as-of` on the
//! period's cut-off date.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Months, NaiveDate};
use rusqlite::Connection;

use super::shares::{self, VillageRange};
use super::sheet::{Chart, ChartSeries, Col, ColKind, Each, Mark, Row, Sheet, Value};
use super::{By, PageOpts, Report, county_title, heading, percent};
use crate::lang::{Lang, t};
use crate::register::{History, Status, Step as RegisterStep};
use crate::values::format_date;

/// Later steps of households, by rowid (see `crate::register`).
type Events = crate::register::Steps;

/// How long a period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Year,
    Quarter,
    Month,
}

impl Step {
    fn months(self) -> u32 {
        match self {
            Step::Year => 12,
            Step::Quarter => 3,
            Step::Month => 1,
        }
    }

    /// The first day of the period holding `d`.
    fn start_of(self, d: NaiveDate) -> NaiveDate {
        let m0 = (d.month0() / self.months()) * self.months();
        NaiveDate::from_ymd_opt(d.year(), m0 + 1, 1).unwrap_or(d)
    }

    /// The period's label: 2019, 2019Q1, 2019-03.
    fn label(self, start: NaiveDate) -> String {
        match self {
            Step::Year => start.year().to_string(),
            Step::Quarter => format!("{}Q{}", start.year(), start.month0() / 3 + 1),
            Step::Month => start.format("%Y-%m").to_string(),
        }
    }
}

/// Which day of a period its figures are taken on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AsOfEach {
    /// The period's last day
    End,
    /// The period's first day
    Start,
}

/// One period of the report.
#[derive(Debug, Clone)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The day the figures are taken on.
    pub as_of: NaiveDate,
    pub label: String,
}

/// The periods from the one holding `from` to the one holding `to`.
pub fn periods(from: NaiveDate, to: NaiveDate, step: Step, each: AsOfEach) -> Result<Vec<Period>> {
    if from > to {
        bail!(
            "{}",
            t(
                &format!("--from {from} is after --to {to}"),
                &format!("--from {from} 晚于 --to {to}"),
            )
        );
    }
    let mut out = Vec::new();
    let mut start = step.start_of(from);
    while start <= to {
        let next = start
            .checked_add_months(Months::new(step.months()))
            .context("a period past the last date there is")?;
        let end = next.pred_opt().unwrap_or(next);
        out.push(Period {
            start,
            end,
            as_of: match each {
                AsOfEach::End => end,
                AsOfEach::Start => start,
            },
            label: step.label(start),
        });
        if out.len() > 1200 {
            bail!(
                "{}",
                t(
                    "more than 1,200 periods; choose a longer --step or a shorter range",
                    "超过 1200 个统计期；请用更长的 --step 或更短的时间范围",
                )
            );
        }
        start = next;
    }
    Ok(out)
}

/// The figures of one group on one period's cut-off date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub registered_households: i64,
    pub registered_people: i64,
    pub lifted_households: i64,
    pub lifted_people: i64,
    pub remaining_households: i64,
    pub remaining_people: i64,
    /// Returned to poverty in the period.
    pub returned_households: i64,
    pub returned_people: i64,
    /// Removed from the register or left it (自然减少) in the period.
    pub off_register_households: i64,
    pub off_register_people: i64,
    pub poor_villages_remaining: i64,
    /// Registered population, if every village of the group has one.
    pub population: Option<i64>,
}

impl Figures {
    pub fn incidence_percent(&self) -> Option<f64> {
        self.population
            .and_then(|p| percent(self.remaining_people, p))
    }

    /// The figures of a whole range: what happened in a period (lifted,
    /// returned, off the register) summed over the periods, what stands on
    /// a cut-off date (registered so far, remaining, poor villages, the
    /// population) as of the last one.
    pub fn over(periods: &[Figures]) -> Option<Figures> {
        let mut total = periods.last()?.clone();
        total.lifted_households = periods.iter().map(|f| f.lifted_households).sum();
        total.lifted_people = periods.iter().map(|f| f.lifted_people).sum();
        total.returned_households = periods.iter().map(|f| f.returned_households).sum();
        total.returned_people = periods.iter().map(|f| f.returned_people).sum();
        total.off_register_households = periods.iter().map(|f| f.off_register_households).sum();
        total.off_register_people = periods.iter().map(|f| f.off_register_people).sum();
        Some(total)
    }

    /// Two groups' figures on the same date, as one.
    fn plus(&self, o: &Figures) -> Figures {
        Figures {
            registered_households: self.registered_households + o.registered_households,
            registered_people: self.registered_people + o.registered_people,
            lifted_households: self.lifted_households + o.lifted_households,
            lifted_people: self.lifted_people + o.lifted_people,
            remaining_households: self.remaining_households + o.remaining_households,
            remaining_people: self.remaining_people + o.remaining_people,
            returned_households: self.returned_households + o.returned_households,
            returned_people: self.returned_people + o.returned_people,
            off_register_households: self.off_register_households + o.off_register_households,
            off_register_people: self.off_register_people + o.off_register_people,
            poor_villages_remaining: self.poor_villages_remaining + o.poor_villages_remaining,
            population: self.population.zip(o.population).map(|(a, b)| a + b),
        }
    }
}

/// The county's figures period by period, from its towns'.
fn county_periods(series: &[Series], periods: usize) -> Vec<Figures> {
    let zero = Figures {
        population: Some(0),
        ..Figures::default()
    };
    (0..periods)
        .map(|k| {
            series
                .iter()
                .filter_map(|s| s.periods.get(k))
                .fold(zero.clone(), |sum, f| sum.plus(f))
        })
        .collect()
}

/// A county's or a town's figures, period by period.
#[derive(Debug, Clone)]
pub struct Series {
    pub code: String,
    pub name: String,
    pub periods: Vec<Figures>,
}

#[derive(Debug, Clone)]
pub struct Progress {
    pub county: (String, String),
    pub step: Step,
    pub by: By,
    pub periods: Vec<Period>,
    pub series: Vec<Series>,
}

/// Counts and people per bucket; bucket 0 is on or before the day before
/// the first period, bucket k + 1 the k-th period, the last after them all.
/// `registered` and `lifted` change the households and people on the
/// register and lifted (their running sums are those of a cut-off date);
/// the rest are what happened in the period.
#[derive(Clone)]
struct Buckets {
    registered: Vec<(i64, i64)>,
    lifted: Vec<(i64, i64)>,
    lifts: Vec<(i64, i64)>,
    returned: Vec<(i64, i64)>,
    /// Removals and natural decreases.
    deregistered: Vec<(i64, i64)>,
}

impl Buckets {
    fn new(n: usize) -> Buckets {
        Buckets {
            registered: vec![(0, 0); n + 2],
            lifted: vec![(0, 0); n + 2],
            lifts: vec![(0, 0); n + 2],
            returned: vec![(0, 0); n + 2],
            deregistered: vec![(0, 0); n + 2],
        }
    }

    fn add(&mut self, o: &Buckets) {
        for (mine, theirs) in [
            (&mut self.registered, &o.registered),
            (&mut self.lifted, &o.lifted),
            (&mut self.lifts, &o.lifts),
            (&mut self.returned, &o.returned),
            (&mut self.deregistered, &o.deregistered),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.0 += b.0;
                a.1 += b.1;
            }
        }
    }

    /// A household with later steps or people who came and went: on each
    /// day something changed, what it changed on the register and among
    /// the lifted; and each step in its period, with the household's
    /// members on the period's cut-off, as `report double-clear` counts
    /// them on that day.
    fn history(&mut self, cuts: &Cuts, history: &History, members: i64) {
        let mut days: Vec<&str> = history.transitions().map(|(d, _, _)| d).collect();
        days.extend(history.people_days());
        days.sort_unstable();
        days.dedup();
        let mut before = ((0, 0), (0, 0));
        for day in days {
            let b = bucket(&cuts.keys, day.as_bytes());
            let status = history.status_on(day);
            let m = history.members_on(day, members);
            let on = |yes: bool| if yes { (1, m) } else { (0, 0) };
            let now = (on(status.registered()), on(status == Status::Lifted));
            for (slot, (was, is)) in [
                (&mut self.registered, (before.0, now.0)),
                (&mut self.lifted, (before.1, now.1)),
            ] {
                if let Some(s) = slot.get_mut(b) {
                    s.0 += is.0 - was.0;
                    s.1 += is.1 - was.1;
                }
            }
            before = now;
        }
        for (date, step, _) in history.transitions() {
            let b = bucket(&cuts.keys, date.as_bytes());
            let day = cuts.days.get(b).map_or(date, String::as_str);
            let m = history.members_on(day, members);
            let slot = match step {
                RegisterStep::Registered => continue,
                RegisterStep::Lifted => &mut self.lifts,
                RegisterStep::Returned => &mut self.returned,
                RegisterStep::Removed | RegisterStep::Left => &mut self.deregistered,
            };
            if let Some(s) = slot.get_mut(b) {
                s.0 += 1;
                s.1 += m;
            }
        }
    }
}

/// The cut-off dates, as numbers to bucket by and as the dates a
/// household's members are counted on.
struct Cuts {
    keys: Vec<u32>,
    days: Vec<String>,
}

/// A `YYYY-MM-DD` date as a number that orders as the dates do
/// (`y·512 + m·32 + d`), read from its bytes: comparing numbers instead of
/// strings halves the cost of the pass. Anything else is 0, before every
/// cut-off (the schema's CHECKs admit only such dates).
fn day_key(date: &[u8]) -> u32 {
    let digit = |i: usize| {
        date.get(i)
            .map_or(0, |b| u32::from(b.wrapping_sub(b'0')) % 10)
    };
    if date.len() != 10 {
        return 0;
    }
    let y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
    let m = digit(5) * 10 + digit(6);
    let d = digit(8) * 10 + digit(9);
    y * 512 + m * 32 + d
}

/// The cut-off dates: the one before the first period, then each
/// period's. A date falls in the bucket of the first cut-off on or after
/// it.
fn cuts(periods: &[Period], step: Step, each: AsOfEach) -> Cuts {
    let keys = cutoffs(periods, step, each);
    let days = cutoff_days(periods, step, each)
        .into_iter()
        .map(format_date)
        .collect();
    Cuts { keys, days }
}

fn cutoffs(periods: &[Period], step: Step, each: AsOfEach) -> Vec<u32> {
    cutoff_days(periods, step, each)
        .into_iter()
        .map(|d| day_key(format_date(d).as_bytes()))
        .collect()
}

fn cutoff_days(periods: &[Period], step: Step, each: AsOfEach) -> Vec<NaiveDate> {
    let first = periods.first().map(|p| p.start);
    let before = first.map(|s| match each {
        AsOfEach::End => s.pred_opt().unwrap_or(s),
        AsOfEach::Start => s
            .checked_sub_months(Months::new(step.months()))
            .unwrap_or(s),
    });
    before
        .into_iter()
        .chain(periods.iter().map(|p| p.as_of))
        .collect()
}

fn bucket(cutoffs: &[u32], date: &[u8]) -> usize {
    let key = day_key(date);
    cutoffs.partition_point(|c| *c < key)
}

/// Buckets per group for the villages in `[from, until)`; `group` maps a
/// village's code to its group.
fn count(
    conn: &Connection,
    cuts: &Cuts,
    groups: usize,
    group: &HashMap<String, usize>,
    range: VillageRange,
    events: &Events,
) -> Result<Vec<Buckets>> {
    // The rowid only where later steps are looked for by it: even unread,
    // a result column costs each row an instruction of SQLite's.
    let rowid = if events.is_empty() { "" } else { ", id" };
    let mut sql =
        format!("SELECT village, registered_on, lifted_on, members{rowid} FROM households WHERE 1");
    let mut params: Vec<&str> = Vec::new();
    sql.push_str(&range.start_sql(&mut params));
    sql.push_str(" ORDER BY village");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let n = cuts.keys.len().saturating_sub(1);
    let mut out = vec![Buckets::new(n); groups];
    // The village changes once in a few hundred rows: its group is looked
    // up then, not on every row.
    let mut village: Vec<u8> = Vec::new();
    let mut current: Option<usize> = None;
    while let Some(r) = rows.next()? {
        let v = r.get_ref(0)?.as_bytes()?;
        if v != village.as_slice() {
            if range.passed(v) {
                break;
            }
            village.clear();
            village.extend_from_slice(v);
            current = std::str::from_utf8(v)
                .ok()
                .and_then(|v| group.get(v).copied());
        }
        let Some(b) = current.and_then(|g| out.get_mut(g)) else {
            continue;
        };
        let members: i64 = r.get(3)?;
        if !events.is_empty()
            && let Some(later) = events.of(r.get(4)?)
        {
            let registered_on = r.get_ref(1)?.as_str()?;
            let lifted_on = r.get_ref(2)?.as_str_or_null()?;
            b.history(cuts, &later.history(registered_on, lifted_on), members);
            continue;
        }
        let reg = bucket(&cuts.keys, r.get_ref(1)?.as_bytes()?);
        b.registered[reg].0 += 1;
        b.registered[reg].1 += members;
        if let Some(lifted) = r.get_ref(2)?.as_bytes_or_null()? {
            let l = bucket(&cuts.keys, lifted);
            b.lifted[l].0 += 1;
            b.lifted[l].1 += members;
            b.lifts[l].0 += 1;
            b.lifts[l].1 += members;
        }
    }
    Ok(out)
}

/// [`count`] over every village, shared by two threads for a file.
fn count_all(
    conn: &Connection,
    cuts: &Cuts,
    groups: usize,
    group: &HashMap<String, usize>,
    villages: &[String],
) -> Result<Vec<Buckets>> {
    // Members before the first cut-off add up in bucket 0 whatever they
    // were: only people who came or went after it are read.
    let since = cuts.days.first().map_or("", String::as_str);
    let events = crate::register::Steps::load_with_people(conn, since)?;
    let shares = shares::over_villages(conn, villages, |conn, range| {
        count(conn, cuts, groups, group, range, &events)
    })?;
    let mut shares = shares.into_iter();
    let mut total = shares
        .next()
        .unwrap_or_else(|| vec![Buckets::new(cuts.keys.len().saturating_sub(1)); groups]);
    for share in shares {
        for (a, b) in total.iter_mut().zip(&share) {
            a.add(b);
        }
    }
    Ok(total)
}

struct VillageRow {
    code: String,
    town: String,
    population: Option<i64>,
    /// (registered on, lifted on) of a poor village.
    poor: Option<(String, Option<String>)>,
}

/// The first registration and the last lift (or registration), for the
/// default range.
pub fn span(conn: &Connection) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let (first, last_reg, last_lift): (Option<String>, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT min(registered_on), max(registered_on), max(lifted_on) FROM households",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
    let parse = |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
    let last = parse(last_lift).max(parse(last_reg.clone()));
    Ok(parse(first).zip(last))
}

pub fn build(
    conn: &Connection,
    periods: Vec<Period>,
    step: Step,
    each: AsOfEach,
    by: By,
) -> Result<Progress> {
    let county = super::county(conn)?;
    if !matches!(by, By::County | By::Town) {
        bail!(
            "{}",
            t(
                "report progress is by county or by town",
                "历程报表只能按县或按乡镇",
            )
        );
    }
    let cuts = cuts(&periods, step, each);
    let mut stmt = conn.prepare(
        "SELECT code, town, population, poor_village, registered_on, lifted_on FROM villages ORDER BY code",
    )?;
    let villages: Vec<VillageRow> = stmt
        .query_map([], |r| {
            let poor: bool = r.get(3)?;
            let registered: Option<String> = r.get(4)?;
            Ok(VillageRow {
                code: r.get(0)?,
                town: r.get(1)?,
                population: r.get(2)?,
                poor: match (poor, registered) {
                    (true, Some(reg)) => Some((reg, r.get(5)?)),
                    _ => None,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let codes: Vec<String> = villages.iter().map(|v| v.code.clone()).collect();

    // Groups: the county, or each town in code order.
    let mut stmt = conn.prepare("SELECT code, name FROM towns ORDER BY code")?;
    let towns: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let groups: Vec<(String, String)> = match by {
        By::Town => towns,
        _ => vec![county.clone()],
    };
    let index: HashMap<&str, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.0.as_str(), i))
        .collect();
    let mut members: Vec<Vec<&VillageRow>> = vec![Vec::new(); groups.len()];
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for v in &villages {
        let g = match by {
            By::Town => index.get(v.town.as_str()).copied(),
            _ => Some(0),
        };
        let Some(g) = g else { continue };
        group_of.insert(v.code.clone(), g);
        members[g].push(v);
    }
    let buckets = count_all(conn, &cuts, groups.len(), &group_of, &codes)
        .context("failed to count the households")?;
    let series = groups
        .into_iter()
        .zip(buckets.iter().zip(&members))
        .map(|((code, name), (b, vs))| Series {
            code,
            name,
            periods: figures(b, vs, &periods),
        })
        .collect();
    Ok(Progress {
        county,
        step,
        by,
        periods,
        series,
    })
}

/// Running sums over the buckets: each period's figures.
fn figures(b: &Buckets, villages: &[&VillageRow], periods: &[Period]) -> Vec<Figures> {
    let population: Option<i64> = villages.iter().map(|v| v.population).sum();
    let mut registered = b.registered[0];
    let mut lifted = b.lifted[0];
    periods
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let lk = b.lifts[k + 1];
            let (rk, uk) = (b.registered[k + 1], b.lifted[k + 1]);
            registered = (registered.0 + rk.0, registered.1 + rk.1);
            lifted = (lifted.0 + uk.0, lifted.1 + uk.1);
            let (returned, off) = (b.returned[k + 1], b.deregistered[k + 1]);
            let day = format_date(p.as_of);
            let poor_villages = villages
                .iter()
                .filter(|v| {
                    v.poor.as_ref().is_some_and(|(reg, lift)| {
                        *reg <= day && lift.as_ref().is_none_or(|l| *l > day)
                    })
                })
                .count() as i64;
            Figures {
                registered_households: registered.0,
                registered_people: registered.1,
                lifted_households: lk.0,
                lifted_people: lk.1,
                remaining_households: registered.0 - lifted.0,
                remaining_people: registered.1 - lifted.1,
                returned_households: returned.0,
                returned_people: returned.1,
                off_register_households: off.0,
                off_register_people: off.1,
                poor_villages_remaining: poor_villages,
                population,
            }
        })
        .collect()
}

/// Bars of eight heights, one a period, scaled to the series' own
/// highest value: the shape of the road. A series that is zero
/// throughout is a flat line of the lowest bar.
pub fn sparkline(values: &[i64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0).max(0);
    values
        .iter()
        .map(|v| {
            if max == 0 || *v <= 0 {
                BARS[0]
            } else {
                let i = (*v as f64 / max as f64 * 7.0).round() as usize;
                BARS[i.min(7)]
            }
        })
        .collect()
}

/// One period of a series: its first and last days, the day its figures
/// are counted on, and the figures, named as `report double-clear` names
/// them.
#[derive(serde::Serialize)]
struct PeriodJson {
    from: String,
    to: String,
    as_of: String,
    households_registered: i64,
    people_registered: i64,
    households_lifted: i64,
    people_lifted: i64,
    poor_households_remaining: i64,
    poor_people_remaining: i64,
    households_returned: i64,
    people_returned: i64,
    households_off_register: i64,
    people_off_register: i64,
    poor_villages_remaining: i64,
    incidence_percent: Option<f64>,
    #[serde(flatten)]
    first_names: FirstPeriodNames,
}

/// The first names of a period's keys, kept beside the new ones for this
/// release: `end` was the day the figures are counted on (`as_of`), also
/// under `--as-of-each start`.
#[derive(serde::Serialize)]
struct FirstPeriodNames {
    end: String,
    registered_households: i64,
    registered_people: i64,
    lifted_households: i64,
    lifted_people: i64,
    remaining_households: i64,
    remaining_people: i64,
}

/// A series' periods, written one by one.
struct PeriodsJson<'a> {
    periods: &'a [Period],
    figures: &'a [Figures],
}

impl serde::Serialize for PeriodsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(
            self.periods
                .iter()
                .zip(self.figures)
                .map(|(p, f)| PeriodJson {
                    from: format_date(p.start),
                    to: format_date(p.end),
                    as_of: format_date(p.as_of),
                    households_registered: f.registered_households,
                    people_registered: f.registered_people,
                    households_lifted: f.lifted_households,
                    people_lifted: f.lifted_people,
                    poor_households_remaining: f.remaining_households,
                    poor_people_remaining: f.remaining_people,
                    households_returned: f.returned_households,
                    people_returned: f.returned_people,
                    households_off_register: f.off_register_households,
                    people_off_register: f.off_register_people,
                    poor_villages_remaining: f.poor_villages_remaining,
                    incidence_percent: f.incidence_percent(),
                    first_names: FirstPeriodNames {
                        end: format_date(p.as_of),
                        registered_households: f.registered_households,
                        registered_people: f.registered_people,
                        lifted_households: f.lifted_households,
                        lifted_people: f.lifted_people,
                        remaining_households: f.remaining_households,
                        remaining_people: f.remaining_people,
                    },
                }),
        )
    }
}

/// A county's or town's series: `key` and `name` as a group of any report
/// (`code`, its first name, kept for this release), then its periods.
#[derive(serde::Serialize)]
struct SeriesJson<'a> {
    key: &'a str,
    name: &'a str,
    periods: PeriodsJson<'a>,
    code: &'a str,
}

/// The span the report covers, as `report dispatch` gives its period.
#[derive(serde::Serialize)]
struct SpanJson {
    from: Option<String>,
    to: Option<String>,
    step: Step,
}

/// `period`, `by`, `series`; the span's first keys, `from`, `to` and
/// `step` at the top, kept for this release.
struct ProgressJson<'a>(&'a Progress);

impl<'a> serde::Serialize for ProgressJson<'a> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let p: &'a Progress = self.0;
        let from = p.periods.first().map(|x| format_date(x.start));
        let to = p.periods.last().map(|x| format_date(x.end));
        let mut map = s.serialize_map(None)?;
        map.serialize_entry(
            "period",
            &SpanJson {
                from: from.clone(),
                to: to.clone(),
                step: p.step,
            },
        )?;
        map.serialize_entry("by", &p.by)?;
        let series = |x: &'a Series| SeriesJson {
            key: &x.code,
            name: &x.name,
            periods: PeriodsJson {
                periods: &p.periods,
                figures: &x.periods,
            },
            code: &x.code,
        };
        map.serialize_entry(
            "series",
            &Each {
                items: &p.series,
                each: series,
            },
        )?;
        map.serialize_entry("from", &from)?;
        map.serialize_entry("to", &to)?;
        map.serialize_entry("step", &p.step)?;
        map.end()
    }
}

impl Report for Progress {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        super::sheet::write_json(out, &ProgressJson(self))
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let by_town = self.by == By::Town;
        let hh = lang.t("households", "户数（户）");
        let people = lang.t("people", "人数（人）");
        let registered = lang.t("Registered so far", "累计识别");
        let lifted = lang.t("Lifted in the period", "本期脱贫");
        let remaining = lang.t("Remaining", "期末未脱贫");
        let mut columns = Vec::new();
        if by_town {
            columns.push(Col::code("key", lang.t("Code", "代码")));
            columns.push(Col::text("name", lang.t("Town", "乡镇")));
        }
        columns.extend([
            Col::code("period", lang.t("Period", "统计期")),
            Col::date("end", lang.t("As of", "截止日期")),
            Col::number("registered_households", hh.clone()).under(&registered),
            Col::number("registered_people", people.clone()).under(&registered),
            Col::number("lifted_households", hh.clone()).under(&lifted),
            Col::number("lifted_people", people.clone()).under(&lifted),
            Col::number("remaining_households", hh).under(&remaining),
            Col::number("remaining_people", people).under(&remaining),
            Col::number(
                "returned_households",
                lang.t("Returned (households)", "本期返贫（户）"),
            ),
            Col::number(
                "off_register_households",
                lang.t("Off the register (households)", "本期剔除及自然减少（户）"),
            ),
            Col::number(
                "poor_villages_remaining",
                lang.t("Poor villages remaining", "未出列贫困村（个）"),
            ),
            Col::percent(
                "incidence_percent",
                lang.t("Incidence (%)", "贫困发生率（%）"),
            ),
            Col::new("trend", lang.t("Trend", "走势"), ColKind::Spark),
        ]);
        // The chart reads the table's own cells: found by key, so a column
        // added to the form never moves a chart onto another figure.
        let col = |key: &str| columns.iter().position(|c| c.key == key).unwrap_or(0);
        let (bars_col, line_col, category_col) = (
            col("remaining_people"),
            col("incidence_percent"),
            col("period"),
        );
        let cells = |place: (&String, &String),
                     label: &str,
                     as_of: NaiveDate,
                     f: &Figures,
                     trend: Value| {
            let mut cells = Vec::new();
            if by_town {
                cells.push(Value::text(place.0));
                cells.push(Value::text(place.1));
            }
            let remaining_cell = Value::int(f.remaining_people);
            cells.extend([
                Value::text(label),
                Value::text(format_date(as_of)),
                Value::int(f.registered_households),
                Value::int(f.registered_people),
                Value::int(f.lifted_households),
                Value::int(f.lifted_people),
                Value::int(f.remaining_households),
                if f.remaining_people == 0 && f.registered_people > 0 {
                    remaining_cell.with_mark(Mark::Good)
                } else {
                    remaining_cell
                },
                Value::int(f.returned_households),
                Value::int(f.off_register_households),
                Value::int(f.poor_villages_remaining),
                Value::num(f.incidence_percent(), 2),
                trend,
            ]);
            cells
        };
        let mut rows = Vec::new();
        let mut chart_series = Vec::new();
        for s in &self.series {
            let first_row = rows.len();
            let remaining_people: Vec<i64> = s.periods.iter().map(|f| f.remaining_people).collect();
            let spark = sparkline(&remaining_people);
            for (i, (p, f)) in self.periods.iter().zip(&s.periods).enumerate() {
                let trend = if i == 0 {
                    Value::text(spark.clone())
                } else {
                    Value::empty()
                };
                let place = (&s.code, &s.name);
                rows.push(Row::body(cells(place, &p.label, p.as_of, f, trend)));
            }
            chart_series.push(ChartSeries {
                name: s.name.clone(),
                bars: remaining_people,
                line: s.periods.iter().map(Figures::incidence_percent).collect(),
                first_row,
                bars_col,
                line_col,
                category_col,
            });
        }
        // The county period by period under its towns, and the range's
        // total, so a leader reads the county's road without adding up.
        let county = if by_town {
            county_periods(&self.series, self.periods.len())
        } else {
            self.series
                .first()
                .map(|s| s.periods.clone())
                .unwrap_or_default()
        };
        let county_name = lang.t("County", "全县");
        if by_town {
            for (p, f) in self.periods.iter().zip(&county) {
                let place = (&self.county.0, &county_name);
                rows.push(Row::subtotal(cells(
                    place,
                    &p.label,
                    p.as_of,
                    f,
                    Value::empty(),
                )));
            }
        }
        if let (Some(total), Some(last)) = (Figures::over(&county), self.periods.last()) {
            let place = (&self.county.0, &county_name);
            let label = lang.t("Total", "合计");
            rows.push(Row::total(cells(
                place,
                &label,
                last.as_of,
                &total,
                Value::empty(),
            )));
        }
        let title = lang.t(
            &format!(
                "{} — Poverty Alleviation Progress",
                county_title(lang, &self.county)
            ),
            &format!("{}脱贫攻坚历程统计表", self.county.1),
        );
        let when = match (self.periods.first(), self.periods.last()) {
            (Some(a), Some(b)) => lang.t(
                &format!("Period: {} to {}", format_date(a.start), format_date(b.end)),
                &format!(
                    "统计期间：{}至{}",
                    super::sheet::long_date(lang, a.start),
                    super::sheet::long_date(lang, b.end)
                ),
            ),
            _ => String::new(),
        };
        let mut sheet = Sheet::new(lang, heading(&self.county, title, when, opts), columns);
        sheet.rows = rows;
        // The county's last period, by town its towns added up, answers
        // the form's question first.
        if let Some(f) = county.last() {
            sheet.verdict = Some(
                if f.remaining_households == 0 && f.poor_villages_remaining == 0 {
                    (
                        lang.t("Double clear: REACHED", "双清零：已实现"),
                        Mark::Good,
                    )
                } else {
                    (
                        lang.t(
                            &format!(
                                "Remaining at the end: {} households, {} people",
                                f.remaining_households, f.remaining_people
                            ),
                            &format!(
                                "期末未脱贫：{} 户 {} 人",
                                f.remaining_households, f.remaining_people
                            ),
                        ),
                        Mark::Bad,
                    )
                },
            );
        }
        sheet.chart = Some(Chart {
            title: lang.t(
                "People remaining poor (bars) and incidence (line), by period",
                "各期末未脱贫人数（柱）与贫困发生率（线）",
            ),
            bars_label: lang.t("People remaining", "未脱贫人数（人）"),
            line_label: lang.t("Incidence (%)", "贫困发生率（%）"),
            categories: self.periods.iter().map(|p| p.label.clone()).collect(),
            series: chart_series,
        });
        sheet.notes = vec![lang.t(
            "Note: each period's figures are those of the double-clear report as of its cut-off date; lifted = lifted after the previous cut-off, up to this one; incidence = remaining poor people ÷ registered population × 100.",
            "注：各期数据即截止日期的“双清零”报表数据；本期脱贫指上一截止日期之后至本期截止日期（含）脱贫；贫困发生率 = 未脱贫人口 ÷ 户籍人口 × 100%。",
        )];
        sheet.notes.push(if by_town {
            lang.t(
                "County rows add the towns up period by period. Total: lifted, returned and off the register summed over the periods; registered, remaining, poor villages and incidence as of the last cut-off.",
                "全县行为各乡镇逐期相加。合计行：本期脱贫、返贫、剔除及自然减少为各期之和；累计建档、未脱贫、未出列贫困村与贫困发生率取最后一期截止日期数。",
            )
        } else {
            lang.t(
                "Total: lifted, returned and off the register summed over the periods; registered, remaining, poor villages and incidence as of the last cut-off.",
                "合计行：本期脱贫、返贫、剔除及自然减少为各期之和；累计建档、未脱贫、未出列贫困村与贫困发生率取最后一期截止日期数。",
            )
        });
        sheet.landscape = true;
        sheet
    }
}

/// The range of the default report: every year from the first
/// registration to the last lift.
pub fn default_range(conn: &Connection, lang: Lang) -> Result<(NaiveDate, NaiveDate)> {
    match span(conn)? {
        Some(range) => Ok(range),
        None => bail!(
            "{}",
            lang.t(
                "no households yet: nothing to show; import the households first",
                "尚无贫困户数据，无从统计；请先导入贫困户",
            )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn periods_cover_whole_calendar_units() {
        let p = periods(
            d("2019-02-10"),
            d("2019-08-01"),
            Step::Quarter,
            AsOfEach::End,
        )
        .unwrap_or_default();
        let labels: Vec<_> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2019Q1", "2019Q2", "2019Q3"]);
        assert_eq!(p[0].as_of, d("2019-03-31"));
        let m = periods(
            d("2014-01-01"),
            d("2020-12-31"),
            Step::Month,
            AsOfEach::Start,
        )
        .unwrap_or_default();
        assert_eq!(m.len(), 84);
        assert_eq!(m[1].as_of, d("2014-02-01"));
    }

    #[test]
    fn a_date_on_a_cut_off_counts_in_that_period() {
        let p = periods(d("2019-01-01"), d("2020-12-31"), Step::Year, AsOfEach::End)
            .unwrap_or_default();
        let cuts = cutoffs(&p, Step::Year, AsOfEach::End);
        let keys: Vec<u32> = ["2018-12-31", "2019-12-31", "2020-12-31"]
            .iter()
            .map(|d| day_key(d.as_bytes()))
            .collect();
        assert_eq!(cuts, keys);
        assert_eq!(bucket(&cuts, b"2018-12-31"), 0);
        assert_eq!(bucket(&cuts, b"2019-01-01"), 1);
        assert_eq!(bucket(&cuts, b"2019-12-31"), 1);
        assert_eq!(bucket(&cuts, b"2020-01-01"), 2);
        assert_eq!(bucket(&cuts, b"2021-01-01"), 3);
    }

    #[test]
    fn day_keys_order_as_the_dates_do() {
        let days = [
            "1999-12-31",
            "2000-01-01",
            "2000-01-31",
            "2000-02-01",
            "2000-12-31",
            "2001-01-01",
        ];
        let keys: Vec<u32> = days.iter().map(|d| day_key(d.as_bytes())).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert_eq!(day_key(b"junk"), 0);
    }

    #[test]
    fn sparklines_show_the_shape() {
        assert_eq!(sparkline(&[8, 4, 0]), "█▅▁");
        assert_eq!(sparkline(&[0, 0, 0]), "▁▁▁");
        assert_eq!(sparkline(&[]), "");
    }
}
