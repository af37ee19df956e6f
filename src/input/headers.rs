//! Naming the columns of a header row: each cell is a field of the record
//! kind (by its canonical name or a Chinese alias), the row number (序号),
//! a column of the national system's exports that fupin does not keep, or
//! unknown.

use crate::lang::t;
use crate::model::{ALL, Entity};
use crate::values::normalize;

/// A header cell or a name to compare it with, reduced to what matters:
/// case, surrounding and inner (also full-width) spaces, `_` and `-` do not.
pub fn fold(name: &str) -> String {
    normalize(name)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded forms a header cell may match on: the whole cell, and its
/// first line (the national exports put a second caption under the first,
/// `劳动能力\n劳动技能`).
fn forms(header: &str) -> Vec<String> {
    let mut out = vec![fold(header)];
    if let Some((first, _)) = header.trim().split_once('\n') {
        let first = fold(first);
        if !first.is_empty() && first != out[0] {
            out.push(first);
        }
    }
    out
}

/// Columns of the national poverty-alleviation information system's
/// exports (and township ledgers) that fupin does not keep. They are named
/// in the import summary, never an error and never silently lost.
pub const NOT_KEPT: &[&str] = &[
    "县(市、区、旗)",
    "县(市、区)",
    "县(区)",
    "县",
    "县名",
    "市",
    "省",
    "自然村",
    "村民小组",
    "组",
    "证件类型",
    "性别",
    "民族",
    "出生日期",
    "年龄",
    "政治面貌",
    "文化程度",
    "在校生状况",
    "在校情况",
    "健康状况",
    "劳动能力",
    "劳动技能",
    "务工状况",
    "务工时间(月)",
    "务工时间",
    "务工地点",
    "是否参加新农合",
    "是否参加新型农村合作医疗",
    "是否参加新型养老保险",
    "是否参加城乡居民基本养老保险",
    "是否参加城镇职工基本养老保险",
    "是否参加大病保险",
    "是否享受低保",
    "危房户",
    "是否危房户",
    "是否解决安全饮用水",
    "是否通生活用电",
    "人均纯收入",
    "家庭年人均纯收入",
    "年人均纯收入",
    "人联系电话",
    "开户银行名称",
    "开户银行",
    "银行卡号",
    "银行账号",
    "数据日期",
    "统计时间",
    "识别标准",
    "人员识别时间",
    "计划脱贫年度",
    "是否军烈属",
    "是否独生子女户",
    "是否双女户",
    "帮扶单位",
    "帮扶措施",
    // The 信息表 export's places, health cover and water.
    "市区旗",
    "市(区、旗)",
    "市(州)",
    "社、组",
    "社组",
    "参加大病医疗",
    "饮水安全",
    "饮水困难",
];

/// The monitoring columns of the 2022 已脱贫人口名单, a file of people (or
/// households), and the field of a monitoring record each gives: read
/// after the rows are written, into the household's monitoring record.
/// Named here rather than matched on the monitor kind's aliases, whose
/// 识别时间 is a household's own registration date in such a file.
pub const MONITORING_COMPANIONS: &[(&str, &str)] = &[
    ("易返贫致贫户(监测对象)类型", "category"),
    ("监测对象类型", "category"),
    ("风险是否消除", "eliminated"),
    ("风险识别时间", "identified_on"),
    ("风险消除时间", "eliminated_on"),
];

/// The monitoring record's field a header of [`MONITORING_COMPANIONS`]
/// gives.
pub fn monitoring_field(header: &str) -> Option<&'static str> {
    let forms = forms(header);
    MONITORING_COMPANIONS
        .iter()
        .find(|(h, _)| forms.iter().any(|f| *f == fold(h)))
        .map(|(_, field)| *field)
}

/// Headers of a row-number column: never data.
pub const ROW_NUMBER: &[&str] = &["序号", "编号", "行号", "no", "no."];

/// Headers that mark a file with one row per household member.
pub const PERSON_LEVEL: &[&str] = &["人编号", "与户主关系"];

fn is_one_of(header: &str, names: &[&str]) -> bool {
    let forms = forms(header);
    names.iter().any(|n| forms.iter().any(|f| *f == fold(n)))
}

/// The field a header cell names, by canonical name or Chinese alias.
pub fn field_of(entity: &Entity, header: &str) -> Option<usize> {
    for h in forms(header) {
        if h.is_empty() {
            return None;
        }
        let at = entity
            .fields
            .iter()
            .position(|f| fold(f.name) == h || f.zh.iter().any(|a| fold(a) == h));
        if at.is_some() {
            return at;
        }
    }
    None
}

/// The `error` column fupin adds to a rejects file; importing the corrected
/// rejects file must not trip over it.
pub fn is_rejects_column(header: &str) -> bool {
    matches!(fold(header).as_str(), "error" | "错误")
}

/// What one header cell is for `entity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Field(usize),
    RowNumber,
    NotKept,
    PersonLevel,
    /// A column of the household's yearly assessment in a file of
    /// households or people: read with the file's rows, not refused.
    Companion,
    Rejects,
    Unnamed,
    Unknown,
}

pub fn role(entity: &Entity, header: &str) -> Role {
    if fold(header).is_empty() {
        return Role::Unnamed;
    }
    if let Some(i) = field_of(entity, header) {
        return Role::Field(i);
    }
    if is_companion(entity, header) {
        return Role::Companion;
    }
    if is_rejects_column(header) {
        Role::Rejects
    } else if is_one_of(header, PERSON_LEVEL) {
        Role::PersonLevel
    } else if is_one_of(header, ROW_NUMBER) {
        Role::RowNumber
    } else if is_one_of(header, NOT_KEPT) {
        Role::NotKept
    } else {
        Role::Unknown
    }
}

/// True for a header of the yearly assessment (人均纯收入, 危房户, 统计时间
/// …) or of the household's monitoring (监测对象类型, 风险识别时间 …) in a
/// file of households or people, which carries them on its rows.
pub fn is_companion(entity: &Entity, header: &str) -> bool {
    matches!(
        entity.kind,
        crate::model::Kind::Household | crate::model::Kind::Person
    ) && (is_assessment(header) || monitoring_field(header).is_some())
}

/// True for a header of the yearly assessment's values.
pub fn is_assessment(header: &str) -> bool {
    field_of(&crate::model::ASSESSMENT, header).is_some_and(|i| {
        !matches!(
            crate::model::ASSESSMENT.fields[i].name,
            "household" | "note"
        )
    })
}

/// How many cells of a row name a column that fupin knows, for `entity`
/// or, when the kind is not known yet, for any kind: what tells a header
/// row from the titles above it and the data below.
pub fn known_cells(entity: Option<&Entity>, cells: &[String]) -> usize {
    cells
        .iter()
        .filter(|c| match entity {
            Some(e) => !matches!(role(e, c), Role::Unknown | Role::Unnamed),
            None => ALL
                .iter()
                .any(|e| !matches!(role(e, c), Role::Unknown | Role::Unnamed)),
        })
        .count()
}

/// Where each field's values are in a row, and what the other columns are.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// For each field of the entity, the index of its column, if any.
    pub of_field: Vec<Option<usize>>,
    /// The header as written, cell by cell (names fields in messages).
    pub header: Vec<String>,
    /// How many columns the header has.
    pub width: usize,
    /// Columns with an empty header: Excel keeps them to the right of the
    /// data, but a value under one is reported rather than dropped.
    pub unnamed: Vec<usize>,
    /// The 序号 column, whose values are row numbers, not data.
    pub row_number: Option<usize>,
    /// Headers of columns the national exports have and fupin does not keep.
    pub not_kept: Vec<String>,
    /// Unknown headers passed over with `--ignore-unknown-columns`.
    pub ignored: Vec<String>,
    /// Columns of the yearly assessment, read after the rows are written.
    pub companion: Vec<usize>,
    /// Columns without a header (or past the header's width) in which a
    /// row held a value that `--ignore-unknown-columns` passed over: found
    /// while rows are read, shared by the clones the readers hold, and named
    /// in the summary so that no value is dropped unseen.
    pub unnamed_ignored: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<usize>>>,
    /// Whether the rows come from a workbook's sheet, where a row wider
    /// than its header is a stray cell, not a comma without quotes.
    pub in_sheet: bool,
}

impl Columns {
    /// Notes that column `col` (0-based) held a value passed over.
    pub fn note_unnamed_ignored(&self, col: usize) {
        if let Ok(mut seen) = self.unnamed_ignored.lock() {
            seen.insert(col);
        }
    }

    /// The columns without a header whose values were passed over, as the
    /// summary names them: `column 8 (no header)`.
    pub fn unnamed_ignored_names(&self) -> Vec<String> {
        self.unnamed_ignored
            .lock()
            .map(|seen| {
                seen.iter()
                    .map(|c| {
                        t(
                            &format!("column {} (no header)", c + 1),
                            &format!("第 {} 列（无列名）", c + 1),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The header of a field's column as the file writes it, if it has one.
    pub fn header_of(&self, field: usize) -> Option<&str> {
        self.of_field
            .get(field)
            .copied()
            .flatten()
            .and_then(|c| self.header.get(c))
            .map(|h| h.trim())
    }
}

/// A problem with the header, reported against the header's line.
#[derive(Debug, Clone)]
pub struct HeaderProblem {
    pub column: String,
    pub message: String,
}

/// Maps the header onto `entity`. Unknown columns are problems unless
/// `ignore_unknown`; a missing required column always is, and so is a file
/// with one row per household member.
pub fn match_header(
    entity: &Entity,
    header: &[String],
    ignore_unknown: bool,
) -> (Columns, Vec<HeaderProblem>) {
    match_columns(entity, header, ignore_unknown, true)
}

/// [`match_header`]; a person-level file refused only when
/// `refuse_person_level` (the people importer reads its household columns
/// with this).
pub fn match_columns(
    entity: &Entity,
    header: &[String],
    ignore_unknown: bool,
    refuse_person_level: bool,
) -> (Columns, Vec<HeaderProblem>) {
    let mut columns = Columns {
        of_field: vec![None; entity.fields.len()],
        header: header.to_vec(),
        width: header.len(),
        ..Columns::default()
    };
    let mut problems = Vec::new();
    let mut person_level = Vec::new();
    for (col, name) in header.iter().enumerate() {
        match role(entity, name) {
            Role::Unnamed => columns.unnamed.push(col),
            Role::Rejects => {}
            Role::RowNumber if columns.row_number.is_none() => columns.row_number = Some(col),
            Role::RowNumber | Role::NotKept => columns.not_kept.push(name.trim().to_string()),
            Role::PersonLevel => person_level.push(name.trim().to_string()),
            Role::Companion => columns.companion.push(col),
            Role::Field(i) => {
                if let Some(first) = columns.of_field[i] {
                    problems.push(HeaderProblem {
                        column: name.trim().to_string(),
                        message: t(
                            &format!(
                                "column {} again (columns {} and {}); delete one of them",
                                entity.fields[i].name,
                                first + 1,
                                col + 1
                            ),
                            &format!(
                                "与第 {} 列重复（都是 {}）；请删除其中一列",
                                first + 1,
                                entity.fields[i].zh_label()
                            ),
                        ),
                    });
                } else {
                    columns.of_field[i] = Some(col);
                }
            }
            Role::Unknown if ignore_unknown => columns.ignored.push(name.trim().to_string()),
            Role::Unknown => problems.push(HeaderProblem {
                column: name.trim().to_string(),
                message: unknown_column(entity),
            }),
        }
    }
    if refuse_person_level && !person_level.is_empty() {
        problems.insert(
            0,
            HeaderProblem {
                column: person_level.join("/"),
                message: t(
                    "the file has one row per household member (a person-level export of the national system); fupin keeps households only for now, and reading it as households would take a member for the head; import a file with one row per household",
                    "该文件每行是一名家庭成员（全国系统的人员明细导出）；fupin 目前只保存贫困户，按户读取会把成员当成户主；请改用每户一行的文件导入",
                ),
            },
        );
        return (columns, problems);
    }
    for (i, field) in entity.fields.iter().enumerate() {
        if field.required && field.stored && columns.of_field[i].is_none() {
            problems.push(HeaderProblem {
                column: field.name.to_string(),
                message: t(
                    &format!(
                        "required column is missing; add a column headed {} (or {})",
                        field.name,
                        field.zh.join(", ")
                    ),
                    &format!(
                        "缺少必填列；请添加列 {}（或 {}）",
                        field.zh.join("、"),
                        field.name
                    ),
                ),
            });
        }
    }
    (columns, problems)
}

fn unknown_column(entity: &Entity) -> String {
    let known = entity
        .fields
        .iter()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ");
    let known_zh = entity
        .fields
        .iter()
        .map(|f| f.zh_label())
        .collect::<Vec<_>>()
        .join("、");
    t(
        &format!(
            "unknown column for {}; rename it to one of {known}, or pass --ignore-unknown-columns (the summary then lists it as ignored)",
            entity.plural
        ),
        &format!(
            "{}文件中没有这一列；请改为 {known_zh} 之一，或加 --ignore-unknown-columns（摘要中会列出被忽略的列）",
            entity.zh_name()
        ),
    )
}

/// The record kind a header describes: the one whose required columns are
/// all present and which names the most columns. `None` when none or
/// several fit equally well.
pub fn entity_from_header(header: &[String]) -> Option<&'static Entity> {
    let mut best: Vec<(usize, &'static Entity)> = Vec::new();
    for entity in ALL {
        let (columns, problems) = match_header(entity, header, true);
        if !problems.is_empty() {
            continue;
        }
        let named = columns.of_field.iter().filter(|c| c.is_some()).count();
        // Columns the kind does not know count against it.
        let score = named * 2 - columns.ignored.len().min(named * 2);
        best.push((score, entity));
    }
    best.sort_by_key(|b| std::cmp::Reverse(b.0));
    match best.as_slice() {
        [(s, e), rest @ ..] if rest.first().is_none_or(|(s2, _)| s2 < s) => Some(e),
        _ => None,
    }
}

/// True when the header has one row per household member.
pub fn is_person_level(header: &[String]) -> bool {
    header.iter().any(|h| is_one_of(h, PERSON_LEVEL))
}

/// The record kind a name stands for — a file name (`households.csv`,
/// `贫困户.csv`, also `households-2020-03.csv` or `钟山镇贫困户花名册.xlsx`)
/// or a sheet name (`贫困户`) — when only one kind's name appears in it.
pub fn entity_from_name(name: &str) -> Option<&'static Entity> {
    let stem = name.split('.').next().unwrap_or(name);
    if let Some(e) = crate::model::entity_by_name(stem) {
        return Some(e);
    }
    let lower = stem.to_lowercase();
    // An English name is a word of its own (`township.csv` holds no
    // towns); Chinese has no spaces to mark words.
    let has_word = |word: &str| {
        lower.match_indices(word).any(|(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + word.len()..].chars().next();
            before.is_none_or(|c| !c.is_ascii_alphanumeric())
                && after.is_none_or(|c| !c.is_ascii_alphanumeric())
        })
    };
    let mut hits: Vec<&'static Entity> = ALL
        .into_iter()
        .filter(|e| {
            has_word(e.plural)
                || e.zh
                    .iter()
                    .any(|z| z.chars().count() > 1 && lower.contains(z))
        })
        .collect();
    hits.dedup_by_key(|e| e.kind);
    match hits.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// [`entity_from_name`] of a file's name.
pub fn entity_from_file_name(path: &std::path::Path) -> Option<&'static Entity> {
    entity_from_name(path.file_name()?.to_str()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HOUSEHOLD, Kind};

    fn h(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_match_whatever_the_case_and_spaces() {
        assert_eq!(field_of(&HOUSEHOLD, " Head_Name "), Some(3));
        assert_eq!(field_of(&HOUSEHOLD, "HEAD NAME"), Some(3));
        assert_eq!(field_of(&HOUSEHOLD, "户\u{3000}主"), Some(3));
        assert_eq!(field_of(&HOUSEHOLD, "身份证号码"), Some(4));
        assert_eq!(field_of(&HOUSEHOLD, "nonsense"), None);
        // Full-width brackets and a second caption on its own line.
        assert_eq!(field_of(&HOUSEHOLD, "乡（镇）"), Some(2));
        assert_eq!(field_of(&HOUSEHOLD, "户主姓名\n（与身份证一致）"), Some(3));
    }

    #[test]
    fn roles_of_the_national_columns() {
        assert_eq!(role(&HOUSEHOLD, "序号"), Role::RowNumber);
        assert_eq!(role(&HOUSEHOLD, "民族"), Role::NotKept);
        assert_eq!(role(&HOUSEHOLD, "劳动能力\n劳动技能"), Role::NotKept);
        assert_eq!(role(&HOUSEHOLD, "务工时间（月）"), Role::NotKept);
        assert_eq!(role(&HOUSEHOLD, "人编号"), Role::PersonLevel);
        assert_eq!(role(&HOUSEHOLD, "计划脱贫年度"), Role::NotKept);
        assert_eq!(role(&HOUSEHOLD, "颜色"), Role::Unknown);
        assert_eq!(role(&HOUSEHOLD, "致贫原因1"), Role::Field(7));
    }

    #[test]
    fn missing_and_unknown_columns_are_problems() {
        let (_, p) = match_header(&HOUSEHOLD, &h(&["code", "village", "colour"]), false);
        let cols: Vec<&str> = p.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(
            cols,
            [
                "colour",
                "head_name",
                "id_number",
                "members",
                "registered_on"
            ]
        );
        let (c, p) = match_header(&HOUSEHOLD, &h(&["code", "village", "colour"]), true);
        assert_eq!(p.len(), 4);
        assert_eq!(c.ignored, ["colour"]);
    }

    #[test]
    fn a_person_level_file_is_refused_as_such() {
        let header = h(&["户编号", "人编号", "姓名", "证件号码", "与户主关系"]);
        let (_, p) = match_header(&HOUSEHOLD, &header, false);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("one row per household member"));
    }

    #[test]
    fn entity_from_names_and_headers() {
        let p = std::path::Path::new("/x/贫困户.csv");
        assert_eq!(entity_from_file_name(p).unwrap().kind, Kind::Household);
        let p = std::path::Path::new("households.rejects.csv");
        assert_eq!(entity_from_file_name(p).unwrap().kind, Kind::Household);
        let p = std::path::Path::new("钟山镇建档立卡贫困户花名册.xlsx");
        assert_eq!(entity_from_file_name(p).unwrap().kind, Kind::Household);
        let p = std::path::Path::new("data.csv");
        assert!(entity_from_file_name(p).is_none());
        let p = std::path::Path::new("township-300000.csv");
        assert!(entity_from_file_name(p).is_none());
        let p = std::path::Path::new("households-2020-03.csv");
        assert_eq!(entity_from_file_name(p).unwrap().kind, Kind::Household);
        let header = h(&["户编号", "村", "户主", "身份证号", "人口数", "识别时间"]);
        assert_eq!(entity_from_header(&header).unwrap().kind, Kind::Household);
        let header = h(&["code", "name", "zone"]);
        assert_eq!(entity_from_header(&header).unwrap().kind, Kind::Town);
    }
}
