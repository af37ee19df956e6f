//! The clerk's day (issue 12): correcting and removing what was entered by
//! mistake, undo and revert, names beside codes, finding records, typos,
//! counts, rules on codes and dates, and help in the clerk's language.

use crate::common::TestEnv;
use crate::fixtures::{V_LONGYAN, V_LONGYAN_HUILONG, county, parse};

/// A listed task done in 2020, with one dispatch on it.
fn with_task() -> TestEnv {
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
        "--listed-on",
        "2020-03-01",
        "--due-on",
        "2020-06-30",
    ]);
    env.ok(&["task", "done", "XJ01", "--on", "2020-06-20"]);
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
        "60",
    ]);
    env
}

/// Runs with today pinned, so the rule on future dates has a fixed edge.
fn on_day(env: &TestEnv, today: &str, args: &[&str]) -> std::process::Output {
    env.command()
        .env("FUPIN_TEST_TODAY", today)
        .args(args)
        .output()
        .expect("run fupin")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn dispatch_ids(env: &TestEnv) -> Vec<(i64, String, i64)> {
    env.json(&["dispatch", "list"])
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["id"].as_i64().expect("id"),
                d["held_on"].as_str().expect("held_on").to_string(),
                d["progress"].as_i64().expect("progress"),
            )
        })
        .collect()
}

#[test]
fn a_mistaken_dispatch_is_corrected_removed_and_undone() {
    let env = with_task();
    // After the task was done: refused, nothing written.
    let err = env.refused(
        &[
            "dispatch",
            "add",
            "--task",
            "XJ01",
            "--held-on",
            "2020-12-01",
            "--progress",
            "100",
        ],
        1,
    );
    assert!(
        err.contains("--held-on: is after task XJ01 was done on 2020-06-20 (2020-12-01); check the date; --force records it all the same"),
        "{err}"
    );
    let [(id, ref held, progress)] = dispatch_ids(&env)[..] else {
        panic!("{:?}", dispatch_ids(&env));
    };
    assert_eq!((held.as_str(), progress), ("2020-04-30", 60));
    let table = env.ok(&["dispatch", "list"]);
    assert!(table.contains("│ ID ┆"), "{table}");
    // Corrected by its ID, the date that keys it included.
    let id = id.to_string();
    env.ok(&[
        "dispatch",
        "update",
        &id,
        "--progress",
        "80",
        "--held-on",
        "2020-05-08",
    ]);
    assert_eq!(
        dispatch_ids(&env),
        [(id.parse().unwrap(), "2020-05-08".into(), 80)]
    );
    let rows = env.audit("dispatch", "XJ01/2020-05-08");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], "dispatch update");
    assert_eq!(
        parse(&rows[0][3]),
        serde_json::json!({"held_on": "2020-04-30", "progress": 60})
    );
    // An ID that is not there, or not a number.
    let err = env.refused(&["dispatch", "update", "99", "--progress", "1"], 1);
    assert!(
        err.contains("no dispatch with ID 99; `fupin dispatch list` shows the IDs"),
        "{err}"
    );
    let err = env.refused(&["dispatch", "remove", "XJ01"], 1);
    assert!(err.contains("XJ01 is not an ID"), "{err}");
    // Undo puts the dispatch back as it was, then the next undo takes
    // back the meeting itself.
    env.ok(&["undo"]);
    assert_eq!(
        dispatch_ids(&env),
        [(id.parse().unwrap(), "2020-04-30".into(), 60)]
    );
    env.ok(&["dispatch", "remove", &id]);
    assert!(dispatch_ids(&env).is_empty());
    let (_, said) = env.both(&["undo"]);
    assert!(said.contains("reverted change"), "{said}");
    // Back under its own ID.
    assert_eq!(
        dispatch_ids(&env),
        [(id.parse().unwrap(), "2020-04-30".into(), 60)]
    );
    let actions = env.sql(
        "SELECT action, command, reverts IS NOT NULL FROM audit WHERE entity = 'dispatch' ORDER BY id",
    );
    assert_eq!(
        actions,
        [
            ["insert", "dispatch add", "0"],
            ["update", "dispatch update", "0"],
            ["update", "undo", "1"],
            ["delete", "dispatch remove", "0"],
            ["insert", "undo", "1"],
        ]
    );
}

#[test]
fn force_lets_a_dispatch_after_the_task_through_audited_and_check_warns() {
    let env = with_task();
    env.ok(&[
        "dispatch",
        "add",
        "--task",
        "XJ01",
        "--held-on",
        "2020-12-01",
        "--progress",
        "100",
        "--force",
    ]);
    let rows = env.audit("dispatch", "XJ01/2020-12-01");
    assert_eq!(rows[0][1], "dispatch add --force");
    let (_, said) = env.both(&["check"]);
    assert!(
        said.contains("warning: dispatch XJ01/2020-12-01: held after task XJ01 was done on 2020-06-20 (recorded with --force by tester"),
        "{said}"
    );
    // One written behind fupin's back is a problem.
    env.sql("UPDATE dispatches SET held_on = '2020-01-01' WHERE held_on = '2020-04-30'");
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("dispatch XJ01/2020-01-01: held before task XJ01 was listed on 2020-03-01"),
        "{listed}"
    );
}

#[test]
fn visits_posts_and_promotions_are_corrected_and_removed_by_id() {
    let env = with_task();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.ok(&[
        "visit",
        "add",
        "--cadre",
        "张三",
        "--visited-on",
        "2020-05-01",
        "--household",
        "H1",
    ]);
    env.ok(&[
        "post",
        "add",
        "--cadre",
        "李四",
        "--role",
        "第一书记",
        "--village",
        V_LONGYAN,
        "--started-on",
        "2018-03-01",
    ]);
    env.ok(&[
        "cadre",
        "promote",
        "GB2",
        "--on",
        "2020-12-01",
        "--post",
        "任副镇长",
    ]);
    let id = |kind: &str| {
        env.json(&[kind, "list"])[0]["id"]
            .as_i64()
            .expect("id")
            .to_string()
    };
    // A visit recorded to the wrong household can be moved to a village.
    env.ok(&[
        "visit",
        "update",
        &id("visit"),
        "--household",
        "",
        "--village",
        V_LONGYAN,
    ]);
    let visits = env.json(&["visit", "list"]);
    assert_eq!(visits[0]["village"], V_LONGYAN);
    assert_eq!(visits[0]["village_name"], "龙岩村");
    assert_eq!(visits[0]["household"], serde_json::Value::Null);
    // The household has no visit left, so it can go.
    env.ok(&["post", "update", &id("post"), "--started-on", "2018-04-01"]);
    assert_eq!(env.json(&["post", "list"])[0]["started_on"], "2018-04-01");
    env.ok(&["promotion", "update", &id("promotion"), "--post", "任镇长"]);
    assert_eq!(env.json(&["promotion", "list"])[0]["post"], "任镇长");
    for kind in ["visit", "post", "promotion"] {
        let before = env.count(&format!(
            "SELECT count(*) FROM audit WHERE entity = '{kind}'"
        ));
        env.ok(&[kind, "remove", &id(kind)]);
        assert_eq!(env.json(&[kind, "list"]), serde_json::json!([]), "{kind}");
        let last = env.sql(&format!(
            "SELECT action, command FROM audit WHERE entity = '{kind}' ORDER BY id DESC LIMIT 1"
        ));
        assert_eq!(last, [["delete".to_string(), format!("{kind} remove")]]);
        assert_eq!(
            env.count(&format!(
                "SELECT count(*) FROM audit WHERE entity = '{kind}'"
            )),
            before + 1
        );
    }
    // Undone one by one, newest first.
    env.ok(&["undo"]);
    assert_eq!(env.json(&["promotion", "list"])[0]["post"], "任镇长");
    env.ok(&["undo"]);
    assert_eq!(env.json(&["post", "list"])[0]["started_on"], "2018-04-01");
}

#[test]
fn undo_is_refused_when_the_record_changed_since_and_revert_names_the_change() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.ok(&["household", "update", "H1", "--phone", "13812345678"]);
    env.command()
        .env("USER", "other")
        .args(["household", "update", "H1", "--phone", "13912345678"])
        .assert()
        .success();
    // tester's last change is the first phone; other changed it since.
    let err = env.refused(&["undo"], 1);
    assert!(err.contains("household H1 changed since: change"), "{err}");
    assert!(err.contains("(household update by other,"), "{err}");
    assert!(err.contains("was not reverted"), "{err}");
    // The change ids are those `log` shows.
    let log = env.json(&["log", "--key", "H1"]);
    let changes: Vec<i64> = log
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["change"].as_i64().expect("change"))
        .collect();
    assert_eq!(changes.len(), 3);
    let last = changes[2].to_string();
    env.ok(&["revert", &last]);
    assert_eq!(
        env.json(&["household", "show", "H1", "--show-id"])["phone"],
        "13812345678"
    );
    let err = env.refused(&["revert", &last], 1);
    assert!(
        err.contains(&format!("change {last} was already reverted by change")),
        "{err}"
    );
    let err = env.refused(&["revert", "999"], 1);
    assert!(err.contains("no change 999"), "{err}");
}

#[test]
fn an_import_is_reverted_as_a_whole() {
    let env = county();
    env.household("H0", V_LONGYAN, 9, "2016");
    env.write(
        "households.csv",
        format!(
            "code,village,head_name,id_number,members,registered_on\nH1,{V_LONGYAN},钱七,{},2,2016\nH2,{V_LONGYAN},钱八,{},3,2016\n",
            crate::fixtures::id(1),
            crate::fixtures::id(2)
        ),
    );
    env.ok(&["import", "households.csv"]);
    env.ok(&["household", "update", "H0", "--members", "4"]);
    let change = env.count("SELECT max(change) FROM audit WHERE command = 'import'");
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM audit WHERE change = {change}"
        )),
        2,
        "one change for the rows of the import"
    );
    env.ok(&["revert", &change.to_string()]);
    assert_eq!(
        env.sql("SELECT code FROM households ORDER BY code"),
        [["H0"]]
    );
    assert_eq!(env.count("SELECT members FROM households"), 4);
}

#[test]
fn a_first_load_is_reverted_and_refused_when_its_records_changed() {
    let env = TestEnv::new();
    env.write(
        "towns.csv",
        "code,name\n451122100,钟山镇\n451122101,回龙镇\n",
    );
    env.ok(&["import", "towns.csv"]);
    let change = env
        .count("SELECT change FROM audit WHERE key = '*'")
        .to_string();
    env.ok(&["town", "update", "回龙镇", "--name", "回龙乡"]);
    let err = env.refused(&["revert", &change], 1);
    assert!(
        err.contains("town 451122101, loaded by this change, changed since"),
        "{err}"
    );
    env.ok(&["undo"]);
    env.ok(&["revert", &change]);
    assert_eq!(env.count("SELECT count(*) FROM towns"), 0);
}

#[test]
fn lists_and_show_name_what_they_refer_to() {
    let env = with_task();
    let table = env.ok(&["task", "list", "--wide"]);
    assert!(table.contains("龙岩村 (451122100201)"), "{table}");
    assert!(table.contains("张三 (GB1)"), "{table}");
    let zh = env.ok(&["--lang", "zh", "task", "show", "XJ01"]);
    assert!(zh.contains("龙岩村（451122100201）"), "{zh}");
    let json = env.json(&["task", "list"]);
    assert_eq!(json[0]["village"], V_LONGYAN);
    assert_eq!(json[0]["village_name"], "龙岩村");
    assert_eq!(json[0]["leader"], "GB1");
    assert_eq!(json[0]["leader_name"], "张三");
    let shown = env.json(&["--lang", "zh", "task", "show", "XJ01"]);
    assert_eq!(shown["town_name"], "钟山镇");
    // CSV stays the stored fields.
    assert_eq!(env.csv(&["task", "list"])[0].len(), 12);
}

#[test]
fn records_are_found_by_name_and_same_names_are_told_apart() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.household("H2", V_LONGYAN_HUILONG, 2, "2016");
    env.ok(&["household", "update", "H1", "--head-name", "钱七"]);
    env.ok(&["household", "update", "H2", "--head-name", "钱七"]);
    env.ok(&["town", "show", "钟山镇"]);
    assert_eq!(
        env.json(&["village", "show", "石龙村"])["code"],
        "451122100202"
    );
    let err = env.refused(&["household", "show", "钱七"], 1);
    assert!(
        err.contains("more than one household is named 钱七"),
        "{err}"
    );
    assert!(err.contains("H1  village 龙岩村 (451122100201)"), "{err}");
    assert!(err.contains("H2  village 龙岩村 (451122101201)"), "{err}");
    let one = env.json(&["household", "show", "钱七", "--town", "回龙镇"]);
    assert_eq!(one["code"], "H2");
    env.ok(&[
        "household",
        "lift",
        "钱七",
        "--village",
        V_LONGYAN,
        "--on",
        "2019",
    ]);
    assert_eq!(
        env.json(&["household", "show", "H1"])["lifted_on"],
        "2019-12-31"
    );
    // --name: a part of the name, as typed or with full-width folded.
    env.ok(&["cadre", "add", "--code", "GB3", "--name", "O'Brien"]);
    let found = env.json(&["cadre", "list", "--name", "Ｏ'Ｂ"]);
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    assert_eq!(found[0]["code"], "GB3");
    let homes = env.json(&["household", "list", "--name", "钱"]);
    assert_eq!(homes.as_array().map(Vec::len), Some(2));
    assert_eq!(
        env.json(&["village", "list", "--name", "石龙"])[0]["code"],
        "451122100202"
    );
    let err = env.refused(&["dispatch", "list", "--name", "x"], 1);
    assert!(err.contains("dispatches have no name to search"), "{err}");
}

#[test]
fn find_searches_every_kind() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    let hits = env.json(&["find", "龙岩"]);
    let kinds: Vec<(&str, &str)> = hits
        .as_array()
        .expect("array")
        .iter()
        .map(|h| (h["entity"].as_str().unwrap(), h["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [("village", V_LONGYAN), ("village", V_LONGYAN_HUILONG)]
    );
    let id = crate::fixtures::id(1);
    let tail = &id[14..];
    let by_id = env.json(&["find", tail]);
    assert_eq!(by_id[0]["entity"], "household");
    // The place by code and name, as a list gives a reference; `kind`,
    // the first name of `entity`, stays for this release.
    assert_eq!(by_id[0]["in"], "451122100201");
    assert_eq!(by_id[0]["in_name"], "龙岩村");
    assert_eq!(by_id[0]["kind"], "household");
    let table = env.ok(&["--lang", "zh", "find", "张"]);
    assert!(table.contains("干部"), "{table}");
    assert!(table.contains("共 1 条"), "{table}");
}

#[test]
fn a_one_character_typo_gets_a_suggestion_in_both_languages() {
    let env = county();
    let err = env.refused(&["village", "show", "龙言村"], 1);
    assert!(
        err.contains("did you mean 龙岩村 (451122100201) or 龙岩村 (451122101201)?"),
        "{err}"
    );
    let err = env.refused(&["household", "list", "--helper", "张山"], 1);
    assert!(
        err.contains("--helper: no cadre 张山; did you mean 张三 (GB1)?"),
        "{err}"
    );
    let err = env.refused(
        &["--lang", "zh", "household", "list", "--helper", "张山"],
        1,
    );
    assert!(err.contains("没有干部 张山；是不是 张三（GB1）？"), "{err}");
    // A CSV cell goes through the same resolver.
    env.write(
        "villages.csv",
        "code,name,town\n451122100203,白溪村,钟山真\n",
    );
    let err = env.refused(&["import", "villages.csv"], 1);
    assert!(
        err.contains("no town 钟山真; did you mean 钟山镇 (451122100)?"),
        "{err}"
    );
}

#[test]
fn a_mistyped_head_name_is_answered_with_the_households_of_the_nearest_name() {
    let env = county();
    // Added out of code order, so rowids and codes disagree.
    env.household("H3", V_LONGYAN, 3, "2016");
    env.household("H2", V_LONGYAN, 2, "2016");
    env.household("H1", V_LONGYAN, 1, "2016");
    env.ok(&["household", "update", "H3", "--head-name", "户主1"]);
    let err = env.refused(&["household", "show", "户住1"], 1);
    assert!(
        err.contains("did you mean 户主1 (H1) or 户主1 (H3)?"),
        "{err}"
    );
    // Found by the name as typed, without an index on names.
    let shown = env.json(&["household", "show", "户主2"]);
    assert_eq!(shown["code"], "H2");
}

#[test]
fn lists_end_with_a_count_and_say_when_cut() {
    let env = county();
    for n in 1..=3 {
        env.household(&format!("H{n}"), V_LONGYAN, n, "2016");
    }
    let all = env.ok(&["household", "list"]);
    assert!(all.trim_end().ends_with("3 households, 9 people"), "{all}");
    let cut = env.ok(&["household", "list", "--limit", "2"]);
    assert!(
        cut.trim_end()
            .ends_with("showing 2 of 3 households (9 people) (--limit)"),
        "{cut}"
    );
    // One of a thing is said in the singular.
    let single = county();
    single.household("H1", V_LONGYAN, 1, "2016");
    single.ok(&["household", "update", "H1", "--members", "1"]);
    let one = single.ok(&["household", "list"]);
    assert!(one.trim_end().ends_with("1 household, 1 person"), "{one}");
    let zh = env.ok(&["--lang", "zh", "household", "list", "--limit", "2"]);
    assert!(
        zh.trim_end()
            .ends_with("显示 2 户，共 3 户 9 人（--limit）"),
        "{zh}"
    );
    let villages = env.ok(&["--lang", "zh", "village", "list"]);
    assert!(villages.trim_end().ends_with("共 3 条"), "{villages}");
    // CSV and JSON hold the rows only.
    assert_eq!(env.csv(&["household", "list", "--limit", "2"]).len(), 3);
    assert_eq!(
        env.json(&["household", "list", "--limit", "2"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn codes_follow_the_county_and_town_they_belong_to() {
    let env = TestEnv::empty();
    let err = env.fails(&["init", "--county", "钟山县", "--code", "45112"], 1);
    assert!(
        err.contains("--code: a county's division code is 6 digits (45112)"),
        "{err}"
    );
    assert!(!env.db().exists());
    let env = county();
    let err = env.refused(
        &["town", "add", "--code", "451123100", "--name", "别县镇"],
        1,
    );
    assert!(
        err.contains(
            "--code: a town's code is the county's code 451122 followed by 3 digits (451123100)"
        ),
        "{err}"
    );
    env.refused(&["town", "add", "--code", "4511221000", "--name", "x"], 1);
    env.ok(&["town", "add", "--code", "451122999", "--name", "边界镇"]);
    let err = env.refused(
        &[
            "village",
            "add",
            "--code",
            "451122101299",
            "--name",
            "x",
            "--town",
            "钟山镇",
        ],
        1,
    );
    assert!(
        err.contains("a village's code is its town's code 451122100 followed by 3 digits"),
        "{err}"
    );
    env.ok(&[
        "village",
        "add",
        "--code",
        "451122999000",
        "--name",
        "边界村",
        "--town",
        "451122999",
    ]);
    let err = env.refused(&["cadre", "update", "GB1", "--phone", "138123"], 1);
    assert!(err.contains("--phone:"), "{err}");
    env.ok(&[
        "cadre",
        "update",
        "GB1",
        "--phone",
        "0774-8981234/13812345678",
    ]);
}

#[test]
fn dates_after_today_need_allow_future() {
    let env = county();
    let today = "2021-06-30";
    let add = |on: &str, extra: &[&str]| {
        let mut args = vec![
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            V_LONGYAN,
            "--head-name",
            "x",
            "--id-number",
        ];
        let id = crate::fixtures::id(1);
        args.push(&id);
        args.extend(["--members", "1", "--registered-on", on]);
        args.extend(extra);
        on_day(&env, today, &args)
    };
    let before = env.snapshot();
    let out = add("2021-07-01", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--registered-on: is after today (2021-06-30) (2021-07-01); check the year; a date to come is recorded only with --allow-future"),
        "{}",
        stderr(&out)
    );
    assert!(before == env.snapshot());
    assert!(
        add("2021-06-30", &[]).status.success(),
        "today itself is fine"
    );
    let out = on_day(&env, today, &["household", "lift", "H1", "--on", "2031"]);
    assert!(
        stderr(&out).contains("--on: is after today"),
        "{}",
        stderr(&out)
    );
    let out = on_day(
        &env,
        today,
        &["household", "lift", "H1", "--on", "2031", "--allow-future"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = env.audit("household", "H1");
    assert_eq!(
        rows.last().map(|r| r[1].as_str()),
        Some("household lift --allow-future")
    );
    // A file: refused unless the import is told.
    env.write(
        "visits.csv",
        "cadre,visited_on,household\nGB1,2030-01-01,H1\n",
    );
    let out = on_day(&env, today, &["import", "visits.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("visited_on: is after today"),
        "{}",
        stderr(&out)
    );
    let out = on_day(&env, today, &["import", "visits.csv", "--allow-future"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn enumerated_flags_take_their_chinese_words() {
    let env = county();
    env.ok(&["report", "double-clear", "--by", "乡镇", "--as-of", "2019"]);
    env.ok(&["--lang", "中文", "village", "list", "--format", "表格"]);
}

fn help(env: &TestEnv, envs: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = env.command();
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().expect("run fupin");
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
    .replace(&env.db().display().to_string(), "[DB]")
}

#[test]
fn help_in_both_languages() {
    let env = TestEnv::empty();
    insta::assert_snapshot!(
        "help_household_add_en",
        help(&env, &[], &["household", "add", "--help"])
    );
    insta::assert_snapshot!(
        "help_household_add_zh_locale",
        help(
            &env,
            &[("LANG", "zh_CN.UTF-8")],
            &["household", "add", "--help"]
        )
    );
    insta::assert_snapshot!("help_root_zh", help(&env, &[], &["--lang", "zh", "--help"]));
    insta::assert_snapshot!(
        "help_dispatch_update_zh",
        help(&env, &[], &["--lang=zh", "dispatch", "update", "-h"])
    );
}

#[test]
fn usage_errors_in_chinese() {
    let env = TestEnv::empty();
    let zh = [("LANG", "zh_CN.UTF-8")];
    insta::assert_snapshot!(
        "usage_unknown_argument_zh",
        help(&env, &zh, &["household", "add", "--vilage", "x"])
    );
    insta::assert_snapshot!(
        "usage_missing_argument_zh",
        help(&env, &zh, &["household", "add", "--code", "H1"])
    );
    insta::assert_snapshot!(
        "usage_invalid_value_zh",
        help(&env, &zh, &["village", "list", "--format", "xml"])
    );
    insta::assert_snapshot!(
        "usage_unknown_command_zh",
        help(&env, &zh, &["household", "lst"])
    );
    // English stays clap's.
    let en = help(&env, &[], &["household", "add", "--vilage", "x"]);
    assert!(
        en.contains("tip: a similar argument exists: '--village'"),
        "{en}"
    );
    assert!(en.contains("exit: Some(2)"), "{en}");
}

/// A list on the terminal keeps to the columns that fit 100; `--wide`
/// shows them all, and CSV always has them.
#[test]
fn lists_fit_the_terminal_and_wide_shows_every_column() {
    let env = county();
    for n in 1..=3 {
        env.household(&format!("H{n}"), V_LONGYAN, n, "2016");
    }
    let brief = env.ok(&["household", "list"]);
    assert!(!brief.contains("registered_on"), "{brief}");
    assert!(
        brief.contains("more columns with --wide (or --format csv)"),
        "{brief}"
    );
    // Display columns: a Chinese character takes two.
    let width = |l: &str| -> usize {
        l.chars()
            .map(|c| match c as u32 {
                0x2E80..=0x9FFF | 0xFF00..=0xFF60 => 2,
                _ => 1,
            })
            .sum()
    };
    let widest = brief.lines().map(width).max().unwrap_or(0);
    assert!(widest <= 100, "{widest}: {brief}");
    let wide = env.ok(&["household", "list", "--wide"]);
    assert!(
        wide.contains("registered_on") && wide.contains("phone"),
        "{wide}"
    );
    assert!(!wide.contains("--wide"), "{wide}");
    let zh = env.ok(&["--lang", "zh", "household", "list"]);
    assert!(zh.contains("列，加 --wide（或 --format csv）可见"), "{zh}");
    let csv = env.ok(&["household", "list", "--format", "csv"]);
    assert!(
        csv.starts_with("code,village,head_name,id_number,members,"),
        "{csv}"
    );
}
