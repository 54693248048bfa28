//! What every page shares: the database handle, the language, the office status, and a way to
//! reload the status after a change.

use super::db::DbHandle;
use crate::domain::staff::{Action, Role};
use crate::i18n::Lang;
use crate::protocol::{ApiError, CommunityRow, Reply, Request, Status};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct AppCtx {
    pub db: DbHandle,
    pub lang: Lang,
    pub status: Rc<Status>,
    pub set_lang: Callback<Lang>,
    /// Reloads the status (after setup, sample load, device changes).
    pub refresh: Callback<()>,
    /// A street office's chosen community (empty: the first); pages work on it.
    pub chosen: String,
    pub choose: Callback<String>,
}

/// `AppCtx::chosen` when the street office looks at all its communities at once.
pub const WHOLE_STREET: &str = "*";

impl AppCtx {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The community the pages work on: a community office has one; a street office picks one
    /// of the communities it has imported (the first until it picks).
    pub fn community(&self) -> Option<&CommunityRow> {
        self.status
            .communities
            .iter()
            .find(|c| c.code == self.chosen)
            .or_else(|| self.status.communities.first())
    }

    pub fn is_street(&self) -> bool {
        self.status
            .office
            .as_ref()
            .is_some_and(|o| o.kind == crate::protocol::OfficeKind::Street)
    }

    pub fn community_code(&self) -> String {
        self.community().map(|c| c.code.clone()).unwrap_or_default()
    }

    /// The street office picked "whole street": lists and figures show every community, and
    /// what is added goes to a community picked first.
    pub fn whole_street(&self) -> bool {
        self.is_street() && self.chosen == WHOLE_STREET
    }

    /// The community the lists show: "" for the whole street.
    pub fn scope_code(&self) -> String {
        if self.whole_street() {
            String::new()
        } else {
            self.community_code()
        }
    }

    /// A community's name from its code (the code itself if it is not known here).
    pub fn community_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.status
            .communities
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.name.as_str())
            .unwrap_or(code)
    }

    /// May the person using this device do `action`?
    pub fn may(&self, action: Action) -> bool {
        self.status
            .actor
            .as_ref()
            .and_then(|a| Role::from_code(&a.role))
            .is_some_and(|r| r.may(action))
    }

    pub async fn call(&self, req: Request) -> Reply {
        self.db.0.call(req).await
    }

    /// Exports a bundle: what the worker says of it and the file.
    pub async fn export(
        &self,
        options: crate::protocol::ExportOptions,
        passphrase: Option<String>,
    ) -> Result<(crate::protocol::ExportSummary, web_sys::Blob), ApiError> {
        let req = Request::ExportBundle {
            options,
            passphrase,
        };
        match self.db.0.call_with(req, None).await {
            (Ok(crate::protocol::Response::Exported(s)), Some(b)) => Ok((s, b)),
            (Err(e), _) => Err(e),
            _ => Err(ApiError::new("worker", "no file")),
        }
    }

    /// Sends `req` and hands its reply to `done` only if no later request went out through the
    /// same `latest` counter meanwhile: a slow answer to an old filter never replaces a new one.
    pub fn call_latest(
        &self,
        latest: &Rc<RefCell<u32>>,
        req: Request,
        done: impl FnOnce(Reply) + 'static,
    ) {
        let seq = {
            let mut l = latest.borrow_mut();
            *l += 1;
            *l
        };
        let (ctx, latest) = (self.clone(), latest.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let reply = ctx.call(req).await;
            if *latest.borrow() == seq {
                done(reply);
            }
        });
    }

    /// A one-line message for an error.
    pub fn error_text(&self, e: &ApiError) -> String {
        if e.code == "invalid" {
            self.t("common.fix_errors").to_string()
        } else {
            self.lang.error(&e.code)
        }
    }

    /// The message for one field of an error, if that field is at fault.
    pub fn field_error(&self, e: &Option<ApiError>, field: &str) -> Option<String> {
        e.as_ref()
            .and_then(|e| e.for_field(field))
            .map(|c| self.lang.problem(c))
    }
}

#[hook]
pub fn use_app() -> AppCtx {
    use_context::<AppCtx>().expect("AppCtx provided by App")
}

/// The grid tree of a community, loaded when the code changes (None while loading or when the
/// code is empty).
#[hook]
pub fn use_grid_tree(code: String) -> UseStateHandle<Option<crate::protocol::GridTree>> {
    let ctx = use_app();
    let tree = use_state(|| None);
    {
        let tree = tree.clone();
        use_effect_with(code, move |code| {
            let code = code.clone();
            if !code.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(crate::protocol::Response::GridTree(t)) = ctx
                        .call(Request::GridTree {
                            community_code: code,
                        })
                        .await
                    {
                        tree.set(Some(t));
                    }
                });
            }
        });
    }
    tree
}
