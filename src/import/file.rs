//! One file (or sheet) of an import: its layout and header, the choice
//! between a bulk load into an empty table and row-by-row writing, the
//! loop over its rows, and the duplicates reported at the end.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Result;
use csv::ByteRecord;
use rusqlite::{Connection, OptionalExtension, Statement, params_from_iter};

use super::audit::record_json;
use super::bulk::{self, Pending};
use super::companions::Plan as Companions;
use super::missing::Covered;
use super::notes::Notes;
use super::pipeline::{self, Batch, Cell};
use super::rejects::{Rejects, reject, skip_row};
use super::row::{Write, check_row, write_error};
use super::scan::{Scan, Touched, same_as_stored};
use super::{FileSummary, LineProblem, Options, Report, SHOWN, progress_bar};
use crate::db::audit::{self, Action, Actor};
use crate::db::resolve::Resolver;
use crate::db::store::{self, Value};
use crate::input::Spec;
use crate::input::headers::{self, Columns};
use crate::input::layout::{Layout, Rows};
use crate::lang::t;
use crate::model::{Entity, Kind};
use crate::record::{FieldError, RawRow};
use crate::values::Problem;

/// Imports one file or sheet into the open transaction: one summary, or
/// two for a file with one row per household member (households, people).
#[allow(clippy::too_many_arguments)]
pub(super) fn import_file(
    conn: &Connection,
    actor: &Actor,
    resolver: &mut Resolver,
    opts: &Options,
    spec: &Spec,
    entity: &'static Entity,
    rejects_path: PathBuf,
    report: &mut Report,
) -> Result<Vec<FileSummary>> {
    let file = spec.display();
    let mut summary = FileSummary::new(spec, entity);
    let Some((mut rows, layout)) = Rows::open(spec, Some(entity))? else {
        report.fatal = true;
        report.problem(
            &file,
            1,
            t(
                "the file is empty; it needs a header row naming the columns",
                "文件是空的；应有一行列名",
            ),
        );
        return Ok(vec![summary]);
    };
    if super::people::is_person_level(entity, &layout.header) {
        return super::people::import_person_level(
            conn,
            actor,
            resolver,
            opts,
            spec,
            rows,
            &layout,
            rejects_path,
            report,
        );
    }
    let (mut columns, header_problems) =
        headers::match_header(entity, &layout.header, opts.ignore_unknown_columns);
    columns.in_sheet = spec.sheet.is_some();
    let header_problems = super::defaults_cover(opts, header_problems);
    let household_columns = (entity.kind == Kind::Household).then_some(&columns);
    let companions = Companions::new(entity, &columns, household_columns, opts);
    summary.skipped.clone_from(&layout.skipped);
    summary.not_kept.clone_from(&columns.not_kept);
    summary.not_kept.extend(companions.unread(&columns));
    summary.ignored.clone_from(&columns.ignored);
    if !header_problems.is_empty() {
        report.fatal = true;
        for p in header_problems {
            report.problem(&file, layout.line, format!("{}: {}", p.column, p.message));
        }
        return Ok(vec![summary]);
    }
    let (encoding, bom) = rows.source().written_as();
    let rejects = Rejects::new(rejects_path, layout.header.clone(), encoding, bom);
    let progress = progress_bar(opts, rows.source());
    let size = rows.source().size();
    let large = rows.source().is_large();
    let mut target = Target::start(
        conn,
        actor,
        opts,
        entity,
        &file,
        &columns,
        rejects.clone(),
        summary,
        &[],
    )?;
    if target.bulk && large && pipeline::applies(entity) {
        pipeline::load_rows(&mut target.load, rows, report, progress.as_ref())?;
    } else {
        target
            .load
            .read_rows(&mut rows, resolver, report, progress.as_ref())?;
        target.load.summary.skipped.extend(rows.take_skipped());
    }
    if let Some(bar) = &progress {
        bar.set_position(size);
    }
    let mut summary = target.end(resolver, spec, &layout, report, progress.as_ref())?;
    summary.ignored.extend(columns.unnamed_ignored_names());
    summary
        .warnings
        .extend(companions.warning(&columns, layout.line));
    if !report.fatal {
        let written = companions.load(conn, actor, opts, spec, &layout, report)?;
        summary.events = written.events;
        summary.assessments = written.assessments;
        summary.monitoring = written.monitoring;
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if !opts.dry_run
        && let Some(written) = rejects.finish()?
    {
        report.rejects.push(written);
    }
    Ok(vec![summary])
}

/// One record kind being loaded from a file: its rows written through
/// [`Load`], and, for a load into an empty table, the indexes dropped for
/// the load and rebuilt at its end.
pub(super) struct Target<'c> {
    pub(super) load: Load<'c>,
    pub(super) bulk: bool,
    dropped: Vec<(String, String)>,
}

impl<'c> Target<'c> {
    /// Starts loading `entity`. An empty table is loaded without its
    /// indexes (but those named in `keep`) and without looking each row
    /// up; a duplicate then shows when the indexes are rebuilt. Skipping
    /// bad rows needs to know a duplicate at once, so it takes the
    /// row-by-row way.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn start(
        conn: &'c Connection,
        actor: &'c Actor,
        opts: &'c Options,
        entity: &'static Entity,
        file: &'c str,
        columns: &'c Columns,
        rejects: Rejects,
        summary: FileSummary,
        keep: &[&str],
    ) -> Result<Target<'c>> {
        let bulk = table_is_empty(conn, entity)? && !opts.skip_invalid;
        let dropped = if bulk {
            drop_indexes(conn, entity, keep)?
        } else {
            Vec::new()
        };
        let load = Load::new(
            conn, actor, opts, entity, file, columns, bulk, rejects, summary,
        )?;
        Ok(Target {
            load,
            bulk,
            dropped,
        })
    }

    /// Ends the load: its audit row, the indexes rebuilt, the duplicates
    /// they found located by reading the file again.
    pub(super) fn end(
        mut self,
        resolver: &mut Resolver,
        spec: &Spec,
        layout: &Layout,
        report: &mut Report,
        progress: Option<&indicatif::ProgressBar>,
    ) -> Result<FileSummary> {
        let (conn, entity, columns, file) = (
            self.load.conn,
            self.load.entity,
            self.load.columns,
            self.load.file,
        );
        let person_rules = self.load.person_rules;
        if self.bulk {
            if let Some(bar) = progress {
                bar.set_message(t("building indexes", "建立索引"));
                // The rebuild is one long statement: keep the bar alive.
                bar.enable_steady_tick(std::time::Duration::from_millis(250));
            }
            if self.load.summary.inserted > 0 {
                self.load.audit_load()?;
            }
        }
        // The statements are finished before the indexes are rebuilt.
        let (mut summary, mut pending) = self.load.finish()?;
        let mut people_problems = Vec::new();
        if self.bulk {
            let duplicates = bulk::rebuild_indexes(conn, entity, &self.dropped)?;
            if !duplicates.is_empty() {
                // Records of later files could not refer to this table
                // without its unique index; the import is refused here.
                report.fatal = true;
                report.stopped = true;
            } else if person_rules {
                people_problems = crate::db::heads::check_all_people(conn)?;
            }
            pending.extend(duplicates);
        }
        if !people_problems.is_empty() {
            let loaded = Loaded {
                conn,
                entity,
                columns,
                file,
            };
            loaded.report_people(
                resolver,
                spec,
                layout,
                report,
                &mut summary,
                people_problems,
            )?;
        }
        if !pending.is_empty() {
            let located = bulk::locate(conn, resolver, spec, layout, entity, columns, &pending)?;
            let label = |field: &str| field_label(entity, columns, field);
            report_duplicates(file, &pending, &located, &mut summary, report, &label);
        }
        Ok(summary)
    }
}

/// Where problems of people found once a load is in are reported.
struct Loaded<'a> {
    conn: &'a Connection,
    entity: &'static Entity,
    columns: &'a Columns,
    file: &'a str,
}

impl Loaded<'_> {
    /// The problems of people found once the load is in, on their lines:
    /// the import is refused.
    fn report_people(
        &self,
        resolver: &mut Resolver,
        spec: &Spec,
        layout: &Layout,
        report: &mut Report,
        summary: &mut FileSummary,
        problems: Vec<(String, FieldError)>,
    ) -> Result<()> {
        let (conn, entity, columns) = (self.conn, self.entity, self.columns);
        let wanted: Vec<Pending> = problems
            .iter()
            .map(|(code, _)| Pending {
                line: 0,
                field: "code",
                value: code.clone(),
            })
            .collect();
        let located = bulk::locate(conn, resolver, spec, layout, entity, columns, &wanted)?;
        report.fatal = true;
        for (code, error) in problems {
            let line = located
                .get(&("code", code.clone()))
                .and_then(|lines| lines.first().copied())
                .unwrap_or(0);
            summary.rejected += 1;
            summary.inserted = summary.inserted.saturating_sub(1);
            report.problem(
                self.file,
                line,
                error.render(&field_label(entity, columns, error.field)),
            );
        }
        Ok(())
    }
}

/// A field as messages name it: the canonical name in English; in Chinese
/// the file's own header for it (what the clerk sees), else its Chinese
/// name.
pub(super) fn field_label(entity: &Entity, columns: &Columns, field: &str) -> String {
    let Some(i) = entity.fields.iter().position(|f| f.name == field) else {
        return field.to_string();
    };
    if !crate::lang::zh() {
        return field.to_string();
    }
    columns
        .header_of(i)
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| entity.fields[i].zh_label().to_string())
}

fn table_is_empty(conn: &Connection, entity: &Entity) -> Result<bool> {
    Ok(conn
        .query_row(
            &format!("SELECT 1 FROM {} LIMIT 1", entity.table),
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_none())
}

/// Drops the table's named indexes, but those in `keep` and partial ones
/// (a rule between rows, such as one head per household, is kept at
/// every row), and returns them for the rebuild.
fn drop_indexes(
    conn: &Connection,
    entity: &Entity,
    keep: &[&str],
) -> Result<Vec<(String, String)>> {
    let indexes: Vec<(String, String)> = bulk::named_indexes(conn, entity.table)?
        .into_iter()
        .filter(|(name, sql)| !keep.contains(&name.as_str()) && !sql.contains(" WHERE "))
        .collect();
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX {name}"))?;
    }
    Ok(indexes)
}

/// The state of one file's rows being written.
pub(super) struct Load<'c> {
    pub(super) conn: &'c Connection,
    actor: &'c Actor,
    pub(super) opts: &'c Options,
    pub(super) entity: &'static Entity,
    pub(super) file: &'c str,
    pub(super) columns: &'c Columns,
    bulk: bool,
    /// True when a row may be recognised as unchanged from its text alone.
    literal_ok: bool,
    width: usize,
    id_at: Option<usize>,
    insert: Statement<'c>,
    id_owner: Option<Statement<'c>>,
    audit_insert: Statement<'c>,
    scan: Scan,
    touched: Touched,
    /// Keys met again, waiting for the line they were first met on.
    pending: Vec<Pending>,
    rejects: Rejects,
    pub(super) summary: FileSummary,
    pub(super) notes: Notes,
    /// People are held against their household's head (`db::heads`),
    /// unless the households come from the same rows.
    pub(super) person_rules: bool,
    /// The places the rows are in, with `--missing`.
    covered: Option<Covered>,
    json: String,
    first_key: Option<String>,
    pub(super) last_values: Option<Vec<Value>>,
}

impl<'c> Load<'c> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        conn: &'c Connection,
        actor: &'c Actor,
        opts: &'c Options,
        entity: &'static Entity,
        file: &'c str,
        columns: &'c Columns,
        bulk: bool,
        rejects: Rejects,
        summary: FileSummary,
    ) -> Result<Load<'c>> {
        let width = entity.stored().count();
        let placeholders = (1..=width)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let insert = conn.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({placeholders})",
            entity.table,
            store::columns(entity)
        ))?;
        let id_owner =
            if entity.kind == Kind::Household && !bulk {
                Some(conn.prepare(
                    "SELECT id, code FROM households WHERE id_number = ?1 AND code <> ?2",
                )?)
            } else {
                None
            };
        let audit_insert = conn.prepare(audit::INSERT)?;
        // A town hint must still be checked, so a file with one is parsed.
        let literal_ok = entity
            .fields
            .iter()
            .zip(&columns.of_field)
            .all(|(f, c)| f.stored || c.is_none());
        Ok(Load {
            conn,
            actor,
            opts,
            entity,
            file,
            columns,
            bulk,
            literal_ok,
            width,
            id_at: store::position(entity, "id_number"),
            insert,
            id_owner,
            audit_insert,
            scan: Scan::new(entity),
            touched: Touched::default(),
            pending: Vec::new(),
            rejects,
            summary,
            notes: Notes::default(),
            person_rules: entity.kind == Kind::Person,
            covered: opts
                .missing
                .map(|_| Covered::new(entity))
                .filter(Covered::applies),
            json: String::new(),
            first_key: None,
            last_values: None,
        })
    }

    fn read_rows(
        &mut self,
        rows: &mut Rows,
        resolver: &mut Resolver,
        report: &mut Report,
        progress: Option<&indicatif::ProgressBar>,
    ) -> Result<()> {
        let mut raw = RawRow::new();
        let mut record = ByteRecord::new();
        let mut rows_seen: u64 = 0;
        while let Some(at) = rows.next(&mut record)? {
            if rows_seen.is_multiple_of(4096)
                && let Some(bar) = progress
            {
                bar.set_position(at.byte);
            }
            rows_seen += 1;
            // References to many different cadres would grow the cache with
            // the file; starting afresh now and then keeps memory flat.
            if rows_seen.is_multiple_of(1 << 16) {
                resolver.clear();
            }
            self.row(resolver, report, at.line, &record, &mut raw)?;
        }
        Ok(())
    }

    /// Checks and writes one row, or leaves it out with its problems.
    pub(super) fn row(
        &mut self,
        resolver: &mut Resolver,
        report: &mut Report,
        line: u64,
        record: &ByteRecord,
        raw: &mut RawRow,
    ) -> Result<()> {
        if self.unchanged_literally(record)? {
            return Ok(());
        }
        let checked = check_row(
            self.conn,
            resolver,
            self.entity,
            self.columns,
            record,
            self.opts.ignore_unknown_columns,
            self.bulk,
            &mut self.scan,
            &self.touched,
            self.id_owner.as_mut(),
            self.id_at,
            raw,
            &self.opts.defaults,
        )?;
        let (values, write, dup) = match checked {
            Ok(ok) => ok,
            Err(errors) => return self.reject(report, line, record, &errors),
        };
        if let Some(p) = dup {
            return self.duplicate(report, line, record, p);
        }
        // A load into an empty table checks its people once, at its end.
        if self.person_rules && !self.bulk {
            let errors = crate::db::heads::check_person(self.conn, &values, true)?;
            if !errors.is_empty() {
                return self.reject(report, line, record, &errors);
            }
        }
        // A household is never monitored twice at once; the row replaces
        // the stored record with its own key, left out.
        if self.entity.kind == Kind::Monitor {
            let own = match &write {
                Write::Update(id, _) | Write::Unchanged(id) => Some(*id),
                _ => None,
            };
            if let Some(e) = crate::record::monitor_overlap(self.conn, self.entity, &values, own)? {
                return self.reject(report, line, record, &[e]);
            }
        }
        self.notes.row(self.entity, self.columns, record, raw, line);
        if let Some(covered) = &mut self.covered {
            covered.note(&values);
        }
        match write {
            Write::Duplicate => Ok(()),
            Write::Insert => self.insert(report, line, record, values),
            Write::Unchanged(id) => {
                self.touched.mark(id);
                self.summary.unchanged += 1;
                Ok(())
            }
            Write::Update(id, old) => self.update(report, line, record, id, old, values),
        }
    }

    /// True (and counted) when the row is exactly what the next stored
    /// record exports to: it parses back to the stored values, which were
    /// checked when written.
    fn unchanged_literally(&mut self, record: &ByteRecord) -> Result<bool> {
        if self.bulk || !self.literal_ok {
            return Ok(false);
        }
        let Some((id, enc)) = self.scan.peek(self.conn, self.width)? else {
            return Ok(false);
        };
        if self.touched.has(*id)
            || super::row::has_stray_values(self.columns, record)
            || !same_as_stored(self.entity, self.columns, record, enc)
        {
            return Ok(false);
        }
        if let Some(covered) = &mut self.covered {
            covered.note_encoded(self.entity, enc);
        }
        self.touched.mark(*id);
        self.scan.take();
        self.summary.unchanged += 1;
        Ok(true)
    }

    pub(super) fn reject(
        &mut self,
        report: &mut Report,
        line: u64,
        record: &ByteRecord,
        errors: &[FieldError],
    ) -> Result<()> {
        let texts = self.render(errors);
        reject(
            report,
            &self.rejects,
            &mut self.summary,
            self.opts,
            self.file,
            line,
            record,
            &texts,
        )
    }

    /// `column: what is wrong (value); hint`, the column named as the
    /// clerk knows it (see [`field_label`]).
    fn render(&self, errors: &[FieldError]) -> Vec<String> {
        errors
            .iter()
            .map(|e| e.render(&field_label(self.entity, self.columns, e.field)))
            .collect()
    }

    /// A key or ID number this file already wrote.
    fn duplicate(
        &mut self,
        report: &mut Report,
        line: u64,
        record: &ByteRecord,
        p: Pending,
    ) -> Result<()> {
        let text = match p.field {
            "id_number" => t(
                "ID number also in an earlier row of this file; one person heads one household",
                "身份证号与本文件前面某行重复；一人只能是一户的户主",
            ),
            _ => t(
                &format!(
                    "duplicate key ({}), also in an earlier row of this file",
                    p.value
                ),
                &format!("编号重复（{}），本文件前面已有", p.value),
            ),
        };
        let texts = self.render(&[FieldError::new(p.field, "", Problem::new(text))]);
        // Its message, naming the first line, is written once the file has
        // been read again.
        report.problem_count += 1;
        if self.pending.len() < SHOWN {
            self.pending.push(Pending { line, ..p });
        }
        skip_row(&self.rejects, &mut self.summary, self.opts, record, &texts)
    }

    pub(super) fn insert(
        &mut self,
        report: &mut Report,
        line: u64,
        record: &ByteRecord,
        values: Vec<Value>,
    ) -> Result<()> {
        if let Err(e) = self.insert.execute(params_from_iter(&values)) {
            let errors = [write_error(self.entity, e)];
            return self.reject(report, line, record, &errors);
        }
        self.summary.inserted += 1;
        if self.bulk {
            // Audited once for the whole load (see `audit_load`).
            if self.first_key.is_none() {
                self.first_key = Some(store::key_text(self.entity, &values));
            }
            self.last_values = Some(values);
            return Ok(());
        }
        let id = self.conn.last_insert_rowid();
        self.touched.mark(id);
        let key = store::key_text(self.entity, &values);
        record_json(self.entity, &values, &mut self.json);
        self.audit_insert.execute(rusqlite::params![
            &self.actor.at,
            &self.actor.actor,
            &self.actor.command,
            self.entity.name,
            &key,
            Action::Insert.as_str(),
            None::<String>,
            &self.json,
            self.actor.change(self.conn)?,
            self.actor.reverts,
            id,
        ])?;
        Ok(())
    }

    /// [`Load::insert`] of a row checked by the pipeline, bound straight
    /// from its batch.
    pub(super) fn insert_cells(
        &mut self,
        report: &mut Report,
        line: u64,
        batch: &Batch,
        cells: &[Cell],
    ) -> Result<bool> {
        let mut bound = Ok(());
        for (i, &cell) in cells.iter().enumerate() {
            bound = match cell {
                Cell::Null => self.insert.raw_bind_parameter(i + 1, rusqlite::types::Null),
                Cell::Int(n) => self.insert.raw_bind_parameter(i + 1, n),
                Cell::Text(..) => self
                    .insert
                    .raw_bind_parameter(i + 1, batch.text(cell).unwrap_or_default()),
            };
            if bound.is_err() {
                break;
            }
        }
        if let Err(e) = bound.and_then(|()| self.insert.raw_execute().map(|_| ())) {
            let errors = [write_error(self.entity, e)];
            self.reject(report, line, &ByteRecord::new(), &errors)?;
            return Ok(false);
        }
        self.summary.inserted += 1;
        // Audited once for the whole load (see `audit_load`); only a bulk
        // load is pipelined.
        if self.first_key.is_none() {
            self.first_key = Some(store::key_text(self.entity, &batch.values(cells)));
        }
        Ok(true)
    }

    fn update(
        &mut self,
        report: &mut Report,
        line: u64,
        record: &ByteRecord,
        id: i64,
        old: Vec<Value>,
        values: Vec<Value>,
    ) -> Result<()> {
        self.touched.mark(id);
        if let Err(e) = store::update(self.conn, self.entity, id, &values) {
            let errors = [FieldError::new(
                self.entity.key[0],
                "",
                Problem::new(format!("{e:#}")),
            )];
            return self.reject(report, line, record, &errors);
        }
        let key = store::key_text(self.entity, &values);
        audit::record(
            self.conn,
            self.actor,
            audit::Entry {
                entity: self.entity,
                record: Some(id),
                key: &key,
                action: Action::Update,
                old: Some(&old),
                new: Some(&values),
            },
        )?;
        crate::db::heads::follow_household(
            self.conn,
            self.actor,
            self.entity,
            Some(&old),
            &values,
        )?;
        self.summary.updated += 1;
        Ok(())
    }

    /// A row refused with its group, its problems said on their lines (a
    /// bulk load, which keeps no rejects file).
    pub(super) fn reject_said(&mut self, report: &mut Report, texts: &[(u64, String)]) {
        for (line, text) in texts {
            report.problem(self.file, *line, text.clone());
        }
        self.summary.rejected += 1;
    }

    /// The rejects file this load sets rows aside in.
    pub(super) fn rejects_handle(&self) -> Rejects {
        self.rejects.clone()
    }

    /// The summary with what was noted and, with `--missing`, the records
    /// the file lacks.
    fn finish(mut self) -> Result<(FileSummary, Vec<Pending>)> {
        if let Some(scope) = self.opts.missing {
            self.summary.missing = match &self.covered {
                // A first load into an empty table lacks nothing.
                Some(covered) if !self.bulk => {
                    Some(covered.missing(self.conn, self.entity, scope, &self.touched)?)
                }
                Some(_) => Some(Vec::new()),
                None => None,
            };
        }
        let notes = std::mem::take(&mut self.notes);
        notes.into_summary(&mut self.summary, &self.opts.defaults);
        Ok((self.summary, self.pending))
    }

    /// One audit row for a load into an empty table. One per record would
    /// double the work of a bulk load (measured: +2.4 s on 1M households,
    /// the whole budget). The records themselves hold the inserted values
    /// until their first update, which is audited with old and new values.
    fn audit_load(&mut self) -> Result<()> {
        let last_key = self
            .last_values
            .as_ref()
            .map(|v| store::key_text(self.entity, v))
            .unwrap_or_default();
        let mut new = serde_json::json!({
            "file": self.file,
            "rows": self.summary.inserted,
            "first": self.first_key,
            "last": last_key,
        });
        // The dates given for the whole file are part of what was loaded.
        let d = &self.opts.defaults;
        if self.entity.kind == Kind::Household
            && (d.registered_on.is_some() || d.lifted_on.is_some())
        {
            new["defaults"] = serde_json::json!({
                "registered_on": d.registered_on,
                "lifted_on": d.lifted_on,
            });
        }
        self.audit_insert.execute(rusqlite::params![
            &self.actor.at,
            &self.actor.actor,
            &self.actor.command,
            self.entity.name,
            "*",
            Action::Insert.as_str(),
            None::<String>,
            new.to_string(),
            self.actor.change(self.conn)?,
            self.actor.reverts,
            None::<i64>,
        ])?;
        Ok(())
    }
}

/// Turns the duplicates met into problems naming the line each key was
/// first met on.
fn report_duplicates(
    file: &str,
    pending: &[Pending],
    located: &std::collections::HashMap<(&'static str, String), Vec<u64>>,
    summary: &mut FileSummary,
    report: &mut Report,
    label: &dyn Fn(&str) -> String,
) {
    let mut reported: HashSet<(&'static str, String)> = HashSet::new();
    for p in pending {
        let lines = located
            .get(&(p.field, p.value.clone()))
            .cloned()
            .unwrap_or_default();
        let first = lines.first().copied();
        // Found while loading an empty table: every later copy is a
        // problem, counted here. Found row by row: this line only, counted
        // already.
        let later: Vec<u64> = if p.line == 0 {
            if !reported.insert((p.field, p.value.clone())) {
                continue;
            }
            let later: Vec<u64> = lines.iter().skip(1).copied().collect();
            let n = later.len().max(1);
            report.problem_count += n;
            summary.rejected += n as u64;
            summary.inserted = summary.inserted.saturating_sub(n as u64);
            later
        } else {
            vec![p.line]
        };
        for line in later {
            let text = bulk::duplicate_text(p, first.filter(|&f| f < line), &label(p.field));
            report.problems.push(LineProblem {
                file: file.to_string(),
                line,
                text,
            });
        }
    }
}
