//! The clerk's commands: add, list, show, update, remove, lift, done, posts,
//! dispatches, visits, promotions and the audit log.

use crate::common::TestEnv;

/// A county with one zone, town, village and cadre to hang records on.
fn seeded() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&[
        "cadre", "add", "--code", "GB1", "--name", "张三", "--level", "县级",
    ]);
    env.ok(&[
        "zone",
        "add",
        "--code",
        "ZQ01",
        "--name",
        "钟山镇作战区",
        "--commander",
        "GB1",
    ]);
    env.ok(&[
        "town",
        "add",
        "--code",
        "451122100",
        "--name",
        "钟山镇",
        "--zone",
        "ZQ01",
    ]);
    env.ok(&[
        "village",
        "add",
        "--code",
        "451122100201",
        "--name",
        "龙岩村",
        "--town",
        "钟山镇",
        "--poor-village",
        "是",
        "--registered-on",
        "2015",
        "--population",
        "1200",
    ]);
    env
}

#[test]
fn every_command_refuses_a_missing_database_with_a_hint() {
    let env = TestEnv::empty();
    let err = env.fails(&["household", "list"], 1);
    assert!(err.contains("init"), "{err}");
    assert!(!env.db().exists(), "no file may be created");
}

#[test]
fn household_add_reads_dates_and_digits_as_typed() {
    let env = seeded();
    env.ok(&[
        "household",
        "add",
        "--code",
        "H1",
        "--village",
        "龙岩村",
        "--head-name",
        "O'Brien",
        "--id-number",
        "11010519491231002x",
        "--members",
        "３",
        "--registered-on",
        "2014年3月5日",
        "--cause",
        "因病",
    ]);
    let rows = env.sql(
        "SELECT code, village, head_name, id_number, members, registered_on, cause FROM households",
    );
    assert_eq!(
        rows,
        [[
            "H1",
            "451122100201",
            "O'Brien",
            "11010519491231002X",
            "3",
            "2014-03-05",
            "illness"
        ]]
    );
}

#[test]
fn bad_id_number_is_refused_with_the_right_check_digit() {
    let env = seeded();
    let before = env.snapshot();
    let err = env.fails(
        &[
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            "451122100201",
            "--head-name",
            "李四",
            "--id-number",
            "110105194912310021",
            "--members",
            "2",
            "--registered-on",
            "2014",
        ],
        1,
    );
    assert!(
        err.contains("--id-number: check digit should be X"),
        "{err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM households"), 0);
    assert_eq!(before, env.snapshot());
}
