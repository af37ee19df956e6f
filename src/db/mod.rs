//! Opening, creating and migrating the database file.

mod access;
pub mod audit;
pub mod backup;
pub mod resolve;
#[cfg(test)]
mod schema_tests;
pub mod store;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};

pub use access::explain_busy;

use crate::files;
use crate::lang::t;

/// The schema, the one source of truth, compiled into the binary.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Marks a file as ours, so a stray SQLite file is not mistaken for one.
pub(crate) const APPLICATION_ID: i32 = 0x4655_5049; // "FUPI"

/// Schema migrations, applied in order; entry N takes the file to version
/// N + 1. Never remove or reorder an entry: files in the field depend on them.
const MIGRATIONS: &[&str] = &[SCHEMA];

pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
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
/// a file made by an older fupin switches on its first writable open.
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
        Access::Read => {
            // A reader may find the folder read-only; it reads all the same.
            if !read_only {
                let _ = use_wal(&conn);
            }
        }
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
    let version = version(conn)?;
    let latest = schema_version();
    if version > latest {
        return Err(access::newer_error(version));
    }
    if version == latest {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
        .context("failed to lock the file for migration")?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(step)
            .with_context(|| format!("failed to apply schema step {}", i + 1))?;
    }
    tx.pragma_update(None, "user_version", latest)
        .context("failed to record the schema version")?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .context("failed to mark the file")?;
    tx.commit().context("failed to commit the migration")?;
    Ok(())
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
        Ok(())
    }
}
