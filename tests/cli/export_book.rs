//! `export --format xlsx`: workbooks whose codes, ID numbers and phones are
//! text cells and dates date cells, and that import back into the same
//! records.

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{TestEnv, example_dir};

fn example() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&[
        "import",
        example_dir().to_str().expect("utf-8 path"),
        "--quiet",
    ]);
    env
}

/// Every CSV file `export --all DIR` writes, by name.
fn csv_export(env: &TestEnv, lang: &str, dir: &str) -> Vec<(String, Vec<u8>)> {
    let path = env.path(dir);
    env.ok(&[
        "--lang",
        lang,
        "export",
        "--all",
        path.to_str().expect("utf-8"),
    ]);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&path)
        .expect("folder")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_workbook_export_imports_back_into_the_same_records() {
    let env = example();
    for lang in ["en", "zh"] {
        let book = env.path(&format!("all-{lang}.xlsx"));
        env.ok(&[
            "--lang",
            lang,
            "export",
            "--all",
            book.to_str().expect("utf-8"),
        ]);
        let wb: Xlsx<_> = open_workbook(&book).expect("a workbook");
        let names = wb.sheet_names();
        let want: Vec<&str> = if lang == "zh" {
            vec![
                "干部",
                "作战区",
                "乡镇",
                "行政村",
                "贫困户",
                "家庭成员",
                "挂牌督战任务",
                "任职",
                "调度",
                "走访",
                "提拔",
                "监测对象",
                "贫困户变动",
                "年度收入与保障",
                "标准",
            ]
        } else {
            vec![
                "cadres",
                "zones",
                "towns",
                "villages",
                "households",
                "people",
                "tasks",
                "posts",
                "dispatches",
                "visits",
                "promotions",
                "monitoring",
                "household_events",
                "assessments",
                "standards",
            ]
        };
        assert_eq!(names, want, "one sheet per kind, in dependency order");

        // Into an empty file, then out as CSV: the same bytes as the CSV
        // export of the original.
        let copy = TestEnv::new();
        copy.ok(&["import", book.to_str().expect("utf-8"), "--quiet"]);
        let original = csv_export(&env, lang, &format!("orig-{lang}"));
        let again = csv_export(&copy, lang, &format!("again-{lang}"));
        assert_eq!(original.len(), 15, "one CSV file per kind");
        for ((name, a), (_, b)) in original.iter().zip(&again) {
            assert!(
                a == b,
                "{lang} {name} differs after the workbook round trip"
            );
        }
    }
}

#[test]
fn ids_codes_and_phones_are_text_and_dates_are_dates() {
    let env = example();
    let book = env.path("households.xlsx");
    env.ok(&["export", "households", "-o", book.to_str().expect("utf-8")]);
    let mut wb: Xlsx<_> = open_workbook(&book).expect("a workbook");
    let sheet = wb.worksheet_range("households").expect("the sheet");
    let header: Vec<String> = sheet
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|d| d.to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let rows = env
        .sql("SELECT code, id_number, phone, members, registered_on FROM households ORDER BY code");
    assert_eq!(sheet.height(), rows.len() + 1);
    for (r, want) in sheet.rows().skip(1).zip(&rows) {
        assert_eq!(r[col("code")], Data::String(want[0].clone()));
        assert_eq!(
            r[col("id_number")],
            Data::String(want[1].clone()),
            "an ID number is text, never 4.51E+17"
        );
        if want[2].is_empty() {
            assert_eq!(r[col("phone")], Data::Empty);
        } else {
            assert_eq!(r[col("phone")], Data::String(want[2].clone()));
        }
        assert_eq!(
            r[col("members")],
            Data::Float(want[3].parse().expect("members"))
        );
        let Data::DateTime(when) = &r[col("registered_on")] else {
            panic!(
                "registered_on is a date cell: {:?}",
                r[col("registered_on")]
            );
        };
        let serial = chrono::NaiveDate::parse_from_str(&want[4], "%Y-%m-%d")
            .expect("date")
            .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch"))
            .num_days() as f64;
        assert_eq!(when.as_f64(), serial);
    }
}

#[test]
fn a_town_gets_its_own_workbook() {
    let env = example();
    let book = env.path("清塘镇.xlsx");
    env.ok(&[
        "--lang",
        "zh",
        "export",
        "--all",
        book.to_str().expect("utf-8"),
        "--town",
        "清塘镇",
    ]);
    let mut wb: Xlsx<_> = open_workbook(&book).expect("a workbook");
    assert_eq!(
        wb.sheet_names(),
        [
            "乡镇",
            "行政村",
            "贫困户",
            "家庭成员",
            "挂牌督战任务",
            "任职",
            "调度",
            "走访",
            "监测对象",
            "贫困户变动",
            "年度收入与保障"
        ]
    );
    let households = wb.worksheet_range("贫困户").expect("sheet");
    let want = env.count(
        "SELECT count(*) FROM households WHERE village IN (SELECT code FROM villages WHERE town = (SELECT code FROM towns WHERE name = '清塘镇'))",
    );
    assert_eq!(households.height() as i64, want + 1);
    // A workbook goes to a file, never to the terminal; CSV flags do not apply.
    let err = env.fails(&["export", "households", "--format", "xlsx"], 2);
    assert!(err.contains("-o"), "{err}");
    let err = env.fails(&["export", "households", "--bom", "-o", "x.xlsx"], 2);
    assert!(err.contains("--bom"), "{err}");
    let err = env.fails(&["export", "cadres", "--town", "清塘镇", "-o", "c.xlsx"], 2);
    assert!(!err.is_empty());
}
