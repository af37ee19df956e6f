//! The register's numbered suspect-data rules (疑点数据): what the county
//! checks before every assessment and sends each township to correct.
//!
//! Each rule is a row of [`RULES`]: a stable code, its name in both
//! languages, a level (an error to correct, or a suspect to verify), what
//! it applies to (a household, a person, a village) and the years, and a
//! small function over a household in a year with its people and its
//! assessment (see [`case`]). One pass over the register runs every rule
//! asked for; the findings print through the one sheet model, so a
//! workbook with a sheet per rule comes with the other formats.

pub mod case;
mod checks;
pub mod output;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

use crate::lang::Lang;
use crate::register::Status;
use crate::standards::Line;
use crate::values::mask_id;
use case::{Case, Cases, Member, Place, Reading, Statements};

/// How sure a rule is that the data is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Wrong by the standards or by the record itself: correct it.
    Error,
    /// Unlikely, to be verified in the village: correct it or confirm it.
    Suspect,
}

impl Level {
    pub fn label(self, lang: Lang) -> String {
        match self {
            Level::Error => lang.t("error", "错误"),
            Level::Suspect => lang.t("suspect", "疑点"),
        }
    }
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Household,
    Person,
    Village,
}

impl Scope {
    pub fn label(self, lang: Lang) -> String {
        match self {
            Scope::Household => lang.t("household", "户"),
            Scope::Person => lang.t("person", "人"),
            Scope::Village => lang.t("village", "村"),
        }
    }
}

type HouseholdCheck = fn(&Case, &Ctx) -> Option<String>;
type PersonCheck = fn(&Case, &Member, &Ctx) -> Option<String>;

#[derive(Clone, Copy)]
pub enum Check {
    Household(HouseholdCheck),
    Person(PersonCheck),
    /// A poor village lifted in the year (see [`village_incidence`]).
    Village,
    /// A household's monitoring record left incomplete (see
    /// [`monitoring_not_stated`]): registered or not, so not a case.
    Monitoring,
}

/// One rule of the register.
pub struct Rule {
    pub code: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub level: Level,
    pub scope: Scope,
    /// The first year it applies to (the register's first is 2014).
    pub since: i64,
    /// Whether it reads the household's assessment of the year, so that a
    /// household without one is not held to it.
    pub needs_assessment: bool,
    pub check: Check,
}

impl Rule {
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.en, self.zh)
    }
}

const fn household(
    code: &'static str,
    level: Level,
    needs_assessment: bool,
    en: &'static str,
    zh: &'static str,
    check: HouseholdCheck,
) -> Rule {
    Rule {
        code,
        en,
        zh,
        level,
        scope: Scope::Household,
        since: 2014,
        needs_assessment,
        check: Check::Household(check),
    }
}

const fn person(
    code: &'static str,
    level: Level,
    en: &'static str,
    zh: &'static str,
    check: PersonCheck,
) -> Rule {
    Rule {
        code,
        en,
        zh,
        level,
        scope: Scope::Person,
        since: 2014,
        needs_assessment: false,
        check: Check::Person(check),
    }
}

use Level::{Error, Suspect};

/// Every rule, in the order they are printed. A code is never reused for
/// another rule: townships quote them back.
pub const RULES: &[Rule] = &[
    household(
        "A01",
        Error,
        true,
        "lifted, income not above the year's line",
        "已脱贫但人均纯收入未超过当年标准",
        checks::lifted_income_below_line,
    ),
    household(
        "A02",
        Error,
        true,
        "lifted, food or clothing not secure",
        "已脱贫但未实现不愁吃、不愁穿",
        checks::lifted_food_or_clothing,
    ),
    household(
        "A03",
        Error,
        true,
        "lifted, living in a dilapidated house",
        "已脱贫但住房为危房",
        checks::lifted_unsafe_housing,
    ),
    household(
        "A04",
        Error,
        true,
        "lifted, no safe drinking water",
        "已脱贫但未解决安全饮水",
        checks::lifted_unsafe_water,
    ),
    household(
        "A05",
        Error,
        true,
        "lifted, no electricity for living",
        "已脱贫但未通生活用电",
        checks::lifted_no_electricity,
    ),
    person(
        "A06",
        Error,
        "lifted, a child of compulsory-school age out of school",
        "已脱贫但有义务教育阶段适龄儿童失学辍学",
        checks::lifted_child_out_of_school,
    ),
    person(
        "A07",
        Error,
        "lifted, a member without basic medical insurance",
        "已脱贫但有成员未参加基本医疗保险",
        checks::lifted_no_medical_insurance,
    ),
    household(
        "B01",
        Suspect,
        true,
        "not lifted, income twice the line or more",
        "未脱贫但人均纯收入达到标准两倍以上",
        checks::poor_income_far_above,
    ),
    household(
        "B02",
        Suspect,
        true,
        "income below 500 or above 30,000 yuan",
        "人均纯收入低于 500 元或高于 30000 元",
        checks::income_out_of_range,
    ),
    household(
        "B03",
        Suspect,
        true,
        "wage income without a member at work, or the reverse",
        "有工资性收入但无人务工，或有人务工但无工资性收入",
        checks::wage_income_without_work,
    ),
    household(
        "C01",
        Suspect,
        false,
        "cause illness, every member healthy",
        "致贫原因为因病，但成员均健康",
        checks::cause_illness_all_healthy,
    ),
    household(
        "C02",
        Suspect,
        false,
        "cause schooling, no member at school",
        "致贫原因为因学，但无在校生",
        checks::cause_schooling_no_student,
    ),
    household(
        "C03",
        Suspect,
        false,
        "cause disability, no disabled member",
        "致贫原因为因残，但无残疾成员",
        checks::cause_disability_none_disabled,
    ),
    person(
        "D01",
        Error,
        "spouse of the same sex as the head",
        "配偶与户主性别相同",
        checks::spouse_same_sex,
    ),
    person(
        "D02",
        Error,
        "gender against the relation or the ID number",
        "性别与关系或身份证号不符",
        checks::gender_against_relation,
    ),
    person(
        "D03",
        Suspect,
        "aged 16–65 and healthy, but without labour",
        "16–65 岁且健康，但为无劳动力或丧失劳动力",
        checks::working_age_healthy_without_labour,
    ),
    person(
        "D04",
        Suspect,
        "without labour, but months of work",
        "无劳动力或丧失劳动力，但有务工时间",
        checks::no_labour_but_work_months,
    ),
    person(
        "D05",
        Error,
        "more than 12 months of work in a year",
        "务工时间超过 12 个月",
        checks::work_months_over_12,
    ),
    person(
        "D06",
        Suspect,
        "a student over 30",
        "在校生年龄超过 30 岁",
        checks::student_over_30,
    ),
    household(
        "E01",
        Suspect,
        false,
        "subsistence-allowance household, no member receiving it or no allowance paid",
        "低保贫困户但无人享受低保或无低保金",
        checks::low_income_without_dibao,
    ),
    household(
        "E02",
        Suspect,
        true,
        "household in extreme-poverty care, no support paid",
        "特困供养贫困户但无特困供养金",
        checks::extreme_poverty_without_support,
    ),
    person(
        "E03",
        Suspect,
        "disabled, no disability certificate",
        "残疾但无残疾人证",
        checks::disabled_without_certificate,
    ),
    person(
        "E04",
        Suspect,
        "disability certificate, health recorded as healthy",
        "持残疾人证但健康状况为健康",
        checks::certificate_but_healthy,
    ),
    Rule {
        code: "F01",
        en: "village lifted with incidence at or above the line",
        zh: "贫困村出列时贫困发生率未降至标准以下",
        level: Error,
        scope: Scope::Village,
        since: 2014,
        needs_assessment: false,
        check: Check::Village,
    },
    Rule {
        code: "G01",
        en: "monitored, risk or elimination method not stated",
        zh: "监测对象的风险或风险消除方式为未注明",
        level: Suspect,
        scope: Scope::Household,
        since: 2021,
        needs_assessment: false,
        check: Check::Monitoring,
    },
];

/// What every rule of a pass is handed beside the household.
pub struct Ctx {
    pub lang: Lang,
    pub year: i64,
    pub line: Line,
}

impl Ctx {
    pub fn income_line_fen(&self) -> i64 {
        self.line.income_line * 100
    }
}

/// The rule of `code`, typed in any case.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code.trim()))
}

/// The rules a code that names none was meant for: the one it names once
/// letters typed for look-alike digits are read as digits (`c0l`, `CO1`
/// for C01), else those one edit away (rule codes are a letter and two
/// digits, so one edit is the typo and two are another rule).
pub fn near(code: &str) -> Vec<&'static Rule> {
    let typed: String = code
        .trim()
        .to_uppercase()
        .chars()
        .enumerate()
        .map(|(i, c)| match (i, c) {
            (1.., 'O') => '0',
            (1.., 'L' | 'I') => '1',
            _ => c,
        })
        .collect();
    if let Some(rule) = rule(&typed) {
        return vec![rule];
    }
    RULES
        .iter()
        .filter(|r| strsim::osa_distance(&typed, r.code) == 1)
        .take(3)
        .collect()
}

/// One row at fault.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub town: String,
    pub town_name: String,
    pub village: String,
    pub village_name: String,
    pub household: Option<String>,
    pub person: Option<String>,
    pub name: String,
    /// Masked: the row is sent to the township, which has the register.
    pub id_number: Option<String>,
    pub values: String,
}

/// The findings of each rule asked for, in [`RULES`] order.
pub struct Findings {
    pub year: i64,
    pub line: Line,
    pub place: Place,
    /// The town, or the town and village, the pass was narrowed to, by name.
    pub place_name: Option<String>,
    pub rules: Vec<(&'static Rule, Vec<Finding>)>,
    pub households_checked: u64,
}

impl Findings {
    pub fn count(&self, level: Level) -> usize {
        self.rules
            .iter()
            .filter(|(r, _)| r.level == level)
            .map(|(_, f)| f.len())
            .sum()
    }
}

/// Runs `rules` over the households of `place` in `year`.
pub fn run(
    conn: &Connection,
    rules: &[&'static Rule],
    year: i64,
    place: Place,
    lang: Lang,
) -> Result<Findings> {
    let ctx = Ctx {
        lang,
        year,
        line: crate::standards::for_year(conn, year)?,
    };
    let mut found: Vec<Vec<Finding>> = vec![Vec::new(); rules.len()];
    let mut checked = 0u64;
    let household_rules = rules
        .iter()
        .any(|r| !matches!(r.check, Check::Village | Check::Monitoring) && r.since <= year);
    if household_rules {
        let mut stmts = Statements::new(conn, &place, Reading::Streams)?;
        let mut cases = Cases::new(conn, &mut stmts, &place, year, Reading::Streams)?;
        let mut case = Case::default();
        while cases.next_into(&mut case)? {
            if !case.status.is_some_and(Status::registered) {
                continue;
            }
            checked += 1;
            for (i, rule) in rules.iter().enumerate() {
                if rule.since > year || (rule.needs_assessment && case.year.is_none()) {
                    continue;
                }
                match rule.check {
                    Check::Household(f) => {
                        if let Some(values) = f(&case, &ctx) {
                            found[i].push(of_household(&case, values));
                        }
                    }
                    Check::Person(f) => {
                        for m in &case.people {
                            if let Some(values) = f(&case, m, &ctx) {
                                found[i].push(of_person(&case, m, values));
                            }
                        }
                    }
                    Check::Village | Check::Monitoring => {}
                }
            }
        }
    }
    for (i, rule) in rules.iter().enumerate() {
        if matches!(rule.check, Check::Village) && rule.since <= year {
            found[i] = village_incidence(conn, &ctx, &place)?;
        }
        if matches!(rule.check, Check::Monitoring) && rule.since <= year {
            found[i] = monitoring_not_stated(conn, &ctx, &place)?;
        }
    }
    let place_name = match (&place.village, &place.town) {
        (Some(v), _) => conn
            .query_row(
                "SELECT t.name || v.name FROM villages v JOIN towns t ON t.code = v.town
                  WHERE v.code = ?1",
                [v],
                |r| r.get(0),
            )
            .optional()?,
        (None, Some(t)) => conn
            .query_row("SELECT name FROM towns WHERE code = ?1", [t], |r| r.get(0))
            .optional()?,
        (None, None) => None,
    };
    Ok(Findings {
        year,
        line: ctx.line,
        place,
        place_name,
        rules: rules.iter().copied().zip(found).collect(),
        households_checked: checked,
    })
}

fn of_household(case: &Case, values: String) -> Finding {
    Finding {
        town: case.town_code.clone(),
        town_name: case.town.clone(),
        village: case.village_code.clone(),
        village_name: case.village.clone(),
        household: Some(case.code.clone()),
        person: None,
        name: case.head_name.clone(),
        id_number: Some(mask_id(&case.id_number)),
        values,
    }
}

fn of_person(case: &Case, m: &Member, values: String) -> Finding {
    Finding {
        person: Some(m.code.clone()),
        name: m.name.clone(),
        id_number: Some(mask_id(&m.id_number)),
        ..of_household(case, values)
    }
}

/// Poor villages lifted (出列) in the year whose poor people, on the day,
/// were at or above the incidence line of their registered population.
fn village_incidence(conn: &Connection, ctx: &Ctx, place: &Place) -> Result<Vec<Finding>> {
    let mut villages = conn.prepare(
        "SELECT v.code, v.name, v.town, t.name, v.lifted_on, v.population
           FROM villages v JOIN towns t ON t.code = v.town
          WHERE v.poor_village = 1 AND v.lifted_on >= ?1 AND v.lifted_on <= ?2
            AND (?3 IS NULL OR v.town = ?3) AND (?4 IS NULL OR v.code = ?4)
          ORDER BY v.code",
    )?;
    let mut households = conn.prepare_cached(
        "SELECT id, registered_on, lifted_on, members FROM households WHERE village = ?1",
    )?;
    let year_start = format!("{}-01-01", ctx.year);
    let steps = crate::register::Steps::load_with_people(conn, &year_start)?;
    let rows: Vec<(String, String, String, String, String, Option<i64>)> = villages
        .query_map(
            rusqlite::params![
                format!("{}-01-01", ctx.year),
                format!("{}-12-31", ctx.year),
                place.town,
                place.village
            ],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (code, name, town, town_name, lifted_on, population) in rows {
        let Some(population) = population.filter(|p| *p > 0) else {
            continue;
        };
        let mut poor = 0i64;
        let mut hh = households.query([&code])?;
        while let Some(r) = hh.next()? {
            let (id, registered, lifted, members): (i64, String, Option<String>, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let history = steps.history(id, &registered, lifted.as_deref());
            if history.status_on(&lifted_on) == Status::Poor {
                poor += history.members_on(&lifted_on, members);
            }
        }
        // Compared in hundredths of a per cent, as the report prints it.
        let rate = crate::report::percent(poor, population).unwrap_or(0.0);
        if poor * 100 >= ctx.line.incidence_line * population {
            out.push(Finding {
                town,
                town_name,
                village: code,
                village_name: name.clone(),
                household: None,
                person: None,
                name,
                id_number: None,
                values: ctx.lang.t(
                    &format!(
                        "lifted {lifted_on}: {poor} poor of {population}, {rate:.2}% ≥ {}%",
                        ctx.line.incidence_line
                    ),
                    &format!(
                        "{lifted_on} 出列：贫困人口 {poor} 人，户籍人口 {population} 人，贫困发生率 {rate:.2}%，未低于 {}%",
                        ctx.line.incidence_line
                    ),
                ),
            });
        }
    }
    Ok(out)
}

/// Monitoring records identified by the end of the year whose first risk,
/// or whose elimination method, is not stated (未注明): what a list that
/// names households as monitored without saying why or how left, for the
/// township to complete with `fupin monitor update`.
fn monitoring_not_stated(conn: &Connection, ctx: &Ctx, place: &Place) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare(
        "SELECT v.town, t.name, m.village, v.name, m.code, m.head_name, m.id_number,
                m.identified_on, m.risk1, m.eliminated_on, m.elimination
           FROM monitoring m JOIN villages v ON v.code = m.village JOIN towns t ON t.code = v.town
          WHERE (m.risk1 = ?1 OR m.elimination = ?1) AND m.identified_on <= ?2
            AND (?3 IS NULL OR v.town = ?3) AND (?4 IS NULL OR m.village = ?4)
          ORDER BY v.town, m.village, m.code, m.identified_on",
    )?;
    let not_stated = crate::model::NOT_STATED;
    let rows = stmt.query_map(
        rusqlite::params![
            not_stated,
            format!("{}-12-31", ctx.year),
            place.town,
            place.village
        ],
        |r| {
            let identified: String = r.get(7)?;
            let risk: String = r.get(8)?;
            let eliminated: Option<String> = r.get(9)?;
            let method: Option<String> = r.get(10)?;
            let mut said = vec![ctx.lang.t(
                &format!("identified {identified}"),
                &format!("{identified} 识别"),
            )];
            if risk == not_stated {
                said.push(ctx.lang.t("risk not stated", "风险未注明"));
            }
            if let Some(day) = eliminated.filter(|_| method.as_deref() == Some(not_stated)) {
                said.push(ctx.lang.t(
                    &format!("eliminated {day}, method not stated"),
                    &format!("{day} 消除，消除方式未注明"),
                ));
            }
            let id: String = r.get(6)?;
            Ok(Finding {
                town: r.get(0)?,
                town_name: r.get(1)?,
                village: r.get(2)?,
                village_name: r.get(3)?,
                household: Some(r.get(4)?),
                person: None,
                name: r.get(5)?,
                id_number: Some(mask_id(&id)),
                values: said.join(&ctx.lang.t("; ", "；")),
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
