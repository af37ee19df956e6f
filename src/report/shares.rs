//! A pass over every household of a county file, shared by two threads in
//! ranges of villages.
//!
//! Halves of the villages are not halves of the work: villages differ in
//! size, and a half with more households (or more households with later
//! steps) kept the other thread idle for a tenth of the pass. So the
//! villages are cut into a few more ranges than threads, and each thread
//! takes the next range left until none is.

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use rusqlite::{Connection, OpenFlags};

/// Village codes from `from` (inclusive) up to `until` (exclusive); `None`
/// leaves that end open.
#[derive(Debug, Clone, Copy, Default)]
pub struct VillageRange<'a> {
    pub from: Option<&'a str>,
    pub until: Option<&'a str>,
}

impl<'a> VillageRange<'a> {
    /// Every village.
    pub const WHOLE: VillageRange<'static> = VillageRange {
        from: None,
        until: None,
    };

    /// ` AND village >= ?N` for the range's start, its code pushed on
    /// `params`; empty for an open start. The end is not in the SQL (see
    /// [`VillageRange::passed`]), so the rows must come in village order.
    pub fn start_sql(&self, params: &mut Vec<&'a str>) -> String {
        let Some(from) = self.from else {
            return String::new();
        };
        params.push(from);
        format!(" AND village >= ?{}", params.len())
    }

    /// Whether a pass in village order has gone past the range, asked at
    /// each new village: in the SQL the end would cost a comparison of
    /// every row's key.
    pub fn passed(&self, village: &[u8]) -> bool {
        self.until.is_some_and(|u| village >= u.as_bytes())
    }
}

/// Below this many villages one thread counts as fast as two: the second
/// connection and its statements cost more than they save.
const SHARED_FROM: usize = 64;

/// Ranges a pass is cut into (fewer for fewer villages, at least eight
/// villages each). Each costs a seek and the reset of a cached statement;
/// sixteen leave the threads at most a sixteenth apart.
const RANGES: usize = 16;

/// `work` over every village's households: once on `conn` for an in-memory
/// database or a county of few villages, else over ranges of `villages`
/// (their codes, in any order) shared by this thread and one more, reading
/// the file on a read-only connection of its own. The results come in no
/// order.
pub fn over_villages<T, F>(conn: &Connection, villages: &[String], work: F) -> Result<Vec<T>>
where
    T: Send,
    F: Fn(&Connection, VillageRange) -> Result<T> + Sync,
{
    let path = conn.path().filter(|p| !p.is_empty());
    let Some(path) = path.filter(|_| villages.len() >= SHARED_FROM) else {
        return Ok(vec![work(conn, VillageRange::WHOLE)?]);
    };
    // Ranges are cut in SQLite's order of the codes (bytes), or they
    // would overlap.
    let mut codes: Vec<&str> = villages.iter().map(String::as_str).collect();
    codes.sort_unstable();
    let n = RANGES.min(codes.len() / 8);
    let bound = |i: usize| -> Option<&str> { (i > 0 && i < n).then(|| codes[i * codes.len() / n]) };
    let next = AtomicUsize::new(0);
    let take = |conn: &Connection| -> Result<Vec<T>> {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                return Ok(out);
            }
            let range = VillageRange {
                from: bound(i),
                until: bound(i + 1),
            };
            out.push(work(conn, range)?);
        }
    };
    std::thread::scope(|scope| {
        let other = scope.spawn(|| -> Result<Vec<T>> {
            let other = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            take(&other)
        });
        let mut out = take(conn)?;
        let more = other
            .join()
            .map_err(|_| anyhow::anyhow!("the counting thread stopped unexpectedly"))??;
        out.extend(more);
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ranges that neither miss nor repeat a village, from a file with
    /// villages of every size.
    #[test]
    fn the_ranges_cover_every_village_once() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("v.db");
        let conn = Connection::open(&path)?;
        conn.execute_batch("CREATE TABLE v (code TEXT PRIMARY KEY)")?;
        for few in [1usize, 63, 64, 65, 130, 1000] {
            conn.execute("DELETE FROM v", [])?;
            let codes: Vec<String> = (0..few).map(|i| format!("V{i:05}")).collect();
            for c in &codes {
                conn.execute("INSERT INTO v (code) VALUES (?1)", [c])?;
            }
            // Given in another order, the ranges still fall in code order.
            let shuffled: Vec<String> = codes.iter().rev().cloned().collect();
            let shares = over_villages(&conn, &shuffled, |conn, range| {
                let mut stmt = conn.prepare_cached(
                    "SELECT code FROM v WHERE (?1 IS NULL OR code >= ?1)
                        AND (?2 IS NULL OR code < ?2) ORDER BY code",
                )?;
                let rows = stmt.query_map([range.from, range.until], |r| r.get::<_, String>(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
            })?;
            let expected = if few < SHARED_FROM {
                1
            } else {
                (few / 8).min(RANGES)
            };
            assert_eq!(shares.len(), expected, "{few} villages");
            let mut seen: Vec<String> = shares.into_iter().flatten().collect();
            seen.sort();
            assert_eq!(seen, codes, "{few} villages");
        }
        Ok(())
    }

    #[test]
    fn a_failing_range_fails_the_pass() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("v.db");
        let conn = Connection::open(&path)?;
        let codes: Vec<String> = (0..100).map(|i| format!("V{i:05}")).collect();
        let out = over_villages(&conn, &codes, |_, range| {
            if range.from == Some(codes[50].as_str()) {
                anyhow::bail!("range at {:?}", range.from);
            }
            Ok(())
        });
        let err = out.err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "range at Some(\"V00050\")");
        Ok(())
    }
}
