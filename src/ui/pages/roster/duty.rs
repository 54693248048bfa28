//! 我的值班: one person's coming shifts as a simple list for a phone (today's first, large
//! text), and an .ics file that puts them into the phone's calendar. On a device with the
//! community's database it shows the duties of the person chosen as this device's user, or of
//! anyone picked from the list.

use crate::domain::roster::{write_ics, IcsEvent, CHECK_IN_EARLY, WEEK};
use crate::domain::share::{SharedDuty, SharedShift};
use crate::protocol::{Request, Response, ShiftRow, TeamRow};
use crate::ui::app::Route;
use crate::ui::components::select_value;
use crate::ui::ctx::use_app;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

/// A share link made for the list shown.
#[derive(Clone, PartialEq)]
struct Shared {
    url: String,
    /// Duties the link holds, of `total` (the link has a size limit).
    held: usize,
    total: usize,
    /// The local date of the last duty held.
    until: String,
    /// The QR code as a data: URL (an image: no markup of ours reaches the page).
    qr: Option<String>,
}

/// /duty?who=<volunteer, staff or team id>
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DutyQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub who: String,
}

pub(super) fn local(ms: i64) -> (String, String) {
    let d = js_sys::Date::new(&(ms as f64).into());
    (
        format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        ),
        format!("{:02}:{:02}", d.get_hours(), d.get_minutes()),
    )
}

pub(super) fn download_text(text: &str, name: &str, mime: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = gloo::utils::document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        let _ = gloo::utils::body().append_child(&a);
        a.click();
        a.remove();
    }
}

#[component]
pub fn DutyPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let query: DutyQuery = use_location()
        .and_then(|l| l.query::<DutyQuery>().ok())
        .unwrap_or_default();
    let code = ctx.community_code();
    let me = ctx
        .status
        .actor
        .as_ref()
        .map(|a| a.id.clone())
        .unwrap_or_default();
    let who = if query.who.is_empty() {
        me
    } else {
        query.who.clone()
    };
    let people = crate::ui::pickers::use_people(code.clone());
    let teams = use_state(Vec::<TeamRow>::new);
    {
        let (ctx, teams) = (ctx.clone(), teams.clone());
        use_effect_with(code.clone(), move |code| {
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::Teams(t)) = ctx
                    .call(Request::ListTeams {
                        community_code: code,
                    })
                    .await
                {
                    teams.set(t);
                }
            });
        });
    }
    let sharing = use_state(|| None::<Shared>);
    {
        let sharing = sharing.clone();
        use_effect_with(who.clone(), move |_| sharing.set(None));
    }
    let rows = use_state(|| None::<Vec<ShiftRow>>);
    // From the start of today, eight weeks.
    let today0 = {
        let d = js_sys::Date::new_0();
        d.set_hours(0);
        d.set_minutes(0);
        d.set_seconds(0);
        d.set_milliseconds(0);
        d.get_time() as i64
    };
    let reload = use_state(|| 0u32);
    let check_error = use_state(|| None::<(String, String)>);
    {
        let (ctx, rows) = (ctx.clone(), rows.clone());
        use_effect_with((who.clone(), *reload), move |(who, _)| {
            let who = who.clone();
            if who.is_empty() {
                rows.set(Some(Vec::new()));
            } else {
                wasm_bindgen_futures::spawn_local(async move {
                    let req = Request::Duties {
                        person_id: who,
                        from: today0,
                        to: today0 + 8 * WEEK,
                    };
                    rows.set(Some(match ctx.call(req).await {
                        Ok(Response::Roster(r)) => r,
                        _ => Vec::new(),
                    }));
                });
            }
        });
    }
    let name = people
        .0
        .iter()
        .find(|v| v.id == who)
        .map(|v| v.name.clone())
        .or_else(|| {
            people
                .1
                .iter()
                .find(|s| s.id == who)
                .map(|s| s.name.clone())
        })
        .or_else(|| teams.iter().find(|t| t.id == who).map(|t| t.name.clone()))
        .unwrap_or_default();
    let is_team = teams.iter().any(|t| t.id == who);
    let on_share = {
        let (rows, name, sharing, ctx) = (rows.clone(), name.clone(), sharing.clone(), ctx.clone());
        let office = ctx.community().map(|c| c.name.clone()).unwrap_or_default();
        Callback::from(move |_: MouseEvent| {
            let shifts: Vec<SharedShift> = rows
                .as_ref()
                .map(|r| {
                    r.iter()
                        .map(|r| SharedShift {
                            start: r.start_at,
                            end: r.end_at,
                            title: r.title.clone(),
                            place: [r.grid_name.as_str(), r.place.as_str()]
                                .iter()
                                .filter(|x| !x.is_empty())
                                .copied()
                                .collect::<Vec<_>>()
                                .join(" · "),
                            role: r.role.clone(),
                            people: if is_team {
                                r.people.iter().map(|p| p.name.clone()).collect()
                            } else {
                                Vec::new()
                            },
                        })
                        .collect()
                })
                .unwrap_or_default();
            let total = shifts.len();
            let until_of: Vec<i64> = shifts.iter().map(|s| s.start).collect();
            let duty = SharedDuty {
                name: name.clone(),
                office: office.clone(),
                as_of: js_sys::Date::now() as i64,
                shifts,
            };
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            let (ctx, sharing) = (ctx.clone(), sharing.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let req = Request::ShareDuty { duty, origin };
                if let Ok(Response::DutyShare { url, held, qr }) = ctx.call(req).await {
                    let held = held as usize;
                    let until = until_of
                        .get(held.saturating_sub(1))
                        .map(|&s| local(s).0)
                        .unwrap_or_default();
                    sharing.set(Some(Shared {
                        url,
                        held,
                        total,
                        until,
                        qr,
                    }));
                }
            });
        })
    };
    let on_copy = {
        let sharing = sharing.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(s), Some(w)) = (sharing.as_ref(), web_sys::window()) {
                let _ = w.navigator().clipboard().write_text(&s.url);
            }
        })
    };
    let on_pick = {
        let nav = nav.clone();
        Callback::from(move |e: Event| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(
                    &Route::Duty,
                    &DutyQuery {
                        who: select_value(&e),
                    },
                );
            }
        })
    };
    let on_ics = {
        let (rows, name) = (rows.clone(), name.clone());
        let title = format!("{name} {}", ctx.t("duty.title"));
        Callback::from(move |_: MouseEvent| {
            let events: Vec<IcsEvent> = rows
                .as_ref()
                .map(|r| {
                    r.iter()
                        .map(|r| {
                            IcsEvent::shift(
                                &r.id,
                                r.start_at,
                                r.end_at,
                                &r.title,
                                &[&r.grid_name, &r.place],
                                &r.role,
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let ics = write_ics(&title, &events, js_sys::Date::now() as i64);
            download_text(
                &ics,
                &format!("{name}-值班.ics"),
                "text/calendar;charset=utf-8",
            );
        })
    };
    let today = local(today0).0;
    let now = js_sys::Date::now() as i64;
    let check = |link: String, action: &'static str| {
        let (ctx, reload, check_error) = (ctx.clone(), reload.clone(), check_error.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, reload, check_error, link) = (
                ctx.clone(),
                reload.clone(),
                check_error.clone(),
                link.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let req = Request::CheckShift {
                    link_id: link.clone(),
                    action: action.into(),
                };
                match ctx.call(req).await {
                    Ok(_) => check_error.set(None),
                    Err(e) => {
                        let text = e
                            .fields
                            .first()
                            .map(|f| ctx.lang.problem(&f.code))
                            .unwrap_or_else(|| ctx.error_text(&e));
                        check_error.set(Some((link, text)));
                    }
                }
                reload.set(*reload + 1);
            });
        })
    };
    html! {
        <div class="page duty">
            <h1>{ ctx.t("duty.title") }</h1>
            <div class="field">
                <label for="duty-who">{ ctx.t("duty.who") }</label>
                <select id="duty-who" onchange={on_pick}>
                    <option value="" selected={who.is_empty()}>{ ctx.t("field.choose") }</option>
                    <optgroup label={ctx.t("nav.volunteers")}>
                        { for people.0.iter().map(|v| html! { <option value={v.id.clone()} selected={v.id == who}>{ &v.name }</option> }) }
                    </optgroup>
                    <optgroup label={ctx.t("nav.staff")}>
                        { for people.1.iter().map(|s| html! { <option value={s.id.clone()} selected={s.id == who}>{ &s.name }</option> }) }
                    </optgroup>
                    <optgroup label={ctx.t("volunteer.teams")}>
                        { for teams.iter().map(|t| html! { <option value={t.id.clone()} selected={t.id == who}>{ &t.name }</option> }) }
                    </optgroup>
                </select>
            </div>
            if let Some(s) = &*sharing {
                <section class="card share-panel" aria-labelledby="share-h">
                    <h2 id="share-h">{ format!("{} · {name}", ctx.t("duty.share")) }</h2>
                    <p>{ if s.held < s.total {
                        format!("{} {} / {} {}（{} {}）", ctx.t("share.holds_some"), s.held, s.total, ctx.t("share.duties"), ctx.t("share.until"), s.until)
                    } else {
                        format!("{} {} {}", ctx.t("share.holds_all"), s.held, ctx.t("share.duties"))
                    } }</p>
                    <div class="share-link">
                        <input id="share-link" type="text" readonly=true value={s.url.clone()} aria-label={ctx.t("share.link")} />
                        <button type="button" class="secondary" onclick={on_copy}>{ ctx.t("share.copy") }</button>
                        <a class="button secondary" href={s.url.clone()} target="_blank" rel="noopener">{ ctx.t("share.open") }</a>
                    </div>
                    if let Some(qr) = &s.qr { <img class="qr" src={qr.clone()} alt={ctx.t("share.qr")} /> }
                    <p class="hint">{ ctx.t("share.privacy") }</p>
                    <p class="hint">{ ctx.t("share.reshare") }</p>
                </section>
            }
            if let Some(rows) = &*rows {
                if rows.is_empty() {
                    <p class="empty">{ ctx.t("duty.none") }</p>
                } else {
                    <div class="actions">
                        <button type="button" class="primary big" onclick={on_ics}>{ ctx.t("duty.add_calendar") }</button>
                        <button type="button" class="secondary big" onclick={on_share}>{ ctx.t("duty.share") }</button>
                    </div>
                    <ol class="duties">
                        { for rows.iter().map(|r| {
                            let (day, start) = local(r.start_at);
                            let (_, end) = local(r.end_at);
                            let mine = r.people.iter().find(|p| p.person_id == who);
                            html! {
                                <li class={classes!((day == today).then_some("today"))}>
                                    <div class="when"><strong>{ if day == today { ctx.t("duty.today").to_string() } else { day[5..].to_string() } }</strong>
                                        <span>{ format!("{start}–{end}") }</span></div>
                                    <div class="what"><strong>{ &r.title }</strong>
                                        <span>{ [r.grid_name.as_str(), r.place.as_str(), r.role.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" · ") }</span>
                                        if is_team { <span class="people">{ r.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("、") }</span> }
                                        if let Some(p) = mine { if p.status != "planned" { <span class="badge">{ ctx.t(&format!("roster.status.{}", p.status)) }</span> } }
                                    </div>
                                    if let Some(p) = mine {
                                        <div class="checkinout">
                                            if let Some(t) = p.check_in { <span>{ format!("{} {}", ctx.t("duty.checked_in"), local(t).1) }</span> }
                                            if let Some(t) = p.check_out { <span>{ format!("{} {}", ctx.t("duty.checked_out"), local(t).1) }</span> }
                                            if p.check_in.is_none() && p.status == "planned" && now >= r.start_at - CHECK_IN_EARLY && now <= r.end_at {
                                                <button type="button" class="primary big" onclick={check(p.link_id.clone(), "in")}>{ ctx.t("duty.check_in") }</button>
                                            }
                                            if p.check_in.is_some() && p.check_out.is_none() && p.status != "no_show" {
                                                <button type="button" class="primary big" onclick={check(p.link_id.clone(), "out")}>{ ctx.t("duty.check_out") }</button>
                                            }
                                            if let Some((_, e)) = check_error.as_ref().filter(|(l, _)| *l == p.link_id) { <p class="error" role="alert">{ e }</p> }
                                        </div>
                                    }
                                </li>
                            }
                        }) }
                    </ol>
                }
            } else {
                <p>{ ctx.t("common.loading") }</p>
            }
        </div>
    }
}
