//! Command-line flags generated from the record descriptions.
//!
//! `add` and `update` take one flag per field, named after the field's
//! canonical CSV header (`head_name` → `--head-name`). Generating them from
//! [`crate::model`] keeps the flags and the CSV contract identical by
//! construction; clap derive still owns the rest of the command tree.

use std::marker::PhantomData;

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

use crate::model::{self, Entity};
use crate::record::RawRow;

/// A record kind at the type level, so each subcommand gets its own flags.
pub trait RecordKind {
    const ENTITY: &'static Entity;
}

macro_rules! kinds {
    ($($name:ident => $entity:path),* $(,)?) => {
        $(
            #[derive(Debug, Clone)]
            pub struct $name;
            impl RecordKind for $name {
                const ENTITY: &'static Entity = &$entity;
            }
        )*
    };
}

kinds! {
    CadreKind => model::CADRE,
    ZoneKind => model::ZONE,
    TownKind => model::TOWN,
    VillageKind => model::VILLAGE,
    HouseholdKind => model::HOUSEHOLD,
    PersonKind => model::PERSON,
    TaskKind => model::TASK,
    PostKind => model::POST,
    DispatchKind => model::DISPATCH,
    VisitKind => model::VISIT,
    PromotionKind => model::PROMOTION,
    MonitorKind => model::MONITOR,
    EventKind => model::EVENT,
    AssessmentKind => model::ASSESSMENT,
}

/// The field flags of a record. With `UPDATE` no flag is required and the
/// record to change is the positional argument: for a kind with a code, its
/// code (or unique name), the code itself no flag; for a kind without (a
/// dispatch, visit, post or promotion), the ID its list shows, and every
/// field a flag, so a mistyped date that keys it can be corrected.
#[derive(Debug, Clone)]
pub struct Fields<K, const UPDATE: bool> {
    /// Raw values aligned with the entity's fields; `None` = flag not given.
    pub raw: RawRow,
    /// The positional code, name or ID (only with `UPDATE`).
    pub code: String,
    /// `--force`: record a dispatch outside its task's listed…done span.
    pub force: bool,
    kind: PhantomData<K>,
}

const CODE_ARG: &str = "record_code";
/// Flags that let a command past a rule; they are named in the audit trail.
pub const FORCE: &str = "force";
pub const ALLOW_FUTURE: &str = "allow_future";

impl<K: RecordKind, const UPDATE: bool> Fields<K, UPDATE> {
    fn included(field: &model::Field) -> bool {
        let entity = K::ENTITY;
        field.command_line && !(UPDATE && entity.has_code() && entity.key.contains(&field.name))
    }

    fn has_past_events() -> bool {
        K::ENTITY
            .stored()
            .any(|f| crate::record::is_past_event(K::ENTITY.kind, f.name))
    }
}

impl<K: RecordKind, const UPDATE: bool> FromArgMatches for Fields<K, UPDATE> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let raw = K::ENTITY
            .fields
            .iter()
            .map(|f| {
                if Self::included(f) {
                    matches.get_one::<String>(f.name).cloned()
                } else {
                    None
                }
            })
            .collect();
        let code = if UPDATE {
            matches
                .get_one::<String>(CODE_ARG)
                .cloned()
                .unwrap_or_default()
        } else {
            String::new()
        };
        let force = matches!(matches.try_get_one::<bool>(FORCE), Ok(Some(true)));
        Ok(Fields {
            raw,
            code,
            force,
            kind: PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<K: RecordKind, const UPDATE: bool> Args for Fields<K, UPDATE> {
    fn augment_args(mut cmd: Command) -> Command {
        let entity = K::ENTITY;
        if UPDATE && entity.has_code() {
            cmd = cmd.arg(Arg::new(CODE_ARG).value_name("CODE").required(true).help(
                crate::lang::t(
                    &format!(
                        "Code of the {} to change, or its name when no other {} bears it",
                        entity.name, entity.name
                    ),
                    &format!(
                        "要修改的{}的代码，或不与其他记录重名时的名称",
                        entity.zh_name()
                    ),
                ),
            ));
        } else if UPDATE {
            cmd = cmd.arg(
                Arg::new(CODE_ARG)
                    .value_name("ID")
                    .required(true)
                    .help(crate::lang::t(
                        &format!(
                            "ID of the {} to change (the ID column of `fupin {} list`)",
                            entity.name, entity.name
                        ),
                        &format!(
                            "要修改的{}的 ID（`fupin {} list` 的 ID 列）",
                            entity.zh_name(),
                            entity.name
                        ),
                    )),
            );
        }
        for field in K::ENTITY.fields.iter().filter(|f| Self::included(f)) {
            let help = field_help(field, UPDATE);
            cmd = cmd.arg(
                Arg::new(field.name)
                    .long(field.flag())
                    .value_name(field.name.to_uppercase())
                    .help(help)
                    .required(!UPDATE && field.required && field.stored)
                    .allow_hyphen_values(true),
            );
        }
        if Self::has_past_events() {
            cmd = cmd.arg(
                Arg::new(ALLOW_FUTURE)
                    .long("allow-future")
                    .action(ArgAction::SetTrue)
                    .help(crate::lang::t(
                        "Accept dates after today (noted in the audit trail)",
                        "允许晚于今天的日期（记入变更记录）",
                    )),
            );
        }
        if entity.kind == model::Kind::Dispatch {
            cmd = cmd.arg(
                Arg::new(FORCE)
                    .long("force")
                    .action(ArgAction::SetTrue)
                    .help(crate::lang::t(
                        "Record a dispatch held before its task was listed or after it was done (noted in the audit trail)",
                        "允许调度时间早于挂牌或晚于完成（记入变更记录）",
                    )),
            );
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// The help of a field's flag: what it holds, the Chinese column names the
/// description does not already mention, and on `update` that an empty
/// value clears it. In Chinese the description comes from the help table,
/// else the field's Chinese column name says what it is.
fn field_help(field: &model::Field, update: bool) -> String {
    let zh = crate::lang::zh();
    let description = if zh {
        crate::help::chinese(field.help).unwrap_or_else(|| field.zh_label().to_string())
    } else {
        field.help.to_string()
    };
    let aliases: Vec<&str> = field
        .zh
        .iter()
        .copied()
        .filter(|alias| !description.contains(alias))
        .collect();
    let mut help = description;
    if !aliases.is_empty() {
        if zh {
            help.push_str(&format!("［列名：{}］", aliases.join("、")));
        } else {
            help.push_str(&format!(" [{}]", aliases.join(", ")));
        }
    }
    if update && !field.required && field.stored {
        help.push_str(if zh {
            "（留空即清除）"
        } else {
            " (empty clears it)"
        });
    }
    help
}
