//! Command-line flags generated from the record descriptions.
//!
//! `add` and `update` take one flag per field, named after the field's
//! canonical CSV header (`head_name` → `--head-name`). Generating them from
//! [`crate::model`] keeps the flags and the CSV contract identical by
//! construction; clap derive still owns the rest of the command tree.

use std::marker::PhantomData;

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};

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
}

/// The field flags of a record. With `UPDATE`, the key fields are left out,
/// the code becomes the positional argument, and no flag is required.
#[derive(Debug, Clone)]
pub struct Fields<K, const UPDATE: bool> {
    /// Raw values aligned with the entity's fields; `None` = flag not given.
    pub raw: RawRow,
    /// The positional code (only with `UPDATE`).
    pub code: String,
    kind: PhantomData<K>,
}

const CODE_ARG: &str = "record_code";

impl<K: RecordKind, const UPDATE: bool> Fields<K, UPDATE> {
    fn included(field: &model::Field) -> bool {
        field.command_line && !(UPDATE && K::ENTITY.key.contains(&field.name))
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
        Ok(Fields {
            raw,
            code,
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
        if UPDATE {
            cmd = cmd.arg(
                Arg::new(CODE_ARG)
                    .value_name("CODE")
                    .required(true)
                    .help(format!("Code of the {} to change", K::ENTITY.name)),
            );
        }
        for field in K::ENTITY.fields.iter().filter(|f| Self::included(f)) {
            // The Chinese column names the help does not already mention.
            let zh: Vec<&str> = field
                .zh
                .iter()
                .copied()
                .filter(|alias| !field.help.contains(alias))
                .collect();
            let mut help = field.help.to_string();
            if !zh.is_empty() {
                help.push_str(&format!(" [{}]", zh.join(", ")));
            }
            if UPDATE && !field.required && field.stored {
                help.push_str(" (empty clears it)");
            }
            cmd = cmd.arg(
                Arg::new(field.name)
                    .long(field.flag())
                    .value_name(field.name.to_uppercase())
                    .help(help)
                    .required(!UPDATE && field.required && field.stored)
                    .allow_hyphen_values(true),
            );
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}
