//! Why a database file cannot be used, told once and plainly: busy with
//! another writer, read-only (the file, its folder or its log), damaged,
//! not fupin's, or newer than this binary.

use std::path::Path;

use anyhow::{Result, anyhow};
use rusqlite::{Connection, ErrorCode};

use super::busy_wait;
use crate::files;
use crate::lang::t;

/// SQLite could not get the lock within the busy timeout.
pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

pub(super) fn busy_error(path: &Path) -> anyhow::Error {
    let waited = format!("{:?}", busy_wait());
    anyhow!(
        "{}",
        t(
            &format!(
                "database is busy: another fupin is writing ({}, waited {waited}); try again when it has finished",
                path.display()
            ),
            &format!(
                "数据库正忙：另一个 fupin 正在写入（{}，已等待 {waited}）；请等它结束后再试",
                path.display()
            ),
        )
    )
}

/// Any error whose cause is a busy database becomes the one message that
/// says so, whatever step was waiting.
pub fn explain_busy(err: anyhow::Error, path: &Path) -> anyhow::Error {
    let busy = err
        .chain()
        .any(|e| e.downcast_ref::<rusqlite::Error>().is_some_and(is_busy));
    if busy { busy_error(path) } else { err }
}

pub(super) fn exists_error(path: &Path) -> anyhow::Error {
    anyhow!(
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
    )
}

pub(super) fn foreign_error(path: &Path) -> anyhow::Error {
    anyhow!(
        "{}",
        t(
            &format!("{} is not a fupin database", path.display()),
            &format!("{} 不是 fupin 数据库", path.display()),
        )
    )
}

pub(super) fn newer_error(version: i64) -> anyhow::Error {
    let latest = super::schema_version();
    anyhow!(
        "{}",
        t(
            &format!(
                "the file has schema version {version}, newer than this fupin understands ({latest}); install a newer fupin"
            ),
            &format!(
                "该文件的结构版本为 {version}，比本程序支持的版本（{latest}）新；请安装新版 fupin"
            ),
        )
    )
}

fn read_only_folder_error(path: &Path, cause: &str) -> anyhow::Error {
    let dir = files::folder_of(path);
    anyhow!(
        "{}",
        t(
            &format!(
                "cannot use {}: its folder {} is read-only, and fupin keeps its write-ahead log ({}-wal, {}-shm) beside it ({cause}); make the folder writable, or copy the file to a writable folder and use the copy",
                path.display(),
                dir.display(),
                path.display(),
                path.display()
            ),
            &format!(
                "无法使用 {}：所在文件夹 {} 为只读，而 fupin 需要在其旁边保存预写日志（{}-wal、{}-shm）（{cause}）；请让该文件夹可写，或把文件复制到可写的文件夹后使用副本",
                path.display(),
                dir.display(),
                path.display(),
                path.display()
            ),
        )
    )
}

pub(super) fn read_only_file_error(path: &Path) -> anyhow::Error {
    anyhow!(
        "{}",
        t(
            &format!(
                "{} is read-only, so nothing was changed; to change records make it writable (`chmod 600 {}`); lists, reports, export, log, check and backup work on it as it is",
                path.display(),
                path.display()
            ),
            &format!(
                "{} 是只读文件，未做任何修改；如需修改记录，请先让它可写（`chmod 600 {}`）；列表、报表、导出、日志、检查和备份可直接使用",
                path.display(),
                path.display()
            ),
        )
    )
}

/// The first read of a file tells most of what can be wrong with it.
pub(super) fn first_read_error(e: rusqlite::Error, path: &Path) -> anyhow::Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => busy_error(path),
        // A file in write-ahead-log mode needs its `-shm` beside it; in a
        // read-only folder SQLite cannot make one.
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen) => {
            read_only_folder_error(path, &e.to_string())
        }
        Some(ErrorCode::NotADatabase) => foreign_error(path),
        Some(ErrorCode::DatabaseCorrupt) => anyhow!(
            "{}",
            t(
                &format!(
                    "{} is damaged ({e}); restore it from a backup with `fupin --db {} restore BACKUP`",
                    path.display(),
                    path.display()
                ),
                &format!(
                    "{} 已损坏（{e}）；请用 `fupin --db {} restore 备份文件` 从备份恢复",
                    path.display(),
                    path.display()
                ),
            )
        ),
        _ => anyhow!(e).context(t(
            &format!("failed to read {}", path.display()),
            &format!("无法读取 {}", path.display()),
        )),
    }
}

/// A writer needs to create files beside the database (its log); find out
/// now rather than after reading a whole import.
pub(super) fn check_folder(path: &Path) -> Result<()> {
    match tempfile::tempfile_in(files::folder_of(path)) {
        Ok(_) => Ok(()),
        Err(e) => Err(read_only_folder_error(path, &e.to_string())),
    }
}

/// Takes the write lock and lets it go: a file that SQLite opened for
/// writing may still refuse writes (a read-only log left by a reader, a
/// read-only mount), and another writer may hold the lock.
pub(super) fn probe_write(conn: &Connection, path: &Path) -> Result<()> {
    match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => Ok(()),
        Err(e) if is_busy(&e) => Err(busy_error(path)),
        Err(e) => Err(anyhow!(
            "{}",
            t(
                &format!(
                    "{} cannot be written ({e}); check that {}, {}-wal and {}-shm are writable by you (`chmod 600 …`) and that the disk is not read-only",
                    path.display(),
                    path.display(),
                    path.display(),
                    path.display()
                ),
                &format!(
                    "{} 无法写入（{e}）；请检查 {}、{}-wal 和 {}-shm 是否可由您写入（`chmod 600 …`），以及磁盘是否只读",
                    path.display(),
                    path.display(),
                    path.display(),
                    path.display()
                ),
            )
        )),
    }
}
