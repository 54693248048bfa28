//! Residents' ledgers (居民台账) as offices keep them in Excel, pure: which column is which
//! (header guessing over the headers offices really write), what a cell means (dates typed
//! five ways, ID numbers Excel turned into numbers, "同上", names padded with spaces, a whole
//! address in one column), and the plan for an import: every row becomes a new resident, an
//! update of the resident with the same ID number, or a rejection with its reasons as codes.
//! The worker reads the file (`crate::sheet`) and writes the plan (`storage::ledger`).

/// The largest spreadsheet file read (the page refuses a larger one before sending it).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

use super::date::Date;
use super::resident::{self, FieldProblem, ResidentDraft, ValidResident};
use std::collections::HashMap;

/// One cell as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date: days since 1899-12-30 (the 1900 date system).
    Date(f64),
}

impl Cell {
    pub fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    /// The cell as text, trimmed (whole numbers without ".0", dates as YYYY-MM-DD).
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => clean(s),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => excel_date(*d).map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => clean(s).is_empty(),
            _ => false,
        }
    }
}

/// Trims spaces of every kind (also full-width and no-break spaces) at both ends.
fn clean(s: &str) -> String {
    s.trim_matches(|c: char| {
        c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{feff}'
    })
    .to_string()
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// An Excel serial date (1900 system, with its phantom 1900-02-29) as a date.
pub fn excel_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Serial 25569 is 1970-01-01; serials below 60 sit before Excel's phantom 1900-02-29
    // (serial 60, read as 02-28).
    let days = match days {
        ..60 => days + 1,
        60 => 60,
        _ => days,
    };
    Some(Date::from_days(days - 25569))
}

/// The columns a ledger can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    Gender,
    IdNumber,
    BirthDate,
    Phone,
    Building,
    Unit,
    Room,
    /// The whole address in one column ("3号楼2单元501").
    Address,
    Grid,
    Tags,
    Relation,
    Note,
    /// 政治面貌: "中共党员" / "预备党员" adds the 党员 tag.
    Politics,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Name,
        Field::Gender,
        Field::IdNumber,
        Field::BirthDate,
        Field::Phone,
        Field::Building,
        Field::Unit,
        Field::Room,
        Field::Address,
        Field::Grid,
        Field::Tags,
        Field::Relation,
        Field::Note,
        Field::Politics,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Gender => "gender",
            Field::IdNumber => "id_number",
            Field::BirthDate => "birth_date",
            Field::Phone => "phone",
            Field::Building => "building",
            Field::Unit => "unit",
            Field::Room => "room",
            Field::Address => "address",
            Field::Grid => "grid",
            Field::Tags => "tags",
            Field::Relation => "relation",
            Field::Note => "note",
            Field::Politics => "politics",
        }
    }

    pub fn from_code(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == s)
    }

    /// The Chinese header the app writes for this field (and reads back).
    pub fn header(self) -> &'static str {
        SYNONYMS
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, s)| s[0])
            .unwrap_or("")
    }
}

/// Headers offices write, per field; the first is the one the app writes itself.
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &[
            "姓名",
            "居民姓名",
            "人员姓名",
            "名字",
            "成员姓名",
            "家庭成员姓名",
        ],
    ),
    (Field::Gender, &["性别"]),
    (
        Field::IdNumber,
        &[
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "公民身份证号码",
            "居民身份证号码",
            "身份证件号码",
            "身份证",
            "证件号码",
            "证件号",
            "身份号码",
        ],
    ),
    (
        Field::BirthDate,
        &["出生日期", "出生年月", "出生年月日", "生日", "出生时间"],
    ),
    (
        Field::Phone,
        &[
            "联系电话",
            "联系方式",
            "手机号",
            "手机号码",
            "电话",
            "电话号码",
            "手机",
            "移动电话",
            "联系号码",
            "本人电话",
        ],
    ),
    (
        Field::Building,
        &[
            "楼栋",
            "楼号",
            "楼栋号",
            "栋号",
            "楼幢",
            "幢号",
            "栋",
            "幢",
            "所在楼栋",
        ],
    ),
    (Field::Unit, &["单元", "单元号"]),
    (
        Field::Room,
        &["门牌号", "房号", "房间号", "门牌", "室号", "房屋号"],
    ),
    (
        Field::Address,
        &[
            "住址",
            "地址",
            "家庭住址",
            "现住址",
            "居住地址",
            "现居住地址",
            "详细地址",
            "房屋地址",
            "居住地",
        ],
    ),
    (
        Field::Grid,
        &["所属网格", "网格", "网格名称", "所在网格", "网格名"],
    ),
    (
        Field::Tags,
        &[
            "标签",
            "人员类别",
            "人员类型",
            "人群类别",
            "重点人群",
            "特殊人群",
            "人员标签",
            "重点人员类别",
            "类别",
        ],
    ),
    (Field::Relation, &["与户主关系", "户主关系", "关系"]),
    (Field::Note, &["备注", "说明"]),
    (Field::Politics, &["政治面貌", "政治身份"]),
];

/// A header as written, reduced for matching: no spaces or line breaks, no required-field
/// marks (*), no remarks in brackets ("出生日期（年月日）"), no trailing colon.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in h.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            c if c.is_whitespace() || c == '\u{3000}' => {}
            '*' | '＊' | ':' | '：' | '★' => {}
            c => out.push(c),
        }
    }
    out
}

/// The field a header names, if any: an exact synonym, or else the longest synonym (two
/// characters or more) the header contains ("户籍所在地址" → address).
pub fn guess_field(header: &str) -> Option<Field> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    exact_field(&h).or_else(|| contained_field(&h))
}

fn exact_field(h: &str) -> Option<Field> {
    SYNONYMS
        .iter()
        .find(|(_, s)| s.contains(&h))
        .map(|(f, _)| *f)
}

fn contained_field(h: &str) -> Option<Field> {
    // Numbering and age columns mention no field but contain synonyms' characters.
    if ["序号", "编号", "年龄", "户主姓名", "户主身份证"]
        .iter()
        .any(|x| h.contains(x))
    {
        return None;
    }
    let mut best: Option<(usize, Field)> = None;
    for (f, syns) in SYNONYMS {
        for s in *syns {
            let n = s.chars().count();
            if n >= 2 && h.contains(s) && best.is_none_or(|(m, _)| n > m) {
                best = Some((n, *f));
            }
        }
    }
    best.map(|(_, f)| f)
}

/// A mapping from header texts: exact matches first, then the contained ones; each field goes
/// to one column only (the first that names it).
pub fn guess_mapping(headers: &[String]) -> Vec<Option<Field>> {
    let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let mut out: Vec<Option<Field>> = vec![None; headers.len()];
    let mut taken: Vec<Field> = Vec::new();
    for pass in 0..2 {
        for (i, h) in norm.iter().enumerate() {
            if out[i].is_some() || h.is_empty() {
                continue;
            }
            let f = if pass == 0 {
                exact_field(h)
            } else {
                contained_field(h)
            };
            if let Some(f) = f.filter(|f| !taken.contains(f)) {
                out[i] = Some(f);
                taken.push(f);
            }
        }
    }
    // A whole-address column is not needed when building and room have their own.
    if taken.contains(&Field::Building) && taken.contains(&Field::Room) {
        for m in out.iter_mut() {
            if *m == Some(Field::Address) {
                *m = None;
            }
        }
    }
    out
}

/// The header row: among the first rows, the one naming the most distinct fields (a title
/// row such as "XX社区居民信息台账" above it names none). `None` when no row names two.
pub fn find_header_row(rows: &[Vec<Cell>]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in rows.iter().take(30).enumerate() {
        let texts: Vec<String> = row.iter().map(Cell::as_text).collect();
        let n = guess_mapping(&texts).iter().flatten().count();
        if n >= 2 && best.is_none_or(|(m, _)| n > m) {
            best = Some((n, i));
        }
    }
    let (n, at) = best?;
    // A two-row header ("住址" over "楼栋 | 单元 | 门牌号"): the lower row, read with the
    // cells above its empty ones, names more fields.
    if at + 1 < rows.len() {
        let below = guess_mapping(&header_texts(rows, at + 1))
            .iter()
            .flatten()
            .count();
        if below > n {
            return Some(at + 1);
        }
    }
    Some(at)
}

/// The header texts of row `at`; an empty header cell takes the text above it (a two-row
/// header: "住址" over "楼栋 | 单元 | 房号" reads as the lower row, "姓名" spanning both
/// as itself).
pub fn header_texts(rows: &[Vec<Cell>], at: usize) -> Vec<String> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..width)
        .map(|c| {
            let here = rows
                .get(at)
                .and_then(|r| r.get(c))
                .map(Cell::as_text)
                .unwrap_or_default();
            if !here.is_empty() || at == 0 {
                return here;
            }
            rows.get(at - 1)
                .and_then(|r| r.get(c))
                .map(Cell::as_text)
                .unwrap_or_default()
        })
        .collect()
}

/// Why a row cannot be imported: the field at fault and a problem code (`problem.*` and
/// `ledger.reason_*` texts), with an argument for some (the line a duplicate repeats).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub field: &'static str,
    pub code: &'static str,
    pub arg: String,
}

fn reason(field: &'static str, code: &'static str) -> Reason {
    Reason {
        field,
        code,
        arg: String::new(),
    }
}

/// Reason codes besides the resident form's problem codes.
pub mod code {
    /// The ID number was stored as a number: Excel keeps 15 digits, the rest are lost.
    pub const ID_LOST: &str = "id_number_lost";
    /// A masked ID number (4101**********1234), as a masked export writes it.
    pub const ID_MASKED: &str = "id_number_masked";
    /// The same ID number on an earlier row of the file (arg: that row).
    pub const DUPLICATE_IN_FILE: &str = "duplicate_in_file";
    pub const GRID_UNKNOWN: &str = "grid_unknown";
    pub const GRID_AMBIGUOUS: &str = "grid_ambiguous";
    pub const GRID_REQUIRED: &str = "grid_required";
    pub const ADDRESS_UNPARSED: &str = "address_unparsed";
    pub const TAG_TOO_LONG: &str = "tag_too_long";
}

/// A row's values, read and normalised but not yet checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowValues {
    pub name: String,
    pub gender: String,
    pub id_number: String,
    pub birth_date: String,
    pub phone: String,
    pub building: String,
    pub unit: String,
    pub room: String,
    pub grid: String,
    pub tags: Vec<String>,
    pub relation: String,
    pub note: String,
}

fn fold_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c) || c == '·' || c == '•'
}

/// A name with the alignment spaces offices put in two-character names ("张　三") removed.
pub fn normalize_name(s: &str) -> String {
    let s = clean(s);
    if s.chars().any(is_cjk) {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
            .collect()
    } else {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// "男", "男性", "M" → M; "女", "女性", "F" → F; anything else stays as written (and fails).
pub fn normalize_gender(s: &str) -> String {
    match clean(s).to_lowercase().as_str() {
        "男" | "男性" | "m" | "male" => "M".into(),
        "女" | "女性" | "f" | "female" => "F".into(),
        other => other.to_string(),
    }
}

/// A birth date cell as YYYY-MM-DD when it can be read: an Excel date, a number such as
/// 19560302, or text ("1956.3.2", "1956年3月2日", "1956/03/02", "1956-03-02 00:00:00").
/// Text that cannot be read comes back as written (and fails validation).
pub fn normalize_date(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Date(d) => excel_date(*d).map(|d| d.to_string()).unwrap_or_default(),
        Cell::Number(n) => {
            let t = number_text(*n);
            if t.len() == 8 {
                return Date::parse(&t).map(|d| d.to_string()).unwrap_or(t);
            }
            // A date cell without a date format: its serial.
            match excel_date(*n) {
                Some(d) if (1900..=2100).contains(&d.year) => d.to_string(),
                _ => t,
            }
        }
        Cell::Text(s) => {
            let s = fold_digits(&clean(s));
            let first = s.split_whitespace().next().unwrap_or("").to_string();
            let t: String = first.replace(['年', '月'], "-").replace(['日', '号'], "");
            Date::parse(&t).map(|d| d.to_string()).unwrap_or(s)
        }
    }
}

/// An ID number cell: text with spaces and a leading apostrophe removed; a number (which
/// Excel stores with 15 significant digits, so an 18-digit number has lost its last digits)
/// or text in scientific notation is refused.
pub fn read_id_number(cell: &Cell) -> Result<String, Reason> {
    match cell {
        Cell::Empty => Ok(String::new()),
        Cell::Number(n) if n.abs() >= 1e15 => Err(reason("id_number", code::ID_LOST)),
        Cell::Number(n) => Ok(number_text(*n)),
        Cell::Date(_) => Err(reason("id_number", FieldProblem::IdFormat.code())),
        Cell::Text(s) => {
            let t: String = fold_digits(&clean(s))
                .replace(['Ｘ', 'ｘ'], "X")
                .trim_start_matches(['\'', '‘', '`'])
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '-')
                .collect();
            if t.contains(['*', '＊']) {
                return Err(reason("id_number", code::ID_MASKED));
            }
            let upper = t.to_uppercase();
            if upper.contains("E+") && upper.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                return Err(reason("id_number", code::ID_LOST));
            }
            Ok(t)
        }
    }
}

/// A phone cell: a number as its digits; of several numbers ("138…/0371-…") the first;
/// "无", "暂无", a dash: none.
pub fn read_phone(cell: &Cell) -> String {
    let t = fold_digits(&cell.as_text());
    if is_none_mark(&t) {
        return String::new();
    }
    t.split(['/', '、', ',', '，', ';', '；', '\n'])
        .map(clean)
        .find(|p| !p.is_empty())
        .unwrap_or_default()
}

/// Tags from a cell: split on 、,，;；/ and spaces; "无" and dashes mean none.
pub fn split_tags(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in s.split(|c: char| {
        matches!(c, '、' | ',' | '，' | ';' | '；' | '/' | '|')
            || c.is_whitespace()
            || c == '\u{3000}'
    }) {
        let t = clean(t);
        if t.is_empty() || matches!(t.as_str(), "无" | "-" | "—" | "－" | "/") {
            continue;
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// A building as written, with a bare number made "N号楼" ("3" → "3号楼", "3#" → "3号楼").
pub fn normalize_building(s: &str) -> String {
    let s = fold_digits(&clean(s));
    let digits = s.trim_end_matches(['#', '＃', '号']);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return format!("{digits}号楼");
    }
    s
}

/// A unit as written, with a bare number made "N单元".
pub fn normalize_unit(s: &str) -> String {
    let s = fold_digits(&clean(s));
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return format!("{s}单元");
    }
    s
}

/// A room as written, without a trailing 室 or 号 ("501室" → "501").
pub fn normalize_room(s: &str) -> String {
    let s = fold_digits(&clean(s));
    let t = s.trim_end_matches(['室', '号', '户']);
    if t.is_empty() {
        s
    } else {
        t.to_string()
    }
}

/// Splits an address written in one column into building, unit and room: "3号楼2单元501",
/// "幸福里3栋2单元501室", "3#2-501", "3-2-501", "5号楼302". `None` when no building and
/// room can be told apart.
pub fn split_address(s: &str) -> Option<(String, String, String)> {
    let s: String = fold_digits(&clean(s))
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '－' | '—' | '–' => '-',
            '＃' => '#',
            c => c,
        })
        .collect();
    if s.is_empty() {
        return None;
    }
    let parts: Vec<&str> = s.split('-').collect();
    let all_digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    if parts.iter().all(|p| all_digits(p)) {
        return match parts.as_slice() {
            [b, u, r] => Some((format!("{b}号楼"), format!("{u}单元"), r.to_string())),
            [b, r] => Some((format!("{b}号楼"), String::new(), r.to_string())),
            _ => None,
        };
    }
    // The building: the last run of digits followed by a building mark.
    let chars: Vec<char> = s.chars().collect();
    let marks: [&str; 5] = ["号楼", "栋", "幢", "#楼", "#"];
    let mut found: Option<(usize, usize, &str)> = None; // digits start, mark end, mark
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let rest: String = chars[i..].iter().collect();
            if let Some(m) = marks.iter().find(|m| rest.starts_with(**m)) {
                found = Some((start, i + m.chars().count(), m));
                break;
            }
        } else {
            i += 1;
        }
    }
    let (start, end, mark) = found?;
    let digits: String = chars[start..end - mark.chars().count()].iter().collect();
    let building = if matches!(mark, "#" | "#楼") {
        format!("{digits}号楼")
    } else {
        format!("{digits}{mark}")
    };
    let mut rest: String = chars[end..].iter().collect();
    let mut unit = String::new();
    // A unit: digits and 单元 (or 门), or digits and a dash.
    let lead: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if !lead.is_empty() {
        let after = &rest[lead.len()..];
        if let Some(r) = after
            .strip_prefix("单元")
            .or_else(|| after.strip_prefix("门"))
        {
            unit = format!("{lead}单元");
            rest = r.to_string();
        } else if let Some(r) = after.strip_prefix('-') {
            unit = format!("{lead}单元");
            rest = r.to_string();
        }
    }
    let room = normalize_room(rest.trim_start_matches('-'));
    if room.is_empty() {
        return None;
    }
    Some((building, unit, room))
}

/// The columns a mapping reads, by field.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    columns: HashMap<Field, usize>,
}

impl Mapping {
    /// From one field (or none) per column; a field named twice keeps its first column.
    pub fn new(per_column: &[Option<Field>]) -> Mapping {
        let mut columns = HashMap::new();
        for (i, f) in per_column.iter().enumerate() {
            if let Some(f) = f {
                columns.entry(*f).or_insert(i);
            }
        }
        Mapping { columns }
    }

    pub fn column(&self, f: Field) -> Option<usize> {
        self.columns.get(&f).copied()
    }

    pub fn has(&self, f: Field) -> bool {
        self.columns.contains_key(&f)
    }

    fn cell<'a>(&self, row: &'a [Cell], f: Field) -> &'a Cell {
        static EMPTY: Cell = Cell::Empty;
        self.column(f).and_then(|c| row.get(c)).unwrap_or(&EMPTY)
    }

    /// Any mapped cell with a value?
    pub fn is_blank(&self, row: &[Cell]) -> bool {
        self.columns
            .values()
            .all(|c| row.get(*c).is_none_or(Cell::is_blank))
    }
}

/// A row that is no resident: blank in every mapped column, a repeated header (some ledgers
/// repeat it on every printed page), or a footer ("合计：120人", "填表人：…").
pub fn is_filler(mapping: &Mapping, row: &[Cell], headers: &[String]) -> bool {
    if mapping.is_blank(row) {
        return true;
    }
    let filled: Vec<String> = row
        .iter()
        .filter(|c| !c.is_blank())
        .map(Cell::as_text)
        .collect();
    // Every filled cell a signature or a total: "填表人：王芳 … 审核人：李强".
    let footer = [
        "合计",
        "总计",
        "小计",
        "填表",
        "制表",
        "审核",
        "统计",
        "负责人",
        "填报",
    ];
    if !filled.is_empty()
        && filled
            .iter()
            .all(|t| footer.iter().any(|p| t.starts_with(p)))
    {
        return true;
    }
    let same_as_header = row
        .iter()
        .zip(headers)
        .filter(|(c, h)| !h.is_empty() && c.as_text() == **h)
        .count();
    same_as_header >= 2
}

/// A cell that says "nothing here": 无, 暂无, 空, a dash or slash.
fn is_none_mark(s: &str) -> bool {
    matches!(
        clean(s).as_str(),
        "无" | "暂无" | "空" | "没有" | "无电话" | "-" | "—" | "－" | "/" | "／" | "--"
    )
}

/// A birth date written without its day ("1958.04", "1942年7月", "195804", "1958"): year and
/// month (if given).
pub fn partial_date(s: &str) -> Option<(i32, Option<u32>)> {
    let s = fold_digits(&clean(s));
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m) = match parts.as_slice() {
        [one] if one.len() == 6 => (one[..4].parse().ok()?, Some(one[4..].parse().ok()?)),
        [one] if one.len() == 4 => (one.parse().ok()?, None),
        [y, m] if y.len() == 4 && m.len() <= 2 => (y.parse().ok()?, Some(m.parse().ok()?)),
        _ => return None,
    };
    ((1850..=2100).contains(&y) && m.is_none_or(|m| (1..=12).contains(&m))).then_some((y, m))
}

fn is_ditto(s: &str) -> bool {
    matches!(s, "同上" | "〃" | "\"" | "”" | "“" | "''")
}

/// Reads a row's mapped cells. "同上" and "〃" take the previous row's value of the column.
pub fn read_row(
    mapping: &Mapping,
    row: &[Cell],
    prev: Option<&RowValues>,
) -> Result<RowValues, Vec<Reason>> {
    let mut v = RowValues::default();
    let mut reasons = Vec::new();
    let text = |f: Field| mapping.cell(row, f).as_text();
    let ditto = |f: Field, value: String, pick: fn(&RowValues) -> &String| -> String {
        if is_ditto(&text(f)) {
            prev.map(|p| pick(p).clone()).unwrap_or_default()
        } else {
            value
        }
    };
    v.name = normalize_name(&text(Field::Name));
    v.gender = normalize_gender(&text(Field::Gender));
    match read_id_number(mapping.cell(row, Field::IdNumber)) {
        Ok(id) => v.id_number = id,
        Err(r) => reasons.push(r),
    }
    v.birth_date = normalize_date(mapping.cell(row, Field::BirthDate));
    v.phone = ditto(
        Field::Phone,
        read_phone(mapping.cell(row, Field::Phone)),
        |p| &p.phone,
    );
    v.grid = ditto(Field::Grid, text(Field::Grid), |p| &p.grid);
    v.relation = text(Field::Relation);
    v.note = text(Field::Note);
    v.tags = split_tags(&text(Field::Tags));
    let politics = text(Field::Politics);
    if politics.contains("党员") && !politics.contains("非") && !v.tags.iter().any(|t| t == "党员")
    {
        v.tags.push("党员".into());
    }
    let address = text(Field::Address);
    if mapping.has(Field::Building) || mapping.has(Field::Room) || address.is_empty() {
        v.building = ditto(
            Field::Building,
            normalize_building(&text(Field::Building)),
            |p| &p.building,
        );
        v.unit = ditto(Field::Unit, normalize_unit(&text(Field::Unit)), |p| &p.unit);
        v.room = ditto(Field::Room, normalize_room(&text(Field::Room)), |p| &p.room);
    } else if is_ditto(&address) {
        if let Some(p) = prev {
            (v.building, v.unit, v.room) = (p.building.clone(), p.unit.clone(), p.room.clone());
        }
    } else {
        match split_address(&address) {
            Some((b, u, r)) => (v.building, v.unit, v.room) = (b, u, r),
            None => reasons.push(reason("address", code::ADDRESS_UNPARSED)),
        }
    }
    for t in &v.tags {
        if t.chars().count() > 12 {
            reasons.push(Reason {
                field: "tags",
                code: code::TAG_TOO_LONG,
                arg: t.clone(),
            });
        }
    }
    if reasons.is_empty() {
        Ok(v)
    } else {
        Err(reasons)
    }
}

/// A grid as the import sees it.
#[derive(Debug, Clone)]
pub struct GridRef {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
}

/// A grid name reduced for a forgiving match: no 第, no spaces, Chinese numerals as digits
/// ("第一网格", "1网格", "一 网格" all read "1网格"; "第十二网格" "12网格").
pub fn loose_grid_name(s: &str) -> String {
    fn digit(c: char) -> Option<u32> {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
            .or_else(|| (c == '〇').then_some(0))
    }
    let s: String = fold_digits(&clean(s))
        .chars()
        .filter(|c| *c != '第' && !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && (digit(chars[i]).is_some() || chars[i] == '十') {
            i += 1;
        }
        if i == start {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = &chars[start..i];
        let value = match run.iter().position(|c| *c == '十') {
            // 十, 十二, 二十, 二十三
            Some(p) if run.iter().filter(|c| **c == '十').count() == 1 => {
                let tens = if p == 0 {
                    1
                } else {
                    run[..p].iter().filter_map(|c| digit(*c)).sum()
                };
                let ones: u32 = run[p + 1..].iter().filter_map(|c| digit(*c)).sum();
                Some(tens * 10 + ones)
            }
            Some(_) => None,
            // 一〇一: digit by digit
            None => run
                .iter()
                .try_fold(0u32, |n, c| digit(*c).map(|d| n * 10 + d)),
        };
        match value {
            Some(v) => out.push_str(&v.to_string()),
            None => out.extend(run),
        }
    }
    out
}

/// Finds grids by name or by a path of names ("第一网格/幸福里"); a name matches loosely
/// ("1网格" finds 第一网格) when no grid has it exactly.
pub struct GridIndex {
    grids: Vec<GridRef>,
    by_name: HashMap<String, Vec<usize>>,
    by_loose: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, usize>,
}

impl GridIndex {
    pub fn new(grids: Vec<GridRef>) -> GridIndex {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_loose: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_id = HashMap::new();
        for (i, g) in grids.iter().enumerate() {
            by_name.entry(clean(&g.name)).or_default().push(i);
            by_loose
                .entry(loose_grid_name(&g.name))
                .or_default()
                .push(i);
            by_id.insert(g.id.clone(), i);
        }
        GridIndex {
            grids,
            by_name,
            by_loose,
            by_id,
        }
    }

    fn ancestors(&self, i: usize) -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = self.grids[i].parent_id.as_deref();
        while let Some(p) = at.and_then(|p| self.by_id.get(p)) {
            out.push(self.grids[*p].name.as_str());
            at = self.grids[*p].parent_id.as_deref();
            if out.len() > 16 {
                break;
            }
        }
        out
    }

    /// The grid a cell names. A path's last part is the grid, the parts before it its
    /// ancestors (nearest last), which pick among grids of the same name.
    pub fn resolve(&self, text: &str) -> Result<&str, &'static str> {
        let parts: Vec<String> = text
            .split(['/', '／', '>', '＞', '\\', '、'])
            .map(clean)
            .filter(|p| !p.is_empty())
            .collect();
        let Some(last) = parts.last() else {
            return Err(code::GRID_REQUIRED);
        };
        let candidates = match self.by_name.get(last) {
            Some(c) => c.clone(),
            None => self
                .by_loose
                .get(&loose_grid_name(last))
                .cloned()
                .unwrap_or_default(),
        };
        let above = &parts[..parts.len() - 1];
        let same = |a: &str, x: &str| a == x || loose_grid_name(a) == loose_grid_name(x);
        let fits: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| {
                let anc = self.ancestors(i);
                // Each named ancestor appears, nearest first, in order.
                let mut it = anc.iter();
                above.iter().rev().all(|a| it.any(|x| same(a, x)))
            })
            .collect();
        match fits.as_slice() {
            [] => Err(code::GRID_UNKNOWN),
            [one] => Ok(&self.grids[*one].id),
            _ => Err(code::GRID_AMBIGUOUS),
        }
    }

    /// A grid's path below the community (the form `resolve` reads back).
    pub fn path(&self, id: &str) -> String {
        let Some(&i) = self.by_id.get(id) else {
            return String::new();
        };
        let mut names: Vec<&str> = self.ancestors(i);
        names.pop(); // the community itself
        names.reverse();
        names.push(&self.grids[i].name);
        names.join("/")
    }
}

/// What an import will do with one row.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    /// The row's number in the sheet (1-based, as the spreadsheet program shows it).
    pub line: u32,
    pub resident: ValidResident,
    pub grid_id: String,
    /// The grid came from the row (not the default grid): an update moves the resident.
    pub grid_from_row: bool,
    /// Building, unit, room, when the row gives an address.
    pub household: Option<(String, String, String)>,
    pub tags: Vec<String>,
    pub relation: String,
    pub note: String,
    /// The resident this row updates: the same ID number, or else the same name and birth
    /// date as a resident the ledger has no ID number for.
    pub existing: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub line: u32,
    /// Index of the row among the data rows given to [`plan`].
    pub index: usize,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub rows: Vec<PlannedRow>,
    pub rejected: Vec<Rejected>,
    /// Blank rows, repeated headers, footers.
    pub skipped: u32,
}

impl Plan {
    pub fn new_count(&self) -> usize {
        self.rows.iter().filter(|r| r.existing.is_none()).count()
    }
    pub fn update_count(&self) -> usize {
        self.rows.len() - self.new_count()
    }
}

/// Who is already in the ledger: by ID number, and by name and birth date for residents
/// without one.
pub trait Existing {
    fn by_id_number(&self, id_number: &str) -> Option<String>;
    fn by_name_birth(&self, name: &str, birth: &str) -> Option<String>;
}

impl Existing for (HashMap<String, String>, HashMap<(String, String), String>) {
    fn by_id_number(&self, id_number: &str) -> Option<String> {
        self.0.get(id_number).cloned()
    }
    fn by_name_birth(&self, name: &str, birth: &str) -> Option<String> {
        self.1.get(&(name.to_string(), birth.to_string())).cloned()
    }
}

pub struct PlanInput<'a> {
    /// Data rows (below the header), each with its line number in the sheet.
    pub rows: &'a [(u32, Vec<Cell>)],
    pub headers: &'a [String],
    pub mapping: &'a Mapping,
    pub grids: &'a GridIndex,
    /// For rows whose grid cell is empty (or when no column names the grid).
    pub default_grid: Option<&'a str>,
    pub today: Date,
}

/// Reads, checks and matches every row. Pure: nothing is written.
pub fn plan(input: &PlanInput, existing: &dyn Existing) -> Plan {
    let mut out = Plan::default();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut prev: Option<RowValues> = None;
    for (index, (line, row)) in input.rows.iter().enumerate() {
        if is_filler(input.mapping, row, input.headers) {
            out.skipped += 1;
            continue;
        }
        let reject = |reasons| Rejected {
            line: *line,
            index,
            reasons,
        };
        let v = match read_row(input.mapping, row, prev.as_ref()) {
            Ok(v) => v,
            Err(reasons) => {
                out.rejected.push(reject(reasons));
                continue;
            }
        };
        let mut reasons: Vec<Reason> = Vec::new();
        let grid_id = if v.grid.is_empty() {
            match input.default_grid {
                Some(g) => Some(g.to_string()),
                None => {
                    reasons.push(reason("grid", code::GRID_REQUIRED));
                    None
                }
            }
        } else {
            match input.grids.resolve(&v.grid) {
                Ok(id) => Some(id.to_string()),
                Err(c) => {
                    reasons.push(Reason {
                        field: "grid",
                        code: c,
                        arg: v.grid.clone(),
                    });
                    None
                }
            }
        };
        // A birth month without a day ("1958.04") agreeing with the ID number: the ID number
        // gives the day. One that disagrees is left to fail as a mismatch.
        let mut birth = v.birth_date.clone();
        if Date::parse(&birth).is_none() {
            if let (Some((y, m)), Ok(id)) =
                (partial_date(&birth), super::idcard::parse(&v.id_number))
            {
                birth = if id.birth.year == y && m.is_none_or(|m| m == id.birth.month) {
                    String::new()
                } else {
                    format!("{y:04}-{:02}-01", m.unwrap_or(1))
                };
            }
        }
        let draft = ResidentDraft {
            name: &v.name,
            gender: &v.gender,
            birth_date: &birth,
            id_number: &v.id_number,
            phone: &v.phone,
            grid_id: grid_id.as_deref().unwrap_or("-"),
        };
        let valid = match resident::validate(&draft, input.today) {
            Ok(r) => Some(r),
            Err(p) => {
                // A bad ID number is the reason; the birth date and gender it would have
                // given are not missing on top of it.
                let id_bad = p.iter().any(|(f, _)| *f == "id_number");
                reasons.extend(
                    p.into_iter()
                        .filter(|(f, c)| {
                            !(id_bad
                                && *c == FieldProblem::Required
                                && matches!(*f, "birth_date" | "gender"))
                        })
                        .map(|(f, c)| reason(f, c.code())),
                );
                None
            }
        };
        let has_address = !(v.building.is_empty() && v.unit.is_empty() && v.room.is_empty());
        if has_address {
            for (f, c) in resident::validate_household(&v.building, &v.unit, &v.room, "-") {
                reasons.push(reason(f, c.code()));
            }
        }
        if let Some(idn) = valid.as_ref().and_then(|r| r.id_number.as_ref()) {
            if let Some(first) = seen.get(idn) {
                reasons.push(Reason {
                    field: "id_number",
                    code: code::DUPLICATE_IN_FILE,
                    arg: first.to_string(),
                });
            } else if reasons.is_empty() {
                seen.insert(idn.clone(), *line);
            }
        }
        prev = Some(v.clone());
        let (Some(resident), Some(grid_id), true) = (valid, grid_id, reasons.is_empty()) else {
            out.rejected.push(reject(reasons));
            continue;
        };
        let existing = resident
            .id_number
            .as_deref()
            .and_then(|idn| existing.by_id_number(idn))
            .or_else(|| existing.by_name_birth(&resident.name, &resident.birth_date.to_string()));
        out.rows.push(PlannedRow {
            line: *line,
            grid_id,
            grid_from_row: !v.grid.is_empty(),
            household: has_address.then_some((v.building, v.unit, v.room)),
            tags: v.tags,
            relation: v.relation,
            note: v.note,
            existing,
            resident,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::text(s)
    }

    fn h(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_offices_write_are_recognised() {
        for (header, want) in [
            ("姓名", Some(Field::Name)),
            (" 姓  名 ", Some(Field::Name)),
            ("*姓名", Some(Field::Name)),
            ("性别", Some(Field::Gender)),
            ("身份证号", Some(Field::IdNumber)),
            ("身份证号码", Some(Field::IdNumber)),
            ("公民身份号码", Some(Field::IdNumber)),
            ("身份证号码（18位）", Some(Field::IdNumber)),
            ("出生日期", Some(Field::BirthDate)),
            ("出生年月", Some(Field::BirthDate)),
            ("联系电话", Some(Field::Phone)),
            ("联系方式", Some(Field::Phone)),
            ("手机号", Some(Field::Phone)),
            ("手机号码", Some(Field::Phone)),
            ("联系电话\n(手机)", Some(Field::Phone)),
            ("楼栋", Some(Field::Building)),
            ("楼号", Some(Field::Building)),
            ("单元", Some(Field::Unit)),
            ("门牌号", Some(Field::Room)),
            ("房号", Some(Field::Room)),
            ("住址", Some(Field::Address)),
            ("现居住地址", Some(Field::Address)),
            ("所属网格", Some(Field::Grid)),
            ("网格", Some(Field::Grid)),
            ("标签", Some(Field::Tags)),
            ("人员类别", Some(Field::Tags)),
            ("重点人群类别", Some(Field::Tags)),
            ("备注", Some(Field::Note)),
            ("与户主关系", Some(Field::Relation)),
            ("序号", None),
            ("年龄", None),
            ("民族", None),
            ("政治面貌", Some(Field::Politics)),
            ("户主姓名", None),
            ("", None),
        ] {
            assert_eq!(guess_field(header), want, "{header:?}");
        }
    }

    #[test]
    fn a_mapping_gives_each_field_one_column() {
        let m = guess_mapping(&h(&[
            "序号",
            "姓名",
            "身份证号码",
            "手机号",
            "联系电话",
            "住址",
            "备注",
        ]));
        assert_eq!(
            m,
            vec![
                None,
                Some(Field::Name),
                Some(Field::IdNumber),
                Some(Field::Phone),
                None,
                Some(Field::Address),
                Some(Field::Note)
            ]
        );
        // With building and room columns, a whole-address column is left out.
        let m = guess_mapping(&h(&["姓名", "家庭住址", "楼栋", "单元", "房号"]));
        assert_eq!(m[1], None);
        assert_eq!(m[2], Some(Field::Building));
    }

    #[test]
    fn the_header_row_is_found_below_a_title() {
        let rows = vec![
            vec![
                t("永安社区居民信息台账"),
                t("永安社区居民信息台账"),
                Cell::Empty,
            ],
            vec![t("填报单位：永安社区"), Cell::Empty, Cell::Empty],
            vec![t("序号"), t("姓名"), t("公民身份号码")],
            vec![Cell::Number(1.0), t("张三"), t("11010519491231002X")],
        ];
        assert_eq!(find_header_row(&rows), Some(2));
        assert_eq!(find_header_row(&rows[3..]), None);
    }

    #[test]
    fn a_two_row_header_reads_the_lower_row() {
        let rows = vec![
            vec![t("姓名"), t("住址"), t("住址"), t("住址")],
            vec![Cell::Empty, t("楼栋"), t("单元"), t("门牌号")],
        ];
        assert_eq!(find_header_row(&rows), Some(1));
        assert_eq!(
            header_texts(&rows, 1),
            h(&["姓名", "楼栋", "单元", "门牌号"])
        );
    }

    #[test]
    fn grid_names_match_loosely_when_nothing_matches_exactly() {
        assert_eq!(loose_grid_name("第一网格"), "1网格");
        assert_eq!(loose_grid_name(" 1 网格"), "1网格");
        assert_eq!(loose_grid_name("第十二网格"), "12网格");
        assert_eq!(loose_grid_name("二十网格"), "20网格");
        assert_eq!(loose_grid_name("幸福里"), "幸福里");
        let g = |id: &str, parent: Option<&str>, name: &str| GridRef {
            id: id.into(),
            parent_id: parent.map(str::to_string),
            name: name.into(),
        };
        let idx = GridIndex::new(vec![
            g("c", None, "永安社区"),
            g("a", Some("c"), "第一网格"),
            g("b", Some("c"), "第二网格"),
            g("y", Some("a"), "幸福里"),
        ]);
        assert_eq!(idx.resolve("1网格"), Ok("a"));
        assert_eq!(idx.resolve("一网格/幸福里"), Ok("y"));
        assert_eq!(idx.resolve("第三网格"), Err(code::GRID_UNKNOWN));
    }

    #[test]
    fn party_members_by_political_status() {
        let m = Mapping::new(&[Some(Field::Name), Some(Field::Politics), Some(Field::Tags)]);
        let row = |p: &str, t: &str| {
            read_row(
                &m,
                &[Cell::text("张三"), Cell::text(p), Cell::text(t)],
                None,
            )
            .unwrap()
            .tags
        };
        assert_eq!(row("中共党员", "独居老人"), ["独居老人", "党员"]);
        assert_eq!(row("中共预备党员", ""), ["党员"]);
        assert_eq!(row("群众", ""), Vec::<String>::new());
        assert_eq!(row("中共党员", "党员"), ["党员"]);
        assert_eq!(guess_field("政治面貌"), Some(Field::Politics));
    }

    #[test]
    fn partial_birth_dates_and_none_marks() {
        assert_eq!(partial_date("1958.04"), Some((1958, Some(4))));
        assert_eq!(partial_date("1942年7月"), Some((1942, Some(7))));
        assert_eq!(partial_date("195804"), Some((1958, Some(4))));
        assert_eq!(partial_date("1958"), Some((1958, None)));
        assert_eq!(partial_date("1958.13"), None);
        assert_eq!(partial_date("1958.4.2"), None);
        assert_eq!(read_phone(&Cell::text("无")), "");
        assert_eq!(read_phone(&Cell::text(" 暂无 ")), "");
        assert_eq!(
            read_phone(&Cell::text("１３８００００００００")),
            "13800000000"
        );
        assert_eq!(
            read_id_number(&Cell::text("４１０１０５１９４９１２３１００２Ｘ")),
            Ok("41010519491231002X".into())
        );
    }

    #[test]
    fn dates_as_offices_type_them() {
        for (cell, want) in [
            (Cell::Date(20516.0), "1956-03-02"),
            (Cell::Number(20516.0), "1956-03-02"),
            (Cell::Number(19560302.0), "1956-03-02"),
            (t("1956.3.2"), "1956-03-02"),
            (t("1956年3月2日"), "1956-03-02"),
            (t("1956/03/02"), "1956-03-02"),
            (t("1956-3-2 00:00:00"), "1956-03-02"),
            (t(" 19560302 "), "1956-03-02"),
            (t("１９５６年３月２日"), "1956-03-02"),
            (t("1956.3"), "1956.3"),
            (Cell::Empty, ""),
        ] {
            assert_eq!(normalize_date(&cell), want, "{cell:?}");
        }
        assert_eq!(excel_date(1.0), Date::new(1900, 1, 1));
        assert_eq!(excel_date(60.0), Date::new(1900, 2, 28)); // Excel's phantom 02-29 is 60
        assert_eq!(excel_date(61.0), Date::new(1900, 3, 1));
        assert_eq!(excel_date(25569.0), Date::new(1970, 1, 1));
    }

    #[test]
    fn id_numbers_stored_as_numbers_are_refused() {
        let lost = Err(reason("id_number", code::ID_LOST));
        assert_eq!(read_id_number(&Cell::Number(110105194912310000.0)), lost);
        assert_eq!(read_id_number(&t("1.10105E+17")), lost);
        assert_eq!(
            read_id_number(&t("'11010519491231002X ")),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            read_id_number(&t("110105 19491231 002X")),
            Ok("11010519491231002X".into())
        );
    }

    #[test]
    fn addresses_in_one_column() {
        let a = |s: &str| split_address(s);
        let w = |b: &str, u: &str, r: &str| Some((b.to_string(), u.to_string(), r.to_string()));
        assert_eq!(a("3号楼2单元501"), w("3号楼", "2单元", "501"));
        assert_eq!(a("幸福里小区3栋2单元501室"), w("3栋", "2单元", "501"));
        assert_eq!(a("3#2-501"), w("3号楼", "2单元", "501"));
        assert_eq!(a("3-2-501"), w("3号楼", "2单元", "501"));
        assert_eq!(a("5号楼302"), w("5号楼", "", "302"));
        assert_eq!(a("１２号楼１单元１０１"), w("12号楼", "1单元", "101"));
        assert_eq!(a("幸福街"), None);
        assert_eq!(a("3号楼"), None);
        assert_eq!(normalize_building("3"), "3号楼");
        assert_eq!(normalize_building("3#"), "3号楼");
        assert_eq!(normalize_building("3栋"), "3栋");
        assert_eq!(normalize_unit("2"), "2单元");
        assert_eq!(normalize_room("501室"), "501");
    }

    #[test]
    fn names_tags_genders_phones() {
        assert_eq!(normalize_name("张　三 "), "张三");
        assert_eq!(normalize_name("买买提·艾力"), "买买提·艾力");
        assert_eq!(normalize_name(" Anna  Li "), "Anna Li");
        assert_eq!(normalize_gender("男性"), "M");
        assert_eq!(normalize_gender(" 女 "), "F");
        assert_eq!(
            split_tags("独居老人、残疾人，低保户; 独居老人"),
            vec!["独居老人", "残疾人", "低保户"]
        );
        assert!(split_tags("无").is_empty());
        assert_eq!(read_phone(&t("13800138000/0371-67890123")), "13800138000");
        assert_eq!(read_phone(&Cell::Number(13800138000.0)), "13800138000");
    }

    fn grids() -> GridIndex {
        let g = |id: &str, parent: Option<&str>, name: &str| GridRef {
            id: id.into(),
            parent_id: parent.map(str::to_string),
            name: name.into(),
        };
        GridIndex::new(vec![
            g("root", None, "永安社区"),
            g("g1", Some("root"), "第一网格"),
            g("g2", Some("root"), "第二网格"),
            g("m1", Some("g1"), "幸福里"),
            g("m2", Some("g2"), "幸福里"),
            g("m3", Some("g2"), "光明院"),
        ])
    }

    #[test]
    fn grids_by_name_or_path() {
        let g = grids();
        assert_eq!(g.resolve("第一网格"), Ok("g1"));
        assert_eq!(g.resolve(" 光明院 "), Ok("m3"));
        assert_eq!(g.resolve("幸福里"), Err(code::GRID_AMBIGUOUS));
        assert_eq!(g.resolve("第二网格/幸福里"), Ok("m2"));
        assert_eq!(g.resolve("永安社区/第一网格/幸福里"), Ok("m1"));
        assert_eq!(g.resolve("第三网格"), Err(code::GRID_UNKNOWN));
        assert_eq!(g.resolve("第一网格/光明院"), Err(code::GRID_UNKNOWN));
        assert_eq!(g.path("m2"), "第二网格/幸福里");
        assert_eq!(g.resolve(&g.path("m2")), Ok("m2"));
    }

    type Ex = (HashMap<String, String>, HashMap<(String, String), String>);

    fn run(rows: Vec<Vec<Cell>>, headers: &[&str], existing: &Ex) -> Plan {
        let headers = h(headers);
        let mapping = Mapping::new(&guess_mapping(&headers));
        let rows: Vec<(u32, Vec<Cell>)> = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as u32 + 2, r))
            .collect();
        let g = grids();
        plan(
            &PlanInput {
                rows: &rows,
                headers: &headers,
                mapping: &mapping,
                grids: &g,
                default_grid: None,
                today: Date::new(2026, 11, 25).unwrap(),
            },
            existing,
        )
    }

    #[test]
    fn a_plan_sorts_rows_into_new_update_and_rejected() {
        let mut ex: Ex = Default::default();
        ex.0.insert("110101199003074477".into(), "r-old".into());
        let p = run(
            vec![
                // Gender and birth date come from the ID number.
                vec![
                    t("张秀英"),
                    t("11010519491231002X"),
                    t("第一网格"),
                    t("3号楼2单元501"),
                ],
                vec![
                    t("王强"),
                    t("110101199003074477"),
                    t("第一网格"),
                    t("3-2-502"),
                ],
                vec![t("李四"), t("110101199003074478"), t("第一网格"), t("")],
                vec![
                    t("赵五"),
                    Cell::Number(110101199003074000.0),
                    t("第一网格"),
                    t(""),
                ],
                vec![t("钱六"), t("11010519491231002X"), t("第一网格"), t("")],
                vec![t("孙七"), t("440524188001010014"), t("第九网格"), t("")],
                vec![t("周八"), t("440524188001010014"), t("幸福里"), t("")],
                vec![Cell::Empty, Cell::Empty, t(""), Cell::Empty],
                vec![t("合计：7人"), Cell::Empty, Cell::Empty, Cell::Empty],
                vec![t("吴九"), t(""), t("第一网格"), t("同上")],
            ],
            &["姓名", "身份证号", "所属网格", "住址"],
            &ex,
        );
        assert_eq!(p.skipped, 2);
        let lines: Vec<u32> = p.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3]);
        assert_eq!(p.new_count(), 1);
        assert_eq!(p.rows[1].existing.as_deref(), Some("r-old"));
        assert_eq!(
            p.rows[0].household,
            Some(("3号楼".into(), "2单元".into(), "501".into()))
        );
        let why: Vec<(u32, Vec<&str>)> = p
            .rejected
            .iter()
            .map(|r| (r.line, r.reasons.iter().map(|x| x.code).collect()))
            .collect();
        assert_eq!(
            why,
            vec![
                (4, vec!["id_checksum"]),
                (5, vec![code::ID_LOST]),
                (6, vec![code::DUPLICATE_IN_FILE]),
                (7, vec![code::GRID_UNKNOWN]),
                (8, vec![code::GRID_AMBIGUOUS]),
                // No ID number: birth date and gender are needed.
                (11, vec!["required", "required"]),
            ]
        );
        assert_eq!(p.rejected[2].reasons[0].arg, "2");
    }

    #[test]
    fn a_resident_without_id_number_matches_by_name_and_birth() {
        let mut ex: Ex = Default::default();
        ex.1.insert(("王芳".into(), "1950-05-06".into()), "r-wf".into());
        let p = run(
            vec![vec![t("王芳"), t("女"), t("1950年5月6日"), t("光明院")]],
            &["姓名", "性别", "出生日期", "网格"],
            &ex,
        );
        assert_eq!(p.rows[0].existing.as_deref(), Some("r-wf"));
    }
}
