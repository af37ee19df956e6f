//! Opening, creating and migrating the database file.

mod access;
pub mod audit;
pub mod backup;
pub mod heads;
pub mod people;
pub mod resolve;
#[cfg(test)]
mod schema_tests;
pub mod store;
pub mod suggest;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};

pub use access::explain_busy;

use crate::files;
use crate::lang::t;

/// The schema, the one source of truth, compiled into the binary: the
/// history of its versions, each step starting at a `-- @version N:` line.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Marks a file as ours, so a stray SQLite file is not mistaken for one.
pub(crate) const APPLICATION_ID: i32 = 0x4655_5049; // "FUPI"

/// Starts a step of [`SCHEMA`], at the beginning of a line.
const STEP_MARK: &str = "-- @version ";

/// The steps of [`SCHEMA`] in order: the version each takes a file to (as
/// its marker line says, 0 when unreadable) and its SQL.
fn steps() -> Vec<(i64, &'static str)> {
    let mut starts: Vec<usize> = SCHEMA
        .match_indices(STEP_MARK)
        .map(|(at, _)| at)
        .filter(|&at| at == 0 || SCHEMA[..at].ends_with('\n'))
        .collect();
    starts.push(SCHEMA.len());
    starts
        .windows(2)
        .map(|w| {
            let text = &SCHEMA[w[0]..w[1]];
            let version = text[STEP_MARK.len()..]
                .split(':')
                .next()
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0);
            (version, text)
        })
        .collect()
}

/// The version a file has once every step of [`SCHEMA`] ran.
pub fn schema_version() -> i64 {
    steps().len() as i64
}

/// Where the database is: `--db`, else `$FUPIN_DB`, else `fupin.db`.
pub fn resolve_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os("FUPIN_DB").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("fupin.db"))
}

/// What a command does with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Lists, reports, exports, checks and backups: a read-only file will do.
    Read,
    /// Anything that may change a record.
    Write,
}

/// Switches off SQLite's memory statistics, which nothing reads: kept on,
/// every allocation takes a global mutex, 8 % of a report's time when two
/// threads read one file (bench/README.md, the exit report). Must run
/// before the first connection opens; later it is refused and harmless.
pub fn tune_sqlite() {
    // SAFETY: sqlite3_config is called before any other SQLite function,
    // from the main thread, with the one integer argument this option takes.
    unsafe {
        rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")
        .context("failed to enable foreign keys")?;
    conn.busy_timeout(busy_wait())
        .context("failed to set the busy timeout")?;
    Ok(())
}

/// Write-ahead logging: readers (a report, a list) answer from the last
/// commit while an import writes, instead of waiting for it, and a killed
/// writer still leaves nothing half-done. The mode is stored in the file, so
/// a file made by an older fupin switches on its first write.
fn use_wal(conn: &Connection) -> Result<()> {
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .context("failed to read the journal mode")?;
    if mode.eq_ignore_ascii_case("wal") {
        return Ok(());
    }
    // Switching needs the file to itself; if another process has it open,
    // do not wait for it: the next command switches.
    conn.busy_timeout(Duration::ZERO)?;
    let switched =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0));
    conn.busy_timeout(busy_wait())?;
    match switched {
        Ok(_) => Ok(()),
        Err(e) if access::is_busy(&e) => Ok(()),
        Err(e) => Err(e).context("failed to switch the file to write-ahead logging"),
    }
}

/// Bytes per page of a new file. A first import of a large county writes
/// every page twice (into the log, then into the file) and builds four
/// indexes over the households; with 16 KiB pages the B-trees have a
/// quarter of the pages to split, link and look up in the log's index, and
/// that import takes about a sixth less time (bench/README.md, "Page
/// size"). Files made by older versions keep their 4 KiB pages.
const PAGE_SIZE: i64 = 16384;

/// Creates a new database file with the schema and the county row.
///
/// The file is built under a temporary name in the same folder and given
/// its name only if nothing has that name yet, so `init` never overwrites
/// or deletes a file it did not make, and of two `init`s racing for one
/// name exactly one succeeds.
pub fn create(path: &Path, county_name: &str, county_code: &str) -> Result<Connection> {
    if files::taken(path) {
        return Err(access::exists_error(path));
    }
    let tmp = files::temp_beside(path)?.into_temp_path();
    {
        let mut conn = Connection::open_with_flags(
            &tmp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("failed to create {}", path.display()))?;
        configure(&conn)?;
        // Set before the first page is written; it cannot change afterwards
        // under write-ahead logging. See PAGE_SIZE.
        conn.pragma_update(None, "page_size", PAGE_SIZE)
            .context("failed to set the page size")?;
        migrate(&mut conn)?;
        conn.execute(
            "INSERT INTO county (id, code, name) VALUES (1, ?1, ?2)",
            (county_code, county_name),
        )
        .context("failed to record the county")?;
        use_wal(&conn)?;
        // Closing checkpoints the log into the file and removes it.
        conn.close()
            .map_err(|(_, e)| e)
            .with_context(|| format!("failed to create {}", path.display()))?;
    }
    files::seal(&tmp).with_context(|| format!("failed to create {}", path.display()))?;
    match files::place_new(tmp, path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(access::exists_error(path));
        }
        Err(e) => return Err(e).with_context(|| format!("failed to create {}", path.display())),
    }
    open(path, Access::Write)
}

/// Opens an existing database file, migrating it forward if it is older than
/// this binary and refusing it if it is newer. For [`Access::Write`], a file
/// that cannot be written (read-only file, folder or log) is refused here,
/// before any work is done.
pub fn open(path: &Path, access: Access) -> Result<Connection> {
    if !path.exists() {
        bail!(
            "{}",
            t(
                &format!(
                    "no database at {}; create one with `fupin --db {} init --county NAME --code CODE`, or point --db or FUPIN_DB at an existing file",
                    path.display(),
                    path.display()
                ),
                &format!(
                    "找不到数据库 {}；请先运行 `fupin --db {} init --county 县名 --code 区划代码` 创建，或用 --db / FUPIN_DB 指定已有文件",
                    path.display(),
                    path.display()
                ),
            )
        );
    }
    // Read-write when the file allows it, else SQLite opens it read-only.
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("failed to open {}", path.display()))?;
    configure(&conn)?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| access::first_read_error(e, path))?;
    if app_id != APPLICATION_ID {
        return Err(access::foreign_error(path));
    }
    let read_only = conn.is_readonly(rusqlite::MAIN_DB)?;
    match access {
        Access::Write => {
            if read_only {
                return Err(access::read_only_file_error(path));
            }
            access::check_folder(path)?;
            use_wal(&conn)?;
            access::probe_write(&conn, path)?;
        }
        // A reader leaves the file as it found it: a backup checked, or
        // another office's file listed, keeps its journal mode and gets no
        // -wal/-shm files beside it; the first writer switches it.
        Access::Read => {}
    }
    migrate_or_refuse(&mut conn, read_only)
        .with_context(|| format!("failed to open {}", path.display()))?;
    Ok(conn)
}

/// How long a writer waits for another one before giving up.
pub fn busy_wait() -> Duration {
    // Tests make a busy writer give up quickly instead of after 10 s.
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("FUPIN_TEST_BUSY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    Duration::from_secs(10)
}

fn migrate_or_refuse(conn: &mut Connection, read_only: bool) -> Result<()> {
    let version = version(conn)?;
    if read_only && version < schema_version() {
        bail!(
            "{}",
            t(
                &format!(
                    "the file has schema version {version} and is read-only; make it writable once so this fupin can bring it up to version {}",
                    schema_version()
                ),
                &format!(
                    "该文件的结构版本为 {version} 且为只读；请让它可写一次，以便本程序将其升级到版本 {}",
                    schema_version()
                ),
            )
        );
    }
    migrate(conn)
}

/// The schema version stored in the file.
pub fn version(conn: &Connection) -> Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .context("failed to read the schema version")
}

fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, schema_version())
}

/// Runs the steps of [`SCHEMA`] that take the file from its version to
/// `target`, in one transaction.
fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let version = version(conn)?;
    if version > schema_version() {
        return Err(access::newer_error(version));
    }
    if version >= target {
        return Ok(());
    }
    // Foreign keys can only be switched outside a transaction. Off, a step
    // may drop and rebuild a table that others refer to; they are checked
    // as a whole before the commit instead.
    conn.pragma_update(None, "foreign_keys", "OFF")
        .context("failed to prepare the migration")?;
    let applied = apply_steps(conn, &steps(), version, target);
    conn.pragma_update(None, "foreign_keys", "ON")
        .context("failed to enable foreign keys")?;
    applied
}

fn apply_steps(conn: &mut Connection, steps: &[(i64, &str)], from: i64, to: i64) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
        .context("failed to lock the file for migration")?;
    // A file edited by hand may already hold broken references, which
    // `fupin check` reports; a step must not add to them.
    let broken_before = broken_references(&tx)?;
    for (i, &(version, sql)) in steps.iter().enumerate() {
        if version != i as i64 + 1 {
            bail!(
                "schema.sql is out of order: step {} is marked {version}",
                i + 1
            );
        }
        if version > from && version <= to {
            tx.execute_batch(sql)
                .with_context(|| format!("failed to apply schema version {version}"))?;
        }
    }
    let broken_after = broken_references(&tx)?;
    if broken_after > broken_before {
        bail!(
            "{}",
            t(
                &format!(
                    "updating the file to schema version {to} would break references between records ({} rows); nothing was changed; please report this",
                    broken_after - broken_before
                ),
                &format!(
                    "升级到结构版本 {to} 会破坏记录之间的引用（{} 行）；未作任何更改；请报告此问题",
                    broken_after - broken_before
                ),
            )
        );
    }
    tx.pragma_update(None, "user_version", to)
        .context("failed to record the schema version")?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .context("failed to mark the file")?;
    tx.commit().context("failed to commit the migration")?;
    Ok(())
}

/// Rows whose foreign keys point at nothing.
fn broken_references(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })
    .context("failed to check the foreign keys")
}

/// The county this file holds: (code, name).
pub fn county(conn: &Connection) -> Result<(String, String)> {
    conn.query_row("SELECT code, name FROM county WHERE id = 1", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .context("failed to read the county")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_applies_to_an_empty_database() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate(&mut conn)?;
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, schema_version());
        let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
        assert_eq!(fk, 1, "foreign keys are back on after the migration");
        Ok(())
    }

    #[test]
    fn the_steps_are_numbered_from_one() {
        let steps = steps();
        assert!(steps.len() >= 2);
        for (i, (version, sql)) in steps.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1);
            assert!(sql.starts_with(&format!("{STEP_MARK}{version}:")), "{sql}");
        }
        assert!(steps[0].1.contains("CREATE TABLE county"));
        assert!(!steps[0].1.contains("households_v2"));
        assert!(steps[1].1.contains("households_v2"));
        // The header is no step: the comment describing the marker is not
        // at the start of a line.
        assert!(!SCHEMA.starts_with(STEP_MARK));
    }

    #[test]
    fn a_step_that_would_break_references_changes_nothing() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate(&mut conn)?;
        conn.execute_batch(
            "INSERT INTO towns (code, name) VALUES ('T1', '钟山镇');
             INSERT INTO villages (code, name, town) VALUES ('V1', '龙岩村', 'T1');",
        )?;
        let latest = schema_version();
        let mut steps = steps();
        steps.push((latest + 1, "-- @version 99: breaks\nDELETE FROM towns;"));
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        let err = apply_steps(&mut conn, &steps, latest, latest + 1)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("would break references between records (1 rows)"),
            "{err}"
        );
        let towns: i64 = conn.query_row("SELECT count(*) FROM towns", [], |r| r.get(0))?;
        assert_eq!(towns, 1);
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, latest);
        // A step out of order is refused before anything runs.
        steps.pop();
        steps.push((
            latest + 2,
            "-- @version 99: misnumbered\nDELETE FROM villages;",
        ));
        let err = apply_steps(&mut conn, &steps, latest, latest + 1)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("out of order"), "{err}");
        Ok(())
    }

    #[test]
    fn a_file_newer_than_the_binary_is_refused() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate(&mut conn)?;
        conn.pragma_update(None, "user_version", schema_version() + 1)?;
        let err = migrate(&mut conn).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("newer than this fupin"), "{err}");
        Ok(())
    }
}
