//! Reporting a case (上报), one column so it works with one hand on a phone.

use crate::domain::case::CHANNELS;
use crate::protocol::{ApiError, CaseForm, CategoryRow, Request, Response};
use crate::ui::app::Route;
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::{use_app, use_grid_tree};
use crate::ui::pages::grid_options;
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn CaseReportPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let code = ctx.community_code();
    let form = use_state(|| CaseForm {
        community_code: code.clone(),
        channel: "patrol".into(),
        ..Default::default()
    });
    let tree = use_grid_tree(code.clone());
    let cats = use_state(Vec::<CategoryRow>::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
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
        let (ctx, form, error, busy, nav) = (
            ctx.clone(),
            form.clone(),
            error.clone(),
            busy.clone(),
            nav.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = Request::ReportCase((*form).clone());
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
                <SelectField id="grid" label={ctx.t("case.grid")} value={form.grid_id.clone()} options={grid_opts} onchange={set(|f, v| f.grid_id = v)} error={fe("grid_id")} required=true />
                <Field id="address" label={ctx.t("case.address")} value={form.address.clone()} oninput={set(|f, v| f.address = v)} error={fe("address")} />
                <Field id="reporter_name" label={ctx.t("case.reporter_name")} value={form.reporter_name.clone()} oninput={set(|f, v| f.reporter_name = v)} error={fe("reporter_name")} hint={ctx.t("case.reporter_hint")} />
                <Field id="reporter_phone" label={ctx.t("case.reporter_phone")} value={form.reporter_phone.clone()} oninput={set(|f, v| f.reporter_phone = v)} error={fe("reporter_phone")} inputmode="tel" />
                <SelectField id="priority" label={ctx.t("case.priority")} value={if form.priority.is_empty() { "normal".to_string() } else { form.priority.clone() }} options={priority_opts} onchange={set(|f, v| f.priority = v)} />
                if let Some(e) = &*error { <Banner text={ctx.error_text(e)} /> }
                <div class="actions"><button type="submit" class="primary big" disabled={*busy}>{ ctx.t("case.submit") }</button></div>
            </form>
        </div>
    }
}
