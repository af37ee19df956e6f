//! `--format html`: one self-contained, well-formed page whose table holds
//! exactly the report's data, with every name escaped.

use roxmltree::{Document, Node, ParsingOptions};
use serde_json::Value as Json;

use super::{Household, Seed, json};
use crate::common::TestEnv;

const EVIL: &str = r#"<script>alert("x")</script> & 'co'"#;

fn county() -> TestEnv {
    let env = TestEnv::new();
    let s = Seed::new(&env);
    s.town("T1", "钟山镇", None);
    s.town("T2", "A&B <镇>", None);
    s.village(
        "V1",
        "龙岩村",
        "T1",
        Some(1200),
        Some(("2015-12-31", Some("2020-11-30"))),
    );
    s.village("V2", EVIL, "T2", Some(800), None);
    s.village("V3", "大田村", "T2", None, None);
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
            village: "V2",
            members: 3,
            registered_on: "2015-06-01",
            lifted_on: None,
        },
    ] {
        s.household(&h);
    }
    env
}

/// Parses strictly as XML; `<!DOCTYPE html>` is the only DTD it meets.
fn parse(html: &str) -> Result<Document<'_>, roxmltree::Error> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(html, opts)
}

fn text(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn elements<'a, 'i>(node: Node<'a, 'i>, tag: &str) -> Vec<Node<'a, 'i>> {
    node.descendants().filter(|n| n.has_tag_name(tag)).collect()
}

#[test]
fn the_page_is_well_formed_self_contained_and_holds_the_data() {
    let env = county();
    let args = [
        "report",
        "double-clear",
        "--as-of",
        "2020-07-01",
        "--by",
        "village",
    ];
    let mut html_args = vec!["--lang", "zh"];
    html_args.extend(args);
    html_args.extend(["--format", "html"]);
    let html = env.ok(&html_args);
    let doc = parse(&html).unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"));
    let root = doc.root_element();
    assert!(root.has_tag_name("html"));
    assert_eq!(root.attribute("lang"), Some("zh-CN"));

    // Self-contained: no script, nothing fetched.
    assert!(elements(root, "script").is_empty());
    assert!(elements(root, "link").is_empty());
    for n in root.descendants() {
        assert!(n.attribute("src").is_none() && n.attribute("href").is_none());
    }
    let style = text(elements(root, "style")[0]);
    for needle in [
        "size: A4 landscape",
        "thead { display: table-header-group; }",
        "counter(page)",
        "\"SimSun\"",
    ] {
        assert!(style.contains(needle), "{needle} in {style}");
    }
    for forbidden in ["url(", "@import", "http"] {
        assert!(!style.contains(forbidden), "{forbidden}");
    }

    // The title block sits in the repeated header.
    let thead = elements(root, "thead")[0];
    let head = text(thead);
    assert!(head.contains("钟山县脱贫攻坚“双清零”情况表"), "{head}");
    assert!(
        head.contains("填报单位：钟山县扶贫开发领导小组办公室"),
        "{head}"
    );
    assert!(head.contains("截止时间：2020年7月1日"), "{head}");
    assert!(head.contains("生成时间："), "{head}");
    assert!(head.contains("双清零：未实现"), "{head}");
    let foot = text(root);
    assert!(foot.contains("单位负责人：") && foot.contains("报出日期："));

    // The rows are the report's data, in order, each town's villages
    // followed by the town's subtotal (its figures by town), then the total.
    let data = json(&env, &args);
    let groups = data["groups"].as_array().expect("groups");
    let mut by_town_args = args.to_vec();
    by_town_args[5] = "town";
    let towns = json(&env, &by_town_args);
    let towns = towns["groups"].as_array().expect("towns");
    let row_cells =
        |tr: Node| -> Vec<String> { elements(tr, "td").into_iter().map(text).collect() };
    let tbodies = elements(root, "tbody");
    // Data, each town's subtotal kept with its last two villages, then the
    // total with the sign-off. The kept parts and the closing part may
    // not be split over two pages.
    let end = tbodies.last().expect("a closing part");
    assert_eq!(end.attribute("class"), Some("end"));
    let kept: Vec<&Node> = tbodies
        .iter()
        .filter(|b| b.attribute("class") == Some("keep"))
        .collect();
    // The last town's subtotal travels with the total instead.
    assert_eq!(kept.len(), towns.len() - 1, "a kept part a town");
    for part in &kept {
        let rows = elements(**part, "tr");
        // Its last two villages (a town of one, its one) and the subtotal.
        assert!((2..=3).contains(&rows.len()), "{} rows", rows.len());
        assert_eq!(
            rows.last().and_then(|r| r.attribute("class")),
            Some("subtotal")
        );
    }
    for tbody in &tbodies {
        for tr in elements(*tbody, "tr") {
            if tr.attribute("class") == Some("subtotal") {
                assert!(matches!(tbody.attribute("class"), Some("keep" | "end")));
            }
        }
    }
    assert!(
        style.contains("tbody.end, tbody.keep { break-inside: avoid;"),
        "{style}"
    );
    assert!(style.contains("thead { display: table-header-group; }"));
    assert!(style.contains("th { word-break: keep-all;"), "{style}");
    assert!(text(*end).contains("单位负责人："));
    let trs: Vec<Node> = tbodies
        .iter()
        .flat_map(|b| elements(*b, "tr"))
        .filter(|tr| {
            tr.attribute("class") != Some("total") && tr.attribute("class") != Some("end-matter")
        })
        .collect();
    let subtotal_rows: Vec<Vec<String>> = trs
        .iter()
        .filter(|tr| tr.attribute("class") == Some("subtotal"))
        .map(|tr| row_cells(*tr))
        .collect();
    let rows: Vec<Vec<String>> = trs
        .iter()
        .filter(|tr| tr.attribute("class").is_none())
        .map(|tr| row_cells(*tr))
        .collect();
    assert_eq!(rows.len(), groups.len());
    // By village, no column repeats a constant: 行政村（个） is left out.
    let keys = [
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
    ];
    let check = |row: &[String], g: &Json| {
        assert_eq!(row[0], g["key"].as_str().unwrap_or(""));
        for (i, key) in keys.iter().enumerate() {
            // Counts are printed in thousands: 15,473.
            let printed = row[3 + i].replace(',', "");
            assert_eq!(printed, g[key].to_string(), "{key} of {}", row[0]);
        }
        let population = g["population"].as_i64().map(|p| p.to_string());
        assert_eq!(
            row[3 + keys.len()].replace(',', ""),
            population.unwrap_or_default()
        );
        let incidence = g["incidence_percent"].as_f64().map(|p| format!("{p:.2}"));
        assert_eq!(row[4 + keys.len()], incidence.unwrap_or_default());
        let verdict = if g["double_clear"] == true {
            "已实现"
        } else {
            "未实现"
        };
        assert_eq!(row[5 + keys.len()], verdict);
    };
    for (row, g) in rows.iter().zip(groups) {
        assert_eq!(row[2], g["name"].as_str().unwrap_or(""));
        check(row, g);
    }
    assert_eq!(subtotal_rows.len(), towns.len());
    for (row, town) in subtotal_rows.iter().zip(towns) {
        assert_eq!(row[1], town["name"].as_str().unwrap_or(""));
        assert_eq!(row[2], "乡镇小计");
        check(row, town);
    }
    // A town's subtotal follows its last village.
    let order: Vec<String> = trs.iter().map(|tr| row_cells(*tr)[0].clone()).collect();
    assert_eq!(order, ["V1", "T1", "V2", "V3", "T2"]);
    let total = row_cells(
        elements(*end, "tr")
            .into_iter()
            .find(|tr| tr.attribute("class") == Some("total"))
            .expect("total row"),
    );
    assert_eq!(total[2], "合计");
    check(&total, &{
        let mut t = data["totals"].clone();
        t["key"] = Json::Null;
        t["double_clear"] = data["double_clear"].clone();
        t
    });

    // Names from users are text, not markup.
    assert!(!html.contains("<script>"));
    assert!(rows.iter().any(|r| r[2] == EVIL), "{rows:?}");
    assert!(rows.iter().any(|r| r[1] == "A&B <镇>"), "{rows:?}");
}

#[test]
fn every_report_renders_a_well_formed_page() {
    let env = county();
    for args in [
        vec!["report", "double-clear", "--as-of", "2020", "--by", "zone"],
        vec!["report", "dispatch", "--period", "202002B"],
        vec!["report", "teams", "--as-of", "2020", "--by", "village"],
        vec!["report", "tasks", "--as-of", "2020"],
    ] {
        for lang in ["en", "zh"] {
            let mut all = vec!["--lang", lang];
            all.extend(&args);
            all.extend(["--format", "html"]);
            let html = env.ok(&all);
            let doc =
                parse(&html).unwrap_or_else(|e| panic!("{args:?}: not well-formed: {e}\n{html}"));
            let thead = elements(doc.root_element(), "thead");
            assert_eq!(thead.len(), 1, "{args:?}");
            // The county by the name it was created with, and in English
            // its code beside it.
            let county = if lang == "zh" {
                "钟山县"
            } else {
                "钟山县 (451122)"
            };
            assert!(text(thead[0]).contains(county), "{args:?}");
            if lang == "en" {
                assert!(!text(thead[0]).contains("County 451122"), "{args:?}");
            }
        }
    }
}

/// The double-clear form by town has 18 columns: it is set smaller so that
/// it keeps within A4 landscape (it ran past the right edge in print).
#[test]
fn a_form_of_many_columns_is_set_smaller() {
    let env = crate::common::TestEnv::new();
    crate::county::places(&env);
    let html = env.ok(&[
        "report",
        "double-clear",
        "--as-of",
        "2020-12-31",
        "--by",
        "town",
        "--format",
        "html",
    ]);
    assert!(
        html.contains("table.report th, table.report td { font-size: 9pt; padding: 2pt 3pt; }"),
        "{html}"
    );
    // A form of a dozen columns keeps the usual size.
    let html = env.ok(&[
        "report",
        "progress",
        "--from",
        "2014-01-01",
        "--to",
        "2020-12-31",
        "--step",
        "year",
        "--format",
        "html",
    ]);
    assert!(
        !html.contains("table.report th, table.report td {"),
        "{html}"
    );
}
