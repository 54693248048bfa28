//! The duty roster (排班): one week at a time, day by day (days off marked), each shift with
//! its people, how many it needs, and who is double-booked; a form adds a shift and repeats it
//! weekly. Local dates and times are the browser's (it knows the office's time zone).

mod duty;
mod shared;

pub use duty::DutyPage;
pub use shared::SharedDutyPage;

use crate::protocol::{
    ApiError, FieldError, Request, Response, ShiftForm, ShiftRow, StaffRow, VolunteerRow,
};
use crate::ui::app::Route;
use crate::ui::components::{select_value, Banner, Field, SelectField};
use crate::ui::ctx::{use_app, use_grid_tree, AppCtx};
use crate::ui::pages::grid_options;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

const DAY: f64 = 86_400_000.0;

/// /roster?week=YYYY-MM-DD (any day of the week)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RosterQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub week: String,
    /// "list" for the list view (also the printable roster); the week view otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub view: String,
}

/// Local midnight of a YYYY-MM-DD date, as UTC ms (the browser's zone).
fn local_ms(date: &str, minutes: u32) -> Option<f64> {
    let d = crate::domain::date::Date::parse(date)?;
    let js = js_sys::Date::new_with_year_month_day_hr_min(
        d.year as u32,
        d.month as i32 - 1,
        d.day as i32,
        (minutes / 60) as i32,
        (minutes % 60) as i32,
    );
    Some(js.get_time())
}

fn ymd(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

fn hm(ms: i64) -> String {
    let d = js_sys::Date::new(&(ms as f64).into());
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// Monday 00:00 local of the week containing `ms`.
fn monday(ms: f64) -> f64 {
    let d = js_sys::Date::new(&ms.into());
    let back = (d.get_day() + 6) % 7; // Monday = 0
    local_ms(&ymd(ms), 0).unwrap_or(ms) - back as f64 * DAY
}

fn minutes_of(t: &str) -> Option<u32> {
    let (h, m) = t.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

#[derive(Clone, PartialEq, Default)]
struct NewShift {
    title: String,
    date: String,
    start: String,
    end: String,
    grid_id: String,
    place: String,
    role: String,
    needed: String,
    weeks: String,
}

#[component]
pub fn RosterPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let query: RosterQuery = use_location()
        .and_then(|l| l.query::<RosterQuery>().ok())
        .unwrap_or_default();
    // The whole street's shifts when the street office picked it (read and marked, not added to).
    let code = ctx.scope_code();
    let tree = use_grid_tree(code.clone());
    let anchor = local_ms(&query.week, 12 * 60).unwrap_or_else(js_sys::Date::now);
    let week0 = monday(anchor);
    let rows = use_state(|| None::<Vec<ShiftRow>>);
    let reload = use_state(|| 0u32);
    let people = crate::ui::pickers::use_people(code.clone());
    let adding = use_state(|| None::<NewShift>);
    let error = use_state(|| None::<ApiError>);
    let row_error = use_state(|| None::<(String, ApiError)>);
    {
        let (ctx, rows) = (ctx.clone(), rows.clone());
        use_effect_with(
            (code.clone(), week0 as i64, *reload),
            move |(code, w, _)| {
                let req = Request::Roster {
                    community_code: code.clone(),
                    from: *w,
                    to: *w + 7 * 86_400_000,
                };
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::Roster(r)) = ctx.call(req).await {
                        rows.set(Some(r));
                    }
                });
            },
        );
    }
    let view = query.view.clone();
    let list_view = view == "list";
    let go_view = |v: &'static str| {
        let (nav, week) = (nav.clone(), ymd(week0));
        Callback::from(move |_: MouseEvent| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(
                    &Route::Roster,
                    &RosterQuery {
                        week: week.clone(),
                        view: v.into(),
                    },
                );
            }
        })
    };
    let go_week = |ms: f64| {
        let view = view.clone();
        let nav = nav.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(
                    &Route::Roster,
                    &RosterQuery {
                        week: ymd(ms),
                        view: view.clone(),
                    },
                );
            }
        })
    };
    let call = {
        let (ctx, reload, row_error) = (ctx.clone(), reload.clone(), row_error.clone());
        move |key: String, req: Request| {
            let (ctx, reload, row_error) = (ctx.clone(), reload.clone(), row_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => {
                        row_error.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => row_error.set(Some((key, e))),
                }
            });
        }
    };
    let open_add = {
        let adding = adding.clone();
        let date = ymd(week0);
        Callback::from(move |_: MouseEvent| {
            adding.set(Some(NewShift {
                date: date.clone(),
                start: "18:00".into(),
                end: "21:00".into(),
                needed: "2".into(),
                weeks: "1".into(),
                ..Default::default()
            }))
        })
    };
    let set = |f: fn(&mut NewShift, String)| {
        let adding = adding.clone();
        Callback::from(move |v: String| {
            if let Some(mut n) = (*adding).clone() {
                f(&mut n, v);
                adding.set(Some(n));
            }
        })
    };
    let save = {
        let (ctx, adding, error, reload, code) = (
            ctx.clone(),
            adding.clone(),
            error.clone(),
            reload.clone(),
            code.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(n) = (*adding).clone() else { return };
            let (s, e2) = (minutes_of(&n.start), minutes_of(&n.end));
            let start = s.and_then(|m| local_ms(&n.date, m));
            let Some(start) = start else {
                error.set(Some(ApiError::invalid(vec![FieldError {
                    field: "date".into(),
                    code: "date_format".into(),
                }])));
                return;
            };
            let Some(end_min) = e2 else {
                error.set(Some(ApiError::invalid(vec![FieldError {
                    field: "end".into(),
                    code: "time_format".into(),
                }])));
                return;
            };
            // An end at or before the start is the next morning (a night duty).
            let mut end = local_ms(&n.date, end_min).unwrap_or(start);
            if end <= start {
                end = local_ms(&ymd(start + DAY), end_min).unwrap_or(end);
            }
            let req = Request::AddShifts(ShiftForm {
                community_code: code.clone(),
                title: n.title.clone(),
                grid_id: n.grid_id.clone(),
                place: n.place.clone(),
                role: n.role.clone(),
                start_at: start as i64,
                end_at: end as i64,
                needed: n.needed.trim().parse().unwrap_or(0),
                weeks: n.weeks.trim().parse().unwrap_or(0),
                note: String::new(),
            });
            let (ctx, adding, error, reload) =
                (ctx.clone(), adding.clone(), error.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => {
                        error.set(None);
                        adding.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("volunteer.no_grid"))))
        .unwrap_or_default();
    let days: Vec<f64> = (0..7)
        .map(|i| local_ms(&ymd(week0 + i as f64 * DAY + DAY / 2.0), 0).unwrap_or(week0))
        .collect();
    let fe = |f: &str| ctx.field_error(&error, f);
    let week_label = format!("{} — {}", ymd(week0), ymd(week0 + 6.5 * DAY));
    html! {
        <div class="page roster">
            <div class="page-head">
                <h1>{ ctx.t("roster.title") }<span class="print-only">{ format!(" {} · {week_label}", if code.is_empty() { ctx.t("dash.whole_street").to_string() } else { ctx.community().map(|c| c.name.clone()).unwrap_or_default() }) }</span></h1>
                <div class="actions">
                    <div class="segmented" role="group" aria-label={ctx.t("roster.view_week")}>
                        <button type="button" class={classes!(if list_view { "secondary" } else { "primary" })} aria-pressed={(!list_view).to_string()} onclick={go_view("")}>{ ctx.t("roster.view_week") }</button>
                        <button type="button" class={classes!(if list_view { "primary" } else { "secondary" })} aria-pressed={list_view.to_string()} onclick={go_view("list")}>{ ctx.t("roster.view_list") }</button>
                    </div>
                    <button type="button" class="secondary" onclick={Callback::from(|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } })}>{ ctx.t("roster.print") }</button>
                    <Link<Route> to={Route::Duty} classes="button secondary">{ ctx.t("duty.title") }</Link<Route>>
                    if !code.is_empty() {
                        <button type="button" class="primary" onclick={open_add}>{ ctx.t("roster.add") }</button>
                    }
                </div>
            </div>
            <div class="week-nav" role="group" aria-label={ctx.t("roster.week")}>
                <button type="button" class="secondary" onclick={go_week(week0 - 3.0 * DAY)}>{ ctx.t("roster.prev_week") }</button>
                <strong class="week-label">{ week_label }</strong>
                <button type="button" class="secondary" onclick={go_week(week0 + 10.0 * DAY)}>{ ctx.t("roster.next_week") }</button>
                <button type="button" class="secondary" onclick={go_week(js_sys::Date::now())}>{ ctx.t("roster.this_week") }</button>
            </div>
            if let Some(n) = &*adding {
                <form class="card form-grid" onsubmit={save} novalidate=true aria-label={ctx.t("roster.add")}>
                    <Field id="shift_title" label={ctx.t("roster.shift_title")} value={n.title.clone()} oninput={set(|n, v| n.title = v)} error={fe("title")} required=true />
                    <Field id="shift_date" kind="date" label={ctx.t("roster.date")} value={n.date.clone()} oninput={set(|n, v| n.date = v)} error={fe("date")} required=true />
                    <Field id="shift_start" kind="time" label={ctx.t("roster.start")} value={n.start.clone()} oninput={set(|n, v| n.start = v)} error={fe("start")} required=true />
                    <Field id="shift_end" kind="time" label={ctx.t("roster.end")} value={n.end.clone()} oninput={set(|n, v| n.end = v)} error={fe("end")} required=true hint={ctx.t("roster.end_hint")} />
                    <SelectField id="shift_grid" label={ctx.t("roster.grid")} value={n.grid_id.clone()} options={grid_opts} onchange={set(|n, v| n.grid_id = v)} error={fe("grid_id")} />
                    <Field id="shift_place" label={ctx.t("roster.place")} value={n.place.clone()} oninput={set(|n, v| n.place = v)} />
                    <Field id="shift_role" label={ctx.t("roster.role")} value={n.role.clone()} oninput={set(|n, v| n.role = v)} />
                    <Field id="shift_needed" kind="number" label={ctx.t("roster.needed")} value={n.needed.clone()} oninput={set(|n, v| n.needed = v)} error={fe("needed")} inputmode="numeric" />
                    <Field id="shift_weeks" kind="number" label={ctx.t("roster.weeks")} value={n.weeks.clone()} oninput={set(|n, v| n.weeks = v)} error={fe("weeks")} inputmode="numeric" hint={ctx.t("roster.weeks_hint")} />
                    if let Some(e) = &*error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                    <div class="actions wide">
                        <button type="submit" class="primary">{ ctx.t("settings.save") }</button>
                        <button type="button" class="secondary" onclick={{ let a = adding.clone(); Callback::from(move |_| a.set(None)) }}>{ ctx.t("common.cancel") }</button>
                    </div>
                </form>
            }
            if let Some(rows) = &*rows {
                <p class="hint">{ format!("{} {} · {} {} · {} {}", ctx.t("roster.shifts"), rows.len(),
                    ctx.t("roster.short"), rows.iter().filter(|r| (r.people.len() as u32) < r.needed).count(),
                    ctx.t("roster.double"), rows.iter().flat_map(|r| &r.people).filter(|p| p.double_booked).count()) }</p>
                if list_view {
                    { roster_table(&ctx, rows) }
                } else {
                <div class="week">
                    { for days.iter().enumerate().map(|(i, day)| {
                        let next = days.get(i + 1).copied().unwrap_or(day + DAY);
                        let today: Vec<&ShiftRow> = rows.iter().filter(|r| (r.start_at as f64) >= *day && (r.start_at as f64) < next).collect();
                        let off = today.first().map(|r| r.day_off).unwrap_or(i >= 5);
                        html! {
                            <section class={classes!("day", off.then_some("off"))} aria-label={ymd(*day)}>
                                <h2>{ format!("{} {}", ctx.t(&format!("roster.weekday.{i}")), &ymd(*day)[5..]) }
                                    if off { <span class="badge">{ ctx.t("roster.day_off") }</span> }</h2>
                                if today.is_empty() { <p class="hint">{ "—" }</p> }
                                { for today.iter().map(|r| shift_card(&ctx, r, &people.0, &people.1, &call, &row_error)) }
                            </section>
                        }
                    }) }
                </div>
                }
            } else {
                <p>{ ctx.t("common.loading") }</p>
            }
        </div>
    }
}

/// The week as one table: the list view, and the roster an office prints and posts.
fn roster_table(ctx: &AppCtx, rows: &[ShiftRow]) -> Html {
    let person = |p: &crate::protocol::ShiftPerson| {
        let mut s = p.name.clone();
        if p.status != "planned" {
            s.push_str(&format!(
                "（{}）",
                ctx.t(&format!("roster.status.{}", p.status))
            ));
        }
        if let (Some(a), Some(b)) = (p.check_in, p.check_out) {
            s.push_str(&format!(" {}–{}", hm(a), hm(b)));
        }
        s
    };
    html! {
        <div class="table-wrap">
            <table class="roster-table" id="roster-list">
                <thead><tr>
                    <th scope="col">{ ctx.t("roster.date") }</th>
                    <th scope="col">{ ctx.t("roster.when") }</th>
                    <th scope="col">{ ctx.t("roster.what") }</th>
                    <th scope="col">{ ctx.t("roster.place") }</th>
                    <th scope="col">{ ctx.t("roster.people") }</th>
                    <th scope="col" class="num">{ ctx.t("roster.needed") }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|r| {
                        let short = (r.people.len() as u32) < r.needed;
                        let d = js_sys::Date::new(&(r.start_at as f64).into());
                        let wd = (d.get_day() + 6) % 7;
                        html! {
                            <tr class={classes!(r.day_off.then_some("off"), short.then_some("short"))}>
                                <td>{ format!("{} {}", &ymd(r.start_at as f64)[5..], ctx.t(&format!("roster.weekday.{wd}"))) }
                                    if r.day_off { <span class="badge">{ ctx.t("roster.day_off") }</span> }</td>
                                <td>{ format!("{}–{}", hm(r.start_at), hm(r.end_at)) }</td>
                                <td>{ &r.title }{ if r.role.is_empty() { String::new() } else { format!(" · {}", r.role) } }</td>
                                <td>{ [if ctx.whole_street() { ctx.community_name(&r.community_code) } else { "" }, r.grid_name.as_str(), r.place.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" · ") }</td>
                                <td>
                                    { for r.people.iter().map(|p| html! {
                                        <span class={classes!("person", p.double_booked.then_some("clash"))}>{ person(p) }
                                            if p.double_booked { <span class="badge overdue">{ ctx.t("roster.double_badge") }</span> }
                                        </span>
                                    }) }
                                </td>
                                <td class="num"><span class={classes!("badge", if short { "overdue" } else { "ok" })}>{ format!("{}/{}", r.people.len(), r.needed) }</span></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn shift_card(
    ctx: &AppCtx,
    r: &ShiftRow,
    volunteers: &[VolunteerRow],
    staff: &[StaffRow],
    call: &(impl Fn(String, Request) + Clone + 'static),
    row_error: &UseStateHandle<Option<(String, ApiError)>>,
) -> Html {
    let short = (r.people.len() as u32) < r.needed;
    let on_assign = {
        let (call, id) = (call.clone(), r.id.clone());
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .set_value("");
            let (volunteer_id, staff_id) = match v.split_once(':') {
                Some(("v", x)) => (x.to_string(), String::new()),
                Some(("s", x)) => (String::new(), x.to_string()),
                _ => return,
            };
            call(
                id.clone(),
                Request::AssignShift {
                    shift_id: id.clone(),
                    volunteer_id,
                    staff_id,
                },
            );
        })
    };
    let on_delete = {
        let (call, id, msg) = (call.clone(), r.id.clone(), ctx.t("roster.confirm_delete"));
        Callback::from(move |_: MouseEvent| {
            if web_sys::window()
                .and_then(|w| w.confirm_with_message(msg).ok())
                .unwrap_or(false)
            {
                call(id.clone(), Request::DeleteShift { id: id.clone() });
            }
        })
    };
    let err = row_error
        .as_ref()
        .filter(|(k, _)| *k == r.id)
        .map(|(_, e)| ctx.error_text(e));
    html! {
        <article class={classes!("shift", short.then_some("short"))}>
            <header>
                <span class="time">{ format!("{}–{}", hm(r.start_at), hm(r.end_at)) }</span>
                <strong>{ &r.title }</strong>
                <span class={classes!("badge", if short { "overdue" } else { "ok" })}>
                    { format!("{}{}/{}", if short { ctx.t("roster.short_badge") } else { "" }, r.people.len(), r.needed) }
                </span>
            </header>
            <p class="meta">{ [if ctx.whole_street() { ctx.community_name(&r.community_code) } else { "" }, r.grid_name.as_str(), r.place.as_str(), r.role.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" · ") }</p>
            <ul class="people">
                { for r.people.iter().map(|p| {
                    let (call_m, call_u, link, key) = (call.clone(), call.clone(), p.link_id.clone(), r.id.clone());
                    let link2 = link.clone();
                    let key2 = key.clone();
                    html! {
                        <li class={classes!(p.double_booked.then_some("clash"))}>
                            <span class="name">{ &p.name }</span>
                            if p.double_booked { <span class="badge overdue">{ ctx.t("roster.double_badge") }</span> }
                            <select aria-label={format!("{} {}", p.name, ctx.t("roster.status"))}
                                onchange={Callback::from(move |e: Event| call_m(key.clone(), Request::MarkShift { link_id: link.clone(), status: select_value(&e) }))}>
                                { for ["planned", "done", "no_show"].iter().map(|s| html! { <option value={*s} selected={p.status == *s}>{ ctx.t(&format!("roster.status.{s}")) }</option> }) }
                            </select>
                            <button type="button" class="secondary small" aria-label={format!("{} {}", ctx.t("roster.remove"), p.name)}
                                onclick={Callback::from(move |_| call_u(key2.clone(), Request::UnassignShift { link_id: link2.clone() }))}>{ "×" }</button>
                        </li>
                    }
                }) }
            </ul>
            <div class="assign">
                if !ctx.whole_street() {
                <select aria-label={format!("{} {}", ctx.t("roster.assign"), r.title)} onchange={on_assign}>
                    <option value="" selected=true>{ ctx.t("roster.assign") }</option>
                    <optgroup label={ctx.t("nav.volunteers")}>
                        { for volunteers.iter().filter(|v| !r.people.iter().any(|p| p.person_id == v.id)).map(|v| html! { <option value={format!("v:{}", v.id)}>{ &v.name }</option> }) }
                    </optgroup>
                    <optgroup label={ctx.t("nav.staff")}>
                        { for staff.iter().filter(|s| !r.people.iter().any(|p| p.person_id == s.id)).map(|s| html! { <option value={format!("s:{}", s.id)}>{ &s.name }</option> }) }
                    </optgroup>
                </select>
                }
                <button type="button" class="secondary small" onclick={on_delete}>{ ctx.t("roster.delete") }</button>
            </div>
            if let Some(e) = err { <p class="error" role="alert">{ e }</p> }
        </article>
    }
}
