//! Resident ID numbers (居民身份证号码, GB 11643-1999): 6-digit region, 8-digit birth date,
//! 3-digit sequence whose last digit gives the gender (odd male, even female), and a check
//! character computed with ISO 7064 MOD 11-2.

use super::date::Date;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
        }
    }
    pub fn from_code(s: &str) -> Option<Gender> {
        match s {
            "M" | "男" => Some(Gender::Male),
            "F" | "女" => Some(Gender::Female),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdNumberError {
    /// Not 17 digits followed by a digit or X.
    Format,
    /// The birth date part is not a real date.
    BirthDate,
    /// The check character does not match.
    Checksum,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    pub normalized: String,
    pub birth: Date,
    pub gender: Gender,
}

/// The check character for the first 17 digits.
pub fn check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// Validates and normalizes (trim, upper-case X, full-width digits folded) an ID number.
pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'x' | 'Ｘ' | 'ｘ' => 'X',
            c => c,
        })
        .collect();
    let b = s.as_bytes();
    if b.len() != 18
        || !b[..17].iter().all(u8::is_ascii_digit)
        || !(b[17].is_ascii_digit() || b[17] == b'X')
    {
        return Err(IdNumberError::Format);
    }
    let birth = Date::parse(&s[6..14]).ok_or(IdNumberError::BirthDate)?;
    if check_char(&s[..17]) != Some(b[17] as char) {
        return Err(IdNumberError::Checksum);
    }
    let gender = if (b[16] - b'0') % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok(IdNumber {
        normalized: s,
        birth,
        gender,
    })
}

/// Builds a valid ID number (used by the sample generator).
pub fn make(region6: &str, birth: Date, seq3: u32, gender: Gender) -> String {
    let mut seq = seq3 % 1000;
    let odd = seq % 2 == 1;
    if odd != (gender == Gender::Male) {
        seq = if seq == 999 { 998 } else { seq + 1 };
    }
    let first17 = format!(
        "{}{:04}{:02}{:02}{:03}",
        region6, birth.year, birth.month, birth.day, seq
    );
    let c = check_char(&first17).unwrap_or('0');
    format!("{first17}{c}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<(&str, Gender), IdNumberError>) {
        let got = parse(input).map(|n| (n.birth.to_string(), n.gender));
        let want = expected.map(|(d, g)| (d.to_string(), g));
        assert_eq!(got, want, "{input}");
    }

    #[test]
    fn real_valid_and_invalid_numbers() {
        // The sample number printed in GB 11643-1999 itself.
        check("11010519491231002X", Ok(("1949-12-31", Gender::Female)));
        check("11010519491231002x", Ok(("1949-12-31", Gender::Female)));
        // Widely published specimen numbers.
        check("440524188001010014", Ok(("1880-01-01", Gender::Male)));
        check("110101199003074477", Ok(("1990-03-07", Gender::Male)));
        // One digit changed: the checksum catches it.
        check("110101199003074478", Err(IdNumberError::Checksum));
        check("11010519491231002Y", Err(IdNumberError::Format));
        check("1101051949123100", Err(IdNumberError::Format));
        check("110105194902300025", Err(IdNumberError::BirthDate));
        check("", Err(IdNumberError::Format));
        check(
            "１１０１０５１９４９１２３１００２Ｘ",
            Ok(("1949-12-31", Gender::Female)),
        );
    }

    #[test]
    fn made_numbers_are_valid_and_agree() {
        let b = Date::new(2001, 7, 9).unwrap();
        for seq in [0, 1, 998, 999, 500] {
            for g in [Gender::Male, Gender::Female] {
                let n = make("410103", b, seq, g);
                let p = parse(&n).unwrap();
                assert_eq!((p.birth, p.gender), (b, g), "{n}");
            }
        }
    }
}
