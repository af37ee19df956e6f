//! `--format xlsx`: the workbook read back as Excel would — merged ranges,
//! print setup, text cells for codes, date cells, and every figure equal to
//! the JSON report.

use std::io::Read;
use std::path::Path;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use serde_json::Value as Json;

use super::json;
use crate::common::{TestEnv, example_dir};

/// The example county, imported once per test.
fn example() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&[
        "import",
        example_dir().to_str().expect("utf-8 path"),
        "--quiet",
    ]);
    env
}

/// Runs `args` with `--format xlsx -o NAME` and opens the workbook.
pub fn workbook(
    env: &TestEnv,
    args: &[&str],
    name: &str,
) -> Xlsx<std::io::BufReader<std::fs::File>> {
    let path = env.path(name);
    let mut all = args.to_vec();
    let file = path.to_str().expect("utf-8 path").to_string();
    all.extend(["--format", "xlsx", "-o", &file]);
    let stdout = env.ok(&all);
    assert!(stdout.is_empty(), "{stdout}");
    open_workbook(&path).expect("a workbook calamine reads")
}

/// A part of the workbook's zip, as text.
pub fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        _ => None,
    }
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

/// The figures of a double-clear row, in the order of its columns by
/// village (no 行政村 count), as JSON keys.
const FIGURES: [&str; 14] = [
    "poor_villages_registered",
    "poor_villages_remaining",
    "households_registered",
    "poor_people_registered",
    "poor_households_remaining",
    "poor_people_remaining",
    "households_lifted_this_year",
    "people_lifted_this_year",
    "households_returned_this_year",
    "people_returned_this_year",
    "households_off_register_this_year",
    "people_off_register_this_year",
    "population",
    "incidence_percent",
];

fn same_figures(sheet: &calamine::Range<Data>, row: u32, first_col: u32, want: &Json) {
    for (i, key) in FIGURES.iter().enumerate() {
        let cell = sheet.get_value((row, first_col + i as u32));
        let got = cell.and_then(number);
        let expected = want[key].as_f64();
        assert_eq!(got, expected, "{key} in row {row}: {cell:?} against {want}");
    }
}

#[test]
fn the_double_clear_workbook_is_the_official_form_with_the_json_figures() {
    let env = example();
    let args = [
        "--lang",
        "zh",
        "report",
        "double-clear",
        "--as-of",
        "2019-12-31",
        "--by",
        "village",
    ];
    let mut book = workbook(&env, &args, "双清零.xlsx");
    let names = book.sheet_names();
    assert_eq!(names.len(), 1);
    let name = names[0].clone();
    let sheet = book.worksheet_range(&name).expect("the sheet");
    assert_eq!(
        text(sheet.get_value((0, 0))),
        "钟山县脱贫攻坚“双清零”情况表"
    );
    assert!(text(sheet.get_value((1, 0))).starts_with("填报单位：钟山县扶贫开发领导小组办公室"));

    // The header: 代码 over two rows, then the groups.
    let head = (0..10)
        .find(|r| text(sheet.get_value((*r, 0))) == "代码")
        .expect("a header row");
    let columns: Vec<String> = (0..15).map(|c| text(sheet.get_value((head, c)))).collect();
    assert_eq!(&columns[..4], ["代码", "乡镇", "行政村", "贫困村"]);
    // Headings carry their own line breaks, between words, so that Excel,
    // WPS and LibreOffice break them alike and never inside a word.
    assert_eq!(text(sheet.get_value((head + 1, 3))), "建档\n立卡\n（个）");
    let flat = |r: u32, c: u32| text(sheet.get_value((r, c))).replace('\n', "");
    let merged = book.merge_cells_by_sheet_name(&name).expect("merged cells");
    let spans: Vec<((u32, u32), (u32, u32))> = merged.iter().map(|d| (d.start, d.end)).collect();
    let n = columns.iter().filter(|c| !c.is_empty()).count() as u32 + 5;
    let last_col = (0..20)
        .filter(|c| {
            !text(sheet.get_value((head + 1, *c))).is_empty()
                || !text(sheet.get_value((head, *c))).is_empty()
        })
        .max()
        .expect("columns");
    assert!(n > 0);
    assert!(
        spans.contains(&((0, 0), (0, last_col))),
        "title over the table: {spans:?}"
    );
    assert!(
        spans.contains(&((head, 0), (head + 1, 0))),
        "代码 over two rows"
    );
    assert!(
        spans.contains(&((head, 3), (head, 4))),
        "贫困村 over its two columns"
    );
    for group in ["建档立卡贫困户", "未脱贫", "2019年脱贫"] {
        let c = (0..=last_col)
            .find(|c| flat(head, *c) == group)
            .unwrap_or_else(|| panic!("{group}"));
        assert!(
            spans.contains(&((head, c), (head, c + 1))),
            "{group} spans 户 and 人"
        );
        assert_eq!(flat(head + 1, c), "户数（户）");
        assert_eq!(flat(head + 1, c + 1), "人数（人）");
    }

    // Rows: each village with the JSON's figures, codes as text; a 乡镇小计
    // row after each town's villages with the figures of the report by
    // town; the total.
    let data = json(&env, &args);
    let groups = data["groups"].as_array().expect("groups");
    let mut by_town = args.to_vec();
    by_town[7] = "town";
    let towns = json(&env, &by_town);
    let towns = towns["groups"].as_array().expect("towns");
    let (mut g, mut t) = (0, 0);
    let mut row = head + 2;
    loop {
        let key = sheet.get_value((row, 0)).cloned().unwrap_or(Data::Empty);
        let name = text(sheet.get_value((row, 2)));
        if name == "合计" {
            same_figures(&sheet, row, 3, &data["totals"]);
            break;
        }
        let Data::String(key) = key else {
            panic!("row {row}: code {key:?} is not a text cell")
        };
        if name == "乡镇小计" {
            assert_eq!(key, towns[t]["key"].as_str().unwrap_or(""));
            same_figures(&sheet, row, 3, &towns[t]);
            t += 1;
        } else {
            assert_eq!(key, groups[g]["key"].as_str().unwrap_or(""));
            assert_eq!(name, groups[g]["name"].as_str().unwrap_or(""));
            same_figures(&sheet, row, 3, &groups[g]);
            g += 1;
        }
        row += 1;
    }
    assert_eq!(
        (g, t),
        (groups.len(), towns.len()),
        "every village and town"
    );
    assert_eq!(data["totals"]["poor_households_remaining"], 948);

    // Print setup, read from the workbook's own parts.
    let path = env.path("双清零.xlsx");
    let ws = part(&path, "xl/worksheets/sheet1.xml");
    assert!(ws.contains("paperSize=\"9\""), "A4");
    assert!(ws.contains("orientation=\"landscape\""), "landscape");
    // A scale of its own, not fit-to-width, under which Excel would ignore
    // the breaks: 17 columns of about 9–17 units on a landscape A4.
    assert!(!ws.contains("fitToPage"), "not fitted by the application");
    let scale: u32 = ws
        .split("scale=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("a print scale");
    assert!((55..=85).contains(&scale), "scale {scale}");
    // Pages break before a village, never before a 乡镇小计 (away from its
    // villages) or the 合计; the total's page also holds villages.
    let breaks: Vec<u32> = ws
        .split("<brk id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    assert!(breaks.len() >= 2, "{breaks:?}");
    for b in &breaks {
        let opens = text(sheet.get_value((*b, 2)));
        assert!(
            opens != "乡镇小计" && opens != "合计" && !opens.is_empty(),
            "page opens at row {b} with {opens:?}"
        );
        assert!(*b > head + 2, "{b}");
    }
    assert!(
        *breaks.last().unwrap_or(&0) < row - 1,
        "rows with the total"
    );
    assert!(ws.contains("第 &amp;P 页，共 &amp;N 页"), "page numbers");
    assert!(
        ws.contains(&format!("ySplit=\"{}\"", head + 2)),
        "frozen below the header"
    );
    let wb = part(&path, "xl/workbook.xml");
    assert!(
        wb.contains(&format!(
            "_xlnm.Print_Titles\" localSheetId=\"0\">'{name}'!$1:${}<",
            head + 2
        )) || wb.contains(&format!(
            "_xlnm.Print_Titles\" localSheetId=\"0\">{name}!$1:${}<",
            head + 2
        )),
        "title block and header repeated on every page: {wb}"
    );
}

#[test]
fn dispatch_dates_are_date_cells_and_english_forms_name_the_county() {
    let env = example();
    let args = ["--lang", "en", "report", "dispatch", "--period", "202006B"];
    let mut book = workbook(&env, &args, "dispatch.xlsx");
    let name = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&name).expect("the sheet");
    let title = text(sheet.get_value((0, 0)));
    assert!(title.starts_with("钟山县 (451122)"), "{title}");
    // Named as the county was created, with its code (not "County 451122").
    let unit = text(sheet.get_value((1, 0)));
    assert!(
        unit.ends_with("Poverty Alleviation and Development Office of 钟山县 (451122)"),
        "{unit}"
    );
    let data = json(&env, &args);
    let tasks = data["tasks"].as_array().expect("tasks");
    let head = (0..10)
        .find(|r| text(sheet.get_value((*r, 0))) == "Code")
        .expect("a header row");
    let first = head + 2;
    let due_col = (0..15)
        .find(|c| text(sheet.get_value((head, *c))) == "Due")
        .expect("a due column");
    for (i, task) in tasks.iter().enumerate() {
        let row = first + i as u32;
        assert_eq!(
            text(sheet.get_value((row, 0))),
            task["code"].as_str().unwrap_or("")
        );
        let cell = sheet.get_value((row, due_col)).expect("due cell");
        match task["due_on"].as_str() {
            Some(due) => {
                assert!(cell.is_datetime(), "{cell:?}");
                let serial = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d")
                    .expect("date")
                    .signed_duration_since(
                        chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch"),
                    )
                    .num_days() as f64;
                let Data::DateTime(when) = cell else {
                    panic!("{cell:?}")
                };
                assert_eq!(when.as_f64(), serial, "{due}");
            }
            None => assert_eq!(*cell, Data::Empty),
        }
    }
    let path = env.path("dispatch.xlsx");
    let ws = part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        ws.contains("Page &amp;P of &amp;N"),
        "page numbers in English"
    );
}

#[test]
fn a_workbook_goes_to_a_pipe_but_never_to_a_terminal_screen() {
    let env = TestEnv::new();
    // Piped: the bytes of a workbook (a zip).
    let out = env.run(&["report", "tasks", "--format", "xlsx"]);
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"PK"), "a zip on stdout");

    // On a terminal: refused, with what to do instead, and nothing written.
    #[cfg(unix)]
    {
        use std::os::fd::{FromRawFd, OwnedFd};
        let (mut leader, mut follower) = (0, 0);
        // SAFETY: openpty writes two new descriptors into the two ints.
        let rc = unsafe {
            libc::openpty(
                &mut leader,
                &mut follower,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0, "a pseudo-terminal");
        // SAFETY: both descriptors were just opened and are owned here.
        let (leader, follower) =
            unsafe { (OwnedFd::from_raw_fd(leader), OwnedFd::from_raw_fd(follower)) };
        // The same invocation as TestEnv's, with stdout on the terminal.
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("fupin"))
            .current_dir(env.dir.path())
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("FUPIN_DB")
            .env_remove("COLUMNS")
            .arg("--db")
            .arg(env.db())
            .args(["report", "tasks", "--format", "xlsx"])
            .stdout(std::process::Stdio::from(follower))
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("run");
        drop(leader);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("-o FILE.xlsx"), "{err}");
    }
}

/// Columns counted as a terminal counts them: a Chinese character two.
fn columns_of(text: &str) -> usize {
    text.chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// Each column's width in Excel's units, from the worksheet's `<col>`s.
fn col_widths(ws: &str) -> Vec<f64> {
    let mut widths = Vec::new();
    for col in ws.split("<col ").skip(1) {
        let attr = |name: &str| {
            col.split(&format!("{name}=\""))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("")
                .to_string()
        };
        let (min, max): (usize, usize) = (
            attr("min").parse().expect("min"),
            attr("max").parse().expect("max"),
        );
        let width: f64 = attr("width").parse().expect("width");
        widths.resize(max, 0.0);
        for w in &mut widths[min - 1..max] {
            *w = width;
        }
    }
    widths
}

fn print_scale(ws: &str) -> u32 {
    ws.split("scale=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(100)
}

/// The monitoring form by village in both languages: headings broken
/// between words into lines their columns hold, and English counts in
/// hh and ppl with a key under the table, so that a form of 17 columns
/// prints at more than 70 % on A4 (it printed at 52–59 %).
#[test]
fn wide_forms_break_their_headings_between_words_to_print_larger() {
    let env = example();
    let args = [
        "report",
        "monitoring",
        "--as-of",
        "2022-06",
        "--by",
        "village",
    ];
    for lang in ["zh", "en"] {
        let name = format!("{lang}-monitoring.xlsx");
        let mut all = vec!["--lang", lang];
        all.extend(args);
        let mut book = workbook(&env, &all, &name);
        let ws = part(&env.path(&name), "xl/worksheets/sheet1.xml");
        let scale = print_scale(&ws);
        assert!(scale >= 70, "{lang}: printed at {scale} %");
        let widths = col_widths(&ws);
        let sheet_name = book.sheet_names()[0].clone();
        let sheet = book.worksheet_range(&sheet_name).expect("the sheet");
        let code = if lang == "zh" { "代码" } else { "Code" };
        let head = (0..10)
            .find(|r| text(sheet.get_value((*r, 0))) == code)
            .expect("a header row");
        // Every line of every heading fits its column (a group heading
        // its span), a word never cut by the application's own wrapping.
        for row in [head, head + 1] {
            for (c, width) in widths.iter().enumerate() {
                let heading = text(sheet.get_value((row, c as u32)));
                let span: f64 = if row == head {
                    let merged = book.merge_cells_by_sheet_name(&sheet_name).expect("merged");
                    merged
                        .iter()
                        .find(|d| d.start == (head, c as u32) && d.end.0 == head)
                        .map_or(*width, |d| {
                            widths[d.start.1 as usize..=d.end.1 as usize].iter().sum()
                        })
                } else {
                    *width
                };
                for line in heading.lines() {
                    assert!(
                        columns_of(line) as f64 + 1.0 <= span,
                        "{lang}: {line:?} of {heading:?} in {span} units"
                    );
                }
            }
        }
        let headings: Vec<String> = (0..widths.len() as u32)
            .flat_map(|c| {
                [
                    text(sheet.get_value((head, c))),
                    text(sheet.get_value((head + 1, c))),
                ]
            })
            .collect();
        let under = (head + 2..head + 200)
            .map(|r| text(sheet.get_value((r, 0))))
            .collect::<Vec<_>>()
            .join("\n");
        if lang == "zh" {
            assert!(
                headings.contains(&"2021年\n以来\n返贫\n（户）".to_string()),
                "{headings:?}"
            );
            assert!(
                !under.contains("缩写"),
                "Chinese headings are not shortened"
            );
        } else {
            assert!(headings.contains(&"hh".to_string()), "{headings:?}");
            assert!(headings.contains(&"ppl".to_string()), "{headings:?}");
            assert!(
                headings
                    .iter()
                    .all(|h| !h.contains("households") && !h.contains("Elim.")),
                "only the units shorten: {headings:?}"
            );
            assert!(
                under.contains("Abbreviations: hh = households, ppl = people"),
                "the key under the table"
            );
        }
    }
    // A form that prints large enough keeps its words and has no key.
    let name = "dispatch.xlsx";
    let mut book = workbook(
        &env,
        &["--lang", "en", "report", "dispatch", "--period", "202006B"],
        name,
    );
    let sheet_name = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&sheet_name).expect("the sheet");
    let all: Vec<String> = sheet.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(
        all.iter().all(|t| !t.starts_with("Abbreviations")),
        "no key"
    );
}
