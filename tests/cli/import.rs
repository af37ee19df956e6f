//! `fupin import`: files as townships send them, and every way they go wrong.

use crate::common::TestEnv;
use crate::county::{self, id};

const HEADER: &str = "code,village,head_name,id_number,members,registered_on";

/// A county with towns, villages and cadres, ready for households.
fn ready() -> TestEnv {
    let env = TestEnv::new();
    county::places(&env);
    env
}

/// Every household, its columns in the contract's order.
pub fn households(env: &TestEnv) -> Vec<Vec<String>> {
    env.sql(
        "SELECT code, village, head_name, id_number, members, attribute, ifnull(cause, ''),
                registered_on, ifnull(lifted_on, ''), ifnull(helper, ''), ifnull(phone, ''),
                ifnull(note, '')
         FROM households ORDER BY code",
    )
}

#[test]
fn refuses_a_missing_database() {
    let env = TestEnv::empty();
    env.write("households.csv", "code\n");
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(err.contains("init"), "{err}");
    assert!(!env.db().exists());
}

#[test]
fn needs_a_file() {
    let env = TestEnv::new();
    env.fails(&["import"], 2);
    let err = env.fails(&["import", "nonsense", "x.csv"], 2);
    assert!(err.contains("no record kind nonsense"), "{err}");
}

#[test]
fn gbk_file_with_chinese_headers_as_excel_writes_it() {
    let env = ready();
    let text = format!(
        "户编号,行政村,乡镇,户主姓名,身份证号码,家庭人口,贫困户属性,致贫原因,识别年度,脱贫时间,帮扶责任人,联系电话,备注\r\n\
         H1,新村,钟山镇,欧阳娜娜,{},３,低保户,因病,2014,2016年12月31日,王五,139 0000 0001,\r\n\
         H2,新村,回龙镇,赵六,{},1,特困供养贫困户,缺劳力,2015/3/5,,李四,,五保\r\n\
         Ｈ３,451122100202,,钱七,{},２,一般贫困户,交通条件落后,20190305,2020.11.30,,,\r\n",
        id("45112219800101123"),
        id("45112219750505002").replace('X', "x"),
        id("45112219900909456"),
    );
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    env.write("贫困户.csv", &gbk);
    let out = env.ok(&["import", "贫困户.csv", "--format", "json"]);
    assert_eq!(
        out.trim(),
        r#"{"file":"贫困户.csv","entity":"household","inserted":3,"updated":0,"unchanged":0,"rejected":0,"skipped":[],"not_kept":[],"ignored":[],"excel_serial_dates":0,"ids_15_to_18":0,"warnings":[]}"#
    );
    let rows = households(&env);
    assert_eq!(
        rows[0],
        [
            "H1",
            "451122100201",
            "欧阳娜娜",
            &id("45112219800101123"),
            "3",
            "low_income",
            "illness",
            "2014-12-31",
            "2016-12-31",
            "GB3",
            "13900000001",
            ""
        ]
    );
    // 新村 of 回龙镇, told apart from 新村 of 钟山镇 by the town column.
    assert_eq!(rows[1][1], "451122101201");
    assert_eq!(rows[1][3], id("45112219750505002"));
    assert!(rows[1][3].ends_with('X') || !rows[1][3].contains('x'));
    assert_eq!(rows[1][5], "extreme_poverty");
    assert_eq!(rows[1][6], "lack_of_labour");
    assert_eq!(rows[1][7], "2015-03-05");
    assert_eq!(rows[1][9], "GB2");
    assert_eq!(rows[1][11], "五保");
    assert_eq!(rows[2][0], "H3");
    assert_eq!(rows[2][4], "2");
    assert_eq!(rows[2][6], "poor_transport");
    assert_eq!(rows[2][7], "2019-03-05");
    assert_eq!(rows[2][8], "2020-11-30");
}

#[test]
fn utf8_with_bom_and_english_values() {
    let env = ready();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(county::households().as_bytes());
    env.write("households.csv", &bytes);
    let out = env.ok(&["import", "households.csv"]);
    assert!(out.contains("households.csv"), "{out}");
    let rows = households(&env);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][11], "说明,含逗号");
    assert_eq!(rows[2][11], "两行\n备注");
    assert_eq!(rows[1][2], "O'Brien");
}

#[test]
fn utf16_unicode_text_with_tabs() {
    let env = ready();
    let text = format!(
        "户编号\t村\t户主\t身份证号\t人口数\t识别时间\r\nH1\t451122100201\t张三\t{}\t2\t2016-01-02\r\n",
        id("45112219800101123")
    );
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    env.write("households.txt", &bytes);
    env.ok(&["import", "households", "households.txt"]);
    assert_eq!(
        env.sql("SELECT code, head_name, registered_on FROM households"),
        [["H1", "张三", "2016-01-02"]]
    );
}

#[test]
fn the_kind_comes_from_the_header_when_the_name_does_not_tell() {
    let env = ready();
    env.write(
        "data.csv",
        format!(
            "{HEADER}\nH1,451122100201,张三,{},2,2016\n",
            id("45112219800101123")
        ),
    );
    env.ok(&["import", "data.csv"]);
    assert_eq!(env.count("SELECT count(*) FROM households"), 1);
}

/// Imports `body` under the standard header and asserts that it is refused
/// with exit 1 and nothing changes; returns stderr.
fn refused(env: &TestEnv, header: &str, body: &str) -> String {
    if header.is_empty() {
        env.write("households.csv", body);
    } else {
        env.write("households.csv", format!("{header}\n{body}"));
    }
    let before = env.snapshot();
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(env.snapshot() == before, "the database changed");
    assert!(err.contains("nothing was written"), "{err}");
    err
}

#[test]
fn bad_date() {
    let env = ready();
    let good = id("45112219800101123");
    let err = refused(
        &env,
        HEADER,
        &format!(
            "H1,451122100201,张三,{good},2,2016\nH2,451122100201,李四,{},2,2019-02-29\n",
            id("45112219750505002")
        ),
    );
    assert!(
        err.contains("households.csv:3: registered_on: no such day in the calendar (2019-02-29)"),
        "{err}"
    );
}

#[test]
fn bad_id_check_digit_and_scientific_notation() {
    let env = ready();
    let good = id("45112219800101123");
    let mut bad = good.clone();
    let last = if bad.ends_with('1') { '2' } else { '1' };
    bad.pop();
    bad.push(last);
    let err = refused(
        &env,
        HEADER,
        &format!("H1,451122100201,张三,{bad},2,2016\nH2,451122100201,李四,4.51122E+17,2,2016\n"),
    );
    assert!(
        err.contains("households.csv:2: id_number: check digit should be"),
        "{err}"
    );
    assert!(
        err.contains(
            "households.csv:3: id_number: mangled by a spreadsheet into scientific notation (4.51122E+17); format the column as text before exporting"
        ),
        "{err}"
    );
}

#[test]
fn excel_error_values_and_members_zero_and_unknown_village() {
    let env = ready();
    let err = refused(
        &env,
        HEADER,
        &format!(
            "H1,#N/A,张三,{},2,2016\nH2,451122100201,李四,{},0,2016\nH3,无此村,王五,{},1,2016\n",
            id("45112219800101123"),
            id("45112219750505002"),
            id("45112219900909456")
        ),
    );
    assert!(
        err.contains("households.csv:2: village: spreadsheet error value #N/A, not data;"),
        "{err}"
    );
    assert!(
        err.contains("households.csv:3: members: must be between 1 and 99 (0)"),
        "{err}"
    );
    assert!(
        err.contains("households.csv:4: village: no village 无此村;"),
        "{err}"
    );
    assert!(err.contains("3 problems; nothing was written"), "{err}");
}

#[test]
fn every_problem_is_reported_up_to_a_cap() {
    let env = ready();
    let body: String = (1..=60)
        .map(|i| {
            format!(
                "H{i},451122100201,张三,{},2,notadate\n",
                id(&format!("45112219800101{i:03}"))
            )
        })
        .collect();
    let err = refused(&env, HEADER, &body);
    assert!(err.contains("households.csv:51: registered_on"), "{err}");
    assert!(!err.contains("households.csv:52:"), "{err}");
    assert!(err.contains("… and 10 more"), "{err}");
}

#[test]
fn unknown_and_missing_columns_are_reported_before_any_row() {
    let env = ready();
    let err = refused(
        &env,
        "code,village,head_name,members,registered_on,colour",
        "H1,451122100201,张三,2,notadate\n",
    );
    assert!(
        err.contains("households.csv:1: colour: unknown column"),
        "{err}"
    );
    assert!(
        err.contains("households.csv:1: id_number: required column is missing"),
        "{err}"
    );
    // The rows were not looked at.
    assert!(!err.contains(":2:"), "{err}");
}

#[test]
fn unknown_columns_may_be_ignored() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "{HEADER},colour\nH1,451122100201,张三,{},2,2016,red\n",
            id("45112219800101123")
        ),
    );
    env.ok(&["import", "households.csv", "--ignore-unknown-columns"]);
    assert_eq!(env.count("SELECT count(*) FROM households"), 1);
}

/// `import households.csv --ignore-unknown-columns`, which must name the
/// unnamed column 8 as ignored; the summary.
fn ignoring(env: &TestEnv) -> serde_json::Value {
    let out: serde_json::Value = serde_json::from_str(&env.ok(&[
        "import",
        "households.csv",
        "--ignore-unknown-columns",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        out["ignored"],
        serde_json::json!(["column 8 (no header)"]),
        "{out}"
    );
    out
}

/// A value under a column without a header is refused without the flag,
/// blaming no field, and with the flag named in the summary as ignored,
/// never dropped unseen; also on a re-import that would otherwise be
/// unchanged, and past the header's width.
#[test]
fn a_value_without_a_header_is_refused_or_named_as_ignored() {
    let env = ready();
    let row = format!("H1,451122100201,张三,{},2,2016", id("45112219800101123"));
    env.write(
        "households.csv",
        format!("{HEADER},lifted_on,\n{row},,2019\n"),
    );
    let before = env.snapshot();
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(
        err.contains(
            "households.csv:2: unnamed column: a value in column 8, which has no header (2019)"
        ),
        "{err}"
    );
    assert!(!err.contains("code:"), "{err}");
    assert_eq!(env.snapshot(), before);
    let out = ignoring(&env);
    assert_eq!(out["inserted"], 1, "{out}");
    // The same row again: unchanged, but not passed over unread.
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(err.contains("column 8, which has no header"), "{err}");
    // A cell past the header's width, on a row that is otherwise unchanged.
    env.write(
        "households.csv",
        format!("{HEADER},lifted_on\n{row},,2019\n"),
    );
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(
        err.contains("households.csv:2: unnamed column: the row has 8 cells, the header only 7 (a value in column 8) (2019)"),
        "{err}"
    );
    let out = ignoring(&env);
    assert_eq!(out["unchanged"], 1, "{out}");
    let err = env.fails(&["--lang", "zh", "import", "households.csv"], 1);
    assert!(err.contains("无列名的列"), "{err}");
}

#[test]
fn duplicate_key_in_a_file_names_both_lines() {
    // Into an empty table (loaded in bulk) and into one that has rows.
    for seeded in [false, true] {
        let env = ready();
        if seeded {
            env.write(
                "first.csv",
                format!(
                    "{HEADER}\nH0,451122100201,甲,{},1,2016\n",
                    id("45112219700101123")
                ),
            );
            env.ok(&["import", "households", "first.csv"]);
        }
        let err = refused(
            &env,
            HEADER,
            &format!(
                "H1,451122100201,张三,{},2,2016\nH2,451122100201,李四,{},2,2016\nH1,451122100201,王五,{},2,2016\n",
                id("45112219800101123"),
                id("45112219750505002"),
                id("45112219900909456")
            ),
        );
        assert!(
            err.contains("households.csv:4: code: duplicate key (H1), also on line 2"),
            "seeded {seeded}: {err}"
        );
    }
}

#[test]
fn duplicate_id_numbers_in_the_file_and_against_the_database() {
    for seeded in [false, true] {
        let env = ready();
        let shared = id("45112219800101123");
        if seeded {
            env.write(
                "first.csv",
                format!(
                    "{HEADER}\nH0,451122100201,甲,{},1,2016\n",
                    id("45112219700101123")
                ),
            );
            env.ok(&["import", "households", "first.csv"]);
        }
        let err = refused(
            &env,
            HEADER,
            &format!(
                "H1,451122100201,张三,{shared},2,2016\nH2,451122100201,李四,{},2,2016\nH3,451122100201,王五,{shared},2,2016\n",
                id("45112219750505002"),
            ),
        );
        assert!(
            err.contains(
                "households.csv:4: id_number: ID number (451122********1234) also on line 2"
            ) || err.contains("households.csv:4: id_number: ID number (")
                && err.contains("also on line 2"),
            "seeded {seeded}: {err}"
        );
        assert!(!err.contains(&shared), "whole ID number leaked: {err}");
    }
    let env = ready();
    env.write(
        "first.csv",
        format!(
            "{HEADER}\nH0,451122100201,甲,{},1,2016\n",
            id("45112219700101123")
        ),
    );
    env.ok(&["import", "households", "first.csv"]);
    let err = refused(
        &env,
        HEADER,
        &format!("H9,451122100201,张三,{},2,2016\n", id("45112219700101123")),
    );
    assert!(
        err.contains("households.csv:2: id_number: already registered for household H0"),
        "{err}"
    );
}

#[test]
fn line_numbers_count_line_breaks_inside_quoted_cells() {
    let env = ready();
    let err = refused(
        &env,
        "code,village,head_name,id_number,members,registered_on,note",
        &format!(
            "H1,451122100201,张三,{},2,2016,\"one\ntwo\nthree\"\nH2,451122100201,李四,{},2,bad,\n",
            id("45112219800101123"),
            id("45112219750505002")
        ),
    );
    assert!(
        err.contains("households.csv:5: registered_on: not a date (bad)"),
        "{err}"
    );
}

#[test]
fn a_folder_is_all_or_nothing() {
    let env = TestEnv::new();
    let dir = county::write_folder(&env, "county");
    // One bad row in the last file refuses every file.
    std::fs::write(
        dir.join("promotions.csv"),
        "cadre,promoted_on,post,note\nGB3,2020-13-01,任副镇长,\n",
    )
    .unwrap();
    let before = env.snapshot();
    let err = env.fails(&["import", "county"], 1);
    assert!(err.contains("promotions.csv:2: promoted_on"), "{err}");
    assert!(env.snapshot() == before);
    assert_eq!(env.count("SELECT count(*) FROM cadres"), 0);
}

#[test]
fn a_folder_imports_in_dependency_order_and_sums_up() {
    let env = TestEnv::new();
    county::write_folder(&env, "county");
    let out = env.ok(&["import", "county", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "files",
            "skipped_sheets",
            "inserted",
            "updated",
            "unchanged",
            "rejected"
        ]
    );
    let kinds: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["entity"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "cadre",
            "zone",
            "town",
            "village",
            "household",
            "task",
            "post",
            "dispatch",
            "visit",
            "promotion"
        ]
    );
    assert_eq!(json["inserted"], 23);
    assert_eq!(
        env.count("SELECT count(*) FROM posts WHERE task = 'XJ01'"),
        1
    );
    // Again: nothing changes.
    let out = env.ok(&["import", "county", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["unchanged"], 23);
    assert_eq!(json["inserted"], 0);
    assert_eq!(json["updated"], 0);
}

#[test]
fn skip_invalid_writes_the_good_rows_and_sets_the_bad_aside() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "{HEADER}\nH1,451122100201,张三,{},2,2016\nH2,451122100201,李四,{},0,2016\nH3,451122100201,王五,{},1,2017\n",
            id("45112219800101123"),
            id("45112219750505002"),
            id("45112219900909456")
        ),
    );
    let out = env.run(&[
        "import",
        "households.csv",
        "--skip-invalid",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        r#"{"file":"households.csv","entity":"household","inserted":2,"updated":0,"unchanged":0,"rejected":1,"skipped":[],"not_kept":[],"ignored":[],"excel_serial_dates":0,"ids_15_to_18":0,"warnings":[]}"#
    );
    assert_eq!(
        env.sql("SELECT code FROM households ORDER BY code"),
        [["H1"], ["H3"]]
    );
    let rejects = std::fs::read_to_string(env.path("households.rejects.csv")).unwrap();
    assert_eq!(
        rejects,
        format!(
            "{HEADER},error\nH2,451122100201,李四,{},0,2016,members: must be between 1 and 99 (0)\n",
            id("45112219750505002")
        )
    );
    // The corrected rejects file imports, its error column notwithstanding.
    std::fs::write(
        env.path("households.rejects.csv"),
        rejects.replace(",0,2016", ",1,2016"),
    )
    .unwrap();
    env.ok(&["import", "households", "households.rejects.csv"]);
    assert_eq!(env.count("SELECT count(*) FROM households"), 3);
}

#[test]
fn skip_invalid_rejects_a_repeated_key_and_honours_rejects_path() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "{HEADER}\nH1,451122100201,张三,{},2,2016\nH1,451122100201,李四,{},2,2016\n",
            id("45112219800101123"),
            id("45112219750505002"),
        ),
    );
    let err = env.fails(
        &[
            "import",
            "households.csv",
            "--skip-invalid",
            "--rejects",
            "bad.csv",
        ],
        3,
    );
    assert!(
        err.contains("households.csv:3: code: duplicate key (H1), also on line 2"),
        "{err}"
    );
    assert_eq!(env.sql("SELECT head_name FROM households"), [["张三"]]);
    let rejects = std::fs::read_to_string(env.path("bad.csv")).unwrap();
    assert!(rejects.contains("李四"), "{rejects}");
}

#[test]
fn dry_run_counts_but_writes_nothing() {
    let env = ready();
    env.write("households.csv", county::households());
    let before = env.snapshot();
    let out = env.ok(&["import", "households.csv", "--dry-run", "--format", "json"]);
    assert!(out.contains(r#""inserted":3"#), "{out}");
    assert!(env.snapshot() == before);
}

#[test]
fn a_changed_row_is_updated_and_audited_and_the_rest_unchanged() {
    let env = ready();
    env.write("households.csv", county::households());
    env.ok(&["import", "households.csv"]);
    // A load into an empty table is audited as one change.
    assert_eq!(
        env.sql("SELECT key, new FROM audit WHERE entity = 'household' AND action = 'insert'"),
        [[
            "*",
            r#"{"file":"households.csv","rows":3,"first":"H1","last":"H3"}"#
        ]]
    );
    let changed = county::households()
        .replace("欧阳娜娜,", "欧阳娜,")
        .replace(",3,low_income", ",4,low_income");
    env.write("households.csv", changed);
    let out = env.ok(&["import", "households.csv", "--format", "json"]);
    assert_eq!(
        out.trim(),
        r#"{"file":"households.csv","entity":"household","inserted":0,"updated":1,"unchanged":2,"rejected":0,"skipped":[],"not_kept":[],"ignored":[],"excel_serial_dates":0,"ids_15_to_18":0,"warnings":[]}"#
    );
    assert_eq!(
        env.sql("SELECT command, actor, key, old, new FROM audit WHERE action = 'update'"),
        [[
            "import",
            "tester",
            "H1",
            r#"{"head_name":"欧阳娜娜","members":3}"#,
            r#"{"head_name":"欧阳娜","members":4}"#
        ]]
    );
    // No ID number anywhere in the command column.
    assert_eq!(
        env.count("SELECT count(*) FROM audit WHERE command LIKE '%4511%'"),
        0
    );
}

#[test]
fn an_absent_column_keeps_stored_values_and_an_empty_cell_clears() {
    let env = ready();
    env.write("households.csv", county::households());
    env.ok(&["import", "households.csv"]);
    // No phone column at all; the note column present but empty for H1.
    env.write(
        "households.csv",
        format!(
            "code,village,head_name,id_number,members,registered_on,note\nH1,451122100201,欧阳娜娜,{},3,2014-03-05,\n",
            id("45112219800101123")
        ),
    );
    env.ok(&["import", "households.csv"]);
    assert_eq!(
        env.sql("SELECT ifnull(phone, '-'), ifnull(note, '-'), attribute FROM households WHERE code = 'H1'"),
        [["13900000001", "-", "low_income"]]
    );
}

#[test]
fn gbk_read_as_utf8_is_named() {
    let env = ready();
    let text = format!(
        "{HEADER}\nH1,451122100201,张三,{},2,2016\n",
        id("45112219800101123")
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    env.write("households.csv", &gbk);
    let before = env.snapshot();
    let err = env.fails(&["import", "households.csv", "--encoding", "utf-8"], 1);
    assert!(
        err.contains("households.csv:2: head_name: not valid UTF-8"),
        "{err}"
    );
    assert!(err.contains("--encoding gb18030"), "{err}");
    assert!(env.snapshot() == before);
}

#[test]
fn table_summary_and_chinese_messages() {
    let env = ready();
    env.write("households.csv", county::households());
    let out = env.ok(&["--lang", "zh", "import", "households.csv"]);
    assert!(out.contains("新增") && out.contains("贫困户"), "{out}");
    env.write(
        "households.csv",
        format!("{HEADER}\nH9,451122100201,张三,123,2,2016\n"),
    );
    let err = env.fails(&["--lang", "zh", "import", "households.csv"], 1);
    assert!(
        err.contains("households.csv:2: id_number: 应为 18 位"),
        "{err}"
    );
    assert!(err.contains("未写入任何数据"), "{err}");
}

#[test]
fn line_numbers_in_excel_files_with_crlf_and_blank_rows() {
    let env = ready();
    let text = format!(
        "{HEADER}\r\nH1,451122100201,张三,{},2,2016\r\n\r\n,,,,,\r\nH2,451122100201,李四,{},2,2016-02-30",
        id("45112219800101123"),
        id("45112219750505002")
    );
    let err = refused(&env, "", &text);
    assert!(
        err.contains("households.csv:5: registered_on: no such day"),
        "{err}"
    );
}

#[test]
fn inserts_into_a_table_with_records_are_audited_one_by_one() {
    let env = ready();
    env.write(
        "first.csv",
        format!(
            "{HEADER}\nH0,451122100201,甲,{},1,2016\n",
            id("45112219700101123")
        ),
    );
    env.ok(&["import", "households", "first.csv"]);
    env.write("households.csv", county::households());
    env.ok(&["import", "households.csv"]);
    let rows = env.sql(
        "SELECT key, new FROM audit WHERE entity = 'household' AND action = 'insert' AND key <> '*' ORDER BY key",
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][0], "H2");
    assert!(
        rows[1][1].starts_with(r#"{"code":"H2","village":"451122100201","head_name":"O'Brien""#),
        "{}",
        rows[1][1]
    );
}

#[test]
fn a_reimport_in_other_forms_is_still_unchanged() {
    let env = ready();
    env.write("households.csv", county::households());
    env.ok(&["import", "households.csv"]);
    // The same records as a clerk would retype them: other date forms,
    // Chinese labels, full-width digits, rows in another order.
    let text = county::households()
        .replace("2014-03-05", "2014年3月5日")
        .replace("low_income", "低保贫困户")
        .replace(",illness,", ",因病,")
        .replace(",3,", ",３,");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(1, 2);
    env.write("households.csv", lines.join("\n") + "\n");
    let out = env.ok(&["import", "households.csv", "--format", "json"]);
    assert!(out.contains(r#""updated":0,"unchanged":3"#), "{out}");
}

#[test]
fn composite_keys_repeated_in_a_file_name_both_lines() {
    let env = TestEnv::new();
    let dir = county::write_folder(&env, "county");
    std::fs::write(
        dir.join("dispatches.csv"),
        "task,held_on,chaired_by,progress\nXJ01,2020-02-15,GB1,40\nXJ01,2020/2/15,GB1,50\n",
    )
    .unwrap();
    let before = env.snapshot();
    let err = env.fails(&["import", "county"], 1);
    assert!(
        err.contains("dispatches.csv:3: task: duplicate key (XJ01/2020-02-15), also on line 2"),
        "{err}"
    );
    assert!(env.snapshot() == before);
}

#[test]
fn a_forced_encoding_is_used() {
    let env = ready();
    let text = format!(
        "{HEADER}\nH1,新村,张三,{},2,2016\n",
        id("45112219800101123")
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    env.write("households.csv", &gbk);
    // 新村 is two villages; without a town the name is ambiguous.
    let err = env.fails(&["import", "households.csv", "--encoding", "gb18030"], 1);
    assert!(
        err.contains(
            "households.csv:2: village: 2 villages are named 新村 (451122100201, 451122101201)"
        ),
        "{err}"
    );
}

#[test]
fn the_problem_list_reads_as_reviewed() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "{HEADER},phone\nH1,#N/A,张三,4.51122E+17,0,2019-02-29,1.39E+10\nH2,451122100201,李四,{},2,2016年3月上旬,\nH2,451122100201,王五,{},2,2016,\n",
            id("45112219750505002"),
            id("45112219900909456"),
        ),
    );
    let before = env.snapshot();
    let out = env.run(&["import", "households.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(env.snapshot() == before);
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_folder_with_skip_invalid_puts_rejects_in_the_rejects_folder() {
    let env = TestEnv::new();
    let dir = county::write_folder(&env, "county");
    std::fs::write(
        dir.join("promotions.csv"),
        "cadre,promoted_on,post,note\nGB3,2020-12-01,任副镇长,\nGB9,2020-12-02,任镇长,\n",
    )
    .unwrap();
    let out = env.run(&[
        "import",
        "county",
        "--skip-invalid",
        "--rejects",
        "fix",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["rejected"], 1);
    assert_eq!(json["inserted"], 23);
    let rejects = std::fs::read_to_string(env.path("fix/promotions.rejects.csv")).unwrap();
    assert_eq!(
        rejects,
        "cadre,promoted_on,post,note,error\nGB9,2020-12-02,任镇长,,\"cadre: no cadre GB9; add it first, or check `fupin cadre list` for the right code\"\n"
    );
}

#[test]
fn values_under_a_column_without_header_are_reported() {
    let env = ready();
    let good = id("45112219800101123");
    // Empty trailing columns, as Excel leaves them, are fine.
    env.write(
        "households.csv",
        format!("{HEADER},,\nH1,451122100201,张三,{good},2,2016,,\n"),
    );
    env.ok(&["import", "households.csv"]);
    let err = refused(
        &env,
        &format!("{HEADER},"),
        &format!(
            "H2,451122100201,李四,{},2,2016,stray\n",
            id("45112219750505002")
        ),
    );
    assert!(
        err.contains(
            "households.csv:2: unnamed column: a value in column 7, which has no header (stray)"
        ),
        "{err}"
    );
}

/// A households file over the size (1 MiB) from which a load into an empty
/// table is checked on a second thread: `filler` valid rows with a long
/// note, then `tail`.
fn large_households(tail: &[String]) -> (String, u64) {
    const FILLER: u64 = 9000;
    let note = "走访记录".repeat(12);
    let mut text =
        String::from("code,village,town,head_name,id_number,members,registered_on,helper,note\n");
    for n in 0..FILLER {
        text.push_str(&format!(
            "F{n:05},451122100201,,某某,{},2,2016,GB1,{note}\n",
            id(&format!(
                "451122{}{:02}{:02}{:03}",
                1950 + n % 40,
                1 + (n / 40) % 12,
                1 + (n / 480) % 28,
                n % 1000
            ))
        ));
    }
    for row in tail {
        text.push_str(row);
        text.push('\n');
    }
    assert!(
        text.len() > 1 << 20,
        "the file must be large enough to be pipelined"
    );
    (text, FILLER)
}

/// Rows with every kind of problem a row can have on its own, by line.
fn problem_lines(err: &str) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = err
        .lines()
        .filter_map(|l| l.strip_prefix("households.csv:"))
        .filter_map(|l| {
            let (line, text) = l.split_once(": ")?;
            Some((line.parse().ok()?, text.to_string()))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_large_load_checked_on_a_second_thread_reports_what_a_small_one_does() {
    let env = ready();
    let tail = [
        format!("B1,无此村,,甲,{},2,2016,,", id("45112219700101001")),
        format!("B2,新村,,乙,{},2,2016,,", id("45112219700101002")),
        format!(
            "B3,新村,451122101,丙,{},2,2016,张三,",
            id("45112219700101003")
        ),
        format!(
            "B4,451122100201,,丁,{},0,2016,无此人,",
            id("45112219700101004")
        ),
        format!(
            "B5,龙岩社区,,戊,{},2,2016-02-30,李四,",
            id("45112219700101005")
        ),
        format!("B1,451122100202,,己,{},2,2016,,", id("45112219700101006")),
    ];
    let header = "code,village,town,head_name,id_number,members,registered_on,helper,note";
    env.write("households.csv", format!("{header}\n{}\n", tail.join("\n")));
    let small = problem_lines(&env.refused(&["import", "households.csv"], 1));
    assert!(small.len() >= 5, "{small:?}");

    let (text, filler) = large_households(&tail);
    env.write("households.csv", text);
    let large = problem_lines(&env.refused(&["import", "households.csv"], 1));
    let shifted: Vec<(u64, String)> = small
        .into_iter()
        .map(|(line, text)| (line + filler, text))
        .collect();
    assert_eq!(large, shifted);
}

#[test]
fn a_large_load_checked_on_a_second_thread_stores_what_the_rows_say() {
    let env = ready();
    let tail = [format!(
        "B3,新村,451122101,丙,{},2,2016,张三,",
        id("45112219700101003")
    )];
    let (text, filler) = large_households(&tail);
    env.write("households.csv", text);
    env.ok(&["import", "households.csv", "--quiet"]);
    assert_eq!(
        env.count("SELECT count(*) FROM households"),
        filler as i64 + 1
    );
    assert_eq!(
        env.sql("SELECT village, helper, registered_on FROM households WHERE code = 'B3'"),
        vec![vec![
            "451122101201".to_string(),
            "GB1".to_string(),
            "2016-12-31".to_string()
        ]]
    );
    assert_eq!(
        env.sql("SELECT key, json_extract(new, '$.rows'), json_extract(new, '$.last') FROM audit WHERE entity = 'household'"),
        vec![vec!["*".to_string(), (filler + 1).to_string(), "B3".to_string()]]
    );
}

#[test]
fn a_large_load_checked_on_a_second_thread_names_both_lines_of_a_duplicate() {
    let env = ready();
    let tail = [format!(
        "F00003,451122100201,,重复,{},2,2016,,",
        id("45112219700101009")
    )];
    let (text, filler) = large_households(&tail);
    env.write("households.csv", text);
    let err = env.refused(&["import", "households.csv"], 1);
    let last = filler + 2;
    assert!(
        err.contains(&format!(
            "households.csv:{last}: code: duplicate key (F00003), also on line 5"
        )),
        "{err}"
    );
}

#[test]
fn a_leading_apostrophe_is_excels_text_mark_not_data() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "{HEADER},note\nH1,451122100201,'张三,'{},'2,2016-01-02,''quoted\n",
            id("45112219800101123")
        ),
    );
    env.ok(&["import", "households.csv"]);
    let rows = households(&env);
    assert_eq!(rows[0][2], "张三");
    assert_eq!(rows[0][3], id("45112219800101123"));
    assert_eq!(rows[0][4], "2");
    assert_eq!(rows[0][11], "'quoted");
}

/// A file with a header and no records imports nothing, exit 0, and says so.
#[test]
fn a_file_with_only_a_header_says_so() {
    let env = ready();
    env.write("households.csv", format!("{HEADER}\n"));
    let out = env.run(&["import", "households.csv"]);
    assert_eq!(out.status.code(), Some(0));
    // Said under the summary, with the other notes on the file.
    let err = String::from_utf8_lossy(&out.stdout);
    assert!(
        err.contains(
            "households.csv: no records below the header, so nothing was imported from it"
        ),
        "{err}"
    );
}

/// A folder's problems come in the order its files are read: a town
/// refused first, then what only follows from it, so the cause is not
/// buried under thousands of "no village" lines.
#[test]
fn a_folders_problems_start_with_the_file_that_caused_them() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path("乡镇")).expect("folder");
    env.write("乡镇/towns.csv", "code,name\n451199100,外县镇\n");
    env.write(
        "乡镇/villages.csv",
        "code,name,town,kind,population,poor_village\n451199100001,某村,451199100,village,900,no\n",
    );
    let mut households = String::from("code,village,head_name,id_number,members,registered_on\n");
    for i in 0..80 {
        households.push_str(&format!(
            "45119910000100{i:02},451199100001,户主{i},,3,2015-01-01\n"
        ));
    }
    env.write("乡镇/households.csv", households);
    let before = env.snapshot();
    for lang in ["en", "zh"] {
        let err = env.fails(
            &[
                "--lang",
                lang,
                "import",
                env.path("乡镇").to_str().expect("utf-8"),
            ],
            1,
        );
        let first = err.lines().next().unwrap_or_default();
        assert!(first.contains("towns.csv:2:"), "{lang}: {err}");
        assert!(first.contains("451122"), "names the county's code: {first}");
        assert!(
            err.lines()
                .nth(1)
                .unwrap_or_default()
                .contains("villages.csv:2:"),
            "{err}"
        );
    }
    assert_eq!(env.snapshot(), before, "nothing written");
}
