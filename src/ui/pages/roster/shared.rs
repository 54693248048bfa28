//! A shared duty list opened from its link (`/shared#d1.…`, `domain::share`): read-only, on any
//! phone, with no database and no worker — the data is in the URL fragment, which the browser
//! never sends to a server. The last list opened is kept on the phone (localStorage), so the
//! page added to the home screen shows it again; a new link replaces it.

use super::duty::{download_text, local};
use crate::domain::roster::{write_ics, IcsEvent};
use crate::domain::share::{self, ShareError, SharedDuty};
use crate::i18n::Lang;
use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

const KEPT: &str = "gridledger.shared_duty";

fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').trim().to_string())
        .unwrap_or_default()
}

/// The list to show: the link's (kept for next time when it reads), else the kept one.
fn load(frag: &str) -> (Result<SharedDuty, ShareError>, bool) {
    if !frag.is_empty() {
        let r = share::decode(frag);
        if r.is_ok() {
            let _ = LocalStorage::set(KEPT, frag);
        }
        return (r, false);
    }
    match LocalStorage::get::<String>(KEPT) {
        Ok(kept) => (share::decode(&kept), true),
        Err(_) => (Err(ShareError::Empty), false),
    }
}

#[derive(Properties, PartialEq)]
pub struct SharedProps {
    pub lang: Lang,
    pub set_lang: Callback<Lang>,
}

#[component]
pub fn SharedDutyPage(p: &SharedProps) -> Html {
    let l = p.lang;
    let frag = use_state(fragment);
    {
        // Another link opened in the same tab changes only the fragment.
        let frag = frag.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "hashchange", move |_| frag.set(fragment()))
            });
            move || drop(listener)
        });
    }
    let (result, kept) = load(&frag);
    let next = if l == Lang::Zh { Lang::En } else { Lang::Zh };
    let set_lang = p.set_lang.clone();
    let lang_button = html! {
        <button type="button" class="lang" aria-label={l.t("lang.label")} onclick={move |_| set_lang.emit(next)}>{ l.t("lang.switch") }</button>
    };
    let today0 = {
        let d = js_sys::Date::new_0();
        d.set_hours(0);
        d.set_minutes(0);
        d.set_seconds(0);
        d.set_milliseconds(0);
        d.get_time() as i64
    };
    let today = local(today0).0;
    let body = match result {
        Err(e) => {
            let (title, text) = match e {
                ShareError::Empty => ("shared.empty_title", "shared.empty"),
                ShareError::UnknownVersion(_) => ("shared.bad_title", "shared.unknown_version"),
                ShareError::TooLong | ShareError::Corrupted => {
                    ("shared.bad_title", "shared.corrupted")
                }
            };
            html! {
                <section class="card alert" role="alert">
                    <h1>{ l.t(title) }</h1>
                    <p>{ l.t(text) }</p>
                    <p class="hint">{ format!("{}: {}", l.t("unavailable.reason"), e.code()) }</p>
                </section>
            }
        }
        Ok(d) => {
            let coming: Vec<_> = d.shifts.iter().filter(|s| s.end >= today0).collect();
            let on_ics = {
                let d = d.clone();
                let title = format!("{} {}", d.name, l.t("duty.title"));
                Callback::from(move |_: MouseEvent| {
                    let events: Vec<IcsEvent> = d
                        .shifts
                        .iter()
                        .map(|s| {
                            IcsEvent::shift(
                                &format!("shared-{}-{}", s.start, s.title),
                                s.start,
                                s.end,
                                &s.title,
                                &[&s.place],
                                &s.role,
                            )
                        })
                        .collect();
                    let ics = write_ics(&title, &events, js_sys::Date::now() as i64);
                    download_text(
                        &ics,
                        &format!("{}-值班.ics", d.name),
                        "text/calendar;charset=utf-8",
                    );
                })
            };
            let (as_of_day, as_of_time) = local(d.as_of);
            html! {
                <>
                    <h1>{ format!("{} · {}", d.name, l.t("duty.title")) }</h1>
                    <p class="office">{ &d.office }</p>
                    <p class="as-of" id="as-of">{ format!("{} {as_of_day} {as_of_time}", l.t("shared.as_of")) }</p>
                    if kept { <p class="hint">{ l.t("shared.kept") }</p> }
                    if coming.is_empty() {
                        <p class="empty">{ l.t("shared.all_past") }</p>
                    } else {
                        <button type="button" class="primary big" onclick={on_ics}>{ l.t("duty.add_calendar") }</button>
                        <ol class="duties">
                            { for coming.iter().map(|s| {
                                let (day, start) = local(s.start);
                                let (_, end) = local(s.end);
                                html! {
                                    <li class={classes!((day == today).then_some("today"))}>
                                        <div class="when"><strong>{ if day == today { l.t("duty.today").to_string() } else { day[5..].to_string() } }</strong>
                                            <span>{ format!("{start}–{end}") }</span></div>
                                        <div class="what"><strong>{ &s.title }</strong>
                                            <span>{ [s.place.as_str(), s.role.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" · ") }</span>
                                            if !s.people.is_empty() { <span class="people">{ s.people.join("、") }</span> }
                                        </div>
                                    </li>
                                }
                            }) }
                        </ol>
                    }
                    <p class="hint">{ l.t("shared.home_screen") }</p>
                    <p class="hint">{ l.t("shared.read_only") }</p>
                </>
            }
        }
    };
    html! {
        <>
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{"网"}</span>
                    <span class="name">{ l.t("app.name") }</span>
                </div>
                <div class="navtools shared-tools">{ lang_button }</div>
            </header>
            <main class="content page duty shared">{ body }</main>
        </>
    }
}
