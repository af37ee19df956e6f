//! A small county in the CSV contract, with every record kind, written the
//! way fupin exports it.

use crate::common::TestEnv;

/// A resident ID number with the right GB 11643 check character.
pub fn id(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{first17}{}", C[(sum % 11) as usize])
}

pub const CADRES: &str = "\
code,name,gender,unit,level,phone
GB1,张三,male,县扶贫办,county,13800000001
GB2,李四,female,钟山镇政府,town,
GB3,王五,male,\"县水利局, 驻村\",village,13800000003
";

pub const ZONES: &str = "\
code,name,commander,deputy
ZQ01,钟山镇作战区,GB1,GB2
";

pub const TOWNS: &str = "\
code,name,zone
451122100,钟山镇,ZQ01
451122101,回龙镇,ZQ01
";

pub const VILLAGES: &str = "\
code,name,town,kind,population,poor_village,registered_on,lifted_on
451122100201,新村,451122100,village,1200,yes,2015-12-31,2019-12-31
451122100202,龙岩社区,451122100,community,,no,,
451122101201,新村,451122101,village,800,no,,
";

pub fn households() -> String {
    format!(
        "\
code,village,head_name,id_number,members,attribute,cause,registered_on,lifted_on,helper,phone,note
H1,451122100201,欧阳娜娜,{},3,low_income,illness,2014-03-05,2016-12-31,GB3,13900000001,\"说明,含逗号\"
H2,451122100201,O'Brien,{},1,extreme_poverty,lack_of_labour,2015-12-31,,,,
H3,451122101201,赵六,{},5,general,,2019-12-31,2020-11-30,GB1,,\"两行
备注\"
",
        id("45112219800101123"),
        id("45112219750505002"),
        id("45112219900909456"),
    )
}

pub const TASKS: &str = "\
code,title,level,village,town,leader,team,listed_on,due_on,done_on,note
XJ01,新村脱贫摘帽,county,451122100201,451122100,GB1,第一突击队,2020-01-10,2020-06-30,2020-05-20,
ZJ01,回龙镇饮水安全,town,,451122101,GB2,,2020-02-01,2020-09-30,,\"未完成, 跟进\"
";

pub const POSTS: &str = "\
cadre,role,town,village,task,started_on,ended_on
GB1,info_officer,451122101,,,2019-01-01,2020-12-31
GB2,commando,,,XJ01,2020-01-10,
GB3,first_secretary,,451122100201,,2018-01-01,
";

pub const DISPATCHES: &str = "\
task,held_on,chaired_by,progress,problems_found,problems_solved,note
XJ01,2020-02-15,GB1,40,3,1,\"道路
饮水\"
XJ01,2020-04-15,GB1,90,1,1,
ZJ01,2020-04-20,,10,0,0,
";

pub const VISITS: &str = "\
cadre,visited_on,village,household,note
GB3,2020-03-01,451122100201,,
GB3,2020-03-02,,H1,入户走访
";

pub const PROMOTIONS: &str = "\
cadre,promoted_on,post,note
GB3,2020-12-01,任钟山镇副镇长,
";

/// Writes the county's files into `dir` (a folder under the test's
/// temporary folder).
pub fn write_folder(env: &TestEnv, dir: &str) -> std::path::PathBuf {
    let path = env.path(dir);
    std::fs::create_dir_all(&path).expect("folder");
    let households = households();
    for (name, text) in [
        ("cadres.csv", CADRES),
        ("zones.csv", ZONES),
        ("towns.csv", TOWNS),
        ("villages.csv", VILLAGES),
        ("households.csv", households.as_str()),
        ("tasks.csv", TASKS),
        ("posts.csv", POSTS),
        ("dispatches.csv", DISPATCHES),
        ("visits.csv", VISITS),
        ("promotions.csv", PROMOTIONS),
    ] {
        std::fs::write(path.join(name), text).expect("write");
    }
    path
}

/// A database holding everything but the households.
pub fn places(env: &TestEnv) {
    for (name, text) in [
        ("cadres.csv", CADRES),
        ("zones.csv", ZONES),
        ("towns.csv", TOWNS),
        ("villages.csv", VILLAGES),
    ] {
        env.write(name, text);
        env.ok(&["import", name, "--quiet"]);
    }
}
