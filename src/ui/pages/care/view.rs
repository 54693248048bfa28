//! One resident's care, made for a phone on a home visit: when the next visit is due, a visit
//! recorded in a few taps (a need found becomes a case or a micro-wish in one more), the "1+1"
//! pairing and cadence, the visits so far, and the resident's status history (迁出, 死亡, 迁回,
//! 户内迁移) with a form to record a change.

use crate::protocol::{
    ApiError, CareInfo, CarePlanForm, HouseholdHit, PartyTree, Request, Response, StaffRow,
    StatusForm, VisitForm,
};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use yew::prelude::*;
use yew_router::prelude::*;

fn today() -> String {
    crate::domain::date::Date::from_millis(js_sys::Date::now() as i64 + 8 * 3_600_000).to_string()
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
}

#[component]
pub fn ResidentCarePage(p: &Props) -> Html {
    let ctx = use_app();
    let id = p.id.to_string();
    let info = use_state(|| None::<CareInfo>);
    let staff = use_state(Vec::<StaffRow>::new);
    let party = use_state(|| None::<PartyTree>);
    let reload = use_state(|| 0u32);
    let load_error = use_state(|| None::<ApiError>);
    let actor = ctx.status.actor.clone();
    let visit = use_state(|| VisitForm {
        resident_id: id.clone(),
        visit_date: today(),
        visitor_id: actor.as_ref().map(|a| a.id.clone()).unwrap_or_default(),
        visitor_name: actor.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        condition: "good".into(),
        ..Default::default()
    });
    let visit_error = use_state(|| None::<ApiError>);
    let visit_saved = use_state(|| None::<(String, String)>); // (visit id, needs)
    let plan = use_state(CarePlanForm::default);
    let plan_error = use_state(|| None::<ApiError>);
    let plan_saved = use_state(|| false);
    let status = use_state(|| StatusForm {
        resident_id: id.clone(),
        kind: String::new(),
        event_date: today(),
        ..Default::default()
    });
    let status_error = use_state(|| None::<ApiError>);
    let home_text = use_state(String::new);
    let home_hits = use_state(Vec::<HouseholdHit>::new);
    let home = use_state(|| None::<HouseholdHit>);

    {
        let (ctx, info, staff, party, plan, load_error) = (
            ctx.clone(),
            info.clone(),
            staff.clone(),
            party.clone(),
            plan.clone(),
            load_error.clone(),
        );
        use_effect_with((id.clone(), *reload), move |(id, _)| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match ctx
                    .call(Request::GetCare {
                        resident_id: id.clone(),
                    })
                    .await
                {
                    Ok(Response::Care(c)) => {
                        let code = c.community_code.clone();
                        let mut p = c.plan.clone();
                        p.resident_id = id;
                        plan.set(p);
                        info.set(Some(*c));
                        if let Ok(Response::Staff(s)) = ctx
                            .call(Request::ListStaff {
                                community_code: code.clone(),
                            })
                            .await
                        {
                            staff.set(s);
                        }
                        if let Ok(Response::Party(t)) = ctx
                            .call(Request::PartyOrg {
                                community_code: code,
                            })
                            .await
                        {
                            party.set(Some(*t));
                        }
                    }
                    Err(e) => load_error.set(Some(e)),
                    _ => {}
                }
            });
        });
    }

    let set_visit = |f: fn(&mut VisitForm, String)| {
        let visit = visit.clone();
        Callback::from(move |v: String| {
            let mut next = (*visit).clone();
            f(&mut next, v);
            visit.set(next);
        })
    };
    let save_visit = {
        let (ctx, visit, visit_error, visit_saved, reload) = (
            ctx.clone(),
            visit.clone(),
            visit_error.clone(),
            visit_saved.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*visit).clone();
            let (ctx, visit, visit_error, visit_saved, reload) = (
                ctx.clone(),
                visit.clone(),
                visit_error.clone(),
                visit_saved.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::RecordVisit(f.clone())).await {
                    Ok(Response::Created { id }) => {
                        visit_error.set(None);
                        visit_saved.set(Some((id, f.needs.clone())));
                        visit.set(VisitForm {
                            needs: String::new(),
                            note: String::new(),
                            ..f
                        });
                        reload.set(*reload + 1);
                    }
                    Err(e) => visit_error.set(Some(e)),
                    _ => {}
                }
            });
        })
    };
    let save_plan = {
        let (ctx, plan, plan_error, plan_saved, reload) = (
            ctx.clone(),
            plan.clone(),
            plan_error.clone(),
            plan_saved.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*plan).clone();
            let (ctx, plan_error, plan_saved, reload) = (
                ctx.clone(),
                plan_error.clone(),
                plan_saved.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::SaveCarePlan(f)).await {
                    Ok(_) => {
                        plan_error.set(None);
                        plan_saved.set(true);
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        plan_saved.set(false);
                        plan_error.set(Some(e))
                    }
                }
            });
        })
    };
    let on_home = {
        let (ctx, home_text, home_hits, info) = (
            ctx.clone(),
            home_text.clone(),
            home_hits.clone(),
            info.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let text = crate::ui::components::input_value(&e);
            home_text.set(text.clone());
            let code = info
                .as_ref()
                .map(|i| i.community_code.clone())
                .unwrap_or_default();
            let (ctx, home_hits) = (ctx.clone(), home_hits.clone());
            if text.trim().is_empty() {
                home_hits.set(Vec::new());
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::FoundHouseholds(h)) = ctx
                    .call(Request::FindHouseholds {
                        community_code: code,
                        text,
                        limit: 8,
                    })
                    .await
                {
                    home_hits.set(h);
                }
            });
        })
    };
    let save_status = {
        let (ctx, status, status_error, reload, home) = (
            ctx.clone(),
            status.clone(),
            status_error.clone(),
            reload.clone(),
            home.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = StatusForm {
                to_household_id: home.as_ref().map(|h| h.id.clone()).unwrap_or_default(),
                ..(*status).clone()
            };
            let (ctx, status, status_error, reload, home) = (
                ctx.clone(),
                status.clone(),
                status_error.clone(),
                reload.clone(),
                home.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::ChangeStatus(f.clone())).await {
                    Ok(_) => {
                        status_error.set(None);
                        status.set(StatusForm {
                            kind: String::new(),
                            note: String::new(),
                            ..f
                        });
                        home.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => status_error.set(Some(e)),
                }
            });
        })
    };

    let Some(c) = &*info else {
        return html! {
            <div class="page">
                if let Some(e) = &*load_error { <Banner text={ctx.error_text(e)} /> } else { <p>{ ctx.t("common.loading") }</p> }
            </div>
        };
    };
    let condition_opts: Vec<(String, String)> = crate::domain::care::CONDITIONS
        .iter()
        .map(|k| {
            (
                k.to_string(),
                ctx.t(&format!("care.condition_{k}")).to_string(),
            )
        })
        .collect();
    let mut worker_opts = vec![(String::new(), ctx.t("care.none").to_string())];
    worker_opts.extend(staff.iter().map(|s| (s.id.clone(), s.name.clone())));
    let mut member_opts = vec![(String::new(), ctx.t("care.none").to_string())];
    if let Some(t) = &*party {
        member_opts.extend(t.members.iter().map(|m| {
            let org = t
                .orgs
                .iter()
                .find(|o| o.id == m.org_id)
                .map(|o| o.name.as_str())
                .unwrap_or("");
            (m.id.clone(), format!("{} · {org}", m.name))
        }));
    }
    let kinds: Vec<&str> = ["moved", "moved_out", "died", "returned"]
        .into_iter()
        .filter(|k| crate::domain::care::may_change(&c.status, k))
        .collect();
    let mut kind_opts = vec![(String::new(), ctx.t("field.choose").to_string())];
    kind_opts.extend(
        kinds
            .iter()
            .map(|k| (k.to_string(), ctx.t(&format!("care.event_{k}")).to_string())),
    );
    let vfe = |f: &str| ctx.field_error(&visit_error, f);
    let pfe = |f: &str| ctx.field_error(&plan_error, f);
    let sfe = |f: &str| ctx.field_error(&status_error, f);
    let needs_home = matches!(status.kind.as_str(), "moved" | "returned");

    html! {
        <div class="page resident-care">
            <div class="page-head">
                <h1>{ &c.name }
                    if c.status != "active" { <span class="badge muted">{ ctx.t(&format!("residents.status_{}", c.status)) }</span> }
                </h1>
                <div class="actions">
                    <Link<Route> to={Route::Resident { id: c.resident_id.clone() }} classes="button secondary">{ ctx.t("care.resident_record") }</Link<Route>>
                    <Link<Route> to={Route::Care} classes="button secondary">{ ctx.t("care.title") }</Link<Route>>
                </div>
            </div>
            <section class={classes!("card", "due", (c.state == "overdue").then_some("alert"))} id="care-due">
                if c.cadence == 0 {
                    <p>{ ctx.t("care.no_plan") }</p>
                } else {
                    <p class="due-line">
                        <strong>{ match c.state.as_str() {
                            "overdue" => format!("{} {} {}", ctx.t("care.overdue_by"), c.overdue_days, ctx.t("care.days")),
                            "soon" => ctx.t("care.soon").to_string(),
                            _ => ctx.t("care.ok").to_string(),
                        } }</strong>
                        { format!(" · {} {} · {}{}{}", ctx.t("care.due_on"), c.due_date, ctx.t("care.every"), c.cadence, ctx.t("care.days")) }
                    </p>
                    <p class="hint">{ if c.last_visit.is_empty() { ctx.t("care.never_visited").to_string() } else { format!("{} {}", ctx.t("care.last"), c.last_visit) } }</p>
                }
                <p class="tags">{ for c.tags.iter().map(|t| html!{ <span class="tag">{ format!("{}{}", t.name, if t.visit_days > 0 { format!(" · {}{}", t.visit_days, ctx.t("care.days")) } else { String::new() }) }</span> }) }</p>
            </section>

            if c.status == "active" {
            <section class="card" aria-labelledby="visit-h">
                <h2 id="visit-h">{ ctx.t("care.record_visit") }</h2>
                <form class="visit-form" onsubmit={save_visit} novalidate=true>
                    <Field id="visit_date" kind="date" label={ctx.t("care.visit_date")} value={visit.visit_date.clone()} oninput={set_visit(|f, v| f.visit_date = v)} error={vfe("visit_date")} required=true />
                    <Field id="visitor_name" label={ctx.t("care.visitor")} value={visit.visitor_name.clone()} oninput={set_visit(|f, v| { f.visitor_name = v; f.visitor_id.clear(); })} error={vfe("visitor_name")} required=true />
                    <fieldset class={classes!("field", vfe("condition").is_some().then_some("has-error"))}>
                        <legend>{ ctx.t("care.condition") }</legend>
                        { for condition_opts.iter().map(|(k, l)| {
                            let onchange = { let set = set_visit(|f, v| f.condition = v); let k = k.clone(); Callback::from(move |_: Event| set.emit(k.clone())) };
                            html!{ <label class="radio"><input type="radio" name="condition" value={k.clone()} checked={visit.condition == *k} {onchange} />{ l }</label> }
                        }) }
                        if let Some(e) = vfe("condition") { <p class="error" role="alert">{ e }</p> }
                    </fieldset>
                    <div class={classes!("field", vfe("needs").is_some().then_some("has-error"))}>
                        <label for="needs">{ ctx.t("care.needs") }</label>
                        <textarea id="needs" rows="3" value={visit.needs.clone()} placeholder={ctx.t("care.needs_hint")}
                            oninput={{ let set = set_visit(|f, v| f.needs = v); Callback::from(move |e: InputEvent| set.emit(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())) }} />
                        if let Some(e) = vfe("needs") { <p class="error" role="alert">{ e }</p> }
                    </div>
                    <Field id="visit_note" label={ctx.t("care.note")} value={visit.note.clone()} oninput={set_visit(|f, v| f.note = v)} error={vfe("note")} />
                    <button type="submit" class="primary">{ ctx.t("care.save_visit") }</button>
                </form>
                if let Some((vid, needs)) = &*visit_saved {
                    <div class="banner ok" role="status" id="visit-saved">
                        <p>{ ctx.t("care.visit_saved") }</p>
                        if !needs.trim().is_empty() {
                            <p>{ ctx.t("care.need_to") }</p>
                            <div class="actions">
                                <a class="button primary" href={format!("/cases/new?{}", follow_query(vid, c, needs))}>{ ctx.t("care.to_case") }</a>
                                <a class="button secondary" href={format!("/wishes/new?{}", follow_query(vid, c, needs))}>{ ctx.t("care.to_wish") }</a>
                            </div>
                        }
                    </div>
                }
            </section>
            }

            <section class="card" aria-labelledby="visits-h">
                <h2 id="visits-h">{ format!("{} ({})", ctx.t("care.visits"), c.visits.len()) }</h2>
                if c.visits.is_empty() {
                    <p class="empty">{ ctx.t("care.no_visits") }</p>
                } else {
                    <ul class="timeline visits">
                        { for c.visits.iter().map(|v| html! {
                            <li>
                                <strong>{ &v.visit_date }</strong>
                                <span>{ format!(" · {} · {}", v.visitor_name, ctx.t(&format!("care.condition_{}", v.condition))) }</span>
                                if !v.needs.is_empty() { <p class="needs">{ format!("{}{}", ctx.t("care.needs_found"), v.needs) }</p> }
                                if !v.note.is_empty() { <p class="hint">{ &v.note }</p> }
                                if !v.case_id.is_empty() { <Link<Route> to={Route::Case { id: v.case_id.clone() }}>{ ctx.t("care.linked_case") }</Link<Route>> }
                                if !v.wish_id.is_empty() { <Link<Route> to={Route::Wish { id: v.wish_id.clone() }}>{ ctx.t("care.linked_wish") }</Link<Route>> }
                            </li>
                        }) }
                    </ul>
                }
            </section>

            <section class="card" aria-labelledby="plan-h">
                <h2 id="plan-h">{ ctx.t("care.plan") }</h2>
                <p class="hint">{ ctx.t("care.plan_hint") }</p>
                <form onsubmit={save_plan} novalidate=true>
                    <SelectField id="plan_worker" label={ctx.t("care.worker")} value={plan.worker_id.clone()} options={worker_opts}
                        onchange={{ let plan = plan.clone(); Callback::from(move |v| { let mut n = (*plan).clone(); n.worker_id = v; plan.set(n); }) }} error={pfe("worker_id")} />
                    <SelectField id="plan_member" label={ctx.t("care.party_member")} value={plan.party_member_id.clone()} options={member_opts}
                        onchange={{ let plan = plan.clone(); Callback::from(move |v| { let mut n = (*plan).clone(); n.party_member_id = v; plan.set(n); }) }} error={pfe("party_member_id")} />
                    <Field id="plan_days" kind="number" inputmode="numeric" label={ctx.t("care.own_cadence")} value={plan.visit_days.to_string()}
                        hint={Some(AttrValue::from(ctx.t("care.own_cadence_hint")))}
                        oninput={{ let plan = plan.clone(); Callback::from(move |v: String| { let mut n = (*plan).clone(); n.visit_days = v.trim().parse().unwrap_or(0); plan.set(n); }) }} error={pfe("visit_days")} />
                    <Field id="plan_note" label={ctx.t("care.note")} value={plan.note.clone()}
                        oninput={{ let plan = plan.clone(); Callback::from(move |v| { let mut n = (*plan).clone(); n.note = v; plan.set(n); }) }} error={pfe("note")} />
                    <button type="submit" class="secondary">{ ctx.t("care.save_plan") }</button>
                    if *plan_saved { <span class="hint" role="status">{ ctx.t("residents.saved") }</span> }
                </form>
            </section>

            <section class="card" aria-labelledby="status-h">
                <h2 id="status-h">{ ctx.t("care.status_history") }</h2>
                if c.events.is_empty() {
                    <p class="empty">{ ctx.t("care.no_events") }</p>
                } else {
                    <ul class="timeline events">
                        { for c.events.iter().map(|e| html! {
                            <li>
                                <strong>{ format!("{} {}", e.event_date, ctx.t(&format!("care.event_{}", e.kind))) }</strong>
                                if !e.from_address.is_empty() || !e.to_address.is_empty() {
                                    <span>{ format!(" · {} → {}", if e.from_address.is_empty() { "—" } else { &e.from_address }, if e.to_address.is_empty() { "—" } else { &e.to_address }) }</span>
                                }
                                if !e.note.is_empty() { <p class="hint">{ &e.note }</p> }
                            </li>
                        }) }
                    </ul>
                }
                if !kinds.is_empty() {
                    <form class="status-form" onsubmit={save_status} novalidate=true>
                        <SelectField id="status_kind" label={ctx.t("care.change")} value={status.kind.clone()} options={kind_opts}
                            onchange={{ let status = status.clone(); Callback::from(move |v| { let mut n = (*status).clone(); n.kind = v; status.set(n); }) }} error={sfe("kind")} />
                        <Field id="status_date" kind="date" label={ctx.t("care.event_date")} value={status.event_date.clone()}
                            oninput={{ let status = status.clone(); Callback::from(move |v| { let mut n = (*status).clone(); n.event_date = v; status.set(n); }) }} error={sfe("event_date")} />
                        if needs_home {
                            <div class={classes!("field", sfe("to_household_id").is_some().then_some("has-error"))}>
                                <label for="status_home">{ ctx.t("care.to_household") }</label>
                                if let Some(h) = &*home {
                                    <p class="picked">{ format!("{} · {}", h.address, h.grid_name) }</p>
                                }
                                <input id="status_home" type="search" value={(*home_text).clone()} oninput={on_home} placeholder={ctx.t("care.find_household")} />
                                <ul class="picker">
                                    { for home_hits.iter().map(|h| {
                                        let (home, hits, text, h2) = (home.clone(), home_hits.clone(), home_text.clone(), h.clone());
                                        html!{ <li><button type="button" onclick={Callback::from(move |_| { home.set(Some(h2.clone())); hits.set(Vec::new()); text.set(String::new()); })}>{ format!("{} · {}", h.address, h.grid_name) }</button></li> }
                                    }) }
                                </ul>
                                if let Some(e) = sfe("to_household_id") { <p class="error" role="alert">{ e }</p> }
                            </div>
                        }
                        <Field id="status_note" label={ctx.t("care.note")} value={status.note.clone()}
                            oninput={{ let status = status.clone(); Callback::from(move |v| { let mut n = (*status).clone(); n.note = v; status.set(n); }) }} error={sfe("note")} />
                        <button type="submit" class="secondary">{ ctx.t("care.record_change") }</button>
                    </form>
                }
            </section>
        </div>
    }
}

fn follow_query(visit: &str, c: &CareInfo, needs: &str) -> String {
    let q = super::FromVisit {
        visit: visit.to_string(),
        resident: c.resident_id.clone(),
        name: c.name.clone(),
        grid: c.grid_id.clone(),
        text: needs.trim().to_string(),
    };
    serde_urlencoded_like(&q)
}

/// The visit as a query string (percent-encoded).
fn serde_urlencoded_like(q: &super::FromVisit) -> String {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    format!(
        "visit={}&resident={}&name={}&grid={}&text={}",
        enc(&q.visit),
        enc(&q.resident),
        enc(&q.name),
        enc(&q.grid),
        enc(&q.text)
    )
}
