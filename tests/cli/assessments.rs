//! A household's year (一超过、两不愁、三保障): through commands, through the
//! national export that repeats it on every person's row (UTF-8 and GBK),
//! refused when its rows disagree, and exported back byte for byte.

use serde_json::Value as Json;

use crate::common::TestEnv;
use crate::county::{self, id};

const HEAD: &str = "45112219700101001";
const SPOUSE: &str = "45112219720202002";
const OTHER: &str = "45112219650505005";

fn ready() -> TestEnv {
    let env = TestEnv::new();
    county::places(&env);
    env
}

fn json(out: &str) -> Json {
    serde_json::from_str(out).expect("json")
}

/// The person-level export of 2020 with its year's columns on every row.
fn export_2020() -> String {
    format!(
        "乡(镇),行政村,户编号,人编号,姓名,证件号码,人数,与户主关系,是否参加新农合,残疾证号,健康状况,脱贫属性,识别时间,脱贫时间,人均纯收入,工资性收入,危房户,是否解决安全饮用水,是否通生活用电,统计时间\n\
         钟山镇,新村,H1,H101,张伟,{head},2,户主,是,,健康,已脱贫,2015,2019,\"6,012.50\",20000,否,是,是,2020-12-31\n\
         钟山镇,新村,H1,H102,李芳,{spouse},2,配偶,否,{spouse}42,残疾,已脱贫,2015,2019,\"6,012.50\",20000,否,是,是,2020-12-31\n\
         钟山镇,新村,H2,H201,王五,{other},1,户主,是,,健康,未脱贫,2016,,3500,,是,是,是,2020-12-31\n",
        head = id(HEAD),
        spouse = id(SPOUSE),
        other = id(OTHER),
    )
}

fn years(env: &TestEnv) -> Vec<Vec<String>> {
    env.sql(
        "SELECT household, year, income, wage_income, dilapidated, safe_water, electricity
           FROM assessments ORDER BY household",
    )
}

#[test]
fn the_national_export_loads_households_people_and_their_year() {
    let env = ready();
    env.write("名单.csv", export_2020());
    let out = json(&env.ok(&["import", "名单.csv", "--format", "json"]));
    let households = &out["files"][0];
    assert_eq!(households["entity"], "household");
    assert_eq!(households["inserted"], 2);
    assert_eq!(
        households["assessments"],
        serde_json::json!({"inserted": 2, "updated": 0, "unchanged": 0})
    );
    assert_eq!(
        years(&env),
        [
            ["H1", "2020", "601250", "2000000", "0", "1", "1"],
            ["H2", "2020", "350000", "", "1", "1", "1"],
        ]
    );
    assert_eq!(
        env.sql("SELECT code, medical_insurance, disability_certificate FROM people ORDER BY code"),
        [
            vec!["H101".to_string(), "1".into(), String::new()],
            vec!["H102".into(), "0".into(), format!("{}42", id(SPOUSE))],
            vec!["H201".into(), "1".into(), String::new()],
        ]
    );
    // The same file again changes nothing.
    let audit = env.count("SELECT count(*) FROM audit");
    let out = json(&env.ok(&["import", "名单.csv", "--format", "json"]));
    assert_eq!(out["files"][0]["assessments"]["unchanged"], 2);
    assert_eq!(env.count("SELECT count(*) FROM audit"), audit);
    // And the list shows the amount in yuan.
    let list = json(&env.ok(&["assessment", "list", "--format", "json"]));
    assert_eq!(list[0]["income"], 6012.5);
    assert_eq!(list[0]["dilapidated"], false);
    // The rules read it: H2 lives in a dilapidated house but is not lifted.
    let check = env.run(&[
        "check", "--rule", "A03,A07", "--year", "2020", "--format", "json",
    ]);
    let v: Json = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(v["rules"][0]["count"], 0, "{v}");
    assert_eq!(v["rules"][1]["count"], 1, "{v}");
    assert_eq!(v["rules"][1]["rows"][0]["person"], "H102");
}

#[test]
fn the_export_in_gbk_loads_the_same() {
    let env = ready();
    let text = export_2020();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    env.write("名单.csv", &gbk);
    env.ok(&["import", "名单.csv"]);
    assert_eq!(
        years(&env)[0],
        ["H1", "2020", "601250", "2000000", "0", "1", "1"]
    );
}

#[test]
fn a_households_rows_that_disagree_on_its_year_are_refused_by_their_lines() {
    let env = ready();
    let before = env.snapshot();
    env.write(
        "名单.csv",
        export_2020()
            .replacen("\"6,012.50\"", "5800", 2)
            .replacen("5800", "\"6,012.50\"", 1),
    );
    let err = env.fails(&["import", "名单.csv"], 1);
    assert!(
        err.contains("名单.csv:3: income: 5800 here but 6012.5 on line 2 of the same household H1"),
        "{err}"
    );
    assert!(env.snapshot() == before, "nothing written");
    let err = env.fails(&["--lang", "zh", "import", "名单.csv"], 1);
    assert!(
        err.contains("人均纯收入：本行为 5800，同户第 2 行为 6012.5"),
        "{err}"
    );
    // A value that is no amount names its line and column.
    env.write("名单.csv", export_2020().replace("3500", "三千五"));
    let err = env.fails(&["import", "名单.csv"], 1);
    assert!(
        err.contains("名单.csv:4: income: not an amount of money (三千五)"),
        "{err}"
    );
    assert!(env.snapshot() == before, "nothing written");
}

#[test]
fn a_file_without_its_year_loads_and_says_how_to_keep_it() {
    let env = ready();
    let text = export_2020()
        .replace(",统计时间\n", "\n")
        .replace(",2020-12-31\n", "\n");
    env.write("名单.csv", &text);
    let out = json(&env.ok(&["import", "名单.csv", "--format", "json"]));
    let file = &out["files"][0];
    assert!(file["assessments"].is_null(), "{file}");
    assert!(file["not_kept"].to_string().contains("人均纯收入"));
    assert!(file["warnings"].to_string().contains("--year"), "{file}");
    assert_eq!(env.count("SELECT count(*) FROM assessments"), 0);
    env.ok(&["import", "名单.csv", "--year", "2020年"]);
    assert_eq!(
        env.count("SELECT count(*) FROM assessments WHERE year = 2020"),
        2
    );
}

#[test]
fn the_clerk_records_corrects_and_undoes_a_year() {
    let env = ready();
    env.write("名单.csv", export_2020());
    env.ok(&["import", "名单.csv", "--quiet"]);
    env.ok(&[
        "assessment",
        "add",
        "--household",
        "H1",
        "--year",
        "2019年",
        "--income",
        "4523.5",
        "--food-secure",
        "是",
        "--housing-grade",
        "B",
    ]);
    assert_eq!(
        env.sql("SELECT income, food_secure, housing_grade FROM assessments WHERE year = 2019"),
        [["452350", "1", "b"]]
    );
    let id = env.sql("SELECT id FROM assessments WHERE year = 2019")[0][0].clone();
    env.ok(&["assessment", "update", &id, "--income", "4600"]);
    assert_eq!(
        env.count("SELECT income FROM assessments WHERE year = 2019"),
        460_000
    );
    env.ok(&["undo"]);
    assert_eq!(
        env.count("SELECT income FROM assessments WHERE year = 2019"),
        452_350
    );
    env.ok(&["assessment", "remove", &id]);
    assert_eq!(
        env.count("SELECT count(*) FROM assessments WHERE year = 2019"),
        0
    );
    env.ok(&["undo"]);
    assert_eq!(
        env.count("SELECT count(*) FROM assessments WHERE year = 2019"),
        1
    );
    let before = env.snapshot();
    for (flag, value, says) in [
        ("--income", "4523.505", "more than two decimals"),
        ("--income", "abc", "not an amount of money"),
        ("--housing-grade", "E", "not one of the allowed values"),
    ] {
        let err = env.fails(
            &[
                "assessment",
                "add",
                "--household",
                "H2",
                "--year",
                "2019",
                flag,
                value,
            ],
            1,
        );
        assert!(
            err.contains(flag) && err.contains(says),
            "{flag} {value}: {err}"
        );
    }
    let err = env.fails(
        &["assessment", "add", "--household", "H2", "--year", "1999"],
        1,
    );
    assert!(err.contains("--year") && err.contains("2013"), "{err}");
    let err = env.fails(
        &[
            "assessment",
            "add",
            "--household",
            "H1",
            "--year",
            "2019",
            "--income",
            "1",
        ],
        1,
    );
    assert!(err.contains("already"), "{err}");
    assert!(env.snapshot() == before);
}

#[test]
fn assessments_export_and_import_back_byte_for_byte() {
    let env = ready();
    env.write("名单.csv", export_2020());
    env.ok(&["import", "名单.csv", "--quiet"]);
    env.ok(&[
        "assessment",
        "add",
        "--household",
        "H1",
        "--year",
        "2019",
        "--income",
        "-12.05",
        "--note",
        "经营亏损",
    ]);
    env.ok(&["export", "assessments", "-o", "a.csv"]);
    env.ok(&["export", "people", "-o", "p.csv"]);
    let (a, p) = (
        std::fs::read(env.path("a.csv")).unwrap(),
        std::fs::read(env.path("p.csv")).unwrap(),
    );
    assert!(String::from_utf8_lossy(&a).contains("H1,2019,-12.05,"));
    let copy = TestEnv::new();
    county::places(&copy);
    std::fs::copy(env.path("名单.csv"), copy.path("名单.csv")).unwrap();
    copy.ok(&["import", "名单.csv", "--quiet"]);
    std::fs::copy(env.path("a.csv"), copy.path("a.csv")).unwrap();
    std::fs::copy(env.path("p.csv"), copy.path("p.csv")).unwrap();
    copy.ok(&["import", "people", "p.csv", "--quiet"]);
    copy.ok(&["import", "assessments", "a.csv", "--quiet"]);
    copy.ok(&["export", "assessments", "-o", "a2.csv"]);
    copy.ok(&["export", "people", "-o", "p2.csv"]);
    assert_eq!(std::fs::read(copy.path("a2.csv")).unwrap(), a);
    assert_eq!(std::fs::read(copy.path("p2.csv")).unwrap(), p);
}
