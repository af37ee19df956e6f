//! `cadre` (add, list, show, update, remove, promote) and `post`.

use crate::fixtures::{V_LONGYAN, V_SHILONG, county, parse};

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn task(env: &crate::common::TestEnv) {
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
        "--listed-on",
        "2020-03-01",
    ]);
}

#[test]
fn cadre_add_list_filters_and_update() {
    let env = county();
    env.ok(&[
        "cadre",
        "add",
        "--code",
        "GB3",
        "--name",
        "王五",
        "--gender",
        "male",
        "--unit",
        "县扶贫办",
        "--level",
        "村级",
    ]);
    assert_eq!(
        env.sql("SELECT code, name, gender, unit, level FROM cadres WHERE code = 'GB3'"),
        [["GB3", "王五", "male", "县扶贫办", "village"]]
    );
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["cadre", "list"];
        all.extend(args);
        env.csv(&all)
            .into_iter()
            .skip(1)
            .map(|r| r[0].clone())
            .collect()
    };
    assert_eq!(codes(&[]), ["GB1", "GB2", "GB3"]);
    assert_eq!(codes(&["--level", "县级"]), ["GB1"]);
    assert_eq!(codes(&["--level", "village"]), ["GB3"]);
    assert_eq!(codes(&["--unit", "扶贫"]), ["GB3"]);
    assert_eq!(codes(&["--name", "李"]), ["GB2"]);
    env.ok(&[
        "cadre",
        "update",
        "GB3",
        "--unit",
        "",
        "--phone",
        "0774-8981234",
    ]);
    assert_eq!(
        env.sql("SELECT ifnull(unit, 'NULL'), phone FROM cadres WHERE code = 'GB3'"),
        [["NULL", "0774-8981234"]]
    );
    // A cadre's phone is a work number: listed whole, unlike a household's.
    let listed = env.json(&["cadre", "list", "--name", "王五"]);
    assert_eq!(listed[0]["phone"], "0774-8981234");
    let err = env.refused(
        &[
            "cadre", "add", "--code", "GB9", "--name", "x", "--gender", "x",
        ],
        1,
    );
    assert!(
        err.contains("--gender: not one of the allowed values"),
        "{err}"
    );
    let err = env.refused(
        &[
            "cadre", "add", "--code", "GB9", "--name", "x", "--phone", "abc",
        ],
        1,
    );
    assert!(err.contains("--phone: not a phone number"), "{err}");
}

#[test]
fn cadre_remove_names_what_refers_to_the_cadre() {
    let env = county();
    let err = env.refused(&["cadre", "remove", "GB1"], 1);
    assert!(err.contains("cadre GB1 has 1 zone (as commander)"), "{err}");
    env.ok(&["cadre", "add", "--code", "GB3", "--name", "王五"]);
    env.ok(&["cadre", "remove", "GB3"]);
    assert_eq!(
        env.count("SELECT count(*) FROM cadres WHERE code = 'GB3'"),
        0
    );
}

#[test]
fn promote_records_a_promotion_once_and_show_lists_it() {
    let env = county();
    env.ok(&[
        "cadre",
        "promote",
        "李四",
        "--on",
        "2021年1月5日",
        "--post",
        "回龙镇副镇长",
    ]);
    assert_eq!(
        env.sql("SELECT cadre, promoted_on, post FROM promotions"),
        [["GB2", "2021-01-05", "回龙镇副镇长"]]
    );
    let err = env.refused(
        &[
            "cadre",
            "promote",
            "GB2",
            "--on",
            "2021-01-05",
            "--post",
            "x",
        ],
        1,
    );
    assert!(
        err.contains("promotion GB2/2021-01-05 is already recorded"),
        "{err}"
    );
    let err = env.refused(
        &["cadre", "promote", "GB404", "--on", "2021", "--post", "x"],
        1,
    );
    assert!(err.contains("no cadre with code or name GB404"), "{err}");
    let err = env.refused(
        &["cadre", "promote", "GB2", "--on", "2021", "--post", ""],
        1,
    );
    assert!(err.contains("--post: is required"), "{err}");
    let shown = env.json(&["--lang", "zh", "cadre", "show", "GB2"]);
    assert_eq!(shown["gender"], "female");
    assert_eq!(shown["promotions"][0]["post"], "回龙镇副镇长");
    assert_eq!(shown["posts"], serde_json::json!([]));
    let table = env.ok(&["--lang", "zh", "cadre", "show", "GB2"]);
    assert!(table.contains("提拔") && table.contains("女"), "{table}");
    let audit = env.audit("promotion", "GB2/2021-01-05");
    assert_eq!(audit[0][1], "cadre promote");
}

#[test]
fn post_add_places_a_post_at_one_place() {
    let env = county();
    task(&env);
    env.ok(&[
        "post",
        "add",
        "--cadre",
        "李四",
        "--role",
        "第一书记",
        "--village",
        "龙岩村",
        "--town",
        "钟山镇",
        "--started-on",
        "2018-03-01",
    ]);
    env.ok(&[
        "post",
        "add",
        "--cadre",
        "GB1",
        "--role",
        "突击队员",
        "--task",
        "XJ01",
        "--started-on",
        "2020-03-01",
    ]);
    env.ok(&[
        "post",
        "add",
        "--cadre",
        "GB1",
        "--role",
        "info_officer",
        "--town",
        "回龙镇",
        "--started-on",
        "2019",
    ]);
    // The town given with a village only placed the village.
    assert_eq!(
        env.sql(
            "SELECT cadre, role, ifnull(town, '-'), ifnull(village, '-'), ifnull(task, '-'), started_on
               FROM posts ORDER BY id"
        ),
        [
            ["GB2", "first_secretary", "-", V_LONGYAN, "-", "2018-03-01"],
            ["GB1", "commando", "-", "-", "XJ01", "2020-03-01"],
            ["GB1", "info_officer", "451122101", "-", "-", "2019-12-31"],
        ]
    );
    let err = env.refused(
        &[
            "post",
            "add",
            "--cadre",
            "GB2",
            "--role",
            "team_member",
            "--started-on",
            "2019",
        ],
        1,
    );
    assert!(err.contains("a post is held at exactly one place"), "{err}");
    let err = env.refused(
        &[
            "post",
            "add",
            "--cadre",
            "GB2",
            "--role",
            "team_member",
            "--village",
            V_LONGYAN,
            "--task",
            "XJ01",
            "--started-on",
            "2019",
        ],
        1,
    );
    assert!(err.contains("a post is held at exactly one place"), "{err}");
    let err = env.refused(
        &[
            "post",
            "add",
            "--cadre",
            "GB2",
            "--role",
            "commando",
            "--village",
            V_LONGYAN,
            "--started-on",
            "2019",
        ],
        1,
    );
    assert!(err.contains("commando posts, and only they"), "{err}");
    let err = env.refused(
        &[
            "post",
            "add",
            "--cadre",
            "GB2",
            "--role",
            "team_member",
            "--village",
            V_LONGYAN,
            "--town",
            "回龙镇",
            "--started-on",
            "2019",
        ],
        1,
    );
    assert!(err.contains("is not in town 451122101"), "{err}");
    let err = env.refused(
        &[
            "post",
            "add",
            "--cadre",
            "GB2",
            "--role",
            "队长",
            "--village",
            V_LONGYAN,
            "--started-on",
            "2019",
            "--ended-on",
            "2018",
        ],
        1,
    );
    assert!(err.contains("--ended-on: is before started_on"), "{err}");
}

#[test]
fn post_add_refuses_the_same_post_twice_at_once() {
    let env = county();
    let add = |started: &str| -> Vec<String> {
        [
            "post",
            "add",
            "--cadre",
            "GB2",
            "--role",
            "第一书记",
            "--village",
            V_LONGYAN,
            "--started-on",
            started,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    env.ok(&args(&add("2018-03-01")));
    let err = env.refused(&args(&add("2018-03-01")), 1);
    assert!(err.contains("is already recorded"), "{err}");
    let err = env.refused(&args(&add("2019-03-01")), 1);
    assert!(
        err.contains("--started-on: the cadre already holds this post here (since 2018-03-01)"),
        "{err}"
    );
    env.ok(&[
        "post",
        "end",
        "--cadre",
        "GB2",
        "--role",
        "first_secretary",
        "--village",
        V_LONGYAN,
        "--on",
        "2019-02-28",
    ]);
    // After the first ended, the same post may start again.
    env.ok(&args(&add("2019-03-01")));
    assert_eq!(env.count("SELECT count(*) FROM posts"), 2);
}

#[test]
fn post_end_and_active_lists_as_of_a_date() {
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
    env.ok(&[
        "post",
        "add",
        "--cadre",
        "GB1",
        "--role",
        "team_member",
        "--village",
        V_SHILONG,
        "--started-on",
        "2019-01-01",
    ]);
    let err = env.refused(
        &[
            "post",
            "end",
            "--cadre",
            "GB2",
            "--role",
            "第一书记",
            "--village",
            V_LONGYAN,
            "--on",
            "2017-01-01",
        ],
        1,
    );
    assert!(
        err.contains("--on: the post started on 2018-03-01; it cannot end before that"),
        "{err}"
    );
    let (_, msg) = env.both(&[
        "post",
        "end",
        "--cadre",
        "李四",
        "--role",
        "第一书记",
        "--village",
        "龙岩村",
        "--town",
        "钟山镇",
        "--on",
        "2021-03-31",
    ]);
    assert!(msg.contains("ended on 2021-03-31"), "{msg}");
    assert_eq!(
        env.sql("SELECT ended_on FROM posts WHERE cadre = 'GB2'"),
        [["2021-03-31"]]
    );
    let err = env.refused(
        &[
            "post",
            "end",
            "--cadre",
            "GB2",
            "--role",
            "第一书记",
            "--village",
            V_LONGYAN,
            "--on",
            "2021-04-30",
        ],
        1,
    );
    assert!(err.contains("no such open post"), "{err}");
    // Named by its start date, an ended post can have its end corrected.
    let end_again = |on: &str| {
        env.both(&[
            "post",
            "end",
            "--cadre",
            "GB2",
            "--role",
            "first_secretary",
            "--village",
            V_LONGYAN,
            "--started-on",
            "2018-03-01",
            "--on",
            on,
        ])
        .1
    };
    let before = env.snapshot();
    assert!(end_again("2021-03-31").contains("already ended on 2021-03-31"));
    assert!(before == env.snapshot());
    assert!(end_again("2021-03-30").contains("end date corrected from 2021-03-31 to 2021-03-30"));
    env.ok(&[
        "post",
        "end",
        "--cadre",
        "GB2",
        "--role",
        "first_secretary",
        "--village",
        V_LONGYAN,
        "--started-on",
        "2018-03-01",
        "--on",
        "2021-03-31",
    ]);
    let active = |as_of: &str| -> Vec<String> {
        env.json(&["post", "list", "--active", "--as-of", as_of])
            .as_array()
            .expect("array")
            .iter()
            .map(|r| r["cadre"].as_str().expect("cadre").to_string())
            .collect()
    };
    assert_eq!(active("2018-12-31"), ["GB2"]);
    assert_eq!(active("2021-03-31"), ["GB1", "GB2"]);
    assert_eq!(active("2021-04-01"), ["GB1"]);
    let all = env.json(&["post", "list", "--town", "钟山镇"]);
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    let mine = env.json(&["post", "list", "--cadre", "张三", "--role", "工作队员"]);
    assert_eq!(mine[0]["village"], V_SHILONG);
    let audit = env.audit(
        "post",
        &format!("GB2/first_secretary/{V_LONGYAN}/2018-03-01"),
    );
    assert_eq!(audit.len(), 4, "{audit:?}");
    assert_eq!(audit[1][1], "post end");
    assert_eq!(
        parse(&audit[1][4]),
        serde_json::json!({"ended_on": "2021-03-31"})
    );
}
