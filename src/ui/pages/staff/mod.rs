//! Staff who work the grids: add and edit them with a role, and assign them to grids as
//! leader or worker.

use crate::domain::staff::Action;
use crate::protocol::{ApiError, GridTree, Request, Response, StaffForm, StaffRow};
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use crate::ui::pages::{grid_options, role_options};
use yew::prelude::*;

#[component]
pub fn StaffPage() -> Html {
    let ctx = use_app();
    let code = ctx.community_code();
    let staff = use_state(Vec::<StaffRow>::new);
    let tree = use_state(|| None::<GridTree>);
    let reload = use_state(|| 0u32);
    let form = use_state(|| None::<StaffForm>);
    let error = use_state(|| None::<ApiError>);
    let assign = use_state(|| None::<(String, String, String)>); // staff, grid, duty
    let assign_error = use_state(|| None::<ApiError>);

    {
        let (ctx, staff, tree) = (ctx.clone(), staff.clone(), tree.clone());
        use_effect_with((code.clone(), *reload), move |(code, _)| {
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::Staff(s)) = ctx
                    .call(Request::ListStaff {
                        community_code: code.clone(),
                    })
                    .await
                {
                    staff.set(s);
                }
                if let Ok(Response::GridTree(t)) = ctx
                    .call(Request::GridTree {
                        community_code: code,
                    })
                    .await
                {
                    tree.set(Some(t));
                }
            });
        });
    }
    let may = ctx.may(Action::ManageStaff);
    let open = |f: StaffForm| {
        let (form, error) = (form.clone(), error.clone());
        Callback::from(move |_| {
            form.set(Some(f.clone()));
            error.set(None);
        })
    };
    let set = |f: fn(&mut StaffForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            if let Some(mut s) = (*form).clone() {
                f(&mut s, v);
                form.set(Some(s));
            }
        })
    };
    let save = {
        let (ctx, form, error, reload) = (ctx.clone(), form.clone(), error.clone(), reload.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(f) = (*form).clone() else { return };
            let (ctx, form, error, reload) =
                (ctx.clone(), form.clone(), error.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::SaveStaff(f)).await {
                    Ok(_) => {
                        form.set(None);
                        error.set(None);
                        reload.set(*reload + 1);
                        ctx.refresh.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let do_assign = {
        let (ctx, assign, assign_error, reload) = (
            ctx.clone(),
            assign.clone(),
            assign_error.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some((staff_id, grid_id, duty)) = (*assign).clone() else {
                return;
            };
            let (ctx, assign, assign_error, reload) = (
                ctx.clone(),
                assign.clone(),
                assign_error.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx
                    .call(Request::AssignStaff {
                        grid_id,
                        staff_id,
                        duty,
                    })
                    .await
                {
                    Ok(_) => {
                        assign.set(None);
                        assign_error.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => assign_error.set(Some(e)),
                }
            });
        })
    };
    let unassign = |link: String| {
        let (ctx, reload) = (ctx.clone(), reload.clone());
        Callback::from(move |_| {
            let (ctx, reload, link) = (ctx.clone(), reload.clone(), link.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ctx.call(Request::UnassignStaff { link_id: link }).await;
                reload.set(*reload + 1);
            });
        })
    };
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("field.choose"))))
        .unwrap_or_default();
    let fe = |f: &str| ctx.field_error(&error, f);

    html! {
        <div class="page staff">
            <div class="page-head">
                <h1>{ ctx.t("staff.title") }</h1>
                if may {
                    <button type="button" class="primary" onclick={open(StaffForm { community_code: code.clone(), role: "full_time_worker".into(), ..Default::default() })}>{ ctx.t("staff.new") }</button>
                }
            </div>
            if let Some(f) = &*form {
                <form class="card form-grid" onsubmit={save}>
                    <Field id="staff_name" label={ctx.t("field.name")} value={f.name.clone()} oninput={set(|s, v| s.name = v)} error={fe("name")} required=true />
                    <SelectField id="staff_role" label={ctx.t("field.role")} value={f.role.clone()} options={role_options(ctx.lang, false)} onchange={set(|s, v| s.role = v)} error={fe("role")} required=true />
                    <Field id="staff_phone" label={ctx.t("field.phone")} kind="tel" value={f.phone.clone()} oninput={set(|s, v| s.phone = v)} error={fe("phone")} />
                    if let Some(e) = &*error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                    <div class="actions wide">
                        <button type="submit" class="primary">{ ctx.t("staff.save") }</button>
                        <button type="button" onclick={{ let form = form.clone(); move |_| form.set(None) }}>{ ctx.t("common.cancel") }</button>
                    </div>
                </form>
            }
            <table class="list">
                <thead><tr>
                    <th>{ ctx.t("field.name") }</th><th>{ ctx.t("field.role") }</th><th>{ ctx.t("field.phone") }</th><th>{ ctx.t("staff.grids") }</th>
                    if may { <th>{ ctx.t("field.actions") }</th> }
                </tr></thead>
                <tbody>
                    { for staff.iter().map(|s| {
                        let assigning = assign.as_ref().filter(|(id, _, _)| *id == s.id).cloned();
                        html! {
                            <tr>
                                <td>{ &s.name }</td>
                                <td>{ ctx.t(&format!("role.{}", s.role)) }</td>
                                <td class="mono">{ &s.phone }</td>
                                <td>
                                    { for s.grids.iter().map(|g| html! {
                                        <span class="tag">
                                            { format!("{} · {}", g.grid_name, ctx.t(&format!("staff.duty.{}", g.duty))) }
                                            if may { <button type="button" class="x" aria-label={format!("{} {} {}", ctx.t("staff.unassign"), s.name, g.grid_name)} onclick={unassign(g.link_id.clone())}>{"×"}</button> }
                                        </span>
                                    }) }
                                    if let Some((_, grid, duty)) = assigning {
                                        <form class="node-editor" onsubmit={do_assign.clone()}>
                                            <SelectField id="assign_grid" label={ctx.t("field.grid")} value={grid.clone()} options={grid_opts.clone()}
                                                onchange={{ let a = assign.clone(); let sid = s.id.clone(); let d = duty.clone(); Callback::from(move |v: String| a.set(Some((sid.clone(), v, d.clone())))) }} error={ctx.field_error(&assign_error, "grid")} />
                                            <SelectField id="assign_duty" label={ctx.t("staff.duty")} value={duty.clone()}
                                                options={vec![("worker".to_string(), ctx.t("staff.duty.worker").to_string()), ("leader".to_string(), ctx.t("staff.duty.leader").to_string())]}
                                                onchange={{ let a = assign.clone(); let sid = s.id.clone(); let g = grid.clone(); Callback::from(move |v: String| a.set(Some((sid.clone(), g.clone(), v)))) }} />
                                            <button type="submit" class="primary">{ ctx.t("common.save") }</button>
                                            if let Some(e) = &*assign_error { <Banner text={ctx.error_text(e)} /> }
                                        </form>
                                    }
                                </td>
                                if may {
                                    <td class="row-actions">
                                        <button type="button" class="link" onclick={open(StaffForm { id: s.id.clone(), community_code: s.community_code.clone(), name: s.name.clone(), role: s.role.clone(), phone: s.phone.clone() })} aria-label={format!("{} {}", ctx.t("staff.edit"), s.name)}>{ ctx.t("staff.edit") }</button>
                                        <button type="button" class="link" onclick={{ let a = assign.clone(); let ae = assign_error.clone(); let sid = s.id.clone(); move |_| { ae.set(None); a.set(Some((sid.clone(), String::new(), "worker".into()))) } }} aria-label={format!("{} {}", ctx.t("staff.assign"), s.name)}>{ ctx.t("staff.assign") }</button>
                                    </td>
                                }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}
