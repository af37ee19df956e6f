//! What a file of households or people carries beside its own records:
//! the steps of the households' histories (返贫, 剔除, 自然减少; see
//! [`super::steps`]) and the year's assessment of each household (人均纯收入,
//! 危房户, 是否解决安全饮用水 …), which the national exports write on every
//! person's row, and the household's monitoring (监测对象类型, 风险识别时间
//! …; see [`super::monitored`]).
//!
//! The rows were checked, and the households and people written, by the
//! one pass every file gets; a file with such columns is read once more
//! for them, so the register's usual file costs nothing more. An
//! assessment is written through the same parse, check and store as any
//! record, once per household: the rows of a household's people must agree
//! on it (a blank cell agrees with anything).

use anyhow::Result;
use csv::ByteRecord;
use rusqlite::Connection;

use super::file::field_label;
use super::monitored::{self, Monitoring};
use super::steps::{self, StepCounts, Steps};
use super::{Options, Report, Warning};
use crate::db::audit::Actor;
use crate::db::resolve::Resolver;
use crate::db::store::{self, Mode, Outcome, Value};
use crate::input::Spec;
use crate::input::headers::{self, Columns};
use crate::input::layout::{Layout, Rows};
use crate::lang::t;
use crate::model::{ASSESSMENT, Entity, HOUSEHOLD, Kind, PERSON};
use crate::record::{self, Given, RawRow};

/// What a file gives beside its records, found from its header.
pub struct Plan {
    /// The household columns steps are read from, when the file has any.
    steps: Option<Columns>,
    /// The assessment's columns, when the file has any.
    assessment: Option<Columns>,
    /// The file has values of a year but not the year.
    yearless: bool,
    /// The monitoring columns, as a monitoring record's, when the file
    /// has any.
    monitoring: Option<Columns>,
}

/// What the second reading wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub events: Option<StepCounts>,
    pub assessments: Option<StepCounts>,
    pub monitoring: Option<StepCounts>,
}

fn at(entity: &Entity, name: &str) -> usize {
    entity
        .fields
        .iter()
        .position(|f| f.name == name)
        .unwrap_or(0)
}

/// What a header holds of the year's assessment.
enum Assessment {
    None,
    Columns(Columns),
    /// Values of a year, but no year: no 年度 or 统计时间 column and no
    /// `--year`. The file loads as sent (the 信息表 export has 饮水安全 and
    /// no date); the columns are named as not read, with what to do.
    Yearless,
}

/// The assessment's columns in a header mapped onto `entity` (households
/// or people).
fn assessment_columns(entity: &Entity, columns: &Columns, opts: &Options) -> Assessment {
    let household_col = match entity.kind {
        Kind::Household => columns.of_field[at(&HOUSEHOLD, "code")],
        Kind::Person => columns.of_field[at(&PERSON, "household")],
        _ => None,
    };
    let mut cols = Columns {
        of_field: vec![None; ASSESSMENT.fields.len()],
        header: columns.header.clone(),
        width: columns.width,
        in_sheet: columns.in_sheet,
        ..Columns::default()
    };
    for &c in &columns.companion {
        if let Some(i) = columns
            .header
            .get(c)
            .and_then(|h| headers::field_of(&ASSESSMENT, h))
            && cols.of_field[i].is_none()
        {
            cols.of_field[i] = Some(c);
        }
    }
    let year = at(&ASSESSMENT, "year");
    let holds_values = ASSESSMENT
        .fields
        .iter()
        .zip(&cols.of_field)
        .any(|(f, c)| c.is_some() && !matches!(f.name, "household" | "year" | "note"));
    if !holds_values {
        return Assessment::None;
    }
    cols.of_field[at(&ASSESSMENT, "household")] = household_col;
    if cols.of_field[year].is_none() && opts.defaults.year.is_none() {
        return Assessment::Yearless;
    }
    Assessment::Columns(cols)
}

impl Plan {
    /// What `entity`'s file with `columns` gives beside its records. The
    /// steps ride on a household's columns: those of a household file, or
    /// the household columns of a file with a row per person.
    pub fn new(
        entity: &Entity,
        columns: &Columns,
        household_columns: Option<&Columns>,
        opts: &Options,
    ) -> Plan {
        let steps = household_columns
            .filter(|c| steps::applies(c, opts))
            .cloned();
        let (assessment, yearless) = match assessment_columns(entity, columns, opts) {
            Assessment::None => (None, false),
            Assessment::Columns(c) => (Some(c), false),
            Assessment::Yearless => (None, true),
        };
        Plan {
            steps,
            assessment,
            yearless,
            monitoring: monitored::columns(entity, columns),
        }
    }

    /// What the summary says of values of a year read without their year.
    pub fn warning(&self, columns: &Columns, line: u64) -> Option<Warning> {
        if !self.yearless {
            return None;
        }
        let names = self.unread(columns).join(t(", ", "、").as_str());
        Some(Warning {
            line,
            column: names,
            why: t(
                "the year's income and living conditions were not read: the file gives no year; add a column 年度 (or 统计时间), or import again with --year YEAR",
                "未读入收入与保障情况：文件中没有年度；请加一列“年度”（或“统计时间”），或加 --year 年度 重新导入",
            ),
        })
    }

    /// The headers of the assessment's columns this file does not read
    /// (统计时间 alone, with no value of the year beside it): named in the
    /// summary as not kept, like any column fupin does not keep.
    /// The monitoring columns of a file without the household's code
    /// are named so too.
    pub fn unread(&self, columns: &Columns) -> Vec<String> {
        columns
            .companion
            .iter()
            .filter_map(|&c| columns.header.get(c))
            .filter(|h| {
                if headers::monitoring_field(h).is_some() {
                    self.monitoring.is_none()
                } else {
                    self.assessment.is_none()
                }
            })
            .map(|h| h.trim().to_string())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_none() && self.assessment.is_none() && self.monitoring.is_none()
    }

    /// Reads the file again and writes what it gives beside its records.
    #[allow(clippy::too_many_arguments)]
    pub fn load(
        &self,
        conn: &Connection,
        actor: &Actor,
        opts: &Options,
        spec: &Spec,
        layout: &Layout,
        report: &mut Report,
    ) -> Result<Written> {
        if self.is_empty() {
            return Ok(Written::default());
        }
        let file = spec.display();
        let mut rows = Rows::reopen(spec, layout)?;
        let mut record = ByteRecord::new();
        let mut resolver = Resolver::new();
        let mut steps = self.steps.as_ref().map(|_| Steps::new());
        let mut years = self.assessment.as_ref().map(|c| Years::new(c, opts));
        let mut watch = self.monitoring.as_ref().map(Monitoring::new);
        while let Some(place) = rows.next(&mut record)? {
            if let (Some(s), Some(cols)) = (steps.as_mut(), &self.steps) {
                s.row(conn, actor, opts, &mut resolver, cols, &record)?;
            }
            if let Some(y) = years.as_mut() {
                y.row(
                    conn,
                    actor,
                    &mut resolver,
                    &record,
                    place.line,
                    &file,
                    report,
                )?;
            }
            if let Some(w) = watch.as_mut() {
                w.row(
                    conn,
                    actor,
                    &mut resolver,
                    &record,
                    place.line,
                    &file,
                    report,
                )?;
            }
        }
        if let Some(y) = years.as_mut() {
            y.flush(conn, actor, &file, report)?;
        }
        if let Some(w) = watch.as_mut() {
            w.flush(conn, actor, &file, report)?;
        }
        Ok(Written {
            events: steps.map(|s| s.counts),
            assessments: years.map(|y| y.counts),
            monitoring: watch.map(|w| w.counts),
        })
    }
}

/// A household's assessment being gathered from its rows.
struct Pending {
    household: String,
    line: u64,
    given: Given,
    /// The line each value came from, to name both when rows disagree.
    lines: Vec<u64>,
}

/// The assessments of one file, a household at a time.
struct Years<'a> {
    columns: &'a Columns,
    year_default: Option<String>,
    raw: RawRow,
    whole: Vec<usize>,
    pending: Option<Pending>,
    counts: StepCounts,
}

impl<'a> Years<'a> {
    fn new(columns: &'a Columns, opts: &Options) -> Years<'a> {
        Years {
            columns,
            year_default: opts.defaults.year.clone(),
            raw: RawRow::new(),
            whole: Vec::new(),
            pending: None,
            counts: StepCounts::default(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        conn: &Connection,
        actor: &Actor,
        resolver: &mut Resolver,
        record: &ByteRecord,
        line: u64,
        file: &str,
        report: &mut Report,
    ) -> Result<()> {
        let _ = super::row::raw_row(
            &ASSESSMENT,
            self.columns,
            record,
            true,
            &mut self.raw,
            &mut self.whole,
        );
        let household = at(&ASSESSMENT, "household");
        let Some(code) = self.raw[household]
            .as_deref()
            .map(crate::values::normalize)
            .filter(|c| !c.is_empty())
        else {
            return Ok(());
        };
        // A household the first reading refused (with --skip-invalid) was
        // reported there: its year is not read. The rows of the household
        // being gathered are known to be stored.
        let gathering = self.pending.as_ref().is_some_and(|p| p.household == code);
        if !gathering && store::find_code(conn, &HOUSEHOLD, &code)?.is_none() {
            return Ok(());
        }
        let year = at(&ASSESSMENT, "year");
        if self.columns.of_field[year].is_none() {
            self.raw[year].clone_from(&self.year_default);
        }
        let given = match record::parse(conn, resolver, &ASSESSMENT, &self.raw, &self.whole) {
            Ok(g) => g,
            Err(errors) => {
                for e in errors {
                    report.problem(
                        file,
                        line,
                        e.render(&field_label(&ASSESSMENT, self.columns, e.field)),
                    );
                }
                return Ok(());
            }
        };
        if self.pending.as_ref().is_some_and(|p| p.household != code) {
            self.flush(conn, actor, file, report)?;
        }
        match &mut self.pending {
            None => {
                let lines = vec![line; given.len()];
                self.pending = Some(Pending {
                    household: code,
                    line,
                    given,
                    lines,
                });
            }
            Some(p) => {
                for (i, v) in given.into_iter().enumerate() {
                    let Some(v) = v.filter(|v| !v.is_null()) else {
                        continue;
                    };
                    match &p.given[i] {
                        Some(old) if !old.is_null() && *old != v => {
                            let field = &ASSESSMENT.fields[i];
                            let label = field_label(&ASSESSMENT, self.columns, field.name);
                            let shown = |v: &Value| crate::present::text(field, v);
                            report.fatal = true;
                            report.problem(
                                file,
                                line,
                                t(
                                    &format!(
                                        "{label}: {} here but {} on line {} of the same household {}; a household's rows must agree",
                                        shown(&v),
                                        shown(old),
                                        p.lines[i],
                                        p.household
                                    ),
                                    &format!(
                                        "{label}：本行为 {}，同户第 {} 行为 {}（户编号 {}）；同一户各行应一致",
                                        shown(&v),
                                        p.lines[i],
                                        shown(old),
                                        p.household
                                    ),
                                ),
                            );
                        }
                        _ => {
                            p.given[i] = Some(v);
                            p.lines[i] = line;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes the household gathered so far.
    fn flush(
        &mut self,
        conn: &Connection,
        actor: &Actor,
        file: &str,
        report: &mut Report,
    ) -> Result<()> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        let holds_values = ASSESSMENT.fields.iter().zip(&p.given).any(|(f, v)| {
            !matches!(f.name, "household" | "year" | "note")
                && v.as_ref().is_some_and(|v| !v.is_null())
        });
        if !holds_values {
            return Ok(());
        }
        let key: Vec<Value> = ["household", "year"]
            .iter()
            .map(|k| p.given[at(&ASSESSMENT, k)].clone().unwrap_or_default())
            .collect();
        let base = store::find(conn, &ASSESSMENT, &key.iter().collect::<Vec<_>>())?;
        let mut values =
            record::complete_owned(&ASSESSMENT, p.given, base.as_ref().map(|b| &b.1[..]));
        let errors = record::check(conn, &ASSESSMENT, &mut values);
        if !errors.is_empty() {
            for e in errors {
                report.problem(
                    file,
                    p.line,
                    e.render(&field_label(&ASSESSMENT, self.columns, e.field)),
                );
            }
            return Ok(());
        }
        match store::write(conn, actor, &ASSESSMENT, &values, Mode::Upsert)? {
            Outcome::Inserted => self.counts.inserted += 1,
            Outcome::Updated => self.counts.updated += 1,
            Outcome::Unchanged => self.counts.unchanged += 1,
        }
        Ok(())
    }
}
