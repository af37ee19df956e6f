//! The bundled example county: what README's main command runs. Its figures
//! are Zhongshan County's published ones, so the reports must print them.

use serde_json::Value;

use crate::common::{TestEnv, example_dir};

fn imported() -> TestEnv {
    let env = TestEnv::new();
    let dir = example_dir().to_string_lossy().to_string();
    let out = env.ok(&["import", &dir, "--format", "json", "--quiet"]);
    let summary: Value = serde_json::from_str(&out).expect("json summary");
    assert_eq!(summary["rejected"], 0, "{summary}");
    assert_eq!(summary["files"].as_array().map(Vec::len), Some(14));
    env
}

fn json(env: &TestEnv, args: &[&str]) -> Value {
    serde_json::from_str(&env.ok(args)).expect("json report")
}

#[test]
fn the_example_county_reports_the_published_figures() {
    let env = imported();

    // The totals of the raw records, counted independently of the reports.
    assert_eq!(env.count("SELECT count(*) FROM villages"), 116);
    assert_eq!(env.count("SELECT sum(members) FROM households"), 59_123);
    // One person per member, a head per household, and nothing `check`
    // finds among them.
    assert_eq!(env.count("SELECT count(*) FROM people"), 59_123);
    assert_eq!(
        env.count("SELECT count(*) FROM people WHERE relation = 'head'"),
        15_490
    );
    env.ok(&["check"]);
    assert_eq!(
        env.count("SELECT count(*) FROM promotions WHERE promoted_on LIKE '2020-%'"),
        10
    );
    // A few histories of the register's changes, none of which leaves a
    // household poor at the end of 2019 or 2020.
    assert_eq!(
        env.sql("SELECT event, count(*) FROM household_events GROUP BY event ORDER BY event"),
        [
            ["left", "7"],
            ["lifted", "9"],
            ["removed", "10"],
            ["returned", "9"]
        ]
    );

    let end_2019 = json(
        &env,
        &[
            "report",
            "double-clear",
            "--as-of",
            "2019-12-31",
            "--by",
            "county",
            "--format",
            "json",
        ],
    );
    let totals = &end_2019["totals"];
    assert_eq!(totals["villages"], 116);
    assert_eq!(totals["poor_villages_registered"], 42);
    assert_eq!(totals["poor_villages_remaining"], 4);
    assert_eq!(totals["poor_households_remaining"], 948);
    assert_eq!(totals["poor_people_remaining"], 3394);
    assert_eq!(totals["incidence_percent"], 0.86);
    assert_eq!(end_2019["double_clear"], false);
    // 2019's removals (回头看) and deaths.
    assert_eq!(totals["households_removed_this_year"], 10);
    assert_eq!(totals["households_left_this_year"], 7);

    // The same report with the date written as a clerk writes it.
    let end_2020 = json(
        &env,
        &[
            "report",
            "double-clear",
            "--as-of",
            "2020年12月31日",
            "--format",
            "json",
        ],
    );
    assert_eq!(end_2020["totals"]["poor_households_remaining"], 0);
    assert_eq!(end_2020["totals"]["poor_villages_remaining"], 0);
    assert_eq!(end_2020["totals"]["people_lifted_this_year"], 3394);
    assert_eq!(end_2020["double_clear"], true);
    let groups = end_2020["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 12, "one row per town");
    assert!(groups.iter().all(|g| g["double_clear"] == true));

    let teams = json(
        &env,
        &[
            "report",
            "teams",
            "--as-of",
            "2020-12-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(teams["totals"]["work_team_members"], 301);
    assert_eq!(teams["totals"]["info_officers"], 101);
    assert_eq!(teams["totals"]["yijiantiao"], 109);

    // Every listed task is in the last block of 2020, county-level first.
    let dispatch = json(
        &env,
        &[
            "report", "dispatch", "--period", "2020-12", "--format", "json",
        ],
    );
    let tasks = dispatch["tasks"].as_array().expect("tasks");
    let levels: Vec<&str> = tasks.iter().filter_map(|t| t["level"].as_str()).collect();
    assert_eq!(levels.iter().filter(|l| **l == "county").count(), 4);
    assert_eq!(levels.iter().filter(|l| **l == "town").count(), 22);
    assert!(levels[..4].iter().all(|l| *l == "county"), "{levels:?}");
    assert_eq!(dispatch["totals"]["listed"], 26);
    assert_eq!(dispatch["totals"]["done"], 26);

    // The monitoring ledger of 2021–2023: the figures README prints.
    let m = json(
        &env,
        &[
            "report",
            "monitoring",
            "--as-of",
            "2022-12",
            "--by",
            "county",
            "--format",
            "json",
        ],
    );
    let t = &m["totals"];
    assert_eq!(
        (&t["households_monitored"], &t["people_monitored"]),
        (&Value::from(106), &Value::from(398))
    );
    assert_eq!(t["by_category"]["unstable_lifted"]["households"], 82);
    assert_eq!(t["by_category"]["edge"]["households"], 10);
    assert_eq!(t["by_category"]["sudden_hardship"]["households"], 14);
    assert_eq!(t["new_this_month"], 7);
    assert_eq!(t["eliminated_this_month"]["assisted"], 2);
    assert_eq!(t["eliminated_this_year"], 70);
    assert_eq!(t["over_six_months"], 56);
    assert_eq!(t["elimination_rate_percent"], 44.79);
    // 86 ÷ (106 + 86): the rate checks against its own columns.
    assert_eq!(t["eliminated_to_date"], 86);
}

#[test]
fn reimporting_the_example_changes_nothing_and_exports_the_same_bytes() {
    let env = imported();
    let dir = example_dir().to_string_lossy().to_string();
    let again: Value =
        serde_json::from_str(&env.ok(&["import", &dir, "--format", "json", "--quiet"]))
            .expect("json summary");
    assert_eq!(
        (&again["inserted"], &again["updated"], &again["rejected"]),
        (&Value::from(0), &Value::from(0), &Value::from(0))
    );
    assert_eq!(again["unchanged"], 19_370 + 59_123 + 314 + 35 + 103_642);

    env.ok(&["export", "--all", "out"]);
    for entry in std::fs::read_dir(example_dir()).expect("example dir") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let name = path.file_name().expect("file name");
        let exported = std::fs::read(env.path("out").join(name)).expect("exported file");
        let bundled = std::fs::read(&path).expect("bundled file");
        assert!(
            exported == bundled,
            "{} differs after export",
            name.to_string_lossy()
        );
    }
}

#[test]
fn the_example_ledger_goes_in_as_a_township_sends_it() {
    let env = imported();
    let ledger = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/ledgers/清岭村花名册.csv"
    );
    let before = env.snapshot();
    let summary = json(
        &env,
        &["import", ledger, "--format", "json", "--missing", "village"],
    );
    assert_eq!(summary["unchanged"], 38, "{summary}");
    assert_eq!(summary["inserted"], 0);
    assert_eq!(
        summary["skipped"],
        serde_json::json!([
            {"line": 1, "why": "title"},
            {"line": 2, "why": "title"},
            {"line": 42, "why": "total row"},
            {"line": 43, "why": "sign-off"},
        ])
    );
    assert_eq!(summary["not_kept"], serde_json::json!(["性别", "民族"]));
    assert_eq!(summary["missing"], serde_json::json!([]));
    assert_eq!(env.snapshot(), before);
}

/// Columns a line takes on a terminal, Chinese counting two.
pub fn display_width(line: &str) -> usize {
    line.chars().map(fupin::report::sheet::char_width).sum()
}

/// Every report, its roll-up and the audit trail keep within a terminal
/// of 100 columns on the example county, in English and in Chinese.
#[test]
fn every_report_and_the_log_fit_100_columns() {
    let env = imported();
    let reports: [&[&str]; 13] = [
        &["report", "double-clear", "--as-of", "2019-12-31"],
        &[
            "report",
            "double-clear",
            "--as-of",
            "2019-12-31",
            "--by",
            "village",
        ],
        &["report", "dispatch", "--period", "2020-06"],
        &["report", "tasks", "--as-of", "2020-06-30"],
        &["report", "teams", "--as-of", "2020-06-30"],
        &["report", "progress", "--to", "2020-12-31"],
        &[
            "report",
            "progress",
            "--to",
            "2020-12-31",
            "--step",
            "month",
        ],
        &["report", "progress", "--to", "2020-12-31", "--by", "town"],
        &["report", "monitoring", "--as-of", "2022-12"],
        &["report", "monitoring", "--as-of", "2022-12", "--by", "town"],
        &[
            "report",
            "monitoring",
            "--as-of",
            "2022-12",
            "--by",
            "village",
        ],
        &[
            "report",
            "teams",
            "--as-of",
            "2020-06-30",
            "--by",
            "village",
        ],
        &["log"],
    ];
    for args in reports {
        for lang in ["en", "zh"] {
            let mut all = vec!["--lang", lang];
            all.extend(args);
            let out = env
                .command()
                .env("COLUMNS", "100")
                .args(&all)
                .output()
                .expect("run");
            assert!(out.status.success(), "{all:?}");
            let text = String::from_utf8(out.stdout).expect("utf-8");
            let widest = text.lines().map(display_width).max().unwrap_or(0);
            assert!(widest <= 100, "{all:?}: {widest} columns\n{text}");
        }
    }
    // Piped, the trail keeps to 100 columns too, as lists do.
    for lang in ["en", "zh"] {
        let text = env.ok(&["--lang", lang, "log"]);
        let widest = text.lines().map(display_width).max().unwrap_or(0);
        assert!(widest <= 100, "{widest}\n{text}");
    }
}

/// Shortened English headings are explained under the table; the Chinese
/// form needs no key.
#[test]
fn shortened_headings_come_with_their_key() {
    let env = imported();
    let run = |lang: &str| {
        let out = env
            .command()
            .env("COLUMNS", "100")
            .args([
                "--lang",
                lang,
                "report",
                "double-clear",
                "--as-of",
                "2019-12-31",
            ])
            .output()
            .expect("run");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let en = run("en");
    assert!(en.contains("┆ hh ┆") || en.contains("┆hh┆"), "{en}");
    assert!(en.contains("Abbreviations: "), "{en}");
    assert!(!en.contains("households ┆"), "{en}");
    assert!(en.contains("hh = households"), "{en}");
    assert!(en.contains("ppl = people"), "{en}");
    let zh = run("zh");
    assert!(!zh.contains("缩写"), "{zh}");
    assert!(zh.contains("未脱贫"), "{zh}");
}

/// A printed page keeps dates, times and codes of its heading whole, the
/// blanks of the sign-off with their labels, counts in thousands, and
/// writes each flag one way.
#[test]
fn html_keeps_figures_whole_and_spells_flags_one_way() {
    let env = imported();
    let page = env.ok(&[
        "--lang", "en", "report", "dispatch", "--period", "2020-06", "--format", "html",
    ]);
    assert!(
        page.contains("<span class=\"nw\">2020-05-01</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"nw\">2020-06-30</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"nw\">(451122)</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"nw\">Head of unit: __________</span>"),
        "{page}"
    );
    assert!(page.contains("OVERDUE 0"), "{page}");
    assert!(!page.contains("overdue"), "one spelling of OVERDUE: {page}");
    let dc = env.ok(&[
        "--lang",
        "en",
        "report",
        "double-clear",
        "--as-of",
        "2019-12-31",
        "--format",
        "html",
    ]);
    assert!(dc.contains("NOT REACHED"), "{dc}");
    assert!(!dc.contains("NOT reached"), "{dc}");
    let zh = env.ok(&[
        "--lang",
        "zh",
        "report",
        "double-clear",
        "--as-of",
        "2019-12-31",
        "--format",
        "html",
    ]);
    assert!(zh.contains(">15,473<"), "{zh}");
    assert!(!zh.contains(">15473<"), "{zh}");
}

/// Every list keeps within 100 columns on the example county, piped or at
/// `COLUMNS=100`, whatever its longest value: a household that left the
/// register (the longest status word) sends the rightmost brief column to
/// `--wide` rather than widening the table.
#[test]
fn every_list_fits_100_columns_whatever_its_values() {
    let env = imported();
    let lists = [
        "household",
        "person",
        "village",
        "town",
        "task",
        "post",
        "dispatch",
        "visit",
        "monitor",
        "cadre",
    ];
    for list in lists {
        for lang in ["en", "zh"] {
            for columns in [None, Some("100"), Some("60")] {
                let mut cmd = env.command();
                if let Some(c) = columns {
                    cmd.env("COLUMNS", c);
                }
                let out = cmd
                    .args(["--lang", lang, list, "list"])
                    .output()
                    .expect("run");
                assert!(out.status.success(), "{list} {lang}");
                let text = String::from_utf8(out.stdout).expect("utf-8");
                let limit = columns.map_or(100, |c| c.parse().unwrap_or(100));
                let widest = text.lines().map(display_width).max().unwrap_or(0);
                assert!(
                    widest <= limit,
                    "{list} list --lang {lang} at {columns:?}: {widest} columns"
                );
            }
        }
    }
    // The whole list holds households that left the register, whose
    // status word sends lifted_on to --wide; the first three, all lifted,
    // keep it.
    let run = |args: &[&str]| {
        let out = env
            .command()
            .env("COLUMNS", "100")
            .args(args)
            .output()
            .expect("run");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let all = run(&["household", "list"]);
    assert!(all.contains("left the register"), "{}", &all[..2000]);
    assert!(!all.contains("lifted_on"), "{}", &all[..2000]);
    assert!(
        all.contains("8 more columns with --wide"),
        "{}",
        &all[all.len() - 300..]
    );
    let first = run(&["household", "list", "--limit", "3"]);
    assert!(first.contains("lifted_on"), "{first}");
    assert!(first.contains("7 more columns with --wide"), "{first}");
}
