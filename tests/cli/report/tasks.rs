//! `report tasks`: the board of open tasks on a date.

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Seed, json};
use crate::common::TestEnv;

/// (code, level, listed on, due on, done on)
type Task = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);
const TASKS: [Task; 5] = [
    ("K1", "town", "2020-01-10", Some("2020-04-15"), None),
    ("K2", "county", "2020-01-10", Some("2020-06-30"), None),
    (
        "K3",
        "town",
        "2020-02-01",
        Some("2020-03-31"),
        Some("2020-04-20"),
    ),
    ("K4", "town", "2020-05-01", None, None),
    (
        "K5",
        "county",
        "2020-01-01",
        Some("2020-03-01"),
        Some("2020-03-01"),
    ),
];
const DISPATCHES: [(&str, &str, i64); 4] = [
    ("K1", "2020-02-01", 30),
    ("K1", "2020-04-20", 55),
    ("K2", "2020-03-15", 70),
    ("K4", "2020-05-02", 10),
];

fn county() -> TestEnv {
    let env = TestEnv::new();
    let s = Seed::new(&env);
    s.cadre("L1", "黄志强");
    s.town("T1", "钟山镇", None);
    for (code, level, listed, due, done) in TASKS {
        s.task(code, level, None, "T1", listed, due, done);
    }
    for (task, on, progress) in DISPATCHES {
        s.dispatch(task, on, progress, 0, 0);
    }
    env
}

fn expected(d: &str, level: Option<&str>) -> Json {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let mut open: Vec<&Task> = TASKS
        .iter()
        .filter(|t| t.2 <= d && t.4.is_none_or(|done| done > d))
        .filter(|t| level.is_none_or(|l| t.1 == l))
        .collect();
    // County first, then by due date (none last), then code.
    open.sort_by_key(|t| (t.1 != "county", t.3.is_none(), t.3, t.0));
    let tasks: Vec<Json> = open
        .iter()
        .map(|t| {
            json!({
                "code": t.0,
                "title": format!("任务{}", t.0),
                "level": t.1,
                "village": null,
                "village_name": null,
                "town": "T1",
                "town_name": "钟山镇",
                "leader": "L1",
                "leader_name": "黄志强",
                "due_on": t.3,
                "progress": DISPATCHES
                    .iter()
                    .filter(|x| x.0 == t.0 && x.1 <= d)
                    .max_by_key(|x| x.1)
                    .map(|x| x.2),
                "days_overdue": t.3.map(|due| (day(d) - day(due)).num_days().max(0)),
            })
        })
        .collect();
    json!({ "as_of": d, "tasks": tasks })
}

#[test]
fn open_tasks_with_progress_and_days_overdue() {
    let env = county();
    for d in [
        "2019-12-31",
        "2020-03-01",
        "2020-04-15",
        "2020-04-16",
        "2020-04-20",
        "2020-05-01",
        "2020-07-01",
    ] {
        let got = json(&env, &["report", "tasks", "--as-of", d]);
        assert_eq!(got, expected(d, None), "as of {d}");
        for (flag, level) in [("county", "county"), ("乡镇级", "town")] {
            let got = json(&env, &["report", "tasks", "--as-of", d, "--level", flag]);
            assert_eq!(got, expected(d, Some(level)), "as of {d} --level {flag}");
        }
    }
    let got = json(&env, &["report", "tasks", "--as-of", "2020-04-16"]);
    let k1 = got["tasks"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["code"] == "K1"))
        .expect("K1 open");
    assert_eq!(k1["days_overdue"], 1);
    assert_eq!(k1["progress"], 30);
}
