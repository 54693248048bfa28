//! Micro-wishes (微心愿): the claim list (待认领 by default) with a filter per state, the form
//! that records a wish, and the wish page with its moves and timeline.

mod new;
mod view;

pub use new::WishNewPage;
pub use view::WishViewPage;

use crate::domain::wish::State;
use crate::protocol::{ApiError, Request, Response, WishPage, WishQuery};
use crate::ui::app::Route;
use crate::ui::components::{select_value, Pager};
use crate::ui::ctx::{use_app, use_grid_tree, AppCtx};
use crate::ui::pages::grid_options;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

pub const PAGE_SIZE: u32 = 30;

/// /wishes?state=…&grid=…&q=…&page=… (no state: the claim list; `all`: every state).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WishListQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub grid: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub page: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

pub fn wish_state_text(ctx: &AppCtx, s: &str) -> &'static str {
    ctx.t(&format!("wish.state.{s}"))
}

/// The state the list shows: the claim list unless another is asked for.
fn shown_state(q: &WishListQuery) -> &str {
    match q.state.as_str() {
        "" => "published",
        "all" => "",
        s => s,
    }
}

#[component]
pub fn WishesPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let location = use_location();
    let query: WishListQuery = location
        .as_ref()
        .and_then(|l| l.query::<WishListQuery>().ok())
        .unwrap_or_default();
    let code = ctx.scope_code();
    let page = use_state(|| None::<WishPage>);
    let failed = use_state(|| None::<ApiError>);
    let tree = use_grid_tree(code.clone());
    let latest = use_mut_ref(|| 0u32);
    let text = use_state(|| query.q.clone());
    {
        let (ctx, page, latest, failed) =
            (ctx.clone(), page.clone(), latest.clone(), failed.clone());
        use_effect_with((code.clone(), query.clone()), move |(code, q)| {
            let req = Request::ListWishes(WishQuery {
                community_code: code.clone(),
                state: shown_state(q).to_string(),
                grid_id: Some(q.grid.clone()).filter(|g| !g.is_empty()),
                volunteer_id: String::new(),
                text: q.q.clone(),
                offset: q.page * PAGE_SIZE,
                limit: PAGE_SIZE,
            });
            ctx.call_latest(&latest, req, move |reply| match reply {
                Ok(Response::Wishes(p)) => {
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
        move |q: WishListQuery| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(&Route::Wishes, &q);
            }
        }
    };
    let on_grid = {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            go(WishListQuery {
                grid: select_value(&e),
                page: 0,
                ..q.clone()
            })
        })
    };
    let on_search = {
        let (q, go, text) = (query.clone(), go.clone(), text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            go(WishListQuery {
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
            go(WishListQuery {
                page: n,
                ..q.clone()
            })
        })
    };
    let pages = page
        .as_ref()
        .map(|p| p.total.div_ceil(PAGE_SIZE as u64).max(1) as u32)
        .unwrap_or(1);
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("residents.all_grids"))))
        .unwrap_or_default();
    let count = |s: &str| -> u64 {
        page.as_ref()
            .map(|p| {
                p.by_state
                    .iter()
                    .filter(|(st, _)| s.is_empty() || st == s)
                    .map(|(_, n)| *n)
                    .sum()
            })
            .unwrap_or(0)
    };
    let shown = shown_state(&query).to_string();
    // The state chips: the claim list first, then the others, then all.
    let mut chips: Vec<(String, String)> = State::ALL
        .iter()
        .map(|s| (s.code().to_string(), s.code().to_string()))
        .collect();
    chips.push(("all".into(), String::new()));
    html! {
        <div class="page wishes">
            <div class="page-head">
                <h1>{ ctx.t("wish.title") }</h1>
                <div class="actions">
                    <Link<Route> to={Route::NewWish} classes="button primary">{ ctx.t("wish.new") }</Link<Route>>
                </div>
            </div>
            <p class="hint">{ ctx.t("wish.intro") }</p>
            if let Some(e) = &*failed { <crate::ui::components::Banner text={ctx.error_text(e)} /> }
            <nav class="chips" aria-label={ctx.t("wish.state_filter")}>
                { for chips.iter().map(|(param, state)| {
                    let active = *state == shown;
                    let label = if state.is_empty() { ctx.t("wish.all") } else { wish_state_text(&ctx, state) };
                    let q = WishListQuery { state: if param == "published" { String::new() } else { param.clone() }, page: 0, ..query.clone() };
                    html! {
                        <Link<Route, WishListQuery> to={Route::Wishes} query={Some(q)}
                            classes={classes!("chip", format!("state-{}", if state.is_empty() { "all" } else { state.as_str() }), active.then_some("active"))}>
                            { format!("{label} {}", count(state)) }
                        </Link<Route, WishListQuery>>
                    }
                }) }
            </nav>
            <div class="filters" role="search">
                <form class="field grow" onsubmit={on_search}>
                    <input id="wish-search" type="search" value={(*text).clone()} oninput={on_text} placeholder={ctx.t("wish.search")} aria-label={ctx.t("wish.search")} />
                </form>
                <div class="field">
                    <select aria-label={ctx.t("residents.grid_filter")} onchange={on_grid}>
                        { for grid_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.grid}>{ l }</option> }) }
                    </select>
                </div>
            </div>
            if let Some(p) = &*page {
                <p class="count" aria-live="polite">{ format!("{} {}", ctx.t("residents.total"), p.total) }</p>
                if p.rows.is_empty() {
                    <p class="empty">{ ctx.t("wish.empty") }</p>
                } else {
                    <ul class="case-list wish-list">
                        { for p.rows.iter().map(|r| html! {
                            <li class={classes!("case-item", r.overdue.then_some("overdue"))}>
                                <Link<Route> to={Route::Wish { id: r.id.clone() }}>
                                    <span class="case-title">{ &r.title }</span>
                                </Link<Route>>
                                <span class={classes!("badge", format!("state-{}", r.state))}>{ wish_state_text(&ctx, &r.state) }</span>
                                if r.overdue { <span class="badge overdue">{ ctx.t("wish.overdue") }</span> }
                                if r.flagged { <span class="badge flagged">{ ctx.t("case.flagged") }</span> }
                                <span class="meta">{ format!("{}{} · {} · {} {}", if code.is_empty() { format!("{} · ", ctx.community_name(&r.community_code)) } else { String::new() }, r.wisher_name, r.grid_name, ctx.t("wish.due_by"), r.due_date) }</span>
                                if !r.volunteer_name.is_empty() {
                                    <span class="meta">{ format!("{}: {}", ctx.t("wish.claimer"), r.volunteer_name) }
                                        if r.minutes > 0 { { format!(" · {} {}", r.minutes, ctx.t("wish.minutes_unit")) } }
                                    </span>
                                }
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
