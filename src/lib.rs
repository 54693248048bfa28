//! GridLedger (网格台账), in reading order:
//! - `domain`: pure rules (no IO),
//! - `protocol`: the one typed message set between the UI and the database worker (`apart`:
//!   its large enums decoded one variant at a time),
//! - `storage` (feature `store`): the only module with SQL; schema, migrations, queries,
//! - `worker`: turns a protocol request into storage calls (natively testable) and, on wasm,
//!   owns the OPFS database inside a dedicated Web Worker,
//! - `cli` (native): the command-line tool; `serve` (native): the app served on 127.0.0.1,
//! - `ui` (wasm only): the Yew app on the main thread, one folder per page.

pub mod apart;
pub mod domain;
pub mod i18n;
pub mod protocol;

#[cfg(feature = "store")]
pub mod storage;

#[cfg(feature = "store")]
pub mod sheet;

#[cfg(feature = "store")]
pub mod charts;

#[cfg(feature = "store")]
pub mod worker;

#[cfg(all(feature = "store", not(target_arch = "wasm32")))]
pub mod cli;

#[cfg(not(target_arch = "wasm32"))]
pub mod serve;

#[cfg(target_arch = "wasm32")]
pub mod ui;
