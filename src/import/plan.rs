//! What an import reads: a CSV file, every sheet of a workbook, or every
//! CSV file and workbook of a folder — each with its record kind, in
//! dependency order — and the sheets it passes over, with why.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use super::Options;
use crate::input::headers::{self, entity_from_header, entity_from_name};
use crate::input::layout::{self, LOOKAHEAD_ROWS, Rows};
use crate::input::workbook::{self, Book, BookKind, Opened};
use crate::input::{Spec, is_blank};
use crate::lang::t;
use crate::model::{self, Entity};

/// One file or sheet to import.
#[derive(Debug, Clone)]
pub struct Planned {
    pub spec: Spec,
    pub entity: &'static Entity,
}

/// A sheet of a workbook that holds no records fupin can tell.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedSheet {
    pub file: String,
    pub sheet: String,
    pub why: SheetWhy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SheetWhy {
    #[serde(rename = "empty")]
    Empty,
    /// Neither its name nor its header names a record kind.
    #[serde(rename = "not recognised")]
    NotRecognised,
    /// Another kind than the one given on the command line.
    #[serde(rename = "other records")]
    OtherKind,
}

impl SheetWhy {
    pub fn label(self) -> String {
        match self {
            SheetWhy::Empty => t("empty", "空表"),
            SheetWhy::NotRecognised => t(
                "not a table of records fupin knows",
                "不是 fupin 能识别的记录表",
            ),
            SheetWhy::OtherKind => t("other records", "其他类型的记录"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<Planned>,
    pub skipped_sheets: Vec<SkippedSheet>,
    /// A folder or a workbook: the summary lists files (or sheets).
    pub many: bool,
}

const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

pub fn plan(opts: &Options) -> Result<Plan> {
    let mut plan = Plan::default();
    if opts.path.is_dir() {
        plan.many = true;
        let entries = std::fs::read_dir(&opts.path).with_context(|| {
            t(
                &format!("cannot read the folder {}", opts.path.display()),
                &format!("无法读取文件夹 {}", opts.path.display()),
            )
        })?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let ext = name.rsplit('.').next().unwrap_or_default();
            let wanted = ext == "csv" || WORKBOOK_EXTENSIONS.contains(&ext);
            // Excel's lock files (~$book.xlsx) are not workbooks.
            if path.is_file()
                && wanted
                && !name.ends_with(".rejects.csv")
                && !name.starts_with("~$")
            {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            add_file(&mut plan, &path, opts)?;
        }
        if plan.files.is_empty() && plan.skipped_sheets.is_empty() {
            bail!(
                "{}",
                t(
                    &format!("no .csv or workbook files in {}", opts.path.display()),
                    &format!("{} 中没有 .csv 文件或工作簿", opts.path.display()),
                )
            );
        }
    } else {
        add_file(&mut plan, &opts.path, opts)?;
    }
    let rank = |e: &Entity| model::ALL.iter().position(|x| x.kind == e.kind);
    // Stable: files, then sheets in workbook order, within a kind.
    plan.files.sort_by_key(|p| rank(p.entity));
    Ok(plan)
}

fn add_file(plan: &mut Plan, path: &Path, opts: &Options) -> Result<()> {
    match workbook::sniff(path)? {
        Some(kind) => {
            plan.many = true;
            add_workbook(plan, path, kind, opts)
        }
        None => {
            let spec = Spec::csv(path, opts.encoding);
            let entity = match opts.entity {
                Some(e) => e,
                None => csv_entity(&spec)?,
            };
            plan.files.push(Planned { spec, entity });
            Ok(())
        }
    }
}

/// The record kind of a CSV file, from its name or else its header.
fn csv_entity(spec: &Spec) -> Result<&'static Entity> {
    if let Some(e) = headers::entity_from_file_name(&spec.path) {
        return Ok(e);
    }
    let header = Rows::open(spec, None)?
        .map(|(_, layout)| layout.header)
        .unwrap_or_default();
    header_entity(&header).ok_or_else(|| {
        let path = spec.path.display();
        anyhow!(
            "{}",
            t(
                &format!(
                    "{path}: cannot tell which records the file holds; name it after them (households.csv, 贫困户.csv, …) or give the kind: fupin import households {path}"
                ),
                &format!(
                    "{path}：无法判断文件中是哪类记录；请按记录类型命名（households.csv、贫困户.csv 等），或指明类型：fupin import 贫困户 {path}"
                ),
            )
        )
    })
}

/// The kind a header describes; a person-level export is taken for
/// households, whose import then says why it cannot be read.
fn header_entity(header: &[String]) -> Option<&'static Entity> {
    if headers::is_person_level(header) {
        return Some(&model::HOUSEHOLD);
    }
    entity_from_header(header)
}

fn add_workbook(plan: &mut Plan, path: &Path, kind: BookKind, opts: &Options) -> Result<()> {
    let mut book = Book::open(path, kind)?;
    let names = book.sheet_names();
    let chosen: Vec<String> = match &opts.sheet {
        Some(wanted) => vec![pick_sheet(path, &names, wanted)?],
        None => names,
    };
    let explicit = opts.sheet.is_some();
    let mut planned = Vec::new();
    for sheet in chosen {
        let rows = book.first_rows(&sheet, LOOKAHEAD_ROWS)?;
        let skip = |why| SkippedSheet {
            file: path.display().to_string(),
            sheet: sheet.clone(),
            why,
        };
        if rows
            .iter()
            .all(|(_, cells)| is_blank(&csv::ByteRecord::from(cells.clone())))
        {
            if explicit {
                bail!(
                    "{}",
                    t(
                        &format!("sheet {sheet} of {} is empty", path.display()),
                        &format!("{} 的工作表 {sheet} 是空的", path.display()),
                    )
                );
            }
            plan.skipped_sheets.push(skip(SheetWhy::Empty));
            continue;
        }
        let by_content = || {
            entity_from_name(&sheet)
                .or_else(|| layout::find_in(&rows, None).and_then(|l| header_entity(&l.header)))
        };
        let entity = match (opts.entity, explicit) {
            (Some(e), true) => Some(e),
            (Some(e), false) => match by_content() {
                Some(found) if found.kind == e.kind => Some(e),
                Some(_) => {
                    plan.skipped_sheets.push(skip(SheetWhy::OtherKind));
                    continue;
                }
                None => Some(e),
            },
            (None, _) => by_content(),
        };
        match entity {
            Some(entity) => planned.push((sheet, entity)),
            None if explicit => bail!(
                "{}",
                t(
                    &format!(
                        "cannot tell which records sheet {sheet} of {} holds; give the kind: fupin import households {} --sheet {sheet}",
                        path.display(),
                        path.display()
                    ),
                    &format!(
                        "无法判断 {} 的工作表 {sheet} 中是哪类记录；请指明类型：fupin import 贫困户 {} --sheet {sheet}",
                        path.display(),
                        path.display()
                    ),
                )
            ),
            None => plan.skipped_sheets.push(skip(SheetWhy::NotRecognised)),
        }
    }
    let opened = Opened::new(book);
    for (sheet, entity) in planned {
        plan.files.push(Planned {
            spec: Spec::sheet(path, kind, &sheet, &opened),
            entity,
        });
    }
    Ok(())
}

/// A sheet by name (as written, or folded) or by number from 1.
fn pick_sheet(path: &Path, names: &[String], wanted: &str) -> Result<String> {
    if let Some(n) = names.iter().find(|n| *n == wanted) {
        return Ok(n.clone());
    }
    if let Some(n) = names
        .iter()
        .find(|n| headers::fold(n) == headers::fold(wanted))
    {
        return Ok(n.clone());
    }
    if let Ok(i) = wanted.trim().parse::<usize>()
        && let Some(n) = i.checked_sub(1).and_then(|i| names.get(i))
    {
        return Ok(n.clone());
    }
    bail!(
        "{}",
        t(
            &format!(
                "{} has no sheet {wanted}; its sheets are: {}",
                path.display(),
                names.join(", ")
            ),
            &format!(
                "{} 中没有工作表 {wanted}；它的工作表有：{}",
                path.display(),
                names.join("、")
            ),
        )
    )
}
