//! Backups, and putting one back.
//!
//! Both make their file with `VACUUM INTO` (a consistent, compacted copy,
//! taken while others may read and write) inside a private folder beside
//! the destination, make it 0600, sync it, and only then give it its name:
//! a full disk or a kill never leaves a partial file under that name.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, OpenFlags};
use tempfile::TempPath;

use super::{APPLICATION_ID, access, busy_wait, schema_version, version};
use crate::files;
use crate::lang::t;

/// The files SQLite keeps beside a database while it is in use; they belong
/// to the database they were written for.
const COMPANIONS: [&str; 3] = ["-journal", "-wal", "-shm"];

fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes a consistent copy of the open database to `copy`.
fn snapshot(conn: &Connection, copy: &Path) -> Result<()> {
    // Made empty and private first (VACUUM INTO fills an empty file), so a
    // copy left by a killed backup is never readable by others.
    let mut new = std::fs::OpenOptions::new();
    new.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        new.mode(0o600);
    }
    drop(new.open(copy)?);
    conn.execute("VACUUM INTO ?1", [copy.to_string_lossy()])?;
    files::seal(copy)?;
    Ok(())
}

/// Writes a backup of the open database to `target`, which must not exist.
pub fn backup(conn: &Connection, target: &Path) -> Result<()> {
    if files::taken(target) {
        bail!(
            "{}",
            t(
                &format!(
                    "{} already exists; choose a new file name",
                    target.display()
                ),
                &format!("{} 已存在；请换一个文件名", target.display()),
            )
        );
    }
    let failed = || {
        t(
            &format!("failed to write the backup to {}", target.display()),
            &format!("备份写入 {} 失败", target.display()),
        )
    };
    let dir = files::private_dir_beside(target).with_context(failed)?;
    let copy = dir.path().join("backup.db");
    snapshot(conn, &copy).with_context(failed)?;
    let copy = TempPath::try_from_path(copy).with_context(failed)?;
    files::place_new(copy, target).with_context(failed)?;
    Ok(())
}

/// What a restore did.
pub struct Restored {
    pub households: i64,
    /// The file that was replaced, under its new name.
    pub kept: Option<PathBuf>,
}

/// Replaces the database at `target` with the backup at `source`, after
/// checking the backup; the replaced file is kept beside it as
/// `NAME.before-restore-<time>`, with its journal or log if it had one.
pub fn restore(target: &Path, source: &Path) -> Result<Restored> {
    // Through a symlink, the file it points to is restored (and kept under
    // its second name), not the link replaced by a file.
    let resolved = match target.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(target).ok(),
        _ => None,
    };
    let target = resolved.as_deref().unwrap_or(target);
    let unusable = |why: String| {
        anyhow!(
            "{}",
            t(
                &format!(
                    "{} is not a usable fupin backup: {why}; {} was left as it was — choose another backup",
                    source.display(),
                    target.display()
                ),
                &format!(
                    "{} 不是可用的 fupin 备份：{why}；{} 未做改动——请另选一个备份",
                    source.display(),
                    target.display()
                ),
            )
        )
    };
    if !source.is_file() {
        return Err(unusable(t("there is no such file", "文件不存在")));
    }
    let src = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| unusable(e.to_string()))?;
    let households = check_backup(&src).map_err(|e| unusable(e.to_string()))?;

    let failed = || {
        t(
            &format!("failed to restore {}", target.display()),
            &format!("恢复 {} 失败", target.display()),
        )
    };
    let dir = files::private_dir_beside(target).with_context(failed)?;
    let fresh = dir.path().join("restore.db");
    snapshot(&src, &fresh).with_context(failed)?;
    drop(src);
    prepare(&fresh).with_context(failed)?;

    // Held until the new file is in place: no other fupin writes to the old
    // one meanwhile.
    let lock = if files::taken(target) {
        hold(target)?
    } else {
        None
    };
    let kept = if files::taken(target) {
        Some(keep(target).with_context(failed)?)
    } else {
        None
    };
    // A journal or log left beside the name belongs to the old file; left
    // there, SQLite would apply it to the restored one.
    let kept_base = kept.clone().unwrap_or_else(|| kept_name(target, 0));
    for suffix in COMPANIONS {
        let from = companion(target, suffix);
        if files::taken(&from) {
            std::fs::rename(&from, companion(&kept_base, suffix)).with_context(failed)?;
        }
    }
    std::fs::rename(&fresh, target).with_context(failed)?;
    files::sync_folder(files::folder_of(target));
    drop(lock);
    Ok(Restored { households, kept })
}

/// Integrity, owner and version of a backup; returns its household count.
fn check_backup(conn: &Connection) -> Result<i64> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        bail!("{}", t("it is not a fupin database", "它不是 fupin 数据库"));
    }
    let v = version(conn)?;
    if v > schema_version() {
        return Err(access::newer_error(v));
    }
    let lines: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if lines != ["ok"] {
        bail!(
            "{}",
            t(
                &format!(
                    "its integrity check failed ({})",
                    lines.first().map_or("", String::as_str)
                ),
                &format!(
                    "完整性检查未通过（{}）",
                    lines.first().map_or("", String::as_str)
                ),
            )
        );
    }
    Ok(conn.query_row("SELECT count(*) FROM households", [], |r| r.get(0))?)
}

/// The restored file in the mode a live database has (write-ahead log).
fn prepare(fresh: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(fresh, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
    conn.close().map_err(|(_, e)| e)?;
    files::seal(fresh)?;
    Ok(())
}

/// Takes the old database for ourselves: leaving write-ahead logging folds
/// its log into it (or rolls back the hot journal of a killed import) and
/// needs every other connection gone; the exclusive lock then keeps others
/// out until the new file has the name. `None` when the old file cannot be
/// opened as a database at all (it is then kept as it is, with its journal).
fn hold(target: &Path) -> Result<Option<Connection>> {
    let Ok(conn) = Connection::open_with_flags(
        target,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return Ok(None);
    };
    conn.busy_timeout(busy_wait())?;
    let take = || {
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
            .and_then(|_| conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;"))
            .and_then(|()| conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())))
    };
    // Leaving write-ahead logging needs every reader gone, and SQLite does
    // not wait for them there: short reads (a report, a list) come and go,
    // so it is tried again for as long as a writer would wait.
    let until = std::time::Instant::now() + busy_wait();
    let mut taken = take();
    while matches!(&taken, Err(e) if access::is_busy(e)) && std::time::Instant::now() < until {
        let _ = conn.execute_batch("ROLLBACK");
        std::thread::sleep(std::time::Duration::from_millis(20));
        taken = take();
    }
    match taken {
        Ok(()) => Ok(Some(conn)),
        Err(e) if access::is_busy(&e) => bail!(
            "{}",
            t(
                &format!(
                    "database is busy: another fupin is using {}; nothing was restored — try again when it has finished",
                    target.display()
                ),
                &format!(
                    "数据库正忙：另一个 fupin 正在使用 {}；未做恢复——请等它结束后再试",
                    target.display()
                ),
            )
        ),
        Err(_) => Ok(None),
    }
}

fn kept_name(target: &Path, n: u32) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let suffix = if n == 0 {
        format!(".before-restore-{stamp}")
    } else {
        format!(".before-restore-{stamp}-{n}")
    };
    companion(target, &suffix)
}

/// Gives the old file a second name, so the restored one can replace the
/// first in one rename and the path never goes missing.
fn keep(target: &Path) -> Result<PathBuf> {
    for n in 0..100 {
        let kept = kept_name(target, n);
        match std::fs::hard_link(target, &kept) {
            Ok(()) => {
                // By path: opening the file here would drop the lock that
                // SQLite holds on it (POSIX locks belong to the process).
                let _ = files::make_private(&kept);
                return Ok(kept);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // A file system without hard links: move it aside instead.
            Err(_) if !files::taken(&kept) => {
                std::fs::rename(target, &kept)?;
                return Ok(kept);
            }
            Err(e) => return Err(e.into()),
        }
    }
    bail!(
        "{}",
        t(
            &format!(
                "too many earlier copies named {}; move some away and try again",
                kept_name(target, 0).display()
            ),
            &format!(
                "名为 {} 的旧副本过多；请移走一些后再试",
                kept_name(target, 0).display()
            ),
        )
    )
}
