//! The sample community's volunteers: five teams (the 楼院发声员 among them), 40–80
//! volunteers — mostly residents, some outside people, party members and in-service party
//! members registered from their workplaces with the posts they claimed. Deterministic for a
//! seed, like the rest of the sample.

use super::date::Date;
use super::id::IdGen;
use super::rng::Rng;
use super::sample::{Sample, SampleOptions};
use super::volunteer::{AVAILABILITY, POSTS, SKILLS};

#[derive(Debug, Clone)]
pub struct SampleVolunteer {
    pub id: String,
    /// A resident of the sample, or an outside person.
    pub resident: Option<usize>,
    pub grid: Option<usize>,
    pub name: String,
    pub phone: String,
    pub skills: Vec<String>,
    pub availability: Vec<String>,
    pub party_member: bool,
    pub in_service: bool,
    pub work_unit: String,
    pub posts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SampleTeam {
    pub id: String,
    pub name: &'static str,
    pub leader: usize,
    pub members: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct SampleShift {
    pub id: String,
    pub series: String,
    pub title: &'static str,
    pub grid: Option<usize>,
    pub place: &'static str,
    pub role: &'static str,
    pub start: i64,
    pub end: i64,
    pub needed: u32,
    pub people: Vec<SamplePerson>,
}

/// (volunteer, status, checked in and out)
pub type SamplePerson = (usize, &'static str, Option<(i64, i64)>);

/// Hours logged for a task (time bank).
#[derive(Debug, Clone)]
pub struct SampleTask {
    pub id: String,
    pub volunteer: usize,
    pub day: Date,
    pub minutes: i64,
    pub task: &'static str,
}

const TASKS: [&str; 8] = [
    "陪同独居老人就医",
    "为空巢老人代买生活用品",
    "楼道杂物清理",
    "反诈宣传入户",
    "帮助残疾人办理补贴",
    "文明交通劝导",
    "社区图书角整理",
    "防汛物资搬运",
];

#[derive(Debug, Clone, Default)]
pub struct SampleVolunteers {
    pub volunteers: Vec<SampleVolunteer>,
    pub teams: Vec<SampleTeam>,
    pub shifts: Vec<SampleShift>,
    pub tasks: Vec<SampleTask>,
}

/// Weekly duties of the sample: (title, team, weekday 0 = Monday, start minute, minutes,
/// needed, place, role).
type Duty = (
    &'static str,
    usize,
    i64,
    i64,
    i64,
    u32,
    &'static str,
    &'static str,
);
const DUTIES: [Duty; 4] = [
    (
        "周六晚平安巡逻",
        2,
        5,
        18 * 60,
        180,
        3,
        "小区主干道",
        "巡逻",
    ),
    (
        "八小时以外值班",
        1,
        2,
        17 * 60 + 30,
        180,
        1,
        "社区党群服务中心",
        "值班",
    ),
    (
        "周日环境整治",
        4,
        6,
        8 * 60 + 30,
        150,
        4,
        "背街小巷",
        "清洁",
    ),
    ("楼院议事收集", 0, 5, 19 * 60, 90, 2, "各楼院", "民意收集"),
];

const TEAMS: [&str; 5] = [
    "楼院发声员",
    "党员志愿服务队",
    "平安巡逻队",
    "邻里关爱队",
    "环境卫生志愿队",
];

const WORK_UNITS: [&str; 8] = [
    "区财政局",
    "区教育局",
    "市第一中学",
    "区人民医院",
    "区市场监管局",
    "市供电公司",
    "区司法局",
    "区住建局",
];

const OUTSIDE_NAMES: [&str; 12] = [
    "周建国",
    "吴秀英",
    "郑文静",
    "王志强",
    "冯丽华",
    "陈晓东",
    "褚玉兰",
    "卫国平",
    "蒋红梅",
    "沈立新",
    "韩春燕",
    "杨振华",
];

fn some_of(rng: &mut Rng, from: &[&str], p: f64) -> Vec<String> {
    from.iter()
        .filter(|_| rng.chance(p))
        .map(|s| s.to_string())
        .collect()
}

pub fn generate(s: &Sample, opts: &SampleOptions) -> SampleVolunteers {
    let mut rng = Rng::new(opts.seed ^ 0x701_0E7E);
    let mut ids = IdGen::new(opts.seed ^ 0x7010);
    let now = opts.now_millis;
    let today = Date::from_millis(now + super::calendar::CST_OFFSET_MS);
    // Adults of working or active retired age.
    let adults: Vec<usize> = (0..s.residents.len())
        .filter(|i| (18..=75).contains(&s.residents[*i].birth_date.age_on(today)))
        .collect();
    if adults.is_empty() {
        return SampleVolunteers::default();
    }
    // No more volunteers than the adults living there (tiny test communities stay small).
    let n = (40 + rng.range(0, 40) as usize).min(adults.len().max(8));
    let mut used = std::collections::HashSet::new();
    let mut volunteers = Vec::with_capacity(n);
    for i in 0..n {
        let outside = i % 7 == 6;
        let resident = if outside {
            None
        } else {
            let mut r = adults[rng.range(0, adults.len() as u64 - 1) as usize];
            for _ in 0..5 {
                if used.insert(r) {
                    break;
                }
                r = adults[rng.range(0, adults.len() as u64 - 1) as usize];
            }
            Some(r)
        };
        let (name, phone, grid) = match resident {
            Some(r) => {
                let p = &s.residents[r];
                let phone = p
                    .phone
                    .clone()
                    .unwrap_or_else(|| format!("139{:08}", rng.range(0, 99_999_999)));
                (p.name.clone(), phone, Some(p.grid))
            }
            None => (
                OUTSIDE_NAMES[i / 7 % OUTSIDE_NAMES.len()].to_string(),
                format!("137{:08}", rng.range(0, 99_999_999)),
                None,
            ),
        };
        let party_member = rng.chance(0.4);
        let in_service = party_member && (outside || rng.chance(0.2));
        let mut skills = some_of(&mut rng, SKILLS, 0.18);
        if skills.is_empty() {
            skills.push(SKILLS[rng.range(0, SKILLS.len() as u64 - 1) as usize].to_string());
        }
        let mut availability = some_of(&mut rng, AVAILABILITY, 0.5);
        if availability.is_empty() {
            availability.push("weekends".into());
        }
        let (work_unit, posts) = if in_service {
            let mut posts = some_of(&mut rng, POSTS, 0.25);
            if posts.is_empty() {
                posts.push(POSTS[rng.range(0, POSTS.len() as u64 - 1) as usize].to_string());
            }
            (
                WORK_UNITS[rng.range(0, WORK_UNITS.len() as u64 - 1) as usize].to_string(),
                posts,
            )
        } else {
            (String::new(), Vec::new())
        };
        volunteers.push(SampleVolunteer {
            id: ids.next(now),
            resident,
            grid,
            name,
            phone,
            skills,
            availability,
            party_member,
            in_service,
            work_unit,
            posts,
        });
    }
    // Teams: each volunteer joins one or two; party members form the party team.
    let mut teams: Vec<SampleTeam> = TEAMS
        .iter()
        .map(|name| SampleTeam {
            id: ids.next(now),
            name,
            leader: 0,
            members: Vec::new(),
        })
        .collect();
    for (i, v) in volunteers.iter().enumerate() {
        if v.party_member {
            teams[1].members.push(i);
        }
        let t = [0, 2, 3, 4][rng.range(0, 3) as usize];
        teams[t].members.push(i);
        if rng.chance(0.2) {
            let u = [0, 2, 3, 4][rng.range(0, 3) as usize];
            if u != t {
                teams[u].members.push(i);
            }
        }
    }
    for t in &mut teams {
        t.members.sort_unstable();
        if t.members.is_empty() {
            t.members.push(0);
        }
        t.leader = t.members[rng.range(0, t.members.len() as u64 - 1) as usize];
    }
    let shifts = roster(&mut rng, &mut ids, &teams, s, now);
    // Tasks over the last three months: about one for every second volunteer.
    let tasks = (0..volunteers.len() / 2)
        .map(|_| SampleTask {
            id: ids.next(now),
            volunteer: rng.range(0, volunteers.len() as u64 - 1) as usize,
            day: Date::from_days(today.to_days() - rng.range(1, 90) as i64),
            minutes: 30 * rng.range(1, 8) as i64,
            task: TASKS[rng.range(0, TASKS.len() as u64 - 1) as usize],
        })
        .collect();
    SampleVolunteers {
        volunteers,
        teams,
        shifts,
        tasks,
    }
}

/// Eight weeks of duty, from two weeks ago: past shifts are done (a few no-shows), and the
/// Saturday patrol and the Saturday evening listening overlap for whoever is in both teams —
/// the conflicts an office resolves.
fn roster(
    rng: &mut Rng,
    ids: &mut IdGen,
    teams: &[SampleTeam],
    s: &Sample,
    now: i64,
) -> Vec<SampleShift> {
    use super::roster::{week_start, DAY, WEEK};
    let first_week = week_start(now) - 2 * WEEK;
    let yards: Vec<usize> = (0..s.grids.len())
        .filter(|i| s.grids[*i].level == 1)
        .collect();
    let mut out = Vec::new();
    for (title, team, weekday, minute, minutes, needed, place, role) in DUTIES {
        let series = ids.next(now);
        let members = &teams[team].members;
        if members.is_empty() {
            continue;
        }
        for w in 0..8i64 {
            let start = first_week + w * WEEK + weekday * DAY + minute * 60_000;
            let end = start + minutes * 60_000;
            let mut people = Vec::new();
            let k = (needed as usize).min(members.len());
            for j in 0..k {
                let v = members[(w as usize * k + j) % members.len()];
                let (status, checked) = if end < now {
                    if rng.chance(0.08) {
                        ("no_show", None)
                    } else if rng.chance(0.5) {
                        // Checked in a little early or late, out around the end.
                        let a = start + (rng.range(0, 20) as i64 - 10) * 60_000;
                        let b = end + (rng.range(0, 40) as i64 - 15) * 60_000;
                        ("done", Some((a, b)))
                    } else {
                        ("done", None)
                    }
                } else {
                    ("planned", None)
                };
                people.push((v, status, checked));
            }
            // Now and then one short.
            if w % 3 == 2 && people.len() > 1 {
                people.pop();
            }
            out.push(SampleShift {
                id: ids.next(now),
                series: series.clone(),
                title,
                grid: yards.get(w as usize % yards.len().max(1)).copied(),
                place,
                role,
                start,
                end,
                needed,
                people,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample;
    use crate::domain::volunteer::{validate, VolunteerDraft};

    #[test]
    fn the_sample_has_valid_volunteers_in_teams() {
        let opts = SampleOptions::community(1, 1_795_000_000_000);
        let s = sample::generate(&opts);
        let v = generate(&s, &opts);
        assert!((40..=80).contains(&v.volunteers.len()));
        assert_eq!(v.teams.len(), 5);
        for x in &v.volunteers {
            validate(&VolunteerDraft {
                name: &x.name,
                phone: &x.phone,
                skills: &x.skills,
                availability: &x.availability,
                party_member: x.party_member,
                in_service: x.in_service,
                work_unit: &x.work_unit,
                posts: &x.posts,
            })
            .unwrap_or_else(|e| panic!("{x:?}: {e:?}"));
        }
        assert!(v.volunteers.iter().any(|x| x.in_service));
        assert!(v.volunteers.iter().any(|x| x.resident.is_none()));
        for t in &v.teams {
            assert!(t.members.contains(&t.leader));
        }
        assert_eq!(v.shifts.len(), 32, "four weekly duties for eight weeks");
        assert!(
            v.shifts.iter().any(|x| x.people.len() < x.needed as usize),
            "some short"
        );
        assert!(v
            .shifts
            .iter()
            .flat_map(|x| &x.people)
            .any(|p| p.1 == "done"));
        let again = generate(&s, &opts);
        assert_eq!(
            again.volunteers[3].name, v.volunteers[3].name,
            "deterministic"
        );
    }
}
