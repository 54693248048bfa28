//! Key-group care (重点人群关爱): the key groups with their visit cadences and counts per grid,
//! and the key persons' visit list (overdue first), filtered by state, tag, grid and worker in
//! the URL. One person's care and visits: `view`; the party organisation: `party`.

mod party;
mod view;

pub use party::PartyPage;
pub use view::ResidentCarePage;

use crate::protocol::{CarePage, CareQuery, KeyGroupRow, Request, Response, StaffRow};
use crate::ui::app::Route;
use crate::ui::components::{download, select_value, Pager};
use crate::ui::ctx::{use_app, use_grid_tree};
use crate::ui::pages::grid_options;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

pub const PAGE_SIZE: u32 = 50;

/// A need found on a visit, handed to the case or wish form (/cases/new?visit=…).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FromVisit {
    pub visit: String,
    pub resident: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub grid: String,
    #[serde(default)]
    pub text: String,
}

impl FromVisit {
    pub fn read(location: &Option<Location>) -> Option<FromVisit> {
        location
            .as_ref()
            .and_then(|l| l.query::<FromVisit>().ok())
            .filter(|v| !v.visit.is_empty())
    }
}

/// /care?state=…&tag=…&grid=…&worker=…&page=…
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CareListQuery {
    /// "" (due: overdue or soon, the default), overdue, soon, never, all
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tag: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub grid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub worker: String,
    #[serde(default)]
    pub page: u32,
}

fn state_of(q: &CareListQuery) -> String {
    match q.state.as_str() {
        "" => "due".into(),
        "all" => String::new(),
        s => s.into(),
    }
}

#[component]
pub fn KeyCarePage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let location = use_location();
    let query: CareListQuery = location
        .as_ref()
        .and_then(|l| l.query::<CareListQuery>().ok())
        .unwrap_or_default();
    // The whole street's care list when the street office picked it.
    let code = ctx.scope_code();
    let tree = use_grid_tree(code.clone());
    let groups = use_state(Vec::<KeyGroupRow>::new);
    let staff = use_state(Vec::<StaffRow>::new);
    let page = use_state(|| None::<CarePage>);
    let reload = use_state(|| 0u32);
    let saved_cadence = use_state(|| None::<String>);
    {
        let (ctx, groups, staff) = (ctx.clone(), groups.clone(), staff.clone());
        use_effect_with((code.clone(), *reload), move |(code, _)| {
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::KeyGroups(g)) = ctx
                    .call(Request::KeyGroups {
                        community_code: code.clone(),
                    })
                    .await
                {
                    groups.set(g);
                }
                if let Ok(Response::Staff(s)) = ctx
                    .call(Request::ListStaff {
                        community_code: code,
                    })
                    .await
                {
                    staff.set(s);
                }
            });
        });
    }
    {
        let (ctx, page) = (ctx.clone(), page.clone());
        use_effect_with(
            (code.clone(), query.clone(), *reload),
            move |(code, q, _)| {
                let req = Request::CareList(CareQuery {
                    community_code: code.clone(),
                    tag_id: q.tag.clone(),
                    grid_id: q.grid.clone(),
                    worker_id: q.worker.clone(),
                    state: state_of(q),
                    offset: q.page * PAGE_SIZE,
                    limit: PAGE_SIZE,
                });
                let (ctx, page) = (ctx.clone(), page.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::CarePage(p)) = ctx.call(req).await {
                        page.set(Some(*p));
                    }
                });
            },
        );
    }
    let go = {
        let nav = nav.clone();
        move |q: CareListQuery| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(&Route::Care, &q);
            }
        }
    };
    let chip = |state: &'static str, label: String| {
        let (query, go) = (query.clone(), go.clone());
        let active = query.state == state;
        let onclick = Callback::from(move |_: MouseEvent| {
            go(CareListQuery {
                state: state.into(),
                page: 0,
                ..query.clone()
            })
        });
        html! { <button type="button" class={classes!("chip", active.then_some("active"))} aria-pressed={active.to_string()} {onclick}>{ label }</button> }
    };
    let on_select = |f: fn(&mut CareListQuery, String)| {
        let (query, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            let mut q = query.clone();
            f(&mut q, select_value(&e));
            q.page = 0;
            go(q)
        })
    };
    let to_page = {
        let (query, go) = (query.clone(), go.clone());
        Callback::from(move |n: u32| {
            go(CareListQuery {
                page: n,
                ..query.clone()
            })
        })
    };
    let set_cadence = {
        let (ctx, reload, saved_cadence) = (ctx.clone(), reload.clone(), saved_cadence.clone());
        move |tag: String, name: String| {
            let (ctx, reload, saved_cadence) = (ctx.clone(), reload.clone(), saved_cadence.clone());
            Callback::from(move |e: Event| {
                let v: String = e
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value();
                let Ok(days) = v.trim().parse::<u32>() else {
                    return;
                };
                let (ctx, reload, saved_cadence, tag, name) = (
                    ctx.clone(),
                    reload.clone(),
                    saved_cadence.clone(),
                    tag.clone(),
                    name.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    match ctx
                        .call(Request::SetTagCadence {
                            tag_id: tag,
                            visit_days: days,
                        })
                        .await
                    {
                        Ok(_) => {
                            saved_cadence
                                .set(Some(format!("{name} · {}", ctx.t("residents.saved"))));
                            reload.set(*reload + 1);
                        }
                        Err(e) => saved_cadence.set(Some(ctx.error_text(&e))),
                    }
                });
            })
        }
    };
    // Exports mask the residents' names and phones unless the person unticks it.
    let export_masked = use_state(|| true);
    let export_visits = {
        let ctx = ctx.clone();
        let (code, grid, masked) = (code.clone(), query.grid.clone(), *export_masked);
        Callback::from(move |_: MouseEvent| {
            let (ctx, code, grid) = (ctx.clone(), code.clone(), grid.clone());
            let mask = if masked {
                vec!["name".to_string()]
            } else {
                Vec::new()
            };
            wasm_bindgen_futures::spawn_local(async move {
                let req = Request::ListVisits(crate::protocol::VisitQuery {
                    community_code: code,
                    grid_id: grid,
                    xlsx: true,
                    mask,
                    ..Default::default()
                });
                if let (Ok(Response::File { file_name, .. }), Some(b)) =
                    ctx.db.0.call_watched(req, None, None).await
                {
                    download(&b, &file_name);
                }
            });
        })
    };
    let export_care = {
        let ctx = ctx.clone();
        let (code, q, masked) = (code.clone(), query.clone(), *export_masked);
        Callback::from(move |_: MouseEvent| {
            let (ctx, code, q) = (ctx.clone(), code.clone(), q.clone());
            let mask = if masked {
                vec!["name".to_string(), "phone".to_string()]
            } else {
                Vec::new()
            };
            wasm_bindgen_futures::spawn_local(async move {
                let req = Request::ExportCare {
                    query: CareQuery {
                        community_code: code,
                        tag_id: q.tag.clone(),
                        grid_id: q.grid.clone(),
                        worker_id: q.worker.clone(),
                        state: state_of(&q),
                        offset: 0,
                        limit: 0,
                    },
                    mask,
                };
                if let (Ok(Response::File { file_name, .. }), Some(b)) =
                    ctx.db.0.call_watched(req, None, None).await
                {
                    download(&b, &file_name);
                }
            });
        })
    };
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("residents.all_grids"))))
        .unwrap_or_default();
    let pages = page
        .as_ref()
        .map(|p| p.total.div_ceil(PAGE_SIZE as u64).max(1) as u32)
        .unwrap_or(1);

    let street_prefix = |c: &str| {
        if code.is_empty() {
            format!("{} · ", ctx.community_name(c))
        } else {
            String::new()
        }
    };
    html! {
        <div class="page care">
            <div class="page-head">
                <h1>{ ctx.t("care.title") }</h1>
                <div class="actions">
                    <Link<Route> to={Route::Party} classes="button secondary">{ ctx.t("party.title") }</Link<Route>>
                </div>
            </div>
            if let Some(p) = &*page {
                <dl class="figures care-figures">
                    <div class={classes!((p.overdue > 0).then_some("warn"))}><dt>{ ctx.t("care.overdue") }</dt><dd id="care-overdue">{ p.overdue }</dd></div>
                    <div><dt>{ ctx.t("care.soon") }</dt><dd id="care-soon">{ p.soon }</dd></div>
                    <div><dt>{ ctx.t("care.never") }</dt><dd>{ p.never }</dd></div>
                    <div><dt>{ ctx.t("care.people") }</dt><dd>{ p.people }</dd></div>
                </dl>
            }
            <div class="chips" role="group" aria-label={ctx.t("care.state")}>
                { chip("", ctx.t("care.state_due").to_string()) }
                { chip("overdue", ctx.t("care.overdue").to_string()) }
                { chip("soon", ctx.t("care.soon").to_string()) }
                { chip("never", ctx.t("care.never").to_string()) }
                { chip("all", ctx.t("care.state_all").to_string()) }
            </div>
            <div class="filters">
                <div class="field">
                    <label for="care-tag" class="sr-only">{ ctx.t("residents.tag_filter") }</label>
                    <select id="care-tag" aria-label={ctx.t("residents.tag_filter")} onchange={on_select(|q, v| q.tag = v)}>
                        <option value="" selected={query.tag.is_empty()}>{ ctx.t("residents.all_tags") }</option>
                        { for groups.iter().filter(|g| g.visit_days > 0).map(|g| html!{ <option value={g.tag_id.clone()} selected={g.tag_id == query.tag}>{ &g.name }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="care-grid" class="sr-only">{ ctx.t("residents.grid_filter") }</label>
                    <select id="care-grid" aria-label={ctx.t("residents.grid_filter")} onchange={on_select(|q, v| q.grid = v)}>
                        { for grid_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.grid}>{ l }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="care-worker" class="sr-only">{ ctx.t("care.worker") }</label>
                    <select id="care-worker" aria-label={ctx.t("care.worker")} onchange={on_select(|q, v| q.worker = v)}>
                        <option value="" selected={query.worker.is_empty()}>{ ctx.t("care.all_workers") }</option>
                        { for staff.iter().map(|s| html!{ <option value={s.id.clone()} selected={s.id == query.worker}>{ &s.name }</option> }) }
                    </select>
                </div>
            </div>
            if let Some(p) = &*page {
                <p class="count" aria-live="polite">{ format!("{} {} {}", ctx.t("residents.total"), p.total, ctx.t("residents.people")) }</p>
                if p.rows.is_empty() {
                    <p class="empty">{ ctx.t("care.empty") }</p>
                } else {
                    <ul class="care-list">
                        { for p.rows.iter().map(|r| html! {
                            <li class={classes!("care-item", r.state.clone())}>
                                <div class="line1">
                                    <Link<Route> to={Route::ResidentCare { id: r.resident_id.clone() }}>{ &r.name }</Link<Route>>
                                    <span class={classes!("badge", (r.state == "overdue").then_some("overdue"))}>{
                                        if r.state == "overdue" { format!("{} {} {}", ctx.t("care.overdue_by"), r.overdue_days, ctx.t("care.days")) }
                                        else { format!("{} {}", ctx.t("care.due_on"), r.due_date) }
                                    }</span>
                                    { for r.tags.iter().map(|t| html!{ <span class="tag">{ t }</span> }) }
                                </div>
                                <div class="meta">{ format!("{}{} {} · {} · {}{} · {}{}", street_prefix(&r.community_code), r.grid_name, r.address,
                                    if r.last_visit.is_empty() { ctx.t("care.never_visited").to_string() } else { format!("{} {}", ctx.t("care.last"), r.last_visit) },
                                    ctx.t("care.every"), r.cadence,
                                    ctx.t("care.pair"), [r.worker_name.as_str(), r.party_member_name.as_str()].iter().filter(|x| !x.is_empty()).cloned().collect::<Vec<_>>().join(" + ")) }</div>
                            </li>
                        }) }
                    </ul>
                    <Pager page={query.page} {pages} on_page={to_page} label={ctx.t("residents.page")} prev={ctx.t("residents.prev")} next={ctx.t("residents.next")} />
                }
                <div class="actions">
                    <label class="check">
                        <input type="checkbox" name="care-mask" checked={*export_masked}
                            onchange={{ let m = export_masked.clone(); Callback::from(move |e: Event| m.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked())) }} />
                        { ctx.t("care.export_masked") }
                    </label>
                    <button type="button" class="secondary" onclick={export_care}>{ ctx.t("care.export_list") }</button>
                    <button type="button" class="secondary" onclick={export_visits}>{ ctx.t("care.export_visits") }</button>
                </div>
                <div class="two-col">
                    <section class="card">
                        <h2>{ ctx.t("care.by_grid") }</h2>
                        <table class="list counts">
                            <thead><tr><th>{ ctx.t("field.grid") }</th><th>{ ctx.t("care.people") }</th><th>{ ctx.t("care.overdue") }</th><th>{ ctx.t("care.soon") }</th></tr></thead>
                            <tbody>{ for p.by_grid.iter().map(|g| html!{ <tr class={classes!((g.overdue > 0).then_some("warn"))}><td>{ &g.name }</td><td>{ g.people }</td><td>{ g.overdue }</td><td>{ g.soon }</td></tr> }) }</tbody>
                        </table>
                    </section>
                    <section class="card">
                        <h2>{ ctx.t("care.by_worker") }</h2>
                        <table class="list counts">
                            <thead><tr><th>{ ctx.t("care.worker") }</th><th>{ ctx.t("care.people") }</th><th>{ ctx.t("care.overdue") }</th><th>{ ctx.t("care.soon") }</th></tr></thead>
                            <tbody>{ for p.by_worker.iter().map(|w| html!{ <tr class={classes!((w.overdue > 0).then_some("warn"))}><td>{ if w.name.is_empty() { ctx.t("care.no_worker").to_string() } else { w.name.clone() } }</td><td>{ w.people }</td><td>{ w.overdue }</td><td>{ w.soon }</td></tr> }) }</tbody>
                        </table>
                    </section>
                </div>
            } else {
                <p>{ ctx.t("common.loading") }</p>
            }
            <section class="card" aria-labelledby="groups-h">
                <h2 id="groups-h">{ ctx.t("care.groups") }</h2>
                <p class="hint">{ ctx.t("care.groups_hint") }</p>
                if let Some(m) = &*saved_cadence { <p class="banner ok" role="status">{ m }</p> }
                <div class="table-scroll">
                    <table class="list key-groups">
                        <thead><tr>
                            <th>{ ctx.t("field.tags") }</th>
                            <th>{ ctx.t("care.cadence") }</th>
                            <th>{ ctx.t("care.people") }</th>
                            <th>{ ctx.t("care.overdue") }</th>
                            <th class="hide-phone">{ ctx.t("care.per_grid") }</th>
                        </tr></thead>
                        <tbody>
                            { for groups.iter().map(|g| {
                                let id = format!("cadence-{}", g.tag_id);
                                html! {
                                    <tr>
                                        <td><a href={format!("/care?state=all&tag={}", g.tag_id)}>{ &g.name }</a></td>
                                        <td>
                                            <label class="sr-only" for={id.clone()}>{ format!("{} {}", g.name, ctx.t("care.cadence")) }</label>
                                            <input id={id} class="days" type="number" min="0" max="366" inputmode="numeric"
                                                value={g.visit_days.to_string()} onchange={set_cadence(g.tag_id.clone(), g.name.clone())} />
                                            <span class="hint">{ ctx.t("care.days") }</span>
                                        </td>
                                        <td>{ g.people }</td>
                                        <td class={classes!((g.overdue > 0).then_some("warn"))}>{ g.overdue }</td>
                                        <td class="hide-phone per-grid">{ g.by_grid.iter().map(|c| format!("{} {}", c.name, c.people)).collect::<Vec<_>>().join(" · ") }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}
