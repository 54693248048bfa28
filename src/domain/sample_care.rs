//! The sample community's key-group care and party organisation: a party branch per grid
//! and building groups under it, the residents tagged 党员 as its members (some of their homes
//! 党员中心户), a "1+1" care plan for every key person (a worker of their grid and a party
//! member of its branch), home visits over the past two months at each person's cadence —
//! most on time, some late, a few never made — and a few residents who moved out or died.
//! Deterministic for a seed, like the rest.

use super::care;
use super::date::Date;
use super::id::IdGen;
use super::rng::Rng;
use super::sample::{Sample, SampleOptions, KEY_TAGS};
use super::staff::Duty;

#[derive(Debug, Clone)]
pub struct SampleOrg {
    pub id: String,
    pub grid: usize,
    pub parent: Option<usize>,
    pub kind: &'static str,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct SampleMember {
    pub id: String,
    pub org: usize,
    pub resident: usize,
    pub role: &'static str,
    pub joined_on: String,
    pub center: bool,
}

#[derive(Debug, Clone)]
pub struct SamplePlan {
    pub id: String,
    pub resident: usize,
    pub worker: Option<usize>,
    pub member: Option<usize>,
    pub start_date: String,
}

#[derive(Debug, Clone)]
pub struct SampleVisit {
    pub id: String,
    pub resident: usize,
    pub date: String,
    pub visitor: Option<usize>,
    pub member: Option<usize>,
    pub visitor_name: String,
    pub condition: &'static str,
    pub needs: &'static str,
    pub note: &'static str,
}

#[derive(Debug, Clone)]
pub struct SampleStatus {
    pub id: String,
    pub resident: usize,
    pub kind: &'static str,
    pub date: String,
    pub note: &'static str,
}

#[derive(Debug, Clone, Default)]
pub struct SampleCare {
    pub orgs: Vec<SampleOrg>,
    pub members: Vec<SampleMember>,
    pub plans: Vec<SamplePlan>,
    pub visits: Vec<SampleVisit>,
    pub statuses: Vec<SampleStatus>,
}

const NEEDS: [(&str, &str); 8] = [
    ("", "身体状况良好，精神不错"),
    ("", "子女每周来看望，生活有人照料"),
    ("卫生间扶手松动，需要维修", "已告知物业"),
    ("想办理高龄津贴，不清楚流程", ""),
    ("冬季取暖费有困难", "建议申请临时救助"),
    ("", "血压偏高，提醒按时服药"),
    ("希望有人陪同去医院复查", ""),
    ("", "家中整洁，独自生活无困难"),
];

pub fn generate(s: &Sample, opts: &SampleOptions) -> SampleCare {
    let mut out = SampleCare::default();
    if s.residents.is_empty() {
        return out;
    }
    let mut rng = Rng::new(opts.seed ^ 0x00CA_5E11);
    let mut ids = IdGen::new(opts.seed ^ 0xCA5E);
    let now = opts.now_millis;
    let today = Date::from_millis(now + super::calendar::CST_OFFSET_MS);
    let day = |n: i64| Date::from_days(today.to_days() - n).to_string();
    let top = |mut g: usize| {
        while s.grids[g].level > 1 {
            match s.grids[g].parent {
                Some(p) => g = p,
                None => break,
            }
        }
        g
    };
    let party_tag = KEY_TAGS.iter().position(|t| *t == "党员");

    // A branch per first-level grid; two building groups under each.
    let mut branch_of = vec![None; s.grids.len()];
    for (gi, g) in s.grids.iter().enumerate().filter(|(_, g)| g.level == 1) {
        out.orgs.push(SampleOrg {
            id: ids.next(now),
            grid: gi,
            parent: None,
            kind: "branch",
            name: format!("{}党支部", g.name),
        });
        let b = out.orgs.len() - 1;
        branch_of[gi] = Some(b);
        let yards: Vec<usize> = (0..s.grids.len())
            .filter(|i| s.grids[*i].parent == Some(gi))
            .take(2)
            .collect();
        for (k, y) in yards.into_iter().enumerate() {
            out.orgs.push(SampleOrg {
                id: ids.next(now),
                grid: y,
                parent: Some(b),
                kind: "group",
                name: format!("{}{}号楼党小组", s.grids[y].name, k + 1),
            });
        }
    }
    // Members: the residents tagged 党员, in their grid's branch (or its group in their yard).
    let mut members_of_branch: Vec<Vec<usize>> = vec![Vec::new(); out.orgs.len()];
    for (ri, r) in s.residents.iter().enumerate() {
        if party_tag.is_none_or(|t| !r.tags.contains(&t)) {
            continue;
        }
        let Some(b) = branch_of[top(r.grid)] else {
            continue;
        };
        let org = out
            .orgs
            .iter()
            .position(|o| o.kind == "group" && o.grid == r.grid)
            .unwrap_or(b);
        let first = members_of_branch[b].is_empty();
        out.members.push(SampleMember {
            id: ids.next(now),
            org,
            resident: ri,
            role: if first { "secretary" } else { "member" },
            joined_on: day(rng.range(365 * 2, 365 * 40) as i64),
            center: rng.chance(0.25),
        });
        members_of_branch[b].push(out.members.len() - 1);
    }
    // Workers by grid (a yard's own worker, else its grid's).
    let worker_of = |g: usize| {
        s.grid_staff
            .iter()
            .find(|l| l.grid == g && l.duty == Duty::Worker)
            .or_else(|| {
                s.grid_staff
                    .iter()
                    .find(|l| l.grid == top(g) && l.duty == Duty::Worker)
            })
            .map(|l| l.staff)
    };
    // Care plans and visits for every key person.
    let mut rr = 0usize;
    for (ri, r) in s.residents.iter().enumerate() {
        let days: Vec<u32> = r
            .tags
            .iter()
            .map(|t| care::default_cadence(KEY_TAGS[*t]))
            .collect();
        let Some(cadence) = care::cadence(0, &days) else {
            continue;
        };
        let b = branch_of[top(r.grid)];
        let pool = b.map(|b| &members_of_branch[b]);
        let member = pool.filter(|p| !p.is_empty()).map(|p| {
            rr += 1;
            p[rr % p.len()]
        });
        let worker = worker_of(r.grid);
        out.plans.push(SamplePlan {
            id: ids.next(now),
            resident: ri,
            worker,
            member,
            start_date: day(60),
        });
        // Visits from 60 days back; the last one early enough for some to be late now.
        let roll = rng.range(0, 100);
        if roll < 4 || out.plans.len() % 25 == 2 {
            continue; // never visited yet
        }
        let late = if roll < 18 {
            cadence as i64 + rng.range(1, 20) as i64
        } else {
            rng.range(0, cadence as u64) as i64
        };
        let mut at = late;
        while at <= 60 {
            let (needs, note) = *rng.pick(&NEEDS);
            let by_member = member.is_some() && rng.chance(0.4);
            out.visits.push(SampleVisit {
                id: ids.next(now),
                resident: ri,
                date: day(at),
                visitor: if by_member { None } else { worker },
                member: if by_member { member } else { None },
                visitor_name: match (by_member, member, worker) {
                    (true, Some(m), _) => s.residents[out.members[m].resident].name.clone(),
                    (_, _, Some(w)) => s.staff[w].name.clone(),
                    _ => "网格员".into(),
                },
                condition: if needs.is_empty() { "good" } else { "fair" },
                needs,
                note,
            });
            at += cadence as i64 + rng.range(0, 3) as i64;
        }
    }
    // A few residents who left: moved out or died (not key persons, not party members).
    let keep: std::collections::HashSet<usize> = out
        .plans
        .iter()
        .map(|p| p.resident)
        .chain(out.members.iter().map(|m| m.resident))
        .collect();
    let mut left = 0;
    let mut i = 7usize;
    while left < 12 && i < s.residents.len() {
        if !keep.contains(&i) {
            let died = left % 4 == 3;
            out.statuses.push(SampleStatus {
                id: ids.next(now),
                resident: i,
                kind: if died { "died" } else { "moved_out" },
                date: day(rng.range(5, 300) as i64),
                note: if died { "" } else { "购房迁往外区" },
            });
            left += 1;
        }
        i += (s.residents.len() / 40).max(1);
    }
    out
}
