//! `fupin import`: every row is validated, every problem reported with its
//! line, and the rows are written in one transaction that is committed only
//! when nothing is wrong (or, with `--skip-invalid`, with the bad rows left
//! out and written to a rejects file).
//!
//! A folder is imported in the dependency order of [`model::ALL`]: cadres,
//! zones, towns, villages, households, tasks, posts, dispatches, visits,
//! promotions. Posts come after tasks (SPEC §4 lists them before
//! households) because a commando's post is placed on a task.
//!
//! Memory stays flat however long the file: rows stream from the reader to
//! prepared statements; the rows already written by this file are told apart
//! by a bit per rowid; duplicates are located by reading the file a second
//! time, on the error path only.
//!
//! Speed comes from three paths. Into an empty table (and not skipping bad
//! rows) the table's named indexes are dropped, rows are inserted without
//! looking anything up, and the indexes are rebuilt at the end in the same
//! transaction; a duplicate key or ID number then shows as a failed unique
//! index and is located by a second read. Into a table with records, the
//! stored rows are read in rowid order alongside the file, so a file in the
//! order fupin exports (or a re-import) finds each record without a lookup,
//! and a row that is literally the stored record's export is counted
//! unchanged without being parsed. Anything else is looked up by key.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use csv::ByteRecord;
use rusqlite::{Connection, OptionalExtension, Statement, TransactionBehavior, params_from_iter};
use serde::Serialize;

use crate::csv_io::headers::{self, Columns};
use crate::csv_io::read;
use crate::csv_io::write::CsvOut;
use crate::csv_io::{Encoding, read::field_text};
use crate::db::audit::{self, Action, Actor};
use crate::db::resolve::Resolver;
use crate::db::store::{self, Value};
use crate::lang::t;
use crate::model::{self, Entity, Kind, Ty};
use crate::record::{self, FieldError, RawRow};
use crate::values::{self, Problem};

/// Problems kept for printing; the rest are only counted.
pub const SHOWN: usize = 50;

/// Rows fetched at a time when reading the table alongside the file.
const SCAN_BATCH: usize = 256;

/// Page cache for the import, in KiB. The table's recent pages and the
/// index being built fit, while the process stays well below 64 MiB.
const CACHE_KIB: i64 = 16 * 1024;

#[derive(Debug, Clone)]
pub struct Options {
    /// The record kind, when given on the command line.
    pub entity: Option<&'static Entity>,
    /// A file, or a folder of files.
    pub path: PathBuf,
    pub encoding: Option<Encoding>,
    pub dry_run: bool,
    pub skip_invalid: bool,
    /// Where rejected rows go (a folder when importing a folder).
    pub rejects: Option<PathBuf>,
    pub ignore_unknown_columns: bool,
    pub progress: bool,
}

/// What happened to one file. The field order is the JSON summary's.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub entity: String,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

/// One problem with one line of one file: `column: what is wrong`.
#[derive(Debug, Clone)]
pub struct LineProblem {
    pub file: String,
    pub line: u64,
    pub text: String,
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.text)
    }
}

/// The outcome of an import.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileSummary>,
    /// The first problems found, in file and line order.
    pub problems: Vec<LineProblem>,
    /// All problems, shown or not.
    pub problem_count: usize,
    /// Problems that refuse the whole import even with `--skip-invalid`.
    pub fatal: bool,
    /// True when the changes were committed.
    pub written: bool,
    /// Rejects files written.
    pub rejects: Vec<PathBuf>,
    /// Set when later files were not read (a table lost its unique index to
    /// duplicates).
    pub stopped: bool,
}

impl Report {
    fn problem(&mut self, file: &str, line: u64, text: String) {
        self.problem_count += 1;
        if self.problems.len() < SHOWN * 2 {
            self.problems.push(LineProblem {
                file: file.to_string(),
                line,
                text,
            });
        }
    }

    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|f| f.rejected).sum()
    }
}

/// The files of an import with their record kinds, in dependency order.
pub fn plan(opts: &Options) -> Result<Vec<(PathBuf, &'static Entity)>> {
    if opts.path.is_dir() {
        let mut files = Vec::new();
        let entries = std::fs::read_dir(&opts.path)
            .with_context(|| format!("cannot read the folder {}", opts.path.display()))?;
        for entry in entries {
            let path = entry?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if !path.is_file() || !name.ends_with(".csv") || name.ends_with(".rejects.csv") {
                continue;
            }
            let entity = entity_of(&path, opts.encoding)?;
            files.push((path, entity));
        }
        if files.is_empty() {
            bail!(
                "{}",
                t(
                    &format!("no .csv files in {}", opts.path.display()),
                    &format!("{} 中没有 .csv 文件", opts.path.display()),
                )
            );
        }
        let rank = |e: &Entity| model::ALL.iter().position(|x| x.kind == e.kind);
        files.sort_by(|a, b| (rank(a.1), &a.0).cmp(&(rank(b.1), &b.0)));
        return Ok(files);
    }
    let entity = match opts.entity {
        Some(e) => e,
        None => entity_of(&opts.path, opts.encoding)?,
    };
    Ok(vec![(opts.path.clone(), entity)])
}

/// The record kind of a file, from its name or else its header.
fn entity_of(path: &Path, encoding: Option<Encoding>) -> Result<&'static Entity> {
    if let Some(e) = headers::entity_from_file_name(path) {
        return Ok(e);
    }
    let header = read::open(path, encoding)?.header()?.unwrap_or_default();
    headers::entity_from_header(&header).ok_or_else(|| {
        anyhow!(
            "{}",
            t(
                &format!(
                    "{}: cannot tell which records the file holds; name it after them (households.csv, 贫困户.csv, …) or give the kind: fupin import households {}",
                    path.display(),
                    path.display()
                ),
                &format!(
                    "{}：无法判断文件中是哪类记录；请按记录类型命名（households.csv、贫困户.csv 等），或指明类型：fupin import 贫困户 {}",
                    path.display(),
                    path.display()
                ),
            )
        )
    })
}

/// Imports the planned files in one transaction.
pub fn run(conn: &mut Connection, actor: &Actor, opts: &Options) -> Result<Report> {
    let files = plan(opts)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    // Foreign keys stay enforced although every reference was resolved to
    // a stored code already: switching them off saved ~10 % of a bulk load
    // (bench/README.md), not worth a rule the schema promises.
    run_files(conn, actor, opts, &files)
}

fn run_files(
    conn: &mut Connection,
    actor: &Actor,
    opts: &Options,
    files: &[(PathBuf, &'static Entity)],
) -> Result<Report> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("failed to lock the database for writing")?;
    let mut report = Report::default();
    let mut resolver = Resolver::new();
    let folder = opts.path.is_dir();
    for (path, entity) in files {
        // Rows of earlier files may now resolve names that failed before.
        resolver.clear();
        let rejects = rejects_path(opts, path, folder);
        let summary = import_file(
            &tx,
            actor,
            &mut resolver,
            opts,
            path,
            entity,
            rejects,
            &mut report,
        )?;
        report.files.push(summary);
        if report.stopped {
            break;
        }
    }
    report
        .problems
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let refuse = report.fatal || (report.problem_count > 0 && !opts.skip_invalid);
    if refuse || opts.dry_run {
        tx.rollback().context("failed to roll back")?;
    } else {
        tx.commit().context("failed to commit the import")?;
        report.written = true;
    }
    Ok(report)
}

fn rejects_path(opts: &Options, input: &Path, folder: bool) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = format!("{stem}.rejects.csv");
    match (&opts.rejects, folder) {
        (Some(dir), true) => dir.join(name),
        (Some(file), false) => file.clone(),
        (None, _) => input.with_file_name(name),
    }
}

/// Remembers which rows this file has written, one bit per rowid, so a key
/// met twice is caught without keeping the keys.
#[derive(Default)]
struct Touched {
    bits: Vec<u64>,
    /// Rowids too large for a bit set (never made by fupin itself).
    far: HashSet<i64>,
}

impl Touched {
    const DENSE: i64 = 1 << 28;

    /// Marks `id`; false when it was already marked.
    fn mark(&mut self, id: i64) -> bool {
        if !(0..Self::DENSE).contains(&id) {
            return self.far.insert(id);
        }
        let (word, bit) = ((id / 64) as usize, id % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1 + word / 4, 0);
        }
        let fresh = self.bits[word] & (1 << bit) == 0;
        self.bits[word] |= 1 << bit;
        fresh
    }

    fn has(&self, id: i64) -> bool {
        if !(0..Self::DENSE).contains(&id) {
            return self.far.contains(&id);
        }
        let (word, bit) = ((id / 64) as usize, id % 64);
        self.bits.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }
}

/// The stored rows in rowid order, read in batches alongside the file:
/// a file exported by fupin, or imported before, lists its rows in this
/// order, so most rows are found without an index lookup. Each row is kept
/// as one encoded string (see [`encode`]), so an unchanged row is
/// recognised by one comparison and costs one allocation.
struct Scan {
    sql: String,
    ahead: VecDeque<(i64, Vec<u8>)>,
    after: i64,
    done: bool,
}

/// True when every cell of the row is the text the stored record (encoded
/// as by [`encode`]) is exported as: its code, date, number, `yes`/`no`.
fn same_as_stored(entity: &Entity, columns: &Columns, record: &ByteRecord, enc: &[u8]) -> bool {
    let mut at = 0;
    let mut number = [0u8; 24];
    for (field, col) in entity.fields.iter().zip(&columns.of_field) {
        if !field.stored {
            continue;
        }
        let Some(&tag) = enc.get(at) else {
            return false;
        };
        let stored: &[u8] = match tag {
            0 => {
                at += 1;
                b""
            }
            1 => {
                let Some(n) = enc
                    .get(at + 1..at + 9)
                    .and_then(|b| b.try_into().ok())
                    .map(i64::from_le_bytes)
                else {
                    return false;
                };
                at += 9;
                if matches!(field.ty, Ty::Flag) {
                    if n == 0 { b"no" } else { b"yes" }
                } else {
                    use std::io::Write as _;
                    let mut cursor = std::io::Cursor::new(&mut number[..]);
                    if write!(cursor, "{n}").is_err() {
                        return false;
                    }
                    let len = cursor.position() as usize;
                    &number[..len]
                }
            }
            _ => {
                let Some(len) = enc
                    .get(at + 1..at + 5)
                    .and_then(|b| b.try_into().ok())
                    .map(u32::from_le_bytes)
                else {
                    return false;
                };
                let start = at + 5;
                at = start + len as usize;
                match enc.get(start..at) {
                    Some(text) => text,
                    None => return false,
                }
            }
        };
        if let Some(col) = col
            && record.get(*col).unwrap_or_default() != stored
        {
            return false;
        }
    }
    true
}

/// Appends a value to a row encoding: a type tag, the length, the bytes.
fn encode(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.push(0),
        Value::Int(n) => {
            out.push(1);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Value::Text(s) => encode_text(s.as_bytes(), out),
    }
}

fn encode_text(s: &[u8], out: &mut Vec<u8>) {
    out.push(2);
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s);
}

fn encode_ref(value: rusqlite::types::ValueRef, out: &mut Vec<u8>) {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => out.push(0),
        ValueRef::Integer(n) => encode(&Value::Int(n), out),
        ValueRef::Text(t) | ValueRef::Blob(t) => encode_text(t, out),
        ValueRef::Real(f) => encode(&Value::Text(f.to_string()), out),
    }
}

/// The byte range of each field of an encoded row, in stored-field order.
fn encoded_fields(row: &[u8], width: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::with_capacity(width);
    let mut at = 0;
    while at < row.len() && out.len() < width {
        let start = at;
        at += match row[at] {
            0 => 1,
            1 => 9,
            _ => {
                let len = row
                    .get(at + 1..at + 5)
                    .and_then(|b| b.try_into().ok())
                    .map(u32::from_le_bytes)
                    .unwrap_or(0);
                5 + len as usize
            }
        };
        out.push(start..at.min(row.len()));
    }
    out
}

impl Scan {
    fn new(entity: &Entity) -> Scan {
        Scan {
            sql: format!(
                "SELECT id, {} FROM {} WHERE id > ?1 ORDER BY id LIMIT {SCAN_BATCH}",
                store::columns(entity),
                entity.table
            ),
            ahead: VecDeque::with_capacity(SCAN_BATCH),
            after: 0,
            done: false,
        }
    }

    fn peek(&mut self, conn: &Connection, width: usize) -> Result<Option<&(i64, Vec<u8>)>> {
        if self.ahead.is_empty() && !self.done {
            let mut stmt = conn.prepare_cached(&self.sql)?;
            let mut rows = stmt.query([self.after])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let mut enc = Vec::with_capacity(128);
                for i in 1..=width {
                    encode_ref(r.get_ref(i)?, &mut enc);
                }
                self.ahead.push_back((id, enc));
            }
            self.done = self.ahead.len() < SCAN_BATCH;
            if let Some((id, _)) = self.ahead.back() {
                self.after = *id;
            }
        }
        Ok(self.ahead.front())
    }

    fn take(&mut self) -> Option<(i64, Vec<u8>)> {
        self.ahead.pop_front()
    }

    /// Continues after `id`, where the file and the table met again.
    fn resync(&mut self, id: i64) {
        if self.ahead.front().is_some_and(|(first, _)| *first < id) {
            self.ahead.clear();
            self.after = id;
            self.done = false;
        }
    }
}

/// A key (or ID number) met again, waiting for its first line.
struct Pending {
    line: u64,
    field: &'static str,
    value: String,
}

/// The rejects file, opened on the first rejected row.
struct Rejects {
    path: PathBuf,
    header: Vec<String>,
    encoding: Encoding,
    bom: bool,
    out: Option<CsvOut<std::io::BufWriter<std::fs::File>>>,
}

impl Rejects {
    fn write(&mut self, record: &ByteRecord, error: &str) -> Result<()> {
        if self.out.is_none() {
            if let Some(dir) = self.path.parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let file = std::fs::File::create(&self.path)
                .with_context(|| format!("cannot create {}", self.path.display()))?;
            let mut out = CsvOut::new(std::io::BufWriter::new(file), self.encoding, self.bom)?;
            let mut header = self.header.clone();
            header.push(t("error", "错误"));
            out.record(&header)?;
            self.out = Some(out);
        }
        if let Some(out) = &mut self.out {
            let mut cells: Vec<String> = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            cells.resize(self.header.len(), String::new());
            cells.push(error.to_string());
            out.record(&cells)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<Option<PathBuf>> {
        match self.out {
            Some(out) => {
                out.finish()?;
                Ok(Some(self.path))
            }
            None => Ok(None),
        }
    }
}

/// The named indexes of a table, which a load into an empty table drops
/// and rebuilds: building an index once from sorted keys is far cheaper
/// than updating it row by row.
fn named_indexes(conn: &Connection, table: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
    )?;
    let rows = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    e.to_string().contains("UNIQUE")
}

/// The SQL expressions the key's unique index is built on.
fn key_exprs(entity: &Entity) -> Vec<String> {
    entity
        .key
        .iter()
        .map(|k| {
            if entity.field(k).is_some_and(|f| f.required) {
                k.to_string()
            } else {
                format!("ifnull({k}, '')")
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn import_file(
    conn: &Connection,
    actor: &Actor,
    resolver: &mut Resolver,
    opts: &Options,
    path: &Path,
    entity: &'static Entity,
    rejects_path: PathBuf,
    report: &mut Report,
) -> Result<FileSummary> {
    let file = path.display().to_string();
    let mut summary = FileSummary {
        file: file.clone(),
        entity: entity.name.to_string(),
        ..FileSummary::default()
    };
    let mut src = read::open(path, opts.encoding)?;
    let Some(header) = src.header()? else {
        report.fatal = true;
        report.problem(
            &file,
            1,
            t(
                "the file is empty; it needs a header row naming the columns",
                "文件是空的；第一行应是列名",
            ),
        );
        return Ok(summary);
    };
    let (columns, header_problems) =
        headers::match_header(entity, &header, opts.ignore_unknown_columns);
    if !header_problems.is_empty() {
        report.fatal = true;
        for p in header_problems {
            report.problem(&file, 1, format!("{}: {}", p.column, p.message));
        }
        return Ok(summary);
    }
    let mut rejects = Rejects {
        path: rejects_path,
        header: header.clone(),
        encoding: if src.encoding == Encoding::Gb18030 {
            Encoding::Gb18030
        } else {
            Encoding::Utf8
        },
        bom: src.bom,
        out: None,
    };

    let table_empty: bool = conn
        .query_row(
            &format!("SELECT 1 FROM {} LIMIT 1", entity.table),
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_none();
    // An empty table is loaded without its indexes and without looking each
    // row up; a duplicate then shows when the indexes are rebuilt. Skipping
    // bad rows needs to know a duplicate at once, so it takes the row-by-row
    // way.
    let bulk = table_empty && !opts.skip_invalid;
    let dropped = if bulk {
        let indexes = named_indexes(conn, entity.table)?;
        for (name, _) in &indexes {
            conn.execute_batch(&format!("DROP INDEX {name}"))?;
        }
        indexes
    } else {
        Vec::new()
    };

    let width = entity.stored().count();
    let placeholders = (1..=width)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut insert = conn.prepare(&format!(
        "INSERT INTO {} ({}) VALUES ({placeholders})",
        entity.table,
        store::columns(entity)
    ))?;
    let mut id_owner = if entity.kind == Kind::Household && !bulk {
        Some(conn.prepare("SELECT id, code FROM households WHERE id_number = ?1 AND code <> ?2")?)
    } else {
        None
    };
    let id_at = store::position(entity, "id_number");
    let mut scan = Scan::new(entity);
    let mut touched = Touched::default();
    let mut pending: Vec<Pending> = Vec::new();
    let progress = progress_bar(opts, src.size);

    let mut audit_insert = conn.prepare(
        "INSERT INTO audit (at, actor, command, entity, key, action, old, new)
         VALUES (?1, ?2, ?3, ?4, ?5, 'insert', NULL, ?6)",
    )?;
    let width = entity.stored().count();
    // A town hint must still be checked, so a file with one is parsed.
    let literal_ok = entity
        .fields
        .iter()
        .zip(&columns.of_field)
        .all(|(f, c)| f.stored || c.is_none());
    let mut json = String::new();
    let mut first_key: Option<String> = None;
    let mut last_values: Option<Vec<Value>> = None;
    let mut raw = RawRow::new();
    let mut record = ByteRecord::new();
    let mut rows_seen: u64 = 0;
    loop {
        let Some(row) = src.next(&mut record)? else {
            break;
        };
        let line = row.line;
        if rows_seen.is_multiple_of(4096)
            && let Some(bar) = &progress
        {
            bar.set_position(row.byte);
        }
        rows_seen += 1;
        // References to many different cadres would grow the cache with
        // the file; starting afresh now and then keeps memory flat.
        if rows_seen.is_multiple_of(1 << 16) {
            resolver.clear();
        }
        let record = row.record;
        if read::is_blank(record) {
            continue;
        }
        if !bulk
            && literal_ok
            && let Some((id, enc)) = scan.peek(conn, width)?
            && !touched.has(*id)
            && same_as_stored(entity, &columns, record, enc)
        {
            // Exactly what the stored record exports to: it parses back
            // to the stored values, which were checked when written.
            touched.mark(*id);
            scan.take();
            summary.unchanged += 1;
            continue;
        }
        let checked = check_row(
            conn,
            resolver,
            entity,
            &columns,
            record,
            opts.ignore_unknown_columns,
            bulk,
            &mut scan,
            &touched,
            id_owner.as_mut(),
            id_at,
            &mut raw,
        )?;
        let (values, existing, dup) = match checked {
            Ok(ok) => ok,
            Err(errors) => {
                reject(
                    report,
                    &mut rejects,
                    &mut summary,
                    opts,
                    &file,
                    line,
                    record,
                    &errors,
                )?;
                continue;
            }
        };
        if let Some(p) = dup {
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
            let errors = [FieldError::new(p.field, "", Problem::new(text))];
            // Its message, naming the first line, is written once the
            // file has been read again.
            report.problem_count += 1;
            if pending.len() < SHOWN {
                pending.push(Pending { line, ..p });
            }
            skip_row(&mut rejects, &mut summary, opts, record, &errors)?;
            continue;
        }
        match existing {
            Write::Duplicate => {}
            Write::Insert => {
                let written = insert.execute(params_from_iter(&values));
                match written {
                    Ok(_) => {
                        let id = conn.last_insert_rowid();
                        if !bulk {
                            touched.mark(id);
                        }
                        if bulk {
                            // Audited once for the whole load (see below).
                            if first_key.is_none() {
                                first_key = Some(store::key_text(entity, &values));
                            }
                            last_values = Some(values);
                        } else {
                            let key = store::key_text(entity, &values);
                            record_json(entity, &values, &mut json);
                            audit_insert.execute((
                                &actor.at,
                                &actor.actor,
                                &actor.command,
                                entity.name,
                                &key,
                                &json,
                            ))?;
                        }
                        summary.inserted += 1;
                    }
                    Err(e) => {
                        let errors = [write_error(entity, e)];
                        reject(
                            report,
                            &mut rejects,
                            &mut summary,
                            opts,
                            &file,
                            line,
                            record,
                            &errors,
                        )?;
                    }
                }
            }
            Write::Unchanged(id) => {
                touched.mark(id);
                summary.unchanged += 1;
            }
            Write::Update(id, old) => {
                touched.mark(id);
                match store::update(conn, entity, id, &values) {
                    Ok(()) => {
                        let key = store::key_text(entity, &values);
                        audit::record(
                            conn,
                            actor,
                            entity,
                            &key,
                            Action::Update,
                            Some(&old),
                            Some(&values),
                        )?;
                        summary.updated += 1;
                    }
                    Err(e) => {
                        let errors = [FieldError::new(
                            entity.key[0],
                            "",
                            Problem::new(format!("{e:#}")),
                        )];
                        reject(
                            report,
                            &mut rejects,
                            &mut summary,
                            opts,
                            &file,
                            line,
                            record,
                            &errors,
                        )?;
                    }
                }
            }
        }
    }
    if let Some(bar) = &progress {
        bar.set_position(src.size);
        if bulk {
            bar.set_message(t("building indexes", "建立索引"));
            // The rebuild is one long statement: keep the bar alive.
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
        }
    }
    drop(insert);
    drop(id_owner);

    if bulk && summary.inserted > 0 {
        // One audit row per record would double the work of a bulk load
        // (measured: +2.4 s on 1M households, the whole budget); the load
        // is audited as one change instead. The records themselves hold
        // the inserted values until their first update, which is audited
        // with old and new values.
        let last_key = last_values
            .as_ref()
            .map(|v| store::key_text(entity, v))
            .unwrap_or_default();
        let new = serde_json::json!({
            "file": file,
            "rows": summary.inserted,
            "first": first_key,
            "last": last_key,
        });
        audit_insert.execute((
            &actor.at,
            &actor.actor,
            &actor.command,
            entity.name,
            "*",
            new.to_string(),
        ))?;
    }
    drop(audit_insert);
    if bulk {
        let duplicates = rebuild_indexes(conn, entity, &dropped)?;
        if !duplicates.is_empty() {
            // Records of later files could not refer to this table without
            // its unique index; the import is refused here.
            report.fatal = true;
            report.stopped = true;
        }
        pending.extend(duplicates);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if !pending.is_empty() {
        let located = locate(
            conn,
            resolver,
            opts.encoding,
            path,
            entity,
            &columns,
            &pending,
        )?;
        let mut reported: HashSet<(&'static str, String)> = HashSet::new();
        for p in &pending {
            let lines = located
                .get(&(p.field, p.value.clone()))
                .cloned()
                .unwrap_or_default();
            let first = lines.first().copied();
            // Found while loading an empty table: every later copy is a
            // problem, counted here. Found row by row: this line only,
            // counted already.
            let later: Vec<u64> = if p.line == 0 {
                if !reported.insert((p.field, p.value.clone())) {
                    continue;
                }
                let later: Vec<u64> = lines.iter().skip(1).copied().collect();
                report.problem_count += later.len().max(1);
                summary.rejected += later.len().max(1) as u64;
                summary.inserted = summary.inserted.saturating_sub(later.len().max(1) as u64);
                later
            } else {
                vec![p.line]
            };
            for line in later {
                let text = duplicate_text(p, first.filter(|&f| f < line));
                report.problems.push(LineProblem {
                    file: file.clone(),
                    line,
                    text,
                });
            }
        }
    }
    if !opts.dry_run
        && let Some(written) = rejects.finish()?
    {
        report.rejects.push(written);
    }
    Ok(summary)
}

#[allow(clippy::too_many_arguments)]
fn reject(
    report: &mut Report,
    rejects: &mut Rejects,
    summary: &mut FileSummary,
    opts: &Options,
    file: &str,
    line: u64,
    record: &ByteRecord,
    errors: &[FieldError],
) -> Result<()> {
    for e in errors {
        report.problem(file, line, e.to_string());
    }
    skip_row(rejects, summary, opts, record, errors)
}

/// Leaves a bad row out, and with `--skip-invalid` keeps it for correction.
fn skip_row(
    rejects: &mut Rejects,
    summary: &mut FileSummary,
    opts: &Options,
    record: &ByteRecord,
    errors: &[FieldError],
) -> Result<()> {
    summary.rejected += 1;
    if opts.skip_invalid && !opts.dry_run {
        let text = errors
            .iter()
            .map(FieldError::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        rejects.write(record, &text)?;
    }
    Ok(())
}

/// The record as the audit trail keeps it: the JSON object of
/// [`audit::to_json`], written into a reused buffer (once per inserted row).
fn record_json(entity: &Entity, values: &[Value], out: &mut String) {
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

/// `code: duplicate key (H1), also on line 3; …`, or for an ID number.
fn duplicate_text(p: &Pending, first: Option<u64>) -> String {
    let masked = values::mask_id(&p.value);
    match (p.field, first) {
        ("id_number", Some(first)) => t(
            &format!(
                "id_number: ID number ({masked}) also on line {first}; one person heads one household, check the number"
            ),
            &format!(
                "id_number: 身份证号（{masked}）与第 {first} 行重复；一人只能是一户的户主，请核对号码"
            ),
        ),
        ("id_number", None) => t(
            &format!(
                "id_number: ID number ({masked}) also in an earlier row; one person heads one household"
            ),
            &format!("id_number: 身份证号（{masked}）与前面某行重复；一人只能是一户的户主"),
        ),
        (field, Some(first)) => t(
            &format!(
                "{field}: duplicate key ({}), also on line {first}; keep one of the two rows",
                p.value
            ),
            &format!(
                "{field}: 编号重复（{}），与第 {first} 行相同；请只保留其中一行",
                p.value
            ),
        ),
        (field, None) => t(
            &format!(
                "{field}: duplicate key ({}), also in an earlier row",
                p.value
            ),
            &format!("{field}: 编号重复（{}），前面已有", p.value),
        ),
    }
}

fn write_error(entity: &Entity, e: rusqlite::Error) -> FieldError {
    let text = e.to_string();
    let problem = if text.contains("FOREIGN KEY") {
        Problem::new(t(
            "refers to a record that does not exist",
            "引用了不存在的记录",
        ))
    } else {
        Problem::new(t(
            &format!("the database refused the row: {text}"),
            &format!("数据库拒绝了这一行：{text}"),
        ))
    };
    FieldError::new(entity.key[0], "", problem)
}

fn progress_bar(opts: &Options, size: u64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !opts.progress || !std::io::stderr().is_terminal() || size < 1 << 20 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} {eta}")
    {
        bar.set_style(style);
    }
    bar.set_message(t("importing", "导入中"));
    Some(bar)
}

/// What a row does to the table.
enum Write {
    Insert,
    Unchanged(i64),
    Update(i64, Vec<Value>),
    /// Meets a key or ID number this file already wrote.
    Duplicate,
}

type Checked = (Vec<Value>, Write, Option<Pending>);

/// A stored record met by a row: rowid, encoding (when read alongside the
/// file), values (when looked up).
type Stored = (i64, Option<Vec<u8>>, Option<Vec<Value>>);

/// Parses and checks one row: its values, the stored record with the same
/// key, and whether the row meets a key or ID number this file already
/// wrote.
#[allow(clippy::too_many_arguments)]
fn check_row(
    conn: &Connection,
    resolver: &mut Resolver,
    entity: &'static Entity,
    columns: &Columns,
    record: &ByteRecord,
    ignore_unknown: bool,
    bulk: bool,
    scan: &mut Scan,
    touched: &Touched,
    id_owner: Option<&mut Statement>,
    id_at: Option<usize>,
    raw: &mut RawRow,
) -> Result<std::result::Result<Checked, Vec<FieldError>>> {
    let mut errors = raw_row(entity, columns, record, ignore_unknown, raw);
    let given = match record::parse(conn, resolver, entity, raw) {
        Ok(g) => g,
        Err(mut e) => {
            errors.append(&mut e);
            return Ok(Err(errors));
        }
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let width = entity.stored().count();
    // The key: a code as given, or a composite the checks may normalise
    // (a post's town).
    let (key, fresh) = if entity.has_code() && bulk {
        // Nothing is looked up while loading an empty table.
        (Vec::new(), None)
    } else if entity.has_code() {
        let at = entity.fields.iter().position(|f| f.name == "code");
        let code = at.and_then(|i| given.get(i).cloned().flatten());
        (vec![code.unwrap_or_default()], None)
    } else {
        let mut fresh = record::complete(entity, &given, None);
        let pre = record::check(conn, entity, &mut fresh);
        if !pre.is_empty() {
            return Ok(Err(pre));
        }
        let key = store::key_of(entity, &fresh).into_iter().cloned().collect();
        (key, Some(fresh))
    };
    // The stored record with this key: its rowid, its encoding when met
    // alongside the file, its values when looked up.
    let mut stored: Option<Stored> = None;
    if !bulk {
        let key_positions: Vec<usize> = entity
            .key
            .iter()
            .filter_map(|k| store::position(entity, k))
            .collect();
        let mut key_enc = Vec::new();
        for v in &key {
            encode(v, &mut key_enc);
        }
        let in_step = match scan.peek(conn, width)? {
            Some((_, enc)) => {
                let ranges = encoded_fields(enc, width);
                let mut stored_key = Vec::with_capacity(key_enc.len());
                for p in &key_positions {
                    if let Some(r) = ranges.get(*p) {
                        stored_key.extend_from_slice(&enc[r.clone()]);
                    }
                }
                stored_key == key_enc
            }
            None => false,
        };
        if in_step {
            stored = scan.take().map(|(id, enc)| (id, Some(enc), None));
        } else {
            let refs: Vec<&Value> = key.iter().collect();
            if let Some((id, values)) = store::find(conn, entity, &refs)? {
                scan.resync(id);
                stored = Some((id, None, Some(values)));
            }
        }
    }
    if let Some((id, _, _)) = &stored
        && touched.has(*id)
    {
        let value = key
            .iter()
            .filter(|v| !v.is_null())
            .map(Value::to_text)
            .collect::<Vec<_>>()
            .join("/");
        return Ok(Ok((
            Vec::new(),
            Write::Duplicate,
            Some(Pending {
                line: 0,
                field: entity.key[0],
                value,
            }),
        )));
    }
    // A file with every column needs nothing of the stored record to
    // complete its values; otherwise absent columns keep stored values.
    let every_column = || {
        entity
            .fields
            .iter()
            .zip(&columns.of_field)
            .all(|(f, c)| !f.stored || c.is_some())
    };
    if let Some((id, _, values @ None)) = &mut stored
        && !every_column()
    {
        *values = Some(row_by_id(conn, entity, *id)?.1);
    }
    let mut values = match (&stored, fresh) {
        (None, Some(fresh)) => fresh,
        (Some((_, _, Some(base))), _) => record::complete_owned(entity, given, Some(base)),
        _ => record::complete_owned(entity, given, None),
    };
    let errors = if entity.has_code() || stored.is_some() {
        record::check(conn, entity, &mut values)
    } else {
        Vec::new()
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let write = match stored {
        None => Write::Insert,
        Some((id, Some(enc), _)) => {
            let mut mine = Vec::with_capacity(enc.len());
            for v in &values {
                encode(v, &mut mine);
            }
            if mine == enc {
                Write::Unchanged(id)
            } else {
                Write::Update(id, row_by_id(conn, entity, id)?.1)
            }
        }
        Some((id, None, Some(old))) if old == values => Write::Unchanged(id),
        Some((id, None, Some(old))) => Write::Update(id, old),
        Some((id, None, None)) => Write::Update(id, row_by_id(conn, entity, id)?.1),
    };
    let existing = match &write {
        Write::Update(_, old) => Some(old.as_slice()),
        _ => None,
    };
    // One person heads one household: an ID number new to this record must
    // not belong to another one.
    if let (Some(stmt), Some(at)) = (id_owner, id_at) {
        let id = values.get(at).cloned().unwrap_or_default();
        let changed = match &write {
            Write::Unchanged(_) => false,
            _ => existing.is_none_or(|old| old.get(at) != Some(&id)),
        };
        if changed && let Value::Text(number) = &id {
            let code = store::key_text(entity, &values);
            let owner: Option<(i64, String)> = stmt
                .query_row([number.as_str(), code.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some((row, other)) = owner {
                if touched.has(row) {
                    return Ok(Ok((
                        values,
                        Write::Duplicate,
                        Some(Pending {
                            line: 0,
                            field: "id_number",
                            value: number.clone(),
                        }),
                    )));
                }
                return Ok(Err(vec![FieldError::new(
                    "id_number",
                    values::mask_id(number),
                    Problem::new(t(
                        &format!("already registered for household {other}"),
                        &format!("已登记在贫困户 {other} 名下"),
                    ))
                    .with_hint(t(
                        "one person heads one household; check the number",
                        "一人只能是一户的户主，请核对号码",
                    )),
                )]));
            }
        }
    }
    Ok(Ok((values, write, None)))
}

/// Fills `raw` with the text of a row aligned with the entity's fields
/// (reusing its strings), and returns problems with cells that belong to no
/// field.
fn raw_row(
    entity: &Entity,
    columns: &Columns,
    record: &ByteRecord,
    ignore_unknown: bool,
    raw: &mut RawRow,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    raw.resize(entity.fields.len(), None);
    for ((field, col), slot) in entity
        .fields
        .iter()
        .zip(&columns.of_field)
        .zip(raw.iter_mut())
    {
        let Some(col) = *col else {
            *slot = None;
            continue;
        };
        match field_text(record.get(col).unwrap_or_default()) {
            Ok(text) => match slot {
                Some(s) => {
                    s.clear();
                    s.push_str(text);
                }
                None => *slot = Some(text.to_string()),
            },
            Err(p) => {
                errors.push(FieldError::new(field.name, "", p));
                *slot = None;
            }
        }
    }
    if !ignore_unknown
        && let Some(col) = columns.unnamed.iter().find(|&&c| {
            record
                .get(c)
                .is_some_and(|f| !f.iter().all(u8::is_ascii_whitespace))
        })
    {
        errors.push(FieldError::new(
            entity.key[0],
            "",
            Problem::new(t(
                &format!("a value in column {}, which has no header", col + 1),
                &format!("第 {} 列有值，但该列没有列名", col + 1),
            ))
            .with_hint(t(
                "name the column, delete it, or pass --ignore-unknown-columns",
                "请给该列加列名或删除该列，或加 --ignore-unknown-columns",
            )),
        ));
    }
    if !ignore_unknown && record.len() > columns.width {
        let extra = record
            .iter()
            .skip(columns.width)
            .any(|f| !f.iter().all(u8::is_ascii_whitespace));
        if extra {
            errors.push(FieldError::new(
                entity.key[0],
                "",
                Problem::new(t(
                    &format!(
                        "the row has {} cells, the header only {}",
                        record.len(),
                        columns.width
                    ),
                    &format!(
                        "这一行有 {} 格，表头只有 {} 列",
                        record.len(),
                        columns.width
                    ),
                ))
                .with_hint(t(
                    "a comma inside a value needs the value in double quotes",
                    "值中有逗号时须用双引号括起来",
                )),
            ));
        }
    }
    errors
}

/// Rebuilds the dropped indexes. When a unique one cannot be built, the
/// keys (and ID numbers) met more than once are returned.
fn rebuild_indexes(
    conn: &Connection,
    entity: &Entity,
    dropped: &[(String, String)],
) -> Result<Vec<Pending>> {
    let mut pending = Vec::new();
    let mut failed = Vec::new();
    for (name, sql) in dropped {
        if let Err(e) = conn.execute_batch(sql) {
            if !is_unique_violation(&e) {
                return Err(e).with_context(|| format!("failed to rebuild index {name}"));
            }
            failed.push((name, sql));
        }
    }
    if failed.is_empty() {
        return Ok(pending);
    }
    let mut groups: Vec<(&'static str, Vec<String>)> = vec![(entity.key[0], key_exprs(entity))];
    if entity.kind == Kind::Household {
        groups.push(("id_number", vec!["id_number".to_string()]));
    }
    for (field, exprs) in groups {
        let list = exprs.join(", ");
        let sql = format!(
            "SELECT id FROM {t} WHERE id NOT IN (SELECT min(id) FROM {t} GROUP BY {list}) ORDER BY id",
            t = entity.table
        );
        let ids: Vec<i64> = conn
            .prepare(&sql)?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let (_, values) = row_by_id(conn, entity, id)?;
            let value = if field == "id_number" {
                store::position(entity, "id_number")
                    .and_then(|i| values.get(i))
                    .map(Value::to_text)
                    .unwrap_or_default()
            } else {
                store::key_text(entity, &values)
            };
            // The line is found when the file is read again.
            if pending.len() < SHOWN {
                pending.push(Pending {
                    line: 0,
                    field,
                    value,
                });
            }
        }
    }
    // The index stays missing and the import is refused; the caller stops
    // before a later file needs it.
    Ok(pending)
}

fn row_by_id(conn: &Connection, entity: &Entity, id: i64) -> Result<(i64, Vec<Value>)> {
    let n = entity.stored().count();
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        store::columns(entity),
        entity.table
    );
    let values = conn.query_row(&sql, [id], |r| {
        (0..n)
            .map(|i| r.get(i))
            .collect::<rusqlite::Result<Vec<Value>>>()
    })?;
    Ok((id, values))
}

/// Reads the file again to find the lines of the given keys and ID
/// numbers. Only runs when there are duplicates to report.
fn locate(
    conn: &Connection,
    resolver: &mut Resolver,
    encoding: Option<Encoding>,
    path: &Path,
    entity: &'static Entity,
    columns: &Columns,
    wanted: &[Pending],
) -> Result<HashMap<(&'static str, String), Vec<u64>>> {
    let want: HashSet<(&'static str, String)> =
        wanted.iter().map(|p| (p.field, p.value.clone())).collect();
    let mut found: HashMap<(&'static str, String), Vec<u64>> = HashMap::new();
    let mut src = read::open(path, encoding)?;
    let _ = src.header()?;
    let mut record = ByteRecord::new();
    let key_field = entity.key[0];
    // Only the key fields (and a village's town hint) need parsing.
    let needed: Vec<bool> = entity
        .fields
        .iter()
        .map(|f| entity.key.contains(&f.name) || f.name == "town")
        .collect();
    while let Some(row) = src.next(&mut record)? {
        let line = row.line;
        let mut raw = RawRow::new();
        raw_row(entity, columns, row.record, true, &mut raw);
        if let Some(at) = entity
            .fields
            .iter()
            .position(|f| matches!(f.ty, Ty::IdNumber))
            && let Some(Some(text)) = raw.get(at)
            && let Ok(number) = values::parse_id_number(text)
        {
            let k = ("id_number", number);
            if want.contains(&k) {
                found.entry(k).or_default().push(line);
            }
        }
        for (slot, keep) in raw.iter_mut().zip(&needed) {
            if !keep {
                *slot = None;
            }
        }
        let Ok(given) = record::parse(conn, resolver, entity, &raw) else {
            continue;
        };
        let mut values = record::complete(entity, &given, None);
        if !entity.has_code() {
            let _ = record::check(conn, entity, &mut values);
        }
        let k = (key_field, store::key_text(entity, &values));
        if want.contains(&k) {
            found.entry(k).or_default().push(line);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
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
