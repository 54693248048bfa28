//! First run: a community office (name, 12-digit code, street, device, user) or a street office
//! (name, 9-digit code), or one click to load the sample community, or a full backup restored
//! (`restore`).

use crate::protocol::{ApiError, CommunitySetup, OfficeKind, Request, StreetSetup};
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use crate::ui::pages::role_options;
use yew::prelude::*;

mod restore;

#[component]
pub fn SetupPage() -> Html {
    let ctx = use_app();
    let kind = use_state(|| OfficeKind::Community);
    let form = use_state(|| CommunitySetup {
        actor_role: "community_cadre".into(),
        ..blank()
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let set = |f: fn(&mut CommunitySetup, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            f(&mut next, v);
            form.set(next);
        })
    };
    let submit = {
        let ctx = ctx.clone();
        let form = form.clone();
        let error = error.clone();
        let busy = busy.clone();
        let kind = *kind;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*form).clone();
            let req = match kind {
                OfficeKind::Community => Request::SetupCommunity(f),
                OfficeKind::Street => Request::SetupStreet(StreetSetup {
                    name: f.name,
                    code: f.code,
                    device_name: f.device_name,
                    actor_name: f.actor_name,
                }),
            };
            let ctx = ctx.clone();
            let error = error.clone();
            let busy = busy.clone();
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => ctx.refresh.emit(()),
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let load_sample = {
        let ctx = ctx.clone();
        let error = error.clone();
        let busy = busy.clone();
        Callback::from(move |_| {
            let ctx = ctx.clone();
            let error = error.clone();
            let busy = busy.clone();
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(Request::LoadSample { seed: 20261124 }).await {
                    Ok(_) => ctx.refresh.emit(()),
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let fe = |field: &str| ctx.field_error(&error, field);
    let community = *kind == OfficeKind::Community;
    let pick = |k: OfficeKind| {
        let kind = kind.clone();
        let error = error.clone();
        Callback::from(move |_| {
            kind.set(k);
            error.set(None);
        })
    };
    let set_lang = ctx.set_lang.clone();
    let next = if ctx.lang == crate::i18n::Lang::Zh {
        crate::i18n::Lang::En
    } else {
        crate::i18n::Lang::Zh
    };

    html! {
        <main class="setup">
            <div class="setup-head">
                <h1>{ ctx.t("app.name") }</h1>
                <button type="button" class="lang" aria-label={ctx.t("lang.label")} onclick={move |_| set_lang.emit(next)}>{ ctx.t("lang.switch") }</button>
            </div>
            <p class="tagline">{ ctx.t("app.tagline") }</p>
            <section class="card">
                <h2>{ ctx.t("setup.title") }</h2>
                <p>{ ctx.t("setup.intro") }</p>
                <form onsubmit={submit} novalidate=true>
                    <fieldset class="kind">
                        <legend>{ ctx.t("setup.kind") }</legend>
                        <label class="radio"><input type="radio" name="kind" checked={community} onchange={pick(OfficeKind::Community)} />{ ctx.t("setup.community") }</label>
                        <label class="radio"><input type="radio" name="kind" checked={!community} onchange={pick(OfficeKind::Street)} />{ ctx.t("setup.street") }</label>
                    </fieldset>
                    if community {
                        <Field id="name" label={ctx.t("setup.community_name")} value={form.name.clone()} oninput={set(|f, v| f.name = v)} error={fe("name")} required=true placeholder="永安社区" />
                        <Field id="code" label={ctx.t("setup.community_code")} value={form.code.clone()} oninput={set(|f, v| f.code = v)} error={fe("code")} required=true inputmode="numeric" placeholder="410103008005" />
                        <Field id="street_name" label={ctx.t("setup.street_name")} value={form.street_name.clone()} oninput={set(|f, v| f.street_name = v)} error={fe("street_name")} required=true placeholder="建中街街道" />
                    } else {
                        <p class="hint">{ ctx.t("setup.street_hint") }</p>
                        <Field id="name" label={ctx.t("setup.street_office_name")} value={form.name.clone()} oninput={set(|f, v| f.name = v)} error={fe("name")} required=true placeholder="建中街街道" />
                        <Field id="code" label={ctx.t("setup.street_code")} value={form.code.clone()} oninput={set(|f, v| f.code = v)} error={fe("code")} required=true inputmode="numeric" placeholder="410103008" />
                    }
                    <Field id="device_name" label={ctx.t("setup.device_name")} value={form.device_name.clone()} oninput={set(|f, v| f.device_name = v)} error={fe("device_name")} required=true placeholder="社区办公室电脑" />
                    <Field id="actor_name" label={ctx.t("setup.actor_name")} value={form.actor_name.clone()} oninput={set(|f, v| f.actor_name = v)} error={fe("actor_name")} required=true />
                    if community {
                        <SelectField id="actor_role" label={ctx.t("setup.actor_role")} value={form.actor_role.clone()} options={role_options(ctx.lang, false)} onchange={set(|f, v| f.actor_role = v)} error={fe("actor_role")} required=true />
                    }
                    if let Some(e) = &*error { <Banner text={ctx.error_text(e)} /> }
                    <button type="submit" class="primary" disabled={*busy}>{ ctx.t("setup.submit") }</button>
                </form>
            </section>
            <section class="card sample">
                <p class="or">{ ctx.t("setup.or") }</p>
                <button type="button" class="secondary big" onclick={load_sample} disabled={*busy}>{ ctx.t("setup.sample") }</button>
                <p class="hint">{ if *busy { ctx.t("setup.sample_loading") } else { ctx.t("setup.sample_hint") } }</p>
            </section>
            <restore::RestoreCard field=true />
            <restore::RestoreCard />
        </main>
    }
}

fn blank() -> CommunitySetup {
    CommunitySetup {
        name: String::new(),
        code: String::new(),
        street_name: String::new(),
        device_name: String::new(),
        actor_name: String::new(),
        actor_role: String::new(),
    }
}
