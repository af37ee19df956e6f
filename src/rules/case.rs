//! One household as the rules see it in a year: its place, its status at
//! the year's end, the people present then, and its assessment of the
//! year. Households are read one at a time from three queries ordered by
//! household code (households, people, assessments), merged as they come,
//! so a province's register is checked in the memory of one household.

use anyhow::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Rows, Statement};

use crate::register::{Status, Step, Steps};

/// A person present in the household at the year's end.
#[derive(Debug, Clone, Default)]
pub struct Member {
    pub code: String,
    pub name: String,
    pub id_number: String,
    pub relation: String,
    pub gender: Option<String>,
    pub birth_on: Option<String>,
    /// Whole years at the year's end.
    pub age: Option<i64>,
    pub schooling: Option<String>,
    pub health: Option<String>,
    pub labour: Option<String>,
    pub work: Option<String>,
    pub work_months: Option<i64>,
    pub medical_insurance: Option<bool>,
    pub dibao: Option<bool>,
    pub disability_certificate: Option<String>,
}

impl Member {
    fn has(field: &Option<String>, words: &[&str]) -> bool {
        field
            .as_deref()
            .is_some_and(|v| words.iter().any(|w| v.contains(w)))
    }

    /// 健康 and nothing else.
    pub fn healthy(&self) -> bool {
        self.health.as_deref().map(str::trim) == Some("健康")
    }

    pub fn disabled(&self) -> bool {
        Member::has(&self.health, &["残疾"])
    }

    pub fn ill(&self) -> bool {
        Member::has(&self.health, &["病"])
    }

    /// At school now: a grade, a school level, 在校; not 非在校生, 学龄前,
    /// or out of school.
    pub fn student(&self) -> bool {
        !self.out_of_school()
            && !Member::has(&self.schooling, &["非在校", "学龄前", "学前"])
            && Member::has(
                &self.schooling,
                &[
                    "年级",
                    "小学",
                    "初中",
                    "高中",
                    "中职",
                    "中专",
                    "技校",
                    "大专",
                    "本科",
                    "大学",
                    "研究生",
                    "在校",
                ],
            )
    }

    pub fn out_of_school(&self) -> bool {
        Member::has(&self.schooling, &["辍学", "失学"])
    }

    /// 无劳动力 or 丧失劳动力.
    pub fn without_labour(&self) -> bool {
        Member::has(&self.labour, &["无劳动力", "丧失劳动力"])
    }

    /// Away at work (务工), or months of it.
    pub fn working(&self) -> bool {
        Member::has(&self.work, &["务工", "就业", "公益性岗位"])
            || self.work_months.unwrap_or(0) > 0
    }
}

/// A household's year (amounts in fen).
#[derive(Debug, Clone, Default)]
pub struct Year {
    pub income: Option<i64>,
    pub wage_income: Option<i64>,
    pub dibao_paid: Option<i64>,
    pub tekun_paid: Option<i64>,
    pub food_secure: Option<bool>,
    pub clothing_secure: Option<bool>,
    pub dilapidated: Option<bool>,
    pub housing_grade: Option<String>,
    pub safe_water: Option<bool>,
    pub electricity: Option<bool>,
}

impl Year {
    /// Dilapidated by the flag or by a C or D grade.
    pub fn unsafe_housing(&self) -> bool {
        self.dilapidated == Some(true) || matches!(self.housing_grade.as_deref(), Some("c" | "d"))
    }
}

/// A household in the year.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub code: String,
    pub town_code: String,
    pub town: String,
    pub village_code: String,
    pub village: String,
    pub head_name: String,
    pub id_number: String,
    pub members: i64,
    pub attribute: Option<String>,
    pub cause: Option<String>,
    pub status: Option<Status>,
    /// Lifted within the year: a first lift, or a lift after a return.
    pub lifted_in_year: bool,
    pub people: Vec<Member>,
    pub year: Option<Year>,
}

impl Case {
    pub fn lifted(&self) -> bool {
        self.status == Some(Status::Lifted)
    }

    pub fn poor(&self) -> bool {
        self.status == Some(Status::Poor)
    }
}

/// Which households: all, a town's, or a village's.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub town: Option<String>,
    pub village: Option<String>,
    /// Households with rowids in `lo..hi` only: one of the halves a pass
    /// of two threads gives each.
    pub rowids: Option<(i64, i64)>,
}

impl Place {
    /// The condition on a household's village (`v` is `villages`).
    fn sql(&self) -> (&'static str, Option<&str>) {
        match (&self.village, &self.town) {
            (Some(v), _) => ("v.code = ?2", Some(v.as_str())),
            (None, Some(t)) => ("v.town = ?2", Some(t.as_str())),
            (None, None) => ("?2 IS NULL", None),
        }
    }
}

/// Whole years from `birth` to `on` (both ISO dates).
pub fn age_on(birth: &str, on: &str) -> Option<i64> {
    let (by, bmd) = (birth.get(..4)?.parse::<i64>().ok()?, birth.get(5..)?);
    let (oy, omd) = (on.get(..4)?.parse::<i64>().ok()?, on.get(5..)?);
    Some(oy - by - i64::from(omd < bmd))
}

/// The columns of a person the rules read, after the household's code.
const PERSON_COLUMNS: &str = "p.household, p.code, p.name, p.id_number, p.relation, p.gender,
    p.birth_on, p.schooling, p.health, p.labour, p.work, p.work_months, p.medical_insurance,
    p.dibao, p.disability_certificate";

/// The columns of a year the rules read, after the household's code.
const YEAR_COLUMNS: &str = "a.household, a.income, a.wage_income, a.dibao_paid, a.tekun_paid,
    a.food_secure, a.clothing_secure, a.dilapidated, a.housing_grade, a.safe_water, a.electricity";

/// How a pass reads the people and years of its households.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every household's, as streams merged with the households: the
    /// register check, which reads them all.
    Streams,
    /// Only the households lifted in the year (found by the lift date and
    /// the dated steps), their people and year read by index when the
    /// caller asks ([`Cases::fill`]): a year's exits are a few of the
    /// register's households.
    LiftedInYear,
}

/// The queries of a pass, prepared once.
pub struct Statements<'c> {
    households: Statement<'c>,
    people: Statement<'c>,
    years: Statement<'c>,
    one_household_people: Statement<'c>,
    one_household_year: Statement<'c>,
}

impl<'c> Statements<'c> {
    pub fn new(conn: &'c Connection, place: &Place, reading: Reading) -> Result<Statements<'c>> {
        let (cond, _) = place.sql();
        // Merged with the streams, households come in code order; the
        // year's exits need no order, and are few.
        let (lifted, order) = match reading {
            Reading::Streams => ("", "ORDER BY h.code"),
            Reading::LiftedInYear => (
                "AND (h.lifted_on >= substr(?1, 1, 4) || '-01-01' AND h.lifted_on <= ?1
                      OR h.code IN (SELECT household FROM household_events
                                     WHERE event = 'lifted' AND date >= substr(?1, 1, 4) || '-01-01'
                                       AND date <= ?1))",
                "",
            ),
        };
        let rowids = if place.rowids.is_some() {
            "AND h.id >= ?3 AND h.id < ?4"
        } else {
            ""
        };
        let households = conn.prepare(&format!(
            "SELECT h.id, h.code, v.town, t.name, h.village, v.name, h.head_name, h.id_number,
                    h.members, h.attribute, h.cause, h.registered_on, h.lifted_on
               FROM households h JOIN villages v ON v.code = h.village
               JOIN towns t ON t.code = v.town
              WHERE h.registered_on <= ?1 AND {cond} {rowids} {lifted}
              {order}"
        ))?;
        // The whole county's people come in the household index's order,
        // with no join: a person of a household outside the pass is passed
        // over by the merge. A town's or a village's are joined to it.
        let people = if place.town.is_none() && place.village.is_none() {
            conn.prepare(&format!(
                "SELECT {PERSON_COLUMNS} FROM people p
                  WHERE (p.joined_on IS NULL OR p.joined_on <= ?1)
                    AND (p.left_on IS NULL OR p.left_on > ?1) AND ?2 IS NULL
                  ORDER BY p.household"
            ))?
        } else {
            conn.prepare(&format!(
                "SELECT {PERSON_COLUMNS} FROM people p JOIN households h ON h.code = p.household
                   JOIN villages v ON v.code = h.village
                  WHERE (p.joined_on IS NULL OR p.joined_on <= ?1)
                    AND (p.left_on IS NULL OR p.left_on > ?1) AND {cond}
                  ORDER BY p.household"
            ))?
        };
        let years = conn.prepare(&format!(
            "SELECT {YEAR_COLUMNS} FROM assessments a WHERE a.year = ?1 ORDER BY a.household"
        ))?;
        let one_household_people = conn.prepare(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p
              WHERE p.household = ?2 AND (p.joined_on IS NULL OR p.joined_on <= ?1)
                AND (p.left_on IS NULL OR p.left_on > ?1)"
        ))?;
        let one_household_year = conn.prepare(&format!(
            "SELECT {YEAR_COLUMNS} FROM assessments a WHERE a.household = ?2 AND a.year = ?1"
        ))?;
        Ok(Statements {
            households,
            people,
            years,
            one_household_people,
            one_household_year,
        })
    }
}

/// Text of column `i` into `s`, reusing its buffer: a pass over millions
/// of people allocates for the first of them only.
fn text_into(r: &rusqlite::Row<'_>, i: usize, s: &mut String) -> rusqlite::Result<()> {
    s.clear();
    if let ValueRef::Text(b) = r.get_ref(i)? {
        s.push_str(&String::from_utf8_lossy(b));
    }
    Ok(())
}

fn opt_text_into(r: &rusqlite::Row<'_>, i: usize, s: &mut Option<String>) -> rusqlite::Result<()> {
    match r.get_ref(i)? {
        ValueRef::Text(b) => {
            let s = s.get_or_insert_with(String::new);
            s.clear();
            s.push_str(&String::from_utf8_lossy(b));
        }
        _ => *s = None,
    }
    Ok(())
}

/// A person's row into `m` (and its household's code into `household`).
fn person_into(
    r: &rusqlite::Row<'_>,
    as_of: &str,
    household: &mut String,
    m: &mut Member,
) -> rusqlite::Result<()> {
    let flag = |i: usize| -> rusqlite::Result<Option<bool>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(|v| v != 0))
    };
    text_into(r, 0, household)?;
    text_into(r, 1, &mut m.code)?;
    text_into(r, 2, &mut m.name)?;
    text_into(r, 3, &mut m.id_number)?;
    text_into(r, 4, &mut m.relation)?;
    opt_text_into(r, 5, &mut m.gender)?;
    opt_text_into(r, 6, &mut m.birth_on)?;
    m.age = m.birth_on.as_deref().and_then(|b| age_on(b, as_of));
    opt_text_into(r, 7, &mut m.schooling)?;
    opt_text_into(r, 8, &mut m.health)?;
    opt_text_into(r, 9, &mut m.labour)?;
    opt_text_into(r, 10, &mut m.work)?;
    m.work_months = r.get(11)?;
    m.medical_insurance = flag(12)?;
    m.dibao = flag(13)?;
    opt_text_into(r, 14, &mut m.disability_certificate)?;
    Ok(())
}

fn year_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Year)> {
    let flag = |i: usize| -> rusqlite::Result<Option<bool>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(|v| v != 0))
    };
    let y = Year {
        income: r.get(1)?,
        wage_income: r.get(2)?,
        dibao_paid: r.get(3)?,
        tekun_paid: r.get(4)?,
        food_secure: flag(5)?,
        clothing_secure: flag(6)?,
        dilapidated: flag(7)?,
        housing_grade: r.get(8)?,
        safe_water: flag(9)?,
        electricity: flag(10)?,
    };
    Ok((r.get(0)?, y))
}

/// Households one at a time.
pub struct Cases<'s, 'c> {
    households: Rows<'s>,
    /// The side streams, when the pass reads them all.
    streams: Option<(Rows<'s>, Rows<'s>)>,
    one_household_people: &'s mut Statement<'c>,
    one_household_year: &'s mut Statement<'c>,
    /// The first person of the stream not yet given to a household (when
    /// `person_ahead`), and people whose buffers are reused.
    ahead: (String, Member),
    person_ahead: bool,
    spare: Vec<Member>,
    /// The first year of its stream not yet given to a household.
    next_year: Option<(String, Year)>,
    registered: String,
    lifted: Option<String>,
    steps: Steps,
    as_of: String,
    year: i64,
    year_start: String,
}

impl<'s, 'c> Cases<'s, 'c> {
    pub fn new(
        conn: &Connection,
        stmts: &'s mut Statements<'c>,
        place: &Place,
        year: i64,
        reading: Reading,
    ) -> Result<Cases<'s, 'c>> {
        let as_of = format!("{year}-12-31");
        let (_, value) = place.sql();
        let Statements {
            households,
            people,
            years,
            one_household_people,
            one_household_year,
        } = stmts;
        let streams = match reading {
            Reading::Streams => Some((
                people.query(rusqlite::params![as_of, value])?,
                years.query([year])?,
            )),
            Reading::LiftedInYear => None,
        };
        let households = match place.rowids {
            Some((lo, hi)) => households.query(rusqlite::params![as_of, value, lo, hi])?,
            None => households.query(rusqlite::params![as_of, value])?,
        };
        let mut cases = Cases {
            households,
            streams,
            one_household_people,
            one_household_year,
            ahead: (String::new(), Member::default()),
            person_ahead: false,
            spare: Vec::new(),
            next_year: None,
            registered: String::new(),
            lifted: None,
            steps: Steps::load(conn)?,
            as_of,
            year,
            year_start: format!("{year}-01-01"),
        };
        cases.person_ahead = cases.read_person()?;
        cases.next_year = cases.read_year()?;
        Ok(cases)
    }

    /// Reads the next person of the stream into `ahead`; false at its end.
    fn read_person(&mut self) -> Result<bool> {
        let Some((people, _)) = &mut self.streams else {
            return Ok(false);
        };
        match people.next()? {
            Some(r) => {
                person_into(r, &self.as_of, &mut self.ahead.0, &mut self.ahead.1)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn read_year(&mut self) -> Result<Option<(String, Year)>> {
        let Some((_, years)) = &mut self.streams else {
            return Ok(None);
        };
        match years.next()? {
            Some(r) => Ok(Some(year_of(r)?)),
            None => Ok(None),
        }
    }

    /// Fills `case` with the next household; false at the end. `case` is
    /// reused, so a pass allocates for the largest household only. Over
    /// the year's exits, its people and year are left empty until
    /// [`Cases::fill`].
    pub fn next_into(&mut self, case: &mut Case) -> Result<bool> {
        let Some(r) = self.households.next()? else {
            return Ok(false);
        };
        let rowid: i64 = r.get(0)?;
        text_into(r, 1, &mut case.code)?;
        text_into(r, 2, &mut case.town_code)?;
        text_into(r, 3, &mut case.town)?;
        text_into(r, 4, &mut case.village_code)?;
        text_into(r, 5, &mut case.village)?;
        text_into(r, 6, &mut case.head_name)?;
        text_into(r, 7, &mut case.id_number)?;
        case.members = r.get(8)?;
        opt_text_into(r, 9, &mut case.attribute)?;
        opt_text_into(r, 10, &mut case.cause)?;
        text_into(r, 11, &mut self.registered)?;
        opt_text_into(r, 12, &mut self.lifted)?;
        let history = self
            .steps
            .history(rowid, &self.registered, self.lifted.as_deref());
        case.status = Some(history.status_on(&self.as_of));
        case.lifted_in_year = history.has_step(Step::Lifted, &self.year_start, &self.as_of);
        self.spare.append(&mut case.people);
        case.year = None;
        // People and years of households outside the pass (not registered
        // by the year's end, or of another place) are passed over.
        while self.person_ahead && self.ahead.0.as_str() <= case.code.as_str() {
            if self.ahead.0 == case.code {
                let mut m = self.spare.pop().unwrap_or_default();
                std::mem::swap(&mut m, &mut self.ahead.1);
                case.people.push(m);
            }
            self.person_ahead = self.read_person()?;
        }
        while let Some((household, _)) = &self.next_year
            && household.as_str() <= case.code.as_str()
        {
            if let Some((household, y)) = self.next_year.take()
                && household == case.code
            {
                case.year = Some(y);
            }
            self.next_year = self.read_year()?;
        }
        case.people.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(true)
    }

    /// Reads the people and year of the household `case` holds, by their
    /// indexes (for a pass over the year's exits).
    pub fn fill(&mut self, case: &mut Case) -> Result<()> {
        self.spare.append(&mut case.people);
        let mut rows = self
            .one_household_people
            .query(rusqlite::params![self.as_of, case.code])?;
        let mut household = String::new();
        while let Some(r) = rows.next()? {
            let mut m = self.spare.pop().unwrap_or_default();
            person_into(r, &self.as_of, &mut household, &mut m)?;
            case.people.push(m);
        }
        case.people.sort_by(|a, b| a.code.cmp(&b.code));
        let mut rows = self
            .one_household_year
            .query(rusqlite::params![self.year, case.code])?;
        case.year = match rows.next()? {
            Some(r) => Some(year_of(r)?.1),
            None => None,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_at_the_years_end() {
        assert_eq!(age_on("2014-12-31", "2020-12-31"), Some(6));
        assert_eq!(age_on("2015-01-01", "2020-12-31"), Some(5));
        assert_eq!(age_on("1955-06-30", "2020-12-31"), Some(65));
        assert_eq!(age_on("x", "2020-12-31"), None);
    }
}
