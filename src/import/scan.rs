//! Reading the stored rows alongside the file, for imports into a table
//! that already has records: the rows this file has written, the stored
//! rows in rowid order, and the encoding that recognises an unchanged row
//! without parsing it.

use std::collections::{HashSet, VecDeque};

use anyhow::Result;
use csv::ByteRecord;
use rusqlite::Connection;

use crate::db::store::{self, Value};
use crate::input::headers::Columns;
use crate::model::{Entity, Ty};

/// Rows fetched at a time when reading the table alongside the file.
const SCAN_BATCH: usize = 256;

/// Remembers which rows this file has written, one bit per rowid, so a key
/// met twice is caught without keeping the keys.
#[derive(Default)]
pub(super) struct Touched {
    bits: Vec<u64>,
    /// Rowids too large for a bit set (never made by fupin itself).
    far: HashSet<i64>,
}

impl Touched {
    const DENSE: i64 = 1 << 28;

    /// Marks `id`; false when it was already marked.
    pub(super) fn mark(&mut self, id: i64) -> bool {
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

    pub(super) fn has(&self, id: i64) -> bool {
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
pub(super) struct Scan {
    sql: String,
    ahead: VecDeque<(i64, Vec<u8>)>,
    after: i64,
    done: bool,
}

/// True when every cell of the row is the text the stored record (encoded
/// as by [`encode`]) is exported as, in either language: its code, date,
/// number, `yes`/`no` or 是/否, an enumeration's code or Chinese label (a
/// township's own file is fupin's Chinese export, corrected).
pub(super) fn same_as_stored(
    entity: &Entity,
    columns: &Columns,
    record: &ByteRecord,
    enc: &[u8],
) -> bool {
    let mut at = 0;
    let mut number = [0u8; 24];
    for (field, col) in entity.fields.iter().zip(&columns.of_field) {
        if !field.stored {
            continue;
        }
        let Some(&tag) = enc.get(at) else {
            return false;
        };
        let mut chinese: &[u8] = b"";
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
                    chinese = if n == 0 { "否" } else { "是" }.as_bytes();
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
                let Some(text) = enc.get(start..at) else {
                    return false;
                };
                if let Ty::Enum(choices) = field.ty
                    && let Some(c) = choices.iter().find(|c| c.code.as_bytes() == text)
                {
                    chinese = c.zh.as_bytes();
                }
                text
            }
        };
        // A cell with Excel's text mark is read without it, so it is never
        // literally the stored text.
        if let Some(col) = col
            && let cell = record.get(*col).unwrap_or_default()
            && ((cell != stored && (chinese.is_empty() || cell != chinese))
                || cell.first() == Some(&b'\''))
        {
            return false;
        }
    }
    true
}

/// Appends a value to a row encoding: a type tag, the length, the bytes.
pub(super) fn encode(value: &Value, out: &mut Vec<u8>) {
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
pub(super) fn encoded_fields(row: &[u8], width: usize) -> Vec<std::ops::Range<usize>> {
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

/// The text of field `at` of an encoded row, if it is text.
pub(super) fn encoded_text(row: &[u8], width: usize, at: usize) -> Option<&[u8]> {
    let range = encoded_fields(row, width).get(at)?.clone();
    match row.get(range.start) {
        Some(2) => row.get(range.start + 5..range.end),
        _ => None,
    }
}

impl Scan {
    pub(super) fn new(entity: &Entity) -> Scan {
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

    pub(super) fn peek(
        &mut self,
        conn: &Connection,
        width: usize,
    ) -> Result<Option<&(i64, Vec<u8>)>> {
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

    pub(super) fn take(&mut self) -> Option<(i64, Vec<u8>)> {
        self.ahead.pop_front()
    }

    /// Continues after `id`, where the file and the table met again.
    pub(super) fn resync(&mut self, id: i64) {
        if self.ahead.front().is_some_and(|(first, _)| *first < id) {
            self.ahead.clear();
            self.after = id;
            self.done = false;
        }
    }
}

pub(super) fn row_by_id(conn: &Connection, entity: &Entity, id: i64) -> Result<(i64, Vec<Value>)> {
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
