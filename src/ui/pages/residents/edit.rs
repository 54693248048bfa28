//! Create or edit one resident: ID number, birth date and gender checked together, phone,
//! grid and household (a new household can be added in place), and key-group tags.

use crate::protocol::{
    ApiError, GridTree, HouseholdForm, HouseholdRow, Request, ResidentForm, Response, TagRow,
};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use crate::ui::pages::grid_options;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditProps {
    /// Empty for a new resident.
    pub id: AttrValue,
}

#[component]
pub fn ResidentEditPage(p: &EditProps) -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let code = ctx.community_code();
    let form = use_state(|| ResidentForm {
        community_code: code.clone(),
        ..Default::default()
    });
    let tree = use_state(|| None::<GridTree>);
    let tags = use_state(Vec::<TagRow>::new);
    let households = use_state(Vec::<HouseholdRow>::new);
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| false);
    let busy = use_state(|| false);
    let new_hh = use_state(|| None::<HouseholdForm>);
    let hh_error = use_state(|| None::<ApiError>);
    let hh_reload = use_state(|| 0u32);

    {
        let (ctx, form, tree, tags, error, saved) = (
            ctx.clone(),
            form.clone(),
            tree.clone(),
            tags.clone(),
            error.clone(),
            saved.clone(),
        );
        let code = code.clone();
        use_effect_with(p.id.clone(), move |id| {
            let id = id.to_string();
            error.set(None);
            // A new resident starts empty now, not when the lists below arrive: by then the
            // person may have typed.
            if id.is_empty() {
                saved.set(false);
                form.set(ResidentForm {
                    community_code: code.clone(),
                    ..Default::default()
                });
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
                        community_code: code.clone(),
                    })
                    .await
                {
                    tags.set(t);
                }
                if !id.is_empty() {
                    match ctx.call(Request::GetResident { id }).await {
                        Ok(Response::Resident(r)) => form.set(r),
                        Err(e) => error.set(Some(e)),
                        _ => {}
                    }
                }
            });
        });
    }
    {
        let (ctx, households) = (ctx.clone(), households.clone());
        use_effect_with((form.grid_id.clone(), *hh_reload), move |(grid, _)| {
            let grid = grid.clone();
            if grid.is_empty() {
                households.set(Vec::new());
            } else {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::Households(h)) =
                        ctx.call(Request::ListHouseholds { grid_id: grid }).await
                    {
                        households.set(h);
                    }
                });
            }
        });
    }

    let set = |f: fn(&mut ResidentForm, String)| {
        let (form, saved) = (form.clone(), saved.clone());
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            f(&mut next, v);
            form.set(next);
            saved.set(false);
        })
    };
    let on_household = {
        let (form, households) = (form.clone(), households.clone());
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            if let Some(h) = households.iter().find(|h| h.id == v) {
                next.grid_id = h.grid_id.clone();
            }
            next.household_id = v;
            form.set(next);
        })
    };
    let toggle_tag = |tag: String| {
        let form = form.clone();
        Callback::from(move |_| {
            let mut next = (*form).clone();
            if let Some(i) = next.tag_ids.iter().position(|t| *t == tag) {
                next.tag_ids.remove(i);
            } else {
                next.tag_ids.push(tag.clone());
            }
            form.set(next);
        })
    };
    let submit = {
        let (ctx, form, error, saved, busy, nav) = (
            ctx.clone(),
            form.clone(),
            error.clone(),
            saved.clone(),
            busy.clone(),
            nav.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*form).clone();
            let (ctx, form, error, saved, busy, nav) = (
                ctx.clone(),
                form.clone(),
                error.clone(),
                saved.clone(),
                busy.clone(),
                nav.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let was_new = f.id.is_empty();
                match ctx.call(Request::SaveResident(f.clone())).await {
                    Ok(Response::Created { id }) => {
                        error.set(None);
                        saved.set(true);
                        if was_new {
                            form.set(ResidentForm {
                                id: id.clone(),
                                ..f
                            });
                            if let Some(nav) = nav {
                                nav.replace(&Route::Resident { id });
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        saved.set(false);
                        error.set(Some(e));
                    }
                }
                busy.set(false);
            });
        })
    };
    let delete = {
        let (ctx, form, error, nav) = (ctx.clone(), form.clone(), error.clone(), nav.clone());
        Callback::from(move |_| {
            let ok = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(ctx.t("residents.confirm_delete"))
                        .ok()
                })
                .unwrap_or(false);
            if !ok {
                return;
            }
            let (ctx, id, error, nav) = (ctx.clone(), form.id.clone(), error.clone(), nav.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::DeleteResident { id }).await {
                    Ok(_) => {
                        if let Some(nav) = nav {
                            nav.push(&Route::Residents);
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let open_hh = {
        let (new_hh, form, code) = (new_hh.clone(), form.clone(), code.clone());
        Callback::from(move |_| {
            new_hh.set(Some(HouseholdForm {
                community_code: code.clone(),
                grid_id: form.grid_id.clone(),
                ..Default::default()
            }))
        })
    };
    let set_hh = |f: fn(&mut HouseholdForm, String)| {
        let new_hh = new_hh.clone();
        Callback::from(move |v: String| {
            if let Some(mut h) = (*new_hh).clone() {
                f(&mut h, v);
                new_hh.set(Some(h));
            }
        })
    };
    let save_hh = {
        let (ctx, new_hh, hh_error, form, hh_reload) = (
            ctx.clone(),
            new_hh.clone(),
            hh_error.clone(),
            form.clone(),
            hh_reload.clone(),
        );
        Callback::from(move |_| {
            let Some(mut h) = (*new_hh).clone() else {
                return;
            };
            if h.grid_id.is_empty() {
                h.grid_id = form.grid_id.clone();
            }
            let (ctx, new_hh, hh_error, form, hh_reload) = (
                ctx.clone(),
                new_hh.clone(),
                hh_error.clone(),
                form.clone(),
                hh_reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::SaveHousehold(h.clone())).await {
                    Ok(Response::Created { id }) => {
                        let mut next = (*form).clone();
                        next.household_id = id;
                        next.grid_id = h.grid_id;
                        form.set(next);
                        new_hh.set(None);
                        hh_error.set(None);
                        hh_reload.set(*hh_reload + 1);
                    }
                    Ok(_) => {}
                    Err(e) => hh_error.set(Some(e)),
                }
            });
        })
    };

    let fe = |field: &str| ctx.field_error(&error, field);
    let hfe = |field: &str| ctx.field_error(&hh_error, field);
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("field.choose"))))
        .unwrap_or_default();
    let mut hh_opts = vec![(String::new(), ctx.t("field.no_household").to_string())];
    hh_opts.extend(households.iter().map(|h| (h.id.clone(), h.address())));
    let gender_opts = vec![
        (String::new(), ctx.t("field.choose").to_string()),
        ("M".to_string(), ctx.t("field.male").to_string()),
        ("F".to_string(), ctx.t("field.female").to_string()),
    ];
    let title = if form.id.is_empty() {
        ctx.t("residents.new")
    } else {
        ctx.t("residents.edit")
    };

    html! {
        <div class="page resident-edit">
            <div class="page-head">
                <h1>{ title }</h1>
                <div class="actions">
                    if !form.id.is_empty() {
                        <Link<Route> to={Route::ResidentCare { id: form.id.clone() }} classes="button secondary">{ ctx.t("residents.care") }</Link<Route>>
                    }
                    <Link<Route> to={Route::Residents} classes="button">{ ctx.t("residents.back") }</Link<Route>>
                </div>
            </div>
            <form class="card form-grid" onsubmit={submit} novalidate=true>
                <Field id="name" label={ctx.t("field.name")} value={form.name.clone()} oninput={set(|f, v| f.name = v)} error={fe("name")} required=true autocomplete="off" />
                <Field id="id_number" label={ctx.t("field.id_number")} value={form.id_number.clone()} oninput={set(|f, v| f.id_number = v)} error={fe("id_number")} autocomplete="off" />
                <SelectField id="gender" label={ctx.t("field.gender")} value={form.gender.clone()} options={gender_opts} onchange={set(|f, v| f.gender = v)} error={fe("gender")} required=true />
                <Field id="birth_date" label={ctx.t("field.birth_date")} kind="date" value={form.birth_date.clone()} oninput={set(|f, v| f.birth_date = v)} error={fe("birth_date")} required=true />
                <Field id="phone" label={ctx.t("field.phone")} kind="tel" value={form.phone.clone()} oninput={set(|f, v| f.phone = v)} error={fe("phone")} inputmode="tel" />
                <SelectField id="grid_id" label={ctx.t("field.grid")} value={form.grid_id.clone()} options={grid_opts} onchange={set(|f, v| { f.grid_id = v; f.household_id.clear(); })} error={fe("grid_id")} required=true />
                <div class="household-pick">
                    <SelectField id="household_id" label={ctx.t("field.household")} value={form.household_id.clone()} options={hh_opts} onchange={on_household} error={fe("household_id")} />
                    if new_hh.is_none() && !form.grid_id.is_empty() {
                        <button type="button" class="link" onclick={open_hh}>{ ctx.t("residents.new_household") }</button>
                    }
                </div>
                if let Some(h) = &*new_hh {
                    <fieldset class="inline-form">
                        <legend>{ ctx.t("residents.new_household") }</legend>
                        <Field id="hh_building" label={ctx.t("field.building")} value={h.building.clone()} oninput={set_hh(|h, v| h.building = v)} error={hfe("building")} required=true />
                        <Field id="hh_unit" label={ctx.t("field.unit")} value={h.unit.clone()} oninput={set_hh(|h, v| h.unit = v)} error={hfe("unit")} />
                        <Field id="hh_room" label={ctx.t("field.room")} value={h.room.clone()} oninput={set_hh(|h, v| h.room = v)} error={hfe("room")} required=true />
                        <div class="actions">
                            <button type="button" class="secondary" onclick={save_hh}>{ ctx.t("common.save") }</button>
                            <button type="button" onclick={{ let n = new_hh.clone(); move |_| n.set(None) }}>{ ctx.t("common.cancel") }</button>
                        </div>
                    </fieldset>
                }
                <Field id="relation" label={ctx.t("field.relation")} value={form.relation.clone()} oninput={set(|f, v| f.relation = v)} error={fe("relation")} />
                <Field id="note" label={ctx.t("field.note")} value={form.note.clone()} oninput={set(|f, v| f.note = v)} error={fe("note")} />
                if form.id.is_empty() {
                    <SelectField id="arrival" label={ctx.t("residents.arrival")} value={form.arrival.clone()}
                        options={vec![
                            (String::new(), ctx.t("residents.arrival_none").to_string()),
                            ("born".to_string(), ctx.t("care.event_born").to_string()),
                            ("moved_in".to_string(), ctx.t("care.event_moved_in").to_string()),
                        ]}
                        onchange={set(|f, v| f.arrival = v)} error={fe("arrival")} />
                }
                <fieldset class="tags wide">
                    <legend>{ ctx.t("field.tags") }</legend>
                    { for tags.iter().map(|t| html! {
                        <label class="check">
                            <input type="checkbox" checked={form.tag_ids.contains(&t.id)} onchange={toggle_tag(t.id.clone())} />
                            { &t.name }
                        </label>
                    }) }
                    if let Some(e) = fe("tag_ids") { <p class="error" role="alert">{ e }</p> }
                </fieldset>
                <div class="wide">
                    if let Some(e) = &*error { <Banner text={ctx.error_text(e)} /> }
                    if *saved { <Banner kind="ok" text={ctx.t("residents.saved").to_string()} /> }
                </div>
                <div class="actions wide">
                    <button type="submit" class="primary" disabled={*busy}>{ if *busy { ctx.t("common.saving") } else { ctx.t("common.save") } }</button>
                    if !form.id.is_empty() {
                        <button type="button" class="danger" onclick={delete}>{ ctx.t("residents.delete") }</button>
                    }
                </div>
            </form>
        </div>
    }
}
