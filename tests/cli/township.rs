//! Files as townships really send them: ledgers with title rows, 序号, two-row
//! headers, 合计 and signature rows, the national system's columns, and
//! workbooks.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::common::TestEnv;
use crate::county::{self, id};
use crate::import::households;

fn ready() -> TestEnv {
    let env = TestEnv::new();
    county::places(&env);
    env
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out.trim()).expect("json summary")
}

/// A township's 花名册 as Excel saves it: a title, the reporting unit, a
/// header with 序号 and columns of the national system, a blank row, a 合计
/// row and the signatures; a trailing comma on every line.
fn ledger() -> String {
    format!(
        "钟山镇建档立卡贫困户花名册,,,,,,,,,,,,,,\n\
         填报单位：钟山镇人民政府,,,,,,,,,,填报日期：2020年12月31日,,,,\n\
         序号,户编号,乡镇,行政村,户主姓名,证件号码,人数,贫困户属性,主要致贫原因,识别时间,脱贫时间,民族,文化程度,联系电话,\n\
         1,H1,钟山镇,新村,欧阳娜娜,{},3,低保贫困户,因病,2014-03-05,2016-12-31,汉族,小学,13900000001,\n\
         2,H2,钟山镇,新村,O'Brien,{},1,特困供养贫困户,缺劳力,2015-12-31,,壮族,初中,,\n\
         ,,,,,,,,,,,,,,\n\
         3,H3,回龙镇,新村,赵六,{},5,一般贫困户,,2019-12-31,2020-11-30,汉族,,,\n\
         合　计,,,,,,9,,,,,,,,\n\
         填表人：张三,,,审核人：李四,,,,,,,,,,,\n",
        id("45112219800101123"),
        id("45112219750505002"),
        id("45112219900909456"),
    )
}

fn assert_ledger_imported(env: &TestEnv, summary: &serde_json::Value) {
    assert_eq!(summary["inserted"], 3, "{summary}");
    assert_eq!(
        summary["skipped"],
        serde_json::json!([
            {"line": 1, "why": "title"},
            {"line": 2, "why": "title"},
            {"line": 8, "why": "total row"},
            {"line": 9, "why": "sign-off"},
        ])
    );
    assert_eq!(summary["not_kept"], serde_json::json!(["民族", "文化程度"]));
    let rows = households(env);
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
            "2014-03-05",
            "2016-12-31",
            "",
            "13900000001",
            ""
        ]
    );
    // 新村 of 回龙镇, told apart by the 乡镇 column.
    assert_eq!(rows[2][1], "451122101201");
    assert_eq!(rows[2][8], "2020-11-30");
}

#[test]
fn a_ledger_with_title_total_and_signatures_imports_as_sent() {
    let env = ready();
    env.write("钟山镇花名册.csv", ledger());
    let out = env.ok(&["import", "钟山镇花名册.csv", "--format", "json"]);
    assert_ledger_imported(&env, &json(&out));
    // Importing it again changes nothing.
    let again = json(&env.ok(&["import", "钟山镇花名册.csv", "--format", "json"]));
    assert_eq!(again["unchanged"], 3, "{again}");
    assert_eq!(again["inserted"], 0);
}

#[test]
fn the_same_ledger_in_gbk() {
    let env = ready();
    let text = ledger();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    env.write("ledger.csv", &gbk);
    let out = env.ok(&["import", "households", "ledger.csv", "--format", "json"]);
    assert_ledger_imported(&env, &json(&out));
}

#[test]
fn the_summary_table_says_what_was_passed_over_in_both_languages() {
    let env = ready();
    env.write("钟山镇花名册.csv", ledger());
    let out = env.ok(&["import", "钟山镇花名册.csv", "--dry-run"]);
    assert!(
        out.contains(
            "rows passed over: line 1 (title), line 2 (title), line 8 (total row), line 9 (sign-off)"
        ),
        "{out}"
    );
    assert!(
        out.contains("columns fupin does not keep: 民族, 文化程度"),
        "{out}"
    );
    let out = env.ok(&["--lang", "zh", "import", "钟山镇花名册.csv", "--dry-run"]);
    assert!(
        out.contains(
            "跳过的行：第 1 行（标题）、第 2 行（标题）、第 8 行（合计行）、第 9 行（签字栏）"
        ),
        "{out}"
    );
    assert!(out.contains("fupin 不保存的列：民族、文化程度"), "{out}");
    assert_eq!(env.count("SELECT count(*) FROM households"), 0);
}

#[test]
fn a_two_row_header_keeps_the_lift_year() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "户编号,村,户主姓名,身份证号,人口数,识别时间,脱贫情况,\n\
             ,,,,,,是否脱贫,脱贫年度\n\
             1,2,3,4,5,6,7,8\n\
             H1,451122100201,张三,{},2,2014,是,2016\n\
             H2,451122100201,李四,{},3,2015,否,\n",
            id("45112219800101123"),
            id("45112219750505002"),
        ),
    );
    let out = json(&env.ok(&["import", "households.csv", "--format", "json"]));
    assert_eq!(
        out["skipped"],
        serde_json::json!([{"line": 3, "why": "column numbers"}])
    );
    let rows = households(&env);
    assert_eq!(rows[0][8], "2016-12-31");
    assert_eq!(rows[1][8], "");
    // As of 2019 the lifted household is not counted as poor.
    let report = env.ok(&[
        "report",
        "double-clear",
        "--as-of",
        "2019-12-31",
        "--by",
        "county",
        "--format",
        "json",
    ]);
    assert_eq!(json(&report)["totals"]["poor_households_remaining"], 1);
}

#[test]
fn a_status_word_without_its_date_is_refused_not_lost() {
    let env = ready();
    let before = env.snapshot();
    env.write(
        "households.csv",
        format!(
            "户编号,村,户主姓名,身份证号,人口数,识别时间,脱贫属性,脱贫时间\n\
             H1,451122100201,张三,{},2,2014,已脱贫,\n\
             H2,451122100201,李四,{},3,2015,未脱贫,2016\n",
            id("45112219800101123"),
            id("45112219750505002"),
        ),
    );
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(
        err.contains("households.csv:2: lifted: says lifted (已脱贫) but no lift date is given"),
        "{err}"
    );
    assert!(
        err.contains(
            "households.csv:3: lifted: says not lifted (未脱贫) but the lift date is 2016-12-31"
        ),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn unknown_columns_are_refused_or_ignored_by_name() {
    let env = ready();
    let text = format!(
        "户编号,村,户主,身份证号,人口数,识别时间,颜色\nH1,451122100201,张三,{},2,2014,红\n",
        id("45112219800101123")
    );
    env.write("households.csv", &text);
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(
        err.contains("households.csv:1: 颜色: unknown column for households"),
        "{err}"
    );
    // The header's problem cannot be set aside row by row: no suggestion
    // of --skip-invalid.
    let err = env.fails(&["import", "households.csv", "--skip-invalid"], 1);
    assert!(
        err.contains("correct the file(s) and import again\n"),
        "{err}"
    );
    let out = json(&env.ok(&[
        "import",
        "households.csv",
        "--ignore-unknown-columns",
        "--format",
        "json",
    ]));
    assert_eq!(out["ignored"], serde_json::json!(["颜色"]));
    assert_eq!(out["inserted"], 1);
}

#[test]
fn a_person_level_export_is_refused_with_the_reason() {
    let env = ready();
    let before = env.snapshot();
    env.write(
        "花名册.csv",
        format!(
            "户编号,人编号,姓名,证件号码,人数,与户主关系,性别\n\
             H1,H101,张三,{},2,户主,男\n\
             H1,H102,李芳,{},2,配偶,女\n",
            id("45112219800101123"),
            id("45112219820202002"),
        ),
    );
    let err = env.fails(&["import", "花名册.csv"], 1);
    assert!(err.contains("one row per household member"), "{err}");
    let err = env.fails(&["--lang", "zh", "import", "花名册.csv"], 1);
    assert!(err.contains("每行是一名家庭成员"), "{err}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn every_problem_of_a_row_is_listed_with_the_files_own_headers_in_chinese() {
    let env = ready();
    env.write(
        "households.csv",
        "户编号,村,户主姓名,身份证号码,人口数,识别时间\nH1,451122100201,,,二,2014年2月30日\n",
    );
    let err = env.fails(&["import", "households.csv"], 1);
    for expected in [
        "households.csv:2: head_name: is required",
        "households.csv:2: id_number: is required",
        "households.csv:2: members: not a whole number (二)",
        "households.csv:2: registered_on: no such day in the calendar",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    let err = env.fails(&["--lang", "zh", "import", "households.csv"], 1);
    for expected in [
        "households.csv:2: 户主姓名: 必填",
        "households.csv:2: 身份证号码: 必填",
        "households.csv:2: 人口数: 不是整数（二）",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}

#[test]
fn repeated_headers_and_blank_rows_between_pages_are_passed_over() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "户编号,村,户主,身份证号,人口数,识别时间\n\
             H1,451122100201,张三,{},2,2014\n\
             \n\
             户编号,村,户主,身份证号,人口数,识别时间\n\
             H2,451122100201,李四,{},3,2015\n",
            id("45112219800101123"),
            id("45112219750505002"),
        ),
    );
    let out = json(&env.ok(&["import", "households.csv", "--format", "json"]));
    assert_eq!(out["inserted"], 2);
    assert_eq!(
        out["skipped"],
        serde_json::json!([{"line": 4, "why": "repeated header"}])
    );
}

#[test]
fn a_name_with_a_question_mark_is_imported_with_a_warning() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "code,village,head_name,id_number,members,registered_on\nH1,451122100201,李?华,{},2,2014\n",
            id("45112219800101123")
        ),
    );
    let out = json(&env.ok(&["import", "households.csv", "--format", "json"]));
    assert_eq!(out["warnings"][0]["line"], 2);
    assert_eq!(out["warnings"][0]["column"], "head_name");
    assert!(
        out["warnings"][0]["why"]
            .as_str()
            .unwrap()
            .contains("a ? in a name"),
        "{out}"
    );
    assert_eq!(households(&env)[0][2], "李?华");
}

/// A cell of a test workbook.
enum C<'a> {
    S(&'a str),
    N(f64),
    D(u16, u8, u8),
    E,
}

struct Sheet<'a> {
    name: &'a str,
    rows: Vec<Vec<C<'a>>>,
    /// (first row, first column, last row, last column), from 0.
    merges: Vec<(u32, u16, u32, u16)>,
}

fn workbook(path: &Path, sheets: &[Sheet]) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name).expect("sheet name");
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    C::S(s) => {
                        ws.write_string(r, c, *s).expect("string");
                    }
                    C::N(n) => {
                        ws.write_number(r, c, *n).expect("number");
                    }
                    C::D(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                        ws.write_datetime_with_format(r, c, &dt, &date)
                            .expect("date cell");
                    }
                    C::E => {}
                }
            }
        }
        for &(r0, c0, r1, c1) in &sheet.merges {
            let text = match &sheet.rows[r0 as usize][c0 as usize] {
                C::S(s) => s.to_string(),
                _ => String::new(),
            };
            ws.merge_range(r0, c0, r1, c1, &text, &Format::new())
                .expect("merge");
        }
    }
    book.save(path).expect("save workbook");
}

#[test]
fn a_workbook_imports_its_sheets_in_dependency_order_and_lists_the_rest() {
    let env = TestEnv::new();
    county::places(&env);
    let id1 = id("45112219800101123");
    let id2 = id("45112219750505002");
    let path = env.path("钟山镇2020年12月.xlsx");
    workbook(
        &path,
        &[
            Sheet {
                name: "说明",
                rows: vec![vec![C::S("本表由各村填报，12月31日前报镇扶贫站。")]],
                merges: vec![],
            },
            // Households first: they refer to the village of the next sheet.
            Sheet {
                name: "贫困户",
                rows: vec![
                    vec![C::S("钟山镇建档立卡贫困户花名册")],
                    vec![
                        C::S("序号"),
                        C::S("户编号"),
                        C::S("行政村"),
                        C::S("户主姓名"),
                        C::S("证件号码"),
                        C::S("人数"),
                        C::S("识别时间"),
                        C::S("脱贫时间"),
                    ],
                    vec![
                        C::N(1.0),
                        C::S("H1"),
                        C::S("451122100209"),
                        C::S("张三"),
                        C::S(&id1),
                        C::N(4.0),
                        C::D(2014, 3, 5),
                        C::D(2016, 12, 31),
                    ],
                    vec![
                        C::N(2.0),
                        C::S("H2"),
                        C::E,
                        C::S("李四"),
                        C::S(&id2),
                        C::N(2.0),
                        C::D(2015, 7, 1),
                        C::E,
                    ],
                    vec![C::S("合计"), C::E, C::E, C::E, C::E, C::N(6.0)],
                ],
                // The title over every column; the village over both rows.
                merges: vec![(0, 0, 0, 7), (2, 2, 3, 2)],
            },
            Sheet {
                name: "行政村",
                rows: vec![
                    vec![
                        C::S("村代码"),
                        C::S("村名"),
                        C::S("乡镇"),
                        C::S("是否贫困村"),
                    ],
                    vec![
                        C::S("451122100209"),
                        C::S("白溪村"),
                        C::S("钟山镇"),
                        C::S("否"),
                    ],
                ],
                merges: vec![],
            },
            Sheet {
                name: "Sheet2",
                rows: vec![],
                merges: vec![],
            },
        ],
    );
    let out = json(&env.ok(&["import", "钟山镇2020年12月.xlsx", "--format", "json"]));
    let files: Vec<(String, String, u64)> = out["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["sheet"].as_str().unwrap().to_string(),
                f["entity"].as_str().unwrap().to_string(),
                f["inserted"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("行政村".to_string(), "village".to_string(), 1),
            ("贫困户".to_string(), "household".to_string(), 2)
        ]
    );
    assert_eq!(
        out["skipped_sheets"],
        serde_json::json!([
            {"file": "钟山镇2020年12月.xlsx", "sheet": "说明", "why": "not recognised"},
            {"file": "钟山镇2020年12月.xlsx", "sheet": "Sheet2", "why": "empty"},
        ])
    );
    assert_eq!(
        out["files"][1]["skipped"],
        serde_json::json!([{"line": 1, "why": "title"}, {"line": 5, "why": "total row"}])
    );
    let rows = households(&env);
    assert_eq!(rows[0][1], "451122100209");
    assert_eq!(rows[1][1], "451122100209", "merged village cell");
    assert_eq!(rows[0][3], id1);
    assert_eq!(rows[0][4], "4");
    assert_eq!(rows[0][7], "2014-03-05");
    assert_eq!(rows[0][8], "2016-12-31");
    assert_eq!(rows[1][8], "");
    // One sheet by name or number.
    let out = json(&env.ok(&[
        "import",
        "钟山镇2020年12月.xlsx",
        "--sheet",
        "2",
        "--format",
        "json",
    ]));
    assert_eq!(out["files"][0]["sheet"], "贫困户");
    assert_eq!(out["files"][0]["unchanged"], 2);
    let err = env.fails(&["import", "钟山镇2020年12月.xlsx", "--sheet", "户籍"], 1);
    assert!(
        err.contains("has no sheet 户籍; its sheets are: 说明, 贫困户, 行政村, Sheet2"),
        "{err}"
    );
}

/// A sheet of one household of 新村, its ID number in `id_cell`.
fn one_household<'a>(name: &'a str, id_cell: C<'a>) -> Sheet<'a> {
    let header = ["户编号", "村", "户主", "身份证号", "人口数", "识别时间"];
    Sheet {
        name,
        rows: vec![
            header.iter().map(|h| C::S(h)).collect(),
            vec![
                C::S("H1"),
                C::S("451122100201"),
                C::S("张三"),
                id_cell,
                C::N(2.0),
                C::S("2014"),
            ],
        ],
        merges: vec![],
    }
}

#[test]
fn a_bidirectional_override_in_a_workbook_cell_is_refused_with_its_place() {
    let env = ready();
    let before = env.snapshot();
    let id1 = id("45112219800101123");
    let mut sheet = one_household("贫困户", C::S(&id1));
    sheet.rows[1][2] = C::S("张三\u{202e}8765");
    workbook(&env.path("households.xlsx"), &[sheet]);
    let err = env.fails(&["import", "households.xlsx"], 1);
    assert!(
        err.contains(
            "households.xlsx[贫困户]:2: head_name: holds a bidirectional control (U+202E) \
             that would reorder the text shown (张三\\u{202e}8765); remove it"
        ),
        "{err}"
    );
    assert!(!err.contains('\u{202e}'), "{err:?}");
    assert!(before == env.snapshot());
}

/// A value beside a sheet's table is a stray cell, not a CSV comma: the
/// advice says so.
#[test]
fn a_cell_right_of_a_sheet_is_not_told_about_quotes() {
    let env = ready();
    let before = env.snapshot();
    let id1 = id("45112219800101123");
    let mut sheet = one_household("贫困户", C::S(&id1));
    sheet.rows[1].extend([C::E, C::S("备用")]);
    workbook(&env.path("households.xlsx"), &[sheet]);
    let err = env.fails(&["import", "households.xlsx"], 1);
    assert!(
        err.contains("the row has 8 cells, the header only 6 (a value in column 8)"),
        "{err}"
    );
    assert!(
        err.contains("a cell to the right of the table holds a value"),
        "{err}"
    );
    assert!(!err.contains("double quotes"), "{err}");
    assert!(before == env.snapshot());
    let err = env.fails(&["--lang", "zh", "import", "households.xlsx"], 1);
    assert!(err.contains("表格右侧的单元格有值"), "{err}");

    // The same row in CSV is most likely a comma without quotes.
    env.write(
        "households.csv",
        format!(
            "户编号,村,户主,身份证号,人口数,识别时间\nH1,451122100201,张三,{id1},2,2014,,备用\n"
        ),
    );
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(err.contains("double quotes"), "{err}");
}

#[test]
fn an_id_number_in_a_number_cell_is_refused_with_the_text_hint() {
    let env = ready();
    let before = env.snapshot();
    workbook(
        &env.path("households.xlsx"),
        &[one_household("Sheet1", C::N(451122198001011234.0))],
    );
    let err = env.fails(&["import", "households.xlsx"], 1);
    assert!(
        err.contains("households.xlsx[Sheet1]:2: id_number: mangled by a spreadsheet into scientific notation (4.51122E+17); format the column as text"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_workbook_under_a_csv_name_is_read_as_a_workbook() {
    let env = ready();
    let id1 = id("45112219800101123");
    workbook(
        &env.path("households.csv"),
        &[one_household("贫困户", C::S(&id1))],
    );
    let out = json(&env.ok(&["import", "households.csv", "--format", "json"]));
    assert_eq!(out["files"][0]["inserted"], 1, "{out}");
}

#[test]
fn binary_input_is_never_taken_for_a_header() {
    let env = ready();
    let mut bytes = vec![0u8, 1, 2, 3, 0xff, 0xfe, 0x00, 0x10];
    bytes.extend(std::iter::repeat_n(0u8, 5000));
    env.write("households.csv", &bytes);
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(err.contains("holds binary data"), "{err}");
    assert!(!err.contains('\u{0}'), "{err:?}");
}

#[test]
fn a_quote_never_closed_loses_no_row_silently() {
    let env = ready();
    let before = env.snapshot();
    // The file: the quote opens in the last column of line 2.
    env.write(
        "households.csv",
        "code,village,head_name,id_number,members,attribute,cause,registered_on,lifted_on,helper,phone,note\n\
         4511221000019901,451122100201,甲,110105194912310038,2,general,,2016-01-01,,,,\"x\n\
         4511221000019902,451122100201,乙,110105198001011238,2,general,,2016-01-01,,,,\n",
    );
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(
        err.contains(
            "households.csv: line 2: a double quote opens a cell here and is never closed"
        ),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
    // Mid-row, closed by another stray quote lines later.
    env.write(
        "households.csv",
        "code,village,head_name,id_number,members,registered_on\n\
         H1,451122100201,\"甲,110105194912310038,2,2016\n\
         H2,451122100201,乙,110105198001011238,2,2016\n\
         H3,451122100201,\"丙\",110105198001011238,2,2016\n",
    );
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(
        err.contains("households.csv: line 2: a double-quoted cell here runs over the next lines"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn endless_input_is_refused_within_bounds() {
    let env = ready();
    let mut bytes = b"code,village,head_name,id_number,members,registered_on\nH1,".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 3 << 20));
    env.write("households.csv", &bytes);
    let err = env.fails(&["import", "households.csv"], 1);
    assert!(err.contains("line 2: a row longer than 1 MiB"), "{err}");
}

#[test]
fn a_town_is_sent_its_own_records_and_its_corrections_come_back() {
    let env = TestEnv::new();
    let dir = county::write_folder(&env, "county");
    env.ok(&["import", dir.to_str().unwrap(), "--quiet"]);
    let codes = |out: &str| -> Vec<String> {
        csv::Reader::from_reader(out.as_bytes())
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect()
    };
    let out = env.ok(&["export", "households", "--town", "回龙镇"]);
    let codes_of = codes(&out);
    assert_eq!(codes_of, ["H3"]);
    let out = env.ok(&[
        "export",
        "households",
        "--village",
        "新村",
        "--town",
        "钟山镇",
    ]);
    assert_eq!(codes(&out), ["H1", "H2"]);
    env.fails(&["export", "cadres", "--town", "钟山镇"], 2);
    // The whole town, corrected, comes back as updates.
    let back = env.path("back");
    env.ok(&[
        "--lang",
        "zh",
        "export",
        "--all",
        back.to_str().unwrap(),
        "--town",
        "钟山镇",
        "--encoding",
        "gb18030",
    ]);
    let files: Vec<String> = std::fs::read_dir(&back)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!files.contains(&"干部.csv".to_string()), "{files:?}");
    let path = back.join("贫困户.csv");
    let bytes = std::fs::read(&path).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&bytes);
    std::fs::write(
        &path,
        encoding_rs::GB18030
            .encode(&text.replace("O'Brien", "欧布莱恩"))
            .0,
    )
    .unwrap();
    let out = json(&env.ok(&["import", path.to_str().unwrap(), "--format", "json"]));
    assert_eq!(
        (out["updated"].as_u64(), out["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(households(&env)[1][2], "欧布莱恩");
}

#[test]
fn missing_lists_the_records_a_townships_list_no_longer_holds() {
    let env = TestEnv::new();
    let dir = county::write_folder(&env, "county");
    env.ok(&["import", dir.to_str().unwrap(), "--quiet"]);
    // 钟山镇's list without H2.
    let out = env.ok(&["export", "households", "--town", "钟山镇"]);
    let without: String = out
        .lines()
        .filter(|l| !l.starts_with("H2,"))
        .map(|l| format!("{l}\n"))
        .collect();
    env.write("households.csv", without);
    let before = env.snapshot();
    let out = json(&env.ok(&["import", "households.csv", "--missing", "--format", "json"]));
    assert_eq!(
        out["missing"],
        serde_json::json!([{
            "code": "H2",
            "name": "O'Brien",
            "village": "451122100201",
            "village_name": "新村",
            "town": "451122100",
            "town_name": "钟山镇",
        }])
    );
    assert_eq!(out["unchanged"], 1);
    // Reported, not deleted (and nothing else changed).
    assert_eq!(env.snapshot(), before);
    let table = env.ok(&["import", "households.csv", "--missing"]);
    assert!(
        table.contains("1 record of the places it covers is not in the file:\n  H2 O'Brien"),
        "{table}"
    );
}

/// The committed workbooks of `tests/fixtures` (see `make_workbooks.py`).
fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name)
}

#[test]
fn old_excel_and_open_document_workbooks_import_alike() {
    for name in ["ledger.xls", "ledger.ods"] {
        let env = ready();
        let copy = env.path(name);
        std::fs::copy(fixture(name), &copy).unwrap();
        let out = json(&env.ok(&["import", name, "--format", "json"]));
        assert_eq!(out["files"][0]["sheet"], "贫困户", "{name}: {out}");
        assert_eq!(out["files"][0]["inserted"], 2, "{name}: {out}");
        let skipped: Vec<&str> = out["files"][0]["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["why"].as_str().unwrap())
            .collect();
        assert!(
            skipped.contains(&"title") && skipped.contains(&"total row"),
            "{name}: {out}"
        );
        let rows = households(&env);
        assert_eq!(
            rows[0],
            [
                "H1",
                "451122100201",
                "张三",
                "11010519491231002X",
                "4",
                "general",
                "",
                "2014-03-05",
                "2016-12-31",
                "",
                "",
                ""
            ],
            "{name}"
        );
        assert_eq!(rows[1][8], "", "{name}");
    }
}
