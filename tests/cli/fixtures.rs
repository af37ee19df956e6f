//! A small county to hang records on, and helpers the clerk-command tests
//! share. Kept apart from `common.rs`, which other areas build on too.

use crate::common::TestEnv;

pub const V_LONGYAN: &str = "451122100201";
pub const V_SHILONG: &str = "451122100202";
/// A second 龙岩村, in 回龙镇: a name only the town tells apart.
pub const V_LONGYAN_HUILONG: &str = "451122101201";

/// A valid resident ID number (GB 11643) for test person `n`, born 1980.
pub fn id(n: u32) -> String {
    let first17 = format!("45112219800101{:03}", n % 1000);
    let check = fupin::values::id_check_digit(&first17).expect("17 digits");
    format!("{first17}{check}")
}

#[allow(dead_code)]
impl TestEnv {
    /// Runs a command that must fail with `code`, and asserts that the
    /// database file is byte for byte what it was before. Returns stderr.
    pub fn refused(&self, args: &[&str], code: i32) -> String {
        let before = self.snapshot();
        let err = self.fails(args, code);
        assert!(
            before == self.snapshot(),
            "fupin {args:?} changed the database although it failed:\n{err}"
        );
        err
    }

    /// Runs a command that must succeed; returns (stdout, stderr).
    pub fn both(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "fupin {args:?} failed with {:?}\nstdout: {stdout}\nstderr: {stderr}",
            out.status.code()
        );
        (stdout, stderr)
    }

    /// Runs a command with `--format json` added and parses its stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        let out = self.ok(&args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    /// The stdout of a CSV list, parsed into header and rows.
    pub fn csv(&self, args: &[&str]) -> Vec<Vec<String>> {
        let mut args = args.to_vec();
        args.extend(["--format", "csv"]);
        let out = self.ok(&args);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_bytes());
        reader
            .records()
            .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
            .collect()
    }

    /// Registers a household in a village with sensible defaults.
    pub fn household(&self, code: &str, village: &str, n: u32, registered_on: &str) {
        self.ok(&[
            "household",
            "add",
            "--code",
            code,
            "--village",
            village,
            "--head-name",
            &format!("户主{n}"),
            "--id-number",
            &id(n),
            "--members",
            "3",
            "--registered-on",
            registered_on,
        ]);
    }

    /// One audit row of a record as (actor, command, action, old, new).
    pub fn audit(&self, entity: &str, key: &str) -> Vec<Vec<String>> {
        self.sql(&format!(
            "SELECT actor, command, action, ifnull(old, ''), ifnull(new, '') FROM audit
              WHERE entity = '{entity}' AND key = '{key}' ORDER BY id"
        ))
    }
}

/// Parses an audit column into JSON.
pub fn parse(json: &str) -> serde_json::Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// 钟山县 with two cadres, a zone, two towns and three villages: two named
/// 龙岩村 in different towns, one registered poor village in each town's
/// first village, and 石龙村 that never was poor.
pub fn county() -> TestEnv {
    let env = TestEnv::new();
    let steps: &[&[&str]] = &[
        &[
            "cadre",
            "add",
            "--code",
            "GB1",
            "--name",
            "张三",
            "--level",
            "县级",
            "--phone",
            "13812345678",
        ],
        &[
            "cadre", "add", "--code", "GB2", "--name", "李四", "--level", "town", "--gender", "女",
        ],
        &[
            "zone",
            "add",
            "--code",
            "ZQ01",
            "--name",
            "钟山镇作战区",
            "--commander",
            "张三",
            "--deputy",
            "GB2",
        ],
        &[
            "town",
            "add",
            "--code",
            "451122100",
            "--name",
            "钟山镇",
            "--zone",
            "ZQ01",
        ],
        &["town", "add", "--code", "451122101", "--name", "回龙镇"],
        &[
            "village",
            "add",
            "--code",
            V_LONGYAN,
            "--name",
            "龙岩村",
            "--town",
            "钟山镇",
            "--poor-village",
            "是",
            "--registered-on",
            "2015",
            "--population",
            "1200",
        ],
        &[
            "village",
            "add",
            "--code",
            V_SHILONG,
            "--name",
            "石龙村",
            "--town",
            "451122100",
            "--kind",
            "社区",
        ],
        &[
            "village",
            "add",
            "--code",
            V_LONGYAN_HUILONG,
            "--name",
            "龙岩村",
            "--town",
            "回龙镇",
            "--poor-village",
            "yes",
            "--registered-on",
            "2016-01-01",
        ],
    ];
    for step in steps {
        env.ok(step);
    }
    env
}
