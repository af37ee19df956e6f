//! `household lift`, `village lift`, `task done`: one date in a record's
//! life, recorded once.

use anyhow::{Context, Result, bail};
use rusqlite::TransactionBehavior;

use super::Ctx;
use super::pick;
use super::records::{date_arg, field, flag_errors};
use crate::cli::Within;
use crate::db::store::{self, Value};
use crate::lang::t;
use crate::model::Entity;
use crate::record;
use crate::say;

/// A dated step in a record's life that a command records once: a
/// household or village lifted out of poverty, a task done.
pub struct Milestone {
    /// The date field it sets.
    pub field: &'static str,
    /// The date it may not precede.
    pub after: &'static str,
    /// What happened, for messages: "lifted out of poverty" / "脱贫".
    pub done: (&'static str, &'static str),
    /// What `after` means: "registered" / "识别时间".
    pub after_label: (&'static str, &'static str),
}

/// Records a milestone (`lift`, `done`) on `--on DATE`. Recording it again
/// on the same date changes nothing, so scripts may repeat themselves; on
/// another date it is refused, because a second lift is more likely a typo
/// than a correction (`update` corrects a date on purpose).
pub fn set_milestone(
    ctx: &Ctx,
    entity: &Entity,
    named: &str,
    within: Option<&Within>,
    step: &Milestone,
    raw_date: &str,
    precondition: impl Fn(&str, &[Value]) -> Result<()>,
) -> Result<u8> {
    let date = date_arg("on", raw_date)?;
    if record::is_past_event(entity.kind, step.field)
        && let Some(p) = record::future_problem(&date)
    {
        return Err(flag_errors(&[record::FieldError::new("on", date, p)]));
    }
    let (done_en, done_zh) = step.done;
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (id, old) = pick::record(&tx, entity, named, within)?;
    let code = store::key_text(entity, &old);
    precondition(&code, &old)?;
    if let Some(current) = field(entity, &old, step.field).as_str() {
        if current == date {
            say!(
                "{}",
                t(
                    &format!(
                        "{} {code} was already {done_en} on {date}; nothing changed",
                        entity.name
                    ),
                    &format!(
                        "{} {code} 已于 {date} {done_zh}，未作改动",
                        entity.zh_name()
                    ),
                )
            );
            return Ok(0);
        }
        let flag = step.field.replace('_', "-");
        bail!(
            "{}",
            t(
                &format!(
                    "{} {code} was already {done_en} on {current}; to correct the date use `fupin {} update {code} --{flag} {date}`",
                    entity.name, entity.name
                ),
                &format!(
                    "{} {code} 已于 {current} {done_zh}；如需更正日期，请用 `fupin {} update {code} --{flag} {date}`",
                    entity.zh_name(),
                    entity.name
                ),
            )
        );
    }
    if let Some(first) = field(entity, &old, step.after).as_str()
        && date.as_str() < first
    {
        let (after_en, after_zh) = step.after_label;
        bail!(
            "{}",
            t(
                &format!(
                    "{} {code} was {after_en} on {first}; it cannot be {done_en} before that (--on {date})",
                    entity.name
                ),
                &format!(
                    "{} {code} 的{after_zh}为 {first}，{done_zh}时间不能早于此（--on {date}）",
                    entity.zh_name()
                ),
            )
        );
    }
    let mut new = old.clone();
    if let Some(slot) = store::position(entity, step.field).and_then(|i| new.get_mut(i)) {
        *slot = Value::Text(date.clone());
    }
    let errors = record::check(&tx, entity, &mut new);
    if !errors.is_empty() {
        return Err(flag_errors(&errors));
    }
    store::replace(&tx, &ctx.actor(), entity, id, &old, &new)?;
    tx.commit().context("failed to commit")?;
    say!(
        "{}",
        t(
            &format!("{} {code} {done_en} on {date}", entity.name),
            &format!("{} {code} 已于 {date} {done_zh}", entity.zh_name()),
        )
    );
    Ok(0)
}
