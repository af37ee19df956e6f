//! `fupin export`: the same contract back out, byte for byte.

use crate::common::TestEnv;
use crate::county;

/// The file `export --all` writes a kind to: its English plural, or under
/// `--lang zh` its Chinese name.
fn file_of(kind: &str, lang: &str) -> String {
    if lang != "zh" {
        return format!("{kind}.csv");
    }
    let zh = match kind {
        "cadres" => "干部",
        "zones" => "作战区",
        "towns" => "乡镇",
        "villages" => "行政村",
        "households" => "贫困户",
        "tasks" => "挂牌督战任务",
        "posts" => "任职",
        "dispatches" => "调度",
        "visits" => "走访",
        "promotions" => "提拔",
        other => other,
    };
    format!("{zh}.csv")
}

const KINDS: [&str; 10] = [
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
fn refuses_a_missing_database() {
    let env = TestEnv::empty();
    let err = env.fails(&["export", "households"], 1);
    assert!(err.contains("init"), "{err}");
}

#[test]
fn needs_a_record_kind() {
    let env = TestEnv::new();
    env.fails(&["export"], 2);
    let err = env.fails(&["export", "nonsense"], 2);
    assert!(err.contains("no record kind nonsense"), "{err}");
}

#[test]
fn the_canonical_export_is_the_file_that_was_imported() {
    let env = TestEnv::new();
    let dir = county::write_folder(&env, "county");
    env.ok(&["import", "county"]);
    for kind in KINDS {
        let original = std::fs::read_to_string(dir.join(format!("{kind}.csv"))).unwrap();
        let exported = env.ok(&["export", kind]);
        assert_eq!(exported, original, "{kind}");
    }
}

#[test]
fn export_import_export_gives_the_same_bytes_in_both_languages() {
    for lang in ["en", "zh"] {
        let first = TestEnv::new();
        county::write_folder(&first, "county");
        first.ok(&["import", "county"]);
        first.ok(&["--lang", lang, "export", "--all", "out"]);
        let second = TestEnv::new();
        let out = first.path("out");
        second.ok(&["import", out.to_str().unwrap()]);
        second.ok(&["--lang", lang, "export", "--all", "again"]);
        for kind in KINDS {
            let a = std::fs::read(first.path("out").join(file_of(kind, lang))).unwrap();
            let b = std::fs::read(second.path("again").join(file_of(kind, lang))).unwrap();
            assert!(
                a == b,
                "{lang} {kind}:\n{}\n{}",
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b)
            );
            assert!(
                a.iter().filter(|&&c| c == b'\n').count() >= 2,
                "{lang} {kind} is empty"
            );
        }
        if lang == "zh" {
            let households = std::fs::read_to_string(first.path("out/贫困户.csv")).unwrap();
            assert!(
                households.starts_with("户编号,行政村,户主,身份证号,人口数,贫困户属性,主要致贫原因,识别时间,脱贫时间,帮扶责任人,联系电话,备注\n"),
                "{households}"
            );
            assert!(households.contains(",低保贫困户,因病,"), "{households}");
            let villages = std::fs::read_to_string(first.path("out/行政村.csv")).unwrap();
            assert!(villages.contains(",村,1200,是,"), "{villages}");
        }
    }
}

#[test]
fn bom_and_gb18030_for_excel() {
    let env = TestEnv::new();
    county::places(&env);
    env.ok(&["export", "towns", "--bom", "-o", "towns-bom.csv"]);
    let bytes = std::fs::read(env.path("towns-bom.csv")).unwrap();
    let mut expected = vec![0xEF, 0xBB, 0xBF];
    expected.extend_from_slice(county::TOWNS.as_bytes());
    assert_eq!(bytes, expected);
    env.ok(&[
        "--lang",
        "zh",
        "export",
        "towns",
        "--encoding",
        "gb18030",
        "-o",
        "towns-gbk.csv",
    ]);
    let bytes = std::fs::read(env.path("towns-gbk.csv")).unwrap();
    let (expected, _, _) = encoding_rs::GB18030
        .encode("乡镇代码,乡镇,作战区\n451122100,钟山镇,ZQ01\n451122101,回龙镇,ZQ01\n");
    assert_eq!(bytes, expected.as_ref());
    // Both read back as they were.
    let other = TestEnv::new();
    for name in ["cadres.csv", "zones.csv"] {
        std::fs::copy(env.path(name), other.path(name)).unwrap();
        other.ok(&["import", name]);
    }
    std::fs::copy(env.path("towns-gbk.csv"), other.path("towns-gbk.csv")).unwrap();
    other.ok(&["import", "towns", "towns-gbk.csv"]);
    assert_eq!(other.ok(&["export", "towns"]), county::TOWNS);
}

#[test]
fn rows_come_in_key_order() {
    let env = TestEnv::new();
    county::places(&env);
    env.write(
        "more.csv",
        "code,name,gender,unit,level,phone\nGA9,甲,,,,\nGB0,乙,,,,\n",
    );
    env.ok(&["import", "cadres", "more.csv"]);
    let out = env.ok(&["export", "cadres"]);
    let codes: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(codes, ["GA9", "GB0", "GB1", "GB2", "GB3"]);
}
