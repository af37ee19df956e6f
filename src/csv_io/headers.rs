//! Matching a file's header row to the fields of a record kind.

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

/// The field a header cell names, by canonical name or Chinese alias.
pub fn field_of(entity: &Entity, header: &str) -> Option<usize> {
    let h = fold(header);
    if h.is_empty() {
        return None;
    }
    entity
        .fields
        .iter()
        .position(|f| fold(f.name) == h || f.zh.iter().any(|a| fold(a) == h))
}

/// The `error` column fupin adds to a rejects file; importing the corrected
/// rejects file must not trip over it.
pub fn is_rejects_column(header: &str) -> bool {
    matches!(fold(header).as_str(), "error" | "错误")
}

/// Where each field's values are in a row.
#[derive(Debug, Clone)]
pub struct Columns {
    /// For each field of the entity, the index of its column, if any.
    pub of_field: Vec<Option<usize>>,
    /// How many columns the header has.
    pub width: usize,
    /// Columns with an empty header: Excel keeps them to the right of the
    /// data, but a value under one is reported rather than dropped.
    pub unnamed: Vec<usize>,
}

/// A problem with the header, reported against line 1.
#[derive(Debug, Clone)]
pub struct HeaderProblem {
    pub column: String,
    pub message: String,
}

/// Maps the header onto `entity`. Unknown columns are problems unless
/// `ignore_unknown`; a missing required column always is.
pub fn match_header(
    entity: &Entity,
    header: &[String],
    ignore_unknown: bool,
) -> (Columns, Vec<HeaderProblem>) {
    let mut of_field: Vec<Option<usize>> = vec![None; entity.fields.len()];
    let mut unnamed = Vec::new();
    let mut problems = Vec::new();
    for (col, name) in header.iter().enumerate() {
        if fold(name).is_empty() {
            unnamed.push(col);
            continue;
        }
        if is_rejects_column(name) {
            continue;
        }
        match field_of(entity, name) {
            Some(i) => {
                if let Some(first) = of_field[i] {
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
                    of_field[i] = Some(col);
                }
            }
            None if ignore_unknown => {}
            None => {
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
                problems.push(HeaderProblem {
                    column: name.trim().to_string(),
                    message: t(
                        &format!(
                            "unknown column for {}; rename it to one of {known}, or pass --ignore-unknown-columns",
                            entity.plural
                        ),
                        &format!(
                            "{}文件中没有这一列；请改为 {known_zh} 之一，或加 --ignore-unknown-columns",
                            entity.zh_name()
                        ),
                    ),
                });
            }
        }
    }
    for (i, field) in entity.fields.iter().enumerate() {
        if field.required && field.stored && of_field[i].is_none() {
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
    (
        Columns {
            of_field,
            width: header.len(),
            unnamed,
        },
        problems,
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
        let unknown = header
            .iter()
            .filter(|h| !fold(h).is_empty() && field_of(entity, h).is_none())
            .count();
        // Columns the kind does not know count against it.
        let score = named * 2 - unknown.min(named * 2);
        best.push((score, entity));
    }
    best.sort_by_key(|b| std::cmp::Reverse(b.0));
    match best.as_slice() {
        [(s, e), rest @ ..] if rest.first().is_none_or(|(s2, _)| s2 < s) => Some(e),
        _ => None,
    }
}

/// The record kind a file name stands for: `households.csv`, `贫困户.csv`,
/// also `households-2020-03.csv` or `钟山镇贫困户.csv` when only one kind's
/// name appears in it.
pub fn entity_from_file_name(path: &std::path::Path) -> Option<&'static Entity> {
    let stem = path.file_stem()?.to_str()?;
    let stem = stem.split('.').next().unwrap_or(stem);
    if let Some(e) = crate::model::entity_by_name(stem) {
        return Some(e);
    }
    let lower = stem.to_lowercase();
    let hits: Vec<&'static Entity> = ALL
        .into_iter()
        .filter(|e| {
            lower.contains(e.plural)
                || e.zh
                    .iter()
                    .any(|z| z.chars().count() > 1 && lower.contains(z))
        })
        .collect();
    match hits.as_slice() {
        [one] => Some(one),
        _ => None,
    }
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
        let (_, p) = match_header(&HOUSEHOLD, &h(&["code", "village", "colour"]), true);
        assert_eq!(p.len(), 4);
    }

    #[test]
    fn entity_from_names_and_headers() {
        let p = std::path::Path::new("/x/贫困户.csv");
        assert_eq!(entity_from_file_name(p).unwrap().kind, Kind::Household);
        let p = std::path::Path::new("households.rejects.csv");
        assert_eq!(entity_from_file_name(p).unwrap().kind, Kind::Household);
        let p = std::path::Path::new("data.csv");
        assert!(entity_from_file_name(p).is_none());
        let header = h(&["户编号", "村", "户主", "身份证号", "人口数", "识别时间"]);
        assert_eq!(entity_from_header(&header).unwrap().kind, Kind::Household);
        let header = h(&["code", "name", "zone"]);
        assert_eq!(entity_from_header(&header).unwrap().kind, Kind::Town);
    }
}
