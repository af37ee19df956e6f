//! `fupin report`: figures on small hand-built counties, worked out in each
//! test from the rows it inserted; snapshots of the printed forms.

mod dispatch;
mod double_clear;
mod html;
mod progress;
mod tasks;
mod teams;
pub mod xlsx;

use serde_json::Value as Json;

use crate::common::TestEnv;

/// Writes records straight into the test database: faster than one process
/// per record, and the clerk commands have their own tests.
pub struct Seed<'a> {
    conn: rusqlite::Connection,
    _env: &'a TestEnv,
}

#[allow(dead_code)]
impl<'a> Seed<'a> {
    pub fn new(env: &'a TestEnv) -> Seed<'a> {
        let conn = rusqlite::Connection::open(env.db()).expect("open db");
        conn.pragma_update(None, "foreign_keys", "ON").expect("fk");
        Seed { conn, _env: env }
    }

    pub fn exec(&self, sql: &str, params: impl rusqlite::Params) {
        self.conn
            .execute(sql, params)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub fn cadre(&self, code: &str, name: &str) {
        self.exec(
            "INSERT INTO cadres (code, name) VALUES (?1, ?2)",
            (code, name),
        );
    }

    pub fn zone(&self, code: &str, name: &str) {
        self.exec(
            "INSERT INTO zones (code, name) VALUES (?1, ?2)",
            (code, name),
        );
    }

    pub fn town(&self, code: &str, name: &str, zone: Option<&str>) {
        self.exec(
            "INSERT INTO towns (code, name, zone) VALUES (?1, ?2, ?3)",
            (code, name, zone),
        );
    }

    /// A village; `poor` = (registered on, lifted on) of a poor village.
    pub fn village(
        &self,
        code: &str,
        name: &str,
        town: &str,
        population: Option<i64>,
        poor: Option<(&str, Option<&str>)>,
    ) {
        self.exec(
            "INSERT INTO villages (code, name, town, population, poor_village, registered_on, lifted_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (
                code,
                name,
                town,
                population,
                poor.is_some(),
                poor.map(|p| p.0),
                poor.and_then(|p| p.1),
            ),
        );
    }

    pub fn household(&self, h: &Household) {
        self.exec(
            "INSERT INTO households (code, village, head_name, id_number, members, registered_on, lifted_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (
                h.code,
                h.village,
                format!("户主{}", h.code),
                id_number(h.code),
                h.members,
                h.registered_on,
                h.lifted_on,
            ),
        );
    }

    #[allow(clippy::too_many_arguments)]
    pub fn task(
        &self,
        code: &str,
        level: &str,
        village: Option<&str>,
        town: &str,
        listed_on: &str,
        due_on: Option<&str>,
        done_on: Option<&str>,
    ) {
        self.exec(
            "INSERT INTO tasks (code, title, level, village, town, leader, team, listed_on, due_on, done_on)
             VALUES (?1, ?2, ?3, ?4, ?5, 'L1', ?6, ?7, ?8, ?9)",
            (
                code,
                format!("任务{code}"),
                level,
                village,
                town,
                (level == "county").then(|| format!("突击队{code}")),
                listed_on,
                due_on,
                done_on,
            ),
        );
    }

    pub fn dispatch(&self, task: &str, held_on: &str, progress: i64, found: i64, solved: i64) {
        self.exec(
            "INSERT INTO dispatches (task, held_on, progress, problems_found, problems_solved)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            (task, held_on, progress, found, solved),
        );
    }

    /// A post at a village (`V…`), a town (`T…`) or, for commandos, a task.
    pub fn post(&self, cadre: &str, role: &str, place: &str, started: &str, ended: Option<&str>) {
        let (town, village, task) = match (role, place.chars().next()) {
            ("commando", _) => (None, None, Some(place)),
            (_, Some('T')) => (Some(place), None, None),
            _ => (None, Some(place), None),
        };
        self.exec(
            "INSERT INTO posts (cadre, role, town, village, task, started_on, ended_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (cadre, role, town, village, task, started, ended),
        );
    }
}

/// A household as a test inserts it.
#[derive(Debug, Clone, Copy)]
pub struct Household {
    pub code: &'static str,
    pub village: &'static str,
    pub members: i64,
    pub registered_on: &'static str,
    pub lifted_on: Option<&'static str>,
}

/// A valid ID number made from a household code, unique per code.
pub fn id_number(code: &str) -> String {
    let digits: u64 = code
        .bytes()
        .fold(0u64, |acc, b| (acc * 131 + u64::from(b)) % 10_000);
    let first17 = format!("4511221980010{digits:04}");
    let check = fupin::values::id_check_digit(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// Runs a report with `--format json` and parses it.
pub fn json(env: &TestEnv, args: &[&str]) -> Json {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json"]);
    let out = env.ok(&all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// `part / whole × 100` to two decimals, as the reports print it.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 10000.0 / whole as f64).round() / 100.0)
}

/// A JSON number or null from an optional figure.
pub fn num(x: Option<f64>) -> Json {
    x.map(Json::from).unwrap_or(Json::Null)
}

/// The generation time changes on every run; snapshots show a placeholder.
pub fn scrub(text: &str) -> String {
    let mut out = text.to_string();
    for label in ["Generated: ", "生成时间："] {
        let mut from = 0;
        while let Some(at) = out[from..].find(label) {
            let start = from + at + label.len();
            // "2026-11-28 19:58"
            let end = start + "YYYY-MM-DD HH:MM".len();
            if end <= out.len() {
                out.replace_range(start..end, "[GENERATED]");
            }
            from = start;
        }
    }
    out
}

#[test]
fn a_report_needs_a_subcommand() {
    let env = TestEnv::empty();
    let err = env.fails(&["report"], 2);
    assert!(!err.is_empty());
}

#[test]
fn every_report_refuses_a_missing_database() {
    let env = TestEnv::empty();
    for report in ["double-clear", "dispatch", "teams", "tasks"] {
        let err = env.fails(&["report", report], 1);
        assert!(err.contains("init"), "{report}: {err}");
        assert!(!env.db().exists());
    }
}

#[test]
fn a_bad_date_is_named_with_its_flag() {
    let env = TestEnv::new();
    let err = env.fails(&["report", "double-clear", "--as-of", "2020-02-30"], 1);
    assert!(err.contains("--as-of"), "{err}");
    let err = env.fails(&["report", "tasks", "--level", "village"], 1);
    assert!(err.contains("--level"), "{err}");
}

#[test]
fn output_goes_to_a_file_with_o() {
    let env = TestEnv::new();
    let path = env.path("out.csv");
    let stdout = env.ok(&[
        "report",
        "double-clear",
        "--as-of",
        "2020-12-31",
        "--format",
        "csv",
        "-o",
        path.to_str().expect("utf-8 path"),
    ]);
    assert!(stdout.is_empty(), "{stdout}");
    let csv = std::fs::read_to_string(&path).expect("written");
    assert!(csv.starts_with("Code,Town,Villages,"), "{csv}");
}

/// JSON streams to its file or to standard output: the same bytes either
/// way, the file private and whole.
#[test]
fn json_streams_to_a_file_with_o_as_to_stdout() {
    let env = snapshot_county();
    for by in ["village", "town"] {
        let args = [
            "report",
            "double-clear",
            "--as-of",
            "2020-06-30",
            "--by",
            by,
            "--format",
            "json",
        ];
        let stdout = env.ok(&args);
        let path = env.path("out.json");
        let mut to_file = args.to_vec();
        to_file.extend(["-o", path.to_str().expect("utf-8 path")]);
        assert_eq!(env.ok(&to_file), "");
        assert_eq!(std::fs::read_to_string(&path).expect("written"), stdout);
        assert!(stdout.ends_with("}\n"), "{stdout}");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn unit_overrides_the_reporting_unit() {
    let env = TestEnv::new();
    let out = env.ok(&[
        "--lang",
        "zh",
        "report",
        "double-clear",
        "--as-of",
        "2020",
        "--unit",
        "钟山县乡村振兴局",
    ]);
    assert!(out.contains("填报单位：钟山县乡村振兴局"), "{out}");
    assert!(out.contains("截止时间：2020年12月31日"), "{out}");
    let out = env.ok(&["--lang", "zh", "report", "double-clear", "--as-of", "2020"]);
    assert!(
        out.contains("填报单位：钟山县扶贫开发领导小组办公室"),
        "{out}"
    );
}

/// A county for the snapshots: two zones, three towns, villages with and
/// without poor households, tasks, dispatches and posts.
fn snapshot_county() -> TestEnv {
    let env = TestEnv::new();
    let s = Seed::new(&env);
    s.cadre("L1", "黄志强");
    s.cadre("C1", "李秀英");
    s.cadre("C2", "陈建国");
    s.zone("Z1", "钟山镇作战区");
    s.zone("Z2", "回龙镇作战区");
    s.town("T1", "钟山镇", Some("Z1"));
    s.town("T2", "回龙镇", Some("Z2"));
    s.town("T3", "石龙镇", Some("Z2"));
    s.village(
        "V1",
        "龙岩村",
        "T1",
        Some(1200),
        Some(("2015-12-31", Some("2020-11-30"))),
    );
    s.village("V2", "凤凰社区", "T1", Some(3400), None);
    s.village("V3", "大田村", "T2", Some(980), None);
    for h in [
        Household {
            code: "H1",
            village: "V1",
            members: 4,
            registered_on: "2015-06-01",
            lifted_on: Some("2020-06-30"),
        },
        Household {
            code: "H2",
            village: "V1",
            members: 3,
            registered_on: "2015-06-01",
            lifted_on: None,
        },
        Household {
            code: "H3",
            village: "V3",
            members: 5,
            registered_on: "2016-06-01",
            lifted_on: Some("2019-12-31"),
        },
    ] {
        s.household(&h);
    }
    s.task(
        "K1",
        "county",
        Some("V1"),
        "T1",
        "2020-01-10",
        Some("2020-10-31"),
        None,
    );
    s.task(
        "K2",
        "town",
        Some("V3"),
        "T2",
        "2020-01-10",
        Some("2020-04-15"),
        None,
    );
    s.task(
        "K3",
        "town",
        None,
        "T1",
        "2020-02-01",
        None,
        Some("2020-04-20"),
    );
    s.dispatch("K1", "2020-03-01", 40, 3, 1);
    s.dispatch("K1", "2020-04-30", 65, 1, 2);
    s.post("C1", "party_secretary", "V1", "2016-01-01", None);
    s.post("C1", "committee_director", "V1", "2016-01-01", None);
    s.post("C2", "first_secretary", "V1", "2018-01-01", None);
    s.post("C2", "info_officer", "V3", "2018-01-01", None);
    env
}

#[test]
fn printed_forms_in_both_languages() {
    let env = snapshot_county();
    let reports: [(&str, &[&str]); 4] = [
        ("double_clear", &["double-clear", "--as-of", "2020-07-01"]),
        ("dispatch", &["dispatch", "--period", "202002B"]),
        ("teams", &["teams", "--as-of", "2020-07-01"]),
        ("tasks", &["tasks", "--as-of", "2020-05-01"]),
    ];
    for (name, args) in reports {
        for lang in ["en", "zh"] {
            for format in ["table", "markdown"] {
                let mut all = vec!["--lang", lang, "report"];
                all.extend(args);
                all.extend(["--format", format]);
                let out = scrub(&env.ok(&all));
                insta::assert_snapshot!(format!("{name}_{format}_{lang}"), out);
            }
        }
    }
}

#[test]
fn csv_has_a_header_the_rows_and_the_total_only() {
    let env = snapshot_county();
    let out = env.ok(&[
        "--lang",
        "zh",
        "report",
        "double-clear",
        "--as-of",
        "2020-07-01",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 3 + 1, "{out}");
    assert!(lines[0].starts_with("代码,乡镇,行政村（个）,"), "{out}");
    assert!(
        lines[1].starts_with("T1,钟山镇,2,1,1,2,7,1,3,1,4,0,0,0,0,4600,"),
        "{out}"
    );
    assert!(lines[4].starts_with(",合计,3,"), "{out}");
    assert!(!out.contains("填报单位"), "no title block in CSV: {out}");
}

/// Columns a line takes on a terminal, Chinese counting two.
fn columns(line: &str) -> usize {
    line.chars().map(fupin::report::sheet::char_width).sum()
}

/// The lines of a report's table and their widest.
fn table_width(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
        .map(columns)
        .max()
        .unwrap_or(0)
}

#[test]
fn tables_fit_the_terminal_and_centre_the_title_over_the_table() {
    let env = snapshot_county();
    // (arguments, whether the narrowest layout fits 80 columns in English
    // and in Chinese): the double-clear form has 14 columns of figures
    // whose words and numbers are never broken.
    let reports: [(&[&str], bool); 4] = [
        (
            &["double-clear", "--as-of", "2020-07-01", "--by", "village"],
            false,
        ),
        (&["dispatch", "--period", "202002B"], false),
        (&["teams", "--as-of", "2020-07-01"], false),
        (&["tasks", "--as-of", "2020-05-01"], true),
    ];
    for (args, fits) in reports {
        for lang in ["en", "zh"] {
            let mut all = vec!["--lang", lang, "report"];
            all.extend(args);
            let wide = env.ok(&all);
            let out = env
                .command()
                .env("COLUMNS", "100")
                .args(&all)
                .output()
                .expect("run");
            assert!(out.status.success(), "{all:?}");
            let text = String::from_utf8(out.stdout).expect("utf-8");
            let narrow = table_width(&text);
            assert!(
                narrow < table_width(&wide),
                "{all:?}: narrower when told\n{text}"
            );
            if fits {
                assert!(narrow <= 100, "{all:?}: {narrow}\n{text}");
            }
            // Codes and figures are never broken over two lines.
            for code in ["V1", "V2", "T1", "K1", "K2", "2020-04-15", "2020-10-31"] {
                if wide.contains(&format!(" {code} ")) {
                    assert!(text.contains(code), "{code}\n{text}");
                }
            }
            // The title: centred over the table, not over the terminal.
            let title = text.lines().next().expect("title");
            let pad = title.len() - title.trim_start().len();
            let rest = columns(title.trim_start());
            assert!(rest <= narrow.max(20), "{title}");
            assert_eq!(pad, (narrow - rest) / 2, "{all:?}\n{text}");
        }
    }
}

#[test]
fn chinese_csv_in_a_file_opens_right_in_excel() {
    let env = snapshot_county();
    let args = |file: &str, extra: &[&'static str]| -> Vec<String> {
        let mut all: Vec<String> = [
            "--lang",
            "zh",
            "report",
            "double-clear",
            "--as-of",
            "2020-07-01",
            "--format",
            "csv",
            "-o",
        ]
        .map(String::from)
        .to_vec();
        all.push(env.path(file).display().to_string());
        all.extend(extra.iter().map(|s| s.to_string()));
        all
    };
    let run = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        env.ok(&refs);
    };
    let stdout = env.ok(&[
        "--lang",
        "zh",
        "report",
        "double-clear",
        "--as-of",
        "2020-07-01",
        "--format",
        "csv",
    ]);
    assert!(
        !stdout.starts_with('\u{feff}'),
        "no BOM on stdout by default"
    );

    run(args("bom.csv", &[]));
    let bytes = std::fs::read(env.path("bom.csv")).expect("written");
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "a BOM by default in a zh file"
    );
    assert_eq!(&bytes[3..], stdout.as_bytes(), "then the same CSV");

    run(args("plain.csv", &["--no-bom"]));
    assert_eq!(
        std::fs::read(env.path("plain.csv")).expect("written"),
        stdout.as_bytes()
    );

    run(args("gbk.csv", &["--encoding", "gb18030"]));
    let bytes = std::fs::read(env.path("gbk.csv")).expect("written");
    let (decoded, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad);
    assert_eq!(decoded, stdout, "the same text in GB18030");
    assert_ne!(bytes, stdout.as_bytes());

    let with_bom = env.ok(&[
        "report",
        "double-clear",
        "--as-of",
        "2020-07-01",
        "--format",
        "csv",
        "--bom",
    ]);
    assert!(with_bom.starts_with('\u{feff}'), "--bom on stdout too");
    let en_file = env.path("en.csv");
    env.ok(&[
        "report",
        "double-clear",
        "--format",
        "csv",
        "-o",
        en_file.to_str().expect("utf-8"),
    ]);
    assert!(
        !std::fs::read(&en_file)
            .expect("written")
            .starts_with(b"\xEF\xBB\xBF")
    );

    let err = env.fails(&["report", "tasks", "--bom"], 1);
    assert!(err.contains("--format csv"), "{err}");
    let err = env.fails(
        &["report", "tasks", "--format", "csv", "--encoding", "utf-16"],
        1,
    );
    assert!(err.contains("gb18030"), "{err}");
}
