//! A realistic sample community, deterministic for a seed: a three-level grid tree, staff on
//! every grid, households at building/unit/room addresses, residents whose names, birth dates
//! and genders agree with valid ID numbers, phones, and key-group tags in plausible proportions.
//! Used by the setup screen, the command-line tool and the benchmarks.

use super::date::Date;
use super::id::IdGen;
use super::idcard::{self, Gender};
use super::rng::Rng;
use super::staff::{Duty, Role};

#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub seed: u64,
    pub community_name: String,
    pub community_code: String,
    pub street_name: String,
    /// How many households to make; residents follow (≈ 2.7 per household).
    pub households: usize,
    /// Grids under the community (micro grids are 4–6 per grid).
    pub grids: usize,
    /// "Today" for ages and ids (milliseconds since the epoch).
    pub now_millis: i64,
    /// Cases over the past year (see `sample_cases`).
    pub cases: usize,
    /// Micro-wishes of the past two months (see `sample_wishes`).
    pub wishes: usize,
}

impl SampleOptions {
    /// The community-scale sample of product.md: 永安社区 of 建中街街道.
    pub fn community(seed: u64, now_millis: i64) -> Self {
        SampleOptions {
            seed,
            community_name: "永安社区".into(),
            community_code: "410103008005".into(),
            street_name: "建中街街道".into(),
            households: 3000,
            grids: 7,
            now_millis,
            cases: 3000,
            wishes: 24,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SampleGrid {
    pub id: String,
    pub parent: Option<usize>,
    pub level: usize,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct SampleStaff {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub phone: String,
}

#[derive(Debug, Clone)]
pub struct SampleGridStaff {
    pub id: String,
    pub grid: usize,
    pub staff: usize,
    pub duty: Duty,
}

#[derive(Debug, Clone)]
pub struct SampleHousehold {
    pub id: String,
    pub grid: usize,
    pub building: String,
    pub unit: String,
    pub room: String,
}

#[derive(Debug, Clone)]
pub struct SampleResident {
    pub id: String,
    pub household: usize,
    pub grid: usize,
    pub name: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub id_number: String,
    pub phone: Option<String>,
    pub relation: &'static str,
    /// Indexes into [`KEY_TAGS`].
    pub tags: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Sample {
    pub grids: Vec<SampleGrid>,
    pub staff: Vec<SampleStaff>,
    pub grid_staff: Vec<SampleGridStaff>,
    pub households: Vec<SampleHousehold>,
    pub residents: Vec<SampleResident>,
    /// Ids of the built-in tags, in the order of [`KEY_TAGS`].
    pub tag_ids: Vec<String>,
}

/// The built-in key-group tags (tags are data; a community can add its own).
pub const KEY_TAGS: [&str; 10] = [
    "独居老人",
    "空巢老人",
    "孤寡老人",
    "残疾人",
    "低保户",
    "留守儿童",
    "孕妇",
    "危重症病人",
    "退役军人",
    "党员",
];
const T_ALONE: usize = 0;
const T_EMPTY_NEST: usize = 1;
const T_CHILDLESS: usize = 2;
const T_DISABLED: usize = 3;
const T_LOW_INCOME: usize = 4;
const T_LEFT_BEHIND: usize = 5;
const T_PREGNANT: usize = 6;
const T_CRITICAL: usize = 7;
const T_VETERAN: usize = 8;
const T_PARTY: usize = 9;

const SURNAMES: [(&str, u32); 40] = [
    ("王", 72),
    ("李", 70),
    ("张", 68),
    ("刘", 55),
    ("陈", 45),
    ("杨", 32),
    ("赵", 22),
    ("黄", 22),
    ("周", 18),
    ("吴", 18),
    ("徐", 14),
    ("孙", 14),
    ("胡", 12),
    ("朱", 12),
    ("高", 11),
    ("林", 10),
    ("何", 10),
    ("郭", 10),
    ("马", 10),
    ("罗", 8),
    ("梁", 8),
    ("宋", 7),
    ("郑", 7),
    ("谢", 6),
    ("韩", 6),
    ("唐", 6),
    ("冯", 6),
    ("于", 5),
    ("董", 5),
    ("萧", 4),
    ("程", 5),
    ("曹", 5),
    ("袁", 4),
    ("邓", 4),
    ("许", 4),
    ("傅", 3),
    ("沈", 3),
    ("曾", 3),
    ("彭", 3),
    ("吕", 3),
];
const MALE_OLD: [&str; 16] = [
    "建国", "国庆", "建华", "志强", "德明", "振华", "国强", "福生", "长江", "永贵", "春生", "玉林",
    "建军", "卫东", "红旗", "保国",
];
const FEMALE_OLD: [&str; 16] = [
    "秀英", "桂英", "淑珍", "秀兰", "玉兰", "凤英", "桂兰", "秀珍", "玉珍", "淑英", "翠花", "素芳",
    "红梅", "丽华", "美华", "春兰",
];
const MALE_MID: [&str; 16] = [
    "伟", "磊", "勇", "军", "涛", "强", "斌", "鹏", "超", "浩", "亮", "刚", "晓东", "海涛", "志刚",
    "文博",
];
const FEMALE_MID: [&str; 16] = [
    "丽", "静", "敏", "燕", "艳", "娟", "霞", "婷", "晶", "雪", "慧", "丹", "晓燕", "海燕", "丽娜",
    "春燕",
];
const MALE_YOUNG: [&str; 16] = [
    "子轩", "浩宇", "宇航", "梓豪", "俊杰", "一鸣", "皓轩", "子墨", "宇泽", "博文", "思远", "睿",
    "浩然", "嘉豪", "明轩", "天佑",
];
const FEMALE_YOUNG: [&str; 16] = [
    "子涵", "欣怡", "梓萱", "诗涵", "雨桐", "可馨", "语嫣", "思彤", "佳怡", "一诺", "梦琪", "欣妍",
    "若汐", "紫涵", "芷若", "安琪",
];
const REGIONS: [(&str, u32); 8] = [
    ("410103", 40),
    ("410102", 10),
    ("410105", 10),
    ("410104", 8),
    ("411302", 8),
    ("410302", 8),
    ("412702", 8),
    ("370102", 8),
];
const PHONE_PREFIXES: [&str; 20] = [
    "138", "139", "137", "135", "136", "150", "151", "152", "158", "159", "182", "183", "187",
    "188", "130", "131", "155", "156", "186", "189",
];
const GRID_NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const YARD_NAMES: [&str; 12] = [
    "幸福里",
    "和平苑",
    "建新院",
    "康乐园",
    "祥和小区",
    "东风院",
    "铁路家属院",
    "纺织厂家属院",
    "锦绣花园",
    "永安小区",
    "兴华苑",
    "嵩山里",
];

struct Gen {
    rng: Rng,
    ids: IdGen,
    now: i64,
}

impl Gen {
    fn id(&mut self) -> String {
        self.ids.next(self.now)
    }

    fn name(&mut self, gender: Gender, birth_year: i32, surname: Option<&str>) -> String {
        let s = match surname {
            Some(s) => s.to_string(),
            None => self.rng.weighted(&SURNAMES).to_string(),
        };
        let pool: &[&str] = match (gender, birth_year) {
            (Gender::Male, ..=1965) => &MALE_OLD,
            (Gender::Female, ..=1965) => &FEMALE_OLD,
            (Gender::Male, ..=1995) => &MALE_MID,
            (Gender::Female, ..=1995) => &FEMALE_MID,
            (Gender::Male, _) => &MALE_YOUNG,
            (Gender::Female, _) => &FEMALE_YOUNG,
        };
        format!("{s}{}", self.rng.pick(pool))
    }

    fn phone(&mut self) -> String {
        let p = self.rng.pick(&PHONE_PREFIXES);
        format!("{p}{:08}", self.rng.range(0, 99_999_999))
    }

    /// A birth date for someone aged `min_age..=max_age` today (never after today).
    fn birth(&mut self, today: Date, min_age: i32, max_age: i32) -> Date {
        let years_ago = |n: i32| {
            let year = today.year - n;
            let day = today.day.min(super::date::days_in_month(year, today.month));
            Date {
                year,
                month: today.month,
                day,
            }
            .to_days()
        };
        // Born after `earliest` (so not yet max_age + 1) and on or before `latest`.
        let earliest = years_ago(max_age + 1) + 1;
        let latest = years_ago(min_age);
        Date::from_days(earliest + self.rng.range(0, (latest - earliest) as u64) as i64)
    }
}

pub fn generate(opts: &SampleOptions) -> Sample {
    let mut g = Gen {
        rng: Rng::new(opts.seed),
        ids: IdGen::new(opts.seed ^ 0x5eed),
        now: opts.now_millis,
    };
    let today = Date::from_millis(opts.now_millis);

    // Grid tree.
    let mut grids = vec![SampleGrid {
        id: g.id(),
        parent: None,
        level: 0,
        name: opts.community_name.clone(),
    }];
    let mut micro = Vec::new();
    let mut yard_no = 0;
    for gi in 0..opts.grids {
        let name = format!("第{}网格", GRID_NUMERALS.get(gi).copied().unwrap_or("十"));
        grids.push(SampleGrid {
            id: g.id(),
            parent: Some(0),
            level: 1,
            name,
        });
        let parent = grids.len() - 1;
        let n = g.rng.range(4, 6);
        for _ in 0..n {
            let yard = YARD_NAMES[yard_no % YARD_NAMES.len()];
            let name = if yard_no < YARD_NAMES.len() {
                yard.to_string()
            } else {
                format!("{yard}{}期", yard_no / YARD_NAMES.len() + 1)
            };
            yard_no += 1;
            grids.push(SampleGrid {
                id: g.id(),
                parent: Some(parent),
                level: 2,
                name,
            });
            micro.push(grids.len() - 1);
        }
    }

    // Staff: community cadres, then per grid a leader, full- and part-time workers, and a
    // micro-grid worker per yard.
    let mut staff = Vec::new();
    let mut grid_staff = Vec::new();
    let mut add_staff =
        |g: &mut Gen, role: Role, grid: Option<usize>, duty: Duty, staff: &mut Vec<SampleStaff>| {
            let gender = if g.rng.chance(0.6) {
                Gender::Female
            } else {
                Gender::Male
            };
            let by = today.year - g.rng.range(25, 55) as i32;
            let s = SampleStaff {
                id: g.id(),
                name: g.name(gender, by, None),
                role,
                phone: g.phone(),
            };
            staff.push(s);
            if let Some(grid) = grid {
                let id = g.id();
                grid_staff.push(SampleGridStaff {
                    id,
                    grid,
                    staff: staff.len() - 1,
                    duty,
                });
            }
        };
    for _ in 0..3 {
        add_staff(
            &mut g,
            Role::CommunityCadre,
            Some(0),
            Duty::Worker,
            &mut staff,
        );
    }
    for (gi, grid) in grids.iter().enumerate().skip(1) {
        match grid.level {
            1 => {
                add_staff(&mut g, Role::GridLeader, Some(gi), Duty::Leader, &mut staff);
                for _ in 0..g.rng.range(1, 2) {
                    add_staff(
                        &mut g,
                        Role::FullTimeWorker,
                        Some(gi),
                        Duty::Worker,
                        &mut staff,
                    );
                }
                for _ in 0..2 {
                    add_staff(
                        &mut g,
                        Role::PartTimeWorker,
                        Some(gi),
                        Duty::Worker,
                        &mut staff,
                    );
                }
            }
            _ => add_staff(
                &mut g,
                Role::MicroGridWorker,
                Some(gi),
                Duty::Leader,
                &mut staff,
            ),
        }
    }

    // Households spread over the yards: 2–4 buildings each, 1–3 units, 6 floors × 2 rooms.
    let mut households = Vec::with_capacity(opts.households);
    let per_yard = opts.households.div_ceil(micro.len().max(1));
    'yards: for (yi, &grid) in micro.iter().enumerate() {
        let buildings = g.rng.range(3, 5) as usize;
        let mut made = 0;
        for b in 0..buildings {
            for unit in 1..=3 {
                for floor in 1..=7 {
                    for room in 1..=2 {
                        if made >= per_yard || households.len() >= opts.households {
                            continue 'yards;
                        }
                        let _ = yi;
                        households.push(SampleHousehold {
                            id: g.id(),
                            grid,
                            building: format!("{}号楼", b + 1),
                            unit: format!("{unit}单元"),
                            room: format!("{floor}0{room}"),
                        });
                        made += 1;
                    }
                }
            }
        }
    }

    // Residents, household by household.
    let mut residents: Vec<SampleResident> = Vec::new();
    let mut seq = 0u32;
    let mut used_ids = std::collections::HashSet::new();
    for (hi, h) in households.iter().enumerate() {
        let grid = h.grid;
        let kind = *g.rng.weighted(&[
            ("alone_old", 10),
            ("old_couple", 14),
            ("couple", 16),
            ("family", 44),
            ("three_gen", 10),
            ("single", 6),
        ]);
        let region = *g.rng.weighted(&REGIONS);
        let surname = g.rng.weighted(&SURNAMES).to_string();
        let mut members: Vec<(Gender, Date, &'static str, bool)> = Vec::new(); // gender, birth, relation, same surname
        let head_gender = if g.rng.chance(0.55) {
            Gender::Male
        } else {
            Gender::Female
        };
        let other = |x: Gender| {
            if x == Gender::Male {
                Gender::Female
            } else {
                Gender::Male
            }
        };
        match kind {
            "alone_old" => members.push((
                if g.rng.chance(0.65) {
                    Gender::Female
                } else {
                    Gender::Male
                },
                g.birth(today, 65, 95),
                "户主",
                true,
            )),
            "old_couple" => {
                let b = g.birth(today, 62, 88);
                members.push((Gender::Male, b, "户主", true));
                members.push((Gender::Female, g.birth(today, 60, 86), "配偶", false));
            }
            "couple" => {
                members.push((head_gender, g.birth(today, 24, 45), "户主", true));
                members.push((other(head_gender), g.birth(today, 23, 45), "配偶", false));
            }
            "single" => members.push((head_gender, g.birth(today, 20, 60), "户主", true)),
            _ => {
                let head_age = g.rng.range(30, 55) as i32;
                members.push((
                    head_gender,
                    g.birth(today, head_age, head_age),
                    "户主",
                    true,
                ));
                members.push((
                    other(head_gender),
                    g.birth(today, head_age - 3, head_age + 2),
                    "配偶",
                    false,
                ));
                let kids = *g.rng.weighted(&[(1, 55), (2, 40), (3, 5)]);
                for _ in 0..kids {
                    let kid_gender = if g.rng.chance(0.52) {
                        Gender::Male
                    } else {
                        Gender::Female
                    };
                    members.push((
                        kid_gender,
                        g.birth(today, 0, (head_age - 22).clamp(1, 30)),
                        "子女",
                        true,
                    ));
                }
                if kind == "three_gen" {
                    let n = g.rng.range(1, 2);
                    for k in 0..n {
                        let gender = if k == 0 { Gender::Female } else { Gender::Male };
                        members.push((
                            gender,
                            g.birth(today, head_age + 24, (head_age + 35).min(95)),
                            "父母",
                            k == 1,
                        ));
                    }
                }
            }
        }
        let hh_low_income = g.rng.chance(0.025);
        let first_index = residents.len();
        for (gender, birth, relation, same_surname) in members {
            seq = seq.wrapping_add(g.rng.range(1, 7) as u32);
            let mut id_number = idcard::make(region, birth, seq % 1000, gender);
            while !used_ids.insert(id_number.clone()) {
                seq = seq.wrapping_add(2);
                id_number = idcard::make(region, birth, seq % 1000, gender);
            }
            let name = g.name(
                gender,
                birth.year,
                if same_surname { Some(&surname) } else { None },
            );
            let age = birth.age_on(today);
            let phone =
                (age >= 16 && g.rng.chance(if age >= 75 { 0.6 } else { 0.93 })).then(|| g.phone());
            let mut tags = Vec::new();
            if age >= 18 && g.rng.chance(if age >= 60 { 0.12 } else { 0.06 }) {
                tags.push(T_PARTY);
            }
            if g.rng.chance(if age >= 65 { 0.07 } else { 0.02 }) {
                tags.push(T_DISABLED);
            }
            if gender == Gender::Male && (20..=75).contains(&age) && g.rng.chance(0.04) {
                tags.push(T_VETERAN);
            }
            if gender == Gender::Female
                && (22..=40).contains(&age)
                && relation != "父母"
                && g.rng.chance(0.03)
            {
                tags.push(T_PREGNANT);
            }
            if g.rng.chance(if age >= 70 { 0.02 } else { 0.004 }) {
                tags.push(T_CRITICAL);
            }
            if hh_low_income && relation == "户主" {
                tags.push(T_LOW_INCOME);
            }
            residents.push(SampleResident {
                id: g.id(),
                household: hi,
                grid,
                name,
                gender,
                birth_date: birth,
                id_number,
                phone,
                relation,
                tags,
            });
        }
        // Household-derived key groups.
        match kind {
            "alone_old" => {
                residents[first_index].tags.push(T_ALONE);
                if g.rng.chance(0.15) {
                    residents[first_index].tags.push(T_CHILDLESS);
                }
            }
            "old_couple" => {
                for r in &mut residents[first_index..] {
                    r.tags.push(T_EMPTY_NEST);
                }
            }
            "three_gen" if g.rng.chance(0.05) => {
                // Parents work away; the grandparents raise the child.
                for r in &mut residents[first_index..] {
                    if r.relation == "子女" && r.birth_date.age_on(today) < 16 {
                        r.tags.push(T_LEFT_BEHIND);
                    }
                }
            }
            _ => {}
        }
    }
    for r in &mut residents {
        r.tags.sort_unstable();
        r.tags.dedup();
    }

    let tag_ids = KEY_TAGS.iter().map(|_| g.id()).collect();
    Sample {
        grids,
        staff,
        grid_staff,
        households,
        residents,
        tag_ids,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn sample() -> Sample {
        generate(&SampleOptions::community(1, 1_795_000_000_000))
    }

    #[test]
    fn is_deterministic_for_a_seed() {
        let a = sample();
        let b = sample();
        assert_eq!(a.residents.len(), b.residents.len());
        assert_eq!(a.residents[100].name, b.residents[100].name);
        assert_eq!(a.residents[100].id, b.residents[100].id);
        let c = generate(&SampleOptions::community(2, 1_795_000_000_000));
        assert_ne!(a.residents[100].id_number, c.residents[100].id_number);
    }

    #[test]
    fn has_community_scale_and_shape() {
        let s = sample();
        assert_eq!(s.households.len(), 3000);
        assert!(
            (7000..=9500).contains(&s.residents.len()),
            "{}",
            s.residents.len()
        );
        let level1 = s.grids.iter().filter(|g| g.level == 1).count();
        let level2 = s.grids.iter().filter(|g| g.level == 2).count();
        assert!((6..=8).contains(&level1));
        assert!((level1 * 4..=level1 * 6).contains(&level2));
        assert!(s
            .grid_staff
            .iter()
            .any(|l| l.duty == Duty::Leader && s.grids[l.grid].level == 1));
    }

    #[test]
    fn residents_agree_with_their_valid_id_numbers() {
        let s = sample();
        let mut seen = HashSet::new();
        for r in &s.residents {
            let n = idcard::parse(&r.id_number).expect(&r.id_number);
            assert_eq!(
                (n.birth, n.gender),
                (r.birth_date, r.gender),
                "{}",
                r.id_number
            );
            assert!(
                seen.insert(r.id_number.clone()),
                "duplicate {}",
                r.id_number
            );
            assert!(s.grids[r.grid].level == 2);
        }
    }

    #[test]
    fn key_groups_come_in_plausible_proportions() {
        let s = sample();
        let count = |t: usize| s.residents.iter().filter(|r| r.tags.contains(&t)).count();
        let n = s.residents.len();
        assert!(
            (200..=400).contains(&count(T_ALONE)),
            "alone {}",
            count(T_ALONE)
        );
        let party = count(T_PARTY) as f64 / n as f64;
        assert!((0.03..0.12).contains(&party), "party {party}");
        assert!(count(T_DISABLED) > 50 && count(T_DISABLED) < 400);
        assert!(count(T_LOW_INCOME) > 30);
    }
}
