//! The teams report: village-stationed work teams (驻村工作队), first
//! secretaries, information officers and villages with 一肩挑, on a date.
//!
//! Grouping: `--by town` (the default) gives a row per town; `--by zone`
//! puts the towns of a battle zone together; `--by village` gives a row per
//! village; `--by county` a single row. Cadres are counted once per row even
//! when they hold posts in two villages of it, so rows need not add up to
//! the total. Posts placed at a town (not a village) count for the town, its
//! zone and the county, but for no village row.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::double_clear::zones;
use super::sheet::{
    Col, GroupsJson, JsonFigures, Mark, Parent, Sheet, Value, as_of_line, write_json,
};
use super::{By, Layout, PageOpts, Report, Subtotals, county_title, group_rows, heading, percent};
use crate::lang::Lang;
use crate::values::format_date;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub villages: i64,
    pub villages_with_team: i64,
    pub first_secretaries: i64,
    pub work_team_members: i64,
    pub info_officers: i64,
    pub yijiantiao: i64,
    pub yijiantiao_percent: Option<f64>,
}

pub type Group = super::Group<Figures>;

#[derive(Debug, Clone)]
pub struct Teams {
    pub county: (String, String),
    pub as_of: NaiveDate,
    pub by: By,
    pub groups: Vec<Group>,
    /// By village: the towns, whose subtotal rows follow their villages.
    pub subtotals: Vec<Group>,
    pub totals: Figures,
}

/// What one row gathers before it is counted.
#[derive(Default)]
struct Acc {
    villages: i64,
    villages_with_team: i64,
    yijiantiao: i64,
    first_secretaries: HashSet<String>,
    members: HashSet<String>,
    info_officers: HashSet<String>,
}

impl Acc {
    fn figures(&self) -> Figures {
        Figures {
            villages: self.villages,
            villages_with_team: self.villages_with_team,
            first_secretaries: self.first_secretaries.len() as i64,
            work_team_members: self.members.len() as i64,
            info_officers: self.info_officers.len() as i64,
            yijiantiao: self.yijiantiao,
            yijiantiao_percent: percent(self.yijiantiao, self.villages),
        }
    }

    fn post(&mut self, cadre: &str, role: &str) {
        match role {
            "first_secretary" => {
                self.first_secretaries.insert(cadre.to_string());
                self.members.insert(cadre.to_string());
            }
            "team_leader" | "team_member" => {
                self.members.insert(cadre.to_string());
            }
            "info_officer" => {
                self.info_officers.insert(cadre.to_string());
            }
            _ => {}
        }
    }
}

struct Post {
    cadre: String,
    role: String,
    village: Option<String>,
    town: Option<String>,
}

/// Posts held on `as_of`: started on or before it, not ended before it.
fn active_posts(conn: &Connection, as_of: &str) -> Result<Vec<Post>> {
    let mut stmt = conn.prepare(
        "SELECT p.cadre, p.role, p.village, coalesce(p.town, v.town)
         FROM posts p LEFT JOIN villages v ON v.code = p.village
         WHERE p.task IS NULL AND p.started_on <= ?1
           AND (p.ended_on IS NULL OR p.ended_on >= ?1)",
    )?;
    let rows = stmt.query_map([as_of], |r| {
        Ok(Post {
            cadre: r.get(0)?,
            role: r.get(1)?,
            village: r.get(2)?,
            town: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn build(conn: &Connection, as_of: NaiveDate, by: By) -> Result<Teams> {
    let county = super::county(conn)?;
    let day = format_date(as_of);
    let posts = active_posts(conn, &day).context("failed to read the posts")?;
    let mut stmt = conn.prepare("SELECT code, name, zone FROM towns ORDER BY code")?;
    let towns: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare("SELECT code, name, town FROM villages ORDER BY town, code")?;
    let villages: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let town_name: HashMap<&str, &str> = towns
        .iter()
        .map(|(c, n, _)| (c.as_str(), n.as_str()))
        .collect();

    // The rows, and which row a town's and a village's posts go to.
    let mut groups: Vec<Group> = Vec::new();
    let mut town_group: HashMap<&str, usize> = HashMap::new();
    let mut village_group: HashMap<&str, usize> = HashMap::new();
    let mut group = |key: Option<String>, name: String, town: Option<String>| {
        groups.push(Group {
            parent: None,
            key,
            name,
            town,
            figures: Figures::default(),
        });
        groups.len() - 1
    };
    match by {
        By::County => {
            let g = group(Some(county.0.clone()), county.1.clone(), None);
            town_group.extend(towns.iter().map(|(c, _, _)| (c.as_str(), g)));
        }
        By::Zone => {
            let mut zone_group = HashMap::new();
            for (code, name) in zones(conn)? {
                let g = group(Some(code.clone()), name, None);
                zone_group.insert(code, g);
            }
            let mut lost = None;
            for (code, _, zone) in &towns {
                let g = match zone.as_ref().and_then(|z| zone_group.get(z)) {
                    Some(g) => *g,
                    None => *lost.get_or_insert_with(|| group(None, String::new(), None)),
                };
                town_group.insert(code.as_str(), g);
            }
        }
        By::Town => {
            for (code, name, _) in &towns {
                let g = group(Some(code.clone()), name.clone(), None);
                town_group.insert(code.as_str(), g);
            }
        }
        By::Village => {
            for (code, name, town) in &villages {
                let g = group(
                    Some(code.clone()),
                    name.clone(),
                    town_name.get(town.as_str()).map(|s| s.to_string()),
                );
                village_group.insert(code.as_str(), g);
            }
        }
    }
    let mut accs: Vec<Acc> = (0..groups.len()).map(|_| Acc::default()).collect();
    let mut total = Acc::default();
    let row_of = |village: Option<&str>, town: Option<&str>| match village {
        Some(v) if by == By::Village => village_group.get(v).copied(),
        _ => town.and_then(|t| town_group.get(t).copied()),
    };

    // Per village: does it have a team, and one cadre as both secretary
    // and director (一肩挑)?
    let mut team_villages: HashSet<&str> = HashSet::new();
    let mut secretaries: HashSet<(&str, &str)> = HashSet::new();
    let mut directors: HashSet<(&str, &str)> = HashSet::new();
    for p in &posts {
        if let Some(g) = row_of(p.village.as_deref(), p.town.as_deref()) {
            accs[g].post(&p.cadre, &p.role);
        }
        total.post(&p.cadre, &p.role);
        let Some(village) = p.village.as_deref() else {
            continue;
        };
        match p.role.as_str() {
            "team_leader" | "first_secretary" | "team_member" => {
                team_villages.insert(village);
            }
            "party_secretary" => {
                secretaries.insert((village, p.cadre.as_str()));
            }
            "committee_director" => {
                directors.insert((village, p.cadre.as_str()));
            }
            _ => {}
        }
    }
    let yijiantiao: HashSet<&str> = secretaries
        .intersection(&directors)
        .map(|(v, _)| *v)
        .collect();
    for (code, _, town) in &villages {
        let count = |acc: &mut Acc| {
            acc.villages += 1;
            acc.villages_with_team += i64::from(team_villages.contains(code.as_str()));
            acc.yijiantiao += i64::from(yijiantiao.contains(code.as_str()));
        };
        if let Some(g) = row_of(Some(code), Some(town)) {
            count(&mut accs[g]);
        }
        count(&mut total);
    }
    for (g, acc) in groups.iter_mut().zip(&accs) {
        g.figures = acc.figures();
    }
    // A town's subtotal counts each of its cadres once, like a row by town.
    let subtotals = if by == By::Village {
        let village_town: HashMap<&str, &str> = villages
            .iter()
            .map(|(code, _, town)| (code.as_str(), town.as_str()))
            .collect();
        for g in &mut groups {
            let town = g.key.as_deref().and_then(|v| village_town.get(v));
            g.parent = town.map(|t| t.to_string());
        }
        build(conn, as_of, By::Town)?.groups
    } else {
        Vec::new()
    };
    Ok(Teams {
        county,
        as_of,
        by,
        groups,
        subtotals,
        totals: total.figures(),
    })
}

impl JsonFigures for Figures {
    fn json(&self) -> impl Serialize + '_ {
        self
    }
}

impl Report for Teams {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        write_json(
            out,
            &GroupsJson {
                as_of: self.as_of,
                by: self.by,
                counties: None,
                groups: &self.groups,
                totals: &self.totals,
                parent: Parent::Town,
                code_too: false,
            },
        )
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let layout = Layout {
            lang,
            by: self.by,
            county_code: &self.county.0,
            parent_col: self.by == By::Village,
            subtotals: (self.by == By::Village).then(|| Subtotals {
                label: lang.t("Town subtotal", "乡镇小计"),
                groups: &self.subtotals,
            }),
        };
        let mut columns = vec![Col::code("key", lang.t("Code", "代码"))];
        if self.by == By::Village {
            columns.push(Col::text("town", lang.t("Town", "乡镇")));
        }
        columns.push(Col::text("name", self.by.label(lang)));
        columns.extend(figure_columns(lang, self.by));
        let by = self.by;
        let rows = group_rows(&layout, &self.groups, &self.totals, |f| figure_cells(by, f));
        let title = lang.t(
            &format!(
                "{} — Village Work Teams and Information Officers",
                county_title(lang, &self.county)
            ),
            &format!("{}驻村工作队和信息员配备情况表", self.county.1),
        );
        let mut sheet = Sheet::new(
            lang,
            heading(&self.county, title, as_of_line(lang, self.as_of), opts),
            columns,
        );
        sheet.rows = rows;
        sheet.verdict = Some(verdict(lang, &self.totals));
        sheet.notes = notes(lang);
        sheet.landscape = self.by == By::Village;
        sheet
    }
}

/// The verdict above the table.
pub fn verdict(lang: Lang, totals: &Figures) -> (String, Mark) {
    let without = totals.villages - totals.villages_with_team;
    (
        lang.t(
            &format!("Villages without a work team: {without}"),
            &format!("无驻村工作队的村：{without} 个"),
        ),
        if without > 0 { Mark::Bad } else { Mark::Good },
    )
}

pub fn notes(lang: Lang) -> Vec<String> {
    vec![lang.t(
        "Note: counts are of distinct cadres in posts held on the date; work-team members include team leaders and first secretaries; a cadre is counted once per row and once in the total. Yijiantiao = one cadre is both village party secretary and committee director.",
        "注：按截止时间在岗人员统计，同一干部在一行内只计一次；驻村工作队员含工作队长和第一书记；一肩挑指村党组织书记和村委会主任由同一人担任。",
    )]
}

/// The figure columns after the key and name. A row per village would
/// print 1 under 行政村（个） and a rate of 0 or 100 for 一肩挑 on every
/// row, so by village those two are left out.
pub fn figure_columns(lang: Lang, by: By) -> Vec<Col> {
    let yjt = lang.t("Yijiantiao (secretary = director)", "一肩挑");
    let mut columns = Vec::new();
    if by != By::Village {
        columns.push(Col::number("villages", lang.t("Villages", "行政村（个）")));
    }
    columns.extend([
        Col::number(
            "villages_with_team",
            lang.t("Villages with a work team", "有驻村工作队的村（个）"),
        ),
        Col::number(
            "first_secretaries",
            lang.t("First secretaries (people)", "第一书记（人）"),
        ),
        Col::number(
            "work_team_members",
            lang.t("Work-team members (people)", "驻村工作队员（人）"),
        ),
        Col::number(
            "info_officers",
            lang.t("Information officers (people)", "信息员（人）"),
        ),
        Col::number("yijiantiao", lang.t("villages", "村数（个）")).under(&yjt),
    ]);
    if by != By::Village {
        columns
            .push(Col::percent("yijiantiao_percent", lang.t("rate (%)", "比例（%）")).under(&yjt));
    }
    columns
}

/// The cells of [`figure_columns`] for one row.
pub fn figure_cells(by: By, f: &Figures) -> Vec<Value> {
    let mut cells = Vec::new();
    if by != By::Village {
        cells.push(Value::int(f.villages));
    }
    cells.extend([
        Value::int(f.villages_with_team),
        Value::int(f.first_secretaries),
        Value::int(f.work_team_members),
        Value::int(f.info_officers),
        Value::int(f.yijiantiao),
    ]);
    if by != By::Village {
        cells.push(Value::num(f.yijiantiao_percent, 2));
    }
    cells
}

#[cfg(test)]
mod verdict_tests {
    use super::*;

    fn figures(villages: i64, with_team: i64) -> Figures {
        Figures {
            villages,
            villages_with_team: with_team,
            ..Figures::default()
        }
    }

    #[test]
    fn the_verdict_is_green_only_when_every_village_has_a_team() {
        assert_eq!(verdict(Lang::En, &figures(3, 3)).1, Mark::Good);
        assert_eq!(verdict(Lang::En, &figures(0, 0)).1, Mark::Good);
        let behind = verdict(Lang::En, &figures(3, 2));
        assert_eq!(behind.1, Mark::Bad);
        assert_eq!(behind.0, "Villages without a work team: 1");
        assert_eq!(
            verdict(Lang::Zh, &figures(3, 2)).0,
            "无驻村工作队的村：1 个"
        );
    }

    #[test]
    fn a_row_per_village_leaves_out_its_constants() {
        let keys = |by| {
            figure_columns(Lang::En, by)
                .iter()
                .map(|c| c.key)
                .collect::<Vec<_>>()
        };
        assert!(!keys(By::Village).contains(&"villages"));
        assert!(!keys(By::Village).contains(&"yijiantiao_percent"));
        for by in [By::County, By::Zone, By::Town] {
            assert!(keys(by).contains(&"villages"), "{by:?}");
            assert!(keys(by).contains(&"yijiantiao_percent"), "{by:?}");
        }
        assert_eq!(
            figure_cells(By::Village, &figures(1, 1)).len(),
            keys(By::Village).len()
        );
    }
}
