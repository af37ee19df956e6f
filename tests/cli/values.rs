//! Values as offices write them — months, Excel serials, 15-digit IDs,
//! landlines, older value words — typed and imported, and ID numbers kept
//! out of error messages.

use crate::common::TestEnv;
use crate::fixtures::{V_LONGYAN, county, id};

/// `household add` of H1 with `extra` flags over sensible defaults.
fn add(env: &TestEnv, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "household",
        "add",
        "--code",
        "H1",
        "--village",
        V_LONGYAN,
        "--head-name",
        "张三",
        "--members",
        "2",
    ];
    let id1 = id(1);
    if !extra.contains(&"--id-number") {
        args.extend(["--id-number", id1.as_str()]);
    }
    if !extra.contains(&"--registered-on") {
        args.extend(["--registered-on", "2016-01-01"]);
    }
    args.extend(extra);
    env.run(&args)
}

fn stored(env: &TestEnv, column: &str) -> String {
    env.sql(&format!(
        "SELECT ifnull({column}, '') FROM households WHERE code = 'H1'"
    ))[0][0]
        .clone()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn dates_as_offices_write_them() {
    for (typed, date) in [
        ("2015年", "2015-12-31"),
        ("2015年度", "2015-12-31"),
        ("201404", "2014-04-30"),
        ("2014.04", "2014-04-30"),
        ("2014-4", "2014-04-30"),
        ("2014/2", "2014-02-28"),
        ("2014年4月", "2014-04-30"),
        ("2014/4/5 0:00", "2014-04-05"),
        ("2014/4/5 0:00:00", "2014-04-05"),
        ("2014/4/5 13:45", "2014-04-05"),
        ("41734", "2014-04-05"),
        ("41734.0", "2014-04-05"),
    ] {
        let env = county();
        let out = add(&env, &["--registered-on", typed]);
        assert!(out.status.success(), "{typed}: {}", stderr(&out));
        assert_eq!(stored(&env, "registered_on"), date, "{typed}");
    }
}

#[test]
fn dates_that_are_not_are_refused_and_nothing_is_written() {
    let env = county();
    for (typed, says) in [
        ("1899-12-31", "year 1899 is out of range"),
        ("1899", "year 1899 is out of range"),
        ("20201/3/5", "not a date"),
        ("3/5/2020", "not a date"),
        ("2019-02-29", "no such day"),
        ("2014-13", "there is no month 13"),
        ("2014.1", "could be January or October"),
        ("2014/4/5 25:00", "not a date"),
    ] {
        let before = env.snapshot();
        let out = add(&env, &["--registered-on", typed]);
        assert_eq!(out.status.code(), Some(1), "{typed}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("--registered-on: {says}")),
            "{typed}: {err}"
        );
        assert!(before == env.snapshot(), "{typed}");
    }
}

#[test]
fn id_numbers_as_excel_leaves_them() {
    // 110105491231002 is the first-generation form of 11010519491231002X.
    for (typed, kept) in [
        ("'11010519491231002X", "11010519491231002X"),
        ("110105491231002", "11010519491231002X"),
        ("'110105491231002", "11010519491231002X"),
        ("110105 19491231 002x", "11010519491231002X"),
    ] {
        let env = county();
        let out = add(&env, &["--id-number", typed]);
        assert!(out.status.success(), "{typed}: {}", stderr(&out));
        assert_eq!(stored(&env, "id_number"), kept, "{typed}");
    }
}

#[test]
fn id_errors_show_only_the_characters_at_fault() {
    let env = county();
    let birth_bad = {
        let first17 = "45112219801332001";
        let check = fupin::values::id_check_digit(first17).expect("17 digits");
        format!("{first17}{check}")
    };
    for (typed, says, shown) in [
        (
            "45112219800101577X".to_string(),
            "check digit should be ",
            "451122********577X".to_string(),
        ),
        (
            birth_bad.clone(),
            "the birth date in the number is not a real date",
            "******19801332****".to_string(),
        ),
        (
            "45112219800101A77X".to_string(),
            "character 15 is not a digit",
            "**************A***".to_string(),
        ),
        (
            "4511221980010157".to_string(),
            "must have 18 characters, has 16",
            "451122**********".to_string(),
        ),
        (
            format!("{}12", id(1)),
            "has 20 characters: a disability certificate number",
            "451122**************".to_string(),
        ),
    ] {
        let before = env.snapshot();
        let out = add(&env, &["--id-number", &typed]);
        assert_eq!(out.status.code(), Some(1), "{typed}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("--id-number: {says}")),
            "{typed}: {err}"
        );
        assert!(err.contains(&format!("({shown})")), "{typed}: {err}");
        assert!(!err.contains(&typed), "{typed} shown whole: {err}");
        assert!(before == env.snapshot());
    }
}

#[test]
fn an_imported_id_error_is_masked_on_screen_and_in_the_rejects_file() {
    let env = county();
    let bad = "45112219800101577X";
    env.write(
        "households.csv",
        format!(
            "code,village,head_name,id_number,members,registered_on\nH1,{V_LONGYAN},张三,{bad},2,2016\nH2,{V_LONGYAN},李四,{},2,2016\n",
            id(2)
        ),
    );
    let out = env.run(&["import", "households.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("households.csv:2: id_number: check digit should be ")
            && err.contains("(451122********577X)"),
        "{err}"
    );
    assert!(!err.contains(bad), "{err}");
    let out = env.run(&["import", "households.csv", "--skip-invalid"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rejects = std::fs::read_to_string(env.path("households.rejects.csv")).expect("rejects");
    // The row keeps its number, to be corrected; the error column masks it.
    assert_eq!(rejects.matches(bad).count(), 1, "{rejects}");
    assert!(rejects.contains("(451122********577X)"), "{rejects}");
    assert_eq!(
        env.sql("SELECT code FROM households"),
        [["H2"]],
        "the good row went in"
    );
}

#[test]
fn a_phone_error_is_masked_typed_imported_and_in_the_rejects_file() {
    let env = county();
    let bad = "13812345678x";
    let out = add(&env, &["--phone", bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("not a phone number (138****5678x)"), "{err}");
    // (The hint's example mobile is 13812345678 too.)
    assert!(!err.contains(bad), "{err}");
    env.write(
        "households.csv",
        format!(
            "code,village,head_name,id_number,members,registered_on,phone\nH1,{V_LONGYAN},张三,{},2,2016,{bad}\nH2,{V_LONGYAN},李四,{},2,2016,13812345678/0774-89812\n",
            id(1),
            id(2)
        ),
    );
    let out = env.run(&["import", "households.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("households.csv:2: phone: not a phone number (138****5678x)")
            && err.contains(
                "households.csv:3: phone: 0774-***** is not a phone number (138****5678/0774-*****)"
            ),
        "{err}"
    );
    assert!(!err.contains(bad) && !err.contains("89812)"), "{err}");
    let out = env.run(&["import", "households.csv", "--skip-invalid"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rejects = std::fs::read_to_string(env.path("households.rejects.csv")).expect("rejects");
    // The rows keep their numbers, to be corrected; the error column masks them.
    assert_eq!(rejects.matches(bad).count(), 1, "{rejects}");
    assert!(rejects.contains("(138****5678x)"), "{rejects}");
}

#[test]
fn phones_as_offices_write_them_are_stored_one_way_and_masked() {
    for (typed, kept, masked) in [
        ("138 1234 5678", "13812345678", "138****5678"),
        ("+86 13812345678", "13812345678", "138****5678"),
        ("0774 8981234", "0774-8981234", "0774-***1234"),
        ("(0774)8981234", "0774-8981234", "0774-***1234"),
        (
            "13812345678、0774-8981234",
            "13812345678/0774-8981234",
            "138****5678/0774-***1234",
        ),
        (
            "13812345678；13912345678",
            "13812345678/13912345678",
            "138****5678/139****5678",
        ),
    ] {
        let env = county();
        let out = add(&env, &["--phone", typed]);
        assert!(out.status.success(), "{typed}: {}", stderr(&out));
        assert_eq!(stored(&env, "phone"), kept, "{typed}");
        let listed = env.json(&["household", "list"]);
        assert_eq!(listed[0]["phone"], masked, "{typed}");
        let shown = env.json(&["household", "list", "--show-id"]);
        assert_eq!(shown[0]["phone"], kept, "{typed}");
    }
}

#[test]
fn a_phone_that_is_not_says_what_is() {
    let env = county();
    for typed in ["138123", "电话", "8981234", "0774-898", "13812345678/abc"] {
        let before = env.snapshot();
        let out = add(&env, &["--phone", typed]);
        assert_eq!(out.status.code(), Some(1), "{typed}");
        let err = stderr(&out);
        assert!(
            err.contains("not a phone number") && err.contains("0774-8981234"),
            "{typed}: {err}"
        );
        assert!(before == env.snapshot());
    }
}

#[test]
fn older_value_words_and_the_later_causes() {
    for (attribute, cause, kept) in [
        ("扶贫低保户", "因学致贫", ("low_income", "schooling")),
        ("纯低保户", "其它", ("low_income", "other")),
        ("五保户", "缺劳动力", ("extreme_poverty", "lack_of_labour")),
        ("扶贫户", "因病致贫", ("general", "illness")),
        ("低保户", "因婚", ("low_income", "marriage")),
        ("一般贫困户", "因丧", ("general", "funeral")),
        ("general", "因意外事故", ("general", "accident")),
        ("general", "因务工就业不稳", ("general", "unstable_work")),
        ("general", "因安全住房", ("general", "unsafe_housing")),
        (
            "general",
            "因安全饮水致贫",
            ("general", "unsafe_drinking_water"),
        ),
    ] {
        let env = county();
        let out = add(&env, &["--attribute", attribute, "--cause", cause]);
        assert!(out.status.success(), "{cause}: {}", stderr(&out));
        assert_eq!(
            (stored(&env, "attribute"), stored(&env, "cause")),
            (kept.0.to_string(), kept.1.to_string())
        );
    }
    let env = county();
    env.ok(&[
        "household",
        "add",
        "--code",
        "H1",
        "--village",
        V_LONGYAN,
        "--head-name",
        "张三",
        "--members",
        "2",
        "--id-number",
        &id(1),
        "--registered-on",
        "2016",
        "--cause",
        "因婚",
    ]);
    let zh = env.ok(&["--lang", "zh", "household", "show", "H1"]);
    assert!(zh.contains("因婚"), "{zh}");
    let err = stderr(&add(&env, &["--cause", "因穷致贫"]));
    assert!(
        err.contains("--cause: not one of the allowed values")
            && err.contains("unsafe_drinking_water")
            && err.contains("因安全饮水"),
        "{err}"
    );
}

#[test]
fn an_imported_ledger_row_of_older_forms() {
    let env = county();
    env.write(
        "households.csv",
        format!(
            "户编号,行政村,户主,身份证号,人口数,贫困户属性,致贫原因,识别时间,脱贫时间,联系电话\n\
             H1,{V_LONGYAN},张三,'110105491231002,3,扶贫低保户,因病致贫,201404,2019年,0774 8981234/13812345678\n\
             H2,{V_LONGYAN},李四,{},2,五保户,因婚,41734,2020/11/30 0:00:00,\n",
            id(2)
        ),
    );
    let summary: serde_json::Value =
        serde_json::from_str(&env.ok(&["import", "households.csv", "--format", "json"]))
            .expect("json");
    // Conversions are counted, so none passes unseen.
    assert_eq!(summary["excel_serial_dates"], 1, "{summary}");
    assert_eq!(summary["ids_15_to_18"], 1, "{summary}");
    assert_eq!(
        env.sql(
            "SELECT code, id_number, attribute, cause, registered_on, lifted_on, ifnull(phone, '')
               FROM households ORDER BY code"
        ),
        [
            [
                "H1",
                "11010519491231002X",
                "low_income",
                "illness",
                "2014-04-30",
                "2019-12-31",
                "0774-8981234/13812345678"
            ],
            [
                "H2",
                id(2).as_str(),
                "extreme_poverty",
                "marriage",
                "2014-04-05",
                "2020-11-30",
                ""
            ]
        ]
    );
    // The stored forms read back unchanged.
    let again = env.ok(&["import", "households.csv", "--format", "json", "--quiet"]);
    assert!(again.contains("\"unchanged\":2"), "{again}");
    let table = env.ok(&["import", "households.csv"]);
    assert!(
        table.contains("1 dates written as Excel serial numbers were converted")
            && table.contains("1 15-digit ID numbers were converted to 18 digits"),
        "{table}"
    );
}
