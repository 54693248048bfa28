//! Case categories (事件分类) as the office keeps them: 大类 and 小类 with filing criterion,
//! time limit, closing criterion and responsible unit. Editable; a community adds its own.

use crate::protocol::{ApiError, CategoryRow, Request, Response};
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CategoriesProps {
    pub community_code: AttrValue,
}

fn blank() -> CategoryRow {
    CategoryRow {
        limit_unit: "working_days".into(),
        limit_n: 5,
        ..Default::default()
    }
}

#[component]
pub fn CategoryEditor(p: &CategoriesProps) -> Html {
    let ctx = use_app();
    let rows = use_state(Vec::<CategoryRow>::new);
    let reload = use_state(|| 0u32);
    // The row being edited (None: the editor is closed) and whether it is new.
    let editing = use_state(|| None::<(CategoryRow, bool)>);
    let limit_text = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| false);
    {
        let (ctx, rows) = (ctx.clone(), rows.clone());
        use_effect_with((p.community_code.clone(), *reload), move |(code, _)| {
            let code = code.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::CaseCategories(c)) = ctx
                    .call(Request::CaseCategories {
                        community_code: code,
                    })
                    .await
                {
                    rows.set(c);
                }
            });
        });
    }
    let open = |row: CategoryRow, new: bool| {
        let (editing, limit_text, error, saved) = (
            editing.clone(),
            limit_text.clone(),
            error.clone(),
            saved.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            limit_text.set(row.limit_n.to_string());
            error.set(None);
            saved.set(false);
            editing.set(Some((row.clone(), new)));
        })
    };
    let set = |f: fn(&mut CategoryRow, String)| {
        let editing = editing.clone();
        Callback::from(move |v: String| {
            if let Some((mut row, new)) = (*editing).clone() {
                f(&mut row, v);
                editing.set(Some((row, new)));
            }
        })
    };
    let save = {
        let (ctx, editing, limit_text, error, reload, saved, code) = (
            ctx.clone(),
            editing.clone(),
            limit_text.clone(),
            error.clone(),
            reload.clone(),
            saved.clone(),
            p.community_code.to_string(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some((mut row, _)) = (*editing).clone() else {
                return;
            };
            // Not a number: out of range, said next to the field by the store.
            row.limit_n = limit_text.trim().parse().unwrap_or(-1);
            if row.parent_code.as_deref() == Some("") {
                row.parent_code = None;
            }
            let (ctx, editing, error, reload, saved) = (
                ctx.clone(),
                editing.clone(),
                error.clone(),
                reload.clone(),
                saved.clone(),
            );
            let req = Request::SaveCategory {
                community_code: code.clone(),
                row,
            };
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => {
                        error.set(None);
                        editing.set(None);
                        saved.set(true);
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let groups: Vec<&CategoryRow> = rows.iter().filter(|c| c.parent_code.is_none()).collect();
    let mut parent_opts = vec![(String::new(), ctx.t("settings.cat_is_group").to_string())];
    parent_opts.extend(
        groups
            .iter()
            .map(|g| (g.code.clone(), format!("{} {}", g.code, g.name))),
    );
    let unit_opts = vec![
        (
            "working_hours".to_string(),
            ctx.t("case.unit.working_hours").to_string(),
        ),
        (
            "working_days".to_string(),
            ctx.t("case.unit.working_days").to_string(),
        ),
    ];
    let fe = |f: &str| ctx.field_error(&error, f);
    html! {
        <section class="card" aria-labelledby="cats-h">
            <h2 id="cats-h">{ ctx.t("settings.categories") }</h2>
            <p class="hint">{ ctx.t("settings.categories_hint") }</p>
            <div class="actions">
                <button type="button" class="secondary" onclick={open(CategoryRow { parent_code: groups.first().map(|g| g.code.clone()), ..blank() }, true)}>{ ctx.t("settings.cat_add") }</button>
            </div>
            if let Some((row, new)) = &*editing {
                <form class="form-grid category-form" onsubmit={save} novalidate=true>
                    <Field id="cat_code" label={ctx.t("settings.cat_code")} value={row.code.clone()} oninput={set(|r, v| r.code = v)} error={fe("code")} required=true
                        hint={(!new).then(|| AttrValue::from(ctx.t("settings.cat_code_fixed")))} />
                    if *new {
                        <SelectField id="cat_parent" label={ctx.t("settings.cat_parent")} value={row.parent_code.clone().unwrap_or_default()} options={parent_opts.clone()}
                            onchange={set(|r, v| r.parent_code = Some(v))} error={fe("parent_code")} />
                    }
                    <Field id="cat_name" label={ctx.t("settings.cat_name")} value={row.name.clone()} oninput={set(|r, v| r.name = v)} error={fe("name")} required=true />
                    if row.parent_code.as_deref().is_some_and(|p| !p.is_empty()) {
                        <Field id="cat_limit" kind="number" label={ctx.t("case.limit")} value={(*limit_text).clone()}
                            oninput={{ let l = limit_text.clone(); Callback::from(move |v| l.set(v)) }} error={fe("limit_n")} inputmode="numeric" required=true />
                        <SelectField id="cat_unit" label={ctx.t("settings.cat_unit")} value={row.limit_unit.clone()} options={unit_opts.clone()} onchange={set(|r, v| r.limit_unit = v)} error={fe("limit_unit")} />
                        <Field id="cat_filing" label={ctx.t("case.filing")} value={row.filing.clone()} oninput={set(|r, v| r.filing = v)} />
                        <Field id="cat_closing" label={ctx.t("settings.cat_closing")} value={row.closing.clone()} oninput={set(|r, v| r.closing = v)} />
                        <Field id="cat_unit_name" label={ctx.t("case.responsible")} value={row.unit.clone()} oninput={set(|r, v| r.unit = v)} />
                    }
                    if let Some(e) = &*error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                    <div class="actions wide">
                        <button type="submit" class="primary">{ ctx.t("settings.save") }</button>
                        <button type="button" class="secondary" onclick={{ let e = editing.clone(); Callback::from(move |_| e.set(None)) }}>{ ctx.t("common.cancel") }</button>
                    </div>
                </form>
            }
            if *saved { <Banner kind="ok" text={ctx.t("residents.saved").to_string()} /> }
            <div class="table-wrap">
                <table class="categories">
                    <thead><tr>
                        <th>{ ctx.t("settings.cat_code") }</th><th>{ ctx.t("settings.cat_name") }</th><th>{ ctx.t("case.limit") }</th>
                        <th>{ ctx.t("case.responsible") }</th><th></th>
                    </tr></thead>
                    <tbody>
                        { for groups.iter().map(|g| html! {
                            <>
                                <tr class="group">
                                    <td>{ &g.code }</td><td colspan="3"><strong>{ &g.name }</strong></td>
                                    <td><button type="button" class="secondary small" onclick={open((*g).clone(), false)}>{ ctx.t("settings.cat_edit") }</button></td>
                                </tr>
                                { for rows.iter().filter(|c| c.parent_code.as_deref() == Some(g.code.as_str())).map(|c| html! {
                                    <tr>
                                        <td>{ &c.code }</td>
                                        <td title={c.filing.clone()}>{ &c.name }</td>
                                        <td>{ format!("{} {}", c.limit_n, ctx.t(&format!("case.unit.{}", c.limit_unit))) }</td>
                                        <td>{ &c.unit }</td>
                                        <td><button type="button" class="secondary small" onclick={open(c.clone(), false)}>{ ctx.t("settings.cat_edit") }</button></td>
                                    </tr>
                                }) }
                            </>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
