//! The dedicated Web Worker that owns the database: installs the OPFS `sahpool` VFS, opens
//! `grid.db`, and answers protocol envelopes (JSON strings) one at a time, in order. Messages
//! that arrive while the database is still opening wait in a queue.

use super::{handle, now_millis, status};
use crate::protocol::{ApiError, Envelope, Reply, Request, Response, Status, StorageState};
use crate::storage::Store;
use rusqlite::{Connection, OpenFlags};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

pub const DB_FILE: &str = "grid.db";
pub const VFS: &str = "opfs-sahpool";

enum State {
    Opening(Vec<String>),
    Ready { store: Store, open_millis: f64 },
    Failed(String),
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::Opening(Vec::new())) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn seed() -> u64 {
    let mut bytes = [0u8; 8];
    let ok = scope()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes))
        .is_ok();
    if !ok {
        bytes =
            ((js_sys::Math::random() * u64::MAX as f64) as u64 ^ now_millis() as u64).to_le_bytes();
    }
    u64::from_le_bytes(bytes)
}

fn elapsed_since(t0: f64) -> f64 {
    js_sys::Date::now() - t0
}

async fn open() -> Result<Store, String> {
    let cfg = sqlite_wasm_vfs::sahpool::OpfsSAHPoolCfg::default();
    sqlite_wasm_vfs::sahpool::install::<sqlite_wasm_rs::WasmOsCallback>(&cfg, false)
        .await
        .map_err(|e| format!("OPFS: {e}"))?;
    let conn = Connection::open_with_flags_and_vfs(DB_FILE, OpenFlags::default(), VFS)
        .map_err(|e| format!("open: {e}"))?;
    Store::open(conn, now_millis, seed()).map_err(|e| e.to_string())
}

fn unavailable_status(reason: &str) -> Status {
    Status {
        storage: StorageState::Unavailable(reason.to_string()),
        office: None,
        device_id: String::new(),
        device_name: String::new(),
        actor: None,
        communities: Vec::new(),
        schema_version: 0,
        open_millis: 0.0,
    }
}

fn answer(state: &mut State, req: Request) -> Reply {
    match state {
        State::Ready { store, open_millis } => match req {
            Request::Status => status(store, *open_millis).map(Response::Status),
            req => handle(store, req, *open_millis),
        },
        State::Failed(reason) => match req {
            Request::Status => Ok(Response::Status(unavailable_status(reason))),
            _ => Err(ApiError::new("storage_unavailable", reason.clone())),
        },
        State::Opening(_) => Err(ApiError::new("storage", "database still opening")),
    }
}

fn process(text: String) {
    let env: Envelope<Request> = match serde_json::from_str(&text) {
        Ok(e) => e,
        Err(e) => {
            web_sys::console::error_1(&format!("GridLedger worker: bad message: {e}").into());
            return;
        }
    };
    let reply: Reply = STATE.with(|s| answer(&mut s.borrow_mut(), env.body));
    let out = Envelope {
        seq: env.seq,
        body: reply,
    };
    match serde_json::to_string(&out) {
        Ok(json) => {
            let _ = scope().post_message(&JsValue::from_str(&json));
        }
        Err(e) => web_sys::console::error_1(
            &format!("GridLedger worker: cannot encode reply: {e}").into(),
        ),
    }
}

/// The worker's entry point.
pub fn start() {
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let Some(text) = e.data().as_string() else {
            return;
        };
        let queued = STATE.with(|s| match &mut *s.borrow_mut() {
            State::Opening(queue) => {
                queue.push(text.clone());
                true
            }
            _ => false,
        });
        if !queued {
            process(text);
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Messages posted before this handler existed were dropped by the browser: tell the page
    // it may send now.
    let _ = scope().post_message(&JsValue::from_str(crate::protocol::WORKER_READY));

    wasm_bindgen_futures::spawn_local(async {
        let t0 = js_sys::Date::now();
        let next = match open().await {
            Ok(store) => State::Ready {
                store,
                open_millis: elapsed_since(t0),
            },
            Err(reason) => {
                web_sys::console::error_1(&format!("GridLedger worker: {reason}").into());
                State::Failed(reason)
            }
        };
        let queue = STATE.with(|s| match std::mem::replace(&mut *s.borrow_mut(), next) {
            State::Opening(q) => q,
            _ => Vec::new(),
        });
        for text in queue {
            process(text);
        }
    });
}
