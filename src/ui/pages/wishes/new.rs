//! Recording a wish (群众点单): who wishes (a resident picked by search, or a name and phone),
//! what, and by when. One column, for a phone.

use crate::protocol::{ApiError, Request, ResidentRow, Response, WishForm};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::{use_app, use_grid_tree};
use crate::ui::pages::grid_options;
use crate::ui::pickers::ResidentPicker;
use yew::prelude::*;
use yew_router::prelude::*;

/// Today plus `days`, the office's local date.
fn in_days(days: i64) -> String {
    let now = js_sys::Date::now() as i64;
    crate::domain::date::Date::from_millis(
        now + crate::domain::calendar::CST_OFFSET_MS + days * 86_400_000,
    )
    .to_string()
}

#[component]
pub fn WishNewPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let code = ctx.community_code();
    // Opened from a home visit (/wishes/new?visit=…): the need found becomes the wish.
    let from = crate::ui::pages::care::FromVisit::read(&use_location());
    let form = use_state(|| WishForm {
        community_code: code.clone(),
        due_date: in_days(14),
        grid_id: from.as_ref().map(|v| v.grid.clone()).unwrap_or_default(),
        resident_id: from
            .as_ref()
            .map(|v| v.resident.clone())
            .unwrap_or_default(),
        wisher_name: from.as_ref().map(|v| v.name.clone()).unwrap_or_default(),
        title: from
            .as_ref()
            .map(|v| v.text.chars().take(40).collect())
            .unwrap_or_default(),
        detail: from.as_ref().map(|v| v.text.clone()).unwrap_or_default(),
        visit_id: from.as_ref().map(|v| v.visit.clone()).unwrap_or_default(),
        ..Default::default()
    });
    let tree = use_grid_tree(code.clone());
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    // The wisher picked from the residents: shown with their grid.
    let picked = use_state(|| None::<ResidentRow>);
    let set = |f: fn(&mut WishForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            f(&mut next, v);
            form.set(next);
        })
    };
    let pick = {
        let (form, picked) = (form.clone(), picked.clone());
        Callback::from(move |r: ResidentRow| {
            let mut next = (*form).clone();
            next.resident_id = r.id.clone();
            next.wisher_name = r.name.clone();
            next.wisher_phone = r.phone.clone();
            form.set(next);
            picked.set(Some(r));
        })
    };
    let unpick = {
        let (form, picked) = (form.clone(), picked.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*form).clone();
            next.resident_id.clear();
            next.wisher_name.clear();
            next.wisher_phone.clear();
            form.set(next);
            picked.set(None);
        })
    };
    let submit = {
        let (ctx, form, error, busy, nav) = (
            ctx.clone(),
            form.clone(),
            error.clone(),
            busy.clone(),
            nav.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = Request::RecordWish((*form).clone());
            let (ctx, error, busy, nav) = (ctx.clone(), error.clone(), busy.clone(), nav.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let reply = ctx.call(req).await;
                busy.set(false);
                match reply {
                    Ok(Response::Created { id }) => {
                        if let Some(nav) = nav {
                            nav.push(&Route::Wish { id });
                        }
                    }
                    Err(e) => error.set(Some(e)),
                    _ => {}
                }
            });
        })
    };
    let fe = |f: &str| ctx.field_error(&error, f);
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("field.choose"))))
        .unwrap_or_default();
    html! {
        <div class="page wish-new">
            <div class="page-head">
                <h1>{ ctx.t("wish.new") }</h1>
                <Link<Route> to={Route::Wishes} classes="button secondary">{ ctx.t("residents.back") }</Link<Route>>
            </div>
            <form class="card form-one" onsubmit={submit} novalidate=true>
                <fieldset class="reporter">
                    <legend>{ ctx.t("wish.wisher") }</legend>
                    if let Some(r) = &*picked {
                        <p class="picked">
                            <span>{ format!("{} {} · {}", r.name, r.phone, r.grid_name) }</span>
                            <button type="button" class="secondary small" onclick={unpick}>{ ctx.t("case.unpick") }</button>
                        </p>
                    } else {
                        <ResidentPicker id="wisher-search" label={ctx.t("wish.wisher_search")} community_code={code.clone()} on_pick={pick} with_phone=true hint={ctx.t("wish.wisher_hint")} />
                        <Field id="wisher_name" label={ctx.t("wish.wisher_name")} value={form.wisher_name.clone()} oninput={set(|f, v| f.wisher_name = v)} error={fe("wisher_name").or(fe("resident_id"))} />
                        <Field id="wisher_phone" label={ctx.t("wish.wisher_phone")} value={form.wisher_phone.clone()} oninput={set(|f, v| f.wisher_phone = v)} error={fe("wisher_phone")} inputmode="tel" />
                        <SelectField id="grid" label={ctx.t("case.grid")} value={form.grid_id.clone()} options={grid_opts} onchange={set(|f, v| f.grid_id = v)} error={fe("grid_id")} required=true />
                    }
                </fieldset>
                <Field id="title" label={ctx.t("wish.title_field")} value={form.title.clone()} oninput={set(|f, v| f.title = v)} error={fe("title")} required=true hint={ctx.t("wish.title_hint")} />
                <div class="field">
                    <label for="detail">{ ctx.t("wish.detail") }</label>
                    <textarea id="detail" rows="3" value={form.detail.clone()}
                        oninput={{ let s = set(|f, v| f.detail = v); Callback::from(move |e: InputEvent| s.emit(crate::ui::components::input_value(&e))) }} />
                </div>
                <Field id="due_date" kind="date" label={ctx.t("wish.due_date")} value={form.due_date.clone()} oninput={set(|f, v| f.due_date = v)} error={fe("due_date")} required=true />
                if let Some(e) = &*error { <Banner text={ctx.error_text(e)} /> }
                <div class="actions"><button type="submit" class="primary big" disabled={*busy}>{ ctx.t("wish.publish") }</button></div>
            </form>
        </div>
    }
}
