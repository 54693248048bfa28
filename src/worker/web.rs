//! The dedicated Web Worker that owns the database: installs the OPFS `sahpool` VFS, opens
//! `grid.db`, and answers protocol envelopes (postcard bytes from the app, JSON strings from
//! test clients) one at a time, in order. Messages that arrive while the database is still
//! opening, or while a bundle file is hashed by the browser, wait in a queue.

use super::{handle_with, now_millis, status, Attached, Output, Session};
use crate::domain::bundle::{self, check, Hashed};
use crate::protocol::{ApiError, Envelope, Reply, Request, Response, Status, StorageState};
use crate::storage::Store;
use rusqlite::{Connection, OpenFlags};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

pub const DB_FILE: &str = "grid.db";
pub const VFS: &str = "opfs-sahpool";
/// The heap grown at start (bytes): about what a street's first dashboard needs.
const HEAP_RESERVE: usize = 48 << 20;

enum State {
    /// Messages (with their attachments) that arrived while the database opens.
    Opening(Vec<JsValue>),
    Ready {
        store: Box<Store>,
        session: Session,
        open_millis: f64,
    },
    Failed(String),
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::Opening(Vec::new())) };
    /// Messages that arrived while a request waits for the browser (a bundle's checksum):
    /// answered after it, in order.
    static WAITING: RefCell<Option<Vec<JsValue>>> = const { RefCell::new(None) };
    /// This worker has asked the page to replace it (`protocol::RECYCLE`).
    static RECYCLE_ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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

/// The pool's files (slots): the database, its journal, and one spare. Every start writes and
/// flushes the header of each unused slot twice (the VFS's check that it is unused), so a pool
/// of the VFS's default six spent ten flushes before the database opened.
const POOL_SLOTS: usize = 3;
/// The most of the journal's file kept between transactions (bytes).
const JOURNAL_KEPT_BYTES: i64 = 4 << 20;

async fn open() -> Result<Store, String> {
    let cfg = sqlite_wasm_vfs::sahpool::OpfsSAHPoolCfgBuilder::new()
        .initial_capacity(POOL_SLOTS)
        .build();
    // On a reload the previous page's worker may still hold the files for a moment: try again
    // for a few seconds before telling the person another tab has them.
    let mut tries = 0;
    let pool = loop {
        match sqlite_wasm_vfs::sahpool::install::<sqlite_wasm_rs::WasmOsCallback>(&cfg, false).await
        {
            Ok(pool) => break pool,
            Err(e) => {
                let e = format!("OPFS: {e}");
                tries += 1;
                if !e.contains("NoModificationAllowedError") || tries >= 20 {
                    return Err(e);
                }
                let wait = js_sys::Promise::new(&mut |resolve, _| {
                    let _ = scope()
                        .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 250);
                });
                let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
            }
        }
    };
    // A pool made by an earlier version has six slots: the unused ones beyond three go (once).
    if pool.capacity() > POOL_SLOTS {
        let _ = pool.reduce_capacity(pool.capacity() - POOL_SLOTS).await;
    }
    let conn = Connection::open_with_flags_and_vfs(DB_FILE, OpenFlags::default(), VFS)
        .map_err(|e| format!("open: {e}"))?;
    // The journal stays in its slot between transactions, its header zeroed at each commit
    // (one flush), rather than deleted and made again: in this VFS each of those is a header
    // written and flushed, three flushes more per saved edit. After a large transaction (an
    // import) it is cut back to a few MiB, so its space is not kept.
    conn.pragma_update(None, "journal_mode", "PERSIST")
        .and_then(|_| conn.pragma_update(None, "journal_size_limit", JOURNAL_KEPT_BYTES))
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
        memory_bytes: memory_bytes(),
        field: None,
    }
}

fn answer(
    state: &mut State,
    seq: u32,
    req: Request,
    input: Option<Attached>,
) -> (Reply, Option<Output>) {
    match state {
        State::Ready {
            store,
            session,
            open_millis,
        } => match req {
            Request::Status => (
                status(store, *open_millis).map(|mut s| {
                    s.memory_bytes = memory_bytes();
                    Response::Status(s)
                }),
                None,
            ),
            req => {
                let mut progress =
                    |stage: &str, done: u64, total: u64| post_progress(seq, stage, done, total);
                handle_with(
                    store,
                    session,
                    req,
                    input,
                    random28(),
                    *open_millis,
                    &mut progress,
                )
            }
        },
        State::Failed(reason) => match req {
            Request::Status => (Ok(Response::Status(unavailable_status(reason))), None),
            _ => (
                Err(ApiError::new("storage_unavailable", reason.clone())),
                None,
            ),
        },
        State::Opening(_) => (
            Err(ApiError::new("storage", "database still opening")),
            None,
        ),
    }
}

/// The size of this worker's WebAssembly memory.
fn memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as u64
}

fn random28() -> [u8; 28] {
    let mut bytes = [0u8; 28];
    if let Ok(c) = scope().crypto() {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

/// An envelope as it came: the app's binary encoding, or JSON text (test clients, the
/// console); the reply goes back the same way.
enum Payload {
    Bytes(Vec<u8>),
    Text(String),
}

fn payload(v: &JsValue) -> Option<Payload> {
    if let Some(text) = v.as_string() {
        return Some(Payload::Text(text));
    }
    v.dyn_ref::<js_sys::Uint8Array>()
        .map(|a| Payload::Bytes(a.to_vec()))
}

/// A message is the envelope, or `{env, file}` when it carries a file.
fn split(data: &JsValue) -> Option<(Payload, Option<web_sys::Blob>)> {
    if let Some(p) = payload(data) {
        return Some((p, None));
    }
    let env = js_sys::Reflect::get(data, &"env".into()).ok()?;
    let file = js_sys::Reflect::get(data, &"file".into())
        .ok()
        .and_then(|f| f.dyn_into::<web_sys::Blob>().ok());
    Some((payload(&env)?, file))
}

/// A file's bytes in this worker's memory, and the browser's copy they came from.
fn read_blob(blob: &web_sys::Blob) -> Result<(Vec<u8>, js_sys::ArrayBuffer), String> {
    let reader = web_sys::FileReaderSync::new().map_err(|e| format!("{e:?}"))?;
    let buf = reader
        .read_as_array_buffer(blob)
        .map_err(|e| format!("{e:?}"))?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    Ok((bytes, buf))
}

/// The browser's SHA-256 of a plain bundle file as its checksum hashes it (native code on
/// another thread, ~10× WebAssembly's): started over `copy`, the browser's buffer the bytes
/// came from, which is overwritten (see [`check::emptied_head`]). `None` when the file does
/// not declare its checksum where this app writes it, or the page is not a secure context.
fn browser_checksum(bytes: &[u8], copy: &js_sys::ArrayBuffer) -> Option<(String, js_sys::Promise)> {
    let declared = bundle::declared(bytes)?;
    let (offset, head) = check::emptied_head(bytes, &declared.checksum)?;
    let crypto = scope().crypto().ok()?;
    let subtle = js_sys::Reflect::get(&crypto, &"subtle".into()).ok()?;
    let subtle: web_sys::SubtleCrypto = subtle.dyn_into().ok()?;
    let offset = u32::try_from(offset).ok()?;
    js_sys::Uint8Array::new(copy).set(&js_sys::Uint8Array::from(head.as_slice()), offset);
    let hashed = js_sys::Uint8Array::new_with_byte_offset(copy, offset);
    let promise = subtle
        .digest_with_str_and_js_u8_array("SHA-256", &hashed)
        .ok()?;
    Some((declared.checksum, promise))
}

/// Whether a request reads the bundle file it carries.
fn reads_bundle(req: &Request) -> bool {
    matches!(
        req,
        Request::StageImport { .. } | Request::RestoreBackup { .. }
    )
}

fn process(data: JsValue) {
    let Some((env, file)) = split(&data) else {
        return;
    };
    let binary = matches!(env, Payload::Bytes(_));
    let env: Result<Envelope<Request>, String> = match &env {
        Payload::Bytes(b) => crate::protocol::decode(b),
        Payload::Text(t) => serde_json::from_str(t).map_err(|e| e.to_string()),
    };
    let env = match env {
        Ok(e) => e,
        Err(e) => {
            web_sys::console::error_1(&format!("GridLedger worker: bad message: {e}").into());
            return;
        }
    };
    let (bytes, copy) = match file.as_ref().map(read_blob).transpose() {
        Ok(Some((bytes, copy))) => (bytes, copy),
        Ok(None) => return respond(env, binary, Ok(None)),
        Err(e) => return respond(env, binary, Err(e)),
    };
    let started = reads_bundle(&env.body)
        .then(|| browser_checksum(&bytes, &copy))
        .flatten();
    drop(copy);
    let Some((declared, digest)) = started else {
        return respond(env, binary, Ok(Some(bytes.into())));
    };
    // Answered when the browser has hashed the file; messages arriving meanwhile wait.
    WAITING.with(|w| *w.borrow_mut() = Some(Vec::new()));
    post_progress(env.seq, "checksum", 0, 0);
    wasm_bindgen_futures::spawn_local(async move {
        let computed = wasm_bindgen_futures::JsFuture::from(digest)
            .await
            .ok()
            .map(|d| check::sha256_text(&js_sys::Uint8Array::new(&d).to_vec()));
        let hashed = computed.map(|computed| Hashed { declared, computed });
        respond(env, binary, Ok(Some(Attached { bytes, hashed })));
        let waiting = WAITING.with(|w| w.borrow_mut().take()).unwrap_or_default();
        process_all(waiting);
    });
}

/// Answers messages in order; once one waits for the browser, the rest wait after it.
fn process_all(messages: Vec<JsValue>) {
    let mut rest = messages.into_iter();
    while let Some(data) = rest.next() {
        process(data);
        let waits = WAITING.with(|w| match &mut *w.borrow_mut() {
            Some(queue) => {
                queue.extend(rest.by_ref());
                true
            }
            None => false,
        });
        if waits {
            return;
        }
    }
}

/// Tells the page how far request `seq` has come.
fn post_progress(seq: u32, stage: &str, done: u64, total: u64) {
    let p = crate::protocol::Progress {
        seq,
        stage: stage.into(),
        done,
        total,
    };
    if let Ok(json) = serde_json::to_string(&p) {
        let obj = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&obj, &"progress".into(), &json.into());
        let _ = scope().post_message(&obj);
    }
}

/// A file written out of the worker in pieces (`Blob` parts), each copied once it is full.
struct JsParts(js_sys::Array, Vec<u8>);

impl JsParts {
    const PIECE: usize = 4 << 20;

    fn finish(mut self) -> js_sys::Array {
        self.push();
        self.0
    }

    fn push(&mut self) {
        if !self.1.is_empty() {
            self.0.push(&js_sys::Uint8Array::from(self.1.as_slice()));
            self.1.clear();
        }
    }
}

impl std::io::Write for JsParts {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.1.len() + buf.len() > Self::PIECE {
            self.push();
        }
        if buf.len() >= Self::PIECE {
            self.0.push(&js_sys::Uint8Array::from(buf));
        } else {
            self.1.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Answers one request (with its attached file, or why the file could not be read) and posts
/// the reply.
fn respond(env: Envelope<Request>, binary: bool, input: Result<Option<Attached>, String>) {
    let (mut reply, output) = match input {
        Ok(input) => STATE.with(|s| answer(&mut s.borrow_mut(), env.seq, env.body, input)),
        Err(e) => (Err(ApiError::new("bundle_unreadable", e)), None),
    };
    // The file first, in pieces copied out of this worker's memory as they are written (its
    // size goes into the reply).
    let parts = output.map(|o| {
        let mut parts = JsParts(js_sys::Array::new(), Vec::with_capacity(JsParts::PIECE));
        let _ = o.write(&mut reply, &mut parts);
        parts.finish()
    });
    let out = Envelope {
        seq: env.seq,
        body: reply,
    };
    let encoded: Result<JsValue, String> = if binary {
        crate::protocol::encode(&out).map(|b| js_sys::Uint8Array::from(b.as_slice()).into())
    } else {
        serde_json::to_string(&out)
            .map(|j| JsValue::from_str(&j))
            .map_err(|e| e.to_string())
    };
    let env = match encoded {
        Ok(env) => env,
        Err(e) => {
            web_sys::console::error_1(
                &format!("GridLedger worker: cannot encode reply: {e}").into(),
            );
            return;
        }
    };
    let message: JsValue = match parts {
        None => env,
        Some(parts) => {
            let obj = js_sys::Object::new();
            let opts = web_sys::BlobPropertyBag::new();
            opts.set_type("application/json");
            let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts);
            let _ = js_sys::Reflect::set(&obj, &"env".into(), &env);
            if let Ok(b) = blob {
                let _ = js_sys::Reflect::set(&obj, &"file".into(), &b);
            }
            obj.into()
        }
    };
    let _ = scope().post_message(&message);
    // Work the reply need not wait for: the kept due lists brought up to date after visits.
    // Then, grown large with nothing held, the worker asks to be replaced (once).
    STATE.with(|s| {
        if let State::Ready { store, session, .. } = &*s.borrow() {
            store.flush_due_lists();
            let grown = crate::protocol::wants_recycle(memory_bytes(), session.holds_nothing());
            if grown && !RECYCLE_ASKED.replace(true) {
                let _ = scope().post_message(&JsValue::from_str(crate::protocol::RECYCLE));
            }
        }
    });
}

/// The worker's entry point.
pub fn start() {
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data = e.data();
        let queued = STATE.with(|s| match &mut *s.borrow_mut() {
            State::Opening(queue) => {
                queue.push(data.clone());
                true
            }
            _ => false,
        }) || WAITING.with(|w| match &mut *w.borrow_mut() {
            Some(queue) => {
                queue.push(data.clone());
                true
            }
            None => false,
        });
        if !queued {
            process(data);
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Messages posted before this handler existed were dropped by the browser: tell the page
    // it may send now.
    let _ = scope().post_message(&JsValue::from_str(crate::protocol::WORKER_READY));

    // Grow the heap once now: the allocator otherwise grows wasm memory 64 KiB at a time, and a
    // street's first dashboard (page cache, the care list) grew it ~600 times, each a call out
    // of wasm that also drops the JavaScript views of the memory. Freed at once, the space
    // stays with the allocator (wasm memory never shrinks); pages are only backed when used.
    drop(std::hint::black_box(Vec::<u8>::with_capacity(HEAP_RESERVE)));

    wasm_bindgen_futures::spawn_local(async {
        let t0 = js_sys::Date::now();
        let next = match open().await {
            Ok(store) => State::Ready {
                store: Box::new(store),
                session: Session::default(),
                open_millis: elapsed_since(t0),
            },
            Err(reason) => {
                web_sys::console::error_1(&format!("GridLedger worker: {reason}").into());
                State::Failed(reason)
            }
        };
        if matches!(next, State::Ready { .. }) {
            let open = format!("{} {}", crate::protocol::DB_OPEN, js_sys::Date::now());
            let _ = scope().post_message(&JsValue::from_str(&open));
        }
        let queue = STATE.with(|s| match std::mem::replace(&mut *s.borrow_mut(), next) {
            State::Opening(q) => q,
            _ => Vec::new(),
        });
        process_all(queue);
    });
}
