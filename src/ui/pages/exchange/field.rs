//! Field bundles in the UI: the office's card that exports one grid worker's field bundle
//! (外勤数据包), and on a phone in field mode the banner that says whose data it holds and
//! sends the day's work back (送回) through the share sheet or as a download.

use crate::protocol::{ApiError, ExportOptions, Request, Response, StaffRow};
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::{use_app, AppCtx};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Hands `blob` to the phone's share sheet as a file (Web Share with files: a chat app can
/// take it), or downloads it where the browser cannot share files. Returns how it went:
/// "shared", "cancelled" or "downloaded".
pub async fn share_or_download(blob: &web_sys::Blob, name: &str, title: &str) -> &'static str {
    use js_sys::{Array, Function, Object, Reflect};
    let file = {
        let opts = web_sys::FilePropertyBag::new();
        opts.set_type("application/json");
        web_sys::File::new_with_blob_sequence_and_options(&Array::of1(blob), name, &opts)
    };
    let nav: wasm_bindgen::JsValue = gloo::utils::window().navigator().into();
    if let Ok(file) = file {
        let data = Object::new();
        let _ = Reflect::set(&data, &"files".into(), &Array::of1(&file));
        let _ = Reflect::set(&data, &"title".into(), &title.into());
        let can = Reflect::get(&nav, &"canShare".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .and_then(|f| f.call1(&nav, &data).ok())
            .is_some_and(|v| v.is_truthy());
        let share = Reflect::get(&nav, &"share".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        if let (true, Some(share)) = (can, share) {
            if let Ok(p) = share.call1(&nav, &data) {
                match wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await {
                    Ok(_) => return "shared",
                    Err(e) => {
                        let aborted = Reflect::get(&e, &"name".into())
                            .ok()
                            .and_then(|n| n.as_string())
                            .is_some_and(|n| n == "AbortError");
                        if aborted {
                            return "cancelled";
                        }
                    }
                }
            }
        }
    }
    crate::ui::components::download(blob, name);
    "downloaded"
}

/// The office (a community): one grid worker's field bundle for their phone.
#[component]
pub fn FieldExportCard() -> Html {
    let ctx = use_app();
    let code = ctx.community_code();
    let staff = use_state(Vec::<StaffRow>::new);
    let who = use_state(String::new);
    let photos = use_state(|| false);
    let pass = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let done = use_state(|| None::<String>);
    {
        let (ctx, staff) = (ctx.clone(), staff.clone());
        use_effect_with(code.clone(), move |code| {
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::Staff(list)) = ctx
                    .call(Request::ListStaff {
                        community_code: code,
                    })
                    .await
                {
                    staff.set(list.into_iter().filter(|s| !s.grids.is_empty()).collect());
                }
            });
        });
    }
    let on_export = {
        let (ctx, who, photos, pass, busy, error, done) = (
            ctx.clone(),
            who.clone(),
            photos.clone(),
            pass.clone(),
            busy.clone(),
            error.clone(),
            done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if who.is_empty() {
                error.set(Some(ApiError::invalid(vec![crate::protocol::FieldError {
                    field: "field_staff".into(),
                    code: "required".into(),
                }])));
                return;
            }
            if !pass.is_empty() && pass.chars().count() < 8 {
                error.set(Some(ApiError::invalid(vec![crate::protocol::FieldError {
                    field: "field_pass".into(),
                    code: "pass_short".into(),
                }])));
                return;
            }
            let options = ExportOptions {
                field_staff_id: Some((*who).clone()),
                destination: "field".into(),
                photos: *photos,
                ..Default::default()
            };
            let passphrase = Some((*pass).clone()).filter(|p| !p.is_empty());
            let (ctx, busy, error, done) = (ctx.clone(), busy.clone(), error.clone(), done.clone());
            busy.set(true);
            error.set(None);
            done.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let out = ctx.export(options, passphrase).await;
                busy.set(false);
                match out {
                    Ok((s, b)) => {
                        crate::ui::components::download(&b, &s.file_name);
                        done.set(Some(format!(
                            "{} {} · {} {} · {:.2} MB",
                            ctx.t("exchange.exported"),
                            s.file_name,
                            s.records,
                            ctx.t("exchange.records"),
                            s.bytes as f64 / 1e6
                        )));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let mut options = vec![(String::new(), ctx.t("field.pick_worker").to_string())];
    options.extend(staff.iter().map(|s| {
        let grids: Vec<&str> = s.grids.iter().map(|g| g.grid_name.as_str()).collect();
        (
            s.id.clone(),
            format!(
                "{} · {} · {}",
                s.name,
                ctx.t(&format!("role.{}", s.role)),
                grids.join("、")
            ),
        )
    }));
    let fe = |f: &str| ctx.field_error(&error, f);
    let other = error
        .as_ref()
        .filter(|e| e.code != "invalid")
        .map(|e| ctx.error_text(e));
    html! {
        <section class="card field-export" aria-labelledby="field-h">
            <h2 id="field-h">{ ctx.t("field.export_title") }</h2>
            <p class="hint">{ ctx.t("field.export_intro") }</p>
            <form class="form-grid" onsubmit={on_export} novalidate=true>
                <SelectField id="field_staff" label={ctx.t("field.worker")} value={(*who).clone()} options={options}
                    error={fe("field_staff")} onchange={{ let who = who.clone(); Callback::from(move |v: String| who.set(v)) }} />
                <Field id="field_pass" kind="password" label={ctx.t("field.export_passphrase")} value={(*pass).clone()}
                    oninput={{ let pass = pass.clone(); Callback::from(move |v: String| pass.set(v)) }}
                    error={fe("field_pass").map(|_| ctx.t("exchange.pass_short").to_string())} hint={ctx.t("field.passphrase_hint")} autocomplete="new-password" />
                <label class="check wide"><input type="checkbox" checked={*photos} onchange={{ let photos = photos.clone(); Callback::from(move |_: Event| photos.set(!*photos)) }} />
                    { ctx.t("exchange.photos") }</label>
                if let Some(t) = other { <div class="wide"><Banner text={t} /></div> }
                if let Some(t) = &*done { <div class="wide"><Banner kind="ok" text={t.clone()} /></div> }
                <div class="actions wide">
                    <button type="submit" class="primary" id="field-export" disabled={*busy}>
                        { if *busy { ctx.t("exchange.exporting") } else { ctx.t("field.export_button") } }
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Makes the return bundle and hands it on; `Ok(how)` says how ("shared", "downloaded", …).
async fn send_back(ctx: &AppCtx) -> Result<(String, &'static str), ApiError> {
    let options = ExportOptions {
        returning: true,
        photos: true,
        // Every photo taken here: a return that drops some would lose them.
        photo_cap_mb: u32::MAX / 2,
        ..Default::default()
    };
    let (s, b) = ctx.export(options, None).await?;
    let how = share_or_download(&b, &s.file_name, ctx.t("field.send_back")).await;
    if how != "cancelled" {
        ctx.call(Request::FieldSent {
            exported_at: s.exported_at,
        })
        .await?;
    }
    Ok((s.file_name, how))
}

/// On a phone in field mode, above every page: whose data, which grids, as of when, what is
/// not sent back yet, and 送回.
#[component]
pub fn FieldBanner() -> Html {
    let ctx = use_app();
    let busy = use_state(|| false);
    let said = use_state(|| None::<(bool, String)>);
    let Some(f) = ctx.status.field.clone() else {
        return Html::default();
    };
    let onclick = {
        let (ctx, busy, said) = (ctx.clone(), busy.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, busy, said) = (ctx.clone(), busy.clone(), said.clone());
            busy.set(true);
            said.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let out = send_back(&ctx).await;
                busy.set(false);
                match out {
                    Ok((name, how)) => {
                        said.set(Some((
                            true,
                            format!("{} {name}", ctx.t(&format!("field.{how}"))),
                        )));
                        ctx.refresh.emit(());
                    }
                    Err(e) => said.set(Some((false, ctx.error_text(&e)))),
                }
            });
        })
    };
    let unsent = if f.unsent == 0 {
        ctx.t("field.all_sent").to_string()
    } else {
        format!("{} {}", f.unsent, ctx.t("field.unsent"))
    };
    html! {
        <section class="field-banner" role="region" aria-label={ctx.t("field.mode")}>
            <p>
                <strong>{ ctx.t("field.mode") }</strong>
                { format!(" · {} · {} · {} {}", f.staff_name, f.grid_names.join("、"), ctx.t("field.as_of"), super::fmt_time(f.as_of_millis)) }
            </p>
            <p class="field-unsent" data-unsent={f.unsent.to_string()}>
                { unsent }
                if let Some(t) = f.last_sent_millis { { format!(" · {} {}", ctx.t("field.last_sent"), super::fmt_time(t)) } }
            </p>
            <button type="button" class="primary" id="send-back" disabled={*busy} {onclick}>
                { if *busy { ctx.t("field.sending") } else { ctx.t("field.send_back") } }
            </button>
            if let Some((ok, t)) = &*said {
                <Banner kind={if *ok { "ok" } else { "error" }} text={t.clone()} />
            }
        </section>
    }
}
