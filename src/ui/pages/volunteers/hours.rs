//! The time bank (时间银行): the community's hours for a year — every volunteer, every team and
//! the whole community by month, printable — and, on a volunteer's page, their own hours by
//! month with each shift or task behind them and a form to log hours for a task.

use crate::domain::roster::fmt_hours;
use crate::protocol::{ApiError, HoursForm, Request, Response, TimeBank, VolunteerHours};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field};
use crate::ui::ctx::use_app;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

/// /hours?year=2026
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HoursQuery {
    #[serde(default)]
    pub year: Option<i32>,
}

fn this_year() -> i32 {
    js_sys::Date::new_0().get_full_year() as i32
}

fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

#[component]
pub fn TimeBankPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let year = use_location()
        .and_then(|l| l.query::<HoursQuery>().ok())
        .and_then(|q| q.year)
        .unwrap_or_else(this_year);
    let code = ctx.scope_code();
    let street = code.is_empty();
    let bank = use_state(|| None::<Result<TimeBank, ApiError>>);
    {
        let (ctx, bank) = (ctx.clone(), bank.clone());
        use_effect_with((code.clone(), year), move |(code, year)| {
            let (code, year) = (code.clone(), *year);
            bank.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let r = ctx
                    .call(Request::TimeBank {
                        community_code: code,
                        year,
                    })
                    .await;
                bank.set(Some(match r {
                    Ok(Response::TimeBank(t)) => Ok(*t),
                    Ok(_) => Err(ApiError::new("unexpected", "")),
                    Err(e) => Err(e),
                }));
            });
        });
    }
    let go = |y: i32| {
        let nav = nav.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(&Route::Hours, &HoursQuery { year: Some(y) });
            }
        })
    };
    let months: Vec<String> = (1..=12).map(|m| format!("{m}")).collect();
    let head = html! {
        <tr>
            <th scope="col">{ ctx.t("hours.who") }</th>
            { for months.iter().map(|m| html! { <th scope="col" class="num">{ format!("{m}{}", ctx.t("hours.month_suffix")) }</th> }) }
            <th scope="col" class="num">{ ctx.t("hours.total") }</th>
        </tr>
    };
    let cells = |months: &[i64], total: i64| {
        html! {
            <>
                { for months.iter().map(|m| html! { <td class="num">{ if *m == 0 { String::new() } else { fmt_hours(*m) } }</td> }) }
                <td class="num"><strong>{ fmt_hours(total) }</strong></td>
            </>
        }
    };
    html! {
        <div class="page time-bank">
            <div class="page-head">
                <h1>{ format!("{} {year}{}", ctx.t("hours.title"), if street { format!(" · {}", ctx.t("dash.whole_street")) } else { String::new() }) }</h1>
                <div class="actions no-print">
                    <button type="button" class="secondary" onclick={go(year - 1)}>{ ctx.t("hours.prev_year") }</button>
                    <button type="button" class="secondary" onclick={go(year + 1)}>{ ctx.t("hours.next_year") }</button>
                    <button type="button" class="secondary" onclick={Callback::from(|_| print())}>{ ctx.t("common.print") }</button>
                    <Link<Route> to={Route::Volunteers} classes="button secondary">{ ctx.t("nav.volunteers") }</Link<Route>>
                </div>
            </div>
            <p class="hint">{ ctx.t("hours.rule") }</p>
            { match &*bank {
                None => html! { <p>{ ctx.t("common.loading") }</p> },
                Some(Err(e)) => html! { <Banner text={ctx.error_text(e)} /> },
                Some(Ok(b)) => html! {
                    <>
                        <p class="figures" id="community-hours">
                            <span class="figure"><strong>{ fmt_hours(b.community.total) }</strong>{ ctx.t("hours.community_total") }</span>
                            <span class="figure"><strong>{ b.volunteers.len() }</strong>{ ctx.t("hours.volunteers_with_hours") }</span>
                        </p>
                        if street {
                            <h2>{ ctx.t("hours.communities") }</h2>
                            <div class="table-wrap">
                                <table class="hours-table" id="community-hours-table">
                                    <thead>{ head.clone() }</thead>
                                    <tbody>
                                        { for b.communities.iter().map(|c| html! { <tr><th scope="row">{ ctx.community_name(&c.id) }</th>{ cells(&c.months, c.total) }</tr> }) }
                                        <tr class="sum"><th scope="row">{ ctx.t("dash.whole_street") }</th>{ cells(&b.community.months, b.community.total) }</tr>
                                    </tbody>
                                </table>
                            </div>
                        }
                        <h2>{ ctx.t("hours.teams") }</h2>
                        <div class="table-wrap">
                            <table class="hours-table" id="team-hours">
                                <thead>{ head.clone() }</thead>
                                <tbody>
                                    { for b.teams.iter().map(|t| html! { <tr><th scope="row">{ &t.name }if street { <span class="meta">{ format!(" · {}", ctx.community_name(&t.community_code)) }</span> }</th>{ cells(&t.months, t.total) }</tr> }) }
                                    <tr class="sum"><th scope="row">{ if street { ctx.t("dash.whole_street") } else { ctx.t("hours.community") } }</th>{ cells(&b.community.months, b.community.total) }</tr>
                                </tbody>
                            </table>
                        </div>
                        <h2>{ ctx.t("hours.by_volunteer") }</h2>
                        if b.volunteers.is_empty() {
                            <p class="empty">{ ctx.t("hours.none") }</p>
                        } else {
                            <div class="table-wrap">
                                <table class="hours-table" id="volunteer-hours">
                                    <thead>{ head.clone() }</thead>
                                    <tbody>
                                        { for b.volunteers.iter().map(|v| html! {
                                            <tr>
                                                <th scope="row"><Link<Route> to={Route::Volunteer { id: v.id.clone() }}>{ if v.name.is_empty() { "—" } else { v.name.as_str() } }</Link<Route>>if street { <span class="meta">{ format!(" · {}", ctx.community_name(&v.community_code)) }</span> }</th>
                                                { cells(&v.months, v.total) }
                                            </tr>
                                        }) }
                                    </tbody>
                                </table>
                            </div>
                        }
                    </>
                },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct VolunteerHoursProps {
    pub volunteer_id: AttrValue,
}

/// A volunteer's hours: by month, the credits behind them, and logging a task.
#[component]
pub fn VolunteerHoursCard(p: &VolunteerHoursProps) -> Html {
    let ctx = use_app();
    let hours = use_state(|| None::<VolunteerHours>);
    let reload = use_state(|| 0u32);
    let form = use_state(|| HoursForm {
        volunteer_id: p.volunteer_id.to_string(),
        day: today(),
        ..Default::default()
    });
    let minutes_text = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| false);
    {
        let (ctx, hours) = (ctx.clone(), hours.clone());
        use_effect_with((p.volunteer_id.clone(), *reload), move |(id, _)| {
            let id = id.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::VolunteerHours(h)) =
                    ctx.call(Request::VolunteerHours { volunteer_id: id }).await
                {
                    hours.set(Some(*h));
                }
            });
        });
    }
    let set = |f: fn(&mut HoursForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let submit = {
        let (ctx, form, minutes_text, error, saved, reload) = (
            ctx.clone(),
            form.clone(),
            minutes_text.clone(),
            error.clone(),
            saved.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut f = (*form).clone();
            // Typed in hours ("1.5"); stored in minutes.
            f.minutes = minutes_text
                .trim()
                .parse::<f64>()
                .map(|h| (h * 60.0).round() as i64)
                .unwrap_or(0);
            let (ctx, form, minutes_text, error, saved, reload) = (
                ctx.clone(),
                form.clone(),
                minutes_text.clone(),
                error.clone(),
                saved.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::LogHours(f.clone())).await {
                    Ok(_) => {
                        error.set(None);
                        saved.set(true);
                        minutes_text.set(String::new());
                        form.set(HoursForm {
                            task: String::new(),
                            ..f
                        });
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        saved.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let delete = |id: String| {
        let (ctx, reload) = (ctx.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, reload, id) = (ctx.clone(), reload.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if ctx.call(Request::DeleteHours { id }).await.is_ok() {
                    reload.set(*reload + 1);
                }
            });
        })
    };
    let fe = |f: &str| ctx.field_error(&error, f);
    let f = &*form;
    html! {
        <section class="card volunteer-hours" aria-labelledby="hours-h">
            <h2 id="hours-h">{ ctx.t("hours.title") }</h2>
            if let Some(h) = &*hours {
                <p class="figures"><span class="figure" id="volunteer-total"><strong>{ fmt_hours(h.total) }</strong>{ ctx.t("hours.unit_total") }</span></p>
                if !h.months.is_empty() {
                    <table class="hours-table months" id="volunteer-months">
                        <thead><tr><th scope="col">{ ctx.t("hours.month") }</th><th scope="col" class="num">{ ctx.t("hours.hours") }</th></tr></thead>
                        <tbody>
                            { for h.months.iter().rev().map(|(m, min)| html! { <tr><td>{ m }</td><td class="num">{ fmt_hours(*min) }</td></tr> }) }
                        </tbody>
                    </table>
                }
                <details>
                    <summary>{ format!("{} ({})", ctx.t("hours.entries"), h.entries.len()) }</summary>
                    <ul class="hours-entries">
                        { for h.entries.iter().map(|e| html! {
                            <li>
                                <span>{ &e.day }</span>
                                <span class="badge">{ ctx.t(&format!("hours.kind.{}", e.kind)) }</span>
                                <span>{ &e.title }</span>
                                <strong>{ format!("{} {}", fmt_hours(e.minutes), ctx.t("hours.h")) }</strong>
                                if e.kind == "task" {
                                    <button type="button" class="secondary small" onclick={delete(e.id.clone())}>{ ctx.t("hours.delete") }</button>
                                }
                            </li>
                        }) }
                    </ul>
                </details>
            } else {
                <p>{ ctx.t("common.loading") }</p>
            }
            <form class="form-grid" onsubmit={submit} novalidate=true aria-label={ctx.t("hours.log")}>
                <h3 class="wide">{ ctx.t("hours.log") }</h3>
                <Field id="hours_task" label={ctx.t("hours.task")} value={f.task.clone()} oninput={set(|f, v| f.task = v)} error={fe("task")} required=true />
                <Field id="hours_day" kind="date" label={ctx.t("hours.day")} value={f.day.clone()} oninput={set(|f, v| f.day = v)} error={fe("day")} required=true />
                <Field id="hours_hours" label={ctx.t("hours.hours")} value={(*minutes_text).clone()} inputmode="decimal"
                    oninput={{ let m = minutes_text.clone(); Callback::from(move |v: String| m.set(v)) }} error={fe("minutes")} required=true hint={ctx.t("hours.hours_hint")} />
                if let Some(e) = fe("case_id") { <p class="error wide" role="alert">{ e }</p> }
                if let Some(e) = &*error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                if *saved { <div class="wide"><Banner kind="ok" text={ctx.t("hours.logged").to_string()} /></div> }
                <div class="actions wide"><button type="submit" class="primary">{ ctx.t("hours.log") }</button></div>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct CaseHoursProps {
    pub case_id: AttrValue,
    pub case_title: AttrValue,
    pub community_code: AttrValue,
}

/// On a case's page: volunteers who helped handle it get their hours (a task naming the case).
#[component]
pub fn CaseHoursForm(p: &CaseHoursProps) -> Html {
    let ctx = use_app();
    let people = crate::ui::pickers::use_people(p.community_code.to_string());
    let volunteer = use_state(String::new);
    let hours_text = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let done = use_state(|| None::<String>);
    let submit = {
        let (ctx, volunteer, hours_text, error, done) = (
            ctx.clone(),
            volunteer.clone(),
            hours_text.clone(),
            error.clone(),
            done.clone(),
        );
        let (case_id, title) = (p.case_id.to_string(), p.case_title.to_string());
        let names = people.0.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = HoursForm {
                volunteer_id: (*volunteer).clone(),
                day: today(),
                minutes: hours_text
                    .trim()
                    .parse::<f64>()
                    .map(|h| (h * 60.0).round() as i64)
                    .unwrap_or(0),
                task: format!("{}{}", ctx.t("hours.case_task"), title)
                    .chars()
                    .take(crate::domain::roster::TASK_MAX)
                    .collect(),
                case_id: case_id.clone(),
            };
            let name = names
                .iter()
                .find(|v| v.id == f.volunteer_id)
                .map(|v| v.name.clone())
                .unwrap_or_default();
            let (ctx, error, done, hours_text) =
                (ctx.clone(), error.clone(), done.clone(), hours_text.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::LogHours(f)).await {
                    Ok(_) => {
                        error.set(None);
                        hours_text.set(String::new());
                        done.set(Some(name));
                    }
                    Err(e) => {
                        done.set(None);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let fe = |f: &str| ctx.field_error(&error, f);
    html! {
        <details class="card no-print case-hours">
            <summary>{ ctx.t("hours.for_case") }</summary>
            <form class="form-grid" onsubmit={submit} novalidate=true aria-label={ctx.t("hours.for_case")}>
                <div class={classes!("field", fe("volunteer_id").is_some().then_some("has-error"))}>
                    <label for="case-hours-volunteer">{ ctx.t("nav.volunteers") }</label>
                    <select id="case-hours-volunteer" onchange={{ let v = volunteer.clone(); Callback::from(move |e: Event| v.set(crate::ui::components::select_value(&e))) }}>
                        <option value="" selected={volunteer.is_empty()}>{ ctx.t("field.choose") }</option>
                        { for people.0.iter().map(|v| html! { <option value={v.id.clone()} selected={*volunteer == v.id}>{ &v.name }</option> }) }
                    </select>
                    if let Some(e) = fe("volunteer_id") { <p class="error" role="alert">{ e }</p> }
                </div>
                <Field id="case-hours-hours" label={ctx.t("hours.hours")} value={(*hours_text).clone()} inputmode="decimal"
                    oninput={{ let h = hours_text.clone(); Callback::from(move |v: String| h.set(v)) }} error={fe("minutes")} required=true />
                if let Some(e) = &*error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                if let Some(name) = &*done { <div class="wide"><Banner kind="ok" text={format!("{} {name}", ctx.t("hours.logged_for"))} /></div> }
                <div class="actions wide"><button type="submit" class="primary">{ ctx.t("hours.log") }</button></div>
            </form>
        </details>
    }
}
