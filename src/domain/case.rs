//! The case (事件) workflow: states, the moves between them, who may make each move and what
//! it needs, and the derivation of a case's state from its events.
//!
//! A case moves reported → accepted (立案) → dispatched (派单) → in hand (处置中) → handled
//! (结果反馈) → verified (核查) → closed (结案) → rated (评价). Along the way it can be returned
//! one step (退回), escalated to the street office (上报街道), urged (督办, a flag, no move) or
//! voided (作废). Every move is an immutable event; the state is always derived from the events.

use super::staff::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Reported,
    Accepted,
    Dispatched,
    InHand,
    Handled,
    Verified,
    Closed,
    Rated,
    Escalated,
    Voided,
}

impl State {
    pub const ALL: [State; 10] = [
        State::Reported,
        State::Accepted,
        State::Dispatched,
        State::InHand,
        State::Handled,
        State::Verified,
        State::Closed,
        State::Rated,
        State::Escalated,
        State::Voided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Reported => "reported",
            State::Accepted => "accepted",
            State::Dispatched => "dispatched",
            State::InHand => "in_hand",
            State::Handled => "handled",
            State::Verified => "verified",
            State::Closed => "closed",
            State::Rated => "rated",
            State::Escalated => "escalated",
            State::Voided => "voided",
        }
    }

    pub fn from_code(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Closed or beyond: counts as 办结.
    pub fn is_closed(self) -> bool {
        matches!(self, State::Closed | State::Rated)
    }

    /// No further work is due (closed, rated or voided): never overdue.
    pub fn is_final(self) -> bool {
        matches!(self, State::Closed | State::Rated | State::Voided)
    }
}

/// What a person does to a case. `Report` is the first event of every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Report,
    Accept,
    Dispatch,
    Start,
    Feedback,
    Verify,
    Close,
    Rate,
    Return,
    Escalate,
    Urge,
    Void,
}

impl Move {
    pub const ALL: [Move; 12] = [
        Move::Report,
        Move::Accept,
        Move::Dispatch,
        Move::Start,
        Move::Feedback,
        Move::Verify,
        Move::Close,
        Move::Rate,
        Move::Return,
        Move::Escalate,
        Move::Urge,
        Move::Void,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Move::Report => "report",
            Move::Accept => "accept",
            Move::Dispatch => "dispatch",
            Move::Start => "start",
            Move::Feedback => "feedback",
            Move::Verify => "verify",
            Move::Close => "close",
            Move::Rate => "rate",
            Move::Return => "return",
            Move::Escalate => "escalate",
            Move::Urge => "urge",
            Move::Void => "void",
        }
    }

    pub fn from_code(s: &str) -> Option<Move> {
        Move::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// How a case came in: 居民反映, 网格巡查, 12345热线, 随手拍, 其他.
pub const CHANNELS: &[&str] = &[
    "resident",
    "patrol",
    "visit",
    "hotline_12345",
    "photo",
    "other",
];

/// 一般, 紧急.
pub const PRIORITIES: &[&str] = &["normal", "urgent"];

/// The resident's rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Unsatisfied,
}

impl Rating {
    pub fn code(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Unsatisfied => "unsatisfied",
        }
    }
    pub fn from_code(s: &str) -> Option<Rating> {
        [
            Rating::Satisfied,
            Rating::BasicallySatisfied,
            Rating::Unsatisfied,
        ]
        .into_iter()
        .find(|r| r.code() == s)
    }
    /// 满意 and 基本满意 count as satisfied in 满意率.
    pub fn counts_as_satisfied(self) -> bool {
        !matches!(self, Rating::Unsatisfied)
    }
}

/// What a move carries besides who and when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveInput<'a> {
    pub remark: &'a str,
    /// Dispatch: who it goes to (a staff id, a team, a department name).
    pub assignee: &'a str,
    /// Rate: the rating code.
    pub rating: &'a str,
}

/// Why a move is refused. `code()` is what the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    /// Not a legal move from this state.
    Illegal,
    /// This role may not make this move.
    NotAllowed,
    /// A reason is required (return, escalate, void).
    ReasonRequired,
    /// A feedback note is required before "handled".
    NoteRequired,
    /// Dispatch needs an assignee.
    AssigneeRequired,
    /// Rate needs 满意 / 基本满意 / 不满意.
    RatingRequired,
}

impl MoveError {
    pub fn code(self) -> &'static str {
        match self {
            MoveError::Illegal => "case_illegal_move",
            MoveError::NotAllowed => "case_not_allowed",
            MoveError::ReasonRequired => "case_reason_required",
            MoveError::NoteRequired => "case_note_required",
            MoveError::AssigneeRequired => "case_assignee_required",
            MoveError::RatingRequired => "case_rating_required",
        }
    }
}

/// The state a legal move leads to from `from`, or `None` where the move is not legal.
pub fn next(from: State, m: Move) -> Option<State> {
    use Move as M;
    use State as S;
    Some(match (from, m) {
        (S::Reported, M::Accept) => S::Accepted,
        (S::Accepted, M::Dispatch) => S::Dispatched,
        (S::Escalated, M::Dispatch) => S::Dispatched,
        (S::Dispatched, M::Start) => S::InHand,
        (S::InHand, M::Feedback) => S::Handled,
        (S::Handled, M::Verify) => S::Verified,
        (S::Verified, M::Close) => S::Closed,
        (S::Closed, M::Rate) => S::Rated,
        (S::Accepted, M::Return) => S::Reported,
        (S::Dispatched, M::Return) => S::Accepted,
        (S::InHand, M::Return) => S::Dispatched,
        (S::Handled, M::Return) => S::InHand,
        (S::Verified, M::Return) => S::Handled,
        (S::Escalated, M::Return) => S::Accepted,
        (S::Accepted | S::Dispatched | S::InHand, M::Escalate) => S::Escalated,
        (
            S::Reported | S::Accepted | S::Dispatched | S::InHand | S::Handled | S::Escalated,
            M::Urge,
        ) => from,
        (S::Reported | S::Accepted | S::Dispatched | S::InHand | S::Escalated, M::Void) => {
            S::Voided
        }
        _ => return None,
    })
}

/// May someone with `role` make move `m`? Filing, dispatching, escalating, voiding, verifying,
/// closing and urging are for grid leaders and cadres; any staff member may report, take a case
/// in hand, write feedback, record the resident's rating and return a case they cannot handle.
pub fn may(role: Role, m: Move) -> bool {
    use Move as M;
    use Role as R;
    let manager = matches!(role, R::GridLeader | R::CommunityCadre | R::StreetCadre);
    match m {
        M::Report | M::Start | M::Feedback | M::Rate | M::Return => true,
        M::Accept | M::Dispatch | M::Escalate | M::Void | M::Urge => manager,
        M::Verify | M::Close => manager || role == R::FullTimeWorker,
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

/// What a move needs, whoever makes it.
pub fn check_input(m: Move, input: &MoveInput) -> Result<(), MoveError> {
    match m {
        Move::Return | Move::Escalate | Move::Void if input.remark.trim().is_empty() => {
            Err(MoveError::ReasonRequired)
        }
        Move::Feedback if input.remark.trim().is_empty() => Err(MoveError::NoteRequired),
        Move::Dispatch if input.assignee.trim().is_empty() => Err(MoveError::AssigneeRequired),
        Move::Rate if Rating::from_code(input.rating).is_none() => Err(MoveError::RatingRequired),
        _ => Ok(()),
    }
}

/// The moves a person with `role` can make now (what the UI offers).
pub fn offered(from: State, role: Role) -> Vec<Move> {
    Move::ALL
        .into_iter()
        .filter(|m| *m != Move::Report && next(from, *m).is_some() && may(role, *m))
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
    pub assignee: &'a str,
    pub rating: &'a str,
}

/// A case as its events make it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Derived {
    pub state: Option<State>,
    pub assignee: String,
    pub rating: String,
    pub urged: u32,
    pub closed_at: Option<i64>,
    /// Events that were not legal where they fall in the merged order (ids).
    pub out_of_order: Vec<String>,
}

impl Derived {
    /// Needs a person to look at it: two devices' histories did not fit together.
    pub fn flagged(&self) -> bool {
        !self.out_of_order.is_empty()
    }
}

/// Derives a case from all its events, whatever order they arrive in: sorted by clock time,
/// then device id, then event id (the merged order); each event applies if it is legal from the
/// state reached so far, otherwise it stays in the history, listed in `out_of_order`, and
/// changes nothing. Roles and remarks were checked when each event was recorded; the merge
/// only re-checks the order.
pub fn derive(events: &[EventRef]) -> Derived {
    let mut sorted: Vec<&EventRef> = events.iter().collect();
    sorted.sort_by(|a, b| (a.at, a.device, a.id).cmp(&(b.at, b.device, b.id)));
    let mut d = Derived::default();
    for e in sorted {
        let to = match (d.state, e.mv) {
            (None, Move::Report) => Some(State::Reported),
            (None, _) | (Some(_), Move::Report) => None,
            (Some(s), m) => next(s, m),
        };
        let Some(to) = to else {
            d.out_of_order.push(e.id.to_string());
            continue;
        };
        match e.mv {
            Move::Dispatch => d.assignee = e.assignee.to_string(),
            Move::Rate => d.rating = e.rating.to_string(),
            Move::Urge => d.urged += 1,
            Move::Close => d.closed_at = Some(e.at),
            Move::Return if d.state == Some(State::Closed) => d.closed_at = None,
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

    /// The hand-written matrix: for every state, the moves that are legal and where they lead.
    /// Everything not listed is refused. Written out independently of `next`.
    const LEGAL: &[(State, &[(Move, State)])] = &[
        (
            S::Reported,
            &[
                (M::Accept, S::Accepted),
                (M::Urge, S::Reported),
                (M::Void, S::Voided),
            ],
        ),
        (
            S::Accepted,
            &[
                (M::Dispatch, S::Dispatched),
                (M::Return, S::Reported),
                (M::Escalate, S::Escalated),
                (M::Urge, S::Accepted),
                (M::Void, S::Voided),
            ],
        ),
        (
            S::Dispatched,
            &[
                (M::Start, S::InHand),
                (M::Return, S::Accepted),
                (M::Escalate, S::Escalated),
                (M::Urge, S::Dispatched),
                (M::Void, S::Voided),
            ],
        ),
        (
            S::InHand,
            &[
                (M::Feedback, S::Handled),
                (M::Return, S::Dispatched),
                (M::Escalate, S::Escalated),
                (M::Urge, S::InHand),
                (M::Void, S::Voided),
            ],
        ),
        (
            S::Handled,
            &[
                (M::Verify, S::Verified),
                (M::Return, S::InHand),
                (M::Urge, S::Handled),
            ],
        ),
        (
            S::Verified,
            &[(M::Close, S::Closed), (M::Return, S::Handled)],
        ),
        (S::Closed, &[(M::Rate, S::Rated)]),
        (S::Rated, &[]),
        (
            S::Escalated,
            &[
                (M::Dispatch, S::Dispatched),
                (M::Return, S::Accepted),
                (M::Urge, S::Escalated),
                (M::Void, S::Voided),
            ],
        ),
        (S::Voided, &[]),
    ];

    fn input() -> MoveInput<'static> {
        MoveInput {
            remark: "原因",
            assignee: "张伟",
            rating: "satisfied",
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
    fn roles_and_required_inputs() {
        assert_eq!(
            check(S::Reported, M::Accept, Role::PartTimeWorker, &input()),
            Err(MoveError::NotAllowed)
        );
        assert_eq!(
            check(S::Dispatched, M::Start, Role::PartTimeWorker, &input()),
            Ok(S::InHand)
        );
        assert_eq!(
            check(S::Handled, M::Verify, Role::MicroGridWorker, &input()),
            Err(MoveError::NotAllowed)
        );
        let none = MoveInput::default();
        for (from, m, e) in [
            (S::Accepted, M::Return, MoveError::ReasonRequired),
            (S::Accepted, M::Escalate, MoveError::ReasonRequired),
            (S::Reported, M::Void, MoveError::ReasonRequired),
            (S::InHand, M::Feedback, MoveError::NoteRequired),
            (S::Accepted, M::Dispatch, MoveError::AssigneeRequired),
            (S::Closed, M::Rate, MoveError::RatingRequired),
        ] {
            assert_eq!(check(from, m, Role::StreetCadre, &none), Err(e), "{m:?}");
        }
        assert_eq!(
            offered(S::Reported, Role::GridLeader),
            vec![M::Accept, M::Urge, M::Void]
        );
        assert_eq!(offered(S::Reported, Role::PartTimeWorker), vec![]);
    }

    fn ev<'a>(id: &'a str, at: i64, device: &'a str, mv: Move) -> EventRef<'a> {
        EventRef {
            id,
            at,
            device,
            mv,
            assignee: "网格员甲",
            rating: "satisfied",
        }
    }

    #[test]
    fn the_state_comes_from_the_events_in_clock_order() {
        let events = [
            ev("e4", 40, "a", M::Start),
            ev("e1", 10, "a", M::Report),
            ev("e3", 30, "a", M::Dispatch),
            ev("e2", 20, "a", M::Accept),
        ];
        let d = derive(&events);
        assert_eq!(d.state, Some(S::InHand));
        assert_eq!(d.assignee, "网格员甲");
        assert!(!d.flagged());
    }

    #[test]
    fn merged_histories_that_do_not_fit_keep_every_event_and_flag_the_case() {
        // Two devices acted offline on a dispatched case: the worker's phone took it in hand
        // and wrote feedback; meanwhile the office returned it.
        let events = [
            ev("e1", 10, "a", M::Report),
            ev("e2", 20, "a", M::Accept),
            ev("e3", 30, "a", M::Dispatch),
            ev("e4", 40, "phone", M::Start),
            ev("e5", 41, "office", M::Return),
            ev("e6", 42, "phone", M::Feedback),
        ];
        let d = derive(&events);
        // e5 returns the case to "dispatched"; e6's feedback is then illegal and is kept aside.
        assert_eq!(d.state, Some(S::Dispatched));
        assert_eq!(d.out_of_order, vec!["e6".to_string()]);
        assert!(d.flagged());
        // The same events in any arrival order give the same case.
        let mut rev = events.to_vec();
        rev.reverse();
        assert_eq!(derive(&rev), d);
    }

    #[test]
    fn closing_rating_and_urging_are_recorded() {
        let mut events = vec![ev("e0", 1, "a", M::Report)];
        for (i, m) in [
            M::Urge,
            M::Accept,
            M::Dispatch,
            M::Start,
            M::Feedback,
            M::Verify,
            M::Close,
            M::Rate,
        ]
        .into_iter()
        .enumerate()
        {
            events.push(EventRef {
                at: 10 + i as i64,
                ..ev("x", 0, "a", m)
            });
        }
        let d = derive(&events);
        assert_eq!(d.state, Some(S::Rated));
        assert_eq!(d.urged, 1);
        assert_eq!(d.closed_at, Some(16));
        assert_eq!(d.rating, "satisfied");
    }
}
