//! A file with one row per household member — the national register's
//! person-level export (the 2017 export, the 2022 已脱贫人口名单 layout) —
//! loads households and their people in one pass.
//!
//! A household's rows stand together (the register lists them so); each
//! group gives the household from its 户主 row, wherever that stands, with
//! the household-level columns (人数, 贫困户属性, 识别时间 …) that every row
//! repeats, and gives every row as a person. A group with no head or two,
//! or whose rows disagree on a household-level value, is refused naming its
//! lines. Rows are checked and written by the same [`Load`] as any file:
//! two of them, households first, over the same rows.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Result;
use csv::ByteRecord;
use rusqlite::{Connection, OptionalExtension};

use super::companions::Plan as Companions;
use super::file::Target;
use super::notes::Notes;
use super::pipeline::{self, Checker};
use super::rejects::{Rejects, skip_row};
use super::{FileSummary, Options, Report, progress_bar};
use crate::db::audit::Actor;
use crate::db::people::code as person_code;
use crate::db::resolve::Resolver;
use crate::input::Spec;
use crate::input::headers::{self, Columns, HeaderProblem, Role};
use crate::input::layout::{Layout, Rows};
use crate::lang::t;
use crate::model::{Entity, HOUSEHOLD, Kind, PERSON, RELATIONS, parse_choice};
use crate::record::RawRow;
use crate::values::normalize;

/// True when a file of `entity` is person-level with the household columns
/// it takes to make the households too.
pub(super) fn is_person_level(entity: &Entity, header: &[String]) -> bool {
    matches!(entity.kind, Kind::Household | Kind::Person)
        && headers::is_person_level(header)
        && header
            .iter()
            .any(|h| headers::field_of(&HOUSEHOLD, h) == field_at(&HOUSEHOLD, "village"))
}

fn field_at(entity: &Entity, name: &str) -> Option<usize> {
    entity.fields.iter().position(|f| f.name == name)
}

/// The columns of the two kinds in one header: a person's own, and a
/// household's — its code, head name and ID number from the person's
/// household, name and ID number columns (read in the head's row).
fn pair_columns(header: &[String], ignore_unknown: bool) -> (Columns, Columns, Vec<HeaderProblem>) {
    let (mut people, mut problems) = headers::match_header(&PERSON, header, true);
    let (mut houses, house_problems) = headers::match_columns(&HOUSEHOLD, header, true, false);
    let person_cols: HashSet<usize> = people.of_field.iter().flatten().copied().collect();
    // The household's code, head name and ID number are the person's
    // household, name and ID number; other columns a person has too (姓名
    // is the person's) are not the household's.
    for (house_field, person_field) in [
        ("code", "household"),
        ("head_name", "name"),
        ("id_number", "id_number"),
    ] {
        if let (Some(h), Some(p)) = (
            field_at(&HOUSEHOLD, house_field),
            field_at(&PERSON, person_field),
        ) {
            houses.of_field[h] = people.of_field[p];
        }
    }
    for (i, col) in houses.of_field.iter_mut().enumerate() {
        let own = ["code", "head_name", "id_number"].contains(&HOUSEHOLD.fields[i].name);
        if !own && col.is_some_and(|c| person_cols.contains(&c)) {
            *col = None;
        }
    }
    problems.extend(
        house_problems
            .into_iter()
            .filter(|p| !["code", "head_name", "id_number"].contains(&p.column.as_str())),
    );
    // What neither kind keeps is named once, as not kept or unknown.
    let house_cols: HashSet<usize> = houses.of_field.iter().flatten().copied().collect();
    let mut not_kept = Vec::new();
    let mut ignored = Vec::new();
    for (c, h) in header.iter().enumerate() {
        if person_cols.contains(&c) || house_cols.contains(&c) {
            continue;
        }
        match headers::role(&PERSON, h) {
            Role::NotKept => not_kept.push(h.trim().to_string()),
            Role::Unknown if headers::role(&HOUSEHOLD, h) == Role::NotKept => {
                not_kept.push(h.trim().to_string())
            }
            Role::Unknown if ignore_unknown => ignored.push(h.trim().to_string()),
            Role::Unknown => problems.push(HeaderProblem {
                column: h.trim().to_string(),
                message: t(
                    "unknown column for people and households; rename it, or pass --ignore-unknown-columns (the summary then lists it as ignored)",
                    "家庭成员和贫困户文件中都没有这一列；请改名，或加 --ignore-unknown-columns（摘要中会列出被忽略的列）",
                ),
            }),
            _ => {}
        }
    }
    for cols in [&mut people, &mut houses] {
        cols.not_kept.clone_from(&not_kept);
        cols.ignored.clone_from(&ignored);
    }
    (houses, people, problems)
}

/// Imports a person-level file: its households, then its people.
#[allow(clippy::too_many_arguments)]
pub(super) fn import_person_level(
    conn: &Connection,
    actor: &Actor,
    resolver: &mut Resolver,
    opts: &Options,
    spec: &Spec,
    mut rows: Rows,
    layout: &Layout,
    rejects_path: PathBuf,
    report: &mut Report,
) -> Result<Vec<FileSummary>> {
    let file = spec.display();
    let (mut houses, mut people, problems) =
        pair_columns(&layout.header, opts.ignore_unknown_columns);
    houses.in_sheet = spec.sheet.is_some();
    people.in_sheet = houses.in_sheet;
    let problems = super::defaults_cover(opts, problems);
    let companions = Companions::new(&HOUSEHOLD, &houses, Some(&houses), opts);
    let mut house_summary = FileSummary::new(spec, &HOUSEHOLD);
    let mut people_summary = FileSummary::new(spec, &PERSON);
    house_summary.skipped.clone_from(&layout.skipped);
    house_summary.not_kept.clone_from(&houses.not_kept);
    house_summary.not_kept.extend(companions.unread(&houses));
    house_summary.ignored.clone_from(&houses.ignored);
    if !problems.is_empty() {
        report.fatal = true;
        for p in problems {
            report.problem(&file, layout.line, format!("{}: {}", p.column, p.message));
        }
        return Ok(vec![house_summary, people_summary]);
    }
    // A person's code is read from a column of its own after the file's:
    // the file's 人编号 where it has one, else made after the household.
    let code_at = field_at(&PERSON, "code").unwrap_or(0);
    let file_codes = people.of_field[code_at];
    people.of_field[code_at] = Some(people.width);
    people.width += 1;
    let (encoding, bom) = rows.source().written_as();
    let rejects = Rejects::new(rejects_path, layout.header.clone(), encoding, bom);
    let progress = progress_bar(opts, rows.source());
    let large = rows.source().is_large();
    people_summary.sheet.clone_from(&house_summary.sheet);
    // People refer to their household by code while households load: its
    // code index stays.
    let mut house = Target::start(
        conn,
        actor,
        opts,
        &HOUSEHOLD,
        &file,
        &houses,
        rejects.clone(),
        house_summary,
        &["households_code"],
    )?;
    let mut person = Target::start(
        conn,
        actor,
        opts,
        &PERSON,
        &file,
        &people,
        rejects.clone(),
        people_summary,
        &[],
    )?;
    // Households made from these rows have their head's name and ID number
    // by construction; held against stored households, people are checked.
    person.load.person_rules = !house.bulk;
    let grouping = Grouping {
        houses: &houses,
        people: &people,
        file_codes,
    };
    if house.bulk && person.bulk && large {
        load_pipelined(
            &mut house,
            &mut person,
            &grouping,
            rows,
            report,
            progress.as_ref(),
        )?;
    } else {
        let mut serial = Serial {
            conn,
            grouping: &grouping,
            people_were_empty: person.bulk,
            raw: RawRow::new(),
        };
        let mut groups = GroupReader::default();
        let mut group = Vec::new();
        let mut n = 0u64;
        while let Some(byte) = groups.next(&grouping, &mut rows, &mut group)? {
            n += group.len() as u64;
            if let Some(bar) = &progress {
                bar.set_position(byte);
            }
            if n >= 1 << 16 {
                n = 0;
                resolver.clear();
            }
            serial.load(&mut house, &mut person, resolver, report, &file, &group)?;
        }
        house.load.summary.skipped.extend(rows.take_skipped());
    }
    let mut houses_done = house.end(resolver, spec, layout, report, progress.as_ref())?;
    houses_done.ignored.extend(houses.unnamed_ignored_names());
    houses_done
        .warnings
        .extend(companions.warning(&houses, layout.line));
    let people_done = person.end(resolver, spec, layout, report, progress.as_ref())?;
    if !report.fatal {
        let written = companions.load(conn, actor, opts, spec, layout, report)?;
        houses_done.events = written.events;
        houses_done.assessments = written.assessments;
        houses_done.monitoring = written.monitoring;
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if !opts.dry_run
        && let Some(written) = rejects.finish()?
    {
        report.rejects.push(written);
    }
    Ok(vec![houses_done, people_done])
}

/// Reads a file's rows a household at a time: the rows that name one
/// household, up to the first that names another. The group's records are
/// reused for the next one, so a million rows allocate a handful.
#[derive(Default)]
struct GroupReader {
    /// The first row of the next group, read already.
    next: Option<(u64, u64, ByteRecord)>,
    spare: Vec<ByteRecord>,
}

impl GroupReader {
    /// Fills `group` with the next household's rows; the file position
    /// reached (for progress), or `None` at the end.
    fn next(
        &mut self,
        grouping: &Grouping<'_>,
        rows: &mut Rows,
        group: &mut Vec<(u64, ByteRecord)>,
    ) -> Result<Option<u64>> {
        self.spare.extend(group.drain(..).map(|(_, r)| r));
        let mut byte = 0;
        if let Some((line, at, record)) = self.next.take() {
            byte = at;
            group.push((line, record));
        }
        loop {
            let mut record = self.spare.pop().unwrap_or_default();
            let Some(at) = rows.next(&mut record)? else {
                self.spare.push(record);
                break;
            };
            let starts_another = group
                .first()
                .is_some_and(|(_, first)| !grouping.same_household(first, &record));
            if starts_another {
                self.next = Some((at.line, at.byte, record));
                return Ok(Some(at.byte));
            }
            byte = at.byte;
            group.push((at.line, record));
        }
        Ok((!group.is_empty()).then_some(byte))
    }
}

/// What tells a household's rows apart and what is asked of them: where
/// the columns of each kind are, and the file's own person codes.
struct Grouping<'a> {
    houses: &'a Columns,
    people: &'a Columns,
    /// The file's 人编号 column, if it has one.
    file_codes: Option<usize>,
}

impl Grouping<'_> {
    fn cell<'r>(&self, record: &'r ByteRecord, col: Option<usize>) -> &'r str {
        col.and_then(|c| record.get(c))
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(str::trim)
            .unwrap_or_default()
    }

    fn household_col(&self) -> Option<usize> {
        self.people.of_field[field_at(&PERSON, "household").unwrap_or(0)]
    }

    fn household_key(&self, record: &ByteRecord) -> String {
        normalize(self.cell(record, self.household_col()))
    }

    /// Two cells that say the same: as written, or once normalized
    /// (full-width digits, spaces) — the second only when the first fails.
    fn same_cell(&self, a: &ByteRecord, b: &ByteRecord, col: Option<usize>) -> bool {
        fn raw(r: &ByteRecord, col: Option<usize>) -> &[u8] {
            col.and_then(|c| r.get(c)).unwrap_or_default().trim_ascii()
        }
        if raw(a, col) == raw(b, col) {
            return true;
        }
        let (x, y) = (self.cell(a, col), self.cell(b, col));
        x == y || normalize(x) == normalize(y)
    }

    fn same_household(&self, a: &ByteRecord, b: &ByteRecord) -> bool {
        self.same_cell(a, b, self.household_col())
    }

    fn is_head(&self, record: &ByteRecord) -> bool {
        let relation = self.cell(
            record,
            self.people.of_field[field_at(&PERSON, "relation").unwrap_or(0)],
        );
        if let Some(c) = RELATIONS
            .iter()
            .find(|c| c.zh == relation || c.code == relation)
        {
            return c.code == "head";
        }
        parse_choice(RELATIONS, &normalize(relation)).is_some_and(|c| c.code == "head")
    }

    /// Problems of a group as a whole, on their lines: its heads, and
    /// household-level values its rows disagree on.
    /// Which rows of a group are its head's.
    fn heads(&self, group: &[(u64, ByteRecord)]) -> Vec<bool> {
        group.iter().map(|(_, r)| self.is_head(r)).collect()
    }

    fn group_problems(&self, group: &[(u64, ByteRecord)], heads: &[bool]) -> Vec<(u64, String)> {
        let key = group
            .first()
            .map(|(_, r)| self.household_key(r))
            .unwrap_or_default();
        let lines = |rows: &[&(u64, ByteRecord)]| {
            rows.iter()
                .map(|(l, _)| l.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let heads: Vec<&(u64, ByteRecord)> = group
            .iter()
            .zip(heads)
            .filter(|(_, head)| **head)
            .map(|(row, _)| row)
            .collect();
        let all: Vec<&(u64, ByteRecord)> = group.iter().collect();
        let mut out = Vec::new();
        match heads.len() {
            1 => {}
            0 => out.push((
                group.first().map(|(l, _)| *l).unwrap_or(0),
                t(
                    &format!(
                        "household {key} has no 户主 (head) row (lines {}); mark its head in 与户主关系",
                        lines(&all)
                    ),
                    &format!("贫困户 {key} 没有户主行（第 {} 行）；请在“与户主关系”中标明户主", lines(&all)),
                ),
            )),
            _ => out.push((
                heads[1].0,
                t(
                    &format!("household {key} has {} 户主 (head) rows (lines {}); a household has one head", heads.len(), lines(&heads)),
                    &format!("贫困户 {key} 有 {} 个户主行（第 {} 行）；一户只能有一个户主", heads.len(), lines(&heads)),
                ),
            )),
        }
        let own = ["code", "head_name", "id_number"];
        for (i, field) in HOUSEHOLD.fields.iter().enumerate() {
            let Some(col) = self.houses.of_field[i] else {
                continue;
            };
            if own.contains(&field.name) {
                continue;
            }
            let Some((first_line, first)) = group.first() else {
                continue;
            };
            if let Some((line, other)) = group
                .iter()
                .find(|(_, r)| !self.same_cell(first, r, Some(col)))
            {
                let expected = normalize(self.cell(first, Some(col)));
                let other = normalize(self.cell(other, Some(col)));
                let label = super::file::field_label(&HOUSEHOLD, self.houses, field.name);
                out.push((
                    *line,
                    t(
                        &format!(
                            "{label}: {other:?} here but {expected:?} on line {first_line}, in the same household {key}; a household-level column holds one value for all its rows"
                        ),
                        &format!(
                            "{label}：本行为“{other}”，第 {first_line} 行为“{expected}”，同属贫困户 {key}；户级列在该户各行应一致"
                        ),
                    ),
                ));
            }
        }
        out
    }

    /// The people's codes of a group: the file's own where it has them; a
    /// person found by ID number keeps theirs (with `conn`, when people are
    /// stored already); the others are numbered after the household, the
    /// head 01.
    fn codes(
        &self,
        conn: Option<&Connection>,
        group: &[(u64, ByteRecord)],
        heads: &[bool],
        key: &str,
    ) -> Result<Vec<String>> {
        let id_col = self.people.of_field[field_at(&PERSON, "id_number").unwrap_or(0)];
        let mut codes: Vec<Option<String>> = group
            .iter()
            .map(|(_, r)| Some(normalize(self.cell(r, self.file_codes))).filter(|c| !c.is_empty()))
            .collect();
        let mut taken: Vec<String> = codes.iter().flatten().cloned().collect();
        if let Some(conn) = conn {
            taken.extend(
                conn.prepare_cached("SELECT code FROM people WHERE household = ?1")?
                    .query_map([key], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?,
            );
            for (i, (_, r)) in group.iter().enumerate() {
                if codes[i].is_some() {
                    continue;
                }
                let id = normalize(self.cell(r, id_col)).to_uppercase();
                codes[i] = conn
                    .prepare_cached("SELECT code FROM people WHERE id_number = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
            }
        }
        let mut next = 2;
        let heads_first = (0..group.len())
            .filter(|&i| heads[i])
            .chain((0..group.len()).filter(|&i| !heads[i]));
        for i in heads_first {
            if codes[i].is_some() {
                continue;
            }
            let head = heads[i];
            let mut n = if head { 1 } else { next };
            while taken.contains(&person_code(key, n)) {
                n = if n == 1 { next } else { n + 1 };
            }
            if !head || n != 1 {
                next = n + 1;
            }
            let code = person_code(key, n);
            taken.push(code.clone());
            codes[i] = Some(code);
        }
        Ok(codes.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// `record` with the person's code in the column after the file's.
    fn with_code(&self, record: &ByteRecord, code: &str, out: &mut ByteRecord) {
        out.clone_from(record);
        // A short row is padded to the header's width first.
        while out.len() < self.people.width - 1 {
            out.push_field(b"");
        }
        out.truncate(self.people.width - 1);
        out.push_field(code.as_bytes());
    }

    fn not_imported(key: &str, head_line: u64) -> String {
        t(
            &format!(
                "household {key} was not imported (line {head_line}), so neither are its people"
            ),
            &format!("贫困户 {key} 未导入（第 {head_line} 行），其家庭成员也未导入"),
        )
    }
}

/// Writes each group on the connection's thread, row by row.
struct Serial<'a> {
    conn: &'a Connection,
    grouping: &'a Grouping<'a>,
    people_were_empty: bool,
    raw: RawRow,
}

impl Serial<'_> {
    /// Writes a group: its household from the head's row, then its people.
    fn load(
        &mut self,
        house: &mut Target<'_>,
        person: &mut Target<'_>,
        resolver: &mut Resolver,
        report: &mut Report,
        file: &str,
        group: &[(u64, ByteRecord)],
    ) -> Result<()> {
        let g = self.grouping;
        if group.is_empty() {
            return Ok(());
        }
        let heads = g.heads(group);
        let problems = g.group_problems(group, &heads);
        if !problems.is_empty() {
            let texts: Vec<String> = problems.iter().map(|(_, p)| p.clone()).collect();
            for (line, text) in &problems {
                report.problem(file, *line, text.clone());
            }
            house.load.summary.rejected += 1;
            for (_, record) in group {
                skip_row(
                    &house.load.rejects_handle(),
                    &mut person.load.summary,
                    person.load.opts,
                    record,
                    &texts,
                )?;
            }
            return Ok(());
        }
        let key = g.household_key(&group[0].1);
        let Some((head_line, head)) = group
            .iter()
            .zip(&heads)
            .find(|(_, h)| **h)
            .map(|(row, _)| row)
        else {
            return Ok(());
        };
        let refused_before = house.load.summary.rejected;
        house
            .load
            .row(resolver, report, *head_line, head, &mut self.raw)?;
        if house.load.summary.rejected > refused_before {
            // Its people cannot stand without it; the head's row is set
            // aside already.
            let text = Grouping::not_imported(&key, *head_line);
            for (line, record) in group {
                person.load.summary.rejected += 1;
                if line != head_line {
                    report.problem(file, *line, text.clone());
                    if person.load.opts.skip_invalid && !person.load.opts.dry_run {
                        house.load.rejects_handle().write(record, &text)?;
                    }
                }
            }
            return Ok(());
        }
        let conn = (!self.people_were_empty).then_some(self.conn);
        let codes = g.codes(conn, group, &heads, &key)?;
        let mut with_code = ByteRecord::new();
        for ((line, record), code) in group.iter().zip(&codes) {
            g.with_code(record, code, &mut with_code);
            person
                .load
                .row(resolver, report, *line, &with_code, &mut self.raw)?;
        }
        Ok(())
    }
}

/// A large file into empty tables on two threads, as any large bulk load
/// (see `pipeline`): a worker groups and checks the rows of both kinds and
/// the connection's thread inserts each household, then its people.
fn load_pipelined<'c>(
    house: &mut Target<'c>,
    person: &mut Target<'c>,
    grouping: &Grouping<'_>,
    mut rows: Rows,
    report: &mut Report,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let mut house_check = Checker::new(&house.load, true)?;
    let mut person_check = Checker::new(&person.load, true)?;
    pipeline::run(
        &mut [&mut house.load, &mut person.load],
        report,
        progress,
        move |sender| {
            let (mut house_notes, mut person_notes) = (Notes::default(), Notes::default());
            let mut groups = GroupReader::default();
            let mut group = Vec::new();
            let mut with_code = ByteRecord::new();
            'groups: while let Some(byte) = groups.next(grouping, &mut rows, &mut group)? {
                let heads = grouping.heads(&group);
                let problems = grouping.group_problems(&group, &heads);
                if !problems.is_empty() {
                    let first = problems[0].0;
                    if !sender.said(0, first, problems) {
                        break;
                    }
                    for (line, _) in &group {
                        if !sender.said(1, *line, Vec::new()) {
                            break 'groups;
                        }
                    }
                    continue;
                }
                let key = grouping.household_key(&group[0].1);
                let Some((head_line, head)) = group
                    .iter()
                    .zip(&heads)
                    .find(|(_, h)| **h)
                    .map(|(row, _)| row)
                else {
                    continue;
                };
                let sent = match house_check.check(head) {
                    Ok(values) => {
                        house_notes.row(
                            &HOUSEHOLD,
                            grouping.houses,
                            head,
                            &house_check.raw,
                            *head_line,
                        );
                        sender.row(0, *head_line, byte, Ok(&values))
                    }
                    Err(errors) => {
                        let said = Grouping::not_imported(&key, *head_line);
                        let mut sent = sender.row(0, *head_line, byte, Err(errors));
                        for (line, _) in &group {
                            let texts = if line == head_line {
                                Vec::new()
                            } else {
                                vec![(*line, said.clone())]
                            };
                            sent = sent && sender.said(1, *line, texts);
                        }
                        if !sent {
                            break;
                        }
                        continue;
                    }
                };
                if !sent {
                    break;
                }
                person_check.household = Some(key.clone());
                let codes = grouping.codes(None, &group, &heads, &key)?;
                for ((line, record), code) in group.iter().zip(codes) {
                    grouping.with_code(record, &code, &mut with_code);
                    let sent = match person_check.check(&with_code) {
                        Ok(values) => {
                            person_notes.row(
                                &PERSON,
                                grouping.people,
                                &with_code,
                                &person_check.raw,
                                *line,
                            );
                            sender.row(1, *line, byte, Ok(&values))
                        }
                        Err(errors) => sender.row(1, *line, byte, Err(errors)),
                    };
                    if !sent {
                        break 'groups;
                    }
                }
            }
            Ok(vec![
                (house_notes, rows.take_skipped()),
                (person_notes, Vec::new()),
            ])
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_export_is_person_level() {
        let header: Vec<String> = [
            "乡(镇)",
            "行政村",
            "户编号",
            "人编号",
            "姓名",
            "证件号码",
            "与户主关系",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert!(headers::is_person_level(&header));
        assert_eq!(headers::field_of(&HOUSEHOLD, "行政村"), Some(1));
        assert!(is_person_level(&HOUSEHOLD, &header));
    }
}
