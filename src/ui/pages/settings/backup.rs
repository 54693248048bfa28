//! Storage and backup: whether the browser keeps the data for good (persistent storage, asked
//! for with one click), how much space is used and left, the last full backup and a one-click
//! backup (every community, nothing masked, photos included) with a reminder cadence. A backup
//! is an ordinary bundle: restoring it is an import on 数据交换 (with its preview).

use crate::protocol::{ExportLogRow, ExportOptions, Request, Response};
use crate::ui::components::{download, Banner, SelectField};
use crate::ui::ctx::{use_app, AppCtx};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// The export log's destination for a full backup.
pub const BACKUP_DESTINATION: &str = "backup";
const CADENCE_KEY: &str = "gridledger.backup_days";
const DAY_MS: f64 = 86_400_000.0;

/// Days between backup reminders (0: no reminder); a week unless changed.
pub fn backup_days() -> u32 {
    use gloo::storage::{LocalStorage, Storage};
    LocalStorage::get::<u32>(CADENCE_KEY).unwrap_or(7)
}

/// The newest full backup in the export log.
pub fn last_backup(log: &[ExportLogRow]) -> Option<i64> {
    log.iter()
        .filter(|r| r.destination == BACKUP_DESTINATION)
        .map(|r| r.wall_millis)
        .max()
}

/// A backup is due: the cadence is on and the last backup is older than it (or there is none).
pub fn backup_due(last: Option<i64>, days: u32, now: f64) -> bool {
    days > 0 && last.is_none_or(|t| now - t as f64 > days as f64 * DAY_MS)
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    web_sys::window().map(|w| w.navigator().storage())
}

async fn promise(
    p: Result<js_sys::Promise, wasm_bindgen::JsValue>,
) -> Option<wasm_bindgen::JsValue> {
    JsFuture::from(p.ok()?).await.ok()
}

fn mb(bytes: f64) -> String {
    if bytes >= 1e9 {
        format!("{:.1} GB", bytes / 1e9)
    } else {
        format!("{:.1} MB", bytes / 1e6)
    }
}

/// Sends the one-click backup and downloads it; returns an error text for the banner.
pub async fn run_backup(ctx: &AppCtx) -> Result<String, String> {
    let options = ExportOptions {
        destination: BACKUP_DESTINATION.into(),
        photos: true,
        // Every photo: a backup that drops some is no backup.
        photo_cap_mb: u32::MAX / 2,
        ..Default::default()
    };
    match ctx.export(options, None).await {
        Ok((s, b)) => {
            download(&b, &s.file_name);
            Ok(s.file_name)
        }
        Err(e) if e.code == "worker" => Err(ctx.t("backup.failed").to_string()),
        Err(e) => Err(ctx.error_text(&e)),
    }
}

/// The one-click backup's state and click: busy while it runs, then the file or the error;
/// `reload` is bumped after it so the caller re-reads the export log.
type BackupState = (
    UseStateHandle<bool>,
    UseStateHandle<Option<Result<String, String>>>,
    Callback<MouseEvent>,
);

#[hook]
fn use_backup(reload: UseStateHandle<u32>) -> BackupState {
    let ctx = use_app();
    let busy = use_state(|| false);
    let result = use_state(|| None::<Result<String, String>>);
    let click = {
        let (busy, result) = (busy.clone(), result.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, busy, result, reload) =
                (ctx.clone(), busy.clone(), result.clone(), reload.clone());
            busy.set(true);
            result.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let r = run_backup(&ctx).await;
                busy.set(false);
                result.set(Some(r));
                reload.set(*reload + 1);
            });
        })
    };
    (busy, result, click)
}

#[component]
pub fn StorageCard() -> Html {
    let ctx = use_app();
    let persisted = use_state(|| None::<bool>);
    let usage = use_state(|| None::<(f64, f64)>);
    let log = use_state(Vec::<ExportLogRow>::new);
    let days = use_state(backup_days);
    let reload = use_state(|| 0u32);
    let (busy, result, backup) = use_backup(reload.clone());
    {
        let (persisted, usage, log, ctx) =
            (persisted.clone(), usage.clone(), log.clone(), ctx.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(m) = storage_manager() {
                    if let Some(v) = promise(m.persisted()).await {
                        persisted.set(v.as_bool());
                    }
                    if let Some(e) = promise(m.estimate()).await {
                        let e: web_sys::StorageEstimate = e.unchecked_into();
                        usage.set(Some((
                            e.get_usage().unwrap_or(0.0),
                            e.get_quota().unwrap_or(0.0),
                        )));
                    }
                }
                if let Ok(Response::ExportLog(l)) = ctx.call(Request::ExportLog).await {
                    log.set(l);
                }
            });
        });
    }
    let ask = {
        let (persisted, reload) = (persisted.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let (persisted, reload) = (persisted.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(m) = storage_manager() {
                    if let Some(v) = promise(m.persist()).await {
                        persisted.set(v.as_bool());
                    }
                }
                reload.set(*reload + 1);
            });
        })
    };
    let on_days = {
        let days = days.clone();
        Callback::from(move |v: String| {
            use gloo::storage::{LocalStorage, Storage};
            let d: u32 = v.parse().unwrap_or(0);
            let _ = LocalStorage::set(CADENCE_KEY, d);
            days.set(d);
        })
    };
    let last = last_backup(&log);
    let day_opts: Vec<(String, String)> = [0u32, 1, 7, 14, 30]
        .iter()
        .map(|d| {
            let label = if *d == 0 {
                ctx.t("backup.never_remind").to_string()
            } else {
                format!("{} {} {}", ctx.t("backup.every"), d, ctx.t("care.days"))
            };
            (d.to_string(), label)
        })
        .collect();
    html! {
        <section class="card" aria-labelledby="storage-h" id="storage-card">
            <h2 id="storage-h">{ ctx.t("backup.title") }</h2>
            <dl class="facts">
                <dt>{ ctx.t("backup.persisted") }</dt>
                <dd id="storage-persisted">{ match *persisted {
                    Some(true) => ctx.t("backup.persisted_yes"),
                    Some(false) => ctx.t("backup.persisted_no"),
                    None => ctx.t("backup.persisted_unknown"),
                } }</dd>
                <dt>{ ctx.t("backup.usage") }</dt>
                <dd id="storage-usage">{ match *usage {
                    Some((u, q)) if q > 0.0 => format!("{} / {} ({} {})", mb(u), mb(q), ctx.t("backup.left"), mb((q - u).max(0.0))),
                    _ => "—".to_string(),
                } }</dd>
                <dt>{ ctx.t("backup.last") }</dt>
                <dd id="storage-last-backup">{ last.map(crate::ui::pages::cases::fmt_when).unwrap_or_else(|| ctx.t("backup.none").to_string()) }</dd>
            </dl>
            if *persisted == Some(false) {
                <p class="hint">{ ctx.t("backup.persist_hint") }</p>
                <button type="button" class="secondary" id="storage-persist" onclick={ask}>{ ctx.t("backup.persist") }</button>
            }
            <div class="row">
                <button type="button" class="primary" id="backup-now" disabled={*busy} onclick={backup}>
                    { if *busy { ctx.t("backup.working") } else { ctx.t("backup.now") } }
                </button>
                <SelectField id="backup-days" label={ctx.t("backup.remind")} value={days.to_string()} options={day_opts} onchange={on_days} />
            </div>
            <p class="hint">{ ctx.t("backup.restore_hint") }</p>
            { match &*result {
                Some(Ok(f)) => html! { <Banner kind="ok" text={format!("{} {f}", ctx.t("backup.done"))} /> },
                Some(Err(e)) => html! { <Banner text={e.clone()} /> },
                None => html! {},
            } }
        </section>
    }
}

/// On the home page: the last backup, and a reminder with a one-click backup when it is due.
#[component]
pub fn BackupReminder() -> Html {
    let ctx = use_app();
    let log = use_state(|| None::<Vec<ExportLogRow>>);
    let reload = use_state(|| 0u32);
    let (busy, result, backup) = use_backup(reload.clone());
    {
        let (log, ctx) = (log.clone(), ctx.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::ExportLog(l)) = ctx.call(Request::ExportLog).await {
                    log.set(Some(l));
                }
            });
        });
    }
    let Some(l) = &*log else {
        return html! {};
    };
    let last = last_backup(l);
    let due = backup_due(last, backup_days(), js_sys::Date::now());
    let when = last
        .map(crate::ui::pages::cases::fmt_when)
        .unwrap_or_else(|| ctx.t("backup.none").to_string());
    html! {
        <div class={classes!("backup-bar", due.then_some("due"))} id="backup-bar" role={if due { "alert" } else { "status" }}>
            <span>{ format!("{}: {when}", ctx.t("backup.last")) }</span>
            if due {
                <span class="hint">{ ctx.t("backup.reminder") }</span>
                <button type="button" class="primary small" id="backup-bar-now" disabled={*busy} onclick={backup}>
                    { if *busy { ctx.t("backup.working") } else { ctx.t("backup.now") } }
                </button>
            }
            { match &*result {
                Some(Ok(f)) => html! { <span class="ok">{ format!("{} {f}", ctx.t("backup.done")) }</span> },
                Some(Err(e)) => html! { <span class="error">{ e.clone() }</span> },
                None => html! {},
            } }
        </div>
    }
}
