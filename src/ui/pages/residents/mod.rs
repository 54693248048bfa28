//! The resident ledger: a paged, searchable, filterable list (filters live in the URL, so back
//! and deep links work), and the resident form with field-level errors.

mod edit;
mod import;

pub use edit::ResidentEditPage;
pub use import::ResidentImportPage;

use crate::domain::date::Date;
use crate::protocol::{GridTree, Request, ResidentPage, ResidentQuery, Response, TagRow};
use crate::ui::app::Route;
use crate::ui::components::{select_value, Pager};
use crate::ui::ctx::use_app;
use crate::ui::pages::{grid_options, mask_id};
use gloo::timers::callback::Timeout;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

pub const PAGE_SIZE: u32 = 50;

/// The list's state in the URL: /residents?c=…&q=…&grid=…&tag=…&page=… (`c`: a street office's
/// chosen community; empty means the whole street).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub c: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub grid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tag: String,
    /// "" (here now), moved_out, deceased, all
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub st: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub page: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[component]
pub fn ResidentsPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let location = use_location();
    let query: ListQuery = location
        .as_ref()
        .and_then(|l| l.query::<ListQuery>().ok())
        .unwrap_or_default();
    let page = use_state(|| None::<ResidentPage>);
    // The search text the page on screen answers (tests and screen readers can tell a stale
    // count from a fresh one while a newer search is on its way).
    let answered = use_state(String::new);
    let tree = use_state(|| None::<GridTree>);
    let tags = use_state(Vec::<TagRow>::new);
    let text = use_state(|| query.q.clone());
    let latest = use_mut_ref(|| 0u32);
    let debounce = use_mut_ref(|| None::<Timeout>);
    let loading = use_state(|| false);
    let is_street = ctx.is_street();
    // A community office works on its community; a street office on the chosen one or all.
    let code = if is_street {
        query.c.clone()
    } else {
        ctx.community_code()
    };

    {
        let (ctx, tree, tags) = (ctx.clone(), tree.clone(), tags.clone());
        use_effect_with(code.clone(), move |code| {
            let code = code.clone();
            tree.set(None);
            tags.set(Vec::new());
            if code.is_empty() {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::GridTree(t)) = ctx
                    .call(Request::GridTree {
                        community_code: code.clone(),
                    })
                    .await
                {
                    tree.set(Some(t));
                }
                if let Ok(Response::Tags(t)) = ctx
                    .call(Request::ListTags {
                        community_code: code,
                    })
                    .await
                {
                    tags.set(t);
                }
            });
        });
    }
    {
        let (ctx, page, latest, loading, answered) = (
            ctx.clone(),
            page.clone(),
            latest.clone(),
            loading.clone(),
            answered.clone(),
        );
        use_effect_with((code.clone(), query.clone()), move |(code, q)| {
            let text = q.q.clone();
            let req = Request::SearchResidents(ResidentQuery {
                community_code: code.clone(),
                text: q.q.clone(),
                grid_id: Some(q.grid.clone()).filter(|g| !g.is_empty()),
                tag_id: Some(q.tag.clone()).filter(|t| !t.is_empty()),
                status: q.st.clone(),
                offset: q.page * PAGE_SIZE,
                limit: PAGE_SIZE,
            });
            let seq = {
                let mut l = latest.borrow_mut();
                *l += 1;
                *l
            };
            loading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let reply = ctx.call(req).await;
                if *latest.borrow() != seq {
                    return; // a newer search is on its way
                }
                loading.set(false);
                if let Ok(Response::Residents(p)) = reply {
                    page.set(Some(p));
                    answered.set(text);
                }
            });
        });
    }

    let go = {
        let nav = nav.clone();
        move |q: ListQuery, replace: bool| {
            if let Some(nav) = &nav {
                let _ = if replace {
                    nav.replace_with_query(&Route::Residents, &q)
                } else {
                    nav.push_with_query(&Route::Residents, &q)
                };
            }
        }
    };
    let on_text = {
        let (text, debounce, query, go) =
            (text.clone(), debounce.clone(), query.clone(), go.clone());
        Callback::from(move |e: InputEvent| {
            let v = crate::ui::components::input_value(&e);
            text.set(v.clone());
            let (query, go) = (query.clone(), go.clone());
            *debounce.borrow_mut() = Some(Timeout::new(250, move || {
                go(
                    ListQuery {
                        q: v,
                        page: 0,
                        ..query
                    },
                    true,
                )
            }));
        })
    };
    let on_grid = {
        let (query, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            go(
                ListQuery {
                    grid: select_value(&e),
                    page: 0,
                    ..query.clone()
                },
                false,
            )
        })
    };
    let on_community = {
        let go = go.clone();
        Callback::from(move |e: Event| {
            go(
                ListQuery {
                    c: select_value(&e),
                    ..Default::default()
                },
                false,
            )
        })
    };
    let on_tag = {
        let (query, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            go(
                ListQuery {
                    tag: select_value(&e),
                    page: 0,
                    ..query.clone()
                },
                false,
            )
        })
    };
    let on_status = {
        let (query, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            go(
                ListQuery {
                    st: select_value(&e),
                    page: 0,
                    ..query.clone()
                },
                false,
            )
        })
    };
    let to_page = {
        let (query, go) = (query.clone(), go.clone());
        Callback::from(move |n: u32| {
            go(
                ListQuery {
                    page: n,
                    ..query.clone()
                },
                false,
            )
        })
    };
    let export_mask = use_state(|| vec!["id_number".to_string(), "phone".to_string()]);
    let exporting = use_state(|| false);
    let export_error = use_state(|| None::<String>);
    let on_export = {
        let (ctx, export_mask, exporting, export_error, query, code) = (
            ctx.clone(),
            export_mask.clone(),
            exporting.clone(),
            export_error.clone(),
            query.clone(),
            code.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let req = Request::ExportResidents {
                query: ResidentQuery {
                    community_code: code.clone(),
                    text: query.q.clone(),
                    grid_id: Some(query.grid.clone()).filter(|g| !g.is_empty()),
                    tag_id: Some(query.tag.clone()).filter(|t| !t.is_empty()),
                    status: query.st.clone(),
                    offset: 0,
                    limit: 0,
                },
                mask: (*export_mask).clone(),
            };
            let (ctx, exporting, export_error) =
                (ctx.clone(), exporting.clone(), export_error.clone());
            exporting.set(true);
            export_error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let (reply, file) = ctx.db.0.call_watched(req, None, None).await;
                exporting.set(false);
                match (reply, file) {
                    (Ok(Response::File { file_name, .. }), Some(b)) => {
                        crate::ui::components::download(&b, &file_name)
                    }
                    (Err(e), _) => export_error.set(Some(ctx.error_text(&e))),
                    _ => {}
                }
            });
        })
    };
    let mask_box = |field: &'static str, label: &'static str| {
        let export_mask = export_mask.clone();
        let checked = export_mask.iter().any(|m| m == field);
        let onchange = Callback::from(move |e: Event| {
            let on = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked();
            let mut m: Vec<String> = (*export_mask)
                .iter()
                .filter(|x| *x != field)
                .cloned()
                .collect();
            if on {
                m.push(field.to_string());
            }
            export_mask.set(m);
        });
        html! {
            <label class="check"><input type="checkbox" name={format!("mask-{field}")} {checked} {onchange} />{ label }</label>
        }
    };
    let today = Date::from_millis(js_sys::Date::now() as i64 + 8 * 3_600_000);
    let pages = page
        .as_ref()
        .map(|p| p.total.div_ceil(PAGE_SIZE as u64).max(1) as u32)
        .unwrap_or(1);
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("residents.all_grids"))))
        .unwrap_or_default();

    html! {
        <div class="page residents">
            <div class="page-head">
                <h1>{ ctx.t("residents.title") }</h1>
                <div class="actions">
                    <Link<Route> to={Route::NewResident} classes="button primary">{ ctx.t("residents.new") }</Link<Route>>
                    <Link<Route> to={Route::ResidentsImport} classes="button secondary">{ ctx.t("residents.import") }</Link<Route>>
                </div>
            </div>
            <details class="export-box">
                <summary>{ ctx.t("residents.export") }</summary>
                <div class="row">
                    <span>{ ctx.t("residents.export_mask") }</span>
                    { mask_box("name", ctx.t("field.name")) }
                    { mask_box("id_number", ctx.t("field.id_number")) }
                    { mask_box("phone", ctx.t("field.phone")) }
                    <button type="button" class="secondary" id="export-xlsx" disabled={*exporting} onclick={on_export}>
                        { if *exporting { ctx.t("residents.exporting") } else { ctx.t("residents.export") } }
                    </button>
                </div>
                if let Some(e) = &*export_error { <p class="error" role="alert">{ e }</p> }
            </details>
            <div class="filters" role="search">
                <div class="field grow">
                    <label for="search" class="sr-only">{ ctx.t("residents.search") }</label>
                    <input id="search" type="search" value={(*text).clone()} oninput={on_text} placeholder={ctx.t("residents.search")} aria-label={ctx.t("residents.search")} />
                </div>
                if is_street {
                    <div class="field">
                        <label for="community-filter" class="sr-only">{ ctx.t("residents.community_filter") }</label>
                        <select id="community-filter" aria-label={ctx.t("residents.community_filter")} onchange={on_community}>
                            <option value="" selected={query.c.is_empty()}>{ ctx.t("residents.all_communities") }</option>
                            { for ctx.status.communities.iter().map(|c| html!{ <option value={c.code.clone()} selected={c.code == query.c}>{ &c.name }</option> }) }
                        </select>
                    </div>
                }
                if !code.is_empty() {
                <div class="field">
                    <label for="grid-filter" class="sr-only">{ ctx.t("residents.grid_filter") }</label>
                    <select id="grid-filter" aria-label={ctx.t("residents.grid_filter")} onchange={on_grid}>
                        { for grid_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == query.grid}>{ l }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="tag-filter" class="sr-only">{ ctx.t("residents.tag_filter") }</label>
                    <select id="tag-filter" aria-label={ctx.t("residents.tag_filter")} onchange={on_tag}>
                        <option value="" selected={query.tag.is_empty()}>{ ctx.t("residents.all_tags") }</option>
                        { for tags.iter().map(|t| html!{ <option value={t.id.clone()} selected={t.id == query.tag}>{ &t.name }</option> }) }
                    </select>
                </div>
                }
                <div class="field">
                    <label for="status-filter" class="sr-only">{ ctx.t("residents.status_filter") }</label>
                    <select id="status-filter" aria-label={ctx.t("residents.status_filter")} onchange={on_status}>
                        { for ["", "moved_out", "deceased", "all"].iter().map(|v| html!{ <option value={*v} selected={*v == query.st}>{ ctx.t(&format!("residents.status_{}", if v.is_empty() { "active" } else { v })) }</option> }) }
                    </select>
                </div>
            </div>
            if let Some(p) = &*page {
                <p class="count" aria-live="polite" aria-busy={loading.to_string()} data-q={(*answered).clone()}>{ format!("{} {} {}", ctx.t("residents.total"), p.total, ctx.t("residents.people")) }</p>
                if p.rows.is_empty() {
                    <p class="empty">{ ctx.t("residents.empty") }</p>
                } else {
                    <table class="list" aria-busy={loading.to_string()}>
                        <thead><tr>
                            <th>{ ctx.t("field.name") }</th>
                            <th>{ ctx.t("field.gender") }</th>
                            <th>{ ctx.t("field.age") }</th>
                            <th class="hide-phone">{ ctx.t("field.id_number") }</th>
                            <th>{ ctx.t("field.phone") }</th>
                            <th class="hide-phone">{ ctx.t("field.grid") }</th>
                            <th class="hide-phone">{ ctx.t("field.address") }</th>
                            <th>{ ctx.t("field.tags") }</th>
                        </tr></thead>
                        <tbody>
                            { for p.rows.iter().map(|r| {
                                let age = Date::parse(&r.birth_date).map(|b| b.age_on(today).to_string()).unwrap_or_default();
                                html! {
                                    <tr>
                                        <td>
                                            <Link<Route> to={Route::Resident { id: r.id.clone() }}>{ &r.name }</Link<Route>>
                                            if r.status != "active" && !r.status.is_empty() {
                                                <span class="badge muted">{ ctx.t(&format!("residents.status_{}", r.status)) }</span>
                                            }
                                        </td>
                                        <td>{ if r.gender == "M" { ctx.t("field.male") } else { ctx.t("field.female") } }</td>
                                        <td>{ age }</td>
                                        <td class="hide-phone mono">{ mask_id(&r.id_number) }</td>
                                        <td class="mono">{ &r.phone }</td>
                                        <td class="hide-phone">{ &r.grid_name }</td>
                                        <td class="hide-phone">{ &r.address }</td>
                                        <td>{ for r.tags.iter().map(|t| html!{ <span class="tag">{ t }</span> }) }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                }
                <Pager page={query.page} {pages} on_page={to_page} label={ctx.t("residents.page")} prev={ctx.t("residents.prev")} next={ctx.t("residents.next")} />
            } else {
                <p>{ ctx.t("common.loading") }</p>
            }
        </div>
    }
}
