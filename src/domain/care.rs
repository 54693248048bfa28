//! Key-group care (重点人群关爱), pure: how often a key person is visited (their own cadence, or
//! the most frequent of their tags'), when the next visit is due and whether it is overdue;
//! what a visit record must hold; residents' status changes (迁入/迁出/死亡/出生) and the
//! party organisation's kinds and roles.

use super::date::Date;

/// Days between visits for the built-in key-group tags (editable per tag; 0: no plan).
pub const DEFAULT_CADENCE: &[(&str, u32)] = &[
    ("独居老人", 7),
    ("孤寡老人", 7),
    ("危重症病人", 7),
    ("空巢老人", 14),
    ("留守儿童", 14),
    ("残疾人", 30),
    ("低保户", 30),
    ("贫困户", 30),
    ("孕妇", 30),
];

pub fn default_cadence(tag: &str) -> u32 {
    DEFAULT_CADENCE
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, d)| *d)
        .unwrap_or(0)
}

/// The longest cadence a tag or person may have (a year).
pub const MAX_CADENCE: u32 = 366;

/// A visit is "due soon" this many days ahead.
pub const DUE_SOON_DAYS: i64 = 3;

/// The days between visits: the person's own cadence when set, else the most frequent of
/// their tags' (the smallest positive), else none (no visit plan).
pub fn cadence(own: u32, tag_days: &[u32]) -> Option<u32> {
    if own > 0 {
        return Some(own);
    }
    tag_days.iter().copied().filter(|d| *d > 0).min()
}

/// When the next visit is due: a cadence after the last visit, or (never visited) on the day
/// the plan started.
pub fn next_due(last_visit: Option<Date>, start: Date, cadence: u32) -> Date {
    match last_visit {
        Some(d) => Date::from_days(d.to_days() + cadence as i64),
        None => start,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueState {
    /// Visited within the cadence and not due for a while.
    Ok,
    /// Due within [`DUE_SOON_DAYS`] (or today).
    Soon,
    /// Past due by this many days.
    Overdue(i64),
}

impl DueState {
    pub fn code(self) -> &'static str {
        match self {
            DueState::Ok => "ok",
            DueState::Soon => "soon",
            DueState::Overdue(_) => "overdue",
        }
    }
}

pub fn due_state(due: Date, today: Date) -> DueState {
    let d = due.to_days() - today.to_days();
    if d < 0 {
        DueState::Overdue(-d)
    } else if d <= DUE_SOON_DAYS {
        DueState::Soon
    } else {
        DueState::Ok
    }
}

/// How the person was found on a visit.
pub const CONDITIONS: [&str; 5] = ["good", "fair", "poor", "hospital", "away"];

/// A visit as recorded (untrusted text).
#[derive(Debug, Clone, Default)]
pub struct VisitDraft<'a> {
    pub visit_date: &'a str,
    pub visitor_name: &'a str,
    pub condition: &'a str,
    pub needs: &'a str,
    pub note: &'a str,
}

pub const NEEDS_MAX: usize = 500;

/// Checks a visit: a real date, not after today nor more than a year back; who went; a known
/// condition; needs and note of reasonable length. Problems as (field, code).
pub fn check_visit(v: &VisitDraft, today: Date) -> Vec<(&'static str, &'static str)> {
    let mut p = Vec::new();
    match Date::parse(v.visit_date) {
        None => p.push(("visit_date", "date_format")),
        Some(d) if d > today => p.push(("visit_date", "date_in_future")),
        Some(d) if d.to_days() < today.to_days() - 366 => p.push(("visit_date", "out_of_range")),
        Some(_) => {}
    }
    let who = v.visitor_name.trim();
    if who.is_empty() {
        p.push(("visitor_name", "required"));
    } else if who.chars().count() > 40 {
        p.push(("visitor_name", "too_long"));
    }
    if !CONDITIONS.contains(&v.condition) {
        p.push(("condition", "required"));
    }
    if v.needs.chars().count() > NEEDS_MAX {
        p.push(("needs", "too_long"));
    }
    if v.note.chars().count() > NEEDS_MAX {
        p.push(("note", "too_long"));
    }
    p
}

/// A resident's status.
pub const STATUSES: [&str; 3] = ["active", "moved_out", "deceased"];

/// Status changes a resident's history records, and the status each leaves them in.
pub fn status_after(kind: &str) -> Option<&'static str> {
    match kind {
        "born" | "moved_in" | "moved" | "returned" => Some("active"),
        "moved_out" => Some("moved_out"),
        "died" => Some("deceased"),
        _ => None,
    }
}

/// Which changes make sense from a status: a deceased person changes no more; a moved-out
/// one can only come back.
pub fn may_change(status: &str, kind: &str) -> bool {
    match status {
        "active" => matches!(kind, "moved" | "moved_out" | "died"),
        "moved_out" => matches!(kind, "returned" | "died"),
        _ => false,
    }
}

pub const ORG_KINDS: [&str; 2] = ["branch", "group"];
pub const MEMBER_ROLES: [&str; 3] = ["secretary", "committee", "member"];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_most_frequent_tag_sets_the_cadence_unless_the_person_has_their_own() {
        assert_eq!(cadence(0, &[30, 7, 0]), Some(7));
        assert_eq!(cadence(10, &[30, 7]), Some(10));
        assert_eq!(cadence(0, &[0, 0]), None);
        assert_eq!(cadence(0, &[]), None);
        assert_eq!(default_cadence("独居老人"), 7);
        assert_eq!(default_cadence("党员"), 0);
    }

    #[test]
    fn visits_fall_due_a_cadence_after_the_last_one() {
        let today = d("2026-11-25");
        // Weekly, last visited on the 17th: due the 24th, a day overdue.
        let due = next_due(Some(d("2026-11-17")), d("2026-01-01"), 7);
        assert_eq!(due, d("2026-11-24"));
        assert_eq!(due_state(due, today), DueState::Overdue(1));
        // Visited yesterday: due next week.
        let due = next_due(Some(d("2026-11-24")), d("2026-01-01"), 7);
        assert_eq!(due_state(due, today), DueState::Ok);
        // Due today and in three days: soon; in four: fine.
        assert_eq!(due_state(today, today), DueState::Soon);
        assert_eq!(due_state(d("2026-11-28"), today), DueState::Soon);
        assert_eq!(due_state(d("2026-11-29"), today), DueState::Ok);
        // Never visited: due from the plan's start; across a month and a leap day.
        assert_eq!(next_due(None, d("2026-11-01"), 30), d("2026-11-01"));
        assert_eq!(
            due_state(next_due(None, d("2026-11-01"), 30), today),
            DueState::Overdue(24)
        );
        assert_eq!(next_due(Some(d("2028-02-20")), today, 14), d("2028-03-05"));
    }

    #[test]
    fn a_visit_needs_a_real_date_who_went_and_how_the_person_was() {
        let today = d("2026-11-25");
        let ok = VisitDraft {
            visit_date: "2026-11-25",
            visitor_name: "李网格",
            condition: "good",
            ..Default::default()
        };
        assert!(check_visit(&ok, today).is_empty());
        let bad = VisitDraft {
            visit_date: "2026-11-26",
            visitor_name: " ",
            condition: "fine",
            ..Default::default()
        };
        assert_eq!(
            check_visit(&bad, today),
            [
                ("visit_date", "date_in_future"),
                ("visitor_name", "required"),
                ("condition", "required")
            ]
        );
        let old = VisitDraft {
            visit_date: "2025-01-01",
            ..ok.clone()
        };
        assert_eq!(check_visit(&old, today), [("visit_date", "out_of_range")]);
    }

    #[test]
    fn status_changes_follow_life() {
        assert!(may_change("active", "moved_out"));
        assert!(may_change("moved_out", "returned"));
        assert!(!may_change("moved_out", "moved"));
        assert!(!may_change("deceased", "returned"));
        assert_eq!(status_after("died"), Some("deceased"));
        assert_eq!(status_after("returned"), Some("active"));
        assert_eq!(status_after("vanished"), None);
    }
}
