//! Monitoring against a return to poverty (防返贫动态监测): the monitored
//! household, its rules, its ledger in the national layout, and the monthly
//! report computed by hand from a handful of records.

use crate::common::TestEnv;
use crate::county::{self, id};

/// The small county of `county` with its three households: H1 (新村 of
/// 钟山镇, 3 people), H2 (新村, 1) and H3 (新村 of 回龙镇, 5).
fn ready() -> TestEnv {
    let env = TestEnv::new();
    county::places(&env);
    env.write("households.csv", county::households());
    env.ok(&["import", "households.csv", "--quiet"]);
    env
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out.trim()).expect("json")
}

const G1_ID: &str = "45112219700303004";

/// Four records: H1 identified 2022-03 and eliminated 2022-06 (assisted),
/// H3 identified 2022-01 and still monitored, G1 (an ordinary household of
/// 龙岩社区, 4 people) identified 2021-11 and eliminated 2022-03 (natural),
/// and H1 again from 2022-08.
fn monitored() -> TestEnv {
    let env = ready();
    for args in [
        vec![
            "--code",
            "H1",
            "--identified-on",
            "202203",
            "--category",
            "edge",
            "--risk1",
            "因病",
        ],
        vec![
            "--code",
            "H3",
            "--identified-on",
            "202201",
            "--category",
            "脱贫不稳定户",
            "--risk1",
            "accident",
            "--measures",
            "就业帮扶、产业帮扶",
        ],
        vec![
            "--code",
            "G1",
            "--identified-on",
            "2021年11月",
            "--category",
            "sudden_hardship",
            "--risk1",
            "因意外事故",
            "--village",
            "451122100202",
            "--head-name",
            "陈七",
            "--id-number",
            &id(G1_ID),
            "--members",
            "4",
        ],
    ] {
        let mut full = vec!["monitor", "add"];
        full.extend(args.iter().map(|s| &**s));
        env.ok(&full);
    }
    env.ok(&[
        "monitor",
        "eliminate",
        "G1",
        "--on",
        "202203",
        "--by",
        "自然消除",
    ]);
    env.ok(&[
        "monitor",
        "eliminate",
        "H1",
        "--on",
        "2022-06",
        "--by",
        "assisted",
    ]);
    env.ok(&[
        "monitor",
        "add",
        "--code",
        "H1",
        "--identified-on",
        "202208",
        "--category",
        "edge",
        "--risk1",
        "unsafe_housing",
    ]);
    env
}

fn report(env: &TestEnv, as_of: &str, by: &str) -> serde_json::Value {
    json(&env.ok(&[
        "report",
        "monitoring",
        "--as-of",
        as_of,
        "--by",
        by,
        "--format",
        "json",
    ]))
}

/// The figures of a group or the totals, in the order of the JSON.
fn figures(g: &serde_json::Value) -> Vec<i64> {
    let c = &g["by_category"];
    [
        &g["households_monitored"],
        &g["people_monitored"],
        &c["unstable_lifted"]["households"],
        &c["unstable_lifted"]["people"],
        &c["edge"]["households"],
        &c["edge"]["people"],
        &c["sudden_hardship"]["households"],
        &c["sudden_hardship"]["people"],
        &g["new_this_month"],
        &g["eliminated_this_month"]["assisted"],
        &g["eliminated_this_month"]["natural"],
        &g["eliminated_this_year"],
        &g["over_six_months"],
    ]
    .iter()
    .map(|v| v.as_i64().expect("a count"))
    .collect()
}

#[test]
fn a_registered_household_lends_its_village_head_id_and_members() {
    let env = monitored();
    let rows = env.sql(
        "SELECT code, identified_on, village, head_name, members, household_type, category,
                risk1, ifnull(elimination, ''), ifnull(eliminated_on, ''), ifnull(measures, '')
           FROM monitoring ORDER BY code, identified_on",
    );
    assert_eq!(
        rows,
        [
            [
                "G1",
                "2021-11-30",
                "451122100202",
                "陈七",
                "4",
                "ordinary",
                "sudden_hardship",
                "accident",
                "natural",
                "2022-03-31",
                ""
            ],
            [
                "H1",
                "2022-03-31",
                "451122100201",
                "欧阳娜娜",
                "3",
                "lifted",
                "edge",
                "illness",
                "assisted",
                "2022-06-30",
                ""
            ],
            [
                "H1",
                "2022-08-31",
                "451122100201",
                "欧阳娜娜",
                "3",
                "lifted",
                "edge",
                "unsafe_housing",
                "",
                "",
                ""
            ],
            [
                "H3",
                "2022-01-31",
                "451122101201",
                "赵六",
                "5",
                "lifted",
                "unstable_lifted",
                "accident",
                "",
                "",
                "employment;industry"
            ],
        ]
    );
    // Lists mask the ID; --show-id shows it.
    let list = env.ok(&["monitor", "list", "--household", "G1", "--wide"]);
    assert!(list.contains("451122********"), "{list}");
    assert!(!list.contains(&id(G1_ID)), "{list}");
    let shown = env.ok(&["monitor", "show", "G1", "--show-id"]);
    assert!(shown.contains(&id(G1_ID)), "{shown}");
    // show: the open record, and the history of both.
    let show = json(&env.ok(&["monitor", "show", "H1", "--format", "json"]));
    assert_eq!(show["identified_on"], "2022-08-31");
    assert_eq!(show["history"].as_array().map(Vec::len), Some(2));
    let open = env.ok(&[
        "monitor",
        "list",
        "--open",
        "--as-of",
        "2022-12-31",
        "--format",
        "csv",
    ]);
    assert_eq!(open.lines().count(), 3, "{open}");
}

#[test]
fn the_rules_refuse_and_leave_the_file_unchanged() {
    let env = monitored();
    let before = env.snapshot();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        // Values differing from the registered household, both named.
        (
            vec![
                "monitor",
                "add",
                "--code",
                "H2",
                "--identified-on",
                "202205",
                "--category",
                "edge",
                "--risk1",
                "因病",
                "--head-name",
                "王二",
            ],
            "is 王二 here but O'Brien in registered household H2",
        ),
        // An ordinary household carries its own.
        (
            vec![
                "monitor",
                "add",
                "--code",
                "G2",
                "--identified-on",
                "202205",
                "--category",
                "edge",
                "--risk1",
                "因病",
            ],
            "--village: is required for a household that is not registered",
        ),
        // Never twice at once.
        (
            vec![
                "monitor",
                "add",
                "--code",
                "H3",
                "--identified-on",
                "202205",
                "--category",
                "edge",
                "--risk1",
                "因病",
            ],
            "household H3 is already monitored then (since 2022-01-31, not eliminated)",
        ),
        // Inside an earlier, eliminated span.
        (
            vec![
                "monitor",
                "add",
                "--code",
                "H1",
                "--identified-on",
                "202204",
                "--category",
                "edge",
                "--risk1",
                "因病",
            ],
            "household H1 is already monitored then (2022-03-31 – 2022-06-30)",
        ),
        // Elimination before identification.
        (
            vec![
                "monitor",
                "eliminate",
                "H3",
                "--on",
                "202112",
                "--by",
                "natural",
            ],
            "--eliminated-on: is before identified_on 2022-01-31",
        ),
        // A date without its method, and a method without its date.
        (
            vec!["monitor", "update", "H3", "--eliminated-on", "202206"],
            "--elimination: an elimination date needs its method",
        ),
        (
            vec!["monitor", "update", "H3", "--elimination", "assisted"],
            "--eliminated-on: an elimination method needs its date",
        ),
        // Risks in order, each once.
        (
            vec!["monitor", "update", "H3", "--risk3", "因学"],
            "--risk3: is given but risk2 is empty",
        ),
        (
            vec!["monitor", "update", "H3", "--risk2", "因意外事故"],
            "--risk2: names a risk already given",
        ),
        (
            vec!["monitor", "update", "H3", "--measures", "产业帮扶、修路"],
            "修路 is not one of the allowed values",
        ),
        // Eliminating a household not under monitoring.
        (
            vec![
                "monitor",
                "eliminate",
                "G1",
                "--on",
                "202206",
                "--by",
                "natural",
            ],
            "household G1 is not under monitoring: its risks were eliminated on 2022-03-31",
        ),
        (
            vec![
                "monitor",
                "eliminate",
                "H9",
                "--on",
                "202206",
                "--by",
                "natural",
            ],
            "household H9 is not monitored",
        ),
        (
            vec![
                "monitor",
                "eliminate",
                "H3",
                "--on",
                "202206",
                "--by",
                "gone",
            ],
            "--by: gone is not one of assisted, natural",
        ),
    ];
    for (args, message) in cases {
        let err = env.fails(&args, 1);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(env.snapshot() == before, "{args:?} changed the file");
    }
    // A usage error is 2.
    env.fails(&["monitor", "eliminate", "H3", "--on", "202206"], 2);
}

#[test]
fn changes_are_audited_and_undone() {
    let env = monitored();
    env.ok(&[
        "monitor",
        "eliminate",
        "H3",
        "--on",
        "202209",
        "--by",
        "assisted",
    ]);
    let log = json(&env.ok(&["log", "--entity", "monitor", "--format", "json"]));
    let last = log
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .expect("rows");
    assert_eq!(last["command"], "monitor eliminate");
    assert_eq!(last["key"], "H3/2022-01-31");
    env.ok(&["undo"]);
    assert_eq!(
        env.sql("SELECT ifnull(eliminated_on, '-') FROM monitoring WHERE code = 'H3'"),
        [["-"]]
    );
    env.ok(&["monitor", "remove", "H3"]);
    assert_eq!(
        env.count("SELECT count(*) FROM monitoring WHERE code = 'H3'"),
        0
    );
    env.ok(&["undo"]);
    assert_eq!(
        env.count("SELECT count(*) FROM monitoring WHERE code = 'H3'"),
        1
    );
    // A village with monitored households is not removed from under them.
    let err = env.fails(&["village", "remove", "451122100202"], 1);
    assert!(err.contains("monitor"), "{err}");
}

#[test]
fn a_corrected_household_is_corrected_in_its_monitoring_records() {
    let env = monitored();
    let members = |env: &TestEnv| {
        env.sql(
            "SELECT members, head_name FROM monitoring WHERE code = 'H1' ORDER BY identified_on",
        )
    };
    env.ok(&["household", "update", "H1", "--members", "4"]);
    assert_eq!(members(&env), [["4", "欧阳娜娜"], ["4", "欧阳娜娜"]]);
    // The report counts the people the household has now.
    let r = report(&env, "2022-08", "county");
    assert_eq!(r["totals"]["people_monitored"], 9, "{r}");
    // The correction and what followed from it are one change: undone together.
    env.ok(&["undo"]);
    assert_eq!(members(&env), [["3", "欧阳娜娜"], ["3", "欧阳娜娜"]]);
    assert_eq!(
        env.sql("SELECT members FROM households WHERE code = 'H1'"),
        [["3"]]
    );
    // A monitored household is not removed from under its records.
    let before = env.sql("SELECT count(*) FROM households");
    let err = env.fails(&["household", "remove", "H3"], 1);
    assert!(err.contains("monitoring record"), "{err}");
    let err = env.fails(&["--lang", "zh", "household", "remove", "H3"], 1);
    assert!(err.contains("监测记录"), "{err}");
    assert_eq!(env.sql("SELECT count(*) FROM households"), before);
}

#[test]
fn the_report_by_county_either_side_of_identification_and_elimination() {
    let env = monitored();
    // Feb: H3 (5, unstable) and G1 (4, sudden) monitored; nothing this month.
    let feb = report(&env, "2022-02", "county");
    assert_eq!(feb["as_of"], "2022-02-28");
    assert_eq!(
        figures(&feb["totals"]),
        [2, 9, 1, 5, 0, 0, 1, 4, 0, 0, 0, 0, 0]
    );
    assert_eq!(feb["totals"]["elimination_rate_percent"], 0.0);
    assert_eq!(feb["totals"]["eliminated_to_date"], 0);
    // Mar: H1 identified, G1 eliminated (natural).
    let mar = report(&env, "2022-03", "county");
    assert_eq!(
        figures(&mar["totals"]),
        [2, 8, 1, 5, 1, 3, 0, 0, 1, 0, 1, 1, 0]
    );
    assert_eq!(mar["totals"]["elimination_rate_percent"], 33.33);
    // The rate is worked out from the printed columns: 1 ÷ (2 + 1).
    assert_eq!(mar["totals"]["eliminated_to_date"], 1);
    assert_eq!(figures(&mar["groups"][0]), figures(&mar["totals"]));
    assert_eq!(mar["groups"][0]["key"], "451122");
    assert_eq!(
        mar["groups"][0]["code"], "451122",
        "the old name, kept for a release"
    );
    // Jun: H1 eliminated (assisted).
    let jun = report(&env, "2022-06", "county");
    assert_eq!(
        figures(&jun["totals"]),
        [1, 5, 1, 5, 0, 0, 0, 0, 0, 1, 0, 2, 0]
    );
    assert_eq!(jun["totals"]["elimination_rate_percent"], 66.67);
    assert_eq!(jun["totals"]["eliminated_to_date"], 2);
    // Jul: nothing in the month; H3 six months under monitoring on the 31st.
    let jul = report(&env, "2022-07", "county");
    assert_eq!(
        figures(&jul["totals"]),
        [1, 5, 1, 5, 0, 0, 0, 0, 0, 0, 0, 2, 1]
    );
    // Aug: H1 monitored again.
    let aug = report(&env, "2022-08", "county");
    assert_eq!(
        figures(&aug["totals"]),
        [2, 8, 1, 5, 1, 3, 0, 0, 1, 0, 0, 2, 1]
    );
    assert_eq!(aug["totals"]["elimination_rate_percent"], 50.0);
    assert_eq!(aug["totals"]["eliminated_to_date"], 2);
    // A new year starts its count afresh.
    let jan = report(&env, "2023-01", "county");
    assert_eq!(jan["totals"]["eliminated_this_year"], 0);
    assert_eq!(
        jan["totals"]["eliminated_to_date"], 2,
        "to date counts every year"
    );
}

#[test]
fn the_six_month_flag_on_its_boundary() {
    let env = monitored();
    // H3 identified 2022-01 (its last day): six months later is 2022-07-31.
    assert_eq!(
        report(&env, "2022-07-30", "county")["totals"]["over_six_months"],
        0
    );
    assert_eq!(
        report(&env, "2022-07-31", "county")["totals"]["over_six_months"],
        1
    );
    // Eliminated, it is no longer asked about.
    env.ok(&[
        "monitor",
        "eliminate",
        "H3",
        "--on",
        "2022-07-31",
        "--by",
        "assisted",
    ]);
    assert_eq!(
        report(&env, "2022-07-31", "county")["totals"]["over_six_months"],
        0
    );
}

#[test]
fn the_report_by_town_and_by_village() {
    let env = monitored();
    let towns = report(&env, "2022-03", "town");
    let groups = towns["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["key"], "451122100");
    assert_eq!(groups[0]["name"], "钟山镇");
    assert_eq!(figures(&groups[0]), [1, 3, 0, 0, 1, 3, 0, 0, 1, 0, 1, 1, 0]);
    assert_eq!(groups[0]["elimination_rate_percent"], 50.0);
    assert_eq!(figures(&groups[1]), [1, 5, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(groups[1]["elimination_rate_percent"], 0.0);
    let villages = report(&env, "2022-03", "village");
    let groups = villages["groups"].as_array().expect("groups");
    let codes: Vec<&str> = groups.iter().filter_map(|g| g["key"].as_str()).collect();
    assert_eq!(codes, ["451122100201", "451122100202", "451122101201"]);
    assert_eq!(figures(&groups[0]), [1, 3, 0, 0, 1, 3, 0, 0, 1, 0, 0, 0, 0]);
    assert_eq!(figures(&groups[1]), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]);
    assert_eq!(groups[1]["elimination_rate_percent"], 100.0);
    assert_eq!(figures(&groups[2]), [1, 5, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        figures(&villages["totals"]),
        [2, 8, 1, 5, 1, 3, 0, 0, 1, 0, 1, 1, 0]
    );
    // Zone is no grouping of this report.
    env.fails(&["report", "monitoring", "--by", "zone"], 1);
}

/// The JSON is written group by group from the report's rows: every group
/// in village order, its key and name first, then its figures, which add up
/// to the totals.
#[test]
fn the_json_by_village_is_written_group_by_group() {
    let env = monitored();
    let text = env.ok(&[
        "report",
        "monitoring",
        "--as-of",
        "2022-03",
        "--by",
        "village",
        "--format",
        "json",
    ]);
    assert!(
        text.starts_with("{\n  \"as_of\": \"2022-03-31\",\n  \"by\": \"village\",\n  \"groups\": [\n    {\n      \"key\": \"451122100201\",\n"),
        "{text}"
    );
    let report = json(&text);
    let groups = report["groups"].as_array().expect("groups");
    assert_eq!(
        groups.len() as i64,
        env.count("SELECT count(*) FROM villages")
    );
    for g in groups {
        let keys: Vec<&String> = g.as_object().expect("a group").keys().take(5).collect();
        assert_eq!(
            keys,
            [
                "key",
                "name",
                "town",
                "town_name",
                "households_returned_since_2021"
            ],
            "{g}"
        );
        // The first names, kept for this release.
        assert_eq!(g["code"], g["key"]);
        assert_eq!(g["monitored_households"], g["households_monitored"]);
        assert_eq!(g["monitored_people"], g["people_monitored"]);
    }
    let mut sum = vec![0; 13];
    for g in groups {
        for (s, f) in sum.iter_mut().zip(figures(g)) {
            *s += f;
        }
    }
    assert_eq!(sum, figures(&report["totals"]));
}

/// A household monitored again after an elimination has two records: the
/// list counts records, and the households and people they are of, each
/// household once with the members of its latest record.
#[test]
fn the_list_counts_records_and_the_households_they_are_of() {
    let env = monitored();
    let zh = env.ok(&["--lang", "zh", "monitor", "list"]);
    assert!(zh.ends_with("共 4 条，3 户 12 人\n"), "{zh}");
    let en = env.ok(&["monitor", "list"]);
    assert!(en.ends_with("4 records: 3 households, 12 people\n"), "{en}");
    let cut = env.ok(&["--lang", "zh", "monitor", "list", "--limit", "2"]);
    assert!(
        cut.ends_with("显示 2 条，共 4 条（3 户 12 人）（--limit）\n"),
        "{cut}"
    );
    let cut = env.ok(&["monitor", "list", "--limit", "2"]);
    assert!(
        cut.ends_with("showing 2 of 4 records (3 households, 12 people) (--limit)\n"),
        "{cut}"
    );
}

#[test]
fn the_printed_form_in_every_format() {
    let env = monitored();
    let table = env.ok(&[
        "--lang",
        "zh",
        "report",
        "monitoring",
        "--as-of",
        "2022-03",
        "--by",
        "village",
    ]);
    for text in [
        "钟山县防止返贫动态监测情况表",
        "填报单位：钟山县扶贫开发领导小组办公室",
        "截止时间：2022年3月31日",
        "乡镇小计",
        "合计",
        "监测",
        "单位负责人",
    ] {
        assert!(table.contains(text), "{text}: {table}");
    }
    let csv = env.ok(&[
        "--lang",
        "zh",
        "report",
        "monitoring",
        "--as-of",
        "2022-03",
        "--by",
        "town",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("监测对象户数（户）"), "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("451122100,钟山镇,0,1,3,0,0,1,3,0,0,1,0,1,1,1,0,50.00")),
        "{csv}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(",合计,0,2,8,1,5,1,3,0,0,1,0,1,1,1,0,33.33")),
        "{csv}"
    );
    let html = env.ok(&[
        "--lang",
        "zh",
        "report",
        "monitoring",
        "--as-of",
        "2022-03",
        "--format",
        "html",
    ]);
    assert!(
        html.contains("钟山县防止返贫动态监测情况表") && html.contains("@page"),
        "html"
    );
    let md = env.ok(&[
        "report",
        "monitoring",
        "--as-of",
        "2022-03",
        "--format",
        "markdown",
    ]);
    assert!(
        md.contains("Monitoring Against a Return to Poverty"),
        "{md}"
    );
    env.ok(&[
        "report",
        "monitoring",
        "--as-of",
        "2022-03",
        "--format",
        "xlsx",
        "-o",
        "m.xlsx",
    ]);
    let book = std::fs::read(env.path("m.xlsx")).expect("workbook");
    assert_eq!(&book[..2], b"PK");
    // The default: the end of the last full month.
    let default = report_default(&env);
    let as_of = default["as_of"].as_str().expect("date").to_string();
    let today = chrono::Local::now().date_naive();
    assert!(as_of < today.format("%Y-%m-01").to_string(), "{as_of}");
}

fn report_default(env: &TestEnv) -> serde_json::Value {
    json(&env.ok(&["report", "monitoring", "--format", "json"]))
}

/// A township's monitoring ledger as Excel saves it: GBK, a title row,
/// 序号, months as 202203, villages by name told apart by 乡镇, a 合计 row.
fn ledger(g1_members: &str) -> Vec<u8> {
    let text = format!(
        "钟山县防返贫动态监测对象台账,,,,,,,,,,,,,,,\r\n\
         序号,乡镇,行政村,户编号,户主姓名,证件号码,人数,户类型,监测对象类别,致贫/返贫风险1,致贫/返贫风险2,识别监测时间,风险是否已消除,风险消除方式,消除监测时间,帮扶措施\r\n\
         1,钟山镇,新村,H1,,,,脱贫户,边缘易致贫户,因病,因学,202203,是,帮扶消除,202206,产业帮扶、就业帮扶\r\n\
         2,钟山镇,龙岩社区,G1,陈七,{},{g1_members},一般农户,突发严重困难户,因意外事故,,202111,否,,,健康帮扶\r\n\
         3,回龙镇,新村,H3,赵六,,5,脱贫户,脱贫不稳定户,因务工就业不稳,,202201,否,,,\r\n\
         合计,,,,,,12,,,,,,,,,\r\n",
        id(G1_ID)
    );
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    bytes.into_owned()
}

#[test]
fn a_gbk_ledger_with_a_title_row_and_months_imports() {
    let env = ready();
    env.write("监测对象.csv", ledger("4"));
    let out = json(&env.ok(&["import", "监测对象.csv", "--format", "json"]));
    assert_eq!(out["inserted"], 3, "{out}");
    assert_eq!(
        out["skipped"],
        serde_json::json!([{"line": 1, "why": "title"}, {"line": 6, "why": "total row"}])
    );
    let rows = env.sql(
        "SELECT code, identified_on, village, head_name, members, category, risk1, ifnull(risk2, ''),
                ifnull(eliminated_on, ''), ifnull(elimination, ''), ifnull(measures, '')
           FROM monitoring ORDER BY code",
    );
    assert_eq!(
        rows,
        [
            [
                "G1",
                "2021-11-30",
                "451122100202",
                "陈七",
                "4",
                "sudden_hardship",
                "accident",
                "",
                "",
                "",
                "health"
            ],
            [
                "H1",
                "2022-03-31",
                "451122100201",
                "欧阳娜娜",
                "3",
                "edge",
                "illness",
                "schooling",
                "2022-06-30",
                "assisted",
                "industry;employment"
            ],
            [
                "H3",
                "2022-01-31",
                "451122101201",
                "赵六",
                "5",
                "unstable_lifted",
                "unstable_work",
                "",
                "",
                "",
                ""
            ],
        ]
    );
    // Again: nothing changes.
    let again = json(&env.ok(&["import", "监测对象.csv", "--format", "json"]));
    assert_eq!(again["unchanged"], 3, "{again}");
}

#[test]
fn a_ledger_that_contradicts_the_register_is_refused_whole() {
    let env = ready();
    let before = env.snapshot();
    let bad = String::from_utf8(
        encoding_rs::GBK
            .decode(&ledger("4"))
            .0
            .replace(",赵六,,5,", ",赵六,,6,")
            .into_bytes(),
    )
    .expect("utf-8");
    env.write("监测对象.csv", &*encoding_rs::GBK.encode(&bad).0);
    let err = env.fails(&["import", "监测对象.csv"], 1);
    assert!(
        err.contains("监测对象.csv:5: members: is 6 here but 5 in registered household H3"),
        "{err}"
    );
    assert!(
        env.snapshot() == before,
        "a refused import changed the file"
    );
    // A status word contradicting the date.
    let bad = String::from_utf8(
        encoding_rs::GBK
            .decode(&ledger("4"))
            .0
            .replace("202203,是,帮扶消除,202206", "202203,否,帮扶消除,202206")
            .into_bytes(),
    )
    .expect("utf-8");
    env.write("监测对象.csv", &*encoding_rs::GBK.encode(&bad).0);
    let err = env.fails(&["import", "监测对象.csv"], 1);
    assert!(
        err.contains("says not eliminated (否) but the elimination date is 2022-06-30"),
        "{err}"
    );
    assert!(env.snapshot() == before);
}

#[test]
fn export_import_export_gives_the_same_bytes() {
    let env = monitored();
    for lang in ["en", "zh"] {
        let first = env.ok(&["--lang", lang, "export", "monitoring"]);
        let other = ready();
        other.write("monitoring.csv", &first);
        other.ok(&["import", "monitoring.csv", "--quiet"]);
        let second = other.ok(&["--lang", lang, "export", "monitoring"]);
        assert_eq!(first, second, "{lang}");
        assert_eq!(first.lines().count(), 5, "{first}");
    }
    let zh = env.ok(&["--lang", "zh", "export", "monitoring"]);
    assert!(
        zh.starts_with("户编号,行政村,户主姓名,证件号码,人数,户类型,监测对象类别"),
        "{zh}"
    );
    assert!(
        zh.contains("致贫/返贫风险1") && zh.contains("消除监测时间") && zh.contains("帮扶措施"),
        "{zh}"
    );
}

/// Monitoring months after this one are refused like other dates to come,
/// on the command line and in a file, unless `--allow-future`; this month
/// (stored as its last day, after today) is not yet to come.
#[test]
fn months_to_come_are_refused_without_allow_future() {
    let env = monitored();
    let before = env.snapshot();
    let add = |on: &str| {
        vec![
            "monitor",
            "add",
            "--code",
            "H2",
            "--identified-on",
            on,
            "--category",
            "edge",
            "--risk1",
            "因病",
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>()
    };
    let args = add("209901");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = env.fails(&args, 1);
    assert!(
        err.contains("--identified-on: is after today") && err.contains("--allow-future"),
        "{err}"
    );
    let eliminate = [
        "monitor",
        "eliminate",
        "H3",
        "--on",
        "2099-06",
        "--by",
        "assisted",
    ];
    let err = env.fails(&eliminate, 1);
    assert!(err.contains("--on: is after today"), "{err}");
    env.write(
        "monitoring.csv",
        "code,category,risk1,identified_on\nH2,边缘易致贫户,因病,209901\n",
    );
    let err = env.fails(&["import", "monitoring", "monitoring.csv"], 1);
    assert!(
        err.contains("monitoring.csv:2: identified_on: is after today"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
    let this_month = chrono::Local::now().format("%Y%m").to_string();
    let args = add(&this_month);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    env.ok(&[&eliminate[..], &["--allow-future"]].concat());
}
