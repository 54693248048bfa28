//! Volunteers (志愿者) and their teams: the list with search and filters (team, skill, grid,
//! party members; in the URL), the teams with their leaders, and the volunteer form.

mod edit;
mod hours;

pub use edit::VolunteerEditPage;
pub use hours::{CaseHoursForm, TimeBankPage};

use crate::domain::volunteer::SKILLS;
use crate::protocol::{
    ApiError, Request, Response, TeamForm, TeamRow, VolunteerPage, VolunteerQuery,
};
use crate::ui::app::Route;
use crate::ui::components::{select_value, Banner, Field, Pager, SelectField};
use crate::ui::ctx::{use_app, use_grid_tree, AppCtx};
use crate::ui::pages::grid_options;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

const PAGE_SIZE: u32 = 30;

/// /volunteers?q=…&team=…&skill=…&grid=…&party=true&page=…
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VolunteerListQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub team: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub skill: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub grid: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub party: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub page: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

pub fn skill_text(ctx: &AppCtx, code: &str) -> &'static str {
    ctx.t(&format!("volunteer.skill.{code}"))
}

#[component]
pub fn VolunteersPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let query: VolunteerListQuery = use_location()
        .and_then(|l| l.query::<VolunteerListQuery>().ok())
        .unwrap_or_default();
    // The whole street's volunteers when the street office picked it.
    let code = ctx.scope_code();
    let tree = use_grid_tree(code.clone());
    let page = use_state(|| None::<VolunteerPage>);
    let teams = use_state(Vec::<TeamRow>::new);
    let reload_teams = use_state(|| 0u32);
    let text = use_state(|| query.q.clone());
    let latest = use_mut_ref(|| 0u32);
    {
        let (ctx, teams) = (ctx.clone(), teams.clone());
        use_effect_with((code.clone(), *reload_teams), move |(code, _)| {
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::Teams(t)) = ctx
                    .call(Request::ListTeams {
                        community_code: code,
                    })
                    .await
                {
                    teams.set(t);
                }
            });
        });
    }
    {
        let (ctx, page, latest) = (ctx.clone(), page.clone(), latest.clone());
        use_effect_with(
            (code.clone(), query.clone(), *reload_teams),
            move |(code, q, _)| {
                let req = Request::ListVolunteers(VolunteerQuery {
                    community_code: code.clone(),
                    text: q.q.clone(),
                    team_id: q.team.clone(),
                    skill: q.skill.clone(),
                    grid_id: q.grid.clone(),
                    party_only: q.party,
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
                        if let Ok(Response::Volunteers(p)) = reply {
                            page.set(Some(p));
                        }
                    }
                });
            },
        );
    }
    let go = {
        let nav = nav.clone();
        move |q: VolunteerListQuery| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(&Route::Volunteers, &q);
            }
        }
    };
    let pick = |f: fn(&mut VolunteerListQuery, String)| {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |e: Event| {
            let mut n = q.clone();
            f(&mut n, select_value(&e));
            n.page = 0;
            go(n)
        })
    };
    let on_search = {
        let (q, go, text) = (query.clone(), go.clone(), text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            go(VolunteerListQuery {
                q: (*text).clone(),
                page: 0,
                ..q.clone()
            })
        })
    };
    let on_party = {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |_: Event| {
            go(VolunteerListQuery {
                party: !q.party,
                page: 0,
                ..q.clone()
            })
        })
    };
    let to_page = {
        let (q, go) = (query.clone(), go.clone());
        Callback::from(move |n: u32| {
            go(VolunteerListQuery {
                page: n,
                ..q.clone()
            })
        })
    };
    let mut team_opts = vec![(String::new(), ctx.t("volunteer.all_teams").to_string())];
    team_opts.extend(teams.iter().map(|t| {
        let name = if code.is_empty() {
            format!("{} · {}", t.name, ctx.community_name(&t.community_code))
        } else {
            t.name.clone()
        };
        (t.id.clone(), name)
    }));
    let mut skill_opts = vec![(String::new(), ctx.t("volunteer.all_skills").to_string())];
    skill_opts.extend(
        SKILLS
            .iter()
            .map(|s| (s.to_string(), skill_text(&ctx, s).to_string())),
    );
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("residents.all_grids"))))
        .unwrap_or_default();
    let pages = page
        .as_ref()
        .map(|p| p.total.div_ceil(PAGE_SIZE as u64).max(1) as u32)
        .unwrap_or(1);
    let select = |label: &'static str,
                  opts: &[(String, String)],
                  value: &str,
                  cb: Callback<Event>| {
        html! {
            <div class="field">
                <select aria-label={ctx.t(label)} onchange={cb}>
                    { for opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={v == value}>{ l }</option> }) }
                </select>
            </div>
        }
    };
    html! {
        <div class="page volunteers">
            <div class="page-head">
                <h1>{ ctx.t("volunteer.title") }</h1>
                <div class="actions">
                    <Link<Route> to={Route::Hours} classes="button secondary">{ ctx.t("nav.hours") }</Link<Route>>
                    if !code.is_empty() {
                        <Link<Route> to={Route::NewVolunteer} classes="button primary">{ ctx.t("volunteer.add") }</Link<Route>>
                    }
                </div>
            </div>
            <div class="filters" role="search">
                <form class="field grow" onsubmit={on_search}>
                    <input id="volunteer-search" type="search" value={(*text).clone()} placeholder={ctx.t("volunteer.search")} aria-label={ctx.t("volunteer.search")}
                        oninput={{ let t = text.clone(); Callback::from(move |e: InputEvent| t.set(crate::ui::components::input_value(&e))) }} />
                </form>
                { select("volunteer.team_filter", &team_opts, &query.team, pick(|q, v| q.team = v)) }
                { select("volunteer.skill_filter", &skill_opts, &query.skill, pick(|q, v| q.skill = v)) }
                { select("residents.grid_filter", &grid_opts, &query.grid, pick(|q, v| q.grid = v)) }
                <label class="check"><input type="checkbox" checked={query.party} onchange={on_party} />{ ctx.t("volunteer.party_only") }</label>
            </div>
            if let Some(p) = &*page {
                <p class="count" aria-live="polite">{ format!("{} {}", ctx.t("residents.total"), p.total) }</p>
                if p.rows.is_empty() {
                    <p class="empty">{ ctx.t("volunteer.empty") }</p>
                } else {
                    <div class="table-wrap">
                        <table class="list volunteer-list">
                            <thead><tr>
                                <th>{ ctx.t("field.name") }</th>
                                <th>{ ctx.t("volunteer.skills") }</th>
                                <th class="hide-phone">{ ctx.t("volunteer.availability") }</th>
                                <th>{ ctx.t("volunteer.teams") }</th>
                                <th class="hide-phone">{ ctx.t("field.phone") }</th>
                            </tr></thead>
                            <tbody>
                                { for p.rows.iter().map(|r| html! {
                                    <tr>
                                        <td>
                                            <Link<Route> to={Route::Volunteer { id: r.id.clone() }}>{ &r.name }</Link<Route>>
                                            if r.in_service { <span class="badge party">{ ctx.t("volunteer.in_service_short") }</span> }
                                            else if r.party_member { <span class="badge party">{ ctx.t("volunteer.party_short") }</span> }
                                            if code.is_empty() { <span class="meta">{ ctx.community_name(&r.community_code) }</span> }
                                            if !r.grid_name.is_empty() { <span class="meta">{ &r.grid_name }</span> }
                                        </td>
                                        <td>{ r.skills.iter().map(|s| skill_text(&ctx, s)).collect::<Vec<_>>().join("、") }</td>
                                        <td class="hide-phone">{ r.availability.iter().map(|a| ctx.t(&format!("volunteer.when.{a}"))).collect::<Vec<_>>().join("、") }</td>
                                        <td>{ r.teams.join("、") }</td>
                                        <td class="hide-phone">{ &r.phone }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                }
                <Pager page={query.page} {pages} on_page={to_page} label={ctx.t("residents.page")} prev={ctx.t("residents.prev")} next={ctx.t("residents.next")} />
            } else {
                <p>{ ctx.t("common.loading") }</p>
            }
            <Teams community_code={code.clone()} teams={(*teams).clone()} on_saved={{ let r = reload_teams.clone(); Callback::from(move |_| r.set(*r + 1)) }} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TeamsProps {
    community_code: String,
    teams: Vec<TeamRow>,
    on_saved: Callback<()>,
}

/// The teams, each with its leader and size; a new team or a changed one in a small form.
#[component]
fn Teams(p: &TeamsProps) -> Html {
    let ctx = use_app();
    let editing = use_state(|| None::<TeamForm>);
    let members = use_state(Vec::<(String, String)>::new);
    let error = use_state(|| None::<ApiError>);
    let open = |t: Option<&TeamRow>| {
        let (editing, members, error, ctx, code) = (
            editing.clone(),
            members.clone(),
            error.clone(),
            ctx.clone(),
            p.community_code.clone(),
        );
        let form = match t {
            Some(t) => TeamForm {
                id: t.id.clone(),
                // The team's own community (the whole street's list holds many).
                community_code: t.community_code.clone(),
                name: t.name.clone(),
                leader_id: t.leader_id.clone(),
                note: t.note.clone(),
            },
            None => TeamForm {
                community_code: code.clone(),
                ..Default::default()
            },
        };
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            members.set(Vec::new());
            editing.set(Some(form.clone()));
            if !form.id.is_empty() {
                let (ctx, members, q) = (
                    ctx.clone(),
                    members.clone(),
                    VolunteerQuery {
                        community_code: code.clone(),
                        team_id: form.id.clone(),
                        offset: 0,
                        limit: 200,
                        ..Default::default()
                    },
                );
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::Volunteers(v)) = ctx.call(Request::ListVolunteers(q)).await
                    {
                        members.set(v.rows.into_iter().map(|r| (r.id, r.name)).collect());
                    }
                });
            }
        })
    };
    let save = {
        let (ctx, editing, error, on_saved) = (
            ctx.clone(),
            editing.clone(),
            error.clone(),
            p.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(f) = (*editing).clone() else { return };
            let (ctx, editing, error, on_saved) = (
                ctx.clone(),
                editing.clone(),
                error.clone(),
                on_saved.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::SaveTeam(f)).await {
                    Ok(_) => {
                        editing.set(None);
                        error.set(None);
                        on_saved.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let set = |f: fn(&mut TeamForm, String)| {
        let editing = editing.clone();
        Callback::from(move |v: String| {
            if let Some(mut t) = (*editing).clone() {
                f(&mut t, v);
                editing.set(Some(t));
            }
        })
    };
    let mut leader_opts = vec![(String::new(), ctx.t("volunteer.no_leader").to_string())];
    leader_opts.extend(members.iter().cloned());
    html! {
        <section class="card" aria-labelledby="teams-h">
            <div class="page-head">
                <h2 id="teams-h">{ ctx.t("volunteer.teams") }</h2>
                if !p.community_code.is_empty() {
                    <button type="button" class="secondary" onclick={open(None)}>{ ctx.t("volunteer.add_team") }</button>
                }
            </div>
            if let Some(f) = &*editing {
                <form class="form-grid" onsubmit={save} novalidate=true>
                    <Field id="team_name" label={ctx.t("volunteer.team_name")} value={f.name.clone()} oninput={set(|t, v| t.name = v)} error={ctx.field_error(&error, "name")} required=true />
                    if !f.id.is_empty() {
                        <SelectField id="team_leader" label={ctx.t("volunteer.leader")} value={f.leader_id.clone()} options={leader_opts} onchange={set(|t, v| t.leader_id = v)} error={ctx.field_error(&error, "leader_id")} />
                    }
                    <Field id="team_note" label={ctx.t("field.note")} value={f.note.clone()} oninput={set(|t, v| t.note = v)} />
                    if let Some(e) = &*error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                    <div class="actions wide">
                        <button type="submit" class="primary">{ ctx.t("settings.save") }</button>
                        <button type="button" class="secondary" onclick={{ let e = editing.clone(); Callback::from(move |_| e.set(None)) }}>{ ctx.t("common.cancel") }</button>
                    </div>
                </form>
            }
            <ul class="teams">
                { for p.teams.iter().map(|t| html! {
                    <li>
                        <Link<Route, VolunteerListQuery> to={Route::Volunteers} query={Some(VolunteerListQuery { team: t.id.clone(), ..Default::default() })}>{ &t.name }</Link<Route, VolunteerListQuery>>
                        <span class="meta">{ format!("{}{} {} · {}: {}", if p.community_code.is_empty() { format!("{} · ", ctx.community_name(&t.community_code)) } else { String::new() }, t.members, ctx.t("volunteer.people"), ctx.t("volunteer.leader"), if t.leader_name.is_empty() { "—" } else { t.leader_name.as_str() }) }</span>
                        <button type="button" class="secondary small" onclick={open(Some(t))}>{ ctx.t("settings.cat_edit") }</button>
                    </li>
                }) }
            </ul>
        </section>
    }
}
