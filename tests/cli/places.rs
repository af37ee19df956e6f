//! `town`, `zone` and `village`: add, list, show, update, remove, lift.

use crate::common::TestEnv;
use crate::fixtures::{V_LONGYAN, V_LONGYAN_HUILONG, V_SHILONG, county};

fn codes(rows: &serde_json::Value) -> Vec<String> {
    rows.as_array()
        .expect("array")
        .iter()
        .map(|r| r["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn zone_add_list_show_update_remove() {
    let env = county();
    let zones = env.json(&["zone", "list"]);
    assert_eq!(
        zones,
        serde_json::json!([{
            "code": "ZQ01", "name": "钟山镇作战区", "commander": "GB1", "commander_name": "张三",
            "deputy": "GB2", "deputy_name": "李四"
        }])
    );
    env.ok(&["zone", "add", "--code", "ZQ02", "--name", "回龙镇作战区"]);
    env.ok(&["zone", "update", "ZQ02", "--commander", "李四"]);
    assert_eq!(env.json(&["zone", "show", "ZQ02"])["commander"], "GB2");
    env.ok(&["zone", "update", "ZQ02", "--commander", ""]);
    assert_eq!(
        env.json(&["zone", "show", "ZQ02"])["commander"],
        serde_json::Value::Null
    );
    let err = env.refused(&["zone", "remove", "ZQ01"], 1);
    assert!(err.contains("zone ZQ01 has 1 town"), "{err}");
    env.ok(&["zone", "remove", "ZQ02"]);
    assert_eq!(codes(&env.json(&["zone", "list"])), ["ZQ01"]);
    let err = env.refused(
        &[
            "zone",
            "add",
            "--code",
            "ZQ03",
            "--name",
            "x",
            "--commander",
            "王五",
        ],
        1,
    );
    assert!(err.contains("--commander: no cadre 王五"), "{err}");
}

#[test]
fn town_add_list_show_update_remove() {
    let env = county();
    assert_eq!(
        codes(&env.json(&["town", "list"])),
        ["451122100", "451122101"]
    );
    assert_eq!(
        codes(&env.json(&["town", "list", "--zone", "钟山镇作战区"])),
        ["451122100"]
    );
    env.ok(&["town", "add", "--code", "451122102", "--name", "同古镇"]);
    env.ok(&[
        "town",
        "update",
        "451122102",
        "--name",
        "同古镇（新）",
        "--zone",
        "ZQ01",
    ]);
    let shown = env.json(&["town", "show", "451122102"]);
    assert_eq!(
        shown,
        serde_json::json!({"code": "451122102", "name": "同古镇（新）", "zone": "ZQ01", "zone_name": "钟山镇作战区"})
    );
    let err = env.refused(&["town", "remove", "451122100"], 1);
    assert!(err.contains("town 451122100 has 2 villages"), "{err}");
    env.ok(&["town", "remove", "451122102"]);
    assert_eq!(env.count("SELECT count(*) FROM towns"), 2);
    let err = env.refused(&["town", "add", "--code", "451122101", "--name", "x"], 1);
    assert!(err.contains("town 451122101 already exists"), "{err}");
    let err = env.refused(&["town", "add", "--code", "45 11", "--name", "x"], 1);
    assert!(err.contains("--code: a code has no spaces"), "{err}");
    let err = env.refused(&["town", "add", "--code", "T9", "--name", ""], 1);
    assert!(err.contains("--name: is required"), "{err}");
}

#[test]
fn village_add_reads_flags_and_kinds_in_both_languages() {
    let env = county();
    assert_eq!(
        env.sql(
            "SELECT code, town, kind, ifnull(population, '-'), poor_village,
                    ifnull(registered_on, '-') FROM villages ORDER BY code"
        ),
        [
            [V_LONGYAN, "451122100", "village", "1200", "1", "2015-12-31"],
            [V_SHILONG, "451122100", "community", "-", "0", "-"],
            [
                V_LONGYAN_HUILONG,
                "451122101",
                "village",
                "-",
                "1",
                "2016-01-01"
            ],
        ]
    );
}

#[test]
fn village_rules_between_fields() {
    let env = county();
    let err = env.refused(
        &[
            "village",
            "add",
            "--code",
            "V9",
            "--name",
            "x",
            "--town",
            "钟山镇",
            "--poor-village",
            "是",
        ],
        1,
    );
    assert!(
        err.contains("--registered-on: a poor village needs the date it was registered"),
        "{err}"
    );
    let err = env.refused(
        &[
            "village",
            "add",
            "--code",
            "V9",
            "--name",
            "x",
            "--town",
            "钟山镇",
            "--lifted-on",
            "2020",
        ],
        1,
    );
    assert!(err.contains("only a poor village has this date"), "{err}");
    let err = env.refused(
        &[
            "village",
            "add",
            "--code",
            "V9",
            "--name",
            "x",
            "--town",
            "不存在镇",
        ],
        1,
    );
    assert!(err.contains("--town: no town 不存在镇"), "{err}");
    let err = env.refused(
        &[
            "village",
            "add",
            "--code",
            "V9",
            "--name",
            "x",
            "--town",
            "钟山镇",
            "--population",
            "-5",
        ],
        1,
    );
    assert!(err.contains("--population: must be at least 0"), "{err}");
    let err = env.refused(
        &[
            "village",
            "add",
            "--code",
            "V9",
            "--name",
            "x",
            "--town",
            "钟山镇",
            "--kind",
            "城市",
        ],
        1,
    );
    assert!(
        err.contains("--kind: not one of the allowed values"),
        "{err}"
    );
}

#[test]
fn village_list_filters_by_town_and_status_as_of() {
    let env = county();
    env.ok(&["village", "lift", V_LONGYAN, "--on", "2019-12-31"]);
    let list = |args: &[&str]| {
        let mut all = vec!["village", "list"];
        all.extend(args);
        codes(&env.json(&all))
    };
    assert_eq!(list(&["--town", "钟山镇"]), [V_LONGYAN, V_SHILONG]);
    assert_eq!(list(&["--poor-village"]), [V_LONGYAN, V_LONGYAN_HUILONG]);
    assert_eq!(
        list(&["--poor", "--as-of", "2019-12-30"]),
        [V_LONGYAN, V_LONGYAN_HUILONG]
    );
    assert_eq!(
        list(&["--poor", "--as-of", "2019-12-31"]),
        [V_LONGYAN_HUILONG]
    );
    assert_eq!(list(&["--poor", "--as-of", "2015-12-31"]), [V_LONGYAN]);
    assert_eq!(list(&["--lifted", "--as-of", "2020"]), [V_LONGYAN]);
    let rows = env.json(&["village", "list", "--as-of", "2018"]);
    // No status is null, never "", and a flag is a boolean.
    let statuses: Vec<(&serde_json::Value, &serde_json::Value)> = rows
        .as_array()
        .expect("array")
        .iter()
        .map(|r| (&r["status"], &r["poor_village"]))
        .collect();
    assert_eq!(
        statuses,
        [
            (&"poor".into(), &true.into()),
            (&serde_json::Value::Null, &false.into()),
            (&"poor".into(), &true.into())
        ]
    );
    let err = env.refused(&["village", "list", "--poor", "--lifted"], 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn village_lift_once_and_only_a_poor_village() {
    let env = county();
    let err = env.refused(&["village", "lift", V_SHILONG, "--on", "2020"], 1);
    assert!(
        err.contains(&format!(
            "village {V_SHILONG} is not a registered poor village"
        )),
        "{err}"
    );
    let err = env.refused(&["village", "lift", V_LONGYAN, "--on", "2015-06-01"], 1);
    assert!(err.contains("was registered on 2015-12-31"), "{err}");
    let (_, msg) = env.both(&["village", "lift", V_LONGYAN, "--on", "2020-11-30"]);
    assert!(msg.contains("lifted out of poverty on 2020-11-30"), "{msg}");
    assert_eq!(
        env.sql(&format!(
            "SELECT lifted_on FROM villages WHERE code = '{V_LONGYAN}'"
        )),
        [["2020-11-30"]]
    );
    let err = env.refused(&["village", "lift", V_LONGYAN, "--on", "2020-12-01"], 1);
    assert!(
        err.contains("already lifted out of poverty on 2020-11-30"),
        "{err}"
    );
    let err = env.refused(
        &["--lang", "zh", "village", "lift", V_SHILONG, "--on", "2020"],
        1,
    );
    assert!(err.starts_with("错误：村 451122100202 不是贫困村"), "{err}");
    let rows = env.audit("village", V_LONGYAN);
    assert_eq!(rows.last().expect("audit row")[1], "village lift");
}

#[test]
fn village_remove_is_refused_while_households_refer_to_it() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    let err = env.refused(&["village", "remove", V_LONGYAN], 1);
    assert!(
        err.contains("village 451122100201 has 1 household; remove or reassign them first"),
        "{err}"
    );
    env.household("H2", V_LONGYAN, 2, "2016");
    let err = env.refused(&["village", "remove", V_LONGYAN], 1);
    assert!(err.contains("has 2 households"), "{err}");
    let err = env.refused(&["--lang", "zh", "village", "remove", V_LONGYAN], 1);
    assert!(err.contains("还有 2 条贫困户记录"), "{err}");
    env.ok(&["village", "remove", V_SHILONG]);
    assert_eq!(env.count("SELECT count(*) FROM villages"), 2);
    let rows = env.audit("village", V_SHILONG);
    assert_eq!(rows.last().expect("audit row")[2], "delete");
}

#[test]
fn village_show_counts_its_households() {
    let env = county();
    env.household("H1", V_LONGYAN, 1, "2016");
    env.household("H2", V_LONGYAN, 2, "2016");
    env.ok(&["household", "update", "H2", "--members", "6"]);
    env.ok(&["household", "lift", "H1", "--on", "2019"]);
    let shown = env.json(&["--lang", "zh", "village", "show", V_LONGYAN]);
    assert_eq!(shown["name"], "龙岩村");
    assert_eq!(shown["poor_village"], true);
    assert_eq!(shown["population"], 1200);
    assert_eq!(shown["households"]["households_registered"], 2);
    assert_eq!(shown["households"]["poor_households_remaining"], 1);
    assert_eq!(shown["households"]["poor_people_remaining"], 6);
    let table = env.ok(&["village", "show", V_LONGYAN, "--as-of", "2018-06-30"]);
    assert!(table.contains("Households as of 2018-06-30"), "{table}");
    assert!(table.contains("poor people"), "{table}");
    let zh = env.ok(&["--lang", "zh", "village", "show", V_LONGYAN]);
    assert!(
        zh.contains("贫困人口（人）") && zh.contains("是否贫困村"),
        "{zh}"
    );
    // As of a past date: before H1 was lifted; before anyone was registered.
    let then = env.json(&["village", "show", V_LONGYAN, "--as-of", "2018"]);
    assert_eq!(
        then["households"],
        serde_json::json!({
            "as_of": "2018-12-31",
            "households_registered": 2,
            "poor_households_remaining": 2,
            "poor_people_remaining": 3 + 6,
            // The first names, kept for this release.
            "registered": 2,
            "poor": 2,
            "poor_people": 3 + 6,
        })
    );
    let before = env.json(&["village", "show", V_LONGYAN, "--as-of", "2015"]);
    assert_eq!(before["households"]["households_registered"], 0);
    let err = env.refused(&["village", "show", V_LONGYAN, "--as-of", "2018-02-30"], 1);
    assert!(err.contains("--as-of: no such day"), "{err}");
}

#[test]
fn update_on_a_village_keeps_its_rules() {
    let env = county();
    env.ok(&[
        "village",
        "update",
        V_SHILONG,
        "--population",
        "800",
        "--kind",
        "village",
    ]);
    assert_eq!(
        env.sql(&format!(
            "SELECT population, kind FROM villages WHERE code = '{V_SHILONG}'"
        )),
        [["800", "village"]]
    );
    let err = env.refused(&["village", "update", V_LONGYAN, "--poor-village", "否"], 1);
    assert!(
        err.contains("--registered-on: only a poor village has this date"),
        "{err}"
    );
    env.ok(&[
        "village",
        "update",
        V_LONGYAN,
        "--poor-village",
        "否",
        "--registered-on",
        "",
    ]);
    assert_eq!(
        env.sql(&format!(
            "SELECT poor_village, ifnull(registered_on, 'NULL') FROM villages WHERE code = '{V_LONGYAN}'"
        )),
        [["0", "NULL"]]
    );
}

#[test]
fn lists_say_so_when_empty_and_keep_a_header_for_scripts() {
    let env = TestEnv::new();
    let (out, err) = env.both(&["village", "list"]);
    assert_eq!(out, "");
    assert!(err.contains("no villages match"), "{err}");
    assert_eq!(env.json(&["village", "list"]), serde_json::json!([]));
    let csv = env.csv(&["village", "list"]);
    assert_eq!(csv.len(), 1);
    assert_eq!(csv[0][0], "code");
}

/// A flag is `true` or `false` in every JSON output: lists, shows and the
/// old and new values of the audit trail (stored as 0 and 1).
#[test]
fn flags_are_booleans_in_json() {
    let env = county();
    env.ok(&[
        "village",
        "update",
        V_SHILONG,
        "--poor-village",
        "是",
        "--registered-on",
        "2016",
    ]);
    let log = env.json(&["log", "--entity", "village", "--key", V_SHILONG]);
    let last = &log[log.as_array().map_or(0, |a| a.len()) - 1];
    assert_eq!(last["old"]["poor_village"], false, "{last}");
    assert_eq!(last["new"]["poor_village"], true, "{last}");
    let shown = env.json(&["village", "show", V_SHILONG]);
    assert_eq!(shown["poor_village"], true);
    let listed = env.json(&["village", "list"]);
    assert!(
        listed
            .as_array()
            .expect("array")
            .iter()
            .all(|v| v["poor_village"].is_boolean()),
        "{listed}"
    );
}
