//! A file made by an older fupin opens with this one and is brought up to
//! date, keeping every record.

use crate::common::TestEnv;
use crate::fixtures::id;

/// The first step of the schema history: what every file had at version 1.
fn version_1() -> &'static str {
    let schema = fupin::db::SCHEMA;
    let end = schema.find("\n-- @version 2:").unwrap_or(schema.len());
    &schema[..end]
}

#[test]
fn a_version_1_file_is_migrated_on_open_and_takes_the_later_causes() {
    let env = TestEnv::empty();
    {
        let conn = rusqlite::Connection::open(env.db()).expect("create");
        conn.execute_batch(version_1()).expect("version 1");
        conn.execute_batch(&format!(
            "PRAGMA application_id = {};
             PRAGMA user_version = 1;
             INSERT INTO county (id, code, name) VALUES (1, '451122', '钟山县');
             INSERT INTO cadres (code, name) VALUES ('GB1', '张三');
             INSERT INTO towns (code, name) VALUES ('T1', '钟山镇');
             INSERT INTO villages (code, name, town, poor_village, registered_on)
                  VALUES ('V1', '龙岩村', 'T1', 1, '2015-12-31');
             INSERT INTO households (code, village, head_name, id_number, members, cause,
                                     registered_on, helper, phone)
                  VALUES ('H1', 'V1', '黄秀英', '{}', 3, 'illness', '2014-10-01', 'GB1',
                          '07748981234'),
                         ('H2', 'V1', '李四', '{}', 1, NULL, '2015-10-01', NULL, NULL);
             INSERT INTO visits (cadre, visited_on, household) VALUES ('GB1', '2020-05-01', 'H1');",
            0x4655_5049,
            id(1),
            id(2)
        ))
        .expect("records");
    }
    env.ok(&["household", "update", "H2", "--cause", "因婚"]);
    assert_eq!(
        env.count("PRAGMA user_version"),
        fupin::db::schema_version()
    );
    assert_eq!(
        env.sql(
            "SELECT code, ifnull(cause, ''), ifnull(helper, ''), ifnull(phone, '')
               FROM households ORDER BY code"
        ),
        [
            ["H1", "illness", "GB1", "07748981234"],
            ["H2", "marriage", "", ""]
        ]
    );
    assert_eq!(
        env.sql("SELECT cadre, household FROM visits"),
        [["GB1", "H1"]]
    );
    // The rebuilt table keeps its indexes and is still referred to.
    assert_eq!(
        env.sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'households'
              ORDER BY name"
        ),
        [
            ["households_code"],
            ["households_helper"],
            ["households_id_number"],
            ["households_status"]
        ]
    );
    let err = env.refused(&["household", "remove", "H1"], 1);
    assert!(err.contains("visit"), "{err}");
    env.ok(&["check"]);
    // A phone stored before phones were checked is still masked in lists.
    let listed = env.json(&["household", "list"]);
    assert_eq!(listed[0]["phone"], "077****1234");
}

#[test]
fn a_version_1_file_takes_monitored_households_after_its_migration() {
    let env = TestEnv::empty();
    {
        let conn = rusqlite::Connection::open(env.db()).expect("create");
        conn.execute_batch(version_1()).expect("version 1");
        conn.execute_batch(&format!(
            "PRAGMA application_id = {};
             PRAGMA user_version = 1;
             INSERT INTO county (id, code, name) VALUES (1, '451122', '钟山县');
             INSERT INTO towns (code, name) VALUES ('451122100', '钟山镇');
             INSERT INTO villages (code, name, town) VALUES ('451122100201', '龙岩村', '451122100');
             INSERT INTO households (code, village, head_name, id_number, members, registered_on, lifted_on)
                  VALUES ('H1', '451122100201', '黄秀英', '{}', 3, '2014-10-01', '2019-12-31');",
            0x4655_5049,
            id(1),
        ))
        .expect("records");
    }
    env.ok(&[
        "monitor",
        "add",
        "--code",
        "H1",
        "--identified-on",
        "202203",
        "--category",
        "edge",
        "--risk1",
        "因病",
    ]);
    assert_eq!(
        env.count("PRAGMA user_version"),
        fupin::db::schema_version()
    );
    assert_eq!(
        env.sql("SELECT code, village, head_name, members FROM monitoring"),
        [["H1", "451122100201", "黄秀英", "3"]]
    );
}
