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

/// A checked row: the range of its cells in the batch, or its problems
/// (with a field, or said whole on their lines, as a household's group is).
pub(super) enum RowCells {
    Cells(usize, usize),
    Errors(Vec<FieldError>),
    Said(Vec<(u64, String)>),
}

/// A row of a batch and the load it goes to (0, or 1 for a person-level
/// file's people).
pub(super) struct BatchRow {
    line: u64,
    target: usize,
    cells: RowCells,
}

/// Checked rows laid out flat, so that a batch allocates nothing once it
/// has been round the two threads: values allocated on one thread and
/// freed on the other made glibc's allocator take a lock per call
/// (measured: the pipeline ran 1.3× slower than one thread).
#[derive(Default)]
pub(super) struct Batch {
    text: String,
    cells: Vec<Cell>,
    rows: Vec<BatchRow>,
    /// Where in the file the batch ends, for progress.
    byte: u64,
}

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.rows.clear();
    }

    fn push(&mut self, target: usize, line: u64, values: &[Value]) {
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
        self.rows.push(BatchRow {
            line,
            target,
            cells: RowCells::Cells(start, self.cells.len()),
        });
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

/// The worker's end of the channel: rows go out in batches, which come
/// back to be filled again.
pub(super) struct Sender {
    tx: SyncSender<Batch>,
    back: Receiver<Batch>,
    batch: Batch,
}

impl Sender {
    /// Sends a checked row; false when the writing side has stopped (with
    /// an error of its own), and the worker should too.
    pub(super) fn row(
        &mut self,
        target: usize,
        line: u64,
        byte: u64,
        checked: std::result::Result<&[Value], Vec<FieldError>>,
    ) -> bool {
        self.batch.byte = byte;
        match checked {
            Ok(values) => self.batch.push(target, line, values),
            Err(errors) => self.batch.rows.push(BatchRow {
                line,
                target,
                cells: RowCells::Errors(errors),
            }),
        }
        self.flush_full()
    }

    /// Sends a row refused as part of its group, with the problems to say
    /// (each on its line; none when said already).
    pub(super) fn said(&mut self, target: usize, line: u64, texts: Vec<(u64, String)>) -> bool {
        self.batch.rows.push(BatchRow {
            line,
            target,
            cells: RowCells::Said(texts),
        });
        self.flush_full()
    }

    fn flush_full(&mut self) -> bool {
        if self.batch.rows.len() < BATCH {
            return true;
        }
        let mut next = self.back.try_recv().unwrap_or_default();
        next.clear();
        self.tx
            .send(std::mem::replace(&mut self.batch, next))
            .is_ok()
    }

    fn finish(self) {
        if !self.batch.rows.is_empty() {
            let _ = self.tx.send(self.batch);
        }
    }
}

/// What the worker noted of each load's rows, and the rows it passed over.
pub(super) type Noted = Vec<(Notes, Vec<Skipped>)>;

/// Runs `worker` on a thread of its own, writing what it sends through
/// `loads` (a row's target is its index here).
pub(super) fn run<W>(
    loads: &mut [&mut Load<'_>],
    report: &mut Report,
    progress: Option<&indicatif::ProgressBar>,
    worker: W,
) -> Result<()>
where
    W: FnOnce(&mut Sender) -> Result<Noted> + Send,
{
    std::thread::scope(|s| {
        let (tx, rx) = sync_channel(IN_FLIGHT);
        // Written batches go back to be filled again.
        let (back_tx, back_rx) = sync_channel(IN_FLIGHT + 2);
        let worker = s.spawn(move || {
            let mut sender = Sender {
                tx,
                back: back_rx,
                batch: Batch::default(),
            };
            let noted = worker(&mut sender);
            sender.finish();
            noted
        });
        // On an error here the receiver is dropped, which stops the worker.
        let written = write_rows(loads, rx, back_tx, report, progress);
        let checked = worker
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the thread checking the rows failed")));
        // A reading error ended the rows early: it is the one to report.
        let noted = checked?;
        written?;
        for (load, (notes, skipped)) in loads.iter_mut().zip(noted) {
            load.notes.add(notes);
            load.summary.skipped.extend(skipped);
        }
        Ok(())
    })
}

/// Hands the file's rows (its layout found) to a worker thread and writes
/// them through `load`.
pub(super) fn load_rows(
    load: &mut Load<'_>,
    rows: Rows,
    report: &mut Report,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let checker = Checker::new(load, false)?;
    let mut rows = rows;
    run(&mut [load], report, progress, move |sender| {
        let mut checker = checker;
        let mut record = ByteRecord::new();
        let mut notes = Notes::default();
        while let Some(at) = rows.next(&mut record)? {
            let sent = match checker.check(&record) {
                Ok(values) => {
                    notes.row(
                        checker.entity,
                        checker.columns,
                        &record,
                        &checker.raw,
                        at.line,
                    );
                    sender.row(0, at.line, at.byte, Ok(&values))
                }
                Err(errors) => sender.row(0, at.line, at.byte, Err(errors)),
            };
            if !sent {
                break;
            }
        }
        Ok(vec![(notes, rows.take_skipped())])
    })
}

fn write_rows(
    loads: &mut [&mut Load<'_>],
    rx: Receiver<Batch>,
    back: SyncSender<Batch>,
    report: &mut Report,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    // Only a rejects file needs a row's cells, and a bulk load never writes
    // one (`--skip-invalid` takes the row-by-row way).
    let no_cells = ByteRecord::new();
    let mut last: Vec<Option<(usize, usize)>> = vec![None; loads.len()];
    for batch in rx {
        if let Some(bar) = progress {
            bar.set_position(batch.byte);
        }
        last.iter_mut().for_each(|l| *l = None);
        for row in &batch.rows {
            let Some(load) = loads.get_mut(row.target) else {
                continue;
            };
            match &row.cells {
                RowCells::Cells(from, to) => {
                    let cells = &batch.cells[*from..*to];
                    if load.insert_cells(report, row.line, &batch, cells)? {
                        last[row.target] = Some((*from, *to));
                    }
                }
                RowCells::Errors(errors) => load.reject(report, row.line, &no_cells, errors)?,
                RowCells::Said(texts) => load.reject_said(report, texts),
            }
        }
        // The audit row names the last key loaded.
        for (load, range) in loads.iter_mut().zip(&last) {
            if let Some((from, to)) = range {
                load.last_values = Some(batch.values(&batch.cells[*from..*to]));
            }
        }
        // The worker may have finished; then the batch is simply dropped.
        let _ = back.try_send(batch);
    }
    Ok(())
}

/// Checks rows of one kind away from the connection, as
/// [`super::row::check_row`] checks a row of a bulk load: references
/// resolved against a [`Snapshot`] of the referenced tables, which cannot
/// change while another table is loaded.
pub(super) struct Checker<'a> {
    pub(super) entity: &'static Entity,
    pub(super) columns: &'a Columns,
    ignore_unknown: bool,
    defaults: super::Defaults,
    refs: Snapshot,
    /// The household a person's row may refer to without looking it up:
    /// its group's, written just before it.
    pub(super) household: Option<String>,
    pub(super) raw: RawRow,
    whole: Vec<usize>,
}

impl<'a> Checker<'a> {
    /// A checker for `load`'s rows; `grouped` when a person's household is
    /// the one of its group (a person-level file), not a stored one.
    pub(super) fn new(load: &Load<'a>, grouped: bool) -> Result<Checker<'a>> {
        let kinds: Vec<Kind> = load
            .entity
            .fields
            .iter()
            .filter_map(|f| match f.ty {
                Ty::Ref(Kind::Household) if grouped => None,
                Ty::Ref(kind) => Some(kind),
                _ => None,
            })
            .collect();
        Ok(Checker {
            entity: load.entity,
            columns: load.columns,
            ignore_unknown: load.opts.ignore_unknown_columns,
            defaults: load.opts.defaults.clone(),
            refs: Snapshot::load(load.conn, &kinds)?,
            household: None,
            raw: RawRow::new(),
            whole: Vec::new(),
        })
    }

    pub(super) fn check(
        &mut self,
        record: &ByteRecord,
    ) -> std::result::Result<Vec<Value>, Vec<FieldError>> {
        let (entity, columns) = (self.entity, self.columns);
        let mut errors = raw_row(
            entity,
            columns,
            record,
            self.ignore_unknown,
            &mut self.raw,
            &mut self.whole,
        );
        self.defaults.fill(entity, &mut self.raw);
        let mut refs = GroupRefs {
            snapshot: &mut self.refs,
            household: self.household.as_deref(),
        };
        let given = match record::parse_with(&mut refs, entity, &self.raw, &self.whole) {
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
}

/// A snapshot, and the one household a person's row may name.
struct GroupRefs<'a> {
    snapshot: &'a mut Snapshot,
    household: Option<&'a str>,
}

impl crate::db::resolve::Refs for GroupRefs<'_> {
    fn resolve(
        &mut self,
        kind: Kind,
        raw: &str,
        town: Option<&str>,
    ) -> std::result::Result<String, crate::values::Problem> {
        if kind == Kind::Household
            && let Some(h) = self.household
        {
            return if h == raw {
                Ok(raw.to_string())
            } else {
                Err(crate::values::Problem::new(crate::lang::t(
                    &format!("no household {raw} among the rows of household {h}"),
                    &format!("贫困户 {h} 的各行中没有贫困户 {raw}"),
                )))
            };
        }
        self.snapshot.resolve(kind, raw, town)
    }
}
