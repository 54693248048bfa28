//! The dashboard (一屏观全域), pure: what each figure counts, how rows are grouped (weeks, grid
//! rows, communities), and which charts are drawn from the figures with which labels and values.
//! Storage fills the [`Tally`]s with SQL aggregates; the worker draws the [`ChartSpec`]s as SVG.
//!
//! The figures (cases reported in the chosen range, voided ones left out, as of now):
//! - received (受理): cases reported in the range;
//! - closed (办结): of them, closed (结案, rated or not) by now;
//! - closure rate (办结率) = closed ÷ received;
//! - satisfaction rate (满意率) = (满意 + 基本满意) ÷ rated, over the closed cases that were rated;
//! - overdue (超期): of them, not closed now and past their deadline;
//! - average handling time (平均办结用时) = Σ(closed at − reported at) ÷ closed, in hours;
//! - per week: received counts cases by the week they were reported in, closed by the week they
//!   were closed in (a case reported before the range and closed in it counts there), weeks
//!   starting on Monday, China time;
//! - by grid: each row is a first-level grid (or, with a grid chosen, each of its direct
//!   sub-grids, plus "本级" for records on the chosen grid itself), counting its whole subtree.
//!
//! A rate with nothing under it is `None` and shown as "—", never 0 % and never NaN.

use super::calendar::CST_OFFSET_MS;
use super::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const DAY_MS: i64 = 86_400_000;

/// The local (China time) day number of a UTC millisecond instant.
pub fn local_day(ms: i64) -> i64 {
    (ms + CST_OFFSET_MS).div_euclid(DAY_MS)
}

/// The Monday of the week a day number is in (day 0, 1970-01-01, was a Thursday).
pub fn week_start(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// UTC milliseconds of the start of a local date.
pub fn day_start_ms(d: Date) -> i64 {
    d.to_days() * DAY_MS - CST_OFFSET_MS
}

/// Case counts of one group (a grid, a category, a channel, a community, the whole).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub received: u64,
    pub closed: u64,
    pub rated: u64,
    pub satisfied: u64,
    pub overdue: u64,
    /// Σ (closed at − reported at) over the closed cases, ms.
    pub close_ms: i64,
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl Tally {
    /// One case, as of `now`: received; closed if it closed by now (then rated and satisfied
    /// by its rating, and its handling time counted); overdue if open now past its deadline.
    pub fn of_case(
        now: i64,
        reported_at: i64,
        closed_at: Option<i64>,
        rating: Option<&str>,
        deadline: Option<i64>,
    ) -> Tally {
        let closed = closed_at.filter(|c| *c <= now);
        let rating = closed.and(rating).unwrap_or("");
        Tally {
            received: 1,
            closed: closed.is_some() as u64,
            rated: matches!(rating, "satisfied" | "basically_satisfied" | "unsatisfied") as u64,
            satisfied: matches!(rating, "satisfied" | "basically_satisfied") as u64,
            overdue: (closed.is_none() && deadline.is_some_and(|d| d < now)) as u64,
            close_ms: closed.map_or(0, |c| c - reported_at),
        }
    }

    pub fn add(&mut self, o: &Tally) {
        self.received += o.received;
        self.closed += o.closed;
        self.rated += o.rated;
        self.satisfied += o.satisfied;
        self.overdue += o.overdue;
        self.close_ms += o.close_ms;
    }
    pub fn closure_rate(&self) -> Option<f64> {
        ratio(self.closed, self.received)
    }
    pub fn satisfaction_rate(&self) -> Option<f64> {
        ratio(self.satisfied, self.rated)
    }
    pub fn mean_hours(&self) -> Option<f64> {
        (self.closed > 0).then(|| self.close_ms as f64 / self.closed as f64 / 3_600_000.0)
    }
}

/// A rate as people read it: "99.8%", or "—" when there is nothing to divide by.
pub fn percent(r: Option<f64>) -> String {
    match r {
        Some(r) if r.is_finite() => format!("{:.1}%", r * 100.0),
        _ => "—".to_string(),
    }
}

/// Hours as people read them: "5.3", or "—".
pub fn hours(h: Option<f64>) -> String {
    match h {
        Some(h) if h.is_finite() => format!("{h:.1}"),
        _ => "—".to_string(),
    }
}

/// One row of a grouped figure: its key (a grid id, a category code, a channel code, a
/// community code), the name shown, and its counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub key: String,
    pub name: String,
    pub tally: Tally,
}

/// One week of the case chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Week {
    /// The week's Monday, YYYY-MM-DD.
    pub start: String,
    pub received: u64,
    pub closed: u64,
}

/// Key persons of one grid row, per key-group tag (tag id → count) and in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyRow {
    pub key: String,
    pub name: String,
    pub people: u64,
}

/// A community's line in the street office's table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommunityLine {
    pub code: String,
    pub name: String,
    pub tally: Tally,
    pub key_persons: u64,
    pub visits_overdue: u64,
}

/// A count of something per named item (a key-group tag).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub key: String,
    pub name: String,
    pub n: u64,
}

/// Everything the dashboard shows, for one community (or the whole street), one grid subtree
/// and one date range.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The range, inclusive local dates.
    pub from: String,
    pub to: String,
    pub as_of: i64,
    pub cases: Tally,
    pub weeks: Vec<Week>,
    pub by_category: Vec<Group>,
    pub by_grid: Vec<Group>,
    pub by_channel: Vec<Group>,
    pub residents: u64,
    pub households: u64,
    /// Active residents on the care list (a key-group tag with a cadence, or their own).
    pub key_persons: u64,
    pub key_by_tag: Vec<Count>,
    pub key_by_grid: Vec<KeyRow>,
    /// Key persons' visits: people on the care list, overdue, due within 3 days.
    pub visit_people: u64,
    pub visits_overdue: u64,
    pub visits_soon: u64,
    pub volunteers: u64,
    /// Shifts this week (Monday to Sunday around the as-of day).
    pub shifts_week: u64,
    /// Time-bank minutes earned in the range (done shifts, tasks, fulfilled wishes).
    pub minutes: i64,
    /// Minutes per month of the range, "YYYY-MM".
    pub minutes_by_month: Vec<(String, i64)>,
    /// At the street office with no community chosen: one line per community.
    pub by_community: Vec<CommunityLine>,
    /// The charts, drawn in the worker (SVG text; labels escaped by the drawing code).
    pub charts: Vec<ChartSvg>,
    /// How long the worker took, ms (shown, and read by the benchmark).
    pub millis: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartSvg {
    pub id: String,
    pub title: String,
    pub svg: String,
}

/// Which row of "by grid" each grid counts in.
///
/// `grids` are (id, parent id, name) of one community (or several). The rows are the direct
/// sub-grids of the root — the chosen grid, or with none chosen each community's root grid (the
/// community itself) — and the root itself (for records on it), named `own_name`. A grid
/// outside the root's subtree has no row (its records are outside the filter). Rows come in
/// natural order of their names (第二 before 第十), the root's own row last. Returns the row of
/// each grid, the rows, and which rows are a root's own.
pub fn grid_rows(
    grids: &[(String, Option<String>, String)],
    root: Option<&str>,
    own_name: &str,
) -> (HashMap<String, String>, Vec<(String, String)>) {
    let parent: HashMap<&str, Option<&str>> = grids
        .iter()
        .map(|(id, p, _)| (id.as_str(), p.as_deref()))
        .collect();
    let roots: std::collections::HashSet<&str> = match root {
        Some(r) => [r].into_iter().collect(),
        None => grids
            .iter()
            .filter(|g| g.1.is_none())
            .map(|g| g.0.as_str())
            .collect(),
    };
    let is_row = |id: &str| {
        roots.contains(id)
            || parent
                .get(id)
                .copied()
                .flatten()
                .is_some_and(|p| roots.contains(p))
    };
    let mut rows: Vec<(String, String)> = grids
        .iter()
        .filter(|(id, ..)| is_row(id))
        .map(|(id, _, name)| {
            let shown = if roots.contains(id.as_str()) {
                own_name.to_string()
            } else {
                name.clone()
            };
            (id.clone(), shown)
        })
        .collect();
    let mut bucket = HashMap::new();
    for (id, ..) in grids {
        // Walk up to the row, at most as many steps as there are grids.
        let mut cur = id.as_str();
        for _ in 0..=grids.len() {
            if is_row(cur) {
                bucket.insert(id.clone(), cur.to_string());
                break;
            }
            match parent.get(cur).copied().flatten() {
                Some(u) => cur = u,
                None => break,
            }
        }
    }
    rows.sort_by(|a, b| {
        let own = |x: &(String, String)| roots.contains(x.0.as_str());
        own(a)
            .cmp(&own(b))
            .then_with(|| super::grid::natural_cmp(&a.1, &b.1))
    });
    (bucket, rows)
}

/// The weeks of a range (their Mondays as day numbers), in order.
pub fn weeks_of(from_day: i64, to_day: i64) -> Vec<i64> {
    let mut w = week_start(from_day);
    let mut out = Vec::new();
    while w <= to_day && out.len() < 600 {
        out.push(w);
        w += 7;
    }
    out
}

/// The months of a range, "YYYY-MM", in order.
pub fn months_of(from: Date, to: Date) -> Vec<String> {
    let (mut y, mut m) = (from.year, from.month);
    let mut out = Vec::new();
    while (y, m) <= (to.year, to.month) && out.len() < 600 {
        out.push(format!("{y:04}-{m:02}"));
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Charts: what is drawn from the figures. Geometry (sizes, fonts, colours) is the drawing code's.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartKind {
    /// Vertical bars, one group per label, one bar per series.
    Bar,
    /// Horizontal bars (long labels: categories, grids).
    HBar,
    /// Lines over the labels (weeks).
    Line,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub id: &'static str,
    pub kind: ChartKind,
    pub title: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// Values are percentages (0–100).
    pub percent: bool,
    // A value that is NaN is a rate of nothing: no bar, not a bar at 0.
}

/// The words the charts need, in the reader's language.
pub struct ChartWords<'a> {
    pub t: &'a dyn Fn(&'static str) -> &'static str,
    pub channel: &'a dyn Fn(&str) -> String,
}

/// Groups with the most cases first, the rest summed into one "其他" row past `keep`.
fn top(groups: &[Group], keep: usize, other: &str) -> Vec<Group> {
    let mut g: Vec<Group> = groups.to_vec();
    g.sort_by(|a, b| {
        b.tally
            .received
            .cmp(&a.tally.received)
            .then(a.name.cmp(&b.name))
    });
    if g.len() > keep {
        let mut rest = Group {
            key: String::new(),
            name: other.to_string(),
            tally: Tally::default(),
        };
        for x in g.drain(keep..) {
            rest.tally.add(&x.tally);
        }
        g.push(rest);
    }
    g
}

/// Months as short labels: "11月" within one year, "25-12" across years.
fn month_labels(months: &[(String, i64)], suffix: &str) -> Vec<String> {
    let one_year = months.windows(2).all(|w| w[0].0[..4] == w[1].0[..4]);
    months
        .iter()
        .map(|(m, _)| {
            if one_year {
                format!("{}{suffix}", m[5..].trim_start_matches('0'))
            } else {
                m[2..].to_string()
            }
        })
        .collect()
}

/// The dashboard's charts, in the order shown. A chart with no data is left out (the page says
/// so instead of drawing empty axes).
pub fn chart_specs(d: &Dashboard, w: &ChartWords) -> Vec<ChartSpec> {
    let t = w.t;
    let mut out = Vec::new();
    if d.weeks.iter().any(|x| x.received + x.closed > 0) {
        out.push(ChartSpec {
            id: "weeks",
            kind: ChartKind::Line,
            title: t("dash.chart_weeks").to_string(),
            labels: d.weeks.iter().map(|x| x.start[5..].to_string()).collect(),
            series: vec![
                Series {
                    name: t("dash.received").to_string(),
                    values: d.weeks.iter().map(|x| x.received as f64).collect(),
                },
                Series {
                    name: t("dash.closed").to_string(),
                    values: d.weeks.iter().map(|x| x.closed as f64).collect(),
                },
            ],
            percent: false,
        });
    }
    let other = t("dash.other");
    let cats = top(&d.by_category, 9, other);
    if cats.iter().any(|g| g.tally.received > 0) {
        out.push(ChartSpec {
            id: "categories",
            kind: ChartKind::HBar,
            title: t("dash.chart_categories").to_string(),
            labels: cats.iter().map(|g| g.name.clone()).collect(),
            series: vec![Series {
                name: t("dash.received").to_string(),
                values: cats.iter().map(|g| g.tally.received as f64).collect(),
            }],
            percent: false,
        });
    }
    // By grid at a community; by community at the whole street.
    let places: Vec<Group> = if d.by_community.len() > 1 {
        d.by_community
            .iter()
            .map(|c| Group {
                key: c.code.clone(),
                name: c.name.clone(),
                tally: c.tally.clone(),
            })
            .collect()
    } else {
        d.by_grid.clone()
    };
    if places.iter().any(|g| g.tally.received > 0) {
        out.push(ChartSpec {
            id: "places",
            kind: ChartKind::HBar,
            title: t(if d.by_community.len() > 1 {
                "dash.chart_communities"
            } else {
                "dash.chart_grids"
            })
            .to_string(),
            labels: places.iter().map(|g| g.name.clone()).collect(),
            series: vec![
                Series {
                    name: t("dash.received").to_string(),
                    values: places.iter().map(|g| g.tally.received as f64).collect(),
                },
                Series {
                    name: t("dash.closed").to_string(),
                    values: places.iter().map(|g| g.tally.closed as f64).collect(),
                },
            ],
            percent: false,
        });
        // Rates only where there is something to divide by.
        let rated: Vec<&Group> = places.iter().filter(|g| g.tally.received > 0).collect();
        out.push(ChartSpec {
            id: "rates",
            kind: ChartKind::HBar,
            title: t("dash.chart_rates").to_string(),
            labels: rated.iter().map(|g| g.name.clone()).collect(),
            series: vec![
                Series {
                    name: t("dash.closure_rate").to_string(),
                    values: rated
                        .iter()
                        .map(|g| g.tally.closure_rate().map_or(f64::NAN, |r| r * 100.0))
                        .collect(),
                },
                Series {
                    name: t("dash.satisfaction_rate").to_string(),
                    values: rated
                        .iter()
                        .map(|g| g.tally.satisfaction_rate().map_or(f64::NAN, |r| r * 100.0))
                        .collect(),
                },
            ],
            percent: true,
        });
    }
    let chans = top(&d.by_channel, 8, other);
    if chans.iter().any(|g| g.tally.received > 0) {
        out.push(ChartSpec {
            id: "channels",
            kind: ChartKind::HBar,
            title: t("dash.chart_channels").to_string(),
            labels: chans
                .iter()
                .map(|g| {
                    if g.key.is_empty() {
                        g.name.clone()
                    } else {
                        (w.channel)(&g.key)
                    }
                })
                .collect(),
            series: vec![Series {
                name: t("dash.received").to_string(),
                values: chans.iter().map(|g| g.tally.received as f64).collect(),
            }],
            percent: false,
        });
    }
    if d.key_by_grid.iter().any(|k| k.people > 0) {
        out.push(ChartSpec {
            id: "key_groups",
            kind: ChartKind::HBar,
            title: t("dash.chart_key_groups").to_string(),
            labels: d.key_by_grid.iter().map(|k| k.name.clone()).collect(),
            series: vec![Series {
                name: t("dash.key_persons").to_string(),
                values: d.key_by_grid.iter().map(|k| k.people as f64).collect(),
            }],
            percent: false,
        });
    }
    if d.minutes_by_month.iter().any(|(_, m)| *m > 0) {
        out.push(ChartSpec {
            id: "hours",
            kind: ChartKind::Bar,
            title: t("dash.chart_hours").to_string(),
            labels: month_labels(&d.minutes_by_month, t("dash.month")),
            series: vec![Series {
                name: t("dash.hours").to_string(),
                values: d
                    .minutes_by_month
                    .iter()
                    .map(|(_, m)| (*m as f64 / 60.0 * 10.0).round() / 10.0)
                    .collect(),
            }],
            percent: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_in_china_time() {
        // 2026-11-30 is a Monday; 2026-12-06 a Sunday.
        let mon = Date::parse("2026-11-30").unwrap().to_days();
        let sun = Date::parse("2026-12-06").unwrap().to_days();
        assert_eq!(week_start(mon), mon);
        assert_eq!(week_start(sun), mon);
        assert_eq!(week_start(sun + 1), mon + 7);
        // 2026-11-29 23:30 in Beijing is 15:30 UTC: still Sunday of the week before.
        let ms = day_start_ms(Date::parse("2026-11-29").unwrap()) + 23 * 3_600_000 + 1_800_000;
        assert_eq!(week_start(local_day(ms)), mon - 7);
        // 2026-11-30 00:10 in Beijing is 16:10 UTC on the 29th: Monday.
        let ms = day_start_ms(Date::parse("2026-11-30").unwrap()) + 600_000;
        assert_eq!(local_day(ms), mon);
        assert_eq!(weeks_of(mon + 2, mon + 15), vec![mon, mon + 7, mon + 14]);
    }

    #[test]
    fn rates_of_nothing_are_a_dash() {
        let t = Tally::default();
        assert_eq!(t.closure_rate(), None);
        assert_eq!(percent(t.closure_rate()), "—");
        assert_eq!(percent(t.satisfaction_rate()), "—");
        assert_eq!(hours(t.mean_hours()), "—");
        // 17154 / 17182, the seed's figure.
        let t = Tally {
            received: 17182,
            closed: 17154,
            rated: 3,
            satisfied: 2,
            overdue: 0,
            close_ms: 17154 * 3_600_000 * 5,
        };
        assert_eq!(percent(t.closure_rate()), "99.8%");
        assert_eq!(percent(t.satisfaction_rate()), "66.7%");
        assert_eq!(hours(t.mean_hours()), "5.0");
    }

    fn g(id: &str, p: Option<&str>, name: &str) -> (String, Option<String>, String) {
        (id.into(), p.map(Into::into), name.into())
    }

    #[test]
    fn grid_rows_count_whole_subtrees() {
        let grids = vec![
            g("root", None, "永安社区"),
            g("a", Some("root"), "第十网格"),
            g("b", Some("root"), "第二网格"),
            g("a1", Some("a"), "1号楼"),
            g("a1x", Some("a1"), "1号楼1单元"),
            g("b1", Some("b"), "5号楼"),
        ];
        let (bucket, rows) = grid_rows(&grids, None, "本级");
        assert_eq!(
            rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
            ["第二网格", "第十网格", "本级"]
        );
        assert_eq!(bucket["root"], "root");
        assert_eq!(bucket["a1x"], "a");
        assert_eq!(bucket["b1"], "b");
        assert_eq!(bucket["a"], "a");
        // Narrowed to 第十网格: its sub-grids are rows, the grid itself is "本级", 第二 is out.
        let (bucket, rows) = grid_rows(&grids, Some("a"), "本级");
        assert_eq!(
            rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
            ["1号楼", "本级"]
        );
        assert_eq!(bucket["a1x"], "a1");
        assert_eq!(bucket["a"], "a");
        assert!(!bucket.contains_key("b1"));
        assert!(!bucket.contains_key("b"));
    }

    #[test]
    fn one_case_tallies_as_of_now() {
        let now = 1_000;
        // Closed by now, rated: handling time from report to close.
        let t = Tally::of_case(now, 100, Some(400), Some("basically_satisfied"), Some(50));
        assert_eq!(
            (
                t.received,
                t.closed,
                t.rated,
                t.satisfied,
                t.overdue,
                t.close_ms
            ),
            (1, 1, 1, 1, 0, 300)
        );
        let t = Tally::of_case(now, 100, Some(400), Some("unsatisfied"), None);
        assert_eq!((t.rated, t.satisfied), (1, 0));
        // Closed after now counts as open: overdue past its deadline, rating not yet counted.
        let t = Tally::of_case(now, 100, Some(2_000), Some("satisfied"), Some(900));
        assert_eq!((t.closed, t.rated, t.overdue, t.close_ms), (0, 0, 1, 0));
        // Open, deadline not reached; open with no deadline.
        assert_eq!(Tally::of_case(now, 100, None, None, Some(1_500)).overdue, 0);
        assert_eq!(Tally::of_case(now, 100, None, None, None).overdue, 0);
        // Closed but never rated.
        let t = Tally::of_case(now, 100, Some(200), None, None);
        assert_eq!((t.closed, t.rated), (1, 0));
    }

    #[test]
    fn months_of_a_range() {
        let f = Date::parse("2025-11-15").unwrap();
        let t = Date::parse("2026-02-01").unwrap();
        assert_eq!(
            months_of(f, t),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
    }

    fn words() -> (
        impl Fn(&'static str) -> &'static str,
        impl Fn(&str) -> String,
    ) {
        (
            |k: &'static str| crate::i18n::Lang::Zh.t(k),
            |c: &str| format!("ch:{c}"),
        )
    }

    #[test]
    fn charts_follow_the_figures_and_skip_the_empty() {
        let (t, ch) = words();
        let w = ChartWords {
            t: &t,
            channel: &ch,
        };
        assert!(chart_specs(&Dashboard::default(), &w).is_empty());
        let tally = |r: u64, c: u64, rated: u64, s: u64| Tally {
            received: r,
            closed: c,
            rated,
            satisfied: s,
            ..Default::default()
        };
        let d = Dashboard {
            weeks: vec![Week {
                start: "2026-11-30".into(),
                received: 3,
                closed: 1,
            }],
            by_grid: vec![
                Group {
                    key: "a".into(),
                    name: "第一网格".into(),
                    tally: tally(4, 2, 2, 1),
                },
                Group {
                    key: "b".into(),
                    name: "第二网格".into(),
                    tally: tally(0, 0, 0, 0),
                },
                Group {
                    key: "c".into(),
                    name: "第三网格".into(),
                    tally: tally(1, 0, 0, 0),
                },
            ],
            by_category: (0..12)
                .map(|i| Group {
                    key: format!("c{i}"),
                    name: format!("类{i:02}"),
                    tally: tally(i + 1, 0, 0, 0),
                })
                .collect(),
            by_channel: vec![Group {
                key: "patrol".into(),
                name: String::new(),
                tally: tally(2, 0, 0, 0),
            }],
            ..Default::default()
        };
        let specs = chart_specs(&d, &w);
        let ids: Vec<_> = specs.iter().map(|s| s.id).collect();
        assert_eq!(ids, ["weeks", "categories", "places", "rates", "channels"]);
        assert_eq!(specs[0].labels, ["11-30"]);
        assert_eq!(specs[0].series[0].values, [3.0]);
        assert_eq!(specs[0].series[1].values, [1.0]);
        // Nine biggest categories and the rest as one row: 1+2+3 = 6.
        assert_eq!(specs[1].labels.len(), 10);
        assert_eq!(specs[1].labels[0], "类11");
        assert_eq!(specs[1].labels[9], "其他");
        assert_eq!(specs[1].series[0].values[9], 6.0);
        // Rates: the grid with no cases is left out, not drawn as 0 %.
        assert_eq!(specs[3].labels, ["第一网格", "第三网格"]);
        assert_eq!(specs[3].series[0].values, [50.0, 0.0]);
        assert_eq!(specs[3].series[1].values[0], 50.0);
        // 第三网格 has no rated case: no satisfaction bar rather than one at 0 %.
        assert!(specs[3].series[1].values[1].is_nan());
        assert!(specs[3].percent);
        assert_eq!(specs[4].labels, ["ch:patrol"]);
    }
}
