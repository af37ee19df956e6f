//! How stored values are shown to people: enumeration labels in the current
//! language, yes/no flags, and masked personal numbers.

use crate::db::store::Value;
use crate::lang::t;
use crate::model::{Field, Ty, choice_label, choices_label};
use crate::output::Cell;
use crate::values::{mask_id, mask_phone};

/// Whether personal numbers are shown whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    Masked,
    Shown,
}

impl Personal {
    pub fn from_flag(show: bool) -> Personal {
        if show {
            Personal::Shown
        } else {
            Personal::Masked
        }
    }
}

pub fn flag_text(on: bool) -> String {
    if on { t("yes", "是") } else { t("no", "否") }
}

/// The text of a stored value as exported in the current language:
/// enumerations and flags as labels, everything else as stored.
pub fn text(field: &Field, value: &Value) -> String {
    match (&field.ty, value) {
        (_, Value::Null) => String::new(),
        (Ty::Enum(choices), Value::Text(code)) => choice_label(choices, code),
        (Ty::Enums(choices), Value::Text(codes)) => choices_label(choices, codes),
        (Ty::Flag, Value::Int(i)) => flag_text(*i != 0),
        (Ty::Money { .. }, Value::Int(fen)) => crate::values::format_money(*fen),
        _ => value.to_text(),
    }
}

/// The cell of a stored value in a table or list.
pub fn cell(field: &Field, value: &Value, personal: Personal) -> Cell {
    match (&field.ty, value) {
        (_, Value::Null) => Cell::Null,
        (Ty::Int { .. } | Ty::Year, Value::Int(i)) => Cell::Int(*i),
        (Ty::Flag, Value::Int(i)) => Cell::Bool(*i != 0),
        (Ty::Money { .. }, Value::Int(fen)) => Cell::Num(crate::values::money_yuan(*fen), 2),
        (Ty::IdNumber | Ty::Certificate, Value::Text(s)) if personal == Personal::Masked => {
            Cell::text(mask_id(s))
        }
        (Ty::Phone, Value::Text(s)) if personal == Personal::Masked => Cell::text(mask_phone(s)),
        _ => Cell::text(text(field, value)),
    }
}
