//! Data exchange (数据交换): export a bundle (scope, changes only, masking, encryption), import
//! one with a dry-run preview and apply/cancel, and the logs of both. The worker reads, checks
//! and merges files; this page only picks them and shows what comes back.

use crate::domain::bundle::merge::{Conflict, Counts};
use crate::protocol::{
    ApiError, ExportLogRow, ExportOptions, ExportSummary, ImportReport, Request, Response,
};
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::{use_app, use_grid_tree, AppCtx};
use crate::ui::pages::grid_options;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use yew::prelude::*;

mod field;
pub use field::FieldBanner;

/// Columns an export can mask, with the "send to the street office" default.
const MASKABLE: &[(&str, &str, bool)] = &[
    ("residents", "name", false),
    ("residents", "id_number", true),
    ("residents", "phone", true),
    ("staff", "name", false),
    ("staff", "phone", false),
    ("cases", "reporter_name", false),
    ("cases", "reporter_phone", true),
    ("volunteers", "name", false),
    ("volunteers", "phone", true),
    ("wishes", "wisher_name", false),
    ("wishes", "wisher_phone", true),
    ("party_members", "name", false),
    ("party_members", "phone", true),
];

#[derive(Clone, PartialEq)]
struct ExportForm {
    scope: String,
    incremental: bool,
    mask: Vec<bool>,
    encrypt: bool,
    passphrase: String,
    confirm: String,
    photos: bool,
    photo_cap: String,
}

impl Default for ExportForm {
    fn default() -> Self {
        ExportForm {
            scope: String::new(),
            incremental: false,
            mask: MASKABLE.iter().map(|m| m.2).collect(),
            encrypt: false,
            passphrase: String::new(),
            confirm: String::new(),
            photos: false,
            photo_cap: crate::domain::photo::DEFAULT_BUNDLE_CAP_MB.to_string(),
        }
    }
}

fn bundle_error(ctx: &AppCtx, e: &ApiError) -> String {
    let mut s = ctx.error_text(e);
    let part = |k: &str| {
        e.fields
            .iter()
            .find(|f| f.field == k)
            .map(|f| f.code.clone())
    };
    let mut at = Vec::new();
    if let Some(t) = part("table") {
        at.push(format!("{}: {}", ctx.t("exchange.at_table"), t));
    }
    if let Some(r) = part("record") {
        at.push(format!("{}: {}", ctx.t("exchange.at_record"), r));
    }
    if let Some(f) = part("field") {
        at.push(format!("{}: {}", ctx.t("exchange.at_field"), f));
    }
    if !at.is_empty() {
        s.push_str(" (");
        s.push_str(&at.join(", "));
        s.push(')');
    }
    s
}

fn table_name(ctx: &AppCtx, t: &str) -> String {
    ctx.lang
        .try_t(&format!("table.{t}"))
        .filter(|v| !v.is_empty())
        .unwrap_or(t)
        .to_string()
}

/// `yyyy-mm-dd hh:mm` in the browser's time zone.
fn fmt_time(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

#[component]
pub fn ExchangePage() -> Html {
    let ctx = use_app();
    let code = ctx.community_code();
    let is_street = ctx.is_street();
    let tree = use_grid_tree(code.clone());
    let form = use_state(ExportForm::default);
    let export_busy = use_state(|| false);
    let export_error = use_state(|| None::<ApiError>);
    let exported = use_state(|| None::<ExportSummary>);

    let file = use_state(|| None::<web_sys::File>);
    // More files picked at once wait here, each previewed in turn.
    let queue = use_state(Vec::<web_sys::File>::new);
    let shown_log = use_state(|| None::<usize>);
    let passphrase = use_state(String::new);
    let need_pass = use_state(|| false);
    let accept = use_state(|| false);
    let import_busy = use_state(|| None::<&'static str>);
    let progress = use_state(|| None::<crate::protocol::Progress>);
    let import_error = use_state(|| None::<ApiError>);
    let preview = use_state(|| None::<ImportReport>);
    let imported = use_state(|| None::<ImportReport>);
    let dragging = use_state(|| false);
    let shown_conflict = use_state(|| None::<usize>);

    let import_log = use_state(Vec::<ImportReport>::new);
    let export_log = use_state(Vec::<ExportLogRow>::new);
    let reload_logs = use_state(|| 0u32);

    {
        let (ctx, import_log, export_log) = (ctx.clone(), import_log.clone(), export_log.clone());
        use_effect_with(*reload_logs, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::ImportLog(l)) = ctx.call(Request::ImportLog).await {
                    import_log.set(l);
                }
                if let Ok(Response::ExportLog(l)) = ctx.call(Request::ExportLog).await {
                    export_log.set(l);
                }
            });
        });
    }

    {
        // Leaving the page drops a staged import (it may hold a large bundle in the worker).
        let ctx = ctx.clone();
        use_effect_with((), move |_| {
            move || {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = ctx.call(Request::CancelImport).await;
                });
            }
        });
    }

    // ---- export ----
    let set = |f: fn(&mut ExportForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            f(&mut next, v);
            form.set(next);
        })
    };
    let toggle = |f: fn(&mut ExportForm)| {
        let form = form.clone();
        Callback::from(move |_: Event| {
            let mut next = (*form).clone();
            f(&mut next);
            form.set(next);
        })
    };
    let pass_mismatch = form.encrypt && form.passphrase != form.confirm && !form.confirm.is_empty();
    let pass_short = form.encrypt && form.passphrase.chars().count() < 8;
    let on_export = {
        let (ctx, form, busy, error, exported, reload) = (
            ctx.clone(),
            form.clone(),
            export_busy.clone(),
            export_error.clone(),
            exported.clone(),
            reload_logs.clone(),
        );
        let code = code.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*form).clone();
            if f.encrypt && (f.passphrase.chars().count() < 8 || f.passphrase != f.confirm) {
                return;
            }
            let mut mask: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (i, (t, c, _)) in MASKABLE.iter().enumerate() {
                if f.mask[i] {
                    mask.entry(t.to_string()).or_default().push(c.to_string());
                }
            }
            let (communities, grid_id) = if is_street {
                (
                    if f.scope.is_empty() {
                        Vec::new()
                    } else {
                        vec![f.scope.clone()]
                    },
                    None,
                )
            } else {
                (
                    vec![code.clone()],
                    Some(f.scope.clone()).filter(|s| !s.is_empty()),
                )
            };
            let options = ExportOptions {
                communities,
                grid_id,
                incremental: f.incremental,
                destination: if is_street { "community" } else { "street" }.into(),
                mask,
                photos: f.photos,
                photo_cap_mb: f.photo_cap.trim().parse().unwrap_or(0),
                ..Default::default()
            };
            let passphrase = f.encrypt.then(|| f.passphrase.clone());
            let (ctx, busy, error, exported, reload) = (
                ctx.clone(),
                busy.clone(),
                error.clone(),
                exported.clone(),
                reload.clone(),
            );
            busy.set(true);
            error.set(None);
            exported.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let out = ctx.export(options, passphrase).await;
                busy.set(false);
                match out {
                    Ok((s, b)) => {
                        crate::ui::components::download(&b, &s.file_name);
                        exported.set(Some(s));
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    // ---- import ----
    let stage = {
        let (ctx, passphrase, need_pass, accept, busy, error, preview, imported, progress) = (
            ctx.clone(),
            passphrase.clone(),
            need_pass.clone(),
            accept.clone(),
            import_busy.clone(),
            import_error.clone(),
            preview.clone(),
            imported.clone(),
            progress.clone(),
        );
        Callback::from(move |f: web_sys::File| {
            let req = Request::StageImport {
                file_name: f.name(),
                passphrase: Some((*passphrase).clone()).filter(|p| !p.is_empty()),
                accept_identity: *accept,
            };
            let (ctx, need_pass, busy, error, preview, progress) = (
                ctx.clone(),
                need_pass.clone(),
                busy.clone(),
                error.clone(),
                preview.clone(),
                progress.clone(),
            );
            busy.set(Some("exchange.checking"));
            error.set(None);
            preview.set(None);
            imported.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let blob: web_sys::Blob = f.unchecked_into();
                let watch = {
                    let p = progress.clone();
                    Callback::from(move |x| p.set(Some(x)))
                };
                let (reply, _) = ctx.db.0.call_watched(req, Some(blob), Some(watch)).await;
                busy.set(None);
                progress.set(None);
                match reply {
                    Ok(Response::ImportPreview(r)) => preview.set(Some(*r)),
                    Err(e) => {
                        if e.code == "bundle_passphrase_required"
                            || e.code == "bundle_wrong_passphrase"
                        {
                            need_pass.set(true);
                        }
                        error.set(Some(e));
                    }
                    _ => {}
                }
            });
        })
    };
    // Takes the picked or dropped files: the first is checked now, the rest queue.
    let take_files = {
        let (file, stage, passphrase, queue, need_pass, import_error, preview) = (
            file.clone(),
            stage.clone(),
            passphrase.clone(),
            queue.clone(),
            need_pass.clone(),
            import_error.clone(),
            preview.clone(),
        );
        Callback::from(move |list: web_sys::FileList| {
            let mut files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            if files.is_empty() {
                return;
            }
            let first = files.remove(0);
            queue.set(files);
            passphrase.set(String::new());
            need_pass.set(false);
            file.set(Some(first.clone()));
            // Far too large to be a bundle: said at once, never read into the worker.
            if first.size() > crate::domain::bundle::MAX_FILE_BYTES as f64 {
                preview.set(None);
                import_error.set(Some(ApiError::new("bundle_too_large", "")));
                return;
            }
            stage.emit(first);
        })
    };
    // After an apply or a cancel: the next queued file, if any.
    let next_file = {
        let (file, stage, queue, need_pass) = (
            file.clone(),
            stage.clone(),
            queue.clone(),
            need_pass.clone(),
        );
        Callback::from(move |_: ()| {
            let mut rest = (*queue).clone();
            if rest.is_empty() {
                file.set(None);
                return;
            }
            let f = rest.remove(0);
            queue.set(rest);
            need_pass.set(false);
            file.set(Some(f.clone()));
            stage.emit(f);
        })
    };
    let on_file = {
        let take_files = take_files.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(list) = input.files() {
                take_files.emit(list);
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let (take_files, dragging) = (take_files.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
                take_files.emit(list);
            }
        })
    };
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let retry = {
        let (file, stage) = (file.clone(), stage.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(f) = (*file).clone() {
                stage.emit(f);
            }
        })
    };
    let apply = {
        let (ctx, accept, busy, error, preview, imported, reload, file, progress) = (
            ctx.clone(),
            accept.clone(),
            import_busy.clone(),
            import_error.clone(),
            preview.clone(),
            imported.clone(),
            reload_logs.clone(),
            next_file.clone(),
            progress.clone(),
        );
        Callback::from(move |_| {
            let req = Request::ApplyImport {
                accept_identity: *accept,
            };
            let (ctx, busy, error, preview, imported, reload, file, progress) = (
                ctx.clone(),
                busy.clone(),
                error.clone(),
                preview.clone(),
                imported.clone(),
                reload.clone(),
                file.clone(),
                progress.clone(),
            );
            busy.set(Some("exchange.applying"));
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let watch = {
                    let p = progress.clone();
                    Callback::from(move |x| p.set(Some(x)))
                };
                let (reply, _) = ctx.db.0.call_watched(req, None, Some(watch)).await;
                busy.set(None);
                progress.set(None);
                match reply {
                    Ok(Response::Imported(r)) => {
                        preview.set(None);
                        imported.set(Some(*r));
                        file.emit(());
                        reload.set(*reload + 1);
                        ctx.refresh.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                    _ => {}
                }
            });
        })
    };
    let cancel = {
        let (ctx, preview, next, error) = (
            ctx.clone(),
            preview.clone(),
            next_file.clone(),
            import_error.clone(),
        );
        Callback::from(move |_| {
            preview.set(None);
            error.set(None);
            let (ctx, next) = (ctx.clone(), next.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ctx.call(Request::CancelImport).await;
                next.emit(());
            });
        })
    };

    let scope_options: Vec<(String, String)> = if is_street {
        let mut v = vec![(String::new(), ctx.t("exchange.all_communities").to_string())];
        v.extend(
            ctx.status
                .communities
                .iter()
                .map(|c| (c.code.clone(), format!("{} ({})", c.name, c.code))),
        );
        v
    } else {
        tree.as_ref()
            .map(|t| grid_options(t, Some(ctx.t("exchange.whole_community"))))
            .unwrap_or_default()
            .into_iter()
            .filter(|(id, _)| {
                tree.as_ref()
                    .is_none_or(|t| t.nodes.first().is_none_or(|r| r.id != *id))
            })
            .collect()
    };

    html! {
        <div class="page exchange">
            <h1>{ ctx.t("exchange.title") }</h1>
            <p class="hint">{ ctx.t("exchange.intro") }</p>

            <section class="card" aria-labelledby="export-h">
                <h2 id="export-h">{ ctx.t("exchange.export") }</h2>
                <form class="form-grid" onsubmit={on_export}>
                    <SelectField id="scope" label={ctx.t(if is_street { "exchange.scope_community" } else { "exchange.scope" })} value={form.scope.clone()} options={scope_options}
                        onchange={set(|f, v| f.scope = v)} />
                    <label class="check wide"><input type="checkbox" checked={form.incremental} onchange={toggle(|f| f.incremental = !f.incremental)} />
                        { ctx.t(if is_street { "exchange.incremental_street" } else { "exchange.incremental" }) }</label>
                    <fieldset class="wide">
                        <legend>{ ctx.t("exchange.mask") }</legend>
                        <p class="hint">{ ctx.t("exchange.mask_hint") }</p>
                        <div class="checks">
                            { for MASKABLE.iter().enumerate().map(|(i, (t, c, _))| {
                                let checked = form.mask[i];
                                let form = form.clone();
                                let onchange = Callback::from(move |_: Event| {
                                    let mut next = (*form).clone();
                                    next.mask[i] = !next.mask[i];
                                    form.set(next);
                                });
                                html! {
                                    <label class="check"><input type="checkbox" {checked} {onchange} />
                                        { format!("{} · {}", table_name(&ctx, t), ctx.t(&format!("mask.{c}"))) }</label>
                                }
                            }) }
                        </div>
                    </fieldset>
                    <label class="check wide"><input type="checkbox" checked={form.photos} onchange={toggle(|f| f.photos = !f.photos)} />
                        { ctx.t("exchange.photos") }</label>
                    if form.photos {
                        <Field id="photo_cap" kind="number" label={ctx.t("exchange.photo_cap")} value={form.photo_cap.clone()} oninput={set(|f, v| f.photo_cap = v)}
                            inputmode="numeric" hint={ctx.t("exchange.photo_cap_hint")} />
                    }
                    <label class="check wide"><input type="checkbox" checked={form.encrypt} onchange={toggle(|f| f.encrypt = !f.encrypt)} />
                        { ctx.t("exchange.encrypt") }</label>
                    if form.encrypt {
                        <Field id="export_pass" kind="password" label={ctx.t("exchange.passphrase")} value={form.passphrase.clone()} oninput={set(|f, v| f.passphrase = v)}
                            error={pass_short.then(|| ctx.t("exchange.pass_short").to_string())} autocomplete="new-password" />
                        <Field id="export_pass2" kind="password" label={ctx.t("exchange.passphrase_again")} value={form.confirm.clone()} oninput={set(|f, v| f.confirm = v)}
                            error={pass_mismatch.then(|| ctx.t("exchange.pass_mismatch").to_string())} autocomplete="new-password" />
                    }
                    if let Some(e) = &*export_error { <div class="wide"><Banner text={bundle_error(&ctx, e)} /></div> }
                    if let Some(s) = &*exported {
                        <div class="wide"><Banner kind="ok" text={format!("{} {} · {} {} · {:.1} MB · {} ms", ctx.t("exchange.exported"), s.file_name, s.records, ctx.t("exchange.records"), s.bytes as f64 / 1e6, s.millis as i64)} /></div>
                        if s.photos_left_out > 0 {
                            <div class="wide"><Banner text={format!("{} {} · {} {}", ctx.t("exchange.photos_in"), s.photos, ctx.t("exchange.photos_left_out"), s.photos_left_out)} /></div>
                        }
                    }
                    <div class="actions wide">
                        <button type="submit" class="primary" disabled={*export_busy}>
                            { if *export_busy { ctx.t("exchange.exporting") } else { ctx.t("exchange.export_button") } }
                        </button>
                    </div>
                </form>
            </section>

            if !is_street && ctx.status.field.is_none() {
                <field::FieldExportCard />
            }

            <section class="card" aria-labelledby="import-h">
                <h2 id="import-h">{ ctx.t("exchange.import") }</h2>
                if let Some(f) = ctx.status.field.as_ref().filter(|f| f.unsent > 0) {
                    <p class="warning" id="field-unsent-warning" role="note">{ format!("{} {} {}", ctx.t("field.warn_before"), f.unsent, ctx.t("field.warn_after")) }</p>
                }
                <div class={classes!("dropzone", dragging.then_some("over"))} ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
                    <p>{ ctx.t("exchange.drop") }</p>
                    <label class="button secondary" for="bundle_file">{ ctx.t("exchange.choose_file") }</label>
                    <input id="bundle_file" class="visually-hidden" type="file" multiple=true accept=".json,.gridledger,application/json" aria-label={ctx.t("exchange.choose_file")} onchange={on_file} />
                    if let Some(f) = &*file { <p class="hint">{ format!("{} · {:.1} MB", f.name(), f.size() / 1e6) }</p> }
                    if !queue.is_empty() { <p class="hint">{ format!("{} {}", ctx.t("exchange.queued"), queue.iter().map(|f| f.name()).collect::<Vec<_>>().join("、")) }</p> }
                </div>
                if *need_pass {
                    <form class="row" onsubmit={retry}>
                        <Field id="import_pass" kind="password" label={ctx.t("exchange.passphrase")} value={(*passphrase).clone()}
                            oninput={{ let p = passphrase.clone(); Callback::from(move |v| p.set(v)) }} autocomplete="off" />
                        <button type="submit" class="secondary">{ ctx.t("exchange.decrypt") }</button>
                    </form>
                }
                if let Some(stage) = *import_busy {
                    <div class="progress" role="status">
                        <span class="spinner"></span>
                        <span>{ progress.as_ref().map(|p| ctx.t(&format!("exchange.stage_{}", p.stage))).unwrap_or(ctx.t(stage)) }</span>
                        if let Some(p) = progress.as_ref().filter(|p| p.total > 0) {
                            <progress max={p.total.to_string()} value={p.done.to_string()} aria-label={ctx.t("exchange.progress")}></progress>
                            <span class="hint">{ format!("{} / {}", p.done, p.total) }</span>
                        }
                    </div>
                }
                if let Some(e) = &*import_error { <Banner text={bundle_error(&ctx, e)} /> }
                if let Some(r) = &*preview {
                    <div class="preview">
                        <h3>{ ctx.t("exchange.preview") }</h3>
                        { report_head(&ctx, r) }
                        { counts_table(&ctx, r) }
                        { warnings(&ctx, r) }
                        if !r.identity.is_empty() {
                            <div class="banner warn" role="alert">
                                <p>{ ctx.t("exchange.identity") }</p>
                                <ul>{ for r.identity.iter().map(|c| html! { <li>{ format!("{} · {} / {}", c.community_code, c.local_name, c.incoming_name) }</li> }) }</ul>
                                <label class="check"><input type="checkbox" checked={*accept}
                                    onchange={{ let a = accept.clone(); Callback::from(move |_| a.set(!*a)) }} />
                                    { ctx.t("exchange.accept_identity") }</label>
                            </div>
                        }
                        { conflicts(&ctx, r, shown_conflict.clone()) }
                        { changes(&ctx, r) }
                        <div class="actions">
                            <button class="primary" onclick={apply} disabled={import_busy.is_some() || (!r.identity.is_empty() && !*accept)}>{ ctx.t("exchange.apply") }</button>
                            <button class="secondary" onclick={cancel}>{ ctx.t("exchange.cancel") }</button>
                        </div>
                    </div>
                }
                if let Some(r) = &*imported {
                    <Banner kind="ok" text={format!("{} {} · {} {} · {} {} · {} {} · {} ms", ctx.t("exchange.imported"), r.file_name,
                        r.totals.new, ctx.t("exchange.new"), r.totals.updated, ctx.t("exchange.updated"), r.totals.conflicts, ctx.t("exchange.conflicts"), r.millis as i64)} />
                }
            </section>

            <section class="card" aria-labelledby="ilog-h">
                <h2 id="ilog-h">{ ctx.t("exchange.import_log") }</h2>
                if import_log.is_empty() { <p class="hint">{ ctx.t("exchange.none_yet") }</p> } else {
                    <div class="scroll-x"><table class="list">
                        <thead><tr><th>{ ctx.t("exchange.when") }</th><th>{ ctx.t("exchange.file") }</th><th>{ ctx.t("exchange.from") }</th>
                            <th>{ ctx.t("exchange.new") }</th><th>{ ctx.t("exchange.updated") }</th><th>{ ctx.t("exchange.deleted") }</th><th>{ ctx.t("exchange.conflicts") }</th></tr></thead>
                        <tbody>{ for import_log.iter().enumerate().map(|(i, r)| {
                            let open = *shown_log == Some(i);
                            let toggle = { let s = shown_log.clone(); Callback::from(move |_| s.set(if open { None } else { Some(i) })) };
                            html! {
                            <tr><td>{ fmt_time(r.imported_millis) }</td>
                                <td><button class="link" onclick={toggle} aria-expanded={open.to_string()}>{ &r.file_name }</button></td>
                                <td>{ r.source.as_ref().map(|s| format!("{} ({}) #{}", s.name, s.code, r.sequence)).unwrap_or_default() }</td>
                                <td>{ r.totals.new }</td><td>{ r.totals.updated }</td><td>{ r.totals.deleted }</td><td>{ r.totals.conflicts }</td></tr>
                        }}) }</tbody>
                    </table></div>
                    if let Some(r) = shown_log.and_then(|i| import_log.get(i)) {
                        <div class="log-detail">
                            <h3>{ format!("{} · {}", ctx.t("exchange.report"), r.file_name) }</h3>
                            { report_head(&ctx, r) }
                            { counts_table(&ctx, r) }
                            { warnings(&ctx, r) }
                            { conflicts(&ctx, r, shown_conflict.clone()) }
                        </div>
                    }
                }
            </section>
            <section class="card" aria-labelledby="elog-h">
                <h2 id="elog-h">{ ctx.t("exchange.export_log") }</h2>
                if export_log.is_empty() { <p class="hint">{ ctx.t("exchange.none_yet") }</p> } else {
                    <div class="scroll-x"><table class="list">
                        <thead><tr><th>{ ctx.t("exchange.when") }</th><th>{ ctx.t("exchange.who") }</th><th>{ ctx.t("exchange.file") }</th>
                            <th>{ ctx.t("exchange.records") }</th><th>{ ctx.t("exchange.masked") }</th><th>{ ctx.t("exchange.encrypted") }</th></tr></thead>
                        <tbody>{ for export_log.iter().map(|r| html! {
                            <tr><td>{ fmt_time(r.wall_millis) }</td><td>{ &r.actor }</td><td>{ format!("#{} {}", r.sequence, r.file_name) }</td><td>{ r.records }</td>
                                <td>{ if r.masked == "{}" { ctx.t("common.no").to_string() } else { r.masked.clone() } }</td>
                                <td>{ if r.encrypted { ctx.t("common.yes") } else { ctx.t("common.no") } }</td></tr>
                        }) }</tbody>
                    </table></div>
                }
            </section>
        </div>
    }
}

fn report_head(ctx: &AppCtx, r: &ImportReport) -> Html {
    let src = r
        .source
        .as_ref()
        .map(|s| {
            format!(
                "{} {} ({})",
                ctx.t(&format!("office.{}", s.kind)),
                s.name,
                s.code
            )
        })
        .unwrap_or_default();
    html! { <>
        <p class="hint">{ format!("{} · {} · #{} · {} ms", r.file_name, src, r.sequence, r.millis as i64) }</p>
        if let Some(at) = r.imported_before {
            <div id="import-again" class="banner" role="status">{ format!("{} {}{}", ctx.t("exchange.imported_before"), fmt_time(at), ctx.t("exchange.imported_before_tail")) }</div>
        }
    </> }
}

fn counts_table(ctx: &AppCtx, r: &ImportReport) -> Html {
    let row = |label: String, c: &Counts, strong: bool| {
        html! {
            <tr class={classes!(strong.then_some("total"))}><td>{ label }</td><td>{ c.new }</td><td>{ c.updated }</td><td>{ c.unchanged }</td><td>{ c.deleted }</td><td>{ c.conflicts }</td></tr>
        }
    };
    html! {
        <div class="scroll-x"><table class="list counts">
            <thead><tr><th>{ ctx.t("exchange.table") }</th><th>{ ctx.t("exchange.new") }</th><th>{ ctx.t("exchange.updated") }</th>
                <th>{ ctx.t("exchange.unchanged") }</th><th>{ ctx.t("exchange.deleted") }</th><th>{ ctx.t("exchange.conflicts") }</th></tr></thead>
            <tbody>
                { for r.counts.iter().flat_map(|(code, tables)| {
                    let name = r.source.as_ref().filter(|s| s.code == *code).map(|s| s.name.clone()).unwrap_or_default();
                    std::iter::once(html! { <tr class="group"><th colspan="6">{ format!("{name} {code}") }</th></tr> })
                        .chain(ordered(tables).into_iter().map(|(t, c)| row(table_name(ctx, t), c, false)).collect::<Vec<_>>())
                }) }
                { row(ctx.t("exchange.total").to_string(), &r.totals, true) }
            </tbody>
        </table></div>
    }
}

/// Tables in the order a person thinks of them (parents first), not alphabetically.
fn ordered(tables: &BTreeMap<String, Counts>) -> Vec<(&String, &Counts)> {
    let rank = |t: &str| {
        crate::domain::bundle::tables::TABLES
            .iter()
            .position(|s| s.name == t)
            .unwrap_or(usize::MAX)
    };
    let mut v: Vec<_> = tables.iter().collect();
    v.sort_by_key(|(t, _)| rank(t));
    v
}

fn warnings(ctx: &AppCtx, r: &ImportReport) -> Html {
    html! {
        { for r.warnings.iter().map(|w| {
            let (code, arg) = w.split_once(':').unwrap_or((w.as_str(), ""));
            html! { <div class="banner warn" role="status">{ format!("{} {}", ctx.t(&format!("exchange.warn_{code}")), arg) }</div> }
        }) }
    }
}

fn conflicts(ctx: &AppCtx, r: &ImportReport, shown: UseStateHandle<Option<usize>>) -> Html {
    if r.conflicts.is_empty() {
        return html! {};
    }
    let describe = |c: &Conflict| -> String {
        let label = ["name", "building", "room"]
            .iter()
            .filter_map(|k| crate::domain::bundle::text(&c.kept, k))
            .collect::<Vec<_>>()
            .join(" ");
        format!(
            "{} · {} · {}",
            table_name(ctx, &c.table),
            label,
            ctx.t(&format!("exchange.kind_{:?}", c.kind).to_lowercase())
        )
    };
    html! {
        <details class="conflicts" open=true>
            <summary>{ format!("{} ({})", ctx.t("exchange.conflict_list"), r.conflicts_total) }</summary>
            <ul>
                { for r.conflicts.iter().enumerate().map(|(i, c)| {
                    let open = *shown == Some(i);
                    let toggle = { let s = shown.clone(); Callback::from(move |_| s.set(if open { None } else { Some(i) })) };
                    html! {
                        <li>
                            <button class="link" onclick={toggle} aria-expanded={open.to_string()}>{ describe(c) }</button>
                            if open {
                                <div class="versions">
                                    <div><h4>{ ctx.t("exchange.kept") }</h4><pre>{ serde_json::to_string_pretty(&c.kept).unwrap_or_default() }</pre></div>
                                    <div><h4>{ ctx.t("exchange.lost") }</h4><pre>{ serde_json::to_string_pretty(&c.lost).unwrap_or_default() }</pre></div>
                                </div>
                            }
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}

fn changes(ctx: &AppCtx, r: &ImportReport) -> Html {
    if r.changes.is_empty() {
        return html! {};
    }
    let total = r.totals.new + r.totals.updated + r.totals.deleted;
    html! {
        <details class="changes">
            <summary>{ format!("{} ({}{})", ctx.t("exchange.change_list"), r.changes.len(),
                if (r.changes.len() as u64) < total { format!(" / {total}") } else { String::new() }) }</summary>
            <div class="scroll-x"><table class="list">
                <thead><tr><th>{ ctx.t("exchange.table") }</th><th>{ ctx.t("exchange.record") }</th><th>{ ctx.t("exchange.change") }</th></tr></thead>
                <tbody>{ for r.changes.iter().map(|c| html! {
                    <tr><td>{ table_name(ctx, &c.table) }</td><td>{ &c.label }</td>
                        <td>{ ctx.t(&format!("exchange.{}", serde_json::to_value(c.outcome).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())) }</td></tr>
                }) }</tbody>
            </table></div>
        </details>
    }
}
