//! One wish: who wished what by when, its state and claimer, the moves this device's user may
//! make now (claim for a volunteer, give back, fulfil with a note, minutes and photos, thank,
//! cancel) and the timeline of every step with its photos.

use super::wish_state_text;
use crate::protocol::{ApiError, PhotoIn, Request, Response, WishView};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use crate::ui::pages::cases::fmt_when;
use crate::ui::photo::{PhotoPicker, StoredPhoto};
use crate::ui::pickers::use_people;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WishViewProps {
    pub id: AttrValue,
}

#[component]
pub fn WishViewPage(p: &WishViewProps) -> Html {
    let ctx = use_app();
    let wish = use_state(|| None::<WishView>);
    let error = use_state(|| None::<ApiError>);
    let reload = use_state(|| 0u32);
    let pending = use_state(|| None::<String>);
    let note = use_state(String::new);
    let volunteer = use_state(String::new);
    let minutes = use_state(String::new);
    let photos = use_state(Vec::<PhotoIn>::new);
    // The wish's own community's people (the street's whole-street list links to any).
    let people = use_people(
        wish.as_ref()
            .map(|w| w.form.community_code.clone())
            .unwrap_or_default(),
    );
    {
        let (ctx, wish, error) = (ctx.clone(), wish.clone(), error.clone());
        use_effect_with((p.id.clone(), *reload), move |(id, _)| {
            let id = id.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::GetWish { id }).await {
                    Ok(Response::Wish(w)) => wish.set(Some(*w)),
                    Err(e) => error.set(Some(e)),
                    _ => {}
                }
            });
        });
    }
    let Some(w) = &*wish else {
        return html! {
            <div class="page">
                if let Some(e) = &*error { <Banner text={ctx.error_text(e)} /> } else { <p>{ ctx.t("common.loading") }</p> }
            </div>
        };
    };
    let choose = |m: String| {
        let (pending, note, error, photos, minutes) = (
            pending.clone(),
            note.clone(),
            error.clone(),
            photos.clone(),
            minutes.clone(),
        );
        Callback::from(move |_| {
            note.set(String::new());
            minutes.set(String::new());
            photos.set(Vec::new());
            error.set(None);
            pending.set(Some(m.clone()));
        })
    };
    let submit = {
        let (ctx, pending, note, volunteer, minutes, error, reload, photos) = (
            ctx.clone(),
            pending.clone(),
            note.clone(),
            volunteer.clone(),
            minutes.clone(),
            error.clone(),
            reload.clone(),
            photos.clone(),
        );
        let id = p.id.to_string();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(mv) = (*pending).clone() else {
                return;
            };
            let mins = minutes.trim();
            let minutes_n = if mins.is_empty() {
                0
            } else {
                match mins.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => {
                        error.set(Some(ApiError::invalid(vec![crate::protocol::FieldError {
                            field: "minutes".into(),
                            code: "wish_minutes_range".into(),
                        }])));
                        return;
                    }
                }
            };
            let req = Request::WishMove {
                wish_id: id.clone(),
                note: (*note).clone(),
                volunteer_id: if mv == "claim" {
                    (*volunteer).clone()
                } else {
                    String::new()
                },
                minutes: if mv == "fulfil" { minutes_n } else { 0 },
                photos: if mv == "fulfil" || mv == "thank" {
                    (*photos).clone()
                } else {
                    Vec::new()
                },
                mv,
            };
            let (ctx, pending, error, reload) =
                (ctx.clone(), pending.clone(), error.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => {
                        pending.set(None);
                        error.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    // Party members first (党员接单), then the others, by name.
    let mut vols = people.0.clone();
    vols.sort_by(|a, b| (!a.party_member, &a.name).cmp(&(!b.party_member, &b.name)));
    let mut vol_opts = vec![(String::new(), ctx.t("field.choose").to_string())];
    vol_opts.extend(vols.iter().map(|v| {
        let party = if v.party_member {
            format!(" · {}", ctx.t("wish.party_member"))
        } else {
            String::new()
        };
        (v.id.clone(), format!("{}{party}", v.name))
    }));
    let note_label = |m: &str| match m {
        "fulfil" => "wish.fulfil_note",
        "thank" => "wish.thanks_note",
        "cancel" => "case.reason",
        _ => "case.remark",
    };
    let r = &w.row;
    html! {
        <div class="page wish-view">
            <div class="page-head">
                <h1>{ &r.title }</h1>
                <Link<Route> to={Route::Wishes} classes="button secondary">{ ctx.t("residents.back") }</Link<Route>>
            </div>
            <section class="card">
                <p>
                    <span class={classes!("badge", format!("state-{}", r.state))}>{ wish_state_text(&ctx, &r.state) }</span>
                    if r.overdue { <span class="badge overdue">{ ctx.t("wish.overdue") }</span> }
                    if r.flagged { <span class="badge flagged">{ ctx.t("case.flagged") }</span> }
                </p>
                <dl class="facts">
                    <dt>{ ctx.t("wish.wisher") }</dt><dd>{ format!("{} {}", w.form.wisher_name, w.form.wisher_phone) }</dd>
                    <dt>{ ctx.t("case.grid") }</dt><dd>{ &r.grid_name }</dd>
                    <dt>{ ctx.t("wish.due_date") }</dt><dd>{ &r.due_date }</dd>
                    if !r.volunteer_name.is_empty() { <dt>{ ctx.t("wish.claimer") }</dt><dd>{ &r.volunteer_name }</dd> }
                    if let Some(at) = w.fulfilled_at { <dt>{ ctx.t("wish.fulfilled_at") }</dt><dd>{ fmt_when(at) }</dd> }
                    if r.minutes > 0 { <dt>{ ctx.t("wish.time_spent") }</dt><dd>{ format!("{} {}", r.minutes, ctx.t("wish.minutes_unit")) }</dd> }
                </dl>
                if !w.form.detail.is_empty() { <p class="description">{ &w.form.detail }</p> }
            </section>
            if !w.offered.is_empty() {
                <section class="card" aria-labelledby="moves-h">
                    <h2 id="moves-h">{ ctx.t("case.next_step") }</h2>
                    <div class="actions">
                        { for w.offered.iter().map(|m| html! {
                            <button type="button" class={classes!(if matches!(m.as_str(), "cancel" | "release") { "secondary" } else { "primary" })}
                                onclick={choose(m.clone())}>{ ctx.t(&format!("wish.move.{m}")) }</button>
                        }) }
                    </div>
                    if let Some(m) = &*pending {
                        <form class="form-one move-form" onsubmit={submit} novalidate=true>
                            <h3>{ ctx.t(&format!("wish.move.{m}")) }</h3>
                            if m == "claim" {
                                <SelectField id="volunteer" label={ctx.t("wish.volunteer")} value={(*volunteer).clone()} options={vol_opts.clone()}
                                    onchange={{ let v = volunteer.clone(); Callback::from(move |x| v.set(x)) }} error={ctx.field_error(&error, "volunteer_id")} required=true />
                            } else {
                                <Field id="note" label={ctx.t(note_label(m))} value={(*note).clone()} oninput={{ let n = note.clone(); Callback::from(move |v| n.set(v)) }}
                                    error={ctx.field_error(&error, "note")} required={matches!(m.as_str(), "fulfil" | "thank" | "cancel")} />
                            }
                            if m == "fulfil" {
                                <Field id="minutes" kind="number" label={ctx.t("wish.minutes")} value={(*minutes).clone()} oninput={{ let n = minutes.clone(); Callback::from(move |v| n.set(v)) }}
                                    error={ctx.field_error(&error, "minutes")} inputmode="numeric" hint={ctx.t("wish.minutes_hint")} />
                            }
                            if m == "fulfil" || m == "thank" {
                                <PhotoPicker id="move-photos" photos={(*photos).clone()} error={ctx.field_error(&error, "photos")}
                                    on_change={{ let photos = photos.clone(); Callback::from(move |p| photos.set(p)) }} />
                            }
                            if let Some(e) = &*error { <Banner text={ctx.error_text(e)} /> }
                            <div class="actions">
                                <button type="submit" class="primary">{ ctx.t("case.confirm") }</button>
                                <button type="button" class="secondary" onclick={{ let p = pending.clone(); Callback::from(move |_| p.set(None)) }}>{ ctx.t("common.cancel") }</button>
                            </div>
                        </form>
                    }
                </section>
            }
            <section class="card" aria-labelledby="timeline-h">
                <h2 id="timeline-h">{ ctx.t("case.timeline") }</h2>
                <ol class="timeline">
                    { for w.events.iter().map(|e| html! {
                        <li class={classes!(e.out_of_order.then_some("out-of-order"))}>
                            <span class="when">{ fmt_when(e.wall_at) }</span>
                            <strong>{ ctx.t(&format!("wish.move.{}", e.mv)) }</strong>
                            <span class="who">{ format!("{} · {}", e.actor, ctx.t(&format!("role.{}", e.actor_role))) }</span>
                            if !e.volunteer_name.is_empty() { <span>{ format!("→ {}", e.volunteer_name) }</span> }
                            if e.minutes > 0 { <span>{ format!("{} {}", e.minutes, ctx.t("wish.minutes_unit")) }</span> }
                            if !e.note.is_empty() { <p class="remark">{ &e.note }</p> }
                            if e.out_of_order { <p class="hint">{ ctx.t("case.out_of_order") }</p> }
                            if w.photos.iter().any(|ph| ph.event_id == e.id) {
                                <div class="event-photos">
                                    { for w.photos.iter().filter(|ph| ph.event_id == e.id).enumerate().map(|(i, ph)| html! {
                                        <StoredPhoto id={ph.id.clone()} alt={format!("{} · {} {}", ctx.t(&format!("wish.move.{}", e.mv)), ctx.t("photo.photo"), i + 1)} />
                                    }) }
                                </div>
                            }
                        </li>
                    }) }
                </ol>
            </section>
        </div>
    }
}
