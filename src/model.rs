//! The record kinds, described once.
//!
//! Each [`Entity`] lists its fields with their canonical CSV header (which is
//! also the column name in `schema.sql` and the name of the command-line
//! flag), their Chinese aliases, their type and whether they are required.
//! The importer, the exporter and the clerk's `add`/`update` commands are all
//! driven from these tables, so the CSV contract and the flags cannot drift
//! apart.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Cadre,
    Zone,
    Town,
    Village,
    Household,
    Person,
    Task,
    Post,
    Dispatch,
    Visit,
    Promotion,
    Monitor,
    Event,
    Assessment,
    Standard,
}

/// One allowed value of an enumeration: the stored code, its Chinese label,
/// and other spellings accepted on input.
#[derive(Debug)]
pub struct Choice {
    pub code: &'static str,
    pub zh: &'static str,
    pub aliases: &'static [&'static str],
}

const fn choice(code: &'static str, zh: &'static str, aliases: &'static [&'static str]) -> Choice {
    Choice { code, zh, aliases }
}

#[derive(Debug)]
pub enum Ty {
    /// A record's code: text without inner white space.
    Code,
    /// Free text.
    Text,
    Date,
    Int {
        min: i64,
        max: i64,
    },
    Flag,
    Enum(&'static [Choice]),
    /// Several values of an enumeration, in the order given; stored as
    /// their codes joined by `;`.
    Enums(&'static [Choice]),
    /// A reference to another record, typed by code or unique name.
    Ref(Kind),
    IdNumber,
    Phone,
    /// An amount of money in yuan with up to two decimals, stored as whole
    /// fen (分) so that sums and comparisons are exact.
    Money {
        min: i64,
        max: i64,
    },
    /// A year: 2020, 2020年, or a date (统计时间 2020-12-31) read as its year.
    Year,
    /// A disability certificate number 残疾人证号: the holder's 18-character
    /// ID number and two digits, the category (1–7) and the grade (1–4).
    Certificate,
}

#[derive(Debug)]
pub struct Field {
    /// Canonical header, column name and (with `-` for `_`) flag name.
    pub name: &'static str,
    /// Chinese aliases; the first is the Chinese header on export.
    pub zh: &'static [&'static str],
    pub ty: Ty,
    pub required: bool,
    /// False for a column that only helps resolve another one (the `town`
    /// of a household tells same-named villages apart) and is not stored.
    pub stored: bool,
    /// False for a column only files have (a status word checked against
    /// a date): no command-line flag.
    pub command_line: bool,
    pub help: &'static str,
}

impl Field {
    pub fn zh_label(&self) -> &'static str {
        self.zh.first().copied().unwrap_or(self.name)
    }

    pub fn label(&self) -> &'static str {
        if crate::lang::zh() {
            self.zh_label()
        } else {
            self.name
        }
    }

    pub fn flag(&self) -> String {
        self.name.replace('_', "-")
    }

    /// True for values that are personal and masked in tables.
    pub fn is_personal(&self) -> bool {
        matches!(self.ty, Ty::IdNumber | Ty::Phone | Ty::Certificate)
    }
}

#[derive(Debug)]
pub struct Entity {
    pub kind: Kind,
    pub table: &'static str,
    /// English singular, used in messages and as the command name.
    pub name: &'static str,
    /// English plural, the file name of its CSV (`households.csv`).
    pub plural: &'static str,
    /// Chinese name, also accepted as a file name (`贫困户.csv`).
    pub zh: &'static [&'static str],
    pub fields: &'static [Field],
    /// The fields forming the natural key, in order.
    pub key: &'static [&'static str],
    /// The fields a list shows on the terminal, to keep within 100 columns
    /// (`--wide`, CSV and JSON have them all); empty for all.
    pub brief: &'static [&'static str],
}

impl Entity {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn stored(&self) -> impl Iterator<Item = &'static Field> + '_ {
        self.fields.iter().filter(|f| f.stored)
    }

    pub fn label(&self) -> &'static str {
        if crate::lang::zh() {
            self.zh[0]
        } else {
            self.name
        }
    }

    pub fn zh_name(&self) -> &'static str {
        self.zh[0]
    }

    /// True when the key is the single `code` field.
    pub fn has_code(&self) -> bool {
        self.key == ["code"]
    }

    /// The field that names a record to people: its name, a household's
    /// head, a task's title. Lists show it beside references, `--name`
    /// searches it, and `show` finds a record by it.
    pub fn display_field(&self) -> Option<&'static Field> {
        self.fields
            .iter()
            .find(|f| f.stored && matches!(f.name, "name" | "head_name" | "title"))
    }
}

macro_rules! field {
    ($name:literal, [$($zh:literal),*], $ty:expr, required, $help:literal) => {
        Field { name: $name, zh: &[$($zh),*], ty: $ty, required: true, stored: true, command_line: true, help: $help }
    };
    ($name:literal, [$($zh:literal),*], $ty:expr, optional, $help:literal) => {
        Field { name: $name, zh: &[$($zh),*], ty: $ty, required: false, stored: true, command_line: true, help: $help }
    };
    ($name:literal, [$($zh:literal),*], $ty:expr, hint, $help:literal) => {
        Field { name: $name, zh: &[$($zh),*], ty: $ty, required: false, stored: false, command_line: true, help: $help }
    };
    ($name:literal, [$($zh:literal),*], $ty:expr, file_only, $help:literal) => {
        Field { name: $name, zh: &[$($zh),*], ty: $ty, required: false, stored: false, command_line: false, help: $help }
    };
}

pub const GENDERS: &[Choice] = &[choice("male", "男", &["m"]), choice("female", "女", &["f"])];

pub const CADRE_LEVELS: &[Choice] = &[
    choice("county", "县级", &["县"]),
    choice("town", "乡镇级", &["乡镇", "乡级", "镇级"]),
    choice("village", "村级", &["村"]),
];

pub const TASK_LEVELS: &[Choice] = &[
    choice("county", "县级", &["县", "县级挂牌"]),
    choice("town", "乡镇级", &["乡镇", "乡级", "镇级", "乡镇挂牌"]),
];

pub const VILLAGE_KINDS: &[Choice] = &[
    choice("village", "村", &["行政村"]),
    choice("community", "社区", &[]),
];

pub const ATTRIBUTES: &[Choice] = &[
    // 扶贫户: the older name of a general poor household.
    choice("general", "一般贫困户", &["一般户", "一般", "扶贫户"]),
    // 扶贫低保户 and 纯低保户: the two kinds of low-income household the
    // older ledgers keep apart, both registered as low-income here.
    choice(
        "low_income",
        "低保贫困户",
        &["低保户", "低保", "扶贫低保户", "纯低保户"],
    ),
    choice(
        "extreme_poverty",
        "特困供养贫困户",
        &["特困供养户", "特困户", "特困", "五保户", "五保贫困户"],
    ),
];

/// Causes of poverty: the twelve of the 2014 registration, then the six the
/// national system added later. A cause word with 致贫 appended (因学致贫)
/// names the same cause, see [`parse_choice`].
pub const CAUSES: &[Choice] = &[
    choice("illness", "因病", &[]),
    choice("disability", "因残", &[]),
    choice("schooling", "因学", &[]),
    choice("disaster", "因灾", &["因自然灾害"]),
    choice("lack_of_land", "缺土地", &[]),
    choice("lack_of_water", "缺水", &[]),
    choice("lack_of_skills", "缺技术", &[]),
    choice("lack_of_labour", "缺劳力", &["lack_of_labor", "缺劳动力"]),
    choice("lack_of_funds", "缺资金", &[]),
    choice("poor_transport", "交通条件落后", &["交通落后"]),
    choice("lack_of_motivation", "自身发展动力不足", &["动力不足"]),
    choice("other", "其他", &["其它"]),
    choice("marriage", "因婚", &[]),
    choice("funeral", "因丧", &[]),
    choice("accident", "因意外事故", &["意外事故"]),
    choice("unstable_work", "因务工就业不稳", &["务工就业不稳"]),
    choice("unsafe_housing", "因安全住房", &["安全住房"]),
    choice("unsafe_drinking_water", "因安全饮水", &["安全饮水"]),
];

pub const ROLES: &[Choice] = &[
    choice("team_leader", "工作队长", &["驻村工作队长", "队长"]),
    choice("first_secretary", "第一书记", &[]),
    choice("team_member", "工作队员", &["驻村工作队员", "队员"]),
    choice("info_officer", "信息员", &["扶贫信息员"]),
    choice(
        "party_secretary",
        "村党组织书记",
        &["党组织书记", "村支书", "支部书记", "书记"],
    ),
    choice("committee_director", "村委会主任", &["村主任", "主任"]),
    choice("commando", "突击队员", &["突击队"]),
];

/// A household's status word in the national system's files (是否脱贫,
/// 脱贫属性, 户类型, 标识): never stored, since status comes from dates, but
/// held against them so a file's 已脱贫 or 返贫 is not lost when its date
/// is. 返贫, 剔除, 清退 and 自然减少 are steps of the household's history,
/// dated by the columns of their own (返贫时间, 减少时间).
pub const LIFT_STATUS: &[Choice] = &[
    choice(
        "lifted",
        "已脱贫",
        &[
            "脱贫",
            "是",
            "yes",
            "y",
            "1",
            "稳定脱贫",
            "已脱贫户",
            "脱贫户",
            "已脱贫(享受政策)",
            "已脱贫（享受政策）",
            "已脱贫(不享受政策)",
            "已脱贫（不享受政策）",
            "脱贫享受政策",
            "脱贫不享受政策",
            "脱贫不稳定",
        ],
    ),
    choice(
        "poor",
        "未脱贫",
        &["否", "no", "n", "0", "贫困", "未脱贫户", "贫困户"],
    ),
    choice("returned", "返贫", &["返贫户", "已返贫"]),
    choice("removed", "剔除", &["注销", "已剔除", "已注销"]),
    choice("cleared", "清退", &["已清退"]),
    choice("left", "自然减少", &["自然减少户"]),
];

/// 与户主关系, the national register's relations to the head of household.
pub const RELATIONS: &[Choice] = &[
    choice("head", "户主", &["本人", "户主本人"]),
    choice("spouse", "配偶", &["妻", "夫", "妻子", "丈夫"]),
    choice("son", "之子", &["子", "儿子", "长子", "次子"]),
    choice("daughter", "之女", &["女", "女儿", "长女", "次女"]),
    choice("daughter_in_law", "之儿媳", &["儿媳", "儿媳妇"]),
    choice("son_in_law", "之女婿", &["女婿"]),
    choice(
        "grandson",
        "之孙子",
        &["孙子", "之外孙子", "外孙子", "外孙"],
    ),
    choice("granddaughter", "之孙女", &["孙女", "之外孙女", "外孙女"]),
    choice("father", "之父亲", &["父亲", "父"]),
    choice("mother", "之母亲", &["母亲", "母"]),
    choice(
        "parent_in_law",
        "之公婆或岳父母",
        &["公公", "婆婆", "岳父", "岳母", "公婆", "岳父母"],
    ),
    choice(
        "grandparent",
        "之祖父母或外祖父母",
        &["祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "祖父母"],
    ),
    choice(
        "sibling",
        "之兄弟姐妹",
        &[
            "兄弟姐妹",
            "兄",
            "弟",
            "姐",
            "妹",
            "哥哥",
            "弟弟",
            "姐姐",
            "妹妹",
        ],
    ),
    choice("other", "其他", &["其它"]),
];

/// 监测对象类别, the three categories of households under monitoring
/// against a return to poverty (防返贫动态监测, 2021 on).
pub const CATEGORIES: &[Choice] = &[
    choice(
        "unstable_lifted",
        "脱贫不稳定户",
        &["脱贫不稳定", "不稳定户"],
    ),
    choice("edge", "边缘易致贫户", &["边缘户", "边缘易致贫"]),
    choice(
        "sudden_hardship",
        "突发严重困难户",
        &["突发困难户", "突发严重困难"],
    ),
];

/// 户类型 of a monitored household: a lifted household of the register or
/// an ordinary farming household.
pub const HOUSEHOLD_TYPES: &[Choice] = &[
    choice("lifted", "脱贫户", &["已脱贫户", "建档立卡脱贫户"]),
    choice("ordinary", "一般农户", &["一般户", "农户"]),
];

/// 致贫/返贫风险, the risks of the national monitoring ledger.
pub const RISKS: &[Choice] = &[
    choice("illness", "因病", &["因病返贫"]),
    choice("disability", "因残", &["因残返贫"]),
    choice("schooling", "因学", &["因学返贫"]),
    choice("disaster", "因灾", &["因自然灾害", "因灾返贫"]),
    choice("accident", "因意外事故", &["意外事故"]),
    choice(
        "unstable_work",
        "因务工就业不稳",
        &["务工就业不稳", "就业不稳"],
    ),
    choice("failed_business", "因产业项目失败", &["产业项目失败"]),
    choice("unsafe_housing", "因安全住房", &["安全住房", "住房安全"]),
    choice(
        "unsafe_drinking_water",
        "因安全饮水",
        &["安全饮水", "饮水安全"],
    ),
    choice("lack_of_labour", "缺劳力", &["lack_of_labor", "缺劳动力"]),
    choice("other", "其他", &["其它"]),
    // A list that names a household as monitored but not its risk (the
    // 2022 已脱贫人口名单): recorded as not stated, for the township to
    // complete (rule G01), never guessed. Only as the first and only risk.
    choice(NOT_STATED, "未注明", &["not stated"]),
];

/// The code of a risk or an elimination method a list does not give.
pub const NOT_STATED: &str = "not_stated";

/// 风险消除方式.
pub const ELIMINATIONS: &[Choice] = &[
    choice("assisted", "帮扶消除", &["帮扶"]),
    choice("natural", "自然消除", &["自然"]),
    // A list that says the risk was eliminated, and when, but not how.
    choice(NOT_STATED, "未注明", &["not stated"]),
];

/// 帮扶措施, the measures taken for a monitored household.
pub const MEASURES: &[Choice] = &[
    choice("industry", "产业帮扶", &["产业"]),
    choice("employment", "就业帮扶", &["就业"]),
    choice("health", "健康帮扶", &["健康", "医疗保障"]),
    choice("education", "教育帮扶", &["教育"]),
    choice("housing", "住房安全保障", &["住房保障", "危房改造"]),
    choice("drinking_water", "饮水安全保障", &["饮水保障"]),
    choice("social_security", "综合保障", &["兜底保障", "低保"]),
    choice("public_job", "公益性岗位", &["公益岗位"]),
    choice("microcredit", "小额信贷", &["扶贫小额信贷"]),
    choice("other", "其他", &["其它"]),
];

pub const CADRE: Entity = Entity {
    kind: Kind::Cadre,
    table: "cadres",
    name: "cadre",
    plural: "cadres",
    zh: &["干部"],
    key: &["code"],
    brief: &[],
    fields: &[
        field!(
            "code",
            ["干部编号"],
            Ty::Code,
            required,
            "Cadre code, e.g. GB00001"
        ),
        field!("name", ["姓名"], Ty::Text, required, "Full name"),
        field!(
            "gender",
            ["性别"],
            Ty::Enum(GENDERS),
            optional,
            "male/男 or female/女"
        ),
        field!(
            "unit",
            ["工作单位", "后盾单位"],
            Ty::Text,
            optional,
            "Work unit (the backing unit 后盾单位)"
        ),
        field!(
            "level",
            ["级别"],
            Ty::Enum(CADRE_LEVELS),
            optional,
            "county/县级, town/乡镇级 or village/村级"
        ),
        field!(
            "phone",
            ["联系电话", "电话"],
            Ty::Phone,
            optional,
            "Phone: a mobile (13812345678) or a landline with its area code (0774-8981234); several separated by /"
        ),
    ],
};

pub const ZONE: Entity = Entity {
    kind: Kind::Zone,
    table: "zones",
    name: "zone",
    plural: "zones",
    zh: &["作战区"],
    key: &["code"],
    brief: &[],
    fields: &[
        field!(
            "code",
            ["作战区代码"],
            Ty::Code,
            required,
            "Battle-zone code, e.g. ZQ01"
        ),
        field!(
            "name",
            ["作战区", "作战区名称"],
            Ty::Text,
            required,
            "Zone name"
        ),
        field!(
            "commander",
            ["指挥长"],
            Ty::Ref(Kind::Cadre),
            optional,
            "Commander (cadre code or unique name)"
        ),
        field!(
            "deputy",
            ["副指挥长"],
            Ty::Ref(Kind::Cadre),
            optional,
            "Deputy commander (cadre code or unique name)"
        ),
    ],
};

pub const TOWN: Entity = Entity {
    kind: Kind::Town,
    table: "towns",
    name: "town",
    plural: "towns",
    zh: &["乡镇"],
    key: &["code"],
    brief: &[],
    fields: &[
        field!(
            "code",
            ["乡镇代码"],
            Ty::Code,
            required,
            "Town code, e.g. 451122100"
        ),
        field!(
            "name",
            ["乡镇", "乡镇名称"],
            Ty::Text,
            required,
            "Town name"
        ),
        field!(
            "zone",
            ["作战区"],
            Ty::Ref(Kind::Zone),
            optional,
            "Battle zone (code or unique name)"
        ),
    ],
};

pub const VILLAGE: Entity = Entity {
    kind: Kind::Village,
    table: "villages",
    name: "village",
    plural: "villages",
    zh: &["行政村", "村"],
    key: &["code"],
    brief: &[
        "code",
        "name",
        "town",
        "population",
        "poor_village",
        "lifted_on",
    ],
    fields: &[
        field!(
            "code",
            ["村代码", "行政村代码"],
            Ty::Code,
            required,
            "Village code, e.g. 451122100201"
        ),
        field!(
            "name",
            ["行政村", "村名", "村名称"],
            Ty::Text,
            required,
            "Village name"
        ),
        field!(
            "town",
            ["乡镇"],
            Ty::Ref(Kind::Town),
            required,
            "Town (code or unique name)"
        ),
        field!(
            "kind",
            ["类型"],
            Ty::Enum(VILLAGE_KINDS),
            optional,
            "village/村 or community/社区 (default village)"
        ),
        field!(
            "population",
            ["户籍人口"],
            Ty::Int {
                min: 0,
                max: i64::MAX
            },
            optional,
            "Registered population 户籍人口"
        ),
        field!(
            "poor_village",
            ["是否贫困村"],
            Ty::Flag,
            optional,
            "Registered poor village: yes/是 or no/否 (default no)"
        ),
        field!(
            "registered_on",
            ["识别时间", "识别年度"],
            Ty::Date,
            optional,
            "Date registered as a poor village"
        ),
        field!(
            "lifted_on",
            ["出列时间", "出列年度", "脱贫出列时间", "出列年份"],
            Ty::Date,
            optional,
            "Date lifted out of poverty 出列"
        ),
    ],
};

pub const HOUSEHOLD: Entity = Entity {
    kind: Kind::Household,
    table: "households",
    name: "household",
    plural: "households",
    zh: &["贫困户", "建档立卡贫困户", "花名册"],
    key: &["code"],
    brief: &["code", "village", "head_name", "members", "lifted_on"],
    fields: &[
        field!(
            "code",
            ["户编号"],
            Ty::Code,
            required,
            "Household code 户编号"
        ),
        field!(
            "village",
            ["行政村", "村", "村名", "行政村名称", "村(社区)"],
            Ty::Ref(Kind::Village),
            required,
            "Village (code, or name with --town)"
        ),
        field!(
            "town",
            ["乡镇", "乡(镇)", "镇(乡)", "乡镇(街道)", "乡镇名称"],
            Ty::Ref(Kind::Town),
            hint,
            "Town, to tell same-named villages apart (not stored)"
        ),
        field!(
            "head_name",
            ["户主", "户主姓名", "姓名"],
            Ty::Text,
            required,
            "Head of household 户主"
        ),
        field!(
            "id_number",
            [
                "身份证号",
                "身份证号码",
                "证件号码",
                "公民身份号码",
                "户主身份证号",
                "户主身份证号码",
                "户主证件号码"
            ],
            Ty::IdNumber,
            required,
            "Head's resident ID number, 18 characters (a 15-digit one is converted)"
        ),
        field!(
            "members",
            [
                "人口数",
                "家庭人口",
                "家庭人口数",
                "人数",
                "家庭人数",
                "家庭成员数"
            ],
            Ty::Int { min: 1, max: 99 },
            required,
            "Number of members (at least 1)"
        ),
        field!(
            "attribute",
            ["贫困户属性", "属性"],
            Ty::Enum(ATTRIBUTES),
            optional,
            "general/一般贫困户, low_income/低保贫困户 or extreme_poverty/特困供养贫困户 (default general)"
        ),
        field!(
            "cause",
            ["主要致贫原因", "致贫原因", "致贫原因1"],
            Ty::Enum(CAUSES),
            optional,
            "Main cause of poverty, e.g. illness/因病"
        ),
        field!(
            "registered_on",
            ["识别时间", "识别年度", "首次识别时间", "建档立卡时间"],
            Ty::Date,
            required,
            "Date registered 识别时间 (a month or a year means its last day)"
        ),
        field!(
            "lifted_on",
            ["脱贫时间", "脱贫年度", "脱贫年份"],
            Ty::Date,
            optional,
            "Date lifted out of poverty 脱贫时间"
        ),
        field!(
            "lifted",
            ["是否脱贫", "脱贫属性", "脱贫标志", "户类型", "标识"],
            Ty::Enum(LIFT_STATUS),
            file_only,
            "Status word (已脱贫/未脱贫/返贫/剔除/清退/自然减少), held against the dates"
        ),
        field!(
            "returned_on",
            ["返贫时间", "返贫年度", "返贫年份"],
            Ty::Date,
            file_only,
            "Date the household returned to poverty 返贫时间 (a step of its history)"
        ),
        field!(
            "return_cause",
            ["返贫原因"],
            Ty::Enum(CAUSES),
            file_only,
            "Cause of the return to poverty 返贫原因"
        ),
        field!(
            "left_on",
            ["减少时间", "剔除时间", "清退时间", "注销时间"],
            Ty::Date,
            file_only,
            "Date the household left the register 减少时间 / 剔除时间 (a step of its history)"
        ),
        field!(
            "left_reason",
            ["减少原因", "剔除原因", "清退原因", "变更原因"],
            Ty::Enum(DEREGISTRATIONS),
            file_only,
            "Why it left the register 减少原因 / 剔除原因"
        ),
        field!(
            "helper",
            ["帮扶责任人", "帮扶人"],
            Ty::Ref(Kind::Cadre),
            optional,
            "Helper cadre 帮扶责任人 (code or unique name)"
        ),
        field!(
            "phone",
            ["联系电话", "电话", "户联系电话", "手机号码"],
            Ty::Phone,
            optional,
            "Phone: a mobile (13812345678) or a landline with its area code (0774-8981234); several separated by /"
        ),
        field!("note", ["备注"], Ty::Text, optional, "Note"),
    ],
};

pub const PERSON: Entity = Entity {
    kind: Kind::Person,
    table: "people",
    name: "person",
    plural: "people",
    zh: &["家庭成员", "人员", "成员"],
    key: &["code"],
    brief: &["code", "name", "relation", "birth_on", "health", "left_on"],
    fields: &[
        // Optional to give: a person without one is numbered after its
        // household (see `db::people`).
        field!(
            "code",
            ["人编号", "成员编号"],
            Ty::Code,
            optional,
            "Person code 人编号 (a file without one: the household code and 01 for the head, 02 … for the others)"
        ),
        field!(
            "household",
            ["户编号"],
            Ty::Ref(Kind::Household),
            required,
            "Household code 户编号"
        ),
        field!("name", ["姓名"], Ty::Text, required, "Full name"),
        field!(
            "id_number",
            ["证件号码", "身份证号", "身份证号码", "公民身份号码"],
            Ty::IdNumber,
            required,
            "Resident ID number (18 characters)"
        ),
        field!(
            "relation",
            ["与户主关系"],
            Ty::Enum(RELATIONS),
            required,
            "Relation to the head: head/户主, spouse/配偶, son/之子, daughter/之女, … other/其他"
        ),
        field!(
            "gender",
            ["性别"],
            Ty::Enum(GENDERS),
            optional,
            "male/男 or female/女 (default: from the ID number, which it must match)"
        ),
        field!(
            "birth_on",
            ["出生日期"],
            Ty::Date,
            optional,
            "Date of birth (default: from the ID number, which it must match)"
        ),
        field!(
            "ethnicity",
            ["民族"],
            Ty::Text,
            optional,
            "Ethnic group, e.g. 汉族"
        ),
        field!(
            "education",
            ["文化程度"],
            Ty::Text,
            optional,
            "Education, e.g. 初中"
        ),
        field!(
            "schooling",
            ["在校生状况", "在校情况"],
            Ty::Text,
            optional,
            "School attendance, e.g. 八年级, 非在校生, 辍学"
        ),
        field!(
            "health",
            ["健康状况"],
            Ty::Text,
            optional,
            "Health, e.g. 健康, 长期慢性病"
        ),
        field!(
            "labour",
            ["劳动能力", "劳动技能"],
            Ty::Text,
            optional,
            "Capacity for work, e.g. 普通劳动力"
        ),
        field!(
            "work",
            ["务工状况"],
            Ty::Text,
            optional,
            "Employment, e.g. 县外省内务工"
        ),
        field!(
            "work_months",
            ["务工时间(月)", "务工时间"],
            Ty::Int { min: 0, max: 12 },
            optional,
            "Months of work away in the year, 0–12"
        ),
        field!(
            "work_place",
            ["务工地点", "务工地址"],
            Ty::Text,
            optional,
            "Where the person works, e.g. 广东省东莞市"
        ),
        field!(
            "medical_insurance",
            [
                "是否参加城乡居民基本医疗保险",
                "是否参加新农合",
                "是否参加新型农村合作医疗",
                "是否参加基本医疗保险",
                "基本医疗保险"
            ],
            Ty::Flag,
            optional,
            "Covered by basic medical insurance 城乡居民医保 / 新农合 (yes/no)"
        ),
        field!(
            "serious_illness_insurance",
            ["是否参加大病保险", "参加大病医疗", "大病保险"],
            Ty::Flag,
            optional,
            "Covered by serious-illness insurance 大病保险 (yes/no)"
        ),
        field!(
            "pension_insurance",
            [
                "是否参加城乡居民基本养老保险",
                "是否参加新型养老保险",
                "养老保险"
            ],
            Ty::Flag,
            optional,
            "Covered by the residents' pension insurance 城乡居民养老保险 (yes/no)"
        ),
        field!(
            "dibao",
            ["是否享受低保", "享受低保"],
            Ty::Flag,
            optional,
            "Receives the minimum living allowance 低保 (yes/no)"
        ),
        field!(
            "disability_certificate",
            ["残疾证号", "残疾人证号", "残疾证号码"],
            Ty::Certificate,
            optional,
            "Disability certificate number 残疾人证号: the ID number and two digits"
        ),
        field!(
            "joined_on",
            ["增员时间", "加入时间"],
            Ty::Date,
            optional,
            "Date the person joined the household, with --joined-reason"
        ),
        field!(
            "joined_reason",
            ["增员原因", "加入原因"],
            Ty::Enum(JOINED_REASONS),
            optional,
            "born/出生, married_in/婚入, moved_in/迁入 or other/其他"
        ),
        field!(
            "left_on",
            ["减员时间", "离开时间"],
            Ty::Date,
            optional,
            "Date the person left the household, with --left-reason; the person is kept"
        ),
        field!(
            "left_reason",
            ["减员原因", "离开原因"],
            Ty::Enum(LEFT_REASONS),
            optional,
            "died/死亡, married_out/婚出, moved_out/迁出 or other/其他"
        ),
        field!(
            "status",
            ["人员状态", "成员状态", "人员标识", "人口状态"],
            Ty::Enum(PERSON_STATUS),
            file_only,
            "Status word of a person-level register (正常/死亡/婚出/迁出): one that says the person left gives the reason and needs the date"
        ),
        field!("note", ["备注"], Ty::Text, optional, "Note"),
    ],
};

pub const TASK: Entity = Entity {
    kind: Kind::Task,
    table: "tasks",
    name: "task",
    plural: "tasks",
    zh: &["挂牌督战任务", "督战任务", "任务"],
    key: &["code"],
    brief: &["code", "title", "due_on", "done_on"],
    fields: &[
        field!(
            "code",
            ["任务编号"],
            Ty::Code,
            required,
            "Task code, e.g. XJ01"
        ),
        field!(
            "title",
            ["任务", "督战任务", "任务名称"],
            Ty::Text,
            required,
            "Title of the listed task"
        ),
        field!(
            "level",
            ["挂牌级别", "级别"],
            Ty::Enum(TASK_LEVELS),
            required,
            "county/县级 or town/乡镇级"
        ),
        field!(
            "village",
            ["行政村", "村"],
            Ty::Ref(Kind::Village),
            optional,
            "Village (code or unique name)"
        ),
        field!(
            "town",
            ["乡镇"],
            Ty::Ref(Kind::Town),
            required,
            "Town (code or unique name)"
        ),
        field!(
            "leader",
            ["挂牌领导", "责任领导"],
            Ty::Ref(Kind::Cadre),
            optional,
            "Leading cadre 挂牌领导 (code or unique name)"
        ),
        field!(
            "team",
            ["突击队"],
            Ty::Text,
            optional,
            "Commando team 突击队"
        ),
        field!("listed_on", ["挂牌时间"], Ty::Date, required, "Date listed"),
        field!("due_on", ["完成时限"], Ty::Date, optional, "Deadline"),
        field!("done_on", ["完成时间"], Ty::Date, optional, "Date done"),
        field!("note", ["备注"], Ty::Text, optional, "Note"),
    ],
};

pub const POST: Entity = Entity {
    kind: Kind::Post,
    table: "posts",
    name: "post",
    plural: "posts",
    zh: &["任职"],
    key: &["cadre", "role", "town", "village", "task", "started_on"],
    brief: &["cadre", "role", "village", "started_on", "ended_on"],
    fields: &[
        field!(
            "cadre",
            ["干部编号", "干部"],
            Ty::Ref(Kind::Cadre),
            required,
            "Cadre (code or unique name)"
        ),
        field!(
            "role",
            ["岗位", "职务"],
            Ty::Enum(ROLES),
            required,
            "team_leader/工作队长, first_secretary/第一书记, team_member/工作队员, info_officer/信息员, party_secretary/村党组织书记, committee_director/村委会主任, commando/突击队员"
        ),
        field!(
            "town",
            ["乡镇"],
            Ty::Ref(Kind::Town),
            optional,
            "Town where the post is held (or the town of --village)"
        ),
        field!(
            "village",
            ["行政村", "村"],
            Ty::Ref(Kind::Village),
            optional,
            "Village where the post is held"
        ),
        field!(
            "task",
            ["任务编号"],
            Ty::Ref(Kind::Task),
            optional,
            "Listed task (for commando posts)"
        ),
        field!(
            "started_on",
            ["任职时间", "开始时间"],
            Ty::Date,
            required,
            "Date the post started"
        ),
        field!(
            "ended_on",
            ["离任时间", "结束时间"],
            Ty::Date,
            optional,
            "Date the post ended"
        ),
    ],
};

pub const DISPATCH: Entity = Entity {
    kind: Kind::Dispatch,
    table: "dispatches",
    name: "dispatch",
    plural: "dispatches",
    zh: &["调度"],
    key: &["task", "held_on"],
    brief: &["task", "held_on", "progress", "problems_found"],
    fields: &[
        field!(
            "task",
            ["任务编号"],
            Ty::Ref(Kind::Task),
            required,
            "Listed task code"
        ),
        field!(
            "held_on",
            ["调度时间"],
            Ty::Date,
            required,
            "Date of the dispatch meeting"
        ),
        field!(
            "chaired_by",
            ["主持人"],
            Ty::Ref(Kind::Cadre),
            optional,
            "Chairing cadre (code or unique name)"
        ),
        field!(
            "progress",
            ["进度"],
            Ty::Int { min: 0, max: 100 },
            required,
            "Progress in percent, 0–100"
        ),
        field!(
            "problems_found",
            ["发现问题"],
            Ty::Int {
                min: 0,
                max: i64::MAX
            },
            optional,
            "Problems found"
        ),
        field!(
            "problems_solved",
            ["解决问题"],
            Ty::Int {
                min: 0,
                max: i64::MAX
            },
            optional,
            "Problems solved"
        ),
        field!(
            "note",
            ["调度情况", "备注"],
            Ty::Text,
            optional,
            "What was discussed"
        ),
    ],
};

pub const VISIT: Entity = Entity {
    kind: Kind::Visit,
    table: "visits",
    name: "visit",
    plural: "visits",
    zh: &["走访"],
    key: &["cadre", "visited_on", "village", "household"],
    brief: &["cadre", "visited_on", "village", "household"],
    fields: &[
        field!(
            "cadre",
            ["干部编号", "干部"],
            Ty::Ref(Kind::Cadre),
            required,
            "Visiting cadre (code or unique name)"
        ),
        field!(
            "visited_on",
            ["走访时间"],
            Ty::Date,
            required,
            "Date of the visit"
        ),
        field!(
            "village",
            ["行政村", "村"],
            Ty::Ref(Kind::Village),
            optional,
            "Village visited"
        ),
        field!(
            "household",
            ["户编号"],
            Ty::Ref(Kind::Household),
            optional,
            "Household visited (code)"
        ),
        field!("note", ["备注"], Ty::Text, optional, "Note"),
    ],
};

pub const PROMOTION: Entity = Entity {
    kind: Kind::Promotion,
    table: "promotions",
    name: "promotion",
    plural: "promotions",
    zh: &["提拔"],
    key: &["cadre", "promoted_on"],
    brief: &[],
    fields: &[
        field!(
            "cadre",
            ["干部编号", "干部"],
            Ty::Ref(Kind::Cadre),
            required,
            "Promoted cadre (code or unique name)"
        ),
        field!(
            "promoted_on",
            ["提拔时间"],
            Ty::Date,
            required,
            "Date of the promotion"
        ),
        field!("post", ["新任职务"], Ty::Text, required, "New post"),
        field!("note", ["备注"], Ty::Text, optional, "Note"),
    ],
};

/// How a person joined a household (增员原因).
pub const JOINED_REASONS: &[Choice] = &[
    choice("born", "出生", &["新生儿"]),
    choice("married_in", "婚入", &["嫁入", "娶入"]),
    choice("moved_in", "迁入", &["户籍迁入"]),
    choice("other", "其他", &["其它"]),
];

/// How a person left a household (减员原因).
pub const LEFT_REASONS: &[Choice] = &[
    choice("died", "死亡", &["去世", "已故"]),
    choice("married_out", "婚出", &["嫁出", "外嫁"]),
    choice("moved_out", "迁出", &["户籍迁出"]),
    choice("other", "其他", &["其它"]),
];

/// A person's status word in a person-level register (人员状态): present,
/// or gone for one of the reasons of [`LEFT_REASONS`], by the same code.
pub const PERSON_STATUS: &[Choice] = &[
    choice("present", "正常", &["在册", "在户", "健在", "正常户", "是"]),
    choice("died", "死亡", &["去世", "已故", "已死亡"]),
    choice("married_out", "婚出", &["嫁出", "外嫁"]),
    choice("moved_out", "迁出", &["户籍迁出", "已迁出"]),
];

/// What happened to a registered household after its first lift: see
/// `crate::register` for how these steps make its status on a date.
pub const EVENTS: &[Choice] = &[
    choice("returned", "返贫", &["返贫户", "return"]),
    choice("lifted", "脱贫", &["再次脱贫", "已脱贫", "lift"]),
    choice("removed", "剔除", &["清退", "注销", "remove"]),
    choice("left", "自然减少", &["leave"]),
];

/// Why a household left the register: a removal (剔除) for the first
/// three, a natural decrease (自然减少) for the next three.
pub const DEREGISTRATIONS: &[Choice] = &[
    choice(
        "wrong_identification",
        "识别不精准",
        &["错评", "识别错误", "不符合识别标准", "wrongly_identified"],
    ),
    choice("cleared", "清退", &["不符合条件清退", "违规清退"]),
    choice(
        "died",
        "死亡",
        &["户内人员全部死亡", "全户死亡", "死亡销户"],
    ),
    choice("moved_out", "迁出", &["迁出本县", "户籍迁出", "整户迁出"]),
    choice("merged", "合户", &["并户", "并入他户"]),
    choice("other", "其他", &["其它"]),
];

/// The event a reason for leaving the register belongs to.
pub fn deregistration_event(reason: &str) -> &'static str {
    match reason {
        "died" | "moved_out" | "merged" => "left",
        _ => "removed",
    }
}

/// A step in a registered household's history after its first lift: a
/// return to poverty, a lift after it, a removal or a natural decrease.
pub const EVENT: Entity = Entity {
    kind: Kind::Event,
    table: "household_events",
    name: "event",
    plural: "household_events",
    zh: &["贫困户变动", "户变动"],
    key: &["household", "date", "event"],
    brief: &[],
    fields: &[
        field!(
            "household",
            ["户编号"],
            Ty::Ref(Kind::Household),
            required,
            "Household code 户编号"
        ),
        field!(
            "event",
            ["变动类型", "变动"],
            Ty::Enum(EVENTS),
            required,
            "returned/返贫, lifted/脱贫 (again, after a return), removed/剔除 or left/自然减少"
        ),
        field!(
            "date",
            ["变动时间", "时间"],
            Ty::Date,
            required,
            "Date it happened (a month or a year means its last day)"
        ),
        field!(
            "cause",
            ["返贫原因", "致贫原因"],
            Ty::Enum(CAUSES),
            optional,
            "Cause of a return to poverty, e.g. illness/因病"
        ),
        field!(
            "reason",
            ["减少原因", "剔除原因", "变更原因"],
            Ty::Enum(DEREGISTRATIONS),
            optional,
            "Why it left the register: wrong_identification/识别不精准 or cleared/清退 (removed); died/死亡, moved_out/迁出 or merged/合户 (left); other/其他"
        ),
        field!("note", ["备注"], Ty::Text, optional, "Note"),
    ],
};

/// The grade of a house's safety assessment (房屋安全等级鉴定): C and D
/// are dilapidated (危房).
pub const HOUSING_GRADES: &[Choice] = &[
    choice("a", "A级", &["A", "a级"]),
    choice("b", "B级", &["B", "b级"]),
    choice("c", "C级", &["C", "c级"]),
    choice("d", "D级", &["D", "d级"]),
];

/// Amounts of a household's year: up to a million yuan a head, and the
/// negative net result a failed business can give.
const YUAN: Ty = Ty::Money {
    min: -1_000_000,
    max: 1_000_000,
};

/// What a household's year proves of its exit (一超过、两不愁、三保障): its
/// per-capita net income and the parts it is made of, the allowances it
/// received, and whether food, clothing, housing, water and electricity
/// were secure. One record per household and year; the national exports
/// carry these columns on every person's row, and a file of households or
/// people loads them with its rows (see `crate::import::companions`).
pub const ASSESSMENT: Entity = Entity {
    kind: Kind::Assessment,
    table: "assessments",
    name: "assessment",
    plural: "assessments",
    zh: &["年度收入与保障", "收入与保障", "脱贫评估"],
    key: &["household", "year"],
    brief: &[
        "household",
        "year",
        "income",
        "food_secure",
        "dilapidated",
        "safe_water",
        "electricity",
    ],
    fields: &[
        field!(
            "household",
            ["户编号"],
            Ty::Ref(Kind::Household),
            required,
            "Household code 户编号"
        ),
        field!(
            "year",
            [
                "年度",
                "评估年度",
                "统计年度",
                "年份",
                "统计时间",
                "数据日期"
            ],
            Ty::Year,
            required,
            "Year assessed (a date such as the file's 统计时间 means its year)"
        ),
        field!(
            "income",
            [
                "人均纯收入",
                "家庭年人均纯收入",
                "年人均纯收入",
                "人均纯收入(元)",
                "家庭人均纯收入"
            ],
            YUAN,
            optional,
            "Per-capita net income in yuan 人均纯收入"
        ),
        field!(
            "wage_income",
            ["工资性收入", "工资性收入(元)"],
            YUAN,
            optional,
            "Wage income of the household, yuan 工资性收入"
        ),
        field!(
            "business_income",
            ["生产经营性收入", "生产经营性收入(元)"],
            YUAN,
            optional,
            "Income from farming and business, yuan 生产经营性收入"
        ),
        field!(
            "property_income",
            ["财产性收入", "财产性收入(元)"],
            YUAN,
            optional,
            "Property income, yuan 财产性收入"
        ),
        field!(
            "transfer_income",
            ["转移性收入", "转移性收入(元)"],
            YUAN,
            optional,
            "Transfer income (allowances, pensions, remittances), yuan 转移性收入"
        ),
        field!(
            "business_costs",
            ["生产经营性支出", "生产经营性支出(元)"],
            YUAN,
            optional,
            "Costs of farming and business, yuan 生产经营性支出"
        ),
        field!(
            "dibao_paid",
            ["低保金", "低保金(元)", "领取低保金"],
            YUAN,
            optional,
            "Minimum living allowance received in the year, yuan 低保金"
        ),
        field!(
            "tekun_paid",
            ["特困供养金", "特困供养金(元)", "五保金"],
            YUAN,
            optional,
            "Support for the extremely poor received, yuan 特困供养金"
        ),
        field!(
            "food_secure",
            ["不愁吃", "是否不愁吃"],
            Ty::Flag,
            optional,
            "Food secure 不愁吃 (yes/no)"
        ),
        field!(
            "clothing_secure",
            ["不愁穿", "是否不愁穿"],
            Ty::Flag,
            optional,
            "Clothing secure 不愁穿 (yes/no)"
        ),
        field!(
            "dilapidated",
            ["危房户", "是否危房户", "是否危房"],
            Ty::Flag,
            optional,
            "Lives in a dilapidated house 危房户 (yes/no)"
        ),
        field!(
            "housing_grade",
            ["危房等级", "房屋安全等级", "住房等级"],
            Ty::Enum(HOUSING_GRADES),
            optional,
            "Grade of the house's safety assessment, a to d (C and D are 危房)"
        ),
        field!(
            "safe_water",
            ["是否解决安全饮用水", "饮水安全", "安全饮水", "是否饮水安全"],
            Ty::Flag,
            optional,
            "Has safe drinking water 饮水安全 (yes/no)"
        ),
        field!(
            "electricity",
            ["是否通生活用电", "通生活用电"],
            Ty::Flag,
            optional,
            "Has electricity for living 通生活用电 (yes/no)"
        ),
        field!("note", ["备注"], Ty::Text, optional, "Note"),
    ],
};

/// The lines a year is held to, where a province set its own: the
/// per-capita net income a lifted household must pass, and from 2021 the
/// income under which a household is monitored. A year without one takes
/// the national figure (`crate::standards`).
pub const STANDARD: Entity = Entity {
    kind: Kind::Standard,
    table: "standards",
    name: "standard",
    plural: "standards",
    zh: &["标准", "脱贫标准"],
    key: &["year"],
    brief: &[],
    fields: &[
        field!("year", ["年度"], Ty::Year, required, "The year, e.g. 2020"),
        field!(
            "income_line",
            ["脱贫标准", "收入标准", "贫困线"],
            Ty::Int {
                min: 1,
                max: 1_000_000
            },
            required,
            "Per-capita net income a lifted household must pass, yuan a year"
        ),
        field!(
            "monitoring_line",
            ["监测标准", "监测线"],
            Ty::Int {
                min: 1,
                max: 1_000_000
            },
            optional,
            "Per-capita income under which a household is monitored (2021 on), yuan"
        ),
        field!(
            "incidence_line",
            ["贫困发生率标准", "出列标准"],
            Ty::Int { min: 1, max: 100 },
            optional,
            "Incidence (per cent) a poor village must be below to exit: 3 in the west, 2 in the centre"
        ),
        field!(
            "note",
            ["备注", "依据"],
            Ty::Text,
            optional,
            "Where the figure comes from"
        ),
    ],
};

/// A household under monitoring against a return to poverty (监测对象),
/// from its identification to the elimination of its risks. A household
/// is monitored again after an elimination as a new record, never twice at
/// once. When its code is a registered household, the village, head, ID
/// number and members are that household's (see `record::check`).
pub const MONITOR: Entity = Entity {
    kind: Kind::Monitor,
    table: "monitoring",
    name: "monitor",
    plural: "monitoring",
    zh: &["监测对象", "防返贫监测对象", "监测户"],
    key: &["code", "identified_on"],
    brief: &[
        "code",
        "head_name",
        "members",
        "category",
        "identified_on",
        "eliminated_on",
    ],
    fields: &[
        field!(
            "code",
            ["户编号"],
            Ty::Code,
            required,
            "Household code 户编号 (a registered household's, or the ordinary household's own)"
        ),
        field!(
            "village",
            ["行政村", "村", "村名", "行政村名称", "村(社区)"],
            Ty::Ref(Kind::Village),
            optional,
            "Village (code, or name with --town); a registered household's own by default"
        ),
        field!(
            "town",
            ["乡镇", "乡(镇)", "镇(乡)", "乡镇(街道)", "乡镇名称"],
            Ty::Ref(Kind::Town),
            hint,
            "Town, to tell same-named villages apart (not stored)"
        ),
        field!(
            "head_name",
            ["户主姓名", "户主", "姓名"],
            Ty::Text,
            optional,
            "Head of household 户主姓名; a registered household's own by default"
        ),
        field!(
            "id_number",
            [
                "证件号码",
                "身份证号",
                "身份证号码",
                "户主证件号码",
                "户主身份证号",
                "户主身份证号码"
            ],
            Ty::IdNumber,
            optional,
            "Head's ID number 证件号码; a registered household's own by default"
        ),
        field!(
            "members",
            ["人数", "家庭人口数", "人口数", "家庭人口", "家庭成员数"],
            Ty::Int { min: 1, max: 99 },
            optional,
            "Number of members 人数; a registered household's own by default"
        ),
        field!(
            "household_type",
            ["户类型"],
            Ty::Enum(HOUSEHOLD_TYPES),
            optional,
            "lifted/脱贫户 or ordinary/一般农户 (default: lifted for a registered household, else ordinary)"
        ),
        field!(
            "category",
            ["监测对象类别", "监测类别"],
            Ty::Enum(CATEGORIES),
            required,
            "unstable_lifted/脱贫不稳定户, edge/边缘易致贫户 or sudden_hardship/突发严重困难户"
        ),
        field!(
            "risk1",
            ["致贫/返贫风险1", "致贫返贫风险1", "风险类型1", "主要风险"],
            Ty::Enum(RISKS),
            required,
            "First risk 致贫/返贫风险1, e.g. illness/因病, accident/因意外事故, failed_business/因产业项目失败"
        ),
        field!(
            "risk2",
            ["致贫/返贫风险2", "致贫返贫风险2", "风险类型2"],
            Ty::Enum(RISKS),
            optional,
            "Second risk 致贫/返贫风险2"
        ),
        field!(
            "risk3",
            ["致贫/返贫风险3", "致贫返贫风险3", "风险类型3"],
            Ty::Enum(RISKS),
            optional,
            "Third risk 致贫/返贫风险3"
        ),
        field!(
            "risk4",
            ["致贫/返贫风险4", "致贫返贫风险4", "风险类型4"],
            Ty::Enum(RISKS),
            optional,
            "Fourth risk 致贫/返贫风险4"
        ),
        field!(
            "risk5",
            ["致贫/返贫风险5", "致贫返贫风险5", "风险类型5"],
            Ty::Enum(RISKS),
            optional,
            "Fifth risk 致贫/返贫风险5"
        ),
        field!(
            "identified_on",
            ["识别监测时间", "纳入监测时间", "识别时间"],
            Ty::Date,
            required,
            "Month or date identified for monitoring 识别监测时间 (202203 or 2022-03 means the month's last day)"
        ),
        field!(
            "eliminated",
            ["风险是否已消除", "是否消除"],
            Ty::Flag,
            file_only,
            "Status word (是/否), held against the elimination date"
        ),
        field!(
            "elimination",
            ["风险消除方式", "消除方式"],
            Ty::Enum(ELIMINATIONS),
            optional,
            "How the risk was eliminated: assisted/帮扶消除 or natural/自然消除 (with --eliminated-on)"
        ),
        field!(
            "eliminated_on",
            ["消除监测时间", "风险消除时间", "消除时间"],
            Ty::Date,
            optional,
            "Month or date the risk was eliminated 消除监测时间 (with --elimination)"
        ),
        field!(
            "measures",
            ["帮扶措施"],
            Ty::Enums(MEASURES),
            optional,
            "Measures 帮扶措施, several separated by commas or 、: industry/产业帮扶, employment/就业帮扶, health/健康帮扶, education/教育帮扶, housing/住房安全保障, drinking_water/饮水安全保障, social_security/综合保障, public_job/公益性岗位, microcredit/小额信贷, other/其他"
        ),
        field!(
            "helper",
            ["帮扶责任人", "帮扶人"],
            Ty::Ref(Kind::Cadre),
            optional,
            "Helper cadre 帮扶责任人 (code or unique name)"
        ),
        field!("note", ["备注"], Ty::Text, optional, "Note"),
    ],
};

/// All record kinds in dependency order: a kind only refers to kinds before
/// it. Posts come after tasks because commando posts are placed on tasks.
pub const ALL: [&Entity; 15] = [
    &CADRE,
    &ZONE,
    &TOWN,
    &VILLAGE,
    &HOUSEHOLD,
    &PERSON,
    &TASK,
    &POST,
    &DISPATCH,
    &VISIT,
    &PROMOTION,
    &MONITOR,
    &EVENT,
    &ASSESSMENT,
    &STANDARD,
];

pub fn entity(kind: Kind) -> &'static Entity {
    match kind {
        Kind::Cadre => &CADRE,
        Kind::Zone => &ZONE,
        Kind::Town => &TOWN,
        Kind::Village => &VILLAGE,
        Kind::Household => &HOUSEHOLD,
        Kind::Person => &PERSON,
        Kind::Task => &TASK,
        Kind::Post => &POST,
        Kind::Dispatch => &DISPATCH,
        Kind::Visit => &VISIT,
        Kind::Promotion => &PROMOTION,
        Kind::Monitor => &MONITOR,
        Kind::Event => &EVENT,
        Kind::Assessment => &ASSESSMENT,
        Kind::Standard => &STANDARD,
    }
}

/// Finds an entity by its English singular or plural, or a Chinese name.
pub fn entity_by_name(name: &str) -> Option<&'static Entity> {
    let name = name.trim().to_lowercase();
    ALL.iter().copied().find(|e| {
        e.name == name || e.plural == name || e.zh.contains(&name.as_str()) || e.table == name
    })
}

/// Finds an enumeration value by its code, Chinese label or alias. A word
/// with 致贫 ("causing poverty") appended, as ledgers write causes
/// (因学致贫), is read as the word without it.
pub fn parse_choice(choices: &'static [Choice], raw: &str) -> Option<&'static Choice> {
    find_choice(choices, raw).or_else(|| {
        let word = raw.strip_suffix("致贫")?;
        find_choice(choices, word)
    })
}

fn find_choice(choices: &'static [Choice], raw: &str) -> Option<&'static Choice> {
    // The stored code or the Chinese label as written: no folding needed.
    if let Some(c) = choices.iter().find(|c| c.code == raw || c.zh == raw) {
        return Some(c);
    }
    let folded = raw.to_lowercase().replace([' ', '-'], "_");
    choices.iter().find(|c| {
        c.code == folded || c.zh == raw || c.aliases.iter().any(|a| *a == raw || *a == folded)
    })
}

/// The display label of a stored enumeration code in the current language.
pub fn choice_label(choices: &'static [Choice], code: &str) -> String {
    match choices.iter().find(|c| c.code == code) {
        Some(c) if crate::lang::zh() => c.zh.to_string(),
        _ => code.to_string(),
    }
}

/// Several values of an enumeration as written in a cell: separated by
/// commas, 、, semicolons or slashes (either width), each by its code,
/// label or alias, in the order given, a repeat dropped. `Err` holds the
/// first word that is no value.
pub fn parse_choices(choices: &'static [Choice], raw: &str) -> Result<Vec<&'static str>, String> {
    let mut codes: Vec<&'static str> = Vec::new();
    for word in raw.split([',', '，', '、', ';', '；', '/', '／']) {
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        let c = parse_choice(choices, word).ok_or_else(|| word.to_string())?;
        if !codes.contains(&c.code) {
            codes.push(c.code);
        }
    }
    Ok(codes)
}

/// The separator of several stored codes.
pub const CODES_SEPARATOR: &str = ";";

/// The display text of several stored codes in the current language:
/// labels joined by 、 in Chinese, the codes as stored in English.
pub fn choices_label(choices: &'static [Choice], stored: &str) -> String {
    if !crate::lang::zh() {
        return stored.to_string();
    }
    stored
        .split(CODES_SEPARATOR)
        .map(|code| choice_label(choices, code))
        .collect::<Vec<_>>()
        .join("、")
}

/// Every (entity, field) that refers to records of `kind`.
pub fn references_to(kind: Kind) -> impl Iterator<Item = (&'static Entity, &'static Field)> {
    ALL.into_iter().flat_map(move |e| {
        e.stored()
            .filter(move |f| matches!(f.ty, Ty::Ref(k) if k == kind))
            .map(move |f| (e, f))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_field_exists() {
        for e in ALL {
            for k in e.key {
                assert!(e.field(k).is_some(), "{}.{k}", e.name);
            }
        }
    }

    #[test]
    fn references_point_backwards_in_dependency_order() {
        for (i, e) in ALL.iter().enumerate() {
            for f in e.fields {
                if let Ty::Ref(k) = f.ty {
                    let j = ALL.iter().position(|x| x.kind == k).unwrap();
                    assert!(j < i, "{}.{} refers forward", e.name, f.name);
                }
            }
        }
    }

    #[test]
    fn choices_parse_in_both_languages() {
        assert_eq!(parse_choice(CAUSES, "因病").unwrap().code, "illness");
        assert_eq!(
            parse_choice(CAUSES, "Lack of water").unwrap().code,
            "lack_of_water"
        );
        assert_eq!(
            parse_choice(ROLES, "第一书记").unwrap().code,
            "first_secretary"
        );
        assert_eq!(
            parse_choice(ATTRIBUTES, "低保户").unwrap().code,
            "low_income"
        );
        assert!(parse_choice(GENDERS, "x").is_none());
    }

    #[test]
    fn older_and_regional_words() {
        for (word, code) in [
            ("扶贫低保户", "low_income"),
            ("纯低保户", "low_income"),
            ("低保户", "low_income"),
            ("五保户", "extreme_poverty"),
            ("扶贫户", "general"),
        ] {
            assert_eq!(
                parse_choice(ATTRIBUTES, word).map(|c| c.code),
                Some(code),
                "{word}"
            );
        }
        for (word, code) in [
            ("其它", "other"),
            ("缺劳动力", "lack_of_labour"),
            ("因学致贫", "schooling"),
            ("因病致贫", "illness"),
            ("缺劳动力致贫", "lack_of_labour"),
            ("交通条件落后致贫", "poor_transport"),
            ("因婚", "marriage"),
            ("因婚致贫", "marriage"),
            ("因丧", "funeral"),
            ("因意外事故", "accident"),
            ("因务工就业不稳", "unstable_work"),
            ("因安全住房", "unsafe_housing"),
            ("因安全饮水", "unsafe_drinking_water"),
            ("unsafe drinking water", "unsafe_drinking_water"),
            ("因自然灾害", "disaster"),
        ] {
            assert_eq!(
                parse_choice(CAUSES, word).map(|c| c.code),
                Some(code),
                "{word}"
            );
        }
        for word in ["致贫", "因穷", "因穷致贫", "因学致贫致贫", "illness致贫x"] {
            assert!(parse_choice(CAUSES, word).is_none(), "{word}");
        }
    }

    #[test]
    fn every_cause_is_allowed_by_the_schema() {
        let schema = crate::db::SCHEMA;
        let latest = &schema[schema.rfind("CREATE TABLE households").unwrap_or(0)..];
        let table = &latest[..latest.find(");").unwrap_or(latest.len())];
        for c in CAUSES {
            assert!(
                table.contains(&format!("cause = '{}'", c.code)),
                "{}",
                c.code
            );
        }
        let listed = table.matches("cause = '").count();
        assert_eq!(listed, CAUSES.len());
    }

    #[test]
    fn every_monitoring_value_is_allowed_by_the_schema() {
        let schema = crate::db::SCHEMA;
        let table = &schema[schema.rfind("CREATE TABLE monitoring").unwrap_or(0)..];
        let table = &table[..table.find(");").unwrap_or(table.len())];
        // Only the first risk may be not stated (未注明).
        let later: Vec<&Choice> = RISKS.iter().filter(|c| c.code != NOT_STATED).collect();
        assert_eq!(table.matches("risk5 = '").count(), later.len(), "risk5");
        for c in later {
            assert!(
                table.contains(&format!("risk5 = '{}'", c.code)),
                "{}",
                c.code
            );
        }
        for (column, choices) in [
            ("category", CATEGORIES),
            ("household_type", HOUSEHOLD_TYPES),
            ("elimination", ELIMINATIONS),
            ("risk1", RISKS),
        ] {
            for c in choices {
                assert!(
                    table.contains(&format!("{column} = '{}'", c.code)),
                    "{column} {}",
                    c.code
                );
            }
            assert_eq!(
                table.matches(&format!("{column} = '")).count(),
                choices.len(),
                "{column}"
            );
        }
    }

    #[test]
    fn several_values_keep_their_order_and_drop_repeats() {
        assert_eq!(
            parse_choices(MEASURES, "就业帮扶、产业帮扶，就业, health"),
            Ok(vec!["employment", "industry", "health"])
        );
        assert_eq!(parse_choices(MEASURES, " ; "), Ok(vec![]));
        assert_eq!(
            parse_choices(MEASURES, "产业帮扶/修路"),
            Err("修路".to_string())
        );
        assert_eq!(parse_choice(RISKS, "因病").map(|c| c.code), Some("illness"));
        assert_eq!(
            parse_choice(CATEGORIES, "边缘户").map(|c| c.code),
            Some("edge")
        );
    }

    #[test]
    fn entities_by_file_name() {
        assert_eq!(entity_by_name("贫困户").unwrap().kind, Kind::Household);
        assert_eq!(entity_by_name("Households").unwrap().kind, Kind::Household);
        assert_eq!(entity_by_name("dispatches").unwrap().kind, Kind::Dispatch);
        assert_eq!(entity_by_name("监测对象").unwrap().kind, Kind::Monitor);
        assert_eq!(entity_by_name("monitoring").unwrap().kind, Kind::Monitor);
    }
}
