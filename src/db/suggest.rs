//! The records nearest to a mistyped name or code, by edit distance, for
//! "did you mean 龙岩村 (451122100201)?".
//!
//! A suggestion reads every name (or code) of a kind, so it is made only
//! for a name that was not found, and the resolver makes a few per run: a
//! file that misses thousands of names gets suggestions for the first ones,
//! which are the ones printed.

use rusqlite::Connection;

use crate::lang::t;
use crate::model::Entity;

/// How many names or codes a suggestion reads at most: all the cadres of a
/// province, not a million households.
const READ_AT_MOST: usize = 200_000;
/// Codes read on either side of a mistyped code in code order: a typo in
/// the last digits of a hierarchical code lands among its neighbours.
const NEIGHBOURS: usize = 20;

/// How many edits a suggestion may be away from what was typed. A Chinese
/// character says much more than a letter or digit: one wrong character in
/// a two- to four-character name is a typo (龙言村), one wrong character in
/// `GB9` is another cadre altogether. Swapping two neighbours counts as one
/// edit.
fn reach(typed: &str, len: usize) -> usize {
    if typed.chars().any(|c| c > '\u{2E80}') {
        1 + len.saturating_sub(1) / 3
    } else {
        len / 5
    }
}

/// Words (names or codes) at the smallest edit distance from the typed one,
/// within [`reach`].
pub struct Ranking {
    typed: String,
    len: usize,
    limit: usize,
    best: usize,
    /// (word, whether it is a code)
    words: Vec<(String, bool)>,
}

impl Ranking {
    pub fn new(typed: &str) -> Ranking {
        let len = typed.chars().count();
        Ranking {
            typed: typed.to_string(),
            len,
            limit: reach(typed, len),
            best: usize::MAX,
            words: Vec::new(),
        }
    }

    /// Takes `word` into account; true when it is among the nearest so far.
    pub fn offer(&mut self, word: &str, is_code: bool) -> bool {
        let reach = self.limit.min(self.best);
        if word == self.typed || word.chars().count().abs_diff(self.len) > reach {
            return false;
        }
        let d = strsim::osa_distance(&self.typed, word);
        if d > reach {
            return false;
        }
        if d < self.best {
            self.best = d;
            self.words.clear();
        }
        if self.words.len() < 3 && !self.words.iter().any(|(w, _)| w == word) {
            self.words.push((word.to_string(), is_code));
        }
        true
    }

    pub fn words(self) -> Vec<(String, bool)> {
        self.words
    }
}

/// A record offered instead: its name (when it has one) and code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    pub name: Option<String>,
    pub code: String,
}

impl Near {
    /// `龙岩村 (451122100201)`, or the code alone.
    pub fn shown(&self) -> String {
        match &self.name {
            Some(name) if crate::lang::zh() => format!("{name}（{}）", self.code),
            Some(name) => format!("{name} ({})", self.code),
            None => self.code.clone(),
        }
    }
}

/// "did you mean 龙岩村 (451122100201)?", in the current language.
pub fn did_you_mean(near: &[Near]) -> Option<String> {
    if near.is_empty() {
        return None;
    }
    let shown: Vec<String> = near.iter().map(Near::shown).collect();
    Some(t(
        &format!("did you mean {}?", shown.join(" or ")),
        &format!("是不是 {}？", shown.join(" 或 ")),
    ))
}

/// The records of `entity` nearest to `typed`, read from the database.
/// A failed query only costs the suggestion.
pub fn near(conn: &Connection, entity: &Entity, typed: &str) -> Vec<Near> {
    near_in_db(conn, entity, typed).unwrap_or_default()
}

fn near_in_db(conn: &Connection, entity: &Entity, typed: &str) -> rusqlite::Result<Vec<Near>> {
    let mut ranking = Ranking::new(typed);
    let name = entity.display_field().map(|f| f.name);
    let table = entity.table;
    if entity.has_code() {
        let mut all = conn.prepare(&format!("SELECT code FROM {table} LIMIT {READ_AT_MOST}"))?;
        let mut rows = all.query([])?;
        while let Some(r) = rows.next()? {
            ranking.offer(r.get_ref(0)?.as_str()?, true);
        }
        for sql in [
            format!(
                "SELECT code FROM {table} WHERE code < ?1 ORDER BY code DESC LIMIT {NEIGHBOURS}"
            ),
            format!("SELECT code FROM {table} WHERE code > ?1 ORDER BY code LIMIT {NEIGHBOURS}"),
        ] {
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query([typed])?;
            while let Some(r) = rows.next()? {
                ranking.offer(r.get_ref(0)?.as_str()?, true);
            }
        }
    }
    // The records of the names offered that were among the nearest when
    // read: a name is read with its code, so no index on names is needed
    // (households have none) and no name is looked up again.
    let mut named: Vec<(String, String)> = Vec::new();
    if let Some(name) = name {
        if entity.has_code() {
            let mut stmt = conn.prepare(&format!(
                "SELECT {name}, code FROM {table} LIMIT {READ_AT_MOST}"
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let word = r.get_ref(0)?.as_str()?;
                if ranking.offer(word, false) {
                    named.push((word.to_string(), r.get(1)?));
                }
            }
        } else {
            let mut stmt = conn.prepare(&format!(
                "SELECT DISTINCT {name} FROM {table} LIMIT {READ_AT_MOST}"
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                ranking.offer(r.get_ref(0)?.as_str()?, false);
            }
        }
    }
    named.sort_by(|a, b| a.1.cmp(&b.1));
    let mut near = Vec::new();
    for (word, is_code) in ranking.words() {
        if !is_code {
            // Up to three records of the name, in code order.
            for (n, code) in named.iter().filter(|(n, _)| *n == word).take(3) {
                let found = Near {
                    name: Some(n.clone()),
                    code: code.clone(),
                };
                if near.len() < 3 && !near.contains(&found) {
                    near.push(found);
                }
            }
            continue;
        }
        let (sql, key) = match (is_code, name) {
            (true, Some(name)) => (
                format!("SELECT {name}, code FROM {table} WHERE code = ?1"),
                word,
            ),
            (true, None) => (
                format!("SELECT NULL, code FROM {table} WHERE code = ?1"),
                word,
            ),
            (false, _) => continue,
        };
        let mut stmt = conn.prepare(&sql)?;
        let found = stmt
            .query_map([&key], |r| {
                Ok(Near {
                    name: r.get(0)?,
                    code: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for n in found {
            if near.len() < 3 && !near.contains(&n) {
                near.push(n);
            }
        }
    }
    Ok(near)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_character_typo_finds_the_name() {
        let mut r = Ranking::new("龙言村");
        for w in ["龙岩村", "石龙村", "龙岩", "白溪村"] {
            r.offer(w, false);
        }
        assert_eq!(r.words(), vec![("龙岩村".to_string(), false)]);
    }

    #[test]
    fn only_the_nearest_are_kept() {
        let mut r = Ranking::new("451122100219");
        for w in ["451122100201", "451122100211", "451122100202"] {
            r.offer(w, true);
        }
        assert_eq!(r.words(), vec![("451122100211".to_string(), true)]);
    }

    #[test]
    fn a_short_code_gets_no_guess() {
        let mut r = Ranking::new("GB9");
        r.offer("GB1", true);
        assert!(r.words().is_empty());
        let mut r = Ranking::new("GB00610");
        r.offer("GB00601", true);
        assert_eq!(r.words(), vec![("GB00601".to_string(), true)]);
    }

    #[test]
    fn nothing_far_is_offered() {
        let mut r = Ranking::new("张三");
        r.offer("李四", false);
        r.offer("张三丰收", false);
        assert!(r.words().is_empty());
    }
}
