//! Working time (工作时间): deadlines of cases count working hours or working days, skipping
//! weekends and statutory holidays and counting the make-up working days (调休). The calendar is
//! data — the official arrangement of each year (`assets/calendar/cn-<year>.json` ships the
//! current one), editable by the office — and the working hours of a day are data too.

use super::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// China Standard Time, the offices' clock (UTC+8), in milliseconds.
pub const CST_OFFSET_MS: i64 = 8 * 3_600_000;
const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;

/// One year's official arrangement, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearArrangement {
    pub source: String,
    pub year: i32,
    /// Days off that would otherwise be working days (and the holidays themselves).
    pub holidays: Vec<String>,
    /// Weekend days that are working days (调休上班).
    pub workdays: Vec<String>,
}

/// The arrangement shipped with the app for the current year.
pub fn shipped() -> Vec<YearArrangement> {
    [include_str!("../../assets/calendar/cn-2026.json")]
        .iter()
        .filter_map(|s| serde_json::from_str(s).ok())
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    off: BTreeSet<Date>,
    on: BTreeSet<Date>,
    /// The working day, in minutes after local midnight: [start, end).
    pub day_start: i64,
    pub day_end: i64,
}

impl Calendar {
    /// A calendar from arrangements, with the working day 09:00–17:00 (8 hours).
    pub fn new(years: &[YearArrangement]) -> Calendar {
        let dates = |v: &Vec<String>| v.iter().filter_map(|d| Date::parse(d)).collect::<Vec<_>>();
        Calendar {
            off: years.iter().flat_map(|y| dates(&y.holidays)).collect(),
            on: years.iter().flat_map(|y| dates(&y.workdays)).collect(),
            day_start: 9 * 60,
            day_end: 17 * 60,
        }
    }

    /// The office's own changes on top of the shipped arrangement: each date made a holiday
    /// (`false`) or a working day (`true`).
    pub fn with_days(mut self, days: &[(Date, bool)]) -> Calendar {
        for (d, working) in days {
            if *working {
                self.off.remove(d);
                self.on.insert(*d);
            } else {
                self.on.remove(d);
                self.off.insert(*d);
            }
        }
        self
    }

    pub fn with_hours(mut self, start_min: i64, end_min: i64) -> Calendar {
        if start_min < end_min {
            self.day_start = start_min;
            self.day_end = end_min;
        }
        self
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        if self.on.contains(&d) {
            return true;
        }
        if self.off.contains(&d) {
            return false;
        }
        // 1970-01-01 was a Thursday: days % 7 == 2 is Saturday, 3 is Sunday.
        !matches!(d.to_days().rem_euclid(7), 2 | 3)
    }

    /// The moment `hours` working hours after `from` (both in UTC milliseconds).
    pub fn add_working_hours(&self, from: i64, hours: i64) -> i64 {
        let mut left = hours * 60 * MINUTE;
        let mut local = from + CST_OFFSET_MS;
        // Walk day by day; at most a few years of days for absurd inputs.
        for _ in 0..3660 {
            let day0 = local.div_euclid(DAY) * DAY;
            let (start, end) = (day0 + self.day_start * MINUTE, day0 + self.day_end * MINUTE);
            if self.is_working_day(Date::from_days(day0 / DAY)) && local < end {
                let begin = local.max(start);
                if begin + left <= end {
                    return begin + left - CST_OFFSET_MS;
                }
                left -= end - begin;
            }
            local = day0 + DAY;
        }
        local - CST_OFFSET_MS
    }

    /// The end of the `days`-th working day after the day of `from` (the day itself does not
    /// count: a case reported on Friday with 1 working day is due Monday evening).
    pub fn add_working_days(&self, from: i64, days: i64) -> i64 {
        let mut d = (from + CST_OFFSET_MS).div_euclid(DAY);
        let mut left = days.max(0);
        let mut guard = 0;
        while left > 0 && guard < 3660 {
            d += 1;
            guard += 1;
            if self.is_working_day(Date::from_days(d)) {
                left -= 1;
            }
        }
        d * DAY + self.day_end * MINUTE - CST_OFFSET_MS
    }
}

/// A deadline as categories state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "n")]
pub enum Limit {
    WorkingHours(i64),
    WorkingDays(i64),
}

impl Calendar {
    pub fn deadline(&self, from: i64, limit: Limit) -> i64 {
        match limit {
            Limit::WorkingHours(h) => self.add_working_hours(from, h),
            Limit::WorkingDays(d) => self.add_working_days(from, d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Local (CST) date and time to UTC milliseconds.
    fn at(date: &str, h: i64, m: i64) -> i64 {
        Date::parse(date).unwrap().to_days() * DAY + (h * 60 + m) * MINUTE - CST_OFFSET_MS
    }

    fn cal() -> Calendar {
        Calendar::new(&shipped())
    }

    #[test]
    fn the_2026_arrangement_is_shipped_as_data() {
        let c = cal();
        let d = |s| Date::parse(s).unwrap();
        assert!(!c.is_working_day(d("2026-10-01")), "National Day");
        assert!(
            c.is_working_day(d("2026-10-10")),
            "a Saturday made a working day"
        );
        assert!(
            c.is_working_day(d("2026-02-14")),
            "Saturday before the Spring Festival"
        );
        assert!(
            !c.is_working_day(d("2026-02-23")),
            "a Monday in the Spring Festival"
        );
        assert!(!c.is_working_day(d("2026-11-28")), "an ordinary Saturday");
        assert!(c.is_working_day(d("2026-11-27")), "an ordinary Friday");
    }

    #[test]
    fn working_hours_skip_nights_weekends_and_holidays() {
        let c = cal();
        // Friday 2026-11-27 15:00 + 4 working hours: 2 on Friday, 2 on Monday → Monday 11:00.
        assert_eq!(
            c.add_working_hours(at("2026-11-27", 15, 0), 4),
            at("2026-11-30", 11, 0)
        );
        // Reported at night: counting starts next morning.
        assert_eq!(
            c.add_working_hours(at("2026-11-24", 22, 0), 2),
            at("2026-11-25", 11, 0)
        );
        // Before National Day: 2026-09-30 (Wed) 16:00 + 2 h → 1 h that day, then the holiday
        // week (Oct 1–7) and the weekend... Oct 8 (Thu) is a working day → Oct 8 10:00.
        assert_eq!(
            c.add_working_hours(at("2026-09-30", 16, 0), 2),
            at("2026-10-08", 10, 0)
        );
        // Saturday 2026-10-10 is a make-up working day.
        assert_eq!(
            c.add_working_hours(at("2026-10-09", 16, 30), 1),
            at("2026-10-10", 9, 30)
        );
    }

    #[test]
    fn working_days_end_at_the_close_of_the_day() {
        let c = cal();
        // Friday + 1 working day → Monday 17:00.
        assert_eq!(
            c.add_working_days(at("2026-11-27", 10, 0), 1),
            at("2026-11-30", 17, 0)
        );
        // 20 working days from Monday 2026-11-02 → Monday 2026-11-30 (four weeks).
        assert_eq!(
            c.add_working_days(at("2026-11-02", 10, 0), 20),
            at("2026-11-30", 17, 0)
        );
        assert_eq!(
            c.deadline(at("2026-11-27", 15, 0), Limit::WorkingHours(4)),
            at("2026-11-30", 11, 0)
        );
    }
}
