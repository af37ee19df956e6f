//! A temporary working folder with its own database for each test.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

pub struct TestEnv {
    pub dir: TempDir,
}

#[allow(dead_code)]
impl TestEnv {
    /// A folder with no database yet.
    pub fn empty() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A folder with an initialised database for 钟山县.
    pub fn new() -> TestEnv {
        let env = TestEnv::empty();
        env.ok(&["init", "--county", "钟山县", "--code", "451122"]);
        env
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `fupin --db test.db` in the temp folder, independent of the
    /// machine's locale, terminal width and environment.
    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("fupin").expect("binary");
        cmd.current_dir(self.dir.path())
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("FUPIN_DB")
            .env_remove("COLUMNS")
            .env("USER", "tester")
            .arg("--db")
            .arg(self.db());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run fupin")
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "fupin {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs and asserts the exit code; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "fupin {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// Runs a query on the database and returns the rows as text.
    pub fn sql(&self, query: &str) -> Vec<Vec<String>> {
        let conn = rusqlite::Connection::open(self.db()).expect("open db");
        let mut stmt = conn.prepare(query).expect("prepare");
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| {
                    let v: rusqlite::types::Value = r.get(i)?;
                    Ok(match v {
                        rusqlite::types::Value::Null => String::new(),
                        rusqlite::types::Value::Integer(i) => i.to_string(),
                        rusqlite::types::Value::Real(f) => f.to_string(),
                        rusqlite::types::Value::Text(s) => s,
                        rusqlite::types::Value::Blob(_) => "<blob>".into(),
                    })
                })
                .collect()
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    }

    /// A single number from a query.
    pub fn count(&self, query: &str) -> i64 {
        self.sql(query)[0][0].parse().expect("a number")
    }

    /// A byte-for-byte copy of the database file, to prove nothing changed.
    pub fn snapshot(&self) -> Vec<u8> {
        std::fs::read(self.db()).expect("read db")
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write file");
        p
    }
}

/// The folder of the bundled example county.
#[allow(dead_code)]
pub fn example_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/zhongshan"))
}
