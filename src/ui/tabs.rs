//! One database owner among this browser's tabs. OPFS sync access handles let one worker hold
//! the database, so a second tab of GridLedger must not fail obscurely: tabs talk over a
//! BroadcastChannel. A tab that starts asks whether another one owns the database (`ping`);
//! the owner answers (`owner`) and the new tab says so at once, with a button to take over.
//! Taking over asks the owner to let go (`take-over`): the owner waits until its worker has
//! answered every request in flight (an import or a save finishes, never half), stops its
//! worker, which releases the files, shows "in use in another tab" with a button to take it
//! back, and says `released`; then the new tab starts its worker.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "gridledger.tabs";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabMsg {
    /// "Does another tab own the database?"
    Ping,
    /// "I do."
    Owner,
    /// "Let go of it: I take over."
    TakeOver,
    /// "I have let go."
    Released,
}

impl TabMsg {
    fn as_str(self) -> &'static str {
        match self {
            TabMsg::Ping => "ping",
            TabMsg::Owner => "owner",
            TabMsg::TakeOver => "take-over",
            TabMsg::Released => "released",
        }
    }
    fn parse(s: &str) -> Option<TabMsg> {
        Some(match s {
            "ping" => TabMsg::Ping,
            "owner" => TabMsg::Owner,
            "take-over" => TabMsg::TakeOver,
            "released" => TabMsg::Released,
            _ => return None,
        })
    }
}

pub struct Tabs {
    channel: BroadcastChannel,
    _on: Closure<dyn FnMut(MessageEvent)>,
}

impl Tabs {
    /// Joins the channel; `on` hears the other tabs (never this one's own messages). None
    /// where the browser has no BroadcastChannel: the worker's own retry then tells.
    pub fn open(on: impl Fn(TabMsg) + 'static) -> Option<Tabs> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let closure = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(m) = e.data().as_string().as_deref().and_then(TabMsg::parse) {
                on(m);
            }
        });
        channel.set_onmessage(Some(closure.as_ref().unchecked_ref()));
        Some(Tabs {
            channel,
            _on: closure,
        })
    }

    pub fn send(&self, m: TabMsg) {
        let _ = self.channel.post_message(&JsValue::from_str(m.as_str()));
    }
}
