//! One household as the rules see it in a year: its place, its status at
//! the year's end, the people present then, and its assessment of the
//! year. Households are read one at a time from three queries ordered by
//! household code (households, people, assessments), merged as they come,
//! so a province's register is checked in the memory of one household.

use anyhow::Result;
use rusqlite::{Connection, Rows, Statement};

use crate::register::{History, Status, Step, Steps};

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

/// The three queries, prepared once.
pub struct Statements<'c> {
    households: Statement<'c>,
    people: Statement<'c>,
    years: Statement<'c>,
}

impl<'c> Statements<'c> {
    pub fn new(conn: &'c Connection, place: &Place) -> Result<Statements<'c>> {
        let (cond, _) = place.sql();
        let households = conn.prepare(&format!(
            "SELECT h.id, h.code, v.town, t.name, h.village, v.name, h.head_name, h.id_number,
                    h.members, h.attribute, h.cause, h.registered_on, h.lifted_on
               FROM households h JOIN villages v ON v.code = h.village
               JOIN towns t ON t.code = v.town
              WHERE h.registered_on <= ?1 AND {cond}
              ORDER BY h.code"
        ))?;
        let people = conn.prepare(&format!(
            "SELECT p.household, p.code, p.name, p.id_number, p.relation, p.gender, p.birth_on,
                    p.schooling, p.health, p.labour, p.work, p.work_months,
                    p.medical_insurance, p.dibao, p.disability_certificate
               FROM people p JOIN households h ON h.code = p.household
               JOIN villages v ON v.code = h.village
              WHERE (p.joined_on IS NULL OR p.joined_on <= ?1)
                AND (p.left_on IS NULL OR p.left_on > ?1) AND {cond}
              ORDER BY p.household, p.code"
        ))?;
        let years = conn.prepare(&format!(
            "SELECT a.household, a.income, a.wage_income, a.dibao_paid, a.tekun_paid,
                    a.food_secure, a.clothing_secure, a.dilapidated, a.housing_grade,
                    a.safe_water, a.electricity
               FROM assessments a JOIN households h ON h.code = a.household
               JOIN villages v ON v.code = h.village
              WHERE a.year = ?3 AND ?1 IS NOT NULL AND {cond}
              ORDER BY a.household"
        ))?;
        Ok(Statements {
            households,
            people,
            years,
        })
    }
}

/// Households one at a time.
pub struct Cases<'s> {
    households: Rows<'s>,
    people: Rows<'s>,
    years: Rows<'s>,
    /// The first row of each side stream not yet given to a household.
    next_person: Option<(String, Member)>,
    next_year: Option<(String, Year)>,
    steps: Steps,
    as_of: String,
    year_start: String,
}

impl<'s> Cases<'s> {
    pub fn new(
        conn: &Connection,
        stmts: &'s mut Statements<'_>,
        place: &Place,
        year: i64,
    ) -> Result<Cases<'s>> {
        let as_of = format!("{year}-12-31");
        let (_, value) = place.sql();
        let mut cases = Cases {
            households: stmts.households.query(rusqlite::params![as_of, value])?,
            people: stmts.people.query(rusqlite::params![as_of, value])?,
            years: stmts.years.query(rusqlite::params![as_of, value, year])?,
            next_person: None,
            next_year: None,
            steps: Steps::load(conn)?,
            as_of,
            year_start: format!("{year}-01-01"),
        };
        cases.next_person = cases.read_person()?;
        cases.next_year = cases.read_year()?;
        Ok(cases)
    }

    fn read_person(&mut self) -> Result<Option<(String, Member)>> {
        let Some(r) = self.people.next()? else {
            return Ok(None);
        };
        let flag = |i: usize| -> rusqlite::Result<Option<bool>> {
            Ok(r.get::<_, Option<i64>>(i)?.map(|v| v != 0))
        };
        let birth_on: Option<String> = r.get(6)?;
        let m = Member {
            code: r.get(1)?,
            name: r.get(2)?,
            id_number: r.get(3)?,
            relation: r.get(4)?,
            gender: r.get(5)?,
            age: birth_on.as_deref().and_then(|b| age_on(b, &self.as_of)),
            birth_on,
            schooling: r.get(7)?,
            health: r.get(8)?,
            labour: r.get(9)?,
            work: r.get(10)?,
            work_months: r.get(11)?,
            medical_insurance: flag(12)?,
            dibao: flag(13)?,
            disability_certificate: r.get(14)?,
        };
        Ok(Some((r.get(0)?, m)))
    }

    fn read_year(&mut self) -> Result<Option<(String, Year)>> {
        let Some(r) = self.years.next()? else {
            return Ok(None);
        };
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
        Ok(Some((r.get(0)?, y)))
    }

    /// Fills `case` with the next household; false at the end. `case` is
    /// reused, so a pass allocates for the largest household only.
    pub fn next_into(&mut self, case: &mut Case) -> Result<bool> {
        let Some(r) = self.households.next()? else {
            return Ok(false);
        };
        let rowid: i64 = r.get(0)?;
        case.code = r.get(1)?;
        case.town_code = r.get(2)?;
        case.town = r.get(3)?;
        case.village_code = r.get(4)?;
        case.village = r.get(5)?;
        case.head_name = r.get(6)?;
        case.id_number = r.get(7)?;
        case.members = r.get(8)?;
        case.attribute = r.get(9)?;
        case.cause = r.get(10)?;
        let registered: String = r.get(11)?;
        let lifted: Option<String> = r.get(12)?;
        let events = self.steps.of(rowid).unwrap_or(&[]);
        let history = History::new(&registered, lifted.as_deref(), events);
        case.status = Some(history.status_on(&self.as_of));
        case.lifted_in_year = history.has_step(Step::Lifted, &self.year_start, &self.as_of);
        case.people.clear();
        // People and years of households outside the pass (not registered
        // by the year's end) are passed over.
        while let Some((household, _)) = &self.next_person
            && household.as_str() <= case.code.as_str()
        {
            if let Some((household, m)) = self.next_person.take()
                && household == case.code
            {
                case.people.push(m);
            }
            self.next_person = self.read_person()?;
        }
        case.year = None;
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
        Ok(true)
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
