//! Every file fupin writes is made here: private to its owner (0600,
//! whatever the umask, because exports, reports, rejects files and backups
//! hold names, ID numbers and phones) and complete or absent.
//!
//! A file is written under a temporary name in the target's own folder and
//! renamed into place once it is whole and on disk. A full disk or a killed
//! process therefore never leaves a partial file under the final name (at
//! worst a hidden `.NAME.*.tmp` beside it), a failed write removes its
//! temporary file, and a symlink at the target is replaced, never followed.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::{Builder, NamedTempFile, TempDir, TempPath};

use crate::lang::t;

/// The mode of every file fupin creates.
pub const PRIVATE: u32 = 0o600;

/// The file an `-o FILE` names, or `None` for standard output: no `-o`,
/// or `-o -` as other tools take it.
pub fn output_file(path: Option<&Path>) -> Option<&Path> {
    path.filter(|p| p.as_os_str() != "-")
}

/// The folder a path is in; `.` for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// True when something (a file, a folder, a symlink, even a dangling one)
/// already has this name.
pub fn taken(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// `.NAME.` for temporary files beside `path`, so a leftover one says what
/// it was for; long names are cut to stay within the file system's limit.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "fupin".to_string());
    format!(".{}.", name.chars().take(64).collect::<String>())
}

/// Asks for `mode` on Unix; elsewhere a user's new files are not shared to
/// begin with, and modes do not exist.
fn with_mode(builder: &mut Builder, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (builder, mode);
}

fn cannot_write(path: &Path) -> String {
    t(
        &format!(
            "cannot write {}; check that its folder exists and is writable",
            path.display()
        ),
        &format!(
            "无法写入 {}；请检查所在文件夹是否存在且可写",
            path.display()
        ),
    )
}

/// The error without the temporary name tempfile adds to it (`… at path
/// "./.h.csv.0SdQMC.tmp"`): the message names the file asked for instead.
fn without_temp_name(e: io::Error) -> io::Error {
    let text = e.to_string();
    match text.split_once(" at path \"") {
        Some((what, _)) => io::Error::new(e.kind(), what.to_string()),
        None => e,
    }
}

/// An empty private file beside `target`, removed again when dropped.
pub fn temp_beside(target: &Path) -> Result<NamedTempFile> {
    let prefix = temp_prefix(target);
    let mut builder = Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    with_mode(&mut builder, PRIVATE);
    builder
        .tempfile_in(folder_of(target))
        .map_err(without_temp_name)
        .with_context(|| cannot_write(target))
}

/// A folder only its owner can enter, beside `target`, removed with its
/// contents when dropped. For files that others create (SQLite's `VACUUM
/// INTO` makes its file with the umask's mode): nobody else can open them
/// there before they are made private.
pub fn private_dir_beside(target: &Path) -> Result<TempDir> {
    let prefix = temp_prefix(target);
    let mut builder = Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    with_mode(&mut builder, 0o700);
    builder
        .tempdir_in(folder_of(target))
        .map_err(without_temp_name)
        .with_context(|| cannot_write(target))
}

/// A file being written; it appears under its name only on [`commit`].
///
/// [`commit`]: NewFile::commit
pub struct NewFile {
    tmp: NamedTempFile,
    target: PathBuf,
}

impl NewFile {
    pub fn create(target: &Path) -> Result<NewFile> {
        Ok(NewFile {
            tmp: temp_beside(target)?,
            target: target.to_path_buf(),
        })
    }

    /// Puts the complete file in place, replacing whatever had the name.
    pub fn commit(mut self) -> Result<()> {
        let target = self.target;
        self.tmp
            .as_file_mut()
            .flush()
            .and_then(|()| self.tmp.as_file().sync_all())
            .with_context(|| cannot_write(&target))?;
        // A rename replaces a symlink itself instead of writing through it.
        self.tmp
            .persist(&target)
            .map_err(|e| e.error)
            .with_context(|| cannot_write(&target))?;
        sync_folder(folder_of(&target));
        Ok(())
    }
}

/// Written through the file itself: the temporary file's own writer puts
/// its hidden name into every error, and the user asked for the target.
impl Write for NewFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.as_file_mut().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.as_file_mut().flush()
    }
}

/// Writes to `target`, as one private file, what `fill` writes through a
/// buffer: the file appears only when all of it is written.
pub fn write_with(target: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let mut file = NewFile::create(target)?;
    {
        let mut out = io::BufWriter::with_capacity(64 * 1024, &mut file);
        fill(&mut out).with_context(|| cannot_write(target))?;
        out.flush().with_context(|| cannot_write(target))?;
    }
    file.commit()
}

/// Writes `bytes` to `target` as one private file.
pub fn write(target: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = NewFile::create(target)?;
    file.write_all(bytes)
        .with_context(|| cannot_write(target))?;
    file.commit()
}

/// Gives a finished file the name `target` only if nothing has that name
/// yet (so two processes racing for one name cannot both win, and nothing
/// is overwritten). Fails with `AlreadyExists` otherwise; `file` is then
/// removed.
pub fn place_new(file: TempPath, target: &Path) -> io::Result<()> {
    file.persist_noclobber(target).map_err(|e| e.error)?;
    sync_folder(folder_of(target));
    Ok(())
}

/// Makes a file private (0600), by its path.
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Makes a file private and flushes it to disk.
pub fn seal(path: &Path) -> io::Result<()> {
    make_private(path)?;
    File::open(path)?.sync_all()
}

/// A rename is durable only once its folder is on disk too. Best effort:
/// some file systems cannot sync a folder, and the file is whole either way.
pub fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The permission bits of a file when group or others may read or write it.
pub fn open_to_others(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = path.metadata().ok()?.permissions().mode() & 0o777;
        (mode & 0o066 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Creates a folder (and its parents) that only its owner can enter.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).with_context(|| {
        t(
            &format!(
                "cannot create the folder {}; check that its parent is writable",
                dir.display()
            ),
            &format!("无法创建文件夹 {}；请检查上级文件夹是否可写", dir.display()),
        )
    })
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        path.metadata()
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn a_file_appears_whole_and_private_on_commit_only() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("out.csv");
        let mut file = NewFile::create(&target)?;
        file.write_all(b"a,b\n")?;
        assert!(!target.exists());
        file.commit()?;
        assert_eq!(std::fs::read(&target)?, b"a,b\n");
        assert_eq!(mode(&target), 0o600);
        assert_eq!(names(dir.path()), ["out.csv"]);
        Ok(())
    }

    #[test]
    fn an_abandoned_file_leaves_nothing() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "old")?;
        {
            let mut file = NewFile::create(&target)?;
            file.write_all(b"new, half")?;
        }
        assert_eq!(std::fs::read(&target)?, b"old");
        assert_eq!(names(dir.path()), ["out.csv"]);
        Ok(())
    }

    #[test]
    fn a_symlink_is_replaced_not_followed() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep me")?;
        let target = dir.path().join("out.csv");
        std::os::unix::fs::symlink(&victim, &target)?;
        write(&target, b"data")?;
        assert_eq!(std::fs::read(&victim)?, b"keep me");
        assert!(!target.symlink_metadata()?.file_type().is_symlink());
        assert_eq!(std::fs::read(&target)?, b"data");
        Ok(())
    }

    #[test]
    fn place_new_never_overwrites() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("db");
        std::fs::write(&target, "theirs")?;
        let mine = temp_beside(&target)?.into_temp_path();
        let err = place_new(mine, &target).err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::AlreadyExists));
        assert_eq!(std::fs::read(&target)?, b"theirs");
        assert_eq!(names(dir.path()), ["db"]);
        Ok(())
    }

    #[test]
    fn a_private_dir_is_closed_to_others() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let private = private_dir_beside(&dir.path().join("backup.db"))?;
        assert_eq!(mode(private.path()), 0o700);
        Ok(())
    }
}
