//! The main thread's handle on the database worker: sends protocol requests as envelopes in the
//! binary encoding (`protocol::encode`) and resolves each reply to the caller that asked,
//! matched by sequence number.

use crate::protocol::{ApiError, Envelope, Progress, Reply, Request, RECYCLE, WORKER_READY};
use futures::channel::oneshot;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// A reply and the file it carries, if any (an exported bundle).
type Answer = (Reply, Option<web_sys::Blob>);
type Pending = Rc<RefCell<HashMap<u32, oneshot::Sender<Answer>>>>;

type Watchers = Rc<RefCell<HashMap<u32, yew::Callback<Progress>>>>;
/// Requests held until the worker says it listens (`None`: it listens).
type Outbox = Rc<RefCell<Option<Vec<JsValue>>>>;
/// The page's two handlers of a worker's events, set again on a worker that replaces it.
type Handlers = Rc<RefCell<Option<(js_sys::Function, js_sys::Function)>>>;

pub struct Db {
    /// The worker answering now: replaced by a new one when it asks (`protocol::RECYCLE`).
    worker: Rc<RefCell<Worker>>,
    pending: Pending,
    /// Who wants to hear how a long request is going, by sequence number.
    watchers: Watchers,
    outbox: Outbox,
    seq: Cell<u32>,
    /// Handed to another tab: no new request goes out.
    stopped: Rc<Cell<bool>>,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::Event)>,
}

/// Shared handle; equal when it is the same worker.
#[derive(Clone)]
pub struct DbHandle(pub Rc<Db>);

impl PartialEq for DbHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Db {
    /// Starts the worker (`/worker_loader.js`, built by Trunk as a classic worker), or adopts
    /// the one `index.html` started before the app's wasm loaded (once per page).
    pub fn spawn(on_crash: impl Fn(String) + 'static) -> Result<Db, String> {
        let (worker, early) = match take_boot_worker() {
            Some((worker, early)) => (worker, early),
            None => (new_worker()?, Early::default()),
        };
        let worker = Rc::new(RefCell::new(worker));
        let pending: Pending = Rc::default();
        let outbox: Outbox = Rc::new(RefCell::new(Some(Vec::new())));
        let watchers: Watchers = Rc::default();
        let handlers: Handlers = Rc::default();
        let stopped: Rc<Cell<bool>> = Rc::default();
        let p = pending.clone();
        let ws = watchers.clone();
        let (w, o, h, st) = (
            worker.clone(),
            outbox.clone(),
            handlers.clone(),
            stopped.clone(),
        );
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            if let Some(text) = data.as_string() {
                if let Some(at) = crate::protocol::db_open_at(&text) {
                    // (Before the app's wasm ran, index.html's boot script marked it.)
                    crate::ui::app::mark_at("gridledger-db-open", at);
                } else if text == WORKER_READY {
                    for msg in o.borrow_mut().take().unwrap_or_default() {
                        let _ = w.borrow().post_message(&msg);
                    }
                } else if text == RECYCLE {
                    let task = recycle(w.clone(), o.clone(), p.clone(), h.clone(), st.clone());
                    wasm_bindgen_futures::spawn_local(task);
                }
                return;
            }
            let (bytes, file) = match data.dyn_ref::<js_sys::Uint8Array>() {
                Some(a) => (a.to_vec(), None),
                None => {
                    let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok();
                    if let Some(json) = get("progress").and_then(|v| v.as_string()) {
                        if let Ok(pr) = serde_json::from_str::<Progress>(&json) {
                            let cb = ws.borrow().get(&pr.seq).cloned();
                            if let Some(cb) = cb {
                                cb.emit(pr);
                            }
                        }
                        return;
                    }
                    let Some(env) =
                        get("env").and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
                    else {
                        return;
                    };
                    let file = get("file").and_then(|f| f.dyn_into::<web_sys::Blob>().ok());
                    (env.to_vec(), file)
                }
            };
            match crate::protocol::decode::<Envelope<Reply>>(&bytes) {
                Ok(env) => {
                    if let Some(tx) = p.borrow_mut().remove(&env.seq) {
                        let _ = tx.send((env.body, file));
                    }
                }
                Err(err) => {
                    web_sys::console::error_1(&format!("GridLedger: bad reply: {err}").into())
                }
            }
        });
        worker
            .borrow()
            .set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        let p = pending.clone();
        let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let msg = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .unwrap_or_else(|| "worker error".to_string());
            web_sys::console::error_1(&format!("GridLedger worker: {msg}").into());
            for (_, tx) in p.borrow_mut().drain() {
                let _ = tx.send((Err(ApiError::new("worker", msg.clone())), None));
            }
            on_crash(msg);
        });
        worker
            .borrow()
            .set_onerror(Some(onerror.as_ref().unchecked_ref()));
        *handlers.borrow_mut() = Some((
            onmessage
                .as_ref()
                .unchecked_ref::<js_sys::Function>()
                .clone(),
            onerror.as_ref().unchecked_ref::<js_sys::Function>().clone(),
        ));
        // What the early worker said before these handlers existed, in order. No new event
        // can arrive while this runs: they are dispatched by the event loop, after this task.
        let on_message: &js_sys::Function = onmessage.as_ref().unchecked_ref();
        for e in early.messages {
            let _ = on_message.call1(&JsValue::NULL, &e);
        }
        let on_error: &js_sys::Function = onerror.as_ref().unchecked_ref();
        for e in early.errors {
            let _ = on_error.call1(&JsValue::NULL, &e);
        }
        Ok(Db {
            worker,
            pending,
            watchers,
            outbox,
            seq: Cell::new(0),
            stopped,
            _onmessage: onmessage,
            _onerror: onerror,
        })
    }

    /// No request is waiting for its reply.
    pub fn idle(&self) -> bool {
        self.pending.borrow().is_empty()
    }

    /// From now on no request goes out (each is answered "stopped"); those in flight finish.
    pub fn retire(&self) {
        self.stopped.set(true);
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.get()
    }

    /// Stops the worker, which lets go of the database files (another tab takes them over).
    pub fn terminate(&self) {
        self.stopped.set(true);
        self.worker.borrow().terminate();
        for (_, tx) in self.pending.borrow_mut().drain() {
            let _ = tx.send((Err(ApiError::new("worker", "stopped")), None));
        }
    }

    pub async fn call(&self, body: Request) -> Reply {
        self.call_with(body, None).await.0
    }

    /// A request that sends a file along (`{env, file}`), or gets one back.
    pub async fn call_with(&self, body: Request, file: Option<web_sys::Blob>) -> Answer {
        self.call_watched(body, file, None).await
    }

    /// [`Db::call_with`], and `on_progress` hears how the worker is getting on.
    pub async fn call_watched(
        &self,
        body: Request,
        file: Option<web_sys::Blob>,
        on_progress: Option<yew::Callback<Progress>>,
    ) -> Answer {
        let seq = self.seq.get().wrapping_add(1);
        self.seq.set(seq);
        if let Some(cb) = on_progress {
            self.watchers.borrow_mut().insert(seq, cb);
        }
        let answer = self.send(seq, body, file).await;
        self.watchers.borrow_mut().remove(&seq);
        answer
    }

    async fn send(&self, seq: u32, body: Request, file: Option<web_sys::Blob>) -> Answer {
        if self.stopped.get() {
            return (Err(ApiError::new("worker", "stopped")), None);
        }
        let (tx, rx) = oneshot::channel();
        self.pending.borrow_mut().insert(seq, tx);
        let env: JsValue = match crate::protocol::encode(&Envelope { seq, body }) {
            Ok(b) => js_sys::Uint8Array::from(b.as_slice()).into(),
            Err(e) => return (Err(ApiError::new("worker", e)), None),
        };
        let message: JsValue = match file {
            None => env,
            Some(f) => {
                let obj = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&obj, &"env".into(), &env);
                let _ = js_sys::Reflect::set(&obj, &"file".into(), &f);
                obj.into()
            }
        };
        if let Some(queue) = self.outbox.borrow_mut().as_mut() {
            queue.push(message);
        } else if let Err(e) = self.worker.borrow().post_message(&message) {
            self.pending.borrow_mut().remove(&seq);
            return (Err(ApiError::new("worker", format!("{e:?}"))), None);
        }
        rx.await
            .unwrap_or_else(|_| (Err(ApiError::new("worker", "no reply")), None))
    }
}

fn new_worker() -> Result<Worker, String> {
    let opts = WorkerOptions::new();
    opts.set_type(WorkerType::Classic);
    Worker::new_with_options("/worker_loader.js", &opts).map_err(|e| format!("{e:?}"))
}

/// Replaces a worker that asked for it (`protocol::RECYCLE`): new requests wait in the outbox,
/// the ones already sent to it are answered, then it stops (its memory goes with it) and a new
/// worker opens the database and takes the requests waiting, as at the start. The pages see
/// nothing but, at most, one slower answer.
async fn recycle(
    worker: Rc<RefCell<Worker>>,
    outbox: Outbox,
    pending: Pending,
    handlers: Handlers,
    stopped: Rc<Cell<bool>>,
) {
    {
        let mut o = outbox.borrow_mut();
        if o.is_some() {
            return; // not listening yet: nothing to replace
        }
        *o = Some(Vec::new());
    }
    let sent: Vec<u32> = pending.borrow().keys().copied().collect();
    while sent.iter().any(|s| pending.borrow().contains_key(s)) {
        crate::ui::app::sleep(50).await;
    }
    if stopped.get() {
        // Handed to another tab meanwhile: what waits here is not sent (the tab's hand-over
        // waits for every request to be answered).
        *outbox.borrow_mut() = None;
        for (_, tx) in pending.borrow_mut().drain() {
            let _ = tx.send((Err(ApiError::new("worker", "stopped")), None));
        }
        return;
    }
    worker.borrow().terminate();
    let Some((on_message, on_error)) = handlers.borrow().clone() else {
        return;
    };
    match new_worker() {
        Ok(w) => {
            w.set_onmessage(Some(&on_message));
            w.set_onerror(Some(&on_error));
            *worker.borrow_mut() = w;
        }
        Err(e) => {
            let _ = on_error.call1(&JsValue::NULL, &JsValue::from_str(&e));
        }
    }
}

/// Events the early worker sent before the app's handlers were set.
#[derive(Default)]
struct Early {
    messages: Vec<JsValue>,
    errors: Vec<JsValue>,
}

/// The worker `index.html`'s boot script started (`window.__gridledgerBoot`), taken once.
fn take_boot_worker() -> Option<(Worker, Early)> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("__gridledgerBoot");
    let boot = js_sys::Reflect::get(&window, &key).ok()?;
    if boot.is_undefined() || boot.is_null() {
        return None;
    }
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let worker = js_sys::Reflect::get(&boot, &"worker".into())
        .ok()?
        .dyn_into::<Worker>()
        .ok()?;
    let list = |k: &str| -> Vec<JsValue> {
        js_sys::Reflect::get(&boot, &k.into())
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    };
    let early = Early {
        messages: list("messages"),
        errors: list("errors"),
    };
    Some((worker, early))
}
