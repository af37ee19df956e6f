//! `household`: add, list, show, update, remove, lift.

use crate::common::TestEnv;
use crate::fixtures::{V_LONGYAN, V_LONGYAN_HUILONG, V_SHILONG, county, id, parse};

/// Adds a household with every flag given, by Chinese names and values.
fn add_full(env: &TestEnv) {
    env.ok(&[
        "household",
        "add",
        "--code",
        "H001",
        "--village",
        "龙岩村",
        "--town",
        "钟山镇",
        "--head-name",
        "黄秀英",
        "--id-number",
        "11010519491231002x",
        "--members",
        "４",
        "--attribute",
        "低保贫困户",
        "--cause",
        "因病",
        "--registered-on",
        "2014年10月1日",
        "--helper",
        "李四",
        "--phone",
        "138-1234-5678",
        "--note",
        "危房改造",
    ]);
}

#[test]
fn add_stores_canonical_values_whatever_the_input_language() {
    let env = county();
    add_full(&env);
    assert_eq!(
        env.sql(
            "SELECT code, village, head_name, id_number, members, attribute, cause,
                    registered_on, ifnull(lifted_on, '-'), helper, phone, note FROM households"
        ),
        [[
            "H001",
            V_LONGYAN,
            "黄秀英",
            "11010519491231002X",
            "4",
            "low_income",
            "illness",
            "2014-10-01",
            "-",
            "GB2",
            "13812345678",
            "危房改造"
        ]]
    );
}

#[test]
fn names_with_quotes_and_sql_are_stored_and_shown_literally() {
    let env = county();
    for (code, name, n) in [
        ("H1", "O'Brien", 1),
        ("H2", "'; DROP TABLE households; --", 2),
        ("H3", "Robert\"); --", 3),
    ] {
        env.ok(&[
            "household",
            "add",
            "--code",
            code,
            "--village",
            V_LONGYAN,
            "--head-name",
            name,
            "--id-number",
            &id(n),
            "--members",
            "1",
            "--registered-on",
            "2014",
        ]);
    }
    assert_eq!(env.count("SELECT count(*) FROM households"), 3);
    let names = env.sql("SELECT head_name FROM households ORDER BY code");
    assert_eq!(
        names,
        [
            ["O'Brien"],
            ["'; DROP TABLE households; --"],
            ["Robert\"); --"]
        ]
    );
    let list = env.ok(&["household", "list"]);
    assert!(list.contains("'; DROP TABLE households; --"), "{list}");
    let shown = env.json(&["household", "show", "H1"]);
    assert_eq!(shown["head_name"], "O'Brien");
    // In CSV a leading `'` gets Excel's text mark, itself a `'`.
    let csv = env.csv(&["household", "list"]);
    assert_eq!(csv[2][2], "''; DROP TABLE households; --");
    // Filters take such text as data too.
    let err = env.refused(&["household", "list", "--village", "x' OR '1'='1"], 1);
    assert!(err.contains("no village x' OR '1'='1"), "{err}");
    let none = env.json(&["cadre", "list", "--name", "' OR 1=1 --"]);
    assert_eq!(none, serde_json::json!([]));
}

#[test]
fn unknown_village_is_refused_with_a_hint_and_nothing_written() {
    let env = county();
    let err = env.refused(
        &[
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            "不存在村",
            "--head-name",
            "张三",
            "--id-number",
            &id(1),
            "--members",
            "2",
            "--registered-on",
            "2014",
        ],
        1,
    );
    assert!(err.contains("--village: no village 不存在村"), "{err}");
    assert!(err.contains("fupin village list"), "{err}");
}

#[test]
fn same_named_villages_need_the_town() {
    let env = county();
    let args = |town: Option<&str>| {
        let mut a = vec![
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            "龙岩村",
            "--head-name",
            "张三",
            "--id-number",
            "440524188001010014",
            "--members",
            "2",
            "--registered-on",
            "2016",
        ];
        if let Some(town) = town {
            a.extend(["--town", town]);
        }
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let plain = args(None);
    let err = env.refused(&plain.iter().map(String::as_str).collect::<Vec<_>>(), 1);
    assert!(err.contains("2 villages are named 龙岩村"), "{err}");
    assert!(
        err.contains(V_LONGYAN) && err.contains(V_LONGYAN_HUILONG),
        "{err}"
    );
    let with_town = args(Some("回龙镇"));
    env.ok(&with_town.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        env.sql("SELECT village FROM households WHERE code = 'H1'"),
        [[V_LONGYAN_HUILONG]]
    );
}

#[test]
fn duplicate_code_is_refused_and_points_at_update() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2014");
    let err = env.refused(
        &[
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            V_SHILONG,
            "--head-name",
            "王五",
            "--id-number",
            &id(2),
            "--members",
            "2",
            "--registered-on",
            "2014",
        ],
        1,
    );
    assert!(
        err.contains("household H1 already exists; use `fupin household update H1`"),
        "{err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM households"), 1);
}

#[test]
fn an_id_number_heads_only_one_household() {
    let env = county();
    env.household("H1", V_LONGYAN, 7, "2014");
    let err = env.refused(
        &[
            "household",
            "add",
            "--code",
            "H2",
            "--village",
            V_LONGYAN,
            "--head-name",
            "王五",
            "--id-number",
            &id(7),
            "--members",
            "2",
            "--registered-on",
            "2014",
        ],
        1,
    );
    assert!(
        err.contains("--id-number: already registered for household H1"),
        "{err}"
    );
    // The message masks the number it quotes.
    assert!(!err.contains(&id(7)), "{err}");
    env.household("H2", V_LONGYAN, 8, "2014");
    let err = env.refused(&["household", "update", "H2", "--id-number", &id(7)], 1);
    assert!(err.contains("already registered for household H1"), "{err}");
}

#[test]
fn bad_values_are_all_reported_at_once_naming_their_flags() {
    let env = county();
    let err = env.refused(
        &[
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            V_LONGYAN,
            "--head-name",
            "张三",
            "--id-number",
            "440524188001010015",
            "--members",
            "0",
            "--registered-on",
            "2019-02-29",
        ],
        1,
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("error: --id-number: check digit should be 4 (440524********0015)"),
        "{err}"
    );
    assert!(
        lines[1].starts_with("--members: must be between 1 and 99 (0)"),
        "{err}"
    );
    assert!(
        lines[2].starts_with("--registered-on: no such day in the calendar (2019-02-29)"),
        "{err}"
    );
}

#[test]
fn id_numbers_of_the_issue_and_their_check_digits() {
    let env = county();
    for (code, good) in [("H1", "11010519491231002X"), ("H2", "440524188001010014")] {
        env.ok(&[
            "household",
            "add",
            "--code",
            code,
            "--village",
            V_LONGYAN,
            "--head-name",
            "x",
            "--id-number",
            good,
            "--members",
            "1",
            "--registered-on",
            "2014",
        ]);
    }
    for (bad, expected) in [("110105194912310021", "X"), ("44052418800101001X", "4")] {
        let err = env.refused(
            &[
                "household",
                "add",
                "--code",
                "H3",
                "--village",
                V_LONGYAN,
                "--head-name",
                "x",
                "--id-number",
                bad,
                "--members",
                "1",
                "--registered-on",
                "2014",
            ],
            1,
        );
        let masked = format!("{}********{}", &bad[..6], &bad[14..]);
        assert!(
            err.contains(&format!("check digit should be {expected} ({masked})")),
            "{err}"
        );
        assert!(!err.contains(bad), "the whole number is not shown: {err}");
    }
}

#[test]
fn list_masks_id_numbers_and_phones_unless_show_id() {
    let env = county();
    add_full(&env);
    let masked = env.json(&["household", "list"]);
    assert_eq!(masked[0]["id_number"], "110105********002X");
    assert_eq!(masked[0]["phone"], "138****5678");
    let table = env.ok(&["household", "list", "--wide"]);
    assert!(!table.contains("11010519491231002X"), "{table}");
    assert!(table.contains("110105********002X"), "{table}");
    let shown = env.json(&["household", "list", "--show-id"]);
    assert_eq!(shown[0]["id_number"], "11010519491231002X");
    assert_eq!(shown[0]["phone"], "13812345678");
    let show = env.json(&["household", "show", "H001"]);
    assert_eq!(show["id_number"], "110105********002X");
    let show = env.json(&["household", "show", "H001", "--show-id"]);
    assert_eq!(show["id_number"], "11010519491231002X");
    assert_eq!(show["phone"], "13812345678");
}

#[test]
fn poor_as_of_a_date_before_at_and_after_the_lift() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2014-10-01");
    env.household("H2", V_LONGYAN, 2, "2014-10-01");
    env.household("H3", V_LONGYAN, 3, "2020-03-01");
    env.ok(&["household", "lift", "H1", "--on", "2019-12-31"]);
    env.ok(&["household", "lift", "H2", "--on", "2020年6月30日"]);
    let codes = |as_of: &str, flag: &str| -> Vec<String> {
        let rows = env.json(&["household", "list", flag, "--as-of", as_of]);
        rows.as_array()
            .expect("array")
            .iter()
            .map(|r| r["code"].as_str().expect("code").to_string())
            .collect()
    };
    assert_eq!(codes("2019-12-30", "--poor"), ["H1", "H2"]);
    // Lifted on the day: no longer poor on that day.
    assert_eq!(codes("2019-12-31", "--poor"), ["H2"]);
    assert_eq!(codes("2019", "--poor"), ["H2"]);
    assert_eq!(codes("2020-03-01", "--poor"), ["H2", "H3"]);
    assert_eq!(codes("2020-07-01", "--poor"), ["H3"]);
    assert_eq!(codes("2020-07-01", "--lifted"), ["H1", "H2"]);
    assert_eq!(codes("2019-12-31", "--lifted"), ["H1"]);
    let status = env.json(&["household", "list", "--as-of", "2020-01-15"]);
    let statuses: Vec<&str> = status
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["lifted", "poor", "unregistered"]);
}

#[test]
fn list_filters_by_village_name_with_town_by_town_and_by_attribute() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.household("H2", V_LONGYAN_HUILONG, 2, "2016");
    env.household("H3", V_SHILONG, 3, "2016");
    env.ok(&["household", "update", "H3", "--attribute", "low_income"]);
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["household", "list"];
        all.extend(args);
        env.csv(&all)
            .into_iter()
            .skip(1)
            .map(|r| r[0].clone())
            .collect()
    };
    assert_eq!(codes(&["--village", "龙岩村", "--town", "回龙镇"]), ["H2"]);
    assert_eq!(
        codes(&["--village", "龙岩村", "--town", "451122100"]),
        ["H1"]
    );
    assert_eq!(codes(&["--village", V_SHILONG]), ["H3"]);
    assert_eq!(codes(&["--town", "钟山镇"]), ["H1", "H3"]);
    assert_eq!(codes(&["--attribute", "低保贫困户"]), ["H3"]);
    assert_eq!(codes(&["--attribute", "general"]), ["H1", "H2"]);
    assert_eq!(codes(&["--limit", "2"]), ["H1", "H2"]);
    env.ok(&[
        "household",
        "update",
        "H2",
        "--helper",
        "李四",
        "--cause",
        "缺水",
    ]);
    assert_eq!(codes(&["--helper", "GB2"]), ["H2"]);
    assert_eq!(codes(&["--cause", "lack of water"]), ["H2"]);
    assert_eq!(codes(&["--cause", "因病"]), Vec::<String>::new());
    let err = env.refused(&["household", "list", "--village", "龙岩村"], 1);
    assert!(err.contains("give the village code, or the town"), "{err}");
    let err = env.refused(&["household", "list", "--attribute", "rich"], 1);
    assert!(err.contains("--attribute: rich is not one of"), "{err}");
}

#[test]
fn update_changes_only_the_given_fields_and_empty_clears() {
    let env = county();
    add_full(&env);
    env.ok(&[
        "household",
        "update",
        "H001",
        "--members",
        "5",
        "--note",
        "",
    ]);
    env.ok(&["household", "update", "H001", "--lifted-on", "2020-06-30"]);
    assert_eq!(
        env.sql("SELECT members, ifnull(note, 'NULL'), lifted_on, head_name FROM households"),
        [["5", "NULL", "2020-06-30", "黄秀英"]]
    );
    env.ok(&["household", "update", "H001", "--lifted-on", ""]);
    assert_eq!(
        env.sql("SELECT ifnull(lifted_on, 'NULL') FROM households"),
        [["NULL"]]
    );
    // Moving a household to another village by name within a town.
    env.ok(&[
        "household",
        "update",
        "H001",
        "--village",
        "龙岩村",
        "--town",
        "回龙镇",
    ]);
    assert_eq!(
        env.sql("SELECT village FROM households"),
        [[V_LONGYAN_HUILONG]]
    );
}

#[test]
fn update_refuses_what_it_cannot_do() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2014");
    let err = env.refused(&["household", "update", "H1"], 1);
    assert!(err.contains("nothing to change"), "{err}");
    assert!(
        err.contains("fupin household update H1 --head-name"),
        "{err}"
    );
    let err = env.refused(&["household", "update", "H1", "--members", ""], 1);
    assert!(
        err.contains("--members: is required and cannot be emptied"),
        "{err}"
    );
    let err = env.refused(&["household", "update", "H9", "--members", "2"], 1);
    assert!(err.contains("no household with code or name H9"), "{err}");
    let err = env.refused(&["household", "update", "H1", "--lifted-on", "2013"], 1);
    assert!(
        err.contains("--lifted-on: is before registered_on 2014-12-31 (2013-12-31)"),
        "{err}"
    );
    // The same values again: nothing is written, not even an audit row.
    let before = env.snapshot();
    let (_, msg) = env.both(&["household", "update", "H1", "--members", "3"]);
    assert!(msg.contains("unchanged"), "{msg}");
    assert!(before == env.snapshot());
}

#[test]
fn lift_records_the_date_once() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2014-10-01");
    let err = env.refused(&["household", "lift", "H1", "--on", "2014-09-30"], 1);
    assert!(
        err.contains("household H1 was registered on 2014-10-01; it cannot be lifted out of poverty before that (--on 2014-09-30)"),
        "{err}"
    );
    let err = env.refused(&["household", "lift", "H1", "--on", "2020-02-30"], 1);
    assert!(
        err.contains("--on: no such day in the calendar (2020-02-30)"),
        "{err}"
    );
    let (_, msg) = env.both(&["household", "lift", "H1", "--on", "2020/6/30"]);
    assert!(
        msg.contains("household H1 lifted out of poverty on 2020-06-30"),
        "{msg}"
    );
    assert_eq!(
        env.sql("SELECT lifted_on FROM households"),
        [["2020-06-30"]]
    );
    // Again on the same day: a no-op that succeeds, for scripts.
    let before = env.snapshot();
    let (_, msg) = env.both(&["household", "lift", "H1", "--on", "2020-06-30"]);
    assert!(
        msg.contains("already lifted out of poverty on 2020-06-30"),
        "{msg}"
    );
    assert!(before == env.snapshot());
    // On another day: refused, with the way to correct it.
    let err = env.refused(&["household", "lift", "H1", "--on", "2020-07-01"], 1);
    assert!(
        err.contains("fupin household update H1 --lifted-on 2020-07-01"),
        "{err}"
    );
    let err = env.refused(&["household", "lift", "H404", "--on", "2020"], 1);
    assert!(err.contains("no household with code or name H404"), "{err}");
}

#[test]
fn remove_deletes_and_refuses_a_visited_household() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2014");
    env.household("H2", V_LONGYAN, 2, "2014");
    env.ok(&[
        "visit",
        "add",
        "--cadre",
        "GB1",
        "--visited-on",
        "2020-05-01",
        "--household",
        "H2",
    ]);
    env.ok(&["household", "remove", "H1"]);
    assert_eq!(env.sql("SELECT code FROM households"), [["H2"]]);
    let err = env.refused(&["household", "remove", "H2"], 1);
    assert!(err.contains("household H2 has 1 visit"), "{err}");
    let err = env.refused(&["household", "remove", "H1"], 1);
    assert!(err.contains("no household with code or name H1"), "{err}");
}

#[test]
fn every_change_is_audited_with_who_what_and_old_and_new() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2014");
    env.ok(&[
        "--actor",
        "王会计",
        "household",
        "update",
        "H1",
        "--members",
        "5",
    ]);
    env.ok(&["household", "lift", "H1", "--on", "2020-06-30"]);
    env.ok(&["household", "remove", "H1"]);
    let rows = env.audit("household", "H1");
    assert_eq!(rows.len(), 4, "{rows:?}");
    let cols = |i: usize| -> (&str, &str, &str) {
        (
            rows[i][0].as_str(),
            rows[i][1].as_str(),
            rows[i][2].as_str(),
        )
    };
    assert_eq!(cols(0), ("tester", "household add", "insert"));
    assert_eq!(cols(1), ("王会计", "household update", "update"));
    assert_eq!(cols(2), ("tester", "household lift", "update"));
    assert_eq!(cols(3), ("tester", "household remove", "delete"));
    assert_eq!(rows[0][3], "");
    let added = parse(&rows[0][4]);
    assert_eq!(added["members"], 3);
    assert_eq!(added["id_number"], id(1));
    assert_eq!(parse(&rows[1][3]), serde_json::json!({"members": 3}));
    assert_eq!(parse(&rows[1][4]), serde_json::json!({"members": 5}));
    assert_eq!(parse(&rows[2][3]), serde_json::json!({"lifted_on": null}));
    assert_eq!(
        parse(&rows[2][4]),
        serde_json::json!({"lifted_on": "2020-06-30"})
    );
    assert_eq!(parse(&rows[3][3])["members"], 5);
    assert_eq!(rows[3][4], "");
    let at = env.sql("SELECT at FROM audit WHERE key = 'H1' LIMIT 1");
    assert!(
        at[0][0].len() >= 19 && at[0][0].as_bytes()[10] == b'T',
        "{at:?}"
    );
}

#[test]
fn show_in_every_format() {
    let env = county();
    add_full(&env);
    let table = env.ok(&["household", "show", "H001"]);
    assert!(
        table.contains("head_name") && table.contains("黄秀英"),
        "{table}"
    );
    let zh = env.ok(&["--lang", "zh", "household", "show", "H001"]);
    assert!(zh.contains("户主") && zh.contains("低保贫困户"), "{zh}");
    let json = env.json(&["--lang", "zh", "household", "show", "H001"]);
    assert_eq!(json["attribute"], "low_income");
    assert_eq!(json["members"], 4);
    let csv = env.csv(&["household", "show", "H001"]);
    assert_eq!(csv[0], ["field", "value"]);
    assert!(csv.contains(&vec!["members".to_string(), "4".to_string()]));
    let md = env.ok(&["household", "show", "H001", "--format", "markdown"]);
    assert!(md.contains("| members | 4 |"), "{md}");
    let err = env.refused(&["household", "show", "H404"], 1);
    assert!(err.contains("no household with code or name H404"), "{err}");
}
