//! The grid tree: each node with its level, leader, workers and coverage; add, rename, move
//! and delete in place (offered only to roles that may manage grids), and the level names.

use crate::domain::staff::Action;
use crate::protocol::{ApiError, GridNode, GridTree, Request, Response};
use crate::ui::app::Route;
use crate::ui::components::{input_value, select_value, Banner};
use crate::ui::ctx::use_app;
use crate::ui::pages::residents::ListQuery;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    AddChild,
    Rename,
    Move,
}

#[component]
pub fn GridsPage() -> Html {
    let ctx = use_app();
    let nav = use_navigator();
    let tree = use_state(|| None::<GridTree>);
    let reload = use_state(|| 0u32);
    let editing = use_state(|| None::<(String, Mode)>);
    let value = use_state(String::new);
    let error = use_state(|| None::<(String, ApiError)>);
    let levels = use_state(String::new);
    let levels_error = use_state(|| None::<ApiError>);
    let code = ctx.community_code();

    {
        let (ctx, tree, levels) = (ctx.clone(), tree.clone(), levels.clone());
        use_effect_with((code.clone(), *reload), move |(code, _)| {
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::GridTree(t)) = ctx
                    .call(Request::GridTree {
                        community_code: code,
                    })
                    .await
                {
                    levels.set(t.level_names.join(","));
                    tree.set(Some(t));
                }
            });
        });
    }

    let may = ctx.may(Action::ManageGrids);
    let start = |id: String, mode: Mode, initial: String| {
        let (editing, value, error) = (editing.clone(), value.clone(), error.clone());
        Callback::from(move |_| {
            editing.set(Some((id.clone(), mode)));
            value.set(initial.clone());
            error.set(None);
        })
    };
    let run = {
        let (ctx, reload, editing, error) =
            (ctx.clone(), reload.clone(), editing.clone(), error.clone());
        Callback::from(move |(node, req): (String, Request)| {
            let (ctx, reload, editing, error) =
                (ctx.clone(), reload.clone(), editing.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => {
                        editing.set(None);
                        error.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some((node, e))),
                }
            });
        })
    };
    let submit = {
        let (editing, value, run) = (editing.clone(), value.clone(), run.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some((id, mode)) = (*editing).clone() else {
                return;
            };
            let v = (*value).clone();
            let req = match mode {
                Mode::AddChild => Request::CreateGrid {
                    parent_id: id.clone(),
                    name: v,
                },
                Mode::Rename => Request::RenameGrid {
                    id: id.clone(),
                    name: v,
                },
                Mode::Move => Request::MoveGrid {
                    id: id.clone(),
                    new_parent_id: v,
                },
            };
            run.emit((id, req));
        })
    };
    let delete = |id: String| {
        let (ctx, run) = (ctx.clone(), run.clone());
        Callback::from(move |_| {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(ctx.t("grids.confirm_delete")).ok())
                .unwrap_or(false);
            if ok {
                run.emit((id.clone(), Request::DeleteGrid { id: id.clone() }));
            }
        })
    };
    let save_levels = {
        let (ctx, levels, levels_error, reload, code) = (
            ctx.clone(),
            levels.clone(),
            levels_error.clone(),
            reload.clone(),
            code.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let names: Vec<String> = levels
                .split([',', '，', '、'])
                .map(|s| s.trim().to_string())
                .collect();
            let (ctx, levels_error, reload, code) = (
                ctx.clone(),
                levels_error.clone(),
                reload.clone(),
                code.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ctx
                    .call(Request::SetLevelNames {
                        community_code: code,
                        names,
                    })
                    .await
                {
                    Ok(_) => {
                        levels_error.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => levels_error.set(Some(e)),
                }
            });
        })
    };
    let to_residents = |grid: String| {
        let nav = nav.clone();
        Callback::from(move |_| {
            if let Some(nav) = &nav {
                let _ = nav.push_with_query(
                    &Route::Residents,
                    &ListQuery {
                        grid: grid.clone(),
                        ..Default::default()
                    },
                );
            }
        })
    };

    let Some(t) = &*tree else {
        return html! { <div class="page"><p>{ ctx.t("common.loading") }</p></div> };
    };
    let level_name = |n: &GridNode| {
        t.level_names
            .get(n.level as usize)
            .cloned()
            .unwrap_or_default()
    };
    let row = |n: &GridNode| {
        let is_editing = editing
            .as_ref()
            .filter(|(id, _)| *id == n.id)
            .map(|(_, m)| *m);
        let err = error
            .as_ref()
            .filter(|(id, _)| *id == n.id)
            .map(|(_, e)| e.clone());
        let staff = |names: &Vec<String>| {
            if names.is_empty() {
                ctx.t("grids.none").to_string()
            } else {
                names.join("、")
            }
        };
        let editor = is_editing.map(|mode| {
            let input = match mode {
                Mode::Move => {
                    // Any node outside this one's subtree may be the new parent.
                    let mut banned = vec![n.id.clone()];
                    for m in &t.nodes {
                        if m.parent_id.as_ref().is_some_and(|p| banned.contains(p)) {
                            banned.push(m.id.clone());
                        }
                    }
                    let value = value.clone();
                    html! {
                        <select aria-label={ctx.t("grids.parent")} onchange={Callback::from(move |e: Event| value.set(select_value(&e)))}>
                            { for t.nodes.iter().filter(|m| !banned.contains(&m.id)).map(|m| html! {
                                <option value={m.id.clone()} selected={Some(&m.id) == n.parent_id.as_ref()}>{ format!("{}{}", "\u{3000}".repeat(m.level as usize), m.name) }</option>
                            }) }
                        </select>
                    }
                }
                _ => {
                    let value2 = value.clone();
                    let label = if mode == Mode::AddChild { ctx.t("grids.new_name") } else { ctx.t("grids.name") };
                    html! { <input type="text" aria-label={label} placeholder={label} value={(*value).clone()} oninput={Callback::from(move |e: InputEvent| value2.set(input_value(&e)))} /> }
                }
            };
            let editing = editing.clone();
            html! {
                <form class="node-editor" onsubmit={submit.clone()}>
                    { input }
                    <button type="submit" class="primary">{ ctx.t("grids.save") }</button>
                    <button type="button" onclick={move |_| editing.set(None)}>{ ctx.t("grids.cancel") }</button>
                </form>
            }
        });
        html! {
            <li class={format!("node level-{}", n.level)} style={format!("--level:{}", n.level)} data-grid={n.id.clone()}>
                <div class="node-main">
                    <span class="level">{ level_name(n) }</span>
                    <strong class="node-name">{ &n.name }</strong>
                    <span class="cover">{ format!("{} {} · {} {}", n.households, ctx.t("grids.households"), n.residents, ctx.t("grids.residents")) }</span>
                </div>
                <div class="node-staff">
                    <span>{ format!("{}：{}", ctx.t("grids.leader"), staff(&n.leaders)) }</span>
                    <span>{ format!("{}：{}", ctx.t("grids.workers"), staff(&n.workers)) }</span>
                </div>
                <div class="node-actions">
                    <button type="button" class="link" onclick={to_residents(n.id.clone())} aria-label={format!("{} {}", ctx.t("grids.view_residents"), n.name)}>{ ctx.t("grids.view_residents") }</button>
                    if may {
                        if (n.level as usize) + 1 < t.level_names.len() {
                            <button type="button" class="link" onclick={start(n.id.clone(), Mode::AddChild, String::new())} aria-label={format!("{} {}", ctx.t("grids.add_child"), n.name)}>{ ctx.t("grids.add_child") }</button>
                        }
                        <button type="button" class="link" onclick={start(n.id.clone(), Mode::Rename, n.name.clone())} aria-label={format!("{} {}", ctx.t("grids.rename"), n.name)}>{ ctx.t("grids.rename") }</button>
                        if n.parent_id.is_some() {
                            <button type="button" class="link" onclick={start(n.id.clone(), Mode::Move, n.parent_id.clone().unwrap_or_default())} aria-label={format!("{} {}", ctx.t("grids.move"), n.name)}>{ ctx.t("grids.move") }</button>
                            <button type="button" class="link danger" onclick={delete(n.id.clone())} aria-label={format!("{} {}", ctx.t("grids.delete"), n.name)}>{ ctx.t("grids.delete") }</button>
                        }
                    }
                </div>
                { editor.unwrap_or_default() }
                if let Some(e) = err { <Banner text={ctx.error_text(&e)} /> }
            </li>
        }
    };

    html! {
        <div class="page grids">
            <div class="page-head"><h1>{ ctx.t("grids.title") }</h1></div>
            if !may { <p class="banner info">{ ctx.t("grids.read_only") }</p> }
            <ul class="tree">{ for t.nodes.iter().map(row) }</ul>
            if may {
                <form class="card levels" onsubmit={save_levels}>
                    <label for="levels">{ ctx.t("grids.levels") }</label>
                    <div class="row">
                        <input id="levels" type="text" value={(*levels).clone()} aria-describedby="levels-hint"
                            oninput={{ let l = levels.clone(); Callback::from(move |e: InputEvent| l.set(input_value(&e))) }} />
                        <button type="submit" class="secondary">{ ctx.t("common.save") }</button>
                    </div>
                    <p class="hint" id="levels-hint">{ ctx.t("grids.levels_hint") }</p>
                    if let Some(e) = ctx.field_error(&levels_error, "level_names") { <p class="error" role="alert">{ e }</p> }
                </form>
            }
        </div>
    }
}
