//! The office's home: what it holds at a glance (the dashboard issue grows this page).

use crate::protocol::{
    CarePage, CareQuery, CasePage, CaseQuery, OfficeKind, Request, Response, TagRow,
};
use crate::ui::app::Route;
use crate::ui::ctx::use_app;
use crate::ui::pages::residents::ListQuery;
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn HomePage() -> Html {
    let ctx = use_app();
    let tags = use_state(Vec::<TagRow>::new);
    {
        let ctx = ctx.clone();
        let tags = tags.clone();
        use_effect_with(ctx.community_code(), move |code| {
            let code = code.clone();
            if !code.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::Tags(t)) = ctx
                        .call(Request::ListTags {
                            community_code: code,
                        })
                        .await
                    {
                        tags.set(t);
                    }
                });
            }
        });
    }
    // Cases that are overdue stand out here: the count, and a link to them.
    let cases = use_state(|| None::<CasePage>);
    {
        let (ctx, cases) = (ctx.clone(), cases.clone());
        use_effect_with(ctx.community_code(), move |code| {
            let code = code.clone();
            if !code.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::Cases(p)) = ctx
                        .call(Request::ListCases(CaseQuery {
                            community_code: code,
                            overdue_only: true,
                            limit: 5,
                            ..Default::default()
                        }))
                        .await
                    {
                        cases.set(Some(*p));
                    }
                });
            }
        });
    }
    // Key persons' visits: overdue and due soon, per grid and per worker.
    let care = use_state(|| None::<CarePage>);
    {
        let (ctx, care) = (ctx.clone(), care.clone());
        use_effect_with(ctx.community_code(), move |code| {
            let code = code.clone();
            if !code.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::CarePage(p)) = ctx
                        .call(Request::CareList(CareQuery {
                            community_code: code,
                            state: "overdue".into(),
                            limit: 5,
                            ..Default::default()
                        }))
                        .await
                    {
                        care.set(Some(*p));
                    }
                });
            }
        });
    }
    // A street office: key-group visits per community, the whole street in one request.
    let street_care = use_state(|| None::<CarePage>);
    {
        let (ctx, street_care) = (ctx.clone(), street_care.clone());
        let street = ctx.is_street() && !ctx.status.communities.is_empty();
        use_effect_with(
            (street, ctx.status.communities.len()),
            move |(street, _)| {
                if *street {
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
            },
        );
    }
    let nav = use_navigator();
    let to_tag = |tag: String| {
        let nav = nav.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(
                    &Route::Residents,
                    &ListQuery {
                        tag: tag.clone(),
                        ..Default::default()
                    },
                );
            }
        })
    };
    let office = ctx.status.office.clone();
    let street = office
        .as_ref()
        .is_some_and(|o| o.kind == OfficeKind::Street);
    html! {
        <div class="page home">
            <h1>{ office.as_ref().map(|o| o.name.clone()).unwrap_or_default() }</h1>
            if street && ctx.status.communities.is_empty() {
                <p class="banner info">{ ctx.t("home.street_empty") }</p>
            }
            { for ctx.status.communities.iter().map(|c| html! {
                <section class="card">
                    <h2>{ format!("{} · {}", c.name, c.code) }</h2>
                    <div class="stats">
                        <Link<Route> to={Route::Grids} classes="stat"><span class="num">{ c.grids }</span><span class="label">{ ctx.t("home.grids") }</span></Link<Route>>
                        <Link<Route> to={Route::Residents} classes="stat"><span class="num">{ c.households }</span><span class="label">{ ctx.t("home.households") }</span></Link<Route>>
                        <Link<Route> to={Route::Residents} classes="stat"><span class="num">{ c.residents }</span><span class="label">{ ctx.t("home.residents") }</span></Link<Route>>
                    </div>
                </section>
            }) }
            if let Some(p) = &*cases {
                <section class={classes!("card", (p.total > 0).then_some("alert"))} aria-labelledby="overdue-h">
                    <h2 id="overdue-h">{ format!("{} {}", ctx.t("home.overdue_cases"), p.total) }</h2>
                    if p.total == 0 {
                        <p class="hint">{ ctx.t("home.none_overdue") }</p>
                    } else {
                        <ul class="case-list">
                            { for p.rows.iter().map(|r| html! {
                                <li class="case-item overdue">
                                    <Link<Route> to={Route::Case { id: r.id.clone() }}>{ &r.title }</Link<Route>>
                                    <span class="meta">{ format!("{} · {}: {}", r.grid_name, ctx.t("case.deadline"),
                                        r.deadline.map(crate::ui::pages::cases::fmt_when).unwrap_or_default()) }</span>
                                </li>
                            }) }
                        </ul>
                        <a class="button secondary" href="/cases?overdue=true">{ ctx.t("home.all_overdue") }</a>
                    }
                </section>
            }
            if let Some(p) = street_care.as_ref().filter(|_| street) {
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
                            { for p.by_community.iter().map(|c| html! {
                                <tr class={classes!((c.overdue > 0).then_some("warn"))}>
                                    <td>{ &c.name }</td><td>{ c.people }</td><td>{ c.overdue }</td><td>{ c.soon }</td>
                                </tr>
                            }) }
                            <tr class="total"><td>{ ctx.t("home.whole_street") }</td><td>{ p.people }</td><td>{ p.overdue }</td><td>{ p.soon }</td></tr>
                        </tbody>
                    </table>
                </section>
            }
            if let Some(p) = care.as_ref().filter(|p| p.people > 0) {
                <section class={classes!("card", (p.overdue > 0).then_some("alert"))} aria-labelledby="visits-h" id="home-visits">
                    <h2 id="visits-h">{ ctx.t("home.visits") }</h2>
                    <p class="visit-counts">
                        <strong id="home-visits-overdue">{ p.overdue }</strong>{ format!(" {} · ", ctx.t("home.visits_overdue")) }
                        <strong>{ p.soon }</strong>{ format!(" {}", ctx.t("home.visits_soon")) }
                    </p>
                    if !p.rows.is_empty() {
                        <ul class="case-list">
                            { for p.rows.iter().map(|r| html! {
                                <li class="case-item overdue">
                                    <Link<Route> to={Route::ResidentCare { id: r.resident_id.clone() }}>{ &r.name }</Link<Route>>
                                    <span class="meta">{ format!("{} · {} {} {} · {}", r.grid_name, ctx.t("care.overdue_by"), r.overdue_days, ctx.t("care.days"), r.worker_name) }</span>
                                </li>
                            }) }
                        </ul>
                    }
                    <p class="hint">{ p.by_grid.iter().filter(|g| g.overdue > 0).map(|g| format!("{} {}", g.name, g.overdue)).collect::<Vec<_>>().join(" · ") }</p>
                    <Link<Route> to={Route::Care} classes="button secondary">{ ctx.t("home.visits_all") }</Link<Route>>
                </section>
            }
            if !tags.is_empty() {
                <section class="card">
                    <h2>{ ctx.t("home.key_groups") }</h2>
                    <ul class="tagstats">
                        { for tags.iter().map(|t| html! {
                            <li>
                                <a href={format!("/residents?tag={}", t.id)} onclick={to_tag(t.id.clone())}>
                                    <span class="tagname">{ &t.name }</span><span class="num">{ t.residents }</span>
                                </a>
                            </li>
                        }) }
                    </ul>
                </section>
            }
            <section class="card muted">
                <h2>{ ctx.t("home.device") }</h2>
                <p>{ format!("{} · {} {:.0} ms", ctx.status.device_name, ctx.t("home.db_open"), ctx.status.open_millis) }</p>
            </section>
        </div>
    }
}
