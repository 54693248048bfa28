//! One case: its facts, its timeline (every event, immutable) and the moves this device's user
//! may make now — nothing else is offered.

use super::{fmt_when, state_text};
use crate::protocol::{ApiError, CaseView, Request, Response};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use crate::ui::photo::{PhotoPicker, StoredPhoto};
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CaseViewProps {
    pub id: AttrValue,
}

#[component]
pub fn CaseViewPage(p: &CaseViewProps) -> Html {
    let ctx = use_app();
    let case = use_state(|| None::<CaseView>);
    let error = use_state(|| None::<ApiError>);
    let reload = use_state(|| 0u32);
    let pending = use_state(|| None::<String>);
    let remark = use_state(String::new);
    let assignee = use_state(String::new);
    let rating = use_state(|| "satisfied".to_string());
    let photos = use_state(Vec::<crate::protocol::PhotoIn>::new);
    // Who a case can go to: the community's staff (grid workers first), as suggestions.
    let staff = use_state(Vec::<crate::protocol::StaffRow>::new);
    {
        let (ctx, staff) = (ctx.clone(), staff.clone());
        let code = (*case).as_ref().map(|c| c.form.community_code.clone());
        use_effect_with(code, move |code| {
            if let Some(code) = code.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::Staff(s)) = ctx
                        .call(Request::ListStaff {
                            community_code: code,
                        })
                        .await
                    {
                        staff.set(s);
                    }
                });
            }
        });
    }
    {
        let (ctx, case, error) = (ctx.clone(), case.clone(), error.clone());
        use_effect_with((p.id.clone(), *reload), move |(id, _)| {
            let id = id.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::GetCase { id }).await {
                    Ok(Response::Case(c)) => case.set(Some(*c)),
                    Err(e) => error.set(Some(e)),
                    _ => {}
                }
            });
        });
    }
    let Some(c) = &*case else {
        return html! {
            <div class="page">
                if let Some(e) = &*error { <Banner text={ctx.error_text(e)} /> } else { <p>{ ctx.t("common.loading") }</p> }
            </div>
        };
    };
    let choose = |m: String| {
        let (pending, remark, error, photos) = (
            pending.clone(),
            remark.clone(),
            error.clone(),
            photos.clone(),
        );
        Callback::from(move |_| {
            remark.set(String::new());
            photos.set(Vec::new());
            error.set(None);
            pending.set(Some(m.clone()));
        })
    };
    let submit = {
        let (ctx, pending, remark, assignee, rating, error, reload, photos) = (
            ctx.clone(),
            pending.clone(),
            remark.clone(),
            assignee.clone(),
            rating.clone(),
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
            let req = Request::CaseMove {
                case_id: id.clone(),
                remark: (*remark).clone(),
                assignee: if mv == "dispatch" {
                    (*assignee).clone()
                } else {
                    String::new()
                },
                rating: if mv == "rate" {
                    (*rating).clone()
                } else {
                    String::new()
                },
                photos: (*photos).clone(),
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
    let needs_remark = |m: &str| matches!(m, "return" | "escalate" | "void" | "feedback");
    let rating_opts = ["satisfied", "basically_satisfied", "unsatisfied"]
        .iter()
        .map(|r| {
            (
                r.to_string(),
                ctx.t(&format!("case.rating.{r}")).to_string(),
            )
        })
        .collect::<Vec<_>>();
    let r = &c.row;
    html! {
        <div class="page case-view">
            <div class="page-head">
                <h1>{ &r.title }</h1>
                <div class="actions no-print">
                    <button type="button" class="secondary" onclick={Callback::from(|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } })}>{ ctx.t("case.print") }</button>
                    <Link<Route> to={Route::Cases} classes="button secondary">{ ctx.t("residents.back") }</Link<Route>>
                </div>
            </div>
            <p class="print-only print-head">{ format!("{} · {}", ctx.t("case.sheet"), fmt_when(r.reported_at)) }</p>
            <section class="card">
                <p>
                    <span class={classes!("badge", format!("state-{}", r.state))}>{ state_text(&ctx, &r.state) }</span>
                    if r.overdue { <span class="badge overdue">{ ctx.t("case.overdue") }</span> }
                    if r.flagged { <span class="badge flagged">{ ctx.t("case.flagged") }</span> }
                </p>
                <dl class="facts">
                    <dt>{ ctx.t("case.category") }</dt><dd>{ &r.category }</dd>
                    <dt>{ ctx.t("case.grid") }</dt><dd>{ &r.grid_name }</dd>
                    <dt>{ ctx.t("case.channel") }</dt><dd>{ ctx.t(&format!("case.channel.{}", r.channel)) }</dd>
                    <dt>{ ctx.t("case.reported_at") }</dt><dd>{ fmt_when(r.reported_at) }</dd>
                    <dt>{ ctx.t("case.deadline") }</dt><dd>{ r.deadline.map(fmt_when).unwrap_or_else(|| "—".into()) }</dd>
                    if !r.assignee.is_empty() { <dt>{ ctx.t("case.assignee") }</dt><dd>{ &r.assignee }</dd> }
                    if !c.household_address.is_empty() { <dt>{ ctx.t("case.household") }</dt><dd>{ &c.household_address }</dd> }
                    if !c.form.address.is_empty() { <dt>{ ctx.t("case.address") }</dt><dd>{ &c.form.address }</dd> }
                    if !c.form.reporter_name.is_empty() { <dt>{ ctx.t("case.reporter_name") }</dt><dd>{ format!("{} {}", c.form.reporter_name, c.form.reporter_phone) }</dd> }
                    if !c.rating.is_empty() { <dt>{ ctx.t("case.rating") }</dt><dd>{ ctx.t(&format!("case.rating.{}", c.rating)) }</dd> }
                </dl>
                if !c.form.description.is_empty() { <p class="description">{ &c.form.description }</p> }
            </section>
            if !c.offered.is_empty() {
                <section class="card no-print" aria-labelledby="moves-h">
                    <h2 id="moves-h">{ ctx.t("case.next_step") }</h2>
                    <div class="actions">
                        { for c.offered.iter().map(|m| html! {
                            <button type="button" class={classes!(if matches!(m.as_str(), "void" | "return") { "secondary" } else { "primary" })}
                                onclick={choose(m.clone())}>{ ctx.t(&format!("case.move.{m}")) }</button>
                        }) }
                    </div>
                    if let Some(m) = &*pending {
                        <form class="form-one move-form" onsubmit={submit} novalidate=true>
                            <h3>{ ctx.t(&format!("case.move.{m}")) }</h3>
                            if m == "dispatch" {
                                <Field id="assignee" label={ctx.t("case.assignee")} value={(*assignee).clone()} oninput={{ let a = assignee.clone(); Callback::from(move |v| a.set(v)) }}
                                    error={ctx.field_error(&error, "assignee")} required=true list="assignee-options" hint={ctx.t("case.assignee_hint")} />
                                <datalist id="assignee-options">
                                    if let Some(unit) = c.category.as_ref().map(|k| k.unit.clone()).filter(|u| !u.is_empty()) {
                                        <option value={unit.clone()}>{ ctx.t("case.responsible") }</option>
                                    }
                                    { for staff.iter().map(|s| html! { <option value={s.name.clone()}>{ ctx.t(&format!("role.{}", s.role)) }</option> }) }
                                </datalist>
                            }
                            if m == "rate" {
                                <SelectField id="rating" label={ctx.t("case.rating")} value={(*rating).clone()} options={rating_opts.clone()} onchange={{ let r = rating.clone(); Callback::from(move |v| r.set(v)) }} />
                            }
                            <Field id="remark" label={ctx.t(if m == "feedback" { "case.feedback_note" } else if needs_remark(m) { "case.reason" } else { "case.remark" })}
                                value={(*remark).clone()} oninput={{ let r = remark.clone(); Callback::from(move |v| r.set(v)) }}
                                error={ctx.field_error(&error, "remark")} required={needs_remark(m)} />
                            if m != "urge" {
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
                    { for c.events.iter().map(|e| html! {
                        <li class={classes!(e.out_of_order.then_some("out-of-order"))}>
                            <span class="when">{ fmt_when(e.wall_at) }</span>
                            <strong>{ ctx.t(&format!("case.move.{}", e.mv)) }</strong>
                            <span class="who">{ format!("{} · {}", e.actor, ctx.t(&format!("role.{}", e.actor_role))) }</span>
                            if !e.assignee.is_empty() { <span>{ format!("→ {}", e.assignee) }</span> }
                            if !e.rating.is_empty() { <span>{ ctx.t(&format!("case.rating.{}", e.rating)) }</span> }
                            if !e.remark.is_empty() { <p class="remark">{ &e.remark }</p> }
                            if e.out_of_order { <p class="hint">{ ctx.t("case.out_of_order") }</p> }
                            if c.photos.iter().any(|ph| ph.event_id == e.id) {
                                <div class="event-photos">
                                    { for c.photos.iter().filter(|ph| ph.event_id == e.id).enumerate().map(|(i, ph)| html! {
                                        <StoredPhoto id={ph.id.clone()} alt={format!("{} · {} {}", ctx.t(&format!("case.move.{}", e.mv)), ctx.t("photo.photo"), i + 1)} />
                                    }) }
                                </div>
                            }
                        </li>
                    }) }
                </ol>
            </section>
            <crate::ui::pages::volunteers::CaseHoursForm case_id={p.id.clone()} case_title={c.form.title.clone()} community_code={c.form.community_code.clone()} />
        </div>
    }
}
