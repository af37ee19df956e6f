//! `--missing`: a township's monthly file is its whole list, so the records
//! of the towns (or villages) it covers that it no longer holds — a
//! household dropped from the list — are named in the summary. They are
//! reported, never deleted.

use std::collections::BTreeSet;

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use super::scan::Touched;
use crate::db::store::{self, Value};
use crate::model::{Entity, Kind};

/// How far a file's rows are taken to cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// Every record of the towns the file's rows are in (a township's list)
    #[value(alias = "乡镇")]
    Town,
    /// Every record of the villages the file's rows are in
    #[value(alias = "村")]
    Village,
}

/// A record of a covered place that the file does not hold.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub code: String,
    /// Its name (a household's head).
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub village_name: Option<String>,
    pub town: String,
    pub town_name: Option<String>,
}

/// The places a file's rows are in, gathered as they are written.
pub(super) struct Covered {
    /// Position of the stored field naming the place: a household's
    /// village, a village's or task's town.
    at: Option<usize>,
    places: BTreeSet<String>,
}

impl Covered {
    pub(super) fn new(entity: &Entity) -> Covered {
        let field = match entity.kind {
            Kind::Household => Some("village"),
            Kind::Village | Kind::Task => Some("town"),
            _ => None,
        };
        Covered {
            at: field.and_then(|f| store::position(entity, f)),
            places: BTreeSet::new(),
        }
    }

    /// True for the kinds a place's list is made of.
    pub(super) fn applies(&self) -> bool {
        self.at.is_some()
    }

    pub(super) fn note(&mut self, values: &[Value]) {
        if let Some(Value::Text(place)) = self.at.and_then(|i| values.get(i))
            && !self.places.contains(place)
        {
            self.places.insert(place.clone());
        }
    }

    /// [`Covered::note`] of a row met as the stored record's encoding.
    pub(super) fn note_encoded(&mut self, entity: &Entity, enc: &[u8]) {
        let width = entity.stored().count();
        if let Some(at) = self.at
            && let Some(place) = super::scan::encoded_text(enc, width, at)
            && let Ok(place) = std::str::from_utf8(place)
            && !self.places.contains(place)
        {
            self.places.insert(place.to_string());
        }
    }

    /// The records of the covered places not in `touched`, by code.
    pub(super) fn missing(
        &self,
        conn: &Connection,
        entity: &Entity,
        scope: Scope,
        touched: &Touched,
    ) -> Result<Vec<Missing>> {
        // (rowid, code, name, village, town) of the records of one place.
        let select = match (entity.kind, scope) {
            (Kind::Household, Scope::Village) => {
                "SELECT h.id, h.code, h.head_name, h.village, v.town FROM households h
                 JOIN villages v ON v.code = h.village WHERE h.village = ?1"
            }
            (Kind::Household, Scope::Town) => {
                "SELECT h.id, h.code, h.head_name, h.village, v.town FROM households h
                 JOIN villages v ON v.code = h.village
                 WHERE v.town = (SELECT town FROM villages WHERE code = ?1)"
            }
            (Kind::Village, _) => "SELECT id, code, name, NULL, town FROM villages WHERE town = ?1",
            (Kind::Task, _) => "SELECT id, code, title, village, town FROM tasks WHERE town = ?1",
            _ => return Ok(Vec::new()),
        };
        // …and the names of the village and the town.
        let sql = format!(
            "WITH r(id, code, name, village, town) AS ({})
             SELECT r.*, (SELECT name FROM villages WHERE code = r.village),
                    (SELECT name FROM towns WHERE code = r.town)
               FROM r",
            select
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut out = Vec::new();
        let mut seen_ids = std::collections::HashSet::new();
        for place in &self.places {
            let mut rows = stmt.query([place])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if touched.has(id) || !seen_ids.insert(id) {
                    continue;
                }
                out.push(Missing {
                    code: r.get(1)?,
                    name: r.get(2)?,
                    village: r.get(3)?,
                    village_name: r.get(5)?,
                    town: r.get(4)?,
                    town_name: r.get(6)?,
                });
            }
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }
}
