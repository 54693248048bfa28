//! The installed, offline app's side of the service worker (`assets/sw.js`): registers it, and
//! tells the page when a new build has been downloaded and waits. The new build never starts by
//! itself: when the person agrees, the waiting worker takes over and every open tab reloads
//! (the old build's page would otherwise start the new build's database worker).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

fn container() -> Option<ServiceWorkerContainer> {
    let nav = web_sys::window()?.navigator();
    // Absent outside a secure context (and then `navigator.serviceWorker` is undefined).
    let sw = js_sys::Reflect::get(&nav, &"serviceWorker".into()).ok()?;
    if sw.is_undefined() {
        return None;
    }
    Some(nav.service_worker())
}

/// Registers `/sw.js`; `on_update` is called when a new build waits to take over.
pub fn register(on_update: impl Fn() + Clone + 'static) {
    let Some(c) = container() else { return };
    // A page that was controlled reloads when the controller changes (the person agreed to
    // update, here or in another tab). The first install claims the page without a reload:
    // there was nothing to replace.
    let controlled_before = std::cell::Cell::new(c.controller().is_some());
    let reload = Closure::<dyn FnMut()>::new(move || {
        if controlled_before.replace(true) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    c.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    let promise = c.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(promise).await else {
            return;
        };
        let reg: ServiceWorkerRegistration = reg.unchecked_into();
        let controlled = || container().and_then(|c| c.controller()).is_some();
        if reg.waiting().is_some() && controlled() {
            on_update();
        }
        let r = reg.clone();
        let found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = r.installing() else {
                return;
            };
            let (w, on_update) = (installing.clone(), on_update.clone());
            let changed = Closure::<dyn FnMut()>::new(move || {
                if w.state() == ServiceWorkerState::Installed && controlled() {
                    on_update();
                }
            });
            installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
            changed.forget();
        });
        reg.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
        // An office PC stays open for days: look for a new build every hour too.
        let check = Closure::<dyn FnMut()>::new(move || {
            // Offline the check fails: it is tried again in an hour.
            if let Ok(p) = reg.update() {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
                });
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(
                check.as_ref().unchecked_ref(),
                3_600_000,
            );
        }
        check.forget();
    });
}

/// The person agreed: the waiting build takes over (every tab then reloads). Where nothing
/// waits any more (another tab already did it), this tab just reloads.
pub fn update_now() {
    let Some(c) = container() else { return };
    let promise = c.get_registration();
    wasm_bindgen_futures::spawn_local(async move {
        let waiting = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .filter(|r| !r.is_undefined())
            .and_then(|r| r.unchecked_into::<ServiceWorkerRegistration>().waiting());
        match waiting {
            Some(w) => {
                let _ = w.post_message(&JsValue::from_str("gridledger-take-over"));
            }
            None => {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            }
        }
    });
}
