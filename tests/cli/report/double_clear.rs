//! `report double-clear`: every figure, for each grouping and for dates
//! before, on and after the registration and lift dates.

use serde_json::{Value as Json, json};

use super::{Household, Seed, json, num, percent};
use crate::common::TestEnv;

struct Village {
    code: &'static str,
    name: &'static str,
    town: &'static str,
    population: Option<i64>,
    poor: Option<(&'static str, Option<&'static str>)>,
}

const TOWNS: [(&str, &str, Option<&str>); 4] = [
    ("T1", "钟山镇", Some("Z1")),
    ("T2", "回龙镇", Some("Z1")),
    // A zone's town without villages still gets its row.
    ("T3", "石龙镇", Some("Z2")),
    // A town in no zone.
    ("T4", "两安乡", None),
];

const ZONES: [(&str, &str); 2] = [("Z1", "第一作战区"), ("Z2", "第二作战区")];

const VILLAGES: [Village; 5] = [
    Village {
        code: "V1",
        name: "龙岩村",
        town: "T1",
        population: Some(1000),
        poor: Some(("2015-12-31", Some("2019-12-31"))),
    },
    Village {
        code: "V2",
        name: "凤凰社区",
        town: "T1",
        population: Some(500),
        poor: None,
    },
    Village {
        code: "V3",
        name: "大田村",
        town: "T2",
        population: Some(800),
        poor: Some(("2015-12-31", Some("2020-11-30"))),
    },
    Village {
        code: "V4",
        name: "新村",
        town: "T4",
        population: None,
        poor: None,
    },
    // Households never lifted, in a poor village never lifted.
    Village {
        code: "V5",
        name: "石门村",
        town: "T2",
        population: Some(400),
        poor: Some(("2016-12-31", None)),
    },
];

const HOUSEHOLDS: [Household; 8] = [
    Household {
        code: "H1",
        village: "V1",
        members: 4,
        registered_on: "2015-06-01",
        lifted_on: Some("2019-12-31"),
    },
    Household {
        code: "H2",
        village: "V1",
        members: 3,
        registered_on: "2015-06-01",
        lifted_on: Some("2020-06-30"),
    },
    Household {
        code: "H3",
        village: "V2",
        members: 2,
        registered_on: "2016-03-01",
        lifted_on: None,
    },
    Household {
        code: "H4",
        village: "V3",
        members: 5,
        registered_on: "2015-06-01",
        lifted_on: Some("2020-11-30"),
    },
    Household {
        code: "H5",
        village: "V3",
        members: 1,
        registered_on: "2019-01-01",
        lifted_on: Some("2020-01-01"),
    },
    Household {
        code: "H6",
        village: "V4",
        members: 6,
        registered_on: "2020-02-01",
        lifted_on: Some("2020-12-31"),
    },
    Household {
        code: "H7",
        village: "V2",
        members: 2,
        registered_on: "2014-05-01",
        lifted_on: Some("2018-12-31"),
    },
    Household {
        code: "H8",
        village: "V5",
        members: 2,
        registered_on: "2016-05-01",
        lifted_on: None,
    },
];

/// Before, on and after each registration and lift date.
const DATES: [&str; 12] = [
    "2014-04-30",
    "2018-12-30",
    "2018-12-31",
    "2019-12-30",
    "2019-12-31",
    "2020-01-01",
    "2020-06-30",
    "2020-07-01",
    "2020-11-29",
    "2020-11-30",
    "2020-12-31",
    "2021-01-01",
];

fn county() -> TestEnv {
    let env = TestEnv::new();
    let s = Seed::new(&env);
    for (code, name) in ZONES {
        s.zone(code, name);
    }
    for (code, name, zone) in TOWNS {
        s.town(code, name, zone);
    }
    for v in &VILLAGES {
        s.village(v.code, v.name, v.town, v.population, v.poor);
    }
    for h in &HOUSEHOLDS {
        s.household(h);
    }
    env
}

/// The figures of the villages `inside`, worked out from the rows above
/// with the rules of SPEC §2.
fn expected(d: &str, inside: &dyn Fn(&Village) -> bool, villages: &[Village]) -> Json {
    let year_start = format!("{}-01-01", &d[..4]);
    let vs: Vec<&Village> = villages.iter().filter(|v| inside(v)).collect();
    let poor_village = |v: &&&Village| v.poor.is_some_and(|(r, _)| r <= d);
    let remaining_village = |v: &&&Village| {
        v.poor
            .is_some_and(|(r, l)| r <= d && l.is_none_or(|l| l > d))
    };
    let hs: Vec<&Household> = HOUSEHOLDS
        .iter()
        .filter(|h| vs.iter().any(|v| v.code == h.village) && h.registered_on <= d)
        .collect();
    let poor: Vec<&&Household> = hs
        .iter()
        .filter(|h| h.lifted_on.is_none_or(|l| l > d))
        .collect();
    let lifted_this_year: i64 = hs
        .iter()
        .filter(|h| {
            h.lifted_on
                .is_some_and(|l| l >= year_start.as_str() && l <= d)
        })
        .map(|h| h.members)
        .sum();
    let households_lifted_this_year = hs
        .iter()
        .filter(|h| {
            h.lifted_on
                .is_some_and(|l| l >= year_start.as_str() && l <= d)
        })
        .count();
    let poor_people: i64 = poor.iter().map(|h| h.members).sum();
    let population: Option<i64> = vs.iter().map(|v| v.population).sum();
    json!({
        "villages": vs.len(),
        "poor_villages_registered": vs.iter().filter(poor_village).count(),
        "poor_villages_remaining": vs.iter().filter(remaining_village).count(),
        "households_registered": hs.len(),
        "people_registered": hs.iter().map(|h| h.members).sum::<i64>(),
        "poor_households_remaining": poor.len(),
        "poor_people_remaining": poor_people,
        "households_lifted_this_year": households_lifted_this_year,
        "people_lifted_this_year": lifted_this_year,
        // These households have no steps after their first lift (see
        // tests/cli/register.rs for those that do).
        "households_returned_this_year": 0,
        "people_returned_this_year": 0,
        "households_removed_this_year": 0,
        "people_removed_this_year": 0,
        "households_left_this_year": 0,
        "people_left_this_year": 0,
        "households_off_register_this_year": 0,
        "people_off_register_this_year": 0,
        "population": population,
        "incidence_percent": num(population.and_then(|p| percent(poor_people, p))),
        // `people_registered`'s first name, kept for this release.
        "poor_people_registered": hs.iter().map(|h| h.members).sum::<i64>(),
    })
}

/// A group: its key and name, the town it is in (by village), its figures
/// and its verdict.
fn with_key(key: Option<&str>, name: &str, town: Option<(&str, &str)>, mut figures: Json) -> Json {
    let clear =
        figures["poor_households_remaining"] == 0 && figures["poor_villages_remaining"] == 0;
    let mut group = json!({ "key": key, "name": name });
    if let Some((code, town_name)) = town {
        group["town"] = code.into();
        group["town_name"] = town_name.into();
    }
    if let (Some(g), Some(f)) = (group.as_object_mut(), figures.as_object_mut()) {
        g.append(f);
        g.insert("double_clear".into(), clear.into());
    }
    group
}

fn expected_groups(d: &str, by: &str, villages: &[Village]) -> Json {
    let town_of = |v: &Village| TOWNS.iter().find(|t| t.0 == v.town).copied();
    let groups: Vec<Json> = match by {
        "county" => vec![with_key(
            Some("451122"),
            "钟山县",
            None,
            expected(d, &|_| true, villages),
        )],
        "zone" => {
            let mut g: Vec<Json> = ZONES
                .iter()
                .map(|(code, name)| {
                    with_key(
                        Some(code),
                        name,
                        None,
                        expected(
                            d,
                            &|v| town_of(v).is_some_and(|t| t.2 == Some(*code)),
                            villages,
                        ),
                    )
                })
                .collect();
            g.push(with_key(
                None,
                "(no battle zone)",
                None,
                expected(d, &|v| town_of(v).is_some_and(|t| t.2.is_none()), villages),
            ));
            g
        }
        "town" => TOWNS
            .iter()
            .map(|(code, name, _)| {
                with_key(
                    Some(code),
                    name,
                    None,
                    expected(d, &|v| v.town == *code, villages),
                )
            })
            .collect(),
        _ => {
            // Villages in town order, then by code.
            let mut sorted: Vec<&Village> = villages.iter().collect();
            sorted.sort_by_key(|v| (v.town, v.code));
            sorted
        }
        .into_iter()
        .map(|v| {
            with_key(
                Some(v.code),
                v.name,
                town_of(v).map(|t| (t.0, t.1)),
                expected(d, &|w| w.code == v.code, villages),
            )
        })
        .collect(),
    };
    Json::Array(groups)
}

fn check_all(env: &TestEnv, villages: &[Village]) {
    for d in DATES {
        for by in ["county", "zone", "town", "village"] {
            let got = json(env, &["report", "double-clear", "--as-of", d, "--by", by]);
            let totals = expected(d, &|_| true, villages);
            let clear =
                totals["poor_households_remaining"] == 0 && totals["poor_villages_remaining"] == 0;
            let want = json!({
                "as_of": d,
                "by": by,
                "groups": expected_groups(d, by, villages),
                "totals": totals,
                "double_clear": clear,
            });
            assert_eq!(got, want, "as of {d} by {by}");
        }
    }
}

#[test]
fn figures_follow_the_dates_for_every_grouping() {
    let env = county();
    check_all(&env, &VILLAGES);
}

#[test]
fn incidence_is_computed_once_every_population_is_known() {
    let env = county();
    Seed::new(&env).exec("UPDATE villages SET population = 300 WHERE code = 'V4'", []);
    let villages: Vec<Village> = VILLAGES
        .iter()
        .map(|v| Village {
            population: v.population.or(Some(300)),
            ..*v
        })
        .collect();
    check_all(&env, &villages);
    let got = json(&env, &["report", "double-clear", "--as-of", "2019-12-31"]);
    // 3 (H2) + 5 (H4) + 1 (H5) + 2 (H3) + 2 (H8) poor people over 3,000
    // residents.
    assert_eq!(got["totals"]["incidence_percent"], json!(0.43));
}

#[test]
fn the_keys_are_those_scripts_rely_on() {
    let env = county();
    let got = json(&env, &["report", "double-clear", "--as-of", "2020-12-31"]);
    let keys = |v: &Json| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(
        keys(&got),
        ["as_of", "by", "groups", "totals", "double_clear"]
    );
    assert_eq!(
        keys(&got["totals"]),
        [
            "villages",
            "poor_villages_registered",
            "poor_villages_remaining",
            "households_registered",
            "people_registered",
            "poor_households_remaining",
            "poor_people_remaining",
            "households_lifted_this_year",
            "people_lifted_this_year",
            "households_returned_this_year",
            "people_returned_this_year",
            "households_removed_this_year",
            "people_removed_this_year",
            "households_left_this_year",
            "people_left_this_year",
            "households_off_register_this_year",
            "people_off_register_this_year",
            "population",
            "incidence_percent",
            "poor_people_registered"
        ]
    );
    let mut group_keys = vec!["key".to_string(), "name".to_string()];
    group_keys.extend(keys(&got["totals"]));
    group_keys.push("double_clear".into());
    assert_eq!(keys(&got["groups"][0]), group_keys);
    // Labels never leak into JSON: the same under --lang zh, down to the
    // name of the towns of no zone.
    for by in ["zone", "village"] {
        let args = [
            "report",
            "double-clear",
            "--as-of",
            "2020-12-31",
            "--by",
            by,
        ];
        let en = json(&env, &args);
        let mut zh_args = vec!["--lang", "zh"];
        zh_args.extend(args);
        assert_eq!(json(&env, &zh_args), en, "--by {by}");
    }
}

#[test]
fn the_clerks_lift_commands_show_up_in_the_report() {
    let env = TestEnv::new();
    env.ok(&["town", "add", "--code", "451122100", "--name", "钟山镇"]);
    env.ok(&[
        "village",
        "add",
        "--code",
        "451122100201",
        "--name",
        "龙岩村",
        "--town",
        "451122100",
        "--poor-village",
        "yes",
        "--registered-on",
        "2015",
        "--population",
        "1200",
    ]);
    let id = super::id_number("HH1");
    env.ok(&[
        "household",
        "add",
        "--code",
        "HH1",
        "--village",
        "451122100201",
        "--head-name",
        "李四",
        "--id-number",
        &id,
        "--members",
        "4",
        "--registered-on",
        "2015年6月1日",
    ]);
    let before = json(&env, &["report", "double-clear", "--as-of", "2020/12/31"]);
    assert_eq!(before["double_clear"], false);
    assert_eq!(before["totals"]["poor_people_remaining"], 4);
    env.ok(&["household", "lift", "HH1", "--on", "2020-06-30"]);
    env.ok(&["village", "lift", "451122100201", "--on", "2020-11-30"]);
    let after = json(&env, &["report", "double-clear", "--as-of", "2020"]);
    assert_eq!(after["as_of"], "2020-12-31", "a bare year is its last day");
    assert_eq!(after["double_clear"], true);
    assert_eq!(after["totals"]["people_lifted_this_year"], 4);
    assert_eq!(after["totals"]["incidence_percent"], json!(0.0));
    // The same file, asked about the past, answers as it did then.
    let past = json(&env, &["report", "double-clear", "--as-of", "2020-11-29"]);
    assert_eq!(past["double_clear"], false);
    assert_eq!(past["totals"]["poor_villages_remaining"], 1);
    assert_eq!(past["totals"]["poor_households_remaining"], 0);
}

#[test]
fn text_shows_the_verdict_and_blanks_unknown_incidence() {
    let env = county();
    let out = env.ok(&[
        "--lang",
        "zh",
        "report",
        "double-clear",
        "--as-of",
        "2021-01-01",
        "--by",
        "village",
    ]);
    assert!(out.contains("【双清零：未实现】"), "{out}");
    assert!(out.contains("有 1 个村未登记户籍人口"), "{out}");
    let out = env.ok(&["report", "double-clear", "--as-of", "2021-01-01"]);
    assert!(out.contains("Double clear: NOT REACHED"), "{out}");
}
