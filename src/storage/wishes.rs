//! Micro-wishes (微心愿): recording, moves as append-only events (checked against the state
//! derived from them), the claim list, the wish page and its photos. A wish's state, claimer,
//! fulfil time and minutes are cached from its events (`rederive`), never set directly; the
//! time bank reads `wishes.minutes` of fulfilled wishes per `volunteer_id`.

use super::cases::{decode_photos, insert_step_photos};
use super::{invalid, Result, Store, StoreError};
use crate::domain::date::Date;
use crate::domain::wish::{self, EventRef, Move, MoveInput, State};
use crate::protocol::{
    PhotoIn, PhotoMeta, WishEventRow, WishForm, WishPage, WishQuery, WishRow, WishView,
};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

/// A wish's events in the merged order (clock time, device, id) and the derivation over them.
fn load_events(conn: &Connection, wish_id: &str) -> Result<(Vec<WishEventRow>, wish::Derived)> {
    let mut st = conn.prepare_cached(
        "SELECT e.id, e.move, e.actor, e.actor_role, coalesce(e.volunteer_id, ''), coalesce(v.name, ''),
                e.note, e.minutes, e.wall_at, e.created_at, e.updated_by
         FROM wish_events e LEFT JOIN volunteers v ON v.id = e.volunteer_id
         WHERE e.wish_id = ?1 AND e.deleted = 0 ORDER BY e.created_at, e.updated_by, e.id",
    )?;
    let raw: Vec<(WishEventRow, i64, String)> = st
        .query_map([wish_id], |r| {
            Ok((
                WishEventRow {
                    id: r.get(0)?,
                    mv: r.get(1)?,
                    actor: r.get(2)?,
                    actor_role: r.get(3)?,
                    volunteer_id: r.get(4)?,
                    volunteer_name: r.get(5)?,
                    note: r.get(6)?,
                    minutes: r.get(7)?,
                    wall_at: r.get(8)?,
                    out_of_order: false,
                },
                r.get(9)?,
                r.get(10)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let refs: Vec<EventRef> = raw
        .iter()
        .filter_map(|(e, at, dev)| {
            Some(EventRef {
                id: &e.id,
                at: *at,
                device: dev,
                mv: Move::from_code(&e.mv)?,
                volunteer_id: &e.volunteer_id,
                minutes: e.minutes,
            })
        })
        .collect();
    let d = wish::derive(&refs);
    let events = raw
        .into_iter()
        .map(|(e, _, _)| WishEventRow {
            out_of_order: d.out_of_order.contains(&e.id),
            ..e
        })
        .collect();
    Ok((events, d))
}

/// Recomputes a wish's cached state from all its events (after a move or an import).
pub(crate) fn rederive(conn: &Connection, wish_id: &str) -> Result<()> {
    let (events, d) = load_events(conn, wish_id)?;
    // The fulfil time people read is the wall clock of the fulfil event.
    let fulfilled_at = d
        .fulfilled_by
        .as_ref()
        .and_then(|id| events.iter().find(|e| &e.id == id))
        .map(|e| e.wall_at);
    conn.prepare_cached(
        "UPDATE wishes SET state = ?1, volunteer_id = ?2, fulfilled_at = ?3, minutes = ?4, flagged = ?5
         WHERE id = ?6",
    )?
    .execute(params![
        d.state.unwrap_or(State::Published).code(),
        (!d.volunteer_id.is_empty()).then_some(d.volunteer_id.as_str()),
        fulfilled_at,
        d.minutes,
        d.flagged(),
        wish_id
    ])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn append_event(
    tx: &Connection,
    ctx: &mut super::Ctx,
    code: &str,
    wish_id: &str,
    m: Move,
    actor: &str,
    role: &str,
    input: &MoveInput,
) -> Result<String> {
    let (id, t) = (ctx.new_id(), ctx.stamp());
    // A move records only what belongs to it.
    let volunteer = (m == Move::Claim).then(|| input.volunteer_id.trim());
    let minutes = if m == Move::Fulfil { input.minutes } else { 0 };
    tx.prepare_cached(
        "INSERT INTO wish_events (id, community_code, wish_id, move, actor, actor_role, volunteer_id, note, minutes,
                                  wall_at, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
    )?
    .execute(params![
        id,
        code,
        wish_id,
        m.code(),
        actor,
        role,
        volunteer,
        input.note.trim(),
        minutes,
        ctx.now_millis(),
        t,
        ctx.device_id
    ])?;
    Ok(id)
}

const WISH_SELECT: &str = "SELECT w.id, w.title, w.wisher_name, g.name, w.due_date, w.state,
        coalesce(w.volunteer_id, ''), coalesce(v.name, ''), w.minutes, w.flagged, w.community_code
 FROM wishes w
 JOIN grids g ON g.id = w.grid_id
 LEFT JOIN volunteers v ON v.id = w.volunteer_id";

fn wish_row(r: &rusqlite::Row) -> rusqlite::Result<WishRow> {
    Ok(WishRow {
        id: r.get(0)?,
        title: r.get(1)?,
        wisher_name: r.get(2)?,
        grid_name: r.get(3)?,
        due_date: r.get(4)?,
        state: r.get(5)?,
        volunteer_id: r.get(6)?,
        volunteer_name: r.get(7)?,
        minutes: r.get(8)?,
        overdue: false,
        flagged: r.get(9)?,
        community_code: r.get(10)?,
    })
}

fn with_overdue(mut row: WishRow, today: &str) -> WishRow {
    let done = State::from_code(&row.state).is_some_and(State::is_final);
    row.overdue = !done && row.due_date.as_str() < today;
    row
}

impl Store {
    /// Records a wish (who, what, by when) and publishes it to the claim list.
    pub fn record_wish(&mut self, f: &WishForm) -> Result<String> {
        let (actor, role) = self.acting()?;
        let mut problems: Vec<(String, String)> = Vec::new();
        let title = f.title.trim();
        if title.is_empty() {
            problems.push(("title".into(), "required".into()));
        } else if title.chars().count() > wish::TITLE_MAX {
            problems.push(("title".into(), "too_long".into()));
        }
        let due = f.due_date.trim();
        if due.is_empty() {
            problems.push(("due_date".into(), "required".into()));
        } else if Date::parse(due).is_none() {
            problems.push(("due_date".into(), "date_format".into()));
        }
        let mut grid_id = f.grid_id.trim().to_string();
        let mut name = f.wisher_name.trim().to_string();
        let mut phone = f.wisher_phone.trim().to_string();
        let resident = f.resident_id.trim();
        if !resident.is_empty() {
            // A registered wisher: their grid, and their name and phone unless given.
            let found: Option<(String, String, String, Option<String>)> = self
                .conn
                .query_row(
                    "SELECT community_code, grid_id, name, phone FROM residents WHERE id = ?1 AND deleted = 0",
                    [resident],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            match found {
                Some((code, g, n, p)) if code == f.community_code => {
                    grid_id = g;
                    if name.is_empty() {
                        name = n;
                    }
                    if phone.is_empty() {
                        phone = p.unwrap_or_default();
                    }
                }
                _ => problems.push(("resident_id".into(), "unknown".into())),
            }
        } else if name.is_empty() {
            problems.push(("wisher_name".into(), "required".into()));
        }
        if !phone.is_empty() {
            match crate::domain::resident::normalize_phone(&phone) {
                Some(p) => phone = p,
                None => problems.push(("wisher_phone".into(), "phone_format".into())),
            }
        }
        if grid_id.is_empty() {
            problems.push(("grid_id".into(), "required".into()));
        } else if self.grid_community(&grid_id).ok().as_deref() != Some(f.community_code.as_str()) {
            problems.push(("grid_id".into(), "unknown".into()));
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let due = Date::parse(due).expect("checked").to_string();
        self.write(|tx, ctx| {
            let id = ctx.new_id();
            insert_wish(
                tx,
                ctx,
                &NewWish {
                    id: &id,
                    code: &f.community_code,
                    grid_id: &grid_id,
                    resident_id: (!resident.is_empty()).then_some(resident),
                    wisher_name: &name,
                    wisher_phone: &phone,
                    title,
                    detail: f.detail.trim(),
                    due_date: &due,
                },
            )?;
            append_event(
                tx,
                ctx,
                &f.community_code,
                &id,
                Move::Publish,
                &actor,
                role.code(),
                &MoveInput::default(),
            )?;
            rederive(tx, &id)?;
            if !f.visit_id.is_empty() {
                Store::link_visit(tx, ctx, &f.visit_id, "wish_id", &id)?;
            }
            Ok(id)
        })
    }

    /// Makes a move on a wish as this device's user: refused unless legal now, allowed for the
    /// user's role, and with what it needs; a claim names a volunteer of the wish's community.
    pub fn wish_move(
        &mut self,
        wish_id: &str,
        mv: &str,
        input: &MoveInput,
        photos: &[PhotoIn],
    ) -> Result<()> {
        let (actor, role) = self.acting()?;
        let m = Move::from_code(mv)
            .filter(|m| *m != Move::Publish)
            .ok_or(StoreError::Refused("wish_illegal_move"))?;
        let (code, state): (String, String) = self
            .conn
            .query_row(
                "SELECT community_code, state FROM wishes WHERE id = ?1 AND deleted = 0",
                [wish_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("wish"))?;
        let from = State::from_code(&state).unwrap_or(State::Published);
        wish::check(from, m, role, input).map_err(|e| match e.field() {
            "" => StoreError::Refused(e.code()),
            f => invalid(f, e.code()),
        })?;
        if m == Move::Claim {
            let ok: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM volunteers WHERE id = ?1 AND community_code = ?2 AND deleted = 0)",
                params![input.volunteer_id.trim(), code],
                |r| r.get(0),
            )?;
            if !ok {
                return Err(invalid("volunteer_id", "unknown"));
            }
        }
        let photos = decode_photos(photos).map_err(|c| invalid("photos", c))?;
        self.write(|tx, ctx| {
            let event = append_event(tx, ctx, &code, wish_id, m, &actor, role.code(), input)?;
            insert_step_photos(
                tx,
                ctx,
                "wish_photos",
                "wish_id",
                &code,
                wish_id,
                &event,
                &photos,
            )?;
            rederive(tx, wish_id)
        })
    }

    pub fn get_wish(&self, id: &str) -> Result<WishView> {
        let today = self.today().to_string();
        let row = self
            .conn
            .query_row(
                &format!("{WISH_SELECT} WHERE w.id = ?1 AND w.deleted = 0"),
                [id],
                wish_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound("wish"))?;
        let row = with_overdue(row, &today);
        let (form, fulfilled_at) = self.conn.query_row(
            "SELECT community_code, grid_id, coalesce(resident_id, ''), wisher_name, wisher_phone, title, detail,
                    due_date, fulfilled_at
             FROM wishes WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    WishForm {
                        community_code: r.get(0)?,
                        grid_id: r.get(1)?,
                        resident_id: r.get(2)?,
                        wisher_name: r.get(3)?,
                        wisher_phone: r.get(4)?,
                        title: r.get(5)?,
                        detail: r.get(6)?,
                        due_date: r.get(7)?,
                        visit_id: String::new(),
                    },
                    r.get::<_, Option<i64>>(8)?,
                ))
            },
        )?;
        let (events, _) = load_events(&self.conn, id)?;
        let offered = match (self.acting(), State::from_code(&row.state)) {
            (Ok((_, role)), Some(s)) => wish::offered(s, role)
                .into_iter()
                .map(|m| m.code().to_string())
                .collect(),
            _ => Vec::new(),
        };
        let photos = self
            .conn
            .prepare_cached(
                "SELECT id, event_id, width, height, size FROM wish_photos
                 WHERE wish_id = ?1 AND deleted = 0 ORDER BY created_at, id",
            )?
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
        Ok(WishView {
            row,
            form,
            fulfilled_at,
            events,
            offered,
            photos,
        })
    }

    /// A page of wishes: open ones first (the nearest due date first), then the others.
    pub fn list_wishes(&self, q: &WishQuery) -> Result<WishPage> {
        let today = self.today().to_string();
        let mut cond = vec!["w.deleted = 0".to_string()];
        let mut args: Vec<Value> = Vec::new();
        if !q.community_code.is_empty() {
            cond.push("w.community_code = ?".into());
            args.push(Value::Text(q.community_code.clone()));
        }
        if let Some(g) = q.grid_id.as_deref().filter(|g| !g.is_empty()) {
            cond.push("w.grid_id IN (SELECT value FROM json_each(?))".into());
            args.push(Value::Text(
                serde_json::to_string(&self.grid_subtree(g)?).unwrap_or_default(),
            ));
        }
        if !q.volunteer_id.trim().is_empty() {
            cond.push("w.volunteer_id = ?".into());
            args.push(Value::Text(q.volunteer_id.trim().to_string()));
        }
        let text = q.text.trim();
        if !text.is_empty() {
            cond.push(
                "(w.title LIKE ? ESCAPE '\\' OR w.detail LIKE ? ESCAPE '\\' OR w.wisher_name LIKE ? ESCAPE '\\')"
                    .into(),
            );
            let like = format!("%{}%", super::residents::like_literal(text));
            for _ in 0..3 {
                args.push(Value::Text(like.clone()));
            }
        }
        // Counts per state over the filter without the state.
        let where_all = cond.join(" AND ");
        let by_state: Vec<(String, u64)> = self
            .conn
            .prepare(&format!(
                "SELECT w.state, count(*) FROM wishes w WHERE {where_all} GROUP BY w.state ORDER BY w.state"
            ))?
            .query_map(params_from_iter(args.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if !q.state.is_empty() {
            cond.push("w.state = ?".into());
            args.push(Value::Text(q.state.clone()));
        }
        let where_ = cond.join(" AND ");
        let total: u64 = self.conn.query_row(
            &format!("SELECT count(*) FROM wishes w WHERE {where_}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let limit = q.limit.clamp(1, 200);
        let sql = format!(
            "{WISH_SELECT} WHERE {where_}
             ORDER BY w.state IN ('fulfilled', 'thanked', 'cancelled'),
                      CASE WHEN w.state IN ('fulfilled', 'thanked', 'cancelled') THEN '' ELSE w.due_date END,
                      w.due_date DESC, w.id
             LIMIT {limit} OFFSET {}",
            q.offset
        );
        let rows = self
            .conn
            .prepare(&sql)?
            .query_map(params_from_iter(args.iter()), wish_row)?
            .map(|r| r.map(|r| with_overdue(r, &today)))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(WishPage {
            rows,
            total,
            offset: q.offset,
            by_state,
        })
    }
}

/// A new wish's record (the form and the sample generator share it).
pub(crate) struct NewWish<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub grid_id: &'a str,
    pub resident_id: Option<&'a str>,
    pub wisher_name: &'a str,
    pub wisher_phone: &'a str,
    pub title: &'a str,
    pub detail: &'a str,
    pub due_date: &'a str,
}

pub(crate) fn insert_wish(tx: &Connection, ctx: &mut super::Ctx, w: &NewWish) -> Result<()> {
    let t = ctx.stamp();
    tx.prepare_cached(
        "INSERT INTO wishes (id, community_code, grid_id, resident_id, wisher_name, wisher_phone, title, detail,
                             due_date, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
    )?
    .execute(params![
        w.id,
        w.code,
        w.grid_id,
        w.resident_id,
        w.wisher_name,
        w.wisher_phone,
        w.title,
        w.detail,
        w.due_date,
        t,
        ctx.device_id
    ])?;
    Ok(())
}
