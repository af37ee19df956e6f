//! Turning raw text — a CSV row or the flags of `add`/`update` — into the
//! values of one record, with every problem named by its field.

use rusqlite::{Connection, OptionalExtension};

use crate::db::resolve::{DbRefs, Refs, Resolver};
use crate::db::store::{Value, position};
use crate::lang::t;
use crate::model::{CODES_SEPARATOR, Entity, Field, Kind, Ty, parse_choice, parse_choices};
use crate::values::{self, Problem, format_date, normalize};

/// One problem with one field of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub value: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &'static str, value: impl Into<String>, problem: Problem) -> Self {
        FieldError {
            field,
            value: value.into(),
            problem,
        }
    }
}

impl FieldError {
    /// `what is wrong (value)`, with the hint after a semicolon.
    pub fn detail(&self) -> String {
        let zh = crate::lang::zh();
        let mut s = self.problem.message.clone();
        if !self.value.is_empty() && !quotes(&s, &self.value) {
            s.push_str(&if zh {
                format!("（{}）", self.value)
            } else {
                format!(" ({})", self.value)
            });
        }
        if let Some(hint) = &self.problem.hint {
            s.push_str(if zh { "；" } else { "; " });
            s.push_str(hint);
        }
        s
    }
}

/// True when `message` already names `value` as a word of its own, as the
/// resolver's "no village 龙岩" does: "(龙岩)" after it would say it twice.
/// A mere substring does not count ("not one of the allowed values" for
/// the value "a").
fn quotes(message: &str, value: &str) -> bool {
    message.match_indices(value).any(|(i, _)| {
        let before = message[..i].chars().next_back();
        let after = message[i + value.len()..].chars().next();
        before == Some(' ') && after.is_none_or(|c| " ;,(（".contains(c))
    })
}

impl FieldError {
    /// `label: what is wrong (value); hint`, the field named as `label`.
    pub fn render(&self, label: &str) -> String {
        format!("{label}: {}", self.detail())
    }
}

impl std::fmt::Display for FieldError {
    /// `column: what is wrong (value); hint`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.detail())
    }
}

/// Raw input aligned with `entity.fields`: `None` when the field was not
/// given at all (no column, no flag), `Some("")` when given empty.
pub type RawRow = Vec<Option<String>>;

/// The fields of a row read from a file whose cell carried Excel's text
/// mark (`'`, removed when the row was read) over text with white space at
/// an end: such text is kept whole, as export wrote it, where any other
/// value is trimmed. Flags and the command line give none.
pub type Whole = [usize];

/// Parsed input aligned with `entity.fields`: `None` when not given,
/// `Some(Value::Null)` when given empty (which clears an optional field).
pub type Given = Vec<Option<Value>>;

/// Parses one field's raw text, kept `whole` (see [`Whole`]) or trimmed.
/// References are resolved through `resolver`.
fn parse_field(
    refs: &mut dyn Refs,
    field: &Field,
    raw: &str,
    town: Option<&str>,
    whole: bool,
) -> Result<Value, Problem> {
    // A note may run over several lines; nothing may hold what a terminal
    // or a viewer would act on instead of showing.
    let multiline = field.name == "note";
    if whole && matches!(field.ty, Ty::Text) {
        return match values::refused_char_in(raw, multiline) {
            Some(c) => Err(values::control_problem(c)),
            None => Ok(Value::Text(raw.to_string())),
        };
    }
    if let Some(c) = values::refused_char(raw, multiline) {
        return Err(values::control_problem(c));
    }
    if let Some(err) = values::excel_error(values::trim(raw)) {
        return Err(Problem::new(t(
            &format!("spreadsheet error value {err}, not data"),
            &format!("电子表格错误值 {err}，不是数据"),
        ))
        .with_hint(t(
            "fix the formula in the spreadsheet or type the value",
            "请修正表格中的公式或直接填写数值",
        )));
    }
    let text_value = || -> String { values::trim_space(raw).to_string() };
    match &field.ty {
        Ty::Text => Ok(Value::Text(text_value())),
        Ty::Code => {
            let s = normalize(raw);
            if s.contains(char::is_whitespace) {
                return Err(Problem::new(t("a code has no spaces", "代码中不能有空格")));
            }
            if s.contains(['E', 'e'])
                && s.contains('.')
                && s.replace(['E', 'e', '.', '+'], "")
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            {
                return Err(Problem::new(t(
                    "mangled by a spreadsheet into scientific notation",
                    "被电子表格转成了科学计数法",
                ))
                .with_hint(t(
                    "format the column as text before exporting",
                    "请在导出前把该列设为“文本”格式",
                )));
            }
            Ok(Value::Text(s))
        }
        Ty::Date => values::parse_date(raw).map(|d| Value::Text(format_date(d))),
        Ty::Int { min, max } => values::parse_int(raw, *min, *max).map(Value::Int),
        Ty::Flag => values::parse_flag(raw).map(|b| Value::Int(i64::from(b))),
        Ty::Enum(choices) => {
            let s = normalize(raw);
            parse_choice(choices, &s)
                .map(|c| Value::Text(c.code.to_string()))
                .ok_or_else(|| {
                    let en = choices
                        .iter()
                        .map(|c| c.code)
                        .collect::<Vec<_>>()
                        .join(", ");
                    let zh = choices.iter().map(|c| c.zh).collect::<Vec<_>>().join("、");
                    Problem::new(t("not one of the allowed values", "不是允许的取值")).with_hint(t(
                        &format!("use one of {en} (or {zh})"),
                        &format!("可填：{zh}（或 {en}）"),
                    ))
                })
        }
        Ty::Enums(choices) => {
            let s = normalize(raw);
            match parse_choices(choices, &s) {
                Ok(codes) if codes.is_empty() => Ok(Value::Null),
                Ok(codes) => Ok(Value::Text(codes.join(CODES_SEPARATOR))),
                Err(word) => {
                    let en = choices
                        .iter()
                        .map(|c| c.code)
                        .collect::<Vec<_>>()
                        .join(", ");
                    let zh = choices.iter().map(|c| c.zh).collect::<Vec<_>>().join("、");
                    Err(Problem::new(t(
                        &format!("{word} is not one of the allowed values"),
                        &format!("{word} 不是允许的取值"),
                    ))
                    .with_hint(t(
                        &format!("use some of {en} (or {zh}), separated by commas"),
                        &format!("可填（多项用、分隔）：{zh}（或 {en}）"),
                    )))
                }
            }
        }
        Ty::Ref(kind) => {
            let s = normalize(raw);
            refs.resolve(*kind, &s, town).map(Value::Text)
        }
        Ty::IdNumber => values::parse_id_number(raw).map(Value::Text),
        Ty::Phone => values::parse_phone(raw).map(Value::Text),
        Ty::Money { min, max } => values::parse_money(raw, *min, *max).map(Value::Int),
        Ty::Year => values::parse_year(raw).map(Value::Int),
        Ty::Certificate => values::parse_certificate(raw).map(Value::Text),
    }
}

/// Parses every given field of a row, those of `whole` kept whole. A
/// village named by name is looked up within the row's `town` when there
/// is one.
pub fn parse(
    conn: &Connection,
    resolver: &mut Resolver,
    entity: &Entity,
    raw: &RawRow,
    whole: &Whole,
) -> Result<Given, Vec<FieldError>> {
    parse_with(&mut DbRefs { conn, resolver }, entity, raw, whole)
}

/// [`parse`] with references resolved by `refs`.
pub fn parse_with(
    refs: &mut dyn Refs,
    entity: &Entity,
    raw: &RawRow,
    whole: &Whole,
) -> Result<Given, Vec<FieldError>> {
    let mut given: Given = vec![None; entity.fields.len()];
    let mut errors = Vec::new();
    // The town goes first: it narrows village names.
    let town_at = entity.fields.iter().position(|f| f.name == "town");
    let order = town_at
        .into_iter()
        .chain((0..entity.fields.len()).filter(|&j| Some(j) != town_at));
    let mut town_code: Option<String> = None;
    for i in order {
        let field = &entity.fields[i];
        let Some(raw_value) = raw.get(i).and_then(|r| r.as_deref()) else {
            continue;
        };
        let keep_whole = whole.contains(&i);
        if !keep_whole
            && values::trim(raw_value).is_empty()
            && values::normalize(raw_value).is_empty()
        {
            given[i] = Some(Value::Null);
            continue;
        }
        let hint = match field.ty {
            Ty::Ref(Kind::Village) => town_code.as_deref(),
            _ => None,
        };
        match parse_field(refs, field, raw_value, hint, keep_whole) {
            Ok(v) => {
                if Some(i) == town_at {
                    town_code = v.as_str().map(str::to_string);
                }
                given[i] = Some(v);
            }
            Err(problem) => {
                // ID numbers and phones are personal: only the characters
                // at fault show.
                let shown = match field.ty {
                    Ty::IdNumber | Ty::Certificate => values::id_for_message(raw_value),
                    Ty::Phone => values::phone_for_message(raw_value),
                    _ => raw_value.trim().to_string(),
                };
                let shown = values::escape_controls(&shown);
                errors.push(FieldError::new(field.name, shown, problem))
            }
        }
    }
    errors.extend(lift_status(entity, &given));
    errors.extend(left_reason(entity, &given));
    errors.extend(person_status(entity, &mut given));
    errors.extend(elimination_status(entity, &given));
    errors.extend(future_dates(entity, &given));
    if errors.is_empty() {
        return Ok(given);
    }
    // A bad value must not hide an empty required cell of the same row: the
    // clerk corrects the row once.
    for (field, g) in entity.fields.iter().zip(&given) {
        if field.required && field.stored && g.as_ref().is_some_and(Value::is_null) {
            errors.push(FieldError::new(
                field.name,
                "",
                Problem::new(t("is required", "必填")),
            ));
        }
    }
    errors.sort_by_key(|e| entity.fields.iter().position(|f| f.name == e.field));
    Err(errors)
}

/// True for the dates of things that have happened — registrations,
/// lifts, a task done, dispatches, visits, posts — which cannot lie after
/// today. A task's listing and deadline, and a promotion, may be announced
/// ahead.
pub fn is_past_event(kind: Kind, field: &str) -> bool {
    matches!(
        (kind, field),
        (
            Kind::Village | Kind::Household,
            "registered_on" | "lifted_on"
        ) | (Kind::Task, "done_on")
            | (Kind::Dispatch, "held_on")
            | (Kind::Visit, "visited_on")
            | (Kind::Post, "started_on" | "ended_on")
            | (Kind::Monitor, "identified_on" | "eliminated_on")
    )
}

/// The first day of `date`'s month (`2022-06-30` → `2022-06-01`).
pub fn month_start(date: &str) -> String {
    match date.get(..8) {
        Some(month) => format!("{month}01"),
        None => date.to_string(),
    }
}

/// The refusal of `date`, after today, for a past event.
pub fn future_problem(date: &str) -> Option<Problem> {
    let today = values::today_text();
    if values::future_allowed() || date <= today {
        return None;
    }
    Some(
        Problem::new(t(
            &format!("is after today ({today})"),
            &format!("晚于今天（{today}）"),
        ))
        .with_hint(t(
            "check the year; a date to come is recorded only with --allow-future",
            "请核对年份；确需登记今后的日期请加 --allow-future",
        )),
    )
}

/// Dates of past events given after today (see [`is_past_event`]). Only
/// the fields given are judged: a record that holds such a date already
/// (recorded with `--allow-future`) can still be corrected elsewhere.
fn future_dates(entity: &Entity, given: &Given) -> Vec<FieldError> {
    entity
        .fields
        .iter()
        .zip(given)
        .filter(|(f, _)| matches!(f.ty, Ty::Date) && is_past_event(entity.kind, f.name))
        .filter_map(|(f, g)| {
            let date = g.as_ref()?.as_str()?;
            // A monitoring month is stored as its last day: this month's
            // is not yet to come.
            let judged = if entity.kind == Kind::Monitor {
                std::borrow::Cow::Owned(month_start(date))
            } else {
                std::borrow::Cow::Borrowed(date)
            };
            future_problem(&judged).map(|p| FieldError::new(f.name, date, p))
        })
        .collect()
}

/// A status word (已脱贫, 未脱贫, 返贫, 剔除…) held against the dates of the
/// same row. Status is not stored — it follows from the dates — so a file
/// whose status says lifted (or returned) but gives no date would otherwise
/// count the household as poor (or lifted) without a word.
fn lift_status(entity: &Entity, given: &Given) -> Vec<FieldError> {
    let at = |name| entity.fields.iter().position(|f| f.name == name);
    let (Some(status_at), Some(date_at)) = (at("lifted"), at("lifted_on")) else {
        return Vec::new();
    };
    let Some(Some(Value::Text(status))) = given.get(status_at) else {
        return Vec::new();
    };
    let has = |name| {
        at(name)
            .and_then(|i| given.get(i).cloned().flatten())
            .is_some_and(|v| !v.is_null())
    };
    let date = given.get(date_at).cloned().flatten();
    // The date a status word needs, as (column, its Chinese, the flag).
    let lacks = |field: &str, zh: &str, flag: &str, what_en: &str, what_zh: &str| {
        Problem::new(t(
            &format!("says {what_en} but no {field} is given"),
            &format!("标为{what_zh}，但没有{zh}"),
        ))
        .with_hint(t(
            &format!(
                "give the date or year in a {zh} ({field}) column, or for the whole file with --{flag} DATE"
            ),
            &format!("请在“{zh}”列填写日期或年份，或用 --{flag} 日期 为整个文件指定"),
        ))
    };
    let problem = match (status.as_str(), &date) {
        ("lifted", None | Some(Value::Null)) => Problem::new(t(
            "says lifted (已脱贫) but no lift date is given",
            "标为已脱贫，但没有脱贫时间",
        ))
        .with_hint(t(
            "give the date or year in a 脱贫时间 (lifted_on) column, or for the whole file with --lifted-on DATE; fupin counts a household as lifted from that date",
            "请在“脱贫时间”（或“脱贫年度”）列填写日期或年份，或用 --lifted-on 日期 为整个文件指定；fupin 按该日期计算脱贫",
        )),
        ("poor", Some(Value::Text(day))) => Problem::new(t(
            &format!("says not lifted (未脱贫) but the lift date is {day}"),
            &format!("标为未脱贫，但脱贫时间为 {day}"),
        ))
        .with_hint(t(
            "correct one of the two",
            "请更正二者之一",
        )),
        ("returned", None | Some(Value::Null)) => lacks(
            "lifted_on",
            "脱贫时间",
            "lifted-on",
            "returned to poverty (返贫), which follows a lift,",
            "返贫（返贫须在脱贫之后）",
        ),
        ("returned", _) if !has("returned_on") => lacks(
            "returned_on",
            "返贫时间",
            "returned-on",
            "returned to poverty (返贫)",
            "返贫",
        ),
        ("removed" | "cleared" | "left", _) if !has("left_on") => lacks(
            "left_on",
            "减少时间",
            "left-on",
            "off the register (剔除, 清退, 自然减少)",
            "剔除、清退或自然减少",
        ),
        _ => return Vec::new(),
    };
    vec![FieldError::new("lifted", status.clone(), problem)]
}

/// A date the household left the register (减少时间) needs to say how: a
/// reason (减少原因) or a status word (剔除, 清退, 自然减少).
fn left_reason(entity: &Entity, given: &Given) -> Vec<FieldError> {
    if entity.kind != Kind::Household {
        return Vec::new();
    }
    let get = |name| {
        entity
            .fields
            .iter()
            .position(|f| f.name == name)
            .and_then(|i| given.get(i).cloned().flatten())
            .filter(|v| !v.is_null())
    };
    let Some(day) = get("left_on") else {
        return Vec::new();
    };
    let says = get("lifted").is_some_and(|v| {
        v.as_str()
            .is_some_and(|w| matches!(w, "removed" | "cleared" | "left"))
    });
    if says || get("left_reason").is_some() {
        return Vec::new();
    }
    vec![FieldError::new(
        "left_on",
        day.to_text(),
        Problem::new(t(
            "the household left the register, but neither a reason (减少原因) nor a status word (剔除, 清退, 自然减少) says how",
            "该户已退出，但既没有减少原因，也没有剔除、清退或自然减少的标识",
        ))
        .with_hint(t(
            "give the reason in a 减少原因 (left_reason) column, e.g. 死亡, 迁出, 识别不精准",
            "请在“减少原因”列填写原因，例如 死亡、迁出、识别不精准",
        )),
    )]
}

/// A person-level register's status word (人员状态: 正常, 死亡, 迁出…)
/// held against the row's leaving date: a word that says the person left
/// gives the reason when the row has none, and needs the date, which
/// fupin does not guess.
fn person_status(entity: &Entity, given: &mut Given) -> Vec<FieldError> {
    if entity.kind != Kind::Person {
        return Vec::new();
    }
    let at = |name| entity.fields.iter().position(|f| f.name == name);
    let (Some(s), Some(d), Some(r)) = (at("status"), at("left_on"), at("left_reason")) else {
        return Vec::new();
    };
    let Some(Some(Value::Text(word))) = given.get(s).cloned() else {
        return Vec::new();
    };
    let date = given.get(d).cloned().flatten().filter(|v| !v.is_null());
    let label = crate::model::PERSON_STATUS
        .iter()
        .find(|c| c.code == word)
        .map_or(word.clone(), |c| {
            t(&format!("{} ({})", c.code.replace('_', " "), c.zh), c.zh)
        });
    let problem = if word == "present" {
        let Some(day) = date else {
            return Vec::new();
        };
        Problem::new(t(
            &format!("says {label} but the person left on {}", day.to_text()),
            &format!("标为{label}，但减员时间为 {}", day.to_text()),
        ))
        .with_hint(t("correct one of the two", "请更正二者之一"))
    } else {
        match given.get(r).cloned().flatten() {
            None | Some(Value::Null) => given[r] = Some(Value::Text(word.clone())),
            Some(Value::Text(reason)) if reason != word => {
                let reason = crate::model::choice_label(crate::model::LEFT_REASONS, &reason);
                return vec![FieldError::new(
                    "status",
                    word.clone(),
                    Problem::new(t(
                        &format!("says {label} but the reason for leaving (减员原因) is {reason}"),
                        &format!("标为{label}，但减员原因为{reason}"),
                    ))
                    .with_hint(t("correct one of the two", "请更正二者之一")),
                )];
            }
            Some(_) => {}
        }
        if date.is_some() {
            return Vec::new();
        }
        Problem::new(t(
            &format!("says {label} but no date the person left (减员时间) is given"),
            &format!("标为{label}，但没有减员时间"),
        ))
        .with_hint(t(
            "give the date in a 减员时间 (left_on) column, or for the whole file with --left-on DATE",
            "请在“减员时间”列填写日期，或用 --left-on 日期 为整个文件指定",
        ))
    };
    let shown = crate::model::PERSON_STATUS
        .iter()
        .find(|c| c.code == word)
        .map_or(word.clone(), |c| c.zh.to_string());
    vec![FieldError::new("status", shown, problem)]
}

/// A monitoring ledger's 风险是否已消除 (yes/no) held against the
/// elimination date of the same row, as [`lift_status`] holds 已脱贫.
fn elimination_status(entity: &Entity, given: &Given) -> Vec<FieldError> {
    let at = |name| entity.fields.iter().position(|f| f.name == name);
    let (Some(status_at), Some(date_at)) = (at("eliminated"), at("eliminated_on")) else {
        return Vec::new();
    };
    let Some(Some(Value::Int(status))) = given.get(status_at) else {
        return Vec::new();
    };
    let date = given.get(date_at).cloned().flatten();
    let problem = match (*status != 0, &date) {
        (true, None | Some(Value::Null)) => Problem::new(t(
            "says eliminated (是) but no elimination date is given",
            "标为已消除，但没有消除监测时间",
        ))
        .with_hint(t(
            "give the month in the 消除监测时间 (eliminated_on) column",
            "请在“消除监测时间”列填写年月",
        )),
        (false, Some(Value::Text(day))) => Problem::new(t(
            &format!("says not eliminated (否) but the elimination date is {day}"),
            &format!("标为未消除，但消除监测时间为 {day}"),
        ))
        .with_hint(t("correct one of the two", "请更正二者之一")),
        _ => return Vec::new(),
    };
    let shown = crate::present::flag_text(*status != 0);
    vec![FieldError::new("eliminated", shown, problem)]
}

/// The value a field takes when a new record leaves it out.
fn default_for(entity: &Entity, field: &Field) -> Value {
    match (entity.kind, field.name) {
        (Kind::Village, "kind") => Value::Text("village".into()),
        (Kind::Village, "poor_village") => Value::Int(0),
        (Kind::Household, "attribute") => Value::Text("general".into()),
        (Kind::Dispatch, "problems_found" | "problems_solved") => Value::Int(0),
        _ => Value::Null,
    }
}

/// The full stored record: given fields over `base` (the stored record when
/// updating) or over the defaults (when adding). A field given empty takes
/// its default on a new record.
pub fn complete(entity: &Entity, given: &Given, base: Option<&[Value]>) -> Vec<Value> {
    let mut out = Vec::with_capacity(entity.fields.len());
    let mut stored_i = 0;
    let fresh_source = source_given(entity, given);
    for (i, field) in entity.fields.iter().enumerate() {
        if !field.stored {
            continue;
        }
        let from_base = base
            .filter(|_| !(fresh_source && is_derived(entity, field)))
            .and_then(|b| b.get(stored_i))
            .cloned();
        let v = match (given.get(i).cloned().flatten(), from_base) {
            (Some(Value::Null), None) => default_for(entity, field),
            (Some(v), _) => v,
            (None, Some(b)) => b,
            (None, None) => default_for(entity, field),
        };
        out.push(v);
        stored_i += 1;
    }
    out
}

/// [`complete`] for a caller that no longer needs `given`: the values move
/// instead of being copied (the importer calls it for every row).
pub fn complete_owned(entity: &Entity, given: Given, base: Option<&[Value]>) -> Vec<Value> {
    let mut out = Vec::with_capacity(entity.fields.len());
    let mut stored_i = 0;
    let fresh_source = source_given(entity, &given);
    for (field, g) in entity.fields.iter().zip(given) {
        if !field.stored {
            continue;
        }
        let keep = !(fresh_source && is_derived(entity, field));
        let from_base = || base.filter(|_| keep).and_then(|b| b.get(stored_i)).cloned();
        let v = match g {
            Some(Value::Null) if base.is_none() => default_for(entity, field),
            Some(v) => v,
            None => from_base().unwrap_or_else(|| default_for(entity, field)),
        };
        out.push(v);
        stored_i += 1;
    }
    out
}

/// A person's gender and birth date are read off the ID number: a stored
/// record's are not kept when a new ID number is given, so [`check`]
/// reads them off the new one.
fn is_derived(entity: &Entity, field: &Field) -> bool {
    entity.kind == Kind::Person && matches!(field.name, "gender" | "birth_on")
}

fn source_given(entity: &Entity, given: &Given) -> bool {
    entity.kind == Kind::Person
        && entity
            .fields
            .iter()
            .position(|f| f.name == "id_number")
            .and_then(|i| given.get(i))
            .is_some_and(|g| g.as_ref().is_some_and(|v| !v.is_null()))
}

/// A disability certificate is numbered after its holder's ID number: one
/// that starts with another's was copied from the wrong row.
fn certificate_holder(entity: &Entity, values: &[Value], errors: &mut Vec<FieldError>) {
    let (Some(id), Some(certificate)) = (
        get(entity, values, "id_number").as_str(),
        get(entity, values, "disability_certificate").as_str(),
    ) else {
        return;
    };
    if certificate.get(..18) != Some(id) {
        errors.push(FieldError::new(
            "disability_certificate",
            values::mask_id(certificate),
            Problem::new(t(
                "does not start with the person's own ID number",
                "开头不是本人的身份证号",
            ))
            .with_hint(t(
                "a certificate number is the holder's ID number and two digits; check the row",
                "残疾人证号由持证人身份证号加两位数字组成，请核对",
            )),
        ));
    }
}

/// Fills a person's gender and birth date from the ID number, and refuses
/// those given otherwise.
fn person_from_id(entity: &Entity, values: &mut [Value], errors: &mut Vec<FieldError>) {
    let Some(id) = get(entity, values, "id_number")
        .as_str()
        .map(str::to_string)
    else {
        return;
    };
    let Some((birth, gender)) = values::id_birth_and_gender(&id) else {
        return;
    };
    for (name, from_id, label) in [
        ("birth_on", birth, t("birth date", "出生日期")),
        ("gender", gender.to_string(), t("gender", "性别")),
    ] {
        match get(entity, values, name).as_str() {
            None => set(entity, values, name, Value::Text(from_id)),
            Some(given) if given != from_id => {
                let shown = if name == "gender" {
                    crate::model::choice_label(crate::model::GENDERS, &from_id)
                } else {
                    from_id.clone()
                };
                errors.push(FieldError::new(
                    field_name(entity, name),
                    given,
                    Problem::new(t(
                        &format!(
                            "the ID number {} says the {label} is {shown}",
                            values::mask_id(&id)
                        ),
                        &format!("身份证号 {} 显示{label}为 {shown}", values::mask_id(&id)),
                    ))
                    .with_hint(t(
                        "correct the ID number or leave this column empty",
                        "请更正身份证号，或留空此列",
                    )),
                ));
            }
            Some(_) => {}
        }
    }
}

/// The `&'static` name of a field of `entity`.
fn field_name(entity: &Entity, name: &str) -> &'static str {
    entity
        .fields
        .iter()
        .find(|f| f.name == name)
        .map_or("", |f| f.name)
}

fn get<'a>(entity: &Entity, values: &'a [Value], name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    position(entity, name)
        .and_then(|i| values.get(i))
        .unwrap_or(&NULL)
}

fn set(entity: &Entity, values: &mut [Value], name: &str, v: Value) {
    if let Some(slot) = position(entity, name).and_then(|i| values.get_mut(i)) {
        *slot = v;
    }
}

fn date_order(
    entity: &Entity,
    values: &[Value],
    earlier: &str,
    later: &'static str,
    errors: &mut Vec<FieldError>,
) {
    let (a, b) = (get(entity, values, earlier), get(entity, values, later));
    if let (Some(a), Some(b)) = (a.as_str(), b.as_str())
        && b < a
    {
        errors.push(FieldError::new(
            later,
            b,
            Problem::new(t(
                &format!("is before {earlier} {a}"),
                &format!("早于 {earlier} {a}"),
            )),
        ));
    }
}

/// A date and its reason (a person joining or leaving), given together.
fn both_or_neither(
    entity: &Entity,
    values: &[Value],
    date: &'static str,
    reason: &'static str,
    reason_flag: &str,
    errors: &mut Vec<FieldError>,
) {
    let (d, r) = (get(entity, values, date), get(entity, values, reason));
    match (d.is_null(), r.is_null()) {
        (false, true) => errors.push(FieldError::new(
            reason,
            "",
            Problem::new(t(
                &format!("is needed with {date} {}", d.to_text()),
                &format!("填写了 {date} {} 时必填", d.to_text()),
            ))
            .with_hint(t(
                &format!("give it ({reason_flag}, or its column)"),
                &format!("请填写（{reason_flag}，或相应的列）"),
            )),
        )),
        (true, false) => errors.push(FieldError::new(
            date,
            "",
            Problem::new(t(
                &format!("is needed with {reason} {}", r.to_text()),
                &format!("填写了 {reason} {} 时必填", r.to_text()),
            )),
        )),
        _ => {}
    }
}

/// Rules across fields, checked on the complete record. May also normalise
/// the record (a post's town given only to place its village is dropped).
pub fn check(conn: &Connection, entity: &Entity, values: &mut [Value]) -> Vec<FieldError> {
    let mut errors = check_with(&mut |v| town_of_village(conn, v), entity, values);
    if entity.kind == Kind::Town
        && let Some(county) = county_code(conn)
    {
        errors.extend(town_code(&county, get(entity, values, "code")));
    }
    if entity.kind == Kind::Monitor {
        let mut linked = monitor_link(conn, entity, values);
        let household_errors = !linked.is_empty();
        errors.append(&mut linked);
        if !household_errors {
            errors.extend(monitor_own_fields(entity, values));
        }
    }
    errors
}

/// A monitored household whose code is a registered household's takes
/// that household's village, head, ID number and members; values of its
/// own that differ are refused, naming both. Its type defaults to 脱贫户
/// (lifted), an unregistered one's to 一般农户 (ordinary).
fn monitor_link(conn: &Connection, entity: &Entity, values: &mut [Value]) -> Vec<FieldError> {
    let Some(code) = get(entity, values, "code").as_str().map(str::to_string) else {
        return Vec::new();
    };
    let registered: Option<[Value; 4]> = conn
        .prepare_cached(
            "SELECT village, head_name, id_number, members FROM households WHERE code = ?1",
        )
        .and_then(|mut s| {
            s.query_row([&code], |r| {
                Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
            })
        })
        .ok();
    let Some(registered) = registered else {
        if get(entity, values, "household_type").is_null() {
            set(
                entity,
                values,
                "household_type",
                Value::Text("ordinary".into()),
            );
        }
        return Vec::new();
    };
    let mut errors = Vec::new();
    for (name, theirs) in ["village", "head_name", "id_number", "members"]
        .into_iter()
        .zip(registered)
    {
        let mine = get(entity, values, name).clone();
        if mine.is_null() {
            set(entity, values, name, theirs);
        } else if mine != theirs {
            let (shown_mine, shown_theirs) = if name == "id_number" {
                (
                    values::mask_id(&mine.to_text()),
                    values::mask_id(&theirs.to_text()),
                )
            } else {
                (mine.to_text(), theirs.to_text())
            };
            errors.push(FieldError::new(
                field_name(entity, name),
                shown_mine.clone(),
                Problem::new(t(
                    &format!("is {shown_mine} here but {shown_theirs} in registered household {code}"),
                    &format!("此处为 {shown_mine}，登记的贫困户 {code} 为 {shown_theirs}"),
                ))
                .with_hint(t(
                    "leave the column empty to take the household's, or correct the household first",
                    "留空即取登记户的值，或先更正该户",
                )),
            ));
        }
    }
    if get(entity, values, "household_type").is_null() {
        set(
            entity,
            values,
            "household_type",
            Value::Text("lifted".into()),
        );
    }
    errors
}

/// Another monitoring record of the same household whose span (from its
/// identification to its elimination, or still open) meets this one's: a
/// household is never monitored twice at once. `own` is the record being
/// corrected (by rowid), left out.
pub fn monitor_overlap(
    conn: &Connection,
    entity: &Entity,
    values: &[Value],
    own: Option<i64>,
) -> rusqlite::Result<Option<FieldError>> {
    let (Some(code), Some(from)) = (
        get(entity, values, "code").as_str(),
        get(entity, values, "identified_on").as_str(),
    ) else {
        return Ok(None);
    };
    let until = get(entity, values, "eliminated_on").as_str();
    let other: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT identified_on, eliminated_on FROM monitoring
              WHERE code = ?1 AND identified_on <> ?2 AND id IS NOT ?4
                AND (eliminated_on IS NULL OR eliminated_on > ?2)
                AND (?3 IS NULL OR identified_on < ?3)
              ORDER BY identified_on LIMIT 1",
        )?
        .query_row(rusqlite::params![code, from, until, own], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(other.map(|(since, until)| {
        let period = match &until {
            Some(u) => format!("{since} – {u}"),
            None => t(&format!("since {since}, not eliminated"), &format!("自 {since} 起，尚未消除")),
        };
        FieldError::new(
            "identified_on",
            from,
            Problem::new(t(
                &format!("household {code} is already monitored then ({period})"),
                &format!("户 {code} 此时已在监测中（{period}）"),
            ))
            .with_hint(t(
                "a household is monitored again only after its risks are eliminated: `fupin monitor eliminate` first, or check the month",
                "风险消除后才能再次纳入监测：请先用 `fupin monitor eliminate`，或核对年月",
            )),
        )
    }))
}

/// An unregistered monitored household (一般农户) carries its own village,
/// head, ID number and members.
fn monitor_own_fields(entity: &Entity, values: &[Value]) -> Vec<FieldError> {
    ["village", "head_name", "id_number", "members"]
        .into_iter()
        .filter(|name| get(entity, values, name).is_null())
        .map(|name| {
            FieldError::new(
                field_name(entity, name),
                "",
                Problem::new(t(
                    "is required for a household that is not registered (一般农户)",
                    "非建档立卡户（一般农户）须填写此项",
                )),
            )
        })
        .collect()
}

/// The rules of a monitored household among its own fields: the risks
/// filled from the first and each named once (not stated, 未注明, only as
/// the first and then only risk), an elimination given with its date, and
/// not before the identification.
fn monitor_rules(entity: &Entity, values: &[Value], errors: &mut Vec<FieldError>) {
    let risks: Vec<&Value> = ["risk1", "risk2", "risk3", "risk4", "risk5"]
        .iter()
        .map(|r| get(entity, values, r))
        .collect();
    for (i, risk) in risks.iter().enumerate().skip(1) {
        let name = field_name(entity, ["risk1", "risk2", "risk3", "risk4", "risk5"][i]);
        if !risk.is_null() && risks[i - 1].is_null() {
            errors.push(FieldError::new(
                name,
                risk.to_text(),
                Problem::new(t(
                    &format!("is given but risk{i} is empty; the risks are filled in order"),
                    &format!("前一项风险{i}为空；风险须按顺序填写"),
                )),
            ));
        } else if risk.as_str() == Some(crate::model::NOT_STATED) {
            errors.push(FieldError::new(
                name,
                risk.to_text(),
                Problem::new(t(
                    "only the first risk may be not stated (未注明)",
                    "只有风险1可为未注明",
                )),
            ));
        } else if !risk.is_null() && risks[i - 1].as_str() == Some(crate::model::NOT_STATED) {
            errors.push(FieldError::new(
                name,
                risk.to_text(),
                Problem::new(t(
                    &format!("is given but risk{i} is not stated (未注明)"),
                    &format!("风险{i}为未注明，却填写了后面的风险"),
                ))
                .with_hint(t(
                    "give the first risk in risk1 (致贫/返贫风险1)",
                    "请在“致贫/返贫风险1”填写第一项风险",
                )),
            ));
        } else if !risk.is_null() && risks[..i].contains(risk) {
            errors.push(FieldError::new(
                name,
                risk.to_text(),
                Problem::new(t("names a risk already given", "与前面的风险重复")),
            ));
        }
    }
    let method = get(entity, values, "elimination");
    let date = get(entity, values, "eliminated_on");
    match (method.is_null(), date.is_null()) {
        (true, false) => errors.push(FieldError::new(
            "elimination",
            "",
            Problem::new(t(
                "an elimination date needs its method (风险消除方式)",
                "有消除监测时间，须填写风险消除方式",
            ))
            .with_hint(t(
                "assisted/帮扶消除 or natural/自然消除",
                "帮扶消除或自然消除",
            )),
        )),
        (false, true) => errors.push(FieldError::new(
            "eliminated_on",
            "",
            Problem::new(t(
                "an elimination method needs its date (消除监测时间)",
                "有风险消除方式，须填写消除监测时间",
            )),
        )),
        _ => {}
    }
    date_order(entity, values, "identified_on", "eliminated_on", errors);
}

/// True when [`check`] looks something up for records of this kind: tasks
/// and posts ask which town a village is in, towns the county's code.
pub fn check_needs_db(kind: Kind) -> bool {
    matches!(kind, Kind::Task | Kind::Post | Kind::Town | Kind::Monitor)
}

fn county_code(conn: &Connection) -> Option<String> {
    conn.prepare_cached("SELECT code FROM county WHERE id = 1")
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .ok()
}

/// True for `prefix` followed by exactly three digits.
fn extends_by_three(code: &str, prefix: &str) -> bool {
    code.strip_prefix(prefix)
        .is_some_and(|rest| rest.len() == 3 && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// A county's division code (GB/T 2260): six digits.
pub fn county_code_problem(code: &str) -> Option<Problem> {
    let ok = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
    (!ok).then(|| {
        Problem::new(t(
            "a county's division code is 6 digits",
            "县级行政区划代码为 6 位数字",
        ))
        .with_hint(t("e.g. 451122 for 钟山县", "例如钟山县为 451122"))
    })
}

/// A town's code is the county's code and three digits (451122 → 451122100).
fn town_code(county: &str, code: &Value) -> Option<FieldError> {
    let code = code.as_str()?;
    if extends_by_three(code, county) {
        return None;
    }
    Some(FieldError::new(
        "code",
        code,
        Problem::new(t(
            &format!("a town's code is the county's code {county} followed by 3 digits"),
            &format!("乡镇代码为本县代码 {county} 加 3 位数字"),
        ))
        .with_hint(t(
            &format!("e.g. {county}100"),
            &format!("例如 {county}100"),
        )),
    ))
}

/// A village's code is its town's code and three digits (451122100 →
/// 451122100201).
fn village_code(code: &Value, town: &Value) -> Option<FieldError> {
    let (code, town) = (code.as_str()?, town.as_str()?);
    if extends_by_three(code, town) {
        return None;
    }
    Some(FieldError::new(
        "code",
        code,
        Problem::new(t(
            &format!("a village's code is its town's code {town} followed by 3 digits"),
            &format!("村代码为所属乡镇代码 {town} 加 3 位数字"),
        ))
        .with_hint(t(
            &format!("e.g. {town}201, or check the town"),
            &format!("例如 {town}201，或核对所属乡镇"),
        )),
    ))
}

/// [`check`] with the town of a village found by `town_of`.
pub fn check_with(
    town_of: &mut dyn FnMut(&str) -> Option<String>,
    entity: &Entity,
    values: &mut [Value],
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    // A value's place is its field's among the stored ones.
    for (i, field) in entity.stored().enumerate() {
        if field.required && values.get(i).is_none_or(Value::is_null) {
            errors.push(FieldError::new(
                field.name,
                "",
                Problem::new(t("is required", "必填")),
            ));
        }
    }
    match entity.kind {
        Kind::Village => {
            let poor = get(entity, values, "poor_village").as_int() == Some(1);
            if poor && get(entity, values, "registered_on").is_null() {
                errors.push(FieldError::new(
                    "registered_on",
                    "",
                    Problem::new(t(
                        "a poor village needs the date it was registered",
                        "贫困村须填写识别时间",
                    )),
                ));
            }
            if !poor {
                for f in ["registered_on", "lifted_on"] {
                    let v = get(entity, values, f);
                    if !v.is_null() {
                        errors.push(FieldError::new(
                            f,
                            v.to_text(),
                            Problem::new(t(
                                "only a poor village has this date",
                                "只有贫困村才有此日期",
                            ))
                            .with_hint(t("set poor_village to yes", "请将“是否贫困村”设为“是”")),
                        ));
                    }
                }
            }
            date_order(entity, values, "registered_on", "lifted_on", &mut errors);
            errors.extend(village_code(
                get(entity, values, "code"),
                get(entity, values, "town"),
            ));
        }
        Kind::Household => date_order(entity, values, "registered_on", "lifted_on", &mut errors),
        Kind::Monitor => monitor_rules(entity, values, &mut errors),
        Kind::Person => {
            person_from_id(entity, values, &mut errors);
            certificate_holder(entity, values, &mut errors);
            for (date, reason, flag) in [
                ("joined_on", "joined_reason", "--joined-reason"),
                ("left_on", "left_reason", "--left-reason"),
            ] {
                both_or_neither(entity, values, date, reason, flag, &mut errors);
            }
            date_order(entity, values, "birth_on", "joined_on", &mut errors);
            date_order(entity, values, "birth_on", "left_on", &mut errors);
            date_order(entity, values, "joined_on", "left_on", &mut errors);
        }
        Kind::Task => {
            date_order(entity, values, "listed_on", "due_on", &mut errors);
            date_order(entity, values, "listed_on", "done_on", &mut errors);
            let village = get(entity, values, "village").clone();
            let town = get(entity, values, "town").clone();
            if let (Some(v), Some(town)) = (village.as_str(), town.as_str())
                && let Some(actual) = town_of(v)
                && actual != town
            {
                errors.push(FieldError::new(
                    "village",
                    v,
                    Problem::new(t(
                        &format!("is in town {actual}, not {town}"),
                        &format!("属于乡镇 {actual}，不是 {town}"),
                    )),
                ));
            }
        }
        Kind::Post => {
            date_order(entity, values, "started_on", "ended_on", &mut errors);
            let village = get(entity, values, "village").clone();
            let town = get(entity, values, "town").clone();
            // A town given with a village only says where the village is.
            if let (Some(v), Some(town)) = (village.as_str(), town.as_str()) {
                match town_of(v) {
                    Some(actual) if actual == town => set(entity, values, "town", Value::Null),
                    _ => errors.push(FieldError::new(
                        "village",
                        v,
                        Problem::new(t(
                            &format!("is not in town {town}"),
                            &format!("不属于乡镇 {town}"),
                        )),
                    )),
                }
            }
            let places = ["town", "village", "task"]
                .iter()
                .filter(|f| !get(entity, values, f).is_null())
                .count();
            let role = get(entity, values, "role")
                .as_str()
                .unwrap_or_default()
                .to_string();
            if places != 1 && errors.is_empty() {
                errors.push(FieldError::new(
                    "village",
                    "",
                    Problem::new(t(
                        "a post is held at exactly one place: a town, a village or a task",
                        "任职地点须且只能是一个：乡镇、村或任务",
                    )),
                ));
            } else if (role == "commando") == get(entity, values, "task").is_null() {
                errors.push(FieldError::new(
                    "task",
                    "",
                    Problem::new(t(
                        "commando posts, and only they, are placed on a task",
                        "突击队员（且只有突击队员）任职于挂牌任务",
                    )),
                ));
            }
        }
        Kind::Visit => {
            let places = ["village", "household"]
                .iter()
                .filter(|f| !get(entity, values, f).is_null())
                .count();
            if places != 1 {
                errors.push(FieldError::new(
                    "household",
                    "",
                    Problem::new(t(
                        "a visit is to exactly one village or one household",
                        "走访对象须且只能是一个村或一户",
                    )),
                ));
            }
        }
        _ => {}
    }
    errors
}

fn town_of_village(conn: &Connection, village: &str) -> Option<String> {
    conn.prepare_cached("SELECT town FROM villages WHERE code = ?1")
        .and_then(|mut s| s.query_row([village], |r| r.get(0)))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HOUSEHOLD;

    #[test]
    fn field_error_reads_like_the_contract() {
        let e = FieldError::new(
            "id_number",
            "110105194912310021",
            Problem::new("check digit should be X").with_hint("check it"),
        );
        assert_eq!(
            e.to_string(),
            "id_number: check digit should be X (110105194912310021); check it"
        );
    }

    #[test]
    fn a_value_the_message_names_is_not_repeated() {
        let named = FieldError::new("village", "龙岩", Problem::new("no village 龙岩"));
        assert_eq!(named.detail(), "no village 龙岩");
        let substring =
            FieldError::new("gender", "a", Problem::new("not one of the allowed values"));
        assert_eq!(substring.detail(), "not one of the allowed values (a)");
    }

    #[test]
    fn complete_fills_defaults_and_keeps_base() {
        let mut given: Given = vec![None; HOUSEHOLD.fields.len()];
        given[0] = Some(Value::Text("H1".into()));
        let fresh = complete(&HOUSEHOLD, &given, None);
        assert_eq!(fresh[0], Value::Text("H1".into()));
        let attr = position(&HOUSEHOLD, "attribute").unwrap();
        assert_eq!(fresh[attr], Value::Text("general".into()));
        let mut base = fresh.clone();
        base[attr] = Value::Text("low_income".into());
        let updated = complete(&HOUSEHOLD, &given, Some(&base));
        assert_eq!(updated[attr], Value::Text("low_income".into()));
    }
}
