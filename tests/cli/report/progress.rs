//! `report progress`: every period's figures are those of `report
//! double-clear --as-of` on its cut-off date; boundaries, charts and
//! sparklines.

use calamine::Reader;
use roxmltree::{Document, ParsingOptions};
use serde_json::Value as Json;

use super::xlsx::{part, workbook};
use super::{Household, Seed, json};
use crate::common::{TestEnv, example_dir};

fn example() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&["import", example_dir().to_str().expect("utf-8"), "--quiet"]);
    env
}

#[test]
fn every_year_agrees_with_the_double_clear_report() {
    let env = example();
    for by in ["county", "town"] {
        let got = json(&env, &["report", "progress", "--by", by]);
        assert_eq!(
            got["period"],
            serde_json::json!({"from": "2014-01-01", "to": "2020-12-31", "step": "year"})
        );
        assert_eq!(got["by"], by);
        let series = got["series"].as_array().expect("series");
        for year in 2014..=2020 {
            let end = format!("{year}-12-31");
            let dc = json(
                &env,
                &["report", "double-clear", "--as-of", &end, "--by", by],
            );
            for (i, s) in series.iter().enumerate() {
                let p = &s["periods"][year - 2014];
                assert_eq!(p["from"], format!("{year}-01-01").as_str());
                assert_eq!(p["to"], end.as_str());
                assert_eq!(p["as_of"], end.as_str());
                let want = if by == "county" {
                    &dc["totals"]
                } else {
                    &dc["groups"][i]
                };
                if by == "town" {
                    assert_eq!(s["key"], want["key"]);
                }
                // One name for one count: the double-clear report's.
                for (mine, theirs) in [
                    ("households_registered", "households_registered"),
                    ("people_registered", "people_registered"),
                    ("households_lifted", "households_lifted_this_year"),
                    ("people_lifted", "people_lifted_this_year"),
                    ("poor_households_remaining", "poor_households_remaining"),
                    ("poor_people_remaining", "poor_people_remaining"),
                    ("households_returned", "households_returned_this_year"),
                    ("people_returned", "people_returned_this_year"),
                    (
                        "households_off_register",
                        "households_off_register_this_year",
                    ),
                    ("people_off_register", "people_off_register_this_year"),
                    ("poor_villages_remaining", "poor_villages_remaining"),
                    ("incidence_percent", "incidence_percent"),
                ] {
                    assert_eq!(p[mine], want[theirs], "{by} {year} {mine} of {}", s["name"]);
                }
            }
        }
    }
    let county = json(&env, &["report", "progress"]);
    let periods = &county["series"][0]["periods"];
    assert_eq!(periods[5]["poor_households_remaining"], 948);
    assert_eq!(periods[5]["poor_people_remaining"], 3394);
    assert_eq!(periods[6]["poor_people_remaining"], 0);
    // The example's changes: returns in 2017, removals and deaths in 2019.
    assert_eq!(periods[3]["households_returned"], 9);
    assert_eq!(periods[5]["households_off_register"], 17);
}

/// The form closes with the range's 合计 row: what happened in a period
/// summed, what stands on a day as of the last cut-off; by town, the
/// county's own row for each period adds the towns up.
#[test]
fn the_form_totals_the_range_and_adds_the_towns_up() {
    let env = example();
    let county = json(&env, &["report", "progress", "--from", "2017-01-01"]);
    let periods = county["series"][0]["periods"].as_array().expect("periods");
    let sum = |k: &str| {
        periods
            .iter()
            .map(|p| p[k].as_i64().unwrap_or(0))
            .sum::<i64>()
    };
    let last = periods.last().expect("a period");
    let figures = |row: &[String], from: usize| -> Vec<i64> {
        row[from..from + 10]
            .iter()
            .map(|c| c.parse().unwrap_or(-1))
            .collect()
    };
    for (lang, label) in [("en", "Total"), ("zh", "合计")] {
        let rows = env.csv(&["--lang", lang, "report", "progress", "--from", "2017-01-01"]);
        let total = rows.last().expect("a total row");
        assert_eq!(total[0], label);
        assert_eq!(total[1], "2020-12-31");
        let got = figures(total, 2);
        let want: Vec<i64> = [
            last["households_registered"].as_i64(),
            last["people_registered"].as_i64(),
            Some(sum("households_lifted")),
            Some(sum("people_lifted")),
            last["poor_households_remaining"].as_i64(),
            last["poor_people_remaining"].as_i64(),
            Some(sum("households_returned")),
            Some(sum("households_off_register")),
            last["poor_villages_remaining"].as_i64(),
        ]
        .iter()
        .map(|v| v.unwrap_or(-2))
        .chain([got[9]])
        .collect();
        assert_eq!(got, want, "{lang}");
        // 2017–2020 on the example: 3048 + 2779 + 1874 + 948 lifted, the
        // 9 returns of 2017 and the 17 leaving in 2019.
        assert_eq!(got[2], 8649);
        assert_eq!((got[6], got[7]), (9, 17));
        assert_eq!(total[11], "0.00");
        // Four years and the total; JSON keeps to the periods.
        assert_eq!(rows.len(), 1 + 4 + 1);
    }
    // By town the printed form carries the county's rows: each period's
    // figures those of the county form, then the same total.
    let text = env.ok(&["report", "progress", "--by", "town", "--from", "2017-01-01"]);
    // The county's verdict heads the form by town too.
    assert!(text.contains("【Double clear: REACHED】"), "{text}");
    let before_end = env.ok(&[
        "report",
        "progress",
        "--by",
        "town",
        "--from",
        "2017-01-01",
        "--to",
        "2019-12-31",
    ]);
    assert!(
        before_end.contains(&format!(
            "Remaining at the end: {} households",
            periods[2]["poor_households_remaining"]
        )),
        "{before_end}"
    );
    // Past 100 columns the code column goes; the rows from the name on.
    let county_rows: Vec<Vec<String>> = text
        .lines()
        .filter_map(|l| {
            let cells: Vec<String> = l.split(['│', '┆']).map(|c| c.trim().to_string()).collect();
            let at = cells.iter().position(|c| c == "County")?;
            Some(cells[at..].to_vec())
        })
        .collect();
    assert_eq!(county_rows.len(), 5, "{text}");
    for (row, p) in county_rows.iter().zip(periods) {
        assert_eq!(row[2], p["as_of"].as_str().unwrap_or(""));
        assert_eq!(row[5].parse::<i64>().ok(), p["households_lifted"].as_i64());
        assert_eq!(
            row[8].parse::<i64>().ok(),
            p["poor_people_remaining"].as_i64()
        );
    }
    assert_eq!(county_rows[4][1], "Total");
    assert_eq!(county_rows[4][5], "8649");
    // CSV keeps the total, not the county's period rows: those are the
    // county form's.
    let rows = env.csv(&["report", "progress", "--by", "town", "--from", "2017-01-01"]);
    assert_eq!(rows.len(), 1 + 12 * 4 + 1);
    assert_eq!(rows.last().map(|r| r[2].as_str()), Some("Total"));
}

/// The names the report first wrote stay beside the new ones for this
/// release, with the values they had: the span at the top, a series'
/// `code`, a period's `end` (its cut-off day, under `--as-of-each start`
/// too) and its counts.
#[test]
fn the_first_names_stay_for_this_release() {
    let env = boundaries();
    let got = json(
        &env,
        &[
            "report",
            "progress",
            "--from",
            "2020-01-01",
            "--to",
            "2020-04-30",
            "--step",
            "quarter",
            "--as-of-each",
            "start",
        ],
    );
    assert_eq!(got["from"], got["period"]["from"]);
    assert_eq!(got["to"], got["period"]["to"]);
    assert_eq!(got["step"], "quarter");
    let s = &got["series"][0];
    assert_eq!(s["code"], s["key"]);
    let p = &s["periods"][1];
    assert_eq!(
        (&p["from"], &p["to"], &p["as_of"], &p["end"]),
        (
            &"2020-04-01".into(),
            &"2020-06-30".into(),
            &"2020-04-01".into(),
            &"2020-04-01".into()
        )
    );
    for (old, new) in [
        ("registered_households", "households_registered"),
        ("registered_people", "people_registered"),
        ("lifted_households", "households_lifted"),
        ("lifted_people", "people_lifted"),
        ("remaining_households", "poor_households_remaining"),
        ("remaining_people", "poor_people_remaining"),
    ] {
        assert_eq!(p[old], p[new], "{old}");
    }
}

/// A county whose lifts sit on period boundaries: T1 with households
/// lifted on the last day of March and the first of April, T2 with none.
fn boundaries() -> TestEnv {
    let env = TestEnv::new();
    let s = Seed::new(&env);
    s.town("T1", "钟山镇", None);
    s.town("T2", "回龙镇", None);
    s.village(
        "V1",
        "龙岩村",
        "T1",
        Some(100),
        Some(("2020-01-15", Some("2020-04-01"))),
    );
    s.village("V2", "大田村", "T2", Some(50), None);
    for h in [
        Household {
            code: "H1",
            village: "V1",
            members: 2,
            registered_on: "2020-01-01",
            lifted_on: Some("2020-03-31"),
        },
        Household {
            code: "H2",
            village: "V1",
            members: 3,
            registered_on: "2020-02-29",
            lifted_on: Some("2020-04-01"),
        },
        Household {
            code: "H3",
            village: "V1",
            members: 4,
            registered_on: "2020-03-01",
            lifted_on: None,
        },
    ] {
        s.household(&h);
    }
    env
}

const ROWS: [(&str, i64, &str, Option<&str>); 3] = [
    ("H1", 2, "2020-01-01", Some("2020-03-31")),
    ("H2", 3, "2020-02-29", Some("2020-04-01")),
    ("H3", 4, "2020-03-01", None),
];

#[test]
fn lifts_on_the_last_and_first_day_of_a_period_fall_where_they_belong() {
    let env = boundaries();
    for (each, months) in [
        (
            "end",
            ["2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30"],
        ),
        (
            "start",
            ["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"],
        ),
    ] {
        let got = json(
            &env,
            &[
                "report",
                "progress",
                "--from",
                "2020-01-01",
                "--to",
                "2020-04-30",
                "--step",
                "month",
                "--as-of-each",
                each,
                "--by",
                "town",
            ],
        );
        let t1 = &got["series"][0]["periods"];
        let mut previous = if each == "end" {
            "2019-12-31".to_string()
        } else {
            "2019-12-01".to_string()
        };
        for (k, day) in months.iter().enumerate() {
            let p = &t1[k];
            assert_eq!(p["as_of"], *day, "{each}");
            let registered: Vec<_> = ROWS.iter().filter(|h| h.2 <= *day).collect();
            let lifted_by =
                |d: &str| ROWS.iter().filter(|h| h.3.is_some_and(|l| l <= d)).count() as i64;
            let lifted_in: Vec<_> = ROWS
                .iter()
                .filter(|h| h.3.is_some_and(|l| l > previous.as_str() && l <= *day))
                .collect();
            assert_eq!(
                p["households_registered"],
                registered.len() as i64,
                "{each} {day}"
            );
            assert_eq!(
                p["people_registered"],
                registered.iter().map(|h| h.1).sum::<i64>()
            );
            assert_eq!(
                p["households_lifted"],
                lifted_in.len() as i64,
                "{each} {day}"
            );
            assert_eq!(
                p["people_lifted"],
                lifted_in.iter().map(|h| h.1).sum::<i64>()
            );
            assert_eq!(
                p["poor_households_remaining"],
                registered.len() as i64 - lifted_by(day)
            );
            let remaining: i64 = registered
                .iter()
                .filter(|h| h.3.is_none_or(|l| l > *day))
                .map(|h| h.1)
                .sum();
            assert_eq!(p["poor_people_remaining"], remaining);
            let village_poor = "2020-01-15" <= *day && *day < "2020-04-01";
            assert_eq!(
                p["poor_villages_remaining"],
                i64::from(village_poor),
                "{each} {day}"
            );
            let want = json(
                &env,
                &["report", "double-clear", "--as-of", day, "--by", "town"],
            );
            assert_eq!(
                p["poor_people_remaining"],
                want["groups"][0]["poor_people_remaining"]
            );
            assert_eq!(
                p["incidence_percent"],
                want["groups"][0]["incidence_percent"]
            );
            previous = day.to_string();
        }
        // A town without poor households: zeros throughout.
        let t2 = got["series"][1]["periods"].as_array().expect("periods");
        assert!(
            t2.iter()
                .all(|p| p["poor_people_remaining"] == 0 && p["households_registered"] == 0)
        );
    }

    // Its sparkline is flat; T1's follows its people remaining.
    let table = env.ok(&[
        "report",
        "progress",
        "--from",
        "2020-01-01",
        "--to",
        "2020-04-30",
        "--step",
        "month",
        "--by",
        "town",
    ]);
    let line = |code: &str| {
        table
            .lines()
            .find(|l| l.contains(code))
            .unwrap_or_else(|| panic!("{table}"))
            .to_string()
    };
    assert!(line("T2").contains("▁▁▁▁"), "{table}");
    // People remaining at each month's end, as eighths of the highest.
    let remaining: Vec<i64> = ["2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30"]
        .iter()
        .map(|d| {
            ROWS.iter()
                .filter(|h| h.2 <= *d && h.3.is_none_or(|l| l > *d))
                .map(|h| h.1)
                .sum()
        })
        .collect();
    let max = *remaining.iter().max().expect("a month") as f64;
    let bars: String = remaining
        .iter()
        .map(|v| ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'][(*v as f64 / max * 7.0).round() as usize])
        .collect();
    assert!(line("T1").contains(&bars), "{bars}\n{table}");
    let csv = env.ok(&["report", "progress", "--by", "town", "--format", "csv"]);
    assert!(!csv.contains('▁'), "no sparklines in CSV");
}

fn parse(html: &str) -> Document<'_> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(html, opts).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_page_draws_the_chart_in_the_chosen_language() {
    let env = boundaries();
    for (lang, bars, line) in [
        ("zh", "未脱贫人数（人）", "贫困发生率（%）"),
        ("en", "People remaining", "Incidence (%)"),
    ] {
        for (by, panels) in [("county", 1), ("town", 2)] {
            let html = env.ok(&[
                "--lang",
                lang,
                "report",
                "progress",
                "--from",
                "2020-01-01",
                "--to",
                "2020-06-30",
                "--step",
                "month",
                "--by",
                by,
                "--format",
                "html",
            ]);
            let doc = parse(&html);
            let svgs: Vec<_> = doc
                .descendants()
                .filter(|n| n.tag_name().name() == "svg")
                .collect();
            assert_eq!(svgs.len(), 1, "one inline chart");
            let svg = svgs[0];
            let texts: String = svg.descendants().filter_map(|n| n.text()).collect();
            assert!(
                texts.contains(bars) && texts.contains(line),
                "{lang}: {texts}"
            );
            let series: Vec<_> = svg
                .descendants()
                .filter(|n| n.attribute("class") == Some("series"))
                .collect();
            assert_eq!(series.len(), panels, "{by}: a small chart per town");
            // One bar a month in every panel, all on one scale, with a
            // gridline at every step but the axis itself.
            for s in &series {
                assert_eq!(
                    s.descendants().filter(|n| n.has_tag_name("rect")).count(),
                    6
                );
                let grid = s
                    .descendants()
                    .filter(|n| n.has_tag_name("line") && n.attribute("stroke") == Some("#ccc"))
                    .count();
                assert!((4..=5).contains(&grid), "{grid} gridlines");
            }
            // Small multiples open a page of their own under the form's
            // title; a single chart follows its table.
            let chart = doc
                .descendants()
                .find(|n| {
                    n.has_tag_name("div")
                        && n.attribute("class").is_some_and(|c| c.starts_with("chart"))
                })
                .expect("the chart's block");
            let title = doc
                .descendants()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
                .unwrap_or_default();
            let head: String = chart
                .descendants()
                .filter(|n| n.attribute("class") == Some("chart-title"))
                .filter_map(|n| n.text())
                .collect();
            if by == "town" {
                assert_eq!(chart.attribute("class"), Some("chart multiples"));
                assert_eq!(head, title);
            } else {
                assert_eq!(chart.attribute("class"), Some("chart"));
                assert_eq!(head, "");
            }
            assert!(!html.contains("<script"), "printable, no script");
            assert!(!html.contains("href="), "no external file");
        }
    }
}

#[test]
fn the_charts_print_on_pages_of_their_own_on_one_scale() {
    let env = example();
    let args = ["--lang", "zh", "report", "progress", "--by", "town"];
    let mut book = workbook(&env, &args, "乡镇.xlsx");
    let names = book.sheet_names();
    assert_eq!(names.len(), 2, "{names:?}");
    let table = names[0].clone();
    assert_eq!(names[1], format!("{table}（图）"));
    // The table's worksheet holds no drawing: no chart falls across its
    // page breaks or under its repeated headings.
    let file = std::fs::File::open(env.path("乡镇.xlsx")).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    assert!(zip.by_name("xl/worksheets/_rels/sheet1.xml.rels").is_err());
    assert!(zip.by_name("xl/worksheets/_rels/sheet2.xml.rels").is_ok());
    // The charts' page carries the form's title block.
    let charts = book.worksheet_range(&names[1]).expect("charts");
    assert_eq!(
        charts.get_value((0, 0)).cloned(),
        Some(calamine::Data::String("钟山县脱贫攻坚历程统计表".into()))
    );
    // Twelve towns, two charts a row, two rows a page: breaks on the blank
    // rows under the second and fourth rows of charts, none inside one.
    let sheet2 = part(&env.path("乡镇.xlsx"), "xl/worksheets/sheet2.xml");
    assert_eq!(
        values_after(&sheet2, "<brk id=\""),
        ["31", "59"],
        "{sheet2}"
    );
    // Every town on the county's scale, as the printed page draws them.
    for n in 1..=12 {
        let chart = part(&env.path("乡镇.xlsx"), &format!("xl/charts/chart{n}.xml"));
        assert!(chart.contains(&format!("<c:f>{table}!$J$")), "{chart}");
        assert_eq!(
            values_after(&chart, "<c:max val=\""),
            ["5000", "20"],
            "chart {n}"
        );
    }
}

/// The quoted values that follow each `opening` in an XML part.
fn values_after<'a>(xml: &'a str, opening: &str) -> Vec<&'a str> {
    xml.match_indices(opening)
        .map(|(at, m)| {
            let rest = &xml[at + m.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect()
}

#[test]
fn the_workbook_holds_a_native_chart_of_the_table() {
    let env = example();
    let args = ["--lang", "zh", "report", "progress"];
    let mut book = workbook(&env, &args, "历程.xlsx");
    let name = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&name).expect("sheet");
    let head = (0..10)
        .find(|r| {
            sheet
                .get_value((*r, 0))
                .is_some_and(|d| *d == calamine::Data::String("统计期".into()))
        })
        .expect("header");
    // Data rows (1-based in Excel) after the two header rows.
    let (first, last) = (head + 3, head + 2 + 7);
    let chart = part(&env.path("历程.xlsx"), "xl/charts/chart1.xml");
    let refs = |col: &str| format!("!${col}${first}:${col}${last}");
    assert!(
        chart.contains(&refs("A")),
        "categories: the periods\n{chart}"
    );
    assert!(
        chart.contains(&refs("H")),
        "bars: people remaining\n{chart}"
    );
    // The line is drawn from the incidence column, wherever the form puts
    // it: found by its heading, its 2019 cell the report's 0.86.
    let incidence = (0..20u32)
        .find(|c| {
            sheet
                .get_value((head, *c))
                .is_some_and(|d| d.to_string().replace('\n', "") == "贫困发生率（%）")
        })
        .expect("an incidence column");
    assert_eq!(
        sheet.get_value((head + 2 + 5, incidence)).cloned(),
        Some(calamine::Data::Float(0.86))
    );
    let letter = char::from(b'A' + incidence as u8).to_string();
    assert_eq!(letter, "L");
    assert!(chart.contains(&refs(&letter)), "line: incidence\n{chart}");
    // By town, each town's chart reads its own rows of the same columns.
    let args = ["--lang", "zh", "report", "progress", "--by", "town"];
    let mut town_book = workbook(&env, &args, "乡镇.xlsx");
    let town_name = town_book.sheet_names()[0].clone();
    let towns = town_book.worksheet_range(&town_name).expect("sheet");
    let town_head = (0..10)
        .find(|r| {
            towns
                .get_value((*r, 2))
                .is_some_and(|d| *d == calamine::Data::String("统计期".into()))
        })
        .expect("header");
    let (first, last) = (town_head + 3, town_head + 2 + 7);
    let refs = |col: &str| format!("!${col}${first}:${col}${last}");
    assert_eq!(
        towns.get_value((town_head + 2, 13)).cloned(),
        Some(calamine::Data::Float(7.39)),
        "钟山镇's incidence in 2014, under the heading"
    );
    let chart = part(&env.path("乡镇.xlsx"), "xl/charts/chart1.xml");
    assert!(chart.contains(&refs("J")), "bars by town\n{chart}");
    assert!(
        chart.contains(&refs("N")),
        "line: incidence by town\n{chart}"
    );
    assert!(chart.contains("<c:barChart>") && chart.contains("<c:lineChart>"));
    let remaining = sheet.get_value((head + 2 + 5, 7)).cloned();
    assert_eq!(
        remaining,
        Some(calamine::Data::Float(3394.0)),
        "end of 2019"
    );
    let data: Json = json(&env, &["report", "progress"]);
    assert_eq!(
        data["series"][0]["periods"][5]["poor_people_remaining"],
        3394
    );
}
