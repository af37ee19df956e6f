//! The rules and their findings as printed forms: the list of rules, a
//! summary of what each found, and the rows at fault, one sheet per rule
//! in a workbook (what a township gets back to correct).

use std::io::Write;

use anyhow::Result;

use super::{Finding, Findings, RULES, Rule};
use crate::lang::Lang;
use crate::report::sheet::{Col, Heading, Listing, Mark, Row, Sheet, Value};
use crate::report::{Output, PageOpts, ReportFormat, html, plain, xlsx};

fn heading(county: &(String, String), title: String, when: String, opts: &PageOpts) -> Heading {
    crate::report::heading(county, title, when, opts)
}

/// The list of rules (`check --rules`).
pub fn rules_sheet(county: &(String, String), opts: &PageOpts) -> Sheet {
    let lang = opts.lang;
    let mut sheet = Sheet::new(
        lang,
        heading(
            county,
            lang.t("Rules of the register check", "疑点数据核查规则"),
            lang.t(
                &format!("{} rules", RULES.len()),
                &format!("共 {} 条", RULES.len()),
            ),
            opts,
        ),
        vec![
            Col::code("code", lang.t("Code", "编号")),
            Col::text("level", lang.t("Level", "类别")),
            Col::text("scope", lang.t("Applies to", "对象")),
            Col::code("since", lang.t("Since", "起始年度")),
            Col::text("name", lang.t("Rule", "规则")),
        ],
    );
    for r in RULES {
        sheet.rows.push(Row::body(vec![
            Value::text(r.code),
            Value::text(r.level.label(lang)),
            Value::text(r.scope.label(lang)),
            Value::text(r.since.to_string()),
            Value::text(r.name(lang)),
        ]));
    }
    sheet
}

/// The rules as JSON, for scripts.
pub fn write_rules_json(out: &mut dyn Write) -> Result<()> {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "code": r.code,
                "name": r.en,
                "name_zh": r.zh,
                "level": r.level,
                "scope": r.scope,
                "since": r.since,
                "needs_assessment": r.needs_assessment,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rules)?;
    writeln!(out)?;
    Ok(())
}

fn when(findings: &Findings, lang: Lang) -> String {
    lang.t(
        &format!(
            "Year: {}; income line {} yuan",
            findings.year, findings.line.income_line
        ),
        &format!(
            "年度：{}年；脱贫标准：{} 元",
            findings.year, findings.line.income_line
        ),
    )
}

/// A title naming the town checked, or else the county, as every form's
/// title names its unit.
fn place_title(findings: &Findings, county: &(String, String), lang: Lang, base: &str) -> String {
    match findings.place_name.as_ref() {
        Some(p) if lang.is_zh() => format!("{p}{base}"),
        Some(p) => format!("{base}: {p}"),
        None if lang.is_zh() => format!("{}{base}", county.1),
        None => format!("{} — {base}", crate::report::county_title(lang, county)),
    }
}

/// What each rule found: one row a rule, 0 shown.
pub fn summary_sheet(findings: &Findings, county: &(String, String), opts: &PageOpts) -> Sheet {
    let lang = opts.lang;
    let title = place_title(
        findings,
        county,
        lang,
        &lang.t(
            &format!("Register check {}: summary", findings.year),
            &format!("{}年度疑点数据核查汇总", findings.year),
        ),
    );
    let mut sheet = Sheet::new(
        lang,
        heading(county, title, when(findings, lang), opts),
        vec![
            Col::code("code", lang.t("Code", "编号")),
            Col::text("level", lang.t("Level", "类别")),
            Col::text("name", lang.t("Rule", "规则")),
            Col::number("count", lang.t("Rows", "条数")),
        ],
    );
    for (rule, found) in &findings.rules {
        let mark = if found.is_empty() {
            Mark::Good
        } else if rule.level == super::Level::Error {
            Mark::Bad
        } else {
            Mark::Plain
        };
        sheet.rows.push(Row::body(vec![
            Value::text(rule.code),
            Value::text(rule.level.label(lang)),
            Value::text(rule.name(lang)),
            Value::int(found.len() as i64).with_mark(mark),
        ]));
    }
    let errors = findings.count(super::Level::Error);
    let suspects = findings.count(super::Level::Suspect);
    sheet.rows.push(Row::total(vec![
        Value::text(lang.t("Total", "合计")),
        Value::empty(),
        Value::empty(),
        Value::int((errors + suspects) as i64),
    ]));
    sheet.verdict = Some(if errors + suspects == 0 {
        (lang.t("Nothing found", "未发现疑点数据"), Mark::Good)
    } else {
        (
            lang.t(
                &format!(
                    "{} to correct, {} to verify",
                    crate::lang::count(errors as i64, "error", "errors"),
                    crate::lang::count(suspects as i64, "suspect", "suspects")
                ),
                &format!("需更正错误 {errors} 条，需核实疑点 {suspects} 条"),
            ),
            if errors > 0 { Mark::Bad } else { Mark::Plain },
        )
    });
    sheet.notes.push(lang.t(
        &format!(
            "{} on the register at the end of {} checked; people as present on that day; ID numbers masked.",
            crate::lang::count_grouped(findings.households_checked as i64, "household", "households"),
            findings.year
        ),
        &format!(
            "核查 {} 年底在册贫困户 {} 户；家庭成员按当日在户计；身份证号已隐去中间位。",
            findings.year,
            crate::values::thousands(findings.households_checked as i64)
        ),
    ));
    sheet
}

fn finding_columns(lang: Lang, with_rule: bool) -> Vec<Col> {
    let mut cols = Vec::new();
    if with_rule {
        cols.push(Col::code("rule", lang.t("Rule", "规则")));
    }
    cols.extend([
        Col::text("town", lang.t("Town", "乡镇")),
        Col::text("village", lang.t("Village", "行政村")),
        Col::code("household", lang.t("Household", "户编号")),
        Col::code("person", lang.t("Person", "人编号")),
        Col::text("name", lang.t("Name", "姓名")),
        Col::code("id_number", lang.t("ID number", "身份证号")),
        Col::text("values", lang.t("At fault", "疑点内容")),
    ]);
    cols
}

/// The columns a rule of `scope` can never fill: a household rule names no
/// person, a village rule neither household nor person. Fixed by the rule,
/// so a rule's form keeps its columns whatever it finds.
fn unused_by(scope: super::Scope) -> &'static [&'static str] {
    match scope {
        super::Scope::Person => &[],
        super::Scope::Household => &["person"],
        super::Scope::Village => &["household", "person"],
    }
}

/// `sheet` without the columns named in `keys`.
fn without_columns(mut sheet: Sheet, keys: &[&str]) -> Sheet {
    while let Some(at) = sheet.columns.iter().position(|c| keys.contains(&c.key)) {
        sheet.remove_column(at);
    }
    sheet
}

fn finding_row(rule: Option<&Rule>, f: &Finding) -> Row {
    let mut cells = Vec::new();
    if let Some(r) = rule {
        cells.push(Value::text(r.code));
    }
    cells.extend([
        Value::text(f.town_name.clone()),
        Value::text(f.village_name.clone()),
        Value::opt(f.household.clone()),
        Value::opt(f.person.clone()),
        Value::text(f.name.clone()),
        Value::opt(f.id_number.clone()),
        Value::text(f.values.clone()),
    ]);
    Row::body(cells)
}

/// Every row at fault, with its rule: one table for CSV, the terminal and
/// a page.
pub fn findings_sheet(findings: &Findings, county: &(String, String), opts: &PageOpts) -> Sheet {
    let lang = opts.lang;
    let title = place_title(
        findings,
        county,
        lang,
        &lang.t(
            &format!("Register check {}: rows at fault", findings.year),
            &format!("{}年度疑点数据清单", findings.year),
        ),
    );
    let mut sheet = Sheet::new(
        lang,
        heading(county, title, when(findings, lang), opts),
        finding_columns(lang, true),
    );
    sheet.landscape = true;
    for (rule, found) in &findings.rules {
        for f in found {
            sheet.rows.push(finding_row(Some(rule), f));
        }
    }
    sheet.lists.push(Listing {
        title: lang.t("Rules", "规则"),
        items: findings
            .rules
            .iter()
            .filter(|(_, f)| !f.is_empty())
            .map(|(r, f)| {
                lang.t(
                    &format!(
                        "{} {} ({}): {}",
                        r.code,
                        r.name(lang),
                        r.level.label(lang),
                        f.len()
                    ),
                    &format!(
                        "{} {}（{}）：{} 条",
                        r.code,
                        r.name(lang),
                        r.level.label(lang),
                        f.len()
                    ),
                )
            })
            .collect(),
    });
    sheet
}

/// The rows one rule found: a township's correction form.
pub fn rule_sheet(
    findings: &Findings,
    rule: &Rule,
    found: &[Finding],
    county: &(String, String),
    opts: &PageOpts,
) -> Sheet {
    let lang = opts.lang;
    let title = place_title(
        findings,
        county,
        lang,
        &lang.t(
            &format!("{} {} ({})", rule.code, rule.en, findings.year),
            &format!("{}年度疑点数据：{} {}", findings.year, rule.code, rule.zh),
        ),
    );
    let mut sheet = Sheet::new(
        lang,
        heading(county, title, when(findings, lang), opts),
        finding_columns(lang, false),
    );
    sheet.landscape = true;
    for f in found {
        sheet.rows.push(finding_row(None, f));
    }
    sheet.notes.push(lang.t(
        "Correct each row in the register, or write down why it stands, and send the form back.",
        "请逐条核实：错误的在系统中更正，属实的注明原因，填好后报回。",
    ));
    without_columns(sheet, unused_by(rule.scope))
}

#[derive(serde::Serialize)]
struct RuleJson<'a> {
    code: &'static str,
    name: &'static str,
    level: super::Level,
    scope: super::Scope,
    count: usize,
    rows: &'a [Finding],
}

#[derive(serde::Serialize)]
struct StandardJson {
    income_line: i64,
    monitoring_line: Option<i64>,
    incidence_line: i64,
    source: crate::standards::Source,
}

/// The findings as JSON, written row by row from the findings themselves.
#[derive(serde::Serialize)]
struct FindingsJson<'a> {
    year: i64,
    standard: StandardJson,
    town: &'a Option<String>,
    village: &'a Option<String>,
    households_checked: u64,
    errors: usize,
    suspects: usize,
    /// A rule each, its rows borrowed.
    rules: Vec<RuleJson<'a>>,
}

fn write_findings_json(findings: &Findings, out: &mut dyn Write) -> Result<()> {
    fn each<'a>((r, found): &'a (&'static Rule, Vec<Finding>)) -> RuleJson<'a> {
        RuleJson {
            code: r.code,
            name: r.en,
            level: r.level,
            scope: r.scope,
            count: found.len(),
            rows: found,
        }
    }
    let json = FindingsJson {
        year: findings.year,
        standard: StandardJson {
            income_line: findings.line.income_line,
            monitoring_line: findings.line.monitoring_line,
            incidence_line: findings.line.incidence_line,
            source: findings.line.source,
        },
        town: &findings.place.town,
        village: &findings.place.village,
        households_checked: findings.households_checked,
        errors: findings.count(super::Level::Error),
        suspects: findings.count(super::Level::Suspect),
        rules: findings.rules.iter().map(each).collect(),
    };
    crate::report::sheet::write_json(&mut *out, &json)?;
    writeln!(out)?;
    Ok(())
}

/// Writes the findings in the format asked for.
pub fn render(
    findings: &Findings,
    county: &(String, String),
    how: &Output,
    opts: &PageOpts,
    out: &mut dyn Write,
) -> Result<()> {
    let summary = || summary_sheet(findings, county, opts);
    let rows = || findings_sheet(findings, county, opts);
    let any = findings.rules.iter().any(|(_, f)| !f.is_empty());
    match how.format {
        ReportFormat::Json => write_findings_json(findings, out)?,
        ReportFormat::Table => {
            out.write_all(plain::to_text(&summary(), how.width).as_bytes())?;
            if any {
                writeln!(out)?;
                out.write_all(plain::to_text(&rows(), how.width).as_bytes())?;
            }
        }
        ReportFormat::Markdown => {
            out.write_all(plain::to_markdown(&summary()).as_bytes())?;
            if any {
                writeln!(out)?;
                out.write_all(plain::to_markdown(&rows()).as_bytes())?;
            }
        }
        ReportFormat::Csv => plain::write_csv(&rows(), out, how.encoding, how.bom)?,
        ReportFormat::Html => {
            let mut page = rows();
            page.verdict = summary().verdict;
            out.write_all(html::page(&page).as_bytes())?;
        }
        ReportFormat::Xlsx => {
            let lang = opts.lang;
            let mut sheets = vec![(lang.t("Summary", "汇总"), summary())];
            for (rule, found) in &findings.rules {
                if !found.is_empty() {
                    sheets.push((
                        format!("{} {}", rule.code, rule.name(lang)),
                        rule_sheet(findings, rule, found, county, opts),
                    ));
                }
            }
            out.write_all(&xlsx::book_of(&sheets)?)?;
        }
    }
    Ok(())
}

/// Renders the list of rules.
pub fn render_rules(
    county: &(String, String),
    how: &Output,
    opts: &PageOpts,
    out: &mut dyn Write,
) -> Result<()> {
    let sheet = rules_sheet(county, opts);
    match how.format {
        ReportFormat::Json => write_rules_json(out)?,
        ReportFormat::Table => out.write_all(plain::to_text(&sheet, how.width).as_bytes())?,
        ReportFormat::Markdown => out.write_all(plain::to_markdown(&sheet).as_bytes())?,
        ReportFormat::Csv => plain::write_csv(&sheet, out, how.encoding, how.bom)?,
        ReportFormat::Html => out.write_all(html::page(&sheet).as_bytes())?,
        ReportFormat::Xlsx => out.write_all(&xlsx::book(&sheet)?)?,
    }
    Ok(())
}
