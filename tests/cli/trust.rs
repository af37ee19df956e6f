//! Keeping the data safe: private files written whole, `init` that never
//! overwrites, backup and restore, readers that do not wait for a writer,
//! read-only files, closed output streams, and CSV that a spreadsheet
//! opens as text.
//!
//! Commands run under `umask 022` (what most machines have), so a file
//! that comes out 0600 does so because fupin made it so. Where a file must
//! be unwritable and the tests run as root, the command runs without the
//! capabilities that let root ignore file permissions.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestEnv;
use crate::fixtures::{V_LONGYAN, county, id};

const FUPIN: &str = env!("CARGO_BIN_EXE_fupin");

const HOUSEHOLD_HEADER: &str = "code,village,head_name,id_number,members,attribute,cause,registered_on,lifted_on,helper,phone,note";

/// `fupin --db test.db ARGS` through `sh`, after `prelude` (umask, limits).
fn shell(env: &TestEnv, prelude: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("{prelude} exec \"$@\""))
        .arg("sh")
        .arg(FUPIN)
        .arg("--db")
        .arg(env.db())
        .args(args)
        .current_dir(env.dir.path())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("FUPIN_DB")
        .env("USER", "tester");
    cmd
}

/// `fupin` under umask 022.
fn fupin(env: &TestEnv, args: &[&str]) -> Command {
    shell(env, "umask 022;", args)
}

/// `fupin` under umask 022 that file permissions bind even when the tests
/// run as root (root's capabilities to override them are dropped).
fn fupin_bound(env: &TestEnv, args: &[&str]) -> Command {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let prelude = if root {
        "umask 022; exec setpriv --bounding-set=-all --inh-caps=-all -- \"$@\"; exit 127;"
    } else {
        "umask 022;"
    };
    shell(env, prelude, args)
}

fn output(mut cmd: Command) -> Output {
    cmd.output().expect("run fupin")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs and asserts the exit code; returns (stdout, stderr).
fn expect(cmd: Command, code: i32) -> (String, String) {
    let out = output(cmd);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    (stdout, stderr)
}

fn mode(path: &Path) -> u32 {
    path.metadata()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A distinct valid ID number for each `n` below 12 × 28 × 1000.
fn many_id(n: u32) -> String {
    let day = n / 1000;
    crate::county::id(&format!(
        "4511221980{:02}{:02}{:03}",
        1 + day / 28,
        1 + day % 28,
        n % 1000
    ))
}

fn households_csv(from: u32, to: u32) -> String {
    let mut csv = format!("{HOUSEHOLD_HEADER}\n");
    for n in from..to {
        csv.push_str(&format!(
            "H{n},{V_LONGYAN},户主{n},{},2,general,illness,2016-01-01,,,,备注{n}\n",
            many_id(n)
        ));
    }
    csv
}

/// The county of the fixtures with `n` households, loaded in one import.
fn county_with(n: u32) -> TestEnv {
    let env = county();
    env.write("seed.csv", households_csv(1, n + 1));
    env.ok(&["import", "households", "seed.csv", "--quiet"]);
    std::fs::remove_file(env.path("seed.csv")).expect("remove seed");
    env
}

fn codes(env: &TestEnv) -> Vec<String> {
    env.sql("SELECT code FROM households ORDER BY code")
        .into_iter()
        .map(|r| r[0].clone())
        .collect()
}

/// Waits until `done` holds, failing the test after 60 s.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(60), "{what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// An import that reads `households.csv` from a FIFO, so the test decides
/// when its rows arrive and when its input ends.
struct SlowImport {
    child: Child,
    input: std::fs::File,
}

impl SlowImport {
    /// Starts the import and returns once it has opened its input (it has
    /// opened the database before that) and holds the write lock.
    fn start(env: &TestEnv) -> SlowImport {
        let fifo = env.path("households.csv");
        let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(made.success());
        let mut child = fupin(env, &["import", "households.csv"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start import");
        // Opening a FIFO for writing without blocking fails until a reader
        // has it open; a failed import would leave it unopened for ever.
        let mut input = None;
        wait_until("the import never opened its input", || {
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
                }
                panic!("the import ended early: {status}: {err}");
            }
            input = OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&fifo)
                .ok();
            input.is_some()
        });
        let input = input.expect("opened");
        // Rows are then written blocking, however slowly the import reads.
        // SAFETY: fcntl on a descriptor this function owns; no memory is
        // shared.
        unsafe {
            let fd = std::os::fd::AsRawFd::as_raw_fd(&input);
            let flags = libc::fcntl(fd, libc::F_GETFL);
            assert!(flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) == 0);
        }
        let import = SlowImport { child, input };
        wait_until("the import never took the write lock", || {
            writer_is_busy(env)
        });
        import
    }

    fn send(&mut self, rows: &str) {
        self.input.write_all(rows.as_bytes()).expect("write rows");
        self.input.flush().expect("flush rows");
    }

    /// Ends the input and waits for the import.
    fn finish(self) -> Output {
        drop(self.input);
        self.child.wait_with_output().expect("wait for import")
    }
}

/// True when another connection holds the database's write lock.
fn writer_is_busy(env: &TestEnv) -> bool {
    let conn = rusqlite::Connection::open(env.db()).expect("open");
    conn.busy_timeout(Duration::ZERO).expect("timeout");
    match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => false,
        Err(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy),
    }
}

// --- Private files, written whole ---------------------------------------

#[test]
fn init_makes_one_private_file_in_write_ahead_log_mode() {
    let env = TestEnv::empty();
    expect(
        fupin(&env, &["init", "--county", "钟山县", "--code", "451122"]),
        0,
    );
    assert_eq!(mode(&env.db()), 0o600);
    assert_eq!(names(env.dir.path()), ["test.db"]);
    assert_eq!(env.sql("PRAGMA journal_mode"), [["wal"]]);
}

#[test]
fn every_output_file_is_private_under_umask_022() {
    let env = county_with(3);
    let commands: &[&[&str]] = &[
        &["export", "households", "-o", "h.csv"],
        &["export", "--all", "all"],
        &["report", "double-clear", "--format", "csv", "-o", "r.csv"],
        &["report", "tasks", "--format", "html", "-o", "r.html"],
        &["backup", "b.db"],
    ];
    for args in commands {
        expect(fupin(&env, args), 0);
    }
    env.write(
        "in.csv",
        format!(
            "{HOUSEHOLD_HEADER}\nH8,{V_LONGYAN},王五,{},2,general,,2016-01-01,,,,\nH9,{V_LONGYAN},赵六,not-an-id,2,general,,2016-01-01,,,,\n",
            id(8)
        ),
    );
    let (_, err) = expect(
        fupin(&env, &["import", "households", "in.csv", "--skip-invalid"]),
        3,
    );
    assert!(err.contains("in.rejects.csv"), "{err}");
    expect(fupin(&env, &["restore", "b.db"]), 0);
    let mut files = vec![
        env.db(),
        env.path("h.csv"),
        env.path("r.csv"),
        env.path("r.html"),
        env.path("b.db"),
        env.path("in.rejects.csv"),
    ];
    for name in names(&env.path("all")) {
        files.push(env.path("all").join(name));
    }
    assert_eq!(files.len(), 21);
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(&env.path("all")), 0o700);
    // Nothing half-made is left behind.
    for name in names(env.dir.path()) {
        assert!(!name.starts_with('.'), "left behind: {name}");
    }
}

#[test]
fn the_log_beside_the_database_is_as_private_as_the_database() {
    let env = county_with(1);
    let mut import = SlowImport::start(&env);
    // Made by the running fupin, while it runs.
    assert_eq!(mode(&env.path("test.db-wal")), 0o600);
    assert_eq!(mode(&env.path("test.db-shm")), 0o600);
    import.send(&households_csv(2, 3));
    let out = import.finish();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_symlink_at_an_output_name_is_replaced_never_followed() {
    let env = county_with(2);
    let victim = env.write("victim.txt", "keep me");
    std::fs::create_dir(env.path("all")).expect("mkdir");
    for link in ["h.csv", "r.html", "rj.csv", "all/households.csv"] {
        symlink(&victim, env.path(link)).expect("symlink");
    }
    env.write(
        "in.csv",
        format!("{HOUSEHOLD_HEADER}\nH9,{V_LONGYAN},赵六,bad,2,general,,2016-01-01,,,,\n"),
    );
    let commands: &[(&[&str], i32)] = &[
        (&["export", "households", "-o", "h.csv"], 0),
        (&["export", "--all", "all"], 0),
        (
            &["report", "double-clear", "--format", "html", "-o", "r.html"],
            0,
        ),
        (
            &[
                "import",
                "households",
                "in.csv",
                "--skip-invalid",
                "--rejects",
                "rj.csv",
            ],
            3,
        ),
    ];
    for (args, code) in commands {
        expect(fupin(&env, args), *code);
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    for link in ["h.csv", "r.html", "rj.csv", "all/households.csv"] {
        let meta = env.path(link).symlink_metadata().unwrap();
        assert!(meta.file_type().is_file(), "{link} is still a link");
        assert_eq!(mode(&env.path(link)), 0o600, "{link}");
    }
    // Names fupin must not overwrite are refused, link or not.
    symlink(&victim, env.path("b.db")).expect("symlink");
    let (_, err) = expect(fupin(&env, &["backup", "b.db"]), 1);
    assert!(err.contains("b.db already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}

#[test]
fn a_write_that_fails_or_is_killed_leaves_no_file_under_the_name() {
    // Big enough that the export and the backup pass the size limit below,
    // which stops a file growing as a full disk would.
    let env = county_with(3000);
    let before = names(env.dir.path());
    // `ulimit -f 200`: 100 or 200 KiB, by the shell's unit; the database's
    // shared-memory file (32 KiB) still fits.
    let full_disk = "umask 022; ulimit -f 200; trap '' XFSZ;";
    for args in [
        &["export", "households", "-o", "h.csv"][..],
        &["backup", "b.db"],
    ] {
        let out = output(shell(&env, full_disk, args));
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(names(env.dir.path()), before, "{args:?} left a file");
    }
    // Killed mid-write (the size limit's signal): no file under the name.
    let killed = "umask 022; ulimit -f 200;";
    for (args, name) in [
        (&["export", "households", "-o", "h.csv"][..], "h.csv"),
        (&["backup", "b.db"], "b.db"),
    ] {
        let out = output(shell(&env, killed, args));
        assert_eq!(out.status.code(), None, "{args:?} was not killed");
        assert!(!env.path(name).exists(), "{args:?} left a partial {name}");
    }
    // And a retry works.
    expect(fupin(&env, &["backup", "b.db"]), 0);
    expect(fupin(&env, &["export", "households", "-o", "h.csv"]), 0);
    assert_eq!(
        std::fs::read_to_string(env.path("h.csv"))
            .unwrap()
            .lines()
            .count(),
        3001
    );
}

/// A write that fails names the file that was asked for, never the hidden
/// temporary it was being written under, in CSV and in a workbook (whose
/// library stops with a panic there: exit 1 all the same, never 101).
#[test]
fn a_failed_write_names_the_file_asked_for() {
    let env = county_with(3000);
    let before = names(env.dir.path());
    let full_disk = "umask 022; ulimit -f 200; trap '' XFSZ;";
    for name in ["h.csv", "h.xlsx"] {
        let out = output(shell(
            &env,
            full_disk,
            &["export", "households", "-o", name],
        ));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.starts_with(&format!("error: failed to write {name}"))
                && err.contains("File too large"),
            "{name}: {err}"
        );
        assert!(
            !err.contains(".tmp") && !err.contains("panicked"),
            "{name}: {err}"
        );
        assert_eq!(names(env.dir.path()), before, "{name} left a file");
    }
    // A report's JSON streams to its file: 1,200 monthly periods of about
    // a kilobyte each pass the limit part way.
    let report = [
        "report",
        "progress",
        "--from",
        "1921-01-01",
        "--to",
        "2020-12-31",
        "--step",
        "month",
        "--format",
        "json",
        "-o",
        "p.json",
    ];
    let out = output(shell(&env, full_disk, &report));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: cannot write p.json") && !err.contains(".tmp"),
        "{err}"
    );
    assert_eq!(names(env.dir.path()), before, "the report left a file");
}

#[test]
fn check_warns_when_others_can_read_the_database() {
    let env = county_with(1);
    let (_, err) = expect(fupin(&env, &["check"]), 0);
    assert!(!err.contains("warning"), "{err}");
    chmod(&env.db(), 0o644);
    let (_, err) = expect(fupin(&env, &["check"]), 0);
    assert!(
        err.contains("can be read or written by other users (mode 0644)")
            && err.contains(&format!("chmod 600 {}", env.db().display())),
        "{err}"
    );
    let (_, err) = expect(fupin(&env, &["--lang", "zh", "check"]), 0);
    assert!(err.contains("警告：其他用户可以读写"), "{err}");
}

// --- init ------------------------------------------------------------------

#[test]
fn init_never_overwrites_or_removes_what_it_did_not_make() {
    let env = TestEnv::empty();
    env.write("test.db", "precious");
    let (_, err) = expect(
        fupin(&env, &["init", "--county", "钟山县", "--code", "451122"]),
        1,
    );
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(env.db()).unwrap(), "precious");
    assert_eq!(names(env.dir.path()), ["test.db"]);
    // A dangling link at the name is not followed to create its target.
    std::fs::remove_file(env.db()).unwrap();
    symlink(env.path("elsewhere.db"), env.db()).unwrap();
    let (_, err) = expect(
        fupin(&env, &["init", "--county", "钟山县", "--code", "451122"]),
        1,
    );
    assert!(err.contains("already exists"), "{err}");
    assert!(!env.path("elsewhere.db").exists());
}

#[test]
fn two_inits_at_once_leave_one_database_and_one_refusal() {
    for round in 0..10 {
        let env = TestEnv::empty();
        let start = |county: &str| {
            fupin(&env, &["init", "--county", county, "--code", "451122"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start init")
        };
        let a = start("甲县");
        let b = start("乙县");
        let a = a.wait_with_output().expect("wait");
        let b = b.wait_with_output().expect("wait");
        let (won, lost, county) = match (a.status.success(), b.status.success()) {
            (true, false) => (a, b, "甲县"),
            (false, true) => (b, a, "乙县"),
            _ => panic!(
                "round {round}: {:?} {} / {:?} {}",
                a.status,
                text(&a.stderr),
                b.status,
                text(&b.stderr)
            ),
        };
        assert!(text(&won.stderr).contains("created"), "round {round}");
        let refusal = text(&lost.stderr);
        assert!(
            refusal.contains("already exists; fupin init only creates a new file"),
            "round {round}: {refusal}"
        );
        assert_eq!(names(env.dir.path()), ["test.db"], "round {round}");
        assert_eq!(env.sql("SELECT name FROM county"), [[county]]);
    }
}

// --- Backup and restore ------------------------------------------------------

/// Copies the database and the files beside it, as they are on disk now, into
/// a new folder: what a machine would find after the process was killed.
fn crash_image(env: &TestEnv) -> TestEnv {
    let image = TestEnv::empty();
    for name in names(env.dir.path()) {
        if name.starts_with("test.db") {
            std::fs::copy(env.path(&name), image.path(&name)).expect("copy");
        }
    }
    image
}

#[test]
fn restore_replaces_a_database_whose_import_was_killed() {
    let env = county_with(2);
    expect(fupin(&env, &["backup", "before.db"]), 0);
    env.ok(&["household", "remove", "H2"]);
    let mut import = SlowImport::start(&env);
    import.send(&households_csv(10, 400));
    let mut child = import.child;
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    assert!(env.path("test.db-wal").exists());
    let image = crash_image(&env);
    std::fs::copy(env.path("before.db"), image.path("before.db")).unwrap();

    // Nothing of the killed import is kept, nothing before it is lost.
    expect(fupin(&env, &["check"]), 0);
    assert_eq!(codes(&env), ["H1"]);

    let (_, msg) = expect(fupin(&image, &["restore", "before.db"]), 0);
    assert!(
        msg.contains("restored") && msg.contains("(2 households)"),
        "{msg}"
    );
    assert_eq!(codes(&image), ["H1", "H2"]);
    expect(fupin(&image, &["check"]), 0);
    let kept: Vec<String> = names(image.dir.path())
        .into_iter()
        .filter(|n| n.starts_with("test.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", names(image.dir.path()));
    assert!(msg.contains(&kept[0]), "{msg}");
    // The replaced file is whole: it opens as it was before the import.
    let old = rusqlite::Connection::open(image.path(&kept[0])).expect("open kept");
    let check: String = old
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok");
    let n: i64 = old
        .query_row("SELECT count(*) FROM households", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 1);
    assert_eq!(mode(&image.path(&kept[0])), 0o600);
    assert_eq!(mode(&image.db()), 0o600);
    // No log of the old file is left to be applied to the new one.
    assert!(!image.path("test.db-wal").exists());
    assert!(!image.path("test.db-shm").exists());
}

#[test]
fn restore_deals_with_a_log_of_uncommitted_changes() {
    let env = county_with(300);
    expect(fupin(&env, &["backup", "before.db"]), 0);
    let image = {
        // A writer whose changes spill into the log before it commits.
        let conn = rusqlite::Connection::open(env.db()).expect("open");
        conn.execute_batch(
            "PRAGMA cache_size = 5; BEGIN;
             UPDATE households SET note = printf('%.500c', 'x');
             DELETE FROM villages WHERE code NOT IN (SELECT village FROM households);",
        )
        .expect("write");
        let wal = env.path("test.db-wal").metadata().expect("log").len();
        assert!(wal > 100_000, "the changes did not reach the log ({wal})");
        crash_image(&env)
    };
    std::fs::copy(env.path("before.db"), image.path("before.db")).unwrap();
    expect(fupin(&image, &["restore", "before.db"]), 0);
    assert_eq!(image.count("SELECT count(*) FROM households"), 300);
    assert_eq!(
        image.count("SELECT count(*) FROM households WHERE note LIKE 'xxx%'"),
        0
    );
    expect(fupin(&image, &["check"]), 0);
}

#[test]
fn restore_deals_with_the_hot_journal_of_an_older_file() {
    let env = county_with(300);
    expect(fupin(&env, &["backup", "before.db"]), 0);
    let image = {
        // A file in the rollback-journal mode of older versions, whose
        // writer was killed after changing pages in place.
        let conn = rusqlite::Connection::open(env.db()).expect("open");
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 5; BEGIN;
             UPDATE households SET note = printf('%.500c', 'x');",
        )
        .expect("write");
        assert!(env.path("test.db-journal").exists());
        crash_image(&env)
    };
    std::fs::copy(env.path("before.db"), image.path("before.db")).unwrap();
    let (_, msg) = expect(fupin(&image, &["restore", "before.db"]), 0);
    assert_eq!(image.count("SELECT count(*) FROM households"), 300);
    expect(fupin(&image, &["check"]), 0);
    assert!(!image.path("test.db-journal").exists());
    // The replaced file was rolled back to its last commit.
    let kept = names(image.dir.path())
        .into_iter()
        .find(|n| n.starts_with("test.db.before-restore-"))
        .expect("kept");
    assert!(msg.contains(&kept), "{msg}");
    let conn = rusqlite::Connection::open(image.path(&kept)).expect("open kept");
    let changed: i64 = conn
        .query_row(
            "SELECT count(*) FROM households WHERE note LIKE 'xxx%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(changed, 0);
}

#[test]
fn restore_refuses_a_bad_backup_and_leaves_the_file_alone() {
    let env = county_with(2);
    expect(fupin(&env, &["backup", "good.db"]), 0);
    env.write("junk.db", vec![7u8; 50_000]);
    {
        let other = rusqlite::Connection::open(env.path("other.db")).unwrap();
        other.execute_batch("CREATE TABLE t (x)").unwrap();
    }
    std::fs::copy(env.path("good.db"), env.path("newer.db")).unwrap();
    {
        let newer = rusqlite::Connection::open(env.path("newer.db")).unwrap();
        newer.pragma_update(None, "user_version", 99).unwrap();
    }
    std::fs::copy(env.path("good.db"), env.path("damaged.db")).unwrap();
    {
        // Overwrite the households table's root page with garbage.
        let conn = rusqlite::Connection::open(env.path("damaged.db")).unwrap();
        let root: i64 = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'households'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let page: i64 = conn
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .unwrap();
        drop(conn);
        let mut f = OpenOptions::new()
            .write(true)
            .open(env.path("damaged.db"))
            .unwrap();
        use std::io::{Seek, SeekFrom};
        f.seek(SeekFrom::Start(((root - 1) * page) as u64)).unwrap();
        f.write_all(&vec![0xA5u8; page as usize]).unwrap();
    }
    let before = env.snapshot();
    let listing = names(env.dir.path());
    for (backup, why) in [
        ("missing.db", "there is no such file"),
        ("junk.db", "not a database"),
        ("other.db", "it is not a fupin database"),
        ("newer.db", "schema version 99"),
        ("damaged.db", "malformed"),
    ] {
        let (_, err) = expect(fupin(&env, &["restore", backup]), 1);
        assert!(
            err.contains(&format!("{backup} is not a usable fupin backup"))
                && err.contains(why)
                && err.contains("was left as it was"),
            "{backup}: {err}"
        );
        assert!(env.snapshot() == before, "{backup} changed the database");
        assert_eq!(names(env.dir.path()), listing, "{backup}");
    }
}

#[test]
fn restore_without_a_database_puts_the_backup_in_place() {
    let env = county_with(2);
    expect(fupin(&env, &["backup", "b.db"]), 0);
    let fresh = TestEnv::empty();
    std::fs::copy(env.path("b.db"), fresh.path("b.db")).unwrap();
    let (_, msg) = expect(fupin(&fresh, &["restore", "b.db"]), 0);
    assert!(!msg.contains("kept as"), "{msg}");
    assert_eq!(codes(&fresh), ["H1", "H2"]);
    assert_eq!(names(fresh.dir.path()), ["b.db", "test.db"]);
}

#[test]
fn restore_through_a_symlink_restores_the_file_it_points_to() {
    let env = county_with(2);
    expect(fupin(&env, &["backup", "b.db"]), 0);
    expect(fupin(&env, &["household", "remove", "H2"]), 0);
    std::fs::rename(env.db(), env.path("real.db")).unwrap();
    std::os::unix::fs::symlink("real.db", env.db()).unwrap();
    let (_, msg) = expect(fupin(&env, &["restore", "b.db"]), 0);
    assert!(msg.contains("real.db.before-restore-"), "{msg}");
    assert_eq!(codes(&env), ["H1", "H2"]);
    assert!(
        env.db()
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let kept: Vec<String> = names(env.dir.path())
        .into_iter()
        .filter(|n| n.contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept = env.path(&kept[0]).symlink_metadata().unwrap();
    assert!(
        kept.file_type().is_file(),
        "the copy kept is a file, not a link"
    );
}

// --- Concurrent use ----------------------------------------------------------

#[test]
fn readers_answer_while_an_import_holds_the_write_lock() {
    let env = county_with(1);
    let mut import = SlowImport::start(&env);
    import.send(&households_csv(2, 5));
    // Reports and lists answer from the last commit.
    let (json, _) = expect(
        fupin(
            &env,
            &[
                "report",
                "double-clear",
                "--by",
                "county",
                "--as-of",
                "2020",
                "--format",
                "json",
            ],
        ),
        0,
    );
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(json["totals"]["households_registered"], 1);
    let (csv, _) = expect(fupin(&env, &["household", "list", "--format", "csv"]), 0);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    // A second writer gives up with one plain message.
    let mut add = fupin(&env, &["town", "add", "--code", "T9", "--name", "九镇"]);
    add.env("FUPIN_TEST_BUSY_MS", "200");
    let (_, err) = expect(add, 1);
    assert!(
        err.starts_with("error: database is busy: another fupin is writing (")
            && err.contains("try again")
            && !err.contains("not a fupin database"),
        "{err}"
    );
    let out = import.finish();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(codes(&env), ["H1", "H2", "H3", "H4"]);
}

#[test]
fn a_busy_database_is_named_as_such_for_every_writer() {
    let env = county_with(1);
    env.write("more.csv", households_csv(2, 4));
    let holder = rusqlite::Connection::open(env.db()).expect("open");
    holder
        .execute_batch("BEGIN EXCLUSIVE; INSERT INTO towns (code, name) VALUES ('TX', 'x');")
        .expect("hold the write lock");
    // Without write-ahead logging this lock would keep readers out too.
    for args in [
        &["household", "list", "--format", "csv"][..],
        &["report", "double-clear", "--as-of", "2020"],
        &["export", "towns"],
    ] {
        let mut cmd = fupin(&env, args);
        cmd.env("FUPIN_TEST_BUSY_MS", "100");
        let (out, _) = expect(cmd, 0);
        assert!(!out.contains("TX"), "{out}");
    }
    for args in [
        &["import", "households", "more.csv"][..],
        &["household", "lift", "H1", "--on", "2020"],
        &["--lang", "zh", "town", "remove", "451122101"],
    ] {
        let mut cmd = fupin(&env, args);
        cmd.env("FUPIN_TEST_BUSY_MS", "100");
        let (_, err) = expect(cmd, 1);
        assert!(
            err.contains("database is busy: another fupin is writing")
                || err.contains("数据库正忙：另一个 fupin 正在写入"),
            "{args:?}: {err}"
        );
    }
    let mut restore = fupin(&env, &["restore", "more.csv"]);
    restore.env("FUPIN_TEST_BUSY_MS", "100");
    expect(fupin(&env, &["backup", "b.db"]), 0);
    let mut restore_b = fupin(&env, &["restore", "b.db"]);
    restore_b.env("FUPIN_TEST_BUSY_MS", "100");
    let (_, err) = expect(restore_b, 1);
    assert!(
        err.contains("database is busy: another fupin is using")
            && err.contains("nothing was restored"),
        "{err}"
    );
    let (_, err) = expect(restore, 1);
    assert!(err.contains("not a usable fupin backup"), "{err}");
    drop(holder);
    assert_eq!(codes(&env), ["H1"]);
    assert_eq!(env.count("SELECT count(*) FROM towns WHERE code = 'TX'"), 0);
}

#[test]
fn a_file_of_an_older_version_switches_to_write_ahead_logging() {
    let env = county_with(1);
    let set = |mode: &str| {
        let conn = rusqlite::Connection::open(env.db()).expect("open");
        let now: String = conn
            .pragma_update_and_check(None, "journal_mode", mode, |r| r.get(0))
            .expect("journal mode");
        assert_eq!(now, mode);
    };
    set("delete");
    // A reader leaves the file as it found it, with nothing beside it.
    expect(fupin(&env, &["household", "list"]), 0);
    expect(fupin(&env, &["check"]), 0);
    assert_eq!(env.sql("PRAGMA journal_mode"), [["delete"]]);
    assert!(!env.path("test.db-wal").exists() && !env.path("test.db-shm").exists());
    expect(fupin(&env, &["household", "lift", "H1", "--on", "2020"]), 0);
    assert_eq!(env.sql("PRAGMA journal_mode"), [["wal"]]);
}

// --- Read-only files ---------------------------------------------------------

#[test]
fn a_read_only_database_is_one_clear_error_and_still_reads() {
    let env = county_with(1);
    env.write("more.csv", households_csv(2, 400));
    chmod(&env.db(), 0o444);
    let id9 = id(9);
    for args in [
        &["import", "households", "more.csv"][..],
        &["import", "households", "more.csv", "--skip-invalid"],
        &[
            "household",
            "add",
            "--code",
            "H9",
            "--village",
            V_LONGYAN,
            "--head-name",
            "王九",
            "--id-number",
            &id9,
            "--members",
            "1",
            "--registered-on",
            "2016",
        ],
    ] {
        let (_, err) = expect(fupin_bound(&env, args), 1);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("test.db is read-only, so nothing was changed")
                && !err.contains("refused"),
            "{args:?}: {err}"
        );
    }
    assert!(!env.path("more.rejects.csv").exists());
    // Commands that only read work as they are.
    for args in [
        &["household", "list", "--format", "csv"][..],
        &["report", "double-clear", "--as-of", "2020"],
        &["export", "households", "-o", "h.csv"],
        &["log"],
        &["check"],
        &["backup", "b.db"],
    ] {
        expect(fupin_bound(&env, args), 0);
    }
    assert_eq!(
        std::fs::read_to_string(env.path("h.csv"))
            .unwrap()
            .lines()
            .count(),
        2
    );
    // Writable again: the log a reader left beside it read-only is named.
    chmod(&env.db(), 0o600);
    let (_, err) = expect(fupin_bound(&env, &["import", "households", "more.csv"]), 1);
    assert!(
        err.contains("test.db cannot be written") && err.contains("test.db-shm"),
        "{err}"
    );
    chmod(&env.path("test.db-wal"), 0o600);
    chmod(&env.path("test.db-shm"), 0o600);
    expect(fupin_bound(&env, &["import", "households", "more.csv"]), 0);
    assert_eq!(env.count("SELECT count(*) FROM households"), 399);
}

#[test]
fn a_read_only_folder_is_one_clear_error() {
    let env = county_with(1);
    env.write("more.csv", households_csv(2, 40));
    let dir = env.dir.path().to_path_buf();
    chmod(&dir, 0o555);
    let runs: Vec<(&[&str], i32)> = vec![
        (&["import", "households", "more.csv"], 1),
        (&["town", "add", "--code", "T9", "--name", "九镇"], 1),
        // A reader of a write-ahead-log file needs its `-shm` beside it.
        (&["household", "list"], 1),
    ];
    let results: Vec<(String, String)> = runs
        .iter()
        .map(|(args, code)| expect(fupin_bound(&env, args), *code))
        .collect();
    chmod(&dir, 0o755);
    for ((args, _), (_, err)) in runs.iter().zip(results) {
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("is read-only") && err.contains("copy the file to a writable folder"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(codes(&env), ["H1"]);
}

// --- Closed output streams -----------------------------------------------------

/// Runs with stdout and/or stderr a pipe whose reader is already gone.
fn closed(mut cmd: Command, stdout: bool, stderr: bool) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    if stdout {
        cmd.stdout(writer.try_clone().expect("clone"));
    }
    if stderr {
        cmd.stderr(writer);
    }
    cmd.output().expect("run fupin")
}

#[test]
fn a_closed_stdout_or_stderr_ends_quietly_with_the_work_done() {
    let env = county_with(2);
    let cases: &[(&[&str], bool, bool, i32)] = &[
        (&["household", "list"], true, false, 0),
        (&["household", "list", "--format", "json"], true, true, 0),
        (&["export", "households"], true, true, 0),
        (
            &["report", "double-clear", "--by", "village"],
            true,
            true,
            0,
        ),
        (&["log", "--format", "csv"], true, true, 0),
        (&["completions", "bash"], true, true, 0),
        (&["--help"], true, true, 0),
        (&["export", "households", "-o", "h.csv"], true, true, 0),
        (&["backup", "b.db"], true, true, 0),
        (&["household", "lift", "H1", "--on", "2020"], true, true, 0),
        (&["town", "remove", "NO-SUCH-TOWN"], true, true, 1),
        (&["check"], true, true, 0),
    ];
    for (args, stdout, stderr, code) in cases {
        let out = closed(fupin(&env, args), *stdout, *stderr);
        assert_eq!(out.status.code(), Some(*code), "{args:?}");
    }
    assert!(env.path("h.csv").exists() && env.path("b.db").exists());
    assert_eq!(
        env.sql("SELECT lifted_on FROM households WHERE code = 'H1'"),
        [["2020-12-31"]]
    );
    // An import whose summary cannot be shown is committed all the same.
    env.write("more.csv", households_csv(3, 5));
    let out = closed(
        fupin(&env, &["import", "households", "more.csv"]),
        true,
        true,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(codes(&env), ["H1", "H2", "H3", "H4"]);
    // Its messages on a closed stderr: a dry run, rows set aside, a refusal.
    env.write(
        "bad.csv",
        households_csv(5, 6) + "H9,NO-VILLAGE,x,,0,,,,,,,\n",
    );
    for (args, code) in [
        (&["import", "households", "more.csv", "--dry-run"][..], 0),
        (
            &["import", "households", "bad.csv", "--skip-invalid"][..],
            3,
        ),
        (&["import", "households", "bad.csv"][..], 1),
    ] {
        let out = closed(fupin(&env, args), false, true);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
    assert_eq!(codes(&env), ["H1", "H2", "H3", "H4", "H5"]);
    // `check` still fails on a problem it could not print.
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute(
            "UPDATE households SET id_number = '110105194912310021' WHERE code = 'H1'",
            [],
        )
        .unwrap();
    }
    let out = closed(fupin(&env, &["check"]), true, true);
    assert_eq!(out.status.code(), Some(1));
    // And a new file is made with nobody listening.
    let fresh = TestEnv::empty();
    let out = closed(
        fupin(&fresh, &["init", "--county", "钟山县", "--code", "451122"]),
        true,
        true,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(fresh.db().exists());
}

/// Data written to a standard output that is not there is lost: exit 1 and
/// say so, whether the descriptor was closed before fupin started (the
/// standard library puts `/dev/null` there) or the disk is full.
#[test]
fn output_that_cannot_be_written_is_exit_1() {
    let env = county_with(2);
    let runs: &[&[&str]] = &[
        &["export", "households"],
        &["export", "households", "-o", "-"],
        &["household", "list", "--format", "csv"],
        &["report", "double-clear", "--by", "village", "-o", "-"],
        &["log"],
    ];
    for args in runs {
        let (_, err) = expect(shell(&env, "umask 022; exec >&-;", args), 1);
        assert!(
            err.contains("could not write to standard output: it was closed"),
            "{args:?}: {err}"
        );
        let (_, err) = expect(shell(&env, "umask 022; exec >/dev/full;", args), 1);
        assert!(
            err.contains("could not write to standard output: No space left"),
            "{args:?}: {err}"
        );
    }
    // Nothing to write, nothing lost.
    expect(shell(&env, "umask 022; exec >&-;", &["--help"]), 0);
    expect(
        shell(
            &env,
            "umask 022; exec >&-;",
            &["export", "households", "-o", "h.csv"],
        ),
        0,
    );
    assert!(env.path("h.csv").exists());
    // `/dev/null` asked for is not closed.
    expect(
        shell(
            &env,
            "umask 022; exec >/dev/null;",
            &["export", "households"],
        ),
        0,
    );
}

#[test]
fn dash_as_output_file_is_standard_output() {
    let env = county_with(2);
    let to_stdout = env.ok(&["export", "households"]);
    assert_eq!(env.ok(&["export", "households", "-o", "-"]), to_stdout);
    assert_eq!(env.ok(&["export", "households", "--output=-"]), to_stdout);
    let report = env.ok(&[
        "report",
        "double-clear",
        "--by",
        "village",
        "--format",
        "csv",
    ]);
    assert_eq!(
        env.ok(&[
            "report",
            "double-clear",
            "--by",
            "village",
            "--format",
            "csv",
            "-o",
            "-"
        ]),
        report
    );
    assert!(!env.path("-").exists());
}

// --- Control characters ----------------------------------------------------------

/// Printed raw by a list or a report, this town name would retitle the
/// clerk's window and clear the screen.
const HOSTILE_TOWN: &str = "镇\u{1b}]0;PWNED\u{7}\u{1b}[2J";

#[test]
fn a_control_character_in_an_imported_cell_is_refused_with_its_place() {
    let env = county();
    let before = env.snapshot();
    env.write(
        "towns.csv",
        format!("code,name\n451122190,九镇\n451122191,{HOSTILE_TOWN}\n"),
    );
    let (_, err) = expect(fupin(&env, &["import", "towns.csv"]), 1);
    assert!(
        err.contains(
            "towns.csv:3: name: holds a control character (U+001B) that would be printed raw \
             (镇\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J); remove it"
        ),
        "{err}"
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(before == env.snapshot(), "nothing was written");
    // Set aside, the rest goes in.
    let (_, err) = expect(fupin(&env, &["import", "towns.csv", "--skip-invalid"]), 3);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert_eq!(
        env.sql("SELECT name FROM towns WHERE code IN ('451122190', '451122191')"),
        [["九镇"]]
    );
}

#[test]
fn a_message_quoting_a_file_shows_its_controls_escaped() {
    let env = county();
    env.write("towns.csv", "code,name,x\u{202e}yz\u{9b}2J\nT1,a,b\n");
    let (_, err) = expect(fupin(&env, &["import", "towns.csv"]), 1);
    assert!(
        err.contains("towns.csv:1: x\\u{202e}yz\\u{9b}2J: unknown column for towns"),
        "{err}"
    );
    assert!(
        !err.contains('\u{202e}') && !err.contains('\u{9b}'),
        "{err:?}"
    );
}

#[test]
fn a_control_character_in_a_flag_is_refused_by_its_flag() {
    let env = county_with(1);
    let before = env.snapshot();
    for (args, flag, code) in [
        (
            vec!["town", "add", "--code", "T9", "--name", "九镇\u{202e}8765"],
            "--name: holds a bidirectional control (U+202E)",
            "U+202E",
        ),
        (
            vec!["town", "add", "--code", "T9", "--name", HOSTILE_TOWN],
            "--name: holds a control character (U+001B)",
            "U+001B",
        ),
        (
            vec!["household", "update", "H1", "--head-name", "张\u{1}三"],
            "--head-name: holds a control character (U+0001)",
            "U+0001",
        ),
        (
            vec!["household", "update", "H1", "--head-name", "张\t三"],
            "--head-name: holds a control character (U+0009)",
            "U+0009",
        ),
        (
            vec!["household", "update", "H1", "--note", "a\u{9b}2J"],
            "--note: holds a control character (U+009B)",
            "U+009B",
        ),
        (
            vec!["household", "update", "H1", "--village", "龙岩\u{1b}[2J"],
            "--village: holds a control character (U+001B)",
            "U+001B",
        ),
    ] {
        let (_, err) = expect(fupin(&env, &args), 1);
        assert!(err.contains(flag) && err.contains(code), "{args:?}: {err}");
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{202e}'),
            "{err:?}"
        );
    }
    assert!(before == env.snapshot(), "nothing was written");
    let (_, err) = expect(
        fupin(
            &env,
            &["report", "double-clear", "--unit", "办公室\u{1b}[2J"],
        ),
        1,
    );
    assert!(
        err.contains("--unit: holds a control character (U+001B)"),
        "{err}"
    );
}

#[test]
fn a_note_keeps_its_tabs_and_line_breaks() {
    let env = county_with(1);
    let note = "第一行\n\t第二行\r\n第三行";
    expect(
        fupin(&env, &["household", "update", "H1", "--note", note]),
        0,
    );
    assert_eq!(
        env.sql("SELECT note FROM households WHERE code = 'H1'"),
        [[note]]
    );
    let (exported, _) = expect(fupin(&env, &["export", "households"]), 0);
    env.write("again.csv", &exported);
    expect(fupin(&env, &["import", "households", "again.csv"]), 0);
    assert_eq!(
        env.sql("SELECT note FROM households WHERE code = 'H1'"),
        [[note]]
    );
}

#[test]
fn markdown_lists_escape_markup_as_reports_do() {
    let env = county_with(1);
    let name = "户<script>alert(1)</script>";
    expect(
        fupin(&env, &["household", "update", "H1", "--head-name", name]),
        0,
    );
    let (md, _) = expect(
        fupin(&env, &["household", "list", "--format", "markdown"]),
        0,
    );
    assert!(md.contains("户\\<script\\>alert(1)\\</script\\>"), "{md}");
    assert!(!md.contains("<script>"), "{md}");
    let (md, _) = expect(
        fupin(&env, &["household", "show", "H1", "--format", "markdown"]),
        0,
    );
    assert!(!md.contains("<script>"), "{md}");
}

// --- Formula cells -------------------------------------------------------------

/// Values a spreadsheet would run as formulas, stored as text.
const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://x\",\"y\")",
    "+1",
    "-1+1",
    "@SUM(A1)",
    "'quoted",
    "=1+1",
];

#[test]
fn csv_cells_that_look_like_formulas_are_written_as_text_and_round_trip() {
    let env = county();
    for (n, value) in FORMULAS.iter().enumerate() {
        let n = n as u32 + 1;
        env.ok(&[
            "household",
            "add",
            "--code",
            &format!("H{n}"),
            "--village",
            V_LONGYAN,
            &format!("--head-name={value}"),
            "--id-number",
            &id(n),
            "--members",
            "2",
            "--registered-on",
            "2016",
            &format!("--note={value}"),
        ]);
    }
    env.ok(&[
        "cadre",
        "add",
        "--code",
        "GB9",
        "--name=@cmd",
        "--level",
        "county",
    ]);
    env.ok(&[
        "task",
        "add",
        "--code",
        "XJ09",
        "--title=-2+3",
        "--level",
        "county",
        "--town",
        "451122100",
        "--leader",
        "GB9",
        "--listed-on",
        "2020-01-01",
        "--due-on",
        "2020-06-30",
    ]);
    let stored = env.sql("SELECT head_name, note FROM households ORDER BY code");
    for (row, value) in stored.iter().zip(FORMULAS) {
        assert_eq!(row, &[value, value], "stored values keep their text");
    }
    env.ok(&["export", "--all", "out"]);
    let households = std::fs::read_to_string(env.path("out/households.csv")).unwrap();
    for marked in [
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
        ",'-1+1,",
        ",'@SUM(A1),",
        ",''quoted,",
        ",'=1+1,",
        ",+1,",
    ] {
        assert!(households.contains(marked), "{marked} in\n{households}");
    }
    assert!(
        std::fs::read_to_string(env.path("out/cadres.csv"))
            .unwrap()
            .contains("GB9,'@cmd,")
    );
    // export → import into an empty file → export: the same bytes.
    let second = TestEnv::new();
    second.ok(&["import", env.path("out").to_str().unwrap()]);
    second.ok(&["export", "--all", "again"]);
    for name in names(&env.path("out")) {
        let a = std::fs::read(env.path("out").join(&name)).unwrap();
        let b = std::fs::read(second.path("again").join(&name)).unwrap();
        assert!(a == b, "{name}:\n{}\n{}", text(&a), text(&b));
    }
    assert_eq!(
        second.sql("SELECT head_name FROM households ORDER BY code"),
        FORMULAS.map(|v| [v])
    );
    // Lists, the audit trail and reports in CSV.
    let list = env.ok(&["household", "list", "--format", "csv"]);
    assert!(
        list.contains(",'@SUM(A1),") && list.contains(",''quoted,"),
        "{list}"
    );
    env.ok(&["--actor=@evil", "household", "lift", "H1", "--on", "2020"]);
    let log = env.ok(&["log", "--format", "csv"]);
    assert!(log.contains(",'@evil,"), "{log}");
    let tasks = env.ok(&[
        "report",
        "tasks",
        "--as-of",
        "2020-07-01",
        "--format",
        "csv",
    ]);
    assert!(
        tasks.contains(",'-2+3,") && tasks.contains(",'@cmd,"),
        "{tasks}"
    );
}

#[test]
fn a_leading_tab_or_carriage_return_is_marked_too() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    {
        // Written behind fupin's back: fupin's own input trims such space.
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch(
            "UPDATE households SET note = char(9) || '=1+1', head_name = char(13) || '=2'",
        )
        .unwrap();
    }
    let csv = env.ok(&["export", "households"]);
    assert!(
        csv.contains("\"'\r=2\",") && csv.ends_with(",'\t=1+1\n"),
        "{csv:?}"
    );
    let list = env.ok(&["household", "list", "--format", "csv"]);
    assert!(list.contains(",'\t=1+1,"), "{list:?}");
}

/// Values fupin's own input never holds, written behind its back: a note
/// that begins with a tab or a line break, names and notes with space at
/// either end. Export marks each (`'`), and import takes a marked cell as
/// the text after the mark, whole: CSV and workbook alike give back the
/// same values, and the same bytes on a second export.
#[test]
fn a_value_with_space_at_its_ends_comes_back_whole() {
    const NOTES: [&str; 5] = [
        "\t=1+1",
        "\tindented\n\tsecond line",
        "\nafter a blank line",
        "ends with a tab\t",
        " 'quoted' ",
    ];
    let env = county();
    for n in 1..=NOTES.len() as u32 {
        env.household(&format!("H{n}"), V_LONGYAN, n, "2016");
    }
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        for (n, note) in NOTES.iter().enumerate() {
            conn.execute(
                "UPDATE households SET note = ?1, head_name = ?2 WHERE code = ?3",
                rusqlite::params![note, format!(" 户主{n} "), format!("H{}", n + 1)],
            )
            .unwrap();
        }
    }
    let stored = env.sql("SELECT code, head_name, note FROM households ORDER BY code");
    env.ok(&["export", "--all", "out"]);
    env.ok(&["export", "--all", "book.xlsx"]);
    for from in ["out", "book.xlsx"] {
        let second = TestEnv::new();
        second.ok(&["import", env.path(from).to_str().unwrap()]);
        assert_eq!(
            second.sql("SELECT code, head_name, note FROM households ORDER BY code"),
            stored,
            "{from}"
        );
        if from == "out" {
            second.ok(&["export", "--all", "again"]);
            let a = std::fs::read(env.path("out/households.csv")).unwrap();
            let b = std::fs::read(second.path("again/households.csv")).unwrap();
            assert!(a == b, "{}\n{}", text(&a), text(&b));
        }
    }
}

/// A name may not hold a control character: one written behind fupin's
/// back is exported marked, and refused on import, named, never trimmed
/// away unseen.
#[test]
fn a_marked_control_character_in_a_name_is_refused_not_dropped() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch("UPDATE households SET head_name = char(13) || '=2'")
            .unwrap();
    }
    env.ok(&["export", "--all", "out"]);
    let second = TestEnv::new();
    let err = second.fails(&["import", env.path("out").to_str().unwrap()], 1);
    assert!(
        err.contains("households.csv:2: head_name: holds a control character (U+000D)"),
        "{err}"
    );
}
