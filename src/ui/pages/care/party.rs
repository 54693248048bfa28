//! The party organisation on the grids (seeds 002, 004): grid party branches (网格党支部),
//! building party groups (楼栋党小组), their members and 党员中心户, with counts per grid; a
//! member is added from the residents (their household can be made a 党员中心户) or by name.

use crate::protocol::{
    ApiError, PartyMemberForm, PartyOrgForm, PartyTree, Request, ResidentRow, Response,
};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::{use_app, use_grid_tree};
use crate::ui::pages::grid_options;
use crate::ui::pickers::ResidentPicker;
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn PartyPage() -> Html {
    let ctx = use_app();
    let code = ctx.community_code();
    let tree = use_grid_tree(code.clone());
    let party = use_state(|| None::<PartyTree>);
    let reload = use_state(|| 0u32);
    let org = use_state(|| PartyOrgForm {
        community_code: code.clone(),
        kind: "branch".into(),
        ..Default::default()
    });
    let org_error = use_state(|| None::<ApiError>);
    let member = use_state(PartyMemberForm::default);
    let member_error = use_state(|| None::<ApiError>);
    let picked = use_state(|| None::<ResidentRow>);
    let saved = use_state(|| None::<&'static str>);
    {
        let (ctx, party) = (ctx.clone(), party.clone());
        use_effect_with((code.clone(), *reload), move |(code, _)| {
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::Party(t)) = ctx
                    .call(Request::PartyOrg {
                        community_code: code,
                    })
                    .await
                {
                    party.set(Some(*t));
                }
            });
        });
    }
    let save_org = {
        let (ctx, org, org_error, reload, saved, code) = (
            ctx.clone(),
            org.clone(),
            org_error.clone(),
            reload.clone(),
            saved.clone(),
            code.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*org).clone();
            let (ctx, org, org_error, reload, saved, code) = (
                ctx.clone(),
                org.clone(),
                org_error.clone(),
                reload.clone(),
                saved.clone(),
                code.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::SavePartyOrg(f.clone())).await {
                    Ok(_) => {
                        org_error.set(None);
                        org.set(PartyOrgForm {
                            community_code: code,
                            kind: f.kind,
                            grid_id: f.grid_id,
                            parent_id: f.parent_id,
                            ..Default::default()
                        });
                        saved.set(Some("party.org_saved"));
                        reload.set(*reload + 1);
                    }
                    Err(e) => org_error.set(Some(e)),
                }
            });
        })
    };
    let save_member = {
        let (ctx, member, member_error, reload, saved, picked) = (
            ctx.clone(),
            member.clone(),
            member_error.clone(),
            reload.clone(),
            saved.clone(),
            picked.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*member).clone();
            let (ctx, member, member_error, reload, saved, picked) = (
                ctx.clone(),
                member.clone(),
                member_error.clone(),
                reload.clone(),
                saved.clone(),
                picked.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::SavePartyMember(f.clone())).await {
                    Ok(_) => {
                        member_error.set(None);
                        member.set(PartyMemberForm {
                            org_id: f.org_id,
                            ..Default::default()
                        });
                        picked.set(None);
                        saved.set(Some("party.member_saved"));
                        reload.set(*reload + 1);
                    }
                    Err(e) => member_error.set(Some(e)),
                }
            });
        })
    };
    let pick = {
        let (member, picked) = (member.clone(), picked.clone());
        Callback::from(move |r: ResidentRow| {
            let mut n = (*member).clone();
            n.resident_id = r.id.clone();
            n.name = r.name.clone();
            n.phone = r.phone.clone();
            member.set(n);
            picked.set(Some(r));
        })
    };
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("field.choose"))))
        .unwrap_or_default();
    let Some(t) = &*party else {
        return html! { <div class="page"><p>{ ctx.t("common.loading") }</p></div> };
    };
    let mut branch_opts = vec![(String::new(), ctx.t("care.none").to_string())];
    branch_opts.extend(
        t.orgs
            .iter()
            .filter(|o| o.kind == "branch")
            .map(|o| (o.id.clone(), o.name.clone())),
    );
    let mut org_opts = vec![(String::new(), ctx.t("field.choose").to_string())];
    org_opts.extend(t.orgs.iter().map(|o| (o.id.clone(), o.name.clone())));
    let kind_opts: Vec<(String, String)> = crate::domain::care::ORG_KINDS
        .iter()
        .map(|k| (k.to_string(), ctx.t(&format!("party.kind_{k}")).to_string()))
        .collect();
    let role_opts: Vec<(String, String)> = crate::domain::care::MEMBER_ROLES
        .iter()
        .map(|k| (k.to_string(), ctx.t(&format!("party.role_{k}")).to_string()))
        .collect();
    let ofe = |f: &str| ctx.field_error(&org_error, f);
    let mfe = |f: &str| ctx.field_error(&member_error, f);
    let centers = t
        .members
        .iter()
        .filter(|m| !m.center_household_id.is_empty())
        .count();

    html! {
        <div class="page party">
            <div class="page-head">
                <h1>{ ctx.t("party.title") }</h1>
                <Link<Route> to={Route::Care} classes="button secondary">{ ctx.t("care.title") }</Link<Route>>
            </div>
            <dl class="figures">
                <div><dt>{ ctx.t("party.branches") }</dt><dd>{ t.orgs.iter().filter(|o| o.kind == "branch").count() }</dd></div>
                <div><dt>{ ctx.t("party.groups") }</dt><dd>{ t.orgs.iter().filter(|o| o.kind == "group").count() }</dd></div>
                <div><dt>{ ctx.t("party.members") }</dt><dd id="party-members">{ t.members.len() }</dd></div>
                <div><dt>{ ctx.t("party.centers") }</dt><dd id="party-centers">{ centers }</dd></div>
            </dl>
            if let Some(k) = *saved { <Banner kind="ok" text={ctx.t(k).to_string()} /> }
            <section class="card">
                <h2>{ ctx.t("party.by_grid") }</h2>
                <table class="list counts">
                    <thead><tr><th>{ ctx.t("field.grid") }</th><th>{ ctx.t("party.orgs") }</th><th>{ ctx.t("party.members") }</th><th>{ ctx.t("party.centers") }</th></tr></thead>
                    <tbody>{ for t.by_grid.iter().map(|g| html!{ <tr><td>{ &g.name }</td><td>{ g.soon }</td><td>{ g.people }</td><td>{ g.overdue }</td></tr> }) }</tbody>
                </table>
            </section>
            { for t.orgs.iter().filter(|o| o.kind == "branch").map(|b| {
                let groups: Vec<_> = t.orgs.iter().filter(|o| o.parent_id == b.id).collect();
                let members_of = |org: &str| t.members.iter().filter(|m| m.org_id == org).map(|m| html! {
                    <li>
                        <span class="name">{ &m.name }</span>
                        if m.role != "member" { <span class="badge">{ ctx.t(&format!("party.role_{}", m.role)) }</span> }
                        if !m.center_address.is_empty() { <span class="badge center">{ format!("{} {}", ctx.t("party.center"), m.center_address) }</span> }
                        if m.pairs > 0 { <span class="hint">{ format!(" · {} {}", ctx.t("party.pairs"), m.pairs) }</span> }
                    </li>
                }).collect::<Html>();
                html! {
                    <section class="card org">
                        <h2>{ format!("{} · {}", b.name, b.grid_name) }</h2>
                        <ul class="members">{ members_of(&b.id) }</ul>
                        { for groups.iter().map(|g| html! {
                            <div class="group">
                                <h3>{ format!("{} · {}", g.name, g.grid_name) }</h3>
                                <ul class="members">{ members_of(&g.id) }</ul>
                            </div>
                        }) }
                    </section>
                }
            }) }
            <div class="two-col">
                <section class="card">
                    <h2>{ ctx.t("party.add_org") }</h2>
                    <form onsubmit={save_org} novalidate=true>
                        <SelectField id="org_kind" label={ctx.t("party.kind")} value={org.kind.clone()} options={kind_opts}
                            onchange={{ let org = org.clone(); Callback::from(move |v| { let mut n = (*org).clone(); n.kind = v; org.set(n); }) }} error={ofe("kind")} />
                        <Field id="org_name" label={ctx.t("party.name")} value={org.name.clone()} required=true
                            oninput={{ let org = org.clone(); Callback::from(move |v| { let mut n = (*org).clone(); n.name = v; org.set(n); }) }} error={ofe("name")} />
                        <SelectField id="org_grid" label={ctx.t("field.grid")} value={org.grid_id.clone()} options={grid_opts} required=true
                            onchange={{ let org = org.clone(); Callback::from(move |v| { let mut n = (*org).clone(); n.grid_id = v; org.set(n); }) }} error={ofe("grid_id")} />
                        if org.kind == "group" {
                            <SelectField id="org_parent" label={ctx.t("party.parent")} value={org.parent_id.clone()} options={branch_opts}
                                onchange={{ let org = org.clone(); Callback::from(move |v| { let mut n = (*org).clone(); n.parent_id = v; org.set(n); }) }} error={ofe("parent_id")} />
                        }
                        <button type="submit" class="secondary">{ ctx.t("common.save") }</button>
                    </form>
                </section>
                <section class="card">
                    <h2>{ ctx.t("party.add_member") }</h2>
                    <form onsubmit={save_member} novalidate=true>
                        <SelectField id="member_org" label={ctx.t("party.org")} value={member.org_id.clone()} options={org_opts} required=true
                            onchange={{ let m = member.clone(); Callback::from(move |v| { let mut n = (*m).clone(); n.org_id = v; m.set(n); }) }} error={mfe("org_id")} />
                        if let Some(r) = &*picked {
                            <p class="picked">{ format!("{} · {} {}", r.name, r.grid_name, r.address) }</p>
                        }
                        <ResidentPicker id="member-resident" label={ctx.t("party.from_residents")} community_code={code.clone()} on_pick={pick} />
                        if picked.is_none() {
                            <Field id="member_name" label={ctx.t("field.name")} value={member.name.clone()}
                                oninput={{ let m = member.clone(); Callback::from(move |v| { let mut n = (*m).clone(); n.name = v; m.set(n); }) }} error={mfe("name")} />
                            <Field id="member_phone" kind="tel" label={ctx.t("field.phone")} value={member.phone.clone()}
                                oninput={{ let m = member.clone(); Callback::from(move |v| { let mut n = (*m).clone(); n.phone = v; m.set(n); }) }} error={mfe("phone")} />
                        }
                        <SelectField id="member_role" label={ctx.t("party.role")} value={if member.role.is_empty() { "member".to_string() } else { member.role.clone() }} options={role_opts}
                            onchange={{ let m = member.clone(); Callback::from(move |v| { let mut n = (*m).clone(); n.role = v; m.set(n); }) }} error={mfe("role")} />
                        <Field id="member_joined" kind="date" label={ctx.t("party.joined_on")} value={member.joined_on.clone()}
                            oninput={{ let m = member.clone(); Callback::from(move |v| { let mut n = (*m).clone(); n.joined_on = v; m.set(n); }) }} error={mfe("joined_on")} />
                        <label class="check">
                            <input type="checkbox" checked={member.center}
                                onchange={{ let m = member.clone(); Callback::from(move |e: Event| { let mut n = (*m).clone(); n.center = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked(); m.set(n); }) }} />
                            { ctx.t("party.make_center") }
                        </label>
                        if let Some(e) = mfe("center") { <p class="error" role="alert">{ e }</p> }
                        <button type="submit" class="secondary">{ ctx.t("common.save") }</button>
                    </form>
                </section>
            </div>
        </div>
    }
}
