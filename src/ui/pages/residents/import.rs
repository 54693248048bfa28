//! Bringing an office's own resident ledger (Excel or CSV) in: pick the file, check the
//! guessed columns, see every row that cannot be imported and why, then import the valid rows
//! and take the rejected ones back as an .xlsx. The work happens in the worker.

use crate::domain::ledger::Field as LedgerField;
use crate::protocol::{ApiError, LedgerDone, LedgerPlan, LedgerSheet, Progress, Request, Response};
use crate::ui::app::Route;
use crate::ui::components::{download, select_value, Banner};
use crate::ui::ctx::{use_app, use_grid_tree, AppCtx};
use crate::ui::pages::{grid_options, mask_id};
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Clone, PartialEq)]
enum Step {
    Choose,
    Map(Box<LedgerSheet>),
}

fn field_label(ctx: &AppCtx, code: &str) -> &'static str {
    ctx.t(&format!("ledger.field_{code}"))
}

#[component]
pub fn ResidentImportPage() -> Html {
    let ctx = use_app();
    let code = use_state(|| ctx.community_code());
    let tree = use_grid_tree((*code).clone());
    let step = use_state(|| Step::Choose);
    let mapping = use_state(Vec::<String>::new);
    let default_grid = use_state(String::new);
    let plan = use_state(|| None::<LedgerPlan>);
    let done = use_state(|| None::<LedgerDone>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| None::<&'static str>);
    let progress = use_state(|| None::<Progress>);
    let dragging = use_state(|| false);

    // Checks the rows with a mapping (and default grid); the plan replaces the last one.
    let check = {
        let (ctx, plan, error, busy, progress, done) = (
            ctx.clone(),
            plan.clone(),
            error.clone(),
            busy.clone(),
            progress.clone(),
            done.clone(),
        );
        Callback::from(move |(m, grid): (Vec<String>, String)| {
            let (ctx, plan, error, busy, progress) = (
                ctx.clone(),
                plan.clone(),
                error.clone(),
                busy.clone(),
                progress.clone(),
            );
            done.set(None);
            plan.set(None);
            error.set(None);
            busy.set(Some("ledger.checking"));
            wasm_bindgen_futures::spawn_local(async move {
                let watch = {
                    let p = progress.clone();
                    Callback::from(move |x| p.set(Some(x)))
                };
                let req = Request::LedgerPreview {
                    mapping: m,
                    default_grid_id: Some(grid).filter(|g| !g.is_empty()),
                };
                let (reply, _) = ctx.db.0.call_watched(req, None, Some(watch)).await;
                busy.set(None);
                progress.set(None);
                match reply {
                    Ok(Response::LedgerPlan(p)) => plan.set(Some(*p)),
                    Err(e) => error.set(Some(e)),
                    _ => {}
                }
            });
        })
    };

    // Reads a file (or re-reads the last one on another sheet / header line).
    let open = {
        let (ctx, code, step, mapping, plan, done, error, busy, progress, check, default_grid) = (
            ctx.clone(),
            code.clone(),
            step.clone(),
            mapping.clone(),
            plan.clone(),
            done.clone(),
            error.clone(),
            busy.clone(),
            progress.clone(),
            check.clone(),
            default_grid.clone(),
        );
        Callback::from(
            move |(file, sheet, line): (Option<web_sys::File>, Option<u32>, Option<u32>)| {
                let (ctx, step, mapping, error, busy, progress, check, default_grid) = (
                    ctx.clone(),
                    step.clone(),
                    mapping.clone(),
                    error.clone(),
                    busy.clone(),
                    progress.clone(),
                    check.clone(),
                    default_grid.clone(),
                );
                // Far too large for a ledger: said at once, never read into the worker.
                if file
                    .as_ref()
                    .is_some_and(|f| f.size() > crate::domain::ledger::MAX_FILE_BYTES as f64)
                {
                    error.set(Some(crate::protocol::ApiError::new("sheet_too_large", "")));
                    return;
                }
                let req = Request::LedgerOpen {
                    file_name: file.as_ref().map(|f| f.name()).unwrap_or_default(),
                    community_code: (*code).clone(),
                    sheet,
                    header_line: line,
                };
                plan.set(None);
                done.set(None);
                error.set(None);
                busy.set(Some("ledger.reading"));
                wasm_bindgen_futures::spawn_local(async move {
                    let watch = {
                        let p = progress.clone();
                        Callback::from(move |x| p.set(Some(x)))
                    };
                    let blob = file.map(|f| f.unchecked_into::<web_sys::Blob>());
                    let (reply, _) = ctx.db.0.call_watched(req, blob, Some(watch)).await;
                    busy.set(None);
                    progress.set(None);
                    match reply {
                        Ok(Response::LedgerSheet(s)) => {
                            let m = s.mapping.clone();
                            mapping.set(m.clone());
                            step.set(Step::Map(s));
                            check.emit((m, (*default_grid).clone()));
                        }
                        Err(e) => error.set(Some(e)),
                        _ => {}
                    }
                });
            },
        )
    };

    let take_file = {
        let open = open.clone();
        move |list: web_sys::FileList| {
            if let Some(f) = list.get(0) {
                open.emit((Some(f), None, None));
            }
        }
    };
    let on_file = {
        let take_file = take_file.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(list) = input.files() {
                take_file(list);
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let (take_file, dragging) = (take_file.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
                take_file(list);
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

    let apply = {
        let (ctx, done, error, busy, progress, plan) = (
            ctx.clone(),
            done.clone(),
            error.clone(),
            busy.clone(),
            progress.clone(),
            plan.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (ctx, done, error, busy, progress) = (
                ctx.clone(),
                done.clone(),
                error.clone(),
                busy.clone(),
                progress.clone(),
            );
            if plan.is_none() {
                return;
            }
            error.set(None);
            busy.set(Some("ledger.writing"));
            wasm_bindgen_futures::spawn_local(async move {
                let watch = {
                    let p = progress.clone();
                    Callback::from(move |x| p.set(Some(x)))
                };
                let (reply, _) = ctx
                    .db
                    .0
                    .call_watched(Request::LedgerApply, None, Some(watch))
                    .await;
                busy.set(None);
                progress.set(None);
                match reply {
                    Ok(Response::LedgerDone(d)) => done.set(Some(d)),
                    Err(e) => error.set(Some(e)),
                    _ => {}
                }
            });
        })
    };
    let rejects = {
        let (ctx, error) = (ctx.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, error) = (ctx.clone(), error.clone());
            let lang = if ctx.lang == crate::i18n::Lang::En {
                "en"
            } else {
                "zh"
            };
            wasm_bindgen_futures::spawn_local(async move {
                let (reply, file) = ctx
                    .db
                    .0
                    .call_watched(Request::LedgerRejects { lang: lang.into() }, None, None)
                    .await;
                match (reply, file) {
                    (Ok(Response::File { file_name, .. }), Some(b)) => download(&b, &file_name),
                    (Err(e), _) => error.set(Some(e)),
                    _ => {}
                }
            });
        })
    };
    let restart = {
        let (ctx, step, plan, done, error) = (
            ctx.clone(),
            step.clone(),
            plan.clone(),
            done.clone(),
            error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let ctx = ctx.clone();
            step.set(Step::Choose);
            plan.set(None);
            done.set(None);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ctx.call(Request::LedgerCancel).await;
            });
        })
    };

    let field_codes: Vec<&'static str> = LedgerField::ALL.iter().map(|f| f.code()).collect();
    let grid_opts = tree
        .as_ref()
        .map(|t| grid_options(t, Some(ctx.t("ledger.no_default_grid"))))
        .unwrap_or_default();
    let mapping_error = error
        .as_ref()
        .and_then(|e| e.for_field("mapping"))
        .map(|c| ctx.lang.problem(c));
    let grid_error = error
        .as_ref()
        .and_then(|e| e.for_field("default_grid"))
        .map(|c| ctx.lang.problem(c));
    let other_error = error
        .as_ref()
        .filter(|e| e.for_field("mapping").is_none() && e.for_field("default_grid").is_none())
        .map(|e| ctx.error_text(e));

    html! {
        <div class="page ledger-import">
            <div class="page-head">
                <h1>{ ctx.t("ledger.title") }</h1>
                <Link<Route> to={Route::Residents} classes="button secondary">{ ctx.t("ledger.back") }</Link<Route>>
            </div>
            <p class="hint">{ ctx.t("ledger.intro") }</p>
            if ctx.is_street() {
                <div class="field">
                    <label for="ledger-community">{ ctx.t("ledger.community") }</label>
                    <select id="ledger-community" onchange={{
                        let code = code.clone();
                        Callback::from(move |e: Event| code.set(select_value(&e)))
                    }}>
                        { for ctx.status.communities.iter().map(|c| html!{ <option value={c.code.clone()} selected={c.code == *code}>{ &c.name }</option> }) }
                    </select>
                </div>
            }
            <section class="card">
                <div class={classes!("dropzone", dragging.then_some("over"))} ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
                    <p>{ ctx.t("ledger.drop") }</p>
                    <label class="button primary" for="ledger_file">{ ctx.t("ledger.choose_file") }</label>
                    <input id="ledger_file" class="visually-hidden" type="file"
                        accept=".xlsx,.xls,.xlsm,.ods,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                        aria-label={ctx.t("ledger.choose_file")} onchange={on_file} />
                    <p class="hint">{ ctx.t("ledger.formats") }</p>
                </div>
            </section>
            if let Some(stage) = *busy {
                <div class="progress" role="status">
                    <span class="spinner"></span>
                    <span>{ ctx.t(stage) }</span>
                    if let Some(p) = progress.as_ref().filter(|p| p.total > 0) {
                        <progress max={p.total.to_string()} value={p.done.to_string()} aria-label={ctx.t("exchange.progress")}></progress>
                        <span class="hint">{ format!("{} / {}", p.done, p.total) }</span>
                    }
                </div>
            }
            if let Some(e) = other_error { <Banner text={e} /> }
            if let Step::Map(sheet) = &*step {
                <section class="card" aria-labelledby="map-h">
                    <h2 id="map-h">{ ctx.t("ledger.mapping") }</h2>
                    <p class="file-name">{ format!("{} · {} {}", sheet.file_name, sheet.data_rows, ctx.t("ledger.rows_below")) }</p>
                    <div class="row">
                        if sheet.sheets.len() > 1 {
                            <div class="field">
                                <label for="ledger-sheet">{ ctx.t("ledger.sheet") }</label>
                                <select id="ledger-sheet" onchange={{
                                    let open = open.clone();
                                    Callback::from(move |e: Event| {
                                        open.emit((None, select_value(&e).parse().ok(), None))
                                    })
                                }}>
                                    { for sheet.sheets.iter().enumerate().map(|(i, n)| html!{ <option value={i.to_string()} selected={i as u32 == sheet.sheet}>{ n }</option> }) }
                                </select>
                            </div>
                        }
                        <div class="field">
                            <label for="ledger-header">{ ctx.t("ledger.header_line") }</label>
                            <input id="ledger-header" type="number" min="1" inputmode="numeric" value={sheet.header_line.to_string()}
                                onchange={{
                                    let (open, s) = (open.clone(), sheet.sheet);
                                    Callback::from(move |e: Event| {
                                        let v: String = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                                        if let Ok(n) = v.trim().parse::<u32>() {
                                            open.emit((None, Some(s), Some(n)))
                                        }
                                    })
                                }} />
                        </div>
                        <div class={classes!("field", grid_error.is_some().then_some("has-error"))}>
                            <label for="ledger-grid">{ ctx.t("ledger.default_grid") }</label>
                            <select id="ledger-grid" aria-invalid={grid_error.is_some().then_some("true")} onchange={{
                                let (default_grid, mapping, check) = (default_grid.clone(), mapping.clone(), check.clone());
                                Callback::from(move |e: Event| {
                                    let g = select_value(&e);
                                    default_grid.set(g.clone());
                                    check.emit(((*mapping).clone(), g));
                                })
                            }}>
                                { for grid_opts.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == *default_grid}>{ l }</option> }) }
                            </select>
                            <p class="hint">{ ctx.t("ledger.default_grid_hint") }</p>
                            if let Some(e) = &grid_error { <p class="error" role="alert">{ e }</p> }
                        </div>
                    </div>
                    if let Some(e) = &mapping_error { <p class="error" role="alert">{ e }</p> }
                    <div class="table-scroll">
                        <table class="list mapping">
                            <thead><tr>
                                <th>{ ctx.t("ledger.file_column") }</th>
                                <th>{ ctx.t("ledger.maps_to") }</th>
                                <th>{ ctx.t("ledger.examples") }</th>
                            </tr></thead>
                            <tbody>
                                { for sheet.headers.iter().enumerate().map(|(i, h)| {
                                    let current = mapping.get(i).cloned().unwrap_or_default();
                                    let onchange = {
                                        let (mapping, default_grid, check) = (mapping.clone(), default_grid.clone(), check.clone());
                                        Callback::from(move |e: Event| {
                                            let v = select_value(&e);
                                            let mut m = (*mapping).clone();
                                            // A field goes to one column: taking it here frees it elsewhere.
                                            if !v.is_empty() {
                                                for x in m.iter_mut() {
                                                    if *x == v { x.clear(); }
                                                }
                                            }
                                            if let Some(x) = m.get_mut(i) { *x = v; }
                                            mapping.set(m.clone());
                                            check.emit((m, (*default_grid).clone()));
                                        })
                                    };
                                    let examples: Vec<String> = sheet.sample.iter().take(3)
                                        .map(|r| r.get(i).cloned().unwrap_or_default())
                                        .filter(|v| !v.is_empty()).collect();
                                    let header = if h.is_empty() { format!("{}{}", ctx.t("ledger.column"), i + 1) } else { h.clone() };
                                    html! {
                                        <tr class={classes!(current.is_empty().then_some("unmapped"))}>
                                            <td><label for={format!("map-{i}")}>{ header }</label></td>
                                            <td>
                                                <select id={format!("map-{i}")} {onchange}>
                                                    <option value="" selected={current.is_empty()}>{ ctx.t("ledger.ignore") }</option>
                                                    { for field_codes.iter().map(|c| html!{ <option value={*c} selected={current == *c}>{ field_label(&ctx, c) }</option> }) }
                                                </select>
                                            </td>
                                            <td class="examples">{ examples.join(" · ") }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                </section>
            }
            if let Some(p) = &*plan {
                <section class="card" aria-labelledby="check-h">
                    <h2 id="check-h">{ ctx.t("ledger.check") }</h2>
                    <dl class="counts ledger-counts">
                        <div><dt>{ ctx.t("ledger.new") }</dt><dd id="ledger-new">{ p.new }</dd></div>
                        <div><dt>{ ctx.t("ledger.update") }</dt><dd id="ledger-update">{ p.update }</dd></div>
                        <div class={classes!((p.rejected > 0).then_some("bad"))}><dt>{ ctx.t("ledger.rejected") }</dt><dd id="ledger-rejected">{ p.rejected }</dd></div>
                        <div><dt>{ ctx.t("ledger.skipped") }</dt><dd>{ p.skipped }</dd></div>
                    </dl>
                    if !p.new_tags.is_empty() {
                        <p class="hint">{ format!("{}{}", ctx.t("ledger.new_tags"), p.new_tags.join("、")) }</p>
                    }
                    if done.is_none() {
                        <div class="actions">
                            <button type="button" class="primary" id="ledger-apply" disabled={busy.is_some() || p.new + p.update == 0} onclick={apply.clone()}>
                                { format!("{} {} {}", ctx.t("ledger.apply"), p.new + p.update, ctx.t("ledger.rows")) }
                            </button>
                            if p.rejected > 0 {
                                <button type="button" class="secondary" onclick={rejects.clone()}>{ ctx.t("ledger.download_rejects") }</button>
                            }
                            <button type="button" class="secondary" onclick={restart.clone()}>{ ctx.t("common.cancel") }</button>
                        </div>
                    }
                    if !p.rejects.is_empty() {
                        <h3>{ ctx.t("ledger.rejects") }</h3>
                        <div class="table-scroll">
                            <table class="list rejects">
                                <thead><tr>
                                    <th>{ ctx.t("ledger.line") }</th>
                                    <th>{ ctx.t("field.name") }</th>
                                    <th class="hide-phone">{ ctx.t("field.id_number") }</th>
                                    <th>{ ctx.t("ledger.reason") }</th>
                                </tr></thead>
                                <tbody>
                                    { for p.rejects.iter().map(|r| html! {
                                        <tr>
                                            <td>{ r.line }</td>
                                            <td>{ &r.name }</td>
                                            <td class="hide-phone mono">{ mask_id(&r.id_number) }</td>
                                            <td class="reason">{ for r.reasons.iter().map(|x| html!{ <div>{ ctx.lang.ledger_reason(&x.field, &x.code, &x.arg) }</div> }) }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                        if (p.rejects.len() as u32) < p.rejected {
                            <p class="hint">{ format!("{} {}", ctx.t("ledger.more_rejects"), p.rejected) }</p>
                        }
                    }
                    if !p.rows.is_empty() {
                        <h3>{ ctx.t("ledger.first_rows") }</h3>
                        <div class="table-scroll">
                            <table class="list">
                                <thead><tr>
                                    <th>{ ctx.t("ledger.line") }</th>
                                    <th>{ ctx.t("ledger.action") }</th>
                                    <th>{ ctx.t("field.name") }</th>
                                    <th>{ ctx.t("field.gender") }</th>
                                    <th>{ ctx.t("field.birth_date") }</th>
                                    <th class="hide-phone">{ ctx.t("field.id_number") }</th>
                                    <th class="hide-phone">{ ctx.t("field.phone") }</th>
                                    <th>{ ctx.t("field.grid") }</th>
                                    <th class="hide-phone">{ ctx.t("field.address") }</th>
                                    <th>{ ctx.t("field.tags") }</th>
                                </tr></thead>
                                <tbody>
                                    { for p.rows.iter().map(|r| html! {
                                        <tr>
                                            <td>{ r.line }</td>
                                            <td>{ if r.existing.is_empty() { ctx.t("ledger.action_new") } else { ctx.t("ledger.action_update") } }</td>
                                            <td>{ &r.name }</td>
                                            <td>{ if r.gender == "M" { ctx.t("field.male") } else { ctx.t("field.female") } }</td>
                                            <td>{ &r.birth_date }</td>
                                            <td class="hide-phone mono">{ mask_id(&r.id_number) }</td>
                                            <td class="hide-phone mono">{ &r.phone }</td>
                                            <td>{ &r.grid }</td>
                                            <td class="hide-phone">{ &r.address }</td>
                                            <td>{ for r.tags.iter().map(|t| html!{ <span class="tag">{ t }</span> }) }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                    }
                </section>
            }
            if let Some(d) = &*done {
                <section class="card done" role="status" id="ledger-done">
                    <h2>{ ctx.t("ledger.done") }</h2>
                    <p>{ format!("{} {} · {} {} · {} {} · {} {}",
                        ctx.t("ledger.created"), d.created,
                        ctx.t("ledger.updated"), d.updated,
                        ctx.t("ledger.households_created"), d.households_created,
                        ctx.t("ledger.rejected"), d.rejected) }</p>
                    if !d.tags_created.is_empty() {
                        <p class="hint">{ format!("{}{}", ctx.t("ledger.tags_created"), d.tags_created.join("、")) }</p>
                    }
                    <p class="hint">{ format!("{} {:.1} s", ctx.t("ledger.took"), d.millis / 1000.0) }</p>
                    <div class="actions">
                        if d.rejected > 0 {
                            <button type="button" class="primary" onclick={rejects.clone()}>{ ctx.t("ledger.download_rejects") }</button>
                        }
                        <Link<Route> to={Route::Residents} classes="button secondary">{ ctx.t("ledger.to_list") }</Link<Route>>
                        <button type="button" class="secondary" onclick={restart.clone()}>{ ctx.t("ledger.another") }</button>
                    </div>
                </section>
            }
        </div>
    }
}
