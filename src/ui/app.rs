//! The app shell: boots the database worker, routes (real URLs per page), the navigation bar
//! and the language switch. Pages live in `pages/`, one folder each.

use super::ctx::AppCtx;
use super::db::{Db, DbHandle};
use super::pages;
use super::tabs::{TabMsg, Tabs};
use crate::i18n::Lang;
use crate::protocol::{Request, Response, Status, StorageState};
use std::rc::Rc;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Routable, Clone, PartialEq, Debug)]
pub enum Route {
    #[at("/")]
    Home,
    /// The dashboard as a wall display.
    #[at("/screen")]
    Screen,
    /// The month's report, for printing.
    #[at("/report")]
    Report,
    #[at("/grids")]
    Grids,
    #[at("/residents")]
    Residents,
    #[at("/care")]
    Care,
    #[at("/care/:id")]
    ResidentCare { id: String },
    #[at("/party")]
    Party,
    #[at("/residents/import")]
    ResidentsImport,
    #[at("/residents/new")]
    NewResident,
    #[at("/residents/:id")]
    Resident { id: String },
    #[at("/volunteers")]
    Volunteers,
    #[at("/volunteers/new")]
    NewVolunteer,
    #[at("/volunteers/:id")]
    Volunteer { id: String },
    #[at("/hours")]
    Hours,
    #[at("/roster")]
    Roster,
    #[at("/duty")]
    Duty,
    #[at("/staff")]
    Staff,
    #[at("/settings")]
    Settings,
    #[at("/exchange")]
    Exchange,
    #[at("/cases")]
    Cases,
    #[at("/cases/new")]
    NewCase,
    #[at("/cases/:id")]
    Case { id: String },
    #[at("/wishes")]
    Wishes,
    #[at("/wishes/new")]
    NewWish,
    #[at("/wishes/:id")]
    Wish { id: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home | Route::NotFound => html! { <pages::home::HomePage /> },
        Route::Screen => html! { <pages::home::ScreenPage /> },
        Route::Report => html! { <pages::home::ReportPage /> },
        Route::Grids => html! { <pages::grids::GridsPage /> },
        Route::Residents => html! { <pages::residents::ResidentsPage /> },
        Route::ResidentsImport => html! { <pages::residents::ResidentImportPage /> },
        Route::Care => html! { <pages::care::KeyCarePage /> },
        Route::ResidentCare { id } => html! { <pages::care::ResidentCarePage id={id} /> },
        Route::Party => html! { <pages::care::PartyPage /> },
        Route::NewResident => {
            html! { <pages::residents::ResidentEditPage id={AttrValue::from("")} /> }
        }
        Route::Resident { id } => {
            html! { <pages::residents::ResidentEditPage id={AttrValue::from(id)} /> }
        }
        Route::Staff => html! { <pages::staff::StaffPage /> },
        Route::Roster => html! { <pages::roster::RosterPage /> },
        Route::Hours => html! { <pages::volunteers::TimeBankPage /> },
        Route::Duty => html! { <pages::roster::DutyPage /> },
        Route::Volunteers => html! { <pages::volunteers::VolunteersPage /> },
        Route::NewVolunteer => html! { <pages::volunteers::VolunteerEditPage id="" /> },
        Route::Volunteer { id } => html! { <pages::volunteers::VolunteerEditPage id={id} /> },
        Route::Settings => html! { <pages::settings::SettingsPage /> },
        Route::Exchange => html! { <pages::exchange::ExchangePage /> },
        Route::Cases => html! { <pages::cases::CasesPage /> },
        Route::NewCase => html! { <pages::cases::CaseReportPage /> },
        Route::Case { id } => html! { <pages::cases::CaseViewPage id={id} /> },
        Route::Wishes => html! { <pages::wishes::WishesPage /> },
        Route::NewWish => html! { <pages::wishes::WishNewPage /> },
        Route::Wish { id } => html! { <pages::wishes::WishViewPage id={id} /> },
    }
}

#[derive(Clone, PartialEq)]
enum Boot {
    Loading,
    /// No OPFS here: not a secure context, or the worker could not open it.
    Unavailable {
        insecure: bool,
        reason: String,
    },
    /// Another tab owns the database.
    OtherTab,
    /// This tab let another tab take the database over.
    Released,
    /// This tab asked the owner to let go and waits for it.
    TakingOver,
    Crashed(String),
    Ready(Rc<Status>),
}

/// Waits `ms` milliseconds.
pub(crate) async fn sleep(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

fn secure_context() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let secure = js_sys::Reflect::get(&w, &"isSecureContext".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let nav = w.navigator();
    let has_storage = js_sys::Reflect::get(&nav, &"storage".into())
        .map(|v| !v.is_undefined())
        .unwrap_or(false);
    secure && has_storage
}

/// A shared duty link (`/shared#…`) opens without the database: no worker is started.
fn is_shared_link() -> bool {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .is_some_and(|p| p.trim_end_matches('/') == "/shared")
}

#[component]
pub fn App() -> Html {
    let shared = is_shared_link();
    let lang = use_state(Lang::load);
    let boot = use_state(|| Boot::Loading);
    // A new worker each time this tab takes the database (back) from another tab.
    let generation = use_state(|| 0u32);
    let update_ready = use_state(|| false);
    let db = {
        let boot = boot.setter();
        use_memo(*generation, move |_| {
            if shared || !secure_context() {
                return None;
            }
            let crash = boot.clone();
            match Db::spawn(move |msg| crash.set(Boot::Crashed(msg))) {
                Ok(db) => Some(DbHandle(Rc::new(db))),
                Err(reason) => {
                    boot.set(Boot::Unavailable {
                        insecure: false,
                        reason,
                    });
                    None
                }
            }
        })
    };
    let refresh = {
        let db = (*db).clone();
        let boot = boot.setter();
        use_callback(*generation, move |_: (), _| {
            let Some(db) = db.clone() else { return };
            let boot = boot.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let reply = db.0.call(Request::Status).await;
                if db.0.is_stopped() {
                    return; // handed to another tab meanwhile
                }
                match reply {
                    Ok(Response::Status(s)) => match &s.storage {
                        StorageState::Ready => {
                            mark("gridledger-db-ready");
                            boot.set(Boot::Ready(Rc::new(s)))
                        }
                        StorageState::Unavailable(reason)
                            if reason.contains("NoModificationAllowedError") =>
                        {
                            boot.set(Boot::OtherTab)
                        }
                        StorageState::Unavailable(reason) => boot.set(Boot::Unavailable {
                            insecure: false,
                            reason: reason.clone(),
                        }),
                    },
                    Ok(_) => boot.set(Boot::Crashed("unexpected reply".into())),
                    Err(e) => boot.set(Boot::Crashed(format!("{}: {}", e.code, e.detail))),
                }
            });
        })
    };
    {
        let refresh = refresh.clone();
        let boot = boot.setter();
        let has_db = db.is_some();
        use_effect_with(*generation, move |_| {
            if shared {
                // The shared page needs no database.
            } else if has_db {
                refresh.emit(());
            } else if secure_context() {
                // Db::spawn failed and already said why.
            } else {
                boot.set(Boot::Unavailable {
                    insecure: true,
                    reason: String::new(),
                });
            }
        });
    }
    // The installed app: a new build waits until the person agrees to reload.
    {
        let update_ready = update_ready.setter();
        use_effect_with((), move |_| {
            if secure_context() {
                super::pwa::register(move || update_ready.set(true));
            }
        });
    }
    // The other tabs of this browser (see `tabs`): who owns the database, and taking it over.
    let on_tab = use_mut_ref(|| None::<Rc<dyn Fn(TabMsg)>>);
    let tabs = {
        let on_tab = on_tab.clone();
        use_memo((), move |_| {
            if shared {
                return None;
            }
            let tabs = Tabs::open(move |m| {
                let cb = on_tab.borrow().clone();
                if let Some(cb) = cb {
                    cb(m)
                }
            });
            if let Some(t) = &tabs {
                t.send(TabMsg::Ping);
            }
            tabs
        })
    };
    let awaiting_release = use_mut_ref(|| false);
    {
        let (now, db, set, generation, tabs, awaiting) = (
            (*boot).clone(),
            (*db).clone(),
            boot.setter(),
            generation.clone(),
            tabs.clone(),
            awaiting_release.clone(),
        );
        *on_tab.borrow_mut() = Some(Rc::new(move |m: TabMsg| match (m, &now) {
            (TabMsg::Ping, Boot::Ready(_)) => {
                if let Some(t) = tabs.as_ref() {
                    t.send(TabMsg::Owner)
                }
            }
            (TabMsg::Owner, Boot::Loading) => {
                if let Some(db) = &db {
                    db.0.terminate();
                }
                set.set(Boot::OtherTab);
            }
            (TabMsg::TakeOver, Boot::Ready(_) | Boot::Loading) => {
                // Pages go away first (no new request), then the requests in flight finish,
                // then the worker stops and the files are free.
                set.set(Boot::Released);
                if let Some(db) = &db {
                    db.0.retire();
                }
                let (db, tabs) = (db.clone(), tabs.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(db) = db {
                        while !db.0.idle() {
                            sleep(100).await;
                        }
                        db.0.terminate();
                    }
                    if let Some(t) = tabs.as_ref() {
                        t.send(TabMsg::Released);
                    }
                });
            }
            (TabMsg::Released, Boot::TakingOver) => {
                *awaiting.borrow_mut() = false;
                set.set(Boot::Loading);
                generation.set(*generation + 1);
            }
            _ => {}
        }));
    }
    let take_over = {
        let (set, generation, tabs, awaiting) = (
            boot.setter(),
            generation.clone(),
            tabs.clone(),
            awaiting_release.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            set.set(Boot::TakingOver);
            *awaiting.borrow_mut() = true;
            if let Some(t) = tabs.as_ref() {
                t.send(TabMsg::TakeOver);
            }
            // An owner that never answers (frozen, or already gone): try anyway after a while;
            // the worker's own retry says if the files are still held.
            let (set, generation, awaiting) = (set.clone(), generation.clone(), awaiting.clone());
            wasm_bindgen_futures::spawn_local(async move {
                sleep(15_000).await;
                if std::mem::take(&mut *awaiting.borrow_mut()) {
                    set.set(Boot::Loading);
                    generation.set(*generation + 1);
                }
            });
        })
    };
    {
        let l = *lang;
        use_effect_with(l, move |l| {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                if let Some(el) = doc.document_element() {
                    let _ = el.set_attribute("lang", l.html_lang());
                }
                doc.set_title(l.t("app.name"));
            }
        });
    }
    let set_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| {
            l.save();
            lang.set(l);
        })
    };
    let l = *lang;
    let lang_button = {
        let set_lang = set_lang.clone();
        let next = if l == Lang::Zh { Lang::En } else { Lang::Zh };
        html! {
            <button type="button" class="lang" aria-label={l.t("lang.label")} onclick={move |_| set_lang.emit(next)}>
                { l.t("lang.switch") }
            </button>
        }
    };

    // The street office's community pick (or "whole street") survives a reload.
    let chosen = use_state(|| {
        use gloo::storage::{LocalStorage, Storage};
        LocalStorage::get::<String>(CHOSEN_KEY).unwrap_or_default()
    });
    let banner = if *update_ready {
        html! {
            <div class="update-banner" role="status">
                <span>{ l.t("pwa.update_ready") }</span>
                <button type="button" class="primary" onclick={|_| super::pwa::update_now()}>{ l.t("pwa.reload") }</button>
            </div>
        }
    } else {
        html! {}
    };
    if shared {
        return html! { <>{ banner }<pages::roster::SharedDutyPage lang={l} set_lang={set_lang} /></> };
    }
    let other_tab = match &*boot {
        Boot::OtherTab => true,
        Boot::Unavailable { reason, .. } => reason.contains("NoModificationAllowedError"),
        _ => false,
    };
    let screen = match &*boot {
        Boot::Loading => html! {
            <main class="splash" aria-busy="true">
                <h1>{ l.t("app.name") }</h1>
                <p>{ l.t("app.loading") }</p>
                { lang_button }
            </main>
        },
        _ if other_tab => {
            html! {
                <main class="splash unavailable other-tab">
                    <h1>{ l.t("unavailable.other_tab_title") }</h1>
                    <p>{ l.t("unavailable.other_tab") }</p>
                    <p><button type="button" class="primary" id="take-over" onclick={take_over.clone()}>{ l.t("tabs.take_over") }</button></p>
                    <p class="hint">{ l.t("tabs.take_over_hint") }</p>
                    { lang_button }
                </main>
            }
        }
        Boot::Released => html! {
            <main class="splash unavailable released">
                <h1>{ l.t("tabs.released_title") }</h1>
                <p>{ l.t("tabs.released") }</p>
                <p><button type="button" class="primary" id="take-over" onclick={take_over.clone()}>{ l.t("tabs.take_back") }</button></p>
                { lang_button }
            </main>
        },
        Boot::TakingOver => html! {
            <main class="splash" aria-busy="true">
                <h1>{ l.t("app.name") }</h1>
                <p>{ l.t("tabs.taking_over") }</p>
                { lang_button }
            </main>
        },
        Boot::OtherTab => html! {},
        Boot::Unavailable { insecure, reason } => html! {
            <main class="splash unavailable">
                <h1>{ l.t("unavailable.title") }</h1>
                <p>{ l.t("unavailable.body") }</p>
                if *insecure { <p><strong>{ l.t("unavailable.insecure") }</strong></p> }
                <p>{ l.t("unavailable.ways") }</p>
                if !reason.is_empty() { <p class="hint">{ format!("{}: {reason}", l.t("unavailable.reason")) }</p> }
                { lang_button }
            </main>
        },
        Boot::Crashed(msg) => html! {
            <main class="splash unavailable">
                <h1>{ l.t("app.name") }</h1>
                <p role="alert">{ l.t("worker.crashed") }</p>
                <p class="hint">{ msg }</p>
                { lang_button }
            </main>
        },
        Boot::Ready(status) => {
            let Some(db) = (*db).clone() else {
                return html! {};
            };
            let ctx = AppCtx {
                db,
                lang: l,
                status: status.clone(),
                set_lang,
                refresh,
                chosen: (*chosen).clone(),
                choose: {
                    let chosen = chosen.clone();
                    Callback::from(move |c: String| {
                        use gloo::storage::{LocalStorage, Storage};
                        let _ = LocalStorage::set(CHOSEN_KEY, &c);
                        chosen.set(c)
                    })
                },
            };
            let body = if status.office.is_none() {
                html! { <pages::setup::SetupPage /> }
            } else {
                html! {
                    <BrowserRouter>
                        <Shell>
                            <Switch<Route> render={switch} />
                        </Shell>
                    </BrowserRouter>
                }
            };
            html! { <ContextProvider<AppCtx> context={ctx}>{ body }</ContextProvider<AppCtx>> }
        }
    };
    html! { <>{ banner }{ screen }</> }
}

/// localStorage key of the street office's community pick.
const CHOSEN_KEY: &str = "gridledger.community";

#[derive(Properties, PartialEq)]
struct ShellProps {
    children: Html,
}

#[component]
fn Shell(p: &ShellProps) -> Html {
    let ctx = super::ctx::use_app();
    let open = use_state(|| false);
    let route = use_route::<Route>().unwrap_or(Route::Home);
    // Pages that can show the whole street at once; the others work on one community, the
    // first one while the street office has "whole street" picked (and say so).
    let street_wide = matches!(
        route,
        Route::Home
            | Route::Screen
            | Route::Report
            | Route::Residents
            | Route::Resident { .. }
            | Route::Care
            | Route::ResidentCare { .. }
            | Route::Volunteers
            | Route::Volunteer { .. }
            | Route::Hours
            | Route::Roster
            | Route::Cases
            | Route::Case { .. }
            | Route::Wishes
            | Route::Wish { .. }
            | Route::Exchange
            | Route::NotFound
    );
    let street_only_community = ctx.whole_street() && !street_wide;
    let page_ctx = if street_only_community {
        AppCtx {
            chosen: String::new(),
            ..ctx.clone()
        }
    } else {
        ctx.clone()
    };
    let toggle = {
        let open = open.clone();
        move |_| open.set(!*open)
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_| open.set(false))
    };
    let link = |to: Route, key: &str| {
        let active = match (&to, &route) {
            (
                Route::Residents,
                Route::Resident { .. } | Route::NewResident | Route::ResidentsImport,
            ) => true,
            (Route::Cases, Route::Case { .. } | Route::NewCase) => true,
            (Route::Wishes, Route::Wish { .. } | Route::NewWish) => true,
            (Route::Volunteers, Route::Volunteer { .. } | Route::NewVolunteer | Route::Hours) => {
                true
            }
            (Route::Roster, Route::Duty) => true,
            (Route::Care, Route::ResidentCare { .. } | Route::Party) => true,
            (a, b) => a == b,
        };
        html! {
            <li onclick={close.clone()}>
                <Link<Route> to={to} classes={classes!(active.then_some("active"))}>{ ctx.t(key) }</Link<Route>>
            </li>
        }
    };
    let office = ctx
        .status
        .office
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let actor = ctx
        .status
        .actor
        .as_ref()
        .map(|a| format!("{} · {}", a.name, ctx.t(&format!("role.{}", a.role))))
        .unwrap_or_default();
    let next = if ctx.lang == Lang::Zh {
        Lang::En
    } else {
        Lang::Zh
    };
    let set_lang = ctx.set_lang.clone();
    html! {
        <>
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{"网"}</span>
                    <span class="name">{ ctx.t("app.name") }</span>
                    <span class="office">{ office }</span>
                </div>
                <button type="button" class="menu-toggle" aria-expanded={(*open).to_string()} aria-controls="main-nav" onclick={toggle}>
                    { ctx.t("nav.menu") }
                </button>
                <nav id="main-nav" aria-label={ctx.t("nav.main")} class={classes!("mainnav", open.then_some("open"))}>
                    <ul>
                        { link(Route::Home, "nav.home") }
                        { link(Route::Grids, "nav.grids") }
                        { link(Route::Residents, "nav.residents") }
                        { link(Route::Care, "nav.care") }
                        { link(Route::Cases, "nav.cases") }
                        { link(Route::Wishes, "nav.wishes") }
                        { link(Route::Volunteers, "nav.volunteers") }
                        { link(Route::Roster, "nav.roster") }
                        { link(Route::Staff, "nav.staff") }
                        { link(Route::Exchange, "nav.exchange") }
                        { link(Route::Settings, "nav.settings") }
                    </ul>
                    <div class="navtools">
                        if ctx.is_street() && ctx.status.communities.len() > 1 {
                            <select class="community-pick" aria-label={ctx.t("nav.community")} onchange={{
                                let choose = ctx.choose.clone();
                                Callback::from(move |e: Event| choose.emit(crate::ui::components::select_value(&e)))
                            }}>
                                <option value={crate::ui::ctx::WHOLE_STREET} selected={page_ctx.whole_street()}>{ ctx.t("dash.whole_street") }</option>
                                { for ctx.status.communities.iter().map(|c| {
                                    let sel = !page_ctx.whole_street() && page_ctx.community().is_some_and(|x| x.code == c.code);
                                    html! { <option value={c.code.clone()} selected={sel}>{ &c.name }</option> }
                                }) }
                            </select>
                        }
                        <span class="actor" title={ctx.t("actor.label")}>{ actor }</span>
                        <button type="button" class="lang" aria-label={ctx.t("lang.label")} onclick={move |_| set_lang.emit(next)}>
                            { ctx.t("lang.switch") }
                        </button>
                    </div>
                </nav>
            </header>
            <main class="content">
                <crate::ui::pages::exchange::FieldBanner />
                if street_only_community {
                    <p class="hint scope-note" role="note">{ format!("{}{}", ctx.t("nav.community_only"), page_ctx.community().map(|c| c.name.as_str()).unwrap_or_default()) }</p>
                }
                <ContextProvider<AppCtx> context={page_ctx.clone()}>{ p.children.clone() }</ContextProvider<AppCtx>>
            </main>
        </>
    }
}

/// A `performance.mark` for the benchmark (scripts/bench-street.sh reads "database ready").
pub(crate) fn mark(name: &str) {
    mark_at(name, None);
}

/// [`mark`], dated `at` (`Date.now()` of the moment, perhaps in a worker) when given.
pub(crate) fn mark_at(name: &str, at: Option<f64>) {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let Ok(perf) = js_sys::Reflect::get(&global, &"performance".into()) else {
        return;
    };
    let options = at.and_then(|at| {
        let origin = js_sys::Reflect::get(&perf, &"timeOrigin".into())
            .ok()?
            .as_f64()?;
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"startTime".into(), &(at - origin).max(0.0).into()).ok()?;
        Some(o)
    });
    if let Ok(f) = js_sys::Reflect::get(&perf, &"mark".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = match options {
                Some(o) => f.call2(&perf, &name.into(), &o),
                None => f.call1(&perf, &name.into()),
            };
        }
    }
}
