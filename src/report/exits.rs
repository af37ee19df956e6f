//! `report exits` (脱贫质量): the households lifted in a year — or all lifted
//! by its end — and how many of them meet each exit standard, all of them,
//! or have no assessment on record. A standard is met when its rule of the
//! register check (A01–A07, `crate::rules`) finds nothing in the household:
//! the report and the check cannot disagree.

use std::collections::HashMap;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::sheet::{Col, GroupsJson, JsonFigures, Parent, Sheet, Value, as_of_line, write_json};
use super::{
    By, Group, Layout, PageOpts, Report, Subtotals, Sum, county_title, group_rows, heading,
};
use crate::lang::Lang;
use crate::rules::case::{Case, Cases, Place, Reading, Statements};
use crate::rules::{self, Check, Ctx};

/// The standards, in the order of the form, each by its rule.
const STANDARDS: [&str; 7] = ["A01", "A02", "A03", "A04", "A05", "A06", "A07"];

#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub lifted: i64,
    pub no_record: i64,
    /// Per standard, in [`STANDARDS`] order: assessed households meeting it.
    pub meeting: [i64; 7],
    pub meeting_all: i64,
}

impl super::Sum for Figures {
    fn add(&mut self, o: &Figures) {
        self.lifted += o.lifted;
        self.no_record += o.no_record;
        for (a, b) in self.meeting.iter_mut().zip(o.meeting) {
            *a += b;
        }
        self.meeting_all += o.meeting_all;
    }
}

impl Figures {
    pub fn assessed(&self) -> i64 {
        self.lifted - self.no_record
    }
}

#[derive(Serialize)]
struct FiguresJson {
    households_lifted: i64,
    households_assessed: i64,
    households_without_assessment: i64,
    households_meeting_income: i64,
    households_meeting_food_and_clothing: i64,
    households_meeting_housing: i64,
    households_meeting_water: i64,
    households_meeting_electricity: i64,
    households_meeting_schooling: i64,
    households_meeting_medical_insurance: i64,
    households_meeting_all: i64,
    meeting_all_percent: Option<f64>,
}

impl JsonFigures for Figures {
    fn json(&self) -> impl Serialize + '_ {
        let m = self.meeting;
        FiguresJson {
            households_lifted: self.lifted,
            households_assessed: self.assessed(),
            households_without_assessment: self.no_record,
            households_meeting_income: m[0],
            households_meeting_food_and_clothing: m[1],
            households_meeting_housing: m[2],
            households_meeting_water: m[3],
            households_meeting_electricity: m[4],
            households_meeting_schooling: m[5],
            households_meeting_medical_insurance: m[6],
            households_meeting_all: self.meeting_all,
            meeting_all_percent: super::percent(self.meeting_all, self.assessed()),
        }
    }
}

/// Which lifted households the report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Lifted in the year (a first lift, or a lift after a return).
    LiftedInYear,
    /// Lifted at the year's end, whenever.
    AllLifted,
}

pub struct Exits {
    pub county: (String, String),
    pub year: i64,
    pub which: Which,
    pub by: By,
    pub income_line: i64,
    pub groups: Vec<Group<Figures>>,
    pub subtotals: Vec<Group<Figures>>,
    pub totals: Figures,
}

/// What one household adds to its village's figures.
fn count(case: &Case, ctx: &Ctx, standards: &[&'static rules::Rule]) -> Figures {
    let mut f = Figures {
        lifted: 1,
        ..Figures::default()
    };
    if case.year.is_none() {
        f.no_record = 1;
        return f;
    }
    let mut all = true;
    for (i, rule) in standards.iter().enumerate() {
        let fails = match rule.check {
            Check::Household(check) => check(case, ctx).is_some(),
            Check::Person(check) => case.people.iter().any(|m| check(case, m, ctx).is_some()),
            Check::Village | Check::Monitoring => false,
        };
        if !fails {
            f.meeting[i] = 1;
        }
        all &= !fails;
    }
    f.meeting_all = i64::from(all);
    f
}

/// The figures per village of the households `which` picks in `year`.
pub fn per_village(
    conn: &Connection,
    year: i64,
    which: Which,
) -> Result<(HashMap<String, Figures>, i64)> {
    let line = crate::standards::for_year(conn, year)?;
    let income_line = line.income_line;
    let ctx = Ctx {
        lang: Lang::En,
        year,
        line,
    };
    // A year's exits are read by index, household by household: two
    // threads take a half of the rowids each. All the lifted are streamed
    // in code order, which one thread keeps.
    let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
    let last: i64 = conn.query_row("SELECT ifnull(max(id), 0) FROM households", [], |r| {
        r.get(0)
    })?;
    let (Some(path), Which::LiftedInYear, true) = (path, which, last >= SPLIT_FROM) else {
        return Ok((
            villages_of(conn, &ctx, which, Place::default())?,
            income_line,
        ));
    };
    let middle = last / 2 + 1;
    let half = |lo: i64, hi: i64| Place {
        rowids: Some((lo, hi)),
        ..Place::default()
    };
    let ctx = &ctx;
    let out = std::thread::scope(|scope| {
        let upper = scope.spawn(|| -> Result<HashMap<String, Figures>> {
            let other = Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            villages_of(&other, ctx, which, half(middle, i64::MAX))
        });
        let mut lower = villages_of(conn, ctx, which, half(i64::MIN, middle))?;
        let upper = upper
            .join()
            .map_err(|_| anyhow::anyhow!("the counting thread stopped unexpectedly"))??;
        for (village, f) in upper {
            super::Sum::add(lower.entry(village).or_default(), &f);
        }
        Ok::<_, anyhow::Error>(lower)
    })?;
    Ok((out, income_line))
}

/// Below this many households one thread reads a year's exits as fast as
/// two: the second connection and its statements cost more than they save.
const SPLIT_FROM: i64 = 20_000;

/// The figures per village of the households of `place`.
fn villages_of(
    conn: &Connection,
    ctx: &Ctx,
    which: Which,
    place: Place,
) -> Result<HashMap<String, Figures>> {
    let standards: Vec<&'static rules::Rule> =
        STANDARDS.iter().filter_map(|c| rules::rule(c)).collect();
    let reading = match which {
        Which::LiftedInYear => Reading::LiftedInYear,
        Which::AllLifted => Reading::Streams,
    };
    let mut stmts = Statements::new(conn, &place, reading)?;
    let mut cases = Cases::new(conn, &mut stmts, &place, ctx.year, reading)?;
    let mut case = Case::default();
    let mut out: HashMap<String, Figures> = HashMap::new();
    while cases.next_into(&mut case)? {
        if !case.lifted() || (which == Which::LiftedInYear && !case.lifted_in_year) {
            continue;
        }
        if reading == Reading::LiftedInYear {
            cases.fill(&mut case)?;
        }
        let f = count(&case, ctx, &standards);
        out.entry(case.village_code.clone()).or_default().add(&f);
    }
    Ok(out)
}

pub fn build(conn: &Connection, year: i64, which: Which, by: By) -> Result<Exits> {
    if by == By::Zone {
        bail!(
            "{}",
            crate::lang::t(
                "--by: the exits report is by county, town or village",
                "--by：脱贫质量报表只能按县、乡镇或行政村汇总",
            )
        );
    }
    let county = super::county(conn)?;
    let (by_village, income_line) = per_village(conn, year, which)?;
    let (groups, subtotals, totals) = super::by_place(conn, &county, by_village, by)?;
    Ok(Exits {
        county,
        year,
        which,
        by,
        income_line,
        groups,
        subtotals,
        totals,
    })
}

fn year_end(year: i64) -> NaiveDate {
    i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31))
        .unwrap_or_default()
}

fn figure_cells(f: &Figures) -> Vec<Value> {
    let mut cells = vec![
        Value::int(f.lifted),
        Value::int(f.no_record),
        Value::int(f.assessed()),
    ];
    cells.extend(f.meeting.iter().map(|n| Value::int(*n)));
    cells.push(Value::int(f.meeting_all));
    cells.push(Value::num(super::percent(f.meeting_all, f.assessed()), 2));
    cells
}

fn figure_columns(lang: Lang) -> Vec<Col> {
    let meets = lang.t("Assessed households meeting", "达标户数（户）");
    vec![
        Col::number("lifted", lang.t("Lifted", "脱贫户数")),
        Col::number("no_record", lang.t("No record", "无收入保障记录")),
        Col::number("assessed", lang.t("Assessed", "有记录")),
        Col::number("income", lang.t("Income", "收入超过标准")).under(&meets),
        Col::number("food_clothing", lang.t("Food, clothes", "不愁吃穿")).under(&meets),
        Col::number("housing", lang.t("Housing", "住房安全")).under(&meets),
        Col::number("water", lang.t("Water", "饮水安全")).under(&meets),
        Col::number("electricity", lang.t("Power", "通生活用电")).under(&meets),
        Col::number("schooling", lang.t("School", "义务教育")).under(&meets),
        Col::number("medical", lang.t("Medical", "基本医疗")).under(&meets),
        Col::number("all", lang.t("All", "全部达标")).under(&meets),
        Col::percent("all_percent", lang.t("All (%)", "全部达标率（%）")),
    ]
}

impl Report for Exits {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        write_json(
            out,
            &GroupsJson {
                as_of: year_end(self.year),
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
        let rows = group_rows(&layout, &self.groups, &self.totals, figure_cells);
        let mut columns = vec![Col::code("key", lang.t("Code", "代码"))];
        if self.by == By::Village {
            columns.push(Col::text("town", lang.t("Town", "乡镇")));
        }
        columns.push(Col::text("name", self.by.label(lang)));
        columns.extend(figure_columns(lang));
        let title = match self.which {
            Which::LiftedInYear => lang.t(
                &format!(
                    "{} — Households Lifted in {}: Exit Standards",
                    county_title(lang, &self.county),
                    self.year
                ),
                &format!(
                    "{}{}年脱贫户脱贫质量（达标情况）统计表",
                    self.county.1, self.year
                ),
            ),
            Which::AllLifted => lang.t(
                &format!(
                    "{} — All Lifted Households in {}: Exit Standards",
                    county_title(lang, &self.county),
                    self.year
                ),
                &format!(
                    "{}{}年全部脱贫户脱贫质量（达标情况）统计表",
                    self.county.1, self.year
                ),
            ),
        };
        let mut sheet = Sheet::new(
            lang,
            heading(
                &self.county,
                title,
                as_of_line(lang, year_end(self.year)),
                opts,
            ),
            columns,
        );
        sheet.rows = rows;
        sheet.landscape = true;
        sheet.notes.push(lang.t(
            &format!(
                "Note: households lifted {} and on the register at the end of {}, held to their assessment of {}. Income: per-capita net income above {} yuan; food and clothes secure; housing not dilapidated (not graded C or D); safe drinking water; electricity; no child of 6–15 out of school; every member with basic medical insurance. A standard is met when its rule of the register check (A01–A07) finds nothing; a value not recorded does not fail it. All (%) = meeting all ÷ assessed × 100.",
                match self.which {
                    Which::LiftedInYear => format!("in {}", self.year),
                    Which::AllLifted => format!("by the end of {}", self.year),
                },
                self.year,
                self.year,
                self.income_line
            ),
            &format!(
                "注：统计{}、{}年底仍在册的脱贫户，按其{}年收入与保障记录核对。收入：人均纯收入超过 {} 元；不愁吃、不愁穿；住房非危房（非 C、D 级）；饮水安全；通生活用电；无 6–15 岁失学辍学儿童；成员均参加基本医疗保险。某项标准以疑点数据核查的对应规则（A01–A07）未发现问题为达标，未填写的项不视为不达标。全部达标率 = 全部达标户数 ÷ 有记录户数 × 100%。",
                match self.which {
                    Which::LiftedInYear => format!("{}年脱贫", self.year),
                    Which::AllLifted => format!("截至{}年底已脱贫", self.year),
                },
                self.year,
                self.year,
                self.income_line
            ),
        ));
        sheet
    }
}
