//! The working calendar (工作日历): the shipped official arrangement, and the office's own
//! changes — a date made a holiday or a working day (调休). Deadlines of cases reported from
//! then on count by it.

use crate::protocol::{ApiError, CalendarDay, Request, Response};
use crate::ui::components::{Banner, Field, SelectField};
use crate::ui::ctx::use_app;
use yew::prelude::*;

#[component]
pub fn CalendarEditor() -> Html {
    let ctx = use_app();
    let days = use_state(Vec::<CalendarDay>::new);
    let reload = use_state(|| 0u32);
    let day = use_state(String::new);
    let kind = use_state(|| "holiday".to_string());
    let name = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    {
        let (ctx, days) = (ctx.clone(), days.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::CalendarDays(d)) = ctx.call(Request::CalendarDays).await {
                    days.set(d);
                }
            });
        });
    }
    let send = {
        let (ctx, error, reload) = (ctx.clone(), error.clone(), reload.clone());
        move |req: Request, after: Option<UseStateHandle<String>>| {
            let (ctx, error, reload) = (ctx.clone(), error.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.call(req).await {
                    Ok(_) => {
                        error.set(None);
                        if let Some(a) = after {
                            a.set(String::new());
                        }
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let add = {
        let (send, day, kind, name) = (send.clone(), day.clone(), kind.clone(), name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send(
                Request::SetCalendarDay {
                    day: (*day).clone(),
                    kind: (*kind).clone(),
                    name: (*name).clone(),
                },
                Some(name.clone()),
            );
        })
    };
    let remove = |d: String| {
        let send = send.clone();
        Callback::from(move |_: MouseEvent| {
            send(
                Request::SetCalendarDay {
                    day: d.clone(),
                    kind: String::new(),
                    name: String::new(),
                },
                None,
            )
        })
    };
    let kind_opts = vec![
        (
            "holiday".to_string(),
            ctx.t("settings.cal_holiday").to_string(),
        ),
        (
            "workday".to_string(),
            ctx.t("settings.cal_workday").to_string(),
        ),
    ];
    let shipped = crate::domain::calendar::shipped();
    html! {
        <section class="card" aria-labelledby="cal-h">
            <h2 id="cal-h">{ ctx.t("settings.calendar") }</h2>
            <p class="hint">{ ctx.t("settings.calendar_hint") }</p>
            <ul class="plain">
                { for shipped.iter().map(|y| html! { <li>{ format!("{} · {}", y.year, y.source) }</li> }) }
            </ul>
            <form class="form-grid" onsubmit={add} novalidate=true>
                <div class={classes!("field", ctx.field_error(&error, "day").is_some().then_some("has-error"))}>
                    <label for="cal_day">{ ctx.t("settings.cal_day") }</label>
                    <input id="cal_day" type="date" value={(*day).clone()}
                        onchange={{ let d = day.clone(); Callback::from(move |e: Event| d.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) }} />
                    if let Some(e) = ctx.field_error(&error, "day") { <p class="error" role="alert">{ e }</p> }
                </div>
                <SelectField id="cal_kind" label={ctx.t("settings.cal_kind")} value={(*kind).clone()} options={kind_opts}
                    onchange={{ let k = kind.clone(); Callback::from(move |v| k.set(v)) }} />
                <Field id="cal_name" label={ctx.t("settings.cal_name")} value={(*name).clone()} oninput={{ let n = name.clone(); Callback::from(move |v| n.set(v)) }} />
                if let Some(e) = &*error { <div class="wide"><Banner text={ctx.error_text(e)} /></div> }
                <div class="actions wide"><button type="submit" class="secondary">{ ctx.t("settings.cal_set") }</button></div>
            </form>
            if !days.is_empty() {
                <table class="calendar-days">
                    <tbody>
                        { for days.iter().map(|d| html! {
                            <tr>
                                <td>{ &d.day }</td>
                                <td>{ ctx.t(if d.kind == "workday" { "settings.cal_workday" } else { "settings.cal_holiday" }) }</td>
                                <td>{ &d.name }</td>
                                <td><button type="button" class="secondary small" onclick={remove(d.day.clone())}>{ ctx.t("settings.cal_undo") }</button></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
