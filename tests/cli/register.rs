//! The register as it changes: returns to poverty, removals, natural
//! decreases, through commands and through files, and what the reports
//! count on either side of each date.

use serde_json::Value as Json;

use crate::common::TestEnv;
use crate::county::{self, id};

/// H1 (3 people, registered 2014-03-05, lifted 2016-12-31), H2 (1, 2015-12-31,
/// never lifted), H3 (5, 2019-12-31, lifted 2020-11-30).
fn ready() -> TestEnv {
    let env = TestEnv::new();
    county::places(&env);
    env.write("households.csv", county::households());
    env.ok(&["import", "households.csv", "--quiet"]);
    env
}

fn totals(env: &TestEnv, as_of: &str) -> Json {
    let out = env.ok(&[
        "report",
        "double-clear",
        "--as-of",
        as_of,
        "--format",
        "json",
    ]);
    let v: Json = serde_json::from_str(&out).expect("json");
    v["totals"].clone()
}

/// The figures that change with the steps, in one line to compare:
/// registered households/people, remaining households/people, and this
/// year's lifted, returned, removed and left households.
fn figures(env: &TestEnv, as_of: &str) -> [i64; 8] {
    let t = totals(env, as_of);
    let n = |k: &str| t[k].as_i64().unwrap_or(-1);
    [
        n("households_registered"),
        n("people_registered"),
        n("poor_households_remaining"),
        n("poor_people_remaining"),
        n("households_lifted_this_year"),
        n("households_returned_this_year"),
        n("households_removed_this_year"),
        n("households_left_this_year"),
    ]
}

/// Runs a command that must succeed; its message (on stderr).
fn said(env: &TestEnv, args: &[&str]) -> String {
    let out = env.run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn said_zh(env: &TestEnv, args: &[&str]) -> String {
    let mut all = vec!["--lang", "zh"];
    all.extend_from_slice(args);
    said(env, &all)
}

/// The three histories: H1 returns and is lifted again, H2 is removed as
/// wrongly identified, H3 dies out.
fn record_histories(env: &TestEnv) {
    let said = said(
        env,
        &[
            "household",
            "return",
            "H1",
            "--on",
            "2017-06-30",
            "--cause",
            "因病",
        ],
    );
    assert_eq!(said, "household H1 returned to poverty on 2017-06-30\n");
    let said = said_zh(env, &["household", "lift", "H1", "--on", "2019年11月30日"]);
    assert_eq!(said, "贫困户 H1 已于 2019-11-30 再次脱贫\n");
    env.ok(&[
        "household",
        "deregister",
        "H2",
        "--on",
        "2018-03-31",
        "--reason",
        "识别不精准",
    ]);
    env.ok(&[
        "household",
        "remove-from-register",
        "H3",
        "--on",
        "2020-12-15",
        "--reason",
        "died",
    ]);
}

#[test]
fn each_step_counts_from_its_day_in_the_double_clear_report() {
    let env = ready();
    record_histories(&env);
    // [registered hh, people, remaining hh, people, lifted, returned, removed, left]
    let cases: [(&str, [i64; 8]); 10] = [
        ("2017-06-29", [2, 4, 1, 1, 0, 0, 0, 0]),
        ("2017-06-30", [2, 4, 2, 4, 0, 1, 0, 0]),
        ("2018-03-30", [2, 4, 2, 4, 0, 0, 0, 0]),
        ("2018-03-31", [1, 3, 1, 3, 0, 0, 1, 0]),
        ("2019-11-29", [1, 3, 1, 3, 0, 0, 0, 0]),
        ("2019-11-30", [1, 3, 0, 0, 1, 0, 0, 0]),
        ("2019-12-31", [2, 8, 1, 5, 1, 0, 0, 0]),
        ("2020-12-14", [2, 8, 0, 0, 1, 0, 0, 0]),
        ("2020-12-15", [1, 3, 0, 0, 1, 0, 0, 1]),
        ("2021-06-30", [1, 3, 0, 0, 0, 0, 0, 0]),
    ];
    for (date, want) in cases {
        assert_eq!(figures(&env, date), want, "as of {date}");
    }
    let t = totals(&env, "2017-12-31");
    assert_eq!(t["people_returned_this_year"], 3);
    let t = totals(&env, "2020-12-31");
    assert_eq!(t["people_left_this_year"], 5);
    assert_eq!(t["households_off_register_this_year"], 1);

    // By village, the same steps land in their own villages.
    let out = env.ok(&[
        "report",
        "double-clear",
        "--as-of",
        "2018-03-31",
        "--by",
        "village",
        "--format",
        "json",
    ]);
    let v: Json = serde_json::from_str(&out).expect("json");
    let xincun = v["groups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["key"] == "451122100201"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(xincun["households_removed_this_year"], 1);
    assert_eq!(xincun["poor_households_remaining"], 1);

    // Lists ask the same question.
    let poor = env.ok(&[
        "household",
        "list",
        "--poor",
        "--as-of",
        "2018-01-01",
        "--format",
        "csv",
    ]);
    let codes: Vec<&str> = poor
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(codes, ["H1", "H2"]);
    let all = env.ok(&[
        "household",
        "list",
        "--as-of",
        "2021-01-01",
        "--format",
        "csv",
    ]);
    assert!(all.contains("\nH2,") && all.contains(",removed\n"), "{all}");
    assert!(all.contains(",left the register\n"), "{all}");
}

#[test]
fn every_step_is_undone_and_corrected_like_other_records() {
    let env = ready();
    record_histories(&env);
    assert_eq!(env.count("SELECT count(*) FROM household_events"), 4);
    let shown = env.ok(&["household", "show", "H1"]);
    assert!(
        shown.contains("Changes on the register after registration (2014-03-05) and first lift (2016-12-31); lifted today"),
        "{shown}"
    );
    assert!(
        shown.contains("returned") && shown.contains("illness"),
        "{shown}"
    );

    // A correction of the return's date moves the figures with it.
    let id = env.sql("SELECT id FROM household_events WHERE event = 'returned'")[0][0].clone();
    env.ok(&["event", "update", &id, "--date", "2017-07-31"]);
    assert_eq!(figures(&env, "2017-06-30")[2], 1);
    assert_eq!(figures(&env, "2017-07-31")[2], 2);

    // Undone one by one, newest first: the correction, the death, the
    // removal, the second lift, the return.
    env.ok(&["undo"]);
    assert_eq!(figures(&env, "2017-06-30")[2], 2);
    assert_eq!(figures(&env, "2020-12-31")[0], 1);
    env.ok(&["undo"]);
    assert_eq!(figures(&env, "2020-12-31")[0], 2);
    env.ok(&["undo"]);
    assert_eq!(figures(&env, "2020-12-31")[0], 3);
    env.ok(&["undo"]);
    assert_eq!(figures(&env, "2020-12-31")[2], 2, "H1 poor again, and H2");
    env.ok(&["undo"]);
    assert_eq!(env.count("SELECT count(*) FROM household_events"), 0);
    assert_eq!(figures(&env, "2020-12-31")[2], 1);
    assert_eq!(env.count("SELECT count(*) FROM households"), 3);
}

#[test]
fn steps_that_cannot_follow_are_refused_and_change_nothing() {
    let env = ready();
    record_histories(&env);
    let before = env.snapshot();
    // H2 was never lifted: it cannot return.
    let err = env.fails(&["household", "return", "H1", "--on", "2016-06-30"], 1);
    assert!(
        err.contains("household H1: a return to poverty on 2016-06-30 cannot follow its status then (poor): only a lifted household can return to poverty"),
        "{err}"
    );
    let err = env.fails(
        &[
            "--lang",
            "zh",
            "household",
            "return",
            "H1",
            "--on",
            "2016-06-30",
        ],
        1,
    );
    assert!(
        err.contains(
            "贫困户 H1：2016-06-30 的返贫与该户当时的状态（贫困）不符：只有已脱贫户才能返贫"
        ),
        "{err}"
    );
    // Nothing follows a removal.
    let err = env.fails(&["household", "return", "H2", "--on", "2019-01-01"], 1);
    assert!(err.contains("(removed)"), "{err}");
    // A bad reason names the allowed ones.
    let err = env.fails(
        &[
            "household",
            "deregister",
            "H1",
            "--on",
            "2021-01-01",
            "--reason",
            "gone",
        ],
        1,
    );
    assert!(
        err.contains("--reason: gone is not one of wrong_identification, cleared, died, moved_out, merged, other"),
        "{err}"
    );
    // Removing the return would leave the second lift with nothing to follow.
    let id = env.sql("SELECT id FROM household_events WHERE event = 'returned'")[0][0].clone();
    let err = env.fails(&["event", "remove", &id], 1);
    assert!(err.contains("it was lifted already"), "{err}");
    // A household's first lift cannot be moved past its return.
    let err = env.fails(
        &["household", "update", "H1", "--lifted-on", "2018-01-01"],
        1,
    );
    assert!(err.contains("household H1:"), "{err}");
    // The same step again is not an error, and changes nothing.
    let out = said(&env, &["household", "return", "H1", "--on", "2017-06-30"]);
    assert!(out.contains("nothing changed"), "{out}");
    assert!(before == env.snapshot());
}

/// The register's export as the national system writes it: status words
/// and the dates and reasons of their own columns.
fn register_file() -> String {
    format!(
        "\
户编号,行政村,户主姓名,证件号码,人数,识别时间,脱贫时间,脱贫属性,返贫时间,返贫原因,减少时间,减少原因
H1,451122100201,欧阳娜娜,{},3,2014-03-05,2016-12-31,返贫,2017-06-30,因病,,
H2,451122100201,O'Brien,{},1,2015-12-31,,剔除,,,2018-03-31,识别不精准
H3,451122101201,赵六,{},5,2019-12-31,2020-11-30,自然减少,,,2020-12-15,死亡
",
        id("45112219800101123"),
        id("45112219750505002"),
        id("45112219900909456"),
    )
}

#[test]
fn a_register_file_with_status_words_loads_the_histories_in_utf8_and_gbk() {
    for gbk in [false, true] {
        let env = TestEnv::new();
        county::places(&env);
        let text = register_file();
        if gbk {
            let (bytes, _, _) = encoding_rs::GBK.encode(&text);
            env.write("贫困户.csv", bytes.as_ref());
        } else {
            env.write("贫困户.csv", &text);
        }
        let out = env.ok(&["import", "贫困户.csv", "--format", "json"]);
        let v: Json = serde_json::from_str(&out).expect("json");
        assert_eq!(v["inserted"], 3, "{out}");
        assert_eq!(
            v["events"],
            serde_json::json!({"inserted": 3, "updated": 0, "unchanged": 0}),
            "{out}"
        );
        assert_eq!(
            env.sql("SELECT household, event, date, ifnull(cause, ''), ifnull(reason, '') FROM household_events ORDER BY household"),
            [
                ["H1", "returned", "2017-06-30", "illness", ""],
                ["H2", "removed", "2018-03-31", "", "wrong_identification"],
                ["H3", "left", "2020-12-15", "", "died"],
            ],
            "gbk: {gbk}"
        );
        assert_eq!(figures(&env, "2018-03-31"), [1, 3, 1, 3, 0, 0, 1, 0]);
        assert_eq!(figures(&env, "2020-12-15"), [1, 3, 1, 3, 1, 0, 0, 1]);

        // The same file again changes nothing.
        let before = env.snapshot();
        let out = env.ok(&["import", "贫困户.csv", "--format", "json"]);
        let v: Json = serde_json::from_str(&out).expect("json");
        assert_eq!(v["unchanged"], 3, "{out}");
        assert_eq!(v["events"]["unchanged"], 3, "{out}");
        assert!(before == env.snapshot(), "gbk: {gbk}");
    }
}

#[test]
fn a_status_word_without_its_date_is_refused_naming_the_column_and_the_option() {
    let env = TestEnv::new();
    county::places(&env);
    let text = register_file().replace("返贫,2017-06-30,因病", "返贫,,因病");
    env.write("贫困户.csv", &text);
    let before = env.snapshot();
    let err = env.fails(&["import", "贫困户.csv"], 1);
    assert!(
        err.contains(
            "贫困户.csv:2: lifted: says returned to poverty (返贫) but no returned_on is given"
        ),
        "{err}"
    );
    assert!(
        err.contains("give the date or year in a 返贫时间 (returned_on) column, or for the whole file with --returned-on DATE"),
        "{err}"
    );
    assert!(before == env.snapshot());
    let err = env.fails(&["--lang", "zh", "import", "贫困户.csv"], 1);
    assert!(err.contains("标为返贫，但没有返贫时间"), "{err}");
    // The file-wide date stands in for it.
    env.ok(&["import", "贫困户.csv", "--returned-on", "2017年6月30日"]);
    assert_eq!(
        env.sql("SELECT date FROM household_events WHERE household = 'H1'"),
        [["2017-06-30"]]
    );
}

#[test]
fn a_history_that_cannot_be_is_refused_whole() {
    let env = TestEnv::new();
    county::places(&env);
    // Every row is well formed, but H1 returns before it was lifted.
    let text = register_file().replace("返贫,2017-06-30,因病", "返贫,2015-01-01,因病");
    env.write("贫困户.csv", &text);
    let before = env.snapshot();
    let err = env.fails(&["import", "贫困户.csv"], 1);
    assert!(
        err.contains(
            "household H1: a return to poverty on 2015-01-01 cannot follow its status then (poor)"
        ),
        "{err}"
    );
    assert!(before == env.snapshot());
    assert_eq!(env.count("SELECT count(*) FROM households"), 0);
}

#[test]
fn a_household_with_three_steps_round_trips_byte_for_byte() {
    let env = ready();
    record_histories(&env);
    env.ok(&["event", "update", "1", "--note", "大病住院"]);
    env.ok(&["export", "--all", "out"]);
    let copy = TestEnv::new();
    copy.ok(&[
        "import",
        env.path("out").to_str().expect("utf-8"),
        "--quiet",
    ]);
    copy.ok(&["export", "--all", "again"]);
    for name in ["households.csv", "household_events.csv"] {
        let a = std::fs::read(env.path("out").join(name)).expect("first export");
        let b = std::fs::read(copy.path("again").join(name)).expect("second export");
        assert_eq!(
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b),
            "{name}"
        );
    }
    let events =
        std::fs::read_to_string(env.path("out").join("household_events.csv")).expect("events");
    assert_eq!(
        events,
        "household,event,date,cause,reason,note\n\
         H1,returned,2017-06-30,illness,,大病住院\n\
         H1,lifted,2019-11-30,,,\n\
         H2,removed,2018-03-31,,wrong_identification,\n\
         H3,left,2020-12-15,,died,\n"
    );
    // Imported again into the same file: nothing changes, and nothing is
    // audited. (The file's bytes may differ: the empty tables' indexes are
    // rebuilt by a load into them.)
    let audit = copy.count("SELECT count(*) FROM audit");
    let out = copy.ok(&[
        "import",
        env.path("out").to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let v: Json = serde_json::from_str(&out).expect("json");
    let events = v["files"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["entity"] == "event"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(events["unchanged"], 4, "{out}");
    assert_eq!(copy.count("SELECT count(*) FROM audit"), audit);
}

/// H1's three people: the head, a son born after the registration, and the
/// head's father, who dies.
fn with_people(env: &TestEnv) {
    env.ok(&[
        "person",
        "add",
        "--household",
        "H1",
        "--name",
        "欧阳娜娜",
        "--id-number",
        &id("45112219800101123"),
        "--relation",
        "户主",
    ]);
    env.ok(&[
        "person",
        "add",
        "--household",
        "H1",
        "--name",
        "欧阳小明",
        "--id-number",
        &id("45112220150601005"),
        "--relation",
        "之子",
        "--joined-on",
        "2015-06-01",
        "--joined-reason",
        "出生",
    ]);
    env.ok(&[
        "person",
        "add",
        "--household",
        "H1",
        "--name",
        "欧阳老",
        "--id-number",
        &id("45112219450101007"),
        "--relation",
        "父亲",
    ]);
}

#[test]
fn a_person_who_left_is_kept_and_listed_apart() {
    let env = ready();
    with_people(&env);
    let father = env.sql("SELECT code FROM people WHERE name = '欧阳老'")[0][0].clone();
    // A date without its reason is refused, naming the flag to give.
    let err = env.fails(&["person", "update", &father, "--left-on", "2020-05-01"], 1);
    assert!(
        err.contains("--left-reason: is needed with left_on 2020-05-01; give it (--left-reason, or its column)"),
        "{err}"
    );
    // Not before the person was born.
    let err = env.fails(
        &[
            "person",
            "update",
            &father,
            "--left-on",
            "1940-05-01",
            "--left-reason",
            "死亡",
        ],
        1,
    );
    assert!(
        err.contains("--left-on: is before birth_on 1945-01-01 (1940-05-01)"),
        "{err}"
    );
    env.ok(&[
        "person",
        "update",
        &father,
        "--left-on",
        "2020年5月1日",
        "--left-reason",
        "死亡",
    ]);
    assert_eq!(
        env.count("SELECT count(*) FROM people WHERE household = 'H1'"),
        3
    );

    let shown = env.ok(&["household", "show", "H1"]);
    assert!(shown.contains("People (2)"), "{shown}");
    assert!(
        shown.contains("People who left the household (1)"),
        "{shown}"
    );
    assert!(
        shown.contains("2020-05-01") && shown.contains("died"),
        "{shown}"
    );
    let shown = env.ok(&["--lang", "zh", "household", "show", "H1"]);
    assert!(
        shown.contains("已减员的家庭成员（1 人）") && shown.contains("死亡"),
        "{shown}"
    );

    // 人数 3 still counts the father: check says so, and what to do.
    let out = env.run(&["check"]);
    let found = String::from_utf8_lossy(&out.stdout);
    assert!(
        found.contains("household H1: 3 members recorded, but 1 of them died; set members to 2 with fupin household update H1 --members 2"),
        "{found}"
    );
    // Members are today's count whatever the date asked: an earlier date
    // is counted from them and the people who came and went since.
    let out = env.run(&["check", "--as-of", "2020-04-30"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("household H1: 3 members recorded"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    env.ok(&["household", "update", "H1", "--members", "2"]);
    for as_of in ["2020-04-30", "2026-01-01"] {
        let out = env.run(&["check", "--as-of", as_of]);
        assert!(!String::from_utf8_lossy(&out.stdout).contains("household H1:"));
    }
}

/// A household's members on a date follow its people: the son born on
/// 2015-06-01 is not counted before, the father who died on 2020-05-01 is
/// counted until then; in the double-clear report and the progress report
/// alike.
#[test]
fn members_on_a_date_follow_the_people_who_joined_and_left() {
    let env = ready();
    with_people(&env);
    let father = env.sql("SELECT code FROM people WHERE name = '欧阳老'")[0][0].clone();
    env.ok(&[
        "person",
        "update",
        &father,
        "--left-on",
        "2020-05-01",
        "--left-reason",
        "死亡",
    ]);
    env.ok(&["household", "update", "H1", "--members", "2"]);
    let people = |as_of: &str| {
        let t = totals(&env, as_of);
        [
            t["people_registered"].as_i64().unwrap_or(-1),
            t["poor_people_remaining"].as_i64().unwrap_or(-1),
            t["people_lifted_this_year"].as_i64().unwrap_or(-1),
        ]
    };
    // H1 alone (H2 from 2015-12-31, H3 from 2019-12-31).
    assert_eq!(people("2015-05-31"), [2, 2, 0]);
    assert_eq!(people("2015-06-01"), [3, 3, 0]);
    assert_eq!(people("2015-12-31"), [4, 4, 0]);
    // Lifted with its three.
    assert_eq!(people("2016-12-31"), [4, 1, 3]);
    assert_eq!(people("2020-04-30"), [9, 6, 0]);
    assert_eq!(people("2020-05-01"), [8, 6, 0]);

    let out = env.ok(&[
        "report",
        "progress",
        "--from",
        "2014-01-01",
        "--to",
        "2020-12-31",
        "--step",
        "year",
        "--format",
        "json",
    ]);
    let v: Json = serde_json::from_str(&out).expect("json");
    let periods = v["series"][0]["periods"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let got: Vec<(i64, i64, i64)> = periods
        .iter()
        .map(|p| {
            (
                p["people_registered"].as_i64().unwrap_or(-1),
                p["people_lifted"].as_i64().unwrap_or(-1),
                p["poor_people_remaining"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (2, 0, 2),
            (4, 0, 4),
            (4, 3, 1),
            (4, 0, 1),
            (4, 0, 1),
            (9, 0, 6),
            (8, 5, 1),
        ],
        "{out}"
    );
    // The year's figures are the double-clear report's on 31 December.
    for (k, year) in (2014..=2020).enumerate() {
        let t = totals(&env, &format!("{year}-12-31"));
        assert_eq!(
            (
                t["people_registered"].as_i64().unwrap_or(-1),
                t["people_lifted_this_year"].as_i64().unwrap_or(-1),
                t["poor_people_remaining"].as_i64().unwrap_or(-1)
            ),
            got[k],
            "{year}"
        );
    }
}

/// The figure the leadership reads first after 2020: households that
/// returned to poverty since 2021, in the monitoring report.
#[test]
fn the_monitoring_report_counts_returns_since_2021() {
    let env = ready();
    // A return in 2017 is the campaign's, not the monitoring years'.
    env.ok(&["household", "return", "H1", "--on", "2017-06-30"]);
    env.ok(&["household", "lift", "H1", "--on", "2019-11-30"]);
    env.ok(&[
        "household",
        "return",
        "H1",
        "--on",
        "2022-03-15",
        "--cause",
        "因意外事故",
    ]);
    env.ok(&["household", "return", "H3", "--on", "2021-08-01"]);
    let month = |as_of: &str| -> (Json, Json) {
        let out = env.ok(&["report", "monitoring", "--as-of", as_of, "--format", "json"]);
        let v: Json = serde_json::from_str(&out).expect("json");
        let t = &v["totals"];
        (
            t["households_returned_since_2021"].clone(),
            t["people_returned_since_2021"].clone(),
        )
    };
    assert_eq!(month("2021-07-31"), (0.into(), 0.into()));
    assert_eq!(month("2021-08-31"), (1.into(), 5.into()));
    assert_eq!(month("2022-03-31"), (2.into(), 8.into()));
    let csv = env.ok(&[
        "--lang",
        "zh",
        "report",
        "monitoring",
        "--as-of",
        "2022-03-31",
        "--format",
        "csv",
    ]);
    assert!(csv.starts_with("代码,乡镇,2021年以来返贫（户）,"), "{csv}");
    assert!(csv.contains("\n,合计,2,"), "{csv}");
}
