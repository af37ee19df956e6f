//! What `check` finds among the people of households: one ID number in two
//! households, a household whose people are not its member count, a
//! household without its head or with a head that is not its head person,
//! a child of school age out of school, and relations that birth dates make
//! impossible. Each line names the household and person codes; ID numbers
//! are masked.

use anyhow::Result;
use rusqlite::Connection;

use crate::lang::t;
use crate::values::mask_id;

/// Relations that make a person younger than the head, and older.
const YOUNGER: &str =
    "'son', 'daughter', 'son_in_law', 'daughter_in_law', 'grandson', 'granddaughter'";
const OLDER: &str = "'father', 'mother', 'parent_in_law', 'grandparent'";

/// Whether person `p` counts among the members of household `h` as
/// recorded: present today, or on the last day of a household that left
/// the register (`x.day`).
const PRESENT: &str = "(CASE WHEN x.day IS NULL THEN p.left_on IS NULL
    ELSE (p.joined_on IS NULL OR p.joined_on < x.day) AND (p.left_on IS NULL OR p.left_on >= x.day) END)";

pub fn people(conn: &Connection, as_of: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let rows = |sql: &str, params: &[&str]| -> Result<Vec<Vec<String>>> {
        let mut stmt = conn.prepare(sql)?;
        let n = stmt.column_count();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                (0..n)
                    .map(|i| r.get::<_, crate::db::store::Value>(i).map(|v| v.to_text()))
                    .collect::<rusqlite::Result<Vec<String>>>()
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    };
    for r in rows(
        "SELECT p.household, p.code, p.id_number, h.code FROM people p
           JOIN households h ON h.id_number = p.id_number AND h.code <> p.household
          ORDER BY p.household, p.code",
        &[],
    )? {
        out.push(t(
            &format!(
                "household {} person {}: ID number {} also heads household {}; a person is registered in one household",
                r[0],
                r[1],
                mask_id(&r[2]),
                r[3]
            ),
            &format!(
                "贫困户 {} 成员 {}：身份证号 {} 又是贫困户 {} 的户主；一人只能登记在一户",
                r[0],
                r[1],
                mask_id(&r[2]),
                r[3]
            ),
        ));
    }
    // Members are the people of today, or of its last day for a household
    // that has left the register since `as_of`: reports count a household's
    // members on an earlier date from them and the people who came and went
    // since, so a count that disagrees is wrong on every date. A person who
    // left is kept but no longer counted. A household off the register by
    // `as_of` is not held to it.
    for r in rows(
        &format!(
            "SELECT h.code, h.members, sum({PRESENT}), sum(p.left_reason = 'died' AND NOT {PRESENT})
               FROM households h JOIN people p ON p.household = h.code
               LEFT JOIN (SELECT household, min(date) AS day FROM household_events
                           WHERE event = 'removed' OR event = 'left' GROUP BY household) x
                      ON x.household = h.code
              WHERE x.day IS NULL OR x.day > ?1
              GROUP BY h.code
             HAVING sum({PRESENT}) <> h.members
              ORDER BY h.code"
        ),
        &[as_of],
    )? {
        let (members, present, dead) = (
            r[1].parse::<i64>().unwrap_or(0),
            r[2].parse::<i64>().unwrap_or(0),
            r[3].parse::<i64>().unwrap_or(0),
        );
        if dead > 0 && members == present + dead {
            out.push(t(
                &format!(
                    "household {}: {members} members recorded, but {dead} of them died; set members to {present} with fupin household update {} --members {present}",
                    r[0], r[0]
                ),
                &format!(
                    "贫困户 {}：人口数为 {members}，其中 {dead} 人已死亡；请用 fupin household update {} --members {present} 改为 {present}",
                    r[0], r[0]
                ),
            ));
        } else {
            out.push(t(
                &format!(
                    "household {}: {members} members recorded, {present} people listed",
                    r[0]
                ),
                &format!(
                    "贫困户 {}：人口数为 {members}，登记的家庭成员为 {present} 人",
                    r[0]
                ),
            ));
        }
    }
    for r in rows(
        "SELECT DISTINCT p.household FROM people p
          WHERE NOT EXISTS (SELECT 1 FROM people h WHERE h.household = p.household AND h.relation = 'head')
          ORDER BY p.household",
        &[],
    )? {
        out.push(t(
            &format!("household {}: its people have no head (户主); choose one with fupin household update {} --head PERSON", r[0], r[0]),
            &format!("贫困户 {}：家庭成员中没有户主；请用 fupin household update {} --head 人员 指定", r[0], r[0]),
        ));
    }
    for r in rows(
        "SELECT h.code, p.code, h.head_name, p.name, h.id_number, p.id_number
           FROM households h JOIN people p ON p.household = h.code AND p.relation = 'head'
          WHERE p.name <> h.head_name OR p.id_number <> h.id_number ORDER BY h.code",
        &[],
    )? {
        out.push(t(
            &format!(
                "household {}: its head is {} ({}) but its head person {} is {} ({})",
                r[0],
                r[2],
                mask_id(&r[4]),
                r[1],
                r[3],
                mask_id(&r[5])
            ),
            &format!(
                "贫困户 {}：户主为 {}（{}），但户主成员 {} 为 {}（{}）",
                r[0],
                r[2],
                mask_id(&r[4]),
                r[1],
                r[3],
                mask_id(&r[5])
            ),
        ));
    }
    // Six to fifteen years old on the date: born after the day sixteen
    // years before it, and on or before the day six years before it.
    for r in rows(
        "SELECT household, code, birth_on, schooling FROM people
          WHERE birth_on > date(?1, '-16 years') AND birth_on <= date(?1, '-6 years')
            AND (schooling LIKE '%失学%' OR schooling LIKE '%辍学%')
          ORDER BY household, code",
        &[as_of],
    )? {
        out.push(t(
            &format!(
                "household {} person {}: a child of school age (born {}) is out of school ({}) on {as_of}",
                r[0], r[1], r[2], r[3]
            ),
            &format!(
                "贫困户 {} 成员 {}：义务教育阶段儿童（{} 出生）于 {as_of} 处于{}状态",
                r[0], r[1], r[2], r[3]
            ),
        ));
    }
    for (relations, sign, en, zh) in [
        (YOUNGER, "<", "older than", "早于"),
        (OLDER, ">", "younger than", "晚于"),
    ] {
        let sql = format!(
            "SELECT p.household, p.code, p.relation, p.birth_on, h.code, h.birth_on
               FROM people p JOIN people h ON h.household = p.household AND h.relation = 'head'
              WHERE p.relation IN ({relations}) AND p.birth_on {sign} h.birth_on
              ORDER BY p.household, p.code"
        );
        for r in rows(&sql, &[])? {
            let relation = crate::model::choice_label(crate::model::RELATIONS, &r[2]);
            out.push(t(
                &format!(
                    "household {} person {}: as {relation}, born {} is {en} the head {} (born {})",
                    r[0], r[1], r[3], r[4], r[5]
                ),
                &format!(
                    "贫困户 {} 成员 {}：关系为{relation}，出生于 {}，{zh}户主 {}（{} 出生）",
                    r[0], r[1], r[3], r[4], r[5]
                ),
            ));
        }
    }
    Ok(out)
}
