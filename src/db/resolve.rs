//! Resolving a reference typed by a user — a code, or a unique name — to the
//! code that is stored.
//!
//! Lookups are cached: a township file names the same few villages and
//! cadres thousands of times.

use std::collections::HashMap;

use rusqlite::Connection;

use super::suggest::{self, Near, Ranking};
use crate::lang::t;
use crate::model::{Entity, Kind, entity};
use crate::values::Problem;

/// How many missing names a run suggests others for: each suggestion reads
/// every name of its kind, and the first problems are those printed.
const SUGGESTIONS: usize = 20;

pub struct Resolver {
    /// Keyed by kind, town and the name or code, joined in `key`, so a hit
    /// costs no allocation.
    cache: HashMap<String, Result<String, Problem>>,
    key: String,
    /// Suggestions still to be made; not renewed by [`Resolver::clear`].
    suggestions: usize,
}

impl Default for Resolver {
    fn default() -> Self {
        Resolver {
            cache: HashMap::new(),
            key: String::new(),
            suggestions: SUGGESTIONS,
        }
    }
}

/// Something that resolves references: the database through a [`Resolver`]
/// cache, or a [`Snapshot`] of the referenced tables taken before a bulk
/// load, which a thread without the connection can use.
pub trait Refs {
    fn resolve(&mut self, kind: Kind, raw: &str, town: Option<&str>) -> Result<String, Problem>;
}

/// The database, with answers cached.
pub struct DbRefs<'a> {
    pub conn: &'a Connection,
    pub resolver: &'a mut Resolver,
}

impl Refs for DbRefs<'_> {
    fn resolve(&mut self, kind: Kind, raw: &str, town: Option<&str>) -> Result<String, Problem> {
        self.resolver.resolve(self.conn, kind, raw, town)
    }
}

impl Resolver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets cached answers; call after the referenced tables changed.
    pub fn clear(&mut self) {
        self.cache.clear();
    }

    /// The stored code of the `kind` record that `raw` names. `town` (already
    /// a town code) narrows a village name that several towns share.
    pub fn resolve(
        &mut self,
        conn: &Connection,
        kind: Kind,
        raw: &str,
        town: Option<&str>,
    ) -> Result<String, Problem> {
        self.key.clear();
        self.key.push_str(entity(kind).name);
        self.key.push('\u{1}');
        self.key.push_str(town.unwrap_or("\u{2}"));
        self.key.push('\u{1}');
        self.key.push_str(raw);
        if let Some(hit) = self.cache.get(self.key.as_str()) {
            return hit.clone();
        }
        let suggest = self.suggestions > 0;
        let answer = lookup(conn, entity(kind), raw, town, suggest);
        if suggest && answer.as_ref().is_err_and(|p| p.hint.is_some()) {
            self.suggestions -= 1;
        }
        self.cache.insert(self.key.clone(), answer.clone());
        answer
    }
}

fn db_problem(e: rusqlite::Error) -> Problem {
    Problem::new(format!("database error: {e}"))
}

/// Kinds that may be named instead of coded.
fn has_names(kind: Kind) -> bool {
    matches!(kind, Kind::Cadre | Kind::Zone | Kind::Town | Kind::Village)
}

fn lookup(
    conn: &Connection,
    e: &Entity,
    raw: &str,
    town: Option<&str>,
    suggest: bool,
) -> Result<String, Problem> {
    let near = |e: &Entity| {
        if suggest {
            suggest::near(conn, e, raw)
        } else {
            Vec::new()
        }
    };
    let by_code = format!("SELECT code FROM {} WHERE code = ?1", e.table);
    let found: Option<String> = conn
        .prepare_cached(&by_code)
        .and_then(|mut s| {
            let mut rows = s.query([raw])?;
            rows.next()?.map(|r| r.get(0)).transpose()
        })
        .map_err(db_problem)?;
    if let Some(code) = found {
        return Ok(code);
    }
    if !has_names(e.kind) {
        return Err(not_found(e, raw, &near(e)));
    }
    let by_name = if e.kind == Kind::Village {
        "SELECT code, town FROM villages WHERE name = ?1 ORDER BY code".to_string()
    } else {
        format!(
            "SELECT code, NULL FROM {} WHERE name = ?1 ORDER BY code",
            e.table
        )
    };
    let matches: Vec<(String, Option<String>)> = conn
        .prepare_cached(&by_name)
        .and_then(|mut s| {
            s.query_map([raw], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(db_problem)?;
    if matches.is_empty() {
        return Err(not_found(e, raw, &near(e)));
    }
    by_name_outcome(e, raw, town, matches)
}

/// "no village 龙言村", with the nearest records when there are some.
fn not_found(e: &Entity, raw: &str, near: &[Near]) -> Problem {
    let hint = suggest::did_you_mean(near).unwrap_or_else(|| {
        t(
            &format!(
                "add it first, or check `fupin {} list` for the right code",
                e.name
            ),
            &format!("请先添加，或用 `fupin {} list` 查看正确代码", e.name),
        )
    });
    Problem::new(t(
        &format!("no {} {raw}", e.name),
        &format!("没有{} {raw}", e.zh_name()),
    ))
    .with_hint(hint)
}

/// The answer for a name, from the records that bear it (code and, for a
/// village, town) in code order.
fn by_name_outcome(
    e: &Entity,
    raw: &str,
    town: Option<&str>,
    mut matches: Vec<(String, Option<String>)>,
) -> Result<String, Problem> {
    if let (Some(town), true) = (town, e.kind == Kind::Village) {
        matches.retain(|(_, t)| t.as_deref() == Some(town));
    }
    match matches.len() {
        0 => Err(not_found(e, raw, &[])),
        1 => Ok(matches.remove(0).0),
        n => {
            let codes = matches
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let hint = if e.kind == Kind::Village {
                t(
                    "give the village code, or the town to tell them apart",
                    "请填写村代码，或填写乡镇以区分",
                )
            } else {
                t("give the code instead of the name", "请填写代码而不是名称")
            };
            Err(Problem::new(t(
                &format!("{n} {} are named {raw} ({codes})", e.plural),
                &format!("有 {n} 个{}名为 {raw}（{codes}）", e.zh_name()),
            ))
            .with_hint(hint))
        }
    }
}

/// Strings kept end to end in one buffer: a few bytes of overhead each
/// instead of an allocation each: the codes and names of 165,000 cadres
/// take ~10 MiB, not twice that.
#[derive(Default)]
struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The first position whose string is not less than `s` (the strings
    /// being sorted).
    fn lower_bound(&self, s: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.get(mid) < s {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// The records of one kind: codes sorted; names sorted by name then code,
/// each with its code and (villages) town.
#[derive(Default)]
struct KindTable {
    codes: Strings,
    names: Strings,
    name_codes: Strings,
    name_towns: Strings,
}

/// The codes and names of the records a file may refer to, read once
/// before a bulk load into another table (which cannot change them), so
/// rows can be checked on a thread that does not own the connection.
/// Answers are those of [`Resolver::resolve`]; SQLite compares text
/// bytewise (BINARY), as `str` ordering does.
pub struct Snapshot {
    tables: Vec<(Kind, KindTable)>,
    /// Suggestions still to be made, as [`Resolver`] counts them.
    suggestions: usize,
}

impl Snapshot {
    /// Reads the records of the given kinds.
    pub fn load(conn: &Connection, kinds: &[Kind]) -> rusqlite::Result<Snapshot> {
        let mut tables = Vec::new();
        for &kind in kinds {
            if tables.iter().any(|(k, _)| *k == kind) {
                continue;
            }
            let e = entity(kind);
            let mut table = KindTable::default();
            let mut stmt = conn.prepare(&format!("SELECT code FROM {} ORDER BY code", e.table))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                table.codes.push(r.get_ref(0)?.as_str()?);
            }
            if has_names(kind) {
                // Read in table order and sorted here: `ORDER BY name, code`
                // made SQLite look up every row from the name index and sort
                // ties in a temporary B-tree (0.2 s for 165,000 cadres).
                let town = if kind == Kind::Village { "town" } else { "''" };
                let mut stmt =
                    conn.prepare(&format!("SELECT name, code, {town} FROM {}", e.table))?;
                let mut rows = stmt.query([])?;
                let mut read = (Strings::default(), Strings::default(), Strings::default());
                while let Some(r) = rows.next()? {
                    read.0.push(r.get_ref(0)?.as_str()?);
                    read.1.push(r.get_ref(1)?.as_str()?);
                    read.2.push(r.get_ref(2)?.as_str()?);
                }
                let mut order: Vec<usize> = (0..read.0.len()).collect();
                order.sort_unstable_by(|&a, &b| {
                    (read.0.get(a), read.1.get(a)).cmp(&(read.0.get(b), read.1.get(b)))
                });
                for i in order {
                    table.names.push(read.0.get(i));
                    table.name_codes.push(read.1.get(i));
                    table.name_towns.push(read.2.get(i));
                }
            }
            tables.push((kind, table));
        }
        Ok(Snapshot {
            tables,
            suggestions: SUGGESTIONS,
        })
    }
}

impl KindTable {
    /// The records nearest to `raw`, as [`suggest::near`] finds them in
    /// the database.
    fn near(&self, raw: &str) -> Vec<Near> {
        let mut ranking = Ranking::new(raw);
        for i in 0..self.codes.len().min(200_000) {
            ranking.offer(self.codes.get(i), true);
        }
        for i in 0..self.names.len().min(200_000) {
            ranking.offer(self.names.get(i), false);
        }
        let mut near = Vec::new();
        for (word, is_code) in ranking.words() {
            if is_code {
                let name = (0..self.names.len())
                    .find(|&i| self.name_codes.get(i) == word)
                    .map(|i| self.names.get(i).to_string());
                near.push(Near { name, code: word });
                continue;
            }
            let mut at = self.names.lower_bound(&word);
            while at < self.names.len() && self.names.get(at) == word && near.len() < 3 {
                near.push(Near {
                    name: Some(word.clone()),
                    code: self.name_codes.get(at).to_string(),
                });
                at += 1;
            }
        }
        near.truncate(3);
        near
    }
}

impl Refs for Snapshot {
    fn resolve(&mut self, kind: Kind, raw: &str, town: Option<&str>) -> Result<String, Problem> {
        let e = entity(kind);
        let Some((_, table)) = self.tables.iter().find(|(k, _)| *k == kind) else {
            return Err(Problem::new(format!(
                "internal error: {} were not read before the import",
                e.plural
            )));
        };
        let at = table.codes.lower_bound(raw);
        if at < table.codes.len() && table.codes.get(at) == raw {
            return Ok(raw.to_string());
        }
        let mut near = || {
            if self.suggestions == 0 {
                return Vec::new();
            }
            self.suggestions -= 1;
            table.near(raw)
        };
        if !has_names(kind) {
            return Err(not_found(e, raw, &near()));
        }
        let mut matches = Vec::new();
        let mut at = table.names.lower_bound(raw);
        while at < table.names.len() && table.names.get(at) == raw {
            let town = Some(table.name_towns.get(at).to_string()).filter(|_| kind == Kind::Village);
            matches.push((table.name_codes.get(at).to_string(), town));
            at += 1;
        }
        if matches.is_empty() {
            return Err(not_found(e, raw, &near()));
        }
        by_name_outcome(e, raw, town, matches)
    }
}

#[cfg(test)]
mod tests {
    use anyhow::Result;
    use rusqlite::Connection;

    use super::*;

    /// Villages sharing a name within and across towns, cadres sharing a
    /// name, and codes that are also someone's name.
    fn db() -> Result<Connection> {
        let mut conn = Connection::open_in_memory()?;
        crate::db::configure(&conn)?;
        crate::db::migrate(&mut conn)?;
        conn.execute_batch(
            "INSERT INTO cadres (code, name) VALUES ('C1', '张三'), ('C2', '张三'), ('C3', 'C1'),
                 ('C4', '李四'), ('张', '王五');
             INSERT INTO towns (code, name) VALUES ('T1', '钟山镇'), ('T2', '回龙镇');
             INSERT INTO villages (code, name, town) VALUES ('V1', '新村', 'T1'),
                 ('V2', '新村', 'T2'), ('V3', '龙岩', 'T1'), ('V4', '新村', 'T1');",
        )?;
        Ok(conn)
    }

    #[test]
    fn clear_forgets_answers_the_tables_no_longer_give() -> Result<()> {
        let conn = db()?;
        let mut resolver = Resolver::new();
        let missing = resolver.resolve(&conn, Kind::Village, "石门村", None);
        assert!(missing.is_err());
        let unique = resolver.resolve(&conn, Kind::Cadre, "李四", None);
        assert_eq!(unique, Ok("C4".to_string()));
        conn.execute_batch(
            "INSERT INTO villages (code, name, town) VALUES ('V5', '石门村', 'T2');
             INSERT INTO cadres (code, name) VALUES ('C5', '李四');",
        )?;
        // Cached until told the tables changed.
        assert!(
            resolver
                .resolve(&conn, Kind::Village, "石门村", None)
                .is_err()
        );
        resolver.clear();
        assert_eq!(
            resolver.resolve(&conn, Kind::Village, "石门村", None),
            Ok("V5".to_string())
        );
        let now = resolver.resolve(&conn, Kind::Cadre, "李四", None);
        assert!(
            now.as_ref()
                .is_err_and(|p| p.message.contains("2 cadres are named 李四")),
            "{now:?}"
        );
        Ok(())
    }

    #[test]
    fn a_snapshot_answers_as_the_database_does() -> Result<()> {
        let conn = db()?;
        let mut resolver = Resolver::new();
        conn.execute_batch(
            "INSERT INTO households (code, village, head_name, id_number, members, registered_on)
                  VALUES ('H1', 'V1', '张三', '11010519491231002X', 1, '2016-01-01');",
        )?;
        let kinds = [
            Kind::Cadre,
            Kind::Village,
            Kind::Town,
            Kind::Household,
            Kind::Task,
        ];
        let mut snapshot = Snapshot::load(&conn, &kinds)?;
        let asks: &[(Kind, &str, Option<&str>)] = &[
            (Kind::Cadre, "C1", None),
            (Kind::Cadre, "张三", None),
            (Kind::Cadre, "李四", None),
            (Kind::Cadre, "王五", None),
            (Kind::Cadre, "张", None),
            (Kind::Cadre, "无此人", None),
            (Kind::Cadre, "", None),
            (Kind::Town, "回龙镇", None),
            (Kind::Village, "新村", None),
            (Kind::Village, "新村", Some("T1")),
            (Kind::Village, "新村", Some("T2")),
            (Kind::Village, "新村", Some("T9")),
            (Kind::Village, "龙岩", None),
            (Kind::Village, "V2", Some("T1")),
            (Kind::Household, "H1", None),
            (Kind::Household, "张三", None),
            (Kind::Task, "X1", None),
        ];
        for &(kind, raw, town) in asks {
            let want = resolver.resolve(&conn, kind, raw, town);
            let got = snapshot.resolve(kind, raw, town);
            assert_eq!(got, want, "{kind:?} {raw} {town:?}");
        }
        // Households and tasks are named by code only.
        let by_name = resolver.resolve(&conn, Kind::Household, "张三", None);
        assert_eq!(
            by_name.map_err(|p| p.message),
            Err("no household 张三".to_string())
        );
        // The same text names different records of different kinds.
        assert_eq!(
            resolver.resolve(&conn, Kind::Cadre, "张", None),
            Ok("张".to_string())
        );
        assert!(resolver.resolve(&conn, Kind::Town, "张", None).is_err());
        Ok(())
    }

    #[test]
    fn an_ambiguous_name_says_how_to_tell_the_records_apart() -> Result<()> {
        let conn = db()?;
        let mut resolver = Resolver::new();
        let cadre = resolver
            .resolve(&conn, Kind::Cadre, "张三", None)
            .unwrap_err();
        assert_eq!(cadre.message, "2 cadres are named 张三 (C1, C2)");
        assert_eq!(
            cadre.hint.as_deref(),
            Some("give the code instead of the name")
        );
        let village = resolver
            .resolve(&conn, Kind::Village, "新村", Some("T1"))
            .unwrap_err();
        assert_eq!(village.message, "2 villages are named 新村 (V1, V4)");
        assert_eq!(
            village.hint.as_deref(),
            Some("give the village code, or the town to tell them apart")
        );
        Ok(())
    }
}
