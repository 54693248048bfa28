//! Calendar dates without a date crate: `YYYY-MM-DD` text, days since 1970-01-01, and back.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD`).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        // The stored form, YYYY-MM-DD, read without allocating (the care list parses tens of
        // thousands of them at a street).
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes() {
            let digit = |b: u8| b.is_ascii_digit().then(|| u32::from(b - b'0'));
            let y = digit(y0)? * 1000 + digit(y1)? * 100 + digit(y2)? * 10 + digit(y3)?;
            let m = digit(m0)? * 10 + digit(m1)?;
            let d = digit(d0)? * 10 + digit(d1)?;
            if !(1800..=9999).contains(&(y as i32)) {
                return None;
            }
            return Date::new(y as i32, m, d);
        }
        let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let (y, m, d) = if parts.len() == 3 {
            (
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse().ok()?,
            )
        } else if digits.len() == 8 && digits.len() == s.len() {
            (
                digits[0..4].parse().ok()?,
                digits[4..6].parse().ok()?,
                digits[6..8].parse().ok()?,
            )
        } else {
            return None;
        };
        if !(1800..=9999).contains(&y) {
            return None;
        }
        Date::new(y, m, d)
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn to_days(self) -> i64 {
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date {
            year: (y + if m <= 2 { 1 } else { 0 }) as i32,
            month: m,
            day: d,
        }
    }

    pub fn from_millis(ms: i64) -> Date {
        Date::from_days(ms.div_euclid(86_400_000))
    }

    /// Whole years from `self` (a birth date) to `on`.
    pub fn age_on(self, on: Date) -> i32 {
        let mut age = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        let d = Date::new(1987, 2, 28).unwrap();
        for s in [
            "1987-02-28",
            "1987/2/28",
            "1987.02.28",
            "19870228",
            " 1987-02-28 ",
        ] {
            assert_eq!(Date::parse(s), Some(d), "{s}");
        }
        for s in [
            "1987-02-29",
            "1987-13-01",
            "abc",
            "",
            "87-02-28",
            "1987-00-10",
            "1987-02-00",
            "0999-01-01",
            "19a7-02-28",
            "1987-02-2x",
        ] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
        assert_eq!(Date::parse("2000-02-29"), Date::new(2000, 2, 29));
        // The stored form's quick path agrees with the general one on every day of a leap
        // year and a common one.
        for days in
            Date::new(2023, 12, 25).unwrap().to_days()..Date::new(2025, 1, 5).unwrap().to_days()
        {
            let d = Date::from_days(days);
            assert_eq!(Date::parse(&d.to_string()), Some(d));
            assert_eq!(
                Date::parse(&format!("{}/{}/{}", d.year, d.month, d.day)),
                Some(d)
            );
        }
    }

    #[test]
    fn days_round_trip() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        assert_eq!(Date::new(2026, 11, 24).unwrap().to_days(), 20781);
        for z in [-100_000, -1, 0, 1, 20_000, 40_000] {
            assert_eq!(Date::from_days(z).to_days(), z);
        }
    }

    #[test]
    fn age_counts_birthdays() {
        let b = Date::new(1950, 6, 15).unwrap();
        assert_eq!(b.age_on(Date::new(2026, 6, 14).unwrap()), 75);
        assert_eq!(b.age_on(Date::new(2026, 6, 15).unwrap()), 76);
    }
}
