//! Whole invocations — exit code, stdout, stderr — as insta snapshots, so
//! the wording and layout a clerk reads are reviewed like code.

use crate::common::TestEnv;
use crate::fixtures::{V_LONGYAN, V_SHILONG, county};

/// Runs fupin and renders the invocation, with the temp folder shown as
/// `[TMP]` and audit times as a placeholder of the same width (so tables
/// stay aligned).
fn invocation(env: &TestEnv, args: &[&str]) -> String {
    let out = env.run(args);
    let mut text = format!(
        "$ fupin {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status.code().map_or("signal".into(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let tmp = env.dir.path().display().to_string();
    text = text.replace(&tmp, "[TMP]");
    if env.db().exists() {
        for row in env.sql("SELECT DISTINCT substr(at, 1, 19) FROM audit") {
            text = text.replace(&row[0].replacen('T', " ", 1), "YYYY-MM-DD hh:mm:ss");
            // The log's table gives the date and the time a line each.
            if let Some((date, time)) = row[0].split_once('T') {
                text = text.replace(&format!(" {date} "), " YYYY-MM-DD ");
                text = text.replace(&format!(" {time} "), " hh:mm:ss ");
            }
        }
    }
    text
}

/// The county with three households: one lifted, one with a quoted name,
/// one registered later.
fn households() -> TestEnv {
    let env = county();
    env.ok(&[
        "household",
        "add",
        "--code",
        "H001",
        "--village",
        V_LONGYAN,
        "--head-name",
        "黄秀英",
        "--id-number",
        "11010519491231002X",
        "--members",
        "4",
        "--attribute",
        "低保",
        "--cause",
        "因病",
        "--registered-on",
        "2014-10-01",
        "--helper",
        "GB2",
        "--phone",
        "13812345678",
    ]);
    env.ok(&[
        "household",
        "add",
        "--code",
        "H002",
        "--village",
        V_LONGYAN,
        "--head-name",
        "O'Brien",
        "--id-number",
        "440524188001010014",
        "--members",
        "1",
        "--cause",
        "缺技术",
        "--registered-on",
        "2014",
        "--note",
        "'; DROP TABLE households; --",
    ]);
    env.household("H003", V_SHILONG, 3, "2020-03-01");
    env.ok(&["household", "lift", "H001", "--on", "2019-12-31"]);
    env
}

#[test]
fn household_list_in_english() {
    let env = households();
    insta::assert_snapshot!(invocation(
        &env,
        &["household", "list", "--as-of", "2020-01-15"]
    ));
}

#[test]
fn household_list_in_chinese() {
    let env = households();
    insta::assert_snapshot!(invocation(
        &env,
        &["--lang", "zh", "household", "list", "--as-of", "2020-01-15"]
    ));
}

#[test]
fn village_list_in_chinese() {
    let env = county();
    env.ok(&["village", "lift", V_LONGYAN, "--on", "2020-11-30"]);
    insta::assert_snapshot!(invocation(
        &env,
        &["--lang", "zh", "village", "list", "--as-of", "2020-12-31"]
    ));
}

#[test]
fn task_show_with_dispatches() {
    let env = county();
    env.ok(&[
        "task",
        "add",
        "--code",
        "XJ01",
        "--title",
        "龙岩村脱贫出列",
        "--level",
        "县级",
        "--village",
        V_LONGYAN,
        "--town",
        "钟山镇",
        "--leader",
        "张三",
        "--team",
        "第一突击队",
        "--listed-on",
        "2020-03-01",
        "--due-on",
        "2020-06-30",
    ]);
    env.ok(&[
        "dispatch",
        "add",
        "--task",
        "XJ01",
        "--held-on",
        "2020-04-30",
        "--chaired-by",
        "GB1",
        "--progress",
        "60",
        "--problems-found",
        "4",
        "--problems-solved",
        "3",
        "--note",
        "饮水工程已通水",
    ]);
    insta::assert_snapshot!(invocation(&env, &["task", "show", "XJ01"]));
}

#[test]
fn log_table() {
    let env = households();
    insta::assert_snapshot!(invocation(&env, &["log", "--entity", "household"]));
}

#[test]
fn error_bad_values_in_english() {
    let env = county();
    insta::assert_snapshot!(invocation(
        &env,
        &[
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            "龙岩村",
            "--head-name",
            "张三",
            "--id-number",
            "110105194912310021",
            "--members",
            "0",
            "--registered-on",
            "2019-02-29",
        ]
    ));
}

#[test]
fn error_bad_values_in_chinese() {
    let env = county();
    insta::assert_snapshot!(invocation(
        &env,
        &[
            "--lang",
            "zh",
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            "不存在村",
            "--head-name",
            "张三",
            "--id-number",
            "4.51122E+17",
            "--members",
            "0",
            "--registered-on",
            "2019年2月29日",
        ]
    ));
}

#[test]
fn error_removing_a_referenced_village() {
    let env = households();
    insta::assert_snapshot!(invocation(&env, &["village", "remove", V_LONGYAN]));
    insta::assert_snapshot!(invocation(
        &env,
        &["--lang", "zh", "village", "remove", V_LONGYAN]
    ));
}

#[test]
fn error_missing_database() {
    let env = TestEnv::empty();
    insta::assert_snapshot!(invocation(&env, &["household", "list"]));
    insta::assert_snapshot!(invocation(&env, &["--lang", "zh", "household", "list"]));
}

#[test]
fn error_newer_database() {
    let env = TestEnv::new();
    {
        let conn = rusqlite::Connection::open(env.db()).expect("open");
        conn.pragma_update(None, "user_version", 99)
            .expect("set version");
    }
    insta::assert_snapshot!(invocation(&env, &["town", "list"]));
}

#[test]
fn error_lift_twice_and_too_early() {
    let env = households();
    insta::assert_snapshot!(invocation(
        &env,
        &["household", "lift", "H001", "--on", "2020-06-30"]
    ));
    insta::assert_snapshot!(invocation(
        &env,
        &[
            "--lang",
            "zh",
            "household",
            "lift",
            "H002",
            "--on",
            "2013-01-01"
        ]
    ));
}

/// Chinese messages write Chinese punctuation throughout: full-width
/// brackets around a removed post's key, `；` before a hint and `：`
/// between an error and its cause; and a file that cannot be written is
/// named as asked for, never by the temporary name it would have had.
#[test]
fn chinese_messages_use_full_width_punctuation() {
    let env = county();
    env.ok(&[
        "post",
        "add",
        "--cadre",
        "GB2",
        "--role",
        "第一书记",
        "--village",
        V_LONGYAN,
        "--started-on",
        "2018-03-01",
    ]);
    let out = env.run(&["--lang", "zh", "post", "remove", "1"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        said.trim_end(),
        format!("已删除任职 1（GB2/first_secretary/{V_LONGYAN}/2018-03-01）")
    );
    let err = env.fails(
        &["--lang", "zh", "report", "tasks", "--unit", "办\u{1b}公室"],
        1,
    );
    assert_eq!(
        err.trim_end(),
        "错误：--unit：含有控制字符（U+001B），会被原样输出；请删除该字符"
    );
    let err = env.fails(
        &["--lang", "zh", "export", "towns", "-o", "missing/towns.csv"],
        1,
    );
    assert_eq!(
        err.trim_end(),
        "错误：无法写入 missing/towns.csv；请检查所在文件夹是否存在且可写：No such file or directory (os error 2)"
    );
    let err = env.fails(&["export", "towns", "-o", "missing/towns.csv"], 1);
    assert_eq!(
        err.trim_end(),
        "error: cannot write missing/towns.csv; check that its folder exists and is writable: No such file or directory (os error 2)"
    );
}
