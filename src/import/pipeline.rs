//! A large load into an empty table on two threads: a worker reads,
//! decodes, parses and checks the rows, resolving references against a
//! [`Snapshot`] of the referenced tables, and sends ready-to-bind values in
//! batches over a bounded channel; the thread that owns the connection only
//! inserts them. The two halves cost about the same (1.3 s and 1.15 s per
//! million households), so together they take little more than the longer.
//! Moving only the CSV reading to a thread was measured slower: it left all
//! the checking on the writing side and added the hand-over.
//!
//! Problems are those of the single-threaded path, with the same lines, in
//! file order; the transaction, the rejects file and the progress bar stay
//! with the caller.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use anyhow::{Result, anyhow};
use csv::ByteRecord;

use super::Report;
use super::file::Load;
use super::notes::Notes;
use super::row::raw_row;
use crate::db::resolve::Snapshot;
use crate::db::store::Value;
use crate::input::headers::Columns;
use crate::input::layout::{Rows, Skipped};
use crate::model::{Entity, Kind, Ty};
use crate::record::{self, FieldError, RawRow};

/// Rows per batch, and batches in flight: enough to even out the two
/// threads' pace, little memory (~0.5 MiB a batch of households).
const BATCH: usize = 1024;
const IN_FLIGHT: usize = 4;

/// True when a bulk load of this kind may be checked away from the
/// connection: its key is a code (nothing to normalise against the
/// database) and its checks look nothing up.
pub(super) fn applies(entity: &Entity) -> bool {
    entity.has_code() && !record::check_needs_db(entity.kind)
}

/// One cell of a checked row, its text in the batch's buffer.
#[derive(Clone, Copy)]
pub(super) enum Cell {
    Null,
    Int(i64),
    Text(usize, usize),
}

/// A checked row: the range of its cells in the batch, or its problems.
type RowCells = std::result::Result<(usize, usize), Vec<FieldError>>;

/// Checked rows laid out flat, so that a batch allocates nothing once it
/// has been round the two threads: values allocated on one thread and
/// freed on the other made glibc's allocator take a lock per call
/// (measured: the pipeline ran 1.3× slower than one thread).
#[derive(Default)]
pub(super) struct Batch {
    text: String,
    cells: Vec<Cell>,
    /// Per row: its line, and its cells (a range of `cells`) or problems.
    rows: Vec<(u64, RowCells)>,
    /// Where in the file the batch ends, for progress.
    byte: u64,
}

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.rows.clear();
    }

    fn push(&mut self, line: u64, values: &[Value]) {
        let start = self.cells.len();
        for v in values {
            self.cells.push(match v {
                Value::Null => Cell::Null,
                Value::Int(n) => Cell::Int(*n),
                Value::Text(t) => {
                    let from = self.text.len();
                    self.text.push_str(t);
                    Cell::Text(from, self.text.len())
                }
            });
        }
        self.rows.push((line, Ok((start, self.cells.len()))));
    }

    pub(super) fn text(&self, cell: Cell) -> Option<&str> {
        match cell {
            Cell::Text(from, to) => self.text.get(from..to),
            _ => None,
        }
    }

    /// The values of a row, for the few rows that need them owned.
    pub(super) fn values(&self, cells: &[Cell]) -> Vec<Value> {
        cells
            .iter()
            .map(|&c| match c {
                Cell::Null => Value::Null,
                Cell::Int(n) => Value::Int(n),
                Cell::Text(..) => Value::Text(self.text(c).unwrap_or_default().to_string()),
            })
            .collect()
    }
}

/// Hands the file's rows (its layout found) to a worker thread and writes
/// them through `load`.
pub(super) fn load_rows(
    load: &mut Load<'_>,
    rows: Rows,
    report: &mut Report,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let entity = load.entity;
    let columns = load.columns;
    let ignore_unknown = load.opts.ignore_unknown_columns;
    let defaults = load.opts.defaults.clone();
    // The referenced tables cannot change while another table is loaded.
    let kinds: Vec<Kind> = entity
        .fields
        .iter()
        .filter_map(|f| match f.ty {
            Ty::Ref(kind) => Some(kind),
            _ => None,
        })
        .collect();
    let snapshot = Snapshot::load(load.conn, &kinds)?;
    std::thread::scope(|s| {
        let (tx, rx) = sync_channel(IN_FLIGHT);
        // Written batches go back to be filled again.
        let (back_tx, back_rx) = sync_channel(IN_FLIGHT + 2);
        let worker = s.spawn(move || {
            check_rows(
                rows,
                entity,
                columns,
                ignore_unknown,
                &defaults,
                snapshot,
                (tx, back_rx),
            )
        });
        // On an error here the receiver is dropped, which stops the worker.
        let written = write_rows(load, rx, back_tx, report, progress);
        let checked = worker
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the thread checking the rows failed")));
        // A reading error ended the rows early: it is the one to report.
        let (notes, skipped) = checked?;
        written?;
        load.notes.add(notes);
        load.summary.skipped.extend(skipped);
        Ok(())
    })
}

fn write_rows(
    load: &mut Load<'_>,
    rx: Receiver<Batch>,
    back: SyncSender<Batch>,
    report: &mut Report,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    // Only a rejects file needs a row's cells, and a bulk load never writes
    // one (`--skip-invalid` takes the row-by-row way).
    let no_cells = ByteRecord::new();
    for batch in rx {
        if let Some(bar) = progress {
            bar.set_position(batch.byte);
        }
        let mut last = None;
        for (line, row) in &batch.rows {
            match row {
                Ok((from, to)) => {
                    let cells = &batch.cells[*from..*to];
                    if load.insert_cells(report, *line, &batch, cells)? {
                        last = Some(cells);
                    }
                }
                Err(errors) => load.reject(report, *line, &no_cells, errors)?,
            }
        }
        // The audit row names the last key loaded.
        if let Some(cells) = last {
            load.last_values = Some(batch.values(cells));
        }
        // The worker may have finished; then the batch is simply dropped.
        let _ = back.try_send(batch);
    }
    Ok(())
}

/// The worker: every row of the file, checked as [`super::row::check_row`]
/// checks a row of a bulk load. Returns what it noted of the rows and the
/// rows it passed over.
fn check_rows(
    mut rows: Rows,
    entity: &'static Entity,
    columns: &Columns,
    ignore_unknown: bool,
    defaults: &super::Defaults,
    mut refs: Snapshot,
    (tx, back): (SyncSender<Batch>, Receiver<Batch>),
) -> Result<(Notes, Vec<Skipped>)> {
    let mut record = ByteRecord::new();
    let mut raw = RawRow::new();
    let mut batch = Batch::default();
    let mut notes = Notes::default();
    while let Some(at) = rows.next(&mut record)? {
        batch.byte = at.byte;
        let checked = check(
            entity,
            columns,
            &record,
            ignore_unknown,
            defaults,
            &mut refs,
            &mut raw,
        );
        match checked {
            Ok(values) => {
                notes.row(entity, columns, &record, &raw, at.line);
                batch.push(at.line, &values);
            }
            Err(errors) => batch.rows.push((at.line, Err(errors))),
        }
        if batch.rows.len() == BATCH {
            let mut next = back.try_recv().unwrap_or_default();
            next.clear();
            if tx.send(std::mem::replace(&mut batch, next)).is_err() {
                // The writing side stopped with an error of its own.
                return Ok((notes, rows.take_skipped()));
            }
        }
    }
    if !batch.rows.is_empty() {
        let _ = tx.send(batch);
    }
    Ok((notes, rows.take_skipped()))
}

fn check(
    entity: &'static Entity,
    columns: &Columns,
    record: &ByteRecord,
    ignore_unknown: bool,
    defaults: &super::Defaults,
    refs: &mut Snapshot,
    raw: &mut RawRow,
) -> std::result::Result<Vec<Value>, Vec<FieldError>> {
    let mut errors = raw_row(entity, columns, record, ignore_unknown, raw);
    defaults.fill(entity, raw);
    let given = match record::parse_with(refs, entity, raw) {
        Ok(g) => g,
        Err(mut e) => {
            errors.append(&mut e);
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut values = record::complete_owned(entity, given, None);
    // `applies` admits only kinds whose checks ask no town of a village.
    let errors = record::check_with(&mut |_| None, entity, &mut values);
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}
