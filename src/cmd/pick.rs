//! The one record a clerk names on the command line: by its code, by a name
//! no other record of its kind bears (a household by its head's name), or,
//! for the records without a code, by the ID their list shows.

use anyhow::{Result, anyhow, bail};
use rusqlite::{Connection, params_from_iter};

use super::records::{ref_arg, village_arg};
use crate::cli::Within;
use crate::db::store::{self, Value};
use crate::db::suggest::{self, Near};
use crate::lang::t;
use crate::model::{Entity, Kind, Ty};
use crate::values;

/// Candidates listed when a name is not unique.
const CANDIDATES: usize = 10;

/// The record `raw` names: (rowid, stored values).
pub fn record(
    conn: &Connection,
    entity: &Entity,
    raw: &str,
    within: Option<&Within>,
) -> Result<(i64, Vec<Value>)> {
    if entity.kind == Kind::Monitor
        && let Some(found) = monitored(conn, entity, &values::normalize(raw))?
    {
        return Ok(found);
    }
    if !entity.has_code() {
        return by_id(conn, entity, raw);
    }
    let typed = values::normalize(raw);
    if let Some(found) = store::find_code(conn, entity, &typed)? {
        return Ok(found);
    }
    let Some(name) = entity.display_field() else {
        return Err(not_found(
            entity,
            &typed,
            &suggest::near(conn, entity, &typed),
        ));
    };
    let mut filter = vec![format!("{} IN (?1, ?2)", name.name)];
    let mut params = vec![Value::from(raw.trim()), Value::from(typed.clone())];
    if let Some(within) = within {
        narrow(conn, entity, within, &mut filter, &mut params)?;
    }
    let sql = format!(
        "SELECT id, {} FROM {} WHERE {} ORDER BY {} LIMIT {}",
        store::columns(entity),
        entity.table,
        filter.join(" AND "),
        store::key_order(entity),
        CANDIDATES + 1
    );
    let n = entity.stored().count();
    let mut found: Vec<(i64, Vec<Value>)> = conn
        .prepare(&sql)?
        .query_map(params_from_iter(&params), |r| {
            let id = r.get(0)?;
            let values = (1..=n)
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<Vec<Value>>>()?;
            Ok((id, values))
        })?
        .collect::<rusqlite::Result<_>>()?;
    match found.len() {
        0 => Err(not_found(
            entity,
            &typed,
            &suggest::near(conn, entity, &typed),
        )),
        1 => Ok(found.remove(0)),
        _ => Err(ambiguous(conn, entity, &typed, &found)),
    }
}

/// Narrows a name to the records of a village or town, for the kinds that
/// belong to a village (households).
fn narrow(
    conn: &Connection,
    entity: &Entity,
    within: &Within,
    filter: &mut Vec<String>,
    params: &mut Vec<Value>,
) -> Result<()> {
    let in_villages = entity
        .field("village")
        .is_some_and(|f| matches!(f.ty, Ty::Ref(Kind::Village)) && f.stored);
    if !in_villages {
        return Ok(());
    }
    if let Some(village) = &within.village {
        let code = village_arg(conn, village, within.town.as_deref())?;
        params.push(Value::from(code));
        filter.push(format!("village = ?{}", params.len()));
    } else if let Some(town) = &within.town {
        params.push(Value::from(ref_arg(conn, "town", Kind::Town, town)?));
        filter.push(format!(
            "village IN (SELECT code FROM villages WHERE town = ?{})",
            params.len()
        ));
    }
    Ok(())
}

/// A record without a code, by the ID its list shows.
/// A household's monitoring record named by the household code: the open
/// one, else the latest.
pub fn monitored(
    conn: &Connection,
    entity: &Entity,
    code: &str,
) -> Result<Option<(i64, Vec<Value>)>> {
    let sql = format!(
        "SELECT id, {} FROM {} WHERE code = ?1
          ORDER BY eliminated_on IS NULL DESC, identified_on DESC LIMIT 1",
        store::columns(entity),
        entity.table
    );
    let n = entity.stored().count();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([code])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let values = (1..=n)
        .map(|i| r.get(i))
        .collect::<rusqlite::Result<Vec<Value>>>()?;
    Ok(Some((r.get(0)?, values)))
}

pub fn by_id(conn: &Connection, entity: &Entity, raw: &str) -> Result<(i64, Vec<Value>)> {
    let typed = values::normalize(raw);
    let id: i64 = typed.parse().map_err(|_| {
        anyhow!(
            "{}",
            t(
                &format!(
                    "{typed} is not an ID; give the number in the ID column of `fupin {} list`",
                    entity.name
                ),
                &format!(
                    "{typed} 不是 ID；请填写 `fupin {} list` 中 ID 列的数字",
                    entity.name
                ),
            )
        )
    })?;
    match store::find_id(conn, entity, id)? {
        Some(values) => Ok((id, values)),
        None => bail!(
            "{}",
            t(
                &format!(
                    "no {} with ID {id}; `fupin {} list` shows the IDs",
                    entity.name, entity.name
                ),
                &format!(
                    "没有 ID 为 {id} 的{}；可用 `fupin {} list` 查看",
                    entity.zh_name(),
                    entity.name
                ),
            )
        ),
    }
}

fn not_found(entity: &Entity, typed: &str, near: &[Near]) -> anyhow::Error {
    let hint = suggest::did_you_mean(near).unwrap_or_else(|| {
        t(
            &format!("`fupin {} list` shows them", entity.name),
            &format!("可用 `fupin {} list` 查看", entity.name),
        )
    });
    anyhow!(
        "{}",
        t(
            &format!("no {} with code or name {typed}; {hint}", entity.name),
            &format!("没有代码或名称为 {typed} 的{}；{hint}", entity.zh_name()),
        )
    )
}

/// The records a name fits, each with its code and where it belongs, so
/// the clerk can type the code instead.
fn ambiguous(
    conn: &Connection,
    entity: &Entity,
    typed: &str,
    found: &[(i64, Vec<Value>)],
) -> anyhow::Error {
    let place = entity
        .stored()
        .enumerate()
        .find(|(_, f)| matches!(f.ty, Ty::Ref(_)));
    let lines: Vec<String> = found
        .iter()
        .take(CANDIDATES)
        .map(|(_, values)| {
            let code = store::key_text(entity, values);
            let Some((i, field)) = place else {
                return format!("  {code}");
            };
            let referred = values.get(i).map(Value::to_text).unwrap_or_default();
            let shown = super::names::named(conn, field, &referred);
            format!("  {code}  {} {shown}", field.label())
        })
        .collect();
    let more = if found.len() > CANDIDATES {
        t("\n  …", "\n  ……")
    } else {
        String::new()
    };
    let within = if entity.field("village").is_some_and(|f| f.stored) {
        t(
            ", or narrow it with --village or --town",
            "，或用 --village、--town 缩小范围",
        )
    } else {
        String::new()
    };
    anyhow!(
        "{}\n{}{more}",
        t(
            &format!(
                "more than one {} is named {typed}; give the code{within}:",
                entity.name
            ),
            &format!(
                "名为 {typed} 的{}不止一个；请填写代码{within}：",
                entity.zh_name()
            ),
        ),
        lines.join("\n")
    )
}
