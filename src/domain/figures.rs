//! The numbers offices report about cases, computed from the cases as their events make them —
//! never typed in. One piece of code for the app and the command-line tool.
//!
//! - received: cases reported in the range, voided ones excluded;
//! - closed: those of them closed (结案) by the as-of time;
//! - closure_rate (办结率) = closed / received;
//! - rated: those of them rated; satisfied: rated 满意 or 基本满意;
//!   satisfaction_rate (满意率) = satisfied / rated;
//! - overdue: of the received, not closed at the as-of time and past their deadline (counted in
//!   working time by the calendar when the deadline was set);
//! - mean / median hours to close: from report to close, over the closed ones (clock hours);
//! - by category and by grid: the same counts per group.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One case as the figures need it. Times are UTC milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFacts<'a> {
    pub reported_at: i64,
    pub voided: bool,
    pub closed_at: Option<i64>,
    /// 满意 / 基本满意 → Some(true), 不满意 → Some(false), unrated → None.
    pub satisfied: Option<bool>,
    pub deadline: Option<i64>,
    pub category: &'a str,
    pub grid: &'a str,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub received: u64,
    pub closed: u64,
    pub rated: u64,
    pub satisfied: u64,
    pub overdue: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub received: u64,
    pub closed: u64,
    pub closure_rate: Option<f64>,
    pub rated: u64,
    pub satisfied: u64,
    pub satisfaction_rate: Option<f64>,
    pub overdue: u64,
    pub mean_hours_to_close: Option<f64>,
    pub median_hours_to_close: Option<f64>,
    pub by_category: BTreeMap<String, Counts>,
    pub by_grid: BTreeMap<String, Counts>,
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Figures for cases reported in `[from, to)` (UTC ms; `None` is open), as of `as_of`.
pub fn compute(cases: &[CaseFacts], from: Option<i64>, to: Option<i64>, as_of: i64) -> Figures {
    let mut f = Figures::default();
    let mut hours = Vec::new();
    for c in cases {
        if c.voided
            || from.is_some_and(|t| c.reported_at < t)
            || to.is_some_and(|t| c.reported_at >= t)
            || c.reported_at > as_of
        {
            continue;
        }
        let closed_at = c.closed_at.filter(|t| *t <= as_of);
        let row = Counts {
            received: 1,
            closed: closed_at.is_some() as u64,
            rated: (closed_at.is_some() && c.satisfied.is_some()) as u64,
            satisfied: (closed_at.is_some() && c.satisfied == Some(true)) as u64,
            overdue: (closed_at.is_none() && c.deadline.is_some_and(|d| d < as_of)) as u64,
        };
        if let Some(t) = closed_at {
            hours.push((t - c.reported_at) as f64 / 3_600_000.0);
        }
        for (map, key) in [(&mut f.by_category, c.category), (&mut f.by_grid, c.grid)] {
            let e = map.entry(key.to_string()).or_default();
            e.received += row.received;
            e.closed += row.closed;
            e.rated += row.rated;
            e.satisfied += row.satisfied;
            e.overdue += row.overdue;
        }
        f.received += row.received;
        f.closed += row.closed;
        f.rated += row.rated;
        f.satisfied += row.satisfied;
        f.overdue += row.overdue;
    }
    f.closure_rate = ratio(f.closed, f.received);
    f.satisfaction_rate = ratio(f.satisfied, f.rated);
    if !hours.is_empty() {
        f.mean_hours_to_close = Some(hours.iter().sum::<f64>() / hours.len() as f64);
        hours.sort_by(f64::total_cmp);
        let n = hours.len();
        f.median_hours_to_close = Some(if n % 2 == 1 {
            hours[n / 2]
        } else {
            (hours[n / 2 - 1] + hours[n / 2]) / 2.0
        });
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    fn case(reported: i64, closed: Option<i64>, sat: Option<bool>) -> CaseFacts<'static> {
        CaseFacts {
            reported_at: reported,
            voided: false,
            closed_at: closed,
            satisfied: sat,
            deadline: Some(reported + 10 * H),
            category: "暴露垃圾",
            grid: "第一网格",
        }
    }

    /// A hand-made set with known answers.
    #[test]
    fn closure_and_satisfaction_rates_by_hand() {
        let mut cases = vec![
            case(0, Some(2 * H), Some(true)),      // closed in 2 h, 满意
            case(H, Some(5 * H), Some(true)),      // closed in 4 h, 基本满意
            case(2 * H, Some(8 * H), Some(false)), // closed in 6 h, 不满意
            case(3 * H, Some(11 * H), None),       // closed in 8 h, not rated
            case(4 * H, None, None),               // open, deadline 14 h: overdue at 20 h
            case(30 * H, None, None),              // open, not yet due
        ];
        cases.push(CaseFacts {
            voided: true,
            ..case(5 * H, None, None)
        });
        cases.push(CaseFacts {
            grid: "第二网格",
            category: "私搭乱建",
            ..case(6 * H, Some(100 * H), None) // closed only after the as-of time
        });
        let f = compute(&cases, None, None, 40 * H);
        assert_eq!((f.received, f.closed, f.rated, f.satisfied), (7, 4, 3, 2));
        assert_eq!(f.closure_rate, Some(4.0 / 7.0));
        assert_eq!(f.satisfaction_rate, Some(2.0 / 3.0));
        assert_eq!(
            f.overdue, 2,
            "the open one past its deadline, and the late closer"
        );
        assert_eq!(f.mean_hours_to_close, Some(5.0));
        assert_eq!(f.median_hours_to_close, Some(5.0));
        assert_eq!(f.by_grid["第二网格"].received, 1);
        assert_eq!(f.by_category["暴露垃圾"].closed, 4);
        // A date range keeps only the cases reported in it.
        let g = compute(&cases, Some(2 * H), Some(4 * H), 40 * H);
        assert_eq!((g.received, g.closed), (2, 2));
        // Nothing received: no rates rather than a division by zero.
        let e = compute(&[], None, None, 0);
        assert_eq!((e.closure_rate, e.satisfaction_rate), (None, None));
    }
}
