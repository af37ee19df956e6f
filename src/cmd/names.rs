//! Names beside the codes a record refers to: `龙岩村 (451122100201)` in a
//! table, `village_name` beside `village` in JSON and CSV. Driven by the
//! model: every stored reference to a kind that has a name gets one.

use rusqlite::Connection;

use crate::db::store::Value;
use crate::lang::t;
use crate::model::{Entity, Field, Ty, entity as entity_of};
use crate::output::{Cell, Column};

/// A stored reference whose records have names: its position among the
/// stored fields, the field, the referred table and its name column.
pub struct NamedRef {
    pub at: usize,
    pub field: &'static Field,
    pub table: &'static str,
    pub name: &'static str,
}

pub fn named_refs(entity: &Entity) -> Vec<NamedRef> {
    entity
        .stored()
        .enumerate()
        .filter_map(|(at, field)| {
            let Ty::Ref(kind) = field.ty else {
                return None;
            };
            let referred = entity_of(kind);
            Some(NamedRef {
                at,
                field,
                table: referred.table,
                name: referred.display_field()?.name,
            })
        })
        .collect()
}

/// The `LEFT JOIN`s that bring the names of `r`'s references, and the
/// columns to select for them, one per [`named_refs`] entry. The referred
/// code is unique and indexed, so each name costs one index lookup.
pub fn joins(refs: &[NamedRef]) -> (String, String) {
    let mut columns = String::new();
    let mut joins = String::new();
    for (i, r) in refs.iter().enumerate() {
        columns.push_str(&format!(", n{i}.{}", r.name));
        joins.push_str(&format!(
            " LEFT JOIN {} AS n{i} ON n{i}.code = r.{}",
            r.table, r.field.name
        ));
    }
    (columns, joins)
}

/// `龙岩村 (451122100201)`; the code alone when the name is unknown.
pub fn beside(code: &str, name: Option<&str>) -> String {
    match name {
        Some(name) if !name.is_empty() => {
            t(&format!("{name} ({code})"), &format!("{name}（{code}）"))
        }
        _ => code.to_string(),
    }
}

/// The cell of a reference shown with its name.
pub fn cell(code: &Value, name: Option<&str>) -> Cell {
    match code {
        Value::Null => Cell::Null,
        code => Cell::text(beside(&code.to_text(), name)),
    }
}

/// The column of a reference's name in JSON and CSV: `village_name`.
pub fn column(field: &Field) -> Column {
    Column::new(
        format!("{}_name", field.name),
        t(
            &format!("{}_name", field.name),
            &format!("{}名称", field.zh_label()),
        ),
    )
}

/// The name of the record `code` refers to through `field`, looked up
/// alone (for one record shown, or a candidate listed).
pub fn name_of(conn: &Connection, field: &Field, code: &str) -> Option<String> {
    let Ty::Ref(kind) = field.ty else {
        return None;
    };
    let referred = entity_of(kind);
    let name = referred.display_field()?.name;
    conn.prepare_cached(&format!(
        "SELECT {name} FROM {} WHERE code = ?1",
        referred.table
    ))
    .and_then(|mut s| s.query_row([code], |r| r.get(0)))
    .ok()
}

/// `龙岩村 (451122100201)` for one reference.
pub fn named(conn: &Connection, field: &Field, code: &str) -> String {
    beside(code, name_of(conn, field, code).as_deref())
}
