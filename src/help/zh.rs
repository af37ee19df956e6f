//! The Chinese of every help text, keyed by its English (see the module
//! above). Kept sorted by the English text.

/// The Chinese of `en`, when the table has it.
pub fn lookup(en: &str) -> Option<&'static str> {
    TEXTS
        .binary_search_by(|(key, _)| (*key).cmp(en))
        .ok()
        .map(|i| TEXTS[i].1)
}

pub const TEXTS: &[(&str, &str)] = &[
    (
        "\"Double clear\" (双清零): poor villages and households remaining on a date",
        "双清零：某日尚余的贫困村和贫困户",
    ),
    (
        "A household's year: income, food, clothing, housing, water and electricity (一超过、两不愁、三保障) 年度收入与保障",
        "贫困户年度收入与保障情况（一超过、两不愁、三保障）",
    ),
    (
        "A name or part of one, a code or part of one, or the last four characters of an ID number",
        "名称或其一部分、代码或其一部分，或身份证号后四位",
    ),
    ("A note on the return", "关于返贫的备注"),
    (
        "A note, e.g. the household it merged into",
        "备注，例如并入的户",
    ),
    ("Accept a date after today", "允许晚于今天的日期"),
    ("Accept a month after this one", "允许晚于本月的月份"),
    (
        "Accept dates after today in the file (registrations, lifts, dispatches, visits, posts); noted in the audit trail",
        "允许文件中晚于今天的日期（识别、脱贫、调度、走访、任职），记入变更记录",
    ),
    ("Add a battle zone", "添加作战区"),
    ("Add a cadre", "添加干部"),
    ("Add a person to a household", "为贫困户添加家庭成员"),
    ("Add a town", "添加乡镇"),
    ("Add a village or community", "添加行政村或社区"),
    (
        "Administrative villages and communities 行政村",
        "行政村和社区",
    ),
    (
        "Also list the records of the towns (or villages) the file covers that it does not hold, such as a household dropped from a township's list; nothing is deleted",
        "同时列出文件所涉乡镇（或村）中文件未包含的记录，如乡镇名单中漏掉的贫困户；不删除任何记录",
    ),
    (
        "Battle zone (code or unique name)",
        "作战区（代码或唯一名称）",
    ),
    ("Battle zones 作战区", "作战区"),
    ("Battle-zone code, e.g. ZQ01", "作战区代码，如 ZQ01"),
    (
        "Bimonthly dispatch (调度) summary of the listed tasks",
        "挂牌任务双月调度汇总",
    ),
    (
        "CSV: no byte-order mark, even for --lang zh written to a file",
        "CSV：不写字节顺序标记，即使是 --lang zh 写入文件",
    ),
    (
        "CSV: start with a UTF-8 byte-order mark, so Excel reads Chinese right (the default for --lang zh written to a file)",
        "CSV：以 UTF-8 字节顺序标记开头，使 Excel 正确显示中文（--lang zh 写入文件时默认如此）",
    ),
    (
        "CSV: text encoding, utf-8 (default) or gb18030 for older Excel",
        "CSV：文本编码，utf-8（默认）或供旧版 Excel 使用的 gb18030",
    ),
    ("Cadre (code or unique name)", "干部（编号或唯一姓名）"),
    ("Cadre code, e.g. GB00001", "干部编号，如 GB00001"),
    ("Cadres 干部", "干部"),
    (
        "Capacity for work, e.g. 普通劳动力",
        "劳动能力，如 普通劳动力",
    ),
    (
        "Cause of a return to poverty, e.g. illness/因病",
        "返贫原因，例如 illness/因病",
    ),
    (
        "Chairing cadre (code or unique name)",
        "主持人（干部编号或唯一姓名）",
    ),
    ("Change fields of a battle zone", "修改作战区"),
    ("Change fields of a cadre", "修改干部信息"),
    ("Change fields of a household", "修改贫困户信息"),
    (
        "Change fields of a household, or its head (--head)",
        "修改贫困户的字段，或更换户主（--head）",
    ),
    ("Change fields of a person", "修改家庭成员的字段"),
    ("Change fields of a task", "修改挂牌任务"),
    ("Change fields of a town", "修改乡镇"),
    ("Change fields of a village", "修改行政村"),
    (
        "Changes on the register after a household's first lift 贫困户变动 (recorded with `household return`, `household lift`, `household deregister`)",
        "贫困户首次脱贫之后的变动（用 `household return`、`household lift`、`household deregister` 登记）",
    ),
    (
        "Check and count everything, write nothing",
        "只检查和计数，不写入",
    ),
    (
        "Check the file's integrity and the rules between records",
        "检查文件完整性和记录之间的规则",
    ),
    ("Clothing secure 不愁穿 (yes/no)", "不愁穿（是/否）"),
    (
        "Commander (cadre code or unique name)",
        "指挥长（干部编号或唯一姓名）",
    ),
    ("Commando team 突击队", "突击队"),
    (
        "Correct a change, by the ID `event list` shows",
        "按 `event list` 显示的 ID 更正一条变动",
    ),
    (
        "Correct a dispatch, by the ID `dispatch list` shows",
        "更正一条调度记录（按 `dispatch list` 显示的 ID）",
    ),
    (
        "Correct a household's year, by the ID `assessment list` shows",
        "按 `assessment list` 显示的 ID 更正某户某年的情况",
    ),
    (
        "Correct a monitoring record, by household code (its open or latest record) or by the ID `monitor list` shows",
        "更正监测记录：按户编号（其监测中或最近一条记录）或 `monitor list` 的 ID",
    ),
    (
        "Correct a post, by the ID `post list` shows",
        "更正一条任职记录（按 `post list` 显示的 ID）",
    ),
    (
        "Correct a promotion, by the ID `promotion list` shows",
        "更正一条提拔记录（按 `promotion list` 显示的 ID）",
    ),
    (
        "Correct a visit, by the ID `visit list` shows",
        "更正一条走访记录（按 `visit list` 显示的 ID）",
    ),
    (
        "Costs of farming and business, yuan 生产经营性支出",
        "生产经营性支出（元）",
    ),
    (
        "County division code, e.g. 451122",
        "县级行政区划代码，6 位数字，如 451122",
    ),
    ("County name, e.g. 钟山县", "县名，如 钟山县"),
    (
        "Covered by basic medical insurance 城乡居民医保 / 新农合 (yes/no)",
        "是否参加城乡居民基本医疗保险（新农合）（是/否）",
    ),
    (
        "Covered by serious-illness insurance 大病保险 (yes/no)",
        "是否参加大病保险（是/否）",
    ),
    (
        "Covered by the residents' pension insurance 城乡居民养老保险 (yes/no)",
        "是否参加城乡居民基本养老保险（是/否）",
    ),
    (
        "Create a new database file for a county",
        "为一个县新建数据库文件",
    ),
    (
        "Cut-off date (default: today); a bare year means its last day",
        "截止日期（默认今天）；只写年份表示该年最后一天",
    ),
    (
        "Cut-off date or month (2022-12 means its last day; default: the end of the last full month)",
        "截止日期或年月（2022-12 指该月最后一天；默认上一个完整月的月末）",
    ),
    (
        "Database file (default: $FUPIN_DB, else fupin.db in this folder)",
        "数据库文件（默认 $FUPIN_DB，否则为当前文件夹的 fupin.db）",
    ),
    (
        "Database file (default: $FUPIN_DB, else fupin.db in this folder); reports take it more than once to roll several counties up",
        "数据库文件（默认：$FUPIN_DB，否则为本文件夹中的 fupin.db）；报表可多次给出，以汇总多个县",
    ),
    ("Date done", "完成时间"),
    (
        "Date for --active (default today)",
        "--active 所用日期（默认今天）",
    ),
    (
        "Date for --open/--eliminated (default today)",
        "--open/--eliminated 所依据的日期（默认今天）",
    ),
    (
        "Date for --poor/--lifted and the status column (default today)",
        "--poor/--lifted 和状态列所用日期（默认今天）",
    ),
    (
        "Date for the status (default today)",
        "状态所用日期（默认今天）",
    ),
    (
        "Date it happened (a month or a year means its last day)",
        "发生日期（只写年月或年份时取其最后一天）",
    ),
    ("Date lifted out of poverty 出列", "出列时间"),
    ("Date lifted out of poverty 脱贫时间", "脱贫时间"),
    ("Date listed", "挂牌时间"),
    (
        "Date of birth (default: from the ID number, which it must match)",
        "出生日期（默认取自身份证号，且须与之一致）",
    ),
    ("Date of the dispatch meeting", "调度时间"),
    (
        "Date of the household figures (default today)",
        "贫困户数据的日期（默认今天）",
    ),
    ("Date of the promotion", "提拔时间"),
    ("Date of the visit", "走访时间"),
    ("Date registered as a poor village", "识别为贫困村的时间"),
    (
        "Date registered 识别时间 (a month or a year means its last day)",
        "识别时间（只写月份或年份表示其最后一天）",
    ),
    (
        "Date the board shows (default: today)",
        "任务板所示日期（默认今天）",
    ),
    (
        "Date the people's ages are counted on (default: today)",
        "计算年龄的日期（默认今天）",
    ),
    (
        "Date the person joined the household, with --joined-reason",
        "加入本户的日期，与 --joined-reason 一起填写",
    ),
    (
        "Date the person left the household, with --left-reason; the person is kept",
        "离开本户的日期，与 --left-reason 一起填写；该成员的记录保留",
    ),
    ("Date the post ended", "离任时间"),
    ("Date the post started", "任职时间"),
    (
        "Date the posts are counted on (default: today)",
        "统计任职的日期（默认今天）",
    ),
    ("Deadline", "完成时限"),
    (
        "Deputy commander (cadre code or unique name)",
        "副指挥长（干部编号或唯一姓名）",
    ),
    (
        "Disability certificate number 残疾人证号: the ID number and two digits",
        "残疾人证号：身份证号加两位数字",
    ),
    ("Dispatch meetings on listed tasks 调度", "挂牌任务调度"),
    ("Education, e.g. 初中", "文化程度，如 初中"),
    ("Employment, e.g. 县外省内务工", "务工状况，如 县外省内务工"),
    ("Ethnic group, e.g. 汉族", "民族，如 汉族"),
    (
        "Every household lifted at the year's end, not only those lifted in it",
        "统计年底全部已脱贫户，而不只是当年脱贫的户",
    ),
    (
        "Exit quality (脱贫质量): households lifted in a year and how many meet each standard of 一超过、两不愁、三保障",
        "脱贫质量：某年脱贫户数及一超过、两不愁、三保障各项达标户数",
    ),
    (
        "Export records as CSV in the import contract",
        "按导入格式导出 CSV",
    ),
    ("Fifth risk 致贫/返贫风险5", "致贫/返贫风险5"),
    (
        "Figures as of each period's last day (end) or first day (start)",
        "按每期最后一天（end）或第一天（start）统计",
    ),
    (
        "Find records of every kind by name, code or the last four digits of an ID number",
        "按名称、代码或身份证号后四位查找各类记录",
    ),
    (
        "First day of a custom period (with --to)",
        "自定时段的第一天（与 --to 同用）",
    ),
    (
        "First period: the one holding DATE (default: the first registration)",
        "第一期：含该日期的一期（默认：最早的识别时间）",
    ),
    (
        "First risk 致贫/返贫风险1, e.g. illness/因病, accident/因意外事故, failed_business/因产业项目失败",
        "致贫/返贫风险1，如因病、因意外事故、因产业项目失败",
    ),
    ("Food secure 不愁吃 (yes/no)", "不愁吃（是/否）"),
    ("Fourth risk 致贫/返贫风险4", "致贫/返贫风险4"),
    ("Full name", "姓名"),
    (
        "Go back to the national figures of a year",
        "某年度恢复使用国家标准",
    ),
    (
        "Grade of the house's safety assessment, a to d (C and D are 危房)",
        "房屋安全鉴定等级，A 至 D（C、D 级为危房）",
    ),
    (
        "Has electricity for living 通生活用电 (yes/no)",
        "是否通生活用电（是/否）",
    ),
    (
        "Has safe drinking water 饮水安全 (yes/no)",
        "是否解决安全饮水（是/否）",
    ),
    ("Head of household 户主", "户主姓名"),
    (
        "Head of household 户主姓名; a registered household's own by default",
        "户主姓名；建档立卡户默认取登记值",
    ),
    (
        "Head's ID number 证件号码; a registered household's own by default",
        "户主证件号码；建档立卡户默认取登记值",
    ),
    (
        "Head's resident ID number, 18 characters (a 15-digit one is converted)",
        "户主身份证号，18 位（15 位的自动转换）",
    ),
    (
        "Health, e.g. 健康, 长期慢性病",
        "健康状况，如 健康、长期慢性病",
    ),
    (
        "Helper cadre 帮扶责任人 (code or unique name)",
        "帮扶责任人（干部编号或唯一姓名）",
    ),
    ("Household code 户编号", "户编号"),
    (
        "Household code 户编号 (a registered household's, or the ordinary household's own)",
        "户编号（建档立卡户的户编号，或一般农户自己的编号）",
    ),
    ("Household visited (code)", "走访的贫困户（户编号）"),
    (
        "Households monitored against a return to poverty 防返贫监测对象",
        "防返贫动态监测对象",
    ),
    (
        "How the risk was eliminated: assisted/帮扶消除 or natural/自然消除 (with --eliminated-on)",
        "风险消除方式：帮扶消除或自然消除（与 --eliminated-on 同填）",
    ),
    (
        "How: assisted/帮扶消除 or natural/自然消除",
        "消除方式：帮扶消除或自然消除",
    ),
    (
        "Ignore columns that are not part of the record instead of refusing the file (the summary names each one)",
        "忽略不属于该记录的列，而不拒收文件（汇总中逐一列出）",
    ),
    (
        "Import CSV files (one entity per file, or a whole folder)",
        "导入 CSV 文件（每个文件一类记录，或整个文件夹）",
    ),
    (
        "Incidence (per cent) a poor village must be below to exit (出列): 3 in the western provinces (the default), 2 in the central ones",
        "贫困村出列须低于的贫困发生率（%）：西部省份 3（默认），中部省份 2",
    ),
    (
        "Incidence (per cent) a poor village must be below to exit: 3 in the west, 2 in the centre",
        "贫困村出列须低于的贫困发生率（%）：西部 3，中部 2",
    ),
    (
        "Income from farming and business, yuan 生产经营性收入",
        "生产经营性收入（元）",
    ),
    (
        "Language of labels and messages (default: from LC_ALL/LANG)",
        "标签和提示的语言（默认取自 LC_ALL/LANG）",
    ),
    (
        "Last day of a custom period (with --from)",
        "自定时段的最后一天（与 --from 同用）",
    ),
    (
        "Last period: the one holding DATE (default: the last lift)",
        "最后一期：含该日期的一期（默认：最晚的脱贫时间）",
    ),
    (
        "Leading cadre 挂牌领导 (code or unique name)",
        "挂牌领导（干部编号或唯一姓名）",
    ),
    ("Length of a period", "每期长度"),
    ("List a task for supervision (挂牌)", "挂牌一项督战任务"),
    ("List battle zones", "列出作战区"),
    ("List cadres", "列出干部"),
    ("List changes on the register", "列出贫困户变动"),
    ("List dispatches", "列出调度记录"),
    ("List households", "列出贫困户"),
    ("List households' years", "列出贫困户的年度收入与保障情况"),
    ("List monitored households", "列出监测对象"),
    ("List people", "列出家庭成员"),
    ("List posts", "列出任职记录"),
    ("List promotions", "列出提拔记录"),
    ("List tasks", "列出挂牌任务"),
    (
        "List the numbered rules of the register check (疑点规则) and stop",
        "列出带编号的疑点数据核查规则后结束",
    ),
    ("List towns", "列出乡镇"),
    ("List villages", "列出行政村"),
    ("List visits", "列出走访记录"),
    (
        "Listed task (for commando posts)",
        "挂牌任务（突击队员任职用）",
    ),
    ("Listed task code", "挂牌任务编号"),
    (
        "Listed tasks still open on a date, with days overdue",
        "某日仍未完成的挂牌任务及逾期天数",
    ),
    (
        "Lives in a dilapidated house 危房户 (yes/no)",
        "是否危房户（是/否）",
    ),
    (
        "Look for the head's name in this town (code or name)",
        "在该乡镇中按户主姓名查找（代码或名称）",
    ),
    (
        "Look for the head's name in this village (code, or name with --town)",
        "在该村中按户主姓名查找（代码，或名称加 --town）",
    ),
    (
        "Main cause of poverty, e.g. illness/因病",
        "主要致贫原因，如 因病（illness）",
    ),
    (
        "Make this person of the household its head (户主), by person code or name; the household's head name and ID number follow, and the former head's relation becomes 其他 (other)",
        "指定该户的某名成员为户主（人编号或姓名）；贫困户的户主姓名和身份证号随之更改，原户主的关系改为“其他”",
    ),
    (
        "Measures 帮扶措施, several separated by commas or 、: industry/产业帮扶, employment/就业帮扶, health/健康帮扶, education/教育帮扶, housing/住房安全保障, drinking_water/饮水安全保障, social_security/综合保障, public_job/公益性岗位, microcredit/小额信贷, other/其他",
        "帮扶措施，多项用逗号或、分隔：产业帮扶、就业帮扶、健康帮扶、教育帮扶、住房安全保障、饮水安全保障、综合保障、公益性岗位、小额信贷、其他",
    ),
    (
        "Minimum living allowance received in the year, yuan 低保金",
        "本年领取的低保金（元）",
    ),
    (
        "Monitoring against a return to poverty (防返贫动态监测): households under monitoring, identified and eliminated in the month",
        "防返贫动态监测：监测对象，本月识别与消除情况",
    ),
    (
        "Month or date identified for monitoring 识别监测时间 (202203 or 2022-03 means the month's last day)",
        "识别监测时间，年月或日期（202203 或 2022-03 指该月最后一天）",
    ),
    (
        "Month or date the risk was eliminated 消除监测时间 (with --elimination)",
        "消除监测时间，年月或日期（与 --elimination 同填）",
    ),
    (
        "Months of work away in the year, 0–12",
        "全年外出务工月数，0–12",
    ),
    ("New post", "新任职务"),
    (
        "No progress bar and no messages, only the summary and errors",
        "不显示进度条和提示，只输出汇总和错误",
    ),
    ("Note", "备注"),
    ("Number of members (at least 1)", "家庭人口数（至少 1）"),
    (
        "Number of members 人数; a registered household's own by default",
        "家庭人数；建档立卡户默认取登记值",
    ),
    (
        "One row per county, battle zone (its towns together), town or village",
        "按县、作战区（合并其乡镇）、乡镇或村分行",
    ),
    (
        "One row per county, battle zone, town or village",
        "按县、作战区、乡镇或村分行",
    ),
    (
        "One row per county, town or village",
        "按县、乡镇或行政村各列一行",
    ),
    (
        "One series for the county, or one per town",
        "全县一条曲线，或每个乡镇一条",
    ),
    (
        "Only cadres of this level (county/town/village, 县级/乡镇级/村级)",
        "只列该级别的干部（县级/乡镇级/村级）",
    ),
    (
        "Only cadres whose work unit contains this text",
        "只列工作单位含此文字的干部",
    ),
    ("Only changes made by this person", "只列此人所作的变更"),
    (
        "Only changes of the record with this key (code)",
        "只列该编号记录的变更",
    ),
    (
        "Only changes of this record kind (e.g. household, 贫困户)",
        "只列该类记录的变更（如 贫困户、household）",
    ),
    ("Only dispatches of this task", "只列该任务的调度"),
    (
        "Only households helped by this cadre (code or name)",
        "只列该干部帮扶的贫困户（编号或姓名）",
    ),
    (
        "Only households of this attribute (e.g. low_income, 低保贫困户)",
        "只列该属性的贫困户（如 低保贫困户）",
    ),
    (
        "Only households of this town (code or name)",
        "只列该乡镇的贫困户（代码或名称）",
    ),
    (
        "Only households of this village (code, or name with --town)",
        "只列该村的贫困户（代码，或名称加 --town）",
    ),
    (
        "Only households under monitoring on --as-of",
        "只列 --as-of 当日仍在监测中的户",
    ),
    (
        "Only households with this main cause (e.g. illness, 因病)",
        "只列该主要致贫原因的贫困户（如 因病）",
    ),
    (
        "Only people of this relation to the head (e.g. head, 户主, 之子)",
        "只列出与户主为该关系的成员（如 户主、之子）",
    ),
    ("Only posts held on --as-of", "只列 --as-of 当日在任的任职"),
    (
        "Only posts in this town, its villages included (code or name)",
        "只列该乡镇（含其村）的任职（代码或名称）",
    ),
    (
        "Only posts in this village (code or name)",
        "只列该村的任职（代码或名称）",
    ),
    (
        "Only posts of this cadre (code or name)",
        "只列该干部的任职（编号或姓名）",
    ),
    ("Only posts of this role", "只列该岗位的任职"),
    ("Only posts on this task", "只列该任务的任职"),
    (
        "Only promotions of this cadre (code or name)",
        "只列该干部的提拔（编号或姓名）",
    ),
    ("Only records on or after this date", "只列该日及以后的记录"),
    (
        "Only records on or before this date",
        "只列该日及以前的记录",
    ),
    (
        "Only records whose name contains TEXT (as typed, or with full-width letters and digits folded)",
        "只列名称含 TEXT 的记录（按原样，或全角字母数字折成半角后）",
    ),
    (
        "Only records whose risks were eliminated by --as-of",
        "只列 --as-of 前已消除风险的记录",
    ),
    ("Only registered poor villages (贫困村)", "只列贫困村"),
    (
        "Only tasks done by --as-of",
        "只列 --as-of 之前已完成的任务",
    ),
    (
        "Only tasks led by this cadre (code or name)",
        "只列该干部挂牌的任务（编号或姓名）",
    ),
    (
        "Only tasks listed at this level: county (县级) or town (乡镇级)",
        "只列该级别挂牌的任务：县级或乡镇级",
    ),
    (
        "Only tasks not done on --as-of",
        "只列 --as-of 当日未完成的任务",
    ),
    (
        "Only tasks of this level (county/town, 县级/乡镇级)",
        "只列该级别的任务（县级/乡镇级）",
    ),
    (
        "Only tasks of this town (code or name)",
        "只列该乡镇的任务（代码或名称）",
    ),
    (
        "Only tasks of this village (code or name)",
        "只列该村的任务（代码或名称）",
    ),
    (
        "Only tasks overdue on --as-of (not done, due before it)",
        "只列 --as-of 当日逾期的任务（未完成且已过时限）",
    ),
    (
        "Only the people of this household (code)",
        "只列出该户（户编号）的成员",
    ),
    (
        "Only the people of this town's households (code or name)",
        "只列出该乡镇（代码或名称）各户的成员",
    ),
    (
        "Only the people of this village's households (code, or name with --town)",
        "只列出该村（代码，或名称加 --town）各户的成员",
    ),
    (
        "Only the records of this town (code or name), to send it for checking",
        "只导出该乡镇的记录（代码或名称），供其核对",
    ),
    (
        "Only the records of this village (code, or name with --town)",
        "只导出该村的记录（代码，或名称加 --town）",
    ),
    (
        "Only the rows of this change (the number in the change column)",
        "只列该变更的记录（变更号列中的数字）",
    ),
    (
        "Only this category (unstable_lifted, edge, sudden_hardship or their Chinese names)",
        "只列该类别（脱贫不稳定户、边缘易致贫户、突发严重困难户）",
    ),
    (
        "Only this household's changes (household code)",
        "只列此户的变动（户编号）",
    ),
    (
        "Only this household's records (household code)",
        "只列该户的记录（户编号）",
    ),
    (
        "Only this household's years (household code)",
        "只列该户的各年度（户编号）",
    ),
    (
        "Only this kind: returned/返贫, lifted/脱贫, removed/剔除 or left/自然减少",
        "只列此类变动：returned/返贫、lifted/脱贫、removed/剔除 或 left/自然减少",
    ),
    (
        "Only this town's households (code or name): its list to correct",
        "只查该乡镇的贫困户（代码或名称）：发给乡镇整改的清单",
    ),
    (
        "Only this village's households (code, or name with --town)",
        "只查该村的贫困户（代码，或名称加 --town）",
    ),
    ("Only this year", "只列该年度"),
    (
        "Only those lifted out of poverty by --as-of",
        "只列 --as-of 之前已脱贫（出列）的",
    ),
    (
        "Only those still poor on --as-of",
        "只列 --as-of 当日仍为贫困的",
    ),
    (
        "Only towns of this battle zone (code or name)",
        "只列该作战区的乡镇（代码或名称）",
    ),
    (
        "Only villages of this town (code or name)",
        "只列该乡镇的村（代码或名称）",
    ),
    (
        "Only visits by this cadre (code or name)",
        "只列该干部的走访（编号或姓名）",
    ),
    ("Only visits to this household", "只列对该户的走访"),
    (
        "Only visits to this village or its households (code or name)",
        "只列对该村或其贫困户的走访（代码或名称）",
    ),
    ("Output format", "输出格式"),
    (
        "Per-capita income under which a household is monitored (2021 on), yuan",
        "人均收入低于此数纳入监测（2021 年起），元",
    ),
    (
        "Per-capita net income a household must pass to be lifted, yuan a year",
        "脱贫须超过的人均纯收入，元/年",
    ),
    (
        "Per-capita net income a lifted household must pass, yuan a year",
        "脱贫户须超过的人均纯收入，元/年",
    ),
    (
        "Per-capita net income in yuan 人均纯收入",
        "人均纯收入（元）",
    ),
    (
        "Person code 人编号 (a file without one: the household code and 01 for the head, 02 … for the others)",
        "人编号（未给出时：户编号加 01 为户主，其他成员依次为 02 ……）",
    ),
    (
        "Phone: a mobile (13812345678) or a landline with its area code (0774-8981234); several separated by /",
        "联系电话：11 位手机号（如 13812345678）或带区号的座机（如 0774-8981234）；多个号码用 / 分隔",
    ),
    ("Posts held by cadres 任职", "干部任职"),
    ("Print a report", "打印报表"),
    ("Print shell completions", "输出 shell 补全脚本"),
    ("Problems found", "发现问题数"),
    ("Problems solved", "解决问题数"),
    ("Progress in percent, 0–100", "进度（百分比，0–100）"),
    (
        "Promoted cadre (code or unique name)",
        "被提拔干部（编号或唯一姓名）",
    ),
    (
        "Promotions of cadres 提拔 (recorded with `cadre promote`)",
        "干部提拔（用 `cadre promote` 登记）",
    ),
    ("Property income, yuan 财产性收入", "财产性收入（元）"),
    (
        "Receives the minimum living allowance 低保 (yes/no)",
        "是否享受低保（是/否）",
    ),
    (
        "Record a dispatch meeting on a listed task",
        "登记一次挂牌任务调度",
    ),
    (
        "Record a household identified for monitoring (识别监测)",
        "登记识别纳入监测的户（识别监测）",
    ),
    (
        "Record a household's year (amounts in yuan)",
        "登记某户某年的收入与保障情况（金额以元计）",
    ),
    ("Record a promotion (提拔)", "登记一次提拔"),
    (
        "Record a visit to a village or a household",
        "登记一次走访（村或户）",
    ),
    (
        "Record kind (households, 贫困户, …), or the file or folder when left out",
        "记录类型（贫困户、households 等），省略时此处为文件或文件夹",
    ),
    (
        "Record kind to export: households, villages, … (or 贫困户, 行政村, …)",
        "要导出的记录类型：贫困户、行政村……（或 households、villages……）",
    ),
    ("Record that a cadre took up a post", "登记干部任职"),
    (
        "Record that a household left the register: removed (剔除: wrongly identified, or cleared) or a natural decrease (自然减少: the last member died, moved out, merged into another household)",
        "登记贫困户退出建档立卡：剔除（识别不精准或清退）或自然减少（全户死亡、迁出、并入他户）",
    ),
    (
        "Record that a household was lifted out of poverty (脱贫), or lifted again after a return to poverty",
        "登记贫困户脱贫，或返贫后再次脱贫",
    ),
    (
        "Record that a household's risks were eliminated (风险消除)",
        "登记某户风险已消除（风险消除）",
    ),
    (
        "Record that a lifted household returned to poverty (返贫)",
        "登记已脱贫户返贫",
    ),
    (
        "Record that a poor village was lifted out of poverty (出列)",
        "登记贫困村出列",
    ),
    ("Record that a post ended", "登记任职结束"),
    ("Record that a task was done", "登记任务完成"),
    (
        "Records of a county's poverty-alleviation campaign: towns, battle zones, villages, poor households, cadres, listed tasks, dispatches and visits, and the \"double clear\" (双清零) reports",
        "县级脱贫攻坚台账：乡镇、作战区、行政村、贫困户、干部、挂牌任务、调度和走访，以及双清零报表",
    ),
    ("Register a poor household", "登记贫困户"),
    ("Registered poor households 贫困户", "建档立卡贫困户"),
    (
        "Registered poor village: yes/是 or no/否 (default no)",
        "是否贫困村：是（yes）或否（no），默认否",
    ),
    ("Registered population 户籍人口", "户籍人口"),
    (
        "Relation to the head: head/户主, spouse/配偶, son/之子, daughter/之女, … other/其他",
        "与户主关系：户主、配偶、之子、之女……其他",
    ),
    (
        "Remove a battle zone that no record refers to",
        "删除无记录引用的作战区",
    ),
    (
        "Remove a cadre that no record refers to",
        "删除无记录引用的干部",
    ),
    (
        "Remove a change entered by mistake, by its ID",
        "按 ID 删除误登的变动",
    ),
    (
        "Remove a dispatch entered by mistake, by its ID",
        "删除误录的调度记录（按 ID）",
    ),
    (
        "Remove a household that no record refers to",
        "删除无记录引用的贫困户",
    ),
    (
        "Remove a household's year entered by mistake, by its ID",
        "按 ID 删除误录的某户某年情况",
    ),
    (
        "Remove a monitoring record entered by mistake, by household code (its open or latest record) or by ID",
        "删除误录的监测记录：按户编号（其监测中或最近一条记录）或 ID",
    ),
    (
        "Remove a person (a household's head only when it is the last one)",
        "删除家庭成员（户主须为该户最后一人时才能删除）",
    ),
    (
        "Remove a post entered by mistake, by its ID",
        "删除误录的任职记录（按 ID）",
    ),
    (
        "Remove a promotion entered by mistake, by its ID",
        "删除误录的提拔记录（按 ID）",
    ),
    (
        "Remove a task that no record refers to",
        "删除无记录引用的挂牌任务",
    ),
    (
        "Remove a town that no record refers to",
        "删除无记录引用的乡镇",
    ),
    (
        "Remove a village that no record refers to",
        "删除无记录引用的行政村",
    ),
    (
        "Remove a visit entered by mistake, by its ID",
        "删除误录的走访记录（按 ID）",
    ),
    (
        "Replace the database with a backup, after checking the backup; the replaced file is kept as FILE.before-restore-<time>",
        "检查备份后用它替换数据库；被替换的文件保留为 FILE.before-restore-<时间>",
    ),
    (
        "Reporting unit 填报单位 in the title block (default: the county's poverty-alleviation office)",
        "标题栏中的填报单位（默认本县扶贫办）",
    ),
    (
        "Resident ID number (18 characters)",
        "居民身份证号（18 位）",
    ),
    (
        "Roll up every `.db` file in DIR (with --db FILE given more than once, those files): one row per county, or per town with --by town",
        "汇总 DIR 中的每个 .db 文件（多次给出 --db 时汇总这些文件）：每县一行，或加 --by town 每乡镇一行",
    ),
    (
        "Run only these rules, by code (A01, or several: A01,C02); with --year, --town, --village, --format or -o only the rules run, not the file's own checks",
        "只运行这些规则，按编号（A01，或多条：A01,C02）；给出 --year、--town、--village、--format 或 -o 时只运行规则，不做文件本身的检查",
    ),
    (
        "School attendance, e.g. 八年级, 非在校生, 辍学",
        "在校生状况，如 八年级、非在校生、辍学",
    ),
    ("Second risk 致贫/返贫风险2", "致贫/返贫风险2"),
    (
        "Set a year's lines for this province (replaces the national figure)",
        "设定本省某年度的标准（代替国家标准）",
    ),
    (
        "Show ID numbers and household phones in full",
        "完整显示身份证号和贫困户电话",
    ),
    (
        "Show ID numbers and household phones in full instead of masked",
        "完整显示身份证号和贫困户电话（默认打码）",
    ),
    ("Show ID numbers in full", "显示完整证件号码"),
    (
        "Show a household's monitoring: its latest record and every earlier one",
        "查看某户的监测情况：最近一条记录及以往各条",
    ),
    (
        "Show at most N records of each kind",
        "每类记录最多显示 N 条",
    ),
    ("Show at most N rows", "最多显示 N 行"),
    (
        "Show every column in a table (by default a table shows the columns that fit a terminal; CSV and JSON always have them all)",
        "表格中显示全部列（默认只显示终端能容下的列；CSV 和 JSON 总是包含全部列）",
    ),
    ("Show one battle zone", "显示一个作战区"),
    (
        "Show one cadre with posts and promotions",
        "显示一名干部及其任职和提拔",
    ),
    ("Show one household", "显示一户贫困户"),
    ("Show one household with its people", "显示一户及其家庭成员"),
    ("Show one person", "显示一名家庭成员"),
    (
        "Show one task with its dispatches",
        "显示一项挂牌任务及其调度",
    ),
    ("Show one town", "显示一个乡镇"),
    (
        "Show one village with its household figures",
        "显示一个行政村及其贫困户数据",
    ),
    (
        "Show the audit trail of changes (a table says what changed; CSV and JSON carry the old and new values whole)",
        "显示变更记录（表格说明改了什么；CSV 和 JSON 含完整的新旧值）",
    ),
    (
        "Start with a UTF-8 byte-order mark, so Excel opens the file as UTF-8",
        "文件开头加 UTF-8 字节序标记，Excel 可正确打开",
    ),
    ("Summary format", "汇总格式"),
    (
        "Support for the extremely poor received, yuan 特困供养金",
        "领取的特困供养金（元）",
    ),
    ("Task code, e.g. XJ01", "任务编号，如 XJ01"),
    ("Tasks listed for supervision 挂牌督战任务", "挂牌督战任务"),
    (
        "Text encoding of CSV files (default: detected)",
        "CSV 文件编码（默认自动识别）",
    ),
    (
        "Text encoding: utf-8 (default) or gb18030 for older Excel",
        "文本编码：utf-8（默认），旧版 Excel 用 gb18030",
    ),
    (
        "The backup to restore (a file written by `fupin backup`)",
        "要恢复的备份（`fupin backup` 写出的文件）",
    ),
    ("The cadre (code or unique name)", "干部（编号或唯一姓名）"),
    (
        "The cadre's code (or unique name)",
        "干部编号（或唯一姓名）",
    ),
    (
        "The cause of the return, e.g. illness/因病, accident/因意外事故",
        "返贫原因，例如 illness/因病、accident/因意外事故",
    ),
    (
        "The change, as the change column of `fupin log` shows it",
        "变更号，即 `fupin log` 变更号列中的数字",
    ),
    (
        "The date households whose status word says removed, cleared or left (剔除, 清退, 自然减少) left the register, and people whose status word says they left (死亡, 婚出, 迁出) left their household, when their rows give none",
        "状态标识为剔除、清退或自然减少、但行中没有日期的户的退出日期；人员状态为死亡、婚出或迁出、但行中没有日期的人员的减员日期",
    ),
    ("The date the post ended", "任职结束日期"),
    (
        "The date the post started (needed only when the cadre held it twice)",
        "任职开始日期（仅当该干部两次担任时需要）",
    ),
    (
        "The date, e.g. 2020-11-30 or 2020年11月30日",
        "日期，如 2020-11-30 或 2020年11月30日",
    ),
    (
        "The file or folder, when ENTITY is given",
        "给出记录类型时，此处为文件或文件夹",
    ),
    ("The household code 户编号", "户编号"),
    (
        "The household code 户编号 of a household under monitoring",
        "监测中的户的户编号",
    ),
    (
        "The income line each year's exits are held to, and the monitoring line from 2021 (脱贫标准、监测标准)",
        "各年度脱贫须达到的收入标准，以及 2021 年起的监测标准",
    ),
    (
        "The lift date (脱贫时间) of households whose status word says lifted (已脱贫) and whose rows give no date",
        "标为已脱贫但行中没有日期的贫困户的脱贫时间",
    ),
    (
        "The lines of every year: the national figures, and those set here",
        "各年度的标准：国家标准及本省设定的标准",
    ),
    (
        "The month or date the risks were eliminated, e.g. 2022-06 or 202206",
        "风险消除的年月或日期，如 2022-06 或 202206",
    ),
    (
        "The new post, e.g. 任回龙镇党委副书记",
        "新任职务，如 任回龙镇党委副书记",
    ),
    ("The people of each household 家庭成员", "各户的家庭成员"),
    (
        "The record's ID (the ID column of its list)",
        "记录的 ID（列表中的 ID 列）",
    ),
    (
        "The record's code, or its name when no other record bears it",
        "记录的代码，或不与其他记录重名时的名称",
    ),
    (
        "The registration date (识别时间) of households whose rows give none, for files that have no such column (a bare year is its last day)",
        "行中没有识别时间的贫困户的识别时间，用于没有该列的文件（年份表示该年最后一天）",
    ),
    (
        "The return date (返贫时间) of households whose status word says returned (返贫) and whose rows give no date",
        "状态标识为返贫、但行中没有日期的户的返贫时间",
    ),
    (
        "The road to the double clear: registered, lifted and remaining per year, quarter or month, with charts",
        "迈向双清零：按年、季度或月列出识别、脱贫和剩余情况，附图表",
    ),
    (
        "The role (e.g. first_secretary, 第一书记)",
        "岗位（如 第一书记）",
    ),
    (
        "The sheet of a workbook to import, by name or number from 1 (default: every sheet fupin recognises)",
        "要导入的工作表，按名称或从 1 起的序号（默认导入能识别的所有工作表）",
    ),
    ("The shell", "shell 类型"),
    (
        "The task of the post (commandos)",
        "任职所在任务（突击队员）",
    ),
    ("The town of the post", "任职所在乡镇"),
    ("The village of the post", "任职所在村"),
    (
        "The year (default: the last year with assessments)",
        "年度（默认：有收入与保障记录的最后一年）",
    ),
    (
        "The year of a file's income and living-condition columns (人均纯收入, 危房户 …) when it has no 年度 or 统计时间 column of its own",
        "文件中收入与保障列（人均纯收入、危房户等）所属的年度，用于文件本身没有“年度”或“统计时间”列时",
    ),
    (
        "The year the rules hold the register to (default: the last year with assessments, else this year)",
        "按哪一年度核查（默认：有收入与保障记录的最后一年，没有则为今年）",
    ),
    ("The year, e.g. 2020", "年度，例如 2020"),
    ("Third risk 致贫/返贫风险3", "致贫/返贫风险3"),
    ("Title of the listed task", "挂牌任务名称"),
    ("Town (code or unique name)", "乡镇（代码或唯一名称）"),
    (
        "Town code, e.g. 451122100",
        "乡镇代码，本县代码加 3 位数字，如 451122100",
    ),
    ("Town name", "乡镇名称"),
    (
        "Town where the post is held (or the town of --village)",
        "任职所在乡镇（或 --village 所属乡镇）",
    ),
    (
        "Town, to tell same-named villages apart (not stored)",
        "所属乡镇，用于区分同名村（不保存）",
    ),
    ("Towns 乡镇", "乡镇"),
    (
        "Transfer income (allowances, pensions, remittances), yuan 转移性收入",
        "转移性收入（补贴、养老金、汇款等），元",
    ),
    (
        "Two-month block: YYYY-MM (the block holding that month) or YYYYNNB (block 01–06); default: the block holding today",
        "双月时段：YYYY-MM（含该月的时段）或 YYYYNNB（第 01–06 时段）；默认含今天的时段",
    ),
    (
        "Undo one change of the audit trail, by the number `fupin log` shows (an import is undone as a whole)",
        "按 `fupin log` 显示的变更号撤销一项变更（一次导入整体撤销）",
    ),
    (
        "Undo your last change that is not undone yet",
        "撤销自己最近一项尚未撤销的变更",
    ),
    ("Village (code or unique name)", "行政村（代码或唯一名称）"),
    (
        "Village (code, or name with --town)",
        "行政村（代码，或名称加 --town）",
    ),
    (
        "Village (code, or name with --town); a registered household's own by default",
        "行政村（代码，或名称加 --town）；建档立卡户默认取登记值",
    ),
    (
        "Village code, e.g. 451122100201",
        "村代码，所属乡镇代码加 3 位数字，如 451122100201",
    ),
    ("Village name", "村名"),
    ("Village visited", "走访的村"),
    ("Village where the post is held", "任职所在村"),
    (
        "Visiting cadre (code or unique name)",
        "走访干部（编号或唯一姓名）",
    ),
    ("Visits to villages and households 走访", "走访村和户"),
    (
        "Wage income of the household, yuan 工资性收入",
        "家庭工资性收入（元）",
    ),
    ("What was discussed", "调度情况"),
    ("Where the figure comes from", "标准的依据"),
    (
        "Where the person works, e.g. 广东省东莞市",
        "务工地点，例如 广东省东莞市",
    ),
    (
        "Where the rejected rows go (default: FILE.rejects.csv next to the input; a folder when importing a folder)",
        "被拒行写到哪里（默认为输入文件旁的 FILE.rejects.csv；导入文件夹时为文件夹）",
    ),
    (
        "Where to write the copy (must not exist)",
        "副本写到哪里（不能已存在）",
    ),
    (
        "Who makes the change, for the audit trail (default: $USER)",
        "变更人，记入变更记录（默认 $USER）",
    ),
    (
        "Why it left the register: wrong_identification/识别不精准 or cleared/清退 (removed); died/死亡, moved_out/迁出 or merged/合户 (left); other/其他",
        "退出原因：wrong_identification/识别不精准 或 cleared/清退（剔除）；died/死亡、moved_out/迁出 或 merged/合户（自然减少）；other/其他",
    ),
    (
        "Why: wrong_identification/识别不精准 or cleared/清退 (a removal, 剔除); died/死亡, moved_out/迁出 or merged/合户 (a natural decrease, 自然减少); other/其他",
        "原因：wrong_identification/识别不精准 或 cleared/清退（剔除）；died/死亡、moved_out/迁出 或 merged/合户（自然减少）；other/其他",
    ),
    (
        "Work teams, first secretaries, information officers and 一肩挑",
        "驻村工作队、第一书记、信息员和一肩挑",
    ),
    (
        "Work unit (the backing unit 后盾单位)",
        "工作单位（后盾单位）",
    ),
    (
        "Write a consistent copy of the database to FILE while it is in use",
        "在使用中把数据库一致地复制到 FILE",
    ),
    (
        "Write every record kind into DIR, one file each, as `fupin import DIR` reads them",
        "把每类记录各写成一个文件放入 DIR，可用 `fupin import DIR` 读回",
    ),
    (
        "Write every record kind into DIR, one file each, as `fupin import DIR` reads them; or into one workbook, a sheet each, when DIR ends in .xlsx",
        "把每类记录写入 DIR，每类一个文件，可用 `fupin import DIR` 读回；DIR 以 .xlsx 结尾时写入一个工作簿，每类一个工作表",
    ),
    (
        "Write the good rows and set the bad ones aside in a rejects file (exit code 3)",
        "写入正确的行，错误的行另存到拒收文件（退出码 3）",
    ),
    (
        "Write to FILE instead of standard output (`-o -` is standard output)",
        "写入 FILE 而非标准输出（`-o -` 即标准输出）",
    ),
    (
        "Write to FILE instead of the terminal (`-o -` is standard output)",
        "写入 FILE 而非终端（`-o -` 即标准输出）",
    ),
    (
        "Year assessed (a date such as the file's 统计时间 means its year)",
        "年度（统计时间等日期取其年份）",
    ),
    ("Zone name", "作战区名称"),
    (
        "born/出生, married_in/婚入, moved_in/迁入 or other/其他",
        "born/出生、married_in/婚入、moved_in/迁入 或 other/其他",
    ),
    (
        "county/县级 or town/乡镇级",
        "县级（county）或乡镇级（town）",
    ),
    (
        "county/县级, town/乡镇级 or village/村级",
        "县级（county）、乡镇级（town）或村级（village）",
    ),
    (
        "csv, or xlsx for a workbook (the default when the file name ends in .xlsx)",
        "csv，或 xlsx 工作簿（文件名以 .xlsx 结尾时默认如此）",
    ),
    (
        "died/死亡, married_out/婚出, moved_out/迁出 or other/其他",
        "died/死亡、married_out/婚出、moved_out/迁出 或 other/其他",
    ),
    (
        "general/一般贫困户, low_income/低保贫困户 or extreme_poverty/特困供养贫困户 (default general)",
        "一般贫困户、低保贫困户或特困供养贫困户（默认一般贫困户）",
    ),
    (
        "lifted/脱贫户 or ordinary/一般农户 (default: lifted for a registered household, else ordinary)",
        "脱贫户或一般农户（默认：建档立卡户为脱贫户，否则为一般农户）",
    ),
    ("male/男 or female/女", "男或女"),
    (
        "male/男 or female/女 (default: from the ID number, which it must match)",
        "男或女（默认取自身份证号，且须与之一致）",
    ),
    (
        "returned/返贫, lifted/脱贫 (again, after a return), removed/剔除 or left/自然减少",
        "returned/返贫、lifted/脱贫（返贫后再次脱贫）、removed/剔除 或 left/自然减少",
    ),
    (
        "team_leader/工作队长, first_secretary/第一书记, team_member/工作队员, info_officer/信息员, party_secretary/村党组织书记, committee_director/村委会主任, commando/突击队员",
        "岗位：工作队长、第一书记、工作队员、信息员、村党组织书记、村委会主任、突击队员",
    ),
    (
        "unstable_lifted/脱贫不稳定户, edge/边缘易致贫户 or sudden_hardship/突发严重困难户",
        "脱贫不稳定户、边缘易致贫户或突发严重困难户",
    ),
    (
        "village/村 or community/社区 (default village)",
        "村或社区（默认村）",
    ),
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(super::TEXTS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
