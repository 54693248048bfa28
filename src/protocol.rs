//! The one typed message set between the UI (main thread) and the database worker. Every
//! type here crosses a process-like boundary, so changing one is a compatibility change: add
//! fields with `#[serde(default)]`, never reuse a name for a new meaning.
//!
//! Two encodings of the same types: the app sends [`encode`]d envelopes (postcard: compact,
//! positional) and gets its replies the same way, so the main thread carries no JSON decoder
//! for the replies; the worker also answers JSON strings in JSON (test clients, the benchmark,
//! a person in the devtools console). Positional means no `skip_serializing_if` on a type
//! here, and no self-describing value (`serde_json::Value`) except as JSON text.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// An envelope in the app's binary encoding.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(value).map_err(|e| e.to_string())
}

/// The inverse of [`encode`] (enum variants decoded apart: see `crate::apart`).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    crate::apart::deserialize(&mut postcard::Deserializer::from_bytes(bytes))
        .map_err(|e: postcard::Error| e.to_string())
}

/// In debug builds (so in every native test) each request and reply the worker dispatches
/// crosses the binary encoding and comes back the same: a type that cannot travel fails the
/// test that made it. Nothing in release builds.
pub fn debug_check_binary<T: Serialize + DeserializeOwned>(value: &T) {
    if cfg!(debug_assertions) {
        let name = std::any::type_name::<T>();
        let bytes = encode(value).unwrap_or_else(|e| panic!("{name} cannot be encoded: {e}"));
        let back: T = decode(&bytes).unwrap_or_else(|e| panic!("{name} cannot be decoded: {e}"));
        assert_eq!(
            encode(&back).ok(),
            Some(bytes),
            "{name} changed in the binary encoding"
        );
    }
}

/// A request or a reply, tagged with the caller's sequence number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Envelope<T> {
    pub seq: u32,
    /// Decoded apart (`crate::apart`) in JSON too: a fresh worker compiles only the variants
    /// it is sent.
    #[serde(deserialize_with = "crate::apart::deserialize")]
    pub body: T,
}

pub type Reply = Result<Response, ApiError>;

/// Where a long request has got to (the worker posts these while it works on `seq`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub seq: u32,
    /// "read", "plan", "write", "settle", "export".
    pub stage: String,
    pub done: u64,
    pub total: u64,
}

/// The first message a worker posts, once it listens: requests sent before it would be lost.
pub const WORKER_READY: &str = "gridledger-worker-ready";
/// Posted by the worker once its database is open (OPFS, the database, the schema checked), as
/// `"gridledger-db-open <ms>"` with the worker's `Date.now()` then: the page marks
/// `performance.mark("gridledger-db-open")` at that time (the benchmark's "database ready"),
/// not when its main thread, busy with the app's own start, gets round to the message.
pub const DB_OPEN: &str = "gridledger-db-open";

/// Posted by a worker that has grown past [`RECYCLE_ABOVE`] bytes of memory and holds nothing
/// between requests: the page lets its requests in flight finish, stops it and starts a new one
/// (WebAssembly memory never shrinks: a street's import or export leaves a gigabyte or more
/// with the worker until it ends).
pub const RECYCLE: &str = "gridledger-recycle";
/// See [`RECYCLE`]. A fresh worker on a street holds ~50 MiB; searches, lists and dashboards
/// stay well under this; big file work (bundles, spreadsheets) goes past it.
pub const RECYCLE_ABOVE: u64 = 256 << 20;

/// Whether a worker with `memory_bytes` of memory, holding nothing between requests when
/// `idle`, asks for [`RECYCLE`].
pub fn wants_recycle(memory_bytes: u64, idle: bool) -> bool {
    idle && memory_bytes > RECYCLE_ABOVE
}

/// `Some(when)` for the worker's [`DB_OPEN`] message: its `Date.now()`, if it says.
pub fn db_open_at(message: &str) -> Option<Option<f64>> {
    let rest = message.strip_prefix(DB_OPEN)?;
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some(rest.trim().parse().ok().filter(|t: &f64| t.is_finite()))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Storage state, office profile, device and actor. Always answered, even without OPFS.
    Status,
    SetupCommunity(CommunitySetup),
    SetupStreet(StreetSetup),
    /// Creates the sample community (永安社区) and sets this device up as its office.
    LoadSample {
        seed: u64,
    },
    SetDevice {
        device_name: String,
        actor_staff_id: Option<String>,
    },

    GridTree {
        community_code: String,
    },
    CreateGrid {
        parent_id: String,
        name: String,
    },
    RenameGrid {
        id: String,
        name: String,
    },
    MoveGrid {
        id: String,
        new_parent_id: String,
    },
    DeleteGrid {
        id: String,
    },
    SetLevelNames {
        community_code: String,
        names: Vec<String>,
    },

    ListStaff {
        community_code: String,
    },
    SaveStaff(StaffForm),
    AssignStaff {
        grid_id: String,
        staff_id: String,
        duty: String,
    },
    UnassignStaff {
        link_id: String,
    },

    ListTags {
        community_code: String,
    },
    CreateTag {
        community_code: String,
        name: String,
    },

    ListHouseholds {
        grid_id: String,
    },
    SaveHousehold(HouseholdForm),

    SearchResidents(ResidentQuery),
    GetResident {
        id: String,
    },
    SaveResident(ResidentForm),
    DeleteResident {
        id: String,
    },

    /// Builds a bundle; the reply carries the file as an attachment (a Blob).
    ExportBundle {
        options: ExportOptions,
        /// Encrypts the file when set.
        passphrase: Option<String>,
    },
    /// Reads the attached file, checks it and previews its import (nothing is written). The
    /// worker keeps the checked bundle for `ApplyImport`.
    StageImport {
        file_name: String,
        passphrase: Option<String>,
        accept_identity: bool,
    },
    /// A device not set up yet: sets the office up from the attached full backup (the
    /// office's every community, nothing masked) and restores all of it, all or nothing; or,
    /// from a field bundle, as that grid worker's phone in field mode. Replies `Imported`.
    RestoreBackup {
        file_name: String,
        passphrase: Option<String>,
        device_name: String,
        actor_name: String,
        /// Only a field bundle (外勤数据包) will do: the phone is set up in field mode.
        #[serde(default)]
        field_only: bool,
    },
    /// A phone in field mode handed its return bundle on (shared or saved): what it held no
    /// longer counts as unsent.
    FieldSent {
        exported_at: i64,
    },
    /// Imports the staged bundle, all or nothing.
    ApplyImport {
        accept_identity: bool,
    },
    CancelImport,

    /// Reads the attached spreadsheet (a residents ledger: .xlsx, .xls, .ods or .csv) — or,
    /// with no file, the one read last — and guesses which column is which on the chosen sheet
    /// and header line (guessed when `None`). The worker keeps the rows for `LedgerPreview`.
    LedgerOpen {
        file_name: String,
        community_code: String,
        sheet: Option<u32>,
        header_line: Option<u32>,
    },
    /// Checks every row with this mapping (a field code, or "" to ignore, per column) and
    /// matches it against the ledger; nothing is written. The worker keeps the plan.
    LedgerPreview {
        mapping: Vec<String>,
        default_grid_id: Option<String>,
    },
    /// Writes the previewed plan's valid rows, all or nothing.
    LedgerApply,
    /// The previewed plan's rejected rows as an .xlsx (the attachment): the file's own
    /// columns, then 行号 (its line) and 原因 (why, in `lang`: "zh" or "en").
    LedgerRejects {
        lang: String,
    },
    LedgerCancel,
    /// Key groups: every tag with its visit cadence and its people, overdue and due soon, per
    /// first-level grid.
    KeyGroups {
        community_code: String,
    },
    /// Days between visits for people with this tag (0: no visit plan).
    SetTagCadence {
        tag_id: String,
        visit_days: u32,
    },
    /// Key persons with their next visit, filtered and paged, with counts per grid and worker.
    CareList(CareQuery),
    /// One resident's care: plan, cadence, visits, status history.
    GetCare {
        resident_id: String,
    },
    SaveCarePlan(CarePlanForm),
    RecordVisit(VisitForm),
    DeleteVisit {
        id: String,
    },
    /// A status change kept in the resident's history (迁出, 死亡, 迁回, 户内迁移).
    ChangeStatus(StatusForm),
    /// The party organisation of a community: branches, groups and members, with counts.
    PartyOrg {
        community_code: String,
    },
    SavePartyOrg(PartyOrgForm),
    SavePartyMember(PartyMemberForm),
    DeletePartyMember {
        id: String,
    },
    /// The key persons a care query finds, as an .xlsx (the attachment); `mask` names the
    /// fields to mask ("name", "phone").
    ExportCare {
        query: CareQuery,
        #[serde(default)]
        mask: Vec<String>,
    },
    /// Visits in a date range (for the visit list and its export as .xlsx when `xlsx`).
    ListVisits(VisitQuery),
    /// Every resident a query finds as an .xlsx (the attachment), with the headers a ledger
    /// import reads back; `mask` names the fields to mask ("name", "id_number", "phone").
    ExportResidents {
        query: ResidentQuery,
        mask: Vec<String>,
    },
    ImportLog,
    ExportLog,
    /// A fingerprint of all shared data (see `Store::digest`).
    Digest,
    /// SQLite's own check of the database file (`PRAGMA integrity_check`): "ok", or what is
    /// wrong.
    CheckIntegrity,

    /// The community's case categories (seeded from the shipped table on first use).
    CaseCategories {
        community_code: String,
    },
    ReportCase(CaseForm),
    /// A move on a case by this device's user (role checked).
    CaseMove {
        case_id: String,
        mv: String,
        remark: String,
        assignee: String,
        rating: String,
        /// Photos of this step (e.g. the result of 结果反馈).
        #[serde(default)]
        photos: Vec<PhotoIn>,
    },
    GetCase {
        id: String,
    },
    ListCases(CaseQuery),
    /// The dashboard's figures and charts (一屏观全域).
    Dashboard(DashboardQuery),
    /// A number that changes whenever the database does (the clock of the newest change, this
    /// device's or an import's): the wall display polls it and refreshes when it moves.
    DataVersion,
    /// One photo's bytes (the case page loads them one by one; lists never do).
    GetPhoto {
        id: String,
    },
    /// Households whose address contains `text` (building, unit, room), for picking a place.
    FindHouseholds {
        community_code: String,
        text: String,
        limit: u32,
    },
    /// Adds or changes a case category (a 小类 has a parent 大类 code).
    SaveCategory {
        community_code: String,
        row: CategoryRow,
    },
    /// The working calendar: the office's changed days (the shipped ones are in the app).
    CalendarDays,
    /// Makes a date a holiday or a working day ("holiday", "workday"), or ("") back to the
    /// shipped arrangement.
    SetCalendarDay {
        day: String,
        kind: String,
        name: String,
    },

    ListVolunteers(VolunteerQuery),
    GetVolunteer {
        id: String,
    },
    /// Creates (empty id) or changes a volunteer, with their team memberships.
    SaveVolunteer(VolunteerForm),
    DeleteVolunteer {
        id: String,
    },
    ListTeams {
        community_code: String,
    },
    /// Creates (empty id) or changes a team.
    SaveTeam(TeamForm),

    /// Adds a shift, repeated weekly `weeks` times (the reply's id is the first one's).
    AddShifts(ShiftForm),
    /// Shifts starting in [from, to) (UTC ms) with their people and the roster's warnings.
    Roster {
        community_code: String,
        from: i64,
        to: i64,
    },
    DeleteShift {
        id: String,
    },
    /// Puts a volunteer or a staff member (one of the two ids) on a shift.
    AssignShift {
        shift_id: String,
        #[serde(default)]
        volunteer_id: String,
        #[serde(default)]
        staff_id: String,
    },
    /// Takes a person off a shift (the link is tombstoned).
    UnassignShift {
        link_id: String,
    },
    /// One person's shifts (a volunteer's or a staff member's id) starting in [from, to).
    Duties {
        person_id: String,
        from: i64,
        to: i64,
    },
    /// planned, done or no_show.
    MarkShift {
        link_id: String,
        status: String,
    },
    /// The person on a shift arrives ("in") or leaves ("out": the shift is done) now.
    CheckShift {
        link_id: String,
        action: String,
    },
    /// Logs a volunteer's hours for a task (not a shift).
    LogHours(HoursForm),
    DeleteHours {
        id: String,
    },
    /// The time bank of a community for one year: minutes per volunteer, team and month.
    TimeBank {
        community_code: String,
        year: i32,
    },
    /// One volunteer's credited hours: by month, and each shift or task behind them.
    VolunteerHours {
        volunteer_id: String,
    },

    // Micro-wishes (微心愿).
    /// The claim list and the other wish lists (filter by state, grid, claimer, text).
    ListWishes(WishQuery),
    GetWish {
        id: String,
    },
    /// Records a wish and publishes it to the claim list.
    RecordWish(WishForm),
    /// A move on a wish: claim (with a volunteer), release, fulfil (note, minutes, photos),
    /// thank (the thanks), cancel (a reason).
    WishMove {
        wish_id: String,
        mv: String,
        #[serde(default)]
        note: String,
        #[serde(default)]
        volunteer_id: String,
        #[serde(default)]
        minutes: u32,
        #[serde(default)]
        photos: Vec<PhotoIn>,
    },
    /// A duty list as a share link on `origin` (`/shared#…`, as long as a link may be) and its
    /// QR code: compressing and drawing are the worker's, so the first paint carries neither.
    ShareDuty {
        duty: crate::domain::share::SharedDuty,
        origin: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    Status(Status),
    Done,
    Created {
        id: String,
    },
    GridTree(GridTree),
    Staff(Vec<StaffRow>),
    Tags(Vec<TagRow>),
    Households(Vec<HouseholdRow>),
    Residents(ResidentPage),
    Resident(ResidentForm),
    Exported(ExportSummary),
    ImportPreview(Box<ImportReport>),
    LedgerSheet(Box<LedgerSheet>),
    LedgerPlan(Box<LedgerPlan>),
    LedgerDone(LedgerDone),
    KeyGroups(Vec<KeyGroupRow>),
    CarePage(Box<CarePage>),
    Care(Box<CareInfo>),
    Party(Box<PartyTree>),
    Visits(Box<VisitPage>),
    /// A file in the reply's attachment, to be saved under this name.
    File {
        file_name: String,
        rows: u64,
    },
    Imported(Box<ImportReport>),
    ImportLog(Vec<ImportReport>),
    ExportLog(Vec<ExportLogRow>),
    Digest(String),
    Integrity(String),
    CaseCategories(Vec<CategoryRow>),
    Case(Box<CaseView>),
    Cases(Box<CasePage>),
    Dashboard(Box<crate::domain::dashboard::Dashboard>),
    DataVersion(i64),
    Photo(Box<PhotoOut>),
    FoundHouseholds(Vec<HouseholdHit>),
    CalendarDays(Vec<CalendarDay>),
    Volunteers(VolunteerPage),
    Volunteer(Box<VolunteerForm>),
    Teams(Vec<TeamRow>),
    Roster(Vec<ShiftRow>),
    TimeBank(Box<TimeBank>),
    VolunteerHours(Box<VolunteerHours>),
    Wishes(Box<WishPage>),
    Wish(Box<WishView>),
    /// The link, how many of the duties it holds, the QR code as an SVG `data:` URL.
    DutyShare {
        url: String,
        held: u32,
        qr: Option<String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HoursForm {
    pub volunteer_id: String,
    /// YYYY-MM-DD, local.
    pub day: String,
    pub minutes: i64,
    pub task: String,
    /// The case the task was for, if any.
    #[serde(default)]
    pub case_id: String,
}

/// One line of a time bank: minutes in each month of the year (January first) and in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HoursLine {
    pub id: String,
    /// The community the record belongs to (lists of the whole street show it).
    #[serde(default)]
    pub community_code: String,
    pub name: String,
    pub months: Vec<i64>,
    pub total: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeBank {
    pub year: i32,
    /// Every volunteer with hours in the year, most hours first.
    pub volunteers: Vec<HoursLine>,
    /// Every team: the sum of its members' lines.
    pub teams: Vec<HoursLine>,
    /// The whole community (the whole street when asked for all).
    pub community: HoursLine,
    /// For the whole street: one line per community (its code as the id), by code.
    #[serde(default)]
    pub communities: Vec<HoursLine>,
}

/// One credit of a volunteer's time bank.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HoursEntry {
    /// "shift", "task" or "wish".
    pub kind: String,
    /// The shift link, hours entry or wish the credit comes from.
    pub id: String,
    /// YYYY-MM-DD, local.
    pub day: String,
    pub minutes: i64,
    pub title: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VolunteerHours {
    /// ("YYYY-MM", minutes), in month order.
    pub months: Vec<(String, i64)>,
    pub total: i64,
    /// Newest first.
    pub entries: Vec<HoursEntry>,
}

/// A new wish (微心愿): who wishes, what, by when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WishForm {
    pub community_code: String,
    /// The wisher's grid (a registered wisher's own grid wins).
    #[serde(default)]
    pub grid_id: String,
    /// The wisher, when a registered resident (their name and phone are copied).
    #[serde(default)]
    pub resident_id: String,
    #[serde(default)]
    pub wisher_name: String,
    #[serde(default)]
    pub wisher_phone: String,
    pub title: String,
    #[serde(default)]
    pub detail: String,
    /// Wished by (YYYY-MM-DD).
    pub due_date: String,
    /// The home visit whose need this wish is (linked to it).
    #[serde(default)]
    pub visit_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WishRow {
    pub id: String,
    /// The community the record belongs to (lists of the whole street show it).
    #[serde(default)]
    pub community_code: String,
    pub title: String,
    pub wisher_name: String,
    pub grid_name: String,
    pub due_date: String,
    pub state: String,
    /// The claimer.
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub minutes: u32,
    /// Still open after its due date (the office's local day).
    pub overdue: bool,
    pub flagged: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WishEventRow {
    pub id: String,
    pub mv: String,
    pub actor: String,
    pub actor_role: String,
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub note: String,
    pub minutes: u32,
    pub wall_at: i64,
    /// Not legal where it falls in the merged order: kept, marked, and changed nothing.
    pub out_of_order: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WishView {
    pub row: WishRow,
    pub form: WishForm,
    pub fulfilled_at: Option<i64>,
    pub events: Vec<WishEventRow>,
    /// The moves this device's user may make now.
    pub offered: Vec<String>,
    /// Photos of the steps (bytes by `GetPhoto`), in the order they were attached.
    pub photos: Vec<PhotoMeta>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WishQuery {
    pub community_code: String,
    /// A state code; empty: all.
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub grid_id: Option<String>,
    /// Wishes claimed by this volunteer.
    #[serde(default)]
    pub volunteer_id: String,
    /// In the title, the detail or the wisher's name.
    #[serde(default)]
    pub text: String,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WishPage {
    /// Open wishes first (the nearest due date first), then the rest, newest due date first.
    pub rows: Vec<WishRow>,
    pub total: u64,
    pub offset: u32,
    /// Wishes per state over the same filter without the state (for the filter's counts).
    pub by_state: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShiftForm {
    pub community_code: String,
    pub title: String,
    #[serde(default)]
    pub grid_id: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub role: String,
    /// UTC ms (the browser turns the local date and time into instants).
    pub start_at: i64,
    pub end_at: i64,
    pub needed: u32,
    /// 1 for a single shift.
    pub weeks: u32,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShiftPerson {
    pub link_id: String,
    pub person_id: String,
    /// "volunteer" or "staff".
    pub kind: String,
    pub name: String,
    pub status: String,
    /// On another shift at an overlapping time.
    pub double_booked: bool,
    /// UTC ms of checking in and out, when the person did.
    #[serde(default)]
    pub check_in: Option<i64>,
    #[serde(default)]
    pub check_out: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShiftRow {
    pub id: String,
    /// The community the record belongs to (lists of the whole street show it).
    #[serde(default)]
    pub community_code: String,
    pub series_id: String,
    pub title: String,
    pub grid_name: String,
    pub place: String,
    pub role: String,
    pub start_at: i64,
    pub end_at: i64,
    pub needed: u32,
    pub people: Vec<ShiftPerson>,
    /// The shift's local date is not a working day by the office's calendar (weekend or holiday).
    pub day_off: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VolunteerQuery {
    pub community_code: String,
    /// A name (or part), or phone digits.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub team_id: String,
    /// A skill code (`domain::volunteer::SKILLS`).
    #[serde(default)]
    pub skill: String,
    /// Volunteers serving this grid or its sub-grids.
    #[serde(default)]
    pub grid_id: String,
    #[serde(default)]
    pub party_only: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VolunteerRow {
    pub id: String,
    /// The community the record belongs to (lists of the whole street show it).
    #[serde(default)]
    pub community_code: String,
    pub name: String,
    pub phone: String,
    pub skills: Vec<String>,
    pub availability: Vec<String>,
    pub party_member: bool,
    pub in_service: bool,
    pub grid_name: String,
    pub teams: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VolunteerPage {
    pub rows: Vec<VolunteerRow>,
    pub total: u64,
    pub offset: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VolunteerForm {
    #[serde(default)]
    pub id: String,
    pub community_code: String,
    /// The resident this volunteer is (empty: an outside person).
    #[serde(default)]
    pub resident_id: String,
    /// Shown when linked (read-only).
    #[serde(default)]
    pub resident_label: String,
    #[serde(default)]
    pub grid_id: String,
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub availability: Vec<String>,
    #[serde(default)]
    pub party_member: bool,
    #[serde(default)]
    pub in_service: bool,
    #[serde(default)]
    pub work_unit: String,
    #[serde(default)]
    pub posts: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub team_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamRow {
    pub id: String,
    /// The community the record belongs to (lists of the whole street show it).
    #[serde(default)]
    pub community_code: String,
    pub name: String,
    pub leader_id: String,
    pub leader_name: String,
    pub members: u64,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    pub id: String,
    pub community_code: String,
    pub name: String,
    #[serde(default)]
    pub leader_id: String,
    #[serde(default)]
    pub note: String,
}

/// A photo sent with a report or a move: an image already downscaled by the browser, base64.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhotoIn {
    pub data: String,
}

/// A stored photo's facts, without its bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhotoMeta {
    pub id: String,
    pub event_id: String,
    pub width: u32,
    pub height: u32,
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhotoOut {
    pub mime: String,
    /// base64
    pub data: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HouseholdHit {
    pub id: String,
    pub grid_id: String,
    pub grid_name: String,
    pub address: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub day: String,
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub code: String,
    pub parent_code: Option<String>,
    pub name: String,
    pub filing: String,
    pub limit_unit: String,
    pub limit_n: i64,
    pub closing: String,
    pub unit: String,
}

/// A new case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseForm {
    pub community_code: String,
    pub grid_id: String,
    #[serde(default)]
    pub household_id: String,
    pub category_code: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub address: String,
    pub channel: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub reporter_id: String,
    #[serde(default)]
    pub reporter_name: String,
    #[serde(default)]
    pub reporter_phone: String,
    /// The home visit whose need this case is (linked to it).
    #[serde(default)]
    pub visit_id: String,
    /// Photos taken or picked when reporting (only sent; the case page lists stored ones).
    #[serde(default)]
    pub photos: Vec<PhotoIn>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: String,
    /// The community the case belongs to (the street's lists show it).
    #[serde(default)]
    pub community_code: String,
    pub title: String,
    pub category: String,
    pub grid_name: String,
    pub channel: String,
    pub state: String,
    pub assignee: String,
    pub reported_at: i64,
    pub deadline: Option<i64>,
    pub overdue: bool,
    pub urged: u32,
    pub flagged: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseEventRow {
    pub id: String,
    pub mv: String,
    pub actor: String,
    pub actor_role: String,
    pub remark: String,
    pub assignee: String,
    pub rating: String,
    pub wall_at: i64,
    /// Not legal where it falls in the merged order: kept, marked, and changed nothing.
    pub out_of_order: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub row: CaseRow,
    pub form: CaseForm,
    pub category: Option<CategoryRow>,
    pub rating: String,
    pub closed_at: Option<i64>,
    pub events: Vec<CaseEventRow>,
    /// The moves this device's user may make now.
    pub offered: Vec<String>,
    /// The case's photos (bytes by `GetPhoto`), in the order they were attached.
    #[serde(default)]
    pub photos: Vec<PhotoMeta>,
    /// The reporter's household address, when the case names one.
    #[serde(default)]
    pub household_address: String,
}

/// What the dashboard covers: a community (empty: the whole street), a grid and its sub-grids
/// (empty: all), and the days from–to (inclusive local dates; empty: this month so far).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DashboardQuery {
    pub community_code: String,
    #[serde(default)]
    pub grid_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The charts' words: "en" or Chinese.
    #[serde(default)]
    pub lang: String,
    /// Charts drawn for a phone's width.
    #[serde(default)]
    pub narrow: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseQuery {
    pub community_code: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub grid_id: Option<String>,
    #[serde(default)]
    pub overdue_only: bool,
    /// Only cases dispatched to this device's user.
    #[serde(default)]
    pub mine: bool,
    /// A 小类 code, or a 大类 code (all its 小类).
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub channel: String,
    /// Cases dispatched to this person (or team, or department).
    #[serde(default)]
    pub assignee: String,
    /// Reported on or after this local date (YYYY-MM-DD) …
    #[serde(default)]
    pub from: String,
    /// … and on or before this one.
    #[serde(default)]
    pub to: String,
    /// "deadline": the nearest deadline first (cases without one last); otherwise newest first.
    #[serde(default)]
    pub sort: String,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    pub total: u64,
    pub offset: u32,
    /// The office's numbers over the same filter (all time, as of now).
    pub figures: crate::domain::figures::Figures,
}

/// What to export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportOptions {
    /// The communities to export; empty: every community in the database.
    #[serde(default)]
    pub communities: Vec<String>,
    /// One grid and its sub-grids (with the records that live in them).
    #[serde(default)]
    pub grid_id: Option<String>,
    /// Only what changed since the last export to `destination` (with the parents it needs).
    #[serde(default)]
    pub incremental: bool,
    /// Who the bundle is for ("street", "community", "device"): incremental exports count from
    /// the last export to the same destination.
    #[serde(default)]
    pub destination: String,
    /// Per table, the columns to mask.
    #[serde(default)]
    pub mask: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub device_name: String,
    /// Recorded in the export log.
    #[serde(default)]
    pub file_name: String,
    #[serde(default)]
    pub encrypted: bool,
    /// Carry case photos (off by default: street bundles stay small).
    #[serde(default)]
    pub photos: bool,
    /// The most photo bytes the bundle carries, in MB (0: the default cap,
    /// `domain::photo::DEFAULT_BUNDLE_CAP_MB`); the oldest photos go first, the rest are left
    /// out and counted in the summary.
    #[serde(default)]
    pub photo_cap_mb: u32,
    /// A field bundle (外勤数据包) for this grid worker (a staff id): their grids with the
    /// households and residents there (ID numbers and phones masked except for the key persons
    /// of those grids), key persons and visit plans, the open cases assigned to them with their
    /// timelines, the dictionaries, and their duty shifts. `grid_id` and `mask` are ignored.
    #[serde(default)]
    pub field_staff_id: Option<String>,
    /// A return bundle (送回) from a phone in field mode: only the records this device created
    /// or changed (with the parents they point at).
    #[serde(default)]
    pub returning: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportSummary {
    pub file_name: String,
    /// The bundle's clock time.
    #[serde(default)]
    pub exported_at: i64,
    pub records: u64,
    /// Photos in the bundle, and those left out by the size cap.
    #[serde(default)]
    pub photos: u64,
    #[serde(default)]
    pub photos_left_out: u64,
    pub bytes: u64,
    pub encrypted: bool,
    pub masked: bool,
    pub millis: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportLogRow {
    pub wall_millis: i64,
    pub actor: String,
    pub sequence: u64,
    pub destination: String,
    pub scope: String,
    pub masked: String,
    pub encrypted: bool,
    pub file_name: String,
    pub records: u64,
}

/// The outcome of an import or its preview.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub file_name: String,
    pub source: Option<crate::domain::bundle::Source>,
    pub device: String,
    pub device_name: String,
    pub sequence: u64,
    pub after_sequence: Option<u64>,
    pub exported_at: i64,
    /// When it was imported (wall clock, ms), for the log.
    #[serde(default)]
    pub imported_millis: i64,
    /// Per community, per table.
    pub counts: std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<String, crate::domain::bundle::merge::Counts>,
    >,
    pub totals: crate::domain::bundle::merge::Counts,
    /// Both-changed conflicts and records kept because live records point at them; the losing
    /// version is here so a person can re-apply it. At most 500 are listed.
    pub conflicts: Vec<crate::domain::bundle::merge::Conflict>,
    pub conflicts_total: u64,
    pub identity: Vec<crate::domain::bundle::merge::IdentityClash>,
    /// The records that change, at most 1,000 listed (the counts are complete).
    #[serde(default)]
    pub changes: Vec<crate::domain::bundle::merge::Change>,
    /// Codes with a parameter: "missing_sequence:8" (an earlier incremental bundle from this
    /// device never arrived), "foreign_community:410103009001" (not this office's community).
    pub warnings: Vec<String>,
    pub applied: bool,
    /// Milliseconds the worker spent (reading, checking, merging).
    #[serde(default)]
    pub millis: f64,
    /// This bundle (same device, sequence, export time and checksum) was imported here before,
    /// at this wall-clock time (ms): recognised from its header, before its records were
    /// parsed. Every record in it is already here (imports are idempotent and local changes
    /// are newer), so every count is "unchanged" and applying only logs it again.
    #[serde(default)]
    pub imported_before: Option<i64>,
}

/// An error the UI can show: a code (translated by the UI), the fields at fault, and a
/// technical detail for the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
    #[serde(default)]
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl ApiError {
    pub fn new(code: &str, detail: impl Into<String>) -> Self {
        ApiError {
            code: code.to_string(),
            fields: Vec::new(),
            detail: detail.into(),
        }
    }
    pub fn invalid(fields: Vec<FieldError>) -> Self {
        ApiError {
            code: "invalid".into(),
            fields,
            detail: String::new(),
        }
    }
    pub fn field(field: &str, code: &str) -> Self {
        Self::invalid(vec![FieldError {
            field: field.into(),
            code: code.into(),
        }])
    }
    /// The error for one field, if any.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.code.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfficeKind {
    Community,
    Street,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunitySetup {
    pub name: String,
    pub code: String,
    pub street_name: String,
    pub device_name: String,
    pub actor_name: String,
    pub actor_role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreetSetup {
    pub name: String,
    pub code: String,
    pub device_name: String,
    pub actor_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StorageState {
    /// The database is open in OPFS.
    Ready,
    /// OPFS could not be used; nothing can be saved. Carries the browser's reason.
    Unavailable(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Office {
    pub kind: OfficeKind,
    pub name: String,
    pub code: String,
    pub street_name: String,
    pub street_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityRow {
    pub code: String,
    pub name: String,
    pub street_name: String,
    pub level_names: Vec<String>,
    /// Its grids (a few hundred at most). Households and residents are not counted here: the
    /// status is read on every start, and counting a street's 200,000 residents there cost
    /// ~100 ms before the app could show anything (the dashboard has those figures).
    pub grids: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub storage: StorageState,
    pub office: Option<Office>,
    pub device_id: String,
    pub device_name: String,
    pub actor: Option<StaffRow>,
    pub communities: Vec<CommunityRow>,
    pub schema_version: u32,
    /// Milliseconds the worker took to open OPFS and check the schema.
    pub open_millis: f64,
    /// The worker's WebAssembly memory in bytes (0 natively): it only grows, so this is the
    /// most the worker has needed since it started.
    #[serde(default)]
    pub memory_bytes: u64,
    /// Set on a phone in field mode (set up from a field bundle).
    #[serde(default)]
    pub field: Option<FieldInfo>,
}

/// A phone in field mode: whose bundle it holds, as of when, and what is not sent back yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldInfo {
    pub staff_id: String,
    pub staff_name: String,
    pub grid_names: Vec<String>,
    /// When the office made the field bundle last loaded (wall clock, ms).
    pub as_of_millis: i64,
    /// Records created or changed here since the last return bundle.
    pub unsent: u64,
    /// When the last return bundle was made (wall clock, ms).
    pub last_sent_millis: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridNode {
    pub id: String,
    pub parent_id: Option<String>,
    pub level: u32,
    pub name: String,
    pub leaders: Vec<String>,
    pub workers: Vec<String>,
    /// Households and residents in this node and all its descendants.
    pub households: u64,
    pub residents: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridTree {
    pub community_code: String,
    pub level_names: Vec<String>,
    /// Parents before children, siblings by name.
    pub nodes: Vec<GridNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: String,
    pub community_code: String,
    pub name: String,
    pub role: String,
    pub phone: String,
    /// (link id, grid id, grid name, duty)
    pub grids: Vec<StaffGrid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffGrid {
    pub link_id: String,
    pub grid_id: String,
    pub grid_name: String,
    pub duty: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StaffForm {
    /// Empty for a new staff member.
    pub id: String,
    pub community_code: String,
    pub name: String,
    pub role: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagRow {
    pub id: String,
    pub name: String,
    pub builtin: bool,
    pub residents: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdRow {
    pub id: String,
    pub grid_id: String,
    pub building: String,
    pub unit: String,
    pub room: String,
    pub members: u64,
}

impl HouseholdRow {
    pub fn address(&self) -> String {
        format!("{}{}{}", self.building, self.unit, self.room)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HouseholdForm {
    pub id: String,
    pub community_code: String,
    pub grid_id: String,
    pub building: String,
    pub unit: String,
    pub room: String,
}

/// Key persons' care, filtered: `state` is "" (all), "due" (overdue or due soon), "overdue",
/// "soon" or "never" (never visited).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CareQuery {
    pub community_code: String,
    #[serde(default)]
    pub tag_id: String,
    #[serde(default)]
    pub grid_id: String,
    #[serde(default)]
    pub worker_id: String,
    #[serde(default)]
    pub state: String,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CarePage {
    /// People matching the filter (state aside), and of them overdue / due soon / never.
    pub people: u64,
    pub overdue: u64,
    pub soon: u64,
    pub never: u64,
    /// Rows matching the filter including its state.
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<CareRow>,
    /// Per first-level grid and per worker (care plans' grid workers; "" for none).
    pub by_grid: Vec<CareCount>,
    pub by_worker: Vec<CareCount>,
    /// Per community (the street office's view; one row in a community office).
    #[serde(default)]
    pub by_community: Vec<CareCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CareCount {
    pub id: String,
    pub name: String,
    pub people: u64,
    pub overdue: u64,
    pub soon: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CareRow {
    pub resident_id: String,
    /// The community the record belongs to (lists of the whole street show it).
    #[serde(default)]
    pub community_code: String,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub phone: String,
    pub grid_name: String,
    pub address: String,
    pub tags: Vec<String>,
    pub worker_name: String,
    pub party_member_name: String,
    /// Days between visits.
    pub cadence: u32,
    /// YYYY-MM-DD, "" when never visited.
    pub last_visit: String,
    pub due_date: String,
    /// ok, soon, overdue
    pub state: String,
    pub overdue_days: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyGroupRow {
    pub tag_id: String,
    pub name: String,
    pub builtin: bool,
    pub visit_days: u32,
    pub people: u64,
    pub overdue: u64,
    pub soon: u64,
    pub by_grid: Vec<CareCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CarePlanForm {
    pub resident_id: String,
    /// A grid worker (staff id) or "".
    #[serde(default)]
    pub worker_id: String,
    /// A party member (party_members id) or "".
    #[serde(default)]
    pub party_member_id: String,
    /// Days between visits; 0: from the person's tags.
    #[serde(default)]
    pub visit_days: u32,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitForm {
    pub resident_id: String,
    pub visit_date: String,
    #[serde(default)]
    pub visitor_id: String,
    #[serde(default)]
    pub party_member_id: String,
    pub visitor_name: String,
    pub condition: String,
    #[serde(default)]
    pub needs: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitRow {
    pub id: String,
    pub resident_id: String,
    pub resident_name: String,
    pub grid_name: String,
    pub visit_date: String,
    pub visitor_name: String,
    pub condition: String,
    pub needs: String,
    pub note: String,
    pub case_id: String,
    pub wish_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitQuery {
    pub community_code: String,
    #[serde(default)]
    pub grid_id: String,
    /// YYYY-MM-DD, inclusive; "" for open.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub offset: u32,
    #[serde(default)]
    pub limit: u32,
    /// The whole list as an .xlsx (the attachment) instead of a page.
    #[serde(default)]
    pub xlsx: bool,
    /// In the .xlsx: "name" masks the residents' names.
    #[serde(default)]
    pub mask: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitPage {
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<VisitRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TagCadence {
    pub tag_id: String,
    pub name: String,
    pub visit_days: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidentEventRow {
    pub id: String,
    pub kind: String,
    pub event_date: String,
    pub from_address: String,
    pub to_address: String,
    pub note: String,
}

/// One resident's care and history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CareInfo {
    pub resident_id: String,
    pub name: String,
    pub community_code: String,
    pub grid_id: String,
    pub household_id: String,
    pub status: String,
    pub tags: Vec<TagCadence>,
    /// The plan in force (resident_id empty when none).
    pub plan: CarePlanForm,
    pub worker_name: String,
    pub party_member_name: String,
    /// Effective days between visits (0: no visit plan).
    pub cadence: u32,
    pub last_visit: String,
    pub due_date: String,
    pub state: String,
    pub overdue_days: i64,
    pub visits: Vec<VisitRow>,
    pub events: Vec<ResidentEventRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusForm {
    pub resident_id: String,
    /// moved (another household here), moved_out, died, returned
    pub kind: String,
    pub event_date: String,
    /// For moved and returned: the new household ("" to keep / none).
    #[serde(default)]
    pub to_household_id: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartyOrgRow {
    pub id: String,
    pub grid_id: String,
    pub grid_name: String,
    pub parent_id: String,
    pub kind: String,
    pub name: String,
    pub note: String,
    pub members: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartyMemberRow {
    pub id: String,
    pub org_id: String,
    pub resident_id: String,
    pub name: String,
    pub phone: String,
    pub role: String,
    pub joined_on: String,
    pub center_household_id: String,
    pub center_address: String,
    pub note: String,
    /// Key persons this member is paired with.
    pub pairs: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartyTree {
    pub orgs: Vec<PartyOrgRow>,
    pub members: Vec<PartyMemberRow>,
    /// Per first-level grid: branches and groups (in `people`: members; `overdue`: 党员中心户).
    pub by_grid: Vec<CareCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartyOrgForm {
    /// Empty for a new one.
    #[serde(default)]
    pub id: String,
    pub community_code: String,
    pub grid_id: String,
    #[serde(default)]
    pub parent_id: String,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartyMemberForm {
    #[serde(default)]
    pub id: String,
    pub org_id: String,
    /// A resident of the community (name and phone are copied) or "".
    #[serde(default)]
    pub resident_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub joined_on: String,
    /// 党员中心户: the member's household is a center household.
    #[serde(default)]
    pub center: bool,
    #[serde(default)]
    pub note: String,
}

/// A spreadsheet read for a ledger import, with the guessed mapping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerSheet {
    pub file_name: String,
    /// The workbook's sheets (one, unnamed, for a CSV file).
    pub sheets: Vec<String>,
    pub sheet: u32,
    /// The header row's line (1-based, as the spreadsheet program numbers rows).
    pub header_line: u32,
    /// Per column: its header text, and the field it is mapped to ("" for none).
    pub headers: Vec<String>,
    pub mapping: Vec<String>,
    /// The first data rows as text, for the mapping step.
    pub sample: Vec<Vec<String>>,
    /// Rows below the header.
    pub data_rows: u32,
}

/// What importing a ledger with a mapping would do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerPlan {
    pub new: u32,
    pub update: u32,
    pub rejected: u32,
    /// Blank rows, repeated headers, footers.
    pub skipped: u32,
    /// The first planned rows.
    pub rows: Vec<LedgerRow>,
    /// Rejected rows (the first 2,000), in line order.
    pub rejects: Vec<LedgerReject>,
    /// Tags the rows name that the ledger does not have yet (they will be created).
    pub new_tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub line: u32,
    /// Updates this resident (empty: a new one).
    pub existing: String,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub grid: String,
    pub address: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerReject {
    pub line: u32,
    /// The name and ID number cells as written, to recognise the row.
    pub name: String,
    pub id_number: String,
    pub reasons: Vec<LedgerReason>,
}

/// Why a row was refused: the field at fault, a problem code (`problem.*`), and an argument
/// for some (the earlier line a duplicate repeats, the grid name not found).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerReason {
    pub field: String,
    pub code: String,
    pub arg: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerDone {
    pub created: u32,
    pub updated: u32,
    pub households_created: u32,
    pub tags_created: Vec<String>,
    pub rejected: u32,
    pub millis: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidentQuery {
    pub community_code: String,
    /// A name (or part of one), a phone number or its last digits, or the last digits of an
    /// ID number.
    pub text: String,
    /// Only residents in this grid or its sub-grids.
    pub grid_id: Option<String>,
    pub tag_id: Option<String>,
    /// "" (the default): residents here now (在册); "moved_out", "deceased", or "all".
    #[serde(default)]
    pub status: String,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentRow {
    pub id: String,
    #[serde(default)]
    pub household_id: String,
    #[serde(default)]
    pub grid_id: String,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub grid_name: String,
    pub address: String,
    pub tags: Vec<String>,
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentPage {
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<ResidentRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidentForm {
    /// Empty for a new resident.
    pub id: String,
    pub community_code: String,
    pub name: String,
    /// "M" or "F" (or empty: taken from the ID number).
    pub gender: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub grid_id: String,
    pub household_id: String,
    pub relation: String,
    pub note: String,
    pub tag_ids: Vec<String>,
    /// For a new resident: why they enter the ledger ("born", "moved_in", or "" for a
    /// resident already living here); recorded in their history.
    #[serde(default)]
    pub arrival: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_open_message_carries_the_workers_time() {
        assert_eq!(
            db_open_at("gridledger-db-open 1764900000123.5"),
            Some(Some(1764900000123.5))
        );
        assert_eq!(db_open_at("gridledger-db-open"), Some(None));
        assert_eq!(db_open_at("gridledger-db-open soon"), Some(None));
        assert_eq!(db_open_at("gridledger-db-opened"), None);
        assert_eq!(db_open_at("gridledger-worker-ready"), None);
    }

    #[test]
    fn envelopes_round_trip_as_json() {
        let e = Envelope {
            seq: 7,
            body: Request::MoveGrid {
                id: "a".into(),
                new_parent_id: "b".into(),
            },
        };
        let s = serde_json::to_string(&e).unwrap();
        let back: Envelope<Request> = serde_json::from_str(&s).unwrap();
        assert_eq!(back.seq, 7);
        assert_eq!(back.body, e.body);
        let r: Envelope<Reply> = Envelope {
            seq: 1,
            body: Err(ApiError::field("phone", "phone_format")),
        };
        let back: Envelope<Reply> =
            serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(
            back.body.unwrap_err().for_field("phone"),
            Some("phone_format")
        );
    }

    #[test]
    fn envelopes_round_trip_in_the_binary_encoding() {
        let e = Envelope {
            seq: 9,
            body: Request::MoveGrid {
                id: "a".into(),
                new_parent_id: "b".into(),
            },
        };
        let back: Envelope<Request> = decode(&encode(&e).unwrap()).unwrap();
        assert_eq!((back.seq, back.body), (9, e.body));
        // A conflict's records are self-describing: they travel as JSON text inside it.
        let mut kept = crate::domain::bundle::Record::new();
        kept.insert("name", "张三".into());
        kept.insert("n", 3.into());
        kept.insert("none", serde_json::Value::Null);
        let c = crate::domain::bundle::merge::Conflict {
            kind: crate::domain::bundle::merge::ConflictKind::BothChanged,
            table: "residents".into(),
            id: "r".into(),
            community_code: "c".into(),
            winner: "local".into(),
            lost: kept.clone(),
            kept,
        };
        let back: crate::domain::bundle::merge::Conflict = decode(&encode(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        // ...and stay objects in JSON.
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["kept"]["name"], "张三");
        assert!(decode::<Envelope<Request>>(&[0xff, 0xff]).is_err());
    }
}
