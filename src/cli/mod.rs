//! The command tree: global flags and every subcommand with its arguments.

pub mod fields;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::lang::Lang;
use crate::output::Format;
use fields::{
    AssessmentKind, CadreKind, DispatchKind, EventKind, Fields, HouseholdKind, MonitorKind,
    PersonKind, PostKind, PromotionKind, TaskKind, TownKind, VillageKind, VisitKind, ZoneKind,
};

/// Records of a county's poverty-alleviation campaign: towns, battle zones,
/// villages, poor households, cadres, listed tasks, dispatches and visits,
/// and the "double clear" (双清零) reports.
#[derive(Debug, Parser)]
#[command(name = "fupin", version, max_term_width = 100)]
pub struct Cli {
    /// Database file (default: $FUPIN_DB, else fupin.db in this folder);
    /// reports take it more than once to roll several counties up
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        display_order = 900,
        action = clap::ArgAction::Append
    )]
    pub db: Vec<PathBuf>,

    /// Language of labels and messages (default: from LC_ALL/LANG)
    #[arg(long, global = true, value_enum, display_order = 900)]
    pub lang: Option<Lang>,

    /// Who makes the change, for the audit trail (default: $USER)
    #[arg(long, global = true, value_name = "NAME", display_order = 900)]
    pub actor: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new database file for a county
    Init(InitArgs),
    /// Towns 乡镇
    #[command(subcommand)]
    Town(TownCmd),
    /// Battle zones 作战区
    #[command(subcommand)]
    Zone(ZoneCmd),
    /// Administrative villages and communities 行政村
    #[command(subcommand)]
    Village(VillageCmd),
    /// Registered poor households 贫困户
    #[command(subcommand)]
    Household(HouseholdCmd),
    /// The people of each household 家庭成员
    #[command(subcommand)]
    Person(PersonCmd),
    /// Cadres 干部
    #[command(subcommand)]
    Cadre(CadreCmd),
    /// Tasks listed for supervision 挂牌督战任务
    #[command(subcommand)]
    Task(TaskCmd),
    /// Posts held by cadres 任职
    #[command(subcommand)]
    Post(PostCmd),
    /// Dispatch meetings on listed tasks 调度
    #[command(subcommand)]
    Dispatch(DispatchCmd),
    /// Visits to villages and households 走访
    #[command(subcommand)]
    Visit(VisitCmd),
    /// Promotions of cadres 提拔 (recorded with `cadre promote`)
    #[command(subcommand)]
    Promotion(PromotionCmd),
    /// Households monitored against a return to poverty 防返贫监测对象
    #[command(subcommand)]
    Monitor(MonitorCmd),
    /// Changes on the register after a household's first lift 贫困户变动
    /// (recorded with `household return`, `household lift`, `household
    /// deregister`)
    #[command(subcommand)]
    Event(EventCmd),
    /// A household's year: income, food, clothing, housing, water and
    /// electricity (一超过、两不愁、三保障) 年度收入与保障
    #[command(subcommand)]
    Assessment(AssessmentCmd),
    /// The income line each year's exits are held to, and the monitoring
    /// line from 2021 (脱贫标准、监测标准)
    #[command(subcommand)]
    Standard(StandardCmd),
    /// Find records of every kind by name, code or the last four digits of
    /// an ID number
    Find(FindArgs),
    /// Import CSV files (one entity per file, or a whole folder)
    Import(crate::cmd::import::ImportArgs),
    /// Export records as CSV in the import contract
    Export(crate::cmd::export::ExportArgs),
    /// Print a report
    #[command(subcommand)]
    Report(crate::cmd::report::ReportCmd),
    /// Show the audit trail of changes (a table says what changed; CSV and
    /// JSON carry the old and new values whole)
    Log(LogArgs),
    /// Undo your last change that is not undone yet
    Undo,
    /// Undo one change of the audit trail, by the number `fupin log` shows
    /// (an import is undone as a whole)
    Revert(RevertArgs),
    /// Write a consistent copy of the database to FILE while it is in use
    Backup(BackupArgs),
    /// Replace the database with a backup, after checking the backup; the
    /// replaced file is kept as FILE.before-restore-<time>
    Restore(RestoreArgs),
    /// Check the file's integrity and the rules between records
    Check(CheckArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Date the people's ages are counted on (default: today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// List the numbered rules of the register check (疑点规则) and stop
    #[arg(long)]
    pub rules: bool,
    /// Run only these rules, by code (A01, or several: A01,C02); with
    /// --year, --town, --village, --format or -o only the rules run, not
    /// the file's own checks
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub rule: Vec<String>,
    /// The year the rules hold the register to (default: the last year
    /// with assessments, else this year)
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// Only this town's households (code or name): its list to correct
    #[arg(long)]
    pub town: Option<String>,
    /// Only this village's households (code, or name with --town)
    #[arg(long)]
    pub village: Option<String>,
    #[command(flatten)]
    pub out: crate::cmd::report::OutputOpts,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// County name, e.g. 钟山县
    #[arg(long)]
    pub county: String,
    /// County division code, e.g. 451122
    #[arg(long)]
    pub code: String,
}

/// Output options shared by every list.
#[derive(Debug, Clone, Args)]
pub struct ListOpts {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Show ID numbers and household phones in full instead of masked
    #[arg(long)]
    pub show_id: bool,
    /// Show at most N rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only records whose name contains TEXT (as typed, or with full-width
    /// letters and digits folded)
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Show every column in a table (by default a table shows the columns
    /// that fit a terminal; CSV and JSON always have them all)
    #[arg(long)]
    pub wide: bool,
}

/// Output options of a list that is not of records (the audit trail).
#[derive(Debug, Clone, Args)]
pub struct PlainListOpts {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Show ID numbers and household phones in full instead of masked
    #[arg(long)]
    pub show_id: bool,
    /// Show at most N rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

/// Poverty status on a date, for villages and households (SPEC §2: poor on
/// D when registered on or before D and not lifted on or before D).
#[derive(Debug, Clone, Args)]
pub struct StatusFilter {
    /// Only those still poor on --as-of
    #[arg(long)]
    pub poor: bool,
    /// Only those lifted out of poverty by --as-of
    #[arg(long, conflicts_with = "poor")]
    pub lifted: bool,
    /// Date for --poor/--lifted and the status column (default today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// A range of dates, both ends included and optional.
#[derive(Debug, Clone, Args)]
pub struct DateRange {
    /// Only records on or after this date
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only records on or before this date
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The record's code, or its name when no other record bears it
    pub code: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Show ID numbers and household phones in full
    #[arg(long)]
    pub show_id: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The record's code, or its name when no other record bears it
    pub code: String,
}

/// A record without a code, named by the ID its list shows.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// The record's ID (the ID column of its list)
    pub id: String,
}

#[derive(Debug, Args)]
pub struct DatedArgs {
    /// The record's code, or its name when no other record bears it
    pub code: String,
    /// The date, e.g. 2020-11-30 or 2020年11月30日
    #[arg(long, value_name = "DATE")]
    pub on: String,
    /// Accept a date after today
    #[arg(long)]
    pub allow_future: bool,
}

/// Where a household named by its head is looked for, when the name alone
/// does not tell.
#[derive(Debug, Clone, Args)]
pub struct Within {
    /// Look for the head's name in this village (code, or name with --town)
    #[arg(long)]
    pub village: Option<String>,
    /// Look for the head's name in this town (code or name)
    #[arg(long)]
    pub town: Option<String>,
}

#[derive(Debug, Args)]
pub struct HouseholdShow {
    #[command(flatten)]
    pub show: ShowArgs,
    #[command(flatten)]
    pub within: Within,
}

#[derive(Debug, Args)]
pub struct HouseholdRemove {
    #[command(flatten)]
    pub remove: RemoveArgs,
    #[command(flatten)]
    pub within: Within,
}

#[derive(Debug, Args)]
pub struct HouseholdLift {
    #[command(flatten)]
    pub dated: DatedArgs,
    #[command(flatten)]
    pub within: Within,
}

#[derive(Debug, Subcommand)]
pub enum TownCmd {
    /// Add a town
    Add(Fields<TownKind, false>),
    /// List towns
    List(TownList),
    /// Show one town
    Show(ShowArgs),
    /// Change fields of a town
    Update(Fields<TownKind, true>),
    /// Remove a town that no record refers to
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct TownList {
    /// Only towns of this battle zone (code or name)
    #[arg(long)]
    pub zone: Option<String>,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum ZoneCmd {
    /// Add a battle zone
    Add(Fields<ZoneKind, false>),
    /// List battle zones
    List(ZoneList),
    /// Show one battle zone
    Show(ShowArgs),
    /// Change fields of a battle zone
    Update(Fields<ZoneKind, true>),
    /// Remove a battle zone that no record refers to
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct ZoneList {
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum VillageCmd {
    /// Add a village or community
    Add(Fields<VillageKind, false>),
    /// List villages
    List(VillageList),
    /// Show one village with its household figures
    Show(VillageShow),
    /// Change fields of a village
    Update(Fields<VillageKind, true>),
    /// Remove a village that no record refers to
    Remove(RemoveArgs),
    /// Record that a poor village was lifted out of poverty (出列)
    Lift(DatedArgs),
}

#[derive(Debug, Args)]
pub struct VillageShow {
    #[command(flatten)]
    pub show: ShowArgs,
    /// Date of the household figures (default today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct VillageList {
    /// Only villages of this town (code or name)
    #[arg(long)]
    pub town: Option<String>,
    /// Only registered poor villages (贫困村)
    #[arg(long)]
    pub poor_village: bool,
    #[command(flatten)]
    pub status: StatusFilter,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum HouseholdCmd {
    /// Register a poor household
    Add(Fields<HouseholdKind, false>),
    /// List households
    List(HouseholdList),
    /// Show one household with its people
    Show(HouseholdShow),
    /// Change fields of a household, or its head (--head)
    Update(HouseholdUpdate),
    /// Remove a household that no record refers to
    Remove(HouseholdRemove),
    /// Record that a household was lifted out of poverty (脱贫), or lifted
    /// again after a return to poverty
    Lift(HouseholdLift),
    /// Record that a lifted household returned to poverty (返贫)
    Return(HouseholdReturn),
    /// Record that a household left the register: removed (剔除: wrongly
    /// identified, or cleared) or a natural decrease (自然减少: the last
    /// member died, moved out, merged into another household)
    #[command(alias = "remove-from-register")]
    Deregister(HouseholdDeregister),
}

#[derive(Debug, Args)]
pub struct HouseholdReturn {
    #[command(flatten)]
    pub dated: DatedArgs,
    /// The cause of the return, e.g. illness/因病, accident/因意外事故
    #[arg(long)]
    pub cause: Option<String>,
    /// A note on the return
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub within: Within,
}

#[derive(Debug, Args)]
pub struct HouseholdDeregister {
    #[command(flatten)]
    pub dated: DatedArgs,
    /// Why: wrong_identification/识别不精准 or cleared/清退 (a removal, 剔除);
    /// died/死亡, moved_out/迁出 or merged/合户 (a natural decrease, 自然减少);
    /// other/其他
    #[arg(long)]
    pub reason: String,
    /// A note, e.g. the household it merged into
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub within: Within,
}

#[derive(Debug, Args)]
pub struct HouseholdUpdate {
    #[command(flatten)]
    pub fields: Fields<HouseholdKind, true>,
    /// Make this person of the household its head (户主), by person code or
    /// name; the household's head name and ID number follow, and the former
    /// head's relation becomes 其他 (other)
    #[arg(long, value_name = "PERSON")]
    pub head: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PersonCmd {
    /// Add a person to a household
    Add(Fields<PersonKind, false>),
    /// List people
    List(PersonList),
    /// Show one person
    Show(ShowArgs),
    /// Change fields of a person
    Update(Fields<PersonKind, true>),
    /// Remove a person (a household's head only when it is the last one)
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct PersonList {
    /// Only the people of this household (code)
    #[arg(long)]
    pub household: Option<String>,
    /// Only the people of this village's households (code, or name with --town)
    #[arg(long)]
    pub village: Option<String>,
    /// Only the people of this town's households (code or name)
    #[arg(long)]
    pub town: Option<String>,
    /// Only people of this relation to the head (e.g. head, 户主, 之子)
    #[arg(long)]
    pub relation: Option<String>,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Args)]
pub struct HouseholdList {
    /// Only households of this village (code, or name with --town)
    #[arg(long)]
    pub village: Option<String>,
    /// Only households of this town (code or name)
    #[arg(long)]
    pub town: Option<String>,
    #[command(flatten)]
    pub status: StatusFilter,
    /// Only households helped by this cadre (code or name)
    #[arg(long)]
    pub helper: Option<String>,
    /// Only households of this attribute (e.g. low_income, 低保贫困户)
    #[arg(long)]
    pub attribute: Option<String>,
    /// Only households with this main cause (e.g. illness, 因病)
    #[arg(long)]
    pub cause: Option<String>,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum CadreCmd {
    /// Add a cadre
    Add(Fields<CadreKind, false>),
    /// List cadres
    List(CadreList),
    /// Show one cadre with posts and promotions
    Show(ShowArgs),
    /// Change fields of a cadre
    Update(Fields<CadreKind, true>),
    /// Remove a cadre that no record refers to
    Remove(RemoveArgs),
    /// Record a promotion (提拔)
    Promote(PromoteArgs),
}

#[derive(Debug, Args)]
pub struct CadreList {
    /// Only cadres of this level (county/town/village, 县级/乡镇级/村级)
    #[arg(long)]
    pub level: Option<String>,
    /// Only cadres whose work unit contains this text
    #[arg(long)]
    pub unit: Option<String>,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Args)]
pub struct PromoteArgs {
    /// The cadre's code (or unique name)
    pub code: String,
    /// Date of the promotion
    #[arg(long, value_name = "DATE")]
    pub on: String,
    /// The new post, e.g. 任回龙镇党委副书记
    #[arg(long)]
    pub post: String,
    /// Note
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TaskCmd {
    /// List a task for supervision (挂牌)
    Add(Fields<TaskKind, false>),
    /// List tasks
    List(TaskList),
    /// Show one task with its dispatches
    Show(ShowArgs),
    /// Change fields of a task
    Update(Fields<TaskKind, true>),
    /// Remove a task that no record refers to
    Remove(RemoveArgs),
    /// Record that a task was done
    Done(DatedArgs),
}

#[derive(Debug, Args)]
pub struct TaskList {
    /// Only tasks of this level (county/town, 县级/乡镇级)
    #[arg(long)]
    pub level: Option<String>,
    /// Only tasks of this town (code or name)
    #[arg(long)]
    pub town: Option<String>,
    /// Only tasks of this village (code or name)
    #[arg(long)]
    pub village: Option<String>,
    /// Only tasks led by this cadre (code or name)
    #[arg(long)]
    pub leader: Option<String>,
    /// Only tasks not done on --as-of
    #[arg(long)]
    pub open: bool,
    /// Only tasks done by --as-of
    #[arg(long, conflicts_with = "open")]
    pub done: bool,
    /// Only tasks overdue on --as-of (not done, due before it)
    #[arg(long, conflicts_with = "done")]
    pub overdue: bool,
    /// Date for the status (default today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum PostCmd {
    /// Record that a cadre took up a post
    Add(Fields<PostKind, false>),
    /// Record that a post ended
    End(PostEndArgs),
    /// List posts
    List(PostList),
    /// Correct a post, by the ID `post list` shows
    Update(Fields<PostKind, true>),
    /// Remove a post entered by mistake, by its ID
    Remove(IdArgs),
}

#[derive(Debug, Args)]
pub struct PostEndArgs {
    /// The cadre (code or unique name)
    #[arg(long)]
    pub cadre: String,
    /// The role (e.g. first_secretary, 第一书记)
    #[arg(long)]
    pub role: String,
    /// The town of the post
    #[arg(long)]
    pub town: Option<String>,
    /// The village of the post
    #[arg(long)]
    pub village: Option<String>,
    /// The task of the post (commandos)
    #[arg(long)]
    pub task: Option<String>,
    /// The date the post started (needed only when the cadre held it twice)
    #[arg(long, value_name = "DATE")]
    pub started_on: Option<String>,
    /// The date the post ended
    #[arg(long, value_name = "DATE")]
    pub on: String,
    /// Accept a date after today
    #[arg(long)]
    pub allow_future: bool,
}

#[derive(Debug, Args)]
pub struct PostList {
    /// Only posts of this cadre (code or name)
    #[arg(long)]
    pub cadre: Option<String>,
    /// Only posts of this role
    #[arg(long)]
    pub role: Option<String>,
    /// Only posts in this town, its villages included (code or name)
    #[arg(long)]
    pub town: Option<String>,
    /// Only posts in this village (code or name)
    #[arg(long)]
    pub village: Option<String>,
    /// Only posts on this task
    #[arg(long)]
    pub task: Option<String>,
    /// Only posts held on --as-of
    #[arg(long)]
    pub active: bool,
    /// Date for --active (default today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum DispatchCmd {
    /// Record a dispatch meeting on a listed task
    Add(Fields<DispatchKind, false>),
    /// List dispatches
    List(DispatchList),
    /// Correct a dispatch, by the ID `dispatch list` shows
    Update(Fields<DispatchKind, true>),
    /// Remove a dispatch entered by mistake, by its ID
    Remove(IdArgs),
}

#[derive(Debug, Args)]
pub struct DispatchList {
    /// Only dispatches of this task
    #[arg(long)]
    pub task: Option<String>,
    #[command(flatten)]
    pub range: DateRange,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum VisitCmd {
    /// Record a visit to a village or a household
    Add(Fields<VisitKind, false>),
    /// List visits
    List(VisitList),
    /// Correct a visit, by the ID `visit list` shows
    Update(Fields<VisitKind, true>),
    /// Remove a visit entered by mistake, by its ID
    Remove(IdArgs),
}

#[derive(Debug, Subcommand)]
pub enum PromotionCmd {
    /// List promotions
    List(PromotionList),
    /// Correct a promotion, by the ID `promotion list` shows
    Update(Fields<PromotionKind, true>),
    /// Remove a promotion entered by mistake, by its ID
    Remove(IdArgs),
}

#[derive(Debug, Args)]
pub struct PromotionList {
    /// Only promotions of this cadre (code or name)
    #[arg(long)]
    pub cadre: Option<String>,
    #[command(flatten)]
    pub range: DateRange,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum EventCmd {
    /// List changes on the register
    List(EventList),
    /// Correct a change, by the ID `event list` shows
    Update(Fields<EventKind, true>),
    /// Remove a change entered by mistake, by its ID
    Remove(IdArgs),
}

#[derive(Debug, Args)]
pub struct EventList {
    /// Only this household's changes (household code)
    #[arg(long)]
    pub household: Option<String>,
    /// Only this kind: returned/返贫, lifted/脱贫, removed/剔除 or left/自然减少
    #[arg(long)]
    pub event: Option<String>,
    /// Only households of this village (code, or name with --town)
    #[arg(long)]
    pub village: Option<String>,
    /// Only households of this town (code or name)
    #[arg(long)]
    pub town: Option<String>,
    #[command(flatten)]
    pub range: DateRange,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum AssessmentCmd {
    /// Record a household's year (amounts in yuan)
    Add(Fields<AssessmentKind, false>),
    /// List households' years
    List(AssessmentList),
    /// Correct a household's year, by the ID `assessment list` shows
    Update(Fields<AssessmentKind, true>),
    /// Remove a household's year entered by mistake, by its ID
    Remove(IdArgs),
}

#[derive(Debug, Args)]
pub struct AssessmentList {
    /// Only this household's years (household code)
    #[arg(long)]
    pub household: Option<String>,
    /// Only this year
    #[arg(long)]
    pub year: Option<String>,
    /// Only households of this village (code, or name with --town)
    #[arg(long)]
    pub village: Option<String>,
    /// Only households of this town (code or name)
    #[arg(long)]
    pub town: Option<String>,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Subcommand)]
pub enum StandardCmd {
    /// The lines of every year: the national figures, and those set here
    List(StandardList),
    /// Set a year's lines for this province (replaces the national figure)
    Set(StandardSet),
    /// Go back to the national figures of a year
    Unset(StandardUnset),
}

#[derive(Debug, Args)]
pub struct StandardList {
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::output::Format::Table)]
    pub format: crate::output::Format,
}

#[derive(Debug, Args)]
pub struct StandardSet {
    /// The year, e.g. 2020
    #[arg(long)]
    pub year: String,
    /// Per-capita net income a household must pass to be lifted, yuan a year
    #[arg(long, value_name = "YUAN")]
    pub income_line: Option<String>,
    /// Per-capita income under which a household is monitored (2021 on), yuan
    #[arg(long, value_name = "YUAN")]
    pub monitoring_line: Option<String>,
    /// Incidence (per cent) a poor village must be below to exit (出列):
    /// 3 in the western provinces (the default), 2 in the central ones
    #[arg(long, value_name = "PERCENT")]
    pub incidence_line: Option<String>,
    /// Where the figure comes from, e.g. the province's document number
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct StandardUnset {
    /// The year, e.g. 2020
    #[arg(long)]
    pub year: String,
}

#[derive(Debug, Subcommand)]
pub enum MonitorCmd {
    /// Record a household identified for monitoring (识别监测)
    Add(Fields<MonitorKind, false>),
    /// List monitored households
    List(MonitorList),
    /// Show a household's monitoring: its latest record and every earlier one
    Show(MonitorShow),
    /// Correct a monitoring record, by household code (its open or latest
    /// record) or by the ID `monitor list` shows
    Update(Fields<MonitorKind, true>),
    /// Remove a monitoring record entered by mistake, by household code
    /// (its open or latest record) or by ID
    Remove(IdArgs),
    /// Record that a household's risks were eliminated (风险消除)
    Eliminate(MonitorEliminate),
}

#[derive(Debug, Args)]
pub struct MonitorShow {
    /// The household code 户编号
    pub code: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Show ID numbers in full
    #[arg(long)]
    pub show_id: bool,
}

#[derive(Debug, Args)]
pub struct MonitorEliminate {
    /// The household code 户编号 of a household under monitoring
    pub code: String,
    /// The month or date the risks were eliminated, e.g. 2022-06 or 202206
    #[arg(long, value_name = "MONTH")]
    pub on: String,
    /// How: assisted/帮扶消除 or natural/自然消除
    #[arg(long, value_name = "HOW")]
    pub by: String,
    /// Accept a month after this one
    #[arg(long)]
    pub allow_future: bool,
}

#[derive(Debug, Args)]
pub struct MonitorList {
    /// Only households of this village (code, or name with --town)
    #[arg(long)]
    pub village: Option<String>,
    /// Only households of this town (code or name)
    #[arg(long)]
    pub town: Option<String>,
    /// Only this household's records (household code)
    #[arg(long)]
    pub household: Option<String>,
    /// Only this category (unstable_lifted, edge, sudden_hardship or their Chinese names)
    #[arg(long)]
    pub category: Option<String>,
    /// Only households under monitoring on --as-of
    #[arg(long)]
    pub open: bool,
    /// Only records whose risks were eliminated by --as-of
    #[arg(long, conflicts_with = "open")]
    pub eliminated: bool,
    /// Date for --open/--eliminated (default today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Args)]
pub struct FindArgs {
    /// A name or part of one, a code or part of one, or the last four
    /// characters of an ID number
    pub text: String,
    /// Show at most N records of each kind
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RevertArgs {
    /// The change, as the change column of `fupin log` shows it
    pub change: i64,
}

#[derive(Debug, Args)]
pub struct VisitList {
    /// Only visits by this cadre (code or name)
    #[arg(long)]
    pub cadre: Option<String>,
    /// Only visits to this village or its households (code or name)
    #[arg(long)]
    pub village: Option<String>,
    /// Only visits to this household
    #[arg(long)]
    pub household: Option<String>,
    #[command(flatten)]
    pub range: DateRange,
    #[command(flatten)]
    pub opts: ListOpts,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only changes of this record kind (e.g. household, 贫困户)
    #[arg(long)]
    pub entity: Option<String>,
    /// Only changes of the record with this key (code)
    #[arg(long)]
    pub key: Option<String>,
    /// Only changes made by this person
    #[arg(long)]
    pub by: Option<String>,
    /// Only the rows of this change (the number in the change column)
    #[arg(long, value_name = "ID")]
    pub change: Option<i64>,
    #[command(flatten)]
    pub range: DateRange,
    #[command(flatten)]
    pub opts: PlainListOpts,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore (a file written by `fupin backup`)
    pub backup: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn add_flags_are_the_csv_headers() {
        let cli = Cli::try_parse_from([
            "fupin",
            "household",
            "add",
            "--code",
            "H1",
            "--village",
            "V1",
            "--head-name",
            "张三",
            "--id-number",
            "11010519491231002X",
            "--members",
            "3",
            "--registered-on",
            "2014",
        ])
        .unwrap();
        let Command::Household(HouseholdCmd::Add(f)) = cli.command else {
            panic!("parsed as {:?}", cli.command);
        };
        assert_eq!(f.raw[0].as_deref(), Some("H1"));
        assert_eq!(f.raw[3].as_deref(), Some("张三"));
    }
}
