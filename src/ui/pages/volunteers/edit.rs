//! Create or edit one volunteer: who (a resident picked by search, or an outside person), the
//! grid they serve, skills and when they are free, party membership and — for in-service party
//! members registered at the community (在职党员报到) — the work unit and the posts claimed,
//! and the teams.

use crate::domain::volunteer::{AVAILABILITY, POSTS, SKILLS};
use crate::protocol::{ApiError, Request, ResidentRow, Response, TeamRow, VolunteerForm};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::{use_app, use_grid_tree, AppCtx};
use crate::ui::pages::grid_options;
use crate::ui::pickers::ResidentPicker;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditProps {
    /// Empty for a new volunteer.
    pub id: AttrValue,
}

/// A group of checkboxes over `codes`, labelled by `prefix.<code>`.
fn checks(
    ctx: &AppCtx,
    id: &str,
    legend: &str,
    codes: &[(String, String)],
    chosen: &[String],
    on_toggle: Callback<String>,
    error: Option<String>,
) -> Html {
    html! {
        <fieldset class={classes!("wide", error.is_some().then_some("has-error"))} id={id.to_string()}>
            <legend>{ ctx.t(legend) }</legend>
            <div class="checks">
                { for codes.iter().map(|(code, label)| {
                    let checked = chosen.contains(code);
                    let cb = on_toggle.clone();
                    let c = code.clone();
                    html! { <label class="check"><input type="checkbox" {checked} onchange={Callback::from(move |_: Event| cb.emit(c.clone()))} />{ label }</label> }
                }) }
            </div>
            if let Some(e) = error { <p class="error" role="alert">{ e }</p> }
        </fieldset>
    }
}

fn toggle(list: &mut Vec<String>, code: String) {
    if let Some(i) = list.iter().position(|c| *c == code) {
        list.remove(i);
    } else {
        list.push(code);
    }
}

#[component]
pub fn VolunteerEditPage(p: &EditProps) -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let form = use_state(|| VolunteerForm {
        community_code: ctx.community_code(),
        ..Default::default()
    });
    // A volunteer's own community (the street's whole-street list links to any of them).
    let code = form.community_code.clone();
    let tree = use_grid_tree(code.clone());
    let teams = use_state(Vec::<TeamRow>::new);
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| false);
    {
        let (ctx, form, teams, error, code) = (
            ctx.clone(),
            form.clone(),
            teams.clone(),
            error.clone(),
            code.clone(),
        );
        use_effect_with(p.id.clone(), move |id| {
            let id = id.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                let mut code = code;
                if !id.is_empty() {
                    match ctx.call(Request::GetVolunteer { id }).await {
                        Ok(Response::Volunteer(v)) => {
                            code = v.community_code.clone();
                            form.set(*v);
                        }
                        Err(e) => error.set(Some(e)),
                        _ => {}
                    }
                }
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
    let set = |f: fn(&mut VolunteerForm, String)| {
        let (form, saved) = (form.clone(), saved.clone());
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
            saved.set(false);
        })
    };
    let flip = |f: fn(&mut VolunteerForm)| {
        let (form, saved) = (form.clone(), saved.clone());
        Callback::from(move |_: Event| {
            let mut n = (*form).clone();
            f(&mut n);
            form.set(n);
            saved.set(false);
        })
    };
    let toggler = |f: fn(&mut VolunteerForm) -> &mut Vec<String>| {
        let (form, saved) = (form.clone(), saved.clone());
        Callback::from(move |code: String| {
            let mut n = (*form).clone();
            toggle(f(&mut n), code);
            form.set(n);
            saved.set(false);
        })
    };
    let pick = {
        let form = form.clone();
        Callback::from(move |r: ResidentRow| {
            let mut n = (*form).clone();
            n.resident_id = r.id.clone();
            n.resident_label = format!("{} · {}", r.name, r.birth_date);
            n.name = r.name.clone();
            if !r.phone.is_empty() {
                n.phone = r.phone.clone();
            }
            n.grid_id = r.grid_id.clone();
            form.set(n);
        })
    };
    let unlink = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            let mut n = (*form).clone();
            n.resident_id.clear();
            n.resident_label.clear();
            form.set(n);
        })
    };
    let submit = {
        let (ctx, form, error, saved, nav) = (
            ctx.clone(),
            form.clone(),
            error.clone(),
            saved.clone(),
            nav.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*form).clone();
            let (ctx, form, error, saved, nav) = (
                ctx.clone(),
                form.clone(),
                error.clone(),
                saved.clone(),
                nav.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::SaveVolunteer(f.clone())).await {
                    Ok(Response::Created { id }) => {
                        error.set(None);
                        saved.set(true);
                        if f.id.is_empty() {
                            if let Some(nav) = nav {
                                nav.replace(&Route::Volunteer { id: id.clone() });
                            }
                        }
                        form.set(VolunteerForm { id, ..f });
                    }
                    Err(e) => error.set(Some(e)),
                    _ => {}
                }
            });
        })
    };
    let delete = {
        let (ctx, form, error, nav) = (ctx.clone(), form.clone(), error.clone(), nav.clone());
        Callback::from(move |_: MouseEvent| {
            let ok = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(ctx.t("volunteer.confirm_delete"))
                        .ok()
                })
                .unwrap_or(false);
            if !ok {
                return;
            }
            let (ctx, id, error, nav) = (ctx.clone(), form.id.clone(), error.clone(), nav.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::DeleteVolunteer { id }).await {
                    Ok(_) => {
                        if let Some(nav) = nav {
                            nav.push(&Route::Volunteers);
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let fe = |f: &str| ctx.field_error(&error, f);
    let labels = |codes: &[&str], prefix: &str| -> Vec<(String, String)> {
        codes
            .iter()
            .map(|c| (c.to_string(), ctx.t(&format!("{prefix}.{c}")).to_string()))
            .collect()
    };
    let team_opts: Vec<(String, String)> = teams
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("volunteer.no_grid"))))
        .unwrap_or_default();
    let f = &*form;
    html! {
        <div class="page volunteer-edit">
            <div class="page-head">
                <h1>{ if f.id.is_empty() { ctx.t("volunteer.add") } else { ctx.t("volunteer.edit") } }</h1>
                <Link<Route> to={Route::Volunteers} classes="button secondary">{ ctx.t("residents.back") }</Link<Route>>
            </div>
            <form class="card form-grid" onsubmit={submit} novalidate=true>
                <fieldset class="wide reporter">
                    <legend>{ ctx.t("volunteer.who") }</legend>
                    if !f.resident_id.is_empty() {
                        <p class="picked">
                            <span>{ format!("{}: {}", ctx.t("volunteer.is_resident"), f.resident_label) }</span>
                            <button type="button" class="secondary small" onclick={unlink}>{ ctx.t("volunteer.unlink") }</button>
                        </p>
                    } else {
                        <ResidentPicker id="resident-search" label={ctx.t("volunteer.find_resident")} community_code={code.clone()} on_pick={pick}
                            hint={ctx.t("volunteer.outside_hint")} />
                    }
                </fieldset>
                <Field id="name" label={ctx.t("field.name")} value={f.name.clone()} oninput={set(|f, v| f.name = v)} error={fe("name")} required=true />
                <Field id="phone" label={ctx.t("field.phone")} value={f.phone.clone()} oninput={set(|f, v| f.phone = v)} error={fe("phone")} inputmode="tel" />
                <SelectField id="grid" label={ctx.t("volunteer.grid")} value={f.grid_id.clone()} options={grid_opts} onchange={set(|f, v| f.grid_id = v)} error={fe("grid_id")} />
                { checks(&ctx, "skills", "volunteer.skills", &labels(SKILLS, "volunteer.skill"), &f.skills, toggler(|f| &mut f.skills), fe("skills")) }
                { checks(&ctx, "availability", "volunteer.availability", &labels(AVAILABILITY, "volunteer.when"), &f.availability, toggler(|f| &mut f.availability), fe("availability")) }
                <label class="check wide"><input id="party_member" type="checkbox" checked={f.party_member} onchange={flip(|f| f.party_member = !f.party_member)} />{ ctx.t("volunteer.party_member") }</label>
                if let Some(e) = fe("party_member") { <p class="error wide" role="alert">{ e }</p> }
                <label class="check wide"><input id="in_service" type="checkbox" checked={f.in_service} onchange={flip(|f| f.in_service = !f.in_service)} />{ ctx.t("volunteer.in_service") }</label>
                if f.in_service {
                    <Field id="work_unit" label={ctx.t("volunteer.work_unit")} value={f.work_unit.clone()} oninput={set(|f, v| f.work_unit = v)} error={fe("work_unit")} required=true />
                    { checks(&ctx, "posts", "volunteer.posts", &labels(POSTS, "volunteer.post"), &f.posts, toggler(|f| &mut f.posts), fe("posts")) }
                }
                { checks(&ctx, "teams", "volunteer.teams", &team_opts, &f.team_ids, toggler(|f| &mut f.team_ids), fe("team_ids")) }
                <Field id="note" label={ctx.t("field.note")} value={f.note.clone()} oninput={set(|f, v| f.note = v)} />
                if let Some(e) = &*error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                if *saved { <div class="wide"><Banner kind="ok" text={ctx.t("residents.saved").to_string()} /></div> }
                <div class="actions wide">
                    <button type="submit" class="primary">{ ctx.t("settings.save") }</button>
                    if !f.id.is_empty() {
                        <button type="button" class="secondary" onclick={delete}>{ ctx.t("volunteer.delete") }</button>
                    }
                </div>
            </form>
            if !p.id.is_empty() {
                <super::hours::VolunteerHoursCard volunteer_id={p.id.clone()} />
            }
        </div>
    }
}
