//! Settings: the language, this device's name and who is using it, the community's tags, and
//! where the data is kept.

mod backup;
mod calendar;
mod categories;

pub use backup::BackupReminder;

use crate::i18n::Lang;
use crate::protocol::{ApiError, Request, Response, StaffRow, TagRow};
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use yew::prelude::*;

#[component]
pub fn SettingsPage() -> Html {
    let ctx = use_app();
    let digest = use_state(String::new);
    {
        let (ctx, digest) = (ctx.clone(), digest.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(crate::protocol::Response::Digest(d)) =
                    ctx.call(crate::protocol::Request::Digest).await
                {
                    digest.set(d);
                }
            });
        });
    }
    let code = ctx.community_code();
    let device = use_state(|| ctx.status.device_name.clone());
    let actor = use_state(|| {
        ctx.status
            .actor
            .as_ref()
            .map(|a| a.id.clone())
            .unwrap_or_default()
    });
    let staff = use_state(Vec::<StaffRow>::new);
    let tags = use_state(Vec::<TagRow>::new);
    let reload = use_state(|| 0u32);
    let new_tag = use_state(String::new);
    let tag_error = use_state(|| None::<ApiError>);
    let device_error = use_state(|| None::<ApiError>);
    let saved = use_state(|| false);

    {
        let (ctx, staff, tags) = (ctx.clone(), staff.clone(), tags.clone());
        use_effect_with((code.clone(), *reload), move |(code, _)| {
            let code = code.clone();
            if !code.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Response::Staff(s)) = ctx
                        .call(Request::ListStaff {
                            community_code: code.clone(),
                        })
                        .await
                    {
                        staff.set(s);
                    }
                    if let Ok(Response::Tags(t)) = ctx
                        .call(Request::ListTags {
                            community_code: code,
                        })
                        .await
                    {
                        tags.set(t);
                    }
                });
            }
        });
    }
    let save_device = {
        let (ctx, device, actor, device_error, saved) = (
            ctx.clone(),
            device.clone(),
            actor.clone(),
            device_error.clone(),
            saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = Request::SetDevice {
                device_name: (*device).clone(),
                actor_staff_id: Some((*actor).clone()).filter(|a| !a.is_empty()),
            };
            let (ctx, device_error, saved) = (ctx.clone(), device_error.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => {
                        device_error.set(None);
                        saved.set(true);
                        ctx.refresh.emit(());
                    }
                    Err(e) => device_error.set(Some(e)),
                }
            });
        })
    };
    let add_tag = {
        let (ctx, new_tag, tag_error, reload, code) = (
            ctx.clone(),
            new_tag.clone(),
            tag_error.clone(),
            reload.clone(),
            code.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = Request::CreateTag {
                community_code: code.clone(),
                name: (*new_tag).clone(),
            };
            let (ctx, new_tag, tag_error, reload) = (
                ctx.clone(),
                new_tag.clone(),
                tag_error.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => {
                        new_tag.set(String::new());
                        tag_error.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => tag_error.set(Some(e)),
                }
            });
        })
    };
    let mut actor_opts = vec![(String::new(), ctx.t("field.choose").to_string())];
    actor_opts.extend(staff.iter().map(|s| {
        (
            s.id.clone(),
            format!("{} · {}", s.name, ctx.t(&format!("role.{}", s.role))),
        )
    }));
    let set_lang = ctx.set_lang.clone();
    let lang_opts = vec![
        ("zh".to_string(), "中文".to_string()),
        ("en".to_string(), "English".to_string()),
    ];

    html! {
        <div class="page settings">
            <h1>{ ctx.t("settings.title") }</h1>
            <section class="card">
                <h2>{ ctx.t("settings.language") }</h2>
                <SelectField id="language" label={ctx.t("settings.language")} value={if ctx.lang == Lang::En { "en" } else { "zh" }} options={lang_opts}
                    onchange={Callback::from(move |v: String| set_lang.emit(if v == "en" { Lang::En } else { Lang::Zh }))} />
            </section>
            <section class="card">
                <h2>{ ctx.t("settings.device") }</h2>
                <form class="form-grid" onsubmit={save_device}>
                    <Field id="device_name" label={ctx.t("setup.device_name")} value={(*device).clone()}
                        oninput={{ let d = device.clone(); let s = saved.clone(); Callback::from(move |v| { d.set(v); s.set(false); }) }} error={ctx.field_error(&device_error, "device_name")} required=true />
                    if !staff.is_empty() {
                        <SelectField id="actor" label={ctx.t("settings.actor")} value={(*actor).clone()} options={actor_opts}
                            onchange={{ let a = actor.clone(); let s = saved.clone(); Callback::from(move |v| { a.set(v); s.set(false); }) }} />
                    }
                    <p class="hint wide">{ format!("{}: {}", ctx.t("settings.device_id"), ctx.status.device_id) }</p>
                    if let Some(e) = &*device_error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                    if *saved { <div class="wide"><Banner kind="ok" text={ctx.t("residents.saved").to_string()} /></div> }
                    <div class="actions wide"><button type="submit" class="primary">{ ctx.t("settings.save") }</button></div>
                </form>
            </section>
            if !code.is_empty() {
                <section class="card">
                    <h2>{ ctx.t("settings.tags") }</h2>
                    <ul class="taglist">
                        { for tags.iter().map(|t| html! {
                            <li><span class="tag">{ &t.name }</span>{ format!(" {}", t.residents) }
                                if t.builtin { <span class="hint">{ format!(" · {}", ctx.t("settings.tag_builtin")) }</span> }</li>
                        }) }
                    </ul>
                    <form class="row" onsubmit={add_tag}>
                        <Field id="new_tag" label={ctx.t("residents.new_tag_name")} value={(*new_tag).clone()}
                            oninput={{ let n = new_tag.clone(); Callback::from(move |v| n.set(v)) }} error={ctx.field_error(&tag_error, "name")} />
                        <button type="submit" class="secondary">{ ctx.t("residents.add_tag") }</button>
                    </form>
                </section>
            }
            if !code.is_empty() {
                <categories::CategoryEditor community_code={code.clone()} />
            }
            <calendar::CalendarEditor />
            <backup::StorageCard />
            <section class="card muted">
                <h2>{ ctx.t("settings.storage") }</h2>
                <p>{ ctx.t("settings.storage_text") }</p>
                <p>{ format!("{}: {}", ctx.t("settings.schema"), ctx.status.schema_version) }</p>
                <p>{ ctx.t("settings.digest") }{ ": " }<code class="digest" aria-label={ctx.t("settings.digest")}>{ (*digest).clone() }</code></p>
            </section>
        </div>
    }
}
