//! `report teams`: distinct cadres in posts held on the date, villages with
//! a team and with 一肩挑, for each grouping.

use std::collections::BTreeSet;

use serde_json::{Value as Json, json};

use super::{Seed, json, num, percent};
use crate::common::TestEnv;

const TOWNS: [(&str, &str, Option<&str>); 3] = [
    ("T1", "钟山镇", Some("Z1")),
    ("T2", "回龙镇", Some("Z1")),
    ("T3", "石龙镇", None),
];
/// (code, name, town)
const VILLAGES: [(&str, &str, &str); 4] = [
    ("V1", "龙岩村", "T1"),
    ("V2", "凤凰社区", "T1"),
    ("V3", "大田村", "T2"),
    ("V4", "新村", "T3"),
];

/// (cadre, role, place, started on, ended on)
type Post = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);
const POSTS: [Post; 15] = [
    // 一肩挑 in V1 all along.
    ("C1", "party_secretary", "V1", "2016-01-01", None),
    ("C1", "committee_director", "V1", "2016-01-01", None),
    // 一肩挑 in V2 only while both posts overlap: 2019-01-01..=2020-06-30.
    (
        "C2",
        "party_secretary",
        "V2",
        "2016-01-01",
        Some("2020-06-30"),
    ),
    ("C2", "committee_director", "V2", "2019-01-01", None),
    // Two people in V3: no 一肩挑.
    ("C3", "committee_director", "V3", "2016-01-01", None),
    ("C4", "party_secretary", "V3", "2016-01-01", None),
    // A first secretary who moves from T1 to T2 on 2020-04-01.
    (
        "C5",
        "first_secretary",
        "V1",
        "2018-01-01",
        Some("2020-03-31"),
    ),
    ("C5", "first_secretary", "V3", "2020-04-01", None),
    // One cadre in two villages of T1: counted once for T1.
    ("C6", "team_leader", "V1", "2018-01-01", None),
    ("C6", "team_member", "V2", "2018-01-01", None),
    // A team member whose post ends on 2019-12-31 (held that day).
    ("C7", "team_member", "V3", "2018-01-01", Some("2019-12-31")),
    // An information officer in two villages, one at a town.
    ("C8", "info_officer", "V1", "2018-01-01", None),
    ("C8", "info_officer", "V2", "2018-01-01", None),
    ("C9", "info_officer", "T2", "2018-06-01", None),
    // A commando serves a task, not a village: never counted here.
    ("C10", "commando", "K1", "2020-01-01", None),
];

const DATES: [&str; 7] = [
    "2017-06-30",
    "2018-12-31",
    "2019-12-31",
    "2020-01-01",
    "2020-04-01",
    "2020-06-30",
    "2020-07-01",
];

fn county() -> TestEnv {
    let env = TestEnv::new();
    let s = Seed::new(&env);
    s.zone("Z1", "第一作战区");
    for c in [
        "L1", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10",
    ] {
        s.cadre(c, &format!("干部{c}"));
    }
    for (code, name, zone) in TOWNS {
        s.town(code, name, zone);
    }
    for (code, name, town) in VILLAGES {
        s.village(code, name, town, None, None);
    }
    s.task("K1", "county", Some("V1"), "T1", "2020-01-01", None, None);
    for (cadre, role, place, started, ended) in POSTS {
        s.post(cadre, role, place, started, ended);
    }
    env
}

fn town_of(place: &str) -> &'static str {
    VILLAGES
        .iter()
        .find(|v| v.0 == place)
        .map(|v| v.2)
        .or_else(|| TOWNS.iter().find(|t| t.0 == place).map(|t| t.0))
        .unwrap_or("")
}

/// Figures of the villages and posts `inside` (a post counts when its
/// place is inside), from the rows above.
fn expected(d: &str, villages: &[&str], posts_inside: &dyn Fn(&str) -> bool) -> Json {
    let active: Vec<&Post> = POSTS
        .iter()
        .filter(|p| p.1 != "commando" && p.3 <= d && p.4.is_none_or(|e| e >= d))
        .collect();
    let cadres = |roles: &[&str]| -> usize {
        active
            .iter()
            .filter(|p| roles.contains(&p.1) && posts_inside(p.2))
            .map(|p| p.0)
            .collect::<BTreeSet<_>>()
            .len()
    };
    let team = ["team_leader", "first_secretary", "team_member"];
    let with_team = villages
        .iter()
        .filter(|v| active.iter().any(|p| p.2 == **v && team.contains(&p.1)))
        .count() as i64;
    let yjt = villages
        .iter()
        .filter(|v| {
            active.iter().any(|s| {
                s.2 == **v
                    && s.1 == "party_secretary"
                    && active
                        .iter()
                        .any(|c| c.2 == **v && c.1 == "committee_director" && c.0 == s.0)
            })
        })
        .count() as i64;
    json!({
        "villages": villages.len(),
        "villages_with_team": with_team,
        "first_secretaries": cadres(&["first_secretary"]),
        "work_team_members": cadres(&team),
        "info_officers": cadres(&["info_officer"]),
        "yijiantiao": yjt,
        "yijiantiao_percent": num(percent(yjt, villages.len() as i64)),
    })
}

/// A group: its key and name, the town it is in (by village), its figures.
fn group(key: Option<&str>, name: &str, town: Option<&str>, figures: Json) -> Json {
    let mut g = json!({ "key": key, "name": name });
    if let Some(town) = town {
        g["town"] = town.into();
        g["town_name"] = TOWNS.iter().find(|t| t.0 == town).map(|t| t.1).into();
    }
    if let (Some(g), Json::Object(mut f)) = (g.as_object_mut(), figures) {
        g.append(&mut f);
    }
    g
}

fn villages_where(f: impl Fn(&(&str, &str, &str)) -> bool) -> Vec<&'static str> {
    VILLAGES.iter().filter(|v| f(v)).map(|v| v.0).collect()
}

fn expected_report(d: &str, by: &str) -> Json {
    let zone_of = |town: &str| TOWNS.iter().find(|t| t.0 == town).and_then(|t| t.2);
    let groups: Vec<Json> = match by {
        "county" => vec![group(
            Some("451122"),
            "钟山县",
            None,
            expected(d, &villages_where(|_| true), &|_| true),
        )],
        "zone" => vec![
            group(
                Some("Z1"),
                "第一作战区",
                None,
                expected(d, &villages_where(|v| zone_of(v.2) == Some("Z1")), &|p| {
                    zone_of(town_of(p)) == Some("Z1")
                }),
            ),
            group(
                None,
                "(no battle zone)",
                None,
                expected(d, &villages_where(|v| zone_of(v.2).is_none()), &|p| {
                    zone_of(town_of(p)).is_none()
                }),
            ),
        ],
        "town" => TOWNS
            .iter()
            .map(|(code, name, _)| {
                group(
                    Some(code),
                    name,
                    None,
                    expected(d, &villages_where(|v| v.2 == *code), &|p| {
                        town_of(p) == *code
                    }),
                )
            })
            .collect(),
        _ => VILLAGES
            .iter()
            .map(|(code, name, town)| {
                group(
                    Some(code),
                    name,
                    Some(town),
                    expected(d, &[code], &|p| p == *code),
                )
            })
            .collect(),
    };
    json!({
        "as_of": d,
        "by": by,
        "groups": groups,
        "totals": expected(d, &villages_where(|_| true), &|_| true),
    })
}

#[test]
fn figures_follow_the_posts_dates_for_every_grouping() {
    let env = county();
    for d in DATES {
        for by in ["county", "zone", "town", "village"] {
            let got = json(&env, &["report", "teams", "--as-of", d, "--by", by]);
            assert_eq!(got, expected_report(d, by), "as of {d} by {by}");
        }
    }
}

#[test]
fn what_the_rules_mean_on_two_dates() {
    let env = county();
    let got = json(&env, &["report", "teams", "--as-of", "2020-04-01"]);
    let t = &got["totals"];
    // C5 moved towns but is one first secretary; C6 is one member in T1.
    assert_eq!(t["first_secretaries"], 1);
    assert_eq!(t["work_team_members"], 2);
    assert_eq!(t["info_officers"], 2);
    assert_eq!(t["yijiantiao"], 2);
    assert_eq!(t["yijiantiao_percent"], json!(50.0));
    let t1 = &got["groups"][0];
    assert_eq!(
        (t1["key"].as_str(), &t1["work_team_members"]),
        (Some("T1"), &json!(1))
    );
    let got = json(&env, &["report", "teams", "--as-of", "2020-07-01"]);
    assert_eq!(got["totals"]["yijiantiao"], 1, "C2 left the secretary post");
    let zh = json(
        &env,
        &[
            "--lang", "zh", "report", "teams", "--as-of", "2020", "--by", "zone",
        ],
    );
    let en = json(
        &env,
        &["report", "teams", "--as-of", "2020", "--by", "zone"],
    );
    assert_eq!(zh, en, "JSON does not depend on the language");
}
