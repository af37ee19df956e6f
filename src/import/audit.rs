//! The audit trail of an import: a record inserted row by row is audited
//! with its values, written by [`record_json`] into a reused buffer. (A
//! load into an empty table is audited with one row per file, see
//! `file::Load::audit_load`.)

use crate::db::store::Value;
use crate::model::Entity;

/// The record as the audit trail keeps it: the JSON object of
/// [`audit::to_json`], written into a reused buffer (once per inserted row).
pub(super) fn record_json(entity: &Entity, values: &[Value], out: &mut String) {
    use std::fmt::Write;
    out.clear();
    out.push('{');
    for (i, (field, value)) in entity.stored().zip(values).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(field.name);
        out.push_str("\":");
        match value {
            Value::Null => out.push_str("null"),
            Value::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Value::Text(s) => {
                let _ = write!(out, "{}", serde_json::Value::String(s.clone()));
            }
        }
    }
    out.push('}');
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::audit;
    use crate::model::HOUSEHOLD;

    #[test]
    fn audit_json_is_the_audit_modules() {
        let values: Vec<Value> = HOUSEHOLD
            .stored()
            .enumerate()
            .map(|(i, f)| match (i, f.name) {
                (_, "members") => Value::Int(3),
                (_, "cause" | "phone") => Value::Null,
                (i, _) => Value::Text(format!("v\"{i}\\ 张")),
            })
            .collect();
        let mut out = String::new();
        record_json(&HOUSEHOLD, &values, &mut out);
        assert_eq!(out, audit::to_json(&HOUSEHOLD, &values, None).to_string());
    }
}
