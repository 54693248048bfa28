//! Cases (事件): categories, reporting, moves as append-only events, the case page, the list
//! and its figures. A case's state is cached from its events (`rederive`), never set directly.

use super::{invalid, Result, Store, StoreError};
use crate::domain::calendar::{self, Calendar, Limit};
use crate::domain::case::{self, EventRef, Move, MoveInput, Rating, State};
use crate::domain::category;
use crate::domain::date::Date;
use crate::domain::figures::{self, CaseFacts};
use crate::domain::photo;
use crate::domain::staff::Role;
use crate::protocol::{
    CalendarDay, CaseEventRow, CaseForm, CasePage, CaseQuery, CaseRow, CaseView, CategoryRow,
    HouseholdHit, PhotoIn, PhotoMeta, PhotoOut,
};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

const TITLE_MAX: usize = 60;

/// The columns of an event [`event_row`] reads, after the case's id.
const EVENT_COLS: &str =
    "id, move, actor, actor_role, remark, assignee, rating, wall_at, created_at, updated_by";

/// An event as read for the derivation: the row, its clock time and its device.
type EventRead = (CaseEventRow, i64, String);

/// An event from columns `at..` of a row holding [`EVENT_COLS`].
fn event_row(r: &rusqlite::Row, at: usize) -> rusqlite::Result<EventRead> {
    Ok((
        CaseEventRow {
            id: r.get(at)?,
            mv: r.get(at + 1)?,
            actor: r.get(at + 2)?,
            actor_role: r.get(at + 3)?,
            remark: r.get(at + 4)?,
            assignee: r.get(at + 5)?,
            rating: r.get(at + 6)?,
            wall_at: r.get(at + 7)?,
            out_of_order: false,
        },
        r.get(at + 8)?,
        r.get(at + 9)?,
    ))
}

/// The derivation over a case's events, and the wall-clock time of the close that closed it
/// (the close time people read).
fn derive_read(raw: &[EventRead]) -> (case::Derived, Option<i64>) {
    let refs: Vec<EventRef> = raw
        .iter()
        .filter_map(|(e, at, dev)| {
            Some(EventRef {
                id: &e.id,
                at: *at,
                device: dev,
                mv: Move::from_code(&e.mv)?,
                assignee: &e.assignee,
                rating: &e.rating,
            })
        })
        .collect();
    let d = case::derive(&refs);
    let closed_wall = d.closed_at.and_then(|at| {
        raw.iter()
            .find(|(e, t, _)| *t == at && e.mv == Move::Close.code())
            .map(|(e, _, _)| e.wall_at)
    });
    (d, closed_wall)
}

/// A case's events in the merged order (clock time, device, id), each marked when it no longer
/// fits, and the derivation over them.
fn load_events(conn: &Connection, case_id: &str) -> Result<(Vec<CaseEventRow>, case::Derived)> {
    let raw = read_events(conn, case_id)?;
    let (d, _) = derive_read(&raw);
    let events = raw
        .into_iter()
        .map(|(e, _, _)| CaseEventRow {
            out_of_order: d.out_of_order.contains(&e.id),
            ..e
        })
        .collect();
    Ok((events, d))
}

fn read_events(conn: &Connection, case_id: &str) -> Result<Vec<EventRead>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLS} FROM case_events WHERE case_id = ?1 AND deleted = 0
         ORDER BY created_at, updated_by, id"
    ))?;
    let raw = st
        .query_map([case_id], |r| event_row(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(raw)
}

/// Sets a case's cached state from its events (a row already holding it is not written).
pub(crate) fn rederive(conn: &Connection, case_id: &str) -> Result<()> {
    let raw = read_events(conn, case_id)?;
    store_derived(conn, case_id, &raw)
}

fn store_derived(conn: &Connection, case_id: &str, raw: &[EventRead]) -> Result<()> {
    let (d, closed_wall) = derive_read(raw);
    conn.prepare_cached(
        "UPDATE cases SET state = ?1, assignee = ?2, rating = ?3, urged = ?4, closed_at = ?5, flagged = ?6
         WHERE id = ?7 AND NOT (state IS ?1 AND assignee IS ?2 AND rating IS ?3 AND urged IS ?4
                                AND closed_at IS ?5 AND flagged IS ?6)",
    )?
    .execute(params![
        d.state.unwrap_or(State::Reported).code(),
        d.assignee,
        d.rating,
        d.urged,
        closed_wall,
        d.flagged(),
        case_id
    ])?;
    Ok(())
}

/// How many cases an import must touch for their events to be read in one pass over all
/// events rather than case by case.
const REDERIVE_IN_ONE_PASS: usize = 2000;

/// [`rederive`] of many cases (an import's), ids in byte order: past a few thousand, one pass
/// over every event in case order (a street's first import touches 50,000 cases with 300,000
/// events: one query instead of 50,000).
pub(crate) fn rederive_many(
    conn: &Connection,
    ids: &std::collections::BTreeSet<&str>,
) -> Result<()> {
    if ids.len() < REDERIVE_IN_ONE_PASS {
        ids.iter().try_for_each(|id| rederive(conn, id))
    } else {
        rederive_in_one_pass(conn, ids)
    }
}

fn rederive_in_one_pass(conn: &Connection, ids: &std::collections::BTreeSet<&str>) -> Result<()> {
    let mut st = conn.prepare(&format!(
        "SELECT case_id, {EVENT_COLS} FROM case_events WHERE deleted = 0
         ORDER BY case_id, created_at, updated_by, id"
    ))?;
    let mut rows = st.query([])?;
    let mut current: Option<String> = None;
    let mut events: Vec<EventRead> = Vec::new();
    let mut done = std::collections::HashSet::new();
    loop {
        let row = rows.next()?;
        let case_id: Option<String> = row.map(|r| r.get(0)).transpose()?;
        if current.is_some() && case_id != current {
            let id = current.take().expect("some");
            if let Some(id) = ids.get(id.as_str()) {
                store_derived(conn, id, &events)?;
                done.insert(*id);
            }
            events.clear();
        }
        let (Some(case_id), Some(row)) = (case_id, row) else {
            break;
        };
        if ids.contains(case_id.as_str()) {
            events.push(event_row(row, 1)?);
        }
        current = Some(case_id);
    }
    // Cases without a live event.
    for id in ids.iter().filter(|id| !done.contains(*id)) {
        store_derived(conn, id, &[])?;
    }
    Ok(())
}

fn limit_of(unit: &str, n: i64) -> Limit {
    if unit == "working_hours" {
        Limit::WorkingHours(n)
    } else {
        Limit::WorkingDays(n)
    }
}

fn category_row(r: &rusqlite::Row) -> rusqlite::Result<CategoryRow> {
    Ok(CategoryRow {
        code: r.get(0)?,
        parent_code: r.get(1)?,
        name: r.get(2)?,
        filing: r.get(3)?,
        limit_unit: r.get(4)?,
        limit_n: r.get(5)?,
        closing: r.get(6)?,
        unit: r.get(7)?,
    })
}

const CATEGORY_COLS: &str = "code, parent_code, name, filing, limit_unit, limit_n, closing, unit";

impl Store {
    /// The working calendar: the shipped official arrangement with the office's changes.
    pub fn calendar(&self) -> Calendar {
        let days = self.calendar_days().unwrap_or_default();
        let changed: Vec<(Date, bool)> = days
            .iter()
            .filter_map(|d| Some((Date::parse(&d.day)?, d.kind == "workday")))
            .collect();
        Calendar::new(&calendar::shipped()).with_days(&changed)
    }

    /// The office's changes to the shipped calendar, by date.
    pub fn calendar_days(&self) -> Result<Vec<CalendarDay>> {
        let mut st = self
            .conn
            .prepare("SELECT day, kind, name FROM calendar_days ORDER BY day")?;
        let rows = st.query_map([], |r| {
            Ok(CalendarDay {
                day: r.get(0)?,
                kind: r.get(1)?,
                name: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Makes `day` a holiday or a working day, or ("") returns it to the shipped arrangement.
    /// Changes deadlines of cases reported from now on; reported cases keep theirs.
    pub fn set_calendar_day(&mut self, day: &str, kind: &str, name: &str) -> Result<()> {
        let d = Date::parse(day.trim()).ok_or_else(|| invalid("day", "date_format"))?;
        let day = d.to_string();
        match kind {
            "" => {
                self.conn
                    .execute("DELETE FROM calendar_days WHERE day = ?1", [&day])?;
            }
            "holiday" | "workday" => {
                self.conn.execute(
                    "INSERT INTO calendar_days (day, kind, name) VALUES (?1, ?2, ?3)
                     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
                    params![day, kind, name.trim()],
                )?;
            }
            _ => return Err(invalid("kind", "unknown")),
        }
        Ok(())
    }

    /// The community's case categories; the shipped table is copied in on first use.
    pub fn case_categories(&mut self, community_code: &str) -> Result<Vec<CategoryRow>> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM case_categories WHERE community_code = ?1",
            [community_code],
            |r| r.get(0),
        )?;
        if n == 0 {
            let exists: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM communities WHERE community_code = ?1)",
                [community_code],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::NotFound("community"));
            }
            let table = category::shipped();
            self.write(|tx, ctx| {
                let mut st = tx.prepare_cached(
                    "INSERT INTO case_categories (id, community_code, code, parent_code, name, filing, limit_unit,
                                                  limit_n, closing, unit, created_at, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
                )?;
                for g in &table.categories {
                    let (id, t) = (ctx.new_id(), ctx.stamp());
                    st.execute(params![id, community_code, g.code, None::<String>, g.name, "", "working_days", 0, "", "", t, ctx.device_id])?;
                    for i in &g.items {
                        let (unit, n) = match i.limit {
                            Limit::WorkingHours(n) => ("working_hours", n),
                            Limit::WorkingDays(n) => ("working_days", n),
                        };
                        let (id, t) = (ctx.new_id(), ctx.stamp());
                        st.execute(params![id, community_code, i.code, g.code, i.name, i.filing, unit, n, i.closing, i.unit, t, ctx.device_id])?;
                    }
                }
                Ok(())
            })?;
        }
        let mut st = self.conn.prepare(&format!(
            "SELECT {CATEGORY_COLS} FROM case_categories WHERE community_code = ?1 AND deleted = 0 ORDER BY code"
        ))?;
        let rows = st.query_map([community_code], category_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a category or changes one (matched by code). A 小类 needs an existing 大类 as its
    /// parent and a positive deadline; a 大类 has no parent.
    pub fn save_category(&mut self, community_code: &str, row: &CategoryRow) -> Result<()> {
        self.case_categories(community_code)?;
        let mut problems = Vec::new();
        let code = row.code.trim();
        if code.is_empty() {
            problems.push(("code".to_string(), "required".to_string()));
        } else if code.chars().count() > 16
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            problems.push(("code".into(), "code_format".into()));
        }
        if row.name.trim().is_empty() {
            problems.push(("name".into(), "required".into()));
        }
        let parent = row
            .parent_code
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let Some(p) = parent {
            match self.category(community_code, p)? {
                Some(g) if g.parent_code.is_none() && p != code => {}
                _ => problems.push(("parent_code".into(), "unknown".into())),
            }
            if !matches!(row.limit_unit.as_str(), "working_hours" | "working_days") {
                problems.push(("limit_unit".into(), "unknown".into()));
            }
            if !(1..=10_000).contains(&row.limit_n) {
                problems.push(("limit_n".into(), "out_of_range".into()));
            }
        }
        let existing = self.category(community_code, code)?;
        if let (Some(e), None) = (&existing, parent) {
            if e.parent_code.is_some() {
                problems.push(("parent_code".into(), "required".into()));
            }
        }
        if let (Some(e), Some(_)) = (&existing, parent) {
            if e.parent_code.is_none() {
                problems.push(("parent_code".into(), "group_stays_group".into()));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let (unit, n) = if parent.is_some() {
            (row.limit_unit.as_str(), row.limit_n)
        } else {
            ("working_days", 0)
        };
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM case_categories WHERE community_code = ?1 AND code = ?2 AND deleted = 0",
                [community_code, code],
                |r| r.get(0),
            )
            .optional()?;
        self.write(|tx, ctx| {
            let t = ctx.stamp();
            match id {
                Some(id) => {
                    tx.execute(
                        concat!(
                            "UPDATE case_categories SET ",
                            super::rebase!(),
                            "name = ?2, filing = ?3, limit_unit = ?4, limit_n = ?5, closing = ?6, unit = ?7,
                             updated_at = ?8, updated_by = ?9 WHERE id = ?1"
                        ),
                        params![id, row.name.trim(), row.filing.trim(), unit, n, row.closing.trim(), row.unit.trim(), t, ctx.device_id],
                    )?;
                }
                None => {
                    tx.execute(
                        "INSERT INTO case_categories (id, community_code, code, parent_code, name, filing, limit_unit,
                                                      limit_n, closing, unit, created_at, updated_at, updated_by)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
                        params![ctx.new_id(), community_code, code, parent, row.name.trim(), row.filing.trim(), unit, n,
                                row.closing.trim(), row.unit.trim(), t, ctx.device_id],
                    )?;
                }
            }
            Ok(())
        })
    }

    fn category(&self, community_code: &str, code: &str) -> Result<Option<CategoryRow>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {CATEGORY_COLS} FROM case_categories
                     WHERE community_code = ?1 AND code = ?2 AND deleted = 0"
                ),
                [community_code, code],
                category_row,
            )
            .optional()?)
    }

    pub(super) fn acting(&self) -> Result<(String, Role)> {
        let a = self.actor()?.ok_or(StoreError::Refused("no_actor"))?;
        let role = Role::from_code(&a.role).ok_or(StoreError::Refused("no_actor"))?;
        Ok((a.name, role))
    }

    /// Reports a case (上报): the case and its first event, its deadline from the category.
    pub fn report_case(&mut self, f: &CaseForm) -> Result<String> {
        let (actor, role) = self.acting()?;
        let mut problems = Vec::new();
        let title = f.title.trim();
        if title.is_empty() {
            problems.push(("title".to_string(), "required".to_string()));
        } else if title.chars().count() > TITLE_MAX {
            problems.push(("title".into(), "too_long".into()));
        }
        if !case::CHANNELS.contains(&f.channel.as_str()) {
            problems.push(("channel".into(), "required".into()));
        }
        let priority = if f.priority.is_empty() {
            "normal"
        } else {
            f.priority.as_str()
        };
        if !case::PRIORITIES.contains(&priority) {
            problems.push(("priority".into(), "unknown".into()));
        }
        let cat = if f.category_code.is_empty() {
            problems.push(("category_code".into(), "required".into()));
            None
        } else {
            let c = self.category(&f.community_code, &f.category_code)?;
            if c.as_ref().is_none_or(|c| c.parent_code.is_none()) {
                problems.push(("category_code".into(), "unknown".into()));
            }
            c
        };
        // The place: a household decides the grid; otherwise the grid picked.
        let mut grid_id = f.grid_id.clone();
        if !f.household_id.is_empty() {
            match self
                .conn
                .query_row(
                    "SELECT grid_id FROM households WHERE id = ?1 AND deleted = 0",
                    [&f.household_id],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
            {
                Some(g) => grid_id = g,
                None => problems.push(("household_id".into(), "unknown".into())),
            }
        }
        if grid_id.is_empty() {
            problems.push(("grid_id".into(), "required".into()));
        } else if self.grid_community(&grid_id).ok().as_deref() != Some(f.community_code.as_str()) {
            problems.push(("grid_id".into(), "unknown".into()));
        }
        let phone = f.reporter_phone.trim();
        let phone = if phone.is_empty() {
            String::new()
        } else {
            match crate::domain::resident::normalize_phone(phone) {
                Some(p) => p,
                None => {
                    problems.push(("reporter_phone".into(), "phone_format".into()));
                    String::new()
                }
            }
        };
        let photos = match decode_photos(&f.photos) {
            Ok(p) => p,
            Err(code) => {
                problems.push(("photos".into(), code.into()));
                Vec::new()
            }
        };
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let now = self.ctx.now_millis();
        let deadline = cat.as_ref().map(|c| {
            self.calendar()
                .deadline(now, limit_of(&c.limit_unit, c.limit_n))
        });
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        self.write(|tx, ctx| {
            let id = ctx.new_id();
            let t = ctx.stamp();
            tx.execute(
                "INSERT INTO cases (id, community_code, grid_id, household_id, category_code, title, description, address,
                                    channel, priority, reporter_id, reporter_name, reporter_phone, reported_at, deadline,
                                    created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17)",
                params![
                    id, f.community_code, grid_id, opt(&f.household_id), f.category_code, title,
                    f.description.trim(), f.address.trim(), f.channel, priority, opt(&f.reporter_id),
                    f.reporter_name.trim(), phone, now, deadline, t, ctx.device_id
                ],
            )?;
            let event = append_event(tx, ctx, &f.community_code, &id, Move::Report, &actor, role, &MoveInput::default())?;
            insert_photos(tx, ctx, &f.community_code, &id, &event, &photos)?;
            rederive(tx, &id)?;
            if !f.visit_id.is_empty() {
                Store::link_visit(tx, ctx, &f.visit_id, "case_id", &id)?;
            }
            Ok(id)
        })
    }

    /// Makes a move on a case as this device's user: refused unless legal now, allowed for the
    /// user's role, and with what it needs.
    pub fn case_move(&mut self, case_id: &str, mv: &str, input: &MoveInput) -> Result<()> {
        self.case_move_with_photos(case_id, mv, input, &[])
    }

    /// [`Store::case_move`] with photos of the step.
    pub fn case_move_with_photos(
        &mut self,
        case_id: &str,
        mv: &str,
        input: &MoveInput,
        photos: &[PhotoIn],
    ) -> Result<()> {
        let (actor, role) = self.acting()?;
        let m = Move::from_code(mv).ok_or(StoreError::Refused("case_illegal_move"))?;
        let (code, state): (String, String) = self
            .conn
            .query_row(
                "SELECT community_code, state FROM cases WHERE id = ?1 AND deleted = 0",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("case"))?;
        let from = State::from_code(&state).unwrap_or(State::Reported);
        if m == Move::Report {
            return Err(StoreError::Refused("case_illegal_move"));
        }
        case::check(from, m, role, input).map_err(|e| match e {
            case::MoveError::ReasonRequired | case::MoveError::NoteRequired => {
                invalid("remark", e.code())
            }
            case::MoveError::AssigneeRequired => invalid("assignee", e.code()),
            case::MoveError::RatingRequired => invalid("rating", e.code()),
            _ => StoreError::Refused(e.code()),
        })?;
        let photos = decode_photos(photos).map_err(|c| invalid("photos", c))?;
        self.write(|tx, ctx| {
            let event = append_event(tx, ctx, &code, case_id, m, &actor, role, input)?;
            insert_photos(tx, ctx, &code, case_id, &event, &photos)?;
            // The case record itself does not change: its state is derived from events.
            rederive(tx, case_id)
        })
    }

    pub fn get_case(&self, id: &str) -> Result<CaseView> {
        let row = self
            .conn
            .query_row(
                &format!("{CASE_SELECT} WHERE c.id = ?1 AND c.deleted = 0"),
                [id],
                case_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound("case"))?;
        let row = with_overdue(row, self.ctx.now_millis());
        let form: CaseForm = self.conn.query_row(
            "SELECT community_code, grid_id, coalesce(household_id, ''), category_code, title, description, address,
                    channel, priority, coalesce(reporter_id, ''), reporter_name, reporter_phone
             FROM cases WHERE id = ?1",
            [id],
            |r| {
                Ok(CaseForm {
                    community_code: r.get(0)?,
                    grid_id: r.get(1)?,
                    household_id: r.get(2)?,
                    category_code: r.get(3)?,
                    title: r.get(4)?,
                    description: r.get(5)?,
                    address: r.get(6)?,
                    channel: r.get(7)?,
                    priority: r.get(8)?,
                    reporter_id: r.get(9)?,
                    reporter_name: r.get(10)?,
                    reporter_phone: r.get(11)?,
                    visit_id: String::new(),
                    photos: Vec::new(),
                })
            },
        )?;
        let (rating, closed_at): (String, Option<i64>) = self.conn.query_row(
            "SELECT rating, closed_at FROM cases WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (events, _) = load_events(&self.conn, id)?;
        let offered = match (self.acting(), State::from_code(&row.state)) {
            (Ok((_, role)), Some(s)) => case::offered(s, role)
                .into_iter()
                .map(|m| m.code().to_string())
                .collect(),
            _ => Vec::new(),
        };
        let category = self.category(&form.community_code, &form.category_code)?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, event_id, width, height, size FROM case_photos
             WHERE case_id = ?1 AND deleted = 0 ORDER BY created_at, id",
        )?;
        let photos = st
            .query_map([id], |r| {
                Ok(PhotoMeta {
                    id: r.get(0)?,
                    event_id: r.get(1)?,
                    width: r.get(2)?,
                    height: r.get(3)?,
                    size: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let household_address = if form.household_id.is_empty() {
            String::new()
        } else {
            self.conn
                .query_row(
                    "SELECT building || unit || room FROM households WHERE id = ?1",
                    [&form.household_id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or_default()
        };
        Ok(CaseView {
            row,
            form,
            category,
            rating,
            closed_at,
            events,
            offered,
            photos,
            household_address,
        })
    }

    /// One photo's bytes (a case's or a micro-wish's).
    pub fn get_photo(&self, id: &str) -> Result<PhotoOut> {
        use base64::Engine;
        let (mime, data): (String, Vec<u8>) = self
            .conn
            .query_row(
                "SELECT mime, data FROM case_photos WHERE id = ?1 AND deleted = 0
                 UNION ALL SELECT mime, data FROM wish_photos WHERE id = ?1 AND deleted = 0",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("photo"))?;
        Ok(PhotoOut {
            mime,
            data: base64::engine::general_purpose::STANDARD.encode(data),
        })
    }

    /// Households whose address (building, unit, room) contains the text, for a place picker.
    pub fn find_households(
        &self,
        community_code: &str,
        text: &str,
        limit: u32,
    ) -> Result<Vec<HouseholdHit>> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut cond = vec![
            "h.deleted = 0".to_string(),
            "h.community_code = ?".to_string(),
        ];
        let mut args: Vec<Value> = vec![Value::Text(community_code.into())];
        for w in &words {
            cond.push("(h.building || h.unit || h.room) LIKE ? ESCAPE '\\'".into());
            args.push(Value::Text(format!(
                "%{}%",
                super::residents::like_literal(w)
            )));
        }
        let sql = format!(
            "SELECT h.id, h.grid_id, g.name, h.building || h.unit || h.room
             FROM households h JOIN grids g ON g.id = h.grid_id
             WHERE {} ORDER BY h.building, h.unit, h.room LIMIT {}",
            cond.join(" AND "),
            limit.clamp(1, 50)
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(params_from_iter(args.iter()), |r| {
            Ok(HouseholdHit {
                id: r.get(0)?,
                grid_id: r.get(1)?,
                grid_name: r.get(2)?,
                address: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A page of cases with the figures over the same filter.
    pub fn list_cases(&self, q: &CaseQuery) -> Result<CasePage> {
        let now = self.ctx.now_millis();
        let mut cond = vec!["c.deleted = 0".to_string()];
        let mut args: Vec<Value> = Vec::new();
        if !q.community_code.is_empty() {
            cond.push("c.community_code = ?".into());
            args.push(Value::Text(q.community_code.clone()));
        }
        if q.state == "done" {
            // Closed, rated or not (the dashboard's 办结).
            cond.push("c.state IN ('closed', 'rated')".into());
        } else if !q.state.is_empty() {
            cond.push("c.state = ?".into());
            args.push(Value::Text(q.state.clone()));
        }
        if let Some(g) = q.grid_id.as_deref().filter(|g| !g.is_empty()) {
            cond.push("c.grid_id IN (SELECT value FROM json_each(?))".into());
            args.push(Value::Text(
                serde_json::to_string(&self.grid_subtree(g)?).unwrap_or_default(),
            ));
        }
        let text = q.text.trim();
        if !text.is_empty() {
            cond.push("(c.title LIKE ? ESCAPE '\\' OR c.description LIKE ? ESCAPE '\\' OR c.address LIKE ? ESCAPE '\\')".into());
            let like = format!(
                "%{}%",
                text.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            for _ in 0..3 {
                args.push(Value::Text(like.clone()));
            }
        }
        if q.overdue_only {
            cond.push(OVERDUE.into());
            args.push(Value::Integer(now));
        }
        if q.mine {
            let me = self.actor()?.map(|a| a.name).unwrap_or_default();
            cond.push("c.assignee = ?".into());
            args.push(Value::Text(me));
        }
        if !q.assignee.trim().is_empty() {
            cond.push("c.assignee = ?".into());
            args.push(Value::Text(q.assignee.trim().to_string()));
        }
        if !q.channel.is_empty() {
            cond.push("c.channel = ?".into());
            args.push(Value::Text(q.channel.clone()));
        }
        if !q.category.is_empty() {
            // A 大类 code takes all its 小类 (resolved once, not per case).
            let mut codes: Vec<String> = self
                .conn
                .prepare_cached(
                    "SELECT DISTINCT code FROM case_categories
                     WHERE parent_code = ?1 AND deleted = 0 AND (?2 = '' OR community_code = ?2)",
                )?
                .query_map(params![q.category, q.community_code], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            codes.push(q.category.clone());
            cond.push("c.category_code IN (SELECT value FROM json_each(?))".into());
            args.push(Value::Text(
                serde_json::to_string(&codes).unwrap_or_default(),
            ));
        }
        let day_start = |s: &str, field: &'static str| -> Result<Option<i64>> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let d = Date::parse(s).ok_or_else(|| invalid(field, "date_format"))?;
            Ok(Some(d.to_days() * 86_400_000 - calendar::CST_OFFSET_MS))
        };
        let from = day_start(&q.from, "from")?;
        // Through the end of the `to` day.
        let to = day_start(&q.to, "to")?.map(|t| t + 86_400_000);
        if let Some(f) = from {
            cond.push("c.reported_at >= ?".into());
            args.push(Value::Integer(f));
        }
        if let Some(t) = to {
            cond.push("c.reported_at < ?".into());
            args.push(Value::Integer(t));
        }
        let where_ = cond.join(" AND ");
        let total: u64 = self.conn.query_row(
            &format!("SELECT count(*) FROM cases c WHERE {where_}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let limit = q.limit.clamp(1, 200);
        let sql = format!(
            "{CASE_SELECT} WHERE {where_} ORDER BY {order} LIMIT {limit} OFFSET {}",
            q.offset,
            order = if q.sort == "deadline" {
                // Open cases first, the nearest deadline first.
                "c.state IN ('closed', 'rated', 'voided'), c.deadline IS NULL, c.deadline, c.id"
            } else {
                "c.reported_at DESC, c.id"
            }
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(params_from_iter(args.iter()), case_row)?
            .map(|r| r.map(|r| with_overdue(r, now)))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // The range is already in the filter; the figures count every case it selects.
        let figures = self.figures_where(&where_, &args, None, None, now)?;
        Ok(CasePage {
            rows,
            total,
            offset: q.offset,
            figures,
        })
    }
}

impl Store {
    /// The office's figures (see `domain::figures`) for cases of a community (empty: all),
    /// optionally one grid and its sub-grids, reported in `[from, to)`, as of `as_of` (UTC ms).
    pub fn case_figures(
        &self,
        community_code: &str,
        grid_id: Option<&str>,
        from: Option<i64>,
        to: Option<i64>,
        as_of: i64,
    ) -> Result<figures::Figures> {
        let mut cond = vec!["c.deleted = 0".to_string()];
        let mut args: Vec<Value> = Vec::new();
        if !community_code.is_empty() {
            cond.push("c.community_code = ?".into());
            args.push(Value::Text(community_code.into()));
        }
        if let Some(g) = grid_id.filter(|g| !g.is_empty()) {
            cond.push("c.grid_id IN (SELECT value FROM json_each(?))".into());
            args.push(Value::Text(
                serde_json::to_string(&self.grid_subtree(g)?).unwrap_or_default(),
            ));
        }
        self.figures_where(&cond.join(" AND "), &args, from, to, as_of)
    }

    fn figures_where(
        &self,
        where_: &str,
        args: &[Value],
        from: Option<i64>,
        to: Option<i64>,
        as_of: i64,
    ) -> Result<figures::Figures> {
        let mut st = self.conn.prepare(&format!(
            "SELECT c.reported_at, c.state, c.closed_at, c.rating, c.deadline, coalesce(k.name, c.category_code), g.name
             FROM cases c JOIN grids g ON g.id = c.grid_id
             LEFT JOIN case_categories k ON k.community_code = c.community_code AND k.code = c.category_code AND k.deleted = 0
             WHERE {where_}"
        ))?;
        let facts: Vec<FactRow> = st
            .query_map(params_from_iter(args.iter()), |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let cases: Vec<CaseFacts> = facts
            .iter()
            .map(
                |(rep, state, closed, rating, deadline, cat, grid)| CaseFacts {
                    reported_at: *rep,
                    voided: state == "voided",
                    closed_at: *closed,
                    satisfied: Rating::from_code(rating).map(Rating::counts_as_satisfied),
                    deadline: *deadline,
                    category: cat,
                    grid,
                },
            )
            .collect();
        Ok(figures::compute(&cases, from, to, as_of))
    }
}

/// reported_at, state, closed_at, rating, deadline, category, grid name.
type FactRow = (
    i64,
    String,
    Option<i64>,
    String,
    Option<i64>,
    String,
    String,
);

/// Not closed (or voided) and past its deadline at `?` (now).
const OVERDUE: &str =
    "(c.state NOT IN ('closed', 'rated', 'voided') AND c.deadline IS NOT NULL AND c.deadline < ?)";

const CASE_SELECT: &str = "SELECT c.id, c.title, coalesce(k.name, c.category_code), g.name, c.channel, c.state, c.assignee,
        c.reported_at, c.deadline, c.urged, c.flagged, c.community_code
 FROM cases c
 JOIN grids g ON g.id = c.grid_id
 LEFT JOIN case_categories k ON k.community_code = c.community_code AND k.code = c.category_code AND k.deleted = 0";

/// A list row; `overdue` is filled in by [`with_overdue`].
fn case_row(r: &rusqlite::Row) -> rusqlite::Result<CaseRow> {
    Ok(CaseRow {
        id: r.get(0)?,
        title: r.get(1)?,
        category: r.get(2)?,
        grid_name: r.get(3)?,
        channel: r.get(4)?,
        state: r.get(5)?,
        assignee: r.get(6)?,
        reported_at: r.get(7)?,
        deadline: r.get(8)?,
        overdue: false,
        urged: r.get(9)?,
        flagged: r.get(10)?,
        community_code: r.get(11)?,
    })
}

fn with_overdue(mut row: CaseRow, now: i64) -> CaseRow {
    let done = State::from_code(&row.state).is_some_and(State::is_final);
    row.overdue = !done && row.deadline.is_some_and(|d| d < now);
    row
}

#[allow(clippy::too_many_arguments)]
fn append_event(
    tx: &Connection,
    ctx: &mut super::Ctx,
    code: &str,
    case_id: &str,
    m: Move,
    actor: &str,
    role: Role,
    input: &MoveInput,
) -> Result<String> {
    let (id, t) = (ctx.new_id(), ctx.stamp());
    // A move records only what belongs to it.
    let assignee = if m == Move::Dispatch {
        input.assignee.trim()
    } else {
        ""
    };
    let rating = if m == Move::Rate { input.rating } else { "" };
    tx.prepare_cached(
        "INSERT INTO case_events (id, community_code, case_id, move, actor, actor_role, remark, assignee, rating,
                                  wall_at, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
    )?
    .execute(params![
        id,
        code,
        case_id,
        m.code(),
        actor,
        role.code(),
        input.remark.trim(),
        assignee,
        rating,
        ctx.now_millis(),
        t,
        ctx.device_id
    ])?;
    Ok(id)
}

/// Decodes and checks the photos of one step (see `domain::photo`).
pub(super) fn decode_photos(
    photos: &[PhotoIn],
) -> std::result::Result<Vec<(Vec<u8>, photo::ImageInfo)>, &'static str> {
    use base64::Engine;
    if photos.len() > photo::MAX_PER_STEP {
        return Err("photo_too_many");
    }
    photos
        .iter()
        .map(|p| {
            let data = p.data.split_once(',').map_or(p.data.as_str(), |(_, d)| d);
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|_| "photo_not_image")?;
            let info = photo::check(&bytes).map_err(|e| e.code())?;
            Ok((bytes, info))
        })
        .collect()
}

fn insert_photos(
    tx: &Connection,
    ctx: &mut super::Ctx,
    code: &str,
    case_id: &str,
    event_id: &str,
    photos: &[(Vec<u8>, photo::ImageInfo)],
) -> Result<()> {
    insert_step_photos(
        tx,
        ctx,
        "case_photos",
        "case_id",
        code,
        case_id,
        event_id,
        photos,
    )
}

/// Stores the photos of one step of a case (`case_photos`, `case_id`) or a wish
/// (`wish_photos`, `wish_id`).
#[allow(clippy::too_many_arguments)]
pub(super) fn insert_step_photos(
    tx: &Connection,
    ctx: &mut super::Ctx,
    table: &str,
    owner_column: &str,
    code: &str,
    owner_id: &str,
    event_id: &str,
    photos: &[(Vec<u8>, photo::ImageInfo)],
) -> Result<()> {
    let mut st = tx.prepare_cached(&format!(
        "INSERT INTO {table} (id, community_code, {owner_column}, event_id, mime, width, height, size, data,
                              created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)"
    ))?;
    for (bytes, info) in photos {
        let (id, t) = (ctx.new_id(), ctx.stamp());
        st.execute(params![
            id,
            code,
            owner_id,
            event_id,
            info.mime,
            info.width,
            info.height,
            bytes.len() as i64,
            bytes,
            t,
            ctx.device_id
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::storage::Store;

    /// Each case's id and what `rederive` sets: state, assignee, rating, urged, closed_at,
    /// flagged.
    fn derived(s: &Store) -> Vec<serde_json::Value> {
        let mut st = s
            .conn()
            .prepare(
                "SELECT json_array(id, state, assignee, rating, urged, closed_at, flagged)
                 FROM cases ORDER BY id",
            )
            .unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        rows.map(|r| serde_json::from_str(&r.unwrap()).unwrap())
            .collect()
    }

    /// One pass over every event sets each case exactly as reading its events alone does,
    /// cases without a live event included, and leaves the cases not asked for alone.
    #[test]
    fn one_pass_over_all_events_derives_as_case_by_case() {
        let mut s = Store::open_in_memory(|| 1_764_000_000_000, 1).unwrap();
        s.load_sample(&crate::domain::sample::SampleOptions::community(
            1,
            1_764_000_000_000,
        ))
        .unwrap();
        // A case without events (a copy of the first under an id sorted first): derived from
        // none.
        s.conn()
            .execute_batch(
                "CREATE TEMP TABLE c AS SELECT * FROM cases ORDER BY id LIMIT 1;
                 UPDATE c SET id = '0-no-events';
                 INSERT INTO cases SELECT * FROM c;",
            )
            .unwrap();
        let want = derived(&s);
        assert!(want.len() > 100 && want.iter().any(|c| c[1] == "closed" && !c[5].is_null()));
        let ids: Vec<String> = want.iter().map(|c| c[0].as_str().unwrap().into()).collect();
        let (asked, not_asked) = ids.split_at(ids.len() - 3);
        let garble = "UPDATE cases SET state = 'x', assignee = 'x', rating = 'x', urged = 9, closed_at = 1, flagged = 1";
        s.conn().execute(garble, []).unwrap();
        let set: std::collections::BTreeSet<&str> = asked.iter().map(String::as_str).collect();
        super::rederive_in_one_pass(s.conn(), &set).unwrap();
        let one_pass = derived(&s);
        s.conn().execute(garble, []).unwrap();
        for id in &set {
            super::rederive(s.conn(), id).unwrap();
        }
        assert_eq!(one_pass, derived(&s));
        let untouched = |rows: &[serde_json::Value]| {
            rows.iter()
                .filter(|c| not_asked.iter().any(|id| c[0] == id.as_str()))
                .all(|c| c[1] == "x")
        };
        assert!(untouched(&one_pass));
        assert_eq!(one_pass[0][1], "reported", "no live event: as reported");
        assert_eq!(&one_pass[1..ids.len() - 3], &want[1..ids.len() - 3]);
    }
}
