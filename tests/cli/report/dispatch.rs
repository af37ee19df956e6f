//! `report dispatch`: which tasks belong to a period, what happened inside
//! it, and the flags, across the block boundaries.

use serde_json::{Value as Json, json};

use super::{Seed, json};
use crate::common::TestEnv;

struct Task {
    code: &'static str,
    level: &'static str,
    village: Option<&'static str>,
    listed_on: &'static str,
    due_on: Option<&'static str>,
    done_on: Option<&'static str>,
}

const TASKS: [Task; 8] = [
    // Dispatched on the first and the last day of Mar–Apr, and after it.
    Task {
        code: "K1",
        level: "county",
        village: Some("V1"),
        listed_on: "2020-01-10",
        due_on: Some("2020-06-30"),
        done_on: None,
    },
    // Due inside Mar–Apr and not done: overdue; dispatched only before.
    Task {
        code: "K2",
        level: "town",
        village: Some("V2"),
        listed_on: "2020-02-01",
        due_on: Some("2020-04-15"),
        done_on: None,
    },
    // Done inside Mar–Apr, never dispatched.
    Task {
        code: "K3",
        level: "town",
        village: None,
        listed_on: "2020-03-10",
        due_on: Some("2020-12-31"),
        done_on: Some("2020-04-20"),
    },
    // Listed the day after Mar–Apr ends.
    Task {
        code: "K4",
        level: "town",
        village: Some("V1"),
        listed_on: "2020-05-01",
        due_on: Some("2020-05-31"),
        done_on: None,
    },
    // Due on the period's last day: not yet overdue then.
    Task {
        code: "K5",
        level: "county",
        village: Some("V2"),
        listed_on: "2020-01-01",
        due_on: Some("2020-04-30"),
        done_on: None,
    },
    // Done long before: still a listed task, done.
    Task {
        code: "K6",
        level: "town",
        village: Some("V2"),
        listed_on: "2019-05-01",
        due_on: None,
        done_on: Some("2019-12-01"),
    },
    // Done inside Mar–Apr, after its due date: finished late.
    Task {
        code: "K7",
        level: "town",
        village: Some("V1"),
        listed_on: "2020-01-05",
        due_on: Some("2020-03-15"),
        done_on: Some("2020-04-10"),
    },
    // Done after Jan–Feb: still overdue and not dispatched at its end.
    Task {
        code: "K8",
        level: "town",
        village: Some("V1"),
        listed_on: "2020-01-15",
        due_on: Some("2020-02-20"),
        done_on: Some("2020-03-15"),
    },
];

/// (task, held on, progress, problems found, problems solved)
const DISPATCHES: [(&str, &str, i64, i64, i64); 7] = [
    ("K1", "2020-02-29", 10, 5, 0),
    ("K1", "2020-03-01", 40, 2, 1),
    ("K1", "2020-04-30", 60, 1, 1),
    ("K1", "2020-05-01", 80, 0, 3),
    ("K2", "2020-02-29", 20, 4, 4),
    ("K5", "2020-04-30", 90, 0, 0),
    ("K4", "2020-06-30", 50, 1, 0),
];

fn county() -> TestEnv {
    let env = TestEnv::new();
    let s = Seed::new(&env);
    s.cadre("L1", "黄志强");
    s.town("T1", "钟山镇", None);
    s.village("V1", "龙岩村", "T1", None, None);
    s.village("V2", "大田村", "T1", None, None);
    for t in &TASKS {
        s.task(
            t.code,
            t.level,
            t.village,
            "T1",
            t.listed_on,
            t.due_on,
            t.done_on,
        );
    }
    for (task, on, progress, found, solved) in DISPATCHES {
        s.dispatch(task, on, progress, found, solved);
    }
    env
}

/// The report for `from..=to`, worked out from the rows above.
fn expected(id: Option<&str>, from: &str, to: &str) -> Json {
    let mut tasks: Vec<&Task> = TASKS.iter().filter(|t| t.listed_on <= to).collect();
    tasks.sort_by_key(|t| (t.level != "county", t.code));
    let mut rows = Vec::new();
    let (mut done_n, mut overdue_n, mut not_dispatched_n, mut late_n) = (0, 0, 0, 0);
    for t in &tasks {
        let inside: Vec<_> = DISPATCHES
            .iter()
            .filter(|d| d.0 == t.code && d.1 >= from && d.1 <= to)
            .collect();
        let latest = DISPATCHES
            .iter()
            .filter(|d| d.0 == t.code && d.1 <= to)
            .max_by_key(|d| d.1)
            .map(|d| d.2);
        let done = t.done_on.is_some_and(|d| d <= to);
        let overdue = !done && t.due_on.is_some_and(|d| d < to);
        let not_dispatched = !done && inside.is_empty();
        let finished_late = done
            && t.due_on
                .is_some_and(|due| t.done_on.is_some_and(|d| d > due));
        late_n += i64::from(finished_late);
        done_n += i64::from(done);
        overdue_n += i64::from(overdue);
        not_dispatched_n += i64::from(not_dispatched);
        rows.push(json!({
            "code": t.code,
            "title": format!("任务{}", t.code),
            "level": t.level,
            "village": t.village,
            "village_name": t.village.map(|v| if v == "V1" { "龙岩村" } else { "大田村" }),
            "town": "T1",
            "town_name": "钟山镇",
            "leader": "L1",
            "leader_name": "黄志强",
            "team": (t.level == "county").then(|| format!("突击队{}", t.code)),
            "dispatches": inside.len(),
            "progress": latest,
            "problems_found": inside.iter().map(|d| d.3).sum::<i64>(),
            "problems_solved": inside.iter().map(|d| d.4).sum::<i64>(),
            "due_on": t.due_on,
            "status": if done { "done" } else if overdue { "overdue" } else { "open" },
            "overdue": overdue,
            "not_dispatched": not_dispatched,
            "finished_late": finished_late,
            "done_on": if done { t.done_on } else { None },
        }));
    }
    let listed = tasks.len() as i64;
    json!({
        "period": { "id": id, "from": from, "to": to },
        "tasks": rows,
        "totals": {
            "listed": listed,
            "done": done_n,
            "open": listed - done_n,
            "overdue": overdue_n,
            "not_dispatched": not_dispatched_n,
            "finished_late": late_n,
        },
    })
}

#[test]
fn a_block_counts_what_happened_inside_it() {
    let env = county();
    let want = expected(Some("202002B"), "2020-03-01", "2020-04-30");
    for period in ["2020-03", "2020-04", "202002B", "202002b"] {
        let got = json(&env, &["report", "dispatch", "--period", period]);
        assert_eq!(got, want, "--period {period}");
    }
    // Spot checks of what the rules above mean.
    let tasks = want["tasks"].as_array().expect("tasks");
    let codes: Vec<&str> = tasks.iter().filter_map(|t| t["code"].as_str()).collect();
    assert_eq!(
        codes,
        ["K1", "K5", "K2", "K3", "K6", "K7", "K8"],
        "county level first"
    );
    assert_eq!(tasks[0]["dispatches"], 2);
    assert_eq!(tasks[0]["progress"], 60);
    assert_eq!(tasks[2]["overdue"], true);
    assert_eq!(tasks[2]["not_dispatched"], true);
    assert_eq!(tasks[2]["progress"], 20);
    assert_eq!(tasks[3]["status"], "done");
    assert_eq!(tasks[3]["not_dispatched"], false);
    assert_eq!(tasks[5]["status"], "done");
    assert_eq!(tasks[5]["finished_late"], true);
    assert_eq!(tasks[3]["finished_late"], false);
}

#[test]
fn a_task_done_after_the_period_is_open_at_its_end() {
    let env = county();
    let got = json(&env, &["report", "dispatch", "--period", "202001B"]);
    assert_eq!(got, expected(Some("202001B"), "2020-01-01", "2020-02-29"));
    let k8 = got["tasks"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["code"] == "K8"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(k8["status"], "overdue", "{got}");
    assert_eq!(k8["not_dispatched"], true, "{got}");
    assert_eq!(
        got["totals"],
        // K1 K2 K5 K6 K7 K8 listed by the end of Feb; K6 done; K8 overdue;
        // K5, K7 and K8 open without a dispatch in the block.
        json!({"listed": 6, "done": 1, "open": 5, "overdue": 1, "not_dispatched": 3, "finished_late": 0})
    );
    let got = json(
        &env,
        &[
            "report",
            "dispatch",
            "--from",
            "2020-03-14",
            "--to",
            "2020-03-15",
        ],
    );
    let k8 = got["tasks"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["code"] == "K8"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(k8["status"], "done", "done on the period's last day");
}

#[test]
fn tasks_to_act_on_are_listed_under_the_table_by_code_and_title() {
    let env = county();
    // Computed from TASKS for Mar–Apr 2020: the overdue, the finished late
    // and the open tasks without a dispatch in the block.
    let (from, to) = ("2020-03-01", "2020-04-30");
    let dispatched = |code: &str| {
        DISPATCHES
            .iter()
            .any(|d| d.0 == code && d.1 >= from && d.1 <= to)
    };
    let listed: Vec<&Task> = TASKS.iter().filter(|t| t.listed_on <= to).collect();
    let done = |t: &Task| t.done_on.is_some_and(|d| d <= to);
    let overdue: Vec<&str> = listed
        .iter()
        .filter(|t| !done(t) && t.due_on.is_some_and(|d| d < to))
        .map(|t| t.code)
        .collect();
    let late: Vec<&str> = listed
        .iter()
        .filter(|t| done(t) && matches!((t.due_on, t.done_on), (Some(due), Some(d)) if d > due))
        .map(|t| t.code)
        .collect();
    let silent: Vec<&str> = listed
        .iter()
        .filter(|t| !done(t) && !dispatched(t.code))
        .map(|t| t.code)
        .collect();
    assert!(!overdue.is_empty() && !late.is_empty() && !silent.is_empty());
    for (lang, heads) in [
        (
            "zh",
            [
                "逾期未完成的任务：",
                "逾期完成的任务：",
                "本期未调度的任务：",
            ],
        ),
        (
            "en",
            [
                "Overdue:",
                "Finished late:",
                "Not dispatched in the period:",
            ],
        ),
    ] {
        let out = env.ok(&["--lang", lang, "report", "dispatch", "--period", "202002B"]);
        // Each list follows its heading, one task a line, code then title.
        let lines: Vec<&str> = out.lines().collect();
        for (head, codes) in heads.iter().zip([&overdue, &late, &silent]) {
            let at = lines
                .iter()
                .position(|l| l == head)
                .unwrap_or_else(|| panic!("{head} missing:\n{out}"));
            let items: Vec<&str> = lines[at + 1..]
                .iter()
                .take_while(|l| l.starts_with("  "))
                .map(|l| l.trim().split(' ').next().unwrap_or(""))
                .collect();
            assert_eq!(&items, codes, "{head}\n{out}");
            for code in codes.iter() {
                assert!(
                    lines[at + 1..]
                        .iter()
                        .any(|l| l.trim().starts_with(&format!("{code} 任务{code}"))),
                    "{code} by code and title\n{out}"
                );
            }
        }
        let flag = if lang == "zh" {
            "逾期完成"
        } else {
            "FINISHED LATE"
        };
        let row = lines
            .iter()
            .find(|l| l.contains("K7"))
            .unwrap_or_else(|| panic!("{out}"));
        assert!(row.contains(flag), "{row}");
    }
}

#[test]
fn every_block_and_custom_ranges() {
    let env = county();
    for (period, id, from, to) in [
        ("2020-01", "202001B", "2020-01-01", "2020-02-29"),
        ("202003B", "202003B", "2020-05-01", "2020-06-30"),
        ("2020-06", "202003B", "2020-05-01", "2020-06-30"),
        ("2020-12", "202006B", "2020-11-01", "2020-12-31"),
        ("201906B", "201906B", "2019-11-01", "2019-12-31"),
    ] {
        let got = json(&env, &["report", "dispatch", "--period", period]);
        assert_eq!(got, expected(Some(id), from, to), "--period {period}");
    }
    for (from, to) in [
        ("2020-03-01", "2020-03-01"),
        ("2020-04-30", "2020-05-01"),
        ("2019-01-01", "2020-12-31"),
    ] {
        let got = json(&env, &["report", "dispatch", "--from", from, "--to", to]);
        assert_eq!(got, expected(None, from, to), "--from {from} --to {to}");
    }
    let got = json(
        &env,
        &[
            "report",
            "dispatch",
            "--from",
            "2020年3月1日",
            "--to",
            "2020/4/30",
        ],
    );
    assert_eq!(got, expected(None, "2020-03-01", "2020-04-30"));
}

#[test]
fn bad_periods_are_clear_errors() {
    let env = county();
    for bad in [
        "202007B", "202000B", "2020-13", "2020-00", "2020", "March", "1020-03", "1899-12",
        "189906B",
    ] {
        let err = env.fails(&["report", "dispatch", "--period", bad], 1);
        assert!(err.contains("--period"), "{bad}: {err}");
    }
    let err = env.fails(&["report", "dispatch", "--period", "1020-03"], 1);
    assert!(err.contains("year 1020 is out of range"), "{err}");
    let err = env.fails(&["report", "dispatch", "--period", "202007B"], 1);
    assert!(err.contains("01 (Jan–Feb) to 06 (Nov–Dec)"), "{err}");
    let err = env.fails(
        &[
            "report",
            "dispatch",
            "--from",
            "2020-05-01",
            "--to",
            "2020-04-30",
        ],
        1,
    );
    assert!(err.contains("after"), "{err}");
    env.fails(
        &[
            "report",
            "dispatch",
            "--period",
            "2020-03",
            "--from",
            "2020-03-01",
            "--to",
            "2020-03-02",
        ],
        2,
    );
    env.fails(&["report", "dispatch", "--from", "2020-03-01"], 2);
}

#[test]
fn the_printed_form_flags_what_is_behind() {
    let env = county();
    let out = env.ok(&["report", "dispatch", "--period", "202002B"]);
    assert!(
        out.contains("Period: 2020-03-01 to 2020-04-30 (Mar–Apr 2020, block 202002B)"),
        "{out}"
    );
    let k2 = out.lines().find(|l| l.contains("K2")).expect("K2 row");
    assert!(
        k2.contains("OVERDUE") && k2.contains("NOT DISPATCHED"),
        "{k2}"
    );
    let k1 = out.lines().find(|l| l.contains("K1")).expect("K1 row");
    assert!(
        !k1.contains("OVERDUE") && !k1.contains("NOT DISPATCHED"),
        "{k1}"
    );
    let out = env.ok(&["--lang", "zh", "report", "dispatch", "--period", "202002B"]);
    assert!(
        out.contains("统计期间：2020年3月1日至2020年4月30日（2020年第2期，202002B）"),
        "{out}"
    );
    let k2 = out.lines().find(|l| l.contains("K2")).expect("K2 row");
    assert!(k2.contains("逾期、未调度"), "{k2}");
}

#[test]
fn without_a_period_it_is_the_block_holding_today() {
    use chrono::Datelike;
    let env = county();
    let today = chrono::Local::now().date_naive();
    let got = json(&env, &["report", "dispatch"]);
    let id = format!("{}{:02}B", today.year(), today.month().div_ceil(2));
    assert_eq!(got["period"]["id"], id.as_str());
    let from = got["period"]["from"].as_str().unwrap_or("");
    let to = got["period"]["to"].as_str().unwrap_or("");
    let today = today.format("%Y-%m-%d").to_string();
    assert!(from <= today.as_str() && today.as_str() <= to, "{got}");
}
