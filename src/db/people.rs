//! People's codes when none is given: the household's code followed by two
//! digits, the head `01` and the others in order (`02`, `03`, …), as the
//! national register numbers them.

use anyhow::Result;
use rusqlite::Connection;

/// The lowest two-digit number after `household` that no person of it has
/// taken yet (from `02`; `01` is the head's, and `head` takes it when free).
pub fn next_code(conn: &Connection, household: &str, head: bool) -> Result<String> {
    let taken: Vec<String> = conn
        .prepare_cached("SELECT code FROM people WHERE household = ?1")?
        .query_map([household], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let free = |n: u32| !taken.contains(&code(household, n));
    let n = if head && free(1) {
        1
    } else {
        (2..).find(|&n| free(n)).unwrap_or(2)
    };
    Ok(code(household, n))
}

/// `household` followed by `n` in two digits (three from 100 on).
pub fn code(household: &str, n: u32) -> String {
    format!("{household}{n:02}")
}
