//! A fresh browser or computer: the office's full backup (设置 → 完整备份, or 数据交换's whole
//! export unmasked) sets this device up as that office and brings every record back, all or
//! nothing. A wrong, partial, masked or damaged file is refused next to the file field and the
//! device stays as it was (not set up).
//!
//! With `field`, the same card opens a grid worker's field bundle (外勤数据包) on a phone: the
//! device is set up as that worker's community in field mode (the bundle says who).

use crate::protocol::{ApiError, Progress, Request, Response};
use crate::ui::components::Field;
use crate::ui::ctx::use_app;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RestoreProps {
    /// A field bundle rather than a full backup.
    #[prop_or_default]
    pub field: bool,
}

#[component]
pub fn RestoreCard(p: &RestoreProps) -> Html {
    let ctx = use_app();
    let field = p.field;
    // Element ids and texts of the two variants.
    let pre = if field { "field" } else { "restore" };
    let k = move |key: &str| format!("{pre}.{key}");
    let file = use_state(|| None::<web_sys::File>);
    let passphrase = use_state(String::new);
    let need_pass = use_state(|| false);
    let device = use_state(String::new);
    let actor = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let progress = use_state(|| None::<Progress>);

    let on_file = {
        let (file, need_pass, passphrase, error) = (
            file.clone(),
            need_pass.clone(),
            passphrase.clone(),
            error.clone(),
        );
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            file.set(input.files().and_then(|l| l.get(0)));
            need_pass.set(false);
            passphrase.set(String::new());
            error.set(None);
        })
    };
    let submit = {
        let (ctx, file, passphrase, need_pass, device, actor, error, busy, progress) = (
            ctx.clone(),
            file.clone(),
            passphrase.clone(),
            need_pass.clone(),
            device.clone(),
            actor.clone(),
            error.clone(),
            busy.clone(),
            progress.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(f) = (*file).clone() else {
                error.set(Some(ApiError::invalid(vec![crate::protocol::FieldError {
                    field: format!("{pre}_file"),
                    code: "required".into(),
                }])));
                return;
            };
            if f.size() > crate::domain::bundle::MAX_FILE_BYTES as f64 {
                error.set(Some(ApiError::new("bundle_too_large", "")));
                return;
            }
            let req = Request::RestoreBackup {
                file_name: f.name(),
                passphrase: Some((*passphrase).clone()).filter(|p| !p.is_empty()),
                device_name: (*device).clone(),
                actor_name: (*actor).clone(),
                field_only: field,
            };
            let (ctx, need_pass, error, busy, progress) = (
                ctx.clone(),
                need_pass.clone(),
                error.clone(),
                busy.clone(),
                progress.clone(),
            );
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let watch = {
                    let p = progress.clone();
                    Callback::from(move |x| p.set(Some(x)))
                };
                let blob: web_sys::Blob = f.unchecked_into();
                let (reply, _) = ctx.db.0.call_watched(req, Some(blob), Some(watch)).await;
                progress.set(None);
                match reply {
                    Ok(Response::Imported(_)) => ctx.refresh.emit(()),
                    Ok(_) => busy.set(false),
                    Err(e) => {
                        if e.code == "bundle_passphrase_required"
                            || e.code == "bundle_wrong_passphrase"
                        {
                            need_pass.set(true);
                        }
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let fe = |field: &str| ctx.field_error(&error, field);
    // Errors about the file itself sit under the file field; field errors under their fields.
    let file_error = error
        .as_ref()
        .filter(|e| e.code != "invalid")
        .map(|e| ctx.error_text(e))
        .or_else(|| fe(&format!("{pre}_file")));
    let set = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |v: String| s.set(v))
    };
    let stage = progress.as_ref().map(|p| {
        let label = ctx.t(&format!("exchange.stage_{}", p.stage));
        match (p.done * 100).checked_div(p.total) {
            Some(pct) => format!("{label} {pct}%"),
            None => label.to_string(),
        }
    });
    let id = |x: &str| format!("{pre}-{x}");
    html! {
        <section class={classes!("card", "restore", field.then_some("field-open"))}>
            <h2>{ ctx.t(&k("title")) }</h2>
            <p class="hint">{ ctx.t(&k("intro")) }</p>
            <form onsubmit={submit} novalidate=true>
                <div class={classes!("field", file_error.is_some().then_some("has-error"))}>
                    <label for={id("file")}>{ ctx.t(&k("file")) }<span class="req" aria-hidden="true">{" *"}</span></label>
                    <input id={id("file")} type="file" accept=".json,.gridledger,application/json" onchange={on_file}
                        aria-invalid={file_error.is_some().then_some("true")} aria-describedby={file_error.is_some().then(|| id("file-error"))} />
                    if let Some(e) = &file_error { <p class="error" id={id("file-error")} role="alert">{ e }</p> }
                </div>
                if *need_pass {
                    <Field id={id("passphrase")} kind="password" label={ctx.t(&k("passphrase"))} value={(*passphrase).clone()} oninput={set(&passphrase)} autocomplete="off" />
                }
                <Field id={id("device")} label={ctx.t("setup.device_name")} value={(*device).clone()} oninput={set(&device)} error={fe("device_name")} required=true
                    placeholder={if field { "张三的手机" } else { "社区办公室电脑" }} />
                if !field {
                    <Field id="restore-actor" label={ctx.t("setup.actor_name")} value={(*actor).clone()} oninput={set(&actor)} error={fe("actor_name")} required=true hint={ctx.t("restore.actor_hint")} />
                }
                <button type="submit" class="primary" id={id("submit")} disabled={*busy}>
                    { if *busy { ctx.t(&k("busy")) } else { ctx.t(&k("submit")) } }
                </button>
                if let Some(s) = stage { <p class="hint" aria-live="polite">{ s }</p> }
            </form>
        </section>
    }
}
