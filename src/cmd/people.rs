//! `person`: the people of each household.

use anyhow::Result;

use super::Ctx;
use super::listing;
use super::records::{self, Filter, choice_arg, ref_arg};
use crate::cli::PersonCmd;
use crate::db::people::next_code;
use crate::db::store::{self, Value};
use crate::model::{Kind, PERSON, RELATIONS};
use crate::present::Personal;
use crate::record::RawRow;
use crate::values;

pub fn run(ctx: &Ctx, cmd: PersonCmd) -> Result<u8> {
    let entity = &PERSON;
    match cmd {
        PersonCmd::Add(f) => {
            let raw = with_code(ctx, f.raw)?;
            records::add(ctx, entity, &raw, f.force)
        }
        PersonCmd::Update(f) => records::update(ctx, entity, &f.code, &f.raw, f.force),
        PersonCmd::Show(a) => records::show(
            ctx,
            entity,
            &a.code,
            None,
            a.format,
            Personal::from_flag(a.show_id),
            |_, _| Ok(Vec::new()),
        ),
        PersonCmd::Remove(a) => records::remove(ctx, entity, &a.code, None),
        PersonCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(household) = &a.household {
                filter.text(
                    "household = ?",
                    ref_arg(&conn, "household", Kind::Household, household)?,
                );
            } else {
                filter.household_place(&conn, a.village.as_deref(), a.town.as_deref())?;
            }
            if let Some(relation) = &a.relation {
                filter.text("relation = ?", choice_arg("relation", RELATIONS, relation)?);
            }
            listing::list(
                &conn,
                entity,
                filter,
                &a.opts,
                Personal::from_flag(a.opts.show_id),
                &[],
            )
        }
    }
}

/// The flags of `person add`, with a code made after the household's when
/// none was given.
fn with_code(ctx: &Ctx, mut raw: RawRow) -> Result<RawRow> {
    let at = |name| PERSON.fields.iter().position(|f| f.name == name);
    let (Some(code_at), Some(household_at), Some(relation_at)) =
        (at("code"), at("household"), at("relation"))
    else {
        return Ok(raw);
    };
    if raw[code_at]
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty())
    {
        return Ok(raw);
    }
    let Some(household) = raw[household_at].clone() else {
        return Ok(raw);
    };
    let conn = ctx.open_read()?;
    let Ok(household) = ref_arg(&conn, "household", Kind::Household, &household) else {
        // The household's own error is said when the record is checked.
        return Ok(raw);
    };
    let head = raw[relation_at]
        .as_deref()
        .and_then(|r| crate::model::parse_choice(RELATIONS, &values::normalize(r)))
        .is_some_and(|c| c.code == "head");
    raw[code_at] = Some(next_code(&conn, &household, head)?);
    Ok(raw)
}

/// The people of a household, for `household show`: code, name, relation,
/// gender and birth date, ID number as `personal` says.
pub fn of_household(
    conn: &rusqlite::Connection,
    household: &str,
    personal: Personal,
) -> Result<Vec<records::Section>> {
    let mut filter = Filter::default();
    filter.text("household = ?", household.to_string());
    let rows: Vec<Vec<Value>> = listing::fetch(conn, &PERSON, &filter, None)?
        .into_iter()
        .map(|r| r.values)
        .collect();
    // Those who left (died, married out, moved out) are kept, and listed
    // apart from those who are members today.
    let today = records::today();
    let left = |row: &Vec<Value>| {
        store::position(&PERSON, "left_on")
            .and_then(|i| row.get(i))
            .and_then(Value::as_str)
            .is_some_and(|d| d <= today.as_str())
    };
    let (gone, present): (Vec<&Vec<Value>>, Vec<&Vec<Value>>) = rows.iter().partition(|r| left(r));
    let grid = |rows: &[&Vec<Value>], shown: &[&str]| {
        let mut grid = crate::output::Grid::new(
            shown
                .iter()
                .filter_map(|name| PERSON.field(name))
                .map(|f| crate::output::Column::new(f.name, f.label()))
                .collect(),
        );
        for row in rows {
            grid.push(
                shown
                    .iter()
                    .filter_map(|name| {
                        let field = PERSON.field(name)?;
                        let value = store::position(&PERSON, name)
                            .and_then(|i| row.get(i))
                            .unwrap_or(&Value::Null);
                        Some(crate::present::cell(field, value, personal))
                    })
                    .collect(),
            );
        }
        grid
    };
    let shown = [
        "code",
        "name",
        "relation",
        "gender",
        "birth_on",
        "id_number",
    ];
    let mut sections = vec![records::Section::new(
        "people",
        crate::lang::t(
            &format!("People ({})", present.len()),
            &format!("家庭成员（{} 人）", present.len()),
        ),
        grid(&present, &shown),
    )];
    if !gone.is_empty() {
        let shown = [
            "code",
            "name",
            "relation",
            "birth_on",
            "left_on",
            "left_reason",
        ];
        sections.push(records::Section::new(
            "people_left",
            crate::lang::t(
                &format!("People who left the household ({})", gone.len()),
                &format!("已减员的家庭成员（{} 人）", gone.len()),
            ),
            grid(&gone, &shown),
        ));
    }
    Ok(sections)
}
