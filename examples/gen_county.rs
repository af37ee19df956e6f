//! Generates a fictional example county in fupin's CSV import contract.
//!
//! ```text
//! cargo run --release --example gen_county -- --out DIR [--households N] [--seed S] [--code CODE]
//! ```
//!
//! Without `--households` it writes Zhongshan County (钟山县, Hezhou, Guangxi,
//! division code 451122) for 2014–2020: every person, ID number and phone is
//! made up, but the aggregate figures are the published ones (116 villages,
//! 42 poor villages, 948 households / 3,394 people still poor at the start of
//! 2020, 59,123 people lifted in all, 301 work-team members, …), so the
//! reports run on it must print those figures.
//!
//! With `--households N` it writes a proportionally scaled county for
//! benchmarks (about 140 households per village, about 10 villages per town).
//! The households file is streamed in code order, so memory does not grow with
//! N; every other file is small enough to build in memory and sort.
//!
//! The output is a pure function of the options: a single seeded PRNG
//! (splitmix64) split into independent streams, no hash maps, no clock. The
//! bundled `examples/zhongshan/` and the byte-for-byte round-trip tests rely
//! on that.

use std::fmt;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Instant;

const USAGE: &str = "usage: cargo run --release --example gen_county -- --out DIR [--households N] [--seed S] [--code CODE]

  --out DIR         directory to write the fourteen CSV files into (created if missing)
  --households N    scale mode: a proportional county with N households (benchmarks);
                    without it, Zhongshan County with its published figures
  --seed S          PRNG seed (default 451122); same options, same bytes
  --code CODE       six-digit division code of the county (default 451122), the
                    prefix of its town, village and household codes and ID
                    numbers: another county for a prefecture's roll-up";

const DEFAULT_SEED: u64 = 451_122;
const DEFAULT_CODE: &str = "451122";

/// The county's division code, set once from `--code`.
static COUNTY_CODE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn county_code() -> &'static str {
    COUNTY_CODE
        .get()
        .map(String::as_str)
        .unwrap_or(DEFAULT_CODE)
}

// The published figures the default mode reproduces exactly.
const PUBLISHED_POPULATION: u32 = 394_650; // 3394 / 394650 = 0.8600 %
const REMAINING_HOUSEHOLDS: u32 = 948;
const REMAINING_PEOPLE: u32 = 3_394;
const TOTAL_PEOPLE: u32 = 59_123;

// Scale mode: the shape of the published county, per village.
const HOUSEHOLDS_PER_VILLAGE: u64 = 140;
const VILLAGES_PER_TOWN: u64 = 10;
/// Share (per mille) of households still poor at the end of 2019 in scale
/// mode: 948 of ~15,400 in the published county.
const REMAINING_PER_MILLE: u64 = 60;

/// Each helper cadre (帮扶责任人) is paired with at most this many households.
const HOUSEHOLDS_PER_HELPER: u32 = 8;

const END_2019: Date = Date::ymd(2019, 12, 31);
const POOR_VILLAGE_REGISTERED: Date = Date::ymd(2015, 12, 31);
/// Work teams were rotated mid-2019; the replaced members left the day before.
const ROTATION_DAY: Date = Date::ymd(2019, 7, 1);
/// Birth dates of household heads: adults at registration in 2014.
const BIRTH_FIRST: Date = Date::ymd(1935, 1, 1);
const BIRTH_LAST: Date = Date::ymd(1996, 12, 31);

/// Zhongshan's 12 townships: code suffix, name, communities, villages.
/// Towns are 100–109, the two Yao ethnic townships 200–201; communities
/// (社区) cluster in the county seat 钟山镇.
const ZHONGSHAN_TOWNS: [(u32, &str, u32, u32); 12] = [
    (100, "钟山镇", 4, 10),
    (101, "回龙镇", 1, 9),
    (102, "石龙镇", 1, 8),
    (103, "凤翔镇", 1, 9),
    (104, "珊瑚镇", 1, 8),
    (105, "同古镇", 1, 8),
    (106, "公安镇", 1, 10),
    (107, "燕塘镇", 1, 9),
    (108, "清塘镇", 1, 9),
    (109, "红花镇", 1, 8),
    (200, "两安瑶族乡", 0, 8),
    (201, "花山瑶族乡", 0, 7),
];

// Character pools for made-up names. Common surnames of eastern Guangxi
// appear twice to make them more frequent.
const SURNAMES: &str = "黄黄李李陈陈莫梁梁覃韦廖邓钟周林罗蒋刘杨赵何唐盘冯王张吴谢骆欧潘胡朱邱曾龙彭董孔苏蒙石卢叶郑宋许姚孙黎温徐毛";
const MALE_GIVEN: &str = "国建明志伟强军华平东文海成永福德金春林荣贵昌生才光勇刚新祥辉峰斌宏兴富发忠宝振家世远庆涛波俊杰健宇鹏";
const FEMALE_GIVEN: &str = "秀英兰芳玉红梅丽燕霞琴桂珍凤萍艳娟莲静敏婷群菊花月娥妹娇雪莉丹慧";
const PLACE_FIRST: &str =
    "龙石新大白黄东西南北上下高平古马金水清竹凤松莲花江岭田长福安桥沙狮牛仁德良横";
const PLACE_SECOND: &str = "岩街门塘洞坪湾口山头田源冲寨美和丰庄桥坡垌背岗江岭溪河井林富埠岸坝";
const COMMUNITY_NAMES: [&str; 18] = [
    "城东", "城西", "城南", "城北", "新街", "兴钟", "迎宾", "凤凰", "和平", "人民", "东风", "红星",
    "建设", "朝阳", "龙华", "富民", "兴隆", "平安",
];

/// Units of the county leaders who command the battle zones.
const LEADER_UNITS: [&str; 12] = [
    "县委",
    "县人民政府",
    "县人大常委会",
    "县政协",
    "县纪委监委",
    "县委组织部",
    "县委宣传部",
    "县委政法委",
    "县委统战部",
    "县人武部",
    "县委办公室",
    "县人民政府办公室",
];

/// County bodies that back villages (后盾单位) and send work teams.
const BACKING_UNITS: [&str; 40] = [
    "县发展和改革局",
    "县教育局",
    "县科技局",
    "县工业和信息化局",
    "县公安局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县人力资源和社会保障局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县商务局",
    "县文化广电体育和旅游局",
    "县卫生健康局",
    "县退役军人事务局",
    "县应急管理局",
    "县审计局",
    "县市场监督管理局",
    "县统计局",
    "县医疗保障局",
    "县林业局",
    "县扶贫开发办公室",
    "县供销合作社联合社",
    "县人民医院",
    "县中医医院",
    "县农村信用合作联社",
    "县供电公司",
    "县总工会",
    "团县委",
    "县妇联",
    "县残联",
    "县人民法院",
    "县人民检察院",
    "县税务局",
    "县生态环境局",
    "县行政审批局",
    "县城市管理监督局",
];

const MOBILE_PREFIXES: [&str; 36] = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "177", "178", "180", "181",
    "182", "183", "184", "185", "186", "187", "188", "189", "198", "199",
];

/// Members 1..=8 (per mille) of households lifted before 2020.
const MEMBERS_LIFTED: [u32; 8] = [80, 140, 200, 250, 170, 95, 45, 20];
/// Members 1..=8 of the households still poor at the end of 2019: the last
/// ones out were smaller (elderly, ill, disabled), 3.58 people on average.
const MEMBERS_REMAINING: [u32; 8] = [130, 160, 180, 230, 160, 85, 40, 15];

/// Main causes of poverty (per mille), illness first as in the national data.
const CAUSES: [(&str, u32); 12] = [
    ("illness", 280),
    ("disability", 120),
    ("schooling", 90),
    ("disaster", 30),
    ("lack_of_land", 40),
    ("lack_of_water", 20),
    ("lack_of_skills", 130),
    ("lack_of_labour", 100),
    ("lack_of_funds", 120),
    ("poor_transport", 30),
    ("lack_of_motivation", 30),
    ("other", 10),
];

/// Registration years of households (per mille): the 2014 identification,
/// then additions after the 2015 re-check (精准识别) and yearly reviews.
const REGISTERED_YEARS: [(i32, u32); 4] = [(2014, 820), (2015, 90), (2016, 55), (2017, 35)];
/// Lift years of households lifted before 2020 (per mille).
const LIFTED_YEARS: [(i32, u32); 6] = [
    (2014, 100),
    (2015, 180),
    (2016, 220),
    (2017, 200),
    (2018, 180),
    (2019, 120),
];
/// Poor villages lifted in 2016–2019, as shares of the 38 published ones.
const VILLAGE_LIFT_YEARS: [(i32, usize); 4] = [(2016, 8), (2017, 10), (2018, 12), (2019, 8)];

/// Household notes; a few typed with ASCII punctuation as clerks do, which
/// also exercises CSV quoting in the round trip.
const HOUSEHOLD_NOTES: [&str; 8] = [
    "易地扶贫搬迁户",
    "危房改造户",
    "外出务工,已稳岗就业",
    "享受残疾人两项补贴",
    "已纳入\"防贫监测\"对象",
    "子女享受雨露计划补助",
    "公益性岗位安置",
    "发展种养产业",
];

const VILLAGE_TASKS: [&str; 6] = [
    "饮水安全巩固提升",
    "危房改造清零",
    "控辍保学劝返复学",
    "屯级道路硬化",
    "产业奖补资金兑现",
    "基本医疗保险参保全覆盖",
];
const TOWN_TASKS: [&str; 4] = [
    "易地扶贫搬迁后续扶持",
    "扶贫小额信贷到期回收",
    "扶贫产业基地建设",
    "贫困劳动力转移就业",
];
/// Due dates of township tasks (month, day) in 2020.
const TASK_DUE: [(u32, u32); 8] = [
    (4, 30),
    (5, 31),
    (6, 30),
    (7, 31),
    (8, 31),
    (9, 30),
    (10, 31),
    (11, 30),
];

const DISPATCH_FIRST: [&str; 3] = [
    "制定攻坚方案，明确责任分工",
    "摸清底数，建立问题清单",
    "召开动员会，部署督战任务",
];
const DISPATCH_MIDDLE: [&str; 4] = [
    "逐项推进，问题清单动态销号",
    "项目施工过半，督促加快进度",
    "资金已拨付到位，抓紧组织验收",
    "入户核查发现问题已交办整改",
];
const DISPATCH_DONE: [&str; 2] = ["任务完成，通过验收销号", "已完成验收，转入巩固提升"];

const HOUSEHOLD_VISITS: [&str; 8] = [
    "入户核实“两不愁三保障”情况",
    "宣传产业奖补政策",
    "了解家庭收入情况",
    "协助申请扶贫小额信贷",
    "脱贫户返贫监测回访",
    "检查饮水安全情况",
    "核对扶贫手册信息",
    "督促适龄儿童返校",
];
const VILLAGE_VISITS: [&str; 4] = [
    "召开村两委会研究脱贫工作",
    "检查村级集体经济项目",
    "核查屯级道路硬化进度",
    "召开屯级群众会",
];

const PROMOTION_NOTES: [&str; 5] = [
    "",
    "",
    "脱贫攻坚一线表现突出",
    "挂牌督战成效明显",
    "驻村工作考核优秀",
];

fn main() -> Result<()> {
    let opts = parse_options()?;
    let started = Instant::now();
    let county = plan(&opts)?;
    fs::create_dir_all(&opts.out)
        .map_err(|e| Error(format!("cannot create {}: {e}", opts.out.display())))?;
    let households = write_all(&county, &opts)?;
    eprintln!(
        "gen_county: wrote {} towns, {} villages, {} households, {} cadres to {} in {:.2} s",
        county.towns.len(),
        county.villages.len(),
        households,
        county.cadres.len() + county.helpers,
        opts.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Errors and options

/// An error whose `Debug` is its message, so `main` returning it prints a
/// readable line instead of a struct dump.
struct Error(String);

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, Error>;

struct Options {
    out: PathBuf,
    /// `Some(n)`: scale mode with n households; `None`: the published county.
    households: Option<u64>,
    seed: u64,
}

fn parse_options() -> Result<Options> {
    let mut out = None;
    let mut households = None;
    let mut seed = DEFAULT_SEED;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| Error(format!("{flag} needs a value\n\n{USAGE}")))
        };
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--households" => {
                let v = value()?;
                let n: u64 = v.parse().map_err(|_| {
                    Error(format!("--households: not a whole number: {v}\n\n{USAGE}"))
                })?;
                if n == 0 {
                    return Err(Error("--households must be at least 1".into()));
                }
                households = Some(n);
            }
            "--code" => {
                let v = value()?;
                if v.len() != 6 || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error(format!(
                        "--code: six digits expected: {v}\n\n{USAGE}"
                    )));
                }
                let _ = COUNTY_CODE.set(v);
            }
            "--seed" => {
                let v = value()?;
                seed = v
                    .parse()
                    .map_err(|_| Error(format!("--seed: not a whole number: {v}\n\n{USAGE}")))?;
            }
            _ => return Err(Error(format!("unknown argument: {arg}\n\n{USAGE}"))),
        }
    }
    let out = out.ok_or_else(|| Error(format!("--out DIR is required\n\n{USAGE}")))?;
    Ok(Options {
        out,
        households,
        seed,
    })
}

// ---------------------------------------------------------------------------
// PRNG

/// splitmix64: tiny, fast, and its output is fixed forever, unlike a crate's
/// `StdRng` whose algorithm may change between versions.
struct Rng(u64);

/// Independent streams, so that e.g. adding a draw while planning tasks does
/// not reshuffle every household.
#[derive(Clone, Copy)]
enum Stream {
    Layout = 1,
    Households = 2,
    Staff = 3,
    Tasks = 4,
    Activity = 5,
    HouseholdRows = 6,
    Helpers = 7,
    People = 8,
    Monitoring = 9,
    Events = 10,
    Cover = 11,
    Assessments = 12,
}

impl Rng {
    fn new(seed: u64, stream: Stream) -> Rng {
        let mut rng = Rng(seed ^ (stream as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next_u64(); // decorrelate neighbouring seeds
        rng
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is far below anything
    /// that matters for example data).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi - lo) + 1) as u32
    }

    fn per_mille(&mut self, p: u64) -> bool {
        self.below(1000) < p
    }

    /// A uniformly chosen element.
    fn choose<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.index(xs.len())]
    }

    /// An index drawn with the given integer weights.
    fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u64 = weights.clone().map(u64::from).sum();
        let mut r = self.below(total);
        for (i, w) in weights.enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        unreachable!("r < total")
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            xs.swap(i, self.index(i + 1));
        }
    }

    fn date(&mut self, lo: Date, hi: Date) -> Date {
        Date(lo.0 + self.below((hi.0 - lo.0 + 1) as u64) as i32)
    }
}

// ---------------------------------------------------------------------------
// Dates

/// A civil date as days since 1970-01-01 (proleptic Gregorian), enough for
/// ordering, adding days and printing `YYYY-MM-DD` without a date crate.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date(i32);

impl Date {
    /// Howard Hinnant's `days_from_civil`.
    const fn ymd(y: i32, m: u32, d: u32) -> Date {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    /// Howard Hinnant's `civil_from_days`.
    fn civil(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    fn plus(self, days: i32) -> Date {
        Date(self.0 + days)
    }

    /// The two-month dispatch block (0 = Jan–Feb … 5 = Nov–Dec) holding this date.
    fn block(self) -> u32 {
        (self.civil().1 - 1) / 2
    }

    /// First and last day of a two-month block of a year.
    fn block_bounds(year: i32, block: u32) -> (Date, Date) {
        let start = Date::ymd(year, 2 * block + 1, 1);
        let next = if block == 5 {
            Date::ymd(year + 1, 1, 1)
        } else {
            Date::ymd(year, 2 * block + 3, 1)
        };
        (start, next.plus(-1))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

// ---------------------------------------------------------------------------
// Names, phones and ID numbers

#[derive(Clone, Copy, PartialEq)]
enum Gender {
    Male,
    Female,
}

/// Character pools decoded once, so that picking a character is an index.
struct Lexicon {
    surnames: Vec<char>,
    male: Vec<char>,
    female: Vec<char>,
    /// Two-character place names (first ≠ second), e.g. 龙岩, 石门.
    places: Vec<String>,
    /// A multiplier coprime with `places.len()`: `i * step + offset` walks
    /// through all places without repeating, so consecutive villages of a
    /// town never share a name.
    step: usize,
    offset: usize,
}

impl Lexicon {
    fn new(rng: &mut Rng) -> Lexicon {
        let mut places = Vec::new();
        for a in PLACE_FIRST.chars() {
            for b in PLACE_SECOND.chars() {
                if a != b {
                    places.push(format!("{a}{b}"));
                }
            }
        }
        let n = places.len();
        let step = (7919..).find(|s| gcd(*s, n) == 1).unwrap_or(1);
        Lexicon {
            surnames: SURNAMES.chars().collect(),
            male: MALE_GIVEN.chars().collect(),
            female: FEMALE_GIVEN.chars().collect(),
            places,
            step,
            offset: rng.index(n),
        }
    }

    fn person(&self, rng: &mut Rng, gender: Gender) -> String {
        let given = if gender == Gender::Male {
            &self.male
        } else {
            &self.female
        };
        let mut name = String::with_capacity(9);
        name.push(rng.choose(&self.surnames));
        let first = rng.choose(given);
        name.push(first);
        // Three-character names are the norm; a quarter have one given character.
        if rng.per_mille(750) {
            let mut second = rng.choose(given);
            while second == first {
                second = rng.choose(given);
            }
            name.push(second);
        }
        name
    }

    /// The i-th place name of the permutation; `salt` gives towns a
    /// different walk than villages.
    fn place(&self, i: usize, salt: usize) -> &str {
        let n = self.places.len();
        &self.places[(i % n * self.step + self.offset + salt) % n]
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn push_mobile(rng: &mut Rng, out: &mut String) {
    out.push_str(rng.choose(&MOBILE_PREFIXES));
    let _ = write!(out, "{:08}", rng.below(100_000_000));
}

fn mobile(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(11);
    push_mobile(rng, &mut s);
    s
}

/// Writes an 18-character resident ID number (GB 11643): region, birth date,
/// 3-digit sequence whose parity is the sex (odd = male), ISO 7064 MOD 11-2
/// check character.
fn push_id_number(birth: Date, seq: u32, out: &mut String) {
    push_id_number_in(county_code(), birth, seq, out);
}

/// [`push_id_number`] for a person born in `region`.
fn push_id_number_in(region: &str, birth: Date, seq: u32, out: &mut String) {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let (y, m, d) = birth.civil();
    let start = out.len();
    let _ = write!(out, "{region}{y:04}{m:02}{d:02}{seq:03}");
    let sum: u32 = out.as_bytes()[start..]
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    out.push(char::from(CHECK[(sum % 11) as usize]));
}

/// Maps the i-th household (in code order) to a distinct (birth date,
/// sequence) pair. Random draws could collide at a million households; a
/// Weyl walk `i * step + offset` over the whole space, with `step` coprime
/// with its size and near its golden section, cannot, and still scatters
/// consecutive households over dates and sequences.
struct IdSpace {
    days: u64,
    step: u64,
    offset: u64,
}

impl IdSpace {
    /// Sequences 001–998: 499 (male odd, female even) pairs per birth date.
    const PAIRS: u64 = 499;

    fn new(rng: &mut Rng) -> IdSpace {
        let days = (BIRTH_LAST.0 - BIRTH_FIRST.0 + 1) as u64;
        let size = days * Self::PAIRS;
        let golden = size * 618_034 / 1_000_000;
        let step = (golden..)
            .find(|s| gcd(*s as usize, size as usize) == 1)
            .unwrap_or(1);
        IdSpace {
            days,
            step,
            offset: rng.below(size),
        }
    }

    /// How many distinct ID numbers the space holds.
    fn capacity(&self) -> u64 {
        self.days * Self::PAIRS
    }

    fn push(&self, i: u64, gender: Gender, out: &mut String) {
        let j = (i * self.step + self.offset) % self.capacity();
        let (day, pair) = (j % self.days, (j / self.days) as u32);
        let seq = 2 * pair + if gender == Gender::Male { 1 } else { 2 };
        push_id_number(BIRTH_FIRST.plus(day as i32), seq, out);
    }
}

// ---------------------------------------------------------------------------
// The plan: everything except the household rows, held in memory

#[derive(Clone, Copy)]
enum Level {
    County,
    Town,
    Village,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Town => "town",
            Level::Village => "village",
        }
    }
}

struct Cadre {
    name: String,
    gender: Gender,
    unit: String,
    level: Level,
    phone: String,
}

fn new_cadre(
    rng: &mut Rng,
    lex: &Lexicon,
    male_per_mille: u64,
    unit: String,
    level: Level,
) -> Cadre {
    let gender = if rng.per_mille(male_per_mille) {
        Gender::Male
    } else {
        Gender::Female
    };
    Cadre {
        name: lex.person(rng, gender),
        gender,
        unit,
        level,
        phone: mobile(rng),
    }
}

/// The cadres and posts planned so far. Cadre codes follow the order of
/// `hire`, so each group of cadres gets a contiguous block of codes.
struct Roster<'a> {
    lex: &'a Lexicon,
    cadres: Vec<Cadre>,
    posts: Vec<Post>,
}

impl Roster<'_> {
    /// Adds a cadre and returns its index (its code is `GB` + index + 1).
    fn hire(&mut self, rng: &mut Rng, male_per_mille: u64, unit: String, level: Level) -> usize {
        self.cadres
            .push(new_cadre(rng, self.lex, male_per_mille, unit, level));
        self.cadres.len() - 1
    }

    fn post(
        &mut self,
        cadre: usize,
        role: &'static str,
        place: Place,
        started: Date,
        ended: Option<Date>,
    ) {
        self.posts.push(Post {
            cadre,
            role,
            place,
            started,
            ended,
        });
    }
}

/// A township and its battle zone (one zone per town), with its leaders as
/// indexes into `County::cadres`.
struct Town {
    code: String,
    name: String,
    zone: String,
    commander: usize,
    deputy: usize,
    secretary: usize,
    head: usize,
    /// How many communities (numbered 001…) and villages (201…) it has.
    communities: u32,
    villages: u32,
}

impl Town {
    /// 镇长 or 乡长, for promotion titles.
    fn head_title(&self) -> &'static str {
        if self.name.ends_with('乡') {
            "乡长"
        } else {
            "镇长"
        }
    }
}

struct Village {
    code: String,
    name: String,
    town: usize,
    community: bool,
    population: u32,
    /// Registered and lifted dates if it was a registered poor village.
    poor: Option<(Date, Date)>,
    backing_unit: &'static str,
    households: u32,
    /// Households still poor at the end of 2019 (all lifted in 2020).
    remaining: u32,
    /// Cadres with an active work-team post here (they write the visits).
    team: Vec<usize>,
    /// Index of the first of this village's helper cadres.
    first_helper: usize,
}

impl Village {
    fn still_poor_2019(&self) -> bool {
        matches!(self.poor, Some((_, lifted)) if lifted > END_2019)
    }

    /// 龙岩村村民委员会, 城东社区居民委员会.
    fn committee(&self) -> String {
        if self.community {
            format!("{}居民委员会", self.name)
        } else {
            format!("{}村民委员会", self.name)
        }
    }
}

enum Place {
    Village(usize),
    Task(usize),
}

struct Post {
    cadre: usize,
    role: &'static str,
    place: Place,
    started: Date,
    ended: Option<Date>,
}

struct Task {
    code: String,
    title: String,
    county_level: bool,
    village: Option<usize>,
    town: usize,
    leader: usize,
    /// Who may chair its dispatch meetings.
    chairs: [usize; 2],
    team: String,
    listed: Date,
    due: Date,
    done: Date,
    note: String,
}

struct Dispatch {
    task: usize,
    held: Date,
    chair: usize,
    progress: u32,
    found: u32,
    solved: u32,
    note: &'static str,
}

struct Visit {
    cadre: usize,
    date: Date,
    village: usize,
    /// Household number within the village (1-based), or a village visit.
    household: Option<u32>,
    note: &'static str,
}

struct Promotion {
    cadre: usize,
    date: Date,
    post: String,
    note: &'static str,
}

/// Where household sizes come from. The published county draws them all up
/// front so the totals can be made exact; scale mode draws as it streams.
enum Members {
    Planned { lifted: Vec<u8>, remaining: Vec<u8> },
    Drawn,
}

/// Target counts, proportional to the published county (which they equal at
/// 116 villages and 12 towns).
struct Targets {
    poor_villages: usize,
    still_poor: usize,
    split_heads: usize,
    work_team: usize,
    replaced: usize,
    info_officers: usize,
    town_tasks: usize,
    overdue: usize,
    promotions: usize,
    visits: usize,
}

/// `n * num / den`, rounded half up.
fn prorate(n: usize, num: usize, den: usize) -> usize {
    (n * num + den / 2) / den
}

impl Targets {
    fn for_size(villages: usize, towns: usize) -> Targets {
        let poor_villages = prorate(villages, 42, 116).max(1);
        let town_tasks = prorate(towns, 22, 12);
        Targets {
            poor_villages,
            still_poor: prorate(villages, 4, 116).clamp(1, poor_villages),
            split_heads: prorate(villages, 7, 116),
            work_team: prorate(villages, 301, 116),
            replaced: prorate(villages, 5, 116),
            info_officers: prorate(villages, 101, 116),
            town_tasks,
            overdue: prorate(town_tasks, 2, 22),
            promotions: prorate(villages, 10, 116).max(1),
            visits: prorate(villages, 360, 116),
        }
    }
}

struct County {
    towns: Vec<Town>,
    villages: Vec<Village>,
    cadres: Vec<Cadre>,
    /// Helper cadres follow `cadres` in code order; they are streamed.
    helpers: usize,
    posts: Vec<Post>,
    tasks: Vec<Task>,
    dispatches: Vec<Dispatch>,
    visits: Vec<Visit>,
    promotions: Vec<Promotion>,
    members: Members,
    lex: Lexicon,
    ids: IdSpace,
}

impl County {
    fn cadre_width(&self) -> usize {
        (self.cadres.len() + self.helpers).to_string().len().max(5)
    }

    fn cadre_code(&self, i: usize) -> String {
        format!("GB{:0w$}", i + 1, w = self.cadre_width())
    }

    fn household_code(&self, village: usize, number: u32) -> String {
        format!("{}{number:04}", self.villages[village].code)
    }
}
fn plan(opts: &Options) -> Result<County> {
    let mut rng = Rng::new(opts.seed, Stream::Layout);
    let lex = Lexicon::new(&mut rng);
    let ids = IdSpace::new(&mut rng);
    if let Some(n) = opts.households
        && n > ids.capacity()
    {
        return Err(Error(format!(
            "--households {n}: at most {} households fit the ID number space of one county",
            ids.capacity()
        )));
    }
    let mut roster = Roster {
        lex: &lex,
        cadres: Vec::new(),
        posts: Vec::new(),
    };
    let towns = layout_towns(opts, &lex, &mut rng, &mut roster)?;
    let mut villages = layout_villages(opts, &towns, &lex, &mut rng);
    let targets = Targets::for_size(villages.len(), towns.len());
    choose_poor_villages(&mut villages, &towns, &targets, &mut rng);

    let mut rng = Rng::new(opts.seed, Stream::Households);
    let members = allocate_households(opts, &mut villages, &mut rng)?;

    let mut rng = Rng::new(opts.seed, Stream::Staff);
    staff_villages(&mut villages, &towns, &targets, &mut rng, &mut roster)?;

    let mut rng = Rng::new(opts.seed, Stream::Tasks);
    let tasks = list_tasks(&villages, &towns, &targets, &mut rng, &mut roster);
    let dispatches = dispatch_tasks(&tasks, &mut rng);

    let mut rng = Rng::new(opts.seed, Stream::Activity);
    let promotions = promote(&villages, &towns, &tasks, &roster, &targets, &mut rng);
    let visits = visit(&villages, &targets, &mut rng);

    // Helper cadres come last in code order, one per HOUSEHOLDS_PER_HELPER
    // households of each village; they are generated while writing.
    let Roster { cadres, posts, .. } = roster;
    let mut next = cadres.len();
    for v in &mut villages {
        v.first_helper = next;
        next += v.households.div_ceil(HOUSEHOLDS_PER_HELPER) as usize;
    }
    let helpers = next - cadres.len();

    Ok(County {
        towns,
        villages,
        cadres,
        helpers,
        posts,
        tasks,
        dispatches,
        visits,
        promotions,
        members,
        lex,
        ids,
    })
}

/// Towns, their battle zones, and the four leaders of each: zone commander
/// and deputy at county level, party secretary and head at town level.
fn layout_towns(
    opts: &Options,
    lex: &Lexicon,
    rng: &mut Rng,
    roster: &mut Roster,
) -> Result<Vec<Town>> {
    let specs: Vec<(String, String, u32, u32)> = match opts.households {
        None => ZHONGSHAN_TOWNS
            .iter()
            .map(|&(n, name, c, v)| (format!("{}{n}", county_code()), name.to_string(), c, v))
            .collect(),
        Some(n) => {
            let villages = n.div_ceil(HOUSEHOLDS_PER_VILLAGE);
            // Town codes have 3 digits (100–999), so past 900 towns the
            // towns grow instead.
            let towns = villages.div_ceil(VILLAGES_PER_TOWN).min(900);
            let mut specs = Vec::new();
            for i in 0..towns {
                let count = ((i + 1) * villages / towns - i * villages / towns) as u32;
                // The town seat is a community; village numbers 201–999
                // limit a town to 799 villages.
                let communities = u32::from(count >= 2);
                if count - communities > 799 {
                    return Err(Error(format!(
                        "--households {n}: too many villages per town for 12-digit village codes"
                    )));
                }
                let i = i as usize;
                // Place names repeat after a full walk; 乡 keeps town names unique.
                let kind = if i < lex.places.len() { "镇" } else { "乡" };
                specs.push((
                    format!("{}{}", county_code(), 100 + i),
                    format!("{}{kind}", lex.place(i, 17)),
                    communities,
                    count - communities,
                ));
            }
            specs
        }
    };
    let zone_width = specs.len().to_string().len().max(2);
    let mut towns = Vec::new();
    for (i, (code, name, communities, villages)) in specs.into_iter().enumerate() {
        let leader_unit = LEADER_UNITS[i % LEADER_UNITS.len()].to_string();
        let commander = roster.hire(rng, 850, leader_unit, Level::County);
        let deputy_unit = BACKING_UNITS[i * 7 % BACKING_UNITS.len()].to_string();
        let deputy = roster.hire(rng, 750, deputy_unit, Level::County);
        let secretary = roster.hire(rng, 800, format!("{name}党委"), Level::Town);
        let head = roster.hire(rng, 700, format!("{name}人民政府"), Level::Town);
        towns.push(Town {
            code,
            zone: format!("ZQ{:0zone_width$}", i + 1),
            name,
            commander,
            deputy,
            secretary,
            head,
            communities,
            villages,
        });
    }
    Ok(towns)
}

fn layout_villages(opts: &Options, towns: &[Town], lex: &Lexicon, rng: &mut Rng) -> Vec<Village> {
    let mut villages = Vec::new();
    let (mut nth_village, mut nth_community) = (0, 0);
    let mut add = |code: String, name: String, town: usize, community: bool, population: u32| {
        let backing_unit = BACKING_UNITS[villages.len() % BACKING_UNITS.len()];
        villages.push(Village {
            code,
            name,
            town,
            community,
            population,
            poor: None,
            backing_unit,
            households: 0,
            remaining: 0,
            team: Vec::new(),
            first_helper: 0,
        });
    };
    for (t, town) in towns.iter().enumerate() {
        // Communities are numbered 001…, villages 201…, as in the real codes.
        for k in 0..town.communities {
            let name = COMMUNITY_NAMES[nth_community % COMMUNITY_NAMES.len()];
            nth_community += 1;
            let code = format!("{}{:03}", town.code, k + 1);
            add(code, format!("{name}社区"), t, true, rng.range(3500, 9000));
        }
        for k in 0..town.villages {
            let name = format!("{}村", lex.place(nth_village, 0));
            nth_village += 1;
            let code = format!("{}{:03}", town.code, 201 + k);
            add(code, name, t, false, rng.range(1800, 5200));
        }
    }
    if opts.households.is_none() {
        // Names are unique so far; repeat two of them in another town so
        // that imports by name must tell them apart by town.
        for (from_town, to_town) in [(0, 1), (10, 8)] {
            let from = villages
                .iter()
                .position(|v| v.town == from_town && !v.community);
            let to = villages.iter().rposition(|v| v.town == to_town);
            if let (Some(from), Some(to)) = (from, to) {
                villages[to].name = villages[from].name.clone();
            }
        }
        // Scale the made-up populations to the published total, so that
        // 3394 / total is the published incidence of 0.86 %.
        let raw: u64 = villages.iter().map(|v| u64::from(v.population)).sum();
        for v in &mut villages {
            v.population = (u64::from(v.population) * u64::from(PUBLISHED_POPULATION) / raw) as u32;
        }
        let short = PUBLISHED_POPULATION - villages.iter().map(|v| v.population).sum::<u32>();
        for v in villages.iter_mut().take(short as usize) {
            v.population += 1;
        }
    }
    villages
}

/// Picks the registered poor villages (more of them in the Yao townships),
/// the few still poor at the end of 2019 (in distinct towns where possible),
/// and the lift dates of the others, spread over 2016–2019.
fn choose_poor_villages(
    villages: &mut [Village],
    towns: &[Town],
    targets: &Targets,
    rng: &mut Rng,
) {
    let weight = |i: usize| {
        if towns[villages[i].town].name.ends_with("瑶族乡") {
            3
        } else {
            1
        }
    };
    let rural: Vec<usize> = (0..villages.len())
        .filter(|&i| !villages[i].community)
        .collect();
    let mut poor = weighted_order(rural, weight, rng);
    poor.truncate(targets.poor_villages);

    let ranked = weighted_order(poor.clone(), weight, rng);
    let mut is_still = vec![false; villages.len()];
    let mut town_taken = vec![false; towns.len()];
    let mut still = Vec::new();
    for distinct_towns in [true, false] {
        for &i in &ranked {
            let t = villages[i].town;
            if still.len() < targets.still_poor
                && !is_still[i]
                && !(distinct_towns && town_taken[t])
            {
                still.push(i);
                is_still[i] = true;
                town_taken[t] = true;
            }
        }
    }

    let mut earlier: Vec<usize> = poor.into_iter().filter(|&i| !is_still[i]).collect();
    rng.shuffle(&mut earlier);
    let shares: usize = VILLAGE_LIFT_YEARS.iter().map(|(_, s)| s).sum();
    let n = earlier.len();
    for (j, &i) in earlier.iter().enumerate() {
        // The j-th of n falls in the year whose cumulative share covers
        // j * shares / n: exactly 8/10/12/8 villages when n = 38.
        let mut pos = j * shares / n;
        let mut year = VILLAGE_LIFT_YEARS[0].0;
        for &(y, s) in &VILLAGE_LIFT_YEARS {
            year = y;
            if pos < s {
                break;
            }
            pos -= s;
        }
        let lifted = rng.date(Date::ymd(year, 12, 10), Date::ymd(year, 12, 28));
        villages[i].poor = Some((POOR_VILLAGE_REGISTERED, lifted));
    }
    for &i in &still {
        let lifted = rng.date(Date::ymd(2020, 11, 5), Date::ymd(2020, 11, 25));
        villages[i].poor = Some((POOR_VILLAGE_REGISTERED, lifted));
    }
}

/// Weighted sampling without replacement, in O(n log n): orders the
/// candidates by a random key divided by their weight, so heavier ones tend
/// to come first; take a prefix for a sample.
fn weighted_order(
    candidates: Vec<usize>,
    weight: impl Fn(usize) -> u64,
    rng: &mut Rng,
) -> Vec<usize> {
    let mut keyed: Vec<(u64, usize)> = candidates
        .into_iter()
        .map(|i| (rng.next_u64() / weight(i), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Decides how many households each village has and how many of them are
/// still poor at the end of 2019. For the published county it also draws
/// every household size up front, so that the totals can be made exact.
fn allocate_households(opts: &Options, villages: &mut [Village], rng: &mut Rng) -> Result<Members> {
    let (lifted_count, remaining_count, members) = match opts.households {
        Some(n) => {
            let remaining = n * REMAINING_PER_MILLE / 1000;
            (n - remaining, remaining, Members::Drawn)
        }
        None => {
            let mut remaining: Vec<u8> = (0..REMAINING_HOUSEHOLDS)
                .map(|_| draw_members(rng, &MEMBERS_REMAINING))
                .collect();
            // Nudge random households by one person until the sum is exact.
            let mut sum: u32 = remaining.iter().map(|&m| u32::from(m)).sum();
            while sum != REMAINING_PEOPLE {
                let m = &mut remaining[rng.index(REMAINING_HOUSEHOLDS as usize)];
                if sum < REMAINING_PEOPLE && *m < 8 {
                    *m += 1;
                    sum += 1;
                } else if sum > REMAINING_PEOPLE && *m > 1 {
                    *m -= 1;
                    sum -= 1;
                }
            }
            // Households lifted before 2020 until their people add up to the
            // rest of the published total; the last one is cut to fit.
            let mut lifted = Vec::new();
            let mut left = TOTAL_PEOPLE - REMAINING_PEOPLE;
            while left > 0 {
                let m = u32::from(draw_members(rng, &MEMBERS_LIFTED)).min(left);
                lifted.push(m as u8);
                left -= m;
            }
            let counts = (lifted.len() as u64, u64::from(REMAINING_HOUSEHOLDS));
            (counts.0, counts.1, Members::Planned { lifted, remaining })
        }
    };

    // Households follow population, more of them in poor villages, fewer in
    // the urban communities; the last poor ones gather in the villages still
    // poor at the end of 2019.
    let lifted_weight = |v: &Village| {
        v.population
            * match (v.community, v.poor.is_some()) {
                (true, _) => 1,
                (false, false) => 2,
                (false, true) => 5,
            }
    };
    let remaining_weight = |v: &Village| {
        v.population
            * match (v.community, v.poor.is_some(), v.still_poor_2019()) {
                (true, _, _) => 1,
                (false, false, _) => 2,
                (false, true, false) => 3,
                (false, true, true) => 20,
            }
    };
    let lifted = spread(lifted_count, villages.iter().map(lifted_weight), rng);
    let remaining = spread(remaining_count, villages.iter().map(remaining_weight), rng);
    for ((v, l), r) in villages.iter_mut().zip(lifted).zip(remaining) {
        v.households = l + r;
        v.remaining = r;
        if v.households > 9999 {
            return Err(Error(format!(
                "village {} would have {} households; 16-digit household codes allow 9999",
                v.code, v.households
            )));
        }
    }
    Ok(members)
}

fn draw_members(rng: &mut Rng, weights: &[u32; 8]) -> u8 {
    rng.weighted(weights.iter().copied()) as u8 + 1
}

/// Distributes `n` items over buckets with the given weights, one weighted
/// draw per item (binary search on the cumulative weights).
fn spread(n: u64, weights: impl Iterator<Item = u32>, rng: &mut Rng) -> Vec<u32> {
    let mut cumulative = Vec::new();
    let mut total = 0u64;
    for w in weights {
        total += u64::from(w);
        cumulative.push(total);
    }
    let mut counts = vec![0u32; cumulative.len()];
    for _ in 0..n {
        let r = rng.below(total);
        counts[cumulative.partition_point(|&c| c <= r)] += 1;
    }
    counts
}

/// Work teams, information officers, then village party secretaries and
/// committee directors, each group a block of cadre codes.
fn staff_villages(
    villages: &mut [Village],
    towns: &[Town],
    targets: &Targets,
    rng: &mut Rng,
    roster: &mut Roster,
) -> Result<()> {
    // Team sizes: villages still poor at the end of 2019 get 5 (first
    // secretary, team leader, 3 members), other poor villages 3 (first
    // secretary, 2 members), ordinary villages pairs (leader and member)
    // while the target lasts, and what is left goes out as extra members.
    // Urban communities get no team.
    let mut sizes: Vec<usize> = villages
        .iter()
        .map(|v| match (v.poor.is_some(), v.still_poor_2019()) {
            (_, true) => 5,
            (true, false) => 3,
            _ => 0,
        })
        .collect();
    let base: usize = sizes.iter().sum();
    let mut left = targets.work_team.saturating_sub(base);
    let mut ordinary: Vec<usize> = (0..villages.len())
        .filter(|&i| villages[i].poor.is_none() && !villages[i].community)
        .collect();
    rng.shuffle(&mut ordinary);
    for &i in &ordinary {
        if left >= 2 {
            sizes[i] = 2;
            left -= 2;
        }
    }
    let mut with_team: Vec<usize> = (0..villages.len()).filter(|&i| sizes[i] > 0).collect();
    rng.shuffle(&mut with_team);
    for k in 0..left {
        sizes[with_team[k % with_team.len()]] += 1;
    }
    // At the mid-2019 rotation a few teams got a new first secretary or
    // leader: the predecessor's post ends the day before.
    let mut replaced = vec![false; villages.len()];
    for &i in with_team.iter().take(targets.replaced) {
        replaced[i] = true;
    }

    for (i, v) in villages.iter_mut().enumerate() {
        let start = if v.poor.is_some() {
            rng.date(Date::ymd(2018, 3, 1), Date::ymd(2018, 3, 31))
        } else {
            rng.date(Date::ymd(2018, 3, 1), Date::ymd(2019, 3, 31))
        };
        for slot in 0..sizes[i] {
            let role = match (v.poor.is_some(), v.still_poor_2019(), slot) {
                (true, _, 0) => "first_secretary",
                (true, true, 1) | (false, _, 0) => "team_leader",
                _ => "team_member",
            };
            // The head of a team comes from the backing unit; members also
            // from the township government.
            let (unit, level) = if slot == 0 || rng.per_mille(500) {
                (v.backing_unit.to_string(), Level::County)
            } else {
                (format!("{}人民政府", towns[v.town].name), Level::Town)
            };
            let mut started = start;
            if slot == 0 && replaced[i] {
                let predecessor = roster.hire(rng, 700, unit.clone(), level);
                let ended = Some(ROTATION_DAY.plus(-1));
                roster.post(predecessor, role, Place::Village(i), start, ended);
                started = ROTATION_DAY;
            }
            let cadre = roster.hire(rng, 700, unit, level);
            roster.post(cadre, role, Place::Village(i), started, None);
            v.team.push(cadre);
        }
    }

    // Information officers: every poor village first, then others.
    let mut order: Vec<usize> = (0..villages.len()).collect();
    rng.shuffle(&mut order);
    order.sort_by_key(|&i| villages[i].poor.is_none());
    let mut officer = vec![false; villages.len()];
    for &i in order.iter().take(targets.info_officers) {
        officer[i] = true;
    }
    for (i, v) in villages.iter().enumerate() {
        if officer[i] {
            let cadre = roster.hire(rng, 500, v.committee(), Level::Village);
            let started = rng.date(Date::ymd(2016, 3, 1), Date::ymd(2017, 12, 31));
            roster.post(cadre, "info_officer", Place::Village(i), started, None);
        }
    }

    // Village heads: one cadre holds both posts (一肩挑) except in a few.
    let mut split = vec![false; villages.len()];
    rng.shuffle(&mut order);
    for &i in order.iter().take(targets.split_heads) {
        split[i] = true;
    }
    for (i, v) in villages.iter().enumerate() {
        let started = rng.date(Date::ymd(2018, 1, 2), Date::ymd(2018, 4, 30));
        let secretary = roster.hire(rng, 800, v.committee(), Level::Village);
        let director = if split[i] {
            roster.hire(rng, 800, v.committee(), Level::Village)
        } else {
            secretary
        };
        roster.post(
            secretary,
            "party_secretary",
            Place::Village(i),
            started,
            None,
        );
        roster.post(
            director,
            "committee_director",
            Place::Village(i),
            started,
            None,
        );
    }
    if villages
        .iter()
        .any(|v| v.poor.is_some() && v.team.is_empty())
    {
        return Err(Error("internal: a poor village has no work team".into()));
    }
    Ok(())
}

/// County-level listings (one per village still poor at the end of 2019,
/// each backed by a commando team) and township listings.
fn list_tasks(
    villages: &[Village],
    towns: &[Town],
    targets: &Targets,
    rng: &mut Rng,
    roster: &mut Roster,
) -> Vec<Task> {
    let mut tasks = Vec::new();
    let still: Vec<usize> = (0..villages.len())
        .filter(|&i| villages[i].still_poor_2019())
        .collect();
    let width = still.len().to_string().len().max(2);
    for (k, &i) in still.iter().enumerate() {
        let v = &villages[i];
        let town = &towns[v.town];
        let lifted = v.poor.map_or(END_2019, |(_, lifted)| lifted);
        let task = Task {
            code: format!("XJ{:0width$}", k + 1),
            title: format!("{}贫困村脱贫出列", v.name),
            county_level: true,
            village: Some(i),
            town: v.town,
            leader: town.commander,
            chairs: [town.commander, town.deputy],
            team: format!("{}攻坚突击队", v.name),
            listed: rng.date(Date::ymd(2020, 1, 8), Date::ymd(2020, 1, 17)),
            due: Date::ymd(2020, 11, 30),
            // The listing is done the day the village is lifted.
            done: lifted,
            note: format!("剩余贫困户{}户", v.remaining),
        };
        // Commando team: led by a township cadre, the rest from the
        // backing unit and the township; disbanded when the task is done.
        for slot in 0..rng.range(4, 6) {
            let (unit, level) = if slot == 0 || rng.per_mille(500) {
                (format!("{}人民政府", town.name), Level::Town)
            } else {
                (v.backing_unit.to_string(), Level::County)
            };
            let cadre = roster.hire(rng, 800, unit, level);
            roster.post(
                cadre,
                "commando",
                Place::Task(tasks.len()),
                task.listed,
                Some(task.done),
            );
        }
        tasks.push(task);
    }

    // Township listings: spread over the towns (a shuffled round-robin),
    // numbered in town order, titles distinct within a town.
    let mut order: Vec<usize> = (0..towns.len()).collect();
    rng.shuffle(&mut order);
    let mut per_town = vec![0usize; towns.len()];
    for j in 0..targets.town_tasks {
        per_town[order[j % order.len()]] += 1;
    }
    let total: usize = per_town.iter().sum();
    let width = total.to_string().len().max(2);
    let mut overdue = vec![false; total];
    for _ in 0..targets.overdue.min(total) {
        let mut j = rng.index(total);
        while overdue[j] {
            j = (j + 1) % total;
        }
        overdue[j] = true;
    }
    // Village-level listings go to villages that still have poor households.
    let mut with_poor: Vec<Vec<usize>> = vec![Vec::new(); towns.len()];
    for (i, v) in villages.iter().enumerate() {
        if v.remaining > 0 {
            with_poor[v.town].push(i);
        }
    }
    let mut nth = 0;
    for (t, town) in towns.iter().enumerate() {
        let in_town = &with_poor[t];
        let first_template = rng.index(VILLAGE_TASKS.len());
        for k in 0..per_town[t] {
            let (title, village) = if !in_town.is_empty() && rng.per_mille(600) {
                let i = rng.choose(in_town);
                let what = VILLAGE_TASKS[(first_template + k) % VILLAGE_TASKS.len()];
                (format!("{}{what}", villages[i].name), Some(i))
            } else {
                let what = TOWN_TASKS[(first_template + k) % TOWN_TASKS.len()];
                (format!("{}{what}", town.name), None)
            };
            let listed = rng.date(Date::ymd(2020, 1, 6), Date::ymd(2020, 3, 20));
            let (m, d) = rng.choose(&TASK_DUE);
            let due = Date::ymd(2020, m, d);
            // Most finish before their deadline; a few run late for a while.
            let (done, note) = if overdue[nth] {
                (
                    due.plus(rng.range(8, 30) as i32),
                    "因雨季施工延误，逾期完成",
                )
            } else {
                (
                    due.plus(-(rng.range(0, 45) as i32)).max(listed.plus(30)),
                    "",
                )
            };
            let (leader, other) = if k % 2 == 0 {
                (town.secretary, town.head)
            } else {
                (town.head, town.secretary)
            };
            tasks.push(Task {
                code: format!("XZ{:0width$}", nth + 1),
                title,
                county_level: false,
                village,
                town: t,
                leader,
                chairs: [leader, other],
                team: String::new(),
                listed,
                due,
                done,
                note: note.to_string(),
            });
            nth += 1;
        }
    }
    tasks
}

/// One dispatch per two-month block of 2020, from the block of listing to
/// the block of completion; progress rises and reaches 100 at the last
/// meeting, held in the week up to the completion day (a task is
/// dispatched while it is listed, between its listing and its completion).
fn dispatch_tasks(tasks: &[Task], rng: &mut Rng) -> Vec<Dispatch> {
    let mut dispatches = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let (first, last) = (task.listed.block(), task.done.block());
        let n = last - first + 1;
        let mut progress = 0;
        for (k, block) in (first..=last).enumerate() {
            let k = k as u32;
            let (start, end) = Date::block_bounds(2020, block);
            let final_block = block == last;
            let held = if final_block {
                rng.date(task.done.plus(-7).max(start).max(task.listed), task.done)
            } else {
                // Dispatch meetings are held in the second month of a block.
                let second_month = Date::ymd(2020, 2 * block + 2, 1);
                rng.date(task.listed.max(second_month).max(start), end)
            };
            let (found, solved);
            if final_block {
                progress = 100;
                found = rng.range(0, 1);
                solved = found;
            } else {
                let ideal = 100 * (k + 1) / n;
                let hi = ideal.max(progress + 1).min(99);
                let lo = (progress + 1).max(hi.saturating_sub(10)).min(hi);
                progress = rng.range(lo, hi);
                found = if k == 0 {
                    rng.range(2, 6)
                } else {
                    rng.range(0, 4)
                };
                solved = found - rng.range(0, found.min(2));
            }
            let note = match (k, final_block) {
                (_, true) => rng.choose(&DISPATCH_DONE),
                (0, false) => rng.choose(&DISPATCH_FIRST),
                _ => rng.choose(&DISPATCH_MIDDLE),
            };
            let chair = task.chairs[usize::from(!rng.per_mille(650))];
            dispatches.push(Dispatch {
                task: t,
                held,
                chair,
                progress,
                found,
                solved,
                note,
            });
        }
    }
    dispatches
}

/// Cadres promoted in 2020 for their work: first secretaries, team leaders
/// and commando members.
fn promote(
    villages: &[Village],
    towns: &[Town],
    tasks: &[Task],
    roster: &Roster,
    targets: &Targets,
    rng: &mut Rng,
) -> Vec<Promotion> {
    let mut candidates: Vec<(usize, usize)> = roster
        .posts
        .iter()
        .filter(|p| p.ended.is_none() || p.role == "commando")
        .filter_map(|p| match (p.role, &p.place) {
            ("first_secretary" | "team_leader", Place::Village(v)) => {
                Some((p.cadre, villages[*v].town))
            }
            ("commando", Place::Task(t)) => Some((p.cadre, tasks[*t].town)),
            _ => None,
        })
        .collect();
    rng.shuffle(&mut candidates);
    candidates
        .into_iter()
        .take(targets.promotions)
        .map(|(cadre, t)| {
            let town = &towns[t];
            let unit = &roster.cadres[cadre].unit;
            let post = match rng.index(5) {
                0 => format!("任{}党委副书记", town.name),
                1 => format!("任{}党委委员、副{}", town.name, town.head_title()),
                2 => format!("任{}人大主席", town.name),
                3 => "任县扶贫开发办公室副主任".to_string(),
                _ if unit.ends_with('局') => format!("任{unit}副局长"),
                _ => "任县农业农村局副局长".to_string(),
            };
            Promotion {
                cadre,
                date: rng.date(Date::ymd(2020, 6, 1), Date::ymd(2020, 12, 31)),
                post,
                note: rng.choose(&PROMOTION_NOTES),
            }
        })
        .collect()
}

/// Work-team members visiting households of their village (most visits) or
/// the village itself, during 2020.
fn visit(villages: &[Village], targets: &Targets, rng: &mut Rng) -> Vec<Visit> {
    let visitors: Vec<(usize, usize)> = villages
        .iter()
        .enumerate()
        .flat_map(|(i, v)| v.team.iter().map(move |&c| (c, i)))
        .collect();
    let mut visits: Vec<Visit> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut attempts = 0;
    while visits.len() < targets.visits && !visitors.is_empty() && attempts < 20 * targets.visits {
        attempts += 1;
        let (cadre, village) = rng.choose(&visitors);
        let date = rng.date(Date::ymd(2020, 1, 2), Date::ymd(2020, 12, 30));
        let households = villages[village].households;
        let (household, note) = if households > 0 && rng.per_mille(800) {
            (
                Some(rng.range(1, households)),
                rng.choose(&HOUSEHOLD_VISITS),
            )
        } else {
            (None, rng.choose(&VILLAGE_VISITS))
        };
        // The key of a visit is (cadre, date, village or household).
        if seen.insert((cadre, date, village, household)) {
            visits.push(Visit {
                cadre,
                date,
                village,
                household,
                note,
            });
        }
    }
    visits
}

// ---------------------------------------------------------------------------
// Writing

/// A CSV file in the import contract: UTF-8, `\n`, quoting only when needed
/// (the csv crate's defaults, which the exporter uses too).
struct CsvFile {
    path: PathBuf,
    writer: csv::Writer<File>,
}

impl CsvFile {
    fn create(dir: &Path, name: &str, header: &[&str]) -> Result<CsvFile> {
        let path = dir.join(name);
        let file = File::create(&path)
            .map_err(|e| Error(format!("cannot create {}: {e}", path.display())))?;
        let writer = csv::WriterBuilder::new()
            .buffer_capacity(1 << 20)
            .from_writer(file);
        let mut csv = CsvFile { path, writer };
        csv.row(header)?;
        Ok(csv)
    }

    fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer
            .write_record(fields)
            .map_err(|e| Error(format!("cannot write {}: {e}", self.path.display())))
    }

    fn finish(mut self) -> Result<()> {
        self.writer
            .flush()
            .map_err(|e| Error(format!("cannot write {}: {e}", self.path.display())))
    }
}

/// Writes rows sorted by their first `key` columns (byte order, empty cells
/// first), refusing duplicate keys, which the importer would merge.
fn write_sorted<const N: usize>(
    dir: &Path,
    name: &str,
    header: [&str; N],
    key: usize,
    mut rows: Vec<[String; N]>,
) -> Result<()> {
    rows.sort_by(|a, b| a[..key].cmp(&b[..key]));
    if let Some(pair) = rows.windows(2).find(|p| p[0][..key] == p[1][..key]) {
        return Err(Error(format!(
            "internal: duplicate key in {name}: {}",
            pair[0][..key].join(",")
        )));
    }
    let mut csv = CsvFile::create(dir, name, &header)?;
    for row in &rows {
        csv.row(row)?;
    }
    csv.finish()
}

fn date_or_empty(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Writes the files; returns the number of households written.
fn write_all(c: &County, opts: &Options) -> Result<u64> {
    let dir = opts.out.as_path();
    write_cadres(c, dir, opts.seed)?;

    let zones = c.towns.iter().map(|t| {
        [
            t.zone.clone(),
            format!("{}作战区", t.name),
            c.cadre_code(t.commander),
            c.cadre_code(t.deputy),
        ]
    });
    write_sorted(
        dir,
        "zones.csv",
        ["code", "name", "commander", "deputy"],
        1,
        zones.collect(),
    )?;

    let towns = c
        .towns
        .iter()
        .map(|t| [t.code.clone(), t.name.clone(), t.zone.clone()]);
    write_sorted(
        dir,
        "towns.csv",
        ["code", "name", "zone"],
        1,
        towns.collect(),
    )?;

    let villages = c.villages.iter().map(|v| {
        [
            v.code.clone(),
            v.name.clone(),
            c.towns[v.town].code.clone(),
            if v.community { "community" } else { "village" }.to_string(),
            v.population.to_string(),
            if v.poor.is_some() { "yes" } else { "no" }.to_string(),
            date_or_empty(v.poor.map(|p| p.0)),
            date_or_empty(v.poor.map(|p| p.1)),
        ]
    });
    let header = [
        "code",
        "name",
        "town",
        "kind",
        "population",
        "poor_village",
        "registered_on",
        "lifted_on",
    ];
    write_sorted(dir, "villages.csv", header, 1, villages.collect())?;

    let households = write_households(c, dir, opts.seed)?;

    let tasks = c.tasks.iter().map(|t| {
        [
            t.code.clone(),
            t.title.clone(),
            if t.county_level { "county" } else { "town" }.to_string(),
            t.village
                .map(|v| c.villages[v].code.clone())
                .unwrap_or_default(),
            c.towns[t.town].code.clone(),
            c.cadre_code(t.leader),
            t.team.clone(),
            t.listed.to_string(),
            t.due.to_string(),
            t.done.to_string(),
            t.note.clone(),
        ]
    });
    let header = [
        "code",
        "title",
        "level",
        "village",
        "town",
        "leader",
        "team",
        "listed_on",
        "due_on",
        "done_on",
        "note",
    ];
    write_sorted(dir, "tasks.csv", header, 1, tasks.collect())?;

    let posts = c.posts.iter().map(|p| {
        let (village, task) = match p.place {
            Place::Village(v) => (c.villages[v].code.clone(), String::new()),
            Place::Task(t) => (String::new(), c.tasks[t].code.clone()),
        };
        [
            c.cadre_code(p.cadre),
            p.role.to_string(),
            String::new(), // no posts are placed on a town
            village,
            task,
            p.started.to_string(),
            date_or_empty(p.ended),
        ]
    });
    let header = [
        "cadre",
        "role",
        "town",
        "village",
        "task",
        "started_on",
        "ended_on",
    ];
    write_sorted(dir, "posts.csv", header, 6, posts.collect())?;

    let dispatches = c.dispatches.iter().map(|d| {
        [
            c.tasks[d.task].code.clone(),
            d.held.to_string(),
            c.cadre_code(d.chair),
            d.progress.to_string(),
            d.found.to_string(),
            d.solved.to_string(),
            d.note.to_string(),
        ]
    });
    let header = [
        "task",
        "held_on",
        "chaired_by",
        "progress",
        "problems_found",
        "problems_solved",
        "note",
    ];
    write_sorted(dir, "dispatches.csv", header, 2, dispatches.collect())?;

    let visits = c.visits.iter().map(|v| {
        let (village, household) = match v.household {
            Some(h) => (String::new(), c.household_code(v.village, h)),
            None => (c.villages[v.village].code.clone(), String::new()),
        };
        [
            c.cadre_code(v.cadre),
            v.date.to_string(),
            village,
            household,
            v.note.to_string(),
        ]
    });
    let header = ["cadre", "visited_on", "village", "household", "note"];
    write_sorted(dir, "visits.csv", header, 4, visits.collect())?;

    let promotions = c.promotions.iter().map(|p| {
        [
            c.cadre_code(p.cadre),
            p.date.to_string(),
            p.post.clone(),
            p.note.to_string(),
        ]
    });
    let header = ["cadre", "promoted_on", "post", "note"];
    write_sorted(dir, "promotions.csv", header, 2, promotions.collect())?;

    Ok(households)
}

/// The planned cadres, then the helper cadres of each village, generated
/// on the fly (there are N / 8 of them in scale mode).
fn write_cadres(c: &County, dir: &Path, seed: u64) -> Result<()> {
    let header = ["code", "name", "gender", "unit", "level", "phone"];
    let mut csv = CsvFile::create(dir, "cadres.csv", &header)?;
    let write = |csv: &mut CsvFile, i: usize, cadre: &Cadre| {
        let gender = match cadre.gender {
            Gender::Male => "male",
            Gender::Female => "female",
        };
        csv.row([
            c.cadre_code(i).as_str(),
            &cadre.name,
            gender,
            &cadre.unit,
            cadre.level.as_str(),
            &cadre.phone,
        ])
    };
    for (i, cadre) in c.cadres.iter().enumerate() {
        write(&mut csv, i, cadre)?;
    }
    let mut rng = Rng::new(seed, Stream::Helpers);
    for v in &c.villages {
        for j in 0..v.households.div_ceil(HOUSEHOLDS_PER_HELPER) as usize {
            // Helpers come from the backing unit or the township government.
            let (unit, level) = if rng.per_mille(600) {
                (v.backing_unit.to_string(), Level::County)
            } else {
                (format!("{}人民政府", c.towns[v.town].name), Level::Town)
            };
            let cadre = new_cadre(&mut rng, &c.lex, 650, unit, level);
            write(&mut csv, v.first_helper + j, &cadre)?;
        }
    }
    csv.finish()
}

/// Streams the households in code order (village code + 4 digits), one
/// village at a time; returns how many were written.
fn write_households(c: &County, dir: &Path, seed: u64) -> Result<u64> {
    let header = [
        "code",
        "village",
        "head_name",
        "id_number",
        "members",
        "attribute",
        "cause",
        "registered_on",
        "lifted_on",
        "helper",
        "phone",
        "note",
    ];
    let mut csv = CsvFile::create(dir, "households.csv", &header)?;
    let mut people = People::create(dir, seed)?;
    let mut monitoring = Monitoring::new(seed);
    let mut events = Events::new(seed);
    let mut assessments = Assessments::create(dir, seed)?;
    let mut rng = Rng::new(seed, Stream::HouseholdRows);
    let (mut planned_lifted, mut planned_remaining) = match &c.members {
        Members::Planned { lifted, remaining } => (Some(lifted.iter()), Some(remaining.iter())),
        Members::Drawn => (None, None),
    };
    let exhausted = || Error("internal: ran out of planned household sizes".into());
    let (mut code, mut id, mut phone) = (String::new(), String::new(), String::new());
    let mut written: u64 = 0;
    let mut poor_in_2020: Vec<bool> = Vec::new();
    for v in &c.villages {
        // Which of the village's households are still poor at the end of 2019.
        poor_in_2020.clear();
        poor_in_2020.resize(v.households as usize, false);
        poor_in_2020[..v.remaining as usize].fill(true);
        rng.shuffle(&mut poor_in_2020);
        // In a village still poor, its households are lifted no later than
        // the village itself.
        let last_lift = match v.poor {
            Some((_, lifted)) if lifted > END_2019 => lifted,
            _ => Date::ymd(2020, 12, 31),
        };
        for (h, &still_poor) in poor_in_2020.iter().enumerate() {
            code.clear();
            let _ = write!(code, "{}{:04}", v.code, h + 1);
            let gender = if rng.per_mille(780) {
                Gender::Male
            } else {
                Gender::Female
            };
            let name = c.lex.person(&mut rng, gender);
            id.clear();
            c.ids.push(written, gender, &mut id);
            let members = match (still_poor, &mut planned_lifted, &mut planned_remaining) {
                (false, Some(it), _) => *it.next().ok_or_else(exhausted)?,
                (true, _, Some(it)) => *it.next().ok_or_else(exhausted)?,
                (false, None, _) => draw_members(&mut rng, &MEMBERS_LIFTED),
                (true, _, None) => draw_members(&mut rng, &MEMBERS_REMAINING),
            };
            // People living alone are more often on minimum living
            // allowance (低保) or in state support (特困供养).
            let attribute = match (members, rng.below(1000)) {
                (1, r) if r < 200 => "extreme_poverty",
                (1, r) if r < 500 => "low_income",
                (_, r) if r < 10 => "extreme_poverty",
                (_, r) if r < 130 => "low_income",
                _ => "general",
            };
            let cause = CAUSES[rng.weighted(CAUSES.iter().map(|c| c.1))].0;
            let year = REGISTERED_YEARS[rng.weighted(REGISTERED_YEARS.iter().map(|y| y.1))].0;
            let registered = rng.date(Date::ymd(year, 4, 1), Date::ymd(year, 9, 30));
            // Households are lifted at the year-end assessment (October to
            // December), never before the year they were registered.
            let lifted = if still_poor {
                rng.date(Date::ymd(2020, 3, 1), last_lift)
            } else {
                let mut y = 0;
                while y < year {
                    y = LIFTED_YEARS[rng.weighted(LIFTED_YEARS.iter().map(|y| y.1))].0;
                }
                rng.date(Date::ymd(y, 10, 1), Date::ymd(y, 12, 31))
            };
            let helper = c.cadre_code(v.first_helper + h / HOUSEHOLDS_PER_HELPER as usize);
            phone.clear();
            if rng.per_mille(850) {
                push_mobile(&mut rng, &mut phone);
            }
            let note = if rng.per_mille(40) {
                rng.choose(&HOUSEHOLD_NOTES)
            } else {
                ""
            };
            csv.row([
                code.as_str(),
                &v.code,
                &name,
                &id,
                &members.to_string(),
                attribute,
                cause,
                &registered.to_string(),
                &lifted.to_string(),
                &helper,
                &phone,
                note,
            ])?;
            let monitored = monitoring.rows.len();
            monitoring.lifted(&code, &v.code, &name, &id, members, &helper);
            let later = if monitoring.rows.len() == monitored {
                events.household(&code, lifted)
            } else {
                Later::default()
            };
            people.registered = registered;
            people.died = later.died;
            people.household(
                &c.lex,
                &code,
                &name,
                &id,
                gender,
                u32::from(members),
                cause,
                attribute,
            )?;
            let course = Course {
                registered,
                lifted,
                later,
            };
            assessments.household(&code, attribute, &course, &people.rows)?;
            written += 1;
        }
        monitoring.ordinary(c, v);
    }
    let left_over = planned_lifted.is_some_and(|mut it| it.next().is_some())
        || planned_remaining.is_some_and(|mut it| it.next().is_some());
    if left_over {
        return Err(Error("internal: planned household sizes left over".into()));
    }
    csv.finish()?;
    people.csv.finish()?;
    assessments.csv.finish()?;
    monitoring.write(dir)?;
    events.write(dir)?;
    Ok(written)
}

// ---------------------------------------------------------------------------
// The register's changes after a first lift (动态调整)

/// A few households' later steps (`household_events.csv`), from a stream
/// of their own so that every other file is what it was, and only among
/// households that are never monitored: some lifted in 2016 returned to
/// poverty in 2017 and were lifted again in 2019; some lifted by 2018 were
/// removed in 2019 as wrongly identified (回头看) or left the register when
/// the last member died. None is poor at the end of 2019 or 2020 because of
/// it, so the published figures stand.
struct Events {
    rng: Rng,
    rows: Vec<[String; 6]>,
}

/// A household's changes as its assessments need them.
#[derive(Default)]
struct Later {
    /// Back in poverty, and lifted again.
    returned: Option<(Date, Date)>,
    /// Off the register (removed, or left).
    off: Option<Date>,
    /// The day its last member died, when that is how it left.
    died: Option<Date>,
}

impl Events {
    fn new(seed: u64) -> Events {
        Events {
            rng: Rng::new(seed, Stream::Events),
            rows: Vec::new(),
        }
    }

    /// Draws the household's changes.
    fn household(&mut self, code: &str, lifted: Date) -> Later {
        let row = |event: &str, date: Date, cause: &str, reason: &str| {
            [
                code.to_string(),
                event.to_string(),
                date.to_string(),
                cause.to_string(),
                reason.to_string(),
                String::new(),
            ]
        };
        let draw = self.rng.below(1000);
        let year = lifted.civil().0;
        if year == 2016 && draw < 3 {
            let cause = ["illness", "accident", "disaster"][self.rng.below(3) as usize];
            let back = self.rng.date(Date::ymd(2017, 3, 1), Date::ymd(2017, 9, 30));
            let again = self
                .rng
                .date(Date::ymd(2019, 10, 1), Date::ymd(2019, 11, 30));
            self.rows.push(row("returned", back, cause, ""));
            self.rows.push(row("lifted", again, "", ""));
            return Later {
                returned: Some((back, again)),
                ..Later::default()
            };
        } else if year <= 2018 && draw < 1 {
            let day = self.rng.date(Date::ymd(2019, 3, 1), Date::ymd(2019, 6, 30));
            self.rows
                .push(row("removed", day, "", "wrong_identification"));
            return Later {
                off: Some(day),
                ..Later::default()
            };
        } else if year <= 2018 && (1..2).contains(&draw) {
            let day = self
                .rng
                .date(Date::ymd(2019, 1, 1), Date::ymd(2019, 12, 31));
            self.rows.push(row("left", day, "", "died"));
            return Later {
                off: Some(day),
                died: Some(day),
                ..Later::default()
            };
        }
        Later::default()
    }

    /// Writes the changes in the order fupin exports them: by household,
    /// then date.
    fn write(mut self, dir: &Path) -> Result<()> {
        self.rows
            .sort_by(|a, b| (&a[0], &a[2], &a[1]).cmp(&(&b[0], &b[2], &b[1])));
        let header = ["household", "event", "date", "cause", "reason", "note"];
        let mut csv = CsvFile::create(dir, "household_events.csv", &header)?;
        for row in &self.rows {
            csv.row(row)?;
        }
        csv.finish()
    }
}

// ---------------------------------------------------------------------------
// The yearly assessments (年度收入与保障), 2014–2020

/// The national income line of each year, yuan per head (fupin's
/// `standards::NATIONAL`), which every lifted household's income clears.
const INCOME_LINES: [(i32, u64); 7] = [
    (2014, 2800),
    (2015, 2855),
    (2016, 2952),
    (2017, 2952),
    (2018, 2995),
    (2019, 3218),
    (2020, 4000),
];

/// Where a household stands at a year's end.
struct Course {
    registered: Date,
    lifted: Date,
    later: Later,
}

impl Course {
    /// Poor (`true`) or lifted at `end`; `None` before it was registered
    /// or once it is off the register.
    fn poor_at(&self, end: Date) -> Option<bool> {
        if self.registered > end || self.later.off.is_some_and(|d| d <= end) {
            return None;
        }
        Some(match self.later.returned {
            Some((back, again)) if back <= end && end < again => true,
            _ => end < self.lifted,
        })
    }
}

/// One assessment per household and year on the register
/// (`assessments.csv`), from a stream of its own, agreeing with the
/// household and its people: a poor household's income below the line
/// (and above half of it), a lifted one's above it with the two
/// assurances and three guarantees met, wages exactly when someone
/// present works, 低保金 to a 低保 household and 特困供养金 to a 特困 one.
struct Assessments {
    csv: CsvFile,
    rng: Rng,
}

/// Yuan of fen, with the jiao when there are any (`4523.5`).
fn yuan(fen: u64) -> String {
    match fen % 100 / 10 {
        0 => (fen / 100).to_string(),
        jiao => format!("{}.{jiao}", fen / 100),
    }
}

impl Assessments {
    fn create(dir: &Path, seed: u64) -> Result<Assessments> {
        // Every column `export` writes, so the file comes back byte for
        // byte; the parts of income not drawn are left empty.
        let header = [
            "household",
            "year",
            "income",
            "wage_income",
            "business_income",
            "property_income",
            "transfer_income",
            "business_costs",
            "dibao_paid",
            "tekun_paid",
            "food_secure",
            "clothing_secure",
            "dilapidated",
            "housing_grade",
            "safe_water",
            "electricity",
            "note",
        ];
        Ok(Assessments {
            csv: CsvFile::create(dir, "assessments.csv", &header)?,
            rng: Rng::new(seed, Stream::Assessments),
        })
    }

    fn household(
        &mut self,
        code: &str,
        attribute: &str,
        course: &Course,
        people: &[Person],
    ) -> Result<()> {
        let flag = |b: bool| if b { "yes" } else { "no" };
        // Per mille of the line once lifted: it grows a little each year.
        let mut above: Option<u32> = None;
        for (year, line) in INCOME_LINES {
            let end = Date::ymd(year, 12, 31);
            let Some(poor) = course.poor_at(end) else {
                continue;
            };
            let rng = &mut self.rng;
            let per_mille = if poor {
                above = None;
                rng.range(550, 950)
            } else {
                let p = match above {
                    None => rng.range(1150, 1500),
                    Some(p) => (p + rng.range(30, 120)).min(1900),
                };
                above = Some(p);
                p
            };
            let income = line * 100 * u64::from(per_mille) / 10_000 * 10;
            let present = people.iter().filter(|p| p.present_at(end));
            let total = income * present.clone().count() as u64;
            let mut share = |lo: u32, hi: u32| total * u64::from(rng.range(lo, hi)) / 100_000 * 100;
            let extreme = attribute == "extreme_poverty";
            let wage = if present.clone().any(Person::working) {
                // 特困 households live mostly on their support.
                if extreme {
                    share(150, 300)
                } else {
                    share(300, 500)
                }
            } else {
                0
            };
            let dibao = if attribute == "low_income" {
                share(200, 350)
            } else {
                0
            };
            let tekun = if extreme { share(350, 500) } else { 0 };
            let transfer = dibao + tekun + share(30, 100);
            let (food, clothing, dilapidated, water, power) = if poor {
                (
                    rng.per_mille(960),
                    rng.per_mille(970),
                    rng.per_mille(180),
                    rng.per_mille(880),
                    rng.per_mille(990),
                )
            } else {
                (true, true, false, true, true)
            };
            self.csv.row([
                code,
                &year.to_string(),
                &yuan(income),
                &yuan(wage),
                "",
                "",
                &yuan(transfer),
                "",
                &yuan(dibao),
                &yuan(tekun),
                flag(food),
                flag(clothing),
                flag(dilapidated),
                "",
                flag(water),
                flag(power),
                "",
            ])?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Monitoring against a return to poverty (防返贫动态监测), 2021–2023

/// The months monitoring runs over in the example: January 2021 to
/// December 2023.
const MONITORING_FIRST: (i32, u32) = (2021, 1);
const MONITORING_MONTHS: u32 = 36;
/// Per mille of lifted households identified for monitoring.
const MONITORED_LIFTED: u64 = 17;
/// Per mille of villages with an ordinary household (一般农户) monitored.
const MONITORED_ORDINARY: u64 = 400;

const RISKS: [(&str, u32); 11] = [
    ("illness", 40),
    ("disability", 12),
    ("schooling", 6),
    ("disaster", 6),
    ("accident", 8),
    ("unstable_work", 12),
    ("failed_business", 4),
    ("unsafe_housing", 3),
    ("unsafe_drinking_water", 2),
    ("lack_of_labour", 5),
    ("other", 2),
];
const MEASURES: [(&str, u32); 10] = [
    ("industry", 25),
    ("employment", 25),
    ("health", 20),
    ("education", 6),
    ("housing", 4),
    ("drinking_water", 2),
    ("social_security", 10),
    ("public_job", 8),
    ("microcredit", 5),
    ("other", 1),
];

/// The last day of the `n`th month of the monitoring period (0 = January 2021).
fn month_end(n: u32) -> Date {
    let months = MONITORING_FIRST.1 - 1 + n + 1;
    let (y, m) = (MONITORING_FIRST.0 + (months / 12) as i32, months % 12 + 1);
    Date::ymd(y, m, 1).plus(-1)
}

/// The monitoring ledger (`monitoring.csv`), from a stream of its own so
/// that every other file is what it was: mostly lifted households (脱贫不稳定户
/// or 突发严重困难户), some ordinary households of the villages (边缘易致贫户
/// or 突发严重困难户) with codes of their own (the village's code and 9001 …),
/// identified over 2021–2023, most eliminated some months later, a few
/// monitored again after that.
struct Monitoring {
    rng: Rng,
    rows: Vec<[String; 18]>,
    ordinary: u64,
}

impl Monitoring {
    fn new(seed: u64) -> Monitoring {
        Monitoring {
            rng: Rng::new(seed, Stream::Monitoring),
            rows: Vec::new(),
            ordinary: 0,
        }
    }

    fn lifted(
        &mut self,
        code: &str,
        village: &str,
        name: &str,
        id: &str,
        members: u8,
        helper: &str,
    ) {
        if !self.rng.per_mille(MONITORED_LIFTED) {
            return;
        }
        let category = if self.rng.per_mille(850) {
            "unstable_lifted"
        } else {
            "sudden_hardship"
        };
        let who = [code, village, name, id, &members.to_string(), "lifted"].map(str::to_string);
        self.spans(who, category, helper);
    }

    fn ordinary(&mut self, c: &County, v: &Village) {
        if !self.rng.per_mille(MONITORED_ORDINARY) {
            return;
        }
        let gender = if self.rng.per_mille(780) {
            Gender::Male
        } else {
            Gender::Female
        };
        let name = c.lex.person(&mut self.rng, gender);
        // ID numbers from the far end of the county's space: never a
        // registered household's.
        let mut id = String::new();
        self.ordinary += 1;
        c.ids
            .push(c.ids.capacity() - self.ordinary, gender, &mut id);
        let members = self.rng.range(1, 6);
        let code = format!("{}{:04}", v.code, 9000 + self.rng.range(1, 999));
        let category = if self.rng.per_mille(800) {
            "edge"
        } else {
            "sudden_hardship"
        };
        let helper = c.cadre_code(v.first_helper);
        let who =
            [&code, &v.code, &name, &id, &members.to_string(), "ordinary"].map(|s| s.to_string());
        self.spans(who, category, &helper);
    }

    /// One household's monitoring: a first span, and after an elimination
    /// sometimes a second.
    fn spans(&mut self, who: [String; 6], category: &str, helper: &str) {
        let mut from = self.rng.below(u64::from(MONITORING_MONTHS)) as u32;
        loop {
            let left = MONITORING_MONTHS - 1 - from;
            let eliminated = left >= 3 && self.rng.per_mille(if left >= 18 { 800 } else { 450 });
            let until = eliminated.then(|| from + self.rng.range(3, left.min(18)));
            let mut risks: Vec<&str> = Vec::new();
            for _ in 0..1 + self.rng.weighted([70u32, 22, 8].into_iter()) {
                let r = RISKS[self.rng.weighted(RISKS.iter().map(|r| r.1))].0;
                if !risks.contains(&r) {
                    risks.push(r);
                }
            }
            let mut measures: Vec<&str> = Vec::new();
            for _ in 0..1 + self.rng.weighted([40u32, 40, 20].into_iter()) {
                let m = MEASURES[self.rng.weighted(MEASURES.iter().map(|m| m.1))].0;
                if !measures.contains(&m) {
                    measures.push(m);
                }
            }
            let method = match until {
                Some(_) if self.rng.per_mille(780) => "assisted",
                Some(_) => "natural",
                None => "",
            };
            let risk = |i: usize| risks.get(i).copied().unwrap_or_default().to_string();
            let [code, village, name, id, members, kind] = who.clone();
            self.rows.push([
                code,
                village,
                name,
                id,
                members,
                kind,
                category.to_string(),
                risk(0),
                risk(1),
                risk(2),
                risk(3),
                risk(4),
                month_end(from).to_string(),
                method.to_string(),
                until.map(|u| month_end(u).to_string()).unwrap_or_default(),
                measures.join(";"),
                helper.to_string(),
                String::new(),
            ]);
            match until {
                Some(u) if u + 3 < MONITORING_MONTHS && self.rng.per_mille(80) => {
                    from = u + self.rng.range(2, MONITORING_MONTHS - 1 - u);
                }
                _ => return,
            }
        }
    }

    /// Writes the ledger in the order fupin exports it: by household code,
    /// then identification.
    fn write(mut self, dir: &Path) -> Result<()> {
        self.rows
            .sort_by(|a, b| (&a[0], &a[12]).cmp(&(&b[0], &b[12])));
        self.rows.dedup_by(|a, b| a[0] == b[0] && a[12] == b[12]);
        let header = [
            "code",
            "village",
            "head_name",
            "id_number",
            "members",
            "household_type",
            "category",
            "risk1",
            "risk2",
            "risk3",
            "risk4",
            "risk5",
            "identified_on",
            "elimination",
            "eliminated_on",
            "measures",
            "helper",
            "note",
        ];
        let mut csv = CsvFile::create(dir, "monitoring.csv", &header)?;
        for row in &self.rows {
            csv.row(row)?;
        }
        csv.finish()
    }
}

// ---------------------------------------------------------------------------
// People

/// Relations to the head, and how many years a person so related is born
/// after (or, negative, before) the head.
const SPOUSE_YEARS: (i32, i32) = (-6, 6);
const CHILD_YEARS: (i32, i32) = (20, 35);
const GRANDCHILD_YEARS: (i32, i32) = (42, 60);
const PARENT_YEARS: (i32, i32) = (-35, -22);
const SIBLING_YEARS: (i32, i32) = (-10, 10);
/// Nobody is born after this: the register is of 2014–2020.
const BORN_BY: Date = Date::ymd(2019, 12, 31);
const BORN_FROM: Date = Date::ymd(1910, 1, 1);
/// Where members who are not heads were born (Hezhou's other counties and
/// districts): their ID numbers never meet the heads', which are all 451122.
const MEMBER_REGIONS: [&str; 4] = ["451102", "451103", "451121", "451123"];

const ETHNICITIES: [(&str, u32); 3] = [("汉族", 70), ("瑶族", 20), ("壮族", 10)];
const EDUCATION: [(&str, u32); 5] = [
    ("文盲或半文盲", 12),
    ("小学", 38),
    ("初中", 36),
    ("高中", 10),
    ("大专及以上", 4),
];
const HEALTH: [(&str, u32); 4] = [
    ("健康", 850),
    ("长期慢性病", 80),
    ("患有大病", 30),
    ("残疾", 40),
];
const WORK: [&str; 4] = [
    "乡(镇)内务工",
    "乡(镇)外县内务工",
    "县外省内务工",
    "省外务工",
];

/// A person as drawn, held until the household's people are settled
/// against what the register says of the household (see [`People::settle`]).
struct Person {
    name: String,
    id: String,
    relation: &'static str,
    gender: Gender,
    birth: Date,
    ethnicity: &'static str,
    education: &'static str,
    schooling: &'static str,
    health: &'static str,
    labour: &'static str,
    work: &'static str,
    months: Option<u32>,
    joined: Option<Date>,
    left: Option<Date>,
    dibao: bool,
    certificate: Option<String>,
}

const WEAK_LABOUR: &str = "弱劳动力或半劳动力";

impl Person {
    /// Age at the end of 2020, the register's last year.
    fn age(&self) -> i32 {
        2020 - self.birth.civil().0
    }

    /// Present at the end of every year the household is on the register,
    /// not born into it since.
    fn there_throughout(&self) -> bool {
        self.joined.is_none()
    }

    /// As the register's rules read it (`Member::working`).
    fn working(&self) -> bool {
        !self.work.is_empty() || self.months.is_some_and(|m| m > 0)
    }

    fn present_at(&self, end: Date) -> bool {
        self.joined.is_none_or(|d| d <= end) && self.left.is_none_or(|d| d > end)
    }

    fn student(&self) -> bool {
        matches!(self.schooling, "小学" | "初中" | "高中" | "大专" | "本科")
    }

    /// Ill or disabled from now: a working-age person so is no longer a
    /// full labourer, as the first draw would have made them.
    fn fall_ill(&mut self, health: &'static str) {
        self.health = health;
        if (16..=60).contains(&self.age()) && matches!(self.labour, "普通劳动力" | "技能劳动力")
        {
            self.labour = WEAK_LABOUR;
        }
    }
}

/// Disability categories 1–7 (视力, 听力, 言语, 肢体, 智力, 精神, 多重) and
/// grades 1–4, as the certificate's last two digits give them.
const DISABILITY_CATEGORIES: [u32; 7] = [12, 10, 3, 45, 10, 12, 8];
const DISABILITY_GRADES: [u32; 4] = [10, 20, 30, 40];

/// The people of the households, written beside them (`people.csv`), from
/// a stream of their own so that the households are what they were: the
/// head as the household names them, then the others by relation, born when
/// the relation allows (a child after the head, a parent before). What
/// makes them agree with the household's cause and attribute draws from a
/// second stream, so the people drawn first stay as they were.
struct People {
    csv: CsvFile,
    rng: Rng,
    cover: Rng,
    /// The household's people, for the assessments written after them.
    rows: Vec<Person>,
    /// Per member region and birth date, the next free sequence pair.
    used: std::collections::BTreeMap<(usize, i32), u32>,
    /// The household's registration: a member born after it joined by birth.
    registered: Date,
    /// The day the household's last member died, for a household that left
    /// the register so.
    died: Option<Date>,
}

impl People {
    fn create(dir: &Path, seed: u64) -> Result<People> {
        let header = [
            "code",
            "household",
            "name",
            "id_number",
            "relation",
            "gender",
            "birth_on",
            "ethnicity",
            "education",
            "schooling",
            "health",
            "labour",
            "work",
            "work_months",
            "work_place",
            "medical_insurance",
            "serious_illness_insurance",
            "pension_insurance",
            "dibao",
            "disability_certificate",
            "joined_on",
            "joined_reason",
            "left_on",
            "left_reason",
            "note",
        ];
        Ok(People {
            csv: CsvFile::create(dir, "people.csv", &header)?,
            rng: Rng::new(seed, Stream::People),
            cover: Rng::new(seed, Stream::Cover),
            rows: Vec::new(),
            used: std::collections::BTreeMap::new(),
            registered: Date::ymd(2014, 1, 1),
            died: None,
        })
    }

    /// A member's ID number, unique by construction.
    fn member_id(&mut self, birth: Date, gender: Gender) -> Result<String> {
        for (i, region) in MEMBER_REGIONS.iter().enumerate() {
            let next = self.used.entry((i, birth.0)).or_insert(0);
            if u64::from(*next) < IdSpace::PAIRS {
                let seq = 2 * *next + if gender == Gender::Male { 1 } else { 2 };
                *next += 1;
                let mut id = String::with_capacity(18);
                push_id_number_in(region, birth, seq, &mut id);
                return Ok(id);
            }
        }
        Err(Error(format!("internal: no ID number left for {birth}")))
    }

    /// A birth date `years` (a range) from the head's, within the register.
    fn born(&mut self, head: Date, (lo, hi): (i32, i32)) -> Option<Date> {
        let from = head.plus(lo * 365).max(BORN_FROM);
        let to = head.plus(hi * 365).min(BORN_BY);
        (from <= to).then(|| self.rng.date(from, to))
    }

    /// Writes the `members` people of one household, and keeps them in
    /// `rows` until the next.
    #[allow(clippy::too_many_arguments)]
    fn household(
        &mut self,
        lex: &Lexicon,
        code: &str,
        head_name: &str,
        head_id: &str,
        head_gender: Gender,
        members: u32,
        cause: &str,
        attribute: &str,
    ) -> Result<()> {
        self.rows.clear();
        let head_birth = birth_of(head_id);
        let ethnicity = ETHNICITIES[self.rng.weighted(ETHNICITIES.iter().map(|e| e.1))].0;
        let surname: String = head_name.chars().take(1).collect();
        self.person(
            head_name,
            head_id,
            "head",
            head_gender,
            head_birth,
            ethnicity,
        );
        let head_age = 2020 - head_birth.civil().0;
        let mut n = 1;
        let mut slots = members - 1;
        let mut plan: Vec<(&str, (i32, i32))> = Vec::new();
        if slots > 0 && self.rng.per_mille(850) {
            plan.push(("spouse", SPOUSE_YEARS));
            slots -= 1;
        }
        let mut children = 0;
        while slots > 0 && children < 3 && head_birth.plus(CHILD_YEARS.0 * 365) <= BORN_BY {
            plan.push(("child", CHILD_YEARS));
            slots -= 1;
            children += 1;
        }
        if head_age >= 58 && children > 0 && slots > 0 {
            plan.push(("child_in_law", CHILD_YEARS));
            slots -= 1;
        }
        while slots > 0 && head_age >= 58 && head_birth.plus(GRANDCHILD_YEARS.0 * 365) <= BORN_BY {
            plan.push(("grandchild", GRANDCHILD_YEARS));
            slots -= 1;
        }
        while slots > 0 && head_age < 50 && plan.iter().filter(|p| p.0 == "parent").count() < 2 {
            plan.push(("parent", PARENT_YEARS));
            slots -= 1;
        }
        while slots > 0 {
            plan.push(("sibling", SIBLING_YEARS));
            slots -= 1;
        }
        let mut parents = 0;
        for (role, years) in plan {
            let Some(birth) = self.born(head_birth, years) else {
                continue;
            };
            let gender = match role {
                "spouse" => {
                    if head_gender == Gender::Male {
                        Gender::Female
                    } else {
                        Gender::Male
                    }
                }
                "parent" => {
                    parents += 1;
                    if parents == 1 {
                        Gender::Male
                    } else {
                        Gender::Female
                    }
                }
                _ if self.rng.per_mille(520) => Gender::Male,
                _ => Gender::Female,
            };
            let relation = match (role, gender) {
                ("spouse", _) => "spouse",
                ("child", Gender::Male) => "son",
                ("child", Gender::Female) => "daughter",
                ("child_in_law", Gender::Male) => "son_in_law",
                ("child_in_law", Gender::Female) => "daughter_in_law",
                ("grandchild", Gender::Male) => "grandson",
                ("grandchild", Gender::Female) => "granddaughter",
                ("parent", Gender::Male) => "father",
                ("parent", Gender::Female) => "mother",
                _ => "sibling",
            };
            let mut name = lex.person(&mut self.rng, gender);
            // The head's children and grandchildren take a father's surname.
            if head_gender == Gender::Male && matches!(role, "child" | "grandchild") {
                name = surname.clone() + &name.chars().skip(1).collect::<String>();
            }
            let id = self.member_id(birth, gender)?;
            n += 1;
            self.person(&name, &id, relation, gender, birth, ethnicity);
        }
        if n != members {
            // A relation whose years fall outside the register: a sibling
            // takes its place, so the household has its members.
            for _ in n..members {
                let birth = self
                    .born(head_birth, SIBLING_YEARS)
                    .unwrap_or(head_birth.min(BORN_BY));
                let gender = if self.rng.per_mille(500) {
                    Gender::Male
                } else {
                    Gender::Female
                };
                let name = lex.person(&mut self.rng, gender);
                let id = self.member_id(birth, gender)?;
                self.person(&name, &id, "sibling", gender, birth, ethnicity);
            }
        }
        self.settle(cause, attribute, head_gender)?;
        self.write(code)
    }

    /// Makes the household's people agree with what the register says of
    /// the household in every year it is on it, so that its check finds
    /// nothing: someone ill in a household poor by illness, someone
    /// disabled (with a certificate) by disability, someone at school by
    /// schooling; nobody healthy of working age without labour; everyone
    /// insured; the whole household on 低保 when it is a 低保 household.
    fn settle(&mut self, cause: &str, attribute: &str, head_gender: Gender) -> Result<()> {
        for p in &mut self.rows {
            // A healthy person is held to working capacity to 65 in every
            // year from 2014, so to 71 at the end of 2020.
            if p.health == "健康" && p.labour == "丧失劳动力" && p.age() <= 71 {
                p.labour = WEAK_LABOUR;
            }
        }
        let has = |rows: &[Person], f: fn(&Person) -> bool| {
            rows.iter().any(|p| p.there_throughout() && f(p))
        };
        match cause {
            "illness" if !has(&self.rows, |p| p.health != "健康") => {
                let i = self.pick_adult();
                let health = if self.cover.per_mille(750) {
                    "长期慢性病"
                } else {
                    "患有大病"
                };
                self.rows[i].fall_ill(health);
            }
            "disability" if !has(&self.rows, |p| p.health == "残疾") => {
                let i = self.pick_adult();
                self.rows[i].fall_ill("残疾");
            }
            "schooling" if !has(&self.rows, Person::student) => self.send_to_school(head_gender)?,
            _ => {}
        }
        for p in &mut self.rows {
            if p.health == "残疾" {
                let category = 1 + self.cover.weighted(DISABILITY_CATEGORIES.iter().copied());
                let grade = 1 + self.cover.weighted(DISABILITY_GRADES.iter().copied());
                p.certificate = Some(format!("{}{category}{grade}", p.id));
            }
            p.dibao = attribute == "low_income";
        }
        Ok(())
    }

    /// A member present from the registration on, one without work of
    /// working age or older if there is one.
    fn pick_adult(&mut self) -> usize {
        let pick = |p: &Person| p.there_throughout() && !p.working() && p.age() >= 16;
        let chosen: Vec<usize> = (0..self.rows.len())
            .filter(|&i| pick(&self.rows[i]))
            .collect();
        if chosen.is_empty() {
            // The head is there from the start.
            let all: Vec<usize> = (0..self.rows.len())
                .filter(|&i| self.rows[i].there_throughout())
                .collect();
            return all[self.cover.index(all.len())];
        }
        chosen[self.cover.index(chosen.len())]
    }

    /// Someone of college age studies on; failing that, a member becomes a
    /// child of school age, the head's or a grandchild (born 2003–2012, so
    /// present from the registration, even one drawn as born since, and
    /// under 18 in 2020). A head living alone past 30 is left as drawn:
    /// nobody can be at school.
    fn send_to_school(&mut self, head_gender: Gender) -> Result<()> {
        let college = (0..self.rows.len())
            .filter(|&i| self.rows[i].there_throughout() && (18..=30).contains(&self.rows[i].age()))
            .min_by_key(|&i| self.rows[i].age());
        if let Some(i) = college {
            let p = &mut self.rows[i];
            p.schooling = if p.age() <= 22 { "大专" } else { "本科" };
            p.education = "高中";
            p.work = "";
            p.months = None;
            return Ok(());
        }
        // A child or grandchild first, a parent next, a spouse last.
        let rank = |relation: &str| match relation {
            "father" | "mother" => 1,
            "spouse" => 2,
            _ => 0,
        };
        let Some(best) = self.rows[1..].iter().map(|p| rank(p.relation)).min() else {
            return Ok(());
        };
        let chosen: Vec<usize> = (1..self.rows.len())
            .filter(|&i| rank(self.rows[i].relation) == best)
            .collect();
        let i = chosen[self.cover.index(chosen.len())];
        let head = self.rows[0].birth;
        let (lo, hi) = (Date::ymd(2003, 1, 1), Date::ymd(2012, 12, 31));
        let within = |(a, b): (i32, i32)| {
            let (from, to) = (head.plus(a * 365).max(lo), head.plus(b * 365).min(hi));
            (from <= to).then_some((from, to))
        };
        let male = self.rows[i].gender == Gender::Male;
        let (relation, (from, to)) = if let Some(w) = within(CHILD_YEARS) {
            (if male { "son" } else { "daughter" }, w)
        } else if let Some(w) = within(GRANDCHILD_YEARS) {
            (if male { "grandson" } else { "granddaughter" }, w)
        } else {
            // A head too old for a grandchild of school age: a
            // great-grandchild, which the register calls 其他.
            ("other", (lo, hi))
        };
        let birth = self.cover.date(from, to);
        let id = self.member_id(birth, self.rows[i].gender)?;
        let surname: Option<char> = (head_gender == Gender::Male && relation != "other")
            .then(|| self.rows[0].name.chars().next())
            .flatten();
        let p = &mut self.rows[i];
        p.relation = relation;
        p.birth = birth;
        p.id = id;
        p.joined = None;
        if let Some(s) = surname {
            p.name = std::iter::once(s).chain(p.name.chars().skip(1)).collect();
        }
        (p.education, p.schooling) = match p.age() {
            ..=11 => ("小学", "小学"),
            12..=14 => ("初中", "初中"),
            _ => ("高中", "高中"),
        };
        p.labour = if p.age() <= 15 {
            "无劳动力"
        } else {
            "普通劳动力"
        };
        p.work = "";
        p.months = None;
        Ok(())
    }

    fn write(&mut self, household: &str) -> Result<()> {
        let mut code = String::with_capacity(18);
        for (n, p) in self.rows.iter().enumerate() {
            code.clear();
            let _ = write!(code, "{household}{:02}", n + 1);
            let gender = if p.gender == Gender::Male {
                "male"
            } else {
                "female"
            };
            let (joined, joined_reason) = match p.joined {
                Some(d) => (d.to_string(), "born"),
                None => (String::new(), ""),
            };
            let (left, left_reason) = match p.left {
                Some(d) => (d.to_string(), "died"),
                None => (String::new(), ""),
            };
            self.csv.row([
                code.as_str(),
                household,
                &p.name,
                &p.id,
                p.relation,
                gender,
                &p.birth.to_string(),
                p.ethnicity,
                p.education,
                p.schooling,
                p.health,
                p.labour,
                p.work,
                &p.months.map(|m| m.to_string()).unwrap_or_default(),
                "",
                "yes",
                "yes",
                "",
                if p.dibao { "yes" } else { "no" },
                p.certificate.as_deref().unwrap_or_default(),
                &joined,
                joined_reason,
                &left,
                left_reason,
                "",
            ])?;
        }
        Ok(())
    }

    fn person(
        &mut self,
        name: &str,
        id: &str,
        relation: &'static str,
        gender: Gender,
        birth: Date,
        ethnicity: &'static str,
    ) {
        // Age at the end of 2020, the register's last year.
        let age = 2020 - birth.civil().0;
        let rng = &mut self.rng;
        let (education, schooling) = match age {
            ..=2 => ("", "学龄前儿童"),
            3..=5 => ("", "学前教育"),
            6..=11 => ("小学", "小学"),
            12..=14 => ("初中", "初中"),
            15..=17 => ("高中", "高中"),
            _ => (
                EDUCATION[rng.weighted(EDUCATION.iter().map(|e| e.1))].0,
                "非在校生",
            ),
        };
        let health = HEALTH[rng.weighted(HEALTH.iter().map(|h| h.1))].0;
        let labour = match age {
            ..=15 => "无劳动力",
            16..=60 if health == "健康" => {
                if rng.per_mille(90) {
                    "技能劳动力"
                } else {
                    "普通劳动力"
                }
            }
            16..=60 => "弱劳动力或半劳动力",
            _ if rng.per_mille(500) => "丧失劳动力",
            _ => "弱劳动力或半劳动力",
        };
        let (work, months) = if (18..=55).contains(&age)
            && matches!(labour, "普通劳动力" | "技能劳动力")
            && rng.per_mille(550)
        {
            (rng.choose(&WORK), Some(rng.range(3, 12)))
        } else {
            ("", None)
        };
        // A child born in the year its household died out is counted as
        // dying on its day of birth at the latest.
        self.rows.push(Person {
            name: name.to_string(),
            id: id.to_string(),
            relation,
            gender,
            birth,
            ethnicity,
            education,
            schooling,
            health,
            labour,
            work,
            months,
            joined: (birth > self.registered).then_some(birth),
            left: self.died.map(|d| d.max(birth)),
            dibao: false,
            certificate: None,
        });
    }
}
/// The birth date in an 18-character ID number.
fn birth_of(id: &str) -> Date {
    let n = |r: std::ops::Range<usize>| id.get(r).and_then(|s| s.parse().ok()).unwrap_or(1);
    Date::ymd(n(6..10) as i32, n(10..12), n(12..14))
}
