//! Reporting a case (上报), one column so it works with one hand on a phone.

use crate::domain::case::CHANNELS;
use crate::protocol::{
    ApiError, CaseForm, CategoryRow, HouseholdHit, Request, ResidentRow, Response,
};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::{use_app, use_grid_tree};
use crate::ui::pages::grid_options;
use crate::ui::photo::PhotoPicker;
use crate::ui::pickers::ResidentPicker;
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn CaseReportPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let code = ctx.community_code();
    // Opened from a home visit (/cases/new?visit=…): the need found becomes the case.
    let from = crate::ui::pages::care::FromVisit::read(&use_location());
    let form = use_state(|| match &from {
        Some(v) => CaseForm {
            community_code: code.clone(),
            channel: "visit".into(),
            grid_id: v.grid.clone(),
            title: v.text.chars().take(60).collect(),
            description: v.text.clone(),
            reporter_id: v.resident.clone(),
            reporter_name: v.name.clone(),
            visit_id: v.visit.clone(),
            ..Default::default()
        },
        None => CaseForm {
            community_code: code.clone(),
            channel: "patrol".into(),
            ..Default::default()
        },
    });
    let tree = use_grid_tree(code.clone());
    let cats = use_state(Vec::<CategoryRow>::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    // Kept apart from the form: pictures finish downscaling while the person types on.
    let photos = use_state(Vec::<crate::protocol::PhotoIn>::new);
    // The reporter picked from the residents, and the household picked as the place.
    let place_text = use_state(String::new);
    let place_hits = use_state(Vec::<HouseholdHit>::new);
    let place = use_state(|| None::<HouseholdHit>);
    let place_seq = use_mut_ref(|| 0u32);
    let on_place = {
        let (ctx, code, place_text, place_hits, seq) = (
            ctx.clone(),
            code.clone(),
            place_text.clone(),
            place_hits.clone(),
            place_seq.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let text = crate::ui::components::input_value(&e);
            place_text.set(text.clone());
            if text.trim().is_empty() {
                place_hits.set(Vec::new());
                return;
            }
            let n = {
                let mut s = seq.borrow_mut();
                *s += 1;
                *s
            };
            let (ctx, place_hits, seq, code) =
                (ctx.clone(), place_hits.clone(), seq.clone(), code.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::FoundHouseholds(h)) = ctx
                    .call(Request::FindHouseholds {
                        community_code: code,
                        text,
                        limit: 8,
                    })
                    .await
                {
                    if *seq.borrow() == n {
                        place_hits.set(h);
                    }
                }
            });
        })
    };
    let pick_place = {
        let (form, place, place_hits, place_text) = (
            form.clone(),
            place.clone(),
            place_hits.clone(),
            place_text.clone(),
        );
        move |h: Option<HouseholdHit>| {
            let (form, place, place_hits, place_text) = (
                form.clone(),
                place.clone(),
                place_hits.clone(),
                place_text.clone(),
            );
            Callback::from(move |_: MouseEvent| {
                let mut next = (*form).clone();
                match &h {
                    Some(h) => {
                        next.household_id = h.id.clone();
                        next.grid_id = h.grid_id.clone();
                        if next.address.trim().is_empty() {
                            next.address = h.address.clone();
                        }
                    }
                    None => next.household_id.clear(),
                }
                form.set(next);
                place.set(h.clone());
                place_hits.set(Vec::new());
                place_text.set(String::new());
            })
        }
    };
    let pick_who = {
        let form = form.clone();
        Callback::from(move |r: ResidentRow| {
            let mut next = (*form).clone();
            next.reporter_id = r.id.clone();
            next.reporter_name = r.name.clone();
            next.reporter_phone = r.phone.clone();
            form.set(next);
        })
    };
    let unpick_who = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*form).clone();
            next.reporter_id.clear();
            next.reporter_name.clear();
            next.reporter_phone.clear();
            form.set(next);
        })
    };

    {
        let (ctx, cats) = (ctx.clone(), cats.clone());
        use_effect_with(code.clone(), move |code| {
            let code = code.clone();
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
        });
    }
    let set = |f: fn(&mut CaseForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            f(&mut next, v);
            form.set(next);
        })
    };
    let submit = {
        let (ctx, form, error, busy, nav, photos) = (
            ctx.clone(),
            form.clone(),
            error.clone(),
            busy.clone(),
            nav.clone(),
            photos.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = Request::ReportCase(CaseForm {
                photos: (*photos).clone(),
                ..(*form).clone()
            });
            let (ctx, error, busy, nav) = (ctx.clone(), error.clone(), busy.clone(), nav.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let reply = ctx.call(req).await;
                busy.set(false);
                match reply {
                    Ok(Response::Created { id }) => {
                        if let Some(nav) = nav {
                            nav.push(&Route::Case { id });
                        }
                    }
                    Err(e) => error.set(Some(e)),
                    _ => {}
                }
            });
        })
    };
    let fe = |f: &str| ctx.field_error(&error, f);
    let mut cat_opts = vec![(String::new(), ctx.t("field.choose").to_string())];
    for g in cats.iter().filter(|c| c.parent_code.is_none()) {
        for i in cats
            .iter()
            .filter(|c| c.parent_code.as_deref() == Some(g.code.as_str()))
        {
            cat_opts.push((i.code.clone(), format!("{} › {}", g.name, i.name)));
        }
    }
    let chosen = cats.iter().find(|c| c.code == form.category_code).cloned();
    let channel_opts: Vec<(String, String)> = CHANNELS
        .iter()
        .map(|c| {
            (
                c.to_string(),
                ctx.t(&format!("case.channel.{c}")).to_string(),
            )
        })
        .collect();
    let priority_opts = vec![
        (
            "normal".to_string(),
            ctx.t("case.priority.normal").to_string(),
        ),
        (
            "urgent".to_string(),
            ctx.t("case.priority.urgent").to_string(),
        ),
    ];
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("field.choose"))))
        .unwrap_or_default();
    html! {
        <div class="page case-report">
            <div class="page-head">
                <h1>{ ctx.t("case.report_title") }</h1>
                <Link<Route> to={Route::Cases} classes="button secondary">{ ctx.t("residents.back") }</Link<Route>>
            </div>
            <form class="card form-one" onsubmit={submit} novalidate=true>
                <SelectField id="channel" label={ctx.t("case.channel")} value={form.channel.clone()} options={channel_opts} onchange={set(|f, v| f.channel = v)} error={fe("channel")} required=true />
                <SelectField id="category" label={ctx.t("case.category")} value={form.category_code.clone()} options={cat_opts} onchange={set(|f, v| f.category_code = v)} error={fe("category_code")} required=true />
                if let Some(c) = chosen {
                    <p class="hint">{ format!("{}: {} · {}: {} {} · {}: {}", ctx.t("case.filing"), c.filing, ctx.t("case.limit"), c.limit_n,
                        ctx.t(&format!("case.unit.{}", c.limit_unit)), ctx.t("case.responsible"), c.unit) }</p>
                }
                <Field id="title" label={ctx.t("case.title_field")} value={form.title.clone()} oninput={set(|f, v| f.title = v)} error={fe("title")} required=true />
                <div class="field">
                    <label for="description">{ ctx.t("case.description") }</label>
                    <textarea id="description" rows="3" value={form.description.clone()}
                        oninput={{ let s = set(|f, v| f.description = v); Callback::from(move |e: InputEvent| s.emit(crate::ui::components::input_value(&e))) }} />
                </div>
                <fieldset class="place">
                    <legend>{ ctx.t("case.place") }</legend>
                    if let Some(h) = &*place {
                        <p class="picked">
                            <span>{ format!("{} · {}", h.address, h.grid_name) }</span>
                            <button type="button" class="secondary small" onclick={pick_place(None)}>{ ctx.t("case.unpick") }</button>
                        </p>
                    } else {
                        <div class="field">
                            <label for="place-search">{ ctx.t("case.household_search") }</label>
                            <input id="place-search" type="search" value={(*place_text).clone()} oninput={on_place} placeholder={ctx.t("case.household_hint")} autocomplete="off" />
                            if !place_hits.is_empty() {
                                <ul class="picker" role="listbox" aria-label={ctx.t("case.household_search")}>
                                    { for place_hits.iter().map(|h| html! {
                                        <li><button type="button" role="option" onclick={pick_place(Some(h.clone()))}>{ format!("{} · {}", h.address, h.grid_name) }</button></li>
                                    }) }
                                </ul>
                            }
                        </div>
                        <SelectField id="grid" label={ctx.t("case.grid")} value={form.grid_id.clone()} options={grid_opts} onchange={set(|f, v| f.grid_id = v)} error={fe("grid_id")} required=true />
                    }
                    <Field id="address" label={ctx.t("case.address_detail")} value={form.address.clone()} oninput={set(|f, v| f.address = v)} error={fe("address")} />
                </fieldset>
                <fieldset class="reporter">
                    <legend>{ ctx.t("case.reporter") }</legend>
                    if !form.reporter_id.is_empty() {
                        <p class="picked">
                            <span>{ format!("{} {}", form.reporter_name, form.reporter_phone) }</span>
                            <button type="button" class="secondary small" onclick={unpick_who}>{ ctx.t("case.unpick") }</button>
                        </p>
                    } else {
                        <ResidentPicker id="reporter-search" label={ctx.t("case.reporter_search")} community_code={code.clone()} on_pick={pick_who} with_phone=true />
                        <Field id="reporter_name" label={ctx.t("case.reporter_name")} value={form.reporter_name.clone()} oninput={set(|f, v| f.reporter_name = v)} error={fe("reporter_name")} hint={ctx.t("case.reporter_hint")} />
                        <Field id="reporter_phone" label={ctx.t("case.reporter_phone")} value={form.reporter_phone.clone()} oninput={set(|f, v| f.reporter_phone = v)} error={fe("reporter_phone")} inputmode="tel" />
                    }
                </fieldset>
                <PhotoPicker id="photos" photos={(*photos).clone()} error={fe("photos")}
                    on_change={{ let photos = photos.clone(); Callback::from(move |p| photos.set(p)) }} />
                <SelectField id="priority" label={ctx.t("case.priority")} value={if form.priority.is_empty() { "normal".to_string() } else { form.priority.clone() }} options={priority_opts} onchange={set(|f, v| f.priority = v)} />
                if let Some(e) = &*error { <Banner text={ctx.error_text(e)} /> }
                <div class="actions"><button type="submit" class="primary big" disabled={*busy}>{ ctx.t("case.submit") }</button></div>
            </form>
        </div>
    }
}
