//! Resident and household field rules. Validation returns every problem at once, each tied to
//! the field at fault, so the form can show them next to the field.

use super::date::Date;
use super::idcard::{self, Gender, IdNumberError};

/// Why a field was refused. The UI turns codes into Chinese or English text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    Required,
    TooLong,
    IdFormat,
    IdBirthDate,
    IdChecksum,
    /// The ID number says one birth date, the form another.
    IdBirthMismatch,
    /// The ID number says one gender, the form another.
    IdGenderMismatch,
    DateFormat,
    DateInFuture,
    PhoneFormat,
    Digits,
    Duplicate,
    Unknown,
}

impl FieldProblem {
    pub fn code(self) -> &'static str {
        match self {
            FieldProblem::Required => "required",
            FieldProblem::TooLong => "too_long",
            FieldProblem::IdFormat => "id_format",
            FieldProblem::IdBirthDate => "id_birth_date",
            FieldProblem::IdChecksum => "id_checksum",
            FieldProblem::IdBirthMismatch => "id_birth_mismatch",
            FieldProblem::IdGenderMismatch => "id_gender_mismatch",
            FieldProblem::DateFormat => "date_format",
            FieldProblem::DateInFuture => "date_in_future",
            FieldProblem::PhoneFormat => "phone_format",
            FieldProblem::Digits => "digits",
            FieldProblem::Duplicate => "duplicate",
            FieldProblem::Unknown => "unknown",
        }
    }
}

pub type Problems = Vec<(&'static str, FieldProblem)>;

pub const NAME_MAX: usize = 30;

/// A resident as typed into a form or read from a ledger row (all text, untrusted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResidentDraft<'a> {
    pub name: &'a str,
    pub gender: &'a str,
    pub birth_date: &'a str,
    pub id_number: &'a str,
    pub phone: &'a str,
    pub grid_id: &'a str,
}

/// A draft that passed validation, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidResident {
    pub name: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

/// Checks a draft; `today` bounds the birth date. The ID number is optional (some residents'
/// numbers are unknown to the office), but when given it must be valid and agree with the
/// birth date and gender; when only the ID number is given, birth date and gender come from it.
pub fn validate(d: &ResidentDraft, today: Date) -> Result<ValidResident, Problems> {
    let mut p: Problems = Vec::new();
    let name = d.name.trim();
    if name.is_empty() {
        p.push(("name", FieldProblem::Required));
    } else if name.chars().count() > NAME_MAX {
        p.push(("name", FieldProblem::TooLong));
    }
    if d.grid_id.trim().is_empty() {
        p.push(("grid_id", FieldProblem::Required));
    }

    let id = if d.id_number.trim().is_empty() {
        None
    } else {
        match idcard::parse(d.id_number) {
            Ok(n) => Some(n),
            Err(e) => {
                p.push((
                    "id_number",
                    match e {
                        IdNumberError::Format => FieldProblem::IdFormat,
                        IdNumberError::BirthDate => FieldProblem::IdBirthDate,
                        IdNumberError::Checksum => FieldProblem::IdChecksum,
                    },
                ));
                None
            }
        }
    };

    let birth = if d.birth_date.trim().is_empty() {
        match &id {
            Some(n) => Some(n.birth),
            None => {
                p.push(("birth_date", FieldProblem::Required));
                None
            }
        }
    } else {
        match Date::parse(d.birth_date) {
            Some(b) if b > today => {
                p.push(("birth_date", FieldProblem::DateInFuture));
                None
            }
            Some(b) => Some(b),
            None => {
                p.push(("birth_date", FieldProblem::DateFormat));
                None
            }
        }
    };
    let gender = if d.gender.trim().is_empty() {
        match &id {
            Some(n) => Some(n.gender),
            None => {
                p.push(("gender", FieldProblem::Required));
                None
            }
        }
    } else {
        match Gender::from_code(d.gender.trim()) {
            Some(g) => Some(g),
            None => {
                p.push(("gender", FieldProblem::Unknown));
                None
            }
        }
    };
    if let Some(n) = &id {
        if let Some(b) = birth {
            if b != n.birth {
                p.push(("id_number", FieldProblem::IdBirthMismatch));
            }
        }
        if let Some(g) = gender {
            if g != n.gender {
                p.push(("id_number", FieldProblem::IdGenderMismatch));
            }
        }
    }
    let phone = if d.phone.trim().is_empty() {
        None
    } else {
        match normalize_phone(d.phone) {
            Some(ph) => Some(ph),
            None => {
                p.push(("phone", FieldProblem::PhoneFormat));
                None
            }
        }
    };

    match (birth, gender) {
        (Some(birth_date), Some(gender)) if p.is_empty() => Ok(ValidResident {
            name: name.to_string(),
            gender,
            birth_date,
            id_number: id.map(|n| n.normalized),
            phone,
        }),
        _ => Err(p),
    }
}

/// A mainland mobile number (11 digits starting 1[3-9], optional +86/86 prefix) or a landline
/// (7–8 digits, optional 0-prefixed area code, optional extension). Spaces and dashes in a
/// mobile number are dropped; a landline keeps one dash after the area code.
pub fn normalize_phone(input: &str) -> Option<String> {
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' => '-',
            c => c,
        })
        .collect();
    let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let mobile = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("86").filter(|r| r.len() == 11))
        .unwrap_or(&compact);
    let b = mobile.as_bytes();
    if b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
    {
        return Some(mobile.to_string());
    }
    // Landline: [0AAA[A]-]NNNNNNN[N][-EXT]
    let parts: Vec<&str> = s.split(['-', ' ']).filter(|x| !x.is_empty()).collect();
    let all_digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    if !parts.iter().all(|x| all_digits(x)) {
        return None;
    }
    let is_area = |x: &str| x.starts_with('0') && (3..=4).contains(&x.len());
    let is_local = |x: &str| (7..=8).contains(&x.len()) && !x.starts_with('0');
    let is_ext = |x: &str| (1..=6).contains(&x.len());
    match parts.as_slice() {
        [l] if is_local(l) => Some(l.to_string()),
        [a, l] if is_area(a) && is_local(l) => Some(format!("{a}-{l}")),
        [a, l, e] if is_area(a) && is_local(l) && is_ext(e) => Some(format!("{a}-{l}-{e}")),
        [x] if x.len() >= 10 && x.len() <= 12 && x.starts_with('0') => {
            // 037112345678: split a 3- or 4-digit area code by the local number length.
            let area = if x.len() == 12
                || (x.len() == 11 && x.as_bytes()[1] != b'1' && x.as_bytes()[1] != b'2')
            {
                4
            } else {
                3
            };
            let (a, l) = x.split_at(area);
            is_local(l).then(|| format!("{a}-{l}"))
        }
        _ => None,
    }
}

/// Household address inside a grid: building (楼栋), unit (单元), room (门牌/房号).
pub fn validate_household(building: &str, unit: &str, room: &str, grid_id: &str) -> Problems {
    let mut p = Vec::new();
    if building.trim().is_empty() {
        p.push(("building", FieldProblem::Required));
    }
    if room.trim().is_empty() {
        p.push(("room", FieldProblem::Required));
    }
    if grid_id.trim().is_empty() {
        p.push(("grid_id", FieldProblem::Required));
    }
    for (f, v) in [("building", building), ("unit", unit), ("room", room)] {
        if v.trim().chars().count() > 20 {
            p.push((f, FieldProblem::TooLong));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 24).unwrap()
    }

    fn draft<'a>(
        id: &'a str,
        birth: &'a str,
        gender: &'a str,
        phone: &'a str,
    ) -> ResidentDraft<'a> {
        ResidentDraft {
            name: "张秀英",
            gender,
            birth_date: birth,
            id_number: id,
            phone,
            grid_id: "g",
        }
    }

    fn problems(d: &ResidentDraft) -> Problems {
        validate(d, today()).err().unwrap_or_default()
    }

    #[test]
    fn a_consistent_resident_passes() {
        let v = validate(
            &draft("11010519491231002x", "1949-12-31", "F", "138 0013 8000"),
            today(),
        )
        .unwrap();
        assert_eq!(v.id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(v.phone.as_deref(), Some("13800138000"));
    }

    #[test]
    fn the_id_number_fills_birth_date_and_gender() {
        let v = validate(&draft("11010519491231002X", "", "", ""), today()).unwrap();
        assert_eq!(v.birth_date, Date::new(1949, 12, 31).unwrap());
        assert_eq!(v.gender, Gender::Female);
    }

    #[test]
    fn each_problem_names_its_field() {
        assert_eq!(
            problems(&draft("110105194912310021", "1949-12-31", "F", "")),
            vec![("id_number", FieldProblem::IdChecksum)]
        );
        assert_eq!(
            problems(&draft("11010519491231002X", "1950-01-01", "F", "")),
            vec![("id_number", FieldProblem::IdBirthMismatch)]
        );
        assert_eq!(
            problems(&draft("11010519491231002X", "1949-12-31", "M", "")),
            vec![("id_number", FieldProblem::IdGenderMismatch)]
        );
        assert_eq!(
            problems(&draft("", "2030-01-01", "M", "")),
            vec![("birth_date", FieldProblem::DateInFuture)]
        );
        assert_eq!(
            problems(&draft("", "1990-01-01", "M", "12345")),
            vec![("phone", FieldProblem::PhoneFormat)]
        );
        let empty = ResidentDraft::default();
        let fields: Vec<&str> = problems(&empty).iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["name", "grid_id", "birth_date", "gender"]);
    }

    #[test]
    fn phones() {
        for (input, want) in [
            ("13800138000", Some("13800138000")),
            ("+86 138-0013-8000", Some("13800138000")),
            ("8613800138000", Some("13800138000")),
            ("0371-67890123", Some("0371-67890123")),
            ("010-12345678-123", Some("010-12345678-123")),
            ("67890123", Some("67890123")),
            ("037167890123", Some("0371-67890123")),
            ("1380013800", None),
            ("12800138000", None),
            ("abc", None),
        ] {
            assert_eq!(normalize_phone(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn households_need_building_and_room() {
        assert_eq!(validate_household("3号楼", "", "101", "g"), vec![]);
        assert_eq!(
            validate_household("", "1", "", "g"),
            vec![
                ("building", FieldProblem::Required),
                ("room", FieldProblem::Required)
            ]
        );
    }
}
