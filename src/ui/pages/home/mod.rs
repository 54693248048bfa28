//! The office's home is its dashboard (一屏观全域): headline figures, each a link to the list
//! behind it and each with the formula it is computed by; charts drawn in the worker; at the
//! street office a community picker (or the whole street) and a sortable table of communities.
//! The same page is the wall display (`/screen`: full screen, large type, refreshed when the
//! data change) and the month's printable report (`/report?m=YYYY-MM`).

mod chart;

use crate::domain::dashboard::{hours, percent, Dashboard};
use crate::domain::date::{days_in_month, Date};
use crate::protocol::{
    ApiError, CarePage, CareQuery, CasePage, CaseQuery, DashboardQuery, Request, Response,
};
use crate::ui::app::Route;
use crate::ui::ctx::{use_app, use_grid_tree, AppCtx};
use crate::ui::pages::care::CareListQuery;
use crate::ui::pages::cases::CaseListQuery;
use crate::ui::pages::grid_options;
use crate::ui::pages::residents::ListQuery;
use chart::Chart;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

/// The dashboard's state in the URL: /?c=…&grid=…&from=…&to=… (`c`: at the street office, a
/// community; empty is the whole street). The report takes `m` (YYYY-MM).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DashQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub c: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub grid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub m: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Office,
    Screen,
    Report,
}

/// Today in China time, from the browser's clock.
fn today() -> Date {
    Date::from_millis(js_sys::Date::now() as i64 + crate::domain::calendar::CST_OFFSET_MS)
}

fn month_range(y: i32, m: u32) -> (Date, Date) {
    let first = Date::new(y, m, 1).expect("a month");
    let last = Date::new(y, m, days_in_month(y, m)).expect("a month");
    (first, last.min(today()).max(first))
}

fn prev_month(d: Date) -> (i32, u32) {
    if d.month == 1 {
        (d.year - 1, 12)
    } else {
        (d.year, d.month - 1)
    }
}

fn narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .is_some_and(|w| w < 700.0)
}

#[derive(Properties, PartialEq)]
pub struct DashProps {
    #[prop_or(Mode::Office)]
    pub mode: Mode,
}

#[component]
pub fn HomePage() -> Html {
    html! { <DashboardPage mode={Mode::Office} /> }
}

#[component]
pub fn ScreenPage() -> Html {
    html! { <DashboardPage mode={Mode::Screen} /> }
}

#[component]
pub fn ReportPage() -> Html {
    html! { <DashboardPage mode={Mode::Report} /> }
}

/// A column of the street table, and how it sorts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    Received,
    Closed,
    Closure,
    Satisfaction,
    Overdue,
    Key,
    Visits,
}

#[component]
fn DashboardPage(p: &DashProps) -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let location = use_location();
    let query: DashQuery = location
        .as_ref()
        .and_then(|l| l.query::<DashQuery>().ok())
        .unwrap_or_default();
    let street = ctx.is_street();
    // The community the figures are for ("" at the street: all of them): the URL's, else the
    // one picked in the top bar (the whole street until one is).
    let code = if street {
        let known = |c: &str| ctx.status.communities.iter().any(|x| x.code == c);
        if known(&query.c) {
            query.c.clone()
        } else if query.c.is_empty() && !ctx.whole_street() && known(&ctx.chosen) {
            ctx.chosen.clone()
        } else {
            String::new()
        }
    } else {
        ctx.community_code()
    };
    let (from, to) = if p.mode == Mode::Report {
        let (y, m) = Date::parse(&format!("{}-01", query.m))
            .map(|d| (d.year, d.month))
            .unwrap_or_else(|| (today().year, today().month));
        let (f, t) = month_range(y, m);
        (f.to_string(), t.to_string())
    } else {
        (query.from.clone(), query.to.clone())
    };
    let tree = use_grid_tree(code.clone());
    let dash = use_state(|| None::<Dashboard>);
    let failed = use_state(|| None::<ApiError>);
    let version = use_state(|| 0i64);
    let latest = use_mut_ref(|| 0u32);
    let lang = ctx.lang;
    {
        let (ctx, dash, failed, latest) =
            (ctx.clone(), dash.clone(), failed.clone(), latest.clone());
        let no_office = ctx.status.communities.is_empty();
        use_effect_with(
            (
                code.clone(),
                query.grid.clone(),
                from.clone(),
                to.clone(),
                lang,
                *version,
                ctx.status.communities.len(),
            ),
            move |(code, grid, from, to, lang, ..)| {
                if !no_office {
                    let req = Request::Dashboard(DashboardQuery {
                        community_code: code.clone(),
                        grid_id: grid.clone(),
                        from: from.clone(),
                        to: to.clone(),
                        lang: if *lang == crate::i18n::Lang::En {
                            "en".into()
                        } else {
                            "zh".into()
                        },
                        narrow: narrow(),
                    });
                    ctx.call_latest(&latest, req, move |reply| match reply {
                        Ok(Response::Dashboard(d)) => {
                            failed.set(None);
                            dash.set(Some(*d));
                        }
                        Err(e) => failed.set(Some(e)),
                        _ => {}
                    });
                }
            },
        );
    }
    // The wall display: full screen, and refreshed whenever the data change.
    {
        let (ctx, version) = (ctx.clone(), version.clone());
        use_effect_with(p.mode, move |mode| {
            let body = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body());
            let mut interval = None;
            if *mode == Mode::Screen {
                if let Some(b) = &body {
                    let _ = b.class_list().add_1("wall");
                }
                let last = std::rc::Rc::new(std::cell::Cell::new(0i64));
                let ticks = std::rc::Rc::new(std::cell::Cell::new(0u32));
                interval = Some(gloo::timers::callback::Interval::new(10_000, move || {
                    let (ctx, version, last) = (ctx.clone(), version.clone(), last.clone());
                    // Every five minutes anyway: "overdue" and "this week" move with the clock.
                    ticks.set(ticks.get() + 1);
                    let due = ticks.get().is_multiple_of(30);
                    let ticks = ticks.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(Response::DataVersion(v)) = ctx.call(Request::DataVersion).await {
                            if (last.get() != 0 && last.get() != v) || due {
                                // The tick count is new every time: it asks again.
                                version.set(i64::from(ticks.get()));
                            }
                            last.set(v);
                        }
                    });
                }));
            }
            move || {
                drop(interval);
                if let Some(b) = body {
                    let _ = b.class_list().remove_1("wall");
                }
            }
        });
    }
    let overdue_cases = use_state(|| None::<CasePage>);
    let overdue_visits = use_state(|| None::<CarePage>);
    {
        let (ctx, oc, ov) = (ctx.clone(), overdue_cases.clone(), overdue_visits.clone());
        let office = p.mode == Mode::Office && !code.is_empty();
        use_effect_with(
            (code.clone(), office, *version),
            move |(code, office, _)| {
                if *office {
                    let code = code.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(Response::Cases(p)) = ctx
                            .call(Request::ListCases(CaseQuery {
                                community_code: code.clone(),
                                overdue_only: true,
                                sort: "deadline".into(),
                                limit: 5,
                                ..Default::default()
                            }))
                            .await
                        {
                            oc.set(Some(*p));
                        }
                        if let Ok(Response::CarePage(p)) = ctx
                            .call(Request::CareList(CareQuery {
                                community_code: code,
                                state: "overdue".into(),
                                limit: 5,
                                ..Default::default()
                            }))
                            .await
                        {
                            ov.set(Some(*p));
                        }
                    });
                }
            },
        );
    }
    let street_care = use_state(|| None::<CarePage>);
    {
        let (ctx, street_care) = (ctx.clone(), street_care.clone());
        let on = street && p.mode == Mode::Office && !ctx.status.communities.is_empty();
        use_effect_with((on, ctx.status.communities.len()), move |(on, _)| {
            if *on {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::CarePage(p)) = ctx
                        .call(Request::CareList(CareQuery {
                            community_code: String::new(),
                            state: "overdue".into(),
                            limit: 1,
                            ..Default::default()
                        }))
                        .await
                    {
                        street_care.set(Some(*p));
                    }
                });
            }
        });
    }
    let sort = use_state(|| (Col::Name, false));

    let go = {
        let nav = nav.clone();
        let mode = p.mode;
        move |q: DashQuery| {
            if let Some(nav) = &nav {
                let route = match mode {
                    Mode::Office => Route::Home,
                    Mode::Screen => Route::Screen,
                    Mode::Report => Route::Report,
                };
                let _ = nav.push_with_query(&route, &q);
            }
        }
    };
    let set_range = |f: Date, t: Date| {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |_: MouseEvent| {
            go(DashQuery {
                from: f.to_string(),
                to: t.to_string(),
                ..q.clone()
            })
        })
    };
    let date_change = |f: fn(&mut DashQuery, String)| {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            let mut n = q.clone();
            f(
                &mut n,
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
            go(n)
        })
    };
    let on_grid = {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            go(DashQuery {
                grid: crate::ui::components::select_value(&e),
                ..q.clone()
            })
        })
    };
    let on_community = {
        let (q, go, choose) = (query.clone(), go.clone(), ctx.choose.clone());
        Callback::from(move |e: Event| {
            let c = crate::ui::components::select_value(&e);
            // The other pages follow the community (or the whole street) picked here.
            choose.emit(if c.is_empty() {
                crate::ui::ctx::WHOLE_STREET.to_string()
            } else {
                c.clone()
            });
            go(DashQuery {
                c,
                grid: String::new(),
                ..q.clone()
            })
        })
    };
    let on_screen = {
        let (q, nav) = (query.clone(), nav.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                // Refused without a user's click, or in a frame: the page still works.
                let _ = el.request_fullscreen();
            }
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(&Route::Screen, &q);
            }
        })
    };
    let on_exit = {
        let (q, nav) = (query.clone(), nav.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = web_sys::window().and_then(|w| w.document()) {
                if d.fullscreen_element().is_some() {
                    d.exit_fullscreen();
                }
            }
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(&Route::Home, &q);
            }
        })
    };
    let on_print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let t = today();
    let (ly, lm) = prev_month(t);
    let (lf, lt) = month_range(ly, lm);
    let this_month = (Date::new(t.year, t.month, 1).expect("month"), t);
    let report_month = format!("{:04}-{:02}", t.year, t.month);

    let office = ctx.status.office.clone();
    let heading = office.as_ref().map(|o| o.name.clone()).unwrap_or_default();
    let grid_opts = tree
        .as_ref()
        .filter(|_| !code.is_empty())
        .map(|t| grid_options(t, Some(ctx.t("dash.all_grids"))))
        .unwrap_or_default();
    let shown_range = dash
        .as_ref()
        .map(|d| format!("{} – {}", d.from, d.to))
        .unwrap_or_default();

    html! {
        <div class={classes!("page", "home", "dashboard", match p.mode { Mode::Screen => "screen", Mode::Report => "report", Mode::Office => "" })}>
            <div class="page-head">
                <h1>{ heading.clone() }</h1>
                <div class="actions no-print">
                    { match p.mode {
                        Mode::Office => html! {<>
                            <button type="button" class="button secondary" onclick={on_screen}>{ ctx.t("dash.screen") }</button>
                            <Link<Route, DashQuery> to={Route::Report} query={Some(DashQuery { c: query.c.clone(), grid: query.grid.clone(), m: report_month.clone(), ..Default::default() })} classes="button secondary">{ ctx.t("dash.print") }</Link<Route, DashQuery>>
                        </>},
                        Mode::Screen => html! {
                            <button type="button" class="button secondary" onclick={on_exit}>{ ctx.t("dash.exit_screen") }</button>
                        },
                        Mode::Report => html! {<>
                            <input type="month" aria-label={ctx.t("dash.report_title")} value={if query.m.is_empty() { report_month.clone() } else { query.m.clone() }}
                                onchange={date_change(|q, v| q.m = v)} />
                            <button type="button" class="button primary" onclick={on_print}>{ ctx.t("common.print") }</button>
                        </>},
                    } }
                </div>
            </div>
            if p.mode == Mode::Report {
                <p class="report-title">{ format!("{} · {} · {}", ctx.t("dash.report_title"), shown_range, community_name(&ctx, &code)) }</p>
            }
            if p.mode == Mode::Office {
                <crate::ui::pages::settings::BackupReminder />
            }
            if street && ctx.status.communities.is_empty() {
                <p class="banner info">{ ctx.t("home.street_empty") }</p>
            }
            if p.mode == Mode::Office {
                <div class="filters dash-filters" role="search">
                    if street {
                        <div class="field">
                            <select id="dash-community" aria-label={ctx.t("dash.community")} onchange={on_community}>
                                <option value="" selected={code.is_empty()}>{ ctx.t("dash.whole_street") }</option>
                                { for ctx.status.communities.iter().map(|c| html! {
                                    <option value={c.code.clone()} selected={c.code == code}>{ &c.name }</option>
                                }) }
                            </select>
                        </div>
                    }
                    if !code.is_empty() {
                        <div class="field">
                            <select id="dash-grid" aria-label={ctx.t("dash.grid")} onchange={on_grid}>
                                { for grid_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.grid}>{ l }</option> }) }
                            </select>
                        </div>
                    }
                    <div class="field dates">
                        <input id="dash-from" type="date" value={dash.as_ref().map(|d| d.from.clone()).unwrap_or_default()} onchange={date_change(|q, v| q.from = v)} aria-label={ctx.t("dash.from")} title={ctx.t("dash.from")} />
                        <span aria-hidden="true">{ "–" }</span>
                        <input id="dash-to" type="date" value={dash.as_ref().map(|d| d.to.clone()).unwrap_or_default()} onchange={date_change(|q, v| q.to = v)} aria-label={ctx.t("dash.to")} title={ctx.t("dash.to")} />
                    </div>
                    <div class="field quick">
                        <button type="button" class="chip" onclick={set_range(this_month.0, this_month.1)}>{ ctx.t("dash.this_month") }</button>
                        <button type="button" class="chip" onclick={set_range(lf, lt)}>{ ctx.t("dash.last_month") }</button>
                        <button type="button" class="chip" onclick={set_range(Date::new(t.year, 1, 1).expect("jan"), t)}>{ ctx.t("dash.this_year") }</button>
                    </div>
                </div>
                if let Some(f) = ctx.field_error(&failed, "to").or_else(|| ctx.field_error(&failed, "from")) {
                    <p class="error" role="alert" id="dash-range-error">{ f }</p>
                }
            }
            if let Some(e) = failed.as_ref().filter(|e| e.code != "invalid") {
                <crate::ui::components::Banner text={ctx.error_text(e)} />
            }
            if let Some(d) = &*dash {
                { figures(&ctx, d, &code, &query, p.mode) }
                if !d.by_community.is_empty() {
                    { street_table(&ctx, d, &query, &sort, go.clone()) }
                }
                <section class="charts" aria-label={ctx.t("dash.title")}>
                    if d.charts.is_empty() {
                        <p class="hint">{ ctx.t("dash.no_charts") }</p>
                    }
                    { for d.charts.iter().map(|c| html! {
                        <Chart key={c.id.clone()} id={c.id.clone()} title={c.title.clone()} svg={c.svg.clone()} failed={ctx.t("dash.chart_failed")} />
                    }) }
                </section>
                { formulas(&ctx, p.mode == Mode::Report) }
                <p class="hint computed">{ format!("{} · {} {:.0} ms · {} {}", shown_range, ctx.t("dash.computed_in"), d.millis, ctx.t("dash.updated"), crate::ui::pages::cases::fmt_when(d.as_of)) }</p>
            } else if failed.is_none() && !ctx.status.communities.is_empty() {
                <p aria-busy="true">{ ctx.t("dash.loading") }</p>
            }
            if p.mode == Mode::Office {
                { overdue_lists(&ctx, &overdue_cases, &overdue_visits) }
                if let Some(sc) = street_care.as_ref().filter(|_| street) {
                    <section class="card" aria-labelledby="street-care-h" id="street-care">
                        <h2 id="street-care-h">{ ctx.t("home.street_care") }</h2>
                        <table class="list counts">
                            <thead><tr>
                                <th>{ ctx.t("home.community") }</th>
                                <th>{ ctx.t("care.people") }</th>
                                <th>{ ctx.t("care.overdue") }</th>
                                <th>{ ctx.t("care.soon") }</th>
                            </tr></thead>
                            <tbody>
                                { for sc.by_community.iter().map(|c| html! {
                                    <tr class={classes!((c.overdue > 0).then_some("warn"))}>
                                        <td>{ &c.name }</td><td>{ c.people }</td><td>{ c.overdue }</td><td>{ c.soon }</td>
                                    </tr>
                                }) }
                                <tr class="total"><td>{ ctx.t("home.whole_street") }</td><td>{ sc.people }</td><td>{ sc.overdue }</td><td>{ sc.soon }</td></tr>
                            </tbody>
                        </table>
                    </section>
                }
                <section class="card muted no-print">
                    <h2>{ ctx.t("home.device") }</h2>
                    <p>{ format!("{} · {} {:.0} ms", ctx.status.device_name, ctx.t("home.db_open"), ctx.status.open_millis) }</p>
                </section>
            }
        </div>
    }
}

fn community_name(ctx: &AppCtx, code: &str) -> String {
    if code.is_empty() {
        ctx.t("dash.whole_street").to_string()
    } else {
        ctx.status
            .communities
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }
}

/// A headline figure whose list takes no filter.
fn stat0(id: &'static str, label: &str, value: String, help: &str, to: Route) -> Html {
    html! {
        <Link<Route> to={to} classes="stat">
            <span class="num" id={id}>{ value }</span>
            <span class="label">{ label.to_string() }</span>
            <span class="help" title={help.to_string()} aria-hidden="true">{ "?" }</span>
        </Link<Route>>
    }
}

/// One headline figure: a link to the list behind it, with its formula as the tooltip.
fn stat<Q: Serialize + Clone + PartialEq + 'static>(
    id: &'static str,
    label: &str,
    value: String,
    help: &str,
    to: Route,
    q: Q,
    warn: bool,
) -> Html {
    html! {
        <Link<Route, Q> to={to} query={Some(q)} classes={classes!("stat", warn.then_some("warn"))}>
            <span class="num" id={id}>{ value }</span>
            <span class="label">{ label.to_string() }</span>
            <span class="help" title={help.to_string()} aria-hidden="true">{ "?" }</span>
        </Link<Route, Q>>
    }
}

fn figures(ctx: &AppCtx, d: &Dashboard, code: &str, q: &DashQuery, mode: Mode) -> Html {
    let t = |k: &str| ctx.t(k);
    let all = code.is_empty();
    let cases_q = |state: &str, overdue: bool| CaseListQuery {
        state: state.into(),
        grid: q.grid.clone(),
        overdue,
        from: d.from.clone(),
        to: d.to.clone(),
        all,
        ..Default::default()
    };
    let res_q = |tag: &str| ListQuery {
        c: code.to_string(),
        grid: q.grid.clone(),
        tag: tag.to_string(),
        ..Default::default()
    };
    let care_q = |state: &str| CareListQuery {
        state: state.into(),
        grid: q.grid.clone(),
        ..Default::default()
    };
    let c = &d.cases;
    html! {
        <>
        <section class="card" aria-labelledby="dash-cases-h" id="dash-cases">
            <h2 id="dash-cases-h">{ t("dash.cases") }</h2>
            <div class="stats six">
                { stat("dash-received", t("dash.received"), c.received.to_string(), t("dash.f_received"), Route::Cases, cases_q("", false), false) }
                { stat("dash-closed", t("dash.closed"), c.closed.to_string(), t("dash.f_closed"), Route::Cases, cases_q("done", false), false) }
                { stat("dash-overdue", t("dash.overdue"), c.overdue.to_string(), t("dash.f_overdue"), Route::Cases, cases_q("", true), c.overdue > 0) }
                { stat("dash-closure", t("dash.closure_rate"), percent(c.closure_rate()), t("dash.f_closure"), Route::Cases, cases_q("done", false), false) }
                { stat("dash-satisfaction", t("dash.satisfaction_rate"), percent(c.satisfaction_rate()), t("dash.f_satisfaction"), Route::Cases, cases_q("rated", false), false) }
                { stat("dash-hours", t("dash.mean_hours"), hours(c.mean_hours()), t("dash.f_hours"), Route::Cases, cases_q("done", false), false) }
            </div>
        </section>
        <section class="card" aria-labelledby="dash-people-h" id="dash-people">
            <h2 id="dash-people-h">{ t("dash.people") }</h2>
            <div class="stats">
                { stat("dash-residents", t("dash.residents"), d.residents.to_string(), t("dash.f_residents"), Route::Residents, res_q(""), false) }
                { stat("dash-households", t("dash.households"), d.households.to_string(), t("dash.f_households"), Route::Residents, res_q(""), false) }
                { stat("dash-key", t("dash.key_persons"), d.key_persons.to_string(), t("dash.f_key"), Route::Care, care_q("all"), false) }
            </div>
            if !d.key_by_tag.is_empty() && mode != Mode::Screen {
                <ul class="tagstats">
                    { for d.key_by_tag.iter().map(|k| html! {
                        <li>
                            <Link<Route, ListQuery> to={Route::Residents} query={Some(res_q(&k.key))}>
                                <span class="tagname">{ &k.name }</span><span class="num">{ k.n }</span>
                            </Link<Route, ListQuery>>
                        </li>
                    }) }
                </ul>
            }
        </section>
        <section class={classes!("card", (d.visits_overdue > 0).then_some("alert"))} aria-labelledby="visits-h" id="home-visits">
            <h2 id="visits-h">{ t("dash.visits") }</h2>
            <div class="stats">
                { stat("home-visits-overdue", t("dash.visits_overdue"), d.visits_overdue.to_string(), t("dash.f_visits"), Route::Care, care_q("overdue"), d.visits_overdue > 0) }
                { stat("dash-visits-soon", t("dash.visits_soon"), d.visits_soon.to_string(), t("dash.f_visits"), Route::Care, care_q("soon"), false) }
                { stat("dash-visit-people", t("dash.key_persons"), d.visit_people.to_string(), t("dash.f_key"), Route::Care, care_q("all"), false) }
            </div>
        </section>
        <section class="card" aria-labelledby="dash-vol-h" id="dash-volunteers">
            <h2 id="dash-vol-h">{ t("dash.volunteering") }</h2>
            <div class="stats">
                { stat0("dash-volunteers", t("dash.volunteers"), d.volunteers.to_string(), t("dash.f_volunteers"), Route::Volunteers) }
                { stat0("dash-shifts", t("dash.shifts_week"), d.shifts_week.to_string(), t("dash.f_shifts"), Route::Roster) }
                { stat0("dash-minutes", t("dash.hours"), format!("{:.1}", d.minutes as f64 / 60.0), t("dash.f_minutes"), Route::Hours) }
            </div>
        </section>
        </>
    }
}

fn street_table(
    ctx: &AppCtx,
    d: &Dashboard,
    q: &DashQuery,
    sort: &UseStateHandle<(Col, bool)>,
    go: impl Fn(DashQuery) + Clone + 'static,
) -> Html {
    let mut rows = d.by_community.clone();
    let (col, desc) = **sort;
    let key = |c: &crate::domain::dashboard::CommunityLine| -> f64 {
        match col {
            Col::Name => 0.0,
            Col::Received => c.tally.received as f64,
            Col::Closed => c.tally.closed as f64,
            Col::Closure => c.tally.closure_rate().unwrap_or(-1.0),
            Col::Satisfaction => c.tally.satisfaction_rate().unwrap_or(-1.0),
            Col::Overdue => c.tally.overdue as f64,
            Col::Key => c.key_persons as f64,
            Col::Visits => c.visits_overdue as f64,
        }
    };
    rows.sort_by(|a, b| {
        let o = if col == Col::Name {
            a.code.cmp(&b.code)
        } else {
            key(a).total_cmp(&key(b)).then(a.code.cmp(&b.code))
        };
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    let head = |c: Col, label: &str| {
        let sort = sort.clone();
        let mark = if col == c {
            if desc {
                " ▼"
            } else {
                " ▲"
            }
        } else {
            ""
        };
        let aria = if col == c {
            if desc {
                "descending"
            } else {
                "ascending"
            }
        } else {
            "none"
        };
        html! {
            <th aria-sort={aria}>
                <button type="button" class="sort" onclick={Callback::from(move |_| {
                    let (cur, d) = *sort;
                    sort.set((c, if cur == c { !d } else { c != Col::Name }));
                })}>{ format!("{label}{mark}") }</button>
            </th>
        }
    };
    html! {
        <section class="card" aria-labelledby="street-table-h" id="street-table">
            <h2 id="street-table-h">{ ctx.t("dash.by_community") }</h2>
            <p class="hint no-print">{ ctx.t("dash.sort_hint") }</p>
            <div class="table-scroll">
            <table class="list counts">
                <thead><tr>
                    { head(Col::Name, ctx.t("dash.community")) }
                    { head(Col::Received, ctx.t("dash.received")) }
                    { head(Col::Closed, ctx.t("dash.closed")) }
                    { head(Col::Closure, ctx.t("dash.closure_rate")) }
                    { head(Col::Satisfaction, ctx.t("dash.satisfaction_rate")) }
                    { head(Col::Overdue, ctx.t("dash.overdue")) }
                    { head(Col::Key, ctx.t("dash.key_persons")) }
                    { head(Col::Visits, ctx.t("dash.visits_overdue")) }
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|c| {
                        let (go, q, code) = (go.clone(), q.clone(), c.code.clone());
                        let pick = Callback::from(move |e: MouseEvent| {
                            e.prevent_default();
                            go(DashQuery { c: code.clone(), grid: String::new(), ..q.clone() })
                        });
                        html! {
                            <tr class={classes!((c.tally.overdue + c.visits_overdue > 0).then_some("warn"))}>
                                <td><a href="#" onclick={pick}>{ &c.name }</a></td>
                                <td>{ c.tally.received }</td>
                                <td>{ c.tally.closed }</td>
                                <td>{ percent(c.tally.closure_rate()) }</td>
                                <td>{ percent(c.tally.satisfaction_rate()) }</td>
                                <td>{ c.tally.overdue }</td>
                                <td>{ c.key_persons }</td>
                                <td>{ c.visits_overdue }</td>
                            </tr>
                        }
                    }) }
                    <tr class="total">
                        <td>{ ctx.t("dash.whole_street") }</td>
                        <td>{ d.cases.received }</td>
                        <td>{ d.cases.closed }</td>
                        <td>{ percent(d.cases.closure_rate()) }</td>
                        <td>{ percent(d.cases.satisfaction_rate()) }</td>
                        <td>{ d.cases.overdue }</td>
                        <td>{ d.key_persons }</td>
                        <td>{ d.visits_overdue }</td>
                    </tr>
                </tbody>
            </table>
            </div>
        </section>
    }
}

fn formulas(ctx: &AppCtx, open: bool) -> Html {
    let keys = [
        "dash.f_received",
        "dash.f_closed",
        "dash.f_overdue",
        "dash.f_closure",
        "dash.f_satisfaction",
        "dash.f_hours",
        "dash.f_weeks",
        "dash.f_grids",
        "dash.f_residents",
        "dash.f_households",
        "dash.f_key",
        "dash.f_visits",
        "dash.f_volunteers",
        "dash.f_shifts",
        "dash.f_minutes",
    ];
    html! {
        <details class="card formulas" id="dash-formulas" open={open}>
            <summary>{ ctx.t("dash.how") }</summary>
            <ul>{ for keys.iter().map(|k| html! { <li>{ ctx.t(k) }</li> }) }</ul>
        </details>
    }
}

fn overdue_lists(
    ctx: &AppCtx,
    cases: &UseStateHandle<Option<CasePage>>,
    visits: &UseStateHandle<Option<CarePage>>,
) -> Html {
    html! {
        <div class="two-col">
            if let Some(p) = cases.as_ref().filter(|p| p.total > 0) {
                <section class="card alert" aria-labelledby="overdue-h">
                    <h2 id="overdue-h">{ format!("{} {}", ctx.t("home.overdue_cases"), p.total) }</h2>
                    <ul class="case-list">
                        { for p.rows.iter().map(|r| html! {
                            <li class="case-item overdue">
                                <Link<Route> to={Route::Case { id: r.id.clone() }}>{ &r.title }</Link<Route>>
                                <span class="meta">{ format!("{} · {}: {}", r.grid_name, ctx.t("case.deadline"),
                                    r.deadline.map(crate::ui::pages::cases::fmt_when).unwrap_or_default()) }</span>
                            </li>
                        }) }
                    </ul>
                    <Link<Route, CaseListQuery> to={Route::Cases} query={Some(CaseListQuery { overdue: true, sort: "deadline".into(), ..Default::default() })} classes="button secondary">{ ctx.t("home.all_overdue") }</Link<Route, CaseListQuery>>
                </section>
            }
            if let Some(p) = visits.as_ref().filter(|p| !p.rows.is_empty()) {
                <section class="card alert" aria-labelledby="overdue-visits-h">
                    <h2 id="overdue-visits-h">{ format!("{} {}", ctx.t("home.visits_overdue"), p.overdue) }</h2>
                    <ul class="case-list">
                        { for p.rows.iter().map(|r| html! {
                            <li class="case-item overdue">
                                <Link<Route> to={Route::ResidentCare { id: r.resident_id.clone() }}>{ &r.name }</Link<Route>>
                                <span class="meta">{ format!("{} · {} {} {} · {}", r.grid_name, ctx.t("care.overdue_by"), r.overdue_days, ctx.t("care.days"), r.worker_name) }</span>
                            </li>
                        }) }
                    </ul>
                    <p class="hint">{ p.by_grid.iter().filter(|g| g.overdue > 0).map(|g| format!("{} {}", g.name, g.overdue)).collect::<Vec<_>>().join(" · ") }</p>
                    <Link<Route> to={Route::Care} classes="button secondary">{ ctx.t("home.visits_all") }</Link<Route>>
                </section>
            }
        </div>
    }
}
