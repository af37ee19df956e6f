//! The rules `schema.sql` enforces by itself, whatever wrote the row: these
//! hold even for a file edited with the sqlite3 shell or a buggy importer.

use anyhow::{Result, bail};
use rusqlite::{Connection, ErrorCode};

use super::{configure, migrate, migrate_to, schema_version};

/// An empty database with the schema and one row of every kind that others
/// refer to: cadre C1, zone Z1, town T1, village V1 (poor), household H1,
/// task X1.
fn db() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&mut conn)?;
    conn.execute_batch(
        "INSERT INTO county (id, code, name) VALUES (1, '451122', '钟山县');
         INSERT INTO cadres (code, name, level) VALUES ('C1', '张三', 'county');
         INSERT INTO zones (code, name, commander) VALUES ('Z1', '一区', 'C1');
         INSERT INTO towns (code, name, zone) VALUES ('T1', '钟山镇', 'Z1');
         INSERT INTO villages (code, name, town, poor_village, registered_on)
              VALUES ('V1', '龙岩村', 'T1', 1, '2015-12-31');
         INSERT INTO households (code, village, head_name, id_number, members, registered_on)
              VALUES ('H1', 'V1', '黄秀英', '11010519491231002X', 3, '2014-10-01');
         INSERT INTO tasks (code, title, level, village, town, listed_on)
              VALUES ('X1', '出列', 'county', 'V1', 'T1', '2020-03-01');",
    )?;
    Ok(conn)
}

/// Runs `sql` and expects SQLite to refuse it as a constraint violation.
fn refused(conn: &Connection, sql: &str) -> Result<()> {
    match conn.execute_batch(sql) {
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            Ok(())
        }
        Err(other) => bail!("{sql}\nfailed, but not on a constraint: {other}"),
        Ok(()) => bail!("{sql}\nwas accepted"),
    }
}

fn household(values: &str) -> String {
    format!(
        "INSERT INTO households (code, village, head_name, id_number, members, attribute, cause,
                                 registered_on, lifted_on)
         VALUES ({values})"
    )
}

#[test]
fn the_seed_rows_are_valid() -> Result<()> {
    let conn = db()?;
    let n: i64 = conn.query_row("SELECT count(*) FROM households", [], |r| r.get(0))?;
    assert_eq!(n, 1);
    Ok(())
}

#[test]
fn households_need_members_and_ordered_dates() -> Result<()> {
    let conn = db()?;
    let ok = "'H2', 'V1', '李四', '440524188001010014', 1, 'general', NULL, '2014-10-01', NULL";
    conn.execute_batch(&household(ok))?;
    conn.execute_batch("DELETE FROM households WHERE code = 'H2'")?;
    for bad in [
        // members 0 and negative
        "'H2', 'V1', '李四', '440524188001010014', 0, 'general', NULL, '2014-10-01', NULL",
        "'H2', 'V1', '李四', '440524188001010014', -1, 'general', NULL, '2014-10-01', NULL",
        // lifted before registered
        "'H2', 'V1', '李四', '440524188001010014', 1, 'general', NULL, '2014-10-01', '2014-09-30'",
        // dates not in ISO form
        "'H2', 'V1', '李四', '440524188001010014', 1, 'general', NULL, '2014/10/01', NULL",
        "'H2', 'V1', '李四', '440524188001010014', 1, 'general', NULL, '2014-10-01', '2020'",
        // enumerations in Chinese or misspelt are for the parsers, not the file
        "'H2', 'V1', '李四', '440524188001010014', 1, '低保贫困户', NULL, '2014-10-01', NULL",
        "'H2', 'V1', '李四', '440524188001010014', 1, 'general', 'illnes', '2014-10-01', NULL",
        // ID number of the wrong length, and one already heading H1
        "'H2', 'V1', '李四', '4405241880010100', 1, 'general', NULL, '2014-10-01', NULL",
        "'H2', 'V1', '李四', '11010519491231002X', 1, 'general', NULL, '2014-10-01', NULL",
        // a code that is taken, or empty
        "'H1', 'V1', '李四', '440524188001010014', 1, 'general', NULL, '2014-10-01', NULL",
        "'', 'V1', '李四', '440524188001010014', 1, 'general', NULL, '2014-10-01', NULL",
        // empty head name; a village that does not exist
        "'H2', 'V1', '', '440524188001010014', 1, 'general', NULL, '2014-10-01', NULL",
        "'H2', 'V9', '李四', '440524188001010014', 1, 'general', NULL, '2014-10-01', NULL",
    ] {
        refused(&conn, &household(bad))?;
    }
    refused(&conn, "UPDATE households SET members = 0 WHERE code = 'H1'")?;
    refused(
        &conn,
        "UPDATE households SET lifted_on = '2014-01-01' WHERE code = 'H1'",
    )?;
    Ok(())
}

#[test]
fn villages_keep_poor_village_and_dates_together() -> Result<()> {
    let conn = db()?;
    let insert = |cols: &str, values: &str| {
        format!(
            "INSERT INTO villages (code, name, town, {cols}) VALUES ('V2', '石龙村', 'T1', {values})"
        )
    };
    conn.execute_batch(&insert("poor_village", "0"))?;
    conn.execute_batch("DELETE FROM villages WHERE code = 'V2'")?;
    for (cols, values) in [
        // not poor, yet dated
        ("poor_village, registered_on", "0, '2015-12-31'"),
        ("poor_village, lifted_on", "0, '2020-11-30'"),
        // poor without the date it was registered
        ("poor_village", "1"),
        // lifted before registered
        (
            "poor_village, registered_on, lifted_on",
            "1, '2015-12-31', '2015-12-30'",
        ),
        // a flag that is not 0/1, a kind that is not known
        ("poor_village", "2"),
        ("kind", "'city'"),
        ("population", "-1"),
        ("town", "'T9'"),
    ] {
        let sql = if cols == "town" {
            "INSERT INTO villages (code, name, town) VALUES ('V2', '石龙村', 'T9')".to_string()
        } else {
            insert(cols, values)
        };
        refused(&conn, &sql)?;
    }
    refused(
        &conn,
        "UPDATE villages SET poor_village = 0 WHERE code = 'V1'",
    )?;
    Ok(())
}

#[test]
fn posts_are_held_at_exactly_one_place() -> Result<()> {
    let conn = db()?;
    let post = |role: &str, town: &str, village: &str, task: &str| {
        format!(
            "INSERT INTO posts (cadre, role, town, village, task, started_on)
             VALUES ('C1', '{role}', {town}, {village}, {task}, '2018-03-01')"
        )
    };
    conn.execute_batch(&post("first_secretary", "NULL", "'V1'", "NULL"))?;
    conn.execute_batch(&post("commando", "NULL", "NULL", "'X1'"))?;
    conn.execute_batch(&post("info_officer", "'T1'", "NULL", "NULL"))?;
    for sql in [
        post("team_member", "'T1'", "'V1'", "NULL"),
        post("team_member", "NULL", "'V1'", "'X1'"),
        post("team_member", "NULL", "NULL", "NULL"),
        post("commando", "NULL", "'V1'", "NULL"),
        post("team_member", "NULL", "NULL", "'X1'"),
        post("secretary", "NULL", "'V1'", "NULL"),
        post("第一书记", "NULL", "'V1'", "NULL"),
        // the same post again
        post("first_secretary", "NULL", "'V1'", "NULL"),
    ] {
        refused(&conn, &sql)?;
    }
    refused(
        &conn,
        "UPDATE posts SET ended_on = '2018-02-28' WHERE role = 'first_secretary'",
    )?;
    Ok(())
}

#[test]
fn enumerations_counts_and_percentages_are_checked() -> Result<()> {
    let conn = db()?;
    for sql in [
        "INSERT INTO cadres (code, name, gender) VALUES ('C2', 'x', '男')",
        "INSERT INTO cadres (code, name, level) VALUES ('C2', 'x', 'province')",
        "INSERT INTO cadres (code, name) VALUES ('C1', 'x')",
        "INSERT INTO tasks (code, title, level, town, listed_on) VALUES ('X2', 't', 'village', 'T1', '2020-03-01')",
        "INSERT INTO tasks (code, title, level, town, listed_on, due_on) VALUES ('X2', 't', 'town', 'T1', '2020-03-01', '2020-02-01')",
        "INSERT INTO tasks (code, title, level, town, listed_on, done_on) VALUES ('X2', 't', 'town', 'T1', '2020-03-01', '2020-02-01')",
        // Dates compare as text, so a bare year would sort wrongly.
        "INSERT INTO tasks (code, title, level, town, listed_on, due_on) VALUES ('X2', 't', 'town', 'T1', '2020-03-01', '2021')",
        "INSERT INTO tasks (code, title, level, town, listed_on, done_on) VALUES ('X2', 't', 'town', 'T1', '2020-03-01', '2020/12/1')",
        "INSERT INTO posts (cadre, role, village, started_on, ended_on) VALUES ('C1', 'team_member', 'V1', '2020-01-01', '2021')",
        "INSERT INTO dispatches (task, held_on, progress) VALUES ('X1', '2020-04-01', 101)",
        "INSERT INTO dispatches (task, held_on, progress) VALUES ('X1', '2020-04-01', -1)",
        "INSERT INTO dispatches (task, held_on, progress, problems_found) VALUES ('X1', '2020-04-01', 5, -1)",
        "INSERT INTO dispatches (task, held_on, progress) VALUES ('X9', '2020-04-01', 5)",
        "INSERT INTO visits (cadre, visited_on, village, household) VALUES ('C1', '2020-05-01', 'V1', 'H1')",
        "INSERT INTO visits (cadre, visited_on) VALUES ('C1', '2020-05-01')",
        "INSERT INTO promotions (cadre, promoted_on, post) VALUES ('C1', '2021-01-01', '')",
        "INSERT INTO county (id, code, name) VALUES (2, '451123', '富川县')",
        "INSERT INTO audit (at, actor, command, entity, key, action) VALUES ('t', 'a', 'c', 'e', 'k', 'upsert')",
    ] {
        refused(&conn, sql)?;
    }
    conn.execute_batch(
        "INSERT INTO dispatches (task, held_on, progress) VALUES ('X1', '2020-04-01', 100);
         INSERT INTO visits (cadre, visited_on, household) VALUES ('C1', '2020-05-01', 'H1');",
    )?;
    refused(
        &conn,
        "INSERT INTO dispatches (task, held_on, progress) VALUES ('X1', '2020-04-01', 50)",
    )?;
    Ok(())
}

#[test]
fn referenced_rows_cannot_be_deleted_from_under_their_referrers() -> Result<()> {
    let conn = db()?;
    refused(&conn, "DELETE FROM villages WHERE code = 'V1'")?;
    refused(&conn, "DELETE FROM towns WHERE code = 'T1'")?;
    refused(&conn, "DELETE FROM cadres WHERE code = 'C1'")?;
    refused(
        &conn,
        "UPDATE households SET village = 'V9' WHERE code = 'H1'",
    )?;
    Ok(())
}

#[test]
fn date_columns_take_only_iso_dates() -> Result<()> {
    let conn = db()?;
    for bad in [
        "2020-1-5",
        "2020/01/05",
        "2020-13-01",
        "2020-01-32",
        "2020",
        "20200105",
        "2020-01-05 ",
    ] {
        refused(
            &conn,
            &format!("INSERT INTO dispatches (task, held_on, progress) VALUES ('X1', '{bad}', 10)"),
        )?;
    }
    conn.execute_batch(
        "INSERT INTO dispatches (task, held_on, progress) VALUES ('X1', '2020-02-29', 10);
         UPDATE households SET lifted_on = NULL WHERE code = 'H1';",
    )?;
    refused(
        &conn,
        "UPDATE households SET lifted_on = '2019-6-30' WHERE code = 'H1'",
    )?;
    Ok(())
}

/// A table or index as SQLite keeps it: type, name, table, SQL.
type Object = (String, String, String, Option<String>);

/// Every table and index of the file.
fn objects(conn: &Connection) -> Result<Vec<Object>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master
          WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every row of `table`, as text, in rowid order.
fn rows(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))?;
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect::<rusqlite::Result<Vec<_>>>()
                .map(|cells| cells.join("|"))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn foreign_keys(conn: &Connection, table: &str) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id",
    )?;
    let rows = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

const TABLES: [&str; 11] = [
    "county",
    "cadres",
    "zones",
    "towns",
    "villages",
    "households",
    "tasks",
    "posts",
    "dispatches",
    "visits",
    "promotions",
];

#[test]
fn a_version_1_file_migrates_keeping_rows_indexes_and_foreign_keys() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("v1.db");
    let mut conn = Connection::open(&path)?;
    configure(&conn)?;
    migrate_to(&mut conn, 1)?;
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    assert_eq!(v, 1);
    conn.execute_batch(
        "INSERT INTO county (id, code, name) VALUES (1, '451122', '钟山县');
         INSERT INTO cadres (code, name) VALUES ('C1', '张三');
         INSERT INTO towns (code, name) VALUES ('T1', '钟山镇');
         INSERT INTO villages (code, name, town) VALUES ('V1', '龙岩村', 'T1');
         INSERT INTO households (id, code, village, head_name, id_number, members, attribute,
                                 cause, registered_on, lifted_on, helper, phone, note)
              VALUES (7, 'H1', 'V1', '黄秀英', '11010519491231002X', 3, 'low_income', 'illness',
                      '2014-10-01', '2019-12-31', 'C1', '13812345678', '备注'),
                     (9, 'H2', 'V1', '李四', '440524188001010014', 1, 'general', NULL,
                      '2015-12-31', NULL, NULL, NULL, NULL);
         INSERT INTO visits (cadre, visited_on, household) VALUES ('C1', '2020-05-01', 'H1');",
    )?;
    // A version 1 file refuses the later causes.
    refused(
        &conn,
        "UPDATE households SET cause = 'marriage' WHERE code = 'H2'",
    )?;
    let before: Vec<Vec<String>> = TABLES
        .iter()
        .map(|t| rows(&conn, t))
        .collect::<Result<_>>()?;
    drop(conn);

    let mut conn = Connection::open(&path)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    assert_eq!(v, schema_version());
    let after: Vec<Vec<String>> = TABLES
        .iter()
        .map(|t| rows(&conn, t))
        .collect::<Result<_>>()?;
    assert_eq!(after, before, "every row kept, ids included");

    // The same tables, indexes and SQL as a file made new today.
    let mut fresh = Connection::open_in_memory()?;
    configure(&fresh)?;
    migrate(&mut fresh)?;
    assert_eq!(objects(&conn)?, objects(&fresh)?);
    assert!(
        objects(&conn)?
            .iter()
            .any(|(kind, name, _, _)| kind == "index" && name == "households_id_number")
    );
    for table in TABLES {
        assert_eq!(
            foreign_keys(&conn, table)?,
            foreign_keys(&fresh, table)?,
            "{table}"
        );
    }
    assert_eq!(
        foreign_keys(&conn, "visits")?
            .iter()
            .filter(|(t, _, _)| t == "households")
            .count(),
        1
    );

    // Foreign keys are enforced again, across the rebuilt table.
    let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    assert_eq!(fk, 1);
    refused(&conn, "DELETE FROM households WHERE code = 'H1'")?;
    refused(
        &conn,
        "INSERT INTO visits (cadre, visited_on, household) VALUES ('C1', '2020-05-02', 'H9')",
    )?;
    refused(
        &conn,
        "UPDATE households SET village = 'V9' WHERE code = 'H2'",
    )?;
    refused(
        &conn,
        "UPDATE households SET cause = 'wedding' WHERE code = 'H2'",
    )?;
    conn.execute_batch("UPDATE households SET cause = 'marriage' WHERE code = 'H2'")?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    assert_eq!(integrity, "ok");

    // Opening again changes nothing.
    drop(conn);
    let mut conn = Connection::open(&path)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    assert_eq!(objects(&conn)?, objects(&fresh)?);
    Ok(())
}

#[test]
fn a_file_with_broken_references_still_migrates() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate_to(&mut conn, 1)?;
    // As the sqlite3 shell allows with foreign keys off.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.execute_batch(
        "INSERT INTO households (code, village, head_name, id_number, members, registered_on)
              VALUES ('H1', 'V404', '黄秀英', '11010519491231002X', 3, '2014-10-01');",
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&mut conn)?;
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    assert_eq!(v, schema_version());
    assert_eq!(rows(&conn, "households")?.len(), 1);
    Ok(())
}

#[test]
fn every_cause_of_the_model_is_accepted() -> Result<()> {
    let conn = db()?;
    for c in crate::model::CAUSES {
        conn.execute(
            "UPDATE households SET cause = ?1 WHERE code = 'H1'",
            [c.code],
        )?;
    }
    Ok(())
}

fn monitored(values: &str) -> String {
    format!(
        "INSERT INTO monitoring (code, identified_on, village, head_name, id_number, members,
                                 household_type, category, risk1, risk2, risk3,
                                 elimination, eliminated_on)
         VALUES ({values})"
    )
}

#[test]
fn monitoring_keeps_its_rules_in_the_file() -> Result<()> {
    let conn = db()?;
    let id = "'11010519491231002X'";
    conn.execute_batch(&monitored(&format!(
        "'H1', '2022-03-31', 'V1', '黄秀英', {id}, 3, 'lifted', 'edge', 'illness', 'accident', NULL,
         'assisted', '2022-06-30'"
    )))?;
    // Monitored again after the elimination: a new row.
    conn.execute_batch(&monitored(&format!(
        "'H1', '2022-08-31', 'V1', '黄秀英', {id}, 3, 'lifted', 'edge', 'illness', NULL, NULL, NULL, NULL"
    )))?;
    // Never twice at once (two open rows of one household).
    refused(
        &conn,
        &monitored(&format!(
            "'H1', '2022-09-30', 'V1', '黄秀英', {id}, 3, 'lifted', 'edge', 'illness', NULL, NULL, NULL, NULL"
        )),
    )?;
    for bad in [
        // The elimination's date and method together or not at all.
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'illness', NULL, NULL, 'assisted', NULL",
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'illness', NULL, NULL, NULL, '2022-06-30'",
        // Not before the identification.
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'illness', NULL, NULL, 'natural', '2022-02-28'",
        // Categories, types, risks, methods from their lists.
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'poor', 'illness', NULL, NULL, NULL, NULL",
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'farmer', 'edge', 'illness', NULL, NULL, NULL, NULL",
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'lack_of_land', NULL, NULL, NULL, NULL",
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'illness', NULL, NULL, 'forgotten', '2022-06-30'",
        // Risks filled in order, the second not the first again.
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'illness', NULL, 'accident', NULL, NULL",
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'illness', 'illness', NULL, NULL, NULL",
        // Dates, members, the village.
        "'G1', '202203', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'illness', NULL, NULL, NULL, NULL",
        "'G1', '2022-03-31', 'V1', '陈七', {id}, 0, 'ordinary', 'edge', 'illness', NULL, NULL, NULL, NULL",
        "'G1', '2022-03-31', 'V9', '陈七', {id}, 4, 'ordinary', 'edge', 'illness', NULL, NULL, NULL, NULL",
    ] {
        refused(&conn, &monitored(&bad.replace("{id}", id)))?;
    }
    Ok(())
}

#[test]
fn a_version_4_file_takes_monitoring() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate_to(&mut conn, 4)?;
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = 'monitoring'",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(tables, 0);
    migrate_to(&mut conn, 5)?;
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    assert_eq!(v, 5);
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'monitoring' AND type = 'index' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    assert_eq!(
        indexes,
        [
            "monitoring_helper",
            "monitoring_key",
            "monitoring_open",
            "monitoring_village"
        ]
    );
    Ok(())
}

/// A version 5 file with households keeps them, and their figures, on its
/// way to the register's history; its households have no later steps.
#[test]
fn a_version_5_file_with_households_takes_the_history() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate_to(&mut conn, 5)?;
    conn.execute_batch(
        "INSERT INTO towns (code, name) VALUES ('T1', '镇');
         INSERT INTO villages (code, name, town) VALUES ('V1', '村', 'T1');
         INSERT INTO households (code, village, head_name, id_number, members, registered_on, lifted_on)
              VALUES ('H1', 'V1', '张三', '11010519491231002X', 4, '2014-10-01', '2016-12-31'),
                     ('H2', 'V1', '李四', '110105194912310037', 2, '2015-10-01', NULL);",
    )?;
    migrate(&mut conn)?;
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    assert_eq!(v, schema_version());
    let kept: Vec<(String, Option<String>)> = conn
        .prepare("SELECT code, lifted_on FROM households ORDER BY code")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    assert_eq!(
        kept,
        [
            ("H1".to_string(), Some("2016-12-31".to_string())),
            ("H2".to_string(), None)
        ]
    );
    let events: i64 = conn.query_row("SELECT count(*) FROM household_events", [], |r| r.get(0))?;
    assert_eq!(events, 0);
    // A step now refers to its household, and a removal needs its reason.
    conn.execute(
        "INSERT INTO household_events (household, event, date, cause) VALUES ('H1', 'returned', '2017-06-30', 'illness')",
        [],
    )?;
    assert!(conn
        .execute("INSERT INTO household_events (household, event, date) VALUES ('H2', 'removed', '2016-01-01')", [])
        .is_err());
    assert!(conn
        .execute("INSERT INTO household_events (household, event, date, reason) VALUES ('H2', 'removed', '2016-01-01', 'died')", [])
        .is_err());
    conn.execute(
        "INSERT INTO household_events (household, event, date, reason) VALUES ('H2', 'removed', '2016-01-01', 'wrong_identification')",
        [],
    )?;
    Ok(())
}

/// A version 6 file gives up the index on heads' names (version 7); its
/// households are still found by name.
#[test]
fn a_version_6_file_drops_the_head_name_index() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate_to(&mut conn, 6)?;
    let named = |conn: &Connection| -> rusqlite::Result<i64> {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'households_head_name'",
            [],
            |r| r.get(0),
        )
    };
    assert_eq!(named(&conn)?, 1);
    conn.execute_batch(
        "INSERT INTO towns (code, name) VALUES ('T1', '镇');
         INSERT INTO villages (code, name, town) VALUES ('V1', '村', 'T1');
         INSERT INTO households (code, village, head_name, id_number, members, registered_on)
              VALUES ('H1', 'V1', '张三', '11010519491231002X', 4, '2014-10-01');",
    )?;
    migrate(&mut conn)?;
    assert_eq!(named(&conn)?, 0);
    let code: String = conn.query_row(
        "SELECT code FROM households WHERE head_name IN ('张三', '张三')",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(code, "H1");
    Ok(())
}

/// A version 8 file keeps its monitoring records, their ids and indexes,
/// on its way to version 9, which takes a first risk and a method not
/// stated (未注明) and nothing else new.
#[test]
fn a_version_8_file_takes_risks_not_stated() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate_to(&mut conn, 8)?;
    conn.execute_batch(
        "INSERT INTO towns (code, name) VALUES ('T1', '镇');
         INSERT INTO villages (code, name, town) VALUES ('V1', '村', 'T1');",
    )?;
    let id = "'11010519491231002X'";
    conn.execute_batch(&format!(
        "INSERT INTO monitoring (id, code, identified_on, village, head_name, id_number, members,
                                 household_type, category, risk1)
         VALUES (7, 'G1', '2022-03-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'illness')"
    ))?;
    refused(
        &conn,
        &monitored(&format!(
            "'G2', '2022-03-31', 'V1', '陈八', {id}, 4, 'ordinary', 'edge', 'not_stated', NULL, NULL, NULL, NULL"
        )),
    )?;
    migrate(&mut conn)?;
    let kept: (i64, String) = conn.query_row(
        "SELECT id, risk1 FROM monitoring WHERE code = 'G1'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    assert_eq!(kept, (7, "illness".to_string()));
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'monitoring' AND type = 'index' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    assert_eq!(
        indexes,
        [
            "monitoring_helper",
            "monitoring_key",
            "monitoring_open",
            "monitoring_village"
        ]
    );
    conn.execute_batch(&monitored(&format!(
        "'G2', '2022-03-31', 'V1', '陈八', {id}, 4, 'ordinary', 'edge', 'not_stated', NULL, NULL,
         'not_stated', '2022-09-30'"
    )))?;
    for bad in [
        // Not stated is the first risk alone, never a later one.
        "'G3', '2022-03-31', 'V1', '陈九', {id}, 4, 'ordinary', 'edge', 'not_stated', 'illness', NULL, NULL, NULL",
        "'G3', '2022-03-31', 'V1', '陈九', {id}, 4, 'ordinary', 'edge', 'illness', 'not_stated', NULL, NULL, NULL",
        // The open record of G1 is still one at a time.
        "'G1', '2022-05-31', 'V1', '陈七', {id}, 4, 'ordinary', 'edge', 'not_stated', NULL, NULL, NULL, NULL",
    ] {
        refused(&conn, &monitored(&bad.replace("{id}", id)))?;
    }
    Ok(())
}

/// The people who came and went are read by the last of their dates from
/// the partial index, never by a scan of every person (a province has
/// millions), and a version 8 file with people takes the index (version 10).
#[test]
fn people_who_came_and_went_are_found_by_their_last_date() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate_to(&mut conn, 8)?;
    conn.execute_batch(
        "INSERT INTO towns (code, name) VALUES ('T1', '镇');
         INSERT INTO villages (code, name, town) VALUES ('V1', '村', 'T1');
         INSERT INTO households (code, village, head_name, id_number, members, registered_on)
              VALUES ('H1', 'V1', '张三', '11010519491231002X', 2, '2014-10-01');
         INSERT INTO people (code, household, name, id_number, relation, gender, birth_on)
              VALUES ('P1', 'H1', '张三', '11010519491231002X', 'head', 'female', '1949-12-31');
         INSERT INTO people (code, household, name, id_number, relation, gender, birth_on,
                             joined_on, joined_reason)
              VALUES ('P2', 'H1', '张四', '110105201801010011', 'son', 'male', '2018-01-01',
                      '2018-01-01', 'born');",
    )?;
    migrate(&mut conn)?;
    let sql = "SELECT h.id, p.joined_on, p.left_on FROM people p
                 JOIN households h ON h.code = p.household
                WHERE (p.joined_on IS NOT NULL OR p.left_on IS NOT NULL)
                  AND max(ifnull(p.joined_on, ''), ifnull(p.left_on, '')) > ?1";
    let plan: Vec<String> = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?
        .query_map(["2017-12-31"], |r| r.get(3))?
        .collect::<rusqlite::Result<_>>()?;
    assert!(
        plan.iter()
            .any(|p| p.contains("COVERING INDEX people_changes (<expr>>?)")),
        "{plan:?}"
    );
    let count = |since: &str| -> rusqlite::Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM ({sql})"), [since], |r| {
            r.get(0)
        })
    };
    assert_eq!((count("2017-12-31")?, count("2018-01-01")?), (1, 0));
    Ok(())
}

/// Each event keeps its household's rowid: filled in for the events of a
/// version 10 file, by every insert after it, and cleared when the
/// household it named is gone; reports read it instead of the code.
#[test]
fn an_event_keeps_its_households_rowid() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate_to(&mut conn, 10)?;
    conn.execute_batch(
        "INSERT INTO towns (code, name) VALUES ('T1', '镇');
         INSERT INTO villages (code, name, town) VALUES ('V1', '村', 'T1');
         INSERT INTO households (id, code, village, head_name, id_number, members, registered_on, lifted_on)
              VALUES (7, 'H1', 'V1', '张三', '11010519491231002X', 4, '2014-10-01', '2016-12-31'),
                     (9, 'H2', 'V1', '李四', '110105194912310037', 2, '2015-10-01', '2016-12-31');
         INSERT INTO household_events (household, event, date, cause)
              VALUES ('H1', 'returned', '2017-06-30', 'illness');",
    )?;
    migrate(&mut conn)?;
    let ids = |conn: &Connection| -> Result<Vec<(String, Option<i64>)>> {
        Ok(conn
            .prepare("SELECT household, household_id FROM household_events ORDER BY household")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    };
    assert_eq!(ids(&conn)?, [("H1".to_string(), Some(7))]);
    conn.execute(
        "INSERT INTO household_events (household, event, date, cause) VALUES ('H2', 'returned', '2018-01-31', 'illness')",
        [],
    )?;
    assert_eq!(
        ids(&conn)?,
        [("H1".to_string(), Some(7)), ("H2".to_string(), Some(9))]
    );
    let steps = crate::register::Steps::load(&conn)?;
    assert!(steps.of(7).is_some() && steps.of(9).is_some() && steps.of(8).is_none());
    // With the foreign keys off (as a migration runs), a household may go
    // from under its events: their copy goes with it, and a household
    // coming back under the code gets them again through the code.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.execute("DELETE FROM households WHERE code = 'H2'", [])?;
    assert_eq!(
        ids(&conn)?,
        [("H1".to_string(), Some(7)), ("H2".to_string(), None)]
    );
    conn.execute(
        "INSERT INTO households (id, code, village, head_name, id_number, members, registered_on, lifted_on)
         VALUES (12, 'H2', 'V1', '李四', '110105194912310037', 2, '2015-10-01', '2016-12-31')",
        [],
    )?;
    let steps = crate::register::Steps::load(&conn)?;
    assert!(steps.of(12).is_some() && steps.of(9).is_none());
    conn.execute("UPDATE households SET id = 20 WHERE code = 'H1'", [])?;
    assert_eq!(ids(&conn)?[0], ("H1".to_string(), Some(20)));
    Ok(())
}
