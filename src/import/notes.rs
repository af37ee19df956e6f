//! What the summary says about values that were read but deserve a word:
//! dates given as Excel serial numbers and 15-digit ID numbers (both
//! converted), and names holding `?` where a character GBK cannot hold
//! (𬌗) was lost when Excel saved the file.

use super::{FileSummary, Warning};
use csv::ByteRecord;

use crate::input::headers::Columns;
use crate::lang::t;
use crate::model::{Entity, Ty};
use crate::record::RawRow;
use crate::values::{is_excel_serial, is_first_generation_id};

/// Warnings kept per file; a file with more has a problem of its own.
const KEPT: usize = 1000;

#[derive(Debug, Default)]
pub(super) struct Notes {
    pub(super) excel_serial_dates: u64,
    pub(super) ids_15_to_18: u64,
    /// Rows whose registration or lift date came from the file-wide
    /// default (`--registered-on`, `--lifted-on`).
    registered_default: u64,
    lifted_default: u64,
    pub(super) warnings: Vec<Warning>,
    more_warnings: u64,
}

impl Notes {
    /// Notes one row that was read without problems (`record` as the file
    /// has it, `raw` as it was read, the file-wide dates filled in).
    pub(super) fn row(
        &mut self,
        entity: &Entity,
        columns: &Columns,
        record: &ByteRecord,
        raw: &RawRow,
        line: u64,
    ) {
        for (i, (field, text)) in entity.fields.iter().zip(raw).enumerate() {
            let Some(text) = text.as_deref() else {
                continue;
            };
            // A date the file-wide default filled in: given, not in the file.
            let count = match field.name {
                "registered_on" => Some(&mut self.registered_default),
                "lifted_on" => Some(&mut self.lifted_default),
                _ => None,
            };
            if let Some(count) = count {
                let in_file = columns.of_field[i]
                    .and_then(|c| record.get(c))
                    .is_some_and(|c| !c.trim_ascii().is_empty());
                if !in_file && !crate::values::trim(text).is_empty() {
                    *count += 1;
                }
            }
            match field.ty {
                Ty::Date if is_excel_serial(text) => self.excel_serial_dates += 1,
                Ty::IdNumber if is_first_generation_id(text) => self.ids_15_to_18 += 1,
                Ty::Text if field.name.ends_with("name") && text.contains('?') => {
                    if self.warnings.len() == KEPT {
                        self.more_warnings += 1;
                        continue;
                    }
                    self.warnings.push(Warning {
                        line,
                        column: columns.header_of(i).unwrap_or(field.name).to_string(),
                        why: t(
                            "a ? in a name: a character the file's encoding cannot hold (such as 𬌗) was probably lost; imported as it is — correct it with `update`",
                            "姓名中有“?”：可能是文件编码无法保存的生僻字（如 𬌗）被替换了；已按原样导入——请用 update 更正",
                        ),
                    });
                }
                _ => {}
            }
        }
    }

    pub(super) fn add(&mut self, other: Notes) {
        self.excel_serial_dates += other.excel_serial_dates;
        self.ids_15_to_18 += other.ids_15_to_18;
        self.registered_default += other.registered_default;
        self.lifted_default += other.lifted_default;
        self.more_warnings += other.more_warnings;
        for w in other.warnings {
            if self.warnings.len() < KEPT {
                self.warnings.push(w);
            } else {
                self.more_warnings += 1;
            }
        }
    }

    pub(super) fn into_summary(self, summary: &mut FileSummary, defaults: &super::Defaults) {
        summary.excel_serial_dates = self.excel_serial_dates;
        // Said for the households of a file, where a default can apply.
        if summary.entity == "household" {
            summary.registered_on_default = defaults
                .registered_on
                .as_ref()
                .map(|_| self.registered_default);
            summary.lifted_on_default = defaults.lifted_on.as_ref().map(|_| self.lifted_default);
        }
        summary.ids_15_to_18 = self.ids_15_to_18;
        summary.warnings = self.warnings;
        if self.more_warnings > 0 {
            summary.warnings.push(Warning {
                line: 0,
                column: String::new(),
                why: t(
                    &format!("… and {} more warnings like these", self.more_warnings),
                    &format!("……另有 {} 条类似警告", self.more_warnings),
                ),
            });
        }
    }
}
