//! `task` (add, list, show, update, remove, done), `dispatch` and `visit`.

use crate::common::TestEnv;
use crate::fixtures::{V_LONGYAN, V_SHILONG, county};

/// Two listed tasks: XJ01 county-level on 龙岩村, due mid-2020; XJ02
/// town-level, due at the end of 2020.
fn tasks() -> TestEnv {
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
        "龙岩村",
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
        "task",
        "add",
        "--code",
        "XJ02",
        "--title",
        "饮水安全",
        "--level",
        "乡镇级",
        "--town",
        "回龙镇",
        "--leader",
        "GB2",
        "--listed-on",
        "2020/3/1",
        "--due-on",
        "2020",
    ]);
    env
}

fn codes(rows: &serde_json::Value) -> Vec<String> {
    rows.as_array()
        .expect("array")
        .iter()
        .map(|r| r["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn task_add_stores_canonical_values() {
    let env = tasks();
    assert_eq!(
        env.sql(
            "SELECT code, level, ifnull(village, '-'), town, leader, ifnull(team, '-'),
                    listed_on, due_on, ifnull(done_on, '-') FROM tasks ORDER BY code"
        ),
        [
            [
                "XJ01",
                "county",
                V_LONGYAN,
                "451122100",
                "GB1",
                "第一突击队",
                "2020-03-01",
                "2020-06-30",
                "-"
            ],
            [
                "XJ02",
                "town",
                "-",
                "451122101",
                "GB2",
                "-",
                "2020-03-01",
                "2020-12-31",
                "-"
            ],
        ]
    );
}

#[test]
fn task_rules_between_fields() {
    let env = tasks();
    let err = env.refused(
        &[
            "task",
            "add",
            "--code",
            "XJ03",
            "--title",
            "x",
            "--level",
            "town",
            "--village",
            V_LONGYAN,
            "--town",
            "回龙镇",
            "--listed-on",
            "2020",
        ],
        1,
    );
    assert!(
        err.contains("--village: is in town 451122100, not 451122101"),
        "{err}"
    );
    let err = env.refused(
        &[
            "task",
            "add",
            "--code",
            "XJ03",
            "--title",
            "x",
            "--level",
            "village",
            "--town",
            "回龙镇",
            "--listed-on",
            "2020",
        ],
        1,
    );
    assert!(
        err.contains("--level: not one of the allowed values"),
        "{err}"
    );
    let err = env.refused(
        &[
            "task",
            "add",
            "--code",
            "XJ03",
            "--title",
            "x",
            "--level",
            "town",
            "--town",
            "回龙镇",
            "--listed-on",
            "2020-05-01",
            "--due-on",
            "2020-04-01",
        ],
        1,
    );
    assert!(
        err.contains("--due-on: is before listed_on 2020-05-01"),
        "{err}"
    );
    let err = env.refused(
        &[
            "task",
            "add",
            "--code",
            "XJ01",
            "--title",
            "x",
            "--level",
            "town",
            "--town",
            "回龙镇",
            "--listed-on",
            "2020",
        ],
        1,
    );
    assert!(err.contains("task XJ01 already exists"), "{err}");
}

#[test]
fn task_list_open_overdue_done_as_of_dates() {
    let env = tasks();
    env.ok(&["task", "done", "XJ01", "--on", "2020-08-15"]);
    let list = |args: &[&str]| {
        let mut all = vec!["task", "list"];
        all.extend(args);
        codes(&env.json(&all))
    };
    assert_eq!(list(&["--open", "--as-of", "2020-06-30"]), ["XJ01", "XJ02"]);
    // Due on 06-30: overdue from the next day until done.
    assert_eq!(
        list(&["--overdue", "--as-of", "2020-06-30"]),
        Vec::<String>::new()
    );
    assert_eq!(list(&["--overdue", "--as-of", "2020-07-01"]), ["XJ01"]);
    assert_eq!(
        list(&["--overdue", "--as-of", "2020-08-15"]),
        Vec::<String>::new()
    );
    assert_eq!(
        list(&["--done", "--as-of", "2020-08-14"]),
        Vec::<String>::new()
    );
    assert_eq!(list(&["--done", "--as-of", "2020-08-15"]), ["XJ01"]);
    assert_eq!(list(&["--open", "--as-of", "2020-08-15"]), ["XJ02"]);
    assert_eq!(list(&["--overdue", "--as-of", "2021-01-01"]), ["XJ02"]);
    assert_eq!(list(&["--level", "县级"]), ["XJ01"]);
    assert_eq!(list(&["--town", "回龙镇"]), ["XJ02"]);
    assert_eq!(list(&["--village", "龙岩村", "--town", "钟山镇"]), ["XJ01"]);
    assert_eq!(list(&["--leader", "李四"]), ["XJ02"]);
    let rows = env.json(&["task", "list", "--as-of", "2020-07-01"]);
    assert_eq!(rows[0]["status"], "overdue");
    assert_eq!(rows[1]["status"], "open");
    let zh = env.ok(&[
        "--lang",
        "zh",
        "task",
        "list",
        "--as-of",
        "2020-07-01",
        "--wide",
    ]);
    assert!(
        zh.contains("逾期") && zh.contains("县级") && zh.contains("挂牌领导"),
        "{zh}"
    );
}

#[test]
fn task_done_once_and_not_before_listing() {
    let env = tasks();
    let err = env.refused(&["task", "done", "XJ01", "--on", "2020-02-01"], 1);
    assert!(
        err.contains(
            "task XJ01 was listed on 2020-03-01; it cannot be done before that (--on 2020-02-01)"
        ),
        "{err}"
    );
    let (_, msg) = env.both(&["task", "done", "XJ01", "--on", "2020年8月15日"]);
    assert!(msg.contains("task XJ01 done on 2020-08-15"), "{msg}");
    let err = env.refused(&["task", "done", "XJ01", "--on", "2020-08-16"], 1);
    assert!(
        err.contains("task XJ01 was already done on 2020-08-15"),
        "{err}"
    );
    let err = env.refused(
        &["--lang", "zh", "task", "done", "XJ01", "--on", "2020-08-16"],
        1,
    );
    assert!(err.contains("任务 XJ01 已于 2020-08-15 完成"), "{err}");
    let audit = env.audit("task", "XJ01");
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(audit[1][..3], ["tester", "task done", "update"]);
    assert_eq!(
        crate::fixtures::parse(&audit[1][4]),
        serde_json::json!({"done_on": "2020-08-15"})
    );
    // Reopening is an update that clears the date.
    env.ok(&["task", "update", "XJ01", "--done-on", ""]);
    assert_eq!(
        env.sql("SELECT ifnull(done_on, 'NULL') FROM tasks WHERE code = 'XJ01'"),
        [["NULL"]]
    );
}

#[test]
fn task_update_show_and_remove() {
    let env = tasks();
    env.ok(&[
        "task",
        "update",
        "XJ02",
        "--team",
        "第二突击队",
        "--note",
        "O'Brien's note",
    ]);
    env.ok(&[
        "dispatch",
        "add",
        "--task",
        "XJ01",
        "--held-on",
        "2020-04-30",
        "--chaired-by",
        "张三",
        "--progress",
        "40",
        "--problems-found",
        "5",
        "--problems-solved",
        "2",
    ]);
    let shown = env.json(&["--lang", "zh", "task", "show", "XJ01"]);
    assert_eq!(shown["level"], "county");
    assert_eq!(shown["dispatches"][0]["progress"], 40);
    assert_eq!(shown["dispatches"][0]["chaired_by"], "GB1");
    let shown = env.json(&["task", "show", "XJ02"]);
    assert_eq!(shown["team"], "第二突击队");
    assert_eq!(shown["note"], "O'Brien's note");
    let table = env.ok(&["task", "show", "XJ01"]);
    assert!(
        table.contains("Dispatches") && table.contains("40"),
        "{table}"
    );
    let err = env.refused(&["task", "remove", "XJ01"], 1);
    assert!(err.contains("task XJ01 has 1 dispatch"), "{err}");
    env.ok(&["task", "remove", "XJ02"]);
    assert_eq!(codes(&env.json(&["task", "list"])), ["XJ01"]);
}

#[test]
fn dispatch_add_and_list_by_task_and_dates() {
    let env = tasks();
    for (task, held, progress) in [
        ("XJ01", "2020-04-30", "40"),
        ("XJ01", "2020-06-28", "85"),
        ("XJ02", "2020-06-30", "30"),
    ] {
        env.ok(&[
            "dispatch",
            "add",
            "--task",
            task,
            "--held-on",
            held,
            "--progress",
            progress,
        ]);
    }
    assert_eq!(
        env.sql("SELECT task, held_on, progress, problems_found, problems_solved FROM dispatches ORDER BY id"),
        [
            ["XJ01", "2020-04-30", "40", "0", "0"],
            ["XJ01", "2020-06-28", "85", "0", "0"],
            ["XJ02", "2020-06-30", "30", "0", "0"],
        ]
    );
    let held = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["dispatch", "list"];
        all.extend(args);
        env.csv(&all)
            .into_iter()
            .skip(1)
            .map(|r| format!("{}@{}", r[0], r[1]))
            .collect()
    };
    assert_eq!(
        held(&["--task", "XJ01"]),
        ["XJ01@2020-04-30", "XJ01@2020-06-28"]
    );
    assert_eq!(
        held(&["--from", "2020-05-01", "--to", "2020-06-30"]),
        ["XJ01@2020-06-28", "XJ02@2020-06-30"]
    );
    let err = env.refused(
        &[
            "dispatch",
            "add",
            "--task",
            "XJ01",
            "--held-on",
            "2020-04-30",
            "--progress",
            "50",
        ],
        1,
    );
    assert!(
        err.contains("dispatch XJ01/2020-04-30 is already recorded"),
        "{err}"
    );
    let err = env.refused(
        &[
            "dispatch",
            "add",
            "--task",
            "XJ01",
            "--held-on",
            "2020-05-30",
            "--progress",
            "101",
        ],
        1,
    );
    assert!(
        err.contains("--progress: must be between 0 and 100 (101)"),
        "{err}"
    );
    let err = env.refused(
        &[
            "dispatch",
            "add",
            "--task",
            "XJ99",
            "--held-on",
            "2020-05-30",
            "--progress",
            "1",
        ],
        1,
    );
    assert!(err.contains("--task: no task XJ99"), "{err}");
    let err = env.refused(
        &[
            "dispatch",
            "add",
            "--task",
            "XJ01",
            "--held-on",
            "2020-02-01",
            "--progress",
            "1",
        ],
        1,
    );
    assert!(
        err.contains("--held-on: is before task XJ01 was listed on 2020-03-01 (2020-02-01)"),
        "{err}"
    );
    assert_eq!(
        env.audit("dispatch", "XJ01/2020-04-30")[0][1],
        "dispatch add"
    );
}

#[test]
fn visit_add_and_list() {
    let env = tasks();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.ok(&[
        "visit",
        "add",
        "--cadre",
        "李四",
        "--visited-on",
        "2020-05-01",
        "--household",
        "H1",
        "--note",
        "了解就业",
    ]);
    env.ok(&[
        "visit",
        "add",
        "--cadre",
        "GB1",
        "--visited-on",
        "2020-05-02",
        "--village",
        "石龙村",
    ]);
    env.ok(&[
        "visit",
        "add",
        "--cadre",
        "GB1",
        "--visited-on",
        "2020-06-02",
        "--village",
        V_LONGYAN,
    ]);
    assert_eq!(
        env.sql("SELECT cadre, visited_on, ifnull(village, '-'), ifnull(household, '-') FROM visits ORDER BY id"),
        [
            ["GB2", "2020-05-01", "-", "H1"],
            ["GB1", "2020-05-02", V_SHILONG, "-"],
            ["GB1", "2020-06-02", V_LONGYAN, "-"],
        ]
    );
    let seen = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["visit", "list"];
        all.extend(args);
        env.csv(&all)
            .into_iter()
            .skip(1)
            .map(|r| format!("{}@{}", r[0], r[1]))
            .collect()
    };
    // A village's visits include those to its households.
    assert_eq!(
        seen(&["--village", V_LONGYAN]),
        ["GB1@2020-06-02", "GB2@2020-05-01"]
    );
    assert_eq!(
        seen(&["--cadre", "张三"]),
        ["GB1@2020-05-02", "GB1@2020-06-02"]
    );
    assert_eq!(seen(&["--household", "H1"]), ["GB2@2020-05-01"]);
    assert_eq!(seen(&["--from", "2020-06-01"]), ["GB1@2020-06-02"]);
    assert_eq!(seen(&["--to", "2020-05-01"]), ["GB2@2020-05-01"]);
    let err = env.refused(
        &[
            "visit",
            "add",
            "--cadre",
            "GB1",
            "--visited-on",
            "2020-05-03",
            "--village",
            V_LONGYAN,
            "--household",
            "H1",
        ],
        1,
    );
    assert!(
        err.contains("a visit is to exactly one village or one household"),
        "{err}"
    );
    let err = env.refused(
        &[
            "visit",
            "add",
            "--cadre",
            "GB1",
            "--visited-on",
            "2020-05-03",
        ],
        1,
    );
    assert!(
        err.contains("a visit is to exactly one village or one household"),
        "{err}"
    );
    let err = env.refused(
        &[
            "visit",
            "add",
            "--cadre",
            "GB1",
            "--visited-on",
            "2020-05-02",
            "--village",
            V_SHILONG,
        ],
        1,
    );
    assert!(err.contains("is already recorded"), "{err}");
}
