//! Cases (事件): the list with its figures and filters (in the URL), the report form and the
//! case page with its timeline and the moves this device's user may make.

mod report;
mod view;

pub use report::CaseReportPage;
pub use view::CaseViewPage;

use crate::domain::case::State;
use crate::domain::case::CHANNELS;
use crate::protocol::{ApiError, CasePage, CaseQuery, CategoryRow, Request, Response};
use crate::ui::app::Route;
use crate::ui::components::{select_value, Pager};
use crate::ui::ctx::{use_app, use_grid_tree, AppCtx};
use crate::ui::pages::grid_options;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

pub const PAGE_SIZE: u32 = 30;

/// /cases?state=…&grid=…&overdue=1&mine=1&q=…&page=…
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseListQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub grid: String,
    #[serde(default, skip_serializing_if = "is_false", deserialize_with = "flag")]
    pub overdue: bool,
    #[serde(default, skip_serializing_if = "is_false", deserialize_with = "flag")]
    pub mine: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cat: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channel: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub who: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sort: String,
    /// At the street office: every community (its queue of escalated cases).
    #[serde(default, skip_serializing_if = "is_false", deserialize_with = "flag")]
    pub all: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub page: u32,
}

/// A yes/no in a link: `1`, `true`, `yes` or `on` (links are typed and shared by people).
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let s = String::deserialize(d)?;
    Ok(matches!(s.as_str(), "1" | "true" | "yes" | "on"))
}

fn is_false(b: &bool) -> bool {
    !*b
}
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Local (China Standard Time) date and time of a UTC millisecond instant.
pub fn fmt_when(ms: i64) -> String {
    let local = ms + crate::domain::calendar::CST_OFFSET_MS;
    let d = crate::domain::date::Date::from_millis(local);
    let mins = local.rem_euclid(86_400_000) / 60_000;
    format!("{d} {:02}:{:02}", mins / 60, mins % 60)
}

pub fn state_text(ctx: &AppCtx, s: &str) -> &'static str {
    ctx.t(&format!("case.state.{s}"))
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "—".into())
}

#[component]
pub fn CasesPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let location = use_location();
    let query: CaseListQuery = location
        .as_ref()
        .and_then(|l| l.query::<CaseListQuery>().ok())
        .unwrap_or_default();
    let code = ctx.community_code();
    // The street office's queue spans its communities.
    let all = ctx.is_street() && (query.all || ctx.whole_street());
    let list_code = if all { String::new() } else { code.clone() };
    let page = use_state(|| None::<CasePage>);
    let failed = use_state(|| None::<ApiError>);
    let cats = use_state(Vec::<CategoryRow>::new);
    {
        let (ctx, cats) = (ctx.clone(), cats.clone());
        use_effect_with(code.clone(), move |code| {
            let code = code.clone();
            if !code.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::CaseCategories(c)) = ctx
                        .call(Request::CaseCategories {
                            community_code: code,
                        })
                        .await
                    {
                        cats.set(c);
                    }
                });
            }
        });
    }
    let tree = use_grid_tree(code.clone());
    let latest = use_mut_ref(|| 0u32);
    let text = use_state(|| query.q.clone());
    {
        let (ctx, page, latest, failed) =
            (ctx.clone(), page.clone(), latest.clone(), failed.clone());
        use_effect_with((list_code.clone(), query.clone()), move |(code, q)| {
            let req = Request::ListCases(CaseQuery {
                community_code: code.clone(),
                text: q.q.clone(),
                state: q.state.clone(),
                grid_id: Some(q.grid.clone()).filter(|g| !g.is_empty() && !q.all),
                overdue_only: q.overdue,
                mine: q.mine,
                category: q.cat.clone(),
                channel: q.channel.clone(),
                assignee: q.who.clone(),
                from: q.from.clone(),
                to: q.to.clone(),
                sort: q.sort.clone(),
                offset: q.page * PAGE_SIZE,
                limit: PAGE_SIZE,
            });
            ctx.call_latest(&latest, req, move |reply| match reply {
                Ok(Response::Cases(p)) => {
                    failed.set(None);
                    page.set(Some(*p));
                }
                Err(e) => failed.set(Some(e)),
                _ => {}
            });
        });
    }
    let go = {
        let nav = nav.clone();
        move |q: CaseListQuery| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(&Route::Cases, &q);
            }
        }
    };
    let on_state = {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            go(CaseListQuery {
                state: select_value(&e),
                page: 0,
                ..q.clone()
            })
        })
    };
    let on_grid = {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            go(CaseListQuery {
                grid: select_value(&e),
                page: 0,
                ..q.clone()
            })
        })
    };
    let pick = |f: fn(&mut CaseListQuery, String)| {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            let mut n = q.clone();
            f(&mut n, select_value(&e));
            n.page = 0;
            go(n)
        })
    };
    let toggle = |f: fn(&mut CaseListQuery)| {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |_: Event| {
            let mut n = q.clone();
            f(&mut n);
            n.page = 0;
            go(n)
        })
    };
    let on_search = {
        let (q, go, text) = (query.clone(), go.clone(), text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            go(CaseListQuery {
                q: (*text).clone(),
                page: 0,
                ..q.clone()
            })
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(crate::ui::components::input_value(&e)))
    };
    let to_page = {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |n: u32| {
            go(CaseListQuery {
                page: n,
                ..q.clone()
            })
        })
    };
    let pages = page
        .as_ref()
        .map(|p| p.total.div_ceil(PAGE_SIZE as u64).max(1) as u32)
        .unwrap_or(1);
    let mut state_opts = vec![(String::new(), ctx.t("case.all_states").to_string())];
    state_opts.push(("done".into(), ctx.t("case.state_done").to_string()));
    state_opts.extend(
        State::ALL
            .iter()
            .map(|s| (s.code().to_string(), state_text(&ctx, s.code()).to_string())),
    );
    let mut cat_opts = vec![(String::new(), ctx.t("case.all_categories").to_string())];
    for g in cats.iter().filter(|c| c.parent_code.is_none()) {
        cat_opts.push((g.code.clone(), g.name.clone()));
        for i in cats
            .iter()
            .filter(|c| c.parent_code.as_deref() == Some(g.code.as_str()))
        {
            cat_opts.push((i.code.clone(), format!("\u{3000}{}", i.name)));
        }
    }
    let mut channel_opts = vec![(String::new(), ctx.t("case.all_channels").to_string())];
    channel_opts.extend(CHANNELS.iter().map(|c| {
        (
            c.to_string(),
            ctx.t(&format!("case.channel.{c}")).to_string(),
        )
    }));
    let sort_opts = [("", "case.sort_newest"), ("deadline", "case.sort_deadline")];
    let date_change = |f: fn(&mut CaseListQuery, String)| {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            let mut n = q.clone();
            f(
                &mut n,
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
            n.page = 0;
            go(n)
        })
    };
    let who_text = use_state(|| query.who.clone());
    let on_who = {
        let (q, go, who_text) = (query.clone(), go.clone(), who_text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            go(CaseListQuery {
                who: (*who_text).trim().to_string(),
                page: 0,
                ..q.clone()
            })
        })
    };
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("residents.all_grids"))))
        .unwrap_or_default();

    html! {
        <div class="page cases">
            <div class="page-head">
                <h1>{ if all && query.state == "escalated" { ctx.t("case.street_queue") } else if all { ctx.t("case.whole_street") } else { ctx.t("case.title") } }</h1>
                <div class="actions">
                    if ctx.is_street() {
                        if ctx.whole_street() {
                        } else if query.all {
                            <Link<Route, CaseListQuery> to={Route::Cases} query={Some(CaseListQuery::default())} classes="button secondary">{ ctx.t("case.this_community") }</Link<Route, CaseListQuery>>
                        } else {
                            <Link<Route, CaseListQuery> to={Route::Cases} query={Some(CaseListQuery { all: true, ..Default::default() })} classes="button secondary">{ ctx.t("case.whole_street") }</Link<Route, CaseListQuery>>
                        }
                        if !(all && query.state == "escalated") {
                            <Link<Route, CaseListQuery> to={Route::Cases} query={Some(CaseListQuery { state: "escalated".into(), all: true, ..Default::default() })} classes="button secondary">{ ctx.t("case.street_queue") }</Link<Route, CaseListQuery>>
                        }
                    }
                    <Link<Route> to={Route::NewCase} classes="button primary">{ ctx.t("case.report") }</Link<Route>>
                </div>
            </div>
            if let Some(e) = &*failed { <crate::ui::components::Banner text={ctx.error_text(e)} /> }
            if let Some(p) = &*page {
                <dl class="figures" aria-label={ctx.t("case.figures")}>
                    <div><dt>{ ctx.t("case.received") }</dt><dd>{ p.figures.received }</dd></div>
                    <div><dt>{ ctx.t("case.closed") }</dt><dd>{ p.figures.closed }</dd></div>
                    <div><dt>{ ctx.t("case.closure_rate") }</dt><dd>{ pct(p.figures.closure_rate) }</dd></div>
                    <div><dt>{ ctx.t("case.satisfaction_rate") }</dt><dd>{ pct(p.figures.satisfaction_rate) }</dd></div>
                    <div class={classes!(if p.figures.overdue > 0 { "warn" } else { "" })}><dt>{ ctx.t("case.overdue") }</dt><dd>{ p.figures.overdue }</dd></div>
                    <div><dt>{ ctx.t("case.median_hours") }</dt><dd>{ p.figures.median_hours_to_close.map(|h| format!("{h:.1}")).unwrap_or_else(|| "—".into()) }</dd></div>
                </dl>
            }
            <div class="filters" role="search">
                <form class="field grow" onsubmit={on_search}>
                    <input id="case-search" type="search" value={(*text).clone()} oninput={on_text} placeholder={ctx.t("case.search")} aria-label={ctx.t("case.search")} />
                </form>
                <div class="field">
                    <select aria-label={ctx.t("case.state_filter")} onchange={on_state}>
                        { for state_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.state}>{ l }</option> }) }
                    </select>
                </div>
                if !all {
                    <div class="field">
                        <select aria-label={ctx.t("residents.grid_filter")} onchange={on_grid}>
                            { for grid_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.grid}>{ l }</option> }) }
                        </select>
                    </div>
                    <div class="field">
                        <select aria-label={ctx.t("case.category_filter")} onchange={pick(|q, v| q.cat = v)}>
                            { for cat_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.cat}>{ l }</option> }) }
                        </select>
                    </div>
                }
                <div class="field">
                    <select aria-label={ctx.t("case.channel_filter")} onchange={pick(|q, v| q.channel = v)}>
                        { for channel_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.channel}>{ l }</option> }) }
                    </select>
                </div>
                <form class="field" onsubmit={on_who}>
                    <input id="case-assignee" type="search" value={(*who_text).clone()} placeholder={ctx.t("case.assignee_filter")} aria-label={ctx.t("case.assignee_filter")}
                        oninput={{ let w = who_text.clone(); Callback::from(move |e: InputEvent| w.set(crate::ui::components::input_value(&e))) }} />
                </form>
                <div class="field dates">
                    <input id="case-from" type="date" value={query.from.clone()} onchange={date_change(|q, v| q.from = v)} aria-label={ctx.t("case.from")} title={ctx.t("case.from")} />
                    <span aria-hidden="true">{ "–" }</span>
                    <input id="case-to" type="date" value={query.to.clone()} onchange={date_change(|q, v| q.to = v)} aria-label={ctx.t("case.to")} title={ctx.t("case.to")} />
                </div>
                <div class="field">
                    <select aria-label={ctx.t("case.sort")} onchange={pick(|q, v| q.sort = v)}>
                        { for sort_opts.iter().map(|(v, l)| html!{ <option value={*v} selected={*v == query.sort}>{ ctx.t(l) }</option> }) }
                    </select>
                </div>
                <label class="check"><input type="checkbox" checked={query.overdue} onchange={toggle(|q| q.overdue = !q.overdue)} />{ ctx.t("case.overdue_only") }</label>
                <label class="check"><input type="checkbox" checked={query.mine} onchange={toggle(|q| q.mine = !q.mine)} />{ ctx.t("case.mine") }</label>
            </div>
            if let Some(p) = &*page {
                <p class="count" aria-live="polite">{ format!("{} {}", ctx.t("residents.total"), p.total) }</p>
                if p.rows.is_empty() {
                    <p class="empty">{ ctx.t("case.empty") }</p>
                } else {
                    <ul class="case-list">
                        { for p.rows.iter().map(|r| html! {
                            <li class={classes!("case-item", r.overdue.then_some("overdue"))}>
                                <Link<Route> to={Route::Case { id: r.id.clone() }}>
                                    <span class="case-title">{ &r.title }</span>
                                </Link<Route>>
                                <span class={classes!("badge", format!("state-{}", r.state))}>{ state_text(&ctx, &r.state) }</span>
                                if r.overdue { <span class="badge overdue">{ ctx.t("case.overdue") }</span> }
                                if r.urged > 0 { <span class="badge urged">{ format!("{} ×{}", ctx.t("case.move.urge"), r.urged) }</span> }
                                if r.flagged { <span class="badge flagged">{ ctx.t("case.flagged") }</span> }
                                <span class="meta">{ format!("{}{} · {} · {}", if all { format!("{} · ", ctx.community_name(&r.community_code)) } else { String::new() }, r.category, r.grid_name, fmt_when(r.reported_at)) }</span>
                                if let (Some(d), false) = (r.deadline, matches!(r.state.as_str(), "closed" | "rated" | "voided")) {
                                    <span class="meta deadline">{ format!("{}: {}", ctx.t("case.deadline"), fmt_when(d)) }</span>
                                }
                                if !r.assignee.is_empty() { <span class="meta">{ format!("{}: {}", ctx.t("case.assignee"), r.assignee) }</span> }
                            </li>
                        }) }
                    </ul>
                }
                <Pager page={query.page} {pages} on_page={to_page} label={ctx.t("residents.page")} prev={ctx.t("residents.prev")} next={ctx.t("residents.next")} />
            } else {
                <p>{ ctx.t("common.loading") }</p>
            }
        </div>
    }
}
