//! The sample community's case history: about a year of cases in every state, each with the
//! events a real office would have recorded. Deterministic for a seed, like the rest of the
//! sample.

use super::calendar::{Calendar, Limit};
use super::case::Move;
use super::category;
use super::id::IdGen;
use super::rng::Rng;
use super::sample::{Sample, SampleOptions};
use super::staff::Role;

#[derive(Debug, Clone)]
pub struct SampleEvent {
    pub id: String,
    pub mv: Move,
    /// Wall clock, UTC ms.
    pub at: i64,
    /// Index into the sample's staff.
    pub actor: usize,
    pub remark: String,
    pub assignee: String,
    pub rating: &'static str,
}

#[derive(Debug, Clone)]
pub struct SampleCase {
    pub id: String,
    /// Index into the sample's grids.
    pub grid: usize,
    pub household: Option<usize>,
    pub category_code: String,
    pub title: String,
    pub description: String,
    pub channel: &'static str,
    /// Index into the sample's residents; None for a patrol find or an anonymous report.
    pub reporter: Option<usize>,
    pub reported_at: i64,
    pub deadline: i64,
    pub events: Vec<SampleEvent>,
}

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

const FEEDBACK: &[&str] = &[
    "已联系责任单位现场处理完毕",
    "已协调物业维修，恢复正常",
    "已上门调解，双方达成一致",
    "已清理完毕并拍照留存",
    "已督促商户整改到位",
];

/// The events of one case as they are made up, in time order.
struct Timeline {
    t: i64,
    now: i64,
    events: Vec<SampleEvent>,
}

impl Timeline {
    /// The next event, a random while after the last; false once it would be in the future.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rng: &mut Rng,
        mv: Move,
        gap_max: i64,
        actor: usize,
        remark: &str,
        assignee: &str,
        rating: &'static str,
    ) -> bool {
        self.t += HOUR / 4 + rng.range(0, gap_max.max(1) as u64) as i64;
        if self.t >= self.now {
            return false;
        }
        self.events.push(SampleEvent {
            id: String::new(),
            mv,
            at: self.t,
            actor,
            remark: remark.to_string(),
            assignee: assignee.to_string(),
            rating,
        });
        true
    }
}

pub fn generate(s: &Sample, opts: &SampleOptions, calendar: &Calendar) -> Vec<SampleCase> {
    let mut rng = Rng::new(opts.seed ^ 0xCA5E_5EED);
    let mut ids = IdGen::new(opts.seed ^ 0xCA5E);
    let table = category::shipped();
    let items: Vec<&category::Item> = table.categories.iter().flat_map(|g| &g.items).collect();
    let micro: Vec<usize> = (0..s.grids.len())
        .filter(|i| s.grids[*i].level == 2)
        .collect();
    let managers: Vec<usize> = (0..s.staff.len())
        .filter(|i| matches!(s.staff[*i].role, Role::GridLeader | Role::CommunityCadre))
        .collect();
    let workers: Vec<usize> = (0..s.staff.len())
        .filter(|i| !managers.contains(i))
        .collect();
    if micro.is_empty() || managers.is_empty() || workers.is_empty() {
        return Vec::new();
    }
    let pick = |rng: &mut Rng, v: &[usize]| v[rng.range(0, v.len() as u64 - 1) as usize];
    let now = opts.now_millis;
    let mut out = Vec::with_capacity(opts.cases);
    for _ in 0..opts.cases {
        let age_days = rng.range(0, 364) as i64;
        // Reported during the day, mostly in working hours (CST 08:00–20:00).
        let day0 = (now - age_days * DAY).div_euclid(DAY) * DAY;
        let mut at = day0 + rng.range(0, 12 * 60) as i64 * 60_000; // 08:00–20:00 CST
        if at >= now {
            at = now - rng.range(1, 600) as i64 * 60_000;
        }
        let item = items[rng.range(0, items.len() as u64 - 1) as usize];
        let grid = pick(&mut rng, &micro);
        let channel = [
            "resident",
            "patrol",
            "patrol",
            "hotline_12345",
            "photo",
            "other",
        ][rng.range(0, 5) as usize];
        let reporter = (channel != "patrol" && !s.residents.is_empty() && rng.chance(0.7))
            .then(|| rng.range(0, s.residents.len() as u64 - 1) as usize);
        let household = reporter.map(|r| s.residents[r].household);
        let grid = reporter.map(|r| s.residents[r].grid).unwrap_or(grid);
        let place = &s.grids[grid].name;
        let deadline = calendar.deadline(at, item.limit);
        let limit_ms = match item.limit {
            Limit::WorkingHours(h) => h * HOUR,
            Limit::WorkingDays(d) => d * DAY,
        };
        let worker = pick(&mut rng, &workers);
        let manager = pick(&mut rng, &managers);
        let mut tl = Timeline {
            t: at - HOUR / 4,
            now,
            events: Vec::new(),
        };
        let reporter_staff = if channel == "patrol" { worker } else { manager };
        tl.push(&mut rng, Move::Report, 0, reporter_staff, "", "", "");
        let fate = rng.range(0, 99);
        let assignee = s.staff[worker].name.clone();
        let fast = limit_ms.min(2 * DAY);
        'flow: {
            if fate < 3 {
                tl.push(
                    &mut rng,
                    Move::Void,
                    HOUR,
                    manager,
                    "重复上报，与已有事件合并",
                    "",
                    "",
                );
                break 'flow;
            }
            if !tl.push(&mut rng, Move::Accept, 2 * HOUR, manager, "", "", "") {
                break 'flow;
            }
            if fate < 6 {
                tl.push(
                    &mut rng,
                    Move::Escalate,
                    4 * HOUR,
                    manager,
                    "涉及多个部门，需街道协调",
                    "",
                    "",
                );
                break 'flow;
            }
            if !tl.push(
                &mut rng,
                Move::Dispatch,
                2 * HOUR,
                manager,
                "",
                &assignee,
                "",
            ) {
                break 'flow;
            }
            if fate < 10 {
                tl.push(&mut rng, Move::Urge, fast, manager, "请加快处理", "", "");
            }
            if !tl.push(&mut rng, Move::Start, fast / 2, worker, "", "", "") {
                break 'flow;
            }
            if fate < 15 {
                // Handled late: past the deadline.
                tl.t += limit_ms;
            }
            let note = FEEDBACK[rng.range(0, FEEDBACK.len() as u64 - 1) as usize];
            if !tl.push(&mut rng, Move::Feedback, fast, worker, note, "", "") {
                break 'flow;
            }
            if fate < 20 {
                if !tl.push(
                    &mut rng,
                    Move::Return,
                    4 * HOUR,
                    manager,
                    "现场核查未完全整改",
                    "",
                    "",
                ) {
                    break 'flow;
                }
                if !tl.push(
                    &mut rng,
                    Move::Feedback,
                    DAY,
                    worker,
                    "已再次整改到位",
                    "",
                    "",
                ) {
                    break 'flow;
                }
            }
            if !tl.push(
                &mut rng,
                Move::Verify,
                DAY / 2,
                manager,
                "现场核查属实",
                "",
                "",
            ) {
                break 'flow;
            }
            if !tl.push(&mut rng, Move::Close, 4 * HOUR, manager, "", "", "") {
                break 'flow;
            }
            if rng.chance(0.8) {
                let rating = match rng.range(0, 99) {
                    0..=79 => "satisfied",
                    80..=94 => "basically_satisfied",
                    _ => "unsatisfied",
                };
                tl.push(
                    &mut rng,
                    Move::Rate,
                    3 * DAY,
                    manager,
                    "电话回访",
                    "",
                    rating,
                );
            }
        }
        let mut events = tl.events;
        for e in &mut events {
            e.id = ids.next(e.at);
        }
        out.push(SampleCase {
            id: ids.next(at),
            grid,
            household,
            category_code: item.code.clone(),
            title: format!("{place}{}", item.name),
            description: format!("{}：{place}附近，请尽快处理", item.filing),
            channel,
            reporter,
            reported_at: at,
            deadline,
            events,
        });
    }
    out
}
