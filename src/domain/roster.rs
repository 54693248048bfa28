//! Duty rosters (排班), pure: shifts as UTC millisecond intervals, weekly repetition, the
//! double-booking and staffing checks, hours, and the iCalendar (.ics) file a phone's calendar
//! takes. Times are instants; the office's local time (China has no daylight saving, so a week
//! is always 7 × 24 hours) only decides how dates and months are shown and counted.

use super::calendar::CST_OFFSET_MS;
use super::date::Date;

pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;
pub const WEEK: i64 = 7 * DAY;
/// Longest shift (a night duty over midnight is fine; a week-long one is a typo).
pub const MAX_SHIFT: i64 = 24 * HOUR;
/// Most weeks one repeat makes.
pub const MAX_WEEKS: u32 = 26;
pub const TITLE_MAX: usize = 40;

/// Half-open intervals [start, end) overlap.
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Checks a shift as typed; problems as (field, code).
pub fn check_shift(
    title: &str,
    start: i64,
    end: i64,
    needed: u32,
    weeks: u32,
) -> Vec<(&'static str, &'static str)> {
    let mut p = Vec::new();
    if title.trim().is_empty() {
        p.push(("title", "required"));
    } else if title.trim().chars().count() > TITLE_MAX {
        p.push(("title", "too_long"));
    }
    if end <= start {
        p.push(("end", "end_before_start"));
    } else if end - start > MAX_SHIFT {
        p.push(("end", "shift_too_long"));
    }
    if !(1..=50).contains(&needed) {
        p.push(("needed", "out_of_range"));
    }
    if !(1..=MAX_WEEKS).contains(&weeks) {
        p.push(("weeks", "out_of_range"));
    }
    p
}

/// The same shift every week, `weeks` times (the first is the one given).
pub fn repeat_weekly(start: i64, end: i64, weeks: u32) -> Vec<(i64, i64)> {
    (0..weeks as i64)
        .map(|k| (start + k * WEEK, end + k * WEEK))
        .collect()
}

/// One person's shifts: (shift key, start, end).
pub type Booking<'a> = (&'a str, i64, i64);

/// Pairs of one person's shifts that overlap (each pair once, in start order).
pub fn double_bookings<'a>(shifts: &[Booking<'a>]) -> Vec<(&'a str, &'a str)> {
    let mut v: Vec<Booking> = shifts.to_vec();
    v.sort_by_key(|s| (s.1, s.2, s.0));
    let mut out = Vec::new();
    for i in 0..v.len() {
        for j in i + 1..v.len() {
            if v[j].1 >= v[i].2 {
                break;
            }
            if overlaps((v[i].1, v[i].2), (v[j].1, v[j].2)) {
                out.push((v[i].0, v[j].0));
            }
        }
    }
    out
}

/// Hours of a shift.
pub fn hours(start: i64, end: i64) -> f64 {
    (end - start).max(0) as f64 / HOUR as f64
}

/// The local (China) date of an instant.
pub fn local_date(ms: i64) -> Date {
    Date::from_millis(ms + CST_OFFSET_MS)
}

/// Hours per local month ("YYYY-MM"), a shift counted in the month it starts.
pub fn hours_by_month(shifts: &[(i64, i64)]) -> Vec<(String, f64)> {
    let mut m: std::collections::BTreeMap<String, f64> = Default::default();
    for (s, e) in shifts {
        let d = local_date(*s);
        *m.entry(format!("{:04}-{:02}", d.year, d.month))
            .or_default() += hours(*s, *e);
    }
    m.into_iter().collect()
}

/// The time bank's minutes for one person's shift. A shift counts when it is `done`: the time
/// between check-in and check-out when both were recorded (and make sense), otherwise the
/// planned length. A no-show or a shift still planned counts nothing, even if checked in.
pub fn credited_minutes(
    status: &str,
    start: i64,
    end: i64,
    check_in: Option<i64>,
    check_out: Option<i64>,
) -> i64 {
    if status != "done" {
        return 0;
    }
    let span = match (check_in, check_out) {
        (Some(a), Some(b)) if b > a && b - a <= MAX_SHIFT + 4 * HOUR => b - a,
        _ => end - start,
    };
    span.max(0) / 60_000
}

/// How early before its start a shift can be checked in.
pub const CHECK_IN_EARLY: i64 = 2 * HOUR;

/// Longest task one hours entry may log (a day).
pub const MAX_TASK_MINUTES: i64 = 24 * 60;
pub const TASK_MAX: usize = 100;

/// Checks an hours entry for a task as typed; problems as (field, code).
pub fn check_task_hours(day: &str, minutes: i64, task: &str) -> Vec<(&'static str, &'static str)> {
    let mut p = Vec::new();
    if Date::parse(day).is_none() {
        p.push(("day", "bad_date"));
    }
    if !(1..=MAX_TASK_MINUTES).contains(&minutes) {
        p.push(("minutes", "out_of_range"));
    }
    if task.trim().is_empty() {
        p.push(("task", "required"));
    } else if task.trim().chars().count() > TASK_MAX {
        p.push(("task", "too_long"));
    }
    p
}

/// Minutes per local month ("YYYY-MM"), in month order, from (date, minutes) credits.
pub fn minutes_by_month(credits: &[(Date, i64)]) -> Vec<(String, i64)> {
    let mut m: std::collections::BTreeMap<String, i64> = Default::default();
    for (d, min) in credits {
        *m.entry(format!("{:04}-{:02}", d.year, d.month))
            .or_default() += min;
    }
    m.into_iter().collect()
}

/// Hours for display: "12.5" (minutes to hours, one decimal, no trailing ".0").
pub fn fmt_hours(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// The Monday 00:00 (local) of the week an instant falls in, as UTC ms.
pub fn week_start(ms: i64) -> i64 {
    let d = local_date(ms);
    // 1970-01-01 was a Thursday: days % 7 == 4 is Monday.
    let days = d.to_days();
    let monday = days - (days - 4).rem_euclid(7);
    monday * DAY - CST_OFFSET_MS
}

/// One event of an .ics file.
#[derive(Debug, Clone, PartialEq)]
pub struct IcsEvent {
    pub uid: String,
    pub start: i64,
    pub end: i64,
    pub summary: String,
    pub location: String,
    pub description: String,
}

impl IcsEvent {
    /// A shift as a calendar event: its title, where (grid and place) and the role.
    pub fn shift(
        id: &str,
        start: i64,
        end: i64,
        title: &str,
        wheres: &[&str],
        role: &str,
    ) -> IcsEvent {
        IcsEvent {
            uid: format!("{id}@gridledger"),
            start,
            end,
            summary: title.to_string(),
            location: wheres
                .iter()
                .filter(|w| !w.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            description: role.to_string(),
        }
    }
}

fn ics_time(ms: i64) -> String {
    let d = Date::from_millis(ms);
    let s = ms.rem_euclid(DAY) / 1000;
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        d.year,
        d.month,
        d.day,
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// TEXT escaping (RFC 5545 3.3.11).
fn ics_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1).
fn fold(line: &str, out: &mut String) {
    let mut n = 0;
    for c in line.chars() {
        let w = c.len_utf8();
        if n + w > 75 {
            out.push_str("\r\n ");
            n = 1;
        }
        out.push(c);
        n += w;
    }
    out.push_str("\r\n");
}

/// A calendar file (RFC 5545) with one event per shift, times in UTC.
pub fn write_ics(name: &str, events: &[IcsEvent], stamp: i64) -> String {
    let mut out = String::new();
    let mut line = |s: String| fold(&s, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//GridLedger//网格台账//ZH".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", ics_text(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", ics_text(&e.uid)));
        line(format!("DTSTAMP:{}", ics_time(stamp)));
        line(format!("DTSTART:{}", ics_time(e.start)));
        line(format!("DTEND:{}", ics_time(e.end)));
        line(format!("SUMMARY:{}", ics_text(&e.summary)));
        if !e.location.is_empty() {
            line(format!("LOCATION:{}", ics_text(&e.location)));
        }
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", ics_text(&e.description)));
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_shifts_credit_checked_time_or_the_plan() {
        let (s, e) = (10 * HOUR, 12 * HOUR);
        assert_eq!(credited_minutes("done", s, e, None, None), 120);
        assert_eq!(credited_minutes("planned", s, e, Some(s), Some(e)), 0);
        assert_eq!(credited_minutes("no_show", s, e, None, None), 0);
        // Checked in late, out late: the real 95 minutes.
        let (a, b) = (s + 10 * 60_000, s + 105 * 60_000);
        assert_eq!(credited_minutes("done", s, e, Some(a), Some(b)), 95);
        // Only checked in, or times that make no sense: the plan.
        assert_eq!(credited_minutes("done", s, e, Some(a), None), 120);
        assert_eq!(credited_minutes("done", s, e, Some(b), Some(a)), 120);
        assert_eq!(
            credited_minutes("done", s, e, Some(a), Some(a + 40 * HOUR)),
            120
        );
        // Across midnight.
        let night = (22 * HOUR, 30 * HOUR);
        assert_eq!(credited_minutes("done", night.0, night.1, None, None), 480);
    }

    #[test]
    fn task_hours_are_checked_and_summed_by_month() {
        assert!(check_task_hours("2026-11-02", 90, "陪同就医").is_empty());
        assert_eq!(
            check_task_hours("2026-11-31", 0, " "),
            vec![
                ("day", "bad_date"),
                ("minutes", "out_of_range"),
                ("task", "required")
            ]
        );
        assert_eq!(check_task_hours("2026-11-02", 1441, "x")[0].0, "minutes");
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(
            minutes_by_month(&[
                (d("2026-11-30"), 60),
                (d("2026-10-01"), 30),
                (d("2026-11-01"), 45)
            ]),
            vec![("2026-10".to_string(), 30), ("2026-11".to_string(), 105)]
        );
        assert_eq!(fmt_hours(90), "1.5");
        assert_eq!(fmt_hours(120), "2");
        assert_eq!(fmt_hours(0), "0");
        assert_eq!(fmt_hours(100), "1.7");
    }

    /// 2026-11-28 (a Saturday) 18:00 China time.
    const SAT_18: i64 = 1_795_860_000_000;

    #[test]
    fn the_constant_is_saturday_evening() {
        let d = local_date(SAT_18);
        assert_eq!(d.to_string(), "2026-11-28");
        assert_eq!((SAT_18 + CST_OFFSET_MS).rem_euclid(DAY) / HOUR, 18);
    }

    #[test]
    fn overlaps_are_half_open() {
        assert!(overlaps((0, 10), (5, 15)));
        assert!(!overlaps((0, 10), (10, 20)), "back to back is fine");
        assert!(overlaps((0, 10), (2, 3)));
        assert!(!overlaps((5, 6), (0, 5)));
    }

    #[test]
    fn a_weekly_repeat_keeps_the_local_time_every_week() {
        let v = repeat_weekly(SAT_18, SAT_18 + 3 * HOUR, 8);
        assert_eq!(v.len(), 8);
        for (i, (s, e)) in v.iter().enumerate() {
            assert_eq!(e - s, 3 * HOUR);
            assert_eq!((s + CST_OFFSET_MS).rem_euclid(DAY) / HOUR, 18);
            assert_eq!(
                local_date(*s).to_days() - local_date(SAT_18).to_days(),
                7 * i as i64
            );
        }
    }

    #[test]
    fn double_bookings_are_found_including_across_midnight() {
        // A night duty 22:00–06:00 and an early shift 05:00–08:00 the next morning overlap.
        let night = ("night", SAT_18 + 4 * HOUR, SAT_18 + 12 * HOUR);
        let early = ("early", SAT_18 + 11 * HOUR, SAT_18 + 14 * HOUR);
        let later = ("later", SAT_18 + 14 * HOUR, SAT_18 + 16 * HOUR);
        let evening = ("evening", SAT_18, SAT_18 + 3 * HOUR);
        assert_eq!(
            double_bookings(&[later, early, night, evening]),
            [("night", "early")]
        );
        assert!(double_bookings(&[evening, later]).is_empty());
    }

    #[test]
    fn shifts_are_checked() {
        assert!(check_shift("周六晚巡逻", SAT_18, SAT_18 + 3 * HOUR, 3, 8).is_empty());
        let p = check_shift(" ", SAT_18, SAT_18, 0, 0);
        for f in ["title", "end", "needed", "weeks"] {
            assert!(p.iter().any(|(x, _)| *x == f), "{f}");
        }
        assert_eq!(
            check_shift("x", 0, 25 * HOUR, 1, 1),
            [("end", "shift_too_long")]
        );
    }

    #[test]
    fn hours_count_in_the_local_month_they_start() {
        // 2026-11-30 22:00 to 2026-12-01 02:00 local: 4 hours in November.
        let nov30_22 = SAT_18 + 2 * DAY + 4 * HOUR;
        let h = hours_by_month(&[
            (nov30_22, nov30_22 + 4 * HOUR),
            (SAT_18 + 7 * DAY, SAT_18 + 7 * DAY + 90 * 60_000),
        ]);
        assert_eq!(
            h,
            [("2026-11".to_string(), 4.0), ("2026-12".to_string(), 1.5)]
        );
    }

    #[test]
    fn weeks_start_on_monday_local() {
        let monday = week_start(SAT_18);
        assert_eq!(local_date(monday).to_string(), "2026-11-23");
        assert_eq!((monday + CST_OFFSET_MS).rem_euclid(DAY), 0);
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), monday - WEEK);
    }

    #[test]
    fn ics_lines_are_escaped_folded_and_in_utc() {
        let ics = write_ics(
            "张三的值班",
            &[IcsEvent {
                uid: "a@gridledger".into(),
                start: SAT_18,
                end: SAT_18 + 3 * HOUR,
                summary: "周六晚巡逻; 平安巡逻队, 第一网格".into(),
                location: "幸福里小区东门".repeat(8),
                description: "带好手电\n注意安全".into(),
            }],
            SAT_18,
        );
        assert!(ics.contains("DTSTART:20261128T100000Z\r\n"));
        assert!(ics.contains("SUMMARY:周六晚巡逻\\; 平安巡逻队\\, 第一网格\r\n"));
        assert!(ics.contains("DESCRIPTION:带好手电\\n注意安全\r\n"));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        // Unfolded, the location is whole again.
        assert!(ics
            .replace("\r\n ", "")
            .contains(&"幸福里小区东门".repeat(8)));
    }
}
