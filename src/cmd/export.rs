//! `fupin export`.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use super::Ctx;
use super::records::{ref_arg, village_arg};
use crate::csv_io::Encoding;
use crate::export::{self, Options, Place};
use crate::lang::t;
use crate::model::{Kind, entity_by_name};
use crate::say;

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// CSV in the import contract
    Csv,
    /// An Excel workbook: one sheet per kind, codes, ID numbers and phones as
    /// text cells, dates as date cells (needs -o FILE or --all FILE.xlsx)
    Xlsx,
}

/// True for a name ending in `.xlsx`.
fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Record kind to export: households, villages, … (or 贫困户, 行政村, …)
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub entity: Option<String>,
    /// Write to FILE instead of standard output (`-o -` is standard output)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write every record kind into DIR, one file each, as `fupin import DIR`
    /// reads them; or into one workbook, a sheet each, when DIR ends in .xlsx
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub all: Option<PathBuf>,
    /// csv, or xlsx for a workbook (the default when the file name ends in
    /// .xlsx)
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Start with a UTF-8 byte-order mark, so Excel opens the file as UTF-8
    #[arg(long)]
    pub bom: bool,
    /// Text encoding: utf-8 (default) or gb18030 for older Excel
    #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
    pub encoding: Encoding,
    /// Only the records of this town (code or name), to send it for checking
    #[arg(long, value_name = "TOWN")]
    pub town: Option<String>,
    /// Only the records of this village (code, or name with --town)
    #[arg(long, value_name = "VILLAGE")]
    pub village: Option<String>,
}

pub fn run(ctx: &Ctx, mut args: ExportArgs) -> Result<u8> {
    // `-o -` is standard output, as no `-o` is.
    args.output = crate::files::output_file(args.output.as_deref()).map(Path::to_path_buf);
    if args.encoding == Encoding::Utf16 {
        say!(
            "{}",
            t(
                "--encoding: export writes utf-8 or gb18030",
                "--encoding：导出只支持 utf-8 或 gb18030",
            )
        );
        return Ok(2);
    }
    let target = args.all.as_ref().or(args.output.as_ref());
    let format = args.format.unwrap_or(match target {
        Some(path) if is_xlsx(path) => ExportFormat::Xlsx,
        _ => ExportFormat::Csv,
    });
    if format == ExportFormat::Xlsx {
        return workbook(ctx, &args);
    }
    let mut opts = Options {
        encoding: args.encoding,
        bom: args.bom,
        place: None,
    };
    if let Some(dir) = &args.all {
        let conn = ctx.open_read()?;
        opts.place = place(&conn, &args)?;
        let written = export::all(&conn, dir, &opts, crate::lang::Lang::current())?;
        if let Some(place) = &opts.place {
            let lang = crate::lang::Lang::current();
            let left_out: Vec<&str> = crate::model::ALL
                .iter()
                .filter(|e| place.condition(e.kind).is_none())
                .map(|e| lang.pick(e.plural, e.zh_name()))
                .collect();
            say!(
                "{}",
                t(
                    &format!(
                        "only the records of {}; {} belong to no such place and were left out",
                        place.code(),
                        left_out.join(", ")
                    ),
                    &format!(
                        "仅导出 {} 的记录；{} 不属于某个地区，未导出",
                        place.code(),
                        left_out.join("、")
                    ),
                )
            );
        }
        for (name, n) in written {
            say!(
                "{}",
                t(
                    &format!(
                        "wrote {} to {}",
                        crate::lang::count(n as i64, "row", "rows"),
                        dir.join(&name).display()
                    ),
                    &format!("已写出 {n} 行到 {}", dir.join(&name).display()),
                )
            );
        }
        return Ok(0);
    }
    let name = args.entity.as_deref().unwrap_or_default();
    let Some(entity) = entity_by_name(name) else {
        return unknown_kind(name);
    };
    let conn = ctx.open_read()?;
    opts.place = place(&conn, &args)?;
    if let Some(place) = &opts.place
        && place.condition(entity.kind).is_none()
    {
        return not_of_place(place, entity);
    }
    match &args.output {
        Some(path) => {
            let n = export::to_file(&conn, entity, path, &opts)?;
            say!(
                "{}",
                t(
                    &format!("wrote {n} {} to {}", entity.plural, path.display()),
                    &format!("已写出 {n} 条{}到 {}", entity.zh_name(), path.display()),
                )
            );
        }
        None => {
            let out = BufWriter::new(crate::console::stdout());
            export::write_entity(&conn, entity, out, &opts)?;
        }
    }
    Ok(0)
}

/// `--format xlsx`: one kind, or every kind with `--all FILE.xlsx`, as one
/// workbook.
fn workbook(ctx: &Ctx, args: &ExportArgs) -> Result<u8> {
    if args.bom || args.encoding != Encoding::Utf8 {
        say!(
            "{}",
            t(
                "--bom and --encoding are for CSV; a workbook needs neither",
                "--bom 和 --encoding 只用于 CSV；工作簿不需要",
            )
        );
        return Ok(2);
    }
    let Some(path) = args.all.as_ref().or(args.output.as_ref()) else {
        say!(
            "{}",
            t(
                "--format xlsx writes a workbook to a file: add -o FILE.xlsx",
                "--format xlsx 需写入文件：请加上 -o 文件名.xlsx",
            )
        );
        return Ok(2);
    };
    let entities = match &args.entity {
        Some(name) => match entity_by_name(name) {
            Some(e) => vec![e],
            None => return unknown_kind(name),
        },
        None => Vec::new(),
    };
    let conn = ctx.open_read()?;
    let place = place(&conn, args)?;
    let entities = if args.all.is_some() {
        export::kinds(place.as_ref())
    } else {
        if let (Some(place), Some(entity)) = (&place, entities.first())
            && place.condition(entity.kind).is_none()
        {
            return not_of_place(place, entity);
        }
        entities
    };
    let written = crate::export_book::write(&conn, &entities, path, place.as_ref())?;
    for (sheet, n) in written {
        say!(
            "{}",
            t(
                &format!(
                    "wrote {} to {}[{sheet}]",
                    crate::lang::count(n as i64, "row", "rows"),
                    path.display()
                ),
                &format!("已写出 {n} 行到 {}[{sheet}]", path.display()),
            )
        );
    }
    Ok(0)
}

fn unknown_kind(name: &str) -> Result<u8> {
    say!(
        "{}",
        t(
            &format!(
                "no record kind {name}; use one of cadres, zones, towns, villages, households, tasks, posts, dispatches, visits, promotions"
            ),
            &format!(
                "没有记录类型 {name}；可用 干部、作战区、乡镇、行政村、贫困户、挂牌督战任务、任职、调度、走访、提拔"
            ),
        )
    );
    Ok(2)
}

fn not_of_place(place: &Place, entity: &crate::model::Entity) -> Result<u8> {
    let (en, zh) = match place {
        Place::Town(_) => ("a town", "乡镇"),
        Place::Village(_) => ("a village", "村"),
    };
    say!(
        "{}",
        t(
            &format!(
                "{} do not belong to {en}; leave out --town and --village",
                entity.plural
            ),
            &format!(
                "{}不属于某个{zh}；请去掉 --town 和 --village",
                entity.zh_name()
            ),
        )
    );
    Ok(2)
}

/// The place of `--town`/`--village`, resolved to its code.
fn place(conn: &rusqlite::Connection, args: &ExportArgs) -> Result<Option<Place>> {
    Ok(match (&args.village, &args.town) {
        (Some(village), town) => Some(Place::Village(village_arg(conn, village, town.as_deref())?)),
        (None, Some(town)) => Some(Place::Town(ref_arg(conn, "town", Kind::Town, town)?)),
        (None, None) => None,
    })
}
