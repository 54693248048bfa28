//! The sample community's micro-wishes (微心愿): small wishes of residents — older people
//! first — recorded over the past two months, in every state, each with its history (claimed
//! by a volunteer, party members first; some given back and claimed again; fulfilled with the
//! minutes spent; thanked; a few cancelled). Deterministic for a seed, like the rest.

use super::date::Date;
use super::id::IdGen;
use super::rng::Rng;
use super::sample::{Sample, SampleOptions};
use super::sample_volunteers::SampleVolunteers;
use super::staff::Role;
use super::wish::Move;

#[derive(Debug, Clone)]
pub struct SampleWishEvent {
    pub id: String,
    pub mv: Move,
    /// Wall clock, ms.
    pub at: i64,
    /// Index into the sample's staff.
    pub actor: usize,
    /// Claim: index into the sample's volunteers.
    pub volunteer: Option<usize>,
    pub note: &'static str,
    pub minutes: u32,
}

#[derive(Debug, Clone)]
pub struct SampleWish {
    pub id: String,
    pub grid: usize,
    /// The wisher (a resident of the sample).
    pub resident: usize,
    pub title: &'static str,
    pub detail: &'static str,
    pub due_date: String,
    pub events: Vec<SampleWishEvent>,
}

/// (title, detail, what was done, thanks)
const WISHES: [(&str, &str, &str, &str); 12] = [
    (
        "想要一台收音机",
        "独居老人，眼睛不好，想听戏曲广播解闷。",
        "送去收音机一台，调好了戏曲频道。",
        "谢谢党员同志，天天都在听。",
    ),
    (
        "帮忙更换家里的灯泡",
        "厨房和卫生间灯泡坏了，自己够不着。",
        "换了两个节能灯泡，顺便检查了电线。",
        "晚上做饭终于亮堂了，谢谢！",
    ),
    (
        "希望有人陪同去医院复查",
        "子女在外地，腿脚不便，下周要去医院复查。",
        "陪同到市二院复查，帮忙挂号取药。",
        "有人陪着心里踏实，感谢志愿者。",
    ),
    (
        "孩子想要一套课外读物",
        "留守儿童，喜欢看书，家里没有课外书。",
        "送去《十万个为什么》一套和文具。",
        "孩子特别高兴，写了感谢信。",
    ),
    (
        "需要一个助行器",
        "术后行走不便，想要一个助行器。",
        "联系爱心企业捐赠助行器一个，已送到家。",
        "出门方便多了，感谢社区。",
    ),
    (
        "想学用智能手机视频通话",
        "想和外地的孙子视频，但不会用手机。",
        "上门教了三次，已能自己发起视频通话。",
        "现在每天都能看到孙子，太感谢了。",
    ),
    (
        "帮忙修理漏水的水龙头",
        "卫生间水龙头一直滴水。",
        "更换了水龙头阀芯，不再漏水。",
        "谢谢师傅，手艺真好。",
    ),
    (
        "希望有人上门理发",
        "卧床老人，很久没理发了。",
        "志愿理发师上门理发一次。",
        "头发理得很精神，谢谢！",
    ),
    (
        "想要一床冬被",
        "低保户，家里被子太薄，冬天冷。",
        "送去新冬被一床、电热毯一条。",
        "今年冬天不冷了，感谢党和政府。",
    ),
    (
        "帮忙代买常用药",
        "行动不便，降压药快吃完了。",
        "到药店代购降压药两盒，已送到家。",
        "谢谢，解了燃眉之急。",
    ),
    (
        "希望给孩子辅导数学",
        "孩子初二，数学跟不上，家长辅导不了。",
        "每周六下午辅导两小时，共四次。",
        "孩子成绩进步了，非常感谢老师。",
    ),
    (
        "想去看看新修的公园",
        "坐轮椅，想去新修的滨河公园看看。",
        "周末推着轮椅陪同游园半天。",
        "好多年没出门看看了，谢谢大家。",
    ),
];

const RELEASE_NOTES: [&str; 3] = ["临时出差，交回重新认领", "身体不适，交回", "时间冲突，交回"];
const CANCEL_NOTES: [&str; 2] = ["居民已自行解决", "居民搬离本社区"];

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// `opts.wishes` wishes (none without residents, staff or volunteers).
pub fn generate(s: &Sample, opts: &SampleOptions, v: &SampleVolunteers) -> Vec<SampleWish> {
    if opts.wishes == 0 || s.residents.is_empty() || s.staff.is_empty() || v.volunteers.is_empty() {
        return Vec::new();
    }
    let mut rng = Rng::new(opts.seed ^ 0x0311_54E5);
    let mut ids = IdGen::new(opts.seed ^ 0x3115);
    let now = opts.now_millis;
    let today = Date::from_millis(now + super::calendar::CST_OFFSET_MS);
    // Older people and key groups wish first.
    let mut wishers: Vec<usize> = (0..s.residents.len())
        .filter(|i| {
            let r = &s.residents[*i];
            r.birth_date.age_on(today) >= 60 || !r.tags.is_empty()
        })
        .collect();
    if wishers.is_empty() {
        wishers = (0..s.residents.len()).collect();
    }
    let party: Vec<usize> = (0..v.volunteers.len())
        .filter(|i| v.volunteers[*i].party_member)
        .collect();
    let claimers = if party.is_empty() {
        (0..v.volunteers.len()).collect()
    } else {
        party
    };
    let manager = s
        .staff
        .iter()
        .position(|st| st.role == Role::CommunityCadre)
        .unwrap_or(0);
    let n = opts.wishes;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (title, detail, done, thanks) = WISHES[i % WISHES.len()];
        let resident = wishers[rng.range(0, wishers.len() as u64 - 1) as usize];
        // The state the wish has reached: each state once, then more of the later ones.
        const ONCE: [&str; 5] = ["thanked", "published", "claimed", "fulfilled", "cancelled"];
        let weighted = *rng.weighted(&[
            ("published", 5),
            ("claimed", 4),
            ("fulfilled", 3),
            ("thanked", 6),
            ("cancelled", 1),
        ]);
        let target = ONCE.get(i).copied().unwrap_or(weighted);
        // Done wishes were recorded 5 to 60 days ago and wanted 7 to 30 days later; open ones
        // are recent (5 to 20 days) and mostly still within their date (up to 45 days on).
        let open = matches!(target, "published" | "claimed");
        let back = if open {
            rng.range(5, 20)
        } else {
            rng.range(5, 60)
        };
        let recorded = now - back as i64 * DAY - rng.range(0, 8) as i64 * HOUR;
        let ahead = if open {
            rng.range(10, 45)
        } else {
            rng.range(7, 30)
        };
        let due = Date::from_millis(recorded + ahead as i64 * DAY + super::calendar::CST_OFFSET_MS);
        let mut at = recorded;
        let mut events = Vec::new();
        let mut push = |rng: &mut Rng,
                        ids: &mut IdGen,
                        at: &mut i64,
                        mv: Move,
                        volunteer: Option<usize>,
                        note: &'static str,
                        minutes: u32| {
            *at += rng.range(1, 20) as i64 * HOUR;
            let actor = if mv == Move::Cancel || mv == Move::Publish {
                manager
            } else {
                rng.range(0, s.staff.len() as u64 - 1) as usize
            };
            events.push(SampleWishEvent {
                id: ids.next(*at),
                mv,
                at: *at,
                actor,
                volunteer,
                note,
                minutes,
            });
        };
        at -= HOUR;
        push(&mut rng, &mut ids, &mut at, Move::Publish, None, "", 0);
        if target == "cancelled" {
            let note = *rng.pick(&CANCEL_NOTES);
            push(&mut rng, &mut ids, &mut at, Move::Cancel, None, note, 0);
        } else if target != "published" || rng.chance(0.3) {
            // Some wishes were claimed, given back and (unless still on the list) claimed again.
            let pick = |rng: &mut Rng| claimers[rng.range(0, claimers.len() as u64 - 1) as usize];
            let first = pick(&mut rng);
            push(&mut rng, &mut ids, &mut at, Move::Claim, Some(first), "", 0);
            if target == "published" || rng.chance(0.2) {
                let note = *rng.pick(&RELEASE_NOTES);
                push(&mut rng, &mut ids, &mut at, Move::Release, None, note, 0);
                if target != "published" {
                    let again = pick(&mut rng);
                    push(&mut rng, &mut ids, &mut at, Move::Claim, Some(again), "", 0);
                }
            }
            if matches!(target, "fulfilled" | "thanked") {
                let minutes = rng.range(2, 12) as u32 * 15;
                push(
                    &mut rng,
                    &mut ids,
                    &mut at,
                    Move::Fulfil,
                    None,
                    done,
                    minutes,
                );
            }
            if target == "thanked" {
                push(&mut rng, &mut ids, &mut at, Move::Thank, None, thanks, 0);
            }
        }
        out.push(SampleWish {
            id: ids.next(recorded),
            grid: s.residents[resident].grid,
            resident,
            title,
            detail,
            due_date: due.to_string(),
            events,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wish::{derive, EventRef, State};

    #[test]
    fn the_sample_wishes_reach_every_state_by_legal_moves_in_the_past() {
        let mut opts = SampleOptions::community(7, 1_795_000_000_000);
        opts.households = 60;
        opts.grids = 2;
        let s = crate::domain::sample::generate(&opts);
        let v = crate::domain::sample_volunteers::generate(&s, &opts);
        let wishes = generate(&s, &opts, &v);
        assert_eq!(wishes.len(), opts.wishes);
        let mut states = std::collections::BTreeSet::new();
        for w in &wishes {
            let vols: Vec<String> = w
                .events
                .iter()
                .map(|e| {
                    e.volunteer
                        .map(|i| v.volunteers[i].id.clone())
                        .unwrap_or_default()
                })
                .collect();
            let refs: Vec<EventRef> = w
                .events
                .iter()
                .zip(&vols)
                .map(|(e, vol)| EventRef {
                    id: &e.id,
                    at: e.at,
                    device: "d",
                    mv: e.mv,
                    volunteer_id: vol,
                    minutes: e.minutes,
                })
                .collect();
            let d = derive(&refs);
            assert!(!d.flagged(), "{}: {:?}", w.title, w.events);
            assert!(w.events.iter().all(|e| e.at < opts.now_millis));
            assert!(Date::parse(&w.due_date).is_some());
            let st = d.state.unwrap();
            if st.is_fulfilled() {
                assert!(d.minutes > 0 && !d.volunteer_id.is_empty());
            }
            states.insert(st);
        }
        assert_eq!(states.len(), State::ALL.len(), "{states:?}");
        // Deterministic.
        let again = generate(&s, &opts, &v);
        assert_eq!(
            wishes.iter().map(|w| &w.id).collect::<Vec<_>>(),
            again.iter().map(|w| &w.id).collect::<Vec<_>>()
        );
    }
}
