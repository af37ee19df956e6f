//! A prefecture's roll-up: reports over several county files, each
//! county's figures its own report's, the totals their sums.

use serde_json::Value as Json;

use crate::common::{TestEnv, example_dir};

/// The example county in `test.db`, and the fictional second county
/// (examples/yunxi, made by `gen_county --code 451199`) in another folder.
fn two_counties() -> (TestEnv, TestEnv) {
    let a = TestEnv::new();
    a.ok(&["import", example_dir().to_str().expect("utf-8"), "--quiet"]);
    let b = TestEnv::empty();
    b.ok(&["init", "--county", "云溪县", "--code", "451199"]);
    let yunxi = example_dir().with_file_name("yunxi");
    b.ok(&["import", yunxi.to_str().expect("utf-8"), "--quiet"]);
    (a, b)
}

fn json(env: &TestEnv, args: &[&str]) -> Json {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&env.ok(&all)).expect("json")
}

const FIGURES: [&str; 11] = [
    "villages",
    "poor_villages_registered",
    "poor_villages_remaining",
    "households_registered",
    "people_registered",
    "poor_people_registered",
    "poor_households_remaining",
    "poor_people_remaining",
    "households_lifted_this_year",
    "people_lifted_this_year",
    "population",
];

#[test]
fn a_roll_up_is_each_countys_own_report_and_their_sum() {
    let (a, b) = two_counties();
    let other = b.db();
    let other = other.to_str().expect("utf-8");
    for as_of in ["2018-12-31", "2019-12-31", "2020-12-31"] {
        let own_a = json(
            &a,
            &["report", "double-clear", "--as-of", as_of, "--by", "county"],
        );
        let own_b = json(
            &b,
            &["report", "double-clear", "--as-of", as_of, "--by", "county"],
        );
        let rolled = json(
            &a,
            &[
                "--db",
                other,
                "report",
                "double-clear",
                "--as-of",
                as_of,
                "--by",
                "county",
            ],
        );
        let rows = rolled["groups"].as_array().expect("groups");
        assert_eq!(rows.len(), 2, "one row per county");
        assert_eq!(rows[0]["key"], "451122");
        assert_eq!(rows[1]["key"], "451199");
        for (row, own) in rows.iter().zip([&own_a, &own_b]) {
            for key in FIGURES {
                assert_eq!(
                    row[key], own["totals"][key],
                    "{as_of} {key} of {}",
                    row["key"]
                );
            }
            assert_eq!(row["incidence_percent"], own["totals"]["incidence_percent"]);
        }
        for key in FIGURES {
            let sum = own_a["totals"][key].as_i64().expect("a")
                + own_b["totals"][key].as_i64().expect("b");
            assert_eq!(rolled["totals"][key], sum, "{as_of} total {key}");
        }

        // By town: every county's towns, as in its own report by town.
        let towns_a = json(
            &a,
            &["report", "double-clear", "--as-of", as_of, "--by", "town"],
        );
        let towns_b = json(
            &b,
            &["report", "double-clear", "--as-of", as_of, "--by", "town"],
        );
        let by_town = json(
            &a,
            &[
                "--db",
                other,
                "report",
                "double-clear",
                "--as-of",
                as_of,
                "--by",
                "town",
            ],
        );
        let got: Vec<(Json, Json)> = by_town["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| (g["key"].clone(), g["poor_people_remaining"].clone()))
            .collect();
        let want: Vec<(Json, Json)> = [&towns_a, &towns_b]
            .iter()
            .flat_map(|r| r["groups"].as_array().expect("groups").clone())
            .map(|g| (g["key"].clone(), g["poor_people_remaining"].clone()))
            .collect();
        assert_eq!(got, want, "{as_of}");
        // A town names its county by code and name, as lists name a
        // reference.
        let first = &by_town["groups"][0];
        assert_eq!(
            (&first["county"], &first["county_name"]),
            (&"451122".into(), &"钟山县".into())
        );
    }

    // Teams and dispatch add up the same way.
    let own: Vec<Json> = [&a, &b]
        .iter()
        .map(|e| {
            json(
                e,
                &["report", "teams", "--as-of", "2020-06-30", "--by", "county"],
            )
        })
        .collect();
    let rolled = json(
        &a,
        &[
            "--db",
            other,
            "report",
            "teams",
            "--as-of",
            "2020-06-30",
            "--by",
            "county",
        ],
    );
    for key in [
        "villages",
        "villages_with_team",
        "first_secretaries",
        "work_team_members",
        "info_officers",
        "yijiantiao",
    ] {
        let sum: i64 = own
            .iter()
            .map(|o| o["totals"][key].as_i64().expect("n"))
            .sum();
        assert_eq!(rolled["totals"][key], sum, "teams {key}");
    }
    let own: Vec<Json> = [&a, &b]
        .iter()
        .map(|e| json(e, &["report", "dispatch", "--period", "202003B"]))
        .collect();
    let rolled = json(
        &a,
        &["--db", other, "report", "dispatch", "--period", "202003B"],
    );
    for key in [
        "listed",
        "done",
        "open",
        "overdue",
        "not_dispatched",
        "finished_late",
    ] {
        let sum: i64 = own
            .iter()
            .map(|o| o["totals"][key].as_i64().expect("n"))
            .sum();
        assert_eq!(rolled["totals"][key], sum, "dispatch {key}");
        // A row per county, as a group of any report; `counties` keeps
        // its figures for this release.
        for (i, o) in own.iter().enumerate() {
            assert_eq!(rolled["groups"][i][key], o["totals"][key], "dispatch {key}");
            assert_eq!(
                rolled["counties"][i][key], o["totals"][key],
                "dispatch {key}"
            );
        }
    }
    assert_eq!(rolled["by"], "county");
    assert_eq!(rolled["groups"][0]["key"], "451122");
    assert_eq!(rolled["groups"][0]["name"], "钟山县");
    assert_eq!(rolled["counties"][0]["code"], "451122");

    // --db-dir: every .db of a folder; the title names the city.
    let dir = a.path("counties");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::copy(a.db(), dir.join("钟山县.db")).expect("copy");
    std::fs::copy(b.db(), dir.join("云溪县.db")).expect("copy");
    let out = TestEnv::empty()
        .command()
        .args([
            "--lang",
            "zh",
            "report",
            "double-clear",
            "--as-of",
            "2019-12-31",
            "--by",
            "county",
            "--unit",
            "贺州市",
            "--db-dir",
        ])
        .arg(&dir)
        .output()
        .expect("run");
    // TestEnv adds a --db of its own that does not exist: refused by name.
    assert!(!out.status.success());
    let mut cmd = assert_cmd::Command::cargo_bin("fupin").expect("binary");
    let out = cmd
        .env_remove("LANG")
        .env_remove("FUPIN_DB")
        .args([
            "--lang",
            "zh",
            "report",
            "double-clear",
            "--as-of",
            "2019-12-31",
            "--by",
            "county",
            "--unit",
            "贺州市",
            "--db-dir",
        ])
        .arg(&dir)
        .output()
        .expect("run");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("贺州市脱贫攻坚“双清零”情况表"), "{text}");
    assert!(text.contains("云溪县") && text.contains("钟山县"), "{text}");
}

#[test]
fn files_that_cannot_be_reported_together_are_refused_by_name() {
    let (a, b) = two_counties();
    // The same county twice.
    let twin = a.path("twin.db");
    std::fs::copy(a.db(), &twin).expect("copy");
    let err = a.fails(
        &[
            "--db",
            twin.to_str().expect("utf-8"),
            "report",
            "double-clear",
        ],
        1,
    );
    assert!(err.contains("twin.db") && err.contains("451122"), "{err}");
    // Another schema version.
    let old = b.path("old.db");
    std::fs::copy(b.db(), &old).expect("copy");
    let conn = rusqlite::Connection::open(&old).expect("open");
    conn.pragma_update(None, "user_version", 0)
        .expect("version");
    drop(conn);
    let err = a.fails(
        &["--db", old.to_str().expect("utf-8"), "report", "teams"],
        1,
    );
    assert!(err.contains("old.db") && err.contains("version 0"), "{err}");
    // Only reports read several files.
    let err = a.fails(
        &["--db", b.db().to_str().expect("utf-8"), "household", "list"],
        1,
    );
    assert!(err.contains("--db"), "{err}");
    // Reports that read one file refuse a second rather than pass it over.
    for report in ["tasks", "progress", "monitoring"] {
        let err = a.fails(
            &["--db", b.db().to_str().expect("utf-8"), "report", report],
            1,
        );
        assert!(
            err.contains(&format!(
                "--db is given 2 times; `report {report}` reads one county file"
            )),
            "{err}"
        );
    }
    // A roll-up is by county or by town.
    let err = a.fails(
        &[
            "--db",
            b.db().to_str().expect("utf-8"),
            "report",
            "double-clear",
            "--by",
            "village",
        ],
        1,
    );
    assert!(err.contains("--by county"), "{err}");
}

/// A roll-up reads the county files and leaves nothing beside them.
#[test]
fn a_roll_up_leaves_no_files_beside_the_county_files() {
    let (a, b) = two_counties();
    let beside = |env: &TestEnv| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(env.dir.path())
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with("-wal") || n.ends_with("-shm"))
            .collect();
        names.sort();
        names
    };
    let before = (beside(&a), beside(&b));
    json(
        &a,
        &[
            "--db",
            b.db().to_str().expect("utf-8"),
            "report",
            "double-clear",
        ],
    );
    assert_eq!((beside(&a), beside(&b)), before);
    assert!(before.1.is_empty(), "{before:?}");
}

/// Villages or towns under their parents fit 100 columns: past the last
/// shortening the column naming the parent goes, each subtotal row names
/// it, a note says so, and no figure breaks across lines.
#[test]
fn a_roll_up_by_town_fits_100_columns_without_breaking_a_figure() {
    let (a, b) = two_counties();
    let other = b.db();
    let other = other.to_str().expect("utf-8");
    for (lang, note, subtotal) in [
        (
            "en",
            "The town (or county) column is left out to fit",
            "钟山县",
        ),
        ("zh", "为适应宽度略去所属乡镇（县）一栏", "钟山县"),
    ] {
        let out = a
            .command()
            .env("COLUMNS", "100")
            .args([
                "--lang",
                lang,
                "--db",
                other,
                "report",
                "double-clear",
                "--as-of",
                "2019-12-31",
                "--by",
                "town",
            ])
            .output()
            .expect("run");
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let widest = text
            .lines()
            .map(crate::example::display_width)
            .max()
            .unwrap_or(0);
        assert!(widest <= 100, "{lang}: {widest}\n{text}");
        assert!(text.contains(note), "{text}");
        assert!(text.contains(subtotal), "{text}");
        // The example's registered households and people, whole.
        assert!(text.contains("15473") && text.contains("59057"), "{text}");
    }
}
