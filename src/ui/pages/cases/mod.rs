//! Cases (事件): the list with its figures and filters (in the URL), the report form and the
//! case page with its timeline and the moves this device's user may make.

mod report;
mod view;

pub use report::CaseReportPage;
pub use view::CaseViewPage;

use crate::domain::case::State;
use crate::protocol::{CasePage, CaseQuery, Request, Response};
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
    #[serde(default, skip_serializing_if = "is_false")]
    pub overdue: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub mine: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub page: u32,
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
    let page = use_state(|| None::<CasePage>);
    let tree = use_grid_tree(code.clone());
    let latest = use_mut_ref(|| 0u32);
    let text = use_state(|| query.q.clone());
    {
        let (ctx, page, latest) = (ctx.clone(), page.clone(), latest.clone());
        use_effect_with((code.clone(), query.clone()), move |(code, q)| {
            let req = Request::ListCases(CaseQuery {
                community_code: code.clone(),
                text: q.q.clone(),
                state: q.state.clone(),
                grid_id: Some(q.grid.clone()).filter(|g| !g.is_empty()),
                overdue_only: q.overdue,
                mine: q.mine,
                offset: q.page * PAGE_SIZE,
                limit: PAGE_SIZE,
            });
            let seq = {
                let mut l = latest.borrow_mut();
                *l += 1;
                *l
            };
            wasm_bindgen_futures::spawn_local(async move {
                let reply = ctx.call(req).await;
                if *latest.borrow() == seq {
                    if let Ok(Response::Cases(p)) = reply {
                        page.set(Some(*p));
                    }
                }
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
    state_opts.extend(
        State::ALL
            .iter()
            .map(|s| (s.code().to_string(), state_text(&ctx, s.code()).to_string())),
    );
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("residents.all_grids"))))
        .unwrap_or_default();

    html! {
        <div class="page cases">
            <div class="page-head">
                <h1>{ ctx.t("case.title") }</h1>
                <Link<Route> to={Route::NewCase} classes="button primary">{ ctx.t("case.report") }</Link<Route>>
            </div>
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
                <div class="field">
                    <select aria-label={ctx.t("residents.grid_filter")} onchange={on_grid}>
                        { for grid_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.grid}>{ l }</option> }) }
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
                                <span class="meta">{ format!("{} · {} · {}", r.category, r.grid_name, fmt_when(r.reported_at)) }</span>
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
