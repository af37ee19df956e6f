//! The people of each household: the person record, the head kept in step
//! with the household, person-level files of the national register, and
//! what `check` finds among people.

use crate::common::TestEnv;
use crate::county::{self, id};

fn ready() -> TestEnv {
    let env = TestEnv::new();
    county::places(&env);
    env
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out.trim()).expect("json")
}

fn people(env: &TestEnv) -> Vec<Vec<String>> {
    env.sql(
        "SELECT code, household, name, id_number, relation, gender, birth_on,
                ifnull(schooling, ''), ifnull(work_months, '')
           FROM people ORDER BY code",
    )
}

fn households(env: &TestEnv) -> Vec<Vec<String>> {
    env.sql(
        "SELECT code, village, head_name, id_number, members, attribute, ifnull(cause, ''),
                registered_on, ifnull(lifted_on, ''), ifnull(phone, '')
           FROM households ORDER BY code",
    )
}

const HEAD_1: &str = "45112219780101001";
const SPOUSE_1: &str = "45112219800202002";
const SON_1: &str = "45112220100505003";
const HEAD_2: &str = "45112219600101005";

/// The 2017 person-level export: every member on a row of their own, the
/// household columns repeated, the head not first, no 人编号 filled in.
fn register_export() -> String {
    format!(
        "县(市、区、旗),乡(镇),行政村,户编号,人编号,姓名,性别,证件号码,人数,与户主关系,民族,文化程度,在校生状况,健康状况,\"劳动能力\n劳动技能\",务工状况,务工时间（月）,脱贫属性,贫困户属性,主要致贫原因,识别时间,脱贫时间,户联系电话\n\
         钟山县,钟山镇,新村,H1,,李芳,女,{},3,配偶,汉族,初中,非在校生,健康,普通劳动力,县外省内务工,8,已脱贫,一般贫困户,因病致贫,2015,2018,13812345678\n\
         钟山县,钟山镇,新村,H1,,张伟,男,{},3,户主,汉族,小学,非在校生,健康,普通劳动力,乡(镇)内务工,10,已脱贫,一般贫困户,因病致贫,2015,2018,13812345678\n\
         钟山县,钟山镇,新村,H1,,张小明,男,{},3,之子,汉族,小学,五年级,健康,无劳动力,,,已脱贫,一般贫困户,因病致贫,2015,2018,13812345678\n\
         钟山县,回龙镇,新村,H2,,王五,男,{},1,户主,壮族,文盲,非在校生,长期慢性病,丧失劳动力,,,未脱贫,低保贫困户,因病,2016,,\n",
        id(SPOUSE_1),
        id(HEAD_1),
        id(SON_1),
        id(HEAD_2),
    )
}

#[test]
fn a_register_export_loads_households_and_people_together() {
    let env = ready();
    env.write("花名册.csv", register_export());
    let out = json(&env.ok(&["import", "花名册.csv", "--format", "json"]));
    let files = out["files"].as_array().unwrap();
    assert_eq!(
        (files[0]["entity"].as_str(), files[0]["inserted"].as_u64()),
        (Some("household"), Some(2))
    );
    assert_eq!(
        (files[1]["entity"].as_str(), files[1]["inserted"].as_u64()),
        (Some("person"), Some(4))
    );
    assert_eq!(files[0]["not_kept"], serde_json::json!(["县(市、区、旗)"]));
    // The household from its head's row, though the head is not first.
    assert_eq!(
        households(&env),
        [
            [
                "H1",
                "451122100201",
                "张伟",
                &id(HEAD_1),
                "3",
                "general",
                "illness",
                "2015-12-31",
                "2018-12-31",
                "13812345678"
            ],
            [
                "H2",
                "451122101201",
                "王五",
                &id(HEAD_2),
                "1",
                "low_income",
                "illness",
                "2016-12-31",
                "",
                ""
            ]
        ]
    );
    // Numbered after the household, the head 01, the others in file order.
    assert_eq!(
        people(&env),
        [
            [
                "H101",
                "H1",
                "张伟",
                &id(HEAD_1),
                "head",
                "male",
                "1978-01-01",
                "非在校生",
                "10"
            ],
            [
                "H102",
                "H1",
                "李芳",
                &id(SPOUSE_1),
                "spouse",
                "female",
                "1980-02-02",
                "非在校生",
                "8"
            ],
            [
                "H103",
                "H1",
                "张小明",
                &id(SON_1),
                "son",
                "male",
                "2010-05-05",
                "五年级",
                ""
            ],
            [
                "H201",
                "H2",
                "王五",
                &id(HEAD_2),
                "head",
                "male",
                "1960-01-01",
                "非在校生",
                ""
            ]
        ]
    );
    // The same file again: people matched by ID number, nothing changes.
    let before = env.snapshot();
    let again = json(&env.ok(&["import", "花名册.csv", "--format", "json"]));
    assert_eq!(again["unchanged"], 6, "{again}");
    assert_eq!(env.snapshot(), before);
    env.ok(&["check"]);
}

#[test]
fn the_register_in_gbk_with_its_own_person_codes() {
    let env = ready();
    let text = register_export()
        .replace(",H1,,李芳", ",H1,P-A,李芳")
        .replace(",H1,,张伟", ",H1,P-B,张伟")
        .replace(",H1,,张小明", ",H1,P-C,张小明")
        .replace(",H2,,王五", ",H2,P-D,王五");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    env.write("register.csv", &gbk);
    env.ok(&["import", "register.csv"]);
    let codes: Vec<(String, String)> = people(&env)
        .into_iter()
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect();
    assert_eq!(
        codes,
        [
            ("P-A".to_string(), "李芳".to_string()),
            ("P-B".to_string(), "张伟".to_string()),
            ("P-C".to_string(), "张小明".to_string()),
            ("P-D".to_string(), "王五".to_string())
        ]
    );
}

#[test]
fn a_household_without_one_head_or_with_disagreeing_rows_is_refused_by_its_lines() {
    let env = ready();
    let before = env.snapshot();
    let no_head = register_export().replace(",3,户主,", ",3,兄弟姐妹,");
    env.write("register.csv", &no_head);
    let err = env.fails(&["import", "register.csv"], 1);
    assert!(
        err.contains("register.csv:3: household H1 has no 户主 (head) row (lines 3, 4, 5)"),
        "{err}"
    );
    let two_heads = register_export().replace(",3,配偶,", ",3,户主,");
    env.write("register.csv", &two_heads);
    let err = env.fails(&["import", "register.csv"], 1);
    assert!(
        err.contains("register.csv:4: household H1 has 2 户主 (head) rows (lines 3, 4)"),
        "{err}"
    );
    let disagreeing = register_export().replace(
        ",3,之子,汉族,小学,五年级,健康,无劳动力,,,已脱贫,一般贫困户",
        ",4,之子,汉族,小学,五年级,健康,无劳动力,,,已脱贫,一般贫困户",
    );
    env.write("register.csv", &disagreeing);
    let err = env.fails(&["import", "register.csv"], 1);
    assert!(
        err.contains(
            r#"register.csv:5: members: "4" here but "3" on line 3, in the same household H1"#
        ),
        "{err}"
    );
    let err = env.fails(&["--lang", "zh", "import", "register.csv"], 1);
    assert!(
        err.contains("register.csv:5: 人数：本行为“4”，第 3 行为“3”"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
    // Set aside, the household's rows go whole to the rejects file.
    env.fails(&["import", "register.csv", "--skip-invalid"], 3);
    let rejects = std::fs::read_to_string(env.path("register.rejects.csv")).unwrap();
    assert_eq!(
        rejects.lines().filter(|l| l.contains(",H1,")).count(),
        3,
        "{rejects}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM people WHERE household = 'H1'"),
        0
    );
    assert_eq!(
        env.count("SELECT count(*) FROM people WHERE household = 'H2'"),
        1
    );
}

/// The 2022 已脱贫人口名单 layout: a status word, no dates at all.
fn lifted_list() -> String {
    format!(
        "乡(镇),行政村,户编号,姓名,证件号码,人数,与户主关系,户类型\n\
         钟山镇,新村,H1,张伟,{},2,户主,脱贫户\n\
         钟山镇,新村,H1,李芳,{},2,配偶,脱贫户\n",
        id(HEAD_1),
        id(SPOUSE_1)
    )
}

#[test]
fn rows_without_dates_need_the_dates_given_for_the_whole_file() {
    let env = ready();
    env.write("已脱贫人口名单.csv", lifted_list());
    let before = env.snapshot();
    let err = env.fails(&["import", "已脱贫人口名单.csv"], 1);
    assert!(
        err.contains("registered_on: required column is missing")
            && err.contains("--registered-on"),
        "{err}"
    );
    let err = env.fails(
        &["import", "已脱贫人口名单.csv", "--registered-on", "2014"],
        1,
    );
    assert!(
        err.contains("lifted: says lifted (已脱贫) but no lift date is given")
            && err.contains("--lifted-on"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
    let out = json(&env.ok(&[
        "import",
        "已脱贫人口名单.csv",
        "--registered-on",
        "2014",
        "--lifted-on",
        "2019年12月31日",
        "--format",
        "json",
    ]));
    assert_eq!(out["files"][0]["registered_on_default"], 1, "{out}");
    assert_eq!(out["files"][0]["lifted_on_default"], 1, "{out}");
    assert_eq!(
        env.sql("SELECT registered_on, lifted_on FROM households"),
        [["2014-12-31", "2019-12-31"]]
    );
    let audit = env.sql("SELECT new FROM audit WHERE entity = 'household' AND key = '*'");
    let audit: serde_json::Value = serde_json::from_str(&audit[0][0]).unwrap();
    assert_eq!(
        audit["defaults"],
        serde_json::json!({"registered_on": "2014-12-31", "lifted_on": "2019-12-31"})
    );
}

/// A county with household H1 (head 张伟) and its two people.
fn with_household() -> TestEnv {
    let env = ready();
    env.write("花名册.csv", register_export());
    env.ok(&["import", "花名册.csv", "--quiet"]);
    env
}

#[test]
fn the_clerk_adds_and_changes_people_with_the_head_in_step() {
    let env = with_household();
    // A newborn: numbered after the household, gender from the ID number.
    env.ok(&[
        "person",
        "add",
        "--household",
        "H1",
        "--name",
        "张小红",
        "--id-number",
        &id("45112220200101004"),
        "--relation",
        "之女",
    ]);
    assert_eq!(
        env.sql("SELECT code, gender, birth_on FROM people WHERE name = '张小红'"),
        [["H104", "female", "2020-01-01"]]
    );
    let err = env.fails(
        &[
            "person",
            "add",
            "--household",
            "H1",
            "--name",
            "张大",
            "--id-number",
            &id("45112219500101003"),
            "--relation",
            "父亲",
            "--gender",
            "女",
        ],
        1,
    );
    assert!(
        err.contains("--gender: the ID number 451122********"),
        "{err}"
    );
    assert!(err.contains("says the gender is male"), "{err}");
    // A second head, or a head that is not the household's, is refused.
    let before = env.snapshot();
    let err = env.fails(
        &[
            "person",
            "add",
            "--household",
            "H2",
            "--name",
            "王六",
            "--id-number",
            &id("45112219620101005"),
            "--relation",
            "户主",
        ],
        1,
    );
    assert!(err.contains("household H2's head is 王五"), "{err}");
    assert!(
        err.contains("household H2 already has a head, H201"),
        "{err}"
    );
    let err = env.fails(&["person", "remove", "H101"], 1);
    assert!(
        err.contains("H101 is the head of household H1, which has 3 other people"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
    // The head moves in one command; the household follows.
    env.ok(&["household", "update", "H1", "--head", "李芳"]);
    assert_eq!(
        env.sql("SELECT code, relation FROM people WHERE household = 'H1' ORDER BY code"),
        [
            ["H101", "other"],
            ["H102", "head"],
            ["H103", "son"],
            ["H104", "daughter"]
        ]
    );
    assert_eq!(
        env.sql("SELECT head_name, id_number FROM households WHERE code = 'H1'"),
        [["李芳".to_string(), id(SPOUSE_1)]]
    );
    assert_eq!(
        env.sql(
            "SELECT entity, key, command FROM audit WHERE command = 'household update' ORDER BY id"
        ),
        [
            ["person", "H101", "household update"],
            ["person", "H102", "household update"],
            ["household", "H1", "household update"]
        ]
    );
    // Correcting the head's name on the household corrects the person.
    env.ok(&["household", "update", "H1", "--head-name", "李芳芳"]);
    // 人数 is the household's own figure: check holds it to the people.
    let out = env.run(&["check"]);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("household H1: 3 members recorded, 4 people listed")
    );
    env.ok(&["household", "update", "H1", "--members", "4"]);
    assert_eq!(
        env.sql("SELECT name FROM people WHERE code = 'H102'"),
        [["李芳芳"]]
    );
    env.ok(&["check"]);
    // The household shows its people, IDs masked.
    let show = env.ok(&["household", "show", "H1"]);
    assert!(
        show.contains("People (4)") && show.contains("451122********"),
        "{show}"
    );
    assert!(!show.contains(&id(SON_1)), "{show}");
    let show = json(&env.ok(&["household", "show", "H1", "--format", "json", "--show-id"]));
    assert_eq!(show["people"][2]["id_number"], id(SON_1));
}

#[test]
fn check_finds_what_is_wrong_among_people() {
    let env = with_household();
    env.ok(&["check"]);
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             -- One person in two households: H2's head is also in H1.
             DELETE FROM people WHERE code = 'H201';
             INSERT INTO people (code, household, name, id_number, relation, gender, birth_on)
                  VALUES ('H104', 'H1', '王五', '{head2}', 'other', 'male', '1960-01-01');
             -- The son is out of school at 13, and older than his father.
             UPDATE people SET schooling = '辍学' WHERE code = 'H103';
             UPDATE people SET id_number = '{older}', birth_on = '1970-01-01' WHERE code = 'H102';
             UPDATE people SET relation = 'son' WHERE code = 'H102';",
            head2 = id(HEAD_2),
            older = id("45112219700101002"),
        ))
        .unwrap();
    }
    let out = env.run(&["check", "--as-of", "2023-06-30"]);
    assert_eq!(out.status.code(), Some(1));
    let found = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "household H1 person H104: ID number 451122********",
        "also heads household H2",
        "household H1: 3 members recorded, 4 people listed",
        "household H1 person H103: a child of school age (born 2010-05-05) is out of school (辍学) on 2023-06-30",
        "household H1 person H102: as son, born 1970-01-01 is older than the head H101 (born 1978-01-01)",
    ] {
        assert!(found.contains(expected), "{expected}\n{found}");
    }
    assert!(!found.contains(&id(HEAD_2)), "{found}");
    // At 16 he is past school age.
    let out = env.run(&["check", "--as-of", "2026-06-30"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("out of school"));
    // A head whose household says otherwise, and a household without one.
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch(&format!(
            "UPDATE households SET head_name = '张卫' WHERE code = 'H1';
             INSERT INTO people (code, household, name, id_number, relation, gender, birth_on)
                  VALUES ('H202', 'H2', '王小', '{son2}', 'son', 'male', '1990-01-01');",
            son2 = id("45112219900101001"),
        ))
        .unwrap();
    }
    let out = env.run(&["check"]);
    let found = String::from_utf8_lossy(&out.stdout);
    assert!(
        found.contains("household H1: its head is 张卫 (451122********")
            && found.contains("but its head person H101 is 张伟"),
        "{found}"
    );
    assert!(
        found.contains("household H2: its people have no head (户主)"),
        "{found}"
    );
}

#[test]
fn people_export_and_import_back_byte_for_byte() {
    let env = with_household();
    for lang in ["en", "zh"] {
        let out = env.ok(&["--lang", lang, "export", "people"]);
        let other = TestEnv::new();
        county::places(&other);
        other.write("h.csv", env.ok(&["export", "households"]));
        other.ok(&["import", "households", "h.csv", "--quiet"]);
        other.write("p.csv", &out);
        other.ok(&["--lang", lang, "import", "people", "p.csv", "--quiet"]);
        assert_eq!(
            other.ok(&["--lang", lang, "export", "people"]),
            out,
            "{lang}"
        );
    }
}

/// The 2022 已脱贫人口名单 with its monitoring columns: H1 monitored and
/// eliminated, H2 not monitored (否), H3 monitored since May 2022.
fn list_2022(h1: &str, h1_spouse: &str) -> String {
    format!(
        "乡(镇),行政村,户编号,姓名,证件号码,人数,与户主关系,户类型,易返贫致贫户(监测对象)类型,风险是否消除,风险识别时间,风险消除时间\n\
         钟山镇,新村,H1,张伟,{},2,户主,脱贫户,{h1}\n\
         钟山镇,新村,H1,李芳,{},2,配偶,脱贫户,{h1_spouse}\n\
         钟山镇,新村,H2,王五,{},1,户主,脱贫户,否,,,\n\
         钟山镇,新村,H3,赵六,{},1,户主,脱贫户,边缘易致贫户,否,202205,\n",
        id(HEAD_1),
        id(SPOUSE_1),
        id(HEAD_2),
        id("45112219550505006"),
    )
}

const H1_ELIMINATED: &str = "脱贫不稳定户,是,202103,2021-09-30";

fn import_2022(env: &TestEnv) -> serde_json::Value {
    json(&env.ok(&[
        "import",
        "已脱贫人口名单.csv",
        "--registered-on",
        "2014",
        "--lifted-on",
        "2019",
        "--format",
        "json",
    ]))
}

fn monitoring(env: &TestEnv) -> Vec<Vec<String>> {
    env.sql(
        "SELECT code, category, identified_on, ifnull(eliminated_on, ''), risk1,
                ifnull(elimination, ''), household_type, head_name, members
           FROM monitoring ORDER BY code, identified_on",
    )
}

/// The 2022 list's monitoring columns make the households' monitoring
/// records, with what the list says and its risk and method not stated
/// (未注明); the 信息表 export with 市区旗, 社、组, 家庭成员数 and its health
/// and water columns loads as sent, the columns fupin does not keep listed
/// as `not_kept`.
#[test]
fn the_2022_list_and_the_information_table_load_as_sent() {
    let env = ready();
    env.write(
        "已脱贫人口名单.csv",
        list_2022(H1_ELIMINATED, H1_ELIMINATED),
    );
    let out = import_2022(&env);
    let not_kept = out["files"][0]["not_kept"].to_string();
    for column in [
        "易返贫致贫户(监测对象)类型",
        "风险是否消除",
        "风险识别时间",
        "风险消除时间",
    ] {
        assert!(!not_kept.contains(column), "{column}: {out}");
    }
    assert_eq!(
        out["files"][0]["monitoring"],
        serde_json::json!({"inserted": 2, "updated": 0, "unchanged": 0}),
        "{out}"
    );
    assert_eq!(env.count("SELECT count(*) FROM people"), 4);
    assert_eq!(
        monitoring(&env),
        [
            [
                "H1",
                "unstable_lifted",
                "2021-03-31",
                "2021-09-30",
                "not_stated",
                "not_stated",
                "lifted",
                "张伟",
                "2"
            ],
            [
                "H3",
                "edge",
                "2022-05-31",
                "",
                "not_stated",
                "",
                "lifted",
                "赵六",
                "1"
            ]
        ]
    );
    // Imported again: nothing changes, the records counted unchanged.
    let again = import_2022(&env);
    assert_eq!(
        again["files"][0]["monitoring"],
        serde_json::json!({"inserted": 0, "updated": 0, "unchanged": 2}),
        "{again}"
    );
    for f in again["files"].as_array().unwrap() {
        assert_eq!(
            (f["inserted"].as_i64(), f["updated"].as_i64()),
            (Some(0), Some(0)),
            "{again}"
        );
    }
    assert_eq!(env.count("SELECT count(*) FROM monitoring"), 2);
    // The township is asked to complete them, and sees them as 未注明.
    let out = env.run(&[
        "check", "--rule", "G01", "--year", "2022", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["rules"][0]["count"], 2, "{v}");
    let found = v["rules"][0].to_string();
    assert!(
        found.contains("eliminated 2021-09-30, method not stated"),
        "{found}"
    );
    assert!(!found.contains(&id(HEAD_1)), "masked: {found}");
    let list = env.ok(&["--lang", "zh", "monitor", "list", "--wide"]);
    assert!(list.contains("未注明"), "{list}");
    // Completed by the township, the rule passes over it.
    env.ok(&["monitor", "update", "H3", "--risk1", "因病"]);
    let out = env.run(&[
        "check", "--rule", "G01", "--year", "2022", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["rules"][0]["count"], 1, "{v}");

    let env = ready();
    env.write(
        "信息表.csv",
        format!(
            "市区旗,乡(镇),行政村,社、组,户编号,人编号,姓名,证件号码,与户主关系,家庭成员数,参加大病医疗,饮水安全,饮水困难,识别时间\n\
             贺州市,钟山镇,新村,一组,H1,H101,张伟,{},户主,2,是,是,否,2014\n\
             贺州市,钟山镇,新村,一组,H1,H102,李芳,{},配偶,2,是,是,否,2014\n",
            id(HEAD_1),
            id(SPOUSE_1)
        ),
    );
    let out = json(&env.ok(&["import", "信息表.csv", "--format", "json"]));
    let not_kept = out["files"][0]["not_kept"].to_string();
    // 饮水安全 is a value of a year the file does not give: named, with
    // what to do; 参加大病医疗 is the people's own, kept.
    for column in ["市区旗", "社、组", "饮水安全", "饮水困难"] {
        assert!(not_kept.contains(column), "{column}: {out}");
    }
    assert!(!not_kept.contains("参加大病医疗"), "{out}");
    assert!(out["files"][0]["warnings"].to_string().contains("--year"));
    assert_eq!(
        env.sql("SELECT serious_illness_insurance FROM people ORDER BY code"),
        [["1"], ["1"]]
    );
    assert_eq!(
        env.sql("SELECT code, members FROM households"),
        [["H1", "2"]]
    );
}

/// A household already monitored is updated with what the list says (its
/// elimination), never monitored twice; its own risk stays.
#[test]
fn the_2022_list_updates_a_household_already_monitored() {
    let env = ready();
    env.write("已脱贫人口名单.csv", list_2022(",,,", ",,,"));
    import_2022(&env);
    assert_eq!(
        env.count("SELECT count(*) FROM monitoring WHERE code = 'H1'"),
        0
    );
    env.ok(&[
        "monitor",
        "add",
        "--code",
        "H1",
        "--identified-on",
        "202104",
        "--category",
        "脱贫不稳定户",
        "--risk1",
        "因病",
    ]);
    env.write(
        "已脱贫人口名单.csv",
        list_2022(H1_ELIMINATED, H1_ELIMINATED),
    );
    let out = import_2022(&env);
    assert_eq!(
        out["files"][0]["monitoring"],
        // H1 updated; H3, monitored since the first import, unchanged.
        serde_json::json!({"inserted": 0, "updated": 1, "unchanged": 1}),
        "{out}"
    );
    assert_eq!(
        monitoring(&env)[0],
        [
            "H1",
            "unstable_lifted",
            "2021-04-30",
            "2021-09-30",
            "illness",
            "not_stated",
            "lifted",
            "张伟",
            "2"
        ]
    );
    assert_eq!(
        env.count("SELECT count(*) FROM monitoring WHERE code = 'H1'"),
        1
    );
    // A method the township gave is kept too.
    env.ok(&["monitor", "update", "H1", "--elimination", "帮扶消除"]);
    let again = import_2022(&env);
    assert_eq!(
        again["files"][0]["monitoring"],
        serde_json::json!({"inserted": 0, "updated": 0, "unchanged": 2}),
        "{again}"
    );
    assert_eq!(
        env.sql("SELECT risk1, elimination FROM monitoring WHERE code = 'H1'"),
        [["illness", "assisted"]]
    );
}

/// The rows of a household must agree on its monitoring, and a list that
/// says eliminated (是) must say when: refused, naming the lines and the
/// columns, nothing written.
#[test]
fn the_2022_list_is_refused_when_its_monitoring_disagrees_or_lacks_a_date() {
    let env = ready();
    let before = env.snapshot();
    env.write(
        "已脱贫人口名单.csv",
        list_2022(H1_ELIMINATED, "边缘易致贫户,是,202103,2021-09-30"),
    );
    let args = [
        "import",
        "已脱贫人口名单.csv",
        "--registered-on",
        "2014",
        "--lifted-on",
        "2019",
    ];
    let err = env.fails(&args, 1);
    assert!(
        err.contains("已脱贫人口名单.csv:3: category: edge here but unstable_lifted on line 2 of the same household H1"),
        "{err}"
    );
    assert!(env.snapshot() == before, "nothing written");
    let no_date = "脱贫不稳定户,是,202103,";
    env.write("已脱贫人口名单.csv", list_2022(no_date, no_date));
    let err = env.fails(&args, 1);
    assert!(
        err.contains("已脱贫人口名单.csv:2: 风险是否消除: says eliminated (是) but no 风险消除时间 is given (household H1)"),
        "{err}"
    );
    assert!(env.snapshot() == before, "nothing written");
    let mut zh = vec!["--lang", "zh"];
    zh.extend(args);
    let err = env.fails(&zh, 1);
    assert!(
        err.contains("风险是否消除：标为已消除，但没有风险消除时间（户编号 H1）"),
        "{err}"
    );
    assert!(env.snapshot() == before, "nothing written");
    // A month of monitoring for a household the list does not call
    // monitored.
    env.write(
        "已脱贫人口名单.csv",
        list_2022(H1_ELIMINATED, H1_ELIMINATED).replace("脱贫户,否,,,", "脱贫户,否,,202203,"),
    );
    let err = env.fails(&args, 1);
    assert!(
        err.contains("已脱贫人口名单.csv:4: 易返贫致贫户(监测对象)类型: empty (or 否, 无) but 风险识别时间 is 2022-03-31"),
        "{err}"
    );
    assert!(env.snapshot() == before, "nothing written");
}

/// A file of households carries the same columns: the same records.
#[test]
fn a_household_file_with_monitoring_columns_makes_the_records() {
    let env = ready();
    env.write(
        "households.csv",
        format!(
            "户编号,行政村,乡镇,户主姓名,证件号码,人数,识别时间,监测对象类型,风险是否消除,风险识别时间,风险消除时间\n\
             H1,新村,钟山镇,张伟,{},2,2014,突发严重困难户,否,2022年3月,\n",
            id(HEAD_1)
        ),
    );
    let out = json(&env.ok(&["import", "households.csv", "--format", "json"]));
    assert_eq!(
        out["monitoring"],
        serde_json::json!({"inserted": 1, "updated": 0, "unchanged": 0}),
        "{out}"
    );
    assert_eq!(
        monitoring(&env),
        [[
            "H1",
            "sudden_hardship",
            "2022-03-31",
            "",
            "not_stated",
            "",
            "lifted",
            "张伟",
            "2"
        ]]
    );
}

/// A register with a row per person repeats its household's status word
/// and dates on every row: the household's history gets one step.
#[test]
fn a_person_level_register_gives_its_households_history_once() {
    let env = ready();
    env.write(
        "家庭成员.csv",
        format!(
            "乡(镇),行政村,户编号,姓名,证件号码,人数,与户主关系,识别时间,脱贫时间,脱贫属性,返贫时间,返贫原因\n\
             钟山镇,新村,H1,张伟,{},2,户主,2014,2016,返贫,2017-06-30,因病\n\
             钟山镇,新村,H1,李芳,{},2,配偶,2014,2016,返贫,2017-06-30,因病\n",
            id(HEAD_1),
            id(SPOUSE_1)
        ),
    );
    let out = json(&env.ok(&["import", "家庭成员.csv", "--format", "json"]));
    assert_eq!(
        out["files"][0]["events"],
        serde_json::json!({"inserted": 1, "updated": 0, "unchanged": 0}),
        "{out}"
    );
    assert_eq!(
        env.sql("SELECT household, event, date, cause FROM household_events"),
        [["H1", "returned", "2017-06-30", "illness"]]
    );
}

/// A person-level register whose 人员状态 says a member died or moved out:
/// the word gives the reason; the date comes from 减员时间 or, for a file
/// without one, from `--left-on`; without either the file is refused whole,
/// naming the column and the option.
fn with_status(dated: bool) -> String {
    let left = if dated { "2019-04-02" } else { "" };
    format!(
        "乡(镇),行政村,户编号,姓名,证件号码,人数,与户主关系,识别时间,脱贫时间,人员状态,减员时间\n\
         钟山镇,新村,H1,张伟,{},2,户主,2015,2018,正常,\n\
         钟山镇,新村,H1,张老,{},2,父亲,2015,2018,死亡,{left}\n\
         钟山镇,新村,H1,张小明,{},2,之子,2015,2018,在册,\n",
        id(HEAD_1),
        id("45112219400101001"),
        id(SON_1),
    )
}

#[test]
fn a_status_word_of_a_person_gives_the_reason_and_needs_the_date() {
    let env = ready();
    env.write("花名册.csv", with_status(false));
    let err = env.fails(&["import", "花名册.csv"], 1);
    assert!(
        err.contains("花名册.csv:3: status:")
            && err.contains("says died (死亡) but no date the person left (减员时间) is given")
            && err.contains("--left-on DATE"),
        "{err}"
    );
    let err = env.fails(&["--lang", "zh", "import", "花名册.csv"], 1);
    assert!(
        err.contains("花名册.csv:3: 人员状态:")
            && err.contains("标为死亡，但没有减员时间")
            && err.contains("--left-on 日期"),
        "{err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM people"), 0);
    assert_eq!(env.count("SELECT count(*) FROM households"), 0);

    // The date for the whole file.
    env.ok(&[
        "import",
        "花名册.csv",
        "--left-on",
        "2019年4月2日",
        "--quiet",
    ]);
    let left = env
        .sql("SELECT name, ifnull(left_on, ''), ifnull(left_reason, '') FROM people ORDER BY code");
    let want = |rows: &[&[&str; 3]]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    };
    let expected = want(&[
        &["张伟", "", ""],
        &["张老", "2019-04-02", "died"],
        &["张小明", "", ""],
    ]);
    assert_eq!(left, expected);
    // The same file with its own 减员时间 changes nothing.
    env.write("花名册.csv", with_status(true));
    let out = json(&env.ok(&["import", "花名册.csv", "--format", "json"]));
    let person = out["files"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["entity"] == "person"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(person["unchanged"], 3, "{out}");
    // 人数 2 counts the two present: check finds nothing to say of H1.
    let out = env.run(&["check"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("household H1:"));

    // 正常 with a leaving date is a contradiction.
    env.write(
        "矛盾.csv",
        with_status(true).replace("死亡,2019-04-02", "正常,2019-04-02"),
    );
    let err = env.fails(&["import", "矛盾.csv"], 1);
    assert!(
        err.contains("says present (正常) but the person left on 2019-04-02"),
        "{err}"
    );
}
