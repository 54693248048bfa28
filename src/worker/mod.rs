//! The database side of the protocol: `handle` turns one `Request` into storage calls and a
//! `Reply`. It is plain Rust, tested natively; `web` (wasm only) owns the OPFS database inside
//! the dedicated Web Worker and feeds it messages.

#[cfg(target_arch = "wasm32")]
pub mod web;

use crate::domain::sample::SampleOptions;
use crate::protocol::{ApiError, Reply, Request, Response, Status, StorageState};
use crate::storage::{migrations, Store};

/// Answers one request against an open store.
pub fn handle(store: &mut Store, req: Request, open_millis: f64) -> Reply {
    use Request as Q;
    use Response as R;
    let created =
        |r: crate::storage::Result<String>| r.map(|id| R::Created { id }).map_err(ApiError::from);
    let done = |r: crate::storage::Result<()>| r.map(|_| R::Done).map_err(ApiError::from);
    match req {
        Q::Status => status(store, open_millis).map(R::Status),
        Q::SetupCommunity(s) => done(store.setup_community(&s)),
        Q::SetupStreet(s) => done(store.setup_street(&s)),
        Q::LoadSample { seed } => {
            let opts = SampleOptions::community(seed, store_now(store));
            store
                .load_sample(&opts)
                .map(|_| R::Done)
                .map_err(ApiError::from)
        }
        Q::SetDevice {
            device_name,
            actor_staff_id,
        } => done(store.set_device(&device_name, actor_staff_id.as_deref())),
        Q::GridTree { community_code } => store
            .grid_tree(&community_code)
            .map(R::GridTree)
            .map_err(ApiError::from),
        Q::CreateGrid { parent_id, name } => created(store.create_grid(&parent_id, &name)),
        Q::RenameGrid { id, name } => done(store.rename_grid(&id, &name)),
        Q::MoveGrid { id, new_parent_id } => done(store.move_grid(&id, &new_parent_id)),
        Q::DeleteGrid { id } => done(store.delete_grid(&id)),
        Q::SetLevelNames {
            community_code,
            names,
        } => done(store.set_level_names(&community_code, &names)),
        Q::ListStaff { community_code } => store
            .list_staff(&community_code)
            .map(R::Staff)
            .map_err(ApiError::from),
        Q::SaveStaff(f) => created(store.save_staff(&f)),
        Q::AssignStaff {
            grid_id,
            staff_id,
            duty,
        } => created(store.assign_staff(&grid_id, &staff_id, &duty)),
        Q::UnassignStaff { link_id } => done(store.unassign_staff(&link_id)),
        Q::ListTags { community_code } => store
            .list_tags(&community_code)
            .map(R::Tags)
            .map_err(ApiError::from),
        Q::CreateTag {
            community_code,
            name,
        } => created(store.create_tag(&community_code, &name)),
        Q::ListHouseholds { grid_id } => store
            .list_households(&grid_id)
            .map(R::Households)
            .map_err(ApiError::from),
        Q::SaveHousehold(f) => created(store.save_household(&f)),
        Q::SearchResidents(q) => store
            .search_residents(&q)
            .map(R::Residents)
            .map_err(ApiError::from),
        Q::GetResident { id } => store
            .get_resident(&id)
            .map(R::Resident)
            .map_err(ApiError::from),
        Q::SaveResident(f) => created(store.save_resident(&f)),
        Q::DeleteResident { id } => done(store.delete_resident(&id)),
    }
}

fn store_now(store: &Store) -> i64 {
    let _ = store;
    now_millis()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn now_millis() -> i64 {
    crate::storage::system_now()
}

#[cfg(target_arch = "wasm32")]
pub fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

pub fn status(store: &Store, open_millis: f64) -> Result<Status, ApiError> {
    Ok(Status {
        storage: StorageState::Ready,
        office: store.office()?,
        device_id: store.device_id().to_string(),
        device_name: store.local("device_name")?.unwrap_or_default(),
        actor: store.actor()?,
        communities: store.communities()?,
        schema_version: migrations::version(store.conn())?,
        open_millis,
    })
}
