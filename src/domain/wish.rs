//! Micro-wishes (微心愿): 群众点单、社区派单、党员接单. A resident's small wish is recorded and
//! published to the claim list (待认领), claimed by a party member or volunteer (已认领), who
//! may give it back (release); fulfilled with a note, optional photos and the minutes spent
//! (已实现, credited to the claimer's time bank); and thanked (已致谢). The office can cancel a
//! wish (已撤销) before it is fulfilled. Like cases, every move is an immutable event and the
//! state is always derived from the events (`derive`).

use super::staff::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Published,
    Claimed,
    Fulfilled,
    Thanked,
    Cancelled,
}

impl State {
    pub const ALL: [State; 5] = [
        State::Published,
        State::Claimed,
        State::Fulfilled,
        State::Thanked,
        State::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Published => "published",
            State::Claimed => "claimed",
            State::Fulfilled => "fulfilled",
            State::Thanked => "thanked",
            State::Cancelled => "cancelled",
        }
    }

    pub fn from_code(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Fulfilled (thanked or not): its minutes count in the claimer's time bank.
    pub fn is_fulfilled(self) -> bool {
        matches!(self, State::Fulfilled | State::Thanked)
    }

    /// Nothing more is due: never overdue.
    pub fn is_final(self) -> bool {
        matches!(self, State::Fulfilled | State::Thanked | State::Cancelled)
    }
}

/// What a person does to a wish. `Publish` (recording it) is the first event of every wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Publish,
    Claim,
    Release,
    Fulfil,
    Thank,
    Cancel,
}

impl Move {
    pub const ALL: [Move; 6] = [
        Move::Publish,
        Move::Claim,
        Move::Release,
        Move::Fulfil,
        Move::Thank,
        Move::Cancel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Move::Publish => "publish",
            Move::Claim => "claim",
            Move::Release => "release",
            Move::Fulfil => "fulfil",
            Move::Thank => "thank",
            Move::Cancel => "cancel",
        }
    }

    pub fn from_code(s: &str) -> Option<Move> {
        Move::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// The most minutes one fulfilment may credit (a day, as for logged service hours).
pub const MAX_MINUTES: u32 = 1440;
/// The longest title.
pub const TITLE_MAX: usize = 60;

/// What a move carries besides who and when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveInput<'a> {
    /// Fulfil: what was done; thank: the thanks; cancel: why; otherwise a remark.
    pub note: &'a str,
    /// Claim: the volunteer who takes the wish.
    pub volunteer_id: &'a str,
    /// Fulfil: the minutes spent (0: not recorded).
    pub minutes: u32,
}

/// Why a move is refused. `code()` is what the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    Illegal,
    NotAllowed,
    /// Fulfil needs a note of what was done; thank needs the thanks.
    NoteRequired,
    /// Cancel needs a reason.
    ReasonRequired,
    /// Claim needs a volunteer.
    VolunteerRequired,
    /// Minutes beyond [`MAX_MINUTES`].
    MinutesRange,
}

impl MoveError {
    pub fn code(self) -> &'static str {
        match self {
            MoveError::Illegal => "wish_illegal_move",
            MoveError::NotAllowed => "wish_not_allowed",
            MoveError::NoteRequired => "wish_note_required",
            MoveError::ReasonRequired => "wish_reason_required",
            MoveError::VolunteerRequired => "wish_volunteer_required",
            MoveError::MinutesRange => "wish_minutes_range",
        }
    }

    /// The form field a refusal belongs to (empty: the whole move).
    pub fn field(self) -> &'static str {
        match self {
            MoveError::NoteRequired | MoveError::ReasonRequired => "note",
            MoveError::VolunteerRequired => "volunteer_id",
            MoveError::MinutesRange => "minutes",
            MoveError::Illegal | MoveError::NotAllowed => "",
        }
    }
}

/// The state a legal move leads to from `from`, or `None` where the move is not legal.
pub fn next(from: State, m: Move) -> Option<State> {
    use Move as M;
    use State as S;
    Some(match (from, m) {
        (S::Published, M::Claim) => S::Claimed,
        (S::Claimed, M::Release) => S::Published,
        (S::Claimed, M::Fulfil) => S::Fulfilled,
        (S::Fulfilled, M::Thank) => S::Thanked,
        (S::Published | S::Claimed, M::Cancel) => S::Cancelled,
        _ => return None,
    })
}

/// May someone with `role` make move `m`? Cancelling is the office's (grid leaders and
/// cadres); any staff member may record, claim for a volunteer, release, fulfil and thank.
pub fn may(role: Role, m: Move) -> bool {
    match m {
        Move::Cancel => matches!(
            role,
            Role::GridLeader | Role::CommunityCadre | Role::StreetCadre
        ),
        _ => true,
    }
}

/// What a move needs, whoever makes it.
pub fn check_input(m: Move, input: &MoveInput) -> Result<(), MoveError> {
    let blank = input.note.trim().is_empty();
    match m {
        Move::Claim if input.volunteer_id.trim().is_empty() => Err(MoveError::VolunteerRequired),
        Move::Fulfil if blank => Err(MoveError::NoteRequired),
        Move::Fulfil if input.minutes > MAX_MINUTES => Err(MoveError::MinutesRange),
        Move::Thank if blank => Err(MoveError::NoteRequired),
        Move::Cancel if blank => Err(MoveError::ReasonRequired),
        _ => Ok(()),
    }
}

/// Checks one move: legal from `from`, allowed for `role`, with what it needs. Returns the new
/// state.
pub fn check(from: State, m: Move, role: Role, input: &MoveInput) -> Result<State, MoveError> {
    let to = next(from, m).ok_or(MoveError::Illegal)?;
    if !may(role, m) {
        return Err(MoveError::NotAllowed);
    }
    check_input(m, input)?;
    Ok(to)
}

/// The moves a person with `role` can make now (what the UI offers).
pub fn offered(from: State, role: Role) -> Vec<Move> {
    Move::ALL
        .into_iter()
        .filter(|m| *m != Move::Publish && next(from, *m).is_some() && may(role, *m))
        .collect()
}

/// One event as the derivation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRef<'a> {
    pub id: &'a str,
    /// Hybrid-logical-clock time of the event.
    pub at: i64,
    /// The device that recorded it (tie-break).
    pub device: &'a str,
    pub mv: Move,
    pub volunteer_id: &'a str,
    pub minutes: u32,
}

/// A wish as its events make it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Derived {
    pub state: Option<State>,
    /// The claimer (kept after fulfilment: the minutes are theirs).
    pub volunteer_id: String,
    /// The fulfil event (its id), when fulfilled.
    pub fulfilled_by: Option<String>,
    pub minutes: u32,
    /// Events that were not legal where they fall in the merged order (ids).
    pub out_of_order: Vec<String>,
}

impl Derived {
    pub fn flagged(&self) -> bool {
        !self.out_of_order.is_empty()
    }
}

/// Derives a wish from all its events, whatever order they arrive in: sorted by clock time,
/// then device id, then event id; an event that is not legal where it falls stays in the
/// history, is listed in `out_of_order`, and changes nothing.
pub fn derive(events: &[EventRef]) -> Derived {
    let mut sorted: Vec<&EventRef> = events.iter().collect();
    sorted.sort_by(|a, b| (a.at, a.device, a.id).cmp(&(b.at, b.device, b.id)));
    let mut d = Derived::default();
    for e in sorted {
        let to = match (d.state, e.mv) {
            (None, Move::Publish) => Some(State::Published),
            (None, _) | (Some(_), Move::Publish) => None,
            (Some(s), m) => next(s, m),
        };
        let Some(to) = to else {
            d.out_of_order.push(e.id.to_string());
            continue;
        };
        match e.mv {
            Move::Claim => d.volunteer_id = e.volunteer_id.to_string(),
            Move::Release => d.volunteer_id.clear(),
            Move::Fulfil => {
                d.fulfilled_by = Some(e.id.to_string());
                d.minutes = e.minutes;
            }
            _ => {}
        }
        d.state = Some(to);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use Move as M;
    use State as S;

    /// The hand-written matrix: for every state, the legal moves and where they lead.
    /// Everything not listed is refused. Written out independently of `next`.
    const LEGAL: &[(State, &[(Move, State)])] = &[
        (
            S::Published,
            &[(M::Claim, S::Claimed), (M::Cancel, S::Cancelled)],
        ),
        (
            S::Claimed,
            &[
                (M::Release, S::Published),
                (M::Fulfil, S::Fulfilled),
                (M::Cancel, S::Cancelled),
            ],
        ),
        (S::Fulfilled, &[(M::Thank, S::Thanked)]),
        (S::Thanked, &[]),
        (S::Cancelled, &[]),
    ];

    fn input() -> MoveInput<'static> {
        MoveInput {
            note: "已送到",
            volunteer_id: "v1",
            minutes: 90,
        }
    }

    #[test]
    fn every_state_and_move_matches_the_matrix() {
        assert_eq!(LEGAL.len(), State::ALL.len());
        for (from, legal) in LEGAL {
            for m in Move::ALL {
                let expected = legal.iter().find(|(lm, _)| *lm == m).map(|(_, to)| *to);
                let got = check(*from, m, Role::CommunityCadre, &input());
                match expected {
                    Some(to) => assert_eq!(got, Ok(to), "{from:?} {m:?}"),
                    None => assert_eq!(got, Err(MoveError::Illegal), "{from:?} {m:?}"),
                }
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in State::ALL {
            assert_eq!(State::from_code(s.code()), Some(s));
        }
        for m in Move::ALL {
            assert_eq!(Move::from_code(m.code()), Some(m));
        }
        assert_eq!(State::from_code("done"), None);
        assert_eq!(Move::from_code("report"), None);
    }

    #[test]
    fn roles_and_required_inputs() {
        assert_eq!(
            check(S::Published, M::Cancel, Role::PartTimeWorker, &input()),
            Err(MoveError::NotAllowed)
        );
        assert_eq!(
            check(S::Published, M::Claim, Role::PartTimeWorker, &input()),
            Ok(S::Claimed)
        );
        let none = MoveInput::default();
        for (from, m, e) in [
            (S::Published, M::Claim, MoveError::VolunteerRequired),
            (S::Claimed, M::Fulfil, MoveError::NoteRequired),
            (S::Fulfilled, M::Thank, MoveError::NoteRequired),
            (S::Claimed, M::Cancel, MoveError::ReasonRequired),
        ] {
            assert_eq!(check(from, m, Role::StreetCadre, &none), Err(e), "{m:?}");
        }
        let too_long = MoveInput {
            minutes: MAX_MINUTES + 1,
            ..input()
        };
        assert_eq!(
            check(S::Claimed, M::Fulfil, Role::GridLeader, &too_long),
            Err(MoveError::MinutesRange)
        );
        // Releasing needs nothing.
        assert_eq!(
            check(S::Claimed, M::Release, Role::PartTimeWorker, &none),
            Ok(S::Published)
        );
        assert_eq!(
            offered(S::Claimed, Role::GridLeader),
            vec![M::Release, M::Fulfil, M::Cancel]
        );
        assert_eq!(
            offered(S::Claimed, Role::PartTimeWorker),
            vec![M::Release, M::Fulfil]
        );
        assert_eq!(offered(S::Thanked, Role::GridLeader), vec![]);
    }

    fn ev<'a>(id: &'a str, at: i64, device: &'a str, mv: Move, vol: &'a str) -> EventRef<'a> {
        EventRef {
            id,
            at,
            device,
            mv,
            volunteer_id: vol,
            minutes: if mv == M::Fulfil { 45 } else { 0 },
        }
    }

    #[test]
    fn the_wish_comes_from_its_events_in_clock_order() {
        let events = [
            ev("e5", 50, "a", M::Thank, ""),
            ev("e1", 10, "a", M::Publish, ""),
            ev("e3", 30, "a", M::Release, ""),
            ev("e2", 20, "a", M::Claim, "v1"),
            ev("e4", 35, "a", M::Claim, "v2"),
            ev("e6", 40, "a", M::Fulfil, ""),
        ];
        let d = derive(&events);
        assert_eq!(d.state, Some(S::Thanked));
        assert_eq!(d.volunteer_id, "v2", "the second claimer did it");
        assert_eq!(d.minutes, 45);
        assert_eq!(d.fulfilled_by.as_deref(), Some("e6"));
        assert!(!d.flagged());
    }

    #[test]
    fn two_claims_made_offline_keep_the_first_and_flag_the_wish() {
        let events = [
            ev("e1", 10, "office", M::Publish, ""),
            ev("e2", 20, "phone-a", M::Claim, "va"),
            ev("e3", 21, "phone-b", M::Claim, "vb"),
        ];
        let d = derive(&events);
        assert_eq!(d.state, Some(S::Claimed));
        assert_eq!(d.volunteer_id, "va");
        assert_eq!(d.out_of_order, vec!["e3".to_string()]);
        let mut rev = events.to_vec();
        rev.reverse();
        assert_eq!(derive(&rev), d);
        // Nothing before the wish was recorded counts.
        let d = derive(&[ev("e0", 5, "x", M::Claim, "va")]);
        assert_eq!(d.state, None);
        assert_eq!(d.out_of_order, vec!["e0".to_string()]);
    }
}
