//! Pickers shared by forms: a resident found by search (name, phone or ID tail, as the
//! residents list searches), and the people a community can put on duty.

use crate::protocol::{
    Request, ResidentQuery, ResidentRow, Response, StaffRow, VolunteerQuery, VolunteerRow,
};
use crate::ui::ctx::use_app;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResidentPickerProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub community_code: String,
    pub on_pick: Callback<ResidentRow>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Show the phone in the choices.
    #[prop_or_default]
    pub with_phone: bool,
}

/// A search box whose matches are offered as a list; choosing one emits it and clears.
#[component]
pub fn ResidentPicker(p: &ResidentPickerProps) -> Html {
    let ctx = use_app();
    let text = use_state(String::new);
    let hits = use_state(Vec::<ResidentRow>::new);
    let seq = use_mut_ref(|| 0u32);
    let oninput = {
        let (ctx, code, text, hits, seq) = (
            ctx.clone(),
            p.community_code.clone(),
            text.clone(),
            hits.clone(),
            seq.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let t = crate::ui::components::input_value(&e);
            text.set(t.clone());
            let n = {
                let mut s = seq.borrow_mut();
                *s += 1;
                *s
            };
            if t.trim().is_empty() {
                hits.set(Vec::new());
                return;
            }
            let (ctx, hits, seq) = (ctx.clone(), hits.clone(), seq.clone());
            let q = ResidentQuery {
                community_code: code.clone(),
                text: t,
                grid_id: None,
                tag_id: None,
                offset: 0,
                limit: 8,
                status: String::new(),
            };
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::Residents(page)) = ctx.call(Request::SearchResidents(q)).await {
                    // Only the answer to the latest text.
                    if *seq.borrow() == n {
                        hits.set(page.rows);
                    }
                }
            });
        })
    };
    let choose = |r: ResidentRow| {
        let (on_pick, text, hits) = (p.on_pick.clone(), text.clone(), hits.clone());
        Callback::from(move |_: MouseEvent| {
            hits.set(Vec::new());
            text.set(String::new());
            on_pick.emit(r.clone());
        })
    };
    html! {
        <div class="field">
            <label for={p.id.clone()}>{ &p.label }</label>
            <input id={p.id.clone()} type="search" value={(*text).clone()} {oninput} placeholder={ctx.t("residents.search")} autocomplete="off" />
            if !hits.is_empty() {
                <ul class="picker" role="listbox" aria-label={p.label.clone()}>
                    { for hits.iter().map(|r| {
                        let phone = if p.with_phone { r.phone.as_str() } else { "" };
                        html! {
                            <li><button type="button" role="option" onclick={choose(r.clone())}>
                                { [r.name.as_str(), r.grid_name.as_str(), r.address.as_str(), phone].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" · ") }
                            </button></li>
                        }
                    }) }
                </ul>
            }
            if let Some(h) = &p.hint { <p class="hint">{ h }</p> }
        </div>
    }
}

/// The volunteers and staff of a community (for duty pickers), loaded once per community.
#[hook]
pub fn use_people(code: String) -> UseStateHandle<(Vec<VolunteerRow>, Vec<StaffRow>)> {
    let ctx = use_app();
    let people = use_state(|| (Vec::<VolunteerRow>::new(), Vec::<StaffRow>::new()));
    {
        let people = people.clone();
        use_effect_with(code, move |code| {
            let code = code.clone();
            // No community yet (a record still loading, or the whole street): nobody to pick.
            if code.is_empty() {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let q = VolunteerQuery {
                    community_code: code.clone(),
                    offset: 0,
                    limit: 200,
                    ..Default::default()
                };
                let v = match ctx.call(Request::ListVolunteers(q)).await {
                    Ok(Response::Volunteers(p)) => p.rows,
                    _ => Vec::new(),
                };
                let s = match ctx
                    .call(Request::ListStaff {
                        community_code: code,
                    })
                    .await
                {
                    Ok(Response::Staff(s)) => s,
                    _ => Vec::new(),
                };
                people.set((v, s));
            });
        });
    }
    people
}
