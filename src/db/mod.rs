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

/// The schema, the one source of truth, compiled into the binary: the
/// history of its versions, each step starting at a `-- @version N:` line.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Marks a file as ours, so a stray SQLite file is not mistaken for one.
const APPLICATION_ID: i32 = 0x4655_5049; // "FUPI"

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
    migrate_to(conn, schema_version())
}

/// Runs the steps of [`SCHEMA`] that take the file from its version to
/// `target`, in one transaction.
fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
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
