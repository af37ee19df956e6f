//! The file itself: `init`, opening (missing, foreign, newer files), `log`,
//! `backup`, `check`, `completions`; and what every command shares: output
//! formats, languages, exit codes, and not panicking on odd input.

use assert_cmd::Command;

use crate::common::TestEnv;
use crate::fixtures::{V_LONGYAN, V_SHILONG, county, id};

/// `fupin` with no `--db`, in `dir`, with a clean environment.
fn bare(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("fupin").expect("binary");
    cmd.current_dir(dir)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("FUPIN_DB")
        .env("USER", "tester");
    cmd
}

#[test]
fn init_creates_a_file_holding_the_county() {
    let env = TestEnv::empty();
    let (_, msg) = env.both(&["init", "--county", "钟山县", "--code", "４５１１２２"]);
    assert!(
        msg.contains("created") && msg.contains("钟山县 (451122)"),
        "{msg}"
    );
    assert_eq!(
        env.sql("SELECT code, name FROM county"),
        [["451122", "钟山县"]]
    );
    assert_eq!(
        env.count("PRAGMA user_version"),
        fupin::db::schema_version()
    );
    // A first import of a large county is a sixth faster on 16 KiB pages
    // (bench/README.md, "Page size"); only a new file can have them.
    assert_eq!(env.count("PRAGMA page_size"), 16384);
    let err = env.refused(&["init", "--county", "别的县", "--code", "451123"], 1);
    assert!(
        err.contains("already exists; fupin init only creates a new file"),
        "{err}"
    );
    assert_eq!(env.sql("SELECT name FROM county"), [["钟山县"]]);
}

#[test]
fn init_refuses_empty_names_and_creates_nothing() {
    let env = TestEnv::empty();
    let err = env.fails(&["init", "--county", " ", "--code", "451122"], 1);
    assert!(
        err.contains("--county and --code must not be empty"),
        "{err}"
    );
    assert!(!env.db().exists());
    let err = env.fails(&["init", "--county", "钟山县"], 2);
    assert!(err.contains("--code"), "{err}");
    assert!(!env.db().exists());
}

#[test]
fn every_command_refuses_a_missing_file_and_creates_none() {
    let env = TestEnv::empty();
    let commands: &[&[&str]] = &[
        &["town", "list"],
        &["town", "add", "--code", "T1", "--name", "x"],
        &["village", "show", V_LONGYAN],
        &["village", "lift", V_LONGYAN, "--on", "2020"],
        &["household", "list"],
        &["household", "remove", "H1"],
        &["cadre", "promote", "GB1", "--on", "2020", "--post", "x"],
        &["task", "done", "XJ01", "--on", "2020"],
        &["post", "list"],
        &["dispatch", "list"],
        &["visit", "list"],
        &["log"],
        &["check"],
        &["backup", "copy.db"],
    ];
    for args in commands {
        let err = env.fails(args, 1);
        assert!(
            err.contains("no database at") && err.contains("init --county"),
            "{args:?}: {err}"
        );
        assert!(!env.db().exists(), "{args:?} created the file");
    }
    assert!(!env.path("copy.db").exists());
    let err = env.fails(&["--lang", "zh", "household", "list"], 1);
    assert!(err.contains("找不到数据库"), "{err}");
}

#[test]
fn the_file_comes_from_fupin_db_else_the_working_folder() {
    let env = TestEnv::empty();
    bare(env.dir.path())
        .args(["init", "--county", "钟山县", "--code", "451122"])
        .assert()
        .success();
    assert!(env.path("fupin.db").exists());
    bare(env.dir.path())
        .env("FUPIN_DB", env.path("other.db"))
        .args(["town", "list"])
        .assert()
        .code(1);
    assert!(!env.path("other.db").exists());
    bare(env.dir.path())
        .env("FUPIN_DB", env.path("fupin.db"))
        .args(["town", "add", "--code", "451122100", "--name", "钟山镇"])
        .assert()
        .success();
    let out = bare(env.dir.path())
        .args(["town", "list", "--format", "csv"])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "code,name,zone\n451122100,钟山镇,\n"
    );
}

#[test]
fn a_file_newer_than_the_binary_is_refused_untouched() {
    let env = county();
    {
        let conn = rusqlite::Connection::open(env.db()).expect("open");
        conn.pragma_update(None, "user_version", 99)
            .expect("set version");
    }
    let err = env.refused(&["household", "list"], 1);
    assert!(
        err.contains(&format!(
            "schema version 99, newer than this fupin understands ({}); install a newer fupin",
            fupin::db::schema_version()
        )),
        "{err}"
    );
    let err = env.refused(&["town", "add", "--code", "T9", "--name", "x"], 1);
    assert!(err.contains("install a newer fupin"), "{err}");
    let err = env.refused(&["--lang", "zh", "check"], 1);
    assert!(err.contains("请安装新版 fupin"), "{err}");
}

#[test]
fn a_file_that_is_not_fupins_is_refused_untouched() {
    let env = TestEnv::empty();
    {
        let conn = rusqlite::Connection::open(env.db()).expect("create");
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
            .expect("fill");
    }
    let err = env.refused(&["household", "list"], 1);
    assert!(err.contains("is not a fupin database"), "{err}");
    let err = env.refused(
        &[
            "village", "add", "--code", "V", "--name", "x", "--town", "T",
        ],
        1,
    );
    assert!(err.contains("is not a fupin database"), "{err}");
    assert_eq!(env.sql("SELECT body FROM notes"), [["hi"]]);
    env.write("test.db", "this is a spreadsheet, honestly");
    let err = env.refused(&["household", "list"], 1);
    assert!(err.contains("is not a fupin database"), "{err}");
}

#[test]
fn log_filters_by_record_key_date_and_person() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.household("H2", V_LONGYAN, 2, "2016");
    env.ok(&[
        "--actor",
        "王会计",
        "household",
        "lift",
        "H1",
        "--on",
        "2020-06-30",
    ]);
    let rows = |args: &[&str]| -> Vec<(String, String, String)> {
        let mut all = vec!["log"];
        all.extend(args);
        env.json(&all)
            .as_array()
            .expect("array")
            .iter()
            .map(|r| {
                (
                    r["entity"].as_str().expect("entity").to_string(),
                    r["key"].as_str().expect("key").to_string(),
                    r["action"].as_str().expect("action").to_string(),
                )
            })
            .collect()
    };
    let all = rows(&[]);
    // 2 cadres, 1 zone, 2 towns, 3 villages, 2 households, 1 lift.
    assert_eq!(all.len(), 11, "{all:?}");
    assert_eq!(
        rows(&["--entity", "贫困户"]),
        [
            ("household".into(), "H1".into(), "insert".into()),
            ("household".into(), "H2".into(), "insert".into()),
            ("household".into(), "H1".into(), "update".into()),
        ]
    );
    assert_eq!(rows(&["--key", "H1"]).len(), 2);
    assert_eq!(
        rows(&["--by", "王会计"]),
        [("household".into(), "H1".into(), "update".into())]
    );
    assert_eq!(rows(&["--entity", "villages"]).len(), 3);
    assert_eq!(rows(&["--limit", "2"]).len(), 2);
    let today = chrono::Local::now().date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    assert_eq!(rows(&["--from", &day(today)]).len(), 11);
    assert_eq!(rows(&["--to", &day(today)]).len(), 11);
    let tomorrow = today.succ_opt().expect("a tomorrow");
    let (out, msg) = env.both(&["log", "--from", &day(tomorrow)]);
    assert_eq!(out, "");
    assert!(msg.contains("no changes match"), "{msg}");
    let lift = env.json(&["log", "--by", "王会计"]);
    assert_eq!(lift[0]["command"], "household lift");
    assert_eq!(lift[0]["old"], serde_json::json!({"lifted_on": null}));
    assert_eq!(
        lift[0]["new"],
        serde_json::json!({"lifted_on": "2020-06-30"})
    );
    let err = env.refused(&["log", "--entity", "spaceship"], 1);
    assert!(err.contains("--entity: no record kind spaceship"), "{err}");
    let err = env.refused(&["log", "--from", "2020-13-01"], 1);
    assert!(err.contains("--from: there is no month 13"), "{err}");
    let err = env.refused(&["log", "--from", "2020-02-30"], 1);
    assert!(err.contains("--from: no such day"), "{err}");
    // In Chinese with Chinese marks, as every other message.
    let err = env.refused(&["--lang", "zh", "log", "--from", "2020年13月1日"], 1);
    assert!(
        err.contains("--from：没有 13 月（2020年13月1日）；请核对月份"),
        "{err}"
    );
}

#[test]
fn log_masks_personal_numbers_unless_show_id() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.ok(&["household", "update", "H1", "--phone", "13912345678"]);
    let full = id(1);
    let masked = env.json(&["log", "--key", "H1"]);
    assert_eq!(
        masked[0]["new"]["id_number"],
        "451122********0011".replace("0011", &full[14..])
    );
    assert_eq!(masked[1]["new"]["phone"], "139****5678");
    let table = env.ok(&["log", "--key", "H1"]);
    assert!(
        !table.contains(&full) && !table.contains("13912345678"),
        "{table}"
    );
    // The change may wrap within its column.
    assert!(
        table.contains("phone: (empty) →") && table.contains("139****5678"),
        "{table}"
    );
    let csv = env.ok(&["log", "--key", "H1", "--format", "csv"]);
    assert!(!csv.contains(&full), "{csv}");
    let shown = env.json(&["log", "--key", "H1", "--show-id"]);
    assert_eq!(shown[0]["new"]["id_number"], full);
    assert_eq!(shown[1]["new"]["phone"], "13912345678");
    // The stored trail keeps the whole number: masking is for display.
    assert!(env.audit("household", "H1")[0][4].contains(&full));
}

#[test]
fn log_reads_in_chinese() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.ok(&["household", "update", "H1", "--attribute", "低保"]);
    let md = env.ok(&["--lang", "zh", "log", "--key", "H1", "--format", "markdown"]);
    assert!(
        md.starts_with("| 变更号 | 时间 | 操作人 | 命令 | 记录类型 | 编号 | 操作 | 变更内容 |"),
        "{md}"
    );
    assert!(
        md.contains("| 贫困户 | H1 | 修改 | 贫困户属性: 一般贫困户 → 低保贫困户 |"),
        "{md}"
    );
}

#[test]
fn backup_writes_a_copy_that_opens_and_refuses_to_overwrite() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    let (_, msg) = env.both(&["backup", "copy.db"]);
    assert!(msg.contains("backed up to copy.db"), "{msg}");
    let copy = env.path("copy.db");
    let out = bare(env.dir.path())
        .arg("--db")
        .arg(&copy)
        .args(["household", "list", "--format", "csv"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.lines().nth(1).is_some_and(|l| l.starts_with("H1,")),
        "{listed}"
    );
    let check = bare(env.dir.path())
        .arg("--db")
        .arg(&copy)
        .arg("check")
        .output()
        .expect("run");
    assert!(check.status.success());
    // Changes after the backup stay out of it.
    env.household("H2", V_LONGYAN, 2, "2016");
    let conn = rusqlite::Connection::open(&copy).expect("open copy");
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    assert_eq!(page, 16384, "a backup keeps the file's page size");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM households", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 1);
    drop(conn);
    let before = std::fs::read(&copy).expect("read copy");
    let err = env.refused(&["backup", "copy.db"], 1);
    assert!(
        err.contains("copy.db already exists; choose a new file name"),
        "{err}"
    );
    assert_eq!(before, std::fs::read(&copy).expect("read copy"));
    let err = env.refused(&["backup", "no/such/folder/copy.db"], 1);
    assert!(err.contains("failed to write the backup"), "{err}");
}

#[test]
fn check_passes_a_sound_file_and_names_what_is_wrong() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    let (out, msg) = env.both(&["check"]);
    assert_eq!(out, "");
    assert!(
        msg.contains("ok: the file is intact and consistent"),
        "{msg}"
    );
    {
        // What another tool might do to the file behind fupin's back.
        let conn = rusqlite::Connection::open(env.db()).expect("open");
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             UPDATE households SET id_number = '110105194912310021' WHERE code = 'H1';
             INSERT INTO households (code, village, head_name, id_number, members, registered_on)
             VALUES ('H2', 'V-GONE', 'x', '{}', 1, '2016-01-01');
             INSERT INTO tasks (code, title, level, village, town, listed_on)
             VALUES ('XJ01', 't', 'county', '{V_LONGYAN}', '451122101', '2020-03-01');
             INSERT INTO posts (cadre, role, village, started_on)
             VALUES ('GB1', 'first_secretary', '{V_LONGYAN}', '2018-01-01'),
                    ('GB1', 'first_secretary', '{V_LONGYAN}', '2019-01-01');",
            id(2)
        ))
        .expect("tamper");
    }
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("household H1: id_number: check digit should be X (110105********0021)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("household H2: village: no village V-GONE"),
        "{stdout}"
    );
    assert!(
        stdout.contains("task XJ01: village 451122100201 is in town 451122100, not 451122101"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cadre GB1: two first_secretary posts at 451122100201 overlap (from 2018-01-01 and from 2019-01-01)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("4 problems found; correct the records named above"),
        "{stderr}"
    );
    let zh = env.run(&["--lang", "zh", "check"]);
    let stdout = String::from_utf8_lossy(&zh.stdout);
    assert!(
        stdout.contains("贫困户 H2：行政村：没有行政村 V-GONE"),
        "{stdout}"
    );
}

#[test]
fn completions_cover_the_commands() {
    let env = TestEnv::empty();
    let bash = env.ok(&["completions", "bash"]);
    for word in [
        "household",
        "village",
        "dispatch",
        "backup",
        "--show-id",
        "--head-name",
    ] {
        assert!(bash.contains(word), "bash completions lack {word}");
    }
    let zsh = env.ok(&["completions", "zsh"]);
    assert!(zsh.contains("#compdef fupin"), "{zsh}");
    env.fails(&["completions", "cmd.exe"], 2);
}

#[test]
fn formats_of_a_list() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    let md = env.ok(&[
        "household",
        "list",
        "--format",
        "markdown",
        "--as-of",
        "2020",
    ]);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines.len(), 3, "{md}");
    assert!(
        // Escaped as in reports: the same text once rendered.
        lines[0].starts_with("| code | village | head\\_name | id\\_number | members |"),
        "{md}"
    );
    assert!(lines[1].contains("| ---: |"), "numbers align right: {md}");
    assert!(
        lines[2]
            .starts_with("| H1 | 龙岩村 (451122100201) | 户主1 | 451122\\*\\*\\*\\*\\*\\*\\*\\*"),
        "{md}"
    );
    let csv = env.csv(&["--lang", "zh", "household", "list", "--as-of", "2020"]);
    assert_eq!(csv[0][..4], ["户编号", "行政村", "户主", "身份证号"]);
    assert_eq!(csv[1][5], "一般贫困户");
    assert_eq!(csv[1][12], "贫困");
    let json = env.json(&["--lang", "zh", "household", "list", "--as-of", "2020"]);
    assert_eq!(json[0]["attribute"], "general");
    assert_eq!(json[0]["status"], "poor");
    assert_eq!(json[0]["members"], 3);
    let err = env.fails(&["household", "list", "--format", "xml"], 2);
    assert!(err.contains("invalid value 'xml'"), "{err}");
}

#[test]
fn language_comes_from_the_locale_unless_lang_is_given() {
    let env = county();
    let run = |vars: &[(&str, &str)], args: &[&str]| -> String {
        let mut cmd = env.command();
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = cmd.args(args).output().expect("run");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let args = ["village", "remove", V_SHILONG.trim_end_matches('2')];
    assert!(run(&[("LANG", "zh_CN.UTF-8")], &args).starts_with("错误：没有代码或名称为"));
    assert!(run(&[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "C")], &args).starts_with("错误"));
    assert!(run(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")], &args).starts_with("error"));
    assert!(
        run(
            &[("LANG", "zh_CN.UTF-8")],
            &["--lang", "en", args[0], args[1], args[2]]
        )
        .starts_with("error")
    );
    let table = env.ok(&[
        "--lang", "zh", "village", "list", "--as-of", "2020", "--wide",
    ]);
    assert!(
        table.contains("村代码") && table.contains("社区") && table.contains("贫困"),
        "{table}"
    );
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let env = county();
    env.refused(&["household", "frobnicate"], 2);
    env.refused(&["household", "add", "--code", "H1"], 2);
    env.refused(&["household", "list", "--limit", "many"], 2);
    env.refused(&["task", "list", "--open", "--done"], 2);
    let err = env.refused(&["household", "update", "H1", "--code", "H2"], 2);
    assert!(err.contains("--code"), "{err}");
}

#[test]
fn odd_input_never_panics_nor_changes_the_file_when_refused() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    let long = "长".repeat(5000);
    let odd = [
        "",
        " ",
        "\u{3000}",
        "😀",
        "12345678901234😀",
        "1234567890123456é",
        "４.５１１２２Ｅ＋１７",
        "9999-99-99",
        "0000",
        "-1",
        "99999999999999999999999",
        "\u{202e}txt",
        "\t\r",
        "%_*?",
        "?1",
        "x\u{7f}y",
        long.as_str(),
    ];
    for v in odd {
        let attempts: Vec<Vec<&str>> = vec![
            vec!["household", "update", "H1", "--id-number", v],
            vec!["household", "update", "H1", "--members", v],
            vec!["household", "update", "H1", "--registered-on", v],
            vec!["household", "update", "H1", "--attribute", v],
            vec!["household", "update", "H1", "--village", v],
            vec!["household", "update", "H1", "--phone", v],
            vec!["household", "lift", "H1", "--on", v],
            vec!["household", "show", v, "--format", "json"],
            vec!["household", "list", "--as-of", v, "--poor"],
            vec!["household", "list", "--town", v],
            vec!["village", "add", "--code", v, "--name", v, "--town", v],
            vec!["cadre", "promote", v, "--on", v, "--post", v],
            vec!["post", "end", "--cadre", "GB1", "--role", v, "--on", v],
            vec!["task", "list", "--overdue", "--as-of", v],
            vec!["log", "--entity", v, "--from", v],
            vec!["backup", v],
        ];
        for args in attempts {
            let before = env.snapshot();
            let out = env.run(&args);
            let code = out.status.code();
            assert!(
                matches!(code, Some(0..=2)),
                "fupin {args:?} exited {code:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if code != Some(0) {
                assert!(before == env.snapshot(), "fupin {args:?} failed but wrote");
            }
        }
    }
    // Long text is data like any other.
    env.ok(&["household", "update", "H1", "--note", &long]);
    assert_eq!(env.sql("SELECT length(note) FROM households"), [["5000"]]);
    env.ok(&["check"]);
}

/// The audit trail's table ends with its count, and says what `--limit`
/// left out.
#[test]
fn log_ends_with_a_count_line() {
    let env = TestEnv::new();
    for code in ["GB00001", "GB00002"] {
        env.ok(&[
            "cadre", "add", "--code", code, "--name", code, "--level", "县级",
        ]);
    }
    let all = env.ok(&["log"]);
    assert!(all.trim_end().ends_with("\n2 audit rows"), "{all}");
    let cut = env.ok(&["log", "--limit", "1"]);
    assert!(
        cut.trim_end()
            .ends_with("showing 1 of 2 audit rows (--limit)"),
        "{cut}"
    );
    let one = env.ok(&["--lang", "zh", "log", "--key", "GB00001"]);
    assert!(one.trim_end().ends_with("共 1 条变更记录"), "{one}");
    // CSV and JSON hold the rows only.
    let csv = env.ok(&["log", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 3, "{csv}");
}
