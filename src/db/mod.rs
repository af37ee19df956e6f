//! Opening, creating and migrating the database file.

pub mod audit;
pub mod resolve;
#[cfg(test)]
mod schema_tests;
pub mod store;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};

use crate::lang::t;

/// The schema, the one source of truth, compiled into the binary.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Marks a file as ours, so a stray SQLite file is not mistaken for one.
const APPLICATION_ID: i32 = 0x4655_5049; // "FUPI"

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

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")
        .context("failed to enable foreign keys")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .context("failed to set the busy timeout")?;
    Ok(())
}

/// Creates a new database file with the schema and the county row.
pub fn create(path: &Path, county_name: &str, county_code: &str) -> Result<Connection> {
    if path.exists() {
        bail!(
            "{}",
            t(
                &format!(
                    "{} already exists; fupin init only creates a new file (use --db to choose another name)",
                    path.display()
                ),
                &format!(
                    "{} 已存在；init 只创建新文件（可用 --db 指定其他文件名）",
                    path.display()
                ),
            )
        );
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )
    .with_context(|| format!("failed to create {}", path.display()))?;
    configure(&conn)?;
    let result = (|| -> Result<()> {
        migrate(&mut conn)?;
        conn.execute(
            "INSERT INTO county (id, code, name) VALUES (1, ?1, ?2)",
            (county_code, county_name),
        )
        .context("failed to record the county")?;
        Ok(())
    })();
    if let Err(e) = result {
        drop(conn);
        // A half-made file would make the next `init` refuse; take it away.
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(conn)
}

/// Opens an existing database file, migrating it forward if it is older than
/// this binary and refusing it if it is newer.
pub fn open(path: &Path) -> Result<Connection> {
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
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("failed to open {}", path.display()))?;
    configure(&conn)?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .with_context(|| {
            t(
                &format!("{} is not a fupin database", path.display()),
                &format!("{} 不是 fupin 数据库", path.display()),
            )
        })?;
    if app_id != APPLICATION_ID {
        bail!(
            "{}",
            t(
                &format!("{} is not a fupin database", path.display()),
                &format!("{} 不是 fupin 数据库", path.display()),
            )
        );
    }
    migrate(&mut conn).with_context(|| format!("failed to open {}", path.display()))?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .context("failed to read the schema version")?;
    let latest = schema_version();
    if version > latest {
        bail!(
            "{}",
            t(
                &format!(
                    "the file has schema version {version}, newer than this fupin understands ({latest}); install a newer fupin"
                ),
                &format!(
                    "该文件的结构版本为 {version}，比本程序支持的版本（{latest}）新；请安装新版 fupin"
                ),
            )
        );
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
